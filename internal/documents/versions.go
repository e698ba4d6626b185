package documents

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
)

// Version is one edition or revision of a document.
type Version struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	DocumentID  int64     `json:"document_id"`
	Edition     int       `json:"edition"`
	Revision    int       `json:"revision"`
	State       string    `json:"state"`
	Source      string    `json:"source"`
	Reason      string    `json:"reason,omitempty"`
	Changed     []string  `json:"changed,omitempty"` // the sections it touched
	EffectiveOn string    `json:"effective_on,omitempty"`
	AuthorID    int64     `json:"author_id"`
	VerifierID  int64     `json:"verifier_id,omitempty"`
	EndorserID  int64     `json:"endorser_id,omitempty"`
	ApproverID  int64     `json:"approver_id,omitempty"`
	ContentHash string    `json:"content_hash,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by Full.
	Sections map[string]string `json:"-"`
	Files    []File            `json:"-"`
	SignOffs []SignOff         `json:"-"`
	// Names of the people on it.
	AuthorName, VerifierName, EndorserName, ApproverName string `json:"-"`
}

// Label is "Ediția I, revizia 0" in the institution's practice, without words.
func (v Version) Label() string { return fmt.Sprintf("%s.%d", Roman(v.Edition), v.Revision) }

// EditionLabel is the edition in Roman numerals.
func (v Version) EditionLabel() string { return Roman(v.Edition) }

// File is an uploaded main document or annex of a version.
type File struct {
	ID        int64     `json:"id"`
	VersionID int64     `json:"version_id"`
	Role      string    `json:"role"` // "main" or "annex"
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"-"`
}

// SignOff is one line of a version's section 1, or a rejection.
type SignOff struct {
	ID          int64     `json:"id"`
	Step        string    `json:"step"` // drafted, verified, endorsed, approved, rejected
	Decision    string    `json:"decision"`
	UserID      int64     `json:"user_id"`
	Name        string    `json:"name"`
	Function    string    `json:"function"`
	ContentHash string    `json:"content_hash"`
	Reason      string    `json:"reason,omitempty"`
	SignedAt    time.Time `json:"signed_at"`
}

const versionColumns = `v.id, v.tenant_id, v.document_id, v.edition, v.revision, v.state, v.source, v.reason, v.changed, v.effective_on,
	v.author_id, COALESCE(v.verifier_id, 0), COALESCE(v.endorser_id, 0), COALESCE(v.approver_id, 0), v.content_hash,
	v.created_at, v.updated_at, v.version`

func scanVersion(row interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var changed string
	err := row.Scan(&v.ID, &v.Tenant, &v.DocumentID, &v.Edition, &v.Revision, &v.State, &v.Source, &v.Reason, &changed, &v.EffectiveOn,
		&v.AuthorID, &v.VerifierID, &v.EndorserID, &v.ApproverID, &v.ContentHash, &v.CreatedAt, &v.UpdatedAt, &v.Version)
	if changed != "" {
		v.Changed = strings.Split(changed, ",")
	}
	return v, err
}

func getVersion(ctx context.Context, q querier, tenant, id int64) (Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM document_versions v WHERE v.tenant_id = $1 AND v.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Version{}, apperr.NotFound("document_version")
	}
	if err != nil {
		return Version{}, fmt.Errorf("cannot read document version: %w", err)
	}
	return v, nil
}

// full adds the sections, files, sign-offs and names to v.
func full(ctx context.Context, q querier, v Version) (Version, error) {
	v.Sections = map[string]string{}
	rows, err := q.QueryContext(ctx, `SELECT key, body FROM document_sections WHERE tenant_id = $1 AND version_id = $2`, v.Tenant, v.ID)
	if err != nil {
		return v, fmt.Errorf("cannot read sections: %w", err)
	}
	for rows.Next() {
		var k, b string
		if err := rows.Scan(&k, &b); err != nil {
			rows.Close()
			return v, fmt.Errorf("cannot read sections: %w", err)
		}
		v.Sections[k] = b
	}
	rows.Close()
	if v.Files, err = files(ctx, q, v.Tenant, v.ID); err != nil {
		return v, err
	}
	if v.SignOffs, err = signOffs(ctx, q, v.Tenant, v.ID); err != nil {
		return v, err
	}
	names := map[int64]string{}
	for _, id := range []int64{v.AuthorID, v.VerifierID, v.EndorserID, v.ApproverID} {
		if _, done := names[id]; id == 0 || done {
			continue
		}
		var name string
		if err := q.QueryRowContext(ctx, `SELECT display_name FROM users WHERE tenant_id = $1 AND id = $2`, v.Tenant, id).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return v, fmt.Errorf("cannot read signer: %w", err)
		}
		names[id] = name
	}
	v.AuthorName, v.VerifierName, v.EndorserName, v.ApproverName = names[v.AuthorID], names[v.VerifierID], names[v.EndorserID], names[v.ApproverID]
	return v, nil
}

