package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/work"
)

// citizenCaseMay is what the actor may do to a case, so the page offers
// only those forms; the domain checks each again.
type citizenCaseMay struct {
	Assign, Extend, Redirect, Answer, File, Complaint, Code bool
}

// Any reports whether any action form is offered.
func (m citizenCaseMay) Any() bool {
	return m.Assign || m.Extend || m.Redirect || m.Answer || m.File || m.Complaint || m.Code
}

// citizenCaseMayDo reads the domain's list of what a may do to c now.
func citizenCaseMayDo(actions []string) citizenCaseMay {
	var m citizenCaseMay
	for _, act := range actions {
		switch act {
		case citizen.ActAssign:
			m.Assign = true
		case citizen.ActExtend:
			m.Extend = true
		case citizen.ActRedirect:
			m.Redirect = true
		case citizen.ActAnswer, citizen.ActRefuse:
			m.Answer = true
		case citizen.ActFile:
			m.File = true
		case citizen.ActComplaint:
			m.Complaint = true
		case citizen.ActCode:
			m.Code = true
		}
	}
	return m
}

// citizenCaseActionForm is what was typed in the case page's forms: kept
// when one is refused, so nothing typed is lost.
type citizenCaseActionForm struct {
	// Action names the refused form: assign, extend, redirect, answer,
	// file or complaint.
	Action         string
	UnitID         int64
	AssigneeID     int64
	ExtDays        string
	ExtReason      string
	ExtNotice      string
	RedirectTo     string
	RedirectOn     string
	RedirectNotice string
	AnswerKind     string
	Answer         string
	AnsweredOn     string
	FileReason     string
	Complaint      string
}

type citizenCaseShowData struct {
	Case    citizen.Case
	Today   time.Time
	Service *citizen.PublicService
	// Basis is the legal basis of the deadline, in words.
	Basis       string
	May         citizenCaseMay
	Units       []*org.TreeNode
	People      []org.Person
	AnswerKinds []string
	Complaints  []string
	Form        citizenCaseActionForm
	Audit       []audit.Stored
	CanAudit    bool
	// Moved: the deadline is no longer the one first computed.
	Moved bool
	// Of a closed case: the days it took and whether on time ("yes",
	// "no"; "" when not known).
	DaysTaken int
	HasDays   bool
	OnTime    string
}

// citizenCaseBasis states the legal basis of a case's deadline in words.
func citizenCaseBasis(l *i18n.Localizer, c citizen.Case, svc *citizen.PublicService) string {
	var b string
	switch {
	case c.Kind == citizen.KindPetition:
		b = l.T("citizen.cases.basis.petition", "Days", citizen.PetitionDays)
	case c.Kind == citizen.KindInfo && c.Complex:
		b = l.T("citizen.cases.basis.info_complex", "Days", citizen.InfoComplexDays)
	case c.Kind == citizen.KindInfo:
		b = l.T("citizen.cases.basis.info", "Days", citizen.InfoDays)
	case svc != nil && svc.LegalBasis != "":
		b = l.T("citizen.cases.basis.service_law", "Days", svc.LegalDays, "Basis", svc.LegalBasis)
	case svc != nil:
		b = l.T("citizen.cases.basis.service", "Days", svc.LegalDays)
	default:
		b = l.T("citizen.cases.basis.service_unknown")
	}
	if c.ExtensionDays > 0 && c.Kind == citizen.KindPetition {
		b += " " + l.T("citizen.cases.basis.extended", "Count", c.ExtensionDays)
	}
	return b
}

func citizenCasePath(id int64) string { return "/citizen/cases/" + strconv.FormatInt(id, 10) }

func (s *Server) citizenCaseShowData(r *http.Request, id int64) (*citizenCaseShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.citizen.Case(ctx, a, id)
	if err != nil {
		return nil, err
	}
	today := work.Day(s.clock.Now())
	actions, err := s.citizen.Actions(ctx, a, c)
	if err != nil {
		return nil, err
	}
	d := &citizenCaseShowData{Case: c, Today: today, May: citizenCaseMayDo(actions), AnswerKinds: citizen.AnswerKinds[c.Kind],
		Complaints: citizen.Complaints, CanAudit: a.Can(auth.PermAuditView)}
	d.Moved = !c.BaseDueOn.IsZero() && !c.BaseDueOn.Equal(c.DueOn)
	if c.DaysTaken != nil {
		d.DaysTaken, d.HasDays = *c.DaysTaken, true
	}
	if c.OnTime != nil {
		d.OnTime = map[bool]string{true: "yes", false: "no"}[*c.OnTime]
	}
	d.Form = citizenCaseActionForm{UnitID: c.UnitID, AssigneeID: c.AssigneeID, ExtNotice: today.Format(time.DateOnly),
		RedirectOn: today.Format(time.DateOnly), RedirectNotice: today.Format(time.DateOnly), AnsweredOn: today.Format(time.DateOnly), Complaint: c.Complaint}
	if c.ServiceID != 0 {
		if svc, err := s.citizen.PublicService(ctx, a, c.ServiceID); err == nil {
			d.Service = &svc
		} else if k := apperr.KindOf(err); k != apperr.KindNotFound && k != apperr.KindForbidden {
			return nil, err
		}
	}
	d.Basis = citizenCaseBasis(localizer(r), c, d.Service)
	if d.May.Assign {
		if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
			return nil, err
		}
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	// The history: who did what and when (what changed is in the audit
	// trail, for those who may read it).
	if d.Audit, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: citizen.EntityCase, EntityID: id, Limit: 50}); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) citizenCasePage(r *http.Request, d *citizenCaseShowData) *Page {
	p := s.page(r, "citizen.cases.list_title", d)
	p.Title = d.Case.Number + " " + d.Case.Subject
	return p
}

