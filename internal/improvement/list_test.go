package improvement_test

import (
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
)

// TestListFiltersAndOverview: the log's filters, its sorting and the
// overview's counts agree with cases made to fit each one.
func TestListFiltersAndOverview(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		mk := func(title, source, severity string, unit int64, detected int, clause string) improvement.Nonconformity {
			return must(s.Create(ctx, e.qm, improvement.NCInput{Title: title, Source: source, Severity: severity, UnitID: unit, DetectedOn: day(detected),
				Clause: clause, Process: "Registratură"}))(t)
		}
		a := mk("Petiție fără număr de înregistrare", improvement.SourceComplaint, improvement.SeverityMajor, e.tax, -10, "8.5.1")
		b := mk("Indicator de termen depășit", improvement.SourceIndicator, improvement.SeverityMinor, e.econ, -60, "9.1")
		c := mk("Observație audit extern", improvement.SourceExternalAudit, improvement.SeverityObservation, e.registry, -120, "7.5.3")
		old := mk("Caz vechi", improvement.SourceInternalAudit, improvement.SeverityMinor, e.registry, -400, "")
		closed := mk("Caz închis", improvement.SourceEmployee, improvement.SeverityMajor, e.tax, -5, "")
		closed = must(s.Step(ctx, e.qm, closed.ID, improvement.StepInput{Action: improvement.ActDecline, Reason: "Nu este neconformitate.", Version: closed.Version}))(t)
		a = must(s.Step(ctx, e.qm, a.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: e.dan, Version: a.Version}))(t)
		must(s.AddAction(ctx, e.head, a.ID, improvement.ActionInput{Description: "Registru electronic", OwnerID: e.ema, DueOn: day(2)}))(t)
		// In B, a case that must never show.
		must(s.Create(ctx, e.other, improvement.NCInput{Title: "Caz din Sovata", Source: "other", Severity: "major"}))(t)

		ids := func(f improvement.Filter) []int64 {
			t.Helper()
			list, total, err := s.List(ctx, e.emp, f)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(list) {
				t.Fatalf("total %d for %d rows", total, len(list))
			}
			out := make([]int64, len(list))
			for i, n := range list {
				out[i] = n.ID
			}
			return out
		}
		same := func(name string, got []int64, want ...int64) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s: got %v, want %v", name, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: got %v, want %v", name, got, want)
					return
				}
			}
		}
		same("all, newest first", ids(improvement.Filter{}), closed.ID, old.ID, c.ID, b.ID, a.ID)
		same("code ascending", ids(improvement.Filter{Sort: "code"}), a.ID, b.ID, c.ID, old.ID, closed.ID)
		same("open", ids(improvement.Filter{State: "open", Sort: "code"}), a.ID, b.ID, c.ID, old.ID)
		same("unit subtree", ids(improvement.Filter{UnitID: e.econ, Sort: "code"}), a.ID, b.ID, closed.ID)
		same("unit subtree, open, major", ids(improvement.Filter{UnitID: e.econ, State: "open", Severity: improvement.SeverityMajor}), a.ID)
		same("source", ids(improvement.Filter{Source: improvement.SourceIndicator}), b.ID)
		same("clause and sub-clauses", ids(improvement.Filter{Clause: "8.5", Sort: "code"}), a.ID)
		same("clause exact", ids(improvement.Filter{Clause: "7.5.3"}), c.ID)
		same("search without diacritics", ids(improvement.Filter{Query: "petitie fara"}), a.ID)
		same("age 0-30", ids(improvement.Filter{Age: improvement.Age30}), a.ID)
		same("age 31-90", ids(improvement.Filter{Age: improvement.Age90}), b.ID)
		same("age 91-180", ids(improvement.Filter{Age: improvement.Age180}), c.ID)
		same("age over 180", ids(improvement.Filter{Age: improvement.AgeOver}), old.ID)
		same("severity sort", ids(improvement.Filter{State: "open", Sort: "severity"})[:1], a.ID)
		same("owner", ids(improvement.Filter{OwnerID: e.dan}), a.ID)
		same("due first", ids(improvement.Filter{Sort: "due"})[:1], a.ID)
		same("not overdue yet", ids(improvement.Filter{Overdue: true}))

		o := must(s.Overview(ctx, e.qm))(t)
		if o.Open != 4 || o.OpenByAge[0].Count != 1 || o.OpenByAge[3].Count != 1 || o.OpenBySeverity[0].Count != 1 || o.OverdueActions != 0 || o.ProposalsAwaiting != 0 {
			t.Errorf("overview now: %+v", o)
		}
		// A week later the action is overdue.
		e.clk.Advance(7 * 24 * time.Hour)
		same("overdue", ids(improvement.Filter{Overdue: true}), a.ID)
		o = must(s.Overview(ctx, e.qm))(t)
		if o.OverdueActions != 1 || len(o.Overdue) != 1 || o.Overdue[0].CaseCode != a.Code || o.Overdue[0].OwnerName != "Ema Știrbu" {
			t.Errorf("overview a week later: %+v", o)
		}
		rows, total, err := s.Actions(ctx, e.emp, improvement.ActionFilter{Overdue: true, UnitID: e.econ})
		if err != nil || total != 1 || rows[0].CaseCode != a.Code || rows[0].Link() == "" {
			t.Errorf("overdue actions: %+v %d %v", rows, total, err)
		}
		if _, total, _ := s.Actions(ctx, e.emp, improvement.ActionFilter{UnitID: e.registry}); total != 0 {
			t.Errorf("actions of the registry: %d", total)
		}
		if _, total, _ := s.List(ctx, e.other, improvement.Filter{}); total != 1 {
			t.Errorf("B's log holds %d cases", total)
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1`, e.qm.Tenant).Scan(&n); err != nil || n != 5 {
			t.Fatalf("A holds %d cases (%v)", n, err)
		}
	})
}
