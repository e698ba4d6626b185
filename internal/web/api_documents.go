package web

// Documents' metadata through the API: the master list and one document,
// never a file's content.

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/documents"
)

type apiDocument struct {
	ID             int64     `json:"id"`
	Code           string    `json:"code"`
	Title          string    `json:"title"`
	Kind           string    `json:"kind"`
	Unit           *apiRef   `json:"unit"`
	Owner          string    `json:"owner"`
	Edition        int       `json:"edition"`
	EditionLabel   string    `json:"edition_label"`
	Revision       int       `json:"revision"`
	State          string    `json:"state"`
	LatestState    *string   `json:"latest_state"`
	EffectiveOn    *string   `json:"effective_on"`
	NextReviewOn   *string   `json:"next_review_on"`
	LastReviewedOn *string   `json:"last_reviewed_on"`
	ReviewMonths   int       `json:"review_months"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"`
	URL            string    `json:"url"`
}

func apiDocumentOf(base string, d documents.Document) apiDocument {
	out := apiDocument{ID: d.ID, Code: d.Code, Title: d.Title, Kind: d.Kind, Unit: apiRefOf(d.UnitID, d.UnitName), Owner: d.OwnerName, Edition: d.Edition,
		EditionLabel: d.EditionLabel(), Revision: d.Revision, State: d.State, EffectiveOn: apiDay(d.EffectiveOn), NextReviewOn: apiDay(d.NextReviewOn),
		LastReviewedOn: apiDay(d.LastReviewedOn), ReviewMonths: d.ReviewMonths, UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
		URL: base + "/documents/" + strconv.FormatInt(d.ID, 10)}
	if d.LatestState != "" {
		out.LatestState = &d.LatestState
	}
	return out
}

// apiDocumentList is the master list of documents, with its page's filters.
func (s *Server) apiDocumentList(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	q := newAPIQuery(r, l)
	f := documents.Filter{Query: q.text("q"), Kind: q.choice("kind", documents.Kinds), UnitID: q.id("unit"), State: q.choice("state", documents.States),
		Sort: q.sort("sort", documents.Sorts())}
	if q.flag("review_due") {
		f.Review = "due"
	}
	page, per := q.paging()
	if q.refused(w) {
		return nil
	}
	f.Limit, f.Offset = per, (page-1)*per
	list, total, err := s.docs.List(r.Context(), a, f)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	base := s.baseURL(r)
	out := make([]apiDocument, 0, len(list))
	for _, d := range list {
		out = append(out, apiDocumentOf(base, d))
	}
	return apiSendList(w, r, base, out, page, per, total)
}

// apiDocumentShow is one document's metadata; a document never in force
// is seen only by those who may see it on its page.
func (s *Server) apiDocumentShow(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	if newAPIQuery(r, l).refused(w) {
		return nil
	}
	id, err := strconv.ParseInt(r.PathValue("apidoc"), 10, 64)
	if err != nil || id < 1 {
		return apiJSON(w, http.StatusNotFound, apiError{Error: l.T("api.error.not_found")})
	}
	d, err := s.docs.Document(r.Context(), a, id)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	return apiJSON(w, http.StatusOK, apiDocumentOf(s.baseURL(r), d))
}
