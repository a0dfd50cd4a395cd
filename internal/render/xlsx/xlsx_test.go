package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/locale"
)

func decode(t testing.TB, js []byte) *data.Budget {
	t.Helper()
	b, err := data.DecodeBudget(js)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func open(t testing.TB, b *data.Budget, lang locale.Lang) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, b, lang); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// find returns the row number whose column A reads label.
func find(t *testing.T, f *excelize.File, sheet, label string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			return i + 1
		}
	}
	t.Fatalf("no row %q in %s", label, sheet)
	return 0
}

func get(t *testing.T, f *excelize.File, sheet, cell string) (formula, raw, shown string) {
	t.Helper()
	var err error
	if formula, err = f.GetCellFormula(sheet, cell); err != nil {
		t.Fatal(err)
	}
	if raw, err = f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); err != nil {
		t.Fatal(err)
	}
	if shown, err = f.GetCellValue(sheet, cell); err != nil {
		t.Fatal(err)
	}
	return
}

func TestFixtureWorkbook(t *testing.T) {
	f := open(t, decode(t, examples.Read(examples.Budget)), locale.Danish)
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Den samlede aktiveringsramme" || sheets[1] != "Overblik over fordelingen af" {
		t.Fatalf("sheets = %q", sheets)
	}
	s := sheets[1]
	total, budget, diff := find(t, f, s, "Samlet"), find(t, f, s, "Budget"), find(t, f, s, "Overdisponering")
	// the fixture has a note column, so amounts are in column C
	if formula, raw, shown := get(t, f, s, fmt.Sprintf("C%d", total)); formula != fmt.Sprintf("SUBTOTAL(9,C%d:C%d)", firstData, total-1) || raw != "295875000" || shown != "295,875,000" {
		t.Errorf("total: %q %q %q", formula, raw, shown)
	}
	if _, raw, _ := get(t, f, s, fmt.Sprintf("C%d", budget)); raw != "292100000" {
		t.Errorf("budget: %q", raw)
	}
	if formula, raw, _ := get(t, f, s, fmt.Sprintf("C%d", diff)); formula != fmt.Sprintf("ABS(C%d-C%d)", total, budget) || raw != "3775000" {
		t.Errorf("difference: %q %q", formula, raw)
	}
	if formula, _, _ := get(t, f, s, fmt.Sprintf("A%d", diff)); !strings.Contains(formula, `"Overdisponering","Ikke disponeret"`) {
		t.Errorf("the difference label is not live: %q", formula)
	}
	// the first table shows kroner as mio. kr. with three decimals
	if _, raw, shown := get(t, f, sheets[0], "B5"); raw != "209607000" || shown != "209.607" {
		t.Errorf("mio. kr.: raw %q shown %q", raw, shown)
	}
	if _, raw, shown := get(t, f, sheets[0], "B10"); raw != "292101000" || shown != "292.101" {
		t.Errorf("mio. kr. total: raw %q shown %q", raw, shown)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "Fordeling af aktiveringsrammen 2016" || props.Creator != "Aalborg Kommune" {
		t.Errorf("document properties: %+v %v", props, err)
	}
	layout, err := f.GetPageLayout(s)
	if err != nil || layout.Size == nil || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("print setup: %+v %v", layout, err)
	}
	panes, err := f.GetPanes(s)
	if err != nil || !panes.Freeze || panes.YSplit != headerRow {
		t.Errorf("header not frozen: %+v", panes)
	}
	names := f.GetDefinedName()
	titles, area := false, false
	for _, n := range names {
		titles = titles || n.Name == "_xlnm.Print_Titles" && n.Scope == s && strings.HasSuffix(n.RefersTo, "$4:$4")
		area = area || n.Name == "_xlnm.Print_Area" && n.Scope == s && strings.HasSuffix(n.RefersTo, fmt.Sprintf("!$A$1:$C$%d", diff+2))
	}
	if !titles || !area {
		t.Errorf("no repeated header row or print area (label, note and amount columns): %+v", names)
	}
	// the note under the table is one cell across the table's width
	merged, err := f.GetMergeCells(s)
	if err != nil || len(merged) != 1 || merged[0].GetStartAxis() != fmt.Sprintf("A%d", diff+2) || merged[0].GetEndAxis() != fmt.Sprintf("C%d", diff+2) ||
		!strings.HasPrefix(merged[0].GetCellValue(), "Budgettet er eksklusiv") {
		t.Errorf("note not merged across the table: %+v %v", merged, err)
	}
	hf, err := f.GetHeaderFooter(s)
	if err != nil || !strings.Contains(hf.OddFooter, "&P af &N") {
		t.Errorf("footer: %+v", hf)
	}
}