// citizenCaseShow is a case: its details, its deadline and legal basis,
// the forms the actor may use and its history.
func (s *Server) citizenCaseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.citizenCaseShowData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "citizen_case_show", s.citizenCasePage(r, d))
}

// citizenCaseRefused re-renders a case's page with the refused form's
// errors and what was typed in it.
func (s *Server) citizenCaseRefused(w http.ResponseWriter, r *http.Request, id int64, err error, form citizenCaseActionForm, names map[string]string, fallback string) error {
	switch apperr.KindOf(err) {
	case apperr.KindInvalid, apperr.KindConflict:
	default:
		return err
	}
	d, derr := s.citizenCaseShowData(r, id)
	if derr != nil {
		return derr
	}
	d.Form = form
	return s.citizenFormError(w, r, citizenCaseErrors(err, names, fallback), "citizen_case_show", s.citizenCasePage(r, d))
}

// citizenFormError renders page p of tmpl with a refused form's errors:
// formError for a page whose title is not a message key.
func (s *Server) citizenFormError(w http.ResponseWriter, r *http.Request, err error, tmpl string, p *Page) error {
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors = v
		p.Error = p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, tmpl, p)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind == apperr.KindConflict {
		p.Error = p.T(ae.Key, ae.Args)
		return s.render(w, http.StatusConflict, tmpl, p)
	}
	return err
}

// citizenCaseDone sends the actor back to the case with a message.
func (s *Server) citizenCaseDone(w http.ResponseWriter, r *http.Request, c citizen.Case, key string) error {
	s.flash(r, key, "Number", c.Number)
	return redirect(w, r, citizenCasePath(c.ID))
}

func citizenCaseFormValue(r *http.Request, name string) string {
	return strings.TrimSpace(r.FormValue(citizenCaseField + name))
}

// citizenCaseAssign sends a case to a unit and a person in it.
func (s *Server) citizenCaseAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := citizen.AssignInput{UnitID: formInt(r, citizenCaseField+"assign_unit"), AssigneeID: formInt(r, citizenCaseField+"assign_person"), Version: formVersion(r)}
	c, err := s.citizen.Assign(r.Context(), actorOf(r), id, in)
	if err != nil {
		form := citizenCaseActionForm{Action: "assign", UnitID: in.UnitID, AssigneeID: in.AssigneeID}
		return s.citizenCaseRefused(w, r, id, err, form, map[string]string{"unit": "assign_unit", "unit_id": "assign_unit",
			"assignee": "assign_person", "assignee_id": "assign_person", "person": "assign_person"}, "assign_unit")
	}
	return s.citizenCaseDone(w, r, c, "citizen.cases.flash.assigned")
}

// citizenCaseExtend extends a case's deadline, with the reason and the day
// the petitioner was told.
func (s *Server) citizenCaseExtend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form := citizenCaseActionForm{Action: "extend", ExtDays: citizenCaseFormValue(r, "ext_days"), ExtReason: citizenCaseFormValue(r, "ext_reason"),
		ExtNotice: citizenCaseFormValue(r, "ext_notice")}
	names := map[string]string{"days": "ext_days", "extension_days": "ext_days", "reason": "ext_reason", "extension_reason": "ext_reason",
		"notice": "ext_notice", "notice_on": "ext_notice", "extension_notice_on": "ext_notice"}
	days, derr := strconv.Atoi(form.ExtDays)
	if derr != nil && form.ExtDays != "" {
		return s.citizenCaseRefused(w, r, id, apperr.Validation{"ext_days": "citizen.cases.error.days"}, form, names, "ext_reason")
	}
	notice := citizenDay(form.ExtNotice)
	if notice.IsZero() && form.ExtNotice != "" {
		return s.citizenCaseRefused(w, r, id, apperr.Validation{"ext_notice": "citizen.cases.error.date"}, form, names, "ext_reason")
	}
	c, err := s.citizen.Extend(r.Context(), actorOf(r), id, citizen.ExtendInput{Days: days, Reason: form.ExtReason, NoticeOn: notice, Version: formVersion(r)})
	if err != nil {
		return s.citizenCaseRefused(w, r, id, err, form, names, "ext_reason")
	}
	return s.citizenCaseDone(w, r, c, "citizen.cases.flash.extended")
}

