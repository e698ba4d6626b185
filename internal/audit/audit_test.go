package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

var t0 = time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// newInstitution inserts a bare institution, the owner of an audit chain.
func newInstitution(t *testing.T, d *db.DB, name, cui string) int64 {
	t.Helper()
	var id int64
	err := d.W.QueryRowContext(t.Context(), `INSERT INTO institutions (name, cui, kind, county, created_at, updated_at)
		VALUES ($1, $2, 'municipality', 'Mureș', $3, $3) RETURNING id`, name, cui, t0).Scan(&id)
	if err != nil {
		t.Fatalf("cannot create institution %s: %v", name, err)
	}
	return id
}

// record writes one event in its own transaction.
func record(t *testing.T, d *db.DB, at time.Time, e audit.Event) {
	t.Helper()
	if err := d.Tx(t.Context(), func(tx *sql.Tx) error { return audit.Record(t.Context(), tx, at, e) }); err != nil {
		t.Fatalf("Record: %v", err)
	}
}

// chain returns an institution's events in sequence order.
func chain(t *testing.T, d *db.DB, tenant int64) []audit.Stored {
	t.Helper()
	evs, total, err := audit.List(t.Context(), d.R, tenant, audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(evs) {
		t.Fatalf("List total = %d, but %d events returned", total, len(evs))
	}
	slices.Reverse(evs)
	return evs
}

func seqs(evs []audit.Stored) []int64 {
	out := []int64{}
	for _, e := range evs {
		out = append(out, e.Seq)
	}
	return out
}

func head(t *testing.T, d *db.DB, tenant int64) (int64, string) {
	t.Helper()
	var seq int64
	var hash string
	if err := d.R.QueryRowContext(t.Context(), `SELECT seq, hash FROM audit_heads WHERE tenant_id = $1`, tenant).Scan(&seq, &hash); err != nil {
		t.Fatalf("cannot read chain head of %d: %v", tenant, err)
	}
	return seq, hash
}

func mustVerify(t *testing.T, d *db.DB, wantEvents int) {
	t.Helper()
	n, brk, err := audit.Verify(t.Context(), d.R)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if brk != nil {
		t.Fatalf("Verify found a break in a healthy trail: %v", brk)
	}
	if n != wantEvents {
		t.Errorf("Verify checked %d events, want %d", n, wantEvents)
	}
}

// exec runs a statement on the writer and fails the test on error.
func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.W.ExecContext(t.Context(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// dropAppendOnly removes the triggers that keep audit_events append-only, as
// someone with direct database access could.
func dropAppendOnly(t *testing.T, d *db.DB) {
	t.Helper()
	switch d.Engine {
	case db.SQLite:
		exec(t, d, `DROP TRIGGER audit_events_no_update`)
		exec(t, d, `DROP TRIGGER audit_events_no_delete`)
	case db.Postgres:
		// One trigger covers UPDATE and DELETE.
		exec(t, d, `DROP TRIGGER audit_events_no_update ON audit_events`)
	}
}

type person struct {
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"`
}

// twoChains fills two institutions: a with 3 events, b with 2, interleaved.
func twoChains(t *testing.T, d *db.DB) (a, b int64) {
	t.Helper()
	a = newInstitution(t, d, "Primăria Municipiului Târgu Mureș", "4322823")
	b = newInstitution(t, d, "Primăria Orașului Sovata", "4305857")
	ana := audit.Actor{ID: 7, Name: "Ana Pop"}
	record(t, d, t0, audit.Event{Tenant: a, Actor: ana, Action: audit.ActionCreate, Entity: "person", EntityID: 1, Summary: "Ștefănescu", After: person{Name: "Ștefănescu"}})
	record(t, d, t0.Add(time.Minute), audit.Event{Tenant: b, Actor: ana, Action: audit.ActionCreate, Entity: "unit", EntityID: 2, Summary: "Buget", After: map[string]string{"name": "Buget"}})
	record(t, d, t0.Add(2*time.Minute), audit.Event{Tenant: a, Actor: ana, Action: audit.ActionUpdate, Entity: "person", EntityID: 1, Summary: "Ștefănescu", Before: person{Name: "Ștefănescu"}, After: person{Name: "Ștefănescu", Unit: "Buget"}})
	record(t, d, t0.Add(3*time.Minute), audit.Event{Tenant: b, Actor: ana, Action: audit.ActionDelete, Entity: "unit", EntityID: 2, Summary: "Buget", Before: map[string]string{"name": "Buget"}})
	record(t, d, t0.Add(4*time.Minute), audit.Event{Tenant: a, Actor: audit.Actor{Name: "cadran"}, Action: audit.ActionLogin, Entity: "user", EntityID: 3, Summary: "ana.pop"})
	return a, b
}

func TestRecordChainsEachInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, b := twoChains(t, d)

		ca := chain(t, d, a)
		if got := seqs(ca); !slices.Equal(got, []int64{1, 2, 3}) {
			t.Fatalf("institution a seqs = %v, want [1 2 3]", got)
		}
		cb := chain(t, d, b)
		if got := seqs(cb); !slices.Equal(got, []int64{1, 2}) {
			t.Fatalf("institution b seqs = %v, want [1 2]", got)
		}
		for _, c := range [][]audit.Stored{ca, cb} {
			prev := ""
			for _, e := range c {
				if e.PrevHash != prev {
					t.Errorf("tenant %d seq %d: prev_hash = %q, want %q", e.Tenant, e.Seq, e.PrevHash, prev)
				}
				if !hexHash.MatchString(e.Hash) {
					t.Errorf("tenant %d seq %d: hash %q is not 64 hex digits", e.Tenant, e.Seq, e.Hash)
				}
				if got := e.ComputeHash(); got != e.Hash {
					t.Errorf("tenant %d seq %d: stored hash %s, recomputed %s", e.Tenant, e.Seq, e.Hash, got)
				}
				prev = e.Hash
			}
		}
		// The two chains do not share links.
		if ca[0].Hash == cb[0].Hash {
			t.Error("the first events of two institutions have the same hash")
		}

		// Every field is stored as given.
		got := ca[1]
		want := audit.Stored{
			ID: got.ID, Tenant: a, Seq: 2, At: t0.Add(2 * time.Minute), ActorID: 7, ActorName: "Ana Pop",
			Action: "update", Entity: "person", EntityID: 1, Summary: "Ștefănescu",
			Before: `{"name":"Ștefănescu"}`, After: `{"name":"Ștefănescu","unit":"Buget"}`,
			PrevHash: ca[0].Hash, Hash: got.Hash,
		}
		if !got.At.Equal(want.At) || got.At.Location() != time.UTC {
			t.Errorf("At = %v, want %v in UTC", got.At, want.At)
		}
		got.At = want.At
		if got != want {
			t.Errorf("stored event\n got %+v\nwant %+v", got, want)
		}
		// nil Before/After are stored as empty strings.
		if ca[0].Before != "" || ca[0].After != `{"name":"Ștefănescu"}` {
			t.Errorf("create event before/after = %q / %q", ca[0].Before, ca[0].After)
		}
		if cb[1].After != "" || cb[1].Before != `{"name":"Buget"}` {
			t.Errorf("delete event before/after = %q / %q", cb[1].Before, cb[1].After)
		}
		if ca[2].Before != "" || ca[2].After != "" || ca[2].ActorID != 0 || ca[2].ActorName != "cadran" {
			t.Errorf("login event = %+v", ca[2])
		}

		// The heads point at the last event of each chain.
		if seq, hash := head(t, d, a); seq != 3 || hash != ca[2].Hash {
			t.Errorf("head of a = (%d, %s), want (3, %s)", seq, hash, ca[2].Hash)
		}
		if seq, hash := head(t, d, b); seq != 2 || hash != cb[1].Hash {
			t.Errorf("head of b = (%d, %s), want (2, %s)", seq, hash, cb[1].Hash)
		}
		mustVerify(t, d, 5)
	})
}

