package compliance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/improvement"
	"cadran/internal/textutil"
)

// Kinds of audit by the certification body.
const (
	KindStage1          = "stage1"          // initial audit, stage 1 (documentation, readiness)
	KindStage2          = "stage2"          // initial audit, stage 2 (certification)
	KindSurveillance1   = "surveillance_1"  // first surveillance, within 12 months of issue
	KindSurveillance2   = "surveillance_2"  // second surveillance, within 24 months
	KindRecertification = "recertification" // before the certificate expires
	KindSpecial         = "special"         // a short-notice or extension audit
)

// Kinds lists the kinds of external audit in cycle order.
var Kinds = []string{KindStage1, KindStage2, KindSurveillance1, KindSurveillance2, KindRecertification, KindSpecial}

// Results of an external audit: the body's recommendation.
const (
	ResultPending        = "pending"         // report awaited, or the audit is ahead
	ResultRecommended    = "recommended"     // certification granted or maintained
	ResultConditional    = "conditional"     // recommended once the major nonconformities are closed
	ResultNotRecommended = "not_recommended" // certification refused, suspended or withdrawn
)

// Results lists the results of an external audit.
var Results = []string{ResultPending, ResultRecommended, ResultConditional, ResultNotRecommended}

// ExternalAudit is an audit by the certification body.
type ExternalAudit struct {
	ID          int64     `json:"id"`
	Body        string    `json:"body"`
	Kind        string    `json:"kind"`
	StartsOn    string    `json:"starts_on"`
	EndsOn      string    `json:"ends_on"`
	LeadAuditor string    `json:"lead_auditor,omitempty"`
	Result      string    `json:"result"`
	ReportRef   string    `json:"report_ref,omitempty"`
	Notes       string    `json:"notes,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by lists: findings by severity and those still open.
	Findings     map[string]int `json:"-"`
	FindingsOpen int            `json:"-"`
}

// FindingCount is the number of findings of the audit.
func (x ExternalAudit) FindingCount() int {
	n := 0
	for _, k := range x.Findings {
		n += k
	}
	return n
}

// Held reports whether the audit has begun by today.
func (x ExternalAudit) Held(today time.Time) bool { return x.StartsOn <= dayString(today) }

// Finding is a finding of an external audit and the nonconformity it
// opened in the register.
type Finding struct {
	ID        int64     `json:"id"`
	AuditID   int64     `json:"audit_id"`
	Position  int       `json:"position"`
	Severity  string    `json:"severity"`
	Clause    string    `json:"clause,omitempty"`
	Text      string    `json:"text"`
	UnitID    int64     `json:"unit_id,omitempty"`
	NCID      int64     `json:"nc_id,omitempty"`
	CreatedAt time.Time `json:"-"`

	// Filled in by reads.
	UnitName string `json:"-"`
	NCCode   string `json:"-"`
	NCState  string `json:"-"`
}

// Open reports whether the nonconformity the finding opened is still open.
func (f Finding) Open() bool { return improvement.IsOpen(f.NCState) }

// AuditInput is what the external audit form gives.
type AuditInput struct {
	Body        string
	Kind        string
	StartsOn    string
	EndsOn      string // empty: the same day
	LeadAuditor string
	Result      string
	ReportRef   string
	Notes       string
	Version     int
}

// Validate checks and normalises the input against today.
func (in *AuditInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Body = textutil.Clean(in.Body)
	in.LeadAuditor = textutil.Clean(in.LeadAuditor)
	in.ReportRef = textutil.Clean(in.ReportRef)
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	in.StartsOn, in.EndsOn = strings.TrimSpace(in.StartsOn), strings.TrimSpace(in.EndsOn)
	switch {
	case in.Body == "":
		v.Add("cmp_body", "error.required")
	case tooLong(in.Body, MaxShort):
		v.Add("cmp_body", "error.too_long")
	}
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("cmp_kind", "error.choice")
	}
	if in.Result == "" {
		in.Result = ResultPending
	}
	if !slices.Contains(Results, in.Result) {
		v.Add("cmp_result", "error.choice")
	}
	start, okStart := parseDay(in.StartsOn)
	if !okStart {
		v.Add("cmp_starts_on", "error.date")
	}
	if in.EndsOn == "" {
		in.EndsOn = in.StartsOn
	}
	if end, ok := parseDay(in.EndsOn); !ok {
		v.Add("cmp_ends_on", "error.date")
	} else if okStart && end.Before(start) {
		v.Add("cmp_ends_on", "compliance.error.ends_before")
	}
	if okStart && start.After(today) && in.Result != ResultPending {
		v.Add("cmp_result", "compliance.error.result_future")
	}
	if tooLong(in.LeadAuditor, MaxShort) {
		v.Add("cmp_lead_auditor", "error.too_long")
	}
	if tooLong(in.ReportRef, MaxShort) {
		v.Add("cmp_report_ref", "error.too_long")
	}
	if tooLong(in.Notes, MaxText) {
		v.Add("note", "error.too_long")
	}
	return v.Err()
}

const auditColumns = `x.id, x.body, x.kind, x.starts_on, x.ends_on, x.lead_auditor, x.result, x.report_ref, x.notes, x.created_at, x.updated_at, x.version`

func scanAudit(row interface{ Scan(...any) error }) (ExternalAudit, error) {
	var x ExternalAudit
	err := row.Scan(&x.ID, &x.Body, &x.Kind, &x.StartsOn, &x.EndsOn, &x.LeadAuditor, &x.Result, &x.ReportRef, &x.Notes, &x.CreatedAt, &x.UpdatedAt, &x.Version)
	return x, err
}

func getAudit(ctx context.Context, q querier, tenant, id int64) (ExternalAudit, error) {
	x, err := scanAudit(q.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM compliance_external_audits x WHERE x.tenant_id = $1 AND x.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ExternalAudit{}, apperr.NotFound("external_audit")
	}
	if err != nil {
		return ExternalAudit{}, errRead("external audit", err)
	}
	return x, nil
}

// ExternalAudit returns one audit of the certification body.
func (s *Service) ExternalAudit(ctx context.Context, a auth.Actor, id int64) (ExternalAudit, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return ExternalAudit{}, err
	}
	return getAudit(ctx, s.DB.R, a.Tenant, id)
}

func auditSearch(in AuditInput) string {
	return textutil.Fold(strings.Join([]string{in.Body, in.LeadAuditor, in.ReportRef, in.Notes}, " "))
}

// CreateAudit records an audit of the certification body (held, or
// planned with its dates). The certificate's deadlines follow: the task to
// prepare a surveillance is done once that audit is recorded.
func (s *Service) CreateAudit(ctx context.Context, a auth.Actor, in AuditInput) (ExternalAudit, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return ExternalAudit{}, err
	}
	if err := in.Validate(s.today()); err != nil {
		return ExternalAudit{}, err
	}
	now := s.Clock.Now()
	var out ExternalAudit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO compliance_external_audits (tenant_id, body, kind, starts_on, ends_on, lead_auditor, result, report_ref, notes, search_text,
				created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			a.Tenant, in.Body, in.Kind, in.StartsOn, in.EndsOn, in.LeadAuditor, in.Result, in.ReportRef, in.Notes, auditSearch(in), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record external audit: %w", err)
		}
		var err error
		if out, err = getAudit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "external_audit", EntityID: id,
			Summary: out.Kind + " " + out.StartsOn + " " + clip(out.Body, 80), After: out}); err != nil {
			return err
		}
		return s.syncCycleTasks(ctx, tx, a)
	})
	return out, err
}

// UpdateAudit changes an external audit; a stale Version is refused.
func (s *Service) UpdateAudit(ctx context.Context, a auth.Actor, id int64, in AuditInput) (ExternalAudit, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return ExternalAudit{}, err
	}
	if err := in.Validate(s.today()); err != nil {
		return ExternalAudit{}, err
	}
	now := s.Clock.Now()
	var out ExternalAudit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM compliance_external_findings WHERE tenant_id = $1 AND audit_id = $2`, a.Tenant, id).Scan(&n); err != nil {
			return errRead("findings", err)
		}
		if n > 0 && in.StartsOn > dayString(s.today()) {
			return apperr.Validation{"cmp_starts_on": "compliance.error.findings_future"}
		}
		res, err := tx.ExecContext(ctx, `UPDATE compliance_external_audits SET body = $1, kind = $2, starts_on = $3, ends_on = $4, lead_auditor = $5, result = $6,
				report_ref = $7, notes = $8, search_text = $9, updated_at = $10, version = version + 1
			WHERE tenant_id = $11 AND id = $12 AND version = $13`,
			in.Body, in.Kind, in.StartsOn, in.EndsOn, in.LeadAuditor, in.Result, in.ReportRef, in.Notes, auditSearch(in), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update external audit: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.Stale()
		}
		if out, err = getAudit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "external_audit", EntityID: id,
			Summary: out.Kind + " " + out.StartsOn + " " + clip(out.Body, 80), Before: before, After: out}); err != nil {
			return err
		}
		return s.syncCycleTasks(ctx, tx, a)
	})
	return out, err
}

