package caf

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// Evidence is a piece of evidence for a sub-criterion.
type Evidence struct {
	ID       int64
	CycleID  int64
	Sub      string
	Kind     string
	Entity   string // for records in Cadran: "document", "kpi", "nonconformity"...
	EntityID int64
	Title    string
	Href     string
	Notes    string
	AddedBy  string
	Created  time.Time
}

// EvidenceInput adds evidence; for a document or an indicator the title and
// link are read from the record (EntityID), which must be the institution's.
type EvidenceInput struct {
	Sub      string
	Kind     string
	Entity   string
	EntityID int64
	Title    string
	Href     string
	Notes    string
}

// Record entities evidence of kind record may name, with their pages.
const (
	RecordNonconformity = "nonconformity"
	RecordRisk          = "risk"
	RecordInternalAudit = "internal_audit"
	RecordReview        = "review"
)

// RecordEntities lists the registers evidence of kind record comes from.
var RecordEntities = []string{RecordNonconformity, RecordRisk, RecordInternalAudit, RecordReview}

// Survey criteria: a staff survey summary is evidence for criterion 7
// (people results), a citizen survey summary for criterion 6.
const (
	StaffSurveyCriterion   = "7"
	CitizenSurveyCriterion = "6"
)

// linked reads the title and page of a record of the institution that
// evidence points to: a document, a KPI, or a register entry. The SQL is
// plain so the caf package depends on no other domain package.
func linked(ctx context.Context, q querier, tenant int64, entity string, id int64) (title, href string, err error) {
	var query, page string
	switch entity {
	case "document":
		query, page = `SELECT code || ' ' || title FROM documents WHERE tenant_id = $1 AND id = $2`, "/documents/%d"
	case "kpi":
		query, page = `SELECT code || ' ' || name FROM scorecard_kpis WHERE tenant_id = $1 AND id = $2`, "/scorecard/kpis/%d"
	case RecordNonconformity:
		query, page = `SELECT code || ' ' || title FROM nonconformities WHERE tenant_id = $1 AND id = $2`, "/nonconformities/%d"
	case RecordRisk:
		query, page = `SELECT code || ' ' || description FROM risks WHERE tenant_id = $1 AND id = $2`, "/risks/%d"
	case RecordInternalAudit:
		query, page = `SELECT code || ' ' || title FROM internal_audits WHERE tenant_id = $1 AND id = $2`, "/audits/%d"
	case RecordReview:
		query, page = `SELECT code || ' ' || title FROM reviews WHERE tenant_id = $1 AND id = $2`, "/reviews/%d"
	default:
		return "", "", apperr.Validation{"caf_ev_entity": "error.choice"}
	}
	err = q.QueryRowContext(ctx, query, tenant, id).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", apperr.Validation{"caf_ev_entity_id": "error.choice"}
	}
	if err != nil {
		return "", "", fmt.Errorf("cannot read evidence record: %w", err)
	}
	return clip(title, MaxTitle), fmt.Sprintf(page, id), nil
}

// validate checks the input against the cycle's model: form fields
// caf_ev_sub, caf_ev_kind, caf_ev_entity, caf_ev_entity_id, caf_ev_title,
// caf_ev_href, caf_ev_notes.
func (in *EvidenceInput) validate(model frameworks.CAF) error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Href = strings.TrimSpace(in.Href)
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	in.Entity = strings.TrimSpace(in.Entity)
	if _, ok := model.Sub(in.Sub); !ok {
		v.Add("caf_ev_sub", "error.choice")
	}
	if !slices.Contains(EvidenceKinds, in.Kind) {
		v.Add("caf_ev_kind", "error.choice")
	}
	switch in.Kind {
	case EvidenceDocument, EvidenceIndicator, EvidenceRecord:
		if in.EntityID <= 0 {
			v.Add("caf_ev_entity_id", "error.required")
		}
		if in.Kind == EvidenceRecord && !slices.Contains(RecordEntities, in.Entity) {
			v.Add("caf_ev_entity", "error.choice")
		}
	case EvidenceStaffSurvey, EvidenceCitizenSurvey, EvidenceNote:
		in.Entity, in.EntityID = "", 0
		if in.Title == "" {
			v.Add("caf_ev_title", "error.required")
		}
		crit := map[string]string{EvidenceStaffSurvey: StaffSurveyCriterion, EvidenceCitizenSurvey: CitizenSurveyCriterion}[in.Kind]
		if crit != "" && frameworks.Chapter(in.Sub) != crit {
			v.Add("caf_ev_sub", "caf.error.survey_criterion_"+crit)
		}
		if in.Href != "" && !strings.HasPrefix(in.Href, "https://") && !strings.HasPrefix(in.Href, "http://") {
			v.Add("caf_ev_href", "caf.error.href")
		}
	}
	if utf8.RuneCountInString(in.Title) > MaxTitle {
		v.Add("caf_ev_title", "error.too_long")
	}
	if utf8.RuneCountInString(in.Href) > 1000 {
		v.Add("caf_ev_href", "error.too_long")
	}
	if utf8.RuneCountInString(in.Notes) > MaxText {
		v.Add("caf_ev_notes", "error.too_long")
	}
	return v.Err()
}

