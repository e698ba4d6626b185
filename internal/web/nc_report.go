package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/report"
)

// ncReport builds the nonconformity report (raport de neconformitate):
// the case, the immediate correction, the root-cause analysis (whys and
// grid), the actions, the effectiveness checks and the sign-off names.
func (s *Server) ncReport(r *http.Request) (report.CaseReport, improvement.Nonconformity, error) {
	id, err := pathID(r)
	if err != nil {
		return report.CaseReport{}, improvement.Nonconformity{}, err
	}
	a := actorOf(r)
	v, err := s.improve.Open(r.Context(), a, id)
	if err != nil {
		return report.CaseReport{}, improvement.Nonconformity{}, err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return report.CaseReport{}, improvement.Nonconformity{}, err
	}
	l := localizer(r)
	return buildNCReport(l, inst.Name, v), v.NC, nil
}

func buildNCReport(l *i18n.Localizer, institution string, v improvement.View) report.CaseReport {
	n := v.NC
	day := func(s string) string { return civilDay(l.Date, s) }
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "—"
		}
		return s
	}
	clause := n.Clause
	if c, ok := frameworks.ISOClause(n.Clause); ok {
		clause = c.Code + " " + c.Title(l.Lang())
	}
	source := l.T("nc.source." + n.Source)
	if n.SourceRef != "" {
		source += " (" + n.SourceRef + ")"
	}
	rep := report.CaseReport{Institution: institution, Title: l.T("nc.report_title"),
		Subtitle: n.Code + " · " + l.T("nc.state."+n.State), Footer: "Cadran · " + n.Code, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "1. " + l.T("nc.section.case"), Fields: [][2]string{
		{l.T("nc.title"), n.Title}, {l.T("nc.detected_on"), day(n.DetectedOn)}, {l.T("nc.source"), source}, {l.T("nc.unit"), or(n.UnitName)},
		{l.T("nc.process"), or(n.Process)}, {l.T("nc.clause"), or(clause)}, {l.T("nc.severity"), l.T("nc.severity." + n.Severity)},
		{l.T("nc.reporter"), or(n.ReporterName)}, {l.T("nc.owner"), or(n.OwnerName)},
	}, Text: n.Description})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "2. " + l.T("nc.section.correction"), Fields: [][2]string{
		{l.T("nc.correction"), or(n.Correction)}, {l.T("nc.correction_by"), or(n.CorrectionBy)}, {l.T("nc.correction_on"), or(day(n.CorrectionOn))},
	}})
	an := report.ReportSection{Heading: "3. " + l.T("nc.section.analysis")}
	if len(v.Analysis.Whys) > 0 {
		t := &report.ReportTable{Columns: []string{l.T("nc.why_no"), l.T("nc.why"), l.T("nc.because")}, Widths: []float64{0.4, 3, 3}}
		for i, w := range v.Analysis.Whys {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), w.Why, w.Because})
		}
		an.Table = t
	}
	rep.Sections = append(rep.Sections, an)
	if len(v.Analysis.Causes) > 0 {
		t := &report.ReportTable{Columns: []string{l.T("nc.category"), l.T("nc.cause"), l.T("nc.root_cause")}, Widths: []float64{1.4, 4, 0.9}}
		for _, c := range v.Analysis.Causes {
			root := ""
			if c.Root {
				root = l.T("common.yes")
			}
			t.Rows = append(t.Rows, []string{l.T("nc.category." + c.Category), c.Cause, root})
		}
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: "3.1. " + l.T("nc.grid"), Table: t})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "3.2. " + l.T("nc.conclusion"), Text: or(v.Analysis.Conclusion)})
	acts := report.ReportSection{Heading: "4. " + l.T("nc.section.actions"), Text: ""}
	if len(v.Actions) == 0 {
		acts.Text = "—"
	} else {
		t := &report.ReportTable{Columns: []string{l.T("nc.action_description"), l.T("nc.action_owner"), l.T("nc.action_due"), l.T("nc.action_state"),
			l.T("nc.action_done_note")}, Widths: []float64{3, 1.5, 1, 1, 3}}
		for _, x := range v.Actions {
			done := x.DoneNote
			if x.DoneOn != "" {
				done = day(x.DoneOn) + " · " + x.DoneBy + ": " + done
			}
			t.Rows = append(t.Rows, []string{x.Description, or(x.OwnerName), day(x.DueOn), l.T("nc.action_state." + x.State), done})
		}
		acts.Table = t
	}
	rep.Sections = append(rep.Sections, acts)
	checks := report.ReportSection{Heading: "5. " + l.T("nc.section.checks")}
	if len(v.Checks) == 0 {
		checks.Text = "—"
	} else {
		t := &report.ReportTable{Columns: []string{l.T("nc.checker"), l.T("nc.check_on"), l.T("nc.verdict"), l.T("nc.checked_on"), l.T("nc.check_note")},
			Widths: []float64{1.6, 1, 1.2, 1, 3}}
		for _, c := range v.Checks {
			verdict := l.T("nc.verdict.pending")
			if c.Verdict != "" {
				verdict = l.T("nc.verdict." + c.Verdict)
			}
			t.Rows = append(t.Rows, []string{c.CheckerName, day(c.PlannedOn), verdict, day(c.CheckedOn), c.Note})
		}
		checks.Table = t
	}
	rep.Sections = append(rep.Sections, checks)
	// Sign-off: who reported, analysed, checked and closed, from the history.
	sign := &report.ReportTable{Columns: []string{l.T("nc.signoff_step"), l.T("nc.signoff_name"), l.T("nc.signoff_date"), l.T("nc.signoff_signature")},
		Widths: []float64{2, 2.2, 1.2, 1.6}}
	for _, st := range v.History {
		sign.Rows = append(sign.Rows, []string{l.T("nc.step." + st.Action), st.ActorName, l.Date(st.At), ""})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "6. " + l.T("nc.section.signoff"), Table: sign})
	return rep
}

// ncReportPDF prints the nonconformity report.
func (s *Server) ncReportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, n, err := s.ncReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, n.Code, "pdf", func(w io.Writer) error { return report.WriteCaseReportPDF(w, rep) })
}

// ncReportDOCX writes the nonconformity report for Word.
func (s *Server) ncReportDOCX(w http.ResponseWriter, r *http.Request) error {
	rep, n, err := s.ncReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, n.Code, "docx", func(w io.Writer) error { return report.WriteCaseReportDOCX(w, rep) })
}
