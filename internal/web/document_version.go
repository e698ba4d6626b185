package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/documents"
	"cadran/internal/extract"
)

type versionFormData struct {
	*documentShowData
	Form documents.DraftInput
}

// versionEdit is the editor of a draft: its written sections in OSGG 600
// order, its uploaded file and annexes.
func (s *Server) versionEdit(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	d, err := s.documentData(r, id, vid)
	if err != nil {
		return err
	}
	if !d.Editor || d.Version.State != documents.StateDraft {
		return apperr.Conflict("documents.error.not_draft")
	}
	f := &versionFormData{documentShowData: d, Form: documents.DraftInput{Sections: d.Version.Sections, Reason: d.Version.Reason, Version: d.Version.Version}}
	p := s.page(r, "document.edit_draft", f)
	p.Title = d.Document.Code + " " + d.Document.Title
	return s.render(w, http.StatusOK, "document_draft", p)
}

// versionSave saves the sections of a draft.
func (s *Server) versionSave(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"form": "error.invalid"}
	}
	a := actorOf(r)
	view, err := s.docs.Open(r.Context(), a, id, vid)
	if err != nil {
		return err
	}
	in := documents.DraftInput{Sections: map[string]string{}, Reason: r.FormValue("reason"), Version: formVersion(r)}
	for _, def := range documents.SectionsOf(view.Document.Kind) {
		if _, ok := r.PostForm["section_"+def.Key]; ok {
			in.Sections[def.Key] = r.PostFormValue("section_" + def.Key)
		}
	}
	if _, err := s.docs.SaveDraft(r.Context(), a, vid, in); err != nil {
		d, derr := s.documentData(r, id, vid)
		if derr != nil {
			return derr
		}
		// Show what the person typed, not what is saved, so nothing is lost.
		return s.formError(w, r, err, "document_draft", "document.edit_draft", &versionFormData{documentShowData: d, Form: in})
	}
	s.flash(r, "flash.saved")
	if r.FormValue("then") == "view" {
		return redirect(w, r, versionPath(id, vid))
	}
	return redirect(w, r, versionPath(id, vid)+"/edit")
}

// versionStep moves a version through the workflow.
func (s *Server) versionStep(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	in := documents.StepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), VerifierID: formInt(r, "verifier_id"),
		EndorserID: formInt(r, "endorser_id"), ApproverID: formInt(r, "approver_id"), EffectiveOn: r.FormValue("effective_on"), Version: formVersion(r)}
	if _, err := s.docs.Step(r.Context(), actorOf(r), vid, in); err != nil {
		d, derr := s.documentData(r, id, vid)
		if derr != nil {
			return derr
		}
		d.Chosen = map[string]int64{"verifier_id": in.VerifierID, "endorser_id": in.EndorserID, "approver_id": in.ApproverID}
		return s.formError(w, r, err, "document_show", "document.list_title", d)
	}
	s.flash(r, "document.flash."+in.Action)
	return redirect(w, r, versionPath(id, vid))
}

// versionAcknowledge records that the person read the version in force.
func (s *Server) versionAcknowledge(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if _, err := s.docs.Open(r.Context(), a, id, vid); err != nil {
		return err
	}
	if err := s.docs.Acknowledge(r.Context(), a, vid); err != nil {
		return err
	}
	s.flash(r, "document.flash.acknowledged")
	return redirect(w, r, versionPath(id, vid))
}

// versionFileAdd uploads the main file or an annex of a draft.
func (s *Server) versionFileAdd(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	// Refuse an oversized body before reading it all.
	r.Body = http.MaxBytesReader(w, r.Body, documents.MaxFileSize+1<<20)
	err = r.ParseMultipartForm(8 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return s.uploadError(w, r, id, vid, apperr.Validation{"file": "upload.error.too_large"})
	}
	if err != nil {
		return s.uploadError(w, r, id, vid, apperr.Validation{"file": "upload.error.empty"})
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		return s.uploadError(w, r, id, vid, apperr.Validation{"file": "upload.error.empty"})
	}
	defer file.Close()
	if _, err := s.docs.Open(r.Context(), actorOf(r), id, vid); err != nil {
		return err
	}
	if _, err := s.docs.AddFile(r.Context(), actorOf(r), vid, r.FormValue("role"), documents.Upload{Name: header.Filename, Size: header.Size, Body: file}); err != nil {
		return s.uploadError(w, r, id, vid, err)
	}
	s.flash(r, "document.flash.uploaded")
	return redirect(w, r, versionPath(id, vid)+"/edit")
}

func (s *Server) uploadError(w http.ResponseWriter, r *http.Request, id, vid int64, err error) error {
	d, derr := s.documentData(r, id, vid)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "document_draft", "document.edit_draft", &versionFormData{documentShowData: d,
		Form: documents.DraftInput{Sections: d.Version.Sections, Reason: d.Version.Reason, Version: d.Version.Version}})
}

// versionFileDelete removes a file from a draft.
func (s *Server) versionFileDelete(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil {
		return apperr.NotFound("document_file")
	}
	if _, err := s.docs.Open(r.Context(), actorOf(r), id, vid); err != nil {
		return err
	}
	if err := s.docs.RemoveFile(r.Context(), actorOf(r), vid, fid); err != nil {
		return err
	}
	s.flash(r, "flash.deleted")
	return redirect(w, r, versionPath(id, vid)+"/edit")
}

// versionFile downloads a file, never with a type a browser would sniff.
func (s *Server) versionFile(w http.ResponseWriter, r *http.Request) error {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil {
		return apperr.NotFound("document_file")
	}
	f, body, err := s.docs.OpenFile(r.Context(), actorOf(r), id, vid, fid)
	if err != nil {
		return err
	}
	defer body.Close()
	w.Header().Set("Content-Type", extract.Kind(f.Kind).ContentType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", f.CreatedAt, body)
	return nil
}
