package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"protokol/internal/seal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"protokol/internal/config"
	"protokol/internal/render"
)

// Server is the HTTP service.
type Server struct {
	cfg     *config.Config
	r       *render.Renderer
	log     *slog.Logger
	lim     *limiter
	m       *metrics
	ready   atomic.Bool
	handler http.Handler
	quiet   map[string]bool       // routes logged at debug level only
	auth    *authenticator        // nil: no authentication
	trust   *watched[*seal.Trust] // anchors and revocation lists for /v1/verify (nil inside: none given)
}

// New builds the service; it is ready once returned. An authentication
// file that cannot be read is an error.
func New(cfg *config.Config, r *render.Renderer, log *slog.Logger) (*Server, error) {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{cfg: cfg, r: r, log: log, lim: newLimiter(cfg.MaxConcurrent, cfg.QueueLength, cfg.QueueWait, cfg.MemoryBudget)}
	var err error
	if s.auth, err = newAuthenticator(cfg.AuthTokensFile, cfg.AuthUsersFile, log.Warn); err != nil {
		return nil, fmt.Errorf("authentication: %w", err)
	}
	trustFiles := slices.DeleteFunc([]string{cfg.Seal.Trust, cfg.Seal.CRL}, func(f string) bool { return f == "" })
	if s.trust, err = newWatched("trust anchors and revocation lists", trustFiles, func() (*seal.Trust, error) {
		return seal.LoadTrust(cfg.Seal.Trust, cfg.Seal.CRL)
	}, log.Warn); err != nil {
		return nil, err
	}
	s.m = newMetrics(func() float64 { return float64(s.lim.inFlight()) })
	s.ready.Store(true)

	g := gin.New()
	g.HandleMethodNotAllowed = true
	// a trailing slash is served as the path without it (see Handler), never
	// redirected: curl -o turns a 307 into an empty file
	g.RedirectTrailingSlash = false
	g.Use(s.observe, s.recoverPanics)
	s.quiet = map[string]bool{}
	for _, rt := range s.routes() {
		g.Handle(rt.method, rt.path, s.chain(rt)...)
		s.quiet[rt.path] = s.quiet[rt.path] || rt.quiet
	}
	g.NoRoute(func(c *gin.Context) {
		writeProblem(c, &Problem{Type: problemBase + "not-found", Title: "Not found", Status: http.StatusNotFound,
			Detail: "no such endpoint; see /openapi.json", da: "intet sådant endpoint; se /openapi.json", class: "not_found"})
	})
	g.NoMethod(func(c *gin.Context) {
		writeProblem(c, &Problem{Type: problemBase + "method-not-allowed", Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
			Detail: c.Request.Method + " is not allowed here", da: c.Request.Method + " er ikke tilladt her", class: "method"})
	})
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r.URL.Path, r.URL.RawPath = strings.TrimRight(p, "/"), ""
		}
		g.ServeHTTP(w, r)
	})
	return s, nil
}

// Handler is the service as an http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// SetReady marks the service ready or not (draining before shutdown).
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// Run serves on cfg.Addr until ctx ends, then shuts down gracefully:
// readiness turns 503 at once, in-flight requests get ShutdownTimeout to
// finish. A signal on hup reloads the templates.
func Run(ctx context.Context, cfg *config.Config, r *render.Renderer, log *slog.Logger, hup <-chan os.Signal) error {
	s, err := New(cfg, r, log)
	if err != nil {
		return err
	}
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		// no GOMEMLIMIT: without a limit the collector lets the heap grow to
		// twice what is live, and the budget would be spent twice over
		debug.SetMemoryLimit(cfg.MemoryBudget / 3 * 4)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.TLSCert != "" {
		cert, err := newCertificate(cfg.TLSCert, cfg.TLSKey, log.Warn)
		if err != nil {
			ln.Close()
			return fmt.Errorf("TLS: %w", err)
		}
		ln = tls.NewListener(ln, cert.tlsConfig())
	}
	return s.Serve(ctx, ln, hup)
}

// ErrInterrupted, as the cause of Serve's context, stops the service
// without the shutdown delay: Ctrl-C at a terminal.
var ErrInterrupted = errors.New("interrupted")

