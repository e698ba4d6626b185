package importer

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/textutil"
)

// Mapping maps a field key to the index of the file's column it is read
// from. A field absent from the map is not imported.
type Mapping map[string]int

// Message keys of mapping problems, by field key.
const (
	ErrRequired     = "importer.error.required"
	ErrColumnTwice  = "importer.error.column_twice"
	ErrColumnAbsent = "importer.error.column_absent"
)

// Check reports, by field key, the required fields without a column, the
// columns chosen for two fields and columns the file does not have.
func (m Mapping) Check(fields []Field, columns int) apperr.Validation {
	v := apperr.Validation{}
	used := map[int]string{}
	for _, f := range fields {
		c, ok := m[f.Key]
		switch {
		case !ok || c < 0:
			if f.Required {
				v.Add(f.Key, ErrRequired)
			}
		case c >= columns:
			v.Add(f.Key, ErrColumnAbsent)
		default:
			if other, taken := used[c]; taken {
				v.Add(f.Key, ErrColumnTwice)
				v.Add(other, ErrColumnTwice)
			}
			used[c] = f.Key
		}
	}
	return v
}

// Clean keeps only the fields given, with a column in range.
func (m Mapping) Clean(fields []Field, columns int) Mapping {
	out := Mapping{}
	for _, f := range fields {
		if c, ok := m[f.Key]; ok && c >= 0 && c < columns {
			out[f.Key] = c
		}
	}
	return out
}

// words folds a heading into its words: case, diacritics (and the cedilla
// spelling), punctuation and spacing do not matter.
func words(s string) []string {
	return strings.FieldsFunc(textutil.Fold(textutil.Clean(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// sameWord compares folded words, forgiving the Romanian endings people
// add or drop: "inerent" and "inerenta", "riscul" and "risc".
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return utf8.RuneCountInString(a) >= 4 && strings.HasPrefix(b, a) && len(b)-len(a) <= 4
}

// contains reports whether every word of small is among the words of big,
// in any order ("Risc inerent - probabilitate" holds "Probabilitate
// inerentă"), each word of big standing for one word of small.
func contains(big, small []string) bool {
	if len(small) == 0 || len(small) > len(big) {
		return false
	}
	used := make([]bool, len(big))
outer:
	for _, w := range small {
		for i, b := range big {
			if !used[i] && sameWord(b, w) {
				used[i] = true
				continue outer
			}
		}
		return false
	}
	return true
}

// Match strengths of a heading to a name of a field.
const (
	matchNone = iota
	// the heading is a part of the name ("Probabilitate" for
	// "Probabilitate inerentă")
	matchPart
	// the name is a part of the heading ("Descrierea riscului identificat"
	// for "Descrierea riscului")
	matchContains
	// the same words, but for their endings
	matchWords
	// exactly the same, once folded
	matchExact
)

// match scores how well heading names a field called name; the second
// value ranks matches of the same strength (longer names are more telling).
func match(heading, name []string) (int, int) {
	if len(heading) == 0 || len(name) == 0 {
		return matchNone, 0
	}
	if slices.Equal(heading, name) {
		return matchExact, len(name)
	}
	if len(heading) == len(name) && contains(heading, name) {
		return matchWords, len(name)
	}
	if contains(heading, name) {
		return matchContains, len(name)
	}
	// A heading of a single short word ("Nr", "Cod") says too little to be
	// part of a longer name.
	if (len(heading) > 1 || utf8.RuneCountInString(heading[0]) >= 5) && contains(name, heading) {
		return matchPart, len(heading)
	}
	return matchNone, 0
}

// names are the ways a field may be written in a heading: its key
// ("inherent_probability" as "inherent probability") and its aliases.
func names(f Field) [][]string {
	out := [][]string{words(strings.ReplaceAll(f.Key, "_", " "))}
	for _, a := range f.Aliases {
		if w := words(a); len(w) > 0 {
			out = append(out, w)
		}
	}
	return out
}

type candidate struct {
	field, col      int
	strength, width int
}

// Guess maps fields to headings: exact matches first, then containment,
// each column given to one field only. Headings are compared with
// diacritics, case and punctuation ignored. Labels are matched through
// the aliases: see WithLabels.
func Guess(fields []Field, headers []string) Mapping {
	m, _ := guess(fields, headers)
	return m
}

// guess also returns a score of how well the headings fit the fields, for
// finding the heading row.
func guess(fields []Field, headers []string) (Mapping, int) {
	hw := make([][]string, len(headers))
	for i, h := range headers {
		hw[i] = words(h)
	}
	var cands []candidate
	for fi, f := range fields {
		ns := names(f)
		for ci, h := range hw {
			best := candidate{field: fi, col: ci}
			for _, n := range ns {
				s, w := match(h, n)
				if s > best.strength || (s == best.strength && w > best.width) {
					best.strength, best.width = s, w
				}
			}
			if best.strength > matchNone {
				cands = append(cands, best)
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.strength, a.strength), cmp.Compare(b.width, a.width), cmp.Compare(a.field, b.field), cmp.Compare(a.col, b.col))
	})
	m := Mapping{}
	colTaken := map[int]bool{}
	score := 0
	for _, c := range cands {
		key := fields[c.field].Key
		if _, done := m[key]; done || colTaken[c.col] {
			continue
		}
		m[key] = c.col
		colTaken[c.col] = true
		score += c.strength
		if fields[c.field].Required {
			score++
		}
	}
	return m, score
}

// WithLabels returns fields with the names of each field's label added to
// its aliases; label gives the label's text in each language.
func WithLabels(fields []Field, label func(key string) []string) []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		f.Aliases = append(slices.Clip(f.Aliases), label(f.Label)...)
		out[i] = f
	}
	return out
}

