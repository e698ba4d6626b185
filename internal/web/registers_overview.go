package web

import (
	"net/http"

	"cadran/internal/improvement"
	"cadran/internal/risks"
)

type registersData struct {
	Risks risks.Overview
	NCs   improvement.Overview
	// AgeMax is the largest age bucket, for the bars' lengths.
	AgeMax int
}

// Bar is the width of a bucket's bar, in percent of the largest.
func (d registersData) Bar(n int) int {
	if d.AgeMax == 0 {
		return 0
	}
	return max(2, n*100/d.AgeMax)
}

// registersOverview is the overview of the registers for management and
// the quality office: open cases by age and severity, overdue actions and
// measures, risks above tolerance, alerts, reviews and checks due.
func (s *Server) registersOverview(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	ro, err := s.risks.Overview(r.Context(), a)
	if err != nil {
		return err
	}
	no, err := s.improve.Overview(r.Context(), a)
	if err != nil {
		return err
	}
	d := registersData{Risks: ro, NCs: no}
	for _, b := range no.OpenByAge {
		d.AgeMax = max(d.AgeMax, b.Count)
	}
	return s.render(w, http.StatusOK, "registers", s.page(r, "registers.title", d))
}
