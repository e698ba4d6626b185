package citizen_test

import (
	"fmt"
	"slices"
	"testing"

	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// TestCaseSearch checks the list's full-text search: diacritics folded
// both ways (and the old cedilla spelling), words as prefixes in any
// order, the petitioner's name and the number, and nothing of another
// institution.
func TestCaseSearch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		light := e.petition(t, "Petiție privind iluminatul public", e.tax, 0).Case
		cedilla := e.petition(t, "Petiţie pentru şcoală", e.urban, 0).Case // ţ and ş with cedillas
		other := e.petition(t, "Sesizare gunoi", 0, 0).Case
		if _, err := e.svc.Register(ctx, e.other, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
			Petitioner: citizen.Petitioner{Name: "Maria Popescu", Phone: "0740 123 456"}, Consent: true, Subject: "Petiție iluminat"}); err != nil {
			t.Fatal(err)
		}
		ids := func(q string) []int64 {
			p := must(e.svc.Cases(ctx, e.clerk, citizen.CaseFilter{Query: q}))(t)
			var out []int64
			for _, c := range p.Items {
				out = append(out, c.ID)
			}
			if p.Total != len(out) || p.TotalCapped {
				t.Errorf("%q: total %d (capped %v) for %d items", q, p.Total, p.TotalCapped, len(out))
			}
			slices.Sort(out)
			return out
		}
		// Both ways of searching: from the matches (few) and through the
		// other conditions' index (many).
		for _, threshold := range []int{2000, 0} {
			undo := citizen.SetFewMatches(threshold)
			for _, c := range []struct {
				q    string
				want []int64
			}{
				{"petitie", []int64{light.ID, cedilla.ID}},
				{"petiție", []int64{light.ID, cedilla.ID}},
				{"PETIŢIE", []int64{light.ID, cedilla.ID}},
				{"iluminat", []int64{light.ID}},
				{"public iluminatul petiție", []int64{light.ID}},
				{"scoala", []int64{cedilla.ID}},
				{"școală petiţie", []int64{cedilla.ID}},
				{"popescu", []int64{light.ID, cedilla.ID, other.ID}},
				{"maria gunoi", []int64{other.ID}},
				{"luminat", nil}, // words match from their start
				{"petitie gunoi", nil},
				{"%", nil},
				{"  ", []int64{light.ID, cedilla.ID, other.ID}},
				{other.Number, []int64{other.ID}},
			} {
				if got := ids(c.q); fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("threshold %d: %q finds %v, want %v", threshold, c.q, got, c.want)
				}
			}
			undo()
		}
		// With other filters, and counted alike.
		p := must(e.svc.Cases(ctx, e.clerk, citizen.CaseFilter{Query: "petitie", UnitID: e.econ}))(t)
		if p.Total != 1 || len(p.Items) != 1 || p.Items[0].ID != light.ID {
			t.Errorf("search in a unit: %d %+v", p.Total, p.Items)
		}
		// The assignee sees only their own among the matches.
		if p := must(e.svc.Cases(ctx, e.emp, citizen.CaseFilter{Query: "petitie"}))(t); p.Total != 0 {
			t.Errorf("employee's search: %d", p.Total)
		}
	})
}

// TestHeadOfUnitList checks a head of unit's list, counted and paged in
// every order: exactly the cases of their units (and those under them)
// and the cases assigned to them elsewhere, each once.
func TestHeadOfUnitList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		var want []int64
		e.at(t, "2026-10-01")
		want = append(want, e.petition(t, "Impozit", e.tax, e.ema).Case.ID)
		want = append(want, e.petition(t, "Buget", e.econ, e.dan).Case.ID) // theirs twice over: listed once
		e.petition(t, "Autorizație", e.urban, e.ura)
		e.at(t, "2026-11-02")
		want = append(want, e.petition(t, "Taxă", e.tax, 0).Case.ID)
		e.petition(t, "Nerepartizată", 0, 0)
		e.petition(t, "Urbanism", e.urban, 0)
		e.at(t, "2026-11-23")
		elsewhere := e.petition(t, "Dan, din urbanism", e.urban, 0).Case
		elsewhere = must(e.svc.Assign(ctx, e.clerk, elsewhere.ID, citizen.AssignInput{UnitID: e.urban, AssigneeID: e.dan, Version: elsewhere.Version}))(t)
		if elsewhere.AssigneeID != e.dan {
			t.Fatalf("assigned %+v", elsewhere)
		}
		want = append(want, elsewhere.ID)
		want = append(want, e.petition(t, "Scutire", e.econ, 0).Case.ID)
		slices.Sort(want)
		for _, sort := range citizen.CaseSorts {
			for _, desc := range []bool{false, true} {
				var got []int64
				var all []int64
				for page := 1; page <= 4; page++ {
					p := must(e.svc.Cases(ctx, e.head, citizen.CaseFilter{Sort: sort, Desc: desc, Page: page, PerPage: 2}))(t)
					if p.Total != len(want) {
						t.Errorf("%s: total %d, want %d", sort, p.Total, len(want))
					}
					for _, c := range p.Items {
						got = append(got, c.ID)
					}
				}
				// The same order as the registry's own list of these cases.
				p := must(e.svc.Cases(ctx, e.clerk, citizen.CaseFilter{Sort: sort, Desc: desc, PerPage: 100}))(t)
				for _, c := range p.Items {
					if slices.Contains(want, c.ID) {
						all = append(all, c.ID)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(all) {
					t.Errorf("%s desc=%v: pages %v, want %v", sort, desc, got, all)
				}
			}
		}
		// Filters apply to both parts.
		p := must(e.svc.Cases(ctx, e.head, citizen.CaseFilter{Query: "urbanism"}))(t)
		if p.Total != 1 || len(p.Items) != 1 || p.Items[0].ID != elsewhere.ID {
			t.Errorf("head's search: %d %+v", p.Total, p.Items)
		}
		p = must(e.svc.Cases(ctx, e.head, citizen.CaseFilter{Overdue: true}))(t)
		if p.Total != 2 {
			t.Errorf("head's overdue: %d", p.Total)
		}
		o := must(e.svc.Overview(ctx, e.head))(t)
		if o.Open != len(want) || o.Overdue != 2 || o.RegisteredThisYear != len(want) || len(o.Soon) != len(want) {
			t.Errorf("head's overview %+v", o)
		}
	})
}
