package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/textutil"
	"cadran/internal/work"
)

// docRawKey matches a catalogue key of the documents module shown instead
// of its translation; rawKey and inboxRawKey cover the other keys.
var docRawKey = regexp.MustCompile(`\b(?:document|documents|upload|print)\.[a-z_]+(?:\.[a-z_]+)*\b`)

// docHash is the start of a sign-off's content hash, as the sign-off table
// shows it.
var docHash = regexp.MustCompile(`^[0-9a-f]{12}$`)

// docRead is the tracker's "read / total" cell.
var docRead = regexp.MustCompile(`^(\d+) / (\d+)$`)

// The procedure the test writes: its title and sections, with every
// Romanian letter that has a diacritic. The purpose repeats the title's
// words, so that a search for the title highlights them in the snippet.
const (
	docTitle   = "Eșalonarea obligațiilor fiscale restante ale persoanelor fizice afectate de calamități naturale"
	docPurpose = "Stabilește modul în care se aprobă eșalonarea obligațiilor fiscale restante ale persoanelor fizice afectate de calamități naturale."
	docScope   = "Se aplică în Serviciul Impozite și Taxe Locale și în birourile sale, de la înregistrarea cererii până la comunicarea deciziei."
	docDescr   = "Contribuabilul depune cererea la registratură, însoțită de procesul-verbal de constatare a pagubelor.\n" +
		"Inspectorul verifică în cel mult cinci zile lucrătoare dacă sunt îndeplinite condițiile și întocmește referatul.\n" +
		"- cererea tip, semnată de contribuabil;\n" +
		"- decizia de eșalonare, aprobată de primar."
	// The demo's head of the economic directorate, who drafts, and the unit
	// of the demo employee, under the directorate.
	docUnit         = "Direcția Economică"
	docEmployeeUnit = "Biroul Constatare și Control Persoane Fizice"
)

