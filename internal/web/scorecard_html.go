package web

import (
	"html/template"
	"strconv"
	"strings"

	"cadran/internal/scorecard"
)

// The scorecard's tiles, KPI tables and "how it was calculated" boxes are
// written here rather than by templates: the institution's scorecard is 108
// tiles and 500 KPIs, about 15,000 fields, and html/template calls its
// escaper for each field by reflection, which was most of the overview's
// time. The templates sc_objective, sc_kpis and sc_rollup
// (partials/scorecard_parts.html) call these writers, so the pages that use
// them are unchanged, and so is every byte of the markup; the text is
// escaped as html/template escapes it (see BenchmarkScorecardPage).

// scEscape escapes text for an HTML text node or a quoted attribute value
// exactly as html/template does.
var scEscape = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// scWriter writes scorecard markup, reading each message once.
type scWriter struct {
	p    *Page
	b    strings.Builder
	msgs map[string]string
}

func newSCWriter(p *Page) *scWriter { return &scWriter{p: p, msgs: map[string]string{}} }

// t is a plain message, read once per page.
func (w *scWriter) t(key string) string {
	m, ok := w.msgs[key]
	if !ok {
		m = w.p.T(key)
		w.msgs[key] = m
	}
	return m
}

// s writes markup as is.
func (w *scWriter) s(ss ...string) {
	for _, s := range ss {
		w.b.WriteString(s)
	}
}

// e writes text, escaped.
func (w *scWriter) e(s string) { scEscape.WriteString(&w.b, s) }

// te writes a message, escaped.
func (w *scWriter) te(key string) { w.e(w.t(key)) }

func (w *scWriter) id(n int64) { w.b.WriteString(strconv.FormatInt(n, 10)) }

func (w *scWriter) html() template.HTML { return template.HTML(w.b.String()) }

// badge is the sc_badge template.
func (w *scWriter) badge(x scBadge) {
	w.s(`<span class="sc-badge sc-`)
	w.e(x.Status)
	w.s(`"><span aria-hidden="true">`)
	w.e(x.Icon)
	w.s("</span> ")
	w.e(x.Label)
	w.s("</span>")
}

// rollup is a "how it was calculated" box; note is a message key shown
// under the text, or "".
func (w *scWriter) rollup(c scCalcView, note string) {
	w.s("\n<details class=\"sc-calc\">\n  <summary>")
	w.te("scorecard.page.how")
	w.s("</summary>\n  <p>")
	w.e(c.Text)
	w.s("</p>")
	if note != "" {
		w.s(`<p class="hint">`)
		w.te(note)
		w.s("</p>")
	}
	w.s("\n  ")
	if len(c.Parts) > 0 {
		w.s("\n  <div class=\"table-wrap\"><table class=\"compact\">\n  <thead><tr>")
		for _, k := range []string{"scorecard.page.part", "scorecard.page.weight", "scorecard.page.norm_weight", "scorecard.page.score", "scorecard.page.contribution"} {
			w.s(`<th scope="col">`)
			w.te(k)
			w.s("</th>")
		}
		w.s("</tr></thead>\n  <tbody>")
		for _, r := range c.Parts {
			w.s("<tr><td>")
			if r.Href != "" {
				w.s(`<a href="`)
				w.e(r.Href)
				w.s(`">`)
				w.e(r.Label)
				w.s("</a>")
			} else {
				w.e(r.Label)
			}
			w.s("</td><td>")
			w.e(r.Weight)
			w.s("</td><td>")
			w.e(r.Norm)
			w.s("</td><td>")
			if r.HasData {
				w.e(r.Score)
				if r.Zero {
					w.s(` <span class="muted">(`)
					w.te("scorecard.page.zero_weight")
					w.s(")</span>")
				}
			} else {
				w.s(`<span class="muted">`)
				w.te("scorecard.status.none")
				w.s("</span>")
			}
			w.s("</td><td>")
			w.e(r.Contribution)
			w.s("</td></tr>")
		}
		w.s("</tbody>\n  </table></div>\n  ")
	}
	w.s("\n</details>\n")
}

