// Command protokol renders Danish committee agendas, minutes and budget
// tables, from the command line or as an HTTP service.
//
//	protokol render agenda|minutes|budget -i in.json -o out.pdf|out.xlsx [flags]
//	protokol serve [--addr :8080] [flags]
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/mattn/go-isatty"
	"golang.org/x/crypto/bcrypt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"protokol/internal/attach"
	"strings"
	"syscall"

	"protokol/internal/config"
	"protokol/internal/data"
	"protokol/internal/render"
	"protokol/internal/seal"
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
		cfg, job, err := config.ParseRender(args, os.Getenv, stdout)
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
		cfg, err := config.ParseServe(args, os.Getenv, stdout)
		if err != nil {
			return usageError(stderr, err)
		}
		log := logger(cfg.LogFormat, stderr)
		r, err := renderer(cfg)
		if err != nil {
			log.Error("start-up failed", "err", err)
			return 1
		}
		// SIGTERM (an orchestrator) drains: not ready, still serving for
		// the shutdown delay; Ctrl-C (a person) does not wait for load
		// balancers that are not there
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
		defer signal.Stop(sigs)
		go func() {
			if sig := <-sigs; sig == syscall.SIGINT {
				cancel(server.ErrInterrupted)
			} else {
				cancel(nil)
			}
		}()
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		if err := server.Run(ctx, cfg, r, log, hup); err != nil {
			log.Error("server stopped", "err", err)
			return 1
		}
		return 0
	case "health":
		// for container health checks: the image has no shell or curl
		addr, useTLS, err := config.ParseHealth(args, os.Getenv, stdout)
		if err != nil {
			return usageError(stderr, err)
		}
		if err := server.Probe(addr, "/healthz", useTLS); err != nil {
			fmt.Fprintln(stderr, "protokol: unhealthy:", err)
			return 1
		}
		return 0
	}
	if f, ok := commands[cmd]; ok {
		return f(args, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "protokol: unknown command %q\n\n%s", cmd, config.Usage)
	return 2
}

// commands are those with nothing to share with render and serve.
var commands = map[string]func(args []string, stdin io.Reader, stdout, stderr io.Writer) int{
	"batch": func(args []string, stdin io.Reader, _, stderr io.Writer) int {
		return batchCommand(args, stdin, stderr)
	},
	"import": importCommand,
	"verify": func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return verifyCommand(args, stdout, stderr)
	},
	"auth": authCommand,
}

// logger writes the service's log: text for a person at a terminal, JSON
// lines for a collector.
func logger(format string, w io.Writer) *slog.Logger {
	if format == "text" || format == "auto" && isTerminal(w) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
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
	rc := render.Config{Templates: templates.FS, TemplateDir: cfg.TemplateDir,
		TemplateLimits: cfg.TemplateLimits, Limits: cfg.RenderLimits, Worker: &attach.Worker{Memory: cfg.AttachmentMemory}}
	s, err := loadSeal(cfg.Seal)
	if err != nil {
		return nil, err
	}
	if s != nil {
		rc.Seal = s
	}
	return render.New(rc)
}

// loadSeal reads the seal once, at start-up (nil when none is
// configured); with a key in memory, the process may not dump core.
func loadSeal(c config.Seal) (*seal.Signer, error) {
	if !c.Configured() {
		return nil, nil
	}
	var s *seal.Signer
	var err error
	if c.P12 != "" {
		password := string(c.Password)
		if c.PasswordFile != "" {
			if password, err = seal.ReadPassword(c.PasswordFile); err != nil {
				return nil, err
			}
		}
		s, err = seal.LoadPKCS12(c.P12, password)
	} else {
		s, err = seal.LoadPEM(c.Cert, c.Key)
	}
	if err != nil {
		return nil, err
	}
	if c.TSAURL != "" {
		s.TSA = &seal.TSA{URL: c.TSAURL}
	}
	if err := noCoreDumps(); err != nil {
		return nil, fmt.Errorf("seal: cannot keep the key out of core dumps: %w", err)
	}
	return s, nil
}

