package demo

import (
	"cadran/internal/i18n"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

func TestCUIsAreValid(t *testing.T) {
	for _, cui := range []string{CUI, ValeaCUI} {
		if !org.ValidCUI(cui) {
			t.Errorf("demo CUI %s does not pass org.ValidCUI", cui)
		}
	}
	if len(Password) < auth.MinPasswordLen {
		t.Errorf("demo password is shorter than %d characters", auth.MinPasswordLen)
	}
}

// peopleIn counts the people a spec describes.
func peopleIn(spec institutionSpec) int {
	n := 1 + spec.deputies + 1 + spec.councillors // mayor, deputies, secretary, councillors
	for _, u := range spec.units {
		if u.head != "" {
			n++
		}
		for _, st := range u.staff {
			n += st.count
		}
	}
	return n
}

func TestSeed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFixed(time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC))
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || len(res.Institutions) != 2 {
			t.Fatalf("Seed = %+v, want two institutions created", res)
		}
		t.Logf("%s (in %s)", res, time.Since(start).Round(time.Millisecond))

		orgs := &org.Service{DB: d, Clock: clk}
		counts := map[string][3]int{} // units, people, users by CUI
		for _, spec := range institutions {
			inst, err := orgs.InstitutionByCUI(ctx, spec.cui)
			if err != nil {
				t.Fatalf("institution %s: %v", spec.cui, err)
			}
			// Diacritics come back exactly as written.
			if inst.Name != spec.name || inst.County != spec.county {
				t.Errorf("institution read back as %q, %q; want %q, %q", inst.Name, inst.County, spec.name, spec.county)
			}
			var c [3]int
			if err := d.R.QueryRowContext(ctx, `SELECT
				(SELECT COUNT(*) FROM units WHERE tenant_id = $1),
				(SELECT COUNT(*) FROM people WHERE tenant_id = $1),
				(SELECT COUNT(*) FROM users WHERE tenant_id = $1)`, inst.ID).Scan(&c[0], &c[1], &c[2]); err != nil {
				t.Fatal(err)
			}
			wantUsers := 0
			for _, a := range Accounts {
				if a.CUI == spec.cui {
					wantUsers++
				}
			}
			wantPeople := peopleIn(spec)
			if spec.cui == CUI {
				// The new hires the training seeder creates through org.
				wantPeople += trainingNewHires
			}
			if want := [3]int{len(spec.units), wantPeople, wantUsers}; c != want {
				t.Errorf("%s: units, people, users = %v, want %v", spec.name, c, want)
			}
			counts[spec.cui] = c
		}
		if c := counts[CUI]; c[0] < 25 || c[1] < 75 || c[1] > 100 {
			t.Errorf("the demo municipality has %d units and %d people; want about 25+ and 80", c[0], c[1])
		}
		if c := counts[ValeaCUI]; c[1] != 10 {
			t.Errorf("the demo commune has %d people, want 10", c[1])
		}

		main, err := orgs.InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		admin := auth.SystemActor(main.ID, "test")
		units, err := orgs.Units(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range units {
			names = append(names, u.Name)
		}
		for _, want := range []string{"Serviciul Impozite și Taxe Locale", "Biroul Constatare și Control Persoane Fizice", "Compartimentul Persoane Vârstnice și Persoane cu Dizabilități"} {
			if !slices.Contains(names, want) {
				t.Errorf("unit %q missing or altered; units are %q", want, names)
			}
		}
		people, _, err := orgs.People(ctx, admin, org.PeopleFilter{Status: "all", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(names, "\n") + "\n"
		for _, p := range people {
			all += p.FullName + " " + p.JobTitle + "\n"
		}
		for _, r := range []string{"ș", "ț", "ă", "â", "î", "Ș"} {
			if !strings.Contains(all, r) {
				t.Errorf("no unit name, person name or job title has %q", r)
			}
		}
		if strings.ContainsAny(all, "şţŞŢ") {
			t.Error("a name is written with the cedilla ş or ţ")
		}
		// The search folds diacritics: the plain spelling finds the
		// comma-below one.
		found, _, err := orgs.People(ctx, admin, org.PeopleFilter{Query: "responsabil cu managementul calitatii"})
		if err != nil || len(found) != 1 {
			t.Errorf("search for the RMC found %d people (%v)", len(found), err)
		}

		// Every demo user signs in, in the right institution, with the right
		// roles, linked to a person of that institution.
		users := &auth.Service{DB: d, Clock: clk}
		locales := map[string]bool{}
		for _, a := range Accounts {
			u, err := users.Authenticate(ctx, a.Username, Password, "192.0.2.1")
			if err != nil {
				t.Errorf("sign in as %s: %v", a.Username, err)
				continue
			}
			inst, err := orgs.InstitutionByCUI(ctx, a.CUI)
			if err != nil {
				t.Fatal(err)
			}
			if u.Tenant != inst.ID || !slices.Equal(u.Roles, a.Roles) || u.PlatformAdmin != a.PlatformAdmin || u.Locale != a.Locale {
				t.Errorf("user %s = tenant %d roles %v platform %v locale %s; want tenant %d roles %v platform %v locale %s",
					a.Username, u.Tenant, u.Roles, u.PlatformAdmin, u.Locale, inst.ID, a.Roles, a.PlatformAdmin, a.Locale)
			}
			p, err := orgs.Person(ctx, auth.SystemActor(u.Tenant, "test"), u.PersonID)
			if err != nil {
				t.Errorf("user %s: linked person: %v", a.Username, err)
			} else if p.FullName != u.DisplayName {
				t.Errorf("user %s is called %q but linked to %q", a.Username, u.DisplayName, p.FullName)
			}
			locales[u.Locale] = true
		}
		if !locales["en"] || !locales["ro"] {
			t.Errorf("demo locales = %v, want both ro and en", locales)
		}
		primar, err := users.UserByUsername(ctx, "primar")
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := orgs.Person(ctx, admin, primar.PersonID); p.ElectedRole != org.ElectedMayor {
			t.Errorf("primar is linked to %q (%s), not the mayor", p.FullName, p.JobTitle)
		}
		economic, err := users.UserByUsername(ctx, "economic")
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := orgs.Person(ctx, admin, economic.PersonID); p.UnitName != "Direcția Economică" || p.Position != org.PositionManagement {
			t.Errorf("economic is linked to %q, %s of %q; want the head of Direcția Economică", p.FullName, p.Position, p.UnitName)
		}

		// A second Seed changes nothing and says so.
		var events int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events`).Scan(&events); err != nil {
			t.Fatal(err)
		}
		again, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		if again.Created || !strings.Contains(again.String(), "already") {
			t.Errorf("second Seed = %+v (%s), want nothing created", again, again)
		}
		var events2, institutionsN int
		if err := d.R.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_events), (SELECT COUNT(*) FROM institutions)`).Scan(&events2, &institutionsN); err != nil {
			t.Fatal(err)
		}
		if events2 != events || institutionsN != 2 {
			t.Errorf("second Seed wrote: events %d -> %d, institutions %d", events, events2, institutionsN)
		}

		// Every record was audited and the trail is whole.
		n, brk, err := audit.Verify(ctx, d.R)
		if err != nil || brk != nil {
			t.Fatalf("audit.Verify: %v, %v", brk, err)
		}
		c := counts[CUI]
		v := counts[ValeaCUI]
		// institution + units + people + users, plus one sign-in per account,
		// plus each demo task and each move of one (done, cancelled, reassigned),
		// plus the register's history: every document step and the inbox tasks
		// it handed out and closed.
		moved := 0
		for _, dt := range demoTasks {
			if dt.then != "" {
				moved++
			}
		}
		var docEvents int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE entity LIKE 'document%'
			OR (entity = 'task' AND entity_id IN (SELECT id FROM tasks WHERE module = 'documents'))`).Scan(&docEvents); err != nil {
			t.Fatal(err)
		}
		if docEvents < 10*len(demoDocuments) {
			t.Errorf("the register's history has %d audit events for %d documents", docEvents, len(demoDocuments))
		}
		// The risk register, the nonconformity log, the audits, the
		// compliance matrix, the scorecard, the CAF self-assessments and the management reviews, each
		// with the tasks they handed out; their own tests check their
		// contents.
		var registerEvents int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE entity LIKE 'risk%'
			OR entity IN ('nonconformity', 'nc_analysis', 'nc_check', 'improvement_action', 'proposal')
			OR entity IN ('internal_audit', 'audit_programme', 'audit_programme_item', 'audit_checklist', 'audit_checklist_item', 'audit_finding', 'auditor', 'auditor_qualification')
			OR entity IN ('compliance_clause', 'compliance_evidence', 'compliance_settings', 'external_audit', 'external_finding', 'compliance_certificate')
			OR entity IN ('scorecard_perspective', 'scorecard_objective', 'scorecard_link', 'kpi', 'kpi_measurement', 'initiative')
			OR entity LIKE 'caf%'
			OR entity LIKE 'citizen%'
			OR entity LIKE 'training%'
			OR entity LIKE 'control%'
			OR entity LIKE 'crosswalk%'
			OR entity LIKE 'review%'
			OR (entity = 'task' AND entity_id IN (SELECT id FROM tasks WHERE module IN ('risks', 'improvement', 'audits', 'compliance', 'scorecard', 'caf', 'citizen', 'training', 'control', 'reviews')))`).Scan(&registerEvents); err != nil {
			t.Fatal(err)
		}
		if want := 2 + c[0] + c[1] + c[2] + v[0] + v[1] + v[2] + len(Accounts) + len(demoTasks) + moved + docEvents + registerEvents; n != want {
			t.Errorf("audit trail has %d events, want %d", n, want)
		}
		// Every kind of record in the trail and every module that hands out
		// tasks has a name on the audit and task pages, in both languages.
		bundle := i18n.MustLoad()
		for _, q := range []struct{ prefix, sql string }{
			{"entity.", `SELECT DISTINCT entity FROM audit_events`},
			{"task.module.", `SELECT DISTINCT module FROM tasks`},
		} {
			rows, err := d.R.QueryContext(ctx, q.sql)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var name string
				if err := rows.Scan(&name); err != nil {
					t.Fatal(err)
				}
				for _, lang := range i18n.Languages {
					if !bundle.Localizer(lang).Has(q.prefix + name) {
						t.Errorf("no %s name for %s%s", lang, q.prefix, name)
					}
				}
			}
			rows.Close()
		}
	})
}

