package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Evaluation is the yearly self-evaluation: the situation of the control
// system at 31 December of Year.
type Evaluation struct {
	ID, Tenant     int64
	Year           int
	Model          string // frameworks.OSGGModel
	State          string
	OpenedOn       string
	DueOn          string
	ConsolidatedOn string
	ApprovedOn     string
	ApprovedBy     string
	ReportNo       string
	Conclusions    string
	ReportText     string
	// The grading thresholds frozen at consolidation (0: the settings'
	// apply, the evaluation is open).
	ConformMin, PartialMin int
	CreatedAt              time.Time
	UpdatedAt              time.Time
	Version                int
	// Filled in by reads: compartments taking part and those that submitted.
	Units, Submitted int
}

// EvaluationInput opens a yearly self-evaluation. Form fields: year,
// due_on, units.
type EvaluationInput struct {
	Year  int
	DueOn string // empty: today + the settings' answer days
	// The compartments that answer; empty: every unit of the institution.
	Units []int64
}

// EvaluationEdit changes an evaluation's dates and texts. Form fields:
// due_on, report_no, conclusions, report_text.
type EvaluationEdit struct {
	DueOn       string
	ReportNo    string
	Conclusions string
	ReportText  string
	Version     int
}

// Transition moves an evaluation: to consolidated (answers locked), back to
// open, or to approved (ApprovedBy and ApprovedOn required: form fields
// approved_by, approved_on). To may also name the action (EvalActConsolidate,
// EvalActReopen, EvalActApprove).
type Transition struct {
	To         string
	ApprovedBy string
	ApprovedOn string
	Version    int
}

// EvalUnit is a compartment taking part in an evaluation.
type EvalUnit struct {
	EvaluationID int64
	UnitID       int64
	UnitName     string
	HeadID       int64
	HeadName     string
	State        string // UnitPending, UnitSubmitted
	SubmittedAt  *time.Time
	SubmittedBy  string
	Version      int
	// Filled in by reads: questions answered out of the model's.
	Answered, Questions int
}

// Actions of the evaluation's workflow.
const (
	EvalActConsolidate = "consolidate" // open → consolidated: every compartment submitted
	EvalActReopen      = "reopen"      // consolidated → open
	EvalActApprove     = "approve"     // consolidated → approved: who approved and when
)

// EvalFlow is the evaluation's one state machine: open → consolidated →
// approved, consolidated back to open. Every step needs the manage
// permission; what a step needs besides (every questionnaire submitted,
// the approver and the date) is checked by MoveEvaluation.
var EvalFlow = workflow.New("control_evaluation", EvalOpen,
	[]workflow.State{EvalOpen, EvalConsolidated, EvalApproved},
	workflow.Transition[Evaluation]{Name: EvalActConsolidate, From: []workflow.State{EvalOpen}, To: EvalConsolidated, Perm: auth.PermControlManage},
	workflow.Transition[Evaluation]{Name: EvalActReopen, From: []workflow.State{EvalConsolidated}, To: EvalOpen, Perm: auth.PermControlManage},
	workflow.Transition[Evaluation]{Name: EvalActApprove, From: []workflow.State{EvalConsolidated}, To: EvalApproved, Perm: auth.PermControlManage},
)

// EvalActions lists the workflow actions a may take on e now.
func EvalActions(a auth.Actor, e Evaluation) []string {
	if !a.Can(auth.PermControlView) {
		return nil
	}
	return EvalFlow.Actions(workflow.State(e.State), a, e)
}

// evalAction is the action that moves from to to (or to itself, when it
// names an action).
func evalAction(from, to string) string {
	switch to {
	case EvalActConsolidate, EvalActReopen, EvalActApprove:
		return to
	case EvalConsolidated:
		if from == EvalOpen {
			return EvalActConsolidate
		}
	case EvalOpen:
		return EvalActReopen
	case EvalApproved:
		return EvalActApprove
	}
	return to
}

