package audits

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
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Auditor is a person of the institution registered as internal auditor,
// with their qualifications.
type Auditor struct {
	ID        int64     `json:"id"`
	Tenant    int64     `json:"tenant_id"`
	PersonID  int64     `json:"person_id"`
	Active    bool      `json:"active"`
	Notes     string    `json:"notes,omitempty"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
	Version   int       `json:"version"`

	// Filled in by reads.
	Name           string          `json:"name"`
	JobTitle       string          `json:"-"`
	UnitID         int64           `json:"-"`
	UnitName       string          `json:"-"`
	Qualifications []Qualification `json:"-"`
}

// Qualification is a course, qualification or certificate of an auditor.
type Qualification struct {
	ID            int64     `json:"id"`
	AuditorID     int64     `json:"auditor_id"`
	Name          string    `json:"name"`
	Issuer        string    `json:"issuer,omitempty"`
	CertificateNo string    `json:"certificate_no,omitempty"`
	Hours         int       `json:"hours,omitempty"`
	IssuedOn      string    `json:"issued_on,omitempty"`
	ExpiresOn     string    `json:"expires_on,omitempty"`
	CreatedAt     time.Time `json:"-"`
	// FromTraining marks a certificate of the training records (ID is the
	// certificate's): shown with a link to it (Href), never deleted here.
	FromTraining bool   `json:"-"`
	Href         string `json:"-"`
}

// ExpiringDays is how close to its expiry a certificate is flagged.
const ExpiringDays = 60

// Expired reports whether the qualification expired before day.
func (q Qualification) Expired(day time.Time) bool {
	return q.ExpiresOn != "" && q.ExpiresOn < day.Format(time.DateOnly)
}

// Expiring reports whether the qualification expires within ExpiringDays
// of day (and has not expired yet).
func (q Qualification) Expiring(day time.Time) bool {
	return q.ExpiresOn != "" && !q.Expired(day) && q.ExpiresOn <= day.AddDate(0, 0, ExpiringDays).Format(time.DateOnly)
}

// Competence sums up an auditor's qualifications on a day.
type Competence struct {
	// Valid counts the qualifications in force; Hours their training hours.
	Valid, Hours int
	// Expired and Expiring count certificates past or near their expiry.
	Expired, Expiring int
	// Missing: no qualification in force at all.
	Missing bool
}

// Competence sums up the auditor's qualifications on day.
func (a Auditor) Competence(day time.Time) Competence {
	var c Competence
	for _, q := range a.Qualifications {
		switch {
		case q.Expired(day):
			c.Expired++
			continue
		case q.Expiring(day):
			c.Expiring++
		}
		c.Valid++
		c.Hours += q.Hours
	}
	c.Missing = c.Valid == 0
	return c
}

// AuditorInput registers a person as auditor or changes the entry.
type AuditorInput struct {
	PersonID int64
	Active   bool
	Notes    string
	Version  int
}

// QualificationInput is a qualification as the register's form gives it.
type QualificationInput struct {
	Name          string
	Issuer        string
	CertificateNo string
	Hours         int
	IssuedOn      string
	ExpiresOn     string
}

// Validate checks and normalises the input against today.
func (in *QualificationInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Name, in.Issuer, in.CertificateNo = textutil.Clean(in.Name), textutil.Clean(in.Issuer), textutil.Clean(in.CertificateNo)
	in.IssuedOn, in.ExpiresOn = strings.TrimSpace(in.IssuedOn), strings.TrimSpace(in.ExpiresOn)
	switch {
	case in.Name == "":
		v.Add("qualification_name", "error.required")
	case tooLong(in.Name, MaxShort):
		v.Add("qualification_name", "error.too_long")
	}
	if tooLong(in.Issuer, MaxShort) {
		v.Add("qualification_issuer", "error.too_long")
	}
	if tooLong(in.CertificateNo, 100) {
		v.Add("qualification_certificate", "error.too_long")
	}
	if in.Hours < 0 || in.Hours > 2000 {
		v.Add("qualification_hours", "error.range")
	}
	issued, okIssued := parseDay(in.IssuedOn)
	if in.IssuedOn != "" && !okIssued {
		v.Add("qualification_issued", "error.date")
	} else if okIssued && issued.After(today) {
		v.Add("qualification_issued", "audits.error.future")
	}
	if in.ExpiresOn != "" {
		if exp, ok := parseDay(in.ExpiresOn); !ok {
			v.Add("qualification_expires", "error.date")
		} else if okIssued && exp.Before(issued) {
			v.Add("qualification_expires", "audits.error.expiry_before_issue")
		}
	}
	return v.Err()
}

const auditorColumns = `r.id, r.tenant_id, r.person_id, r.active, r.notes, r.created_at, r.updated_at, r.version,
	p.full_name, p.job_title, COALESCE(p.unit_id, 0), COALESCE(u.name, '')`

const auditorFrom = ` FROM auditors r JOIN people p ON p.id = r.person_id LEFT JOIN units u ON u.id = p.unit_id`

func scanAuditor(row interface{ Scan(...any) error }) (Auditor, error) {
	var a Auditor
	err := row.Scan(&a.ID, &a.Tenant, &a.PersonID, &a.Active, &a.Notes, &a.CreatedAt, &a.UpdatedAt, &a.Version, &a.Name, &a.JobTitle, &a.UnitID, &a.UnitName)
	return a, err
}

func getAuditor(ctx context.Context, q querier, tenant, id int64) (Auditor, error) {
	a, err := scanAuditor(q.QueryRowContext(ctx, `SELECT `+auditorColumns+auditorFrom+` WHERE r.tenant_id = $1 AND r.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Auditor{}, apperr.NotFound("auditor")
	}
	if err != nil {
		return Auditor{}, fmt.Errorf("cannot read auditor: %w", err)
	}
	if a.Qualifications, err = qualificationsOf(ctx, q, tenant, []int64{a.ID}); err != nil {
		return Auditor{}, err
	}
	return a, nil
}

