package citizen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/db"
	"cadran/internal/work"
)

// Bulk loads (the scale generator) write many cases at once: these expose
// what the service computes and writes for one case, so a load stores
// exactly what registering and answering them one by one would have.

// CaseTask is the inbox task an open case has (see Register).
func CaseTask(c Case) work.NewTask { return caseTask(c) }

// SearchText is the folded text a case is found by in the registry list.
func SearchText(c Case) string { return searchText(c) }

// DueOn is a case's deadline from its registration day, kind, complexity
// and extension, as the service computes it.
func DueOn(c Case, serviceDays int, shift bool) time.Time { return dueOn(c, serviceDays, shift) }

// CloseCase fills in how long a closed case took and whether it was
// closed in time, as the service does when it closes one.
func CloseCase(c *Case, shift bool) { closeCase(c, shift) }

// RatingAudit is what the audit trail keeps of a petitioner's rating of
// case c given on day (see RateCase).
func RatingAudit(c Case, rating int, given time.Time) any {
	return ratingEvent{ServiceID: c.ServiceID, Kind: c.Kind, Channel: FeedbackAnswer, Rating: rating, GivenOn: dayText(given)}
}

// caseInsertColumns are the columns InsertCasesTx writes.
const caseInsertColumns = `tenant_id, kind, year, seq, number, registered_on, registered_at, channel,
	petitioner_name, petitioner_email, petitioner_phone, petitioner_address, legal_person, consent_at, consent_version,
	subject, body, topic, service_id, unit_id, assignee_id, complex, state, due_on, base_due_on,
	extension_days, extension_reason, extension_notice_on, redirected_to, redirect_notice_on,
	answer, answer_kind, closed_on, days_taken, on_time, complaint, access_hash, rated, search_text,
	created_by, created_at, updated_at, version`

const caseInsertCount = 43

// InsertCasesTx writes cases as they stand (numbered, with their final
// state and version) inside tx, with their search text and the given
// access-code hashes (hashes[i] for cases[i], "" for none), and sets each
// case's ID. PostgreSQL takes them in multi-row INSERTs; SQLite one row
// per execution of one prepared statement, which is as fast there (its
// numbered parameters make a statement of thousands cost more to bind
// than to run). It writes neither audit events, tasks nor the indicators'
// summary: the caller does (RebuildStats).
func InsertCasesTx(ctx context.Context, tx *sql.Tx, engine db.Engine, cases []Case, hashes []string) error {
	chunk := 1
	if engine == db.Postgres {
		chunk = 200
	}
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for from := 0; from < len(cases); from += chunk {
		to := min(from+chunk, len(cases))
		st, ok := stmts[to-from]
		if !ok {
			var err error
			if st, err = tx.PrepareContext(ctx, `INSERT INTO citizen_cases (`+caseInsertColumns+`) VALUES `+db.Values(to-from, caseInsertCount)+` RETURNING id, year, seq`); err != nil {
				return fmt.Errorf("cannot prepare cases: %w", err)
			}
			stmts[to-from] = st
		}
		args := make([]any, 0, (to-from)*caseInsertCount)
		for i := from; i < to; i++ {
			c := &cases[i]
			var consent any
			if c.ConsentAt != nil {
				consent = *c.ConsentAt
			}
			args = append(args, c.Tenant, c.Kind, c.Year, c.Seq, c.Number, dayText(c.RegisteredOn), c.RegisteredAt, c.Channel,
				c.Petitioner.Name, c.Petitioner.Email, c.Petitioner.Phone, c.Petitioner.Address, c.Petitioner.LegalPerson, consent, c.ConsentVersion,
				c.Subject, c.Body, c.Topic, nullID(c.ServiceID), nullID(c.UnitID), nullID(c.AssigneeID), c.Complex, c.State, dayText(c.DueOn), dayText(c.BaseDueOn),
				c.ExtensionDays, c.ExtensionReason, dayText(c.ExtensionNoticeOn), c.RedirectedTo, dayText(c.RedirectNoticeOn),
				c.Answer, c.AnswerKind, dayText(c.ClosedOn), nullInt(c.DaysTaken), nullBool(c.OnTime), c.Complaint, hashes[i], c.Rated, searchText(*c),
				nullID(c.CreatedBy), c.CreatedAt, c.UpdatedAt, c.Version)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("cannot register cases: %w", err)
		}
		ids := make(map[[2]int]int64, to-from)
		for rows.Next() {
			var id int64
			var year, seq int
			if err := rows.Scan(&id, &year, &seq); err != nil {
				rows.Close()
				return fmt.Errorf("cannot register cases: %w", err)
			}
			ids[[2]int{year, seq}] = id
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("cannot register cases: %w", err)
		}
		for i := from; i < to; i++ {
			id, ok := ids[[2]int{cases[i].Year, cases[i].Seq}]
			if !ok {
				return fmt.Errorf("cannot register cases: no id for %s", cases[i].Number)
			}
			cases[i].ID = id
		}
	}
	return nil
}

