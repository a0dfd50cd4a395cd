package render_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"protokol/internal/data"
	"protokol/internal/render"
	"protokol/internal/render/pdf"
)

// twentyPages is an attachment as municipalities' systems write them: 20
// pages of text in embedded, subset fonts with compressed streams (our
// own writer's, as it is at hand), distinct for each n.
func twentyPages(b testing.TB, n int) []byte {
	b.Helper()
	var md strings.Builder
	for p := range 20 {
		if p > 0 {
			md.WriteString("\n<!-- pagebreak -->\n\n")
		}
		fmt.Fprintf(&md, "## Bilag %d, afsnit %d\n\n", n, p+1)
		for range 6 {
			md.WriteString("Forvaltningen har gennemgået de 30 omprioriteringsforslag, som analysen peger på. Der er i den forbindelse udarbejdet et notat med tilhørende bilag, og forvaltningen er kritisk over for analysen på en række punkter.\n\n")
		}
	}
	var buf bytes.Buffer
	st, err := pdf.Render(context.Background(), &buf, &pdf.Document{Markdown: md.String(), Title: fmt.Sprintf("Bilag %d", n), Lang: "da"})
	if err != nil || st.Pages != 20 {
		b.Fatalf("attachment %d: %d pages, %v", n, st.Pages, err)
	}
	return buf.Bytes()
}

// packetMeeting is the example meeting with ten attachments of 20 pages.
func packetMeeting(b testing.TB) (*data.Meeting, map[string][]byte) {
	m := meeting(b)
	clearFiles(m)
	files := map[string][]byte{}
	n := 0
	for i := range m.Items {
		for j := range m.Items[i].Attachments {
			if n == 10 {
				break
			}
			name := fmt.Sprintf("bilag-%d.pdf", n)
			m.Items[i].Attachments[j].File = name
			files[name] = twentyPages(b, n)
			n++
		}
	}
	if n != 10 {
		b.Fatalf("%d attachments", n)
	}
	return m, files
}

// BenchmarkPacket renders the example agenda with ten attachments of 20
// pages each (about 215 pages): read the files, lay out, copy their
// pages in. Goal: 300 ms and 150 MB.
func BenchmarkPacket(b *testing.B) {
	r := newRenderer(b)
	m, files := packetMeeting(b)
	size := 0
	for _, f := range files {
		size += len(f)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: files}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Pages), "pages")
		b.ReportMetric(float64(len(res.Body))/1e6, "MB-out")
	}
	b.ReportMetric(float64(size)/1e6, "MB-in")
}
