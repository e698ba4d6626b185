package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// The overview gathers what needs attention in both registers: A's risk
// reviewed at 3×3 = 9 is above the default tolerance of 8, and once its
// due day passes the nonconformity's action shows as overdue, with the case
// counted in its age bucket. B's overview shows none
// of it.
var ageRow = regexp.MustCompile(`age=31-90">[^<]+</a></th>\s*<td class="num"><svg[^>]*><rect width="100"[^>]*/></svg> (\d+)</td>`)

func TestRegistersOverview(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, m := range isolationModules {
			m(t, f)
		}
		admin := f.login(t, f.A.Username)
		res, body := admin.get("/registers")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Alfa Neîncasarea impozitelor locale", `href="/risks?kind=risk&amp;state=active&amp;above=1"`, "expunere peste 8", `href="/nonconformities?state=open&amp;age=0-30"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the overview lacks %q", want)
			}
		}
		if strings.Contains(body, "Alfa Reconcilierea lunară") || strings.Contains(body, "Alfa acțiune corectivă") {
			t.Error("measures and actions not yet due are listed as overdue")
		}
		f.Clock.Set(time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC))
		_, body = admin.get("/registers")
		if !strings.Contains(body, "Alfa acțiune corectivă") {
			t.Error("the overdue action is not listed")
		}
		// The cases found in October and November (the register's own and those the
		// audits raised), are now 38 days old.
		var open int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND detected_on BETWEEN '2026-10-02' AND '2026-11-30' AND state NOT IN ('closed', 'declined', 'cancelled')`, f.A.Inst.ID).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if m := ageRow.FindStringSubmatch(body); m == nil || m[1] != strconv.Itoa(open) || open < 2 {
			t.Errorf("the %d cases are not counted among those 31 to 90 days old: %v", open, m)
		}
		// The link of the above-tolerance count lists the risk.
		_, body = admin.get("/risks?kind=risk&state=active&above=1")
		if !strings.Contains(body, "Alfa Neîncasarea impozitelor locale") {
			t.Error("the above-tolerance link does not list A's risk")
		}
		beta := f.login(t, f.B.Username)
		res, body = beta.get("/registers")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, "Alfa") {
			t.Error("B's overview shows A's records")
		}
		// In English for an English reader.
		viewer := f.login(t, "alfa.viewer")
		res, body = viewer.get("/registers")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Risks above tolerance") || !strings.Contains(body, "Open cases by age") {
			t.Error("the overview is not in English for the viewer")
		}
	})
}
