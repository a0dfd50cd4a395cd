//go:build dockerbuild

// The Dockerfile's build compiles every dependency again with its own
// flags (CGO_ENABLED=0, -trimpath): a minute and a half from an empty
// build cache on a 2-core machine, doubling a contributor's first
// go test ./.... So it runs on its own: go test -tags dockerbuild
// -run TestDockerfileBinary ./cmd/protokol, which .ci/run runs too.

package main

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"protokol/examples"
)

// No Docker engine runs on the project's machines, so the image is proved
// another way: the binary is built with the build line of the Dockerfile
// itself (read from it, so the two cannot drift apart), must be static,
// and must serve, answer its own health check and render in an empty
// directory, as it does in the distroless image.
func TestDockerfileBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	line := dockerBuildLine(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "protokol")
	// the line as the image's shell runs it, writing here instead of /out
	line = regexp.MustCompile(`-o \S+`).ReplaceAllString(line, "-o "+bin)
	build := exec.Command("sh", "-c", line)
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked; distroless static has no libc")
		}
	}
	f.Close()

	empty := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	addr := startService(t, bin, empty, []string{}) // an empty environment, as in the image
	health := exec.CommandContext(ctx, bin, "health", "--addr", addr)
	health.Dir = empty
	if out, err := health.CombinedOutput(); err != nil {
		t.Fatalf("health: %v %s", err, out)
	}

	render := exec.CommandContext(ctx, bin, "render", "minutes", "-i", "-", "-o", "referat.pdf")
	render.Dir = empty
	render.Env = []string{}
	render.Stdin = bytes.NewReader(examples.Read(examples.Minutes))
	if out, err := render.CombinedOutput(); err != nil {
		t.Fatalf("render: %v %s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(empty, "referat.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("no PDF in the empty directory: %v", err)
	}
}

// dockerBuildLine is the Dockerfile's "go build" command, without RUN.
func dockerBuildLine(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^RUN (.*\bgo build\b.*)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("the Dockerfile has no RUN … go build line")
	}
	return string(m[1])
}
