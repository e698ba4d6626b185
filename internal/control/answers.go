package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Answer is a compartment's answer to one question.
type Answer struct {
	Question    string
	Standard    int
	Answer      string // AnswerYes, AnswerNo, AnswerNA; "" not answered
	Explanation string
	UpdatedAt   time.Time
	UpdatedBy   string
	Version     int
}

// Evidence backs a compartment's answers to a standard.
type Evidence struct {
	ID           int64
	EvaluationID int64
	UnitID       int64
	Standard     int
	Question     string
	Kind         string
	Entity       string
	EntityID     int64
	Title        string
	Href         string
	Notes        string
	AddedBy      string
	CreatedAt    time.Time
}

// StandardAnswers is one standard of a compartment's questionnaire.
type StandardAnswers struct {
	Standard frameworks.OSGGStandard
	// One per question of the standard, in the model's order.
	Answers  []Answer
	Status   string // UnitStatus of the answers
	Evidence []Evidence
}

// Questionnaire is a compartment's questionnaire in an evaluation.
type Questionnaire struct {
	Evaluation Evaluation
	Unit       EvalUnit
	Components []frameworks.OSGGComponent
	Standards  []StandardAnswers
	// MayAnswer: the actor may change the answers (the evaluation is open,
	// the questionnaire not submitted, the actor heads the compartment or
	// manages).
	MayAnswer bool
	// MayReopen: the actor may send a submitted questionnaire back (a
	// manager, while the evaluation is open).
	MayReopen bool
}

// AnswerInput is one answer as entered. Its errors come on the form fields
// "answer_<code>" and "explanation_<code>" ("answer_2.3").
type AnswerInput struct {
	Question    string
	Answer      string // "": not answered (a previous answer is removed)
	Explanation string
}

// EvidenceInput links a record, or writes a note, as evidence. Form
// fields: ev_standard, ev_question, ev_kind, ev_entity_id, ev_title,
// ev_href, ev_notes. For a linked record (every kind but note) the entity
// is the kind's (EvidenceEntity), the record must be the institution's,
// and its title and page are read from it when left empty.
type EvidenceInput struct {
	Standard int
	Question string
	Kind     string
	Entity   string
	EntityID int64
	Title    string
	Href     string
	Notes    string
}

// EvidenceOption is a record of the institution that may be linked as
// evidence (documents, risks, cases, audits, reviews, KPIs, training
// programmes).
type EvidenceOption struct {
	Kind     string
	Entity   string
	EntityID int64
	Title    string
	Href     string
}

// evidenceSource is where a kind of evidence comes from: the entity, the
// table's title expression and the record's page.
type evidenceSource struct {
	entity, table, title, page string
}

var evidenceSources = map[string]evidenceSource{
	EvidenceDocument:  {"document", "documents", "code || ' ' || title", "/documents/%d"},
	EvidenceRisk:      {"risk", "risks", "code || ' ' || description", "/risks/%d"},
	EvidenceCase:      {"nonconformity", "nonconformities", "code || ' ' || title", "/nonconformities/%d"},
	EvidenceAudit:     {"internal_audit", "internal_audits", "code || ' ' || title", "/audits/%d"},
	EvidenceReview:    {"review", "reviews", "code || ' ' || title", "/reviews/%d"},
	EvidenceIndicator: {"kpi", "scorecard_kpis", "code || ' ' || name", "/scorecard/kpis/%d"},
	EvidenceTraining:  {"training_programme", "training_programmes", "title", "/training/programmes/%d"},
}

// EvidenceEntity is the entity a kind of evidence links ("" for a note).
func EvidenceEntity(kind string) string { return evidenceSources[kind].entity }

// evalUnitAccess reads an evaluation and one of its compartments as a sees
// them: NotFound when a may not read the questionnaire.
func evalUnitAccess(ctx context.Context, q evalQuerier, a auth.Actor, evalID, unitID int64) (Evaluation, EvalUnit, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Evaluation{}, EvalUnit{}, err
	}
	e, err := evalGet(ctx, q, a.Tenant, evalID)
	if err != nil {
		return Evaluation{}, EvalUnit{}, err
	}
	u, err := evalUnitGet(ctx, q, a.Tenant, evalID, unitID)
	if err != nil {
		return Evaluation{}, EvalUnit{}, err
	}
	if ok, err := evalSees(ctx, q, a, unitID); err != nil {
		return Evaluation{}, EvalUnit{}, err
	} else if !ok {
		return Evaluation{}, EvalUnit{}, apperr.NotFound(EntityEvalUnit)
	}
	return e, u, nil
}

