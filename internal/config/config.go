// Package config turns flags and their environment mirrors into the
// configuration of the service and of one command-line render. Every
// setting, its variable and its default are declared here, once, and
// printed by --help.
package config

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"protokol/internal/attach"
	"protokol/internal/data"
	"protokol/internal/esdh"
	"protokol/internal/locale"
	"protokol/internal/render"
	"protokol/internal/tmpl"
)

// ErrHelp is returned when --help was asked for (and printed).
var ErrHelp = flag.ErrHelp

// Config is the configuration of the service (and the parts of it a
// command-line render uses).
type Config struct {
	Addr            string        // listen address
	LogFormat       string        // "auto" (text on a terminal, else JSON), "text" or "json"
	AuthTokensFile  string        // bearer tokens' SHA-256, one a line ("" for none)
	AuthUsersFile   string        // name:bcrypt-hash lines for basic auth ("" for none)
	AuthMetrics     bool          // /metrics asks for credentials too
	TLSCert, TLSKey string        // PEM files: serve HTTPS, reloaded when they change
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
	ShutdownDelay   time.Duration // how long the service goes on serving, not ready, after SIGTERM
	MemoryBudget    int64         // bytes the bodies and renders in hand may take together
	TemplateLimits  tmpl.Limits
	RenderLimits    render.Limits
	// AttachmentMemory is the memory of the worker process that reads a
	// packet's attachment files (attach.Worker).
	AttachmentMemory int64
	Seal             Seal
}

// Seal is where the organisation's seal comes from: PEM files or a
// PKCS#12 file, and a timestamp authority; Trust are the anchors a seal
// is verified against (PEM), CRL the revocation lists checked with them.
type Seal struct {
	Cert, Key    string // PEM files
	P12          string // or a PKCS#12 file
	PasswordFile string // its password's file; else $PROTOKOL_SEAL_PASSWORD
	Password     Secret // from the environment only: a flag would show in ps
	TSAURL       string
	Trust        string
	CRL          string // revocation lists (PEM or DER) checked with the anchors
}

// Secret is a string that prints as "[hidden]", in logs and in %v or
// %+v of a configuration alike.
type Secret string

func (Secret) String() string               { return "[hidden]" }
func (Secret) GoString() string             { return "[hidden]" }
func (Secret) LogValue() slog.Value         { return slog.StringValue("[hidden]") }
func (Secret) MarshalText() ([]byte, error) { return []byte("[hidden]"), nil }

// Configured: a seal is given.
func (s Seal) Configured() bool { return s.Cert != "" || s.P12 != "" }

// Job is one command-line render.
type Job struct {
	Document data.Document
	Input    string        // file or "-"
	Output   string        // file or "-"
	Format   render.Format // "" until parsed: then from the output's extension
	Timeout  time.Duration
	Options  render.Options
	// Attachments is the directory of the attachments' PDFs: given, the
	// render is an agenda packet (render.Files).
	Attachments string
	// From is a case system's export format (esdh), or "auto": the input
	// (a file or a directory) is an export, read into a meeting first.
	From string
	// Fill are what an export may lack: the municipality, the place.
	Municipality, Location string
}

