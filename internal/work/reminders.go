package work

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/i18n"
	"cadran/internal/notify"
)

// Scheduler sends, from inside `cadran serve`, a reminder some days before a
// task's due day (the institution's reminder_days), a notice on the first day
// it is overdue, and each person's daily digest e-mail. Each goes out once:
// its key is written to notices_sent in the same transaction as the notice,
// so a restart sends nothing twice, and on PostgreSQL an advisory lock lets
// only one of several processes run at a time.
type Scheduler struct {
	Work *Service
	Auth *auth.Service
	// Hour is the hour of the day, in Bucharest, from which reminders and
	// digests go out, so nobody gets mail at midnight. Default 7.
	Hour int
	// Batch caps each kind of notice per run; the next run goes on. Default 500.
	Batch int
}

// Run reports what one pass did.
type Run struct {
	Reminders, Overdue, Digests int
	// Early: before the sending hour; Busy: another process holds the lock.
	Early, Busy bool
}

// Windows of the scheduler: reminders look this far ahead at most, and an
// overdue notice is not sent for a task late by more than this.
const (
	maxReminderDays = 30
	overdueWindow   = 30
)

// RunOnce does one pass at the clock's current time.
func (s *Scheduler) RunOnce(ctx context.Context) (Run, error) {
	hour, batch := s.Hour, s.Batch
	if hour == 0 {
		hour = 7
	}
	if batch <= 0 {
		batch = 500
	}
	now := s.Work.Clock.Now()
	var r Run
	if now.In(i18n.Bucharest).Hour() < hour {
		r.Early = true
		return r, nil
	}
	today := Day(now)
	d := s.Work.DB
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		ok, err := d.TryLock(ctx, tx, db.LockScheduler)
		if err != nil {
			return err
		}
		if !ok {
			r.Busy = true
			return nil
		}
		if r.Reminders, err = s.reminders(ctx, tx, today, batch); err != nil {
			return err
		}
		if r.Overdue, err = s.overdue(ctx, tx, today, batch); err != nil {
			return err
		}
		if s.Work.Notify != nil && s.Work.Notify.MailOn() {
			if r.Digests, err = s.digests(ctx, tx, today, batch); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// Loop runs a pass every interval until ctx ends.
func (s *Scheduler) Loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		r, err := s.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return // shutting down; the pass rolled back and runs again at start
		case err != nil:
			slog.Error("reminder scheduler failed", "err", err)
		case r.Reminders+r.Overdue+r.Digests > 0:
			slog.Info("reminders sent", "reminders", r.Reminders, "overdue", r.Overdue, "digests", r.Digests)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// claim writes a notice's key and reports whether this pass is the first to
// send it.
func claim(ctx context.Context, tx *sql.Tx, event string, subject, tenant int64, day string, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO notices_sent (event, subject_id, day, tenant_id, sent_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		event, subject, day, tenant, now)
	if err != nil {
		return false, fmt.Errorf("cannot record %s notice: %w", event, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

type candidate struct {
	id, tenant int64
	due        string
	created    time.Time
	days       int
}

func (s *Scheduler) candidates(ctx context.Context, tx *sql.Tx, event, from, to string, limit int) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, `SELECT t.id, t.tenant_id, t.due_on, t.created_at, i.reminder_days
		FROM tasks t JOIN institutions i ON i.id = t.tenant_id
		WHERE t.state = 'open' AND t.due_on >= $1 AND t.due_on <= $2
		AND NOT EXISTS (SELECT 1 FROM notices_sent n WHERE n.event = $3 AND n.subject_id = t.id AND n.day = t.due_on)
		ORDER BY t.due_on, t.id LIMIT $4`, from, to, event, limit)
	if err != nil {
		return nil, fmt.Errorf("cannot find tasks for %s notices: %w", event, err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.tenant, &c.due, &c.created, &c.days); err != nil {
			return nil, fmt.Errorf("cannot read task: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// send writes the key and the notice for one task.
func (s *Scheduler) send(ctx context.Context, tx *sql.Tx, c candidate, event string, now time.Time) (bool, error) {
	first, err := claim(ctx, tx, event, c.id, c.tenant, c.due, now)
	if err != nil || !first {
		return false, err
	}
	t, err := getTask(ctx, tx, c.tenant, c.id)
	if err != nil {
		return false, err
	}
	return true, s.Work.notify(ctx, tx, t, event, "")
}

// reminders sends the reminder of each open task whose reminder day has come:
// from reminder_days before the due day until the due day itself, for tasks
// handed out before today (a task given today was just announced).
func (s *Scheduler) reminders(ctx context.Context, tx *sql.Tx, today time.Time, batch int) (int, error) {
	now := s.Work.Clock.Now()
	cs, err := s.candidates(ctx, tx, notify.EventReminder, today.Format(time.DateOnly), today.AddDate(0, 0, maxReminderDays).Format(time.DateOnly), batch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, c := range cs {
		due, err := time.Parse(time.DateOnly, c.due)
		if err != nil {
			return sent, fmt.Errorf("cannot read due day %q: %w", c.due, err)
		}
		if c.days <= 0 || due.After(today.AddDate(0, 0, c.days)) || !Day(c.created).Before(today) {
			continue
		}
		ok, err := s.send(ctx, tx, c, notify.EventReminder, now)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// overdue tells the people of each task that became overdue, once.
func (s *Scheduler) overdue(ctx context.Context, tx *sql.Tx, today time.Time, batch int) (int, error) {
	now := s.Work.Clock.Now()
	cs, err := s.candidates(ctx, tx, notify.EventOverdue, today.AddDate(0, 0, -overdueWindow).Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly), batch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, c := range cs {
		ok, err := s.send(ctx, tx, c, notify.EventOverdue, now)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// digests e-mails each person who wants it a summary of what is overdue and
// due this week, once a day. People with nothing due this week get none.
func (s *Scheduler) digests(ctx context.Context, tx *sql.Tx, today time.Time, batch int) (int, error) {
	now := s.Work.Clock.Now()
	day := today.Format(time.DateOnly)
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.tenant_id, u.display_name, COALESCE(NULLIF(u.email, ''), p.email, ''), u.locale
		FROM users u LEFT JOIN people p ON p.tenant_id = u.tenant_id AND p.id = u.person_id
		WHERE NOT u.disabled
		AND NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.user_id = u.id AND np.kind = $1 AND NOT np.email)
		AND NOT EXISTS (SELECT 1 FROM notices_sent n WHERE n.event = $1 AND n.subject_id = u.id AND n.day = $2)
		ORDER BY u.id LIMIT $3`, notify.KindDigest, day, batch)
	if err != nil {
		return 0, fmt.Errorf("cannot find digest recipients: %w", err)
	}
	var people []notify.Recipient
	for rows.Next() {
		var r notify.Recipient
		if err := rows.Scan(&r.UserID, &r.Tenant, &r.Name, &r.Email, &r.Locale); err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot read digest recipient: %w", err)
		}
		people = append(people, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	weekEnd := WeekEnd(today)
	for _, r := range people {
		first, err := claim(ctx, tx, notify.KindDigest, r.UserID, r.Tenant, day, now)
		if err != nil {
			return sent, err
		}
		if !first || r.Email == "" {
			continue
		}
		a, err := s.Auth.ActorByID(ctx, r.UserID)
		if err != nil {
			continue // disabled since the query
		}
		v, err := s.Work.viewer(ctx, tx, a)
		if err != nil {
			return sent, err
		}
		tasks, err := s.Work.mine(ctx, tx, v)
		if err != nil {
			return sent, err
		}
		g := notify.Digest{Day: today}
		for _, t := range tasks {
			item := notify.DigestItem{Title: t.Title, Link: t.URL(), Due: t.Due}
			switch {
			case t.Due.Before(today):
				g.Overdue = append(g.Overdue, item)
			case !t.Due.After(weekEnd):
				g.ThisWeek = append(g.ThisWeek, item)
			default:
				g.Later++
			}
		}
		if len(g.Overdue)+len(g.ThisWeek) == 0 {
			continue
		}
		if err := s.Work.Notify.SendDigest(ctx, tx, r, g); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}
