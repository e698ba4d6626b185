package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/org"
)

// publicPage is the Page of a public page: the citizen's language, the
// institution, and nothing of any signed-in session (no navigation, no
// name, no flash), so a clerk who opens the public page sees exactly what
// a citizen sees.
func (s *Server) publicPage(r *http.Request, titleKey string, data any) *Page {
	l := localizer(r)
	p := &Page{Title: l.T(titleKey), Lang: l.Lang(), Path: r.URL.Path, URI: r.URL.RequestURI(), Query: r.URL.Query(), Data: data, l: l}
	if r.Method != http.MethodGet {
		// A page answering a form has no address of its own: the language
		// switch returns to the page the form was on.
		p.URI = sameSiteReferer(r)
	}
	if b, ok := publicBaseOf(data); ok {
		p.Institution = b.Inst.Name
	}
	return p
}

func publicBaseOf(data any) (publicBase, bool) {
	switch d := data.(type) {
	case publicIndexData:
		return d.publicBase, true
	case publicHomeData:
		return d.publicBase, true
	case publicServiceData:
		return d.publicBase, true
	case publicFileData:
		return d.publicBase, true
	case publicReceiptData:
		return d.publicBase, true
	case publicStatusFormData:
		return d.publicBase, true
	case publicStatusData:
		return d.publicBase, true
	case publicThanksData:
		return d.publicBase, true
	case publicFeedbackData:
		return d.publicBase, true
	case publicErrorData:
		return d.publicBase, true
	}
	return publicBase{}, false
}

// renderPublic writes a public page in the public layout (no navigation,
// no sign-in state).
func (s *Server) renderPublic(w http.ResponseWriter, status int, name string, p *Page) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("cannot render %s: no such template", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "public_layout", p); err != nil {
		return fmt.Errorf("cannot render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

type publicErrorData struct {
	publicBase
	Status int
}

// publicError shows a refusal in the public layout with a translated
// message; an unexpected error goes to the usual error page, which logs it
// and tells nothing of it.
func (s *Server) publicError(w http.ResponseWriter, r *http.Request, inst org.Institution, err error) error {
	var tooBig *http.MaxBytesError
	status, key := 0, ""
	var args map[string]any
	switch kind := apperr.KindOf(err); {
	case errors.As(err, &tooBig):
		status, key = http.StatusRequestEntityTooLarge, "public.error.too_large"
	case kind == apperr.KindInternal:
		return err
	case kind == apperr.KindNotFound:
		status, key = http.StatusNotFound, "public.error.not_found"
	default:
		status, key = errorStatus[kind], "error.invalid"
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Key != "" {
			key, args = ae.Key, ae.Args
		}
	}
	p := s.publicPage(r, "public.error.title", publicErrorData{publicBase: publicBase{Inst: inst}, Status: status})
	p.Error = p.T(key)
	if args != nil {
		p.Error = p.T(key, args)
	}
	if rerr := s.renderPublic(w, status, "public_error", p); rerr != nil {
		slog.Error("cannot render public error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
	return nil
}

// publicTooMany refuses a request over an address's limit.
func (s *Server) publicTooMany(w http.ResponseWriter, r *http.Request, inst org.Institution, wait time.Duration) error {
	w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
	return s.publicError(w, r, inst, &apperr.Error{Kind: apperr.KindTooManyRequests, Key: "public.error.too_many", Args: map[string]any{"Minutes": waitMinutes(wait)}})
}
