package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"protokol/examples"
	"protokol/internal/pdftest"
)

var screenshots = flag.String("screenshots", "", "directory to write the browser test's screenshots to (docs/ for the README)")

// pdfViewer is the page of Chromium's built-in PDF viewer.
const pdfViewer = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html"

// browserLog is what the page did that the tests watch: requests, the
// answers to the API and anything the console or the browser complained of.
type browserLog struct {
	mu       sync.Mutex
	host     string
	problems []string
	answers  map[network.RequestID]*network.Response
	requests map[network.RequestID]*network.Request
	order    []network.RequestID
	expected map[string]bool // API paths whose 4xx the test asks for
}

func (l *browserLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(e.Request.URL)
		// the page, its own object URLs, and Chromium's PDF viewer showing one
		if err != nil || (u.Scheme != "blob" && u.Scheme != "data" && u.Host != l.host && u.String() != pdfViewer) {
			l.problems = append(l.problems, "request to another host: "+e.Request.URL)
		}
		l.requests[e.RequestID] = e.Request
		l.order = append(l.order, e.RequestID)
	case *network.EventResponseReceived:
		l.answers[e.RequestID] = e.Response
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			l.problems = append(l.problems, fmt.Sprintf("console %s: %s", e.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		l.problems = append(l.problems, "exception: "+exceptionText(e.ExceptionDetails))
	case *cdplog.EventEntryAdded:
		if e.Entry.Level != cdplog.EntryLevelError && e.Entry.Level != cdplog.EntryLevelWarning {
			return
		}
		if u, err := url.Parse(e.Entry.URL); err == nil && e.Entry.Source == cdplog.EntrySourceNetwork && l.expected[u.Path] {
			return // the 422 the test provoked
		}
		l.problems = append(l.problems, fmt.Sprintf("browser %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
	}
}

// last is the last request to path and its answer.
func (l *browserLog) last(path string) (network.RequestID, *network.Request, *network.Response) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range slices.Backward(l.order) {
		if u, err := url.Parse(l.requests[id].URL); err == nil && u.Path == path {
			return id, l.requests[id], l.answers[id]
		}
	}
	return "", nil, nil
}

func (l *browserLog) expect(path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expected[path] = true
}

func (l *browserLog) complaints() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.problems)
}

// startBrowser runs headless Chromium against the service.
func startBrowser(t *testing.T, ts *httptest.Server) (context.Context, *browserLog, string) {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("no Chromium on this machine (.ci/run installs Debian's chromium)")
	}
	if raceEnabled {
		t.Skip("the browser test runs in the plain test run; under the race detector it only measures Chromium's patience")
	}
	downloads := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // CI containers run as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), // containers have a small /dev/shm
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
		chromedp.Flag("lang", "da-DK"),
		chromedp.Flag("accept-lang", "da-DK,da"),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	u, _ := url.Parse(ts.URL)
	bl := &browserLog{host: u.Host, answers: map[network.RequestID]*network.Response{},
		requests: map[network.RequestID]*network.Request{}, expected: map[string]bool{}}
	if err := chromedp.Listen(ctx, bl.listen); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	return ctx, bl, downloads
}

// byLabel is the XPath of the control a <label> names, as a screen reader
// finds it.
func byLabel(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//*[@id=//label[normalize-space()=%q]/@for]`, text))
}

func button(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//button[normalize-space()=%q]`, text))
}

// fileInput is the file input inside the label that says text.
func fileInput(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//label[normalize-space(.//span)=%q]//input[@type="file"]`, text))
}

// selectText selects the text of an input, so that keys typed next
// replace it as a person's would.
func selectText(sel chromedp.Search) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(`(e => { e.focus(); e.select(); return true })(document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue)`, string(sel)))(ctx, t)
		return err
	})
}

