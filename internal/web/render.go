package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

//go:embed templates
var templatesFS embed.FS

type templates struct {
	pages map[string]*template.Template
}

// funcs are the template helpers. Translation and formatting go through the
// Page, which knows the person's language.
func funcs(st *staticFiles) template.FuncMap {
	return template.FuncMap{
		"static": st.url,
		"add":    func(a, b int) int { return a + b },
		"list":   func(v ...string) []string { return v },
		// lines splits text into its non-empty lines, for paragraphs.
		"lines": func(s string) []string {
			var out []string
			for _, l := range strings.Split(s, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
			return out
		},
		"blocks": textBlocks,
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"selected": func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"hasRole": func(roles []auth.Role, r auth.Role) bool {
			for _, x := range roles {
				if x == r {
					return true
				}
			}
			return false
		},
	}
}

// parseTemplates parses the layout with each page once, at start-up. Each
// page gets only the partials it uses (directly or through another partial):
// html/template copies every parse tree a page set holds, and giving all 166
// pages every partial kept some 66 MB of copies alive.
func parseTemplates(st *staticFiles) (*templates, error) {
	fm := funcs(st)
	parts, err := readPartials(fm)
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(templatesFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, p := range pages {
		files, err := parts.filesFor(p, fm)
		if err != nil {
			return nil, err
		}
		c, err := template.New("layout.html").Funcs(fm).ParseFS(templatesFS, files...)
		if err != nil {
			return nil, fmt.Errorf("cannot parse %s: %w", p, err)
		}
		t.pages[strings.TrimSuffix(path.Base(p), ".html")] = c
	}
	return t, nil
}

// partials knows which file defines each shared template and which templates
// each file calls.
type partials struct {
	fileOf map[string]string   // template name -> file defining it
	calls  map[string][]string // file -> template names it calls
}

// Roots every page set needs: the layout, and the public pages' layout.
var rootFiles = []string{"templates/layout.html", "templates/partials/public_layout.html"}

func readPartials(fm template.FuncMap) (*partials, error) {
	files, err := fs.Glob(templatesFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	ps := &partials{fileOf: map[string]string{}, calls: map[string][]string{}}
	for _, f := range append([]string{"templates/layout.html"}, files...) {
		defined, calls, err := scanTemplate(f, fm)
		if err != nil {
			return nil, err
		}
		for _, name := range defined {
			ps.fileOf[name] = f
		}
		ps.calls[f] = calls
	}
	return ps, nil
}

// filesFor lists the files a page's set is parsed from: the layout first
// (it names the set), the partials reached from the roots and the page, and
// the page.
func (ps *partials) filesFor(page string, fm template.FuncMap) ([]string, error) {
	_, calls, err := scanTemplate(page, fm)
	if err != nil {
		return nil, err
	}
	need := map[string]bool{}
	queue := slices.Clone(calls)
	for _, f := range rootFiles {
		need[f] = true
		queue = append(queue, ps.calls[f]...)
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		f, ok := ps.fileOf[name]
		if !ok || need[f] {
			continue // defined by the page itself, or already in
		}
		need[f] = true
		queue = append(queue, ps.calls[f]...)
	}
	files := []string{"templates/layout.html"}
	for f := range need {
		if f != "templates/layout.html" {
			files = append(files, f)
		}
	}
	slices.Sort(files[1:])
	return append(files, page), nil
}

// scanTemplate parses one file's text and returns the templates it defines
// and the ones it calls with {{template}}.
func scanTemplate(file string, fm template.FuncMap) (defined, calls []string, err error) {
	b, err := fs.ReadFile(templatesFS, file)
	if err != nil {
		return nil, nil, err
	}
	trees, err := parse.Parse(file, string(b), "", "", map[string]any(fm), builtinFuncs)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot parse %s: %w", file, err)
	}
	for name, tree := range trees {
		defined = append(defined, name)
		calls = appendCalls(calls, tree.Root)
	}
	slices.Sort(defined)
	return defined, calls, nil
}

// builtinFuncs names text/template's own functions, so parse accepts them.
var builtinFuncs = func() map[string]any {
	m := map[string]any{}
	for _, n := range []string{"and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js", "urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge"} {
		m[n] = fmt.Sprint
	}
	return m
}()

// appendCalls adds the names of the templates that node calls.
func appendCalls(calls []string, node parse.Node) []string {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return calls
		}
		for _, c := range n.Nodes {
			calls = appendCalls(calls, c)
		}
	case *parse.TemplateNode:
		calls = append(calls, n.Name)
	case *parse.IfNode:
		calls = appendCalls(appendCalls(calls, n.List), n.ElseList)
	case *parse.RangeNode:
		calls = appendCalls(appendCalls(calls, n.List), n.ElseList)
	case *parse.WithNode:
		calls = appendCalls(appendCalls(calls, n.List), n.ElseList)
	}
	return calls
}

