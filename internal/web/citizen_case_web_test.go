package web

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

// citizenCaseEnv is institution A with the people of the registry's
// pages: a registry clerk, the head of A's directorate (who leads its
// sub-unit too), an employee of the sub-unit and a unit outside the
// directorate.
type citizenCaseEnv struct {
	f   *fixture
	svc *citizen.Service
	sys auth.Actor
	// Clerk, Head and Emp are usernames.
	Clerk, Head, Emp string
	EmpPerson        int64
	Other            org.Unit
}

func newCitizenCaseEnv(t *testing.T, d *db.DB) *citizenCaseEnv {
	t.Helper()
	f := newFixture(t, d)
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	e := &citizenCaseEnv{f: f, sys: sys, Clerk: "alfa.registratura", Head: "alfa.sef", Emp: "alfa.angajat",
		svc: &citizen.Service{DB: d, Clock: f.Clock, Work: &work.Service{DB: d, Clock: f.Clock}}}
	o := &org.Service{DB: d, Clock: f.Clock}
	as := &auth.Service{DB: d, Clock: f.Clock}
	var err error
	if e.Other, err = o.CreateUnit(ctx, sys, org.UnitInput{Name: "Alfa Serviciul Urbanism", Kind: org.UnitService, Relation: org.RelationOwn}); err != nil {
		t.Fatal(err)
	}
	head, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: f.A.Unit.ID, FullName: "Alfa Directoare Economică", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	emp, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: f.A.SubUnit.ID, FullName: "Alfa Inspector Țurcanu", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	e.EmpPerson = emp.ID
	for _, u := range []auth.UserInput{
		{Username: e.Clerk, DisplayName: "Alfa Registratura", Roles: []auth.Role{auth.RoleRegistryClerk}},
		{Username: e.Head, DisplayName: "Alfa Șefa", Roles: []auth.Role{auth.RoleHeadOfUnit}, PersonID: head.ID},
		{Username: e.Emp, DisplayName: "Alfa Inspector", Roles: []auth.Role{auth.RoleEmployee}, PersonID: emp.ID},
	} {
		u.Password, u.Locale = testPassword, "ro"
		if _, err := as.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// register records a case through the domain, as the system.
func (e *citizenCaseEnv) register(t *testing.T, in citizen.CaseInput) citizen.Receipt {
	t.Helper()
	if in.Kind == "" {
		in.Kind = citizen.KindPetition
	}
	if in.Channel == "" {
		in.Channel = citizen.ChannelCounter
	}
	if in.Petitioner.Name == "" {
		in.Petitioner.Name = "Ion Popescu"
	}
	in.Consent = true
	rc, err := e.svc.Register(context.Background(), e.sys, in)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func (e *citizenCaseEnv) scalar(t *testing.T, q string, args ...any) string {
	t.Helper()
	var v sql.NullString
	if err := e.f.DB.R.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v.String
}

func citizenIDText(n int64) string { return strconv.FormatInt(n, 10) }

var citizenCodeRe = regexp.MustCompile(`<code class="citizen-code">([^<]+)</code>`)

func citizenWantIn(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

func citizenWantOut(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("the page shows %q", w)
		}
	}
}

func TestCitizenCaseRegistration(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newCitizenCaseEnv(t, d)
		f := e.f
		clerk := f.login(t, e.Clerk)
		emp := f.login(t, e.Emp)

		res, body := clerk.get("/citizen/cases/new")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Înregistrarea unei petiții sau solicitări", `name="citizen_case_consent"`, "Regulamentului (UE) 2016/679", "Alfa Serviciul Buget")
		res, body = emp.get("/citizen/cases/new")
		wantStatus(t, res, body, http.StatusForbidden)

		// Bad input: the summary names the field, what was typed stays,
		// nothing is saved.
		bad := url.Values{"citizen_case_kind": {citizen.KindPetition}, "citizen_case_channel": {citizen.ChannelPost},
			"citizen_case_name": {"Maria Ionescu"}, "citizen_case_subject": {""}, "citizen_case_body": {"Alfa text păstrat la eroare"},
			"citizen_case_unit": {citizenIDText(f.A.SubUnit.ID)}}
		res, body = clerk.post("/citizen/cases", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, "error-summary", `href="#f-citizen_case_subject"`, "Subiectul", "Alfa text păstrat la eroare", `value="Maria Ionescu"`)
		if n := e.scalar(t, `SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1`, f.A.Inst.ID); n != "0" {
			t.Fatalf("a refused registration saved %s cases", n)
		}
		// An employee may not register even by posting.
		good := url.Values{"citizen_case_kind": {citizen.KindPetition}, "citizen_case_channel": {citizen.ChannelCounter},
			"citizen_case_name": {"Maria <b>Ionescu</b>"}, "citizen_case_email": {"maria@example.ro"}, "citizen_case_consent": {"1"},
			"citizen_case_subject": {`<script>alert("x")</script> Groapă în asfalt pe strada Morii`}, "citizen_case_body": {"Vă rog să reparați."},
			"citizen_case_topic": {"transport"}, "citizen_case_unit": {citizenIDText(f.A.SubUnit.ID)}}
		res, body = emp.post("/citizen/cases", good)
		wantStatus(t, res, body, http.StatusForbidden)

		before := auditCount(t, d, f.A.Inst.ID)
		res, body = clerk.post("/citizen/cases", good)
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Confirmarea înregistrării", "1/2026", "&lt;script&gt;", "Maria &lt;b&gt;Ionescu&lt;/b&gt;", "23 decembrie 2026",
			"/public/"+f.A.Inst.CUI+"/status", "Codul de acces se afișează o singură dată")
		citizenWantOut(t, body, "<script>alert", "<b>Ionescu")
		m := citizenCodeRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the receipt shows no access code")
		}
		code := m[1]
		if after := auditCount(t, d, f.A.Inst.ID); after <= before {
			t.Error("the registration left no audit event")
		}
		// The code shown opens this case, and only with its number.
		ctx := context.Background()
		st, err := f.Srv.citizen.Status(ctx, f.A.Inst.ID, "1/2026", code)
		if err != nil || !strings.Contains(st.Subject, "Groapă în asfalt") {
			t.Fatalf("the receipt's code does not open the case: %+v %v", st, err)
		}
		if _, err := f.Srv.citizen.Status(ctx, f.A.Inst.ID, "2/2026", code); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("the code opened another number: %v", err)
		}
		if got := e.scalar(t, `SELECT consent_version FROM citizen_cases WHERE tenant_id = $1`, f.A.Inst.ID); got != citizen.ConsentVersion {
			t.Errorf("consent version %q", got)
		}
		// The registered case is in the list with its petitioner, escaped.
		res, body = clerk.get("/citizen/cases")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "1/2026", "&lt;script&gt;", "Maria &lt;b&gt;Ionescu&lt;/b&gt;")
		citizenWantOut(t, body, "<script>alert")

		// In English.
		res, _ = clerk.post("/language", url.Values{"lang": {"en"}, "back": {"/citizen/cases/new"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		res, body = clerk.get("/citizen/cases/new")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Register a petition or request", "Regulation (EU) 2016/679", "Petitioner")
		res, body = clerk.post("/citizen/cases", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, "Check the marked fields", `href="#f-citizen_case_subject"`)
	})
}

