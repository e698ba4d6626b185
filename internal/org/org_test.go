package org_test

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const password = "parola-buna-2026"

// Real-shaped fiscal codes whose control digit is right.
const (
	cuiTirguMures = "4322823"
	cuiSovata     = "4305857"
	cuiPlatform   = "14399840"
	cuiSancraiu   = "18591007"
	cuiBrasov     = "4426506"
	cuiTandarei   = "4175234"
	cuiSpare      = "36134844"
)

// env holds two institutions, a (under test) and b (the other one), and
// actors of each. Actors are built directly: the domain code only looks at
// their roles and tenant, and the audit trail only at their id and name.
type env struct {
	d      *db.DB
	clk    *clock.Fixed
	svc    *org.Service
	auth   *auth.Service
	a, b   org.Institution
	adminA auth.Actor
	qmA    auth.Actor // quality manager: org.manage but not users.manage
	viewA  auth.Actor
	adminB auth.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, svc: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	var err error
	if e.a, err = e.svc.CreateInstitutionSystem(t.Context(), org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: cuiTirguMures, Kind: org.KindMunicipality, County: "Mureș"}); err != nil {
		t.Fatal(err)
	}
	if e.b, err = e.svc.CreateInstitutionSystem(t.Context(), org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: cuiSovata, Kind: org.KindTown, County: "Mureș"}); err != nil {
		t.Fatal(err)
	}
	e.adminA = auth.Actor{UserID: 101, Tenant: e.a.ID, Name: "Ana Admin", Roles: []auth.Role{auth.RoleAdmin}}
	e.qmA = auth.Actor{UserID: 102, Tenant: e.a.ID, Name: "Quality Manager", Roles: []auth.Role{auth.RoleQualityManager}}
	e.viewA = auth.Actor{UserID: 103, Tenant: e.a.ID, Name: "Vera Viewer", Roles: []auth.Role{auth.RoleViewer}}
	e.adminB = auth.Actor{UserID: 201, Tenant: e.b.ID, Name: "Bogdan Admin", Roles: []auth.Role{auth.RoleAdmin}}
	return e
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *env) events(t *testing.T, tenant int64) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1`, tenant)
}

func (e *env) lastEvent(t *testing.T, tenant int64) audit.Stored {
	t.Helper()
	evs, _, err := audit.List(t.Context(), e.d.R, tenant, audit.Filter{Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("cannot read the last event of %d: %v", tenant, err)
	}
	return evs[0]
}

// totals counts every row that creating an institution could leave behind.
func (e *env) totals(t *testing.T) [5]int {
	t.Helper()
	return [5]int{
		e.count(t, `SELECT COUNT(*) FROM institutions`),
		e.count(t, `SELECT COUNT(*) FROM users`),
		e.count(t, `SELECT COUNT(*) FROM user_roles`),
		e.count(t, `SELECT COUNT(*) FROM audit_events`),
		e.count(t, `SELECT COUNT(*) FROM audit_heads`),
	}
}

func (e *env) verify(t *testing.T) {
	t.Helper()
	_, brk, err := audit.Verify(t.Context(), e.d.R)
	if err != nil || brk != nil {
		t.Errorf("audit.Verify: %v, %v", brk, err)
	}
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
}

func wantConflict(t *testing.T, err error, key string) {
	t.Helper()
	if !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("error = %v, want a conflict", err)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && key != "" && ae.Key != key {
		t.Fatalf("conflict key = %s, want %s", ae.Key, key)
	}
}

// ---- fiscal codes --------------------------------------------------------

func TestValidCUI(t *testing.T) {
	valid := []string{
		cuiTirguMures, cuiSovata, cuiPlatform, cuiSancraiu, cuiBrasov, cuiTandarei, cuiSpare,
		"19",         // the shortest
		"9999999994", // the longest
		"1234567897",
		"10000130", // the control sum gives 10, written 0
		"RO4322823", "ro4322823", "RO 4322823", "RO 43 22 823", " 4305857 ",
	}
	for _, c := range valid {
		if !org.ValidCUI(c) {
			t.Errorf("ValidCUI(%q) = false, want true", c)
		}
	}
	invalid := []string{
		"4322824", "4322820", "4305858", "14399841",
		"10000131", // 10 must be written 0
		"", "1", "RO", "RO1", "12345678901", "99999999940",
		"43228a3", "4322823RO", "RORO4322823", "-4322823", "+4322823", "4322.823", "4322\t823",
		"４３２２８２３", // full-width digits
		"RO-4322823",
	}
	for _, c := range invalid {
		if org.ValidCUI(c) {
			t.Errorf("ValidCUI(%q) = true, want false", c)
		}
	}
	// For any body exactly one control digit is right.
	for _, body := range []string{"1", "432282", "430585", "1439984", "999999999", "100001", "7"} {
		n := 0
		for d := '0'; d <= '9'; d++ {
			if org.ValidCUI(body + string(d)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("body %s: %d valid control digits, want exactly 1", body, n)
		}
	}
	for in, want := range map[string]string{" ro 4322 823 ": "4322823", "RO4322823": "4322823", "4322823": "4322823", "ro4305857": "4305857"} {
		if got := org.NormalizeCUI(in); got != want {
			t.Errorf("NormalizeCUI(%q) = %q, want %q", in, got, want)
		}
	}
}

// ---- institutions --------------------------------------------------------

func TestInstitutionInputValidate(t *testing.T) {
	good := org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: cuiTirguMures, Kind: org.KindMunicipality, County: "Mureș"}
	cases := []struct {
		name   string
		change func(*org.InstitutionInput)
		want   apperr.Validation
	}{
		{"good", func(*org.InstitutionInput) {}, nil},
		{"everything missing", func(in *org.InstitutionInput) { *in = org.InstitutionInput{} },
			apperr.Validation{"name": "error.required", "cui": "institution.error.cui", "kind": "error.choice", "county": "error.choice"}},
		{"blank name", func(in *org.InstitutionInput) { in.Name = " \t " }, apperr.Validation{"name": "error.required"}},
		{"200 letters", func(in *org.InstitutionInput) { in.Name = strings.Repeat("Ș", 200) }, nil},
		{"201 letters", func(in *org.InstitutionInput) { in.Name = strings.Repeat("Ș", 201) }, apperr.Validation{"name": "error.too_long"}},
		{"wrong control digit", func(in *org.InstitutionInput) { in.CUI = "4322824" }, apperr.Validation{"cui": "institution.error.cui"}},
		{"letters in the code", func(in *org.InstitutionInput) { in.CUI = "43228AB" }, apperr.Validation{"cui": "institution.error.cui"}},
		{"unknown kind", func(in *org.InstitutionInput) { in.Kind = "village" }, apperr.Validation{"kind": "error.choice"}},
		{"unknown county", func(in *org.InstitutionInput) { in.County = "Muresh" }, apperr.Validation{"county": "error.choice"}},
		{"county in lower case", func(in *org.InstitutionInput) { in.County = "mureș" }, apperr.Validation{"county": "error.choice"}},
		{"county with a cedilla", func(in *org.InstitutionInput) { in.County = "Argeş" }, nil},
		{"county with spaces", func(in *org.InstitutionInput) { in.County = "  Satu   Mare " }, nil},
	}
	for _, c := range cases {
		in := good
		c.change(&in)
		err := in.Validate()
		v, _ := apperr.AsValidation(err)
		if (err == nil) != (c.want == nil) || (c.want != nil && !reflect.DeepEqual(v, c.want)) {
			t.Errorf("%s: Validate() = %v, want %v", c.name, err, c.want)
		}
	}
	in := org.InstitutionInput{Name: "  Primăria   Comunei\tSâncraiu  de Mureş ", CUI: " ro 18591007 ", Kind: org.KindCommune, County: "Argeş"}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Name != "Primăria Comunei Sâncraiu de Mureș" || in.CUI != "18591007" || in.County != "Argeș" {
		t.Errorf("normalised input = %+v", in)
	}
}

func TestCreateInstitutionSystem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if e.a.ID == 0 || e.a.ID == e.b.ID || e.a.Name != "Primăria Municipiului Târgu Mureș" || e.a.CUI != cuiTirguMures ||
			e.a.Kind != org.KindMunicipality || e.a.County != "Mureș" || e.a.Version != 1 || !e.a.CreatedAt.Equal(t0) {
			t.Errorf("institution a = %+v", e.a)
		}
		ev := e.lastEvent(t, e.a.ID)
		if ev.Seq != 1 || ev.Action != audit.ActionCreate || ev.Entity != "institution" || ev.EntityID != e.a.ID ||
			ev.ActorID != 0 || ev.ActorName != "cadran" || !strings.Contains(ev.After, `"cui":"4322823"`) {
			t.Errorf("audit event = %+v", ev)
		}
		before := e.totals(t)
		_, err := e.svc.CreateInstitutionSystem(t.Context(), org.InstitutionInput{Name: "Alta", CUI: "RO " + cuiTirguMures, Kind: org.KindTown, County: "Alba"})
		wantValidation(t, err, "cui", "institution.error.cui_taken")
		_, err = e.svc.CreateInstitutionSystem(t.Context(), org.InstitutionInput{Name: "Alta", CUI: "123", Kind: org.KindTown, County: "Alba"})
		wantValidation(t, err, "cui", "institution.error.cui")
		if after := e.totals(t); after != before {
			t.Errorf("refused creations left rows: %v -> %v", before, after)
		}
		got, err := e.svc.InstitutionByCUI(t.Context(), "RO 4322823")
		if err != nil || got.ID != e.a.ID {
			t.Errorf("InstitutionByCUI = %+v, %v", got, err)
		}
		if _, err := e.svc.InstitutionByCUI(t.Context(), cuiSpare); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("InstitutionByCUI(unknown) = %v", err)
		}
		own, err := e.svc.Institution(t.Context(), e.adminB)
		if err != nil || own.ID != e.b.ID || own.Name != "Primăria Orașului Sovata" {
			t.Errorf("Institution(b's admin) = %+v, %v", own, err)
		}
	})
}

func TestCreateInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		platform, err := e.svc.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Cadran", CUI: cuiPlatform, Kind: org.KindDecentralised, County: "București"})
		if err != nil {
			t.Fatal(err)
		}
		paUser, err := e.auth.CreateUser(ctx, auth.SystemActor(platform.ID, "test"), auth.UserInput{Username: "pa.admin", DisplayName: "Platform Admin", Password: password, Roles: []auth.Role{auth.RoleAdmin}, PlatformAdmin: true})
		if err != nil {
			t.Fatal(err)
		}
		pa := paUser.Actor()
		inst := org.InstitutionInput{Name: "Primăria Comunei Sâncraiu de Mureș", CUI: "RO " + cuiSancraiu, Kind: org.KindCommune, County: "Mureș"}
		admin := auth.UserInput{Username: "admin.sancraiu", DisplayName: "Administrator Sâncraiu", Password: password, Roles: []auth.Role{auth.RoleViewer}}

		// Only a platform administrator may.
		before := e.totals(t)
		for _, by := range []auth.Actor{e.adminA, {UserID: 5, Tenant: platform.ID, Roles: auth.Roles}} {
			if _, _, err := e.svc.CreateInstitution(ctx, by, inst, admin); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("roles %v created an institution: %v", by.Roles, err)
			}
		}
		// Problems with the institution and its administrator come together.
		badInst, badAdmin := inst, admin
		badInst.CUI = "4322824"
		badAdmin.Password = "scurta"
		badAdmin.Username = "Admin Sâncraiu"
		_, _, err = e.svc.CreateInstitution(ctx, pa, badInst, badAdmin)
		v, _ := apperr.AsValidation(err)
		if want := (apperr.Validation{"cui": "institution.error.cui", "admin_username": "user.error.username", "admin_password": "user.error.password_short"}); !reflect.DeepEqual(v, want) {
			t.Errorf("validation = %v, want %v", v, want)
		}
		// A taken fiscal code leaves nothing behind.
		dupCUI := inst
		dupCUI.CUI = "ro" + cuiTirguMures
		_, _, err = e.svc.CreateInstitution(ctx, pa, dupCUI, admin)
		wantValidation(t, err, "cui", "institution.error.cui_taken")
		// A taken administrator username leaves nothing behind either, not
		// even the institution inserted before it.
		dupUser := admin
		dupUser.Username = "PA.Admin"
		_, _, err = e.svc.CreateInstitution(ctx, pa, inst, dupUser)
		wantValidation(t, err, "admin_username", "user.error.username_taken")
		if after := e.totals(t); after != before {
			t.Errorf("refused creations left rows behind: %v -> %v", before, after)
		}
		if _, err := e.svc.InstitutionByCUI(ctx, cuiSancraiu); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("the institution of a refused creation exists: %v", err)
		}

		e.clk.Advance(time.Hour)
		got, user, err := e.svc.CreateInstitution(ctx, pa, inst, admin)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == 0 || got.Name != inst.Name || got.CUI != cuiSancraiu || got.Kind != org.KindCommune || got.Version != 1 || !got.CreatedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("institution = %+v", got)
		}
		if user.Tenant != got.ID || user.Username != "admin.sancraiu" || !slices.Equal(user.Roles, []auth.Role{auth.RoleAdmin}) || user.PlatformAdmin {
			t.Errorf("first administrator = %+v", user)
		}
		if after := e.totals(t); after != [5]int{before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 2, before[4] + 1} {
			t.Errorf("rows %v -> %v, want one institution, user, role, head and two events more", before, after)
		}
		evs, _, _ := audit.List(ctx, d.R, got.ID, audit.Filter{})
		if len(evs) != 2 || evs[1].Entity != "institution" || evs[1].Seq != 1 || evs[0].Entity != "user" || evs[0].EntityID != user.ID ||
			evs[0].ActorID != paUser.ID || evs[1].ActorName != "Platform Admin" {
			t.Errorf("the new institution's trail = %+v", evs)
		}
		if u, err := e.auth.Authenticate(ctx, "admin.sancraiu", password, "198.51.100.1"); err != nil || u.Tenant != got.ID {
			t.Errorf("the first administrator cannot sign in: %v", err)
		}
		e.verify(t)
	})
}

func TestInstitutionsList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		for _, in := range []org.InstitutionInput{
			{Name: "Primăria Municipiului Brașov", CUI: cuiBrasov, Kind: org.KindMunicipality, County: "Brașov"},
			{Name: "Orașul Țăndărei", CUI: cuiTandarei, Kind: org.KindTown, County: "Ialomița"},
		} {
			if _, err := e.svc.CreateInstitutionSystem(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		unit, err := e.svc.CreateUnit(ctx, e.adminA, org.UnitInput{Name: "Direcția Economică", Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreateUnit(ctx, e.adminA, org.UnitInput{ParentID: unit.ID, Name: "Serviciul Buget", Kind: org.UnitService, Relation: org.RelationOwn}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreatePerson(ctx, e.adminA, org.PersonInput{UnitID: unit.ID, FullName: "Ion Pop", Position: org.PositionExecution, Employment: org.EmploymentContract, Active: true}); err != nil {
			t.Fatal(err)
		}
		// Inactive people and disabled users are not counted.
		if _, err := e.svc.CreatePerson(ctx, e.adminA, org.PersonInput{UnitID: unit.ID, FullName: "Fost Angajat", Position: org.PositionExecution, Employment: org.EmploymentContract, Active: false}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []struct {
			name     string
			disabled bool
		}{{"ion.pop", false}, {"fost.angajat", true}} {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO users (tenant_id, username, display_name, password_hash, disabled, created_at, updated_at) VALUES ($1, $2, $2, 'x', $3, $4, $4)`, e.a.ID, u.name, u.disabled, t0); err != nil {
				t.Fatal(err)
			}
		}

		pa := auth.Actor{UserID: 1, Tenant: e.b.ID, PlatformAdmin: true}
		names := func(rs []org.InstitutionSummary) []string {
			out := []string{}
			for _, r := range rs {
				out = append(out, r.Name)
			}
			return out
		}
		cases := []struct {
			query         string
			limit, offset int
			want          []string
			total         int
		}{
			{"", 0, 0, []string{"Orașul Țăndărei", "Primăria Municipiului Brașov", "Primăria Municipiului Târgu Mureș", "Primăria Orașului Sovata"}, 4},
			{"primăria", 0, 0, []string{"Primăria Municipiului Brașov", "Primăria Municipiului Târgu Mureș", "Primăria Orașului Sovata"}, 3},
			{"  MUNICIPIULUI ", 0, 0, []string{"Primăria Municipiului Brașov", "Primăria Municipiului Târgu Mureș"}, 2},
			{"brașov", 0, 0, []string{"Primăria Municipiului Brașov"}, 1},
			{cuiSovata, 0, 0, []string{"Primăria Orașului Sovata"}, 1},
			{"4322", 0, 0, []string{"Primăria Municipiului Târgu Mureș"}, 1},
			{"țăndărei", 0, 0, []string{"Orașul Țăndărei"}, 1},
			{"ORAȘUL", 0, 0, []string{"Orașul Țăndărei", "Primăria Orașului Sovata"}, 2},
			{"%", 0, 0, []string{}, 0},
			{"", 2, 1, []string{"Primăria Municipiului Brașov", "Primăria Municipiului Târgu Mureș"}, 4},
			{"", 2, 4, []string{}, 4},
		}
		for _, c := range cases {
			rs, total, err := e.svc.Institutions(ctx, pa, c.query, c.limit, c.offset)
			if err != nil {
				t.Fatalf("%q: %v", c.query, err)
			}
			if got := names(rs); !slices.Equal(got, c.want) || total != c.total {
				t.Errorf("Institutions(%q, %d, %d) = %v (total %d), want %v (total %d)", c.query, c.limit, c.offset, got, total, c.want, c.total)
			}
		}
		rs, _, _ := e.svc.Institutions(ctx, pa, "târgu", 0, 0)
		if len(rs) != 1 || rs[0].ID != e.a.ID || rs[0].Units != 2 || rs[0].People != 1 || rs[0].Users != 1 || rs[0].CUI != cuiTirguMures {
			t.Errorf("a's summary = %+v", rs)
		}
		rs, _, _ = e.svc.Institutions(ctx, pa, "sovata", 0, 0)
		if len(rs) != 1 || rs[0].Units != 0 || rs[0].People != 0 || rs[0].Users != 0 {
			t.Errorf("b's summary = %+v", rs)
		}
		if _, _, err := e.svc.Institutions(ctx, e.adminA, "", 0, 0); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an institution administrator listed institutions: %v", err)
		}
	})
}

func TestUpdateInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		events := e.events(t, e.a.ID)
		in := org.InstitutionInput{Name: "Municipiul  Târgu Mureș", CUI: "RO" + cuiTirguMures, Kind: org.KindMunicipality, County: "Argeş", Version: 1}
		for _, by := range []auth.Actor{e.viewA, e.qmA} {
			if _, err := e.svc.UpdateInstitution(ctx, by, in); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("roles %v edited the institution: %v", by.Roles, err)
			}
		}
		e.clk.Advance(time.Hour)
		got, err := e.svc.UpdateInstitution(ctx, e.adminA, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Municipiul Târgu Mureș" || got.County != "Argeș" || got.CUI != cuiTirguMures || got.Version != 2 || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("updated institution = %+v", got)
		}
		ev := e.lastEvent(t, e.a.ID)
		if e.events(t, e.a.ID) != events+1 || ev.Action != audit.ActionUpdate || ev.EntityID != e.a.ID || ev.ActorID != e.adminA.UserID ||
			!strings.Contains(ev.Before, `"county":"Mureș"`) || !strings.Contains(ev.After, `"county":"Argeș"`) {
			t.Errorf("audit: %d new, last %+v", e.events(t, e.a.ID)-events, ev)
		}
		// A stale version and a taken code change nothing.
		stale := in
		stale.Name = "Pierdut"
		_, err = e.svc.UpdateInstitution(ctx, e.adminA, stale)
		wantConflict(t, err, "error.stale")
		taken := in
		taken.Version = 2
		taken.CUI = cuiSovata
		_, err = e.svc.UpdateInstitution(ctx, e.adminA, taken)
		wantValidation(t, err, "cui", "institution.error.cui_taken")
		now, err := e.svc.Institution(ctx, e.adminA)
		if err != nil || now.Name != "Municipiul Târgu Mureș" || now.CUI != cuiTirguMures || now.Version != 2 {
			t.Errorf("after refused updates: %+v, %v", now, err)
		}
		if e.events(t, e.a.ID) != events+1 {
			t.Errorf("refused updates wrote audit events")
		}
		if bNow, _ := e.svc.Institution(ctx, e.adminB); bNow.Version != 1 || bNow.Name != "Primăria Orașului Sovata" {
			t.Errorf("b changed: %+v", bNow)
		}
		e.verify(t)
	})
}
