package training_test

import (
	"strconv"
	"strings"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/training"
)

func TestSessionInputValidate(t *testing.T) {
	ok := training.SessionInput{ProgrammeID: 1, StartOn: "2026-12-01", EndOn: "2026-12-03", Place: "Sala mică", Trainer: "Ion Pop", Capacity: 20}
	cases := []struct {
		name        string
		change      func(*training.SessionInput)
		field, want string
	}{
		{"fine", func(*training.SessionInput) {}, "", ""},
		{"one day", func(in *training.SessionInput) { in.EndOn = in.StartOn }, "", ""},
		{"sixty days", func(in *training.SessionInput) { in.EndOn = "2027-01-29" }, "", ""},
		{"sixty-one days", func(in *training.SessionInput) { in.EndOn = "2027-01-30" }, training.FieldSessEnd, "training.error.session.too_long"},
		{"no programme", func(in *training.SessionInput) { in.ProgrammeID = 0 }, training.FieldSessProgramme, "error.required"},
		{"no start", func(in *training.SessionInput) { in.StartOn = "" }, training.FieldSessStart, "error.required"},
		{"bad end", func(in *training.SessionInput) { in.EndOn = "mâine" }, training.FieldSessEnd, "error.date"},
		{"end before start", func(in *training.SessionInput) { in.EndOn = "2026-11-30" }, training.FieldSessEnd, "training.error.end_before_start"},
		{"capacity", func(in *training.SessionInput) { in.Capacity = -1 }, training.FieldSessCapacity, "training.error.session.capacity"},
		{"place", func(in *training.SessionInput) { in.Place = strings.Repeat("ă", 301) }, training.FieldSessPlace, "error.too_long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.change(&in)
			err := in.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			sesWant(t, err, apperr.KindInvalid, c.field, c.want)
		})
	}
}

