package web

// The registers through the API: risks and opportunities, nonconformities
// and improvement proposals. Each endpoint calls the same service method
// as the page, with the token's actor, so the same permission checks and
// the same tenant scope apply.

import (
	"net/http"
	"strconv"

	"cadran/internal/improvement"
	"cadran/internal/risks"
)

// apiScore is a probability–impact score and its exposure.
type apiScore struct {
	P int `json:"p"`
	I int `json:"i"`
	E int `json:"e"`
}

type apiRiskMeasure struct {
	ID          int64   `json:"id"`
	Description string  `json:"description"`
	Owner       string  `json:"owner"`
	Deadline    *string `json:"deadline"`
	State       string  `json:"state"`
}

type apiRisk struct {
	ID             int64     `json:"id"`
	Year           int       `json:"year"`
	Kind           string    `json:"kind"`
	Code           string    `json:"code"`
	Level          string    `json:"level"`
	Unit           *apiRef   `json:"unit"`
	Objective      string    `json:"objective"`
	Description    string    `json:"description"`
	Causes         string    `json:"causes"`
	Consequences   string    `json:"consequences"`
	Owner          string    `json:"owner"`
	Scale          int       `json:"scale"`
	Inherent       apiScore  `json:"inherent"`
	Residual       *apiScore `json:"residual"`
	Exposure       int       `json:"exposure"`
	AboveTolerance bool      `json:"above_tolerance"`
	Strategy       string    `json:"strategy"`
	State          string    `json:"state"`
	LastReviewOn   *string   `json:"last_review_on"`
	NextReviewOn   *string   `json:"next_review_on"`
	Version        int       `json:"version"`
	URL            string    `json:"url"`
	// Measures are given on the record's own endpoint only.
	Measures []apiRiskMeasure `json:"measures,omitempty"`
}

func apiRiskOf(base string, st risks.Settings, rk risks.Risk) apiRisk {
	out := apiRisk{ID: rk.ID, Year: rk.Year, Kind: rk.Kind, Code: rk.Code, Level: rk.Level, Unit: apiRefOf(rk.UnitID, rk.UnitName), Objective: rk.Objective,
		Description: rk.Description, Causes: rk.Causes, Consequences: rk.Consequences, Owner: rk.Owner(), Scale: rk.Scale,
		Inherent: apiScore{P: rk.InherentP, I: rk.InherentI, E: rk.InherentE}, Exposure: rk.CurE, AboveTolerance: st.AboveTolerance(rk),
		Strategy: rk.Strategy, State: rk.State, LastReviewOn: apiDay(rk.LastReviewOn), NextReviewOn: apiDay(rk.NextReviewOn), Version: rk.Version,
		URL: base + "/risks/" + strconv.FormatInt(rk.ID, 10)}
	if rk.Reviewed() {
		out.Residual = &apiScore{P: rk.ResidualP, I: rk.ResidualI, E: rk.ResidualE}
	}
	if out.Exposure == 0 {
		out.Exposure = rk.InherentE
	}
	return out
}

// apiRiskList is the register of a year (the register in use by default),
// with the register page's main filters.
func (s *Server) apiRiskList(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	q := newAPIQuery(r, l)
	f := risks.Filter{Year: q.year("year"), Query: q.text("q"), Kind: q.choice("kind", risks.Kinds), UnitID: q.id("unit"),
		State: q.choice("state", risks.States), Level: q.choice("level", risks.Levels), Above: q.flag("above"), ReviewDue: q.flag("review_due"),
		Sort: q.sort("sort", risks.Sorts())}
	page, per := q.paging()
	if q.refused(w) {
		return nil
	}
	if f.Year == 0 {
		y, err := s.risks.RegisterYear(ctx, a)
		if err != nil {
			return apiFailAs(w, r, l, err, "api.error.not_found")
		}
		f.Year = y
	}
	f.Limit, f.Offset = per, (page-1)*per
	list, total, err := s.risks.List(ctx, a, f)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	st, err := s.risks.Settings(ctx, a)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	base := s.baseURL(r)
	out := make([]apiRisk, 0, len(list))
	for _, rk := range list {
		out = append(out, apiRiskOf(base, st, rk))
	}
	return apiSendList(w, r, base, out, page, per, total)
}

// apiRiskShow is one register entry with its measures.
func (s *Server) apiRiskShow(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	if newAPIQuery(r, l).refused(w) {
		return nil
	}
	id, err := strconv.ParseInt(r.PathValue("apirisk"), 10, 64)
	if err != nil || id < 1 {
		return apiJSON(w, http.StatusNotFound, apiError{Error: l.T("api.error.not_found")})
	}
	rk, err := s.risks.Risk(ctx, a, id)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	st, err := s.risks.Settings(ctx, a)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	ms, err := s.risks.Measures(ctx, a, id)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	out := apiRiskOf(s.baseURL(r), st, rk)
	out.Measures = make([]apiRiskMeasure, 0, len(ms))
	for _, m := range ms {
		out.Measures = append(out.Measures, apiRiskMeasure{ID: m.ID, Description: m.Description, Owner: m.Owner(), Deadline: apiDay(m.Deadline), State: m.State})
	}
	return apiJSON(w, http.StatusOK, out)
}

