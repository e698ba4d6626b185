package improvement

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Nonconformity is one case of the nonconformity log.
type Nonconformity struct {
	ID          int64  `json:"id"`
	Tenant      int64  `json:"tenant_id"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Source      string `json:"source"`
	SourceRef   string `json:"source_ref,omitempty"`
	// SourceModule, SourceEntity and SourceID name the record of another
	// module that raised the case, such as an audit finding.
	SourceModule string `json:"source_module,omitempty"`
	SourceEntity string `json:"source_entity,omitempty"`
	SourceID     int64  `json:"source_id,omitempty"`
	Process      string `json:"process,omitempty"`
	UnitID       int64  `json:"unit_id,omitempty"`
	Clause       string `json:"clause,omitempty"`
	Severity     string `json:"severity"`
	DetectedOn   string `json:"detected_on"`
	ReporterID   int64  `json:"reporter_id,omitempty"`
	ReporterName string `json:"reporter_name"`
	OwnerID      int64  `json:"owner_id,omitempty"`
	// The immediate correction: what was done, by whom, when.
	Correction   string `json:"correction,omitempty"`
	CorrectionBy string `json:"correction_by,omitempty"`
	CorrectionOn string `json:"correction_on,omitempty"`
	// Conclusion of the root-cause analysis.
	Conclusion string `json:"conclusion,omitempty"`
	State      string `json:"state"`
	// Reopened counts the checks that found the actions not effective.
	Reopened int `json:"reopened"`
	// NextDue is the earliest due day of the open actions ('' when none).
	NextDue     string    `json:"next_due,omitempty"`
	OpenActions int       `json:"open_actions"`
	ClosedOn    string    `json:"closed_on,omitempty"`
	ImportNo    string    `json:"import_no,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	UnitName  string `json:"-"`
	OwnerName string `json:"-"`
}

// IsOpen reports whether the case is still being worked on.
func (n Nonconformity) IsOpen() bool { return IsOpen(n.State) }

// Overdue reports whether an open action of the case is past its due day.
func (n Nonconformity) Overdue(today time.Time) bool {
	return n.NextDue != "" && n.NextDue < today.Format(time.DateOnly)
}

// AgeDays is how many days ago the case was detected.
func (n Nonconformity) AgeDays(today time.Time) int {
	d, ok := parseDay(n.DetectedOn)
	if !ok {
		return 0
	}
	return int(today.Sub(d).Hours() / 24)
}

// NCInput is what a form, an import or another module gives to report a
// nonconformity or change it.
type NCInput struct {
	Title       string
	Description string
	Source      string
	SourceRef   string
	// A record of another module that raised the case (set by Raise's
	// callers, never by a form).
	SourceModule string
	SourceEntity string
	SourceID     int64
	Process      string
	UnitID       int64
	Clause       string
	Severity     string
	DetectedOn   string // YYYY-MM-DD; empty is today
	OwnerID      int64
	Correction   string
	CorrectionBy string
	CorrectionOn string // YYYY-MM-DD or empty
	Version      int
}

