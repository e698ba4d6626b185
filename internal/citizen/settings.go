package citizen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
)

// DefaultSettings are an institution's settings until it saves its own:
// deadlines move off days off, and the public pages are open. Version 0
// means never saved.
func DefaultSettings(tenant int64) Settings {
	return Settings{Tenant: tenant, ShiftToWorking: true, PublicEnabled: true}
}

func settingsOf(ctx context.Context, q querier, tenant int64) (Settings, error) {
	st := DefaultSettings(tenant)
	var from, to string
	err := q.QueryRowContext(ctx, `SELECT shift_to_working, public_enabled, baseline_from, baseline_to, contact, version
		FROM citizen_settings WHERE tenant_id = $1`, tenant).Scan(&st.ShiftToWorking, &st.PublicEnabled, &from, &to, &st.Contact, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("cannot read citizen services settings: %w", err)
	}
	st.BaselineFrom, st.BaselineTo = parseDay(from), parseDay(to)
	return st, nil
}

// SettingsOf reads an institution's settings (the defaults when never
// saved); the public pages read them with no one signed in.
func (s *Service) SettingsOf(ctx context.Context, tenant int64) (Settings, error) {
	return settingsOf(ctx, s.DB.R, tenant)
}

// Validate checks the settings: a baseline needs both ends, in order.
func (in *Settings) Validate() error {
	v := apperr.Validation{}
	in.Contact = textutil.CleanText(in.Contact)
	if utf8.RuneCountInString(in.Contact) > MaxComment {
		v.Add(FieldContact, "error.too_long")
	}
	in.BaselineFrom, in.BaselineTo = day0(in.BaselineFrom), day0(in.BaselineTo)
	switch {
	case in.BaselineFrom.IsZero() != in.BaselineTo.IsZero():
		if in.BaselineFrom.IsZero() {
			v.Add(FieldBaselineFrom, "error.required")
		} else {
			v.Add(FieldBaselineTo, "error.required")
		}
	case in.BaselineTo.Before(in.BaselineFrom):
		v.Add(FieldBaselineTo, "citizen.reg.error.period_order")
	}
	return v.Err()
}

// day0 is day(t), keeping the zero time zero.
func day0(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return day(t)
}

// SaveSettings changes the settings (PermCitizenManage); in.Version is the
// version read (0 when they were never saved), and a stale one is refused.
// A new ShiftToWorking applies to cases registered or extended from then
// on; deadlines already computed stay as they are.
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in Settings) (Settings, error) {
	if err := a.Require(auth.PermCitizenManage); err != nil {
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
		args := []any{a.Tenant, in.ShiftToWorking, in.PublicEnabled, dayText(in.BaselineFrom), dayText(in.BaselineTo), in.Contact, now}
		var res sql.Result
		if before.Version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO citizen_settings (tenant_id, shift_to_working, public_enabled, baseline_from, baseline_to, contact, updated_at, version)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 1) ON CONFLICT (tenant_id) DO NOTHING`, args...)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE citizen_settings SET shift_to_working = $2, public_enabled = $3, baseline_from = $4, baseline_to = $5,
				contact = $6, updated_at = $7, version = version + 1 WHERE tenant_id = $1 AND version = $8`, append(args, in.Version)...)
		}
		if err != nil {
			return fmt.Errorf("cannot save citizen services settings: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if out, err = settingsOf(ctx, tx, a.Tenant); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySettings, EntityID: a.Tenant,
			Summary: "citizen", Before: before, After: out})
	})
	return out, err
}