func TestSessionPlanAndList(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p := sesProgramme(t, e, "P-MC-2026", nil)
		q := sesProgramme(t, e, "P-AI", func(in *training.ProgrammeInput) { in.Title = "Audit intern" })
		old := sesProgramme(t, e, "P-OLD", func(in *training.ProgrammeInput) { in.Active = false })
		s1 := sesSession(t, e, p, "2026-12-01", "2026-12-03", 20)
		s2 := sesSession(t, e, p, "2027-02-01", "2027-02-01", 0)
		s3 := sesSession(t, e, q, "2026-12-15", "2026-12-16", 0)
		if s1.Code != "P-MC-2026/1" || s2.Code != "P-MC-2026/2" || s3.Code != "P-AI/1" || s1.State != training.SessionPlanned || s1.Hours != 16 {
			t.Fatalf("codes %s %s %s, %+v", s1.Code, s2.Code, s3.Code, s1)
		}
		_, err := e.svc.CreateSession(ctx, e.qm, training.SessionInput{ProgrammeID: old.ID, StartOn: "2026-12-01", EndOn: "2026-12-01"})
		sesWant(t, err, apperr.KindInvalid, training.FieldSessProgramme, "training.error.session.programme_inactive")
		pB := sesMust(e.svc.CreateProgramme(ctx, e.other, training.ProgrammeInput{Code: "P-B", Title: "B", Topic: training.TopicOther, Hours: 4, Active: true}))(t)
		_, err = e.svc.CreateSession(ctx, e.qm, training.SessionInput{ProgrammeID: pB.ID, StartOn: "2026-12-01", EndOn: "2026-12-01"})
		sesWant(t, err, apperr.KindInvalid, training.FieldSessProgramme, "error.choice")
		_, err = e.svc.CreateSession(ctx, e.emp, training.SessionInput{ProgrammeID: p.ID, StartOn: "2026-12-01", EndOn: "2026-12-01"})
		sesWant(t, err, apperr.KindForbidden, "", "")

		// Changes while planned; the programme stays; fewer places than
		// people enrolled are refused.
		in := training.SessionInput{StartOn: "2026-12-02", EndOn: "2026-12-04", Place: "Sala mare", Trainer: "Maria Pop", Capacity: 2, Version: s1.Version}
		s1 = sesMust(e.svc.UpdateSession(ctx, e.qm, s1.ID, in))(t)
		if s1.StartOn != "2026-12-02" || s1.Place != "Sala mare" || s1.Version != 2 {
			t.Fatalf("updated %+v", s1)
		}
		in.Version, in.ProgrammeID = s1.Version, q.ID
		_, err = e.svc.UpdateSession(ctx, e.qm, s1.ID, in)
		sesWant(t, err, apperr.KindInvalid, training.FieldSessProgramme, "training.error.session.programme_fixed")
		sesMust(e.svc.Enrol(ctx, e.qm, s1.ID, []int64{e.ema, e.ion}))(t)
		in.ProgrammeID, in.Capacity = 0, 1
		_, err = e.svc.UpdateSession(ctx, e.qm, s1.ID, in)
		sesWant(t, err, apperr.KindInvalid, training.FieldSessCapacity, "training.error.session.capacity_below")
		_, err = e.svc.UpdateSession(ctx, e.other, s1.ID, in)
		sesWant(t, err, apperr.KindNotFound, "", "")
		sesState(t, e, s2.ID, training.SessionCancelled)
		in.Version, in.Capacity = 1, 0
		_, err = e.svc.UpdateSession(ctx, e.qm, s2.ID, training.SessionInput{StartOn: "2027-02-01", EndOn: "2027-02-01", Version: 2})
		sesWant(t, err, apperr.KindConflict, "", "training.error.session.not_open")

		list := func(f training.SessionFilter) []string {
			page := sesMust(e.svc.Sessions(ctx, e.viewer, f))(t)
			var codes []string
			for _, s := range page.Items {
				codes = append(codes, s.Code)
			}
			return codes
		}
		for _, c := range []struct {
			f    training.SessionFilter
			want []string
		}{
			{training.SessionFilter{}, []string{"P-MC-2026/1", "P-AI/1", "P-MC-2026/2"}},
			{training.SessionFilter{Desc: true}, []string{"P-MC-2026/2", "P-AI/1", "P-MC-2026/1"}},
			{training.SessionFilter{ProgrammeID: p.ID}, []string{"P-MC-2026/1", "P-MC-2026/2"}},
			{training.SessionFilter{State: training.SessionCancelled}, []string{"P-MC-2026/2"}},
			{training.SessionFilter{From: "2026-12-02", To: "2026-12-31"}, []string{"P-MC-2026/1", "P-AI/1"}},
			{training.SessionFilter{Query: "audit"}, []string{"P-AI/1"}},
			{training.SessionFilter{Query: "p-mc-2026/2"}, []string{"P-MC-2026/2"}},
			{training.SessionFilter{Query: "sala mare"}, []string{"P-MC-2026/1"}},
			{training.SessionFilter{Sort: "code", PerPage: 2, Page: 2}, []string{"P-MC-2026/2"}},
		} {
			if got := list(c.f); !equalStrings(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		if got := sesMust(e.svc.Session(ctx, e.emp, s1.ID))(t); got.Enrolled != 2 || !got.Full() {
			t.Errorf("session %+v: want 2 enrolled, full", got)
		}
		if page := sesMust(e.svc.Sessions(ctx, e.other, training.SessionFilter{}))(t); page.Total != 0 {
			t.Errorf("B lists %d sessions", page.Total)
		}
		_, err = e.svc.Session(ctx, e.other, s1.ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
	})
}

func TestEnrolTasks(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p := sesProgramme(t, e, "P-MC", nil)
		ss := sesSession(t, e, p, "2026-12-01", "2026-12-02", 0)
		n := sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.ion, e.ema}))(t)
		if n != 2 {
			t.Fatalf("enrolled %d, want 2", n)
		}
		if n := sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.dan}))(t); n != 1 {
			t.Fatalf("enrolled %d again, want 1 (Ema is in already)", n)
		}
		for _, p := range []int64{e.ema, e.ion, e.dan} {
			if got := e.openTasks(t, p, training.EntityEnrolment); got != 1 {
				t.Errorf("person %d has %d open attend tasks, want 1", p, got)
			}
		}
		ema := sesEnrolment(t, e, ss.ID, e.ema)
		var kind, due, link string
		if err := e.d.R.QueryRowContext(ctx, `SELECT kind, due_on, link FROM tasks WHERE module = 'training' AND entity = $1 AND entity_id = $2`,
			training.EntityEnrolment, ema.ID).Scan(&kind, &due, &link); err != nil {
			t.Fatal(err)
		}
		if kind != "attend" || due != "2026-12-01" || link != "/training/sessions/"+strconv.FormatInt(ss.ID, 10) {
			t.Errorf("task %s due %s at %s", kind, due, link)
		}

		// Withdrawing cancels the task; enrolling again gives a new one.
		sesOK(t, e.svc.Withdraw(ctx, e.qm, ss.ID, ema.ID))
		if got := e.openTasks(t, e.ema, training.EntityEnrolment); got != 0 {
			t.Errorf("%d open tasks after withdrawal", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND entity_id = $2 AND state = 'cancelled'`, training.EntityEnrolment, ema.ID); n != 1 {
			t.Errorf("%d cancelled tasks, want 1", n)
		}
		err := e.svc.Withdraw(ctx, e.qm, ss.ID, ema.ID)
		sesWant(t, err, apperr.KindConflict, "", "training.error.enrol.not_enrolled")
		if n := sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema}))(t); n != 1 {
			t.Fatalf("enrolled again %d, want 1", n)
		}
		if again := sesEnrolment(t, e, ss.ID, e.ema); again.ID != ema.ID || again.State != training.EnrolEnrolled {
			t.Errorf("enrolled again %+v", again)
		}
		if got := e.openTasks(t, e.ema, training.EntityEnrolment); got != 1 {
			t.Errorf("%d open tasks after enrolling again, want 1", got)
		}
		// Created three, changed two (withdrawn, enrolled again).
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1`, training.EntityEnrolment); n != 5 {
			t.Errorf("%d enrolment audit events, want 5", n)
		}

		// Held: one task for the quality office, due three days after the end.
		sesState(t, e, ss.ID, training.SessionHeld)
		var role string
		if err := e.d.R.QueryRowContext(ctx, `SELECT kind, due_on, role FROM tasks WHERE module = 'training' AND entity = $1 AND entity_id = $2 AND state = 'open'`,
			training.EntitySession, ss.ID).Scan(&kind, &due, &role); err != nil {
			t.Fatal(err)
		}
		if kind != "report" || due != "2026-12-05" || role != "quality_manager" {
			t.Errorf("report task %s due %s for %s", kind, due, role)
		}
		// Closing closes the report task and everyone's attend task.
		sesState(t, e, ss.ID, training.SessionClosed)
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'training' AND state = 'open'`); n != 0 {
			t.Errorf("%d training tasks open after closing", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND entity_id = $2 AND state = 'done'`, training.EntitySession, ss.ID); n != 1 {
			t.Errorf("report task not done")
		}
		_, err = e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ana})
		sesWant(t, err, apperr.KindConflict, "", "training.error.session.not_open")
	})
}

