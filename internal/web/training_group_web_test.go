package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/training"
)

// tgwPeople gives institution A three more people in its budget service
// and signs-in for an employee (Ion, with his person) and a head of the
// economic directorate (Dana); A's administrator becomes its quality
// manager.
type tgwPeople struct {
	People []org.Person // Ion Bîrsan, Maria Țurcanu, Dana Șerban (head)
	Emp    auth.User
	Head   auth.User
}

func tgwSetup(t testing.TB, f *fixture) tgwPeople {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	var out tgwPeople
	for _, p := range []org.PersonInput{
		{UnitID: f.A.SubUnit.ID, FullName: "Ion Bîrsan", JobTitle: "Inspector", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true},
		{UnitID: f.A.SubUnit.ID, FullName: "Maria Țurcanu", JobTitle: "Referent", Position: org.PositionExecution, Employment: org.EmploymentContract, Active: true},
		{UnitID: f.A.Unit.ID, FullName: "Dana Șerban", JobTitle: "Director executiv", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true},
	} {
		person, err := f.Srv.org.CreatePerson(ctx, sys, p)
		if err != nil {
			t.Fatal(err)
		}
		out.People = append(out.People, person)
	}
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	var err error
	if out.Emp, err = as.CreateUser(ctx, sys, auth.UserInput{Username: "alfa.ion", DisplayName: "Ion Bîrsan", Password: testPassword, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro", PersonID: out.People[0].ID}); err != nil {
		t.Fatal(err)
	}
	if out.Head, err = as.CreateUser(ctx, sys, auth.UserInput{Username: "alfa.dana", DisplayName: "Dana Șerban", Password: testPassword, Roles: []auth.Role{auth.RoleHeadOfUnit}, Locale: "ro", PersonID: out.People[2].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
	return out
}

// tgwRecords are institution A's target group with a member, a programme
// of the group, and a session held with the member enrolled.
type tgwRecords struct {
	Group     training.Group
	Member    training.Member
	Programme training.Programme
	Session   training.Session
	Enrolment training.Enrolment
}

// tgwSeed makes A's records through the domain, as A's quality office.
func tgwSeed(t testing.TB, f *fixture) tgwRecords {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.training
	var r tgwRecords
	var err error
	if r.Group, err = svc.CreateGroup(ctx, sys, training.GroupInput{Code: "GT-ALFA", Name: "Alfa Grupul țintă al proiectului", Project: "Alfa SIPOCA 1",
		StartOn: "2026-01-01", EndOn: "2027-06-30", GoalMembers: 30, GoalHours: 40, GoalShare: 80, Active: true}); err != nil {
		t.Fatal(err)
	}
	if r.Member, err = svc.AddMember(ctx, sys, r.Group.ID, training.MemberInput{PersonID: f.A.Person.ID, Category: training.CategoryManagement, Gender: "f",
		BirthYear: 1980, Education: "isced7", Residence: "urban", Consent: true, JoinedOn: "2026-02-01"}); err != nil {
		t.Fatal(err)
	}
	if r.Programme, err = svc.CreateProgramme(ctx, sys, training.ProgrammeInput{Code: "P-ALFA", Title: "Alfa Managementul calității", Topic: training.TopicQuality,
		Provider: "Alfa Formare SRL", Hours: 16, Certificate: "Alfa Certificat de absolvire", CertificateMonths: 36, GroupID: r.Group.ID, MinAttendance: 50, PassScore: 60,
		Active: true}); err != nil {
		t.Fatal(err)
	}
	if r.Session, err = svc.CreateSession(ctx, sys, training.SessionInput{ProgrammeID: r.Programme.ID, StartOn: "2026-11-23", EndOn: "2026-11-24",
		Place: "Alfa Sala mare", Trainer: "Alfa Formator"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Enrol(ctx, sys, r.Session.ID, []int64{f.A.Person.ID}); err != nil {
		t.Fatal(err)
	}
	if r.Session, err = svc.SetSessionState(ctx, sys, r.Session.ID, training.SessionHeld, r.Session.Version); err != nil {
		t.Fatal(err)
	}
	es, err := svc.Enrolments(ctx, sys, r.Session.ID)
	if err != nil || len(es) != 1 {
		t.Fatalf("A's enrolments: %+v (%v)", es, err)
	}
	r.Enrolment = es[0]
	return r
}

// TestTrainingGroupPages walks the group, programme and session pages as
// the quality manager in Romanian: the forms with their errors and the
// values kept, a target group with its members, a programme of the group,
// a session with enrolment, attendance, results and closing, the exports
// and the PDFs; then as an employee, a head of unit and an English viewer.
func TestTrainingGroupPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ppl := tgwSetup(t, f)
		qm := f.login(t, f.A.Username)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }

		res, body := qm.get("/training")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the overview", body, "Instruire și competențe", "Situația anului 2026", `href="/training/groups"`, `href="/training/settings"`, "Nu este planificată nicio sesiune.")

		// A group form with errors: each named next to its field, what was
		// typed kept, nothing saved.
		res, body = qm.post("/training/groups", url.Values{"tg_code": {"gt 1?"}, "tg_name": {""}, "tg_goal_members": {"treizeci"}, "tg_project": {"SIPOCA 123 / Țara"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the group form with errors", body, `class="error-summary"`, `href="#f-tg_goal_members"`, `value="treizeci"`, `value="SIPOCA 123 / Țara"`, "Introduceți un număr întreg.")
		res, body = qm.post("/training/groups", url.Values{"tg_code": {"gt 1?"}, "tg_name": {""}, "tg_goal_members": {"30"}, "tg_start": {"2026-05-01"}, "tg_end": {"2026-01-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the domain's errors", body, `href="#f-tg_code"`, `href="#f-tg_name"`, `href="#f-tg_end"`, `value="gt 1?"`, "Codul grupului")
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM training_groups`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d groups saved from invalid forms (%v)", n, err)
		}
		res, body = qm.post("/training/groups", url.Values{"tg_code": {"GT-2026"}, "tg_name": {"Grupul țintă al proiectului de calitate"}, "tg_project": {"SIPOCA 123"},
			"tg_start": {"2026-01-01"}, "tg_end": {"2027-06-30"}, "tg_goal_members": {"4"}, "tg_goal_hours": {"16"}, "tg_goal_share": {"75"}, "tg_active": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		groupURL := res.Header.Get("Location")
		gid := strings.TrimPrefix(groupURL, "/training/groups/")
		res, body = qm.get(groupURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "a new group's page", body, "GT-2026 · Grupul țintă al proiectului de calitate", "Grupul nu are încă membri.", `name="tm_people"`, "Ion Bîrsan")

		// Adding nobody is refused beside the picker; adding the budget
		// service adds its three people (Ion, Maria and A's head of service).
		res, body = qm.post(groupURL+"/members", url.Values{"tm_joined": {"2026-02-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "an empty add", body, `href="#f-tm_people"`, `value="2026-02-01"`)
		res, body = qm.post(groupURL+"/members", url.Values{"tm_unit": {id(f.A.SubUnit.ID)}, "tm_people": {id(ppl.People[2].ID)}, "tm_joined": {"2026-02-01"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(groupURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the group with members", body, "Membri (4)", "Ion Bîrsan", "Maria Țurcanu", "Dana Șerban", "Alfa Ștefănescu Țiței", "Funcționar public de execuție", "Personal contractual",
			"4 din 4")
		members, err := f.Srv.training.Members(context.Background(), auth.SystemActor(f.A.Inst.ID, "t"), tgwID(t, gid))
		if err != nil || len(members) != 4 {
			t.Fatalf("members: %+v (%v)", members, err)
		}
		var ion training.Member
		for _, m := range members {
			if m.PersonID == ppl.People[0].ID {
				ion = m
			}
		}
		memberURL := groupURL + "/members/" + id(ion.ID)
		res, body = qm.get(memberURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the member's page", body, "Ion Bîrsan", `name="tm_birth_year"`, "Și-a dat acordul")
		res, body = qm.post(memberURL, url.Values{"version": {fmt.Sprint(ion.Version)}, "tm_category": {training.CategoryExecution}, "tm_gender": {"m"}, "tm_birth_year": {"o mie"},
			"tm_education": {"isced6"}, "tm_residence": {"rural"}, "tm_consent": {"1"}, "tm_joined": {"2026-02-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the member form with errors", body, `href="#f-tm_birth_year"`, `value="o mie"`, `<option value="rural" selected>`)
		res, body = qm.post(memberURL, url.Values{"version": {fmt.Sprint(ion.Version)}, "tm_category": {training.CategoryExecution}, "tm_gender": {"m"}, "tm_birth_year": {"1925"},
			"tm_education": {"isced6"}, "tm_residence": {"rural"}, "tm_consent": {"1"}, "tm_joined": {"2026-02-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the domain's member errors", body, `href="#f-tm_birth_year"`, `value="1925"`)
		res, body = qm.post(memberURL, url.Values{"version": {fmt.Sprint(ion.Version)}, "tm_category": {training.CategoryExecution}, "tm_gender": {"m"}, "tm_birth_year": {"1985"},
			"tm_education": {"isced6"}, "tm_residence": {"rural"}, "tm_consent": {"1"}, "tm_joined": {"2026-02-01"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		// The same version again lost the race: said so, nothing overwritten.
		res, body = qm.post(memberURL, url.Values{"version": {fmt.Sprint(ion.Version)}, "tm_category": {training.CategoryContract}, "tm_joined": {"2026-02-01"}})
		wantStatus(t, res, body, http.StatusConflict)

		// A programme of the group, with its form's errors first.
		res, body = qm.get("/training/programmes/new?group=" + gid)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the programme form", body, `<option value="`+gid+`" selected>GT-2026`, "Managementul calității (ISO 9001)", "Obligatoriu pentru fiecare angajat nou")
		res, body = qm.post("/training/programmes", url.Values{"tp_code": {"P-MC-2026"}, "tp_title": {"Managementul calității în administrație"}, "tp_topic": {"quality"},
			"tp_hours": {"șaisprezece"}, "tp_group": {gid}, "tp_min_attendance": {"50"}, "tp_active": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the programme form with errors", body, `href="#f-tp_hours"`, `value="Managementul calității în administrație"`)
		res, body = qm.post("/training/programmes", url.Values{"tp_code": {"P-MC-2026"}, "tp_title": {"Managementul calității în administrație"}, "tp_topic": {"quality"},
			"tp_hours": {"0"}, "tp_group": {gid}, "tp_min_attendance": {"50"}, "tp_active": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the domain's programme errors", body, `href="#f-tp_hours"`)
		res, body = qm.post("/training/programmes", url.Values{"tp_code": {"P-MC-2026"}, "tp_title": {"Managementul calității în administrație"}, "tp_topic": {"quality"},
			"tp_provider": {"Centrul de formare Mureș"}, "tp_hours": {"16"}, "tp_certificate": {"Certificat de absolvire"}, "tp_certificate_months": {"36"},
			"tp_group": {gid}, "tp_pass_score": {"60"}, "tp_min_attendance": {"50"}, "tp_competence_level": {"1"}, "tp_active": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		progURL := res.Header.Get("Location")
		pid := strings.TrimPrefix(progURL, "/training/programmes/")
		res, body = qm.get(progURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the programme's page", body, "P-MC-2026 · Managementul calității în administrație", "16 ore", "valabil 36 de luni", `href="/training/sessions/new?programme=`+pid+`"`,
			"Nu a fost planificată nicio sesiune")

		// A session of it.
		res, body = qm.get("/training/sessions/new?programme=" + pid)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the session form", body, `<option value="`+pid+`" selected>P-MC-2026`)
		res, body = qm.post("/training/sessions", url.Values{"ts_programme": {pid}, "ts_start": {"2026-12-03"}, "ts_end": {"2026-12-01"}, "ts_place": {"Sala de ședințe"}, "ts_capacity": {"zece"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the session form with errors", body, `href="#f-ts_capacity"`, `value="zece"`, `value="Sala de ședințe"`)
		res, body = qm.post("/training/sessions", url.Values{"ts_programme": {pid}, "ts_start": {"2026-12-03"}, "ts_end": {"2026-12-01"}, "ts_place": {"Sala de ședințe"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the domain's session errors", body, `href="#f-ts_end"`, `value="2026-12-03"`)
		res, body = qm.post("/training/sessions", url.Values{"ts_programme": {pid}, "ts_start": {"2026-12-01"}, "ts_end": {"2026-12-02"}, "ts_place": {"Sala de ședințe"},
			"ts_trainer": {"Ștefan Țăranu"}, "ts_capacity": {"10"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		sessURL := res.Header.Get("Location")
		sid := tgwID(t, strings.TrimPrefix(sessURL, "/training/sessions/"))
		res, body = qm.get(sessURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the session's page", body, "P-MC-2026/1", "Planificată", "Marchează ca desfășurată", "Anulează sesiunea", "0 ocupate din 10", `name="ts_people"`)
		res, body = qm.post(sessURL+"/enrol", url.Values{"ts_people": {id(ppl.People[0].ID), id(ppl.People[1].ID), id(f.A.Person.ID)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(sessURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the enrolled", body, "Participanți (3)", "Ion Bîrsan", "Maria Țurcanu", "Retrage")
		var tasks int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'training' AND kind = 'attend' AND state = 'open'`, f.A.Inst.ID).Scan(&tasks); err != nil || tasks != 3 {
			t.Errorf("%d attendance tasks after enrolling three people (%v)", tasks, err)
		}
		es, err := f.Srv.training.Enrolments(context.Background(), auth.SystemActor(f.A.Inst.ID, "t"), sid)
		if err != nil || len(es) != 3 {
			t.Fatalf("enrolments: %+v (%v)", es, err)
		}
		byPerson := map[int64]training.Enrolment{}
		for _, e := range es {
			byPerson[e.PersonID] = e
		}
		maria := byPerson[ppl.People[1].ID]
		res, body = qm.post(fmt.Sprintf("%s/enrolments/%d/withdraw", sessURL, maria.ID), nil)
		wantStatus(t, res, body, http.StatusSeeOther)

		// Attendance is recorded once the session is held.
		x, err := f.Srv.training.Session(context.Background(), auth.SystemActor(f.A.Inst.ID, "t"), sid)
		if err != nil {
			t.Fatal(err)
		}
		res, body = qm.get(sessURL + "/attendance")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the grid of a planned session", body, "Prezența și rezultatele se înregistrează cât timp sesiunea este în desfășurare", "disabled")
		// Before it is held, a save is refused with the reason, the ticks kept.
		ionE, headE := byPerson[ppl.People[0].ID], byPerson[f.A.Person.ID]
		res, body = qm.post(sessURL+"/attendance", url.Values{"row": {id(ionE.ID)}, "p_" + id(ionE.ID): {"2026-12-02"}})
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "attendance of a planned session", body, "doar cât sesiunea este în desfășurare", `name="p_`+id(ionE.ID)+`" value="2026-12-02" checked`)
		res, body = qm.post(sessURL+"/state", url.Values{"ts_state": {training.SessionHeld}, "version": {fmt.Sprint(x.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		// The stale state button again: said so.
		res, body = qm.post(sessURL+"/state", url.Values{"ts_state": {training.SessionClosed}, "version": {fmt.Sprint(x.Version)}})
		wantStatus(t, res, body, http.StatusConflict)
		res, body = qm.get(sessURL + "/attendance")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the grid", body, "Ion Bîrsan", `name="p_`+id(ionE.ID)+`" value="2026-12-01"`, `name="score_`+id(headE.ID)+`"`, "promovează cine obține cel puțin 60")
		if strings.Contains(body, "Maria Țurcanu") {
			t.Error("the grid lists a withdrawn enrolment")
		}
		res, body = qm.post(sessURL+"/attendance", url.Values{"row": {id(ionE.ID), id(headE.ID)}, "p_" + id(ionE.ID): {"2026-12-01", "2026-12-02"}, "p_" + id(headE.ID): {"2026-12-02"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		// A score that does not read keeps everything typed, nothing saved.
		res, body = qm.post(sessURL+"/results", url.Values{"row": {id(ionE.ID), id(headE.ID)}, "score_" + id(ionE.ID): {"nouăzeci"}, "notes_" + id(ionE.ID): {"Foarte bine, activ"},
			"score_" + id(headE.ID): {"55"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the results with errors", body, `value="nouăzeci"`, `value="Foarte bine, activ"`, `value="55"`, `id="e-score_`+id(ionE.ID)+`"`, "Punctajul este un număr întreg între 0 și 100.")
		res, body = qm.post(sessURL+"/results", url.Values{"row": {id(ionE.ID), id(headE.ID)}, "score_" + id(ionE.ID): {"90"}, "notes_" + id(ionE.ID): {"Foarte bine, activ"},
			"score_" + id(headE.ID): {"55"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(sessURL + "/attendance")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the saved grid", body, `value="90"`, `value="Foarte bine, activ"`, `name="p_`+id(ionE.ID)+`" value="2026-12-01" checked`, "2 prezenți")

		pdf, _ := qm.get(sessURL + "/attendance.pdf")
		_, raw := qm.get(sessURL + "/attendance.pdf")
		wantStatus(t, pdf, "", http.StatusOK)
		if !strings.HasPrefix(raw, "%PDF") || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Fatal("the attendance sheet is not a PDF")
		}
		for _, s := range []string{"LISTĂ DE PREZENȚĂ", "Primăria Alfa", "Ion Bîrsan", "Alfa Ștefănescu Țiței", "Semnătura", "Formator: Ștefan Țăranu", "Locul: Sala de ședințe · Formator: Ștefan Țăranu"} {
			if !citizenPDFHas(t, []byte(raw), s) {
				t.Errorf("the attendance sheet lacks %q", s)
			}
		}
		if citizenPDFHas(t, []byte(raw), "Maria Țurcanu") {
			t.Error("the attendance sheet lists a withdrawn enrolment")
		}

		// Closing completes Ion (both days, 90) and fails the head of
		// service (one day of two is 50 %, but 55 is below 60).
		x, _ = f.Srv.training.Session(context.Background(), auth.SystemActor(f.A.Inst.ID, "t"), sid)
		res, body = qm.post(sessURL+"/state", url.Values{"ts_state": {training.SessionClosed}, "version": {fmt.Sprint(x.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(sessURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the closed session", body, "Încheiată", "Absolvit", "Neabsolvit", `<td class="num">90</td>`, `<td class="num">2 / 2</td>`, "Înregistrează certificatul", `href="/training/certificates/new?enrolment=`+id(ionE.ID)+`&amp;session=`+id(sid)+`"`)
		if strings.Contains(body, "Marchează ca desfășurată") || strings.Contains(body, `name="ts_people"`) {
			t.Error("a closed session still offers state buttons or enrolment")
		}

		// A session too small for those chosen enrols no one, and says why.
		res, body = qm.post("/training/sessions", url.Values{"ts_programme": {pid}, "ts_start": {"2027-02-01"}, "ts_end": {"2027-02-01"}, "ts_capacity": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		small := res.Header.Get("Location")
		res, body = qm.post(small+"/enrol", url.Values{"ts_people": {id(ppl.People[0].ID), id(ppl.People[1].ID)}})
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "a full session", body, `class="error-summary"`, `<option value="`+id(ppl.People[0].ID)+`" selected>`)

		// The group's progress and its record.
		res, body = qm.get(groupURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the group's progress", body, "P-MC-2026 · Managementul calității în administrație", "25,0 % din 75 %", "4 din 4")
		rows := tgwXLSX(t, qm, groupURL+"/record.xlsx")
		if len(rows) != 6 || !strings.Contains(strings.Join(rows[0], "|"), "P-MC-2026: stare") {
			t.Fatalf("the group record: %q", rows)
		}
		if r := citizenRowWith(rows, "Ion Bîrsan"); r == nil || !strings.Contains(strings.Join(r, "|"), "Absolvit|16") || !strings.Contains(strings.Join(r, "|"), "Rural") ||
			!strings.Contains(strings.Join(r, "|"), "1985") {
			t.Errorf("Ion's line of the group record: %q", r)
		}
		if r := citizenRowWith(rows, "Total (4 membri)"); r == nil || !strings.Contains(strings.Join(r, "|"), "un absolvent") {
			t.Errorf("the record's totals: %q", r)
		}
		res, raw = qm.get(groupURL + "/record.pdf")
		wantStatus(t, res, "", http.StatusOK)
		if !strings.HasPrefix(raw, "%PDF") {
			t.Fatal("the group record is not a PDF")
		}
		for _, s := range []string{"Evidența instruirii grupului țintă GT-2026 · Grupul țintă al proiectului de calitate", "Ion Bîrsan", "Maria Țurcanu", "Absolvit", "Neabsolvit"} {
			if !citizenPDFHas(t, []byte(raw), s) {
				t.Errorf("the group record PDF lacks %q", s)
			}
		}

		// The lists, their filters and exports.
		res, body = qm.get("/training/groups?q=calitate&active=yes")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the group list", body, "GT-2026", "SIPOCA 123", "Salvați filtrul aplicat")
		res, body = qm.get("/training/groups?q=inexistent")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "an empty group list", body, "Nu există grupuri țintă care să corespundă filtrului.")
		if r := citizenRowWith(tgwXLSX(t, qm, "/training/groups/export.xlsx?active=yes"), "GT-2026"); r == nil || !strings.Contains(strings.Join(r, "|"), "SIPOCA 123") {
			t.Errorf("the group export: %q", r)
		}
		res, body = qm.get("/training/programmes?topic=quality&group=" + gid)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the programme list", body, "P-MC-2026", "Centrul de formare Mureș")
		res, body = qm.get("/training/programmes?topic=audit")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "an empty programme list", body, "Nu există programe care să corespundă filtrului.")
		if r := citizenRowWith(tgwXLSX(t, qm, "/training/programmes/export.xlsx?topic=quality"), "P-MC-2026"); r == nil || !strings.Contains(strings.Join(r, "|"), "Certificat de absolvire") {
			t.Errorf("the programme export: %q", r)
		}
		res, body = qm.get("/training/sessions?state=closed&from=2026-11-01&to=2026-12-31&programme=" + pid)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the session list", body, "P-MC-2026/1", "Ștefan Țăranu")
		res, body = qm.get("/training/sessions?from=31.12.2026")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "a malformed date in the filter", body, `id="e-from"`, "P-MC-2026/1")
		res, body = qm.get("/training/sessions?state=cancelled")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "an empty session list", body, "Nu există sesiuni care să corespundă filtrului.")
		if r := citizenRowWith(tgwXLSX(t, qm, "/training/sessions/export.xlsx?state=closed"), "P-MC-2026/1"); r == nil || !strings.Contains(strings.Join(r, "|"), "Încheiată") {
			t.Errorf("the session export: %q", r)
		}
		// A filter saved on a list of this part comes back to it.
		res, body = qm.post("/filters", url.Values{"list": {"training_sessions"}, "name": {"Închise"}, "query": {"state=closed"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/training/sessions?state=closed" {
			t.Errorf("a saved filter leads to %q", loc)
		}

		// Every change was audited.
		var events int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity IN ('training_group', 'training_member', 'training_programme', 'training_session', 'training_enrolment', 'training_attendance')`,
			f.A.Inst.ID).Scan(&events); err != nil || events < 9 {
			t.Errorf("%d audit events of the training pages (%v)", events, err)
		}

		// An employee sees the offer and their own line, and is refused
		// every page that changes something or shows others' data.
		emp := f.login(t, "alfa.ion")
		res, body = emp.get("/training")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the employee's overview", body, "Evidența mea de instruire", `href="/training/people/`+id(ppl.People[0].ID)+`"`)
		for _, bad := range []string{`href="/training/groups"`, "Situația anului", `href="/training/settings"`} {
			if strings.Contains(body, bad) {
				t.Errorf("the employee's overview shows %q", bad)
			}
		}
		res, body = emp.get(sessURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the employee's view of the session", body, "Ion Bîrsan", "Participanți (1)")
		if strings.Contains(body, "Alfa Ștefănescu Țiței") || strings.Contains(body, "Retrage") || strings.Contains(body, `action="/training/sessions/`+id(sid)+`/state"`) {
			t.Error("the employee sees others' enrolments or the manager's buttons")
		}
		for _, path := range []string{"/training/groups", groupURL, memberURL, groupURL + "/record.xlsx", groupURL + "/record.pdf", "/training/groups/new",
			"/training/programmes/new", progURL + "/edit", "/training/sessions/new", sessURL + "/edit", sessURL + "/attendance", sessURL + "/attendance.pdf", "/training/groups/export.xlsx"} {
			res, body := emp.get(path)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		for _, path := range []string{"/training/groups", groupURL, groupURL + "/members", memberURL, "/training/programmes", progURL, "/training/sessions", sessURL,
			sessURL + "/state", sessURL + "/enrol", sessURL + "/attendance", sessURL + "/results", fmt.Sprintf("%s/enrolments/%d/withdraw", sessURL, ionE.ID)} {
			res, body := emp.post(path, url.Values{"ts_state": {"cancelled"}, "ts_people": {id(ppl.People[0].ID)}, "version": {"1"}, "tg_code": {"X"}, "tg_name": {"X"}})
			wantStatus(t, res, body, http.StatusForbidden)
		}

		// A head of unit sees the people of their units on the session.
		head := f.login(t, "alfa.dana")
		res, body = head.get(sessURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the head's view of the session", body, "Ion Bîrsan", "Alfa Ștefănescu Țiței")
		res, body = head.get("/training")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the head's overview", body, `href="/training/matrix"`, `href="/training/inductions"`)

		// The viewer reads the offer in English and nothing personal.
		viewer := f.login(t, "alfa.viewer")
		res, body = viewer.get("/training")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the English overview", body, "Training and competence", "Training programmes", "My training record")
		res, body = viewer.get("/training/programmes")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the English programme list", body, "P-MC-2026", "Quality management (ISO 9001)", "Export to Excel")
		res, body = viewer.get(progURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the English programme page", body, "16 hours", "valid for 36 months", "present on at least 50% of the days")
		res, body = viewer.get("/training/sessions")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the English session list", body, "Training sessions", "Closed")
		res, body = viewer.get(sessURL)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the viewer's session page", body, "Participants (1)", "Not completed")
		for _, path := range []string{"/training/groups", groupURL, groupURL + "/record.pdf", sessURL + "/attendance", sessURL + "/attendance.pdf"} {
			res, body := viewer.get(path)
			wantStatus(t, res, body, http.StatusForbidden)
		}
	})
}

// TestTrainingGroupPagesRenderInEnglish renders every page of this part in
// English for the quality manager.
func TestTrainingGroupPagesRenderInEnglish(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tgwSetup(t, f)
		r := tgwSeed(t, f)
		qm := f.login(t, f.A.Username)
		res, body := qm.post("/language", url.Values{"lang": {"en"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("language switch: %d %s", res.StatusCode, body)
		}
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		g, p, s := "/training/groups/"+id(r.Group.ID), "/training/programmes/"+id(r.Programme.ID), "/training/sessions/"+id(r.Session.ID)
		for path, wants := range map[string][]string{
			"/training":                       {"Training and competence", "Active target groups", "GT-ALFA", "training hours per employee"},
			"/training/groups":                {"Target groups", "GT-ALFA", "1 of 30"},
			"/training/groups/new":            {"New target group", "Members to train"},
			g:                                 {"Goals and progress", "Civil servant, management", "Female", "Master (ISCED 7)", "Add members"},
			g + "/edit":                       {"Edit target group GT-ALFA", "Share completing (%)"},
			g + "/members/" + id(r.Member.ID): {"Target group member", "Year of birth", "1980", "Mark as having left the group today"},
			"/training/programmes":            {"Training programmes", "P-ALFA"},
			"/training/programmes/new":        {"New training programme", "Pass score"},
			p:                                 {"Plan a session", "Alfa Certificat de absolvire", "valid for 36 months"},
			p + "/edit":                       {"Edit programme P-ALFA"},
			"/training/sessions":              {"Training sessions", "P-ALFA/1"},
			"/training/sessions/new":          {"New training session", "First day"},
			s:                                 {"Under way / held", "Close the session", "Attendance sheet (PDF)", "Participants (1)"},
			s + "/edit":                       {"Edit session P-ALFA/1"},
			s + "/attendance":                 {"Attendance per day", "Save attendance", "Assessment results", "a score of at least 60 passes"},
		} {
			res, body := qm.get(path)
			wantStatus(t, res, body, http.StatusOK)
			wantIn(t, path, body, wants...)
			if strings.Contains(body, "traininggroups.") || strings.Contains(body, "field.t") {
				t.Errorf("%s shows an untranslated key", path)
			}
		}
		res, raw := qm.get(s + "/attendance.pdf")
		wantStatus(t, res, "", http.StatusOK)
		for _, want := range []string{"ATTENDANCE SHEET", "Alfa Ștefănescu Țiței", "Signature", "Trainer: Alfa Formator"} {
			if !citizenPDFHas(t, []byte(raw), want) {
				t.Errorf("the English attendance sheet lacks %q", want)
			}
		}
	})
}

// tgwXLSX opens the workbook a GET sends and returns its first sheet.
func tgwXLSX(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	res, body := c.get(path)
	return citizenXLSX(t, res, body)
}

func tgwID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an id: %q", s)
	}
	return n
}
