package web

// The yearly self-evaluations: the list with its filters and export, the
// form that opens one, and the form of its dates and texts.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

// controlEvalPerPage is the page size of the list of evaluations.
const controlEvalPerPage = 25

var controlEvalSortKeys = []string{"year", "state", "due", "units"}

var controlEvalSortLabels = map[string]string{"year": "controleval.eval.year", "state": "controleval.eval.state", "due": "controleval.eval.due",
	"units": "controleval.eval.units"}

// controlEvalFilter is the list's filter.
type controlEvalFilter struct {
	State string
	Year  int
	Sort  string
	Desc  bool
}

func controlEvalFilterOf(r *http.Request) (controlEvalFilter, string) {
	q := r.URL.Query()
	f := controlEvalFilter{State: q.Get("state")}
	if !slices.Contains(control.EvalStates, f.State) {
		f.State = ""
	}
	if y, err := strconv.Atoi(strings.TrimSpace(q.Get("year"))); err == nil && y > 1900 && y < 3000 {
		f.Year = y
	}
	var current string
	f.Sort, f.Desc, current = trainingGroupSort(r, controlEvalSortKeys, "year")
	if current == "" {
		f.Desc = true // the latest year first
	}
	return f, current
}

// controlEvalFiltered applies the filter and the order to the
// institution's evaluations (a few dozen at most: one a year).
func controlEvalFiltered(all []control.Evaluation, f controlEvalFilter) []control.Evaluation {
	var out []control.Evaluation
	for _, ev := range all {
		if (f.State == "" || ev.State == f.State) && (f.Year == 0 || ev.Year == f.Year) {
			out = append(out, ev)
		}
	}
	stateRank := func(s string) int { return slices.Index(control.EvalStates, s) }
	slices.SortStableFunc(out, func(a, b control.Evaluation) int {
		var c int
		switch f.Sort {
		case "state":
			c = stateRank(a.State) - stateRank(b.State)
		case "due":
			c = strings.Compare(a.DueOn, b.DueOn)
		case "units":
			c = a.Units - b.Units
		}
		if c == 0 {
			c = a.Year - b.Year
		}
		if f.Desc {
			c = -c
		}
		return c
	})
	return out
}

type controlEvalListData struct {
	Items     []control.Evaluation
	Filter    controlEvalFilter
	Years     []int
	States    []string
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanManage bool
}

// controlEvalList is the institution's evaluations: filters by state and
// year, sortable columns, pages.
func (s *Server) controlEvalList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	all, err := s.control.Evaluations(r.Context(), a)
	if err != nil {
		return err
	}
	f, current := controlEvalFilterOf(r)
	items := controlEvalFiltered(all, f)
	pg := newPager(r, controlEvalPerPage)
	pg.Total = len(items)
	items = items[min(pg.Offset(), len(items)):min(pg.Offset()+pg.PerPage, len(items))]
	d := &controlEvalListData{Items: items, Filter: f, States: control.EvalStates, Pager: pg, CanManage: a.Can(auth.PermControlManage)}
	for _, ev := range all {
		if !slices.Contains(d.Years, ev.Year) {
			d.Years = append(d.Years, ev.Year)
		}
	}
	if d.Saved, err = s.savedFilters(r, "control_evaluations"); err != nil {
		return err
	}
	p := s.page(r, "controleval.list.title", d)
	d.Sorts = sortLinks(p, current, controlEvalSortLabels, controlEvalSortKeys)
	return s.render(w, http.StatusOK, "control_eval_list", p)
}

// controlEvalExport sends the filtered evaluations as XLSX.
func (s *Server) controlEvalExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	all, err := s.control.Evaluations(r.Context(), a)
	if err != nil {
		return err
	}
	f, _ := controlEvalFilterOf(r)
	l := localizer(r)
	day := func(v string) string { return civilDay(l.Date, v) }
	t := report.Table{Sheet: l.T("controleval.list.title"), Headers: []string{l.T("controleval.eval.year"), l.T("controleval.eval.state"),
		l.T("controleval.eval.opened"), l.T("controleval.eval.due"), l.T("controleval.eval.units"), l.T("controleval.eval.submitted"),
		l.T("controleval.eval.consolidated"), l.T("controleval.eval.approved_on"), l.T("controleval.eval.approved_by"), l.T("controleval.eval.report_no"),
		l.T("controleval.eval.model")}}
	for _, ev := range controlEvalFiltered(all, f) {
		t.Rows = append(t.Rows, []any{ev.Year, l.T("control.eval.state." + ev.State), day(ev.OpenedOn), day(ev.DueOn), ev.Units, ev.Submitted,
			day(ev.ConsolidatedOn), day(ev.ApprovedOn), ev.ApprovedBy, ev.ReportNo, ev.Model})
	}
	return sendTables(w, r, l.T("controleval.list.file"), t)
}