func TestEnrolRefused(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p := sesProgramme(t, e, "P-MC", nil)
		ss := sesSession(t, e, p, "2026-12-01", "2026-12-02", 2)
		// Three for two places: no one is enrolled.
		_, err := e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.ion, e.dan})
		sesWant(t, err, apperr.KindConflict, "", "training.error.session.full")
		if n := e.count(t, `SELECT COUNT(*) FROM training_enrolments`); n != 0 {
			t.Fatalf("%d enrolments after a refused batch", n)
		}
		sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.ion}))(t)
		_, err = e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.dan})
		sesWant(t, err, apperr.KindConflict, "", "training.error.session.full")
		// A withdrawal frees a place.
		sesOK(t, e.svc.Withdraw(ctx, e.qm, ss.ID, sesEnrolment(t, e, ss.ID, e.ion).ID))
		sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.dan}))(t)

		open := sesSession(t, e, p, "2026-12-10", "2026-12-10", 0)
		gone := sesMust(e.org.CreatePerson(ctx, e.sysA, org.PersonInput{UnitID: e.tax, FullName: "Fost Angajat", Position: org.PositionExecution,
			Employment: org.EmploymentCivilServant, Active: false}))(t)
		_, err = e.svc.Enrol(ctx, e.qm, open.ID, []int64{e.ema, gone.ID})
		sesWant(t, err, apperr.KindInvalid, training.FieldSessPeople, "training.error.enrol.inactive")
		_, err = e.svc.Enrol(ctx, e.qm, open.ID, []int64{e.ema, e.bob})
		sesWant(t, err, apperr.KindInvalid, training.FieldSessPeople, "error.choice")
		_, err = e.svc.Enrol(ctx, e.qm, open.ID, nil)
		sesWant(t, err, apperr.KindInvalid, training.FieldSessPeople, "error.required")
		_, err = e.svc.Enrol(ctx, e.other, open.ID, []int64{e.bob})
		sesWant(t, err, apperr.KindNotFound, "", "")
		// B cannot enrol A's person in a session of its own.
		pB := sesMust(e.svc.CreateProgramme(ctx, e.other, training.ProgrammeInput{Code: "P-B", Title: "B", Topic: training.TopicOther, Hours: 4, Active: true}))(t)
		sB := sesMust(e.svc.CreateSession(ctx, e.other, training.SessionInput{ProgrammeID: pB.ID, StartOn: "2026-12-01", EndOn: "2026-12-01"}))(t)
		_, err = e.svc.Enrol(ctx, e.other, sB.ID, []int64{e.ema})
		sesWant(t, err, apperr.KindInvalid, training.FieldSessPeople, "error.choice")
		sesMust(e.svc.Enrol(ctx, e.other, sB.ID, []int64{e.bob}))(t)
		_, err = e.svc.Enrol(ctx, e.emp, open.ID, []int64{e.ema})
		sesWant(t, err, apperr.KindForbidden, "", "")
		if n := e.count(t, `SELECT COUNT(*) FROM training_enrolments WHERE session_id = $1`, open.ID); n != 0 {
			t.Fatalf("%d enrolments in the session after refusals", n)
		}
	})
}

