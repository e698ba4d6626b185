package risks_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/importer"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// The register of a large municipality: 10,000 entries over 30 units
// (5 directorates of 5 services each, plus 5 compartments), with another
// institution's 2,000 beside them.
const (
	benchRisks = 10_000
	benchUnits = 30
)

type benchEnv struct {
	d     *db.DB
	svc   *risks.Service
	qm    auth.Actor
	units []int64 // the first of each group of 6 is a directorate
	names []string
	codes []string
	heads []string
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	e := &benchEnv{d: d}
	var sys auth.Actor
	for k, name := range []string{"Primăria Municipiului Bench", "Primăria Orașului Alt"} {
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: name, CUI: []string{"4322823", "4305857"}[k], Kind: org.KindMunicipality, County: "Cluj"})
		if err != nil {
			b.Fatal(err)
		}
		if k == 0 {
			sys = auth.SystemActor(inst.ID, "bench")
		}
	}
	var parent int64
	for i := range benchUnits {
		in := org.UnitInput{Name: fmt.Sprintf("Serviciul %d", i), Code: fmt.Sprintf("S%02d", i), Kind: org.UnitService, Relation: org.RelationOwn}
		if i%6 == 0 {
			in = org.UnitInput{Name: fmt.Sprintf("Direcția %d", i/6), Code: fmt.Sprintf("D%d", i/6), Kind: org.UnitDirectorate, Relation: org.RelationOwn}
		} else {
			in.ParentID = parent
		}
		u, err := o.CreateUnit(ctx, sys, in)
		if err != nil {
			b.Fatal(err)
		}
		if i%6 == 0 {
			parent = u.ID
		}
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: u.ID, FullName: fmt.Sprintf("Șef %s", in.Name), Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		e.units, e.names, e.codes, e.heads = append(e.units, u.ID), append(e.names, in.Name), append(e.codes, in.Code), append(e.heads, p.FullName)
	}
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "calitate", DisplayName: "Responsabil calitate", Password: "parola-buna-2026", Locale: "ro", Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	if e.qm, err = as.ActorByID(ctx, u.ID); err != nil {
		b.Fatal(err)
	}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad(), BaseURL: "https://cadran.example.ro"}
	e.svc = &risks.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk, Notify: notes}}
	return e
}

var descriptions = []string{"Neîncasarea la termen a impozitelor și taxelor locale", "Atribuirea contractelor de achiziție publică fără respectarea procedurii",
	"Emiterea autorizațiilor de construire peste termenul legal", "Acordarea necuvenită a beneficiilor de asistență socială",
	"Pierderea sau divulgarea datelor cu caracter personal", "Ocuparea posturilor vacante cu personal necorespunzător"}

