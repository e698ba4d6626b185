package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// The assignee sees the task in "my work" with a count in the menu, follows
// the notification to it, and closes it; everything is audited.
func TestInboxFromNotificationToDone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		v := f.login(t, "alfa.viewer") // English, linked to the task's person
		task := strconv.FormatInt(f.A.Task.ID, 10)
		res, body := v.get("/work")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Alfa Actualizați registrul riscurilor", "This week", "one open task", "one unread notification"} {
			if !strings.Contains(body, want) {
				t.Errorf("/work lacks %q", want)
			}
		}
		res, body = v.get("/notifications")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "New task: Alfa Actualizați registrul riscurilor") {
			t.Errorf("/notifications lacks the notice")
		}
		res, _ = v.post("/notifications/"+strconv.FormatInt(f.A.Notice, 10)+"/read", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tasks/"+task {
			t.Fatalf("open notification: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
		if _, body = v.get("/work"); strings.Contains(body, "unread notification") {
			t.Error("the notification is still counted unread")
		}
		res, body = v.get("/tasks/" + task)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Mark as done") || strings.Contains(body, "Reassign") {
			t.Error("the assignee should be able to finish the task but not reassign it")
		}
		events := auditCount(t, d, f.A.Inst.ID)
		res, body = v.post("/tasks/"+task+"/done", url.Values{"version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if n := auditCount(t, d, f.A.Inst.ID); n != events+1 {
			t.Errorf("audit events %d → %d, want one more", events, n)
		}
		// A second click with the old version is refused, not applied twice.
		res, body = v.post("/tasks/"+task+"/done", url.Values{"version": {"1"}})
		wantStatus(t, res, body, http.StatusConflict)
		if _, body = v.get("/tasks/" + task); !strings.Contains(body, "Completion") || strings.Contains(body, ": done") {
			t.Error("the task's history does not say it was completed in words")
		}
		if _, body = v.get("/work"); !strings.Contains(body, "You have no open tasks") {
			t.Error("/work still shows the finished task")
		}
	})
}

// A quality manager hands out a task; bad input is explained in Romanian and
// kept; the list filters and exports it; a head of unit reassigns it.
func TestHandOutAndListTasks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		qm := f.login(t, f.A.Username)
		person := strconv.FormatInt(f.A.Person.ID, 10)
		form := url.Values{"title": {""}, "details": {"Până la ședința comisiei"}, "kind": {"report"}, "assign_to": {"person"}, "person_id": {person}, "due": {"2026-11-01"}, "priority": {"high"}}
		res, body := qm.post("/tasks", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"Ce trebuie făcut", "Până la ședința comisiei"} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form lacks %q", want)
			}
		}
		form.Set("title", "Raportați indicatorii pe trimestrul IV")
		res, body = qm.post("/tasks", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "termenul nu poate fi în trecut") {
			t.Error("a past due date is not explained")
		}
		form.Set("due", "2026-12-15")
		res, body = qm.post("/tasks", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !regexp.MustCompile(`^/tasks/\d+$`).MatchString(loc) {
			t.Fatalf("created task at %q", loc)
		}
		res, body = qm.get("/tasks?scope=all&q=indicatorii&kind=report")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Raportați indicatorii pe trimestrul IV") || strings.Contains(body, "Alfa Actualizați") {
			t.Error("the filtered list is wrong")
		}
		res, body = qm.get("/tasks/export.xlsx?scope=all")
		wantStatus(t, res, body, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || len(body) < 1000 {
			t.Errorf("export: %s, %d bytes", ct, len(body))
		}
		// Reassign to the role of head of the directorate, with a reason.
		res, body = qm.get(loc + "/reassign")
		wantStatus(t, res, body, http.StatusOK)
		res, body = qm.post(loc+"/reassign", url.Values{"assign_to": {"role"}, "role": {string(auth.RoleHeadOfUnit)}, "role_unit_id": {strconv.FormatInt(f.A.Unit.ID, 10)},
			"due": {"2026-12-20"}, "reason": {"Direcția centralizează raportările"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Șef de compartiment", "Alfa Direcția Economică", "Direcția centralizează raportările", "20.12.2026"} {
			if !strings.Contains(body, want) {
				t.Errorf("the reassigned task lacks %q", want)
			}
		}
	})
}

// The calendar address works until it is renewed or revoked.
func TestCalendarFeed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		v := f.login(t, "alfa.viewer")
		res, body := v.post("/account/calendar", nil)
		wantStatus(t, res, body, http.StatusOK)
		m := regexp.MustCompile(`/calendar/([A-Za-z0-9_-]{40,})\.ics`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the new calendar address is not shown")
		}
		if strings.Contains(body, `name="back" value="/account/calendar"`) {
			t.Error("the language switch would return to a POST-only address")
		}
		anon := f.client(t)
		res, body = anon.get(m[0])
		wantStatus(t, res, body, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		for _, want := range []string{"BEGIN:VCALENDAR", "SUMMARY:Alfa Actualizați registrul riscurilor", "DTSTART;VALUE=DATE:20261130", "X-WR-CALNAME:Cadran: Alfa Cititor"} {
			if !strings.Contains(body, want) {
				t.Errorf("the feed lacks %q:\n%s", want, body)
			}
		}
		// B's people see nothing of it, and a made-up token finds nothing.
		for _, path := range []string{"/calendar/" + strings.Repeat("x", 43) + ".ics", "/calendar/" + m[1], "/calendar/short.ics"} {
			if res, _ := anon.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, res.StatusCode)
			}
		}
		res, body = v.post("/account/calendar/revoke", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		if res, _ := anon.get(m[0]); res.StatusCode != http.StatusNotFound {
			t.Errorf("a revoked address answers %d", res.StatusCode)
		}
	})
}

// E-mail choices are saved per kind and audited.
func TestEmailChoices(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		v := f.login(t, "alfa.viewer")
		events := auditCount(t, d, f.A.Inst.ID)
		res, body := v.post("/account/notifications", url.Values{"email": {"approve", "answer"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = v.get("/account")
		wantStatus(t, res, body, http.StatusOK)
		if !regexp.MustCompile(`value="approve" checked`).MatchString(body) || regexp.MustCompile(`value="acknowledge" checked`).MatchString(body) || regexp.MustCompile(`value="digest" checked`).MatchString(body) {
			t.Error("the saved choices are not shown")
		}
		if !strings.Contains(body, "E-mail is not set up on this server") {
			t.Error("the account page does not say e-mail is off")
		}
		if n := auditCount(t, d, f.A.Inst.ID); n != events+1 {
			t.Errorf("audit events %d → %d", events, n)
		}
	})
}

func TestCalendarTokenNeverLogged(t *testing.T) {
	if got := logPath("/calendar/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG.ics"); strings.Contains(got, "abcdef") {
		t.Errorf("logged path %q carries the token", got)
	}
	if got := logPath("/tasks/3"); got != "/tasks/3" {
		t.Errorf("logPath changed an ordinary path: %q", got)
	}
}
