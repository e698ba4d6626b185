package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/scorecard"
)

// apiMaxBody is the largest request body the JSON endpoint reads.
const apiMaxBody = 1 << 20

// apiEntry is one value sent to the endpoint.
type apiEntry struct {
	Period      string   `json:"period"`
	Value       *float64 `json:"value"`
	Explanation string   `json:"explanation,omitempty"`
	Version     int      `json:"version,omitempty"`
}

// apiRequest is a body of one value, or of several under "values".
type apiRequest struct {
	Period      *string    `json:"period"`
	Value       *float64   `json:"value"`
	Explanation string     `json:"explanation"`
	Version     int        `json:"version"`
	Values      []apiEntry `json:"values"`
}

// apiMeasurement is a measurement as the endpoint returns it.
type apiMeasurement struct {
	ID                 int64      `json:"id"`
	Period             string     `json:"period"`
	Value              *float64   `json:"value"`
	Status             string     `json:"status"`
	Explanation        string     `json:"explanation,omitempty"`
	Source             string     `json:"source,omitempty"`
	EnteredBy          string     `json:"entered_by,omitempty"`
	EnteredAt          *time.Time `json:"entered_at,omitempty"`
	ApprovedBy         string     `json:"approved_by,omitempty"`
	ApprovedAt         *time.Time `json:"approved_at,omitempty"`
	Pending            bool       `json:"pending"`
	PendingValue       *float64   `json:"pending_value,omitempty"`
	PendingExplanation string     `json:"pending_explanation,omitempty"`
	PendingBy          string     `json:"pending_by,omitempty"`
	PendingAt          *time.Time `json:"pending_at,omitempty"`
	Version            int        `json:"version"`
}

