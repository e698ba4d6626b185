package web

// The monitoring commission and the risk management team: the list, the
// form, and a body's page with its members (add, change, end) and its
// meetings.

import (
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
)

type cprogBodyListData struct {
	Items     []control.Body
	Filter    control.BodyFilter
	Kinds     []string
	CanManage bool
}

// cprogBodyList lists the bodies.
func (s *Server) cprogBodyList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	q := r.URL.Query()
	f := control.BodyFilter{Kind: q.Get("kind"), Active: q.Get("active"), PerPage: 200}
	res, err := s.control.Bodies(r.Context(), a, f)
	if err != nil {
		return err
	}
	d := &cprogBodyListData{Items: res.Items, Filter: f, Kinds: control.BodyKinds, CanManage: cprogManage(a)}
	return s.render(w, http.StatusOK, "control_prog_bodies", s.page(r, "controlprog.body.list_title", d))
}

type cprogBodyFormData struct {
	ID    int64
	Name  string
	Kinds []string
	Form  control.BodyInput
}

func cprogBodyInput(r *http.Request) control.BodyInput {
	return control.BodyInput{Kind: r.FormValue(control.FieldBodyKind), Name: r.FormValue(control.FieldBodyName), Decision: r.FormValue(control.FieldBodyDecision),
		DecisionOn: r.FormValue(control.FieldBodyDecisionOn), Notes: r.FormValue(control.FieldBodyNotes), Active: r.FormValue("body_active") == "1", Version: formVersion(r)}
}

// cprogBodyNew is the form for a new body (?kind= picks its kind).
func (s *Server) cprogBodyNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlManage); err != nil {
		return err
	}
	l := localizer(r)
	kind := r.URL.Query().Get("kind")
	if kind != control.BodyRiskTeam {
		kind = control.BodyCommission
	}
	d := &cprogBodyFormData{Kinds: control.BodyKinds, Form: control.BodyInput{Kind: kind, Name: l.T("control.body." + kind), Active: true}}
	return s.render(w, http.StatusOK, "control_prog_body_form", s.page(r, "controlprog.body.new_title", d))
}

// cprogBodyCreate creates the body.
func (s *Server) cprogBodyCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	in := cprogBodyInput(r)
	b, err := s.control.CreateBody(r.Context(), a, in)
	if err != nil {
		return s.cprogFormError(w, r, err, "control_prog_body_form", "controlprog.body.new_title", &cprogBodyFormData{Kinds: control.BodyKinds, Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, b.Href())
}

// cprogBodyEdit is a body's form.
func (s *Server) cprogBodyEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b, err := s.control.Body(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := &cprogBodyFormData{ID: id, Name: b.Name, Kinds: control.BodyKinds, Form: control.BodyInput{Kind: b.Kind, Name: b.Name, Decision: b.Decision,
		DecisionOn: b.DecisionOn, Notes: b.Notes, Active: b.Active, Version: b.Version}}
	return s.render(w, http.StatusOK, "control_prog_body_form", s.page(r, "controlprog.body.edit_title", d))
}

// cprogBodyUpdate saves a body.
func (s *Server) cprogBodyUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b, err := s.control.Body(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := cprogBodyInput(r)
	if _, err := s.control.UpdateBody(r.Context(), a, id, in); err != nil {
		return s.cprogFormError(w, r, err, "control_prog_body_form", "controlprog.body.edit_title", &cprogBodyFormData{ID: id, Name: b.Name, Kinds: control.BodyKinds, Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, b.Href())
}

type cprogBodyShowData struct {
	Body      control.Body
	Members   []control.Member
	Meetings  []control.Meeting
	People    []org.Person
	Roles     []string
	Today     string
	CanManage bool
	// MemErr tells whether a member form failed; MemFor names it (0: the
	// new member's) and MemForm keeps what it was sent with.
	MemErr  bool
	MemFor  int64
	MemForm control.MemberInput
}

func (s *Server) cprogBodyShowData(r *http.Request) (*cprogBodyShowData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	b, err := s.control.Body(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &cprogBodyShowData{Body: b, Roles: control.Roles, Today: s.cprogToday(), CanManage: cprogManage(a)}
	d.MemForm = control.MemberInput{Role: control.RoleMember, FromOn: d.Today}
	if d.Members, err = s.control.Members(ctx, a, id); err != nil {
		return nil, err
	}
	ms, err := s.control.Meetings(ctx, a, control.MeetingFilter{BodyID: id, PerPage: 200})
	if err != nil {
		return nil, err
	}
	d.Meetings = ms.Items
	if d.CanManage {
		if d.People, err = s.cprogPeople(r); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// cprogBodyShow is a body's page.
func (s *Server) cprogBodyShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cprogBodyShowData(r)
	if err != nil {
		return err
	}
	p := s.page(r, "controlprog.body.show_title", d)
	p.Title = d.Body.Name
	return s.render(w, http.StatusOK, "control_prog_body", p)
}

func cprogMemberInput(r *http.Request) control.MemberInput {
	return control.MemberInput{PersonID: formInt(r, control.FieldMemPerson), Role: r.FormValue(control.FieldMemRole), FromOn: r.FormValue(control.FieldMemFrom),
		UntilOn: r.FormValue(control.FieldMemUntil), Version: formVersion(r)}
}

func (s *Server) cprogBodyAgain(w http.ResponseWriter, r *http.Request, err error, memFor int64, in control.MemberInput) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.cprogBodyShowData(r)
	if derr != nil {
		return derr
	}
	d.MemErr, d.MemFor, d.MemForm = true, memFor, in
	return s.formError(w, r, err, "control_prog_body", "controlprog.body.show_title", d)
}

// cprogMemberAdd adds a member.
func (s *Server) cprogMemberAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := cprogMemberInput(r)
	if _, err := s.control.AddMember(r.Context(), a, id, in); err != nil {
		return s.cprogBodyAgain(w, r, err, 0, in)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/bodies/"+strconv.FormatInt(id, 10)+"#members")
}

// cprogMemberUpdate changes a member's role or dates; "end" ends the
// membership today.
func (s *Server) cprogMemberUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := pathParamID(r, "cmid")
	if err != nil {
		return err
	}
	in := cprogMemberInput(r)
	if r.FormValue("end") == "1" && in.UntilOn == "" {
		in.UntilOn = s.cprogToday()
	}
	if _, err := s.control.UpdateMember(r.Context(), a, id, mid, in); err != nil {
		return s.cprogBodyAgain(w, r, err, mid, in)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/bodies/"+strconv.FormatInt(id, 10)+"#members")
}
