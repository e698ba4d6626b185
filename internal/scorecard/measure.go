package scorecard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Measurement is a KPI's value for a period: the approved value the scores
// use, and a value entered by someone other than the owner while it waits
// for the owner's approval.
type Measurement struct {
	ID          int64
	Tenant      int64
	KPIID       int64
	KPICode     string // read
	KPIName     string // read
	Period      string
	Value       *float64
	Explanation string
	Source      string
	EnteredByID int64
	EnteredBy   string
	EnteredAt   *time.Time
	ApprovedBy  string
	ApprovedAt  *time.Time
	Pending     *float64
	PendingNote string // the pending value's explanation
	PendingSrc  string
	PendingByID int64
	PendingBy   string
	PendingAt   *time.Time
	Updated     time.Time
	Version     int
}

// Change is an old value a correction replaced.
type Change struct {
	Period      string
	Value       *float64
	Explanation string
	Source      string
	EnteredBy   string
	EnteredAt   *time.Time
	ReplacedBy  string
	ReplacedAt  time.Time
	Reason      string // corrected, approved, recomputed, replaced, rejected
}

// Reasons a value went to the history.
const (
	ReasonCorrected  = "corrected"  // a new value in force replaced it
	ReasonApproved   = "approved"   // an approved pending value replaced it
	ReasonRecomputed = "recomputed" // a metric or formula gave another figure
	ReasonReplaced   = "replaced"   // a pending value replaced by a newer one
	ReasonRejected   = "rejected"   // a pending value the owner refused
)

// Entry is one value to record: by KPI id, or by code (files and the API).
type Entry struct {
	KPIID       int64
	Code        string
	Period      string
	Value       float64
	Explanation string
	// Version is the measurement's version the person saw (0 for a new
	// value); a stale one is refused as changed by someone else.
	Version int
}

// Outcome says what Record did.
type Outcome struct {
	Saved     int // values in force now (entered by the owner, or computed)
	Pending   int // values waiting for the owner's approval
	Unchanged int // the same value as the one already there
}

// EntryError is a problem with one entry of a batch.
type EntryError struct {
	Index  int // the entry's position in the batch
	KPIID  int64
	Period string
	Field  string // "value", "period", "explanation", "code"
	Key    string // message key
}

// EntryErrors is every problem of a batch; nothing of it was saved.
type EntryErrors []EntryError

func (e EntryErrors) Error() string { return "scorecard: some values cannot be saved" }

// GridQuery picks the measurement grid: the entered KPIs of one frequency
// (and optionally one unit or objective) over one year, all of them or one
// page of PerPage KPIs in code order.
type GridQuery struct {
	Frequency   string
	Year        int
	UnitID      int64
	ObjectiveID int64
	OwnerID     int64
	// Page (from 1) and PerPage pick a page of the KPIs; PerPage 0 is all
	// of them. A page past the last is the last.
	Page, PerPage int
}

// Grid is the entry grid: a row per KPI, a column per period.
type Grid struct {
	Query   GridQuery
	Periods []Period
	Rows    []GridRow
	// Total is the number of KPIs the query picks, on every page.
	Total int
}

// GridRow is one KPI's row.
type GridRow struct {
	KPI   KPI
	Cells []GridCell // one per Grid.Periods
	// Editable is false for a KPI the actor may not enter values for.
	Editable bool
}

// GridCell is one KPI and period.
type GridCell struct {
	Period      Period
	Measurement *Measurement // nil: nothing entered
	Target      *Target
	Status      string // of the approved value, or StatusNone
	Due         bool   // the period has ended and has no value
}

// MaxExplanation is the longest explanation a value may carry, in
// characters.
const MaxExplanation = 2000

// ApprovalDays is how long an owner has to approve a value someone else
// entered; DueDays how long after a period's end its value is due.
const (
	ApprovalDays = 5
	DueDays      = 10
)

// DueOn is the day a KPI's value for p is due: DueDays after p's last day.
// The due-value task of p carries this day, which is how Cadran finds it
// again (a KPI has at most one open due-value task).
func DueOn(p Period) time.Time { return p.Last().AddDate(0, 0, DueDays) }

// GridLink is the grid page of a frequency and year, where tasks send
// people.
func GridLink(freq string, year int) string {
	return "/scorecard/measurements?frequency=" + freq + "&year=" + strconv.Itoa(year)
}

func msKPIRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityKPI, ID: id} }
func msMeasurementRef(id int64) work.Ref {
	return work.Ref{Module: Module, Entity: EntityMeasurement, ID: id}
}

// msItem is a checked entry: its KPI, period, the row already there and
// what happens to it.
type msItem struct {
	index   int
	entry   Entry
	kpi     msKPI
	period  Period
	current *Measurement
	inForce bool // goes in force now, else waits for approval
}

// msCheck resolves and validates a batch against the institution's data
// without writing anything. The problems come back as EntryErrors.
func (s *Service) msCheck(ctx context.Context, q msQuerier, a auth.Actor, source string, entries []Entry) ([]msItem, error) {
	today := work.Day(s.Clock.Now())
	var ids []int64
	var codes []string
	for _, e := range entries {
		if e.KPIID != 0 {
			ids = append(ids, e.KPIID)
		} else if c := msCode(e.Code); c != "" {
			codes = append(codes, c)
		}
	}
	byID, byCode := map[int64]msKPI{}, map[string]msKPI{}
	if len(ids) > 0 || len(codes) > 0 {
		var args []any
		var parts []string
		if len(ids) > 0 {
			var in string
			in, args = msIn(args, msUnique(ids))
			parts = append(parts, "k.id IN ("+in+")")
		}
		if len(codes) > 0 {
			var in string
			in, args = msIn(args, msUniqueStrings(codes))
			parts = append(parts, "UPPER(k.code) IN ("+in+")")
		}
		kpis, err := msKPIs(ctx, q, a.Tenant, " AND ("+strings.Join(parts, " OR ")+")", args...)
		if err != nil {
			return nil, err
		}
		for _, k := range kpis {
			byID[k.ID] = k
			byCode[strings.ToUpper(k.Code)] = k
		}
	}
	var kpiIDs []int64
	for _, k := range byID {
		kpiIDs = append(kpiIDs, k.ID)
	}
	targets := map[int64][]Target{}
	current := map[string]*Measurement{}
	if len(kpiIDs) > 0 {
		in, args := msIn(nil, kpiIDs)
		var err error
		if targets, err = msTargets(ctx, q, a.Tenant, " AND t.kpi_id IN ("+in+")", args...); err != nil {
			return nil, err
		}
		ms, err := msMeasurements(ctx, q, a.Tenant, " AND m.kpi_id IN ("+in+")", args...)
		if err != nil {
			return nil, err
		}
		for i := range ms {
			current[msKey(ms[i].KPIID, ms[i].Period)] = &ms[i]
		}
	}
	var errs EntryErrors
	seen := map[string]bool{}
	items := make([]msItem, 0, len(entries))
	for i, e := range entries {
		bad := func(field, key string) {
			errs = append(errs, EntryError{Index: i, KPIID: e.KPIID, Period: e.Period, Field: field, Key: key})
		}
		var k msKPI
		var ok bool
		if e.KPIID != 0 {
			k, ok = byID[e.KPIID]
		} else {
			k, ok = byCode[msCode(e.Code)]
		}
		if !ok || k.Archived {
			bad("code", "scorecard.measure.error.unknown_kpi")
			continue
		}
		e.KPIID = k.ID
		if !k.Entered() {
			bad("value", "scorecard.measure.error.not_entered")
			continue
		}
		p, err := ParsePeriod(e.Period)
		switch {
		case err != nil:
			bad("period", "scorecard.measure.error.period")
			continue
		case p.Freq != k.Frequency:
			bad("period", "scorecard.measure.error.period_frequency."+k.Frequency)
			continue
		case p.Year < 2000:
			bad("period", "scorecard.measure.error.period_old")
			continue
		case p.Start().After(today):
			bad("period", "scorecard.measure.error.period_future")
			continue
		}
		e.Period = p.Key()
		key := msKey(k.ID, e.Period)
		if seen[key] {
			bad("period", "scorecard.measure.error.duplicate")
			continue
		}
		seen[key] = true
		if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) || math.Abs(e.Value) > 1e15 {
			bad("value", "scorecard.measure.error.value")
			continue
		}
		e.Explanation = strings.TrimSpace(textutil.CleanText(e.Explanation))
		if utf8.RuneCountInString(e.Explanation) > MaxExplanation {
			bad("explanation", "error.too_long")
			continue
		}
		if t, ok := TargetFor(targets[k.ID], p); ok && e.Explanation == "" && k.Rule().Evaluate(e.Value, t).Status == StatusRed {
			bad("explanation", "scorecard.measure.error.explain_red")
			continue
		}
		cur := current[key]
		if e.Version != 0 && (cur == nil || cur.Version != e.Version) || e.Version == 0 && cur != nil && source == SourceManual {
			bad("value", "error.stale")
			continue
		}
		inForce := a.System || a.PersonID != 0 && a.PersonID == k.OwnerID ||
			k.OwnerID == 0 && a.Can(auth.PermScorecardManage) ||
			source == SourceImport && a.Can(auth.PermScorecardManage)
		items = append(items, msItem{index: i, entry: e, kpi: k, period: p, current: cur, inForce: inForce})
	}
	if len(errs) > 0 {
		return items, errs
	}
	return items, nil
}