// SetCounterTx moves the registration counter of year to at least seq, as
// taking the numbers one by one would have.
func SetCounterTx(ctx context.Context, tx *sql.Tx, tenant int64, year, seq int) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO citizen_counters (tenant_id, year, last_seq) VALUES ($1, $2, $3)
		ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = CASE WHEN citizen_counters.last_seq > excluded.last_seq THEN citizen_counters.last_seq ELSE excluded.last_seq END`,
		tenant, year, seq)
	if err != nil {
		return fmt.Errorf("cannot move the registration counter: %w", err)
	}
	return nil
}

// InsertRatingTx stores the petitioner's rating of case c given at at, as
// RateCase does (the case's rated flag is the caller's, and so are the
// audit event, RatingAudit, and the indicators' summary), and returns its
// ID.
func InsertRatingTx(ctx context.Context, tx *sql.Tx, c Case, rating int, comment string, at time.Time) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO citizen_feedback (tenant_id, service_id, kind, channel, rating, comment, given_on, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.Tenant, nullID(c.ServiceID), c.Kind, FeedbackAnswer, rating, comment, dayText(work.Day(at)), at).Scan(&id); err != nil {
		return 0, fmt.Errorf("cannot store rating: %w", err)
	}
	return id, nil
}

// RebuildStatsBulk is RebuildStats for a bulk load: the same summary, the
// same rows, written in multi-row INSERTs (a few hundred rows per
// statement) instead of one statement per row, which on PostgreSQL is one
// network round trip per month, service and kind of a tenant's ten years.
// SQLite, where a statement costs no round trip, gets RebuildStats itself.
func RebuildStatsBulk(ctx context.Context, d *db.DB, tenant int64) error {
	if d.Engine != db.Postgres {
		return RebuildStats(ctx, d, tenant)
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"citizen_stats", "citizen_stats_days"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE tenant_id = $1`, tenant); err != nil {
				return fmt.Errorf("cannot clear the indicators' summary: %w", err)
			}
		}
		s, err := stScratch(ctx, tx, tenant)
		if err != nil {
			return err
		}
		keys, dk := s.sorted()
		var rows [][]any
		for _, k := range keys {
			c := s.totals[k]
			rows = append(rows, []any{tenant, k.month, k.service, k.kind, c.registered, c.closed, c.onTime, c.overdue, c.ratings, c.ratingSum})
		}
		if err := insertRows(ctx, tx, `INSERT INTO citizen_stats (tenant_id, month, service_id, kind, registered, closed, on_time, overdue, ratings, rating_sum) VALUES `, rows); err != nil {
			return fmt.Errorf("cannot update the indicators' summary: %w", err)
		}
		rows = rows[:0]
		for _, k := range dk {
			rows = append(rows, []any{tenant, k.month, k.service, k.kind, k.days, s.days[k]})
		}
		if err := insertRows(ctx, tx, `INSERT INTO citizen_stats_days (tenant_id, month, service_id, kind, days_taken, closed) VALUES `, rows); err != nil {
			return fmt.Errorf("cannot update the indicators' summary: %w", err)
		}
		return nil
	})
}

// insertRows runs head (an INSERT ... VALUES) over rows, all of one width,
// a few hundred rows per statement: under both engines' parameter limits.
func insertRows(ctx context.Context, tx *sql.Tx, head string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	chunk := max(1, 3000/width)
	for from := 0; from < len(rows); from += chunk {
		part := rows[from:min(from+chunk, len(rows))]
		args := make([]any, 0, len(part)*width)
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, head+db.Values(len(part), width), args...); err != nil {
			return err
		}
	}
	return nil
}
