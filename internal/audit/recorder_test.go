package audit_test

import (
	"database/sql"
	"testing"
	"time"

	"cadran/internal/audit"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// A recorder writes the same chain as Record: events recorded one by one
// before and after a batch verify as one chain, and the head moves past the
// batch.
func TestRecorderContinuesTheChain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, b := twoChains(t, d)
		ana := audit.Actor{ID: 7, Name: "Ana Pop"}
		err := d.Tx(t.Context(), func(tx *sql.Tx) error {
			r, err := audit.NewRecorder(t.Context(), tx, a)
			if err != nil {
				return err
			}
			for i := range 50 {
				if err := r.Record(t.Context(), t0.Add(time.Hour+time.Duration(i)*time.Second), audit.Event{Tenant: a, Actor: ana, Action: audit.ActionCreate,
					Entity: "risk", EntityID: int64(i + 1), Summary: "Risc de fraudă în achiziții", After: map[string]int{"probability": i%5 + 1}}); err != nil {
					return err
				}
			}
			if err := r.Record(t.Context(), t0, audit.Event{Tenant: b, Actor: ana, Action: audit.ActionCreate, Entity: "risk"}); err == nil {
				t.Error("a recorder of one institution wrote an event of another")
			}
			return r.Close(t.Context())
		})
		if err != nil {
			t.Fatal(err)
		}
		record(t, d, t0.Add(2*time.Hour), audit.Event{Tenant: a, Actor: ana, Action: audit.ActionUpdate, Entity: "risk", EntityID: 1, Summary: "după import"})
		seq, hash := head(t, d, a)
		if seq != 54 {
			t.Errorf("head seq = %d, want 54 (3 + 50 + 1)", seq)
		}
		evs := chain(t, d, a)
		if evs[len(evs)-1].Hash != hash || evs[len(evs)-1].PrevHash != evs[len(evs)-2].Hash {
			t.Error("the event after the batch does not chain to it")
		}
		mustVerify(t, d, 56)
	})
}

// A failed batch leaves nothing: the events and the head roll back with
// the transaction.
func TestRecorderRollsBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, _ := twoChains(t, d)
		seq0, hash0 := head(t, d, a)
		_ = d.Tx(t.Context(), func(tx *sql.Tx) error {
			r, err := audit.NewRecorder(t.Context(), tx, a)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Record(t.Context(), t0, audit.Event{Tenant: a, Actor: audit.Actor{Name: "x"}, Action: audit.ActionCreate, Entity: "risk", EntityID: 1}); err != nil {
				t.Fatal(err)
			}
			if err := r.Close(t.Context()); err != nil {
				t.Fatal(err)
			}
			return sql.ErrTxDone // any error rolls back
		})
		if seq, hash := head(t, d, a); seq != seq0 || hash != hash0 {
			t.Errorf("head moved to %d after a rolled-back batch (was %d)", seq, seq0)
		}
		mustVerify(t, d, 5)
	})
}
