package training_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/training"
)

// indWorld is A's training year 2026, written straight into the tables so
// every figure is known:
//
//   - target group GT-SIPOCA with programmes P-A (16 h) and P-B (8 h);
//     members Ema, Ion and Viorica, and Dan who left on 1 June; group
//     GT-GOL with no programme;
//   - P-A held 9-10 March: Ema completed (16 h), Ion completed (12 h), Dan
//     failed (4 h); P-B held 1 April: Ema completed (8 h); P-A held in
//     December 2025: Viorica completed (16 h); P-X (no group) held until
//     10 November with Ana enrolled, and planned again on 1 December;
//   - certificates: Ema's (P-A, issued 1 May, expires 15 December), Ion's
//     (revoked), Dan's (expired 1 June), Viorica's (issued 1 February, no
//     expiry);
//   - induction plans: Ana's due 1 February completed 20 January, Dan's
//     due 1 March completed 5 March, Ema's due 1 April open, Ion's
//     cancelled, Viorica's due 1 February 2027 open;
//   - competences: C-Q required of everyone (level 1), C-T of inspectors
//     (level 2); Ema holds both, Ion C-Q and C-T below the level, from 1
//     November.
type indWorld struct {
	group, empty           int64
	pa, pb, px             int64
	sa1, sb1, sa0, sx, sx2 int64
	plans                  map[int64]int64
	cq, ct                 int64
	danCert                int64
}

func newIndWorld(t testing.TB, e *env) indWorld {
	t.Helper()
	ctx := t.Context()
	A := e.qm.Tenant
	var w indWorld
	w.group = indInsert(t, e, `INSERT INTO training_groups (tenant_id, code, name, goal_members, created_at, updated_at) VALUES ($1, 'GT-SIPOCA', 'Grupul țintă SIPOCA', 30, $2, $2)`, A, t0)
	w.empty = indInsert(t, e, `INSERT INTO training_groups (tenant_id, code, name, created_at, updated_at) VALUES ($1, 'GT-GOL', 'Grup fără programe', $2, $2)`, A, t0)
	member := func(group, person int64, joined, left string) {
		indExec(t, e, `INSERT INTO training_group_members (tenant_id, group_id, person_id, category, joined_on, left_on, created_at, updated_at) VALUES ($1, $2, $3, 'execution', $4, $5, $6, $6)`,
			A, group, person, joined, left, t0)
	}
	member(w.group, e.ema, "2026-01-01", "")
	member(w.group, e.ion, "2026-01-01", "")
	member(w.group, e.dan, "2026-01-01", "2026-06-01")
	member(w.group, e.vio, "2026-02-01", "")
	member(w.empty, e.ema, "2026-01-01", "")
	w.pa = indRawProgramme(t, e, A, "P-A", 16, w.group)
	w.pb = indRawProgramme(t, e, A, "P-B", 8, w.group)
	w.px = indRawProgramme(t, e, A, "P-X", 4, 0)
	w.sa1 = indRawSession(t, e, A, w.pa, "P-A/1", "2026-03-09", "2026-03-10", training.SessionClosed)
	w.sb1 = indRawSession(t, e, A, w.pb, "P-B/1", "2026-04-01", "2026-04-01", training.SessionClosed)
	w.sa0 = indRawSession(t, e, A, w.pa, "P-A/0", "2025-12-15", "2025-12-15", training.SessionClosed)
	w.sx = indRawSession(t, e, A, w.px, "P-X/1", "2026-11-09", "2026-11-10", training.SessionHeld)
	w.sx2 = indRawSession(t, e, A, w.px, "P-X/2", "2026-12-01", "2026-12-01", training.SessionPlanned)
	indRawEnrolment(t, e, A, w.sa1, e.ema, training.EnrolCompleted, 16, "2026-03-10")
	indRawEnrolment(t, e, A, w.sa1, e.ion, training.EnrolCompleted, 12, "2026-03-10")
	indRawEnrolment(t, e, A, w.sa1, e.dan, training.EnrolFailed, 4, "")
	indRawEnrolment(t, e, A, w.sb1, e.ema, training.EnrolCompleted, 8, "2026-04-01")
	indRawEnrolment(t, e, A, w.sa0, e.vio, training.EnrolCompleted, 16, "2025-12-15")
	indRawEnrolment(t, e, A, w.sx, e.ana, training.EnrolEnrolled, 4, "")
	indRawCertificate(t, e, A, e.ema, w.pa, "2026-05-01", "2026-12-15", false)
	indRawCertificate(t, e, A, e.ion, w.pa, "2026-06-01", "", true)
	w.danCert = indRawCertificate(t, e, A, e.dan, 0, "2025-06-01", "2026-06-01", false)
	indRawCertificate(t, e, A, e.vio, 0, "2026-02-01", "", false)
	w.plans = map[int64]int64{
		e.ana: indRawPlan(t, e, A, e.ana, "2026-01-01", "2026-02-01", training.InductionCompleted, "2026-01-20"),
		e.dan: indRawPlan(t, e, A, e.dan, "2026-01-30", "2026-03-01", training.InductionCompleted, "2026-03-05"),
		e.ema: indRawPlan(t, e, A, e.ema, "2026-03-02", "2026-04-01", training.InductionOpen, ""),
		e.ion: indRawPlan(t, e, A, e.ion, "2026-04-01", "2026-05-01", training.InductionCancelled, ""),
		e.vio: indRawPlan(t, e, A, e.vio, "2026-11-20", "2027-02-01", training.InductionOpen, ""),
	}
	indRawItem(t, e, A, w.plans[e.ema], "P-IND Inducție", "2026-04-01", "")
	indRawItem(t, e, A, w.plans[e.ema], "PC-01 Politica în domeniul calității", "2026-04-01", "2026-03-05")
	comp := func(code string) int64 {
		return indMust(e.svc.CreateCompetence(ctx, e.qm, training.CompetenceInput{Code: code, Name: "Competența " + code, Area: training.TopicQuality, Active: true}))(t).ID
	}
	w.cq, w.ct = comp("C-Q"), comp("C-T")
	indMust(e.svc.AddRequirement(ctx, e.qm, w.cq, training.RequirementInput{Kind: training.RequireEveryone, Level: 1}))(t)
	indMust(e.svc.AddRequirement(ctx, e.qm, w.ct, training.RequirementInput{Kind: training.RequireJob, Target: "Inspector", Level: 2}))(t)
	hold := func(person, comp int64, level int) {
		indMust(e.svc.Assess(ctx, e.qm, person, training.HeldInput{CompetenceID: comp, Level: level, AcquiredOn: "2026-11-01"}))(t)
	}
	hold(e.ema, w.cq, 1)
	hold(e.ion, w.cq, 1)
	hold(e.ema, w.ct, 2)
	hold(e.ion, w.ct, 1)
	return w
}

func indDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestTrainingMetrics(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		newIndWorld(t, e)
		A, B := e.qm.Tenant, e.other.Tenant
		for _, tc := range []struct {
			name     string
			tenant   int64
			key      string
			from, to string
			value    float64
			ok       bool
		}{
			{"trained in 2026", A, training.MetricTrained, "2026-01-01", "2027-01-01", 2, true},
			{"trained in December 2025", A, training.MetricTrained, "2025-12-01", "2026-01-01", 1, true},
			{"trained in B", B, training.MetricTrained, "2026-01-01", "2027-01-01", 0, true},
			{"certified in 2026 (the revoked one left out)", A, training.MetricCertified, "2026-01-01", "2027-01-01", 2, true},
			{"certified in 2025", A, training.MetricCertified, "2025-01-01", "2026-01-01", 1, true},
			{"hours per person: 36 h over 5 active people", A, training.MetricHoursPerPerson, "2026-01-01", "2027-01-01", 7.2, true},
			{"hours per person in B", B, training.MetricHoursPerPerson, "2026-01-01", "2027-01-01", 0, true},
			{"induction on time: 1 of 3 due (the cancelled left out)", A, training.MetricInductionOK, "2026-01-01", "2027-01-01", 33.33, true},
			{"induction on time in 2027: the open one", A, training.MetricInductionOK, "2027-01-01", "2028-01-01", 0, true},
			{"induction on time, none due", A, training.MetricInductionOK, "2025-01-01", "2026-01-01", 0, false},
			{"coverage at the end of 2026: 3 of 7 cells", A, training.MetricCoverage, "2026-01-01", "2027-01-01", 42.86, true},
			{"coverage at the end of June: nothing held yet", A, training.MetricCoverage, "2026-01-01", "2026-07-01", 0, true},
			{"coverage in B: nothing required", B, training.MetricCoverage, "2026-01-01", "2027-01-01", 0, false},
			{"group share at the end of 2026: Ema of 3", A, training.MetricGroupShare + "/GT-SIPOCA", "2026-01-01", "2027-01-01", 33.33, true},
			{"group share at the end of March: none of 4", A, training.MetricGroupShare + "/GT-SIPOCA", "2026-01-01", "2026-04-01", 0, true},
			{"group share before anyone joined", A, training.MetricGroupShare + "/GT-SIPOCA", "2025-01-01", "2026-01-01", 0, false},
			{"group share of a group with no programme", A, training.MetricGroupShare + "/GT-GOL", "2026-01-01", "2027-01-01", 0, false},
			{"group share of an unknown group", A, training.MetricGroupShare + "/GT-NU", "2026-01-01", "2027-01-01", 0, false},
			{"group share of A's group in B", B, training.MetricGroupShare + "/GT-SIPOCA", "2026-01-01", "2027-01-01", 0, false},
			{"an empty period", A, training.MetricTrained, "2026-01-01", "2026-01-01", 0, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v, ok, err := e.svc.Measure(ctx, tc.tenant, tc.key, indDay(tc.from), indDay(tc.to))
				if err != nil || v != tc.value || ok != tc.ok {
					t.Fatalf("got %v %v %v, want %v %v", v, ok, err, tc.value, tc.ok)
				}
			})
		}
		for _, key := range []string{"training.nothing", training.MetricGroupShare, training.MetricTrained + "/GT-SIPOCA"} {
			if _, _, err := e.svc.Measure(ctx, A, key, indDay("2026-01-01"), indDay("2027-01-01")); err == nil {
				t.Errorf("%s measured", key)
			}
		}
		var keys []string
		for _, m := range e.svc.Metrics() {
			keys = append(keys, m.Key)
			if m.Label == "" || m.Unit == "" || m.Polarity != "higher" {
				t.Errorf("metric %+v", m)
			}
		}
		if !slices.Equal(keys, []string{training.MetricTrained, training.MetricCertified, training.MetricHoursPerPerson, training.MetricInductionOK, training.MetricCoverage}) {
			t.Fatalf("metrics %v", keys)
		}
		ms := indMust(e.svc.TenantMetrics(ctx, A))(t)
		if len(ms) != 2 || ms[1].Key != "training.group_share/GT-SIPOCA" || ms[1].Name != "GT-SIPOCA Grupul țintă SIPOCA: membri care au absolvit programele (%)" ||
			ms[1].Label != "training.metric.group_share" || ms[1].Unit != "%" {
			t.Fatalf("tenant metrics %+v", ms)
		}
		if ms := indMust(e.svc.TenantMetrics(ctx, B))(t); len(ms) != 0 {
			t.Fatalf("B's tenant metrics %+v", ms)
		}
	})
}

