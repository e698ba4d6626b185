package web

import (
	"net/http"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The form fields of the registry's pages carry the prefix citizen_case_,
// and so do their error-summary keys (field.citizen_case_*).
const citizenCaseField = "citizen_case_"

// citizenCaseNames maps the field names the domain reports errors under to
// the registration form's fields.
var citizenCaseNames = map[string]string{
	"kind": "kind", "channel": "channel", "name": "name", "petitioner_name": "name", "petitioner": "name",
	"email": "email", "petitioner_email": "email", "phone": "phone", "petitioner_phone": "phone",
	"address": "address", "petitioner_address": "address", "legal_person": "legal_person", "consent": "consent",
	"subject": "subject", "body": "body", "topic": "topic", "service": "service", "service_id": "service",
	"unit": "unit", "unit_id": "unit", "assignee": "assignee", "assignee_id": "assignee", "complex": "complex",
}

// citizenCaseErrors renames the fields of a validation error to the form's
// (prefixed) names, so the error summary links to them; names gives the
// domain's names for this form, and fallback takes any other field.
func citizenCaseErrors(err error, names map[string]string, fallback string) error {
	v, ok := apperr.AsValidation(err)
	if !ok {
		return err
	}
	out := apperr.Validation{}
	for field, key := range v {
		// The domain names its fields citizen_*, the pages citizen_case_*.
		name := strings.TrimPrefix(strings.TrimPrefix(field, citizenCaseField), "citizen_")
		if n, ok := names[name]; ok {
			name = n
		} else if fallback != "" {
			name = fallback
		}
		out[citizenCaseField+name] = key
	}
	return out
}

type citizenCaseFormData struct {
	Form     citizen.CaseInput
	Kinds    []string
	Channels []string
	Topics   []citizenTopicGroup
	Units    []*org.TreeNode
	People   []org.Person
	Services []citizen.PublicService
	Consent  string
}

func citizenCaseInput(r *http.Request) citizen.CaseInput {
	f := func(name string) string { return strings.TrimSpace(r.FormValue(citizenCaseField + name)) }
	return citizen.CaseInput{Kind: f("kind"), Channel: f("channel"),
		Petitioner: citizen.Petitioner{Name: f("name"), Email: f("email"), Phone: f("phone"), Address: r.FormValue(citizenCaseField + "address"),
			LegalPerson: f("legal_person") == "1"},
		Consent: f("consent") == "1", Subject: f("subject"), Body: r.FormValue(citizenCaseField + "body"), Topic: f("topic"),
		ServiceID: formInt(r, citizenCaseField+"service"), UnitID: formInt(r, citizenCaseField+"unit"), AssigneeID: formInt(r, citizenCaseField+"assignee"),
		Complex: f("complex") == "1"}
}

func (s *Server) citizenCaseFormData(r *http.Request, in citizen.CaseInput) (*citizenCaseFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &citizenCaseFormData{Form: in, Kinds: citizen.Kinds, Channels: citizen.Channels, Topics: citizenTopicGroups(), Consent: citizen.ConsentVersion}
	var err error
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	if d.Services, err = s.citizen.PublicServices(ctx, a, true); err != nil {
		return nil, err
	}
	return d, nil
}

// citizenCaseNew is the registration form of the registry.
func (s *Server) citizenCaseNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenRegister); err != nil {
		return err
	}
	q := r.URL.Query()
	in := citizen.CaseInput{Kind: q.Get("kind"), Channel: citizen.ChannelCounter, ServiceID: queryInt(r, "service")}
	if in.Kind == "" {
		in.Kind = citizen.KindPetition
	}
	d, err := s.citizenCaseFormData(r, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "citizen_case_form", s.page(r, "citizen.cases.new_title", d))
}

type citizenCaseReceiptData struct {
	Receipt citizen.Receipt
	// NewCode: a new access code for a registered case, not a registration.
	NewCode bool
	Today   time.Time
	// StatusURL is the public page where the petitioner follows the case.
	StatusURL string
}

// citizenReceiptPage is the receipt of a registration, or of a new access
// code.
func (s *Server) citizenReceiptPage(r *http.Request, rc citizen.Receipt, newCode bool) *Page {
	d := &citizenCaseReceiptData{Receipt: rc, NewCode: newCode, Today: work.Day(s.clock.Now())}
	if inst, err := s.org.Institution(r.Context(), actorOf(r)); err == nil && inst.CUI != "" {
		d.StatusURL = s.baseURL(r) + "/public/" + inst.CUI + "/status"
	}
	key := "citizen.cases.receipt_title"
	if newCode {
		key = "citizen.cases.code_title"
	}
	return s.page(r, key, d)
}

// citizenCaseCreate registers a case and shows its receipt: the number,
// the deadline and the access code, which is shown only this once.
func (s *Server) citizenCaseCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenRegister); err != nil {
		return err
	}
	in := citizenCaseInput(r)
	rc, err := s.citizen.Register(r.Context(), a, in)
	if err != nil {
		err = citizenCaseErrors(err, citizenCaseNames, "")
		d, derr := s.citizenCaseFormData(r, in)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "citizen_case_form", "citizen.cases.new_title", d)
	}
	p := s.citizenReceiptPage(r, rc, false)
	p.Flash = p.T("citizen.cases.flash.registered", "Number", rc.Case.Number)
	return s.render(w, http.StatusOK, "citizen_case_receipt", p)
}
