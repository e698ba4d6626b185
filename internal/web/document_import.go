package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/documents"
)

// sessImport keeps the SHA-256 of the workbook a person previewed: the
// confirmation imports that file and no other, so a sum typed into the
// form cannot import a file stored by someone else.
const sessImport = "documents_import"

// importShown caps the rows a preview lists: a register of 10,000 rows
// would make a page too heavy to read or to render fast. With problems, the
// preview lists the rows that have them (up to importShownBad); without,
// the first rows, as a sample.
const (
	importShown    = 100
	importShownBad = 1000
)

type documentImportData struct {
	// Sum is the stored workbook of a preview that may be imported; empty
	// on the upload form and when rows have problems.
	Sum  string
	Name string
	// Previewed is set once a workbook was read.
	Previewed bool
	Preview   documents.ImportPreview
	Rows      []importRowView
	// Hidden is how many rows the preview does not list.
	Hidden int
	// FileError is the message key of a problem with the file itself.
	FileError string
	Columns   []importColumn
}

// importColumn is a heading of the template and what goes under it.
type importColumn struct{ Heading, Help string }

var importHelp = []string{"documents.import.help.code", "documents.import.help.title", "documents.import.help.kind", "documents.import.help.unit",
	"documents.import.help.edition", "documents.import.help.revision", "documents.import.help.approved_on"}

func importColumns() []importColumn {
	out := make([]importColumn, len(documents.ImportHeadings))
	for i, h := range documents.ImportHeadings {
		out[i] = importColumn{Heading: h, Help: importHelp[i]}
	}
	return out
}

// importRowView is a preview row as the table shows it.
type importRowView struct {
	documents.ImportRow
	KindCode string
	Edition  string
	Revision string
	Approved time.Time
}

func importRows(p documents.ImportPreview) ([]importRowView, int) {
	var out []importRowView
	limit := importShown
	if p.Invalid > 0 {
		limit = importShownBad
	}
	for _, r := range p.Rows {
		if len(out) == limit {
			break
		}
		if p.Invalid > 0 && r.OK() {
			continue
		}
		v := importRowView{ImportRow: r, KindCode: documents.KindCode(r.Kind), Edition: r.EditionLabel()}
		if !slices.Contains(r.Errors, "documents.import.error.revision") {
			v.Revision = strconv.Itoa(r.Revision)
		}
		v.Approved, _ = time.Parse(time.DateOnly, r.ApprovedOn)
		out = append(out, v)
	}
	return out, len(p.Rows) - len(out)
}

// documentImportForm is the upload form of the import of an existing list
// of documents.
func (s *Server) documentImportForm(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermDocsManage); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "document_import", s.page(r, "documents.import.title", &documentImportData{Columns: importColumns()}))
}

// documentImportPreview reads the uploaded workbook and shows every row
// with its problems. A workbook that may be imported is kept in the blob
// store for the confirmation; one with problems is not kept at all.
func (s *Server) documentImportPreview(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermDocsManage); err != nil {
		return err
	}
	if s.docs.Files == nil {
		return s.importError(w, r, apperr.Validation{"file": "documents.import.error.no_store"})
	}
	// Refuse an oversized body before reading it all.
	r.Body = http.MaxBytesReader(w, r.Body, documents.MaxFileSize+1<<20)
	err := r.ParseMultipartForm(8 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return s.importError(w, r, apperr.Validation{"file": "documents.import.error.too_large"})
	}
	if err != nil {
		return s.importError(w, r, apperr.Validation{"file": "documents.import.error.no_file"})
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		return s.importError(w, r, apperr.Validation{"file": "documents.import.error.no_file"})
	}
	defer file.Close()
	if header.Size > documents.MaxFileSize {
		return s.importError(w, r, apperr.Validation{"file": "documents.import.error.too_large"})
	}
	p, err := s.docs.ParseImport(r.Context(), a, file, header.Size)
	if err != nil {
		return s.importError(w, r, err)
	}
	d := &documentImportData{Name: header.Filename, Previewed: true, Preview: p, Columns: importColumns()}
	d.Rows, d.Hidden = importRows(p)
	if p.Invalid > 0 {
		page := s.page(r, "documents.import.title", d)
		page.Error = page.T("documents.import.fix_rows")
		return s.render(w, http.StatusUnprocessableEntity, "document_import", page)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("cannot rewind upload: %w", err)
	}
	d.Sum, _, err = s.docs.Files.Put(file, documents.MaxFileSize)
	if errors.Is(err, blob.ErrTooLarge) {
		return s.importError(w, r, apperr.Validation{"file": "documents.import.error.too_large"})
	}
	if err != nil {
		return fmt.Errorf("cannot store upload: %w", err)
	}
	s.sessions.Put(r.Context(), sessImport, d.Sum)
	return s.render(w, http.StatusOK, "document_import", s.page(r, "documents.import.title", d))
}

// documentImportConfirm imports the workbook previewed in this session, all
// of it or nothing.
func (s *Server) documentImportConfirm(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermDocsManage); err != nil {
		return err
	}
	gone := apperr.Validation{"file": "documents.import.error.gone"}
	sum := r.FormValue("file")
	if s.docs.Files == nil || sum == "" || sum != s.sessions.GetString(r.Context(), sessImport) {
		return s.importError(w, r, gone)
	}
	f, err := s.docs.Files.Open(sum)
	if err != nil {
		return s.importError(w, r, gone)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("cannot read stored upload: %w", err)
	}
	n, err := s.docs.Import(r.Context(), a, f, info.Size())
	if v, ok := apperr.AsValidation(err); ok && v["file"] == "documents.import.error.rows" {
		// Something changed since the preview (a code was taken meanwhile):
		// show the rows again, with what is wrong now.
		p, perr := s.docs.ParseImport(r.Context(), a, f, info.Size())
		if perr != nil {
			return s.importError(w, r, perr)
		}
		s.sessions.Remove(r.Context(), sessImport)
		d := &documentImportData{Previewed: true, Preview: p, Columns: importColumns()}
		d.Rows, d.Hidden = importRows(p)
		page := s.page(r, "documents.import.title", d)
		page.Error = page.T("documents.import.error.rows")
		return s.render(w, http.StatusUnprocessableEntity, "document_import", page)
	}
	if err != nil {
		return s.importError(w, r, err)
	}
	s.sessions.Remove(r.Context(), sessImport)
	s.flash(r, "documents.import.flash.done", "Count", n)
	return redirect(w, r, "/documents?imported="+strconv.Itoa(n))
}

// documentImportTemplate sends an empty import workbook with its header
// row and an example.
func (s *Server) documentImportTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermDocsManage); err != nil {
		return err
	}
	return sendFile(w, localizer(r).T("documents.import.template_file"), "xlsx", func(w io.Writer) error {
		if err := documents.ImportTemplate(w); err != nil {
			return fmt.Errorf("cannot write import template: %w", err)
		}
		return nil
	})
}

// importError shows the upload form again with a problem of the file;
// other errors (not allowed, internal) go to the error page.
func (s *Server) importError(w http.ResponseWriter, r *http.Request, err error) error {
	v, ok := apperr.AsValidation(err)
	if !ok || v["file"] == "" {
		return err
	}
	p := s.page(r, "documents.import.title", &documentImportData{FileError: v["file"], Columns: importColumns()})
	p.Error = p.T(v["file"])
	return s.render(w, http.StatusUnprocessableEntity, "document_import", p)
}