func TestRecordStoresTimeInUTCToTheMicrosecond(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a := newInstitution(t, d, "Primăria Municipiului Târgu Mureș", "4322823")
		bucharest := time.FixedZone("EET", 2*3600)
		at := t0.Add(123456789 * time.Nanosecond).In(bucharest)
		record(t, d, at, audit.Event{Tenant: a, Actor: audit.Actor{ID: 1, Name: "Ana"}, Action: audit.ActionCreate, Entity: "unit", EntityID: 5})
		e := chain(t, d, a)[0]
		want := t0.Add(123456 * time.Microsecond)
		if !e.At.Equal(want) || e.At.Location() != time.UTC {
			t.Errorf("At = %v, want %v UTC", e.At, want)
		}
		if e.ComputeHash() != e.Hash {
			t.Error("hash does not match the event read back")
		}
		mustVerify(t, d, 1)
	})
}

func TestComputeHashCoversEveryField(t *testing.T) {
	base := audit.Stored{Tenant: 1, Seq: 2, At: t0, ActorID: 3, ActorName: "Ana", Action: "update", Entity: "unit", EntityID: 4,
		Summary: "Buget", Before: `{"a":1}`, After: `{"a":2}`, PrevHash: "abc"}
	h := base.ComputeHash()
	if !hexHash.MatchString(h) {
		t.Fatalf("hash %q is not 64 hex digits", h)
	}
	if base.ComputeHash() != h {
		t.Fatal("ComputeHash is not deterministic")
	}
	// ID and Hash are not part of the content.
	other := base
	other.ID, other.Hash = 99, "x"
	if other.ComputeHash() != h {
		t.Error("ID or Hash changed the hash")
	}
	changes := map[string]func(*audit.Stored){
		"tenant":    func(s *audit.Stored) { s.Tenant = 2 },
		"seq":       func(s *audit.Stored) { s.Seq = 3 },
		"at":        func(s *audit.Stored) { s.At = s.At.Add(time.Microsecond) },
		"actor id":  func(s *audit.Stored) { s.ActorID = 0 },
		"actor":     func(s *audit.Stored) { s.ActorName = "Ana " },
		"action":    func(s *audit.Stored) { s.Action = "delete" },
		"entity":    func(s *audit.Stored) { s.Entity = "person" },
		"entity id": func(s *audit.Stored) { s.EntityID = 5 },
		"summary":   func(s *audit.Stored) { s.Summary = "Bugét" },
		"before":    func(s *audit.Stored) { s.Before = `{"a":0}` },
		"after":     func(s *audit.Stored) { s.After = `{"a":3}` },
		"prev":      func(s *audit.Stored) { s.PrevHash = "abd" },
		// Length prefixes: moving text from one field to the next changes the hash.
		"boundary": func(s *audit.Stored) { s.Entity, s.Action = "eunit", "updat" },
	}
	for name, change := range changes {
		s := base
		change(&s)
		if s.ComputeHash() == h {
			t.Errorf("changing %s did not change the hash", name)
		}
	}
	// The same instant in another zone hashes the same.
	z := base
	z.At = t0.In(time.FixedZone("EET", 2*3600))
	if z.ComputeHash() != h {
		t.Error("the zone of At changed the hash")
	}
}

