package web

import (
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/citizen"
	"cadran/internal/textutil"
)

// Field limits of the public forms, in characters. The domain checks its
// own too; these keep a citizen's mistake on the form with a clear message.
const (
	publicMaxName    = citizen.MaxName
	publicMaxEmail   = citizen.MaxEmail
	publicMaxPhone   = citizen.MaxPhone
	publicMaxAddress = citizen.MaxAddress
	publicMaxSubject = citizen.MaxSubject
	// The text is held below the registry's limit so that a full text
	// still fits the public forms' body limit (publicMaxBody).
	publicMaxText    = 10000
	publicMaxComment = min(citizen.MaxComment, citizen.MaxFeedbackComment)
	publicMaxNumber  = 40
	publicMaxCode    = 64
)

// publicParse reads a public form's body, at most publicMaxBody bytes.
func publicParse(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, publicMaxBody)
	return r.ParseForm()
}

// publicHoneypot reports whether the field no person sees was filled in.
func publicHoneypot(r *http.Request) bool {
	return strings.TrimSpace(r.PostFormValue("public_website")) != ""
}

// publicFileForm is what the filing form sends, kept as typed so a form
// sent back for correction loses nothing.
type publicFileForm struct {
	Kind        string
	Name        string
	Email       string
	Phone       string
	Address     string
	LegalPerson bool
	Subject     string
	Body        string
	Service     string // a service code of the catalogue
	Consent     bool
}

func readPublicFileForm(r *http.Request) publicFileForm {
	v := r.PostFormValue
	return publicFileForm{
		Kind:        strings.TrimSpace(v("public_kind")),
		Name:        textutil.Clean(v("public_name")),
		Email:       strings.TrimSpace(v("public_email")),
		Phone:       strings.TrimSpace(v("public_phone")),
		Address:     textutil.Clean(v("public_address")),
		LegalPerson: v("public_legal_person") != "",
		Subject:     textutil.Clean(v("public_subject")),
		Body:        textutil.CleanText(v("public_body")),
		Service:     strings.TrimSpace(v("public_service")),
		Consent:     v("public_consent") != "",
	}
}

// tooLong reports whether s has more than n characters.
func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// input checks the form and turns it into the domain's input.
func (f publicFileForm) input(services []citizen.PublicService) (citizen.PublicInput, apperr.Validation) {
	v := apperr.Validation{}
	in := citizen.PublicInput{Kind: f.Kind, Consent: f.Consent, Subject: f.Subject, Body: f.Body,
		Petitioner: citizen.Petitioner{Name: f.Name, Email: f.Email, Phone: f.Phone, Address: f.Address, LegalPerson: f.LegalPerson}}
	switch f.Kind {
	case citizen.KindPetition, citizen.KindInfo:
	case citizen.KindService:
		if f.Service == "" {
			v.Add("public_service", "public.error.service")
		}
		for _, s := range services {
			if s.Code == f.Service {
				in.ServiceID = s.ID
			}
		}
		if f.Service != "" && in.ServiceID == 0 {
			v.Add("public_service", "error.choice")
		}
	default:
		v.Add("public_kind", "error.choice")
	}
	// OG 27/2002: a petition without the petitioner's name and address is
	// not considered; online, the address the answer goes to is an e-mail
	// address (the registry's rule), the postal one is optional.
	switch {
	case f.Name == "":
		v.Add("public_name", "error.required")
	case tooLong(f.Name, publicMaxName):
		v.Add("public_name", "error.too_long")
	}
	switch {
	case f.Email == "":
		v.Add("public_email", "public.error.email")
	case tooLong(f.Email, publicMaxEmail):
		v.Add("public_email", "error.too_long")
	default:
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email || a.Name != "" {
			v.Add("public_email", "error.email")
		}
	}
	if f.Phone != "" && (tooLong(f.Phone, publicMaxPhone) || strings.Trim(f.Phone, "0123456789 +()-./") != "") {
		v.Add("public_phone", "error.phone")
	}
	if tooLong(f.Address, publicMaxAddress) {
		v.Add("public_address", "error.too_long")
	}
	switch {
	case f.Subject == "":
		v.Add("public_subject", "error.required")
	case tooLong(f.Subject, publicMaxSubject):
		v.Add("public_subject", "error.too_long")
	}
	switch {
	case f.Body == "":
		v.Add("public_body", "error.required")
	case tooLong(f.Body, publicMaxText):
		v.Add("public_body", "error.too_long")
	}
	if !f.Consent {
		v.Add("public_consent", "public.error.consent")
	}
	return in, v
}

// The public forms' fields, by the names the domain's validation uses.
var (
	publicFileFields = map[string]string{
		citizen.FieldKind: "public_kind", citizen.FieldName: "public_name", citizen.FieldEmail: "public_email",
		citizen.FieldPhone: "public_phone", citizen.FieldAddress: "public_address", citizen.FieldSubject: "public_subject",
		citizen.FieldBody: "public_body", citizen.FieldService: "public_service", citizen.FieldConsent: "public_consent",
	}
	publicRatingFields = map[string]string{
		citizen.FieldRating: "public_rating", citizen.FieldComment: "public_comment",
		citizen.FieldFeedbackRating: "public_rating", citizen.FieldFeedbackComment: "public_comment",
	}
)

// publicFields puts the domain's validation errors on the form's fields:
// a field the form knows by another name keeps its message, and one it does
// not have at all lands on fallback, so no message is lost.
func publicFields(dv apperr.Validation, names map[string]string, fallback string) apperr.Validation {
	v := apperr.Validation{}
	for k, msg := range dv {
		switch {
		case strings.HasPrefix(k, "public_"):
			v.Add(k, msg)
		case names[k] != "":
			v.Add(names[k], msg)
		default:
			v.Add(fallback, msg)
		}
	}
	return v
}

// publicLookup reads the number and access code of a case.
func publicLookup(r *http.Request) (number, code string) {
	number = strings.Join(strings.Fields(r.PostFormValue("public_number")), "")
	code = strings.Join(strings.Fields(r.PostFormValue("public_code")), "")
	return number, code
}

// checkLookup checks that both are given and of a sane length; a malformed
// pair is the citizen's typing, not a failed lookup.
func checkLookup(number, code string) apperr.Validation {
	v := apperr.Validation{}
	switch {
	case number == "":
		v.Add("public_number", "error.required")
	case len(number) > publicMaxNumber:
		v.Add("public_number", "error.too_long")
	}
	switch {
	case code == "":
		v.Add("public_code", "error.required")
	case len(code) > publicMaxCode:
		v.Add("public_code", "error.too_long")
	}
	return v
}

// readPublicRating reads a rating from 1 to 5 and an optional comment.
func readPublicRating(r *http.Request) (rating int, comment string, v apperr.Validation) {
	v = apperr.Validation{}
	rating = publicRatingValue(r.PostFormValue("public_rating"))
	if rating == 0 {
		v.Add("public_rating", "public.error.rating")
	}
	comment = textutil.CleanText(r.PostFormValue("public_comment"))
	if tooLong(comment, publicMaxComment) {
		v.Add("public_comment", "error.too_long")
	}
	return rating, comment, v
}
