package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// pager is the pagination of a list: 1-based page, page size and total.
type pager struct {
	Page, PerPage, Total int
	query                url.Values
}

func newPager(r *http.Request, perPage int) pager {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return pager{Page: max(1, p), PerPage: perPage, query: r.URL.Query()}
}

func (p pager) Offset() int { return (p.Page - 1) * p.PerPage }

// Pages is the number of pages, at least 1.
func (p pager) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// From and To are the 1-based positions of the first and last row shown.
func (p pager) From() int {
	if p.Total == 0 {
		return 0
	}
	return p.Offset() + 1
}
func (p pager) To() int { return min(p.Total, p.Offset()+p.PerPage) }

// URL links to page n with the other filters kept.
func (p pager) URL(n int) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "?" + q.Encode()
}

func (p pager) HasPrev() bool { return p.Page > 1 }
func (p pager) HasNext() bool { return p.Page < p.Pages() }

// sortLink describes a sortable column header.
type sortLink struct {
	Key, Label string
	// Aria is the aria-sort value: ascending, descending or none.
	Aria string
	Href string
}

// sortLinks builds the headers for the given keys, given the current sort.
func sortLinks(p *Page, current string, keys map[string]string, order []string) []sortLink {
	out := make([]sortLink, 0, len(order))
	for _, k := range order {
		l := sortLink{Key: k, Label: p.T(keys[k]), Aria: "none"}
		next := k
		switch current {
		case k:
			l.Aria = "ascending"
			next = "-" + k
		case "-" + k:
			l.Aria = "descending"
		}
		l.Href = p.QueryWith("sort", next, "page", "")
		out = append(out, l)
	}
	return out
}

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.FormValue(name), 10, 64)
	return n
}

func formVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.FormValue("version"))
	return n
}

func queryInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return n
}
