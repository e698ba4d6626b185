package citizen_test

import (
	"strings"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestRateAndFeedbackList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.service(t, e.tenantA, "URB-CU", "Certificat de urbanism", e.urban, 30, true)
		off := e.service(t, e.tenantA, "ADP-X", "Aviz retras", e.urban, 15, false)
		sb := e.service(t, e.tenantB, "URB-CU", "Certificat de urbanism", e.unitB, 30, true)
		rate := func(tenant int64, in citizen.FeedbackInput) error { return e.svc.Rate(ctx, tenant, in) }
		// Bad input is refused with the field to fix.
		wantKey(t, rate(e.tenantA, citizen.FeedbackInput{ServiceID: s, Channel: citizen.FeedbackCounter, Rating: 6}), citizen.FieldFeedbackRating, "citizen.stats.error.rating")
		wantKey(t, rate(e.tenantA, citizen.FeedbackInput{ServiceID: s, Channel: citizen.FeedbackCounter, Rating: 3, Comment: strings.Repeat("ă", 1001)}),
			citizen.FieldFeedbackComment, "error.too_long")
		wantKey(t, rate(e.tenantA, citizen.FeedbackInput{Channel: citizen.FeedbackOnline, Rating: 3}), citizen.FieldFeedbackService, "error.choice")
		// Only the institution's active services.
		for _, id := range []int64{off, sb} {
			if err := rate(e.tenantA, citizen.FeedbackInput{ServiceID: id, Channel: citizen.FeedbackCounter, Rating: 4}); apperr.KindOf(err) != apperr.KindNotFound {
				t.Fatalf("rating service %d: %v", id, err)
			}
		}
		e.at(t, "2026-11-02")
		if err := rate(e.tenantA, citizen.FeedbackInput{ServiceID: s, Channel: citizen.FeedbackCounter, Rating: 5, Comment: "  Foarte bine, mulțumesc!  "}); err != nil {
			t.Fatal(err)
		}
		e.at(t, "2026-11-10")
		if err := rate(e.tenantA, citizen.FeedbackInput{ServiceID: s, Channel: citizen.FeedbackOnline, Rating: 2}); err != nil {
			t.Fatal(err)
		}
		if err := rate(e.tenantA, citizen.FeedbackInput{Kind: citizen.KindPetition, Channel: citizen.FeedbackOnline, Rating: 3}); err != nil {
			t.Fatal(err)
		}
		if err := rate(e.tenantB, citizen.FeedbackInput{ServiceID: sb, Channel: citizen.FeedbackCounter, Rating: 1}); err != nil {
			t.Fatal(err)
		}
		// Anonymous: the audit trail names the public pages and holds no comment.
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND actor_name = 'public' AND tenant_id = $2`, citizen.EntityFeedback, e.tenantA); n != 3 {
			t.Fatalf("%d rating events", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND after_json LIKE '%mulțumesc%'`, citizen.EntityFeedback); n != 0 {
			t.Fatal("the comment went into the audit trail")
		}
		all, err := e.svc.FeedbackList(ctx, e.viewer, citizen.FeedbackFilter{})
		if err != nil || all.Total != 3 || !stNear(all.Mean, 10.0/3) || all.Items[0].Rating == 5 {
			t.Fatalf("all ratings %+v %v", all, err)
		}
		for _, tc := range []struct {
			name  string
			f     citizen.FeedbackFilter
			total int
			mean  float64
		}{
			{"service", citizen.FeedbackFilter{ServiceID: s}, 2, 3.5},
			{"rating", citizen.FeedbackFilter{Rating: 5}, 1, 5},
			{"channel", citizen.FeedbackFilter{Channel: citizen.FeedbackOnline}, 2, 2.5},
			{"with a comment", citizen.FeedbackFilter{HasComment: true}, 1, 5},
			{"from", citizen.FeedbackFilter{From: date("2026-11-05")}, 2, 2.5},
			{"to", citizen.FeedbackFilter{To: date("2026-11-05")}, 1, 5},
		} {
			p, err := e.svc.FeedbackList(ctx, e.viewer, tc.f)
			if err != nil || p.Total != tc.total || !stNear(p.Mean, tc.mean) {
				t.Errorf("%s: %d %v %v", tc.name, p.Total, p.Mean, err)
			}
		}
		p, err := e.svc.FeedbackList(ctx, e.viewer, citizen.FeedbackFilter{Sort: "rating", Desc: true, PerPage: 2, Page: 1})
		if err != nil || len(p.Items) != 2 || p.Items[0].Rating != 5 || p.Items[0].Comment != "Foarte bine, mulțumesc!" || p.Items[0].ServiceCode != "URB-CU" ||
			!p.Items[0].GivenOn.Equal(date("2026-11-02")) {
			t.Fatalf("page 1 %+v %v", p.Items, err)
		}
		if p, _ := e.svc.FeedbackList(ctx, e.viewer, citizen.FeedbackFilter{Sort: "rating", Desc: true, PerPage: 2, Page: 2}); len(p.Items) != 1 || p.Items[0].Rating != 2 {
			t.Fatalf("page 2 %+v", p.Items)
		}
		if p, _ := e.svc.FeedbackList(ctx, e.other, citizen.FeedbackFilter{}); p.Total != 1 || p.Mean != 1 {
			t.Fatalf("B's ratings %+v", p)
		}
	})
}
