package e2e

import (
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"cadran/internal/db/dbtest"
	"cadran/internal/demo"
)

func TestMain(m *testing.M) {
	// Keep the server's warnings and errors, not a line per request.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(dbtest.Main(m))
}

// The demo quality manager: may change units and read the audit trail.
const user = "calitate"

// Romanian navigation, the default language.
const navRO = "Navigare principală"

// pagerShowing is the people pager's "showing a–b of n" line in Romanian.
var pagerShowing = regexp.MustCompile(`Se afișează (\d+)–(\d+) din (\d+)`)

// TestBrowserWalkthrough signs in as the demo quality manager and goes
// through the pages a person uses first: the organisation chart, the people
// list and its search, the language switch, a new unit with a validation
// error first, the audit trail and signing out.
func TestBrowserWalkthrough(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)

	// 1. Opening the site asks for a sign-in, in Romanian.
	b.open("/")
	b.waitHeading("Intrați în Cadran")
	if loc := b.location(); !strings.HasPrefix(loc, "/login") {
		t.Errorf("opening / signed out lands on %q, want the sign-in page", loc)
	}
	if lang, _ := b.attr(`/html`, "lang"); lang != "ro" {
		t.Errorf("sign-in page lang = %q, want ro", lang)
	}
	b.checkPage("sign-in page")
	b.typeInto("Nume de utilizator", user)
	b.typeInto("Parolă", demo.Password)
	b.clickButton("Intră")
	const institution = "Primăria Municipiului Târgu Verde" // demo.Name, spelt out
	b.waitHeading(institution)
	if loc := b.location(); loc != "/" {
		t.Errorf("after signing in the browser is at %q, want /", loc)
	}
	if got := b.text(".institution-name"); got != institution {
		t.Errorf("header shows the institution %q, want %q", got, institution)
	}
	// The quality manager's home page is their dashboard (issue 12).
	if got := b.text("main"); !strings.Contains(got, "Bine ați venit,") || !strings.Contains(got, "Tabloul de bord al calității") {
		t.Errorf("home page lacks the welcome line or the quality manager's dashboard:\n%s", got)
	}
	b.checkPage("home page")
	b.screenshot("01-home")

	// 2. The organisation chart shows the demo units, nested ones inside
	// their parents.
	b.clickNav(navRO, "Structura organizatorică")
	b.waitHeading("Structura organizatorică")
	if cur, _ := b.attr(`//nav[@aria-label='Navigare principală']//a[@aria-current='page']`, "href"); cur != "/units" {
		t.Errorf("the navigation marks %q as the current page, want /units", cur)
	}
	b.waitVisible("the unit Direcția Economică", `//ul[contains(@class,'tree')]/li//a[normalize-space()='Direcția Economică']`)
	// A compartment of the technical directorate sits in the directorate's
	// branch of the tree, not at the top.
	b.waitVisible("a nested unit",
		`//ul[contains(@class,'tree')]/li[.//summary/a[normalize-space()='Direcția Tehnică și Investiții']]//ul//a[normalize-space()='Compartimentul Administrarea Domeniului Public și Privat']`)
	b.checkPage("organisation chart")
	b.screenshot("02-units")

	// 3. The people list, searched without diacritics.
	b.clickNav(navRO, "Personal")
	b.waitHeading("Personal")
	pager := b.text("nav.pager")
	m := pagerShowing.FindStringSubmatch(pager)
	if m == nil {
		t.Fatalf("people list pager reads %q, want “Se afișează a–b din n”", pager)
	}
	total, _ := strconv.Atoi(m[3])
	if total < 50 {
		t.Errorf("people list shows %d people in all, want the demo's staff (50 or more)", total)
	}
	if rows := b.texts("main table tbody tr"); len(rows) == 0 {
		t.Errorf("people list shows no rows")
	}
	b.checkPage("people list")
	b.screenshot("03-people")

	b.typeInto("Caută", "muresan")
	b.clickButton("Filtrează")
	b.waitVisible("a person named Mureșan", `//main//table//td/a[contains(., 'Mureșan')]`)
	if loc := b.location(); !strings.Contains(loc, "q=muresan") {
		t.Errorf("after searching the browser is at %q, want a q=muresan query", loc)
	}
	names := b.texts("main table tbody tr td:first-child a")
	if len(names) == 0 {
		t.Fatal("the search for muresan found nobody")
	}
	for _, n := range names {
		if !strings.Contains(n, "Mureșan") {
			t.Errorf("the search for muresan lists %q", n)
		}
	}
	pager = b.text("nav.pager")
	m = pagerShowing.FindStringSubmatch(pager)
	if m == nil {
		t.Errorf("filtered people list pager reads %q", pager)
	} else if n, _ := strconv.Atoi(m[3]); n != len(names) {
		t.Errorf("filtered pager says %d people, the table lists %d", n, len(names))
	}
	if v := b.inputValue(field("Caută")); v != "muresan" {
		t.Errorf("the search box holds %q after searching, want muresan", v)
	}
	b.screenshot("04-people-search")

	// 4. English and back.
	b.clickButton("English")
	b.waitHeading("People")
	if lang, _ := b.attr(`/html`, "lang"); lang != "en" {
		t.Errorf("after switching to English the page lang = %q", lang)
	}
	const navEN = "Main navigation"
	nav := b.texts(`nav.main a`)
	for _, want := range []string{"Organisation chart", "People", "Audit trail"} {
		if !slices.Contains(nav, want) {
			t.Errorf("English navigation reads %q, want it to include %q", nav, want)
		}
	}
	if loc := b.location(); !strings.HasPrefix(loc, "/people") {
		t.Errorf("switching language went to %q, want the people list again", loc)
	}
	b.checkPage("people list in English")
	b.screenshot("05-people-english")
	b.clickNav(navEN, "Organisation chart")
	b.waitHeading("Organisation chart")
	b.clickButton("Română")
	b.waitHeading("Structura organizatorică")
	if lang, _ := b.attr(`/html`, "lang"); lang != "ro" {
		t.Errorf("after switching back to Romanian the page lang = %q", lang)
	}

	// 5. A new unit: an empty name first, then a proper one.
	const unitName = "Compartimentul Îmbunătățire Continuă"
	b.clickLink("Compartiment nou")
	b.waitHeading("Compartiment nou")
	// The name is required in the browser too; a few spaces get past that
	// check and must be refused by the server.
	b.typeInto("Denumire", "   ")
	b.clickButton("Salvează")
	b.waitVisible("the error summary", `//main//*[@role='alert']`)
	summary := b.text(`main [role=alert]`)
	for _, want := range []string{"Verificați câmpurile marcate", "Denumire: câmp obligatoriu"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary reads %q, want it to contain %q", summary, want)
		}
	}
	if inv, _ := b.attr(field("Denumire"), "aria-invalid"); inv != "true" {
		t.Errorf("the name field has aria-invalid=%q, want true", inv)
	}
	if desc, ok := b.attr(field("Denumire"), "aria-describedby"); !ok {
		t.Error("the name field does not point at its error message (aria-describedby)")
	} else if msg := b.text("#" + desc); !strings.Contains(msg, "câmp obligatoriu") {
		t.Errorf("the name field's error message reads %q", msg)
	}
	b.checkPage("unit form with an error")
	b.screenshot("06-unit-form-error")
	// The summary's link takes the keyboard to the field.
	b.run("following the error summary's link",
		chromedp.Click(`//main//*[@role='alert']//a[contains(., 'Denumire')]`, chromedp.NodeVisible))
	if id := b.activeID(); id != "f-name" {
		t.Errorf("the error summary's link focuses %q, want the name field", id)
	}

	b.typeInto("Denumire", unitName)
	b.typeInto("Cod", "cic")
	b.run("choosing the parent unit and the kind",
		chromedp.SetValue(field("Subordonat față de"), b.optionValue("Subordonat față de", "Direcția Economică")),
		chromedp.SetValue(field("Tip"), b.optionValue("Tip", "Compartiment")))
	b.clickButton("Salvează")
	b.waitHeading(unitName)
	if flash := b.text(`main [role=status]`); flash != "Înregistrarea a fost creată." {
		t.Errorf("flash after creating reads %q", flash)
	}
	props := b.text("dl.props")
	for _, want := range []string{"CIC", "Compartiment", "Direcția Economică"} {
		if !strings.Contains(props, want) {
			t.Errorf("unit page details %q lack %q", props, want)
		}
	}
	b.checkPage("new unit page")
	b.screenshot("07-unit-created")

	// 6. The audit trail lists the creation.
	b.clickNav(navRO, "Jurnal de audit")
	b.waitHeading("Jurnal de audit")
	first := b.text("main table tbody tr:first-child")
	for _, want := range []string{"Creare", "Compartiment", unitName} {
		if !strings.Contains(first, want) {
			t.Errorf("the newest audit event reads %q, want it to contain %q", first, want)
		}
	}
	b.checkPage("audit trail")
	b.screenshot("08-audit")

	// 7. Signing out.
	b.clickButton("Ieșire")
	b.waitHeading("Intrați în Cadran")
	b.open("/units")
	b.waitHeading("Intrați în Cadran")
}

