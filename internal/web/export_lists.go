package web

// The exports of the measurement approvals and of a document search, which
// had none: the same reads and permission checks as their pages.

import (
	"net/http"
	"strings"

	"cadran/internal/documents"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// approvalExport sends the values waiting for the actor's approval, oldest
// first, as the page lists them.
func (s *Server) approvalExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.approvalLoad(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("scorecard.approval.title"), Headers: []string{l.T("scorecard.kpis.col.code"), l.T("scorecard.grid.kpi"),
		l.T("scorecard.kpis.col.period"), l.T("scorecard.approval.pending_value"), l.T("scorecard.approval.old_value"), l.T("exports.approval.measure_unit"),
		l.T("scorecard.approval.by"), l.T("exports.approval.at"), l.T("exports.approval.source"), l.T("scorecard.approval.explanation")}}
	num := func(f *float64) any {
		if f == nil {
			return nil
		}
		return *f
	}
	for _, it := range d.Items {
		m, k := it.M, it.KPI
		period := m.Period
		if per, err := scorecard.ParsePeriod(m.Period); err == nil {
			period = per.Label(l.Lang())
		}
		var at any
		if m.PendingAt != nil {
			at = *m.PendingAt
		}
		src := ""
		if m.PendingSrc != "" {
			src = l.T("scorecard.source." + m.PendingSrc)
		}
		t.Rows = append(t.Rows, []any{k.Code, k.Name, period, num(m.Pending), num(m.Value), k.MeasureUnit, m.PendingBy, at, src, m.PendingNote})
	}
	return sendTables(w, r, l.T("exports.approval.file"), t)
}

// documentSearchExport sends every hit of a document search, best first,
// with the passage that matched.
func (s *Server) documentSearchExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	var hits []documents.Hit
	const batch = 100 // the most a search gives at once
	for off := 0; off < exportAll; off += batch {
		page, total, err := s.docs.Search(r.Context(), actorOf(r), q, batch, off)
		if err != nil {
			return err
		}
		hits = append(hits, page...)
		if off+batch >= total || len(page) == 0 {
			break
		}
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("document.search_title"), Headers: []string{l.T("document.code"), l.T("document.title"), l.T("document.kind"),
		l.T("document.unit"), l.T("document.state"), l.T("exports.search.snippet")}}
	for _, h := range hits {
		var snip strings.Builder
		for i, f := range h.Snippet {
			if i > 0 {
				snip.WriteByte(' ')
			}
			snip.WriteString(f.Text)
		}
		d := h.Document
		t.Rows = append(t.Rows, []any{d.Code, d.Title, l.T("document.kind." + d.Kind), d.UnitName, l.T("document.state." + d.State), snip.String()})
	}
	return sendTables(w, r, l.T("exports.search.file"), t)
}
