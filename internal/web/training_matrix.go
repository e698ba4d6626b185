package web

// The competence matrix: competences as columns, people as rows grouped by
// unit, each cell the level required against the level held and its state,
// with the gaps summed per unit above; its workbook (cells coloured beside
// their words, a unit summary sheet) and its PDF (the unit summary and the
// gaps per unit).

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/training"
)

// trMatrixPerPage is how many people a page of the matrix shows.
const trMatrixPerPage = 50

// trMatrixFilter is the matrix's filter, from the query string.
type trMatrixFilter struct {
	UnitID   int64
	Area     string
	Query    string
	GapsOnly bool
}

func trMatrixFilterOf(r *http.Request) trMatrixFilter {
	q := r.URL.Query()
	f := trMatrixFilter{UnitID: queryInt(r, "unit"), Area: q.Get("area"), Query: strings.TrimSpace(q.Get("q")), GapsOnly: q.Get("gaps") == "1"}
	if !slices.Contains(training.Areas, f.Area) {
		f.Area = ""
	}
	return f
}

func (f trMatrixFilter) domain(page, perPage int) training.MatrixFilter {
	return training.MatrixFilter{UnitID: f.UnitID, Area: f.Area, Query: f.Query, GapsOnly: f.GapsOnly, Page: page, PerPage: perPage}
}

// trMatrixGroup is a unit's run of rows on a page of the matrix.
type trMatrixGroup struct {
	UnitID   int64
	UnitName string
	Rows     []trMatrixRow
}

// trMatrixRow is a person's line with its cells already written out: a
// page of 50 people by 40 competences is 2,000 cells, which html/template
// takes several times longer to write than this.
type trMatrixRow struct {
	training.MatrixRow
	CellsHTML template.HTML
}

// trMatrixGroups groups the rows by unit, keeping the domain's order.
func trMatrixGroups(rows []training.MatrixRow, cells func(training.MatrixRow) template.HTML) []trMatrixGroup {
	var out []trMatrixGroup
	for _, row := range rows {
		r := trMatrixRow{MatrixRow: row}
		if cells != nil {
			r.CellsHTML = cells(row)
		}
		if n := len(out); n > 0 && out[n-1].UnitID == row.UnitID {
			out[n-1].Rows = append(out[n-1].Rows, r)
			continue
		}
		out = append(out, trMatrixGroup{UnitID: row.UnitID, UnitName: row.UnitName, Rows: []trMatrixRow{r}})
	}
	return out
}

// trMatrixCells writes a row's cells: the levels required and held, the
// state's mark (hidden from screen readers) and word (shown only to them),
// the lapse date as a title. Every text is escaped.
func trMatrixCells(l *i18n.Localizer, words map[string]string) func(training.MatrixRow) template.HTML {
	lapses := map[string]string{}
	return func(row training.MatrixRow) template.HTML {
		var b strings.Builder
		for _, c := range row.Cells {
			if c.State == training.CellNone {
				b.WriteString(`<td class="tmx-c"></td>`)
				continue
			}
			b.WriteString(`<td class="tmx-c tmx-`)
			b.WriteString(html.EscapeString(c.State))
			b.WriteString(`"`)
			if c.ExpiresOn != "" {
				t, ok := lapses[c.ExpiresOn]
				if !ok {
					day := c.ExpiresOn
					if d, err := time.Parse(time.DateOnly, day); err == nil {
						day = l.Date(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC))
					}
					t = l.T("training.matrix.lapses_on", "Date", day)
					lapses[c.ExpiresOn] = t
				}
				b.WriteString(` title="`)
				b.WriteString(html.EscapeString(t))
				b.WriteString(`"`)
			}
			b.WriteString(`>`)
			b.WriteString(strconv.Itoa(c.Required))
			b.WriteString(`/`)
			b.WriteString(strconv.Itoa(c.Held))
			b.WriteString(` <span aria-hidden="true">`)
			b.WriteString(trCellMarks[c.State])
			b.WriteString(`</span><span class="visually-hidden"> `)
			b.WriteString(html.EscapeString(words[c.State]))
			b.WriteString(`</span></td>`)
		}
		return template.HTML(b.String())
	}
}

// trCellStates are the cell states with a legend, in the legend's order.
var trCellStates = []string{training.CellOK, training.CellExpiring, training.CellGap, training.CellExtra}

// trCellMarks are the marks cells carry beside their colour, so the state
// reads without colour; the legend and a hidden word say what they mean.
var trCellMarks = map[string]string{training.CellOK: "✓", training.CellExpiring: "!", training.CellGap: "✗", training.CellExtra: "+"}

// trCellFills are the workbook's colours of the cell states.
var trCellFills = map[string]string{training.CellOK: "DCEFE0", training.CellExpiring: "FFF1CC", training.CellGap: "F8D7D7", training.CellExtra: "E0ECFF"}

// TrCellClass is the tag class of a cell state, for tags outside the matrix.
func (p *Page) TrCellClass(state string) string {
	switch state {
	case training.CellOK:
		return "tag cst-implemented"
	case training.CellExpiring:
		return "tag cst-partial"
	case training.CellGap:
		return "tag cst-not_implemented"
	}
	return "tag cst-not_applicable"
}