// Detect finds the heading of the table among the first rows of each
// sheet: the row (or a group heading with its sub-headings) whose
// headings best match the fields. Title lines above it are ignored, and a
// row of column numbers under it is skipped. With no heading recognised,
// the first row is taken as the heading, for the person to map by hand.
func (t *Table) Detect(fields []Field) error {
	type choice struct {
		sheet, first, rows, score int
	}
	best := choice{sheet: -1, score: -1}
	for si, g := range t.Sheets {
		for i := 0; i < len(g.Lines) && i < headerSearch; i++ {
			for rows := 1; rows <= 2; rows++ {
				if i+rows > len(g.Lines) {
					break
				}
				if rows == 2 && g.Lines[i+1].N != g.Lines[i].N+1 {
					break
				}
				hs := headings(g.Lines[i : i+rows])
				_, score := guess(fields, hs)
				// Headings that repeat ("Probabilitate" under both "Risc
				// inerent" and "Risc rezidual") call for the row above.
				score -= 2 * duplicates(hs)
				if rows == 2 {
					// A second heading row must earn its place.
					score--
				}
				if score > best.score {
					best = choice{sheet: si, first: i, rows: rows, score: score}
				}
			}
		}
	}
	if best.sheet < 0 {
		return fileError(ErrEmpty)
	}
	if best.score <= 0 {
		best = choice{sheet: 0, first: 0, rows: 1}
	}
	g := t.Sheets[best.sheet]
	t.Sheet = best.sheet
	head := g.Lines[best.first : best.first+best.rows]
	t.Header = nil
	for _, l := range head {
		t.Header = append(t.Header, l.N)
	}
	hs := headings(head)
	data := g.Lines[best.first+best.rows:]
	t.Numbering = 0
	if len(data) > 0 && numbering(data[0].Cells, len(hs)) {
		t.Numbering = data[0].N
		data = data[1:]
	}
	if len(data) == 0 {
		return fileError(ErrEmpty)
	}
	if len(data) > MaxRows {
		return fileError(ErrTooManyRows)
	}
	t.Data = data
	n := len(hs)
	for _, l := range data {
		n = max(n, len(l.Cells))
	}
	t.Columns = make([]Column, n)
	for c := range t.Columns {
		col := Column{Index: c, Letter: letter(c)}
		if c < len(hs) {
			col.Heading = hs[c]
		}
		for _, l := range data {
			if v := l.Cell(c); v != "" {
				col.Sample = truncate(v, 60)
				break
			}
		}
		t.Columns[c] = col
	}
	return nil
}

// Headings returns the columns' headings.
func (t Table) Headings() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Heading
	}
	return out
}

// headings combines heading rows: a group heading ("Risc inerent") with
// each sub-heading under it ("Probabilitate"), and a heading merged over
// both rows once. A group heading written once over its first column (a
// CSV file keeps no merged cells) covers the sub-headings to its right.
func headings(rows []Line) []string {
	n := 0
	for _, l := range rows {
		n = max(n, len(l.Cells))
	}
	grid := make([][]string, len(rows))
	for r, l := range rows {
		grid[r] = make([]string, n)
		for c := range n {
			grid[r][c] = textutil.Clean(l.Cell(c))
		}
	}
	if len(rows) == 2 {
		up, lo := grid[0], grid[1]
		for c := 1; c < n; c++ {
			if up[c] == "" && lo[c] != "" && lo[c-1] != "" && up[c-1] != "" && up[c-1] != lo[c-1] {
				up[c] = up[c-1]
			}
		}
	}
	out := make([]string, n)
	for c := range out {
		var parts []string
		for r := range grid {
			v := grid[r][c]
			if v != "" && (len(parts) == 0 || !strings.EqualFold(parts[len(parts)-1], v)) {
				parts = append(parts, v)
			}
		}
		out[c] = strings.Join(parts, " ")
	}
	return out
}

// duplicates counts the non-empty headings that repeat an earlier one.
func duplicates(hs []string) int {
	seen := map[string]bool{}
	n := 0
	for _, h := range hs {
		k := strings.Join(words(h), " ")
		if k == "" {
			continue
		}
		if seen[k] {
			n++
		}
		seen[k] = true
	}
	return n
}

// numbering reports whether cells are a row of column numbers (1 2 3 ...),
// as official register forms have under their headings.
func numbering(cells []string, columns int) bool {
	last, count := -1, 0
	for _, c := range cells {
		c = strings.Trim(c, " .()")
		if c == "" {
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil || (last < 0 && n > 1) || (last >= 0 && n != last+1) {
			return false
		}
		last = n
		count++
	}
	return count >= 3 && count*2 >= columns
}

// letter is the spreadsheet name of column c (0-based): A, B, ... AA.
func letter(c int) string {
	s, err := excelize.ColumnNumberToName(c + 1)
	if err != nil {
		return strconv.Itoa(c + 1)
	}
	return s
}

func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Apply reads the table's data rows through the mapping. Rows empty in
// every mapped column (a totals line, a line of notes) are left out.
func Apply(t Table, m Mapping) []Row {
	out := make([]Row, 0, len(t.Data))
	for _, l := range t.Data {
		values := make(map[string]string, len(m))
		empty := true
		for key, c := range m {
			v := strings.TrimSpace(l.Cell(c))
			values[key] = v
			if v != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		out = append(out, Row{Line: l.N, Values: values})
	}
	return out
}
