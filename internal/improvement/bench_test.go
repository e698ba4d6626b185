package improvement_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/importer"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The log of a large municipality (DESIGN.md, "Performance budget"):
// 10,000 register entries over 30 units. The budget is p95 under 50 ms for
// a filtered, sorted page with its count on SQLite, and under 5 s for an
// import of 10,000 rows.
const (
	benchDirectorates = 6 // each with 4 services: 30 units
	benchPeople       = 120
	benchRows         = 10_000
)

// benchInst is one institution ready for the benchmarks: its units (the
// directorates first), its people's names and its quality manager.
type benchInst struct {
	svc          *improvement.Service
	qm           auth.Actor
	directorates []int64
	units        []string
	people       []string
}

func benchEnv(b *testing.B, d *db.DB, clk clock.Clock, cui string) benchInst {
	b.Helper()
	ctx := context.Background()
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului " + cui, CUI: cui, Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	bi := benchInst{}
	var unitIDs []int64
	for i := range benchDirectorates {
		dir, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Direcția %d", i+1), Code: fmt.Sprintf("D%d", i+1), Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		bi.directorates = append(bi.directorates, dir.ID)
		bi.units = append(bi.units, dir.Name)
		unitIDs = append(unitIDs, dir.ID)
		for j := range 4 {
			u, err := o.CreateUnit(ctx, sys, org.UnitInput{ParentID: dir.ID, Name: fmt.Sprintf("Serviciul %d.%d", i+1, j+1), Code: fmt.Sprintf("D%d-S%d", i+1, j+1), Kind: org.UnitService, Relation: org.RelationOwn})
			if err != nil {
				b.Fatal(err)
			}
			bi.units = append(bi.units, u.Name)
			unitIDs = append(unitIDs, u.ID)
		}
	}
	for i := range benchPeople {
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: unitIDs[i%len(unitIDs)], FullName: fmt.Sprintf("Persoana Ștefănescu %03d", i),
			Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		bi.people = append(bi.people, p.FullName)
	}
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "calitate." + cui, DisplayName: "Responsabil calitate", Password: "parola-buna-2026", Locale: "ro", Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	if bi.qm, err = as.ActorByID(ctx, u.ID); err != nil {
		b.Fatal(err)
	}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}
	bi.svc = &improvement.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk, Notify: notes}}
	return bi
}

var benchSources = []string{"Audit intern", "Audit de supraveghere", "Reclamație", "Indicator", "Sesizare angajat", "Analiza managementului"}
var benchSeverity = []string{"majoră", "minoră", "minoră", "observație"}

// benchLog is a realistic log of n rows: two years of cases over the
// units, a third still open (with an action due, some overdue).
func benchLog(bi benchInst, n int) []importer.Row {
	rows := make([]importer.Row, n)
	for i := range n {
		detected := t0.AddDate(0, 0, -(i*730/n + 1))
		r := importer.Row{Line: i + 2, Values: map[string]string{
			"no":          fmt.Sprint(i + 1),
			"detected_on": detected.Format("02.01.2006"),
			"source":      benchSources[i%len(benchSources)],
			"description": fmt.Sprintf("Cererea nr. %d a fost soluționată după termenul legal de 30 de zile; registrul nu arată repartizarea.", 1000+i),
			"unit":        bi.units[i%len(bi.units)],
			"process":     fmt.Sprintf("Procesul %d", i%12+1),
			"clause":      []string{"8.5.1", "7.5.3", "9.1", "8.2", "7.2"}[i%5],
			"severity":    benchSeverity[i%len(benchSeverity)],
			"correction":  "Cererea a fost soluționată de urgență.",
			"cause":       "Procedura nu stabilește cine repartizează cererile primite prin e-mail.",
			"action":      "Revizuirea procedurii și instruirea personalului",
			"owner":       bi.people[i%len(bi.people)],
			"due":         detected.AddDate(0, 2, 0).Format("02.01.2006"),
		}}
		if i%3 == 0 {
			r.Values["state"] = "deschisă"
		} else {
			r.Values["state"] = "închisă"
			r.Values["closed_on"] = detected.AddDate(0, 1, 0).Format("02.01.2006")
			if detected.AddDate(0, 1, 0).After(t0) {
				r.Values["closed_on"] = detected.Format("02.01.2006")
			}
		}
		rows[i] = r
	}
	return rows
}

// BenchmarkRegisterList is a page of 25 cases with the total, filtered and
// sorted, from a log of 10,000 cases over 30 units beside another
// institution's 2,000:
//
//	go test ./internal/improvement/ -run '^$' -bench RegisterList -benchtime 50x
func BenchmarkRegisterList(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	ctx := context.Background()
	start := time.Now()
	a := benchEnv(b, d, clk, "4322823")
	other := benchEnv(b, d, clk, "4305857")
	if n, err := a.svc.Importer().Commit(ctx, a.qm, benchLog(a, benchRows), nil); err != nil || n != benchRows {
		b.Fatalf("seed: %d %v", n, err)
	}
	if _, err := other.svc.Importer().Commit(ctx, other.qm, benchLog(other, 2000), nil); err != nil {
		b.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("log of %d cases seeded in %s", benchRows, time.Since(start).Round(time.Millisecond))
	cases := []struct {
		name string
		f    improvement.Filter
		min  int
	}{
		{"newest", improvement.Filter{Limit: 25}, 10000},
		{"unit_state_severity", improvement.Filter{UnitID: a.directorates[2], State: "open", Severity: improvement.SeverityMinor, Sort: "code", Limit: 25}, 100},
		{"open_overdue_by_due", improvement.Filter{State: "open", Overdue: true, Sort: "due", Limit: 25}, 1000},
		{"search_by_unit_desc", improvement.Filter{Query: "registrul", Sort: "-unit", Limit: 25}, 10000},
		{"age_severity_sort", improvement.Filter{Age: improvement.AgeOver, Sort: "severity", Limit: 25, Offset: 100}, 1000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			list, total, err := a.svc.List(ctx, a.qm, c.f)
			if err != nil || len(list) != 25 || total < c.min {
				b.Fatalf("list: %d rows of %d, %v", len(list), total, err)
			}
			b.Logf("%d cases", total)
			benchtest.Measure(b, func() error {
				_, _, err := a.svc.List(ctx, a.qm, c.f)
				return err
			})
		})
	}
	b.Run("overdue_actions", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			_, _, err := a.svc.Actions(ctx, a.qm, improvement.ActionFilter{Overdue: true, UnitID: a.directorates[1], Limit: 25})
			return err
		})
	})
	b.Run("overview", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			_, err := a.svc.Overview(ctx, a.qm)
			return err
		})
	})
}

// BenchmarkImport10k commits a log of 10,000 realistic rows (each with its
// cause and action; a third open, with an inbox task for the action's
// owner) into a fresh SQLite institution. The budget is 5 s:
//
//	go test ./internal/improvement/ -run '^$' -bench Import10k -benchtime 3x
func BenchmarkImport10k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		d := dbtest.Open(b, db.SQLite)
		bi := benchEnv(b, d, clock.NewFixed(t0), "4322823")
		rows := benchLog(bi, benchRows)
		b.StartTimer()
		if _, err := bi.svc.Importer().Check(ctx, bi.qm, rows); err != nil {
			b.Fatal(err)
		}
		n, err := bi.svc.Importer().Commit(ctx, bi.qm, rows, func(int) {})
		if err != nil || n != benchRows {
			b.Fatalf("imported %d: %v", n, err)
		}
	}
}