func TestAttendanceHours(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p := sesProgramme(t, e, "P-MC", nil) // 16 hours
		ss := sesSession(t, e, p, "2026-12-01", "2026-12-03", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.ion, e.dan}))(t)
		ema, ion, dan := sesEnrolment(t, e, ss.ID, e.ema), sesEnrolment(t, e, ss.ID, e.ion), sesEnrolment(t, e, ss.ID, e.dan)
		err := e.svc.SaveAttendance(ctx, e.qm, ss.ID, map[int64][]string{ema.ID: {"2026-12-01"}})
		sesWant(t, err, apperr.KindConflict, "", "training.error.session.not_held")
		sesState(t, e, ss.ID, training.SessionHeld)

		err = e.svc.SaveAttendance(ctx, e.qm, ss.ID, map[int64][]string{ema.ID: {"2026-12-04"}})
		sesWant(t, err, apperr.KindInvalid, training.FieldSessAttendance, "training.error.session.day")
		err = e.svc.SaveAttendance(ctx, e.emp, ss.ID, map[int64][]string{ema.ID: {"2026-12-01"}})
		sesWant(t, err, apperr.KindForbidden, "", "")

		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, ss.ID, map[int64][]string{
			ema.ID: {"2026-12-01", "2026-12-03"}, ion.ID: {"2026-12-01", "2026-12-02", "2026-12-03"}, dan.ID: nil,
		}))
		hours := func() map[int64]float64 {
			out := map[int64]float64{}
			for _, en := range sesMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(t) {
				out[en.PersonID] = en.Hours
			}
			return out
		}
		if h := hours(); h[e.ema] != 10.67 || h[e.ion] != 16 || h[e.dan] != 0 {
			t.Errorf("hours %v, want Ema 10.67, Ion 16, Dan 0", h)
		}
		sheet := sesMust(e.svc.Attendance(ctx, e.qm, ss.ID))(t)
		if len(sheet.Days) != 3 || len(sheet.Rows) != 3 || sheet.Programme.ID != p.ID {
			t.Fatalf("sheet %+v", sheet)
		}
		marks := map[int64]string{}
		for _, r := range sheet.Rows {
			var b strings.Builder
			for i := range sheet.Days {
				switch {
				case !r.Marked[i]:
					b.WriteByte('?')
				case r.Present[i]:
					b.WriteByte('P')
				default:
					b.WriteByte('A')
				}
			}
			marks[r.Enrolment.PersonID] = b.String()
		}
		if marks[e.ema] != "PAP" || marks[e.ion] != "PPP" || marks[e.dan] != "AAA" {
			t.Errorf("marks %v", marks)
		}

		// A second save of one row changes only it.
		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, ss.ID, map[int64][]string{ema.ID: {"2026-12-01", "2026-12-02", "2026-12-03"}}))
		if h := hours(); h[e.ema] != 16 || h[e.ion] != 16 {
			t.Errorf("hours %v after the second save", h)
		}
		// Saving the same marks records nothing new.
		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, ss.ID, map[int64][]string{ema.ID: {"2026-12-01", "2026-12-02", "2026-12-03"}}))
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND entity_id = $2`, training.EntityAttendance, ss.ID); n != 2 {
			t.Errorf("%d attendance audit events, want 2", n)
		}
		var before, after string
		if err := e.d.R.QueryRowContext(ctx, `SELECT before_json, after_json FROM audit_events WHERE entity = $1 ORDER BY seq DESC LIMIT 1`,
			training.EntityAttendance).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(before, `"hours":10.67`) || !strings.Contains(after, `"present":["2026-12-01","2026-12-02","2026-12-03"]`) {
			t.Errorf("audit before %s after %s", before, after)
		}

		// Shortening the session drops the last day's marks.
		cur := sesMust(e.svc.Session(ctx, e.qm, ss.ID))(t)
		sesMust(e.svc.UpdateSession(ctx, e.qm, ss.ID, training.SessionInput{StartOn: "2026-12-01", EndOn: "2026-12-02", Version: cur.Version}))(t)
		if h := hours(); h[e.ema] != 16 || h[e.ion] != 16 || h[e.dan] != 0 {
			t.Errorf("hours %v after shortening", h)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_attendance WHERE day = '2026-12-03'`); n != 0 {
			t.Errorf("%d marks left on a day no longer in the session", n)
		}

		// B changes nothing of A's.
		err = e.svc.SaveAttendance(ctx, e.other, ss.ID, map[int64][]string{ema.ID: nil})
		sesWant(t, err, apperr.KindNotFound, "", "")
		_, err = e.svc.Attendance(ctx, e.other, ss.ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
		if h := hours(); h[e.ema] != 16 {
			t.Errorf("B changed A's attendance: %v", h)
		}
	})
}