// TestSkipLinkFirst checks the keyboard path into the sign-in page: the
// page opens with the cursor in the username box; from the top of the page
// (where focus lands when it enters the page from the browser's toolbar) the
// first Tab reaches the "skip to content" link, which shows itself and, with
// Enter, takes the keyboard to the form.
func TestSkipLinkFirst(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, base)
	b.open("/login")
	b.waitHeading("Intrați în Cadran")
	if id := b.activeID(); id != "f-username" {
		t.Errorf("the sign-in page opens with %q focused, want the username box", id)
	}

	// Back to the top of the document, as when focus comes into the page
	// from outside it.
	b.run("moving the focus to the top of the page", chromedp.Evaluate[chromedp.Void](`(() => {
		document.activeElement.blur();
		document.body.tabIndex = -1;
		document.body.focus();
		document.body.removeAttribute("tabindex");
	})()`))
	b.run("pressing Tab", chromedp.KeyEvent(kb.Tab))
	focused := get(b, "reading the focused element", chromedp.Evaluate[[]string](`(() => {
		const e = document.activeElement;
		return e ? [e.tagName, e.innerText.trim(), e.getAttribute("href") || ""] : ["", "", ""];
	})()`))
	tag, text, href := focused[0], focused[1], focused[2]
	if tag != "A" || text != "Salt la conținut" || href != "#content" {
		t.Fatalf("the first Tab focuses <%s> %q (href %q), want the link “Salt la conținut” to #content", tag, text, href)
	}
	// The link is off screen until it has the focus; then a person sees it.
	b.waitVisible("the focused skip link on screen", `//a[normalize-space()='Salt la conținut']`)
	inView := get(b, "measuring the skip link", chromedp.Evaluate[bool](`(() => {
		const r = document.activeElement.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
	})()`))
	if !inView {
		t.Error("the focused skip link is not on screen")
	}
	b.screenshot("09-skip-link")

	b.run("following the skip link", chromedp.KeyEvent(kb.Enter))
	b.run("waiting for the content to take focus",
		chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.id === "content"`))
	b.run("pressing Tab", chromedp.KeyEvent(kb.Tab))
	if id := b.activeID(); id != "f-username" {
		t.Errorf("Tab after the skip link focuses %q, want the username box", id)
	}
}

// inputValue is the current value of a form control found by an XPath.
func (b *browser) inputValue(xpath string) string {
	b.t.Helper()
	return get(b, "reading the value of "+xpath, chromedp.Value(xpath))
}

// activeID is the id of the focused element.
func (b *browser) activeID() string {
	b.t.Helper()
	return get(b, "reading the focused element", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
}

// optionValue is the value of the first option whose text contains text in
// the menu labelled label.
func (b *browser) optionValue(label, text string) string {
	b.t.Helper()
	return get(b, "finding the option "+text,
		chromedp.AttributeValue(field(label)+`/option[contains(., `+xq(text)+`)]`, "value")).Value
}