// readBlob reads the object URL the page made, from a second tab of the
// same origin: the page's own policy rightly lets no script fetch it there.
func readBlob(t *testing.T, ctx context.Context, origin, blobURL string) []byte {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	js := fmt.Sprintf(`fetch(%q).then(r => r.arrayBuffer()).then(b => {
		let s = ""; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s) })`, blobURL)
	if err := chromedp.Do(tab, chromedp.Navigate(origin+"/openapi.json")); err != nil {
		t.Fatal(err)
	}
	b64, err := chromedp.Run(tab, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("reading the preview %s: %v", blobURL, err)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitDownload waits for a finished file ending in ext in dir.
func waitDownload(t *testing.T, dir, ext string) []byte {
	t.Helper()
	for range 200 {
		ms, _ := filepath.Glob(filepath.Join(dir, "*"+ext))
		if len(ms) > 0 {
			b, err := os.ReadFile(ms[0])
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > 0 {
				_ = os.Remove(ms[0])
				return b
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s file was downloaded to %s", ext, dir)
	return nil
}

func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir := *screenshots
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// driver runs browser actions for a test, failing it on an error.
type driver struct {
	t   *testing.T
	ctx context.Context
}

func (d *driver) run(what string, as ...chromedp.Action[chromedp.Void]) {
	d.t.Helper()
	if err := chromedp.Do(d.ctx, as...); err != nil {
		d.t.Fatalf("%s: %v", what, err)
	}
}

func (d *driver) value(xpath chromedp.Search) string {
	d.t.Helper()
	v, err := chromedp.Run(d.ctx, chromedp.Value(xpath))
	if err != nil {
		d.t.Fatalf("reading %s: %v", xpath, err)
	}
	return v
}

func (d *driver) count(xpath string) int {
	d.t.Helper()
	n, err := chromedp.Run(d.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.evaluate(%q, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null).snapshotLength`, xpath)))
	if err != nil {
		d.t.Fatalf("counting %s: %v", xpath, err)
	}
	return n
}

func (d *driver) eval(js string) string {
	d.t.Helper()
	v, err := chromedp.Run(d.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		d.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (d *driver) attr(sel chromedp.Search, name string) string {
	d.t.Helper()
	v, err := chromedp.Run(d.ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		d.t.Fatalf("%s of %s: %v", name, sel, err)
	}
	return v.Value
}

// TestWebPage drives the page in Chromium as a secretary would: import the
// example meeting, edit it, preview, reload, export, break it, and the
// budget tab. Any console error or request to another host fails it.
func TestWebPage(t *testing.T) {
	ts := httptest.NewServer(newServer(t, testConfig()).Handler())
	defer ts.Close()
	ctx, bl, downloads := startBrowser(t, ts)
	dir := t.TempDir()
	meetingFile := filepath.Join(dir, "meeting.json")
	budgetFile := filepath.Join(dir, "budget.json")
	if err := os.WriteFile(meetingFile, fixture(t, examples.Meeting), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(budgetFile, fixture(t, examples.Budget), 0o644); err != nil {
		t.Fatal(err)
	}
	var example map[string]any
	if err := json.Unmarshal(fixture(t, examples.Meeting), &example); err != nil {
		t.Fatal(err)
	}
	d := &driver{t, ctx}
	run, value, count, eval, attr := d.run, d.value, d.count, d.eval, d.attr
	ready := chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))

	run("opening the page", chromedp.Navigate(ts.URL+"/"), ready)
	run("importing the example", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{meetingFile}))
	committee := example["committee"].(string)
	firstItem := chromedp.Search(fmt.Sprintf(`//legend[contains(., %q)]`, "Godkendelse af dagsorden"))
	run("waiting for the import", chromedp.WaitVisible(firstItem))
	if got := value(byLabel("Udvalg")); got != committee {
		t.Fatalf("Udvalg shows %q after the import, want %q", got, committee)
	}
	if n := count(`(//input[not(@type="file")] | //select | //textarea)[not(@id=//label/@for)][not(ancestor::label)]`); n != 0 {
		t.Errorf("%d inputs have no label", n)
	}
	for _, l := range []string{"Kommune", "Udvalg", "Undertitel", "Start", "Slut", "Sted", "Bemærkninger"} {
		if n := count(string(byLabel(l))); n != 1 {
			t.Errorf("%d controls labelled %q, want 1", n, l)
		}
	}
	if n := count(`//fieldset[legend[starts-with(., "Punkt ")]]`); n != len(example["items"].([]any)) {
		t.Errorf("the form shows %d items, the example has %d", n, len(example["items"].([]any)))
	}

	// the keyboard reaches every control, and shows where it is
	if n := count(`(//input | //select | //textarea | //button | //a[@href])[@tabindex < 0][not(@role="tab")]`); n != 0 {
		t.Errorf("%d controls are out of the tab order", n)
	}
	for i := range 6 {
		run("tabbing", chromedp.KeyEvent("\t"))
		if ring := eval(`(() => { const s = getComputedStyle(document.activeElement); return document.activeElement.tagName + " " + s.outlineStyle + " " + s.outlineWidth })()`); strings.Contains(ring, " none") || strings.HasSuffix(ring, " 0px") {
			t.Errorf("tab %d: the focused control shows no focus (%s)", i+1, ring)
		}
	}

	// edit the committee and preview the agenda
	edited := committee + " (ekstraordinært)"
	run("editing Udvalg", selectText(byLabel("Udvalg")), chromedp.SendKeys(byLabel("Udvalg"), edited))
	run("previewing", chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"]`)))
	id, req, res := bl.last("/v1/agenda")
	if req == nil || res == nil {
		t.Fatal("the preview did not post to /v1/agenda")
	}
	if req.Method != "POST" || res.Status != 200 || res.MimeType != "application/pdf" {
		t.Fatalf("preview: %s %s answered %d %s", req.Method, req.URL, res.Status, res.MimeType)
	}
	posted, err := chromedp.Call(ctx, network.GetRequestPostData, network.GetRequestPostDataParams{RequestID: id})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(posted.PostData, []byte(edited)) {
		t.Errorf("the POST does not carry the edit: %.200s", posted.PostData)
	}
	download := chromedp.Search(`//a[normalize-space()="Hent PDF"]`)
	frameSrc, link, linkName := attr("#pdf", "src"), attr(download, "href"), attr(download, "download")
	if !strings.HasPrefix(frameSrc, "blob:") || link != frameSrc || !strings.HasSuffix(linkName, ".pdf") || !strings.Contains(linkName, "ekstraordinært") {
		t.Errorf("preview frame %q, Hent PDF %q named %q", frameSrc, link, linkName)
	}
	pdf := readBlob(t, ctx, ts.URL, frameSrc)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || strconv.Itoa(len(pdf)) != res.Headers["Content-Length"] {
		t.Fatalf("the preview holds %d bytes %.20q, the answer had %s", len(pdf), pdf, res.Headers["Content-Length"])
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(strings.Fields(string(out)), " "), edited) {
			t.Errorf("the previewed PDF does not say %q", edited)
		}
	}
	shoot(t, ctx, "web-page.png")
	if st := eval(`document.getElementById("status").textContent`); !strings.Contains(st, "Bilagenes filer er ikke valgt") {
		t.Errorf("the example names attachment files none of which is chosen; the status says %q", st)
	}
	agendaPages, _ := strconv.Atoi(fmt.Sprint(res.Headers["X-Page-Count"]))

	// choose one attachment's PDF: the preview is the packet, with it
	bilag := filepath.Join(dir, "forlig-beskaeftigelsesreform.pdf") // the name the example gives it
	if err := os.WriteFile(bilag, pdftest.Numbered("Forligsteksten", 3), 0o644); err != nil {
		t.Fatal(err)
	}
	attachment := `//fieldset[legend[contains(., "Orientering om reform")]]//fieldset[legend[normalize-space()="Bilag 1"]]`
	run("choosing an attachment's PDF", chromedp.SetUploadFiles(chromedp.Search(attachment+`//input[@type="file"]`), []string{bilag}),
		chromedp.WaitVisible(chromedp.Search(attachment+`//span[contains(., "forlig-beskaeftigelsesreform.pdf · ")]`)))
	run("previewing the packet", chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"]`)))
	_, req, res = bl.last("/v1/agenda")
	if ct, _ := req.Headers["Content-Type"].(string); !strings.HasPrefix(ct, "multipart/form-data") {
		t.Errorf("the packet was posted as %q", ct)
	}
	if n, _ := strconv.Atoi(fmt.Sprint(res.Headers["X-Page-Count"])); n != agendaPages+3 {
		t.Errorf("the packet has %d pages; the agenda %d and the file 3", n, agendaPages)
	}
	run("showing the attachment", chromedp.ScrollIntoView(chromedp.Search(attachment)))
	shoot(t, ctx, "web-page-packet.png")
	if st := eval(`document.getElementById("status").textContent`); !strings.Contains(st, "Bilag uden valgt fil er ikke vedlagt") {
		t.Errorf("the other named files are not chosen; the status says %q", st)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = bytes.NewReader(readBlob(t, ctx, ts.URL, attr("#pdf", "src")))
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, "Forligsteksten page 3 of 3") || !strings.Contains(text, "Bilag 2.1 · Forlig om reform") {
			t.Errorf("the previewed packet lacks the attachment's pages or stamp")
		}
	}

	// a reload brings the edit back
	run("reloading", chromedp.Reload(), ready, chromedp.WaitVisible(firstItem))
	if got := value(byLabel("Udvalg")); got != edited {
		t.Fatalf("after a reload Udvalg shows %q, want %q", got, edited)
	}
	if n := count(attachment + `//span[contains(., "forlig-beskaeftigelsesreform.pdf er ikke valgt i denne browser")]`); n != 1 {
		t.Error("after a reload the form does not say the attachment's file must be chosen again")
	}

	// export: the edit, every item, and every field the form does not show
	run("exporting", chromedp.Click(button("Eksportér JSON")))
	var exported map[string]any
	if err := json.Unmarshal(waitDownload(t, downloads, ".json"), &exported); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	example["committee"] = edited
	if !reflect.DeepEqual(exported, example) {
		t.Errorf("the export is not the example with the edit:\n got %v\nwant %v", exported, example)
	}

	// a required field left empty is marked where it is; the preview stays
	run("previewing the reloaded document", chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"]`)))
	frameSrc = attr("#pdf", "src")
	run("emptying Udvalg", selectText(byLabel("Udvalg")), chromedp.SendKeys(byLabel("Udvalg"), "\b"))
	bl.expect("/v1/agenda")
	run("previewing the broken document", chromedp.Click(button("Forhåndsvis")),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-state="error"]`)))
	if _, _, res := bl.last("/v1/agenda"); res == nil || res.Status != 422 {
		t.Fatalf("an empty committee was answered %+v, want 422", res)
	}
	invalid := attr(byLabel("Udvalg"), "aria-invalid")
	message := eval(`(() => { const i = document.querySelector('[data-field="committee"]'); return document.getElementById(i.getAttribute("aria-describedby").split(" ")[0]).textContent })()`)
	if invalid != "true" || message != "skal udfyldes" { // in Danish, from the service
		t.Errorf("Udvalg: aria-invalid %q, message %q", invalid, message)
	}
	if after := attr("#pdf", "src"); after != frameSrc {
		t.Errorf("a 422 changed the preview from %q to %q", frameSrc, after)
	}
	shoot(t, ctx, "web-page-error.png")

	// an error no input shows is listed at the top
	broken := strings.Replace(string(fixture(t, examples.Meeting)), `"participants": [`, `"udvalg": "x", "participants": [`, 1)
	if err := os.WriteFile(meetingFile, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	// the page holds the same items already: the wait is for it to say
	// the file was read, with the saying cleared first
	eval(`document.getElementById("import-state").textContent = ""`)
	run("importing a document with a bad group", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{meetingFile}),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="import-state"][contains(., "indlæst")]`)), chromedp.WaitVisible(firstItem), chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#alerts li`)))
	if alert := eval(`document.getElementById("alerts").textContent`); !strings.Contains(alert, "udvalg: ukendt felt") {
		t.Errorf("the alert list says %q, want udvalg: ukendt felt", alert)
	}

	// a document of the wrong shape (items an object, participants a
	// string) is shown as far as it can be and named by the service; the
	// page works on, and after a reload too (it was kept as it came)
	if err := os.WriteFile(meetingFile, []byte(`{"municipality":"M","committee":"U","items":{"number":"1"},"participants":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	eval(`document.getElementById("import-state").textContent = ""`)
	run("importing a document of the wrong shape", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{meetingFile}),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="import-state"][contains(., "indlæst")]`)),
		chromedp.Reload(), chromedp.WaitVisible(button("Forhåndsvis")),
		chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#alerts li`)))
	if alert := eval(`document.getElementById("alerts").textContent`); !strings.Contains(alert, "Punkter: skal være en liste") || !strings.Contains(alert, "Deltagere: skal være en liste") {
		t.Errorf("after a wrong-shaped import the alert list says %q, want Punkter and Deltagere named, in Danish", alert)
	}

	// the budget tab: import and download the workbook
	run("the budget tab", chromedp.Click(chromedp.Search(`//button[@role="tab"][normalize-space()="Budget"]`)),
		chromedp.SetUploadFiles(fileInput("Importér budget (JSON)"), []string{budgetFile}),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="budget-summary"][contains(., "linjer")]`)),
		chromedp.Click(button("Hent XLSX")),
		chromedp.WaitVisible(chromedp.CSS(`#budget-status[data-state="ready"]`)))
	if xlsx := waitDownload(t, downloads, ".xlsx"); !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Errorf("the workbook download is not a zip: %.20q", xlsx)
	}

	// English
	run("the page in English", chromedp.Navigate(ts.URL+"/?lang=en"), ready)
	if n := count(string(byLabel("Committee"))); n != 1 {
		t.Errorf("?lang=en: %d controls labelled Committee, want 1", n)
	}

	// a document imported and exported unchanged is the same document
	minutesFile := filepath.Join(dir, "minutes.json")
	if err := os.WriteFile(minutesFile, fixture(t, examples.Minutes), 0o644); err != nil {
		t.Fatal(err)
	}
	var minutes map[string]any
	if err := json.Unmarshal(fixture(t, examples.Minutes), &minutes); err != nil {
		t.Fatal(err)
	}
	lastItem := minutes["items"].([]any)[len(minutes["items"].([]any))-1].(map[string]any)["title"].(string)
	run("importing the Odense minutes", chromedp.SetUploadFiles(fileInput("Import JSON or case-system export"), []string{minutesFile}),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//legend[contains(., %q)]`, lastItem))),
		chromedp.Click(button("Export JSON")))
	var again map[string]any
	if err := json.Unmarshal(waitDownload(t, downloads, ".json"), &again); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, minutes) {
		t.Errorf("the Odense minutes came back changed:\n got %v\nwant %v", again, minutes)
	}
	for _, p := range bl.complaints() {
		t.Error(p)
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	s := d.Text
	if d.Exception != nil {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d)", s, d.URL, d.LineNumber)
}

// TestPageIsServedStrictly: the page and its files come from the binary
// with a policy that lets them load nothing from elsewhere.
func TestPageIsServedStrictly(t *testing.T) {
	s := newServer(t, testConfig())
	for _, c := range []struct{ path, ctype, has string }{
		{"/", "text/html; charset=utf-8", `<script src="/web/app.js"`},
		{"/?lang=en", "text/html; charset=utf-8", `<label`},
		{"/web/app.js", "text/javascript; charset=utf-8", `"/v1/"`},
		{"/web/style.css", "text/css; charset=utf-8", `:focus-visible`},
	} {
		w := do(t, s, "GET", c.path, nil)
		if w.Code != 200 || w.Header().Get("Content-Type") != c.ctype || !strings.Contains(w.Body.String(), c.has) {
			t.Errorf("GET %s: %d %q, body has %q: %v", c.path, w.Code, w.Header().Get("Content-Type"), c.has, strings.Contains(w.Body.String(), c.has))
		}
		csp := w.Header().Get("Content-Security-Policy")
		if !strings.HasPrefix(csp, "default-src 'self';") || strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
			t.Errorf("GET %s: Content-Security-Policy %q", c.path, csp)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", c.path)
		}
	}
	page := do(t, s, "GET", "/", nil).Body.String()
	for _, bad := range []string{"<script>", " style=", " onclick=", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %q: inline code or a reference elsewhere", bad)
		}
	}
	if w := do(t, s, "HEAD", "/", nil); w.Code != 200 || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("HEAD /: %d, policy %q", w.Code, w.Header().Get("Content-Security-Policy"))
	}
	if w := do(t, s, "GET", "/web/nothing.js", nil); w.Code != 404 {
		t.Errorf("GET /web/nothing.js: %d", w.Code)
	}
}
