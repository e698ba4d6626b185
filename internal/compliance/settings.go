package compliance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// PolicyClause and ScopeClause are the clauses the quality policy and the
// scope of the management system are documented under.
const (
	PolicyClause = "5.2"
	ScopeClause  = "4.3"
)

// DocRef is a document of the register as the matrix names it.
type DocRef struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	State    string `json:"state"`
	Edition  int    `json:"edition"`
	Revision int    `json:"revision"`
	// EffectiveOn is when the edition in force took effect.
	EffectiveOn string `json:"effective_on,omitempty"`
	// NextReviewOn is when its periodic review falls due.
	NextReviewOn string `json:"next_review_on,omitempty"`
	InForce      bool   `json:"in_force"`
}

// EditionLabel is "ed. II rev. 1" as printed.
func (d DocRef) EditionLabel() string { return documents.Roman(d.Edition) }

// Settings are the quality policy, the scope of the management system and
// the scope statement.
type Settings struct {
	PolicyDocID int64     `json:"policy_doc_id,omitempty"`
	ScopeDocID  int64     `json:"scope_doc_id,omitempty"`
	ScopeText   string    `json:"scope_text,omitempty"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	Policy *DocRef `json:"-"`
	Scope  *DocRef `json:"-"`
}

// SettingsInput is what the settings form gives. Exclusions are the
// clauses declared not applicable, each with its justification.
type SettingsInput struct {
	PolicyDocID int64
	ScopeDocID  int64
	ScopeText   string
	Exclusions  map[string]string
	Version     int
}

// ScopeKinds are the kinds of document that may state the scope: the
// quality manual, usually, or a dedicated document.
var ScopeKinds = []string{documents.KindManual, documents.KindPolicy, documents.KindSystem, documents.KindRegulation}

const docRefColumns = `d.id, d.code, d.title, d.kind, d.state, COALESCE(c.state, ''), COALESCE(c.edition, l.edition, 0), COALESCE(c.revision, l.revision, 0),
	d.effective_on, d.next_review_on`

const docRefFrom = ` FROM documents d LEFT JOIN document_versions c ON c.id = d.current_id LEFT JOIN document_versions l ON l.id = d.latest_id`

func scanDocRef(row interface{ Scan(...any) error }) (DocRef, error) {
	var d DocRef
	var current string
	err := row.Scan(&d.ID, &d.Code, &d.Title, &d.Kind, &d.State, &current, &d.Edition, &d.Revision, &d.EffectiveOn, &d.NextReviewOn)
	d.InForce = current == documents.StateInForce
	return d, err
}

func getDocRef(ctx context.Context, q querier, tenant, id int64) (*DocRef, error) {
	if id == 0 {
		return nil, nil
	}
	d, err := scanDocRef(q.QueryRowContext(ctx, `SELECT `+docRefColumns+docRefFrom+` WHERE d.tenant_id = $1 AND d.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, errRead("document", err)
	}
	return &d, nil
}

