package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cadran/internal/textutil"
)

// sensQuerier is what the reads need: a transaction or the read pool.
type sensQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sensDay parses a YYYY-MM-DD day.
func sensDay(s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

func sensNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func sensClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// sensRotation reads the institution's rotation settings (the defaults when
// it saved none).
func sensRotation(ctx context.Context, q sensQuerier, tenant int64) (years, notice int, err error) {
	years, notice = 5, 90
	err = q.QueryRowContext(ctx, `SELECT rotation_years, rotation_notice_days FROM control_settings WHERE tenant_id = $1`, tenant).Scan(&years, &notice)
	if errors.Is(err, sql.ErrNoRows) {
		return 5, 90, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("cannot read control settings: %w", err)
	}
	return years, notice, nil
}

// sensUnitOK reports whether unit is one of the tenant's.
func sensUnitOK(ctx context.Context, q sensQuerier, tenant, unit int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&n); err != nil {
		return false, fmt.Errorf("cannot read unit: %w", err)
	}
	return n > 0, nil
}

// sensPersonOK reports whether person is an active person of the tenant.
func sensPersonOK(ctx context.Context, q sensQuerier, tenant, person int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active = $3`, tenant, person, true).Scan(&n); err != nil {
		return false, fmt.Errorf("cannot read person: %w", err)
	}
	return n > 0, nil
}

// sensUnitHead is the head of a unit: its first active person in a
// management position, else the head of the nearest unit above; 0 when
// none is known.
func sensUnitHead(ctx context.Context, q sensQuerier, tenant, unit int64) (int64, error) {
	for range 20 {
		if unit == 0 {
			return 0, nil
		}
		var id int64
		err := q.QueryRowContext(ctx, `SELECT id FROM people WHERE tenant_id = $1 AND unit_id = $2 AND active = $3 AND position = 'management'
			ORDER BY sort_name, id LIMIT 1`, tenant, unit, true).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("cannot read the head of a unit: %w", err)
		}
		var parent sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT parent_id FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&parent); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return 0, nil
			}
			return 0, fmt.Errorf("cannot read a unit: %w", err)
		}
		unit = parent.Int64
	}
	return 0, nil
}

// sensDayNumber is a day as the number YYYYMMDD, to compare with the
// rotation-date expression in SQL.
func sensDayNumber(d time.Time) int {
	return d.Year()*10000 + int(d.Month())*100 + d.Day()
}

// sensRotationExpr is a holder's rotation date as the number YYYYMMDD
// (since_on's year plus the function's max years), in SQL that runs on
// both engines; h is the holder, f the function.
const sensRotationExpr = `((CAST(SUBSTR(h.since_on, 1, 4) AS INTEGER) + f.max_years) * 10000 + CAST(SUBSTR(h.since_on, 6, 2) AS INTEGER) * 100 + CAST(SUBSTR(h.since_on, 9, 2) AS INTEGER))`

// RotationOn is the day a holder who came in on since is due for rotation
// in a function of maxYears; ok false when since is not a day.
func RotationOn(since string, maxYears int) (time.Time, bool) {
	d, ok := sensDay(since)
	if !ok {
		return time.Time{}, false
	}
	y, m, day := d.Date()
	r := time.Date(y+maxYears, m, day, 0, 0, 0, 0, time.UTC)
	if r.Day() != day { // 29 February in a common year: the last day of February
		r = time.Date(y+maxYears, m+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return r, true
}

// sensFill computes a holder's rotation date and flags on today.
func sensFill(h *Holder, rotation bool, maxYears, notice int, today time.Time) {
	since, ok := sensDay(h.SinceOn)
	if !ok {
		return
	}
	end := today
	if u, ok := sensDay(h.UntilOn); ok {
		end = u
	}
	years := end.Year() - since.Year()
	if end.Month() < since.Month() || (end.Month() == since.Month() && end.Day() < since.Day()) {
		years--
	}
	h.Years = max(0, years)
	if !rotation {
		return
	}
	r, _ := RotationOn(h.SinceOn, maxYears)
	h.RotationOn = r.Format(time.DateOnly)
	if h.Current() {
		h.Overdue = today.After(r)
		h.Notice = !h.Overdue && !today.Before(r.AddDate(0, 0, -notice))
	}
}

func sensFactors(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func sensSearch(title, description, unit string, factors []string) string {
	return textutil.Fold(strings.Join([]string{title, description, unit, strings.Join(factors, " ")}, " "))
}

func sensID(id int64) string { return strconv.FormatInt(id, 10) }
