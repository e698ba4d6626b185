package web

// The exports of the control bodies and of the internal auditors, which
// had none: the same reads and permission checks as their pages.

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/report"
	"cadran/internal/risks"
	"cadran/internal/work"
)

// cprogBodyExport sends the monitoring commission and risk teams, with the
// page's filters.
func (s *Server) cprogBodyExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	q := r.URL.Query()
	res, err := s.control.Bodies(r.Context(), a, control.BodyFilter{Kind: q.Get("kind"), Active: q.Get("active"), PerPage: exportAll})
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("controlprog.body.list_title"), Headers: []string{l.T("field.body_name"), l.T("field.body_kind"), l.T("field.body_decision"),
		l.T("field.body_decision_on"), l.T("controlprog.body.members"), l.T("controlprog.body.meetings"), l.T("controlprog.body.status")}}
	for _, b := range res.Items {
		status := l.T("controlprog.body.active")
		if !b.Active {
			status = l.T("controlprog.body.inactive")
		}
		t.Rows = append(t.Rows, []any{b.Name, l.T("control.body." + b.Kind), b.Decision, b.DecisionOn, b.Members, b.Meetings, status})
	}
	return sendTables(w, r, l.T("exports.bodies.file"), t)
}

// iauditAuditorExport sends the register of internal auditors: one row per
// qualification (an auditor with none has one row), with the hours in
// force and whether each certificate has expired.
func (s *Server) iauditAuditorExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	auditors, err := s.audits.Auditors(r.Context(), a, false)
	if err != nil {
		return err
	}
	l := localizer(r)
	today := work.Day(s.clock.Now())
	t := report.Table{Sheet: l.T("audits.auditors_title"), Headers: []string{l.T("person.full_name"), l.T("person.job_title"), l.T("person.unit"),
		l.T("exports.auditors.active"), l.T("exports.auditors.hours"), l.T("audits.qualification"), l.T("audits.issuer"), l.T("audits.certificate_no"),
		l.T("audits.hours"), l.T("audits.issued_on"), l.T("audits.expires_on"), l.T("exports.auditors.validity")}}
	for _, au := range auditors {
		c := au.Competence(today)
		head := []any{au.Name, au.JobTitle, au.UnitName, yesNo(l, au.Active), c.Hours}
		if len(au.Qualifications) == 0 {
			t.Rows = append(t.Rows, append(head, "", "", "", nil, "", "", l.T("audits.no_qualification")))
			continue
		}
		for _, q := range au.Qualifications {
			validity := l.T("exports.auditors.valid")
			switch {
			case q.Expired(today):
				validity = l.T("audits.expired")
			case q.Expiring(today):
				validity = l.T("audits.expiring")
			}
			row := append(append([]any{}, head...), q.Name, q.Issuer, q.CertificateNo, q.Hours, q.IssuedOn, q.ExpiresOn, validity)
			t.Rows = append(t.Rows, row)
		}
	}
	return sendTables(w, r, l.T("exports.auditors.file"), t)
}

// riskReviewExport sends the reviews of a year's risk register, as the
// page lists them.
func (s *Server) riskReviewExport(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if year == 0 {
		year = risks.Year(s.clock.Now())
	}
	reviews, err := s.risks.RegisterReviews(r.Context(), actorOf(r), year)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("risks.reviews_title"), Headers: []string{l.T("risks.review_date"), l.T("risks.review_scope"), l.T("risks.field.conclusion"), l.T("risks.reviewer")}}
	for _, rv := range reviews {
		scope := rv.UnitName
		if scope == "" {
			scope = l.T("risks.level.institution")
		}
		var day any = rv.ReviewedOn
		if d, err := time.Parse(time.DateOnly, rv.ReviewedOn); err == nil {
			day = d
		}
		t.Rows = append(t.Rows, []any{day, scope, rv.Conclusion, rv.Name})
	}
	return sendTables(w, r, l.T("exports.risk_reviews.file")+"-"+strconv.Itoa(year), t)
}
