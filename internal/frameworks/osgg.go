package frameworks

// OSGG is one version of the internal managerial control code (OSGG
// 600/2018): its 16 standards in five components, each with its
// requirements and the questions of the yearly self-evaluation
// ("criterii generale de evaluare") written in our own words, in Romanian
// and English, and its starting crosswalk to ISO 9001 clauses and CAF
// sub-criteria (DOMAIN.md). Versions are kept side by side like the CAF
// model's, so an evaluation keeps the questions it was answered on.
type OSGG struct {
	Version    string // "2018"
	Title      string // "OSGG nr. 600/2018"
	Components []OSGGComponent
}

// OSGGComponent is one of the five components.
type OSGGComponent struct {
	Code      string // "I"
	TitleRO   string
	TitleEN   string
	Standards []OSGGStandard
}

// OSGGStandard is one of the 16 standards.
type OSGGStandard struct {
	Number    int    // 1 to 16
	Component string // "I"
	TitleRO   string
	TitleEN   string
	// What the standard requires, in our own words.
	RequirementsRO string
	RequirementsEN string
	// The starting crosswalk: ISO 9001 clauses and CAF sub-criteria.
	ISO       []string
	CAF       []string
	Questions []OSGGQuestion
}

// OSGGQuestion is one question of the self-evaluation questionnaire,
// answered yes, no or not applicable by each compartment.
type OSGGQuestion struct {
	Code   string // "2.3": the standard's number, then the question's
	TextRO string
	TextEN string
}

// Title returns the component's title in locale.
func (c OSGGComponent) Title(locale string) string {
	if locale == "en" {
		return c.TitleEN
	}
	return c.TitleRO
}

// Title returns the standard's title in locale.
func (s OSGGStandard) Title(locale string) string {
	if locale == "en" {
		return s.TitleEN
	}
	return s.TitleRO
}

// Requirements returns the standard's requirements in locale.
func (s OSGGStandard) Requirements(locale string) string {
	if locale == "en" {
		return s.RequirementsEN
	}
	return s.RequirementsRO
}

// Text returns the question in locale.
func (q OSGGQuestion) Text(locale string) string {
	if locale == "en" {
		return q.TextEN
	}
	return q.TextRO
}

// OSGGLatest is the version new evaluations use.
const OSGGLatest = "2018"

// OSGGModels lists the versions Cadran knows, oldest first.
var OSGGModels = []OSGG{osgg2018}

// OSGGModel returns the version of the code named version.
func OSGGModel(version string) (OSGG, bool) {
	for _, m := range OSGGModels {
		if m.Version == version {
			return m, true
		}
	}
	return OSGG{}, false
}

// Standards lists the 16 standards in order.
func (m OSGG) Standards() []OSGGStandard {
	var out []OSGGStandard
	for _, c := range m.Components {
		out = append(out, c.Standards...)
	}
	return out
}

// Standard returns the standard numbered n.
func (m OSGG) Standard(n int) (OSGGStandard, bool) {
	for _, c := range m.Components {
		for _, s := range c.Standards {
			if s.Number == n {
				return s, true
			}
		}
	}
	return OSGGStandard{}, false
}

// Question returns the question of code and its standard.
func (m OSGG) Question(code string) (OSGGQuestion, OSGGStandard, bool) {
	for _, s := range m.Standards() {
		for _, q := range s.Questions {
			if q.Code == code {
				return q, s, true
			}
		}
	}
	return OSGGQuestion{}, OSGGStandard{}, false
}

// Questions counts the questions of every standard.
func (m OSGG) Questions() int {
	n := 0
	for _, s := range m.Standards() {
		n += len(s.Questions)
	}
	return n
}