func TestSeedIsDeterministic(t *testing.T) {
	names := func() []string {
		d := dbtest.Open(t, db.SQLite)
		ctx := context.Background()
		if _, err := Seed(ctx, d, clock.System{}); err != nil {
			t.Fatal(err)
		}
		// The people, and the register down to who confirmed reading what.
		var out []string
		for _, q := range []string{
			`SELECT full_name || '|' || email FROM people ORDER BY id`,
			`SELECT d.code || '|' || d.state || '|' || (SELECT COUNT(*) FROM document_versions v WHERE v.document_id = d.id) FROM documents d ORDER BY d.id`,
			`SELECT r.version_id || '|' || r.person_id || '|' || r.copy_no || '|' || (r.acknowledged_at IS NULL) FROM document_receipts r ORDER BY r.version_id, r.person_id`,
		} {
			rows, err := d.R.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				out = append(out, s)
			}
			rows.Close()
		}
		return out
	}
	if a, b := names(), names(); !slices.Equal(a, b) {
		t.Errorf("two seeds made different people or registers:\n%q\n%q", a, b)
	}
}

// The demo inbox has tasks in every state and every group, so a newcomer sees
// "my work" working.
func TestSeedFillsTheInbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		if _, err := Seed(ctx, d, clk); err != nil {
			t.Fatal(err)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		// The tasks handed out by hand; the register adds its own (see
		// TestSeedFillsTheRegister).
		var open, overdue, done, cancelled, reassigned, roleTasks, notices int
		if err := d.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'work' AND state = 'open'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'work' AND state = 'open' AND due_on < '2026-11-23'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'work' AND state = 'done'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'work' AND state = 'cancelled'),
			(SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND action = 'reassign'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'work' AND role <> ''),
			(SELECT COUNT(*) FROM notifications WHERE tenant_id = $1)`, inst.ID).
			Scan(&open, &overdue, &done, &cancelled, &reassigned, &roleTasks, &notices); err != nil {
			t.Fatal(err)
		}
		if open < 8 || overdue < 3 || done != 1 || cancelled != 1 || reassigned != 1 || roleTasks != 2 || notices < 8 {
			t.Errorf("demo inbox: open %d, overdue %d, done %d, cancelled %d, reassigned %d, role tasks %d, notifications %d",
				open, overdue, done, cancelled, reassigned, roleTasks, notices)
		}
		// The employee has work in each group of "my work".
		users := &auth.Service{DB: d, Clock: clk}
		u, err := users.UserByUsername(ctx, "angajat")
		if err != nil {
			t.Fatal(err)
		}
		a, err := users.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		in, err := (&work.Service{DB: d, Clock: clk}).MyWork(ctx, a, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(in.ThisWeek) == 0 || len(in.Later) == 0 {
			t.Errorf("the employee's inbox: %d this week, %d later", len(in.ThisWeek), len(in.Later))
		}
	})
}
