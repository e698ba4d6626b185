package frameworks

import (
	"fmt"
	"strings"
	"testing"
)

// TestOSGGModelShape: 16 standards numbered 1..16 in the five components
// (4, 4, 3, 3, 2), each with 3 to 6 questions coded "<standard>.<k>".
func TestOSGGModelShape(t *testing.T) {
	m, ok := OSGGModel(OSGGLatest)
	if !ok {
		t.Fatalf("OSGGModel(%q) not found", OSGGLatest)
	}
	if m.Version != "2018" || m.Title != "OSGG nr. 600/2018" {
		t.Errorf("version %q, title %q", m.Version, m.Title)
	}
	wantComponents := []struct {
		code      string
		standards int
	}{{"I", 4}, {"II", 4}, {"III", 3}, {"IV", 3}, {"V", 2}}
	if len(m.Components) != len(wantComponents) {
		t.Fatalf("%d components, want %d", len(m.Components), len(wantComponents))
	}
	next := 1
	for i, c := range m.Components {
		w := wantComponents[i]
		if c.Code != w.code {
			t.Errorf("component %d has code %q, want %q", i, c.Code, w.code)
		}
		if len(c.Standards) != w.standards {
			t.Errorf("component %s has %d standards, want %d", c.Code, len(c.Standards), w.standards)
		}
		for _, s := range c.Standards {
			if s.Number != next {
				t.Errorf("standard %d found where %d was expected", s.Number, next)
			}
			next++
			if s.Component != c.Code {
				t.Errorf("standard %d says component %q but sits in %q", s.Number, s.Component, c.Code)
			}
		}
	}
	std := m.Standards()
	if len(std) != 16 {
		t.Fatalf("Standards() gives %d, want 16", len(std))
	}
	seen := map[string]bool{}
	total := 0
	for _, s := range std {
		if n := len(s.Questions); n < 3 || n > 6 {
			t.Errorf("standard %d has %d questions, want 3 to 6", s.Number, n)
		}
		for k, q := range s.Questions {
			if want := fmt.Sprintf("%d.%d", s.Number, k+1); q.Code != want {
				t.Errorf("question %d of standard %d has code %q, want %q", k, s.Number, q.Code, want)
			}
			if seen[q.Code] {
				t.Errorf("question code %s twice", q.Code)
			}
			seen[q.Code] = true
			total++
		}
	}
	if m.Questions() != total {
		t.Errorf("Questions() = %d, counted %d", m.Questions(), total)
	}
}

// TestOSGGModelTexts: every text in both languages, no stray spaces, no
// cedilla letters, the Romanian with diacritics and distinct from the
// English, requirements of 3 to 6 sentences, questions ending in "?".
func TestOSGGModelTexts(t *testing.T) {
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
		if lang == "en" && strings.ContainsAny(s, "ăâîșțĂÂÎȘȚ") {
			t.Errorf("%s: Romanian letters in the English text %q", where, s)
		}
	}
	for _, m := range OSGGModels {
		check("model "+m.Version, "ro", m.Title)
		for _, c := range m.Components {
			where := m.Version + " component " + c.Code
			check(where, "ro", c.TitleRO)
			check(where, "en", c.TitleEN)
			if c.Title("ro") != c.TitleRO || c.Title("en") != c.TitleEN {
				t.Errorf("%s: Title(locale) picks the wrong language", where)
			}
		}
		for _, s := range m.Standards() {
			where := fmt.Sprintf("%s standard %d", m.Version, s.Number)
			check(where, "ro", s.TitleRO)
			check(where, "en", s.TitleEN)
			check(where, "ro", s.RequirementsRO)
			check(where, "en", s.RequirementsEN)
			for _, r := range []struct{ lang, text string }{{"ro", s.RequirementsRO}, {"en", s.RequirementsEN}} {
				if n := sentences(r.text); n < 3 || n > 6 {
					t.Errorf("%s: the %s requirements have %d sentences, want 3 to 6", where, r.lang, n)
				}
			}
			if s.RequirementsRO == s.RequirementsEN {
				t.Errorf("%s: the Romanian requirements are the English ones", where)
			}
			if !strings.ContainsAny(s.RequirementsRO, "ăâîșțĂÂÎȘȚ") {
				t.Errorf("%s: the Romanian requirements have no diacritics", where)
			}
			if s.Title("ro") != s.TitleRO || s.Title("en") != s.TitleEN ||
				s.Requirements("ro") != s.RequirementsRO || s.Requirements("en") != s.RequirementsEN {
				t.Errorf("%s: the locale accessors pick the wrong language", where)
			}
			texts := map[string]bool{}
			for _, q := range s.Questions {
				qw := m.Version + " question " + q.Code
				check(qw, "ro", q.TextRO)
				check(qw, "en", q.TextEN)
				if !strings.HasSuffix(q.TextRO, "?") || !strings.HasSuffix(q.TextEN, "?") {
					t.Errorf("%s: a question answered yes or no must end in '?': %q / %q", qw, q.TextRO, q.TextEN)
				}
				if q.TextRO == q.TextEN {
					t.Errorf("%s: the Romanian text is the English one", qw)
				}
				if texts[q.TextRO] || texts[q.TextEN] {
					t.Errorf("%s: the same question twice in standard %d", qw, s.Number)
				}
				texts[q.TextRO], texts[q.TextEN] = true, true
				if q.Text("ro") != q.TextRO || q.Text("en") != q.TextEN {
					t.Errorf("%s: Text(locale) picks the wrong language", qw)
				}
			}
		}
	}
}

