package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// scMapLink is an arrow of the map with its two objectives, for the list
// under the map.
type scMapLink struct {
	scorecard.Link
	From, To scorecard.Objective
}

// scMapData is the strategy map page.
type scMapData struct {
	Card       scorecard.Card
	Map        template.HTML
	Month      string
	MonthLabel string
	Keep       string
	Units      []scUnit
	Objectives []scorecard.Objective // the scope's, for the link form
	Links      []scMapLink
	Form       scorecard.Link // the link form as sent, shown again with its error
	CanManage  bool
}

// scMapBuild reads the map of a scope: its card, objectives and links.
func (s *Server) scMapBuild(r *http.Request, q scorecard.CardQuery) (*scMapData, error) {
	ctx := r.Context()
	a := actorOf(r)
	if err := s.scorecard.EnsureDefaults(ctx, a); err != nil {
		return nil, err
	}
	card, err := s.scorecard.Card(ctx, a, q)
	if err != nil {
		return nil, err
	}
	l := localizer(r)
	d := &scMapData{Card: card, Month: q.Month.Key(), MonthLabel: q.Month.Label(l.Lang()), Keep: scMonthQuery(q), CanManage: a.Can(auth.PermScorecardManage)}
	if d.Units, err = s.scUnits(ctx, a); err != nil {
		return nil, err
	}
	links, err := s.scorecard.Links(ctx, a, q.UnitID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]scorecard.Objective{}
	for _, pc := range card.Perspectives {
		for _, oc := range pc.Objectives {
			d.Objectives = append(d.Objectives, oc.Objective)
			byID[oc.Objective.ID] = oc.Objective
		}
	}
	for _, lk := range links {
		d.Links = append(d.Links, scMapLink{Link: lk, From: byID[lk.FromID], To: byID[lk.ToID]})
	}
	d.Map = template.HTML(report.StrategyMapSVG(scStrategyMap(l, card, links, d.MonthLabel)))
	return d, nil
}

// scStrategyMap lays a card out as a strategy map: a band per perspective,
// the scope's objectives in it, coloured by their scores.
func scStrategyMap(l *i18n.Localizer, card scorecard.Card, links []scorecard.Link, month string) report.StrategyMap {
	scope := card.UnitName
	if scope == "" {
		scope = l.T("scorecard.page.institution")
	}
	m := report.StrategyMap{Title: l.T("scorecard.map.svg_title", map[string]any{"Scope": scope, "Month": month})}
	codes := map[int64]string{}
	for i, pc := range card.Perspectives {
		band := report.MapBand{Label: scPerspectiveName(l, pc.Perspective)}
		if len(pc.Objectives) > 0 {
			band.Score = scScoreText(l, pc.Agg) + " · " + l.T("scorecard.status."+pc.Agg.Status)
		}
		m.Bands = append(m.Bands, band)
		for _, oc := range pc.Objectives {
			o := oc.Objective
			codes[o.ID] = o.Code
			m.Nodes = append(m.Nodes, report.MapNode{ID: o.ID, Band: i, Code: o.Code, Title: o.Title, Status: oc.Agg.Status,
				ScoreText: scScoreText(l, oc.Agg), StatusLabel: l.T("scorecard.status." + oc.Agg.Status), Href: fmt.Sprintf("/scorecard/objectives/%d", o.ID)})
		}
	}
	for _, lk := range links {
		label := codes[lk.FromID] + " → " + codes[lk.ToID]
		if lk.Note != "" {
			label += ": " + lk.Note
		}
		m.Edges = append(m.Edges, report.MapEdge{From: lk.FromID, To: lk.ToID, Label: label})
	}
	m.Desc = l.T("scorecard.map.svg_desc", map[string]any{"Objectives": len(m.Nodes), "Links": len(m.Edges)})
	return m
}

// scorecardMap is the strategy map, with the links' list and, for
// managers, the form that adds one.
func (s *Server) scorecardMap(w http.ResponseWriter, r *http.Request) error {
	d, err := s.scMapBuild(r, s.scCardQuery(r))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "scorecard_map", s.page(r, "scorecard.map.title", d))
}

// scMapBack is the map's address for the month and unit a form carries.
func scMapBack(r *http.Request) (string, scorecard.CardQuery) {
	q := scorecard.CardQuery{UnitID: max(formInt(r, "unit"), 0)}
	if m, err := scorecard.ParsePeriod(r.FormValue("month")); err == nil && m.Freq == scorecard.Monthly {
		q.Month = m
	}
	v := url.Values{}
	if !q.Month.IsZero() {
		v.Set("month", q.Month.Key())
	}
	if q.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(q.UnitID, 10))
	}
	back := "/scorecard/map"
	if e := v.Encode(); e != "" {
		back += "?" + e
	}
	return back, q
}

// scMapError shows the map again with the refused link form.
func (s *Server) scMapError(w http.ResponseWriter, r *http.Request, err error, q scorecard.CardQuery, form scorecard.Link) error {
	if q.Month.IsZero() {
		q.Month = scorecard.MonthOf(s.clock.Now()).Prev()
	}
	d, derr := s.scMapBuild(r, q)
	if derr != nil {
		return err
	}
	d.Form = form
	return s.formError(w, r, err, "scorecard_map", "scorecard.map.title", d)
}

// scorecardLinkAdd draws an arrow from a cause to its effect.
func (s *Server) scorecardLinkAdd(w http.ResponseWriter, r *http.Request) error {
	back, q := scMapBack(r)
	lk := scorecard.Link{FromID: formInt(r, "from_id"), ToID: formInt(r, "to_id"), Note: r.FormValue("sc_link_note")}
	if err := s.scorecard.AddLink(r.Context(), actorOf(r), lk); err != nil {
		return s.scMapError(w, r, err, q, lk)
	}
	s.flash(r, "scorecard.map.flash_added")
	return redirect(w, r, back)
}

// scorecardLinkRemove erases an arrow.
func (s *Server) scorecardLinkRemove(w http.ResponseWriter, r *http.Request) error {
	back, q := scMapBack(r)
	if err := s.scorecard.RemoveLink(r.Context(), actorOf(r), formInt(r, "from_id"), formInt(r, "to_id")); err != nil {
		return s.scMapError(w, r, err, q, scorecard.Link{})
	}
	s.flash(r, "scorecard.map.flash_removed")
	return redirect(w, r, back)
}
