package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/work"
)

// iauditMember is an auditor of an audit's team, with their competence.
type iauditMember struct {
	PersonID       int64
	Name           string
	UnitName       string
	Lead           bool
	Registered     bool
	Competence     audits.Competence
	Qualifications []audits.Qualification
}

type iauditShowData struct {
	Audit       audits.Audit
	Team        []iauditMember
	Agenda      []audits.AgendaRow
	Procedures  []audits.Procedure
	Items       []audits.Item
	Findings    []audits.Finding
	Summary     []audits.ClauseSummary
	Steps       []audits.StepRecord
	History     []audit.Stored
	Previous    *audits.Audit
	Actions     []string
	NeedsReason map[string]bool
	Verdicts    []string
	Kinds       []string
	Clauses     []frameworks.Clause
	Lang        string
	Today       time.Time
	// Unrecorded and Recorded count the checklist items without and with
	// a verdict.
	Unrecorded, Recorded int
	MayConduct           bool
	MayEdit              bool
	MayWrite             bool // the checklist may change now
	MayRecord            bool // verdicts and findings may be recorded now
	CanManage            bool
	// The forms as sent, when one is shown again with its errors.
	Posted      map[int64]audits.ItemUpdate
	ErrItem     int64
	ErrField    string
	ErrItemKey  string
	FindingForm audits.FindingInput
	ReportForm  audits.ReportInput
	ItemForm    audits.ItemInput
	StepForm    audits.StepInput
	// ReportSent: the report form was refused; its values are ReportForm.
	ReportSent bool
}

// ClauseLabel is a clause's code and title in the page's language.
func (d *iauditShowData) ClauseLabel(code string) string {
	if c, ok := frameworks.ISOClause(code); ok {
		return c.Code + " " + c.Title(d.Lang)
	}
	return code
}

// Entry is what the checklist form shows for an item: what was sent, when
// the form is shown again, else what is recorded.
func (d *iauditShowData) Entry(it audits.Item) audits.ItemUpdate {
	if up, ok := d.Posted[it.ID]; ok {
		up.Version = it.Version
		return up
	}
	return audits.ItemUpdate{ID: it.ID, Question: it.Question, Evidence: it.Evidence, Notes: it.Notes, Verdict: it.Verdict, Version: it.Version}
}

// ItemErr reports whether the refused checklist form's error is on the
// item's field.
func (d *iauditShowData) ItemErr(item int64, field string) bool {
	return d.ErrItem == item && d.ErrField == field
}

// FindingOf is the finding recorded from a checklist item, if any.
func (d *iauditShowData) FindingOf(item int64) *audits.Finding {
	for i := range d.Findings {
		if d.Findings[i].ItemID == item {
			return &d.Findings[i]
		}
	}
	return nil
}

func (s *Server) iauditData(r *http.Request, id int64) (*iauditShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	x, err := s.audits.Audit(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &iauditShowData{Audit: x, Actions: audits.Actions(a, x), NeedsReason: map[string]bool{}, Verdicts: audits.Verdicts, Kinds: audits.FindingKinds,
		Clauses: frameworks.ISO9001, Lang: localizer(r).Lang(), Today: work.Day(s.clock.Now()), MayConduct: audits.MayConduct(a, x),
		MayEdit: audits.MayEditPlan(a, x), CanManage: a.Can(auth.PermAuditsManage), ReportForm: audits.ReportInput{Summary: x.Summary, Conclusions: x.Conclusions,
			Distribution: x.Distribution, Version: x.Version}}
	d.MayWrite = d.MayConduct && x.Open()
	d.MayRecord = d.MayConduct && (x.State == audits.StateInProgress || x.State == audits.StateReporting)
	for _, act := range d.Actions {
		d.NeedsReason[act] = audits.NeedsReason(x, act)
	}
	byPerson, err := s.audits.AuditorsByPerson(ctx, a, x.Auditors())
	if err != nil {
		return nil, err
	}
	for _, p := range x.Auditors() {
		m := iauditMember{PersonID: p, Lead: p == x.LeadID}
		if au, ok := byPerson[p]; ok {
			m.Name, m.UnitName, m.Registered, m.Competence, m.Qualifications = au.Name, au.UnitName, true, au.Competence(d.Today), au.Qualifications
			iauditTrainingLinks(a, p, m.Qualifications)
		} else if per, err := s.org.Person(ctx, a, p); err == nil {
			m.Name = per.FullName
		}
		d.Team = append(d.Team, m)
	}
	if d.Agenda, err = s.audits.Agenda(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Procedures, err = s.audits.Procedures(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Items, err = s.audits.Checklist(ctx, a, id); err != nil {
		return nil, err
	}
	for _, it := range d.Items {
		if it.Verdict == "" {
			d.Unrecorded++
		} else {
			d.Recorded++
		}
	}
	if d.Findings, err = s.audits.Findings(ctx, a, id); err != nil {
		return nil, err
	}
	d.Summary = audits.Summarise(d.Items, d.Findings)
	if d.Steps, err = s.audits.Steps(ctx, a, id); err != nil {
		return nil, err
	}
	if x.PreviousID != 0 {
		if p, err := s.audits.Audit(ctx, a, x.PreviousID); err == nil {
			d.Previous = &p
		}
	}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "internal_audit", EntityID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) iauditShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.iauditData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "audits.list_title", d)
	p.Title = d.Audit.Code + " " + clipTitle(d.Audit.Title)
	return s.render(w, http.StatusOK, "iaudit_show", p)
}

// iauditPageError shows the audit's page again with a form's errors.
func (s *Server) iauditPageError(w http.ResponseWriter, r *http.Request, id int64, err error, fill func(d *iauditShowData)) error {
	d, derr := s.iauditData(r, id)
	if derr != nil {
		return derr
	}
	if fill != nil {
		fill(d)
	}
	var ie *audits.ItemError
	if errors.As(err, &ie) {
		p := s.page(r, "audits.list_title", d)
		p.Title = d.Audit.Code + " " + clipTitle(d.Audit.Title)
		d.ErrItem, d.ErrField, d.ErrItemKey = ie.ItemID, ie.Field, ie.Key
		p.Error = p.T("audits.error.item", "Position", iauditPosition(d.Items, ie.ItemID), "Field", p.T("audits.item_field."+ie.Field), "Problem", p.T(ie.Key))
		return s.render(w, http.StatusUnprocessableEntity, "iaudit_show", p)
	}
	return s.iauditFormError(w, r, err, "iaudit_show", "audits.list_title", d)
}

func iauditPosition(items []audits.Item, id int64) int {
	for i, it := range items {
		if it.ID == id {
			return i + 1
		}
	}
	return 0
}

func iauditBack(w http.ResponseWriter, r *http.Request, id int64, anchor string) error {
	return redirect(w, r, "/audits/"+strconv.FormatInt(id, 10)+anchor)
}

// iauditStep starts, finishes, reopens, closes or cancels an audit.
func (s *Server) iauditStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := audits.StepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), Version: formVersion(r)}
	if _, err := s.audits.Step(r.Context(), actorOf(r), id, in); err != nil {
		return s.iauditPageError(w, r, id, err, func(d *iauditShowData) { d.StepForm = in })
	}
	s.flash(r, "audits.flash."+in.Action)
	return iauditBack(w, r, id, "")
}

