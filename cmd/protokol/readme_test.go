package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestREADMECommandsRunAsWritten runs every shell block of the README as
// a user would paste it, in a directory with the repository's examples
// and templates: `go run ./cmd/protokol` is the program built once, and
// `localhost:8080` a service started from it. Each block must exit 0 and
// every file it writes with -o must be the document it names (a curl
// that got a problem instead of a PDF exits 0 too, so the file is read).
func TestREADMECommandsRunAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and runs the README")
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", "protokol")
	build := exec.Command("go", "build", "-o", bin, "./cmd/protokol")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(dir, "work")
	os.MkdirAll(work, 0o755)
	for _, d := range []string{"examples", "templates"} {
		if err := os.Symlink(filepath.Join(root, d), filepath.Join(work, d)); err != nil {
			t.Fatal(err)
		}
	}
	addr := startService(t, bin, work, nil)
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 4 {
		t.Fatalf("the README has %d shell blocks; the test reads the wrong file", len(blocks))
	}
	outputs := regexp.MustCompile(`-o (\S+)`)
	for _, b := range blocks {
		script := strings.ReplaceAll(b[1], "go run ./cmd/protokol", bin)
		script = strings.ReplaceAll(script, "localhost:8080", addr)
		if strings.TrimSpace(script) == "go test ./..." || strings.Contains(script, "go test ./...\n") {
			script = strings.Replace(script, "go test ./...", "", 1) // this very run
		}
		if strings.Contains(script, "/usr/share/fonts/truetype/dejavu/") {
			if _, err := os.Stat("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"); err != nil {
				t.Logf("skipped (needs fonts-dejavu-core): %s", firstLine(b[1]))
				continue
			}
		}
		for _, o := range outputs.FindAllStringSubmatch(script, -1) {
			os.Remove(filepath.Join(work, o[1]))
		}
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Dir = work
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", firstLine(b[1]), err, out)
			continue
		}
		for _, o := range outputs.FindAllStringSubmatch(script, -1) {
			got, err := os.ReadFile(filepath.Join(work, o[1]))
			magic := map[string]string{".pdf": "%PDF-", ".xlsx": "PK"}[filepath.Ext(o[1])]
			if err != nil || magic != "" && !strings.HasPrefix(string(got), magic) {
				t.Errorf("%s: %s is not the document (%v): %.200s", firstLine(b[1]), o[1], err, got)
			}
		}
	}
}

func firstLine(s string) string { return strings.SplitN(strings.TrimSpace(s), "\n", 2)[0] }

// startService starts the program's service on a free port, in dir and
// with env (nil: this process's), and returns its address once it says
// it listens.
func startService(t *testing.T, bin, dir string, env []string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--shutdown-delay", "0s")
	cmd.Dir, cmd.Env = dir, env
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
				found <- rec.Addr
			}
		}
	}()
	select {
	case a := <-found:
		return a
	case <-time.After(30 * time.Second):
		t.Fatal("the service did not start")
	}
	return ""
}
