package mail_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/mail"
	"cadran/internal/mail/smtptest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

var start = time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)

// outboxFixture is an outbox on a fresh database that sends through a real
// SMTP server.
type outboxFixture struct {
	d      *db.DB
	clock  *clock.Fixed
	srv    *smtptest.Server
	ob     *mail.Outbox
	tenant int64
}

func newOutbox(t *testing.T, d *db.DB, o smtptest.Options) *outboxFixture {
	t.Helper()
	f := &outboxFixture{d: d, clock: clock.NewFixed(start), srv: smtptest.Start(t, o)}
	mailer, err := mail.NewMailer(f.srv.SMTP(from))
	if err != nil {
		t.Fatal(err)
	}
	f.ob = &mail.Outbox{DB: d, Clock: f.clock, Sender: mailer}
	err = d.W.QueryRowContext(context.Background(), `INSERT INTO institutions (name, cui, kind, county, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$5) RETURNING id`,
		"Primăria Municipiului Târgu Mureș", "4322823", "municipality", "MS", start).Scan(&f.tenant)
	if err != nil {
		t.Fatalf("cannot insert institution: %v", err)
	}
	return f
}

func (f *outboxFixture) email(i int) mail.Email {
	m := message()
	return mail.Email{Tenant: f.tenant, To: fmt.Sprintf("user%d@primaria.ro", i), ToName: m.ToName, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
}

// enqueue queues emails in one committed transaction.
func (f *outboxFixture) enqueue(t *testing.T, emails ...mail.Email) {
	t.Helper()
	ctx := context.Background()
	err := f.d.Tx(ctx, func(tx *sql.Tx) error {
		for _, e := range emails {
			if err := f.ob.Enqueue(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// deliver runs one pass and checks its counts.
func (f *outboxFixture) deliver(t *testing.T, wantSent, wantFailed int) {
	t.Helper()
	sent, failed, err := f.ob.Deliver(context.Background())
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if sent != wantSent || failed != wantFailed {
		t.Fatalf("at %s Deliver = %d sent, %d failed; want %d, %d", f.clock.Now().Sub(start), sent, failed, wantSent, wantFailed)
	}
}

type row struct {
	State, LastError string
	Attempts         int
	NextAttempt      time.Time
	SentAt           sql.NullTime
}

func (f *outboxFixture) rows(t *testing.T) []row {
	t.Helper()
	rs, err := f.d.R.Query(`SELECT state, last_error, attempts, next_attempt_at, sent_at FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.State, &r.LastError, &r.Attempts, &r.NextAttempt, &r.SentAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *outboxFixture) only(t *testing.T) row {
	t.Helper()
	rs := f.rows(t)
	if len(rs) != 1 {
		t.Fatalf("outbox has %d rows, want 1", len(rs))
	}
	return rs[0]
}

func TestOutboxRollback(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newOutbox(t, d, smtptest.Options{})
		ctx := context.Background()
		errCancel := errors.New("the change was cancelled")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := f.ob.Enqueue(ctx, tx, f.email(1)); err != nil {
				return err
			}
			return errCancel
		})
		if !errors.Is(err, errCancel) {
			t.Fatalf("Tx = %v", err)
		}
		f.deliver(t, 0, 0)
		if n := len(f.rows(t)); n != 0 {
			t.Errorf("outbox has %d rows after a rollback", n)
		}
		if n := len(f.srv.Messages()); n != 0 {
			t.Errorf("server received %d messages", n)
		}

		// Bad input is refused inside the transaction.
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			return f.ob.Enqueue(ctx, tx, mail.Email{Tenant: f.tenant, To: " "})
		})
		if err == nil || !strings.HasPrefix(err.Error(), "cannot queue e-mail: ") {
			t.Errorf("empty recipient: %v", err)
		}
	})
}

func TestOutboxDeliver(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newOutbox(t, d, smtptest.Options{TLS: "starttls", Username: "cadran", Password: "parolă"})

		// Without a sender nothing leaves, and nothing is lost.
		f.enqueue(t, f.email(1), f.email(2), f.email(3))
		idle := &mail.Outbox{DB: d, Clock: f.clock}
		if s, fl, err := idle.Deliver(context.Background()); s != 0 || fl != 0 || err != nil {
			t.Fatalf("Deliver without a sender = %d, %d, %v", s, fl, err)
		}

		f.clock.Advance(time.Second)
		before := time.Now().Add(-time.Second).Truncate(time.Second)
		f.deliver(t, 3, 0)
		f.deliver(t, 0, 0)
		f.clock.Advance(24 * time.Hour)
		f.deliver(t, 0, 0)

		got := f.srv.Messages()
		if len(got) != 3 {
			t.Fatalf("server received %d messages, want 3", len(got))
		}
		for i, r := range got {
			want := f.email(i + 1)
			if len(r.To) != 1 || r.To[0] != want.To {
				t.Errorf("message %d went to %v, want %s", i, r.To, want.To)
			}
			checkMessage(t, r.Data, mail.Message{To: want.To, ToName: want.ToName, Subject: want.Subject, Text: want.Text, HTML: want.HTML}, before)
		}
		for i, r := range f.rows(t) {
			if r.State != mail.StateSent || r.Attempts != 1 || r.LastError != "" || !r.SentAt.Valid || !r.SentAt.Time.Equal(start.Add(time.Second)) {
				t.Errorf("row %d = %+v, want sent once at %s", i, r, start.Add(time.Second))
			}
		}
	})
}

func TestOutboxRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		// The server fails every attempt but the sixth... which is too late:
		// the schedule is 1m, 5m, 30m, 2h, 6h and then the e-mail fails.
		f := newOutbox(t, d, smtptest.Options{FailTemporarily: 100})
		f.enqueue(t, f.email(1))
		for i, wait := range []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour} {
			f.deliver(t, 0, 1)
			r := f.only(t)
			if r.State != mail.StatePending || r.Attempts != i+1 || !strings.Contains(r.LastError, "451") || !r.NextAttempt.Equal(f.clock.Now().Add(wait)) {
				t.Fatalf("after attempt %d: %+v, want pending until +%s", i+1, r, wait)
			}
			f.deliver(t, 0, 0)
			f.clock.Advance(wait - time.Second)
			f.deliver(t, 0, 0)
			f.clock.Advance(time.Second)
		}
		f.deliver(t, 0, 1)
		if r := f.only(t); r.State != mail.StateFailed || r.Attempts != 6 || !strings.Contains(r.LastError, "451") {
			t.Fatalf("after the sixth attempt: %+v, want failed", r)
		}
		f.clock.Advance(48 * time.Hour)
		f.deliver(t, 0, 0)
		if n := len(f.srv.Messages()); n != 0 {
			t.Errorf("server accepted %d messages", n)
		}
	})
}

func TestOutboxRetrySucceeds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newOutbox(t, d, smtptest.Options{TLS: "tls", FailTemporarily: 1})
		f.enqueue(t, f.email(1))
		f.deliver(t, 0, 1)
		f.clock.Advance(59 * time.Second)
		f.deliver(t, 0, 0)
		f.clock.Advance(time.Second)
		f.deliver(t, 1, 0)
		r := f.only(t)
		if r.State != mail.StateSent || r.Attempts != 2 || r.LastError != "" || !r.SentAt.Time.Equal(start.Add(time.Minute)) {
			t.Errorf("row = %+v, want sent on the second attempt", r)
		}
		if n := len(f.srv.Messages()); n != 1 {
			t.Errorf("server accepted %d messages, want 1", n)
		}
	})
}

func TestOutboxPermanentFailure(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newOutbox(t, d, smtptest.Options{RejectRecipient: "user1@primaria.ro"})
		f.enqueue(t, f.email(1), f.email(2))
		f.deliver(t, 1, 1)
		rs := f.rows(t)
		if rs[0].State != mail.StateFailed || rs[0].Attempts != 1 || !strings.Contains(rs[0].LastError, "550") {
			t.Errorf("rejected e-mail = %+v, want failed with the 550 reply", rs[0])
		}
		if rs[1].State != mail.StateSent {
			t.Errorf("other e-mail = %+v, want sent", rs[1])
		}
		f.clock.Advance(48 * time.Hour)
		f.deliver(t, 0, 0)
	})
}

func TestOutboxDeadSender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newOutbox(t, d, smtptest.Options{})
		f.enqueue(t, f.email(1))
		// A deliverer claimed the e-mail for ten minutes and died.
		if _, err := d.W.Exec(`UPDATE outbox SET state = 'sending', attempts = 1, claimed_until = $1`, start.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		f.deliver(t, 0, 0)
		f.clock.Advance(10 * time.Minute)
		f.deliver(t, 0, 0) // the claim holds up to its last instant
		f.clock.Advance(time.Microsecond)
		f.deliver(t, 1, 0)
		if r := f.only(t); r.State != mail.StateSent || r.Attempts != 2 {
			t.Errorf("row = %+v, want sent on the second attempt", r)
		}
		f.deliver(t, 0, 0)
		if n := len(f.srv.Messages()); n != 1 {
			t.Errorf("server accepted %d messages, want 1", n)
		}
	})
}

// TestOutboxConcurrent runs two deliverers on one database, as two cadran
// serve processes would, and checks each e-mail goes out exactly once.
func TestOutboxConcurrent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newOutbox(t, d, smtptest.Options{})
		const n = 130 // more than two batches
		var emails []mail.Email
		for i := range n {
			emails = append(emails, f.email(i))
		}
		f.enqueue(t, emails...)

		// On SQLite the second deliverer opens the file again, as a second
		// process would; on PostgreSQL the pool gives it its own connections.
		d2 := d
		if d.Engine == db.SQLite {
			var err error
			if d2, err = db.Open(context.Background(), d.Path); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d2.Close() })
		}
		second := &mail.Outbox{DB: d2, Clock: f.clock, Sender: f.ob.Sender}

		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			total int
			errs  []error
		)
		for _, ob := range []*mail.Outbox{f.ob, second, f.ob, second} {
			wg.Go(func() {
				for {
					sent, failed, err := ob.Deliver(context.Background())
					mu.Lock()
					total += sent
					if err != nil || failed > 0 {
						errs = append(errs, fmt.Errorf("Deliver = %d sent, %d failed, %v", sent, failed, err))
					}
					mu.Unlock()
					if err != nil || sent+failed == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatal(errors.Join(errs...))
		}
		if total != n {
			t.Errorf("Deliver reported %d sent, want %d", total, n)
		}
		seen := map[string]int{}
		for _, m := range f.srv.Messages() {
			seen[strings.Join(m.To, ",")]++
		}
		for _, e := range emails {
			if seen[e.To] != 1 {
				t.Errorf("%s received %d times", e.To, seen[e.To])
			}
		}
		if len(seen) != n {
			t.Errorf("server saw %d recipients, want %d", len(seen), n)
		}
		for i, r := range f.rows(t) {
			if r.State != mail.StateSent || r.Attempts != 1 {
				t.Errorf("row %d = %+v, want sent at the first attempt", i, r)
			}
		}
	})
}
