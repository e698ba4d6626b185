package control_test

import (
	"errors"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
)

// sensAudits counts the audit events of an entity in institution A.
func (e *env) sensAudits(t *testing.T, entity, action string) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND action = $2`, entity, action)
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	if v[field] != key {
		t.Fatalf("field %s: want %q, got %q (all: %v)", field, key, v[field], v)
	}
}

func TestSensitiveValidation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		good := control.SensitiveInput{UnitID: e.tax, Title: "Casier", Factors: []string{"money"}, Rotation: true}
		cases := map[string]struct {
			edit       func(in *control.SensitiveInput)
			field, key string
		}{
			"no unit":       {func(in *control.SensitiveInput) { in.UnitID = 0 }, control.FieldSensUnit, "error.required"},
			"B's unit":      {func(in *control.SensitiveInput) { in.UnitID = 999999 }, control.FieldSensUnit, "error.choice"},
			"no title":      {func(in *control.SensitiveInput) { in.Title = "  " }, control.FieldSensTitle, "error.required"},
			"no factor":     {func(in *control.SensitiveInput) { in.Factors = nil }, control.FieldSensFactors, "control.sens.error.factors"},
			"bad factor":    {func(in *control.SensitiveInput) { in.Factors = []string{"luck"} }, control.FieldSensFactors, "error.choice"},
			"too many yrs":  {func(in *control.SensitiveInput) { in.MaxYears = 41 }, control.FieldSensMaxYears, "control.sens.error.max_years"},
			"unknown state": {func(in *control.SensitiveInput) { in.State = "asleep" }, control.FieldSensState, "error.choice"},
		}
		for name, c := range cases {
			t.Run(name, func(t *testing.T) {
				in := good
				in.Factors = append([]string(nil), good.Factors...)
				c.edit(&in)
				_, err := e.svc.CreateSensitive(ctx, e.qm, in)
				wantField(t, err, c.field, c.key)
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM control_sensitive_functions`); n != 0 {
			t.Fatalf("bad input saved %d functions", n)
		}
		for name, a := range map[string]auth.Actor{"employee": e.emp, "viewer": e.viewer, "head": e.head} {
			if _, err := e.svc.CreateSensitive(ctx, a, good); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s created a sensitive function: %v", name, err)
			}
		}
		f, err := e.svc.CreateSensitive(ctx, e.qm, control.SensitiveInput{UnitID: e.tax, Title: "Casier", Factors: []string{"public", "money", "money"}, Rotation: true})
		if err != nil {
			t.Fatal(err)
		}
		if f.MaxYears != 5 || len(f.Factors) != 2 || f.Factors[0] != "money" || f.State != control.FunctionActive || !f.Gap() {
			t.Fatalf("created %+v", f)
		}
		if n := e.sensAudits(t, control.EntitySensitive, "create"); n != 1 {
			t.Fatalf("audit events: %d", n)
		}
	})
}