// evalAnswerable reads an evaluation and a compartment for a change to its
// answers or evidence: the actor may answer for it, the evaluation is open
// and the questionnaire not submitted.
func evalAnswerable(ctx context.Context, q evalQuerier, a auth.Actor, evalID, unitID int64) (Evaluation, EvalUnit, error) {
	e, u, err := evalUnitAccess(ctx, q, a, evalID, unitID)
	if err != nil {
		return e, u, err
	}
	if ok, err := evalMayAnswer(ctx, q, a, unitID); err != nil {
		return e, u, err
	} else if !ok {
		return e, u, apperr.Forbidden(string(auth.PermControlAnswer))
	}
	if !e.Open() {
		return e, u, apperr.Conflict("control.error.eval_not_open")
	}
	if u.State != UnitPending {
		return e, u, apperr.Conflict("control.error.unit_submitted")
	}
	return e, u, nil
}

// Questionnaire returns a compartment's questionnaire.
func (s *Service) Questionnaire(ctx context.Context, a auth.Actor, evalID, unitID int64) (Questionnaire, error) {
	e, u, err := evalUnitAccess(ctx, s.DB.R, a, evalID, unitID)
	if err != nil {
		return Questionnaire{}, err
	}
	model := e.OSGG()
	answers, err := evalAnswersOf(ctx, s.DB.R, a.Tenant, evalID, unitID, 0)
	if err != nil {
		return Questionnaire{}, err
	}
	evidence, err := evalEvidenceOf(ctx, s.DB.R, a.Tenant, evalID, unitID)
	if err != nil {
		return Questionnaire{}, err
	}
	may, err := evalMayAnswer(ctx, s.DB.R, a, unitID)
	if err != nil {
		return Questionnaire{}, err
	}
	out := Questionnaire{Evaluation: e, Unit: u, Components: model.Components,
		MayAnswer: may && e.Open() && u.State == UnitPending,
		MayReopen: a.Can(auth.PermControlManage) && e.Open() && u.State == UnitSubmitted}
	known := evalQuestionSet(model)
	for _, st := range model.Standards() {
		sa := StandardAnswers{Standard: st}
		given := make([]string, 0, len(st.Questions))
		for _, q := range st.Questions {
			ans, ok := answers[q.Code]
			if !ok {
				ans = Answer{Question: q.Code, Standard: st.Number}
			}
			sa.Answers = append(sa.Answers, ans)
			given = append(given, ans.Answer)
		}
		sa.Status = UnitStatus(given)
		for _, ev := range evidence {
			if ev.Standard == st.Number {
				sa.Evidence = append(sa.Evidence, ev)
			}
		}
		out.Standards = append(out.Standards, sa)
	}
	u.Questions = model.Questions()
	for code := range answers {
		if known[code] {
			u.Answered++
		}
	}
	out.Unit = u
	return out, nil
}

const answerColumns = `question, standard, answer, explanation, updated_at, updated_by, version`

// evalAnswersOf reads a compartment's answers by question code (of one
// standard, or every one when standard is 0).
func evalAnswersOf(ctx context.Context, q evalQuerier, tenant, evalID, unitID int64, standard int) (map[string]Answer, error) {
	query := `SELECT ` + answerColumns + ` FROM control_answers WHERE tenant_id = $1 AND evaluation_id = $2 AND unit_id = $3`
	args := []any{tenant, evalID, unitID}
	if standard != 0 {
		query += ` AND standard = $4`
		args = append(args, standard)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read control answers: %w", err)
	}
	defer rows.Close()
	out := map[string]Answer{}
	for rows.Next() {
		var x Answer
		if err := rows.Scan(&x.Question, &x.Standard, &x.Answer, &x.Explanation, &x.UpdatedAt, &x.UpdatedBy, &x.Version); err != nil {
			return nil, fmt.Errorf("cannot read control answers: %w", err)
		}
		out[x.Question] = x
	}
	return out, rows.Err()
}

