package citizen_test

import (
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
)

func TestDaysStatsNearestRank(t *testing.T) {
	seq := func(n int) map[int]int {
		h := map[int]int{}
		for i := 1; i <= n; i++ {
			h[i]++
		}
		return h
	}
	for _, tc := range []struct {
		name      string
		hist      map[int]int
		mean, p90 float64
	}{
		{"empty", map[int]int{}, 0, 0},
		{"one case", map[int]int{10: 1}, 10, 10},
		// 1..10: rank ⌈9⌉ = 9.
		{"ten cases", seq(10), 5.5, 9},
		// 1..11: rank ⌈9.9⌉ = 10.
		{"eleven cases", seq(11), 6, 10},
		// 2, 5, 5, 10, 30: rank ⌈4.5⌉ = 5, the slowest.
		{"five cases", map[int]int{2: 1, 5: 2, 10: 1, 30: 1}, 10.4, 30},
		// 19 same-day answers and one of 40 days: rank 18 is still 0.
		{"one outlier in twenty", map[int]int{0: 19, 40: 1}, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mean, p90 := citizen.DaysStats(tc.hist)
			if !stNear(mean, tc.mean) || p90 != tc.p90 {
				t.Fatalf("mean %v p90 %v, want %v %v", mean, p90, tc.mean, tc.p90)
			}
		})
	}
}

// stExample writes the worked example of October 2026 (see
// TestIndicatorsWorkedExample) and returns the services URB-CU (active),
// ADP-X (inactive, no data) and ZZ-Y (inactive, one case).
func stExample(t *testing.T, e *env) (s, x, y int64) {
	t.Helper()
	s = e.service(t, e.tenantA, "URB-CU", "Certificat de urbanism", e.urban, 30, true)
	x = e.service(t, e.tenantA, "ADP-X", "Aviz retras", e.urban, 15, false)
	y = e.service(t, e.tenantA, "ZZ-Y", "Serviciu desființat", e.urban, 30, false)
	sb := e.service(t, e.tenantB, "URB-CU", "Certificat de urbanism", e.unitB, 30, true)
	svc := citizen.KindService
	for _, r := range []stRow{
		{kind: svc, service: s, reg: "2026-09-01", due: "2026-10-01", closed: "2026-09-11"},                           // c0: 10 days, in September
		{kind: svc, service: s, reg: "2026-10-01", due: "2026-10-31", closed: "2026-10-03"},                           // c1: 2 days
		{kind: svc, service: s, reg: "2026-09-28", due: "2026-10-28", closed: "2026-10-03"},                           // c2: 5 days
		{kind: svc, service: s, reg: "2026-10-05", due: "2026-11-04", closed: "2026-10-10"},                           // c3: 5 days
		{kind: svc, service: s, reg: "2026-10-10", due: "2026-11-09", closed: "2026-10-20"},                           // c4: 10 days
		{kind: svc, service: s, reg: "2026-09-20", due: "2026-10-15", closed: "2026-10-20", late: true},               // c5: 30 days, late
		{kind: svc, service: s, reg: "2026-10-02", due: "2026-11-01", closed: "2026-10-04", state: "filed"},           // c6: filed, left out
		{kind: svc, service: s, reg: "2026-09-20", due: "2026-10-20", closed: "2026-11-05", late: true},               // c7: open and overdue at the end
		{kind: svc, service: s, reg: "2026-10-10", due: "2026-10-25"},                                                 // c8: open, overdue
		{kind: svc, service: s, reg: "2026-10-20", due: "2026-11-10"},                                                 // c9: open, not due yet
		{kind: svc, service: s, reg: "2026-10-01", due: "2026-10-31"},                                                 // c10: open, due on the last day
		{kind: citizen.KindPetition, reg: "2026-10-01", due: "2026-10-31", closed: "2026-10-31"},                      // p1: 30 days
		{kind: citizen.KindPetition, reg: "2026-10-02", due: "2026-11-01", closed: "2026-10-04", state: "redirected"}, // p2: 2 days
		{kind: svc, service: y, reg: "2026-10-15", due: "2026-11-14"},                                                 // y1
		{tenant: e.tenantB, kind: svc, service: sb, reg: "2026-10-01", due: "2026-10-31", closed: "2026-10-02"},       // B's
	} {
		e.stCase(t, r)
	}
	e.stRating(t, e.tenantA, s, svc, "counter", 5, "2026-10-02")
	e.stRating(t, e.tenantA, s, svc, "answer", 4, "2026-10-31")
	e.stRating(t, e.tenantA, s, svc, "counter", 2, "2026-09-30")
	e.stRating(t, e.tenantA, 0, citizen.KindPetition, "online", 3, "2026-10-15")
	e.stRating(t, e.tenantB, sb, svc, "counter", 1, "2026-10-15")
	return s, x, y
}

