package control

import "testing"

func TestUnitStatus(t *testing.T) {
	for _, c := range []struct {
		answers []string
		want    string
	}{
		{nil, StatusIncomplete},
		{[]string{"yes", "yes", "yes"}, StatusImplemented},
		{[]string{"yes", "na", "yes"}, StatusImplemented},
		{[]string{"no", "no"}, StatusNotImplemented},
		{[]string{"no", "na"}, StatusNotImplemented},
		{[]string{"yes", "no", "yes"}, StatusPartial},
		{[]string{"na", "na"}, StatusNotApplicable},
		{[]string{"yes", "", "yes"}, StatusIncomplete},
		{[]string{"yes", "maybe"}, StatusIncomplete},
	} {
		if got := UnitStatus(c.answers); got != c.want {
			t.Errorf("UnitStatus(%q) = %q, want %q", c.answers, got, c.want)
		}
	}
}

func TestTallyStatus(t *testing.T) {
	tally := func(statuses ...string) Tally {
		var t Tally
		for _, s := range statuses {
			t.Add(s)
		}
		return t
	}
	for _, c := range []struct {
		name string
		t    Tally
		want string
		appl int
	}{
		{"nobody rated it", tally(StatusIncomplete, StatusNotApplicable), StatusIncomplete, 0},
		{"every compartment I", tally("I", "I", "I", "NA"), StatusImplemented, 3},
		{"one PI among I", tally("I", "PI", "I"), StatusPartial, 3},
		{"I and NI", tally("I", "NI"), StatusPartial, 2},
		{"every compartment NI", tally("NI", "NI", ""), StatusNotImplemented, 2},
		{"all PI", tally("PI", "PI"), StatusPartial, 2},
	} {
		if got := c.t.Status(); got != c.want {
			t.Errorf("%s: Status() = %q, want %q", c.name, got, c.want)
		}
		if got := c.t.Applicable(); got != c.appl {
			t.Errorf("%s: Applicable() = %d, want %d", c.name, got, c.appl)
		}
	}
}

func TestGrade(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{
		{16, GradeConform}, {15, GradePartial}, {13, GradePartial}, {12, GradeNotConform}, {0, GradeNotConform},
	} {
		if got := Grade(c.n, 16, 13); got != c.want {
			t.Errorf("Grade(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	// The thresholds are settings.
	if got := Grade(14, 14, 10); got != GradeConform {
		t.Errorf("Grade(14, 14, 10) = %q", got)
	}
}
