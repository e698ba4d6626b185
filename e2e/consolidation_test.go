package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/demo"
	"cadran/internal/work"
)

// consRawKey matches a key of the consolidated view's catalogue shown
// instead of its translation.
var consRawKey = regexp.MustCompile(`\bconsolidation\.[a-z_]+(?:\.[a-z_]+)*\b`)

// TestConsolidatedView: the quality manager opens the consolidated view
// from the navigation, sees the own apparatus and the subordinate bodies
// side by side with a total, the charts, and for the social assistance
// directorate the number of active risks the database holds for its
// subtree this year; following that number opens the risk register
// filtered to the directorate, listing as many. The page then reads in
// English.
func TestConsolidatedView(t *testing.T) {
	base, d := startServerDB(t)
	ctx := context.Background()
	year := work.Day(time.Now()).Year()
	var das int64
	var risks int
	if err := d.R.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN institutions i ON i.id = u.tenant_id WHERE i.cui = $1 AND u.code = 'DAS'`, demo.CUI).Scan(&das); err != nil {
		t.Fatalf("the demo's DAS: %v", err)
	}
	if err := d.R.QueryRowContext(ctx, `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = $1
			UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
		SELECT COUNT(*) FROM risks WHERE unit_id IN (SELECT id FROM sub) AND year = $2 AND state = 'active' AND kind = 'risk'`, das, year).Scan(&risks); err != nil {
		t.Fatal(err)
	}
	if risks == 0 {
		t.Fatalf("the demo's DAS has no active risk in %d", year)
	}

	b := newBrowser(t, base)
	b.docSignIn("calitate")
	b.clickNav("Navigare principală", "Situație consolidată")
	b.waitHeading("Situație consolidată")
	b.waitVisible("the table", `//main//table[@id='consolidated']`)
	b.consCheckPage("the consolidated view")
	heads := b.texts("main table#consolidated thead th")
	joined := strings.Join(heads, " | ")
	for _, want := range []string{"Aparatul de specialitate", "Direcția de Asistență Socială", "Poliția Locală", "Serviciul Public Comunitar Local de Evidență a Persoanelor", "Total", "persoană juridică"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the columns %q lack %q", joined, want)
		}
	}
	for _, chart := range []string{"score-chart", "status-chart"} {
		b.waitVisible("the chart "+chart, fmt.Sprintf(`//main//*[local-name()='svg'][contains(@class,%s)]`, xq(chart)))
	}
	href := fmt.Sprintf("/risks?year=%d&kind=risk&state=active&unit=%d", year, das)
	link := fmt.Sprintf(`//main//table[@id='consolidated']//a[@href=%s]`, xq(href))
	b.waitVisible("DAS's active risks", link)
	if got := strings.TrimSpace(get(b, "reading DAS's active risks", chromedp.Evaluate[string](
		fmt.Sprintf(`document.querySelector('main table#consolidated a[href=%s]').innerText`, strconv.Quote(href))))); got != strconv.Itoa(risks) {
		t.Errorf("DAS's active risks read %q, the database holds %d", got, risks)
	}
	b.screenshot("consolidated-view")

	b.run("following DAS's active risks", chromedp.Click(link, chromedp.NodeVisible))
	b.waitVisible("the risk register", fmt.Sprintf(`//main//h1[contains(., 'Registrul') or contains(., '%d')]`, year))
	if loc := b.location(); loc != href {
		t.Errorf("the link led to %q, want %q", loc, href)
	}
	rows := len(b.texts("main table tbody tr"))
	if rows != risks {
		t.Errorf("the register filtered to DAS lists %d rows, want %d", rows, risks)
	}

	b.open("/consolidated")
	b.waitHeading("Situație consolidată")
	b.clickButton("English")
	b.waitVisible("the view in English", `/html[@lang='en']//main//h1[normalize-space()='Consolidated view']`)
	b.consCheckPage("the consolidated view in English")
	if body := b.text("main"); !strings.Contains(body, "Own apparatus") || !strings.Contains(body, "Risks above tolerance") {
		t.Errorf("the English view lacks its words%s", b.describe())
	}
}

// consCheckPage is checkPage, also for the consolidated view's keys.
func (b *browser) consCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := consRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