// AuditFilter narrows the list of external audits.
type AuditFilter struct {
	Query  string // body, lead auditor, report, notes; diacritics ignored
	Kind   string
	Result string
	Year   int
	Sort   string // date, kind, body, result; "-" reverses; empty is newest first
	Limit  int
	Offset int
}

var auditSorts = map[string]string{"date": "x.starts_on", "kind": "x.kind", "body": "x.body", "result": "x.result"}

// AuditSorts lists the sort keys of the list.
func AuditSorts() []string { return []string{"date", "kind", "body", "result"} }

// ExternalAudits lists the audits of the certification body and the total
// matching the filter, with their findings counted.
func (s *Service) ExternalAudits(ctx context.Context, a auth.Actor, f AuditFilter) ([]ExternalAudit, int, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE x.tenant_id = $1`
	args := []any{a.Tenant}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, db.LikePattern(q))
		where += fmt.Sprintf(` AND x.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += fmt.Sprintf(` AND x.kind = $%d`, len(args))
	}
	if f.Result != "" {
		args = append(args, f.Result)
		where += fmt.Sprintf(` AND x.result = $%d`, len(args))
	}
	if f.Year != 0 {
		args = append(args, fmt.Sprintf("%04d-", f.Year)+"%")
		where += fmt.Sprintf(` AND x.starts_on LIKE $%d`, len(args))
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM compliance_external_audits x`+where, args...).Scan(&total); err != nil {
		return nil, 0, errRead("external audits", err)
	}
	sort := f.Sort
	if sort == "" {
		sort = "-date"
	}
	order, args := db.OrderPage(auditSorts, sort, "date", "x.id DESC", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+auditColumns+` FROM compliance_external_audits x`+where+order, args...)
	if err != nil {
		return nil, 0, errRead("external audits", err)
	}
	var out []ExternalAudit
	idx := map[int64]int{}
	for rows.Next() {
		x, err := scanAudit(rows)
		if err != nil {
			rows.Close()
			return nil, 0, errRead("external audits", err)
		}
		x.Findings = map[string]int{}
		idx[x.ID] = len(out)
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, errRead("external audits", err)
	}
	if len(out) == 0 {
		return out, total, nil
	}
	// The findings of the audits on the page.
	ph := make([]string, 0, len(out))
	fargs := []any{a.Tenant}
	for _, x := range out {
		fargs = append(fargs, x.ID)
		ph = append(ph, fmt.Sprintf("$%d", len(fargs)))
	}
	frows, err := s.DB.R.QueryContext(ctx, `SELECT f.audit_id, f.severity, COALESCE(n.state, '') FROM compliance_external_findings f
		LEFT JOIN nonconformities n ON n.id = f.nc_id AND n.tenant_id = f.tenant_id
		WHERE f.tenant_id = $1 AND f.audit_id IN (`+strings.Join(ph, ", ")+`)`, fargs...)
	if err != nil {
		return nil, 0, errRead("findings", err)
	}
	defer frows.Close()
	for frows.Next() {
		var id int64
		var sev, state string
		if err := frows.Scan(&id, &sev, &state); err != nil {
			return nil, 0, errRead("findings", err)
		}
		x := &out[idx[id]]
		x.Findings[sev]++
		if improvement.IsOpen(state) {
			x.FindingsOpen++
		}
	}
	return out, total, frows.Err()
}

// FindingInput is what the finding form gives.
type FindingInput struct {
	Severity string
	Clause   string
	Text     string
	UnitID   int64
}

// Validate checks and normalises the input.
func (in *FindingInput) Validate() error {
	v := apperr.Validation{}
	in.Text = strings.TrimSpace(textutil.CleanText(in.Text))
	in.Clause = strings.TrimSpace(in.Clause)
	if !slices.Contains(improvement.Severities, in.Severity) {
		v.Add("severity", "error.choice")
	}
	if in.Clause != "" && !validClause(in.Clause) {
		v.Add("clause", "error.choice")
	}
	switch {
	case in.Text == "":
		v.Add("cmp_finding", "error.required")
	case tooLong(in.Text, improvement.MaxText):
		v.Add("cmp_finding", "error.too_long")
	}
	return v.Err()
}

const findingColumns = `f.id, f.audit_id, f.position, f.severity, f.clause, f.text, COALESCE(f.unit_id, 0), COALESCE(f.nc_id, 0), f.created_at,
	COALESCE(u.name, ''), COALESCE(n.code, ''), COALESCE(n.state, '')`

const findingFrom = ` FROM compliance_external_findings f LEFT JOIN units u ON u.id = f.unit_id
	LEFT JOIN nonconformities n ON n.id = f.nc_id AND n.tenant_id = f.tenant_id`

func scanFinding(row interface{ Scan(...any) error }) (Finding, error) {
	var f Finding
	err := row.Scan(&f.ID, &f.AuditID, &f.Position, &f.Severity, &f.Clause, &f.Text, &f.UnitID, &f.NCID, &f.CreatedAt, &f.UnitName, &f.NCCode, &f.NCState)
	return f, err
}

func findingsOf(ctx context.Context, q querier, tenant, auditID int64) ([]Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+findingColumns+findingFrom+` WHERE f.tenant_id = $1 AND f.audit_id = $2 ORDER BY f.position`, tenant, auditID)
	if err != nil {
		return nil, errRead("findings", err)
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, errRead("findings", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Findings lists an external audit's findings in order.
func (s *Service) Findings(ctx context.Context, a auth.Actor, auditID int64) ([]Finding, error) {
	if _, err := s.ExternalAudit(ctx, a, auditID); err != nil {
		return nil, err
	}
	return findingsOf(ctx, s.DB.R, a.Tenant, auditID)
}

// AddFinding records a finding of an external audit that has begun and, in
// the same transaction, opens its case in the nonconformity register
// (source: external audit), linked back to the finding. An opportunity for
// improvement or an observation opens a case too: the quality office
// decides in the register what to do with it.
func (s *Service) AddFinding(ctx context.Context, a auth.Actor, auditID int64, in FindingInput) (Finding, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Finding{}, err
	}
	if err := in.Validate(); err != nil {
		return Finding{}, err
	}
	if s.Improve == nil {
		return Finding{}, errors.New("cannot record finding: no nonconformity register")
	}
	now := s.Clock.Now()
	today := s.today()
	var out Finding
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, auditID)
		if err != nil {
			return err
		}
		if !x.Held(today) {
			return apperr.Conflict("compliance.error.not_held")
		}
		if in.UnitID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, a.Tenant, in.UnitID).Scan(&n); err != nil {
				return fmt.Errorf("cannot check unit: %w", err)
			}
			if n == 0 {
				return apperr.Validation{"unit_id": "error.choice"}
			}
		}
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM compliance_external_findings WHERE tenant_id = $1 AND audit_id = $2`, a.Tenant, auditID).Scan(&pos); err != nil {
			return errRead("findings", err)
		}
		if pos >= MaxFindings {
			return apperr.Conflict("compliance.error.too_many_findings")
		}
		pos++
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO compliance_external_findings (tenant_id, audit_id, position, severity, clause, text, unit_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.Tenant, auditID, pos, in.Severity, in.Clause, in.Text, nullID(in.UnitID), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record finding: %w", err)
		}
		detected := x.EndsOn
		if detected > dayString(today) {
			detected = dayString(today)
		}
		ref := fmt.Sprintf("%s, %s %s, constatarea %d", x.Body, kindRO[x.Kind], x.StartsOn[:4], pos)
		if x.ReportRef != "" {
			ref = fmt.Sprintf("%s (%s), constatarea %d", x.ReportRef, x.Body, pos)
		}
		nc, err := s.Improve.Raise(ctx, tx, a, improvement.NCInput{Title: clip(in.Text, 160), Description: in.Text, Source: improvement.SourceExternalAudit,
			SourceRef: clip(ref, 300), SourceModule: Module, SourceEntity: "external_finding", SourceID: id, UnitID: in.UnitID, Clause: in.Clause,
			Severity: in.Severity, DetectedOn: detected})
		if err != nil {
			if v, ok := apperr.AsValidation(err); ok {
				return remapNCErrors(v)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE compliance_external_findings SET nc_id = $1 WHERE id = $2`, nc.ID, id); err != nil {
			return fmt.Errorf("cannot link finding: %w", err)
		}
		row := tx.QueryRowContext(ctx, `SELECT `+findingColumns+findingFrom+` WHERE f.tenant_id = $1 AND f.id = $2`, a.Tenant, id)
		if out, err = scanFinding(row); err != nil {
			return errRead("finding", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "external_finding", EntityID: id,
			Summary: fmt.Sprintf("%s: %s → %s", x.StartsOn, clip(in.Text, 80), nc.Code), After: out})
	})
	return out, err
}

// remapNCErrors names the register's fields as the finding form does.
func remapNCErrors(v apperr.Validation) apperr.Validation {
	out := apperr.Validation{}
	for k, key := range v {
		switch k {
		case "title", "description":
			out["cmp_finding"] = key
		case "severity", "clause", "unit_id":
			out[k] = key
		default:
			out["cmp_finding"] = key
		}
	}
	return out
}

// kindRO names the kinds in the register's source reference, which is
// written once, in the institution's language.
var kindRO = map[string]string{
	KindStage1: "auditul inițial etapa 1", KindStage2: "auditul de certificare (etapa 2)", KindSurveillance1: "auditul de supraveghere 1",
	KindSurveillance2: "auditul de supraveghere 2", KindRecertification: "auditul de recertificare", KindSpecial: "auditul special",
}
