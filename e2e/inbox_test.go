package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/demo"
)

// The English navigation, for the auditor, whose account is set to English.
const inboxNavEN = "Main navigation"

// The demo task the employee has to acknowledge: the task list shows who has
// it, which is how the test finds the employee's name.
const inboxEmployeeTask = "Luați la cunoștință Codul de etică și integritate actualizat"

// inboxBadgeText is what a badge of the navigation shows: "3", or "3 · 1!"
// when one of the three is overdue.
var inboxBadgeText = regexp.MustCompile(`^(\d+)(?: · (\d+)!)?$`)

// inboxRawKey matches a catalogue key of the work inbox shown instead of its
// translation; rawKey in helpers_test.go covers the other pages' keys.
var inboxRawKey = regexp.MustCompile(`\b(?:task|work|notify|calendar|account|mail)\.[a-z_]+(?:\.[a-z_]+)*\b`)

// TestInboxWalkthrough follows one task through the work inbox: the quality
// manager reads "Munca mea", hands a task to the demo employee (an empty
// title first, to see the error summary), moves its due day with a reason
// and reads the reason in the task's history; the employee gets the
// notification, opens the task from it and marks it done; the head of the
// economic directorate sees the tasks of the units he leads.
func TestInboxWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	// 1. The quality manager's inbox: three groups by due day, the overdue
	// tasks of the whole institution, and a count in the navigation.
	b.inboxSignIn("calitate")
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	if cur, _ := b.attr(`//nav[@aria-label='Navigare principală']//a[@aria-current='page']`, "href"); cur != "/work" {
		t.Errorf("on Munca mea the navigation marks %q as the current page, want /work", cur)
	}
	groups := b.inboxGroups()
	for _, want := range []string{"Termen depășit", "Săptămâna aceasta", "Mai târziu", "Sarcini cu termen depășit în toată instituția"} {
		if _, ok := groups[want]; !ok {
			t.Errorf("Munca mea of the quality manager lacks the section %q; it shows %v", want, groups)
		}
	}
	if _, ok := groups["Sarcinile compartimentelor pe care le conduceți"]; ok {
		t.Error("Munca mea of the quality manager, who leads no unit, shows the section of the units one leads")
	}
	open, late := b.inboxBadge("/work")
	if open == 0 {
		t.Error("the navigation shows no count beside Munca mea")
	}
	if said := b.inboxEval(`document.querySelector('nav.main a[href="/work"] .badge .visually-hidden').textContent`); !strings.Contains(said, "sarcini deschise") {
		t.Errorf("a screen reader hears the badge of Munca mea as %q, want the open tasks spelt out", said)
	}
	if own := groups["Termen depășit"].Count + groups["Săptămâna aceasta"].Count + groups["Mai târziu"].Count; open != own {
		t.Errorf("the badge of Munca mea says %d open tasks, the three groups hold %d", open, own)
	}
	if late != groups["Termen depășit"].Count {
		t.Errorf("the badge of Munca mea says %d overdue, the group Termen depășit holds %d", late, groups["Termen depășit"].Count)
	}
	if inst := groups["Sarcini cu termen depășit în toată instituția"]; inst.Count == 0 || inst.Rows != inst.Count {
		t.Errorf("the institution's overdue tasks: the heading counts %d, the table lists %d; the demo has some", inst.Count, inst.Rows)
	}
	b.inboxCheckPage("Munca mea (calitate)")
	b.screenshot("inbox-01-work-calitate")

	// The employee's name, as the task list shows it.
	b.open("/tasks?scope=all&q=" + url.QueryEscape("Codul de etică"))
	b.waitHeading("Sarcini")
	rows := b.inboxRows()
	if len(rows) != 1 || rows[0][0] != inboxEmployeeTask {
		t.Fatalf("searching the tasks for “Codul de etică” lists %q, want only the demo task %q", rows, inboxEmployeeTask)
	}
	person := rows[0][3]

	// 2. A new task for the employee: the title left blank first.
	const (
		title   = "Trimiteți lista actualizată a registrelor de evidență a contribuabililor"
		details = "Lista semnată de șeful biroului, în format electronic."
		reason  = "Termen devansat: lista intră în raportul de azi către primar"
	)
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	b.clickLink("Sarcină nouă")
	b.waitHeading("Sarcină nouă")
	b.inboxCheckPage("new task form")
	personID := b.optionValue("Persoana", person)
	// The title is required in the browser too; spaces get past that check
	// and must be refused by the server.
	b.typeInto("Ce trebuie făcut", "   ")
	b.inboxTypeText("Detalii", details)
	b.run("choosing the kind, the person and the priority",
		chromedp.SetValue(field("Tip"), b.optionValue("Tip", "Raportare")),
		chromedp.SetValue(field("Persoana"), personID),
		chromedp.Click(`//main//label[normalize-space()='Ridicată']/input`, chromedp.NodeVisible))
	due := b.inputValue(field("Termen"))
	b.clickButton("Atribuie")
	b.waitVisible("the error summary", `//main//*[@role='alert']`)
	summary := b.text(`main [role=alert]`)
	for _, want := range []string{"Verificați câmpurile marcate", "Ce trebuie făcut: câmp obligatoriu"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary reads %q, want it to contain %q", summary, want)
		}
	}
	if inv, _ := b.attr(field("Ce trebuie făcut"), "aria-invalid"); inv != "true" {
		t.Errorf("the title field has aria-invalid=%q, want true", inv)
	}
	// What was typed and chosen is still there.
	kept := map[string][2]string{
		"details":  {b.inputValue(field("Detalii")), details},
		"kind":     {b.inputValue(field("Tip")), "report"},
		"person":   {b.inputValue(field("Persoana")), personID},
		"due":      {b.inputValue(field("Termen")), due},
		"priority": {b.inboxEval(`(document.querySelector("input[name=priority]:checked") || {}).value || ""`), "high"},
	}
	for name, v := range kept {
		if v[0] != v[1] {
			t.Errorf("after the error the %s is %q, want %q as entered", name, v[0], v[1])
		}
	}
	b.inboxCheckPage("new task form with an error")
	b.screenshot("inbox-02-task-form-error")

	b.typeInto("Ce trebuie făcut", title)
	b.clickButton("Atribuie")
	b.waitHeading(title)
	b.inboxWaitFlash("Sarcina a fost atribuită.")
	taskPath := b.location()
	if !regexp.MustCompile(`^/tasks/\d+$`).MatchString(taskPath) {
		t.Errorf("after assigning the browser is at %q, want the task's page", taskPath)
	}
	props := b.text("dl.props")
	for _, want := range []string{"Deschisă", "Raportare", "Ridicată", person, inboxDateRO(due)} {
		if !strings.Contains(props, want) {
			t.Errorf("the new task's details %q lack %q", props, want)
		}
	}
	for _, action := range []string{"Marchează ca finalizată", "Anulează sarcina"} {
		b.waitVisible("the button "+action, fmt.Sprintf(`//main//button[normalize-space()=%s]`, xq(action)))
	}
	b.inboxCheckPage("new task page")
	b.screenshot("inbox-03-task-created")

	// 3. Reassigned to the same person, due today, with a reason.
	b.clickLink("Reatribuie")
	b.waitHeading("Reatribuie: " + title)
	if got := b.inputValue(field("Persoana")); got != personID {
		t.Errorf("the reassign form starts with the person %q, want the current assignee %q", got, personID)
	}
	if got := b.inputValue(field("Termen")); got != due {
		t.Errorf("the reassign form starts with the due day %q, want the current %q", got, due)
	}
	today, _ := b.attr(field("Termen"), "min")
	b.run("moving the due day to today", chromedp.SetValue(field("Termen"), today))
	b.typeInto("Motivul", reason)
	b.inboxCheckPage("reassign form")
	b.screenshot("inbox-04-reassign-form")
	b.clickButton("Reatribuie")
	b.inboxWaitFlash("Sarcina a fost reatribuită.")
	b.waitHeading(title)
	if props := b.text("dl.props"); !strings.Contains(props, inboxDateRO(today)) {
		t.Errorf("after reassigning the task's details %q lack the new due day %s", props, inboxDateRO(today))
	}
	b.waitVisible("the history", `//main//h2[normalize-space()='Istoric']`)
	history := b.inboxRows()
	var actions []string
	found := false
	for _, r := range history {
		actions = append(actions, r[2])
		if r[2] == "Reatribuire" && strings.Contains(r[3], reason) {
			found = true
		}
	}
	if !found {
		t.Errorf("the history lists %q, want a Reatribuire with the reason %q", history, reason)
	}
	if !slices.Contains(actions, "Creare") {
		t.Errorf("the history lists the actions %q, want the creation too", actions)
	}
	b.screenshot("inbox-05-task-history")

	// 4. The employee: the task is in this week's group, the notification
	// leads to it, and it can be marked done.
	b.inboxSignOut("Ieșire")
	b.inboxSignIn("angajat")
	openBefore, _ := b.inboxBadge("/work")
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	b.waitVisible("the new task in this week's group", `//main//section[h2[@id='h-this-week']]//a[normalize-space()=`+xq(title)+`]`)
	b.inboxCheckPage("Munca mea (angajat)")
	b.screenshot("inbox-06-work-angajat")

	unread, _ := b.inboxBadge("/notifications")
	if unread == 0 {
		t.Error("the bell in the navigation shows no unread notification for the employee")
	}
	b.inboxClickNav(navRO, "Notificări")
	b.waitHeading("Notificări")
	item := `//main//li[contains(@class,'notification')][.//span[contains(@class,'title')][contains(., ` + xq("Sarcină nouă: "+title) + `)]]`
	b.waitVisible("the notification of the new task", item)
	if class, _ := b.attr(item, "class"); !strings.Contains(class, "unread") {
		t.Errorf("the notification of the new task has class %q, want it unread", class)
	}
	if text := b.text("main ul.tasks li:first-child"); !strings.Contains(text, title) || !strings.Contains(text, "Termen: "+inboxDateRO(today)) {
		t.Errorf("the newest notification reads %q, want the new task with its current due day %s", text, inboxDateRO(today))
	}
	b.inboxCheckPage("notifications")
	b.screenshot("inbox-07-notifications")
	b.run("opening the notification", chromedp.Click(item+`//button[normalize-space()='Detalii']`, chromedp.NodeVisible))
	b.waitHeading(title)
	if loc := b.location(); loc != taskPath {
		t.Errorf("the notification's Detalii leads to %q, want the task %q", loc, taskPath)
	}
	if now, _ := b.inboxBadge("/notifications"); now != unread-1 {
		t.Errorf("after opening the notification the bell shows %d unread, want %d", now, unread-1)
	}
	// The employee may finish the task, not hand it on or withdraw it.
	if n := b.inboxCount(`//main//a[normalize-space()='Reatribuie'] | //main//button[normalize-space()='Anulează sarcina']`); n != 0 {
		t.Errorf("the employee's task page offers %d reassign or cancel buttons, want none", n)
	}
	b.clickButton("Marchează ca finalizată")
	b.inboxWaitFlash("Sarcina a fost marcată ca finalizată.")
	b.waitVisible("the state Finalizată", `//main//dl[contains(@class,'props')]/dt[normalize-space()='Stare']/following-sibling::dd[1][normalize-space()='Finalizată']`)
	if n := b.inboxCount(`//main//button[normalize-space()='Marchează ca finalizată']`); n != 0 {
		t.Error("a finished task still offers “Marchează ca finalizată”")
	}
	if props := b.text("dl.props"); !strings.Contains(props, "Închisă la") {
		t.Errorf("the finished task's details %q do not say when it was closed", props)
	}
	b.inboxCheckPage("finished task")
	b.screenshot("inbox-08-task-done")
	if open, _ := b.inboxBadge("/work"); open != openBefore-1 {
		t.Errorf("after finishing the task the badge of Munca mea says %d open, want %d", open, openBefore-1)
	}
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	if n := b.inboxCount(`//main//section//a[normalize-space()=` + xq(title) + `]`); n != 0 {
		t.Error("the finished task is still listed in Munca mea")
	}

	// 5. The head of the economic directorate also sees what his units owe,
	// the employee's other tasks among them, but not the whole institution.
	b.inboxSignOut("Ieșire")
	b.inboxSignIn("economic")
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	groups = b.inboxGroups()
	if g, ok := groups["Sarcinile compartimentelor pe care le conduceți"]; !ok || g.Rows == 0 {
		t.Errorf("Munca mea of the head of unit lacks the tasks of his units; it shows %v", groups)
	}
	if _, ok := groups["Sarcini cu termen depășit în toată instituția"]; ok {
		t.Error("Munca mea of a head of unit shows the whole institution's overdue tasks")
	}
	b.waitVisible("the employee's task among the units' tasks",
		`//main//section[h2[@id='h-unit']]//a[normalize-space()='Actualizați registrul riscurilor Serviciului Impozite și Taxe Locale']`)
	b.inboxCheckPage("Munca mea (economic)")
	b.screenshot("inbox-09-work-economic")
}

