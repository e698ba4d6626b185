package org_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

func personInput(p org.Person) org.PersonInput {
	return org.PersonInput{UnitID: p.UnitID, FullName: p.FullName, Email: p.Email, Phone: p.Phone, JobTitle: p.JobTitle, Position: p.Position,
		Employment: p.Employment, ElectedRole: p.ElectedRole, Active: p.Active, Version: p.Version}
}

func TestPersonInputValidate(t *testing.T) {
	good := org.PersonInput{FullName: "Ion Popescu", Email: "ion@tirgumures.ro", Phone: "+40 (265) 268-330", JobTitle: "Inspector",
		Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true}
	cases := []struct {
		name   string
		change func(*org.PersonInput)
		want   apperr.Validation
	}{
		{"good", func(*org.PersonInput) {}, nil},
		{"everything missing", func(in *org.PersonInput) { *in = org.PersonInput{} },
			apperr.Validation{"full_name": "error.required", "position": "error.choice", "employment": "error.choice"}},
		{"blank name", func(in *org.PersonInput) { in.FullName = " \n " }, apperr.Validation{"full_name": "error.required"}},
		{"200-letter name", func(in *org.PersonInput) { in.FullName = strings.Repeat("Ă", 200) }, nil},
		{"201-letter name", func(in *org.PersonInput) { in.FullName = strings.Repeat("Ă", 201) }, apperr.Validation{"full_name": "error.too_long"}},
		{"long job title", func(in *org.PersonInput) { in.JobTitle = strings.Repeat("î", 201) }, apperr.Validation{"job_title": "error.too_long"}},
		{"bad email", func(in *org.PersonInput) { in.Email = "ion.tirgumures.ro" }, apperr.Validation{"email": "error.email"}},
		{"email with a name", func(in *org.PersonInput) { in.Email = "Ion <ion@tirgumures.ro>" }, apperr.Validation{"email": "error.email"}},
		{"no email", func(in *org.PersonInput) { in.Email = "" }, nil},
		{"phone with letters", func(in *org.PersonInput) { in.Phone = "0265 ABC" }, apperr.Validation{"phone": "error.phone"}},
		{"long phone", func(in *org.PersonInput) { in.Phone = strings.Repeat("0", 31) }, apperr.Validation{"phone": "error.phone"}},
		{"dotted phone", func(in *org.PersonInput) { in.Phone = "0265.268.330 / 123" }, nil},
		{"unknown position", func(in *org.PersonInput) { in.Position = "boss" }, apperr.Validation{"position": "error.choice"}},
		{"unknown employment", func(in *org.PersonInput) { in.Employment = "volunteer" }, apperr.Validation{"employment": "error.choice"}},
		{"elected without a role", func(in *org.PersonInput) { in.Employment = org.EmploymentElected },
			apperr.Validation{"elected_role": "person.error.elected_role"}},
		{"elected with an unknown role", func(in *org.PersonInput) { in.Employment, in.ElectedRole = org.EmploymentElected, "king" },
			apperr.Validation{"elected_role": "person.error.elected_role"}},
		{"elected mayor", func(in *org.PersonInput) { in.Employment, in.ElectedRole = org.EmploymentElected, org.ElectedMayor }, nil},
		{"contract staff with an elected role", func(in *org.PersonInput) { in.Employment, in.ElectedRole = org.EmploymentContract, org.ElectedMayor },
			apperr.Validation{"elected_role": "person.error.not_elected"}},
		{"civil servant with an elected role", func(in *org.PersonInput) { in.ElectedRole = org.ElectedCouncillor },
			apperr.Validation{"elected_role": "person.error.not_elected"}},
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
	for _, r := range org.ElectedRoles {
		in := good
		in.Employment, in.ElectedRole = org.EmploymentElected, r
		if err := in.Validate(); err != nil {
			t.Errorf("elected role %s: %v", r, err)
		}
	}
	in := org.PersonInput{FullName: "  Ştefan   Ţepeş ", JobTitle: " Şef  serviciu ", Email: " stefan@tirgumures.ro ", Phone: " 0265 268 330 ",
		Position: org.PositionManagement, Employment: org.EmploymentCivilServant}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.FullName != "Ștefan Țepeș" || in.JobTitle != "Șef serviciu" || in.Email != "stefan@tirgumures.ro" || in.Phone != "0265 268 330" {
		t.Errorf("normalised input = %+v", in)
	}
}

func TestPersonLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		unit := e.unit(t, e.adminA, 0, "Direcția Economică", 1)
		other := e.unit(t, e.adminA, 0, "Direcția Tehnică", 2)
		foreign := e.unit(t, e.adminB, 0, "Direcția din Sovata", 1)
		events := e.events(t, e.a.ID)

		in := org.PersonInput{UnitID: unit.ID, FullName: "Ștefănescu Țiței Ăâî", Email: "stefanescu@tirgumures.ro", Phone: "0265 268 330",
			JobTitle: "Șef serviciu", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true}
		if _, err := e.svc.CreatePerson(ctx, e.viewA, in); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer created a person: %v", err)
		}
		e.clk.Advance(time.Minute)
		p, err := e.svc.CreatePerson(ctx, e.qmA, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Person(ctx, e.viewA, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := org.Person{ID: p.ID, Tenant: e.a.ID, UnitID: unit.ID, FullName: "Ștefănescu Țiței Ăâî", Email: "stefanescu@tirgumures.ro", Phone: "0265 268 330",
			JobTitle: "Șef serviciu", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true,
			CreatedAt: got.CreatedAt, UpdatedAt: got.UpdatedAt, Version: 1, UnitName: "Direcția Economică"}
		if got != want || !got.CreatedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("person read back\n got %+v\nwant %+v", got, want)
		}
		if p != got {
			t.Errorf("CreatePerson returned %+v, Person reads %+v", p, got)
		}
		ev := e.lastEvent(t, e.a.ID)
		if e.events(t, e.a.ID) != events+1 || ev.Action != audit.ActionCreate || ev.Entity != "person" || ev.EntityID != p.ID ||
			ev.Summary != "Ștefănescu Țiței Ăâî" || ev.Before != "" || !strings.Contains(ev.After, `"full_name":"Ștefănescu Țiței Ăâî"`) {
			t.Errorf("create event = %+v", ev)
		}

		// The elected-role rules hold in the store too.
		for _, c := range []struct {
			empl, role, key string
		}{
			{org.EmploymentElected, "", "person.error.elected_role"},
			{org.EmploymentElected, "prefect", "person.error.elected_role"},
			{org.EmploymentContract, org.ElectedCouncillor, "person.error.not_elected"},
		} {
			bad := in
			bad.Employment, bad.ElectedRole = c.empl, c.role
			_, err := e.svc.CreatePerson(ctx, e.adminA, bad)
			wantValidation(t, err, "elected_role", c.key)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM people`); n != 1 {
			t.Errorf("%d people after refused creations, want 1", n)
		}

		// The cedilla spelling is stored with the comma below.
		ced, err := e.svc.CreatePerson(ctx, e.adminA, org.PersonInput{FullName: "Ştefan Ţepeş", JobTitle: "Şef birou", Position: org.PositionManagement, Employment: org.EmploymentContract})
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := d.R.QueryRowContext(ctx, `SELECT full_name || '|' || job_title FROM people WHERE id = $1`, ced.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != "Ștefan Țepeș|Șef birou" || ced.UnitID != 0 || ced.UnitName != "" || ced.Active {
			t.Errorf("stored %q, person %+v", stored, ced)
		}

		// Another institution's unit, or a missing one, is refused.
		for _, u := range []int64{foreign.ID, 999999} {
			bad := in
			bad.UnitID = u
			_, err := e.svc.CreatePerson(ctx, e.adminA, bad)
			wantValidation(t, err, "unit_id", "error.choice")
			upd := personInput(p)
			upd.UnitID = u
			_, err = e.svc.UpdatePerson(ctx, e.adminA, p.ID, upd)
			wantValidation(t, err, "unit_id", "error.choice")
		}

		// Update.
		events = e.events(t, e.a.ID)
		e.clk.Advance(time.Minute)
		upd := personInput(p)
		upd.UnitID = other.ID
		upd.FullName = "Ștefănescu-Popa Țiței"
		upd.Employment, upd.ElectedRole = org.EmploymentElected, org.ElectedDeputyMayor
		upd.Active = false
		p2, err := e.svc.UpdatePerson(ctx, e.adminA, p.ID, upd)
		if err != nil {
			t.Fatal(err)
		}
		if p2.UnitID != other.ID || p2.UnitName != "Direcția Tehnică" || p2.FullName != "Ștefănescu-Popa Țiței" || p2.ElectedRole != org.ElectedDeputyMayor ||
			p2.Active || p2.Version != 2 || !p2.UpdatedAt.Equal(t0.Add(2*time.Minute)) || !p2.CreatedAt.Equal(p.CreatedAt) {
			t.Errorf("updated person = %+v", p2)
		}
		ev = e.lastEvent(t, e.a.ID)
		if e.events(t, e.a.ID) != events+1 || ev.Action != audit.ActionUpdate || !strings.Contains(ev.Before, `"full_name":"Ștefănescu Țiței Ăâî"`) ||
			!strings.Contains(ev.After, `"elected_role":"deputy_mayor"`) || !strings.Contains(ev.After, `"active":false`) {
			t.Errorf("update event = %+v", ev)
		}
		// Stale versions change nothing.
		stale := personInput(p)
		stale.FullName = "Pierdut"
		_, err = e.svc.UpdatePerson(ctx, e.adminA, p.ID, stale)
		wantConflict(t, err, "error.stale")
		err = e.svc.DeletePerson(ctx, e.adminA, p.ID, 1)
		wantConflict(t, err, "error.stale")
		// b cannot reach a's person.
		if _, err := e.svc.Person(ctx, e.adminB, p.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("b read a's person: %v", err)
		}
		bUpd := personInput(p2)
		bUpd.UnitID = 0
		if _, err := e.svc.UpdatePerson(ctx, e.adminB, p.ID, bUpd); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("b updated a's person: %v", err)
		}
		if err := e.svc.DeletePerson(ctx, e.adminB, p.ID, 2); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("b deleted a's person: %v", err)
		}
		if now, _ := e.svc.Person(ctx, e.adminA, p.ID); now.FullName != "Ștefănescu-Popa Țiței" || now.Version != 2 {
			t.Errorf("after refused changes: %+v", now)
		}
		if e.events(t, e.a.ID) != events+1 {
			t.Errorf("refused changes wrote audit events")
		}

		// Delete.
		if err := e.svc.DeletePerson(ctx, e.viewA, p.ID, 2); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer deleted a person: %v", err)
		}
		if err := e.svc.DeletePerson(ctx, e.adminA, p.ID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Person(ctx, e.adminA, p.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a deleted person is still there: %v", err)
		}
		ev = e.lastEvent(t, e.a.ID)
		if ev.Action != audit.ActionDelete || ev.EntityID != p.ID || ev.After != "" || !strings.Contains(ev.Before, `"full_name":"Ștefănescu-Popa Țiței"`) {
			t.Errorf("delete event = %+v", ev)
		}
		e.verify(t)
	})
}

func TestDeletePersonWithAnAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		p, err := e.svc.CreatePerson(ctx, e.adminA, org.PersonInput{FullName: "Ion Popescu", Position: org.PositionExecution, Employment: org.EmploymentContract, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.auth.CreateUser(ctx, auth.SystemActor(e.a.ID, "test"), auth.UserInput{Username: "ion.popescu", DisplayName: "Ion Popescu", Password: password, PersonID: p.ID, Roles: []auth.Role{auth.RoleEmployee}}); err != nil {
			t.Fatal(err)
		}
		events := e.events(t, e.a.ID)
		err = e.svc.DeletePerson(ctx, e.adminA, p.ID, p.Version)
		wantConflict(t, err, "person.error.has_user")
		if _, err := e.svc.Person(ctx, e.adminA, p.ID); err != nil {
			t.Errorf("the person is gone: %v", err)
		}
		if e.events(t, e.a.ID) != events {
			t.Error("a refused delete wrote an audit event")
		}
		// Marking them inactive is the way.
		in := personInput(p)
		in.Active = false
		if _, err := e.svc.UpdatePerson(ctx, e.adminA, p.ID, in); err != nil {
			t.Errorf("making a person with an account inactive: %v", err)
		}
	})
}

// people fills institution a with units and people for the listing tests:
//
//	R  Direcția Economică    Albu Ana (management, civil servant, "Director executiv")
//	C    Serviciul Buget     Barbu Ion (execution, contract, "Inspector"), Florea Dan (inactive, contract)
//	G      Biroul Salarizare Ciobanu Maria (execution, civil servant, "Consilier")
//	R2 Direcția Tehnică      Dinu Vasile (management, civil servant, "Director executiv")
//	   (no unit)             Enache Elena (management, elected mayor, "Primar")
//
// and b with a person of the same name as one of a's.
type peopleFixture struct {
	r, c, g, r2, foreign org.Unit
	byName               map[string]org.Person
}

func (e *env) people(t *testing.T) peopleFixture {
	t.Helper()
	f := peopleFixture{byName: map[string]org.Person{}}
	f.r = e.unit(t, e.adminA, 0, "Direcția Economică", 1)
	f.c = e.unit(t, e.adminA, f.r.ID, "Serviciul Buget", 1)
	f.g = e.unit(t, e.adminA, f.c.ID, "Biroul Salarizare", 1)
	f.r2 = e.unit(t, e.adminA, 0, "Direcția Tehnică", 2)
	f.foreign = e.unit(t, e.adminB, 0, "Direcția din Sovata", 1)
	for _, p := range []struct {
		by                   auth.Actor
		unit                 int64
		name, job, pos, empl string
		elected              string
		active               bool
	}{
		{e.adminA, f.r.ID, "Albu Ana", "Director executiv", org.PositionManagement, org.EmploymentCivilServant, "", true},
		{e.adminA, f.c.ID, "Barbu Ion", "Inspector", org.PositionExecution, org.EmploymentContract, "", true},
		{e.adminA, f.g.ID, "Ciobanu Maria", "Consilier", org.PositionExecution, org.EmploymentCivilServant, "", true},
		{e.adminA, f.r2.ID, "Dinu Vasile", "Director executiv", org.PositionManagement, org.EmploymentCivilServant, "", true},
		{e.adminA, 0, "Enache Elena", "Primar", org.PositionManagement, org.EmploymentElected, org.ElectedMayor, true},
		{e.adminA, f.c.ID, "Florea Dan", "Referent", org.PositionExecution, org.EmploymentContract, "", false},
		{e.adminB, f.foreign.ID, "Albu Ana", "Director executiv", org.PositionManagement, org.EmploymentCivilServant, "", true},
	} {
		e.clk.Advance(time.Second) // distinct updated_at, in creation order
		got, err := e.svc.CreatePerson(t.Context(), p.by, org.PersonInput{UnitID: p.unit, FullName: p.name, JobTitle: p.job, Position: p.pos, Employment: p.empl, ElectedRole: p.elected, Active: p.active})
		if err != nil {
			t.Fatalf("CreatePerson(%s): %v", p.name, err)
		}
		if p.by.Tenant == e.a.ID {
			f.byName[p.name] = got
		}
	}
	return f
}

func names(ps []org.Person) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.FullName)
	}
	return out
}

type peopleCase struct {
	name  string
	f     org.PeopleFilter
	want  []string
	total int
}

func checkPeople(t *testing.T, e *env, by auth.Actor, cases []peopleCase) {
	t.Helper()
	for _, c := range cases {
		ps, total, err := e.svc.People(t.Context(), by, c.f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := names(ps); !slices.Equal(got, c.want) || total != c.total {
			t.Errorf("%s: %v (total %d), want %v (total %d)", c.name, got, total, c.want, c.total)
		}
		for _, p := range ps {
			if p.Tenant != by.Tenant {
				t.Errorf("%s: a person of institution %d in the list", c.name, p.Tenant)
			}
		}
	}
}

func TestPeopleFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := e.people(t)
		checkPeople(t, e, e.viewA, []peopleCase{
			{"active, by name", org.PeopleFilter{}, []string{"Albu Ana", "Barbu Ion", "Ciobanu Maria", "Dinu Vasile", "Enache Elena"}, 5},
			{"inactive", org.PeopleFilter{Status: "inactive"}, []string{"Florea Dan"}, 1},
			{"all", org.PeopleFilter{Status: "all"}, []string{"Albu Ana", "Barbu Ion", "Ciobanu Maria", "Dinu Vasile", "Enache Elena", "Florea Dan"}, 6},
			{"unknown status means active", org.PeopleFilter{Status: "retired"}, []string{"Albu Ana", "Barbu Ion", "Ciobanu Maria", "Dinu Vasile", "Enache Elena"}, 5},
			{"unit with its sub-units", org.PeopleFilter{UnitID: f.r.ID}, []string{"Albu Ana", "Barbu Ion", "Ciobanu Maria"}, 3},
			{"middle unit", org.PeopleFilter{UnitID: f.c.ID}, []string{"Barbu Ion", "Ciobanu Maria"}, 2},
			{"leaf unit", org.PeopleFilter{UnitID: f.g.ID}, []string{"Ciobanu Maria"}, 1},
			{"other branch", org.PeopleFilter{UnitID: f.r2.ID}, []string{"Dinu Vasile"}, 1},
			{"unit, all", org.PeopleFilter{UnitID: f.c.ID, Status: "all"}, []string{"Barbu Ion", "Ciobanu Maria", "Florea Dan"}, 3},
			{"another institution's unit", org.PeopleFilter{UnitID: f.foreign.ID}, []string{}, 0},
			{"unknown unit", org.PeopleFilter{UnitID: 999999}, []string{}, 0},
			{"contract staff", org.PeopleFilter{Employment: org.EmploymentContract}, []string{"Barbu Ion"}, 1},
			{"contract staff, all", org.PeopleFilter{Employment: org.EmploymentContract, Status: "all"}, []string{"Barbu Ion", "Florea Dan"}, 2},
			{"elected", org.PeopleFilter{Employment: org.EmploymentElected}, []string{"Enache Elena"}, 1},
			{"management", org.PeopleFilter{Position: org.PositionManagement}, []string{"Albu Ana", "Dinu Vasile", "Enache Elena"}, 3},
			{"execution in a branch", org.PeopleFilter{Position: org.PositionExecution, UnitID: f.r.ID}, []string{"Barbu Ion", "Ciobanu Maria"}, 2},
			{"civil servants in management", org.PeopleFilter{Position: org.PositionManagement, Employment: org.EmploymentCivilServant}, []string{"Albu Ana", "Dinu Vasile"}, 2},
			{"query and unit", org.PeopleFilter{Query: "director", UnitID: f.r.ID}, []string{"Albu Ana"}, 1},
		})
		ps, _, err := e.svc.People(t.Context(), e.viewA, org.PeopleFilter{UnitID: f.g.ID})
		if err != nil || len(ps) != 1 || ps[0].UnitName != "Biroul Salarizare" || ps[0].UnitID != f.g.ID {
			t.Errorf("unit name in the list: %+v, %v", ps, err)
		}
		checkPeople(t, e, e.adminB, []peopleCase{{"b's people", org.PeopleFilter{Status: "all"}, []string{"Albu Ana"}, 1}})
		if _, _, err := e.svc.People(t.Context(), auth.Actor{UserID: 1, Tenant: e.a.ID}, org.PeopleFilter{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an actor with no role listed people: %v", err)
		}
	})
}

func TestPeopleSearch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := e.people(t)
		_, err := e.svc.CreatePerson(t.Context(), e.adminA, org.PersonInput{UnitID: f.g.ID, FullName: "Ștefănescu Țiței Ăâî", Email: "s.tefanescu@tirgumures.ro",
			JobTitle: "Inspector superior", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		const stef = "Ștefănescu Țiței Ăâî"
		checkPeople(t, e, e.viewA, []peopleCase{
			{"without diacritics", org.PeopleFilter{Query: "stefanescu"}, []string{stef}, 1},
			{"upper case", org.PeopleFilter{Query: "TITEI"}, []string{stef}, 1},
			{"with diacritics", org.PeopleFilter{Query: "Ștefănescu"}, []string{stef}, 1},
			{"capital diacritics", org.PeopleFilter{Query: "ȘTEFĂNESCU ȚIȚEI"}, []string{stef}, 1},
			{"cedilla spelling", org.PeopleFilter{Query: "ştefănescu ţiţei"}, []string{stef}, 1},
			{"vowels with marks", org.PeopleFilter{Query: "aai"}, []string{stef}, 1},
			{"email", org.PeopleFilter{Query: "s.tefanescu@"}, []string{stef}, 1},
			{"job title", org.PeopleFilter{Query: "inspector"}, []string{"Barbu Ion", stef}, 2},
			{"spaces around", org.PeopleFilter{Query: "   barbu  "}, []string{"Barbu Ion"}, 1},
			{"part of a word", org.PeopleFilter{Query: "obanu"}, []string{"Ciobanu Maria"}, 1},
			{"only a's", org.PeopleFilter{Query: "albu"}, []string{"Albu Ana"}, 1},
			{"percent is literal", org.PeopleFilter{Query: "%"}, []string{}, 0},
			{"underscore is literal", org.PeopleFilter{Query: "_"}, []string{}, 0},
			{"no match", org.PeopleFilter{Query: "nimeni"}, []string{}, 0},
			{"blank query", org.PeopleFilter{Query: "   "}, []string{"Albu Ana", "Barbu Ion", "Ciobanu Maria", "Dinu Vasile", "Enache Elena", stef}, 6},
		})
		// A rename is found by its new name only.
		in := personInput(f.byName["Barbu Ion"])
		in.FullName = "Bărbulescu Ioan"
		if _, err := e.svc.UpdatePerson(t.Context(), e.adminA, f.byName["Barbu Ion"].ID, in); err != nil {
			t.Fatal(err)
		}
		checkPeople(t, e, e.viewA, []peopleCase{
			{"new name", org.PeopleFilter{Query: "barbulescu ioan"}, []string{"Bărbulescu Ioan"}, 1},
			{"old name", org.PeopleFilter{Query: "barbu ion"}, []string{}, 0},
		})
	})
}

func TestPeopleSortAndPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		f := e.people(t)
		// Ciobanu is changed last.
		e.clk.Advance(time.Hour)
		in := personInput(f.byName["Ciobanu Maria"])
		in.Phone = "0265 111 222"
		if _, err := e.svc.UpdatePerson(t.Context(), e.adminA, f.byName["Ciobanu Maria"].ID, in); err != nil {
			t.Fatal(err)
		}
		all := []string{"Albu Ana", "Barbu Ion", "Ciobanu Maria", "Dinu Vasile", "Enache Elena"}
		checkPeople(t, e, e.viewA, []peopleCase{
			{"name", org.PeopleFilter{Sort: "name"}, all, 5},
			{"-name", org.PeopleFilter{Sort: "-name"}, []string{"Enache Elena", "Dinu Vasile", "Ciobanu Maria", "Barbu Ion", "Albu Ana"}, 5},
			{"unknown key sorts by name", org.PeopleFilter{Sort: "salary"}, all, 5},
			{"unknown reversed key sorts by name, reversed", org.PeopleFilter{Sort: "-salary"}, []string{"Enache Elena", "Dinu Vasile", "Ciobanu Maria", "Barbu Ion", "Albu Ana"}, 5},
			// Equal job titles fall back to the name, in ascending order.
			{"job", org.PeopleFilter{Sort: "job"}, []string{"Ciobanu Maria", "Albu Ana", "Dinu Vasile", "Barbu Ion", "Enache Elena"}, 5},
			{"-job", org.PeopleFilter{Sort: "-job"}, []string{"Enache Elena", "Barbu Ion", "Albu Ana", "Dinu Vasile", "Ciobanu Maria"}, 5},
			{"updated", org.PeopleFilter{Sort: "updated"}, []string{"Albu Ana", "Barbu Ion", "Dinu Vasile", "Enache Elena", "Ciobanu Maria"}, 5},
			{"-updated", org.PeopleFilter{Sort: "-updated"}, []string{"Ciobanu Maria", "Enache Elena", "Dinu Vasile", "Barbu Ion", "Albu Ana"}, 5},
			// Units: Biroul Salarizare < Direcția Economică < Direcția Tehnică <
			// Serviciul Buget; a person without a unit sorts as an empty name,
			// the same on both engines.
			{"unit", org.PeopleFilter{Sort: "unit"}, []string{"Enache Elena", "Ciobanu Maria", "Albu Ana", "Dinu Vasile", "Barbu Ion"}, 5},
			{"-unit", org.PeopleFilter{Sort: "-unit"}, []string{"Barbu Ion", "Dinu Vasile", "Albu Ana", "Ciobanu Maria", "Enache Elena"}, 5},
			{"first page", org.PeopleFilter{Limit: 2}, all[:2], 5},
			{"second page", org.PeopleFilter{Limit: 2, Offset: 2}, all[2:4], 5},
			{"last page", org.PeopleFilter{Limit: 2, Offset: 4}, all[4:], 5},
			{"past the end", org.PeopleFilter{Limit: 2, Offset: 5}, []string{}, 5},
			{"negative offset", org.PeopleFilter{Limit: 2, Offset: -1}, all[:2], 5},
			{"sorted page", org.PeopleFilter{Sort: "-name", Limit: 2, Offset: 1}, []string{"Dinu Vasile", "Ciobanu Maria"}, 5},
			{"filtered page", org.PeopleFilter{Position: org.PositionManagement, Limit: 1, Offset: 1}, []string{"Dinu Vasile"}, 3},
		})
		// The default page is 25, and so is an over-large one.
		for range 24 {
			if _, err := e.svc.CreatePerson(t.Context(), e.adminA, org.PersonInput{FullName: "Zamfir", Position: org.PositionExecution, Employment: org.EmploymentContract, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		for _, limit := range []int{0, -5, 10001} {
			ps, total, err := e.svc.People(t.Context(), e.viewA, org.PeopleFilter{Limit: limit})
			if err != nil || len(ps) != 25 || total != 29 {
				t.Errorf("limit %d: %d people of %d, %v; want 25 of 29", limit, len(ps), total, err)
			}
		}
		ps, _, _ := e.svc.People(t.Context(), e.viewA, org.PeopleFilter{Limit: 10000})
		if len(ps) != 29 {
			t.Errorf("limit 10000: %d people, want 29", len(ps))
		}
		if got := org.PeopleSorts(); !slices.Equal(got, []string{"name", "unit", "job", "updated"}) {
			t.Errorf("PeopleSorts() = %v", got)
		}
	})
}

// Names sort by their folded form, so the letters with diacritics sort with
// their base letters (Ș among the S names, Î among the I names), whatever the
// engine's collation.
func TestPeopleSortByFoldedName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, n := range []string{"Tudor Ana", "Ștefănescu Țiței", "Zamfir Ana", "Sandu Ion", "Şerban Ana", "Țepeș Vlad", "Suciu Ion", "Îndreiu Maria", "Ionescu Dan", "abăluță Dan"} {
			if _, err := e.svc.CreatePerson(t.Context(), e.adminA, org.PersonInput{FullName: n, Position: org.PositionExecution, Employment: org.EmploymentContract, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"abăluță Dan", "Îndreiu Maria", "Ionescu Dan", "Sandu Ion", "Șerban Ana", "Ștefănescu Țiței", "Suciu Ion", "Țepeș Vlad", "Tudor Ana", "Zamfir Ana"}
		rev := slices.Clone(want)
		slices.Reverse(rev)
		checkPeople(t, e, e.viewA, []peopleCase{
			{"name", org.PeopleFilter{}, want, 10},
			{"-name", org.PeopleFilter{Sort: "-name"}, rev, 10},
		})
	})
}

// A name that begins another name sorts before it, whatever the person's
// e-mail address or job title.
func TestPeopleSortShorterNameFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, p := range []struct{ name, email, job string }{
			{"Pop Ana Maria", "", "Inspector"},
			{"Pop Ana", "pop.ana@tirgumures.ro", "Referent"},
		} {
			if _, err := e.svc.CreatePerson(t.Context(), e.adminA, org.PersonInput{FullName: p.name, Email: p.email, JobTitle: p.job, Position: org.PositionExecution, Employment: org.EmploymentContract, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		checkPeople(t, e, e.viewA, []peopleCase{
			{"name", org.PeopleFilter{}, []string{"Pop Ana", "Pop Ana Maria"}, 2},
			{"-name", org.PeopleFilter{Sort: "-name"}, []string{"Pop Ana Maria", "Pop Ana"}, 2},
		})
	})
}

func TestCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.people(t)
		for _, u := range []struct {
			name     string
			disabled bool
		}{{"ion", false}, {"maria", false}, {"fost", true}} {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO users (tenant_id, username, display_name, password_hash, disabled, created_at, updated_at) VALUES ($1, $2, $2, 'x', $3, $4, $4)`,
				e.a.ID, u.name, u.disabled, t0); err != nil {
				t.Fatal(err)
			}
		}
		c, err := e.svc.Counts(ctx, e.viewA)
		if err != nil {
			t.Fatal(err)
		}
		// 4 units, 5 active people (of 6), 2 enabled users (of 3), and the
		// events: the institution, 4 units, 6 people.
		if want := (org.Counts{Units: 4, People: 5, Users: 2, Events: 11}); c != want {
			t.Errorf("Counts(a) = %+v, want %+v", c, want)
		}
		c, err = e.svc.Counts(ctx, e.adminB)
		if err != nil {
			t.Fatal(err)
		}
		if want := (org.Counts{Units: 1, People: 1, Users: 0, Events: 3}); c != want {
			t.Errorf("Counts(b) = %+v, want %+v", c, want)
		}
	})
}
