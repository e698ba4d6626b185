package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"
)

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		qm := cwSeed(t, f)
		ctx := context.Background()
		ps, err := f.Srv.crosswalk.Pairs(ctx, qm) // seeds A's crosswalk
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			t.Helper()
			var n int
			if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM crosswalk_pairs WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		return isolationRecords{
			// ISO 7.5.3 holds A's evidence ("Alfa ..."): B's crosswalk
			// pages for 7.5 and OSGG 13 must not show it.
			Params: map[string]string{"{cwfw}": "osgg", "{cwcode}": "13", "{cwid}": strconv.FormatInt(ps[0].ID, 10)},
			Form:   url.Values{"cw_fw_a": {"iso"}, "cw_code_a": {"8.5.1"}, "cw_fw_b": {"osgg"}, "cw_code_b": {"12"}},
			Check: func(t *testing.T) {
				if n := count(); n != before {
					t.Errorf("A's crosswalk has %d pairs after B's requests, want %d", n, before)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM crosswalk_pairs WHERE id = $1 AND tenant_id = $2`, ps[0].ID, f.A.Inst.ID).Scan(&n); err != nil || n != 1 {
					t.Errorf("A's pair %d is gone after B's requests (%v)", ps[0].ID, err)
				}
			},
		}
	})
}
