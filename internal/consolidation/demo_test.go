package consolidation_test

import (
	"testing"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/consolidation"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/demo"
	"cadran/internal/org"
	"cadran/internal/risks"
)

// TestDemoBodies: in the demo municipality every body — the own
// apparatus, SPCLEP, DAS and the local police — shows figures in every
// section, and the totals are the sums of the bodies.
func TestDemoBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo")
	}
	d := dbtest.Open(t, db.SQLite)
	clk := clock.NewFixed(t0)
	ctx := t.Context()
	if _, err := demo.Seed(ctx, d, clk); err != nil {
		t.Fatal(err)
	}
	inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, demo.CUI)
	if err != nil {
		t.Fatal(err)
	}
	svc := &consolidation.Service{DB: d, Clock: clk, Risks: &risks.Service{DB: d, Clock: clk}}
	v, err := svc.Consolidated(ctx, auth.SystemActor(inst.ID, "test"), consolidation.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range v.Columns {
		f := c.Figures
		names = append(names, c.Body.Code)
		t.Logf("%-10s legal=%v KPIs %d (g%d a%d r%d n%d) score %.1f | risks %d above %d high %d | NC open %d year %d overdue %d | proposals %d | sensitive %d | people %d trained %d hours %.0f certs %d",
			c.Body.Code+c.Body.Kind, c.Body.LegalPerson, f.KPIs, f.Green, f.Amber, f.Red, f.NoData, f.Score.Score, f.Risks, f.AboveTolerance, f.HighRisks,
			f.NCsOpen, f.NCsYear, f.ActionsOverdue, f.ProposalsOpen, f.Sensitive, f.People, f.Trained, f.Hours, f.Certificates)
		if c.Body.Kind == consolidation.KindUnassigned {
			continue
		}
		if f.KPIs == 0 || !f.Score.HasData {
			t.Errorf("%s: no scored KPI", c.Body.Code)
		}
		if f.Risks == 0 || f.NCsOpen+f.NCsYear == 0 {
			t.Errorf("%s: empty registers", c.Body.Code)
		}
		if f.People == 0 || f.Trained == 0 {
			t.Errorf("%s: nobody trained", c.Body.Code)
		}
	}
	if len(v.Columns) < 4 {
		t.Errorf("bodies: %v", names)
	}
}
