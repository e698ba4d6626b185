package compliance_test

import (
	"testing"
	"time"

	"cadran/internal/compliance"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
)

// The cache serves the evidence again while the institution's audit trail
// and the day stay the same, and reads it anew after a change to a record
// or on the next day; each institution has its own entry.
func TestEvidenceCache(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		calls := &countingSource{src: e.svc.Sources}
		e.svc.Sources = []evidence.Source{calls}
		e.svc.Cache = &compliance.EvidenceCache{}
		manual := func() int {
			t.Helper()
			return must(e.svc.Clause(ctx, e.qm, "7.5"))(t).Counts.Manual
		}
		before := manual()
		must(e.svc.Matrix(ctx, e.qm, compliance.Filter{}))(t)
		if calls.n != 1 {
			t.Fatalf("a clause page and the matrix read the sources %d times with the cache, want 1", calls.n)
		}
		// A change to a record moves the audit trail: read again.
		must(e.svc.AddEvidence(ctx, e.qm, "7.5", compliance.ManualInput{Title: "Registrul de evidență a documentelor", Reference: "Dispoziția 5/2026"}))(t)
		if got := manual(); got != before+1 || calls.n != 2 {
			t.Errorf("after adding evidence: %d manual pieces (want %d), sources read %d times (want 2)", got, before+1, calls.n)
		}
		manual()
		if calls.n != 2 {
			t.Errorf("sources read %d times without a change, want 2", calls.n)
		}
		// The next day the windows move: read again.
		e.clk.Advance(24 * time.Hour)
		manual()
		if calls.n != 3 {
			t.Errorf("sources read %d times on the next day, want 3", calls.n)
		}
		// B has its own entry and sees none of A's evidence.
		bm := must(e.svc.Clause(ctx, e.other, "7.5"))(t)
		if calls.n != 4 || bm.Counts.Manual != 0 {
			t.Errorf("B's clause: sources read %d times (want 4), %d manual pieces (want 0)", calls.n, bm.Counts.Manual)
		}
		manual()
		if calls.n != 4 {
			t.Errorf("A's entry was lost when B's was added: sources read %d times, want 4", calls.n)
		}
	})
}
