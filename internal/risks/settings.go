package risks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
)

// Settings are an institution's risk scale: its size and level labels, the
// tolerance threshold, the exposure bands and their colours, and how often
// risks are reviewed.
type Settings struct {
	// Scale is 5 (5×5, exposure 1–25) or 3 (3×3, exposure 1–9).
	Scale int `json:"scale"`
	// PLabels and ILabels name the probability and impact levels, lowest
	// first, one per level.
	PLabels []string `json:"p_labels"`
	ILabels []string `json:"i_labels"`
	// Tolerance: a risk whose exposure is strictly above it is above
	// tolerance.
	Tolerance int `json:"tolerance"`
	// BandLow and BandMedium are the highest exposures of the low and medium
	// bands; above BandMedium is high.
	BandLow    int `json:"band_low"`
	BandMedium int `json:"band_medium"`
	// Colours of the bands, #rrggbb. For opportunities the order is
	// reversed: a high score is good news.
	ColorLow    string `json:"color_low"`
	ColorMedium string `json:"color_medium"`
	ColorHigh   string `json:"color_high"`
	// ReviewMonths is the interval between reviews of a risk.
	ReviewMonths int `json:"review_months"`
	Version      int `json:"version"`
}

// Default labels of the two scales (DOMAIN.md, OSGG practice).
var (
	DefaultPLabels5 = []string{"rar", "puțin probabil", "posibil", "foarte probabil", "aproape sigur"}
	DefaultILabels5 = []string{"nesemnificativ", "minor", "moderat", "major", "critic"}
	DefaultPLabels3 = []string{"scăzută", "medie", "ridicată"}
	DefaultILabels3 = []string{"scăzut", "mediu", "ridicat"}
)

// Defaults returns the settings an institution has until it saves its own,
// for a scale of 5 or 3: tolerance 8 on 5×5 (bands 1–4 low, 5–8 medium,
// 9–25 high) and 4 on 3×3 (1–2, 3–4, 6–9), so that by default "high" and
// "above tolerance" are the same cells; a review every 6 months.
func Defaults(scale int) Settings {
	if scale == 3 {
		return Settings{Scale: 3, PLabels: DefaultPLabels3, ILabels: DefaultILabels3, Tolerance: 4, BandLow: 2, BandMedium: 4,
			ColorLow: "#c8e6c9", ColorMedium: "#ffe082", ColorHigh: "#ef9a9a", ReviewMonths: 6}
	}
	return Settings{Scale: 5, PLabels: DefaultPLabels5, ILabels: DefaultILabels5, Tolerance: 8, BandLow: 4, BandMedium: 8,
		ColorLow: "#c8e6c9", ColorMedium: "#ffe082", ColorHigh: "#ef9a9a", ReviewMonths: 6}
}

var colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Validate checks and normalises the settings.
func (s *Settings) Validate() error {
	v := apperr.Validation{}
	if s.Scale != 3 && s.Scale != 5 {
		v.Add("risk_scale", "error.choice")
		return v.Err()
	}
	top := s.Scale * s.Scale
	for name, labels := range map[string][]string{"risk_p_labels": s.PLabels, "risk_i_labels": s.ILabels} {
		if len(labels) != s.Scale {
			v.Add(name, "risks.error.labels")
			continue
		}
		for i := range labels {
			labels[i] = textutil.Clean(labels[i])
			if labels[i] == "" || utf8.RuneCountInString(labels[i]) > 60 {
				v.Add(name, "risks.error.labels")
			}
		}
	}
	if s.Tolerance < 1 || s.Tolerance >= top {
		v.Add("risk_tolerance", "risks.error.tolerance")
	}
	if s.BandLow < 1 || s.BandMedium <= s.BandLow || s.BandMedium >= top {
		v.Add("risk_bands", "risks.error.bands")
	}
	for name, c := range map[string]*string{"risk_color_low": &s.ColorLow, "risk_color_medium": &s.ColorMedium, "risk_color_high": &s.ColorHigh} {
		*c = strings.ToLower(strings.TrimSpace(*c))
		if !colorRe.MatchString(*c) {
			v.Add(name, "risks.error.color")
		}
	}
	if s.ReviewMonths < 1 || s.ReviewMonths > 24 {
		v.Add("risk_review_months", "risks.error.review_months")
	}
	return v.Err()
}

// Band returns "low", "medium" or "high" for an exposure.
func (s Settings) Band(e int) string {
	switch {
	case e <= s.BandLow:
		return "low"
	case e <= s.BandMedium:
		return "medium"
	}
	return "high"
}

