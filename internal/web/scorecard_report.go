package web

import (
	"io"
	"net/http"
	"strings"

	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// scReport is a scorecard laid out as rows for the PDF and the workbook.
type scReport struct {
	Title    string
	Subtitle string
	File     string
	// PDF rows: perspective, objective, KPI code, KPI, period, value,
	// target, status, score.
	Rows [][]string
	// Workbook rows: every KPI, and every objective.
	KPIRows       [][]any
	ObjectiveRows [][]any
}

// scBuildReport reads the card of ?month= and ?unit= and lays it out.
func (s *Server) scBuildReport(r *http.Request) (*scReport, error) {
	ctx := r.Context()
	a := actorOf(r)
	q := s.scCardQuery(r)
	card, err := s.scorecard.Card(ctx, a, q)
	if err != nil {
		return nil, err
	}
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return nil, err
	}
	l := localizer(r)
	scope := card.UnitName
	if scope == "" {
		scope = l.T("scorecard.page.institution")
	}
	month := q.Month.Label(l.Lang())
	rep := &scReport{Title: l.T("scorecard.report.title", map[string]any{"Scope": scope, "Month": month}),
		Subtitle: inst.Name + " · " + l.T("scorecard.report.total", map[string]any{"Score": scScoreText(l, card.Agg), "Status": l.T("scorecard.status." + card.Agg.Status)}) +
			" · " + l.T("scorecard.report.printed", map[string]any{"Date": l.Date(s.clock.Now())}),
		File: l.T("scorecard.report.file") + "-" + q.Month.Key()}
	status := func(st string) string { return l.T("scorecard.status." + st) }
	var objective func(persp string, oc scorecard.ObjectiveCard, depth int)
	objective = func(persp string, oc scorecard.ObjectiveCard, depth int) {
		o := oc.Objective
		name := strings.Repeat("↳ ", depth) + o.Code + " " + o.Title
		rep.Rows = append(rep.Rows, []string{"", name, "", "", "", "", "", status(oc.Agg.Status), scScoreText(l, oc.Agg)})
		unit := o.UnitName
		if unit == "" {
			unit = l.T("scorecard.page.institution")
		}
		rep.ObjectiveRows = append(rep.ObjectiveRows, []any{persp, o.Code, o.Title, unit, o.OwnerName, o.Weight, scCell(oc.Agg.HasData, oc.Agg.Score), status(oc.Agg.Status),
			o.Quality, scRollupText(l, oc.Agg)})
		for _, k := range oc.KPIs {
			value, target, st, score := "—", "—", "", "—"
			if k.NoData != "" {
				st = l.T(k.NoData)
			}
			if k.Value != nil {
				value = l.Decimal(*k.Value, k.KPI.Decimals) + " " + k.KPI.MeasureUnit
			}
			if k.Target != nil {
				target = scTargetText(l, k.Target, k.KPI.Decimals)
			}
			if k.HasResult {
				st, score = status(k.Result.Status), l.Decimal(k.Result.Score, 1)
			}
			if k.Pending {
				st += " · " + l.T("scorecard.page.pending")
			}
			rep.Rows = append(rep.Rows, []string{"", "", k.KPI.Code, k.KPI.Name, k.Period.Label(l.Lang()), strings.TrimSpace(value), target, st, score})
			var v, t any = "", ""
			if k.Value != nil {
				v = *k.Value
			}
			if k.Target != nil {
				t = k.Target.Value
			}
			rep.KPIRows = append(rep.KPIRows, []any{persp, o.Code + " " + o.Title, k.KPI.Code, k.KPI.Name, k.KPI.MeasureUnit, k.Period.Key(), v, t, st,
				scCell(k.HasResult, k.Result.Score), scCalcText(l, k)})
		}
		for _, ch := range oc.Children {
			objective(persp, ch, depth+1)
		}
	}
	for _, pc := range card.Perspectives {
		name := scPerspectiveName(l, pc.Perspective)
		rep.Rows = append(rep.Rows, []string{name, "", "", "", "", "", "", status(pc.Agg.Status), scScoreText(l, pc.Agg)})
		for _, oc := range pc.Objectives {
			objective(name, oc, 0)
		}
	}
	return rep, nil
}

func scCell(has bool, f float64) any {
	if !has {
		return ""
	}
	return float64(int(f*10+0.5)) / 10
}

func scTargetText(l *i18n.Localizer, t *scorecard.Target, decimals int) string {
	if t.High != nil && *t.High != t.Value {
		return l.Decimal(t.Value, decimals) + "–" + l.Decimal(*t.High, decimals)
	}
	return l.Decimal(t.Value, decimals)
}

// scCalcText spells out a KPI's score, as the page does.
func scCalcText(l *i18n.Localizer, k scorecard.KPICard) string {
	if !k.HasResult {
		return l.T(k.NoData)
	}
	p := &Page{l: l}
	return p.Calc(k.Result.Calc, k.KPI.Decimals)
}

func scRollupText(l *i18n.Localizer, a scorecard.Agg) string {
	p := &Page{l: l}
	return p.RollupCalc(a)
}

// scorecardReportPDF prints the scorecard of a month: perspectives,
// objectives and KPIs with value, target, status in words and score.
func (s *Server) scorecardReportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.scBuildReport(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.PDFTable{Title: rep.Title, Subtitle: rep.Subtitle, Rows: rep.Rows, Footer: "Cadran", PageLabel: l.T("print.page"), OfLabel: l.T("print.of"),
		Columns: []string{l.T("scorecard.report.perspective"), l.T("scorecard.report.objective"), l.T("scorecard.page.code"), l.T("scorecard.page.kpi"),
			l.T("scorecard.page.period"), l.T("scorecard.page.value"), l.T("scorecard.page.target"), l.T("scorecard.page.status"), l.T("scorecard.page.score")},
		Widths: []float64{2.2, 3.6, 1, 3.4, 1.4, 1.4, 1.3, 2.2, 0.9}}
	return sendFile(w, rep.File, "pdf", func(w io.Writer) error { return report.WriteTablePDF(w, t) })
}

// scorecardReportXLSX sends the scorecard of a month as a workbook: a
// sheet of every KPI and one of the objectives' scores.
func (s *Server) scorecardReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.scBuildReport(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	kpis := report.Table{Sheet: l.T("scorecard.page.kpis"), Rows: rep.KPIRows, Headers: []string{l.T("scorecard.report.perspective"), l.T("scorecard.report.objective"),
		l.T("scorecard.page.code"), l.T("scorecard.page.kpi"), l.T("scorecard.report.unit"), l.T("scorecard.page.period"), l.T("scorecard.page.value"),
		l.T("scorecard.page.target"), l.T("scorecard.page.status"), l.T("scorecard.page.score"), l.T("scorecard.page.how")}}
	objs := report.Table{Sheet: l.T("scorecard.report.objectives"), Rows: rep.ObjectiveRows, Headers: []string{l.T("scorecard.report.perspective"),
		l.T("scorecard.page.code"), l.T("scorecard.report.objective"), l.T("scorecard.page.unit"), l.T("field.sc_obj_owner"), l.T("scorecard.page.weight"),
		l.T("scorecard.page.score"), l.T("scorecard.page.status"), l.T("field.sc_obj_quality"), l.T("scorecard.page.how")}}
	return sendTables(w, r, rep.File, kpis, objs)
}
