// Package scorecard is the Balanced Scorecard: the institution's
// perspectives, its strategic objectives (and each unit's, cascaded to the
// institution's), the strategy map's cause-and-effect links, KPIs with
// targets per period, the measurements people enter, import or send, and
// those other modules compute, the 0-100 scores rolled up by weight from
// KPI to objective, perspective, unit and institution, and the initiatives
// that carry the objectives out. Quality objectives (ISO 9001 6.2) are
// objectives of this same engine, marked quality.
//
// The files: period.go (periods of the four frequencies), score.go (the
// arithmetic: a value to a score and a status, and the weighted roll-up),
// structure.go (perspectives, objectives, links, KPIs, targets, initiatives),
// view.go (the scorecard of a month, a KPI's series, the units side by side),
// measure.go (entering, approving and correcting values), refresh.go (KPIs
// computed from other modules and from formulas, and the due-value tasks),
// import.go (values from XLSX or CSV through the shared importer),
// evidence.go (what the compliance matrix and the management review read).
package scorecard

import (
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "scorecard"

// Entities in the audit trail.
const (
	EntityPerspective = "scorecard_perspective"
	EntityObjective   = "scorecard_objective"
	EntityLink        = "scorecard_link"
	EntityKPI         = "kpi"
	EntityMeasurement = "kpi_measurement"
	EntityInitiative  = "initiative"
)

// Tasks use the inbox's kinds: work.KindReport for a value due, with the
// KPI as its record; work.KindApprove for a value waiting for its owner,
// with the measurement; work.KindAct for an initiative's end date.

// Service is the Balanced Scorecard module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Metrics are the other modules' computed figures a KPI may be fed by
	// (share of documents acknowledged, overdue corrective actions, ...).
	Metrics []evidence.MetricSource
}

// Default perspectives of the public sector, top to bottom on the map.
const (
	PerspectiveCitizens  = "citizens"  // citizens and community (mission results)
	PerspectiveFinancial = "financial" // financial stewardship
	PerspectiveProcesses = "processes" // internal processes
	PerspectiveLearning  = "learning"  // learning and growth: people, knowledge, technology
)

// DefaultPerspectives lists the defaults in map order, top first.
var DefaultPerspectives = []string{PerspectiveCitizens, PerspectiveFinancial, PerspectiveProcesses, PerspectiveLearning}

// Polarity says which way a KPI's value is good.
const (
	PolarityHigher = "higher" // higher is better
	PolarityLower  = "lower"  // lower is better
	PolarityBand   = "band"   // within a band [target, target_high]
)

// Polarities lists the polarities.
var Polarities = []string{PolarityHigher, PolarityLower, PolarityBand}

// Scoring methods: how a value becomes a 0-100 score.
const (
	MethodLinear = "linear" // linear between baseline (0) and target (100), clamped
	MethodBands  = "bands"  // red 0, amber 50, green 100
	MethodBinary = "binary" // achieved 100, not achieved 0
)

// Methods lists the scoring methods.
var Methods = []string{MethodLinear, MethodBands, MethodBinary}

// Statuses of a value, a KPI, an objective and every roll-up.
const (
	StatusGreen = "green"
	StatusAmber = "amber"
	StatusRed   = "red"
	StatusNone  = "none" // no data
)

// Statuses lists the statuses, best first.
var Statuses = []string{StatusGreen, StatusAmber, StatusRed, StatusNone}

// Sources of a measurement.
const (
	SourceManual   = "manual"   // entered in the grid
	SourceImport   = "import"   // imported from XLSX or CSV
	SourceAPI      = "api"      // sent to the JSON endpoint with a token
	SourceComputed = "computed" // computed from another module's data
	SourceFormula  = "formula"  // computed by the KPI's formula from other KPIs
)

// Sources lists the measurement sources.
var Sources = []string{SourceManual, SourceImport, SourceAPI, SourceComputed, SourceFormula}

// Initiative states.
const (
	InitiativePlanned   = "planned"
	InitiativeOngoing   = "ongoing"
	InitiativeDone      = "done"
	InitiativeCancelled = "cancelled"
)

// InitiativeStates lists the initiative states.
var InitiativeStates = []string{InitiativePlanned, InitiativeOngoing, InitiativeDone, InitiativeCancelled}