func TestIndicatorsWorkedExample(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s, _, y := stExample(t, e)
		from, to := date("2026-10-01"), date("2026-10-31")
		set, err := e.svc.ServiceIndicators(ctx, e.viewer, from, to)
		if err != nil {
			t.Fatal(err)
		}
		// URB-CU, the inactive ZZ-Y with its case (ADP-X has none: left
		// out), petitions, requests for information.
		if len(set.Rows) != 4 || set.Rows[0].ServiceID != s || set.Rows[1].ServiceID != y || set.Rows[1].Active ||
			set.Rows[2].Kind != citizen.KindPetition || set.Rows[3].Kind != citizen.KindInfo {
			t.Fatalf("rows %+v", set.Rows)
		}
		// URB-CU: registered c1, c3, c4, c6, c8, c9, c10; closed c1-c5 with
		// 2, 5, 5, 10, 30 days: mean 10.4, p90 (rank 5 of 5) 30, 4 on
		// time; overdue at the end c7 (closed later), c8, c10 (due on the
		// last day); ratings 5 and 4.
		want := citizen.Indicators{Registered: 7, Closed: 5, AvgDays: 10.4, P90Days: 30, OnTime: 4, OnTimeShare: 0.8, OverdueOpen: 3, Ratings: 2, Satisfaction: 4.5}
		if got := set.Rows[0].Indicators; !stSame(got, want) {
			t.Fatalf("URB-CU %+v, want %+v", got, want)
		}
		if got := set.Rows[1].Indicators; got.Registered != 1 || got.Closed != 0 || got.OverdueOpen != 0 {
			t.Fatalf("ZZ-Y %+v", got)
		}
		// Petitions: 30 and 2 days (the redirected one counts), both on time.
		want = citizen.Indicators{Registered: 2, Closed: 2, AvgDays: 16, P90Days: 30, OnTime: 2, OnTimeShare: 1, Ratings: 1, Satisfaction: 3}
		if got := set.Rows[2].Indicators; !stSame(got, want) {
			t.Fatalf("petitions %+v, want %+v", got, want)
		}
		if got := set.Rows[3].Indicators; got != (citizen.Indicators{}) {
			t.Fatalf("requests %+v", got)
		}
		// Total: days 2, 2, 5, 5, 10, 30, 30 → mean 12, p90 rank 7 → 30.
		want = citizen.Indicators{Registered: 10, Closed: 7, AvgDays: 12, P90Days: 30, OnTime: 6, OnTimeShare: 6.0 / 7, OverdueOpen: 3, Ratings: 3, Satisfaction: 4}
		if !stSame(set.Total, want) {
			t.Fatalf("total %+v, want %+v", set.Total, want)
		}
		// One service alone gives its row.
		one, err := e.svc.IndicatorsOf(ctx, e.viewer, s, from, to)
		if err != nil || !stSame(one, set.Rows[0].Indicators) {
			t.Fatalf("IndicatorsOf %+v %v", one, err)
		}
		// September: c0 closed in 10 days; nothing overdue at its end.
		sep, err := e.svc.IndicatorsOf(ctx, e.viewer, s, date("2026-09-01"), date("2026-09-30"))
		if err != nil || sep.Registered != 4 || sep.Closed != 1 || sep.AvgDays != 10 || sep.OverdueOpen != 0 || sep.Ratings != 1 {
			t.Fatalf("September %+v %v", sep, err)
		}
		// B's service is not A's to read.
		var sb int64
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM citizen_services WHERE tenant_id = $1`, e.tenantB).Scan(&sb); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.IndicatorsOf(ctx, e.viewer, sb, from, to); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B's service: %v", err)
		}
		bset, err := e.svc.ServiceIndicators(ctx, e.other, from, to)
		if err != nil || bset.Total.Closed != 1 || bset.Total.Ratings != 1 || bset.Total.Satisfaction != 1 {
			t.Fatalf("B's total %+v %v", bset.Total, err)
		}
	})
}

func stSame(a, b citizen.Indicators) bool {
	return a.Registered == b.Registered && a.Closed == b.Closed && stNear(a.AvgDays, b.AvgDays) && a.P90Days == b.P90Days && a.OnTime == b.OnTime &&
		stNear(a.OnTimeShare, b.OnTimeShare) && a.OverdueOpen == b.OverdueOpen && a.Ratings == b.Ratings && stNear(a.Satisfaction, b.Satisfaction)
}

func TestImpactAgainstBaselines(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s, _, y := stExample(t, e)
		from, to := date("2026-10-01"), date("2026-10-31")
		// No baseline anywhere: every row says so.
		imp, err := e.svc.Impact(ctx, e.viewer, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range imp.Rows {
			if r.HasBaseline() || r.Change() != (citizen.Change{}) {
				t.Fatalf("row %s has a baseline: %+v", r.Code, r)
			}
		}
		// The institution's baseline is September; ZZ-Y has its own, August.
		if _, err := d.W.ExecContext(ctx, `INSERT INTO citizen_settings (tenant_id, baseline_from, baseline_to, updated_at) VALUES ($1, '2026-09-01', '2026-09-30', $2)`,
			e.tenantA, e.clk.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE citizen_services SET baseline_from = '2026-08-01', baseline_to = '2026-08-31' WHERE id = $1`, y); err != nil {
			t.Fatal(err)
		}
		if imp, err = e.svc.Impact(ctx, e.viewer, from, to); err != nil {
			t.Fatal(err)
		}
		if len(imp.Rows) != 4 || !imp.BaselineFrom.Equal(date("2026-09-01")) {
			t.Fatalf("impact %+v", imp)
		}
		r := imp.Rows[0]
		if r.ServiceID != s || r.OwnBaseline || !r.BaselineTo.Equal(date("2026-09-30")) || r.Baseline.Registered != 4 || r.Baseline.Closed != 1 || r.Baseline.Satisfaction != 2 {
			t.Fatalf("URB-CU %+v", r)
		}
		c := r.Change()
		if c.Registered != 3 || c.Closed != 4 || !c.HasTimes || !stNear(c.AvgDays, 0.4) || c.P90Days != 20 || !stNear(c.OnTimeShare, -0.2) ||
			!c.HasSatisfaction || !stNear(c.Satisfaction, 2.5) || c.OverdueOpen != 3 {
			t.Fatalf("URB-CU change %+v", c)
		}
		if r := imp.Rows[1]; r.ServiceID != y || !r.OwnBaseline || !r.BaselineFrom.Equal(date("2026-08-01")) || r.Baseline != (citizen.Indicators{}) || r.Change().HasTimes {
			t.Fatalf("ZZ-Y %+v", r)
		}
		if r := imp.Rows[2]; r.Kind != citizen.KindPetition || r.OwnBaseline || !r.HasBaseline() || r.Change().Registered != 2 {
			t.Fatalf("petitions %+v", r)
		}
	})
}

