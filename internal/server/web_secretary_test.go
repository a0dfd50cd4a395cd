package server

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"protokol/examples"
)

// at finds the control bound to a path of the document.
func at(path string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//*[@data-field=%q]`, path))
}

// setSelect chooses a value in the select bound to path, as a user does
// (the change event follows).
func (d *driver) setSelect(path, v string) {
	d.t.Helper()
	d.eval(fmt.Sprintf(`(e => { e.value = %q; e.dispatchEvent(new Event("change", { bubbles: true })); return "" })(document.querySelector('[data-field=%q]'))`, v, path))
}

// stored is the meeting the page keeps, as JSON.
func (d *driver) stored(where string) map[string]any {
	d.t.Helper()
	var m map[string]any
	if s := d.eval(where + `.getItem("protokol.meeting") || "null"`); s != "null" {
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			d.t.Fatal(err)
		}
	}
	return m
}

// TestWebPageIsTheSecretarysTool drives what a secretary does beyond a
// preview: way-finding, a stale preview, undo, every field of the
// contract, Danish messages at the field, the document options, where the
// document is kept, the template sets' names and the budget preview; and
// axe-core checks each state for WCAG 2.1 A and AA.
func TestWebPageIsTheSecretarysTool(t *testing.T) {
	ts := httptest.NewServer(newServer(t, testConfig()).Handler())
	defer ts.Close()
	ctx, bl, downloads := startBrowser(t, ts)
	d := &driver{t, ctx}
	dir := t.TempDir()
	meetingFile := filepath.Join(dir, "meeting.json")
	if err := os.WriteFile(meetingFile, fixture(t, examples.Meeting), 0o644); err != nil {
		t.Fatal(err)
	}
	var example map[string]any
	if err := json.Unmarshal(fixture(t, examples.Meeting), &example); err != nil {
		t.Fatal(err)
	}
	items := example["items"].([]any)
	d.run("opening the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	axe(t, d, "the empty page")
	d.run("importing the example", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{meetingFile}),
		chromedp.WaitVisible(chromedp.Search(`//legend[contains(., "Godkendelse af dagsorden")]`)))
	if s := d.eval(`document.getElementById("import-state").textContent`); !strings.Contains(s, "meeting.json er indlæst") {
		t.Errorf("after an import the page says %q", s)
	}

	secretaryFindsHerWay(t, d, len(items))
	secretaryPreviews(t, d)
	secretaryUndoes(t, d, example)
	secretaryWritesEveryField(t, d, bl, downloads)
	secretaryChoosesOptions(t, d, bl)
	secretaryKeepsNothing(t, d, meetingFile)
	secretaryImportsAnExport(t, d)
	secretaryShowsTheBudget(t, d)
	for _, p := range bl.complaints() {
		t.Error(p)
	}
}

// the items beside the form: one link each, which opens the item;
// items fold and unfold; the template sets by their names
func secretaryFindsHerWay(t *testing.T, d *driver, items int) {
	if n := d.count(`//ol[@id="item-list"]/li/a`); n != items {
		t.Errorf("the list beside the form has %d items, want %d", n, items)
	}
	d.run("folding item 1", chromedp.Click(chromedp.Search(`//button[@aria-controls="item-0-body"]`)))
	if d.attr(chromedp.Search(`//button[@aria-controls="item-0-body"]`), "aria-expanded") != "false" || d.eval(`String(document.getElementById("item-0-body").hidden)`) != "true" {
		t.Error("item 1 did not fold")
	}
	d.run("jumping to item 1", chromedp.Click(chromedp.Search(`(//ol[@id="item-list"]/li/a)[1]`)))
	if id := d.eval(`document.activeElement.id`); id != "item-0" || d.eval(`String(document.getElementById("item-0-body").hidden)`) != "false" {
		t.Errorf("the link to item 1 put the focus on %q (and must unfold it)", id)
	}
	d.run("jumping to the last item", chromedp.Click(chromedp.Search(`(//ol[@id="item-list"]/li/a)[last()]`)))
	if id := d.eval(`document.activeElement.id`); id != fmt.Sprintf("item-%d", items-1) {
		t.Errorf("the link to the last item put the focus on %q", id)
	}
	if names := d.eval(`[...document.getElementById("template").options].map(o => o.textContent).join("|")`); !strings.Contains(names, "Standard") || !strings.Contains(names, "Kompakt") {
		t.Errorf("the template sets are offered as %q, want their names", names)
	}
}

