package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Certificate is a certificate a person holds.
type Certificate struct {
	ID              int64     `json:"id"`
	Tenant          int64     `json:"tenant_id"`
	PersonID        int64     `json:"person_id"`
	EnrolmentID     int64     `json:"enrolment_id,omitempty"`
	ProgrammeID     int64     `json:"programme_id,omitempty"`
	CompetenceID    int64     `json:"competence_id,omitempty"`
	CompetenceLevel int       `json:"competence_level,omitempty"`
	Name            string    `json:"name"`
	Number          string    `json:"number,omitempty"`
	Issuer          string    `json:"issuer,omitempty"`
	Hours           int       `json:"hours,omitempty"`
	IssuedOn        string    `json:"issued_on"`
	ExpiresOn       string    `json:"expires_on,omitempty"`
	ScanSHA256      string    `json:"scan_sha256,omitempty"`
	ScanName        string    `json:"scan_name,omitempty"`
	ScanType        string    `json:"scan_type,omitempty"`
	ScanSize        int64     `json:"scan_size,omitempty"`
	RenewsID        int64     `json:"renews_id,omitempty"`
	Revoked         bool      `json:"revoked"`
	Notes           string    `json:"notes,omitempty"`
	CreatedAt       time.Time `json:"-"`
	UpdatedAt       time.Time `json:"-"`
	Version         int       `json:"version"`

	// Filled in by reads.
	PersonName, UnitName, ProgrammeCode, CompetenceName string `json:"-"`
	UnitID                                              int64  `json:"-"`
	// RenewedBy is the certificate that renewed this one, 0 none.
	RenewedBy int64 `json:"-"`
}

// Expired reports whether the certificate expired before day.
func (c Certificate) Expired(day time.Time) bool {
	return c.ExpiresOn != "" && c.ExpiresOn < day.Format(time.DateOnly)
}

// Expiring reports whether the certificate expires within days of day
// (and has not expired yet).
func (c Certificate) Expiring(day time.Time, days int) bool {
	return c.ExpiresOn != "" && !c.Expired(day) && c.ExpiresOn <= day.AddDate(0, 0, days).Format(time.DateOnly)
}

// HasScan reports whether a scan is stored.
func (c Certificate) HasScan() bool { return c.ScanSHA256 != "" }

// Href is the certificate's page.
func (c Certificate) Href() string { return "/training/certificates/" + strconv.FormatInt(c.ID, 10) }

// CertificateInput records or changes a certificate. With an EnrolmentID,
// the person, programme, competence and hours come from the enrolment.
type CertificateInput struct {
	PersonID        int64
	EnrolmentID     int64
	ProgrammeID     int64
	CompetenceID    int64
	CompetenceLevel int
	Name            string
	Number          string
	Issuer          string
	Hours           int
	IssuedOn        string
	ExpiresOn       string // empty with a programme that sets a validity: computed from it
	RenewsID        int64
	Notes           string
	Version         int
}

// Upload is a scan as the form gives it; the size and type are checked
// before anything is stored.
type Upload struct {
	Name string
	Type string // the declared content type; the content is sniffed too
	Body io.Reader
}

// MaxScanSize limits a certificate scan.
const MaxScanSize = 10 << 20

// Limits of the certificate form.
const (
	MaxCertName   = 300
	MaxCertShort  = 200 // number, issuer
	MaxCertNotes  = 4000
	MaxCertHours  = 2000
	MaxScanName   = 200
	MaxValidMonth = 120 // a competence's validity, in months
)

// Field names of the certificate form, as its errors name them.
const (
	FieldCertPerson     = "cert_person_id"
	FieldCertEnrolment  = "cert_enrolment_id"
	FieldCertProgramme  = "cert_programme_id"
	FieldCertCompetence = "cert_competence_id"
	FieldCertLevel      = "cert_competence_level"
	FieldCertName       = "cert_name"
	FieldCertNumber     = "cert_number"
	FieldCertIssuer     = "cert_issuer"
	FieldCertHours      = "cert_hours"
	FieldCertIssued     = "cert_issued_on"
	FieldCertExpires    = "cert_expires_on"
	FieldCertRenews     = "cert_renews_id"
	FieldCertNotes      = "cert_notes"
	FieldCertScan       = "cert_scan"
)

