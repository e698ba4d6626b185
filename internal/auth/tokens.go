package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/textutil"
)

// Token is a personal access token: a person's key for programs that send
// data to Cadran (KPI measurements, later the JSON API). Only its SHA-256
// is stored; the token acts as its user, with the user's roles.
type Token struct {
	ID       int64
	Tenant   int64
	UserID   int64
	Name     string
	Prefix   string // the token's first characters, to tell tokens apart
	Created  time.Time
	Expires  *time.Time
	LastUsed *time.Time
	Revoked  *time.Time
}

// Live reports whether the token still opens the door at now.
func (t Token) Live(now time.Time) bool {
	return t.Revoked == nil && (t.Expires == nil || t.Expires.After(now))
}

// EntityToken names tokens in the audit trail.
const EntityToken = "api_token"

// Token limits.
const (
	// TokenPrefix starts every token, so a leaked one is easy to recognise
	// (secret scanners) and to tell from a password.
	TokenPrefix = "cdr_"
	// MaxTokens is how many live tokens one person may hold.
	MaxTokens = 20
	// MaxTokenName is the longest token name, in characters.
	MaxTokenName = 100
	// tokenPrefixLen is how many characters of the token are kept to tell
	// tokens apart.
	tokenPrefixLen = 8
	// tokenTouchEvery is how often last_used_at is written at most, so a
	// busy program does not turn every request into a write.
	tokenTouchEvery = time.Minute
)

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// tokenHash is the stored form of a token.
func tokenHash(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

const tokenColumns = `id, tenant_id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var exp, used, rev sql.NullTime
	if err := row.Scan(&t.ID, &t.Tenant, &t.UserID, &t.Name, &t.Prefix, &t.Created, &exp, &used, &rev); err != nil {
		return Token{}, err
	}
	t.Created = t.Created.UTC()
	t.Expires, t.LastUsed, t.Revoked = nullTime(exp), nullTime(used), nullTime(rev)
	return t, nil
}

func nullTime(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

func nullTimeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// tokenAudit is what the trail keeps of a token: never its hash.
func tokenAudit(t Token) map[string]any {
	m := map[string]any{"name": t.Name, "prefix": t.Prefix, "user_id": t.UserID}
	if t.Expires != nil {
		m["expires_at"] = t.Expires.Format(time.RFC3339)
	}
	if t.Revoked != nil {
		m["revoked_at"] = t.Revoked.Format(time.RFC3339)
	}
	return m
}

// CreateToken makes a token for the actor's own user and returns it once,
// in plain text; expires nil means it does not expire.
func (s *Service) CreateToken(ctx context.Context, a Actor, name string, expires *time.Time) (string, Token, error) {
	if a.UserID == 0 {
		return "", Token{}, apperr.ErrUnauthenticated
	}
	now := s.Clock.Now().UTC()
	v := apperr.Validation{}
	name = textutil.Clean(name)
	switch {
	case name == "":
		v.Add("token_name", "error.required")
	case utf8.RuneCountInString(name) > MaxTokenName:
		v.Add("token_name", "error.too_long")
	}
	if expires != nil && !expires.After(now) {
		v.Add("token_expires", "token.error.expires_past")
	}
	if err := v.Err(); err != nil {
		return "", Token{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, fmt.Errorf("cannot make token: %w", err)
	}
	plain := TokenPrefix + strings.ToLower(tokenEncoding.EncodeToString(raw))
	prefix := plain[:tokenPrefixLen]
	var out Token
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var live int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)`,
			a.Tenant, a.UserID, now).Scan(&live); err != nil {
			return fmt.Errorf("cannot count tokens: %w", err)
		}
		if live >= MaxTokens {
			return apperr.Validation{"token_name": "token.error.too_many"}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (tenant_id, user_id, name, prefix, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			a.Tenant, a.UserID, name, prefix, tokenHash(plain), now, nullTimeArg(expires)).Scan(&id); err != nil {
			return fmt.Errorf("cannot create token: %w", err)
		}
		var err error
		if out, err = getToken(ctx, tx, a, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityToken, EntityID: id,
			Summary: name + " (" + prefix + "…)", After: tokenAudit(out)})
	})
	if err != nil {
		return "", Token{}, err
	}
	return plain, out, nil
}

// getToken reads one of the actor's own tokens.
func getToken(ctx context.Context, q querier, a Actor, id int64) (Token, error) {
	t, err := scanToken(q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 AND id = $3`, a.Tenant, a.UserID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, apperr.NotFound(EntityToken)
	}
	if err != nil {
		return Token{}, fmt.Errorf("cannot read token: %w", err)
	}
	return t, nil
}

// Tokens lists the actor's own tokens, newest first.
func (s *Service) Tokens(ctx context.Context, a Actor) ([]Token, error) {
	if a.UserID == 0 {
		return nil, apperr.ErrUnauthenticated
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC`, a.Tenant, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("cannot list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read token: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the actor's own tokens. Revoking a token
// already revoked changes nothing.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id int64) error {
	if a.UserID == 0 {
		return apperr.ErrUnauthenticated
	}
	now := s.Clock.Now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getToken(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.Revoked != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE tenant_id = $2 AND user_id = $3 AND id = $4 AND revoked_at IS NULL`,
			now, a.Tenant, a.UserID, id); err != nil {
			return fmt.Errorf("cannot revoke token: %w", err)
		}
		after, err := getToken(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityToken, EntityID: id,
			Summary: before.Name + " (" + before.Prefix + "…)", Before: tokenAudit(before), After: tokenAudit(after)})
	})
}

// TokenActor returns the actor a token acts as; an unknown, revoked or
// expired token, or a disabled user, is refused as unauthenticated.
func (s *Service) TokenActor(ctx context.Context, plain string) (Actor, error) {
	plain = strings.TrimSpace(plain)
	if !strings.HasPrefix(plain, TokenPrefix) || len(plain) > 200 {
		return Actor{}, apperr.ErrUnauthenticated
	}
	t, err := scanToken(s.DB.R.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, tokenHash(plain)))
	if errors.Is(err, sql.ErrNoRows) {
		return Actor{}, apperr.ErrUnauthenticated
	}
	if err != nil {
		return Actor{}, fmt.Errorf("cannot read token: %w", err)
	}
	now := s.Clock.Now().UTC()
	if !t.Live(now) {
		return Actor{}, apperr.ErrUnauthenticated
	}
	u, err := s.activeUser(ctx, t.UserID)
	if err != nil {
		return Actor{}, err
	}
	if u.Tenant != t.Tenant {
		return Actor{}, apperr.ErrUnauthenticated
	}
	if t.LastUsed == nil || now.Sub(*t.LastUsed) >= tokenTouchEvery {
		// Several servers may race here; the condition keeps it one write a
		// minute at most, and the time is a hint, so no transaction.
		if _, err := s.DB.W.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)`,
			now, t.ID, now.Add(-tokenTouchEvery)); err != nil {
			return Actor{}, fmt.Errorf("cannot record token use: %w", err)
		}
	}
	return u.Actor(), nil
}
