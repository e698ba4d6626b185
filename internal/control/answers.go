package control

import (
	"context"
	"time"

	"cadran/internal/auth"
	"cadran/internal/frameworks"
)

// Answer is a compartment's answer to one question.
type Answer struct {
	Question    string
	Standard    int
	Answer      string // AnswerYes, AnswerNo, AnswerNA; "" not answered
	Explanation string
	UpdatedAt   time.Time
	UpdatedBy   string
	Version     int
}

// Evidence backs a compartment's answers to a standard.
type Evidence struct {
	ID           int64
	EvaluationID int64
	UnitID       int64
	Standard     int
	Question     string
	Kind         string
	Entity       string
	EntityID     int64
	Title        string
	Href         string
	Notes        string
	AddedBy      string
	CreatedAt    time.Time
}

// StandardAnswers is one standard of a compartment's questionnaire.
type StandardAnswers struct {
	Standard frameworks.OSGGStandard
	// One per question of the standard, in the model's order.
	Answers  []Answer
	Status   string // UnitStatus of the answers
	Evidence []Evidence
}

// Questionnaire is a compartment's questionnaire in an evaluation.
type Questionnaire struct {
	Evaluation Evaluation
	Unit       EvalUnit
	Components []frameworks.OSGGComponent
	Standards  []StandardAnswers
	// MayAnswer: the actor may change the answers (the evaluation is open,
	// the questionnaire not submitted, the actor heads the compartment or
	// manages).
	MayAnswer bool
}

// AnswerInput is one answer as entered.
type AnswerInput struct {
	Question    string
	Answer      string
	Explanation string
}

// EvidenceInput links a record, or writes a note, as evidence.
type EvidenceInput struct {
	Standard int
	Question string
	Kind     string
	Entity   string
	EntityID int64
	Title    string
	Href     string
	Notes    string
}

// EvidenceOption is a record of the institution that may be linked as
// evidence (documents, risks, cases, audits, reviews, KPIs).
type EvidenceOption struct {
	Kind     string
	Entity   string
	EntityID int64
	Title    string
	Href     string
}

// Questionnaire returns a compartment's questionnaire.
func (s *Service) Questionnaire(ctx context.Context, a auth.Actor, evalID, unitID int64) (Questionnaire, error) {
	return Questionnaire{}, errNotImplemented
}

// SaveAnswers saves a compartment's answers to one standard's questions
// (every question of the standard, each audited when it changed).
func (s *Service) SaveAnswers(ctx context.Context, a auth.Actor, evalID, unitID int64, standard int, in []AnswerInput) error {
	return errNotImplemented
}

// SubmitUnit submits a compartment's questionnaire: every question must be
// answered; the head's task closes.
func (s *Service) SubmitUnit(ctx context.Context, a auth.Actor, evalID, unitID int64) error {
	return errNotImplemented
}

// ReopenUnit sends a submitted questionnaire back to its compartment while
// the evaluation is open.
func (s *Service) ReopenUnit(ctx context.Context, a auth.Actor, evalID, unitID int64) error {
	return errNotImplemented
}

// AddEvidence links a record or a note to a compartment's standard.
func (s *Service) AddEvidence(ctx context.Context, a auth.Actor, evalID, unitID int64, in EvidenceInput) (Evidence, error) {
	return Evidence{}, errNotImplemented
}

// RemoveEvidence removes one piece of evidence.
func (s *Service) RemoveEvidence(ctx context.Context, a auth.Actor, evalID, unitID, evidenceID int64) error {
	return errNotImplemented
}

// EvidenceOptions lists records matching q that may back an answer.
func (s *Service) EvidenceOptions(ctx context.Context, a auth.Actor, q string, limit int) ([]EvidenceOption, error) {
	return nil, errNotImplemented
}
