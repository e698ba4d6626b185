package auth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const password = "parola-buna-2026"

// env is a database with two institutions, a (the one under test) and b
// (the other one, whose records must stay out of a's reach).
type env struct {
	d     *db.DB
	clk   *clock.Fixed
	svc   *auth.Service
	a, b  int64
	sysA  auth.Actor
	sysB  auth.Actor
	admin auth.Actor // a's administrator, a real user
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, svc: &auth.Service{DB: d, Clock: clk}}
	e.a = e.institution(t, "Primăria Municipiului Târgu Mureș", "4322823")
	e.b = e.institution(t, "Primăria Orașului Sovata", "4305857")
	e.sysA = auth.SystemActor(e.a, "test")
	e.sysB = auth.SystemActor(e.b, "test")
	e.admin = e.user(t, e.sysA, "admin.a", "Administrator A", auth.RoleAdmin).Actor()
	return e
}

func (e *env) institution(t *testing.T, name, cui string) int64 {
	t.Helper()
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), `INSERT INTO institutions (name, cui, kind, county, created_at, updated_at)
		VALUES ($1, $2, 'municipality', 'Mureș', $3, $3) RETURNING id`, name, cui, t0).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (e *env) person(t *testing.T, tenant int64, name string) int64 {
	t.Helper()
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), `INSERT INTO people (tenant_id, full_name, position, employment, created_at, updated_at)
		VALUES ($1, $2, 'execution', 'contract', $3, $3) RETURNING id`, tenant, name, t0).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// user creates a user with the standard password in a's or b's institution
// (the actor's tenant).
func (e *env) user(t *testing.T, by auth.Actor, username, name string, roles ...auth.Role) auth.User {
	t.Helper()
	u, err := e.svc.CreateUser(t.Context(), by, auth.UserInput{Username: username, DisplayName: name, Password: password, Roles: roles})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", username, err)
	}
	return u
}

