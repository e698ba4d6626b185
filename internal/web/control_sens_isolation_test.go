package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/control"
)

// Sensitive functions and procedure coverage under the tenant-isolation
// test: A's function with a holder and a rotation measure, and A's
// activity; B's requests carry A's unit, person and procedure.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		c := csSeed(t, f)
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		return isolationRecords{
			IDs:    map[string]string{"/control/sensitive/{id}": id(c.Fn.ID), "/control/activities/{id}": id(c.Activity.ID)},
			Params: map[string]string{"{chid}": id(c.Holder.ID), "{cmsid}": id(c.Measure.ID)},
			Form: url.Values{
				"sens_unit": {id(f.A.SubUnit.ID)}, "sens_title": {"Intrus"}, "sens_factors": {"money"}, "sens_rotation": {"1"},
				"holder_person": {id(f.A.Person.ID)}, "holder_since": {"2020-01-01"}, "holder_until": {"2026-11-23"},
				"measure_kind": {"other"}, "measure_description": {"Intrus"}, "measure_owner": {id(f.A.Person.ID)}, "measure_due": {"2026-12-31"},
				"measure_state": {"done"},
				"act_unit":      {id(f.A.SubUnit.ID)}, "act_title": {"Intrus"}, "act_document": {id(f.A.Doc.ID)}, "act_owner": {id(f.A.Person.ID)},
			},
			Check: func(t *testing.T) {
				d, err := f.Srv.control.SensitiveFunction(ctx, sys, c.Fn.ID)
				if err != nil || d.Function.Version != c.Fn.Version || d.Function.Title != c.Fn.Title || len(d.Holders) != 1 || !d.Holders[0].Current() ||
					len(d.Measures) != 1 || d.Measures[0].State != control.MeasurePlanned {
					t.Errorf("A's sensitive function is %+v (%v)", d, err)
				}
				x, err := f.Srv.control.Activity(ctx, sys, c.Activity.ID)
				if err != nil || x.Version != c.Activity.Version || x.DocumentID != 0 {
					t.Errorf("A's activity is %+v (%v)", x, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT (SELECT COUNT(*) FROM control_sensitive_functions WHERE tenant_id <> $1)
					+ (SELECT COUNT(*) FROM control_sensitive_holders WHERE tenant_id <> $1)
					+ (SELECT COUNT(*) FROM control_sensitive_measures WHERE tenant_id <> $1)
					+ (SELECT COUNT(*) FROM control_activities WHERE tenant_id <> $1)`, f.A.Inst.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B recorded %d sensitive-function or coverage rows (%v)", n, err)
				}
			},
		}
	})
}
