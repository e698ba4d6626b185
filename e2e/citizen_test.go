package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"cadran/internal/demo"
)

// citizenRawKey matches a catalogue key of the citizen pages shown instead
// of its translation.
var citizenRawKey = regexp.MustCompile(`\b(?:citizen|public)\.[a-z_]+(?:\.[a-z_0-9]+)+\b`)

// What the citizen files and the clerk answers.
const (
	ctSubject = "Iluminat public nefuncțional pe str. Țesătorilor"
	ctBody    = "De două săptămâni nu funcționează niciun stâlp de iluminat între numerele 10 și 40. Seara strada este în întuneric."
	ctAnswer  = "Echipa de întreținere a înlocuit lămpile defecte în data de azi; iluminatul funcționează pe toată strada."
	ctUnit    = "Serviciul Investiții și Lucrări Publice"
)

// TestCitizenWalkthrough: a citizen, with no account, files a petition on
// the demo municipality's public page with consent, keeps the number and
// access code of the receipt and finds the petition registered; a wrong
// code and another case's number with the right code are refused; the
// registry clerk finds the petition in the registry by its number, assigns
// it to a unit and answers it; the citizen then finds it answered, with the
// answer's text, and rates the answer, once.
func TestCitizenWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)
	home := "/public/" + demo.CUI

	// The citizen files a petition.
	b.open(home)
	b.waitVisible("the institution's public page", `//main//h1`)
	b.citizenCheckPage("the public page")
	b.open(home + "/file")
	b.waitVisible("the filing form", `//main//form[@action=`+xq(home+"/file")+`]`)
	b.citizenCheckPage("the filing form")
	b.run("choosing a petition", chromedp.Click(chromedp.CSS(`#f-public_kind`), chromedp.NodeVisible))
	b.citizenType("#f-public_name", "Ioana Mureșan")
	b.citizenType("#f-public_email", "ioana.muresan@posta.example")
	b.citizenType("#f-public_subject", ctSubject)
	b.citizenType("#f-public_body", ctBody)
	b.run("giving consent", chromedp.Click(chromedp.CSS(`#f-public_consent`), chromedp.NodeVisible))
	b.run("sending the petition", chromedp.Click(`//main//form[@action=`+xq(home+"/file")+`]//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the receipt", `//main//div[contains(@class,'public-receipt')]`)
	b.citizenCheckPage("the receipt")
	number := strings.TrimSpace(b.text(`.public-receipt dd strong.public-big:not(.public-code)`))
	code := strings.TrimSpace(b.text(`.public-receipt .public-code`))
	if !regexp.MustCompile(`^\d+/\d{4}$`).MatchString(number) || len(code) < 8 {
		t.Fatalf("the receipt shows number %q and code %q", number, code)
	}
	t.Logf("filed %s", number)

	// Its status: registered.
	if got := b.citizenStatus(home, number, code); got != "Înregistrată" {
		t.Errorf("a new petition's status reads %q, want Înregistrată", got)
	}
	if subj := b.text(`main dl.props`); !strings.Contains(subj, ctSubject) {
		t.Errorf("the status page does not show the subject: %q", subj)
	}

	// A wrong code, and the right code with another case's number, open
	// nothing.
	wrong := []byte(code)
	if wrong[0] == 'A' {
		wrong[0] = 'B'
	} else {
		wrong[0] = 'A'
	}
	other := "1/" + number[strings.Index(number, "/")+1:]
	if other == number {
		other = "2/" + number[strings.Index(number, "/")+1:]
	}
	for _, try := range []struct{ what, number, code string }{
		{"a wrong code", number, string(wrong)},
		{"another case's number", other, code},
	} {
		b.citizenLookup(home, try.number, try.code)
		b.waitVisible("the refusal of "+try.what, `//main//div[contains(@class,'error-summary')][@role='alert']`)
		if msg := b.text(`main .error-summary`); !strings.Contains(msg, "Nu există o cerere cu acest număr") {
			t.Errorf("%s: the page says %q", try.what, msg)
		}
		if body := b.text("main"); strings.Contains(body, ctSubject) || strings.Contains(body, "Răspuns transmis") {
			t.Errorf("%s shows a case: %q", try.what, body)
		}
	}

	// The registry clerk finds it, assigns it and answers it.
	clerk := b.docSignIn("registratura")
	b.open("/citizen/cases?q=" + number)
	link := `//main//table//a[normalize-space()=` + xq(number) + `]`
	b.waitVisible("the petition in the registry", link)
	b.citizenCheckPage("the registry")
	b.run("opening the petition", chromedp.Click(link, chromedp.NodeVisible))
	b.waitVisible("the assignment form", `//main//form[@id='assign']`)
	b.citizenCheckPage("the petition")
	unit := get(b, "choosing the unit", chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const s = document.querySelector('#f-citizen_case_assign_unit');
		const o = [...s.options].find(o => o.text.replace(/^(— )+/, '').trim() === %q);
		if (!o) return '';
		s.value = o.value;
		return o.value;
	})()`, ctUnit)))
	if unit == "" {
		t.Fatalf("the unit %q is not among the assignment form's units%s", ctUnit, b.describe())
	}
	b.run("assigning the petition", chromedp.Click(`//main//form[@id='assign']//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the confirmation of the assignment", `//div[contains(@class,'flash')][@role='status']`)
	b.waitVisible("the petition assigned", `//main//span[contains(@class,'state-assigned')]`)
	if dd := b.text(`main dl.props`); !strings.Contains(dd, ctUnit) {
		t.Errorf("the assigned petition does not name %q: %q", ctUnit, dd)
	}
	b.waitVisible("the answer form", `//main//form[@id='answer']`)
	get(b, "choosing the answer's kind", chromedp.Evaluate[bool](`(() => { const s = document.querySelector('#f-citizen_case_answer_kind'); s.value = 'favourable'; return s.value === 'favourable'; })()`))
	b.citizenType("#f-citizen_case_answer", ctAnswer)
	b.run("recording the answer", chromedp.Click(`//main//form[@id='answer']//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the petition answered", `//main//span[contains(@class,'state-answered')]`)
	if ans := b.text(`main section[aria-labelledby="h-answer"]`); !strings.Contains(ans, ctAnswer) {
		t.Errorf("the answered petition does not show its answer: %q", ans)
	}
	b.citizenCheckPage("the answered petition")
	b.screenshot("citizen-answered")
	b.inboxSignOut("Ieșire")

	// The citizen finds the answer and rates it.
	if got := b.citizenStatus(home, number, code); got != "Răspuns transmis" {
		t.Errorf("the answered petition's status reads %q, want Răspuns transmis", got)
	}
	if ans := b.text(`main .public-answer`); !strings.Contains(ans, ctAnswer) {
		t.Errorf("the status page shows the answer %q, want %q", ans, ctAnswer)
	}
	if body := b.text("main"); clerk == "" || strings.Contains(body, clerk) {
		t.Errorf("the status page names the clerk %q", clerk)
	}
	b.waitVisible("the rating form", `//main//form[@action=`+xq(home+"/status/rate")+`]`)
	b.run("giving five stars", chromedp.Click(chromedp.CSS(`label[for="f-public_rating-5"]`), chromedp.NodeVisible))
	b.citizenType("#f-public_comment", "Rezolvat repede, mulțumesc!")
	b.run("sending the rating", chromedp.Click(`//main//form[@action=`+xq(home+"/status/rate")+`]//button[@type='submit']`, chromedp.NodeVisible))
	b.waitHeading("Mulțumim pentru evaluare!")
	b.citizenCheckPage("the thanks")

	// Once: the status page no longer offers the rating.
	b.citizenStatus(home, number, code)
	if n := get(b, "counting the rating forms", chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/status/rate"]').length`)); n != 0 {
		t.Errorf("the status page still offers the rating after it was given")
	}
}

// citizenType clears the control found by a CSS selector and types text
// into it.
func (b *browser) citizenType(css, text string) {
	b.t.Helper()
	b.run("waiting for "+css, chromedp.WaitVisible(chromedp.CSS(css)))
	get(b, "clearing "+css, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = ''; return true; })()`, css)))
	b.run("typing into "+css, chromedp.SendKeys(chromedp.CSS(css), text))
}

// citizenLookup sends the status form with a number and a code.
func (b *browser) citizenLookup(home, number, code string) {
	b.t.Helper()
	b.open(home + "/status")
	form := `//main//form[@action=` + xq(home+"/status") + `]`
	b.waitVisible("the status form", form)
	b.citizenType("#f-public_number", number)
	b.citizenType("#f-public_code", code)
	b.run("looking the case up", chromedp.Click(form+`//button[@type='submit']`, chromedp.NodeVisible))
}

// citizenStatus looks a case up and returns the state its page shows.
func (b *browser) citizenStatus(home, number, code string) string {
	b.t.Helper()
	b.citizenLookup(home, number, code)
	b.waitVisible("the status of "+number, `//main//p[contains(@class,'public-state')]//strong`)
	b.citizenCheckPage("the status of " + number)
	return strings.TrimSpace(b.text(`main p.public-state strong`))
}

// citizenCheckPage does what checkPage does, with the citizen pages' keys
// too, reading the page's text in one step (a page that has just loaded
// may replace the body node between a query and a read).
func (b *browser) citizenCheckPage(where string) {
	b.t.Helper()
	b.run("waiting for the page "+where, chromedp.WaitReady(chromedp.CSS("body")))
	body := get(b, "reading the page "+where, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	for _, re := range []*regexp.Regexp{rawKey, citizenRawKey} {
		if k := re.FindString(body); k != "" {
			b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
		}
	}
	for _, bad := range []string{"ş", "ţ", "Ş", "Ţ", "Ã", "Ä\u0083", "Ä\u0082", "\uFFFD"} {
		if strings.Contains(body, bad) {
			b.t.Errorf("%s: the page shows a wrongly encoded letter %q", where, bad)
		}
	}
}
