// Package notify tells people about their work: in-app notifications with a
// read state, their choice of e-mail per kind of task, and the e-mails
// themselves, rendered in each recipient's language and handed to the
// outbox (package mail) in the same transaction as the change that caused
// them.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/i18n"
	"cadran/internal/mail"
)

// Events a notification reports.
const (
	EventAssigned    = "assigned"    // a new task for you
	EventReassigned  = "reassigned"  // a task moved to you
	EventRescheduled = "rescheduled" // your task's due day changed
	EventReminder    = "reminder"    // a task is due in a few days
	EventOverdue     = "overdue"     // a task's due date has passed
	EventCancelled   = "cancelled"   // a task you had was cancelled
)

// Events lists every event.
var Events = []string{EventAssigned, EventReassigned, EventRescheduled, EventReminder, EventOverdue, EventCancelled}

// KindDigest is the e-mail choice for the daily digest, kept beside the
// choices per task kind.
const KindDigest = "digest"

// Service stores notifications and queues e-mails.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Bundle *i18n.Bundle
	// Outbox receives e-mails; nil means e-mail is off and notifications
	// stay in the app.
	Outbox *mail.Outbox
	// BaseURL is Cadran's public address, for links in e-mails.
	BaseURL string
}

// MailOn reports whether e-mails are sent at all.
func (s *Service) MailOn() bool { return s.Outbox != nil }

// Recipient is someone a notice goes to: a user (in-app and e-mail) or a
// person without an account (e-mail only).
type Recipient struct {
	Tenant   int64
	UserID   int64
	PersonID int64
	Name     string
	Email    string
	Locale   string
}

// Notice is what happened to a task.
type Notice struct {
	Tenant  int64
	Event   string
	TaskID  int64
	Kind    string // the task's kind, for the recipient's e-mail choice
	Title   string
	Details string
	Link    string // a path inside Cadran, such as /tasks/42
	Due     time.Time
	By      string // who caused it, empty for the scheduler
}

// Send records the notice for each recipient in the app and, when e-mail is
// on and the recipient wants it for this kind, queues an e-mail, all inside
// tx so a rolled-back change notifies nobody.
func (s *Service) Send(ctx context.Context, tx *sql.Tx, n Notice, to []Recipient) error {
	now := s.Clock.Now()
	for _, r := range to {
		if r.UserID != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (tenant_id, user_id, event, task_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
				n.Tenant, r.UserID, n.Event, nullID(n.TaskID), now); err != nil {
				return fmt.Errorf("cannot record notification: %w", err)
			}
		}
		if !s.MailOn() || r.Email == "" {
			continue
		}
		want, err := wantsEmail(ctx, tx, r.UserID, n.Kind)
		if err != nil {
			return err
		}
		if !want {
			continue
		}
		m, err := s.renderNotice(n, r)
		if err != nil {
			return err
		}
		if err := s.Outbox.Enqueue(ctx, tx, mail.Email{Tenant: n.Tenant, UserID: r.UserID, To: r.Email, ToName: r.Name, Subject: m.Subject, Text: m.Text, HTML: m.HTML}); err != nil {
			return err
		}
	}
	return nil
}

// Digest is one person's summary of open work for the daily e-mail.
type Digest struct {
	Day      time.Time
	Overdue  []DigestItem
	ThisWeek []DigestItem
	Later    int
}

// DigestItem is one task in a digest.
type DigestItem struct {
	Title string
	Link  string
	Due   time.Time
}

// SendDigest queues the daily digest e-mail for r. It is e-mail only: in the
// app the "my work" page is the digest.
func (s *Service) SendDigest(ctx context.Context, tx *sql.Tx, r Recipient, d Digest) error {
	if !s.MailOn() || r.Email == "" {
		return nil
	}
	m, err := s.renderDigest(d, r)
	if err != nil {
		return err
	}
	return s.Outbox.Enqueue(ctx, tx, mail.Email{Tenant: r.Tenant, UserID: r.UserID, To: r.Email, ToName: r.Name, Subject: m.Subject, Text: m.Text, HTML: m.HTML})
}

// wantsEmail reads the person's choice for kind; no choice means yes. People
// without an account have no choices and get e-mail.
func wantsEmail(ctx context.Context, tx *sql.Tx, user int64, kind string) (bool, error) {
	if user == 0 {
		return true, nil
	}
	var on bool
	err := tx.QueryRowContext(ctx, `SELECT email FROM notification_prefs WHERE user_id = $1 AND kind = $2`, user, kind).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("cannot read e-mail choice: %w", err)
	}
	return on, nil
}