// TestSensitiveRotation: a person in a rotatable function longer than its
// max years is overdue on the fixed clock (23 November 2026); adding them
// plans their rotation as a task for the unit head; ending the holding
// does the rotation and closes the task.
func TestSensitiveRotation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		// The institution keeps 4 years and 60 days' notice.
		if _, err := e.d.W.ExecContext(ctx, `INSERT INTO control_settings (tenant_id, rotation_years, rotation_notice_days, updated_at) VALUES ((SELECT tenant_id FROM units WHERE id = $1), 4, 60, $2)`, e.tax, t0); err != nil {
			t.Fatal(err)
		}
		f, err := e.svc.CreateSensitive(ctx, e.qm, control.SensitiveInput{UnitID: e.tax, Title: "Inspector impozite și taxe locale", Factors: []string{"public", "money"}, Rotation: true})
		if err != nil {
			t.Fatal(err)
		}
		if f.MaxYears != 4 {
			t.Fatalf("max years from settings: %d", f.MaxYears)
		}
		fixed, err := e.svc.CreateSensitive(ctx, e.qm, control.SensitiveInput{UnitID: e.tax, Title: "Casier unic", Factors: []string{"money"}, Rotation: false, MaxYears: 4})
		if err != nil {
			t.Fatal(err)
		}
		// Ema since 2022-11-22: rotation 2026-11-22, overdue on 23 Nov.
		// Ion since 2022-11-23: rotation today, not overdue yet, in notice.
		ema, err := e.svc.AddHolder(ctx, e.qm, f.ID, control.HolderInput{PersonID: e.ema, SinceOn: "2022-11-22"})
		if err != nil {
			t.Fatal(err)
		}
		ion, err := e.svc.AddHolder(ctx, e.qm, f.ID, control.HolderInput{PersonID: e.ion, SinceOn: "2022-11-23"})
		if err != nil {
			t.Fatal(err)
		}
		if ema.RotationOn != "2026-11-22" || !ema.Overdue || ema.Years != 4 {
			t.Fatalf("Ema: %+v", ema)
		}
		if ion.RotationOn != "2026-11-23" || ion.Overdue || !ion.Notice || ion.Years != 4 {
			t.Fatalf("Ion: %+v", ion)
		}
		// In a function without rotation, nobody is overdue and no rotation is planned.
		if _, err := e.svc.AddHolder(ctx, e.qm, fixed.ID, control.HolderInput{PersonID: e.ema, SinceOn: "2010-01-01"}); err != nil {
			t.Fatal(err)
		}
		// Two rotation measures, each a task for Dan, the head of the economic directorate above the tax service.
		if n := e.openTasks(t, e.dan, control.EntitySMeasure); n != 2 {
			t.Fatalf("Dan's rotation tasks: %d", n)
		}
		page, err := e.svc.SensitiveFunctions(ctx, e.viewer, control.SensitiveFilter{Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != f.ID || page.Items[0].Overdue != 1 || page.Items[0].Holders != 2 {
			t.Fatalf("overdue list: %+v", page)
		}
		// The clock passes: tomorrow Ion is overdue too (computed on read).
		e.clk.Set(t0.Add(24 * time.Hour))
		d, err := e.svc.SensitiveFunction(ctx, e.head, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Holders) != 2 || !d.Holders[0].Overdue || !d.Holders[1].Overdue || d.Function.Overdue != 2 {
			t.Fatalf("after a day: %+v", d.Holders)
		}
		if len(d.Measures) != 2 || d.Measures[0].Kind != "rotation" || d.Measures[0].OwnerID != e.dan || d.Measures[0].DueOn != "2026-11-22" {
			t.Fatalf("measures: %+v", d.Measures)
		}
		// Ema leaves the function: her rotation is done, its task closed.
		if _, err := e.svc.EndHolder(ctx, e.qm, f.ID, ema.ID, control.HolderEnd{UntilOn: "2026-12-01", Version: ema.Version}); err == nil {
			t.Fatal("left in the future")
		} else {
			wantField(t, err, control.FieldHolderUntil, "control.sens.error.until_future")
		}
		ended, err := e.svc.EndHolder(ctx, e.qm, f.ID, ema.ID, control.HolderEnd{UntilOn: "2026-11-24", Version: ema.Version})
		if err != nil {
			t.Fatal(err)
		}
		if ended.Current() || ended.Overdue {
			t.Fatalf("ended: %+v", ended)
		}
		if n := e.openTasks(t, e.dan, control.EntitySMeasure); n != 1 {
			t.Fatalf("Dan's rotation tasks after Ema left: %d", n)
		}
		if _, err := e.svc.EndHolder(ctx, e.qm, f.ID, ema.ID, control.HolderEnd{Version: ended.Version}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("ended twice: %v", err)
		}
		if _, err := e.svc.AddHolder(ctx, e.qm, f.ID, control.HolderInput{PersonID: e.ion, SinceOn: "2024-01-01"}); err == nil {
			t.Fatal("added Ion twice")
		} else {
			wantField(t, err, control.FieldHolderPerson, "control.sens.error.holder_exists")
		}
		d, _ = e.svc.SensitiveFunction(ctx, e.qm, f.ID)
		if d.Measures[0].State != control.MeasurePlanned || d.Measures[1].State != control.MeasureDone || d.Measures[1].DoneOn != "2026-11-24" {
			t.Fatalf("measures after Ema left: %+v", d.Measures)
		}
		if n := e.sensAudits(t, control.EntityHolder, "create"); n != 3 {
			t.Fatalf("holder create events: %d", n)
		}
		if n := e.sensAudits(t, control.EntityHolder, "update"); n != 1 {
			t.Fatalf("holder update events: %d", n)
		}
		if n := e.sensAudits(t, control.EntitySMeasure, "update"); n != 1 {
			t.Fatalf("measure update events: %d", n)
		}
	})
}