// an edit after a preview marks it out of date at once, and its download
// goes until the next preview
func secretaryPreviews(t *testing.T, d *driver) {
	d.run("previewing", chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"]`)))
	if d.eval(`String(document.getElementById("download").hidden)`) != "false" {
		t.Fatal("no download after a preview")
	}
	d.run("editing after the preview", chromedp.SendKeys(at("committee"), "x"))
	if state := d.eval(`document.getElementById("status").dataset.state`); state != "stale" ||
		!strings.Contains(d.eval(`document.getElementById("status").textContent`), "forældet") ||
		d.eval(`String(document.getElementById("download").hidden)`) != "true" ||
		d.eval(`document.getElementById("status").getAttribute("aria-live")`) != "polite" {
		t.Errorf("an edit after a preview: status %q, download hidden %s", state, d.eval(`String(document.getElementById("download").hidden)`))
	}
	axe(t, d, "a stale preview")
}

// a removal says so and is undone exactly; a new document asks first,
// naming what would go, and can be undone too
func secretaryUndoes(t *testing.T, d *driver, example map[string]any) {
	before := d.eval(`JSON.stringify(JSON.parse(localStorage.getItem("protokol.meeting")).participants)`)
	second := example["participants"].([]any)[1].(map[string]any)["name"].(string)
	d.run("removing participant 2", chromedp.Click(chromedp.Search(fmt.Sprintf(`//button[@aria-label=%q]`, "Fjern: Deltager 2: "+second))))
	if s := d.eval(`document.getElementById("undo").textContent`); !strings.Contains(s, "fjernet") {
		t.Errorf("after a removal the page says %q", s)
	}
	if d.eval(`document.activeElement.textContent`) != "Fortryd" {
		t.Error("the undo button does not have the focus after a removal")
	}
	d.run("undoing", chromedp.Click(button("Fortryd")))
	if after := d.eval(`JSON.stringify(JSON.parse(localStorage.getItem("protokol.meeting")).participants)`); after != before {
		t.Errorf("undo did not restore the participants exactly:\n%s\n%s", after, before)
	}
	items := len(example["items"].([]any))
	d.eval(`(() => { window.confirm = (m) => { window.asked = m; return true }; return "" })()`)
	d.run("starting a new document", chromedp.Click(button("Nyt dokument")))
	if asked := d.eval(`window.asked`); !strings.Contains(asked, fmt.Sprintf("%d punkter", items)) || !strings.Contains(asked, "Beskæftigelsesudvalget") {
		t.Errorf("the question before a new document: %q", asked)
	}
	if n := d.count(`//ol[@id="item-list"]/li/a`); n != 0 {
		t.Errorf("a new document still lists %d items", n)
	}
	d.run("undoing the new document", chromedp.Click(button("Fortryd")))
	if n := d.count(`//ol[@id="item-list"]/li/a`); n != items {
		t.Errorf("undoing the new document brought back %d items, want %d", n, items)
	}
}

// every field a secretary writes has a control, and round-trips through
// export; a problem is shown at its field, in Danish
func secretaryWritesEveryField(t *testing.T, d *driver, bl *browserLog, downloads string) {
	tab := chromedp.KeyEvent("\t")
	d.run("adding a group", chromedp.Click(button("Tilføj gruppe")),
		chromedp.SendKeys(at("groups[0].code"), "A"), tab, chromedp.SendKeys(at("groups[0].title"), "Sager til afgørelse"), tab)
	d.setSelect("items[0].group", "A")
	d.run("writing item 1's fields", chromedp.SendKeys(at("items[0].decided_by"), "Byrådet"), tab,
		chromedp.SendKeys(at("items[0].duration_minutes"), "15"), tab,
		chromedp.Click(at("items[0].addendum")),
		chromedp.Click(chromedp.Search(`//fieldset[@data-field="items[0].absent"]//label[.="Jørgen Christensen"]`)),
		chromedp.Click(chromedp.Search(`(//button[normalize-space()="Tilføj protokoltilførsel"])[1]`)),
		chromedp.Click(chromedp.Search(`//fieldset[@data-field="items[0].dissents[0].by"]//label[.="Arne Lund Kristensen"]`)),
		chromedp.SendKeys(at("items[0].dissents[0].text"), "Vi stemmer imod."),
		chromedp.SendKeys(at("items[1].attachments[0].reference"), "14-012345"), tab)
	d.setSelect("participants[0].attendance", "present") // the example's members were absent
	d.run("adding an approval", chromedp.Click(button("Tilføj godkendelse")))
	if n := d.count(`//select[@data-field="approvals[0].by"]/option`); n != 2 {
		t.Errorf("an approval offers %d choices, want the one member present and none", n)
	}
	d.setSelect("approvals[0].by", "Daniel Nyboe Andersen")
	d.run("its time", chromedp.SendKeys(at("approvals[0].at"), "08192014"), chromedp.KeyEvent("\t"), chromedp.SendKeys(at("approvals[0].at"), "1500P"),
		chromedp.SendKeys(at("approvals[0].method"), "FirstAgenda"), tab)
	d.setSelect("participants[6].role", "guest")
	d.run("the guest's items", chromedp.Click(chromedp.Search(`//fieldset[@data-field="participants[6].items"]//label[.="2"]`)))
	d.run("exporting", chromedp.Click(button("Eksportér JSON")))
	var got struct {
		Groups []struct{ Code, Title string } `json:"groups"`
		Items  []struct {
			Group     string   `json:"group"`
			DecidedBy string   `json:"decided_by"`
			Duration  int      `json:"duration_minutes"`
			Addendum  bool     `json:"addendum"`
			Absent    []string `json:"absent"`
			Dissents  []struct {
				By   []string `json:"by"`
				Text string   `json:"text"`
			} `json:"dissents"`
			Attachments []struct {
				Reference string `json:"reference"`
			} `json:"attachments"`
		} `json:"items"`
		Participants []struct {
			Items []string `json:"items"`
		} `json:"participants"`
		Approvals []struct{ By, At, Method string } `json:"approvals"`
	}
	if err := json.Unmarshal(waitDownload(t, downloads, ".json"), &got); err != nil {
		t.Fatal(err)
	}
	it := got.Items[0]
	if len(got.Groups) != 1 || got.Groups[0].Code != "A" || got.Groups[0].Title != "Sager til afgørelse" || it.Group != "A" ||
		it.DecidedBy != "Byrådet" || it.Duration != 15 || !it.Addendum || len(it.Absent) != 1 || it.Absent[0] != "Jørgen Christensen" ||
		len(it.Dissents) != 1 || it.Dissents[0].Text != "Vi stemmer imod." || len(it.Dissents[0].By) != 1 ||
		got.Items[1].Attachments[0].Reference != "14-012345" || len(got.Participants[6].Items) == 0 ||
		len(got.Approvals) != 1 || got.Approvals[0].By != "Daniel Nyboe Andersen" || got.Approvals[0].Method != "FirstAgenda" || !strings.HasPrefix(got.Approvals[0].At, "2014-08-19T15:00") {
		t.Errorf("the fields did not round-trip: %+v", got)
	}
	// a Danish message at the field: a duration out of range
	bl.expect("/v1/agenda")
	d.run("a duration too long", chromedp.SendKeys(at("items[0].duration_minutes"), "00"), tab,
		chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="error"]`)))
	msg := d.eval(`(() => { const i = document.querySelector('[data-field="items[0].duration_minutes"]'); return document.getElementById(i.getAttribute("aria-describedby").split(" ")[0]).textContent })()`)
	if msg != "skal være mellem 0 og 1440, ikke 1500" {
		t.Errorf("the duration's message: %q", msg)
	}
	axe(t, d, "a problem at a field")
	d.run("a duration again", chromedp.SendKeys(at("items[0].duration_minutes"), "\b\b"), tab)
	if n := d.count(`//*[contains(@class, "count")][contains(., "af højst")]`); n == 0 {
		t.Error("no Markdown field shows its count of characters")
	}
}

