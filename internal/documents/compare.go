package documents

import (
	"context"

	"github.com/sergi/go-diff/diffmatchpatch"

	"cadran/internal/apperr"
	"cadran/internal/auth"
)

// SectionDiff is one section compared between two versions.
type SectionDiff struct {
	Key     string
	Number  string
	Changed bool
	Parts   []DiffPart
}

// DiffPart is a run of text that is the same in both versions, only in the
// older one (Deleted) or only in the newer one (Inserted).
type DiffPart struct {
	Text     string
	Inserted bool
	Deleted  bool
}

// Compare compares two versions of a document section by section (and the
// uploaded text, as section "file"), the older one first.
func (s *Service) Compare(ctx context.Context, a auth.Actor, docID, fromID, toID int64) ([]SectionDiff, error) {
	view, err := s.Open(ctx, a, docID, 0)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, v := range view.Versions {
		seen[v.ID] = true
	}
	if !seen[fromID] || !seen[toID] {
		return nil, apperr.NotFound("document_version")
	}
	return s.compare(ctx, s.DB.R, view.Document, fromID, toID)
}

func (s *Service) compare(ctx context.Context, q querier, d Document, fromID, toID int64) ([]SectionDiff, error) {
	from, err := getVersion(ctx, q, d.Tenant, fromID)
	if err != nil {
		return nil, err
	}
	to, err := getVersion(ctx, q, d.Tenant, toID)
	if err != nil {
		return nil, err
	}
	if from, err = full(ctx, q, from); err != nil {
		return nil, err
	}
	if to, err = full(ctx, q, to); err != nil {
		return nil, err
	}
	dmp := diffmatchpatch.New()
	var out []SectionDiff
	defs := SectionsOf(d.Kind)
	for _, def := range defs {
		out = append(out, diffText(dmp, def.Key, def.Number, from.Sections[def.Key], to.Sections[def.Key]))
	}
	fromFile, toFile := fileText(ctx, q, from), fileText(ctx, q, to)
	if fromFile != "" || toFile != "" {
		out = append(out, diffText(dmp, "file", "", fromFile, toFile))
	}
	return out, nil
}

// fileText is the text of a version's main uploaded file, with its checksum
// so a new file with the same words still counts as a change.
func fileText(ctx context.Context, q querier, v Version) string {
	for _, f := range v.Files {
		if f.Role != RoleMain {
			continue
		}
		var text string
		if err := q.QueryRowContext(ctx, `SELECT text FROM document_files WHERE id = $1`, f.ID).Scan(&text); err != nil {
			return f.Name
		}
		return f.Name + "\n" + text
	}
	return ""
}

// diffText compares two texts word by word, cleaned up to read well.
func diffText(dmp *diffmatchpatch.DiffMatchPatch, key, number, a, b string) SectionDiff {
	sd := SectionDiff{Key: key, Number: number, Changed: a != b}
	if !sd.Changed {
		if a != "" {
			sd.Parts = []DiffPart{{Text: a}}
		}
		return sd
	}
	diffs := dmp.DiffMain(a, b, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	for _, d := range diffs {
		if d.Text == "" {
			continue
		}
		sd.Parts = append(sd.Parts, DiffPart{Text: d.Text, Inserted: d.Type == diffmatchpatch.DiffInsert, Deleted: d.Type == diffmatchpatch.DiffDelete})
	}
	return sd
}
