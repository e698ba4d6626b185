package web

// Helpers of the development programme and the control bodies' pages.

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/frameworks"
	"cadran/internal/org"
	"cadran/internal/work"
)

func init() {
	savedFilterLists["control_actions"] = "/control/actions"
	savedFilterLists["control_meetings"] = "/control/meetings"
}

const cprogPerPage = 25

// cprogStandard is one of the 16 standards for a select or a heading.
type cprogStandard struct {
	Number int
	Title  string
}

// cprogStandards lists the 16 standards in the page's language.
func cprogStandards(lang string) []cprogStandard {
	m, ok := frameworks.OSGGModel(frameworks.OSGGLatest)
	if !ok {
		return nil
	}
	var out []cprogStandard
	for _, s := range m.Standards() {
		out = append(out, cprogStandard{Number: s.Number, Title: s.Title(lang)})
	}
	return out
}

// cprogStandardTitle is "2. Atribuții, funcții, sarcini" in lang.
func cprogStandardTitle(lang string, n int) string {
	if m, ok := frameworks.OSGGModel(frameworks.OSGGLatest); ok {
		if s, ok := m.Standard(n); ok {
			return fmt.Sprintf("%d. %s", n, s.Title(lang))
		}
	}
	return strconv.Itoa(n)
}

// CProgStandard names standard n in the page's language.
func (p *Page) CProgStandard(n int) string { return cprogStandardTitle(p.Lang, n) }

// CProgDay formats a YYYY-MM-DD day for the page ("—" when empty).
func (p *Page) CProgDay(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "—"
	}
	return p.Date(d)
}

// cprogDay formats a day for an export or a document (dd.mm.yyyy).
func cprogDay(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return ""
	}
	return d.Format("02.01.2006")
}

// cprogXDay is a stored day as a spreadsheet date, or empty.
func cprogXDay(s string) any {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d
	}
	return ""
}

// cprogToday is today in Bucharest.
func (s *Server) cprogToday() string { return work.Day(s.clock.Now()).Format(time.DateOnly) }

// cprogSort reads "sort" ("key" or "-key") against keys.
func cprogSort(r *http.Request, keys []string, def string) (string, bool, string) {
	v := r.URL.Query().Get("sort")
	k, desc := strings.CutPrefix(v, "-")
	if !slices.Contains(keys, k) {
		return def, false, ""
	}
	return k, desc, v
}

// cprogInt reads a whole number of a form; empty is 0, anything else that
// is not a number a field error.
func cprogInt(r *http.Request, name string, bad apperr.Validation) int {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		bad[name] = "controlprog.error.number"
	}
	return n
}

// cprogFields joins the form's own errors to the domain's; err that is not
// a validation error is returned as it is.
func cprogFields(err error, bad apperr.Validation) error {
	if err == nil && len(bad) == 0 {
		return nil
	}
	all := apperr.Validation{}
	if v, ok := apperr.AsValidation(err); ok {
		for k, key := range v {
			all[k] = key
		}
	} else if err != nil {
		return err
	}
	for k, key := range bad {
		all[k] = key
	}
	return all
}

// cprogFormError renders tmpl again with the errors, the values kept; an
// error that is neither invalid input nor a conflict goes up.
func (s *Server) cprogFormError(w http.ResponseWriter, r *http.Request, err error, tmpl, title string, d any) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	return s.formError(w, r, err, tmpl, title, d)
}

// cprogPeople lists the institution's active people for owner and member
// selects.
func (s *Server) cprogPeople(r *http.Request) ([]org.Person, error) {
	people, _, err := s.org.People(r.Context(), actorOf(r), org.PeopleFilter{Status: "active", Sort: "name", Limit: 10000})
	return people, err
}

// cprogManage reports whether a may change the programme and the bodies.
func cprogManage(a auth.Actor) bool { return a.Can(auth.PermControlManage) }

// cprogInstitution names the actor's institution for documents.
func (s *Server) cprogInstitution(r *http.Request) string {
	return s.page(r, "controlprog.title", nil).Institution
}

var _ = control.Module
