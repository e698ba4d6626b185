package scorecard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
)

// Perspective is a row of the scorecard and a band of the strategy map.
type Perspective struct {
	ID       int64
	Tenant   int64
	Kind     string // one of DefaultPerspectives, or "" for the institution's own
	Name     string // the institution's name for it; empty: the catalogue's for Kind
	Position int
	Weight   float64
	Archived bool
	Created  time.Time
	Updated  time.Time
	Version  int
}

// PerspectiveInput creates or changes a perspective.
type PerspectiveInput struct {
	Name     string
	Position int
	Weight   float64
	Version  int
}

// Objective is a strategic objective: the institution's (UnitID 0) or a
// unit's, which may contribute to a higher objective (ParentID).
type Objective struct {
	ID            int64
	Tenant        int64
	PerspectiveID int64
	UnitID        int64
	UnitName      string // read
	ParentID      int64
	ParentCode    string // read
	Code          string
	Title         string
	Description   string
	OwnerID       int64
	OwnerName     string // read
	Weight        float64
	Quality       bool // a quality objective (ISO 9001 6.2)
	Position      int
	Archived      bool
	Created       time.Time
	Updated       time.Time
	Version       int
}

// ObjectiveInput creates or changes an objective.
type ObjectiveInput struct {
	PerspectiveID int64
	UnitID        int64
	ParentID      int64
	Code          string // empty: the next free code of the perspective
	Title         string
	Description   string
	OwnerID       int64
	Weight        float64
	Quality       bool
	Position      int
	Version       int
}

// ObjectiveFilter narrows Objectives.
type ObjectiveFilter struct {
	UnitID      int64 // 0 with AllUnits false: the institution's own objectives
	AllUnits    bool  // every objective, the institution's and every unit's
	QualityOnly bool
	Archived    bool // include archived ones
}

// Link is an arrow of the strategy map: From helps achieve To.
type Link struct {
	FromID int64
	ToID   int64
	Note   string
}

// KPI is a performance indicator.
type KPI struct {
	ID            int64
	Tenant        int64
	Code          string
	Name          string
	Description   string
	MeasureUnit   string // "%", "zile", "lei"
	Polarity      string
	Method        string
	Frequency     string
	Baseline      *float64
	Red           *float64 // red threshold (below it for higher, above for lower, below the band)
	RedHigh       *float64 // red threshold above a band
	Decimals      int
	OwnerID       int64
	OwnerName     string // read
	DataSource    string // where the figures come from, in words
	Metric        string // a MetricSource key; "" for entered values
	Formula       string // over other KPIs' codes; "" for none
	ObjectiveID   int64
	ObjectiveCode string // read
	UnitID        int64
	UnitName      string // read
	Process       string
	Weight        float64 // within its objective
	Archived      bool
	Created       time.Time
	Updated       time.Time
	Version       int
}

// Rule returns how the KPI's values are judged.
func (k KPI) Rule() Rule {
	return Rule{Polarity: k.Polarity, Method: k.Method, Baseline: k.Baseline, Red: k.Red, RedHigh: k.RedHigh}
}

// Entered reports whether people enter the KPI's values (it has neither a
// metric nor a formula).
func (k KPI) Entered() bool { return k.Metric == "" && k.Formula == "" }

// KPIInput creates or changes a KPI.
type KPIInput struct {
	Code        string // empty: the next free "K01"
	Name        string
	Description string
	MeasureUnit string
	Polarity    string
	Method      string
	Frequency   string
	Baseline    *float64
	Red         *float64
	RedHigh     *float64
	Decimals    int
	OwnerID     int64
	DataSource  string
	Metric      string
	Formula     string
	ObjectiveID int64
	UnitID      int64
	Process     string
	Weight      float64
	Version     int
}

// KPIFilter narrows and orders the KPI list.
type KPIFilter struct {
	Query       string // code or name, diacritics ignored
	ObjectiveID int64
	UnitID      int64 // the unit and the units under it
	Process     string
	Frequency   string
	Kind        string // "entered", "metric", "formula"
	OwnerID     int64
	Archived    bool
	Sort        string // code, name, frequency, owner, objective, updated
	Desc        bool
	Page        int // 1-based
	PerPage     int // 0: 50
}

