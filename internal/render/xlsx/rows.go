package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
)

// A table's rows are not written through excelize's stream writer, which
// keeps a sheet's XML in a buffer that grows to 32 MiB before it spills
// to a temporary file, and then copies it back: a 100,000-line workbook
// peaked at 106 MB. excelize writes each sheet with everything but its
// rows (widths, panes, title and header rows, the notes under the table,
// merges, page setup) and a marker row where the rows go; when it writes
// the workbook's zip, the splicer below catches that sheet's entry,
// small now, and writes it with the marker row replaced by the table's
// rows, made from the JSON as the zip's deflater takes them. The cells
// are written as excelize's stream writer writes them (inline strings,
// stored formula values), so a reader sees no difference.

// marker is the text of the row a table's rows replace.
func marker(table int) string { return markerOpen + strconv.Itoa(table) + markerClose }

const markerOpen, markerClose = "\u27e6protokol:rows:", "\u27e7"

// splicer is the zip writer excelize writes the workbook with.
type splicer struct {
	zw       *zip.Writer
	tables   map[string]*spliced // by marker
	held     []heldSheet         // sheet entries not yet written
	names    []definedName       // the sheets' print titles and areas
	buf      *bufio.Writer       // see rowBuffer
	workbook *bytes.Buffer       // the workbook's entry, held to add names to
}

// definedName is a sheet's print titles or print area. excelize's
// SetDefinedName looks up the sheet of every name already defined by
// building the list of sheets anew, so a workbook of n tables cost n³:
// 1,000 tables spent 11 of their 15 s there. The splicer writes them into
// the workbook's entry instead, each scoped to its sheet's place in the
// workbook's own list of sheets, as excelize scopes them.
type definedName struct{ sheet, name, refersTo string }

// define adds a name scoped to a sheet; the names are written in the
// order defined.
func (s *splicer) define(sheet, name, refersTo string) {
	s.names = append(s.names, definedName{sheet, name, refersTo})
}

type heldSheet struct {
	name string
	xml  *bytes.Buffer
}

// spliced is a table whose rows the splicer writes.
type spliced struct {
	rows    func(io.Writer) error
	lastRow int    // the sheet's last row
	lastCol string // its last column's name
}

// rowBuffer is the buffer a table's rows are written to w through: one
// for all the tables (their sheets are written one after another), not
// 64 KiB more for each.
func (s *splicer) rowBuffer(w io.Writer) *bufio.Writer {
	if s.buf == nil {
		s.buf = bufio.NewWriterSize(w, 64<<10)
	} else {
		s.buf.Reset(w)
	}
	return s.buf
}

func newSplicer() *splicer {
	return &splicer{tables: map[string]*spliced{}}
}

// writeTo makes the splicer the zip writer of the workbook written to w.
func (s *splicer) writeTo(w io.Writer) excelize.ZipWriter {
	s.zw = zip.NewWriter(w)
	// the sheet XML of a large table is tens of megabytes: the fastest
	// deflate level writes it in a third of the time for a few % more bytes;
	// its writers (a megabyte of state each) are kept for the next entry
	s.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		w := zipFlate.Get().(*flate.Writer)
		w.Reset(out)
		return pooledFlate{w}, nil
	})
	return s
}

