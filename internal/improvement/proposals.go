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
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// States of an improvement proposal.
const (
	PropSubmitted   = "submitted"   // waiting for the quality office
	PropEvaluation  = "evaluation"  // being evaluated
	PropAccepted    = "accepted"    // turned into actions, being carried out
	PropDeclined    = "declined"    // declined, with the reason the proposer sees
	PropImplemented = "implemented" // every action done
)

// PropStates lists every state of a proposal.
var PropStates = []string{PropSubmitted, PropEvaluation, PropAccepted, PropDeclined, PropImplemented}

// Actions on a proposal.
const (
	ActEvaluate  = "evaluate"  // the quality office starts evaluating
	ActAcceptP   = "accept"    // accepted, its actions go to their owners
	ActDeclineP  = "decline"   // declined with a reason
	ActImplement = "implement" // the last action was done (Cadran does it)
)

// Proposal is an improvement proposal.
type Proposal struct {
	ID           int64     `json:"id"`
	Tenant       int64     `json:"tenant_id"`
	Code         string    `json:"code"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	Benefit      string    `json:"benefit,omitempty"`
	UnitID       int64     `json:"unit_id,omitempty"`
	Process      string    `json:"process,omitempty"`
	ProposerUser int64     `json:"proposer_user,omitempty"`
	ProposerID   int64     `json:"proposer_id,omitempty"`
	ProposerName string    `json:"proposer_name"`
	State        string    `json:"state"`
	Decision     string    `json:"decision,omitempty"`
	SubmittedOn  string    `json:"submitted_on"`
	DecidedOn    string    `json:"decided_on,omitempty"`
	CreatedAt    time.Time `json:"-"`
	UpdatedAt    time.Time `json:"-"`
	Version      int       `json:"version"`
	// Filled in by reads.
	UnitName string `json:"-"`
}

// Mine reports whether a proposed it.
func (p Proposal) Mine(a auth.Actor) bool { return a.UserID != 0 && a.UserID == p.ProposerUser }

// ProposalInput is the proposal form.
type ProposalInput struct {
	Title       string
	Description string
	Benefit     string
	UnitID      int64
	Process     string
}

// Validate checks and normalises the input.
func (in *ProposalInput) Validate() error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Description = textutil.CleanText(in.Description)
	in.Benefit = textutil.CleanText(in.Benefit)
	in.Process = textutil.Clean(in.Process)
	switch {
	case in.Title == "":
		v.Add("title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("title", "error.too_long")
	}
	switch {
	case in.Description == "":
		v.Add("description", "error.required")
	case utf8.RuneCountInString(in.Description) > MaxText:
		v.Add("description", "error.too_long")
	}
	if utf8.RuneCountInString(in.Benefit) > MaxNote {
		v.Add("benefit", "error.too_long")
	}
	if utf8.RuneCountInString(in.Process) > 200 {
		v.Add("process", "error.too_long")
	}
	return v.Err()
}

const proposalColumns = `r.id, r.tenant_id, r.code, r.title, r.description, r.benefit, COALESCE(r.unit_id, 0), r.process, r.proposer_user,
	COALESCE(r.proposer_id, 0), r.proposer_name, r.state, r.decision, r.submitted_on, r.decided_on, r.created_at, r.updated_at, r.version, COALESCE(u.name, '')`

const proposalFrom = ` FROM improvement_proposals r LEFT JOIN units u ON u.id = r.unit_id`

func scanProposal(row interface{ Scan(...any) error }) (Proposal, error) {
	var p Proposal
	err := row.Scan(&p.ID, &p.Tenant, &p.Code, &p.Title, &p.Description, &p.Benefit, &p.UnitID, &p.Process, &p.ProposerUser,
		&p.ProposerID, &p.ProposerName, &p.State, &p.Decision, &p.SubmittedOn, &p.DecidedOn, &p.CreatedAt, &p.UpdatedAt, &p.Version, &p.UnitName)
	return p, err
}

func getProposal(ctx context.Context, q querier, tenant, id int64) (Proposal, error) {
	p, err := scanProposal(q.QueryRowContext(ctx, `SELECT `+proposalColumns+proposalFrom+` WHERE r.tenant_id = $1 AND r.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Proposal{}, apperr.NotFound("proposal")
	}
	if err != nil {
		return Proposal{}, fmt.Errorf("cannot read proposal: %w", err)
	}
	return p, nil
}

func proposalRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "proposal", ID: id} }
func proposalLink(id int64) string  { return fmt.Sprintf("/proposals/%d", id) }

// Proposal returns one proposal of the actor's institution.
func (s *Service) Proposal(ctx context.Context, a auth.Actor, id int64) (Proposal, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return Proposal{}, err
	}
	return getProposal(ctx, s.DB.R, a.Tenant, id)
}

// Submit records an improvement proposal from anyone with improve.report;
// the quality office gets it in its inbox to evaluate.
func (s *Service) Submit(ctx context.Context, a auth.Actor, in ProposalInput) (Proposal, error) {
	if err := a.Require(auth.PermImproveReport); err != nil {
		return Proposal{}, err
	}
	if err := in.Validate(); err != nil {
		return Proposal{}, err
	}
	var p Proposal
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.SubmitTx(ctx, tx, a, in)
		return err
	})
	return p, err
}

// SubmitTx is Submit inside the caller's transaction, for the generators
// that record many proposals in one; the input is validated here too.
func (s *Service) SubmitTx(ctx context.Context, tx *sql.Tx, a auth.Actor, in ProposalInput) (Proposal, error) {
	if err := a.Require(auth.PermImproveReport); err != nil {
		return Proposal{}, err
	}
	if err := in.Validate(); err != nil {
		return Proposal{}, err
	}
	now := s.Clock.Now()
	today := work.Day(now)
	var p Proposal
	err := func() error {
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, nil); err != nil {
			return err
		}
		num, err := nextNumber(ctx, tx, a.Tenant, "PI", today.Year())
		if err != nil {
			return err
		}
		code, sortKey := codeOf("PI", today.Year(), num)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO improvement_proposals (tenant_id, code, sort_code, title, description, benefit, unit_id, process,
				proposer_user, proposer_id, proposer_name, state, submitted_on, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			a.Tenant, code, sortKey, in.Title, in.Description, in.Benefit, nullID(in.UnitID), in.Process, a.UserID, nullID(a.PersonID), a.Name,
			PropSubmitted, today.Format(time.DateOnly), textutil.Fold(code+" "+in.Title+" "+in.Process), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record proposal: %w", err)
		}
		if p, err = getProposal(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "proposal", EntityID: id,
			Summary: p.Code + " " + p.Title, After: p}); err != nil {
			return err
		}
		if err := recordStep(ctx, tx, a, "proposal", id, "submit", "", PropSubmitted, "", now); err != nil {
			return err
		}
		_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: proposalRef(id), Kind: work.KindApprove, Title: p.Code + " " + p.Title, Details: "Evaluați propunerea de îmbunătățire.",
			Link: proposalLink(id), Assignee: work.Assignee{Role: auth.RoleQualityManager}, Due: today.AddDate(0, 0, evalDays)})
		return err
	}()
	return p, err
}

// ProposalTx reads a proposal inside the caller's transaction.
func (s *Service) ProposalTx(ctx context.Context, tx *sql.Tx, tenant, id int64) (Proposal, error) {
	return getProposal(ctx, tx, tenant, id)
}

// propGate is a proposal with its actions' counts, for the guards.
type propGate struct {
	p          Proposal
	open, done int
}

// ProposalFlow is a proposal's workflow: submitted, under evaluation,
// then accepted (with at least one action) or declined with a reason; an
// accepted proposal is implemented when its last action is done.
var ProposalFlow = workflow.New("proposal", PropSubmitted,
	[]workflow.State{PropSubmitted, PropEvaluation, PropAccepted, PropDeclined, PropImplemented},
	workflow.Transition[propGate]{Name: ActEvaluate, From: []workflow.State{PropSubmitted}, To: PropEvaluation, Perm: auth.PermImproveManage},
	workflow.Transition[propGate]{Name: ActAcceptP, From: []workflow.State{PropSubmitted, PropEvaluation}, To: PropAccepted, Perm: auth.PermImproveManage,
		Guard: func(a auth.Actor, g propGate) error {
			if g.open == 0 {
				return apperr.Conflict("proposal.error.no_action")
			}
			return nil
		}},
	workflow.Transition[propGate]{Name: ActDeclineP, From: []workflow.State{PropSubmitted, PropEvaluation}, To: PropDeclined, Perm: auth.PermImproveManage, Reason: true},
	workflow.Transition[propGate]{Name: ActImplement, From: []workflow.State{PropAccepted}, To: PropImplemented,
		Guard: func(a auth.Actor, g propGate) error {
			if g.open > 0 || g.done == 0 {
				return apperr.Conflict("nc.error.actions_open")
			}
			return nil
		}},
)