// iauditChecklistSave records the checklist form: each item's question,
// evidence, notes and verdict.
func (s *Server) iauditChecklistSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	posted := map[int64]audits.ItemUpdate{}
	var ups []audits.ItemUpdate
	for _, v := range r.Form["item"] {
		iid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || iid <= 0 {
			continue
		}
		k := strconv.FormatInt(iid, 10)
		ver, _ := strconv.Atoi(r.FormValue("version_" + k))
		up := audits.ItemUpdate{ID: iid, Question: r.FormValue("question_" + k), Evidence: r.FormValue("evidence_" + k), Notes: r.FormValue("notes_" + k),
			Verdict: r.FormValue("verdict_" + k), Version: ver}
		ups = append(ups, up)
		posted[iid] = up
	}
	n, err := s.audits.SaveItems(r.Context(), actorOf(r), id, ups)
	if err != nil {
		return s.iauditPageError(w, r, id, err, func(d *iauditShowData) { d.Posted = posted })
	}
	s.flash(r, "audits.flash.checklist_saved", "N", n)
	return iauditBack(w, r, id, "#checklist")
}

// iauditChecklistGenerate adds the questions of the clauses and
// procedures in scope.
func (s *Server) iauditChecklistGenerate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.audits.Generate(r.Context(), actorOf(r), id)
	if err != nil {
		return s.iauditPageError(w, r, id, err, nil)
	}
	s.flash(r, "audits.flash.generated", "N", n)
	return iauditBack(w, r, id, "#checklist")
}

// iauditChecklistAdd adds a question by hand.
func (s *Server) iauditChecklistAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := audits.ItemInput{Clause: r.FormValue("item_clause"), Question: r.FormValue("item_question")}
	if _, err := s.audits.AddItem(r.Context(), actorOf(r), id, in); err != nil {
		return s.iauditPageError(w, r, id, err, func(d *iauditShowData) { d.ItemForm = in })
	}
	s.flash(r, "flash.saved")
	return iauditBack(w, r, id, "#checklist")
}

// iauditChecklistDelete removes a question nothing was recorded on.
func (s *Server) iauditChecklistDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil || cid <= 0 {
		return apperr.NotFound("audit_checklist_item")
	}
	if err := s.audits.DeleteItem(r.Context(), actorOf(r), id, cid); err != nil {
		return s.iauditPageError(w, r, id, err, nil)
	}
	s.flash(r, "audits.flash.item_deleted")
	return iauditBack(w, r, id, "#checklist")
}

// iauditFindingAdd records a finding, which opens its case in the
// nonconformity register.
func (s *Server) iauditFindingAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := audits.FindingInput{Kind: r.FormValue("finding_kind"), Clause: r.FormValue("finding_clause"), Requirement: r.FormValue("finding_requirement"),
		Evidence: r.FormValue("finding_evidence"), ItemID: formInt(r, "finding_item")}
	f, err := s.audits.RecordFinding(r.Context(), actorOf(r), id, in)
	if err != nil {
		return s.iauditPageError(w, r, id, err, func(d *iauditShowData) { d.FindingForm = in })
	}
	s.flash(r, "audits.flash.finding", "Code", f.NCCode)
	return iauditBack(w, r, id, "#findings")
}

// iauditReportSave records the report's summary, conclusions and
// distribution.
func (s *Server) iauditReportSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := audits.ReportInput{Summary: r.FormValue("audit_summary"), Conclusions: r.FormValue("audit_conclusions"), Distribution: r.FormValue("audit_distribution"), Version: formVersion(r)}
	if _, err := s.audits.SaveReport(r.Context(), actorOf(r), id, in); err != nil {
		return s.iauditPageError(w, r, id, err, func(d *iauditShowData) { d.ReportForm, d.ReportSent = in, true })
	}
	s.flash(r, "flash.saved")
	return iauditBack(w, r, id, "#report")
}