// Validate checks and normalises the input against today.
func (in *NCInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Description = textutil.CleanText(in.Description)
	in.SourceRef = textutil.Clean(in.SourceRef)
	in.Process = textutil.Clean(in.Process)
	in.Clause = textutil.Clean(in.Clause)
	in.Correction = textutil.CleanText(in.Correction)
	in.CorrectionBy = textutil.Clean(in.CorrectionBy)
	in.DetectedOn = strings.TrimSpace(in.DetectedOn)
	in.CorrectionOn = strings.TrimSpace(in.CorrectionOn)
	switch {
	case in.Title == "":
		v.Add("title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("title", "error.too_long")
	}
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add("description", "error.too_long")
	}
	if !slices.Contains(Sources, in.Source) {
		v.Add("source", "error.choice")
	}
	if !slices.Contains(Severities, in.Severity) {
		v.Add("severity", "error.choice")
	}
	if utf8.RuneCountInString(in.SourceRef) > MaxShort {
		v.Add("source_ref", "error.too_long")
	}
	if utf8.RuneCountInString(in.Process) > 200 {
		v.Add("process", "error.too_long")
	}
	if in.Clause != "" {
		if _, ok := frameworks.ISOClause(in.Clause); !ok {
			v.Add("clause", "error.choice")
		}
	}
	if in.DetectedOn == "" {
		in.DetectedOn = today.Format(time.DateOnly)
	}
	if d, ok := parseDay(in.DetectedOn); !ok {
		v.Add("detected_on", "error.date")
	} else if d.After(today) {
		v.Add("detected_on", "nc.error.future")
	}
	if utf8.RuneCountInString(in.Correction) > MaxNote {
		v.Add("correction", "error.too_long")
	}
	if utf8.RuneCountInString(in.CorrectionBy) > 200 {
		v.Add("correction_by", "error.too_long")
	}
	if in.CorrectionOn != "" {
		if d, ok := parseDay(in.CorrectionOn); !ok {
			v.Add("correction_on", "error.date")
		} else if d.After(today) {
			v.Add("correction_on", "nc.error.future")
		}
	}
	return v.Err()
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

const ncColumns = `n.id, n.tenant_id, n.code, n.title, n.description, n.source, n.source_ref, n.source_module, n.source_entity, n.source_id,
	n.process, COALESCE(n.unit_id, 0), n.clause, n.severity, n.detected_on, COALESCE(n.reporter_id, 0), n.reporter_name, COALESCE(n.owner_id, 0),
	n.correction, n.correction_by, n.correction_on, n.conclusion, n.state, n.reopened, n.next_due, n.open_actions, n.closed_on, n.import_no,
	n.created_at, n.updated_at, n.version, COALESCE(u.name, ''), COALESCE(p.full_name, '')`

const ncFrom = ` FROM nonconformities n
	LEFT JOIN units u ON u.id = n.unit_id
	LEFT JOIN people p ON p.id = n.owner_id`

func scanNC(row interface{ Scan(...any) error }) (Nonconformity, error) {
	var n Nonconformity
	err := row.Scan(&n.ID, &n.Tenant, &n.Code, &n.Title, &n.Description, &n.Source, &n.SourceRef, &n.SourceModule, &n.SourceEntity, &n.SourceID,
		&n.Process, &n.UnitID, &n.Clause, &n.Severity, &n.DetectedOn, &n.ReporterID, &n.ReporterName, &n.OwnerID,
		&n.Correction, &n.CorrectionBy, &n.CorrectionOn, &n.Conclusion, &n.State, &n.Reopened, &n.NextDue, &n.OpenActions, &n.ClosedOn, &n.ImportNo,
		&n.CreatedAt, &n.UpdatedAt, &n.Version, &n.UnitName, &n.OwnerName)
	return n, err
}

func getNC(ctx context.Context, q querier, tenant, id int64) (Nonconformity, error) {
	n, err := scanNC(q.QueryRowContext(ctx, `SELECT `+ncColumns+ncFrom+` WHERE n.tenant_id = $1 AND n.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Nonconformity{}, apperr.NotFound("nonconformity")
	}
	if err != nil {
		return Nonconformity{}, fmt.Errorf("cannot read nonconformity: %w", err)
	}
	return n, nil
}

// Nonconformity returns one case of the actor's institution.
func (s *Service) Nonconformity(ctx context.Context, a auth.Actor, id int64) (Nonconformity, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return Nonconformity{}, err
	}
	return getNC(ctx, s.DB.R, a.Tenant, id)
}

// BySource returns the cases raised by a record of another module (an
// audit finding), oldest first.
func (s *Service) BySource(ctx context.Context, a auth.Actor, module, entity string, id int64) ([]Nonconformity, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+ncColumns+ncFrom+` WHERE n.tenant_id = $1 AND n.source_module = $2 AND n.source_entity = $3 AND n.source_id = $4 ORDER BY n.id`,
		a.Tenant, module, entity, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read nonconformities: %w", err)
	}
	return scanNCs(rows)
}

func scanNCs(rows *sql.Rows) ([]Nonconformity, error) {
	defer rows.Close()
	var out []Nonconformity
	for rows.Next() {
		n, err := scanNC(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read nonconformity: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// checkRefs makes sure the unit and the people named belong to the
// institution.
func checkRefs(ctx context.Context, q querier, tenant, unit int64, people map[string]int64) error {
	v := apperr.Validation{}
	var n int
	if unit != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&n); err != nil {
			return fmt.Errorf("cannot check unit: %w", err)
		}
		if n == 0 {
			v.Add("unit_id", "error.choice")
		}
	}
	for field, id := range people {
		if id == 0 {
			continue
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, id).Scan(&n); err != nil {
			return fmt.Errorf("cannot check person: %w", err)
		}
		if n == 0 {
			v.Add(field, "error.choice")
		}
	}
	return v.Err()
}

// nextNumber gives the next number of kind ("NC", "PI") in year.
func nextNumber(ctx context.Context, tx *sql.Tx, tenant int64, kind string, year int) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO improvement_counters (tenant_id, kind, year, last) VALUES ($1, $2, $3, 1)
		ON CONFLICT (tenant_id, kind, year) DO UPDATE SET last = improvement_counters.last + 1 RETURNING last`, tenant, kind, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cannot number %s: %w", kind, err)
	}
	return n, nil
}

// codeOf writes a code such as NC-2026-007 and the key it sorts by.
func codeOf(kind string, year, n int) (code, sortKey string) {
	return fmt.Sprintf("%s-%d-%03d", kind, year, n), fmt.Sprintf("%04d-%07d", year, n)
}

func ncSearch(code, title, description, ref, process string) string {
	d := []rune(description)
	if len(d) > 500 {
		d = d[:500]
	}
	return textutil.Fold(strings.Join([]string{code, title, ref, process, string(d)}, " "))
}

func ncRef(id int64) work.Ref     { return work.Ref{Module: Module, Entity: "nonconformity", ID: id} }
func checkRef(id int64) work.Ref  { return work.Ref{Module: Module, Entity: "nc_check", ID: id} }
func actionRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "action", ID: id} }
func ncLink(id int64) string      { return fmt.Sprintf("/nonconformities/%d", id) }

