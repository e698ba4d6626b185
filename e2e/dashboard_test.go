package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/dashboard"
	"cadran/internal/demo"
	"cadran/internal/org"
	"cadran/internal/risks"
)

// TestRoleDashboards: the mayor, the quality manager and the economic
// director each sign in to the demo and find on the home page the
// dashboard of their role, whose figures match what the test counts in the
// demo's database; the mayor follows the worst risk to its record and the
// director one of his unit's KPIs to its page.
func TestRoleDashboards(t *testing.T) {
	base, d := startServerDB(t)
	ctx := context.Background()
	var tenant int64
	if err := d.R.QueryRowContext(ctx, `SELECT id FROM institutions WHERE cui = $1`, demo.CUI).Scan(&tenant); err != nil {
		t.Fatal(err)
	}
	today, weekEnd, _ := dashboard.Window(time.Now())
	day := func(x time.Time) string { return x.Format(time.DateOnly) }
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.R.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	overdue := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND due_on < $2`, tenant, day(today))

	t.Run("primar", func(t *testing.T) {
		// The register's year is the latest with entries up to this one.
		var year, tolerance int
		if err := d.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(year), 0) FROM risks WHERE tenant_id = $1 AND year <= $2`, tenant, today.Year()).Scan(&year); err != nil {
			t.Fatal(err)
		}
		// The institution's own setting, or the default of the 5×5 scale.
		if err := d.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(tolerance), $2) FROM risk_settings WHERE tenant_id = $1`, tenant, risks.Defaults(5).Tolerance).Scan(&tolerance); err != nil {
			t.Fatal(err)
		}
		above := count(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND state = 'active' AND kind = 'risk' AND cur_e > $3`, tenant, year, tolerance)
		var worstID int64
		var worstCode string
		if err := d.R.QueryRowContext(ctx, `SELECT id, code FROM risks WHERE tenant_id = $1 AND year = $2 AND state = 'active' AND kind = 'risk' AND cur_e > $3
			ORDER BY cur_e DESC, sort_code LIMIT 1`, tenant, year, tolerance).Scan(&worstID, &worstCode); err != nil {
			t.Fatalf("the demo's worst risk: %v", err)
		}

		b := newBrowser(t, base)
		b.inboxSignIn("primar")
		b.dashCheck("Tabloul de bord al conducerii")
		if got := b.text("#dash-risks-above"); got != strconv.Itoa(above) {
			t.Errorf("risks above tolerance: the dashboard shows %s, the register holds %d", got, above)
		}
		if got := b.text("#dash-overdue-total"); got != dashNumber(overdue) {
			t.Errorf("overdue tasks: the dashboard shows %s, the inbox holds %d", got, overdue)
		}
		for _, w := range []string{"dash-scorecard", "dash-overdue"} {
			b.waitVisible("the chart of "+w, fmt.Sprintf(`//section[@id='%s']//*[local-name()='svg' and @role='img']`, w))
		}
		for _, w := range []string{"dash-caf", "dash-control", "dash-certificate", "dash-citizen"} {
			b.waitVisible("the widget "+w, fmt.Sprintf(`//section[@id='%s']`, w))
		}
		// Through to the worst risk.
		link := fmt.Sprintf(`//section[@id='dash-risks']//a[@href='/risks/%d']`, worstID)
		b.run("following the worst risk", chromedp.Click(link, chromedp.NodeVisible))
		b.waitVisible("the risk's page", fmt.Sprintf(`//main//h1/span[normalize-space()=%s]`, xq(worstCode)))
		if loc := b.location(); loc != fmt.Sprintf("/risks/%d", worstID) {
			t.Errorf("the risk link led to %s", loc)
		}
	})

	t.Run("calitate", func(t *testing.T) {
		week := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND due_on >= $2 AND due_on <= $3`, tenant, day(today), day(weekEnd))
		waiting := count(`SELECT COUNT(*) FROM document_versions WHERE tenant_id = $1 AND state IN ('verification', 'endorsement', 'approval')`, tenant)
		b := newBrowser(t, base)
		b.inboxSignIn("calitate")
		b.dashCheck("Tabloul de bord al calității")
		if got := b.text("#dash-due-overdue"); got != dashNumber(overdue) {
			t.Errorf("overdue: the dashboard shows %s, the inbox holds %d", got, overdue)
		}
		if got := b.text("#dash-due-week"); got != dashNumber(week) {
			t.Errorf("due this week: the dashboard shows %s, the inbox holds %d", got, week)
		}
		if waiting > 0 {
			if got := b.text("#dash-approvals-total"); got != strconv.Itoa(waiting) {
				t.Errorf("documents awaiting approval: the dashboard shows %s, the register holds %d", got, waiting)
			}
		}
		b.waitVisible("the due chart", `//section[@id='dash-due']//*[local-name()='svg' and @role='img']`)
	})

	t.Run("economic", func(t *testing.T) {
		var person int64
		if err := d.R.QueryRowContext(ctx, `SELECT person_id FROM users WHERE username = 'economic'`).Scan(&person); err != nil {
			t.Fatal(err)
		}
		led, err := org.LedUnits(ctx, d.R, tenant, person)
		if err != nil || len(led) == 0 {
			t.Fatalf("the units the economic director leads: %v %v", led, err)
		}
		in := dashIn(led)
		unread := count(`SELECT COUNT(*) FROM document_receipts r JOIN document_versions v ON v.id = r.version_id JOIN people p ON p.id = r.person_id
			WHERE r.tenant_id = $1 AND r.acknowledged_at IS NULL AND v.state = 'in_force' AND p.active AND p.unit_id IN (`+in+`)`, tenant)
		open := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND (person_id IN (SELECT id FROM people WHERE tenant_id = $1 AND unit_id IN (`+in+`))
			OR (role <> '' AND role_unit_id IN (`+in+`)))`, tenant)
		kpis := count(`SELECT COUNT(*) FROM scorecard_kpis WHERE tenant_id = $1 AND NOT archived AND objective_id IS NOT NULL AND unit_id IN (`+in+`)`, tenant)
		var kpiID int64
		var kpiCode string
		if err := d.R.QueryRowContext(ctx, `SELECT id, code FROM scorecard_kpis WHERE tenant_id = $1 AND NOT archived AND objective_id IS NOT NULL AND unit_id IN (`+in+`)
			ORDER BY code LIMIT 1`, tenant).Scan(&kpiID, &kpiCode); err != nil {
			t.Fatalf("a KPI of the directorate: %v", err)
		}

		b := newBrowser(t, base)
		b.inboxSignIn("economic")
		b.dashCheck("Tabloul de bord al compartimentului")
		if got := len(b.texts("#dash-kpis tbody tr")); got != kpis {
			t.Errorf("the dashboard lists %d KPIs, the directorate owns %d", got, kpis)
		}
		if got := b.text("#dash-unit-work-open"); got != dashNumber(open) {
			t.Errorf("open tasks: the dashboard shows %s, the inbox holds %d", got, open)
		}
		if unread > 0 {
			if got := b.text("#dash-unread-total"); got != dashNumber(unread) {
				t.Errorf("unconfirmed documents: the dashboard shows %s, the receipts hold %d", got, unread)
			}
		}
		b.waitVisible("the KPI chart", `//section[@id='dash-kpis']//*[local-name()='svg' and @role='img']`)
		// Through to the first KPI.
		link := fmt.Sprintf(`//section[@id='dash-kpis']//table//a[@href='/scorecard/kpis/%d']`, kpiID)
		b.run("following the KPI "+kpiCode, chromedp.Click(link, chromedp.NodeVisible))
		b.waitVisible("the KPI's page", fmt.Sprintf(`//main//h1/span[normalize-space()=%s]`, xq(kpiCode)))
		if loc := b.location(); loc != fmt.Sprintf("/scorecard/kpis/%d", kpiID) {
			t.Errorf("the KPI link led to %s", loc)
		}
	})
}

// dashCheck checks that the home page shows the dashboard titled title,
// with every text translated.
func (b *browser) dashCheck(title string) {
	b.t.Helper()
	b.waitVisible("the dashboard "+title, fmt.Sprintf(`//main//*[@id='dash-title' and normalize-space()=%s]`, xq(title)))
	b.checkPage(title)
	if body := b.text("main"); strings.Contains(body, "dashboard.") {
		b.t.Errorf("%s: the page shows an untranslated dashboard key", title)
	}
}

// dashNumber writes n as the Romanian pages do (1.234).
func dashNumber(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

func dashIn(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
