package frameworks

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCAFModelShape(t *testing.T) {
	m, ok := CAFModel("2020")
	if !ok {
		t.Fatal(`CAFModel("2020") not found`)
	}
	if m.Version != "2020" || m.Title != "CAF 2020" {
		t.Errorf("version %q, title %q", m.Version, m.Title)
	}
	if len(m.Criteria) != 9 {
		t.Fatalf("%d criteria, want 9", len(m.Criteria))
	}
	// The number of sub-criteria per criterion, in the model's order.
	wantSubs := []int{4, 4, 3, 6, 3, 2, 2, 2, 2}
	enablers, results := 0, 0
	for i, c := range m.Criteria {
		if want := fmt.Sprint(i + 1); c.Code != want {
			t.Errorf("criterion %d has code %q, want %q", i, c.Code, want)
		}
		wantKind := CAFEnabler
		if i >= 5 {
			wantKind = CAFResult
		}
		if c.Kind != wantKind {
			t.Errorf("criterion %s is %q, want %q", c.Code, c.Kind, wantKind)
		}
		if len(c.Sub) != wantSubs[i] {
			t.Errorf("criterion %s has %d sub-criteria, want %d", c.Code, len(c.Sub), wantSubs[i])
		}
		for j, s := range c.Sub {
			if want := fmt.Sprintf("%s.%d", c.Code, j+1); s.Code != want {
				t.Errorf("sub-criterion %d of %s has code %q, want %q", j, c.Code, s.Code, want)
			}
			if c.Kind == CAFEnabler {
				enablers++
			} else {
				results++
			}
		}
	}
	if enablers != 20 || results != 8 {
		t.Errorf("%d enabler and %d result sub-criteria, want 20 and 8", enablers, results)
	}
	subs := m.Subs()
	if len(subs) != 28 {
		t.Fatalf("Subs() gives %d, want 28", len(subs))
	}
	seen := map[string]bool{}
	for _, s := range subs {
		if seen[s.Code] {
			t.Errorf("sub-criterion %s twice", s.Code)
		}
		seen[s.Code] = true
	}
	if subs[0].Code != "1.1" || subs[3].Code != "1.4" || subs[4].Code != "2.1" || subs[16].Code != "4.6" || subs[19].Code != "5.3" || subs[20].Code != "6.1" || subs[27].Code != "9.2" {
		t.Errorf("Subs() is not in the model's order: %v", codes(subs))
	}
}

func codes(subs []CAFSub) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = s.Code
	}
	return out
}

// sentences counts the sentences of a description: its full stops, question
// and exclamation marks at the end of a word.
func sentences(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		if strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") {
			n++
		}
	}
	return n
}

func TestCAFModelTexts(t *testing.T) {
	m, _ := CAFModel(CAFLatest)
	check := func(where, lang, s string) {
		t.Helper()
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s: empty %s text", where, lang)
			return
		}
		if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
			t.Errorf("%s (%s): stray spaces in %q", where, lang, s)
		}
		if strings.ContainsAny(s, "şţŞŢ") {
			t.Errorf("%s (%s): cedilla ş/ţ instead of comma-below ș/ț in %q", where, lang, s)
		}
	}
	for _, c := range m.Criteria {
		check("criterion "+c.Code, "ro", c.TitleRO)
		check("criterion "+c.Code, "en", c.TitleEN)
		if c.Title("ro") != c.TitleRO || c.Title("en") != c.TitleEN {
			t.Errorf("criterion %s: Title(locale) picks the wrong language", c.Code)
		}
	}
	for _, s := range m.Subs() {
		where := "sub-criterion " + s.Code
		check(where, "ro", s.TitleRO)
		check(where, "en", s.TitleEN)
		check(where, "ro", s.DescriptionRO)
		check(where, "en", s.DescriptionEN)
		for _, d := range []struct{ lang, text string }{{"ro", s.DescriptionRO}, {"en", s.DescriptionEN}} {
			if n := sentences(d.text); n < 2 || n > 4 {
				t.Errorf("%s: the %s description has %d sentences, want 2 to 4", where, d.lang, n)
			}
		}
		if s.DescriptionRO == s.DescriptionEN {
			t.Errorf("%s: the Romanian description is the English one", where)
		}
		if !strings.ContainsAny(s.DescriptionRO, "ăâîșțĂÂÎȘȚ") {
			t.Errorf("%s: the Romanian description has no diacritics", where)
		}
		if len(s.ExamplesRO) < 4 || len(s.ExamplesRO) > 6 {
			t.Errorf("%s: %d Romanian examples, want 4 to 6", where, len(s.ExamplesRO))
		}
		if len(s.ExamplesRO) != len(s.ExamplesEN) {
			t.Errorf("%s: %d Romanian and %d English examples: the languages must say the same", where, len(s.ExamplesRO), len(s.ExamplesEN))
		}
		for lang, list := range map[string][]string{"ro": s.ExamplesRO, "en": s.ExamplesEN} {
			for i, e := range list {
				check(fmt.Sprintf("%s example %d", where, i+1), lang, e)
				if slices.Index(list, e) != i {
					t.Errorf("%s (%s): example %q twice", where, lang, e)
				}
			}
		}
		if s.Title("en") != s.TitleEN || s.Description("en") != s.DescriptionEN || !slices.Equal(s.Examples("en"), s.ExamplesEN) ||
			s.Title("ro") != s.TitleRO || s.Description("ro") != s.DescriptionRO || !slices.Equal(s.Examples("ro"), s.ExamplesRO) {
			t.Errorf("%s: the locale accessors pick the wrong language", where)
		}
	}
}

