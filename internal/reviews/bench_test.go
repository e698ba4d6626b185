package reviews_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/reviews"
)

// benchSeed fills the registers of a large municipality straight into the
// tables: 10,000 nonconformities with 10,000 corrective actions, 10,000
// risks, 2,000 proposals and 5,000 tasks, with another institution's
// records beside them; three earlier reviews with 100 actions each.
func benchSeed(b *testing.B, e *env) reviews.Review {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	sev := improvement.Severities
	src := improvement.Sources
	states := []string{improvement.StateReported, improvement.StateAnalysis, improvement.StateActions, improvement.StateVerification, improvement.StateClosed, improvement.StateClosed}
	err := e.d.Tx(ctx, func(tx *sql.Tx) error {
		for _, tn := range []struct {
			tenant int64
			n      int
		}{{e.sysA.Tenant, 10_000}, {e.sysB.Tenant, 2_000}} {
			for i := range tn.n {
				code := fmt.Sprintf("NC-%d-%05d", 2024+i%3, i)
				state := states[i%len(states)]
				closed := ""
				if state == improvement.StateClosed {
					closed = fmt.Sprintf("%d-%02d-15", 2024+i%3, 1+i%12)
				}
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO nonconformities (tenant_id, code, sort_code, title, source, severity, severity_rank, detected_on, state, closed_on, created_at, updated_at)
					VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`, tn.tenant, code, "Neconformitate "+code, src[i%len(src)], sev[i%len(sev)], 1+i%4,
					fmt.Sprintf("%d-%02d-%02d", 2024+i%3, 1+i%12, 1+i%28), state, closed, now).Scan(&id); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_actions (tenant_id, nc_id, description, due_on, state, created_at, updated_at) VALUES ($1, $2, 'Acțiune', $3, $4, $5, $5)`,
					tn.tenant, id, fmt.Sprintf("2026-%02d-10", 1+i%12), []string{"open", "done"}[i%2], now); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, description, scale, inherent_p, inherent_i, inherent_e, strategy,
						cur_p, cur_i, cur_e, state, created_at, updated_at) VALUES ($1, 2026, 'risk', $2, $2, 'unit', 'Risc', 5, 4, 4, 16, 'treat', 3, 3, $3, $4, $5, $5)`,
					tn.tenant, fmt.Sprintf("R-%05d", i), 1+i%25, []string{"active", "active", "proposed", "closed"}[i%4], now); err != nil {
					return err
				}
				if i%5 == 0 {
					if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_proposals (tenant_id, code, sort_code, title, description, state, submitted_on, decided_on, created_at, updated_at)
						VALUES ($1, $2, $2, 'Propunere', 'Descriere', $3, $4, $4, $5, $5)`, tn.tenant, fmt.Sprintf("PI-%05d", i), []string{"submitted", "accepted", "implemented", "declined"}[i%4],
						fmt.Sprintf("2026-%02d-01", 1+i%12), now); err != nil {
						return err
					}
				}
				if i%2 == 0 {
					if _, err := tx.ExecContext(ctx, `INSERT INTO tasks (tenant_id, module, entity, entity_id, kind, title, role, due_on, priority, state, search_text, created_at, updated_at)
						VALUES ($1, 'work', 'task', 0, 'act', 'Sarcină', 'quality_manager', $2, 'normal', $3, '', $4, $4)`, tn.tenant, fmt.Sprintf("2026-%02d-05", 1+i%12),
						[]string{"open", "done"}[(i/2)%2], now); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for y := 2023; y <= 2025; y++ {
		e.clk.Set(time.Date(y, 12, 1, 9, 0, 0, 0, time.UTC))
		r := must(e.svc.Create(ctx, e.qm, reviews.Input{Title: fmt.Sprintf("Analiza %d", y), PeriodFrom: fmt.Sprintf("%d-01-01", y), PeriodTo: fmt.Sprintf("%d-12-31", y),
			MeetingOn: fmt.Sprintf("%d-12-15", y), ChairID: e.mayor, Participants: []int64{e.ana, e.dan}}))(b)
		r = must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(b)
		e.clk.Set(time.Date(y, 12, 15, 9, 0, 0, 0, time.UTC))
		r = must(e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActHold, Version: r.Version}))(b)
		for i := range 100 {
			must(e.svc.AddAction(ctx, e.qm, r.ID, reviews.ActionInput{Description: fmt.Sprintf("Acțiunea %d", i), OwnerID: []int64{e.ana, e.dan, e.ema}[i%3],
				DueOn: fmt.Sprintf("%d-%02d-20", y+1, 1+i%12)}))(b)
		}
		if y < 2025 {
			must(e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActClose, Version: r.Version}))(b)
		}
	}
	e.clk.Set(t0)
	r := must(e.svc.PrepareNext(ctx, e.qm, lastReview(b, e)))(b)
	return must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(b)
}

func lastReview(b *testing.B, e *env) int64 {
	var id int64
	if err := e.d.R.QueryRow(`SELECT MAX(id) FROM reviews WHERE tenant_id = $1`, e.sysA.Tenant).Scan(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkReviewPage is what the review page reads on SQLite: the review,
// the previous one, the twelve inputs compared with it, the outputs and
// the steps, for a large municipality. The budget is 50 ms p95.
func BenchmarkReviewPage(b *testing.B) {
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	r := benchSeed(b, e)
	ctx := context.Background()
	b.ResetTimer()
	benchtest.Measure(b, func() error {
		rv, err := e.svc.Review(ctx, e.qm, r.ID)
		if err != nil {
			return err
		}
		prev, ok, err := e.svc.Previous(ctx, e.qm, rv)
		if err != nil || !ok {
			return fmt.Errorf("no previous review: %v", err)
		}
		if _, err := e.svc.InputViews(ctx, e.qm, rv, &prev); err != nil {
			return err
		}
		if _, err := e.svc.Outputs(ctx, e.qm, r.ID); err != nil {
			return err
		}
		if _, _, err := e.svc.Actions(ctx, e.qm, reviews.ActionFilter{Overdue: true, Limit: 25}); err != nil {
			return err
		}
		_, err = e.svc.Steps(ctx, e.qm, r.ID)
		return err
	})
}

// BenchmarkReviewCompile compiles the inputs of a review (every register's
// figures for the year, the 300 earlier actions) on SQLite.
func BenchmarkReviewCompile(b *testing.B) {
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	r := benchSeed(b, e)
	ctx := context.Background()
	version := r.Version
	b.ResetTimer()
	benchtest.Measure(b, func() error {
		out, err := e.svc.Compile(ctx, e.qm, r.ID, version)
		version = out.Version
		return err
	})
}