// KPIPage is one page of the KPI list.
type KPIPage struct {
	Items []KPI
	Total int
}

// Initiative is a project that carries objectives out.
type Initiative struct {
	ID           int64
	Tenant       int64
	Code         string
	Title        string
	Description  string
	OwnerID      int64
	OwnerName    string // read
	UnitID       int64
	UnitName     string // read
	ObjectiveIDs []int64
	Objectives   []Objective // read: code and title of each
	Budget       float64
	Spent        float64
	StartOn      string // YYYY-MM-DD
	EndOn        string
	Progress     int // percent
	State        string
	Funding      string
	Created      time.Time
	Updated      time.Time
	Version      int
}

// InitiativeInput creates or changes an initiative.
type InitiativeInput struct {
	Code         string // empty: "IN-2026-01"
	Title        string
	Description  string
	OwnerID      int64
	UnitID       int64
	ObjectiveIDs []int64
	Budget       float64
	Spent        float64
	StartOn      string
	EndOn        string
	Progress     int
	State        string
	Funding      string
	Version      int
}

// InitiativeFilter narrows and orders the initiative list.
type InitiativeFilter struct {
	Query       string
	State       string
	ObjectiveID int64
	OwnerID     int64
	Overdue     bool   // open after their end date
	Sort        string // code, title, end, progress, budget, owner
	Desc        bool
	Page        int
	PerPage     int
}

// InitiativePage is one page of the initiative list.
type InitiativePage struct {
	Items []Initiative
	Total int
}

// Text limits of the structure's fields, in characters.
const (
	MaxTitle = 300
	MaxText  = 4000
	MaxCode  = 20
)

// stQuerier is what the store's reads need: the read pool or a transaction.
type stQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// stNullID stores 0 as NULL.
func stNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// stNullF stores nil as NULL.
func stNullF(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// stFloat reads a nullable REAL.
func stFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

// stClip shortens s to n characters for audit summaries and task titles.
func stClip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// stBadWeight reports whether w cannot be a weight.
func stBadWeight(w float64) bool { return math.IsNaN(w) || math.IsInf(w, 0) || w < 0 || w > 1e6 }

// stCount runs a COUNT query.
func stCount(ctx context.Context, q stQuerier, query string, args ...any) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("cannot count: %w", err)
	}
	return n, nil
}

// stPersonOK reports whether person is an active person of tenant.
func stPersonOK(ctx context.Context, q stQuerier, tenant, person int64) (bool, error) {
	n, err := stCount(ctx, q, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, person)
	return n > 0, err
}

// stUnitOK reports whether unit is a unit of tenant.
func stUnitOK(ctx context.Context, q stQuerier, tenant, unit int64) (bool, error) {
	n, err := stCount(ctx, q, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit)
	return n > 0, err
}

// ---- Perspectives ----

const stPerspectiveColumns = `id, tenant_id, kind, name, position, weight, archived, created_at, updated_at, version`

func stScanPerspective(row interface{ Scan(...any) error }) (Perspective, error) {
	var p Perspective
	err := row.Scan(&p.ID, &p.Tenant, &p.Kind, &p.Name, &p.Position, &p.Weight, &p.Archived, &p.Created, &p.Updated, &p.Version)
	return p, err
}

func stPerspectives(ctx context.Context, q stQuerier, tenant int64) ([]Perspective, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+stPerspectiveColumns+` FROM scorecard_perspectives WHERE tenant_id = $1 AND NOT archived ORDER BY position, id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read perspectives: %w", err)
	}
	defer rows.Close()
	var out []Perspective
	for rows.Next() {
		p, err := stScanPerspective(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read perspectives: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func stGetPerspective(ctx context.Context, q stQuerier, tenant, id int64) (Perspective, error) {
	p, err := stScanPerspective(q.QueryRowContext(ctx, `SELECT `+stPerspectiveColumns+` FROM scorecard_perspectives WHERE tenant_id = $1 AND id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Perspective{}, apperr.NotFound(EntityPerspective)
	}
	if err != nil {
		return Perspective{}, fmt.Errorf("cannot read perspective: %w", err)
	}
	return p, nil
}

