package audits

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/textutil"
)

// Finding is what an audit found: a major or minor nonconformity, an
// observation or an opportunity for improvement, with the case it opened
// in the nonconformity register.
type Finding struct {
	ID          int64     `json:"id"`
	AuditID     int64     `json:"audit_id"`
	Seq         int       `json:"seq"`
	Kind        string    `json:"kind"`
	Clause      string    `json:"clause,omitempty"`
	Requirement string    `json:"requirement,omitempty"`
	Evidence    string    `json:"evidence"`
	ItemID      int64     `json:"item_id,omitempty"`
	NCID        int64     `json:"nc_id,omitempty"`
	ByName      string    `json:"by_name,omitempty"`
	CreatedAt   time.Time `json:"-"`

	// Filled in by reads: the case's code and state.
	NCCode  string `json:"-"`
	NCState string `json:"-"`
}

// NCOpen reports whether the finding's case is still being worked on.
func (f Finding) NCOpen() bool { return f.NCID != 0 && improvement.IsOpen(f.NCState) }

// FindingInput is a finding as the form gives it.
type FindingInput struct {
	Kind        string
	Clause      string
	Requirement string
	Evidence    string
	ItemID      int64
}

// Validate checks and normalises the input.
func (in *FindingInput) Validate() error {
	v := apperr.Validation{}
	in.Clause = strings.TrimSpace(in.Clause)
	in.Requirement = strings.TrimSpace(textutil.CleanText(in.Requirement))
	in.Evidence = strings.TrimSpace(textutil.CleanText(in.Evidence))
	if !slices.Contains(FindingKinds, in.Kind) {
		v.Add("finding_kind", "error.choice")
	}
	if in.Clause == "" {
		v.Add("finding_clause", "error.required")
	} else if _, ok := frameworks.ISOClause(in.Clause); !ok {
		v.Add("finding_clause", "error.choice")
	}
	if tooLong(in.Requirement, MaxText) {
		v.Add("finding_requirement", "error.too_long")
	}
	switch {
	case in.Evidence == "":
		v.Add("finding_evidence", "error.required")
	case tooLong(in.Evidence, MaxText):
		v.Add("finding_evidence", "error.too_long")
	}
	return v.Err()
}

const findingColumns = `f.id, f.audit_id, f.seq, f.kind, f.clause, f.requirement, f.evidence, COALESCE(f.item_id, 0), COALESCE(f.nc_id, 0), f.by_name, f.created_at,
	COALESCE(n.code, ''), COALESCE(n.state, '')`

const findingFrom = ` FROM audit_findings f LEFT JOIN nonconformities n ON n.id = f.nc_id AND n.tenant_id = f.tenant_id`

func scanFindings(rows *sql.Rows) ([]Finding, error) {
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.ID, &f.AuditID, &f.Seq, &f.Kind, &f.Clause, &f.Requirement, &f.Evidence, &f.ItemID, &f.NCID, &f.ByName, &f.CreatedAt, &f.NCCode, &f.NCState); err != nil {
			return nil, fmt.Errorf("cannot read findings: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func findingsOf(ctx context.Context, q querier, tenant, id int64) ([]Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+findingColumns+findingFrom+` WHERE f.tenant_id = $1 AND f.audit_id = $2 ORDER BY f.seq`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read findings: %w", err)
	}
	return scanFindings(rows)
}

// Findings lists an audit's findings with the code and state of the case
// each opened.
func (s *Service) Findings(ctx context.Context, a auth.Actor, id int64) ([]Finding, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	return findingsOf(ctx, s.DB.R, a.Tenant, id)
}

// RecordFinding records a finding of an audit under way and, in the same
// transaction, opens its case in the nonconformity register (source:
// internal audit, the audit's code as reference, the finding as the
// record that raised it).
func (s *Service) RecordFinding(ctx context.Context, a auth.Actor, id int64, in FindingInput) (Finding, error) {
	if err := in.Validate(); err != nil {
		return Finding{}, err
	}
	now := s.Clock.Now()
	var out Finding
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !MayConduct(a, x) {
			return apperr.Forbidden(string(auth.PermAuditsConduct))
		}
		if x.State != StateInProgress && x.State != StateReporting {
			return apperr.Conflict("audits.error.not_under_way")
		}
		if in.ItemID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_checklist WHERE tenant_id = $1 AND audit_id = $2 AND id = $3`, a.Tenant, id, in.ItemID).Scan(&n); err != nil {
				return fmt.Errorf("cannot read checklist: %w", err)
			} else if n == 0 {
				return apperr.Validation{"finding_item": "error.choice"}
			}
		}
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_findings WHERE tenant_id = $1 AND audit_id = $2`, a.Tenant, id).Scan(&seq); err != nil {
			return fmt.Errorf("cannot number finding: %w", err)
		}
		var fid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_findings (tenant_id, audit_id, seq, kind, clause, requirement, evidence, item_id, by_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, a.Tenant, id, seq, in.Kind, in.Clause, in.Requirement, in.Evidence, nullID(in.ItemID), a.Name, now).Scan(&fid); err != nil {
			return fmt.Errorf("cannot record finding: %w", err)
		}
		desc := "Constatare: " + in.Evidence
		if in.Requirement != "" {
			desc = "Cerința: " + in.Requirement + "\n\n" + desc
		}
		desc += fmt.Sprintf("\n\nAuditul intern %s, constatarea nr. %d.", x.Code, seq)
		process := x.Process
		if process == "" {
			process = x.Title
		}
		nc, err := s.Improve.Raise(ctx, tx, a, improvement.NCInput{Title: clip(fmt.Sprintf("%s/%d: %s", x.Code, seq, firstLine(in.Evidence)), 300), Description: desc,
			Source: improvement.SourceInternalAudit, SourceRef: x.Code, SourceModule: Module, SourceEntity: "audit_finding", SourceID: fid,
			Process: clip(process, 200), UnitID: x.UnitID, Clause: in.Clause, Severity: in.Kind})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_findings SET nc_id = $1 WHERE tenant_id = $2 AND id = $3`, nc.ID, a.Tenant, fid); err != nil {
			return fmt.Errorf("cannot link finding: %w", err)
		}
		out = Finding{ID: fid, AuditID: id, Seq: seq, Kind: in.Kind, Clause: in.Clause, Requirement: in.Requirement, Evidence: in.Evidence, ItemID: in.ItemID,
			NCID: nc.ID, ByName: a.Name, CreatedAt: now, NCCode: nc.Code, NCState: nc.State}
		if _, err := tx.ExecContext(ctx, `UPDATE internal_audits SET updated_at = $1 WHERE tenant_id = $2 AND id = $3`, now, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot update audit: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "audit_finding", EntityID: fid,
			Summary: fmt.Sprintf("%s/%d %s → %s", x.Code, seq, in.Kind, nc.Code), After: out})
	})
	return out, err
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
