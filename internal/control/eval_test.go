package control_test

import (
	"errors"
	"fmt"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/control"
	"cadran/internal/documents"
	"cadran/internal/org"
)

func TestEvalSettings(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		st := evMust(e.svc.Settings(ctx, e.viewer))(t)
		if st != control.DefaultSettings() {
			t.Fatalf("defaults: %+v", st)
		}
		bad := []struct {
			name, field, key string
			edit             func(*control.Settings)
		}{
			{"conform 0", "conform_min", "control.settings.error.conform_min", func(s *control.Settings) { s.ConformMin = 0 }},
			{"conform 17", "conform_min", "control.settings.error.conform_min", func(s *control.Settings) { s.ConformMin = 17 }},
			{"partial 0", "partial_min", "control.settings.error.partial_min", func(s *control.Settings) { s.PartialMin = 0 }},
			{"partial above conform", "partial_min", "control.settings.error.partial_min", func(s *control.Settings) { s.ConformMin, s.PartialMin = 12, 13 }},
			{"report due 13-01", "report_due", "control.settings.error.report_due", func(s *control.Settings) { s.ReportDue = "13-01" }},
			{"report due 02-29", "report_due", "control.settings.error.report_due", func(s *control.Settings) { s.ReportDue = "02-29" }},
			{"report due 2-20", "report_due", "control.settings.error.report_due", func(s *control.Settings) { s.ReportDue = "2-20" }},
			{"answer days 0", "answer_days", "control.settings.error.answer_days", func(s *control.Settings) { s.AnswerDays = 0 }},
			{"answer days 121", "answer_days", "control.settings.error.answer_days", func(s *control.Settings) { s.AnswerDays = 121 }},
			{"rotation 11", "rotation_years", "control.settings.error.rotation_years", func(s *control.Settings) { s.RotationYears = 11 }},
			{"notice -1", "rotation_notice_days", "control.settings.error.rotation_notice_days", func(s *control.Settings) { s.RotationNoticeDays = -1 }},
			{"notice 366", "rotation_notice_days", "control.settings.error.rotation_notice_days", func(s *control.Settings) { s.RotationNoticeDays = 366 }},
		}
		for _, c := range bad {
			in := control.DefaultSettings()
			c.edit(&in)
			_, err := e.svc.SaveSettings(ctx, e.qm, in)
			t.Run(c.name, func(t *testing.T) { evField(t, err, c.field, c.key) })
		}
		in := control.DefaultSettings()
		in.ConformMin, in.PartialMin, in.ReportDue, in.AnswerDays = 15, 12, "03-31", 20
		if _, err := e.svc.SaveSettings(ctx, e.head, in); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("head saved the settings: %v", err)
		}
		saved := evMust(e.svc.SaveSettings(ctx, e.qm, in))(t)
		if saved.Version != 1 || saved.ConformMin != 15 || saved.ReportDue != "03-31" {
			t.Fatalf("saved %+v", saved)
		}
		if _, err := e.svc.SaveSettings(ctx, e.qm, in); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("a save on version 0 again: %v", err)
		}
		in.Version = 1
		evMust(e.svc.SaveSettings(ctx, e.qm, in))(t)
		if n := e.evAudits(t, control.EntitySettings, "update"); n != 2 {
			t.Fatalf("%d settings audits", n)
		}
		if got := evMust(e.svc.Settings(ctx, e.other))(t); got.Version != 0 {
			t.Fatalf("B sees A's settings: %+v", got)
		}
	})
}

