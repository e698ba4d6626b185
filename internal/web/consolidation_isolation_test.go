package web

import (
	"context"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/consolidation"
)

// The consolidated view under the tenant-isolation test: its routes have
// no path parameter, so B's admin reads B's own view; A's subordinate body
// (named with A's marker, so a leak shows on the page) and its risks must
// not appear in it, and A's view must still hold them.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		c := consSeed(t, f)
		ctx := context.Background()
		return isolationRecords{
			Check: func(t *testing.T) {
				b, err := f.Srv.consService().Consolidated(ctx, auth.SystemActor(f.B.Inst.ID, "test"), consolidation.Query{})
				if err != nil {
					t.Fatal(err)
				}
				for _, col := range b.Columns {
					if col.Body.UnitID == c.DAS.ID {
						t.Errorf("A's body is a column of B's view")
					}
				}
				if b.Total.Risks != 0 || b.Total.KPIs != 0 || b.Total.Certificates != 0 {
					t.Errorf("B's view counts A's records: %+v", b.Total)
				}
				a, err := f.Srv.consService().Consolidated(ctx, auth.SystemActor(f.A.Inst.ID, "test"), consolidation.Query{})
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, col := range a.Columns {
					if col.Body.UnitID == c.DAS.ID {
						found = col.Figures.Risks == 2 && col.Figures.KPIs == 1
					}
				}
				if !found {
					t.Errorf("A's view lost its body's records: %+v", a.Columns)
				}
			},
		}
	})
}