func TestVerifyHealthyTrail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mustVerify(t, d, 0) // an empty database
		twoChains(t, d)
		mustVerify(t, d, 5)
	})
}

func TestVerifyDetectsAlteredEvent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, b := twoChains(t, d)
		dropAppendOnly(t, d)
		// b is verified after a, so a healthy a does not hide b's break.
		exec(t, d, `UPDATE audit_events SET after_json = $1 WHERE tenant_id = $2 AND seq = 1`, `{"name":"Buget falsificat"}`, b)
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		if brk == nil {
			t.Fatal("Verify did not notice an altered event")
		}
		if brk.Tenant != b || brk.Seq != 1 || !strings.Contains(brk.Reason, "altered") {
			t.Errorf("break = %+v, want institution %d, event 1, altered", brk, b)
		}
		if msg := brk.Error(); !strings.Contains(msg, fmt.Sprintf("institution %d", b)) || !strings.Contains(msg, "event 1") {
			t.Errorf("break message %q does not name the institution and event", msg)
		}
		_ = a
	})
}

func TestVerifyDetectsAlteredEventInTheMiddle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, _ := twoChains(t, d)
		dropAppendOnly(t, d)
		exec(t, d, `UPDATE audit_events SET actor_name = 'Altcineva' WHERE tenant_id = $1 AND seq = 2`, a)
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		if brk == nil || brk.Tenant != a || brk.Seq != 2 {
			t.Fatalf("break = %+v, want institution %d event 2", brk, a)
		}
	})
}

