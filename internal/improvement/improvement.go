// Package improvement holds nonconformities and their corrective actions
// (ISO 9001 clause 10.2) and improvement proposals (clause 10.3).
//
// A nonconformity (neconformitate) is reported by anyone who may report,
// triaged by the quality office, analysed for its root cause (five whys and
// a cause-and-effect grid), corrected by actions that reach their owners'
// inboxes, and closed only after a different person found the actions
// effective; not effective sends it back to analysis. One state machine,
// NCFlow in nc_workflow.go, governs it.
//
// An improvement proposal (propunere de îmbunătățire) comes from any
// employee; the quality office evaluates it and turns it into actions or
// declines it with a reason (ProposalFlow in proposals.go).
//
// Other modules raise nonconformities inside their own transaction with
// Service.Raise (an audit finding, an indicator out of target).
package improvement

import (
	"slices"
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Module names the module in tasks.
const Module = "improvement"

// Sources of a nonconformity.
const (
	SourceInternalAudit = "internal_audit"
	SourceExternalAudit = "external_audit"
	SourceComplaint     = "complaint"
	SourceIndicator     = "indicator"
	SourceEmployee      = "employee"
	SourceReview        = "management_review"
	SourceOther         = "other"
)

// Sources lists every source in the order forms show them.
var Sources = []string{SourceInternalAudit, SourceExternalAudit, SourceComplaint, SourceIndicator, SourceEmployee, SourceReview, SourceOther}

// Severities of a nonconformity, gravest first.
const (
	SeverityMajor       = "major"
	SeverityMinor       = "minor"
	SeverityObservation = "observation"
	SeverityOpportunity = "opportunity" // an opportunity for improvement, from an audit
)

// Severities lists the severities, gravest first.
var Severities = []string{SeverityMajor, SeverityMinor, SeverityObservation, SeverityOpportunity}

// severityRank orders severities for sorting: the gravest first.
var severityRank = map[string]int{SeverityMajor: 1, SeverityMinor: 2, SeverityObservation: 3, SeverityOpportunity: 4}

// States of a nonconformity, in workflow order.
const (
	StateReported     = "reported"     // waiting for the quality office
	StateAnalysis     = "analysis"     // correction and root cause
	StateActions      = "actions"      // corrective actions planned and carried out
	StateVerification = "verification" // waiting for the effectiveness check
	StateClosed       = "closed"       // found effective
	StateDeclined     = "declined"     // not a nonconformity
	StateCancelled    = "cancelled"    // withdrawn by the quality office
)

// States lists every state of a nonconformity.
var States = []string{StateReported, StateAnalysis, StateActions, StateVerification, StateClosed, StateDeclined, StateCancelled}

// OpenStates are the states of a case still being worked on.
var OpenStates = []string{StateReported, StateAnalysis, StateActions, StateVerification}

// IsOpen reports whether a case in state is still being worked on.
func IsOpen(state string) bool { return slices.Contains(OpenStates, state) }

// Categories of the cause-and-effect grid, the usual ones for a public
// service.
const (
	CatPeople      = "people"      // oameni
	CatMethods     = "methods"     // metode și proceduri
	CatEquipment   = "equipment"   // echipamente și IT
	CatMaterials   = "materials"   // materiale și informații
	CatEnvironment = "environment" // mediu
	CatMeasurement = "measurement" // măsurare
)

// Categories lists the grid's categories in the order it shows them.
var Categories = []string{CatPeople, CatMethods, CatEquipment, CatMaterials, CatEnvironment, CatMeasurement}

// States of an action.
const (
	ActionOpen      = "open"
	ActionDone      = "done"
	ActionCancelled = "cancelled"
)

// ActionStates lists the states of an action.
var ActionStates = []string{ActionOpen, ActionDone, ActionCancelled}

// Verdicts of an effectiveness check.
const (
	VerdictEffective    = "effective"
	VerdictNotEffective = "not_effective"
)

// Age buckets of open cases, by days since they were detected.
const (
	Age30   = "0-30"
	Age90   = "31-90"
	Age180  = "91-180"
	AgeOver = "180+"
)

// AgeBuckets lists the buckets, youngest first.
var AgeBuckets = []string{Age30, Age90, Age180, AgeOver}

// ageBounds are the bucket's smallest and largest age in days (-1: no bound).
var ageBounds = map[string][2]int{Age30: {0, 30}, Age90: {31, 90}, Age180: {91, 180}, AgeOver: {181, -1}}

// Limits.
const (
	MaxTitle  = 300
	MaxText   = 10_000
	MaxShort  = 300
	MaxNote   = 4000
	MaxWhys   = 10
	MaxCauses = 60
	// MaxImportRows caps one import: the log of a large municipality.
	MaxImportRows = 10_000
)

// Days people get, by default, for their part.
const (
	triageDays   = 5  // the quality office accepts or declines a report
	analysisDays = 30 // the owner analyses the case
	evalDays     = 10 // the quality office evaluates a proposal
)

// Service keeps nonconformities, corrective actions and proposals.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
}

// today is the civil day in Bucharest.
func (s *Service) today() time.Time { return work.Day(s.Clock.Now()) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// parseDay reads a YYYY-MM-DD day.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
