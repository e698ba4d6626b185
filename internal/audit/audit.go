// Package audit keeps the append-only, hash-chained audit trail. Every change
// to a record writes one event in the same transaction as the change. Each
// institution has its own chain: an event carries the hash of the one before
// it, so removing or editing an event breaks every later link.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
)

// Actions written by the domain packages.
const (
	ActionCreate   = "create"
	ActionUpdate   = "update"
	ActionDelete   = "delete"
	ActionLogin    = "login"
	ActionLogout   = "logout"
	ActionReassign = "reassign"
	ActionComplete = "complete"
	ActionCancel   = "cancel"
	// ActionTransition moves a record through its workflow; the event's
	// After holds the workflow step (action, from, to, reason).
	ActionTransition  = "transition"
	ActionAcknowledge = "acknowledge"
)

// Actor is who made a change. System jobs use ID 0 and a descriptive name.
type Actor struct {
	ID   int64
	Name string
}

// Event is one audited change, as written by a domain package.
type Event struct {
	Tenant   int64
	Actor    Actor
	Action   string
	Entity   string
	EntityID int64
	// Summary is a short human label of the record (a name, a code).
	Summary string
	// Before and After are the record's values; nil for a create's Before and
	// a delete's After. They are stored as JSON.
	Before, After any
}

// Stored is an event as read back from the database.
type Stored struct {
	ID        int64
	Tenant    int64
	Seq       int64
	At        time.Time
	ActorID   int64
	ActorName string
	Action    string
	Entity    string
	EntityID  int64
	Summary   string
	Before    string
	After     string
	PrevHash  string
	Hash      string
}

// Record appends e to its institution's chain inside tx. The chain head row
// is updated first: on PostgreSQL that row lock orders concurrent writers of
// one institution, and on SQLite the single writer already does.
func Record(ctx context.Context, tx *sql.Tx, at time.Time, e Event) error {
	// The head is started or moved on, and locked until tx ends, in one
	// statement: the first event of an institution follows an empty hash.
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 1, '')
		ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_heads.seq + 1 RETURNING seq, hash`, e.Tenant).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("cannot advance audit chain: %w", err)
	}
	s, err := chained(e, at, seq, prev)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events
		(tenant_id, seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		s.Tenant, s.Seq, s.At, s.ActorID, s.ActorName, s.Action, s.Entity, s.EntityID, s.Summary, s.Before, s.After, s.PrevHash, s.Hash); err != nil {
		return fmt.Errorf("cannot write audit event: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_heads SET hash = $1 WHERE tenant_id = $2`, s.Hash, e.Tenant); err != nil {
		return fmt.Errorf("cannot advance audit chain: %w", err)
	}
	return nil
}

// chained is e stored as the event seq of a chain whose last hash is prev.
func chained(e Event, at time.Time, seq int64, prev string) (Stored, error) {
	before, err := encode(e.Before)
	if err != nil {
		return Stored{}, fmt.Errorf("cannot encode audit before-value: %w", err)
	}
	after, err := encode(e.After)
	if err != nil {
		return Stored{}, fmt.Errorf("cannot encode audit after-value: %w", err)
	}
	s := Stored{
		Tenant: e.Tenant, Seq: seq, At: at.UTC().Truncate(time.Microsecond),
		ActorID: e.Actor.ID, ActorName: e.Actor.Name, Action: e.Action,
		Entity: e.Entity, EntityID: e.EntityID, Summary: e.Summary,
		Before: before, After: after, PrevHash: prev,
	}
	s.Hash = s.ComputeHash()
	return s, nil
}

