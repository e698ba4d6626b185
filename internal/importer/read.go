package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"cadran/internal/apperr"
)

// Limits of one file. Each is refused with its own message.
const (
	MaxSize    = 20 << 20
	MaxRows    = 50_000
	MaxColumns = 100
	// headerSearch is how many rows may stand above the data: title lines,
	// a two-row heading and a row of column numbers.
	headerSearch = 15
	// maxSheets caps the sheets of a workbook that are read.
	maxSheets = 16
	// maxUnzip caps what a workbook may unpack to, so that a small zip
	// bomb fills neither memory nor the temporary directory.
	maxUnzip = 256 << 20
)

// Message keys of the problems of a file, given as apperr.Validation
// {"file": key}.
const (
	ErrType           = "importer.error.type"
	ErrXLS            = "importer.error.xls"
	ErrUnreadable     = "importer.error.unreadable"
	ErrTooLarge       = "importer.error.too_large"
	ErrTooManyRows    = "importer.error.too_many_rows"
	ErrTooManyColumns = "importer.error.too_many_columns"
	ErrEmpty          = "importer.error.empty"
)

func fileError(key string) error { return apperr.Validation{"file": key} }

// Format is what kind of file a table was read from.
type Format string

const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// Table is a file read into text. Read fills Sheets; Detect then finds the
// heading and fills Sheet, Header, Columns and Data.
type Table struct {
	Format Format
	// Encoding is the character set a CSV file was read in: "UTF-8",
	// "UTF-16" or "Windows-1250".
	Encoding string
	// Delimiter is the CSV field separator found.
	Delimiter rune
	// Date1904 is set for workbooks that count dates from 1904 (old Mac Excel).
	Date1904 bool
	Sheets   []Grid

	// Sheet is the index in Sheets of the sheet imported.
	Sheet int
	// Header is the line numbers of the heading rows (one, or a group
	// heading and its sub-headings); Numbering the line of column numbers
	// skipped under it, 0 if none.
	Header    []int
	Numbering int
	Columns   []Column
	// Data are the rows below the heading, empty rows left out.
	Data []Line
}

// Grid is one sheet: its non-empty rows, in order.
type Grid struct {
	Name  string
	Lines []Line
}

// Line is one non-empty row of a sheet.
type Line struct {
	// N is the row's number in the file (1-based, as Excel shows it, or the
	// CSV line on which the record starts).
	N int
	// Cells is the text of each cell, trailing empty cells trimmed. A cell
	// holding a date shows it as YYYY-MM-DD (with " HH:MM" when it has a
	// time), whatever the cell's format.
	Cells []string
	// Serials holds the stored Excel serial number of each date cell, by
	// column; nil when the row has none.
	Serials map[int]string
}

// Cell returns the text of column c, "" past the row's end.
func (l Line) Cell(c int) string {
	if c >= 0 && c < len(l.Cells) {
		return l.Cells[c]
	}
	return ""
}

// Column is a column of the imported sheet.
type Column struct {
	Index int
	// Letter is the column's name in a spreadsheet: A, B, ... AA.
	Letter  string
	Heading string
	// Sample is the column's first non-empty value.
	Sample string
}

// Label is how the page names the column: its letter and heading.
func (c Column) Label() string {
	if c.Heading == "" {
		return c.Letter
	}
	return c.Letter + ": " + c.Heading
}

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Read reads an XLSX or CSV file. The type is decided by the extension of
// name and must agree with the content; anything else is refused, as are
// files over MaxSize, with more than MaxRows rows or MaxColumns columns.
func Read(name string, r io.ReaderAt, size int64) (Table, error) {
	if size > MaxSize {
		return Table{}, fileError(ErrTooLarge)
	}
	if size <= 0 {
		return Table{}, fileError(ErrEmpty)
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if bytes.HasPrefix(head, magicOLE) {
		// An Excel 97-2003 workbook, or an encrypted XLSX.
		return Table{}, fileError(ErrXLS)
	}
	isZip := bytes.HasPrefix(head, magicZip)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		if !isZip {
			return Table{}, fileError(ErrType)
		}
		return readXLSX(r, size)
	case ".csv", ".txt":
		if isZip {
			return Table{}, fileError(ErrType)
		}
		b := make([]byte, size)
		if _, err := r.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
			return Table{}, fileError(ErrUnreadable)
		}
		return readCSV(b)
	case ".xls":
		return Table{}, fileError(ErrXLS)
	default:
		return Table{}, fileError(ErrType)
	}
}

// cedilla maps the old cedilla letters (the only ones Windows-1250 has)
// to the comma-below letters Romanian is written with.
var cedilla = strings.NewReplacer("ş", "ș", "Ş", "Ș", "ţ", "ț", "Ţ", "Ț")

