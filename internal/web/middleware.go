package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	localeKey
	routeKey
)

// Session keys.
const (
	sessUserID = "uid"
	sessEpoch  = "epoch"
	sessFlash  = "flash"
)

const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.opts.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
	// start and pattern feed the Server-Timing header, written with the
	// status line.
	start   time.Time
	pattern *string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.timing()
	}
	w.ResponseWriter.WriteHeader(code)
}

// timing adds a Server-Timing header: the server's time until the response
// starts, and the route that served it. Browsers' developer tools show it,
// and cmd/pagebench groups the pages it measures by the route.
func (w *statusWriter) timing() {
	if w.pattern == nil {
		return
	}
	ms := float64(time.Since(w.start).Microseconds()) / 1000
	w.Header().Set("Server-Timing", fmt.Sprintf("app;dur=%.2f;desc=%q", ms, *w.pattern))
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
		w.timing()
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and feeds the metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// The route's pattern is set by wrap further down the chain, which
		// sees the request after the mux matched it.
		pattern := "unmatched"
		sw := &statusWriter{ResponseWriter: w, start: start, pattern: &pattern}
		r = r.WithContext(context.WithValue(r.Context(), routeKey, &pattern))
		defer func() {
			if v := recover(); v != nil {
				slog.Error("panic serving request", "path", logPath(r.URL.Path), "panic", v)
				if sw.status == 0 {
					http.Error(sw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				}
			}
			d := time.Since(start)
			s.metrics.observe(pattern, sw.status, d)
			if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
				slog.Info("request", "method", r.Method, "path", logPath(r.URL.Path), "status", sw.status, "bytes", sw.bytes, "ms", float64(d.Microseconds())/1000)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// wrap adds the per-route work: the actor for signed-in routes, the locale,
// and the mapping of returned errors to pages.
func (s *Server) wrap(rt route) http.Handler {
	label := rt.Method + " " + rt.Pattern
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if p, ok := ctx.Value(routeKey).(*string); ok && rt.Pattern != "" {
			*p = label
		}
		actor, err := s.actorFromSession(r)
		if err != nil && !errors.Is(err, apperr.ErrUnauthenticated) {
			s.serveError(w, r, err)
			return
		}
		if err == nil {
			ctx = context.WithValue(ctx, actorKey, &actor)
		}
		ctx = context.WithValue(ctx, localeKey, s.localeFor(r, actorOrNil(err, &actor)))
		r = r.WithContext(ctx)
		if !rt.Public && err != nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			} else {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
			}
			return
		}
		if err := rt.Handle(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

func actorOrNil(err error, a *auth.Actor) *auth.Actor {
	if err != nil {
		return nil
	}
	return a
}

func (s *Server) actorFromSession(r *http.Request) (auth.Actor, error) {
	uid := s.sessions.GetInt64(r.Context(), sessUserID)
	if uid == 0 {
		return auth.Actor{}, apperr.ErrUnauthenticated
	}
	a, err := s.auth.ActorFor(r.Context(), uid, s.sessions.GetInt(r.Context(), sessEpoch))
	if errors.Is(err, apperr.ErrUnauthenticated) {
		// The account was disabled or its password changed: end this session.
		_ = s.sessions.Destroy(r.Context())
	}
	return a, err
}

// localeFor picks the language: the user's choice, then the lang cookie, then
// the browser's Accept-Language.
func (s *Server) localeFor(r *http.Request, a *auth.Actor) *i18n.Localizer {
	if a != nil && i18n.Supported(a.Locale) {
		return s.i18n.Localizer(a.Locale)
	}
	if c, err := r.Cookie("lang"); err == nil && i18n.Supported(c.Value) {
		return s.i18n.Localizer(c.Value)
	}
	return s.i18n.Localizer(i18n.Match(r.Header.Get("Accept-Language")))
}

func actorOf(r *http.Request) auth.Actor {
	if a, ok := r.Context().Value(actorKey).(*auth.Actor); ok {
		return *a
	}
	return auth.Actor{}
}

func signedIn(r *http.Request) bool {
	_, ok := r.Context().Value(actorKey).(*auth.Actor)
	return ok
}

func localizer(r *http.Request) *i18n.Localizer {
	return r.Context().Value(localeKey).(*i18n.Localizer)
}

// clientIP is the remote address without its port. Cadran does not trust
// forwarded headers by default: behind a proxy, every client shares the
// proxy's address for sign-in throttling, which errs on the safe side.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// localPath keeps a redirect target on this site.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) {
		return "/"
	}
	return p
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// logPath is a request path as the log may keep it: a calendar address
// carries its owner's secret token, which never reaches the log.
func logPath(p string) string {
	if strings.HasPrefix(p, "/calendar/") {
		return "/calendar/(token)"
	}
	return p
}
