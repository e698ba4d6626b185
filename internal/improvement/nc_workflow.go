package improvement

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Actions on a nonconformity.
const (
	ActAccept       = "accept"        // the quality office takes the report into analysis
	ActDecline      = "decline"       // not a nonconformity, with a reason
	ActPlan         = "plan"          // root cause found, actions planned: carry them out
	ActVerify       = "verify"        // every action done: plan the effectiveness check
	ActEffective    = "effective"     // the checker found the actions effective: closed
	ActNotEffective = "not_effective" // the checker did not, with a reason: back to analysis
	ActCancel       = "cancel"        // the quality office withdraws the case, with a reason
)

// ncGate is a case as one actor sees it, for the workflow's guards.
type ncGate struct {
	nc          Nonconformity
	openActions int
	doneActions int
	hasCause    bool
	checkerID   int64 // the person named for the pending check
}

func ownerGuard(a auth.Actor, g ncGate) error {
	if !owns(a, g.nc) {
		return apperr.Forbidden("nc.owner")
	}
	return nil
}

func checkerGuard(a auth.Actor, g ncGate) error {
	if a.System || a.PersonID == 0 || a.PersonID != g.checkerID {
		return apperr.Forbidden("nc.checker")
	}
	return nil
}

// NCFlow is the one workflow of a nonconformity: reported, then accepted
// into analysis or declined; analysis (correction, root cause), actions
// (planned and carried out), verification (waiting for the effectiveness
// check), closed; a check that finds the actions not effective sends the
// case back to analysis; the quality office may cancel an open case.
var NCFlow = workflow.New("nonconformity", StateReported,
	[]workflow.State{StateReported, StateAnalysis, StateActions, StateVerification, StateClosed, StateDeclined, StateCancelled},
	workflow.Transition[ncGate]{Name: ActAccept, From: []workflow.State{StateReported}, To: StateAnalysis, Perm: auth.PermImproveManage},
	workflow.Transition[ncGate]{Name: ActDecline, From: []workflow.State{StateReported}, To: StateDeclined, Perm: auth.PermImproveManage, Reason: true},
	workflow.Transition[ncGate]{Name: ActPlan, From: []workflow.State{StateAnalysis}, To: StateActions,
		Guard: func(a auth.Actor, g ncGate) error {
			if err := ownerGuard(a, g); err != nil {
				return err
			}
			if !g.hasCause {
				return apperr.Conflict("nc.error.no_root_cause")
			}
			if g.openActions == 0 {
				return apperr.Conflict("nc.error.no_action")
			}
			return nil
		}},
	workflow.Transition[ncGate]{Name: ActVerify, From: []workflow.State{StateActions}, To: StateVerification,
		Guard: func(a auth.Actor, g ncGate) error {
			if err := ownerGuard(a, g); err != nil {
				return err
			}
			if g.openActions > 0 || g.doneActions == 0 {
				return apperr.Conflict("nc.error.actions_open")
			}
			return nil
		}},
	workflow.Transition[ncGate]{Name: ActEffective, From: []workflow.State{StateVerification}, To: StateClosed, Guard: checkerGuard},
	workflow.Transition[ncGate]{Name: ActNotEffective, From: []workflow.State{StateVerification}, To: StateAnalysis, Reason: true, Guard: checkerGuard},
	workflow.Transition[ncGate]{Name: ActCancel, From: []workflow.State{StateReported, StateAnalysis, StateActions, StateVerification}, To: StateCancelled,
		Perm: auth.PermImproveManage, Reason: true},
)

// StepInput is one workflow action on a case or a proposal.
type StepInput struct {
	Action string
	Reason string
	// Accept: who runs the case (optional; the quality office otherwise).
	OwnerID int64
	// Verify: who checks the actions' effectiveness, and on which day.
	CheckerID int64
	CheckOn   string
	Version   int
}

// gate reads what the guards need to know of a case.
func (s *Service) gate(ctx context.Context, q querier, n Nonconformity) (ncGate, error) {
	g := ncGate{nc: n}
	err := q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN state = $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $4 THEN 1 ELSE 0 END), 0)
		FROM improvement_actions WHERE tenant_id = $1 AND nc_id = $2`, n.Tenant, n.ID, ActionOpen, ActionDone).Scan(&g.openActions, &g.doneActions)
	if err != nil {
		return g, fmt.Errorf("cannot count actions: %w", err)
	}
	var whys, roots int
	if err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM nc_whys WHERE tenant_id = $1 AND nc_id = $2),
			(SELECT COUNT(*) FROM nc_causes WHERE tenant_id = $1 AND nc_id = $2)`, n.Tenant, n.ID).Scan(&whys, &roots); err != nil {
		return g, fmt.Errorf("cannot read root cause: %w", err)
	}
	g.hasCause = whys > 0 || roots > 0 || strings.TrimSpace(n.Conclusion) != ""
	if n.State == StateVerification {
		c, ok, err := pendingCheck(ctx, q, n.Tenant, n.ID)
		if err != nil {
			return g, err
		}
		if ok {
			g.checkerID = c.CheckerID
		}
	}
	return g, nil
}