// TestFormulasAgainstIndependentTotals builds nested groups with a computed
// column, then checks every formula and stored value against sums worked
// out here in integer øre.
func TestFormulasAgainstIndependentTotals(t *testing.T) {
	js := `{"title":"Opfølgning","municipality":"Odense Kommune","tables":[{"title":"Forbrug","unit":"1.000 kr.","decimals":1,
	"columns":[{"key":"budget","label":"Korrigeret budget"},{"key":"spent","label":"Forventet regnskab"},{"key":"diff","label":"Afvigelse","formula":"budget - spent"}],
	"rows":[
	  {"label":"Beskæftigelse","rows":[
	    {"label":"Jobcenter","values":{"budget":1000000.10,"spent":900000.20}},
	    {"label":"Ydelser","rows":[
	      {"label":"Kontanthjælp","values":{"budget":0.1,"spent":0.2}},
	      {"label":"Dagpenge","values":{"budget":123456789012.07,"spent":-5}}]}]},
	  {"label":"Administration","values":{"budget":250000,"spent":260000.5}}],
	"legend":"- = merforbrug + = mindreforbrug"}]}`
	f := open(t, decode(t, []byte(js)), locale.Danish)
	s := "Forbrug"
	øre := func(kr string) int64 {
		whole, frac, _ := strings.Cut(kr, ".")
		frac = (frac + "00")[:2]
		n, _ := strconv.ParseInt(whole+frac, 10, 64)
		return n
	}
	type want struct {
		label   string
		formula [3]string
		values  [3]int64 // øre
	}
	jc, kh, dp, ad := int64(100000010), int64(10), int64(12345678901207), int64(25000000)
	jcs, khs, dps, ads := int64(90000020), int64(20), int64(-500), int64(26000050)
	ydB, ydS := kh+dp, khs+dps
	beB, beS := jc+ydB, jcs+ydS
	totB, totS := beB+ad, beS+ads
	rows := []want{
		{"Jobcenter", [3]string{"", "", "B6-C6"}, [3]int64{jc, jcs, jc - jcs}},
		{"Kontanthjælp", [3]string{"", "", "B8-C8"}, [3]int64{kh, khs, kh - khs}},
		{"Ydelser i alt", [3]string{"SUBTOTAL(9,B8:B9)", "SUBTOTAL(9,C8:C9)", "SUBTOTAL(9,D8:D9)"}, [3]int64{ydB, ydS, ydB - ydS}},
		{"Beskæftigelse i alt", [3]string{"SUBTOTAL(9,B6:B10)", "SUBTOTAL(9,C6:C10)", "SUBTOTAL(9,D6:D10)"}, [3]int64{beB, beS, beB - beS}},
		{"Administration", [3]string{"", "", "B12-C12"}, [3]int64{ad, ads, ad - ads}},
		{"I alt", [3]string{"SUBTOTAL(9,B5:B12)", "SUBTOTAL(9,C5:C12)", "SUBTOTAL(9,D5:D12)"}, [3]int64{totB, totS, totB - totS}},
	}
	for _, w := range rows {
		r := find(t, f, s, w.label)
		for i, col := range []string{"B", "C", "D"} {
			formula, raw, _ := get(t, f, s, fmt.Sprintf("%s%d", col, r))
			if formula != w.formula[i] {
				t.Errorf("%s %s%d: formula %q, want %q", w.label, col, r, formula, w.formula[i])
			}
			if got := øre(raw); got != w.values[i] {
				t.Errorf("%s %s%d: stored %q (%d øre), want %d øre", w.label, col, r, raw, got, w.values[i])
			}
		}
	}
	if _, _, shown := get(t, f, s, fmt.Sprintf("B%d", find(t, f, s, "I alt"))); shown != "123,458,039.0" {
		t.Errorf("1.000 kr. with one decimal shows %q", shown)
	}
	if v, _ := f.GetCellValue(s, fmt.Sprintf("A%d", find(t, f, s, "I alt")+2)); v != "- = merforbrug + = mindreforbrug" {
		t.Errorf("legend: %q", v)
	}
}