func (e *env) events(t *testing.T, tenant int64) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) users(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) lastEvent(t *testing.T, tenant int64) audit.Stored {
	t.Helper()
	evs, _, err := audit.List(t.Context(), e.d.R, tenant, audit.Filter{Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("cannot read last event of %d: %v", tenant, err)
	}
	return evs[0]
}

func (e *env) hash(t *testing.T, id int64) string {
	t.Helper()
	var h string
	if err := e.d.R.QueryRowContext(t.Context(), `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func wantValidation(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("error = %v, want a validation error on %s", err, field)
	}
	if v[field] != key {
		t.Fatalf("validation = %v, want %s: %s", v, field, key)
	}
	if apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("KindOf(%v) = %v, want KindInvalid", err, apperr.KindOf(err))
	}
}

// ---- passwords -----------------------------------------------------------

func TestHashAndCheckPassword(t *testing.T) {
	h1, err := auth.HashPassword("corect-cal-baterie")
	if err != nil {
		t.Fatal(err)
	}
	h2, err := auth.HashPassword("corect-cal-baterie")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(h1, prefix) {
		t.Errorf("hash %q does not start with %q", h1, prefix)
	}
	parts := strings.Split(h1, "$")
	if len(parts) != 6 {
		t.Fatalf("hash %q has %d $-parts, want 6", h1, len(parts))
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) != 16 || len(key) != 32 {
		t.Errorf("salt %d bytes (%v), key %d bytes (%v), want 16 and 32", len(salt), err1, len(key), err2)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, h := range []string{h1, h2} {
		if ok, err := auth.CheckPassword(h, "corect-cal-baterie"); !ok || err != nil {
			t.Errorf("right password: %v, %v", ok, err)
		}
		for _, wrong := range []string{"corect-cal-baterie ", "Corect-cal-baterie", "", "corect-cal-bateri"} {
			if ok, err := auth.CheckPassword(h, wrong); ok || err != nil {
				t.Errorf("wrong password %q: %v, %v", wrong, ok, err)
			}
		}
	}
	// Unicode passwords work byte for byte.
	hu, _ := auth.HashPassword("șură-țânțar-ăâî")
	if ok, _ := auth.CheckPassword(hu, "șură-țânțar-ăâî"); !ok {
		t.Error("a password with diacritics does not match itself")
	}
	if ok, _ := auth.CheckPassword(hu, "şură-ţânţar-ăâî"); ok {
		t.Error("the cedilla spelling matched the comma-below one")
	}
}

// A hash made with other parameters (an older default) still checks.
func TestCheckPasswordUsesTheHashParameters(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("o-parola-veche"), salt, 1, 8*1024, 2, 24)
	b64 := base64.RawStdEncoding
	h := fmt.Sprintf("$argon2id$v=19$m=8192,t=1,p=2$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key))
	if ok, err := auth.CheckPassword(h, "o-parola-veche"); !ok || err != nil {
		t.Errorf("old-parameter hash: %v, %v", ok, err)
	}
	if ok, err := auth.CheckPassword(h, "alta-parola"); ok || err != nil {
		t.Errorf("old-parameter hash, wrong password: %v, %v", ok, err)
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	good, _ := auth.HashPassword("parola-buna-2026")
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := slices.Clone(parts)
		p[i] = v
		return strings.Join(p, "$")
	}
	for name, h := range map[string]string{
		"empty":              "",
		"plain text":         "parola-buna-2026",
		"bcrypt":             "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":            with(1, "argon2i"),
		"old version":        with(2, "v=16"),
		"no version":         with(2, "19"),
		"bad parameters":     with(3, "m=x,t=2,p=1"),
		"lanes overflow":     with(3, "m=19456,t=2,p=300"),
		"bad salt":           with(4, "!!!!"),
		"bad key":            with(5, "%%%%"),
		"too few parts":      strings.Join(parts[:5], "$"),
		"too many parts":     good + "$x",
		"zero passes":        with(3, "m=19456,t=0,p=1"),
		"zero lanes":         with(3, "m=19456,t=2,p=0"),
		"empty key":          with(5, ""),
		"empty salt and key": "$argon2id$v=19$m=19456,t=2,p=1$$",
		"missing a prefix":   strings.TrimPrefix(good, "$"),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("CheckPassword panicked on a malformed hash: %v", r)
				}
			}()
			ok, err := auth.CheckPassword(h, "parola-buna-2026")
			if ok || err == nil {
				t.Errorf("CheckPassword(%q) = %v, %v; want false and an error", h, ok, err)
			}
		})
	}
}

// ---- roles and permissions -----------------------------------------------

func TestPermissions(t *testing.T) {
	perms := []auth.Permission{auth.PermOrgView, auth.PermOrgManage, auth.PermUsersManage, auth.PermAuditView, auth.PermInstitutionEdt}
	cases := []struct {
		roles []auth.Role
		want  [5]bool // in the order of perms
	}{
		{[]auth.Role{auth.RoleAdmin}, [5]bool{true, true, true, true, true}},
		{[]auth.Role{auth.RoleQualityManager}, [5]bool{true, true, false, true, false}},
		{[]auth.Role{auth.RoleTopManagement}, [5]bool{true, false, false, true, false}},
		{[]auth.Role{auth.RoleHeadOfUnit}, [5]bool{true, false, false, false, false}},
		{[]auth.Role{auth.RoleAuditor}, [5]bool{true, false, false, true, false}},
		{[]auth.Role{auth.RoleEmployee}, [5]bool{true, false, false, false, false}},
		{[]auth.Role{auth.RoleRegistryClerk}, [5]bool{true, false, false, false, false}},
		{[]auth.Role{auth.RoleViewer}, [5]bool{true, false, false, false, false}},
		{nil, [5]bool{}},
		{[]auth.Role{"root"}, [5]bool{}},
		{[]auth.Role{auth.RoleViewer, auth.RoleAuditor}, [5]bool{true, false, false, true, false}},
		{[]auth.Role{auth.RoleEmployee, auth.RoleQualityManager}, [5]bool{true, true, false, true, false}},
	}
	for _, c := range cases {
		a := auth.Actor{UserID: 5, Tenant: 1, Roles: c.roles}
		for i, p := range perms {
			if got := a.Can(p); got != c.want[i] {
				t.Errorf("roles %v Can(%s) = %v, want %v", c.roles, p, got, c.want[i])
			}
			err := a.Require(p)
			switch {
			case c.want[i] && err != nil:
				t.Errorf("roles %v Require(%s) = %v, want nil", c.roles, p, err)
			case !c.want[i]:
				if !errors.Is(err, apperr.ErrForbidden) {
					t.Errorf("roles %v Require(%s) = %v, want forbidden", c.roles, p, err)
				}
				var ae *apperr.Error
				if errors.As(err, &ae) && (ae.Key != "error.forbidden" || ae.Args["Permission"] != string(p)) {
					t.Errorf("forbidden error %+v does not name %s", ae, p)
				}
			}
		}
		if err := a.RequirePlatformAdmin(); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("roles %v without the platform flag: RequirePlatformAdmin = %v, want forbidden", c.roles, err)
		}
	}
	sys := auth.SystemActor(3, "cadran migrate")
	if sys.Tenant != 3 || sys.Name != "cadran migrate" || !sys.System || sys.UserID != 0 {
		t.Errorf("SystemActor = %+v", sys)
	}
	for _, p := range append(perms, "something.new") {
		if !sys.Can(p) || sys.Require(p) != nil {
			t.Errorf("the system actor may not %s", p)
		}
	}
	if sys.RequirePlatformAdmin() != nil {
		t.Error("the system actor is not a platform administrator")
	}
	pa := auth.Actor{UserID: 1, PlatformAdmin: true, Roles: []auth.Role{auth.RoleViewer}}
	if pa.RequirePlatformAdmin() != nil {
		t.Error("a platform administrator was refused")
	}
	if pa.Can(auth.PermUsersManage) {
		t.Error("the platform flag alone grants users.manage in the institution")
	}
	if got := (auth.Actor{UserID: 9, Name: "Ana Pop"}).Audit(); got != (audit.Actor{ID: 9, Name: "Ana Pop"}) {
		t.Errorf("Audit() = %+v", got)
	}
	if len(auth.Roles) != 8 {
		t.Errorf("%d roles, want 8", len(auth.Roles))
	}
	for _, r := range auth.Roles {
		if !auth.ValidRole(r) {
			t.Errorf("ValidRole(%s) = false", r)
		}
	}
	for _, r := range []auth.Role{"", "root", "Admin", "admin "} {
		if auth.ValidRole(r) {
			t.Errorf("ValidRole(%q) = true", r)
		}
	}
}

// ---- creating users ------------------------------------------------------

func TestCreateUserValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ok := auth.UserInput{Username: "ion.popescu", DisplayName: "Ion Popescu", Password: password, Roles: []auth.Role{auth.RoleEmployee}}
		cases := []struct {
			name       string
			change     func(*auth.UserInput)
			field, key string
		}{
			{"one letter", func(in *auth.UserInput) { in.Username = "i" }, "username", "user.error.username"},
			{"a space", func(in *auth.UserInput) { in.Username = "ion popescu" }, "username", "user.error.username"},
			{"leading dot", func(in *auth.UserInput) { in.Username = ".ion" }, "username", "user.error.username"},
			{"an at sign", func(in *auth.UserInput) { in.Username = "ion@primarie" }, "username", "user.error.username"},
			{"diacritics", func(in *auth.UserInput) { in.Username = "ștefan" }, "username", "user.error.username"},
			{"64 characters", func(in *auth.UserInput) { in.Username = strings.Repeat("a", 64) }, "username", "user.error.username"},
			{"empty", func(in *auth.UserInput) { in.Username = "" }, "username", "user.error.username"},
			{"short password", func(in *auth.UserInput) { in.Password = "scurtă123" }, "password", "user.error.password_short"},
			{"password is the username", func(in *auth.UserInput) { in.Password = "ION.POPESCU" }, "password", "user.error.password_username"},
			{"no roles", func(in *auth.UserInput) { in.Roles = nil }, "roles", "user.error.roles"},
			{"unknown role", func(in *auth.UserInput) { in.Roles = []auth.Role{auth.RoleEmployee, "root"} }, "roles", "error.choice"},
			{"bad email", func(in *auth.UserInput) { in.Email = "ion.popescu" }, "email", "error.email"},
			{"email with a name", func(in *auth.UserInput) { in.Email = "Ion <ion@primaria.ro>" }, "email", "error.email"},
			{"no display name", func(in *auth.UserInput) { in.DisplayName = "   " }, "display_name", "error.required"},
			{"long display name", func(in *auth.UserInput) { in.DisplayName = strings.Repeat("Ă", 201) }, "display_name", "error.too_long"},
			{"unknown locale", func(in *auth.UserInput) { in.Locale = "fr" }, "locale", "error.choice"},
		}
		for _, c := range cases {
			in := ok
			in.Roles = slices.Clone(ok.Roles)
			c.change(&in)
			_, err := e.svc.CreateUser(t.Context(), e.admin, in)
			t.Run(c.name, func(t *testing.T) { wantValidation(t, err, c.field, c.key) })
		}
		// Several problems are reported together.
		_, err := e.svc.CreateUser(t.Context(), e.admin, auth.UserInput{Username: "x", Password: "x"})
		v, _ := apperr.AsValidation(err)
		want := apperr.Validation{"username": "user.error.username", "display_name": "error.required", "password": "user.error.password_short", "roles": "user.error.roles"}
		if !reflect.DeepEqual(v, want) {
			t.Errorf("validation = %v, want %v", v, want)
		}
		if n := e.users(t); n != 1 {
			t.Errorf("%d users after refused creations, want only the admin", n)
		}
		if n := e.events(t, e.a); n != 1 {
			t.Errorf("%d audit events after refused creations, want 1", n)
		}
	})
}

func TestCreateUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.clk.Advance(time.Hour)
		person := e.person(t, e.a, "Ion Popescu")
		u, err := e.svc.CreateUser(t.Context(), e.admin, auth.UserInput{
			Username: "  Ion.Popescu ", DisplayName: "  Ion    Popescu ", Email: " ion.popescu@tirgumures.ro ",
			Password: password, PersonID: person, Roles: []auth.Role{auth.RoleViewer, auth.RoleEmployee, auth.RoleViewer},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := auth.User{ID: u.ID, Tenant: e.a, Username: "ion.popescu", Email: "ion.popescu@tirgumures.ro", DisplayName: "Ion Popescu",
			PersonID: person, Locale: "ro", Roles: []auth.Role{auth.RoleEmployee, auth.RoleViewer}, Version: 1}
		got := u
		if !got.CreatedAt.Equal(t0.Add(time.Hour)) || !got.UpdatedAt.Equal(t0.Add(time.Hour)) || got.LastLoginAt != nil {
			t.Errorf("times: created %v updated %v last login %v", got.CreatedAt, got.UpdatedAt, got.LastLoginAt)
		}
		got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(exported(got), exported(want)) {
			t.Errorf("created user\n got %+v\nwant %+v", exported(got), exported(want))
		}
		if u.SessionEpoch() != 1 {
			t.Errorf("session epoch = %d, want 1", u.SessionEpoch())
		}
		if h := e.hash(t, u.ID); !strings.HasPrefix(h, "$argon2id$v=19$") {
			t.Errorf("stored password hash %q is not argon2id", h)
		}
		if ok, _ := auth.CheckPassword(e.hash(t, u.ID), password); !ok {
			t.Error("the stored hash does not match the password")
		}
		// One audit event, with the user and no hash.
		if n := e.events(t, e.a); n != 2 {
			t.Errorf("%d audit events, want 2 (admin, ion)", n)
		}
		ev := e.lastEvent(t, e.a)
		if ev.Action != audit.ActionCreate || ev.Entity != "user" || ev.EntityID != u.ID || ev.Summary != "ion.popescu" ||
			ev.ActorID != e.admin.UserID || ev.ActorName != "Administrator A" || ev.Before != "" || !ev.At.Equal(t0.Add(time.Hour)) {
			t.Errorf("audit event = %+v", ev)
		}
		if !strings.Contains(ev.After, `"username":"ion.popescu"`) || !strings.Contains(ev.After, `"roles":["employee","viewer"]`) {
			t.Errorf("audit after = %s", ev.After)
		}
		if strings.Contains(ev.After, "argon2") || strings.Contains(ev.After, "password") {
			t.Errorf("the audit event carries the password: %s", ev.After)
		}

		// The username is taken in every institution, whatever its case.
		for _, c := range []struct {
			by       auth.Actor
			username string
		}{{e.admin, "ION.POPESCU"}, {e.sysB, "ion.popescu"}} {
			_, err = e.svc.CreateUser(t.Context(), c.by, auth.UserInput{Username: c.username, DisplayName: "Alt Ion", Password: password, Roles: []auth.Role{auth.RoleViewer}})
			wantValidation(t, err, "username", "user.error.username_taken")
		}
		if n := e.users(t); n != 2 {
			t.Errorf("%d users, want 2", n)
		}
		if n := e.events(t, e.a) + e.events(t, e.b); n != 2 {
			t.Errorf("%d audit events after refused duplicates, want 2", n)
		}
	})
}

// exported drops the unexported fields so users can be compared.
func exported(u auth.User) map[string]any {
	return map[string]any{"ID": u.ID, "Tenant": u.Tenant, "Username": u.Username, "Email": u.Email, "DisplayName": u.DisplayName,
		"PersonID": u.PersonID, "Locale": u.Locale, "PlatformAdmin": u.PlatformAdmin, "Disabled": u.Disabled, "Roles": u.Roles, "Version": u.Version}
}

func TestCreateUserPermissionsAndPeople(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		viewer := auth.Actor{UserID: 99, Tenant: e.a, Roles: []auth.Role{auth.RoleViewer, auth.RoleQualityManager}}
		in := auth.UserInput{Username: "ion.popescu", DisplayName: "Ion Popescu", Password: password, Roles: []auth.Role{auth.RoleEmployee}}
		if _, err := e.svc.CreateUser(t.Context(), viewer, in); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a quality manager created a user: %v", err)
		}
		pa := in
		pa.PlatformAdmin = true
		if _, err := e.svc.CreateUser(t.Context(), e.admin, pa); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an institution administrator made a platform administrator: %v", err)
		}
		// A person of another institution, or none at all, is refused.
		for _, p := range []int64{e.person(t, e.b, "Maria din Sovata"), 999999} {
			withPerson := in
			withPerson.PersonID = p
			_, err := e.svc.CreateUser(t.Context(), e.admin, withPerson)
			wantValidation(t, err, "person_id", "error.choice")
		}
		if n := e.users(t); n != 1 {
			t.Errorf("%d users after refusals, want 1", n)
		}
		// The system actor may make a platform administrator.
		u, err := e.svc.CreateUser(t.Context(), e.sysA, pa)
		if err != nil {
			t.Fatal(err)
		}
		if !u.PlatformAdmin || !u.Actor().PlatformAdmin {
			t.Errorf("user %+v is not a platform administrator", u)
		}
	})
}

// ---- changing users ------------------------------------------------------

func input(u auth.User) auth.UserInput {
	return auth.UserInput{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, PersonID: u.PersonID, Locale: u.Locale,
		Roles: slices.Clone(u.Roles), PlatformAdmin: u.PlatformAdmin, Disabled: u.Disabled, Version: u.Version}
}

func TestUpdateUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		hashBefore := e.hash(t, ion.ID)
		events := e.events(t, e.a)
		e.clk.Advance(time.Hour)

		in := input(ion)
		in.Username = "altul" // ignored: a username does not change
		in.DisplayName = "Ion  Popescu-Ţepeş"
		in.Email = "ion@tirgumures.ro"
		in.Locale = "en"
		in.Roles = []auth.Role{auth.RoleHeadOfUnit, auth.RoleEmployee}
		in.PersonID = e.person(t, e.a, "Ion Popescu")
		got, err := e.svc.UpdateUser(t.Context(), e.admin, ion.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		want := auth.User{ID: ion.ID, Tenant: e.a, Username: "ion.popescu", Email: "ion@tirgumures.ro", DisplayName: "Ion Popescu-Țepeș",
			PersonID: in.PersonID, Locale: "en", Roles: []auth.Role{auth.RoleEmployee, auth.RoleHeadOfUnit}, Version: 2}
		if !reflect.DeepEqual(exported(got), exported(want)) {
			t.Errorf("updated user\n got %+v\nwant %+v", exported(got), exported(want))
		}
		if !got.UpdatedAt.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
			t.Errorf("created %v updated %v", got.CreatedAt, got.UpdatedAt)
		}
		if got.SessionEpoch() != ion.SessionEpoch() {
			t.Errorf("an update that does not disable changed the session epoch %d -> %d", ion.SessionEpoch(), got.SessionEpoch())
		}
		if e.hash(t, ion.ID) != hashBefore {
			t.Error("UpdateUser changed the password")
		}
		if n := e.events(t, e.a); n != events+1 {
			t.Errorf("%d new audit events, want 1", n-events)
		}
		ev := e.lastEvent(t, e.a)
		if ev.Action != audit.ActionUpdate || ev.EntityID != ion.ID || !strings.Contains(ev.Before, `"display_name":"Ion Popescu"`) ||
			!strings.Contains(ev.After, `"display_name":"Ion Popescu-Țepeș"`) || !strings.Contains(ev.After, `"version":2`) {
			t.Errorf("audit event = %+v", ev)
		}

		// A stale version changes nothing.
		stale := input(ion) // version 1
		stale.DisplayName = "Pierdut"
		_, err = e.svc.UpdateUser(t.Context(), e.admin, ion.ID, stale)
		if !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale update: %v, want conflict", err)
		}
		now, err := e.svc.User(t.Context(), e.admin, ion.ID)
		if err != nil {
			t.Fatal(err)
		}
		if now.DisplayName != "Ion Popescu-Țepeș" || now.Version != 2 || !slices.Equal(now.Roles, want.Roles) {
			t.Errorf("after a stale update: %+v", exported(now))
		}
		if n := e.events(t, e.a); n != events+1 {
			t.Errorf("a stale update wrote %d audit events", n-events-1)
		}

		// Refusals.
		fresh := input(now)
		viewer := auth.Actor{UserID: ion.ID, Tenant: e.a, Roles: []auth.Role{auth.RoleViewer}}
		if _, err := e.svc.UpdateUser(t.Context(), viewer, ion.ID, fresh); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer updated a user: %v", err)
		}
		otherB := e.user(t, e.sysB, "maria.sovata", "Maria", auth.RoleViewer)
		if _, err := e.svc.UpdateUser(t.Context(), e.admin, otherB.ID, input(otherB)); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a's admin updated b's user: %v", err)
		}
		pa := fresh
		pa.PlatformAdmin = true
		if _, err := e.svc.UpdateUser(t.Context(), e.admin, ion.ID, pa); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an institution administrator granted the platform flag: %v", err)
		}
		foreign := fresh
		foreign.PersonID = e.person(t, e.b, "Maria din Sovata")
		_, err = e.svc.UpdateUser(t.Context(), e.admin, ion.ID, foreign)
		wantValidation(t, err, "person_id", "error.choice")
		bad := fresh
		bad.Roles = nil
		_, err = e.svc.UpdateUser(t.Context(), e.admin, ion.ID, bad)
		wantValidation(t, err, "roles", "user.error.roles")

		final, _ := e.svc.User(t.Context(), e.admin, ion.ID)
		if final.Version != 2 || final.PlatformAdmin || final.PersonID != in.PersonID {
			t.Errorf("refused updates changed the user: %+v", exported(final))
		}
		if n := e.events(t, e.a); n != events+1 {
			t.Errorf("refused updates wrote %d audit events", n-events-1)
		}
	})
}

func TestUpdateUserRefusesSelfLockout(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		me, err := e.svc.User(t.Context(), e.admin, e.admin.UserID)
		if err != nil {
			t.Fatal(err)
		}
		noAdmin := input(me)
		noAdmin.Roles = []auth.Role{auth.RoleQualityManager}
		_, err = e.svc.UpdateUser(t.Context(), e.admin, me.ID, noAdmin)
		wantValidation(t, err, "roles", "user.error.self_lockout")
		disabled := input(me)
		disabled.Disabled = true
		_, err = e.svc.UpdateUser(t.Context(), e.admin, me.ID, disabled)
		wantValidation(t, err, "roles", "user.error.self_lockout")

		after, _ := e.svc.User(t.Context(), e.admin, me.ID)
		if after.Disabled || !slices.Equal(after.Roles, []auth.Role{auth.RoleAdmin}) || after.Version != 1 {
			t.Errorf("the admin locked themselves out: %+v", exported(after))
		}
		// Adding a role to oneself is fine.
		more := input(me)
		more.Roles = []auth.Role{auth.RoleAdmin, auth.RoleAuditor}
		if _, err := e.svc.UpdateUser(t.Context(), e.admin, me.ID, more); err != nil {
			t.Errorf("an admin could not add a role to themselves: %v", err)
		}
	})
}

func TestDisablingSignsTheUserOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee, auth.RoleAuditor)
		epoch := ion.SessionEpoch()
		a, err := e.svc.ActorFor(t.Context(), ion.ID, epoch)
		if err != nil {
			t.Fatal(err)
		}
		want := auth.Actor{UserID: ion.ID, Tenant: e.a, Name: "Ion Popescu", Username: "ion.popescu", Roles: []auth.Role{auth.RoleEmployee, auth.RoleAuditor}, Locale: "ro"}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("ActorFor = %+v, want %+v", a, want)
		}
		if _, err := e.svc.ActorFor(t.Context(), ion.ID, epoch+1); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("a future epoch was accepted: %v", err)
		}
		if _, err := e.svc.ActorFor(t.Context(), 999999, 1); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("an unknown user was accepted: %v", err)
		}

		off := input(ion)
		off.Disabled = true
		ion, err = e.svc.UpdateUser(t.Context(), e.admin, ion.ID, off)
		if err != nil {
			t.Fatal(err)
		}
		if !ion.Disabled || ion.SessionEpoch() != epoch+1 {
			t.Errorf("disabled=%v epoch=%d, want true and %d", ion.Disabled, ion.SessionEpoch(), epoch+1)
		}
		if cur, err := e.svc.CurrentEpoch(t.Context(), ion.ID); err != nil || cur != epoch+1 {
			t.Errorf("CurrentEpoch = %d, %v; want %d", cur, err, epoch+1)
		}
		for _, ep := range []int{epoch, epoch + 1} {
			if _, err := e.svc.ActorFor(t.Context(), ion.ID, ep); !errors.Is(err, apperr.ErrUnauthenticated) {
				t.Errorf("a disabled user's session (epoch %d) was accepted: %v", ep, err)
			}
		}
		if _, err := e.svc.Authenticate(t.Context(), "ion.popescu", password, "198.51.100.1"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("a disabled user signed in: %v", err)
		}

		// Enabling again keeps the new epoch: the old session stays out.
		on := input(ion)
		on.Disabled = false
		ion, err = e.svc.UpdateUser(t.Context(), e.admin, ion.ID, on)
		if err != nil {
			t.Fatal(err)
		}
		if ion.SessionEpoch() != epoch+1 {
			t.Errorf("epoch after enabling = %d, want %d", ion.SessionEpoch(), epoch+1)
		}
		if _, err := e.svc.ActorFor(t.Context(), ion.ID, epoch); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("the session from before disabling came back: %v", err)
		}
		if _, err := e.svc.ActorFor(t.Context(), ion.ID, epoch+1); err != nil {
			t.Errorf("a new session after enabling: %v", err)
		}
	})
}

// ---- signing in ----------------------------------------------------------

func TestAuthenticate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		events := e.events(t, e.a)
		e.clk.Advance(90 * time.Minute)
		at := e.clk.Now()

		u, err := e.svc.Authenticate(t.Context(), "  Ion.Popescu ", password, "198.51.100.1")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != ion.ID || u.Tenant != e.a || !slices.Equal(u.Roles, []auth.Role{auth.RoleEmployee}) {
			t.Errorf("signed in as %+v", exported(u))
		}
		if u.LastLoginAt == nil || !u.LastLoginAt.Equal(at) {
			t.Errorf("LastLoginAt = %v, want %v", u.LastLoginAt, at)
		}
		stored, err := e.svc.User(t.Context(), e.admin, ion.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.LastLoginAt == nil || !stored.LastLoginAt.Equal(at) {
			t.Errorf("stored last login = %v, want %v", stored.LastLoginAt, at)
		}
		if stored.Version != ion.Version {
			t.Errorf("signing in changed the version %d -> %d", ion.Version, stored.Version)
		}
		if n := e.events(t, e.a); n != events+1 {
			t.Fatalf("%d audit events for a sign-in, want 1", n-events)
		}
		ev := e.lastEvent(t, e.a)
		if ev.Action != audit.ActionLogin || ev.Entity != "user" || ev.EntityID != ion.ID || ev.ActorID != ion.ID ||
			ev.ActorName != "Ion Popescu" || ev.Summary != "ion.popescu" || ev.Before != "" || ev.After != "" || !ev.At.Equal(at) {
			t.Errorf("login event = %+v", ev)
		}

		// The three failures look the same and leave no audit event.
		disabled := e.user(t, e.admin, "maria.ionescu", "Maria Ionescu", auth.RoleViewer)
		in := input(disabled)
		in.Disabled = true
		if _, err := e.svc.UpdateUser(t.Context(), e.admin, disabled.ID, in); err != nil {
			t.Fatal(err)
		}
		events = e.events(t, e.a)
		for _, c := range []struct{ name, user, pw string }{
			{"wrong password", "ion.popescu", "parola-gresita"},
			{"empty password", "ion.popescu", ""},
			{"unknown user", "nimeni", password},
			{"disabled user", "maria.ionescu", password},
		} {
			_, err := e.svc.Authenticate(t.Context(), c.user, c.pw, "198.51.100.2")
			if err != auth.ErrBadCredentials { //nolint:errorlint // the very same value, so no answer tells them apart
				t.Errorf("%s: error %v, want ErrBadCredentials", c.name, err)
			}
			if !errors.Is(err, apperr.ErrUnauthenticated) {
				t.Errorf("%s: error %v is not unauthenticated", c.name, err)
			}
		}
		if n := e.events(t, e.a); n != events {
			t.Errorf("failed sign-ins wrote %d audit events", n-events)
		}
		dis, _ := e.svc.User(t.Context(), e.admin, disabled.ID)
		if dis.LastLoginAt != nil {
			t.Errorf("a disabled user's last login was set: %v", dis.LastLoginAt)
		}
	})
}

func TestRecordLogout(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.clk.Advance(time.Hour)
		events := e.events(t, e.a)
		if err := e.svc.RecordLogout(t.Context(), e.admin); err != nil {
			t.Fatal(err)
		}
		ev := e.lastEvent(t, e.a)
		if e.events(t, e.a) != events+1 || ev.Action != audit.ActionLogout || ev.Entity != "user" || ev.EntityID != e.admin.UserID ||
			ev.ActorID != e.admin.UserID || ev.ActorName != "Administrator A" || ev.Summary != "admin.a" || ev.Before != "" || ev.After != "" ||
			!ev.At.Equal(t0.Add(time.Hour)) {
			t.Errorf("logout event (%d new) = %+v", e.events(t, e.a)-events, ev)
		}
		if e.events(t, e.b) != 0 {
			t.Error("the logout was written to another institution's trail")
		}
	})
}

func throttled(t *testing.T, err error) int {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindTooManyRequests || ae.Key != "login.error.throttled" {
		t.Fatalf("error = %v, want too many requests", err)
	}
	mins, ok := ae.Args["Minutes"].(int)
	if !ok {
		t.Fatalf("Minutes arg = %#v, want an int", ae.Args["Minutes"])
	}
	return mins
}

func TestThrottleLocksAUsername(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		ctx := t.Context()

		// Four failures, then a success, clears the count.
		for range 4 {
			if _, err := e.svc.Authenticate(ctx, "ion.popescu", "gresit-123456", "198.51.100.1"); err != auth.ErrBadCredentials { //nolint:errorlint
				t.Fatalf("failure: %v", err)
			}
		}
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", password, "198.51.100.1"); err != nil {
			t.Fatalf("the fifth attempt, right, was refused: %v", err)
		}
		// Failures that fall out of the 15-minute window do not add up.
		for range 4 {
			e.svc.Authenticate(ctx, "ion.popescu", "gresit-123456", "198.51.100.1")
		}
		e.clk.Advance(16 * time.Minute)
		for range 4 {
			e.svc.Authenticate(ctx, "ION.POPESCU", "gresit-123456", "198.51.100.2")
		}
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", password, "198.51.100.1"); err != nil {
			t.Fatalf("4 + 4 failures in different windows locked the user: %v", err)
		}

		// Five failures in a window lock the username, from any address,
		// even with the right password.
		for i := range 5 {
			_, err := e.svc.Authenticate(ctx, "Ion.Popescu", "gresit-123456", fmt.Sprintf("198.51.100.%d", 10+i))
			if err != auth.ErrBadCredentials { //nolint:errorlint
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		locked := e.clk.Now()
		events := e.events(t, e.a)
		_, err := e.svc.Authenticate(ctx, "ion.popescu", password, "198.51.100.1")
		throttled(t, err)
		e.clk.Advance(30 * time.Second)
		_, err = e.svc.Authenticate(ctx, "ion.popescu", password, "203.0.113.7")
		if m := throttled(t, err); m != 15 {
			t.Errorf("with 14.5 minutes of lock left, Minutes = %d, want 15", m)
		}
		e.clk.Advance(14 * time.Minute)
		_, err = e.svc.Authenticate(ctx, "ion.popescu", password, "203.0.113.7")
		if m := throttled(t, err); m != 1 {
			t.Errorf("with 30 seconds of lock left, Minutes = %d, want 1", m)
		}
		// Other users are not affected.
		if _, err := e.svc.Authenticate(ctx, "admin.a", password, "198.51.100.10"); err != nil {
			t.Errorf("another user was locked out too: %v", err)
		}
		if n := e.events(t, e.a); n != events+1 {
			t.Errorf("refused sign-ins wrote audit events: %d new, want 1 (admin's)", n-events)
		}

		e.clk.Set(locked.Add(16 * time.Minute))
		u, err := e.svc.Authenticate(ctx, "ion.popescu", password, "198.51.100.1")
		if err != nil {
			t.Fatalf("after the lock ran out: %v", err)
		}
		if u.ID != ion.ID {
			t.Errorf("signed in as %d, want %d", u.ID, ion.ID)
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE key = 'user:ion.popescu'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("the username's failure count was not cleared: %d rows, %v", n, err)
		}
		// After the lock, counting starts afresh: one failure does not lock again.
		e.svc.Authenticate(ctx, "ion.popescu", "gresit-123456", "198.51.100.1")
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", password, "198.51.100.1"); err != nil {
			t.Errorf("one failure after a lock locked again: %v", err)
		}
	})
}

func TestThrottleLocksAnAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		ctx := t.Context()
		const ip = "203.0.113.9"
		for i := range 29 {
			if _, err := e.svc.Authenticate(ctx, fmt.Sprintf("necunoscut%02d", i), password, ip); err != auth.ErrBadCredentials { //nolint:errorlint
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		// 29 failures: the address still works (and a success does not
		// clear the address's count).
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", password, ip); err != nil {
			t.Fatalf("after 29 failures from one address: %v", err)
		}
		e.svc.Authenticate(ctx, "necunoscut29", password, ip)
		_, err := e.svc.Authenticate(ctx, "ion.popescu", password, ip)
		if m := throttled(t, err); m < 15 || m > 16 {
			t.Errorf("Minutes = %d, want 15 or 16", m)
		}
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", password, "203.0.113.10"); err != nil {
			t.Errorf("another address was locked too: %v", err)
		}
		e.clk.Advance(16 * time.Minute)
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", password, ip); err != nil {
			t.Errorf("the address lock did not run out: %v", err)
		}
	})
}

// ---- passwords and language ----------------------------------------------

func TestChangePassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		me := ion.Actor()
		events := e.events(t, e.a)
		hash := e.hash(t, ion.ID)

		err := e.svc.ChangePassword(t.Context(), me, "nu-e-parola-mea", "o-parola-noua-2026")
		wantValidation(t, err, "current", "account.error.current_password")
		err = e.svc.ChangePassword(t.Context(), me, password, "scurta")
		wantValidation(t, err, "password", "user.error.password_short")
		err = e.svc.ChangePassword(t.Context(), me, password, "Ion.Popescu")
		wantValidation(t, err, "password", "user.error.password_username")
		if e.hash(t, ion.ID) != hash || e.events(t, e.a) != events {
			t.Fatal("a refused change changed the password or wrote an event")
		}

		e.clk.Advance(time.Hour)
		if err := e.svc.ChangePassword(t.Context(), me, password, "o-parola-noua-2026"); err != nil {
			t.Fatal(err)
		}
		if cur, _ := e.svc.CurrentEpoch(t.Context(), ion.ID); cur != ion.SessionEpoch()+1 {
			t.Errorf("epoch after a change = %d, want %d", cur, ion.SessionEpoch()+1)
		}
		if _, err := e.svc.ActorFor(t.Context(), ion.ID, ion.SessionEpoch()); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("the old session survived a password change: %v", err)
		}
		if e.events(t, e.a) != events+1 {
			t.Errorf("%d audit events for a password change, want 1", e.events(t, e.a)-events)
		}
		ev := e.lastEvent(t, e.a)
		if ev.Action != audit.ActionUpdate || ev.EntityID != ion.ID || ev.ActorID != ion.ID || ev.Before != `{"password":"***"}` || ev.After != `{"password":"changed"}` {
			t.Errorf("audit event = %+v", ev)
		}
		after, _ := e.svc.User(t.Context(), me, ion.ID)
		if after.Version != ion.Version+1 || !after.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("version %d updated %v after a password change", after.Version, after.UpdatedAt)
		}
		if _, err := e.svc.Authenticate(t.Context(), "ion.popescu", password, "198.51.100.1"); err != auth.ErrBadCredentials { //nolint:errorlint
			t.Errorf("the old password still works: %v", err)
		}
		if _, err := e.svc.Authenticate(t.Context(), "ion.popescu", "o-parola-noua-2026", "198.51.100.1"); err != nil {
			t.Errorf("the new password does not work: %v", err)
		}
	})
}

func TestResetPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		events := e.events(t, e.a)
		for _, by := range []auth.Actor{ion.Actor(), {UserID: 5, Tenant: e.a, Roles: []auth.Role{auth.RoleQualityManager, auth.RoleTopManagement}}} {
			if err := e.svc.ResetPassword(t.Context(), by, ion.ID, "parola-resetata-1"); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("roles %v reset a password: %v", by.Roles, err)
			}
		}
		err := e.svc.ResetPassword(t.Context(), e.admin, ion.ID, "ion.popescu")
		wantValidation(t, err, "password", "user.error.password_username")
		other := e.user(t, e.sysB, "maria.sovata", "Maria", auth.RoleViewer)
		if err := e.svc.ResetPassword(t.Context(), e.admin, other.ID, "parola-resetata-1"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a's admin reset b's user: %v", err)
		}
		if e.events(t, e.a) != events {
			t.Fatal("refused resets wrote audit events")
		}
		if err := e.svc.ResetPassword(t.Context(), e.admin, ion.ID, "parola-resetata-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ActorFor(t.Context(), ion.ID, ion.SessionEpoch()); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("a reset did not sign the user out: %v", err)
		}
		ev := e.lastEvent(t, e.a)
		if e.events(t, e.a) != events+1 || ev.ActorID != e.admin.UserID || ev.EntityID != ion.ID || ev.After != `{"password":"changed"}` {
			t.Errorf("audit after a reset: %d new, last %+v", e.events(t, e.a)-events, ev)
		}
		if _, err := e.svc.Authenticate(t.Context(), "ion.popescu", "parola-resetata-1", "198.51.100.1"); err != nil {
			t.Errorf("the reset password does not work: %v", err)
		}
	})
}

func TestSetLocale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		events := e.events(t, e.a)
		err := e.svc.SetLocale(t.Context(), e.admin, "de")
		wantValidation(t, err, "locale", "error.choice")
		if err := e.svc.SetLocale(t.Context(), e.admin, "ro"); err != nil { // already ro
			t.Fatal(err)
		}
		if e.events(t, e.a) != events {
			t.Error("setting the same language wrote an audit event")
		}
		if err := e.svc.SetLocale(t.Context(), e.admin, "en"); err != nil {
			t.Fatal(err)
		}
		u, _ := e.svc.User(t.Context(), e.admin, e.admin.UserID)
		if u.Locale != "en" || u.Version != 2 {
			t.Errorf("locale %q version %d, want en and 2", u.Locale, u.Version)
		}
		ev := e.lastEvent(t, e.a)
		if e.events(t, e.a) != events+1 || ev.Before != `{"locale":"ro"}` || ev.After != `{"locale":"en"}` {
			t.Errorf("audit: %d new, last %+v", e.events(t, e.a)-events, ev)
		}
		if a, err := e.svc.ActorFor(t.Context(), u.ID, u.SessionEpoch()); err != nil || a.Locale != "en" {
			t.Errorf("ActorFor locale = %q, %v", a.Locale, err)
		}
	})
}

// Every change to users is audited once, and no password hash ever reaches
// the trail.
func TestUserChangesAuditedWithoutHashes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		in := input(ion)
		in.Roles = append(in.Roles, auth.RoleAuditor)
		ion, err := e.svc.UpdateUser(ctx, e.admin, ion.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		steps := []error{
			e.svc.SetLocale(ctx, ion.Actor(), "en"),
			e.svc.ChangePassword(ctx, ion.Actor(), password, "alta-parola-2026"),
			e.svc.ResetPassword(ctx, e.admin, ion.ID, "inca-o-parola-2026"),
		}
		for _, err := range steps {
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.Authenticate(ctx, "ion.popescu", "inca-o-parola-2026", "198.51.100.1"); err != nil {
			t.Fatal(err)
		}
		rows, err := d.R.QueryContext(ctx, `SELECT action, entity_id, before_json, after_json FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, e.a)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var actions []string
		hashes := []string{e.hash(t, ion.ID), e.hash(t, e.admin.UserID)}
		for rows.Next() {
			var action, before, after string
			var id int64
			if err := rows.Scan(&action, &id, &before, &after); err != nil {
				t.Fatal(err)
			}
			actions = append(actions, fmt.Sprintf("%s %d", action, id))
			for _, s := range []string{before, after} {
				if strings.Contains(s, "argon2") || strings.Contains(s, "password_hash") || strings.Contains(s, "parola") {
					t.Errorf("audit event %s %d carries a password: %s", action, id, s)
				}
				for _, h := range hashes {
					if strings.Contains(s, h) {
						t.Errorf("audit event %s %d carries a stored hash", action, id)
					}
				}
			}
		}
		want := []string{
			fmt.Sprintf("create %d", e.admin.UserID),
			fmt.Sprintf("create %d", ion.ID),
			fmt.Sprintf("update %d", ion.ID), // roles
			fmt.Sprintf("update %d", ion.ID), // locale
			fmt.Sprintf("update %d", ion.ID), // own password
			fmt.Sprintf("update %d", ion.ID), // reset
			fmt.Sprintf("login %d", ion.ID),
		}
		if !slices.Equal(actions, want) {
			t.Errorf("audit events\n got %v\nwant %v", actions, want)
		}
		n, brk, err := audit.Verify(ctx, d.R)
		if err != nil || brk != nil || n != len(want) {
			t.Errorf("Verify = %d, %v, %v", n, brk, err)
		}
	})
}