const evalColumns = `e.id, e.tenant_id, e.year, e.model, e.state, e.opened_on, e.due_on, e.consolidated_on, e.approved_on, e.approved_by,
	e.report_no, e.conclusions, e.report_text, e.conform_min, e.partial_min, e.created_at, e.updated_at, e.version,
	(SELECT COUNT(*) FROM control_eval_units eu WHERE eu.tenant_id = e.tenant_id AND eu.evaluation_id = e.id),
	(SELECT COUNT(*) FROM control_eval_units eu WHERE eu.tenant_id = e.tenant_id AND eu.evaluation_id = e.id AND eu.state = 'submitted')`

func evalScan(row interface{ Scan(...any) error }) (Evaluation, error) {
	var e Evaluation
	err := row.Scan(&e.ID, &e.Tenant, &e.Year, &e.Model, &e.State, &e.OpenedOn, &e.DueOn, &e.ConsolidatedOn, &e.ApprovedOn, &e.ApprovedBy,
		&e.ReportNo, &e.Conclusions, &e.ReportText, &e.ConformMin, &e.PartialMin, &e.CreatedAt, &e.UpdatedAt, &e.Version, &e.Units, &e.Submitted)
	return e, err
}

func evalGet(ctx context.Context, q evalQuerier, tenant, id int64) (Evaluation, error) {
	e, err := evalScan(q.QueryRowContext(ctx, `SELECT `+evalColumns+` FROM control_evaluations e WHERE e.tenant_id = $1 AND e.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Evaluation{}, apperr.NotFound(EntityEvaluation)
	}
	if err != nil {
		return Evaluation{}, fmt.Errorf("cannot read control evaluation: %w", err)
	}
	return e, nil
}

// validate checks and normalises the input against today.
func (in *EvaluationInput) validate(today time.Time) error {
	v := apperr.Validation{}
	in.DueOn = strings.TrimSpace(in.DueOn)
	if in.Year < 2000 || in.Year > today.Year()+1 {
		v.Add("year", "control.error.eval_year")
	}
	if in.DueOn != "" {
		if _, ok := evalDay(in.DueOn); !ok {
			v.Add("due_on", "error.date")
		}
	}
	return v.Err()
}

// OpenEvaluation opens the self-evaluation of in.Year: every compartment's
// head gets a task to answer the questionnaire by in.DueOn.
func (s *Service) OpenEvaluation(ctx context.Context, a auth.Actor, in EvaluationInput) (Evaluation, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Evaluation{}, err
	}
	now := s.Clock.Now()
	today, _ := evalDay(evalToday(now))
	if err := in.validate(today); err != nil {
		return Evaluation{}, err
	}
	var out Evaluation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_evaluations WHERE tenant_id = $1 AND year = $2`, a.Tenant, in.Year).Scan(&n); err != nil {
			return fmt.Errorf("cannot check control evaluation year: %w", err)
		}
		if n > 0 {
			return apperr.Validation{"year": "control.error.eval_year_taken"}
		}
		st, err := evalSettingsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if in.DueOn == "" {
			in.DueOn = today.AddDate(0, 0, st.AnswerDays).Format(time.DateOnly)
		}
		units, err := evalUnitsToOpen(ctx, tx, a.Tenant, in.Units)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO control_evaluations (tenant_id, year, model, state, opened_on, due_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			a.Tenant, in.Year, frameworks.OSGGLatest, EvalOpen, today.Format(time.DateOnly), in.DueOn, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"year": "control.error.eval_year_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot record control evaluation: %w", err)
		}
		e, err := evalGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityEvaluation,
			EntityID: id, Summary: "Autoevaluare SCIM " + strconv.Itoa(e.Year), After: e}); err != nil {
			return err
		}
		for _, u := range units {
			if err := s.addEvalUnit(ctx, tx, a, e, u, now); err != nil {
				return err
			}
		}
		out, err = evalGet(ctx, tx, a.Tenant, id)
		return err
	})
	return out, err
}