// An event altered and given a fresh hash still breaks the next link.
func TestVerifyDetectsRehashedEvent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, _ := twoChains(t, d)
		dropAppendOnly(t, d)
		e := chain(t, d, a)[1]
		e.After = `{"name":"Altcineva"}`
		e.Hash = e.ComputeHash()
		exec(t, d, `UPDATE audit_events SET after_json = $1, hash = $2 WHERE id = $3`, e.After, e.Hash, e.ID)
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		if brk == nil || brk.Tenant != a || brk.Seq != 3 || !strings.Contains(brk.Reason, "does not point") {
			t.Fatalf("break = %+v, want institution %d event 3, broken link", brk, a)
		}
	})
}

func TestVerifyDetectsRemovedLastEvent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, _ := twoChains(t, d)
		dropAppendOnly(t, d)
		exec(t, d, `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3`, a)
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		if brk == nil || brk.Tenant != a || brk.Seq != 3 || !strings.Contains(brk.Reason, "removed") {
			t.Fatalf("break = %+v, want institution %d event 3 removed", brk, a)
		}
	})
}

func TestVerifyDetectsRemovedMiddleEvent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, _ := twoChains(t, d)
		dropAppendOnly(t, d)
		exec(t, d, `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 2`, a)
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		if brk == nil || brk.Tenant != a || brk.Seq != 2 || !strings.Contains(brk.Reason, "missing") {
			t.Fatalf("break = %+v, want institution %d event 2 missing", brk, a)
		}
	})
}

func TestVerifyDetectsMissingHead(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		_, b := twoChains(t, d)
		exec(t, d, `DELETE FROM audit_heads WHERE tenant_id = $1`, b)
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil {
			t.Fatal(err)
		}
		if brk == nil || brk.Tenant != b || brk.Seq != 1 || !strings.Contains(brk.Reason, "head") {
			t.Fatalf("break = %+v, want institution %d with a missing head", brk, b)
		}
	})
}

func TestAuditEventsAreAppendOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, _ := twoChains(t, d)
		before := chain(t, d, a)
		for _, q := range []string{
			`UPDATE audit_events SET after_json = '{}' WHERE tenant_id = $1 AND seq = 2`,
			`UPDATE audit_events SET summary = 'x' WHERE tenant_id = $1`,
			`DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3`,
			`DELETE FROM audit_events WHERE tenant_id = $1`,
		} {
			_, err := d.W.ExecContext(t.Context(), q, a)
			if err == nil {
				t.Errorf("%s: the database allowed it", q)
			} else if !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: error %v does not say the trail is append-only", q, err)
			}
		}
		// Inside a transaction too, and the transaction's other work is undone.
		err := d.Tx(t.Context(), func(tx *sql.Tx) error {
			if err := audit.Record(t.Context(), tx, t0.Add(time.Hour), audit.Event{Tenant: a, Actor: audit.Actor{Name: "x"}, Action: "update", Entity: "unit", EntityID: 1}); err != nil {
				return err
			}
			_, err := tx.ExecContext(t.Context(), `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 1`, a)
			return err
		})
		if err == nil {
			t.Error("a transaction deleted an audit event")
		}
		after := chain(t, d, a)
		if !slices.Equal(after, before) {
			t.Errorf("the trail changed:\nbefore %+v\n after %+v", before, after)
		}
		mustVerify(t, d, 5)
	})
}

