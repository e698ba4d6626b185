package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/demo"
	"cadran/internal/web"
)

// chromiumPath is Debian's Chromium, which CI installs.
const chromiumPath = "/usr/bin/chromium"

// testTimeout bounds one test: starting the browser and every wait in it.
// stepTimeout bounds one step, so that a failed wait leaves time to say what
// the page showed.
const (
	testTimeout = 30 * time.Second
	stepTimeout = 10 * time.Second
)

// startServer serves a fresh SQLite database holding the demo data.
func startServer(t *testing.T) string {
	t.Helper()
	base, _ := startServerDB(t)
	return base
}

// startServerDB is startServer that also gives the database, for tests
// that look the demo's records up.
func startServerDB(t *testing.T) (string, *db.DB) {
	t.Helper()
	d := dbtest.Open(t, db.SQLite)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := demo.Seed(ctx, d, clock.System{}); err != nil {
		t.Fatalf("seeding the demo data: %v", err)
	}
	srv, err := web.New(web.Options{DB: d, Clock: clock.System{}, Version: "e2e"})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL, d
}

// browser is one headless Chromium tab pointed at the server under test.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newBrowser starts Chromium with a fresh profile. It skips the test when
// Chromium is missing, unless CI=true: CI installs it and must never skip.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but Chromium is missing at %s: %v", chromiumPath, err)
		}
		t.Skipf("Chromium is not installed at %s (apt-get install chromium)", chromiumPath)
	}
	profile := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		// A Romanian person's browser: Cadran follows Accept-Language.
		chromedp.Flag("lang", "ro-RO"),
		chromedp.Flag("accept-lang", "ro-RO,ro"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	}
	timeout, cancelTimeout := context.WithTimeout(context.Background(), testTimeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	// Cleanups run last-in first-out: the browser exits before t.TempDir
	// removes its profile.
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelTimeout()
	})
	// The first run starts the browser, whose life is bound to the context
	// of that run: use the test's context, not a step's.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base}
}

// run performs steps and fails the test, saying what it was doing and what
// the page showed, when one of them fails.
func (b *browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.describe())
	}
}

// get runs an action that reads something from the page and returns it,
// failing the test as run does.
func get[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.describe())
	}
	return v
}

// describe tells where the browser is and what the page says, for failure
// messages. It gives up quickly when the browser no longer answers.
func (b *browser) describe() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return ""
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "\n  at " + url
	}
	if len(text) > 1500 {
		text = text[:1500] + "…"
	}
	return fmt.Sprintf("\n  at %s\n  page text:\n%s", url, text)
}

// open goes to a path of the server under test.
func (b *browser) open(path string) {
	b.t.Helper()
	b.run("opening "+path, chromedp.Navigate(b.base+path))
}

// waitHeading waits for a page whose main heading reads text.
func (b *browser) waitHeading(text string) {
	b.t.Helper()
	b.run(fmt.Sprintf("waiting for the heading %q", text),
		chromedp.WaitVisible(fmt.Sprintf(`//main//h1[normalize-space()=%s]`, xq(text))))
}

// waitVisible waits for an element found by an XPath.
func (b *browser) waitVisible(what, xpath string) {
	b.t.Helper()
	b.run("waiting for "+what, chromedp.WaitVisible(xpath))
}

// clickNav follows the link of the main navigation (found by its accessible
// name) that reads text.
func (b *browser) clickNav(navLabel, text string) {
	b.t.Helper()
	b.run(fmt.Sprintf("clicking %q in the navigation %q", text, navLabel),
		chromedp.Click(fmt.Sprintf(`//nav[@aria-label=%s]//a[normalize-space()=%s]`, xq(navLabel), xq(text)), chromedp.NodeVisible))
}

// clickLink follows the link in the page's main content that reads text.
func (b *browser) clickLink(text string) {
	b.t.Helper()
	b.run(fmt.Sprintf("clicking the link %q", text),
		chromedp.Click(fmt.Sprintf(`//main//a[normalize-space()=%s]`, xq(text)), chromedp.NodeVisible))
}

// clickButton presses the visible button that reads text.
func (b *browser) clickButton(text string) {
	b.t.Helper()
	b.run(fmt.Sprintf("pressing the button %q", text),
		chromedp.Click(fmt.Sprintf(`//button[normalize-space()=%s]`, xq(text)), chromedp.NodeVisible))
}

// field is the XPath of the form control labelled label.
func field(label string) string {
	return fmt.Sprintf(`//*[(self::input or self::select or self::textarea) and @id=//label[normalize-space()=%s]/@for]`, xq(label))
}

// typeInto clears the field labelled label and types text into it, key by
// key, as a person would.
func (b *browser) typeInto(label, text string) {
	b.t.Helper()
	sel := field(label)
	b.run(fmt.Sprintf("typing into the field %q", label),
		chromedp.WaitVisible(sel),
		chromedp.Clear(sel),
		chromedp.SendKeys(sel, text))
}

// attr reads an attribute of the first element found by an XPath; ok is
// false when the element lacks it.
func (b *browser) attr(xpath, name string) (value string, ok bool) {
	b.t.Helper()
	r := get(b, fmt.Sprintf("reading %s of %s", name, xpath), chromedp.AttributeValue(xpath, name))
	return r.Value, r.Exists
}

// text is the visible text of the first element found by a CSS selector.
func (b *browser) text(css string) string {
	b.t.Helper()
	return get(b, "reading the text of "+css, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))
}

// texts are the visible texts of every element matching a CSS selector.
func (b *browser) texts(css string) []string {
	b.t.Helper()
	return get(b, "reading the texts of "+css,
		chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.innerText.trim())`, css)))
}

// location is the current address without the server's origin.
func (b *browser) location() string {
	b.t.Helper()
	return strings.TrimPrefix(get(b, "reading the location", chromedp.Location()), b.base)
}

// rawKey matches a catalogue key shown instead of its translation.
var rawKey = regexp.MustCompile(`\b(?:nav|common|pager|error|login|home|field|unit|person|user|audit|entity|role|flash|account|institution|platform|footer|lang)\.[a-z_]+(?:\.[a-z_]+)*\b`)

// checkPage fails when the page shows an untranslated catalogue key or
// Romanian letters written wrongly: the cedilla forms ş ţ instead of the
// comma-below ș ț, or UTF-8 read as Latin-1.
func (b *browser) checkPage(where string) {
	b.t.Helper()
	body := b.text("body")
	if k := rawKey.FindString(body); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
	for _, bad := range []string{"ş", "ţ", "Ş", "Ţ", "Ã", "Ä\u0083", "Ä\u0082", "\uFFFD"} {
		if strings.Contains(body, bad) {
			b.t.Errorf("%s: the page shows a wrongly encoded letter %q", where, bad)
		}
	}
}

// screenshot saves a full-page PNG under name in CADRAN_E2E_SHOTS, or in a
// temporary directory, and checks it holds a picture.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	png := get(b, "taking the screenshot "+name, chromedp.FullScreenshot(100)) // quality 100 gives PNG
	if len(png) < 1000 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		b.t.Fatalf("screenshot %s is not a PNG picture (%d bytes)", name, len(png))
	}
	dir := os.Getenv("CADRAN_E2E_SHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		b.t.Fatalf("screenshot %s was not written: %v", path, err)
	}
	b.t.Logf("screenshot: %s (%d bytes)", path, len(png))
	return path
}

// xq quotes s as an XPath 1.0 string literal.
func xq(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	parts := strings.Split(s, "'")
	return "concat('" + strings.Join(parts, `', "'", '`) + "')"
}