// controlEvalNewData is the form that opens an evaluation.
type controlEvalNewData struct {
	Year     string
	DueOn    string
	Units    []org.Unit
	Selected map[int64]bool
}

// controlEvalUnits lists the institution's units for the pickers.
func (s *Server) controlEvalUnits(r *http.Request) ([]org.Unit, error) {
	return s.org.Units(r.Context(), actorOf(r))
}

// controlEvalNew is the form that opens the year's self-evaluation: the
// year, the due date and the compartments that answer, all ticked.
func (s *Server) controlEvalNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	st, err := s.control.Settings(r.Context(), a)
	if err != nil {
		return err
	}
	today := work.Day(s.clock.Now())
	d := &controlEvalNewData{Year: strconv.Itoa(today.Year()), DueOn: today.AddDate(0, 0, st.AnswerDays).Format(time.DateOnly), Selected: map[int64]bool{}}
	if d.Units, err = s.controlEvalUnits(r); err != nil {
		return err
	}
	for _, u := range d.Units {
		d.Selected[u.ID] = true
	}
	return s.render(w, http.StatusOK, "control_eval_new", s.page(r, "controleval.new.title", d))
}

// controlEvalCreate opens the evaluation.
func (s *Server) controlEvalCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"ce_form": "controleval.error.form"}
	}
	bad := apperr.Validation{}
	d := &controlEvalNewData{Year: strings.TrimSpace(r.FormValue("ce_year")), DueOn: trainingGroupDay(r, "ce_due_on", bad), Selected: map[int64]bool{}}
	if _, ok := bad["ce_due_on"]; ok {
		bad["ce_due_on"] = "controleval.error.date"
	}
	in := control.EvaluationInput{DueOn: d.DueOn, Units: trainingGroupIDs(r, "ce_units")}
	year, err := strconv.Atoi(d.Year)
	if err != nil {
		bad["ce_year"] = "controleval.error.year"
	}
	in.Year = year
	for _, id := range in.Units {
		d.Selected[id] = true
	}
	if len(in.Units) == 0 {
		bad["ce_units"] = "controleval.error.units"
	}
	var ev control.Evaluation
	if len(bad) == 0 {
		ev, err = s.control.OpenEvaluation(r.Context(), a, in)
	} else {
		err = nil
	}
	if err := controlEvalFields(err, bad, "ce_", []string{"year", "due_on", "units"}); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		var uerr error
		if d.Units, uerr = s.controlEvalUnits(r); uerr != nil {
			return uerr
		}
		return s.formError(w, r, err, "control_eval_new", "controleval.new.title", d)
	}
	s.flash(r, "controleval.flash.opened", "Year", ev.Year)
	return redirect(w, r, "/control/evaluations/"+strconv.FormatInt(ev.ID, 10))
}

// controlEvalEditData is the form of an evaluation's dates and texts.
type controlEvalEditData struct {
	Evaluation control.Evaluation
	Form       control.EvaluationEdit
}

var controlEvalEditFields = []string{"due_on", "report_no", "conclusions", "report_text"}

// controlEvalEdit is the form of an evaluation's due date, report number,
// conclusions and the yearly report's own text.
func (s *Server) controlEvalEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ev, err := s.control.Evaluation(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := &controlEvalEditData{Evaluation: ev, Form: control.EvaluationEdit{DueOn: ev.DueOn, ReportNo: ev.ReportNo, Conclusions: ev.Conclusions, ReportText: ev.ReportText, Version: ev.Version}}
	p := s.page(r, "controleval.edit.title", d)
	p.Title = p.T("controleval.edit.title") + " · " + controlEvalTitle(localizer(r), ev)
	return s.render(w, http.StatusOK, "control_eval_edit", p)
}

// controlEvalUpdate saves the evaluation's dates and texts, checked
// against its version.
func (s *Server) controlEvalUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ev, err := s.control.Evaluation(r.Context(), a, id)
	if err != nil {
		return err
	}
	bad := apperr.Validation{}
	in := control.EvaluationEdit{DueOn: trainingGroupDay(r, "ce_due_on", bad), ReportNo: strings.TrimSpace(r.FormValue("ce_report_no")),
		Conclusions: r.FormValue("ce_conclusions"), ReportText: r.FormValue("ce_report_text"), Version: formVersion(r)}
	if _, ok := bad["ce_due_on"]; ok {
		bad["ce_due_on"] = "controleval.error.date"
	}
	if len(bad) == 0 {
		_, err = s.control.UpdateEvaluation(r.Context(), a, id, in)
	}
	if err := controlEvalFields(err, bad, "ce_", controlEvalEditFields); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.formError(w, r, err, "control_eval_edit", "controleval.edit.title", &controlEvalEditData{Evaluation: ev, Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/evaluations/"+strconv.FormatInt(id, 10))
}