func msKey(kpiID int64, period string) string { return strconv.FormatInt(kpiID, 10) + "/" + period }

func msCode(c string) string { return strings.ToUpper(strings.TrimSpace(c)) }

func msUnique(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func msUniqueStrings(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

// Record saves a batch of values all or nothing, by source (manual,
// import, api). A value in the red needs an explanation; a value by
// someone other than the KPI's owner waits for the owner's approval (a task
// in the owner's inbox); a corrected value keeps the old one in the
// history; the period's due-value task closes.
func (s *Service) Record(ctx context.Context, a auth.Actor, source string, entries []Entry) (Outcome, error) {
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return Outcome{}, err
	}
	if source != SourceManual && source != SourceImport && source != SourceAPI {
		return Outcome{}, fmt.Errorf("cannot record values: source %q is not entered by people", source)
	}
	var out Outcome
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.msRecord(ctx, tx, a, source, entries)
		return err
	})
	if err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// msRecord checks and writes a batch inside tx.
func (s *Service) msRecord(ctx context.Context, tx *sql.Tx, a auth.Actor, source string, entries []Entry) (Outcome, error) {
	items, err := s.msCheck(ctx, tx, a, source, entries)
	if err != nil {
		return Outcome{}, err
	}
	var out Outcome
	now := s.Clock.Now()
	for _, it := range items {
		e, cur := it.entry, it.current
		switch {
		case it.inForce && cur != nil && cur.Value != nil && msSame(*cur.Value, e.Value) && cur.Pending == nil && (e.Explanation == "" || e.Explanation == cur.Explanation):
			out.Unchanged++
			continue
		case !it.inForce && cur != nil && (cur.Pending != nil && msSame(*cur.Pending, e.Value) && (e.Explanation == "" || e.Explanation == cur.PendingNote) ||
			cur.Pending == nil && cur.Value != nil && msSame(*cur.Value, e.Value) && (e.Explanation == "" || e.Explanation == cur.Explanation)):
			out.Unchanged++
			continue
		}
		if it.inForce {
			if err := s.msPutInForce(ctx, tx, a, it.kpi, it.period, cur, e.Value, e.Explanation, source, now); err != nil {
				return Outcome{}, err
			}
			out.Saved++
		} else {
			if err := s.msPutPending(ctx, tx, a, it.kpi, it.period, cur, e.Value, e.Explanation, source, now); err != nil {
				return Outcome{}, err
			}
			out.Pending++
		}
	}
	return out, nil
}

// msInsert creates the empty row of a KPI's period and returns it.
func msInsert(ctx context.Context, tx *sql.Tx, tenant int64, k msKPI, p Period, now time.Time) (Measurement, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, tenant, k.ID, p.Key(), p.Last().Format(time.DateOnly), now).Scan(&id); err != nil {
		if msIsUnique(err) {
			return Measurement{}, apperr.Stale()
		}
		return Measurement{}, fmt.Errorf("cannot create measurement: %w", err)
	}
	return Measurement{ID: id, Tenant: tenant, KPIID: k.ID, KPICode: k.Code, KPIName: k.Name, Period: p.Key(), Source: SourceManual, Updated: now, Version: 1}, nil
}

