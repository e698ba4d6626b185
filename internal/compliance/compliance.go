// Package compliance is the ISO 9001:2015 compliance matrix: the status of
// every clause, the evidence linked to it from every module, the readiness
// before a certification body's audit, the external audits themselves and
// the three-year certificate cycle.
//
// The matrix reads, per clause: the documents in force linked to it (drafts
// show as pending), the registers (risk register for 6.1, nonconformities
// by their clause and all of them for 10.2, improvement proposals for
// 10.3), the other modules' evidence through Sources (internal audits,
// management reviews, indicators), the findings of the certification body
// and the evidence the quality office records by hand. A sub-clause's
// evidence counts for its parent too.
//
// The quality office sets each clause's status (settings.go holds the
// quality policy, the scope and the clauses not applicable), records the
// certification body's audits with their findings, each of which opens a
// case in the nonconformity register (external.go), and the certificate,
// whose surveillance and recertification deadlines reach the quality
// manager's inbox (certificate.go). Readiness (readiness.go) lists what
// would be found missing at the next external audit.
package compliance

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
const Module = "compliance"

// Clause statuses.
const (
	StatusNotAssessed    = "not_assessed"
	StatusImplemented    = "implemented"
	StatusPartial        = "partial"
	StatusNotImplemented = "not_implemented"
	StatusNotApplicable  = "not_applicable"
)

// Statuses lists the statuses in the order forms show them.
var Statuses = []string{StatusNotAssessed, StatusImplemented, StatusPartial, StatusNotImplemented, StatusNotApplicable}

// Limits.
const (
	MaxText  = 4000
	MaxShort = 300
	MaxURL   = 1000
	// MaxFindings is how many findings one external audit may hold.
	MaxFindings = 200
)

// AuditWindowMonths is how far back an internal audit counts as covering
// a clause before an external audit.
const AuditWindowMonths = 12

// ReviewWindowMonths is how far back a management review must have been
// held.
const ReviewWindowMonths = 12

// Service is the compliance module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Improve opens a nonconformity for each finding of an external audit.
	Improve *improvement.Service
	// Sources are the other modules' clause evidence (audits, reviews); the
	// module reads documents and registers itself.
	Sources []evidence.Source
	// Cache, when set, keeps the evidence of every clause across requests
	// while the institution's audit trail does not move (see
	// EvidenceCache). Without it every request gathers it anew.
	Cache *EvidenceCache
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// today is the civil day in Bucharest.
func (s *Service) today() time.Time { return work.Day(s.Clock.Now()) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func dayString(t time.Time) string { return t.Format(time.DateOnly) }

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// validClause reports whether code is a clause of the standard.
func validClause(code string) bool {
	_, ok := frameworks.ISOClause(code)
	return ok
}

func validStatus(s string) bool { return slices.Contains(Statuses, s) }

// clauseLabel is "7.5 Informații documentate" in the institution's words.
func clauseLabel(code string) string {
	if c, ok := frameworks.ISOClause(code); ok {
		return c.Code + " " + c.TitleRO
	}
	return code
}

func errRead(what string, err error) error { return fmt.Errorf("cannot read %s: %w", what, err) }
