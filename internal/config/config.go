// Package config turns flags and their environment mirrors into the
// configuration of the service and of one command-line render. Every
// setting, its variable and its default are declared here, once, and
// printed by --help.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"protokol/internal/render"
	"protokol/internal/tmpl"
)

// ErrHelp is returned when --help was asked for (and printed).
var ErrHelp = flag.ErrHelp

// Config is the configuration of the service (and the parts of it a
// command-line render uses).
type Config struct {
	Addr            string        // listen address
	TemplateDir     string        // directory of template sets on disk ("" for the embedded ones only)
	TemplatePoll    time.Duration // how often the template directory is checked for changes (0: only on SIGHUP)
	BodyLimit       int64         // bytes of one request body
	RenderTimeout   time.Duration // one render, template and layout together
	MaxConcurrent   int           // renders at once
	QueueLength     int           // requests that may wait for a render slot
	QueueWait       time.Duration // how long a request may wait for a slot
	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	IdleTimeout     time.Duration
	ShutdownTimeout time.Duration // how long in-flight requests get to finish on SIGTERM
	TemplateLimits  tmpl.Limits
}

// Job is one command-line render.
type Job struct {
	Document string // agenda, minutes, budget
	Input    string // file or "-"
	Output   string // file or "-"
	Format   string // pdf or xlsx
	Timeout  time.Duration
	Options  render.Options
}

// Usage is printed by --help and on a wrong command.
var Usage = `Protokol renders committee agendas, minutes and budget tables.

Usage:
  protokol render agenda|minutes|budget -i in.json -o out.pdf|out.xlsx [flags]
  protokol serve [flags]
  protokol health [--addr HOST:PORT]   (exit 0 if the service on addr answers /healthz)

Run "protokol render --help" or "protokol serve --help" for the flags.
Every flag can also be set by the environment variable named in its help.
`

// env reads an environment variable.
type env func(string) string

// settings registers the flags shared by both commands.
type settings struct {
	fs         *flag.FlagSet
	env        env
	err        error
	afterParse []func()
}

func (s *settings) str(p *string, name, variable, def, usage string) {
	if v := s.env(variable); v != "" {
		def = v
	}
	s.fs.StringVar(p, name, def, usage+" ($"+variable+")")
}

func (s *settings) dur(p *time.Duration, name, variable string, def time.Duration, usage string) {
	if v := s.env(variable); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			s.err = fmt.Errorf("$%s: %q is not a duration (e.g. 30s)", variable, v)
		} else {
			def = d
		}
	}
	s.fs.DurationVar(p, name, def, usage+" ($"+variable+")")
}

func (s *settings) num(p *int, name, variable string, def int, usage string) {
	if v := s.env(variable); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.err = fmt.Errorf("$%s: %q is not a whole number", variable, v)
		} else {
			def = n
		}
	}
	s.fs.IntVar(p, name, def, usage+" ($"+variable+")")
}

func (s *settings) bytes(p *int64, name, variable string, def int64, usage string) {
	if v := s.env(variable); v != "" {
		n, err := ParseSize(v)
		if err != nil {
			s.err = fmt.Errorf("$%s: %w", variable, err)
		} else {
			def = n
		}
	}
	s.fs.Func(name, fmt.Sprintf("%s ($%s) (default %s)", usage, variable, FormatSize(def)), func(v string) error {
		n, err := ParseSize(v)
		if err == nil {
			*p = n
		}
		return err
	})
	*p = def
}

func newSettings(name string, getenv env, out io.Writer) *settings {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return &settings{fs: fs, env: getenv}
}

// common registers the template settings both commands use.
func (s *settings) common(c *Config) {
	s.str(&c.TemplateDir, "templates", "PROTOKOL_TEMPLATES", "", "directory of template sets, added to and overriding the embedded ones")
	d := tmpl.DefaultLimits
	s.dur(&c.TemplateLimits.Timeout, "template-timeout", "PROTOKOL_TEMPLATE_TIMEOUT", d.Timeout, "time one template execution may take")
	var maxOut int64
	s.bytes(&maxOut, "template-max-output", "PROTOKOL_TEMPLATE_MAX_OUTPUT", int64(d.MaxOutput), "bytes one template execution may write")
	s.num(&c.TemplateLimits.MaxLoops, "template-max-loops", "PROTOKOL_TEMPLATE_MAX_LOOPS", d.MaxLoops, "range iterations in one template execution")
	s.num(&c.TemplateLimits.MaxDepth, "template-max-depth", "PROTOKOL_TEMPLATE_MAX_DEPTH", d.MaxDepth, "nesting of {{template}} calls")
	var maxString int64
	s.bytes(&maxString, "template-max-string", "PROTOKOL_TEMPLATE_MAX_STRING", int64(d.MaxString), "bytes of any string a template helper returns")
	s.num(&c.TemplateLimits.MaxList, "template-max-list", "PROTOKOL_TEMPLATE_MAX_LIST", d.MaxList, "elements of any list a template helper returns (and of until, seq)")
	s.num(&c.TemplateLimits.MaxLiteral, "template-max-range-literal", "PROTOKOL_TEMPLATE_MAX_RANGE_LITERAL", d.MaxLiteral, "largest integer literal a template may range over (checked at load)")
	s.afterParse = append(s.afterParse, func() {
		c.TemplateLimits.MaxOutput = int(maxOut)
		c.TemplateLimits.MaxString = int(maxString)
	})
}