// TestInboxFiltersAndCalendar filters the quality manager's inbox by kind and
// the task list down to the overdue tasks of the whole institution, then
// signs in as the auditor, who reads Cadran in English, and makes a calendar
// address that a calendar program can read without signing in.
// englishBadge is what a screen reader hears of the My work badge in English.
var englishBadge = regexp.MustCompile(`^(one open task|[2-9]\d* open tasks|1\d+ open tasks)(, (one overdue|\d+ overdue))?$`)

func TestInboxFiltersAndCalendar(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	// 1. The kind filter of Munca mea.
	b.inboxSignIn("calitate")
	b.inboxClickNav(navRO, "Munca mea")
	b.waitHeading("Munca mea")
	all := b.inboxGroups()
	const instTitle = "Sarcini cu termen depășit în toată instituția"
	instKinds := b.inboxColumn(instTitle, 1)
	if !slices.Contains(instKinds, "Raportare") || len(slices.Compact(slices.Sorted(slices.Values(instKinds)))) < 2 {
		t.Fatalf("the institution's overdue tasks are of the kinds %q; the test needs a Raportare and another kind", instKinds)
	}
	if cur, _ := b.attr(`//main//ul[contains(@class,'kind-filter')]//a[@aria-current='page']`, "href"); cur != "/work" {
		t.Errorf("unfiltered, the kind filter marks %q as current, want /work (Toate tipurile)", cur)
	}
	b.run("choosing the kind Raportare",
		chromedp.Click(`//main//ul[contains(@class,'kind-filter')]//a[starts-with(normalize-space(), 'Raportare')]`, chromedp.NodeVisible))
	b.waitVisible("the kind Raportare marked current", `//main//ul[contains(@class,'kind-filter')]//a[@aria-current='page'][contains(@href, 'kind=report')]`)
	if loc := b.location(); loc != "/work?kind=report" {
		t.Errorf("after choosing Raportare the browser is at %q, want /work?kind=report", loc)
	}
	report := b.inboxGroups()
	if tags := b.inboxOwnKinds(); len(tags) == 0 || slices.ContainsFunc(tags, func(k string) bool { return k != "Raportare" }) {
		t.Errorf("filtered to Raportare, the person's own groups list tasks of the kinds %q", tags)
	}
	if kinds := b.inboxColumn(instTitle, 1); len(kinds) == 0 || slices.ContainsFunc(kinds, func(k string) bool { return k != "Raportare" }) {
		t.Errorf("filtered to Raportare, the institution's overdue tasks are of the kinds %q", kinds)
	}
	ownAll := all["Termen depășit"].Count + all["Săptămâna aceasta"].Count + all["Mai târziu"].Count
	ownReport := report["Termen depășit"].Count + report["Săptămâna aceasta"].Count + report["Mai târziu"].Count
	if ownReport == 0 || ownReport >= ownAll {
		t.Errorf("the person's own tasks: %d of every kind, %d of the kind Raportare; want fewer, but some", ownAll, ownReport)
	}
	if r, a := report[instTitle].Count, all[instTitle].Count; r == 0 || r >= a {
		t.Errorf("the institution's overdue tasks: %d of every kind, %d of the kind Raportare; want fewer, but some", a, r)
	}
	b.inboxCheckPage("Munca mea filtered by kind")
	b.screenshot("inbox-10-work-kind-filter")
	b.clickLink("Toate tipurile")
	b.waitVisible("every kind marked current", `//main//ul[contains(@class,'kind-filter')]//a[@aria-current='page'][@href='/work']`)
	if again := b.inboxGroups(); again[instTitle].Count != all[instTitle].Count {
		t.Errorf("back to every kind, the institution's overdue tasks count %d, want %d as before", again[instTitle].Count, all[instTitle].Count)
	}

	// 2. The task list: the whole institution, then only the overdue tasks.
	b.inboxClickNav(navRO, "Sarcini")
	b.waitHeading("Sarcini")
	mine := b.inboxPagerTotal()
	// Picking a scope sends the filter form at once (app.js); SetValue fires
	// the change event a person's choice fires.
	b.run("choosing the scope Toată instituția",
		chromedp.SetValue(field("Ale cui"), b.optionValue("Ale cui", "Toată instituția")))
	b.run("waiting for the list of the whole institution", chromedp.WaitReady(`//select[@id='f-scope']/option[@value='all'][@selected]`))
	whole := b.inboxPagerTotal()
	if whole <= mine {
		t.Errorf("the task list counts %d tasks of the whole institution and %d of one's own; want more for the institution", whole, mine)
	}
	if rows := b.inboxRows(); len(rows) != min(whole, 25) {
		t.Errorf("the task list shows %d rows, its pager counts %d", len(rows), whole)
	}
	b.inboxCheckPage("task list, whole institution")
	b.screenshot("inbox-11-tasks-all")

	b.run("ticking “Doar cu termen depășit”",
		chromedp.Click(`//main//label[normalize-space()='Doar cu termen depășit']/input`, chromedp.NodeVisible))
	b.clickButton("Filtrează")
	b.waitVisible("the overdue filter applied", `//main//input[@name='overdue'][@checked]`)
	loc := b.location()
	for _, want := range []string{"scope=all", "overdue=1"} {
		if !strings.Contains(loc, want) {
			t.Errorf("after filtering the browser is at %q, want %s in the address", loc, want)
		}
	}
	overdue := b.inboxPagerTotal()
	if overdue == 0 || overdue >= whole {
		t.Errorf("the task list counts %d tasks of the institution, %d overdue; want fewer, but some", whole, overdue)
	}
	if overdue != all[instTitle].Count {
		t.Errorf("the task list counts %d overdue tasks, Munca mea %d", overdue, all[instTitle].Count)
	}
	// The first page holds at most 25 rows; the demo's documents add overdue reading tasks.
	if n, late := b.inboxCount(`//main//table/tbody/tr`), b.inboxCount(`//main//table/tbody/tr/td[5][contains(@class,'due-late')]`); n != min(overdue, 25) || late != n {
		t.Errorf("the overdue list shows %d rows, %d of them marked late; its pager counts %d", n, late, overdue)
	}
	// Sorting keeps the filters.
	b.run("sorting by title", chromedp.Click(`//main//table//th/a[normalize-space()='Ce trebuie făcut']`, chromedp.NodeVisible))
	b.waitVisible("the title column sorted", `//main//table//th[@aria-sort='ascending']/a[normalize-space()='Ce trebuie făcut']`)
	if got := b.inboxPagerTotal(); got != overdue {
		t.Errorf("sorted by title the list counts %d tasks, want the %d overdue ones", got, overdue)
	}
	if n := b.inboxCount(`//main//input[@name='overdue'][@checked]`); n != 1 {
		t.Error("sorting the list dropped the overdue filter")
	}
	// The export takes the same filters and sends a workbook.
	href, _ := b.attr(`//main//a[starts-with(@href, '/tasks/export.xlsx')]`, "href")
	for _, want := range []string{"scope=all", "overdue=1"} {
		if !strings.Contains(href, want) {
			t.Errorf("the export link %q lacks %s", href, want)
		}
	}
	export := get(b, "downloading the export", chromedp.Evaluate[[]string](`fetch(document.querySelector('main a[href^="/tasks/export.xlsx"]').href).then(async r => {
		const bytes = new Uint8Array(await r.arrayBuffer());
		return [String(r.status), r.headers.get("content-type") || "", String.fromCharCode(bytes[0] || 0, bytes[1] || 0), String(bytes.length)];
	})`, chromedp.EvalAwaitPromise))
	if export[0] != "200" || !strings.Contains(export[1], "spreadsheetml") || export[2] != "PK" {
		t.Errorf("the export answers %q; want 200, an XLSX type and a ZIP file", export)
	}
	b.inboxCheckPage("task list, overdue")
	b.screenshot("inbox-12-tasks-overdue")

	// 3. The auditor reads Cadran in English.
	b.inboxSignOut("Ieșire")
	b.inboxSignIn("auditor")
	if lang, _ := b.attr(`/html`, "lang"); lang != "en" {
		t.Errorf("the auditor's pages have lang=%q, want en", lang)
	}
	b.inboxClickNav(inboxNavEN, "My work")
	b.waitHeading("My work")
	groups := b.inboxGroups()
	for _, want := range []string{"Overdue", "This week", "Later"} {
		if _, ok := groups[want]; !ok {
			t.Errorf("My work in English lacks the group %q; it shows %v", want, groups)
		}
	}
	if groups["Later"].Count == 0 {
		t.Error("the auditor's demo task (due in ten days) is not under Later")
	}
	if _, ok := groups["Overdue tasks across the institution"]; ok {
		t.Error("the auditor, who does not oversee the work, sees the institution's overdue tasks")
	}
	body := b.text("main")
	for _, ro := range []string{"Munca mea", "Săptămâna", "Termen", "Nimic aici"} {
		if strings.Contains(body, ro) {
			t.Errorf("My work in English shows the Romanian %q", ro)
		}
	}
	// The demo registers give the auditor work too (effectiveness checks,
	// actions), so the count varies; its English plural forms must not.
	if said := b.inboxEval(`document.querySelector('nav.main a[href="/work"] .badge .visually-hidden').textContent`); !englishBadge.MatchString(said) {
		t.Errorf("the English badge of My work reads %q to a screen reader, want “one open task” or “N open tasks”, then the overdue ones", said)
	}
	b.inboxCheckPage("My work in English")
	b.screenshot("inbox-13-work-english")

	b.run("opening the account", chromedp.Click(`//header//a[@href='/account']`, chromedp.NodeVisible))
	b.waitHeading("My account")
	b.waitVisible("the e-mail choices", `//main//h2[normalize-space()='E-mail notifications']`)
	for _, kind := range []string{"Approve", "Report", "Daily summary of your tasks (in the morning)"} {
		b.waitVisible("the e-mail choice "+kind, `//main//label[normalize-space()=`+xq(kind)+`]/input[@type='checkbox']`)
	}
	b.clickButton("Create a calendar address")
	b.waitVisible("the new calendar address", field("Calendar address"))
	addr := b.inputValue(field("Calendar address"))
	if !strings.HasSuffix(addr, ".ics") {
		t.Fatalf("the calendar address reads %q, want an address ending in .ics", addr)
	}
	b.inboxCheckPage("account with a calendar address")
	b.screenshot("inbox-14-account-calendar")

	// A calendar program reads the address without signing in.
	feed, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := url.Parse(addr)
	if err != nil {
		t.Fatalf("the calendar address %q is not a URL: %v", addr, err)
	}
	feed = feed.ResolveReference(ref)
	status, ctype, ics := inboxFetch(t, feed.String())
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/calendar") {
		t.Fatalf("GET %s answers %d %q, want 200 text/calendar", feed, status, ctype)
	}
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR") {
		t.Errorf("the calendar starts with %q, want BEGIN:VCALENDAR", ics[:min(len(ics), 40)])
	}
	unfolded := strings.ReplaceAll(ics, "\r\n ", "") // long lines are folded
	if !strings.Contains(unfolded, "BEGIN:VEVENT") {
		t.Errorf("the calendar holds no event:\n%s", ics)
	}
	if !strings.Contains(unfolded, "SUMMARY:Completați autoevaluarea CAF") {
		t.Errorf("the calendar lacks the auditor's demo task:\n%s", ics)
	}

	// The address is shown once; afterwards the page says it is in use, and
	// revoking it stops it.
	b.open("/account")
	b.waitHeading("My account")
	if n := b.inboxCount(field("Calendar address")); n != 0 {
		t.Error("the account page shows the calendar address again after it was made")
	}
	if body := b.text("main"); !strings.Contains(body, "Address active, created on") || !strings.Contains(body, "Last read by a calendar on") {
		t.Errorf("the account page does not say the address is active and was read:\n%s", body)
	}
	b.clickButton("Revoke the address")
	b.inboxWaitFlash("The calendar address was revoked.")
	b.waitVisible("the create button again", `//main//button[normalize-space()='Create a calendar address']`)
	if status, _, _ := inboxFetch(t, feed.String()); status != http.StatusNotFound {
		t.Errorf("the revoked calendar address answers %d, want 404", status)
	}
}