func msIsUnique(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// msHistory keeps a value that is being replaced.
func msHistory(ctx context.Context, tx *sql.Tx, a auth.Actor, m Measurement, value *float64, note, source, by string, at *time.Time, reason string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO scorecard_measurement_history (tenant_id, measurement_id, kpi_id, period, value, explanation, source,
		entered_by_name, entered_at, replaced_by_name, replaced_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		a.Tenant, m.ID, m.KPIID, m.Period, msNull(value), note, source, by, msNullTime(at), a.Name, now, reason); err != nil {
		return fmt.Errorf("cannot keep the old value: %w", err)
	}
	return nil
}

func msNullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// msGet reads one measurement inside tx.
func msGet(ctx context.Context, q msQuerier, tenant, id int64) (Measurement, error) {
	m, err := msScan(q.QueryRowContext(ctx, `SELECT `+msColumns+msFrom+` WHERE m.tenant_id = $1 AND m.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Measurement{}, apperr.NotFound(EntityMeasurement)
	}
	if err != nil {
		return Measurement{}, fmt.Errorf("cannot read measurement: %w", err)
	}
	return m, nil
}

// msSummary is the audit trail's label of a measurement.
func msSummary(k KPI, period string) string { return k.Code + " " + period }

// msPutInForce puts a value in force for a KPI's period: the value in force
// before goes to the history (corrected), a pending value someone else
// entered is replaced (kept as replaced, its approval task cancelled), and
// the period's due-value task closes.
func (s *Service) msPutInForce(ctx context.Context, tx *sql.Tx, a auth.Actor, k msKPI, p Period, cur *Measurement, value float64, note, source string, now time.Time) error {
	action := audit.ActionUpdate
	var before Measurement
	if cur == nil {
		m, err := msInsert(ctx, tx, a.Tenant, k, p, now)
		if err != nil {
			return err
		}
		cur, action = &m, audit.ActionCreate
	} else {
		before = *cur
		if cur.Value != nil {
			if err := msHistory(ctx, tx, a, *cur, cur.Value, cur.Explanation, cur.Source, cur.EnteredBy, cur.EnteredAt, ReasonCorrected, now); err != nil {
				return err
			}
		}
		if cur.Pending != nil {
			if err := msHistory(ctx, tx, a, *cur, cur.Pending, cur.PendingNote, cur.PendingSrc, cur.PendingBy, cur.PendingAt, ReasonReplaced, now); err != nil {
				return err
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: msMeasurementRef(cur.ID), Kind: work.KindApprove}, work.StateCancelled); err != nil {
				return err
			}
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE scorecard_measurements SET value = $1, explanation = $2, source = $3, entered_by = $4, entered_by_name = $5,
		entered_at = $6, approved_by_name = $5, approved_at = $6, pending_value = NULL, pending_explanation = '', pending_source = '', pending_by = NULL,
		pending_by_name = '', pending_at = NULL, updated_at = $6, version = version + 1 WHERE tenant_id = $7 AND id = $8 AND version = $9`,
		value, note, source, msNullID(a.UserID), a.Name, now, a.Tenant, cur.ID, cur.Version)
	if err := msRecordUpdate(ctx, tx, a, k, p, cur.ID, action, before, res, err, now); err != nil {
		return err
	}
	return s.msCloseDue(ctx, tx, a, k.ID, p)
}

// msPutPending keeps a value someone other than the owner entered until
// the owner approves it: a pending value already there is replaced (kept
// as replaced), and the approver gets a task.
func (s *Service) msPutPending(ctx context.Context, tx *sql.Tx, a auth.Actor, k msKPI, p Period, cur *Measurement, value float64, note, source string, now time.Time) error {
	action := audit.ActionUpdate
	var before Measurement
	if cur == nil {
		m, err := msInsert(ctx, tx, a.Tenant, k, p, now)
		if err != nil {
			return err
		}
		cur, action = &m, audit.ActionCreate
	} else {
		before = *cur
		if cur.Pending != nil {
			if err := msHistory(ctx, tx, a, *cur, cur.Pending, cur.PendingNote, cur.PendingSrc, cur.PendingBy, cur.PendingAt, ReasonReplaced, now); err != nil {
				return err
			}
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE scorecard_measurements SET pending_value = $1, pending_explanation = $2, pending_source = $3, pending_by = $4,
		pending_by_name = $5, pending_at = $6, updated_at = $6, version = version + 1 WHERE tenant_id = $7 AND id = $8 AND version = $9`,
		value, note, source, msNullID(a.UserID), a.Name, now, a.Tenant, cur.ID, cur.Version)
	if err := msRecordUpdate(ctx, tx, a, k, p, cur.ID, action, before, res, err, now); err != nil {
		return err
	}
	ref := msMeasurementRef(cur.ID)
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref, Kind: work.KindApprove}, work.StateCancelled); err != nil {
		return err
	}
	as := work.Assignee{Role: auth.RoleQualityManager}
	if k.OwnerID != 0 && k.ownerHasUser && k.ownerActive {
		as = work.Assignee{PersonID: k.OwnerID}
	}
	_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: ref, Kind: work.KindApprove,
		Title: msClip(msRO().T("scorecard.task.approve", "Code", k.Code, "Period", p.Label("ro")), 300),
		Details: fmt.Sprintf("%s a introdus valoarea %s pentru indicatorul %s (%s), perioada %s. Aprobați-o sau respingeți-o cu un motiv.",
			a.Name, msFormat(value, k.Decimals), k.Code, k.Name, p.Label("ro")),
		Link: "/scorecard/approvals", Assignee: as, Due: work.Day(now).AddDate(0, 0, ApprovalDays)})
	return err
}

// msFormat writes a value the Romanian way, for task texts: "93,5".
func msFormat(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', max(0, min(decimals, 6)), 64), ".", ",", 1)
}

// msCloseDue closes the KPI's due-value task when it is the task of
// period p (its due day is DueOn(p)). A KPI has at most one open due-value
// task, so closing by the KPI closes exactly that one.
func (s *Service) msCloseDue(ctx context.Context, tx *sql.Tx, a auth.Actor, kpiID int64, p Period) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = $2 AND entity = $3 AND entity_id = $4
		AND kind = $5 AND state = 'open' AND due_on = $6`, a.Tenant, Module, EntityKPI, kpiID, work.KindReport, DueOn(p).Format(time.DateOnly)).Scan(&n); err != nil {
		return fmt.Errorf("cannot find the due-value task: %w", err)
	}
	if n == 0 {
		return nil
	}
	_, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: msKPIRef(kpiID), Kind: work.KindReport}, work.StateDone)
	return err
}

// msLoadForDecision reads a measurement and its KPI inside tx for Approve
// and Reject, and checks the actor may decide.
func (s *Service) msLoadForDecision(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, version int) (Measurement, msKPI, error) {
	m, err := msGet(ctx, tx, a.Tenant, id)
	if err != nil {
		return Measurement{}, msKPI{}, err
	}
	kpis, err := msKPIs(ctx, tx, a.Tenant, ` AND k.id = $2`, m.KPIID)
	if err != nil {
		return Measurement{}, msKPI{}, err
	}
	if len(kpis) == 0 {
		return Measurement{}, msKPI{}, apperr.NotFound(EntityKPI)
	}
	k := kpis[0]
	if !s.msMayApprove(a, k) {
		return Measurement{}, msKPI{}, apperr.Forbidden(string(auth.PermScorecardManage))
	}
	if m.Version != version {
		return Measurement{}, msKPI{}, apperr.Stale()
	}
	if m.Pending == nil {
		return Measurement{}, msKPI{}, apperr.Conflict("scorecard.measure.error.nothing_pending")
	}
	return m, k, nil
}

// msMayApprove: the KPI's owner, or, for a KPI whose owner cannot sign in
// (or has none), whoever manages the scorecard.
func (s *Service) msMayApprove(a auth.Actor, k msKPI) bool {
	if a.System {
		return true
	}
	if a.PersonID != 0 && a.PersonID == k.OwnerID {
		return true
	}
	return (k.OwnerID == 0 || !k.ownerHasUser || !k.ownerActive) && a.Can(auth.PermScorecardManage)
}

// Approve puts a pending value in force.
func (s *Service) Approve(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, k, err := s.msLoadForDecision(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if m.Value != nil {
			if err := msHistory(ctx, tx, a, m, m.Value, m.Explanation, m.Source, m.EnteredBy, m.EnteredAt, ReasonApproved, now); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_measurements SET value = pending_value, explanation = pending_explanation, source = pending_source,
			entered_by = pending_by, entered_by_name = pending_by_name, entered_at = pending_at, approved_by_name = $1, approved_at = $2,
			pending_value = NULL, pending_explanation = '', pending_source = '', pending_by = NULL, pending_by_name = '', pending_at = NULL,
			updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`, a.Name, now, a.Tenant, m.ID, m.Version)
		if err != nil {
			return fmt.Errorf("cannot approve measurement: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		after, err := msGet(ctx, tx, a.Tenant, m.ID)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityMeasurement,
			EntityID: m.ID, Summary: msSummary(k.KPI, m.Period), Before: m, After: msStep{Action: "approve", Measurement: after}}); err != nil {
			return err
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: msMeasurementRef(m.ID), Kind: work.KindApprove}, work.StateDone); err != nil {
			return err
		}
		p, err := ParsePeriod(m.Period)
		if err != nil {
			return fmt.Errorf("cannot approve measurement: %w", err)
		}
		return s.msCloseDue(ctx, tx, a, k.ID, p)
	})
}

// msStep is what the audit trail keeps of an approval or a rejection.
type msStep struct {
	Action      string `json:"action"`
	Reason      string `json:"reason,omitempty"`
	Measurement Measurement
}

// Reject discards a pending value, with a reason its author is told.
func (s *Service) Reject(ctx context.Context, a auth.Actor, id int64, version int, reason string) error {
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return err
	}
	reason = strings.TrimSpace(textutil.CleanText(reason))
	switch {
	case reason == "":
		return apperr.Validation{"reason": "error.required"}
	case utf8.RuneCountInString(reason) > MaxExplanation:
		return apperr.Validation{"reason": "error.too_long"}
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, k, err := s.msLoadForDecision(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := msHistory(ctx, tx, a, m, m.Pending, m.PendingNote, m.PendingSrc, m.PendingBy, m.PendingAt, ReasonRejected, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_measurements SET pending_value = NULL, pending_explanation = '', pending_source = '', pending_by = NULL,
			pending_by_name = '', pending_at = NULL, updated_at = $1, version = version + 1 WHERE tenant_id = $2 AND id = $3 AND version = $4`, now, a.Tenant, m.ID, m.Version)
		if err != nil {
			return fmt.Errorf("cannot reject measurement: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		after, err := msGet(ctx, tx, a.Tenant, m.ID)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityMeasurement,
			EntityID: m.ID, Summary: msSummary(k.KPI, m.Period), Before: m, After: msStep{Action: "reject", Reason: reason, Measurement: after}}); err != nil {
			return err
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: msMeasurementRef(m.ID), Kind: work.KindApprove}, work.StateDone); err != nil {
			return err
		}
		// The author is told through the inbox: a task to enter the value
		// again, with the reason.
		var author int64
		if m.PendingByID != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(u.person_id, 0) FROM users u JOIN people p ON p.tenant_id = u.tenant_id AND p.id = u.person_id AND p.active
				WHERE u.tenant_id = $1 AND u.id = $2`, a.Tenant, m.PendingByID).Scan(&author); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("cannot find the value's author: %w", err)
			}
		}
		if author == 0 {
			return nil
		}
		p, err := ParsePeriod(m.Period)
		if err != nil {
			return fmt.Errorf("cannot reject measurement: %w", err)
		}
		_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: msMeasurementRef(m.ID), Kind: work.KindAct,
			Title:   msClip(msRO().T("scorecard.task.rejected", "Code", k.Code, "Period", p.Label("ro"), "Reason", reason), 300),
			Details: fmt.Sprintf("%s a respins valoarea %s a indicatorului %s (%s) pentru %s. Motivul: %s", a.Name, msFormat(*m.Pending, k.Decimals), k.Code, k.Name, p.Label("ro"), reason),
			Link:    GridLink(k.Frequency, p.Year), Assignee: work.Assignee{PersonID: author}, Due: work.Day(now).AddDate(0, 0, ApprovalDays)})
		return err
	})
}

// msRO is the Romanian catalogue tasks are titled from: tasks are stored
// text, in the institution's language.
var msRO = sync.OnceValue(func() *i18n.Localizer { return i18n.MustLoad().Localizer("ro") })

func msClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// msRecordUpdate finishes an update of a measurement: the row must have
// been hit at its version (else someone else changed it), and the change
// goes into the audit trail with the row as it is now.
func msRecordUpdate(ctx context.Context, tx *sql.Tx, a auth.Actor, k msKPI, p Period, id int64, action string, before Measurement, res sql.Result, err error, now time.Time) error {
	if err != nil {
		return fmt.Errorf("cannot save measurement: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.Stale()
	}
	after, err := msGet(ctx, tx, a.Tenant, id)
	if err != nil {
		return err
	}
	ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: EntityMeasurement, EntityID: id, Summary: msSummary(k.KPI, p.Key()), After: after}
	if action == audit.ActionUpdate {
		ev.Before = before
	}
	return audit.Record(ctx, tx, now, ev)
}
