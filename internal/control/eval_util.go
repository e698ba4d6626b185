package control

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/work"
)

// Helpers of the self-evaluation (evaluation.go, answers.go, summary.go,
// settings.go), prefixed eval so they stay apart from the other parts'.

type evalQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// Text limits of the self-evaluation, in characters.
const (
	EvalMaxLine        = 300  // titles, names, numbers
	EvalMaxExplanation = 4000 // an answer's explanation, a piece of evidence's notes
	EvalMaxText        = 20000
)

// evalToday is the civil date of now in Bucharest, YYYY-MM-DD.
func evalToday(now time.Time) string { return now.In(i18n.Bucharest).Format(time.DateOnly) }

func evalDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

func evalNull(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func evalClip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// evalModel is the version of the standards an evaluation was opened on
// (the latest when it is unknown, which only a removed version could cause).
func evalModel(version string) frameworks.OSGG {
	if m, ok := frameworks.OSGGModel(version); ok {
		return m
	}
	m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
	return m
}

// OSGG is the evaluation's version of the standards.
func (e Evaluation) OSGG() frameworks.OSGG { return evalModel(e.Model) }

// Open reports whether the compartments still answer.
func (e Evaluation) Open() bool { return e.State == EvalOpen }

// evalUnitRefBase makes one task reference of an evaluation and a
// compartment: a compartment's questionnaire has no id of its own.
const evalUnitRefBase = 1_000_000_000

// EvalUnitRef is the record of a compartment's answering task: entity
// control_eval_unit, id evaluation × 10⁹ + unit, so each questionnaire's
// task closes on its own even while two evaluations are open.
func EvalUnitRef(evalID, unitID int64) work.Ref {
	return work.Ref{Module: Module, Entity: EntityEvalUnit, ID: evalID*evalUnitRefBase + unitID}
}

// EvaluationRef is the record of an evaluation's own tasks (the yearly
// report).
func EvaluationRef(id int64) work.Ref {
	return work.Ref{Module: Module, Entity: EntityEvaluation, ID: id}
}

// EvaluationHref is an evaluation's page.
func EvaluationHref(id int64) string { return "/control/evaluations/" + strconv.FormatInt(id, 10) }

// QuestionnaireHref is a compartment's questionnaire page.
func QuestionnaireHref(evalID, unitID int64) string {
	return EvaluationHref(evalID) + "/units/" + strconv.FormatInt(unitID, 10)
}

// evalRestricted reports whether a sees only the compartments they lead: a
// head of unit who may not manage.
func evalRestricted(a auth.Actor) bool {
	return !a.Can(auth.PermControlManage) && a.HasRole(auth.RoleHeadOfUnit)
}

// evalLed returns the units a leads (their person's unit and the tree under
// it).
func evalLed(ctx context.Context, q evalQuerier, a auth.Actor) ([]int64, error) {
	return org.LedUnits(ctx, q, a.Tenant, a.PersonID)
}

// evalSees reports whether a may read unit's questionnaire.
func evalSees(ctx context.Context, q evalQuerier, a auth.Actor, unit int64) (bool, error) {
	if !evalRestricted(a) {
		return true, nil
	}
	led, err := evalLed(ctx, q, a)
	return slices.Contains(led, unit), err
}

// evalMayAnswer reports whether a may answer for unit: a manager, or a
// holder of the answer permission who leads the unit.
func evalMayAnswer(ctx context.Context, q evalQuerier, a auth.Actor, unit int64) (bool, error) {
	if a.Can(auth.PermControlManage) {
		return true, nil
	}
	if !a.Can(auth.PermControlAnswer) {
		return false, nil
	}
	led, err := evalLed(ctx, q, a)
	return slices.Contains(led, unit), err
}

// evalHead is a unit's head: an active person of the unit holding the
// head_of_unit role through an active user, else its first active person
// in a management position, else none (0).
func evalHead(ctx context.Context, q evalQuerier, tenant, unit int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT p.id FROM people p
		WHERE p.tenant_id = $1 AND p.unit_id = $2 AND p.active
			AND (p.position = $3 OR EXISTS (SELECT 1 FROM users u JOIN user_roles r ON r.user_id = u.id
				WHERE u.tenant_id = $1 AND u.person_id = p.id AND NOT u.disabled AND r.role = $4))
		ORDER BY CASE WHEN EXISTS (SELECT 1 FROM users u JOIN user_roles r ON r.user_id = u.id
				WHERE u.tenant_id = $1 AND u.person_id = p.id AND NOT u.disabled AND r.role = $4) THEN 0 ELSE 1 END, p.id
		LIMIT 1`, tenant, unit, org.PositionManagement, string(auth.RoleHeadOfUnit)).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cannot find the head of unit %d: %w", unit, err)
	}
	return id, nil
}

// evalAnswerTask is the task of a compartment's head (or, when it has none,
// of the quality office) to answer the questionnaire by due.
func evalAnswerTask(e Evaluation, unit int64, unitName string, head int64, due time.Time) work.NewTask {
	as := work.Assignee{PersonID: head}
	if head == 0 {
		as = work.Assignee{Role: auth.RoleQualityManager}
	}
	return work.NewTask{
		Ref:   EvalUnitRef(e.ID, unit),
		Kind:  work.KindReport,
		Title: evalClip("Completați chestionarul de autoevaluare SCIM "+strconv.Itoa(e.Year)+" ("+unitName+")", EvalMaxLine),
		Details: "Pentru fiecare standard, răspundeți la fiecare criteriu (da, nu, nu se aplică), explicați răspunsurile „nu” și atașați dovezile; " +
			"apoi transmiteți chestionarul.",
		Link:     QuestionnaireHref(e.ID, unit),
		Assignee: as,
		Due:      due,
	}
}

// evalReportTask is the quality office's task to write the yearly report
// on the control system, due on the settings' deadline.
func evalReportTask(e Evaluation, st Settings) work.NewTask {
	return work.NewTask{
		Ref:      EvaluationRef(e.ID),
		Kind:     work.KindReport,
		Title:    "Redactați raportul anual asupra SCIM " + strconv.Itoa(e.Year),
		Details:  "Pe baza situației sintetice a autoevaluării, redactați raportul asupra sistemului de control intern managerial la 31 decembrie " + strconv.Itoa(e.Year) + " și supuneți-l aprobării.",
		Link:     EvaluationHref(e.ID) + "/summary",
		Assignee: work.Assignee{Role: auth.RoleQualityManager},
		Due:      st.ReportDueOn(e.Year),
	}
}

// evalConflict is a state conflict with arguments for its message.
func evalConflict(key string, args map[string]any) error {
	return &apperr.Error{Kind: apperr.KindConflict, Key: key, Args: args}
}
