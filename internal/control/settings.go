package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
)

// Settings are an institution's choices (DOMAIN.md defaults).
type Settings struct {
	ConformMin         int       `json:"conform_min"`          // 16
	PartialMin         int       `json:"partial_min"`          // 13
	ReportDue          string    `json:"report_due"`           // "02-20": MM-DD of the following year
	AnswerDays         int       `json:"answer_days"`          // 30
	RotationYears      int       `json:"rotation_years"`       // 5
	RotationNoticeDays int       `json:"rotation_notice_days"` // 90
	UpdatedAt          time.Time `json:"-"`
	Version            int       `json:"version"` // 0: never saved, the defaults
}

// DefaultSettings are the settings of an institution that saved none.
func DefaultSettings() Settings {
	return Settings{ConformMin: 16, PartialMin: 13, ReportDue: "02-20", AnswerDays: 30, RotationYears: 5, RotationNoticeDays: 90}
}

// Bounds of the settings.
const (
	MaxAnswerDays         = 120
	MaxRotationYears      = 10
	MaxRotationNoticeDays = 365
)

// Validate checks the settings' bounds. The fields are the form's:
// conform_min, partial_min, report_due, answer_days, rotation_years,
// rotation_notice_days; the messages are i18n keys.
func (in *Settings) Validate() error {
	v := apperr.Validation{}
	in.ReportDue = strings.TrimSpace(in.ReportDue)
	if in.ConformMin < 1 || in.ConformMin > 16 {
		v.Add("conform_min", "control.settings.error.conform_min")
	}
	if in.PartialMin < 1 || in.PartialMin > max(in.ConformMin, 1) || in.PartialMin > 16 {
		v.Add("partial_min", "control.settings.error.partial_min")
	}
	if _, ok := reportDueDay(in.ReportDue, 2001); !ok {
		v.Add("report_due", "control.settings.error.report_due")
	}
	if in.AnswerDays < 1 || in.AnswerDays > MaxAnswerDays {
		v.Add("answer_days", "control.settings.error.answer_days")
	}
	if in.RotationYears < 1 || in.RotationYears > MaxRotationYears {
		v.Add("rotation_years", "control.settings.error.rotation_years")
	}
	if in.RotationNoticeDays < 0 || in.RotationNoticeDays > MaxRotationNoticeDays {
		v.Add("rotation_notice_days", "control.settings.error.rotation_notice_days")
	}
	return v.Err()
}

// reportDueDay is the day mmdd ("02-20") of year; 29 February is refused,
// since the deadline must exist every year.
func reportDueDay(mmdd string, year int) (time.Time, bool) {
	if len(mmdd) != 5 || mmdd[2] != '-' {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, "2001-"+mmdd)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(year, d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), true
}

// ReportDueOn is the yearly report's deadline for the evaluation of year:
// the settings' MM-DD of the following year.
func (st Settings) ReportDueOn(year int) time.Time {
	d, ok := reportDueDay(st.ReportDue, year+1)
	if !ok {
		d, _ = reportDueDay(DefaultSettings().ReportDue, year+1)
	}
	return d
}

// Settings returns the institution's settings.
func (s *Service) Settings(ctx context.Context, a auth.Actor) (Settings, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Settings{}, err
	}
	return evalSettingsOf(ctx, s.DB.R, a.Tenant)
}

// SaveSettings changes the settings. Version is the one read (0 while the
// institution still has the defaults).
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in Settings) (Settings, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Settings{}, err
	}
	if err := in.Validate(); err != nil {
		return Settings{}, err
	}
	now := s.Clock.Now()
	var out Settings
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := evalSettingsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if before.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO control_settings (tenant_id, conform_min, partial_min, report_due, answer_days, rotation_years,
					rotation_notice_days, updated_at, version)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)`,
				a.Tenant, in.ConformMin, in.PartialMin, in.ReportDue, in.AnswerDays, in.RotationYears, in.RotationNoticeDays, now)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE control_settings SET conform_min = $1, partial_min = $2, report_due = $3, answer_days = $4,
					rotation_years = $5, rotation_notice_days = $6, updated_at = $7, version = version + 1
				WHERE tenant_id = $8 AND version = $9`,
				in.ConformMin, in.PartialMin, in.ReportDue, in.AnswerDays, in.RotationYears, in.RotationNoticeDays, now, a.Tenant, in.Version)
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return apperr.Stale()
				}
			}
		}
		if err != nil {
			return fmt.Errorf("cannot save control settings: %w", err)
		}
		if out, err = evalSettingsOf(ctx, tx, a.Tenant); err != nil {
			return err
		}
		// The first save's Before is the defaults it replaces.
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySettings,
			EntityID: a.Tenant, Summary: "control settings", Before: before, After: out})
	})
	if err != nil {
		return Settings{}, err
	}
	return out, nil
}

// evalSettingsOf reads the settings inside a transaction or from the pool:
// the defaults (version 0) when the institution saved none.
func evalSettingsOf(ctx context.Context, q evalQuerier, tenant int64) (Settings, error) {
	var st Settings
	err := q.QueryRowContext(ctx, `SELECT conform_min, partial_min, report_due, answer_days, rotation_years, rotation_notice_days, updated_at, version
		FROM control_settings WHERE tenant_id = $1`, tenant).
		Scan(&st.ConformMin, &st.PartialMin, &st.ReportDue, &st.AnswerDays, &st.RotationYears, &st.RotationNoticeDays, &st.UpdatedAt, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("cannot read control settings: %w", err)
	}
	return st, nil
}
