// Package training is training and competence (ISO 9001 7.2, OSGG 600
// standard 3): the target groups of a funded project with the eligibility
// data it reports and the progress towards its goals; programmes, their
// sessions, enrolment, attendance per day, assessment results and
// certificates with their expiry (renewals are tasks in the work inbox);
// the competence catalogue with what each job or role requires and what
// each person holds, and the matrix of gaps per unit; the induction plan
// every new employee gets; and the indicators that feed the scorecard.
//
// The files: groups.go (target groups; group_members.go their members,
// group_progress.go the progress towards their goals), programmes.go,
// sessions.go (sessions and their workflow; session_enrol.go enrolment,
// session_attendance.go attendance, results and closing, session_scope.go
// whose enrolments an actor reads), certificates.go,
// competences.go (catalogue, requirements, held competences, the matrix),
// induction.go (onboarding), settings.go, record.go (a person's and a
// group's training record), metrics.go (scorecard metrics) and evidence.go
// (the ISO 9001 matrix's evidence, the review's facts, the audit register's
// certificates).
package training

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/documents"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "training"

// Entities in the audit trail.
const (
	EntityGroup      = "training_group"
	EntityMember     = "training_member"
	EntityProgramme  = "training_programme"
	EntitySession    = "training_session"
	EntityEnrolment  = "training_enrolment"
	EntityAttendance = "training_attendance"
	EntityCert       = "training_certificate"
	EntityCompetence = "training_competence"
	EntityRequire    = "training_requirement"
	EntityHeld       = "training_person_competence"
	EntityInduction  = "training_induction"
	EntitySettings   = "training_settings"
)

// Service is the training module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Files stores certificate scans; nil refuses uploads.
	Files *blob.Store
	// Docs gives a new employee the documents of their induction plan.
	Docs *documents.Service
}

// Topics of a programme.
const (
	TopicQuality   = "quality"   // quality management, ISO 9001
	TopicAudit     = "audit"     // internal audit
	TopicCAF       = "caf"       // CAF self-assessment
	TopicScorecard = "scorecard" // Balanced Scorecard, performance management
	TopicRisk      = "risk"      // risk management
	TopicControl   = "control"   // internal managerial control (OSGG 600)
	TopicLegal     = "legal"     // legislation, ethics and integrity
	TopicDigital   = "digital"   // digital skills
	TopicInduction = "induction" // induction of new employees
	TopicOther     = "other"
)

// Topics lists the topics.
var Topics = []string{TopicQuality, TopicAudit, TopicCAF, TopicScorecard, TopicRisk, TopicControl, TopicLegal, TopicDigital, TopicInduction, TopicOther}

// Competence areas share the topics' names (without induction).
var Areas = []string{TopicQuality, TopicAudit, TopicCAF, TopicScorecard, TopicRisk, TopicControl, TopicLegal, TopicDigital, TopicOther}

// Levels of a competence, required or held.
const (
	LevelBasic        = 1 // knows the notions (informed)
	LevelPractitioner = 2 // applies it on their own
	LevelExpert       = 3 // can train and assess others
)

// Levels lists the levels.
var Levels = []int{LevelBasic, LevelPractitioner, LevelExpert}

// Categories of a target group member, as funded projects report them.
const (
	CategoryManagement = "management" // civil servant in a management position
	CategoryExecution  = "execution"  // civil servant in an execution position
	CategoryContract   = "contract"   // contract staff
	CategoryElected    = "elected"    // elected official (mayor, deputy mayor, councillor)
)

// Categories lists the categories.
var Categories = []string{CategoryManagement, CategoryExecution, CategoryContract, CategoryElected}

// Genders, as reported; empty: not stated.
var Genders = []string{"f", "m"}

// Education levels (ISCED 2011), as reported.
var Educations = []string{"isced2", "isced3", "isced4", "isced5", "isced6", "isced7", "isced8"}

// Residences, as reported.
var Residences = []string{"urban", "rural"}

// States of a session.
const (
	SessionPlanned   = "planned"   // enrolment open
	SessionHeld      = "held"      // under way or held: attendance and results recorded
	SessionClosed    = "closed"    // results final, enrolments completed or failed
	SessionCancelled = "cancelled" // did not take place
)

// SessionStates lists the session states in workflow order.
var SessionStates = []string{SessionPlanned, SessionHeld, SessionClosed, SessionCancelled}

// States of an enrolment.
const (
	EnrolEnrolled  = "enrolled"
	EnrolCompleted = "completed" // attended enough and passed
	EnrolFailed    = "failed"    // did not attend enough or did not pass
	EnrolWithdrawn = "withdrawn"
)

// EnrolStates lists the enrolment states.
var EnrolStates = []string{EnrolEnrolled, EnrolCompleted, EnrolFailed, EnrolWithdrawn}

// Requirement kinds: who a competence is required of.
const (
	RequireJob      = "job"      // a job title (people.job_title, matched without diacritics or case)
	RequireRole     = "role"     // a role (auth.Role, such as internal_auditor)
	RequireEveryone = "everyone" // every active person
)

// RequireKinds lists the requirement kinds.
var RequireKinds = []string{RequireJob, RequireRole, RequireEveryone}

// Sources of a held competence.
const (
	HeldCertificate = "certificate" // a certificate in force
	HeldProgramme   = "programme"   // a completed programme without certificate
	HeldAssessed    = "assessed"    // assessed by the head of unit or the quality office
)

// States of an induction plan.
const (
	InductionOpen      = "open"
	InductionCompleted = "completed"
	InductionCancelled = "cancelled"
)

// Kinds of induction item.
const (
	ItemPolicy    = "policy"    // the quality policy to acknowledge
	ItemManual    = "manual"    // the quality manual to acknowledge
	ItemProcedure = "procedure" // a procedure of the person's unit to acknowledge
	ItemProgramme = "programme" // a mandatory programme to complete
)

// ItemKinds lists the induction item kinds in the order a plan shows them.
var ItemKinds = []string{ItemPolicy, ItemManual, ItemProcedure, ItemProgramme}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// parseDay reads a YYYY-MM-DD day.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return t, err == nil
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// errNotImplemented marks groundwork the helpers replace.
var errNotImplemented = errors.New("not implemented yet")