// trimCells drops trailing empty cells and trims each cell.
func trimCells(cells []string) []string {
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return cells[:n]
}

// grids collects rows into a sheet, applying the limits as it goes.
type gridBuilder struct {
	g Grid
}

func (b *gridBuilder) add(n int, cells []string) error {
	cells = trimCells(cells)
	if len(cells) == 0 {
		return nil
	}
	for i, c := range cells {
		cells[i] = cedilla.Replace(c)
	}
	if len(cells) > MaxColumns {
		return fileError(ErrTooManyColumns)
	}
	if len(b.g.Lines) >= MaxRows+headerSearch {
		return fileError(ErrTooManyRows)
	}
	b.g.Lines = append(b.g.Lines, Line{N: n, Cells: cells})
	return nil
}

// readXLSX reads every sheet (up to maxSheets) of a workbook.
func readXLSX(r io.ReaderAt, size int64) (t Table, err error) {
	// A workbook comes from anyone allowed to import; a malformed one must
	// be refused, never bring the server down, whatever the XLSX library
	// does with it.
	defer func() {
		if p := recover(); p != nil {
			t, err = Table{}, fileError(ErrUnreadable)
		}
	}()
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return Table{}, fileError(ErrUnreadable)
	}
	defer f.Close()
	t.Format = FormatXLSX
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		t.Date1904 = *p.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) > maxSheets {
		sheets = sheets[:maxSheets]
	}
	for _, name := range sheets {
		g, err := readSheet(f, name, t.Date1904)
		if err != nil {
			return Table{}, err
		}
		if len(g.Lines) > 0 {
			t.Sheets = append(t.Sheets, g)
		}
	}
	if len(t.Sheets) == 0 {
		return Table{}, fileError(ErrEmpty)
	}
	return t, nil
}

// readSheet reads one sheet as stored, without the library's number
// formatting (slow, and US-style for Excel's built-in short date). Cells
// whose style is a date format become YYYY-MM-DD from their serial number;
// merged cells carry their value into every cell they cover.
func readSheet(f *excelize.File, name string, date1904 bool) (Grid, error) {
	raw, err := sheetRows(f, name)
	if err != nil {
		return Grid{}, err
	}
	b := gridBuilder{g: Grid{Name: name}}
	for i, cells := range raw {
		if err := b.add(i+1, cells); err != nil {
			return Grid{}, err
		}
	}
	if len(b.g.Lines) == 0 {
		return b.g, nil
	}
	dates := dateStyles{f: f, known: map[int]bool{}}
	for li := range b.g.Lines {
		l := &b.g.Lines[li]
		for c, v := range l.Cells {
			serial, err := strconv.ParseFloat(v, 64)
			if err != nil || serial < 0 {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, l.N)
			if err != nil {
				continue
			}
			style, err := f.GetCellStyle(name, cell)
			if err != nil || !dates.is(style) {
				continue
			}
			d, ok := excelDate(serial, date1904)
			if !ok {
				continue
			}
			if l.Serials == nil {
				l.Serials = map[int]string{}
			}
			l.Serials[c] = v
			l.Cells[c] = d
		}
	}
	merges, err := f.GetMergeCells(name, true)
	if err != nil {
		return Grid{}, fileError(ErrUnreadable)
	}
	fillMerged(&b.g, merges)
	return b.g, nil
}

// dateStyles tells which cell styles show a date or a time.
type dateStyles struct {
	f     *excelize.File
	known map[int]bool
}

func (d dateStyles) is(style int) bool {
	if v, ok := d.known[style]; ok {
		return v
	}
	v := false
	if st, err := d.f.GetStyle(style); err == nil && st != nil {
		if st.CustomNumFmt != nil {
			v = dateFormat(*st.CustomNumFmt)
		} else {
			n := st.NumFmt
			v = (n >= 14 && n <= 22) || (n >= 27 && n <= 36) || (n >= 45 && n <= 47) || (n >= 50 && n <= 58)
		}
	}
	d.known[style] = v
	return v
}

// dateFormat reports whether a number format code shows a date or a time:
// it has y, m, d, h or s outside quoted text, escapes and [brackets].
func dateFormat(code string) bool {
	quoted, bracket, escaped := false, false, false
	for _, r := range strings.ToLower(code) {
		switch {
		case escaped:
			escaped = false
		case quoted:
			quoted = r != '"'
		case bracket:
			bracket = r != ']'
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = true
		case r == '[':
			bracket = true
		case r == 'y', r == 'm', r == 'd', r == 'h', r == 's':
			return true
		}
	}
	return false
}

