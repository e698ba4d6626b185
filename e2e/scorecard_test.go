package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/scorecard"
)

// scRawKey matches a catalogue key of the scorecard shown instead of its
// translation.
var scRawKey = regexp.MustCompile(`\bscorecard\.[a-z_]+(?:\.[a-z_0-9]+)+\b`)

// The demo objective the test moves and its monthly KPI, owned by the head
// of the economic directorate, whose last month has no value yet.
const (
	scObjective = "Asigurarea unei execuții bugetare echilibrate"
	scKPI       = "K15"
	scRedValue  = "52"
	scWhy       = "Sume defalcate din TVA primite cu întârziere; plăți către furnizori amânate două săptămâni"
)

// TestScorecardWalkthrough: the head of the economic directorate reads the
// overview, where "budget execution" is green; enters in the grid a value in
// the red for the last month of the supplier payment time KPI he owns; the
// grid refuses it without an explanation and keeps what he typed; with the
// explanation it is saved; the overview and the strategy map then show the
// objective in the red; the overview reads in English too.
func TestScorecardWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)
	last := scorecard.MonthOf(time.Now()).Prev()
	cell := scKPI + " " + last.Label("ro")

	b.docSignIn("economic")
	b.inboxClickNav(navRO, "Tablou de bord (BSC)")
	b.waitVisible("the overview", `//main//h1[normalize-space()='Tabloul de bord (Balanced Scorecard)']`)
	b.scCheckPage("the overview")
	tile := b.scTile(scObjective)
	if !strings.Contains(tile.class, "sc-green") || !strings.Contains(tile.status, "Verde") {
		t.Fatalf("before: the objective %q reads %q (%s), want green", scObjective, tile.status, tile.class)
	}

	// The grid of the monthly KPIs for the year of the last month.
	b.clickLink("Introducerea valorilor")
	b.waitVisible("the grid", `//main//form[contains(@class,'measure-grid')]`)
	b.scCheckPage("the grid")
	b.open(fmt.Sprintf("/scorecard/measurements?frequency=monthly&year=%d", last.Year))
	value := field(cell)
	b.waitVisible("the cell "+cell, value)
	if v := b.inputValue(value); v != "" {
		t.Fatalf("the cell %s already holds %q: the demo should leave it due", cell, v)
	}
	id, _ := b.attr(value, "id")
	explain := `//input[@id=` + xq("x_"+strings.TrimPrefix(id, "v_")) + `]`
	b.typeInto(cell, scRedValue)
	b.scSave()
	// A value in the red needs an explanation: nothing is saved, what was
	// typed stays.
	b.waitVisible("the error summary", `//main//*[contains(@class,'error-summary')]`)
	if v := b.inputValue(value); v != scRedValue {
		t.Errorf("after the refusal the cell %s holds %q, want %q", cell, v, scRedValue)
	}
	b.run("typing the explanation", chromedp.WaitVisible(explain), chromedp.SendKeys(explain, scWhy))
	b.scSave()
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)
	if msg := b.text("main div.flash"); strings.Contains(msg, "scorecard.") {
		t.Errorf("the confirmation reads %q", msg)
	}
	b.waitVisible("the saved value", value)
	if v := b.inputValue(value); v != scRedValue {
		t.Errorf("after saving the cell %s holds %q, want %q", cell, v, scRedValue)
	}

	// The objective turned red on the overview and on the map.
	b.inboxClickNav(navRO, "Tablou de bord (BSC)")
	b.waitVisible("the overview", `//main//h1[normalize-space()='Tabloul de bord (Balanced Scorecard)']`)
	after := b.scTile(scObjective)
	if !strings.Contains(after.class, "sc-red") || !strings.Contains(after.status, "Roșu") || after.status == tile.status {
		t.Errorf("after: the objective %q reads %q (%s), want red", scObjective, after.status, after.class)
	}
	b.clickLink("Harta strategică")
	node := `//main//*[local-name()='svg']//*[local-name()='a'][@href=` + xq(tile.href) + `]`
	b.waitVisible("the objective on the strategy map", node)
	if label, _ := b.attr(node, "aria-label"); !strings.Contains(label, scObjective) || !strings.Contains(label, "Roșu") {
		t.Errorf("the map's node reads %q, want the objective in the red", label)
	}
	b.scCheckPage("the strategy map")

	// The overview in English.
	b.inboxClickNav(navRO, "Tablou de bord (BSC)")
	b.run("switching to English", chromedp.Click(`//button[@name='lang'][@value='en']`, chromedp.NodeVisible))
	b.waitVisible("the English overview", `//main//h1[normalize-space()='Balanced Scorecard']`)
	b.scCheckPage("the English overview")
	if en := b.scTile(scObjective); !strings.Contains(en.status, "Red") {
		t.Errorf("in English the objective reads %q, want Red", en.status)
	}
}

// scTileInfo is an objective's tile on the overview.
type scTileInfo struct{ class, status, href string }

// scTile reads the tile of the objective whose title holds title: its
// classes (sc-green, sc-amber, sc-red), its status badge and its link.
func (b *browser) scTile(title string) scTileInfo {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const t = [...document.querySelectorAll('main article.sc-tile')].find(e => e.querySelector('h3').textContent.includes(%q));
		if (!t) return "";
		return [t.className, t.querySelector('header .sc-badge').innerText.trim(), t.querySelector('h3 a').getAttribute('href')].join("\n");
	})()`, title)
	got := strings.Split(b.inboxEval(js), "\n")
	if len(got) != 3 {
		b.t.Fatalf("no tile for the objective %q on the overview%s", title, b.describe())
	}
	return scTileInfo{class: got[0], status: got[1], href: got[2]}
}

// scSave presses the grid's save button.
func (b *browser) scSave() {
	b.t.Helper()
	b.run("saving the grid", chromedp.Click(`//main//form[contains(@class,'measure-grid')]//button[@type='submit']`, chromedp.NodeVisible))
}

// scCheckPage is checkPage, also for the scorecard's catalogue keys.
func (b *browser) scCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := scRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