// Page is what every template receives.
type Page struct {
	Title       string
	Actor       *auth.Actor
	Institution string
	Lang        string
	Path        string
	// URI is the path and query, so a language switch returns to the same
	// filtered list.
	URI     string
	Query   url.Values
	Flash   string
	Error   string
	Errors  apperr.Validation
	Nav     []navItem
	Version string
	Data    any
	l       *i18n.Localizer
}

type navItem struct {
	Href, Key string
	Active    bool
	// Count is shown beside the item (open tasks, unread notifications);
	// Alert is the part that needs attention (overdue tasks).
	Count, Alert int
	// CountKey and AlertKey are the plural messages read out for them.
	CountKey, AlertKey string
}

// T translates a key in the page's language.
func (p *Page) T(key string, args ...any) string { return p.l.T(key, args...) }

// Date, DateTime, LongDate and Number format values in the page's language.
func (p *Page) Date(t any) string     { return p.l.Date(toTime(t)) }
func (p *Page) DateTime(t any) string { return p.l.DateTime(toTime(t)) }
func (p *Page) LongDate(t any) string { return p.l.LongDate(toTime(t)) }
func (p *Page) Number(n any) string   { return p.l.Number(n) }

func toTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}

// FieldError returns the translated error of a form field, if any.
func (p *Page) FieldError(field string) string {
	if k, ok := p.Errors[field]; ok {
		return p.l.T(k)
	}
	return ""
}

// Can reports whether the signed-in actor may do perm, so templates hide what
// the domain would refuse anyway.
func (p *Page) Can(perm string) bool {
	return p.Actor != nil && p.Actor.Can(auth.Permission(perm))
}

// QueryWith returns the current query string with key set to value (or
// removed when value is empty), for sort links and pagination.
func (p *Page) QueryWith(kv ...string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if e := q.Encode(); e != "" {
		return "?" + e
	}
	return ""
}

func (s *Server) page(r *http.Request, titleKey string, data any) *Page {
	l := localizer(r)
	p := &Page{Title: l.T(titleKey), Lang: l.Lang(), Path: r.URL.Path, URI: r.URL.RequestURI(), Query: r.URL.Query(), Data: data, Version: s.opts.Version, l: l}
	if r.Method != http.MethodGet {
		// A page answering a form (an error, a calendar address shown once)
		// has no address of its own to come back to: the language switch
		// returns to the page the form was on.
		p.URI = sameSiteReferer(r)
	}
	if signedIn(r) {
		a := actorOf(r)
		p.Actor = &a
		if inst, err := s.org.Institution(r.Context(), a); err == nil {
			p.Institution = inst.Name
		}
		p.Flash = s.sessions.PopString(r.Context(), sessFlash)
		p.Nav = s.nav(r.Context(), a, r.URL.Path)
	}
	return p
}