// inboxSignIn signs in as a demo user on the Romanian sign-in page and waits
// for the home page.
func (b *browser) inboxSignIn(username string) {
	b.t.Helper()
	b.open("/login")
	b.waitHeading("Intrați în Cadran")
	b.typeInto("Nume de utilizator", username)
	b.typeInto("Parolă", demo.Password)
	b.clickButton("Intră")
	b.waitHeading(demo.Name)
}

// inboxTypeText types into the empty text box labelled label. typeInto
// cannot: chromedp.Clear fails on a textarea that holds no text yet.
func (b *browser) inboxTypeText(label, text string) {
	b.t.Helper()
	sel := field(label)
	if v := b.inputValue(sel); v != "" {
		b.t.Fatalf("the text box %q already holds %q", label, v)
	}
	b.run(fmt.Sprintf("typing into the text box %q", label), chromedp.SendKeys(sel, text))
}

// inboxSignOut presses the sign-out button, labelled in the page's language.
func (b *browser) inboxSignOut(label string) {
	b.t.Helper()
	b.clickButton(label)
	b.waitHeading("Intrați în Cadran")
}

// inboxClickNav follows the navigation link whose text starts with label:
// the inbox's links carry a count after it.
func (b *browser) inboxClickNav(navLabel, label string) {
	b.t.Helper()
	b.run(fmt.Sprintf("clicking %q in the navigation %q", label, navLabel),
		chromedp.Click(fmt.Sprintf(`//nav[@aria-label=%s]//a[starts-with(normalize-space(), %s)]`, xq(navLabel), xq(label)), chromedp.NodeVisible))
}

