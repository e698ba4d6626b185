package documents

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// Link ties a document to an ISO 9001 clause, a process, a risk or another
// document (a form it uses, a document it refers to).
type Link struct {
	ID     int64  `json:"id"`
	Target string `json:"target"`
	Key    string `json:"key"`
	Label  string `json:"label,omitempty"`
	// For document links: the other document.
	DocID    int64  `json:"-"`
	DocCode  string `json:"-"`
	DocTitle string `json:"-"`
}

// LinkInput is what a form gives to add a link.
type LinkInput struct {
	Target string
	Key    string // clause code, process name, document id
}

// Links returns what a document is linked to.
func (s *Service) Links(ctx context.Context, a auth.Actor, docID int64) ([]Link, error) {
	if _, err := s.Document(ctx, a, docID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT l.id, l.target, l.target_key, l.label, COALESCE(o.id, 0), COALESCE(o.code, ''), COALESCE(o.title, '')
		FROM document_links l LEFT JOIN documents o ON l.target = 'document' AND o.tenant_id = l.tenant_id AND CAST(o.id AS TEXT) = l.target_key
		WHERE l.tenant_id = $1 AND l.document_id = $2 ORDER BY l.target, l.target_key`, a.Tenant, docID)
	if err != nil {
		return nil, fmt.Errorf("cannot read links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.ID, &l.Target, &l.Key, &l.Label, &l.DocID, &l.DocCode, &l.DocTitle); err != nil {
			return nil, fmt.Errorf("cannot read links: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read links: %w", err)
	}
	slices.SortStableFunc(out, func(x, y Link) int {
		if x.Target == LinkClause && y.Target == LinkClause {
			return compareClause(x.Key, y.Key)
		}
		return 0
	})
	return out, nil
}

// compareClause orders clause codes numerically: 4.4 before 10.2.
func compareClause(a, b string) int {
	ia := slices.IndexFunc(frameworks.ISO9001, func(c frameworks.Clause) bool { return c.Code == a })
	ib := slices.IndexFunc(frameworks.ISO9001, func(c frameworks.Clause) bool { return c.Code == b })
	return ia - ib
}

// UsedBy lists the documents that link to docID (procedures using a form,
// documents referring to it).
func (s *Service) UsedBy(ctx context.Context, a auth.Actor, docID int64) ([]Document, error) {
	if _, err := s.Document(ctx, a, docID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+docColumns+docFrom+` JOIN document_links k ON k.document_id = d.id
		WHERE d.tenant_id = $1 AND k.tenant_id = $1 AND k.target = 'document' AND k.target_key = $2 ORDER BY d.sort_code`, a.Tenant, strconv.FormatInt(docID, 10))
	if err != nil {
		return nil, fmt.Errorf("cannot read links: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read links: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Processes lists the process names already used in links, for suggestions.
func (s *Service) Processes(ctx context.Context, a auth.Actor) ([]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT target_key FROM document_links WHERE tenant_id = $1 AND target = 'process' ORDER BY target_key`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read processes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("cannot read processes: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddLink links a document to a clause, a process or another document.
func (s *Service) AddLink(ctx context.Context, a auth.Actor, docID int64, in LinkInput) error {
	in.Key = textutil.Clean(in.Key)
	label := ""
	switch in.Target {
	case LinkClause:
		c, ok := frameworks.ISOClause(in.Key)
		if !ok {
			return apperr.Validation{"key": "documents.error.clause"}
		}
		label = c.TitleRO
	case LinkProcess:
		if in.Key == "" {
			return apperr.Validation{"key": "error.required"}
		}
		if utf8.RuneCountInString(in.Key) > 200 {
			return apperr.Validation{"key": "error.too_long"}
		}
	case LinkDocument:
		id, err := strconv.ParseInt(in.Key, 10, 64)
		if err != nil || id == docID {
			return apperr.Validation{"key": "error.choice"}
		}
	default:
		return apperr.Validation{"target": "error.choice"}
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		d, err := getDocument(ctx, tx, a.Tenant, docID)
		if err != nil {
			return err
		}
		if err := s.requireEdit(ctx, tx, a, d.UnitID); err != nil {
			return err
		}
		if in.Target == LinkDocument {
			id, _ := strconv.ParseInt(in.Key, 10, 64)
			o, err := getDocument(ctx, tx, a.Tenant, id)
			if err != nil {
				return apperr.Validation{"key": "error.choice"}
			}
			label = o.Code
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO document_links (tenant_id, document_id, target, target_key, label) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.Tenant, docID, in.Target, in.Key, label).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"key": "documents.error.link_exists"}
		}
		if err != nil {
			return fmt.Errorf("cannot add link: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document_link", EntityID: id,
			Summary: d.Code + " → " + in.Target + " " + in.Key, After: Link{ID: id, Target: in.Target, Key: in.Key, Label: label}})
	})
}

// RemoveLink removes one of a document's links.
func (s *Service) RemoveLink(ctx context.Context, a auth.Actor, docID, linkID int64) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		d, err := getDocument(ctx, tx, a.Tenant, docID)
		if err != nil {
			return err
		}
		if err := s.requireEdit(ctx, tx, a, d.UnitID); err != nil {
			return err
		}
		var l Link
		err = tx.QueryRowContext(ctx, `SELECT id, target, target_key, label FROM document_links WHERE tenant_id = $1 AND document_id = $2 AND id = $3`, a.Tenant, docID, linkID).
			Scan(&l.ID, &l.Target, &l.Key, &l.Label)
		if err == sql.ErrNoRows {
			return apperr.NotFound("document_link")
		}
		if err != nil {
			return fmt.Errorf("cannot remove link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM document_links WHERE id = $1`, linkID); err != nil {
			return fmt.Errorf("cannot remove link: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "document_link", EntityID: linkID,
			Summary: d.Code + " → " + l.Target + " " + l.Key, Before: l})
	})
}