// citizenCaseRedirect records that a case was sent to the competent
// institution and the petitioner told.
func (s *Server) citizenCaseRedirect(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form := citizenCaseActionForm{Action: "redirect", RedirectTo: citizenCaseFormValue(r, "redirect_to"), RedirectOn: citizenCaseFormValue(r, "redirected_on"),
		RedirectNotice: citizenCaseFormValue(r, "redirect_notice")}
	names := map[string]string{"to": "redirect_to", "redirected_to": "redirect_to", "redirected_on": "redirected_on",
		"notice": "redirect_notice", "notice_on": "redirect_notice", "redirect_notice_on": "redirect_notice"}
	on, notice := citizenDay(form.RedirectOn), citizenDay(form.RedirectNotice)
	v := apperr.Validation{}
	if on.IsZero() && form.RedirectOn != "" {
		v["redirected_on"] = "citizen.cases.error.date"
	}
	if notice.IsZero() && form.RedirectNotice != "" {
		v["redirect_notice"] = "citizen.cases.error.date"
	}
	if len(v) > 0 {
		return s.citizenCaseRefused(w, r, id, v, form, names, "redirect_to")
	}
	c, err := s.citizen.Redirect(r.Context(), actorOf(r), id, citizen.RedirectInput{To: form.RedirectTo, RedirectedOn: on, NoticeOn: notice, Version: formVersion(r)})
	if err != nil {
		return s.citizenCaseRefused(w, r, id, err, form, names, "redirect_to")
	}
	return s.citizenCaseDone(w, r, c, "citizen.cases.flash.redirected")
}

// citizenCaseAnswer records the answer and closes the case.
func (s *Server) citizenCaseAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form := citizenCaseActionForm{Action: "answer", AnswerKind: citizenCaseFormValue(r, "answer_kind"), Answer: strings.TrimSpace(r.FormValue(citizenCaseField + "answer")),
		AnsweredOn: citizenCaseFormValue(r, "answered_on")}
	names := map[string]string{"kind": "answer_kind", "answer_kind": "answer_kind", "answer": "answer", "text": "answer",
		"answered_on": "answered_on", "date": "answered_on", "closed_on": "answered_on"}
	on := citizenDay(form.AnsweredOn)
	if on.IsZero() && form.AnsweredOn != "" {
		return s.citizenCaseRefused(w, r, id, apperr.Validation{"answered_on": "citizen.cases.error.date"}, form, names, "answer")
	}
	c, err := s.citizen.Answer(r.Context(), actorOf(r), id, citizen.AnswerInput{Kind: form.AnswerKind, Answer: form.Answer, AnsweredOn: on, Version: formVersion(r)})
	if err != nil {
		return s.citizenCaseRefused(w, r, id, err, form, names, "answer")
	}
	return s.citizenCaseDone(w, r, c, "citizen.cases.flash.answered")
}

// citizenCaseFile files a case away without an answer.
func (s *Server) citizenCaseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form := citizenCaseActionForm{Action: "file", FileReason: strings.TrimSpace(r.FormValue(citizenCaseField + "file_reason"))}
	c, err := s.citizen.FileAway(r.Context(), actorOf(r), id, citizen.FileInput{Reason: form.FileReason, Version: formVersion(r)})
	if err != nil {
		return s.citizenCaseRefused(w, r, id, err, form, map[string]string{"reason": "file_reason"}, "file_reason")
	}
	return s.citizenCaseDone(w, r, c, "citizen.cases.flash.filed")
}

// citizenCaseComplaint records an administrative complaint against an
// answer, or its outcome.
func (s *Server) citizenCaseComplaint(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form := citizenCaseActionForm{Action: "complaint", Complaint: citizenCaseFormValue(r, "complaint")}
	c, err := s.citizen.SetComplaint(r.Context(), actorOf(r), id, form.Complaint, formVersion(r))
	if err != nil {
		return s.citizenCaseRefused(w, r, id, err, form, map[string]string{"complaint": "complaint"}, "complaint")
	}
	return s.citizenCaseDone(w, r, c, "citizen.cases.flash.complaint")
}

// citizenCaseCode gives a case a new access code and shows it once.
func (s *Server) citizenCaseCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rc, err := s.citizen.NewAccessCode(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "citizen_case_receipt", s.citizenReceiptPage(r, rc, true))
}
