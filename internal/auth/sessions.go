package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"cadran/internal/db"
)

// SessionStore keeps scs sessions in the sessions table, so any server of a
// deployment can serve any request. It implements scs.CtxStore. Expiry times
// come from scs, which reads the wall clock, so the store compares them with
// the wall clock too rather than with the application's injectable clock.
type SessionStore struct {
	DB *db.DB
}

func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.DB.R.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, time.Now().UTC()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot read session: %w", err)
	}
	return data, true, nil
}

func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UTC())
	if err != nil {
		return fmt.Errorf("cannot save session: %w", err)
	}
	return nil
}

func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("cannot delete session: %w", err)
	}
	return nil
}

// The context-free methods satisfy scs.Store; scs prefers the Ctx ones.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// Cleanup deletes expired sessions and stale sign-in counters every interval
// until ctx ends.
func (s *SessionStore) Cleanup(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := time.Now().UTC()
			if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE expiry < $1`, now); err != nil && ctx.Err() == nil {
				slog.Error("cannot delete expired sessions", "err", err)
			}
			if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM login_attempts WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)`, now.Add(-failureWindow), now); err != nil && ctx.Err() == nil {
				slog.Error("cannot delete stale sign-in counters", "err", err)
			}
		}
	}
}