// Expiry states of the certificate list's filter.
const (
	ExpiryValid   = "valid"    // in force (not revoked, not expired), expiring ones included
	ExpiringSoon  = "expiring" // in force, lapses within the renewal days, not renewed
	ExpiryExpired = "expired"  // lapsed and not renewed
	ExpiryRevoked = "revoked"
)

// certSortIssued is the certificate list's default order (newest first).
const certSortIssued = "issued"

// ExpiryStates lists the filter's expiry states.
var ExpiryStates = []string{ExpiryValid, ExpiringSoon, ExpiryExpired, ExpiryRevoked}

// CertificateSorts lists the certificate list's sort keys.
var CertificateSorts = []string{"person", "name", "issued", "expires"}

// CertificateFilter narrows the certificate list.
type CertificateFilter struct {
	Query    string
	PersonID int64
	UnitID   int64
	// Expiry: "" all, "valid", "expiring" (within the renewal days),
	// "expired", "revoked".
	Expiry  string
	Sort    string // person, name, issued, expires
	Desc    bool
	Page    int
	PerPage int
}

// CertificatePage is one page of certificates.
type CertificatePage struct {
	Items []Certificate
	Total int
}

// ScanTypes are the content types a scan may have, as sniffed.
var ScanTypes = []string{"application/pdf", "image/jpeg", "image/png"}

const certColumns = `c.id, c.tenant_id, c.person_id, COALESCE(c.enrolment_id, 0), COALESCE(c.programme_id, 0), COALESCE(c.competence_id, 0),
	c.competence_level, c.name, c.number, c.issuer, c.hours, c.issued_on, c.expires_on, c.scan_sha256, c.scan_name, c.scan_type, c.scan_size,
	COALESCE(c.renews_id, 0), c.revoked, c.notes, c.created_at, c.updated_at, c.version,
	p.full_name, COALESCE(p.unit_id, 0), COALESCE(u.name, ''), COALESCE(pr.code, ''), COALESCE(k.name, ''), COALESCE(rn.renewed_by, 0)`

// certFrom joins what a certificate's reads fill in; the renewals are
// grouped once ($1 is the tenant), as renews_id has no index of its own.
const certFrom = ` FROM training_certificates c
	JOIN people p ON p.id = c.person_id
	LEFT JOIN units u ON u.id = p.unit_id
	LEFT JOIN training_programmes pr ON pr.id = c.programme_id
	LEFT JOIN training_competences k ON k.id = c.competence_id
	LEFT JOIN (SELECT renews_id, MIN(id) AS renewed_by FROM training_certificates
		WHERE tenant_id = $1 AND revoked = FALSE AND renews_id IS NOT NULL GROUP BY renews_id) rn ON rn.renews_id = c.id`

// certNotRenewed keeps the certificates no certificate in force renews.
const certNotRenewed = ` AND c.id NOT IN (SELECT renews_id FROM training_certificates WHERE tenant_id = $1 AND revoked = FALSE AND renews_id IS NOT NULL)`

func certScan(row interface{ Scan(...any) error }) (Certificate, error) {
	var c Certificate
	err := row.Scan(&c.ID, &c.Tenant, &c.PersonID, &c.EnrolmentID, &c.ProgrammeID, &c.CompetenceID,
		&c.CompetenceLevel, &c.Name, &c.Number, &c.Issuer, &c.Hours, &c.IssuedOn, &c.ExpiresOn, &c.ScanSHA256, &c.ScanName, &c.ScanType, &c.ScanSize,
		&c.RenewsID, &c.Revoked, &c.Notes, &c.CreatedAt, &c.UpdatedAt, &c.Version,
		&c.PersonName, &c.UnitID, &c.UnitName, &c.ProgrammeCode, &c.CompetenceName, &c.RenewedBy)
	return c, err
}

