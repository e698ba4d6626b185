package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// cevIsoRecords are institution A's records of the self-evaluation: an
// evaluation of its directorate with standard 1 answered, a note as
// evidence and measures for standard 2.
type cevIsoRecords struct {
	Eval     control.Evaluation
	Evidence control.Evidence
	Answers  int
}

func cevIsoSeed(t *testing.T, f *fixture) cevIsoRecords {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.control
	ev, err := svc.OpenEvaluation(ctx, sys, control.EvaluationInput{Year: 2025, DueOn: "2026-12-15", Units: []int64{f.A.Unit.ID}})
	if err != nil {
		t.Fatal(err)
	}
	in := cevInputs(1, control.AnswerYes)
	if err := svc.SaveAnswers(ctx, sys, ev.ID, f.A.Unit.ID, 1, in); err != nil {
		t.Fatal(err)
	}
	e, err := svc.AddEvidence(ctx, sys, ev.ID, f.A.Unit.ID, control.EvidenceInput{Standard: 1, Kind: control.EvidenceNote, Title: "Alfa codul etic"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SaveMeasures(ctx, sys, ev.ID, 2, "Alfa măsuri", 0); err != nil {
		t.Fatal(err)
	}
	if ev, err = svc.Evaluation(ctx, sys, ev.ID); err != nil {
		t.Fatal(err)
	}
	return cevIsoRecords{Eval: ev, Evidence: e, Answers: len(in)}
}

// cevIsoForeign are the values of every form of the part, pointing at A's
// records.
func cevIsoForeign(f *fixture) url.Values {
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	form := cevAnswers(1, control.AnswerNo)
	more := url.Values{
		"ce_year": {"2026"}, "ce_due_on": {"2026-12-30"}, "ce_units": {id(f.A.Unit.ID)}, "ce_report_no": {"INTRUS"}, "ce_report_text": {"Intrus"}, "ce_conclusions": {"Intrus"},
		"ct_to": {control.EvalConsolidated}, "ct_approved_by": {"Intrus"}, "ct_approved_on": {"2026-11-01"}, "ct_unit": {id(f.A.SubUnit.ID)},
		"ev_standard": {"1"}, "ev_title": {"Intrus"}, "ev_notes": {"Intrus"}, "ev_pick": {"document:" + id(f.A.Doc.ID)}, "ev_q": {f.A.Marker},
		"cm_measures":    {"Intrus"},
		"cs_conform_min": {"15"}, "cs_partial_min": {"10"}, "cs_report_due": {"03-01"}, "cs_answer_days": {"20"}, "cs_rotation_years": {"4"}, "cs_rotation_notice_days": {"60"},
	}
	for k, v := range more {
		form[k] = v
	}
	return form
}

// cevIsoCheck says whether A's records are as cevIsoSeed left them and
// nothing of another institution points at them.
func cevIsoCheck(t *testing.T, f *fixture, r cevIsoRecords) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	if ev, err := f.Srv.control.Evaluation(ctx, sys, r.Eval.ID); err != nil || ev.Version != r.Eval.Version || ev.State != control.EvalOpen || ev.ReportNo != "" || ev.Units != 1 {
		t.Errorf("A's evaluation changed: %+v (%v)", ev, err)
	}
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := f.DB.R.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM control_answers WHERE evaluation_id = $1 AND answer = 'yes' AND version = 1`, r.Eval.ID); n != r.Answers {
		t.Errorf("A's answers changed: %d of %d as saved", n, r.Answers)
	}
	if n := count(`SELECT COUNT(*) FROM control_answers WHERE evaluation_id = $1`, r.Eval.ID); n != r.Answers {
		t.Errorf("A's evaluation has %d answers, want %d", n, r.Answers)
	}
	if n := count(`SELECT COUNT(*) FROM control_evidence WHERE evaluation_id = $1 OR tenant_id <> $2 AND (unit_id = $3 OR entity_id = $4)`, r.Eval.ID, f.A.Inst.ID, f.A.Unit.ID, f.A.Doc.ID); n != 1 {
		t.Errorf("%d pieces of evidence on A's evaluation or A's records, want 1", n)
	}
	if n := count(`SELECT COUNT(*) FROM control_eval_standards WHERE evaluation_id = $1 AND measures = 'Alfa măsuri' AND version = 1`, r.Eval.ID); n != 1 {
		t.Error("A's measures changed")
	}
	if n := count(`SELECT COUNT(*) FROM control_eval_standards WHERE evaluation_id = $1`, r.Eval.ID); n != 1 {
		t.Errorf("A's evaluation has %d rows of measures, want 1", n)
	}
	if n := count(`SELECT COUNT(*) FROM control_eval_units WHERE tenant_id <> $1 AND unit_id IN ($2, $3) OR evaluation_id = $4 AND unit_id <> $2`, f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID, r.Eval.ID); n != 0 {
		t.Errorf("%d compartments of A's put in evaluations of B's, or added to A's", n)
	}
	if n := count(`SELECT COUNT(*) FROM control_settings WHERE tenant_id = $1`, f.A.Inst.ID); n != 0 {
		t.Error("A's settings were saved by B")
	}
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		r := cevIsoSeed(t, f)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		return isolationRecords{
			IDs:    map[string]string{"/control/evaluations/{id}": id(r.Eval.ID)},
			Params: map[string]string{"{cuid}": id(f.A.Unit.ID), "{cstd}": "1", "{ceid}": id(r.Evidence.ID)},
			Form:   cevIsoForeign(f),
			Check:  func(t *testing.T) { cevIsoCheck(t, f, r) },
		}
	})
}

// TestControlEvalIsolationForQualityManager walks every route of the
// self-evaluation as B's quality manager (who may run internal control,
// unlike B's administrator in the general isolation test) against A's
// records: each is refused or shows nothing of A's, and A's records do not
// change. B's own settings may be saved.
func TestControlEvalIsolationForQualityManager(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.B.Inst.ID, f.B.Admin.ID); err != nil {
			t.Fatal(err)
		}
		r := cevIsoSeed(t, f)
		b := f.login(t, f.B.Username)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		form := cevIsoForeign(f)
		form.Set("version", "1")
		params := strings.NewReplacer("{id}", id(r.Eval.ID), "{cuid}", id(f.A.Unit.ID), "{cstd}", "1", "{ceid}", id(r.Evidence.ID))
		checked := 0
		for _, rt := range f.Srv.controlEvalRoutes() {
			p := rt.Pattern
			path := params.Replace(p)
			var res *http.Response
			var body string
			if rt.Method == "GET" {
				res, body = b.get(path)
			} else {
				res, body = b.post(path, form)
			}
			checked++
			if strings.Contains(body, "Alfa") || strings.Contains(body, f.A.Inst.Name) {
				t.Errorf("%s %s shows A's data", rt.Method, path)
			}
			switch {
			case res.StatusCode == http.StatusNotFound, res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusUnprocessableEntity:
			case res.StatusCode == http.StatusOK && rt.Method == "GET" && !strings.Contains(p, "{id}"):
			case (res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusConflict) && rt.Method == "POST" && p == "/control/settings":
				// B's own settings (saved, or refused as stale).
			default:
				t.Errorf("%s %s: status %d, want a refusal", rt.Method, path, res.StatusCode)
			}
		}
		if checked != len(f.Srv.controlEvalRoutes()) || checked < 27 {
			t.Errorf("%d routes checked", checked)
		}
		cevIsoCheck(t, f, r)
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM control_evaluations WHERE tenant_id = $1`, f.B.Inst.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B opened %d evaluations with A's compartments (%v)", n, err)
		}
	})
}