// inboxBadge reads the badge of the navigation link to href: the number
// shown and the part that is overdue. No badge reads as zero.
func (b *browser) inboxBadge(href string) (count, alert int) {
	b.t.Helper()
	shown := get(b, "reading the badge of "+href, chromedp.Evaluate[string](fmt.Sprintf(
		`(document.querySelector('nav.main a[href=%q] .badge [aria-hidden="true"]') || {textContent: ""}).textContent.trim()`, href)))
	if shown == "" {
		return 0, 0
	}
	m := inboxBadgeText.FindStringSubmatch(shown)
	if m == nil {
		b.t.Fatalf("the badge of %s reads %q, want a number", href, shown)
	}
	count, _ = strconv.Atoi(m[1])
	alert, _ = strconv.Atoi(m[2]) // empty when nothing is overdue
	return count, alert
}

// inboxGroup is one section of Munca mea: the count in its heading and the
// tasks it lists.
type inboxGroup struct {
	Count int `json:"count"`
	Rows  int `json:"rows"`
}

// inboxGroups reads the sections of Munca mea by heading.
func (b *browser) inboxGroups() map[string]inboxGroup {
	b.t.Helper()
	type section struct {
		Heading string `json:"heading"`
		Count   string `json:"count"`
		Rows    int    `json:"rows"`
	}
	list := get(b, "reading the sections of Munca mea", chromedp.Evaluate[[]section](`Array.from(document.querySelectorAll("main section.task-group"), s => {
		const h = s.querySelector("h2");
		return {
			heading: h.firstChild.textContent.trim(),
			count: (h.querySelector(".count") || {textContent: ""}).textContent,
			rows: s.querySelectorAll("ul.tasks > li, table tbody tr").length,
		};
	})`))
	out := map[string]inboxGroup{}
	for _, s := range list {
		n, err := strconv.Atoi(strings.Trim(s.Count, "() "))
		if err != nil {
			b.t.Errorf("the section %q counts %q, want (n)", s.Heading, s.Count)
		}
		if _, dup := out[s.Heading]; dup {
			b.t.Errorf("Munca mea shows the section %q twice", s.Heading)
		}
		out[s.Heading] = inboxGroup{Count: n, Rows: s.Rows}
	}
	return out
}