func TestEvalOpen(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		if _, err := e.svc.OpenEvaluation(ctx, e.head, control.EvaluationInput{Year: 2026}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("a head opened an evaluation: %v", err)
		}
		for _, y := range []int{1999, 2028} {
			_, err := e.svc.OpenEvaluation(ctx, e.qm, control.EvaluationInput{Year: y})
			evField(t, err, "year", "control.error.eval_year")
		}
		_, err := e.svc.OpenEvaluation(ctx, e.qm, control.EvaluationInput{Year: 2026, DueOn: "2026-13-01"})
		evField(t, err, "due_on", "error.date")
		ev := e.evOpen(t)
		if ev.State != control.EvalOpen || ev.Model != "2018" || ev.Units != 3 || ev.Submitted != 0 || ev.OpenedOn != "2026-11-23" || ev.DueOn != "2026-12-23" {
			t.Fatalf("opened %+v", ev)
		}
		_, err = e.svc.OpenEvaluation(ctx, e.qm, control.EvaluationInput{Year: 2026})
		evField(t, err, "year", "control.error.eval_year_taken")

		// Dan heads the economic directorate; the quality office and the
		// tax service have no head, so the quality office answers for them.
		units := evMust(e.svc.EvalUnits(ctx, e.qm, ev.ID))(t)
		heads := map[int64]int64{}
		for _, u := range units {
			heads[u.UnitID] = u.HeadID
			if u.State != control.UnitPending || u.Questions != evModel().Questions() || u.Answered != 0 {
				t.Fatalf("unit %+v", u)
			}
		}
		if len(units) != 3 || heads[e.econ] != e.dan || heads[e.quality] != 0 || heads[e.tax] != 0 {
			t.Fatalf("heads %v", heads)
		}
		if n := e.openTasks(t, e.dan, control.EntityEvalUnit); n != 1 {
			t.Fatalf("Dan has %d tasks", n)
		}
		if n := e.evRoleTasks(t, control.EntityEvalUnit); n != 2 {
			t.Fatalf("the quality office has %d tasks", n)
		}
		var title, link, due string
		evOK(t, e.d.R.QueryRowContext(ctx, `SELECT title, link, due_on FROM tasks WHERE person_id = $1 AND entity = $2`, e.dan, control.EntityEvalUnit).Scan(&title, &link, &due))
		if title != "Completați chestionarul de autoevaluare SCIM 2026 (Direcția Economică)" || link != fmt.Sprintf("/control/evaluations/%d/units/%d", ev.ID, e.econ) || due != "2026-12-23" {
			t.Fatalf("task %q %q %q", title, link, due)
		}
		// The head sees only the compartments he leads.
		mine := evMust(e.svc.EvalUnits(ctx, e.head, ev.ID))(t)
		if len(mine) != 2 {
			t.Fatalf("the head sees %d units", len(mine))
		}

		// A new due date reaches the open tasks.
		ev = evMust(e.svc.UpdateEvaluation(ctx, e.qm, ev.ID, control.EvaluationEdit{DueOn: "2027-01-15", ReportNo: "1234/2027", Version: ev.Version}))(t)
		evOK(t, e.d.R.QueryRowContext(ctx, `SELECT due_on FROM tasks WHERE person_id = $1 AND entity = $2 AND state = 'open'`, e.dan, control.EntityEvalUnit).Scan(&due))
		if due != "2027-01-15" || e.openTasks(t, e.dan, control.EntityEvalUnit) != 1 || e.evRoleTasks(t, control.EntityEvalUnit) != 2 {
			t.Fatalf("due %s after the change", due)
		}
		if _, err := e.svc.UpdateEvaluation(ctx, e.qm, ev.ID, control.EvaluationEdit{DueOn: "2027-01-15", Version: ev.Version - 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}

		// Chosen units: B's unit is refused; a unit added later gets its task.
		bUnit := evMust(e.org.CreateUnit(ctx, e.sysB, org.UnitInput{Name: "Compartiment Juridic", Kind: "service", Relation: "own"}))(t)
		_, err = e.svc.OpenEvaluation(ctx, e.qm, control.EvaluationInput{Year: 2025, Units: []int64{e.econ, bUnit.ID}})
		evField(t, err, "units", "error.choice")
		old := evMust(e.svc.OpenEvaluation(ctx, e.qm, control.EvaluationInput{Year: 2025, DueOn: "2026-12-01", Units: []int64{e.econ, e.econ}}))(t)
		if old.Units != 1 {
			t.Fatalf("chosen units %+v", old)
		}
		evField(t, e.svc.AddEvalUnit(ctx, e.qm, old.ID, bUnit.ID), "unit_id", "error.choice")
		evField(t, e.svc.AddEvalUnit(ctx, e.qm, old.ID, e.econ), "unit_id", "control.error.eval_unit_exists")
		evOK(t, e.svc.AddEvalUnit(ctx, e.qm, old.ID, e.quality))
		if n := e.evRoleTasks(t, control.EntityEvalUnit); n != 3 {
			t.Fatalf("the quality office has %d tasks after the addition", n)
		}
		// Without a head of unit user, the unit's person in a management
		// position answers; an inactive one does not.
		legal := evMust(e.org.CreateUnit(ctx, e.sysA, org.UnitInput{Name: "Serviciul Juridic", Kind: "service", Relation: "own"}))(t)
		e.person(t, e.sysA, legal.ID, "Radu Ene", "Consilier juridic", org.PositionExecution)
		chief := e.person(t, e.sysA, legal.ID, "Irina Șerban", "Șef serviciu", org.PositionManagement)
		evOK(t, e.svc.AddEvalUnit(ctx, e.qm, old.ID, legal.ID))
		if n := e.openTasks(t, chief, control.EntityEvalUnit); n != 1 {
			t.Fatalf("the head of the legal service has %d tasks", n)
		}
		list := evMust(e.svc.Evaluations(ctx, e.viewer))(t)
		if len(list) != 2 || list[0].Year != 2026 || list[1].Year != 2025 || list[1].Units != 3 {
			t.Fatalf("list %+v", list)
		}
		if n := e.evAudits(t, control.EntityEvaluation, "create"); n != 2 {
			t.Fatalf("%d evaluation create audits", n)
		}
		if n := e.evAudits(t, control.EntityEvalUnit, "create"); n != 6 {
			t.Fatalf("%d unit create audits", n)
		}
		if n := e.evAudits(t, control.EntityEvaluation, "update"); n != 1 {
			t.Fatalf("%d evaluation update audits", n)
		}
	})
}