// ParseServe reads the service's configuration.
func ParseServe(args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	c := &Config{}
	s := newSettings("serve", getenv, out)
	s.str(&c.Addr, "addr", "PROTOKOL_ADDR", ":8080", "listen address HOST:PORT")
	s.common(c)
	s.dur(&c.TemplatePoll, "template-poll", "PROTOKOL_TEMPLATE_POLL", 2*time.Second, "how often the template directory is checked for changes (0: only on SIGHUP)")
	s.bytes(&c.BodyLimit, "body-limit", "PROTOKOL_BODY_LIMIT", 16<<20, "largest request body")
	s.dur(&c.RenderTimeout, "render-timeout", "PROTOKOL_RENDER_TIMEOUT", 30*time.Second, "time one render may take")
	s.num(&c.MaxConcurrent, "max-concurrent", "PROTOKOL_MAX_CONCURRENT", runtime.NumCPU(), "renders at once (default: the CPUs)")
	s.num(&c.QueueLength, "queue", "PROTOKOL_QUEUE", 64, "requests that may wait for a render slot (their bodies are held); more are refused with 503")
	s.dur(&c.QueueWait, "queue-wait", "PROTOKOL_QUEUE_WAIT", 5*time.Second, "how long a request may wait for a render slot")
	s.dur(&c.ReadTimeout, "read-timeout", "PROTOKOL_READ_TIMEOUT", 30*time.Second, "time to read a request")
	s.dur(&c.WriteTimeout, "write-timeout", "PROTOKOL_WRITE_TIMEOUT", 60*time.Second, "time to answer a request")
	s.dur(&c.IdleTimeout, "idle-timeout", "PROTOKOL_IDLE_TIMEOUT", 120*time.Second, "how long an idle keep-alive connection stays open")
	s.dur(&c.ShutdownTimeout, "shutdown-timeout", "PROTOKOL_SHUTDOWN_TIMEOUT", 30*time.Second, "time in-flight requests get to finish after SIGTERM")
	if err := s.parse(args); err != nil {
		return nil, err
	}
	if c.MaxConcurrent < 1 || c.QueueLength < 0 || c.BodyLimit < 1 {
		return nil, errors.New("--max-concurrent and --body-limit must be at least 1, --queue at least 0")
	}
	return c, nil
}

// ParseRender reads a command-line render: the document, then flags.
func ParseRender(args []string, getenv func(string) string, out io.Writer) (*Config, *Job, error) {
	c := &Config{}
	j := &Job{}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(out, "Usage: protokol render agenda|minutes|budget -i in.json -o out.pdf [flags]\n\n")
			s := newSettings("render", getenv, out)
			registerRender(s, c, j)
			s.fs.PrintDefaults()
			return nil, nil, ErrHelp
		}
		return nil, nil, errors.New("render what? agenda, minutes or budget")
	}
	j.Document, args = args[0], args[1:]
	switch j.Document {
	case "agenda", "minutes", "budget":
	default:
		return nil, nil, fmt.Errorf("cannot render %q: agenda, minutes or budget", j.Document)
	}
	s := newSettings("render "+j.Document, getenv, out)
	registerRender(s, c, j)
	if err := s.parse(args); err != nil {
		return nil, nil, err
	}
	if j.Input == "" || j.Output == "" {
		return nil, nil, errors.New("both -i (input JSON, - for standard input) and -o (output file, - for standard output) are needed")
	}
	if j.Format == "" {
		switch strings.ToLower(filepath.Ext(j.Output)) {
		case ".xlsx":
			j.Format = "xlsx"
		case ".pdf":
			j.Format = "pdf"
		default:
			if j.Document == "budget" {
				j.Format = "xlsx"
			} else {
				j.Format = "pdf"
			}
		}
	}
	if j.Format != "pdf" && j.Format != "xlsx" {
		return nil, nil, fmt.Errorf("--format must be pdf or xlsx, not %q", j.Format)
	}
	if j.Format == "xlsx" && j.Document != "budget" {
		return nil, nil, fmt.Errorf("%s renders to PDF only", j.Document)
	}
	return c, j, nil
}

func registerRender(s *settings, c *Config, j *Job) {
	s.fs.StringVar(&j.Input, "i", "", "input JSON file (- for standard input)")
	s.fs.StringVar(&j.Output, "o", "", "output file (- for standard output)")
	s.fs.StringVar(&j.Format, "format", "", "pdf or xlsx (default: from the output's extension)")
	s.fs.StringVar(&j.Options.Template, "template", "default", "template set")
	s.fs.BoolVar(&j.Options.Public, "public", false, "the version for publication: closed items show number and title only")
	s.fs.StringVar(&j.Options.Lang, "lang", "", "da or en (default: the document's language)")
	s.dur(&j.Timeout, "timeout", "PROTOKOL_RENDER_TIMEOUT", 60*time.Second, "time the render may take")
	s.common(c)
}

func (s *settings) parse(args []string) error {
	if s.err != nil {
		return s.err
	}
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	if s.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", s.fs.Arg(0))
	}
	for _, f := range s.afterParse {
		f()
	}
	return nil
}

// ParseSize reads "32MiB", "10MB", "512KiB", "1048576".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"kB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 32MiB)", s)
	}
	return n * mult, nil
}

// FormatSize writes a size the way ParseSize reads it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return strconv.FormatInt(n, 10)
}