func TestSheetNames(t *testing.T) {
	emoji := strings.Repeat("\U0001F600", 16)
	tables := []data.BudgetTable{
		{Title: "Budget [2016]: drift/anlæg * ? \\ – en meget lang titel"},
		{Title: "Budget [2016]: drift/anlæg * ? \\ – en meget lang titel"},
		{Title: "'History'"},
		{Title: "   "},
		{Title: "budget [2016]: drift/anlæg * ? \\ – en meget lang titel"},
		{Title: "Fordeling af aktiveringsrammen til jobcentrene 2016"},
		{Title: emoji},
		{Title: emoji},
		{Title: "Beskæftigelsesudvalgetsbudgetopfølgning2016"},
		{Title: "Forventet regnskab 2012, Beskæftigelsesudvalget"},
		{Title: "Ignoreret titel", Sheet: "Eget navn"},
	}
	got := sheetNames(tables)
	want := []string{"Budget -2016-- drift-anlæg", "Budget -2016-- drift-anlæg (2)", "Tabel 3", "Tabel 4", "budget -2016-- drift-anlæg (3)",
		"Fordeling af aktiveringsrammen", strings.Repeat("\U0001F600", 15), strings.Repeat("\U0001F600", 13) + " (2)",
		"Beskæftigelsesudvalgetsbudgetop", "Forventet regnskab 2012", "Eget navn"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sheet %d: %q, want %q", i, got[i], want[i])
		}
		if n := len(utf16.Encode([]rune(got[i]))); n > 31 {
			t.Errorf("sheet name %q has %d UTF-16 units", got[i], n)
		}
	}
	// excelize refuses what Excel refuses: every name must be accepted
	var b data.Budget
	for _, tt := range tables {
		tt.Unit = "kr."
		tt.Columns = []data.Column{{Key: "a", Label: "A"}}
		tt.Rows = []data.Row{{Label: "x"}}
		b.Tables = append(b.Tables, tt)
	}
	if err := Write(context.Background(), io.Discard, &b, locale.Danish); err != nil {
		t.Fatal(err)
	}
}