// ---- reading users -------------------------------------------------------

func usernames(us []auth.User) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Username)
	}
	return out
}

func TestUsersList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		mk := func(by auth.Actor, username, name, email string, roles ...auth.Role) {
			t.Helper()
			if _, err := e.svc.CreateUser(ctx, by, auth.UserInput{Username: username, DisplayName: name, Email: email, Password: password, Roles: roles}); err != nil {
				t.Fatal(err)
			}
		}
		mk(e.admin, "ion.popescu", "Ion Popescu", "ion@tirgumures.ro", auth.RoleEmployee)
		mk(e.admin, "maria.ionescu", "Maria Ionescu", "maria@tirgumures.ro", auth.RoleViewer, auth.RoleQualityManager)
		mk(e.admin, "s_tanase", "Ștefan Tănase", "", auth.RoleEmployee)
		mk(e.sysB, "ion.sovata", "Ion din Sovata", "ion@sovata.ro", auth.RoleEmployee)

		cases := []struct {
			name  string
			f     auth.UserFilter
			want  []string
			total int
		}{
			{"all, by username", auth.UserFilter{}, []string{"admin.a", "ion.popescu", "maria.ionescu", "s_tanase"}, 4},
			{"role", auth.UserFilter{Role: auth.RoleEmployee}, []string{"ion.popescu", "s_tanase"}, 2},
			{"second role", auth.UserFilter{Role: auth.RoleQualityManager}, []string{"maria.ionescu"}, 1},
			{"role nobody has", auth.UserFilter{Role: auth.RoleAuditor}, []string{}, 0},
			{"query in usernames and names", auth.UserFilter{Query: "ion"}, []string{"ion.popescu", "maria.ionescu"}, 2},
			{"query in upper case", auth.UserFilter{Query: " IONESCU "}, []string{"maria.ionescu"}, 1},
			{"query in email", auth.UserFilter{Query: "maria@"}, []string{"maria.ionescu"}, 1},
			{"query and role", auth.UserFilter{Query: "ion", Role: auth.RoleViewer}, []string{"maria.ionescu"}, 1},
			{"lower-case diacritics", auth.UserFilter{Query: "tănase"}, []string{"s_tanase"}, 1},
			{"capital diacritics", auth.UserFilter{Query: "Ștefan"}, []string{"s_tanase"}, 1},
			{"underscore is literal", auth.UserFilter{Query: "_"}, []string{"s_tanase"}, 1},
			{"percent is literal", auth.UserFilter{Query: "%"}, []string{}, 0},
			{"page", auth.UserFilter{Limit: 2, Offset: 1}, []string{"ion.popescu", "maria.ionescu"}, 4},
			{"past the end", auth.UserFilter{Limit: 2, Offset: 4}, []string{}, 4},
		}
		for _, c := range cases {
			us, total, err := e.svc.Users(ctx, e.admin, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := usernames(us); !slices.Equal(got, c.want) || total != c.total {
				t.Errorf("%s: %v (total %d), want %v (total %d)", c.name, got, total, c.want, c.total)
			}
		}
		us, _, _ := e.svc.Users(ctx, e.admin, auth.UserFilter{Query: "maria"})
		if len(us) != 1 || !slices.Equal(us[0].Roles, []auth.Role{auth.RoleQualityManager, auth.RoleViewer}) {
			t.Errorf("roles in the list: %+v", us)
		}
		if _, _, err := e.svc.Users(ctx, auth.Actor{UserID: 3, Tenant: e.a, Roles: []auth.Role{auth.RoleQualityManager}}, auth.UserFilter{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a quality manager listed users: %v", err)
		}
	})
}

