package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/extract"
)

var reviewPathRe = regexp.MustCompile(`^/reviews/(\d+)$`)

// TestReviewFromPlanToMinutes: the quality manager plans a review (a
// refused form keeps what was typed), compiles the inputs, holds the
// meeting, records a decision and an action, which lands in the owner's
// inbox; the minutes print in Romanian with every diacritic; the lists
// export; a viewer reads it all and may change nothing.
func TestReviewFromPlanToMinutes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		qm := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		person := strconv.FormatInt(f.A.Person.ID, 10)

		res, body := qm.get("/reviews/new")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Analiza efectuată de management pentru anul 2026") {
			t.Fatal("the new review form has no default title")
		}
		form := url.Values{"title": {"Analiza anuală a SMC — ședința din decembrie"}, "review_period_from": {"2026-12-31"}, "review_period_to": {"2026-01-01"},
			"review_meeting_on": {"2026-11-20"}, "review_place": {"Sala „Ștefan cel Mare”"}, "review_chair_id": {""}, "review_participants": {person},
			"review_guests": {"Ing. Țăranu, auditor extern, România"}}
		res, body = qm.post("/reviews", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"Analiza anuală a SMC — ședința din decembrie", "Sala „Ștefan cel Mare”", "Ing. Țăranu, auditor extern, România", `href="#f-review_period_to"`, `href="#f-review_chair_id"`} {
			if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "„", "&#34;")) {
				t.Errorf("the refused form lost %q", want)
			}
		}
		form.Set("review_period_from", "2026-01-01")
		form.Set("review_period_to", "2026-12-31")
		form.Set("review_chair_id", person)
		res, _ = qm.post("/reviews", form)
		wantStatus(t, res, "", http.StatusSeeOther)
		path := res.Header.Get("Location")
		m := reviewPathRe.FindStringSubmatch(path)
		if m == nil {
			t.Fatalf("created review at %q", path)
		}
		res, body = qm.get(path)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "AM-2026-01") || !strings.Contains(body, "nu au fost încă compilate") {
			t.Fatal("the new review page does not show its code and the inputs to compile")
		}
		res, body = qm.post(path+"/compile", url.Values{"version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(path)
		for _, want := range []string{"Date compilate la", "Neconformități constatate în perioadă: 0", "Sarcini cu termen depășit în instituție", "c4) Neconformități și acțiuni corective"} {
			if !strings.Contains(body, want) {
				t.Errorf("the compiled page lacks %q", want)
			}
		}
		// A stale form is refused with the message, not lost silently.
		res, body = qm.post(path+"/inputs/satisfaction", url.Values{"version": {"7"}, "review_assessment": {"Cetățenii sunt mulțumiți."}})
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Cetățenii sunt mulțumiți.") {
			t.Error("the refused assessment was lost")
		}
		res, body = qm.post(path+"/inputs/satisfaction", url.Values{"version": {"1"}, "review_assessment": {"Cetățenii își exprimă mulțumirea față de ghișeul unic."}, "conclusion": {"adequate"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.post(path+"/step", url.Values{"version": {"2"}, "action": {"hold"}, "review_held_on": {"2026-11-20"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.post(path+"/decisions", url.Values{"review_category": {"improvement"}, "review_input": {"satisfaction"}, "review_decision": {"Introducerea chestionarului de satisfacție în toate compartimentele"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.post(path+"/actions", url.Values{"description": {"Elaborarea și aprobarea chestionarului"}, "owner_id": {person}, "due": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Elaborarea și aprobarea chestionarului") || !strings.Contains(body, `href="#f-due"`) {
			t.Error("the refused action lost what was typed or its error link")
		}
		res, body = qm.post(path+"/actions", url.Values{"description": {"Elaborarea și aprobarea chestionarului"}, "owner_id": {person}, "due": {"2027-02-26"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		var due string
		if err := d.R.QueryRow(`SELECT due_on FROM tasks WHERE module = 'reviews' AND entity = 'review_action' AND person_id = $1 AND state = 'open'`, f.A.Person.ID).Scan(&due); err != nil || due != "2027-02-26" {
			t.Fatalf("the action's task: %q (%v)", due, err)
		}
		// The owner (the viewer's person) sees the task in their inbox.
		_, body = viewer.get("/work")
		if !strings.Contains(body, "AM-2026-01: Elaborarea și aprobarea chestionarului") {
			t.Error("the action is not in its owner's inbox")
		}

		res, pdf := qm.get(path + "/minutes.pdf")
		wantStatus(t, res, "", http.StatusOK)
		text, err := extract.Text(extract.PDF, bytes.NewReader([]byte(pdf)), int64(len(pdf)), 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Minuta ședinței de analiză efectuată de management", "Sala „Ștefan cel Mare”", "Cetățenii își exprimă mulțumirea", "Elaborarea și aprobarea chestionarului", "Neconformități și acțiuni corective", "Semnături"} {
			if !strings.Contains(text, want) {
				t.Errorf("the minutes PDF lacks %q", want)
			}
		}
		for _, letter := range []string{"ș", "ț", "ă", "â", "î", "Ș", "Ț"} {
			if !strings.Contains(text, letter) {
				t.Errorf("the minutes PDF lost the letter %s", letter)
			}
		}
		res, docx := qm.get(path + "/minutes.docx")
		wantStatus(t, res, "", http.StatusOK)
		dtext, err := extract.Text(extract.DOCX, bytes.NewReader([]byte(docx)), int64(len(docx)), 1_000_000)
		if err != nil || !strings.Contains(dtext, "Introducerea chestionarului de satisfacție") {
			t.Errorf("the minutes DOCX: %v", err)
		}

		for _, u := range []string{"/reviews/export.xlsx?year=2026", "/reviews/actions/export.xlsx?overdue=0"} {
			res, x := qm.get(u)
			wantStatus(t, res, "", http.StatusOK)
			wb, err := excelize.OpenReader(bytes.NewReader([]byte(x)))
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			rows, _ := wb.GetRows(wb.GetSheetName(0))
			if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], " "), "AM-2026-01") {
				t.Errorf("%s rows: %v", u, rows)
			}
		}
		_, body = qm.get("/reviews?state=held&q=anuala")
		if !strings.Contains(body, "AM-2026-01") {
			t.Error("the list filtered by state and diacritic-free text misses the review")
		}
		_, body = qm.get("/reviews?state=closed")
		if strings.Contains(body, "AM-2026-01") {
			t.Error("the list filtered by another state shows the review")
		}

		// The viewer reads in English and may change nothing.
		res, body = viewer.get(path)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Inputs (ISO 9001, 9.3.2)") || strings.Contains(body, `action="`+path+`/decisions"`) {
			t.Error("the viewer's page is not English or offers to record decisions")
		}
		for _, p := range []string{path + "/compile", path + "/decisions", path + "/next", path + "/step", "/reviews"} {
			res, body := viewer.post(p, url.Values{"version": {"3"}, "action": {"close"}, "title": {"x"}})
			wantStatus(t, res, body, http.StatusForbidden)
		}
		// The owner marks the action done from the review page; the task closes.
		var aid int64
		if err := d.R.QueryRow(`SELECT id FROM review_actions WHERE owner_id = $1`, f.A.Person.ID).Scan(&aid); err != nil {
			t.Fatal(err)
		}
		res, body = viewer.post(path+"/actions/"+strconv.FormatInt(aid, 10)+"/done", url.Values{"version": {"1"}, "done_note": {"Chestionarul a fost aprobat."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		var state string
		if err := d.R.QueryRow(`SELECT state FROM tasks WHERE entity = 'review_action' AND entity_id = $1`, aid).Scan(&state); err != nil || state != "done" {
			t.Errorf("the action's task is %q (%v)", state, err)
		}
		// The next review starts from this one.
		res, body = qm.post(path+"/next", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		next := res.Header.Get("Location")
		_, body = qm.get(next)
		if !strings.Contains(body, "AM-2027-01") || !strings.Contains(body, "AM-2026-01") {
			t.Error("the next review does not show its code and the previous review")
		}
	})
}
