package org_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

func unitInput(u org.Unit) org.UnitInput {
	return org.UnitInput{ParentID: u.ParentID, Name: u.Name, Code: u.Code, Kind: u.Kind, Relation: u.Relation, LegalPerson: u.LegalPerson, Position: u.Position, Version: u.Version}
}

func (e *env) unit(t *testing.T, by auth.Actor, parent int64, name string, position int) org.Unit {
	t.Helper()
	u, err := e.svc.CreateUnit(t.Context(), by, org.UnitInput{ParentID: parent, Name: name, Kind: org.UnitService, Relation: org.RelationOwn, Position: position})
	if err != nil {
		t.Fatalf("CreateUnit(%s): %v", name, err)
	}
	return u
}

func TestUnitInputValidate(t *testing.T) {
	good := org.UnitInput{Name: "Direcția Economică", Code: "DE", Kind: org.UnitDirectorate, Relation: org.RelationOwn, Position: 1}
	cases := []struct {
		name   string
		change func(*org.UnitInput)
		want   apperr.Validation
	}{
		{"good", func(*org.UnitInput) {}, nil},
		{"everything missing", func(in *org.UnitInput) { *in = org.UnitInput{} },
			apperr.Validation{"name": "error.required", "kind": "error.choice", "relation": "error.choice"}},
		{"blank name", func(in *org.UnitInput) { in.Name = "  " }, apperr.Validation{"name": "error.required"}},
		{"long name", func(in *org.UnitInput) { in.Name = strings.Repeat("ț", 201) }, apperr.Validation{"name": "error.too_long"}},
		{"20-letter code", func(in *org.UnitInput) { in.Code = strings.Repeat("Ș", 20) }, nil},
		{"21-letter code", func(in *org.UnitInput) { in.Code = strings.Repeat("Ș", 21) }, apperr.Validation{"code": "error.too_long"}},
		{"unknown kind", func(in *org.UnitInput) { in.Kind = "department" }, apperr.Validation{"kind": "error.choice"}},
		{"unknown relation", func(in *org.UnitInput) { in.Relation = "external" }, apperr.Validation{"relation": "error.choice"}},
		{"negative position", func(in *org.UnitInput) { in.Position = -1 }, apperr.Validation{"sort_order": "error.range"}},
		{"position 9999", func(in *org.UnitInput) { in.Position = 9999 }, nil},
		{"position 10000", func(in *org.UnitInput) { in.Position = 10000 }, apperr.Validation{"sort_order": "error.range"}},
	}
	for _, c := range cases {
		in := good
		c.change(&in)
		err := in.Validate()
		v, _ := apperr.AsValidation(err)
		if (err == nil) != (c.want == nil) || (c.want != nil && !reflect.DeepEqual(v, c.want)) {
			t.Errorf("%s: Validate() = %v, want %v", c.name, err, c.want)
		}
	}
	in := org.UnitInput{Name: "  Serviciul   Buget,\tFinanțe şi Contabilitate ", Code: " sbfc-2 ", Kind: org.UnitService, Relation: org.RelationOwn}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Name != "Serviciul Buget, Finanțe și Contabilitate" || in.Code != "SBFC-2" {
		t.Errorf("normalised input = %+v", in)
	}
}

func TestUnitLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		events := e.events(t, e.a.ID)

		if _, err := e.svc.CreateUnit(ctx, e.viewA, org.UnitInput{Name: "X", Kind: org.UnitOffice, Relation: org.RelationOwn}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer created a unit: %v", err)
		}
		e.clk.Advance(time.Minute)
		u, err := e.svc.CreateUnit(ctx, e.qmA, org.UnitInput{Name: "  Direcția   Economică ", Code: " de ", Kind: org.UnitDirectorate, Relation: org.RelationOwn, LegalPerson: false, Position: 3})
		if err != nil {
			t.Fatal(err)
		}
		want := org.Unit{ID: u.ID, Tenant: e.a.ID, Name: "Direcția Economică", Code: "DE", Kind: org.UnitDirectorate, Relation: org.RelationOwn, Position: 3,
			CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: 1}
		if u != want || !u.CreatedAt.Equal(t0.Add(time.Minute)) || !u.UpdatedAt.Equal(u.CreatedAt) {
			t.Errorf("created unit\n got %+v\nwant %+v", u, want)
		}
		got, err := e.svc.Unit(ctx, e.viewA, u.ID)
		if err != nil || got.Name != "Direcția Economică" || got.Code != "DE" || got.Version != 1 {
			t.Errorf("Unit() = %+v, %v", got, err)
		}
		ev := e.lastEvent(t, e.a.ID)
		if e.events(t, e.a.ID) != events+1 || ev.Action != audit.ActionCreate || ev.Entity != "unit" || ev.EntityID != u.ID || ev.Before != "" ||
			ev.ActorID != e.qmA.UserID || ev.Summary != "Direcția Economică" || !strings.Contains(ev.After, `"name":"Direcția Economică"`) || !strings.Contains(ev.After, `"code":"DE"`) {
			t.Errorf("create event = %+v", ev)
		}

		// Update, with a parent.
		parent := e.unit(t, e.adminA, 0, "Aparatul de specialitate", 1)
		e.clk.Advance(time.Minute)
		in := unitInput(u)
		in.ParentID = parent.ID
		in.Name = "Direcția Economică şi Financiară"
		in.Kind = org.UnitService
		in.Relation = org.RelationSubordinate
		in.LegalPerson = true
		upd, err := e.svc.UpdateUnit(ctx, e.adminA, u.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if upd.ParentID != parent.ID || upd.Name != "Direcția Economică și Financiară" || upd.Kind != org.UnitService || upd.Relation != org.RelationSubordinate ||
			!upd.LegalPerson || upd.Version != 2 || !upd.UpdatedAt.Equal(t0.Add(2*time.Minute)) || !upd.CreatedAt.Equal(u.CreatedAt) {
			t.Errorf("updated unit = %+v", upd)
		}
		ev = e.lastEvent(t, e.a.ID)
		if ev.Action != audit.ActionUpdate || ev.EntityID != u.ID || !strings.Contains(ev.Before, `"version":1`) || strings.Contains(ev.Before, "parent_id") ||
			!strings.Contains(ev.After, fmt.Sprintf(`"parent_id":%d`, parent.ID)) || !strings.Contains(ev.After, `"legal_person":true`) {
			t.Errorf("update event = %+v", ev)
		}

		// A stale version is refused and changes nothing.
		stale := unitInput(u) // version 1
		stale.Name = "Pierdut"
		_, err = e.svc.UpdateUnit(ctx, e.adminA, u.ID, stale)
		wantConflict(t, err, "error.stale")
		err = e.svc.DeleteUnit(ctx, e.adminA, u.ID, 1)
		wantConflict(t, err, "error.stale")
		if now, _ := e.svc.Unit(ctx, e.adminA, u.ID); now.Name != upd.Name || now.Version != 2 {
			t.Errorf("after stale changes: %+v", now)
		}
		// Another institution cannot see, change or delete it.
		if _, err := e.svc.Unit(ctx, e.adminB, u.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("b read a's unit: %v", err)
		}
		in.Version = 2
		in.ParentID = 0
		if _, err := e.svc.UpdateUnit(ctx, e.adminB, u.ID, in); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("b updated a's unit: %v", err)
		}
		if err := e.svc.DeleteUnit(ctx, e.adminB, u.ID, 2); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("b deleted a's unit: %v", err)
		}
		if err := e.svc.DeleteUnit(ctx, e.viewA, u.ID, 2); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer deleted a unit: %v", err)
		}
		events = e.events(t, e.a.ID)

		// Delete.
		if err := e.svc.DeleteUnit(ctx, e.adminA, u.ID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Unit(ctx, e.adminA, u.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a deleted unit is still there: %v", err)
		}
		ev = e.lastEvent(t, e.a.ID)
		if e.events(t, e.a.ID) != events+1 || ev.Action != audit.ActionDelete || ev.EntityID != u.ID || ev.After != "" ||
			!strings.Contains(ev.Before, `"name":"Direcția Economică și Financiară"`) {
			t.Errorf("delete event = %+v", ev)
		}
		if n := e.events(t, e.b.ID); n != 1 {
			t.Errorf("b has %d audit events, want only its creation", n)
		}
		e.verify(t)
	})
}

