package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/compliance"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

type complianceAuditsData struct {
	Audits       []compliance.ExternalAudit
	Filter       compliance.AuditFilter
	Cycle        compliance.Cycle
	Certificates []compliance.Certificate
	Timeline     template.HTML
	Kinds        []string
	Results      []string
	Severities   []string
	Sorts        []sortLink
	Pager        pager
	CanEdit      bool
	Today        string
}

var complianceAuditSortLabels = map[string]string{"date": "compliance.x.dates", "kind": "compliance.x.kind", "body": "compliance.x.body", "result": "compliance.x.result"}

func complianceAuditFilter(r *http.Request) compliance.AuditFilter {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	return compliance.AuditFilter{Query: q.Get("q"), Kind: q.Get("kind"), Result: q.Get("result"), Year: year, Sort: q.Get("sort")}
}

// cmpTimeline draws the current certificate's cycle in the reader's
// language.
func (s *Server) cmpTimeline(l *i18n.Localizer, cy compliance.Cycle) template.HTML {
	kinds := map[string]string{}
	for _, k := range compliance.Kinds {
		kinds[k] = l.T("compliance.xkind_short." + k)
	}
	return template.HTML(compliance.TimelineSVG(cy, work.Day(s.clock.Now()), compliance.TimelineLabels{Title: l.T("compliance.timeline_title"), Today: l.T("compliance.today"),
		Kinds: kinds, Issued: l.T("compliance.issued"), Expires: l.T("compliance.expires"), Held: l.T("compliance.held"), Planned: l.T("compliance.planned"),
		Due: l.T("compliance.due"), Late: l.T("compliance.late"), Date: func(t time.Time) string { return l.Date(t.Add(12 * time.Hour)) }}))
}

// complianceAudits is the certification page: the certificate and its
// cycle, and the certification body's audits.
func (s *Server) complianceAudits(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := complianceAuditFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	list, total, err := s.compliance.ExternalAudits(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	d := &complianceAuditsData{Audits: list, Filter: f, Kinds: compliance.Kinds, Results: compliance.Results, Severities: improvement.Severities, Pager: pg,
		CanEdit: a.Can(auth.PermComplianceEdit), Today: work.Day(s.clock.Now()).Format(time.DateOnly)}
	if d.Cycle, err = s.compliance.Cycle(ctx, a); err != nil {
		return err
	}
	if d.Certificates, err = s.compliance.Certificates(ctx, a); err != nil {
		return err
	}
	d.Timeline = s.cmpTimeline(localizer(r), d.Cycle)
	p := s.page(r, "compliance.audits_title", d)
	d.Sorts = sortLinks(p, f.Sort, complianceAuditSortLabels, compliance.AuditSorts())
	return s.render(w, http.StatusOK, "compliance_audits", p)
}

// complianceAuditsExport sends the external audits, filtered, as XLSX.
func (s *Server) complianceAuditsExport(w http.ResponseWriter, r *http.Request) error {
	f := complianceAuditFilter(r)
	f.Limit = 10000
	list, _, err := s.compliance.ExternalAudits(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	l := localizer(r)
	headers := []string{l.T("compliance.x.kind"), l.T("compliance.x.starts_on"), l.T("compliance.x.ends_on"), l.T("compliance.x.body"), l.T("compliance.x.lead_auditor"),
		l.T("compliance.x.result"), l.T("compliance.x.report_ref")}
	for _, sev := range improvement.Severities {
		headers = append(headers, l.T("compliance.finding_sev."+sev))
	}
	headers = append(headers, l.T("compliance.x.findings_open"))
	t := report.Table{Sheet: l.T("compliance.audits_sheet"), Headers: headers}
	for _, x := range list {
		row := []any{l.T("compliance.xkind." + x.Kind), civilDay(l.Date, x.StartsOn), civilDay(l.Date, x.EndsOn), x.Body, x.LeadAuditor, l.T("compliance.xresult." + x.Result), x.ReportRef}
		for _, sev := range improvement.Severities {
			row = append(row, x.Findings[sev])
		}
		t.Rows = append(t.Rows, append(row, x.FindingsOpen))
	}
	return sendTables(w, r, l.T("compliance.audits_file"), t)
}

type complianceAuditFormData struct {
	ID      int64
	Form    compliance.AuditInput
	Kinds   []string
	Results []string
}

func (s *Server) complianceAuditForm(w http.ResponseWriter, r *http.Request, status int, title string, d *complianceAuditFormData, err error) error {
	d.Kinds, d.Results = compliance.Kinds, compliance.Results
	if err != nil {
		return s.formError(w, r, err, "compliance_audit_form", title, d)
	}
	return s.render(w, status, "compliance_audit_form", s.page(r, title, d))
}

func complianceAuditInput(r *http.Request) compliance.AuditInput {
	return compliance.AuditInput{Body: r.FormValue("cmp_body"), Kind: r.FormValue("cmp_kind"), StartsOn: r.FormValue("cmp_starts_on"), EndsOn: r.FormValue("cmp_ends_on"),
		LeadAuditor: r.FormValue("cmp_lead_auditor"), Result: r.FormValue("cmp_result"), ReportRef: r.FormValue("cmp_report_ref"), Notes: r.FormValue("note"), Version: formVersion(r)}
}

// complianceAuditNew is the form to record an external audit; the body is
// the certificate's by default.
func (s *Server) complianceAuditNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return err
	}
	in := compliance.AuditInput{Kind: r.URL.Query().Get("kind"), Result: compliance.ResultPending}
	if cy, err := s.compliance.Cycle(r.Context(), a); err == nil && cy.Certificate != nil {
		in.Body = cy.Certificate.Body
		if in.Kind == "" && cy.Next != nil {
			in.Kind = cy.Next.Kind
		}
	}
	return s.complianceAuditForm(w, r, http.StatusOK, "compliance.audit_new", &complianceAuditFormData{Form: in}, nil)
}

