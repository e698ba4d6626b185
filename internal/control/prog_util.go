package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/i18n"
	"cadran/internal/textutil"
)

// Helpers of the development programme and the control bodies (programme.go,
// actions.go, bodies.go, meetings.go).

// progQuerier is a database handle or a transaction.
type progQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Limits of the programme's and the bodies' forms.
const (
	progMaxTitle = 300
	progMaxShort = 200
	progMaxText  = 8000
	progMaxCode  = 20
)

// progToday is the civil day in Bucharest, as YYYY-MM-DD.
func progToday(now time.Time) string { return now.In(i18n.Bucharest).Format(time.DateOnly) }

// progDay parses a YYYY-MM-DD day.
func progDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return t, err == nil
}

// progCheckDay checks an optional or required day field and normalises it.
func progCheckDay(v apperr.Validation, field string, day *string, required bool) {
	*day = strings.TrimSpace(*day)
	switch {
	case *day == "" && required:
		v.Add(field, "error.required")
	case *day == "":
	default:
		t, ok := progDay(*day)
		if !ok || t.Year() < 1990 || t.Year() > 2200 {
			v.Add(field, "error.date")
			return
		}
		*day = t.Format(time.DateOnly)
	}
}

// progCheckLine cleans a one-line text and checks it.
func progCheckLine(v apperr.Validation, field string, s *string, max int, required bool) {
	*s = textutil.Clean(*s)
	switch {
	case *s == "" && required:
		v.Add(field, "error.required")
	case utf8.RuneCountInString(*s) > max:
		v.Add(field, "error.too_long")
	}
}

// progCheckText cleans a multi-line text and checks it.
func progCheckText(v apperr.Validation, field string, s *string, max int, required bool) {
	*s = textutil.CleanText(*s)
	switch {
	case *s == "" && required:
		v.Add(field, "error.required")
	case utf8.RuneCountInString(*s) > max:
		v.Add(field, "error.too_long")
	}
}

// progNull stores 0 as NULL.
func progNull(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// progPerson reads a person of the institution: their name and whether
// they are active; ok is false when the institution has no such person.
func progPerson(ctx context.Context, q progQuerier, tenant, id int64) (name string, active, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT full_name, active FROM people WHERE tenant_id = $1 AND id = $2`, tenant, id).Scan(&name, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, false, nil
	}
	if err != nil {
		return "", false, false, fmt.Errorf("cannot read person: %w", err)
	}
	return name, active, true, nil
}

// progCheckPerson refuses a person who is not the institution's.
func progCheckPerson(ctx context.Context, q progQuerier, tenant, id int64, field string) error {
	if id == 0 {
		return nil
	}
	_, _, ok, err := progPerson(ctx, q, tenant, id)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Validation{field: "error.choice"}
	}
	return nil
}

// progCheckUnit refuses a unit that is not the institution's.
func progCheckUnit(ctx context.Context, q progQuerier, tenant, id int64, field string) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, id).Scan(&n); err != nil {
		return fmt.Errorf("cannot read unit: %w", err)
	}
	if n == 0 {
		return apperr.Validation{field: "error.choice"}
	}
	return nil
}

// progClip shortens s to n characters for a task's title.
func progClip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// progIDList writes ids as an SQL list of integers.
func progIDList(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", id)
	}
	return b.String()
}