func TestEvalAnswers(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ev := e.evOpen(t)
		std2, _ := evModel().Standard(2)
		q1, q2 := std2.Questions[0].Code, std2.Questions[1].Code

		// The head of the economic directorate answers for the tax service
		// under it, not for the quality office.
		evOK(t, e.svc.SaveAnswers(ctx, e.head, ev.ID, e.tax, 2, []control.AnswerInput{{Question: q1, Answer: "yes"}}))
		evNotFound(t, "head for quality", e.svc.SaveAnswers(ctx, e.head, ev.ID, e.quality, 2, []control.AnswerInput{{Question: q1, Answer: "yes"}}))
		if _, err := e.svc.Questionnaire(ctx, e.head, ev.ID, e.quality); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("head reads quality's questionnaire: %v", err)
		}
		if err := e.svc.SaveAnswers(ctx, e.viewer, ev.ID, e.tax, 2, []control.AnswerInput{{Question: q1, Answer: "yes"}}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("viewer answered: %v", err)
		}
		if err := e.svc.SaveAnswers(ctx, e.emp, ev.ID, e.tax, 2, []control.AnswerInput{{Question: q1, Answer: "yes"}}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("employee answered: %v", err)
		}
		q := evMust(e.svc.Questionnaire(ctx, e.viewer, ev.ID, e.tax))(t)
		if q.MayAnswer || len(q.Standards) != 16 || q.Standards[1].Answers[0].Answer != "yes" || q.Standards[1].Answers[1].Answer != "" || q.Standards[1].Status != "" {
			t.Fatalf("viewer's questionnaire: may %v, %+v", q.MayAnswer, q.Standards[1])
		}
		if q.Unit.Answered != 1 {
			t.Fatalf("answered %d", q.Unit.Answered)
		}

		// Bad answers: nothing is saved.
		bad := []struct {
			name  string
			in    control.AnswerInput
			field string
			key   string
		}{
			{"no without explanation", control.AnswerInput{Question: q2, Answer: "no", Explanation: "  "}, "explanation_" + q2, "control.answer.explain"},
			{"unknown answer", control.AnswerInput{Question: q2, Answer: "maybe"}, "answer_" + q2, "error.choice"},
			{"explanation without answer", control.AnswerInput{Question: q2, Explanation: "Avem regulament."}, "answer_" + q2, "control.answer.choose"},
			{"question of another standard", control.AnswerInput{Question: "3.1", Answer: "yes"}, "answer_3.1", "control.answer.unknown_question"},
			{"unknown question", control.AnswerInput{Question: "2.99", Answer: "yes"}, "answer_2.99", "control.answer.unknown_question"},
		}
		for _, c := range bad {
			err := e.svc.SaveAnswers(ctx, e.head, ev.ID, e.tax, 2, []control.AnswerInput{{Question: q1, Answer: "na"}, c.in})
			t.Run(c.name, func(t *testing.T) { evField(t, err, c.field, c.key) })
		}
		if n := e.count(t, `SELECT COUNT(*) FROM control_answers WHERE unit_id = $1 AND answer = 'na'`, e.tax); n != 0 {
			t.Fatalf("a refused save kept %d answers", n)
		}
		if err := e.svc.SaveAnswers(ctx, e.head, ev.ID, e.tax, 17, nil); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("standard 17: %v", err)
		}

		// A change, the same again (no audit), and an emptied answer.
		audits := e.evAudits(t, control.EntityAnswer, "")
		in := []control.AnswerInput{{Question: q1, Answer: "no", Explanation: "Codul etic nu a fost diseminat."}, {Question: q2, Answer: "yes"}}
		evOK(t, e.svc.SaveAnswers(ctx, e.head, ev.ID, e.tax, 2, in))
		evOK(t, e.svc.SaveAnswers(ctx, e.head, ev.ID, e.tax, 2, in))
		if n := e.evAudits(t, control.EntityAnswer, "") - audits; n != 2 {
			t.Fatalf("%d answer audits for two changes", n)
		}
		evOK(t, e.svc.SaveAnswers(ctx, e.head, ev.ID, e.tax, 2, []control.AnswerInput{{Question: q2}}))
		if e.evAudits(t, control.EntityAnswer, "delete") != 1 || e.evAudits(t, control.EntityAnswer, "create") != 2 || e.evAudits(t, control.EntityAnswer, "update") != 1 {
			t.Fatal("answer audits by action")
		}
		q = evMust(e.svc.Questionnaire(ctx, e.head, ev.ID, e.tax))(t)
		if !q.MayAnswer || q.Standards[1].Answers[0].Explanation != "Codul etic nu a fost diseminat." || q.Standards[1].Answers[1].Answer != "" {
			t.Fatalf("after the changes: %+v", q.Standards[1].Answers[:2])
		}

		// Evidence: a document of A, not one of B; a note; removal.
		doc := evMust(e.docs.Create(ctx, e.qm, documents.DocumentInput{Kind: documents.KindSystem, Code: "PS-01", Title: "Procedura de sistem privind codul etic"}))(t)
		found := evMust(e.svc.EvidenceOptions(ctx, e.head, "procedura cod", 5))(t)
		if len(found) != 1 || found[0].EntityID != doc.ID || found[0].Kind != control.EvidenceDocument {
			t.Fatalf("evidence options %+v", found)
		}
		if got := evMust(e.svc.EvidenceOptions(ctx, e.other, "procedura", 5))(t); len(got) != 0 {
			t.Fatalf("B finds A's records: %+v", got)
		}
		x := evMust(e.svc.AddEvidence(ctx, e.head, ev.ID, e.tax, control.EvidenceInput{Standard: 2, Question: q1, Kind: control.EvidenceDocument, EntityID: doc.ID}))(t)
		if x.Title != "PS-01 Procedura de sistem privind codul etic" || x.Href != fmt.Sprintf("/documents/%d", doc.ID) || x.Entity != "document" {
			t.Fatalf("evidence %+v", x)
		}
		_, err := e.svc.AddEvidence(ctx, e.head, ev.ID, e.tax, control.EvidenceInput{Standard: 2, Kind: control.EvidenceRisk, EntityID: doc.ID + 1000})
		evField(t, err, "ev_entity_id", "control.error.evidence_record")
		_, err = e.svc.AddEvidence(ctx, e.head, ev.ID, e.tax, control.EvidenceInput{Standard: 2, Kind: control.EvidenceNote})
		evField(t, err, "ev_title", "error.required")
		_, err = e.svc.AddEvidence(ctx, e.head, ev.ID, e.tax, control.EvidenceInput{Standard: 2, Kind: "photo", Title: "x"})
		evField(t, err, "ev_kind", "error.choice")
		note := evMust(e.svc.AddEvidence(ctx, e.head, ev.ID, e.tax, control.EvidenceInput{Standard: 2, Kind: control.EvidenceNote, Title: "Fișele posturilor semnate", Notes: "Dosarul de personal"}))(t)
		if _, err := e.svc.AddEvidence(ctx, e.head, ev.ID, e.quality, control.EvidenceInput{Standard: 2, Kind: control.EvidenceNote, Title: "x"}); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("head adds evidence for quality: %v", err)
		}
		evNotFound(t, "evidence of another unit", e.svc.RemoveEvidence(ctx, e.qm, ev.ID, e.econ, note.ID))
		evOK(t, e.svc.RemoveEvidence(ctx, e.head, ev.ID, e.tax, note.ID))
		q = evMust(e.svc.Questionnaire(ctx, e.head, ev.ID, e.tax))(t)
		if len(q.Standards[1].Evidence) != 1 || q.Standards[1].Evidence[0].ID != x.ID {
			t.Fatalf("evidence %+v", q.Standards[1].Evidence)
		}
		if e.evAudits(t, control.EntityEvidence, "create") != 2 || e.evAudits(t, control.EntityEvidence, "delete") != 1 {
			t.Fatal("evidence audits")
		}
	})
}

