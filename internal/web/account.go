package web

import (
	"net/http"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/work"
)

type accountData struct {
	User      auth.User
	Languages []string
	// E-mail choices per task kind and for the daily digest.
	Kinds  []string
	Prefs  map[string]bool
	MailOn bool
	// The calendar address; FeedURL only right after it was made.
	Feed    work.Feed
	FeedURL string
}

func errAsValidation(err error) (apperr.Validation, bool) { return apperr.AsValidation(err) }

// prefKinds are the e-mail choices: one per kind of task, and the digest.
var prefKinds = append(append([]string{}, work.Kinds...), notify.KindDigest)

func (s *Server) accountData(r *http.Request) (accountData, error) {
	a := actorOf(r)
	u, err := s.auth.User(r.Context(), a, a.UserID)
	if err != nil {
		return accountData{}, err
	}
	d := accountData{User: u, Languages: i18n.Languages, Kinds: work.Kinds, MailOn: s.notify.MailOn()}
	if d.Prefs, err = s.notify.EmailPrefs(r.Context(), a, prefKinds); err != nil {
		return d, err
	}
	d.Feed, err = s.work.Feed(r.Context(), a)
	return d, err
}

// accountNotifications saves the person's e-mail choices.
func (s *Server) accountNotifications(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"email": "error.invalid"}
	}
	prefs := map[string]bool{}
	for _, k := range r.Form["email"] {
		prefs[k] = true
	}
	if err := s.notify.SetEmailPrefs(r.Context(), actorOf(r), prefKinds, prefs); err != nil {
		return err
	}
	s.flash(r, "account.flash.notifications")
	return redirect(w, r, "/account#notifications")
}

// accountCalendar makes a new secret calendar address and shows it once.
func (s *Server) accountCalendar(w http.ResponseWriter, r *http.Request) error {
	token, err := s.work.NewFeed(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	d, err := s.accountData(r)
	if err != nil {
		return err
	}
	d.FeedURL = s.baseURL(r) + "/calendar/" + token + ".ics"
	return s.render(w, http.StatusOK, "account", s.page(r, "account.title", d))
}

// accountCalendarRevoke stops the calendar address.
func (s *Server) accountCalendarRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.work.RevokeFeed(r.Context(), actorOf(r)); err != nil {
		return err
	}
	s.flash(r, "calendar.flash.revoked")
	return redirect(w, r, "/account#calendar")
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
