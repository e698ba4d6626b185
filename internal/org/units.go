package org

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
	"cadran/internal/textutil"
)

// Unit kinds, from the largest to the smallest.
const (
	UnitDirectorate = "directorate"
	UnitService     = "service"
	UnitOffice      = "office"
	UnitCompartment = "compartment"
)

// UnitKinds lists the kinds in the order forms show them.
var UnitKinds = []string{UnitDirectorate, UnitService, UnitOffice, UnitCompartment}

// Relations of a unit to the mayor's own apparatus.
const (
	RelationOwn           = "own"           // aparatul de specialitate
	RelationSubordinate   = "subordinate"   // subordonat consiliului local
	RelationDecentralised = "decentralised" // serviciu public descentralizat
)

// UnitRelations lists the relations in the order forms show them.
var UnitRelations = []string{RelationOwn, RelationSubordinate, RelationDecentralised}

// Unit is a directorate, service, office or compartment.
type Unit struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	ParentID    int64     `json:"parent_id,omitempty"`
	Name        string    `json:"name"`
	Code        string    `json:"code"`
	Kind        string    `json:"kind"`
	Relation    string    `json:"relation"`
	LegalPerson bool      `json:"legal_person"`
	Position    int       `json:"position"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`
}

// UnitInput is what a form gives to create or change a unit.
type UnitInput struct {
	ParentID    int64
	Name        string
	Code        string
	Kind        string
	Relation    string
	LegalPerson bool
	Position    int
	Version     int
}

// Validate checks and normalises the input.
func (in *UnitInput) Validate() error {
	v := apperr.Validation{}
	in.Name = textutil.Clean(in.Name)
	in.Code = strings.ToUpper(textutil.Clean(in.Code))
	if in.Name == "" {
		v.Add("name", "error.required")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		v.Add("name", "error.too_long")
	}
	if utf8.RuneCountInString(in.Code) > 20 {
		v.Add("code", "error.too_long")
	}
	if !slices.Contains(UnitKinds, in.Kind) {
		v.Add("kind", "error.choice")
	}
	if !slices.Contains(UnitRelations, in.Relation) {
		v.Add("relation", "error.choice")
	}
	if in.Position < 0 || in.Position > 9999 {
		v.Add("sort_order", "error.range")
	}
	return v.Err()
}

const unitColumns = `id, tenant_id, COALESCE(parent_id, 0), name, code, kind, relation, legal_person, position, created_at, updated_at, version`

func scanUnit(row interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	err := row.Scan(&u.ID, &u.Tenant, &u.ParentID, &u.Name, &u.Code, &u.Kind, &u.Relation, &u.LegalPerson, &u.Position, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	return u, err
}

func getUnit(ctx context.Context, q querier, tenant, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE tenant_id = $1 AND id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, apperr.NotFound("unit")
	}
	if err != nil {
		return Unit{}, fmt.Errorf("cannot read unit: %w", err)
	}
	return u, nil
}

// Unit returns one unit of the actor's institution.
func (s *Service) Unit(ctx context.Context, a auth.Actor, id int64) (Unit, error) {
	if err := a.Require(auth.PermOrgView); err != nil {
		return Unit{}, err
	}
	return getUnit(ctx, s.DB.R, a.Tenant, id)
}

// Units returns every unit of the institution, ordered by position and name.
func (s *Service) Units(ctx context.Context, a auth.Actor) ([]Unit, error) {
	if err := a.Require(auth.PermOrgView); err != nil {
		return nil, err
	}
	return s.units(ctx, s.DB.R, a.Tenant)
}

func (s *Service) units(ctx context.Context, q querier, tenant int64) ([]Unit, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+unitColumns+` FROM units WHERE tenant_id = $1 ORDER BY position, sort_name, id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read unit: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UnitOptions returns the units arranged as a tree without head counts, for
// select menus.
func (s *Service) UnitOptions(ctx context.Context, a auth.Actor) ([]*TreeNode, error) {
	units, err := s.Units(ctx, a)
	if err != nil {
		return nil, err
	}
	return Flatten(BuildTree(units, nil)), nil
}

// TreeNode is a unit with its children and head count, for the tree screen.
type TreeNode struct {
	Unit
	Depth    int
	People   int // people directly in this unit
	Total    int // people in this unit and every unit under it
	Children []*TreeNode
}

// Tree returns the institution's units as a forest, roots first, with the
// number of active people in each.
func (s *Service) Tree(ctx context.Context, a auth.Actor) ([]*TreeNode, error) {
	units, err := s.Units(ctx, a)
	if err != nil {
		return nil, err
	}
	counts := map[int64]int{}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT unit_id, COUNT(*) FROM people WHERE tenant_id = $1 AND active AND unit_id IS NOT NULL GROUP BY unit_id`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot count people per unit: %w", err)
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[id] = n
	}
	rows.Close()
	return BuildTree(units, counts), nil
}