// Raise records a nonconformity inside the caller's transaction, so that
// another module (an internal audit raising its findings, an indicator out
// of target) makes the case together with its own record, or neither. The
// actor needs improve.report (the system actor may do anything). The case
// starts reported, waiting for the quality office, which gets an inbox
// task to accept or decline it; the reporter is the actor's person. Set
// in.SourceModule, in.SourceEntity and in.SourceID to link the case back to
// the record that raised it (BySource finds them again).
//
// Errors: apperr.Validation on bad input (field names as in NCInput, in
// snake case), apperr.Forbidden without the permission.
func (s *Service) Raise(ctx context.Context, tx *sql.Tx, a auth.Actor, in NCInput) (Nonconformity, error) {
	if err := a.Require(auth.PermImproveReport); err != nil {
		return Nonconformity{}, err
	}
	now := s.Clock.Now()
	today := work.Day(now)
	if err := in.Validate(today); err != nil {
		return Nonconformity{}, err
	}
	in.SourceModule, in.SourceEntity = textutil.Clean(in.SourceModule), textutil.Clean(in.SourceEntity)
	if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, map[string]int64{"owner_id": in.OwnerID}); err != nil {
		return Nonconformity{}, err
	}
	year := today.Year()
	num, err := nextNumber(ctx, tx, a.Tenant, "NC", year)
	if err != nil {
		return Nonconformity{}, err
	}
	code, sortKey := codeOf("NC", year, num)
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO nonconformities (tenant_id, code, sort_code, title, description, source, source_ref, source_module, source_entity, source_id,
			process, unit_id, clause, severity, severity_rank, detected_on, reporter_id, reporter_name, owner_id, correction, correction_by, correction_on,
			state, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25) RETURNING id`,
		a.Tenant, code, sortKey, in.Title, in.Description, in.Source, in.SourceRef, in.SourceModule, in.SourceEntity, in.SourceID,
		in.Process, nullID(in.UnitID), in.Clause, in.Severity, severityRank[in.Severity], in.DetectedOn, nullID(a.PersonID), a.Name, nullID(in.OwnerID),
		in.Correction, in.CorrectionBy, in.CorrectionOn, StateReported, ncSearch(code, in.Title, in.Description, in.SourceRef, in.Process), now).Scan(&id)
	if err != nil {
		return Nonconformity{}, fmt.Errorf("cannot record nonconformity: %w", err)
	}
	n, err := getNC(ctx, tx, a.Tenant, id)
	if err != nil {
		return Nonconformity{}, err
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "nonconformity", EntityID: id,
		Summary: n.Code + " " + n.Title, After: n}); err != nil {
		return Nonconformity{}, err
	}
	if err := recordStep(ctx, tx, a, "nonconformity", id, "report", "", StateReported, "", now); err != nil {
		return Nonconformity{}, err
	}
	_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: ncRef(id), Kind: work.KindApprove, Title: n.Code + " " + n.Title, Details: "Acceptați în analiză sau respingeți sesizarea.",
		Link: ncLink(id), Assignee: work.Assignee{Role: auth.RoleQualityManager}, Due: today.AddDate(0, 0, triageDays), Priority: priorityOf(n.Severity)})
	return n, err
}

// priorityOf gives a major nonconformity's tasks a high priority.
func priorityOf(severity string) string {
	if severity == SeverityMajor {
		return work.PriorityHigh
	}
	return work.PriorityNormal
}

// Create reports a nonconformity (the report form): Raise in a transaction
// of its own.
func (s *Service) Create(ctx context.Context, a auth.Actor, in NCInput) (Nonconformity, error) {
	in.SourceModule, in.SourceEntity, in.SourceID = "", "", 0
	var n Nonconformity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = s.Raise(ctx, tx, a, in)
		return err
	})
	return n, err
}

// manages reports whether a is the quality office.
func manages(a auth.Actor) bool { return a.Can(auth.PermImproveManage) }

// owns reports whether a runs the case: its owner, or the quality office.
// A read-only sign-in (a councillor) named owner still only reads.
func owns(a auth.Actor, n Nonconformity) bool {
	return manages(a) || (a.PersonID != 0 && a.PersonID == n.OwnerID && a.Can(auth.PermImproveReport))
}

// MayEdit reports whether a may change the case's details: the quality
// office and the owner while it is open, and its reporter while it waits
// for the quality office.
func MayEdit(a auth.Actor, n Nonconformity) bool {
	if !n.IsOpen() {
		return false
	}
	return owns(a, n) || (n.State == StateReported && a.PersonID != 0 && a.PersonID == n.ReporterID && a.Can(auth.PermImproveReport))
}

// Update changes a case's details; a stale Version is refused. The code,
// the state and the link to the record that raised it do not change.
func (s *Service) Update(ctx context.Context, a auth.Actor, id int64, in NCInput) (Nonconformity, error) {
	now := s.Clock.Now()
	if err := in.Validate(work.Day(now)); err != nil {
		return Nonconformity{}, err
	}
	var n Nonconformity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getNC(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !MayEdit(a, before) {
			if before.IsOpen() {
				return apperr.Forbidden(string(auth.PermImproveManage))
			}
			return apperr.Conflict("nc.error.closed")
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.OwnerID != before.OwnerID && !manages(a) {
			return apperr.Validation{"owner_id": "nc.error.owner_manage"}
		}
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, map[string]int64{"owner_id": in.OwnerID}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE nonconformities SET title = $1, description = $2, source = $3, source_ref = $4, process = $5, unit_id = $6,
				clause = $7, severity = $8, severity_rank = $9, detected_on = $10, owner_id = $11, correction = $12, correction_by = $13, correction_on = $14,
				search_text = $15, updated_at = $16, version = version + 1
			WHERE tenant_id = $17 AND id = $18 AND version = $19`,
			in.Title, in.Description, in.Source, in.SourceRef, in.Process, nullID(in.UnitID), in.Clause, in.Severity, severityRank[in.Severity], in.DetectedOn,
			nullID(in.OwnerID), in.Correction, in.CorrectionBy, in.CorrectionOn, ncSearch(before.Code, in.Title, in.Description, in.SourceRef, in.Process),
			now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update nonconformity: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.Stale()
		}
		if n, err = getNC(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if n.OwnerID != before.OwnerID && n.State == StateAnalysis {
			// The analysis task follows the case to its new owner.
			if err := s.assignAnalysis(ctx, tx, a, n, work.Day(now)); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "nonconformity", EntityID: id,
			Summary: n.Code + " " + n.Title, Before: before, After: n})
	})
	return n, err
}