func (s *splicer) Create(name string) (io.Writer, error) {
	if strings.HasPrefix(name, "xl/worksheets/sheet") && len(s.tables) > 0 {
		// held, small (their rows are not in them yet), until the other
		// parts come: excelize writes sheets in its map's order, and they
		// go into the zip sorted, so a workbook is the same file each time
		b := &bytes.Buffer{}
		s.held = append(s.held, heldSheet{name, b})
		return b, nil
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	if name == "xl/workbook.xml" && len(s.names) > 0 {
		s.workbook = &bytes.Buffer{}
		return s.workbook, nil
	}
	return s.zw.Create(name)
}

func (s *splicer) AddFS(fsys fs.FS) error {
	if err := s.finish(); err != nil {
		return err
	}
	return s.zw.AddFS(fsys)
}

func (s *splicer) Close() error {
	if err := s.finish(); err != nil {
		return err
	}
	return s.zw.Close()
}

// finish writes the workbook's entry held (with the defined names), then
// the sheets held, in their order, each with its table's
// rows spliced in where its marker row is.
func (s *splicer) finish() error {
	if wb := s.workbook; wb != nil {
		s.workbook = nil
		b, err := withNames(wb.Bytes(), s.names)
		if err != nil {
			return fmt.Errorf("workbook: %w", err)
		}
		w, err := s.zw.Create("xl/workbook.xml")
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	held := s.held
	s.held = nil
	// in the sheets' order (sheet2 before sheet10), which is the tables'
	// order: their rows are then read from the JSON in one pass, where
	// the names' order read it from the start for each table (n² for a
	// thousand tables)
	slices.SortFunc(held, func(a, b heldSheet) int {
		return cmp.Or(cmp.Compare(len(a.name), len(b.name)), strings.Compare(a.name, b.name))
	})
	for _, h := range held {
		if err := s.writeSheet(h.name, h.xml.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func (s *splicer) writeSheet(name string, xmlText []byte) error {
	w, err := s.zw.Create(name)
	if err != nil {
		return err
	}
	p, err := s.locate(xmlText)
	if err != nil {
		return fmt.Errorf("workbook: %s: %w", name, err)
	}
	if p.table == nil {
		_, err = w.Write(xmlText) // a sheet without a table's rows
		return err
	}
	parts := [][]byte{xmlText[:p.dim[0]], fmt.Appendf(nil, `<dimension ref="A1:%s%d"/>`, p.table.lastCol, p.table.lastRow), xmlText[p.dim[1]:p.row[0]]}
	if p.dim[1] == 0 { // no dimension element: the head as it is
		parts = [][]byte{xmlText[:p.row[0]]}
	}
	for _, b := range parts {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if err := p.table.rows(w); err != nil {
		return err
	}
	_, err = w.Write(xmlText[p.row[1]:])
	return err
}

// placeholder is where a sheet's table rows go: the byte range of the
// marker's row and of the dimension element, and the table.
type placeholder struct {
	table    *spliced
	row, dim [2]int64
}

// locate reads the sheet's XML (small: its table's rows are not in it
// yet) as XML tokens and finds the row whose cell holds a table's marker
// and the dimension element, by their offsets.
func (s *splicer) locate(xmlText []byte) (placeholder, error) {
	var p placeholder
	d := xml.NewDecoder(bytes.NewReader(xmlText))
	rowStart := int64(-1)
	for {
		at := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			if p.table != nil && p.row[1] == 0 {
				return p, errors.New("the marker row does not end")
			}
			return p, nil
		}
		if err != nil {
			return p, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "row":
				rowStart = at
			case "dimension":
				p.dim[0] = at
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "row":
				if p.table != nil && p.row[1] == 0 {
					p.row = [2]int64{rowStart, d.InputOffset()}
				}
			case "dimension":
				p.dim[1] = d.InputOffset()
			}
		case xml.CharData:
			if t := s.tables[string(tok)]; t != nil && p.table == nil {
				if rowStart < 0 {
					return p, errors.New("the marker row is not a row")
				}
				p.table = t
			}
		}
	}
}

// rowWriter writes rows of cells in the sheet XML excelize's stream
// writer would write.
type rowWriter struct {
	w   *bufio.Writer
	row int
	ref []byte // scratch for a cell reference
}

func (x *rowWriter) start(row int, height float64) {
	x.row = row
	x.w.WriteString(`<row r="`)
	x.w.WriteString(strconv.Itoa(row))
	x.w.WriteByte('"')
	if height > 0 {
		x.w.WriteString(` ht="`)
		x.w.WriteString(strconv.FormatFloat(height, 'f', -1, 64))
		x.w.WriteString(`" customHeight="1"`)
	}
	x.w.WriteByte('>')
}

func (x *rowWriter) end() { x.w.WriteString(`</row>`) }

// open starts a cell: its reference, style and type.
func (x *rowWriter) open(col, style int, typ string) {
	x.ref = append(colAppend(x.ref[:0], col), strconv.Itoa(x.row)...)
	x.w.WriteString(`<c r="`)
	x.w.Write(x.ref)
	x.w.WriteByte('"')
	if style != 0 {
		x.w.WriteString(` s="`)
		x.w.WriteString(strconv.Itoa(style))
		x.w.WriteByte('"')
	}
	if typ != "" {
		x.w.WriteString(` t="`)
		x.w.WriteString(typ)
		x.w.WriteByte('"')
	}
	x.w.WriteByte('>')
}

func (x *rowWriter) formula(f string) {
	if f != "" {
		x.w.WriteString(`<f>`)
		xml.EscapeText(x.w, []byte(f))
		x.w.WriteString(`</f>`)
	}
}

// text is a string cell (an inline string, as excelize writes it).
func (x *rowWriter) text(col, style int, s string) {
	x.open(col, style, "inlineStr")
	x.w.WriteString(`<is><t`)
	if preserve(s) {
		x.w.WriteString(` xml:space="preserve"`)
	}
	x.w.WriteByte('>')
	writeText(x.w, s)
	x.w.WriteString(`</t></is></c>`)
}

// formulaText is a formula with its text value stored.
func (x *rowWriter) formulaText(col, style int, f, v string) {
	x.open(col, style, "str")
	x.formula(f)
	x.w.WriteString(`<v>`)
	writeText(x.w, v)
	x.w.WriteString(`</v></c>`)
}

// number is a number, with the formula that computes it if any.
func (x *rowWriter) number(col, style int, v float64, f string) {
	x.open(col, style, "")
	x.formula(f)
	x.w.WriteString(`<v>`)
	x.w.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	x.w.WriteString(`</v></c>`)
}

// preserve: leading or trailing white space, which XML readers drop.
func preserve(s string) bool {
	if s == "" {
		return false
	}
	return strings.ContainsRune("\t\n\r ", rune(s[0])) || strings.ContainsRune("\t\n\r ", rune(s[len(s)-1]))
}

// escapedBstr is text Excel would read as an escaped character (_x000D_):
// its underscore is escaped itself (_x005F_), as excelize does.
var escapedBstr = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

func writeText(w *bufio.Writer, s string) {
	s = plain(s)
	if strings.Contains(s, "_x") {
		s = escapedBstr.ReplaceAllString(s, "_x005F$0")
	}
	xml.EscapeText(w, []byte(s))
}

// colAppend appends a column's letters (1 = A).
func colAppend(b []byte, col int) []byte {
	var letters [4]byte
	i := len(letters)
	for col > 0 {
		col--
		i--
		letters[i] = byte('A' + col%26)
		col /= 26
	}
	return append(b, letters[i:]...)
}

// zipFlate keeps the workbook's deflaters across zip entries and
// workbooks: a new one per entry cost a workbook a megabyte an entry.
var zipFlate = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// pooledFlate returns its writer to the pool when the entry is closed.
type pooledFlate struct{ *flate.Writer }

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	zipFlate.Put(p.Writer)
	return err
}

// withNames is the workbook's XML with the defined names added after its
// list of sheets (their place in the schema's order; excelize writes none
// of what may stand between), each scoped to its sheet's index in that
// list. The XML is written as encoding/xml writes it, as excelize would.
func withNames(wb []byte, names []definedName) ([]byte, error) {
	start, end := bytes.Index(wb, []byte("<sheets>")), bytes.Index(wb, []byte("</sheets>"))
	if start < 0 || end < start || bytes.Contains(wb, []byte("<definedNames")) {
		return nil, errors.New("its list of sheets is not where it is expected")
	}
	end += len("</sheets>")
	index := map[string]int{}
	d := xml.NewDecoder(bytes.NewReader(wb[start:end]))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "sheet" {
			for _, a := range el.Attr {
				if a.Name.Local == "name" {
					index[a.Value] = len(index)
				}
			}
		}
	}
	var b bytes.Buffer
	b.Write(wb[:end])
	b.WriteString("<definedNames>")
	for _, n := range names {
		i, ok := index[n.sheet]
		if !ok {
			return nil, fmt.Errorf("a name for the sheet %q, which it does not list", n.sheet)
		}
		fmt.Fprintf(&b, `<definedName localSheetId="%d" name="`, i)
		_ = xml.EscapeText(&b, []byte(n.name))
		b.WriteString(`">`)
		_ = xml.EscapeText(&b, []byte(n.refersTo))
		b.WriteString("</definedName>")
	}
	b.WriteString("</definedNames>")
	b.Write(wb[end:])
	return b.Bytes(), nil
}