// Color is the colour of an exposure's cell for kind: opportunities take
// the colours in reverse, a high score being good news.
func (s Settings) Color(kind string, e int) string {
	band := s.Band(e)
	if kind == KindOpportunity {
		switch band {
		case "low":
			band = "high"
		case "high":
			band = "low"
		}
	}
	switch band {
	case "low":
		return s.ColorLow
	case "medium":
		return s.ColorMedium
	}
	return s.ColorHigh
}

// AboveTolerance reports whether a risk's current exposure is above the
// tolerance (never for an opportunity).
func (s Settings) AboveTolerance(r Risk) bool {
	return r.Kind == KindRisk && r.CurE > s.Tolerance
}

// PLabel and ILabel name a level on a given scale: the institution's labels
// on its own scale, the defaults for entries scored on the other one.
func (s Settings) PLabel(scale, level int) string {
	return s.label(scale, level, s.PLabels, DefaultPLabels3, DefaultPLabels5)
}
func (s Settings) ILabel(scale, level int) string {
	return s.label(scale, level, s.ILabels, DefaultILabels3, DefaultILabels5)
}

func (s Settings) label(scale, level int, own, d3, d5 []string) string {
	labels := own
	if scale != s.Scale {
		labels = d5
		if scale == 3 {
			labels = d3
		}
	}
	if level < 1 || level > len(labels) {
		return ""
	}
	return labels[level-1]
}

func (s *Service) settings(ctx context.Context, q querier, tenant int64) (Settings, error) {
	var st Settings
	var pl, il string
	err := q.QueryRowContext(ctx, `SELECT scale, p_labels, i_labels, tolerance, band_low, band_medium, color_low, color_medium, color_high, review_months, version
		FROM risk_settings WHERE tenant_id = $1`, tenant).
		Scan(&st.Scale, &pl, &il, &st.Tolerance, &st.BandLow, &st.BandMedium, &st.ColorLow, &st.ColorMedium, &st.ColorHigh, &st.ReviewMonths, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return Defaults(5), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("cannot read risk settings: %w", err)
	}
	st.PLabels, st.ILabels = strings.Split(pl, "\n"), strings.Split(il, "\n")
	return st, nil
}

// Settings returns the actor's institution's risk scale.
func (s *Service) Settings(ctx context.Context, a auth.Actor) (Settings, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return Settings{}, err
	}
	return s.settings(ctx, s.DB.R, a.Tenant)
}

// SaveSettings changes the scale, labels, tolerance, bands and review
// interval; a stale Version is refused. The scale does not change while
// proposed or active entries are scored on the old one: their scores would
// silently mean something else. They are closed, or rescored one by one on
// the new scale (an edit), first. Closed entries of past years keep the
// scale they were scored on and are shown with its default labels.
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in Settings) (Settings, error) {
	if err := a.Require(auth.PermRisksManage); err != nil {
		return Settings{}, err
	}
	if err := in.Validate(); err != nil {
		return Settings{}, err
	}
	now := s.Clock.Now()
	var out Settings
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.settings(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.Scale != before.Scale {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND scale <> $2 AND state IN ($3, $4)`,
				a.Tenant, in.Scale, StateProposed, StateActive).Scan(&n); err != nil {
				return fmt.Errorf("cannot check risk scores: %w", err)
			}
			if n > 0 {
				return apperr.Validation{"risk_scale": "risks.error.scale_in_use"}
			}
		}
		pl, il := strings.Join(in.PLabels, "\n"), strings.Join(in.ILabels, "\n")
		if before.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO risk_settings (tenant_id, scale, p_labels, i_labels, tolerance, band_low, band_medium, color_low, color_medium, color_high, review_months, updated_at, version)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)`,
				a.Tenant, in.Scale, pl, il, in.Tolerance, in.BandLow, in.BandMedium, in.ColorLow, in.ColorMedium, in.ColorHigh, in.ReviewMonths, now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE risk_settings SET scale = $1, p_labels = $2, i_labels = $3, tolerance = $4, band_low = $5, band_medium = $6,
				color_low = $7, color_medium = $8, color_high = $9, review_months = $10, updated_at = $11, version = version + 1 WHERE tenant_id = $12`,
				in.Scale, pl, il, in.Tolerance, in.BandLow, in.BandMedium, in.ColorLow, in.ColorMedium, in.ColorHigh, in.ReviewMonths, now, a.Tenant)
		}
		if err != nil {
			return fmt.Errorf("cannot save risk settings: %w", err)
		}
		if out, err = s.settings(ctx, tx, a.Tenant); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "risk_settings", EntityID: a.Tenant, Before: before, After: out})
	})
	return out, err
}