// evalUnitRow is a unit of the institution as an evaluation takes it in.
type evalUnitRow struct {
	ID   int64
	Name string
}

// evalUnitsToOpen checks the chosen units against the institution, or
// takes every unit of it, in the organisation chart's order.
func evalUnitsToOpen(ctx context.Context, q evalQuerier, tenant int64, chosen []int64) ([]evalUnitRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM units WHERE tenant_id = $1 ORDER BY position, sort_name, name, id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read units: %w", err)
	}
	defer rows.Close()
	var all []evalUnitRow
	for rows.Next() {
		var u evalUnitRow
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, fmt.Errorf("cannot read unit: %w", err)
		}
		all = append(all, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(chosen) == 0 {
		if len(all) == 0 {
			return nil, apperr.Validation{"units": "control.error.eval_no_units"}
		}
		return all, nil
	}
	var out []evalUnitRow
	for _, id := range chosen {
		i := slices.IndexFunc(all, func(u evalUnitRow) bool { return u.ID == id })
		if i < 0 {
			return nil, apperr.Validation{"units": "error.choice"}
		}
		if !slices.ContainsFunc(out, func(u evalUnitRow) bool { return u.ID == id }) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// addEvalUnit takes a unit into an evaluation with its head, audits it and
// gives the head (or the quality office) the task to answer.
func (s *Service) addEvalUnit(ctx context.Context, tx *sql.Tx, a auth.Actor, e Evaluation, u evalUnitRow, now time.Time) error {
	head, err := evalHead(ctx, tx, a.Tenant, u.ID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO control_eval_units (tenant_id, evaluation_id, unit_id, head_id, state) VALUES ($1, $2, $3, $4, $5)`,
		a.Tenant, e.ID, u.ID, evalNull(head), UnitPending)
	if db.IsUniqueViolation(err) {
		return apperr.Validation{"unit_id": "control.error.eval_unit_exists"}
	}
	if err != nil {
		return fmt.Errorf("cannot record control evaluation unit: %w", err)
	}
	eu, err := evalUnitGet(ctx, tx, a.Tenant, e.ID, u.ID)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityEvalUnit,
		EntityID: e.ID, Summary: strconv.Itoa(e.Year) + ": " + u.Name, After: eu}); err != nil {
		return err
	}
	due, ok := evalDay(e.DueOn)
	if !ok {
		due = work.Day(now)
	}
	_, err = s.Work.Assign(ctx, tx, a, evalAnswerTask(e, u.ID, u.Name, head, due))
	return err
}

// Evaluation returns one evaluation.
func (s *Service) Evaluation(ctx context.Context, a auth.Actor, id int64) (Evaluation, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Evaluation{}, err
	}
	return evalGet(ctx, s.DB.R, a.Tenant, id)
}

// Evaluations lists the institution's evaluations, the latest year first.
func (s *Service) Evaluations(ctx context.Context, a auth.Actor) ([]Evaluation, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+evalColumns+` FROM control_evaluations e WHERE e.tenant_id = $1 ORDER BY e.year DESC, e.id DESC`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list control evaluations: %w", err)
	}
	defer rows.Close()
	var out []Evaluation
	for rows.Next() {
		e, err := evalScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot list control evaluations: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// validate checks and normalises an edit.
func (in *EvaluationEdit) validate() error {
	v := apperr.Validation{}
	in.DueOn = strings.TrimSpace(in.DueOn)
	in.ReportNo = textutil.Clean(in.ReportNo)
	in.Conclusions = textutil.CleanText(in.Conclusions)
	in.ReportText = textutil.CleanText(in.ReportText)
	if in.DueOn == "" {
		v.Add("due_on", "error.required")
	} else if _, ok := evalDay(in.DueOn); !ok {
		v.Add("due_on", "error.date")
	}
	if utf8.RuneCountInString(in.ReportNo) > EvalMaxLine {
		v.Add("report_no", "error.too_long")
	}
	if utf8.RuneCountInString(in.Conclusions) > EvalMaxText {
		v.Add("conclusions", "error.too_long")
	}
	if utf8.RuneCountInString(in.ReportText) > EvalMaxText {
		v.Add("report_text", "error.too_long")
	}
	return v.Err()
}

// UpdateEvaluation changes an evaluation's due date and texts. A new due
// date reaches the compartments still answering: their open tasks are
// handed out again with it (the inbox has no way to move a due day).
func (s *Service) UpdateEvaluation(ctx context.Context, a auth.Actor, id int64, in EvaluationEdit) (Evaluation, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Evaluation{}, err
	}
	if err := in.validate(); err != nil {
		return Evaluation{}, err
	}
	now := s.Clock.Now()
	var out Evaluation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := evalGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.State == EvalApproved {
			return apperr.Conflict("control.error.eval_approved")
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE control_evaluations SET due_on = $1, report_no = $2, conclusions = $3, report_text = $4,
				updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, in.DueOn, in.ReportNo, in.Conclusions, in.ReportText, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update control evaluation: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if out, err = evalGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if before.DueOn != out.DueOn && out.State == EvalOpen {
			if err := s.reissueAnswerTasks(ctx, tx, a, out); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityEvaluation,
			EntityID: id, Summary: "Autoevaluare SCIM " + strconv.Itoa(out.Year), Before: before, After: out})
	})
	return out, err
}

// reissueAnswerTasks hands the open answering tasks out again with the
// evaluation's due date.
func (s *Service) reissueAnswerTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, e Evaluation) error {
	units, err := evalUnitsOf(ctx, tx, a.Tenant, e.ID)
	if err != nil {
		return err
	}
	due, _ := evalDay(e.DueOn)
	for _, u := range units {
		if u.State != UnitPending {
			continue
		}
		n, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: EvalUnitRef(e.ID, u.UnitID)}, work.StateCancelled)
		if err != nil {
			return err
		}
		if n > 0 {
			if _, err := s.Work.Assign(ctx, tx, a, evalAnswerTask(e, u.UnitID, u.UnitName, u.HeadID, due)); err != nil {
				return err
			}
		}
	}
	return nil
}

// MoveEvaluation moves an evaluation through its workflow.
func (s *Service) MoveEvaluation(ctx context.Context, a auth.Actor, id int64, t Transition) (Evaluation, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Evaluation{}, err
	}
	now := s.Clock.Now()
	today := evalToday(now)
	var out Evaluation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := evalGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		action := evalAction(e.State, t.To)
		step, err := EvalFlow.Fire(workflow.State(e.State), action, a, e, "", now)
		if err != nil {
			return err
		}
		if e.Version != t.Version {
			return apperr.Stale()
		}
		consolidated, approvedOn, approvedBy := e.ConsolidatedOn, e.ApprovedOn, e.ApprovedBy
		conformMin, partialMin := e.ConformMin, e.PartialMin
		switch action {
		case EvalActConsolidate:
			// The grade is given with today's thresholds and keeps them.
			st, err := evalSettingsOf(ctx, tx, a.Tenant)
			if err != nil {
				return err
			}
			conformMin, partialMin = st.ConformMin, st.PartialMin
			if e.Units == 0 {
				return apperr.Conflict("control.error.eval_no_units")
			}
			if pending := e.Units - e.Submitted; pending > 0 {
				return evalConflict("control.error.eval_pending", map[string]any{"Count": pending, "Units": e.Units})
			}
			consolidated = today
		case EvalActReopen:
			consolidated = ""
			conformMin, partialMin = 0, 0
		case EvalActApprove:
			v := apperr.Validation{}
			approvedBy = textutil.Clean(t.ApprovedBy)
			approvedOn = strings.TrimSpace(t.ApprovedOn)
			if approvedBy == "" {
				v.Add("approved_by", "error.required")
			} else if utf8.RuneCountInString(approvedBy) > EvalMaxLine {
				v.Add("approved_by", "error.too_long")
			}
			if approvedOn == "" {
				v.Add("approved_on", "error.required")
			} else if _, ok := evalDay(approvedOn); !ok {
				v.Add("approved_on", "error.date")
			} else if approvedOn > today {
				v.Add("approved_on", "control.error.future")
			}
			if err := v.Err(); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE control_evaluations SET state = $1, consolidated_on = $2, approved_on = $3, approved_by = $4,
				conform_min = $5, partial_min = $6, updated_at = $7, version = version + 1
			WHERE tenant_id = $8 AND id = $9 AND version = $10`, string(step.To), consolidated, approvedOn, approvedBy, conformMin, partialMin, now, a.Tenant, id, t.Version)
		if err != nil {
			return fmt.Errorf("cannot change control evaluation: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if out, err = evalGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		switch action {
		case EvalActConsolidate:
			// Nothing is left to answer; the quality office writes the report.
			units, err := evalUnitsOf(ctx, tx, a.Tenant, id)
			if err != nil {
				return err
			}
			for _, u := range units {
				if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: EvalUnitRef(id, u.UnitID)}, work.StateCancelled); err != nil {
					return err
				}
			}
			st, err := evalSettingsOf(ctx, tx, a.Tenant)
			if err != nil {
				return err
			}
			if _, err := s.Work.Assign(ctx, tx, a, evalReportTask(out, st)); err != nil {
				return err
			}
		case EvalActReopen:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: EvaluationRef(id)}, work.StateCancelled); err != nil {
				return err
			}
		case EvalActApprove:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: EvaluationRef(id)}, work.StateDone); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityEvaluation,
			EntityID: id, Summary: "Autoevaluare SCIM " + strconv.Itoa(out.Year) + ": " + action,
			Before: map[string]any{"state": e.State}, After: map[string]any{"step": step, "consolidated_on": consolidated, "approved_on": approvedOn, "approved_by": approvedBy}})
	})
	return out, err
}

