package server

import (
	"context"
	"log/slog"
	"os"

	"protokol/internal/config"
	"protokol/internal/render"
)

// Run serves until ctx ends.
func Run(ctx context.Context, cfg *config.Config, r *render.Renderer, log *slog.Logger, hup <-chan os.Signal) error {
	return nil
}