func certGet(ctx context.Context, q querier, tenant, id int64) (Certificate, error) {
	c, err := certScan(q.QueryRowContext(ctx, `SELECT `+certColumns+certFrom+` WHERE c.tenant_id = $1 AND c.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Certificate{}, apperr.NotFound(EntityCert)
	}
	if err != nil {
		return Certificate{}, fmt.Errorf("cannot read certificate: %w", err)
	}
	return c, nil
}

// certFolds are the Romanian letters folded in SQL, capitals included
// (SQLite's LOWER changes only ASCII letters).
var certFolds = [][2]string{{"ă", "a"}, {"â", "a"}, {"î", "i"}, {"ș", "s"}, {"ş", "s"}, {"ț", "t"}, {"ţ", "t"},
	{"Ă", "a"}, {"Â", "a"}, {"Î", "i"}, {"Ș", "s"}, {"Ş", "s"}, {"Ț", "t"}, {"Ţ", "t"}}

// certMaxTexts is how many distinct certificate names and issuers a
// search folds in Go; an institution with more folds them in SQL.
const certMaxTexts = 2000

// certMatchingTexts lists the institution's distinct certificate names and
// issuers whose folded text contains folded. Certificates repeat a few
// names and issuers (those of the programmes and providers), so folding
// these in Go spares SQL folding every certificate's name and issuer with
// nested REPLACE calls, which cost most of a search on a large institution.
// ok is false when there are too many distinct texts.
func certMatchingTexts(ctx context.Context, q *sql.DB, tenant int64, folded string) (names, issuers []string, ok bool, err error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT 0, name FROM training_certificates WHERE tenant_id = $1
		UNION ALL SELECT DISTINCT 1, issuer FROM training_certificates WHERE tenant_id = $1 AND issuer <> '' LIMIT $2`, tenant, certMaxTexts+1)
	if err != nil {
		return nil, nil, false, fmt.Errorf("cannot search certificates: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var kind int
		var text string
		if err := rows.Scan(&kind, &text); err != nil {
			return nil, nil, false, fmt.Errorf("cannot search certificates: %w", err)
		}
		if n++; n > certMaxTexts {
			return nil, nil, false, rows.Err()
		}
		if !strings.Contains(textutil.Fold(text), folded) {
			continue
		}
		if kind == 0 {
			names = append(names, text)
		} else {
			issuers = append(issuers, text)
		}
	}
	return names, issuers, rows.Err() == nil, rows.Err()
}

// certInList is placeholders for texts, appended to args.
func certInList(texts []string, args []any) (string, []any) {
	ph := make([]string, len(texts))
	for i, t := range texts {
		args = append(args, t)
		ph[i] = fmt.Sprintf("$%d", len(args))
	}
	return strings.Join(ph, ", "), args
}

// certFoldSQL is col folded as textutil.Fold folds Romanian text, in SQL
// both engines run: the certificates keep no search column, and a search
// for "calitatii" must find "calității".
func certFoldSQL(col string) string {
	out := "LOWER(" + col + ")"
	for _, f := range certFolds {
		out = "REPLACE(" + out + ", '" + f[0] + "', '" + f[1] + "')"
	}
	return out
}

// certToday is the civil day in Bucharest.
func (s *Service) certToday() time.Time { return work.Day(s.Clock.Now()) }

// Certificates lists certificates: everyone's for the records permission,
// one's own (a head of unit: their units') otherwise.
func (s *Service) Certificates(ctx context.Context, a auth.Actor, f CertificateFilter) (CertificatePage, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return CertificatePage{}, err
	}
	sc, err := sesScopeOf(ctx, s.DB.R, a)
	if err != nil {
		return CertificatePage{}, err
	}
	st, err := settingsOf(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return CertificatePage{}, err
	}
	today := s.certToday()
	where := ` WHERE c.tenant_id = $1`
	args := []any{a.Tenant}
	var pred string
	pred, args = sc.predicate("p", args)
	where += pred
	if f.PersonID != 0 {
		args = append(args, f.PersonID)
		where += fmt.Sprintf(` AND c.person_id = $%d`, len(args))
	}
	if f.UnitID != 0 {
		units, err := compSubtree(ctx, s.DB.R, a.Tenant, f.UnitID)
		if err != nil {
			return CertificatePage{}, err
		}
		var list string
		list, args = sesInList(units, args)
		where += ` AND p.unit_id IN (` + list + `)`
	}
	if q := textutil.Clean(f.Query); q != "" {
		folded := textutil.Fold(q)
		args = append(args, db.LikePattern(folded), db.LikePattern(strings.ToLower(q)))
		n := len(args)
		cond := fmt.Sprintf(`p.search_text LIKE $%[1]d ESCAPE '\' OR LOWER(c.number) LIKE $%[2]d ESCAPE '\'`, n-1, n)
		names, issuers, ok, err := certMatchingTexts(ctx, s.DB.R, a.Tenant, folded)
		if err != nil {
			return CertificatePage{}, err
		}
		if ok {
			// The few names and issuers that match, compared as they are.
			for i, list := range [][]string{names, issuers} {
				if len(list) > 0 {
					var in string
					in, args = certInList(list, args)
					cond += ` OR ` + []string{"c.name", "c.issuer"}[i] + ` IN (` + in + `)`
				}
			}
		} else {
			cond += fmt.Sprintf(` OR %[2]s LIKE $%[1]d ESCAPE '\' OR %[3]s LIKE $%[1]d ESCAPE '\'`, n-1, certFoldSQL("c.name"), certFoldSQL("c.issuer"))
		}
		where += ` AND (` + cond + `)`
	}
	day := today.Format(time.DateOnly)
	notRenewed := certNotRenewed
	switch f.Expiry {
	case ExpiryValid:
		args = append(args, day)
		where += fmt.Sprintf(` AND c.revoked = FALSE AND (c.expires_on = '' OR c.expires_on >= $%d)`, len(args))
	case ExpiringSoon:
		args = append(args, day, today.AddDate(0, 0, st.RenewalDays).Format(time.DateOnly))
		where += fmt.Sprintf(` AND c.revoked = FALSE AND c.expires_on <> '' AND c.expires_on >= $%d AND c.expires_on <= $%d`, len(args)-1, len(args)) + notRenewed
	case ExpiryExpired:
		args = append(args, day)
		where += fmt.Sprintf(` AND c.revoked = FALSE AND c.expires_on <> '' AND c.expires_on < $%d`, len(args)) + notRenewed
	case ExpiryRevoked:
		where += ` AND c.revoked = TRUE`
	}
	var out CertificatePage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_certificates c JOIN people p ON p.id = c.person_id`+where, args...).Scan(&out.Total); err != nil {
		return CertificatePage{}, fmt.Errorf("cannot count certificates: %w", err)
	}
	sorts := map[string]string{"person": "p.sort_name", "name": "c.name", "issued": "c.issued_on", "expires": "c.expires_on"}
	key := f.Sort
	if key == "" {
		key = "-" + certSortIssued
	} else if f.Desc {
		key = "-" + key
	}
	per := f.PerPage
	if per <= 0 || per > db.MaxPageSize {
		per = db.DefaultPageSize
	}
	order, args := db.OrderPage(sorts, key, certSortIssued, "c.id", per, (max(1, f.Page)-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+certColumns+certFrom+where+order, args...)
	if err != nil {
		return CertificatePage{}, fmt.Errorf("cannot list certificates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := certScan(rows)
		if err != nil {
			return CertificatePage{}, fmt.Errorf("cannot read certificate: %w", err)
		}
		out.Items = append(out.Items, c)
	}
	return out, rows.Err()
}

// Certificate reads a certificate.
func (s *Service) Certificate(ctx context.Context, a auth.Actor, id int64) (Certificate, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Certificate{}, err
	}
	c, err := certGet(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Certificate{}, err
	}
	sc, err := sesScopeOf(ctx, s.DB.R, a)
	if err != nil {
		return Certificate{}, err
	}
	if !compSees(sc, c.PersonID, c.UnitID) {
		return Certificate{}, apperr.NotFound(EntityCert)
	}
	return c, nil
}

// normalise cleans the input and checks what needs no database.
func (in *CertificateInput) normalise(v apperr.Validation, today time.Time) {
	in.Name, in.Number, in.Issuer = textutil.Clean(in.Name), textutil.Clean(in.Number), textutil.Clean(in.Issuer)
	in.Notes = textutil.CleanText(in.Notes)
	in.IssuedOn, in.ExpiresOn = strings.TrimSpace(in.IssuedOn), strings.TrimSpace(in.ExpiresOn)
	if len([]rune(in.Name)) > MaxCertName {
		v.Add(FieldCertName, "error.too_long")
	}
	if len([]rune(in.Number)) > MaxCertShort {
		v.Add(FieldCertNumber, "error.too_long")
	}
	if len([]rune(in.Issuer)) > MaxCertShort {
		v.Add(FieldCertIssuer, "error.too_long")
	}
	if len([]rune(in.Notes)) > MaxCertNotes {
		v.Add(FieldCertNotes, "error.too_long")
	}
	if in.Hours < 0 || in.Hours > MaxCertHours {
		v.Add(FieldCertHours, "error.range")
	}
	if in.CompetenceLevel == 0 {
		in.CompetenceLevel = LevelBasic
	}
	if in.CompetenceLevel < LevelBasic || in.CompetenceLevel > LevelExpert {
		v.Add(FieldCertLevel, "error.choice")
	}
	issued, ok := parseDay(in.IssuedOn)
	switch {
	case in.IssuedOn == "":
		v.Add(FieldCertIssued, "error.required")
	case !ok:
		v.Add(FieldCertIssued, "error.date")
	case issued.After(today):
		v.Add(FieldCertIssued, "trainingcomp.error.issued_future")
	}
	if in.ExpiresOn != "" {
		exp, eok := parseDay(in.ExpiresOn)
		switch {
		case !eok:
			v.Add(FieldCertExpires, "error.date")
		case ok && exp.Before(issued):
			v.Add(FieldCertExpires, "trainingcomp.error.expiry_before_issue")
		}
	}
}

// certResolve fills in what the enrolment and the programme give and
// checks the references against the institution: the person (active), the
// enrolment (completed), the programme, the competence, the certificate
// renewed (the same person's). self is the certificate being changed, 0 a
// new one; its holder (held) may have left since, so a correction of an
// old certificate is not refused.
func certResolve(ctx context.Context, q querier, tenant, self, held int64, in *CertificateInput, v apperr.Validation) error {
	if in.EnrolmentID != 0 {
		var person, programme int64
		var state string
		var hours float64
		err := q.QueryRowContext(ctx, `SELECT e.person_id, e.state, e.hours, s.programme_id FROM training_enrolments e
			JOIN training_sessions s ON s.id = e.session_id WHERE e.tenant_id = $1 AND e.id = $2`, tenant, in.EnrolmentID).Scan(&person, &state, &hours, &programme)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(FieldCertEnrolment, "error.choice")
		case err != nil:
			return fmt.Errorf("cannot read enrolment: %w", err)
		case state != EnrolCompleted:
			v.Add(FieldCertEnrolment, "trainingcomp.error.enrolment_not_completed")
		default:
			in.PersonID, in.ProgrammeID, in.Hours = person, programme, int(hours+0.5)
		}
	}
	if in.ProgrammeID != 0 {
		var title, cert string
		var months, level int
		var comp int64
		err := q.QueryRowContext(ctx, `SELECT title, certificate, certificate_months, COALESCE(competence_id, 0), competence_level
			FROM training_programmes WHERE tenant_id = $1 AND id = $2`, tenant, in.ProgrammeID).Scan(&title, &cert, &months, &comp, &level)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(FieldCertProgramme, "error.choice")
		case err != nil:
			return fmt.Errorf("cannot read programme: %w", err)
		default:
			if in.Name == "" {
				in.Name = cert
				if in.Name == "" {
					in.Name = title
				}
			}
			if in.CompetenceID == 0 && comp != 0 {
				in.CompetenceID = comp
				if level >= LevelBasic && level <= LevelExpert {
					in.CompetenceLevel = level
				}
			}
			if in.ExpiresOn == "" && months > 0 {
				if issued, ok := parseDay(in.IssuedOn); ok {
					in.ExpiresOn = compAddMonths(issued, months).Format(time.DateOnly)
				}
			}
		}
	}
	if in.Name == "" {
		v.Add(FieldCertName, "error.required")
	}
	if in.PersonID == 0 {
		if in.EnrolmentID == 0 {
			v.Add(FieldCertPerson, "error.required")
		}
	} else {
		var active bool
		err := q.QueryRowContext(ctx, `SELECT active FROM people WHERE tenant_id = $1 AND id = $2`, tenant, in.PersonID).Scan(&active)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(FieldCertPerson, "error.choice")
		case err != nil:
			return fmt.Errorf("cannot read person: %w", err)
		case !active && in.PersonID != held:
			v.Add(FieldCertPerson, "trainingcomp.error.person_inactive")
		}
	}
	if in.CompetenceID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_competences WHERE tenant_id = $1 AND id = $2`, tenant, in.CompetenceID).Scan(&n); err != nil {
			return fmt.Errorf("cannot read competence: %w", err)
		}
		if n == 0 {
			v.Add(FieldCertCompetence, "error.choice")
		}
	}
	if in.RenewsID != 0 {
		var person int64
		err := q.QueryRowContext(ctx, `SELECT person_id FROM training_certificates WHERE tenant_id = $1 AND id = $2`, tenant, in.RenewsID).Scan(&person)
		switch {
		case errors.Is(err, sql.ErrNoRows) || in.RenewsID == self:
			v.Add(FieldCertRenews, "error.choice")
		case err != nil:
			return fmt.Errorf("cannot read certificate: %w", err)
		case person != in.PersonID:
			v.Add(FieldCertRenews, "trainingcomp.error.renews_other_person")
		}
	}
	return nil
}

