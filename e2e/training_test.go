package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
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

// trainingRawKey matches a catalogue key of the training pages shown
// instead of its translation.
var trainingRawKey = regexp.MustCompile(`\btraining(?:groups|certs|people|domain|comp|induction)?\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

// The competence today's demo session gives, and what the quality manager
// records on the certificate.
const (
	trComp      = "C-RISC"
	trCertNo    = "ICIGP-MR-0042/2026"
	trCertScan  = "certificat-risc.pdf"
	trSessionPr = "P-RISC"
)

// trainingServer serves a fresh SQLite database holding the demo data, as
// startServer does, with a directory for uploaded files (the certificate's
// scan); it returns the database too, to find the demo's records.
func trainingServer(t *testing.T) (string, *db.DB) {
	t.Helper()
	d := dbtest.Open(t, db.SQLite)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := demo.Seed(ctx, d, clock.System{}); err != nil {
		t.Fatalf("seeding the demo data: %v", err)
	}
	srv, err := web.New(web.Options{DB: d, Clock: clock.System{}, Version: "e2e", FilesDir: t.TempDir()})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL, d
}

// TestTrainingWalkthrough: the quality manager enrols the head of the
// human resources service, who lacks risk management, in the demo's risk
// management session of today; marks the session held, records their
// attendance, closes it and finds them completed; records their
// certificate with a scanned PDF, which downloads back as the same PDF;
// and the competence matrix shows their risk management cell turned from
// a gap to held. The same pages then read in English.
func TestTrainingWalkthrough(t *testing.T) {
	base, d := trainingServer(t)
	ctx := context.Background()
	var sessionID, personID int64
	var name string
	if err := d.R.QueryRowContext(ctx, `SELECT s.id FROM training_sessions s JOIN training_programmes p ON p.id = s.programme_id
		WHERE p.code = $1 AND s.state = 'planned'`, trSessionPr).Scan(&sessionID); err != nil {
		t.Fatalf("the demo's planned %s session: %v", trSessionPr, err)
	}
	if err := d.R.QueryRowContext(ctx, `SELECT p.id, p.full_name FROM people p JOIN units u ON u.id = p.unit_id
		WHERE u.code = 'SRU' AND p.position = 'management' AND p.active`).Scan(&personID, &name); err != nil {
		t.Fatalf("the head of the human resources service: %v", err)
	}
	session := fmt.Sprintf("/training/sessions/%d", sessionID)
	matrix := "/training/matrix?q=" + url.QueryEscape(name)
	scan := filepath.Join(t.TempDir(), trCertScan)
	if err := os.WriteFile(scan, []byte(trainingPDF), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	b.docSignIn("calitate")
	// Closing and cancelling ask for a confirmation: say yes.
	confirmYes := func() {
		b.inboxEval(`(() => { window.confirm = () => true; return ''; })()`)
	}

	// Before: the risk management cell is a gap.
	if got := b.trainingCell(matrix, personID); got != "gap" {
		t.Fatalf("before the course, %s's %s cell is %q, want gap", name, trComp, got)
	}
	b.trainingCheckPage("the matrix")

	// Enrol them in today's session.
	b.open(session)
	enrol := `//main//form[@id='enrol']`
	b.waitVisible("the enrolment form", enrol)
	b.trainingCheckPage("the planned session")
	if ok := get(b, "choosing "+name, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const o = document.querySelector('#f-ts_people option[value="%d"]');
		if (!o) return false;
		o.selected = true;
		return true;
	})()`, personID))); !ok {
		t.Fatalf("%s is not offered for enrolment%s", name, b.describe())
	}
	b.run("enrolling", chromedp.Click(enrol+`//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)
	row := fmt.Sprintf(`//main//section[@aria-labelledby='enrolled']//tr[th/a[@href='/training/people/%d']]`, personID)
	b.waitVisible(name+" among the enrolled", row)

	// The course starts: held.
	b.trainingMove(session, "held")

	// Their attendance: present on the session's day.
	b.open(session + "/attendance")
	grid := `//main//form[@id='attendance']`
	b.waitVisible("the attendance grid", grid)
	b.trainingCheckPage("the attendance grid")
	box := fmt.Sprintf(`%s//tr[th[contains(normalize-space(), %s)]]//input[@type='checkbox']`, grid, xq(name))
	if n := b.inboxCount(box); n != 1 {
		t.Fatalf("the attendance grid has %d boxes for %s, want one (a one-day session)%s", n, name, b.describe())
	}
	b.run("ticking "+name+" present", chromedp.Click(box, chromedp.NodeVisible))
	b.run("saving the attendance", chromedp.Click(grid+`//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)
	if checked := get(b, "reading the box", chromedp.Evaluate[bool](fmt.Sprintf(
		`document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.checked`, box))); !checked {
		t.Errorf("after saving, %s is not marked present", name)
	}

	// Closed: they completed it.
	b.open(session)
	b.waitVisible("the session", row)
	confirmYes()
	b.trainingMove(session, "closed")
	b.waitVisible(name+" completed", row+`//span[contains(@class,'state-completed')]`)
	b.trainingCheckPage("the closed session")

	// Their certificate, with the scan.
	add := row + `//a[starts-with(@href, '/training/certificates/new')]`
	b.waitVisible("the link to record the certificate", add)
	b.run("opening the certificate form", chromedp.Click(add, chromedp.NodeVisible))
	form := `//main//form[@action='/training/certificates']`
	b.waitVisible("the certificate form", form)
	b.trainingCheckPage("the certificate form")
	if v := b.inputValue(`//*[@id='f-training_cert_name']`); v == "" {
		b.citizenType("#f-training_cert_name", "Certificat de absolvire — Managementul riscurilor în entitățile publice")
	}
	b.citizenType("#f-training_cert_number", trCertNo)
	if v := b.inputValue(`//*[@id='f-training_cert_issuer']`); v == "" {
		b.citizenType("#f-training_cert_issuer", "Institutul de Control Intern și Guvernanță Publică SRL")
	}
	b.run("attaching the scan", chromedp.SetUploadFiles(chromedp.CSS(`#f-training_cert_scan`), []string{scan}))
	b.run("saving the certificate", chromedp.Click(form+`//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the certificate", `//main//dl[contains(@class,'props')]`)
	b.trainingCheckPage("the certificate")
	cert := b.location()
	if !regexp.MustCompile(`^/training/certificates/\d+$`).MatchString(cert) {
		t.Fatalf("after saving, the browser is at %s, want the certificate's page%s", cert, b.describe())
	}
	if props := b.text(`main dl.props`); !strings.Contains(props, trCertNo) || !strings.Contains(props, name) {
		t.Errorf("the certificate's page does not show %s and %s: %q", trCertNo, name, props)
	}
	got := b.docFetch(`main a[href$="/scan"]`)
	if got.Status != 200 || got.Type != "application/pdf" || got.Head != "%PDF" || got.Size != len(trainingPDF) {
		t.Errorf("the scan downloads as %+v, want the %d-byte PDF uploaded", got, len(trainingPDF))
	}

	// After: the cell is held.
	if got := b.trainingCell(matrix, personID); got != "ok" {
		t.Errorf("after the certificate, %s's %s cell is %q, want ok (held)", name, trComp, got)
	}
	b.screenshot("training-matrix")
	headingRO := b.text("main h1")

	// The same pages in English.
	b.clickButton("English")
	b.waitVisible("the matrix in English", `/html[@lang='en']//main//table[contains(@class,'tmx')]`)
	b.trainingCheckPage("the matrix in English")
	if h := b.text("main h1"); h == "" || h == headingRO {
		t.Errorf("the matrix's heading reads %q in English, %q in Romanian", h, headingRO)
	}
	if got := b.trainingCell(matrix, personID); got != "ok" {
		t.Errorf("in English, %s's %s cell is %q, want ok (held)", name, trComp, got)
	}
	for _, page := range []struct{ path, want string }{
		{session, "Completed"},
		{session + "/attendance", name},
		{cert, trCertNo},
	} {
		b.open(page.path)
		b.waitVisible(page.path+" in English", `/html[@lang='en']//main//h1`)
		b.trainingCheckPage(page.path + " in English")
		if body := b.text("main"); !strings.Contains(body, page.want) {
			t.Errorf("%s in English does not show %q", page.path, page.want)
		}
	}
}

// trainingCell opens the matrix at path and reads the state of the
// person's cell in the column of trComp: ok, expiring, gap, extra or "".
func (b *browser) trainingCell(path string, personID int64) string {
	b.t.Helper()
	b.open(path)
	b.waitVisible("the matrix", `//main//table[contains(@class,'tmx')]`)
	return get(b, "reading the cell", chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const t = document.querySelector('main table.tmx');
		const heads = [...t.tHead.rows[0].cells];
		const col = heads.findIndex(c => c.textContent.trim() === %q);
		const link = t.querySelector('a[href="/training/people/%d"]');
		if (col < 0 || !link) return 'missing';
		const cell = link.closest('tr').cells[col];
		const state = [...cell.classList].find(c => c.startsWith('tmx-') && c !== 'tmx-c');
		return state ? state.slice(4) : '';
	})()`, trComp, personID)))
}

// trainingMove presses the session's button that moves it to state, and
// waits for the confirmation.
func (b *browser) trainingMove(session, state string) {
	b.t.Helper()
	button := fmt.Sprintf(`//main//form[@action=%s][.//input[@name='ts_state'][@value=%s]]//button[@type='submit']`, xq(session+"/state"), xq(state))
	b.waitVisible("the button to move the session to "+state, button)
	b.run("moving the session to "+state, chromedp.Click(button, chromedp.NodeVisible))
	b.waitVisible("the session "+state, fmt.Sprintf(`//main//span[contains(@class,'tag')][contains(@class,'state-%s')]`, state))
}

// trainingCheckPage is checkPage, also for the training catalogue keys.
func (b *browser) trainingCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := trainingRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}

// trainingPDF is a small, valid one-page PDF: the certificate's scan.
const trainingPDF = "%PDF-1.4\n" +
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" +
	"trailer<</Root 1 0 R>>\n" +
	"%%EOF\n"
