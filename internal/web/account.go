package web

import (
	"net/http"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
)

type accountData struct {
	User      auth.User
	Languages []string
}

func errAsValidation(err error) (apperr.Validation, bool) { return apperr.AsValidation(err) }

func (s *Server) accountData(r *http.Request) (accountData, error) {
	a := actorOf(r)
	u, err := s.auth.User(r.Context(), a, a.UserID)
	return accountData{User: u, Languages: i18n.Languages}, err
}

func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.accountData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account", s.page(r, "account.title", d))
}

// accountPassword changes the signed-in user's own password. Every other
// session of theirs ends; this one is renewed and carries on.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	next := r.FormValue("new_password")
	var err error
	if next != r.FormValue("confirm_password") {
		err = apperr.Validation{"confirm_password": "account.error.mismatch"}
	} else {
		err = s.auth.ChangePassword(r.Context(), a, r.FormValue("current_password"), next)
	}
	if err != nil {
		d, derr := s.accountData(r)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "account", "account.title", d)
	}
	epoch, err := s.auth.CurrentEpoch(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessEpoch, epoch)
	s.flash(r, "flash.password_changed")
	return redirect(w, r, "/account")
}
