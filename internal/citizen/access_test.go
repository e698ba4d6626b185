package citizen_test

import (
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestAccessCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c, err := citizen.GenerateAccessCode()
		if err != nil {
			t.Fatal(err)
		}
		if !codeShape.MatchString(c) || strings.ContainsAny(c, "0O1IL") || seen[c] {
			t.Fatalf("bad or repeated code %q", c)
		}
		seen[c] = true
	}
	// Typed without dashes, in small letters, with spaces: the same code.
	if citizen.HashAccessCode("ABCD-EFGH-JKMN") != citizen.HashAccessCode(" abcd efgh-jkmn") {
		t.Error("normalised codes hash differently")
	}
	if citizen.HashAccessCode("ABCD-EFGH-JKMN") == citizen.HashAccessCode("ABCD-EFGH-JKMP") {
		t.Error("different codes hash alike")
	}
}

func TestFileAndStatus(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		in := citizen.PublicInput{Kind: citizen.KindPetition, Petitioner: citizen.Petitioner{Name: "Elena Dobre", Email: "elena@example.ro"},
			Consent: true, Subject: "Copac căzut pe trotuar <script>alert(1)</script>", Body: "Str. Plopilor nr. 7."}
		// Consent and the name are required online.
		bad := in
		bad.Consent, bad.Petitioner.Name = false, ""
		_, err := e.svc.File(ctx, e.tenantA, bad)
		wantKey(t, err, citizen.FieldConsent, "citizen.reg.error.consent")
		wantKey(t, err, citizen.FieldName, "error.required")
		bad = in
		bad.Petitioner.Email = ""
		_, err = e.svc.File(ctx, e.tenantA, bad)
		wantKey(t, err, citizen.FieldEmail, "citizen.reg.error.email_required")

		r := must(e.svc.File(ctx, e.tenantA, in))(t)
		c := r.Case
		if c.Channel != citizen.ChannelOnline || c.State != citizen.StateRegistered || c.ConsentAt == nil || c.CreatedBy != 0 || !codeShape.MatchString(r.AccessCode) {
			t.Fatalf("filed %+v %q", c, r.AccessCode)
		}
		var actor string
		if err := d.R.QueryRowContext(ctx, `SELECT actor_name FROM audit_events WHERE entity = 'citizen_case' AND entity_id = $1`, c.ID).Scan(&actor); err != nil || actor != citizen.PortalActor {
			t.Errorf("audit actor %q, %v", actor, err)
		}
		if got := e.openTasks(t, c.ID); len(got) != 1 || got[0].Role != string(auth.RoleRegistryClerk) {
			t.Errorf("tasks %+v", got)
		}
		// Another case with its own code.
		r2 := must(e.svc.File(ctx, e.tenantA, citizen.PublicInput{Kind: citizen.KindInfo, Petitioner: citizen.Petitioner{Name: "Mihai Sava", Email: "m@s.ro"},
			Consent: true, Subject: "Salariile funcționarilor"}))(t)

		// The right number and code, typed loosely.
		st := must(e.svc.Status(ctx, e.tenantA, " "+c.Number+" ", strings.ToLower(strings.ReplaceAll(r.AccessCode, "-", ""))))(t)
		if st.Number != c.Number || st.State != citizen.StateRegistered || st.DueOn.Format(time.DateOnly) != "2026-12-23" || st.CanRate {
			t.Fatalf("status %+v", st)
		}
		for _, x := range []struct {
			name         string
			tenant       int64
			number, code string
		}{
			{"wrong code", e.tenantA, c.Number, "AAAA-BBBB-CCCC"},
			{"another case's code", e.tenantA, c.Number, r2.AccessCode},
			{"the other case's number with this code", e.tenantA, r2.Case.Number, r.AccessCode},
			{"another institution", e.tenantB, c.Number, r.AccessCode},
			{"unknown number", e.tenantA, "999/2026", r.AccessCode},
			{"malformed number", e.tenantA, "abc", r.AccessCode},
			{"empty code", e.tenantA, c.Number, ""},
		} {
			_, err := e.svc.Status(ctx, x.tenant, x.number, x.code)
			var key string
			if ae, ok := err.(*apperr.Error); ok {
				key = ae.Key
			}
			if apperr.KindOf(err) != apperr.KindNotFound || key != "error.not_found" {
				t.Errorf("%s: %v", x.name, err)
			}
		}
		// A new code replaces the old one.
		nr := must(e.svc.NewAccessCode(ctx, e.clerk, c.ID))(t)
		if _, err := e.svc.Status(ctx, e.tenantA, c.Number, r.AccessCode); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("old code still works: %v", err)
		}
		must(e.svc.Status(ctx, e.tenantA, c.Number, nr.AccessCode))(t)
		_, err = e.svc.NewAccessCode(ctx, e.emp, c.ID)
		wantKind(t, err, apperr.KindForbidden)

		// Not answered yet: no rating.
		err = e.svc.RateCase(ctx, e.tenantA, c.Number, nr.AccessCode, 5, "")
		wantConflict(t, err, "citizen.reg.error.not_answered")
		c = must(e.svc.Case(ctx, e.clerk, c.ID))(t)
		c = must(e.svc.Answer(ctx, e.clerk, c.ID, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Copacul a fost ridicat.", Version: c.Version}))(t)
		st = must(e.svc.Status(ctx, e.tenantA, c.Number, nr.AccessCode))(t)
		if st.State != citizen.StateAnswered || st.Answer != "Copacul a fost ridicat." || !st.CanRate {
			t.Fatalf("answered status %+v", st)
		}
		err = e.svc.RateCase(ctx, e.tenantA, c.Number, nr.AccessCode, 6, "")
		wantKey(t, err, citizen.FieldRating, "citizen.reg.error.rating")
		err = e.svc.RateCase(ctx, e.tenantA, c.Number, r2.AccessCode, 4, "")
		wantKind(t, err, apperr.KindNotFound)
		if err := e.svc.RateCase(ctx, e.tenantA, c.Number, nr.AccessCode, 4, "Rapid, mulțumesc."); err != nil {
			t.Fatal(err)
		}
		err = e.svc.RateCase(ctx, e.tenantA, c.Number, nr.AccessCode, 5, "")
		wantConflict(t, err, "citizen.reg.error.rated")
		// The rating is anonymous: its row and its audit event name no case.
		var kind, channel, comment string
		var rating int
		if err := d.R.QueryRowContext(ctx, `SELECT kind, channel, rating, comment FROM citizen_feedback WHERE tenant_id = $1`, e.tenantA).Scan(&kind, &channel, &rating, &comment); err != nil {
			t.Fatal(err)
		}
		if kind != citizen.KindPetition || channel != citizen.FeedbackAnswer || rating != 4 || comment != "Rapid, mulțumesc." {
			t.Errorf("feedback %s %s %d %q", kind, channel, rating, comment)
		}
		var after string
		if err := d.R.QueryRowContext(ctx, `SELECT after_json FROM audit_events WHERE entity = 'citizen_feedback'`).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(after, c.Number) || strings.Contains(after, "Elena") || strings.Contains(after, "mulțumesc") {
			t.Errorf("rating's audit event points back: %s", after)
		}
		if st := must(e.svc.Status(ctx, e.tenantA, c.Number, nr.AccessCode))(t); st.CanRate {
			t.Error("may rate twice")
		}

		// Closed public pages refuse filing.
		must(e.svc.SaveSettings(ctx, e.qm, citizen.Settings{ShiftToWorking: true, PublicEnabled: false}))(t)
		_, err = e.svc.File(ctx, e.tenantA, in)
		wantConflict(t, err, "citizen.reg.error.public_closed")
		// An anonymous case never opens: it has no code.
		anon := must(e.svc.Register(ctx, e.clerk, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelPost, Subject: "Anonimă"}))(t)
		if _, err := e.svc.Status(ctx, e.tenantA, anon.Case.Number, ""); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("anonymous status: %v", err)
		}
	})
}

