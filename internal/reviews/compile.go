package reviews

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/improvement"
	"cadran/internal/risks"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// InputRecord is one input of a review as stored: the facts compiled for
// it (a snapshot, frozen once the meeting is held), the quality office's
// written assessment and its conclusion.
type InputRecord struct {
	Input      string          `json:"input"`
	Position   int             `json:"position"`
	Facts      []evidence.Fact `json:"facts"`
	Assessment string          `json:"assessment,omitempty"`
	Conclusion string          `json:"conclusion,omitempty"`
	UpdatedAt  time.Time       `json:"-"`
	Version    int             `json:"version"`
}

// Letter is the input's letter in ISO 9001 9.3.2: "a", "c4".
func (in InputRecord) Letter() string { return Letters[in.Input] }

// createInputs gives a new review its twelve inputs, empty.
func createInputs(ctx context.Context, tx *sql.Tx, tenant, id int64, now time.Time) error {
	for i, in := range evidence.Inputs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_inputs (tenant_id, review_id, input, position, facts, updated_at) VALUES ($1, $2, $3, $4, '[]', $5)`,
			tenant, id, in, i+1, now); err != nil {
			return fmt.Errorf("cannot add review input: %w", err)
		}
	}
	return nil
}

func inputsOf(ctx context.Context, q querier, tenant, id int64) ([]InputRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT input, position, facts, assessment, conclusion, updated_at, version FROM review_inputs
		WHERE tenant_id = $1 AND review_id = $2 ORDER BY position`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read review inputs: %w", err)
	}
	defer rows.Close()
	var out []InputRecord
	for rows.Next() {
		var in InputRecord
		var facts string
		if err := rows.Scan(&in.Input, &in.Position, &facts, &in.Assessment, &in.Conclusion, &in.UpdatedAt, &in.Version); err != nil {
			return nil, fmt.Errorf("cannot read review inputs: %w", err)
		}
		if in.Facts, err = decodeFacts(facts); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// decodeFacts reads a snapshot; whole numbers come back as integers, so
// they print and compare as they were compiled.
func decodeFacts(s string) ([]evidence.Fact, error) {
	var facts []evidence.Fact
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if err := d.Decode(&facts); err != nil {
		return nil, fmt.Errorf("cannot read review facts: %w", err)
	}
	for i := range facts {
		for k, v := range facts[i].Args {
			if n, ok := v.(json.Number); ok {
				if x, err := n.Int64(); err == nil {
					facts[i].Args[k] = x
				} else if f, err := n.Float64(); err == nil {
					facts[i].Args[k] = f
				}
			}
		}
	}
	return facts, nil
}

// Compile gathers the facts of every input for the review's period from
// the registers and the other modules, and stores them with the review:
// the first compilation prepares it; compiling again refreshes the
// figures until the meeting is held. Written assessments are kept.
func (s *Service) Compile(ctx context.Context, a auth.Actor, id int64, version int) (Review, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Review{}, err
	}
	r, err := getReview(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Review{}, err
	}
	if r.Frozen() {
		return Review{}, apperr.Conflict("reviews.error.frozen")
	}
	facts, err := s.gather(ctx, a.Tenant, r)
	if err != nil {
		return Review{}, err
	}
	byInput := map[string][]evidence.Fact{}
	for _, f := range facts {
		if slices.Contains(evidence.Inputs, f.Input) {
			byInput[f.Input] = append(byInput[f.Input], f)
		}
	}
	now := s.Clock.Now()
	var out Review
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getReview(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Frozen() {
			return apperr.Conflict("reviews.error.frozen")
		}
		if before.Version != version || before.PeriodFrom != r.PeriodFrom || before.PeriodTo != r.PeriodTo {
			return apperr.Stale()
		}
		state := before.State
		var step *workflow.Step
		if before.State == StatePlanned {
			st, err := Flow.Fire(StatePlanned, ActPrepare, a, gate{before}, "", now)
			if err != nil {
				return err
			}
			step, state = &st, string(st.To)
		}
		counts := map[string]int{}
		for _, in := range evidence.Inputs {
			list := byInput[in]
			if list == nil {
				list = []evidence.Fact{}
			}
			counts[in] = len(list)
			b, err := json.Marshal(list)
			if err != nil {
				return fmt.Errorf("cannot store review facts: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE review_inputs SET facts = $1, updated_at = $2 WHERE tenant_id = $3 AND review_id = $4 AND input = $5`,
				string(b), now, a.Tenant, id, in); err != nil {
				return fmt.Errorf("cannot store review facts: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE reviews SET state = $1, compiled_at = $2, compiled_by = $3, compiled_from = $4, compiled_to = $5, updated_at = $2, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, state, now, a.Name, before.PeriodFrom, before.PeriodTo, a.Tenant, id, version)
		if err != nil {
			return fmt.Errorf("cannot change review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if step != nil {
			if err := insertStep(ctx, tx, a, id, *step); err != nil {
				return err
			}
		}
		if out, err = getReview(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "review", EntityID: id,
			Summary: out.Code + ": compile", Before: map[string]any{"state": before.State, "compiled_at": before.CompiledAt},
			After: map[string]any{"state": out.State, "compiled_at": out.CompiledAt, "period_from": out.PeriodFrom, "period_to": out.PeriodTo, "facts": counts}})
	})
	return out, err
}

// AssessmentInput is the quality office's written assessment of an input.
type AssessmentInput struct {
	Text       string
	Conclusion string
	Version    int
}

// SaveAssessment records the assessment and conclusion of one input, until
// the review is closed.
func (s *Service) SaveAssessment(ctx context.Context, a auth.Actor, id int64, input string, in AssessmentInput) (InputRecord, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return InputRecord{}, err
	}
	if !slices.Contains(evidence.Inputs, input) {
		return InputRecord{}, apperr.NotFound("review_input")
	}
	in.Text = strings.TrimSpace(textutil.CleanText(in.Text))
	v := apperr.Validation{}
	if utf8.RuneCountInString(in.Text) > MaxText {
		v.Add("review_assessment", "error.too_long")
	}
	if in.Conclusion != "" && !slices.Contains(Conclusions, in.Conclusion) {
		v.Add("conclusion", "error.choice")
	}
	if err := v.Err(); err != nil {
		return InputRecord{}, err
	}
	now := s.Clock.Now()
	var out InputRecord
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := getReview(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if r.State == StateClosed || r.State == StateCancelled {
			return apperr.Conflict("reviews.error.locked")
		}
		list, err := inputsOf(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(x InputRecord) bool { return x.Input == input })
		if i < 0 {
			return apperr.NotFound("review_input")
		}
		before := list[i]
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE review_inputs SET assessment = $1, conclusion = $2, updated_at = $3, version = version + 1
			WHERE tenant_id = $4 AND review_id = $5 AND input = $6 AND version = $7`, in.Text, in.Conclusion, now, a.Tenant, id, input, in.Version)
		if err != nil {
			return fmt.Errorf("cannot save assessment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		out = before
		out.Assessment, out.Conclusion, out.Version, out.UpdatedAt = in.Text, in.Conclusion, before.Version+1, now
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "review_input", EntityID: id,
			Summary: r.Code + " " + Letters[input] + ") " + input,
			Before:  map[string]string{"assessment": before.Assessment, "conclusion": before.Conclusion},
			After:   map[string]string{"assessment": out.Assessment, "conclusion": out.Conclusion}})
	})
	return out, err
}

// FactView is a fact beside the same fact in the previous review.
type FactView struct {
	evidence.Fact
	// Prev is the previous review's fact with the same key and subject,
	// when its figures differ; New marks a fact the previous review did
	// not have.
	Prev *evidence.Fact
	New  bool
}

// InputView is an input as the review's page and minutes show it.
type InputView struct {
	InputRecord
	Facts []FactView
	// The previous review's assessment of the same input, as a reminder.
	PrevAssessment, PrevConclusion string
}

// InputViews returns r's inputs with what changed against prev (the
// previous review; nil: none).
func (s *Service) InputViews(ctx context.Context, a auth.Actor, r Review, prev *Review) ([]InputView, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return nil, err
	}
	cur, err := inputsOf(ctx, s.DB.R, a.Tenant, r.ID)
	if err != nil {
		return nil, err
	}
	var before map[string]InputRecord
	if prev != nil {
		list, err := inputsOf(ctx, s.DB.R, a.Tenant, prev.ID)
		if err != nil {
			return nil, err
		}
		before = map[string]InputRecord{}
		for _, in := range list {
			before[in.Input] = in
		}
	}
	return compare(cur, before, prev != nil && prev.Compiled()), nil
}

// compare marks each fact of cur against the facts of the same input in
// before.
func compare(cur []InputRecord, before map[string]InputRecord, compiled bool) []InputView {
	out := make([]InputView, 0, len(cur))
	for _, in := range cur {
		v := InputView{InputRecord: in}
		old, had := before[in.Input]
		if had {
			v.PrevAssessment, v.PrevConclusion = old.Assessment, old.Conclusion
		}
		idx := map[string]evidence.Fact{}
		for _, f := range old.Facts {
			idx[identity(f)] = f
		}
		for _, f := range in.Facts {
			fv := FactView{Fact: f}
			if compiled {
				if p, ok := idx[identity(f)]; !ok {
					fv.New = true
				} else if figuresDiffer(f, p) {
					p := p
					fv.Prev = &p
				}
			}
			v.Facts = append(v.Facts, fv)
		}
		out = append(out, v)
	}
	return out
}

// identity names what a fact is about: its key and its text arguments.
func identity(f evidence.Fact) string {
	keys := make([]string, 0, len(f.Args))
	for k, v := range f.Args {
		if _, ok := number(v); !ok {
			keys = append(keys, k+"="+fmt.Sprint(v))
		}
	}
	sort.Strings(keys)
	return f.Key + "|" + strings.Join(keys, "|")
}

// figuresDiffer reports whether two facts of the same identity show other
// numbers.
func figuresDiffer(a, b evidence.Fact) bool {
	for k, v := range a.Args {
		x, ok := number(v)
		if !ok {
			continue
		}
		y, ok := number(b.Args[k])
		if !ok || x != y {
			return true
		}
	}
	return false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// Previous is the review r is compared with: the one it was prepared from,
// else the latest review held before it. ok is false when there is none.
func (s *Service) Previous(ctx context.Context, a auth.Actor, r Review) (Review, bool, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return Review{}, false, err
	}
	id := r.PreviousID
	if id == 0 {
		err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM reviews WHERE tenant_id = $1 AND id <> $2 AND state IN ($3, $4) AND held_on <> '' AND held_on < $5
			ORDER BY held_on DESC, id DESC LIMIT 1`, a.Tenant, r.ID, StateHeld, StateClosed, r.MeetingDay()).Scan(&id)
		if err == sql.ErrNoRows {
			return Review{}, false, nil
		}
		if err != nil {
			return Review{}, false, fmt.Errorf("cannot find the previous review: %w", err)
		}
	}
	p, err := getReview(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Review{}, false, err
	}
	return p, true, nil
}

// gather compiles every fact of r's period: the registers' own, through
// SQL over their tables (read only, scoped to the tenant), then the other
// modules'.
func (s *Service) gather(ctx context.Context, tenant int64, r Review) ([]evidence.Fact, error) {
	from, to := r.Period()
	g := &gatherer{ctx: ctx, q: s.DB.R, tenant: tenant, from: from.Format(time.DateOnly), to: to.Format(time.DateOnly),
		fromT: from, toT: to, today: s.today().Format(time.DateOnly), review: r}
	for _, step := range []func() error{g.previousActions, g.context, g.satisfaction, g.processes, g.nonconformities, g.risks, g.improvement, g.resources} {
		if err := step(); err != nil {
			return nil, err
		}
		if g.err != nil {
			return nil, g.err
		}
	}
	for _, src := range s.Inputs {
		if src == nil {
			continue
		}
		facts, err := src.ReviewFacts(ctx, tenant, evidence.Period{From: from, To: to})
		if err != nil {
			return nil, fmt.Errorf("cannot compile the review inputs: %w", err)
		}
		g.facts = append(g.facts, facts...)
	}
	// Inputs no module feeds: say so, the written assessment covers them.
	have := map[string]bool{}
	for _, f := range g.facts {
		have[f.Input] = true
	}
	for _, in := range evidence.Inputs {
		if !have[in] {
			g.add(in, "reviews.fact.no_data", nil, "", false)
		}
	}
	return g.facts, nil
}

// gatherer holds what compiling one review needs; the first error stops it.
type gatherer struct {
	ctx        context.Context
	q          querier
	tenant     int64
	from, to   string    // the period as days: from inclusive, to exclusive
	fromT, toT time.Time // the same as moments
	today      string
	review     Review
	facts      []evidence.Fact
	err        error
}

func (g *gatherer) add(input, key string, args map[string]any, href string, warn bool) {
	g.facts = append(g.facts, evidence.Fact{Input: input, Key: key, Args: args, Href: href, Warn: warn})
}

// count runs a COUNT query; its first argument is always the tenant.
func (g *gatherer) count(q string, args ...any) int {
	if g.err != nil {
		return 0
	}
	var n sql.NullInt64
	if err := g.q.QueryRowContext(g.ctx, q, append([]any{g.tenant}, args...)...).Scan(&n); err != nil {
		g.err = fmt.Errorf("cannot compile the review inputs: %w", err)
		return 0
	}
	return int(n.Int64)
}

// previousActions is input a): the actions decided in earlier reviews,
// each open one with its current status.
func (g *gatherer) previousActions() error {
	const scope = ` FROM review_actions x JOIN reviews r ON r.tenant_id = x.tenant_id AND r.id = x.review_id
		WHERE x.tenant_id = $1 AND x.review_id <> $2 AND r.held_on <> '' AND r.held_on <= $3`
	meeting := g.review.MeetingDay()
	total := g.count(`SELECT COUNT(*)`+scope, g.review.ID, meeting)
	if total == 0 {
		g.add(evidence.InputPreviousActions, "reviews.fact.prev_none", nil, "", false)
		return nil
	}
	done := g.count(`SELECT COUNT(*)`+scope+` AND x.state = $4`, g.review.ID, meeting, ActionDone)
	open := g.count(`SELECT COUNT(*)`+scope+` AND x.state = $4`, g.review.ID, meeting, ActionOpen)
	overdue := g.count(`SELECT COUNT(*)`+scope+` AND x.state = $4 AND x.due_on < $5`, g.review.ID, meeting, ActionOpen, g.today)
	g.add(evidence.InputPreviousActions, "reviews.fact.prev_actions", map[string]any{"N": total, "Done": done, "Open": open}, "/reviews/actions", false)
	if open > 0 {
		g.add(evidence.InputPreviousActions, "reviews.fact.prev_overdue", map[string]any{"N": overdue}, "/reviews/actions?overdue=1", overdue > 0)
	}
	if g.err != nil {
		return nil
	}
	rows, err := g.q.QueryContext(g.ctx, `SELECT x.id, x.review_id, r.code, x.description, COALESCE(p.full_name, ''), x.due_on`+
		strings.Replace(scope, "WHERE", "LEFT JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.owner_id WHERE", 1)+
		` AND x.state = $4 ORDER BY x.due_on, x.id LIMIT 50`, g.tenant, g.review.ID, meeting, ActionOpen)
	if err != nil {
		return fmt.Errorf("cannot compile the review inputs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, rid int64
		var code, text, owner, due string
		if err := rows.Scan(&id, &rid, &code, &text, &owner, &due); err != nil {
			return fmt.Errorf("cannot compile the review inputs: %w", err)
		}
		key, late := "reviews.fact.open_action", due < g.today
		if late {
			key = "reviews.fact.overdue_action"
		}
		g.add(evidence.InputPreviousActions, key, map[string]any{"Code": code, "Text": clip(text, 200), "Owner": owner, "DueDay": due},
			fmt.Sprintf("/reviews/%d#action-%d", rid, id), late)
	}
	return rows.Err()
}

// context is input b): changes in the organisation and the external
// documents (laws, regulations) that came into force.
func (g *gatherer) context() error {
	units := g.count(`SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3`, g.fromT, g.toT)
	g.add(evidence.InputContext, "reviews.fact.units_new", map[string]any{"N": units}, "/units", false)
	ext := g.count(`SELECT COUNT(DISTINCT d.id) FROM documents d JOIN document_versions v ON v.tenant_id = d.tenant_id AND v.document_id = d.id
		WHERE d.tenant_id = $1 AND d.kind IN ($2, $3) AND v.state IN ($4, $5) AND v.effective_on >= $6 AND v.effective_on < $7`,
		documents.KindExternal, documents.KindRegulation, documents.StateInForce, documents.StateSuperseded, g.from, g.to)
	g.add(evidence.InputContext, "reviews.fact.external_docs", map[string]any{"N": ext}, "/documents?kind="+documents.KindExternal, false)
	g.add(evidence.InputContext, "reviews.fact.context_written", nil, "", false)
	return nil
}

// satisfaction is input c1): the citizens' complaints recorded as
// nonconformities; surveys are not kept in Cadran yet.
func (g *gatherer) satisfaction() error {
	n := g.count(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND source = $2 AND detected_on >= $3 AND detected_on < $4`,
		improvement.SourceComplaint, g.from, g.to)
	closed := g.count(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND source = $2 AND state = $3 AND closed_on >= $4 AND closed_on < $5`,
		improvement.SourceComplaint, improvement.StateClosed, g.from, g.to)
	g.add(evidence.InputSatisfaction, "reviews.fact.complaints", map[string]any{"N": n, "Closed": closed}, "/nonconformities?source="+improvement.SourceComplaint, false)
	g.add(evidence.InputSatisfaction, "reviews.fact.no_survey", nil, "", false)
	g.add(evidence.InputObjectives, "reviews.fact.no_objectives", nil, "", false)
	g.add(evidence.InputMonitoring, "reviews.fact.no_indicators", nil, "", false)
	g.add(evidence.InputProviders, "reviews.fact.no_providers", nil, "", false)
	return nil
}

// processes is input c3): the procedures in force and changed, documents
// overdue for their periodic review, read acknowledgements, overdue work.
func (g *gatherer) processes() error {
	inForce := g.count(`SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND kind IN ($2, $3) AND state = $4`,
		documents.KindSystem, documents.KindOperational, documents.StateInForce)
	g.add(evidence.InputProcesses, "reviews.fact.procedures", map[string]any{"N": inForce}, "/documents?state="+documents.StateInForce, false)
	const changed = `SELECT COUNT(*) FROM document_versions v JOIN documents d ON d.tenant_id = v.tenant_id AND d.id = v.document_id
		WHERE v.tenant_id = $1 AND d.kind IN ($2, $3) AND v.state IN ($4, $5) AND v.effective_on >= $6 AND v.effective_on < $7`
	args := []any{documents.KindSystem, documents.KindOperational, documents.StateInForce, documents.StateSuperseded, g.from, g.to}
	fresh := g.count(changed+` AND v.edition = 1 AND v.revision = 0`, args...)
	revised := g.count(changed+` AND NOT (v.edition = 1 AND v.revision = 0)`, args...)
	g.add(evidence.InputProcesses, "reviews.fact.procedures_changed", map[string]any{"New": fresh, "Revised": revised}, "/documents", false)
	overdue := g.count(`SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND state = $2 AND next_review_on <> '' AND next_review_on < $3`,
		documents.StateInForce, g.today)
	g.add(evidence.InputProcesses, "reviews.fact.docs_review_overdue", map[string]any{"N": overdue}, "/documents", overdue > 0)
	const receipts = ` FROM document_receipts r JOIN documents d ON d.tenant_id = r.tenant_id AND d.current_id = r.version_id
		WHERE r.tenant_id = $1 AND d.state = $2`
	total := g.count(`SELECT COUNT(*)`+receipts, documents.StateInForce)
	if total > 0 {
		acked := g.count(`SELECT COUNT(*)`+receipts+` AND r.acknowledged_at IS NOT NULL`, documents.StateInForce)
		pct := int(math.Round(100 * float64(acked) / float64(total)))
		g.add(evidence.InputProcesses, "reviews.fact.ack_rate", map[string]any{"Pct": pct, "Done": acked, "N": total}, "/documents", pct < 90)
	}
	tasks := g.count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = $2 AND due_on < $3`, work.StateOpen, g.today)
	g.add(evidence.InputProcesses, "reviews.fact.tasks_overdue", map[string]any{"N": tasks}, "/tasks", tasks > 0)
	return nil
}

// nonconformities is input c4): cases opened and closed in the period by
// severity and source, corrective actions overdue, actions found not
// effective.
func (g *gatherer) nonconformities() error {
	// One pass over the period's cases, by severity and source.
	rows, err := g.q.QueryContext(g.ctx, `SELECT severity, source, COUNT(*) FROM nonconformities
		WHERE tenant_id = $1 AND detected_on >= $2 AND detected_on < $3 AND state NOT IN ($4, $5) GROUP BY severity, source`,
		g.tenant, g.from, g.to, improvement.StateDeclined, improvement.StateCancelled)
	if err != nil {
		return fmt.Errorf("cannot compile the review inputs: %w", err)
	}
	bySeverity, bySource, total := map[string]int{}, map[string]int{}, 0
	for rows.Next() {
		var sev, src string
		var n int
		if err := rows.Scan(&sev, &src, &n); err != nil {
			rows.Close()
			return fmt.Errorf("cannot compile the review inputs: %w", err)
		}
		bySeverity[sev] += n
		bySource[src] += n
		total += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot compile the review inputs: %w", err)
	}
	args := map[string]any{"N": total}
	for _, sev := range improvement.Severities {
		args[strings.ToUpper(sev[:1])+sev[1:]] = bySeverity[sev]
	}
	g.add(evidence.InputNonconformities, "reviews.fact.nc_opened", args, "/nonconformities", bySeverity[improvement.SeverityMajor] > 0)
	for _, src := range improvement.Sources {
		if n := bySource[src]; n > 0 {
			g.add(evidence.InputNonconformities, "reviews.fact.nc_source."+src, map[string]any{"N": n}, "/nonconformities?source="+src, false)
		}
	}
	closed := g.count(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND state = $2 AND closed_on >= $3 AND closed_on < $4`, improvement.StateClosed, g.from, g.to)
	g.add(evidence.InputNonconformities, "reviews.fact.nc_closed", map[string]any{"N": closed}, "/nonconformities?state="+improvement.StateClosed, false)
	open := g.count(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND state IN ($2, $3, $4, $5)`,
		improvement.StateReported, improvement.StateAnalysis, improvement.StateActions, improvement.StateVerification)
	g.add(evidence.InputNonconformities, "reviews.fact.nc_open", map[string]any{"N": open}, "/nonconformities?state=open", false)
	late := g.count(`SELECT COUNT(*) FROM improvement_actions WHERE tenant_id = $1 AND nc_id IS NOT NULL AND state = $2 AND due_on <> '' AND due_on < $3`,
		improvement.ActionOpen, g.today)
	g.add(evidence.InputNonconformities, "reviews.fact.ca_overdue", map[string]any{"N": late}, "/nonconformities/actions?overdue=1", late > 0)
	ineffective := g.count(`SELECT COUNT(*) FROM nc_checks WHERE tenant_id = $1 AND verdict = $2 AND checked_on >= $3 AND checked_on < $4`,
		improvement.VerdictNotEffective, g.from, g.to)
	effective := g.count(`SELECT COUNT(*) FROM nc_checks WHERE tenant_id = $1 AND verdict = $2 AND checked_on >= $3 AND checked_on < $4`,
		improvement.VerdictEffective, g.from, g.to)
	g.add(evidence.InputNonconformities, "reviews.fact.checks", map[string]any{"N": effective + ineffective, "Effective": effective, "NotEffective": ineffective}, "", ineffective > 0)
	return nil
}

// risks is input e): the register of the period's last year: new risks,
// risks above tolerance, exposure before and after control, measures.
func (g *gatherer) risks() error {
	year := g.toT.AddDate(0, 0, -1).Year()
	var y sql.NullInt64
	if err := g.q.QueryRowContext(g.ctx, `SELECT MAX(year) FROM risks WHERE tenant_id = $1 AND year <= $2`, g.tenant, year).Scan(&y); err != nil {
		return fmt.Errorf("cannot compile the review inputs: %w", err)
	}
	if !y.Valid {
		g.add(evidence.InputRisks, "reviews.fact.no_risks", nil, "/risks", false)
		return nil
	}
	year = int(y.Int64)
	tolerance := risks.Defaults(5).Tolerance
	var scale, tol int
	err := g.q.QueryRowContext(g.ctx, `SELECT scale, tolerance FROM risk_settings WHERE tenant_id = $1`, g.tenant).Scan(&scale, &tol)
	switch {
	case err == nil:
		tolerance = tol
	case err != sql.ErrNoRows:
		return fmt.Errorf("cannot compile the review inputs: %w", err)
	}
	fresh := g.count(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND kind = $2 AND previous_id IS NULL AND state NOT IN ($3, $4) AND created_at >= $5 AND created_at < $6`,
		risks.KindRisk, risks.StateProposed, risks.StateDeclined, g.fromT, g.toT)
	g.add(evidence.InputRisks, "reviews.fact.risks_new", map[string]any{"N": fresh}, "/risks", false)
	const active = ` FROM risks WHERE tenant_id = $1 AND year = $2 AND kind = $3 AND state = $4`
	n := g.count(`SELECT COUNT(*)`+active, year, risks.KindRisk, risks.StateActive)
	above := g.count(`SELECT COUNT(*)`+active+` AND cur_e > $5`, year, risks.KindRisk, risks.StateActive, tolerance)
	g.add(evidence.InputRisks, "reviews.fact.risks_active", map[string]any{"N": n, "Above": above, "Year": year, "Tolerance": tolerance},
		fmt.Sprintf("/risks?year=%d", year), above > 0)
	inh := g.count(`SELECT SUM(inherent_e)`+active, year, risks.KindRisk, risks.StateActive)
	cur := g.count(`SELECT SUM(cur_e)`+active, year, risks.KindRisk, risks.StateActive)
	if inh > 0 {
		pct := int(math.Round(100 * float64(inh-cur) / float64(inh)))
		g.add(evidence.InputRisks, "reviews.fact.exposure", map[string]any{"Inherent": inh, "Residual": cur, "Pct": pct}, "/risks", false)
	}
	const measures = ` FROM risk_measures m JOIN risks r ON r.tenant_id = m.tenant_id AND r.id = m.risk_id WHERE m.tenant_id = $1 AND r.year = $2`
	done := g.count(`SELECT COUNT(*)`+measures+` AND m.state = $3`, year, risks.MeasureDone)
	late := g.count(`SELECT COUNT(*)`+measures+` AND m.state IN ($3, $4) AND m.deadline <> '' AND m.deadline < $5 AND r.state = $6`,
		year, risks.MeasurePlanned, risks.MeasureInProgress, g.today, risks.StateActive)
	g.add(evidence.InputRisks, "reviews.fact.measures", map[string]any{"Done": done, "N": late}, "/risks", late > 0)
	reviewed := g.count(`SELECT COUNT(*) FROM risk_reviews WHERE tenant_id = $1 AND reviewed_on >= $2 AND reviewed_on < $3`, g.from, g.to)
	g.add(evidence.InputRisks, "reviews.fact.risk_reviews", map[string]any{"N": reviewed}, "/risks/reviews", false)
	return nil
}

// improvement is input f): the employees' improvement proposals and the
// opportunities for improvement found in audits.
func (g *gatherer) improvement() error {
	submitted := g.count(`SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1 AND submitted_on >= $2 AND submitted_on < $3`, g.from, g.to)
	accepted := g.count(`SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1 AND state IN ($2, $3) AND decided_on >= $4 AND decided_on < $5`,
		improvement.PropAccepted, improvement.PropImplemented, g.from, g.to)
	implemented := g.count(`SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1 AND state = $2 AND updated_at >= $3 AND updated_at < $4`,
		improvement.PropImplemented, g.fromT, g.toT)
	g.add(evidence.InputImprovement, "reviews.fact.proposals", map[string]any{"N": submitted, "Accepted": accepted, "Implemented": implemented}, "/proposals", false)
	opp := g.count(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND severity = $2 AND detected_on >= $3 AND detected_on < $4`,
		improvement.SeverityOpportunity, g.from, g.to)
	g.add(evidence.InputImprovement, "reviews.fact.opportunities", map[string]any{"N": opp}, "/nonconformities?severity="+improvement.SeverityOpportunity, false)
	return nil
}

// resources is input d): the people and units the system runs on; the
// budget and infrastructure go in the written assessment.
func (g *gatherer) resources() error {
	people := g.count(`SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND active`)
	units := g.count(`SELECT COUNT(*) FROM units WHERE tenant_id = $1`)
	g.add(evidence.InputResources, "reviews.fact.people", map[string]any{"N": people, "Units": units}, "/people", false)
	g.add(evidence.InputResources, "reviews.fact.resources_written", nil, "", false)
	return nil
}
