package scale_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scale"
	"cadran/internal/textutil"
	"cadran/internal/training"
	"cadran/internal/work"
)

// TestCitizen generates one small institution and reads its registry back
// through the citizen service: every case is there with its deadline as
// the module computes it, one creation event each, the indicators' summary
// agrees with the cases, the text search and the public status page find
// them, and every open case has its one inbox task.
func TestCitizen(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tenant := generateOne(t, d)
		p := scale.ProfileFor(testFactor)
		svc := &citizen.Service{DB: d, Clock: clock.NewFixed(t0), Work: &work.Service{DB: d, Clock: clock.NewFixed(t0)}}
		qm := auth.Actor{Tenant: tenant, Name: "calitate", Roles: []auth.Role{auth.RoleQualityManager}, Locale: "ro"}

		page, err := svc.Cases(ctx, qm, citizen.CaseFilter{PerPage: p.Petitions})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != p.Petitions || len(page.Items) != p.Petitions {
			t.Fatalf("cases = %d (%d listed), want %d", page.Total, len(page.Items), p.Petitions)
		}
		settings, err := svc.SettingsOf(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		services := map[int64]int{}
		cat, err := svc.CatalogueOf(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range cat {
			services[s.ID] = s.LegalDays
		}
		years := map[int]bool{}
		states := map[string]int{}
		kinds := map[string]int{}
		var open, rated int
		var sample citizen.Case
		for _, c := range page.Items {
			years[c.Year] = true
			states[c.State]++
			kinds[c.Kind]++
			if c.Rated {
				rated++
			}
			if c.Number != citizen.FormatNumber(c.Seq, c.Year) || c.RegisteredOn.Year() != c.Year {
				t.Errorf("case %d: number %s, registered %s", c.ID, c.Number, c.RegisteredOn.Format(time.DateOnly))
			}
			base := c
			base.ExtensionDays, base.Complex = 0, false
			if want := citizen.DueOn(base, services[c.ServiceID], settings.ShiftToWorking); !c.BaseDueOn.Equal(want) {
				t.Errorf("case %s (%s): first deadline %s, want %s", c.Number, c.Kind, c.BaseDueOn.Format(time.DateOnly), want.Format(time.DateOnly))
			}
			if want := citizen.DueOn(c, services[c.ServiceID], settings.ShiftToWorking); !c.DueOn.Equal(want) {
				t.Errorf("case %s (%s): deadline %s, want %s", c.Number, c.Kind, c.DueOn.Format(time.DateOnly), want.Format(time.DateOnly))
			}
			if c.Open() {
				open++
				if !c.ClosedOn.IsZero() || c.RegisteredOn.Before(t0.AddDate(0, -3, 0)) {
					t.Errorf("open case %s registered %s, closed %s", c.Number, c.RegisteredOn.Format(time.DateOnly), c.ClosedOn.Format(time.DateOnly))
				}
				if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'citizen' AND entity_id = $2 AND state = 'open' AND due_on = $3`,
					tenant, c.ID, c.DueOn.Format(time.DateOnly)); n != 1 {
					t.Errorf("open case %s has %d open tasks due on its deadline", c.Number, n)
				}
			} else if c.ClosedOn.IsZero() || c.DaysTaken == nil || c.OnTime == nil || c.ClosedOn.Before(c.RegisteredOn) || c.ClosedOn.After(t0) {
				t.Errorf("closed case %s: closed %v, days %v, on time %v", c.Number, c.ClosedOn, c.DaysTaken, c.OnTime)
			}
			if sample.ID == 0 && c.State == citizen.StateAnswered && c.Petitioner.Name != "" && !c.Petitioner.LegalPerson {
				sample = c
			}
		}
		if len(years) < p.Years-1 || states[citizen.StateAnswered] < p.Petitions/2 || open == 0 || kinds[citizen.KindInfo] == 0 || kinds[citizen.KindService] == 0 {
			t.Errorf("spread: %d years, states %v, kinds %v, %d open", len(years), states, kinds, open)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM citizen_feedback WHERE tenant_id = $1 AND channel = 'answer'`, tenant); n != rated || rated == 0 {
			t.Errorf("%d ratings for %d rated cases", n, rated)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'citizen' AND state = 'open'`, tenant); n != open {
			t.Errorf("%d open citizen tasks for %d open cases", n, open)
		}

		// One creation event per case, carrying the case as it stands.
		if n := count(t, d, `SELECT COUNT(DISTINCT entity_id) FROM audit_events WHERE tenant_id = $1 AND entity = $2 AND action = 'create'`, tenant, citizen.EntityCase); n != p.Petitions {
			t.Errorf("%d cases with a creation event, want %d", n, p.Petitions)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_events a JOIN citizen_cases c ON c.id = a.entity_id AND c.tenant_id = a.tenant_id
			WHERE a.tenant_id = $1 AND a.entity = $2 AND a.after_json LIKE '%"State":"' || c.state || '"%' AND a.after_json LIKE '%"Number":"' || c.number || '"%'`,
			tenant, citizen.EntityCase); n != p.Petitions {
			t.Errorf("%d creation events name their case's number and state, want %d", n, p.Petitions)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = $2`, tenant, citizen.EntityFeedback); n != rated {
			t.Errorf("%d rating events for %d ratings", n, rated)
		}

		// The indicators' summary is what the cases and ratings give.
		got, err := citizen.StatsSummary(ctx, d, tenant)
		if err != nil {
			t.Fatal(err)
		}
		want, err := citizen.StatsScratch(ctx, d, tenant)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || len(got) != len(want) {
			t.Errorf("summary has %d figures, the registry gives %d", len(got), len(want))
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("summary %s = %d, want %d", k, got[k], v)
			}
		}
		set, err := svc.ServiceIndicators(ctx, qm, time.Date(t0.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(t0.Year()-1, 12, 31, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if set.Total.Registered == 0 || set.Total.Closed == 0 || set.Total.OnTime == 0 {
			t.Errorf("last year's indicators: %+v", set.Total)
		}

		// The search finds a case by its petitioner, typed without diacritics.
		if sample.ID == 0 {
			t.Fatal("no answered case of a person")
		}
		found, err := svc.Cases(ctx, qm, citizen.CaseFilter{Query: strings.ToUpper(textutil.Fold(sample.Petitioner.Name)), PerPage: 500})
		if err != nil {
			t.Fatal(err)
		}
		hit := false
		for _, c := range found.Items {
			hit = hit || c.ID == sample.ID
		}
		if !hit {
			t.Errorf("searching %q did not find case %s", sample.Petitioner.Name, sample.Number)
		}

		// The petitioner follows the case with the generated access code.
		st, err := svc.Status(ctx, tenant, sample.Number, scale.CaseAccessCode(7, "g0001", sample.Number))
		if err != nil {
			t.Fatalf("status of %s: %v", sample.Number, err)
		}
		if st.State != citizen.StateAnswered || st.Answer == "" || st.Subject != sample.Subject {
			t.Errorf("status of %s = %+v", sample.Number, st)
		}
		if _, err := svc.Status(ctx, tenant, sample.Number, scale.CaseAccessCode(8, "g0001", sample.Number)); err == nil {
			t.Errorf("another seed's code opened %s", sample.Number)
		}
	})
}

// TestTraining generates one small institution and reads its training
// records back through the training service: the profile's sessions in
// the states the workflow allows, past ones closed with their enrolments
// completed or failed, the next ones with their people's tasks to attend,
// certificates only for completed enrolments with their renewal tasks,
// the target group, the matrix and the induction plans of new hires.
func TestTraining(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tenant := generateOne(t, d)
		p := scale.ProfileFor(testFactor)
		svc := &training.Service{DB: d, Clock: clock.NewFixed(t0), Work: &work.Service{DB: d, Clock: clock.NewFixed(t0)}}
		qm := auth.Actor{Tenant: tenant, Name: "calitate", Roles: []auth.Role{auth.RoleQualityManager}, Locale: "ro"}

		page, err := svc.Sessions(ctx, qm, training.SessionFilter{PerPage: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != p.Sessions || len(page.Items) != p.Sessions {
			t.Fatalf("sessions = %d (%d listed), want %d", page.Total, len(page.Items), p.Sessions)
		}
		states := map[string]int{}
		for _, s := range page.Items {
			states[s.State]++
			es, err := svc.Enrolments(ctx, qm, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 {
				t.Errorf("session %s has nobody enrolled", s.Code)
			}
			for _, e := range es {
				switch s.State {
				case training.SessionClosed:
					if e.State != training.EnrolCompleted && e.State != training.EnrolFailed {
						t.Errorf("closed session %s: enrolment %d %s", s.Code, e.ID, e.State)
					}
				case training.SessionPlanned:
					if e.State != training.EnrolEnrolled {
						t.Errorf("planned session %s: enrolment %d %s", s.Code, e.ID, e.State)
					}
					if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'training' AND entity = $2 AND entity_id = $3 AND state = 'open'`,
						tenant, training.EntityEnrolment, e.ID); n != 1 {
						t.Errorf("planned session %s: enrolment %d has %d open tasks", s.Code, e.ID, n)
					}
				}
			}
		}
		if states[training.SessionClosed] < p.Sessions/2 || states[training.SessionPlanned] == 0 {
			t.Errorf("session states %v", states)
		}
		if n := count(t, d, `SELECT COUNT(DISTINCT entity_id) FROM audit_events WHERE tenant_id = $1 AND entity = $2 AND action = 'create'`, tenant, training.EntitySession); n != p.Sessions {
			t.Errorf("%d sessions with a creation event, want %d", n, p.Sessions)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM training_attendance WHERE tenant_id = $1`, tenant); n == 0 {
			t.Error("no attendance recorded")
		}

		certs, err := svc.Certificates(ctx, qm, training.CertificateFilter{PerPage: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM training_certificates c JOIN training_enrolments e ON e.id = c.enrolment_id
			WHERE c.tenant_id = $1 AND e.state <> 'completed'`, tenant); n != 0 {
			t.Errorf("%d certificates of enrolments not completed", n)
		}
		for _, c := range certs.Items {
			want := 0
			if c.ExpiresOn != "" && !c.Revoked && c.RenewedBy == 0 {
				want = 1
			}
			if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'training' AND entity = $2 AND entity_id = $3 AND state = 'open'`,
				tenant, training.EntityCert, c.ID); n != want {
				t.Errorf("certificate %s (expires %q) has %d open renewal tasks, want %d", c.Number, c.ExpiresOn, n, want)
			}
		}

		groups, err := svc.Groups(ctx, qm, training.GroupFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if groups.Total != 1 {
			t.Fatalf("%d target groups", groups.Total)
		}
		members, err := svc.Members(ctx, qm, groups.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) == 0 {
			t.Error("the target group has no members")
		}
		m, err := svc.Matrix(ctx, qm, training.MatrixFilter{PerPage: 1000}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Competences) < 9 || m.Total != p.People {
			t.Errorf("matrix: %d competences, %d rows (want %d people)", len(m.Competences), m.Total, p.People)
		}
		ind, err := svc.Inductions(ctx, qm, training.InductionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if ind.Total == 0 {
			t.Error("no induction plan")
		}
	})
}
