package web

// KPIs through the API: their definition and their latest value, target,
// score and status, as the KPI list shows them.

import (
	"net/http"
	"strconv"

	"cadran/internal/scorecard"
)

type apiLatest struct {
	Period     string   `json:"period"`
	Value      *float64 `json:"value"`
	Target     *float64 `json:"target"`
	TargetHigh *float64 `json:"target_high"`
	Score      *float64 `json:"score"`
	Status     string   `json:"status"`
	Pending    bool     `json:"pending"`
}

type apiTarget struct {
	Period     string   `json:"period"`
	Target     float64  `json:"target"`
	TargetHigh *float64 `json:"target_high"`
}

type apiKPI struct {
	ID          int64      `json:"id"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	MeasureUnit string     `json:"measure_unit"`
	Polarity    string     `json:"polarity"`
	Method      string     `json:"method"`
	Frequency   string     `json:"frequency"`
	Kind        string     `json:"kind"`
	Decimals    int        `json:"decimals"`
	Baseline    *float64   `json:"baseline"`
	Red         *float64   `json:"red"`
	RedHigh     *float64   `json:"red_high"`
	Owner       string     `json:"owner"`
	Objective   string     `json:"objective"`
	Unit        *apiRef    `json:"unit"`
	Process     string     `json:"process"`
	Weight      float64    `json:"weight"`
	Archived    bool       `json:"archived"`
	Version     int        `json:"version"`
	URL         string     `json:"url"`
	Latest      *apiLatest `json:"latest"`
	// Targets are given on the KPI's own endpoint only.
	Targets []apiTarget `json:"targets,omitempty"`
}

func apiKPIKind(k scorecard.KPI) string {
	switch {
	case k.Metric != "":
		return scorecard.KindMetric
	case k.Formula != "":
		return scorecard.KindFormula
	}
	return scorecard.KindEntered
}

func apiKPIOf(base string, k scorecard.KPI, kc scorecard.KPICard, has bool) apiKPI {
	out := apiKPI{ID: k.ID, Code: k.Code, Name: k.Name, Description: k.Description, MeasureUnit: k.MeasureUnit, Polarity: k.Polarity, Method: k.Method,
		Frequency: k.Frequency, Kind: apiKPIKind(k), Decimals: k.Decimals, Baseline: k.Baseline, Red: k.Red, RedHigh: k.RedHigh, Owner: k.OwnerName,
		Objective: k.ObjectiveCode, Unit: apiRefOf(k.UnitID, k.UnitName), Process: k.Process, Weight: k.Weight, Archived: k.Archived, Version: k.Version,
		URL: base + "/scorecard/kpis/" + strconv.FormatInt(k.ID, 10)}
	if has && !kc.Period.IsZero() {
		lt := &apiLatest{Period: kc.Period.Key(), Value: kc.Value, Status: kpiStatus(kc), Pending: kc.Pending}
		if kc.Target != nil {
			lt.Target, lt.TargetHigh = &kc.Target.Value, kc.Target.High
		}
		if kc.HasResult {
			lt.Score = &kc.Result.Score
		}
		out.Latest = lt
	}
	return out
}

// apiKPIList lists the KPIs with the KPI list's filters.
func (s *Server) apiKPIList(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	q := newAPIQuery(r, l)
	f := scorecard.KPIFilter{Query: q.text("q"), ObjectiveID: q.id("objective"), UnitID: q.id("unit"), Process: q.text("process"),
		Frequency: q.choice("frequency", scorecard.Frequencies), Kind: q.choice("kind", []string{scorecard.KindEntered, scorecard.KindMetric, scorecard.KindFormula}),
		Archived: q.flag("archived")}
	sort := q.sort("sort", scorecard.KPISorts())
	page, per := q.paging()
	if q.refused(w) {
		return nil
	}
	f.Sort, f.Desc = sort, false
	if len(sort) > 0 && sort[0] == '-' {
		f.Sort, f.Desc = sort[1:], true
	}
	f.Page, f.PerPage = page, per
	kp, err := s.scorecard.KPIs(ctx, a, f)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	st, err := s.kpiStatuses(ctx, a, kp.Items)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	base := s.baseURL(r)
	out := make([]apiKPI, 0, len(kp.Items))
	for _, k := range kp.Items {
		kc, has := st[k.ID]
		out = append(out, apiKPIOf(base, k, kc, has))
	}
	return apiSendList(w, r, base, out, page, per, kp.Total)
}

// apiKPIShow is one KPI by its code, with its targets.
func (s *Server) apiKPIShow(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	if newAPIQuery(r, l).refused(w) {
		return nil
	}
	k, err := s.scorecard.KPIByCode(ctx, a, r.PathValue("code"))
	if err != nil {
		return apiFail(w, r, l, err)
	}
	st, err := s.kpiStatuses(ctx, a, []scorecard.KPI{k})
	if err != nil {
		return apiFail(w, r, l, err)
	}
	ts, err := s.scorecard.Targets(ctx, a, k.ID)
	if err != nil {
		return apiFail(w, r, l, err)
	}
	kc, has := st[k.ID]
	out := apiKPIOf(s.baseURL(r), k, kc, has)
	out.Targets = make([]apiTarget, 0, len(ts))
	for _, t := range ts {
		out.Targets = append(out.Targets, apiTarget{Period: t.Period, Target: t.Value, TargetHigh: t.High})
	}
	return apiJSON(w, http.StatusOK, out)
}
