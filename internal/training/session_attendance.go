package training

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// MaxResultNotes limits the notes beside a result.
const MaxResultNotes = 1000

// sesHours is the hours an enrolment attended: the programme's hours
// spread evenly over the session's days, for the days present.
func sesHours(programmeHours, present, days int) float64 {
	if days <= 0 {
		return 0
	}
	return grpRound2(float64(programmeHours) * float64(present) / float64(days))
}

// Attendance reads a session's attendance grid (withdrawn enrolments left
// out): every row for the records permission and the quality office, a
// head of unit's units' people, one's own row otherwise.
func (s *Service) Attendance(ctx context.Context, a auth.Actor, sessionID int64) (AttendanceSheet, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return AttendanceSheet{}, err
	}
	ss, err := sesGet(ctx, s.DB.R, a.Tenant, sessionID)
	if err != nil {
		return AttendanceSheet{}, err
	}
	p, err := prgGet(ctx, s.DB.R, a.Tenant, ss.ProgrammeID)
	if err != nil {
		return AttendanceSheet{}, err
	}
	sc, err := sesScopeOf(ctx, s.DB.R, a)
	if err != nil {
		return AttendanceSheet{}, err
	}
	es, err := sesEnrolments(ctx, s.DB.R, a.Tenant, sessionID, sc, true)
	if err != nil {
		return AttendanceSheet{}, err
	}
	sheet := AttendanceSheet{Session: ss, Programme: p, Days: ss.Days()}
	col := map[string]int{}
	for i, d := range sheet.Days {
		col[d] = i
	}
	row := map[int64]int{}
	for i, e := range es {
		row[e.ID] = i
		sheet.Rows = append(sheet.Rows, AttendanceRow{Enrolment: e, Present: make([]bool, len(sheet.Days)), Marked: make([]bool, len(sheet.Days))})
	}
	if len(es) == 0 {
		return sheet, nil
	}
	marks, err := sesMarks(ctx, s.DB.R, a.Tenant, sessionID)
	if err != nil {
		return AttendanceSheet{}, err
	}
	for id, days := range marks {
		r, ok := row[id]
		if !ok {
			continue
		}
		for day, present := range days {
			if c, ok := col[day]; ok {
				sheet.Rows[r].Marked[c] = true
				sheet.Rows[r].Present[c] = present
			}
		}
	}
	return sheet, nil
}

