package training_test

import (
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/org"
	"cadran/internal/training"
)

func TestGroupInputValidate(t *testing.T) {
	ok := training.GroupInput{Code: " gt-sipoca-2025 ", Name: "Grup țintă", StartOn: "2026-01-15", EndOn: "2026-12-31", GoalMembers: 30, GoalHours: 24, GoalShare: 80}
	cases := []struct {
		name        string
		change      func(*training.GroupInput)
		field, want string
	}{
		{"fine", func(*training.GroupInput) {}, "", ""},
		{"no code", func(in *training.GroupInput) { in.Code = " " }, training.FieldGroupCode, "error.required"},
		{"bad code", func(in *training.GroupInput) { in.Code = "GT ȘCOALĂ" }, training.FieldGroupCode, "training.error.code"},
		{"code starts with a dash", func(in *training.GroupInput) { in.Code = "-GT" }, training.FieldGroupCode, "training.error.code"},
		{"long code", func(in *training.GroupInput) { in.Code = "GT-0123456789012345678901234567" }, training.FieldGroupCode, "error.too_long"},
		{"no name", func(in *training.GroupInput) { in.Name = "" }, training.FieldGroupName, "error.required"},
		{"bad start", func(in *training.GroupInput) { in.StartOn = "2026-02-30" }, training.FieldGroupStart, "error.date"},
		{"end before start", func(in *training.GroupInput) { in.EndOn = "2026-01-14" }, training.FieldGroupEnd, "training.error.end_before_start"},
		{"negative goal", func(in *training.GroupInput) { in.GoalMembers = -1 }, training.FieldGroupGoalMembers, "training.error.group.goal_members"},
		{"too many", func(in *training.GroupInput) { in.GoalMembers = 10001 }, training.FieldGroupGoalMembers, "training.error.group.goal_members"},
		{"too many hours", func(in *training.GroupInput) { in.GoalHours = 2001 }, training.FieldGroupGoalHours, "training.error.group.goal_hours"},
		{"share over 100", func(in *training.GroupInput) { in.GoalShare = 101 }, training.FieldGroupGoalShare, "training.error.percent"},
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
				if in.Code != "GT-SIPOCA-2025" {
					t.Errorf("code %q not normalised", in.Code)
				}
				return
			}
			sesWant(t, err, apperr.KindInvalid, c.field, c.want)
		})
	}
}

func TestMemberInputValidate(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	ok := training.MemberInput{PersonID: 1, Category: training.CategoryExecution, Gender: "f", BirthYear: 1980, Education: "isced6", Residence: "urban", Consent: true}
	cases := []struct {
		name        string
		change      func(*training.MemberInput)
		field, want string
	}{
		{"fine", func(*training.MemberInput) {}, "", ""},
		{"empty category is taken from the person", func(in *training.MemberInput) { in.Category = "" }, "", ""},
		{"no person", func(in *training.MemberInput) { in.PersonID = 0 }, training.FieldMemberPerson, "error.required"},
		{"category", func(in *training.MemberInput) { in.Category = "boss" }, training.FieldMemberCategory, "error.choice"},
		{"gender", func(in *training.MemberInput) { in.Gender = "x" }, training.FieldMemberGender, "error.choice"},
		{"born too early", func(in *training.MemberInput) { in.BirthYear = 1929 }, training.FieldMemberBirthYear, "training.error.member.birth_year"},
		{"born next year", func(in *training.MemberInput) { in.BirthYear = 2027 }, training.FieldMemberBirthYear, "training.error.member.birth_year"},
		{"born this year", func(in *training.MemberInput) { in.BirthYear = 2026 }, "", ""},
		{"education", func(in *training.MemberInput) { in.Education = "isced9" }, training.FieldMemberEducation, "error.choice"},
		{"residence", func(in *training.MemberInput) { in.Residence = "sat" }, training.FieldMemberResidence, "error.choice"},
		{"joined", func(in *training.MemberInput) { in.JoinedOn = "23.11.2026" }, training.FieldMemberJoined, "error.date"},
		{"left before joined", func(in *training.MemberInput) { in.JoinedOn, in.LeftOn = "2026-05-01", "2026-04-30" }, training.FieldMemberLeft, "training.error.member.left_before_joined"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.change(&in)
			err := in.Validate(today)
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if in.JoinedOn != "2026-11-23" && in.JoinedOn != "" {
					t.Errorf("joined %q, want today", in.JoinedOn)
				}
				return
			}
			sesWant(t, err, apperr.KindInvalid, c.field, c.want)
		})
	}
}

