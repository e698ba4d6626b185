package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/frameworks"
	"cadran/internal/org"
)

// cevFixture is institution A with a quality manager, the head of the
// economic directorate (which holds the budget service) and an open
// self-evaluation of both compartments.
type cevFixture struct {
	*fixture
	QM, Head string
	HeadID   int64
	Eval     control.Evaluation
}

func cevSeed(t testing.TB, f *fixture) *cevFixture {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	head, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: f.A.Unit.ID, FullName: "Dănuț Șerbănescu", JobTitle: "Director executiv", Position: org.PositionManagement,
		Employment: org.EmploymentCivilServant, Active: true, Email: "danut@alfa.example.ro"})
	if err != nil {
		t.Fatal(err)
	}
	au := &auth.Service{DB: f.DB, Clock: f.Clock}
	if _, err := au.CreateUser(ctx, sys, auth.UserInput{Username: "alfa.qm", DisplayName: "Ana Țărnă", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}, Locale: "ro"}); err != nil {
		t.Fatal(err)
	}
	if _, err := au.CreateUser(ctx, sys, auth.UserInput{Username: "alfa.head", DisplayName: "Dănuț Șerbănescu", Password: testPassword, Roles: []auth.Role{auth.RoleHeadOfUnit},
		Locale: "en", PersonID: head.ID}); err != nil {
		t.Fatal(err)
	}
	ev, err := f.Srv.control.OpenEvaluation(ctx, sys, control.EvaluationInput{Year: 2026, DueOn: "2026-12-20", Units: []int64{f.A.Unit.ID, f.A.SubUnit.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return &cevFixture{fixture: f, QM: "alfa.qm", Head: "alfa.head", HeadID: head.ID, Eval: ev}
}

func (c *cevFixture) path(format string, args ...any) string {
	return fmt.Sprintf("/control/evaluations/%d", c.Eval.ID) + fmt.Sprintf(format, args...)
}

// cevAnswers is the form of one standard with every question answered
// answer ("no" carries an explanation).
func cevAnswers(std int, answer string) url.Values {
	m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
	st, _ := m.Standard(std)
	form := url.Values{}
	for _, q := range st.Questions {
		form.Set("a_"+q.Code, answer)
		if answer == control.AnswerNo {
			form.Set("x_"+q.Code, "Lipsește procedura; se întocmește în trimestrul I.")
		}
	}
	return form
}

// cevStatus is the status shown on the summary for standard n.
func cevStatus(t *testing.T, body string, n int) string {
	t.Helper()
	marker := fmt.Sprintf(`data-std="%d">`, n)
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("the summary has no status for standard %d", n)
	}
	rest := body[i+len(marker):]
	return rest[:strings.Index(rest, "<")]
}

// TestControlEvalPages renders every page of the part in Romanian and in
// English with what a person reads on it.
func TestControlEvalPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		c := cevSeed(t, newFixture(t, d))
		qm := c.login(t, c.QM)
		viewer := c.login(t, c.A.Viewer.Username) // English
		head := c.login(t, c.Head)                // English
		unit := strconv.FormatInt(c.A.SubUnit.ID, 10)
		for _, tc := range []struct {
			who  *client
			path string
			want []string
		}{
			{qm, "/control", []string{"Control intern managerial", "Autoevaluarea SCIM 2026", "Situația sintetică a rezultatelor autoevaluării", "Funcții sensibile"}},
			{viewer, "/control", []string{"Internal managerial control", "Internal control self-evaluation 2026", "Sensitive functions"}},
			{head, "/control", []string{"Internal managerial control", "Alfa Serviciul Buget", "Alfa Direcția Economică"}},
			{qm, "/control/standards", []string{"Componenta I –", "Etica și integritatea", "Clauze ISO 9001", "Auditul intern"}},
			{viewer, "/control/standards", []string{"Component I –", "Ethics and integrity", "CAF sub-criteria"}},
			{qm, "/control/settings", []string{"Setări control intern managerial", "Termenul raportului anual", `value="16"`}},
			{qm, "/control/evaluations", []string{"Autoevaluări anuale", "În desfășurare", "Exportă în Excel"}},
			{viewer, "/control/evaluations?state=open", []string{"Yearly self-evaluations", "In progress"}},
			{qm, "/control/evaluations/new", []string{"Deschide autoevaluarea anuală", "Alfa Direcția Economică", "checked"}},
			{qm, c.path(""), []string{"Autoevaluarea SCIM 2026", "Alfa Serviciul Buget", "Centralizează", "0 / 2"}},
			{viewer, c.path(""), []string{"Internal control self-evaluation 2026", "Alfa Serviciul Buget", "Questions answered"}},
			{qm, c.path("/edit"), []string{"Modifică datele autoevaluării", "Textul raportului anual"}},
			{qm, c.path("/units/%s", unit), []string{"Alfa Serviciul Buget", "Etica și integritatea", "Nu se aplică", "Salvează standardul 1", "Transmite chestionarul"}},
			{viewer, c.path("/units/%s", unit), []string{"Alfa Serviciul Buget", "Ethics and integrity", "Evaluation criterion"}},
			{qm, c.path("/units/%s?std=1&q=Alfa", unit), []string{"Caută un document", "Adaugă nota"}},
			{qm, c.path("/summary"), []string{"Situația sintetică a rezultatelor autoevaluării", "Compartimente în care se aplică", "Neconform", "Măsuri de adoptat"}},
			{viewer, c.path("/summary"), []string{"Summary of the self-evaluation results", "Not conform", "Measures to adopt"}},
		} {
			res, body := tc.who.get(tc.path)
			wantStatus(t, res, body, http.StatusOK)
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: %q missing", tc.path, w)
				}
			}
		}
		// The viewer sees no manage action.
		res, body := viewer.get(c.path(""))
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, "/state\"") || strings.Contains(body, c.path("/edit")) {
			t.Error("the viewer is offered the evaluation's manage actions")
		}
		for _, p := range []string{"/control/settings", "/control/evaluations/new", c.path("/edit")} {
			if res, _ := viewer.get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s as viewer: status %d, want 403", p, res.StatusCode)
			}
		}
	})
}

