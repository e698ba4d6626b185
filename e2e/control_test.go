package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"cadran/internal/demo"
)

// controlRawKey matches a catalogue key of the internal control pages
// shown instead of its translation.
var controlRawKey = regexp.MustCompile(`\bcontrol(?:eval|prog|sens|domain)?\.[a-z_]+(?:\.[a-z_0-9]+)*\b`)

// ctlStandard is the standard the browser test answers: business
// continuity, which the demo's Serviciul Contabilitate has not answered
// this year.
const ctlStandard = 11

// ctlCounts is a standard's row of the summary: the compartments where it
// applies, how many rated it I, PI and NI, and its status.
type ctlCounts struct {
	Applicable, I, PI, NI int
	Status                string
}

// TestControlSelfEvaluation: the economic director opens this year's
// open self-evaluation, goes to the questionnaire of Serviciul
// Contabilitate (a service of his directorate that has not started),
// answers every question of standard 11, one "Nu" with its explanation,
// saves, and sees the standard partially implemented in the compartment;
// the institution's summary then counts one compartment more for standard
// 11, rated PI. The same pages then read in English.
func TestControlSelfEvaluation(t *testing.T) {
	base, d := startServerDB(t)
	ctx := context.Background()
	var evalID, unitID int64
	var year int
	if err := d.R.QueryRowContext(ctx, `SELECT e.id, e.year FROM control_evaluations e JOIN institutions i ON i.id = e.tenant_id
		WHERE i.cui = $1 AND e.state = 'open'`, demo.CUI).Scan(&evalID, &year); err != nil {
		t.Fatalf("the demo's open self-evaluation: %v", err)
	}
	if err := d.R.QueryRowContext(ctx, `SELECT u.id FROM units u JOIN institutions i ON i.id = u.tenant_id
		WHERE i.cui = $1 AND u.code = 'DE-SC'`, demo.CUI).Scan(&unitID); err != nil {
		t.Fatalf("Serviciul Contabilitate: %v", err)
	}
	evaluation := fmt.Sprintf("/control/evaluations/%d", evalID)
	questionnaire := fmt.Sprintf("%s/units/%d", evaluation, unitID)
	summary := evaluation + "/summary"
	std := fmt.Sprintf("//main//section[@id='std-%d']", ctlStandard)
	form := std + fmt.Sprintf("//form[@action=%s]", xq(fmt.Sprintf("%s/standards/%d", questionnaire, ctlStandard)))

	b := newBrowser(t, base)
	b.docSignIn("economic")

	// Before: the summary's row for standard 11.
	before := b.controlCounts(summary)
	b.controlCheckPage("the summary")

	// The evaluation lists the service; its questionnaire is empty.
	b.open(evaluation)
	link := fmt.Sprintf("//main//a[@href=%s]", xq(questionnaire))
	b.waitVisible("the link to Serviciul Contabilitate's questionnaire", link)
	b.controlCheckPage("the evaluation")
	b.run("opening the questionnaire", chromedp.Click(link, chromedp.NodeVisible))
	b.waitVisible("the questionnaire's form for standard 11", form)
	b.controlCheckPage("the questionnaire")
	if s := b.controlUnitStatus(); s != "Neevaluat" {
		t.Errorf("before answering, standard %d reads %q in the compartment, want Neevaluat", ctlStandard, s)
	}

	// Answer: yes to every question, no to the last, with why.
	codes := get(b, "reading the questions", chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll('#std-%d form fieldset.question'), f => f.id.slice(2))`, ctlStandard)))
	if len(codes) == 0 {
		t.Fatalf("standard %d has no questions on the page%s", ctlStandard, b.describe())
	}
	why := "Nu există încă un plan de continuitate pentru închiderea lunară în lipsa titularului."
	for i, code := range codes {
		answer := "yes"
		if i == len(codes)-1 {
			answer = "no"
		}
		b.run("answering "+code, chromedp.Click(fmt.Sprintf(`//input[@id=%s]`, xq("a-"+code+"-"+answer)), chromedp.NodeVisible))
		if answer == "no" {
			b.run("explaining "+code, chromedp.SendKeys(fmt.Sprintf(`//textarea[@id=%s]`, xq("x-"+code)), why))
		}
	}
	b.run("saving standard 11", chromedp.Click(form+`//button[@type='submit']`, chromedp.NodeVisible))
	b.waitVisible("the confirmation", `//main//div[contains(@class,'flash')][@role='status']`)
	b.waitVisible("the questionnaire again", form)
	if s := b.controlUnitStatus(); s != "Parțial implementat" {
		t.Errorf("after answering, standard %d reads %q in the compartment, want Parțial implementat", ctlStandard, s)
	}
	last := codes[len(codes)-1]
	if v := b.inputValue(fmt.Sprintf(`//textarea[@id=%s]`, xq("x-"+last))); v != why {
		t.Errorf("the explanation of %s reads %q after saving, want %q", last, v, why)
	}
	b.controlCheckPage("the answered questionnaire")
	b.screenshot("control-questionnaire")

	// After: the summary counts the compartment, rated PI.
	after := b.controlCounts(summary)
	want := before
	want.Applicable++
	want.PI++
	want.Status = "Parțial implementat"
	if after != want {
		t.Errorf("standard %d in the summary: before %+v, after %+v; want %+v", ctlStandard, before, after, want)
	}
	b.screenshot("control-summary")

	// The same pages in English.
	b.clickButton("English")
	b.waitVisible("the summary in English", `/html[@lang='en']//main//h1`)
	b.controlCheckPage("the summary in English")
	if got := b.controlCounts(summary); got.Applicable != after.Applicable || got.PI != after.PI || got.Status != "Partially implemented" {
		t.Errorf("in English, standard %d in the summary reads %+v, want the same counts as %+v, partially implemented", ctlStandard, got, after)
	}
	b.open(questionnaire)
	b.waitVisible("the questionnaire in English", `/html[@lang='en']`+form)
	b.controlCheckPage("the questionnaire in English")
	if s := b.controlUnitStatus(); s != "Partially implemented" {
		t.Errorf("in English, standard %d reads %q in the compartment, want Partially implemented", ctlStandard, s)
	}
	if v := b.inputValue(fmt.Sprintf(`//textarea[@id=%s]`, xq("x-"+last))); v != why {
		t.Errorf("in English, the explanation of %s reads %q, want %q", last, v, why)
	}
	b.open(evaluation)
	b.waitVisible("the evaluation in English", `/html[@lang='en']//main//h1`)
	b.controlCheckPage("the evaluation in English")
	if body := b.text("main"); !strings.Contains(body, strconv.Itoa(year)) {
		t.Errorf("the evaluation's page in English does not show its year %d", year)
	}
}

