package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/i18n"
)

// auditRawKey matches a catalogue key of the internal audit module shown
// instead of its translation.
var auditRawKey = regexp.MustCompile(`\baudits\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

// The audit the test plans, with Romanian letters that carry diacritics.
const (
	auditTitle    = "Auditul registrului agricol: înscrierea și actualizarea datelor"
	auditUnit     = "Compartimentul Registrul Agricol"
	auditScope    = "Înscrierea datelor în registrul agricol și eliberarea adeverințelor"
	auditFound    = "Patru adeverințe eliberate fără verificarea datelor din registrul agricol în vigoare."
	auditConclude = "Procesul este implementat; o neconformitate minoră privind verificarea datelor."
)

// TestAuditWalkthrough runs an internal audit from plan to report: the
// quality manager plans it with the demo auditor and generates its
// checklist; the auditor (who reads Cadran in English) starts it, records
// verdicts and a finding, finishes the fieldwork, writes the conclusions
// and issues the report; the finding's case is in the nonconformity
// register, and the report downloads as a PDF.
func TestAuditWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	// The auditor's name, as the register lists it.
	auditor := b.docSignIn("auditor")
	b.inboxSignOut("Sign out")

	// The quality manager plans the audit.
	b.docSignIn("calitate")
	b.inboxClickNav(navRO, "Audituri interne")
	b.waitVisible("the audit list", `//main//h1[starts-with(normalize-space(), 'Audit intern')]`)
	b.auditCheckPage("the audit list")
	b.clickLink("Planifică un audit")
	b.waitHeading("Planul auditului")
	b.typeInto("Titlul auditului", auditTitle)
	b.riskSelect("Compartimentul auditat", auditUnit)
	b.inboxTypeText("Domeniul auditului", auditScope)
	b.run("choosing the clause 8.5.1", chromedp.Click(`//main//fieldset[@id='f-audit_clauses']//label[starts-with(normalize-space(), '8.5.1 ')]/input`, chromedp.NodeVisible))
	b.run("choosing the clause 8.2", chromedp.Click(`//main//fieldset[@id='f-audit_clauses']//label[starts-with(normalize-space(), '8.2 ')]/input`, chromedp.NodeVisible))
	b.riskSelect("Auditor-șef", auditor)
	today := time.Now().In(i18n.Bucharest)
	start, end := today.Format(time.DateOnly), today.AddDate(0, 0, 1).Format(time.DateOnly)
	b.run("setting the dates", chromedp.SetValue(field("Prima zi"), start), chromedp.SetValue(field("Ultima zi"), end))
	b.typeInto("Activitatea 1", "Ședința de deschidere")
	b.run("setting the agenda's day", chromedp.SetValue(field("Data 1"), start))
	b.clickButton("Salvează planul")
	b.waitVisible("the planned audit", `//main//h1[contains(., `+xq(auditTitle)+`)]`)
	code := b.text("main h1 .code")
	if !strings.HasPrefix(code, fmt.Sprintf("AI-%d-", today.Year())) {
		t.Errorf("the audit's code is %q", code)
	}
	b.waitVisible("the planned state", `//main//span[contains(@class,'tag')][normalize-space()='planificat']`)
	b.waitVisible("the auditor in the team", `//main//table//td[normalize-space()=`+xq(auditor)+`]`)
	b.clickButton("Generează întrebările")
	b.waitVisible("the generated checklist", `//main//div[contains(@class,'flash')][starts-with(normalize-space(), 'Au fost adăugate')]`)
	b.auditCheckPage("the audit with its checklist")
	b.inboxSignOut("Ieșire")

	// The auditor conducts it, in English.
	b.docSignIn("auditor")
	b.open("/audits")
	b.waitVisible("the audit in the list", `//main//table//a[normalize-space()=`+xq(code)+`]`)
	b.clickLink(code)
	b.waitVisible("the audit", `//main//h1[contains(., `+xq(auditTitle)+`)]`)
	b.clickButton("Start the audit")
	b.inboxWaitFlash("The audit has started.")
	b.riskSelect("Verdict 1", "Conform")
	b.inboxTypeText("Evidence 1", "Registrul agricol și zece adeverințe verificate.")
	b.riskSelect("Verdict 2", "Minor nonconformity")
	b.inboxTypeText("Evidence 2", auditFound)
	b.clickButton("Save the checklist")
	b.inboxWaitFlash("The checklist was saved (2 questions changed).")
	b.riskSelect("Kind of finding", "Minor nonconformity")
	b.riskSelect("ISO 9001 clause not met", "8.5.1")
	b.inboxTypeText("What was found", auditFound)
	b.run("pressing the button to record the finding", chromedp.Click(`//main//form[contains(@action,'/findings')]//button[normalize-space()='Record the finding']`, chromedp.NodeVisible))
	b.waitVisible("the finding's case", `//main//section[@id='findings']//table//a[starts-with(normalize-space(), 'NC-')]`)
	nc := b.text(`main section#findings table a[href^="/nonconformities/"]`)
	b.auditCheckPage("the audit under way")
	b.clickButton("Finish the fieldwork")
	b.inboxWaitFlash("The fieldwork is finished.")
	b.inboxTypeText("Conclusions", auditConclude)
	b.clickButton("Save the report")
	b.inboxWaitFlash("Your changes were saved.")
	b.clickButton("Issue the report and close the audit")
	b.inboxWaitFlash("The report was issued and the audit closed.")
	b.waitVisible("the closed state", `//main//span[contains(@class,'tag')][normalize-space()='closed']`)
	got := b.docFetch(`main a[href$="/report.pdf"]`)
	if got.Status != 200 || got.Type != "application/pdf" || got.Head != "%PDF" || got.Size < 1000 {
		t.Errorf("the audit report: %+v", got)
	}
	got = b.docFetch(`main a[href$="/report.docx"]`)
	if got.Status != 200 || got.Size < 1000 {
		t.Errorf("the Word report: %+v", got)
	}

	// The finding's case is in the nonconformity register.
	b.inboxClickNav("Main navigation", "Nonconformities")
	b.waitVisible("the finding's case in the register", `//main//table//a[normalize-space()=`+xq(nc)+`]`)
	b.clickLink(nc)
	b.waitVisible("the case's source", `//main//dd[contains(., `+xq(code)+`)]`)
}

// auditCheckPage is docCheckPage, also for the internal audit's keys.
func (b *browser) auditCheckPage(where string) {
	b.t.Helper()
	b.docCheckPage(where)
	if k := auditRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