// the document options are offered for the document they apply to, and
// sent
func secretaryChoosesOptions(t *testing.T, d *driver, bl *browserLog) {
	d.eval(`(e => { e.value = "minutes"; e.dispatchEvent(new Event("change")); return "" })(document.getElementById("document"))`)
	shown := func(id string) string {
		return d.eval(fmt.Sprintf(`getComputedStyle(document.getElementById(%q)).display`, id))
	}
	if shown("seal-option") != "none" {
		t.Error("a service without a seal offers to seal")
	}
	if shown("signatures-option") == "none" || shown("addendum-option") != "none" {
		t.Errorf("minutes do not offer the signature sheet alone (signature sheet %s, supplementary agenda %s)", shown("signatures-option"), shown("addendum-option"))
	}
	d.run("asking for the signature sheet", chromedp.Click(chromedp.CSS(`#signatures`)))
	bl.expect("/v1/minutes")
	d.run("previewing the minutes", chromedp.Click(button("Forhåndsvis")), chromedp.WaitVisible(chromedp.CSS(`#status[data-state="ready"], #status[data-state="error"]`)))
	if d.eval(`document.getElementById("status").dataset.state`) != "ready" {
		t.Fatalf("the minutes preview: %s %s %s", d.eval(`document.getElementById("status").textContent`), d.eval(`document.getElementById("alerts").textContent`),
			d.eval(`[...document.querySelectorAll("[aria-invalid]")].map(i => i.dataset.field + ": " + document.getElementById(i.getAttribute("aria-describedby").split(" ")[0]).textContent).join("; ")`))
	}
	if _, req, _ := bl.last("/v1/minutes"); req == nil || !strings.Contains(req.URL, "signatures=true") {
		t.Errorf("the minutes were asked for without the signature sheet: %+v", req)
	}
	axe(t, d, "a preview of the minutes")
}