// Step moves a case through NCFlow and does what the step means: the
// owner named on acceptance gets the analysis in their inbox; verification
// plans the effectiveness check (the checker must differ from the case's
// owner and from every action's owner) and gives it to the checker; the
// checker's verdict closes the case or reopens it; cancellation and
// declining close every open task and action.
func (s *Service) Step(ctx context.Context, a auth.Actor, id int64, in StepInput) (Nonconformity, error) {
	var out Nonconformity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.StepTx(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

// StepTx is Step inside the caller's transaction, for the generators that
// move many cases in one.
func (s *Service) StepTx(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, in StepInput) (Nonconformity, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	var out Nonconformity
	err := func() error {
		n, err := getNC(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		g, err := s.gate(ctx, tx, n)
		if err != nil {
			return err
		}
		step, err := NCFlow.Fire(workflow.State(n.State), in.Action, a, g, in.Reason, now)
		if err != nil {
			return err
		}
		if n.Version != in.Version {
			return apperr.Stale()
		}
		owner, closedOn, reopened := n.OwnerID, n.ClosedOn, n.Reopened
		switch in.Action {
		case ActAccept:
			if in.OwnerID != 0 {
				if err := checkRefs(ctx, tx, a.Tenant, 0, map[string]int64{"owner_id": in.OwnerID}); err != nil {
					return err
				}
				owner = in.OwnerID
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ncRef(n.ID), Kind: work.KindApprove}, work.StateDone); err != nil {
				return err
			}
		case ActDecline, ActCancel:
			closedOn = today.Format(time.DateOnly)
			if err := s.closeAll(ctx, tx, a, n, now); err != nil {
				return err
			}
		case ActPlan:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ncRef(n.ID), Kind: work.KindAct}, work.StateDone); err != nil {
				return err
			}
		case ActVerify:
			if err := s.planCheck(ctx, tx, a, n, in, today, now); err != nil {
				return err
			}
		case ActEffective, ActNotEffective:
			if err := s.recordVerdict(ctx, tx, a, n, in.Action, step.Reason, today); err != nil {
				return err
			}
			if in.Action == ActEffective {
				closedOn = today.Format(time.DateOnly)
			} else {
				reopened++
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE nonconformities SET state = $1, owner_id = $2, closed_on = $3, reopened = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, string(step.To), nullID(owner), closedOn, reopened, now, a.Tenant, n.ID, in.Version)
		if err != nil {
			return fmt.Errorf("cannot move nonconformity: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.Stale()
		}
		if out, err = getNC(ctx, tx, a.Tenant, n.ID); err != nil {
			return err
		}
		if step.To == StateAnalysis {
			if err := s.assignAnalysis(ctx, tx, a, out, today); err != nil {
				return err
			}
		}
		if err := recordStep(ctx, tx, a, "nonconformity", n.ID, in.Action, string(step.From), string(step.To), step.Reason, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "nonconformity", EntityID: n.ID,
			Summary: n.Code + ": " + in.Action, After: step})
	}()
	return out, err
}

// NonconformityTx reads a case inside the caller's transaction.
func (s *Service) NonconformityTx(ctx context.Context, tx *sql.Tx, tenant, id int64) (Nonconformity, error) {
	return getNC(ctx, tx, tenant, id)
}

// assignAnalysis gives the case's analysis to its owner (the quality office
// when it has none), replacing an earlier analysis task.
func (s *Service) assignAnalysis(ctx context.Context, tx *sql.Tx, a auth.Actor, n Nonconformity, today time.Time) error {
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ncRef(n.ID), Kind: work.KindAct}, work.StateCancelled); err != nil {
		return err
	}
	as := work.Assignee{PersonID: n.OwnerID}
	if n.OwnerID == 0 {
		as = work.Assignee{Role: auth.RoleQualityManager}
	}
	_, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: ncRef(n.ID), Kind: work.KindAct, Title: n.Code + " " + n.Title, Details: "Analizați cauza, consemnați corecția și planificați acțiunile corective.",
		Link: ncLink(n.ID), Assignee: as, Due: today.AddDate(0, 0, analysisDays), Priority: priorityOf(n.Severity)})
	return err
}