func TestCloseSession(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		// 80 % of three days: three days present pass, two do not.
		p := sesProgramme(t, e, "P-AI", func(in *training.ProgrammeInput) { in.PassScore = 50 })
		ss := sesSession(t, e, p, "2026-12-01", "2026-12-03", 0)
		radu := sesElected(t, e, "Radu Consilier")
		sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ana, e.dan, e.ema, e.ion, radu}))(t)
		sesState(t, e, ss.ID, training.SessionHeld)
		all := []string{"2026-12-01", "2026-12-02", "2026-12-03"}
		id := func(p int64) int64 { return sesEnrolment(t, e, ss.ID, p).ID }
		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, ss.ID, map[int64][]string{
			id(e.ana): all, id(e.dan): all, id(e.ema): all[:2], id(e.ion): all, id(radu): nil,
		}))
		err := e.svc.SaveResults(ctx, e.qm, ss.ID, []training.ResultInput{{EnrolmentID: id(e.ana), Score: sesInt(101)}})
		sesWant(t, err, apperr.KindInvalid, training.FieldScore(id(e.ana)), "training.error.score")
		err = e.svc.SaveResults(ctx, e.other, ss.ID, []training.ResultInput{{EnrolmentID: id(e.ana), Score: sesInt(10)}})
		sesWant(t, err, apperr.KindNotFound, "", "")
		sesOK(t, e.svc.SaveResults(ctx, e.qm, ss.ID, []training.ResultInput{
			{EnrolmentID: id(e.ana), Score: sesInt(50), Notes: "Admis la limită"}, // at the pass mark
			{EnrolmentID: id(e.dan), Score: sesInt(49)},                           // below it
			{EnrolmentID: id(e.ema), Score: sesInt(95)},                           // too few days
			{EnrolmentID: id(e.ion)},                                              // not assessed
		}))
		if en := sesEnrolment(t, e, ss.ID, e.ana); en.Score == nil || *en.Score != 50 || en.Notes != "Admis la limită" {
			t.Errorf("Ana's result %+v", en)
		}
		closed := sesState(t, e, ss.ID, training.SessionClosed)
		want := map[int64]string{e.ana: training.EnrolCompleted, e.dan: training.EnrolFailed, e.ema: training.EnrolFailed, e.ion: training.EnrolFailed, radu: training.EnrolFailed}
		for _, en := range sesMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(t) {
			if en.State != want[en.PersonID] {
				t.Errorf("%s: %s, want %s", en.Name, en.State, want[en.PersonID])
			}
			if wantDay := map[bool]string{true: "2026-12-03", false: ""}[en.State == training.EnrolCompleted]; en.CompletedOn != wantDay {
				t.Errorf("%s: completed on %q, want %q", en.Name, en.CompletedOn, wantDay)
			}
		}
		if closed.Completed != 1 || closed.State != training.SessionClosed {
			t.Errorf("closed %+v", closed)
		}
		// The attend tasks close: done for who came, cancelled for Radu.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND state = 'done'`, training.EntityEnrolment); n != 4 {
			t.Errorf("%d attend tasks done, want 4", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND state = 'cancelled' AND person_id = $2`, training.EntityEnrolment, radu); n != 1 {
			t.Errorf("Radu's task not cancelled")
		}
		err = e.svc.SaveResults(ctx, e.qm, ss.ID, []training.ResultInput{{EnrolmentID: id(e.dan), Score: sesInt(80)}})
		sesWant(t, err, apperr.KindConflict, "", "training.error.session.not_held")
		_, err = e.svc.SetSessionState(ctx, e.qm, ss.ID, training.SessionCancelled, closed.Version)
		sesWant(t, err, apperr.KindConflict, "", "workflow.error.transition")

		// No attendance minimum and no assessment: everyone enrolled completes.
		free := sesProgramme(t, e, "P-INFO", func(in *training.ProgrammeInput) { in.MinAttendance = 0 })
		fs := sesSession(t, e, free, "2026-12-10", "2026-12-10", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, fs.ID, []int64{e.ema}))(t)
		sesState(t, e, fs.ID, training.SessionHeld)
		if got := sesState(t, e, fs.ID, training.SessionClosed); got.Completed != 1 {
			t.Errorf("free session completed %d, want 1", got.Completed)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND action = 'transition'`, training.EntitySession); n != 4 {
			t.Errorf("%d session transitions audited, want 4", n)
		}
	})
}