// TestRowTextIsKeptExactly: the rows' cells are written by our own
// writer (rows.go); text a spreadsheet reads specially comes back as
// given: markup characters, leading and trailing spaces, line breaks,
// Excel's own escapes (_x0041_), quotes in labels that formulas quote.
func TestRowTextIsKeptExactly(t *testing.T) {
	labels := []string{`Løn & <overtid> "A/S"`, "  indrykket", "slut ", "_x0041_ er ikke A", "_x005F_", "Øvrigt æøå – “citat”"}
	notes := []string{"første linje\nanden linje", "tab\tinde", "", "<b>ikke fed</b>", "&amp;", ""}
	var rows []string
	for i, l := range labels {
		rows = append(rows, fmt.Sprintf(`{"label":%q,"note":%q,"values":{"a":%d}}`, l, notes[i], i+1))
	}
	js := `{"title":"Tekst","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[` + strings.Join(rows, ",") + `]}]}`
	f := open(t, decode(t, []byte(js)), locale.Danish)
	for i, l := range labels {
		r := firstData + i
		if got, _ := f.GetCellValue("T", fmt.Sprintf("A%d", r)); got != l {
			t.Errorf("label %d: %q, want %q", i, got, l)
		}
		if got, _ := f.GetCellValue("T", fmt.Sprintf("B%d", r)); got != notes[i] {
			t.Errorf("note %d: %q, want %q", i, got, notes[i])
		}
		if got, _ := f.GetCellValue("T", fmt.Sprintf("C%d", r), excelize.Options{RawCellValue: true}); got != strconv.Itoa(i+1) {
			t.Errorf("amount %d: %q", i, got)
		}
	}
}

// TestWorkbookIsTheSameFileEachTime: excelize writes a workbook's sheets
// in its map's order; the splicer puts them in name order, so a workbook
// of many tables is the same bytes every time.
func TestWorkbookIsTheSameFileEachTime(t *testing.T) {
	var tables []string
	for i := range 30 {
		tables = append(tables, fmt.Sprintf(`{"title":"Tabel %d","columns":[{"key":"a","label":"A"}],"rows":[{"label":"r","values":{"a":%d}}]}`, i, i))
	}
	b := decode(t, []byte(`{"title":"Mange","tables":[`+strings.Join(tables, ",")+`]}`))
	var first []byte
	for i := range 5 {
		var buf bytes.Buffer
		if err := Write(context.Background(), &buf, b, locale.Danish); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
		} else if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("render %d differs from the first", i+1)
		}
	}
}

// Every cell's style names the workbook's font (LibreOffice set every
// style without one in a serif), and a header's unit never breaks
// inside ("(1.000 / kr.)").
func TestEveryStyleNamesTheFont(t *testing.T) {
	f := open(t, decode(t, examples.Read(examples.Budget)), locale.Danish)
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				st := cellStyle(t, f, sheet, cell)
				if st.Font == nil || st.Font.Family != "Calibri" {
					t.Fatalf("%s!%s: its style names no font (%+v)", sheet, cell, st.Font)
				}
				if v, _ := f.GetCellValue(sheet, cell); strings.Contains(v, "1.000 kr.") || strings.Contains(v, "mio. kr.") {
					t.Errorf("%s!%s: %q may break inside its unit", sheet, cell, v)
				}
			}
		}
	}
}