// inboxOwnKinds are the kinds of the tasks in the person's own groups.
func (b *browser) inboxOwnKinds() []string {
	b.t.Helper()
	return b.texts(`main section.task-group ul.tasks > li > span.tag:not(.warn)`)
}

// inboxColumn is one column of the table in the section of Munca mea headed
// heading.
func (b *browser) inboxColumn(heading string, col int) []string {
	b.t.Helper()
	return get(b, "reading the table of "+heading, chromedp.Evaluate[[]string](fmt.Sprintf(`(() => {
		const s = Array.from(document.querySelectorAll("main section.task-group")).find(s => s.querySelector("h2").firstChild.textContent.trim() === %q);
		return s ? Array.from(s.querySelectorAll("table tbody tr"), r => r.cells[%d].innerText.trim()) : [];
	})()`, heading, col)))
}

// inboxRows are the cells of the first table of the page's main content.
func (b *browser) inboxRows() [][]string {
	b.t.Helper()
	return get(b, "reading the table", chromedp.Evaluate[[][]string](
		`Array.from(document.querySelectorAll("main table tbody tr"), r => Array.from(r.cells, c => c.innerText.trim()))`))
}

// inboxPagerTotal is the n of the pager's “Se afișează a–b din n”; an empty
// list, which shows no pager, counts zero.
func (b *browser) inboxPagerTotal() int {
	b.t.Helper()
	if b.inboxCount(`//main//nav[contains(@class,'pager')]`) == 0 {
		return 0
	}
	pager := b.text("nav.pager")
	m := pagerShowing.FindStringSubmatch(pager)
	if m == nil {
		b.t.Fatalf("the pager reads %q, want “Se afișează a–b din n”", pager)
	}
	n, _ := strconv.Atoi(m[3])
	return n
}

