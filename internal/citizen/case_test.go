package citizen_test

import (
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

var codeShape = regexp.MustCompile(`^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$`)

func TestPetitionLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		// Registered on Monday 23 November 2026 for the tax service, no
		// person yet: due 23 December (30 days), the head of the tax
		// service has the task.
		r := e.petition(t, "Impozit calculat greșit pentru locuința din str. Morii", e.tax, 0)
		c := r.Case
		if c.Number != "1/2026" || c.State != citizen.StateAssigned || c.DueOn.Format(time.DateOnly) != "2026-12-23" || !c.BaseDueOn.Equal(c.DueOn) {
			t.Fatalf("registered %+v", c)
		}
		if !codeShape.MatchString(r.AccessCode) {
			t.Fatalf("access code %q", r.AccessCode)
		}
		if c.ConsentAt == nil || c.ConsentVersion != citizen.ConsentVersion {
			t.Errorf("consent not recorded: %v %q", c.ConsentAt, c.ConsentVersion)
		}
		if got := e.openTasks(t, c.ID); len(got) != 1 || got[0].Role != string(auth.RoleHeadOfUnit) || got[0].UnitID != e.tax || got[0].Due != "2026-12-23" || got[0].Kind != "answer" {
			t.Fatalf("tasks after registration: %+v", got)
		}

		// Assigned to Ema: the task moves to her.
		c = must(e.svc.Assign(ctx, e.clerk, c.ID, citizen.AssignInput{AssigneeID: e.ema, Version: c.Version}))(t)
		if c.AssigneeID != e.ema || c.UnitID != e.tax || c.State != citizen.StateAssigned {
			t.Fatalf("assigned %+v", c)
		}
		if got := e.openTasks(t, c.ID); len(got) != 1 || got[0].PersonID != e.ema {
			t.Fatalf("tasks after assignment: %+v", got)
		}
		// A stale version is refused.
		_, err := e.svc.Assign(ctx, e.clerk, c.ID, citizen.AssignInput{AssigneeID: e.ion, Version: c.Version - 1})
		wantConflict(t, err, "error.stale")

		// Extended by 10 days on 1 December: 40 days from 23 November is
		// Saturday 2 January 2027, also a holiday, then Sunday: Monday 4
		// January. The task moves with it.
		e.at(t, "2026-12-01")
		_, err = e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Days: 16, Reason: "Verificări la ANAF", NoticeOn: date("2026-12-01"), Version: c.Version})
		wantKey(t, err, citizen.FieldDays, "citizen.reg.error.extension_days")
		_, err = e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Days: 10, Reason: "", NoticeOn: date("2026-12-02"), Version: c.Version})
		wantKey(t, err, citizen.FieldReason, "error.required")
		wantKey(t, err, citizen.FieldNoticeOn, "citizen.reg.error.future")
		_, err = e.svc.Extend(ctx, e.emp, c.ID, citizen.ExtendInput{Days: 10, Reason: "Verificări", NoticeOn: date("2026-12-01"), Version: c.Version})
		wantKind(t, err, apperr.KindForbidden)
		c = must(e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Days: 10, Reason: "Verificări la ANAF", NoticeOn: date("2026-12-01"), Version: c.Version}))(t)
		if c.DueOn.Format(time.DateOnly) != "2027-01-04" || c.BaseDueOn.Format(time.DateOnly) != "2026-12-23" || c.ExtensionDays != 10 || !c.Extended() {
			t.Fatalf("extended %+v", c)
		}
		if got := e.openTasks(t, c.ID); len(got) != 1 || got[0].PersonID != e.ema || got[0].Due != "2027-01-04" {
			t.Fatalf("tasks after extension: %+v", got)
		}
		_, err = e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Days: 5, Reason: "Din nou", NoticeOn: date("2026-12-01"), Version: c.Version})
		wantConflict(t, err, "citizen.reg.error.extended")

		// Ema answers on 28 December: 35 days, on time; the task is done.
		e.at(t, "2026-12-28")
		_, err = e.svc.Answer(ctx, e.emp, c.ID, citizen.AnswerInput{Kind: citizen.AnswerProvided, Answer: "Impozitul a fost recalculat.", Version: c.Version})
		wantKey(t, err, citizen.FieldAnswerKind, "error.choice")
		_, err = e.svc.Answer(ctx, e.emp, c.ID, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Recalculat.", AnsweredOn: date("2026-12-29"), Version: c.Version})
		wantKey(t, err, citizen.FieldAnsweredOn, "citizen.reg.error.future")
		_, err = e.svc.Answer(ctx, e.emp, c.ID, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Recalculat.", AnsweredOn: date("2026-11-20"), Version: c.Version})
		wantKey(t, err, citizen.FieldAnsweredOn, "citizen.reg.error.before_registration")
		// Ion, of the same service but not assigned, may not answer: he
		// does not even see the case.
		_, err = e.svc.Answer(ctx, e.emp2, c.ID, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Recalculat.", Version: c.Version})
		wantKind(t, err, apperr.KindNotFound)
		c = must(e.svc.Answer(ctx, e.emp, c.ID, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Impozitul a fost recalculat.", Version: c.Version}))(t)
		if c.State != citizen.StateAnswered || c.ClosedOn.Format(time.DateOnly) != "2026-12-28" || c.DaysTaken == nil || *c.DaysTaken != 35 || c.OnTime == nil || !*c.OnTime {
			t.Fatalf("answered %+v", c)
		}
		if got := e.openTasks(t, c.ID); len(got) != 0 {
			t.Fatalf("tasks after answer: %+v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'citizen_case' AND entity_id = $1 AND state = 'done'`, c.ID); n != 1 {
			t.Errorf("done tasks = %d, want 1", n)
		}
		_, err = e.svc.Answer(ctx, e.clerk, c.ID, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Din nou.", Version: c.Version})
		wantConflict(t, err, "workflow.error.transition")
		// Register, assign, extend, answer: four events on the case.
		if n := e.events(t, citizen.EntityCase, c.ID); n != 4 {
			t.Errorf("audit events on the case = %d, want 4", n)
		}
	})
}

func TestRegisterVariants(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		// No unit: registered, the registry has the task to assign it.
		r := e.petition(t, "Groapă în asfalt", 0, 0)
		if r.Case.State != citizen.StateRegistered {
			t.Fatalf("state %s", r.Case.State)
		}
		if got := e.openTasks(t, r.Case.ID); len(got) != 1 || got[0].Role != string(auth.RoleRegistryClerk) {
			t.Fatalf("tasks %+v", got)
		}
		// A person with no unit named: the case goes to their unit.
		r2 := e.petition(t, "Taxă de salubrizare", 0, e.ion)
		if r2.Case.UnitID != e.tax || r2.Case.State != citizen.StateAssigned {
			t.Fatalf("case %+v", r2.Case)
		}
		// Anonymous: filed away at once, no code, no task.
		anon := must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelPost,
			Subject: "Reclamație fără semnătură", Petitioner: citizen.Petitioner{Email: "x@example.com"}, UnitID: e.tax}))(t)
		if anon.Case.State != citizen.StateFiled || anon.AccessCode != "" || anon.Case.Answer != citizen.FiledAnonymous ||
			anon.Case.Petitioner.Email != "" || anon.Case.UnitID != 0 || anon.Case.OnTime == nil || !*anon.Case.OnTime {
			t.Fatalf("anonymous %+v / %q", anon.Case, anon.AccessCode)
		}
		if got := e.openTasks(t, anon.Case.ID); len(got) != 0 {
			t.Fatalf("anonymous has tasks %+v", got)
		}
		// An application for a service: its legal days (15) and its unit.
		svc := e.service(t, e.tenantA, "URB-CU", "Certificat de urbanism", e.urban, 15, true)
		app := must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindService, Channel: citizen.ChannelCounter, ServiceID: svc,
			Petitioner: citizen.Petitioner{Name: "SC Construct SRL", LegalPerson: true}, Subject: "Certificat de urbanism, str. Lungă 4"}))(t)
		// 23 November + 15 = 8 December 2026, a Tuesday.
		if app.Case.UnitID != e.urban || app.Case.DueOn.Format(time.DateOnly) != "2026-12-08" || app.Case.ServiceCode != "URB-CU" {
			t.Fatalf("application %+v", app.Case)
		}
		// Request for information (10 days), registered as complex: 30.
		info := must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindInfo, Channel: citizen.ChannelEmail, Complex: true,
			Petitioner: citizen.Petitioner{Name: "Ziarul Local", Email: "redactia@ziar.ro"}, Subject: "Contracte 2025", Topic: "contracts"}))(t)
		if info.Case.DueOn.Format(time.DateOnly) != "2026-12-23" || !info.Case.Complex {
			t.Fatalf("info %+v", info.Case)
		}
		// Only the registry registers.
		_, err := e.svc.Register(ctx, e.emp, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter, Petitioner: citizen.Petitioner{Name: "X"}, Subject: "Y"})
		wantKind(t, err, apperr.KindForbidden)
		// Numbers follow one another.
		for i, n := range []string{r.Case.Number, r2.Case.Number, anon.Case.Number, app.Case.Number, info.Case.Number} {
			if want := fmt.Sprintf("%d/2026", i+1); n != want {
				t.Errorf("number %d = %s, want %s", i, n, want)
			}
		}
		// With the shift off, a deadline stays on its day off: 25 November
		// + 30 = Friday 25 December.
		must(e.svc.SaveSettings(ctx, e.qm, citizen.Settings{ShiftToWorking: false, PublicEnabled: true}))(t)
		e.at(t, "2026-11-25")
		if c := e.petition(t, "Iluminat public", e.tax, 0).Case; c.DueOn.Format(time.DateOnly) != "2026-12-25" {
			t.Errorf("unshifted due %s", c.DueOn.Format(time.DateOnly))
		}
	})
}

func TestRegisterValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		long := func(n int) string { return string(make([]rune, 0)) + fmt.Sprintf("%0*d", n, 0) }
		inactive := e.service(t, e.tenantA, "OLD", "Serviciu vechi", 0, 30, false)
		svcB := e.service(t, e.tenantB, "B-1", "Serviciu B", 0, 30, true)
		for _, c := range []struct {
			name       string
			in         citizen.CaseInput
			field, key string
		}{
			{"no kind", citizen.CaseInput{Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S"}, citizen.FieldKind, "error.choice"},
			{"no channel", citizen.CaseInput{Kind: "petition", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S"}, citizen.FieldChannel, "error.choice"},
			{"no subject", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}}, citizen.FieldSubject, "error.required"},
			{"subject too long", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: long(301)}, citizen.FieldSubject, "error.too_long"},
			{"body too long", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S", Body: long(20_001)}, citizen.FieldBody, "error.too_long"},
			{"name too long", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: long(201)}, Subject: "S"}, citizen.FieldName, "error.too_long"},
			{"info needs a name", citizen.CaseInput{Kind: "info", Channel: "counter", Subject: "S"}, citizen.FieldName, "error.required"},
			{"e-mail needs an address", citizen.CaseInput{Kind: "petition", Channel: "email", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S"}, citizen.FieldEmail, "citizen.reg.error.email_required"},
			{"bad e-mail", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A", Email: "nu-e-adresa"}, Subject: "S"}, citizen.FieldEmail, "error.email"},
			{"bad phone", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A", Phone: "sunați-mă"}, Subject: "S"}, citizen.FieldPhone, "error.phone"},
			{"topic of another kind", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S", Topic: "contracts"}, citizen.FieldTopic, "error.choice"},
			{"service needs a service", citizen.CaseInput{Kind: "service", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S"}, citizen.FieldService, "citizen.reg.error.service_required"},
			{"inactive service", citizen.CaseInput{Kind: "service", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S", ServiceID: inactive}, citizen.FieldService, "citizen.reg.error.service_inactive"},
			{"another institution's service", citizen.CaseInput{Kind: "service", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S", ServiceID: svcB}, citizen.FieldService, "error.choice"},
			{"another institution's unit", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S", UnitID: e.unitB}, citizen.FieldUnit, "error.choice"},
			{"another institution's person", citizen.CaseInput{Kind: "petition", Channel: "counter", Petitioner: citizen.Petitioner{Name: "A"}, Subject: "S", AssigneeID: e.bob}, citizen.FieldAssignee, "error.choice"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.Register(ctx, e.clerk, c.in)
				wantKey(t, err, c.field, c.key)
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM citizen_cases`); n != 0 {
			t.Errorf("%d cases saved by invalid input", n)
		}
	})
}

func TestInformationRequest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		reg := func() citizen.Case {
			return must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindInfo, Channel: citizen.ChannelEmail, UnitID: e.econ,
				Petitioner: citizen.Petitioner{Name: "Ziarul Local", Email: "redactia@ziar.ro"}, Subject: "Bugetul pe 2026", Topic: "public_money"}))(t).Case
		}
		// Registered Monday 23 November: due Thursday 3 December.
		c := reg()
		if c.DueOn.Format(time.DateOnly) != "2026-12-03" {
			t.Fatalf("due %s", c.DueOn.Format(time.DateOnly))
		}
		// The notice of the extension must be dated within 10 days of
		// registration (by 3 December).
		e.at(t, "2026-12-04")
		_, err := e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Reason: "Volum mare", NoticeOn: date("2026-12-04"), Version: c.Version})
		wantKey(t, err, citizen.FieldNoticeOn, "citizen.reg.error.info_notice_late")
		// Dated 3 December it is accepted: complex, 30 days, 23 December.
		c = must(e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Reason: "Volum mare", NoticeOn: date("2026-12-03"), Version: c.Version}))(t)
		if !c.Complex || c.DueOn.Format(time.DateOnly) != "2026-12-23" || !c.Extended() {
			t.Fatalf("extended %+v", c)
		}
		_, err = e.svc.Extend(ctx, e.clerk, c.ID, citizen.ExtendInput{Reason: "Din nou", NoticeOn: date("2026-12-03"), Version: c.Version})
		wantConflict(t, err, "citizen.reg.error.extended")

		// A refusal counts on time within 5 days (by 2 December, after the
		// weekend and two holidays): refused on 4 December it is late.
		c = must(e.svc.Answer(ctx, e.clerk, c.ID, citizen.AnswerInput{Kind: citizen.AnswerRefused, Answer: "Informație exceptată (art. 12).", Version: c.Version}))(t)
		if c.State != citizen.StateRefused || c.OnTime == nil || *c.OnTime || *c.DaysTaken != 11 {
			t.Fatalf("refused %+v", c)
		}
		// An administrative complaint, then its outcome.
		_, err = e.svc.SetComplaint(ctx, e.clerk, c.ID, "maybe", c.Version)
		wantKey(t, err, citizen.FieldComplaint, "error.choice")
		c = must(e.svc.SetComplaint(ctx, e.clerk, c.ID, citizen.ComplaintPending, c.Version))(t)
		c = must(e.svc.SetComplaint(ctx, e.clerk, c.ID, citizen.ComplaintRejected, c.Version))(t)
		if c.Complaint != citizen.ComplaintRejected {
			t.Fatalf("complaint %q", c.Complaint)
		}
		_, err = e.svc.SetComplaint(ctx, e.clerk, c.ID, citizen.ComplaintUpheld, c.Version-1)
		wantConflict(t, err, "error.stale")

		// Refused on 2 December, another request is on time.
		e.at(t, "2026-11-23")
		c2 := reg()
		e.at(t, "2026-12-02")
		c2 = must(e.svc.Answer(ctx, e.head, c2.ID, citizen.AnswerInput{Kind: citizen.AnswerRefused, Answer: "Exceptată.", Version: c2.Version}))(t)
		if !*c2.OnTime {
			t.Errorf("refusal on 2 December is late")
		}
		// A complaint needs an answered request for information.
		p := e.petition(t, "Petiție", e.tax, 0).Case
		_, err = e.svc.SetComplaint(ctx, e.clerk, p.ID, citizen.ComplaintPending, p.Version)
		wantConflict(t, err, "citizen.reg.error.no_complaint")
		// A petition cannot be "refused".
		_, err = e.svc.Answer(ctx, e.clerk, p.ID, citizen.AnswerInput{Kind: citizen.AnswerRefused, Answer: "x", Version: p.Version})
		wantKey(t, err, citizen.FieldAnswerKind, "error.choice")
	})
}

func TestRedirectAndFile(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		// Redirected within 5 days (by 2 December): on time.
		p := e.petition(t, "Drum județean", e.tax, e.ema).Case
		e.at(t, "2026-11-27")
		_, err := e.svc.Redirect(ctx, e.clerk, p.ID, citizen.RedirectInput{Version: p.Version})
		wantKey(t, err, citizen.FieldTo, "error.required")
		wantKey(t, err, citizen.FieldNoticeOn, "error.required")
		p = must(e.svc.Redirect(ctx, e.clerk, p.ID, citizen.RedirectInput{To: "Consiliul Județean Mureș", NoticeOn: date("2026-11-27"), Version: p.Version}))(t)
		if p.State != citizen.StateRedirected || !*p.OnTime || p.RedirectedTo != "Consiliul Județean Mureș" || len(e.openTasks(t, p.ID)) != 0 {
			t.Fatalf("redirected %+v", p)
		}
		// Redirected on 3 December: late.
		e.at(t, "2026-11-23")
		p2 := e.petition(t, "Apă potabilă", e.tax, 0).Case
		e.at(t, "2026-12-03")
		p2 = must(e.svc.Redirect(ctx, e.clerk, p2.ID, citizen.RedirectInput{To: "Compania Aquaserv", NoticeOn: date("2026-12-03"), Version: p2.Version}))(t)
		if *p2.OnTime {
			t.Errorf("redirect after 10 days counted on time")
		}
		// An application is not redirected.
		svc := e.service(t, e.tenantA, "TAX-CAF", "Certificat de atestare fiscală", e.tax, 2, true)
		app := must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindService, Channel: citizen.ChannelCounter, ServiceID: svc,
			Petitioner: citizen.Petitioner{Name: "Ion Vlad"}, Subject: "Certificat fiscal"}))(t).Case
		_, err = e.svc.Redirect(ctx, e.clerk, app.ID, citizen.RedirectInput{To: "ANAF", NoticeOn: date("2026-12-03"), Version: app.Version})
		wantConflict(t, err, "citizen.reg.error.no_redirect")
		_, err = e.svc.Extend(ctx, e.clerk, app.ID, citizen.ExtendInput{Days: 5, Reason: "x", NoticeOn: date("2026-12-03"), Version: app.Version})
		wantConflict(t, err, "citizen.reg.error.no_extension")
		// Filed away with a reason; the task is closed.
		_, err = e.svc.FileAway(ctx, e.clerk, app.ID, citizen.FileInput{Version: app.Version})
		wantKey(t, err, citizen.FieldReason, "error.required")
		_, err = e.svc.FileAway(ctx, e.head, app.ID, citizen.FileInput{Reason: "Repetată", Version: app.Version})
		// The head of the economic directorate sees the tax service's
		// application but only the registry files a case away.
		wantKind(t, err, apperr.KindForbidden)
		app = must(e.svc.FileAway(ctx, e.clerk, app.ID, citizen.FileInput{Reason: "Cerere repetată, la care s-a răspuns prin nr. 1/2026.", Version: app.Version}))(t)
		if app.State != citizen.StateFiled || len(e.openTasks(t, app.ID)) != 0 {
			t.Fatalf("filed %+v", app)
		}
	})
}

func TestNumbering(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.at(t, "2026-12-31")
		a := e.petition(t, "Ultima din an", 0, 0).Case
		// 31 December, 23:30 in Bucharest is still 2026.
		e.clk.Set(time.Date(2026, 12, 31, 21, 30, 0, 0, time.UTC))
		b := e.petition(t, "Târziu", 0, 0).Case
		// 00:30 on 1 January in Bucharest (22:30 UTC): the new year's first.
		e.clk.Set(time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC))
		c := e.petition(t, "Prima din an", 0, 0).Case
		if a.Number != "1/2026" || b.Number != "2/2026" || c.Number != "1/2027" || c.RegisteredOn.Format(time.DateOnly) != "2027-01-01" {
			t.Fatalf("numbers %s %s %s (%s)", a.Number, b.Number, c.Number, c.RegisteredOn)
		}
		// B's registry numbers its own cases from 1.
		bc := must(e.svc.Register(t.Context(), e.other, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
			Petitioner: citizen.Petitioner{Name: "Dora"}, Subject: "Sovata"}))(t).Case
		if bc.Number != "1/2027" {
			t.Errorf("B's first number %s", bc.Number)
		}
		// Registrations in parallel get different numbers.
		const n = 12
		var wg sync.WaitGroup
		nums := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := e.svc.Register(t.Context(), e.clerk, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
					Petitioner: citizen.Petitioner{Name: fmt.Sprintf("Petent %d", i)}, Subject: "În paralel"})
				nums[i], errs[i] = r.Case.Number, err
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i := range n {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if seen[nums[i]] {
				t.Fatalf("number %s given twice", nums[i])
			}
			seen[nums[i]] = true
		}
		if got := e.count(t, `SELECT last_seq FROM citizen_counters WHERE tenant_id = $1 AND year = 2027`, e.tenantA); got != n+1 {
			t.Errorf("counter %d, want %d", got, n+1)
		}
	})
}

func TestVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		taxCase := e.petition(t, "Impozit", e.tax, e.ema).Case       // the tax service (under the economic directorate), Ema's
		econCase := e.petition(t, "Buget", e.econ, 0).Case           // the directorate itself
		urbCase := e.petition(t, "Autorizație", e.urban, e.ura).Case // urbanism, Ura's
		none := e.petition(t, "Nerepartizată", 0, 0).Case
		ids := func(a auth.Actor, f citizen.CaseFilter) []int64 {
			p := must(e.svc.Cases(ctx, a, f))(t)
			var out []int64
			for _, c := range p.Items {
				out = append(out, c.ID)
			}
			if p.Total != len(out) {
				t.Errorf("total %d for %d items", p.Total, len(out))
			}
			return out
		}
		for _, c := range []struct {
			name string
			a    auth.Actor
			want []int64
		}{
			{"registry", e.clerk, []int64{none.ID, urbCase.ID, econCase.ID, taxCase.ID}},
			{"top management", e.top, []int64{none.ID, urbCase.ID, econCase.ID, taxCase.ID}},
			{"head of the economic directorate", e.head, []int64{econCase.ID, taxCase.ID}},
			{"assignee", e.emp, []int64{taxCase.ID}},
			{"colleague not assigned", e.emp2, nil},
			{"viewer", e.viewer, nil},
			{"another institution", e.other, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got := ids(c.a, citizen.CaseFilter{})
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("sees %v, want %v", got, c.want)
				}
				for _, id := range []int64{taxCase.ID, econCase.ID, urbCase.ID, none.ID} {
					_, err := e.svc.Case(ctx, c.a, id)
					visible := false
					for _, w := range c.want {
						visible = visible || w == id
					}
					if visible && err != nil || !visible && apperr.KindOf(err) != apperr.KindNotFound {
						t.Errorf("Case(%d): %v (visible %v)", id, err, visible)
					}
				}
			})
		}
		// A head assigns within their units only.
		_, err := e.svc.Assign(ctx, e.head, econCase.ID, citizen.AssignInput{AssigneeID: e.ura, Version: econCase.Version})
		wantKey(t, err, citizen.FieldUnit, "citizen.reg.error.not_your_unit")
		econCase = must(e.svc.Assign(ctx, e.head, econCase.ID, citizen.AssignInput{UnitID: e.tax, AssigneeID: e.ion, Version: econCase.Version}))(t)
		if econCase.AssigneeID != e.ion {
			t.Fatalf("head's assignment %+v", econCase)
		}
		// The head of the unit answers a case of their units.
		must(e.svc.Answer(ctx, e.head, taxCase.ID, citizen.AnswerInput{Kind: citizen.AnswerPartial, Answer: "Parțial.", Version: taxCase.Version}))(t)
		// An employee may not assign.
		_, err = e.svc.Assign(ctx, e.emp2, econCase.ID, citizen.AssignInput{AssigneeID: e.ema, Version: econCase.Version})
		wantKind(t, err, apperr.KindForbidden)
		// Actions tell the page what to show.
		acts := must(e.svc.Actions(ctx, e.emp2, econCase))(t)
		if fmt.Sprint(acts) != "[answer]" {
			t.Errorf("assignee's actions %v", acts)
		}
		acts = must(e.svc.Actions(ctx, e.clerk, econCase))(t)
		if fmt.Sprint(acts) != "[assign extend redirect answer file code]" {
			t.Errorf("clerk's actions %v", acts)
		}
	})
}

func TestCaseFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.at(t, "2026-10-01")
		old := e.petition(t, "Iluminat stradal în cartierul Unirii", e.tax, e.ema).Case // due 31 October: overdue on 23 November
		e.at(t, "2026-11-23")
		info := must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindInfo, Channel: citizen.ChannelEmail, UnitID: e.urban,
			Petitioner: citizen.Petitioner{Name: "Ștefan Țepeș", Email: "s@t.ro"}, Subject: "Autorizații emise", Topic: "activity"}))(t).Case
		done := e.petition(t, "Parcare", e.tax, 0).Case
		must(e.svc.Answer(ctx, e.clerk, done.ID, citizen.AnswerInput{Kind: citizen.AnswerUnfavourable, Answer: "Nu.", Version: done.Version}))(t)
		count := func(f citizen.CaseFilter) int { return must(e.svc.Cases(ctx, e.clerk, f))(t).Total }
		for _, c := range []struct {
			name string
			f    citizen.CaseFilter
			want int
		}{
			{"all", citizen.CaseFilter{}, 3},
			{"open", citizen.CaseFilter{State: "open"}, 2},
			{"answered", citizen.CaseFilter{State: citizen.StateAnswered}, 1},
			{"overdue", citizen.CaseFilter{Overdue: true}, 1},
			{"kind", citizen.CaseFilter{Kind: citizen.KindInfo}, 1},
			{"channel", citizen.CaseFilter{Channel: citizen.ChannelEmail}, 1},
			{"topic", citizen.CaseFilter{Topic: "activity"}, 1},
			{"year", citizen.CaseFilter{Year: 2026}, 3},
			{"other year", citizen.CaseFilter{Year: 2025}, 0},
			{"unit with subunits", citizen.CaseFilter{UnitID: e.econ}, 2},
			{"assignee", citizen.CaseFilter{AssigneeID: e.ema}, 1},
			{"from", citizen.CaseFilter{From: date("2026-11-01")}, 2},
			{"to", citizen.CaseFilter{To: date("2026-10-31")}, 1},
			{"query without diacritics", citizen.CaseFilter{Query: "stefan tepes"}, 1},
			{"query by number", citizen.CaseFilter{Query: old.Number}, 1},
			{"query with diacritics", citizen.CaseFilter{Query: "ILUMINAT STRADAL ÎN"}, 1},
			{"query with LIKE characters", citizen.CaseFilter{Query: "%"}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%s: %d cases, want %d", c.name, got, c.want)
			}
		}
		// Sorts: newest number first by default; by due day ascending.
		p := must(e.svc.Cases(ctx, e.clerk, citizen.CaseFilter{}))(t)
		if p.Items[0].ID != done.ID || p.Items[2].ID != old.ID {
			t.Errorf("default order %v", []string{p.Items[0].Number, p.Items[1].Number, p.Items[2].Number})
		}
		p = must(e.svc.Cases(ctx, e.clerk, citizen.CaseFilter{Sort: "due", PerPage: 2, Page: 1}))(t)
		if len(p.Items) != 2 || p.Total != 3 || p.Items[0].ID != old.ID || p.Items[1].ID != info.ID {
			t.Errorf("by due: %+v", p.Items)
		}
		p = must(e.svc.Cases(ctx, e.clerk, citizen.CaseFilter{Sort: "due", PerPage: 2, Page: 2}))(t)
		if len(p.Items) != 1 || p.Items[0].ID != done.ID {
			t.Errorf("page 2: %+v", p.Items)
		}
		// The overview.
		o := must(e.svc.Overview(ctx, e.clerk))(t)
		if o.Open != 2 || o.Overdue != 1 || o.DueThisWeek != 0 || o.ByKind[citizen.KindInfo] != 1 || o.RegisteredThisYear != 3 || len(o.Soon) != 2 || o.Soon[0].ID != old.ID {
			t.Errorf("overview %+v", o)
		}
		if o := must(e.svc.Overview(ctx, e.emp))(t); o.Open != 1 || o.Overdue != 1 || o.RegisteredThisYear != 1 {
			t.Errorf("Ema's overview %+v", o)
		}
		if o := must(e.svc.Overview(ctx, e.other))(t); o.Open != 0 || o.RegisteredThisYear != 0 {
			t.Errorf("B's overview %+v", o)
		}
	})
}