// What finance staff expect of the sheet: the header and the label
// column stay in view; formula cells are locked on a sheet protected
// without a password while the typed amounts stay open; "protect": false
// leaves the sheet open.
func TestLabelsFrozenAndFormulasLocked(t *testing.T) {
	b := decode(t, examples.Read(examples.Budget))
	f := open(t, b, locale.Danish)
	sheet := f.GetSheetName(0)
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.XSplit != 1 || panes.YSplit < 1 {
		t.Errorf("panes %+v (%v): want the label column and the header frozen", panes, err)
	}
	p, err := f.GetSheetProtection(sheet)
	if err != nil || !p.SelectLockedCells || !p.SelectUnlockedCells || !p.FormatColumns || p.FormatCells || p.Password != "" {
		t.Errorf("protection %+v (%v): want a sheet protected without a password, cells selectable", p, err)
	}
	locked := func(cell string) bool {
		st := cellStyle(t, f, sheet, cell)
		return st.Protection == nil || st.Protection.Locked
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	typed, formulas := 0, 0
	for r := range rows {
		cell := fmt.Sprintf("B%d", r+1)
		formula, _ := f.GetCellFormula(sheet, cell)
		value, _ := f.GetCellValue(sheet, cell)
		switch {
		case formula != "":
			formulas++
			if !locked(cell) {
				t.Errorf("%s (%s) is a formula left open", cell, formula)
			}
		case value != "" && r >= 4:
			typed++
			if locked(cell) {
				t.Errorf("%s (%s) is a typed amount locked", cell, value)
			}
		}
	}
	if typed == 0 || formulas == 0 {
		t.Fatalf("%d typed amounts and %d formulas: the test proves nothing", typed, formulas)
	}
	off := false
	b.Protect = &off
	if p, err := open(t, b, locale.Danish).GetSheetProtection(sheet); err != nil || p.SelectLockedCells || p.SelectUnlockedCells {
		t.Errorf(`"protect": false still protects the sheet: %+v %v`, p, err)
	}
}

// cellStyle is a cell's style as excelize reads it.
func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// A percent column is a live ratio: IFERROR((B5)/(C5),"") on every line,
// subtotal and total (the ratio of the row's sums), its value stored, an
// empty cell where the divisor is zero, shown as a percent.
func TestPercentColumn(t *testing.T) {
	b := decode(t, []byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"actual","label":"Regnskab"},{"key":"budget","label":"Budget"},
		{"key":"p","label":"Forbrug","formula":"actual / budget","format":"percent"}],
		"rows":[{"label":"x","values":{"actual":95,"budget":100}},{"label":"nul","values":{"actual":5,"budget":0}},
		{"label":"g","rows":[{"label":"y","values":{"actual":30,"budget":40}}]}]}]}`))
	f := open(t, b, locale.Danish)
	sheet := f.GetSheetName(0)
	for label, want := range map[string]struct{ raw, shown string }{
		"x": {"0.95", "95,0 %"}, "nul": {"", ""}, "g i alt": {"0.75", "75,0 %"}, "I alt": {"0.92857142857", "92,9 %"},
	} {
		row := find(t, f, sheet, label)
		formula, raw, shown := get(t, f, sheet, fmt.Sprintf("D%d", row))
		if wantF := fmt.Sprintf(`IFERROR((B%d)/(C%d),"")`, row, row); formula != wantF {
			t.Errorf("%s: formula %q, want %q", label, formula, wantF)
		}
		if !strings.HasPrefix(raw, want.raw) || strings.ReplaceAll(shown, "\u00a0", " ") != want.shown && !(want.shown != "" && strings.Contains(shown, "%")) {
			t.Errorf("%s: %q shown %q, want %q shown %q", label, raw, shown, want.raw, want.shown)
		}
	}
	if _, _, head := get(t, f, sheet, "D4"); head != "Forbrug (%)" {
		t.Errorf("header %q", head)
	}
	st := cellStyle(t, f, sheet, fmt.Sprintf("D%d", find(t, f, sheet, "x")))
	if st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "%") {
		t.Errorf("the percent column's format is %v", st.CustomNumFmt)
	}
}

// A status column in the workbook: the word from a live formula over the
// percent column (the rule's bounds as ratios), its value stored, and the
// column coloured by conditional formats that follow an edit.
func TestStatusColumn(t *testing.T) {
	b := decode(t, []byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"actual","label":"Forbrug"},
		{"key":"p","label":"Forbrug i %","formula":"actual / budget","format":"percent"},
		{"key":"s","label":"Status","format":"status","status":{"of":"p","green":95,"yellow":80}}],
		"rows":[{"label":"a","values":{"budget":100,"actual":97}},{"label":"b","values":{"budget":100,"actual":85}},
		{"label":"d","values":{"budget":0,"actual":5}}]}]}`))
	f := open(t, b, locale.Danish)
	sheet := f.GetSheetName(0)
	for label, want := range map[string]string{"a": "Grøn", "b": "Gul", "d": "", "I alt": "Gul"} {
		row := find(t, f, sheet, label)
		formula, raw, _ := get(t, f, sheet, fmt.Sprintf("E%d", row))
		wantF := fmt.Sprintf(`IF(D%d="","",IF(D%d>=0.95,"Grøn",IF(D%d>=0.8,"Gul","Rød")))`, row, row, row)
		if formula != wantF || raw != want {
			t.Errorf("%s: %q = %q, want %q = %q", label, formula, raw, wantF, want)
		}
	}
	cf, err := f.GetConditionalFormats(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for ref, opts := range cf {
		for _, o := range opts {
			rules = append(rules, ref+" "+o.Criteria+" "+o.Value)
		}
	}
	if got := strings.Join(rules, "; "); !strings.Contains(got, `E5:E`) || !strings.Contains(got, `"Grøn"`) || !strings.Contains(got, `"Rød"`) || len(rules) != 3 {
		t.Errorf("conditional formats %q", got)
	}
}

