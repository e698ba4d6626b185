package web

// The institution's summary of an evaluation (situația sintetică a
// rezultatelor autoevaluării): per component and standard the
// compartments where it applies and how many rated it I, PI and NI, the
// standard's status and the measures to adopt; the totals and the grade;
// its exports to PDF, DOCX and XLSX.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// controlEvalSummaryData is the summary's page.
type controlEvalSummaryData struct {
	S control.Summary
	// CanMeasures: the actor may write the measures (manage, the
	// evaluation not approved).
	CanMeasures bool
	// Failed is the standard whose measures came back refused, Typed what
	// was typed and Error the message's key.
	Failed int
	Typed  string
	Error  string
	Total  int
}

func (s *Server) controlEvalSummaryRead(r *http.Request) (*controlEvalSummaryData, error) {
	a := actorOf(r)
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	sum, err := s.control.Summary(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &controlEvalSummaryData{S: sum, CanMeasures: a.Can(auth.PermControlManage) && sum.Evaluation.State != control.EvalApproved}
	for _, c := range sum.Components {
		d.Total += len(c.Standards)
	}
	return d, nil
}

// controlEvalSummary is the summary's page.
func (s *Server) controlEvalSummary(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	d, err := s.controlEvalSummaryRead(r)
	if err != nil {
		return err
	}
	p := s.page(r, "controleval.summary.title", d)
	p.Title = p.T("controleval.summary.title") + " · " + controlEvalTitle(localizer(r), d.S.Evaluation)
	return s.render(w, http.StatusOK, "control_eval_summary", p)
}

// controlEvalMeasures saves the measures to adopt for a standard, checked
// against their version.
func (s *Server) controlEvalMeasures(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := controlEvalPathInt(r, "cstd")
	if err != nil || n > 16 {
		return apperr.NotFound("standard")
	}
	measures := strings.TrimSpace(r.FormValue("cm_measures"))
	err = s.control.SaveMeasures(r.Context(), a, id, int(n), measures, formVersion(r))
	if err != nil {
		k := apperr.KindOf(err)
		if k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.controlEvalSummaryRead(r)
		if derr != nil {
			return derr
		}
		d.Failed, d.Typed, d.Error = int(n), measures, "error.invalid"
		if v, ok := apperr.AsValidation(err); ok {
			for _, msg := range v {
				d.Error = msg
				break
			}
		} else if ae := (*apperr.Error)(nil); errors.As(err, &ae) && ae.Key != "" {
			d.Error = ae.Key
		}
		p := s.page(r, "controleval.summary.title", d)
		p.Title = p.T("controleval.summary.title") + " · " + controlEvalTitle(localizer(r), d.S.Evaluation)
		p.Error = p.T(d.Error)
		status := http.StatusUnprocessableEntity
		if k == apperr.KindConflict {
			status = http.StatusConflict
		}
		return s.render(w, status, "control_eval_summary", p)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, fmt.Sprintf("/control/evaluations/%d/summary#std-%d", id, n))
}

// controlEvalSummaryTable is the summary as a table: the columns, and per
// component a heading row then a row per standard.
func controlEvalSummaryTable(l *i18n.Localizer, sum control.Summary) *report.ReportTable {
	t := &report.ReportTable{Columns: []string{l.T("controleval.summary.no"), l.T("controleval.summary.standard"), l.T("controleval.summary.applicable"),
		l.T("controleval.summary.col_i"), l.T("controleval.summary.col_pi"), l.T("controleval.summary.col_ni"), l.T("controleval.summary.status"),
		l.T("controleval.summary.measures")}, Widths: []float64{0.5, 3, 1.2, 0.6, 0.6, 0.6, 1.4, 3}}
	for _, c := range sum.Components {
		t.Rows = append(t.Rows, []string{c.Component.Code, c.Component.Title(l.Lang()), "", "", "", "", "", ""})
		for _, st := range c.Standards {
			t.Rows = append(t.Rows, []string{strconv.Itoa(st.Standard.Number), st.Standard.Title(l.Lang()), strconv.Itoa(st.Tally.Applicable()),
				strconv.Itoa(st.Tally.Implemented), strconv.Itoa(st.Tally.Partial), strconv.Itoa(st.Tally.NotImplemented), l.T(controlEvalStatusKey(st.Status)), st.Measures})
		}
	}
	return t
}

// controlEvalTotals are the summary's totals as label–value fields.
func controlEvalTotals(l *i18n.Localizer, sum control.Summary) [][2]string {
	total := 0
	for _, c := range sum.Components {
		total += len(c.Standards)
	}
	return [][2]string{
		{l.T("controleval.summary.t_implemented"), l.T("controleval.summary.of", "N", sum.Implemented, "Of", total)},
		{l.T("controleval.summary.t_partial"), strconv.Itoa(sum.Partial)},
		{l.T("controleval.summary.t_not_implemented"), strconv.Itoa(sum.NotImplemented)},
		{l.T("controleval.summary.t_grade"), l.T("control.grade." + sum.Grade)},
		{l.T("controleval.summary.rule"), l.T("controleval.summary.rule_text", "Conform", sum.Settings.ConformMin, "Partial", sum.Settings.PartialMin)},
	}
}

// controlEvalSummaryReport lays the summary out for print and Word.
func controlEvalSummaryReport(l *i18n.Localizer, institution string, sum control.Summary) report.CaseReport {
	ev := sum.Evaluation
	rep := report.CaseReport{Institution: institution, Title: l.T("controleval.summary.doc_title"),
		Subtitle: l.T("controleval.summary.doc_subtitle", "Year", ev.Year) + " · " + l.T("control.eval.state."+ev.State),
		Footer:   "Cadran · " + controlEvalTitle(l, ev), PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "1. " + l.T("controleval.summary.section.general"), Fields: [][2]string{
		{l.T("controleval.report.institution"), institution},
		{l.T("controleval.eval.year"), strconv.Itoa(ev.Year)},
		{l.T("controleval.eval.units"), strconv.Itoa(sum.Units)},
		{l.T("controleval.eval.submitted"), strconv.Itoa(sum.Submitted)},
		{l.T("controleval.eval.model"), controlEvalModel(ev).Title},
	}})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "2. " + l.T("controleval.summary.section.standards"), Table: controlEvalSummaryTable(l, sum)})
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "3. " + l.T("controleval.summary.section.totals"), Fields: controlEvalTotals(l, sum)})
	return rep
}

