package web

import (
	"html"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
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
	// LinkDoc is the picker of a document to link (searched, never every
	// document), LinkForm the link form as typed, Path this page's address.
	LinkDoc     picker
	LinkForm    documentLinkForm
	Path        string
	Processes   []string
	Clauses     []frameworks.Clause
	Purposes    []string
	Today       time.Time
	MustAck     bool
	MayReview   bool
	Receipts    []documents.UnitReceipts
	History     []audit.Stored
	NeedsReason map[string]bool
	// Chosen keeps the signers picked in a refused submission.
	Chosen map[string]int64
	// recipients is the options of a distribution row's select, every
	// unit and person, written once (see RecipientOptions).
	recipients string
}

// recipientOptions writes the options of a distribution row's select:
// every unit and every person of the institution. Written once per page
// in Go: a template walking 600 people in each row costs tens of
// milliseconds on a large institution.
func recipientOptions(l *i18n.Localizer, units []*org.TreeNode, people []org.Person) string {
	var b strings.Builder
	b.Grow(64 * (len(units) + len(people) + 4))
	b.WriteString(`<option value="">—</option><optgroup label="` + html.EscapeString(l.T("document.units")) + `">`)
	for _, u := range units {
		b.WriteString(`<option value="u` + strconv.FormatInt(u.ID, 10) + `">` + strings.Repeat("— ", u.Depth) + html.EscapeString(u.Name) + `</option>`)
	}
	b.WriteString(`</optgroup><optgroup label="` + html.EscapeString(l.T("document.people")) + `">`)
	for _, p := range people {
		b.WriteString(`<option value="p` + strconv.FormatInt(p.ID, 10) + `">` + html.EscapeString(p.FullName) + `</option>`)
	}
	b.WriteString(`</optgroup>`)
	return b.String()
}

// RecipientOptions is a distribution row's options with its unit or
// person selected (none: the empty row).
func (d *documentShowData) RecipientOptions(unitID, personID int64) template.HTML {
	out := d.recipients
	v := ""
	switch {
	case unitID > 0:
		v = `<option value="u` + strconv.FormatInt(unitID, 10) + `">`
	case personID > 0:
		v = `<option value="p` + strconv.FormatInt(personID, 10) + `">`
	}
	if v != "" {
		out = strings.Replace(out, v, v[:len(v)-1]+` selected>`, 1)
	}
	return template.HTML(out)
}

// documentLinkForm is the link form as typed.
type documentLinkForm struct {
	Target, Clause, Process string
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
		d.recipients = recipientOptions(localizer(r), d.Units, d.People)
		if err := s.documentLinkPicker(r, d, id, vid); err != nil {
			return nil, err
		}
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

// documentLinkPicker fills the link form: as typed (a search reloads the
// page with it, a refused link comes back with it) and the documents
// its search found.
func (s *Server) documentLinkPicker(r *http.Request, d *documentShowData, id, vid int64) error {
	ctx, a := r.Context(), actorOf(r)
	d.Path = "/documents/" + strconv.FormatInt(id, 10)
	if vid > 0 {
		d.Path += "/versions/" + strconv.FormatInt(vid, 10)
	}
	q := r.FormValue("link_doc_q")
	f := documentLinkForm{Target: r.FormValue("target"), Clause: r.FormValue("key_iso_clause"), Process: strings.TrimSpace(r.FormValue("key_process"))}
	switch {
	case r.Method == http.MethodGet && strings.TrimSpace(q) != "":
		f.Target = documents.LinkDocument
	case !slices.Contains([]string{documents.LinkClause, documents.LinkProcess, documents.LinkDocument}, f.Target):
		f.Target = documents.LinkClause
	}
	d.LinkForm = f
	var err error
	if d.LinkDoc, err = s.pickDocuments(ctx, a, q, "", id); err != nil {
		return err
	}
	if chosen := formInt(r, "key_document"); chosen != id {
		d.LinkDoc.keepChosen(chosen, s.documentOption(ctx, a))
	}
	return nil
}
