package web

import (
	"errors"
	"html"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/scorecard"
)

// measureCell is one input of the grid as the page shows it.
type measureCell struct {
	Name        string // "<kpiID>_<periodKey>": v_, ver_, x_, o_ prefix it
	Label       string // "K01 octombrie 2026", the input's accessible name
	Value       string // as typed, or the value in force
	Shown       string // the value in force as shown, to tell a change
	Explanation string
	Version     int
	Target      *scorecard.Target
	Status      string
	Due         bool
	Pending     *float64
	Future      bool // the period has not started: nothing to enter yet
	Error       string
	// HTML is the cell's content, written in Go: the grid is the hot page
	// (hundreds of KPIs × twelve months), and a template per cell costs
	// more than the queries.
	HTML template.HTML
	// Class is the cell's class list.
	Class string
}

type measureRow struct {
	KPI      scorecard.KPI
	Editable bool
	Cells    []measureCell
}

// measureProblem is a line of the grid's error summary.
type measureProblem struct {
	Anchor, Label, Key string
}

type measureGridData struct {
	Query       scorecard.GridQuery
	Periods     []scorecard.Period
	Rows        []measureRow
	Problems    []measureProblem
	Years       []int
	Frequencies []string
	Units       []*org.TreeNode
	Objectives  []kpiObjectiveGroup
	CanMeasure  bool
	CanManage   bool
	// QueryString keeps the grid's choice and page: the form posts to it
	// and a save returns to it. It is a URL so that the template keeps its
	// "=" and "&" (as a string they were escaped, and a save fell back to
	// the monthly grid of this year).
	QueryString template.URL
	Pager       pager
}

// measurePerPage is how many KPIs a page of the grid shows: the grid of a
// large institution (500 KPIs × 12 months) was 3 MB of inputs.
const measurePerPage = 50

// measureQuery reads the grid's choice from the query string or the form.
func measureQuery(r *http.Request) scorecard.GridQuery {
	get := func(k string) string {
		if v := r.URL.Query().Get(k); v != "" {
			return v
		}
		if r.Method == http.MethodPost {
			return r.PostFormValue(k)
		}
		return ""
	}
	year, _ := strconv.Atoi(get("year"))
	unit, _ := strconv.ParseInt(get("unit"), 10, 64)
	obj, _ := strconv.ParseInt(get("objective"), 10, 64)
	page, _ := strconv.Atoi(get("page"))
	return scorecard.GridQuery{Frequency: get("frequency"), Year: year, UnitID: unit, ObjectiveID: obj, Page: max(page, 1), PerPage: measurePerPage}
}

func measureCellName(kpiID int64, p scorecard.Period) string {
	return strconv.FormatInt(kpiID, 10) + "_" + p.Key()
}

// measureLoad reads the grid and turns it into rows of inputs.
func (s *Server) measureLoad(r *http.Request, q scorecard.GridQuery) (*measureGridData, error) {
	ctx := r.Context()
	a := actorOf(r)
	l := localizer(r)
	g, err := s.scorecard.Grid(ctx, a, q)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	d := &measureGridData{Query: g.Query, Periods: g.Periods, Frequencies: scorecard.Frequencies,
		CanMeasure: a.Can(auth.PermScorecardMeasure), CanManage: a.Can(auth.PermScorecardManage)}
	for y := now.Year() + 1; y >= now.Year()-9; y-- {
		d.Years = append(d.Years, y)
	}
	for _, gr := range g.Rows {
		row := measureRow{KPI: gr.KPI, Editable: gr.Editable && d.CanMeasure}
		for _, c := range gr.Cells {
			mc := measureCell{Name: measureCellName(gr.KPI.ID, c.Period), Label: gr.KPI.Code + " " + c.Period.Label(l.Lang()), Target: c.Target,
				Status: c.Status, Due: c.Due, Future: c.Period.Start().After(now)}
			if mc.Status == "" {
				mc.Status = scorecard.StatusNone
			}
			if m := c.Measurement; m != nil {
				mc.Version = m.Version
				mc.Shown = kpiFormNumber(l.Lang(), m.Value)
				mc.Value = mc.Shown
				mc.Pending = m.Pending
			}
			row.Cells = append(row.Cells, mc)
		}
		d.Rows = append(d.Rows, row)
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.Objectives, err = s.kpiObjectiveGroups(ctx, a, l.T); err != nil {
		return nil, err
	}
	v := url.Values{"frequency": {g.Query.Frequency}, "year": {strconv.Itoa(g.Query.Year)}}
	if g.Query.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(g.Query.UnitID, 10))
	}
	if g.Query.ObjectiveID != 0 {
		v.Set("objective", strconv.FormatInt(g.Query.ObjectiveID, 10))
	}
	d.Pager = pager{Page: max(g.Query.Page, 1), PerPage: measurePerPage, Total: g.Total, query: v}
	if d.Pager.Page > 1 {
		v = maps.Clone(v)
		v.Set("page", strconv.Itoa(d.Pager.Page))
	}
	d.QueryString = template.URL(v.Encode())
	return d, nil
}