func TestUnitParents(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		root := e.unit(t, e.adminA, 0, "Direcția Economică", 1)
		child := e.unit(t, e.adminA, root.ID, "Serviciul Buget", 1)
		grand := e.unit(t, e.adminA, child.ID, "Biroul Salarizare", 1)
		other := e.unit(t, e.adminA, 0, "Direcția Tehnică", 2)
		foreign := e.unit(t, e.adminB, 0, "Direcția din Sovata", 1)
		events := e.events(t, e.a.ID)
		units := e.count(t, `SELECT COUNT(*) FROM units`)

		// A parent from another institution, or none at all.
		for _, p := range []int64{foreign.ID, 999999} {
			_, err := e.svc.CreateUnit(ctx, e.adminA, org.UnitInput{ParentID: p, Name: "Nou", Kind: org.UnitOffice, Relation: org.RelationOwn})
			wantValidation(t, err, "parent_id", "error.choice")
			in := unitInput(grand)
			in.ParentID = p
			_, err = e.svc.UpdateUnit(ctx, e.adminA, grand.ID, in)
			wantValidation(t, err, "parent_id", "error.choice")
		}
		// A unit cannot move under itself or anything below it.
		for _, p := range []org.Unit{root, child, grand} {
			in := unitInput(root)
			in.ParentID = p.ID
			_, err := e.svc.UpdateUnit(ctx, e.adminA, root.ID, in)
			wantValidation(t, err, "parent_id", "unit.error.cycle")
		}
		in := unitInput(child)
		in.ParentID = grand.ID
		_, err := e.svc.UpdateUnit(ctx, e.adminA, child.ID, in)
		wantValidation(t, err, "parent_id", "unit.error.cycle")
		if e.events(t, e.a.ID) != events || e.count(t, `SELECT COUNT(*) FROM units`) != units {
			t.Fatal("refused parents changed something")
		}
		if now, _ := e.svc.Unit(ctx, e.adminA, root.ID); now.ParentID != 0 || now.Version != 1 {
			t.Errorf("root after refused moves = %+v", now)
		}

		// Moves that keep a tree are fine: the whole branch follows.
		in = unitInput(child)
		in.ParentID = other.ID
		if _, err := e.svc.UpdateUnit(ctx, e.adminA, child.ID, in); err != nil {
			t.Fatal(err)
		}
		all, err := e.svc.Units(ctx, e.viewA)
		if err != nil {
			t.Fatal(err)
		}
		if got := org.Subtree(all, other.ID); !slices.Equal(got, []int64{other.ID, child.ID, grand.ID}) {
			t.Errorf("after the move, Subtree(other) = %v", got)
		}
		// Now the old root may go under the grandchild: it is no longer above it.
		in = unitInput(root)
		in.ParentID = grand.ID
		if _, err := e.svc.UpdateUnit(ctx, e.adminA, root.ID, in); err != nil {
			t.Errorf("moving a unit under a unit of another branch: %v", err)
		}
		// Back to the top.
		in = unitInput(grand)
		in.ParentID = 0
		in.Version = grand.Version
		if _, err := e.svc.UpdateUnit(ctx, e.adminA, grand.ID, in); err != nil {
			t.Errorf("moving a unit to the top: %v", err)
		}
		if _, err := e.svc.Units(ctx, auth.Actor{UserID: 1, Tenant: e.a.ID}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an actor with no role listed units: %v", err)
		}
	})
}

