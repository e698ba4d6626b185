package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/crosswalk"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

type crosswalkReadinessData struct {
	R          crosswalk.Readiness
	Filter     crosswalk.Filter
	FW         string
	Statuses   []string
	Frameworks []string
	Sorts      []sortLink
	Pager      pager
	Chart      template.HTML
}

var crosswalkSortLabels = map[string]string{"code": "crosswalk.col.item", "direct": "crosswalk.col.direct",
	"through": "crosswalk.col.through", "status": "crosswalk.col.status"}

func crosswalkFW(r *http.Request) (string, error) {
	fw := r.PathValue("cwfw")
	if !crosswalk.ValidFramework(fw) {
		return "", apperr.NotFound("crosswalk_framework")
	}
	return fw, nil
}

func crosswalkFilter(r *http.Request) crosswalk.Filter {
	q := r.URL.Query()
	f := crosswalk.Filter{Status: q.Get("status"), Query: q.Get("q"), Sort: q.Get("sort")}
	if f.Status != "" && !slices.Contains(crosswalk.Statuses, f.Status) {
		f.Status = ""
	}
	return f
}

// crosswalkReadiness is one framework's readiness: every item with its
// evidence, direct and through the crosswalk.
func (s *Server) crosswalkReadiness(w http.ResponseWriter, r *http.Request) error {
	fw, err := crosswalkFW(r)
	if err != nil {
		return err
	}
	f := crosswalkFilter(r)
	pg := newPager(r, 50)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	rd, err := s.crosswalk.Readiness(r.Context(), actorOf(r), fw, f)
	if err != nil {
		return err
	}
	pg.Total = rd.Total
	l := localizer(r)
	d := &crosswalkReadinessData{R: rd, Filter: f, FW: fw, Statuses: crosswalk.Statuses, Frameworks: crosswalk.Frameworks, Pager: pg, Chart: crosswalkBar(l, rd)}
	p := s.page(r, "crosswalk.readiness_title", d)
	p.Title = l.T("crosswalk.fw."+fw) + " · " + p.Title
	d.Sorts = sortLinks(p, f.Sort, crosswalkSortLabels, crosswalk.ReadinessSorts())
	return s.render(w, http.StatusOK, "crosswalk_readiness", p)
}

