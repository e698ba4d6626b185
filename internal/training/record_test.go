package training_test

import (
	"fmt"
	"slices"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/training"
)

func TestPersonRecord(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newIndWorld(t, e)
		r := indMust(e.svc.PersonRecord(ctx, e.emp, e.ema))(t)
		if r.Person.FullName != "Ema Știrbu" || r.Person.UnitName != "Serviciul Impozite și Taxe Locale" {
			t.Fatalf("person %+v", r.Person)
		}
		var lines []string
		for _, l := range r.Lines {
			lines = append(lines, fmt.Sprintf("%s %s %s %v %s %d", l.SessionCode, l.ProgrammeCode, l.State, l.Hours, l.CompletedOn, l.ProgrammeHours))
		}
		if want := []string{"P-B/1 P-B completed 8 2026-04-01 8", "P-A/1 P-A completed 16 2026-03-10 16"}; !slices.Equal(lines, want) {
			t.Fatalf("lines %q", lines)
		}
		if r.Hours != 24 || r.Completed != 2 {
			t.Fatalf("totals %v %d", r.Hours, r.Completed)
		}
		if len(r.Certificates) != 1 || r.Certificates[0].IssuedOn != "2026-05-01" {
			t.Fatalf("certificates %+v", r.Certificates)
		}
		if len(r.Held) != 2 {
			t.Fatalf("held %+v", r.Held)
		}
		if len(r.Competences) != 2 || r.Row.PersonID != e.ema || len(r.Row.Cells) != 2 || r.Row.Gaps != 0 {
			t.Fatalf("matrix row %+v of %+v", r.Row, r.Competences)
		}
		if r.Induction == nil || r.Induction.ID != w.plans[e.ema] || r.Induction.Total != 2 || r.Induction.Done != 1 {
			t.Fatalf("induction %+v", r.Induction)
		}
		var groups []string
		for _, g := range r.Groups {
			groups = append(groups, g.Code)
		}
		if !slices.Equal(groups, []string{"GT-GOL", "GT-SIPOCA"}) {
			t.Fatalf("groups %v", groups)
		}
		// Ion's row has the gap of the inspectors' competence below the level.
		ion := indMust(e.svc.PersonRecord(ctx, e.qm, e.ion))(t)
		if ion.Row.Gaps != 1 || ion.Hours != 12 || ion.Induction == nil || ion.Induction.State != training.InductionCancelled {
			t.Fatalf("Ion's record %+v", ion)
		}
		// Ana's enrolment is under way: its hours count, no programme is
		// completed yet.
		ana := indMust(e.svc.PersonRecord(ctx, e.qm, e.ana))(t)
		if len(ana.Lines) != 1 || ana.Lines[0].State != training.EnrolEnrolled || ana.Completed != 0 || ana.Hours != 4 {
			t.Fatalf("Ana's record %+v", ana)
		}
		for _, tc := range []struct {
			name   string
			a      auth.Actor
			person int64
			ok     bool
		}{
			{"own", e.emp, e.ema, true},
			{"a colleague's", e.emp, e.ion, false},
			{"head, their unit's person", e.head, e.ema, true},
			{"head, another unit's person", e.head, e.ana, false},
			{"viewer", e.viewer, e.ema, false},
			{"top of the records", e.qm, e.vio, true},
			{"another institution", e.other, e.ema, false},
			{"another institution's person", e.qm, e.bob, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.PersonRecord(ctx, tc.a, tc.person)
				if (err == nil) != tc.ok || (err != nil && apperr.KindOf(err) != apperr.KindNotFound) {
					t.Fatalf("err %v, want ok %v", err, tc.ok)
				}
			})
		}
	})
}

func TestGroupRecord(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		w := newIndWorld(t, e)
		r := indMust(e.svc.GroupRecord(ctx, e.qm, w.group))(t)
		if r.Group.Code != "GT-SIPOCA" || len(r.Programmes) != 2 || r.Programmes[0].Code != "P-A" || r.Programmes[1].Code != "P-B" {
			t.Fatalf("group %+v with %+v", r.Group, r.Programmes)
		}
		var rows []string
		for _, row := range r.Rows {
			cells := ""
			for _, l := range row.Programmes {
				state := l.State
				if state == "" {
					state = "-"
				}
				cells += fmt.Sprintf(" %s/%v", state, l.Hours)
			}
			rows = append(rows, fmt.Sprintf("%s:%s | %v h, %d done, %d cert., left %q", row.Member.Name, cells, row.Hours, row.Completed, row.Certificates, row.Member.LeftOn))
		}
		want := []string{
			`Ema Știrbu: completed/16 completed/8 | 24 h, 2 done, 1 cert., left ""`,
			`Ion Bălan: completed/12 -/0 | 12 h, 1 done, 0 cert., left ""`,
			`Viorica Pop: completed/16 -/0 | 16 h, 1 done, 0 cert., left ""`,
			`Dan Țurcanu: failed/4 -/0 | 4 h, 0 done, 0 cert., left "2026-06-01"`,
		}
		if !slices.Equal(rows, want) {
			t.Fatalf("rows\n got %q\nwant %q", rows, want)
		}
		// A group with no programme: its members, no column.
		empty := indMust(e.svc.GroupRecord(ctx, e.qm, w.empty))(t)
		if len(empty.Rows) != 1 || len(empty.Programmes) != 0 || len(empty.Rows[0].Programmes) != 0 {
			t.Fatalf("empty group's record %+v", empty)
		}
		// The eligibility data is the records permission's; B sees nothing.
		for _, tc := range []struct {
			name string
			a    auth.Actor
			kind apperr.Kind
		}{
			{"head of unit", e.head, apperr.KindForbidden},
			{"employee", e.emp, apperr.KindForbidden},
			{"another institution", e.other, apperr.KindNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.GroupRecord(ctx, tc.a, w.group)
				if apperr.KindOf(err) != tc.kind {
					t.Fatalf("err %v", err)
				}
			})
		}
	})
}