// validateAnswers checks the answers to one standard's questions and keeps
// the last one given for each question.
func validateAnswers(st frameworks.OSGGStandard, in []AnswerInput) ([]AnswerInput, error) {
	v := apperr.Validation{}
	var out []AnswerInput
	for _, x := range in {
		x.Question = strings.TrimSpace(x.Question)
		x.Answer = strings.TrimSpace(x.Answer)
		x.Explanation = textutil.CleanText(x.Explanation)
		if !slices.ContainsFunc(st.Questions, func(q frameworks.OSGGQuestion) bool { return q.Code == x.Question }) {
			v.Add("answer_"+x.Question, "control.answer.unknown_question")
			continue
		}
		switch {
		case x.Answer != "" && !slices.Contains(Answers, x.Answer):
			v.Add("answer_"+x.Question, "error.choice")
		case x.Answer == "" && x.Explanation != "":
			v.Add("answer_"+x.Question, "control.answer.choose")
		case x.Answer == AnswerNo && x.Explanation == "":
			v.Add("explanation_"+x.Question, "control.answer.explain")
		}
		if utf8.RuneCountInString(x.Explanation) > EvalMaxExplanation {
			v.Add("explanation_"+x.Question, "error.too_long")
		}
		if i := slices.IndexFunc(out, func(y AnswerInput) bool { return y.Question == x.Question }); i >= 0 {
			out[i] = x
		} else {
			out = append(out, x)
		}
	}
	return out, v.Err()
}

// SaveAnswers saves a compartment's answers to one standard's questions,
// each audited when it changed; a question left out keeps its answer, one
// given empty loses it.
func (s *Service) SaveAnswers(ctx context.Context, a auth.Actor, evalID, unitID int64, standard int, in []AnswerInput) error {
	return s.SaveAnswersAt(ctx, a, evalID, unitID, standard, "", in)
}

// SaveAnswersAt is SaveAnswers for a form: token is the standard's Token
// when the form was read, and the save is refused as stale when someone
// changed the standard's answers since ("" skips the check).
func (s *Service) SaveAnswersAt(ctx context.Context, a auth.Actor, evalID, unitID int64, standard int, token string, in []AnswerInput) error {
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, u, err := evalAnswerable(ctx, tx, a, evalID, unitID)
		if err != nil {
			return err
		}
		st, ok := e.OSGG().Standard(standard)
		if !ok {
			return apperr.NotFound("control_standard")
		}
		inputs, err := validateAnswers(st, in)
		if err != nil {
			return err
		}
		before, err := evalAnswersOf(ctx, tx, a.Tenant, evalID, unitID, standard)
		if err != nil {
			return err
		}
		if token != "" && token != answersToken(maps.Values(before)) {
			return apperr.Stale()
		}
		// One recorder for the standard's answers: the audit chain's head
		// is read and advanced once, not once per answer.
		var rec *audit.Recorder
		record := func(ev audit.Event) error {
			if rec == nil {
				if rec, err = audit.NewRecorder(ctx, tx, a.Tenant); err != nil {
					return err
				}
			}
			return rec.Record(ctx, now, ev)
		}
		for _, x := range inputs {
			if err := saveAnswer(ctx, tx, a, e, u, standard, before, x, now, record); err != nil {
				return err
			}
		}
		if rec == nil {
			return nil
		}
		return rec.Close(ctx)
	})
}

