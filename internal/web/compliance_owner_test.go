package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// The clause's owner is found by a search, never picked from a list of
// every person of the institution; the search keeps to the institution.
func TestComplianceClauseOwnerSearch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cmpQualityManager(t, f)
		qm := f.login(t, f.A.Username)
		alfa := fmt.Sprintf(`name="owner_id" value="%d"`, f.A.Person.ID)
		beta := fmt.Sprintf(`name="owner_id" value="%d"`, f.B.Person.ID)

		res, body := qm.get("/compliance/clauses/7.5")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `id="f-owner_q"`) || strings.Contains(body, alfa) {
			t.Error("the clause page lists people before any search, or lacks the owner search")
		}
		// Diacritics ignored; B's people never found.
		_, body = qm.get("/compliance/clauses/7.5?owner_q=stefanescu")
		if !strings.Contains(body, alfa) || strings.Contains(body, beta) {
			t.Error("the owner search does not offer A's person, or offers B's")
		}
		_, body = qm.get("/compliance/clauses/7.5?owner_q=Beta")
		if strings.Contains(body, beta) || !strings.Contains(body, "Nicio persoană activă nu se potrivește") {
			t.Error("the owner search found B's person or did not say none matched")
		}

		res, body = qm.post("/compliance/clauses/7.5", url.Values{"cmp_status": {"implemented"}, "owner_id": {fmt.Sprint(f.A.Person.ID)}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get("/compliance/clauses/7.5")
		if !strings.Contains(body, alfa+" checked") {
			t.Error("the saved owner is not the one checked")
		}
		// B's person as owner is refused; the form keeps A's owner offered.
		res, body = qm.post("/compliance/clauses/7.5", url.Values{"cmp_status": {"implemented"}, "owner_id": {fmt.Sprint(f.B.Person.ID)}, "version": {"1"}})
		if res.StatusCode == http.StatusSeeOther {
			t.Fatal("B's person was accepted as the owner of A's clause")
		}
		if strings.Contains(body, beta) {
			t.Error("the refused form shows B's person")
		}
	})
}