// sesMarks reads a session's recorded attendance: enrolment → day →
// present.
func sesMarks(ctx context.Context, q querier, tenant, sessionID int64) (map[int64]map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.enrolment_id, t.day, t.present FROM training_attendance t
		JOIN training_enrolments e ON e.tenant_id = t.tenant_id AND e.id = t.enrolment_id
		WHERE t.tenant_id = $1 AND e.session_id = $2`, tenant, sessionID)
	if err != nil {
		return nil, fmt.Errorf("cannot read attendance: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]bool{}
	for rows.Next() {
		var id int64
		var day string
		var present bool
		if err := rows.Scan(&id, &day, &present); err != nil {
			return nil, fmt.Errorf("cannot read attendance: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string]bool{}
		}
		out[id][day] = present
	}
	return out, rows.Err()
}

// attMarks is one enrolment's attendance as the audit trail keeps it.
type attMarks struct {
	Person  string   `json:"person"`
	Present []string `json:"present"`
	Absent  []string `json:"absent"`
	Hours   float64  `json:"hours"`
}

func attMarksOf(name string, days map[string]bool, hours float64) attMarks {
	m := attMarks{Person: name, Present: []string{}, Absent: []string{}, Hours: hours}
	for d, p := range days {
		if p {
			m.Present = append(m.Present, d)
		} else {
			m.Absent = append(m.Absent, d)
		}
	}
	sort.Strings(m.Present)
	sort.Strings(m.Absent)
	return m
}

// SaveAttendance records the days each enrolment was present: present maps
// an enrolment to its days present; every day of the session not in it is
// recorded absent for the enrolments listed. Only while the session is
// held; each listed enrolment's hours follow (the programme's hours × days
// present ÷ the session's days). One audit event keeps the marks before
// and after.
func (s *Service) SaveAttendance(ctx context.Context, a auth.Actor, sessionID int64, present map[int64][]string) error {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := sesLock(ctx, tx, a.Tenant, sessionID)
		if err != nil {
			return err
		}
		if ss.State != SessionHeld {
			return apperr.Conflict("training.error.session.not_held")
		}
		days := ss.Days()
		es, err := sesEnrolments(ctx, tx, a.Tenant, sessionID, sesScope{all: true}, true)
		if err != nil {
			return err
		}
		byID := map[int64]Enrolment{}
		for _, e := range es {
			byID[e.ID] = e
		}
		ids := make([]int64, 0, len(present))
		for id, ds := range present {
			if _, ok := byID[id]; !ok {
				return apperr.Validation{FieldSessAttendance: "error.choice"}
			}
			for _, d := range ds {
				if !slices.Contains(days, d) {
					return apperr.Validation{FieldSessAttendance: "training.error.session.day"}
				}
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return nil
		}
		slices.Sort(ids)
		marks, err := sesMarks(ctx, tx, a.Tenant, sessionID)
		if err != nil {
			return err
		}
		upsert, err := tx.PrepareContext(ctx, `INSERT INTO training_attendance (tenant_id, enrolment_id, day, present, recorded_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (enrolment_id, day) DO UPDATE SET present = excluded.present, recorded_at = excluded.recorded_at`)
		if err != nil {
			return fmt.Errorf("cannot prepare attendance: %w", err)
		}
		defer upsert.Close()
		hours, err := tx.PrepareContext(ctx, `UPDATE training_enrolments SET hours = $3, updated_at = $4, version = version + 1
			WHERE tenant_id = $1 AND id = $2`)
		if err != nil {
			return fmt.Errorf("cannot prepare hours: %w", err)
		}
		defer hours.Close()
		before := map[string]attMarks{}
		after := map[string]attMarks{}
		changed := false
		for _, id := range ids {
			e := byID[id]
			old := marks[id]
			key := strconv.FormatInt(id, 10)
			before[key] = attMarksOf(e.Name, old, e.Hours)
			now2 := map[string]bool{}
			n := 0
			for _, d := range days {
				p := slices.Contains(present[id], d)
				now2[d] = p
				if p {
					n++
				}
				if was, ok := old[d]; ok && was == p {
					continue
				}
				changed = true
				if _, err := upsert.ExecContext(ctx, a.Tenant, id, d, p, now); err != nil {
					return fmt.Errorf("cannot record attendance: %w", err)
				}
			}
			h := sesHours(ss.Hours, n, len(days))
			if h != e.Hours {
				changed = true
				if _, err := hours.ExecContext(ctx, a.Tenant, id, h, now); err != nil {
					return fmt.Errorf("cannot record hours: %w", err)
				}
			}
			after[key] = attMarksOf(e.Name, now2, h)
		}
		if !changed {
			return nil
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityAttendance, EntityID: sessionID,
			Summary: ss.Code, Before: before, After: after})
	})
}

// sesRecomputeHours sets every enrolment's hours from its attendance
// within the session's days.
func sesRecomputeHours(ctx context.Context, tx *sql.Tx, tenant int64, ss Session, now time.Time) error {
	days := ss.Days()
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.hours,
			(SELECT COUNT(*) FROM training_attendance t WHERE t.tenant_id = e.tenant_id AND t.enrolment_id = e.id AND t.present AND t.day >= $3 AND t.day <= $4)
		FROM training_enrolments e WHERE e.tenant_id = $1 AND e.session_id = $2`, tenant, ss.ID, ss.StartOn, ss.EndOn)
	if err != nil {
		return fmt.Errorf("cannot read hours: %w", err)
	}
	type fix struct {
		id    int64
		hours float64
	}
	var fixes []fix
	for rows.Next() {
		var id int64
		var h float64
		var n int
		if err := rows.Scan(&id, &h, &n); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read hours: %w", err)
		}
		if want := sesHours(ss.Hours, n, len(days)); want != h {
			fixes = append(fixes, fix{id, want})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read hours: %w", err)
	}
	for _, f := range fixes {
		if _, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET hours = $3, updated_at = $4, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
			tenant, f.id, f.hours, now); err != nil {
			return fmt.Errorf("cannot record hours: %w", err)
		}
	}
	return nil
}

