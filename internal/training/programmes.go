package training

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
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Programme is a training programme.
type Programme struct {
	ID                int64     `json:"id"`
	Tenant            int64     `json:"tenant_id"`
	Code              string    `json:"code"`
	Title             string    `json:"title"`
	Topic             string    `json:"topic"`
	Provider          string    `json:"provider,omitempty"`
	Hours             int       `json:"hours"`
	Certificate       string    `json:"certificate,omitempty"`
	CertificateMonths int       `json:"certificate_months,omitempty"`
	CompetenceID      int64     `json:"competence_id,omitempty"`
	CompetenceLevel   int       `json:"competence_level,omitempty"`
	GroupID           int64     `json:"group_id,omitempty"`
	Mandatory         bool      `json:"mandatory"`
	PassScore         int       `json:"pass_score,omitempty"`
	MinAttendance     int       `json:"min_attendance"`
	Description       string    `json:"description,omitempty"`
	Active            bool      `json:"active"`
	CreatedAt         time.Time `json:"-"`
	UpdatedAt         time.Time `json:"-"`
	Version           int       `json:"version"`

	// Filled in by reads.
	CompetenceName, GroupName string `json:"-"`
	// Sessions counts its sessions; Completed the people who completed it.
	Sessions, Completed int `json:"-"`
}

// ProgrammeInput creates or changes a programme.
type ProgrammeInput struct {
	Code, Title, Topic, Provider string
	Hours                        int
	Certificate                  string
	CertificateMonths            int
	CompetenceID                 int64
	CompetenceLevel              int
	GroupID                      int64
	Mandatory                    bool
	PassScore, MinAttendance     int
	Description                  string
	Active                       bool
	Version                      int
}

// ProgrammeFilter narrows the programme list.
type ProgrammeFilter struct {
	Query   string
	Topic   string
	GroupID int64
	Active  string // "", "yes", "no"
	Sort    string // code, title, topic, hours
	Desc    bool
	Page    int
	PerPage int
}

// ProgrammePage is one page of programmes.
type ProgrammePage struct {
	Items []Programme
	Total int
}

// Limits of the programme form.
const (
	MaxProgrammeHours  = 2000
	MaxCertificateMons = 120
)

// Field names of the programme form.
const (
	FieldProgCode              = "programme_code"
	FieldProgTitle             = "programme_title"
	FieldProgTopic             = "programme_topic"
	FieldProgProvider          = "programme_provider"
	FieldProgHours             = "programme_hours"
	FieldProgCertificate       = "programme_certificate"
	FieldProgCertificateMonths = "programme_certificate_months"
	FieldProgCompetence        = "programme_competence_id"
	FieldProgCompetenceLevel   = "programme_competence_level"
	FieldProgGroup             = "programme_group_id"
	FieldProgPassScore         = "programme_pass_score"
	FieldProgMinAttendance     = "programme_min_attendance"
	FieldProgDescription       = "programme_description"
)

// ProgrammeSorts lists the programme list's sort keys.
var ProgrammeSorts = []string{"code", "title", "topic", "hours"}

// Validate checks the input on its own and normalises it; the code's
// uniqueness, the competence and the group are checked when saving. A
// competence level of 0 is taken as basic.
func (in *ProgrammeInput) Validate() error {
	v := apperr.Validation{}
	grpCheckCode(v, FieldProgCode, &in.Code)
	grpCheckText(v, FieldProgTitle, &in.Title, MaxName, true)
	in.Topic = strings.TrimSpace(in.Topic)
	if in.Topic == "" {
		v.Add(FieldProgTopic, "error.required")
	} else if !slices.Contains(Topics, in.Topic) {
		v.Add(FieldProgTopic, "error.choice")
	}
	grpCheckText(v, FieldProgProvider, &in.Provider, MaxShort, false)
	if in.Hours < 1 || in.Hours > MaxProgrammeHours {
		v.Add(FieldProgHours, "training.error.programme.hours")
	}
	grpCheckText(v, FieldProgCertificate, &in.Certificate, MaxName, false)
	switch {
	case in.CertificateMonths < 0 || in.CertificateMonths > MaxCertificateMons:
		v.Add(FieldProgCertificateMonths, "training.error.programme.certificate_months")
	case in.CertificateMonths > 0 && in.Certificate == "":
		v.Add(FieldProgCertificateMonths, "training.error.programme.months_without_certificate")
	}
	if in.CompetenceID < 0 {
		v.Add(FieldProgCompetence, "error.choice")
	}
	if in.CompetenceLevel == 0 {
		in.CompetenceLevel = LevelBasic
	}
	if !slices.Contains(Levels, in.CompetenceLevel) {
		v.Add(FieldProgCompetenceLevel, "error.choice")
	}
	if in.GroupID < 0 {
		v.Add(FieldProgGroup, "error.choice")
	}
	if in.PassScore < 0 || in.PassScore > 100 {
		v.Add(FieldProgPassScore, "training.error.score")
	}
	if in.MinAttendance < 0 || in.MinAttendance > 100 {
		v.Add(FieldProgMinAttendance, "training.error.percent")
	}
	in.Description = textutil.CleanText(in.Description)
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add(FieldProgDescription, "error.too_long")
	}
	return v.Err()
}

