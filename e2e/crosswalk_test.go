package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cwRawKey matches a catalogue key of the crosswalk shown instead of its
// translation.
var cwRawKey = regexp.MustCompile(`\bcrosswalk\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

// cwEvidence is the evidence the browser test records against ISO 7.5.
const cwEvidence = "Registrul de evidență a arhivei, verificat la inventarul anual"

// TestCrosswalk: the quality manager opens the crosswalk from the menu,
// sees standard 13 matched to ISO 7.5 and CAF 4.4, notes CAF 4.4's
// evidence through the crosswalk, records evidence once on ISO 7.5 in the
// compliance matrix, and finds it on OSGG 13's page (attached to ISO 7.5)
// and counted in the CAF readiness; the pages read in English too.
func TestCrosswalk(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)
	b.docSignIn("calitate")

	b.inboxClickNav(navRO, "Corespondența standardelor")
	b.waitHeading("Corespondența standardelor")
	b.waitVisible("standard 13 with ISO 7.5", `//main//tr[@id='std-13']//a[@href='/crosswalk/iso/7.5']`)
	b.waitVisible("standard 13 with CAF 4.4", `//main//tr[@id='std-13']//a[@href='/crosswalk/caf/4.4']`)
	b.cwCheckPage("the mapping")

	// The CAF readiness before.
	b.clickLink("Stadiul dovezilor: CAF")
	b.waitHeading("Stadiul dovezilor: CAF")
	through := func() int {
		t.Helper()
		cells := b.texts(`#item-4\.4 td.num`)
		if len(cells) != 2 {
			t.Fatalf("CAF 4.4's row has %d counts", len(cells))
		}
		n, err := strconv.Atoi(cells[1])
		if err != nil {
			t.Fatalf("CAF 4.4's count through the crosswalk reads %q", cells[1])
		}
		return n
	}
	before := through()
	b.cwCheckPage("the CAF readiness")

	// Evidence recorded once, against ISO 7.5.
	b.open("/compliance/clauses/7.5")
	b.waitVisible("the clause", `//main//h1[contains(normalize-space(), 'Informații documentate')]`)
	b.waitVisible("the crosswalk panel", `//main//section[@id='crosswalk']//a[@href='/crosswalk/osgg/13']`)
	b.typeInto("Ce dovedește", cwEvidence)
	b.clickButton("Adaugă o dovadă")
	b.inboxWaitFlash("Dovada a fost adăugată.")

	// OSGG 13 shows it, attached to ISO 7.5.
	b.open("/crosswalk/osgg/13")
	b.waitHeading("OSGG 600 13 Gestionarea documentelor")
	b.waitVisible("the evidence through ISO 7.5", `//main//ul[@class='cw-pieces']/li[contains(., `+xq(cwEvidence)+`)]//a[@href='/crosswalk/iso/7.5']`)
	b.waitVisible("the archival nomenclature of the demo", `//main//ul[@class='cw-pieces']/li[contains(., 'Nomenclatorul arhivistic')]`)
	b.cwCheckPage("OSGG 13")

	// And CAF 4.4 counts one more piece through the crosswalk.
	b.open("/crosswalk/caf")
	b.waitHeading("Stadiul dovezilor: CAF")
	if after := through(); after != before+1 {
		t.Errorf("CAF 4.4 counts %d pieces through the crosswalk, was %d: want one more", after, before)
	}
	got := b.docFetch(`main a[href^="/crosswalk/caf/export.csv"]`)
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/csv") || got.Size < 500 {
		t.Errorf("the CAF readiness as CSV: %+v", got)
	}
	b.open("/crosswalk/caf/4.4")
	b.waitVisible("the evidence on CAF 4.4", `//main//li[contains(., `+xq(cwEvidence)+`)]`)

	// In English.
	b.clickButton("English")
	b.waitVisible("the item in English", `/html[@lang='en']//main//h1[contains(normalize-space(), 'Managing information and knowledge')]`)
	if body := b.text("main"); !strings.Contains(body, "Attached to:") || !strings.Contains(body, cwEvidence) {
		t.Error("the English item page lacks the evidence and where it was attached")
	}
	b.cwCheckPage("CAF 4.4 in English")
	b.open("/crosswalk/osgg")
	b.waitHeading("Evidence readiness: OSGG 600")
	b.cwCheckPage("the OSGG readiness in English")
	b.clickButton("Română")
	b.waitHeading("Stadiul dovezilor: OSGG 600")
}

// cwCheckPage is docCheckPage, also for the crosswalk catalogue's keys.
func (b *browser) cwCheckPage(where string) {
	b.t.Helper()
	b.docCheckPage(where)
	if k := cwRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
