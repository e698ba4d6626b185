package control_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/benchtest"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/org"
)

// metWorld is A's internal managerial control written straight into the
// tables, so every figure is known:
//
//   - the 2025 self-evaluation, approved on 2026-02-10, answered by the
//     quality office, the economic directorate and the tax service:
//     standards 1 to 13 all yes everywhere (implemented); 14 not
//     applicable in quality, all yes in econ, one no in tax (partially
//     implemented); 15 all no everywhere (not implemented); 16 not
//     applicable everywhere (no status: counted not implemented). So 13
//     implemented, 1 partial, 2 not implemented: partially conform under
//     the default thresholds (16 / 13);
//   - the 2026 self-evaluation, open since 2026-11-01, due 2026-12-01,
//     every answer yes in the tax service, which submitted; the other two
//     pending with nothing answered;
//   - the 2026 development programme (approved): a1 due 1 March done 20
//     February, a2 due 30 June done 10 July, a3 due 30 September open, a4
//     due 31 December cancelled, a5 due 1 March 2027 open, a6 without a
//     due date; the 2027 programme (draft) with an action due 1 May 2026
//     done on time (a draft's actions do not count);
//   - activities: two covered (one of them also with an exemption text),
//     one exempt, two missing, all recorded on t0; one more missing
//     recorded on 1 February 2027;
//   - sensitive functions: F1 (rotation, 5 years) with Ema since
//     2020-03-01, Ion since 2022-01-01, Dan from 2015-01-01 to 2019-12-31;
//     F2 (no rotation) with Viorica since 2010; F3 retired with Ana since
//     2010; F4 (rotation, 3 years) with Ana since 2024-02-29.
type metWorld struct {
	eval2025, eval2026 int64
}

