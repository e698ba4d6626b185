package web

// Procedure coverage: the table per compartment, the activities with
// their filters and exports, and the activity form.

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
	"cadran/internal/report"
)

var controlCovSortKeys = []string{"unit", "title", "status", "due", "updated"}

var controlCovSortLabels = map[string]string{"unit": "controlsens.unit", "title": "controlsens.act.title", "status": "controlsens.act.status",
	"due": "controlsens.act.due", "updated": "controlsens.updated"}

// ControlCovShare is a coverage share for the page ("—" when nothing
// needs a procedure).
func (p *Page) ControlCovShare(u control.UnitCoverage) string {
	pct, ok := u.Share()
	if !ok {
		return "—"
	}
	return p.Decimal(pct, 0) + " %"
}

// ControlCovPct is the share as a whole number for the bar's width.
func (p *Page) ControlCovPct(u control.UnitCoverage) int {
	pct, _ := u.Share()
	return int(pct + 0.5)
}

type controlCovData struct {
	Summary   control.CoverageSummary
	Items     []control.Activity
	Filter    control.ActivityFilter
	Units     []org.Unit
	Statuses  []string
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanManage bool
}

func controlCovFilterOf(r *http.Request) (control.ActivityFilter, string) {
	q := r.URL.Query()
	f := control.ActivityFilter{Query: strings.TrimSpace(q.Get("q")), UnitID: queryInt(r, "unit"), Status: q.Get("status")}
	if !slices.Contains(control.CoverageStatuses, f.Status) {
		f.Status = ""
	}
	var current string
	f.Sort, f.Desc, current = controlSensSort(r, controlCovSortKeys, "unit")
	return f, current
}

// controlCovPage is procedure coverage: per unit, then the activities.
func (s *Server) controlCovPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, current := controlCovFilterOf(r)
	pg := newPager(r, controlSensPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.control.Activities(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &controlCovData{Items: res.Items, Filter: f, Statuses: control.CoverageStatuses, Pager: pg, CanManage: a.Can(auth.PermControlManage)}
	if d.Summary, err = s.control.Coverage(r.Context(), a); err != nil {
		return err
	}
	if d.Units, err = s.org.Units(r.Context(), a); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "control_activities"); err != nil {
		return err
	}
	p := s.page(r, "controlsens.cov.title", d)
	d.Sorts = sortLinks(p, current, controlCovSortLabels, controlCovSortKeys)
	return s.render(w, http.StatusOK, "control_cov", p)
}

func (s *Server) controlCovAll(r *http.Request, f control.ActivityFilter) ([]control.Activity, error) {
	var items []control.Activity
	for f.Page, f.PerPage = 1, 500; ; f.Page++ {
		res, err := s.control.Activities(r.Context(), actorOf(r), f)
		if err != nil {
			return nil, err
		}
		items = append(items, res.Items...)
		if len(res.Items) < f.PerPage || len(items) >= res.Total {
			return items, nil
		}
	}
}

// controlCovExport sends the filtered activities (and the table per
// unit) as XLSX.
func (s *Server) controlCovExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, _ := controlCovFilterOf(r)
	items, err := s.controlCovAll(r, f)
	if err != nil {
		return err
	}
	sum, err := s.control.Coverage(r.Context(), a)
	if err != nil {
		return err
	}
	l := localizer(r)
	p := &Page{l: l}
	acts := report.Table{Sheet: l.T("controlsens.act.list_title"), Headers: []string{l.T("controlsens.unit"), l.T("controlsens.act.title"), l.T("controlsens.act.description"),
		l.T("controlsens.act.status"), l.T("controlsens.act.document"), l.T("controlsens.act.exempt"), l.T("controlsens.act.owner"), l.T("controlsens.act.due")}}
	for _, x := range items {
		doc := ""
		if x.DocumentID != 0 {
			doc = x.DocCode + " " + x.DocTitle
		}
		acts.Rows = append(acts.Rows, []any{x.UnitName, x.Title, x.Description, l.T("controlsens.cov.status." + x.Status()), doc, x.Exempt, x.OwnerName, x.DueOn})
	}
	units := report.Table{Sheet: l.T("controlsens.cov.units"), Headers: controlCovHeaders(l.T)}
	for _, u := range append(sum.Units, sum.Total) {
		name := u.UnitName
		if u.UnitID == 0 {
			name = l.T("controlsens.cov.total")
		}
		units.Rows = append(units.Rows, []any{name, u.Activities, u.Covered, u.Missing, u.Exempt, p.ControlCovShare(u)})
	}
	return sendTables(w, r, l.T("controlsens.cov.export_file"), units, acts)
}

func controlCovHeaders(t func(string, ...any) string) []string {
	return []string{t("controlsens.unit"), t("controlsens.cov.activities"), t("controlsens.cov.covered"), t("controlsens.cov.missing"),
		t("controlsens.cov.exempt"), t("controlsens.cov.share")}
}