// inboxCount is how many elements an XPath finds now, without waiting.
func (b *browser) inboxCount(xpath string) int {
	b.t.Helper()
	return get(b, "counting "+xpath, chromedp.Evaluate[int](fmt.Sprintf(
		`document.evaluate(%q, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null).snapshotLength`, xpath)))
}

// inboxEval evaluates a script that gives a string.
func (b *browser) inboxEval(js string) string {
	b.t.Helper()
	return get(b, "evaluating "+js, chromedp.Evaluate[string](js))
}

// inboxWaitFlash waits for the confirmation that reads text.
func (b *browser) inboxWaitFlash(text string) {
	b.t.Helper()
	b.waitVisible("the message "+text, `//main//div[contains(@class,'flash')][@role='status'][normalize-space()=`+xq(text)+`]`)
}

// inboxCheckPage is checkPage, also for the inbox's catalogue keys.
func (b *browser) inboxCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := inboxRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}

// inboxDateRO writes a date input's YYYY-MM-DD as Romanian pages show it.
func inboxDateRO(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return d.Format("02.01.2006")
}

// inboxFetch gets an address as a program with no session would.
func inboxFetch(t *testing.T, addr string) (status int, contentType, body string) {
	t.Helper()
	c := &http.Client{Timeout: stepTimeout}
	resp, err := c.Get(addr)
	if err != nil {
		t.Fatalf("GET %s: %v", addr, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", addr, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}
