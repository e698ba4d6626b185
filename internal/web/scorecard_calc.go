package web

import "cadran/internal/scorecard"

// Decimal formats a number with the given decimals in the page's language:
// 12.345,6 or 12,345.6.
func (p *Page) Decimal(f float64, decimals int) string { return p.l.Decimal(f, decimals) }

// Calc spells out the arithmetic of a score in the page's language: every
// number in it with the KPI's decimals, the score with one.
func (p *Page) Calc(c scorecard.Calc, decimals int) string {
	if c.Key == "" {
		return ""
	}
	args := make(map[string]any, len(c.Args))
	for k, v := range c.Args {
		if f, ok := v.(float64); ok {
			d := decimals
			if k == "Score" {
				d = 1
			}
			v = p.Decimal(f, d)
		}
		args[k] = v
	}
	return p.T(c.Key, args)
}

// RollupCalc spells out a roll-up: "weighted mean of 3 of 4 parts (1
// without data)" with the score.
func (p *Page) RollupCalc(a scorecard.Agg) string {
	if !a.HasData {
		return p.T("scorecard.calc.rollup_none", map[string]any{"Missing": a.Missing})
	}
	used := 0
	for _, part := range a.Parts {
		if part.HasData && part.Weight > 0 {
			used++
		}
	}
	return p.T("scorecard.calc.rollup", map[string]any{"Used": used, "Parts": len(a.Parts), "Missing": a.Missing, "Score": p.Decimal(a.Score, 1)})
}
