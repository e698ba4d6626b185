package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/work"
)

// ncRawKey matches a catalogue key of the improvement module shown instead
// of its translation.
var ncRawKey = regexp.MustCompile(`\b(?:nc|proposal)\.[a-z_]+(?:\.[a-z_]+)*\b`)

// The case the test files: what an employee of the tax office reports.
const (
	ncTitle      = "Decizii de impunere tipărite cu numărul de telefon desființat"
	ncDesc       = "Pe 14 decizii de impunere emise săptămâna aceasta apare numărul de telefon vechi al biroului, desființat în august; contribuabilii nu ne pot suna."
	ncWhy        = "De ce apare numărul vechi?"
	ncBecause    = "Șablonul deciziei din aplicația fiscală nu a fost actualizat după mutare."
	ncCause      = "Nimeni nu răspunde de actualizarea șabloanelor după o schimbare de sediu"
	ncConclusion = "Procedura de emitere a deciziilor nu prevede verificarea șablonului după schimbarea datelor de contact."
	ncAction     = "Actualizarea șablonului deciziei de impunere și verificarea lui la fiecare schimbare de date de contact"
	ncDone       = "Șablonul a fost corectat; deciziile greșite au fost retipărite și retransmise."
)

// TestImprovementWalkthrough files a nonconformity and carries it to its
// closure in the browser: an employee of the tax office reports it; the
// quality manager accepts it and names the head of the economic directorate
// as its owner; he records the root cause (a why and a cause of the grid)
// and a corrective action for the employee, and starts the actions; the
// employee finds the action in "Munca mea" and marks it done from the case
// page; the owner plans the effectiveness check, and Cadran refuses the
// action's owner as the checker; the quality manager, a different person,
// finds the action effective and the case shows closed; the page reads in
// English too.
func TestImprovementWalkthrough(t *testing.T) {
	base := startServer(t)
	var (
		empName, qmName string // names as the header shows them
		code, casePath  string
	)
	part := func(what string, f func(t *testing.T, b *browser)) {
		t.Helper()
		done := false
		passed := t.Run(what, func(t *testing.T) {
			f(t, newBrowser(t, base))
			done = true
		})
		if !done {
			if passed {
				t.SkipNow() // no browser
			}
			t.FailNow()
		}
	}
	part("1 employee reports", func(t *testing.T, b *browser) {
		empName = b.docSignIn("angajat")
		b.inboxClickNav(navRO, "Neconformități")
		b.waitHeading("Registrul neconformităților")
		b.ncCheckPage("the log (employee)")
		b.clickLink("Raportați o neconformitate")
		b.waitHeading("Raportați o neconformitate")
		if unit := get(b, "reading the chosen unit", chromedp.Evaluate[string](`document.getElementById("f-unit_id").selectedOptions[0].textContent`)); !strings.Contains(unit, "Biroul Constatare și Control Persoane Fizice") {
			t.Errorf("the report starts in the unit %q, want the employee's", unit)
		}
		// Sent without a title: refused, with what was typed kept.
		b.inboxTypeText("Descrierea neconformității", ncDesc)
		b.run("choosing the source and the severity",
			chromedp.SetValue(field("Sursa"), b.optionValue("Sursa", "Sesizare a unui angajat")),
			chromedp.SetValue(field("Gravitate"), b.optionValue("Gravitate", "minoră")),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("f-title").form.noValidate = true`))
		b.clickButton("Trimiteți sesizarea")
		b.waitVisible("the error summary", `//main//*[@role='alert']`)
		if s := b.text(`main [role=alert]`); !strings.Contains(s, "câmp obligatoriu") {
			t.Errorf("the error summary reads %q", s)
		}
		if v := b.inputValue(field("Descrierea neconformității")); v != ncDesc {
			t.Errorf("after the refusal the description holds %q", v)
		}
		b.typeInto("Titlu", ncTitle)
		b.screenshot("improvement-01-report")
		b.clickButton("Trimiteți sesizarea")
		b.waitVisible("the case page", `//main//h1[contains(., `+xq(ncTitle)+`)]`)
		casePath = b.location()
		if !regexp.MustCompile(`^/nonconformities/\d+$`).MatchString(casePath) {
			t.Fatalf("after reporting the browser is at %q", casePath)
		}
		code = b.text("main h1 .code")
		b.inboxWaitFlash(fmt.Sprintf("Sesizarea a fost înregistrată cu numărul %s.", code))
		if !regexp.MustCompile(`^NC-\d{4}-\d{3}$`).MatchString(code) {
			t.Errorf("the case's code is %q", code)
		}
		b.ncCheckPage("the reported case")
	})
	part("2 quality manager accepts", func(t *testing.T, b *browser) {
		qmName = b.docSignIn("calitate")
		b.open(casePath)
		b.waitHeading(code + " " + ncTitle)
		owner := b.docOption("Responsabilul cazului", " · Direcția Economică")
		b.run("naming the owner", chromedp.SetValue(field("Responsabilul cazului"), owner.value))
		b.clickButton("Acceptați în analiză")
		b.inboxWaitFlash(code + " a fost acceptată în analiză.")
		if s := b.text("main .tag.state-analysis"); s != "în analiză" {
			t.Errorf("the accepted case shows the state %q", s)
		}
	})
	part("3 owner analyses and plans", func(t *testing.T, b *browser) {
		b.docSignIn("economic")
		b.open(casePath)
		b.waitHeading(code + " " + ncTitle)
		b.typeInto("De ce? 1", ncWhy)
		b.typeInto("Pentru că 1", ncBecause)
		b.run("filling a cause of the grid",
			chromedp.SetValue(field("Categoria 1"), "methods"),
			chromedp.SendKeys(field("Cauza 1"), ncCause),
			chromedp.Click(`//input[@name='root_0']`, chromedp.NodeVisible))
		b.inboxTypeText("Concluzia analizei", ncConclusion)
		b.clickButton("Salvați analiza")
		b.inboxWaitFlash("Modificările au fost salvate.")
		if v := b.inputValue(field("Pentru că 1")); v != ncBecause {
			t.Errorf("after saving, the first answer reads %q", v)
		}
		due := work.Day(time.Now()).AddDate(0, 0, 14).Format(time.DateOnly)
		b.inboxTypeText("Acțiunea", ncAction)
		b.run("choosing the action's owner and due day",
			chromedp.SetValue(field("Responsabil"), b.docOption("Responsabil", empName).value),
			chromedp.SetValue(field("Termen"), due))
		b.clickButton("Adăugați o acțiune corectivă")
		b.inboxWaitFlash("Acțiunea a fost adăugată și a ajuns la responsabilul ei.")
		b.clickButton("Treceți la realizarea acțiunilor")
		b.inboxWaitFlash(code + ": acțiunile corective sunt în curs.")
		b.ncCheckPage("the case with its actions under way")
		b.screenshot("improvement-02-actions")
	})
	part("4 employee carries the action out", func(t *testing.T, b *browser) {
		b.docSignIn("angajat")
		b.docOpenTask(code+": "+ncAction, "Acțiune")
		b.waitHeading(code + " " + ncTitle)
		b.inboxTypeText("Ce s-a făcut", ncDone)
		b.clickButton("Marcați ca realizată")
		b.inboxWaitFlash("Acțiunea a fost marcată ca realizată.")
		if !strings.Contains(b.text("#actions"), ncDone) {
			t.Error("the done action does not show what was done")
		}
	})
	part("5 owner plans the check", func(t *testing.T, b *browser) {
		b.docSignIn("economic")
		b.open(casePath)
		b.waitHeading(code + " " + ncTitle)
		// The action's owner may not check it.
		b.run("choosing the action's owner as checker", chromedp.SetValue(field("Verificator"), b.docOption("Verificator", empName).value))
		b.clickButton("Planificați verificarea eficacității")
		b.waitVisible("the error summary", `//main//*[@role='alert']`)
		if s := b.text(`main [role=alert]`); !strings.Contains(s, "verificatorul nu poate fi responsabilul unei acțiuni a cazului") {
			t.Errorf("the checker rule's message reads %q", s)
		}
		b.run("choosing the quality manager as checker", chromedp.SetValue(field("Verificator"), b.docOption("Verificator", qmName).value))
		b.clickButton("Planificați verificarea eficacității")
		b.inboxWaitFlash(code + ": verificarea eficacității a fost planificată.")
		if n := b.inboxCount(`//button[normalize-space()='Acțiunile sunt eficace: închideți cazul']`); n != 0 {
			t.Error("the owner is offered the verdict")
		}
	})
	part("6 quality manager finds it effective", func(t *testing.T, b *browser) {
		b.docSignIn("calitate")
		b.open(casePath)
		b.waitHeading(code + " " + ncTitle)
		b.clickButton("Acțiunile sunt eficace: închideți cazul")
		b.inboxWaitFlash(code + " a fost închisă.")
		if s := b.text("main .tag.state-closed"); s != "închisă" {
			t.Errorf("the case shows the state %q", s)
		}
		checks := b.text("#checks")
		if !strings.Contains(checks, "eficace") || !strings.Contains(checks, qmName) {
			t.Errorf("the checks read %q", checks)
		}
		b.ncCheckPage("the closed case")
		b.screenshot("improvement-03-closed")
		b.open("/nonconformities?state=closed&q=" + code)
		b.waitVisible("the closed case in the log", `//main//table//a[normalize-space()=`+xq(code)+`]`)
	})
	part("7 in English", func(t *testing.T, b *browser) {
		b.docSignIn("auditor") // the auditor reads in English
		b.open(casePath)
		b.waitHeading(code + " " + ncTitle)
		body := b.text("main")
		for _, want := range []string{"Nonconformity log", "closed", "The five whys", "Corrective actions", "Effectiveness check", ncBecause} {
			if !strings.Contains(body, want) {
				t.Errorf("the English page lacks %q", want)
			}
		}
		b.ncCheckPage("the case in English")
	})
}

// ncCheckPage is checkPage, also for the module's catalogue keys.
func (b *browser) ncCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := ncRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
