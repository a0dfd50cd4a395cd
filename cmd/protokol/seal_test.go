package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"protokol/examples"
	"protokol/internal/seal"
	"protokol/internal/seal/sealtest"
)

// From the command line: render --seal with the seal's PEM files, then
// verify answers who, when, whole file and trust, in Danish by default
// and as JSON; the exit status says whether the seal holds.
func TestSealAndVerifyCommands(t *testing.T) {
	ca := sealtest.NewCA(t, "Protokol Test Root")
	dir := t.TempDir()
	signer := ca.Signer(t, "Odense Kommune", "ecdsa")
	certPath, keyPath := sealtest.WriteSigner(t, dir, signer)
	trust := ca.WritePEM(t, dir)
	in := filepath.Join("..", "..", "examples", examples.Minutes)
	out := filepath.Join(dir, "referat.pdf")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"render", "minutes", "-i", in, "-o", out, "--signatures", "--seal", "--seal-cert", certPath, "--seal-key", keyPath}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("render --seal: %d %s", code, stderr.String())
	}
	stdout.Reset()
	if code := run([]string{"verify", out, "--trust", trust}, nil, &stdout, &stderr); code != 0 {
		t.Errorf("verify: %d %s %s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{"Forseglet af:   Odense Kommune\n", "Certifikat:     SERIALNUMBER=CVR:12345678-UID:1,CN=Odense Kommune", "Udstedt af:     CN=Protokol Test Root", "Uændret:        ja", "Hele filen:     ja", "Betroet:        ja", "underskriverens egen angivelse", "Spærring:       ikke tjekket"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("verify says no %q:\n%s", want, stdout.String())
		}
	}
	// revoked (the time is only claimed): not trusted, exit 1; a current
	// list that does not name it: good
	for _, c := range []struct {
		revoked map[*x509.Certificate]time.Time
		code    int
		want    string
	}{
		{map[*x509.Certificate]time.Time{signer.Cert: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)}, 1, "Spærring:       SPÆRRET 2020-03-01T01:00:00+01:00"},
		{nil, 0, "Spærring:       ikke spærret"},
	} {
		crl := filepath.Join(dir, "crl.der")
		if err := os.WriteFile(crl, ca.CRL(t, time.Now().Add(time.Hour), c.revoked), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout.Reset()
		if code := run([]string{"verify", out, "--trust", trust, "--crl", crl}, nil, &stdout, &stderr); code != c.code || !strings.Contains(stdout.String(), c.want) {
			t.Errorf("verify --crl: %d, not %d with %q:\n%s", code, c.code, c.want, stdout.String())
		}
	}
	// no anchors: intact, not trusted, exit 1; the problem in Danish by
	// default, in English with --lang en
	stdout.Reset()
	if code := run([]string{"verify", out}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "der er ikke angivet betroede rodcertifikater (--trust)") {
		t.Errorf("verify without anchors, in Danish: %d\n%s", code, stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"verify", "--lang", "en", out}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "Trusted:        NO") || !strings.Contains(stdout.String(), "Unchanged:      yes") {
		t.Errorf("verify without anchors: %d\n%s", code, stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"verify", "--json", "--trust", trust, out}, nil, &stdout, &stderr); code != 0 {
		t.Errorf("verify --json: %d", code)
	}
	var rep seal.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || len(rep.Seals) != 1 || !rep.Seals[0].Valid() {
		t.Errorf("verify --json: %v %s", err, stdout.String())
	}
	// a changed byte: exit 1, not intact
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/4] ^= 1
	changed := filepath.Join(dir, "changed.pdf")
	if err := os.WriteFile(changed, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run([]string{"verify", changed, "--trust", trust}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "Uændret:        NEJ") {
		t.Errorf("a changed file: %d\n%s", code, stdout.String())
	}
	// an unsealed file: exit 1, "intet segl"
	stdout.Reset()
	if code := run([]string{"verify", in}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "intet segl") {
		t.Errorf("an unsealed file: %d %s", code, stdout.String())
	}
	verifyAnArchive(t, out, changed, trust)
}