func files(ctx context.Context, q querier, tenant, version int64) ([]File, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, version_id, role, name, kind, size, sha256, created_at FROM document_files WHERE tenant_id = $1 AND version_id = $2 ORDER BY role DESC, id`, tenant, version)
	if err != nil {
		return nil, fmt.Errorf("cannot read files: %w", err)
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.VersionID, &f.Role, &f.Name, &f.Kind, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot read files: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func signOffs(ctx context.Context, q querier, tenant, version int64) ([]SignOff, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, step, decision, user_id, name, function, content_hash, reason, signed_at FROM document_signoffs WHERE tenant_id = $1 AND version_id = $2 ORDER BY id`, tenant, version)
	if err != nil {
		return nil, fmt.Errorf("cannot read sign-offs: %w", err)
	}
	defer rows.Close()
	var out []SignOff
	for rows.Next() {
		var so SignOff
		if err := rows.Scan(&so.ID, &so.Step, &so.Decision, &so.UserID, &so.Name, &so.Function, &so.ContentHash, &so.Reason, &so.SignedAt); err != nil {
			return nil, fmt.Errorf("cannot read sign-offs: %w", err)
		}
		out = append(out, so)
	}
	return out, rows.Err()
}

func insertVersion(ctx context.Context, tx *sql.Tx, a auth.Actor, doc int64, edition, revision int, source, reason string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO document_versions (tenant_id, document_id, edition, revision, state, source, reason, author_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		a.Tenant, doc, edition, revision, StateDraft, source, reason, a.UserID, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("cannot create document version: %w", err)
	}
	return id, nil
}

// View is a document with one of its versions, as a page shows it.
type View struct {
	Document Document
	Version  Version
	// Versions lists every version, newest first, that the actor may see.
	Versions []Version
	Editor   bool
	Actions  []string
}

// Open returns a document with the version id (0: the one in force, or
// the newest the actor may see), checking the actor may see it.
func (s *Service) Open(ctx context.Context, a auth.Actor, docID, versionID int64) (View, error) {
	d, err := s.Document(ctx, a, docID)
	if err != nil {
		return View{}, err
	}
	editor, err := s.mayEdit(ctx, s.DB.R, a, d.UnitID)
	if err != nil {
		return View{}, err
	}
	all, err := versions(ctx, s.DB.R, a.Tenant, d.ID)
	if err != nil {
		return View{}, err
	}
	view := View{Document: d, Editor: editor}
	for _, v := range all {
		if Pending(v.State) && !editor && !seesDrafts(a) && !involved(a, v) {
			continue
		}
		view.Versions = append(view.Versions, v)
	}
	if versionID == 0 {
		versionID = d.CurrentID
		if versionID == 0 && len(view.Versions) > 0 {
			versionID = view.Versions[0].ID
		}
	}
	i := slices.IndexFunc(view.Versions, func(v Version) bool { return v.ID == versionID })
	if i < 0 {
		return View{}, apperr.NotFound("document_version")
	}
	if view.Version, err = full(ctx, s.DB.R, view.Versions[i]); err != nil {
		return View{}, err
	}
	view.Actions = Flow.Actions(stateOf(view.Version), a, gate{v: view.Version, editor: editor})
	return view, nil
}

