// Command protokol renders Danish committee agendas, minutes and budget
// tables, from the command line or as an HTTP service.
//
//	protokol render agenda|minutes|budget -i in.json -o out.pdf|out.xlsx [flags]
//	protokol serve [--addr :8080] [flags]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"protokol/internal/attach"
	"syscall"

	"protokol/internal/config"
	"protokol/internal/data"
	"protokol/internal/render"
	"protokol/internal/server"
	"protokol/templates"
)

func main() {
	attach.ServeWorker() // this program, started again to read attachment files
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, config.Usage)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
		fmt.Fprint(stdout, config.Usage)
		return 0
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "render":
		cfg, job, err := config.ParseRender(args, os.Getenv, stderr)
		if err != nil {
			return usageError(stderr, err)
		}
		r, err := renderer(cfg)
		if err != nil {
			fmt.Fprintln(stderr, "protokol:", err)
			return 1
		}
		return renderJob(r, job, stdin, stdout, stderr)
	case "serve":
		cfg, err := config.ParseServe(args, os.Getenv, stderr)
		if err != nil {
			return usageError(stderr, err)
		}
		log := slog.New(slog.NewJSONHandler(stderr, nil))
		r, err := renderer(cfg)
		if err != nil {
			log.Error("start-up failed", "err", err)
			return 1
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		if err := server.Run(ctx, cfg, r, log, hup); err != nil {
			log.Error("server stopped", "err", err)
			return 1
		}
		return 0
	case "health":
		// for container health checks: the image has no shell or curl
		addr, err := config.ParseHealth(args, os.Getenv, stderr)
		if err != nil {
			return usageError(stderr, err)
		}
		if err := server.Probe(addr, "/healthz"); err != nil {
			fmt.Fprintln(stderr, "protokol: unhealthy:", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "protokol: unknown command %q\n\n%s", cmd, config.Usage)
	return 2
}

func usageError(stderr io.Writer, err error) int {
	if errors.Is(err, config.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "protokol:", err)
	return 2
}

func renderer(cfg *config.Config) (*render.Renderer, error) {
	// attachment files, an outsider's, are read in a worker process
	return render.New(render.Config{Templates: templates.FS, TemplateDir: cfg.TemplateDir,
		TemplateLimits: cfg.TemplateLimits, Limits: cfg.RenderLimits, Worker: &attach.Worker{Memory: cfg.AttachmentMemory}})
}

// renderJob reads, validates, renders and writes one document.
func renderJob(r *render.Renderer, job *config.Job, stdin io.Reader, stdout, stderr io.Writer) int {
	in, err := readInput(job.Input, stdin)
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	if job.Attachments != "" {
		// os.Root: a name cannot reach outside the directory, by ".." or
		// by a symbolic link
		root, err := os.OpenRoot(job.Attachments)
		if err != nil {
			fmt.Fprintf(stderr, "protokol: --attachments: %v\n", err)
			return 1
		}
		defer root.Close()
		job.Options.Files = &render.Files{Dir: root.FS()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), job.Timeout)
	defer cancel()
	res, err := render.Job(ctx, r, job.Document, job.Format, in, job.Options)
	if err != nil {
		var ve *data.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(stderr, "protokol: %s is not a valid %s document:\n", job.Input, job.Document)
			for _, fe := range ve.Errors {
				fmt.Fprintf(stderr, "  %s\n", fe.Error())
			}
			if ve.More > 0 {
				fmt.Fprintf(stderr, "  %s\n", ve.MoreText())
			}
			return 1
		}
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	if err := writeOutput(job.Output, stdout, res.Body); err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	if res.Replaced > 0 {
		fmt.Fprintf(stderr, "protokol: warning: characters the font cannot draw were printed as \uFFFD (%d times)\n", res.Replaced)
	}
	fmt.Fprintf(stderr, "protokol: wrote %s\n", written(job.Output, res))
	return 0
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

func writeOutput(name string, stdout io.Writer, body []byte) error {
	if name == "-" {
		_, err := stdout.Write(body)
		return err
	}
	// write beside the target and rename, so a failed write leaves no half
	// file; a temporary name of its own, so two renders to one file do not
	// write into each other
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails once renamed, as it should
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// written says what a render wrote, for the one line a success prints:
// "referat.pdf (18 pages, 69 KB)".
func written(name string, res *render.Result) string {
	if name == "-" {
		name = "standard output"
	}
	size := fmt.Sprintf("%d bytes", len(res.Body))
	if len(res.Body) >= 1000 {
		size = fmt.Sprintf("%d KB", (len(res.Body)+500)/1000)
	}
	if res.Pages > 0 {
		return fmt.Sprintf("%s (%d %s, %s)", name, res.Pages, plural(res.Pages, "page", "pages"), size)
	}
	return fmt.Sprintf("%s (%s)", name, size)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