// takeHead starts tenant's chain if need be and reads its head, locking it
// until tx ends (on PostgreSQL), for a writer that appends many events.
func takeHead(ctx context.Context, tx *sql.Tx, tenant int64) (int64, string, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, '') ON CONFLICT (tenant_id) DO NOTHING`, tenant); err != nil {
		return 0, "", fmt.Errorf("cannot start audit chain: %w", err)
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `UPDATE audit_heads SET seq = seq WHERE tenant_id = $1 RETURNING seq, hash`, tenant).Scan(&seq, &prev); err != nil {
		return 0, "", fmt.Errorf("cannot read audit chain: %w", err)
	}
	return seq, prev, nil
}

// ComputeHash returns the event's hash over all its fields and the previous
// hash. Fields are length-prefixed so no two events share an encoding.
func (s Stored) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(s.Tenant, 10), strconv.FormatInt(s.Seq, 10),
		s.At.UTC().Format(time.RFC3339Nano), strconv.FormatInt(s.ActorID, 10), s.ActorName,
		s.Action, s.Entity, strconv.FormatInt(s.EntityID, 10), s.Summary, s.Before, s.After, s.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func encode(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Filter narrows a listing of events.
type Filter struct {
	ActorID  int64
	Entity   string
	EntityID int64
	From, To time.Time // To is exclusive
	Limit    int
	Offset   int
}

func (f Filter) where(tenant int64) (string, []any) {
	var b strings.Builder
	args := []any{tenant}
	b.WriteString(" WHERE tenant_id = $1")
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, " AND "+cond, len(args))
	}
	if f.ActorID != 0 {
		add("actor_id = $%d", f.ActorID)
	}
	if f.Entity != "" {
		add("entity = $%d", f.Entity)
	}
	if f.EntityID != 0 {
		add("entity_id = $%d", f.EntityID)
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < $%d", f.To.UTC())
	}
	return b.String(), args
}

const columns = `id, tenant_id, seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, prev_hash, hash`

func scan(rows *sql.Rows) (Stored, error) {
	var s Stored
	err := rows.Scan(&s.ID, &s.Tenant, &s.Seq, &s.At, &s.ActorID, &s.ActorName, &s.Action, &s.Entity, &s.EntityID, &s.Summary, &s.Before, &s.After, &s.PrevHash, &s.Hash)
	s.At = s.At.UTC()
	return s, err
}

// List returns the institution's events matching f, newest first, and the
// total number that match.
func List(ctx context.Context, q *sql.DB, tenant int64, f Filter) ([]Stored, int, error) {
	where, args := f.where(tenant)
	var total int
	count := `SELECT COUNT(*) FROM audit_events` + where
	if len(args) == 1 {
		// The whole trail: its events are numbered 1, 2, … with no gaps and
		// never deleted, so the chain head's number is the count (counting
		// 700,000 events took 35 ms).
		count = `SELECT COALESCE((SELECT seq FROM audit_heads WHERE tenant_id = $1), 0)`
	}
	if err := q.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count audit events: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM audit_events`+where+
		fmt.Sprintf(` ORDER BY seq DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list audit events: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		s, err := scan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot read audit event: %w", err)
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// Entities lists the entity names that occur in the institution's trail, for
// a filter menu.
func Entities(ctx context.Context, q *sql.DB, tenant int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT entity FROM audit_events WHERE tenant_id = $1 ORDER BY entity`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list audited entities: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Get returns one event of the institution.
func Get(ctx context.Context, q *sql.DB, tenant, id int64) (Stored, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM audit_events WHERE tenant_id = $1 AND id = $2`, tenant, id)
	if err != nil {
		return Stored{}, fmt.Errorf("cannot read audit event: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Stored{}, err
		}
		return Stored{}, apperr.NotFound("audit_event")
	}
	return scan(rows)
}

// ActorRef is someone who appears in an institution's trail.
type ActorRef struct {
	ID   int64
	Name string
}

// Actors lists the people who appear in the institution's trail, for the
// "who" filter, so that anyone who may read the trail may filter it by person.
// It walks the (tenant, actor) index from one actor to the next rather than
// grouping the whole trail, which took 0.6 s for a trail of 700,000 events.
// Each actor shows under the name of one of their events.
func Actors(ctx context.Context, q *sql.DB, tenant int64) ([]ActorRef, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE ids(id) AS (
			SELECT MIN(actor_id) FROM audit_events WHERE tenant_id = $1
			UNION ALL
			SELECT (SELECT MIN(e.actor_id) FROM audit_events e WHERE e.tenant_id = $1 AND e.actor_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
		)
		SELECT a.id, a.name FROM (
			SELECT ids.id, (SELECT e.actor_name FROM audit_events e WHERE e.tenant_id = $1 AND e.actor_id = ids.id LIMIT 1) AS name
			FROM ids WHERE ids.id IS NOT NULL
		) a ORDER BY a.name, a.id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list audit actors: %w", err)
	}
	defer rows.Close()
	var out []ActorRef
	for rows.Next() {
		var a ActorRef
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Recorder appends many events of one institution inside one transaction,
// for imports and other bulk writes: it takes the chain head once, inserts
// each event with one prepared statement and moves the head at Close. The
// chain it writes is the one Record writes, event by event. Nothing else may
// record events of the same institution in tx between NewRecorder and Close.
type Recorder struct {
	tx     *sql.Tx
	tenant int64
	seq    int64
	prev   string
	insert *sql.Stmt
}

// NewRecorder takes tenant's chain head in tx (on PostgreSQL, locking it
// until tx ends).
func NewRecorder(ctx context.Context, tx *sql.Tx, tenant int64) (*Recorder, error) {
	r := &Recorder{tx: tx, tenant: tenant}
	var err error
	if r.seq, r.prev, err = takeHead(ctx, tx, tenant); err != nil {
		return nil, err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_events
		(tenant_id, seq, at, actor_id, actor_name, action, entity, entity_id, summary, before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`)
	if err != nil {
		return nil, fmt.Errorf("cannot prepare audit events: %w", err)
	}
	r.insert = stmt
	return r, nil
}

// Record appends e, which must belong to the recorder's institution.
func (r *Recorder) Record(ctx context.Context, at time.Time, e Event) error {
	if e.Tenant != r.tenant {
		return fmt.Errorf("cannot write audit event: institution %d in a recorder of %d", e.Tenant, r.tenant)
	}
	s, err := chained(e, at, r.seq+1, r.prev)
	if err != nil {
		return err
	}
	if _, err := r.insert.ExecContext(ctx, s.Tenant, s.Seq, s.At, s.ActorID, s.ActorName, s.Action, s.Entity, s.EntityID, s.Summary, s.Before, s.After, s.PrevHash, s.Hash); err != nil {
		return fmt.Errorf("cannot write audit event: %w", err)
	}
	r.seq, r.prev = s.Seq, s.Hash
	return nil
}

// Close moves the chain head past the events recorded and releases the
// prepared statement. Call it before tx commits.
func (r *Recorder) Close(ctx context.Context) error {
	defer r.insert.Close()
	if _, err := r.tx.ExecContext(ctx, `UPDATE audit_heads SET seq = $1, hash = $2 WHERE tenant_id = $3`, r.seq, r.prev, r.tenant); err != nil {
		return fmt.Errorf("cannot advance audit chain: %w", err)
	}
	return nil
}

// Head is the number of tenant's latest audit event (0 before the first).
// Every change to a record of the institution moves it, so it versions
// whatever is derived from the institution's records.
func Head(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, tenant int64) (int64, error) {
	var seq int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM audit_heads WHERE tenant_id = $1), 0)`, tenant).Scan(&seq); err != nil {
		return 0, fmt.Errorf("cannot read the audit chain head: %w", err)
	}
	return seq, nil
}