// A table's charts in the workbook: native charts whose series name the
// table's header and refer to its cells (its top-level groups' subtotals,
// or its lines), so they follow an edit; placed below the table, inside
// the print area.
func TestChartsReferToTheTable(t *testing.T) {
	b := decode(t, []byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"forecast","label":"Forventet"}],
		"charts":[{"title":"Grupper","columns":["budget","forecast"],"by":"group"},{"title":"Linjer","kind":"bar","stacked":true,"columns":["budget"]}],
		"rows":[{"label":"Ydelser","rows":[{"label":"Kontanthjælp","values":{"budget":500,"forecast":520}},{"label":"Dagpenge","values":{"budget":300,"forecast":280}}]},
		{"label":"Indsats","rows":[{"label":"Aktivering","values":{"budget":200,"forecast":230}}]}]}]}`))
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, b, locale.Danish); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		return string(b)
	}
	refs := func(chart string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<f>([^<]*)</f>`).FindAllStringSubmatch(read(chart), -1) {
			out = append(out, strings.ReplaceAll(m[1], "&#39;", "'"))
		}
		return out
	}
	f := open(t, b, locale.Danish)
	sheet := f.GetSheetName(0)
	sub1, sub2 := find(t, f, sheet, "Ydelser i alt"), find(t, f, sheet, "Indsats i alt")
	l1, l2, l3 := find(t, f, sheet, "Kontanthjælp"), find(t, f, sheet, "Dagpenge"), find(t, f, sheet, "Aktivering")
	q := "'" + sheet + "'!"
	want := []string{q + "$B$4", fmt.Sprintf("(%s$A$%d,%s$A$%d)", q, sub1, q, sub2), fmt.Sprintf("(%s$B$%d,%s$B$%d)", q, sub1, q, sub2),
		q + "$C$4", fmt.Sprintf("(%s$A$%d,%s$A$%d)", q, sub1, q, sub2), fmt.Sprintf("(%s$C$%d,%s$C$%d)", q, sub1, q, sub2)}
	if got := refs("xl/charts/chart1.xml"); !slices.Equal(got, want) {
		t.Errorf("the group chart refers to %q, want %q", got, want)
	}
	want = []string{q + "$B$4", fmt.Sprintf("(%s$A$%d,%s$A$%d,%s$A$%d)", q, l1, q, l2, q, l3), fmt.Sprintf("(%s$B$%d,%s$B$%d,%s$B$%d)", q, l1, q, l2, q, l3)}
	if got := refs("xl/charts/chart2.xml"); !slices.Equal(got, want) {
		t.Errorf("the line chart refers to %q, want %q", got, want)
	}
	if x := read("xl/charts/chart2.xml"); !strings.Contains(x, `<barDir val="bar">`) || !strings.Contains(x, `<grouping val="stacked">`) {
		t.Error("the second chart is not a stacked bar chart")
	}
	var area string
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" {
			area = d.RefersTo
		}
	}
	if n, _ := strconv.Atoi(regexp.MustCompile(`(\d+)$`).FindString(area)); n < sub2+2*15 {
		t.Errorf("the print area %q does not reach the charts below the table", area)
	}
}

