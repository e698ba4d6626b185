package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/compliance"
	"cadran/internal/control"
	"cadran/internal/crosswalk"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// cwSeed records, in A, evidence for ISO 7.5.3 by hand and returns A's
// system actor.
func cwSeed(t *testing.T, f *fixture) auth.Actor {
	t.Helper()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	if _, err := f.Srv.compliance.AddEvidence(context.Background(), sys, "7.5.3", compliance.ManualInput{Title: "Alfa Registrul de arhivă", Reference: "RA-2026"}); err != nil {
		t.Fatal(err)
	}
	return sys
}

func TestCrosswalkPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, string(auth.RoleQualityManager))
		qm := cwSeed(t, f)
		c := f.login(t, f.A.Username) // Romanian

		// The mapping, seeded on first sight, with its edit form.
		res, body := c.get("/crosswalk")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Corespondența standardelor", "Gestionarea documentelor", `href="/crosswalk/iso/7.5"`, `href="/crosswalk/caf/4.4"`,
			"Adaugă o corespondență", "Revino la corespondențele de referință", `href="/crosswalk/export.csv"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the mapping lacks %q", want)
			}
		}
		// OSGG 13 shows the ISO evidence, linked to ISO 7.5.3.
		res, body = c.get("/crosswalk/osgg/13")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Gestionarea documentelor", "Alfa Registrul de arhivă", "Atașată la:", `href="/crosswalk/iso/7.5.3"`, "ISO 9001 7.5.3",
			"Dovezi proprii: 0 · prin corespondență: 2", "PO-DE-01 Alfa Procedura privind bugetul", `href="/compliance/clauses/7.5"`} {
			if !strings.Contains(body, want) {
				t.Errorf("osgg 13 lacks %q", want)
			}
		}
		// The CAF readiness: 4.4 only through the crosswalk.
		res, body = c.get("/crosswalk/caf?status=crosswalk")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `id="item-4.4"`) || !strings.Contains(body, "Doar prin corespondență") || strings.Contains(body, `id="item-1.1"`) || !strings.Contains(body, "<svg") {
			t.Errorf("the CAF readiness filtered by status is wrong:\n%s", body)
		}
		res, body = c.get("/crosswalk/caf?q=cunostinte&sort=-through")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "4.4") {
			t.Error("the CAF search finds no 4.4")
		}
		// Exports, with the page's filters.
		res, body = c.get("/crosswalk/caf/export.csv?status=crosswalk")
		wantStatus(t, res, body, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(body, "4.4") || strings.Contains(body, "\n1.1,") {
			t.Errorf("CSV %s:\n%s", ct, body)
		}
		res, body = c.get("/crosswalk/osgg/export.xlsx")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("XLSX type %q", res.Header.Get("Content-Type"))
		}
		res, body = c.get("/crosswalk/osgg/13/export.csv")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Alfa Registrul de arhivă") || !strings.Contains(body, "ISO 9001 7.5.3") || !strings.Contains(body, ",nu,") {
			t.Errorf("the item's CSV:\n%s", body)
		}
		res, body = c.get("/crosswalk/export.csv")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "OSGG 600,13,Gestionarea documentelor") && !strings.Contains(body, "ISO 9001,7.5,Informații documentate,OSGG 600,13,Gestionarea documentelor") {
			t.Errorf("the mapping's CSV lacks 7.5 – 13:\n%.600s", body)
		}

		// The panel on the clause's page of the compliance matrix: ISO 7.5
		// gets nothing yet through the crosswalk, but links its matches.
		res, body = c.get("/compliance/clauses/7.5")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Dovezi prin corespondența standardelor") || !strings.Contains(body, `href="/crosswalk/osgg/13"`) {
			t.Error("the clause page lacks the crosswalk panel")
		}

		// The panels on a CAF cycle's evidence and on a self-evaluation's
		// questionnaire: CAF 4.4 and standard 13 receive ISO 7.5's evidence.
		ctx := context.Background()
		cy, err := f.Srv.caf.CreateCycle(ctx, qm, caf.CycleInput{Title: "Alfa Autoevaluarea CAF 2026", Panel: caf.PanelClassical})
		if err != nil {
			t.Fatal(err)
		}
		res, body = c.get("/caf/" + strconv.FormatInt(cy.ID, 10) + "/evidence?sub=4.4")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Dovezi prin corespondența standardelor (2)") || !strings.Contains(body, "Alfa Registrul de arhivă") {
			t.Error("the CAF evidence page lacks the crosswalk's evidence")
		}
		ev, err := f.Srv.control.OpenEvaluation(ctx, qm, control.EvaluationInput{Year: 2026, Units: []int64{f.A.Unit.ID}})
		if err != nil {
			t.Fatal(err)
		}
		res, body = c.get("/control/evaluations/" + strconv.FormatInt(ev.ID, 10) + "/units/" + strconv.FormatInt(f.A.Unit.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		if i := strings.Index(body, `id="std-13"`); i < 0 || !strings.Contains(body[i:], "Dovezi prin corespondența standardelor (2)") || !strings.Contains(body[i:], `href="/crosswalk/osgg/13"`) {
			t.Error("the questionnaire's standard 13 lacks the crosswalk's evidence")
		}

		// Adding a pair: an unknown code is refused next to the field,
		// with what was typed kept.
		res, body = c.post("/crosswalk/pairs", url.Values{"cw_fw_a": {"iso"}, "cw_code_a": {"7.9"}, "cw_fw_b": {"osgg"}, "cw_code_b": {"12"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Nu există o cerință ISO 9001 cu acest cod") || !strings.Contains(body, `value="7.9"`) || !strings.Contains(body, `aria-invalid="true" aria-describedby="e-cw_code_a"`) {
			t.Errorf("the refused form:\n%s", body)
		}
		res, body = c.post("/crosswalk/pairs", url.Values{"cw_fw_a": {"iso"}, "cw_code_a": {"8.5.1"}, "cw_fw_b": {"osgg"}, "cw_code_b": {"12"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		ps, err := f.Srv.crosswalk.Pairs(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		var added int64
		for _, p := range ps {
			if p.A == (crosswalk.Ref{FW: "iso", Code: "8.5.1"}) && p.B == (crosswalk.Ref{FW: "osgg", Code: "12"}) {
				added = p.ID
			}
		}
		if added == 0 || len(ps) != len(crosswalk.DefaultPairs())+1 {
			t.Fatalf("the pair was not added: %d pairs", len(ps))
		}
		res, body = c.post("/crosswalk/pairs/"+strconv.FormatInt(added, 10)+"/delete", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = c.post("/crosswalk/restore", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		var events int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity IN ('crosswalk', 'crosswalk_pair')`, f.A.Inst.ID).Scan(&events); err != nil || events != 3 {
			t.Errorf("%d audit events of the crosswalk (seeding, addition, removal), want 3 (%v)", events, err)
		}
		for _, p := range []string{"/crosswalk/nist", "/crosswalk/iso/7.9", "/crosswalk/osgg/013", "/crosswalk/nist/export.csv"} {
			res, body = c.get(p)
			wantStatus(t, res, body, http.StatusNotFound)
		}

		// In English, a viewer reads but does not edit.
		v := f.login(t, "alfa.viewer")
		res, body = v.get("/crosswalk")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Crosswalk of frameworks") || strings.Contains(body, "Add a pair") || strings.Contains(body, "/crosswalk/pairs/") {
			t.Error("the viewer's mapping is wrong")
		}
		res, body = v.get("/crosswalk/osgg/13")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Document management") || !strings.Contains(body, "Attached to:") || !strings.Contains(body, "Alfa Registrul de arhivă") {
			t.Error("the viewer's item page is wrong")
		}
		res, body = v.get("/crosswalk/iso")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Evidence readiness: ISO 9001") || !strings.Contains(body, "Has its own evidence") {
			t.Error("the viewer's readiness is wrong")
		}
		res, body = v.post("/crosswalk/pairs", url.Values{"cw_fw_a": {"iso"}, "cw_code_a": {"8.5.1"}, "cw_fw_b": {"osgg"}, "cw_code_b": {"12"}})
		wantStatus(t, res, body, http.StatusForbidden)
		res, body = v.post("/crosswalk/restore", nil)
		wantStatus(t, res, body, http.StatusForbidden)
	})
}
