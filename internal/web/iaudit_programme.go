package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

// iauditMonth is one month of a programme's page.
type iauditMonth struct {
	Month     int
	Items     []audits.ProgrammeItem
	Unplanned []audits.Audit
}

type iauditProgrammeData struct {
	View      audits.ProgrammeView
	Year      int
	Years     []int
	Months    []iauditMonth
	Actions   []string
	Units     []*org.TreeNode
	Clauses   []frameworks.Clause
	CanManage bool
	// Editable: a draft the quality office may change.
	Editable bool
	// NextStartable: next year has no programme yet and may start from this one.
	NextStartable bool
	Today         time.Time
	// The forms as sent, when one is shown again with its errors.
	ItemForm  audits.ProgrammeItemInput
	ErrItem   int64 // the item whose form was refused; -1 the new item's
	NotesForm string
	StepForm  audits.ProgrammeStepInput
}

// HasClause reports whether the new item's form holds the clause.
func (d *iauditProgrammeData) HasClause(cs []string, code string) bool {
	for _, c := range cs {
		if c == code {
			return true
		}
	}
	return false
}

// pathYear is the programme's year: ?year= on a page, the form's
// programme_year on a post; this year when absent.
func (s *Server) pathYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("programme_year")
	}
	if v == "" {
		return work.Day(s.clock.Now()).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.NotFound("audit_programme")
	}
	return y, nil
}

func (s *Server) iauditProgrammeData(r *http.Request, year int) (*iauditProgrammeData, error) {
	ctx := r.Context()
	a := actorOf(r)
	v, err := s.audits.ProgrammeView(ctx, a, year)
	if err != nil {
		return nil, err
	}
	today := work.Day(s.clock.Now())
	d := &iauditProgrammeData{View: v, Year: year, Clauses: frameworks.ISO9001, CanManage: a.Can(auth.PermAuditsManage), Today: today, ErrItem: 0,
		ItemForm: audits.ProgrammeItemInput{Month: 1}}
	if v.Programme != nil {
		d.Actions = audits.ProgrammeActions(a, *v.Programme)
		d.Editable = d.CanManage && v.Programme.State == audits.ProgrammeDraft
		d.NotesForm = v.Programme.Notes
		if _, err := s.audits.Programme(ctx, a, year+1); err != nil && year+1 <= today.Year()+1 {
			d.NextStartable = true
		}
	}
	for m := 1; m <= 12; m++ {
		g := iauditMonth{Month: m}
		for _, it := range v.Items {
			if it.Month == m {
				g.Items = append(g.Items, it)
			}
		}
		for _, x := range v.Unplanned {
			if t, err := time.Parse(time.DateOnly, x.StartOn); err == nil && int(t.Month()) == m {
				g.Unplanned = append(g.Unplanned, x)
			}
		}
		d.Months = append(d.Months, g)
	}
	if d.Years, err = s.audits.ProgrammeYears(ctx, a); err != nil {
		return nil, err
	}
	if d.CanManage {
		if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// iauditProgramme is a year's audit programme, by month.
func (s *Server) iauditProgramme(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	d, err := s.iauditProgrammeData(r, year)
	if err != nil {
		return err
	}
	p := s.page(r, "audits.programme_title", d)
	p.Title = p.T("audits.programme_year", "Year", year)
	return s.render(w, http.StatusOK, "iaudit_programme", p)
}

func (s *Server) iauditProgrammeError(w http.ResponseWriter, r *http.Request, year int, err error, fill func(d *iauditProgrammeData)) error {
	d, derr := s.iauditProgrammeData(r, year)
	if derr != nil {
		return derr
	}
	if fill != nil {
		fill(d)
	}
	return s.formError(w, r, err, "iaudit_programme", "audits.programme_title", d)
}

func programmeBack(w http.ResponseWriter, r *http.Request, year int, anchor string) error {
	return redirect(w, r, "/audits/programme?year="+strconv.Itoa(year)+anchor)
}

// iauditProgrammeSave creates the year's programme, empty, or saves its notes.
func (s *Server) iauditProgrammeSave(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	notes := r.FormValue("programme_notes")
	if _, gerr := s.audits.Programme(r.Context(), a, year); gerr != nil {
		if !errors.Is(gerr, apperr.ErrNotFound) {
			return gerr
		}
		_, err = s.audits.CreateProgramme(r.Context(), a, year, notes)
	} else {
		_, err = s.audits.UpdateProgramme(r.Context(), a, year, audits.ProgrammeInput{Notes: notes, Version: formVersion(r)})
	}
	if err != nil {
		return s.iauditProgrammeError(w, r, year, err, func(d *iauditProgrammeData) { d.NotesForm = notes })
	}
	s.flash(r, "flash.saved")
	return programmeBack(w, r, year, "")
}

// iauditProgrammePropose fills the draft with the rule's proposal.
func (s *Server) iauditProgrammePropose(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	n, err := s.audits.ApplyProposal(r.Context(), actorOf(r), year)
	if err != nil {
		return s.iauditProgrammeError(w, r, year, err, nil)
	}
	s.flash(r, "audits.flash.proposed", "N", n)
	return programmeBack(w, r, year, "")
}

// iauditProgrammeStep approves or revises the programme.
func (s *Server) iauditProgrammeStep(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	in := audits.ProgrammeStepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), Version: formVersion(r)}
	if _, err := s.audits.StepProgramme(r.Context(), actorOf(r), year, in); err != nil {
		return s.iauditProgrammeError(w, r, year, err, func(d *iauditProgrammeData) { d.StepForm = in })
	}
	s.flash(r, "audits.flash.programme_"+in.Action)
	return programmeBack(w, r, year, "")
}