func TestPasses(t *testing.T) {
	p := training.Programme{MinAttendance: 80, PassScore: 70}
	for _, c := range []struct {
		present, days int
		score         *int
		want          bool
	}{
		{5, 5, sesInt(70), true},
		{4, 5, sesInt(100), true}, // exactly 80 %
		{3, 5, sesInt(100), false},
		{5, 5, sesInt(69), false},
		{5, 5, nil, false},
	} {
		if got := training.Passes(p, c.present, c.days, c.score); got != c.want {
			t.Errorf("%d/%d score %v: %v, want %v", c.present, c.days, c.score, got, c.want)
		}
	}
	if !training.Passes(training.Programme{MinAttendance: 0}, 0, 3, nil) {
		t.Error("no minimum and no assessment should pass")
	}
}

func TestCancelSession(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p := sesProgramme(t, e, "P-MC", nil)
		ss := sesSession(t, e, p, "2026-12-01", "2026-12-02", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.ion}))(t)
		sesState(t, e, ss.ID, training.SessionHeld)
		_, err := e.svc.SetSessionState(ctx, e.qm, ss.ID, training.SessionCancelled, 1)
		sesWant(t, err, apperr.KindConflict, "", "error.stale")
		_, err = e.svc.SetSessionState(ctx, e.other, ss.ID, training.SessionCancelled, 2)
		sesWant(t, err, apperr.KindNotFound, "", "")
		_, err = e.svc.SetSessionState(ctx, e.head, ss.ID, training.SessionCancelled, 2)
		sesWant(t, err, apperr.KindForbidden, "", "")
		got := sesState(t, e, ss.ID, training.SessionCancelled)
		if got.State != training.SessionCancelled || got.Enrolled != 0 {
			t.Fatalf("cancelled %+v", got)
		}
		for _, en := range sesMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(t) {
			if en.State != training.EnrolWithdrawn {
				t.Errorf("%s: %s after cancelling", en.Name, en.State)
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'training' AND state <> 'cancelled'`); n != 0 {
			t.Errorf("%d training tasks not cancelled", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'training'`); n != 3 {
			t.Errorf("%d training tasks, want 3 (two to attend, one to report)", n)
		}
		if actions := training.SessionActions(e.qm, got); len(actions) != 0 {
			t.Errorf("actions on a cancelled session: %v", actions)
		}
	})
}