const prgColumns = `p.id, p.tenant_id, p.code, p.title, p.topic, p.provider, p.hours, p.certificate, p.certificate_months,
	COALESCE(p.competence_id, 0), p.competence_level, COALESCE(p.group_id, 0), p.mandatory, p.pass_score, p.min_attendance,
	p.description, p.active, p.created_at, p.updated_at, p.version, COALESCE(c.name, ''), COALESCE(g.name, ''),
	(SELECT COUNT(*) FROM training_sessions s WHERE s.tenant_id = p.tenant_id AND s.programme_id = p.id AND s.state <> 'cancelled'),
	(SELECT COUNT(DISTINCT e.person_id) FROM training_sessions s CROSS JOIN training_enrolments e
		WHERE s.tenant_id = p.tenant_id AND s.programme_id = p.id AND e.session_id = s.id AND e.state = 'completed')`

const prgFrom = ` FROM training_programmes p
	LEFT JOIN training_competences c ON c.tenant_id = p.tenant_id AND c.id = p.competence_id
	LEFT JOIN training_groups g ON g.tenant_id = p.tenant_id AND g.id = p.group_id`

func prgScan(row interface{ Scan(...any) error }) (Programme, error) {
	var p Programme
	err := row.Scan(&p.ID, &p.Tenant, &p.Code, &p.Title, &p.Topic, &p.Provider, &p.Hours, &p.Certificate, &p.CertificateMonths,
		&p.CompetenceID, &p.CompetenceLevel, &p.GroupID, &p.Mandatory, &p.PassScore, &p.MinAttendance,
		&p.Description, &p.Active, &p.CreatedAt, &p.UpdatedAt, &p.Version, &p.CompetenceName, &p.GroupName,
		&p.Sessions, &p.Completed)
	return p, err
}

