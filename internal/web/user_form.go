package web

import (
	"net/http"
	"strconv"

	"cadran/internal/auth"
	"cadran/internal/org"
)

type userFormData struct {
	ID       int64
	Username string
	Form     auth.UserInput
	Roles    []auth.Role
	People   []org.Person
	Locales  []string
	// CanPlatform shows the platform-administrator box to those who may set it.
	CanPlatform bool
}

func (s *Server) userFormData(r *http.Request, id int64, username string, in auth.UserInput) (userFormData, error) {
	a := actorOf(r)
	people, _, err := s.org.People(r.Context(), a, org.PeopleFilter{Status: "all", Limit: 10000, Sort: "name"})
	if err != nil {
		return userFormData{}, err
	}
	return userFormData{ID: id, Username: username, Form: in, Roles: auth.Roles, People: people, Locales: auth.Locales, CanPlatform: a.PlatformAdmin}, nil
}

func userInput(r *http.Request) auth.UserInput {
	_ = r.ParseForm()
	in := auth.UserInput{
		Username: r.FormValue("username"), DisplayName: r.FormValue("display_name"), Email: r.FormValue("email"),
		Password: r.FormValue("password"), PersonID: formInt(r, "person_id"), Locale: r.FormValue("locale"),
		PlatformAdmin: r.FormValue("platform_admin") == "on", Disabled: r.FormValue("disabled") == "on", Version: formVersion(r),
	}
	for _, role := range r.Form["roles"] {
		in.Roles = append(in.Roles, auth.Role(role))
	}
	return in
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermUsersManage); err != nil {
		return err
	}
	d, err := s.userFormData(r, 0, "", auth.UserInput{Locale: "ro", Roles: []auth.Role{auth.RoleEmployee}})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "user_form", s.page(r, "user.new_title", d))
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	in := userInput(r)
	_, err := s.auth.CreateUser(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "flash.created")
		return redirect(w, r, "/users")
	}
	in.Password = "" // never echo a password back into a page
	d, derr := s.userFormData(r, 0, "", in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "user_form", "user.new_title", d)
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermUsersManage); err != nil {
		return err
	}
	u, err := s.auth.User(r.Context(), a, id)
	if err != nil {
		return err
	}
	d, err := s.userFormData(r, id, u.Username, auth.UserInput{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, PersonID: u.PersonID,
		Locale: u.Locale, Roles: u.Roles, PlatformAdmin: u.PlatformAdmin, Disabled: u.Disabled, Version: u.Version})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "user_form", s.page(r, "user.edit_title", d))
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	in := userInput(r)
	u, err := s.auth.UpdateUser(r.Context(), a, id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/users")
	}
	// The username cannot change; show the stored one.
	if cur, gerr := s.auth.User(r.Context(), a, id); gerr == nil {
		u = cur
	} else {
		return gerr
	}
	d, derr := s.userFormData(r, id, u.Username, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "user_form", "user.edit_title", d)
}

// userPassword lets an administrator set a new password for a user; the user
// is signed out everywhere.
func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	err = s.auth.ResetPassword(r.Context(), a, id, r.FormValue("password"))
	if v, ok := errAsValidation(err); ok {
		s.flash(r, v["password"])
		return redirect(w, r, "/users/"+strconv.FormatInt(id, 10)+"/edit")
	}
	if err != nil {
		return err
	}
	s.flash(r, "flash.password_set")
	return redirect(w, r, "/users")
}