// crosswalkReadinessExport sends the readiness list, filtered and sorted
// as on the page.
func (s *Server) crosswalkReadinessExport(w http.ResponseWriter, r *http.Request) error {
	fw, err := crosswalkFW(r)
	if err != nil {
		return err
	}
	rd, err := s.crosswalk.Readiness(r.Context(), actorOf(r), fw, crosswalkFilter(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("crosswalk.fw." + fw), Headers: []string{l.T("crosswalk.col.code"), l.T("crosswalk.col.title"),
		l.T("crosswalk.col.direct"), l.T("crosswalk.col.through"), l.T("crosswalk.col.status"), l.T("crosswalk.col.mapped")}}
	for _, it := range rd.Rows {
		var mapped []string
		for _, m := range it.Mapped {
			mapped = append(mapped, l.T("crosswalk.fw."+m.FW)+" "+m.Code)
		}
		status := l.T("crosswalk.status." + it.Status())
		if it.NotApplicable {
			status = l.T("crosswalk.not_applicable")
		}
		t.Rows = append(t.Rows, []any{it.Ref.Code, it.Ref.Title(l.Lang()), it.Direct, it.Through, status, strings.Join(mapped, ", ")})
	}
	return sendTables(w, r, l.T("crosswalk.readiness_file", "Framework", fw), t)
}

type crosswalkItemData struct {
	P      crosswalk.ItemPage
	Module string
	Mapped []crosswalkMappedLink
	// Pieces is the page of the evidence shown (crosswalkItemPerPage at
	// most; the export has it all).
	Pieces []crosswalk.Piece
	Pager  pager
}

// crosswalkItemPerPage is how many pieces of evidence an item's page
// lists at once: a clause such as 9.1 gathers hundreds of indicators.
const crosswalkItemPerPage = 100

// crosswalkMappedLink is a mapped item with its page in the crosswalk and
// in its own module.
type crosswalkMappedLink struct {
	Ref    crosswalk.Ref
	Module string
}

// crosswalkItem is one item: the items mapped to it and every piece of
// evidence, each with where it was linked.
func (s *Server) crosswalkItem(w http.ResponseWriter, r *http.Request) error {
	fw, err := crosswalkFW(r)
	if err != nil {
		return err
	}
	ref := crosswalk.Ref{FW: fw, Code: r.PathValue("cwcode")}
	ip, err := s.crosswalk.Item(r.Context(), actorOf(r), ref)
	if err != nil {
		return err
	}
	d := &crosswalkItemData{P: ip, Module: ip.Context.ModuleHref(ref), Pager: newPager(r, crosswalkItemPerPage)}
	d.Pager.Total = len(ip.Evidence)
	start := min(d.Pager.Offset(), len(ip.Evidence))
	d.Pieces = ip.Evidence[start:min(len(ip.Evidence), start+d.Pager.PerPage)]
	for _, m := range ip.Mapped {
		d.Mapped = append(d.Mapped, crosswalkMappedLink{Ref: m, Module: ip.Context.ModuleHref(m)})
	}
	l := localizer(r)
	p := s.page(r, "crosswalk.item_title", d)
	p.Title = l.T("crosswalk.fw."+fw) + " " + ref.Code + " " + ref.Title(l.Lang()) + " · " + p.Title
	return s.render(w, http.StatusOK, "crosswalk_item", p)
}

// crosswalkItemExport sends an item's evidence: its own, then through the
// crosswalk, each with where it was attached.
func (s *Server) crosswalkItemExport(w http.ResponseWriter, r *http.Request) error {
	fw, err := crosswalkFW(r)
	if err != nil {
		return err
	}
	ref := crosswalk.Ref{FW: fw, Code: r.PathValue("cwcode")}
	ip, err := s.crosswalk.Item(r.Context(), actorOf(r), ref)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("crosswalk.evidence"), Headers: []string{l.T("crosswalk.col.kind"), l.T("crosswalk.col.code"), l.T("crosswalk.col.title"),
		l.T("crosswalk.col.detail"), l.T("crosswalk.col.date"), l.T("crosswalk.col.linked_to"), l.T("crosswalk.col.own"), l.T("crosswalk.col.address")}}
	for _, p := range ip.Evidence {
		title := p.Title
		if p.TitleKey != "" {
			title = l.T(p.TitleKey, p.TitleArgs)
		}
		var origins []string
		for _, o := range p.Origins {
			origins = append(origins, l.T("crosswalk.fw."+o.FW)+" "+o.Code)
		}
		var date any
		if !p.Date.IsZero() {
			date = p.Date
		}
		own := l.T("crosswalk.no")
		if p.LinkedTo(fw) {
			own = l.T("crosswalk.yes")
		}
		t.Rows = append(t.Rows, []any{l.T("crosswalk.kind." + p.Kind), p.Code, title, p.Detail, date, strings.Join(origins, ", "), own, p.Href})
	}
	return sendTables(w, r, l.T("crosswalk.item_file", "Framework", fw, "Code", ref.Code), t)
}

// crosswalkBar draws the readiness as one stacked bar: items evidenced
// directly, only through the crosswalk, and without evidence.
func crosswalkBar(l *i18n.Localizer, rd crosswalk.Readiness) template.HTML {
	if rd.Items == 0 {
		return ""
	}
	const width, height = 600.0, 28.0
	colours := map[string]string{crosswalk.StatusDirect: "#1b7a3d", crosswalk.StatusCrosswalk: "#5b8fd6", crosswalk.StatusNone: "#c8ccd2"}
	var b strings.Builder
	var label []string
	for _, st := range crosswalk.Statuses {
		label = append(label, fmt.Sprintf("%s: %d", l.T("crosswalk.status."+st), rd.ByStatus[st]))
	}
	title := template.HTMLEscapeString(l.T("crosswalk.chart_title") + " — " + strings.Join(label, "; "))
	fmt.Fprintf(&b, `<svg class="cw-bar" role="img" viewBox="0 0 %.0f %.0f" width="100%%" preserveAspectRatio="none" aria-label="%s"><title>%s</title>`, width, height, title, title)
	x := 0.0
	for _, st := range crosswalk.Statuses {
		n := rd.ByStatus[st]
		if n == 0 {
			continue
		}
		w := width * float64(n) / float64(rd.Items)
		fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="%.0f" fill="%s"></rect>`, x, w, height, colours[st])
		x += w
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