func metExec(t testing.TB, e *env, q string, args ...any) {
	t.Helper()
	if _, err := e.d.W.ExecContext(t.Context(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func metInsert(t testing.TB, e *env, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), q+" RETURNING id", args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// metAnswerAll answers every question of standards in unit with answer,
// except the questions given in except (code → answer).
func metAnswerAll(t testing.TB, e *env, eval, unit int64, standards []int, answer string, except map[string]string) {
	t.Helper()
	m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
	tx, err := e.d.W.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, n := range standards {
		s, _ := m.Standard(n)
		for _, q := range s.Questions {
			a := answer
			if x, ok := except[q.Code]; ok {
				a = x
			}
			if a == "" {
				continue
			}
			if _, err := tx.ExecContext(t.Context(), `INSERT INTO control_answers (tenant_id, evaluation_id, unit_id, standard, question, answer, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.qm.Tenant, eval, unit, n, q.Code, a, t0); err != nil {
				t.Fatalf("answer %s: %v", q.Code, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func metSpan(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func newMetWorld(t testing.TB, e *env) metWorld {
	t.Helper()
	A := e.qm.Tenant
	var w metWorld
	w.eval2025 = metInsert(t, e, `INSERT INTO control_evaluations (tenant_id, year, model, state, opened_on, due_on, consolidated_on, approved_on, approved_by, created_at, updated_at)
		VALUES ($1, 2025, '2018', $2, '2025-11-03', '2025-12-05', '2026-01-20', '2026-02-10', 'Ana Mureșan', $3, $3)`, A, control.EvalApproved, t0)
	w.eval2026 = metInsert(t, e, `INSERT INTO control_evaluations (tenant_id, year, model, state, opened_on, due_on, created_at, updated_at)
		VALUES ($1, 2026, '2018', $2, '2026-11-01', '2026-12-01', $3, $3)`, A, control.EvalOpen, t0)
	for _, u := range []int64{e.quality, e.econ, e.tax} {
		metExec(t, e, `INSERT INTO control_eval_units (tenant_id, evaluation_id, unit_id, state) VALUES ($1, $2, $3, $4)`, A, w.eval2025, u, control.UnitSubmitted)
		state := control.UnitPending
		if u == e.tax {
			state = control.UnitSubmitted
		}
		metExec(t, e, `INSERT INTO control_eval_units (tenant_id, evaluation_id, unit_id, state) VALUES ($1, $2, $3, $4)`, A, w.eval2026, u, state)
		metAnswerAll(t, e, w.eval2025, u, metSpan(1, 13), control.AnswerYes, nil)
		metAnswerAll(t, e, w.eval2025, u, []int{15}, control.AnswerNo, nil)
		metAnswerAll(t, e, w.eval2025, u, []int{16}, control.AnswerNA, nil)
	}
	metAnswerAll(t, e, w.eval2025, e.quality, []int{14}, control.AnswerNA, nil)
	metAnswerAll(t, e, w.eval2025, e.econ, []int{14}, control.AnswerYes, nil)
	metAnswerAll(t, e, w.eval2025, e.tax, []int{14}, control.AnswerYes, map[string]string{"14.2": control.AnswerNo})
	metAnswerAll(t, e, w.eval2026, e.tax, metSpan(1, 16), control.AnswerYes, nil)

	p26 := metInsert(t, e, `INSERT INTO control_programmes (tenant_id, year, title, state, created_at, updated_at) VALUES ($1, 2026, 'Programul de dezvoltare 2026', $2, $3, $3)`, A, control.ProgrammeApproved, t0)
	p27 := metInsert(t, e, `INSERT INTO control_programmes (tenant_id, year, title, state, created_at, updated_at) VALUES ($1, 2027, 'Programul de dezvoltare 2027', $2, $3, $3)`, A, control.ProgrammeDraft, t0)
	action := func(p int64, title, due, state, done string) {
		metExec(t, e, `INSERT INTO control_actions (tenant_id, programme_id, standard, title, due_on, state, done_on, created_at, updated_at) VALUES ($1, $2, 9, $3, $4, $5, $6, $7, $7)`,
			A, p, title, due, state, done, t0)
	}
	action(p26, "a1", "2026-03-01", control.ActionDone, "2026-02-20")
	action(p26, "a2", "2026-06-30", control.ActionDone, "2026-07-10")
	action(p26, "a3", "2026-09-30", control.ActionOpen, "")
	action(p26, "a4", "2026-12-31", control.ActionCancelled, "")
	action(p26, "a5", "2027-03-01", control.ActionOpen, "")
	action(p26, "a6", "", control.ActionOpen, "")
	action(p27, "draft", "2026-05-01", control.ActionDone, "2026-04-01")

	doc := metInsert(t, e, `INSERT INTO documents (tenant_id, kind, code, title, review_months, state, sort_code, sort_title, created_at, updated_at)
		VALUES ($1, 'operational', 'PO-01', 'Procedura de încasare', 12, 'in_force', 'po-01', 'procedura de incasare', $2, $2)`, A, t0)
	activity := func(title string, doc any, exempt string, at time.Time) {
		metExec(t, e, `INSERT INTO control_activities (tenant_id, unit_id, title, document_id, exempt, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
			A, e.tax, title, doc, exempt, at)
	}
	activity("Încasarea impozitelor", doc, "", t0)
	activity("Restituirea sumelor", doc, "Acoperită de procedura generală", t0)
	activity("Arhivarea dosarelor", nil, "Nu necesită procedură separată", t0)
	activity("Executarea silită", nil, "", t0)
	activity("Scutiri și facilități", nil, "", t0)
	activity("Compensări", nil, "", time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC))

	function := func(title string, rotation bool, years int, state string) int64 {
		return metInsert(t, e, `INSERT INTO control_sensitive_functions (tenant_id, unit_id, title, factors, rotation, max_years, state, created_at, updated_at)
			VALUES ($1, $2, $3, 'money', $4, $5, $6, $7, $7)`, A, e.tax, title, rotation, years, state, t0)
	}
	holder := func(f, person int64, since, until string) {
		metExec(t, e, `INSERT INTO control_sensitive_holders (tenant_id, function_id, person_id, since_on, until_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
			A, f, person, since, until, t0)
	}
	f1 := function("Casier", true, 5, "active")
	f2 := function("Inspector unic", false, 5, "active")
	f3 := function("Funcție desființată", true, 5, "retired")
	f4 := function("Inspector achiziții publice", true, 3, "active")
	holder(f1, e.ema, "2020-03-01", "")
	holder(f1, e.ion, "2022-01-01", "")
	holder(f1, e.dan, "2015-01-01", "2019-12-31")
	holder(f2, e.vio, "2010-01-01", "")
	holder(f3, e.ana, "2010-01-01", "")
	holder(f4, e.ana, "2024-02-29", "")
	return w
}

func metDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestControlMetrics(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newMetWorld(t, e)
		A, B := e.qm.Tenant, e.other.Tenant
		type tc struct {
			name     string
			tenant   int64
			key      string
			from, to string
			value    float64
			ok       bool
		}
		check := func(cases []tc) {
			t.Helper()
			for _, c := range cases {
				v, ok, err := e.svc.Measure(ctx, c.tenant, c.key, metDay(c.from), metDay(c.to))
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				if ok != c.ok || v != c.value {
					t.Errorf("%s: %s = %v, %v; want %v, %v", c.name, c.key, v, ok, c.value, c.ok)
				}
			}
		}
		check([]tc{
			{"2025: the approved evaluation", A, control.MetricStandardsImplemented, "2025-01-01", "2026-01-01", 13, true},
			{"2025: share of 16", A, control.MetricConformityShare, "2025-01-01", "2026-01-01", 81.25, true},
			{"2025-2026: the latest consolidated is still 2025", A, control.MetricStandardsImplemented, "2025-01-01", "2027-01-01", 13, true},
			{"2026: only an open evaluation", A, control.MetricStandardsImplemented, "2026-01-01", "2027-01-01", 0, false},
			{"2026: only an open evaluation (share)", A, control.MetricConformityShare, "2026-01-01", "2027-01-01", 0, false},
			{"a month of 2025", A, control.MetricStandardsImplemented, "2025-12-01", "2026-01-01", 13, true},
			{"B has none", B, control.MetricStandardsImplemented, "2025-01-01", "2026-01-01", 0, false},

			{"2026 actions: 1 of 3 on time", A, control.MetricProgrammeDone, "2026-01-01", "2027-01-01", 33.33, true},
			{"H1 2026 actions: 1 of 2", A, control.MetricProgrammeDone, "2026-01-01", "2026-07-01", 50, true},
			{"Q4 2026: only a cancelled action", A, control.MetricProgrammeDone, "2026-10-01", "2027-01-01", 0, false},
			{"May 2026: only a draft programme's action", A, control.MetricProgrammeDone, "2026-05-01", "2026-06-01", 0, false},
			{"2027: a5 open", A, control.MetricProgrammeDone, "2027-01-01", "2028-01-01", 0, true},
			{"B actions", B, control.MetricProgrammeDone, "2026-01-01", "2027-01-01", 0, false},

			{"coverage 2026: 2 of 4", A, control.MetricProcedureCoverage, "2026-01-01", "2027-01-01", 50, true},
			{"coverage 2027: 2 of 5", A, control.MetricProcedureCoverage, "2027-01-01", "2028-01-01", 40, true},
			{"coverage 2025: nothing recorded yet", A, control.MetricProcedureCoverage, "2025-01-01", "2026-01-01", 0, false},
			{"coverage B", B, control.MetricProcedureCoverage, "2026-01-01", "2027-01-01", 0, false},

			{"rotation end of 2026: Ema", A, control.MetricRotationOverdue, "2026-01-01", "2027-01-01", 1, true},
			{"rotation 28 Feb 2027: Ema and Ion", A, control.MetricRotationOverdue, "2027-02-28", "2027-03-01", 2, true},
			{"rotation 1 Mar 2027: and Ana (29 Feb + 3 years)", A, control.MetricRotationOverdue, "2027-03-01", "2027-03-02", 3, true},
			{"rotation 2019: Dan not yet, Viorica never", A, control.MetricRotationOverdue, "2019-01-01", "2020-01-01", 0, true},
			{"rotation B: no inventory", B, control.MetricRotationOverdue, "2026-01-01", "2027-01-01", 0, false},

			{"empty period", A, control.MetricStandardsImplemented, "2026-01-01", "2026-01-01", 0, false},
		})
		if _, _, err := e.svc.Measure(ctx, A, "control.unknown", metDay("2026-01-01"), metDay("2027-01-01")); err == nil {
			t.Error("an unknown key measured without an error")
		}

		// Stricter thresholds change the grade, not the count; consolidating
		// 2026 makes it the latest: the tax service's all-yes are
		// everything answered, so all 16 are implemented.
		metExec(t, e, `INSERT INTO control_settings (tenant_id, conform_min, partial_min, updated_at) VALUES ($1, 16, 14, $2)`, A, t0)
		metExec(t, e, `UPDATE control_evaluations SET state = $1, consolidated_on = '2027-01-15' WHERE id = $2`, control.EvalConsolidated, w.eval2026)
		check([]tc{
			{"2025 with stricter thresholds", A, control.MetricStandardsImplemented, "2025-01-01", "2026-01-01", 13, true},
			{"2026 consolidated", A, control.MetricStandardsImplemented, "2026-01-01", "2027-01-01", 16, true},
			{"2026 consolidated (share)", A, control.MetricConformityShare, "2026-01-01", "2027-01-01", 100, true},
			{"2025-2026: now 2026", A, control.MetricStandardsImplemented, "2025-01-01", "2027-01-01", 16, true},
		})

		// Every metric is labelled in both languages.
		b := i18n.MustLoad()
		keys := map[string]bool{}
		for _, m := range e.svc.Metrics() {
			keys[m.Key] = true
			for _, lang := range []string{"ro", "en"} {
				if !b.Localizer(lang).Has(m.Label) {
					t.Errorf("metric %s: no %s label %q", m.Key, lang, m.Label)
				}
			}
			if m.Polarity != "higher" && m.Polarity != "lower" {
				t.Errorf("metric %s: polarity %q", m.Key, m.Polarity)
			}
		}
		for _, k := range []string{control.MetricStandardsImplemented, control.MetricConformityShare, control.MetricProgrammeDone, control.MetricProcedureCoverage, control.MetricRotationOverdue} {
			if !keys[k] {
				t.Errorf("metric %s not listed", k)
			}
		}
	})
}

func TestControlReviewFacts(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newMetWorld(t, e)
		A, B := e.qm.Tenant, e.other.Tenant
		year := evidence.Period{From: metDay("2026-01-01"), To: metDay("2027-01-01")}
		facts, err := e.svc.ReviewFacts(ctx, A, year)
		if err != nil {
			t.Fatal(err)
		}
		want := []evidence.Fact{
			{Input: evidence.InputMonitoring, Key: "controlmetrics.fact.evaluation.partial",
				Args: map[string]any{"Year": 2025, "Implemented": 13, "Partial": 1, "NotImplemented": 2, "Standards": 16},
				Href: fmt.Sprintf("/control/evaluations/%d/summary", w.eval2025), Warn: true},
			{Input: evidence.InputMonitoring, Key: "controlmetrics.fact.evaluation_open",
				Args: map[string]any{"Year": 2026, "Submitted": 1, "Units": 3, "Due": "01.12.2026"},
				Href: fmt.Sprintf("/control/evaluations/%d", w.eval2026), Warn: true},
			{Input: evidence.InputImprovement, Key: "controlmetrics.fact.programme",
				Args: map[string]any{"Due": 3, "OnTime": 1, "Late": 1, "Overdue": 1}, Href: "/control/actions", Warn: true},
			{Input: evidence.InputProcesses, Key: "controlmetrics.fact.coverage",
				Args: map[string]any{"Percent": 50, "Covered": 2, "Needed": 4, "Missing": 2, "Exempt": 1}, Href: "/control/coverage", Warn: true},
			{Input: evidence.InputRisks, Key: "controlmetrics.fact.sensitive",
				Args: map[string]any{"Functions": 3, "Holders": 4, "Overdue": 1}, Href: "/control/sensitive", Warn: true},
		}
		metSameFacts(t, "A 2026", facts, want)

		// The first half of 2026: the open evaluation was not opened yet,
		// a2 is overdue on 1 July (done on the 10th).
		facts, err = e.svc.ReviewFacts(ctx, A, evidence.Period{From: metDay("2026-01-01"), To: metDay("2026-07-01")})
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(facts, func(f evidence.Fact) bool { return f.Key == "controlmetrics.fact.evaluation_open" }) {
			t.Error("H1 2026: the evaluation opened in November is stated")
		}
		for _, f := range facts {
			if f.Key == "controlmetrics.fact.programme" && (f.Args["Due"] != 2 || f.Args["OnTime"] != 1 || f.Args["Overdue"] != 1 || f.Args["Late"] != 0) {
				t.Errorf("H1 2026 programme: %v", f.Args)
			}
		}

		// A conform system is not flagged: every 2025 answer yes, thresholds
		// met.
		metExec(t, e, `UPDATE control_answers SET answer = 'yes' WHERE evaluation_id = $1`, w.eval2025)
		facts, err = e.svc.ReviewFacts(ctx, A, year)
		if err != nil {
			t.Fatal(err)
		}
		if facts[0].Key != "controlmetrics.fact.evaluation.conform" || facts[0].Warn || facts[0].Args["Implemented"] != 16 {
			t.Errorf("all yes: %+v", facts[0])
		}

		// B has nothing: every part says so, flagged.
		facts, err = e.svc.ReviewFacts(ctx, B, year)
		if err != nil {
			t.Fatal(err)
		}
		metSameFacts(t, "B", facts, []evidence.Fact{
			{Input: evidence.InputMonitoring, Key: "controlmetrics.fact.evaluation_none", Href: "/control/evaluations", Warn: true},
			{Input: evidence.InputImprovement, Key: "controlmetrics.fact.programme_none", Href: "/control/programmes", Warn: true},
			{Input: evidence.InputProcesses, Key: "controlmetrics.fact.coverage_none", Href: "/control/coverage", Warn: true},
			{Input: evidence.InputRisks, Key: "controlmetrics.fact.sensitive_none", Href: "/control/sensitive", Warn: true},
		})
		if facts, err := e.svc.ReviewFacts(ctx, A, evidence.Period{From: metDay("2026-01-01"), To: metDay("2026-01-01")}); err != nil || len(facts) != 0 {
			t.Errorf("empty period: %v, %v", facts, err)
		}
	})
}

// metSameFacts compares facts and renders each in both languages, every
// argument used.
func metSameFacts(t *testing.T, where string, got, want []evidence.Fact) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d facts, want %d: %+v", where, len(got), len(want), got)
	}
	b := i18n.MustLoad()
	for i := range want {
		g, w := got[i], want[i]
		if g.Input != w.Input || g.Key != w.Key || g.Href != w.Href || g.Warn != w.Warn || fmt.Sprint(g.Args) != fmt.Sprint(w.Args) {
			t.Errorf("%s fact %d:\n got %+v\nwant %+v", where, i, g, w)
		}
		for _, lang := range []string{"ro", "en"} {
			l := b.Localizer(lang)
			if !l.Has(g.Key) {
				t.Errorf("%s: no %s message %q", where, lang, g.Key)
				continue
			}
			var args []any
			for k, v := range g.Args {
				args = append(args, k, v)
			}
			if s := l.T(g.Key, args...); strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
				t.Errorf("%s (%s): %q", where, lang, s)
			}
		}
	}
}

func TestControlClauseEvidence(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newMetWorld(t, e)
		items, err := e.svc.ClauseEvidence(ctx, e.qm.Tenant)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 3 {
			t.Fatalf("%d items, want 3: %+v", len(items), items)
		}
		for i, want := range []struct {
			clause, kind, entity, title, href string
			id                                int64
			date                              string
			open                              bool
		}{
			{control.ClauseEvaluation, evidence.KindIndicator, control.EntityEvaluation,
				"Autoevaluarea sistemului de control intern managerial pentru anul 2025: 13 din 16 standarde implementate; sistemul este parțial conform",
				fmt.Sprintf("/control/evaluations/%d/summary", w.eval2025), w.eval2025, "2026-02-10", false},
			{control.ClauseRisks, evidence.KindRegister, control.EntitySensitive,
				"Inventarul funcțiilor sensibile: 3 funcții, 4 persoane în ele, dintre care cu rotația depășită: 1",
				"/control/sensitive", 0, "2026-11-23", true},
			{control.ClauseDocumented, evidence.KindIndicator, control.EntityActivity,
				"Acoperirea activităților cu proceduri: 50% (2 din 4 activități procedurabile); fără procedură: 2",
				"/control/coverage", 0, "2026-11-23", true},
		} {
			g := items[i]
			if g.Clause != want.clause || g.Kind != want.kind || g.Entity != want.entity || g.Title != want.title || g.Href != want.href ||
				g.ID != want.id || g.Date.Format(time.DateOnly) != want.date || g.Open != want.open {
				t.Errorf("item %d:\n got %+v\nwant %+v", i, g, want)
			}
			if _, ok := frameworks.ISOClause(g.Clause); !ok {
				t.Errorf("item %d: %q is not an ISO 9001 clause", i, g.Clause)
			}
		}
		if items, err := e.svc.ClauseEvidence(ctx, e.other.Tenant); err != nil || len(items) != 0 {
			t.Errorf("B: %+v, %v", items, err)
		}
	})
}

// metBenchWorld is a large town hall on SQLite: 60 compartments that all
// answered every question of the 2025 self-evaluation (consolidated; one
// in ten answered a no somewhere), a 2026 programme of 200 actions, 300
// activities (two thirds covered) and 50 sensitive functions with two
// people each.
func metBenchWorld(b *testing.B) *env {
	b.Helper()
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	A := e.qm.Tenant
	ev := metInsert(b, e, `INSERT INTO control_evaluations (tenant_id, year, model, state, opened_on, due_on, consolidated_on, created_at, updated_at)
		VALUES ($1, 2025, '2018', $2, '2025-11-03', '2025-12-05', '2026-01-20', $3, $3)`, A, control.EvalConsolidated, t0)
	units := []int64{e.quality, e.econ, e.tax}
	for i := len(units); i < 60; i++ {
		u, err := e.org.CreateUnit(ctx, e.sysA, org.UnitInput{ParentID: e.econ, Name: fmt.Sprintf("Compartimentul %02d", i), Code: fmt.Sprintf("C%02d", i), Kind: "service", Relation: "own"})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	for i, u := range units {
		metExec(b, e, `INSERT INTO control_eval_units (tenant_id, evaluation_id, unit_id, state) VALUES ($1, $2, $3, $4)`, A, ev, u, control.UnitSubmitted)
		var except map[string]string
		if i%10 == 0 {
			except = map[string]string{fmt.Sprintf("%d.1", 1+i%16): control.AnswerNo}
		}
		metAnswerAll(b, e, ev, u, metSpan(1, 16), control.AnswerYes, except)
	}
	p := metInsert(b, e, `INSERT INTO control_programmes (tenant_id, year, title, state, created_at, updated_at) VALUES ($1, 2026, 'Programul 2026', $2, $3, $3)`, A, control.ProgrammeApproved, t0)
	for i := range 200 {
		due := time.Date(2026, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		state, done := control.ActionOpen, ""
		if i%3 != 0 {
			state, done = control.ActionDone, due.AddDate(0, 0, i%7-3).Format(time.DateOnly)
		}
		metExec(b, e, `INSERT INTO control_actions (tenant_id, programme_id, standard, title, due_on, state, done_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			A, p, 1+i%16, fmt.Sprintf("Acțiunea %d", i), due.Format(time.DateOnly), state, done, t0)
	}
	doc := metInsert(b, e, `INSERT INTO documents (tenant_id, kind, code, title, review_months, state, sort_code, sort_title, created_at, updated_at)
		VALUES ($1, 'operational', 'PO-01', 'Procedura', 12, 'in_force', 'po-01', 'procedura', $2, $2)`, A, t0)
	for i := range 300 {
		var d any
		if i%3 != 0 {
			d = doc
		}
		metExec(b, e, `INSERT INTO control_activities (tenant_id, unit_id, title, document_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			A, units[i%len(units)], fmt.Sprintf("Activitatea %d", i), d, t0)
	}
	people := []int64{e.ana, e.dan, e.ema, e.ion, e.vio}
	for i := range 50 {
		f := metInsert(b, e, `INSERT INTO control_sensitive_functions (tenant_id, unit_id, title, rotation, max_years, state, created_at, updated_at) VALUES ($1, $2, $3, TRUE, 5, 'active', $4, $4)`,
			A, units[i%len(units)], fmt.Sprintf("Funcția %d", i), t0)
		for j := range 2 {
			metExec(b, e, `INSERT INTO control_sensitive_holders (tenant_id, function_id, person_id, since_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
				A, f, people[(i+j)%len(people)], fmt.Sprintf("%d-03-01", 2018+(i+j)%8), t0)
		}
	}
	return e
}

// BenchmarkControlReviewFacts: the management review's facts of a year
// (every metric's query), on the large town hall.
func BenchmarkControlReviewFacts(b *testing.B) {
	e := metBenchWorld(b)
	p := evidence.Period{From: metDay("2026-01-01"), To: metDay("2027-01-01")}
	benchtest.Measure(b, func() error {
		facts, err := e.svc.ReviewFacts(b.Context(), e.qm.Tenant, p)
		if err == nil && len(facts) != 4 {
			err = fmt.Errorf("%d facts", len(facts))
		}
		return err
	})
}

// BenchmarkControlStandardsMetric: the standards implemented in the
// consolidated evaluation of 60 compartments x every question.
func BenchmarkControlStandardsMetric(b *testing.B) {
	e := metBenchWorld(b)
	benchtest.Measure(b, func() error {
		v, ok, err := e.svc.Measure(b.Context(), e.qm.Tenant, control.MetricStandardsImplemented, metDay("2025-01-01"), metDay("2026-01-01"))
		if err == nil && (!ok || v != 10) {
			err = fmt.Errorf("standards implemented %v, %v", v, ok)
		}
		return err
	})
}
