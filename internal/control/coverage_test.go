package control_test

import (
	"errors"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/control"
	"cadran/internal/documents"
)

// covDoc inserts a document of kind for the tenant of unit (A or B).
func (e *env) covDoc(t *testing.T, tenantOfUnit int64, kind, code, title string) int64 {
	t.Helper()
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), `INSERT INTO documents (tenant_id, kind, code, title, review_months, state, sort_code, sort_title, created_at, updated_at)
		VALUES ((SELECT tenant_id FROM people WHERE id = $1), $2, $3, $4, 12, 'approved', $3, $4, $5, $5) RETURNING id`, tenantOfUnit, kind, code, title, t0).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCoverage(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		po := e.covDoc(t, e.ana, documents.KindOperational, "PO-SITL-01", "Procedura de impunere a clădirilor")
		ps := e.covDoc(t, e.ana, documents.KindSystem, "PS-01", "Controlul documentelor")
		form := e.covDoc(t, e.ana, documents.KindForm, "F-01", "Formular")
		bDoc := e.covDoc(t, e.bob, documents.KindOperational, "PO-B-01", "Procedura lui B")
		add := func(in control.ActivityInput) control.Activity {
			t.Helper()
			x, err := e.svc.CreateActivity(ctx, e.qm, in)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		// Tax: 2 covered, 1 missing with a task, 1 exempt. Quality: 1 covered, 1 missing.
		add(control.ActivityInput{UnitID: e.tax, Title: "Impunerea clădirilor", DocumentID: po})
		add(control.ActivityInput{UnitID: e.tax, Title: "Evidența documentelor", DocumentID: ps})
		missing := add(control.ActivityInput{UnitID: e.tax, Title: "Executarea silită", OwnerID: e.ion, DueOn: "2027-02-28"})
		add(control.ActivityInput{UnitID: e.tax, Title: "Ședința de serviciu", Exempt: "Activitate fără risc, reglementată prin ROF."})
		add(control.ActivityInput{UnitID: e.quality, Title: "Auditul intern al calității", DocumentID: ps})
		add(control.ActivityInput{UnitID: e.quality, Title: "Analiza efectuată de management"})
		if n := e.openTasks(t, e.ion, control.EntityActivity); n != 1 {
			t.Fatalf("Ion's procedure tasks: %d", n)
		}
		c, err := e.svc.Coverage(ctx, e.viewer)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]control.UnitCoverage{
			e.tax:     {UnitID: e.tax, UnitName: "Serviciul Impozite și Taxe Locale", Activities: 4, Covered: 2, Missing: 1, Exempt: 1},
			e.quality: {UnitID: e.quality, UnitName: "Biroul Managementul Calității", Activities: 2, Covered: 1, Missing: 1},
		}
		if len(c.Units) != 2 {
			t.Fatalf("units: %+v", c.Units)
		}
		for _, u := range c.Units {
			if u != want[u.UnitID] {
				t.Errorf("unit %d: want %+v, got %+v", u.UnitID, want[u.UnitID], u)
			}
		}
		// Tax: 2 of the 3 that need a procedure = 66.67 %; the institution 3 of 5 = 60 %.
		if pct, ok := want[e.tax].Share(); !ok || pct < 66.66 || pct > 66.67 {
			t.Errorf("tax share %v", pct)
		}
		if c.Total != (control.UnitCoverage{Activities: 6, Covered: 3, Missing: 2, Exempt: 1}) {
			t.Errorf("total %+v", c.Total)
		}
		if pct, ok := c.Total.Share(); !ok || pct != 60 {
			t.Errorf("total share %v", pct)
		}
		if _, ok := (control.UnitCoverage{Activities: 2, Exempt: 2}).Share(); ok {
			t.Error("a share with nothing to cover")
		}
		page, err := e.svc.Activities(ctx, e.viewer, control.ActivityFilter{Status: control.CoverageMissing, Sort: "title"})
		if err != nil || page.Total != 2 || page.Items[0].Title != "Analiza efectuată de management" {
			t.Fatalf("missing: %+v %v", page, err)
		}
		page, err = e.svc.Activities(ctx, e.viewer, control.ActivityFilter{Query: "executarea silita", UnitID: e.tax})
		if err != nil || page.Total != 1 || page.Items[0].ID != missing.ID {
			t.Fatalf("search: %+v %v", page, err)
		}
		// Bad input: a form is no procedure, nor is B's; exempt and covered at once.
		bad := map[string]struct {
			in         control.ActivityInput
			field, key string
		}{
			"no title":   {control.ActivityInput{UnitID: e.tax}, control.FieldActTitle, "error.required"},
			"no unit":    {control.ActivityInput{Title: "x"}, control.FieldActUnit, "error.required"},
			"a form":     {control.ActivityInput{UnitID: e.tax, Title: "x", DocumentID: form}, control.FieldActDocument, "control.cov.error.document"},
			"B's doc":    {control.ActivityInput{UnitID: e.tax, Title: "x", DocumentID: bDoc}, control.FieldActDocument, "control.cov.error.document"},
			"both":       {control.ActivityInput{UnitID: e.tax, Title: "x", DocumentID: po, Exempt: "nu"}, control.FieldActExempt, "control.cov.error.exempt_and_document"},
			"bad date":   {control.ActivityInput{UnitID: e.tax, Title: "x", DueOn: "31.12.2026"}, control.FieldActDue, "error.date"},
			"B's person": {control.ActivityInput{UnitID: e.tax, Title: "x", OwnerID: e.bob}, control.FieldActOwner, "error.choice"},
		}
		for name, c := range bad {
			t.Run(name, func(t *testing.T) {
				_, err := e.svc.CreateActivity(ctx, e.qm, c.in)
				wantField(t, err, c.field, c.key)
			})
		}
		// B cannot link its own procedure to A's activity, nor read, change or delete it.
		if _, err := e.svc.Activity(ctx, e.other, missing.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B read A's activity: %v", err)
		}
		if _, err := e.svc.UpdateActivity(ctx, e.other, missing.ID, control.ActivityInput{UnitID: e.tax, Title: "x", DocumentID: bDoc, Version: missing.Version}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B changed A's activity: %v", err)
		}
		if err := e.svc.DeleteActivity(ctx, e.other, missing.ID, missing.Version); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B deleted A's activity: %v", err)
		}
		if _, err := e.svc.CreateActivity(ctx, e.emp, control.ActivityInput{UnitID: e.tax, Title: "x"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an employee added an activity: %v", err)
		}
		// Linking the procedure closes Ion's task as done.
		covered, err := e.svc.UpdateActivity(ctx, e.qm, missing.ID, control.ActivityInput{UnitID: e.tax, Title: missing.Title, DocumentID: po, OwnerID: e.ion, DueOn: missing.DueOn, Version: missing.Version})
		if err != nil {
			t.Fatal(err)
		}
		if covered.Status() != control.CoverageCovered || e.openTasks(t, e.ion, control.EntityActivity) != 0 {
			t.Fatalf("covered: %+v", covered)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND entity_id = $2 AND state = 'done'`, control.EntityActivity, missing.ID); n != 1 {
			t.Fatalf("done tasks: %d", n)
		}
		if err := e.svc.DeleteActivity(ctx, e.qm, covered.ID, covered.Version-1); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale delete: %v", err)
		}
		if err := e.svc.DeleteActivity(ctx, e.qm, covered.ID, covered.Version); err != nil {
			t.Fatal(err)
		}
		for action, n := range map[string]int{"create": 6, "update": 1, "delete": 1} {
			if got := e.sensAudits(t, control.EntityActivity, action); got != n {
				t.Errorf("%s events: want %d, got %d", action, n, got)
			}
		}
		if c, _ := e.svc.Coverage(ctx, e.other); len(c.Units) != 0 {
			t.Errorf("B sees coverage: %+v", c)
		}
	})
}
