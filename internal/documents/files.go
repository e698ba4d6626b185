package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/extract"
	"cadran/internal/textutil"
)

// File roles.
const (
	RoleMain  = "main"  // the document itself, for one kept as DOCX or PDF
	RoleAnnex = "annex" // a form or annex attached to a procedure
)

// mainKinds may be a document's main file; annexes may also be spreadsheets
// and OpenDocument text.
var (
	mainKinds  = []extract.Kind{extract.PDF, extract.DOCX}
	annexKinds = []extract.Kind{extract.PDF, extract.DOCX, extract.XLSX, extract.ODT}
)

// Upload is a file a person sends, already spooled to a temporary file
// (net/http's multipart reader does that) so its type can be checked
// before it is stored.
type Upload struct {
	Name string
	Size int64
	Body io.ReaderAt
}

// AddFile stores an uploaded main file (replacing the previous one) or an
// annex of a draft version. The size and type are checked before anything
// is written; the text of a DOCX or PDF is kept for search.
func (s *Service) AddFile(ctx context.Context, a auth.Actor, versionID int64, role string, up Upload) (File, error) {
	if s.Files == nil {
		return File{}, apperr.Conflict("upload.error.disabled")
	}
	if !slices.Contains([]string{RoleMain, RoleAnnex}, role) {
		return File{}, apperr.Validation{"role": "error.choice"}
	}
	name := textutil.Clean(filepath.Base(strings.ReplaceAll(up.Name, `\`, "/")))
	switch {
	case up.Size <= 0:
		return File{}, apperr.Validation{"file": "upload.error.empty"}
	case up.Size > MaxFileSize:
		return File{}, apperr.Validation{"file": "upload.error.too_large"}
	case name == "" || name == "." || utf8.RuneCountInString(name) > 200:
		return File{}, apperr.Validation{"file": "upload.error.name"}
	}
	kind, err := extract.Detect(name, up.Body, up.Size)
	if err != nil {
		return File{}, err
	}
	allowed := annexKinds
	if role == RoleMain {
		allowed = mainKinds
	}
	if !slices.Contains(allowed, kind) {
		return File{}, apperr.Validation{"file": "upload.error.type"}
	}
	// Check the caller may edit before storing anything.
	if err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, _, err := s.draftFor(ctx, tx, a, versionID)
		return err
	}); err != nil {
		return File{}, err
	}
	text, err := extract.Text(kind, up.Body, up.Size, MaxIndexedRunes)
	switch {
	case errors.Is(err, extract.ErrTooComplex):
		// Kept, but not searchable: too big or too intricate to read safely.
		text = ""
	case err != nil:
		return File{}, apperr.Validation{"file": "upload.error.unreadable"}
	}
	sum, size, err := s.Files.Put(io.NewSectionReader(up.Body, 0, up.Size), MaxFileSize)
	if errors.Is(err, blob.ErrTooLarge) {
		return File{}, apperr.Validation{"file": "upload.error.too_large"}
	}
	if err != nil {
		return File{}, fmt.Errorf("cannot store file: %w", err)
	}
	now := s.Clock.Now()
	var f File
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v, d, err := s.draftFor(ctx, tx, a, versionID)
		if err != nil {
			return err
		}
		var before []File
		if role == RoleMain {
			if before, err = files(ctx, tx, a.Tenant, v.ID); err != nil {
				return err
			}
			before = slices.DeleteFunc(before, func(f File) bool { return f.Role != RoleMain })
			if _, err := tx.ExecContext(ctx, `DELETE FROM document_files WHERE tenant_id = $1 AND version_id = $2 AND role = $3`, a.Tenant, v.ID, RoleMain); err != nil {
				return fmt.Errorf("cannot replace file: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE document_versions SET source = $1, updated_at = $2, version = version + 1 WHERE id = $3`, SourceFile, now, v.ID); err != nil {
				return fmt.Errorf("cannot replace file: %w", err)
			}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO document_files (tenant_id, version_id, role, name, kind, size, sha256, text, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.Tenant, v.ID, role, name, string(kind), size, sum, text, now).Scan(&f.ID)
		if err != nil {
			return fmt.Errorf("cannot record file: %w", err)
		}
		f = File{ID: f.ID, VersionID: v.ID, Role: role, Name: name, Kind: string(kind), Size: size, SHA256: sum, CreatedAt: now}
		if role == RoleMain {
			changed, err := s.changedSince(ctx, tx, d, v.ID)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE document_versions SET changed = $1 WHERE id = $2`, strings.Join(changed, ","), v.ID); err != nil {
				return fmt.Errorf("cannot record file: %w", err)
			}
		}
		if err := touch(ctx, tx, d.ID, now); err != nil {
			return err
		}
		if err := s.index(ctx, tx, a.Tenant, d.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document_file", EntityID: f.ID,
			Summary: d.Code + " " + v.Label() + ": " + name, Before: before, After: f})
	})
	return f, err
}

// RemoveFile removes an annex or the main file from a draft version.
func (s *Service) RemoveFile(ctx context.Context, a auth.Actor, versionID, fileID int64) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v, d, err := s.draftFor(ctx, tx, a, versionID)
		if err != nil {
			return err
		}
		list, err := files(ctx, tx, a.Tenant, v.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(f File) bool { return f.ID == fileID })
		if i < 0 {
			return apperr.NotFound("document_file")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM document_files WHERE id = $1`, fileID); err != nil {
			return fmt.Errorf("cannot remove file: %w", err)
		}
		if err := s.index(ctx, tx, a.Tenant, d.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "document_file", EntityID: fileID,
			Summary: d.Code + " " + v.Label() + ": " + list[i].Name, Before: list[i]})
	})
}

// OpenFile returns a file of a version the actor may see, for download.
func (s *Service) OpenFile(ctx context.Context, a auth.Actor, docID, versionID, fileID int64) (File, *os.File, error) {
	view, err := s.Open(ctx, a, docID, versionID)
	if err != nil {
		return File{}, nil, err
	}
	i := slices.IndexFunc(view.Version.Files, func(f File) bool { return f.ID == fileID })
	if i < 0 {
		return File{}, nil, apperr.NotFound("document_file")
	}
	if s.Files == nil {
		return File{}, nil, apperr.NotFound("document_file")
	}
	f := view.Version.Files[i]
	r, err := s.Files.Open(f.SHA256)
	if err != nil {
		return File{}, nil, fmt.Errorf("cannot open file: %w", err)
	}
	return f, r, nil
}