// TestEvalSummary pins the summary's arithmetic end to end on the three
// compartments (quality Q, economic E, tax T):
//
//	std  Q   E   T    tally              status
//	1    I   I   I    I3                 I
//	2    I   PI  NA   I1 PI1 NA1         PI
//	3    NI  NI  NA   NI2 NA1            NI
//	4    NA  NA  NA   NA3                none: not implemented
//	5    I   NA  I    I2 NA1             I
//	6    I   NI  I    I2 NI1             PI
//	7    -   I   I    I2 incomplete 1    I
//	8-16 I   I   I    I3                 I
//
// Implemented 12 (1, 5, 7, 8-16), partially 2, not implemented 2: not
// conform at the defaults (16/13), conform at 12/10, partially at 14/12.
func TestEvalSummary(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ev := e.evOpen(t)
		e.evAnswerAll(t, e.qm, ev.ID, e.quality, map[int]string{3: evAllNo, 4: evAllNA, 7: evIncomplete})
		e.evAnswerAll(t, e.head, ev.ID, e.econ, map[int]string{2: evMixed, 3: evAllNo, 4: evAllNA, 5: evAllNA, 6: evAllNo})
		e.evAnswerAll(t, e.head, ev.ID, e.tax, map[int]string{2: evAllNA, 3: evAllNA, 4: evAllNA})

		sum := evMust(e.svc.Summary(ctx, e.viewer, ev.ID))(t)
		want := map[int]struct {
			tally  control.Tally
			status string
		}{
			1: {control.Tally{Implemented: 3}, "I"},
			2: {control.Tally{Implemented: 1, Partial: 1, NotApplicable: 1}, "PI"},
			3: {control.Tally{NotImplemented: 2, NotApplicable: 1}, "NI"},
			4: {control.Tally{NotApplicable: 3}, ""},
			5: {control.Tally{Implemented: 2, NotApplicable: 1}, "I"},
			6: {control.Tally{Implemented: 2, NotImplemented: 1}, "PI"},
			7: {control.Tally{Implemented: 2, Incomplete: 1}, "I"},
		}
		rows := sum.Standards()
		if len(rows) != 16 || len(sum.Components) != 5 {
			t.Fatalf("%d rows in %d components", len(rows), len(sum.Components))
		}
		for _, r := range rows {
			w, ok := want[r.Standard.Number]
			if !ok {
				w.tally, w.status = control.Tally{Implemented: 3}, "I"
			}
			if r.Tally != w.tally || r.Status != w.status {
				t.Errorf("standard %d: %+v %q, want %+v %q", r.Standard.Number, r.Tally, r.Status, w.tally, w.status)
			}
		}
		if sum.Implemented != 12 || sum.Partial != 2 || sum.NotImplemented != 2 || sum.Grade != control.GradeNotConform || sum.Units != 3 || sum.Submitted != 0 {
			t.Fatalf("totals I %d PI %d NI %d grade %s units %d/%d", sum.Implemented, sum.Partial, sum.NotImplemented, sum.Grade, sum.Submitted, sum.Units)
		}

		// The grade follows the institution's thresholds.
		grades := []struct {
			conform, partial int
			want             string
		}{
			{12, 10, control.GradeConform},
			{14, 12, control.GradePartial},
			{16, 13, control.GradeNotConform},
		}
		version := 0
		for _, g := range grades {
			st := control.DefaultSettings()
			st.ConformMin, st.PartialMin, st.Version = g.conform, g.partial, version
			version = evMust(e.svc.SaveSettings(ctx, e.qm, st))(t).Version
			if got := evMust(e.svc.Summary(ctx, e.viewer, ev.ID))(t).Grade; got != g.want {
				t.Errorf("%d/%d: grade %s, want %s", g.conform, g.partial, got, g.want)
			}
		}

		// One answer changes the summary: standard 6 in the economic
		// directorate from NI to I makes it implemented.
		e.evAnswer(t, e.head, ev.ID, e.econ, 6, evAllYes)
		sum = evMust(e.svc.Summary(ctx, e.viewer, ev.ID))(t)
		if r := sum.Standards()[5]; r.Status != "I" || sum.Implemented != 13 || sum.Grade != control.GradePartial {
			t.Fatalf("after the change: %+v, %d implemented, %s", r, sum.Implemented, sum.Grade)
		}

		// Measures, with their version.
		if err := e.svc.SaveMeasures(ctx, e.head, ev.ID, 3, "x", 0); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("head saved measures: %v", err)
		}
		evOK(t, e.svc.SaveMeasures(ctx, e.qm, ev.ID, 3, "Elaborarea procedurii de planificare până la 31.03.2027.", 0))
		if err := e.svc.SaveMeasures(ctx, e.qm, ev.ID, 3, "alt text", 0); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale measures: %v", err)
		}
		evOK(t, e.svc.SaveMeasures(ctx, e.qm, ev.ID, 3, "Procedura de planificare, până la 31.03.2027.", 1))
		if err := e.svc.SaveMeasures(ctx, e.qm, ev.ID, 17, "x", 0); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("standard 17: %v", err)
		}
		r := evMust(e.svc.Summary(ctx, e.viewer, ev.ID))(t).Standards()[2]
		if r.Measures != "Procedura de planificare, până la 31.03.2027." || r.Version != 2 {
			t.Fatalf("measures %+v", r)
		}
		if e.evAudits(t, control.EntityMeasures, "create") != 1 || e.evAudits(t, control.EntityMeasures, "update") != 1 {
			t.Fatal("measures audits")
		}
	})
}

