package frameworks

// CAF is one edition of the Common Assessment Framework: its criteria and
// sub-criteria with descriptions and examples written in our own words, in
// Romanian and English. Editions are kept side by side, so a cycle assessed
// on one keeps its model when a later edition is added.
type CAF struct {
	Version  string // "2020"
	Title    string // "CAF 2020"
	Criteria []CAFCriterion
}

// CAF criterion kinds.
const (
	CAFEnabler = "enabler" // criteria 1-5: what the organisation does
	CAFResult  = "result"  // criteria 6-9: what it achieves
)

// CAFCriterion is one of the nine criteria.
type CAFCriterion struct {
	Code    string // "1"
	Kind    string // CAFEnabler or CAFResult
	TitleRO string
	TitleEN string
	Sub     []CAFSub
}

// CAFSub is a sub-criterion.
type CAFSub struct {
	Code          string // "1.1"
	TitleRO       string
	TitleEN       string
	DescriptionRO string
	DescriptionEN string
	ExamplesRO    []string
	ExamplesEN    []string
}

// Title returns the criterion's title in locale.
func (c CAFCriterion) Title(locale string) string {
	if locale == "en" {
		return c.TitleEN
	}
	return c.TitleRO
}

// Title returns the sub-criterion's title in locale.
func (s CAFSub) Title(locale string) string {
	if locale == "en" {
		return s.TitleEN
	}
	return s.TitleRO
}

// Description returns the sub-criterion's description in locale.
func (s CAFSub) Description(locale string) string {
	if locale == "en" {
		return s.DescriptionEN
	}
	return s.DescriptionRO
}

// Examples returns the sub-criterion's examples in locale.
func (s CAFSub) Examples(locale string) []string {
	if locale == "en" {
		return s.ExamplesEN
	}
	return s.ExamplesRO
}

// CAFLatest is the edition new cycles use.
const CAFLatest = "2020"

// CAFModels lists the editions Cadran knows, oldest first.
var CAFModels = []CAF{caf2020}

// CAFModel returns the edition of version.
func CAFModel(version string) (CAF, bool) {
	for _, m := range CAFModels {
		if m.Version == version {
			return m, true
		}
	}
	return CAF{}, false
}

// Subs lists the model's sub-criteria in order.
func (m CAF) Subs() []CAFSub {
	var out []CAFSub
	for _, c := range m.Criteria {
		out = append(out, c.Sub...)
	}
	return out
}

// Criterion returns the criterion of a sub-criterion's or criterion's code.
func (m CAF) Criterion(code string) (CAFCriterion, bool) {
	crit := Chapter(code)
	for _, c := range m.Criteria {
		if c.Code == crit {
			return c, true
		}
	}
	return CAFCriterion{}, false
}

// Sub returns a sub-criterion by code.
func (m CAF) Sub(code string) (CAFSub, bool) {
	for _, c := range m.Criteria {
		for _, s := range c.Sub {
			if s.Code == code {
				return s, true
			}
		}
	}
	return CAFSub{}, false
}

// IsEnabler reports whether a sub-criterion's code belongs to an enabler.
func (m CAF) IsEnabler(code string) bool {
	c, ok := m.Criterion(code)
	return ok && c.Kind == CAFEnabler
}
