package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/frameworks"
	"cadran/internal/org"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

type documentShowData struct {
	documents.View
	Sections     []documents.SectionDef
	Distribution []documents.Recipient
	Links        []documents.Link
	UsedBy       []documents.Document
	Reviews      []documents.Review
	Signers      []documents.Signer
	Units        []*org.TreeNode
	People       []org.Person
	Others       []documents.Document
	Processes    []string
	Clauses      []frameworks.Clause
	Purposes     []string
	Today        time.Time
	MustAck      bool
	MayReview    bool
	Receipts     []documents.UnitReceipts
	History      []audit.Stored
	NeedsReason  map[string]bool
	// Chosen keeps the signers picked in a refused submission.
	Chosen map[string]int64
}

// documentShow is a document with its version in force (or the newest the
// person may see): its sections, sign-offs, editions, distribution, links
// and what the person may do with it.
func (s *Server) documentShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.documentPage(w, r, id, 0)
}

// versionShow is one given version of a document.
func (s *Server) versionShow(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	return s.documentPage(w, r, id, vid)
}

func docVersionIDs(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil || vid <= 0 {
		return 0, 0, apperr.NotFound("document_version")
	}
	return id, vid, nil
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request, id, vid int64) error {
	d, err := s.documentData(r, id, vid)
	if err != nil {
		return err
	}
	p := s.page(r, "document.list_title", d)
	p.Title = d.Document.Code + " " + d.Document.Title
	return s.render(w, http.StatusOK, "document_show", p)
}

func (s *Server) documentData(r *http.Request, id, vid int64) (*documentShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	view, err := s.docs.Open(ctx, a, id, vid)
	if err != nil {
		return nil, err
	}
	d := &documentShowData{View: view, Sections: documents.SectionsOf(view.Document.Kind), Clauses: frameworks.ISO9001, Purposes: documents.Purposes,
		Today: work.Day(s.clock.Now()), NeedsReason: map[string]bool{}}
	for _, act := range view.Actions {
		d.NeedsReason[act] = documents.Flow.NeedsReason(workflow.State(view.Version.State), act)
	}
	if d.Distribution, err = s.docs.Distribution(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Links, err = s.docs.Links(ctx, a, id); err != nil {
		return nil, err
	}
	if d.UsedBy, err = s.docs.UsedBy(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Reviews, err = s.docs.Reviews(ctx, a, id); err != nil {
		return nil, err
	}
	if d.MustAck, err = s.docs.MustAcknowledge(ctx, a, view.Version.ID); err != nil {
		return nil, err
	}
	if d.MayReview, err = s.docs.MayReview(ctx, a, view.Document); err != nil {
		return nil, err
	}
	if view.Version.State == documents.StateInForce || view.Version.State == documents.StateSuperseded {
		if _, d.Receipts, err = s.docs.Receipts(ctx, a, id, view.Version.ID); err != nil {
			return nil, err
		}
	}
	if slices.Contains(view.Actions, documents.ActSubmit) {
		if d.Signers, err = s.docs.Signers(ctx, a); err != nil {
			return nil, err
		}
	}
	if view.Editor {
		if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
			return nil, err
		}
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
		if d.Others, _, err = s.docs.List(ctx, a, documents.Filter{Limit: 10000}); err != nil {
			return nil, err
		}
		d.Others = slices.DeleteFunc(d.Others, func(o documents.Document) bool { return o.ID == id })
		if d.Processes, err = s.docs.Processes(ctx, a); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "document_version", EntityID: view.Version.ID, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}