// iauditProgrammeNext starts next year's programme from this one.
func (s *Server) iauditProgrammeNext(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	p, err := s.audits.StartNext(r.Context(), actorOf(r), year)
	if err != nil {
		return s.iauditProgrammeError(w, r, year, err, nil)
	}
	s.flash(r, "audits.flash.next_started", "Year", p.Year)
	return programmeBack(w, r, p.Year, "")
}

func programmeItemInput(r *http.Request) audits.ProgrammeItemInput {
	_ = r.ParseForm()
	m, _ := strconv.Atoi(r.FormValue("item_month"))
	return audits.ProgrammeItemInput{UnitID: formInt(r, "unit_id"), Process: r.FormValue("process"), Month: m, Clauses: r.Form["audit_clauses"], Version: formVersion(r)}
}

// iauditProgrammeItemAdd adds an audit to the draft by hand.
func (s *Server) iauditProgrammeItemAdd(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	in := programmeItemInput(r)
	if _, err := s.audits.AddProgrammeItem(r.Context(), actorOf(r), year, in); err != nil {
		return s.iauditProgrammeError(w, r, year, err, func(d *iauditProgrammeData) { d.ItemForm, d.ErrItem = in, -1 })
	}
	s.flash(r, "flash.saved")
	return programmeBack(w, r, year, "")
}

func pathIID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("iid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("audit_programme_item")
	}
	return id, nil
}

// iauditProgrammeItemUpdate changes an item of the draft.
func (s *Server) iauditProgrammeItemUpdate(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	iid, err := pathIID(r)
	if err != nil {
		return err
	}
	in := programmeItemInput(r)
	if _, err := s.audits.UpdateProgrammeItem(r.Context(), actorOf(r), year, iid, in); err != nil {
		return s.iauditProgrammeError(w, r, year, err, func(d *iauditProgrammeData) { d.ItemForm, d.ErrItem = in, iid })
	}
	s.flash(r, "flash.saved")
	return programmeBack(w, r, year, "#item-"+strconv.FormatInt(iid, 10))
}

// iauditProgrammeItemDelete removes an item of the draft.
func (s *Server) iauditProgrammeItemDelete(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	iid, err := pathIID(r)
	if err != nil {
		return err
	}
	if err := s.audits.DeleteProgrammeItem(r.Context(), actorOf(r), year, iid); err != nil {
		return s.iauditProgrammeError(w, r, year, err, nil)
	}
	s.flash(r, "audits.flash.item_deleted")
	return programmeBack(w, r, year, "")
}

// iauditProgrammePDF prints the year's programme for approval.
func (s *Server) iauditProgrammePDF(w http.ResponseWriter, r *http.Request) error {
	year, err := s.pathYear(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := actorOf(r)
	v, err := s.audits.ProgrammeView(ctx, a, year)
	if err != nil {
		return err
	}
	if v.Programme == nil {
		return apperr.NotFound("audit_programme")
	}
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := buildProgrammeReport(l, inst.Name, v, s.clock.Now())
	return sendFile(w, fmt.Sprintf("%s-%d", l.T("audits.programme_file"), year), "pdf", func(w io.Writer) error { return report.WriteCaseReportPDF(w, rep) })
}

func buildProgrammeReport(l *i18n.Localizer, institution string, v audits.ProgrammeView, now time.Time) report.CaseReport {
	p := v.Programme
	sub := l.T("audits.programme_state."+p.State) + " · " + l.Date(now)
	if p.ApprovedAt != nil {
		sub = l.T("audits.approved_by", "Name", p.ApprovedName, "Date", l.Date(*p.ApprovedAt))
	}
	rep := report.CaseReport{Institution: institution, Title: l.T("audits.programme_year", "Year", v.Year), Subtitle: sub,
		Footer: "Cadran · " + l.T("audits.programme_year", "Year", v.Year), PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	if p.Notes != "" {
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("audits.programme_notes"), Text: p.Notes})
	}
	t := &report.ReportTable{Columns: []string{l.T("audits.month"), l.T("audits.subject"), l.T("audits.clauses"), l.T("audits.why"), l.T("audits.planned_audits")},
		Widths: []float64{1, 2.6, 1.6, 2.6, 1.6}}
	for _, it := range v.Items {
		var why []string
		for _, rs := range it.Reasons() {
			why = append(why, l.T(rs.Key, rs.Args))
		}
		why = append([]string{l.T(fmt.Sprintf("audits.frequency.%d", min(it.Frequency, 2)))}, why...)
		var as []string
		for _, x := range it.Audits {
			as = append(as, x.Code+" ("+l.T("audits.state."+x.State)+")")
		}
		t.Rows = append(t.Rows, []string{l.T(fmt.Sprintf("audits.month.%d", it.Month)), it.Subject(), strings.Join(it.Clauses, ", "), strings.Join(why, "; "), strings.Join(as, "\n")})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("audits.programme_items"), Text: l.T("audits.rule"), Table: t})
	sign := &report.ReportTable{Columns: []string{l.T("audits.sign_role"), l.T("audits.sign_name"), l.T("audits.sign_date"), l.T("audits.sign_signature")},
		Widths: []float64{2, 2.2, 1.2, 1.6}}
	approved, date := "", ""
	if p.ApprovedAt != nil {
		approved, date = p.ApprovedName, l.Date(*p.ApprovedAt)
	}
	sign.Rows = [][]string{{l.T("audits.sign_drafted"), "", "", ""}, {l.T("audits.sign_approved"), approved, date, ""}}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("audits.signatures"), Table: sign})
	return rep
}