// A column with negative_red: its cells' number format shows negative
// amounts red (the minus kept); the other columns' formats do not.
func TestNegativeRed(t *testing.T) {
	b := decode(t, []byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"actual","label":"Forbrug"},
		{"key":"diff","label":"Afvigelse","formula":"budget - actual","negative_red":true}],
		"rows":[{"label":"a","values":{"budget":100,"actual":120}}]}]}`))
	f := open(t, b, locale.Danish)
	sheet := f.GetSheetName(0)
	for _, c := range []struct {
		cell string
		red  bool
	}{{"D5", true}, {"D6", true}, {"B5", false}, {"C6", false}} {
		st := cellStyle(t, f, sheet, c.cell)
		if st.CustomNumFmt == nil || strings.Contains(*st.CustomNumFmt, ";[Red]-") != c.red {
			t.Errorf("%s: format %v, red %v wanted", c.cell, st.CustomNumFmt, c.red)
		}
	}
}

// Marks given by the lines are their words, open to an edit on the
// protected sheet (the conditional formats colour whatever is typed).
func TestStatusMarksGivenByTheLines(t *testing.T) {
	b := decode(t, []byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"s","label":"Status","format":"status"}],
		"rows":[{"label":"a","values":{"budget":1},"marks":{"s":"red"}},{"label":"b","values":{"budget":2}}]}]}`))
	f := open(t, b, locale.Danish)
	sheet := f.GetSheetName(0)
	row := find(t, f, sheet, "a")
	formula, raw, _ := get(t, f, sheet, fmt.Sprintf("C%d", row))
	if formula != "" || raw != "Rød" {
		t.Errorf("a given mark is %q = %q, want the word Rød", formula, raw)
	}
	if st := cellStyle(t, f, sheet, fmt.Sprintf("C%d", row)); st.Protection == nil || st.Protection.Locked {
		t.Error("a given mark is locked")
	}
	if _, raw, _ := get(t, f, sheet, fmt.Sprintf("C%d", find(t, f, sheet, "I alt"))); raw != "" {
		t.Errorf("the total has the mark %q", raw)
	}
}

// Every sheet of a many-table workbook has its own print titles and
// print area, scoped to it and naming it (apostrophes doubled, & and <
// kept), as the splicer writes them into the workbook; the sheets stand
// in the tables' order from sheet 1 to sheet 12.
func TestEachSheetHasItsPrintNames(t *testing.T) {
	var tables []string
	for i := range 12 {
		tables = append(tables, fmt.Sprintf(`{"title":"Tabel %d: Børn & unge's <ramme>","columns":[{"key":"a","label":"A"}],"rows":[{"label":"r","values":{"a":%d}}]}`, i+1, i))
	}
	f := open(t, decode(t, []byte(`{"title":"B","tables":[`+strings.Join(tables, ",")+`]}`)), locale.Danish)
	sheets := f.GetSheetList()
	if len(sheets) != 12 {
		t.Fatalf("sheets: %q", sheets)
	}
	got := map[string]string{}
	for _, d := range f.GetDefinedName() {
		got[d.Scope+" "+d.Name] = d.RefersTo
	}
	for i, s := range sheets {
		if !strings.HasPrefix(s, fmt.Sprintf("Tabel %d", i+1)) {
			t.Errorf("sheet %d is %q", i+1, s)
		}
		q := "'" + strings.ReplaceAll(s, "'", "''") + "'!"
		if r := got[s+" _xlnm.Print_Titles"]; r != q+"$4:$4" {
			t.Errorf("%s: print titles %q", s, r)
		}
		if r := got[s+" _xlnm.Print_Area"]; !strings.HasPrefix(r, q+"$A$1:$B$") {
			t.Errorf("%s: print area %q", s, r)
		}
	}
	if len(got) != 24 {
		t.Errorf("%d names, not 24: %v", len(got), got)
	}
}
