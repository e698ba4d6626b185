package scorecard_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scorecard"
)

func TestRecordOwnerAndApproval(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, msKPI{code: "K01", owner: e.ema, baseline: msF64(50), red: msF64(70), targets: map[string]float64{"2026": 90}})

		// The owner's value is in force at once, with no task.
		out := msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-09", Value: 92}}))(t)
		if out.Saved != 1 || out.Pending != 0 {
			t.Fatalf("owner: %+v", out)
		}
		if v, p := e.value(t, k, "2026-09"); v == nil || *v != 92 || p != nil {
			t.Fatalf("owner's value: %v %v", v, p)
		}
		// The same value again changes nothing.
		out = msMust(e.svc.Record(ctx, e.emp, scorecard.SourceAPI, []scorecard.Entry{{Code: "k01", Period: "2026-09", Value: 92}}))(t)
		if out.Unchanged != 1 || out.Saved != 0 {
			t.Fatalf("unchanged: %+v", out)
		}

		// Someone else's value waits, and the owner gets a task.
		out = msMust(e.svc.Record(ctx, e.head, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-10", Value: 95}}))(t)
		if out.Pending != 1 || out.Saved != 0 {
			t.Fatalf("non-owner: %+v", out)
		}
		if v, p := e.value(t, k, "2026-10"); v != nil || p == nil || *p != 95 {
			t.Fatalf("pending value: %v %v", v, p)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'scorecard' AND entity = 'kpi_measurement' AND kind = 'approve' AND state = 'open' AND person_id = $1 AND link = '/scorecard/approvals'`, e.ema); n != 1 {
			t.Fatalf("approval tasks: %d", n)
		}
		pend := msMust(e.svc.PendingApprovals(ctx, e.emp))(t)
		if len(pend) != 1 || pend[0].PendingBy != "dan" {
			t.Fatalf("owner's pending list: %+v", pend)
		}
		if got := msMust(e.svc.PendingApprovals(ctx, e.head))(t); len(got) != 0 {
			t.Fatalf("head sees %d pending values of others' KPIs", len(got))
		}
		if got := msMust(e.svc.PendingApprovals(ctx, e.qm))(t); len(got) != 1 {
			t.Fatalf("the quality office sees %d", len(got))
		}

		// Only the owner approves (the quality office may not, since the
		// owner can sign in).
		m := pend[0]
		if err := e.svc.Approve(ctx, e.qm, m.ID, m.Version); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("quality manager approving: %v", err)
		}
		if err := e.svc.Approve(ctx, e.emp, m.ID, m.Version+1); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale approval: %v", err)
		}
		if err := e.svc.Approve(ctx, e.emp, m.ID, m.Version); err != nil {
			t.Fatal(err)
		}
		if v, p := e.value(t, k, "2026-10"); v == nil || *v != 95 || p != nil {
			t.Fatalf("approved: %v %v", v, p)
		}
		got := msMust(e.svc.Measurement(ctx, e.viewer, m.ID))(t)
		if got.EnteredBy != "dan" || got.ApprovedBy != "ema" || got.Source != scorecard.SourceManual {
			t.Fatalf("approved measurement: %+v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'approve' AND state = 'done' AND entity_id = $1`, m.ID); n != 1 {
			t.Fatalf("approval task closed: %d", n)
		}
		// A correction by the owner keeps the approved value in the history.
		out = msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-10", Value: 96, Version: got.Version}}))(t)
		if out.Saved != 1 {
			t.Fatalf("correction: %+v", out)
		}
		hist := msMust(e.svc.History(ctx, e.viewer, k))(t)
		if len(hist) != 1 || hist[0].Reason != scorecard.ReasonCorrected || *hist[0].Value != 95 || hist[0].EnteredBy != "dan" || hist[0].ReplacedBy != "ema" {
			t.Fatalf("history: %+v", hist)
		}
		// The audit trail has the values, before and after.
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'kpi_measurement' AND entity_id = $1`, m.ID); n != 3 {
			t.Fatalf("audit events of the measurement: %d", n)
		}
		list := msMust(e.svc.Measurements(ctx, e.viewer, k))(t)
		if len(list) != 2 || list[0].Period != "2026-10" || *list[0].Value != 96 {
			t.Fatalf("measurements: %+v", list)
		}
	})
}

func TestRecordRejectAndOwnerWithoutAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, msKPI{code: "K02", owner: e.ema})
		msMust(e.svc.Record(ctx, e.head, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-10", Value: 10}}))(t)
		// A newer value from someone else replaces the pending one.
		msMust(e.svc.Record(ctx, e.qm, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-10", Value: 11, Version: 2}}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'approve' AND state = 'open'`); n != 1 {
			t.Fatalf("open approval tasks: %d", n)
		}
		m := msMust(e.svc.PendingApprovals(ctx, e.emp))(t)[0]
		if err := e.svc.Reject(ctx, e.emp, m.ID, m.Version, " "); err == nil {
			t.Fatal("a rejection without a reason")
		}
		if err := e.svc.Reject(ctx, e.emp, m.ID, m.Version, "Cifra nu corespunde raportului lunar"); err != nil {
			t.Fatal(err)
		}
		if v, p := e.value(t, k, "2026-10"); v != nil || p != nil {
			t.Fatalf("after rejection: %v %v", v, p)
		}
		hist := msMust(e.svc.History(ctx, e.viewer, k))(t)
		if len(hist) != 2 || hist[0].Reason != scorecard.ReasonRejected || *hist[0].Value != 11 || hist[1].Reason != scorecard.ReasonReplaced {
			t.Fatalf("history: %+v", hist)
		}
		// The author (the quality manager) is told through a task.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'act' AND state = 'open' AND person_id = $1 AND title LIKE '%Cifra nu corespunde%'`, e.ana); n != 1 {
			t.Fatalf("the author's task: %d", n)
		}

		// A KPI whose owner cannot sign in: the quality office approves.
		k2 := e.kpi(t, msKPI{code: "K03", owner: e.nobody})
		msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k2, Period: "2026-10", Value: 3}}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'approve' AND state = 'open' AND role = 'quality_manager'`); n != 1 {
			t.Fatalf("approval task of the quality office: %d", n)
		}
		m2 := msMust(e.svc.PendingApprovals(ctx, e.qm))(t)
		if len(m2) != 1 {
			t.Fatalf("pending: %+v", m2)
		}
		if err := e.svc.Approve(ctx, e.head, m2[0].ID, m2[0].Version); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("head approving: %v", err)
		}
		if err := e.svc.Approve(ctx, e.qm, m2[0].ID, m2[0].Version); err != nil {
			t.Fatal(err)
		}
		// A viewer may not enter values at all.
		if _, err := e.svc.Record(ctx, e.viewer, scorecard.SourceManual, []scorecard.Entry{{KPIID: k2, Period: "2026-09", Value: 3}}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("viewer: %v", err)
		}
	})
}

func TestRecordRefusesBadBatches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, msKPI{code: "K01", owner: e.ema, baseline: msF64(50), red: msF64(70), targets: map[string]float64{"2026": 90}})
		q := e.kpi(t, msKPI{code: "K04", owner: e.ema, freq: scorecard.Quarterly})
		metric := e.kpi(t, msKPI{code: "K05", owner: e.ema, metric: "documents.ack_rate"})
		e.kpi(t, msKPI{tenant: e.sysB.Tenant, code: "B01"})
		good := scorecard.Entry{KPIID: k, Period: "2026-08", Value: 91}
		for _, c := range []struct {
			name       string
			entry      scorecard.Entry
			field, key string
		}{
			{"red without explanation", scorecard.Entry{KPIID: k, Period: "2026-09", Value: 60}, "explanation", "scorecard.measure.error.explain_red"},
			{"wrong frequency", scorecard.Entry{KPIID: q, Period: "2026-09", Value: 1}, "period", "scorecard.measure.error.period_frequency.quarterly"},
			{"future", scorecard.Entry{KPIID: k, Period: "2026-12", Value: 91}, "period", "scorecard.measure.error.period_future"},
			{"before 2000", scorecard.Entry{KPIID: k, Period: "1999-12", Value: 91}, "period", "scorecard.measure.error.period_old"},
			{"unreadable period", scorecard.Entry{KPIID: k, Period: "toamna", Value: 91}, "period", "scorecard.measure.error.period"},
			{"not a number", scorecard.Entry{KPIID: k, Period: "2026-07", Value: math.NaN()}, "value", "scorecard.measure.error.value"},
			{"metric KPI", scorecard.Entry{KPIID: metric, Period: "2026-07", Value: 1}, "value", "scorecard.measure.error.not_entered"},
			{"another institution's code", scorecard.Entry{Code: "B01", Period: "2026-07", Value: 1}, "code", "scorecard.measure.error.unknown_kpi"},
			{"unknown code", scorecard.Entry{Code: "K99", Period: "2026-07", Value: 1}, "code", "scorecard.measure.error.unknown_kpi"},
			{"stale version", scorecard.Entry{KPIID: k, Period: "2026-07", Value: 91, Version: 3}, "value", "error.stale"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{good, c.entry})
				msWantEntryError(t, err, 1, c.field, c.key)
				// Nothing of the batch was saved.
				if n := e.count(t, `SELECT COUNT(*) FROM scorecard_measurements`); n != 0 {
					t.Fatalf("%d measurements saved", n)
				}
			})
		}
		// A red value with an explanation goes in.
		out := msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-09", Value: 60, Explanation: "Concedii"}}))(t)
		if out.Saved != 1 {
			t.Fatalf("explained red: %+v", out)
		}
		// A new value over one already there without its version (someone
		// else entered it meanwhile) is stale.
		_, err := e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-09", Value: 61, Explanation: "x"}})
		msWantEntryError(t, err, 0, "value", "error.stale")
		// The same KPI and period twice in one batch.
		_, err = e.svc.Record(ctx, e.emp, scorecard.SourceAPI, []scorecard.Entry{{KPIID: k, Period: "2026-05", Value: 91}, {Code: "K01", Period: "2026-05", Value: 92}})
		msWantEntryError(t, err, 1, "period", "scorecard.measure.error.duplicate")
		// B's quality manager does not see A's KPI.
		_, err = e.svc.Record(ctx, e.other, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-05", Value: 91}})
		msWantEntryError(t, err, 0, "code", "scorecard.measure.error.unknown_kpi")
		if _, err := e.svc.Measurement(ctx, e.other, 1); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("B reading A's measurement: %v", err)
		}
		if h := msMust(e.svc.History(ctx, e.other, k))(t); len(h) != 0 {
			t.Fatalf("B reads A's history: %+v", h)
		}
	})
}

func TestGrid(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, msKPI{code: "K01", owner: e.ema, unit: e.tax, baseline: msF64(50), red: msF64(70), targets: map[string]float64{"2026": 90, "2026-10": 95}})
		e.kpi(t, msKPI{code: "K02", owner: e.ana, unit: e.quality})
		e.kpi(t, msKPI{code: "K03", freq: scorecard.Quarterly, unit: e.tax})
		e.kpi(t, msKPI{code: "K04", metric: "risks.above_tolerance", unit: e.tax})
		msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-09", Value: 91}, {KPIID: k, Period: "2026-10", Value: 91}}))(t)
		g := msMust(e.svc.Grid(ctx, e.viewer, scorecard.GridQuery{Year: 2026, UnitID: e.econ}))(t)
		if len(g.Periods) != 12 || len(g.Rows) != 1 || g.Rows[0].KPI.Code != "K01" || g.Rows[0].Editable {
			t.Fatalf("grid: %d periods, rows %+v", len(g.Periods), g.Rows)
		}
		cells := g.Rows[0].Cells
		if cells[8].Status != scorecard.StatusGreen || cells[8].Target.Value != 90 || cells[8].Due {
			t.Fatalf("September: %+v", cells[8])
		}
		if cells[9].Status != scorecard.StatusAmber || cells[9].Target.Value != 95 {
			t.Fatalf("October against its own target: %+v", cells[9])
		}
		if !cells[7].Due || cells[10].Due || cells[11].Due {
			t.Fatalf("due: August %v, November %v, December %v", cells[7].Due, cells[10].Due, cells[11].Due)
		}
		g = msMust(e.svc.Grid(ctx, e.emp, scorecard.GridQuery{Year: 2026}))(t)
		if len(g.Rows) != 2 || !g.Rows[0].Editable {
			t.Fatalf("all monthly entered KPIs: %+v", g.Rows)
		}
		g = msMust(e.svc.Grid(ctx, e.emp, scorecard.GridQuery{Year: 2026, Frequency: scorecard.Quarterly}))(t)
		if len(g.Periods) != 4 || len(g.Rows) != 1 {
			t.Fatalf("quarterly grid: %+v", g)
		}
		g = msMust(e.svc.Grid(ctx, e.other, scorecard.GridQuery{Year: 2026}))(t)
		if len(g.Rows) != 0 {
			t.Fatalf("B sees A's KPIs: %+v", g.Rows)
		}
	})
}

// TestGridPages checks the grid's pages: each page is its slice of the
// whole grid, the total is the same on every page, and a page past the
// last is the last.
func TestGridPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		for i := 1; i <= 5; i++ {
			k := e.kpi(t, msKPI{code: fmt.Sprintf("K%02d", i), owner: e.ema, unit: e.tax, targets: map[string]float64{"2026": 90}})
			msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-09", Value: float64(90 + i)}}))(t)
		}
		e.kpi(t, msKPI{code: "K06", freq: scorecard.Quarterly, unit: e.tax})
		all := msMust(e.svc.Grid(ctx, e.emp, scorecard.GridQuery{Year: 2026}))(t)
		if len(all.Rows) != 5 || all.Total != 5 {
			t.Fatalf("the whole grid: %d rows, total %d", len(all.Rows), all.Total)
		}
		var joined []scorecard.GridRow
		for page := 1; page <= 3; page++ {
			g := msMust(e.svc.Grid(ctx, e.emp, scorecard.GridQuery{Year: 2026, Page: page, PerPage: 2}))(t)
			if g.Total != 5 || g.Query.Page != page || len(g.Rows) != min(2, 5-2*(page-1)) {
				t.Fatalf("page %d: total %d, page %d, %d rows", page, g.Total, g.Query.Page, len(g.Rows))
			}
			joined = append(joined, g.Rows...)
		}
		if !reflect.DeepEqual(joined, all.Rows) {
			t.Errorf("the pages joined differ from the whole grid")
		}
		g := msMust(e.svc.Grid(ctx, e.emp, scorecard.GridQuery{Year: 2026, Page: 9, PerPage: 2}))(t)
		if g.Query.Page != 3 || len(g.Rows) != 1 || g.Rows[0].KPI.Code != "K05" {
			t.Errorf("a page past the last: page %d, rows %+v", g.Query.Page, g.Rows)
		}
		g = msMust(e.svc.Grid(ctx, e.other, scorecard.GridQuery{Year: 2026, Page: 1, PerPage: 2}))(t)
		if len(g.Rows) != 0 || g.Total != 0 {
			t.Errorf("B sees A's KPIs: %d rows, total %d", len(g.Rows), g.Total)
		}
	})
}

// TestPendingCount checks the count against the list it counts, for the
// quality office (every value) and an owner (their KPIs').
func TestPendingCount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		mine := e.kpi(t, msKPI{code: "K01", owner: e.ema, unit: e.tax})
		theirs := e.kpi(t, msKPI{code: "K02", owner: e.ana, unit: e.quality})
		msMust(e.svc.Record(ctx, e.qm, scorecard.SourceManual, []scorecard.Entry{{KPIID: mine, Period: "2026-09", Value: 1}, {KPIID: theirs, Period: "2026-09", Value: 2},
			{KPIID: theirs, Period: "2026-08", Value: 3}}))(t)
		for _, a := range []auth.Actor{e.qm, e.emp, e.viewer, e.other} {
			list := msMust(e.svc.PendingApprovals(ctx, a))(t)
			n := msMust(e.svc.PendingCount(ctx, a))(t)
			if n != len(list) {
				t.Errorf("%s: count %d, list %d", a.Name, n, len(list))
			}
		}
		if n := msMust(e.svc.PendingCount(ctx, e.qm))(t); n == 0 {
			t.Error("the quality office counts no value awaiting approval")
		}
	})
}