func TestCitizenCaseActions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newCitizenCaseEnv(t, d)
		f := e.f
		clerk := f.login(t, e.Clerk)
		emp := f.login(t, e.Emp)
		viewer := f.login(t, "alfa.viewer")
		p1 := e.register(t, citizen.CaseInput{Subject: "Alfa Impozit calculat greșit", UnitID: f.A.SubUnit.ID})
		i1 := e.register(t, citizen.CaseInput{Kind: citizen.KindInfo, Topic: "contracts", Subject: "Alfa Contractele de salubrizare",
			UnitID: f.A.SubUnit.ID, AssigneeID: f.A.Person.ID})
		path := func(c citizen.Case) string { return "/citizen/cases/" + citizenIDText(c.ID) }

		// The clerk is offered every form of an open petition.
		res, body := clerk.get(path(p1.Case))
		wantStatus(t, res, body, http.StatusOK)
		for _, act := range []string{"assign", "extend", "redirect", "answer", "file", "code"} {
			citizenWantIn(t, body, `action="`+path(p1.Case)+"/"+act+`"`)
		}
		citizenWantIn(t, body, "30 de zile de la înregistrare (OG nr. 27/2002, art. 8)", "mai sunt 30 de zile", "Ion Popescu")
		citizenWantOut(t, body, "/complaint\"")
		// An employee not assigned does not see it, and cannot act on it.
		res, body = emp.get(path(p1.Case))
		wantStatus(t, res, body, http.StatusNotFound)
		res, body = emp.post(path(p1.Case)+"/answer", url.Values{"citizen_case_answer_kind": {citizen.AnswerFavourable}, "citizen_case_answer": {"Nu"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusNotFound)
		for _, act := range []string{"assign", "extend", "redirect", "file", "complaint", "code"} {
			res, body = emp.post(path(p1.Case)+"/"+act, url.Values{"citizen_case_assign_unit": {citizenIDText(f.A.SubUnit.ID)},
				"citizen_case_assign_person": {citizenIDText(e.EmpPerson)}, "citizen_case_ext_days": {"5"}, "citizen_case_ext_reason": {"Nu"},
				"citizen_case_ext_notice": {"2026-11-23"}, "citizen_case_redirect_to": {"Nu"}, "citizen_case_file_reason": {"Nu"},
				"citizen_case_complaint": {"pending"}, "version": {"1"}})
			if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s by an employee not assigned: status %d", act, res.StatusCode)
			}
		}
		if got := e.scalar(t, `SELECT version FROM citizen_cases WHERE id = $1`, p1.Case.ID); got != "1" {
			t.Fatalf("the employee's requests changed the case: version %s", got)
		}
		// The viewer sees only the request assigned to them, with the
		// answer form alone, in English.
		res, body = viewer.get(path(p1.Case))
		wantStatus(t, res, body, http.StatusNotFound)
		res, body = viewer.get(path(i1.Case))
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, `action="`+path(i1.Case)+`/answer"`, "10 days from registration (Law 544/2001, art. 7(1))", "10 days left")
		citizenWantOut(t, body, "/assign\"", "/file\"", "/code\"", "/redirect\"")
		res, body = viewer.post(path(i1.Case)+"/file", url.Values{"citizen_case_file_reason": {"Nu"}, "version": {"1"}})
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusConflict {
			t.Fatalf("the viewer filed a case away: status %d", res.StatusCode)
		}

		// Assigned to the employee: their task moves with it.
		res, body = clerk.post(path(p1.Case)+"/assign", url.Values{"citizen_case_assign_unit": {citizenIDText(f.A.SubUnit.ID)},
			"citizen_case_assign_person": {citizenIDText(e.EmpPerson)}, "version": {strconv.Itoa(p1.Case.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if got := e.scalar(t, `SELECT assignee_id FROM citizen_cases WHERE id = $1`, p1.Case.ID); got != citizenIDText(e.EmpPerson) {
			t.Fatalf("assignee %s", got)
		}
		if n := e.scalar(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'citizen_case' AND entity_id = $1 AND person_id = $2 AND state = 'open'`, p1.Case.ID, e.EmpPerson); n != "1" {
			t.Fatalf("the employee has %s open tasks for the case", n)
		}
		v := 2
		// Extension: 20 days is too many; the reason typed stays.
		res, body = clerk.post(path(p1.Case)+"/extend", url.Values{"citizen_case_ext_days": {"20"}, "citizen_case_ext_reason": {"Alfa verificări pe teren"},
			"citizen_case_ext_notice": {"2026-11-23"}, "version": {strconv.Itoa(v)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, `href="#f-citizen_case_ext_days"`, "Alfa verificări pe teren", `aria-invalid="true"`)
		res, body = clerk.post(path(p1.Case)+"/extend", url.Values{"citizen_case_ext_days": {"10"}, "citizen_case_ext_reason": {"Alfa verificări pe teren"},
			"citizen_case_ext_notice": {"2026-11-23"}, "version": {strconv.Itoa(v)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		v++
		if got := e.scalar(t, `SELECT due_on FROM citizen_cases WHERE id = $1`, p1.Case.ID); got != "2027-01-04" {
			t.Errorf("extended deadline %s, want 2027-01-04 (2 January 2027 is a holiday, then a Sunday)", got)
		}
		res, body = emp.get(path(p1.Case))
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Prelungit cu 10 zile", "Alfa verificări pe teren", `action="`+path(p1.Case)+`/answer"`)
		citizenWantOut(t, body, "/assign\"", "/file\"")

		// An answer from a page loaded before the extension is stale: the
		// typed text stays.
		res, body = emp.post(path(p1.Case)+"/answer", url.Values{"citizen_case_answer_kind": {citizen.AnswerFavourable},
			"citizen_case_answer": {"Alfa impozitul a fost recalculat"}, "citizen_case_answered_on": {"2026-11-23"}, "version": {strconv.Itoa(v - 1)}})
		wantStatus(t, res, body, http.StatusConflict)
		citizenWantIn(t, body, "Înregistrarea a fost modificată între timp", "Alfa impozitul a fost recalculat")
		// A bad date is refused with the field named.
		res, body = emp.post(path(p1.Case)+"/answer", url.Values{"citizen_case_answer_kind": {citizen.AnswerFavourable},
			"citizen_case_answer": {"Alfa impozitul a fost recalculat"}, "citizen_case_answered_on": {"23.11"}, "version": {strconv.Itoa(v)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, `href="#f-citizen_case_answered_on"`)
		res, body = emp.post(path(p1.Case)+"/answer", url.Values{"citizen_case_answer_kind": {citizen.AnswerFavourable},
			"citizen_case_answer": {"Alfa impozitul a fost recalculat"}, "citizen_case_answered_on": {"2026-11-23"}, "version": {strconv.Itoa(v)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if got := e.scalar(t, `SELECT state FROM citizen_cases WHERE id = $1`, p1.Case.ID); got != citizen.StateAnswered {
			t.Fatalf("state %s after the answer", got)
		}
		res, body = emp.get(path(p1.Case))
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Soluționată favorabil", "Alfa impozitul a fost recalculat", "în termen", "Nr. "+p1.Case.Number+": răspunsul a fost înregistrat.")
		citizenWantOut(t, body, `action="`+path(p1.Case)+`/answer"`)

		// The viewer answers the request assigned to them; the clerk then
		// records an administrative complaint against the answer.
		res, body = viewer.post(path(i1.Case)+"/answer", url.Values{"citizen_case_answer_kind": {citizen.AnswerProvided},
			"citizen_case_answer": {"Contractele sunt publicate."}, "version": {strconv.Itoa(i1.Case.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = clerk.get(path(i1.Case))
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, `action="`+path(i1.Case)+`/complaint"`)
		res, body = clerk.post(path(i1.Case)+"/complaint", url.Values{"citizen_case_complaint": {"upheld-ish"}, "version": {strconv.Itoa(i1.Case.Version + 1)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, `href="#f-citizen_case_complaint"`)
		res, body = clerk.post(path(i1.Case)+"/complaint", url.Values{"citizen_case_complaint": {citizen.ComplaintPending}, "version": {strconv.Itoa(i1.Case.Version + 1)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if got := e.scalar(t, `SELECT complaint FROM citizen_cases WHERE id = $1`, i1.Case.ID); got != citizen.ComplaintPending {
			t.Errorf("complaint %q", got)
		}

		// A new access code: shown once; the old one stops working.
		res, body = emp.post(path(p1.Case)+"/code", url.Values{})
		wantStatus(t, res, body, http.StatusForbidden)
		res, body = clerk.post(path(p1.Case)+"/code", url.Values{})
		wantStatus(t, res, body, http.StatusOK)
		m := citizenCodeRe.FindStringSubmatch(body)
		if m == nil || m[1] == p1.AccessCode {
			t.Fatal("no new access code shown")
		}
		ctx := context.Background()
		if _, err := f.Srv.citizen.Status(ctx, f.A.Inst.ID, p1.Case.Number, p1.AccessCode); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("the old code still works: %v", err)
		}
		if _, err := f.Srv.citizen.Status(ctx, f.A.Inst.ID, p1.Case.Number, m[1]); err != nil {
			t.Errorf("the new code does not work: %v", err)
		}

		// Redirected to the competent institution; filed away.
		p2 := e.register(t, citizen.CaseInput{Subject: "Alfa Drum județean", UnitID: f.A.SubUnit.ID})
		res, body = clerk.post(path(p2.Case)+"/redirect", url.Values{"citizen_case_redirect_to": {""}, "citizen_case_redirected_on": {"2026-11-23"},
			"citizen_case_redirect_notice": {"2026-11-23"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, `href="#f-citizen_case_redirect_to"`)
		res, body = clerk.post(path(p2.Case)+"/redirect", url.Values{"citizen_case_redirect_to": {"Consiliul Județean Mureș"}, "citizen_case_redirected_on": {"2026-11-23"},
			"citizen_case_redirect_notice": {"2026-11-23"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		p3 := e.register(t, citizen.CaseInput{Subject: "Alfa Petiție repetată", UnitID: f.A.SubUnit.ID})
		res, body = clerk.post(path(p3.Case)+"/file", url.Values{"citizen_case_file_reason": {""}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		citizenWantIn(t, body, `href="#f-citizen_case_file_reason"`)
		res, body = clerk.post(path(p3.Case)+"/file", url.Values{"citizen_case_file_reason": {"Repetă petiția nr. 1/2026, la care s-a răspuns."}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		for c, want := range map[int64]string{p2.Case.ID: citizen.StateRedirected, p3.Case.ID: citizen.StateFiled} {
			if got := e.scalar(t, `SELECT state FROM citizen_cases WHERE id = $1`, c); got != want {
				t.Errorf("case %d is %s, want %s", c, got, want)
			}
		}
		res, body = clerk.get(path(p2.Case))
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Consiliul Județean Mureș", "Redirecționată", "Istoric")
	})
}

func TestCitizenCaseListFiltersAndExport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newCitizenCaseEnv(t, d)
		f := e.f
		clerk := f.login(t, e.Clerk)
		head := f.login(t, e.Head)
		// Registered on 1 September: due 1 October, overdue today.
		f.Clock.Set(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
		old := e.register(t, citizen.CaseInput{Subject: "Alfa Groapă în asfalt", Topic: "transport", UnitID: f.A.SubUnit.ID})
		f.Clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		info := e.register(t, citizen.CaseInput{Kind: citizen.KindInfo, Channel: citizen.ChannelEmail, Topic: "contracts",
			Subject: "Alfa Lista contractelor", UnitID: e.Other.ID, Petitioner: citizen.Petitioner{Name: "Ana Pop", Email: "ana@example.ro"}})
		pet := e.register(t, citizen.CaseInput{Subject: "Alfa Zgomot în parc", Topic: "public_order", UnitID: f.A.SubUnit.ID,
			Petitioner: citizen.Petitioner{Name: "Elena Țăran"}})

		res, body := clerk.get("/citizen/cases")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, old.Case.Number, info.Case.Number, pet.Case.Number, `class="citizen-overdue"`, "depășit cu 53 de zile", "Elena Țăran",
			`aria-sort="none"`)
		list := func(q string) string {
			t.Helper()
			res, body := clerk.get("/citizen/cases?" + q)
			wantStatus(t, res, body, http.StatusOK)
			return body
		}
		cases := []struct {
			query    string
			want     []string
			unwanted []string
		}{
			{"kind=info", []string{"Alfa Lista contractelor"}, []string{"Alfa Groapă", "Alfa Zgomot"}},
			{"overdue=1", []string{"Alfa Groapă"}, []string{"Alfa Lista", "Alfa Zgomot"}},
			{"state=open&channel=email", []string{"Alfa Lista"}, []string{"Alfa Groapă", "Alfa Zgomot"}},
			{"topic=public_order", []string{"Alfa Zgomot"}, []string{"Alfa Groapă", "Alfa Lista"}},
			{"q=groapa", []string{"Alfa Groapă"}, []string{"Alfa Lista", "Alfa Zgomot"}},
			{"q=taran", []string{"Alfa Zgomot"}, []string{"Alfa Lista", "Alfa Groapă"}},
			{"unit=" + citizenIDText(f.A.Unit.ID), []string{"Alfa Groapă", "Alfa Zgomot"}, []string{"Alfa Lista"}},
			{"from=2026-11-01&to=2026-11-30", []string{"Alfa Lista", "Alfa Zgomot"}, []string{"Alfa Groapă"}},
			{"year=2025", []string{"Nicio petiție sau solicitare nu corespunde filtrelor."}, []string{"Alfa Groapă", "Alfa Lista"}},
		}
		for _, c := range cases {
			body := list(c.query)
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: lacks %q", c.query, w)
				}
			}
			for _, w := range c.unwanted {
				if strings.Contains(body, w) {
					t.Errorf("%s: shows %q", c.query, w)
				}
			}
		}
		// Sorting by number both ways, and by deadline.
		order := func(body string, subjects ...string) bool {
			last := -1
			for _, s := range subjects {
				i := strings.Index(body, s)
				if i < last || i < 0 {
					return false
				}
				last = i
			}
			return true
		}
		if b := list("sort=number"); !order(b, "Alfa Groapă", "Alfa Lista", "Alfa Zgomot") || !strings.Contains(b, `aria-sort="ascending"`) {
			t.Error("sort=number is not ascending")
		}
		if b := list("sort=-number"); !order(b, "Alfa Zgomot", "Alfa Lista", "Alfa Groapă") || !strings.Contains(b, `aria-sort="descending"`) {
			t.Error("sort=-number is not descending")
		}
		if b := list("sort=due"); !order(b, "Alfa Groapă", "Alfa Lista", "Alfa Zgomot") {
			t.Error("sort=due does not put the soonest deadline first")
		}

		// A saved filter of the registry brings the list back.
		res, body = clerk.post("/filters", url.Values{"list": {"cases"}, "name": {"Alfa Solicitări deschise"}, "query": {"kind=info&state=open"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/citizen/cases?kind=info&state=open" {
			t.Errorf("the saved filter leads to %q", loc)
		}
		citizenWantIn(t, list(""), "Alfa Solicitări deschise")

		// The export has the filtered rows.
		res, body = clerk.get("/citizen/cases/export.xlsx?state=open&kind=petition&sort=number")
		wantStatus(t, res, body, http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "Nr. înregistrare" || rows[1][0] != old.Case.Number || rows[2][0] != pet.Case.Number || rows[1][12] != "Da" {
			t.Fatalf("export rows %q", rows)
		}

		// The head of the directorate sees its units' cases only.
		res, body = head.get("/citizen/cases")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Alfa Groapă", "Alfa Zgomot")
		citizenWantOut(t, body, "Alfa Lista contractelor")
		res, body = head.get("/citizen/cases/" + citizenIDText(info.Case.ID))
		wantStatus(t, res, body, http.StatusNotFound)
		res, body = head.get("/citizen/cases/" + citizenIDText(pet.Case.ID))
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, `/assign"`, `/answer"`)
		citizenWantOut(t, body, `/file"`)

		// The overview: the clerk's whole registry; the head's units.
		res, body = clerk.get("/citizen")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Servicii pentru cetățeni", "/public/"+f.A.Inst.CUI, `href="/citizen/cases/new"`, "Alfa Groapă", "depășit cu 53 de zile",
			`<strong>3</strong> fără răspuns`, `<strong>1</strong> cu termenul depășit`)
		citizenWantOut(t, body, `href="/citizen/settings"`)
		res, body = head.get("/citizen")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, `<strong>2</strong> fără răspuns`, `href="/citizen/services"`)
		citizenWantOut(t, body, "Alfa Lista contractelor", `href="/citizen/cases/new"`, `href="/citizen/reports"`)
		viewer := f.login(t, "alfa.viewer")
		res, body = viewer.get("/citizen")
		wantStatus(t, res, body, http.StatusOK)
		citizenWantIn(t, body, "Citizen services", "Soonest deadlines", `<strong>0</strong> awaiting an answer`)
		citizenWantOut(t, body, "Alfa Groapă")
	})
}
