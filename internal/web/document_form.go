package web

import (
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/org"
)

type documentFormData struct {
	ID       int64
	Form     documents.DocumentInput
	Kinds    []string
	Units    []*org.TreeNode
	People   []org.Person
	InForce  bool // code and kind are fixed once a document was in force
	Proposed string
}

func documentInput(r *http.Request) documents.DocumentInput {
	months, _ := strconv.Atoi(r.FormValue("review_months"))
	return documents.DocumentInput{Kind: r.FormValue("kind"), Code: r.FormValue("code"), Title: r.FormValue("title"), UnitID: formInt(r, "unit_id"),
		OwnerID: formInt(r, "owner_id"), ReviewMonths: months, Version: formVersion(r)}
}

func (s *Server) documentFormData(r *http.Request, id int64, in documents.DocumentInput) (*documentFormData, error) {
	a := actorOf(r)
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return nil, err
	}
	people, _, err := s.org.People(r.Context(), a, org.PeopleFilter{Limit: 10000})
	if err != nil {
		return nil, err
	}
	d := &documentFormData{ID: id, Form: in, Kinds: documents.Kinds, Units: units, People: people}
	if id == 0 && in.Kind != "" {
		// Shown as the placeholder: left empty, the code is the proposed one.
		d.Proposed, _ = s.docs.NextCode(r.Context(), a, in.Kind, in.UnitID)
	}
	return d, nil
}

// documentNew is the form to register a document.
func (s *Server) documentNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermDocsEdit); err != nil {
		return err
	}
	in := documents.DocumentInput{Kind: r.URL.Query().Get("kind"), UnitID: queryInt(r, "unit")}
	if in.UnitID == 0 && !a.Can(auth.PermDocsManage) && a.PersonID != 0 {
		// A head of unit drafts for their own unit: start there.
		if p, err := s.org.Person(r.Context(), a, a.PersonID); err == nil {
			in.UnitID = p.UnitID
		}
	}
	if in.Kind == "" {
		in.Kind = documents.KindOperational
	}
	d, err := s.documentFormData(r, 0, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "document_form", s.page(r, "document.new_title", d))
}

// documentCreate registers a document and opens its first draft.
func (s *Server) documentCreate(w http.ResponseWriter, r *http.Request) error {
	in := documentInput(r)
	doc, err := s.docs.Create(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "flash.created")
		if doc.Kind == documents.KindExternal {
			return redirect(w, r, "/documents/"+strconv.FormatInt(doc.ID, 10))
		}
		return redirect(w, r, versionPath(doc.ID, doc.LatestID)+"/edit")
	}
	d, derr := s.documentFormData(r, 0, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "document_form", "document.new_title", d)
}

// documentEdit is the form to change a document's register entry.
func (s *Server) documentEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	doc, err := s.docs.Document(r.Context(), a, id)
	if err != nil {
		return err
	}
	if ok, err := s.docs.MayEdit(r.Context(), a, doc.UnitID); err != nil {
		return err
	} else if !ok {
		return apperr.Forbidden(string(auth.PermDocsEdit))
	}
	d, err := s.documentFormData(r, id, documents.DocumentInput{Kind: doc.Kind, Code: doc.Code, Title: doc.Title, UnitID: doc.UnitID, OwnerID: doc.OwnerID,
		ReviewMonths: doc.ReviewMonths, Version: doc.Version})
	if err != nil {
		return err
	}
	d.InForce = doc.CurrentID != 0
	return s.render(w, http.StatusOK, "document_form", s.page(r, "document.edit_title", d))
}

// documentUpdate saves a document's register entry.
func (s *Server) documentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := documentInput(r)
	a := actorOf(r)
	_, err = s.docs.Update(r.Context(), a, id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/documents/"+strconv.FormatInt(id, 10))
	}
	d, derr := s.documentFormData(r, id, in)
	if derr != nil {
		return derr
	}
	// A refused update returns no document: read it to keep code and kind locked.
	if doc, derr := s.docs.Document(r.Context(), a, id); derr == nil {
		d.InForce = doc.CurrentID != 0
	}
	return s.formError(w, r, err, "document_form", "document.edit_title", d)
}

type documentSettingsData struct {
	Form    documents.Settings
	Example string
}

// documentSettings shows the coding scheme and the defaults.
func (s *Server) documentSettings(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermDocsManage); err != nil {
		return err
	}
	st, err := s.docs.Settings(r.Context(), a)
	if err != nil {
		return err
	}
	ex, _ := s.docs.NextCode(r.Context(), a, documents.KindOperational, 0)
	return s.render(w, http.StatusOK, "document_settings", s.page(r, "document.settings_title", &documentSettingsData{Form: st, Example: ex}))
}

// documentSettingsSave saves the coding scheme and the defaults.
func (s *Server) documentSettingsSave(w http.ResponseWriter, r *http.Request) error {
	months, _ := strconv.Atoi(r.FormValue("review_months"))
	days, _ := strconv.Atoi(r.FormValue("ack_days"))
	in := documents.Settings{CodePattern: r.FormValue("code_pattern"), ReviewMonths: months, AckDays: days, Version: formVersion(r)}
	if _, err := s.docs.SaveSettings(r.Context(), actorOf(r), in); err != nil {
		return s.formError(w, r, err, "document_settings", "document.settings_title", &documentSettingsData{Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/documents/settings")
}

func versionPath(doc, version int64) string {
	return "/documents/" + strconv.FormatInt(doc, 10) + "/versions/" + strconv.FormatInt(version, 10)
}

// documentNextCode answers the code Cadran proposes for a kind and unit, for
// the new-document form's script.
func (s *Server) documentNextCode(w http.ResponseWriter, r *http.Request) error {
	code, err := s.docs.NextCode(r.Context(), actorOf(r), r.URL.Query().Get("kind"), queryInt(r, "unit"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write([]byte(code))
	return err
}
