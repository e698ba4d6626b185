package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// cprogLogin gives A's administrator the quality manager's role and signs
// them in, with an employee and A's viewer (English) beside them.
func cprogLogin(t *testing.T, f *fixture) (qm, emp, viewer *client) {
	t.Helper()
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
	au := &auth.Service{DB: f.DB, Clock: f.Clock}
	if _, err := au.CreateUser(context.Background(), auth.SystemActor(f.A.Inst.ID, "test"), auth.UserInput{Username: "alfa.emp", DisplayName: "Alfa Angajat",
		Password: testPassword, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro"}); err != nil {
		t.Fatal(err)
	}
	return f.login(t, f.A.Username), f.login(t, "alfa.emp"), f.login(t, "alfa.viewer")
}

// cprogLocation is where a 303 points.
func cprogLocation(t *testing.T, res *http.Response, body string) string {
	t.Helper()
	wantStatus(t, res, body, http.StatusSeeOther)
	return res.Header.Get("Location")
}

func cprogDocx(t *testing.T, body string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("not a DOCX: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			doc, _ := io.ReadAll(rc)
			return string(doc)
		}
	}
	t.Fatal("the DOCX has no document")
	return ""
}

func cprogXLSX(t *testing.T, res *http.Response, body string) [][]string {
	t.Helper()
	wantStatus(t, res, body, http.StatusOK)
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("%s: not an XLSX: %v", res.Request.URL.Path, err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestControlProgPages renders every page of the programme and the bodies
// in Romanian (the quality manager) and English (A's viewer).
func TestControlProgPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		r := cprogSeed(t, f)
		qm, emp, viewer := cprogLogin(t, f)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		pages := []struct {
			path, ro, en string
			manage       bool
		}{
			{"/control/programmes", "Programele de dezvoltare a SCIM", "Development programmes of the control system", false},
			{"/control/programmes/new", "Program de dezvoltare nou", "", true},
			{"/control/programmes/" + id(r.Programme.ID), "Acțiuni, pe standarde", "Actions by standard", false},
			{"/control/programmes/" + id(r.Programme.ID) + "/edit", "Modificarea programului", "", true},
			{"/control/actions", "Acțiunile programelor de dezvoltare", "Development programme actions", false},
			{"/control/actions?standard=9&overdue=1&sort=-owner", "Acțiunile programelor de dezvoltare", "Development programme actions", false},
			{"/control/actions/new?programme=" + id(r.Programme.ID), "Acțiune nouă în programul de dezvoltare", "", true},
			{"/control/actions/" + id(r.Action.ID), "Alfa Actualizarea procedurii de arhivare", "Alfa Actualizarea procedurii de arhivare", false},
			{"/control/actions/" + id(r.Action.ID) + "/edit", "Modificarea acțiunii", "", true},
			{"/control/bodies", "Comisia de monitorizare și echipa de gestionare a riscurilor", "Monitoring commission and risk management team", false},
			{"/control/bodies/new?kind=risk_team", "Echipa de gestionare a riscurilor", "", true},
			{"/control/bodies/" + id(r.Body.ID), "Președinte", "President", false},
			{"/control/bodies/" + id(r.Body.ID) + "/edit", "Modificarea comisiei sau echipei", "", true},
			{"/control/meetings", "Ședințele comisiei și ale echipei", "Meetings of the commission and the team", false},
			{"/control/meetings/new?body=" + id(r.Body.ID), "Planificarea unei ședințe", "", true},
			{"/control/meetings/" + id(r.Meeting.ID), "Alfa H 1/2026", "Alfa H 1/2026", false},
			{"/control/meetings/" + id(r.Meeting.ID) + "/edit", "Modificarea ședinței", "", true},
		}
		for _, p := range pages {
			res, body := qm.get(p.path)
			wantStatus(t, res, body, http.StatusOK)
			if !strings.Contains(body, p.ro) {
				t.Errorf("%s (ro) lacks %q", p.path, p.ro)
			}
			if strings.Contains(body, "controlprog.") || strings.Contains(body, "field.") {
				t.Errorf("%s (ro) shows an untranslated key", p.path)
			}
			res, body = viewer.get(p.path)
			if p.manage {
				wantStatus(t, res, body, http.StatusForbidden)
				continue
			}
			wantStatus(t, res, body, http.StatusOK)
			if !strings.Contains(body, p.en) || strings.Contains(body, "controlprog.") {
				t.Errorf("%s (en) lacks %q or shows a key", p.path, p.en)
			}
			// An employee does not see internal managerial control.
			res, body = emp.get(p.path)
			wantStatus(t, res, body, http.StatusForbidden)
		}
	})
}

