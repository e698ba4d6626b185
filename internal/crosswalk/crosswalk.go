// Package crosswalk maps ISO 9001 clauses, CAF sub-criteria and OSGG 600
// standards to each other, per institution, and reads the evidence linked
// to one as evidence for the others.
//
// The mapping is data (crosswalk_pairs): pairs of items of two different
// frameworks, seeded for an institution on first use from the reference
// mapping (DefaultPairs, the table in the domain notes) and edited by the
// quality office. A marker (crosswalk_settings) records that the seeding
// happened, so removing pairs never brings them back by itself; restoring
// the defaults is an explicit action.
//
// Evidence is read where each framework keeps it: for an ISO clause, the
// compliance matrix's evidence of conformity (documents in force,
// registers, internal audits, reviews, indicators, evidence recorded by
// hand; a sub-clause's counts for its parent); for a CAF sub-criterion,
// the latest self-assessment cycle's evidence; for an OSGG standard, the
// latest self-evaluation's evidence of every compartment (the latest
// consolidated or approved one, else the one under way). An item's
// evidence through the crosswalk is that of every item mapped to it; a
// record linked in several places shows once, with every place it was
// linked.
package crosswalk

import (
	"slices"
	"strconv"
	"strings"

	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/db"
	"cadran/internal/frameworks"
)

// Module names the crosswalk in the audit trail.
const Module = "crosswalk"

// Entities in the audit trail.
const (
	EntityPair    = "crosswalk_pair"
	EntityMapping = "crosswalk"
	defaultOSGG   = "2018"
	defaultCAF    = "2020"
)

// Frameworks.
const (
	ISO  = "iso"
	CAF  = "caf"
	OSGG = "osgg"
)

// Frameworks lists the frameworks in the order pairs store them.
var Frameworks = []string{ISO, CAF, OSGG}

// Service is the crosswalk of one deployment.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// Compliance reads the ISO 9001 matrix's evidence.
	Compliance *compliance.Service
}

// Ref names one item of a framework: "iso 7.5", "caf 4.4", "osgg 13".
type Ref struct {
	FW   string `json:"framework"`
	Code string `json:"code"`
}

// String is "iso 7.5".
func (r Ref) String() string { return r.FW + " " + r.Code }

// Title is the item's title in locale ("ro" or "en").
func (r Ref) Title(locale string) string {
	switch r.FW {
	case ISO:
		if c, ok := frameworks.ISOClause(r.Code); ok {
			return c.Title(locale)
		}
	case CAF:
		if s, ok := cafModel().Sub(r.Code); ok {
			return s.Title(locale)
		}
	case OSGG:
		if n, err := strconv.Atoi(r.Code); err == nil {
			if s, ok := osggModel().Standard(n); ok {
				return s.Title(locale)
			}
		}
	}
	return ""
}

// Valid reports whether the item exists in its framework.
func (r Ref) Valid() bool {
	switch r.FW {
	case ISO:
		_, ok := frameworks.ISOClause(r.Code)
		return ok
	case CAF:
		_, ok := cafModel().Sub(r.Code)
		return ok
	case OSGG:
		if strconv.Itoa(atoi(r.Code)) != r.Code {
			return false
		}
		_, ok := osggModel().Standard(atoi(r.Code))
		return ok
	}
	return false
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// ValidFramework reports whether fw is one of the three frameworks.
func ValidFramework(fw string) bool { return slices.Contains(Frameworks, fw) }

func fwRank(fw string) int { return slices.Index(Frameworks, fw) }

// Compare orders items by framework, then code in the framework's order.
func Compare(a, b Ref) int {
	if c := fwRank(a.FW) - fwRank(b.FW); c != 0 {
		return c
	}
	switch a.FW {
	case ISO, CAF:
		return frameworks.CompareClauses(a.Code, b.Code)
	}
	return atoi(a.Code) - atoi(b.Code)
}

func cafModel() frameworks.CAF {
	m, _ := frameworks.CAFModel(defaultCAF)
	return m
}

func osggModel() frameworks.OSGG {
	m, _ := frameworks.OSGGModel(defaultOSGG)
	return m
}

// Items lists every item of a framework, in its order: the ISO clauses of
// the compliance matrix, the 28 CAF sub-criteria, the 16 OSGG standards.
func Items(fw string) []Ref {
	var out []Ref
	switch fw {
	case ISO:
		for _, c := range frameworks.ISO9001 {
			out = append(out, Ref{ISO, c.Code})
		}
	case CAF:
		for _, s := range cafModel().Subs() {
			out = append(out, Ref{CAF, s.Code})
		}
	case OSGG:
		for _, s := range osggModel().Standards() {
			out = append(out, Ref{OSGG, strconv.Itoa(s.Number)})
		}
	}
	return out
}

// Pair is one mapping between items of two frameworks; A is the earlier
// framework in the order iso, caf, osgg.
type Pair struct {
	ID int64 `json:"id"`
	A  Ref   `json:"a"`
	B  Ref   `json:"b"`
}

// Other is the side of the pair that is not r, ok false when r is on
// neither side.
func (p Pair) Other(r Ref) (Ref, bool) {
	switch r {
	case p.A:
		return p.B, true
	case p.B:
		return p.A, true
	}
	return Ref{}, false
}

// ordered returns the pair with its sides in the stored order.
func ordered(a, b Ref) (Ref, Ref) {
	if fwRank(a.FW) > fwRank(b.FW) {
		return b, a
	}
	return a, b
}

// DefaultPairs is the reference mapping: each OSGG standard with its ISO
// clauses and CAF sub-criteria, every ISO clause with every CAF
// sub-criterion of the same standard, and the further ISO–CAF pairs of the
// domain notes. No pair repeats.
func DefaultPairs() []Pair {
	seen := map[[2]Ref]bool{}
	var out []Pair
	add := func(a, b Ref) {
		a, b = ordered(a, b)
		if seen[[2]Ref{a, b}] {
			return
		}
		seen[[2]Ref{a, b}] = true
		out = append(out, Pair{A: a, B: b})
	}
	for _, st := range osggModel().Standards() {
		std := Ref{OSGG, strconv.Itoa(st.Number)}
		for _, c := range st.ISO {
			add(Ref{ISO, c}, std)
		}
		for _, c := range st.CAF {
			add(Ref{CAF, c}, std)
		}
		for _, i := range st.ISO {
			for _, c := range st.CAF {
				add(Ref{ISO, i}, Ref{CAF, c})
			}
		}
	}
	for _, f := range furtherPairs {
		for _, c := range f.caf {
			add(Ref{ISO, f.iso}, Ref{CAF, c})
		}
	}
	return out
}

// furtherPairs are the ISO–CAF pairs no standard carries.
var furtherPairs = []struct {
	iso string
	caf []string
}{
	{"4.2", []string{"1.4", "2.1"}},
	{"8.2", []string{"5.2"}},
	{"8.4", []string{"4.1"}},
	{"9.1.2", []string{"6.1"}},
	{"7.1.6", []string{"4.4"}},
	{"10.2", []string{"2.4", "5.1"}},
	{"10.3", []string{"2.4", "5.1"}},
}

// ParseRef reads "iso 7.5", "caf:4.4" or a framework and a code given
// apart; the code is trimmed.
func ParseRef(fw, code string) Ref {
	return Ref{FW: strings.ToLower(strings.TrimSpace(fw)), Code: strings.TrimSpace(code)}
}