type trMatrixData struct {
	M      training.Matrix
	Groups []trMatrixGroup
	Filter trMatrixFilter
	Units  []*org.TreeNode
	Areas  []string
	Pager  pager
	Day    time.Time
	// Scope is what the actor sees: "all", "units" (a head of unit) or
	// "own".
	Scope string
	// States, Marks and Words are the legend; Words name the states.
	States []string
	Marks  map[string]string
	Words  map[string]string
	// Cols is the number of columns, for the unit rows that span them.
	Cols int
	// Summary is the export's query string (the filter without the page).
	Summary string
}

// trMatrixScope is the part of the institution the actor's matrix covers.
func trMatrixScope(a auth.Actor) string {
	switch {
	case a.Can(auth.PermTrainingRecords):
		return "all"
	case a.HasRole(auth.RoleHeadOfUnit):
		return "units"
	}
	return "own"
}

// trainingMatrix is the competence matrix.
func (s *Server) trainingMatrix(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f := trMatrixFilterOf(r)
	pg := newPager(r, trMatrixPerPage)
	day := s.trToday()
	m, err := s.training.Matrix(ctx, a, f.domain(pg.Page, pg.PerPage), day)
	if err != nil {
		return err
	}
	pg.Total = m.Total
	l := localizer(r)
	d := &trMatrixData{M: m, Filter: f, Areas: training.Areas, Pager: pg, Day: day, Scope: trMatrixScope(a),
		States: trCellStates, Marks: trCellMarks, Words: map[string]string{}, Cols: len(m.Competences) + 2}
	for _, st := range trCellStates {
		d.Words[st] = l.T("training.cell." + st)
	}
	d.Groups = trMatrixGroups(m.Rows, trMatrixCells(l, d.Words))
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "training_matrix", s.page(r, "training.matrix.title", d))
}

// trMatrixAll reads the whole filtered matrix, every page, for the exports.
func (s *Server) trMatrixAll(r *http.Request, f trMatrixFilter, day time.Time) (training.Matrix, error) {
	var all training.Matrix
	for page := 1; ; page++ {
		m, err := s.training.Matrix(r.Context(), actorOf(r), f.domain(page, 1000), day)
		if err != nil {
			return training.Matrix{}, err
		}
		if page == 1 {
			all = m
		} else {
			all.Rows = append(all.Rows, m.Rows...)
		}
		if len(m.Rows) == 0 || len(all.Rows) >= m.Total {
			return all, nil
		}
	}
}

// trWords are the words the exports repeat in every row, translated once:
// a matrix of 600 people by 40 competences is 24,000 cells.
type trWords struct {
	states map[string]string
	levels map[int]string
	cell   string // the cell's pattern, "%d/%d %s"
}

func trWordsOf(l *i18n.Localizer) trWords {
	w := trWords{states: map[string]string{}, levels: map[int]string{}}
	for _, st := range trCellStates {
		w.states[st] = l.T("training.cell." + st)
	}
	for _, lv := range training.Levels {
		w.levels[lv] = fmt.Sprintf("%d · %s", lv, l.T(fmt.Sprintf("training.level.%d", lv)))
	}
	w.cell = l.T("training.matrix.cell_text", "Required", "%[1]d", "Held", "%[2]d", "State", "%[3]s")
	return w
}

// cellText is a cell as the exports write it: "2/1 Lipsă" (required /
// held, and the state's word), empty when neither required nor held.
func (w trWords) cellText(c training.Cell) string {
	if c.State == training.CellNone {
		return ""
	}
	return fmt.Sprintf(w.cell, c.Required, c.Held, w.states[c.State])
}

// level names a level, "—" for none.
func (w trWords) level(level int) string {
	if s, ok := w.levels[level]; ok {
		return s
	}
	return "—"
}