// SaveResults records assessment results while the session is held: a
// score from 0 to 100 (nil: not assessed) and notes, per enrolment. Each
// changed enrolment is audited.
func (s *Service) SaveResults(ctx context.Context, a auth.Actor, sessionID int64, results []ResultInput) error {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	v := apperr.Validation{}
	for i := range results {
		r := &results[i]
		if r.Score != nil && (*r.Score < 0 || *r.Score > 100) {
			v.Add(FieldScore(r.EnrolmentID), "training.error.score")
		}
		r.Notes = textutil.CleanText(r.Notes)
		if utf8.RuneCountInString(r.Notes) > MaxResultNotes {
			v.Add(FieldResultNotes(r.EnrolmentID), "error.too_long")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := sesLock(ctx, tx, a.Tenant, sessionID)
		if err != nil {
			return err
		}
		if ss.State != SessionHeld {
			return apperr.Conflict("training.error.session.not_held")
		}
		es, err := sesEnrolments(ctx, tx, a.Tenant, sessionID, sesScope{all: true}, true)
		if err != nil {
			return err
		}
		byID := map[int64]Enrolment{}
		for _, e := range es {
			byID[e.ID] = e
		}
		for _, r := range results {
			if _, ok := byID[r.EnrolmentID]; !ok {
				return apperr.Validation{FieldScore(r.EnrolmentID): "error.choice"}
			}
		}
		for _, r := range results {
			before := byID[r.EnrolmentID]
			if sameScore(before.Score, r.Score) && before.Notes == r.Notes {
				continue
			}
			var score any
			if r.Score != nil {
				score = *r.Score
			}
			res, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET score = $3, notes = $4, updated_at = $5, version = version + 1
				WHERE tenant_id = $1 AND id = $2 AND version = $6`, a.Tenant, r.EnrolmentID, score, r.Notes, now, before.Version)
			if err != nil {
				return fmt.Errorf("cannot record result: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Stale()
			}
			after := before
			after.Score, after.Notes, after.UpdatedAt, after.Version = r.Score, r.Notes, now, before.Version+1
			byID[r.EnrolmentID] = after
			if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityEnrolment, EntityID: r.EnrolmentID,
				Summary: ss.Code + ": " + before.Name, Before: before, After: after}); err != nil {
				return err
			}
		}
		return nil
	})
}

func sameScore(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// Passes reports whether an enrolment completes its programme: present at
// least the programme's minimum share of the session's days, and, when the
// programme assesses, a score at or above its pass mark.
func Passes(p Programme, daysPresent, days int, score *int) bool {
	if daysPresent*100 < p.MinAttendance*days {
		return false
	}
	return p.PassScore == 0 || (score != nil && *score >= p.PassScore)
}

// sesClose completes or fails each enrolment of a session being closed:
// a completion is dated the session's end day, grants the programme's
// competence and ticks the person's induction item. The people's tasks to
// attend close (done for those who came at least one day) and so does the
// quality office's task to record the results.
func (s *Service) sesClose(ctx context.Context, tx *sql.Tx, a auth.Actor, ss Session, p Programme, now time.Time) (done, failed int, err error) {
	es, err := sesEnrolments(ctx, tx, a.Tenant, ss.ID, sesScope{all: true}, true)
	if err != nil {
		return 0, 0, err
	}
	days := len(ss.Days())
	for _, e := range es {
		if e.State != EnrolEnrolled {
			continue
		}
		task := work.StateCancelled
		if e.DaysPresent > 0 {
			task = work.StateDone
		}
		if !Passes(p, e.DaysPresent, days, e.Score) {
			if err := s.sesSetEnrolState(ctx, tx, a, ss, e, EnrolFailed, "", now, task); err != nil {
				return 0, 0, err
			}
			failed++
			continue
		}
		if err := s.sesSetEnrolState(ctx, tx, a, ss, e, EnrolCompleted, ss.EndOn, now, task); err != nil {
			return 0, 0, err
		}
		e.State, e.CompletedOn, e.Version = EnrolCompleted, ss.EndOn, e.Version+1
		if err := s.grantFromProgramme(ctx, tx, a, e, p); err != nil {
			return 0, 0, err
		}
		if err := s.programmeCompleted(ctx, tx, a, e.PersonID, p.ID, ss.EndOn); err != nil {
			return 0, 0, err
		}
		done++
	}
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: sessionRef(ss.ID), Kind: work.KindReport}, work.StateDone); err != nil {
		return 0, 0, err
	}
	return done, failed, nil
}

// sesCancel withdraws every enrolment of a session being cancelled and
// cancels every task of it.
func (s *Service) sesCancel(ctx context.Context, tx *sql.Tx, a auth.Actor, ss Session, now time.Time) (int, error) {
	es, err := sesEnrolments(ctx, tx, a.Tenant, ss.ID, sesScope{all: true}, true)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range es {
		if e.State != EnrolEnrolled {
			continue
		}
		if err := s.sesSetEnrolState(ctx, tx, a, ss, e, EnrolWithdrawn, "", now, work.StateCancelled); err != nil {
			return 0, err
		}
		n++
	}
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: sessionRef(ss.ID)}, work.StateCancelled); err != nil {
		return 0, err
	}
	return n, nil
}