// closeAll ends a declined or cancelled case's work: its tasks, its open
// actions (cancelled, with their tasks) and a pending check.
func (s *Service) closeAll(ctx context.Context, tx *sql.Tx, a auth.Actor, n Nonconformity, now time.Time) error {
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ncRef(n.ID)}, work.StateCancelled); err != nil {
		return err
	}
	if err := s.cancelOpenActions(ctx, tx, a, parentNC(n.ID), now); err != nil {
		return err
	}
	if c, ok, err := pendingCheck(ctx, tx, n.Tenant, n.ID); err != nil {
		return err
	} else if ok {
		if _, err := tx.ExecContext(ctx, `DELETE FROM nc_checks WHERE tenant_id = $1 AND id = $2`, n.Tenant, c.ID); err != nil {
			return fmt.Errorf("cannot cancel check: %w", err)
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: checkRef(c.ID)}, work.StateCancelled); err != nil {
			return err
		}
	}
	return nil
}

// Check is one effectiveness check of a case.
type Check struct {
	ID          int64  `json:"id"`
	CheckerID   int64  `json:"checker_id"`
	PlannedOn   string `json:"planned_on"`
	Verdict     string `json:"verdict,omitempty"`
	Note        string `json:"note,omitempty"`
	CheckedOn   string `json:"checked_on,omitempty"`
	CheckedBy   string `json:"checked_by,omitempty"`
	CheckerName string `json:"checker_name"`
}

const checkColumns = `c.id, c.checker_id, c.planned_on, c.verdict, c.note, c.checked_on, c.checked_by, COALESCE(p.full_name, '')`

func scanCheck(row interface{ Scan(...any) error }) (Check, error) {
	var c Check
	err := row.Scan(&c.ID, &c.CheckerID, &c.PlannedOn, &c.Verdict, &c.Note, &c.CheckedOn, &c.CheckedBy, &c.CheckerName)
	return c, err
}

func pendingCheck(ctx context.Context, q querier, tenant, nc int64) (Check, bool, error) {
	c, err := scanCheck(q.QueryRowContext(ctx, `SELECT `+checkColumns+` FROM nc_checks c LEFT JOIN people p ON p.id = c.checker_id
		WHERE c.tenant_id = $1 AND c.nc_id = $2 AND c.verdict = '' ORDER BY c.id DESC LIMIT 1`, tenant, nc))
	if err == sql.ErrNoRows {
		return Check{}, false, nil
	}
	if err != nil {
		return Check{}, false, fmt.Errorf("cannot read check: %w", err)
	}
	return c, true, nil
}

func checks(ctx context.Context, q querier, tenant, nc int64) ([]Check, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+checkColumns+` FROM nc_checks c LEFT JOIN people p ON p.id = c.checker_id
		WHERE c.tenant_id = $1 AND c.nc_id = $2 ORDER BY c.id`, tenant, nc)
	if err != nil {
		return nil, fmt.Errorf("cannot read checks: %w", err)
	}
	defer rows.Close()
	var out []Check
	for rows.Next() {
		c, err := scanCheck(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read checks: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// planCheck records the effectiveness check a case waits for: a checker
// who is neither the case's owner nor the owner of any of its actions, and
// has a sign-in to record the verdict with, on a day not in the past.
func (s *Service) planCheck(ctx context.Context, tx *sql.Tx, a auth.Actor, n Nonconformity, in StepInput, today, now time.Time) error {
	bad := apperr.Validation{}
	if in.CheckerID == 0 {
		bad.Add("checker_id", "error.required")
	}
	on, ok := parseDay(strings.TrimSpace(in.CheckOn))
	switch {
	case strings.TrimSpace(in.CheckOn) == "":
		bad.Add("check_on", "error.required")
	case !ok:
		bad.Add("check_on", "error.date")
	case on.Before(today):
		bad.Add("check_on", "nc.error.past")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	if err := checkRefs(ctx, tx, a.Tenant, 0, map[string]int64{"checker_id": in.CheckerID}); err != nil {
		return err
	}
	if in.CheckerID == n.OwnerID {
		return apperr.Validation{"checker_id": "nc.error.checker_owner"}
	}
	var owners int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM improvement_actions WHERE tenant_id = $1 AND nc_id = $2 AND owner_id = $3 AND state <> $4`,
		a.Tenant, n.ID, in.CheckerID, ActionCancelled).Scan(&owners); err != nil {
		return fmt.Errorf("cannot check the checker: %w", err)
	}
	if owners > 0 {
		return apperr.Validation{"checker_id": "nc.error.checker_action_owner"}
	}
	var users int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND person_id = $2 AND NOT disabled`, a.Tenant, in.CheckerID).Scan(&users); err != nil {
		return fmt.Errorf("cannot check the checker: %w", err)
	}
	if users == 0 {
		return apperr.Validation{"checker_id": "nc.error.checker_no_account"}
	}
	var cid int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO nc_checks (tenant_id, nc_id, checker_id, planned_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		a.Tenant, n.ID, in.CheckerID, on.Format(time.DateOnly), now).Scan(&cid); err != nil {
		return fmt.Errorf("cannot plan check: %w", err)
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "nc_check", EntityID: cid,
		Summary: n.Code, After: Check{ID: cid, CheckerID: in.CheckerID, PlannedOn: on.Format(time.DateOnly)}}); err != nil {
		return err
	}
	_, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: checkRef(cid), Kind: work.KindApprove, Title: n.Code + " " + n.Title, Details: "Verificați eficacitatea acțiunilor corective și consemnați rezultatul.",
		Link: ncLink(n.ID) + "#checks", Assignee: work.Assignee{PersonID: in.CheckerID}, Due: on})
	return err
}