func versions(ctx context.Context, q querier, tenant, doc int64) ([]Version, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+versionColumns+` FROM document_versions v WHERE v.tenant_id = $1 AND v.document_id = $2 ORDER BY v.edition DESC, v.revision DESC`, tenant, doc)
	if err != nil {
		return nil, fmt.Errorf("cannot list versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot list versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// DraftInput is what the editor saves into a draft.
type DraftInput struct {
	Sections map[string]string
	Reason   string // why this revision or edition is made
	Version  int
}

// SaveDraft stores the written sections of a draft version; a stale Version
// is refused with nothing overwritten. For a revision it records which
// sections changed against the version before it.
func (s *Service) SaveDraft(ctx context.Context, a auth.Actor, versionID int64, in DraftInput) (Version, error) {
	v := apperr.Validation{}
	clean := map[string]string{}
	for k, body := range in.Sections {
		body = strings.TrimSpace(textutil.CleanText(body))
		if utf8.RuneCountInString(body) > MaxSection {
			v.Add("section_"+k, "error.too_long")
		}
		clean[k] = body
	}
	in.Reason = strings.TrimSpace(textutil.CleanText(in.Reason))
	if utf8.RuneCountInString(in.Reason) > MaxReason {
		v.Add("reason", "error.too_long")
	}
	if err := v.Err(); err != nil {
		return Version{}, err
	}
	now := s.Clock.Now()
	var out Version
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, d, err := s.draftFor(ctx, tx, a, versionID)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if (before.Edition > 1 || before.Revision > 0) && in.Reason == "" {
			return apperr.Validation{"reason": "documents.error.reason_required"}
		}
		before, err = full(ctx, tx, before)
		if err != nil {
			return err
		}
		for _, def := range SectionsOf(d.Kind) {
			body, ok := clean[def.Key]
			if !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_sections (tenant_id, version_id, key, body) VALUES ($1, $2, $3, $4)
				ON CONFLICT (version_id, key) DO UPDATE SET body = excluded.body`, a.Tenant, versionID, def.Key, body); err != nil {
				return fmt.Errorf("cannot save section: %w", err)
			}
		}
		changed, err := s.changedSince(ctx, tx, d, versionID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE document_versions SET reason = $1, changed = $2, updated_at = $3, version = version + 1
			WHERE tenant_id = $4 AND id = $5 AND version = $6`, in.Reason, strings.Join(changed, ","), now, a.Tenant, versionID, in.Version)
		if err != nil {
			return fmt.Errorf("cannot save draft: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getVersion(ctx, tx, a.Tenant, versionID); err != nil {
			return err
		}
		if out, err = full(ctx, tx, out); err != nil {
			return err
		}
		if err := touch(ctx, tx, d.ID, now); err != nil {
			return err
		}
		if err := s.index(ctx, tx, a.Tenant, d.ID); err != nil {
			return err
		}
		b, af := sectionDelta(before.Sections, out.Sections)
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "document_version", EntityID: versionID,
			Summary: d.Code + " " + out.Label(), Before: map[string]any{"reason": before.Reason, "sections": b}, After: map[string]any{"reason": out.Reason, "changed": out.Changed, "sections": af}})
	})
	return out, err
}

// sectionDelta keeps only the sections that differ, for the audit event.
func sectionDelta(before, after map[string]string) (map[string]string, map[string]string) {
	b, a := map[string]string{}, map[string]string{}
	for k, v := range after {
		if before[k] != v {
			b[k], a[k] = before[k], v
		}
	}
	return b, a
}

// draftFor reads a version that a may edit: a draft of a document of their units.
func (s *Service) draftFor(ctx context.Context, tx *sql.Tx, a auth.Actor, versionID int64) (Version, Document, error) {
	v, err := getVersion(ctx, tx, a.Tenant, versionID)
	if err != nil {
		return Version{}, Document{}, err
	}
	d, err := getDocument(ctx, tx, a.Tenant, v.DocumentID)
	if err != nil {
		return Version{}, Document{}, err
	}
	if err := s.requireEdit(ctx, tx, a, d.UnitID); err != nil {
		return Version{}, Document{}, err
	}
	if v.State != StateDraft {
		return Version{}, Document{}, apperr.Conflict("documents.error.not_draft")
	}
	return v, d, nil
}