// BuildTree arranges units (already ordered) into a forest.
func BuildTree(units []Unit, counts map[int64]int) []*TreeNode {
	nodes := make(map[int64]*TreeNode, len(units))
	for _, u := range units {
		nodes[u.ID] = &TreeNode{Unit: u, People: counts[u.ID]}
	}
	var roots []*TreeNode
	for _, u := range units {
		n := nodes[u.ID]
		if p, ok := nodes[u.ParentID]; ok && u.ParentID != 0 {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var walk func(n *TreeNode, depth int) int
	walk = func(n *TreeNode, depth int) int {
		n.Depth = depth
		n.Total = n.People
		for _, c := range n.Children {
			n.Total += walk(c, depth+1)
		}
		return n.Total
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return roots
}

// Flatten lists a forest depth-first, for select menus and tables.
func Flatten(roots []*TreeNode) []*TreeNode {
	var out []*TreeNode
	var walk func(ns []*TreeNode)
	walk = func(ns []*TreeNode) {
		for _, n := range ns {
			out = append(out, n)
			walk(n.Children)
		}
	}
	walk(roots)
	return out
}

// Subtree returns id and the ids of every unit below it.
func Subtree(units []Unit, id int64) []int64 {
	children := map[int64][]int64{}
	for _, u := range units {
		children[u.ParentID] = append(children[u.ParentID], u.ID)
	}
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// checkParent refuses a parent from another institution, or one that would
// make a cycle (the unit itself or one of its descendants).
func (s *Service) checkParent(ctx context.Context, tx *sql.Tx, tenant, id, parent int64) error {
	if parent == 0 {
		return nil
	}
	units, err := s.units(ctx, tx, tenant)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(units, func(u Unit) bool { return u.ID == parent }) {
		return apperr.Validation{"parent_id": "error.choice"}
	}
	if id != 0 && slices.Contains(Subtree(units, id), parent) {
		return apperr.Validation{"parent_id": "unit.error.cycle"}
	}
	return nil
}

// CreateUnit adds a unit to the actor's institution.
func (s *Service) CreateUnit(ctx context.Context, a auth.Actor, in UnitInput) (Unit, error) {
	if err := a.Require(auth.PermOrgManage); err != nil {
		return Unit{}, err
	}
	if err := in.Validate(); err != nil {
		return Unit{}, err
	}
	now := s.Clock.Now()
	var u Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkParent(ctx, tx, a.Tenant, 0, in.ParentID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO units (tenant_id, parent_id, name, sort_name, code, kind, relation, legal_person, position, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			a.Tenant, nullID(in.ParentID), in.Name, textutil.Fold(in.Name), in.Code, in.Kind, in.Relation, in.LegalPerson, in.Position, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot create unit: %w", err)
		}
		var err error
		if u, err = getUnit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "unit", EntityID: id, Summary: u.Name, After: u})
	})
	return u, err
}

// UpdateUnit changes a unit; a stale Version is refused.
func (s *Service) UpdateUnit(ctx context.Context, a auth.Actor, id int64, in UnitInput) (Unit, error) {
	if err := a.Require(auth.PermOrgManage); err != nil {
		return Unit{}, err
	}
	if err := in.Validate(); err != nil {
		return Unit{}, err
	}
	now := s.Clock.Now()
	var after Unit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getUnit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := s.checkParent(ctx, tx, a.Tenant, id, in.ParentID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE units SET parent_id = $1, name = $2, sort_name = $3, code = $4, kind = $5, relation = $6, legal_person = $7, position = $8, updated_at = $9, version = version + 1
			WHERE tenant_id = $10 AND id = $11 AND version = $12`,
			nullID(in.ParentID), in.Name, textutil.Fold(in.Name), in.Code, in.Kind, in.Relation, in.LegalPerson, in.Position, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update unit: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if after, err = getUnit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "unit", EntityID: id, Summary: after.Name, Before: before, After: after})
	})
	return after, err
}

// DeleteUnit removes an empty unit. A unit with sub-units or people is kept
// and the person is told why.
func (s *Service) DeleteUnit(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermOrgManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getUnit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		var children, people int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND parent_id = $2), (SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND unit_id = $2)`, a.Tenant, id).Scan(&children, &people); err != nil {
			return fmt.Errorf("cannot check unit contents: %w", err)
		}
		if children > 0 {
			return apperr.Conflict("unit.error.has_children")
		}
		if people > 0 {
			return apperr.Conflict("unit.error.has_people")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM units WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot delete unit: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "unit", EntityID: id, Summary: before.Name, Before: before})
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
