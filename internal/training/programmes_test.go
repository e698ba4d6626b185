package training_test

import (
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/training"
)

func TestProgrammeInputValidate(t *testing.T) {
	ok := training.ProgrammeInput{Code: "p-mc-2026", Title: "Managementul calității", Topic: training.TopicQuality, Hours: 24,
		Certificate: "Manager al sistemului de management al calității", CertificateMonths: 36, PassScore: 70, MinAttendance: 80}
	cases := []struct {
		name        string
		change      func(*training.ProgrammeInput)
		field, want string
	}{
		{"fine", func(*training.ProgrammeInput) {}, "", ""},
		{"no code", func(in *training.ProgrammeInput) { in.Code = "" }, training.FieldProgCode, "error.required"},
		{"bad code", func(in *training.ProgrammeInput) { in.Code = "P MC" }, training.FieldProgCode, "training.error.code"},
		{"no title", func(in *training.ProgrammeInput) { in.Title = "  " }, training.FieldProgTitle, "error.required"},
		{"no topic", func(in *training.ProgrammeInput) { in.Topic = "" }, training.FieldProgTopic, "error.required"},
		{"topic", func(in *training.ProgrammeInput) { in.Topic = "cooking" }, training.FieldProgTopic, "error.choice"},
		{"no hours", func(in *training.ProgrammeInput) { in.Hours = 0 }, training.FieldProgHours, "training.error.programme.hours"},
		{"too many hours", func(in *training.ProgrammeInput) { in.Hours = 2001 }, training.FieldProgHours, "training.error.programme.hours"},
		{"most hours", func(in *training.ProgrammeInput) { in.Hours = 2000 }, "", ""},
		{"validity", func(in *training.ProgrammeInput) { in.CertificateMonths = 121 }, training.FieldProgCertificateMonths, "training.error.programme.certificate_months"},
		{"validity without certificate", func(in *training.ProgrammeInput) { in.Certificate = "" }, training.FieldProgCertificateMonths, "training.error.programme.months_without_certificate"},
		{"level", func(in *training.ProgrammeInput) { in.CompetenceLevel = 4 }, training.FieldProgCompetenceLevel, "error.choice"},
		{"pass score", func(in *training.ProgrammeInput) { in.PassScore = 101 }, training.FieldProgPassScore, "training.error.score"},
		{"attendance", func(in *training.ProgrammeInput) { in.MinAttendance = -1 }, training.FieldProgMinAttendance, "training.error.percent"},
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
				if in.Code != "P-MC-2026" || in.CompetenceLevel != training.LevelBasic {
					t.Errorf("not normalised: %+v", in)
				}
				return
			}
			sesWant(t, err, apperr.KindInvalid, c.field, c.want)
		})
	}
}

