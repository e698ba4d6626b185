package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"cadran/internal/apperr"
	"cadran/internal/importer"
)

// riskFields are fields like those of a risk register, with the aliases
// headings are matched against.
var riskFields = []importer.Field{
	{Key: "objective", Required: true, Aliases: []string{"Obiectiv", "Obiectivul", "Activitatea"}},
	{Key: "risk", Required: true, Aliases: []string{"Risc", "Riscul", "Descrierea riscului"}},
	{Key: "inherent_probability", Required: true, Aliases: []string{"Probabilitate inerentă", "Risc inerent probabilitate"}},
	{Key: "inherent_impact", Required: true, Aliases: []string{"Impact inerent", "Risc inerent impact"}},
	{Key: "residual_probability", Aliases: []string{"Probabilitate reziduală", "Risc rezidual probabilitate"}},
	{Key: "residual_impact", Aliases: []string{"Impact rezidual", "Risc rezidual impact"}},
	{Key: "owner", Aliases: []string{"Responsabil"}},
	{Key: "due", Aliases: []string{"Termen", "Termen de realizare"}},
}

// fileErr returns the message key of a file problem, "" for none.
func fileErr(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	v, ok := apperr.AsValidation(err)
	if !ok || v["file"] == "" {
		t.Fatalf("not a file problem: %v", err)
	}
	return v["file"]
}

func readBytes(t *testing.T, name string, b []byte) (importer.Table, error) {
	t.Helper()
	return importer.Read(name, bytes.NewReader(b), int64(len(b)))
}

func cells(t importer.Table) [][]string {
	var out [][]string
	for _, l := range t.Sheets[0].Lines {
		out = append(out, l.Cells)
	}
	return out
}