func TestMetricsMeasureAndName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		stExample(t, e)
		ms, err := e.svc.TenantMetrics(ctx, e.tenantA)
		if err != nil || len(ms) != len(e.svc.Metrics()) {
			t.Fatalf("tenant metrics (one active service): %d %v", len(ms), err)
		}
		if ms[0].Key != "citizen.on_time_share/URB-CU" || ms[0].Name != "Certificat de urbanism: cereri soluționate în termen (%)" || ms[0].Unit != "%" || ms[0].Polarity != "higher" {
			t.Fatalf("first metric %+v", ms[0])
		}
		from, to := date("2026-10-01"), date("2026-11-01") // [from, to)
		for _, tc := range []struct {
			key  string
			want float64
			ok   bool
		}{
			{"citizen.on_time_share/URB-CU", 80, true},
			{"citizen.avg_days/URB-CU", 10.4, true},
			{"citizen.p90_days/URB-CU", 30, true},
			{"citizen.satisfaction/URB-CU", 4.5, true},
			{"citizen.registered/URB-CU", 7, true},
			{"citizen.overdue_open/URB-CU", 3, true},
			{"citizen.on_time_share/ZZ-Y", 0, false}, // nothing closed
			{"citizen.satisfaction/ZZ-Y", 0, false},  // no rating
			{"citizen.on_time_share/NOPE", 0, false}, // no such service
			{"citizen.avg_days", 12, true},
			{"citizen.on_time_share", 600.0 / 7, true},
			{"citizen.satisfaction", 4, true},
			{"citizen.registered", 10, true},
			{"citizen.overdue_open", 3, true},
		} {
			v, ok, err := e.svc.Measure(ctx, e.tenantA, tc.key, from, to)
			if err != nil || ok != tc.ok || !stNear(v, tc.want) {
				t.Errorf("%s: %v %v %v, want %v %v", tc.key, v, ok, err, tc.want, tc.ok)
			}
		}
		if _, ok, _ := e.svc.Measure(ctx, e.tenantA, "citizen.on_time_share", date("2025-01-01"), date("2025-02-01")); ok {
			t.Error("a month without cases has a share")
		}
		if _, _, err := e.svc.Measure(ctx, e.tenantA, "risks.above_tolerance", from, to); err == nil {
			t.Error("another module's metric measured")
		}
	})
}