func TestGroupCRUD(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		g := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "gt-sipoca", Name: "Grupul țintă al proiectului", Project: "SIPOCA 123 / MySMIS 45678",
			StartOn: "2026-01-15", EndOn: "2026-12-31", GoalMembers: 30, GoalHours: 24, GoalShare: 80, Active: true}))(t)
		if g.Code != "GT-SIPOCA" || g.Version != 1 || !g.Active {
			t.Fatalf("created %+v", g)
		}
		_, err := e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "GT-SIPOCA", Name: "Altul"})
		sesWant(t, err, apperr.KindInvalid, training.FieldGroupCode, "training.error.code_taken")
		// Another institution may use the same code.
		sesMust(e.svc.CreateGroup(ctx, e.other, training.GroupInput{Code: "GT-SIPOCA", Name: "Grupul din Sovata"}))(t)
		g2 := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "GT-CONSILIERI", Name: "Consilierii locali", GoalMembers: 21}))(t)

		in := training.GroupInput{Code: "GT-SIPOCA", Name: "Grupul țintă SIPOCA", Project: "SIPOCA 123", GoalMembers: 68, GoalShare: 90, Active: true, Version: g.Version}
		up := sesMust(e.svc.UpdateGroup(ctx, e.qm, g.ID, in))(t)
		if up.Name != "Grupul țintă SIPOCA" || up.GoalMembers != 68 || up.Version != 2 {
			t.Fatalf("updated %+v", up)
		}
		_, err = e.svc.UpdateGroup(ctx, e.qm, g.ID, in)
		sesWant(t, err, apperr.KindConflict, "", "error.stale")
		in.Version, in.Code = up.Version, "GT-CONSILIERI"
		_, err = e.svc.UpdateGroup(ctx, e.qm, g.ID, in)
		sesWant(t, err, apperr.KindInvalid, training.FieldGroupCode, "training.error.code_taken")

		// Search without diacritics, filters, sort and pages.
		list := func(f training.GroupFilter) []string {
			page := sesMust(e.svc.Groups(ctx, e.qm, f))(t)
			var codes []string
			for _, g := range page.Items {
				codes = append(codes, g.Code)
			}
			return codes
		}
		for _, c := range []struct {
			f    training.GroupFilter
			want []string
		}{
			{training.GroupFilter{}, []string{"GT-CONSILIERI", "GT-SIPOCA"}},
			{training.GroupFilter{Query: "tinta"}, []string{"GT-SIPOCA"}},
			{training.GroupFilter{Query: "consilierii"}, []string{"GT-CONSILIERI"}},
			{training.GroupFilter{Active: "yes"}, []string{"GT-SIPOCA"}},
			{training.GroupFilter{Active: "no"}, []string{"GT-CONSILIERI"}},
			{training.GroupFilter{Sort: "code", Desc: true}, []string{"GT-SIPOCA", "GT-CONSILIERI"}},
			{training.GroupFilter{Sort: "name", PerPage: 1, Page: 2}, []string{"GT-SIPOCA"}},
		} {
			if got := list(c.f); !equalStrings(got, c.want) {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND entity_id IN ($2, $3)`, training.EntityGroup, g.ID, g2.ID); n != 3 {
			t.Errorf("%d audit events, want 3 (two creations, one change)", n)
		}

		// Eligibility data is personal: the records permission reads
		// groups, only the quality office changes them; B sees none of A's.
		for _, a := range []struct {
			name string
			err  error
		}{
			{"employee", func() error { _, err := e.svc.Groups(ctx, e.emp, training.GroupFilter{}); return err }()},
			{"head", func() error { _, err := e.svc.Group(ctx, e.head, g.ID); return err }()},
			{"viewer members", func() error { _, err := e.svc.Members(ctx, e.viewer, g.ID); return err }()},
			{"head creates", func() error {
				_, err := e.svc.CreateGroup(ctx, e.head, training.GroupInput{Code: "X", Name: "X"})
				return err
			}()},
		} {
			if apperr.KindOf(a.err) != apperr.KindForbidden {
				t.Errorf("%s: %v, want forbidden", a.name, a.err)
			}
		}
		_, err = e.svc.Group(ctx, e.other, g.ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
		_, err = e.svc.UpdateGroup(ctx, e.other, g.ID, training.GroupInput{Code: "GT-B", Name: "B", Version: up.Version})
		sesWant(t, err, apperr.KindNotFound, "", "")
		_, err = e.svc.Members(ctx, e.other, g.ID)
		sesWant(t, err, apperr.KindNotFound, "", "")
		if got := sesMust(e.svc.Group(ctx, e.qm, g.ID))(t); got.Name != "Grupul țintă SIPOCA" || got.Version != 2 {
			t.Errorf("A's group changed: %+v", got)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGroupMembers(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		g := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "GT-1", Name: "Grup", Active: true}))(t)
		radu := sesElected(t, e, "Radu Consilier")
		contract := sesMust(e.org.CreatePerson(ctx, e.sysA, org.PersonInput{UnitID: e.tax, FullName: "Carmen Contract", Position: org.PositionExecution,
			Employment: org.EmploymentContract, Active: true}))(t).ID

		m := sesMust(e.svc.AddMember(ctx, e.qm, g.ID, training.MemberInput{PersonID: e.ema, Gender: "f", BirthYear: 1985, Education: "isced7",
			Residence: "rural", Consent: true}))(t)
		if m.Category != training.CategoryExecution || m.JoinedOn != "2026-11-23" || m.Name != "Ema Știrbu" || m.UnitName != "Serviciul Impozite și Taxe Locale" {
			t.Fatalf("member %+v", m)
		}
		_, err := e.svc.AddMember(ctx, e.qm, g.ID, training.MemberInput{PersonID: e.ema})
		sesWant(t, err, apperr.KindInvalid, training.FieldMemberPerson, "training.error.member.exists")
		_, err = e.svc.AddMember(ctx, e.qm, g.ID, training.MemberInput{PersonID: e.bob})
		sesWant(t, err, apperr.KindInvalid, training.FieldMemberPerson, "error.choice")

		// In bulk: the ones already in are skipped, categories come from
		// each person; a person of B refuses the whole batch.
		_, err = e.svc.AddMembers(ctx, e.qm, g.ID, []int64{e.dan, e.bob}, "")
		sesWant(t, err, apperr.KindInvalid, training.FieldMemberPerson, "error.choice")
		n := sesMust(e.svc.AddMembers(ctx, e.qm, g.ID, []int64{e.ema, e.dan, radu, contract, e.dan}, "2026-11-02"))(t)
		if n != 3 {
			t.Fatalf("added %d, want 3", n)
		}
		_, err = e.svc.AddMembers(ctx, e.other, g.ID, []int64{e.bob}, "")
		sesWant(t, err, apperr.KindNotFound, "", "")
		// B cannot add A's person to a group of its own.
		gB := sesMust(e.svc.CreateGroup(ctx, e.other, training.GroupInput{Code: "GT-1", Name: "Grupul lui B"}))(t)
		_, err = e.svc.AddMembers(ctx, e.other, gB.ID, []int64{e.ema}, "")
		sesWant(t, err, apperr.KindInvalid, training.FieldMemberPerson, "error.choice")
		_, err = e.svc.AddMember(ctx, e.other, gB.ID, training.MemberInput{PersonID: e.ema})
		sesWant(t, err, apperr.KindInvalid, training.FieldMemberPerson, "error.choice")
		_, err = e.svc.AddMembers(ctx, e.emp, g.ID, []int64{e.ion}, "")
		sesWant(t, err, apperr.KindForbidden, "", "")

		ms := sesMust(e.svc.Members(ctx, e.qm, g.ID))(t)
		cats := map[int64]string{}
		for _, m := range ms {
			cats[m.PersonID] = m.Category
		}
		want := map[int64]string{e.ema: training.CategoryExecution, e.dan: training.CategoryManagement, radu: training.CategoryElected, contract: training.CategoryContract}
		for p, c := range want {
			if cats[p] != c {
				t.Errorf("person %d: category %q, want %q", p, cats[p], c)
			}
		}

		// Leaving keeps the record, listed last.
		up := sesMust(e.svc.UpdateMember(ctx, e.qm, g.ID, m.ID, training.MemberInput{Category: training.CategoryExecution, Gender: "f", BirthYear: 1985,
			JoinedOn: m.JoinedOn, LeftOn: "2026-11-30", Version: m.Version}))(t)
		if !up.Left() || up.Version != 2 || up.PersonID != e.ema {
			t.Fatalf("left %+v", up)
		}
		_, err = e.svc.UpdateMember(ctx, e.qm, g.ID, m.ID, training.MemberInput{JoinedOn: m.JoinedOn, Version: m.Version})
		sesWant(t, err, apperr.KindConflict, "", "error.stale")
		_, err = e.svc.UpdateMember(ctx, e.other, g.ID, m.ID, training.MemberInput{JoinedOn: m.JoinedOn, Version: up.Version})
		sesWant(t, err, apperr.KindNotFound, "", "")
		ms = sesMust(e.svc.Members(ctx, e.qm, g.ID))(t)
		if len(ms) != 4 || ms[3].PersonID != e.ema || !ms[3].Left() {
			t.Fatalf("members %+v", ms)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1`, training.EntityMember); n != 5 {
			t.Errorf("%d member audit events, want 5 (four added, one change)", n)
		}
		if got := sesMust(e.svc.Group(ctx, e.qm, g.ID))(t).Progress.Members; got != 3 {
			t.Errorf("%d members count, want 3 (one left)", got)
		}
	})
}

