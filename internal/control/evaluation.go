package control

import (
	"context"
	"time"

	"cadran/internal/auth"
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
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
	// Filled in by reads: compartments taking part and those that submitted.
	Units, Submitted int
}

// EvaluationInput opens a yearly self-evaluation.
type EvaluationInput struct {
	Year  int
	DueOn string
	// The compartments that answer; empty: every active unit of the
	// institution.
	Units []int64
}

// EvaluationEdit changes an evaluation's dates and texts.
type EvaluationEdit struct {
	DueOn       string
	ReportNo    string
	Conclusions string
	ReportText  string
	Version     int
}

// Transition moves an evaluation: to consolidated (answers locked), back to
// open, or to approved (ApprovedBy and ApprovedOn required).
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

// OpenEvaluation opens the self-evaluation of in.Year: every compartment's
// head gets a task to answer the questionnaire by in.DueOn.
func (s *Service) OpenEvaluation(ctx context.Context, a auth.Actor, in EvaluationInput) (Evaluation, error) {
	return Evaluation{}, errNotImplemented
}

// Evaluation returns one evaluation.
func (s *Service) Evaluation(ctx context.Context, a auth.Actor, id int64) (Evaluation, error) {
	return Evaluation{}, errNotImplemented
}

// Evaluations lists the institution's evaluations, the latest year first.
func (s *Service) Evaluations(ctx context.Context, a auth.Actor) ([]Evaluation, error) {
	return nil, errNotImplemented
}

// UpdateEvaluation changes an evaluation's due date and texts.
func (s *Service) UpdateEvaluation(ctx context.Context, a auth.Actor, id int64, in EvaluationEdit) (Evaluation, error) {
	return Evaluation{}, errNotImplemented
}

// MoveEvaluation moves an evaluation through its workflow.
func (s *Service) MoveEvaluation(ctx context.Context, a auth.Actor, id int64, t Transition) (Evaluation, error) {
	return Evaluation{}, errNotImplemented
}

// EvalUnits lists the compartments of an evaluation with their progress.
// A head of unit who may not manage sees only their compartments.
func (s *Service) EvalUnits(ctx context.Context, a auth.Actor, evalID int64) ([]EvalUnit, error) {
	return nil, errNotImplemented
}

// AddEvalUnit adds a compartment to an open evaluation (its head gets the
// task).
func (s *Service) AddEvalUnit(ctx context.Context, a auth.Actor, evalID, unitID int64) error {
	return errNotImplemented
}