// Processes lists the process names the institution's cases use, for the
// form's suggestions (beside those documents link to).
func (s *Service) Processes(ctx context.Context, a auth.Actor) ([]string, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT process FROM nonconformities WHERE tenant_id = $1 AND process <> ''
		UNION SELECT DISTINCT process FROM improvement_proposals WHERE tenant_id = $1 AND process <> '' ORDER BY 1`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read processes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("cannot read processes: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StepRecord is one workflow step of a case or a proposal, for its history.
type StepRecord struct {
	ID        int64
	Action    string
	From, To  string
	Reason    string
	ActorName string
	At        time.Time
}

func recordStep(ctx context.Context, tx *sql.Tx, a auth.Actor, entity string, id int64, action, from, to, reason string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_steps (tenant_id, entity, entity_id, action, from_state, to_state, reason, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.Tenant, entity, id, action, from, to, reason, a.UserID, a.Name, at); err != nil {
		return fmt.Errorf("cannot record step: %w", err)
	}
	return nil
}

func steps(ctx context.Context, q querier, tenant int64, entity string, id int64) ([]StepRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, action, from_state, to_state, reason, actor_name, at FROM improvement_steps
		WHERE tenant_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY id`, tenant, entity, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read history: %w", err)
	}
	defer rows.Close()
	var out []StepRecord
	for rows.Next() {
		var r StepRecord
		if err := rows.Scan(&r.ID, &r.Action, &r.From, &r.To, &r.Reason, &r.ActorName, &r.At); err != nil {
			return nil, fmt.Errorf("cannot read history: %w", err)
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
