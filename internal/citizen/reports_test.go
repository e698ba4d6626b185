package citizen_test

import (
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func stCount(cs []citizen.Count, key string) int {
	for _, c := range cs {
		if c.Key == key {
			return c.Count
		}
	}
	return -1
}

func TestLegalReportsWorkedExample(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		p, info := citizen.KindPetition, citizen.KindInfo
		for _, r := range []stRow{
			// The second half of 2026.
			{kind: p, channel: "counter", topic: "taxes", unit: e.econ, reg: "2026-07-01", due: "2026-07-31", closed: "2026-07-31", answer: "favourable"}, // 30 days
			{kind: p, channel: "email", topic: "urbanism", reg: "2026-07-10", due: "2026-08-10", closed: "2026-07-12", state: "redirected"},               // 2 days
			{kind: p, channel: "online", topic: "other", reg: "2026-08-01", due: "2026-08-31", closed: "2026-08-03", state: "filed", noTimeFacts: true},
			{kind: p, channel: "post", topic: "taxes", unit: e.econ, reg: "2026-10-01", due: "2026-11-01"},                                                                         // open, overdue at the end
			{kind: p, channel: "counter", topic: "social", unit: e.tax, reg: "2026-09-01", due: "2026-10-16", closed: "2026-10-11", answer: "partial", extended: true, late: true}, // 40 days
			// The first half: answered only in July, so open at its end.
			{kind: p, channel: "counter", topic: "taxes", reg: "2026-06-30", due: "2026-07-30", closed: "2026-07-15", answer: "favourable"},
			// Requests for public information of 2026, and one of 2025.
			{kind: info, channel: "email", topic: "contracts", reg: "2026-03-02", due: "2026-04-01", closed: "2026-03-22", answer: "provided", complex: true, complaint: "rejected"}, // 20 days
			{kind: info, channel: "counter", topic: "public_money", reg: "2026-04-01", due: "2026-04-06", closed: "2026-04-04", state: "refused", answer: "refused"},                 // 3 days
			{kind: info, channel: "online", topic: "contracts", reg: "2026-05-04", due: "2026-05-14", closed: "2026-05-12", answer: "not_held", late: true},                          // 8 days
			{kind: info, channel: "post", topic: "activity", reg: "2026-11-20", due: "2026-11-30"},
			{kind: info, channel: "post", topic: "activity", reg: "2025-12-30", due: "2026-01-09", closed: "2026-01-05", answer: "provided"},
		} {
			e.stCase(t, r)
		}
		if _, err := e.svc.PetitionReportOf(ctx, e.clerk, 2026, 2); apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("a clerk drawing up the report: %v", err)
		}
		r, err := e.svc.PetitionReportOf(ctx, e.qm, 2026, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Registered != 5 || r.Favourable != 1 || r.Partial != 1 || r.Unfavourable != 0 || r.Redirected != 1 || r.Filed != 1 || r.Open != 1 || r.OverdueOpen != 1 ||
			r.Extended != 1 || r.OnTime != 2 || r.Late != 1 || !stNear(r.AvgDays, 24) || !r.From.Equal(date("2026-07-01")) || !r.To.Equal(date("2026-12-31")) {
			t.Fatalf("petition report %+v", r)
		}
		if r.Favourable+r.Partial+r.Unfavourable+r.Redirected+r.Filed+r.Open != r.Registered {
			t.Fatal("outcomes do not add up")
		}
		if stCount(r.ByChannel, "counter") != 2 || stCount(r.ByChannel, "post") != 1 || r.ByChannel[0].Key != "counter" || stCount(r.ByTopic, "taxes") != 2 ||
			stCount(r.ByTopic, "staff") != 0 || stCount(r.ByUnit, "Direcția Economică") != 2 || stCount(r.ByUnit, "") != 2 || r.ByUnit[0].Count != 2 {
			t.Fatalf("counts %+v %+v %+v", r.ByChannel, r.ByTopic, r.ByUnit)
		}
		h1, err := e.svc.PetitionReportOf(ctx, e.top, 2026, 1)
		if err != nil || h1.Registered != 1 || h1.Open != 1 || h1.Favourable != 0 || h1.OverdueOpen != 0 {
			t.Fatalf("first half %+v %v", h1, err)
		}
		if _, err := e.svc.PetitionReportOf(ctx, e.qm, 2026, 3); apperr.KindOf(err) != apperr.KindInvalid {
			t.Fatalf("half 3: %v", err)
		}
		ir, err := e.svc.InfoReportOf(ctx, e.qm, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if ir.Registered != 4 || ir.Paper != 2 || ir.Electronic != 2 || ir.Provided != 1 || ir.Refused != 1 || ir.NotHeld != 1 || ir.Partial != 0 || ir.Open != 1 ||
			ir.Complex != 1 || ir.OnTime != 2 || ir.Late != 1 || ir.Complaints != 1 || ir.ComplaintsRejected != 1 || !stNear(ir.AvgDays, 31.0/3) ||
			stCount(ir.ByTopic, "contracts") != 2 || ir.ByTopic[0].Key != "public_money" {
			t.Fatalf("information report %+v", ir)
		}
		// B's report sees none of A's.
		if br, err := e.svc.InfoReportOf(ctx, e.sysB, 2026); err != nil || br.Registered != 0 {
			t.Fatalf("B's report %+v %v", br, err)
		}
	})
}
