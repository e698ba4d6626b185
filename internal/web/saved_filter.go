package web

import (
	"net/http"
	"net/url"

	"cadran/internal/apperr"
	"cadran/internal/filters"
)

// savedFilterLists maps the lists that offer saved filters to their pages.
var savedFilterLists = map[string]string{
	"documents":       "/documents",
	"risks":           "/risks",
	"nonconformities": "/nonconformities",
	"actions":         "/nonconformities/actions",
	"proposals":       "/proposals",
	"kpis":            "/scorecard/kpis",
	"initiatives":     "/scorecard/initiatives",
	"cases":           "/citizen/cases",
}

// savedFilterBlock is what a list page shows of its saved filters: the
// person's filters, and a form to save the filter now applied. A list's
// template shows it with {{template "saved_filters" (dict "P" $ "S" .Saved)}}.
type savedFilterBlock struct {
	List  string
	Items []filters.Saved
	// Query is the filter now applied (without the page), empty when the
	// list is unfiltered; only then is there nothing to save.
	Query string
	Path  string
}

// savedFilters reads the actor's saved filters of list for a list page.
func (s *Server) savedFilters(r *http.Request, list string) (savedFilterBlock, error) {
	items, err := s.filters.List(r.Context(), actorOf(r), list)
	if err != nil {
		return savedFilterBlock{}, err
	}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "page" && len(v) > 0 && v[0] != "" {
			q[k] = v
		}
	}
	return savedFilterBlock{List: list, Items: items, Query: q.Encode(), Path: savedFilterLists[list]}, nil
}

// filterSave saves the filter applied on a list under a name, and goes back
// to the list with it.
func (s *Server) filterSave(w http.ResponseWriter, r *http.Request) error {
	list := r.FormValue("list")
	path, ok := savedFilterLists[list]
	if !ok {
		return apperr.NotFound("list")
	}
	f, err := s.filters.Save(r.Context(), actorOf(r), filters.Input{List: list, Name: r.FormValue("name"), Query: r.FormValue("query")})
	if v, bad := apperr.AsValidation(err); bad {
		for _, key := range v {
			s.flash(r, key)
			break
		}
		return redirect(w, r, path+"?"+r.FormValue("query"))
	}
	if err != nil {
		return err
	}
	s.flash(r, "filters.saved", "Name", f.Name)
	return redirect(w, r, path+"?"+f.Query)
}

// filterDelete removes a saved filter of the signed-in person.
func (s *Server) filterDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := s.filters.Delete(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	s.flash(r, "filters.deleted", "Name", f.Name)
	return redirect(w, r, savedFilterLists[f.List])
}