// saveAnswer writes one answer when it changed, and audits it through
// record.
func saveAnswer(ctx context.Context, tx *sql.Tx, a auth.Actor, e Evaluation, u EvalUnit, standard int, before map[string]Answer, x AnswerInput, now time.Time, record func(audit.Event) error) error {
	old, had := before[x.Question]
	if had && old.Answer == x.Answer && old.Explanation == x.Explanation {
		return nil
	}
	if !had && x.Answer == "" {
		return nil
	}
	ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Entity: EntityAnswer, EntityID: e.ID,
		Summary: strconv.Itoa(e.Year) + " · " + u.UnitName + " · " + x.Question}
	var err error
	switch {
	case x.Answer == "":
		_, err = tx.ExecContext(ctx, `DELETE FROM control_answers WHERE tenant_id = $1 AND evaluation_id = $2 AND unit_id = $3 AND question = $4`,
			a.Tenant, e.ID, u.UnitID, x.Question)
		ev.Action, ev.Before = audit.ActionDelete, answerLogged{u.UnitID, x.Question, old.Answer, old.Explanation}
	case had:
		_, err = tx.ExecContext(ctx, `UPDATE control_answers SET answer = $1, explanation = $2, updated_at = $3, updated_by = $4, version = version + 1
			WHERE tenant_id = $5 AND evaluation_id = $6 AND unit_id = $7 AND question = $8`,
			x.Answer, x.Explanation, now, a.Name, a.Tenant, e.ID, u.UnitID, x.Question)
		ev.Action, ev.Before, ev.After = audit.ActionUpdate, answerLogged{u.UnitID, x.Question, old.Answer, old.Explanation}, answerLogged{u.UnitID, x.Question, x.Answer, x.Explanation}
	default:
		_, err = tx.ExecContext(ctx, `INSERT INTO control_answers (tenant_id, evaluation_id, unit_id, standard, question, answer, explanation, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.Tenant, e.ID, u.UnitID, standard, x.Question, x.Answer, x.Explanation, now, a.Name)
		if db.IsUniqueViolation(err) {
			return apperr.Stale()
		}
		ev.Action, ev.After = audit.ActionCreate, answerLogged{u.UnitID, x.Question, x.Answer, x.Explanation}
	}
	if err != nil {
		return fmt.Errorf("cannot save control answer: %w", err)
	}
	return record(ev)
}

// SubmitUnit submits a compartment's questionnaire: every question must be
// answered; the head's task closes.
func (s *Service) SubmitUnit(ctx context.Context, a auth.Actor, evalID, unitID int64) error {
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, u, err := evalAnswerable(ctx, tx, a, evalID, unitID)
		if err != nil {
			return err
		}
		model := e.OSGG()
		answers, err := evalAnswersOf(ctx, tx, a.Tenant, evalID, unitID, 0)
		if err != nil {
			return err
		}
		missing := 0
		for _, st := range model.Standards() {
			for _, q := range st.Questions {
				if _, ok := answers[q.Code]; !ok {
					missing++
				}
			}
		}
		if missing > 0 {
			return &apperr.Error{Kind: apperr.KindInvalid, Key: "control.error.unit_incomplete", Args: map[string]any{"Count": missing, "Questions": model.Questions()}}
		}
		if err := s.setUnitState(ctx, tx, a, e, u, UnitSubmitted, now); err != nil {
			return err
		}
		_, err = s.Work.Close(ctx, tx, a, work.Selector{Ref: EvalUnitRef(evalID, unitID)}, work.StateDone)
		return err
	})
}

// setUnitState moves a questionnaire to pending or submitted and audits it.
func (s *Service) setUnitState(ctx context.Context, tx *sql.Tx, a auth.Actor, e Evaluation, u EvalUnit, state string, now time.Time) error {
	var at any
	by := ""
	if state == UnitSubmitted {
		at, by = now, a.Name
	}
	res, err := tx.ExecContext(ctx, `UPDATE control_eval_units SET state = $1, submitted_at = $2, submitted_by = $3, version = version + 1
		WHERE tenant_id = $4 AND evaluation_id = $5 AND unit_id = $6 AND version = $7`, state, at, by, a.Tenant, e.ID, u.UnitID, u.Version)
	if err != nil {
		return fmt.Errorf("cannot change control evaluation unit: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.Stale()
	}
	after, err := evalUnitGet(ctx, tx, a.Tenant, e.ID, u.UnitID)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityEvalUnit,
		EntityID: e.ID, Summary: strconv.Itoa(e.Year) + ": " + u.UnitName + " → " + state, Before: u, After: after})
}

// ReopenUnit sends a submitted questionnaire back to its compartment while
// the evaluation is open; its head gets the task again.
func (s *Service) ReopenUnit(ctx context.Context, a auth.Actor, evalID, unitID int64) error {
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, u, err := evalUnitAccess(ctx, tx, a, evalID, unitID)
		if err != nil {
			return err
		}
		if !e.Open() {
			return apperr.Conflict("control.error.eval_not_open")
		}
		if u.State != UnitSubmitted {
			return apperr.Conflict("control.error.unit_not_submitted")
		}
		if err := s.setUnitState(ctx, tx, a, e, u, UnitPending, now); err != nil {
			return err
		}
		today := work.Day(now)
		due, ok := evalDay(e.DueOn)
		if !ok || due.Before(today) {
			due = today.AddDate(0, 0, 7)
		}
		_, err = s.Work.Assign(ctx, tx, a, evalAnswerTask(e, unitID, u.UnitName, u.HeadID, due))
		return err
	})
}

const evidenceColumns = `id, evaluation_id, unit_id, standard, question, kind, entity, COALESCE(entity_id, 0), title, href, notes, added_by, created_at`

func evalEvidenceScan(row interface{ Scan(...any) error }) (Evidence, error) {
	var x Evidence
	err := row.Scan(&x.ID, &x.EvaluationID, &x.UnitID, &x.Standard, &x.Question, &x.Kind, &x.Entity, &x.EntityID, &x.Title, &x.Href, &x.Notes,
		&x.AddedBy, &x.CreatedAt)
	return x, err
}

func evalEvidenceOf(ctx context.Context, q evalQuerier, tenant, evalID, unitID int64) ([]Evidence, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+evidenceColumns+` FROM control_evidence WHERE tenant_id = $1 AND evaluation_id = $2 AND unit_id = $3
		ORDER BY standard, id`, tenant, evalID, unitID)
	if err != nil {
		return nil, fmt.Errorf("cannot read control evidence: %w", err)
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		x, err := evalEvidenceScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read control evidence: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// validate checks evidence against the evaluation's model.
func (in *EvidenceInput) validate(model frameworks.OSGG) error {
	v := apperr.Validation{}
	in.Question = strings.TrimSpace(in.Question)
	in.Title = textutil.Clean(in.Title)
	in.Href = strings.TrimSpace(in.Href)
	in.Notes = textutil.CleanText(in.Notes)
	st, ok := model.Standard(in.Standard)
	if !ok {
		v.Add("ev_standard", "error.choice")
	} else if in.Question != "" && !slices.ContainsFunc(st.Questions, func(q frameworks.OSGGQuestion) bool { return q.Code == in.Question }) {
		v.Add("ev_question", "error.choice")
	}
	switch {
	case !slices.Contains(EvidenceKinds, in.Kind):
		v.Add("ev_kind", "error.choice")
	case in.Kind == EvidenceNote:
		in.Entity, in.EntityID = "", 0
		if in.Title == "" {
			v.Add("ev_title", "error.required")
		}
		if in.Href != "" && !strings.HasPrefix(in.Href, "https://") && !strings.HasPrefix(in.Href, "http://") {
			v.Add("ev_href", "control.error.evidence_href")
		}
	default:
		in.Entity = EvidenceEntity(in.Kind)
		if in.EntityID <= 0 {
			v.Add("ev_entity_id", "error.required")
		}
	}
	if utf8.RuneCountInString(in.Title) > EvalMaxLine {
		v.Add("ev_title", "error.too_long")
	}
	if utf8.RuneCountInString(in.Href) > 1000 {
		v.Add("ev_href", "error.too_long")
	}
	if utf8.RuneCountInString(in.Notes) > EvalMaxExplanation {
		v.Add("ev_notes", "error.too_long")
	}
	return v.Err()
}

// evalLinked reads the title and page of a record of the institution that
// evidence of kind names.
func evalLinked(ctx context.Context, q evalQuerier, tenant int64, kind string, id int64) (title, href string, err error) {
	src, ok := evidenceSources[kind]
	if !ok {
		return "", "", apperr.Validation{"ev_kind": "error.choice"}
	}
	err = q.QueryRowContext(ctx, `SELECT `+src.title+` FROM `+src.table+` WHERE tenant_id = $1 AND id = $2`, tenant, id).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", apperr.Validation{"ev_entity_id": "control.error.evidence_record"}
	}
	if err != nil {
		return "", "", fmt.Errorf("cannot read evidence record: %w", err)
	}
	return evalClip(title, EvalMaxLine), fmt.Sprintf(src.page, id), nil
}

// AddEvidence links a record or a note to a compartment's standard.
func (s *Service) AddEvidence(ctx context.Context, a auth.Actor, evalID, unitID int64, in EvidenceInput) (Evidence, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Evidence{}, err
	}
	now := s.Clock.Now()
	var out Evidence
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, u, err := evalAnswerable(ctx, tx, a, evalID, unitID)
		if err != nil {
			return err
		}
		if err := in.validate(e.OSGG()); err != nil {
			return err
		}
		if in.Kind != EvidenceNote {
			title, href, err := evalLinked(ctx, tx, a.Tenant, in.Kind, in.EntityID)
			if err != nil {
				return err
			}
			if in.Title == "" {
				in.Title = title
			}
			in.Href = href
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_evidence (tenant_id, evaluation_id, unit_id, standard, question, kind, entity, entity_id,
				title, href, notes, added_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			a.Tenant, evalID, unitID, in.Standard, in.Question, in.Kind, in.Entity, evalNull(in.EntityID), in.Title, in.Href, in.Notes, a.Name, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record control evidence: %w", err)
		}
		out, err = evalEvidenceScan(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM control_evidence WHERE tenant_id = $1 AND id = $2`, a.Tenant, id))
		if err != nil {
			return fmt.Errorf("cannot read control evidence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityEvidence,
			EntityID: id, Summary: strconv.Itoa(e.Year) + " · " + u.UnitName + " · " + strconv.Itoa(in.Standard) + ": " + out.Title, After: out})
	})
	return out, err
}