// TestControlEvalAnswerChangesSummary: the head of the economic
// directorate answers standard 1 for the budget service under it, and the
// institution's summary changes; a "no" without explanation comes back
// with the message next to the question and the values kept; the viewer
// cannot answer.
func TestControlEvalAnswerChangesSummary(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		c := cevSeed(t, newFixture(t, d))
		head := c.login(t, c.Head)
		qm := c.login(t, c.QM)
		unit := strconv.FormatInt(c.A.SubUnit.ID, 10)

		res, body := qm.get(c.path("/summary"))
		wantStatus(t, res, body, http.StatusOK)
		if got := cevStatus(t, body, 1); got != "Neevaluat" {
			t.Fatalf("standard 1 before answering: %q", got)
		}

		res, body = head.post(c.path("/units/%s/standards/1", unit), cevAnswers(1, control.AnswerYes))
		wantStatus(t, res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); !strings.HasSuffix(loc, "#std-1") {
			t.Errorf("after saving: redirected to %q", loc)
		}
		res, body = qm.get(c.path("/summary"))
		wantStatus(t, res, body, http.StatusOK)
		if got := cevStatus(t, body, 1); got != "Implementat" {
			t.Errorf("standard 1 after the budget service answered yes: %q, want Implementat", got)
		}

		// The directorate itself says no to standard 1: partially
		// implemented in the institution.
		res, body = head.post(c.path("/units/%d/standards/1", c.A.Unit.ID), cevAnswers(1, control.AnswerNo))
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(c.path("/summary"))
		if got := cevStatus(t, body, 1); got != "Parțial implementat" {
			t.Errorf("standard 1 with one I and one NI: %q, want Parțial implementat", got)
		}

		// A "no" without its explanation: refused next to the question,
		// the choices kept.
		form := cevAnswers(2, control.AnswerYes)
		m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
		st2, _ := m.Standard(2)
		first := st2.Questions[0].Code
		form.Set("a_"+first, control.AnswerNo)
		form.Set("x_"+first, "")
		res, body = head.post(c.path("/units/%s/standards/2", unit), form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="e-q-`+first+`"`) {
			t.Error("the error is not shown next to the question")
		}
		if !strings.Contains(body, `id="a-`+first+`-no" name="a_`+first+`" value="no" checked`) {
			t.Error("the answer typed was not kept")
		}

		// The viewer may not answer; nothing changed.
		viewer := c.login(t, c.A.Viewer.Username)
		res, _ = viewer.post(c.path("/units/%s/standards/3", unit), cevAnswers(3, control.AnswerYes))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("the viewer answering: status %d, want 403", res.StatusCode)
		}
		q, err := c.Srv.control.Questionnaire(context.Background(), auth.SystemActor(c.A.Inst.ID, "test"), c.Eval.ID, c.A.SubUnit.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sa := range q.Standards {
			if sa.Standard.Number == 3 && sa.Status != control.StatusIncomplete {
				t.Errorf("standard 3 changed by the viewer: %q", sa.Status)
			}
		}

		// Evidence: a note added and removed.
		res, body = head.post(c.path("/units/%s/evidence", unit), url.Values{"ev_standard": {"1"}, "ev_title": {"Codul etic al instituției"}, "ev_notes": {"Aprobat în 2025"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = head.get(c.path("/units/%s", unit))
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Codul etic al instituției") {
			t.Fatal("the note is not listed")
		}
		q, _ = c.Srv.control.Questionnaire(context.Background(), auth.SystemActor(c.A.Inst.ID, "test"), c.Eval.ID, c.A.SubUnit.ID)
		var eid int64
		for _, sa := range q.Standards {
			for _, e := range sa.Evidence {
				eid = e.ID
			}
		}
		res, body = head.post(c.path("/units/%s/evidence/%d/delete", unit, eid), url.Values{"ev_standard": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)

		// A document found by the search, linked as evidence.
		res, body = head.get(c.path("/units/%s?std=1&q=%s", unit, url.QueryEscape("bugetul")))
		wantStatus(t, res, body, http.StatusOK)
		pick := fmt.Sprintf("document:%d", c.A.Doc.ID)
		if !strings.Contains(body, `value="`+pick+`"`) || !strings.Contains(body, "Procedura privind bugetul") {
			t.Fatal("the search does not offer the budget procedure")
		}
		res, body = head.post(c.path("/units/%s/evidence", unit), url.Values{"ev_standard": {"1"}, "ev_q": {"bugetul"}, "ev_pick": {pick}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = head.get(c.path("/units/%s", unit))
		if !strings.Contains(body, fmt.Sprintf(`href="/documents/%d"`, c.A.Doc.ID)) {
			t.Error("the linked document is not listed with its link")
		}
		res, body = head.post(c.path("/units/%s/evidence", unit), url.Values{"ev_standard": {"1"}, "ev_q": {"bugetul"}, "ev_pick": {"document:999999"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)

		// Submitting while incomplete is refused with a message.
		res, body = head.post(c.path("/units/%s/submit", unit), url.Values{})
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
			t.Errorf("submitting an incomplete questionnaire: status %d", res.StatusCode)
		}
	})
}

// TestControlEvalWorkflowAndForms: the quality manager opens a year from
// the form (refused with the field's message for a year out of range),
// edits the texts, and cannot consolidate while compartments are pending.
func TestControlEvalWorkflowAndForms(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		c := cevSeed(t, newFixture(t, d))
		qm := c.login(t, c.QM)
		res, body := qm.post("/control/evaluations", url.Values{"ce_year": {"1990"}, "ce_due_on": {"2026-12-31"}, "ce_units": {strconv.FormatInt(c.A.Unit.ID, 10)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="e-ce_year"`) || !strings.Contains(body, `value="1990"`) {
			t.Error("the year's error is not next to the field, or the year typed was lost")
		}
		res, body = qm.post("/control/evaluations", url.Values{"ce_year": {"2025"}, "ce_due_on": {"2026-12-31"}, "ce_units": {strconv.FormatInt(c.A.Unit.ID, 10)}})
		wantStatus(t, res, body, http.StatusSeeOther)

		res, body = qm.post(c.path(""), url.Values{"ce_due_on": {"2026-12-28"}, "ce_report_no": {"1234/2027"}, "ce_report_text": {"S-au actualizat 12 proceduri."},
			"version": {strconv.Itoa(c.Eval.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.post(c.path(""), url.Values{"ce_due_on": {"2026-12-29"}, "version": {strconv.Itoa(c.Eval.Version)}})
		wantStatus(t, res, body, http.StatusConflict)

		ev, _ := c.Srv.control.Evaluation(context.Background(), auth.SystemActor(c.A.Inst.ID, "test"), c.Eval.ID)
		res, body = qm.post(c.path("/state"), url.Values{"ct_to": {control.EvalConsolidated}, "version": {strconv.Itoa(ev.Version)}})
		if res.StatusCode != http.StatusConflict && res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("consolidating with pending compartments: status %d", res.StatusCode)
		}
		if !strings.Contains(body, "Autoevaluarea SCIM 2026") {
			t.Error("the refusal is not shown on the evaluation's page")
		}

		res, body = qm.post("/control/settings", url.Values{"cs_conform_min": {"16"}, "cs_partial_min": {"20"}, "cs_report_due": {"02-20"}, "cs_answer_days": {"30"},
			"cs_rotation_years": {"5"}, "cs_rotation_notice_days": {"90"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="e-cs_partial_min"`) || !strings.Contains(body, `value="20"`) {
			t.Error("the settings' error is not next to the field, or the value typed was lost")
		}
		res, body = qm.post("/control/settings", url.Values{"cs_conform_min": {"15"}, "cs_partial_min": {"12"}, "cs_report_due": {"02-20"}, "cs_answer_days": {"30"},
			"cs_rotation_years": {"5"}, "cs_rotation_notice_days": {"90"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusSeeOther)
	})
}

// TestControlEvalFullCycle: both compartments answer every standard and
// submit through the pages, the quality manager consolidates, approval
// without who approved comes back with the field's message, then the
// evaluation is approved and its summary no longer takes measures.
func TestControlEvalFullCycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		c := cevSeed(t, newFixture(t, d))
		head := c.login(t, c.Head)
		qm := c.login(t, c.QM)
		m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
		for _, u := range []int64{c.A.Unit.ID, c.A.SubUnit.ID} {
			for _, st := range m.Standards() {
				answer := control.AnswerYes
				if st.Number == 16 {
					answer = control.AnswerNA // no internal audit in the compartment
				}
				if u == c.A.Unit.ID && st.Number == 9 {
					answer = control.AnswerNo
				}
				res, body := head.post(c.path("/units/%d/standards/%d", u, st.Number), cevAnswers(st.Number, answer))
				wantStatus(t, res, body, http.StatusSeeOther)
			}
			res, body := head.post(c.path("/units/%d/submit", u), url.Values{})
			wantStatus(t, res, body, http.StatusSeeOther)
			res, body = head.get(c.path("/units/%d", u))
			if !strings.Contains(body, "You can no longer change this questionnaire") {
				t.Error("a submitted questionnaire is still offered for answering")
			}
		}
		ctx := context.Background()
		sys := auth.SystemActor(c.A.Inst.ID, "test")
		ev, _ := c.Srv.control.Evaluation(ctx, sys, c.Eval.ID)
		res, body := qm.post(c.path("/state"), url.Values{"ct_to": {control.EvalConsolidated}, "version": {strconv.Itoa(ev.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		ev, _ = c.Srv.control.Evaluation(ctx, sys, c.Eval.ID)
		res, body = qm.get(c.path(""))
		if !strings.Contains(body, "Aprobă situația sintetică și raportul") {
			t.Error("a consolidated evaluation does not offer approval")
		}
		res, body = qm.post(c.path("/state"), url.Values{"ct_to": {control.EvalApproved}, "ct_approved_on": {"2026-11-20"}, "version": {strconv.Itoa(ev.Version)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="e-ct_approved_by"`) || !strings.Contains(body, `value="2026-11-20"`) {
			t.Error("approval without the approver: no message next to the field, or the date typed was lost")
		}
		res, body = qm.post(c.path("/state"), url.Values{"ct_to": {control.EvalApproved}, "ct_approved_by": {"Ștefan Țurcanu, primar"}, "ct_approved_on": {"2026-11-20"},
			"version": {strconv.Itoa(ev.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(c.path("/summary"))
		wantStatus(t, res, body, http.StatusOK)
		// 14 standards implemented (9 is partial: one NI, one I; 16 is
		// not applicable anywhere, so unrated): partially conform (13–15).
		if got := cevStatus(t, body, 9); got != "Parțial implementat" {
			t.Errorf("standard 9: %q", got)
		}
		if got := cevStatus(t, body, 16); got != "Neevaluat" {
			t.Errorf("standard 16: %q", got)
		}
		if !strings.Contains(body, `<strong id="grade">Parțial conform</strong>`) || !strings.Contains(body, "<strong>14 / 16</strong>") {
			t.Error("the summary does not show 14 of 16 implemented, partially conform")
		}
		if strings.Contains(body, `name="cm_measures"`) {
			t.Error("an approved evaluation still takes measures")
		}
	})
}
