// Package risks is the register of risks and opportunities (ISO 9001
// clause 6.1, OSGG 600 standard 8).
//
// A unit reports a risk on the alert form (formular de alertă la risc); it
// waits as "proposed" with a task before the risk management team, who
// retain it in the unit's register, escalate it to the institution's
// consolidated register, or decline it as not relevant (workflow.go). Risks
// in the register carry control measures with owners and deadlines (each an
// inbox task), are reviewed on a calendar (review.go), and each year's
// register is started from last year's (year.go). Opportunities sit in the
// same register with their own scoring: likelihood by benefit, where high
// is good and there is no tolerance.
package risks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Module names the risks module in tasks and links.
const Module = "risks"

// Kinds of register entry.
const (
	KindRisk        = "risk"
	KindOpportunity = "opportunity"
)

// Kinds lists the kinds in the order screens show them.
var Kinds = []string{KindRisk, KindOpportunity}

// Levels: the unit's register, or the institution's consolidated one.
const (
	LevelUnit        = "unit"
	LevelInstitution = "institution"
)

// Levels lists the levels.
var Levels = []string{LevelUnit, LevelInstitution}

// States of a register entry.
const (
	StateProposed = "proposed" // an alert form waiting for the team's decision
	StateActive   = "active"   // in the register (retained or escalated)
	StateDeclined = "declined" // not relevant
	StateClosed   = "closed"   // no longer applies
	StateCarried  = "carried"  // carried into next year's register
)

// States lists every state.
var States = []string{StateProposed, StateActive, StateDeclined, StateClosed, StateCarried}

// Response strategies for risks.
const (
	StrategyAccept   = "accept" // acceptare / tolerare
	StrategyMonitor  = "monitor"
	StrategyTreat    = "treat" // tratare (atenuare)
	StrategyTransfer = "transfer"
	StrategyAvoid    = "avoid" // evitare (terminare)
)

// Responses to opportunities.
const (
	StrategyExploit = "exploit"
	StrategyEnhance = "enhance"
	StrategyShare   = "share"
	StrategyTake    = "take" // accept the opportunity as it comes
)

// RiskStrategies and OpportunityStrategies list the responses of each kind.
var (
	RiskStrategies        = []string{StrategyAccept, StrategyMonitor, StrategyTreat, StrategyTransfer, StrategyAvoid}
	OpportunityStrategies = []string{StrategyExploit, StrategyEnhance, StrategyShare, StrategyTake}
)

// StrategiesOf returns the responses allowed for kind.
func StrategiesOf(kind string) []string {
	if kind == KindOpportunity {
		return OpportunityStrategies
	}
	return RiskStrategies
}

// Measure states.
const (
	MeasurePlanned    = "planned"
	MeasureInProgress = "in_progress"
	MeasureDone       = "done"
	MeasureCancelled  = "cancelled"
)

// MeasureStates lists the states of a control measure.
var MeasureStates = []string{MeasurePlanned, MeasureInProgress, MeasureDone, MeasureCancelled}

// MeasureOpen reports whether a measure in state still has work to do.
func MeasureOpen(state string) bool { return state == MeasurePlanned || state == MeasureInProgress }

// Limits.
const (
	MaxText     = 4000 // description, causes, consequences and the other long texts
	MaxShort    = 300  // objective, owner as written
	MaxMeasures = 50   // measures on one alert form
)

// Service keeps the risk and opportunity register.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
}