// prgGet reads one programme of the institution.
func prgGet(ctx context.Context, q querier, tenant, id int64) (Programme, error) {
	p, err := prgScan(q.QueryRowContext(ctx, `SELECT `+prgColumns+prgFrom+` WHERE p.tenant_id = $1 AND p.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Programme{}, apperr.NotFound(EntityProgramme)
	}
	if err != nil {
		return Programme{}, fmt.Errorf("cannot read programme: %w", err)
	}
	return p, nil
}

var prgSorts = map[string]string{
	"code":  "p.code",
	"title": "p.title",
	"topic": "p.topic",
	"hours": "p.hours",
}

// Programmes lists programmes.
func (s *Service) Programmes(ctx context.Context, a auth.Actor, f ProgrammeFilter) (ProgrammePage, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return ProgrammePage{}, err
	}
	where := ` WHERE p.tenant_id = $1`
	args := []any{a.Tenant}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, db.LikePattern(q))
		where += fmt.Sprintf(` AND p.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	if f.Topic != "" {
		args = append(args, f.Topic)
		where += fmt.Sprintf(` AND p.topic = $%d`, len(args))
	}
	if f.GroupID != 0 {
		args = append(args, f.GroupID)
		where += fmt.Sprintf(` AND p.group_id = $%d`, len(args))
	}
	switch f.Active {
	case "yes":
		where += ` AND p.active`
	case "no":
		where += ` AND NOT p.active`
	}
	var out ProgrammePage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "programmes", db.PageQuery{Select: prgColumns, From: prgFrom + where, Args: args,
		Sorts: prgSorts, Sort: f.Sort, Desc: f.Desc, Default: "code", Tail: "p.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Programme, error) { return prgScan(r) })
	return out, err
}

// Programme reads a programme.
func (s *Service) Programme(ctx context.Context, a auth.Actor, id int64) (Programme, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Programme{}, err
	}
	return prgGet(ctx, s.DB.R, a.Tenant, id)
}

// prgCheck checks what needs the database: the code is free, the
// competence and the group are the institution's.
func prgCheck(ctx context.Context, q querier, tenant, self int64, in ProgrammeInput) error {
	v := apperr.Validation{}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_programmes WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, in.Code, self).Scan(&n); err != nil {
		return fmt.Errorf("cannot check programme code: %w", err)
	}
	if n > 0 {
		v.Add(FieldProgCode, "training.error.code_taken")
	}
	if in.CompetenceID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_competences WHERE tenant_id = $1 AND id = $2`, tenant, in.CompetenceID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check competence: %w", err)
		}
		if n == 0 {
			v.Add(FieldProgCompetence, "error.choice")
		}
	}
	if in.GroupID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_groups WHERE tenant_id = $1 AND id = $2`, tenant, in.GroupID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check target group: %w", err)
		}
		if n == 0 {
			v.Add(FieldProgGroup, "error.choice")
		}
	}
	return v.Err()
}

func prgSearch(in ProgrammeInput) string {
	return textutil.Fold(in.Code + " " + in.Title + " " + in.Provider + " " + in.Certificate)
}

// CreateProgramme creates a programme.
func (s *Service) CreateProgramme(ctx context.Context, a auth.Actor, in ProgrammeInput) (Programme, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Programme{}, err
	}
	if err := in.Validate(); err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := prgCheck(ctx, tx, a.Tenant, 0, in); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO training_programmes (tenant_id, code, title, topic, provider, hours, certificate, certificate_months,
				competence_id, competence_level, group_id, mandatory, pass_score, min_attendance, description, active, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
			a.Tenant, in.Code, in.Title, in.Topic, in.Provider, in.Hours, in.Certificate, in.CertificateMonths,
			nullID(in.CompetenceID), in.CompetenceLevel, nullID(in.GroupID), in.Mandatory, in.PassScore, in.MinAttendance, in.Description, in.Active,
			prgSearch(in), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldProgCode: "training.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create programme: %w", err)
		}
		if out, err = prgGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityProgramme, EntityID: id,
			Summary: out.Code + " " + out.Title, After: out})
	})
	return out, err
}

// UpdateProgramme changes a programme. Sessions already held keep the
// hours their enrolments recorded.
func (s *Service) UpdateProgramme(ctx context.Context, a auth.Actor, id int64, in ProgrammeInput) (Programme, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Programme{}, err
	}
	if err := in.Validate(); err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := prgGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := prgCheck(ctx, tx, a.Tenant, id, in); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_programmes SET code = $3, title = $4, topic = $5, provider = $6, hours = $7, certificate = $8,
				certificate_months = $9, competence_id = $10, competence_level = $11, group_id = $12, mandatory = $13, pass_score = $14,
				min_attendance = $15, description = $16, active = $17, search_text = $18, updated_at = $19, version = version + 1
			WHERE tenant_id = $1 AND id = $2 AND version = $20`,
			a.Tenant, id, in.Code, in.Title, in.Topic, in.Provider, in.Hours, in.Certificate,
			in.CertificateMonths, nullID(in.CompetenceID), in.CompetenceLevel, nullID(in.GroupID), in.Mandatory, in.PassScore,
			in.MinAttendance, in.Description, in.Active, prgSearch(in), now, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldProgCode: "training.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update programme: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = prgGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityProgramme, EntityID: id,
			Summary: out.Code + " " + out.Title, Before: before, After: out})
	})
	return out, err
}
