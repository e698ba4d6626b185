// Package audits is the internal audit of the quality management system
// (ISO 9001:2015 clause 9.2): the yearly audit programme, audit plans,
// checklists, findings that open cases in the nonconformity register, the
// audit report and the register of internal auditors.
//
// The quality office proposes the programme of a year from risk and past
// results (programme.go), approves it, and plans each audit from it: scope,
// criteria, clauses, procedures, the team from the auditor register
// (auditors.go) and the agenda (store.go). An auditor may not audit their
// own unit. The team fills in the checklist generated from the clauses and
// procedures (checklist.go), records findings, each of which opens a case
// in the nonconformity register in the same transaction (findings.go), and
// issues the report. One state machine, Flow in workflow.go, governs an
// audit; every due date reaches people through the work inbox. Next year's
// programme and the next audit of the same unit start from the previous
// ones (programme.go, carry.go). The compliance matrix and the management
// review read the audits through evidence.go.
package audits

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "audits"

// States of an audit.
const (
	StatePlanned    = "planned"     // planned: the plan may still change
	StateInProgress = "in_progress" // the fieldwork: checklist and findings
	StateReporting  = "reporting"   // fieldwork done, the report is being written
	StateClosed     = "closed"      // the report is issued
	StateCancelled  = "cancelled"
)

// States lists every state of an audit, in workflow order.
var States = []string{StatePlanned, StateInProgress, StateReporting, StateClosed, StateCancelled}

// Started reports whether an audit in state has begun (and not been
// cancelled): its checklist and findings count as evidence.
func Started(state string) bool {
	return state == StateInProgress || state == StateReporting || state == StateClosed
}

// States of a programme.
const (
	ProgrammeDraft    = "draft"
	ProgrammeApproved = "approved"
)

// Verdicts of a checklist item: the audit results of the evidence scale,
// and not applicable.
const (
	VerdictConform     = evidence.ResultConform
	VerdictMajor       = evidence.ResultMajor
	VerdictMinor       = evidence.ResultMinor
	VerdictObservation = evidence.ResultObservation
	VerdictOpportunity = evidence.ResultOpportunity
	VerdictNA          = "na"
)

// Verdicts lists the verdicts in the order the checklist offers them.
var Verdicts = []string{VerdictConform, VerdictMajor, VerdictMinor, VerdictObservation, VerdictOpportunity, VerdictNA}

// Kinds of finding, gravest first. Each is also the severity of the case
// it opens in the nonconformity register.
const (
	FindingMajor       = improvement.SeverityMajor
	FindingMinor       = improvement.SeverityMinor
	FindingObservation = improvement.SeverityObservation
	FindingOpportunity = improvement.SeverityOpportunity
)

// FindingKinds lists the kinds of finding, gravest first.
var FindingKinds = []string{FindingMajor, FindingMinor, FindingObservation, FindingOpportunity}

// Sources of a checklist item.
const (
	SourceBank      = "bank"      // the built-in question bank, for a clause
	SourceProcedure = "procedure" // a procedure in scope
	SourceManual    = "manual"    // added by hand
	SourceFollowUp  = "followup"  // a finding of the previous audit still open
)

// Change marks of what differs from the previous audit or programme.
const (
	ChangeNewEdition     = "new_edition"     // the procedure has a new edition or revision since
	ChangeClauseAdded    = "clause_added"    // the clause was not in the previous audit
	ChangeProcedureAdded = "procedure_added" // the procedure was not in the previous audit
	ChangeFollowUp       = "followup"        // a finding of the previous audit still open
	ChangeNew            = "new"             // programme: a unit or process not in last year's
	ChangeMore           = "more"            // programme: audited more often (new risk or results)
	ChangeFewer          = "fewer"           // programme: audited less often
)

// Limits.
const (
	MaxTitle     = 300
	MaxText      = 4000
	MaxShort     = 300
	MaxAgenda    = 40
	MaxChecklist = 400
	// ReportDays is how long after the last day of the audit the lead
	// auditor has to issue the report.
	ReportDays = 7
)

// Service is the internal audit module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Improve opens the nonconformity cases of findings.
	Improve *improvement.Service
	// Certificates gives the auditors' certificates from the training
	// records, shown as qualifications in the register; nil: none.
	Certificates evidence.CertificateSource
}

// today is the civil day in Bucharest.
func (s *Service) today() time.Time { return work.Day(s.Clock.Now()) }

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func auditRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "internal_audit", ID: id} }

// auditeeRef is the audited unit's side of an audit in the inbox.
func auditeeRef(id int64) work.Ref {
	return work.Ref{Module: Module, Entity: "internal_audit_auditee", ID: id}
}

func auditLink(id int64) string { return fmt.Sprintf("/audits/%d", id) }

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

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// clauseOrder is the position of each clause in the standard.
var clauseOrder = func() map[string]int {
	m := map[string]int{}
	for i, c := range frameworks.ISO9001 {
		m[c.Code] = i
	}
	return m
}()

// NormClauses keeps the known clause codes of cs once each, in the
// standard's order; unknown reports whether any code was not a clause.
func NormClauses(cs []string) (out []string, unknown bool) {
	for _, c := range cs {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, ok := clauseOrder[c]; !ok {
			unknown = true
			continue
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return clauseOrder[a] - clauseOrder[b] })
	return out, unknown
}

func splitClauses(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func joinClauses(cs []string) string { return strings.Join(cs, ",") }

// worse returns the graver of two results of the evidence scale ("" and
// not applicable count for nothing).
func worse(a, b string) string {
	ra, rb := slices.Index(evidence.Results, a), slices.Index(evidence.Results, b)
	if rb > ra {
		return b
	}
	return a
}

// idList is "$2, $3, ..." for ids, numbered from first.
func idList(ids []int64, first int) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = fmt.Sprintf("$%d", first+i)
		args[i] = id
	}
	return strings.Join(ph, ", "), args
}
