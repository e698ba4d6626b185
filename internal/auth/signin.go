package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
)

// Throttling of failed sign-ins, kept in the database so that every server
// of a deployment sees the same counts.
const (
	userFailureLimit = 5
	ipFailureLimit   = 30
	failureWindow    = 15 * time.Minute
	lockDuration     = 15 * time.Minute
)

// ErrBadCredentials is the one answer for an unknown user, a wrong password or
// a disabled account, so that none of them can be told apart.
var ErrBadCredentials = &apperr.Error{Kind: apperr.KindUnauthenticated, Key: "login.error.credentials"}

// Authenticate checks a username and password from a client at ip. It
// refuses while either the username or the address is locked out.
func (s *Service) Authenticate(ctx context.Context, username, password, ip string) (User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.Clock.Now()
	keys := []string{"user:" + username, "ip:" + ip}
	for _, k := range keys {
		if until, locked, err := s.lockedUntil(ctx, k, now); err != nil {
			return User{}, err
		} else if locked {
			mins := int(math.Ceil(until.Sub(now).Minutes()))
			return User{}, &apperr.Error{Kind: apperr.KindTooManyRequests, Key: "login.error.throttled", Args: map[string]any{"Minutes": mins}}
		}
	}
	u, err := scanUser(s.DB.R.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, username))
	if errors.Is(err, sql.ErrNoRows) {
		_, _ = CheckPassword(dummyHash, password)
		return User{}, s.fail(ctx, keys, now)
	}
	if err != nil {
		return User{}, fmt.Errorf("cannot read user: %w", err)
	}
	ok, err := CheckPassword(u.passwordHash, password)
	if err != nil {
		return User{}, fmt.Errorf("cannot check password of %s: %w", username, err)
	}
	if !ok || u.Disabled {
		return User{}, s.fail(ctx, keys, now)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = $1`, keys[0]); err != nil {
			return fmt.Errorf("cannot clear sign-in failures: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, now, u.ID); err != nil {
			return fmt.Errorf("cannot record sign-in: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: u.Tenant, Actor: audit.Actor{ID: u.ID, Name: u.DisplayName}, Action: audit.ActionLogin, Entity: "user", EntityID: u.ID, Summary: u.Username})
	})
	if err != nil {
		return User{}, err
	}
	u.LastLoginAt = &now
	return u, loadRoles(ctx, s.DB.R, []*User{&u})
}

func (s *Service) lockedUntil(ctx context.Context, key string, now time.Time) (time.Time, bool, error) {
	var until sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT locked_until FROM login_attempts WHERE key = $1`, key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("cannot read sign-in failures: %w", err)
	}
	return until.Time, until.Valid && until.Time.After(now), nil
}

// fail counts a failure against each key and locks those over their limit.
func (s *Service) fail(ctx context.Context, keys []string, now time.Time) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			limit := userFailureLimit
			if strings.HasPrefix(k, "ip:") {
				limit = ipFailureLimit
			}
			// A window that has run out starts again at this failure.
			var failures int
			err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (key, failures, window_start) VALUES ($1, 1, $2)
				ON CONFLICT (key) DO UPDATE SET
				  failures = CASE WHEN login_attempts.window_start < $3 THEN 1 ELSE login_attempts.failures + 1 END,
				  window_start = CASE WHEN login_attempts.window_start < $3 THEN $2 ELSE login_attempts.window_start END
				RETURNING failures`, k, now, now.Add(-failureWindow)).Scan(&failures)
			if err != nil {
				return fmt.Errorf("cannot count sign-in failure: %w", err)
			}
			if failures >= limit {
				if _, err := tx.ExecContext(ctx, `UPDATE login_attempts SET locked_until = $1, failures = 0, window_start = $2 WHERE key = $3`, now.Add(lockDuration), now, k); err != nil {
					return fmt.Errorf("cannot lock sign-in: %w", err)
				}
				slog.Warn("sign-in locked after repeated failures", "key", k, "minutes", int(lockDuration.Minutes()))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ErrBadCredentials
}

// RecordLogout writes the sign-out to the actor's institution's trail.
func (s *Service) RecordLogout(ctx context.Context, a Actor) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionLogout, Entity: "user", EntityID: a.UserID, Summary: a.Username})
	})
}

// ActorFor loads the actor of a signed-in session. A session made before the
// user's last password change or disabling carries an older epoch and is
// refused.
func (s *Service) ActorFor(ctx context.Context, userID int64, epoch int) (Actor, error) {
	u, err := s.activeUser(ctx, userID)
	if err != nil {
		return Actor{}, err
	}
	if u.sessionEpoch != epoch {
		return Actor{}, apperr.ErrUnauthenticated
	}
	return u.Actor(), nil
}

// ActorByID returns an enabled user as an actor, for work done on their
// behalf without a session: their calendar feed, their daily digest.
func (s *Service) ActorByID(ctx context.Context, userID int64) (Actor, error) {
	u, err := s.activeUser(ctx, userID)
	if err != nil {
		return Actor{}, err
	}
	return u.Actor(), nil
}

func (s *Service) activeUser(ctx context.Context, userID int64) (User, error) {
	u, err := scanUser(s.DB.R.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.ErrUnauthenticated
	}
	if err != nil {
		return User{}, fmt.Errorf("cannot read user: %w", err)
	}
	if u.Disabled {
		return User{}, apperr.ErrUnauthenticated
	}
	if err := loadRoles(ctx, s.DB.R, []*User{&u}); err != nil {
		return User{}, err
	}
	return u, nil
}

// Actor returns the user as an actor in their institution.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Tenant: u.Tenant, Name: u.DisplayName, Username: u.Username, PersonID: u.PersonID, Roles: u.Roles, PlatformAdmin: u.PlatformAdmin, Locale: u.Locale}
}

// SessionEpoch is stored in the session at sign-in and compared by ActorFor.
func (u User) SessionEpoch() int { return u.sessionEpoch }

// CurrentEpoch reads the user's epoch after a change of their own password,
// so the session that made the change can be renewed.
func (s *Service) CurrentEpoch(ctx context.Context, userID int64) (int, error) {
	var e int
	err := s.DB.R.QueryRowContext(ctx, `SELECT session_epoch FROM users WHERE id = $1`, userID).Scan(&e)
	return e, err
}
