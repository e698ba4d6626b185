package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/clock"
	"cadran/internal/db"
)

// Outbox states.
const (
	StatePending = "pending" // waiting for its next attempt
	StateSending = "sending" // claimed by a deliverer until claimed_until
	StateSent    = "sent"
	StateFailed  = "failed" // a permanent error, or too many attempts
)

const (
	// batchSize is how many e-mails one Deliver pass claims at most.
	batchSize = 50
	// maxAttempts is how many times an e-mail is tried before it fails.
	maxAttempts = 6
	// claimFor is how long a claim holds. A deliverer that dies leaves its
	// claim behind; once it runs out another deliverer sends the e-mail.
	// It is far longer than one SMTP conversation can take.
	claimFor = 10 * time.Minute
	// maxErrorLen bounds the error text kept in last_error.
	maxErrorLen = 1000
)

// backoff is the wait after the n-th failed attempt (backoff[n-1]).
var backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// Email is one e-mail to queue, already rendered in the recipient's
// language.
type Email struct {
	Tenant  int64
	UserID  int64 // 0: not sent to a user account (for example a citizen)
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string
}

// Outbox queues e-mails in the database and delivers them. Queuing happens
// in the transaction that causes the e-mail, so an e-mail goes out exactly
// when its cause is committed. Several processes may deliver from the same
// database at once: each e-mail is claimed by one before it is sent.
type Outbox struct {
	DB    *db.DB
	Clock clock.Clock
	// Sender sends the e-mails; nil means e-mail is off and Deliver does
	// nothing (the e-mails wait in the outbox).
	Sender Sender
}

