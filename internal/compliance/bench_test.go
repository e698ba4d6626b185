package compliance_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
)

// A large municipality: 3,000 documents (each linked to one or two
// clauses, nine in ten in force, some overdue for review), 10,000
// nonconformities with 4,000 corrective actions, 2,000 risks, 30 external
// audits of 5 findings each, 200 records entered by hand and 1,500 audit
// items from the internal audits module.
const (
	benchDocs   = 3000
	benchNCs    = 10_000
	benchRisks  = 2000
	benchAudits = 30
)

func benchSetup(b *testing.B) (*compliance.Service, auth.Actor) {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	ws := &work.Service{DB: d, Clock: clk}
	var src source
	for i := range 1500 {
		c := frameworks.ISO9001[i%len(frameworks.ISO9001)]
		src = append(src, evidence.Item{Clause: c.Code, Kind: evidence.KindAudit, Entity: "audit", ID: int64(i/10 + 1), Code: fmt.Sprintf("AI-%d", i/10),
			Date: t0.AddDate(0, 0, -(i % 700)), Result: evidence.Results[i%len(evidence.Results)]})
	}
	svc := &compliance.Service{DB: d, Clock: clk, Work: ws, Improve: &improvement.Service{DB: d, Clock: clk, Work: ws}, Sources: []evidence.Source{src}}
	clauses := frameworks.ISO9001
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		t := inst.ID
		for i := range benchDocs {
			state := "in_force"
			if i%10 == 0 {
				state = "draft"
			}
			review := "2027-06-01"
			if i%25 == 0 {
				review = "2026-05-01"
			}
			var id, vid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO documents (tenant_id, kind, code, title, review_months, state, effective_on, next_review_on, sort_code, sort_title, created_at, updated_at)
				VALUES ($1, 'operational_procedure', $2, $3, 24, $4, '2025-01-01', $5, $2, $3, $6, $6) RETURNING id`, t, fmt.Sprintf("PO-%05d", i), fmt.Sprintf("Procedura %d", i), state, review, t0).Scan(&id); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO document_versions (tenant_id, document_id, edition, revision, state, source, created_at, updated_at)
				VALUES ($1, $2, 1, 0, $3, 'register', $4, $4) RETURNING id`, t, id, state, t0).Scan(&vid); err != nil {
				return err
			}
			cur := any(vid)
			if state == "draft" {
				cur = nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET current_id = $1, latest_id = $2 WHERE id = $3`, cur, vid, id); err != nil {
				return err
			}
			for k := range 1 + i%2 {
				c := clauses[(i+k*7)%len(clauses)]
				if _, err := tx.ExecContext(ctx, `INSERT INTO document_links (tenant_id, document_id, target, target_key) VALUES ($1, $2, 'iso_clause', $3)`, t, id, c.Code); err != nil {
					return err
				}
			}
		}
		for i := range benchNCs {
			state := []string{"closed", "closed", "closed", "actions", "analysis", "reported", "verification", "declined"}[i%8]
			sev := improvement.Severities[i%4]
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO nonconformities (tenant_id, code, sort_code, title, source, clause, severity, severity_rank, detected_on, state, created_at, updated_at)
				VALUES ($1, $2, $2, $3, 'complaint', $4, $5, $6, $7, $8, $9, $9) RETURNING id`, t, fmt.Sprintf("NC-%05d", i), fmt.Sprintf("Caz %d", i),
				clauses[i%len(clauses)].Code, sev, i%4+1, t0.AddDate(0, 0, -(i%900)).Format(time.DateOnly), state, t0).Scan(&id); err != nil {
				return err
			}
			if i%5 < 2 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_actions (tenant_id, nc_id, description, due_on, state, created_at, updated_at) VALUES ($1, $2, 'Acțiune', $3, $4, $5, $5)`,
					t, id, t0.AddDate(0, 0, 60-(i%200)).Format(time.DateOnly), []string{"open", "done"}[i%2], t0); err != nil {
					return err
				}
			}
		}
		for i := range benchRisks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, description, scale, inherent_p, inherent_i, inherent_e, strategy, cur_p, cur_i, cur_e, state, created_at, updated_at)
				VALUES ($1, 2026, $2, $3, $3, 'unit', 'Risc', 5, 3, 3, 9, 'treat', 3, 3, 9, 'active', $4, $4)`, t, []string{"risk", "opportunity"}[i%5/4], fmt.Sprintf("R-%05d", i), t0); err != nil {
				return err
			}
		}
		for i := range 200 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_evidence (tenant_id, clause, title, created_at) VALUES ($1, $2, 'Dovadă', $3)`, t, clauses[i%len(clauses)].Code, t0); err != nil {
				return err
			}
		}
		for i := range benchAudits {
			var id int64
			day := t0.AddDate(0, -i*4, 0).Format(time.DateOnly)
			if err := tx.QueryRowContext(ctx, `INSERT INTO compliance_external_audits (tenant_id, body, kind, starts_on, ends_on, result, created_at, updated_at)
				VALUES ($1, 'Cert', $2, $3, $3, 'recommended', $4, $4) RETURNING id`, t, compliance.Kinds[i%len(compliance.Kinds)], day, t0).Scan(&id); err != nil {
				return err
			}
			for k := range 5 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO compliance_external_findings (tenant_id, audit_id, position, severity, clause, text, nc_id, created_at)
					VALUES ($1, $2, $3, 'minor', $4, 'Constatare', $5, $6)`, t, id, k+1, clauses[(i+k)%len(clauses)].Code, int64(i*5+k+1), t0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateCertificate(ctx, sys, compliance.CertInput{Number: "RO-1", Body: "Cert", IssuedOn: "2024-11-04"}); err != nil {
		b.Fatal(err)
	}
	return svc, sys
}

// BenchmarkCompliance is the matrix (the module's entry page, every clause),
// one clause's page with its nonconformities listed, and the readiness
// view, on SQLite for a large municipality. The budget is 50 ms p95.
func BenchmarkCompliance(b *testing.B) {
	svc, a := benchSetup(b)
	ctx := context.Background()
	b.Run("matrix", func(b *testing.B) {
		benchtest.Measure(b, func() error { _, err := svc.Matrix(ctx, a, compliance.Filter{Limit: 60}); return err })
	})
	b.Run("clause_8.5", func(b *testing.B) {
		benchtest.Measure(b, func() error { _, err := svc.Clause(ctx, a, "8.5"); return err })
	})
	b.Run("readiness", func(b *testing.B) {
		benchtest.Measure(b, func() error { _, err := svc.Readiness(ctx, a, ""); return err })
	})
}
