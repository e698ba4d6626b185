package web

// The yearly report on the internal managerial control system at 31
// December (raportul asupra sistemului de control intern managerial): the
// head of the institution's statement, its basis, the standards not fully
// implemented with their measures, the report's own text and conclusions,
// the summary as its annex and the signature block; in PDF and in DOCX,
// which people edit before signing.

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
)

// controlEvalReportData is what the yearly report shows.
type controlEvalReportData struct {
	Institution string
	// Head is the head of the institution (the mayor, or the county
	// council's president), "" when the register names none.
	Head    string
	Summary control.Summary
	Today   string
}

// controlEvalHead finds the head of the institution among its elected
// officials: the mayor, else the county council's president. A reader
// who may not see the people gets a blank line to sign on.
func (s *Server) controlEvalHead(r *http.Request) (string, error) {
	a := actorOf(r)
	if !a.Can(auth.PermOrgView) {
		return "", nil
	}
	people, _, err := s.org.People(r.Context(), a, org.PeopleFilter{Employment: org.EmploymentElected, Status: "active", Sort: "name", Limit: 200})
	if err != nil {
		if apperr.KindOf(err) == apperr.KindForbidden {
			return "", nil
		}
		return "", err
	}
	for _, role := range []string{org.ElectedMayor, org.ElectedPresident} {
		for _, p := range people {
			if p.ElectedRole == role {
				return p.FullName, nil
			}
		}
	}
	return "", nil
}

func (s *Server) controlEvalReportRead(r *http.Request) (*controlEvalReportData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	sum, err := s.control.Summary(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return nil, err
	}
	d := &controlEvalReportData{Institution: inst.Name, Summary: sum, Today: s.clock.Now().Format("2006-01-02")}
	if d.Head, err = s.controlEvalHead(r); err != nil {
		return nil, err
	}
	return d, nil
}

// controlEvalReportBuild lays the yearly report out, for the PDF and the
// Word document alike.
func controlEvalReportBuild(l *i18n.Localizer, d *controlEvalReportData) report.CaseReport {
	sum := d.Summary
	ev := sum.Evaluation
	day := func(v string) string { return civilDay(l.Date, v) }
	or := func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "—"
		}
		return v
	}
	total := 0
	for _, c := range sum.Components {
		total += len(c.Standards)
	}
	blank := func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "__________"
		}
		return v
	}
	number := l.T("controleval.report.number", "No", blank(ev.ReportNo), "Date", blank(day(ev.ApprovedOn)))
	rep := report.CaseReport{Institution: d.Institution, Title: l.T("controleval.report.title", "Year", ev.Year), Subtitle: number,
		Footer: "Cadran · " + controlEvalTitle(l, ev), PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}

	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "1. " + l.T("controleval.report.section.general"), Fields: [][2]string{
		{l.T("controleval.report.institution"), d.Institution},
		{l.T("controleval.report.head"), or(d.Head)},
		{l.T("controleval.report.period"), l.T("controleval.report.period_text", "Year", ev.Year)},
		{l.T("controleval.report.reference"), controlEvalModel(ev).Title},
	}})

	head := d.Head
	if head == "" {
		head = "______________________"
	}
	statement := l.T("controleval.report.statement."+sum.Grade, map[string]any{"Head": head, "Institution": d.Institution, "Year": ev.Year,
		"Implemented": sum.Implemented, "Total": total})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "2. " + l.T("controleval.report.section.statement"), Text: statement})

	basis := l.T("controleval.report.basis", map[string]any{"Units": sum.Units, "Submitted": sum.Submitted, "Year": ev.Year})
	totals := &report.ReportTable{Columns: []string{l.T("controleval.summary.indicator"), l.T("controleval.summary.value")}, Widths: []float64{3, 4}}
	for _, f := range controlEvalTotals(l, sum) {
		totals.Rows = append(totals.Rows, []string{f[0], f[1]})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "3. " + l.T("controleval.report.section.basis"), Text: basis, Table: totals})

	gaps := report.ReportSection{Heading: "4. " + l.T("controleval.report.section.gaps")}
	t := &report.ReportTable{Columns: []string{l.T("controleval.summary.no"), l.T("controleval.summary.standard"), l.T("controleval.summary.status"),
		l.T("controleval.summary.measures")}, Widths: []float64{0.5, 3, 1.4, 4}}
	for _, c := range sum.Components {
		for _, st := range c.Standards {
			if st.Status != control.StatusImplemented {
				t.Rows = append(t.Rows, []string{strconv.Itoa(st.Standard.Number), st.Standard.Title(l.Lang()), l.T(controlEvalStatusKey(st.Status)), or(st.Measures)})
			}
		}
	}
	if len(t.Rows) == 0 {
		gaps.Text = l.T("controleval.report.no_gaps")
	} else {
		gaps.Table = t
	}
	rep.Sections = append(rep.Sections, gaps)

	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "5. " + l.T("controleval.report.section.text"), Text: or(ev.ReportText)})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "6. " + l.T("controleval.report.section.conclusions"), Text: or(ev.Conclusions)})

	signed := ev.ApprovedOn
	if signed == "" {
		signed = d.Today
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("controleval.report.section.sign"), Fields: [][2]string{
		{l.T("controleval.report.head_role"), blank(d.Head)},
		{l.T("controleval.sign.signature"), "________________________"},
		{l.T("controleval.sign.date"), day(signed)},
	}})

	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("controleval.report.section.annex"), Table: controlEvalSummaryTable(l, sum)})
	return rep
}

// controlEvalReportPDF prints the yearly report.
func (s *Server) controlEvalReportPDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.controlEvalReportRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := controlEvalReportBuild(l, d)
	return sendFile(w, l.T("controleval.report.file", "Year", d.Summary.Evaluation.Year), "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, rep) })
}

// controlEvalReportDOCX writes the yearly report for Word, where it is
// completed and signed.
func (s *Server) controlEvalReportDOCX(w http.ResponseWriter, r *http.Request) error {
	d, err := s.controlEvalReportRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := controlEvalReportBuild(l, d)
	return sendFile(w, l.T("controleval.report.file", "Year", d.Summary.Evaluation.Year), "docx", func(b io.Writer) error { return report.WriteCaseReportDOCX(b, rep) })
}
