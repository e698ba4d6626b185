package web

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/documents"
)

// documentRevise opens a new revision (or edition) of a document.
func (s *Server) documentRevise(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := documents.NewVersionInput{Edition: r.FormValue("edition") == "1", Reason: r.FormValue("reason")}
	v, err := s.docs.NewVersion(r.Context(), actorOf(r), id, in)
	if err != nil {
		d, derr := s.documentData(r, id, 0)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "document_show", "document.list_title", d)
	}
	s.flash(r, "document.flash.revision")
	return redirect(w, r, versionPath(id, v.ID)+"/edit")
}

// documentDistribution replaces the distribution list. The form sends
// parallel lists: target ("u12" for a unit, "p34" for a person) and purpose.
func (s *Server) documentDistribution(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"form": "error.invalid"}
	}
	targets, purposes := r.PostForm["target"], r.PostForm["purpose"]
	var list []documents.Recipient
	for i, t := range targets {
		if t == "" || i >= len(purposes) {
			continue
		}
		n, err := strconv.ParseInt(t[1:], 10, 64)
		if err != nil {
			return apperr.Validation{"recipient": "error.choice"}
		}
		rec := documents.Recipient{Purpose: purposes[i]}
		switch t[0] {
		case 'u':
			rec.UnitID = n
		case 'p':
			rec.PersonID = n
		default:
			return apperr.Validation{"recipient": "error.choice"}
		}
		list = append(list, rec)
	}
	if err := s.docs.SetDistribution(r.Context(), actorOf(r), id, list, formVersion(r)); err != nil {
		d, derr := s.documentData(r, id, 0)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "document_show", "document.list_title", d)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/documents/"+strconv.FormatInt(id, 10)+"#distribution")
}

// documentLinkAdd links a document to a clause, a process or a document.
func (s *Server) documentLinkAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := documents.LinkInput{Target: r.FormValue("target"), Key: r.FormValue("key_" + r.FormValue("target"))}
	err = nil
	if q := r.FormValue("link_doc_q"); in.Target == "document" && in.Key == "" && strings.TrimSpace(q) != "" {
		// A document's code typed in the picker's search, not searched:
		// link it when it is exactly one document's code.
		doc, ok, derr := s.documentByCode(r.Context(), actorOf(r), q, "")
		switch {
		case derr != nil:
			return derr
		case ok:
			in.Key = strconv.FormatInt(doc.ID, 10)
		default:
			err = apperr.Validation{"key_document": "picker.error.no_document"}
		}
	}
	if err == nil {
		err = s.docs.AddLink(r.Context(), actorOf(r), id, in)
	}
	if err != nil {
		d, derr := s.documentData(r, id, 0)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "document_show", "document.list_title", d)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/documents/"+strconv.FormatInt(id, 10)+"#links")
}

// documentLinkDelete removes a link.
func (s *Server) documentLinkDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return apperr.NotFound("document_link")
	}
	if err := s.docs.RemoveLink(r.Context(), actorOf(r), id, lid); err != nil {
		return err
	}
	s.flash(r, "flash.deleted")
	return redirect(w, r, "/documents/"+strconv.FormatInt(id, 10)+"#links")
}

// documentReview records a periodic review.
func (s *Server) documentReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := documents.ReviewInput{Outcome: r.FormValue("outcome"), Note: r.FormValue("note"), Version: formVersion(r)}
	doc, err := s.docs.RecordReview(r.Context(), actorOf(r), id, in)
	if err != nil {
		d, derr := s.documentData(r, id, 0)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "document_show", "document.list_title", d)
	}
	s.flash(r, "document.flash.reviewed")
	if in.Outcome == documents.ReviewRevise {
		return redirect(w, r, versionPath(id, doc.LatestID)+"/edit")
	}
	return redirect(w, r, "/documents/"+strconv.FormatInt(id, 10)+"#review")
}

type documentCompareData struct {
	documents.View
	From, To documents.Version
	Diffs    []documents.SectionDiff
}

// documentCompare compares two versions section by section.
func (s *Server) documentCompare(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	view, err := s.docs.Open(r.Context(), a, id, 0)
	if err != nil {
		return err
	}
	from, to := queryInt(r, "from"), queryInt(r, "to")
	if (from == 0 || to == 0) && len(view.Versions) > 1 {
		to, from = view.Versions[0].ID, view.Versions[1].ID
	}
	d := &documentCompareData{View: view}
	for _, v := range view.Versions {
		if v.ID == from {
			d.From = v
		}
		if v.ID == to {
			d.To = v
		}
	}
	if d.From.ID != 0 && d.To.ID != 0 {
		if d.Diffs, err = s.docs.Compare(r.Context(), a, id, from, to); err != nil {
			return err
		}
	}
	p := s.page(r, "document.compare_title", d)
	return s.render(w, http.StatusOK, "document_compare", p)
}