// Risk is one row of a year's register: a risk or an opportunity, with the
// 17 columns of the OSGG register and what Cadran keeps beside them.
type Risk struct {
	ID           int64  `json:"id"`
	Tenant       int64  `json:"tenant_id"`
	Year         int    `json:"year"`
	Kind         string `json:"kind"`
	Code         string `json:"code"`
	Level        string `json:"level"`
	UnitID       int64  `json:"unit_id,omitempty"`
	Objective    string `json:"objective"`
	Description  string `json:"description"`
	Causes       string `json:"causes"`
	Consequences string `json:"consequences"`
	OwnerID      int64  `json:"owner_id,omitempty"`
	OwnerText    string `json:"owner_text,omitempty"`
	Scale        int    `json:"scale"`
	InherentP    int    `json:"inherent_p"`
	InherentI    int    `json:"inherent_i"`
	InherentE    int    `json:"inherent_e"`
	Strategy     string `json:"strategy"`
	ResidualP    int    `json:"residual_p,omitempty"`
	ResidualI    int    `json:"residual_i,omitempty"`
	ResidualE    int    `json:"residual_e,omitempty"`
	// CurP, CurI and CurE are the score that counts now: the residual one
	// once reviewed, else the inherent one.
	CurP             int       `json:"-"`
	CurI             int       `json:"-"`
	CurE             int       `json:"-"`
	LastReviewOn     string    `json:"last_review_on,omitempty"`
	NextReviewOn     string    `json:"next_review_on,omitempty"`
	Secondary        string    `json:"secondary,omitempty"`
	Remarks          string    `json:"remarks,omitempty"`
	ProposedMeasures string    `json:"proposed_measures,omitempty"`
	Evidence         string    `json:"evidence,omitempty"`
	State            string    `json:"state"`
	DecisionReason   string    `json:"decision_reason,omitempty"`
	ProposedBy       int64     `json:"proposed_by,omitempty"`
	ProposedName     string    `json:"proposed_name,omitempty"`
	PreviousID       int64     `json:"previous_id,omitempty"`
	CreatedAt        time.Time `json:"-"`
	UpdatedAt        time.Time `json:"-"`
	Version          int       `json:"version"`

	// Filled in by reads.
	UnitName  string `json:"-"`
	UnitCode  string `json:"-"`
	OwnerName string `json:"-"`
}

// Owner is the risk owner as shown: the person, or the name as written.
func (r Risk) Owner() string {
	if r.OwnerName != "" {
		return r.OwnerName
	}
	return r.OwnerText
}

// Reviewed reports whether a residual score was recorded.
func (r Risk) Reviewed() bool { return r.ResidualE > 0 }

// ReviewDue reports whether the periodic review is due on or before today.
func (r Risk) ReviewDue(today time.Time) bool {
	return r.State == StateActive && r.NextReviewOn != "" && r.NextReviewOn <= today.Format(time.DateOnly)
}

// Exposure is probability times impact (likelihood times benefit for an
// opportunity).
func Exposure(p, i int) int { return p * i }

// Measure is a control measure (instrument de control intern).
type Measure struct {
	ID          int64     `json:"id"`
	RiskID      int64     `json:"risk_id"`
	Description string    `json:"description"`
	OwnerID     int64     `json:"owner_id,omitempty"`
	OwnerText   string    `json:"owner_text,omitempty"`
	Deadline    string    `json:"deadline,omitempty"`
	State       string    `json:"state"`
	Note        string    `json:"note,omitempty"`
	PreviousID  int64     `json:"previous_id,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`
	OwnerName   string    `json:"-"`
}

// Owner is the measure's owner as shown.
func (m Measure) Owner() string {
	if m.OwnerName != "" {
		return m.OwnerName
	}
	return m.OwnerText
}

// Overdue reports whether an open measure is past its deadline.
func (m Measure) Overdue(today time.Time) bool {
	return MeasureOpen(m.State) && m.Deadline != "" && m.Deadline < today.Format(time.DateOnly)
}

// Step is one workflow step in a risk's history.
type Step struct {
	Action    string
	From, To  string
	Reason    string
	ActorName string
	At        time.Time
}

func riskRef(id int64) work.Ref    { return work.Ref{Module: Module, Entity: "risk", ID: id} }
func measureRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "risk_measure", ID: id} }

// sortCode pads the numbers in a code so R-DE-10 sorts after R-DE-9.
func sortCode(code string) string {
	var b strings.Builder
	digits := ""
	flush := func() {
		if digits != "" {
			b.WriteString(strings.Repeat("0", max(0, 6-len(digits))))
			b.WriteString(digits)
			digits = ""
		}
	}
	for _, r := range strings.ToUpper(code) {
		if r >= '0' && r <= '9' {
			digits += string(r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// codePrefix is the start of the codes of kind in a unit: R-DE- or O-DE-,
// R-INST- for entries without a unit.
func codePrefix(kind, unitCode string) string {
	k := "R"
	if kind == KindOpportunity {
		k = "O"
	}
	u := strings.ToUpper(strings.TrimSpace(unitCode))
	if u == "" {
		u = "INST"
	}
	return k + "-" + u + "-"
}

func formatCode(prefix string, n int) string { return fmt.Sprintf("%s%02d", prefix, n) }

func validKind(k string) bool { return slices.Contains(Kinds, k) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