const evalUnitColumns = `eu.evaluation_id, eu.unit_id, COALESCE(u.name, ''), COALESCE(eu.head_id, 0), COALESCE(p.full_name, ''), eu.state,
	eu.submitted_at, eu.submitted_by, eu.version`

const evalUnitFrom = ` FROM control_eval_units eu
	LEFT JOIN units u ON u.tenant_id = eu.tenant_id AND u.id = eu.unit_id
	LEFT JOIN people p ON p.tenant_id = eu.tenant_id AND p.id = eu.head_id`

func evalUnitScan(row interface{ Scan(...any) error }) (EvalUnit, error) {
	var u EvalUnit
	var at sql.NullTime
	err := row.Scan(&u.EvaluationID, &u.UnitID, &u.UnitName, &u.HeadID, &u.HeadName, &u.State, &at, &u.SubmittedBy, &u.Version)
	if at.Valid {
		u.SubmittedAt = &at.Time
	}
	return u, err
}

func evalUnitGet(ctx context.Context, q evalQuerier, tenant, evalID, unitID int64) (EvalUnit, error) {
	u, err := evalUnitScan(q.QueryRowContext(ctx, `SELECT `+evalUnitColumns+evalUnitFrom+` WHERE eu.tenant_id = $1 AND eu.evaluation_id = $2 AND eu.unit_id = $3`,
		tenant, evalID, unitID))
	if errors.Is(err, sql.ErrNoRows) {
		return EvalUnit{}, apperr.NotFound(EntityEvalUnit)
	}
	if err != nil {
		return EvalUnit{}, fmt.Errorf("cannot read control evaluation unit: %w", err)
	}
	return u, nil
}

