package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/scorecard"
)

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		sc := scSeed(t, f)
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc := f.Srv.scorecard
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		return isolationRecords{
			IDs: map[string]string{
				"/scorecard/objectives/{id}":   id(sc.Citizens.ID),
				"/scorecard/initiatives/{id}":  id(sc.Initiative.ID),
				"/scorecard/perspectives/{id}": id(sc.Perspectives[0].ID),
			},
			Form: url.Values{
				"sc_obj_perspective": {id(sc.Perspectives[0].ID)}, "sc_obj_parent": {id(sc.Citizens.ID)}, "sc_obj_unit": {id(f.A.Unit.ID)},
				"sc_obj_owner": {id(f.A.Person.ID)}, "sc_obj_title": {"Intrus"}, "sc_ini_title": {"Intrus"}, "sc_ini_objectives": {id(sc.Citizens.ID)},
				"sc_ini_owner": {id(f.A.Person.ID)}, "sc_ini_unit": {id(f.A.Unit.ID)}, "sc_persp_name": {"Intrus"}, "sc_persp_weight": {"5"},
				"from_id": {id(sc.Finance.ID)}, "to_id": {id(sc.Citizens.ID)},
			},
			Check: func(t *testing.T) {
				o, err := svc.Objective(ctx, sys, sc.Citizens.ID)
				if err != nil || o.Version != sc.Citizens.Version || o.Title != sc.Citizens.Title || o.Archived {
					t.Errorf("A's objective changed during B's requests: %+v (%v)", o, err)
				}
				x, err := svc.Initiative(ctx, sys, sc.Initiative.ID)
				if err != nil || x.Version != sc.Initiative.Version || x.Title != sc.Initiative.Title {
					t.Errorf("A's initiative changed: %+v (%v)", x, err)
				}
				ps, err := svc.Perspectives(ctx, sys)
				if err != nil || len(ps) != len(sc.Perspectives) || ps[0].Version != sc.Perspectives[0].Version || ps[0].Name != sc.Perspectives[0].Name {
					t.Errorf("A's perspectives changed: %+v (%v)", ps, err)
				}
				links, err := svc.Links(ctx, sys, 0)
				if err != nil || len(links) != 1 {
					t.Errorf("A's links are %+v (%v), want the one", links, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM scorecard_objectives WHERE tenant_id <> $1 AND (parent_id = $2 OR perspective_id = $3 OR unit_id = $4)`,
					f.A.Inst.ID, sc.Citizens.ID, sc.Perspectives[0].ID, f.A.Unit.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B made %d objectives pointing at A's (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM scorecard_initiative_objectives WHERE tenant_id <> $1 AND objective_id = $2`, f.A.Inst.ID, sc.Citizens.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B linked %d initiatives to A's objective (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM scorecard_links WHERE tenant_id <> $1 AND (from_id = $2 OR to_id = $3)`, f.A.Inst.ID, sc.Finance.ID, sc.Citizens.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B drew %d links between A's objectives (err %v)", n, err)
				}
			},
		}
	})
}

// scSeeded is institution A's scorecard for the page tests.
type scSeeded struct {
	Perspectives []scorecard.Perspective
	// Citizens (C1, the institution's, citizens) is measured by KPI; Finance
	// (F1) helps achieve it (a link); Unit's objective (DE1) contributes to
	// it (cascaded).
	Citizens, Finance, Unit scorecard.Objective
	KPI                     scorecard.KPI
	Initiative              scorecard.Initiative
}

// scSeed gives institution A a small scorecard: as of October 2026 its KPI
// "Alfa Petiții soluționate în termen" stands at 93 % against a target of
// 95 % (baseline 80, red below 85): linear (93 − 80) / (95 − 80) × 100 =
// 86.7 points, amber.
func scSeed(t *testing.T, f *fixture) scSeeded {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.scorecard
	var sc scSeeded
	var err error
	if err = svc.EnsureDefaults(ctx, sys); err != nil {
		t.Fatal(err)
	}
	if sc.Perspectives, err = svc.Perspectives(ctx, sys); err != nil || len(sc.Perspectives) != 4 {
		t.Fatalf("perspectives %+v (%v)", sc.Perspectives, err)
	}
	if sc.Citizens, err = svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: sc.Perspectives[0].ID, Code: "SC-C1", Title: "Alfa Servicii publice rapide și sigure",
		OwnerID: f.A.Person.ID, Weight: 1, Quality: true}); err != nil {
		t.Fatal(err)
	}
	if sc.Finance, err = svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: sc.Perspectives[1].ID, Code: "SC-F1", Title: "Alfa Încasarea impozitelor locale", Weight: 1}); err != nil {
		t.Fatal(err)
	}
	if sc.Unit, err = svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: sc.Perspectives[0].ID, UnitID: f.A.Unit.ID, ParentID: sc.Citizens.ID, Code: "SC-DE1",
		Title: "Alfa Răspunsuri la timp în direcție", Weight: 1}); err != nil {
		t.Fatal(err)
	}
	if err = svc.AddLink(ctx, sys, scorecard.Link{FromID: sc.Finance.ID, ToID: sc.Citizens.ID, Note: "Alfa bani pentru digitalizare"}); err != nil {
		t.Fatal(err)
	}
	base, red := 80.0, 85.0
	if sc.KPI, err = svc.CreateKPI(ctx, sys, scorecard.KPIInput{Code: "SCK1", Name: "Alfa Petiții soluționate în termen", MeasureUnit: "%", Polarity: scorecard.PolarityHigher,
		Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Baseline: &base, Red: &red, Decimals: 1, OwnerID: f.A.Person.ID, ObjectiveID: sc.Citizens.ID, Weight: 1}); err != nil {
		t.Fatal(err)
	}
	if err = svc.SetTargets(ctx, sys, sc.KPI.ID, sc.KPI.Version, []scorecard.Target{{Period: "2026", Value: 95}}); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.Record(ctx, sys, scorecard.SourceManual, []scorecard.Entry{{KPIID: sc.KPI.ID, Period: "2026-09", Value: 91}, {KPIID: sc.KPI.ID, Period: "2026-10", Value: 93}}); err != nil {
		t.Fatal(err)
	}
	if sc.KPI, err = svc.KPI(ctx, sys, sc.KPI.ID); err != nil {
		t.Fatal(err)
	}
	if sc.Initiative, err = svc.CreateInitiative(ctx, sys, scorecard.InitiativeInput{Title: "Alfa Ghișeul unic digital", OwnerID: f.A.Person.ID, ObjectiveIDs: []int64{sc.Citizens.ID},
		Budget: 120000, StartOn: "2026-03-01", EndOn: "2026-12-31", Progress: 40, State: scorecard.InitiativeOngoing, Funding: "PNRR"}); err != nil {
		t.Fatal(err)
	}
	return sc
}