// apiProblem is one entry's problem in a 422 answer.
type apiProblem struct {
	Index   int    `json:"index"`
	Period  string `json:"period,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

type apiError struct {
	Error  string       `json:"error"`
	Errors []apiProblem `json:"errors,omitempty"`
}

// apiJSON writes v as the answer.
func apiJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// apiActor authenticates the request's bearer token (or, without an
// Authorization header, the signed-in session). It answers 401 itself and
// returns ok false when there is none or it is refused.
func (s *Server) apiActor(w http.ResponseWriter, r *http.Request) (auth.Actor, *i18n.Localizer, bool) {
	l := localizer(r)
	h := r.Header.Get("Authorization")
	if strings.TrimSpace(h) == "" && signedIn(r) {
		// A signed-in person's browser may use the endpoint too, under the
		// same cross-origin protection as every form of the site.
		return actorOf(r), l, true
	}
	scheme, tok, found := strings.Cut(strings.TrimSpace(h), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="cadran"`)
		_ = apiJSON(w, http.StatusUnauthorized, apiError{Error: l.T("scorecard.api.error.no_token")})
		return auth.Actor{}, nil, false
	}
	a, err := s.auth.TokenActor(r.Context(), tok)
	if err != nil {
		if !errors.Is(err, apperr.ErrUnauthenticated) {
			slog.Error("cannot check token", "err", err)
			_ = apiJSON(w, http.StatusInternalServerError, apiError{Error: l.T("error.internal")})
			return auth.Actor{}, nil, false
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="cadran", error="invalid_token"`)
		_ = apiJSON(w, http.StatusUnauthorized, apiError{Error: l.T("scorecard.api.error.bad_token")})
		return auth.Actor{}, nil, false
	}
	if i18n.Supported(a.Locale) {
		l = s.i18n.Localizer(a.Locale)
	}
	return a, l, true
}

// apiFail answers a domain error of the KPI endpoints with its status and
// translated message.
func apiFail(w http.ResponseWriter, r *http.Request, l *i18n.Localizer, err error) error {
	return apiFailAs(w, r, l, err, "scorecard.api.error.no_kpi")
}

// apiFailAs answers a domain error with its status and translated message;
// notFound is the message of a missing record (another institution's
// records are missing too).
func apiFailAs(w http.ResponseWriter, r *http.Request, l *i18n.Localizer, err error, notFound string) error {
	kind := apperr.KindOf(err)
	status := errorStatus[kind]
	if status == 0 || status == http.StatusInternalServerError {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		return apiJSON(w, http.StatusInternalServerError, apiError{Error: l.T("error.internal")})
	}
	key := "error.invalid"
	var ae *apperr.Error
	switch {
	case kind == apperr.KindNotFound:
		key = notFound
	case errors.As(err, &ae) && ae.Key != "" && ae.Key != "error.forbidden":
		key = ae.Key // a refusal that says why
	case kind == apperr.KindForbidden:
		key = "api.error.forbidden"
	}
	out := apiError{Error: l.T(key)}
	if v, ok := apperr.AsValidation(err); ok {
		for f, k := range v {
			out.Errors = append(out.Errors, apiProblem{Field: f, Message: l.T(k)})
		}
		slices.SortFunc(out.Errors, func(a, b apiProblem) int { return strings.Compare(a.Field, b.Field) })
	}
	return apiJSON(w, status, out)
}

// apiStatuses judges each measurement's value against its target.
func apiMeasurements(k scorecard.KPI, ts []scorecard.Target, ms []scorecard.Measurement) []apiMeasurement {
	out := make([]apiMeasurement, 0, len(ms))
	rule := k.Rule()
	for _, m := range ms {
		am := apiMeasurement{ID: m.ID, Period: m.Period, Value: m.Value, Status: scorecard.StatusNone, Explanation: m.Explanation, Source: m.Source,
			EnteredBy: m.EnteredBy, EnteredAt: m.EnteredAt, ApprovedBy: m.ApprovedBy, ApprovedAt: m.ApprovedAt, Pending: m.Pending != nil,
			PendingValue: m.Pending, PendingExplanation: m.PendingNote, PendingBy: m.PendingBy, PendingAt: m.PendingAt, Version: m.Version}
		if p, err := scorecard.ParsePeriod(m.Period); err == nil && m.Value != nil {
			if t, ok := scorecard.TargetFor(ts, p); ok {
				am.Status = rule.Evaluate(*m.Value, t).Status
			}
		}
		out = append(out, am)
	}
	return out
}

// apiMeasurementList returns a KPI's measurements, oldest period first,
// optionally from and to period keys (both included).
func (s *Server) apiMeasurementList(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	k, err := s.scorecard.KPIByCode(ctx, a, r.PathValue("code"))
	if err != nil {
		return apiFail(w, r, l, err)
	}
	var from, to scorecard.Period
	for name, dst := range map[string]*scorecard.Period{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			p, err := scorecard.ParsePeriod(v)
			if err != nil {
				return apiJSON(w, http.StatusBadRequest, apiError{Error: l.T("scorecard.api.error.range"),
					Errors: []apiProblem{{Field: name, Message: l.T("scorecard.error.period")}}})
			}
			*dst = p
		}
	}
	ms, err := s.scorecard.Measurements(ctx, a, k.ID)
	if err != nil {
		return apiFail(w, r, l, err)
	}
	ts, err := s.scorecard.Targets(ctx, a, k.ID)
	if err != nil {
		return apiFail(w, r, l, err)
	}
	kept := ms[:0:0]
	for i := len(ms) - 1; i >= 0; i-- { // newest first from the store
		p, err := scorecard.ParsePeriod(ms[i].Period)
		if err != nil {
			continue
		}
		if !from.IsZero() && p.End().Compare(from.Start()) <= 0 || !to.IsZero() && !p.Start().Before(to.End()) {
			continue
		}
		kept = append(kept, ms[i])
	}
	return apiJSON(w, http.StatusOK, map[string]any{"kpi": k.Code, "name": k.Name, "frequency": k.Frequency, "measure_unit": k.MeasureUnit,
		"measurements": apiMeasurements(k, ts, kept)})
}

// apiMeasurementCreate records one value, or several, sent by a program.
func (s *Server) apiMeasurementCreate(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	k, err := s.scorecard.KPIByCode(ctx, a, r.PathValue("code"))
	if err != nil {
		return apiFail(w, r, l, err)
	}
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return apiFail(w, r, l, err)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, apiMaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apiJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: l.T("scorecard.api.error.too_large")})
		}
		return apiJSON(w, http.StatusBadRequest, apiError{Error: l.T("scorecard.api.error.json")})
	}
	var req apiRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		msg := l.T("scorecard.api.error.json")
		if err != nil {
			msg += " (" + err.Error() + ")"
		}
		return apiJSON(w, http.StatusBadRequest, apiError{Error: msg})
	}
	var entries []apiEntry
	switch {
	case req.Values != nil && (req.Period != nil || req.Value != nil):
		return apiJSON(w, http.StatusBadRequest, apiError{Error: l.T("scorecard.api.error.shape")})
	case req.Values != nil:
		entries = req.Values
	case req.Period != nil || req.Value != nil:
		e := apiEntry{Value: req.Value, Explanation: req.Explanation, Version: req.Version}
		if req.Period != nil {
			e.Period = *req.Period
		}
		entries = []apiEntry{e}
	}
	if len(entries) == 0 {
		return apiJSON(w, http.StatusBadRequest, apiError{Error: l.T("scorecard.api.error.shape")})
	}
	if len(entries) > 1000 {
		return apiJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: l.T("scorecard.api.error.too_many")})
	}
	var missing []apiProblem
	batch := make([]scorecard.Entry, 0, len(entries))
	for i, e := range entries {
		if e.Value == nil {
			missing = append(missing, apiProblem{Index: i, Period: e.Period, Field: "value", Message: l.T("scorecard.measure.error.value")})
			continue
		}
		batch = append(batch, scorecard.Entry{Code: k.Code, Period: e.Period, Value: *e.Value, Explanation: e.Explanation, Version: e.Version})
	}
	if len(missing) > 0 {
		return apiJSON(w, http.StatusUnprocessableEntity, apiError{Error: l.T("scorecard.api.error.entries"), Errors: missing})
	}
	out, err := s.scorecard.Record(ctx, a, scorecard.SourceAPI, batch)
	if err != nil {
		var errs scorecard.EntryErrors
		if !errors.As(err, &errs) {
			return apiFail(w, r, l, err)
		}
		res := apiError{Error: l.T("scorecard.api.error.entries")}
		stale := true
		for _, e := range errs {
			res.Errors = append(res.Errors, apiProblem{Index: e.Index, Period: e.Period, Field: e.Field, Message: l.T(e.Key)})
			stale = stale && e.Key == "error.stale"
		}
		status := http.StatusUnprocessableEntity
		if stale {
			status, res.Error = http.StatusConflict, l.T("error.stale")
		}
		return apiJSON(w, status, res)
	}
	ms, err := s.scorecard.Measurements(ctx, a, k.ID)
	if err != nil {
		return apiFail(w, r, l, err)
	}
	ts, err := s.scorecard.Targets(ctx, a, k.ID)
	if err != nil {
		return apiFail(w, r, l, err)
	}
	sent := map[string]bool{}
	for _, e := range batch {
		if p, err := scorecard.ParsePeriod(e.Period); err == nil {
			sent[p.Key()] = true
		}
	}
	var saved []scorecard.Measurement
	for i := len(ms) - 1; i >= 0; i-- {
		if sent[ms[i].Period] {
			saved = append(saved, ms[i])
		}
	}
	return apiJSON(w, http.StatusCreated, map[string]any{"kpi": k.Code, "saved": out.Saved, "pending": out.Pending, "unchanged": out.Unchanged,
		"measurements": apiMeasurements(k, ts, saved)})
}
