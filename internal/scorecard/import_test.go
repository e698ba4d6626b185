package scorecard_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/importer"
	"cadran/internal/scorecard"
)

func TestParseValueAndPeriod(t *testing.T) {
	for in, want := range map[string]float64{"93,5": 93.5, "93.5": 93.5, "1.234,5": 1234.5, "1,234.5": 1234.5, "1 234,5": 1234.5, "87 %": 87, "12 zile": 12, "-3": -3, "0,25 lei": 0.25} {
		if got, ok := scorecard.ParseValue(in); !ok || got != want {
			t.Errorf("ParseValue(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1,2,3", "NaN"} {
		if got, ok := scorecard.ParseValue(in); ok {
			t.Errorf("ParseValue(%q) = %v, want refused", in, got)
		}
	}
	for in, want := range map[string]string{"2026-10": "2026-10", "octombrie 2026": "2026-10", "Oct. 2026": "2026-10", "10.2026": "2026-10", "31.10.2026": "2026-10",
		"2026-T3": "2026-Q3", "2026": "2026", "46326": "2026-10"} {
		if p, err := scorecard.ParsePeriodText(in); err != nil || p.Key() != want {
			t.Errorf("ParsePeriodText(%q) = %v, %v; want %s", in, p.Key(), err, want)
		}
	}
}

func TestImportMeasurements(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, msKPI{code: "K01", owner: e.ema, baseline: msF64(50), red: msF64(70), targets: map[string]float64{"2026": 90}, decimals: 1})
		q := e.kpi(t, msKPI{code: "K02", owner: e.nobody, freq: scorecard.Quarterly})
		e.kpi(t, msKPI{tenant: e.sysB.Tenant, code: "B01"})
		target := e.svc.ImportTarget()
		if target.Name() != "measurements" || target.Done() != "/scorecard/measurements" {
			t.Fatalf("target %s %s", target.Name(), target.Done())
		}
		row := func(line int, code, period, value, note string) importer.Row {
			return importer.Row{Line: line, Values: map[string]string{"code": code, "period": period, "value": value, "explanation": note}}
		}
		rows := []importer.Row{
			row(2, "K01", "septembrie 2026", "93,5", ""),
			row(3, "k02", "2026-T3", "12", ""),
			row(4, "K01", "2026-10", "60", ""),   // red without explanation
			row(5, "B01", "2026-10", "1", ""),    // another institution's
			row(6, "K01", "2026-08", "mult", ""), // not a number
		}
		checked := msMust(target.Check(ctx, e.qm, rows))(t)
		if len(checked) != 5 {
			t.Fatalf("checked %d", len(checked))
		}
		if len(checked[0].Errors) != 0 || checked[0].Cells[2] != "2026-09" || checked[0].Cells[3] != "93,5" {
			t.Fatalf("row 2: %+v", checked[0])
		}
		if len(checked[1].Errors) != 0 || checked[1].Cells[2] != "2026-Q3" {
			t.Fatalf("row 3: %+v", checked[1])
		}
		for i, want := range map[int][2]string{2: {"explanation", "scorecard.measure.error.explain_red"}, 3: {"code", "scorecard.measure.error.unknown_kpi"}, 4: {"value", "scorecard.measure.error.value"}} {
			if checked[i].Errors[want[0]] != want[1] {
				t.Fatalf("row %d: %+v", checked[i].Line, checked[i].Errors)
			}
		}
		// A file with a bad row imports nothing.
		if _, err := target.Commit(ctx, e.qm, rows, nil); !errors.Is(err, apperr.ErrInvalid) && apperr.KindOf(err) != apperr.KindInvalid {
			t.Fatalf("commit with bad rows: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_measurements`); n != 0 {
			t.Fatalf("%d saved", n)
		}
		// The good rows: the quality manager imports them in force.
		rows[2].Values["explanation"] = "Concedii de odihnă"
		done := 0
		n := msMust(target.Commit(ctx, e.qm, rows[:3], func(d int) { done = d }))(t)
		if n != 3 || done != 3 {
			t.Fatalf("imported %d, progress %d", n, done)
		}
		if v, _ := e.value(t, k, "2026-09"); v == nil || *v != 93.5 {
			t.Fatalf("K01 September: %v", v)
		}
		if v, _ := e.value(t, q, "2026-Q3"); v == nil || *v != 12 {
			t.Fatalf("K02 Q3: %v", v)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_measurements WHERE source = 'import' AND value IS NOT NULL`); n != 3 {
			t.Fatalf("imported rows in force: %d", n)
		}
		// An employee's import of someone else's KPI waits for approval.
		n = msMust(target.Commit(ctx, e.head, []importer.Row{row(2, "K01", "2026-07", "91", "")}, nil))(t)
		if _, p := e.value(t, k, "2026-07"); n != 1 || p == nil || *p != 91 {
			t.Fatalf("head's import: %d %v", n, p)
		}
		if _, err := target.Check(ctx, e.viewer, rows); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("viewer: %v", err)
		}

		var buf bytes.Buffer
		if err := target.Template(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, _ := f.GetRows(f.GetSheetName(0))
		if len(got) != 2 || got[0][0] != "Cod indicator" || got[0][3] != "Explicație" {
			t.Fatalf("template: %v", got)
		}
	})
}