// kpis is a tile's KPI table.
func (w *scWriter) kpis(rows []scKPIRow) {
	w.s("\n")
	if len(rows) == 0 {
		w.s(`<p class="muted">`)
		w.te("scorecard.page.no_kpis")
		w.s("</p>\n")
		return
	}
	w.s("\n<div class=\"table-wrap\"><table class=\"compact sc-kpis\">\n<thead><tr>")
	for _, k := range []string{"scorecard.page.code", "scorecard.page.kpi", "scorecard.page.period", "scorecard.page.value", "scorecard.page.target",
		"scorecard.page.status", "scorecard.page.score"} {
		w.s(`<th scope="col">`)
		w.te(k)
		w.s("</th>")
	}
	w.s("</tr></thead>\n<tbody>")
	for _, r := range rows {
		w.s("<tr>\n  <td><a href=\"/scorecard/kpis/")
		w.id(r.ID)
		w.s(`">`)
		w.e(r.Code)
		w.s("</a></td>\n  <td>")
		w.e(r.Name)
		if r.Pending {
			w.s(` <span class="tag warn">`)
			w.te("scorecard.page.pending")
			w.s("</span>")
		}
		w.s("</td>\n  <td>")
		w.e(r.Period)
		w.s("</td>\n  <td class=\"num\">")
		w.e(r.Value)
		if r.Trend != "" {
			w.s(` <span class="sc-trend" title="`)
			w.e(r.TrendSay)
			w.s(`"><span aria-hidden="true">`)
			w.e(r.TrendArrow)
			w.s(`</span><span class="visually-hidden">`)
			w.e(r.TrendSay)
			w.s("</span></span>")
		}
		w.s("</td>\n  <td class=\"num\">")
		w.e(r.Target)
		w.s("</td>\n  <td>")
		if r.HasResult {
			w.badge(r.Badge)
		} else {
			w.s(`<span class="muted">`)
			w.e(r.NoData)
			w.s("</span>")
		}
		w.s("</td>\n  <td class=\"num\">")
		w.e(r.Score)
		w.s("</td>\n</tr>")
		if r.HasResult {
			w.s(`<tr class="sc-calc-row"><td></td><td colspan="6"><span class="hint">`)
			w.e(r.Calc)
			w.s("; ")
			w.e(r.Share)
			w.s("</span></td></tr>")
		}
	}
	w.s("</tbody>\n</table></div>\n\n")
}

// tile is the sc_objective template: an objective's tile and, inside it,
// the tiles of the objectives cascaded to it.
func (w *scWriter) tile(o scTile) {
	w.s("\n<article class=\"sc-tile sc-")
	w.e(o.Badge.Status)
	w.s(`" aria-labelledby="obj-`)
	w.id(o.ID)
	w.s("\">\n  <header>\n    <h3 id=\"obj-")
	w.id(o.ID)
	w.s(`"><a href="/scorecard/objectives/`)
	w.id(o.ID)
	w.s(`">`)
	w.e(o.Code)
	w.s(" ")
	w.e(o.Title)
	w.s("</a>")
	if o.Quality {
		w.s(` <span class="tag">`)
		w.te("scorecard.page.quality_tag")
		w.s("</span>")
	}
	w.s("</h3>\n    <p class=\"sc-score\"><strong>")
	w.e(o.Score)
	w.s("</strong> ")
	w.badge(o.Badge)
	w.s("</p>\n  </header>\n  <p class=\"meta\">")
	if o.Owner != "" {
		w.te("scorecard.page.owner")
		w.s(": ")
		w.e(o.Owner)
		w.s(" · ")
	}
	if o.Unit != "" {
		w.e(o.Unit)
		w.s(" · ")
	}
	w.te("scorecard.page.weight")
	w.s(": ")
	w.e(o.Weight)
	if o.Initiatives != 0 {
		w.s(` · <a href="/scorecard/initiatives?objective=`)
		w.id(o.ID)
		w.s(`">`)
		w.e(o.InitiativesText)
		w.s("</a>")
	}
	w.s("</p>\n  ")
	w.kpis(o.KPIs)
	w.s("\n  ")
	note := ""
	if len(o.KPIs) > 0 {
		note = "scorecard.page.kpi_parts"
	}
	w.rollup(o.Calc, note)
	w.s("\n  ")
	if len(o.Children) > 0 {
		w.s("\n  <div class=\"sc-children\">\n    <h4>")
		w.te("scorecard.page.cascaded")
		w.s("</h4>\n    ")
		for _, ch := range o.Children {
			w.tile(ch)
		}
		w.s("\n  </div>\n  ")
	}
	w.s("\n</article>\n")
}

// ScTiles writes the tiles of objectives' cards, laid out by ScTile.
func (p *Page) ScTiles(ocs []scorecard.ObjectiveCard) template.HTML {
	w := newSCWriter(p)
	for _, oc := range ocs {
		w.tile(p.ScTile(oc))
	}
	return w.html()
}

// ScTileHTML writes one laid-out tile (the sc_objective template).
func (p *Page) ScTileHTML(t scTile) template.HTML {
	w := newSCWriter(p)
	w.tile(t)
	return w.html()
}

// ScKPIsHTML writes a KPI table (the sc_kpis template).
func (p *Page) ScKPIsHTML(rows []scKPIRow) template.HTML {
	w := newSCWriter(p)
	w.kpis(rows)
	return w.html()
}

// ScRollupHTML writes a "how it was calculated" box (the sc_rollup
// template); note is a message key or anything else for none.
func (p *Page) ScRollupHTML(c scCalcView, note any) template.HTML {
	w := newSCWriter(p)
	key, _ := note.(string)
	w.rollup(c, key)
	return w.html()
}
