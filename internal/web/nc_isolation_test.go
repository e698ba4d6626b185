package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/improvement"
	"cadran/internal/work"
)

// Institution A's nonconformity (in analysis, with an open action) and
// proposal (accepted, with an open action) for the tenant-isolation test.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc := &improvement.Service{DB: f.DB, Clock: f.Clock, Work: &work.Service{DB: f.DB, Clock: f.Clock}}
		due := f.Clock.Now().AddDate(0, 0, 20).Format(time.DateOnly)
		n, err := svc.Create(ctx, sys, improvement.NCInput{Title: "Alfa Neconformitate la registratură", Source: improvement.SourceComplaint,
			Severity: improvement.SeverityMajor, UnitID: f.A.Unit.ID, Description: "Alfa descriere"})
		if err != nil {
			t.Fatal(err)
		}
		if n, err = svc.Step(ctx, sys, n.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: f.A.Person.ID, Version: n.Version}); err != nil {
			t.Fatal(err)
		}
		act, err := svc.AddAction(ctx, sys, n.ID, improvement.ActionInput{Description: "Alfa acțiune corectivă", OwnerID: f.A.Person.ID, DueOn: due})
		if err != nil {
			t.Fatal(err)
		}
		if n, err = svc.Nonconformity(ctx, sys, n.ID); err != nil {
			t.Fatal(err)
		}
		p, err := svc.Submit(ctx, sys, improvement.ProposalInput{Title: "Alfa Propunere", Description: "Alfa descriere", UnitID: f.A.Unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		pact, err := svc.AddProposalAction(ctx, sys, p.ID, improvement.ActionInput{Description: "Alfa acțiune de îmbunătățire", OwnerID: f.A.Person.ID, DueOn: due})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = svc.ProposalStep(ctx, sys, p.ID, improvement.StepInput{Action: improvement.ActAcceptP, Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		person := strconv.FormatInt(f.A.Person.ID, 10)
		return isolationRecords{
			IDs: map[string]string{
				"/nonconformities/{id}": strconv.FormatInt(n.ID, 10),
				"/proposals/{id}":       strconv.FormatInt(p.ID, 10),
			},
			Params: map[string]string{"{caid}": strconv.FormatInt(act.ID, 10), "{paid}": strconv.FormatInt(pact.ID, 10)},
			Form: url.Values{"owner_id": {person}, "checker_id": {person}, "check_on": {"2026-12-31"}, "description": {"Intrus"},
				"done_note": {"Intrus"}, "source": {"other"}, "severity": {"minor"}, "conclusion": {"Intrus"}, "why_0": {"Intrus"}, "because_0": {"Intrus"}},
			Check: func(t *testing.T) {
				var state string
				var version int
				if err := f.DB.R.QueryRow(`SELECT state, version FROM nonconformities WHERE id = $1`, n.ID).Scan(&state, &version); err != nil || state != n.State || version != n.Version {
					t.Errorf("A's nonconformity is %s v%d after B's requests (err %v)", state, version, err)
				}
				for _, id := range []int64{act.ID, pact.ID} {
					if err := f.DB.R.QueryRow(`SELECT state FROM improvement_actions WHERE id = $1`, id).Scan(&state); err != nil || state != improvement.ActionOpen {
						t.Errorf("A's action %d is %q after B's requests (err %v)", id, state, err)
					}
				}
				if err := f.DB.R.QueryRow(`SELECT state FROM improvement_proposals WHERE id = $1`, p.ID).Scan(&state); err != nil || state != p.State {
					t.Errorf("A's proposal is %q after B's requests (err %v)", state, err)
				}
				var leaked int
				if err := f.DB.R.QueryRow(`SELECT
						(SELECT COUNT(*) FROM nonconformities WHERE tenant_id <> $1 AND (unit_id IN ($2, $3) OR owner_id = $4 OR title LIKE 'Alfa%'))
						+ (SELECT COUNT(*) FROM improvement_actions WHERE tenant_id <> $1 AND (owner_id = $4 OR nc_id = $5 OR proposal_id = $6))
						+ (SELECT COUNT(*) FROM nc_checks WHERE tenant_id <> $1 OR nc_id = $5)
						+ (SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id <> $1 AND unit_id IN ($2, $3))`,
					f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID, f.A.Person.ID, n.ID, p.ID).Scan(&leaked); err != nil || leaked != 0 {
					t.Errorf("B made %d records pointing at A's (err %v)", leaked, err)
				}
			},
		}
	})
}
