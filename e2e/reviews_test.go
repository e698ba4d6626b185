package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// reviewRawKey matches a catalogue key of the reviews module shown instead
// of its translation.
var reviewRawKey = regexp.MustCompile(`\breviews\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

const (
	reviewDecision = "Suplimentarea bugetului pentru instruirea auditorilor interni ai calității în anul următor"
	reviewAction   = "Întocmirea notei de fundamentare privind fondurile de instruire a auditorilor"
)

// TestReviewsWalkthrough: the quality manager opens this year's management
// review, compiles its inputs from the registers, records that the meeting
// took place, a decision and an action for the head of the economic
// directorate; the minutes download; the action is in its owner's inbox.
func TestReviewsWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	b.docSignIn("calitate")
	b.inboxClickNav(navRO, "Analiza managementului")
	b.waitVisible("the list of reviews", `//main//h1[normalize-space()='Analiza efectuată de management']`)
	b.reviewCheckPage("the list of reviews")
	code := b.text(`main table tbody tr:first-child td:first-child a`)
	if !strings.HasPrefix(code, "AM-") {
		t.Fatalf("the newest review's code is %q", code)
	}
	b.clickLink(code)
	b.waitVisible("the review", `//main//h2[normalize-space()='Date de intrare (ISO 9001, 9.3.2)']`)
	b.clickButton("Compilează din nou")
	b.inboxWaitFlash("Datele de intrare ale analizei " + code + " au fost compilate.")
	b.waitVisible("the compiled nonconformities", `//main//li[starts-with(normalize-space(), 'Neconformități constatate în perioadă:')]`)
	b.waitVisible("the carried actions", `//main//p[starts-with(normalize-space(), 'Acțiuni deschise preluate din analizele anterioare:')]`)
	b.reviewCheckPage("the compiled review")

	b.clickButton("Ședința a avut loc")
	b.inboxWaitFlash("Ședința analizei " + code + " a fost consemnată; datele de intrare sunt înghețate.")
	b.riskSelect("Categoria deciziei", "Necesar de resurse")
	b.inboxTypeText("Decizia", reviewDecision)
	b.clickButton("Adaugă decizia")
	b.inboxWaitFlash("Decizia a fost consemnată.")
	b.riskSelect("Decizia din care decurge", "Suplimentarea bugetului")
	b.inboxTypeText("Acțiunea", reviewAction)
	b.riskSelect("Responsabil", "· Direcția Economică")
	b.run("setting the due date", chromedp.SetValue(field("Termen"), "2027-01-29"))
	b.clickButton("Adaugă acțiunea")
	b.inboxWaitFlash("Acțiunea a fost stabilită și a ajuns la responsabil.")
	b.waitVisible("the action under its decision", `//main//article[contains(., `+xq(reviewDecision)+`)]//li[contains(., `+xq(reviewAction)+`)]`)
	b.reviewCheckPage("the review with its outputs")
	for link, want := range map[string]string{
		`main a[href$="/minutes.pdf"]`:  "application/pdf",
		`main a[href$="/minutes.docx"]`: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	} {
		got := b.docFetch(link)
		if got.Status != 200 || got.Type != want || got.Size < 1000 {
			t.Errorf("%s: %+v, want %s", link, got, want)
		}
	}
	b.inboxSignOut("Ieșire")

	// The head of the economic directorate finds the action in his inbox.
	b.docSignIn("economic")
	b.open("/work")
	b.waitVisible("the action in the owner's inbox", `//main//a[contains(normalize-space(), `+xq(code+": "+reviewAction)+`)]`)
}

// reviewCheckPage is docCheckPage, also for the reviews' catalogue keys.
func (b *browser) reviewCheckPage(where string) {
	b.t.Helper()
	b.docCheckPage(where)
	if k := reviewRawKey.FindString(strings.ToLower(b.text("body"))); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