func TestSensitiveMeasures(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		f, err := e.svc.CreateSensitive(ctx, e.qm, control.SensitiveInput{UnitID: e.quality, Title: "Referent arhivă", Factors: []string{"information"}, Rotation: false})
		if err != nil {
			t.Fatal(err)
		}
		// Without an owner, the task goes to the quality office.
		m, err := e.svc.AddSMeasure(ctx, e.qm, f.ID, control.SMeasureInput{Kind: "dual_signature", Description: "Predarea dosarelor pe bază de proces-verbal semnat de doi.", DueOn: "2026-12-15"})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'control' AND entity = $1 AND entity_id = $2 AND state = 'open' AND role = 'quality_manager'`, control.EntitySMeasure, m.ID); n != 1 {
			t.Fatalf("quality office tasks: %d", n)
		}
		// Given an owner, the task moves to her; done closes it.
		m, err = e.svc.UpdateSMeasure(ctx, e.qm, f.ID, m.ID, control.SMeasureInput{Kind: m.Kind, Description: m.Description, OwnerID: e.vio, DueOn: m.DueOn, Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.openTasks(t, e.vio, control.EntitySMeasure); n != 1 {
			t.Fatalf("Viorica's tasks: %d", n)
		}
		if _, err := e.svc.UpdateSMeasure(ctx, e.qm, f.ID, m.ID, control.SMeasureInput{Kind: m.Kind, Description: m.Description, Version: m.Version - 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		m, err = e.svc.UpdateSMeasure(ctx, e.qm, f.ID, m.ID, control.SMeasureInput{Kind: m.Kind, Description: m.Description, OwnerID: e.vio, DueOn: m.DueOn, State: control.MeasureDone, Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		if m.DoneOn != "2026-11-23" || e.openTasks(t, e.vio, control.EntitySMeasure) != 0 {
			t.Fatalf("done: %+v", m)
		}
		if _, err := e.svc.AddSMeasure(ctx, e.qm, f.ID, control.SMeasureInput{Kind: "other"}); err == nil {
			t.Fatal("a measure without description")
		} else {
			wantField(t, err, control.FieldMeasureDescription, "control.sens.error.measure_description")
		}
		if _, err := e.svc.AddSMeasure(ctx, e.qm, f.ID, control.SMeasureInput{Kind: "segregation", Description: "x", OwnerID: e.bob}); err == nil {
			t.Fatal("B's person as owner")
		} else {
			wantField(t, err, control.FieldMeasureOwner, "error.choice")
		}
		// Retiring the function cancels its planned measures.
		m2, err := e.svc.AddSMeasure(ctx, e.qm, f.ID, control.SMeasureInput{Kind: "supervision", Description: "Verificare lunară", OwnerID: e.ana, DueOn: "2027-01-31"})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := e.svc.SensitiveFunction(ctx, e.qm, f.ID)
		if _, err := e.svc.UpdateSensitive(ctx, e.qm, f.ID, control.SensitiveInput{UnitID: e.quality, Title: f.Title, Factors: f.Factors, State: control.FunctionRetired, Version: d.Function.Version}); err != nil {
			t.Fatal(err)
		}
		if n := e.openTasks(t, e.ana, control.EntitySMeasure); n != 0 {
			t.Fatalf("tasks after retiring: %d", n)
		}
		if _, err := e.svc.UpdateSMeasure(ctx, e.qm, f.ID, m2.ID, control.SMeasureInput{Kind: "supervision", Description: "x", Version: m2.Version + 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("changed a retired function's measure: %v", err)
		}
		inv, err := e.svc.SensitiveInventory(ctx, e.viewer)
		if err != nil {
			t.Fatal(err)
		}
		if len(inv.Functions) != 0 || len(inv.Measures) != 0 {
			t.Fatalf("retired function in the inventory: %+v", inv)
		}
	})
}

func TestSensitiveTenants(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		f, err := e.svc.CreateSensitive(ctx, e.qm, control.SensitiveInput{UnitID: e.tax, Title: "Casier", Factors: []string{"money"}, Rotation: true})
		if err != nil {
			t.Fatal(err)
		}
		h, err := e.svc.AddHolder(ctx, e.qm, f.ID, control.HolderInput{PersonID: e.ema, SinceOn: "2020-03-01"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SensitiveFunction(ctx, e.other, f.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B read A's function: %v", err)
		}
		if _, err := e.svc.UpdateSensitive(ctx, e.other, f.ID, control.SensitiveInput{UnitID: e.tax, Title: "x", Factors: []string{"money"}, Version: f.Version}); err == nil {
			t.Error("B changed A's function")
		}
		if _, err := e.svc.AddHolder(ctx, e.other, f.ID, control.HolderInput{PersonID: e.bob, SinceOn: "2020-01-01"}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B added to A's function: %v", err)
		}
		if _, err := e.svc.EndHolder(ctx, e.other, f.ID, h.ID, control.HolderEnd{Version: h.Version}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B ended A's holder: %v", err)
		}
		if _, err := e.svc.AddHolder(ctx, e.qm, f.ID, control.HolderInput{PersonID: e.bob, SinceOn: "2020-01-01"}); err == nil {
			t.Error("A added B's person")
		} else {
			wantField(t, err, control.FieldHolderPerson, "error.choice")
		}
		page, err := e.svc.SensitiveFunctions(ctx, e.other, control.SensitiveFilter{})
		if err != nil || page.Total != 0 {
			t.Errorf("B's list: %+v %v", page, err)
		}
		inv, err := e.svc.SensitiveInventory(ctx, e.other)
		if err != nil || len(inv.Functions)+len(inv.Holders)+len(inv.Measures) != 0 {
			t.Errorf("B's inventory: %+v %v", inv, err)
		}
		inv, err = e.svc.SensitiveInventory(ctx, e.qm)
		if err != nil || len(inv.Functions) != 1 || len(inv.Holders) != 1 || inv.Holders[0].RotationOn != "2025-03-01" || !inv.Holders[0].Overdue || len(inv.Measures) != 1 {
			t.Errorf("A's inventory: %+v %v", inv, err)
		}
	})
}