// certCheck validates the input against today and the database.
func (s *Service) certCheck(ctx context.Context, q querier, tenant, self int64, in *CertificateInput) error {
	v := apperr.Validation{}
	in.normalise(v, s.certToday())
	var held int64
	if self != 0 {
		if err := q.QueryRowContext(ctx, `SELECT person_id FROM training_certificates WHERE tenant_id = $1 AND id = $2`, tenant, self).Scan(&held); err != nil {
			return fmt.Errorf("cannot read certificate: %w", err)
		}
	}
	if err := certResolve(ctx, q, tenant, self, held, in, v); err != nil {
		return err
	}
	return v.Err()
}

// certStored is a scan stored in the blob store.
type certStored struct {
	sum, name, typ string
	size           int64
}

// certSniff reads the head of a scan and checks its type: PDF, JPEG or
// PNG as the content says, whatever the name or the declared type.
func certSniff(up *Upload) (io.Reader, string, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(up.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, "", fmt.Errorf("cannot read scan: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return nil, "", apperr.Validation{FieldCertScan: "trainingcomp.error.scan_empty"}
	}
	typ := certContentType(head)
	if typ == "" {
		return nil, "", apperr.Validation{FieldCertScan: "trainingcomp.error.scan_type"}
	}
	return io.MultiReader(strings.NewReader(string(head)), up.Body), typ, nil
}

// certContentType is the sniffed type of a scan's head, "" when not one
// of ScanTypes.
func certContentType(head []byte) string {
	typ, _, _ := strings.Cut(http.DetectContentType(head), ";")
	for _, t := range ScanTypes {
		if typ == t {
			return t
		}
	}
	return ""
}

// certStore checks and stores a scan; nothing is written when it is
// refused.
func (s *Service) certStore(up *Upload) (certStored, error) {
	if s.Files == nil {
		return certStored{}, apperr.Validation{FieldCertScan: "trainingcomp.error.uploads_off"}
	}
	name := textutil.Clean(up.Name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || len([]rune(name)) > MaxScanName {
		return certStored{}, apperr.Validation{FieldCertScan: "trainingcomp.error.scan_name"}
	}
	body, typ, err := certSniff(up)
	if err != nil {
		return certStored{}, err
	}
	sum, size, err := s.Files.Put(body, MaxScanSize)
	if errors.Is(err, blob.ErrTooLarge) {
		return certStored{}, apperr.Validation{FieldCertScan: "trainingcomp.error.scan_too_large"}
	}
	if err != nil {
		return certStored{}, fmt.Errorf("cannot store scan: %w", err)
	}
	return certStored{sum: sum, name: name, typ: typ, size: size}, nil
}

// CreateCertificate records a certificate with an optional scan. A
// certificate that expires gets a renewal task for its holder; the
// certificate it renews has its task closed. A certificate with a
// competence makes the person hold it until the expiry.
func (s *Service) CreateCertificate(ctx context.Context, a auth.Actor, in CertificateInput, scan *Upload) (Certificate, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Certificate{}, err
	}
	// Check everything before the scan is stored, so a refused form
	// leaves nothing behind.
	check := in
	if err := s.certCheck(ctx, s.DB.R, a.Tenant, 0, &check); err != nil {
		return Certificate{}, err
	}
	var stored certStored
	if scan != nil && scan.Body != nil {
		var err error
		if stored, err = s.certStore(scan); err != nil {
			return Certificate{}, err
		}
	}
	now := s.Clock.Now()
	var out Certificate
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.certCheck(ctx, tx, a.Tenant, 0, &in); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO training_certificates (tenant_id, person_id, enrolment_id, programme_id, competence_id, competence_level,
				name, number, issuer, hours, issued_on, expires_on, scan_sha256, scan_name, scan_type, scan_size, renews_id, revoked, notes, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, FALSE, $18, $19, $19) RETURNING id`,
			a.Tenant, in.PersonID, nullID(in.EnrolmentID), nullID(in.ProgrammeID), nullID(in.CompetenceID), in.CompetenceLevel,
			in.Name, in.Number, in.Issuer, in.Hours, in.IssuedOn, in.ExpiresOn, stored.sum, stored.name, stored.typ, stored.size, nullID(in.RenewsID), in.Notes, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("cannot record certificate: %w", err)
		}
		if out, err = certGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityCert, EntityID: id,
			Summary: out.PersonName + ": " + out.Name, After: out}); err != nil {
			return err
		}
		if err := s.certHeldSync(ctx, tx, a, out, now); err != nil {
			return err
		}
		st, err := settingsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if err := s.certRetask(ctx, tx, a, out, st); err != nil {
			return err
		}
		if out.RenewsID != 0 {
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: certRef(out.RenewsID)}, work.StateDone); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// UpdateCertificate changes a certificate (a new scan replaces the old).
func (s *Service) UpdateCertificate(ctx context.Context, a auth.Actor, id int64, in CertificateInput, scan *Upload) (Certificate, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Certificate{}, err
	}
	if _, err := certGet(ctx, s.DB.R, a.Tenant, id); err != nil {
		return Certificate{}, err
	}
	check := in
	if err := s.certCheck(ctx, s.DB.R, a.Tenant, id, &check); err != nil {
		return Certificate{}, err
	}
	var stored *certStored
	if scan != nil && scan.Body != nil {
		st, err := s.certStore(scan)
		if err != nil {
			return Certificate{}, err
		}
		stored = &st
	}
	now := s.Clock.Now()
	var out Certificate
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := certGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if before.Revoked {
			return apperr.Conflict("trainingcomp.error.revoked")
		}
		if err := s.certCheck(ctx, tx, a.Tenant, id, &in); err != nil {
			return err
		}
		sc := certStored{sum: before.ScanSHA256, name: before.ScanName, typ: before.ScanType, size: before.ScanSize}
		if stored != nil {
			sc = *stored
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_certificates SET person_id = $3, enrolment_id = $4, programme_id = $5, competence_id = $6, competence_level = $7,
				name = $8, number = $9, issuer = $10, hours = $11, issued_on = $12, expires_on = $13, scan_sha256 = $14, scan_name = $15, scan_type = $16, scan_size = $17,
				renews_id = $18, notes = $19, updated_at = $20, version = version + 1
			WHERE tenant_id = $1 AND id = $2 AND version = $21`,
			a.Tenant, id, in.PersonID, nullID(in.EnrolmentID), nullID(in.ProgrammeID), nullID(in.CompetenceID), in.CompetenceLevel,
			in.Name, in.Number, in.Issuer, in.Hours, in.IssuedOn, in.ExpiresOn, sc.sum, sc.name, sc.typ, sc.size, nullID(in.RenewsID), in.Notes, now, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update certificate: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("cannot update certificate: %w", err)
		} else if n == 0 {
			return apperr.Stale()
		}
		if out, err = certGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityCert, EntityID: id,
			Summary: out.PersonName + ": " + out.Name, Before: before, After: out}); err != nil {
			return err
		}
		if before.CompetenceID != out.CompetenceID || before.CompetenceLevel != out.CompetenceLevel || before.IssuedOn != out.IssuedOn ||
			before.ExpiresOn != out.ExpiresOn || before.PersonID != out.PersonID {
			if err := s.certHeldSync(ctx, tx, a, out, now); err != nil {
				return err
			}
		}
		st, err := settingsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if certTaskOf(before, st, s.certToday()) != certTaskOf(out, st, s.certToday()) {
			if err := s.certRetask(ctx, tx, a, out, st); err != nil {
				return err
			}
		}
		if before.RenewsID != out.RenewsID {
			if out.RenewsID != 0 {
				if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: certRef(out.RenewsID)}, work.StateDone); err != nil {
					return err
				}
			}
			if before.RenewsID != 0 {
				// The certificate no longer renewed needs renewing again.
				old, err := certGet(ctx, tx, a.Tenant, before.RenewsID)
				if err != nil {
					return err
				}
				if err := s.certRetask(ctx, tx, a, old, st); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// RevokeCertificate marks a certificate revoked (entered by mistake,
// withdrawn by its issuer): its task closes and its competence lapses.
func (s *Service) RevokeCertificate(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := certGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		if before.Revoked {
			return apperr.Conflict("trainingcomp.error.revoked")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE training_certificates SET revoked = TRUE, updated_at = $3, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
			a.Tenant, id, now); err != nil {
			return fmt.Errorf("cannot revoke certificate: %w", err)
		}
		after, err := certGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCancel, Entity: EntityCert, EntityID: id,
			Summary: after.PersonName + ": " + after.Name, Before: before, After: after}); err != nil {
			return err
		}
		if err := s.certHeldSync(ctx, tx, a, after, now); err != nil {
			return err
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: certRef(id)}, work.StateCancelled); err != nil {
			return err
		}
		if before.RenewsID != 0 {
			// The certificate it renewed needs renewing again.
			st, err := settingsOf(ctx, tx, a.Tenant)
			if err != nil {
				return err
			}
			old, err := certGet(ctx, tx, a.Tenant, before.RenewsID)
			if err != nil {
				return err
			}
			return s.certRetask(ctx, tx, a, old, st)
		}
		return nil
	})
}

