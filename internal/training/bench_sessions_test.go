package training_test

import (
	"fmt"
	"testing"

	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/training"
)

// benchPeople inserts n active people of A in the tax service, straight
// into the table (the benchmarks measure reads, not the person form).
func benchPeople(b *testing.B, e *env, n int) []int64 {
	b.Helper()
	ids := make([]int64, n)
	for i := range n {
		name := fmt.Sprintf("Persoana %04d", i)
		if err := e.d.W.QueryRowContext(b.Context(), `INSERT INTO people (tenant_id, unit_id, full_name, job_title, position, employment, active, sort_name, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, 'Inspector', 'execution', 'civil_servant', $4, $5, $5, $6, $6) RETURNING id`,
			e.qm.Tenant, e.tax, name, true, fmt.Sprintf("persoana %04d", i), t0).Scan(&ids[i]); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

// BenchmarkGroupListProgress is the target group list: a page of 20
// groups of 70 members each, with 4 programmes each and one session per
// programme where every member enrolled (7 in 10 completed, 2 failed, 1
// withdrew), and a certificate for every fifth completion: 5,600
// enrolments read for the page's progress.
func BenchmarkGroupListProgress(b *testing.B) {
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	people := benchPeople(b, e, 20*70)
	for g := range 20 {
		grp := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: fmt.Sprintf("GT-%02d", g), Name: fmt.Sprintf("Grupul %02d", g), GoalMembers: 70, Active: true}))(b)
		members := people[g*70 : (g+1)*70]
		sesMust(e.svc.AddMembers(ctx, e.qm, grp.ID, members, "2026-01-10"))(b)
		for p := range 4 {
			prog := sesProgramme(b, e, fmt.Sprintf("P-%02d-%d", g, p), func(in *training.ProgrammeInput) { in.GroupID = grp.ID })
			ss := sesSession(b, e, prog, "2026-03-02", "2026-03-03", 0)
			for i, person := range members {
				state, hours, done := training.EnrolCompleted, 16.0, "2026-03-03"
				switch (i + p) % 10 {
				case 7, 8:
					state, hours, done = training.EnrolFailed, 8, ""
				case 9:
					state, hours, done = training.EnrolWithdrawn, 0, ""
				}
				var id int64
				if err := e.d.W.QueryRowContext(ctx, `INSERT INTO training_enrolments (tenant_id, session_id, person_id, state, hours, completed_on, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, e.qm.Tenant, ss.ID, person, state, hours, done, t0).Scan(&id); err != nil {
					b.Fatal(err)
				}
				if state == training.EnrolCompleted && i%5 == 0 {
					if _, err := e.d.W.ExecContext(ctx, `INSERT INTO training_certificates (tenant_id, person_id, enrolment_id, programme_id, name, issued_on, created_at, updated_at)
						VALUES ($1, $2, $3, $4, 'Certificat', '2026-03-03', $5, $5)`, e.qm.Tenant, person, id, prog.ID, t0); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	if err := e.d.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	benchtest.Measure(b, func() error {
		page, err := e.svc.Groups(ctx, e.qm, training.GroupFilter{PerPage: 20})
		if err == nil && (len(page.Items) != 20 || page.Items[0].Progress.Members != 70 || page.Items[0].Progress.Programmes != 4 || page.Items[0].Progress.Trained == 0) {
			err = fmt.Errorf("page %d, progress %+v", len(page.Items), page.Items[0].Progress)
		}
		return err
	})
}

// BenchmarkAttendanceSheet is a held five-day session's attendance grid
// with 40 people, every day marked.
func BenchmarkAttendanceSheet(b *testing.B) {
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	people := benchPeople(b, e, 40)
	p := sesProgramme(b, e, "P-MC", func(in *training.ProgrammeInput) { in.Hours = 40 })
	ss := sesSession(b, e, p, "2026-11-23", "2026-11-27", 40)
	sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, people))(b)
	sesState(b, e, ss.ID, training.SessionHeld)
	days := ss.Days()
	marks := map[int64][]string{}
	for i, en := range sesMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(b) {
		marks[en.ID] = days[:5-i%3]
	}
	sesOK(b, e.svc.SaveAttendance(ctx, e.qm, ss.ID, marks))
	if err := e.d.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	benchtest.Measure(b, func() error {
		sheet, err := e.svc.Attendance(ctx, e.qm, ss.ID)
		if err == nil && (len(sheet.Rows) != 40 || len(sheet.Days) != 5 || !sheet.Rows[0].Marked[4]) {
			err = fmt.Errorf("sheet %d × %d", len(sheet.Rows), len(sheet.Days))
		}
		return err
	})
}

// BenchmarkSaveAttendance saves the same grid (40 × 5), every mark
// flipped, with its hours and one audit event.
func BenchmarkSaveAttendance(b *testing.B) {
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	people := benchPeople(b, e, 40)
	p := sesProgramme(b, e, "P-MC", func(in *training.ProgrammeInput) { in.Hours = 40 })
	ss := sesSession(b, e, p, "2026-11-23", "2026-11-27", 40)
	sesMust(e.svc.Enrol(ctx, e.qm, ss.ID, people))(b)
	sesState(b, e, ss.ID, training.SessionHeld)
	days := ss.Days()
	es := sesMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(b)
	flip := 0
	benchtest.Measure(b, func() error {
		flip++
		marks := map[int64][]string{}
		for i, en := range es {
			marks[en.ID] = days[:(i+flip)%6]
		}
		return e.svc.SaveAttendance(ctx, e.qm, ss.ID, marks)
	})
}
