package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Settings are an institution's coding scheme and defaults for documents.
type Settings struct {
	// CodePattern builds codes from {kind} (PO, PS, ...), {unit} (the owning
	// unit's code) and a number: {nn} (two digits), {nnn} or {n}.
	CodePattern  string `json:"code_pattern"`
	ReviewMonths int    `json:"review_months"`
	// AckDays is how long people have to confirm they read a document.
	AckDays int `json:"ack_days"`
	Version int `json:"version"`
}

// DefaultSettings are used until the institution saves its own.
var DefaultSettings = Settings{CodePattern: "{kind}-{unit}-{nn}", ReviewMonths: 12, AckDays: 10}

var numberToken = regexp.MustCompile(`\{n+\}`)

// Validate checks and normalises the settings.
func (s *Settings) Validate() error {
	v := apperr.Validation{}
	s.CodePattern = textutil.Clean(s.CodePattern)
	switch {
	case s.CodePattern == "":
		v.Add("code_pattern", "error.required")
	case utf8.RuneCountInString(s.CodePattern) > MaxCode:
		v.Add("code_pattern", "error.too_long")
	case len(numberToken.FindAllString(s.CodePattern, -1)) != 1:
		v.Add("code_pattern", "documents.error.pattern_number")
	}
	if s.ReviewMonths < 1 || s.ReviewMonths > 60 {
		v.Add("review_months", "documents.error.review_months")
	}
	if s.AckDays < 1 || s.AckDays > 90 {
		v.Add("ack_days", "documents.error.ack_days")
	}
	return v.Err()
}

func (s *Service) settings(ctx context.Context, q querier, tenant int64) (Settings, error) {
	st := DefaultSettings
	err := q.QueryRowContext(ctx, `SELECT code_pattern, review_months, ack_days, version FROM document_settings WHERE tenant_id = $1`, tenant).
		Scan(&st.CodePattern, &st.ReviewMonths, &st.AckDays, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("cannot read document settings: %w", err)
	}
	return st, nil
}

// Settings returns the actor's institution's document settings.
func (s *Service) Settings(ctx context.Context, a auth.Actor) (Settings, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return Settings{}, err
	}
	return s.settings(ctx, s.DB.R, a.Tenant)
}

// SaveSettings changes the coding scheme and defaults; a stale Version is refused.
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in Settings) (Settings, error) {
	if err := a.Require(auth.PermDocsManage); err != nil {
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
		if before.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO document_settings (tenant_id, code_pattern, review_months, ack_days, updated_at, version) VALUES ($1, $2, $3, $4, $5, 1)`,
				a.Tenant, in.CodePattern, in.ReviewMonths, in.AckDays, now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE document_settings SET code_pattern = $1, review_months = $2, ack_days = $3, updated_at = $4, version = version + 1 WHERE tenant_id = $5`,
				in.CodePattern, in.ReviewMonths, in.AckDays, now, a.Tenant)
		}
		if err != nil {
			return fmt.Errorf("cannot save document settings: %w", err)
		}
		if out, err = s.settings(ctx, tx, a.Tenant); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "document_settings", EntityID: a.Tenant, Before: before, After: out})
	})
	return out, err
}

// codePrefix fills the pattern's kind and unit; the number token is left for
// NextCode. A unit-less document drops the unit and its separator.
func codePrefix(pattern, kind, unitCode string) (prefix, suffix string, width int) {
	p := strings.ReplaceAll(pattern, "{kind}", KindCode(kind))
	if unitCode == "" {
		p = strings.NewReplacer("{unit}-", "", "-{unit}", "", "{unit}/", "", "/{unit}", "", "{unit}.", "", "{unit}", "").Replace(p)
	} else {
		p = strings.ReplaceAll(p, "{unit}", unitCode)
	}
	loc := numberToken.FindStringIndex(p)
	if loc == nil {
		return p, "", 0
	}
	width = loc[1] - loc[0] - 2
	if width == 1 {
		width = 0
	}
	return p[:loc[0]], p[loc[1]:], width
}

// NextCode proposes the next free code for a new document of kind in unit,
// following the institution's pattern: one more than the highest number in
// use with the same prefix and suffix.
func (s *Service) NextCode(ctx context.Context, a auth.Actor, kind string, unitID int64) (string, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return "", err
	}
	return s.nextCode(ctx, s.DB.R, a.Tenant, kind, unitID)
}

func (s *Service) nextCode(ctx context.Context, q querier, tenant int64, kind string, unitID int64) (string, error) {
	st, err := s.settings(ctx, q, tenant)
	if err != nil {
		return "", err
	}
	unitCode := ""
	if unitID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT code FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unitID).Scan(&unitCode); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return "", apperr.Validation{"unit_id": "error.choice"}
			}
			return "", fmt.Errorf("cannot read unit: %w", err)
		}
	}
	prefix, suffix, width := codePrefix(st.CodePattern, kind, strings.ToUpper(unitCode))
	rows, err := q.QueryContext(ctx, `SELECT code FROM documents WHERE tenant_id = $1 AND code LIKE $2 ESCAPE '\'`, tenant, db.LikePrefix(prefix))
	if err != nil {
		return "", fmt.Errorf("cannot read document codes: %w", err)
	}
	defer rows.Close()
	highest := 0
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return "", fmt.Errorf("cannot read document codes: %w", err)
		}
		rest, ok := strings.CutPrefix(code, prefix)
		if !ok {
			continue
		}
		if rest, ok = strings.CutSuffix(rest, suffix); !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n > highest {
			highest = n
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("cannot read document codes: %w", err)
	}
	return fmt.Sprintf("%s%0*d%s", prefix, width, highest+1, suffix), nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
