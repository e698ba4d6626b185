package audit

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cadran/internal/db"
)

// Appender appends events of one institution inside one transaction: a
// Recorder (one INSERT per event) or a Batch (multi-row INSERTs).
type Appender interface {
	Record(ctx context.Context, at time.Time, e Event) error
}

// auditColumns is the number of columns an event row has.
const auditColumns = 13

// Batch appends many events of one institution inside one transaction,
// like Recorder, but holds them and writes them in multi-row INSERTs of up
// to rows events: the way to cut round trips on PostgreSQL, where a bulk
// load of thousands of events otherwise waits on the network once per
// event. It computes the chain in Go, in order, exactly as Record would:
// the events it writes verify as if recorded one by one. Events reach the
// table when the buffer is full and at Close, so the caller must not read
// audit_events of the institution in tx before Close, and, as with
// Recorder, nothing else may record events of the institution in tx
// between NewBatch and Close.
type Batch struct {
	tx     *sql.Tx
	tenant int64
	seq    int64
	prev   string
	rows   int
	buf    []Stored
	stmts  map[int]*sql.Stmt
}

// NewBatch takes tenant's chain head in tx (on PostgreSQL, locking it until
// tx ends). rows is the number of events per INSERT: 1 writes one row per
// execution of a prepared statement (best on SQLite, whose numbered
// parameters make a statement of thousands cost more to bind than to run),
// a few hundred suits PostgreSQL. It is capped so that a statement stays
// under both engines' parameter limits.
func NewBatch(ctx context.Context, tx *sql.Tx, tenant int64, rows int) (*Batch, error) {
	rows = max(1, min(rows, 32000/auditColumns))
	b := &Batch{tx: tx, tenant: tenant, rows: rows, stmts: map[int]*sql.Stmt{}}
	var err error
	if b.seq, b.prev, err = takeHead(ctx, tx, tenant); err != nil {
		return nil, err
	}
	return b, nil
}

// Record appends e, which must belong to the batch's institution.
func (b *Batch) Record(ctx context.Context, at time.Time, e Event) error {
	if e.Tenant != b.tenant {
		return fmt.Errorf("cannot write audit event: institution %d in a batch of %d", e.Tenant, b.tenant)
	}
	s, err := chained(e, at, b.seq+1, b.prev)
	if err != nil {
		return err
	}
	b.buf = append(b.buf, s)
	b.seq, b.prev = s.Seq, s.Hash
	if len(b.buf) >= b.rows {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the buffered events.
func (b *Batch) flush(ctx context.Context) error {
	for len(b.buf) > 0 {
		n := min(len(b.buf), b.rows)
		st, ok := b.stmts[n]
		if !ok {
			q := `INSERT INTO audit_events
		(tenant_id, seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, prev_hash, hash) VALUES ` + db.Values(n, auditColumns)
			var err error
			if st, err = b.tx.PrepareContext(ctx, q); err != nil {
				return fmt.Errorf("cannot prepare audit events: %w", err)
			}
			b.stmts[n] = st
		}
		args := make([]any, 0, n*auditColumns)
		for _, s := range b.buf[:n] {
			args = append(args, s.Tenant, s.Seq, s.At, s.ActorID, s.ActorName, s.Action, s.Entity, s.EntityID, s.Summary, s.Before, s.After, s.PrevHash, s.Hash)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("cannot write audit events: %w", err)
		}
		b.buf = b.buf[n:]
	}
	b.buf = b.buf[:0]
	return nil
}

// Close writes the events still held, moves the chain head past them and
// releases the prepared statements. Call it before tx commits.
func (b *Batch) Close(ctx context.Context) error {
	defer func() {
		for _, st := range b.stmts {
			st.Close()
		}
	}()
	if err := b.flush(ctx); err != nil {
		return err
	}
	if _, err := b.tx.ExecContext(ctx, `UPDATE audit_heads SET seq = $1, hash = $2 WHERE tenant_id = $3`, b.seq, b.prev, b.tenant); err != nil {
		return fmt.Errorf("cannot advance audit chain: %w", err)
	}
	return nil
}