// verifyAnArchive checks a directory of sealed minutes in one command:
// every PDF at any depth (hidden folders and what is no file passed
// over), a line of JSON each with --json, a count at the end, exit 0 only
// when every file holds; a pipe named as a file fails without blocking.
func verifyAnArchive(t *testing.T, sealed, changed, trust string) {
	archive := t.TempDir()
	b, err := os.ReadFile(sealed)
	if err != nil {
		t.Fatal(err)
	}
	c, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"2012/05-22/referat.pdf": b, "2013/01-10/Referat.PDF": b, "2013/02-14/referat.pdf": c,
		"2013/02-14/dagsorden.pdf": []byte("%PDF-1.7\n%%EOF\n"), ".trash/broken.pdf": c, "2013/notes.txt": []byte("x")} {
		p := filepath.Join(archive, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pipe := filepath.Join(archive, "2013", "pipe.pdf")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"verify", archive, "--trust", trust}, nil, &stdout, &stderr); code != 1 || !strings.HasSuffix(stdout.String(), "4 filer: 2 holder, 1 holder ikke, 1 uden segl, 0 kunne ikke læses\n") {
		t.Errorf("the archive: %d\n%s%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	holds := []string{filepath.Join(archive, "2012", "05-22", "referat.pdf"), filepath.Join(archive, "2013", "01-10", "Referat.PDF")}
	if code := run(append([]string{"verify", "--json", "--trust", trust}, holds...), nil, &stdout, &stderr); code != 0 {
		t.Errorf("two sealed files: %d %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	for i, line := range lines {
		var rep struct {
			File string `json:"file"`
			seal.Report
		}
		if err := json.Unmarshal([]byte(line), &rep); err != nil || len(lines) != 2 || rep.File != holds[i] || len(rep.Seals) != 1 || !rep.Seals[0].Valid() {
			t.Errorf("line %d of %d: %v %s", i+1, len(lines), err, line)
		}
	}
	stderr.Reset()
	if code := run([]string{"verify", pipe, "--trust", trust}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "is not a file") {
		t.Errorf("a pipe: %d %s", code, stderr.String())
	}
}

// The seal's settings are checked before anything renders: --seal with
// no seal, half a seal, a key every user may read; the password given in
// the environment never shows in --help or an error.
func TestSealSettingsRefused(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	dir := t.TempDir()
	signer := ca.Signer(t, "Odense Kommune", "ecdsa")
	certPath, keyPath := sealtest.WriteSigner(t, dir, signer)
	in := filepath.Join("..", "..", "examples", examples.Minutes)
	out := filepath.Join(dir, "x.pdf")
	t.Setenv("PROTOKOL_SEAL_PASSWORD", "hemmelig-adgangskode")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--seal"}, 2, "--seal needs the seal"},
		{[]string{"--seal", "--seal-cert", certPath}, 2, "--seal-cert and --seal-key go together"},
		{[]string{"--seal-p12", certPath, "--seal-cert", certPath, "--seal-key", keyPath}, 2, "given twice"},
		{[]string{"--tsa-url", "ftp://x"}, 2, "--tsa-url"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"render", "minutes", "-i", in, "-o", out}, c.args...), nil, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: %d %s", c.args, code, stderr.String())
		}
	}
	if err := os.Chmod(keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"render", "minutes", "-i", in, "-o", out, "--seal", "--seal-cert", certPath, "--seal-key", keyPath}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "may be read by every user") {
		t.Errorf("a key readable by all: %d %s", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written")
	}
	stdout.Reset()
	if code := run([]string{"serve", "--help"}, nil, &stdout, &stderr); code != 0 || strings.Contains(stdout.String(), "hemmelig") || !strings.Contains(stdout.String(), "--seal-p12") || !strings.Contains(stdout.String(), "--trust") {
		t.Errorf("serve --help: %d\n%s", code, stdout.String())
	}
}