// recordVerdict writes the checker's verdict on the pending check.
func (s *Service) recordVerdict(ctx context.Context, tx *sql.Tx, a auth.Actor, n Nonconformity, action, reason string, today time.Time) error {
	c, ok, err := pendingCheck(ctx, tx, a.Tenant, n.ID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Conflict("workflow.error.transition")
	}
	verdict := VerdictEffective
	if action == ActNotEffective {
		verdict = VerdictNotEffective
	}
	if _, err := tx.ExecContext(ctx, `UPDATE nc_checks SET verdict = $1, note = $2, checked_on = $3, checked_by = $4 WHERE tenant_id = $5 AND id = $6`,
		verdict, reason, today.Format(time.DateOnly), a.Name, a.Tenant, c.ID); err != nil {
		return fmt.Errorf("cannot record verdict: %w", err)
	}
	after := c
	after.Verdict, after.Note, after.CheckedOn, after.CheckedBy = verdict, reason, today.Format(time.DateOnly), a.Name
	if err := audit.Record(ctx, tx, s.Clock.Now(), audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "nc_check", EntityID: c.ID,
		Summary: n.Code + ": " + verdict, Before: c, After: after}); err != nil {
		return err
	}
	_, err = s.Work.Close(ctx, tx, a, work.Selector{Ref: checkRef(c.ID)}, work.StateDone)
	return err
}

// View is a case with everything its page shows and what the actor may do.
type View struct {
	NC       Nonconformity
	Analysis Analysis
	Actions  []Action
	Checks   []Check
	History  []StepRecord
	// Moves are the workflow actions the actor may take now.
	Moves []string
	// MayEdit: the details; MayAnalyse: the root cause and the actions.
	MayEdit, MayAnalyse bool
	// Pending is the check the case waits for, if any.
	Pending *Check
}

// Open returns a case with its analysis, actions, checks and history.
func (s *Service) Open(ctx context.Context, a auth.Actor, id int64) (View, error) {
	n, err := s.Nonconformity(ctx, a, id)
	if err != nil {
		return View{}, err
	}
	v := View{NC: n, MayEdit: MayEdit(a, n), MayAnalyse: owns(a, n) && (n.State == StateAnalysis || n.State == StateActions)}
	if v.Analysis, err = analysis(ctx, s.DB.R, a.Tenant, n); err != nil {
		return View{}, err
	}
	if v.Actions, err = actionsOf(ctx, s.DB.R, a.Tenant, parentNC(id)); err != nil {
		return View{}, err
	}
	if v.Checks, err = checks(ctx, s.DB.R, a.Tenant, id); err != nil {
		return View{}, err
	}
	for i := range v.Checks {
		if v.Checks[i].Verdict == "" {
			v.Pending = &v.Checks[i]
		}
	}
	if v.History, err = steps(ctx, s.DB.R, a.Tenant, "nonconformity", id); err != nil {
		return View{}, err
	}
	g, err := s.gate(ctx, s.DB.R, n)
	if err != nil {
		return View{}, err
	}
	moves := NCFlow.Actions(workflow.State(n.State), a, g)
	// Planning and verification are shown to the owner even while the
	// guard refuses them for a missing root cause or open actions, so the
	// page can say what is missing.
	if owns(a, n) && n.State == StateAnalysis {
		moves = append(moves, ActPlan)
	}
	if owns(a, n) && n.State == StateActions {
		moves = append(moves, ActVerify)
	}
	for _, act := range []string{ActAccept, ActDecline, ActPlan, ActVerify, ActEffective, ActNotEffective, ActCancel} {
		if slices.Contains(moves, act) {
			v.Moves = append(v.Moves, act)
		}
	}
	return v, nil
}
