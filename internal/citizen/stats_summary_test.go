package citizen_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// TestStatsSummaryFollowsTheRegistry plays four months of a registry
// through the service (registrations, assignments, extensions, answers on
// time and late, redirections, filings away, ratings of answers and from
// the catalogue), then checks that the indicators' summary kept in its
// transactions equals one computed from scratch, and that the indicators
// of periods cut anywhere (whole months, parts of months, single days)
// equal those counted case by case from the registry.
func TestStatsSummaryFollowsTheRegistry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s1 := e.service(t, e.tenantA, "URB-CU", "Certificat de urbanism", e.urban, 30, true)
		s2 := e.service(t, e.tenantA, "FISC-CAF", "Certificat fiscal", e.tax, 2, true)
		r := rand.New(rand.NewPCG(7, 2026))
		type open struct {
			c    citizen.Case
			code string
		}
		var cases []open
		done := map[string]int{}
		day := date("2026-07-27")
		for range 125 {
			e.at(t, day.Format(time.DateOnly))
			for range 1 + r.IntN(3) {
				in := citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
					Petitioner: citizen.Petitioner{Name: "Maria Popescu", Address: "Str. Trandafirilor 3"}, Consent: true,
					Subject: "Cerere", Topic: "other", UnitID: e.tax}
				switch x := r.IntN(10); {
				case x < 4:
					in.Kind, in.ServiceID, in.Topic = citizen.KindService, []int64{s1, s2}[r.IntN(2)], ""
					in.Topic = citizen.Topics[citizen.KindService][0]
				case x < 6:
					in.Kind, in.Topic = citizen.KindInfo, citizen.Topics[citizen.KindInfo][0]
				case x == 6:
					in.Petitioner = citizen.Petitioner{} // anonymous: filed away at once
				}
				if in.Kind == citizen.KindPetition {
					in.Topic = citizen.Topics[citizen.KindPetition][0]
				}
				rc, err := e.svc.Register(ctx, e.clerk, in)
				if err != nil {
					t.Fatalf("register %+v: %v", in, err)
				}
				done["registered"]++
				if rc.Case.Open() {
					cases = append(cases, open{rc.Case, rc.AccessCode})
				}
			}
			if day.Weekday() == time.Wednesday {
				if err := e.svc.Rate(ctx, e.tenantA, citizen.FeedbackInput{ServiceID: []int64{s1, s2, 0}[r.IntN(3)], Kind: citizen.KindPetition,
					Channel: citizen.FeedbackCounter, Rating: 1 + r.IntN(5)}); err != nil {
					t.Fatal(err)
				}
				done["rated"]++
			}
			var still []open
			for _, o := range cases {
				c := o.c
				var err error
				var out citizen.Case
				switch x := r.IntN(40); {
				case x == 0 && c.Kind == citizen.KindPetition && !c.Extended():
					out, err = e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Days: 10, Reason: "Verificări", NoticeOn: day, Version: c.Version})
					done["extended"]++
				case x < 3:
					out, err = e.svc.Answer(ctx, e.clerk, c.ID, citizen.AnswerInput{Kind: citizen.AnswerKinds[c.Kind][0], Answer: "Răspuns.", Version: c.Version})
					done["answered"]++
				case x == 3 && c.Kind == citizen.KindPetition:
					out, err = e.svc.Redirect(ctx, e.clerk, c.ID, citizen.RedirectInput{To: "Consiliul Județean", NoticeOn: day, Version: c.Version})
					done["redirected"]++
				case x == 4:
					out, err = e.svc.FileAway(ctx, e.clerk, c.ID, citizen.FileInput{Reason: "Cerere repetată.", Version: c.Version})
					done["filed"]++
				default:
					still = append(still, o)
					continue
				}
				if err != nil {
					t.Fatalf("case %s on %s: %v", c.Number, day.Format(time.DateOnly), err)
				}
				if out.Open() {
					still = append(still, open{out, o.code})
					continue
				}
				if out.State == citizen.StateAnswered && r.IntN(2) == 0 {
					if err := e.svc.RateCase(ctx, e.tenantA, out.Number, o.code, 1+r.IntN(5), ""); err != nil {
						t.Fatal(err)
					}
					done["rated case"]++
				}
			}
			cases = still
			day = day.AddDate(0, 0, 1)
		}
		for _, what := range []string{"registered", "extended", "answered", "redirected", "filed", "rated", "rated case"} {
			if done[what] == 0 {
				t.Fatalf("nothing %s: %v", what, done)
			}
		}

		kept, err := citizen.StatsSummary(ctx, d, e.tenantA)
		if err != nil {
			t.Fatal(err)
		}
		scratch, err := citizen.StatsScratch(ctx, d, e.tenantA)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(kept, scratch) {
			for _, k := range slices.Sorted(maps.Keys(scratch)) {
				if kept[k] != scratch[k] {
					t.Errorf("%s: kept %d, from scratch %d", k, kept[k], scratch[k])
				}
			}
			for _, k := range slices.Sorted(maps.Keys(kept)) {
				if _, ok := scratch[k]; !ok {
					t.Errorf("%s: kept %d, from scratch none", k, kept[k])
				}
			}
			t.Fatal("the summary kept differs from the one computed from scratch")
		}

		for _, p := range [][2]string{
			{"2026-08-01", "2026-08-31"}, {"2026-08-01", "2026-11-30"}, {"2026-07-27", "2026-11-29"}, {"2026-08-15", "2026-10-14"},
			{"2026-09-30", "2026-10-01"}, {"2026-09-10", "2026-09-20"}, {"2026-10-01", "2026-10-31"}, {"2026-10-20", "2026-10-20"},
			{"2026-08-31", "2026-11-01"}, {"2025-01-01", "2026-12-31"}, {"2026-11-15", "2027-02-14"}, {"2026-09-01", "2026-09-29"},
			{"2026-08-03", "2026-10-28"}, {"2026-09-02", "2026-09-29"}, {"2026-10-30", "2026-11-02"}, {"2026-08-20", "2026-09-25"},
			{"2026-09-02", "2026-09-30"}, {"2026-10-01", "2026-10-30"}, {"2026-11-01", "2026-11-22"}, {"2026-07-20", "2026-07-31"},
		} {
			from, to := date(p[0]), date(p[1])
			set, err := e.svc.ServiceIndicators(ctx, e.viewer, from, to)
			if err != nil {
				t.Fatal(err)
			}
			want, total := stByHand(t, e, from, to)
			for _, row := range set.Rows {
				k := row.Kind
				if row.ServiceID != 0 {
					k = fmt.Sprint(row.ServiceID)
				}
				if !stSame(row.Indicators, want[k]) {
					t.Errorf("%s..%s %s: %+v, by hand %+v", p[0], p[1], k, row.Indicators, want[k])
				}
				delete(want, k)
			}
			for k, w := range want {
				if w != (citizen.Indicators{}) {
					t.Errorf("%s..%s %s: no row, by hand %+v", p[0], p[1], k, w)
				}
			}
			if !stSame(set.Total, total) {
				t.Errorf("%s..%s total: %+v, by hand %+v", p[0], p[1], set.Total, total)
			}
			one, err := e.svc.IndicatorsOf(ctx, e.viewer, s1, from, to)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range set.Rows {
				if row.ServiceID == s1 && !stSame(one, row.Indicators) {
					t.Errorf("%s..%s IndicatorsOf: %+v, in the set %+v", p[0], p[1], one, row.Indicators)
				}
			}
		}
	})
}