func TestUserLookups(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		ion := e.user(t, e.admin, "ion.popescu", "Ion Popescu", auth.RoleEmployee)
		other := e.user(t, e.sysB, "maria.sovata", "Maria", auth.RoleAdmin)

		// Anyone may read themselves; others need users.manage.
		if u, err := e.svc.User(ctx, ion.Actor(), ion.ID); err != nil || u.Username != "ion.popescu" {
			t.Errorf("reading oneself: %v, %v", u.Username, err)
		}
		if _, err := e.svc.User(ctx, ion.Actor(), e.admin.UserID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an employee read another user: %v", err)
		}
		if _, err := e.svc.User(ctx, e.admin, other.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a's admin read b's user: %v", err)
		}
		if _, err := e.svc.User(ctx, e.admin, 999999); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("an unknown user: %v", err)
		}
		u, err := e.svc.UserByUsername(ctx, " MARIA.Sovata ")
		if err != nil || u.ID != other.ID || u.Tenant != e.b || !slices.Equal(u.Roles, []auth.Role{auth.RoleAdmin}) {
			t.Errorf("UserByUsername = %+v, %v", exported(u), err)
		}
		if _, err := e.svc.UserByUsername(ctx, "nimeni"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("UserByUsername(nimeni) = %v", err)
		}
	})
}