func TestTrainingOverview(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newIndWorld(t, e)
		o := indMust(e.svc.Overview(ctx, e.qm, 2026))(t)
		got := fmt.Sprintf("%d %d %v | %d %d | %d %d | %v %d %d", o.Trained, o.Certified, o.HoursPerPerson, o.Expiring, o.Expired,
			o.InductionsOpen, o.InductionsOverdue, o.Coverage, o.Gaps, o.Required)
		if want := "2 2 7.2 | 1 1 | 2 1 | 42.86 4 7"; got != want {
			t.Fatalf("overview %s, want %s", got, want)
		}
		if len(o.Upcoming) != 1 || o.Upcoming[0].ID != w.sx2 {
			t.Fatalf("upcoming %+v", o.Upcoming)
		}
		if len(o.Groups) != 2 || o.Groups[1].Code != "GT-SIPOCA" || o.Groups[1].Progress.Members != 3 {
			t.Fatalf("groups %+v", o.Groups)
		}
		// Dan's certificate renewed (by a revoked one first: it still counts
		// as expired) is no longer expired.
		renew := indRawCertificate(t, e, e.qm.Tenant, e.dan, 0, "2026-11-20", "2029-11-20", true)
		indExec(t, e, `UPDATE training_certificates SET renews_id = $1 WHERE id = $2`, w.danCert, renew)
		if o := indMust(e.svc.Overview(ctx, e.qm, 2026))(t); o.Expired != 1 {
			t.Fatalf("a revoked renewal renewed: %+v", o)
		}
		indExec(t, e, `UPDATE training_certificates SET revoked = FALSE WHERE id = $1`, renew)
		if o := indMust(e.svc.Overview(ctx, e.qm, 2026))(t); o.Expired != 0 || o.Expiring != 1 {
			t.Fatalf("after the renewal: %+v", o)
		}
		// An employee sees the institution's figures, not the groups.
		o = indMust(e.svc.Overview(ctx, e.emp, 2026))(t)
		if o.Trained != 2 || o.Groups != nil {
			t.Fatalf("employee's overview %+v", o)
		}
		// B sees its own.
		o = indMust(e.svc.Overview(ctx, e.other, 2026))(t)
		if o.Trained != 0 || o.Expired != 0 || o.InductionsOpen != 0 || o.Required != 0 || len(o.Upcoming) != 0 || len(o.Groups) != 0 {
			t.Fatalf("B's overview %+v", o)
		}
	})
}