// measureGrid is the entry grid: the entered KPIs of a frequency × the
// periods of a year.
func (s *Server) measureGrid(w http.ResponseWriter, r *http.Request) error {
	d, err := s.measureLoad(r, measureQuery(r))
	if err != nil {
		return err
	}
	p := s.page(r, "scorecard.grid.title", d)
	measureRender(p, d)
	return s.render(w, http.StatusOK, "measure_grid", p)
}

// measureSave records the cells that changed, all or nothing. Problems
// re-render the grid with what was typed kept and each bad cell marked.
func (s *Server) measureSave(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"grid": "error.invalid"}
	}
	d, err := s.measureLoad(r, measureQuery(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	type ref struct{ row, cell int }
	var entries []scorecard.Entry
	var refs []ref
	for i := range d.Rows {
		row := &d.Rows[i]
		if !row.Editable {
			continue
		}
		for j := range row.Cells {
			c := &row.Cells[j]
			typed, present := r.PostForm["v_"+c.Name]
			if !present || c.Future {
				continue
			}
			c.Value = strings.TrimSpace(typed[0])
			c.Explanation = strings.TrimSpace(r.PostFormValue("x_" + c.Name))
			shown := r.PostFormValue("o_" + c.Name)
			if c.Value == "" {
				continue // a value cannot be removed, only corrected
			}
			v, ok := kpiParseNumber(c.Value)
			if !ok {
				c.Error = "scorecard.measure.error.value"
				continue
			}
			old, _ := kpiParseNumber(shown)
			if old != nil && *old == *v && c.Explanation == "" {
				continue
			}
			ver, _ := strconv.Atoi(r.PostFormValue("ver_" + c.Name))
			entries = append(entries, scorecard.Entry{KPIID: row.KPI.ID, Period: c.Name[strings.IndexByte(c.Name, '_')+1:], Value: *v, Explanation: c.Explanation, Version: ver})
			refs = append(refs, ref{i, j})
		}
	}
	bad := false
	for _, row := range d.Rows {
		for _, c := range row.Cells {
			if c.Error != "" {
				bad = true
			}
		}
	}
	if !bad && len(entries) > 0 {
		out, err := s.scorecard.Record(r.Context(), a, scorecard.SourceManual, entries)
		if err == nil {
			msg := l.T("scorecard.grid.flash.saved", "Count", out.Saved)
			if out.Pending > 0 {
				msg += " " + l.T("scorecard.grid.flash.pending", "Count", out.Pending)
			}
			s.sessions.Put(r.Context(), sessFlash, msg)
			return redirect(w, r, "/scorecard/measurements?"+string(d.QueryString))
		}
		var errs scorecard.EntryErrors
		if !errors.As(err, &errs) {
			return err
		}
		for _, e := range errs {
			if e.Index >= 0 && e.Index < len(refs) {
				rf := refs[e.Index]
				d.Rows[rf.row].Cells[rf.cell].Error = e.Key
			}
		}
		bad = true
	}
	if !bad {
		s.flash(r, "scorecard.grid.flash.nothing")
		return redirect(w, r, "/scorecard/measurements?"+string(d.QueryString))
	}
	for _, row := range d.Rows {
		for _, c := range row.Cells {
			if c.Error != "" {
				d.Problems = append(d.Problems, measureProblem{Anchor: "v_" + c.Name, Label: c.Label, Key: c.Error})
			}
		}
	}
	p := s.page(r, "scorecard.grid.title", d)
	measureRender(p, d)
	p.Error = p.T("scorecard.grid.error")
	return s.render(w, http.StatusUnprocessableEntity, "measure_grid", p)
}

// scorecardRefresh computes the KPIs fed by other modules and formulas
// now, and opens the due-value tasks, for the actor's institution.
func (s *Server) scorecardRefresh(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	res, err := s.scorecard.Refresh(r.Context(), a, s.clock.Now())
	if err != nil {
		return err
	}
	s.flash(r, "scorecard.grid.flash.refreshed", "Computed", res.Computed, "Tasks", res.Tasks)
	back := sameSiteReferer(r)
	if back == "/" {
		back = "/scorecard/kpis"
	}
	return redirect(w, r, back)
}

// measureWords are the grid's words, translated once per page.
type measureWords struct {
	explanation, target, due string
	marker                   map[string]string
	pending                  func(v string) string
	err                      func(key string) string
}

// measureRender writes each cell's content and class.
func measureRender(p *Page, d *measureGridData) {
	w := measureWords{explanation: p.T("scorecard.grid.explanation"), target: p.T("scorecard.grid.target"), due: p.T("scorecard.grid.due"),
		marker: map[string]string{}, err: func(key string) string { return p.T(key) }}
	for _, st := range []string{scorecard.StatusGreen, scorecard.StatusAmber, scorecard.StatusRed} {
		w.marker[st] = p.T("scorecard.grid.marker." + st)
	}
	w.pending = func(v string) string { return p.T("scorecard.grid.pending", "Value", v) }
	for i := range d.Rows {
		row := &d.Rows[i]
		for j := range row.Cells {
			c := &row.Cells[j]
			c.Class = "cell kpi-" + c.Status
			if c.Error != "" {
				c.Class += " invalid"
			}
			if c.Due {
				c.Class += " due"
			}
			c.HTML = template.HTML(measureCellHTML(p, w, row, c))
		}
	}
}

func measureCellHTML(p *Page, w measureWords, row *measureRow, c *measureCell) string {
	esc := html.EscapeString
	var b strings.Builder
	name := esc(c.Name)
	switch {
	case row.Editable && !c.Future:
		b.WriteString(`<label for="v_` + name + `" class="visually-hidden">` + esc(c.Label) + `</label>`)
		b.WriteString(`<input type="text" inputmode="decimal" size="6" id="v_` + name + `" name="v_` + name + `" value="` + esc(c.Value) + `"`)
		if c.Error != "" {
			b.WriteString(` aria-invalid="true" aria-describedby="ve_` + name + `"`)
		}
		b.WriteString(`>`)
		// The value shown and its version; an empty cell carries neither
		// (absent reads as "" and 0), which keeps a large grid light.
		if c.Shown != "" {
			b.WriteString(`<input type="hidden" name="o_` + name + `" value="` + esc(c.Shown) + `">`)
		}
		if c.Version != 0 {
			b.WriteString(`<input type="hidden" name="ver_` + name + `" value="` + strconv.Itoa(c.Version) + `">`)
		}
		b.WriteString(`<label for="x_` + name + `" class="visually-hidden">` + esc(c.Label+" — "+w.explanation) + `</label>`)
		b.WriteString(`<input type="text" class="explain" id="x_` + name + `" name="x_` + name + `" value="` + esc(c.Explanation) + `" maxlength="2000" placeholder="` + esc(w.explanation) + `">`)
	case !c.Future:
		b.WriteString(`<span>` + esc(c.Value) + `</span>`)
	}
	if c.Error != "" {
		b.WriteString(`<span class="field-error" id="ve_` + name + `">` + esc(w.err(c.Error)) + `</span>`)
	}
	b.WriteString(`<span class="cell-meta">`)
	if m := w.marker[c.Status]; m != "" {
		b.WriteString(`<span class="marker">` + esc(m) + `</span> `)
	}
	if c.Target != nil {
		b.WriteString(esc(w.target + " " + p.KPITarget(c.Target, row.KPI)))
	}
	if c.Due {
		b.WriteString(` <span class="tag warn">` + esc(w.due) + `</span>`)
	}
	if c.Pending != nil {
		b.WriteString(` <span class="tag warn">` + esc(w.pending(p.KPIValue(c.Pending, row.KPI))) + `</span>`)
	}
	b.WriteString(`</span>`)
	return b.String()
}
