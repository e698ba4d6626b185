package web

import (
	"net/http"

	"cadran/internal/auth"
	"cadran/internal/scorecard"
)

// scQualityRow is a quality objective (ISO 9001 6.2) in the quality view:
// what it measures, how it stands, what will be done and by when.
type scQualityRow struct {
	Card        scorecard.ObjectiveCard
	Perspective scorecard.Perspective
	Initiatives []scorecard.Initiative
	ByWhen      string // the latest end of its open initiatives
}

type scQualityData struct {
	Rows       []scQualityRow
	Month      string
	MonthLabel string
	Keep       string
	CanManage  bool
}

// scorecardQuality lists the quality objectives of the institution and of
// its units: the same objectives as the scorecard's, marked quality.
func (s *Server) scorecardQuality(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := s.scorecard.EnsureDefaults(ctx, a); err != nil {
		return err
	}
	q := s.scCardQuery(r)
	q.UnitID, q.QualityOnly = 0, true
	card, units, err := s.scorecard.CardWithUnits(ctx, a, q)
	if err != nil {
		return err
	}
	cards := append([]scorecard.Card{card}, units...)
	ini, err := s.scorecard.Initiatives(ctx, a, scorecard.InitiativeFilter{PerPage: 10000})
	if err != nil {
		return err
	}
	byObjective := map[int64][]scorecard.Initiative{}
	for _, x := range ini.Items {
		for _, id := range x.ObjectiveIDs {
			byObjective[id] = append(byObjective[id], x)
		}
	}
	l := localizer(r)
	d := &scQualityData{Month: q.Month.Key(), MonthLabel: q.Month.Label(l.Lang()), Keep: "?month=" + q.Month.Key(), CanManage: a.Can(auth.PermScorecardManage)}
	seen := map[int64]bool{}
	var add func(pc scorecard.Perspective, oc scorecard.ObjectiveCard)
	add = func(pc scorecard.Perspective, oc scorecard.ObjectiveCard) {
		if seen[oc.Objective.ID] {
			return
		}
		seen[oc.Objective.ID] = true
		row := scQualityRow{Card: oc, Perspective: pc, Initiatives: byObjective[oc.Objective.ID]}
		for _, x := range row.Initiatives {
			if scorecard.InitiativeOpen(x.State) && x.EndOn > row.ByWhen {
				row.ByWhen = x.EndOn
			}
		}
		d.Rows = append(d.Rows, row)
		for _, ch := range oc.Children {
			add(pc, ch)
		}
	}
	for _, c := range cards {
		for _, pc := range c.Perspectives {
			for _, oc := range pc.Objectives {
				add(pc.Perspective, oc)
			}
		}
	}
	return s.render(w, http.StatusOK, "scorecard_quality", s.page(r, "scorecard.quality.title", d))
}
