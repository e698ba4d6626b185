package web

// A target group's members: adding people (chosen one by one, or a whole
// unit) and a member's eligibility data, the data a funded project
// reports, with the day they left.

import (
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/training"
	"cadran/internal/work"
)

// trainingMemberAdd adds the people chosen, or a whole unit's, to the
// group; each member's category comes from their person and the rest of
// their data is completed on the member's page.
func (s *Server) trainingMemberAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.training.Group(r.Context(), a, id); err != nil {
		return err
	}
	bad := apperr.Validation{}
	joined := trainingGroupDay(r, "tm_joined", bad)
	people, err := s.trainingGroupPeople(r, "tm_people", "tm_unit")
	n := 0
	if err == nil && len(bad) == 0 {
		n, err = s.training.AddMembers(r.Context(), a, id, people, joined)
	}
	if err := trainingGroupFields(err, bad, "tm_", trainingMemberAlias); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.trainingGroupShowData(r)
		if derr != nil {
			return derr
		}
		for _, p := range trainingGroupIDs(r, "tm_people") {
			d.Picked[p] = true
		}
		d.Unit, d.JoinedOn = formInt(r, "tm_unit"), r.FormValue("tm_joined")
		return s.formError(w, r, err, "training_group_show", "traininggroups.group.show_title", d)
	}
	s.flash(r, "traininggroups.member.flash_added", "Count", n)
	return redirect(w, r, "/training/groups/"+strconv.FormatInt(id, 10)+"#members")
}

// trainingMemberAlias names the domain's member fields as the forms do.
var trainingMemberAlias = map[string]string{training.FieldMemberPerson: "tm_people", training.FieldMemberCategory: "tm_category",
	training.FieldMemberGender: "tm_gender", training.FieldMemberBirthYear: "tm_birth_year", training.FieldMemberEducation: "tm_education",
	training.FieldMemberResidence: "tm_residence", training.FieldMemberJoined: "tm_joined", training.FieldMemberLeft: "tm_left"}

// trainingMemberFormData is a member's page.
type trainingMemberFormData struct {
	Group  training.Group
	Member training.Member
	Form   training.MemberInput
	Raw    map[string]string
}

// The choices of the member form.
func (trainingMemberFormData) Categories() []string { return training.Categories }
func (trainingMemberFormData) Genders() []string    { return training.Genders }
func (trainingMemberFormData) Educations() []string { return training.Educations }
func (trainingMemberFormData) Residences() []string { return training.Residences }

// trainingMemberOf reads the group and the member of the path.
func (s *Server) trainingMemberOf(r *http.Request) (training.Group, training.Member, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return training.Group{}, training.Member{}, err
	}
	id, err := pathID(r)
	if err != nil {
		return training.Group{}, training.Member{}, err
	}
	mid, err := pathParamID(r, "tmid")
	if err != nil {
		return training.Group{}, training.Member{}, err
	}
	g, err := s.training.Group(r.Context(), a, id)
	if err != nil {
		return training.Group{}, training.Member{}, err
	}
	members, err := s.training.Members(r.Context(), a, id)
	if err != nil {
		return training.Group{}, training.Member{}, err
	}
	for _, m := range members {
		if m.ID == mid {
			return g, m, nil
		}
	}
	return training.Group{}, training.Member{}, apperr.NotFound(training.EntityMember)
}

// trainingMemberEdit is a member's eligibility data, and the day they
// left the group.
func (s *Server) trainingMemberEdit(w http.ResponseWriter, r *http.Request) error {
	g, m, err := s.trainingMemberOf(r)
	if err != nil {
		return err
	}
	in := training.MemberInput{PersonID: m.PersonID, Category: m.Category, Gender: m.Gender, BirthYear: m.BirthYear, Education: m.Education,
		Residence: m.Residence, Consent: m.Consent, JoinedOn: m.JoinedOn, LeftOn: m.LeftOn, Version: m.Version}
	p := s.page(r, "traininggroups.member.title", &trainingMemberFormData{Group: g, Member: m, Form: in, Raw: map[string]string{}})
	p.Title = m.Name + " · " + g.Code
	return s.render(w, http.StatusOK, "training_group_member", p)
}

// trainingMemberUpdate saves a member's data, checked against its version.
func (s *Server) trainingMemberUpdate(w http.ResponseWriter, r *http.Request) error {
	g, m, err := s.trainingMemberOf(r)
	if err != nil {
		return err
	}
	bad, raw := apperr.Validation{}, map[string]string{}
	in := training.MemberInput{PersonID: m.PersonID, Category: r.FormValue("tm_category"), Gender: r.FormValue("tm_gender"),
		Education: r.FormValue("tm_education"), Residence: r.FormValue("tm_residence"), Consent: r.FormValue("tm_consent") == "1", Version: formVersion(r)}
	in.BirthYear = trainingGroupNumber(r, "tm_birth_year", bad, raw)
	in.JoinedOn = trainingGroupDay(r, "tm_joined", bad)
	in.LeftOn = trainingGroupDay(r, "tm_left", bad)
	if r.FormValue("tm_leave") == "1" && in.LeftOn == "" {
		in.LeftOn = work.Day(s.clock.Now()).Format("2006-01-02")
	}
	if len(bad) == 0 {
		_, err = s.training.UpdateMember(r.Context(), actorOf(r), g.ID, m.ID, in)
	}
	if err := trainingGroupFields(err, bad, "tm_", trainingMemberAlias); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		p := &trainingMemberFormData{Group: g, Member: m, Form: in, Raw: raw}
		return s.formError(w, r, err, "training_group_member", "traininggroups.member.title", p)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/groups/"+strconv.FormatInt(g.ID, 10)+"#members")
}
