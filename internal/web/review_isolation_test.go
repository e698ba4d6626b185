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
	"cadran/internal/reviews"
)

// alfaReview gives institution A a review whose meeting was held, with a
// decision and an open action of A's person.
func alfaReview(t *testing.T, f *fixture) (*reviews.Service, reviews.Review, reviews.Decision, reviews.Action) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := &reviews.Service{DB: f.DB, Clock: f.Clock, Work: f.Srv.work}
	r, err := svc.Create(ctx, sys, reviews.Input{Title: "Alfa Analiza efectuată de management 2026", PeriodFrom: "2026-01-01", PeriodTo: "2026-12-31",
		MeetingOn: "2026-11-20", Place: "Alfa Sala de consiliu", ChairID: f.A.Person.ID})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = svc.Compile(ctx, sys, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if r, err = svc.Step(ctx, sys, r.ID, reviews.StepInput{Action: reviews.ActHold, HeldOn: "2026-11-20", Version: r.Version}); err != nil {
		t.Fatal(err)
	}
	dec, err := svc.AddDecision(ctx, sys, r.ID, reviews.DecisionInput{Category: reviews.DecisionResources, Text: "Alfa Angajarea unui consilier pentru calitate"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := svc.AddAction(ctx, sys, r.ID, reviews.ActionInput{DecisionID: dec.ID, Description: "Alfa Scoaterea postului la concurs", OwnerID: f.A.Person.ID, DueOn: "2027-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	return svc, r, dec, x
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc, r, dec, x := alfaReview(t, f)
		person := strconv.FormatInt(f.A.Person.ID, 10)
		return isolationRecords{
			IDs:    map[string]string{"/reviews/{id}": strconv.FormatInt(r.ID, 10)},
			Params: map[string]string{"{input}": "previous_actions", "{did}": strconv.FormatInt(dec.ID, 10), "{aid}": strconv.FormatInt(x.ID, 10)},
			Form: url.Values{"review_period_from": {"2026-01-01"}, "review_period_to": {"2026-12-31"}, "review_meeting_on": {"2026-12-15"},
				"review_chair_id": {person}, "review_participants": {person}, "review_assessment": {"Intrus"}, "review_category": {"resources"},
				"review_decision": {"Intrus"}, "review_decision_id": {strconv.FormatInt(dec.ID, 10)}, "description": {"Intrus"}, "owner_id": {person},
				"done_note": {"Intrus"}, "review_held_on": {"2026-11-20"}},
			Check: func(t *testing.T) {
				after, err := svc.Review(ctx, sys, r.ID)
				if err != nil || after.Version != r.Version || after.Title != r.Title || after.State != reviews.StateHeld {
					t.Errorf("A's review changed during B's requests: %+v (%v)", after, err)
				}
				out, err := svc.Outputs(ctx, sys, r.ID)
				if err != nil || len(out.Decisions) != 1 || len(out.Actions) != 1 || out.Actions[0].State != reviews.ActionOpen || out.Actions[0].Version != x.Version {
					t.Errorf("A's review outputs changed: %+v (%v)", out, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM reviews WHERE tenant_id <> $1 AND (chair_id = $2 OR previous_id = $3)`, f.A.Inst.ID, f.A.Person.ID, r.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B made %d reviews pointing at A's records (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM review_actions WHERE tenant_id <> $1 AND owner_id = $2`, f.A.Inst.ID, f.A.Person.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B gave %d review actions to A's person (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM review_participants WHERE tenant_id <> $1 AND person_id = $2`, f.A.Inst.ID, f.A.Person.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B invited A's person to %d reviews (err %v)", n, err)
				}
			},
		}
	})
}

// TestReviewIsolationForQualityManager walks the review routes as B's
// quality manager (who may manage reviews, unlike B's administrator in the
// general isolation test) against A's review: every one is refused or
// shows nothing of A's, and A's review does not change.
func TestReviewIsolationForQualityManager(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.B.Inst.ID, f.B.Admin.ID); err != nil {
			t.Fatal(err)
		}
		svc, r, dec, x := alfaReview(t, f)
		b := f.login(t, f.B.Username)
		person := strconv.FormatInt(f.A.Person.ID, 10)
		form := url.Values{"version": {"1"}, "title": {"Intrus"}, "review_period_from": {"2026-01-01"}, "review_period_to": {"2026-12-31"}, "review_meeting_on": {"2026-12-15"},
			"review_chair_id": {person}, "review_participants": {person}, "review_category": {"resources"}, "review_decision": {"Intrus"},
			"review_decision_id": {strconv.FormatInt(dec.ID, 10)}, "description": {"Intrus"}, "owner_id": {person}, "due": {"2027-01-31"},
			"done_note": {"Intrus"}, "reason": {"Intrus"}, "action": {"close"}, "review_assessment": {"Intrus"}}
		repl := strings.NewReplacer("{id}", strconv.FormatInt(r.ID, 10), "{input}", "previous_actions", "{did}", strconv.FormatInt(dec.ID, 10), "{aid}", strconv.FormatInt(x.ID, 10))
		checked := 0
		for _, rt := range f.Srv.reviewRoutes() {
			path := repl.Replace(rt.Pattern)
			var res *http.Response
			var body string
			if rt.Method == "GET" {
				res, body = b.get(path)
			} else {
				res, body = b.post(path, form)
			}
			checked++
			if strings.Contains(body, "Alfa") {
				t.Errorf("%s %s shows A's data", rt.Method, path)
			}
			switch {
			case res.StatusCode == http.StatusNotFound, res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusUnprocessableEntity:
			case res.StatusCode == http.StatusOK && rt.Method == "GET" && !strings.Contains(rt.Pattern, "{id}"):
			default:
				t.Errorf("%s %s: status %d, want a refusal", rt.Method, path, res.StatusCode)
			}
		}
		if checked < 15 {
			t.Fatalf("only %d routes checked", checked)
		}
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		after, err := svc.Review(context.Background(), sys, r.ID)
		if err != nil || after.Version != r.Version || after.State != reviews.StateHeld {
			t.Errorf("A's review changed: %+v (%v)", after, err)
		}
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM reviews WHERE tenant_id = $1`, f.B.Inst.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B created %d reviews with A's people (err %v)", n, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM review_actions WHERE review_id = $1`, r.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("A's review has %d actions (err %v)", n, err)
		}
	})
}