// Enqueue adds e to the outbox inside the caller's transaction tx; it is
// sent after tx commits, and never if tx rolls back.
func (o *Outbox) Enqueue(ctx context.Context, tx *sql.Tx, e Email) error {
	e.To = strings.TrimSpace(e.To)
	if e.Tenant == 0 {
		return errors.New("cannot queue e-mail: no institution given")
	}
	if e.To == "" {
		return errors.New("cannot queue e-mail: no recipient address given")
	}
	now := o.Clock.Now().UTC()
	user := sql.NullInt64{Int64: e.UserID, Valid: e.UserID != 0}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (tenant_id, user_id, to_address, to_name, subject, body_text, body_html, state, attempts, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8)`,
		e.Tenant, user, e.To, e.ToName, e.Subject, e.Text, e.HTML, now)
	if err != nil {
		return fmt.Errorf("cannot queue e-mail: %w", err)
	}
	return nil
}

// due is the condition of an e-mail a deliverer may claim at $N: pending and
// due, or claimed by a deliverer whose claim ran out (it died or hung).
func due(n int) string {
	p := fmt.Sprintf("$%d", n)
	return `((state = 'pending' AND next_attempt_at <= ` + p + `) OR (state = 'sending' AND claimed_until < ` + p + `))`
}

// Deliver makes one pass over the outbox: it claims up to 50 due e-mails
// and sends them one by one. sent counts the e-mails sent; failed counts
// the attempts that failed, whether the e-mail will be retried later (a
// temporary error, with a growing back-off) or has now failed for good (a
// permanent error or the sixth attempt). err reports a database problem,
// which ends the pass.
func (o *Outbox) Deliver(ctx context.Context) (sent, failed int, err error) {
	if o.Sender == nil {
		return 0, 0, nil
	}
	ids, err := o.dueIDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return sent, failed, err
		}
		e, attempts, ok, err := o.claim(ctx, id)
		if err != nil {
			return sent, failed, err
		}
		if !ok {
			continue // another deliverer took it, or it is no longer due
		}
		sendErr := o.Sender.Send(ctx, Message{To: e.To, ToName: e.ToName, Subject: e.Subject, Text: e.Text, HTML: e.HTML})
		// Record the outcome even when ctx ended meanwhile: a sent e-mail
		// left as 'sending' would go out again when its claim runs out.
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		err = o.finish(mctx, id, attempts, sendErr)
		cancel()
		if err != nil {
			return sent, failed, err
		}
		if sendErr == nil {
			sent++
			continue
		}
		failed++
		slog.Warn("e-mail not sent", "outbox_id", id, "tenant", e.Tenant, "attempt", attempts, "permanent", IsPermanent(sendErr), "err", sendErr)
	}
	return sent, failed, nil
}

// dueIDs lists the e-mails that may be claimed now, oldest first.
func (o *Outbox) dueIDs(ctx context.Context) ([]int64, error) {
	now := o.Clock.Now().UTC()
	rows, err := o.DB.R.QueryContext(ctx, `SELECT id FROM outbox WHERE `+due(1)+` ORDER BY next_attempt_at, id LIMIT `+fmt.Sprint(batchSize), now)
	if err != nil {
		return nil, fmt.Errorf("cannot read the outbox: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read the outbox: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the outbox: %w", err)
	}
	return ids, nil
}

// claim marks e-mail id as being sent by this deliverer, if it is still due,
// and returns it with its attempt number. The condition is checked again in
// the UPDATE itself, so of several deliverers racing for the same e-mail
// exactly one gets a row back (PostgreSQL re-checks the WHERE clause after
// waiting for a concurrent update; SQLite has one writer at a time).
func (o *Outbox) claim(ctx context.Context, id int64) (e Email, attempts int, ok bool, err error) {
	now := o.Clock.Now().UTC()
	err = o.DB.W.QueryRowContext(ctx, `UPDATE outbox SET state = 'sending', claimed_until = $1, attempts = attempts + 1
		WHERE id = $2 AND `+due(3)+`
		RETURNING tenant_id, to_address, to_name, subject, body_text, body_html, attempts`,
		now.Add(claimFor), id, now).
		Scan(&e.Tenant, &e.To, &e.ToName, &e.Subject, &e.Text, &e.HTML, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return Email{}, 0, false, nil
	}
	if err != nil {
		return Email{}, 0, false, fmt.Errorf("cannot claim e-mail %d: %w", id, err)
	}
	return e, attempts, true, nil
}

// finish records the outcome of attempt number attempts at e-mail id. The
// attempt number fences the update: if the claim ran out and another
// deliverer claimed the e-mail meanwhile, its state is left to that one.
func (o *Outbox) finish(ctx context.Context, id int64, attempts int, sendErr error) error {
	now := o.Clock.Now().UTC()
	var err error
	switch {
	case sendErr == nil:
		_, err = o.DB.W.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = $1, claimed_until = NULL, last_error = ''
			WHERE id = $2 AND state = 'sending' AND attempts = $3`, now, id, attempts)
	case IsPermanent(sendErr) || attempts >= maxAttempts:
		_, err = o.DB.W.ExecContext(ctx, `UPDATE outbox SET state = 'failed', claimed_until = NULL, last_error = $1
			WHERE id = $2 AND state = 'sending' AND attempts = $3`, errorText(sendErr), id, attempts)
	default:
		next := now.Add(backoff[min(attempts, len(backoff))-1])
		_, err = o.DB.W.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = $1, claimed_until = NULL, last_error = $2
			WHERE id = $3 AND state = 'sending' AND attempts = $4`, next, errorText(sendErr), id, attempts)
	}
	if err != nil {
		return fmt.Errorf("cannot record the delivery of e-mail %d: %w", id, err)
	}
	return nil
}

// errorText is err's message cut to maxErrorLen bytes on a rune boundary.
func errorText(err error) string {
	s := err.Error()
	if len(s) <= maxErrorLen {
		return s
	}
	s = s[:maxErrorLen]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Run delivers the outbox every interval (30 seconds when every is not
// positive) until ctx ends. A full batch is followed at once by the next
// pass. Problems are logged, never the message bodies.
func (o *Outbox) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for {
			sent, failed, err := o.Deliver(ctx)
			if err != nil && ctx.Err() == nil {
				slog.Error("cannot deliver e-mail", "err", err)
			}
			if sent > 0 || failed > 0 {
				slog.Info("e-mail delivered", "sent", sent, "failed", failed)
			}
			if err != nil || sent+failed < batchSize || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