// TestControlProgFlow drives the programme and the commission through their
// forms: a programme, an objective, an action that becomes the owner's
// task and is done; validation errors next to the fields with the values
// kept; approval; next year's programme; a body, its members, a meeting
// with attendance tasks, held, with a decision; the exports and documents.
func TestControlProgFlow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		qm, emp, viewer := cprogLogin(t, f)
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		person := strconv.FormatInt(f.A.Person.ID, 10)
		see := func(res *http.Response, body string) string { t.Helper(); return cprogLocation(t, res, body) }
		xlsx := func(res *http.Response, body string) [][]string { t.Helper(); return cprogXLSX(t, res, body) }

		// The manage actions are refused to an employee and a viewer.
		for _, c := range []*client{emp, viewer} {
			res, body := c.post("/control/programmes", url.Values{"prog_year": {"2026"}})
			wantStatus(t, res, body, http.StatusForbidden)
			res, body = c.post("/control/bodies", url.Values{"body_kind": {"commission"}, "body_name": {"x"}})
			wantStatus(t, res, body, http.StatusForbidden)
		}

		// A programme: bad year, then 2026 with the default title.
		res, body := qm.post("/control/programmes", url.Values{"prog_year": {"douămiidouăzeci"}, "prog_notes": {"Notă păstrată"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Scrieți un număr întreg.") || !strings.Contains(body, "Notă păstrată") {
			t.Error("the programme form lost the error or the notes")
		}
		loc := see(qm.post("/control/programmes", url.Values{"prog_year": {"2026"}}))
		pid, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/control/programmes/"), 10, 64)
		p, err := f.Srv.control.Programme(ctx, sys, pid)
		if err != nil || p.Title != control.ProgrammeTitle(2026) {
			t.Fatalf("programme %+v %v", p, err)
		}
		// An objective.
		see(qm.post(loc+"/objectives", url.Values{"obj_title": {"Îmbunătățirea gestionării riscurilor"}}))
		res, body = qm.post(loc+"/objectives", url.Values{"obj_code": {"o1"}, "obj_title": {"Dublură"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Programul are deja un obiectiv cu acest cod.") || !strings.Contains(body, "Dublură") {
			t.Error("the objective's error or value is missing")
		}
		objs, _ := f.Srv.control.Objectives(ctx, sys, pid)
		// An action: errors first, then one with an owner and a deadline.
		res, body = qm.post("/control/actions", url.Values{"act_programme_id": {strconv.FormatInt(pid, 10)}, "act_standard": {"8"}, "act_title": {""},
			"act_description": {"Descriere păstrată"}, "act_due_on": {"31.12.2026"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"Descriere păstrată", `id="e-act_title"`, `id="e-act_due_on"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the action form lacks %q", want)
			}
		}
		loc2 := see(qm.post("/control/actions", url.Values{"act_programme_id": {strconv.FormatInt(pid, 10)}, "act_objective_id": {strconv.FormatInt(objs[0].ID, 10)},
			"act_standard": {"8"}, "act_title": {"Actualizarea registrului riscurilor și a planului de măsuri"}, "act_owner_id": {person},
			"act_unit_id": {strconv.FormatInt(f.A.SubUnit.ID, 10)}, "act_due_on": {"2026-12-15"}}))
		aid, _ := strconv.ParseInt(strings.TrimPrefix(loc2, "/control/actions/"), 10, 64)
		if n := count(`SELECT COUNT(*) FROM tasks WHERE module = 'control' AND entity = 'control_action' AND entity_id = $1 AND state = 'open' AND person_id = $2`, aid, f.A.Person.ID); n != 1 {
			t.Fatalf("the owner has %d tasks for the action", n)
		}
		// The viewer (A's person) sees it in the list, in English.
		res, body = viewer.get("/control/actions?owner=" + person)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Actualizarea registrului riscurilor") {
			t.Error("the filtered list lacks the action")
		}
		// Approval needs the act.
		res, body = qm.post(loc+"/state", url.Values{"action": {"approve"}, "version": {"1"}, "prog_approved_on": {"2026-01-20"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="e-prog_decision"`) || !strings.Contains(body, "2026-01-20") {
			t.Error("the approval form lost its error or date")
		}
		see(qm.post(loc+"/state", url.Values{"action": {"approve"}, "version": {"1"}, "prog_decision": {"Dispoziția nr. 14/20.01.2026"}, "prog_approved_on": {"2026-01-20"}}))
		// Done, with its result: the task closes.
		res, body = qm.post(loc2+"/state", url.Values{"to": {"done"}, "version": {"1"}, "act_done_on": {"2027-01-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		see(qm.post(loc2+"/state", url.Values{"to": {"done"}, "version": {"1"}, "act_done_on": {"2026-11-20"}, "act_result": {"Registrul a fost actualizat."}}))
		if n := count(`SELECT COUNT(*) FROM tasks WHERE entity = 'control_action' AND entity_id = $1 AND state = 'done'`, aid); n != 1 {
			t.Errorf("%d done tasks", n)
		}
		// A second action stays open and is carried over.
		see(qm.post("/control/actions", url.Values{"act_programme_id": {strconv.FormatInt(pid, 10)}, "act_standard": {"2"},
			"act_title": {"Inventarul funcțiilor sensibile"}, "act_owner_id": {person}, "act_due_on": {"2026-12-20"}}))
		res, body = qm.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Acțiuni realizate: 1 din 2 (50 %)") {
			t.Error("the programme's progress is not shown")
		}
		// The programme as documents.
		res, body = qm.get(loc + "/programme.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
			t.Error("programme.pdf is not a PDF")
		}
		res, body = qm.get(loc + "/programme.docx")
		wantStatus(t, res, body, http.StatusOK)
		doc := cprogDocx(t, body)
		for _, want := range []string{"Programul de dezvoltare a sistemului de control intern managerial pentru anul 2026", "Îmbunătățirea gestionării riscurilor",
			"Inventarul funcțiilor sensibile", "Dispoziția nr. 14/20.01.2026", "Semnături"} {
			if !strings.Contains(doc, want) {
				t.Errorf("programme.docx lacks %q", want)
			}
		}
		// Exports.
		rows := xlsx(qm.get("/control/programmes/export.xlsx"))
		if len(rows) != 2 || rows[1][0] != "2026" {
			t.Errorf("programmes export %v", rows)
		}
		rows = xlsx(qm.get("/control/actions/export.xlsx?standard=2"))
		if len(rows) != 2 || !strings.Contains(rows[1][3], "funcțiilor") {
			t.Errorf("actions export %v", rows)
		}
		// Next year's programme.
		loc3 := see(qm.post(loc+"/next", nil))
		if loc3 == loc {
			t.Fatal("next year's programme is the same")
		}
		res, body = qm.post(loc+"/next", nil)
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Programul de dezvoltare pentru anul următor există deja.") {
			t.Error("the refusal is not explained")
		}
		res, body = qm.get(loc3)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Inventarul funcțiilor sensibile") || !strings.Contains(body, "Preluată din anul precedent") {
			t.Error("the carried action is not in next year's programme")
		}

		// The commission.
		locB := see(qm.post("/control/bodies", url.Values{"body_kind": {"commission"}, "body_name": {"Comisia de monitorizare"},
			"body_decision": {"Dispoziția primarului nr. 245/12.03.2024"}, "body_decision_on": {"2024-03-12"}, "body_active": {"1"}}))
		bid := strings.TrimPrefix(locB, "/control/bodies/")
		see(qm.post(locB+"/members", url.Values{"mem_person_id": {person}, "mem_role": {"president"}, "mem_from_on": {"2024-03-12"}}))
		res, body = qm.post(locB+"/members", url.Values{"mem_person_id": {person}, "mem_role": {"president"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Persoana este deja membră în funcție") {
			t.Error("a second membership is not refused with its reason")
		}
		// A meeting: the president gets the attend task.
		locM := see(qm.post("/control/meetings", url.Values{"meet_body_id": {bid}, "meet_held_on": {"2026-11-20"}, "meet_place": {"Sala de ședințe"},
			"meet_agenda": {"1. Stadiul programului de dezvoltare"}}))
		mid, _ := strconv.ParseInt(strings.TrimPrefix(locM, "/control/meetings/"), 10, 64)
		if n := count(`SELECT COUNT(*) FROM tasks WHERE entity = 'control_meeting' AND entity_id = $1 AND state = 'open' AND person_id = $2 AND kind = 'attend'`, mid, f.A.Person.ID); n != 1 {
			t.Fatalf("the president has %d attend tasks", n)
		}
		res, body = qm.post(locM+"/decisions", url.Values{"dec_text": {"Se aprobă"}})
		wantStatus(t, res, body, http.StatusConflict)
		see(qm.post(locM, url.Values{"version": {"1"}, "meet_number": {"PV nr. 4/2026"}, "meet_held_on": {"2026-11-20"}, "meet_place": {"Sala de ședințe"},
			"meet_agenda": {"1. Stadiul programului de dezvoltare"}, "meet_minutes": {"Președintele a prezentat stadiul implementării; s-a discutat inventarul funcțiilor sensibile."},
			"attendees_sent": {"1"}, "meet_attendees": {person}}))
		see(qm.post(locM+"/state", url.Values{"to": {"held"}, "version": {"2"}}))
		if n := count(`SELECT COUNT(*) FROM tasks WHERE entity = 'control_meeting' AND entity_id = $1 AND state = 'done'`, mid); n != 1 {
			t.Errorf("%d attend tasks done", n)
		}
		res, body = qm.post(locM+"/decisions", url.Values{"dec_number": {"Hotărârea nr. 3/2026"}, "dec_text": {""}, "dec_owner_id": {person}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Hotărârea nr. 3/2026") || !strings.Contains(body, `id="e-dec_text"`) {
			t.Error("the decision form lost its error or number")
		}
		see(qm.post(locM+"/decisions", url.Values{"dec_number": {"Hotărârea nr. 3/2026"}, "dec_text": {"Se actualizează registrul riscurilor până la 31 decembrie"},
			"dec_owner_id": {person}, "dec_due_on": {"2026-12-31"}, "dec_state": {"open"}}))
		if n := count(`SELECT COUNT(*) FROM tasks WHERE entity = 'control_decision' AND state = 'open' AND person_id = $1`, f.A.Person.ID); n != 1 {
			t.Errorf("the decision's owner has %d tasks", n)
		}
		rows = xlsx(qm.get("/control/meetings/export.xlsx"))
		if len(rows) != 2 || rows[1][2] != "PV nr. 4/2026" {
			t.Errorf("meetings export %v", rows)
		}
		res, body = qm.get(locM + "/minutes.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") {
			t.Error("minutes.pdf is not a PDF")
		}
		res, body = qm.get(locM + "/minutes.docx")
		wantStatus(t, res, body, http.StatusOK)
		doc = cprogDocx(t, body)
		for _, want := range []string{"Proces-verbal PV nr. 4/2026", "Comisia de monitorizare", "Sala de ședințe", "Alfa Ștefănescu Țiței",
			"Președintele a prezentat stadiul implementării", "Hotărârea nr. 3/2026", "Secretariat tehnic", "Semnătura"} {
			if !strings.Contains(doc, want) {
				t.Errorf("minutes.docx lacks %q", want)
			}
		}
		// Every change is in the audit trail.
		for _, entity := range []string{control.EntityProgramme, control.EntityObjective, control.EntityAction, control.EntityBody, control.EntityMember,
			control.EntityMeeting, control.EntityDecision} {
			if n := count(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = $2`, f.A.Inst.ID, entity); n == 0 {
				t.Errorf("no audit event of %s", entity)
			}
		}
	})
}