// Notification is one entry of a person's notification list.
type Notification struct {
	ID        int64
	Event     string
	TaskID    int64
	Title     string
	Link      string
	Kind      string
	Due       time.Time
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Unread reports whether the notification has not been read.
func (n Notification) Unread() bool { return n.ReadAt == nil }

// List returns the actor's notifications, newest first, and their total.
func (s *Service) List(ctx context.Context, a auth.Actor, unreadOnly bool, limit, offset int) ([]Notification, int, error) {
	if a.UserID == 0 {
		return nil, 0, nil
	}
	where := ` WHERE n.tenant_id = $1 AND n.user_id = $2`
	if unreadOnly {
		where += ` AND n.read_at IS NULL`
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications n`+where, a.Tenant, a.UserID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count notifications: %w", err)
	}
	if limit <= 0 || limit > 500 {
		limit = 25
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT n.id, n.event, COALESCE(n.task_id, 0), COALESCE(t.title, ''), COALESCE(t.link, ''), COALESCE(t.kind, ''), COALESCE(t.due_on, ''), n.created_at, n.read_at
		FROM notifications n LEFT JOIN tasks t ON t.tenant_id = n.tenant_id AND t.id = n.task_id`+where+
		` ORDER BY n.id DESC LIMIT $3 OFFSET $4`, a.Tenant, a.UserID, limit, max(0, offset))
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var due string
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.Event, &n.TaskID, &n.Title, &n.Link, &n.Kind, &due, &n.CreatedAt, &read); err != nil {
			return nil, 0, fmt.Errorf("cannot read notification: %w", err)
		}
		n.Due, _ = time.Parse(time.DateOnly, due)
		if read.Valid {
			n.ReadAt = &read.Time
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// UnreadCount is the number on the bell.
func (s *Service) UnreadCount(ctx context.Context, a auth.Actor) (int, error) {
	if a.UserID == 0 {
		return 0, nil
	}
	var n int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL`, a.Tenant, a.UserID).Scan(&n); err != nil {
		return 0, fmt.Errorf("cannot count unread notifications: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the actor's notifications read. Someone else's
// notification is not found. Reading is personal state, not a change to a
// record, so it leaves no audit event.
func (s *Service) MarkRead(ctx context.Context, a auth.Actor, id int64) (Notification, error) {
	var n Notification
	var due string
	var read sql.NullTime
	err := s.DB.R.QueryRowContext(ctx, `SELECT n.id, n.event, COALESCE(n.task_id, 0), COALESCE(t.title, ''), COALESCE(t.link, ''), COALESCE(t.kind, ''), COALESCE(t.due_on, ''), n.created_at, n.read_at
		FROM notifications n LEFT JOIN tasks t ON t.tenant_id = n.tenant_id AND t.id = n.task_id WHERE n.tenant_id = $1 AND n.user_id = $2 AND n.id = $3`, a.Tenant, a.UserID, id).
		Scan(&n.ID, &n.Event, &n.TaskID, &n.Title, &n.Link, &n.Kind, &due, &n.CreatedAt, &read)
	if errors.Is(err, sql.ErrNoRows) {
		return n, apperr.NotFound("notification")
	}
	if err != nil {
		return n, fmt.Errorf("cannot read notification: %w", err)
	}
	n.Due, _ = time.Parse(time.DateOnly, due)
	now := s.Clock.Now()
	if !read.Valid {
		if _, err := s.DB.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND user_id = $3 AND id = $4 AND read_at IS NULL`, now, a.Tenant, a.UserID, id); err != nil {
			return n, fmt.Errorf("cannot mark notification read: %w", err)
		}
		read.Time = now
	}
	n.ReadAt = &read.Time
	return n, nil
}

// MarkAllRead marks every notification of the actor read.
func (s *Service) MarkAllRead(ctx context.Context, a auth.Actor) (int, error) {
	res, err := s.DB.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND user_id = $3 AND read_at IS NULL`, s.Clock.Now(), a.Tenant, a.UserID)
	if err != nil {
		return 0, fmt.Errorf("cannot mark notifications read: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// EmailPrefs returns the actor's e-mail choice for each of kinds.
func (s *Service) EmailPrefs(ctx context.Context, a auth.Actor, kinds []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, k := range kinds {
		out[k] = true
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT kind, email FROM notification_prefs WHERE tenant_id = $1 AND user_id = $2`, a.Tenant, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("cannot read e-mail choices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var on bool
		if err := rows.Scan(&k, &on); err != nil {
			return nil, fmt.Errorf("cannot read e-mail choice: %w", err)
		}
		if _, ok := out[k]; ok {
			out[k] = on
		}
	}
	return out, rows.Err()
}

// SetEmailPrefs stores the actor's e-mail choices; the change is audited.
func (s *Service) SetEmailPrefs(ctx context.Context, a auth.Actor, kinds []string, prefs map[string]bool) error {
	if a.UserID == 0 {
		return apperr.Forbidden("notify.prefs")
	}
	before, err := s.EmailPrefs(ctx, a, kinds)
	if err != nil {
		return err
	}
	after := map[string]bool{}
	for _, k := range kinds {
		after[k] = prefs[k]
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, k := range kinds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notification_prefs (tenant_id, user_id, kind, email) VALUES ($1, $2, $3, $4)
				ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email`, a.Tenant, a.UserID, k, after[k]); err != nil {
				return fmt.Errorf("cannot save e-mail choice: %w", err)
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "notification_prefs", EntityID: a.UserID, Summary: a.Name, Before: before, After: after})
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