func TestDeleteUnitThatIsNotEmpty(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		root := e.unit(t, e.adminA, 0, "Direcția Economică", 1)
		child := e.unit(t, e.adminA, root.ID, "Serviciul Buget", 1)
		staffed := e.unit(t, e.adminA, 0, "Biroul Juridic", 2)
		p, err := e.svc.CreatePerson(ctx, e.adminA, org.PersonInput{UnitID: staffed.ID, FullName: "Ion Pop", Position: org.PositionExecution, Employment: org.EmploymentContract})
		if err != nil {
			t.Fatal(err)
		}
		if p.Active {
			t.Fatal("the person was created active")
		}
		events := e.events(t, e.a.ID)

		err = e.svc.DeleteUnit(ctx, e.adminA, root.ID, root.Version)
		wantConflict(t, err, "unit.error.has_children")
		// Even an inactive person keeps a unit.
		err = e.svc.DeleteUnit(ctx, e.adminA, staffed.ID, staffed.Version)
		wantConflict(t, err, "unit.error.has_people")
		for _, u := range []org.Unit{root, child, staffed} {
			if _, err := e.svc.Unit(ctx, e.adminA, u.ID); err != nil {
				t.Errorf("unit %s is gone after a refused delete: %v", u.Name, err)
			}
		}
		if e.events(t, e.a.ID) != events {
			t.Error("refused deletes wrote audit events")
		}
		// Emptied from the bottom up, they go.
		for _, u := range []org.Unit{child, root} {
			if err := e.svc.DeleteUnit(ctx, e.adminA, u.ID, u.Version); err != nil {
				t.Fatalf("delete %s: %v", u.Name, err)
			}
		}
		if err := e.svc.DeletePerson(ctx, e.adminA, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteUnit(ctx, e.adminA, staffed.ID, staffed.Version); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM units WHERE tenant_id = $1`, e.a.ID); n != 0 {
			t.Errorf("%d units left", n)
		}
		if e.events(t, e.a.ID) != events+4 {
			t.Errorf("%d audit events for four deletes", e.events(t, e.a.ID)-events)
		}
		e.verify(t)
	})
}

// forest is, in (position, name) order:
//
//	1 Direcția Economică (pos 1)
//	  2 Serviciul Buget (pos 1)
//	    4 Biroul Salarizare
//	  3 Biroul Contabilitate (pos 2)
//	5 Direcția Tehnică (pos 2)
//	6 Compartimentul Audit, whose parent 99 is not in the list
func forest() []org.Unit {
	return []org.Unit{
		{ID: 1, Name: "Direcția Economică", Position: 1},
		{ID: 2, ParentID: 1, Name: "Serviciul Buget", Position: 1},
		{ID: 4, ParentID: 2, Name: "Biroul Salarizare", Position: 1},
		{ID: 3, ParentID: 1, Name: "Biroul Contabilitate", Position: 2},
		{ID: 5, Name: "Direcția Tehnică", Position: 2},
		{ID: 6, ParentID: 99, Name: "Compartimentul Audit", Position: 3},
	}
}

type shape struct {
	ID, Depth, People, Total int
	Children                 []int64
}

func shapes(ns []*org.TreeNode) []shape {
	out := []shape{}
	for _, n := range ns {
		s := shape{ID: int(n.ID), Depth: n.Depth, People: n.People, Total: n.Total, Children: []int64{}}
		for _, c := range n.Children {
			s.Children = append(s.Children, c.ID)
		}
		out = append(out, s)
	}
	return out
}

func TestBuildTreeFlattenSubtree(t *testing.T) {
	units := forest()
	roots := org.BuildTree(units, map[int64]int{1: 2, 2: 3, 4: 4, 3: 1, 6: 7, 42: 100})
	got := shapes(roots)
	want := []shape{
		{1, 0, 2, 10, []int64{2, 3}},
		{5, 0, 0, 0, []int64{}},
		{6, 0, 7, 7, []int64{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("roots\n got %+v\nwant %+v", got, want)
	}
	flat := org.Flatten(roots)
	got = shapes(flat)
	want = []shape{
		{1, 0, 2, 10, []int64{2, 3}},
		{2, 1, 3, 7, []int64{4}},
		{4, 2, 4, 4, []int64{}},
		{3, 1, 1, 1, []int64{}},
		{5, 0, 0, 0, []int64{}},
		{6, 0, 7, 7, []int64{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flattened\n got %+v\nwant %+v", got, want)
	}
	if flat[1].Name != "Serviciul Buget" || flat[1].ParentID != 1 {
		t.Errorf("a node lost its unit: %+v", flat[1].Unit)
	}
	if r := org.BuildTree(nil, nil); len(r) != 0 || len(org.Flatten(r)) != 0 {
		t.Errorf("an empty forest: %v", r)
	}
	// Counts may be nil.
	if r := org.BuildTree(units[:1], nil); len(r) != 1 || r[0].Total != 0 {
		t.Errorf("one unit without counts: %+v", shapes(r))
	}

	for _, c := range []struct {
		id   int64
		want []int64
	}{
		{1, []int64{1, 2, 3, 4}},
		{2, []int64{2, 4}},
		{4, []int64{4}},
		{5, []int64{5}},
		{99, []int64{99, 6}},
		{1000, []int64{1000}},
	} {
		if got := org.Subtree(units, c.id); !slices.Equal(got, c.want) {
			t.Errorf("Subtree(%d) = %v, want %v", c.id, got, c.want)
		}
	}
}

func TestTree(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tech := e.unit(t, e.adminA, 0, "Direcția Tehnică", 2)
		eco := e.unit(t, e.adminA, 0, "Direcția Economică", 1)
		// Same position: by name.
		contab := e.unit(t, e.adminA, eco.ID, "Serviciul Contabilitate", 5)
		buget := e.unit(t, e.adminA, eco.ID, "Serviciul Buget", 5)
		sal := e.unit(t, e.adminA, buget.ID, "Biroul Salarizare", 0)
		e.unit(t, e.adminB, 0, "Direcția din Sovata", 0)
		add := func(unit int64, name string, active bool) {
			t.Helper()
			if _, err := e.svc.CreatePerson(ctx, e.adminA, org.PersonInput{UnitID: unit, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: active}); err != nil {
				t.Fatal(err)
			}
		}
		add(eco.ID, "Director Economic", true)
		add(buget.ID, "Inspector Buget 1", true)
		add(buget.ID, "Inspector Buget 2", true)
		add(buget.ID, "Fost Inspector", false)
		add(sal.ID, "Referent Salarizare", true)
		add(0, "Primar", true)

		roots, err := e.svc.Tree(ctx, e.viewA)
		if err != nil {
			t.Fatal(err)
		}
		got := shapes(org.Flatten(roots))
		want := []shape{
			{int(eco.ID), 0, 1, 4, []int64{buget.ID, contab.ID}},
			{int(buget.ID), 1, 2, 3, []int64{sal.ID}},
			{int(sal.ID), 2, 1, 1, []int64{}},
			{int(contab.ID), 1, 0, 0, []int64{}},
			{int(tech.ID), 0, 0, 0, []int64{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("tree\n got %+v\nwant %+v", got, want)
		}
		opts, err := e.svc.UnitOptions(ctx, e.viewA)
		if err != nil {
			t.Fatal(err)
		}
		want = []shape{
			{int(eco.ID), 0, 0, 0, []int64{buget.ID, contab.ID}},
			{int(buget.ID), 1, 0, 0, []int64{sal.ID}},
			{int(sal.ID), 2, 0, 0, []int64{}},
			{int(contab.ID), 1, 0, 0, []int64{}},
			{int(tech.ID), 0, 0, 0, []int64{}},
		}
		if got := shapes(opts); !reflect.DeepEqual(got, want) {
			t.Errorf("unit options\n got %+v\nwant %+v", got, want)
		}
		if _, err := e.svc.Tree(ctx, auth.Actor{UserID: 1, Tenant: e.a.ID}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an actor with no role read the tree: %v", err)
		}
		bRoots, err := e.svc.Tree(ctx, e.adminB)
		if err != nil || len(bRoots) != 1 || bRoots[0].Name != "Direcția din Sovata" || bRoots[0].Total != 0 {
			t.Errorf("b's tree = %+v, %v", bRoots, err)
		}
	})
}
