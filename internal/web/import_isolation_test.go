package web

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/importer/importertest"
)

// The import pages under the tenant-isolation test: institution B's
// administrator reaches none of A's import jobs.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		if _, ok := f.Srv.importTargets["test"]; !ok {
			f.Srv.importTargets["test"] = importertest.New(t, f.DB, "test", auth.PermOrgView)
		}
		a, err := f.Srv.auth.ActorByID(ctx, f.A.Admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		body := "Titlu;Punctaj\nAlfa risc;3\n"
		j, err := f.Srv.imports.Upload(ctx, a, "test", "Alfa registru.csv", strings.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		return isolationRecords{
			IDs:    map[string]string{"/imports/{id}": strconv.FormatInt(j.ID, 10)},
			Params: map[string]string{"{target}": "test"},
			Check: func(t *testing.T) {
				got, err := f.Srv.imports.Job(ctx, a, j.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.State != j.State || got.Version != j.Version || len(got.Mapping) != len(j.Mapping) {
					t.Errorf("A's import job changed: %+v", got)
				}
				if n := importertest.Count(t, f.DB, f.A.Inst.ID) + importertest.Count(t, f.DB, f.B.Inst.ID); n != 0 {
					t.Errorf("%d rows imported during B's requests", n)
				}
			},
		}
	})
}