// TestDocumentsWalkthrough follows one operational procedure from its
// register entry to the people who must read it: the head of the economic
// directorate registers it (the code left for Cadran to propose), writes its
// sections and sends it for checking, first without the signers; the quality
// manager checks it from "Munca mea"; the mayor approves it and it comes into
// force; an employee of a unit under the directorate confirms reading it; the
// quality manager sees the confirmation in the tracker, finds the procedure
// by a search without diacritics, prints it and exports the master list; the
// pages read in English too.
func TestDocumentsWalkthrough(t *testing.T) {
	started := time.Now()
	base := startServer(t)
	today := work.Day(time.Now()).Format(time.DateOnly) // as the server reckons it
	// What one person's part leaves for the next ones.
	var (
		head, employee     string    // names as the header shows them
		verifier, approver docSigner // chosen when sending for checking
		code, name, task   string    // the code; code and title; the inbox tasks' title
		docPath            string    // /documents/{id}
		versionPath        string    // /documents/{id}/versions/{vid}
	)
	// Each person works in a browser of their own, closed when their part
	// ends. A part that stops (t.Fatal) ends the story; one that only
	// reports errors lets it go on.
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

	// 1. The head of the economic directorate registers a new procedure of
	// his directorate, writes it and sends it for checking.
	part("1 head of unit drafts", func(t *testing.T, b *browser) {
		head = b.docSignIn("economic")
		b.inboxClickNav(navRO, "Documente")
		b.waitHeading("Lista documentelor")
		if cur, _ := b.attr(`//nav[@aria-label='Navigare principală']//a[@aria-current='page']`, "href"); cur != "/documents" {
			t.Errorf("on the document list the navigation marks %q as the current page, want /documents", cur)
		}
		b.docCheckPage("document list (head of unit)")
		b.clickLink("Document nou")
		b.waitHeading("Înregistrarea unui document nou")
		if v := b.inputValue(field("Cod")); v != "" {
			t.Errorf("the code of a new document starts as %q, want it empty", v)
		}
		before, _ := b.attr(field("Cod"), "placeholder")
		if before == "" {
			t.Error("the empty code shows no proposed code as its placeholder")
		}
		b.run("choosing the kind and the unit",
			chromedp.SetValue(field("Tip"), b.optionValue("Tip", "Procedură operațională")),
			chromedp.SetValue(field("Compartiment"), b.optionValue("Compartiment", docUnit)))
		// The scheme's code holds the unit's: the proposal follows the
		// choice, at once or after asking the server.
		b.docPoll(`document.getElementById("f-code").placeholder !== `+strconv.Quote(before), 2*time.Second)
		proposed, _ := b.attr(field("Cod"), "placeholder")
		b.typeInto("Titlu", docTitle)
		b.docCheckPage("new document form")
		b.screenshot("documents-01-new")
		b.clickButton("Salvează")
		b.waitVisible("the draft editor", `//main//h1[starts-with(normalize-space(), 'Redactează proiectul:')]`)
		b.inboxWaitFlash("Înregistrarea a fost creată.")
		editPath := b.location()
		m := regexp.MustCompile(`^(/documents/\d+)/versions/\d+/edit$`).FindStringSubmatch(editPath)
		if m == nil {
			t.Fatalf("after registering the document the browser is at %q, want the draft editor", editPath)
		}
		docPath, versionPath = m[1], strings.TrimSuffix(editPath, "/edit")
		h1 := b.text("main h1")
		code, _, _ = strings.Cut(strings.TrimPrefix(h1, "Redactează proiectul: "), " · ")
		name = code + " " + docTitle
		task = name + " (I.0)"
		if !strings.HasPrefix(code, "PO-DE-") {
			t.Errorf("the new procedure of %s got the code %q, want the scheme's PO-DE-nn", docUnit, code)
		}
		if code != proposed {
			t.Errorf("the form proposed the code %q (its placeholder, after choosing %s), the document got %q", proposed, docUnit, code)
		}
		if !strings.HasSuffix(h1, "Ediția I, revizia 0") {
			t.Errorf("the draft editor's heading reads %q, want edition I, revision 0", h1)
		}

		// The sections, pasted as from a draft written in Word, then saved.
		sections := map[string]string{"4. Scopul procedurii": docPurpose, "5. Domeniul de aplicare": docScope, "8. Descrierea procedurii": docDescr}
		for label, text := range sections {
			b.docPaste(label, text)
		}
		b.clickButton("Salvează")
		b.inboxWaitFlash("Modificările au fost salvate.")
		if loc := b.location(); loc != editPath {
			t.Errorf("after saving the draft the browser is at %q, want the editor %q", loc, editPath)
		}
		for label, want := range sections {
			if got := b.inputValue(field(label)); got != want {
				t.Errorf("after saving, the section %q holds %q, want %q", label, got, want)
			}
		}
		b.docCheckPage("draft editor")
		b.clickButton("Salvează și vezi documentul")
		b.waitHeading(name)
		if loc := b.location(); loc != versionPath {
			t.Errorf("“Salvează și vezi documentul” leads to %q, want %q", loc, versionPath)
		}
		b.waitVisible("the notice that the draft is not in force", `//main//p[@role='note'][contains(., 'nu este în vigoare (Proiect)')]`)
		content := b.text("main .procedure")
		for _, want := range []string{"4. Scopul procedurii", docPurpose, docScope, "Inspectorul verifică în cel mult cinci zile lucrătoare"} {
			if !strings.Contains(content, want) {
				t.Errorf("the draft's content lacks %q:\n%s", want, content)
			}
		}
		// The editor's hint says lines starting with "- " are a list, and
		// the printout makes them one; the page should too.
		if items := b.texts("main .procedure li"); !slices.Contains(items, "cererea tip, semnată de contribuabil;") {
			t.Errorf("the description's “- ” lines are not shown as a list; the content's list items are %q", items)
		}

		// Sent for checking without the signers: the browser refuses it,
		// as the menus are required.
		const submit = "Trimite la verificare (Elaborat)"
		verifier = b.docOption("Verificat de", "responsabil cu managementul calității")
		approver = b.docOption("Aprobat de", " · Primar")
		b.clickButton(submit)
		if missing := b.inboxEval(`String(document.getElementById("f-verifier_id").validity.valueMissing)`); missing != "true" {
			t.Errorf("sending without a verifier: the browser's check says valueMissing=%s, want true", missing)
		}
		if loc := b.location(); loc != versionPath {
			t.Errorf("sending without signers went to %q, want to stay on %q", loc, versionPath)
		}
		// The server refuses it too: with the browser's check off, the
		// verifier chosen and the approver not.
		b.run("choosing only the verifier and sending without the browser's check",
			chromedp.SetValue(field("Verificat de"), verifier.value),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("f-verifier_id").form.noValidate = true`))
		b.clickButton(submit)
		b.waitVisible("the error summary", `//main//*[@role='alert']`)
		if n := b.inboxCount(`//main//*[@role='alert']`); n != 1 {
			t.Errorf("the refused submission shows %d error summaries, want one", n)
		}
		summary := b.text(`main [role=alert]`)
		for _, want := range []string{"Verificați câmpurile marcate", "Aprobat de: câmp obligatoriu"} {
			if !strings.Contains(summary, want) {
				t.Errorf("the error summary reads %q, want it to contain %q", summary, want)
			}
		}
		if msg := b.text("#e-approver_id"); msg != "câmp obligatoriu" {
			t.Errorf("the approver's error message reads %q", msg)
		}
		if inv, _ := b.attr(field("Aprobat de"), "aria-invalid"); inv != "true" {
			t.Errorf("the approver menu has aria-invalid=%q, want true", inv)
		}
		if desc, _ := b.attr(field("Aprobat de"), "aria-describedby"); desc != "e-approver_id" {
			t.Errorf("the approver menu points at %q for its error (aria-describedby), want e-approver_id", desc)
		}
		if got := b.inputValue(field("Verificat de")); got != verifier.value {
			t.Errorf("after the error the verifier menu holds %q, want the verifier chosen (%s, %q)", got, verifier.name, verifier.value)
		}
		if content := b.text("main .procedure"); !strings.Contains(content, docPurpose) {
			t.Errorf("after the error the page lost the draft's content:\n%s", content)
		}
		b.docCheckPage("refused submission")
		b.screenshot("documents-02-submit-error")
		b.run("choosing the verifier and the approver",
			chromedp.SetValue(field("Verificat de"), verifier.value),
			chromedp.SetValue(field("Aprobat de"), approver.value))
		b.clickButton(submit)
		b.inboxWaitFlash("Documentul a fost trimis la verificare.")
		b.waitHeading(name)
		b.docWaitState("La verificare")
		b.docSignOffs([][2]string{{"Elaborat", head}})
	})

	// 2. The quality manager checks it, from "Munca mea".
	part("2 quality manager checks", func(t *testing.T, b *browser) {
		if qm := b.docSignIn("calitate"); qm != verifier.name {
			t.Errorf("the verifier chosen was %q, the quality manager signs in as %q", verifier.name, qm)
		}
		// The home page's recent activity lists changes to documents.
		b.docCheckPage("home page of the quality manager")
		b.docOpenTask(task, "Aprobare")
		b.waitHeading(name)
		if loc := b.location(); loc != versionPath {
			t.Errorf("the verifier's task leads to %q, want %q", loc, versionPath)
		}
		b.docWaitState("La verificare")
		b.docCheckPage("document to check")
		b.clickButton("Verificat — trimite la aprobare")
		b.inboxWaitFlash("Verificarea a fost semnată; documentul a ajuns la aprobare.")
		b.docWaitState("La aprobare")
		if n := b.inboxCount(`//main//button[normalize-space()='Verificat — trimite la aprobare']`); n != 0 {
			t.Error("after checking, the page still offers “Verificat — trimite la aprobare”")
		}
	})

	// 3. The mayor approves it from today: it is in force.
	part("3 mayor approves", func(t *testing.T, b *browser) {
		if mayor := b.docSignIn("primar"); mayor != approver.name {
			t.Errorf("the approver chosen was %q, the mayor signs in as %q", approver.name, mayor)
		}
		b.docOpenTask(task, "Aprobare")
		b.waitHeading(name)
		b.docWaitState("La aprobare")
		if got := b.inputValue(field("Data intrării în vigoare")); got != today {
			t.Errorf("the effective date starts as %q, want today %s", got, today)
		}
		b.clickButton("Aprobat")
		b.inboxWaitFlash("Documentul a fost aprobat.")
		b.docWaitState("În vigoare")
		if props := b.text("dl.props"); !strings.Contains(props, "în vigoare de la "+inboxDateRO(today)) {
			t.Errorf("the approved document's details %q do not say it is in force from today", props)
		}
		if n := b.inboxCount(`//main//p[@role='note']`); n != 0 {
			t.Error("the document in force still says it is not in force")
		}
		b.docSignOffs([][2]string{{"Elaborat", head}, {"Verificat", verifier.name}, {"Aprobat", approver.name}})
		b.docCheckPage("document in force")
		b.screenshot("documents-03-in-force")
	})

	// 4. An employee of an office under the directorate confirms reading
	// it.
	part("4 employee acknowledges", func(t *testing.T, b *browser) {
		employee = b.docSignIn("angajat")
		b.docOpenTask(task, "Luare la cunoștință")
		b.waitHeading(name)
		prompt := `//main//form[contains(@action, '/acknowledge')]`
		b.waitVisible("the acknowledgement prompt", prompt+`//p[contains(., 'confirmați că l-ați luat la cunoștință')]`)
		b.docCheckPage("document to acknowledge")
		b.clickButton("Am luat la cunoștință")
		b.inboxWaitFlash("Ați confirmat că ați luat la cunoștință documentul.")
		b.waitHeading(name)
		if n := b.inboxCount(prompt); n != 0 {
			t.Error("after confirming, the page still asks the employee to confirm reading it")
		}
		b.inboxClickNav(navRO, "Munca mea")
		b.waitHeading("Munca mea")
		if n := b.inboxCount(`//main//a[normalize-space()=` + xq(task) + `]`); n != 0 {
			t.Error("after confirming, the acknowledgement task is still in the employee's Munca mea")
		}
	})

	// 5. The quality manager: the tracker, the printout, the search and the
	// master list; 6. the same pages in English.
	part("5 quality manager follows up", func(t *testing.T, b *browser) {
		b.docSignIn("calitate")
		b.open(docPath)
		b.waitHeading(name)
		tracker := `//main//h3[normalize-space()='Cine a luat la cunoștință']`
		b.waitVisible("the tracker", tracker)
		found := false
		rows := b.docTable(tracker)
		for _, r := range rows {
			if len(r) != 3 || r[0] != docEmployeeUnit {
				continue
			}
			found = true
			m := docRead.FindStringSubmatch(r[1])
			if m == nil {
				t.Errorf("the tracker's line of %s counts %q, want read / total", docEmployeeUnit, r[1])
				continue
			}
			read, _ := strconv.Atoi(m[1])
			total, _ := strconv.Atoi(m[2])
			if read != 1 || total < 2 {
				t.Errorf("the tracker counts %d of %d people of %s as having read it; want the employee, of the office's staff", read, total, docEmployeeUnit)
			}
			if strings.Contains(r[2], employee) {
				t.Errorf("the tracker lists %s among those who have not read it yet: %q", employee, r[2])
			}
			if r[2] == "—" {
				t.Errorf("the tracker lists nobody of %s who has not read it yet; the office has others", docEmployeeUnit)
			}
		}
		if !found {
			t.Errorf("the tracker has no line for %s: %q", docEmployeeUnit, rows)
		}
		b.docCheckPage("document with the tracker")

		// The printout.
		pdf := b.docFetch(`main a[href$="/print.pdf"]`)
		if pdf.Status != 200 || pdf.Type != "application/pdf" || pdf.Head != "%PDF" || pdf.Size < 1000 {
			t.Errorf("the printout answers %+v; want 200, application/pdf and a PDF file", pdf)
		}

		// The search, without diacritics.
		folded := textutil.Fold(docTitle)
		b.inboxClickNav(navRO, "Documente")
		b.waitHeading("Lista documentelor")
		b.typeInto("Căutați în coduri, titluri și textul documentelor", folded)
		b.clickButton("Caută")
		b.waitHeading("Căutare în documente")
		b.waitVisible("the procedure among the results", `//main//ol[contains(@class,'hits')]/li[.//h2/a[normalize-space()=`+xq(name)+`]]`)
		// The hit highlights what was searched for: some of the title's
		// words (not only its short ones, which match almost anything), in
		// its title or in the snippet of its text, which holds them all.
		marks := b.texts(fmt.Sprintf(`main ol.hits > li:has(h2 a[href=%q]) mark`, docPath))
		if len(marks) == 0 {
			t.Error("the procedure's search hit highlights nothing")
		}
		if !slices.ContainsFunc(marks, func(m string) bool {
			f := textutil.Fold(m)
			return len(f) > 3 && slices.Contains(strings.Fields(folded), f)
		}) {
			t.Errorf("the procedure's search hit highlights only %q; want some of the searched words of its title (%s)", marks, folded)
		}
		status := b.text(`main p[role=status]`)
		if !strings.Contains(status, " pentru „"+folded+"”") {
			t.Errorf("the search says %q, want the number of results for what was searched", status)
		}
		if strings.HasPrefix(status, "1 rezultate ") {
			t.Errorf("the search says %q: one result is “un rezultat”, not “1 rezultate”", status)
		}
		b.docCheckPage("search results")
		b.screenshot("documents-04-search")

		// The master list, filtered by the code, as a workbook.
		b.inboxClickNav(navRO, "Documente")
		b.waitHeading("Lista documentelor")
		b.typeInto("Cod sau titlu", code)
		b.clickButton("Filtrează")
		// The unfiltered list may show the procedure too: wait for the
		// filtered page itself, with its one row.
		b.docPoll(`location.search.includes('q=') && document.querySelectorAll('main table tbody tr').length === 1`, 10*time.Second)
		b.waitVisible("the procedure in the list", `//main//table//td/a[normalize-space()=`+xq(docTitle)+`]`)
		if row := b.text("main table tbody tr"); !strings.Contains(row, "În vigoare") || !strings.Contains(row, docUnit) || !strings.Contains(row, inboxDateRO(today)) {
			t.Errorf("the master list shows the procedure as %q, want it in force from today, of %s", row, docUnit)
		}
		xlsx := b.docFetch(`main a[href^="/documents/export.xlsx"]`)
		if xlsx.Status != 200 || xlsx.Type != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !strings.HasPrefix(xlsx.Head, "PK") {
			t.Errorf("the master list's export answers %+v; want 200, the XLSX type and a ZIP file", xlsx)
		}

		// 6. The document and the list in English.
		b.open(docPath)
		b.waitHeading(name)
		b.clickButton("English")
		b.waitVisible("the page in English", `/html[@lang='en']//main//h1`)
		if loc := b.location(); loc != docPath {
			t.Errorf("switching to English went to %q, want the document again", loc)
		}
		b.docWaitState("In force")
		b.waitVisible("the English tracker", `//main//h3[normalize-space()='Who has acknowledged it']`)
		b.docCheckPage("document in English")
		b.screenshot("documents-05-english")
		b.inboxClickNav("Main navigation", "Documents")
		b.waitHeading("Master list of documents")
		b.docCheckPage("document list in English")
		b.clickButton("Română")
		b.waitVisible("the page in Romanian", `/html[@lang='ro']//main//h1[normalize-space()='Lista documentelor']`)
	})
	t.Logf("the walkthrough took %s", time.Since(started).Round(100*time.Millisecond))
}

// docPaste puts text into the empty text box labelled label as pasting
// does: one insertion, which the page sees as input. Typing long texts key by
// key would take most of the test's time.
func (b *browser) docPaste(label, text string) {
	b.t.Helper()
	sel := field(label)
	if v := b.inputValue(sel); v != "" {
		b.t.Fatalf("the text box %q already holds %q", label, v)
	}
	b.run(fmt.Sprintf("pasting into the text box %q", label),
		chromedp.Focus(sel),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.execCommand("insertText", false, %q)`, text)))
}

// docPoll waits up to timeout for a script to give true; unlike the waits
// of run, running out of time is no failure: what follows checks the page.
func (b *browser) docPoll(js string, timeout time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	_ = chromedp.Do(ctx, chromedp.Poll[chromedp.Void](js))
}

// docSignIn signs in and returns the person's name as the header shows it.
func (b *browser) docSignIn(username string) string {
	b.t.Helper()
	b.inboxSignIn(username)
	return b.text(`header a[href="/account"]`)
}

// docSigner is an option of a signer menu: its value and the person's name.
type docSigner struct{ value, name string }

// docOption finds the option of the menu labelled label whose text contains
// text; the name is the text before the first " · ".
func (b *browser) docOption(label, text string) docSigner {
	b.t.Helper()
	opt := field(label) + `/option[contains(., ` + xq(text) + `)]`
	if n := b.inboxCount(opt); n != 1 {
		b.t.Fatalf("the menu %q has %d options containing %q, want one", label, n, text)
	}
	value, _ := b.attr(opt, "value")
	shown := get(b, "reading the option "+text, chromedp.TextContent(opt))
	name, _, _ := strings.Cut(strings.TrimSpace(shown), " · ")
	return docSigner{value: value, name: name}
}

// docOpenTask opens, from Munca mea, the task titled title of the kind
// shown as kind, and follows it to its record.
func (b *browser) docOpenTask(title, kind string) {
	b.t.Helper()
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	item := `//main//section[contains(@class,'task-group')]//li[.//a[normalize-space()=` + xq(title) + `]]`
	b.waitVisible("the task "+title, item)
	if n := b.inboxCount(item + `/span[contains(@class,'tag')][normalize-space()=` + xq(kind) + `]`); n != 1 {
		b.t.Errorf("the task %q is not shown as of the kind %q", title, kind)
	}
	b.inboxCheckPage("Munca mea with the task " + title)
	b.run("opening the task", chromedp.Click(item+`//a[normalize-space()=`+xq(title)+`]`, chromedp.NodeVisible))
	b.waitHeading(title)
	b.clickLink("Deschide înregistrarea")
}

// docWaitState waits for the shown version's state in the details.
func (b *browser) docWaitState(state string) {
	b.t.Helper()
	b.waitVisible("the state "+state, `//main//dl[contains(@class,'props')]//dd/span[contains(@class,'tag')][normalize-space()=`+xq(state)+`]`)
}

// docSignOffs checks the sign-off table (section 1) lists want, step and
// name, in order, each with the same content hash.
func (b *browser) docSignOffs(want [][2]string) {
	b.t.Helper()
	rows := b.docTable(`//main//h2[normalize-space()='1. Elaborare, verificare, avizare și aprobare']`)
	if len(rows) != len(want) {
		b.t.Errorf("the sign-off table lists %q, want %d rows %q", rows, len(want), want)
		return
	}
	for i, w := range want {
		r := rows[i]
		if len(r) != 5 || r[0] != w[0] || r[1] != w[1] {
			b.t.Errorf("sign-off %d reads %q, want %s by %s", i+1, r, w[0], w[1])
			continue
		}
		if r[3] == "" {
			b.t.Errorf("sign-off %s has no date", w[0])
		}
		if !docHash.MatchString(r[4]) {
			b.t.Errorf("sign-off %s shows the hash %q, want 12 hexadecimal digits", w[0], r[4])
		}
		if r[4] != rows[0][4] {
			b.t.Errorf("sign-off %s has the hash %s, the first %s: the same text was signed", w[0], r[4], rows[0][4])
		}
	}
}

// docTable is the body of the first table after the element an XPath
// finds.
func (b *browser) docTable(heading string) [][]string {
	b.t.Helper()
	return get(b, "reading the table after "+heading, chromedp.Evaluate[[][]string](fmt.Sprintf(`(() => {
		let n = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		while (n && !(n.tagName === "TABLE" || n.querySelector("table"))) n = n.nextElementSibling;
		if (!n) return [];
		const t = n.tagName === "TABLE" ? n : n.querySelector("table");
		return Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.innerText.trim()));
	})()`, heading)))
}

// docDownload is what a link's address answers.
type docDownload struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Head   string `json:"head"` // the first four bytes
	Size   int    `json:"size"`
}

// docFetch downloads the address of the link a CSS selector finds with the
// browser's session, as a click would.
func (b *browser) docFetch(link string) docDownload {
	b.t.Helper()
	return get(b, "downloading "+link, chromedp.Evaluate[docDownload](fmt.Sprintf(`fetch(document.querySelector(%q).href).then(async r => {
		const bytes = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get("content-type") || "", head: String.fromCharCode(...bytes.slice(0, 4)), size: bytes.length};
	})`, link), chromedp.EvalAwaitPromise))
}

// docCheckPage is inboxCheckPage, also for the documents' catalogue keys.
func (b *browser) docCheckPage(where string) {
	b.t.Helper()
	b.inboxCheckPage(where)
	if k := docRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