func TestEvalWorkflow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ev := e.evOpen(t)
		e.evAnswerAll(t, e.qm, ev.ID, e.quality, nil)
		e.evAnswerAll(t, e.head, ev.ID, e.econ, map[int]string{9: evIncomplete, 10: evIncomplete})

		// Submission needs every answer.
		args := evKey(t, e.svc.SubmitUnit(ctx, e.head, ev.ID, e.econ), apperr.KindInvalid, "control.error.unit_incomplete")
		if args["Count"] != 2 {
			t.Fatalf("missing %v", args)
		}
		e.evAnswerAll(t, e.head, ev.ID, e.econ, nil)
		evOK(t, e.svc.SubmitUnit(ctx, e.head, ev.ID, e.econ))
		if e.openTasks(t, e.dan, control.EntityEvalUnit) != 0 || e.evRoleTasks(t, control.EntityEvalUnit) != 2 {
			t.Fatal("Dan's task did not close alone")
		}
		evKey(t, e.svc.SaveAnswers(ctx, e.head, ev.ID, e.econ, 1, evInputs(evModel().Standards()[0], evAllNo)), apperr.KindConflict, "control.error.unit_submitted")
		evKey(t, e.svc.SubmitUnit(ctx, e.head, ev.ID, e.econ), apperr.KindConflict, "control.error.unit_submitted")
		if err := e.svc.ReopenUnit(ctx, e.head, ev.ID, e.econ); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("head reopened: %v", err)
		}
		evOK(t, e.svc.ReopenUnit(ctx, e.qm, ev.ID, e.econ))
		if e.openTasks(t, e.dan, control.EntityEvalUnit) != 1 {
			t.Fatal("reopening gave Dan no task")
		}
		evKey(t, e.svc.ReopenUnit(ctx, e.qm, ev.ID, e.econ), apperr.KindConflict, "control.error.unit_not_submitted")
		evOK(t, e.svc.SubmitUnit(ctx, e.head, ev.ID, e.econ))
		evOK(t, e.svc.SubmitUnit(ctx, e.qm, ev.ID, e.quality))
		if e.evRoleTasks(t, control.EntityEvalUnit) != 1 {
			t.Fatal("the quality office's task for its own unit did not close alone")
		}

		// Consolidation waits for the tax service.
		ev = evMust(e.svc.Evaluation(ctx, e.qm, ev.ID))(t)
		if _, err := e.svc.MoveEvaluation(ctx, e.head, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("head consolidated: %v", err)
		}
		_, err := e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version})
		if args := evKey(t, err, apperr.KindConflict, "control.error.eval_pending"); args["Count"] != 1 || args["Units"] != 3 {
			t.Fatalf("pending %v", args)
		}
		if _, err := e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalApproved, Version: ev.Version}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("approved while open: %v", err)
		}
		e.evAnswerAll(t, e.head, ev.ID, e.tax, nil)
		evOK(t, e.svc.SubmitUnit(ctx, e.head, ev.ID, e.tax))
		if e.evRoleTasks(t, control.EntityEvalUnit) != 0 {
			t.Fatal("tasks left after every submission")
		}
		if _, err := e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version + 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale move: %v", err)
		}
		ev = evMust(e.svc.Evaluation(ctx, e.qm, ev.ID))(t)
		if got := control.EvalActions(e.qm, ev); len(got) != 1 || got[0] != control.EvalActConsolidate {
			t.Fatalf("actions %v", got)
		}
		ev = evMust(e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version}))(t)
		if ev.State != control.EvalConsolidated || ev.ConsolidatedOn != "2026-11-23" || ev.Submitted != 3 {
			t.Fatalf("consolidated %+v", ev)
		}
		var due string
		evOK(t, e.d.R.QueryRowContext(ctx, `SELECT due_on FROM tasks WHERE entity = $1 AND state = 'open' AND title = $2`,
			control.EntityEvaluation, "Redactați raportul anual asupra SCIM 2026").Scan(&due))
		if due != "2027-02-20" || e.evRoleTasks(t, control.EntityEvaluation) != 1 {
			t.Fatalf("report task due %s", due)
		}
		evKey(t, e.svc.SaveAnswers(ctx, e.qm, ev.ID, e.econ, 1, nil), apperr.KindConflict, "control.error.eval_not_open")

		// Reopening cancels the report task; consolidating again gives it back.
		ev = evMust(e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalActReopen, Version: ev.Version}))(t)
		if ev.State != control.EvalOpen || ev.ConsolidatedOn != "" || e.evRoleTasks(t, control.EntityEvaluation) != 0 {
			t.Fatalf("reopened %+v", ev)
		}
		ev = evMust(e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version}))(t)

		// Approval needs who approved and when (not in the future).
		approvals := []struct {
			by, on, field, key string
		}{
			{"", "2026-11-20", "approved_by", "error.required"},
			{"Ion Popescu, primar", "", "approved_on", "error.required"},
			{"Ion Popescu, primar", "20.11.2026", "approved_on", "error.date"},
			{"Ion Popescu, primar", "2026-11-24", "approved_on", "control.error.future"},
		}
		for _, c := range approvals {
			_, err := e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalApproved, ApprovedBy: c.by, ApprovedOn: c.on, Version: ev.Version})
			evField(t, err, c.field, c.key)
		}
		ev = evMust(e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalApproved, ApprovedBy: "Ion Popescu, primar", ApprovedOn: "2026-11-23", Version: ev.Version}))(t)
		if ev.State != control.EvalApproved || ev.ApprovedBy != "Ion Popescu, primar" || ev.ApprovedOn != "2026-11-23" {
			t.Fatalf("approved %+v", ev)
		}
		if e.evRoleTasks(t, control.EntityEvaluation) != 0 || e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND state = 'done'`, control.EntityEvaluation) != 1 {
			t.Fatal("the report task did not close")
		}
		if len(control.EvalActions(e.qm, ev)) != 0 {
			t.Fatal("an approved evaluation still moves")
		}
		evKey(t, e.svc.SaveMeasures(ctx, e.qm, ev.ID, 1, "x", 0), apperr.KindConflict, "control.error.eval_approved")
		_, err = e.svc.UpdateEvaluation(ctx, e.qm, ev.ID, control.EvaluationEdit{DueOn: "2026-12-01", Version: ev.Version})
		evKey(t, err, apperr.KindConflict, "control.error.eval_approved")
		if n := e.evAudits(t, control.EntityEvaluation, "transition"); n != 4 {
			t.Fatalf("%d transition audits", n)
		}
		if n := e.evAudits(t, control.EntityEvalUnit, "transition"); n != 5 {
			t.Fatalf("%d unit transition audits", n)
		}
	})
}

// TestEvalTenants: B's quality manager can neither read nor change A's
// evaluation, and A cannot reach B's records through it.
func TestEvalTenants(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ev := e.evOpen(t)
		e.evAnswer(t, e.qm, ev.ID, e.tax, 1, evAllYes)
		x := evMust(e.svc.AddEvidence(ctx, e.qm, ev.ID, e.tax, control.EvidenceInput{Standard: 1, Kind: control.EvidenceNote, Title: "Codul etic"}))(t)
		b := e.other
		calls := map[string]func() error{
			"Evaluation": func() error { _, err := e.svc.Evaluation(ctx, b, ev.ID); return err },
			"EvalUnits":  func() error { _, err := e.svc.EvalUnits(ctx, b, ev.ID); return err },
			"UpdateEvaluation": func() error {
				_, err := e.svc.UpdateEvaluation(ctx, b, ev.ID, control.EvaluationEdit{DueOn: "2027-01-01", Version: ev.Version})
				return err
			},
			"MoveEvaluation": func() error {
				_, err := e.svc.MoveEvaluation(ctx, b, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version})
				return err
			},
			"AddEvalUnit":   func() error { return e.svc.AddEvalUnit(ctx, b, ev.ID, e.tax) },
			"Questionnaire": func() error { _, err := e.svc.Questionnaire(ctx, b, ev.ID, e.tax); return err },
			"SaveAnswers": func() error {
				return e.svc.SaveAnswers(ctx, b, ev.ID, e.tax, 1, evInputs(evModel().Standards()[0], evAllNo))
			},
			"SubmitUnit": func() error { return e.svc.SubmitUnit(ctx, b, ev.ID, e.tax) },
			"ReopenUnit": func() error { return e.svc.ReopenUnit(ctx, b, ev.ID, e.tax) },
			"AddEvidence": func() error {
				_, err := e.svc.AddEvidence(ctx, b, ev.ID, e.tax, control.EvidenceInput{Standard: 1, Kind: control.EvidenceNote, Title: "x"})
				return err
			},
			"RemoveEvidence": func() error { return e.svc.RemoveEvidence(ctx, b, ev.ID, e.tax, x.ID) },
			"Summary":        func() error { _, err := e.svc.Summary(ctx, b, ev.ID); return err },
			"SaveMeasures":   func() error { return e.svc.SaveMeasures(ctx, b, ev.ID, 1, "x", 0) },
		}
		for name, call := range calls {
			evNotFound(t, name, call())
		}
		if list := evMust(e.svc.Evaluations(ctx, b))(t); len(list) != 0 {
			t.Fatalf("B lists %d evaluations", len(list))
		}
		q := evMust(e.svc.Questionnaire(ctx, e.viewer, ev.ID, e.tax))(t)
		if q.Standards[0].Answers[0].Answer != "yes" || len(q.Standards[0].Evidence) != 1 || q.Evaluation.Version != ev.Version {
			t.Fatal("B changed A's evaluation")
		}
		// B's own evaluation of the same year is its own.
		evMust(e.org.CreateUnit(ctx, e.sysB, org.UnitInput{Name: "Compartiment Juridic", Kind: "service", Relation: "own"}))(t)
		bEv := evMust(e.svc.OpenEvaluation(ctx, b, control.EvaluationInput{Year: 2026}))(t)
		if bEv.Units != 1 {
			t.Fatalf("B's evaluation has %d units", bEv.Units)
		}
	})
}
