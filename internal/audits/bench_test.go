package audits_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// A large municipality's internal audit over ten years: 60 units, each
// audited once or twice a year (900 audits), 30 checklist questions and
// 2 findings (each with its case) per audit.
const (
	benchUnits   = 60
	benchYears   = 10
	benchItems   = 30
	benchFinding = 2
)

type benchEnv struct {
	d     *db.DB
	svc   *audits.Service
	qm    auth.Actor
	units []int64
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	e := &benchEnv{d: d}
	for i := range benchUnits {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %d", i), Code: fmt.Sprintf("S%02d", i), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		e.units = append(e.units, u.ID)
	}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{FullName: "Auditor Bench", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		b.Fatal(err)
	}
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "calitate", DisplayName: "Responsabil calitate", Password: "parola-buna-2026", Locale: "ro", Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	if e.qm, err = as.ActorByID(ctx, u.ID); err != nil {
		b.Fatal(err)
	}
	ws := &work.Service{DB: d, Clock: clk}
	e.svc = &audits.Service{DB: d, Clock: clk, Work: ws, Improve: &improvement.Service{DB: d, Clock: clk, Work: ws}}
	now := t0
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		verdicts := []string{"conform", "conform", "conform", "minor", "observation", "conform", "na", "opportunity", "conform", "major"}
		kinds := []string{"minor", "observation", "opportunity", "major"}
		clauses := []string{"4.4", "6.1", "7.2", "7.5.3", "8.1", "8.2", "8.4", "8.5.1", "9.1.2", "10.2"}
		n := 0
		for y := range benchYears {
			year := 2017 + y
			var prog int64
			state := audits.ProgrammeApproved
			if err := tx.QueryRow(`INSERT INTO audit_programmes (tenant_id, year, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`, inst.ID, year, state, now).Scan(&prog); err != nil {
				return err
			}
			for k, unit := range e.units {
				times := 1 + k%2
				for t := range times {
					month := 1 + (k+6*t)%12
					var item int64
					if err := tx.QueryRow(`INSERT INTO audit_programme_items (tenant_id, programme_id, unit_id, month, clauses, frequency, created_at, updated_at) VALUES ($1, $2, $3, $4, '8.5.1,7.5.3', $5, $6, $6) RETURNING id`,
						inst.ID, prog, unit, month, times, now).Scan(&item); err != nil {
						return err
					}
					n++
					code := fmt.Sprintf("AI-%d-%02d", year, n)
					start := time.Date(year, time.Month(month), 10, 0, 0, 0, 0, time.UTC)
					st := audits.StateClosed
					if start.After(now) {
						st = audits.StatePlanned
					}
					title := fmt.Sprintf("Auditul serviciului %d", k)
					var id int64
					if err := tx.QueryRow(`INSERT INTO internal_audits (tenant_id, code, year, seq, programme_id, item_id, title, unit_id, scope, clauses, lead_id, start_on, end_on, state,
							search_text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Domeniul', $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
						inst.ID, code, year, n, prog, item, title, unit, "8.5.1,7.5.3,8.1", p.ID, start.Format(time.DateOnly), start.AddDate(0, 0, 1).Format(time.DateOnly), st,
						textutil.Fold(code+" "+title), now).Scan(&id); err != nil {
						return err
					}
					for q := range benchItems {
						v := ""
						if st == audits.StateClosed {
							v = verdicts[q%len(verdicts)]
						}
						if _, err := tx.Exec(`INSERT INTO audit_checklist (tenant_id, audit_id, position, clause, source, question, verdict, updated_at) VALUES ($1, $2, $3, $4, 'bank', 'Întrebarea de audit', $5, $6)`,
							inst.ID, id, q+1, clauses[q%len(clauses)], v, now); err != nil {
							return err
						}
					}
					if st != audits.StateClosed {
						continue
					}
					for f := range benchFinding {
						var nc int64
						ncCode := fmt.Sprintf("NC-%d-%04d", year, n*benchFinding+f)
						if err := tx.QueryRow(`INSERT INTO nonconformities (tenant_id, code, sort_code, title, source, source_ref, source_module, source_entity, severity, severity_rank, detected_on, state, created_at, updated_at)
							VALUES ($1, $2, $2, 'Constatare', 'internal_audit', $3, 'audits', 'audit_finding', $4, 1, $5, $6, $7, $7) RETURNING id`,
							inst.ID, ncCode, code, kinds[(k+f)%len(kinds)], start.Format(time.DateOnly), []string{"closed", "actions"}[f], now).Scan(&nc); err != nil {
							return err
						}
						if _, err := tx.Exec(`INSERT INTO audit_findings (tenant_id, audit_id, seq, kind, clause, evidence, nc_id, created_at) VALUES ($1, $2, $3, $4, $5, 'Constatarea', $6, $7)`,
							inst.ID, id, f+1, kinds[(k+f)%len(kinds)], clauses[(k+f)%len(clauses)], nc, now); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkAuditPages measures the queries behind the module's pages: the
// entry page (a year's list, its counts and its programme), the list across
// every year searched, the programme page, one audit's page and the clause
// evidence the compliance matrix reads.
func BenchmarkAuditPages(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	rows, total, err := e.svc.List(ctx, e.qm, audits.Filter{Limit: 100000})
	if err != nil || total < benchUnits*benchYears {
		b.Fatalf("%d audits (%v)", total, err)
	}
	one := rows[len(rows)/2].ID
	b.Run("entry_page", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			if _, _, err := e.svc.List(ctx, e.qm, audits.Filter{Year: 2026, Sort: "code", Limit: 25}); err != nil {
				return err
			}
			if _, err := e.svc.YearCounts(ctx, e.qm, 2026); err != nil {
				return err
			}
			_, err := e.svc.ProgrammeView(ctx, e.qm, 2026)
			return err
		})
	})
	b.Run("search_all_years", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			_, _, err := e.svc.List(ctx, e.qm, audits.Filter{Query: "serviciului 4", UnitID: e.units[4], Sort: "-start", Limit: 25})
			return err
		})
	})
	b.Run("audit_page", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			if _, err := e.svc.Audit(ctx, e.qm, one); err != nil {
				return err
			}
			items, err := e.svc.Checklist(ctx, e.qm, one)
			if err != nil {
				return err
			}
			fs, err := e.svc.Findings(ctx, e.qm, one)
			audits.Summarise(items, fs)
			return err
		})
	})
	b.Run("clause_evidence", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			ev, err := e.svc.ClauseEvidence(ctx, e.qm.Tenant)
			if err == nil && len(ev) == 0 {
				err = fmt.Errorf("no evidence")
			}
			return err
		})
	})
}