func qualificationsOf(ctx context.Context, q querier, tenant int64, auditorIDs []int64) ([]Qualification, error) {
	if len(auditorIDs) == 0 {
		return nil, nil
	}
	in, args := idList(auditorIDs, 2)
	rows, err := q.QueryContext(ctx, `SELECT id, auditor_id, name, issuer, certificate_no, hours, issued_on, expires_on, created_at
		FROM auditor_qualifications WHERE tenant_id = $1 AND auditor_id IN (`+in+`) ORDER BY auditor_id, issued_on DESC, id`, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read qualifications: %w", err)
	}
	defer rows.Close()
	var out []Qualification
	for rows.Next() {
		var x Qualification
		if err := rows.Scan(&x.ID, &x.AuditorID, &x.Name, &x.Issuer, &x.CertificateNo, &x.Hours, &x.IssuedOn, &x.ExpiresOn, &x.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot read qualifications: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// withTraining appends to each auditor's qualifications the certificates
// the training records hold for them (not revoked), newest first, after
// the register's own. The register's own stay alone in what the writes
// read (getAuditor in a transaction), so a delete never names a
// certificate.
func (s *Service) withTraining(ctx context.Context, tenant int64, list []Auditor) error {
	if s.Certificates == nil || len(list) == 0 {
		return nil
	}
	people := make([]int64, 0, len(list))
	for _, x := range list {
		people = append(people, x.PersonID)
	}
	certs, err := s.Certificates.PersonCertificates(ctx, tenant, people)
	if err != nil {
		return fmt.Errorf("cannot read the auditors' certificates: %w", err)
	}
	for i := range list {
		for _, c := range certs[list[i].PersonID] {
			list[i].Qualifications = append(list[i].Qualifications, Qualification{ID: c.ID, AuditorID: list[i].ID, Name: c.Name, Issuer: c.Issuer,
				CertificateNo: c.Number, Hours: c.Hours, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn, FromTraining: true, Href: c.Href})
		}
	}
	return nil
}

// Auditor returns one entry of the register, with the certificates of
// the training records among its qualifications.
func (s *Service) Auditor(ctx context.Context, a auth.Actor, id int64) (Auditor, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return Auditor{}, err
	}
	x, err := getAuditor(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Auditor{}, err
	}
	one := []Auditor{x}
	if err := s.withTraining(ctx, a.Tenant, one); err != nil {
		return Auditor{}, err
	}
	return one[0], nil
}

// Auditors lists the register, with each auditor's qualifications (the
// certificates of the training records among them); only the active ones
// when active is set.
func (s *Service) Auditors(ctx context.Context, a auth.Actor, active bool) ([]Auditor, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	list, err := listAuditors(ctx, s.DB.R, a.Tenant, active)
	if err != nil {
		return nil, err
	}
	if err := s.withTraining(ctx, a.Tenant, list); err != nil {
		return nil, err
	}
	return list, nil
}

func listAuditors(ctx context.Context, q querier, tenant int64, active bool) ([]Auditor, error) {
	where := ` WHERE r.tenant_id = $1`
	if active {
		where += ` AND r.active = TRUE AND p.active = TRUE`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+auditorColumns+auditorFrom+where+` ORDER BY p.full_name, r.id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list auditors: %w", err)
	}
	var out []Auditor
	ids := []int64{}
	for rows.Next() {
		x, err := scanAuditor(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read auditor: %w", err)
		}
		out = append(out, x)
		ids = append(ids, x.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	qs, err := qualificationsOf(ctx, q, tenant, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, x := range qs {
			if x.AuditorID == out[i].ID {
				out[i].Qualifications = append(out[i].Qualifications, x)
			}
		}
	}
	return out, nil
}

// AuditorsByPerson returns the register's entries of people, by person.
func (s *Service) AuditorsByPerson(ctx context.Context, a auth.Actor, people []int64) (map[int64]Auditor, error) {
	all, err := s.Auditors(ctx, a, false)
	if err != nil {
		return nil, err
	}
	out := map[int64]Auditor{}
	for _, x := range all {
		for _, p := range people {
			if x.PersonID == p {
				out[p] = x
			}
		}
	}
	return out, nil
}

// RegisterAuditor adds a person of the institution to the register.
func (s *Service) RegisterAuditor(ctx context.Context, a auth.Actor, in AuditorInput) (Auditor, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Auditor{}, err
	}
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	if tooLong(in.Notes, MaxText) {
		return Auditor{}, apperr.Validation{"auditor_notes": "error.too_long"}
	}
	now := s.Clock.Now()
	var out Auditor
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, in.PersonID).Scan(&active)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
			return apperr.Validation{"person_id": "error.choice"}
		}
		if err != nil {
			return fmt.Errorf("cannot read person: %w", err)
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO auditors (tenant_id, person_id, active, notes, created_at, updated_at) VALUES ($1, $2, TRUE, $3, $4, $4) RETURNING id`,
			a.Tenant, in.PersonID, in.Notes, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"person_id": "audits.error.auditor_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot register auditor: %w", err)
		}
		if out, err = getAuditor(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "auditor", EntityID: id, Summary: out.Name, After: out})
	})
	return out, err
}