// stByHand counts the indicators of [from, to] case by case and rating by
// rating, as Indicators defines them, keyed by service ID or kind.
func stByHand(t *testing.T, e *env, from, to time.Time) (map[string]citizen.Indicators, citizen.Indicators) {
	t.Helper()
	f, l := from.Format(time.DateOnly), to.Format(time.DateOnly)
	type agg struct {
		reg, closed, onTime, overdue, ratings, sum int
		days                                       map[int]int
	}
	aggs := map[string]*agg{}
	var all agg
	get := func(service int64, kind string) *agg {
		k := kind
		if service != 0 {
			k = fmt.Sprint(service)
		}
		if aggs[k] == nil {
			aggs[k] = &agg{days: map[int]int{}}
		}
		return aggs[k]
	}
	all.days = map[int]int{}
	rows, err := e.d.R.QueryContext(t.Context(), `SELECT COALESCE(service_id, 0), kind, state, registered_on, due_on, closed_on, COALESCE(days_taken, -1),
			COALESCE(on_time, FALSE), on_time IS NOT NULL FROM citizen_cases WHERE tenant_id = $1`, e.tenantA)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var service int64
		var kind, state, reg, due, closed string
		var days int
		var onTime, known bool
		if err := rows.Scan(&service, &kind, &state, &reg, &due, &closed, &days, &onTime, &known); err != nil {
			t.Fatal(err)
		}
		for _, g := range []*agg{get(service, kind), &all} {
			if reg >= f && reg <= l {
				g.reg++
			}
			if (state == citizen.StateAnswered || state == citizen.StateRefused || state == citizen.StateRedirected) && closed >= f && closed <= l && days >= 0 && known {
				g.closed++
				g.days[days]++
				if onTime {
					g.onTime++
				}
			}
			if (closed == "" || closed > l) && due <= l && reg <= l {
				g.overdue++
			}
		}
	}
	fr, err := e.d.R.QueryContext(t.Context(), `SELECT COALESCE(service_id, 0), kind, given_on, rating FROM citizen_feedback WHERE tenant_id = $1`, e.tenantA)
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	for fr.Next() {
		var service int64
		var kind, given string
		var rating int
		if err := fr.Scan(&service, &kind, &given, &rating); err != nil {
			t.Fatal(err)
		}
		if given >= f && given <= l {
			for _, g := range []*agg{get(service, kind), &all} {
				g.ratings++
				g.sum += rating
			}
		}
	}
	in := func(g *agg) citizen.Indicators {
		out := citizen.Indicators{Registered: g.reg, Closed: g.closed, OnTime: g.onTime, OverdueOpen: g.overdue, Ratings: g.ratings}
		out.AvgDays, out.P90Days = citizen.DaysStats(g.days)
		if g.closed > 0 {
			out.OnTimeShare = float64(g.onTime) / float64(g.closed)
		}
		if g.ratings > 0 {
			out.Satisfaction = float64(g.sum) / float64(g.ratings)
		}
		return out
	}
	out := map[string]citizen.Indicators{}
	for k, g := range aggs {
		out[k] = in(g)
	}
	return out, in(&all)
}
