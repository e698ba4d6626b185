package web

// What every read endpoint of the JSON API shares: the query parameters
// checked strictly (a wrong one is a 400 naming it, never ignored), the
// pagination with its Link header, and the list envelope.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/i18n"
)

const (
	apiPerPageDefault = 50
	apiPerPageMax     = 100
)

// apiList is the envelope of every list the API returns.
type apiList[T any] struct {
	Data    []T `json:"data"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
}

// apiQuery reads a request's query parameters, gathering a problem for
// each one that cannot be used and for each one the endpoint does not know.
type apiQuery struct {
	l        *i18n.Localizer
	q        url.Values
	known    map[string]bool
	problems []apiProblem
}

func newAPIQuery(r *http.Request, l *i18n.Localizer) *apiQuery {
	return &apiQuery{l: l, q: r.URL.Query(), known: map[string]bool{}}
}

func (q *apiQuery) fail(name, key string, args ...any) {
	q.problems = append(q.problems, apiProblem{Field: name, Message: q.l.T(key, args...)})
}

// raw returns a parameter's value, trimmed; a parameter given twice is a
// problem (which one would count is not obvious).
func (q *apiQuery) raw(name string) string {
	q.known[name] = true
	vs := q.q[name]
	if len(vs) > 1 {
		q.fail(name, "api.error.repeated")
	}
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

// text is free text (a search).
func (q *apiQuery) text(name string) string {
	v := q.raw(name)
	if len([]rune(v)) > 200 {
		q.fail(name, "api.error.too_long", "Max", 200)
		return ""
	}
	return v
}

// id is a record's id: a whole number from 1 up; 0 when absent.
func (q *apiQuery) id(name string) int64 {
	v := q.raw(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		q.fail(name, "api.error.id")
		return 0
	}
	return n
}

// choice is one of choices; "" when absent.
func (q *apiQuery) choice(name string, choices []string) string {
	v := q.raw(name)
	if v != "" && !slices.Contains(choices, v) {
		q.fail(name, "api.error.choice", "Choices", strings.Join(choices, ", "))
		return ""
	}
	return v
}

// flag is a yes-or-no filter: 1 or true, 0 or false.
func (q *apiQuery) flag(name string) bool {
	switch strings.ToLower(q.raw(name)) {
	case "", "0", "false":
		return false
	case "1", "true":
		return true
	}
	q.fail(name, "api.error.flag")
	return false
}

// year is a calendar year from 2000 to 2100; 0 when absent.
func (q *apiQuery) year(name string) int {
	v := q.raw(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 2000 || n > 2100 {
		q.fail(name, "api.error.year")
		return 0
	}
	return n
}

// sort is one of keys, or "-" and one of them for the reverse order.
func (q *apiQuery) sort(name string, keys []string) string {
	v := q.raw(name)
	if v != "" && !slices.Contains(keys, strings.TrimPrefix(v, "-")) {
		q.fail(name, "api.error.choice", "Choices", strings.Join(keys, ", ")+" (-)")
		return ""
	}
	return v
}

// paging reads page (from 1) and per_page (1 to 100, 50 by default).
func (q *apiQuery) paging() (page, perPage int) {
	page, perPage = 1, apiPerPageDefault
	if v := q.raw("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			q.fail("page", "api.error.page")
		} else {
			page = n
		}
	}
	if v := q.raw("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiPerPageMax {
			q.fail("per_page", "api.error.per_page", "Max", apiPerPageMax)
		} else {
			perPage = n
		}
	}
	return page, perPage
}

// refused answers 400 when a parameter could not be used or is unknown;
// it reports whether it did.
func (q *apiQuery) refused(w http.ResponseWriter) bool {
	var unknown []string
	for name := range q.q {
		if !q.known[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		known := make([]string, 0, len(q.known))
		for k := range q.known {
			known = append(known, k)
		}
		slices.Sort(known)
		q.fail(name, "api.error.unknown", "Known", strings.Join(known, ", "))
	}
	if len(q.problems) == 0 {
		return false
	}
	_ = apiJSON(w, http.StatusBadRequest, apiError{Error: q.l.T("api.error.query"), Errors: q.problems})
	return true
}

// apiSendList writes one page of a list with its Link header (first,
// prev, next, last), keeping the request's other parameters.
func apiSendList[T any](w http.ResponseWriter, r *http.Request, base string, data []T, page, perPage, total int) error {
	if data == nil {
		data = []T{}
	}
	last := max(1, (total+perPage-1)/perPage)
	link := func(n int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(perPage))
		return "<" + base + r.URL.Path + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	links := []string{link(1, "first")}
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(last, "last"))
	w.Header().Set("Link", strings.Join(links, ", "))
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	return apiJSON(w, http.StatusOK, apiList[T]{Data: data, Page: page, PerPage: perPage, Total: total})
}

// apiDay is a YYYY-MM-DD day, or nil when there is none.
func apiDay(day string) *string {
	if day == "" {
		return nil
	}
	return &day
}

// apiRef is a unit or person a record points at: its id and name.
type apiRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func apiRefOf(id int64, name string) *apiRef {
	if id == 0 {
		return nil
	}
	return &apiRef{ID: id, Name: name}
}