// TestGroupProgress is a worked example: two programmes of the group, a
// member who completes both, two who complete one, one who fails, one who
// has not started and one who left.
func TestGroupProgress(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		g := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "GT-1", Name: "Grup", GoalMembers: 5, Active: true}))(t)
		empty := sesMust(e.svc.CreateGroup(ctx, e.qm, training.GroupInput{Code: "GT-2", Name: "Grup gol", Active: true}))(t)
		radu := sesElected(t, e, "Radu Consilier")
		sesMust(e.svc.AddMembers(ctx, e.qm, g.ID, []int64{e.ana, e.dan, e.ema, e.ion, e.vio, radu}, "2026-11-01"))(t)
		vio := sesMust(e.svc.Members(ctx, e.qm, g.ID))(t)
		for _, m := range vio {
			if m.PersonID == e.vio {
				sesMust(e.svc.UpdateMember(ctx, e.qm, g.ID, m.ID, training.MemberInput{JoinedOn: m.JoinedOn, LeftOn: "2026-11-20", Version: m.Version}))(t)
			}
		}
		p1 := sesProgramme(t, e, "P-MC", func(in *training.ProgrammeInput) { in.GroupID, in.Certificate = g.ID, "Certificat MC" })
		p2 := sesProgramme(t, e, "P-AI", func(in *training.ProgrammeInput) { in.GroupID, in.Hours, in.PassScore = g.ID, 8, 70 })
		sesProgramme(t, e, "P-ALT", nil) // not the group's

		s1 := sesSession(t, e, p1, "2026-11-23", "2026-11-24", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, s1.ID, []int64{e.ana, e.dan, e.ema, e.ion, e.vio}))(t)
		sesState(t, e, s1.ID, training.SessionHeld)
		both := []string{"2026-11-23", "2026-11-24"}
		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, s1.ID, map[int64][]string{
			sesEnrolment(t, e, s1.ID, e.ana).ID: both, sesEnrolment(t, e, s1.ID, e.dan).ID: both,
			sesEnrolment(t, e, s1.ID, e.ema).ID: {"2026-11-24"}, sesEnrolment(t, e, s1.ID, e.ion).ID: both,
			sesEnrolment(t, e, s1.ID, e.vio).ID: both,
		}))
		sesState(t, e, s1.ID, training.SessionClosed)

		s2 := sesSession(t, e, p2, "2026-11-25", "2026-11-25", 0)
		sesMust(e.svc.Enrol(ctx, e.qm, s2.ID, []int64{e.ana, e.dan, e.ion}))(t)
		sesState(t, e, s2.ID, training.SessionHeld)
		day := []string{"2026-11-25"}
		ana, dan, ion := sesEnrolment(t, e, s2.ID, e.ana).ID, sesEnrolment(t, e, s2.ID, e.dan).ID, sesEnrolment(t, e, s2.ID, e.ion).ID
		sesOK(t, e.svc.SaveAttendance(ctx, e.qm, s2.ID, map[int64][]string{ana: day, dan: day, ion: day}))
		sesOK(t, e.svc.SaveResults(ctx, e.qm, s2.ID, []training.ResultInput{{EnrolmentID: ana, Score: sesInt(90)}, {EnrolmentID: dan, Score: sesInt(60)}, {EnrolmentID: ion}}))
		sesState(t, e, s2.ID, training.SessionClosed)

		// Ana holds the certificate of P-MC; Dan's was revoked.
		for _, c := range []struct {
			person  int64
			revoked bool
		}{{e.ana, false}, {e.dan, true}} {
			if _, err := e.d.W.ExecContext(ctx, `INSERT INTO training_certificates (tenant_id, person_id, programme_id, name, issued_on, revoked, created_at, updated_at)
				VALUES ($1, $2, $3, 'Certificat MC', '2026-11-24', $4, $5, $5)`, e.qm.Tenant, c.person, p1.ID, c.revoked, t0); err != nil {
				t.Fatal(err)
			}
		}

		got := sesMust(e.svc.Group(ctx, e.qm, g.ID))(t).Progress
		want := training.GroupProgress{Members: 5, Programmes: 2, Trained: 3, Completed: 1, Hours: 80, HoursPerMember: 16, Share: 20, Certified: 1,
			ByCategory: []training.CategoryProgress{{Category: training.CategoryManagement, Members: 1}, {Category: training.CategoryExecution, Members: 3, Completed: 1},
				{Category: training.CategoryContract}, {Category: training.CategoryElected, Members: 1}}}
		if !equalProgress(got, want) {
			t.Fatalf("progress\n got %+v\nwant %+v", got, want)
		}
		page := sesMust(e.svc.Groups(ctx, e.qm, training.GroupFilter{Sort: "members", Desc: true}))(t)
		if len(page.Items) != 2 || page.Items[0].ID != g.ID || !equalProgress(page.Items[0].Progress, want) ||
			page.Items[1].ID != empty.ID || page.Items[1].Progress.Members != 0 || page.Items[1].Progress.Programmes != 0 {
			t.Fatalf("list %+v", page.Items)
		}

		hours := map[int64][2]float64{}
		for _, m := range sesMust(e.svc.Members(ctx, e.qm, g.ID))(t) {
			hours[m.PersonID] = [2]float64{m.Hours, float64(m.Completed)}
		}
		for p, w := range map[int64][2]float64{e.ana: {24, 2}, e.dan: {24, 1}, e.ema: {8, 0}, e.ion: {24, 1}, radu: {0, 0}, e.vio: {16, 1}} {
			if hours[p] != w {
				t.Errorf("person %d: hours and completed %v, want %v", p, hours[p], w)
			}
		}
	})
}

func equalProgress(a, b training.GroupProgress) bool {
	if a.Members != b.Members || a.Programmes != b.Programmes || a.Trained != b.Trained || a.Completed != b.Completed ||
		a.Hours != b.Hours || a.HoursPerMember != b.HoursPerMember || a.Share != b.Share || a.Certified != b.Certified || len(a.ByCategory) != len(b.ByCategory) {
		return false
	}
	for i := range a.ByCategory {
		if a.ByCategory[i] != b.ByCategory[i] {
			return false
		}
	}
	return true
}