// TestOSGGCrosswalk: the crosswalk names known ISO 9001 clauses and known
// CAF 2020 sub-criteria, each once per standard, and every standard maps
// to at least one of each.
func TestOSGGCrosswalk(t *testing.T) {
	caf, ok := CAFModel(CAFLatest)
	if !ok {
		t.Fatal("no CAF model")
	}
	for _, m := range OSGGModels {
		for _, s := range m.Standards() {
			if len(s.ISO) == 0 || len(s.CAF) == 0 {
				t.Errorf("standard %d: empty crosswalk (ISO %v, CAF %v)", s.Number, s.ISO, s.CAF)
			}
			dup := map[string]bool{}
			for _, c := range s.ISO {
				if _, ok := ISOClause(c); !ok {
					t.Errorf("standard %d: %q is not an ISO 9001 clause", s.Number, c)
				}
				if dup["iso"+c] {
					t.Errorf("standard %d: ISO clause %s twice", s.Number, c)
				}
				dup["iso"+c] = true
			}
			for _, c := range s.CAF {
				if _, ok := caf.Sub(c); !ok {
					t.Errorf("standard %d: %q is not a CAF sub-criterion", s.Number, c)
				}
				if dup["caf"+c] {
					t.Errorf("standard %d: CAF sub-criterion %s twice", s.Number, c)
				}
				dup["caf"+c] = true
			}
		}
	}
}

func TestOSGGLookups(t *testing.T) {
	if _, ok := OSGGModel("2005"); ok {
		t.Error(`OSGGModel("2005") found, but Cadran only knows OSGG 600/2018`)
	}
	versions := map[string]bool{}
	for _, m := range OSGGModels {
		if versions[m.Version] {
			t.Errorf("version %s listed twice", m.Version)
		}
		versions[m.Version] = true
	}
	m, _ := OSGGModel("2018")
	for _, tc := range []struct {
		n     int
		found bool
		title string
	}{{1, true, "Etica și integritatea"}, {9, true, "Proceduri"}, {16, true, "Auditul intern"}, {0, false, ""}, {17, false, ""}} {
		s, ok := m.Standard(tc.n)
		if ok != tc.found || s.TitleRO != tc.title {
			t.Errorf("Standard(%d) = %q, %v; want %q, %v", tc.n, s.TitleRO, ok, tc.title, tc.found)
		}
	}
	for _, tc := range []struct {
		code  string
		std   int
		found bool
	}{{"1.1", 1, true}, {"2.3", 2, true}, {"9.6", 9, true}, {"16.1", 16, true}, {"2.9", 0, false}, {"17.1", 0, false}, {"", 0, false}, {"1", 0, false}} {
		q, s, ok := m.Question(tc.code)
		if ok != tc.found || s.Number != tc.std || (ok && q.Code != tc.code) {
			t.Errorf("Question(%q) = %q in %d, %v; want standard %d, %v", tc.code, q.Code, s.Number, ok, tc.std, tc.found)
		}
	}
}