func TestReviewFactsAndClauseEvidence(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		// Nothing yet: no rating is flagged, no case is said.
		facts, err := e.svc.ReviewFacts(ctx, e.tenantA, evidence.Period{From: date("2026-10-01"), To: date("2026-11-01")})
		if err != nil || len(facts) != 2 || facts[0].Key != "citizen.stats.fact.ratings_none" || !facts[0].Warn || facts[1].Key != "citizen.stats.fact.cases_none" {
			t.Fatalf("empty facts %+v %v", facts, err)
		}
		stExample(t, e)
		facts, err = e.svc.ReviewFacts(ctx, e.tenantA, evidence.Period{From: date("2026-10-01"), To: date("2026-11-01")})
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]evidence.Fact{}
		for _, f := range facts {
			keys[f.Key] = f
		}
		// Ratings 5, 4, 3: mean 4,0; counter 5, answer 4, online 3 (below 3,5: flagged).
		if f := keys["citizen.stats.fact.ratings"]; f.Args["Ratings"] != 3 || f.Args["Whole"] != 4 || f.Args["Tenth"] != 0 || f.Warn {
			t.Fatalf("ratings %+v", f)
		}
		if f := keys["citizen.stats.fact.ratings_online"]; f.Args["Ratings"] != 1 || !f.Warn {
			t.Fatalf("online %+v", f)
		}
		if _, ok := keys["citizen.stats.fact.ratings_counter"]; !ok {
			t.Fatal("no counter fact")
		}
		// 7 closed, 6 on time: 86% (below 90%: flagged); 3 overdue; URB-CU at 80%.
		if f := keys["citizen.stats.fact.cases"]; f.Args["Closed"] != 7 || f.Args["Percent"] != 86 || !f.Warn || f.Input != evidence.InputProcesses {
			t.Fatalf("cases %+v", f)
		}
		if f := keys["citizen.stats.fact.overdue_open"]; f.Args["Overdue"] != 3 || !f.Warn {
			t.Fatalf("overdue %+v", f)
		}
		if f := keys["citizen.stats.fact.service_late"]; f.Args["Code"] != "URB-CU" || f.Args["Percent"] != 80 || !f.Warn {
			t.Fatalf("late service %+v", f)
		}
		// The compliance matrix: the ratings of the last 12 months for
		// 9.1.2, the active service for 8.2.
		items, err := e.svc.ClauseEvidence(ctx, e.tenantA)
		if err != nil || len(items) != 2 || items[0].Clause != "9.1.2" || items[1].Clause != "8.2" || items[1].Code != "URB-CU" ||
			!items[0].Date.Equal(date("2026-10-31")) {
			t.Fatalf("clause evidence %+v %v", items, err)
		}
		if items, _ := e.svc.ClauseEvidence(ctx, e.tenantB); len(items) != 2 {
			t.Fatalf("B's evidence %+v", items)
		}
	})
}

// The scorecard's refresh feeds a KPI from a service's metric with no
// re-entry.
var _ = time.Now