// listFixture records six events in institution a and two in b that would
// match a's filters.
func listFixture(t *testing.T, d *db.DB) (a, b int64) {
	t.Helper()
	a = newInstitution(t, d, "Primăria Municipiului Târgu Mureș", "4322823")
	b = newInstitution(t, d, "Primăria Orașului Sovata", "4305857")
	ana := audit.Actor{ID: 7, Name: "Ana"}
	bogdan := audit.Actor{ID: 8, Name: "Bogdan"}
	sys := audit.Actor{Name: "cadran"}
	h := time.Hour
	record(t, d, t0, audit.Event{Tenant: a, Actor: ana, Action: "create", Entity: "unit", EntityID: 10})
	record(t, d, t0.Add(1*h), audit.Event{Tenant: a, Actor: ana, Action: "update", Entity: "unit", EntityID: 10})
	record(t, d, t0.Add(1*h), audit.Event{Tenant: b, Actor: ana, Action: "update", Entity: "unit", EntityID: 10})
	record(t, d, t0.Add(2*h), audit.Event{Tenant: a, Actor: bogdan, Action: "create", Entity: "person", EntityID: 20})
	record(t, d, t0.Add(3*h), audit.Event{Tenant: a, Actor: bogdan, Action: "update", Entity: "person", EntityID: 20})
	record(t, d, t0.Add(4*h), audit.Event{Tenant: a, Actor: sys, Action: "delete", Entity: "unit", EntityID: 10})
	record(t, d, t0.Add(4*h), audit.Event{Tenant: b, Actor: bogdan, Action: "create", Entity: "document", EntityID: 20})
	record(t, d, t0.Add(5*h), audit.Event{Tenant: a, Actor: ana, Action: "create", Entity: "unit", EntityID: 11})
	return a, b
}

func TestListFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, b := listFixture(t, d)
		h := time.Hour
		bucharest := time.FixedZone("EET", 2*3600)
		cases := []struct {
			name  string
			f     audit.Filter
			want  []int64
			total int
		}{
			{"everything, newest first", audit.Filter{}, []int64{6, 5, 4, 3, 2, 1}, 6},
			{"actor", audit.Filter{ActorID: 7}, []int64{6, 2, 1}, 3},
			{"entity", audit.Filter{Entity: "unit"}, []int64{6, 5, 2, 1}, 4},
			{"entity and id", audit.Filter{Entity: "unit", EntityID: 10}, []int64{5, 2, 1}, 3},
			{"entity id alone", audit.Filter{EntityID: 20}, []int64{4, 3}, 2},
			{"unknown entity", audit.Filter{Entity: "document"}, []int64{}, 0},
			{"from is inclusive", audit.Filter{From: t0.Add(2 * h)}, []int64{6, 5, 4, 3}, 4},
			{"to is exclusive", audit.Filter{To: t0.Add(2 * h)}, []int64{2, 1}, 2},
			{"from and to", audit.Filter{From: t0.Add(1 * h), To: t0.Add(4 * h)}, []int64{4, 3, 2}, 3},
			{"from a microsecond later", audit.Filter{From: t0.Add(h + time.Microsecond)}, []int64{6, 5, 4, 3}, 4},
			{"to a microsecond later", audit.Filter{To: t0.Add(h + time.Microsecond)}, []int64{2, 1}, 2},
			{"times in another zone", audit.Filter{From: t0.Add(2 * h).In(bucharest), To: t0.Add(3 * h).In(bucharest)}, []int64{3}, 1},
			{"everything combined", audit.Filter{ActorID: 8, Entity: "person", EntityID: 20, From: t0.Add(3 * h)}, []int64{4}, 1},
			{"actor with nothing", audit.Filter{ActorID: 9}, []int64{}, 0},
			{"first page", audit.Filter{Limit: 2}, []int64{6, 5}, 6},
			{"second page", audit.Filter{Limit: 2, Offset: 2}, []int64{4, 3}, 6},
			{"last page", audit.Filter{Limit: 4, Offset: 4}, []int64{2, 1}, 6},
			{"past the end", audit.Filter{Limit: 2, Offset: 6}, []int64{}, 6},
			{"negative offset", audit.Filter{Limit: 2, Offset: -3}, []int64{6, 5}, 6},
			{"filtered page", audit.Filter{Entity: "unit", Limit: 2, Offset: 1}, []int64{5, 2}, 4},
		}
		for _, c := range cases {
			evs, total, err := audit.List(t.Context(), d.R, a, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := seqs(evs); !slices.Equal(got, c.want) || total != c.total {
				t.Errorf("%s: seqs %v total %d, want %v total %d", c.name, got, total, c.want, c.total)
			}
			for _, e := range evs {
				if e.Tenant != a {
					t.Errorf("%s: event of institution %d in a's list", c.name, e.Tenant)
				}
			}
		}
		evs, total, err := audit.List(t.Context(), d.R, b, audit.Filter{EntityID: 20})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(evs) != 1 || evs[0].Entity != "document" || evs[0].Tenant != b {
			t.Errorf("b's list = %+v (total %d), want its one document event", evs, total)
		}

		actors, err := audit.Actors(t.Context(), d.R, a)
		if err != nil {
			t.Fatal(err)
		}
		if want := []audit.ActorRef{{ID: 7, Name: "Ana"}, {ID: 8, Name: "Bogdan"}, {ID: 0, Name: "cadran"}}; !slices.Equal(actors, want) {
			t.Errorf("Actors(a) = %+v, want %+v", actors, want)
		}
		actors, err = audit.Actors(t.Context(), d.R, b)
		if err != nil {
			t.Fatal(err)
		}
		if want := []audit.ActorRef{{ID: 7, Name: "Ana"}, {ID: 8, Name: "Bogdan"}}; !slices.Equal(actors, want) {
			t.Errorf("Actors(b) = %+v, want %+v", actors, want)
		}

		ents, err := audit.Entities(t.Context(), d.R, a)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ents, []string{"person", "unit"}) {
			t.Errorf("Entities(a) = %v, want [person unit]", ents)
		}
		ents, err = audit.Entities(t.Context(), d.R, b)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ents, []string{"document", "unit"}) {
			t.Errorf("Entities(b) = %v, want [document unit]", ents)
		}
	})
}