// renderJob reads, validates, renders and writes one document.
func renderJob(r *render.Renderer, job *config.Job, stdin io.Reader, stdout, stderr io.Writer) int {
	var in []byte
	var err error
	if isExport(job) {
		var files fs.FS
		var closeDir func()
		in, files, closeDir, err = readExport(job, stdin, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "protokol:", err)
			return 1
		}
		defer closeDir()
		if files != nil && job.Attachments == "" && (job.Document == data.DocAgenda || job.Document == data.DocMinutes) {
			job.Options.Files = &render.Files{Dir: files}
		}
	} else if in, err = readInput(job.Input, stdin); err != nil {
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
			// in --lang's language (English without it); in Danish with
			// each problem's place in words
			lang := string(job.Options.Lang)
			ve = ve.In(lang)
			if lang == "da" {
				fmt.Fprintf(stderr, "protokol: %s er ikke et gyldigt %s-dokument:\n", job.Input, job.Document)
			} else {
				fmt.Fprintf(stderr, "protokol: %s is not a valid %s document:\n", job.Input, job.Document)
			}
			for _, fe := range ve.Errors {
				if lang == "da" && fe.Location != "" {
					fmt.Fprintf(stderr, "  %s (%s): %s\n", fe.Location, fe.Field, fe.Message)
				} else {
					fmt.Fprintf(stderr, "  %s\n", fe.Error())
				}
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
	for _, l := range res.Left {
		fmt.Fprintf(stderr, "protokol: note: %s\n", l)
	}
	if res.Replaced > 0 {
		fmt.Fprintf(stderr, "protokol: warning: characters the font cannot draw were printed as \uFFFD (%d times)\n", res.Replaced)
	}
	fmt.Fprintf(stderr, "protokol: wrote %s\n", written(job.Output, res))
	return 0
}

// maxInput bounds a document read from a file or standard input: far
// above the contract's limits, so -i /dev/zero ends with an answer.
const maxInput = 256 << 20

func readInput(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err == nil && len(b) > maxInput {
		return nil, fmt.Errorf("%s is larger than %d MiB; no document of the contract is", displayName(name), maxInput>>20)
	}
	return b, err
}

func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// writeOutput writes a document where -o says. A regular file (or a new
// one) is written beside the target and renamed, so a failed write
// leaves no half file, keeping the mode of the file it replaces (a new
// file follows the umask: minutes with closed items stay as private as
// the directory's files are made). A FIFO, a character device (a
// terminal, /dev/null) or /dev/fd/N is written into as it is, never
// replaced; any other kind of path is refused by name.
func writeOutput(name string, stdout io.Writer, body []byte) error {
	if name == "-" {
		_, err := stdout.Write(body)
		return err
	}
	mode := fs.FileMode(0o666) // less the umask, as for any new file
	keep := false
	if info, err := os.Stat(name); err == nil {
		switch m := info.Mode(); {
		case m.IsRegular():
			mode, keep = m.Perm(), true
		case m&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0:
			f, err := os.OpenFile(name, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			if _, err := f.Write(body); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		default:
			return fmt.Errorf("%s is not a file (%s); write to a file, a pipe or -", name, kindOf(m))
		}
	}
	// a temporary name of its own, so two renders to one file do not
	// write into each other
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("cannot write %s: %w", name, pe.Err) // not the temporary name
		}
		return err
	}
	defer os.Remove(f.Name()) // fails once renamed, as it should
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	// CreateTemp makes 0600; a new file gets what the umask allows
	if !keep {
		mask := umask()
		mode &^= mask
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// umask is the process's file mode creation mask.
func umask() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}

func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "not a regular file"
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

// authCommand makes the lines of the authentication files:
//
//	protokol auth token       a new token (first line: give it to the client)
//	                          and its line for --auth-tokens-file
//	protokol auth user NAME   the line for --auth-users-file, the password
//	                          read from standard input
func authCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && args[0] == "token":
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			fmt.Fprintln(stderr, "protokol:", err)
			return 1
		}
		token := base64.RawURLEncoding.EncodeToString(b[:])
		sum := sha256.Sum256([]byte(token))
		fmt.Fprintf(stdout, "%s\nsha256:%x\n", token, sum)
		return 0
	case len(args) == 2 && args[0] == "user" && args[1] != "" && !strings.Contains(args[1], ":"):
		line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
		pass := strings.TrimRight(line, "\r\n")
		if err != nil && err != io.EOF || pass == "" {
			fmt.Fprintln(stderr, "protokol: give the password on standard input")
			return 2
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(pass), bcrypt.DefaultCost)
		if err != nil {
			fmt.Fprintln(stderr, "protokol:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s:%s\n", args[1], hash)
		return 0
	}
	fmt.Fprintln(stderr, "protokol: usage: protokol auth token | protokol auth user NAME < password")
	return 2
}
