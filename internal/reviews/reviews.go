// Package reviews is the management review (analiza efectuată de
// management, ISO 9001:2015 clause 9.3): a meeting whose inputs are compiled
// from live data for the period and whose outputs become tracked actions,
// with the minutes.
//
// A review is planned (code AM-2026-01, period, meeting day, chair and
// participants) with a task for the quality office to prepare its inputs;
// compiling gathers the facts of the twelve inputs of 9.3.2 from every
// register and stores them with the review, so the minutes keep what
// management saw; holding the meeting freezes them; the decisions of 9.3.3
// and the actions with owners and due days follow, each action a task in
// its owner's inbox; closing approves the minutes. One state machine, Flow
// in workflow.go, governs it. The next review starts from the previous one
// (PrepareNext), with the open actions carried into input (a) and each
// figure shown beside the previous review's.
package reviews

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "reviews"

// Service is the management review module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Inputs are the other modules' facts about a period (audits,
	// compliance); the module compiles the registers' own facts itself.
	Inputs []evidence.InputSource
}

// States of a review, in workflow order.
const (
	StatePlanned   = "planned"   // scheduled; inputs not compiled yet
	StatePrepared  = "prepared"  // inputs compiled (and may be compiled again)
	StateHeld      = "held"      // the meeting took place; inputs frozen
	StateClosed    = "closed"    // minutes approved
	StateCancelled = "cancelled" // called off, with a reason
)

// States lists every state.
var States = []string{StatePlanned, StatePrepared, StateHeld, StateClosed, StateCancelled}

// Conclusions of an input's assessment.
const (
	ConclusionAdequate    = "adequate"
	ConclusionNeedsAction = "needs_action"
)

// Conclusions lists the conclusions an input may get.
var Conclusions = []string{ConclusionAdequate, ConclusionNeedsAction}

// Categories of a decision (ISO 9001 9.3.3 a-c).
const (
	DecisionImprovement = "improvement" // opportunities for improvement
	DecisionChange      = "qms_change"  // any need for changes to the QMS
	DecisionResources   = "resources"   // resource needs
)

// DecisionCategories lists the categories in the order of 9.3.3.
var DecisionCategories = []string{DecisionImprovement, DecisionChange, DecisionResources}

// States of an action.
const (
	ActionOpen      = "open"
	ActionDone      = "done"
	ActionCancelled = "cancelled"
)

// ActionStates lists the states of an action.
var ActionStates = []string{ActionOpen, ActionDone, ActionCancelled}

// Letters are the inputs' letters in ISO 9001:2015 9.3.2.
var Letters = map[string]string{
	evidence.InputPreviousActions: "a", evidence.InputContext: "b",
	evidence.InputSatisfaction: "c1", evidence.InputObjectives: "c2", evidence.InputProcesses: "c3",
	evidence.InputNonconformities: "c4", evidence.InputMonitoring: "c5", evidence.InputAudits: "c6", evidence.InputProviders: "c7",
	evidence.InputResources: "d", evidence.InputRisks: "e", evidence.InputImprovement: "f",
}

// Limits.
const (
	MaxTitle = 300
	MaxShort = 300
	MaxText  = 10_000
	MaxNote  = 4000
)

// Days people get, by default.
const (
	prepareDays = 7  // the inputs are ready this many days before the meeting
	minutesDays = 10 // the chair approves the minutes within this many days
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// today is the civil day in Bucharest.
func (s *Service) today() time.Time { return work.Day(s.Clock.Now()) }

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return t, err == nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func reviewLink(id int64) string { return fmt.Sprintf("/reviews/%d", id) }

func reviewRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "review", ID: id} }

func actionRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "review_action", ID: id} }
