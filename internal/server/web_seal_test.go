package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"protokol/examples"
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