// RemoveEvidence removes one piece of evidence.
func (s *Service) RemoveEvidence(ctx context.Context, a auth.Actor, evalID, unitID, evidenceID int64) error {
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, u, err := evalAnswerable(ctx, tx, a, evalID, unitID)
		if err != nil {
			return err
		}
		before, err := evalEvidenceScan(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM control_evidence
			WHERE tenant_id = $1 AND evaluation_id = $2 AND unit_id = $3 AND id = $4`, a.Tenant, evalID, unitID, evidenceID))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound(EntityEvidence)
		}
		if err != nil {
			return fmt.Errorf("cannot read control evidence: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM control_evidence WHERE tenant_id = $1 AND id = $2`, a.Tenant, evidenceID); err != nil {
			return fmt.Errorf("cannot remove control evidence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityEvidence,
			EntityID: evidenceID, Summary: strconv.Itoa(e.Year) + " · " + u.UnitName + " · " + strconv.Itoa(before.Standard) + ": " + before.Title, Before: before})
	})
}

// evidenceSearchKinds are the kinds EvidenceOptions searches, in the
// order it lists them.
var evidenceSearchKinds = []string{EvidenceDocument, EvidenceRisk, EvidenceCase, EvidenceAudit, EvidenceReview, EvidenceIndicator, EvidenceTraining}

