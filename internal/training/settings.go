package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
)

// Settings are the module's settings for one institution.
type Settings struct {
	// InductionDays is how long a new employee has for the induction plan.
	InductionDays int `json:"induction_days"`
	// RenewalDays is how long before a certificate's expiry its renewal
	// task falls due, and from when it is shown as expiring.
	RenewalDays int       `json:"renewal_days"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`
}

// DefaultSettings are the settings of an institution that saved none.
var DefaultSettings = Settings{InductionDays: 30, RenewalDays: 60}

// Bounds of the settings.
const (
	MinInductionDays, MaxInductionDays = 5, 180
	MinRenewalDays, MaxRenewalDays     = 7, 365
)

// Validate checks the settings' bounds; the messages are i18n keys.
func (in Settings) Validate() error {
	v := apperr.Validation{}
	if in.InductionDays < MinInductionDays || in.InductionDays > MaxInductionDays {
		v.Add("induction_days", "traininginduction.error.induction_days")
	}
	if in.RenewalDays < MinRenewalDays || in.RenewalDays > MaxRenewalDays {
		v.Add("renewal_days", "traininginduction.error.renewal_days")
	}
	return v.Err()
}

// Settings reads the institution's settings.
func (s *Service) Settings(ctx context.Context, a auth.Actor) (Settings, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Settings{}, err
	}
	return settingsOf(ctx, s.DB.R, a.Tenant)
}

// SaveSettings changes the settings. Version is the one read (0 while the
// institution still has the defaults).
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in Settings) (Settings, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Settings{}, err
	}
	if err := in.Validate(); err != nil {
		return Settings{}, err
	}
	now := s.Clock.Now()
	var out Settings
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := settingsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if before.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO training_settings (tenant_id, induction_days, renewal_days, updated_at, version) VALUES ($1, $2, $3, $4, 1)`,
				a.Tenant, in.InductionDays, in.RenewalDays, now)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE training_settings SET induction_days = $1, renewal_days = $2, updated_at = $3, version = version + 1
				WHERE tenant_id = $4 AND version = $5`, in.InductionDays, in.RenewalDays, now, a.Tenant, in.Version)
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return apperr.Stale()
				}
			}
		}
		if err != nil {
			return fmt.Errorf("cannot save training settings: %w", err)
		}
		if out, err = settingsOf(ctx, tx, a.Tenant); err != nil {
			return err
		}
		// The first save's Before is the defaults it replaces.
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySettings, EntityID: a.Tenant,
			Summary: "training settings", Before: before, After: out})
	})
	if err != nil {
		return Settings{}, err
	}
	return out, nil
}

// settingsOf reads the settings inside a transaction or from the pool: the
// defaults (version 0) when the institution saved none.
func settingsOf(ctx context.Context, q querier, tenant int64) (Settings, error) {
	var st Settings
	err := q.QueryRowContext(ctx, `SELECT induction_days, renewal_days, updated_at, version FROM training_settings WHERE tenant_id = $1`, tenant).
		Scan(&st.InductionDays, &st.RenewalDays, &st.UpdatedAt, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("cannot read training settings: %w", err)
	}
	return st, nil
}