func TestProgrammeCRUD(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		g := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "GT-1", Name: "Grup", Active: true}))(t)
		gB := sesMust(e.svc.CreateGroup(ctx, e.other, training.GroupInput{Code: "GT-1", Name: "Grupul lui B", Active: true}))(t)
		comp := func(tenant int64, code string) int64 {
			var id int64
			if err := e.d.W.QueryRowContext(ctx, `INSERT INTO training_competences (tenant_id, code, name, area, created_at, updated_at)
				VALUES ($1, $2, 'Audit intern', 'audit', $3, $3) RETURNING id`, tenant, code, t0).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		cA, cB := comp(e.qm.Tenant, "C-AUDIT"), comp(e.other.Tenant, "C-AUDIT")

		in := training.ProgrammeInput{Code: "P-AI", Title: "Auditor intern în sistemele de management al calității", Topic: training.TopicAudit,
			Provider: "Furnizor SRL", Hours: 40, Certificate: "Auditor intern", CertificateMonths: 36, CompetenceID: cA, CompetenceLevel: 2,
			GroupID: g.ID, Mandatory: false, PassScore: 70, MinAttendance: 80, Active: true}
		p := sesMust(e.svc.CreateProgramme(ctx, e.qm, in))(t)
		if p.CompetenceName != "Audit intern" || p.GroupName != "Grup" || p.CompetenceLevel != 2 || p.Version != 1 {
			t.Fatalf("created %+v", p)
		}
		for _, c := range []struct {
			name        string
			change      func(*training.ProgrammeInput)
			field, want string
		}{
			{"code taken", func(in *training.ProgrammeInput) {}, training.FieldProgCode, "training.error.code_taken"},
			{"B's competence", func(in *training.ProgrammeInput) { in.Code, in.CompetenceID = "P-2", cB }, training.FieldProgCompetence, "error.choice"},
			{"B's group", func(in *training.ProgrammeInput) { in.Code, in.GroupID = "P-2", gB.ID }, training.FieldProgGroup, "error.choice"},
		} {
			bad := in
			c.change(&bad)
			_, err := e.svc.CreateProgramme(ctx, e.qm, bad)
			sesWant(t, err, apperr.KindInvalid, c.field, c.want)
		}
		sesProgramme(t, e, "P-MC", func(in *training.ProgrammeInput) { in.Hours, in.Mandatory = 8, true })
		sesProgramme(t, e, "P-VECHI", func(in *training.ProgrammeInput) { in.Topic, in.Active = training.TopicLegal, false })

		in.Title, in.Hours, in.Version = "Auditor intern ISO 9001", 32, p.Version
		up := sesMust(e.svc.UpdateProgramme(ctx, e.qm, p.ID, in))(t)
		if up.Title != "Auditor intern ISO 9001" || up.Hours != 32 || up.Version != 2 {
			t.Fatalf("updated %+v", up)
		}
		_, err := e.svc.UpdateProgramme(ctx, e.qm, p.ID, in)
		sesWant(t, err, apperr.KindConflict, "", "error.stale")

		// Sessions (cancelled ones left out) and people completed.
		s1 := sesSession(t, e, up, "2026-11-23", "2026-11-23", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, s1.ID, []int64{e.ema, e.ion}))(t)
		sesState(t, e, s1.ID, training.SessionHeld)
		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, s1.ID, map[int64][]string{sesEnrolment(t, e, s1.ID, e.ema).ID: {"2026-11-23"}}))
		sesOK(t, e.svc.SaveResults(ctx, e.qm, s1.ID, []training.ResultInput{{EnrolmentID: sesEnrolment(t, e, s1.ID, e.ema).ID, Score: sesInt(85)}}))
		sesState(t, e, s1.ID, training.SessionClosed)
		s2 := sesSession(t, e, up, "2026-12-01", "2026-12-02", 0)
		sesState(t, e, s2.ID, training.SessionCancelled)
		sesSession(t, e, up, "2026-12-10", "2026-12-11", 0)
		got := sesMust(e.svc.Programme(ctx, e.emp, p.ID))(t)
		if got.Sessions != 2 || got.Completed != 1 {
			t.Errorf("sessions %d, completed %d; want 2 and 1", got.Sessions, got.Completed)
		}

		list := func(f training.ProgrammeFilter) []string {
			page := sesMust(e.svc.Programmes(ctx, e.emp, f))(t)
			var codes []string
			for _, p := range page.Items {
				codes = append(codes, p.Code)
			}
			return codes
		}
		for _, c := range []struct {
			f    training.ProgrammeFilter
			want []string
		}{
			{training.ProgrammeFilter{}, []string{"P-AI", "P-MC", "P-VECHI"}},
			{training.ProgrammeFilter{Query: "calitatii"}, []string{"P-MC", "P-VECHI"}},
			{training.ProgrammeFilter{Query: "AUDITOR"}, []string{"P-AI"}},
			{training.ProgrammeFilter{Topic: training.TopicLegal}, []string{"P-VECHI"}},
			{training.ProgrammeFilter{GroupID: g.ID}, []string{"P-AI"}},
			{training.ProgrammeFilter{Active: "yes"}, []string{"P-AI", "P-MC"}},
			{training.ProgrammeFilter{Active: "no"}, []string{"P-VECHI"}},
			{training.ProgrammeFilter{Sort: "hours", Desc: true}, []string{"P-AI", "P-VECHI", "P-MC"}},
			{training.ProgrammeFilter{Sort: "code", PerPage: 2, Page: 2}, []string{"P-VECHI"}},
		} {
			if got := list(c.f); !equalStrings(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		if page := sesMust(e.svc.Programmes(ctx, e.other, training.ProgrammeFilter{}))(t); page.Total != 0 {
			t.Errorf("B sees %d programmes", page.Total)
		}

		// Everyone reads the offer; only the quality office changes it; B
		// neither reads nor changes A's.
		_, err = e.svc.CreateProgramme(ctx, e.head, in)
		sesWant(t, err, apperr.KindForbidden, "", "")
		_, err = e.svc.Programme(ctx, e.other, p.ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
		in.Version, in.CompetenceID, in.GroupID = up.Version, 0, 0
		_, err = e.svc.UpdateProgramme(ctx, e.other, p.ID, in)
		sesWant(t, err, apperr.KindNotFound, "", "")
		if got := sesMust(e.svc.Programme(ctx, e.qm, p.ID))(t); got.Version != up.Version || got.Title != up.Title {
			t.Errorf("A's programme changed: %+v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1`, training.EntityProgramme); n != 4 {
			t.Errorf("%d programme audit events, want 4", n)
		}
	})
}
