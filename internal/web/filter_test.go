package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/filters"
)

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		admin, err := f.Srv.auth.ActorByID(t.Context(), f.A.Admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		saved, err := f.Srv.filters.Save(t.Context(), admin, filters.Input{List: "documents", Name: "Alfa proceduri în vigoare", Query: "state=in_force"})
		if err != nil {
			t.Fatal(err)
		}
		return isolationRecords{
			IDs:  map[string]string{"/filters/{id}": strconv.FormatInt(saved.ID, 10)},
			Form: url.Values{"list": {"documents"}, "query": {"state=draft"}},
			Check: func(t *testing.T) {
				var query string
				if err := f.DB.R.QueryRow(`SELECT query FROM saved_filters WHERE id = $1`, saved.ID).Scan(&query); err != nil || query != "state=in_force" {
					t.Errorf("A's saved filter is %q after B's requests (err %v)", query, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM saved_filters WHERE tenant_id <> $1 AND user_id = $2`, f.A.Inst.ID, f.A.Admin.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B saved %d filters for A's user (err %v)", n, err)
				}
			},
		}
	})
}

// A person saves the filter applied on the documents list, finds it on the
// list again, replaces it under the same name, and deletes it; another
// person of the same institution sees none of it.
func TestSavedFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.login(t, f.A.Username)
		res, body := admin.get("/documents?state=in_force&page=2")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="query" value="state=in_force"`) {
			t.Fatal("the list offers no form to save the filter applied (without the page)")
		}
		res, body = admin.post("/filters", url.Values{"list": {"documents"}, "name": {"  Proceduri în vigoare "}, "query": {"state=in_force&page=2&q="}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/documents?state=in_force" {
			t.Errorf("after saving: redirect to %q", loc)
		}
		_, body = admin.get("/documents")
		if !strings.Contains(body, `href="/documents?state=in_force"`) || !strings.Contains(body, "Proceduri în vigoare") {
			t.Error("the saved filter is not offered on the list")
		}
		// Same name: replaced, not duplicated.
		admin.post("/filters", url.Values{"list": {"documents"}, "name": {"Proceduri în vigoare"}, "query": {"state=draft"}})
		var n int
		var id int64
		if err := d.R.QueryRow(`SELECT COUNT(*), MAX(id) FROM saved_filters`).Scan(&n, &id); err != nil || n != 1 {
			t.Fatalf("saved filters = %d (err %v), want 1", n, err)
		}
		// Nothing to save, no name, an unknown list.
		for _, form := range []url.Values{
			{"list": {"documents"}, "name": {"Gol"}, "query": {"page=3"}},
			{"list": {"documents"}, "name": {" "}, "query": {"state=draft"}},
		} {
			res, _ := admin.post("/filters", form)
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("refused save: status %d", res.StatusCode)
			}
		}
		if res, _ := admin.post("/filters", url.Values{"list": {"../etc"}, "name": {"x"}, "query": {"a=b"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown list: status %d, want 404", res.StatusCode)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM saved_filters`).Scan(&n); err != nil || n != 1 {
			t.Errorf("saved filters after refusals = %d (err %v)", n, err)
		}
		// Another person of A does not see or delete it.
		viewer := f.login(t, "alfa.viewer")
		if _, body := viewer.get("/documents"); strings.Contains(body, "Proceduri în vigoare") {
			t.Error("another person sees the saved filter")
		}
		if res, _ := viewer.post("/filters/"+strconv.FormatInt(id, 10)+"/delete", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("another person deleting: status %d, want 404", res.StatusCode)
		}
		res, body = admin.post("/filters/"+strconv.FormatInt(id, 10)+"/delete", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM saved_filters`).Scan(&n); err != nil || n != 0 {
			t.Errorf("saved filters after delete = %d (err %v)", n, err)
		}
		if got := auditCountEntity(t, d, "saved_filter"); got != 3 {
			t.Errorf("saved filter audit events = %d, want 3 (create, update, delete)", got)
		}
	})
}

func auditCountEntity(t *testing.T, d *db.DB, entity string) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE entity = $1`, entity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
