package config

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestEnvironmentMirrorsAndFlags(t *testing.T) {
	env := map[string]string{"PROTOKOL_ADDR": "127.0.0.1:9000", "PROTOKOL_BODY_LIMIT": "2MiB", "PROTOKOL_QUEUE": "7", "PROTOKOL_TEMPLATE_TIMEOUT": "750ms"}
	c, err := ParseServe([]string{"--queue", "9"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.BodyLimit != 2<<20 || c.QueueLength != 9 || c.TemplateLimits.Timeout != 750*time.Millisecond {
		t.Errorf("config: %+v", c)
	}
	if _, err := ParseServe(nil, func(k string) string { return map[string]string{"PROTOKOL_QUEUE_WAIT": "soon"}[k] }, io.Discard); err == nil {
		t.Error("a bad environment value must be an error")
	}
}

func TestRenderJob(t *testing.T) {
	noEnv := func(string) string { return "" }
	_, j, err := ParseRender([]string{"budget", "-i", "b.json", "-o", "out.PDF", "--lang", "en"}, noEnv, io.Discard)
	if err != nil || j.Format != "pdf" || j.Options.Lang != "en" || j.Document != "budget" {
		t.Fatalf("%+v %v", j, err)
	}
	_, j, err = ParseRender([]string{"budget", "-i", "-", "-o", "-"}, noEnv, io.Discard)
	if err != nil || j.Format != "xlsx" {
		t.Fatalf("budget to stdout should default to xlsx: %+v %v", j, err)
	}
	if _, _, err := ParseRender([]string{"minutes", "-i", "a", "-o", "b", "--format", "xlsx"}, noEnv, io.Discard); err == nil {
		t.Error("minutes as xlsx must be refused")
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"16MiB": 16 << 20, "10MB": 10e6, "512KiB": 512 << 10, "1048576": 1 << 20, " 2 GiB ": 2 << 30} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ten", "-1MB", "1.5MB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if FormatSize(16<<20) != "16MiB" || FormatSize(1000) != "1000" {
		t.Error("FormatSize")
	}
}

// A timeout of 0 (or less) is refused by name: it would stop every
// render at once and then blame the template's limit.
func TestTimeoutsMustBePositive(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, args := range [][]string{{"--timeout", "0s"}, {"--timeout", "-1s"}, {"--template-timeout", "0"}} {
		if _, _, err := ParseRender(append([]string{"agenda", "-i", "a", "-o", "b.pdf"}, args...), noEnv, io.Discard); err == nil || !strings.Contains(err.Error(), "must be more than 0") {
			t.Errorf("%v: %v", args, err)
		}
	}
	for _, flag := range []string{"--render-timeout", "--read-timeout", "--write-timeout", "--idle-timeout", "--shutdown-timeout"} {
		if _, err := ParseServe([]string{flag, "0s"}, noEnv, io.Discard); err == nil || !strings.Contains(err.Error(), "must be more than 0") {
			t.Errorf("%s 0s: %v", flag, err)
		}
	}
	if _, err := ParseServe([]string{"--template-poll", "0s", "--shutdown-delay", "0s"}, noEnv, io.Discard); err != nil {
		t.Errorf("a poll or delay of 0 means none: %v", err)
	}
}

// batch --seal needs the seal, and the seal's flags are checked as
// render checks them.
func TestBatchSealNeedsTheSeal(t *testing.T) {
	none := func(string) string { return "" }
	if _, _, err := ParseBatch([]string{"-i", "in", "-o", "out", "--seal"}, none, io.Discard); err == nil || !strings.Contains(err.Error(), "--seal needs the seal") {
		t.Errorf("--seal without a seal: %v", err)
	}
	if _, _, err := ParseBatch([]string{"-i", "in", "-o", "out", "--seal", "--seal-cert", "c.pem"}, none, io.Discard); err == nil || !strings.Contains(err.Error(), "go together") {
		t.Errorf("a certificate without its key: %v", err)
	}
	_, b, err := ParseBatch([]string{"-i", "in", "-o", "out", "--seal", "--seal-cert", "c.pem", "--seal-key", "k.pem"}, none, io.Discard)
	if err != nil || !b.Options.Seal {
		t.Errorf("--seal with a seal: %+v %v", b, err)
	}
}