// TestCAFResultsSayWhatToMeasure: the perception sub-criteria of criteria
// 6 to 8 say which perceptions are measured, the performance ones which
// indicators, and criterion 9's what it measures.
func TestCAFResultsSayWhatToMeasure(t *testing.T) {
	m, _ := CAFModel("2020")
	for _, tc := range []struct {
		code   string
		ro, en []string
	}{
		{"6.1", []string{"percepți", "măsoară", "sondaj"}, []string{"perception", "measures", "survey"}},
		{"7.1", []string{"percepți", "măsoară", "sondaj"}, []string{"perception", "measures", "survey"}},
		{"8.1", []string{"percepți", "măsoară", "sondaj"}, []string{"perception", "measures", "survey"}},
		{"6.2", []string{"indicatori", "termen"}, []string{"indicators", "deadlines"}},
		{"7.2", []string{"indicatori", "absenteism"}, []string{"indicators", "absenteeism"}},
		{"8.2", []string{"indicatori", "energie"}, []string{"indicators", "energy"}},
		{"9.1", []string{"măsoară", "obiectivelor strategice"}, []string{"measures", "strategic objectives"}},
		{"9.2", []string{"măsoară", "costul"}, []string{"measures", "cost"}},
	} {
		s, ok := m.Sub(tc.code)
		if !ok {
			t.Fatalf("sub-criterion %s not found", tc.code)
		}
		for _, w := range tc.ro {
			if !strings.Contains(s.DescriptionRO, w) {
				t.Errorf("%s: the Romanian description does not say %q", tc.code, w)
			}
		}
		for _, w := range tc.en {
			if !strings.Contains(s.DescriptionEN, w) {
				t.Errorf("%s: the English description does not say %q", tc.code, w)
			}
		}
	}
}

func TestCAFModelLookups(t *testing.T) {
	if _, ok := CAFModel("2013"); ok {
		t.Error(`CAFModel("2013") found, but Cadran only knows CAF 2020`)
	}
	if _, ok := CAFModel(CAFLatest); !ok {
		t.Errorf("the latest edition %q is not among the models", CAFLatest)
	}
	versions := map[string]bool{}
	for _, m := range CAFModels {
		if versions[m.Version] {
			t.Errorf("edition %s listed twice", m.Version)
		}
		versions[m.Version] = true
	}
	m, _ := CAFModel("2020")
	for _, tc := range []struct {
		code, crit string
		found      bool
		enabler    bool
	}{
		{"1", "1", true, true},
		{"1.1", "1", true, true},
		{"4.2", "4", true, true},
		{"5.3", "5", true, true},
		{"6", "6", true, false},
		{"6.1", "6", true, false},
		{"9.2", "9", true, false},
		{"10", "", false, false},
		{"10.1", "", false, false},
		{"", "", false, false},
		{"x", "", false, false},
	} {
		c, ok := m.Criterion(tc.code)
		if ok != tc.found || c.Code != tc.crit {
			t.Errorf("Criterion(%q) = %q, %v; want %q, %v", tc.code, c.Code, ok, tc.crit, tc.found)
		}
		if got := m.IsEnabler(tc.code); got != tc.enabler {
			t.Errorf("IsEnabler(%q) = %v, want %v", tc.code, got, tc.enabler)
		}
	}
	s, ok := m.Sub("4.2")
	if !ok || s.Code != "4.2" || s.TitleEN != "Collaborating with citizens and civil society organisations" {
		t.Errorf("Sub(4.2) = %+v, %v", s.Code, ok)
	}
	if !slices.Contains(s.ExamplesRO, "Bugetarea participativă") {
		t.Errorf("4.2's examples lack participatory budgeting: %v", s.ExamplesRO)
	}
	for _, code := range []string{"4.7", "4", "0.1", "", "9.3"} {
		if _, ok := m.Sub(code); ok {
			t.Errorf("Sub(%q) found", code)
		}
	}
	c, _ := m.Criterion("3")
	if c.Title("ro") != "Oameni" || c.Title("en") != "People" {
		t.Errorf("criterion 3 is %q / %q", c.Title("ro"), c.Title("en"))
	}
}