// complianceAuditCreate records an external audit.
func (s *Server) complianceAuditCreate(w http.ResponseWriter, r *http.Request) error {
	in := complianceAuditInput(r)
	x, err := s.compliance.CreateAudit(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "compliance.flash.audit_recorded")
		return redirect(w, r, "/compliance/audits/"+cmpID(x.ID))
	}
	if !cmpFormable(err) {
		return err
	}
	return s.complianceAuditForm(w, r, 0, "compliance.audit_new", &complianceAuditFormData{Form: in}, err)
}

// complianceAuditEdit is the form to change an external audit.
func (s *Server) complianceAuditEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return err
	}
	x, err := s.compliance.ExternalAudit(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := compliance.AuditInput{Body: x.Body, Kind: x.Kind, StartsOn: x.StartsOn, EndsOn: x.EndsOn, LeadAuditor: x.LeadAuditor, Result: x.Result, ReportRef: x.ReportRef,
		Notes: x.Notes, Version: x.Version}
	return s.complianceAuditForm(w, r, http.StatusOK, "compliance.audit_edit", &complianceAuditFormData{ID: id, Form: in}, nil)
}

// complianceAuditUpdate saves an external audit.
func (s *Server) complianceAuditUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := complianceAuditInput(r)
	if _, err := s.compliance.UpdateAudit(r.Context(), actorOf(r), id, in); err != nil {
		if !cmpFormable(err) {
			return err
		}
		return s.complianceAuditForm(w, r, 0, "compliance.audit_edit", &complianceAuditFormData{ID: id, Form: in}, err)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/compliance/audits/"+cmpID(id))
}

type complianceAuditShowData struct {
	Audit      compliance.ExternalAudit
	Findings   []compliance.Finding
	Form       compliance.FindingInput
	Severities []string
	Clauses    []frameworks.Clause
	Units      []*org.TreeNode
	Held       bool
	CanEdit    bool
	History    []audit.Stored
}