func TestReadCSVEncodingsAndDelimiters(t *testing.T) {
	want := [][]string{{"Risc", "Probabilitate", "Observații"}, {"Întârzieri la plăți; penalități", "3", "Șef serviciu, „Țară”"}}
	utf8Text := "Risc;Probabilitate;Observații\r\n\"Întârzieri la plăți; penalități\";3;\"Șef serviciu, „Țară”\"\r\n"
	win1250, err := charmap.Windows1250.NewEncoder().String(strings.NewReplacer("„", "\"\"", "”", "\"\"", "ș", "ş", "Ș", "Ş", "ț", "ţ", "Ț", "Ţ").Replace(utf8Text))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(utf8Text, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	comma := "Risc,Probabilitate,Observații\n\"Întârzieri la plăți; penalități\",3,\"Șef serviciu, „Țară”\"\n"
	tab := strings.ReplaceAll(strings.ReplaceAll(comma, ",", "\t"), "Șef serviciu\t", "Șef serviciu,")
	tests := []struct {
		name, file   string
		body         string
		enc          string
		delim        rune
		wantOverride [][]string
	}{
		{"utf-8 semicolon", "r.csv", utf8Text, "UTF-8", ';', nil},
		{"utf-8 bom", "r.csv", "\xEF\xBB\xBF" + utf8Text, "UTF-8", ';', nil},
		{"comma", "r.csv", comma, "UTF-8", ',', nil},
		{"tab", "r.txt", tab, "UTF-8", '\t', nil},
		{"windows-1250", "r.csv", win1250, "Windows-1250", ';', [][]string{want[0], {want[1][0], "3", "Șef serviciu, \"Țară\""}}},
		{"utf-16 excel unicode text", "r.txt", utf16, "UTF-16", '\t', [][]string{want[0], {"Întârzieri la plăți\t penalități", "3", want[1][2]}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := readBytes(t, tc.file, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tb.Encoding != tc.enc || tb.Delimiter != tc.delim {
				t.Errorf("encoding %s delimiter %q, want %s %q", tb.Encoding, tb.Delimiter, tc.enc, tc.delim)
			}
			w := want
			if tc.wantOverride != nil {
				w = tc.wantOverride
			}
			if diff := diff(w, cells(tb)); diff != "" {
				t.Errorf("cells \n%s", diff)
			}
		})
	}
}

func TestReadCSVLineNumbers(t *testing.T) {
	body := "Registrul riscurilor\n\nRisc;Probabilitate\n\"Risc pe\ndouă rânduri\";2\n;\nAl doilea;3\n"
	tb, err := readBytes(t, "r.csv", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, l := range tb.Sheets[0].Lines {
		lines = append(lines, l.N)
	}
	if diff := diff([]int{1, 3, 4, 7}, lines); diff != "" {
		t.Errorf("line numbers \n%s", diff)
	}
	if got := tb.Sheets[0].Lines[2].Cells[0]; got != "Risc pe\ndouă rânduri" {
		t.Errorf("multi-line cell %q", got)
	}
}

func zipBytes() []byte {
	var buf bytes.Buffer
	f := excelize.NewFile()
	f.Write(&buf)
	f.Close()
	return buf.Bytes()
}

func TestReadRefusesOtherTypes(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"registru.pdf", []byte("%PDF-1.7 ..."), importer.ErrType},
		{"registru.xlsx", []byte("Risc;Probabilitate\n"), importer.ErrType},
		{"registru.csv", zipBytes(), importer.ErrType},
		{"registru.csv", []byte("Risc\x00\x01\x02"), importer.ErrType},
		{"registru.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, importer.ErrXLS},
		{"registru.xlsx", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, importer.ErrXLS},
		{"registru.xlsx", []byte("PK\x03\x04 not really a zip"), importer.ErrUnreadable},
		{"registru.csv", []byte{}, importer.ErrEmpty},
		{"registru.csv", []byte("\n\n;;\n"), importer.ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBytes(t, tc.name, tc.body)
			if got := fileErr(t, err); got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

// sizedReader claims a size without holding the bytes.
type sizedReader struct{}

func (sizedReader) ReadAt(p []byte, off int64) (int, error) { return 0, io.EOF }

func TestReadLimits(t *testing.T) {
	if _, err := importer.Read("r.csv", sizedReader{}, importer.MaxSize+1); fileErr(t, err) != importer.ErrTooLarge {
		t.Errorf("too large: %v", err)
	}
	var b strings.Builder
	b.WriteString("Risc;Probabilitate\n")
	for i := range importer.MaxRows + 16 {
		fmt.Fprintf(&b, "Risc %d;3\n", i)
	}
	if _, err := readBytes(t, "r.csv", []byte(b.String())); fileErr(t, err) != importer.ErrTooManyRows {
		t.Errorf("too many rows: %v", err)
	}
	// Exactly MaxRows data rows under a heading pass.
	b.Reset()
	b.WriteString("Risc;Probabilitate\n")
	for i := range importer.MaxRows {
		fmt.Fprintf(&b, "Risc %d;3\n", i)
	}
	tb, err := readBytes(t, "r.csv", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Detect(riskFields); err != nil || len(tb.Data) != importer.MaxRows {
		t.Errorf("%d rows: %v", len(tb.Data), err)
	}
	wide := strings.Repeat("x;", importer.MaxColumns) + "x\n"
	if _, err := readBytes(t, "r.csv", []byte(wide)); fileErr(t, err) != importer.ErrTooManyColumns {
		t.Errorf("too many columns: %v", err)
	}
	// Trailing empty cells do not count.
	if _, err := readBytes(t, "r.csv", []byte("a;b"+strings.Repeat(";", 200)+"\n")); err != nil {
		t.Errorf("trailing empty cells: %v", err)
	}
}

// registerWorkbook is a risk register as town halls keep it: a title, a
// blank row, a two-row heading (group headings merged over their
// sub-headings, single headings merged down), a row of column numbers,
// dates in two formats and an empty row between entries.
func registerWorkbook(t testing.TB, date1904 bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	if err := f.SetSheetName("Sheet1", "Registrul riscurilor"); err != nil {
		t.Fatal(err)
	}
	sh = "Registrul riscurilor"
	if date1904 {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	// An empty sheet first: the register is not on it.
	if _, err := f.NewSheet("Instrucțiuni"); err != nil {
		t.Fatal(err)
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(sh, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "REGISTRUL RISCURILOR - Primăria Târgu Verde")
	merge("A1", "H1")
	set("A3", "Nr. crt.")
	merge("A3", "A4")
	set("B3", "Obiectivul")
	merge("B3", "B4")
	set("C3", "Descrierea riscului")
	merge("C3", "C4")
	set("D3", "Risc inerent")
	merge("D3", "E3")
	set("D4", "Probabilitate")
	set("E4", "Impact")
	set("F3", "Risc rezidual")
	merge("F3", "G3")
	set("F4", "Probabilitate")
	set("G4", "Impact")
	set("H3", "Termen")
	merge("H3", "H4")
	for c := range 8 {
		cell, _ := excelize.CoordinatesToCellName(c+1, 5)
		set(cell, c+1)
	}
	dmy, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd.mm.yyyy")})
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{1, "Colectarea veniturilor", "Neîncasarea impozitelor restante", 4, 3, 2, 2, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)},
		{2, "Achiziții publice", "Contestații la licitații", 3, 4, 2, 3, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)},
	}
	for i, r := range rows {
		line := 6 + i*2 // row 7 stays empty
		cell, _ := excelize.CoordinatesToCellName(1, line)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
		style := dmy
		if i == 1 {
			style = builtin
		}
		h, _ := excelize.CoordinatesToCellName(8, line)
		if err := f.SetCellStyle(sh, h, h, style); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ptr[T any](v T) *T { return &v }

func TestReadXLSXRegister(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprintf("1904=%v", date1904), func(t *testing.T) {
			tb, err := readBytes(t, "Registru.XLSX", registerWorkbook(t, date1904))
			if err != nil {
				t.Fatal(err)
			}
			if tb.Date1904 != date1904 {
				t.Errorf("date1904 %v", tb.Date1904)
			}
			if err := tb.Detect(riskFields); err != nil {
				t.Fatal(err)
			}
			if name := tb.Sheets[tb.Sheet].Name; name != "Registrul riscurilor" {
				t.Errorf("sheet %q", name)
			}
			if diff := diff([]int{3, 4}, tb.Header); diff != "" {
				t.Errorf("header lines \n%s", diff)
			}
			if tb.Numbering != 5 {
				t.Errorf("numbering row %d, want 5", tb.Numbering)
			}
			wantHead := []string{"Nr. crt.", "Obiectivul", "Descrierea riscului", "Risc inerent Probabilitate", "Risc inerent Impact", "Risc rezidual Probabilitate", "Risc rezidual Impact", "Termen"}
			if diff := diff(wantHead, tb.Headings()); diff != "" {
				t.Errorf("headings \n%s", diff)
			}
			if len(tb.Data) != 2 || tb.Data[0].N != 6 || tb.Data[1].N != 8 {
				t.Fatalf("data rows %+v", tb.Data)
			}
			if got := tb.Data[0].Cell(7); got != "2026-03-31" {
				t.Errorf("dd.mm.yyyy date cell %q", got)
			}
			if got := tb.Data[1].Cell(7); got != "2026-06-30" {
				t.Errorf("built-in date cell %q", got)
			}
			serial := tb.Data[1].Serials[7]
			if d, ok := importer.ExcelSerial(serial, date1904); !ok || d != "2026-06-30" {
				t.Errorf("serial %q reads %q", serial, d)
			}
			if tb.Columns[2].Sample != "Neîncasarea impozitelor restante" || tb.Columns[2].Letter != "C" {
				t.Errorf("column C: %+v", tb.Columns[2])
			}
			m := importer.Guess(riskFields, tb.Headings())
			want := importer.Mapping{"objective": 1, "risk": 2, "inherent_probability": 3, "inherent_impact": 4, "residual_probability": 5, "residual_impact": 6, "due": 7}
			if diff := diff(want, m); diff != "" {
				t.Errorf("mapping \n%s", diff)
			}
			rows := importer.Apply(tb, m)
			if len(rows) != 2 || rows[1].Line != 8 || rows[1].Values["risk"] != "Contestații la licitații" || rows[1].Values["inherent_impact"] != "4" {
				t.Errorf("rows %+v", rows)
			}
		})
	}
}

func TestDetectHeader(t *testing.T) {
	tests := []struct {
		name      string
		csv       string
		header    []int
		numbering int
		headings  []string
		first     int
	}{
		{"heading on the first row", "Obiectiv;Risc;Probabilitate inerentă;Impact inerent\nA;B;3;4\n", []int{1}, 0, []string{"Obiectiv", "Risc", "Probabilitate inerentă", "Impact inerent"}, 2},
		{"title lines above", "Primăria Târgu Verde\nRegistrul riscurilor 2026\n\nObiectiv;Risc;Probabilitate inerentă;Impact inerent\n1;2;3;4\nA;B;3;4\n", []int{4}, 5, []string{"Obiectiv", "Risc", "Probabilitate inerentă", "Impact inerent"}, 6},
		{"group heading written once (csv)", "Registru\nObiectiv;Risc;Risc inerent;;Risc rezidual;\n;;Probabilitate;Impact;Probabilitate;Impact\nA;B;3;4;2;2\n", []int{2, 3}, 0,
			[]string{"Obiectiv", "Risc", "Risc inerent Probabilitate", "Risc inerent Impact", "Risc rezidual Probabilitate", "Risc rezidual Impact"}, 4},
		{"no heading recognised", "x;y\n1;2\n", []int{1}, 0, []string{"x", "y"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := readBytes(t, "r.csv", []byte(tc.csv))
			if err != nil {
				t.Fatal(err)
			}
			if err := tb.Detect(riskFields); err != nil {
				t.Fatal(err)
			}
			if diff := diff(tc.header, tb.Header); diff != "" {
				t.Errorf("header \n%s", diff)
			}
			if tb.Numbering != tc.numbering {
				t.Errorf("numbering %d, want %d", tb.Numbering, tc.numbering)
			}
			if diff := diff(tc.headings, tb.Headings()); diff != "" {
				t.Errorf("headings \n%s", diff)
			}
			if tb.Data[0].N != tc.first {
				t.Errorf("first data line %d, want %d", tb.Data[0].N, tc.first)
			}
		})
	}
	tb, _ := readBytes(t, "r.csv", []byte("Obiectiv;Risc\n"))
	if err := tb.Detect(riskFields); fileErr(t, err) != importer.ErrEmpty {
		t.Errorf("heading without rows: %v", err)
	}
}

func TestGuess(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    importer.Mapping
	}{
		{"exact, diacritics and case ignored", []string{"OBIECTIV", "risc", "Probabilitate inerenta:", "IMPACT INERENT"},
			importer.Mapping{"objective": 0, "risk": 1, "inherent_probability": 2, "inherent_impact": 3}},
		{"cedilla spelling and punctuation", []string{"Obiectivul (activitatea)", "Descrierea riscului *", "Probabilitate inerentă", "Impact inerent", "Termen de realizare"},
			importer.Mapping{"objective": 0, "risk": 1, "inherent_probability": 2, "inherent_impact": 3, "due": 4}},
		{"exact wins over containment", []string{"Descrierea riscului identificat", "Risc"},
			importer.Mapping{"risk": 1}},
		{"one column to one field", []string{"Termen", "Termen"},
			importer.Mapping{"due": 0}},
		{"keys are names too", []string{"inherent probability", "owner"},
			importer.Mapping{"inherent_probability": 0, "owner": 1}},
		{"nothing alike", []string{"Nr.", "Cod", ""}, importer.Mapping{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := diff(tc.want, importer.Guess(riskFields, tc.headers)); diff != "" {
				t.Errorf("\n%s", diff)
			}
		})
	}
	// Labels count as aliases.
	fields := importer.WithLabels([]importer.Field{{Key: "x", Label: "k"}}, func(string) []string { return []string{"Măsuri de control", "Control measures"} })
	if m := importer.Guess(fields, []string{"Nr", "Control measures"}); m["x"] != 1 {
		t.Errorf("label: %v", m)
	}
}

func TestMappingCheck(t *testing.T) {
	v := importer.Mapping{"objective": 0, "risk": 0, "inherent_probability": 9}.Check(riskFields, 4)
	want := map[string]string{"objective": importer.ErrColumnTwice, "risk": importer.ErrColumnTwice, "inherent_probability": importer.ErrColumnAbsent, "inherent_impact": importer.ErrRequired}
	if diff := diff(want, map[string]string(v)); diff != "" {
		t.Errorf("\n%s", diff)
	}
	if v := (importer.Mapping{"objective": 0, "risk": 1, "inherent_probability": 2, "inherent_impact": 3}).Check(riskFields, 4); len(v) != 0 {
		t.Errorf("a complete mapping: %v", v)
	}
}

func TestApplySkipsRowsEmptyInMappedColumns(t *testing.T) {
	tb, err := readBytes(t, "r.csv", []byte("Nr;Risc;Probabilitate inerentă\n1;A;3\n2;;\n3; B ;4\nTotal;;\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Detect(riskFields); err != nil {
		t.Fatal(err)
	}
	rows := importer.Apply(tb, importer.Mapping{"risk": 1, "inherent_probability": 2})
	want := []importer.Row{{Line: 2, Values: map[string]string{"risk": "A", "inherent_probability": "3"}}, {Line: 4, Values: map[string]string{"risk": "B", "inherent_probability": "4"}}}
	if diff := diff(want, rows); diff != "" {
		t.Errorf("\n%s", diff)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("r.csv", []byte("Risc;Probabilitate\n\"a;b\";3\n"))
	f.Add("r.csv", []byte("\xEF\xBB\xBFa,b\n\"unterminated\n"))
	f.Add("r.csv", []byte{0xFF, 0xFE, 'a', 0, '\t', 0, 'b', 0})
	f.Add("r.csv", []byte("R\xeesc;\xba\xfe\n"))
	f.Add("r.xlsx", registerWorkbook(f, false))
	f.Add("r.xlsx", zipBytes())
	f.Add("r.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		tb, err := importer.Read(name, bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if _, ok := apperr.AsValidation(err); !ok {
				t.Fatalf("not a file problem: %v", err)
			}
			return
		}
		if err := tb.Detect(riskFields); err != nil {
			if !errors.Is(err, apperr.ErrInvalid) {
				if _, ok := apperr.AsValidation(err); !ok {
					t.Fatalf("not a file problem: %v", err)
				}
			}
			return
		}
		importer.Apply(tb, importer.Guess(riskFields, tb.Headings()))
	})
}

// diff describes how got differs from want, "" when they are equal.
func diff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return fmt.Sprintf("want %#v\ngot  %#v", want, got)
}