// nav lists only the screens that exist and that the actor may open.
func (s *Server) nav(ctx context.Context, a auth.Actor, current string) []navItem {
	items := []navItem{{Href: "/", Key: "nav.home"}}
	{
		work := navItem{Href: "/work", Key: "nav.work", CountKey: "nav.work_count", AlertKey: "nav.overdue_count"}
		if c, err := s.work.Counts(ctx, a); err == nil {
			work.Count, work.Alert = c.Open, c.Overdue
		} else {
			slog.Error("cannot count tasks for the navigation", "err", err)
		}
		items = append(items, work, navItem{Href: "/tasks", Key: "nav.tasks"})
		bell := navItem{Href: "/notifications", Key: "nav.notifications", CountKey: "nav.unread_count"}
		if n, err := s.notify.UnreadCount(ctx, a); err == nil {
			bell.Count = n
		} else {
			slog.Error("cannot count notifications for the navigation", "err", err)
		}
		items = append(items, bell)
	}
	if a.Can(auth.PermDocsView) {
		items = append(items, navItem{Href: "/documents", Key: "nav.documents"})
	}
	if a.Can(auth.PermRisksView) && a.Can(auth.PermImproveView) {
		items = append(items, navItem{Href: "/registers", Key: "nav.registers"})
	}
	if a.Can(auth.PermRisksView) {
		items = append(items, navItem{Href: "/risks", Key: "nav.risks"})
	}
	if a.Can(auth.PermImproveView) {
		items = append(items, navItem{Href: "/nonconformities", Key: "nav.nonconformities"}, navItem{Href: "/proposals", Key: "nav.proposals"})
	}
	if a.Can(auth.PermAuditsView) {
		items = append(items, navItem{Href: "/audits", Key: "nav.audits"})
	}
	if a.Can(auth.PermReviewsView) {
		items = append(items, navItem{Href: "/reviews", Key: "nav.reviews"})
	}
	if a.Can(auth.PermComplianceView) {
		items = append(items, navItem{Href: "/compliance", Key: "nav.compliance"})
	}
	if a.Can(auth.PermScorecardView) {
		items = append(items, navItem{Href: "/scorecard", Key: "nav.scorecard"})
	}
	if a.Can(auth.PermCAFView) {
		items = append(items, navItem{Href: "/caf", Key: "nav.caf"})
	}
	if a.Can(auth.PermCitizenStats) {
		items = append(items, navItem{Href: "/citizen", Key: "nav.citizen"})
	}
	if a.Can(auth.PermTrainingView) {
		items = append(items, navItem{Href: "/training", Key: "nav.training"})
	}
	if a.Can(auth.PermControlView) {
		items = append(items, navItem{Href: "/control", Key: "nav.control"})
	}
	if a.Can(auth.PermComplianceView) {
		items = append(items, navItem{Href: "/crosswalk", Key: "nav.crosswalk"})
	}
	if a.Can(auth.PermConsolidatedView) {
		items = append(items, navItem{Href: "/consolidated", Key: "nav.consolidated"})
	}
	if a.Can(auth.PermOrgView) {
		items = append(items, navItem{Href: "/units", Key: "nav.units"}, navItem{Href: "/people", Key: "nav.people"})
	}
	if a.Can(auth.PermUsersManage) {
		items = append(items, navItem{Href: "/users", Key: "nav.users"})
	}
	if a.Can(auth.PermAuditView) {
		items = append(items, navItem{Href: "/audit", Key: "nav.audit"})
	}
	items = append(items, navItem{Href: "/institution", Key: "nav.institution"})
	if a.PlatformAdmin {
		items = append(items, navItem{Href: "/platform/institutions", Key: "nav.platform"})
	}
	for i := range items {
		h := items[i].Href
		items[i].Active = current == h || (h != "/" && strings.HasPrefix(current, h+"/"))
	}
	return items
}

// render writes a page with status; it renders into a buffer first so a
// template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *Page) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("cannot render %s: no such template", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return fmt.Errorf("cannot render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// errorStatus is the one table from application error kinds to HTTP statuses.
var errorStatus = map[apperr.Kind]int{
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindInvalid:         http.StatusUnprocessableEntity,
	apperr.KindConflict:        http.StatusConflict,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindTooManyRequests: http.StatusTooManyRequests,
	apperr.KindInternal:        http.StatusInternalServerError,
}

// serveError renders the error page that fits err.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	kind := apperr.KindOf(err)
	status := errorStatus[kind]
	if kind == apperr.KindUnauthenticated && !signedIn(r) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	key := "error.internal"
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Key != "" {
		key = ae.Key
	} else if kind == apperr.KindInvalid {
		key = "error.invalid"
	}
	if status == http.StatusInternalServerError {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := s.page(r, "error.title", map[string]any{"Status": status})
	p.Error = p.l.T(key)
	if ae != nil && ae.Args != nil {
		p.Error = p.l.T(key, ae.Args)
	}
	if rerr := s.render(w, status, "error", p); rerr != nil {
		slog.Error("cannot render error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.NotFound("page")
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(r *http.Request, key string, args ...any) {
	s.sessions.Put(r.Context(), sessFlash, localizer(r).T(key, args...))
}

func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// pathID reads the {id} path value; a malformed id is simply not found.
func pathID(r *http.Request) (int64, error) { return pathParamID(r, "id") }

// pathParamID reads the path value name holding an id ({tmid}, {coid}…);
// a malformed id is simply not found.
func pathParamID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("record")
	}
	return id, nil
}

// sameSiteReferer is the path and query of the page that sent r, when it is
// one of ours, else "/".
func sameSiteReferer(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return u.RequestURI()
}

// baseURL is Cadran's public address: the configured one, or the one this
// request reached.
func (s *Server) baseURL(r *http.Request) string {
	if b := strings.TrimSuffix(s.opts.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil || s.opts.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// textBlock is a paragraph, or a run of list items, of written text.
type textBlock struct {
	Text  string
	Items []string
}

// textBlocks splits written text exactly as the printed procedure does
// (report.Blocks) and groups consecutive list items into one list.
func textBlocks(body string) []textBlock {
	var out []textBlock
	for _, b := range report.Blocks(body) {
		switch {
		case !b.Bullet:
			out = append(out, textBlock{Text: b.Text})
		case len(out) > 0 && out[len(out)-1].Items != nil:
			out[len(out)-1].Items = append(out[len(out)-1].Items, b.Text)
		default:
			out = append(out, textBlock{Items: []string{b.Text}})
		}
	}
	return out
}
