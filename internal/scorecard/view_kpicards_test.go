package scorecard_test

import (
	"fmt"
	"reflect"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scorecard"
)

// TestKPICardsMatchTheCard checks KPICards, which reads the values and
// targets of the KPIs it is given, against what the KPI list computed
// before: the institution's whole Card for the KPIs it holds, and Series
// for the period for the others. The KPIs cover the cases where the two
// could part: values in several periods, the latest one missing, a pending
// value only, no value at all, no target, a KPI without an objective, an
// archived KPI, and each frequency, over several months.
func TestKPICardsMatchTheCard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		s := stBuildCard(t, e)

		// K08 has values in July and August but none since; K09 has no
		// objective; K10 has neither objective nor value; K11 has no target;
		// K12 is archived with a value.
		k08 := e.kpi(t, scorecard.KPIInput{Name: "Sesizări închise", ObjectiveID: s.c2.ID})
		e.targets(t, k08, scorecard.Target{Period: "2026", Value: 50}, scorecard.Target{Period: "2026-07", Value: 40})
		e.stValue(t, e.sysA.Tenant, k08.ID, "2026-07", stF(45), nil)
		e.stValue(t, e.sysA.Tenant, k08.ID, "2026-08", stF(52), stF(53))
		k09 := e.kpi(t, scorecard.KPIInput{Name: "Vizite pe site", Baseline: stF(0)})
		e.targets(t, k09, scorecard.Target{Period: "2026", Value: 1000})
		e.stValue(t, e.sysA.Tenant, k09.ID, "2026-09", stF(800), nil)
		e.stValue(t, e.sysA.Tenant, k09.ID, "2026-10", stF(900), nil)
		k10 := e.kpi(t, scorecard.KPIInput{Name: "Indicator nou", Frequency: scorecard.Quarterly})
		k11 := e.kpi(t, scorecard.KPIInput{Name: "Fără țintă", ObjectiveID: s.c2.ID})
		e.stValue(t, e.sysA.Tenant, k11.ID, "2026-10", stF(3), nil)
		k12 := e.kpi(t, scorecard.KPIInput{Name: "Arhivat", ObjectiveID: s.c1.ID})
		e.targets(t, k12, scorecard.Target{Period: "2026", Value: 10})
		e.stValue(t, e.sysA.Tenant, k12.ID, "2026-10", stF(5), nil)
		k12, err := e.svc.KPI(ctx, e.qm, k12.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ArchiveKPI(ctx, e.qm, k12.ID, k12.Version); err != nil {
			t.Fatal(err)
		}

		var kpis []scorecard.KPI
		for _, k := range []scorecard.KPI{s.k01, s.k02, s.k03, s.k04, s.k05, s.k06, s.k07, k08, k09, k10, k11, k12} {
			k, err := e.svc.KPI(ctx, e.viewer, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			kpis = append(kpis, k)
		}
		for _, m := range []scorecard.Period{scorecard.Month(2026, 10), scorecard.Month(2026, 11), scorecard.Month(2026, 8), scorecard.Month(2027, 1), {}} {
			t.Run(fmt.Sprint(m.Key()), func(t *testing.T) {
				want := stOldStatuses(t, e, kpis, m)
				got, err := e.svc.KPICards(ctx, e.viewer, kpis, m)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := got[k12.ID]; ok {
					t.Error("the archived KPI has a card")
				}
				if len(got) != len(want) {
					t.Errorf("%d cards, want %d", len(got), len(want))
				}
				for id, w := range want {
					g, ok := got[id]
					if !ok {
						t.Errorf("KPI %d: no card", id)
						continue
					}
					if !w.fromCard {
						// Series says nothing of the period before or of why
						// there is no result.
						g.Previous, g.NoData = nil, ""
					}
					g.KPI, w.card.KPI = scorecard.KPI{}, scorecard.KPI{}
					if !reflect.DeepEqual(g, w.card) {
						t.Errorf("KPI %d (%s):\n got  %s\n want %s", id, w.code, stCardText(g), stCardText(w.card))
					}
				}
			})
		}
		// Another institution's actor reads nothing of A's KPIs.
		other, err := e.svc.KPICards(ctx, e.other, kpis, scorecard.Month(2026, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(other) != 0 {
			t.Errorf("B reads A's KPI cards: %v", other)
		}
	})
}

type stOldCard struct {
	card     scorecard.KPICard
	fromCard bool
	code     string
}

// stOldStatuses is the KPI list's status column as it was computed before
// KPICards: the institution's card, then Series for the KPIs it lacks.
func stOldStatuses(t *testing.T, e *stEnv, kpis []scorecard.KPI, m scorecard.Period) map[int64]stOldCard {
	t.Helper()
	ctx := t.Context()
	card, err := e.svc.Card(ctx, e.viewer, scorecard.CardQuery{Month: m})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]stOldCard{}
	var walk func([]scorecard.ObjectiveCard)
	walk = func(os []scorecard.ObjectiveCard) {
		for _, o := range os {
			for _, kc := range o.KPIs {
				out[kc.KPI.ID] = stOldCard{card: kc, fromCard: true, code: kc.KPI.Code}
			}
			walk(o.Children)
		}
	}
	for _, pc := range card.Perspectives {
		walk(pc.Objectives)
	}
	for _, k := range kpis {
		if _, ok := out[k.ID]; ok || k.Archived {
			continue
		}
		p := scorecard.LatestEnded(k.Frequency, card.Query.Month)
		pts, err := e.svc.Series(ctx, e.viewer, k.ID, p, p)
		if err != nil {
			t.Fatal(err)
		}
		kc := scorecard.KPICard{KPI: k, Period: p}
		if len(pts) == 1 {
			pt := pts[0]
			kc.Value, kc.Target, kc.Result, kc.HasResult, kc.Pending = pt.Value, pt.Target, pt.Result, pt.HasData, pt.Pending
		}
		out[k.ID] = stOldCard{card: kc, code: k.Code}
	}
	return out
}

func stCardText(c scorecard.KPICard) string {
	f := func(v *float64) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprint(*v)
	}
	tg := "nil"
	if c.Target != nil {
		tg = fmt.Sprintf("%v/%s", c.Target.Value, f(c.Target.High))
	}
	return fmt.Sprintf("period %s value %s previous %s target %s result %+v (%v) pending %v nodata %q", c.Period.Key(), f(c.Value), f(c.Previous), tg,
		c.Result, c.HasResult, c.Pending, c.NoData)
}