// trainingMatrixExport sends the filtered matrix as a workbook: the
// matrix with coloured cell states, the unit summary and the columns'
// legend.
func (s *Server) trainingMatrixExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	day := s.trToday()
	m, err := s.trMatrixAll(r, trMatrixFilterOf(r), day)
	if err != nil {
		return err
	}
	l := localizer(r)
	words := trWordsOf(l)
	grid := report.FilledTable{Table: report.Table{Sheet: l.T("training.matrix.sheet"), Headers: []string{l.T("training.matrix.col.person"),
		l.T("training.matrix.col.job"), l.T("training.matrix.col.unit"), l.T("training.matrix.col.gaps")}}, FrozenCols: 1}
	for _, c := range m.Competences {
		grid.Headers = append(grid.Headers, c.Code)
	}
	for _, row := range m.Rows {
		cells := []any{row.Name, row.JobTitle, row.UnitName, row.Gaps}
		fills := make([]string, 4, 4+len(row.Cells))
		for _, c := range row.Cells {
			cells = append(cells, words.cellText(c))
			fills = append(fills, trCellFills[c.State])
		}
		grid.Rows = append(grid.Rows, cells)
		grid.Fills = append(grid.Fills, fills)
	}
	units := report.Table{Sheet: l.T("training.matrix.units_sheet"), Headers: []string{l.T("training.matrix.col.unit"), l.T("training.matrix.col.people"),
		l.T("training.matrix.col.required"), l.T("training.matrix.col.gaps"), l.T("training.matrix.col.coverage")}}
	for _, u := range m.Units {
		units.Rows = append(units.Rows, []any{trUnitName(l, u.UnitName), u.People, u.Required, u.Gaps, trRound1(u.Coverage())})
	}
	legend := report.Table{Sheet: l.T("training.matrix.legend_sheet"), Headers: []string{l.T("training.comp.col.code"), l.T("training.comp.col.name"),
		l.T("training.comp.col.area"), l.T("training.comp.col.validity")}}
	for _, c := range m.Competences {
		area := ""
		if c.Area != "" {
			area = l.T("training.topic." + c.Area)
		}
		legend.Rows = append(legend.Rows, []any{c.Code, c.Name, area, c.ValidityMonths})
	}
	legend.Rows = append(legend.Rows, []any{"", ""}, []any{"N/M", l.T("training.matrix.legend_levels")})
	for _, st := range trCellStates {
		legend.Rows = append(legend.Rows, []any{l.T("training.cell." + st), l.T("training.matrix.legend." + st)})
	}
	name := l.T("training.matrix.export_file", "Date", day.Format(time.DateOnly))
	if path.Ext(r.URL.Path) == ".csv" {
		// A CSV file holds one table, and no colours: the matrix itself.
		return sendTables(w, r, name, grid.Table)
	}
	return sendFile(w, name, "xlsx", func(b io.Writer) error { return report.WriteFilledXLSX(b, grid, units, legend) })
}

// trRound1 rounds a percentage to one decimal for a spreadsheet cell.
func trRound1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// trUnitName names a unit, or the people placed in none.
func trUnitName(l *i18n.Localizer, name string) string {
	if name == "" {
		return l.T("training.matrix.no_unit")
	}
	return name
}

// trainingMatrixPDF prints the matrix's report on landscape pages: the
// summary per unit, then each unit's gaps (person, competence, level
// required, level held).
func (s *Server) trainingMatrixPDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	day := s.trToday()
	f := trMatrixFilterOf(r)
	m, err := s.trMatrixAll(r, f, day)
	if err != nil {
		return err
	}
	l := localizer(r)
	words := trWordsOf(l)
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return err
	}
	civil := l.Date(time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC))
	rep := report.CaseReport{Institution: inst.Name, Title: l.T("training.matrix.report_title"), Subtitle: l.T("training.matrix.report_subtitle", "Date", civil),
		Footer: l.T("training.matrix.report_footer", "At", l.DateTime(s.clock.Now())), PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	summary := &report.ReportTable{Columns: []string{l.T("training.matrix.col.unit"), l.T("training.matrix.col.people"), l.T("training.matrix.col.required"),
		l.T("training.matrix.col.gaps"), l.T("training.matrix.col.coverage")}, Widths: []float64{4, 1, 1, 1, 1.2}}
	gapsTotal := 0
	for _, u := range m.Units {
		summary.Rows = append(summary.Rows, []string{trUnitName(l, u.UnitName), l.Number(u.People), l.Number(u.Required), l.Number(u.Gaps), l.Decimal(u.Coverage(), 1) + " %"})
		gapsTotal += u.Gaps
	}
	sec := report.ReportSection{Heading: l.T("training.matrix.units_title"), Table: summary}
	if len(m.Units) == 0 {
		sec.Text = l.T("training.matrix.empty")
	}
	rep.Sections = append(rep.Sections, sec)
	// The gaps of each unit, in the matrix's order of rows.
	below := l.T("training.matrix.note_below")
	for _, g := range trMatrixGroups(m.Rows, nil) {
		t := &report.ReportTable{Columns: []string{l.T("training.matrix.col.person"), l.T("training.matrix.col.job"), l.T("training.matrix.col.competence"),
			l.T("training.matrix.col.required_level"), l.T("training.matrix.col.held_level"), l.T("training.matrix.col.note")}, Widths: []float64{2.2, 2, 3.4, 1.4, 1.4, 1.8}}
		for _, row := range g.Rows {
			for i, c := range row.Cells {
				if c.State != training.CellGap || i >= len(m.Competences) {
					continue
				}
				comp := m.Competences[i]
				note := ""
				if c.Held > 0 {
					note = below
				}
				t.Rows = append(t.Rows, []string{row.Name, row.JobTitle, comp.Code + " · " + comp.Name, words.level(c.Required), words.level(c.Held), note})
			}
		}
		if len(t.Rows) == 0 {
			continue
		}
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("training.matrix.gaps_of", "Unit", trUnitName(l, g.UnitName), "Count", len(t.Rows)), Table: t})
	}
	if gapsTotal == 0 && len(m.Units) > 0 {
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("training.matrix.gaps_title"), Text: l.T("training.matrix.no_gaps")})
	}
	name := l.T("training.matrix.export_file", "Date", day.Format(time.DateOnly))
	return sendFile(w, name, "pdf", func(b io.Writer) error { return report.WriteLandscapeReportPDF(b, rep) })
}