// the page says where the document is kept; keeping nothing after the
// tab closes moves it to the tab's storage; forgetting leaves nothing
func secretaryKeepsNothing(t *testing.T, d *driver, meetingFile string) {
	if s := d.eval(`document.getElementById("privacy-note").textContent`); !strings.Contains(s, "gemmes i denne browser") {
		t.Errorf("the page says %q of where the document is kept", s)
	}
	d.run("keeping nothing", chromedp.Click(chromedp.CSS(`#session-only`)))
	if d.stored("localStorage") != nil || d.stored("sessionStorage") == nil {
		t.Error("with keep-nothing on, the document is still in localStorage (or not in the tab's)")
	}
	d.run("keeping again", chromedp.Click(chromedp.CSS(`#session-only`)))
	if d.stored("localStorage") == nil || d.stored("sessionStorage") != nil {
		t.Error("with keep-nothing off, the document is not back in localStorage")
	}
	d.eval(`(() => { window.confirm = (m) => { window.asked = m; return true }; return "" })()`)
	d.run("forgetting", chromedp.Click(button("Glem dokumentet")))
	if d.stored("localStorage") != nil || d.stored("sessionStorage") != nil || d.count(`//ol[@id="item-list"]/li/a`) != 0 {
		t.Error("a forgotten document is still kept or shown")
	}
	if asked := d.eval(`window.asked`); !strings.Contains(asked, "Glemme") {
		t.Errorf("the question before forgetting: %q", asked)
	}
	d.run("importing again", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{meetingFile}),
		chromedp.WaitVisible(chromedp.Search(`//legend[contains(., "Godkendelse af dagsorden")]`)))
}