func (s *Server) complianceAuditShowData(r *http.Request, id int64) (*complianceAuditShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	x, err := s.compliance.ExternalAudit(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &complianceAuditShowData{Audit: x, Severities: improvement.Severities, Clauses: frameworks.ISO9001, Held: x.Held(work.Day(s.clock.Now())),
		CanEdit: a.Can(auth.PermComplianceEdit), Form: compliance.FindingInput{Severity: improvement.SeverityMinor}}
	if d.Findings, err = s.compliance.Findings(ctx, a, id); err != nil {
		return nil, err
	}
	if d.CanEdit {
		if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "external_audit", EntityID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// complianceAuditShow is one external audit with its findings and the
// cases they opened.
func (s *Server) complianceAuditShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.complianceAuditShowData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "compliance_audit_show", s.page(r, "compliance.audit_title", d))
}

// complianceFindingAdd records a finding; its case opens in the register.
func (s *Server) complianceFindingAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := compliance.FindingInput{Severity: r.FormValue("severity"), Clause: r.FormValue("clause"), Text: r.FormValue("cmp_finding"), UnitID: formInt(r, "unit_id")}
	f, err := s.compliance.AddFinding(r.Context(), actorOf(r), id, in)
	if err == nil {
		s.flash(r, "compliance.flash.finding_added", "Code", f.NCCode)
		return redirect(w, r, fmt.Sprintf("/compliance/audits/%d#finding-%d", id, f.ID))
	}
	if !cmpFormable(err) {
		return err
	}
	d, derr := s.complianceAuditShowData(r, id)
	if derr != nil {
		return derr
	}
	d.Form = in
	return s.formError(w, r, err, "compliance_audit_show", "compliance.audit_title", d)
}

type complianceCertFormData struct {
	ID   int64
	Form compliance.CertInput
}

func complianceCertInput(r *http.Request) compliance.CertInput {
	return compliance.CertInput{Number: r.FormValue("cmp_cert_number"), Body: r.FormValue("cmp_body"), Standard: r.FormValue("cmp_standard"), Scope: r.FormValue("cmp_scope_text"),
		IssuedOn: r.FormValue("cmp_issued_on"), ExpiresOn: r.FormValue("cmp_expires_on"), Notes: r.FormValue("note"), Version: formVersion(r)}
}

// complianceCertNew is the form to record a certificate.
func (s *Server) complianceCertNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return err
	}
	in := compliance.CertInput{Standard: compliance.DefaultStandard}
	if cur, err := s.compliance.Settings(r.Context(), a); err == nil {
		in.Scope = cur.ScopeText
	}
	return s.render(w, http.StatusOK, "compliance_cert_form", s.page(r, "compliance.cert_new", &complianceCertFormData{Form: in}))
}

// complianceCertCreate records a certificate.
func (s *Server) complianceCertCreate(w http.ResponseWriter, r *http.Request) error {
	in := complianceCertInput(r)
	if _, err := s.compliance.CreateCertificate(r.Context(), actorOf(r), in); err != nil {
		if !cmpFormable(err) {
			return err
		}
		return s.formError(w, r, err, "compliance_cert_form", "compliance.cert_new", &complianceCertFormData{Form: in})
	}
	s.flash(r, "compliance.flash.cert_recorded")
	return redirect(w, r, "/compliance/audits")
}

// complianceCertEdit is the form to correct a certificate.
func (s *Server) complianceCertEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return err
	}
	c, err := s.compliance.Certificate(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := compliance.CertInput{Number: c.Number, Body: c.Body, Standard: c.Standard, Scope: c.Scope, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn, Notes: c.Notes, Version: c.Version}
	return s.render(w, http.StatusOK, "compliance_cert_form", s.page(r, "compliance.cert_edit", &complianceCertFormData{ID: id, Form: in}))
}

// complianceCertUpdate saves a certificate.
func (s *Server) complianceCertUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := complianceCertInput(r)
	if _, err := s.compliance.UpdateCertificate(r.Context(), actorOf(r), id, in); err != nil {
		if !cmpFormable(err) {
			return err
		}
		return s.formError(w, r, err, "compliance_cert_form", "compliance.cert_edit", &complianceCertFormData{ID: id, Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/compliance/audits")
}