// pageURL is where a person opens the web page: the listening address,
// with localhost for an address that listens on all interfaces.
func pageURL(a net.Addr, useTLS bool) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	scheme := "http://"
	if useTLS {
		scheme = "https://"
	}
	return scheme + net.JoinHostPort(host, port) + "/"
}

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener, hup <-chan os.Signal) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadTimeout:       s.cfg.ReadTimeout,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	go s.watchTemplates(ctx, hup)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String(), "web_page", pageURL(ln.Addr(), s.cfg.TLSCert != ""), "auth", s.auth != nil, "max_concurrent", s.cfg.MaxConcurrent, "queue", s.cfg.QueueLength)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// not ready, but still serving: load balancers and the kernel's accept
	// queue still send requests for a while, and closing the listener at
	// once would reset them
	s.SetReady(false)
	delay := s.cfg.ShutdownDelay
	if errors.Is(context.Cause(ctx), ErrInterrupted) {
		delay = 0 // a person at a terminal, not a load balancer, stopped it
	}
	s.log.Info("shutting down: not ready, still serving", "delay", delay.String())
	select {
	case <-time.After(delay):
	case err := <-errc:
		return err
	}
	s.log.Info("shutting down: finishing requests in flight", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("stopped")
	return nil
}

// watchTemplates reloads the template sets on SIGHUP and, if configured,
// when the directory changes. A set that fails to load leaves the old
// ones in use.
func (s *Server) watchTemplates(ctx context.Context, hup <-chan os.Signal) {
	var tick <-chan time.Time
	if s.cfg.TemplateDir != "" && s.cfg.TemplatePoll > 0 {
		t := time.NewTicker(s.cfg.TemplatePoll)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			s.reload("SIGHUP")
		case <-tick:
			if s.r.TemplatesChanged() {
				s.reload("changed on disk")
			}
		}
	}
}

func (s *Server) reload(why string) {
	if err := s.r.ReloadTemplates(); err != nil {
		s.log.Error("templates not reloaded; the previous ones stay in use", "why", why, "err", err)
		return
	}
	s.log.Info("templates reloaded", "why", why)
}

func (s *Server) readyz(c *gin.Context) {
	if !s.ready.Load() {
		c.Header("Retry-After", "5")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "shutting down"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "templates": len(s.r.Sets())})
}

// Context keys for what the logging middleware reports.
const (
	ctxClass    = "protokol.class"
	ctxLogErr   = "protokol.err"
	ctxAuth     = "protokol.auth" // why credentials were refused (never the credentials)
	ctxPages    = "protokol.pages"
	ctxReplaced = "protokol.replaced"
	ctxReqID    = "protokol.request_id"
)

// observe gives every request an ID and logs and counts it.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader("X-Request-ID")
	if id == "" || len(id) > 100 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(ctxReqID, id)
	c.Header("X-Request-ID", id)
	// every answer is what its Content-Type says, never sniffed into HTML
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	attrs := []any{"request_id", id, "method", c.Request.Method, "route", route, "status", status,
		"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "bytes", c.Writer.Size()}
	if p, ok := c.Get(ctxPages); ok {
		attrs = append(attrs, "pages", p)
	}
	level := slog.LevelInfo
	if n, ok := c.Get(ctxReplaced); ok {
		// the document printed characters its font lacks as U+FFFD
		attrs = append(attrs, "replaced_characters", n)
		level = slog.LevelWarn
	}
	if cl, ok := c.Get(ctxClass); ok {
		s.m.errors.WithLabelValues(cl.(string)).Inc()
		if cl == "overloaded" {
			s.m.refusals.Inc()
		}
		attrs = append(attrs, "error_class", cl)
	}
	if e, ok := c.Get(ctxLogErr); ok {
		attrs = append(attrs, "err", e)
		level = slog.LevelError
	}
	if reason, ok := c.Get(ctxAuth); ok {
		attrs = append(attrs, "auth_failure", reason)
		level = max(level, slog.LevelWarn)
	}
	if s.quiet[route] {
		level = slog.LevelDebug
	}
	s.log.Log(c.Request.Context(), level, "request", attrs...)
}

// recoverPanics turns a panic into a 500 that says nothing internal; the
// log has everything, with the request ID.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			p := internalProblem(fmt.Errorf("panic: %v", r))
			id, _ := c.Get(ctxReqID)
			s.log.Error("panic recovered", "request_id", id, "panic", fmt.Sprint(r))
			if !c.Writer.Written() {
				writeProblem(c, p)
			}
			c.Abort()
		}
	}()
	c.Next()
}

// Probe asks a running service on addr for path and reports whether it
// answered 200; a wildcard host (":8080") is asked on loopback.
func Probe(addr, path string, useTLS bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	c := &http.Client{Timeout: 3 * time.Second}
	scheme := "http://"
	if useTLS {
		// the service's own certificate, on this host: whether it answers
		// is the question, not who it is
		c.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec
		scheme = "https://"
	}
	resp, err := c.Get(scheme + net.JoinHostPort(host, port) + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", path, resp.Status)
	}
	return nil
}