func (s *Server) controlEvalSummaryExport(r *http.Request) (*controlEvalSummaryData, string, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, "", err
	}
	d, err := s.controlEvalSummaryRead(r)
	if err != nil {
		return nil, "", err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return nil, "", err
	}
	return d, inst.Name, nil
}

// controlEvalSummaryPDF prints the summary (landscape: its table is wide).
func (s *Server) controlEvalSummaryPDF(w http.ResponseWriter, r *http.Request) error {
	d, inst, err := s.controlEvalSummaryExport(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := controlEvalSummaryReport(l, inst, d.S)
	return sendFile(w, l.T("controleval.summary.file", "Year", d.S.Evaluation.Year), "pdf", func(b io.Writer) error { return report.WriteLandscapeReportPDF(b, rep) })
}

// controlEvalSummaryDOCX writes the summary for Word.
func (s *Server) controlEvalSummaryDOCX(w http.ResponseWriter, r *http.Request) error {
	d, inst, err := s.controlEvalSummaryExport(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := controlEvalSummaryReport(l, inst, d.S)
	return sendFile(w, l.T("controleval.summary.file", "Year", d.S.Evaluation.Year), "docx", func(b io.Writer) error { return report.WriteCaseReportDOCX(b, rep) })
}

// controlEvalSummaryXLSX sends the summary as a workbook: a row per
// standard with its counts, status and measures.
func (s *Server) controlEvalSummaryXLSX(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.controlEvalSummaryExport(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("controleval.summary.sheet"), Headers: []string{l.T("controleval.summary.component"), l.T("controleval.summary.no"),
		l.T("controleval.summary.standard"), l.T("controleval.summary.applicable"), l.T("controleval.summary.col_i"), l.T("controleval.summary.col_pi"),
		l.T("controleval.summary.col_ni"), l.T("controleval.summary.col_na"), l.T("controleval.summary.col_incomplete"), l.T("controleval.summary.status"),
		l.T("controleval.summary.measures")}}
	for _, c := range d.S.Components {
		for _, st := range c.Standards {
			t.Rows = append(t.Rows, []any{c.Component.Code + " " + c.Component.Title(l.Lang()), st.Standard.Number, st.Standard.Title(l.Lang()), st.Tally.Applicable(),
				st.Tally.Implemented, st.Tally.Partial, st.Tally.NotImplemented, st.Tally.NotApplicable, st.Tally.Incomplete, l.T(controlEvalStatusKey(st.Status)), st.Measures})
		}
	}
	totals := report.Table{Sheet: l.T("controleval.summary.section.totals"), Headers: []string{l.T("controleval.summary.indicator"), l.T("controleval.summary.value")}}
	for _, f := range controlEvalTotals(l, d.S) {
		totals.Rows = append(totals.Rows, []any{f[0], f[1]})
	}
	return sendTables(w, r, l.T("controleval.summary.file", "Year", d.S.Evaluation.Year), t, totals)
}
