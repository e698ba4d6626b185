package citizen

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/textutil"
)

// CaseInput is what the registry records of a new case.
type CaseInput struct {
	Kind       string
	Channel    string
	Petitioner Petitioner
	// Consent: the petitioner agreed to the processing of their data
	// (required on the public page; the registry records it when given).
	Consent    bool
	Subject    string
	Body       string
	Topic      string
	ServiceID  int64
	UnitID     int64
	AssigneeID int64
	Complex    bool
}

// CaseFilter selects cases for the registry list.
type CaseFilter struct {
	Query      string // number, subject, petitioner
	Kind       string
	State      string // a state, or "open"
	Channel    string
	Topic      string
	Year       int
	UnitID     int64
	ServiceID  int64
	AssigneeID int64
	Overdue    bool
	From, To   time.Time // registered between, inclusive; zero: open
	Sort       string    // number, registered, due, state; empty: number, newest first
	Desc       bool
	Page       int
	PerPage    int

	fromMatches bool // the text matches few cases: start from them (set by query)
}

// CasePage is one page of cases and the count of all that match.
type CasePage struct {
	Items []Case
	Total int
	// TotalCapped: a text search matched more than CountCap cases, and
	// Total is CountCap ("1,000+").
	TotalCapped bool
}

// AssignInput sends a case to a unit, and optionally a person in it.
type AssignInput struct {
	UnitID     int64
	AssigneeID int64
	Version    int
}

// ExtendInput extends a case's deadline: a petition by up to 15 days, a
// request for information to 30 days as a complex one; the petitioner must
// be told (NoticeOn).
type ExtendInput struct {
	Days     int // petitions; ignored for requests for information
	Reason   string
	NoticeOn time.Time
	Version  int
}

// RedirectInput records a case sent to the competent institution.
type RedirectInput struct {
	To       string
	NoticeOn time.Time
	// RedirectedOn is the day the case was sent on (zero: today; never in
	// the future, never before registration).
	RedirectedOn time.Time
	Version      int
}

// AnswerInput records the answer.
type AnswerInput struct {
	Kind       string // one of AnswerKinds[case kind]
	Answer     string
	AnsweredOn time.Time // zero: today; never in the future
	Version    int
}

// FileInput files a case away (anonymous, without identification, or a
// repeat of one already answered).
type FileInput struct {
	Reason  string
	Version int
}

// Limits of what a case records, in characters.
const (
	MaxSubject = 300
	MaxBody    = 20_000
	MaxName    = 200
	MaxEmail   = 200
	MaxPhone   = 30
	MaxAddress = 500
	MaxReason  = 2000
	MaxAnswer  = 20_000
	MaxComment = 1000
)

// Form fields of the registry's forms: the keys of its validation errors
// (field.<name> in the catalogues).
const (
	FieldKind         = "citizen_kind"
	FieldChannel      = "citizen_channel"
	FieldName         = "citizen_name"
	FieldEmail        = "citizen_email"
	FieldPhone        = "citizen_phone"
	FieldAddress      = "citizen_address"
	FieldConsent      = "citizen_consent"
	FieldSubject      = "citizen_subject"
	FieldBody         = "citizen_body"
	FieldTopic        = "citizen_topic"
	FieldService      = "citizen_service_id"
	FieldUnit         = "citizen_unit_id"
	FieldAssignee     = "citizen_assignee_id"
	FieldDays         = "citizen_days"
	FieldReason       = "citizen_reason"
	FieldNoticeOn     = "citizen_notice_on"
	FieldTo           = "citizen_to"
	FieldRedirectedOn = "citizen_redirected_on"
	FieldAnswer       = "citizen_answer"
	FieldAnswerKind   = "citizen_answer_kind"
	FieldAnsweredOn   = "citizen_answered_on"
	FieldComplaint    = "citizen_complaint"
	FieldRating       = "citizen_rating"
	FieldComment      = "citizen_comment"
	FieldBaselineFrom = "citizen_baseline_from"
	FieldBaselineTo   = "citizen_baseline_to"
	FieldContact      = "citizen_contact"
)

