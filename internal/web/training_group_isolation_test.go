package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/training"
)

// tgwForeign are form values of every form of the group, programme and
// session pages that point at institution A's records.
func tgwForeign(f *fixture, r tgwRecords) url.Values {
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	e := id(r.Enrolment.ID)
	return url.Values{
		"tg_code": {"GT-INTRUS"}, "tg_name": {"Intrus"}, "tg_goal_members": {"1"},
		"tm_people": {id(f.A.Person.ID)}, "tm_unit": {id(f.A.Unit.ID)}, "tm_joined": {"2026-11-01"}, "tm_category": {training.CategoryElected}, "tm_birth_year": {"1990"},
		"tp_code": {"P-INTRUS"}, "tp_title": {"Intrus"}, "tp_topic": {training.TopicOther}, "tp_hours": {"8"}, "tp_group": {id(r.Group.ID)},
		"ts_programme": {id(r.Programme.ID)}, "ts_start": {"2026-12-01"}, "ts_end": {"2026-12-01"}, "ts_people": {id(f.A.Person.ID)}, "ts_unit": {id(f.A.Unit.ID)},
		"ts_state": {training.SessionCancelled}, "row": {e}, "p_" + e: {"2026-11-23", "2026-11-24"}, "score_" + e: {"99"}, "notes_" + e: {"Intrus"},
	}
}

// tgwCheck says whether A's records are as tgwSeed left them and nothing of
// another institution points at them.
func tgwCheck(t *testing.T, f *fixture, r tgwRecords) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.training
	if g, err := svc.Group(ctx, sys, r.Group.ID); err != nil || g.Version != r.Group.Version || g.Name != r.Group.Name {
		t.Errorf("A's target group changed: %+v (%v)", g, err)
	}
	if ms, err := svc.Members(ctx, sys, r.Group.ID); err != nil || len(ms) != 1 || ms[0].Version != r.Member.Version || ms[0].Category != r.Member.Category {
		t.Errorf("A's group members changed: %+v (%v)", ms, err)
	}
	if p, err := svc.Programme(ctx, sys, r.Programme.ID); err != nil || p.Version != r.Programme.Version || p.Title != r.Programme.Title {
		t.Errorf("A's programme changed: %+v (%v)", p, err)
	}
	if x, err := svc.Session(ctx, sys, r.Session.ID); err != nil || x.Version != r.Session.Version || x.State != training.SessionHeld {
		t.Errorf("A's session changed: %+v (%v)", x, err)
	}
	if es, err := svc.Enrolments(ctx, sys, r.Session.ID); err != nil || len(es) != 1 || es[0].State != training.EnrolEnrolled || es[0].Score != nil || es[0].Version != r.Enrolment.Version {
		t.Errorf("A's enrolments changed: %+v (%v)", es, err)
	}
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := f.DB.R.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM training_attendance WHERE enrolment_id = $1`, r.Enrolment.ID); n != 0 {
		t.Errorf("B recorded %d days of A's attendance", n)
	}
	if n := count(`SELECT COUNT(*) FROM training_group_members WHERE tenant_id <> $1 AND (person_id = $2 OR group_id = $3)`, f.A.Inst.ID, f.A.Person.ID, r.Group.ID); n != 0 {
		t.Errorf("B put %d of A's people in groups", n)
	}
	if n := count(`SELECT COUNT(*) FROM training_enrolments WHERE tenant_id <> $1 AND (person_id = $2 OR session_id = $3)`, f.A.Inst.ID, f.A.Person.ID, r.Session.ID); n != 0 {
		t.Errorf("B enrolled %d of A's people or in A's session", n)
	}
	if n := count(`SELECT COUNT(*) FROM training_programmes WHERE tenant_id <> $1 AND group_id = $2`, f.A.Inst.ID, r.Group.ID); n != 0 {
		t.Errorf("B made %d programmes of A's group", n)
	}
	if n := count(`SELECT COUNT(*) FROM training_sessions WHERE tenant_id <> $1 AND programme_id = $2`, f.A.Inst.ID, r.Programme.ID); n != 0 {
		t.Errorf("B planned %d sessions of A's programme", n)
	}
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		r := tgwSeed(t, f)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		return isolationRecords{
			IDs: map[string]string{"/training/groups/{id}": id(r.Group.ID), "/training/programmes/{id}": id(r.Programme.ID),
				"/training/sessions/{id}": id(r.Session.ID)},
			Params: map[string]string{"{tmid}": id(r.Member.ID), "{teid}": id(r.Enrolment.ID)},
			Form:   tgwForeign(f, r),
			Check:  func(t *testing.T) { tgwCheck(t, f, r) },
		}
	})
}

// TestTrainingGroupIsolationForQualityManager walks every route of the
// overview, groups, programmes and sessions as B's quality manager (who
// may manage training, unlike B's administrator in the general isolation
// test) against A's records: each is refused or shows nothing of A's, and
// A's records do not change. Creating B's own target group is allowed, and
// checked to point at nothing of A's.
func TestTrainingGroupIsolationForQualityManager(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.B.Inst.ID, f.B.Admin.ID); err != nil {
			t.Fatal(err)
		}
		r := tgwSeed(t, f)
		b := f.login(t, f.B.Username)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		form := tgwForeign(f, r)
		form.Set("version", "1")
		checked := 0
		for _, rt := range f.Srv.trainingRoutes() {
			p := rt.Pattern
			var path string
			switch {
			case p == "/training", strings.HasPrefix(p, "/training/groups"), strings.HasPrefix(p, "/training/programmes"):
				path = strings.NewReplacer("/training/groups/{id}", "/training/groups/"+id(r.Group.ID), "/training/programmes/{id}", "/training/programmes/"+id(r.Programme.ID),
					"{tmid}", id(r.Member.ID)).Replace(p)
			case strings.HasPrefix(p, "/training/sessions"):
				path = strings.NewReplacer("{id}", id(r.Session.ID), "{teid}", id(r.Enrolment.ID)).Replace(p)
			default:
				continue
			}
			var res *http.Response
			var body string
			if rt.Method == "GET" {
				res, body = b.get(path)
			} else {
				res, body = b.post(path, form)
			}
			checked++
			if strings.Contains(body, "Alfa") || strings.Contains(body, f.A.Inst.Name) {
				t.Errorf("%s %s shows A's data", rt.Method, path)
			}
			switch {
			case res.StatusCode == http.StatusNotFound, res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusUnprocessableEntity:
			case res.StatusCode == http.StatusOK && rt.Method == "GET" && !strings.Contains(p, "{id}"):
			case res.StatusCode == http.StatusSeeOther && rt.Method == "POST" && p == "/training/groups":
				// B's own group, with nothing of A's in it.
			default:
				t.Errorf("%s %s: status %d, want a refusal", rt.Method, path, res.StatusCode)
			}
		}
		if checked != 34 {
			t.Errorf("%d routes of the groups, programmes and sessions checked, want 34", checked)
		}
		tgwCheck(t, f, r)
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM training_group_members WHERE tenant_id = $1`, f.B.Inst.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B's groups have %d members after adding A's people (%v)", n, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM training_programmes WHERE tenant_id = $1`, f.B.Inst.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B made %d programmes with A's group (%v)", n, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM training_sessions WHERE tenant_id = $1`, f.B.Inst.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B planned %d sessions of A's programme (%v)", n, err)
		}
	})
}