// controlCounts opens the summary at path and reads standard 11's row.
func (b *browser) controlCounts(path string) ctlCounts {
	b.t.Helper()
	b.open(path)
	row := fmt.Sprintf(`//main//tr[@id='std-%d']`, ctlStandard)
	b.waitVisible("standard 11's row of the summary", row)
	cells := get(b, "reading standard 11's row", chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll('main tr#std-%d > *'), c => c.innerText.trim())`, ctlStandard)))
	if len(cells) < 7 {
		b.t.Fatalf("the summary's row for standard %d has %d cells: %q%s", ctlStandard, len(cells), cells, b.describe())
	}
	n := func(i int) int {
		v, err := strconv.Atoi(strings.TrimSpace(cells[i]))
		if err != nil {
			b.t.Fatalf("the summary's cell %d for standard %d reads %q, want a number", i, ctlStandard, cells[i])
		}
		return v
	}
	return ctlCounts{Applicable: n(2), I: n(3), PI: n(4), NI: n(5), Status: cells[6]}
}

// controlUnitStatus reads standard 11's status in the questionnaire's
// heading: the text after "Status...: ".
func (b *browser) controlUnitStatus() string {
	b.t.Helper()
	s := b.text(fmt.Sprintf(`#h-std-%d .tag`, ctlStandard))
	if _, after, ok := strings.Cut(s, ": "); ok {
		return strings.TrimSpace(after)
	}
	return strings.TrimSpace(s)
}

// controlCheckPage is checkPage, also for the internal control catalogue
// keys.
func (b *browser) controlCheckPage(where string) {
	b.t.Helper()
	b.checkPage(where)
	if k := controlRawKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("%s: the page shows the untranslated key %q", where, k)
	}
}
