// Package caf is the CAF self-assessment (Common Assessment Framework, the
// EU public administrations' quality model): a cycle on one edition of the
// model (frameworks.CAF), for the institution or one of its units; the ten
// implementation steps as a tracked checklist; the self-assessment group;
// each member's individual assessment of every sub-criterion (evidence,
// strengths, areas for improvement, a score on the classical or the
// fine-tuned panel), hidden from the others until submitted; the consensus
// per sub-criterion; results per sub-criterion, criterion, enablers and
// results, compared with the previous cycle; evidence linked from the rest
// of Cadran; and the improvement plan, whose actions become tasks and can
// become cases in the improvement register.
//
// The files: score.go (the arithmetic), cycle.go (cycles, steps, group,
// workflow, the next cycle), assess.go (individual assessment), consensus.go,
// results.go, evidence.go, plan.go (improvement plan).
package caf

import (
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/improvement"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "caf"

// Entities in the audit trail.
const (
	EntityCycle      = "caf_cycle"
	EntityStep       = "caf_step"
	EntityMember     = "caf_member"
	EntityAssessment = "caf_assessment"
	EntityConsensus  = "caf_consensus"
	EntityEvidence   = "caf_evidence"
	EntityAction     = "caf_action"
)

// Service is the CAF module.
type Service struct {
	DB      *db.DB
	Clock   clock.Clock
	Work    work.Tasks
	Improve *improvement.Service // opens cases for improvement actions
}

// Scoring panels.
const (
	PanelClassical = "classical" // one score 0-100 per sub-criterion
	PanelFineTuned = "finetuned" // enablers: Plan, Do, Check, Act; results: trends and targets
)

// Panels lists the panels.
var Panels = []string{PanelClassical, PanelFineTuned}

// States of a cycle, in workflow order.
const (
	StatePlanning  = "planning"  // scope, group and steps being set up
	StateAssessing = "assessing" // members assess individually
	StateConsensus = "consensus" // the group agrees the scores
	StateImproving = "improving" // the improvement plan is drawn up and carried out
	StateClosed    = "closed"    // the cycle is over; its scores are the next cycle's baseline
	StateCancelled = "cancelled"
)

// States lists every state.
var States = []string{StatePlanning, StateAssessing, StateConsensus, StateImproving, StateClosed, StateCancelled}

// Steps is the number of CAF implementation steps (1 to 10, in three
// phases: start 1-2, self-assessment 3-6, improvement 7-10).
const Steps = 10

// Member roles.
const (
	RoleLeader = "leader" // the project leader
	RoleMember = "member"
)

// Evidence kinds.
const (
	EvidenceDocument      = "document"       // a document in Cadran
	EvidenceIndicator     = "indicator"      // a scorecard KPI
	EvidenceRecord        = "record"         // a register entry, an audit, a review
	EvidenceStaffSurvey   = "staff_survey"   // a staff survey summary (criterion 7)
	EvidenceCitizenSurvey = "citizen_survey" // a citizen survey summary (criterion 6)
	EvidenceNote          = "note"           // anything else, in words
)

// EvidenceKinds lists the evidence kinds.
var EvidenceKinds = []string{EvidenceDocument, EvidenceIndicator, EvidenceRecord, EvidenceStaffSurvey, EvidenceCitizenSurvey, EvidenceNote}

// Improvement action states.
const (
	ActionOpen      = "open"
	ActionDone      = "done"
	ActionCancelled = "cancelled"
)

// ActionStates lists the action states.
var ActionStates = []string{ActionOpen, ActionDone, ActionCancelled}

// WideSpread is the gap between the highest and the lowest member score of
// a sub-criterion from which the consensus view highlights disagreement.
const WideSpread = 30.0
