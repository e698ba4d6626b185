package compliance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Certificate is a certificate of conformity with ISO 9001, valid three
// years, with surveillance audits in its first and second year and the
// recertification audit before it expires.
type Certificate struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number"`
	Body      string    `json:"body"`
	Standard  string    `json:"standard"`
	Scope     string    `json:"scope,omitempty"`
	IssuedOn  string    `json:"issued_on"`
	ExpiresOn string    `json:"expires_on"`
	Notes     string    `json:"notes,omitempty"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
	Version   int       `json:"version"`
}

// DefaultStandard is the standard as the Romanian body writes it.
const DefaultStandard = "SR EN ISO 9001:2015"

// ValidityYears is how long a certificate is valid by default.
const ValidityYears = 3

// PrepareDays is how long before an external audit's deadline the quality
// manager is asked to prepare it.
const PrepareDays = 60

// ExpiringDays is how close to expiry a certificate shows as expiring.
const ExpiringDays = 90

// Certificate states.
const (
	CertNone     = "none"
	CertValid    = "valid"
	CertExpiring = "expiring"
	CertExpired  = "expired"
)

// Milestone is one deadline of a certificate's cycle and the audit that
// met it, if recorded.
type Milestone struct {
	Kind string // KindSurveillance1, KindSurveillance2, KindRecertification
	// Due is the last day the audit may be held.
	Due string
	// Prepare is the due day of the quality manager's task.
	Prepare string
	// AuditID and AuditOn: the audit recorded for it (planned or held).
	AuditID int64
	AuditOn string
	Held    bool
	Overdue bool
}

// Cycle is a certificate's three-year cycle as of a day.
type Cycle struct {
	Certificate *Certificate
	State       string // a Cert constant
	Milestones  []Milestone
	// Next is the first milestone not yet held; nil when the cycle is done
	// or there is no certificate.
	Next *Milestone
	// Audits are the external audits that fall in the cycle, in date order.
	Audits []ExternalAudit
}

// CertInput is what the certificate form gives.
type CertInput struct {
	Number    string
	Body      string
	Standard  string
	Scope     string
	IssuedOn  string
	ExpiresOn string // empty: three years after issue
	Notes     string
	Version   int
}

// Validate checks and normalises the input against today.
func (in *CertInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Number, in.Body, in.Standard = textutil.Clean(in.Number), textutil.Clean(in.Body), textutil.Clean(in.Standard)
	in.Scope = strings.TrimSpace(textutil.CleanText(in.Scope))
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	in.IssuedOn, in.ExpiresOn = strings.TrimSpace(in.IssuedOn), strings.TrimSpace(in.ExpiresOn)
	if in.Standard == "" {
		in.Standard = DefaultStandard
	}
	for field, val := range map[string]string{"cmp_cert_number": in.Number, "cmp_body": in.Body} {
		switch {
		case val == "":
			v.Add(field, "error.required")
		case tooLong(val, MaxShort):
			v.Add(field, "error.too_long")
		}
	}
	if tooLong(in.Standard, MaxShort) {
		v.Add("cmp_standard", "error.too_long")
	}
	if tooLong(in.Scope, MaxText) {
		v.Add("cmp_scope_text", "error.too_long")
	}
	if tooLong(in.Notes, MaxText) {
		v.Add("note", "error.too_long")
	}
	issued, ok := parseDay(in.IssuedOn)
	switch {
	case !ok:
		v.Add("cmp_issued_on", "error.date")
	case issued.After(today):
		v.Add("cmp_issued_on", "compliance.error.future")
	}
	if in.ExpiresOn == "" && ok {
		in.ExpiresOn = dayString(issued.AddDate(ValidityYears, 0, 0))
	}
	if exp, eok := parseDay(in.ExpiresOn); !eok {
		v.Add("cmp_expires_on", "error.date")
	} else if ok && !exp.After(issued) {
		v.Add("cmp_expires_on", "compliance.error.expires_before")
	}
	return v.Err()
}

const certColumns = `id, number, body, standard, scope, issued_on, expires_on, notes, created_at, updated_at, version`

func scanCert(row interface{ Scan(...any) error }) (Certificate, error) {
	var c Certificate
	err := row.Scan(&c.ID, &c.Number, &c.Body, &c.Standard, &c.Scope, &c.IssuedOn, &c.ExpiresOn, &c.Notes, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	return c, err
}

func getCert(ctx context.Context, q querier, tenant, id int64) (Certificate, error) {
	c, err := scanCert(q.QueryRowContext(ctx, `SELECT `+certColumns+` FROM compliance_certificates WHERE tenant_id = $1 AND id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Certificate{}, apperr.NotFound("certificate")
	}
	if err != nil {
		return Certificate{}, errRead("certificate", err)
	}
	return c, nil
}