// sheetRows reads a sheet's rows as stored; index i is row i+1.
func sheetRows(f *excelize.File, name string) ([][]string, error) {
	it, err := f.Rows(name)
	if err != nil {
		return nil, fileError(ErrUnreadable)
	}
	defer it.Close()
	var out [][]string
	for it.Next() {
		if len(out) >= MaxRows+headerSearch+1000 {
			// Rows with nothing in them count here too; a sheet this long
			// is refused before it fills memory.
			return nil, fileError(ErrTooManyRows)
		}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileError(ErrUnreadable)
		}
		out = append(out, cells)
	}
	if it.Error() != nil {
		return nil, fileError(ErrUnreadable)
	}
	return out, nil
}

// excelDate turns an Excel serial into "YYYY-MM-DD" or "YYYY-MM-DD HH:MM".
func excelDate(serial float64, date1904 bool) (string, bool) {
	// Day 1 is 1900-01-01; 2958465 is 9999-12-31. A bare time (a fraction
	// of a day) is not a date.
	if serial < 1 || serial > 2958465 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return "", false
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02"), true
	}
	return t.Format("2006-01-02 15:04"), true
}

// ExcelSerial reads s as an Excel date serial ("45306" is 2024-01-15),
// for targets that meet a date column typed as a plain number.
func ExcelSerial(s string, date1904 bool) (string, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return "", false
	}
	return excelDate(v, date1904)
}

// fillMerged writes the value of each merged range's first cell into every
// cell of the range that is on a line of the grid.
func fillMerged(g *Grid, merges []excelize.MergeCell) {
	if len(merges) == 0 {
		return
	}
	byN := make(map[int]int, len(g.Lines))
	for i, l := range g.Lines {
		byN[l.N] = i
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || c1 > c2 || r1 > r2 {
			continue
		}
		first, ok := byN[r1]
		if !ok {
			continue
		}
		v := g.Lines[first].Cell(c1 - 1)
		if v == "" {
			continue
		}
		c2 = min(c2, MaxColumns)
		r2 = min(r2, r1+MaxRows+headerSearch)
		for i := first; i < len(g.Lines) && g.Lines[i].N <= r2; i++ {
			l := &g.Lines[i]
			for c := c1 - 1; c < c2; c++ {
				for len(l.Cells) <= c {
					l.Cells = append(l.Cells, "")
				}
				if l.Cells[c] == "" {
					l.Cells[c] = v
				}
			}
		}
	}
}

// readCSV reads a CSV file: its character set is found (UTF-8 with or
// without a byte-order mark, UTF-16 with one, else Windows-1250, the
// Central European code page Romanian Excel saves in) and its delimiter
// sniffed among ; , and tab.
func readCSV(b []byte) (Table, error) {
	t := Table{Format: FormatCSV, Encoding: "UTF-8"}
	text, enc, err := decodeText(b)
	if err != nil {
		return Table{}, err
	}
	t.Encoding = enc
	t.Delimiter = sniffDelimiter(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = t.Delimiter
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	b2 := gridBuilder{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Table{}, fileError(ErrUnreadable)
		}
		line, _ := r.FieldPos(0)
		for i, c := range rec {
			rec[i] = strings.ReplaceAll(c, "\r\n", "\n")
		}
		if err := b2.add(line, rec); err != nil {
			return Table{}, err
		}
	}
	if len(b2.g.Lines) == 0 {
		return Table{}, fileError(ErrEmpty)
	}
	t.Sheets = []Grid{b2.g}
	return t, nil
}

// decodeText turns the bytes of a text file into a string.
func decodeText(b []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		if !utf8.Valid(b) {
			return "", "", fileError(ErrUnreadable)
		}
		return string(b), "UTF-8", nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		// Excel's "Unicode text".
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", "", fileError(ErrUnreadable)
		}
		return string(out), "UTF-16", nil
	}
	// A text file has no NUL bytes; a binary file sent as .csv does.
	if bytes.IndexByte(b[:min(len(b), 8192)], 0) >= 0 {
		return "", "", fileError(ErrType)
	}
	if utf8.Valid(b) {
		return string(b), "UTF-8", nil
	}
	out, err := charmap.Windows1250.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", fileError(ErrUnreadable)
	}
	return string(out), "Windows-1250", nil
}

// sniffDelimiter picks the delimiter that splits the first lines into the
// most columns, the same number on most lines. Semicolon wins ties: it is
// what Excel writes with Romanian regional settings, where the comma is
// the decimal mark.
func sniffDelimiter(text string) rune {
	sample := text
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
		if i := strings.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i]
		}
	}
	best, bestScore := ';', 0
	for _, d := range []rune{';', ',', '\t'} {
		r := csv.NewReader(strings.NewReader(sample))
		r.Comma = d
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		counts := map[int]int{}
		for i := 0; i < 30; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if n := len(trimCells(rec)); n > 1 {
				counts[n]++
			}
		}
		score := 0
		for n, lines := range counts {
			// Lines agreeing on a count weigh more than columns.
			if s := lines*4 + n; s > score {
				score = s
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}
