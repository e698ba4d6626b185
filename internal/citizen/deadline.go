package citizen

import "time"

// Legal deadlines, in calendar days from registration.
const (
	PetitionDays         = 30 // OG 27/2002, art. 8
	PetitionExtensionMax = 15 // the head of the institution may extend, with notice
	RedirectDays         = 5  // a petition for another authority is forwarded within 5 days
	InfoDays             = 10 // Law 544/2001, art. 7
	InfoComplexDays      = 30 // a complex request, with notice within InfoDays
	InfoRefusalDays      = 5  // a refusal is given within 5 days
)

// AddDays is the deadline days calendar days after registered, moved to
// the next working day when shift is set and it falls on a day off.
//
// The term counts from the day after registration, so a case registered
// on day D with 30 days is due on D+30 (time.AddDate: 31 January + 30 days
// is 2 March, or 1 March in a leap year).
func AddDays(registered time.Time, days int, shift bool) time.Time {
	d := day(registered).AddDate(0, 0, days)
	if shift {
		return NextWorkingDay(d)
	}
	return d
}

// LegalDays is the number of days a case of kind has from registration:
// 30 for a petition, 10 (30 when complex) for a request for information,
// serviceDays for an application, plus any extension.
//
// A request for information is extended by becoming complex, so its
// extensionDays are ignored: a complex request has 30 days, extended or
// not.
func LegalDays(kind string, complex bool, serviceDays, extensionDays int) int {
	switch kind {
	case KindPetition:
		return PetitionDays + extensionDays
	case KindInfo:
		if complex {
			return InfoComplexDays
		}
		return InfoDays
	default:
		return serviceDays + extensionDays
	}
}

// CloseBy is the day by which a case must be closed in state: a redirected
// petition or a refused request within 5 days of registration, every other
// answer by the case's deadline.
func CloseBy(c Case, state string, shift bool) time.Time {
	switch state {
	case StateRedirected:
		return AddDays(c.RegisteredOn, RedirectDays, shift)
	case StateRefused:
		return AddDays(c.RegisteredOn, InfoRefusalDays, shift)
	}
	return c.DueOn
}

// dueOn computes a case's deadline from its registration day: the legal
// days of its kind (with the service's days and any extension) added to
// the registration day, then shifted when the institution says so. An
// extension adds to the legal term, not to an already shifted deadline:
// the law gives "30 days, extendable by up to 15", so 45 days counted
// from registration, and only the end of that term moves off a day off.
func dueOn(c Case, serviceDays int, shift bool) time.Time {
	return AddDays(c.RegisteredOn, LegalDays(c.Kind, c.Complex, serviceDays, c.ExtensionDays), shift)
}
