package web

import (
	"errors"
	"net/http"

	"cadran/internal/apperr"
	"cadran/internal/i18n"
)

type loginData struct {
	Username string
	Next     string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if signedIn(r) {
		return redirect(w, r, "/")
	}
	return s.render(w, http.StatusOK, "login", s.page(r, "login.title", loginData{Next: localPath(r.URL.Query().Get("next"))}))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username, password := r.FormValue("username"), r.FormValue("password")
	next := localPath(r.FormValue("next"))
	u, err := s.auth.Authenticate(r.Context(), username, password, clientIP(r))
	if err != nil {
		kind := apperr.KindOf(err)
		if kind != apperr.KindUnauthenticated && kind != apperr.KindTooManyRequests {
			return err
		}
		p := s.page(r, "login.title", loginData{Username: username, Next: next})
		var ae *apperr.Error
		errors.As(err, &ae)
		p.Error = p.T(ae.Key, ae.Args)
		return s.render(w, errorStatus[kind], "login", p)
	}
	// A new token on sign-in prevents session fixation.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessUserID, u.ID)
	s.sessions.Put(r.Context(), sessEpoch, u.SessionEpoch())
	return redirect(w, r, next)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.auth.RecordLogout(r.Context(), actorOf(r)); err != nil {
		return err
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/login")
}

// languageSet switches the language: saved on the user when signed in, and in
// a cookie so the sign-in page follows it too.
func (s *Server) languageSet(w http.ResponseWriter, r *http.Request) error {
	lang := r.FormValue("lang")
	if !i18n.Supported(lang) {
		return apperr.Validation{"lang": "error.choice"}
	}
	if signedIn(r) {
		if err := s.auth.SetLocale(r.Context(), actorOf(r), lang); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies})
	return redirect(w, r, localPath(r.FormValue("back")))
}
