// Package citizen is the institution's citizen services: the registry of
// petitions (OG 27/2002), requests for public information (Law 544/2001)
// and applications for the services of its catalogue, with their legal
// deadlines; the public pages where a citizen files one and follows it
// with a private access code; citizens' anonymous satisfaction ratings;
// the service catalogue with its indicators (volume, processing time, share
// answered on time, satisfaction), the impact against a baseline period,
// and the legally required reports. The indicators feed the scorecard as
// metrics (evidence.TenantMetricSource).
//
// The files: deadline.go and holidays.go (the deadline arithmetic),
// case.go (cases: registration, the workflow, tasks), access.go (access
// codes, the public status and rating), settings.go, services.go (the
// catalogue), feedback.go, indicators.go, impact.go, reports.go (the legal
// reports) and metrics.go.
package citizen

import (
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "citizen"

// Entities in the audit trail.
const (
	EntityCase     = "citizen_case"
	EntityService  = "citizen_service"
	EntitySettings = "citizen_settings"
	EntityFeedback = "citizen_feedback"
)

// Service is the citizen services module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
}

// Kinds of case.
const (
	KindPetition = "petition" // OG 27/2002: 30 days, extendable by up to 15
	KindInfo     = "info"     // Law 544/2001: 10 days, 30 for a complex request
	KindService  = "service"  // an application for a service of the catalogue: its legal days
)

// Kinds lists the kinds of case.
var Kinds = []string{KindPetition, KindInfo, KindService}

// Channels a case arrives by.
const (
	ChannelCounter = "counter"
	ChannelEmail   = "email"
	ChannelOnline  = "online" // the public page
	ChannelPost    = "post"
)

// Channels lists the channels.
var Channels = []string{ChannelCounter, ChannelEmail, ChannelOnline, ChannelPost}

// States of a case. A case is open while registered or assigned.
const (
	StateRegistered = "registered" // registered, not yet assigned
	StateAssigned   = "assigned"   // with a unit (and a person) to answer
	StateAnswered   = "answered"   // answered (for an application: the service given or refused)
	StateRedirected = "redirected" // sent to the competent institution (5 days), the petitioner told
	StateFiled      = "filed"      // filed away: anonymous or without identification, or a repeat
	StateRefused    = "refused"    // a request for information refused (exempt information: 5 days)
)

// States lists the states in workflow order.
var States = []string{StateRegistered, StateAssigned, StateAnswered, StateRedirected, StateFiled, StateRefused}

// Answer kinds: how a case was answered.
const (
	AnswerFavourable   = "favourable"   // petition or application granted
	AnswerPartial      = "partial"      // partly granted, or the information partly given
	AnswerUnfavourable = "unfavourable" // petition or application rejected
	AnswerProvided     = "provided"     // the information given
	AnswerNotHeld      = "not_held"     // the institution does not hold the information
	AnswerRefused      = "refused"      // the information is exempt (Law 544/2001, art. 12): state refused
)

// AnswerKinds lists the answer kinds each kind of case may have.
var AnswerKinds = map[string][]string{
	KindPetition: {AnswerFavourable, AnswerPartial, AnswerUnfavourable},
	KindInfo:     {AnswerProvided, AnswerPartial, AnswerNotHeld, AnswerRefused},
	KindService:  {AnswerFavourable, AnswerUnfavourable},
}

// Topics a case is about, for the legal reports: the petition report
// counts petitions by topic, and the yearly report on public information
// counts requests by the areas Law 544/2001's report form names.
var Topics = map[string][]string{
	KindPetition: {"urbanism", "taxes", "public_order", "social", "civil_status", "environment", "utilities", "transport", "staff", "other"},
	KindInfo:     {"public_money", "contracts", "leadership_acts", "activity", "regulations", "other"},
	KindService:  {"other"},
}

// Complaint states of an administrative complaint against an answer
// (Law 544/2001, art. 21); "" when there is none.
const (
	ComplaintPending  = "pending"
	ComplaintUpheld   = "upheld"
	ComplaintRejected = "rejected"
)

// Complaints lists the complaint states.
var Complaints = []string{ComplaintPending, ComplaintUpheld, ComplaintRejected}

// ConsentVersion names the text of the data-processing consent the public
// form shows; a case records the version its petitioner agreed to.
const ConsentVersion = "2026-1"

// Feedback channels.
const (
	FeedbackAnswer  = "answer"  // rated after an answer, on the status page
	FeedbackCounter = "counter" // at a counter, through the short link or QR code
	FeedbackOnline  = "online"  // from the public catalogue
)

// Petitioner is who filed a case: only what is needed to answer.
type Petitioner struct {
	Name        string
	Email       string
	Phone       string
	Address     string
	LegalPerson bool
}

// Case is a registered petition, request for public information or
// application for a service.
type Case struct {
	ID           int64
	Tenant       int64
	Kind         string
	Year, Seq    int
	Number       string // "1234/2026"
	RegisteredOn time.Time
	RegisteredAt time.Time
	Channel      string
	Petitioner   Petitioner
	// ConsentAt is when the petitioner agreed to the processing of their
	// data (nil: registered by the registry from a letter, on legal grounds).
	ConsentAt      *time.Time
	ConsentVersion string
	Subject        string
	Body           string
	Topic          string
	ServiceID      int64
	ServiceCode    string
	ServiceName    string
	UnitID         int64
	UnitName       string
	AssigneeID     int64 // a person
	AssigneeName   string
	Complex        bool
	State          string
	// DueOn is the legal deadline now; BaseDueOn as first computed.
	DueOn, BaseDueOn  time.Time
	ExtensionDays     int
	ExtensionReason   string
	ExtensionNoticeOn time.Time // zero: none
	RedirectedTo      string
	RedirectNoticeOn  time.Time
	Answer            string
	AnswerKind        string
	ClosedOn          time.Time // zero while open
	DaysTaken         *int
	OnTime            *bool
	Complaint         string
	Rated             bool
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int
}

// Open reports whether the case still waits for an answer.
func (c Case) Open() bool { return c.State == StateRegistered || c.State == StateAssigned }

// Overdue reports whether the case is open past its deadline on day today.
func (c Case) Overdue(today time.Time) bool { return c.Open() && today.After(c.DueOn) }

// Receipt is what registering a case gives back: the case and its private
// access code, shown once (only its hash is kept).
type Receipt struct {
	Case       Case
	AccessCode string
}

// PublicService is a service of the institution's catalogue.
type PublicService struct {
	ID          int64
	Tenant      int64
	Code        string // URB-CU
	Name        string
	Description string
	UnitID      int64
	UnitName    string
	LegalDays   int
	LegalBasis  string
	Documents   string // one per line
	Fee         string
	Active      bool
	// The service's own impact baseline; zero: the institution's.
	BaselineFrom, BaselineTo time.Time
	CreatedAt, UpdatedAt     time.Time
	Version                  int
}

// Settings are the institution's settings for citizen services.
type Settings struct {
	Tenant int64
	// ShiftToWorking moves a deadline that falls on a non-working day to
	// the next working day.
	ShiftToWorking bool
	PublicEnabled  bool
	// The impact baseline period, inclusive; zero: none set.
	BaselineFrom, BaselineTo time.Time
	Contact                  string
	Version                  int
}

// Feedback is a citizen's anonymous rating.
type Feedback struct {
	ID          int64
	ServiceID   int64
	ServiceCode string
	ServiceName string
	Kind        string
	Channel     string
	Rating      int
	Comment     string
	GivenOn     time.Time
}