// an export from the case system is imported like a JSON file: its
// items arrive, the page says from where, and what the export lacks (the
// municipality: SBSYS names none) is marked at its field
func secretaryImportsAnExport(t *testing.T, d *driver) {
	x, err := os.ReadFile(filepath.Join("..", "esdh", "testdata", "sbsys.xml"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(d.t.TempDir(), "dagsorden.xml")
	if err := os.WriteFile(file, x, 0o644); err != nil {
		t.Fatal(err)
	}
	d.run("importing an SBSYS export", chromedp.SetUploadFiles(fileInput("Importér JSON eller ESDH-eksport"), []string{file}),
		// the example the page holds has the same items, so the wait is
		// for the page to say where they came from, not for an item
		chromedp.WaitVisible(chromedp.Search(`//*[@id="import-state"][contains(., "SBSYS")]`)),
		chromedp.WaitVisible(chromedp.Search(`//legend[contains(., "Orientering om reform af beskæftigelsesindsatsen")]`)))
	if s := d.eval(`document.getElementById("import-state").textContent`); !strings.Contains(s, "dagsorden.xml er indlæst fra SBSYS: 3 punkter") {
		t.Errorf("after an export's import the page says %q", s)
	}
	if v := d.eval(`document.querySelector('[data-field="municipality"]').getAttribute("aria-invalid") || ""`); v != "true" {
		t.Errorf("the municipality the export lacks is not marked (aria-invalid %q)", v)
	}
}

// the budget tab shows the budget PDF and counts groups and lines
func secretaryShowsTheBudget(t *testing.T, d *driver) {
	budgetFile := filepath.Join(d.t.TempDir(), "budget.json")
	if err := os.WriteFile(budgetFile, fixture(t, examples.Budget), 0o644); err != nil {
		t.Fatal(err)
	}
	d.run("the budget preview", chromedp.Click(chromedp.Search(`//button[@role="tab"][normalize-space()="Budget"]`)),
		chromedp.SetUploadFiles(fileInput("Importér budget (JSON)"), []string{budgetFile}),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="budget-summary"][contains(., "linjer")]`)),
		chromedp.Click(button("Vis budgettet")), chromedp.WaitVisible(chromedp.CSS(`#budget-pdf-frame`)))
	if s := d.eval(`document.getElementById("budget-summary").textContent`); !strings.Contains(s, "grupper") {
		t.Errorf("the budget summary says %q", s)
	}
	axe(t, d, "the budget tab")
}

// axeVersion is the axe-core the page is checked with (.ci/run installs
// it and names it in PROTOKOL_AXE).
const axeVersion = "4.11.0"

// axeSource is axe-core's script: PROTOKOL_AXE, else an installation
// under the user's cache (npm install --prefix ~/.cache/protokol-axe
// axe-core@4.11.0). Without it the checks are skipped, saying so; with
// PROTOKOL_AXE set they must run.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("PROTOKOL_AXE")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".cache", "protokol-axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("PROTOKOL_AXE") != "" {
			t.Fatalf("PROTOKOL_AXE: %v", err)
		}
		t.Logf("axe-core is not installed (npm install --prefix ~/.cache/protokol-axe axe-core@%s): the WCAG checks are skipped", axeVersion)
		return ""
	}
	if !strings.Contains(string(b[:min(len(b), 200)]), "axe v"+axeVersion) {
		t.Fatalf("%s is not axe-core %s", path, axeVersion)
	}
	return string(b)
}

// axe runs axe-core on the page as it is now and fails on any WCAG 2.1
// A or AA violation, naming the rule and the elements.
func axe(t *testing.T, d *driver, state string) {
	t.Helper()
	src := axeSource(t)
	if src == "" {
		return
	}
	if d.eval(`typeof axe`) != "object" {
		d.eval(src + "\n;\"\"")
	}
	out, err := chromedp.Run(d.ctx, chromedp.Evaluate[string](`axe.run(document, { iframes: false, runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
		.then(r => JSON.stringify({ passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")) })) }))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", state, err)
	}
	var r struct {
		Passes     int
		Violations []struct {
			ID, Help string
			Nodes    []string
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Passes < 10 {
		t.Errorf("axe, %s: only %d rules passed: did it run?", state, r.Passes)
	}
	t.Logf("axe, %s: %d rules passed, %d violated", state, r.Passes, len(r.Violations))
	for _, v := range r.Violations {
		t.Errorf("axe, %s: %s (%s) at %v", state, v.ID, v.Help, v.Nodes)
	}
}
