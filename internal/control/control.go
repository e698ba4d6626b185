// Package control is internal managerial control (OSGG 600/2018), run by
// the same office as the quality system: the yearly self-evaluation of the
// 16 standards (frameworks.OSGG) by every compartment, rolled up into the
// institution's summary and the system's grade; the development programme
// of the control system with its objectives and actions; the monitoring
// commission and the risk management team with their members, meetings,
// minutes and decisions; the inventory of sensitive functions with the
// people in them and the measures that reduce their risk; and procedure
// coverage, the activities of each compartment against the procedures
// that cover them.
//
// The files: evaluation.go (the yearly self-evaluation, its compartments
// and workflow; answers.go the questionnaire, its answers and evidence;
// summary.go the institution's summary; grading.go the arithmetic),
// settings.go, programme.go (the development programme; actions.go its
// actions), bodies.go (commission and risk team; meetings.go their
// meetings and decisions), sensitive.go (sensitive functions, holders and
// measures), coverage.go (activities and the procedures covering them),
// metrics.go (scorecard metrics) and evidence.go (review facts).
package control

import (
	"errors"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "control"

// Entities in the audit trail.
const (
	EntityEvaluation = "control_evaluation"
	EntityEvalUnit   = "control_eval_unit"
	EntityAnswer     = "control_answer"
	EntityEvidence   = "control_evidence"
	EntityMeasures   = "control_eval_standard"
	EntitySettings   = "control_settings"
	EntityProgramme  = "control_programme"
	EntityObjective  = "control_objective"
	EntityAction     = "control_action"
	EntityBody       = "control_body"
	EntityMember     = "control_body_member"
	EntityMeeting    = "control_meeting"
	EntityDecision   = "control_decision"
	EntitySensitive  = "control_sensitive_function"
	EntityHolder     = "control_sensitive_holder"
	EntitySMeasure   = "control_sensitive_measure"
	EntityActivity   = "control_activity"
)

// Service is the internal managerial control module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
}

// States of a yearly self-evaluation.
const (
	EvalOpen         = "open"         // compartments answer
	EvalConsolidated = "consolidated" // answers locked, the summary drawn up
	EvalApproved     = "approved"     // the summary approved, the yearly report signed
)

// EvalStates lists the evaluation states in workflow order.
var EvalStates = []string{EvalOpen, EvalConsolidated, EvalApproved}

// States of a compartment's questionnaire.
const (
	UnitPending   = "pending"
	UnitSubmitted = "submitted"
)

// Answers to a question.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
	AnswerNA  = "na" // not applicable in this compartment
)

// Answers lists the answers.
var Answers = []string{AnswerYes, AnswerNo, AnswerNA}

// The status of a standard, in a compartment or in the institution.
const (
	StatusImplemented    = "I"  // implementat
	StatusPartial        = "PI" // parțial implementat
	StatusNotImplemented = "NI" // neimplementat
	StatusNotApplicable  = "NA" // every question not applicable (a compartment only)
	StatusIncomplete     = ""   // not every question answered yet / no compartment rated it
)

// The system's grade.
const (
	GradeConform    = "conform"
	GradePartial    = "partial"     // parțial conform
	GradeNotConform = "not_conform" // neconform
)

// Kinds of evidence.
const (
	EvidenceDocument  = "document"
	EvidenceRisk      = "risk"
	EvidenceCase      = "case" // nonconformity, improvement
	EvidenceAudit     = "audit"
	EvidenceReview    = "review"
	EvidenceIndicator = "indicator"
	EvidenceTraining  = "training"
	EvidenceNote      = "note"
)

// EvidenceKinds lists the kinds of evidence.
var EvidenceKinds = []string{EvidenceDocument, EvidenceRisk, EvidenceCase, EvidenceAudit, EvidenceReview, EvidenceIndicator, EvidenceTraining, EvidenceNote}

// States of a development programme.
const (
	ProgrammeDraft    = "draft"
	ProgrammeApproved = "approved"
	ProgrammeClosed   = "closed"
)

// States of a programme action, a decision and a sensitive-function
// measure's "done" side.
const (
	ActionOpen      = "open"
	ActionDone      = "done"
	ActionCancelled = "cancelled"
)

// Kinds of body.
const (
	BodyCommission = "commission" // Comisia de monitorizare
	BodyRiskTeam   = "risk_team"  // Echipa de gestionare a riscurilor
)

// Roles in a body.
const (
	RolePresident     = "president"
	RoleVicePresident = "vice_president"
	RoleMember        = "member"
	RoleSecretary     = "secretary" // the technical secretariat
)

// States of a meeting.
const (
	MeetingPlanned = "planned"
	MeetingHeld    = "held"
)

// Risk factors that make a function sensitive (DOMAIN.md).
var SensitiveFactors = []string{"money", "assets", "information", "exclusive", "procurement", "public", "delegation", "advice"}

// Kinds of measure for a sensitive function.
var MeasureKinds = []string{"rotation", "segregation", "supervision", "dual_signature", "other"}

// States of a sensitive-function measure.
const (
	MeasurePlanned   = "planned"
	MeasureDone      = "done"
	MeasureCancelled = "cancelled"
)

// errNotImplemented marks groundwork the helpers replace.
var errNotImplemented = errors.New("not implemented yet")