// UpdateAuditor changes whether an auditor is active, and the notes; a
// stale Version is refused.
func (s *Service) UpdateAuditor(ctx context.Context, a auth.Actor, id int64, in AuditorInput) (Auditor, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Auditor{}, err
	}
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	if tooLong(in.Notes, MaxText) {
		return Auditor{}, apperr.Validation{"auditor_notes": "error.too_long"}
	}
	now := s.Clock.Now()
	var out Auditor
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getAuditor(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE auditors SET active = $1, notes = $2, updated_at = $3, version = version + 1 WHERE tenant_id = $4 AND id = $5 AND version = $6`,
			in.Active, in.Notes, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update auditor: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getAuditor(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "auditor", EntityID: id, Summary: out.Name, Before: before, After: out})
	})
	return out, err
}

// AddQualification records a course or certificate of an auditor.
func (s *Service) AddQualification(ctx context.Context, a auth.Actor, auditorID int64, in QualificationInput) (Qualification, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Qualification{}, err
	}
	now := s.Clock.Now()
	var out Qualification
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		au, err := getAuditor(ctx, tx, a.Tenant, auditorID)
		if err != nil {
			return err
		}
		if err := in.Validate(s.today()); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO auditor_qualifications (tenant_id, auditor_id, name, issuer, certificate_no, hours, issued_on, expires_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.Tenant, auditorID, in.Name, in.Issuer, in.CertificateNo, in.Hours, in.IssuedOn, in.ExpiresOn, now).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("cannot record qualification: %w", err)
		}
		out = Qualification{ID: out.ID, AuditorID: auditorID, Name: in.Name, Issuer: in.Issuer, CertificateNo: in.CertificateNo, Hours: in.Hours, IssuedOn: in.IssuedOn, ExpiresOn: in.ExpiresOn, CreatedAt: now}
		if _, err := tx.ExecContext(ctx, `UPDATE auditors SET updated_at = $1, version = version + 1 WHERE tenant_id = $2 AND id = $3`, now, a.Tenant, auditorID); err != nil {
			return fmt.Errorf("cannot update auditor: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "auditor_qualification", EntityID: out.ID,
			Summary: au.Name + ": " + out.Name, After: out})
	})
	return out, err
}

// DeleteQualification removes a qualification recorded by mistake.
func (s *Service) DeleteQualification(ctx context.Context, a auth.Actor, auditorID, qid int64) error {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		au, err := getAuditor(ctx, tx, a.Tenant, auditorID)
		if err != nil {
			return err
		}
		var before *Qualification
		for _, q := range au.Qualifications {
			if q.ID == qid {
				before = &q
			}
		}
		if before == nil {
			return apperr.NotFound("auditor_qualification")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM auditor_qualifications WHERE tenant_id = $1 AND auditor_id = $2 AND id = $3`, a.Tenant, auditorID, qid); err != nil {
			return fmt.Errorf("cannot delete qualification: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE auditors SET updated_at = $1, version = version + 1 WHERE tenant_id = $2 AND id = $3`, now, a.Tenant, auditorID); err != nil {
			return fmt.Errorf("cannot update auditor: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "auditor_qualification", EntityID: qid,
			Summary: au.Name + ": " + before.Name, Before: before})
	})
}