type apiNonconformity struct {
	ID          int64   `json:"id"`
	Code        string  `json:"code"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Source      string  `json:"source"`
	SourceRef   string  `json:"source_ref"`
	Process     string  `json:"process"`
	Unit        *apiRef `json:"unit"`
	Clause      string  `json:"clause"`
	Severity    string  `json:"severity"`
	DetectedOn  *string `json:"detected_on"`
	Reporter    string  `json:"reporter"`
	Owner       string  `json:"owner"`
	State       string  `json:"state"`
	Open        bool    `json:"open"`
	Reopened    int     `json:"reopened"`
	OpenActions int     `json:"open_actions"`
	NextDue     *string `json:"next_due"`
	ClosedOn    *string `json:"closed_on"`
	Version     int     `json:"version"`
	URL         string  `json:"url"`
	// On the record's own endpoint only.
	Correction   *string `json:"correction,omitempty"`
	CorrectionOn *string `json:"correction_on,omitempty"`
	Conclusion   *string `json:"conclusion,omitempty"`
}

func apiNonconformityOf(base string, n improvement.Nonconformity) apiNonconformity {
	return apiNonconformity{ID: n.ID, Code: n.Code, Title: n.Title, Description: n.Description, Source: n.Source, SourceRef: n.SourceRef, Process: n.Process,
		Unit: apiRefOf(n.UnitID, n.UnitName), Clause: n.Clause, Severity: n.Severity, DetectedOn: apiDay(n.DetectedOn), Reporter: n.ReporterName,
		Owner: n.OwnerName, State: n.State, Open: n.IsOpen(), Reopened: n.Reopened, OpenActions: n.OpenActions, NextDue: apiDay(n.NextDue),
		ClosedOn: apiDay(n.ClosedOn), Version: n.Version, URL: base + "/nonconformities/" + strconv.FormatInt(n.ID, 10)}
}

// apiNonconformityList is the nonconformity log, newest first by default.
func (s *Server) apiNonconformityList(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	q := newAPIQuery(r, l)
	f := improvement.Filter{Query: q.text("q"), State: q.choice("state", append([]string{"open"}, improvement.States...)), Source: q.choice("source", improvement.Sources),
		Severity: q.choice("severity", improvement.Severities), UnitID: q.id("unit"), Clause: q.text("clause"), Overdue: q.flag("overdue"),
		Sort: q.sort("sort", improvement.Sorts())}
	page, per := q.paging()
	if q.refused(w) {
		return nil
	}
	f.Limit, f.Offset = per, (page-1)*per
	list, total, err := s.improve.List(r.Context(), a, f)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	base := s.baseURL(r)
	out := make([]apiNonconformity, 0, len(list))
	for _, n := range list {
		out = append(out, apiNonconformityOf(base, n))
	}
	return apiSendList(w, r, base, out, page, per, total)
}

// apiNonconformityShow is one case of the log.
func (s *Server) apiNonconformityShow(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	if newAPIQuery(r, l).refused(w) {
		return nil
	}
	id, err := strconv.ParseInt(r.PathValue("apinc"), 10, 64)
	if err != nil || id < 1 {
		return apiJSON(w, http.StatusNotFound, apiError{Error: l.T("api.error.not_found")})
	}
	n, err := s.improve.Nonconformity(r.Context(), a, id)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	out := apiNonconformityOf(s.baseURL(r), n)
	out.Correction, out.CorrectionOn, out.Conclusion = &n.Correction, apiDay(n.CorrectionOn), &n.Conclusion
	return apiJSON(w, http.StatusOK, out)
}

type apiProposal struct {
	ID          int64   `json:"id"`
	Code        string  `json:"code"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Benefit     string  `json:"benefit"`
	Unit        *apiRef `json:"unit"`
	Process     string  `json:"process"`
	Proposer    string  `json:"proposer"`
	State       string  `json:"state"`
	Decision    string  `json:"decision"`
	SubmittedOn *string `json:"submitted_on"`
	DecidedOn   *string `json:"decided_on"`
	Version     int     `json:"version"`
	URL         string  `json:"url"`
}

// apiProposalList lists the improvement proposals, newest first by default.
func (s *Server) apiProposalList(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	q := newAPIQuery(r, l)
	f := improvement.ProposalFilter{Query: q.text("q"), State: q.choice("state", append([]string{"open"}, improvement.PropStates...)), UnitID: q.id("unit"),
		Sort: q.sort("sort", improvement.ProposalSorts())}
	page, per := q.paging()
	if q.refused(w) {
		return nil
	}
	f.Limit, f.Offset = per, (page-1)*per
	list, total, err := s.improve.Proposals(r.Context(), a, f)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	base := s.baseURL(r)
	out := make([]apiProposal, 0, len(list))
	for _, p := range list {
		out = append(out, apiProposal{ID: p.ID, Code: p.Code, Title: p.Title, Description: p.Description, Benefit: p.Benefit, Unit: apiRefOf(p.UnitID, p.UnitName),
			Process: p.Process, Proposer: p.ProposerName, State: p.State, Decision: p.Decision, SubmittedOn: apiDay(p.SubmittedOn), DecidedOn: apiDay(p.DecidedOn),
			Version: p.Version, URL: base + "/proposals/" + strconv.FormatInt(p.ID, 10)})
	}
	return apiSendList(w, r, base, out, page, per, total)
}
