package citizen_test

import (
	"errors"
	"fmt"
	"testing"

	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// EachCase hands on the cases the list would show, in its order and
// within the actor's scope, with the fields the export prints; at most
// limit of them; and stops at the first error of its callback.
func TestEachCase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.at(t, "2026-10-01")
		e.petition(t, "Impozit", e.tax, e.ema)
		e.petition(t, "Buget", e.econ, e.dan)
		e.petition(t, "Autorizație", e.urban, e.ura)
		e.at(t, "2026-11-02")
		e.petition(t, "Taxă", e.tax, 0)
		e.petition(t, "Nerepartizată", 0, 0)
		e.at(t, "2026-11-23")
		e.petition(t, "Scutire", e.econ, 0)
		each := func(a any, f citizen.CaseFilter, limit int) []citizen.Case {
			t.Helper()
			var out []citizen.Case
			actor := e.clerk
			if a != nil {
				actor = e.head
			}
			if err := e.svc.EachCase(ctx, actor, f, limit, func(c citizen.Case) error { out = append(out, c); return nil }); err != nil {
				t.Fatal(err)
			}
			return out
		}
		for _, sort := range citizen.CaseSorts {
			for _, desc := range []bool{false, true} {
				for _, head := range []any{nil, true} {
					actor := e.clerk
					if head != nil {
						actor = e.head
					}
					f := citizen.CaseFilter{Sort: sort, Desc: desc}
					page := must(e.svc.Cases(ctx, actor, citizen.CaseFilter{Sort: sort, Desc: desc, PerPage: 100}))(t)
					got := each(head, f, 1000)
					if len(got) != len(page.Items) {
						t.Fatalf("%s desc=%v head=%v: %d cases, the list %d", sort, desc, head != nil, len(got), len(page.Items))
					}
					for i, c := range got {
						w := page.Items[i]
						if fmt.Sprint(c.ID, c.Number, c.RegisteredOn, c.Kind, c.Channel, c.Subject, c.Topic, c.ServiceName, c.Petitioner.Name, c.UnitName,
							c.AssigneeName, c.DueOn, c.State, c.ClosedOn, c.AnswerKind) != fmt.Sprint(w.ID, w.Number, w.RegisteredOn, w.Kind, w.Channel, w.Subject,
							w.Topic, w.ServiceName, w.Petitioner.Name, w.UnitName, w.AssigneeName, w.DueOn, w.State, w.ClosedOn, w.AnswerKind) {
							t.Errorf("%s desc=%v: case %d is %+v, the list's %+v", sort, desc, i, c, w)
						}
					}
				}
			}
		}
		if got := each(nil, citizen.CaseFilter{}, 2); len(got) != 2 {
			t.Errorf("limit 2: %d cases", len(got))
		}
		if got := each(nil, citizen.CaseFilter{Query: "scutire"}, 100); len(got) != 1 || got[0].Subject != "Scutire" {
			t.Errorf("search: %+v", got)
		}
		stop := errors.New("stop")
		n := 0
		err := e.svc.EachCase(ctx, e.clerk, citizen.CaseFilter{}, 100, func(citizen.Case) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("stopping: %v after %d", err, n)
		}
	})
}