func touch(ctx context.Context, tx *sql.Tx, doc int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = $1 WHERE id = $2`, now, doc); err != nil {
		return fmt.Errorf("cannot update document: %w", err)
	}
	return nil
}

// changedSince lists the sections (and "file" for the uploaded text) in
// which version id differs from the version before it.
func (s *Service) changedSince(ctx context.Context, q querier, d Document, id int64) ([]string, error) {
	var prev int64
	err := q.QueryRowContext(ctx, `SELECT p.id FROM document_versions p JOIN document_versions v ON v.id = $2
		WHERE p.tenant_id = $1 AND p.document_id = v.document_id AND (p.edition < v.edition OR (p.edition = v.edition AND p.revision < v.revision))
		ORDER BY p.edition DESC, p.revision DESC LIMIT 1`, d.Tenant, id).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot find the previous version: %w", err)
	}
	diffs, err := s.compare(ctx, q, d, prev, id)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sd := range diffs {
		if sd.Changed {
			out = append(out, sd.Key)
		}
	}
	return out, nil
}

// NewVersionInput starts a revision (or a new edition) of a document.
type NewVersionInput struct {
	Edition bool   // a new edition resets the revision to 0
	Reason  string // why
}

// NewVersion opens a draft revision or edition from the newest version,
// copying its sections and annexes. Only one version is worked on at a time.
func (s *Service) NewVersion(ctx context.Context, a auth.Actor, docID int64, in NewVersionInput) (Version, error) {
	in.Reason = strings.TrimSpace(textutil.CleanText(in.Reason))
	switch {
	case in.Reason == "":
		return Version{}, apperr.Validation{"reason": "documents.error.reason_required"}
	case utf8.RuneCountInString(in.Reason) > MaxReason:
		return Version{}, apperr.Validation{"reason": "error.too_long"}
	}
	now := s.Clock.Now()
	var out Version
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.newVersion(ctx, tx, a, docID, in, now)
		return err
	})
	return out, err
}

func (s *Service) newVersion(ctx context.Context, tx *sql.Tx, a auth.Actor, docID int64, in NewVersionInput, now time.Time) (Version, error) {
	d, err := getDocument(ctx, tx, a.Tenant, docID)
	if err != nil {
		return Version{}, err
	}
	if err := s.requireEdit(ctx, tx, a, d.UnitID); err != nil {
		return Version{}, err
	}
	latest, err := getVersion(ctx, tx, a.Tenant, d.LatestID)
	if err != nil {
		return Version{}, err
	}
	if Pending(latest.State) {
		return Version{}, apperr.Conflict("documents.error.pending_version")
	}
	edition, revision := latest.Edition, latest.Revision+1
	if in.Edition {
		edition, revision = latest.Edition+1, 0
	}
	source := latest.Source
	if source == SourceRegister {
		source = SourceSections
	}
	id, err := insertVersion(ctx, tx, a, d.ID, edition, revision, source, in.Reason, now)
	if err != nil {
		return Version{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_sections (tenant_id, version_id, key, body)
		SELECT tenant_id, $1, key, body FROM document_sections WHERE tenant_id = $2 AND version_id = $3`, id, a.Tenant, latest.ID); err != nil {
		return Version{}, fmt.Errorf("cannot copy sections: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_files (tenant_id, version_id, role, name, kind, size, sha256, text, created_at)
		SELECT tenant_id, $1, role, name, kind, size, sha256, text, $2 FROM document_files WHERE tenant_id = $3 AND version_id = $4`, id, now, a.Tenant, latest.ID); err != nil {
		return Version{}, fmt.Errorf("cannot copy files: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET latest_id = $1, updated_at = $2 WHERE id = $3`, id, now, d.ID); err != nil {
		return Version{}, fmt.Errorf("cannot update document: %w", err)
	}
	if d.CurrentID == 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET state = $1 WHERE id = $2`, StateDraft, d.ID); err != nil {
			return Version{}, fmt.Errorf("cannot update document: %w", err)
		}
	}
	v, err := getVersion(ctx, tx, a.Tenant, id)
	if err != nil {
		return Version{}, err
	}
	return v, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document_version", EntityID: id, Summary: d.Code + " " + v.Label(), After: v})
}

// contentHash is the SHA-256 of exactly what a signer signs: the code,
// title, edition, revision, the written sections and the hashes of the
// files, in a fixed order.
func contentHash(d Document, v Version) string {
	keys := make([]string, 0, len(v.Sections))
	for k := range v.Sections {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	type sec struct{ Key, Body string }
	secs := make([]sec, 0, len(keys))
	for _, k := range keys {
		secs = append(secs, sec{k, v.Sections[k]})
	}
	fs := make([]string, 0, len(v.Files))
	for _, f := range v.Files {
		fs = append(fs, f.Role+":"+f.Name+":"+f.SHA256)
	}
	b, _ := json.Marshal(struct {
		Code, Title       string
		Edition, Revision int
		Sections          []sec
		Files             []string
	}{d.Code, d.Title, v.Edition, v.Revision, secs, fs})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