// ---- sessions ------------------------------------------------------------

func TestSessionStore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := &auth.SessionStore{DB: d}
		ctx := t.Context()
		now := time.Now()
		find := func(token string) ([]byte, bool) {
			t.Helper()
			b, ok, err := s.FindCtx(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			return b, ok
		}
		if err := s.CommitCtx(ctx, "tok-1", []byte("date\x00binare"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if b, ok := find("tok-1"); !ok || string(b) != "date\x00binare" {
			t.Errorf("Find(tok-1) = %q, %v", b, ok)
		}
		// Commit replaces the data and the expiry.
		if err := s.Commit("tok-1", []byte("altele"), now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if b, ok, err := s.Find("tok-1"); err != nil || !ok || string(b) != "altele" {
			t.Errorf("Find after a second Commit = %q, %v, %v", b, ok, err)
		}
		// An expired session is not found, in whatever zone its expiry came.
		if err := s.CommitCtx(ctx, "tok-2", []byte("x"), now.Add(-time.Minute).In(time.FixedZone("EET", 2*3600))); err != nil {
			t.Fatal(err)
		}
		if _, ok := find("tok-2"); ok {
			t.Error("an expired session was found")
		}
		if err := s.CommitCtx(ctx, "tok-3", []byte("y"), now.Add(time.Minute).In(time.FixedZone("XYZ", -10*3600))); err != nil {
			t.Fatal(err)
		}
		if _, ok := find("tok-3"); !ok {
			t.Error("a session expiring in a minute (given in a western zone) was not found")
		}
		if _, ok := find("nu-exista"); ok {
			t.Error("an unknown token was found")
		}
		if err := s.DeleteCtx(ctx, "tok-1"); err != nil {
			t.Fatal(err)
		}
		if _, ok := find("tok-1"); ok {
			t.Error("a deleted session was found")
		}
		if err := s.Delete("nu-exista"); err != nil {
			t.Errorf("deleting an unknown token: %v", err)
		}
		if _, ok := find("tok-3"); !ok {
			t.Error("deleting one session removed another")
		}
	})
}

func TestSessionCleanup(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := &auth.SessionStore{DB: d}
		ctx := t.Context()
		now := time.Now().UTC()
		for tok, exp := range map[string]time.Time{"old": now.Add(-time.Hour), "live": now.Add(time.Hour)} {
			if err := s.CommitCtx(ctx, tok, []byte(tok), exp); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []struct {
			key    string
			start  time.Time
			locked any
		}{
			{"user:stale", now.Add(-time.Hour), nil},
			{"user:locked", now.Add(-time.Hour), now.Add(time.Hour)},
			{"ip:fresh", now.Add(-time.Minute), nil},
			{"ip:lock-over", now.Add(-time.Hour), now.Add(-time.Minute)},
		} {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES ($1, 1, $2, $3)`, r.key, r.start, r.locked); err != nil {
				t.Fatal(err)
			}
		}
		cctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { s.Cleanup(cctx, 10*time.Millisecond); close(done) }()
		count := func(q string) int {
			var n int
			if err := d.R.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) && (count(`SELECT COUNT(*) FROM sessions`) != 1 || count(`SELECT COUNT(*) FROM login_attempts`) != 2) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		var tokens, keys []string
		rows, _ := d.R.QueryContext(ctx, `SELECT token FROM sessions ORDER BY token`)
		for rows.Next() {
			var s string
			rows.Scan(&s)
			tokens = append(tokens, s)
		}
		rows.Close()
		rows, _ = d.R.QueryContext(ctx, `SELECT key FROM login_attempts ORDER BY key`)
		for rows.Next() {
			var s string
			rows.Scan(&s)
			keys = append(keys, s)
		}
		rows.Close()
		if !slices.Equal(tokens, []string{"live"}) {
			t.Errorf("sessions after cleanup = %v, want [live]", tokens)
		}
		if !slices.Equal(keys, []string{"ip:fresh", "user:locked"}) {
			t.Errorf("sign-in counters after cleanup = %v, want [ip:fresh user:locked]", keys)
		}
	})
}
