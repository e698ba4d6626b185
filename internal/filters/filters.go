// Package filters keeps the filters people save on lists (the open
// nonconformities of my unit, the risks above tolerance): a name and the
// list's query string, per person and list.
package filters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Saved is one saved filter.
type Saved struct {
	ID        int64     `json:"id"`
	List      string    `json:"list"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"created_at"`
}

// Limits.
const (
	MaxName     = 80
	MaxQuery    = 2000
	MaxPerList  = 30
	maxListName = 40
)

// Service stores saved filters.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

// Input is a filter to save.
type Input struct {
	List  string // the list's key, such as "risks" or "nonconformities"
	Name  string
	Query string // the list's query string; page and sort-independent keys are kept as given
}

// Validate checks and normalises the input. The query keeps only
// parameters with a value and never the page number.
func (in *Input) Validate() error {
	v := apperr.Validation{}
	in.Name = textutil.Clean(in.Name)
	switch {
	case in.Name == "":
		v.Add("name", "error.required")
	case utf8.RuneCountInString(in.Name) > MaxName:
		v.Add("name", "error.too_long")
	}
	if in.List == "" || len(in.List) > maxListName || strings.ContainsAny(in.List, "/?& ") {
		v.Add("list", "error.choice")
	}
	q, err := url.ParseQuery(strings.TrimPrefix(in.Query, "?"))
	if err != nil || len(in.Query) > MaxQuery {
		v.Add("query", "filters.error.query")
	} else {
		q.Del("page")
		for k, vals := range q {
			if len(vals) == 0 || (len(vals) == 1 && strings.TrimSpace(vals[0]) == "") {
				q.Del(k)
			}
		}
		if len(q) == 0 {
			v.Add("query", "filters.error.empty")
		}
		in.Query = q.Encode()
	}
	return v.Err()
}

// List returns the actor's saved filters of list, by name.
func (s *Service) List(ctx context.Context, a auth.Actor, list string) ([]Saved, error) {
	if a.UserID == 0 {
		return nil, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, list, name, query, created_at FROM saved_filters
		WHERE tenant_id = $1 AND user_id = $2 AND list = $3 ORDER BY name`, a.Tenant, a.UserID, list)
	if err != nil {
		return nil, fmt.Errorf("cannot list saved filters: %w", err)
	}
	defer rows.Close()
	var out []Saved
	for rows.Next() {
		var f Saved
		if err := rows.Scan(&f.ID, &f.List, &f.Name, &f.Query, &f.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot list saved filters: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Save keeps a filter for the actor; a filter of the same name on the same
// list is replaced.
func (s *Service) Save(ctx context.Context, a auth.Actor, in Input) (Saved, error) {
	if a.UserID == 0 {
		return Saved{}, apperr.Forbidden("filters.save")
	}
	if err := in.Validate(); err != nil {
		return Saved{}, err
	}
	now := s.Clock.Now()
	var f Saved
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM saved_filters WHERE tenant_id = $1 AND user_id = $2 AND list = $3 AND name <> $4`,
			a.Tenant, a.UserID, in.List, in.Name).Scan(&n); err != nil {
			return fmt.Errorf("cannot save filter: %w", err)
		}
		if n >= MaxPerList {
			return apperr.Validation{"name": "filters.error.too_many"}
		}
		var before *Saved
		var old Saved
		err := tx.QueryRowContext(ctx, `SELECT id, list, name, query, created_at FROM saved_filters WHERE tenant_id = $1 AND user_id = $2 AND list = $3 AND name = $4`,
			a.Tenant, a.UserID, in.List, in.Name).Scan(&old.ID, &old.List, &old.Name, &old.Query, &old.CreatedAt)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("cannot save filter: %w", err)
		default:
			before = &old
		}
		action := audit.ActionCreate
		if before == nil {
			err = tx.QueryRowContext(ctx, `INSERT INTO saved_filters (tenant_id, user_id, list, name, query, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				a.Tenant, a.UserID, in.List, in.Name, in.Query, now).Scan(&f.ID)
		} else {
			action = audit.ActionUpdate
			f.ID = before.ID
			_, err = tx.ExecContext(ctx, `UPDATE saved_filters SET query = $1 WHERE id = $2 AND tenant_id = $3`, in.Query, before.ID, a.Tenant)
		}
		if err != nil {
			return fmt.Errorf("cannot save filter: %w", err)
		}
		f.List, f.Name, f.Query, f.CreatedAt = in.List, in.Name, in.Query, now
		if before != nil {
			f.CreatedAt = before.CreatedAt
		}
		ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: "saved_filter", EntityID: f.ID, Summary: in.List + ": " + in.Name, After: f}
		if before != nil {
			ev.Before = before
		}
		return audit.Record(ctx, tx, now, ev)
	})
	return f, err
}

// Delete removes one of the actor's saved filters and returns it (its list
// says where to go back to).
func (s *Service) Delete(ctx context.Context, a auth.Actor, id int64) (Saved, error) {
	var f Saved
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, list, name, query, created_at FROM saved_filters WHERE tenant_id = $1 AND user_id = $2 AND id = $3`,
			a.Tenant, a.UserID, id).Scan(&f.ID, &f.List, &f.Name, &f.Query, &f.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("saved_filter")
		}
		if err != nil {
			return fmt.Errorf("cannot delete filter: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM saved_filters WHERE id = $1 AND tenant_id = $2`, id, a.Tenant); err != nil {
			return fmt.Errorf("cannot delete filter: %w", err)
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "saved_filter", EntityID: id, Summary: f.List + ": " + f.Name, Before: f})
	})
	return f, err
}