func evalUnitsOf(ctx context.Context, q evalQuerier, tenant, evalID int64) ([]EvalUnit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+evalUnitColumns+evalUnitFrom+` WHERE eu.tenant_id = $1 AND eu.evaluation_id = $2
		ORDER BY u.position, u.sort_name, u.name, eu.unit_id`, tenant, evalID)
	if err != nil {
		return nil, fmt.Errorf("cannot list control evaluation units: %w", err)
	}
	defer rows.Close()
	var out []EvalUnit
	for rows.Next() {
		u, err := evalUnitScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot list control evaluation units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// EvalUnits lists the compartments of an evaluation with their progress.
// A head of unit who may not manage sees only their compartments.
func (s *Service) EvalUnits(ctx context.Context, a auth.Actor, evalID int64) ([]EvalUnit, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	e, err := evalGet(ctx, s.DB.R, a.Tenant, evalID)
	if err != nil {
		return nil, err
	}
	units, err := evalUnitsOf(ctx, s.DB.R, a.Tenant, evalID)
	if err != nil {
		return nil, err
	}
	if evalRestricted(a) {
		led, err := evalLed(ctx, s.DB.R, a)
		if err != nil {
			return nil, err
		}
		units = slices.DeleteFunc(units, func(u EvalUnit) bool { return !slices.Contains(led, u.UnitID) })
	}
	model := e.OSGG()
	counted, err := evalAnsweredCounts(ctx, s.DB.R, a.Tenant, evalID, model)
	if err != nil {
		return nil, err
	}
	for i := range units {
		units[i].Answered, units[i].Questions = counted[units[i].UnitID], model.Questions()
	}
	return units, nil
}

// evalAnsweredCounts counts each unit's answers to the model's questions.
func evalAnsweredCounts(ctx context.Context, q evalQuerier, tenant, evalID int64, model frameworks.OSGG) (map[int64]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit_id, question FROM control_answers WHERE tenant_id = $1 AND evaluation_id = $2`, tenant, evalID)
	if err != nil {
		return nil, fmt.Errorf("cannot count control answers: %w", err)
	}
	defer rows.Close()
	known := evalQuestionSet(model)
	out := map[int64]int{}
	for rows.Next() {
		var unit int64
		var code string
		if err := rows.Scan(&unit, &code); err != nil {
			return nil, fmt.Errorf("cannot count control answers: %w", err)
		}
		if known[code] {
			out[unit]++
		}
	}
	return out, rows.Err()
}

// evalQuestionSet is the set of the model's question codes.
func evalQuestionSet(model frameworks.OSGG) map[string]bool {
	out := map[string]bool{}
	for _, st := range model.Standards() {
		for _, q := range st.Questions {
			out[q.Code] = true
		}
	}
	return out
}

// AddEvalUnit adds a compartment to an open evaluation (its head gets the
// task).
func (s *Service) AddEvalUnit(ctx context.Context, a auth.Actor, evalID, unitID int64) error {
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := evalGet(ctx, tx, a.Tenant, evalID)
		if err != nil {
			return err
		}
		if !e.Open() {
			return apperr.Conflict("control.error.eval_not_open")
		}
		var u evalUnitRow
		err = tx.QueryRowContext(ctx, `SELECT id, name FROM units WHERE tenant_id = $1 AND id = $2`, a.Tenant, unitID).Scan(&u.ID, &u.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Validation{"unit_id": "error.choice"}
		}
		if err != nil {
			return fmt.Errorf("cannot read unit: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_eval_units WHERE tenant_id = $1 AND evaluation_id = $2 AND unit_id = $3`,
			a.Tenant, evalID, unitID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check control evaluation unit: %w", err)
		}
		if n > 0 {
			return apperr.Validation{"unit_id": "control.error.eval_unit_exists"}
		}
		return s.addEvalUnit(ctx, tx, a, e, u, now)
	})
}