func certificates(ctx context.Context, q querier, tenant int64) ([]Certificate, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+certColumns+` FROM compliance_certificates WHERE tenant_id = $1 ORDER BY issued_on DESC, id DESC`, tenant)
	if err != nil {
		return nil, errRead("certificates", err)
	}
	defer rows.Close()
	var out []Certificate
	for rows.Next() {
		c, err := scanCert(rows)
		if err != nil {
			return nil, errRead("certificates", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Certificate returns one certificate.
func (s *Service) Certificate(ctx context.Context, a auth.Actor, id int64) (Certificate, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Certificate{}, err
	}
	return getCert(ctx, s.DB.R, a.Tenant, id)
}

// Certificates lists the institution's certificates, the newest first.
func (s *Service) Certificates(ctx context.Context, a auth.Actor) ([]Certificate, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, err
	}
	return certificates(ctx, s.DB.R, a.Tenant)
}

func allAudits(ctx context.Context, q querier, tenant int64) ([]ExternalAudit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+auditColumns+` FROM compliance_external_audits x WHERE x.tenant_id = $1 ORDER BY x.starts_on, x.id`, tenant)
	if err != nil {
		return nil, errRead("external audits", err)
	}
	defer rows.Close()
	var out []ExternalAudit
	for rows.Next() {
		x, err := scanAudit(rows)
		if err != nil {
			return nil, errRead("external audits", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// CycleOf derives a certificate's cycle from the audits recorded, as of
// today: surveillance 1 within 12 months of issue, surveillance 2 within
// 24, recertification before expiry. An audit of the right kind held (or
// planned) between issue and expiry meets its milestone.
func CycleOf(c *Certificate, audits []ExternalAudit, today time.Time) Cycle {
	cy := Cycle{Certificate: c, State: CertNone}
	if c == nil {
		return cy
	}
	t := dayString(today)
	switch {
	case c.ExpiresOn < t:
		cy.State = CertExpired
	case c.ExpiresOn <= dayString(today.AddDate(0, 0, ExpiringDays)):
		cy.State = CertExpiring
	default:
		cy.State = CertValid
	}
	issued, _ := parseDay(c.IssuedOn)
	for _, m := range []Milestone{
		{Kind: KindSurveillance1, Due: dayString(issued.AddDate(1, 0, 0))},
		{Kind: KindSurveillance2, Due: dayString(issued.AddDate(2, 0, 0))},
		{Kind: KindRecertification, Due: c.ExpiresOn},
	} {
		if m.Due > c.ExpiresOn {
			m.Due = c.ExpiresOn
		}
		due, _ := parseDay(m.Due)
		m.Prepare = dayString(due.AddDate(0, 0, -PrepareDays))
		for _, x := range audits {
			if x.Kind == m.Kind && x.StartsOn >= c.IssuedOn && x.StartsOn <= c.ExpiresOn {
				m.AuditID, m.AuditOn, m.Held = x.ID, x.StartsOn, x.StartsOn <= t
				break
			}
		}
		m.Overdue = m.AuditID == 0 && m.Due < t
		cy.Milestones = append(cy.Milestones, m)
	}
	for i := range cy.Milestones {
		if !cy.Milestones[i].Held {
			cy.Next = &cy.Milestones[i]
			break
		}
	}
	// The audits of the cycle: from the initial audit (or the
	// recertification) that led to it up to its expiry.
	from := c.IssuedOn
	for _, x := range audits {
		if (x.Kind == KindStage1 || x.Kind == KindStage2 || x.Kind == KindRecertification) && x.StartsOn <= c.IssuedOn && x.StartsOn >= dayString(issued.AddDate(-1, 0, 0)) {
			if x.StartsOn < from {
				from = x.StartsOn
			}
		}
	}
	for _, x := range audits {
		if x.StartsOn >= from && x.StartsOn <= c.ExpiresOn {
			cy.Audits = append(cy.Audits, x)
		}
	}
	return cy
}

// Cycle returns the cycle of the current certificate (the latest issued).
func (s *Service) Cycle(ctx context.Context, a auth.Actor) (Cycle, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Cycle{}, err
	}
	return s.cycle(ctx, s.DB.R, a.Tenant)
}

func (s *Service) cycle(ctx context.Context, q querier, tenant int64) (Cycle, error) {
	certs, err := certificates(ctx, q, tenant)
	if err != nil {
		return Cycle{}, err
	}
	audits, err := allAudits(ctx, q, tenant)
	if err != nil {
		return Cycle{}, err
	}
	if len(certs) == 0 {
		return Cycle{State: CertNone, Audits: audits}, nil
	}
	return CycleOf(&certs[0], audits, s.today()), nil
}

// CreateCertificate records a certificate (after a certification or a
// recertification audit); its deadlines reach the quality manager's inbox.
func (s *Service) CreateCertificate(ctx context.Context, a auth.Actor, in CertInput) (Certificate, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Certificate{}, err
	}
	if err := in.Validate(s.today()); err != nil {
		return Certificate{}, err
	}
	now := s.Clock.Now()
	var out Certificate
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO compliance_certificates (tenant_id, number, body, standard, scope, issued_on, expires_on, notes, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, a.Tenant, in.Number, in.Body, in.Standard, in.Scope, in.IssuedOn, in.ExpiresOn, in.Notes, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record certificate: %w", err)
		}
		var err error
		if out, err = getCert(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "compliance_certificate", EntityID: id,
			Summary: out.Number + " " + out.IssuedOn + "–" + out.ExpiresOn, After: out}); err != nil {
			return err
		}
		return s.syncCycleTasks(ctx, tx, a)
	})
	return out, err
}

