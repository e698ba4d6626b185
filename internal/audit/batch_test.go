package audit_test

import (
	"database/sql"
	"testing"
	"time"

	"cadran/internal/audit"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// A batch writes the same chain as Record, whatever its row count: the
// events verify as one chain with those recorded one by one around it.
func TestBatchContinuesTheChain(t *testing.T) {
	for _, rows := range []int{1, 7, 500} {
		dbtest.Run(t, func(t *testing.T, d *db.DB) {
			a, b := twoChains(t, d)
			ana := audit.Actor{ID: 7, Name: "Ana Pop"}
			err := d.Tx(t.Context(), func(tx *sql.Tx) error {
				bt, err := audit.NewBatch(t.Context(), tx, a, rows)
				if err != nil {
					return err
				}
				var ap audit.Appender = bt
				for i := range 50 {
					if err := ap.Record(t.Context(), t0.Add(time.Hour+time.Duration(i)*time.Second), audit.Event{Tenant: a, Actor: ana, Action: audit.ActionCreate,
						Entity: "risk", EntityID: int64(i + 1), Summary: "Risc de fraudă în achiziții", After: map[string]int{"probability": i%5 + 1}}); err != nil {
						return err
					}
				}
				if err := bt.Record(t.Context(), t0, audit.Event{Tenant: b, Actor: ana, Action: audit.ActionCreate, Entity: "risk"}); err == nil {
					t.Error("a batch of one institution wrote an event of another")
				}
				return bt.Close(t.Context())
			})
			if err != nil {
				t.Fatal(err)
			}
			record(t, d, t0.Add(2*time.Hour), audit.Event{Tenant: a, Actor: ana, Action: audit.ActionUpdate, Entity: "risk", EntityID: 1, Summary: "după import"})
			seq, hash := head(t, d, a)
			if seq != 54 {
				t.Errorf("rows %d: head seq = %d, want 54 (3 + 50 + 1)", rows, seq)
			}
			evs := chain(t, d, a)
			if evs[len(evs)-1].Hash != hash || evs[len(evs)-1].PrevHash != evs[len(evs)-2].Hash {
				t.Errorf("rows %d: the event after the batch does not chain to it", rows)
			}
			mustVerify(t, d, 56)
		})
	}
}
