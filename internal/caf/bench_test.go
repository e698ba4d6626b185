package caf_test

import (
	"fmt"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// benchCycle is a cycle at the consensus stage with a group of 15 who
// have each scored and submitted all 28 sub-criteria (420 assessments),
// and a consensus on every sub-criterion, beside a closed previous cycle.
func benchCycle(b *testing.B) (*env, caf.Cycle) {
	b.Helper()
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	s := e.svc
	c := e.cycle(b, caf.PanelClassical) // Dan (leader) and Ema
	members := []auth.Actor{e.head, e.emp}
	for i := range 13 {
		p := must(e.org.CreatePerson(ctx, e.sysA, org.PersonInput{UnitID: []int64{e.quality, e.econ, e.tax}[i%3], FullName: fmt.Sprintf("Membru %02d", i),
			Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true}))(b)
		ok(b, s.AddMember(ctx, e.qm, c.ID, caf.MemberInput{PersonID: p.ID}))
		members = append(members, auth.Actor{Tenant: e.sysA.Tenant, PersonID: p.ID, Name: p.FullName, Roles: []auth.Role{auth.RoleEmployee}})
	}
	c = fire(b, e, e.qm, c, caf.ActStart, "")
	for i, a := range members {
		e.fill(b, a, c, func(code string) float64 { return float64((i*7 + len(code)*13) % 101) })
		ok(b, s.Submit(ctx, a, c.ID))
	}
	c = fire(b, e, e.qm, c, caf.ActConsensus, "")
	for _, sub := range c.CAF().Subs() {
		must(s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: sub.Code, Scores: caf.Scores{Score: caf.F(55)}, AgreedOn: day(0)}))(b)
	}
	return e, c
}

// BenchmarkBoard is the consensus page's query: 15 members × 28
// sub-criteria side by side, as a member who has submitted sees them.
func BenchmarkBoard(b *testing.B) {
	e, c := benchCycle(b)
	benchtest.Measure(b, func() error {
		vs, err := e.svc.Board(b.Context(), e.emp, c.ID)
		if err == nil && (len(vs) != 28 || len(vs[0].Members) != 15 || vs[0].Mean == nil) {
			err = fmt.Errorf("board %d × %d", len(vs), len(vs[0].Members))
		}
		return err
	})
}

// BenchmarkResults is the results page's query on the same cycle.
func BenchmarkResults(b *testing.B) {
	e, c := benchCycle(b)
	benchtest.Measure(b, func() error {
		r, err := e.svc.ResultsOf(b.Context(), e.viewer, c.ID)
		if err == nil && (r.Missing != 0 || r.Total.Score == nil) {
			err = fmt.Errorf("results %+v", r)
		}
		return err
	})
}
