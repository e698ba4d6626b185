package improvement_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/importer"
	"cadran/internal/improvement"
)

func row(line int, kv ...string) importer.Row {
	r := importer.Row{Line: line, Values: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Values[kv[i]] = kv[i+1]
	}
	return r
}

// TestImportLog: a nonconformity log is checked row by row without writing,
// refused whole when a row is wrong, and written whole when every row is
// right: closed cases with their done action, open ones with an inbox task
// for an owner Cadran recognises.
func TestImportLog(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tg := e.svc.Importer()
		if tg.Name() != "nonconformities" || tg.Permission() != "improve.manage" || len(tg.Fields()) < 12 {
			t.Fatalf("target: %s %s %d", tg.Name(), tg.Permission(), len(tg.Fields()))
		}
		good := []importer.Row{
			row(2, "no", "1", "detected_on", "12.03.2025", "source", "Audit intern nr. 2/2025", "description", "Registrul de intrare-ieșire nu este numerotat. Paginile lipsesc.",
				"unit", "serviciul relatii cu publicul si registratura", "clause", "ISO 9001 7.5.3", "severity", "Minoră", "cause", "Lipsa instruirii",
				"action", "Numerotarea registrului", "owner", "Bălan Ion", "due", "2025-04-30", "state", "închisă", "closed_on", "45777"),
			row(3, "no", "2", "detected_on", "2026-10-01", "source", "Reclamație", "description", "Certificat fiscal eliberat după 10 zile.",
				"unit", "SITL", "severity", "major", "action", "Termen intern de 2 zile", "owner", "Ion Bălan", "due", "15.12.2026", "state", "deschisă"),
			row(4, "no", "3", "detected_on", "45900", "description", "Formular vechi folosit la ghișeu.", "unit", "DE",
				"action", "Retragerea formularelor vechi", "owner", "Cineva Necunoscut", "due", "20.12.2026"),
			row(5, "no", "4", "detected_on", "01.11.2026", "description", "Indicator de satisfacție sub țintă.", "source", "indicator"),
		}
		checked, err := tg.Check(ctx, e.qm, good)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range checked {
			if len(c.Errors) > 0 {
				t.Errorf("line %d: %v", c.Line, c.Errors)
			}
		}
		if c := checked[0].Cells; c[1] != "2025-03-12" || c[2] != "internal_audit" || c[3] != "minor" || c[9] != "closed" {
			t.Errorf("preview of line 2: %v", c)
		}
		if c := checked[2].Cells; c[2] != "other" || c[9] != "actions" || c[1] != "2025-08-31" {
			t.Errorf("preview of line 4: %v", c)
		}

		bad := append([]importer.Row{}, good...)
		bad = append(bad,
			row(6, "detected_on", "31.02.2026", "description", "x"),
			row(7, "detected_on", "01.01.2026", "description", "x", "unit", "Direcția Inexistentă"),
			row(8, "detected_on", "01.01.2026", "description", "x", "severity", "catastrofală"),
			row(9, "detected_on", "01.01.2026", "description", "x", "clause", "11.2"),
			row(10, "detected_on", "01.01.2026", "description", "x", "state", "poate"),
			row(11, "detected_on", "01.01.2026"),
			row(12, "detected_on", "01.01.2026", "description", "x", "closed_on", "01.12.2025"),
		)
		checked, err = tg.Check(ctx, e.qm, bad)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int][2]string{6: {"detected_on", "nc.import.error.date"}, 7: {"unit", "nc.import.error.unit_unknown"}, 8: {"severity", "nc.import.error.severity"},
			9: {"clause", "nc.import.error.clause"}, 10: {"state", "nc.import.error.state"}, 11: {"description", "error.required"},
			12: {"closed_on", "nc.import.error.closed_before"}}
		for _, c := range checked[len(good):] {
			w := want[c.Line]
			if c.Errors[w[0]] != w[1] {
				t.Errorf("line %d: errors %v, want %s=%s", c.Line, c.Errors, w[0], w[1])
			}
		}
		eventsBefore := e.count(t, `SELECT COUNT(*) FROM audit_events`)
		if _, err := tg.Commit(ctx, e.qm, bad, nil); err == nil {
			t.Fatal("a log with bad rows was imported")
		} else if v, ok := apperr.AsValidation(err); !ok || v["file"] != "nc.import.error.rows" {
			t.Fatalf("bad rows: %v", err)
		}
		if e.count(t, `SELECT COUNT(*) FROM nonconformities`) != 0 || e.count(t, `SELECT COUNT(*) FROM audit_events`) != eventsBefore {
			t.Fatal("a refused import left records")
		}
		if _, err := tg.Check(ctx, e.emp, good); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an employee checked an import: %v", err)
		}

		var calls []int
		n, err := tg.Commit(ctx, e.qm, good, func(done int) { calls = append(calls, done) })
		if err != nil || n != 4 {
			t.Fatalf("commit: %d %v", n, err)
		}
		if len(calls) == 0 || calls[len(calls)-1] != 4 {
			t.Errorf("progress: %v", calls)
		}
		list := must2(e.svc.List(ctx, e.qm, improvement.Filter{Sort: "code"}))(t)
		if len(list) != 4 || list[0].Code != "NC-2025-001" || list[1].Code != "NC-2025-002" || list[2].Code != "NC-2026-001" {
			for _, x := range list {
				t.Logf("%s %s %s", x.Code, x.DetectedOn, x.ImportNo)
			}
			t.Fatal("codes by the year each case was detected")
		}
		closed := list[0]
		if closed.State != improvement.StateClosed || closed.ClosedOn != "2025-04-30" || closed.Clause != "7.5.3" || closed.UnitID != e.registry || closed.Conclusion != "Lipsa instruirii" || closed.ImportNo != "1" {
			t.Errorf("closed case: %+v", closed)
		}
		if e.openTasks(t, e.ion, "") != 1 {
			t.Error("the open action with a known owner has no task")
		}
		unknown := list[1]
		acts := must(e.svc.Open(ctx, e.qm, unknown.ID))(t).Actions
		if unknown.State != improvement.StateActions || len(acts) != 1 || acts[0].OwnerID != 0 || acts[0].OwnerName != "Cineva Necunoscut" || unknown.NextDue != "2026-12-20" {
			t.Errorf("action of an unknown owner: %+v %+v", unknown, acts)
		}
		if list[3].State != improvement.StateAnalysis || list[3].Source != improvement.SourceIndicator {
			t.Errorf("open case without action: %+v", list[3])
		}
		// Numbering goes on after the imported cases.
		if n := e.report(t, e.emp, "După import"); n.Code != "NC-2026-003" {
			t.Errorf("next code after the import: %s", n.Code)
		}
		if _, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil {
			t.Errorf("audit chain after import: %v %v", brk, err)
		}

		var buf bytes.Buffer
		if err := tg.Template(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := f.GetCellValue("Neconformități", "D1"); v != "Descrierea neconformității" {
			t.Errorf("template heading: %q", v)
		}
	})
}