func TestTrainingEvidence(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newIndWorld(t, e)
		items := indMust(e.svc.ClauseEvidence(ctx, e.qm.Tenant))(t)
		var got []string
		for _, it := range items {
			got = append(got, fmt.Sprintf("%s %s %d %s | %s | %s %s %v", it.Clause, it.Entity, it.ID, it.Code, it.Title, it.Href, it.Date.Format(time.DateOnly), it.Open))
			if it.Kind != evidence.KindIndicator {
				t.Errorf("kind %s", it.Kind)
			}
		}
		want := []string{
			fmt.Sprintf("7.2 training_session %d P-X/1 | Sesiune de instruire desfășurată: Program P-X (absolvenți: 0) | /training/sessions/%d 2026-11-10 false", w.sx, w.sx),
			fmt.Sprintf("7.2 training_session %d P-B/1 | Sesiune de instruire desfășurată: Program P-B (absolvenți: 1) | /training/sessions/%d 2026-04-01 false", w.sb1, w.sb1),
			fmt.Sprintf("7.2 training_session %d P-A/1 | Sesiune de instruire desfășurată: Program P-A (absolvenți: 2) | /training/sessions/%d 2026-03-10 false", w.sa1, w.sa1),
			fmt.Sprintf("7.2 training_session %d P-A/0 | Sesiune de instruire desfășurată: Program P-A (absolvenți: 1) | /training/sessions/%d 2025-12-15 false", w.sa0, w.sa0),
			"7.2 training_certificate 0  | Certificate de competență în vigoare: 2; persoane care le dețin: 2 | /training/certificates?expiry=valid 2026-05-01 false",
			"7.2 training_competence 0  | Matricea competențelor: 42% din competențele cerute sunt deținute; lipsuri: 4; persoane cu lipsuri: 4 | /training/matrix 2026-11-23 true",
			"7.3 training_induction 0  | Planuri de inducție a angajaților noi: finalizate 2, în curs 2, cu termenul depășit 1 | /training/inductions 2026-11-20 true",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("evidence\n got %q\nwant %q", got, want)
		}
		if items := indMust(e.svc.ClauseEvidence(ctx, e.other.Tenant))(t); len(items) != 0 {
			t.Fatalf("B's evidence %+v", items)
		}

		facts := indMust(e.svc.ReviewFacts(ctx, e.qm.Tenant, evidence.Period{From: indDay("2026-01-01"), To: indDay("2027-01-01")}))(t)
		got = nil
		for _, f := range facts {
			if f.Input != evidence.InputResources {
				t.Errorf("input %s", f.Input)
			}
			got = append(got, fmt.Sprintf("%s %v %s %v", f.Key, f.Args, f.Href, f.Warn))
		}
		want = []string{
			"traininginduction.fact.trained map[Hours:36 People:2 Sessions:3 Tenth:2 Whole:7] /training/sessions?from=2026-01-01&to=2026-12-31 false",
			"traininginduction.fact.certificates map[Certificates:2 People:2] /training/certificates false",
			"traininginduction.fact.expiry map[Days:60 Expired:2 Expiring:0] /training/certificates?expiry=expired true",
			"traininginduction.fact.matrix map[Gaps:4 People:4 Percent:42] /training/matrix true",
			"traininginduction.fact.inductions map[Due:3 OnTime:1 Overdue:1 Started:4] /training/inductions true",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("facts\n got %q\nwant %q", got, want)
		}
		// B: nothing happened.
		facts = indMust(e.svc.ReviewFacts(ctx, e.other.Tenant, evidence.Period{From: indDay("2026-01-01"), To: indDay("2027-01-01")}))(t)
		got = nil
		for _, f := range facts {
			got = append(got, fmt.Sprintf("%s %v", f.Key, f.Warn))
		}
		if want := []string{"traininginduction.fact.trained_none true", "traininginduction.fact.certificates false", "traininginduction.fact.matrix_none false"}; !slices.Equal(got, want) {
			t.Fatalf("B's facts %q", got)
		}
	})
}
