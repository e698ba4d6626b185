package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// cafRawKey matches a catalogue key of the CAF pages shown instead of its
// translation.
var cafRawKey = regexp.MustCompile(`\bcaf\.[a-z_]+(?:\.[a-z_0-9]+)+\b`)

// The demo's cycle in progress, the sub-criterion its two late members
// (economic and angajat) have left, and what the walkthrough enters.
const (
	cafCycle    = "CAF-2026"
	cafSub      = "2.3"
	cafScore1   = "20" // angajat
	cafScore2   = "85" // economic
	cafAgreed   = "55"
	cafCriteria = "2"
)

// TestCAFWalkthrough: two members of the demo's cycle in progress, who had
// left sub-criterion 2.3, each assess it on their own (evidence, strengths,
// areas for improvement, a score) and submit; the quality manager, who
// leads the cycle, reads the results, moves the cycle to consensus, finds
// both scores side by side on 2.3 with the wide spread flagged, records the
// consensus score, and criterion 2's score and the radar chart change.
func TestCAFWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	member1 := b.docSignIn("angajat")
	cycle := b.cafOpenCycle()
	b.cafAssess(cycle, cafScore1, "Raportul de monitorizare a strategiei pe semestrul I",
		"Stadiul obiectivelor este prezentat în ședința conducerii",
		"Obiectivele nu ajung la personalul de execuție din birouri")
	b.inboxSignOut("Ieșire")

	member2 := b.docSignIn("economic")
	if b.cafOpenCycle() != cycle {
		t.Fatalf("economic opened another cycle than angajat")
	}
	b.cafAssess(cycle, cafScore2, "Tabloul de bord lunar; raportul anual de monitorizare a strategiei",
		"Indicatorii Direcției Economice sunt revizuiți lunar, cu explicații pentru abateri",
		"Revizuirea planului de acțiune se face doar anual")
	b.inboxSignOut("Ieșire")

	// The leader reads the results before the consensus on 2.3.
	b.docSignIn("calitate")
	b.open(cycle + "/results")
	b.waitVisible("the results", `//main//tr[@id='crit-`+cafCriteria+`']`)
	b.cafCheckPage("the results")
	before := b.text(`main tr#crit-` + cafCriteria + ` td.num strong`)
	radarBefore := b.cafRadar()
	if n := b.inboxCount(`//main//tr[@id='sub-` + cafSub + `'][contains(@class,'caf-res-missing-row')]`); n != 1 {
		t.Errorf("before the consensus the results do not flag %s as missing", cafSub)
	}

	// Everyone has submitted: the consensus starts.
	b.open(cycle)
	fire := `//main//form[@action=` + xq(cycle+"/fire") + `][.//input[@name='action'][@value='consensus']]//button[@type='submit']`
	b.waitVisible("the consensus button", fire)
	b.run("moving the cycle to consensus", chromedp.Click(fire, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)

	b.open(cycle + "/consensus")
	link := `//main//a[@href=` + xq(cycle+"/consensus/"+cafSub) + `]`
	b.waitVisible("the link to "+cafSub, link)
	b.cafCheckPage("the consensus board")
	b.run("opening the consensus of "+cafSub, chromedp.Click(link, chromedp.NodeVisible))
	form := `//main//form[@action=` + xq(cycle+"/consensus/"+cafSub) + `]`
	b.waitVisible("the consensus form", form)
	b.cafCheckPage("the consensus of " + cafSub)
	for name, score := range map[string]string{member1: cafScore1, member2: cafScore2} {
		card := `//main//article[contains(@class,'caf-member-card')][h3[normalize-space()=` + xq(name) + `]]`
		if n := b.inboxCount(card); n != 1 {
			t.Fatalf("the consensus of %s shows %d cards for %s%s", cafSub, n, name, b.describe())
		}
		if got := get(b, "reading the score of "+name, chromedp.TextContent(card+`//dd[1]/strong`)); strings.TrimSpace(got) != score {
			t.Errorf("the consensus of %s shows %s's score as %q, want %q", cafSub, name, got, score)
		}
	}
	if n := b.inboxCount(`//main//*[contains(@class,'caf-wide-tag')]`); n != 1 {
		t.Errorf("the consensus of %s does not flag the wide spread (%s against %s)", cafSub, cafScore1, cafScore2)
	}

	score := form + `//input[@name='caf_score']`
	b.run("typing the consensus score", chromedp.WaitVisible(score), chromedp.Clear(score), chromedp.SendKeys(score, cafAgreed))
	b.cafType(form, "caf_strengths", "Stadiul obiectivelor este raportat semestrial; indicatorii principali sunt revizuiți lunar")
	b.cafType(form, "caf_improvements", "Obiectivele trebuie coborâte până la personalul de execuție; planul de acțiune se revizuiește semestrial")
	b.run("saving the consensus", chromedp.Click(form+`//button[@type='submit'][not(@name)]`, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)

	// The results: 2.3 has its score, criterion 2 and the radar changed.
	b.open(cycle + "/results")
	b.waitVisible("the results", `//main//tr[@id='crit-`+cafCriteria+`']`)
	b.cafCheckPage("the results after the consensus")
	if got := strings.TrimSpace(b.text(`main tr#sub-` + strings.ReplaceAll(cafSub, ".", `\.`) + ` td.num`)); !strings.HasPrefix(got, cafAgreed) {
		t.Errorf("after the consensus %s reads %q in the results, want %q", cafSub, got, cafAgreed)
	}
	after := b.text(`main tr#crit-` + cafCriteria + ` td.num strong`)
	if after == before || after == "—" {
		t.Errorf("criterion %s reads %q before and %q after the consensus on %s", cafCriteria, before, after, cafSub)
	}
	if radarAfter := b.cafRadar(); radarAfter == radarBefore {
		t.Errorf("the radar chart did not change: %q", radarAfter)
	}
	t.Logf("criterion %s: %s → %s", cafCriteria, before, after)
}

// cafOpenCycle goes from the menu to the demo's cycle in progress and
// returns its address.
func (b *browser) cafOpenCycle() string {
	b.t.Helper()
	b.inboxClickNav(navRO, "Autoevaluare CAF")
	link := `//main//table//a[normalize-space()=` + xq(cafCycle) + `]`
	b.waitVisible("the cycle "+cafCycle+" in the list", link)
	b.cafCheckPage("the cycle list")
	b.run("opening "+cafCycle, chromedp.Click(link, chromedp.NodeVisible))
	b.waitVisible("the cycle's page", `//main//h1[starts-with(normalize-space(), `+xq(cafCycle)+`)]`)
	b.cafCheckPage("the cycle " + cafCycle)
	return b.location()
}

// cafAssess opens the signed-in member's assessment, fills in the
// sub-criterion left, saves it and submits the whole assessment.
func (b *browser) cafAssess(cycle, score, evidence, strengths, improvements string) {
	b.t.Helper()
	b.run("opening my assessment", chromedp.Click(`//main//a[@href=`+xq(cycle+"/assess")+`]`, chromedp.NodeVisible))
	link := `//main//a[@href=` + xq(cycle+"/assess/"+cafSub) + `]`
	b.waitVisible("the link to "+cafSub, link)
	b.cafCheckPage("my assessment")
	// The submit button waits for the last sub-criterion.
	if n := b.inboxCount(`//main//form[@action=` + xq(cycle+"/submit") + `]`); n != 0 {
		b.t.Fatalf("the assessment can be submitted before %s is scored", cafSub)
	}
	b.run("opening "+cafSub, chromedp.Click(link, chromedp.NodeVisible))
	form := `//main//form[@action=` + xq(cycle+"/assess/"+cafSub) + `]`
	b.waitVisible("the assessment form", form)
	b.cafCheckPage("the assessment of " + cafSub)
	b.cafType(form, "caf_evidence", evidence)
	b.cafType(form, "caf_strengths", strengths)
	b.cafType(form, "caf_improvements", improvements)
	input := form + `//input[@name='caf_score']`
	b.run("typing the score", chromedp.WaitVisible(input), chromedp.SendKeys(input, score))
	b.run("saving "+cafSub, chromedp.Click(form+`//button[@type='submit'][not(@name)]`, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)
	if got := b.inputValue(input); got != score {
		b.t.Errorf("after saving, the score of %s reads %q, want %q", cafSub, got, score)
	}

	b.open(cycle + "/assess")
	submit := `//main//form[@action=` + xq(cycle+"/submit") + `]//button[@type='submit']`
	b.waitVisible("the submit button", submit)
	b.run("submitting the assessment", chromedp.Click(submit, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)
	if n := b.inboxCount(`//main//form[@action=` + xq(cycle+"/submit") + `]`); n != 0 {
		b.t.Errorf("the assessment can still be submitted after submitting")
	}
}

// cafType types text into the empty text box named name of a form.
func (b *browser) cafType(form, name, text string) {
	b.t.Helper()
	sel := form + `//textarea[@name=` + xq(name) + `]`
	b.run(fmt.Sprintf("typing into %s", name), chromedp.WaitVisible(sel), chromedp.SendKeys(sel, text))
}

// cafRadar is the current cycle's series on the criteria radar: its
// outline and its points, each titled with its value.
func (b *browser) cafRadar() string {
	b.t.Helper()
	g := b.inboxEval(`(() => { const g = document.querySelector('main figure.caf-radar svg g.radar-current'); return g ? g.innerHTML : ''; })()`)
	if !strings.Contains(g, "radar-point") {
		b.t.Fatalf("the results show no point of the current cycle on the radar%s", b.describe())
	}
	return g
}

// cafCheckPage is checkPage, also for the CAF catalogue keys.
func (b *browser) cafCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := cafRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
