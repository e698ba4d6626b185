package web

import (
	"fmt"
	"io"
	"net/http"

	"cadran/internal/compliance"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

type cmpGapView struct {
	compliance.ReadinessGap
	Text string
}

type complianceReadinessData struct {
	R          compliance.Readiness
	Gaps       []cmpGapView
	Kinds      []string
	Severities []string
}

// complianceReadiness lists the gaps before the next external audit (or
// the kind asked for).
func (s *Server) complianceReadiness(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.compliance.Readiness(r.Context(), actorOf(r), r.URL.Query().Get("audit"))
	if err != nil {
		return err
	}
	d := &complianceReadinessData{R: rd, Kinds: compliance.ReadyKinds, Severities: compliance.GapSeverities}
	l := localizer(r)
	for _, g := range rd.Gaps {
		d.Gaps = append(d.Gaps, cmpGapView{ReadinessGap: g, Text: cmpGapText(l, g)})
	}
	return s.render(w, http.StatusOK, "compliance_readiness", s.page(r, "compliance.readiness_title", d))
}

// cmpGapText is a gap's reason in the reader's language.
func cmpGapText(l *i18n.Localizer, g compliance.ReadinessGap) string {
	args := map[string]any{"Clause": g.Clause, "Code": g.Code, "Title": g.Title, "Date": civilDay(l.Date, g.Date)}
	if g.Kind == compliance.GapMilestoneLate {
		args["Code"] = l.T("compliance.xkind." + g.Code)
	}
	return l.T("compliance.gap."+g.Kind, args)
}

// complianceReadinessPDF prints the readiness list, for the meeting that
// prepares the audit.
func (s *Server) complianceReadinessPDF(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	rd, err := s.compliance.Readiness(r.Context(), a, r.URL.Query().Get("audit"))
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := report.CaseReport{Institution: inst.Name, Title: l.T("compliance.readiness_title"),
		Subtitle: l.T("compliance.ready."+rd.Audit) + " · " + l.Date(s.clock.Now()), Footer: "Cadran · ISO 9001:2015", PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	summary := report.ReportSection{Heading: "1. " + l.T("compliance.readiness_summary"), Fields: [][2]string{
		{l.T("compliance.readiness_label"), l.T("compliance.readiness_figure", "Percent", rd.Percent(), "Ready", rd.Ready, "Applicable", rd.Applicable)},
		{l.T("compliance.severity.high"), fmt.Sprint(rd.BySeverity[compliance.SeverityHigh])},
		{l.T("compliance.severity.medium"), fmt.Sprint(rd.BySeverity[compliance.SeverityMedium])},
		{l.T("compliance.severity.low"), fmt.Sprint(rd.BySeverity[compliance.SeverityLow])},
	}}
	if c := rd.Cycle.Certificate; c != nil {
		summary.Fields = append(summary.Fields, [2]string{l.T("compliance.certificate"), l.T("compliance.cert_line", "Number", c.Number, "Body", c.Body,
			"Issued", civilDay(l.Date, c.IssuedOn), "Expires", civilDay(l.Date, c.ExpiresOn))})
	}
	rep.Sections = append(rep.Sections, summary)
	gaps := report.ReportSection{Heading: "2. " + l.T("compliance.gaps")}
	if len(rd.Gaps) == 0 {
		gaps.Text = l.T("compliance.no_gaps")
	} else {
		t := &report.ReportTable{Columns: []string{"#", l.T("compliance.gap_severity"), l.T("compliance.col.clause"), l.T("compliance.gap_reason"), l.T("compliance.gap_done")},
			Widths: []float64{0.4, 1, 0.8, 5, 1.2}}
		for i, g := range rd.Gaps {
			t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), l.T("compliance.severity." + g.Severity), g.Clause, cmpGapText(l, g), ""})
		}
		gaps.Table = t
	}
	rep.Sections = append(rep.Sections, gaps)
	return sendFile(w, fmt.Sprintf("%s-%s", l.T("compliance.readiness_file"), rd.Audit), "pdf", func(w io.Writer) error { return report.WriteCaseReportPDF(w, rep) })
}
