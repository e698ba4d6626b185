package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// riskRawKey matches a catalogue key of the risks module shown instead of
// its translation.
var riskRawKey = regexp.MustCompile(`\brisks\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

// The alert the test sends, with every Romanian letter that has a diacritic.
const (
	riskDescription = "Întârzierea înregistrării plăților făcute prin ghișeul virtual în evidența fiscală a contribuabililor"
	riskCauses      = "Sincronizarea săptămânală, nu zilnică, între portalul de plăți și aplicația de impozite și taxe"
	riskUnit        = "Serviciul Impozite și Taxe Locale"
)

// TestRisksWalkthrough follows one risk from the alert form to the
// register: the head of the economic directorate reports it for a service
// he leads; the quality manager finds it waiting, retains it in the unit's
// register; the heat map's cell lists it; the register and the risk profile
// download; the pages read in English too.
func TestRisksWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	// The head of the economic directorate sends the alert form.
	b.docSignIn("economic")
	b.inboxClickNav(navRO, "Riscuri")
	b.waitVisible("the register", `//main//h1[starts-with(normalize-space(), 'Registrul riscurilor')]`)
	b.riskCheckPage("the register")
	b.clickLink("Formular de alertă la risc")
	b.waitHeading("Formular de alertă la risc")
	b.riskSelect("Compartiment", riskUnit)
	b.typeInto("Obiectivul sau activitatea", "Încasarea veniturilor proprii")
	b.inboxTypeText("Descrierea riscului", riskDescription)
	b.inboxTypeText("Cauze (circumstanțe care favorizează apariția)", riskCauses)
	b.riskSelect("Probabilitate (șansă)", "5 – aproape sigur")
	b.riskSelect("Impact (beneficiu)", "5 – critic")
	b.riskSelect("Strategia adoptată", "Tratare (atenuare)")
	b.clickButton("Transmite alerta")
	b.waitVisible("the proposed risk", `//main//h1[contains(., `+xq(riskDescription)+`)]`)
	code := b.text("main h1 .code")
	b.waitVisible("the proposed state", `//main//span[contains(@class,'tag')][normalize-space()='Propus (alertă)']`)
	b.riskCheckPage("the proposed risk")
	b.inboxSignOut("Ieșire")

	// The quality manager retains it in the unit's register.
	b.docSignIn("calitate")
	b.open("/risks?state=proposed")
	b.clickLink(code)
	b.waitVisible("the decision", `//main//h2[normalize-space()='Decizia echipei de gestionare a riscurilor']`)
	b.clickButton("Reține în registrul compartimentului")
	b.inboxWaitFlash("Riscul a fost reținut în registrul compartimentului.")
	b.waitVisible("the state in the register", `//main//span[contains(@class,'tag')][normalize-space()='În registru']`)

	// The inherent map's cell 5×5 lists it.
	b.inboxClickNav(navRO, "Riscuri")
	cell := `//main//*[local-name()='a'][contains(@href, 'score=inherent')][contains(@href, 'p=5')][contains(@href, '?i=5&')][contains(@href, 'kind=risk')]`
	b.waitVisible("the inherent heat map", `//main//*[local-name()='svg'][@role='img']`)
	b.run("following the heat map's cell 5×5", chromedp.Click(cell))
	b.waitVisible("the cell's filter", `//main//p[contains(@class,'notice')][contains(., 'probabilitate 5 × impact 5')]`)
	b.waitVisible("the risk in the cell's list", `//main//table//a[normalize-space()=`+xq(code)+`]`)
	b.riskCheckPage("the cell's list")

	// The register and the risk profile download.
	for link, want := range map[string]string{
		`main a[href^="/risks/export.xlsx"]`: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		`main a[href^="/risks/profile.pdf"]`: "application/pdf",
	} {
		got := b.docFetch(link)
		if got.Status != 200 || got.Type != want || got.Size < 1000 {
			t.Errorf("%s: %+v, want %s", link, got, want)
		}
		if want == "application/pdf" && got.Head != "%PDF" {
			t.Errorf("the profile starts with %q", got.Head)
		}
	}

	// In English.
	b.clickButton("English")
	b.waitVisible("the register in English", `/html[@lang='en']//main//h1[starts-with(normalize-space(), 'Risk register')]`)
	b.clickLink(code)
	b.waitVisible("the risk in English", `//main//span[contains(@class,'tag')][normalize-space()='In the register']`)
	b.riskCheckPage("the risk in English")
	b.clickButton("Română")
	b.waitVisible("the page in Romanian", `/html[@lang='ro']//main//span[contains(@class,'tag')][normalize-space()='În registru']`)
}

// riskSelect picks, in the menu labelled label, the option whose text
// contains text.
func (b *browser) riskSelect(label, text string) {
	b.t.Helper()
	opt := field(label) + `//option[contains(normalize-space(), ` + xq(text) + `)]`
	value, ok := b.attr(opt, "value")
	if !ok {
		b.t.Fatalf("the menu %q has no option %q", label, text)
	}
	b.run(fmt.Sprintf("choosing %q in %q", text, label), chromedp.SetValue(field(label), value))
}

// riskCheckPage is docCheckPage, also for the risks' catalogue keys.
func (b *browser) riskCheckPage(where string) {
	b.t.Helper()
	b.docCheckPage(where)
	if k := riskRawKey.FindString(strings.ToLower(b.text("body"))); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