func (s *Service) propGate(ctx context.Context, q querier, p Proposal) (propGate, error) {
	g := propGate{p: p}
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN state = $3 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN state = $4 THEN 1 ELSE 0 END), 0)
		FROM improvement_actions WHERE tenant_id = $1 AND proposal_id = $2`, p.Tenant, p.ID, ActionOpen, ActionDone).Scan(&g.open, &g.done)
	if err != nil {
		return g, fmt.Errorf("cannot count actions: %w", err)
	}
	return g, nil
}

// ProposalStep moves a proposal through ProposalFlow. Accepting hands its
// open actions to their owners; declining cancels them. The quality
// office's evaluation task closes with the decision.
func (s *Service) ProposalStep(ctx context.Context, a auth.Actor, id int64, in StepInput) (Proposal, error) {
	if in.Action == ActImplement {
		return Proposal{}, apperr.Conflict("workflow.error.transition")
	}
	var out Proposal
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.ProposalStepTx(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

// ProposalStepTx is ProposalStep inside the caller's transaction.
func (s *Service) ProposalStepTx(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, in StepInput) (Proposal, error) {
	if in.Action == ActImplement {
		return Proposal{}, apperr.Conflict("workflow.error.transition")
	}
	now := s.Clock.Now()
	var out Proposal
	err := func() error {
		p, err := getProposal(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		g, err := s.propGate(ctx, tx, p)
		if err != nil {
			return err
		}
		step, err := ProposalFlow.Fire(workflow.State(p.State), in.Action, a, g, in.Reason, now)
		if err != nil {
			return err
		}
		if p.Version != in.Version {
			return apperr.Stale()
		}
		if err := s.moveProposal(ctx, tx, a, p, step, now); err != nil {
			return err
		}
		switch in.Action {
		case ActAcceptP:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: proposalRef(id)}, work.StateDone); err != nil {
				return err
			}
			list, err := actionsOf(ctx, tx, a.Tenant, parentProposal(id))
			if err != nil {
				return err
			}
			ps := parentState{code: p.Code, title: p.Title, link: proposalLink(id)}
			for _, x := range list {
				if x.State == ActionOpen {
					if _, err := s.Work.Assign(ctx, tx, a, actionTask(ps, x)); err != nil {
						return err
					}
				}
			}
		case ActDeclineP:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: proposalRef(id)}, work.StateDone); err != nil {
				return err
			}
			if err := s.cancelOpenActions(ctx, tx, a, parentProposal(id), now); err != nil {
				return err
			}
		}
		out, err = getProposal(ctx, tx, a.Tenant, id)
		return err
	}()
	return out, err
}

// moveProposal writes a proposal's new state, its step and the audit event.
func (s *Service) moveProposal(ctx context.Context, tx *sql.Tx, a auth.Actor, p Proposal, step workflow.Step, now time.Time) error {
	decision, decided := p.Decision, p.DecidedOn
	if step.To == PropAccepted || step.To == PropDeclined {
		decision, decided = step.Reason, work.Day(now).Format(time.DateOnly)
	}
	res, err := tx.ExecContext(ctx, `UPDATE improvement_proposals SET state = $1, decision = $2, decided_on = $3, updated_at = $4, version = version + 1
		WHERE tenant_id = $5 AND id = $6 AND version = $7`, string(step.To), decision, decided, now, a.Tenant, p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("cannot move proposal: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return apperr.Stale()
	}
	if err := recordStep(ctx, tx, a, "proposal", p.ID, step.Action, string(step.From), string(step.To), step.Reason, now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "proposal", EntityID: p.ID,
		Summary: p.Code + ": " + step.Action, After: step})
}

// implementIfDone marks an accepted proposal implemented once its last
// open action is done.
func (s *Service) implementIfDone(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, now time.Time) error {
	p, err := getProposal(ctx, tx, a.Tenant, id)
	if err != nil {
		return err
	}
	g, err := s.propGate(ctx, tx, p)
	if err != nil {
		return err
	}
	step, err := ProposalFlow.Fire(workflow.State(p.State), ActImplement, a, g, "", now)
	if err != nil {
		return nil // actions remain: nothing to do yet
	}
	return s.moveProposal(ctx, tx, a, p, step, now)
}

// ProposalView is a proposal with its actions, history and what the actor
// may do.
type ProposalView struct {
	Proposal Proposal
	Actions  []Action
	History  []StepRecord
	Moves    []string
	// MayPlan: the actor may add actions now.
	MayPlan bool
}

// OpenProposal returns a proposal with its actions and history.
func (s *Service) OpenProposal(ctx context.Context, a auth.Actor, id int64) (ProposalView, error) {
	p, err := s.Proposal(ctx, a, id)
	if err != nil {
		return ProposalView{}, err
	}
	v := ProposalView{Proposal: p, MayPlan: manages(a) && (p.State == PropSubmitted || p.State == PropEvaluation || p.State == PropAccepted)}
	if v.Actions, err = actionsOf(ctx, s.DB.R, a.Tenant, parentProposal(id)); err != nil {
		return ProposalView{}, err
	}
	if v.History, err = steps(ctx, s.DB.R, a.Tenant, "proposal", id); err != nil {
		return ProposalView{}, err
	}
	g, err := s.propGate(ctx, s.DB.R, p)
	if err != nil {
		return ProposalView{}, err
	}
	moves := ProposalFlow.Actions(workflow.State(p.State), a, g)
	// Acceptance is offered while it lacks an action, so the page can say
	// that it needs one first.
	if manages(a) && (p.State == PropSubmitted || p.State == PropEvaluation) {
		moves = append(moves, ActAcceptP)
	}
	for _, m := range []string{ActEvaluate, ActAcceptP, ActDeclineP} {
		if slices.Contains(moves, m) {
			v.Moves = append(v.Moves, m)
		}
	}
	return v, nil
}

// ProposalFilter narrows the list of proposals.
type ProposalFilter struct {
	Query  string
	State  string // a PropStates value, or "open" (submitted, evaluation, accepted)
	UnitID int64
	Mine   bool // only the actor's own
	Sort   string
	Limit  int
	Offset int
}

var proposalSorts = map[string]string{
	"code":      "r.sort_code",
	"submitted": "r.submitted_on",
	"state":     "r.state",
	"unit":      "COALESCE(u.sort_name, '')",
	"title":     "r.title",
}

// ProposalSorts lists the accepted sort keys.
func ProposalSorts() []string { return []string{"code", "title", "unit", "submitted", "state"} }

// Proposals lists the institution's proposals matching f and the total.
func (s *Service) Proposals(ctx context.Context, a auth.Actor, f ProposalFilter) ([]Proposal, int, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE r.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(cond, len(args))
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(` AND r.search_text LIKE $%d ESCAPE '\'`, db.LikePattern(q))
	}
	switch f.State {
	case "":
	case "open":
		where += ` AND r.state IN ('submitted', 'evaluation', 'accepted')`
	default:
		add(` AND r.state = $%d`, f.State)
	}
	if f.UnitID != 0 {
		add(` AND r.unit_id IN (`+subtreeSQL+`)`, f.UnitID)
	}
	if f.Mine {
		add(` AND r.proposer_user = $%d`, a.UserID)
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM improvement_proposals r`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count proposals: %w", err)
	}
	if f.Sort == "" {
		f.Sort = "-code"
	}
	page, args := db.OrderPage(proposalSorts, f.Sort, "code", "r.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+proposalColumns+proposalFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list proposals: %w", err)
	}
	defer rows.Close()
	var out []Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot list proposals: %w", err)
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}