func getSettings(ctx context.Context, q querier, tenant int64) (Settings, error) {
	var st Settings
	var policy, scope sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT policy_doc_id, scope_doc_id, scope_text, updated_at, version FROM compliance_settings WHERE tenant_id = $1`, tenant).
		Scan(&policy, &scope, &st.ScopeText, &st.UpdatedAt, &st.Version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Settings{}, errRead("compliance settings", err)
	}
	st.PolicyDocID, st.ScopeDocID = policy.Int64, scope.Int64
	if st.Policy, err = getDocRef(ctx, q, tenant, st.PolicyDocID); err != nil {
		return Settings{}, err
	}
	if st.Scope, err = getDocRef(ctx, q, tenant, st.ScopeDocID); err != nil {
		return Settings{}, err
	}
	return st, nil
}

// Settings returns the quality policy and the scope (Version 0 when never
// saved).
func (s *Service) Settings(ctx context.Context, a auth.Actor) (Settings, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Settings{}, err
	}
	return getSettings(ctx, s.DB.R, a.Tenant)
}

// DocumentOptions lists the documents that may be chosen as the quality
// policy or the scope: of those kinds, not withdrawn.
func (s *Service) DocumentOptions(ctx context.Context, a auth.Actor) ([]DocRef, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, err
	}
	ph := make([]string, len(ScopeKinds))
	args := []any{a.Tenant, documents.StateWithdrawn}
	for i, k := range ScopeKinds {
		ph[i] = fmt.Sprintf("$%d", i+3)
		args = append(args, k)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+docRefColumns+docRefFrom+` WHERE d.tenant_id = $1 AND d.state <> $2 AND d.kind IN (`+strings.Join(ph, ", ")+`)
		ORDER BY d.sort_code`, args...)
	if err != nil {
		return nil, errRead("documents", err)
	}
	defer rows.Close()
	var out []DocRef
	for rows.Next() {
		d, err := scanDocRef(rows)
		if err != nil {
			return nil, errRead("documents", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Validate checks and normalises the input (the documents are checked
// against the register by SaveSettings).
func (in *SettingsInput) Validate() error {
	v := apperr.Validation{}
	in.ScopeText = strings.TrimSpace(textutil.CleanText(in.ScopeText))
	if tooLong(in.ScopeText, MaxText) {
		v.Add("cmp_scope_text", "error.too_long")
	}
	for code, j := range in.Exclusions {
		j = strings.TrimSpace(textutil.CleanText(j))
		in.Exclusions[code] = j
		switch {
		case !validClause(code) || !frameworks.MayExclude(code):
			v.Add("cmp_exclusions", "compliance.error.not_excludable")
		case j == "":
			v.Add("cmp_justification_"+code, "compliance.error.justification")
		case tooLong(j, MaxText):
			v.Add("cmp_justification_"+code, "error.too_long")
		}
	}
	return v.Err()
}

// SaveSettings records the quality policy, the scope and the clauses not
// applicable. The policy document is linked to 5.2 and the scope document
// to 4.3 (when not linked already); a clause newly excluded becomes not
// applicable with its justification, and a clause no longer excluded goes
// back to not assessed. Everything is audited in one transaction.
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in SettingsInput) (Settings, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Settings{}, err
	}
	if in.Exclusions == nil {
		in.Exclusions = map[string]string{}
	}
	if err := in.Validate(); err != nil {
		return Settings{}, err
	}
	now := s.Clock.Now()
	var out Settings
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getSettings(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		v := apperr.Validation{}
		policy, err := getDocRef(ctx, tx, a.Tenant, in.PolicyDocID)
		if err != nil {
			return err
		}
		switch {
		case in.PolicyDocID != 0 && policy == nil:
			v.Add("cmp_policy_doc", "error.choice")
		case policy != nil && policy.Kind != documents.KindPolicy:
			v.Add("cmp_policy_doc", "compliance.error.policy_kind")
		}
		scope, err := getDocRef(ctx, tx, a.Tenant, in.ScopeDocID)
		if err != nil {
			return err
		}
		switch {
		case in.ScopeDocID != 0 && scope == nil:
			v.Add("cmp_scope_doc", "error.choice")
		case scope != nil && !slices.Contains(ScopeKinds, scope.Kind):
			v.Add("cmp_scope_doc", "compliance.error.scope_kind")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if before.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO compliance_settings (tenant_id, policy_doc_id, scope_doc_id, scope_text, updated_at) VALUES ($1, $2, $3, $4, $5)`,
				a.Tenant, nullID(in.PolicyDocID), nullID(in.ScopeDocID), in.ScopeText, now)
			if err != nil {
				return fmt.Errorf("cannot save compliance settings: %w", err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE compliance_settings SET policy_doc_id = $1, scope_doc_id = $2, scope_text = $3, updated_at = $4, version = version + 1
				WHERE tenant_id = $5 AND version = $6`, nullID(in.PolicyDocID), nullID(in.ScopeDocID), in.ScopeText, now, a.Tenant, in.Version)
			if err != nil {
				return fmt.Errorf("cannot save compliance settings: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Stale()
			}
		}
		if policy != nil {
			if err := linkClause(ctx, tx, a, now, *policy, PolicyClause); err != nil {
				return err
			}
		}
		if scope != nil {
			if err := linkClause(ctx, tx, a, now, *scope, ScopeClause); err != nil {
				return err
			}
		}
		if err := s.applyExclusions(ctx, tx, a, in.Exclusions); err != nil {
			return err
		}
		if out, err = getSettings(ctx, tx, a.Tenant); err != nil {
			return err
		}
		ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "compliance_settings", EntityID: a.Tenant,
			Summary: "politica și domeniul de aplicare", Before: before, After: out}
		if before.Version == 0 {
			ev.Action, ev.Before = audit.ActionCreate, nil
		}
		return audit.Record(ctx, tx, now, ev)
	})
	return out, err
}

// linkClause links a document to a clause unless it is linked already,
// as the document's own links page would, and audits the new link.
func linkClause(ctx context.Context, tx *sql.Tx, a auth.Actor, now time.Time, d DocRef, code string) error {
	c, _ := frameworks.ISOClause(code)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO document_links (tenant_id, document_id, target, target_key, label) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (document_id, target, target_key) DO NOTHING RETURNING id`, a.Tenant, d.ID, documents.LinkClause, code, c.TitleRO).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // linked already
	}
	if err != nil {
		return fmt.Errorf("cannot link document to clause: %w", err)
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document_link", EntityID: id,
		Summary: d.Code + " → " + documents.LinkClause + " " + code, After: documents.Link{ID: id, Target: documents.LinkClause, Key: code, Label: c.TitleRO}})
}

// applyExclusions makes the statuses of the excludable clauses follow the
// list of exclusions.
func (s *Service) applyExclusions(ctx context.Context, tx *sql.Tx, a auth.Actor, exclusions map[string]string) error {
	st, err := statuses(ctx, tx, a.Tenant)
	if err != nil {
		return err
	}
	for _, code := range slices.Sorted(maps.Keys(exclusions)) {
		cur, ok := st[code]
		if !ok {
			cur = ClauseStatus{Clause: code, Status: StatusNotAssessed}
		}
		j := exclusions[code]
		if cur.Status == StatusNotApplicable && cur.Justification == j {
			continue
		}
		if _, err := s.setStatus(ctx, tx, a, code, StatusInput{Status: StatusNotApplicable, Justification: j, OwnerID: cur.OwnerID, Notes: cur.Notes, Version: cur.Version}); err != nil {
			return err
		}
	}
	for _, c := range frameworks.ISO9001 {
		cur, ok := st[c.Code]
		if _, keep := exclusions[c.Code]; !ok || keep || cur.Status != StatusNotApplicable {
			continue
		}
		if _, err := s.setStatus(ctx, tx, a, c.Code, StatusInput{Status: StatusNotAssessed, OwnerID: cur.OwnerID, Notes: cur.Notes, Version: cur.Version}); err != nil {
			return err
		}
	}
	return nil
}

// Exclusions lists the clauses not applicable, with their justification.
func (s *Service) Exclusions(ctx context.Context, a auth.Actor) (map[string]string, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, err
	}
	st, err := statuses(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for code, c := range st {
		if c.Status == StatusNotApplicable {
			out[code] = c.Justification
		}
	}
	return out, nil
}
