package training_test

import (
	"database/sql"
	"fmt"
	"testing"

	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/textutil"
	"cadran/internal/training"
)

// matrixBenchEnv is a large municipality: 60 units, 600 active people in
// 12 jobs (100 of them with users holding roles), 40 competences with 60
// requirements (everyone, jobs, roles) and about 9,000 held competences,
// some lapsed, some lapsing.
func matrixBenchEnv(b *testing.B) *env {
	b.Helper()
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	tenant := e.qm.Tenant
	jobs := []string{"Inspector", "Inspector principal", "Referent", "Consilier", "Consilier juridic", "Șef serviciu", "Director executiv",
		"Auditor", "Expert", "Arhivar", "Casier", "Asistent social"}
	err := e.d.Tx(ctx, func(tx *sql.Tx) error {
		units := []int64{e.quality, e.econ, e.tax}
		for i := range 57 {
			var id int64
			parent := units[i%len(units)]
			name := fmt.Sprintf("Compartimentul %02d", i)
			if err := tx.QueryRowContext(ctx, `INSERT INTO units (tenant_id, parent_id, name, code, sort_name, kind, relation, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 'service', 'own', $6, $6) RETURNING id`, tenant, parent, name, fmt.Sprintf("C%02d", i), textutil.Fold(name), t0).Scan(&id); err != nil {
				return err
			}
			units = append(units, id)
		}
		var comps []int64
		for i := range 40 {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO training_competences (tenant_id, code, name, area, validity_months, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6) RETURNING id`, tenant, fmt.Sprintf("C-%02d", i), fmt.Sprintf("Competența %02d", i),
				training.Areas[i%len(training.Areas)], (i%3)*12, t0).Scan(&id); err != nil {
				return err
			}
			comps = append(comps, id)
		}
		req := func(comp int64, kind, target string, level int) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO training_requirements (tenant_id, competence_id, kind, target, target_key, level, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, tenant, comp, kind, target, textutil.Fold(target), level, t0)
			return err
		}
		for i, c := range comps {
			switch {
			case i < 5:
				if err := req(c, training.RequireEveryone, "", 1); err != nil {
					return err
				}
			case i < 35:
				for j := range 2 {
					if err := req(c, training.RequireJob, jobs[(i+j*5)%len(jobs)], 1+(i+j)%3); err != nil {
						return err
					}
				}
			default:
				if err := req(c, training.RequireRole, []string{"internal_auditor", "head_of_unit", "quality_manager", "employee", "auditor"}[i-35], 2); err != nil {
					return err
				}
			}
		}
		for i := range 600 {
			var id int64
			name := fmt.Sprintf("Persoana %03d", i)
			job := jobs[i%len(jobs)]
			if err := tx.QueryRowContext(ctx, `INSERT INTO people (tenant_id, unit_id, full_name, job_title, position, employment, active, sort_name, search_text, created_at, updated_at)
				VALUES ($1, $2, $3, $4, 'execution', 'civil_servant', TRUE, $5, $6, $7, $7) RETURNING id`, tenant, units[i%len(units)], name, job,
				textutil.Fold(name), textutil.Fold(name+" "+job), t0).Scan(&id); err != nil {
				return err
			}
			if i < 100 {
				var uid int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO users (tenant_id, username, display_name, person_id, password_hash, created_at, updated_at)
					VALUES ($1, $2, $3, $4, 'x', $5, $5) RETURNING id`, tenant, fmt.Sprintf("bench%03d", i), name, id, t0).Scan(&uid); err != nil {
					return err
				}
				for _, role := range []string{"employee", []string{"internal_auditor", "head_of_unit"}[i%2]} {
					if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, $3)`, tenant, uid, role); err != nil {
						return err
					}
				}
			}
			for j := range 15 {
				c := comps[(i*7+j*3)%len(comps)]
				expires := ""
				switch (i + j) % 4 {
				case 1:
					expires = "2026-06-30" // lapsed
				case 2:
					expires = "2027-01-15" // lapsing
				case 3:
					expires = "2029-12-31"
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO training_person_competences (tenant_id, person_id, competence_id, level, source, acquired_on, expires_on, created_at)
					VALUES ($1, $2, $3, $4, 'assessed', '2024-01-15', $5, $6)`, tenant, id, c, 1+(i+j)%3, expires, t0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.d.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkMatrix is the matrix page's query: 600 people × 40
// competences, all of them worked out for the unit sums, 50 rows shown.
func BenchmarkMatrix(b *testing.B) {
	e := matrixBenchEnv(b)
	benchtest.Measure(b, func() error {
		m, err := e.svc.Matrix(b.Context(), e.qm, training.MatrixFilter{PerPage: 50}, t0)
		if err == nil && (len(m.Competences) != 40 || m.Total != 605 || len(m.Rows) != 50 || len(m.Units) != 60) {
			err = fmt.Errorf("matrix %d × %d (%d rows, %d units)", m.Total, len(m.Competences), len(m.Rows), len(m.Units))
		}
		return err
	})
}

// BenchmarkMatrixGaps is the same with gaps only and every row (the
// export).
func BenchmarkMatrixGaps(b *testing.B) {
	e := matrixBenchEnv(b)
	benchtest.Measure(b, func() error {
		m, err := e.svc.Matrix(b.Context(), e.qm, training.MatrixFilter{GapsOnly: true, PerPage: db.MaxPageSize}, t0)
		if err == nil && (m.Total == 0 || len(m.Rows) != m.Total) {
			err = fmt.Errorf("gaps: %d rows of %d", len(m.Rows), m.Total)
		}
		return err
	})
}

// BenchmarkCertificatesList is the certificate list's first page with a
// text search, over 1,200 certificates.
func BenchmarkCertificatesList(b *testing.B) {
	e := matrixBenchEnv(b)
	ctx := b.Context()
	err := e.d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO training_certificates (tenant_id, person_id, name, number, issuer, hours, issued_on, expires_on, created_at, updated_at)
			SELECT tenant_id, id, 'Auditor intern pentru sisteme de management al calității', 'AI-' || id, 'Furnizor acreditat', 40, '2025-03-01', '2028-03-01', created_at, created_at
			FROM people WHERE tenant_id = $1
			UNION ALL SELECT tenant_id, id, 'Managementul riscurilor', 'MR-' || id, 'ANFP', 24, '2024-05-01', '2027-01-10', created_at, created_at
			FROM people WHERE tenant_id = $1`, e.qm.Tenant)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	benchtest.Measure(b, func() error {
		p, err := e.svc.Certificates(ctx, e.qm, training.CertificateFilter{Query: "calitatii", Sort: "person", PerPage: 25})
		if err == nil && (p.Total < 600 || len(p.Items) != 25) {
			err = fmt.Errorf("certificates %d of %d", len(p.Items), p.Total)
		}
		return err
	})
}
