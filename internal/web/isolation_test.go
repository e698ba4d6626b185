package web

import (
	"cadran/internal/auth"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// TestTenantIsolation walks every registered route as the administrator of
// institution B against the records of institution A, and expects to be
// refused or to see nothing of A. A route added without a fixture here fails
// the test, so every module's routes come under it.
func TestTenantIsolation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// B's administrator holds every role of B, so no route refuses them
		// for want of a permission: only the tenant scope stands between
		// them and A's records.
		for _, r := range auth.Roles {
			if r != auth.RoleAdmin {
				citizenGrant(t, f, f.B.Inst.ID, f.B.Admin.ID, string(r))
			}
		}
		b := f.login(t, f.B.Username)
		a := f.A
		var mods []isolationRecords
		for _, m := range isolationModules {
			mods = append(mods, m(t, f))
		}
		// The id each path parameter takes: a record of institution A.
		ids := map[string]string{
			"/units/{id}":  strconv.FormatInt(a.Unit.ID, 10),
			"/people/{id}": strconv.FormatInt(a.Person.ID, 10),
			"/users/{id}":  strconv.FormatInt(a.Admin.ID, 10),
			"/audit/{id}":  strconv.FormatInt(a.AuditID, 10),
			"/tasks/{id}":  strconv.FormatInt(a.Task.ID, 10),
			// A notification is only ever its own user's: the viewer of A's.
			"/notifications/{id}": strconv.FormatInt(a.Notice, 10),
			"/documents/{id}":     strconv.FormatInt(a.Doc.ID, 10),
		}
		// The other path parameters, all of institution A's document.
		pairs := []string{"{vid}", strconv.FormatInt(a.Draft, 10), "{fid}", strconv.FormatInt(a.File, 10), "{lid}", strconv.FormatInt(a.Link, 10)}
		for _, m := range mods {
			maps.Copy(ids, m.IDs)
			for k, v := range m.Params {
				pairs = append(pairs, k, v)
			}
		}
		params := strings.NewReplacer(pairs...)
		// Form values that point at institution A's records, for routes that
		// create or change something: each must be refused.
		foreign := url.Values{
			"parent_id": {strconv.FormatInt(a.Unit.ID, 10)},
			"unit_id":   {strconv.FormatInt(a.SubUnit.ID, 10)},
			"person_id": {strconv.FormatInt(a.Person.ID, 10)},
			"version":   {"1"}, "name": {"Intrus"}, "kind": {"service"}, "relation": {"own"},
			"full_name": {"Intrus"}, "position": {"execution"}, "employment": {"contract"},
			"username": {"intrus.user"}, "display_name": {"Intrus"}, "password": {"parola-intrus-1"},
			"roles": {"employee"}, "locale": {"ro"}, "cui": {a.Inst.CUI}, "county": {"Mureș"},
			"title": {"Intrus"}, "action": {"submit"}, "target": {"u" + strconv.FormatInt(a.Unit.ID, 10)}, "purpose": {"application"},
			"outcome": {"unchanged"}, "reason": {"Intrus"}, "key_iso_clause": {"7.5"}, "verifier_id": {strconv.FormatInt(a.Admin.ID, 10)}, "approver_id": {strconv.FormatInt(a.Viewer.ID, 10)}, "assign_to": {"person"}, "due": {"2026-12-31"}, "role_unit_id": {strconv.FormatInt(a.Unit.ID, 10)},
		}
		// Routes that are public, or act only on the signed-in person's own
		// session or account, and so have nothing of another institution to
		// reach.
		own := map[string]bool{
			"GET /healthz": true, "GET /metrics": true, "GET /static/{file}": true,
			"GET /login": true, "POST /login": true, "POST /language": true, "POST /logout": true,
			"GET /account": true, "POST /account/password": true,
			"POST /account/notifications": true, "POST /account/calendar": true, "POST /account/calendar/revoke": true,
			"POST /notifications/read": true,
			// A personal access token is made for the signed-in person's own
			// account; revoking one is checked against A's token below.
			"GET /account/tokens": true, "POST /account/tokens": true,
			// Saving a filter stores the signed-in person's own preference;
			// deleting one is checked against A's filter below.
			"POST /filters": true,
			// The calendar feed's secret token is its credential; a wrong,
			// revoked or foreign token is refused in TestCalendarFeed.
			"GET /calendar/{file}": true,
		}
		for _, m := range mods {
			for k, v := range m.Form {
				foreign[k] = v
			}
			for k, why := range m.Own {
				if why == "" {
					t.Errorf("%s: listed as having nothing to reach, without saying why", k)
				}
				own[k] = true
			}
		}
		eventsBefore := auditCount(t, d, a.Inst.ID)
		checked := 0
		for _, rt := range f.Srv.Routes() {
			method, pattern := rt[0], rt[1]
			key := method + " " + pattern
			if own[key] {
				continue
			}
			path := pattern
			if strings.Contains(pattern, "{id}") {
				prefix := pattern[:strings.Index(pattern, "{id}")+4]
				id, ok := ids[prefix]
				if !ok {
					t.Errorf("%s: no institution-A record is mapped for %s; add one to the isolation test", key, prefix)
					continue
				}
				path = strings.Replace(pattern, "{id}", id, 1)
			}
			path = params.Replace(strings.TrimSuffix(path, "{$}"))
			if strings.Contains(path, "{") {
				t.Errorf("%s: path parameter without a fixture", key)
				continue
			}
			checked++
			var res *http.Response
			var body string
			if method == "GET" {
				res, body = b.get(path)
			} else {
				res, body = b.post(path, foreign)
			}
			if strings.Contains(body, a.Marker) || strings.Contains(body, a.Inst.Name) {
				t.Errorf("%s %s: the page shows institution A's data", method, path)
			}
			switch {
			case res.StatusCode == http.StatusNotFound, res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusUnprocessableEntity:
				// refused
			case res.StatusCode == http.StatusOK && method == "GET" && !strings.Contains(pattern, "{id}"):
				// a list or form of B's own, checked above for A's data
			case method == "POST" && !strings.Contains(pattern, "{") && (res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusConflict):
				// B, holding every role, made or changed a record of its own
				// (its settings: a conflict on the version); that nothing
				// of B's points at A's units and people is checked below
				// across every table.
			default:
				t.Errorf("%s %s: status %d, want a refusal", method, path, res.StatusCode)
			}
		}
		if checked < 25 {
			t.Fatalf("only %d routes checked; the route list looks wrong", checked)
		}
		if n := auditCount(t, d, a.Inst.ID); n != eventsBefore {
			t.Errorf("institution A's audit trail grew from %d to %d events during B's requests", eventsBefore, n)
		}
		var leaked int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM units WHERE parent_id = $1 AND tenant_id <> $2`, a.Unit.ID, a.Inst.ID).Scan(&leaked); err != nil || leaked != 0 {
			t.Errorf("B created %d units under A's unit (err %v)", leaked, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM people WHERE unit_id IN ($1, $2) AND tenant_id <> $3`, a.Unit.ID, a.SubUnit.ID, a.Inst.ID).Scan(&leaked); err != nil || leaked != 0 {
			t.Errorf("B placed %d people in A's units (err %v)", leaked, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM users WHERE person_id = $1 AND tenant_id <> $2`, a.Person.ID, a.Inst.ID).Scan(&leaked); err != nil || leaked != 0 {
			t.Errorf("B linked %d users to A's person (err %v)", leaked, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE (person_id = $1 OR role_unit_id = $2) AND tenant_id <> $3`, a.Person.ID, a.Unit.ID, a.Inst.ID).Scan(&leaked); err != nil || leaked != 0 {
			t.Errorf("B gave %d tasks to A's people or units (err %v)", leaked, err)
		}
		var state string
		if err := d.R.QueryRow(`SELECT state FROM tasks WHERE id = $1`, a.Task.ID).Scan(&state); err != nil || state != "open" {
			t.Errorf("A's task is %q after B's requests (err %v)", state, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM documents WHERE tenant_id <> $1 AND (unit_id = $2 OR title LIKE 'Alfa%')`, a.Inst.ID, a.Unit.ID).Scan(&leaked); err != nil || leaked != 0 {
			t.Errorf("B made %d documents in A's units (err %v)", leaked, err)
		}
		var docState string
		if err := d.R.QueryRow(`SELECT state FROM document_versions WHERE id = $1`, a.Draft).Scan(&docState); err != nil || docState != "draft" {
			t.Errorf("A's draft is %q after B's requests (err %v)", docState, err)
		}
		var read any
		if err := d.R.QueryRow(`SELECT read_at FROM notifications WHERE id = $1`, a.Notice).Scan(&read); err != nil || read != nil {
			t.Errorf("B marked A's notification read: %v (err %v)", read, err)
		}
		crossTenantRefs(t, d, f.B.Inst.ID, []int64{a.Unit.ID, a.SubUnit.ID}, []int64{a.Person.ID})
		for _, m := range mods {
			if m.Check != nil {
				m.Check(t)
			}
		}
	})
}

// crossTenantRefs fails when any row of tenant b, in any table, points at
// one of another institution's units (a column named unit_id or ending in
// _unit_id) or people (person_id): every form of the walk above carried
// those ids, and none may have been taken up.
func crossTenantRefs(t *testing.T, d *db.DB, b int64, units, people []int64) {
	t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2`
	if d.Engine == db.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2`
	}
	rows, err := d.R.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		cols[table] = append(cols[table], col)
	}
	rows.Close()
	in := func(ids []int64) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(s, ", ")
	}
	tables := 0
	for table, cs := range cols {
		if !slices.Contains(cs, "tenant_id") {
			continue
		}
		for _, c := range cs {
			var ids []int64
			switch {
			case c == "unit_id" || strings.HasSuffix(c, "_unit_id"):
				ids = units
			case c == "person_id":
				ids = people
			default:
				continue
			}
			tables++
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE tenant_id = $1 AND `+c+` IN (`+in(ids)+`)`, b).Scan(&n); err != nil {
				t.Fatalf("%s.%s: %v", table, c, err)
			}
			if n > 0 {
				t.Errorf("%d rows of B's %s point at institution A's records through %s", n, table, c)
			}
		}
	}
	if tables < 20 {
		t.Fatalf("only %d columns checked for references across institutions; the schema query looks wrong", tables)
	}
}

// isolationRecords are a module's records of institution A for the
// tenant-isolation test.
type isolationRecords struct {
	// IDs maps a route prefix ending in {id}, such as "/risks/{id}", to
	// the id of A's record.
	IDs map[string]string
	// Params maps other path parameters, such as "{mid}", to A's ids.
	Params map[string]string
	// Form adds form values that point at A's records (each POST carries
	// them, and must be refused).
	Form url.Values
	// Check runs after B's requests: A's records are unchanged and nothing
	// of B's points at them.
	Check func(t *testing.T)
	// Own lists routes ("POST /public/{cui}/file") that have nothing of
	// another institution to reach through a signed-in session, with the
	// reason and the test that covers them instead.
	Own map[string]string
}

// isolationModules give the test each module's records: a module's test
// file appends a function in its init. Each function creates institution A's
// records (names starting with A's marker, "Alfa") in f.
var isolationModules []func(t *testing.T, f *fixture) isolationRecords

func auditCount(t *testing.T, d *db.DB, tenant int64) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
