package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func catalogue(t *testing.T, lang string) map[string]any {
	t.Helper()
	all := map[string]any{}
	for _, name := range catalogueFiles(lang) {
		b, err := localesFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, v := range m {
			if _, dup := all[k]; dup {
				t.Errorf("%s: key %q is defined twice", name, k)
			}
			all[k] = v
		}
	}
	return all
}

// TestCataloguesHaveTheSameKeys fails when a key exists in one language but
// not the other.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	ro, en := catalogue(t, "ro"), catalogue(t, "en")
	for k := range ro {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in ro.toml but not in en.toml", k)
		}
	}
	for k := range en {
		if _, ok := ro[k]; !ok {
			t.Errorf("key %q is in en.toml but not in ro.toml", k)
		}
	}
}

// TestRomanianUsesCommaBelow fails on the cedilla letters ş ţ, which are the
// wrong Romanian letters.
func TestRomanianUsesCommaBelow(t *testing.T) {
	for _, name := range catalogueFiles("ro") {
		b, _ := localesFS.ReadFile(name)
		if i := strings.IndexAny(string(b), "şţŞŢ"); i >= 0 {
			t.Errorf("%s has a cedilla letter near %q; use ș ț", name, string(b)[max(0, i-20):i+5])
		}
	}
}

// TestPlaceholdersMatch checks that both languages use the same template
// fields in each message.
func TestPlaceholdersMatch(t *testing.T) {
	ro, en := catalogue(t, "ro"), catalogue(t, "en")
	re := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	fields := func(v any) []string {
		var out []string
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				for _, m := range re.FindAllStringSubmatch(x, -1) {
					out = append(out, m[1])
				}
			case map[string]any:
				for _, y := range x {
					walk(y)
				}
			}
		}
		walk(v)
		slices.Sort(out)
		return slices.Compact(out)
	}
	for k, v := range ro {
		if e, ok := en[k]; ok && !slices.Equal(fields(v), fields(e)) {
			t.Errorf("%s: ro uses %v, en uses %v", k, fields(v), fields(e))
		}
	}
}

func TestLocalizer(t *testing.T) {
	b := MustLoad()
	ro, en := b.Localizer("ro"), b.Localizer("en")
	if got := ro.T("nav.units"); got != "Structura organizatorică" {
		t.Errorf("ro nav.units = %q", got)
	}
	if got := en.T("nav.units"); got != "Organisation chart" {
		t.Errorf("en nav.units = %q", got)
	}
	// Romanian plurals: one, few (2-19) and "other" with "de".
	for n, want := range map[int]string{1: "1 persoană", 3: "3 persoane", 25: "25 de persoane"} {
		if got := ro.T("unit.people_count", "Count", n); got != want {
			t.Errorf("ro plural %d = %q, want %q", n, got, want)
		}
	}
	if got := en.T("unit.people_count", "Count", 1); got != "1 person" {
		t.Errorf("en plural 1 = %q", got)
	}
	if got := ro.T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key should show itself, got %q", got)
	}
	d := time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC)
	if got := ro.Date(d); got != "23.11.2026" {
		t.Errorf("ro date = %q", got)
	}
	if got := ro.LongDate(d); got != "23 noiembrie 2026" {
		t.Errorf("ro long date = %q", got)
	}
	if got := ro.DateTime(d); got != "23.11.2026 12:30" {
		t.Errorf("ro date-time (Bucharest) = %q", got)
	}
	if got := ro.Number(1234567); got != "1.234.567" {
		t.Errorf("ro number = %q", got)
	}
	if got := en.Number(1234567); got != "1,234,567" {
		t.Errorf("en number = %q", got)
	}
	if got := Match("en-GB,en;q=0.9,ro;q=0.8"); got != "en" {
		t.Errorf("Match = %q", got)
	}
	if got := Match("fr-FR"); got != "ro" {
		t.Errorf("Match of an unknown language = %q", got)
	}
}

// TestDecimalMatchesPrinter keeps the hand-written Decimal in step with what
// golang.org/x/text's printer writes for each language.
func TestDecimalMatchesPrinter(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	values := []float64{0, 1, -1, 0.05, -0.04, 9.999, 12.5, 999, 1000, -1000, 12345.678, 1234567.891, -987654321.5, 100, 86.66666666666667, 1e9}
	for _, lang := range Languages {
		l := b.Localizer(lang)
		for _, v := range values {
			for d := range 4 {
				if got, want := l.Decimal(v, d), l.p.Sprintf("%.*f", d, v); got != want {
					t.Errorf("%s Decimal(%v, %d) = %q, printer says %q", lang, v, d, got, want)
				}
			}
		}
	}
}
