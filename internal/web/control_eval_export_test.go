package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// TestControlEvalExports opens every file of the part: the list and the
// summary as workbooks, the questionnaire, the summary and the yearly
// report as PDF with the Romanian letters printed, and the summary and
// the report as Word documents holding them.
func TestControlEvalExports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		c := cevSeed(t, newFixture(t, d))
		ctx := context.Background()
		sys := auth.SystemActor(c.A.Inst.ID, "test")
		o := &org.Service{DB: c.DB, Clock: c.Clock}
		if _, err := o.CreatePerson(ctx, sys, org.PersonInput{FullName: "Ștefan Țurcanu", JobTitle: "Primar", Position: org.PositionManagement,
			Employment: org.EmploymentElected, ElectedRole: org.ElectedMayor, Active: true, Email: "primar@alfa.example.ro"}); err != nil {
			t.Fatal(err)
		}
		if err := c.Srv.control.SaveAnswers(ctx, sys, c.Eval.ID, c.A.SubUnit.ID, 1, cevInputs(1, control.AnswerYes)); err != nil {
			t.Fatal(err)
		}
		if err := c.Srv.control.SaveMeasures(ctx, sys, c.Eval.ID, 2, "Actualizarea fișelor de post până la 31 martie", 0); err != nil {
			t.Fatal(err)
		}
		qm := c.login(t, c.QM)
		unit := strconv.FormatInt(c.A.SubUnit.ID, 10)

		for _, p := range []string{"/control/evaluations/export.xlsx", c.path("/summary.xlsx")} {
			res, body := qm.get(p)
			wantStatus(t, res, body, http.StatusOK)
			if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
				t.Errorf("%s: content type %q", p, ct)
			}
		}
		res, body := qm.get("/control/evaluations/export.xlsx")
		rows := cafXLSXRows(t, body, "Autoevaluări anuale")
		if len(rows) != 2 || rows[1][0] != "2026" || rows[1][1] != "În desfășurare" {
			t.Errorf("the list's workbook: %v", rows)
		}
		res, body = qm.get(c.path("/summary.xlsx"))
		rows = cafXLSXRows(t, body, "Situația sintetică")
		if len(rows) != 17 || rows[1][2] != "Etica și integritatea" || rows[1][9] != "Implementat" || rows[2][10] != "Actualizarea fișelor de post până la 31 martie" {
			t.Errorf("the summary's workbook: %d rows, %v", len(rows), rows[:min(3, len(rows))])
		}

		for _, tc := range []struct{ path, text string }{
			{c.path("/units/%s/questionnaire.pdf", unit), "Etica și integritatea"},
			{c.path("/summary.pdf"), "Situația sintetică a rezultatelor autoevaluării"},
			{c.path("/report.pdf"), "Ștefan Țurcanu"},
			{c.path("/report.pdf"), "Actualizarea fișelor de post până la 31 martie"},
		} {
			res, body := qm.get(tc.path)
			wantStatus(t, res, body, http.StatusOK)
			if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s: not a PDF", tc.path)
				continue
			}
			if !citizenPDFHas(t, []byte(body), tc.text) {
				t.Errorf("%s does not print %q", tc.path, tc.text)
			}
		}
		for _, tc := range []struct{ path, text string }{
			{c.path("/summary.docx"), "Situația sintetică a rezultatelor autoevaluării"},
			{c.path("/report.docx"), "Raport asupra sistemului de control intern managerial la data de 31 decembrie 2026"},
			{c.path("/report.docx"), "Ștefan Țurcanu"},
			{c.path("/report.docx"), "neconform"},
		} {
			res, body := qm.get(tc.path)
			wantStatus(t, res, body, http.StatusOK)
			if !strings.Contains(res.Header.Get("Content-Type"), "wordprocessingml") {
				t.Errorf("%s: content type %q", tc.path, res.Header.Get("Content-Type"))
			}
			if doc := cafDocxText(t, body); !strings.Contains(doc, tc.text) {
				t.Errorf("%s does not hold %q", tc.path, tc.text)
			}
		}
		// The English report.
		viewer := c.login(t, c.A.Viewer.Username)
		res, body = viewer.get(c.path("/report.docx"))
		wantStatus(t, res, body, http.StatusOK)
		if doc := cafDocxText(t, body); !strings.Contains(doc, "Report on the internal managerial control system on 31 December 2026") {
			t.Error("the English report has no English title")
		}
		if doc := cafDocxText(t, body); strings.ContainsAny(doc, "şţŞŢ") {
			t.Error("cedilla letters in the report")
		}
	})
}

// cevInputs answers every question of a standard.
func cevInputs(std int, answer string) []control.AnswerInput {
	var out []control.AnswerInput
	for k, v := range cevAnswers(std, answer) {
		if strings.HasPrefix(k, "a_") {
			code := strings.TrimPrefix(k, "a_")
			in := control.AnswerInput{Question: code, Answer: v[0]}
			if x := cevAnswers(std, answer).Get("x_" + code); x != "" {
				in.Explanation = x
			}
			out = append(out, in)
		}
	}
	return out
}
