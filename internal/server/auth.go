package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
)

// Authentication is optional and off by default. With it on, every route
// but the probes (and /metrics, unless --auth-metrics) asks for one of:
//
//   - a bearer token (services): --auth-tokens-file holds one SHA-256 of
//     a token a line ("sha256:<hex>", a comment after it), so the file
//     holds no secret; a token presented is hashed and compared with
//     every line in constant time;
//   - basic auth (people, so the web page works behind it):
//     --auth-users-file holds "name:bcrypt-hash" lines (htpasswd -B).
//
// Both files are read again when they change (checked at most once a
// second, on a request): a revoked token stops working without a
// restart. A file that fails to read keeps the last good set and is
// logged. Failures answer 401 with WWW-Authenticate, are counted by
// reason and logged without the secret.

type authenticator struct {
	tokensFile, usersFile string
	creds                 *watched[*credentials] // the files as last read well

	slots chan struct{} // bcrypt comparisons at once: each costs tens of milliseconds
	dummy []byte        // a hash to compare an unknown name's password with
}

// credentials are what the files say, and the passwords checked against
// them: a reload starts with none checked.
type credentials struct {
	tokens [][sha256.Size]byte
	users  map[string][]byte // name -> bcrypt hash

	mu       sync.Mutex
	verified map[[sha256.Size]byte]bool // name and password already checked
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// newAuthenticator loads the files; nil when neither is set (auth off).
func newAuthenticator(tokensFile, usersFile string, log func(string, ...any)) (*authenticator, error) {
	if tokensFile == "" && usersFile == "" {
		return nil, nil
	}
	a := &authenticator{tokensFile: tokensFile, usersFile: usersFile, slots: make(chan struct{}, 2)}
	if usersFile != "" {
		// made here, not when the package loads: every process of the
		// program (a render, a packet's attachment worker) would pay for it
		a.dummy, _ = bcrypt.GenerateFromPassword([]byte("no such user"), bcrypt.DefaultCost)
	}
	files := slices.DeleteFunc([]string{tokensFile, usersFile}, func(f string) bool { return f == "" })
	var err error
	if a.creds, err = newWatched("authentication files", files, a.load, log); err != nil {
		return nil, err
	}
	return a, nil
}

// load reads both files.
func (a *authenticator) load() (*credentials, error) {
	c := &credentials{users: map[string][]byte{}, verified: map[[sha256.Size]byte]bool{}}
	if a.tokensFile != "" {
		err := readLines(a.tokensFile, func(n int, line string) error {
			field := strings.Fields(line)[0]
			hexed, ok := strings.CutPrefix(field, "sha256:")
			b, err := hex.DecodeString(hexed)
			if !ok || err != nil || len(b) != sha256.Size {
				return fmt.Errorf("line %d is not sha256:<64 hex digits> (make one with: protokol auth token)", n)
			}
			c.tokens = append(c.tokens, [sha256.Size]byte(b))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if a.usersFile != "" {
		err := readLines(a.usersFile, func(n int, line string) error {
			name, hash, ok := strings.Cut(line, ":")
			if _, err := bcrypt.Cost([]byte(hash)); !ok || name == "" || err != nil {
				return fmt.Errorf("line %d is not name:bcrypt-hash (make one with: protokol auth user NAME, or htpasswd -nB NAME)", n)
			}
			c.users[name] = []byte(hash)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readLines calls line for each line that is not blank or a # comment.
func readLines(path string, line func(int, string) error) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if err := line(n, t); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return sc.Err()
}

// errAuthBusy: too many password checks at once (a guessing attack).
var errAuthBusy = errors.New("busy")

// check says why a request's credentials are not good ("" when they are).
func (a *authenticator) check(ctx context.Context, r *http.Request) (reason string, err error) {
	creds := a.creds.get()
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	switch {
	case h == "":
		return "missing", nil
	case strings.EqualFold(scheme, "Bearer") && a.tokensFile != "":
		sum := sha256.Sum256([]byte(strings.TrimSpace(cred)))
		found := 0
		for _, t := range creds.tokens { // every line, whatever matched: no timing to learn from
			found |= subtle.ConstantTimeCompare(sum[:], t[:])
		}
		if found == 1 {
			return "", nil
		}
		return "bad_token", nil
	case strings.EqualFold(scheme, "Basic") && a.usersFile != "":
		name, pass, ok := r.BasicAuth()
		if !ok {
			return "malformed", nil
		}
		return a.checkUser(ctx, creds, name, pass)
	}
	return "wrong_scheme", nil
}

func (a *authenticator) checkUser(ctx context.Context, c *credentials, name, pass string) (string, error) {
	key := sha256.Sum256([]byte(name + "\x00" + pass))
	hash, known := c.users[name]
	c.mu.Lock()
	ok := c.verified[key]
	c.mu.Unlock()
	if ok {
		return "", nil // checked before: a page's every request must not cost a bcrypt
	}
	if !known {
		hash = a.dummy // the same work for an unknown name: no timing to learn names from
	}
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(time.Second):
		return "", errAuthBusy
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(pass))
	<-a.slots
	if err != nil || !known {
		return "bad_password", nil
	}
	c.mu.Lock()
	if len(c.verified) < 10_000 {
		c.verified[key] = true
	}
	c.mu.Unlock()
	return "", nil
}

// challenge is the WWW-Authenticate header of a 401: the schemes on.
func (a *authenticator) challenge() []string {
	var out []string
	if a.tokensFile != "" {
		out = append(out, `Bearer realm="protokol"`)
	}
	if a.usersFile != "" {
		out = append(out, `Basic realm="protokol", charset="UTF-8"`)
	}
	return out
}

// authenticate is the middleware of every route that is not open.
func (s *Server) authenticate(c *gin.Context) {
	reason, err := s.auth.check(c.Request.Context(), c.Request)
	if errors.Is(err, errAuthBusy) {
		writeProblem(c, problemFor(overloaded(1, "too many password checks at once; try again shortly", "for mange adgangskoder tjekkes på én gang; prøv igen om lidt")))
		c.Abort()
		return
	}
	if err != nil || reason == "" {
		if err == nil {
			c.Next()
			return
		}
		c.Abort()
		return
	}
	s.m.authFailures.WithLabelValues(reason).Inc()
	c.Set(ctxClass, "unauthorized")
	c.Set(ctxAuth, reason) // the reason, never the credentials
	for _, ch := range s.auth.challenge() {
		c.Writer.Header().Add("WWW-Authenticate", ch)
	}
	writeProblem(c, &Problem{Type: problemBase + "unauthorized", Title: "Unauthorized", Status: http.StatusUnauthorized,
		Detail: "this service asks for credentials: " + strings.Join(s.auth.challenge(), " or "),
		da:     "tjenesten beder om adgangsoplysninger: " + strings.Join(s.auth.challenge(), " eller "), class: "unauthorized"})
	c.Abort()
}
