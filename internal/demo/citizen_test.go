package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo citizen services: the catalogue, two years of the registry in
// every kind, channel and state, open cases in the inboxes of the registry
// clerk, the head of the economic directorate and the employee, a few
// overdue, ratings on every channel, the baseline set to the first year
// and the second year better than it.
func TestSeedPlaysTheRegistry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(now)
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s: %s", time.Since(start).Round(time.Millisecond), res)
		got := res.Institutions[0]
		if got.CitizenCases < 1000 || got.CitizenCases > 1500 || got.Ratings < 1500 || got.Ratings > 3000 {
			t.Errorf("Seed made %d cases and %d ratings, want 1,000-1,500 and 1,500-3,000", got.CitizenCases, got.Ratings)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		tenant := inst.ID
		users := &auth.Service{DB: d, Clock: clk}
		actor := func(name string) auth.Actor {
			t.Helper()
			u, err := users.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			a, err := users.ActorByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		svc := &citizen.Service{DB: d, Clock: clk}

		// Every kind, channel and closing state is there.
		counts := func(col string) map[string]int {
			t.Helper()
			rows, err := d.R.QueryContext(ctx, `SELECT `+col+`, COUNT(*) FROM citizen_cases WHERE tenant_id = $1 GROUP BY `+col, tenant)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]int{}
			for rows.Next() {
				var k string
				var n int
				if err := rows.Scan(&k, &n); err != nil {
					t.Fatal(err)
				}
				out[k] = n
			}
			return out
		}
		kinds, channels, states := counts("kind"), counts("channel"), counts("state")
		t.Logf("kinds %v, channels %v, states %v", kinds, channels, states)
		for _, k := range citizen.Kinds {
			if kinds[k] < 100 {
				t.Errorf("%d cases of kind %s", kinds[k], k)
			}
		}
		for _, c := range citizen.Channels {
			if channels[c] < 50 {
				t.Errorf("%d cases by channel %s", channels[c], c)
			}
		}
		for _, s := range citizen.States {
			if states[s] == 0 {
				t.Errorf("no case in state %s", s)
			}
		}
		if states[citizen.StateAnswered] < got.CitizenCases*3/4 {
			t.Errorf("only %d of %d cases answered", states[citizen.StateAnswered], got.CitizenCases)
		}
		var extended, late, complaints, anon, services int
		if err := d.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND (extension_days > 0 OR complex)),
			(SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND on_time = $2),
			(SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND complaint <> ''),
			(SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND petitioner_name = ''),
			(SELECT COUNT(*) FROM citizen_services WHERE tenant_id = $1 AND active)`, tenant, false).
			Scan(&extended, &late, &complaints, &anon, &services); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d services, %d extended, %d late, %d complaints, %d anonymous", services, extended, late, complaints, anon)
		if services != len(ctServices) || extended < 10 || late < 10 || complaints < 3 || anon < 3 {
			t.Errorf("%d services, %d extended, %d late, %d complaints, %d anonymous", services, extended, late, complaints, anon)
		}

		// Today: the registry clerk has online cases to assign, a few are
		// overdue, and the economic directorate's people have cases.
		reg, err := svc.Cases(ctx, actor("registratura"), citizen.CaseFilter{State: citizen.StateRegistered, PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		if reg.Total < 3 {
			t.Errorf("the registry clerk has %d cases to assign, want at least 3", reg.Total)
		}
		over, err := svc.Overview(ctx, actor("calitate"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("overview: open %d, overdue %d, due this week %d", over.Open, over.Overdue, over.DueThisWeek)
		if over.Overdue < 2 || over.Overdue > 40 || over.Open < 20 {
			t.Errorf("overview: open %d, overdue %d", over.Open, over.Overdue)
		}
		ws := &work.Service{DB: d, Clock: clk}
		for _, name := range []string{"economic", "angajat"} {
			in, err := ws.MyWork(ctx, actor(name), "")
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, group := range [][]work.Task{in.Overdue, in.ThisWeek, in.Later} {
				for _, task := range group {
					if task.Ref.Module == citizen.Module {
						n++
					}
				}
			}
			if n == 0 {
				t.Errorf("%s has no citizen case in their inbox", name)
			}
		}
		// Every open case has its one open task, and no closed one has.
		var openTasks, openCases, wrong int
		if err := d.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'citizen' AND state = 'open'),
			(SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND state IN ('registered', 'assigned')),
			(SELECT COUNT(*) FROM tasks t JOIN citizen_cases c ON c.id = t.entity_id
				WHERE t.tenant_id = $1 AND t.module = 'citizen' AND t.state = 'open' AND c.state NOT IN ('registered', 'assigned'))`, tenant).
			Scan(&openTasks, &openCases, &wrong); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d open citizen tasks for %d open cases", openTasks, openCases)
		if openTasks != openCases || wrong != 0 {
			t.Errorf("%d open citizen tasks for %d open cases, %d of closed cases", openTasks, openCases, wrong)
		}

		// The audit trail: every case, service, setting and rating, and the
		// tasks' events.
		events := map[string]int{}
		rows, err := d.R.QueryContext(ctx, `SELECT entity, COUNT(*) FROM audit_events WHERE tenant_id = $1 AND (entity LIKE 'citizen%'
			OR (entity = 'task' AND entity_id IN (SELECT id FROM tasks WHERE module = 'citizen'))) GROUP BY entity`, tenant)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var e string
			var n int
			if err := rows.Scan(&e, &n); err != nil {
				t.Fatal(err)
			}
			events[e] = n
		}
		rows.Close()
		t.Logf("audit events: %v", events)
		if events[citizen.EntityCase] < 2*got.CitizenCases || events[citizen.EntityFeedback] != got.Ratings ||
			events[citizen.EntityService] != len(ctServices) || events[citizen.EntitySettings] < 2 || events["task"] == 0 {
			t.Errorf("audit events %v for %d cases and %d ratings", events, got.CitizenCases, got.Ratings)
		}

		// The impact: the baseline is the first year, and the second year
		// is faster and better rated.
		set, err := svc.SettingsOf(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC); !set.BaselineFrom.Equal(want) || !set.BaselineTo.Equal(want.AddDate(1, 0, -1)) {
			t.Errorf("baseline %s - %s, want the first year from %s", set.BaselineFrom, set.BaselineTo, want)
		}
		imp, err := svc.Impact(ctx, actor("calitate"), set.BaselineTo.AddDate(0, 0, 1), now.AddDate(0, 0, -1))
		if err != nil {
			t.Fatal(err)
		}
		better := 0
		for _, r := range imp.Rows {
			if r.Code == "" {
				continue
			}
			t.Logf("%s: avg %.1f → %.1f days, on time %.2f → %.2f, rating %.2f → %.2f", r.Code,
				r.Baseline.AvgDays, r.AvgDays, r.Baseline.OnTimeShare, r.OnTimeShare, r.Baseline.Satisfaction, r.Satisfaction)
			if r.Closed > 0 && r.Baseline.Closed > 0 && r.AvgDays < r.Baseline.AvgDays && r.Satisfaction > r.Baseline.Satisfaction {
				better++
			}
		}
		if better < 6 {
			t.Errorf("only %d services are faster and better rated than in the baseline year", better)
		}
	})
}