// Usage is printed by --help and on a wrong command.
var Usage = `Protokol renders committee agendas, minutes and budget tables.

Usage:
  protokol render agenda|minutes|decisions|budget -i in.json -o out.pdf|out.xlsx [flags]
  protokol serve [flags]
  protokol batch -i DIR|- -o OUTDIR [--kinds …] [-j N] [--shard I/N]   (and: protokol batch merge OUTDIR)
  protokol import sbsys|edoc|fujitsu|acadre|agman|auto EXPORT.xml|DIR [-o meeting.json]
  protokol verify FILE.pdf|DIR… [--trust anchors.pem] [--crl lists.pem] [--json]   (exit 0 if every file's seals hold)
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
	out        io.Writer // where --help prints: standard output
	synopsis   string    // the command's form, first in --help
	first      []string  // flags --help lists first, before the limits
}

// setting registers a flag whose default its environment variable
// overrides: read parses a value (from either), show writes the default
// for --help.
func setting[T any](s *settings, p *T, name, kind, variable string, def T, usage string, read func(string) (T, error), show func(T) string) {
	if v := s.env(variable); v != "" {
		x, err := read(v)
		if err != nil {
			s.err = fmt.Errorf("$%s: %w", variable, err)
		} else {
			def = x
		}
	}
	*p = def
	// a `kind` in backquotes is what --help shows as the flag's type
	help := fmt.Sprintf("%s ($%s, `%s`)", usage, variable, kind)
	if d := show(def); d != "" && d != "0" {
		help += fmt.Sprintf(" (default %s)", d)
	}
	s.fs.Func(name, help, func(v string) (err error) {
		*p, err = read(v)
		return err
	})
}

func (s *settings) str(p *string, name, variable, def, usage string) {
	setting(s, p, name, "string", variable, def, usage, func(v string) (string, error) { return v, nil }, strconv.Quote)
}

func (s *settings) dur(p *time.Duration, name, variable string, def time.Duration, usage string) {
	setting(s, p, name, "duration", variable, def, usage, func(v string) (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration (e.g. 30s)", v)
		}
		return d, nil
	}, time.Duration.String)
}

// posDur is a duration that must be more than 0: a timeout of 0 would
// stop every render at once (or, for the server's own, mean none).
func (s *settings) posDur(p *time.Duration, name, variable string, def time.Duration, usage string) {
	setting(s, p, name, "duration", variable, def, usage, func(v string) (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration (e.g. 30s)", v)
		}
		if d <= 0 {
			return 0, fmt.Errorf("%q: must be more than 0", v)
		}
		return d, nil
	}, time.Duration.String)
}

func (s *settings) boolean(p *bool, name, variable string, def bool, usage string) {
	if v := s.env(variable); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.err = fmt.Errorf("$%s: %q is not true or false", variable, v)
		}
		def = b
	}
	*p = def
	s.fs.BoolVar(p, name, def, fmt.Sprintf("%s ($%s)", usage, variable))
}

func (s *settings) num(p *int, name, variable string, def int, usage string) {
	setting(s, p, name, "number", variable, def, usage, func(v string) (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", v)
		}
		return n, nil
	}, strconv.Itoa)
}

func (s *settings) bytes(p *int64, name, variable string, def int64, usage string) {
	setting(s, p, name, "size", variable, def, usage, ParseSize, FormatSize)
}

func newSettings(name, synopsis string, getenv env, out io.Writer) *settings {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// the flag package's own printing is off: an error is said once, by
	// the caller, and --help prints help() to out
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &settings{fs: fs, env: getenv, out: out, synopsis: synopsis}
}

// help prints the command's form and its flags: the ones a user of the
// command gives first, then the limits and templates an operator sets.
func (s *settings) help() {
	fmt.Fprintf(s.out, "Usage: %s\n\n", s.synopsis)
	var rest []*flag.Flag
	s.fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(s.first, f.Name) {
			rest = append(rest, f)
		}
	})
	for _, name := range s.first {
		if f := s.fs.Lookup(name); f != nil {
			printFlag(s.out, f)
		}
	}
	if len(rest) > 0 && len(s.first) > 0 {
		fmt.Fprintf(s.out, "\nTemplates and limits:\n")
	}
	for _, f := range rest {
		printFlag(s.out, f)
	}
}

func printFlag(w io.Writer, f *flag.Flag) {
	kind, usage := flag.UnquoteUsage(f)
	dash := "--"
	if len(f.Name) == 1 {
		dash = "-"
	}
	line := "  " + dash + f.Name
	if kind != "" && kind != "value" {
		line += " " + kind
	}
	fmt.Fprintf(w, "%s\n      %s", line, usage)
	if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != `""` && !strings.Contains(usage, "(default") {
		fmt.Fprintf(w, " (default %s)", f.DefValue)
	}
	fmt.Fprintln(w)
}

// common registers the template settings both commands use.
func (s *settings) common(c *Config) {
	s.str(&c.TemplateDir, "templates", "PROTOKOL_TEMPLATES", "", "directory of template sets, added to and overriding the embedded ones")
	d := tmpl.DefaultLimits()
	s.posDur(&c.TemplateLimits.Timeout, "template-timeout", "PROTOKOL_TEMPLATE_TIMEOUT", d.Timeout, "time one template execution may take")
	var maxOut int64
	s.bytes(&maxOut, "template-max-output", "PROTOKOL_TEMPLATE_MAX_OUTPUT", int64(d.MaxOutput), "bytes one template execution may write")
	s.num(&c.TemplateLimits.MaxLoops, "template-max-loops", "PROTOKOL_TEMPLATE_MAX_LOOPS", d.MaxLoops, "range iterations in one template execution")
	s.num(&c.TemplateLimits.MaxDepth, "template-max-depth", "PROTOKOL_TEMPLATE_MAX_DEPTH", d.MaxDepth, "nesting of {{template}} calls")
	var maxString int64
	s.bytes(&maxString, "template-max-string", "PROTOKOL_TEMPLATE_MAX_STRING", int64(d.MaxString), "bytes of any string a template helper returns")
	s.num(&c.TemplateLimits.MaxList, "template-max-list", "PROTOKOL_TEMPLATE_MAX_LIST", d.MaxList, "elements of any list a template helper returns (and of until, seq)")
	s.num(&c.TemplateLimits.MaxLiteral, "template-max-range-literal", "PROTOKOL_TEMPLATE_MAX_RANGE_LITERAL", d.MaxLiteral, "largest integer literal a template may range over (checked at load)")
	r := render.DefaultLimits()
	s.num(&c.RenderLimits.MaxPages, "max-pages", "PROTOKOL_MAX_PAGES", r.MaxPages, "pages of one PDF; a larger document is refused (413)")
	s.num(&c.RenderLimits.MaxPDFRows, "max-pdf-rows", "PROTOKOL_MAX_PDF_ROWS", r.MaxPDFRows, "budget table rows in one PDF; a larger budget is refused (413), as a workbook it is not")
	s.num(&c.RenderLimits.MaxAttachmentPages, "max-attachment-pages", "PROTOKOL_MAX_ATTACHMENT_PAGES", r.MaxAttachmentPages, "pages of a packet's attachments, all files together; more are refused (422)")
	s.bytes(&c.RenderLimits.MaxAttachmentBytes, "max-attachment-bytes", "PROTOKOL_MAX_ATTACHMENT_BYTES", r.MaxAttachmentBytes, "bytes of a packet's attachment files together; more are refused (422)")
	s.bytes(&c.AttachmentMemory, "attachment-memory", "PROTOKOL_ATTACHMENT_MEMORY", attach.DefaultWorkerMemory, "memory of the process that reads a packet's attachment files (beyond its runtime's); a file that needs more is refused (422), the service unharmed")
	s.str(&c.Seal.Cert, "seal-cert", "PROTOKOL_SEAL_CERT", "", "the organisation's seal certificate (PEM, its issuers after it): seal=true / --seal signs minutes and decision records with it")
	s.str(&c.Seal.Key, "seal-key", "PROTOKOL_SEAL_KEY", "", "the seal's private key (PEM); refused if every user may read the file")
	s.str(&c.Seal.P12, "seal-p12", "PROTOKOL_SEAL_P12", "", "or the seal as a PKCS#12 file (.p12/.pfx), its password in --seal-password-file or $PROTOKOL_SEAL_PASSWORD")
	s.str(&c.Seal.PasswordFile, "seal-password-file", "PROTOKOL_SEAL_PASSWORD_FILE", "", "a file holding the PKCS#12 file's password")
	s.str(&c.Seal.TSAURL, "tsa-url", "PROTOKOL_TSA_URL", "", "an RFC 3161 timestamp authority: each seal is timestamped (PAdES baseline B-T)")
	c.Seal.Password = Secret(s.env("PROTOKOL_SEAL_PASSWORD"))
	s.afterParse = append(s.afterParse, func() {
		c.TemplateLimits.MaxOutput = int(maxOut)
		c.TemplateLimits.MaxString = int(maxString)
	})
}

// defaultMemoryBudget is three quarters of the Go memory limit when one is
// set (GOMEMLIMIT), leaving room for the runtime and the garbage not yet
// collected; 1 GiB otherwise.
func defaultMemoryBudget() int64 {
	if l := debug.SetMemoryLimit(-1); l < math.MaxInt64 {
		return l / 4 * 3
	}
	return 1 << 30
}

// ParseServe reads the service's configuration.
func ParseServe(args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	c := &Config{}
	s := newSettings("serve", "protokol serve [flags]", getenv, out)
	s.first = []string{"addr", "log-format", "auth-tokens-file", "auth-users-file", "auth-metrics", "tls-cert", "tls-key"}
	s.str(&c.Addr, "addr", "PROTOKOL_ADDR", ":8080", "listen address HOST:PORT")
	s.str(&c.LogFormat, "log-format", "PROTOKOL_LOG_FORMAT", "auto", "logs as text or json; auto: text on a terminal, JSON otherwise")
	s.str(&c.AuthTokensFile, "auth-tokens-file", "PROTOKOL_AUTH_TOKENS_FILE", "", "bearer tokens for services: a file of sha256:<hex> lines (protokol auth token makes one); read again when it changes")
	s.str(&c.AuthUsersFile, "auth-users-file", "PROTOKOL_AUTH_USERS_FILE", "", "basic auth for people (the web page): a file of name:bcrypt-hash lines (protokol auth user NAME, or htpasswd -nB); read again when it changes")
	s.boolean(&c.AuthMetrics, "auth-metrics", "PROTOKOL_AUTH_METRICS", false, "with authentication on, /metrics asks for credentials too (the probes never do)")
	s.str(&c.TLSCert, "tls-cert", "PROTOKOL_TLS_CERT", "", "serve HTTPS with this certificate chain (PEM); read again when it changes")
	s.str(&c.TLSKey, "tls-key", "PROTOKOL_TLS_KEY", "", "the certificate's private key (PEM)")
	s.common(c)
	s.dur(&c.TemplatePoll, "template-poll", "PROTOKOL_TEMPLATE_POLL", 2*time.Second, "how often the template directory is checked for changes (0: only on SIGHUP)")
	s.bytes(&c.BodyLimit, "body-limit", "PROTOKOL_BODY_LIMIT", 16<<20, "largest request body")
	s.posDur(&c.RenderTimeout, "render-timeout", "PROTOKOL_RENDER_TIMEOUT", 30*time.Second, "time one render may take")
	s.num(&c.MaxConcurrent, "max-concurrent", "PROTOKOL_MAX_CONCURRENT", runtime.NumCPU(), "renders at once (default: the CPUs)")
	s.num(&c.QueueLength, "queue", "PROTOKOL_QUEUE", 64, "requests that may wait for a render slot (their bodies are held); more are refused with 503")
	s.dur(&c.QueueWait, "queue-wait", "PROTOKOL_QUEUE_WAIT", 5*time.Second, "how long a request may wait for a render slot")
	s.posDur(&c.ReadTimeout, "read-timeout", "PROTOKOL_READ_TIMEOUT", 30*time.Second, "time to read a request")
	s.posDur(&c.WriteTimeout, "write-timeout", "PROTOKOL_WRITE_TIMEOUT", 60*time.Second, "time to answer a request")
	s.posDur(&c.IdleTimeout, "idle-timeout", "PROTOKOL_IDLE_TIMEOUT", 120*time.Second, "how long an idle keep-alive connection stays open")
	s.posDur(&c.ShutdownTimeout, "shutdown-timeout", "PROTOKOL_SHUTDOWN_TIMEOUT", 30*time.Second, "time in-flight requests get to finish after SIGTERM")
	s.dur(&c.ShutdownDelay, "shutdown-delay", "PROTOKOL_SHUTDOWN_DELAY", 5*time.Second, "after SIGTERM, how long the service goes on serving while /readyz says 503, so load balancers stop sending first")
	s.str(&c.Seal.Trust, "trust", "PROTOKOL_TRUST", "", "trust anchors for POST /v1/verify: a PEM file of CA certificates (e.g. the Danish public CAs for organisation certificates); read again when it changes")
	s.str(&c.Seal.CRL, "crl", "PROTOKOL_CRL", "", "revocation lists for POST /v1/verify: a file of the anchors' CRLs (PEM or DER); read again when it changes, so a job can keep it fresh")
	s.bytes(&c.MemoryBudget, "memory-budget", "PROTOKOL_MEMORY_BUDGET", defaultMemoryBudget(), "memory the bodies and renders in hand may take together (default: 3/4 of GOMEMLIMIT, else 1GiB); a render is admitted by its expected cost")
	if err := s.parse(args); err != nil {
		return nil, err
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if err := c.Seal.check(); err != nil {
		return nil, err
	}
	if !slices.Contains([]string{"auto", "text", "json"}, c.LogFormat) {
		return nil, fmt.Errorf("--log-format must be auto, text or json, not %q", c.LogFormat)
	}
	if c.MaxConcurrent < 1 || c.QueueLength < 0 || c.BodyLimit < 1 || c.MemoryBudget < 1 {
		return nil, errors.New("--max-concurrent, --body-limit and --memory-budget must be at least 1, --queue at least 0")
	}
	return c, nil
}

const renderUsage = "protokol render agenda|minutes|decisions|budget -i in.json -o out.pdf|out.xlsx [flags]"

// ParseRender reads a command-line render: the document, then flags.
func ParseRender(args []string, getenv func(string) string, out io.Writer) (*Config, *Job, error) {
	c := &Config{}
	j := &Job{}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		s := newSettings("render", renderUsage, getenv, out)
		registerRender(s, c, j)
		s.help()
		return nil, nil, ErrHelp
	}
	doc, err := data.ParseDocument(first(args))
	if err != nil {
		return nil, nil, renderFormError(args)
	}
	j.Document, args = doc, args[1:]
	s := newSettings("render "+string(j.Document), renderUsage, getenv, out)
	registerRender(s, c, j)
	if err := s.parse(args); err != nil {
		var pe *positionalError
		if errors.As(err, &pe) {
			return nil, nil, positionalFiles(j, pe.args)
		}
		return nil, nil, err
	}
	if j.Input == "" || j.Output == "" {
		return nil, nil, fmt.Errorf("both -i (input JSON, - for standard input) and -o (output file, - for standard output) are needed: %s", renderUsage)
	}
	if j.Format == "" {
		j.Format = render.DefaultFormat(j.Document)
		if ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(j.Output)), "."); ext != "" && j.Output != "-" {
			f, err := render.ParseFormat(ext)
			if err != nil {
				return nil, nil, fmt.Errorf("-o %s: the format follows the extension, .pdf or .xlsx; name the file so, or give --format", j.Output)
			}
			j.Format = f
		}
	}
	if err := c.Seal.check(); err != nil {
		return nil, nil, err
	}
	if j.Options.Seal && !c.Seal.Configured() {
		return nil, nil, errors.New("--seal needs the seal: --seal-cert and --seal-key, or --seal-p12")
	}
	o := j.Options
	if j.Attachments != "" {
		o.Files = &render.Files{} // the directory is opened later; the rule is the same
	}
	var oe *render.OptionError
	if err := o.Check(j.Document, j.Format); errors.As(err, &oe) {
		if oe.Option == "format" {
			return nil, nil, errors.New(oe.Message)
		}
		return nil, nil, fmt.Errorf("--%s %s", oe.Option, oe.Message)
	}
	return c, j, nil
}

// check: one seal, given whole.
func (s Seal) check() error {
	switch {
	case (s.Cert == "") != (s.Key == ""):
		return errors.New("--seal-cert and --seal-key go together")
	case s.Cert != "" && s.P12 != "":
		return errors.New("the seal is given twice: --seal-cert and --seal-key, or --seal-p12, not both")
	case s.TSAURL != "" && !s.Configured():
		return errors.New("--tsa-url timestamps a seal: give the seal too (--seal-cert and --seal-key, or --seal-p12)")
	case s.TSAURL != "" && !strings.HasPrefix(s.TSAURL, "http://") && !strings.HasPrefix(s.TSAURL, "https://"):
		return fmt.Errorf("--tsa-url must be an http:// or https:// address, not %q", s.TSAURL)
	}
	return nil
}

// ParseImport reads "protokol import FORMAT FILE|DIR [-o out.json] [flags]".
func ParseImport(args []string, getenv func(string) string, out io.Writer) (j *Job, output string, err error) {
	const usage = "protokol import sbsys|edoc|fujitsu|acadre|agman|auto FILE.xml|DIR [-o meeting.json] [--municipality NAME] [--location PLACE] [--lang da|en]"
	j = &Job{}
	s := newSettings("import", usage, getenv, out)
	s.fs.StringVar(&output, "o", "-", "output JSON file (- for standard output)")
	s.fs.StringVar(&j.Municipality, "municipality", "", "the municipality, when the export names none (SBSYS)")
	s.fs.StringVar(&j.Location, "location", "", "the meeting's place, when the export names none (eDoc)")
	s.fs.Func("lang", "the language of what is said about the export: da or en (default en)", func(v string) (err error) {
		j.Options.Lang, err = locale.Parse(v)
		return err
	})
	s.posDur(&j.Timeout, "timeout", "PROTOKOL_TIMEOUT", 60*time.Second, "time the import may take")
	var pe *positionalError
	if err = s.parse(args); errors.As(err, &pe) {
		args = pe.args
	} else if err != nil {
		return nil, "", err
	} else {
		args = nil
	}
	if len(args) != 2 {
		return nil, "", errors.New("the format and the export: " + usage)
	}
	if args[0] != "auto" {
		if _, err := esdh.ParseFormat(args[0]); err != nil {
			return nil, "", fmt.Errorf("the format %w", err)
		}
	}
	j.From, j.Input = args[0], args[1]
	return j, output, nil
}

// Batch is one batch run (package batch), or a merge of shards'
// manifests.
type Batch struct {
	Input, Out    string
	Kinds         string
	Workers       int
	Shard, Shards int
	Options       render.Options
	Attachments   string
	Municipality  string
	Location      string
	Merge         bool          // protokol batch merge DIR
	Timeout       time.Duration // one document's render
}

const batchUsage = "protokol batch -i DIR|- -o OUTDIR [--kinds agenda,minutes,public,decisions,packet,xlsx,pdf] [-j N] [--shard I/N] [--seal] [flags]\n       protokol batch merge OUTDIR"

// ParseBatch reads "protokol batch …"; the shard may come from an
// Indexed Job: JOB_COMPLETION_INDEX with PROTOKOL_SHARDS (the job's
// completions).
func ParseBatch(args []string, getenv func(string) string, out io.Writer) (*Config, *Batch, error) {
	c, b := &Config{}, &Batch{}
	if len(args) > 0 && args[0] == "merge" {
		if len(args) != 2 {
			return nil, nil, errors.New("which directory? protokol batch merge OUTDIR")
		}
		b.Merge, b.Out = true, args[1]
		return c, b, nil
	}
	s := newSettings("batch", batchUsage, getenv, out)
	s.first = []string{"i", "o", "kinds", "j", "shard", "template", "lang", "attachments", "municipality", "location"}
	s.fs.StringVar(&b.Input, "i", "", "a directory of meetings and budgets (.json) and case-system exports (.xml), at any depth; - for NDJSON on standard input")
	s.fs.StringVar(&b.Out, "o", "", "the output directory: a folder per input, its manifest.json")
	s.str(&b.Kinds, "kinds", "PROTOKOL_KINDS", "agenda,minutes,xlsx", "what to make: agenda, minutes, decisions, public (their public versions), packet (an agenda with its attachment files), xlsx, pdf (budgets)")
	s.num(&b.Workers, "j", "PROTOKOL_WORKERS", runtime.NumCPU(), "renders at once (default: the CPUs)")
	s.fs.Func("shard", "I/N: this run's stable share of the inputs, 0 ≤ I < N (an Indexed Job gives JOB_COMPLETION_INDEX and PROTOKOL_SHARDS instead)", func(v string) error {
		i, n, ok := strings.Cut(v, "/")
		var err1, err2 error
		b.Shard, err1 = strconv.Atoi(i)
		b.Shards, err2 = strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || b.Shards < 1 || b.Shard < 0 || b.Shard >= b.Shards {
			return fmt.Errorf("must be I/N with 0 ≤ I < N, not %q", v)
		}
		return nil
	})
	s.fs.StringVar(&b.Options.Template, "template", tmpl.DefaultSet, "template set")
	s.fs.Func("lang", "da or en (default: each document's language)", func(v string) (err error) {
		b.Options.Lang, err = locale.Parse(v)
		return err
	})
	s.fs.StringVar(&b.Attachments, "attachments", "", "the directory of the attachments' PDFs of JSON meetings (an export's are beside it)")
	s.fs.StringVar(&b.Municipality, "municipality", "", "for exports that name none (SBSYS)")
	s.fs.StringVar(&b.Location, "location", "", "for exports that name no place (eDoc)")
	s.fs.BoolVar(&b.Options.Seal, "seal", false, "seal the minutes and decision records (their public versions too) with the seal configured (--seal-cert and --seal-key, or --seal-p12); agendas, packets and budgets are not sealed")
	s.posDur(&b.Timeout, "timeout", "PROTOKOL_TIMEOUT", 60*time.Second, "time one document's render may take (counted once its memory is admitted); a longer one fails, the others go on")
	s.common(c)
	s.bytes(&c.MemoryBudget, "memory-budget", "PROTOKOL_MEMORY_BUDGET", defaultMemoryBudget(), "memory the renders in hand may take together (default: 3/4 of GOMEMLIMIT, else 1GiB); each is admitted by its expected cost, as the service admits them")
	var pe *positionalError
	if err := s.parse(args); errors.As(err, &pe) {
		return nil, nil, fmt.Errorf("unexpected argument %q: %s", pe.args[0], batchUsage)
	} else if err != nil {
		return nil, nil, err
	}
	if b.Input == "" || b.Out == "" {
		return nil, nil, errors.New("both -i and -o are needed: " + batchUsage)
	}
	if b.Workers < 1 {
		return nil, nil, errors.New("-j must be at least 1")
	}
	if err := c.Seal.check(); err != nil {
		return nil, nil, err
	}
	if b.Options.Seal && !c.Seal.Configured() {
		return nil, nil, errors.New("--seal needs the seal: --seal-cert and --seal-key, or --seal-p12")
	}
	if b.Shards == 0 {
		if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
			i, err1 := strconv.Atoi(idx)
			n, err2 := strconv.Atoi(getenv("PROTOKOL_SHARDS"))
			if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
				return nil, nil, fmt.Errorf("JOB_COMPLETION_INDEX=%q needs PROTOKOL_SHARDS, the job's completions, above it (got %q)", idx, getenv("PROTOKOL_SHARDS"))
			}
			b.Shard, b.Shards = i, n
		}
	}
	return c, b, nil
}

// Verify is "protokol verify FILE|DIR… [--trust FILE] [--crl FILE] [--json] [--lang da|en]".
type Verify struct {
	Files      []string // PDF files, or directories of them
	Trust, CRL string
	JSON       bool
	Lang       locale.Lang
}

const verifyUsage = "protokol verify FILE.pdf|DIR… [--trust anchors.pem] [--crl lists.pem] [--json] [--lang da|en]"

// ParseVerify reads "protokol verify …".
func ParseVerify(args []string, getenv func(string) string, out io.Writer) (*Verify, error) {
	v := &Verify{}
	s := newSettings("verify", verifyUsage, getenv, out)
	s.str(&v.Trust, "trust", "PROTOKOL_TRUST", "", "trust anchors: a PEM file of CA certificates (e.g. the Danish public CAs)")
	s.str(&v.CRL, "crl", "PROTOKOL_CRL", "", "revocation lists: a file of the anchors' CRLs (PEM or DER); a certificate revoked before a trusted timestamp's time (or at all, without one) is not trusted")
	s.fs.BoolVar(&v.JSON, "json", false, "print the report as JSON (as POST /v1/verify answers; its problems in --lang); for several files a line of JSON each, with its file")
	s.fs.Func("lang", "da or en (default da)", func(l string) (err error) {
		v.Lang, err = locale.Parse(l)
		return err
	})
	var pe *positionalError
	if err := s.parse(args); errors.As(err, &pe) {
		v.Files = pe.args
	} else if err != nil {
		return nil, err
	}
	if len(v.Files) == 0 {
		return nil, errors.New("which file? " + verifyUsage)
	}
	v.Lang = cmp.Or(v.Lang, locale.Lang("da"))
	return v, nil
}

// renderFormError explains the form of a render command that does not
// start with the document: it shows the command as it should have been.
func renderFormError(args []string) error {
	for i, a := range args {
		if _, err := data.ParseDocument(a); err == nil {
			rest := slices.Concat(args[:i], args[i+1:])
			return fmt.Errorf("the document comes first, before the flags: protokol render %s %s", a, strings.Join(rest, " "))
		}
	}
	if len(args) == 0 {
		return fmt.Errorf("which document? agenda, minutes, decisions or budget: %s", renderUsage)
	}
	return fmt.Errorf("cannot render %q: agenda, minutes, decisions or budget: %s", args[0], renderUsage)
}

// positionalFiles answers "render agenda in.json out.pdf" (or "render
// agenda in.json -o out.pdf") with the command as it should be.
func positionalFiles(j *Job, args []string) error {
	in, out := j.Input, j.Output
	for _, a := range args {
		switch {
		case in == "":
			in = a
		case out == "":
			out = a
		default:
			return fmt.Errorf("unexpected argument %q: protokol render %s -i %s -o %s", a, j.Document, in, out)
		}
	}
	if out == "" {
		out = "out." + string(render.DefaultFormat(j.Document))
	}
	return fmt.Errorf("input and output are given with -i and -o: protokol render %s -i %s -o %s", j.Document, in, out)
}

func registerRender(s *settings, c *Config, j *Job) {
	s.first = []string{"i", "o", "format", "template", "public", "lang", "pdf", "addendum", "signatures", "seal", "attachments", "from", "municipality", "location", "timeout"}
	s.fs.StringVar(&j.Input, "i", "", "input JSON file (- for standard input)")
	s.fs.StringVar(&j.Output, "o", "", "output file (- for standard output)")
	s.fs.Func("format", "pdf or xlsx (default: from the output's extension)", func(v string) (err error) {
		j.Format, err = render.ParseFormat(v)
		return err
	})
	s.fs.StringVar(&j.Options.Template, "template", tmpl.DefaultSet, "template set")
	s.fs.BoolVar(&j.Options.Public, "public", false, "the version for publication: closed items show number and title only")
	s.fs.BoolVar(&j.Options.Addendum, "addendum", false, "agenda: the supplementary agenda (tillægsdagsorden), the items marked addendum only")
	s.fs.BoolVar(&j.Options.Signatures, "signatures", false, "minutes: end with a signature sheet for the members present")
	s.fs.BoolVar(&j.Options.Seal, "seal", false, "minutes and decision records: sign with the organisation's seal (PAdES; see --seal-cert)")
	s.fs.Func("pdf", "archive (tagged PDF/UA-1 and PDF/A-2a, the default) or plain", func(v string) error {
		switch v {
		case "archive":
			j.Options.Plain = false
		case "plain":
			j.Options.Plain = true
		default:
			return fmt.Errorf("must be archive or plain, not %q", v)
		}
		return nil
	})
	s.fs.Func("lang", "da or en (default: the document's language)", func(v string) (err error) {
		j.Options.Lang, err = locale.Parse(v)
		return err
	})
	s.posDur(&j.Timeout, "timeout", "PROTOKOL_TIMEOUT", 60*time.Second, "time the whole render may take")
	s.fs.Func("from", "the input is a case system's export: sbsys, edoc, fujitsu, acadre, agman, or auto (by its root element); -i a file or its directory, whose attachment files make the packet", func(v string) error {
		if v != "auto" {
			if _, err := esdh.ParseFormat(v); err != nil {
				return err
			}
		}
		j.From = v
		return nil
	})
	s.fs.StringVar(&j.Municipality, "municipality", "", "with --from: the municipality, when the export names none (SBSYS)")
	s.fs.StringVar(&j.Location, "location", "", "with --from: the meeting's place, when the export names none (eDoc)")
	s.fs.StringVar(&j.Attachments, "attachments", "", "agenda packet: the directory of the attachments' PDFs, each looked up by the name in its file field (never outside the directory)")
	s.common(c)
}

// ParseHealth reads the health check's one flag.
func ParseHealth(args []string, getenv func(string) string, out io.Writer) (addr string, useTLS bool, err error) {
	s := newSettings("health", "protokol health [--addr HOST:PORT]", getenv, out)
	s.str(&addr, "addr", "PROTOKOL_ADDR", ":8080", "address of the service to ask, HOST:PORT")
	var cert string
	s.str(&cert, "tls-cert", "PROTOKOL_TLS_CERT", "", "set when the service serves HTTPS: the probe speaks TLS")
	err = s.parse(args)
	return addr, cert != "", err
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// positionalError is an argument where only flags belong.
type positionalError struct{ args []string }

func (e *positionalError) Error() string { return fmt.Sprintf("unexpected argument %q", e.args[0]) }

func (s *settings) parse(args []string) error {
	if s.err != nil {
		return s.err
	}
	// flags may come after an argument too: parse on past each one, so
	// "render agenda in.json -o out.pdf" is read whole
	var positional []string
	for {
		err := s.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			s.help()
			return ErrHelp
		}
		if err != nil {
			return fmt.Errorf("%w (protokol %s --help lists the flags)", err, strings.SplitN(s.fs.Name(), " ", 2)[0])
		}
		if s.fs.NArg() == 0 {
			break
		}
		positional = append(positional, s.fs.Arg(0))
		args = s.fs.Args()[1:]
	}
	if len(positional) > 0 {
		return &positionalError{positional}
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