// EvidenceOptions lists records matching q that may back an answer: up to
// limit of each kind (documents, risks, cases, audits, reviews, KPIs,
// training programmes), matched on their folded search text, the latest
// first.
func (s *Service) EvidenceOptions(ctx context.Context, a auth.Actor, q string, limit int) ([]EvidenceOption, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	// Every word must match, in any order.
	where := `tenant_id = $1`
	args := []any{a.Tenant}
	for i, w := range strings.Fields(textutil.Fold(q)) {
		if i == 8 {
			break
		}
		args = append(args, db.LikePattern(w))
		where += ` AND search_text LIKE $` + strconv.Itoa(len(args)) + ` ESCAPE '\'`
	}
	args = append(args, limit)
	var out []EvidenceOption
	for _, kind := range evidenceSearchKinds {
		src := evidenceSources[kind]
		rows, err := s.DB.R.QueryContext(ctx, `SELECT id, `+src.title+` FROM `+src.table+` WHERE `+where+` ORDER BY id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
		if err != nil {
			return nil, fmt.Errorf("cannot search evidence records: %w", err)
		}
		for rows.Next() {
			var id int64
			var title string
			if err := rows.Scan(&id, &title); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cannot search evidence records: %w", err)
			}
			out = append(out, EvidenceOption{Kind: kind, Entity: src.entity, EntityID: id, Title: evalClip(title, EvalMaxLine), Href: fmt.Sprintf(src.page, id)})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Token identifies the state of the standard's answers as read: a form
// sends it back, and a save against another state is refused as stale.
func (sa StandardAnswers) Token() string { return answersToken(slices.Values(sa.Answers)) }

// answersToken is the number of answers given and the time of the latest.
func answersToken(answers iter.Seq[Answer]) string {
	n, latest := 0, int64(0)
	for x := range answers {
		if x.Answer == "" {
			continue
		}
		n++
		latest = max(latest, x.UpdatedAt.UnixNano())
	}
	return strconv.Itoa(n) + "." + strconv.FormatInt(latest, 10)
}
