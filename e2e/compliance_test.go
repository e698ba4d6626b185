package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// cmpRawKey matches a catalogue key of the compliance module shown instead
// of its translation.
var cmpRawKey = regexp.MustCompile(`\bcompliance\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

// The readiness gap that clause 9.1.2, partly implemented in the demo,
// gives.
const cmpPartialGap = "Cerința 9.1.2 „Satisfacția clientului” este doar parțial implementată."

// TestComplianceWalkthrough: the quality manager opens the matrix, sees
// the certificate and the partly implemented clause 9.1.2 in the readiness
// view, records that the clause is now implemented, and the readiness view
// no longer lists it; the matrix and the readiness list download; the
// pages read in English too.
func TestComplianceWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	b.docSignIn("calitate")
	b.inboxClickNav(navRO, "Conformitate ISO 9001")
	b.waitHeading("Matricea de conformitate ISO 9001")
	b.waitVisible("the certificate", `//main//section[@aria-labelledby='h-cert']//p[contains(., 'RO-QMS-2417')]`)
	b.waitVisible("the policy", `//main//a[contains(normalize-space(), 'PC-01')]`)
	b.waitVisible("8.3 excluded", `//main//tr[@id='clause-8.3']//span[normalize-space()='exclusă din domeniu']`)
	b.cmpCheckPage("the matrix")

	b.clickLink("Pregătirea pentru auditul extern")
	b.waitHeading("Pregătirea pentru auditul extern")
	b.waitVisible("the partial clause's gap", `//main//td[normalize-space()=`+xq(cmpPartialGap)+`]`)
	b.waitVisible("the open surveillance finding", `//main//td[contains(., 'Constatarea ultimului audit extern')]`)
	before := len(b.texts("main table tbody tr"))
	b.cmpCheckPage("the readiness view")

	b.open("/compliance")
	b.clickLink("9.1.2 Satisfacția clientului")
	b.waitVisible("the clause", `//main//h1[contains(normalize-space(), 'Satisfacția clientului')]`)
	b.waitVisible("the partial status", `//main//p/span[contains(@class,'tag')][normalize-space()='Parțial implementată']`)
	b.waitVisible("the evidence entered by hand", `//main//section[@id='manual']//li[contains(., 'Raportul privind satisfacția cetățenilor')]`)
	b.run("opening the assessment", chromedp.Click(`//main//summary[normalize-space()='Evaluarea cerinței']`, chromedp.NodeVisible))
	b.run("choosing Implementată", chromedp.Click(`//main//label[normalize-space()='Implementată']/input`, chromedp.NodeVisible))
	b.clickButton("Salvează")
	b.inboxWaitFlash("Modificările au fost salvate.")
	b.waitVisible("the new status", `//main//p/span[contains(@class,'tag')][normalize-space()='Implementată']`)
	b.cmpCheckPage("the assessed clause")

	b.open("/compliance/readiness")
	b.waitHeading("Pregătirea pentru auditul extern")
	if body := b.text("main"); strings.Contains(body, cmpPartialGap) {
		t.Error("the readiness view still lists 9.1.2 as partly implemented")
	}
	if after := len(b.texts("main table tbody tr")); after != before-1 {
		t.Errorf("the readiness view lists %d gaps, was %d: want one fewer", after, before)
	}
	got := b.docFetch(`main a[href^="/compliance/readiness.pdf"]`)
	if got.Status != 200 || got.Type != "application/pdf" || got.Head != "%PDF" {
		t.Errorf("the readiness PDF: %+v", got)
	}

	// In English.
	b.clickButton("English")
	b.waitVisible("the readiness view in English", `/html[@lang='en']//main//h1[normalize-space()='Readiness for the external audit']`)
	b.cmpCheckPage("the readiness view in English")
	b.open("/compliance")
	b.waitVisible("the matrix in English", `//main//h1[normalize-space()='ISO 9001 compliance matrix']`)
	got = b.docFetch(`main a[href^="/compliance/export.xlsx"]`)
	if got.Status != 200 || got.Type != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || got.Size < 1000 {
		t.Errorf("the matrix XLSX: %+v", got)
	}
	b.clickButton("Română")
	b.waitHeading("Matricea de conformitate ISO 9001")
}

// cmpCheckPage is docCheckPage, also for the compliance catalogue's keys.
func (b *browser) cmpCheckPage(where string) {
	b.t.Helper()
	b.docCheckPage(where)
	if k := cmpRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
