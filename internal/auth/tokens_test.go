package auth_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func (e *env) lastUsed(t *testing.T, id int64) *time.Time {
	t.Helper()
	toks, err := e.svc.Tokens(t.Context(), e.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range toks {
		if tk.ID == id {
			return tk.LastUsed
		}
	}
	t.Fatalf("token %d not listed", id)
	return nil
}

func TestCreateTokenAndAuthenticate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		events := e.events(t, e.a)
		plain, tok, err := e.svc.CreateToken(t.Context(), e.admin, "  Export   din contabilitate ", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, auth.TokenPrefix) || len(plain) < 50 {
			t.Errorf("token = %q, want cdr_ and 32 random bytes", plain)
		}
		if tok.Name != "Export din contabilitate" || tok.Prefix != plain[:8] || tok.UserID != e.admin.UserID || tok.Tenant != e.a {
			t.Errorf("token = %+v", tok)
		}
		// Only the hash is stored: the plain token appears nowhere.
		var n int
		if err := d.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM api_tokens WHERE hash = $1 OR name = $1`, plain).Scan(&n); err != nil || n != 0 {
			t.Errorf("plain token stored (%d, %v)", n, err)
		}
		if got := e.events(t, e.a); got != events+1 {
			t.Errorf("events = %d, want %d", got, events+1)
		}
		ev := e.lastEvent(t, e.a)
		if ev.Entity != auth.EntityToken || ev.EntityID != tok.ID || strings.Contains(ev.After, plain[8:]) {
			t.Errorf("audit event = %+v", ev)
		}

		a, err := e.svc.TokenActor(t.Context(), plain)
		if err != nil {
			t.Fatal(err)
		}
		if a.UserID != e.admin.UserID || a.Tenant != e.a || !a.Can(auth.PermUsersManage) {
			t.Errorf("actor = %+v", a)
		}
		first := e.lastUsed(t, tok.ID)
		if first == nil || !first.Equal(t0) {
			t.Fatalf("last used = %v, want %v", first, t0)
		}
		// Within a minute the use is not written again.
		e.clk.Advance(30 * time.Second)
		if _, err := e.svc.TokenActor(t.Context(), plain); err != nil {
			t.Fatal(err)
		}
		if got := e.lastUsed(t, tok.ID); !got.Equal(t0) {
			t.Errorf("last used after 30 s = %v, want %v", got, t0)
		}
		e.clk.Advance(time.Minute)
		if _, err := e.svc.TokenActor(t.Context(), plain); err != nil {
			t.Fatal(err)
		}
		if got := e.lastUsed(t, tok.ID); !got.Equal(t0.Add(90 * time.Second)) {
			t.Errorf("last used after 90 s = %v", got)
		}
		// Using a token is not an audited change.
		if got := e.events(t, e.a); got != events+1 {
			t.Errorf("events after use = %d, want %d", got, events+1)
		}
	})
}

func TestCreateTokenValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		past := t0.Add(-time.Hour)
		_, _, err := e.svc.CreateToken(t.Context(), e.admin, " ", nil)
		wantValidation(t, err, "token_name", "error.required")
		_, _, err = e.svc.CreateToken(t.Context(), e.admin, strings.Repeat("ă", auth.MaxTokenName+1), nil)
		wantValidation(t, err, "token_name", "error.too_long")
		_, _, err = e.svc.CreateToken(t.Context(), e.admin, "vechi", &past)
		wantValidation(t, err, "token_expires", "token.error.expires_past")
		if _, _, err := e.svc.CreateToken(t.Context(), auth.Actor{Tenant: e.a}, "fără utilizator", nil); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("token without a user: %v", err)
		}

		for i := range auth.MaxTokens {
			if _, _, err := e.svc.CreateToken(t.Context(), e.admin, fmt.Sprintf("t%d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err = e.svc.CreateToken(t.Context(), e.admin, "unul prea mult", nil)
		wantValidation(t, err, "token_name", "token.error.too_many")
		// A revoked token frees a place.
		toks, err := e.svc.Tokens(t.Context(), e.admin)
		if err != nil || len(toks) != auth.MaxTokens {
			t.Fatalf("tokens = %d, %v", len(toks), err)
		}
		if err := e.svc.RevokeToken(t.Context(), e.admin, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.CreateToken(t.Context(), e.admin, "în locul celui revocat", nil); err != nil {
			t.Errorf("after a revoke: %v", err)
		}
	})
}

func TestTokenRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		exp := t0.Add(24 * time.Hour)
		expiring, _, err := e.svc.CreateToken(t.Context(), e.admin, "expiră mâine", &exp)
		if err != nil {
			t.Fatal(err)
		}
		revoked, rt, err := e.svc.CreateToken(t.Context(), e.admin, "revocat", nil)
		if err != nil {
			t.Fatal(err)
		}
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		ionPlain, _, err := e.svc.CreateToken(t.Context(), ion.Actor(), "al lui Ion", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.TokenActor(t.Context(), expiring); err != nil {
			t.Fatalf("live token refused: %v", err)
		}

		events := e.events(t, e.a)
		if err := e.svc.RevokeToken(t.Context(), e.admin, rt.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RevokeToken(t.Context(), e.admin, rt.ID); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		if got := e.events(t, e.a); got != events+1 {
			t.Errorf("events = %d, want one revoke event more than %d", got, events)
		}
		in := input(ion)
		in.Disabled = true
		if _, err := e.svc.UpdateUser(t.Context(), e.admin, ion.ID, in); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(25 * time.Hour)
		for name, plain := range map[string]string{
			"expired":       expiring,
			"revoked":       revoked,
			"disabled user": ionPlain,
			"unknown":       auth.TokenPrefix + "nimicnimicnimic",
			"no prefix":     strings.TrimPrefix(revoked, auth.TokenPrefix),
			"empty":         "",
		} {
			if _, err := e.svc.TokenActor(t.Context(), plain); !errors.Is(err, apperr.ErrUnauthenticated) {
				t.Errorf("%s token: err = %v, want unauthenticated", name, err)
			}
		}
	})
}

func TestTokensAreOwnOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, mine, err := e.svc.CreateToken(t.Context(), e.admin, "al administratorului", nil)
		if err != nil {
			t.Fatal(err)
		}
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		adminB := e.user(t, e.sysB, "admin.b", "Administrator B", auth.RoleAdmin).Actor()
		for name, a := range map[string]auth.Actor{"same institution": ion.Actor(), "other institution": adminB} {
			toks, err := e.svc.Tokens(t.Context(), a)
			if err != nil || len(toks) != 0 {
				t.Errorf("%s sees %d tokens (%v)", name, len(toks), err)
			}
			if err := e.svc.RevokeToken(t.Context(), a, mine.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s revokes another's token: %v", name, err)
			}
		}
		toks, err := e.svc.Tokens(t.Context(), e.admin)
		if err != nil || len(toks) != 1 || toks[0].Revoked != nil {
			t.Errorf("own tokens = %+v, %v", toks, err)
		}
	})
}