func TestSettings(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		st := must(e.svc.SettingsOf(ctx, e.tenantA))(t)
		if !st.ShiftToWorking || !st.PublicEnabled || st.Version != 0 {
			t.Fatalf("defaults %+v", st)
		}
		_, err := e.svc.SaveSettings(ctx, e.clerk, st)
		wantKind(t, err, apperr.KindForbidden)
		bad := st
		bad.BaselineFrom, bad.BaselineTo = date("2025-12-31"), date("2025-01-01")
		_, err = e.svc.SaveSettings(ctx, e.qm, bad)
		wantKey(t, err, citizen.FieldBaselineTo, "citizen.reg.error.period_order")
		bad.BaselineTo = time.Time{}
		_, err = e.svc.SaveSettings(ctx, e.qm, bad)
		wantKey(t, err, citizen.FieldBaselineTo, "error.required")
		st.BaselineFrom, st.BaselineTo, st.Contact = date("2025-01-01"), date("2025-12-31"), "Registratura: parter, camera 2"
		saved := must(e.svc.SaveSettings(ctx, e.qm, st))(t)
		if saved.Version != 1 || !saved.BaselineTo.Equal(date("2025-12-31")) || saved.Contact != st.Contact {
			t.Fatalf("saved %+v", saved)
		}
		// The same form sent twice: the second is stale.
		_, err = e.svc.SaveSettings(ctx, e.top, st)
		wantConflict(t, err, "error.stale")
		saved.ShiftToWorking = false
		saved = must(e.svc.SaveSettings(ctx, e.top, saved))(t)
		if saved.Version != 2 || saved.ShiftToWorking {
			t.Fatalf("saved again %+v", saved)
		}
		if n := e.events(t, citizen.EntitySettings, e.tenantA); n != 2 {
			t.Errorf("settings events %d", n)
		}
		// B's settings are untouched.
		if b := must(e.svc.SettingsOf(ctx, e.tenantB))(t); !b.ShiftToWorking || b.Version != 0 {
			t.Errorf("B's settings %+v", b)
		}
	})
}
