package server

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"protokol/examples"
	"protokol/internal/pdftest"
)

// With a seal configured the page offers it for minutes and decision
// records (never for an agenda), and the PDF it previews is sealed.
func TestWebPageSealsMinutes(t *testing.T) {
	ts := httptest.NewServer(sealedServer(t).Handler())
	defer ts.Close()
	ctx, bl, _ := startBrowser(t, ts)
	d := &driver{t, ctx}
	file := filepath.Join(t.TempDir(), "referat.json")
	if err := os.WriteFile(file, fixture(t, examples.Minutes), 0o644); err != nil {
		t.Fatal(err)
	}
	d.run("opening the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	d.run("importing the minutes", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{file}),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="import-state"][contains(., "indlæst")]`)))
	offered := func(doc string) bool {
		d.eval(`(e => { e.value = "` + doc + `"; e.dispatchEvent(new Event("change")); return "" })(document.getElementById("document"))`)
		return d.eval(`getComputedStyle(document.getElementById("seal-option")).display`) != "none"
	}
	if offered("agenda") || !offered("decisions") || !offered("minutes") {
		t.Fatal("the seal is offered for an agenda, or not for minutes and decision records")
	}
	d.run("asking for the seal", chromedp.Click(chromedp.CSS(`#seal`)))
	bl.expect("/v1/minutes")
	d.run("previewing the sealed minutes", chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"], #status[data-state="error"]`)))
	if _, req, _ := bl.last("/v1/minutes"); req == nil || !strings.Contains(req.URL, "seal=true") {
		t.Fatalf("the minutes were asked for without the seal: %+v (%s)", req, d.eval(`document.getElementById("status").textContent`))
	} else if al, _ := req.Headers["Accept-Language"].(string); al != "da" {
		t.Errorf("the page asks for the service's answers in %q, not its own language", al)
	}
	// the page's PDF is a blob its security policy keeps from scripts;
	// the service says it sealed it
	res, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(m), `protokol_seals_total{outcome="sealed"} 1`) {
		t.Error("the service sealed no document for the preview")
	}
	for _, p := range bl.complaints() {
		t.Error(p)
	}
}

// The seal tab answers for a person what POST /v1/verify answers: a
// sealed minutes holds (who sealed it, trusted, not changed), the same
// file with a byte changed does not, and a file without a seal says so.
func TestWebPageChecksASeal(t *testing.T) {
	s := sealedServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	sealed := do(t, s, "POST", "/v1/minutes?seal=true", examples.Read(examples.Minutes)).Body.Bytes()
	changed := []byte(strings.Replace(string(sealed), "Odense", "Vejle!", 1))
	plain := do(t, s, "POST", "/v1/minutes", examples.Read(examples.Minutes)).Body.Bytes()
	dir := t.TempDir()
	ctx, bl, _ := startBrowser(t, ts)
	d := &driver{t, ctx}
	d.run("opening the seal tab", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.Click(chromedp.Search(`//button[@role="tab"][normalize-space()="Tjek segl"]`)), chromedp.WaitVisible(chromedp.CSS(`#verify`)))
	answer := func(name string, b []byte, state string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		d.run("checking "+name, chromedp.SetUploadFiles(fileInput("Vælg en PDF"), []string{file}),
			chromedp.WaitVisible(chromedp.Search(`//*[@id="verify-status"][contains(., "`+name+`")][@data-state!="working"]`)))
		if got := d.eval(`document.getElementById("verify-status").dataset.state`); got != state {
			t.Errorf("%s: the page says %q (%s), not %s", name, d.eval(`document.getElementById("verify-status").textContent`), got, state)
		}
		return d.eval(`document.getElementById("verify-report").innerText`)
	}
	// the term and its answer, as the page lays them out
	says := func(report, term, answer string) bool {
		return strings.Contains(report, term+"\t"+answer) || strings.Contains(report, term+"\n"+answer)
	}
	r := answer("referat.pdf", sealed, "holds")
	for _, c := range [][2]string{{"Forseglet af", "Odense Kommune"}, {"Certifikat", "SERIALNUMBER=CVR:12345678-UID:1,CN=Odense Kommune"}, {"Uændret", "ja"}, {"Hele filen", "ja"}, {"Betroet", "ja"}, {"Spærring", "ikke tjekket"}} {
		if !says(r, c[0], c[1]) {
			t.Errorf("the sealed minutes: no %s: %s in\n%s", c[0], c[1], r)
		}
	}
	shoot(t, ctx, "web-verify.png")
	axe(t, d, "a seal checked")
	if r := answer("aendret.pdf", changed, "fails"); !says(r, "Uændret", "nej") || !strings.Contains(r, "de signerede bytes er ændret") {
		t.Errorf("the changed file:\n%s", r)
	}
	if r := answer("usigneret.pdf", plain, "none"); strings.TrimSpace(r) != "" {
		t.Errorf("the file without a seal shows a report:\n%s", r)
	}
	// a file over the service's body limit is said to be, before it is
	// sent, in the page's words
	answer("stor.pdf", bytes.Repeat([]byte("x"), 9<<20), "error")
	if s := d.eval(`document.getElementById("verify-status").textContent`); s != "Ikke tjekket: stor.pdf fylder 9,0 MB; serveren tager højst 8,0 MB." {
		t.Errorf("a file too large: %q", s)
	}
	// every text the page shows has its Danish and its English (nested
	// tables too), and every data-i18n names one
	missing := d.eval(`(() => {
		const out = [];
		const walk = (a, b, path) => { for (const k of Object.keys(a)) {
			if (!(k in b)) out.push(path + k);
			else if (typeof a[k] === "object") walk(a[k], b[k], path + k + ".");
		} };
		walk(TEXT.da, TEXT.en, "en lacks "); walk(TEXT.en, TEXT.da, "da lacks ");
		for (const e of document.querySelectorAll("[data-i18n]")) if (!(e.dataset.i18n in TEXT.da)) out.push("no text " + e.dataset.i18n);
		return out.join(", ");
	})()`)
	if missing != "" {
		t.Errorf("the page's texts: %s", missing)
	}
	for _, p := range bl.complaints() {
		t.Error(p)
	}
}

// A packet over the service's body limit (a scanned attachment, say) is
// said to be before it is sent, in the page's words, not uploaded to be
// refused (without the check the service's 413 says it in English); what
// an attachment holds that the packet does not carry is said after.
func TestWebPageSaysWhatAPacketCannotHold(t *testing.T) {
	ts := httptest.NewServer(newServer(t, testConfig()).Handler())
	defer ts.Close()
	ctx, bl, _ := startBrowser(t, ts)
	d := &driver{t, ctx}
	dir := t.TempDir()
	meeting, big := filepath.Join(dir, "meeting.json"), filepath.Join(dir, "skannet.pdf")
	if err := os.WriteFile(meeting, fixture(t, examples.Meeting), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 9<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	attachment := `//fieldset[legend[contains(., "Orientering om reform")]]//fieldset[legend[normalize-space()="Bilag 1"]]`
	d.run("importing the example", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{meeting}),
		chromedp.WaitVisible(chromedp.Search(attachment)))
	d.run("choosing a file too large", chromedp.SetUploadFiles(chromedp.Search(attachment+`//input[@type="file"]`), []string{big}),
		chromedp.WaitVisible(chromedp.Search(attachment+`//span[contains(., "skannet.pdf · ")]`)),
		chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="error"]`)))
	if st := d.eval(`document.getElementById("status").textContent`); !strings.Contains(st, "dokumentet og de valgte bilag fylder 9,0 MB; serveren tager højst 8,0 MB") {
		t.Errorf("the status says %q", st)
	}
	if _, req, _ := bl.last("/v1/agenda"); req != nil {
		t.Error("the packet over the limit was sent anyway")
	}
	// a file with links, a form field and a comment: the packet has its
	// pages, and the status says what acts in it is not there
	annotated := filepath.Join(dir, "annoteret.pdf")
	if err := os.WriteFile(annotated, pdftest.Annotated(), 0o644); err != nil {
		t.Fatal(err)
	}
	d.run("previewing a file with links", chromedp.SetUploadFiles(chromedp.Search(attachment+`//input[@type="file"]`), []string{annotated}),
		chromedp.WaitVisible(chromedp.Search(attachment+`//span[contains(., "annoteret.pdf · ")]`)),
		chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"]`)))
	if st := d.eval(`document.getElementById("status").textContent`); !strings.Contains(st, "Bilagenes sider er med, men ikke det, der virker i dem: annoteret.pdf (2 links, 1 formularfelt, 1 kommentar).") {
		t.Errorf("the status says %q", st)
	}
	for _, p := range bl.complaints() {
		t.Error(p)
	}
}
