package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/audits"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// iauditReport builds the audit report (raport de audit intern).
func (s *Server) iauditReport(r *http.Request) (report.CaseReport, audits.Audit, error) {
	id, err := pathID(r)
	if err != nil {
		return report.CaseReport{}, audits.Audit{}, err
	}
	d, err := s.iauditData(r, id)
	if err != nil {
		return report.CaseReport{}, audits.Audit{}, err
	}
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return report.CaseReport{}, audits.Audit{}, err
	}
	return buildAuditReport(localizer(r), inst.Name, d), d.Audit, nil
}

func buildAuditReport(l *i18n.Localizer, institution string, d *iauditShowData) report.CaseReport {
	x := d.Audit
	day := func(s string) string {
		if v := civilDay(l.Date, s); v != "" {
			return v
		}
		return "—"
	}
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "—"
		}
		return s
	}
	rep := report.CaseReport{Institution: institution, Title: l.T("audits.report_title"), Subtitle: x.Code + " · " + l.T("audits.state."+x.State),
		Footer: "Cadran · " + x.Code, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	n := 0
	head := func(key string) string { n++; return strconv.Itoa(n) + ". " + l.T(key) }
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.section.identification"), Fields: [][2]string{
		{l.T("audits.code"), x.Code}, {l.T("audits.title"), x.Title}, {l.T("audits.unit"), or(x.UnitName)}, {l.T("audits.process"), or(x.Process)},
		{l.T("audits.dates"), day(x.StartOn) + " – " + day(x.EndOn)}, {l.T("audits.auditees"), or(x.Auditees)}, {l.T("audits.reported_on"), day(x.ReportedOn)},
	}})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.scope"), Text: or(x.Scope)})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.criteria"), Text: or(x.Criteria)})
	var cl []string
	for _, c := range x.Clauses {
		cl = append(cl, "- "+d.ClauseLabel(c))
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.clauses"), Text: or(strings.Join(cl, "\n"))})
	team := &report.ReportTable{Columns: []string{l.T("audits.role"), l.T("audits.name"), l.T("audits.auditor_unit"), l.T("audits.competence")}, Widths: []float64{1.2, 2, 2, 3}}
	for _, m := range d.Team {
		role := l.T("audits.team_member")
		if m.Lead {
			role = l.T("audits.lead")
		}
		var qs []string
		for _, q := range m.Qualifications {
			s := q.Name
			if q.Issuer != "" {
				s += ", " + q.Issuer
			}
			if q.ExpiresOn != "" {
				s += " (" + l.T("audits.valid_until", "Date", day(q.ExpiresOn)) + ")"
			}
			if q.Expired(d.Today) {
				s += " – " + l.T("audits.expired")
			}
			qs = append(qs, s)
		}
		if len(qs) == 0 {
			qs = []string{l.T("audits.no_qualification")}
		}
		team.Rows = append(team.Rows, []string{role, m.Name, or(m.UnitName), strings.Join(qs, "\n")})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.team"), Table: team})
	if len(d.Agenda) > 0 {
		t := &report.ReportTable{Columns: []string{l.T("audits.agenda_day"), l.T("audits.agenda_time"), l.T("audits.agenda_activity"), l.T("audits.agenda_people")}, Widths: []float64{1.2, 0.8, 3, 2.5}}
		for _, a := range d.Agenda {
			t.Rows = append(t.Rows, []string{day(a.Day), a.Time, a.Activity, a.People})
		}
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.agenda"), Table: t})
	}
	if len(d.Procedures) > 0 {
		t := &report.ReportTable{Columns: []string{l.T("audits.doc_code"), l.T("audits.doc_title"), l.T("audits.edition"), l.T("audits.acknowledged")}, Widths: []float64{1.4, 4, 1.2, 1.4}}
		for _, p := range d.Procedures {
			t.Rows = append(t.Rows, []string{p.Code, p.Title, fmt.Sprintf("%d/%d", p.Edition, p.Revision), fmt.Sprintf("%d/%d", p.Acknowledged, p.Receipts)})
		}
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.procedures"), Table: t})
	}
	sum := report.ReportSection{Heading: head("audits.results_by_clause")}
	if len(d.Summary) == 0 {
		sum.Text = "—"
	} else {
		t := &report.ReportTable{Columns: []string{l.T("audits.clause"), l.T("audits.items"), l.T("audits.verdict.conform"), l.T("audits.verdict.major"),
			l.T("audits.verdict.minor"), l.T("audits.verdict.observation"), l.T("audits.verdict.opportunity"), l.T("audits.verdict.na"), l.T("audits.result")},
			Widths: []float64{3, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 1.4}}
		for _, c := range d.Summary {
			label := d.ClauseLabel(c.Clause)
			if c.Clause == "" {
				label = l.T("audits.no_clause")
			}
			worst := "—"
			if c.Worst != "" {
				worst = l.T("audits.verdict." + c.Worst)
			}
			num := func(v string) string { return strconv.Itoa(c.Counts[v]) }
			t.Rows = append(t.Rows, []string{label, strconv.Itoa(c.Total), num(audits.VerdictConform), num(audits.VerdictMajor), num(audits.VerdictMinor),
				num(audits.VerdictObservation), num(audits.VerdictOpportunity), num(audits.VerdictNA), worst})
		}
		sum.Table = t
		if d.Unrecorded > 0 {
			sum.Text = l.T("audits.unrecorded", "N", d.Unrecorded)
		}
	}
	rep.Sections = append(rep.Sections, sum)
	fs := report.ReportSection{Heading: head("audits.findings")}
	if len(d.Findings) == 0 {
		fs.Text = l.T("audits.no_findings")
	} else {
		t := &report.ReportTable{Columns: []string{l.T("audits.finding_no"), l.T("audits.finding_kind"), l.T("audits.clause"), l.T("audits.finding_text"), l.T("audits.nc_case")},
			Widths: []float64{0.5, 1.4, 0.8, 4.2, 1.6}}
		for _, f := range d.Findings {
			text := f.Evidence
			if f.Requirement != "" {
				text = l.T("audits.requirement") + ": " + f.Requirement + "\n" + l.T("audits.found") + ": " + f.Evidence
			}
			nc := f.NCCode
			if f.NCState != "" {
				nc += " (" + l.T("nc.state."+f.NCState) + ")"
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(f.Seq), l.T("audits.finding." + f.Kind), f.Clause, text, or(nc)})
		}
		fs.Table = t
	}
	rep.Sections = append(rep.Sections, fs)
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.summary"), Text: or(x.Summary)})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.conclusions"), Text: or(x.Conclusions)})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.distribution"), Text: or(x.Distribution)})
	sign := &report.ReportTable{Columns: []string{l.T("audits.sign_role"), l.T("audits.sign_name"), l.T("audits.sign_date"), l.T("audits.sign_signature")},
		Widths: []float64{2, 2.2, 1.2, 1.6}}
	for _, m := range d.Team {
		role := l.T("audits.team_member")
		if m.Lead {
			role = l.T("audits.lead")
		}
		sign.Rows = append(sign.Rows, []string{role, m.Name, day(x.ReportedOn), ""})
	}
	sign.Rows = append(sign.Rows, []string{l.T("audits.sign_auditee"), "", "", ""}, []string{l.T("audits.sign_quality"), "", "", ""})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: head("audits.signatures"), Table: sign})
	return rep
}

// iauditReportPDF prints the audit report.
func (s *Server) iauditReportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, x, err := s.iauditReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, x.Code, "pdf", func(w io.Writer) error { return report.WriteCaseReportPDF(w, rep) })
}

// iauditReportDOCX writes the audit report for Word.
func (s *Server) iauditReportDOCX(w http.ResponseWriter, r *http.Request) error {
	rep, x, err := s.iauditReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, x.Code, "docx", func(w io.Writer) error { return report.WriteCaseReportDOCX(w, rep) })
}
