package work

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
)

// Feed is the state of a person's calendar address. The token itself is
// shown once, when it is made; only its SHA-256 is kept.
type Feed struct {
	Active     bool
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Feed returns the state of the actor's calendar address.
func (s *Service) Feed(ctx context.Context, a auth.Actor) (Feed, error) {
	var f Feed
	var used sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT created_at, last_used_at FROM calendar_feeds WHERE tenant_id = $1 AND user_id = $2`, a.Tenant, a.UserID).Scan(&f.CreatedAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("cannot read calendar address: %w", err)
	}
	f.Active = true
	if used.Valid {
		f.LastUsedAt = &used.Time
	}
	return f, nil
}

// NewFeed makes a new secret calendar address for the actor and returns its
// token; an older address stops working.
func (s *Service) NewFeed(ctx context.Context, a auth.Actor) (string, error) {
	if a.UserID == 0 {
		return "", apperr.Forbidden("calendar")
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("cannot make calendar token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.Clock.Now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (user_id, tenant_id, token_hash, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, last_used_at = NULL`,
			a.UserID, a.Tenant, hashToken(token), now); err != nil {
			return fmt.Errorf("cannot save calendar address: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "calendar_feed", EntityID: a.UserID, Summary: a.Name})
	})
	return token, err
}

// RevokeFeed stops the actor's calendar address.
func (s *Service) RevokeFeed(ctx context.Context, a auth.Actor) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE tenant_id = $1 AND user_id = $2`, a.Tenant, a.UserID)
		if err != nil {
			return fmt.Errorf("cannot revoke calendar address: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "calendar_feed", EntityID: a.UserID, Summary: a.Name})
	})
}

// FeedUser returns the user whose calendar token this is, and notes when the
// feed was last read (at most once an hour, so a client polling every minute
// does not write every minute). An unknown token is not found.
func (s *Service) FeedUser(ctx context.Context, token string) (int64, error) {
	if len(token) < 20 || len(token) > 100 {
		return 0, apperr.NotFound("calendar")
	}
	h := hashToken(token)
	var uid int64
	var used sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT user_id, last_used_at FROM calendar_feeds WHERE token_hash = $1`, h).Scan(&uid, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.NotFound("calendar")
	}
	if err != nil {
		return 0, fmt.Errorf("cannot read calendar address: %w", err)
	}
	now := s.Clock.Now()
	if !used.Valid || now.Sub(used.Time) > time.Hour {
		if _, err := s.DB.W.ExecContext(ctx, `UPDATE calendar_feeds SET last_used_at = $1 WHERE token_hash = $2`, now, h); err != nil {
			return 0, fmt.Errorf("cannot note calendar use: %w", err)
		}
	}
	return uid, nil
}

// Mine returns the actor's open tasks, soonest first.
func (s *Service) Mine(ctx context.Context, a auth.Actor) ([]Task, error) {
	v, err := s.viewer(ctx, s.DB.R, a)
	if err != nil {
		return nil, err
	}
	return s.mine(ctx, s.DB.R, v)
}
