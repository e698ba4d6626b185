package control

// The arithmetic of the self-evaluation (DOMAIN.md), pure so tests pin it.
//
// In a compartment, a standard is not applicable when every one of its
// questions is answered "not applicable"; otherwise, over the questions
// that apply, it is implemented when every answer is yes, not implemented
// when none is, and partially implemented in between. Until every question
// is answered it has no status.
//
// In the institution, a standard applies in the compartments that rated it
// I, PI or NI. It is implemented when every one of them rated it I, not
// implemented when every one rated it NI, partially implemented otherwise,
// and without a status while no compartment has rated it.
//
// The system is conform with at least conformMin standards implemented
// (16 by default), partially conform with at least partialMin (13), and
// not conform below.

// UnitStatus is a standard's status in one compartment, from the answers to
// its questions ("" for a question not answered yet).
func UnitStatus(answers []string) string {
	if len(answers) == 0 {
		return StatusIncomplete
	}
	yes, no := 0, 0
	for _, a := range answers {
		switch a {
		case AnswerYes:
			yes++
		case AnswerNo:
			no++
		case AnswerNA:
		default:
			return StatusIncomplete
		}
	}
	switch {
	case yes+no == 0:
		return StatusNotApplicable
	case no == 0:
		return StatusImplemented
	case yes == 0:
		return StatusNotImplemented
	}
	return StatusPartial
}

// Tally counts the compartments' statuses of one standard.
type Tally struct {
	Implemented, Partial, NotImplemented int
	NotApplicable, Incomplete            int
}

// Add counts one compartment's status.
func (t *Tally) Add(status string) {
	switch status {
	case StatusImplemented:
		t.Implemented++
	case StatusPartial:
		t.Partial++
	case StatusNotImplemented:
		t.NotImplemented++
	case StatusNotApplicable:
		t.NotApplicable++
	default:
		t.Incomplete++
	}
}

// Applicable is the number of compartments that rated the standard.
func (t Tally) Applicable() int { return t.Implemented + t.Partial + t.NotImplemented }

// Status is the standard's status in the institution.
func (t Tally) Status() string {
	switch n := t.Applicable(); {
	case n == 0:
		return StatusIncomplete
	case t.Implemented == n:
		return StatusImplemented
	case t.NotImplemented == n:
		return StatusNotImplemented
	}
	return StatusPartial
}

// Grade is the system's grade for the number of standards implemented.
func Grade(implemented, conformMin, partialMin int) string {
	switch {
	case implemented >= conformMin:
		return GradeConform
	case implemented >= partialMin:
		return GradePartial
	}
	return GradeNotConform
}