// Scan opens a certificate's scan. The web layer serves it with the stored
// ScanType (one of ScanTypes) as Content-Type, ScanName in a
// "Content-Disposition: attachment" header and "X-Content-Type-Options:
// nosniff".
func (s *Service) Scan(ctx context.Context, a auth.Actor, id int64) (io.ReadCloser, Certificate, error) {
	c, err := s.Certificate(ctx, a, id)
	if err != nil {
		return nil, Certificate{}, err
	}
	if c.ScanSHA256 == "" || s.Files == nil {
		return nil, Certificate{}, apperr.NotFound(EntityCert)
	}
	f, err := s.Files.Open(c.ScanSHA256)
	if err != nil {
		return nil, Certificate{}, fmt.Errorf("cannot open scan: %w", err)
	}
	return f, c, nil
}

// PersonCertificates gives the audit register the certificates (not
// revoked) people hold.
func (s *Service) PersonCertificates(ctx context.Context, tenant int64, people []int64) (map[int64][]evidence.Certificate, error) {
	out := map[int64][]evidence.Certificate{}
	if len(people) == 0 {
		return out, nil
	}
	list, args := sesInList(people, []any{tenant})
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, person_id, name, number, issuer, hours, issued_on, expires_on FROM training_certificates
		WHERE tenant_id = $1 AND revoked = FALSE AND person_id IN (`+list+`) ORDER BY person_id, issued_on DESC, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read certificates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c evidence.Certificate
		if err := rows.Scan(&c.ID, &c.PersonID, &c.Name, &c.Number, &c.Issuer, &c.Hours, &c.IssuedOn, &c.ExpiresOn); err != nil {
			return nil, fmt.Errorf("cannot read certificate: %w", err)
		}
		c.Href = "/training/certificates/" + strconv.FormatInt(c.ID, 10)
		out[c.PersonID] = append(out[c.PersonID], c)
	}
	return out, rows.Err()
}

var _ evidence.CertificateSource = (*Service)(nil)
