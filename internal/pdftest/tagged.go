package pdftest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// Tagged is what CheckTagged read from a PDF's structure.
type Tagged struct {
	Types    []string // structure element types in reading order
	Problems []string // broken rules, each named
}

// CheckTagged reads a PDF back with qpdf (an implementation of its own,
// not our writer's) and checks the machine-checkable conditions of the
// Matterhorn protocol and PDF/A that a tagged PDF must meet: document
// entries (MarkInfo, Lang, DisplayDocTitle, Metadata, OutputIntents, an
// ID); every text and path operator inside marked content; no MCID twice
// on a page; every MCID in the structure tree exactly once, and the
// parent tree pointing at the element that holds it; every link
// annotation printable, with Contents, owned by a Link element through
// an OBJR and its StructParent; tables with header cells; headings that
// never skip a level; the XMP
// metadata saying what the Info dictionary says.
func CheckTagged(t testing.TB, pdf []byte) Tagged {
	t.Helper()
	need(t, "qpdf")
	cmd := exec.Command("qpdf", "--json=2", "--json-stream-data=inline", write(t, pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	var doc struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		QPDF []map[string]json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.QPDF) < 2 {
		t.Fatalf("qpdf's JSON: %v", err)
	}
	c := &checker{objs: map[string]obj{}, owner: map[[2]string]string{}}
	for k, v := range doc.QPDF[1] {
		var o obj
		if err := json.Unmarshal(v, &o); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		c.objs[strings.TrimPrefix(k, "obj:")] = o
	}
	trailer := c.objs["trailer"].Value.(map[string]any)
	if id, ok := trailer["/ID"].([]any); !ok || len(id) != 2 {
		c.bad("the trailer has no /ID")
	}
	cat := c.dict(trailer["/Root"])
	if mi := c.dict(cat["/MarkInfo"]); mi["/Marked"] != true {
		c.bad("the catalog's /MarkInfo is not /Marked true")
	}
	if vp := c.dict(cat["/ViewerPreferences"]); vp["/DisplayDocTitle"] != true {
		c.bad("no /ViewerPreferences /DisplayDocTitle true")
	}
	if lang, _ := cat["/Lang"].(string); !strings.HasPrefix(lang, "u:") || len(lang) < 4 {
		c.bad("no document /Lang")
	}
	if ois, _ := c.resolve(cat["/OutputIntents"]).([]any); len(ois) == 0 {
		c.bad("no /OutputIntents")
	}
	if _, ok := cat["/Names"]; ok {
		if _, ef := c.dict(cat["/Names"])["/EmbeddedFiles"]; ef {
			c.bad("an /EmbeddedFiles tree")
		}
	}
	c.checkMetadata(cat, c.dict(trailer["/Info"]))

	// content: every operator that paints inside marked content
	pageOf := map[string]int{}
	for i, p := range doc.Pages {
		pageOf[p.Object] = i
		c.pages = append(c.pages, p.Object)
	}
	c.mcids = make([]map[int]bool, len(c.pages))
	for i, p := range c.pages {
		c.mcids[i] = c.content(i, c.dict(p))
	}

	// the structure tree
	root := c.dict(cat["/StructTreeRoot"])
	if root == nil {
		c.bad("no /StructTreeRoot")
		return Tagged{Problems: c.problems}
	}
	seen, annots := c.walkTree(root, pageOf)
	c.checkHeadingsAndTables()
	c.checkMCIDs(seen)
	c.checkParentTree(root, annots)
	return Tagged{Types: c.types, Problems: c.problems}
}

type obj struct {
	Value  any `json:"value"`
	Stream *struct {
		Dict map[string]any `json:"dict"`
		Data string         `json:"data"`
	} `json:"stream"`
}

type checker struct {
	objs     map[string]obj
	pages    []string
	mcids    []map[int]bool
	owner    map[[2]string]string // page and MCID -> element
	types    []string
	th       int
	problems []string
}

// checkTableRows: every row of a table has as many cells as its first
// (a cell spanning n columns counts n), so each cell sits under its
// header (Matterhorn 15-003 needs the headers; regular rows need this).
func (c *checker) checkTableRows(table map[string]any) {
	var widths []int
	var rows func(el map[string]any, depth int)
	rows = func(el map[string]any, depth int) {
		kids, ok := el["/K"].([]any)
		if !ok {
			kids = []any{el["/K"]}
		}
		if depth > 4 {
			return
		}
		for _, k := range kids {
			ref, ok := k.(string)
			if !ok {
				continue
			}
			kd := c.dict(ref)
			typ, _ := kd["/S"].(string)
			switch typ {
			case "/THead", "/TBody", "/TFoot":
				rows(kd, depth+1)
			case "/TR":
				n := 0
				cells, ok := kd["/K"].([]any)
				if !ok {
					cells = []any{kd["/K"]}
				}
				for _, cell := range cells {
					cr, ok := cell.(string)
					if !ok {
						continue
					}
					cd := c.dict(cr)
					if s, _ := cd["/S"].(string); s == "/TD" || s == "/TH" {
						span := 1
						if a := c.dict(cd["/A"]); a != nil {
							if cs, ok := a["/ColSpan"].(float64); ok {
								span = int(cs)
							}
						}
						n += span
					}
				}
				widths = append(widths, n)
			}
		}
	}
	rows(table, 0)
	for i, w := range widths {
		if w != widths[0] {
			c.bad("a table's row %d has %d cells, its first row %d: cells are announced under the wrong header", i+1, w, widths[0])
			return
		}
	}
}

// walkTree visits the structure tree in reading order: the element types,
// each table's rows, the TH count, which MCIDs it names how often, each
// MCID's owner, and each annotation's element.
func (c *checker) walkTree(root map[string]any, pageOf map[string]int) (seen map[[2]int]int, annots map[string]string) {
	seen = map[[2]int]int{}
	annots = map[string]string{} // annotation -> its Link element
	var walk func(ref any)
	walk = func(ref any) {
		id, _ := ref.(string)
		el := c.dict(ref)
		if el == nil {
			return
		}
		typ, _ := el["/S"].(string)
		typ = strings.TrimPrefix(typ, "/")
		c.types = append(c.types, typ)
		if typ == "Table" {
			c.checkTableRows(el)
		}
		if typ == "TH" {
			c.th++
		}
		kids, ok := el["/K"].([]any)
		if !ok {
			kids = []any{el["/K"]}
		}
		for _, k := range kids {
			switch k := k.(type) {
			case string: // an element
				walk(k)
			case map[string]any:
				switch k["/Type"] {
				case "/MCR":
					pg, _ := k["/Pg"].(string)
					mcid := int(k["/MCID"].(float64))
					key := [2]int{pageOf[pg], mcid}
					seen[key]++
					c.owner[[2]string{pg, strconv.Itoa(mcid)}] = id
				case "/OBJR":
					a, _ := k["/Obj"].(string)
					annots[a] = typ
				}
			}
		}
	}
	walk(root["/K"])
	return seen, annots
}

// checkHeadingsAndTables: headings never skip a level, and tables have
// header cells.
func (c *checker) checkHeadingsAndTables() {

	// headings in reading order never skip a level (Matterhorn 14-003)
	last := 0
	for _, typ := range c.types {
		if len(typ) == 2 && typ[0] == 'H' && typ[1] >= '1' && typ[1] <= '6' {
			if l := int(typ[1] - '0'); l > last+1 {
				c.bad("heading %s follows H%d: a level is skipped", typ, last)
				break
			} else {
				last = l
			}
		}
	}
	tables := 0
	for _, typ := range c.types {
		if typ == "Table" {
			tables++
		}
	}
	if tables > 0 && c.th == 0 {
		c.bad("%d tables and no TH", tables)
	}
}

// checkMCIDs: every MCID of a page is in the structure tree exactly once,
// and the tree names none a page does not have.
func (c *checker) checkMCIDs(seen map[[2]int]int) {
	for p, ids := range c.mcids {
		for id := range ids {
			if seen[[2]int{p, id}] != 1 {
				c.bad("page %d MCID %d is in the structure tree %d times", p+1, id, seen[[2]int{p, id}])
			}
		}
	}
	for key, n := range seen {
		if !c.mcids[key[0]][key[1]] {
			c.bad("the structure tree names page %d MCID %d, which the page does not have (%d times)", key[0]+1, key[1], n)
		}
	}
}

func (c *checker) bad(format string, a ...any) {
	if len(c.problems) < 50 {
		c.problems = append(c.problems, fmt.Sprintf(format, a...))
	}
}

// resolve follows a reference ("4 0 R") to its value.
func (c *checker) resolve(v any) any {
	if s, ok := v.(string); ok && strings.HasSuffix(s, " 0 R") {
		o := c.objs[s]
		if o.Stream != nil {
			return o.Stream.Dict
		}
		return o.Value
	}
	return v
}

func (c *checker) dict(v any) map[string]any {
	d, _ := c.resolve(v).(map[string]any)
	return d
}

func (c *checker) stream(v any) []byte {
	s, ok := v.(string)
	if !ok || c.objs[s].Stream == nil {
		return nil
	}
	b, _ := base64.StdEncoding.DecodeString(c.objs[s].Stream.Data)
	return b
}

// painting are the operators that put marks on the page.
var painting = map[string]bool{"Tj": true, "TJ": true, "'": true, `"`: true, "S": true, "s": true, "f": true, "F": true,
	"f*": true, "B": true, "B*": true, "b": true, "b*": true, "sh": true, "Do": true}

// content checks a page's content stream and returns its MCIDs.
func (c *checker) content(page int, p map[string]any) map[int]bool {
	ids := map[int]bool{}
	var data []byte
	switch cs := p["/Contents"].(type) {
	case string:
		data = c.stream(cs)
	case []any:
		for _, s := range cs {
			data = append(data, c.stream(s)...)
		}
	}
	var stack []int // MCIDs of open marked content, -1 for artifacts and others
	var operands []string
	for _, tok := range tokens(data) {
		if !isOperator(tok) {
			operands = append(operands, tok)
			continue
		}
		switch tok {
		case "BDC":
			mcid := -1
			if len(operands) > 0 {
				if m := mcidRe.FindStringSubmatch(operands[len(operands)-1]); m != nil {
					mcid, _ = strconv.Atoi(m[1])
					if ids[mcid] {
						c.bad("page %d: MCID %d is used twice", page+1, mcid)
					}
					ids[mcid] = true
				}
			}
			stack = append(stack, mcid)
		case "BMC":
			stack = append(stack, -1)
		case "EMC":
			if len(stack) == 0 {
				c.bad("page %d: EMC without BDC or BMC", page+1)
			} else {
				stack = stack[:len(stack)-1]
			}
		default:
			if painting[tok] && len(stack) == 0 {
				c.bad("page %d: %q outside marked content", page+1, tok)
			}
		}
		operands = operands[:0]
	}
	if len(stack) != 0 {
		c.bad("page %d: %d marked-content sequences left open", page+1, len(stack))
	}
	return ids
}

var mcidRe = regexp.MustCompile(`/MCID (\d+)`)

// tokens splits a content stream into operands and operators; a
// dictionary operand is one token.
func tokens(b []byte) []string {
	var out []string
	for i := 0; i < len(b); {
		switch ch := b[i]; {
		case ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t':
			i++
		case ch == '(':
			j, depth := i, 0
			for ; j < len(b); j++ {
				if b[j] == '\\' {
					j++
				} else if b[j] == '(' {
					depth++
				} else if b[j] == ')' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			out = append(out, string(b[i:min(j+1, len(b))]))
			i = j + 1
		case ch == '<' && i+1 < len(b) && b[i+1] == '<':
			j := bytes.Index(b[i:], []byte(">>"))
			if j < 0 {
				j = len(b) - i - 2
			}
			out = append(out, string(b[i:i+j+2]))
			i += j + 2
		case ch == '<':
			j := bytes.IndexByte(b[i:], '>')
			out = append(out, string(b[i:i+j+1]))
			i += j + 1
		case ch == '[' || ch == ']':
			out = append(out, string(ch))
			i++
		default:
			j := i + 1
			for j < len(b) && !strings.ContainsRune(" \n\r\t()<>[]/", rune(b[j])) {
				j++
			}
			out = append(out, string(b[i:j]))
			i = j
		}
	}
	return out
}

func isOperator(tok string) bool {
	if tok == "" || tok == "[" || tok == "]" {
		return false
	}
	switch ch := tok[0]; {
	case ch == '/' || ch == '(' || ch == '<' || ch == '-' || ch == '+' || ch == '.' || (ch >= '0' && ch <= '9'):
		return false
	}
	return true
}

// checkParentTree: every page's entry lists, by MCID, the element that
// holds it; every link annotation is printable, has Contents, and is
// owned, through its StructParent, by the Link element whose OBJR names
// it.
func (c *checker) checkParentTree(root map[string]any, annotOwners map[string]string) {
	pt := c.dict(root["/ParentTree"])
	nums, _ := pt["/Nums"].([]any)
	entries := map[int]any{}
	for i := 0; i+1 < len(nums); i += 2 {
		entries[int(nums[i].(float64))] = nums[i+1]
	}
	for i, pref := range c.pages {
		p := c.dict(pref)
		sp, ok := p["/StructParents"].(float64)
		if !ok {
			c.bad("page %d has no /StructParents", i+1)
			continue
		}
		arr, _ := c.resolve(entries[int(sp)]).([]any)
		for mcid := range c.mcids[i] {
			if mcid >= len(arr) || arr[mcid] != c.owner[[2]string{pref, strconv.Itoa(mcid)}] {
				c.bad("page %d MCID %d: the parent tree does not name the element that holds it", i+1, mcid)
			}
		}
		annots, _ := c.resolve(p["/Annots"]).([]any)
		if len(annots) > 0 && p["/Tabs"] != "/S" {
			c.bad("page %d has annotations but no /Tabs /S", i+1)
		}
		for _, a := range annots {
			ad := c.dict(a)
			if ad["/Subtype"] != "/Link" {
				continue
			}
			if f, _ := ad["/F"].(float64); int(f)&4 == 0 {
				c.bad("page %d: a link annotation without the print flag", i+1)
			}
			if _, ok := ad["/Contents"]; !ok {
				c.bad("page %d: a link annotation without /Contents", i+1)
			}
			ref, _ := a.(string)
			if annotOwners[ref] != "Link" {
				c.bad("page %d: link annotation %s is in no Link element", i+1, ref)
			}
			k, ok := ad["/StructParent"].(float64)
			if !ok || entries[int(k)] == nil {
				c.bad("page %d: link annotation %s has no parent-tree entry", i+1, ref)
			}
		}
	}
}

// checkMetadata compares the XMP packet with the Info dictionary.
func (c *checker) checkMetadata(cat, info map[string]any) {
	xmp := string(c.stream(cat["/Metadata"]))
	if xmp == "" {
		c.bad("no XMP metadata")
		return
	}
	for _, want := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>A</pdfaid:conformance>", "<pdfuaid:part>1</pdfuaid:part>"} {
		if !strings.Contains(xmp, want) {
			c.bad("the XMP metadata lacks %s", want)
		}
	}
	for key, tag := range map[string]string{"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description", "/Keywords": "pdf:Keywords", "/Producer": "pdf:Producer"} {
		v, ok := info[key].(string)
		if !ok {
			continue
		}
		text := pdfText(v)
		m := regexp.MustCompile(`<` + tag + `>(?:<rdf:\w+>(?:<rdf:li[^>]*>))?([^<]*)<`).FindStringSubmatch(xmp)
		if m == nil || xmlText(m[1]) != text {
			c.bad("Info %s %q, but XMP %s %q", key, text, tag, m)
		}
	}
}

// pdfText decodes qpdf's JSON form of a PDF string ("u:text" or "b:hex").
func pdfText(s string) string {
	if t, ok := strings.CutPrefix(s, "u:"); ok {
		return t
	}
	h, _ := strings.CutPrefix(s, "b:")
	var u []uint16
	for i := 4; i+4 <= len(h); i += 4 {
		n, _ := strconv.ParseUint(h[i:i+4], 16, 16)
		u = append(u, uint16(n))
	}
	return string(utf16.Decode(u))
}

func xmlText(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}
