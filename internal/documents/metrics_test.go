package documents_test

import (
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
)

func TestMetrics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tenant := e.qm.Tenant
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		ts := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v.Add(9 * time.Hour) }
		doc := func(id int64, state, effective, review string) {
			exec(`INSERT INTO documents (id, tenant_id, kind, code, title, review_months, state, effective_on, next_review_on, sort_code, sort_title, created_at, updated_at)
				VALUES ($1, $2, 'PO', $3, 'Procedura', 12, $4, $5, $6, $3, 'procedura', $7, $7)`, id, tenant, "PO-"+string(rune('0'+id)), state, effective, review, t0)
			exec(`INSERT INTO document_versions (id, tenant_id, document_id, edition, revision, state, source, created_at, updated_at) VALUES ($1, $2, $1, 1, 0, $3, 'register', $4, $4)`,
				id, tenant, state, t0)
		}
		doc(1, documents.StateInForce, "2025-01-10", "2026-01-10") // review overdue since January
		doc(2, documents.StateInForce, "2025-06-01", "2026-12-01") // due in December
		doc(3, documents.StateDraft, "", "2020-01-01")             // not in force
		// Receipts of October (10 days to acknowledge by default): Ana on
		// time, Dan late, Ema never (past due), Ion received on 25
		// October, within his days on 3 November: not judged then.
		receipt := func(person int64, received string, acked any) {
			exec(`INSERT INTO document_receipts (tenant_id, version_id, person_id, copy_no, purpose, received_at, acknowledged_at) VALUES ($1, 1, $2, 1, 'apply', $3, $4)`,
				tenant, person, ts(received), acked)
		}
		receipt(e.ana, "2026-10-02", ts("2026-10-12"))
		receipt(e.dan, "2026-10-02", ts("2026-10-13"))
		receipt(e.ema, "2026-10-05", nil)
		receipt(e.ion, "2026-10-25", nil)
		from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

		e.clk.Set(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
		if v, ok, err := e.docs.Measure(ctx, tenant, documents.MetricAckRate, from, to); err != nil || !ok || v < 33.3 || v > 33.4 {
			t.Fatalf("ack rate on 3 November: %v %v %v", v, ok, err)
		}
		e.clk.Set(t0)
		if v, ok, err := e.docs.Measure(ctx, tenant, documents.MetricAckRate, from, to); err != nil || !ok || v != 25 {
			t.Fatalf("ack rate: %v %v %v", v, ok, err)
		}
		if _, ok, _ := e.docs.Measure(ctx, tenant, documents.MetricAckRate, to, to.AddDate(0, 1, 0)); ok {
			t.Fatal("a month without receipts has a rate")
		}
		if v, ok, err := e.docs.Measure(ctx, tenant, documents.MetricReviewOverdue, from, to); err != nil || !ok || v != 1 {
			t.Fatalf("overdue reviews: %v %v %v", v, ok, err)
		}
		if v, ok, _ := e.docs.Measure(ctx, tenant, documents.MetricReviewOverdue, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || v != 2 {
			t.Fatalf("overdue reviews in December: %v", v)
		}
		if _, ok, _ := e.docs.Measure(ctx, e.other.Tenant, documents.MetricReviewOverdue, from, to); ok {
			t.Fatal("B has documents in force")
		}
		if len(e.docs.Metrics()) != 2 {
			t.Fatal("metrics")
		}
	})
}