// EnsureDefaults creates the four public-sector perspectives the first time
// an institution opens its scorecard; it does nothing when it has any.
func (s *Service) EnsureDefaults(ctx context.Context, a auth.Actor) error {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return err
	}
	if n, err := stCount(ctx, s.DB.R, `SELECT COUNT(*) FROM scorecard_perspectives WHERE tenant_id = $1`, a.Tenant); err != nil || n > 0 {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if n, err := stCount(ctx, tx, `SELECT COUNT(*) FROM scorecard_perspectives WHERE tenant_id = $1`, a.Tenant); err != nil || n > 0 {
			return err
		}
		for i, kind := range DefaultPerspectives {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO scorecard_perspectives (tenant_id, kind, name, position, weight, created_at, updated_at)
				VALUES ($1, $2, '', $3, 1, $4, $4) RETURNING id`, a.Tenant, kind, i+1, now).Scan(&id); err != nil {
				return fmt.Errorf("cannot create perspective: %w", err)
			}
			p, err := stGetPerspective(ctx, tx, a.Tenant, id)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityPerspective,
				EntityID: id, Summary: kind, After: p}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Perspectives lists the institution's perspectives in map order.
func (s *Service) Perspectives(ctx context.Context, a auth.Actor) ([]Perspective, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	return stPerspectives(ctx, s.DB.R, a.Tenant)
}

// Validate checks and normalises a perspective's input; kind is the
// perspective's (empty for a new one), which may go without a name.
func (in *PerspectiveInput) Validate(kind string) error {
	v := apperr.Validation{}
	in.Name = textutil.Clean(in.Name)
	switch {
	case in.Name == "" && kind == "":
		v.Add("sc_persp_name", "error.required")
	case utf8.RuneCountInString(in.Name) > MaxTitle:
		v.Add("sc_persp_name", "error.too_long")
	}
	if stBadWeight(in.Weight) {
		v.Add("sc_persp_weight", "scorecard.error.weight")
	}
	if in.Position < 0 || in.Position > 1000 {
		v.Add("sc_persp_position", "error.range")
	}
	return v.Err()
}

// CreatePerspective adds a perspective; position 0 puts it last.
func (s *Service) CreatePerspective(ctx context.Context, a auth.Actor, in PerspectiveInput) (Perspective, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return Perspective{}, err
	}
	if err := in.Validate(""); err != nil {
		return Perspective{}, err
	}
	now := s.Clock.Now()
	var out Perspective
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if in.Position == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM scorecard_perspectives WHERE tenant_id = $1`, a.Tenant).Scan(&in.Position); err != nil {
				return fmt.Errorf("cannot read positions: %w", err)
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO scorecard_perspectives (tenant_id, kind, name, position, weight, created_at, updated_at)
			VALUES ($1, '', $2, $3, $4, $5, $5) RETURNING id`, a.Tenant, in.Name, in.Position, in.Weight, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot create perspective: %w", err)
		}
		var err error
		if out, err = stGetPerspective(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityPerspective,
			EntityID: id, Summary: out.Name, After: out})
	})
	return out, err
}

// UpdatePerspective renames, reorders or reweighs a perspective.
func (s *Service) UpdatePerspective(ctx context.Context, a auth.Actor, id int64, in PerspectiveInput) (Perspective, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return Perspective{}, err
	}
	now := s.Clock.Now()
	var out Perspective
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stGetPerspective(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := in.Validate(before.Kind); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.Position == 0 {
			in.Position = before.Position
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_perspectives SET name = $1, position = $2, weight = $3, updated_at = $4, version = version + 1
			WHERE tenant_id = $5 AND id = $6 AND version = $7`, in.Name, in.Position, in.Weight, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update perspective: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = stGetPerspective(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		summary := out.Name
		if summary == "" {
			summary = out.Kind
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityPerspective,
			EntityID: id, Summary: summary, Before: before, After: out})
	})
	return out, err
}