func TestListLimitDefaultsAndCap(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a := newInstitution(t, d, "Primăria Municipiului Târgu Mureș", "4322823")
		err := d.Tx(t.Context(), func(tx *sql.Tx) error {
			for i := range 55 {
				if err := audit.Record(t.Context(), tx, t0.Add(time.Duration(i)*time.Second), audit.Event{Tenant: a, Actor: audit.Actor{Name: "x"}, Action: "create", Entity: "unit", EntityID: int64(i + 1)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{0, -1, 501} {
			evs, total, err := audit.List(t.Context(), d.R, a, audit.Filter{Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 50 || total != 55 || evs[0].Seq != 55 || evs[49].Seq != 6 {
				t.Errorf("limit %d: %d events (first %d) of %d, want 50 (55..6) of 55", limit, len(evs), evs[0].Seq, total)
			}
		}
		evs, _, err := audit.List(t.Context(), d.R, a, audit.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 55 {
			t.Errorf("limit 500 gave %d events, want 55", len(evs))
		}
		mustVerify(t, d, 55)
	})
}

func TestGetIsScopedToInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a, b := twoChains(t, d)
		ev := chain(t, d, a)[1]
		got, err := audit.Get(t.Context(), d.R, a, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != ev {
			t.Errorf("Get = %+v, want %+v", got, ev)
		}
		for _, c := range []struct {
			tenant, id int64
		}{{b, ev.ID}, {a, ev.ID + 1000}, {a + b + 10, ev.ID}} {
			_, err := audit.Get(t.Context(), d.R, c.tenant, c.id)
			if !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("Get(tenant %d, id %d) error = %v, want not found", c.tenant, c.id, err)
			}
		}
	})
}

// Concurrent writers of one institution (and of a second one) each take the
// next number: the chains have no gaps, no duplicates and verify.
func TestConcurrentRecordsFormOneChain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		a := newInstitution(t, d, "Primăria Municipiului Târgu Mureș", "4322823")
		b := newInstitution(t, d, "Primăria Orașului Sovata", "4305857")
		const workers, each = 8, 12
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		start := make(chan struct{})
		for w := range workers {
			tenant := a
			if w%4 == 3 {
				tenant = b
			}
			wg.Go(func() {
				<-start
				for i := range each {
					err := d.Tx(context.Background(), func(tx *sql.Tx) error {
						return audit.Record(context.Background(), tx, t0.Add(time.Duration(i)*time.Millisecond), audit.Event{
							Tenant: tenant, Actor: audit.Actor{ID: int64(w + 1), Name: fmt.Sprintf("worker %d", w)},
							Action: "update", Entity: "unit", EntityID: int64(i), After: map[string]int{"w": w, "i": i},
						})
					})
					if err != nil {
						errs <- err
					}
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent Record: %v", err)
		}
		for tenant, n := range map[int64]int{a: 6 * each, b: 2 * each} {
			c := chain(t, d, tenant)
			want := make([]int64, n)
			for i := range want {
				want[i] = int64(i + 1)
			}
			if got := seqs(c); !slices.Equal(got, want) {
				t.Errorf("tenant %d seqs = %v, want 1..%d", tenant, got, n)
			}
			if seq, hash := head(t, d, tenant); seq != int64(n) || len(c) == 0 || hash != c[len(c)-1].Hash {
				t.Errorf("tenant %d head = %d, want %d", tenant, seq, n)
			}
		}
		mustVerify(t, d, workers*each)
	})
}

// Verify run while the trail grows must not report a break: every event it
// reads beyond the head it read earlier is a new one, not tampering.
func TestVerifyWhileEventsAreRecorded(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		var tenants []int64
		for i := range 8 {
			id := newInstitution(t, d, fmt.Sprintf("Instituția %d", i), fmt.Sprintf("%d", 100+i))
			record(t, d, t0, audit.Event{Tenant: id, Actor: audit.Actor{Name: "x"}, Action: "create", Entity: "institution", EntityID: id})
			tenants = append(tenants, id)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var wg sync.WaitGroup
		writeErrs := make(chan error, 3)
		for w := range 3 {
			wg.Go(func() {
				for i := w; ctx.Err() == nil; i++ {
					tenant := tenants[i%len(tenants)]
					err := d.Tx(ctx, func(tx *sql.Tx) error {
						return audit.Record(ctx, tx, t0.Add(time.Duration(i)*time.Second), audit.Event{Tenant: tenant, Actor: audit.Actor{Name: "x"}, Action: "update", Entity: "unit", EntityID: int64(i)})
					})
					if err != nil && ctx.Err() == nil {
						writeErrs <- err
						return
					}
				}
			})
		}
		deadline := time.Now().Add(1500 * time.Millisecond)
		var brk *audit.Break
		runs := 0
		for time.Now().Before(deadline) && brk == nil {
			var err error
			_, brk, err = audit.Verify(ctx, d.R)
			if err != nil {
				t.Fatal(err)
			}
			runs++
		}
		cancel()
		wg.Wait()
		close(writeErrs)
		for err := range writeErrs {
			t.Fatal(err)
		}
		if brk != nil {
			t.Errorf("Verify reported a break in an untouched trail while it was being written (run %d): %v", runs, brk)
		}
		_, brk, err := audit.Verify(t.Context(), d.R)
		if err != nil || brk != nil {
			t.Errorf("Verify after the writes: %v, %v", brk, err)
		}
	})
}