// FiledAnonymous is the reason an anonymous petition is filed away with
// as soon as it is registered.
const FiledAnonymous = "Petiție anonimă sau fără datele de identificare ale petentului: clasată (OG 27/2002, art. 7)."

// Anonymous reports whether the case names no petitioner.
func (c Case) Anonymous() bool { return c.Petitioner.Name == "" }

// Extended reports whether the case's deadline was extended.
func (c Case) Extended() bool { return c.ExtensionDays > 0 || !c.ExtensionNoticeOn.IsZero() }

// Link is the case's page.
func (c Case) Link() string { return "/citizen/cases/" + strconv.FormatInt(c.ID, 10) }

// Validate checks and normalises the input on its own (the references to
// services, units and people are checked against the institution when the
// case is registered); message keys are the fields'.
//
// A petition with no petitioner's name is accepted: it is anonymous and is
// filed away as soon as it is registered. Every other kind needs the name;
// a case that arrived by e-mail or online needs an e-mail address to be
// answered at.
func (in *CaseInput) Validate() error {
	v := apperr.Validation{}
	in.Petitioner.Name = textutil.Clean(in.Petitioner.Name)
	in.Petitioner.Email = strings.TrimSpace(in.Petitioner.Email)
	in.Petitioner.Phone = strings.TrimSpace(in.Petitioner.Phone)
	in.Petitioner.Address = textutil.Clean(in.Petitioner.Address)
	in.Subject = textutil.Clean(in.Subject)
	in.Body = textutil.CleanText(in.Body)
	in.Topic = strings.TrimSpace(in.Topic)
	if !slices.Contains(Kinds, in.Kind) {
		v.Add(FieldKind, "error.choice")
	}
	if !slices.Contains(Channels, in.Channel) {
		v.Add(FieldChannel, "error.choice")
	}
	switch {
	case in.Petitioner.Name == "" && in.Kind != KindPetition:
		v.Add(FieldName, "error.required")
	case utf8.RuneCountInString(in.Petitioner.Name) > MaxName:
		v.Add(FieldName, "error.too_long")
	}
	switch {
	case in.Petitioner.Email == "":
		if in.Petitioner.Name != "" && (in.Channel == ChannelEmail || in.Channel == ChannelOnline) {
			v.Add(FieldEmail, "citizen.reg.error.email_required")
		}
	case len(in.Petitioner.Email) > MaxEmail:
		v.Add(FieldEmail, "error.too_long")
	default:
		if a, err := mail.ParseAddress(in.Petitioner.Email); err != nil || a.Address != in.Petitioner.Email {
			v.Add(FieldEmail, "error.email")
		}
	}
	if len(in.Petitioner.Phone) > MaxPhone || strings.Trim(in.Petitioner.Phone, "+0123456789 ()-./") != "" {
		v.Add(FieldPhone, "error.phone")
	}
	if utf8.RuneCountInString(in.Petitioner.Address) > MaxAddress {
		v.Add(FieldAddress, "error.too_long")
	}
	switch {
	case in.Subject == "":
		v.Add(FieldSubject, "error.required")
	case utf8.RuneCountInString(in.Subject) > MaxSubject:
		v.Add(FieldSubject, "error.too_long")
	}
	if utf8.RuneCountInString(in.Body) > MaxBody {
		v.Add(FieldBody, "error.too_long")
	}
	if in.Topic == "" {
		in.Topic = "other"
	}
	if topics, ok := Topics[in.Kind]; ok && !slices.Contains(topics, in.Topic) {
		v.Add(FieldTopic, "error.choice")
	}
	switch {
	case in.Kind == KindService && in.ServiceID == 0:
		v.Add(FieldService, "citizen.reg.error.service_required")
	case in.Kind != KindService:
		in.ServiceID = 0
	}
	if in.Kind != KindInfo {
		in.Complex = false
	}
	if in.Petitioner.Name == "" {
		// An anonymous petition is filed away at once: nobody answers it.
		in.UnitID, in.AssigneeID = 0, 0
		in.Petitioner = Petitioner{}
	}
	return v.Err()
}

// parseDay reads a stored YYYY-MM-DD day (” is the zero time).
func parseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// dayText writes a day as stored (” for the zero time).
func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