const evidenceColumns = `id, cycle_id, subcriterion, kind, entity, COALESCE(entity_id, 0), title, href, notes, added_by, created_at`

func scanEvidence(row interface{ Scan(...any) error }) (Evidence, error) {
	var e Evidence
	err := row.Scan(&e.ID, &e.CycleID, &e.Sub, &e.Kind, &e.Entity, &e.EntityID, &e.Title, &e.Href, &e.Notes, &e.AddedBy, &e.Created)
	return e, err
}

func evidenceOf(ctx context.Context, q querier, tenant int64, c Cycle) ([]Evidence, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+evidenceColumns+` FROM caf_evidence WHERE tenant_id = $1 AND cycle_id = $2 ORDER BY id`, tenant, c.ID)
	if err != nil {
		return nil, fmt.Errorf("cannot read CAF evidence: %w", err)
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read CAF evidence: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// In the model's order of sub-criteria, then as added.
	order := map[string]int{}
	for i, s := range c.CAF().Subs() {
		order[s.Code] = i
	}
	slices.SortStableFunc(out, func(x, y Evidence) int { return order[x.Sub] - order[y.Sub] })
	return out, nil
}

// EvidenceOf lists a cycle's evidence by sub-criterion.
func (s *Service) EvidenceOf(ctx context.Context, a auth.Actor, cycleID int64) ([]Evidence, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return nil, err
	}
	return evidenceOf(ctx, s.DB.R, a.Tenant, c)
}

// mayGather reads a cycle for a change of its evidence: managers, the
// leader and the group's members, while the cycle is open.
func mayGather(ctx context.Context, tx *sql.Tx, a auth.Actor, cycleID int64) (Cycle, error) {
	if err := a.Require(auth.PermCAFView); err != nil {
		return Cycle{}, err
	}
	c, err := getCycle(ctx, tx, a.Tenant, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	if !MayManage(a, c) {
		if _, ok, err := member(ctx, tx, a.Tenant, c, a.PersonID); err != nil {
			return Cycle{}, err
		} else if !ok {
			return Cycle{}, errNotMember
		}
	}
	if !c.Open() {
		return Cycle{}, apperr.Conflict("caf.error.not_open")
	}
	return c, nil
}

// AddEvidence links evidence to a sub-criterion (members and managers).
func (s *Service) AddEvidence(ctx context.Context, a auth.Actor, cycleID int64, in EvidenceInput) (Evidence, error) {
	now := s.Clock.Now()
	var out Evidence
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := mayGather(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if err := in.validate(c.CAF()); err != nil {
			return err
		}
		switch in.Kind {
		case EvidenceDocument:
			in.Entity = "document"
		case EvidenceIndicator:
			in.Entity = "kpi"
		}
		if in.EntityID != 0 {
			if in.Title, in.Href, err = linked(ctx, tx, a.Tenant, in.Entity, in.EntityID); err != nil {
				return err
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO caf_evidence (tenant_id, cycle_id, subcriterion, kind, entity, entity_id, title, href, notes, added_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			a.Tenant, cycleID, in.Sub, in.Kind, in.Entity, nullID(in.EntityID), in.Title, in.Href, in.Notes, a.Name, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record CAF evidence: %w", err)
		}
		if out, err = scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM caf_evidence WHERE tenant_id = $1 AND id = $2`, a.Tenant, id)); err != nil {
			return fmt.Errorf("cannot read CAF evidence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityEvidence, EntityID: id,
			Summary: c.Code + " " + in.Sub + ": " + clip(out.Title, 120), After: out})
	})
	return out, err
}

// RemoveEvidence unlinks evidence.
func (s *Service) RemoveEvidence(ctx context.Context, a auth.Actor, cycleID, id int64) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := mayGather(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		before, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM caf_evidence WHERE tenant_id = $1 AND cycle_id = $2 AND id = $3`, a.Tenant, cycleID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound(EntityEvidence)
		}
		if err != nil {
			return fmt.Errorf("cannot read CAF evidence: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM caf_evidence WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot remove CAF evidence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityEvidence, EntityID: id,
			Summary: c.Code + " " + before.Sub + ": " + clip(before.Title, 120), Before: before})
	})
}