// controlCovPDF prints coverage per unit and the activities lacking a
// procedure (A4 landscape).
func (s *Server) controlCovPDF(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	sum, err := s.control.Coverage(r.Context(), a)
	if err != nil {
		return err
	}
	missing, err := s.controlCovAll(r, control.ActivityFilter{Status: control.CoverageMissing, Sort: "unit"})
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return err
	}
	l := localizer(r)
	p := &Page{l: l}
	units := &report.ReportTable{Columns: controlCovHeaders(l.T), Widths: []float64{5, 1.3, 1.3, 1.3, 1.3, 1.3}}
	for _, u := range append(sum.Units, sum.Total) {
		name := u.UnitName
		if u.UnitID == 0 {
			name = l.T("controlsens.cov.total")
		}
		units.Rows = append(units.Rows, []string{name, strconv.Itoa(u.Activities), strconv.Itoa(u.Covered), strconv.Itoa(u.Missing), strconv.Itoa(u.Exempt), p.ControlCovShare(u)})
	}
	gaps := &report.ReportTable{Columns: []string{l.T("controlsens.no"), l.T("controlsens.unit"), l.T("controlsens.act.title"), l.T("controlsens.act.owner"), l.T("controlsens.act.due")},
		Widths: []float64{0.5, 3.5, 5, 2.5, 1.5}}
	for i, x := range missing {
		gaps.Rows = append(gaps.Rows, []string{strconv.Itoa(i + 1), x.UnitName, x.Title, x.OwnerName, p.ControlSensDay(x.DueOn)})
	}
	rep := report.CaseReport{Institution: inst.Name, Title: l.T("controlsens.cov.title"), Subtitle: l.T("controlsens.inventory.subtitle", "Date", p.Date(s.clock.Now())),
		PageLabel: l.T("controlsens.page"), OfLabel: l.T("controlsens.of")}
	first := report.ReportSection{Heading: l.T("controlsens.cov.units"), Table: units}
	if len(sum.Units) == 0 {
		first = report.ReportSection{Heading: l.T("controlsens.cov.units"), Text: l.T("controlsens.inventory.empty")}
	}
	second := report.ReportSection{Heading: l.T("controlsens.cov.missing_list"), Table: gaps}
	if len(missing) == 0 {
		second = report.ReportSection{Heading: l.T("controlsens.cov.missing_list"), Text: l.T("controlsens.cov.none_missing")}
	}
	rep.Sections = []report.ReportSection{first, second}
	return sendFile(w, rep.Title, "pdf", func(b io.Writer) error { return report.WriteLandscapeReportPDF(b, rep) })
}

// controlCovFormData is the activity form's data.
type controlCovFormData struct {
	ID         int64
	Form       control.ActivityInput
	Units      []org.Unit
	People     []org.Person
	Procedures []control.ProcedureOption
}

func (s *Server) controlCovFormData(r *http.Request, id int64, in control.ActivityInput) (*controlCovFormData, error) {
	a := actorOf(r)
	d := &controlCovFormData{ID: id, Form: in}
	var err error
	if d.Units, err = s.org.Units(r.Context(), a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(r.Context(), a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	if d.Procedures, err = s.control.ProcedureOptions(r.Context(), a); err != nil {
		return nil, err
	}
	return d, nil
}

func controlCovInput(r *http.Request) control.ActivityInput {
	return control.ActivityInput{UnitID: formInt(r, control.FieldActUnit), Title: r.FormValue(control.FieldActTitle), Description: r.FormValue(control.FieldActDescription),
		DocumentID: formInt(r, control.FieldActDocument), Exempt: r.FormValue(control.FieldActExempt), OwnerID: formInt(r, control.FieldActOwner),
		DueOn: r.FormValue(control.FieldActDue), Version: formVersion(r)}
}

func (s *Server) controlCovFormError(w http.ResponseWriter, r *http.Request, err error, id int64, in control.ActivityInput, title string) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.controlCovFormData(r, id, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "control_cov_form", title, d)
}

// controlCovNew is the form for a new activity.
func (s *Server) controlCovNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlManage); err != nil {
		return err
	}
	d, err := s.controlCovFormData(r, 0, control.ActivityInput{UnitID: queryInt(r, "unit")})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_cov_form", s.page(r, "controlsens.act.new_title", d))
}

// controlCovCreate adds the activity.
func (s *Server) controlCovCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	in := controlCovInput(r)
	x, err := s.control.CreateActivity(r.Context(), a, in)
	if err != nil {
		return s.controlCovFormError(w, r, err, 0, in, "controlsens.act.new_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/coverage?unit="+strconv.FormatInt(x.UnitID, 10))
}

// controlCovEdit is the form for an activity.
func (s *Server) controlCovEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.control.Activity(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := control.ActivityInput{UnitID: x.UnitID, Title: x.Title, Description: x.Description, DocumentID: x.DocumentID, Exempt: x.Exempt, OwnerID: x.OwnerID,
		DueOn: x.DueOn, Version: x.Version}
	d, err := s.controlCovFormData(r, id, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_cov_form", s.page(r, "controlsens.act.edit_title", d))
}

// controlCovUpdate saves the activity, checked against its version.
func (s *Server) controlCovUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.control.Activity(r.Context(), a, id); err != nil {
		return err
	}
	in := controlCovInput(r)
	x, err := s.control.UpdateActivity(r.Context(), a, id, in)
	if err != nil {
		return s.controlCovFormError(w, r, err, id, in, "controlsens.act.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/coverage?unit="+strconv.FormatInt(x.UnitID, 10))
}

// controlCovDelete removes the activity.
func (s *Server) controlCovDelete(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.control.DeleteActivity(r.Context(), a, id, formVersion(r)); err != nil {
		if apperr.KindOf(err) == apperr.KindConflict {
			s.flash(r, "error.stale")
			return redirect(w, r, "/control/activities/"+strconv.FormatInt(id, 10)+"/edit")
		}
		return err
	}
	s.flash(r, "controlsens.act.deleted")
	return redirect(w, r, "/control/coverage")
}
