package web

import "cadran/internal/scorecard"

// The scorecard's tiles are laid out in Go before the template runs: a
// scorecard of 500 KPIs is thousands of cells, and formatting them here
// keeps the template a plain walk over strings (see BenchmarkScorecardPage).

// scBadge is a status as the reader sees it: its colour class, sign and words.
type scBadge struct {
	Status, Icon, Label string
}

// scPartRow is a line of a roll-up's arithmetic.
type scPartRow struct {
	Href, Label                       string
	Weight, Norm, Score, Contribution string
	HasData, Zero                     bool
}

// scCalcView is a roll-up's arithmetic for the "how it was calculated" box.
type scCalcView struct {
	Text  string
	Parts []scPartRow
}

// scKPIRow is a KPI's line in an objective's tile.
type scKPIRow struct {
	ID                          int64
	Code, Name, Period          string
	Value, Target, Score        string
	Trend, TrendArrow, TrendSay string
	Pending, HasResult          bool
	Badge                       scBadge
	NoData, Calc                string
	// Share is the KPI's part in its objective's score: its weight, the
	// weight renormalised and the points it adds.
	Share string
}

// scTile is an objective's tile.
type scTile struct {
	ID                       int64
	Code, Title, Owner, Unit string
	Weight, Score            string
	Quality                  bool
	Initiatives              int
	InitiativesText          string
	Badge                    scBadge
	KPIs                     []scKPIRow
	Calc                     scCalcView
	Children                 []scTile
}

// ScBadge is a status with its sign and words.
func (p *Page) ScBadge(status string) scBadge {
	if status == "" {
		status = scorecard.StatusNone
	}
	return scBadge{Status: status, Icon: p.ScIcon(status), Label: p.ScStatus(status)}
}

// ScCalcView lays out a roll-up's arithmetic.
func (p *Page) ScCalcView(a scorecard.Agg) scCalcView {
	v := scCalcView{Text: p.RollupCalc(a), Parts: make([]scPartRow, 0, len(a.Parts))}
	for _, part := range a.Parts {
		r := scPartRow{Href: part.Href, Label: part.Code + " " + part.Name, Weight: p.Decimal(part.Weight, 2), Norm: "—", Score: "", Contribution: "—",
			HasData: part.HasData, Zero: part.Weight == 0}
		if part.Kind == "perspective" {
			r.Label = part.Name
			if r.Label == "" {
				r.Label = p.T("scorecard.perspective." + part.Code)
			}
		}
		if part.HasData {
			r.Score = p.Decimal(part.Score, 1)
			if part.Weight > 0 {
				r.Norm = p.Decimal(part.NormWeight*100, 1) + " %"
				r.Contribution = p.Decimal(part.Contribution, 1)
			}
		}
		v.Parts = append(v.Parts, r)
	}
	return v
}

// ScTile lays out an objective's tile, with the objectives cascaded to it.
func (p *Page) ScTile(oc scorecard.ObjectiveCard) scTile {
	o := oc.Objective
	t := scTile{ID: o.ID, Code: o.Code, Title: o.Title, Owner: o.OwnerName, Unit: o.UnitName, Weight: p.Decimal(o.Weight, 2), Score: p.ScScore(oc.Agg),
		Quality: o.Quality, Initiatives: oc.Initiatives, Badge: p.ScBadge(oc.Agg.Status), Calc: p.ScCalcView(oc.Agg), KPIs: make([]scKPIRow, 0, len(oc.KPIs))}
	if oc.Initiatives > 0 {
		t.InitiativesText = p.T("scorecard.page.initiatives_count", "Count", oc.Initiatives)
	}
	// The roll-up's first parts are the KPIs, in order: their shares go on
	// their own lines, and the box keeps the cascaded objectives' parts.
	nk := min(len(oc.KPIs), len(t.Calc.Parts))
	t.Calc.Parts = t.Calc.Parts[nk:]
	for i, k := range oc.KPIs {
		d := k.KPI.Decimals
		r := scKPIRow{ID: k.KPI.ID, Code: k.KPI.Code, Name: k.KPI.Name, Period: k.Period.Label(p.Lang), Value: p.ScNum(k.Value, d), Target: p.ScTarget(k.Target, d),
			Score: "—", Pending: k.Pending, HasResult: k.HasResult}
		if k.Value != nil && k.KPI.MeasureUnit != "" {
			r.Value += " " + k.KPI.MeasureUnit
		}
		if r.Trend = p.ScTrend(k); r.Trend != "" {
			r.TrendArrow = p.ScTrendArrow(r.Trend)
			r.TrendSay = p.T("scorecard.page.trend_"+r.Trend) + " (" + p.ScNum(k.Previous, d) + ")"
		}
		if k.HasResult {
			r.Badge, r.Score, r.Calc = p.ScBadge(k.Result.Status), p.Decimal(k.Result.Score, 1), p.Calc(k.Result.Calc, d)
			if i < nk {
				part := oc.Agg.Parts[i]
				if part.Weight > 0 {
					// Plain messages put together: a message with arguments
					// costs a template execution, and a scorecard has
					// hundreds of these lines.
					r.Share = p.T("scorecard.page.kpi_share") + " " + p.Decimal(part.Weight, 2) + " (" + p.Decimal(part.NormWeight*100, 1) + " % " +
						p.T("scorecard.page.kpi_share_renorm") + "): " + p.Decimal(part.Contribution, 1) + " " + p.T("scorecard.page.kpi_share_points")
				} else {
					r.Share = p.T("scorecard.page.zero_weight")
				}
			}
		} else if k.NoData != "" {
			r.NoData = p.T(k.NoData)
		}
		t.KPIs = append(t.KPIs, r)
	}
	for _, ch := range oc.Children {
		t.Children = append(t.Children, p.ScTile(ch))
	}
	return t
}