// seed writes the register straight into the tables (the services are
// measured elsewhere): entries in every state and score.
func (e *benchEnv) seed(b *testing.B) {
	b.Helper()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	err := e.d.Tx(context.Background(), func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, unit_id, description, causes, scale, inherent_p, inherent_i, inherent_e, strategy,
				residual_p, residual_i, residual_e, cur_p, cur_i, cur_e, next_review_on, state, search_text, sort_text, created_at, updated_at)
			VALUES ($1, 2026, $2, $3, $4, $5, $6, $7, '', 5, $8, $9, $10, 'treat', $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)`)
		if err != nil {
			return err
		}
		defer st.Close()
		states := []string{risks.StateActive, risks.StateActive, risks.StateActive, risks.StateProposed, risks.StateClosed, risks.StateDeclined}
		for tenant, n := range map[int64]int{e.qm.Tenant: benchRisks, e.qm.Tenant + 1: benchRisks / 5} {
			for i := range n {
				u := i % benchUnits
				var unit any = e.units[u]
				if tenant != e.qm.Tenant {
					unit = nil
				}
				p, im := 1+i%5, 1+(i/5)%5
				rp, ri := max(1, p-1), max(1, im-(i%2))
				if i%3 == 0 {
					rp, ri = 0, 0
				}
				cp, ci := p, im
				if rp > 0 {
					cp, ci = rp, ri
				}
				code := fmt.Sprintf("R-%s-%04d", e.codes[u], i/benchUnits+1)
				desc := descriptions[i%len(descriptions)] + " nr. " + strconv.Itoa(i)
				if _, err := st.Exec(tenant, risks.KindRisk, code, code, risks.LevelUnit, unit, desc, p, im, p*im, rp, ri, rp*ri, cp, ci, cp*ci,
					fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i%28), states[i%len(states)], textutil.Fold(code+" "+desc), textutil.Fold(desc), now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRegisterList is one page of 25 rows (with the total) of a
// register of 10,000 entries on SQLite: a directorate's subtree, active,
// above tolerance, sorted by current exposure descending; the whole
// register by code; a text search; a heat-map cell. The budget is 50 ms p95.
func BenchmarkRegisterList(b *testing.B) {
	e := newBenchEnv(b)
	e.seed(b)
	ctx := context.Background()
	cases := []struct {
		name string
		f    risks.Filter
	}{
		{"unit_active_above_by_residual", risks.Filter{UnitID: e.units[6], State: risks.StateActive, Above: true, Sort: "-residual", Limit: 25}},
		{"all_by_code", risks.Filter{Sort: "code", Limit: 25}},
		{"search_by_description", risks.Filter{Query: "achizitie", Sort: "description", Limit: 25}},
		{"cell_by_review", risks.Filter{Score: risks.ScoreResidual, P: 2, I: 3, State: risks.StateActive, Sort: "review", Limit: 25}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			list, total, err := e.svc.List(ctx, e.qm, c.f)
			if err != nil || len(list) == 0 {
				b.Fatalf("list: %d rows of %d, %v", len(list), total, err)
			}
			b.Logf("%d entries", total)
			benchtest.Measure(b, func() error {
				_, _, err := e.svc.List(ctx, e.qm, c.f)
				return err
			})
		})
	}
	b.Run("heat_map", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			_, err := e.svc.HeatMap(ctx, e.qm, risks.Filter{}, risks.KindRisk)
			return err
		})
	})
}

// importRows is a register of 10,000 rows as a quality office keeps it in
// Excel: units by name, owners by name (some not in the institution),
// levels as numbers or with their names, several measures a row, review
// dates with the measures' status.
func (e *benchEnv) importRows() []importer.Row {
	rows := make([]importer.Row, benchRisks)
	pl := []string{"1", "2 - puțin probabil", "3", "4 - foarte probabil", "5"}
	for i := range rows {
		u := i % benchUnits
		owner := e.heads[u]
		if i%7 == 0 {
			owner = "Ion Necunoscut"
		}
		rows[i] = importer.Row{Line: i + 2, Values: map[string]string{
			"unit": e.names[u], "objective": "Realizarea veniturilor bugetare planificate", "description": descriptions[i%len(descriptions)] + " (rândul " + strconv.Itoa(i+2) + ")",
			"causes": "Personal insuficient; proceduri neactualizate", "owner": owner, "probability": pl[i%5], "impact": strconv.Itoa(1 + (i/5)%5),
			"strategy":             []string{"Tratare", "Monitorizare", "Acceptare", "Tratare - instruire", "Transfer"}[i%5],
			"measures":             "- Instruirea personalului\n- Actualizarea procedurii operaționale",
			"deadline":             fmt.Sprintf("%02d.%02d.2027", 1+i%28, 1+i%12),
			"review":               fmt.Sprintf("%02d.06.2026 - în curs", 1+i%28),
			"residual_probability": strconv.Itoa(1 + i%3), "residual_impact": strconv.Itoa(1 + i%4), "remarks": "",
		}}
	}
	return rows
}

// BenchmarkImport10k commits a register of 10,000 rows (20,000 measures)
// into a fresh SQLite institution: checked again, then written in one
// transaction with the audit trail and the inbox tasks. The budget is 5 s.
func BenchmarkImport10k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		e := newBenchEnv(b)
		rows := e.importRows()
		t := e.svc.Importer()
		b.StartTimer()
		n, err := t.Commit(ctx, e.qm, rows, func(int) {})
		if err != nil {
			b.Fatal(err)
		}
		if n != benchRisks {
			b.Fatalf("imported %d", n)
		}
	}
}

// BenchmarkImportCheck10k checks the same register without writing: the
// preview.
func BenchmarkImportCheck10k(b *testing.B) {
	e := newBenchEnv(b)
	rows := e.importRows()
	t := e.svc.Importer()
	ctx := context.Background()
	for b.Loop() {
		checked, err := t.Check(ctx, e.qm, rows)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range checked {
			if len(c.Errors) > 0 {
				b.Fatalf("line %d: %v", c.Line, c.Errors)
			}
		}
	}
}