// UpdateCertificate changes a certificate; a stale Version is refused. The
// tasks move with its dates.
func (s *Service) UpdateCertificate(ctx context.Context, a auth.Actor, id int64, in CertInput) (Certificate, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Certificate{}, err
	}
	if err := in.Validate(s.today()); err != nil {
		return Certificate{}, err
	}
	now := s.Clock.Now()
	var out Certificate
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getCert(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE compliance_certificates SET number = $1, body = $2, standard = $3, scope = $4, issued_on = $5, expires_on = $6, notes = $7,
			updated_at = $8, version = version + 1 WHERE tenant_id = $9 AND id = $10 AND version = $11`,
			in.Number, in.Body, in.Standard, in.Scope, in.IssuedOn, in.ExpiresOn, in.Notes, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update certificate: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getCert(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "compliance_certificate", EntityID: id,
			Summary: out.Number + " " + out.IssuedOn + "–" + out.ExpiresOn, Before: before, After: out}); err != nil {
			return err
		}
		return s.syncCycleTasks(ctx, tx, a)
	})
	return out, err
}

func milestoneRef(certID int64, kind string) work.Ref {
	return work.Ref{Module: Module, Entity: "certificate_" + kind, ID: certID}
}

// MilestoneTitle is how the quality manager's task names a deadline, in the
// institution's language.
var milestoneTitle = map[string]string{
	KindSurveillance1:   "Pregătirea auditului de supraveghere 1",
	KindSurveillance2:   "Pregătirea auditului de supraveghere 2",
	KindRecertification: "Pregătirea auditului de recertificare",
}

var readinessOf = map[string]string{KindSurveillance1: ReadySurveillance, KindSurveillance2: ReadySurveillance, KindRecertification: ReadyRecertification}

// syncCycleTasks makes the quality manager's inbox follow the certificates:
// for the current certificate, one task per deadline not yet met, due
// PrepareDays before it (moved when the dates change, done when its audit
// is recorded); the tasks of older certificates are cancelled.
func (s *Service) syncCycleTasks(ctx context.Context, tx *sql.Tx, a auth.Actor) error {
	certs, err := certificates(ctx, tx, a.Tenant)
	if err != nil {
		return err
	}
	if len(certs) == 0 {
		return nil
	}
	audits, err := allAudits(ctx, tx, a.Tenant)
	if err != nil {
		return err
	}
	for _, c := range certs[1:] {
		for _, k := range []string{KindSurveillance1, KindSurveillance2, KindRecertification} {
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: milestoneRef(c.ID, k)}, work.StateCancelled); err != nil {
				return err
			}
		}
	}
	cur := certs[0]
	cy := CycleOf(&cur, audits, s.today())
	for _, m := range cy.Milestones {
		ref := milestoneRef(cur.ID, m.Kind)
		if m.AuditID != 0 {
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref}, work.StateDone); err != nil {
				return err
			}
			continue
		}
		var open []string
		rows, err := tx.QueryContext(ctx, `SELECT due_on FROM tasks WHERE tenant_id = $1 AND module = $2 AND entity = $3 AND entity_id = $4 AND state = 'open'`,
			a.Tenant, ref.Module, ref.Entity, ref.ID)
		if err != nil {
			return errRead("tasks", err)
		}
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return errRead("tasks", err)
			}
			open = append(open, d)
		}
		rows.Close()
		if len(open) == 1 && open[0] == m.Prepare {
			continue // already there
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref}, work.StateCancelled); err != nil {
			return err
		}
		due, _ := parseDay(m.Prepare)
		deadline, _ := parseDay(m.Due)
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: ref, Kind: work.KindAct,
			Title: milestoneTitle[m.Kind] + " (certificatul nr. " + cur.Number + ")",
			Details: fmt.Sprintf("Organismul de certificare (%s) trebuie să efectueze auditul până la %s. Programați auditul, verificați pregătirea (lipsurile din matricea de conformitate) și închideți constatările deschise.",
				cur.Body, deadline.Format("02.01.2006")),
			Link: "/compliance/readiness?audit=" + readinessOf[m.Kind], Assignee: work.Assignee{Role: auth.RoleQualityManager}, Due: due}); err != nil {
			return err
		}
	}
	return nil
}