func TestSessionActions(t *testing.T) {
	qm := auth.Actor{Tenant: 1, UserID: 1, Roles: []auth.Role{auth.RoleQualityManager}}
	emp := auth.Actor{Tenant: 1, UserID: 2, Roles: []auth.Role{auth.RoleEmployee, auth.RoleHeadOfUnit}}
	for _, c := range []struct {
		state string
		want  []string
	}{
		{training.SessionPlanned, []string{training.SessionHeld, training.SessionCancelled}},
		{training.SessionHeld, []string{training.SessionClosed, training.SessionCancelled}},
		{training.SessionClosed, nil},
	} {
		if got := training.SessionActions(qm, training.Session{State: c.state}); !equalStrings(got, c.want) {
			t.Errorf("%s: %v, want %v", c.state, got, c.want)
		}
		if got := training.SessionActions(emp, training.Session{State: c.state}); len(got) != 0 {
			t.Errorf("%s: a head of unit may %v", c.state, got)
		}
	}
}

// TestEnrolmentScope: the records permission and the quality office see
// every enrolment, a head of unit their units' people, anyone else their
// own.
func TestEnrolmentScope(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p := sesProgramme(t, e, "P-MC", nil)
		ss := sesSession(t, e, p, "2026-12-01", "2026-12-01", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ana, e.dan, e.ema, e.ion}))(t)
		names := func(es []training.Enrolment) []int64 {
			var out []int64
			for _, en := range es {
				out = append(out, en.PersonID)
			}
			return out
		}
		rows := func(sh training.AttendanceSheet) []int64 {
			var out []int64
			for _, r := range sh.Rows {
				out = append(out, r.Enrolment.PersonID)
			}
			return out
		}
		for _, c := range []struct {
			name string
			who  func() []int64
			want []int64
		}{
			{"quality manager", func() []int64 { return names(sesMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(t)) }, []int64{e.ana, e.dan, e.ema, e.ion}},
			{"head of the economic directorate", func() []int64 { return names(sesMust(e.svc.Enrolments(ctx, e.head, ss.ID))(t)) }, []int64{e.dan, e.ema, e.ion}},
			{"employee", func() []int64 { return names(sesMust(e.svc.Enrolments(ctx, e.emp, ss.ID))(t)) }, []int64{e.ema}},
			{"viewer, not enrolled", func() []int64 { return names(sesMust(e.svc.Enrolments(ctx, e.viewer, ss.ID))(t)) }, nil},
			{"head's sheet", func() []int64 { return rows(sesMust(e.svc.Attendance(ctx, e.head, ss.ID))(t)) }, []int64{e.dan, e.ema, e.ion}},
			{"employee's sheet", func() []int64 { return rows(sesMust(e.svc.Attendance(ctx, e.emp2, ss.ID))(t)) }, []int64{e.ion}},
		} {
			got := c.who()
			if len(got) != len(c.want) {
				t.Errorf("%s sees %v, want %v", c.name, got, c.want)
				continue
			}
			seen := map[int64]bool{}
			for _, p := range got {
				seen[p] = true
			}
			for _, p := range c.want {
				if !seen[p] {
					t.Errorf("%s sees %v, want %v", c.name, got, c.want)
				}
			}
		}
		_, err := e.svc.Enrolments(ctx, e.other, ss.ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
		err = e.svc.Withdraw(ctx, e.other, ss.ID, sesEnrolment(t, e, ss.ID, e.ema).ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
		if en := sesEnrolment(t, e, ss.ID, e.ema); en.State != training.EnrolEnrolled {
			t.Errorf("B withdrew A's enrolment: %+v", en)
		}
	})
}
