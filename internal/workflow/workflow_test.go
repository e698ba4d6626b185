package workflow_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/workflow"
)

type doc struct{ Author int64 }

const (
	draft    workflow.State = "draft"
	checking workflow.State = "verification"
	approval workflow.State = "approval"
	inForce  workflow.State = "in_force"
	retired  workflow.State = "withdrawn"
)

var notOwn = func(a auth.Actor, d doc) error {
	if a.UserID == d.Author {
		return apperr.Conflict("doc.error.own")
	}
	return nil
}

// A document-like machine, as the documents module will declare it.
var docs = workflow.New("document", draft, []workflow.State{draft, checking, approval, inForce, retired},
	workflow.Transition[doc]{Name: "submit", From: []workflow.State{draft}, To: checking},
	workflow.Transition[doc]{Name: "verify", From: []workflow.State{checking}, To: approval, Perm: auth.PermOrgManage, Guard: notOwn},
	workflow.Transition[doc]{Name: "reject", From: []workflow.State{checking, approval}, To: draft, Reason: true},
	workflow.Transition[doc]{Name: "approve", From: []workflow.State{approval}, To: inForce, Perm: auth.PermInstitutionEdt, Guard: notOwn},
	workflow.Transition[doc]{Name: "withdraw", From: []workflow.State{inForce}, To: retired, Perm: auth.PermInstitutionEdt, Reason: true},
)

var (
	author = auth.Actor{UserID: 1, Name: "Ana Autor", Roles: []auth.Role{auth.RoleQualityManager}}
	qm     = auth.Actor{UserID: 2, Name: "Ion Verificator", Roles: []auth.Role{auth.RoleQualityManager}}
	mayor  = auth.Actor{UserID: 3, Name: "Primarul", Roles: []auth.Role{auth.RoleAdmin, auth.RoleTopManagement}}
	clerk  = auth.Actor{UserID: 4, Name: "Angajat", Roles: []auth.Role{auth.RoleEmployee}}
	at     = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
)

func TestFire(t *testing.T) {
	d := doc{Author: author.UserID}
	cases := []struct {
		name   string
		from   workflow.State
		action string
		actor  auth.Actor
		reason string
		to     workflow.State
		err    error
		key    string
	}{
		{"author submits", draft, "submit", author, "", checking, nil, ""},
		{"checker verifies", checking, "verify", qm, "", approval, nil, ""},
		{"the author may not verify their own", checking, "verify", author, "", "", apperr.ErrConflict, "doc.error.own"},
		{"an employee may not verify", checking, "verify", clerk, "", "", apperr.ErrForbidden, ""},
		{"rejection needs a reason", approval, "reject", mayor, "  ", "", apperr.ErrInvalid, ""},
		{"rejection with a reason", approval, "reject", mayor, "Lipsește anexa 2", draft, nil, ""},
		{"approval skips no step", checking, "approve", mayor, "", "", apperr.ErrConflict, "workflow.error.transition"},
		{"unknown action", draft, "publish", mayor, "", "", apperr.ErrConflict, "workflow.error.transition"},
		{"mayor approves", approval, "approve", mayor, "", inForce, nil, ""},
		{"a reason too long", inForce, "withdraw", mayor, strings.Repeat("ă", workflow.MaxReason+1), "", apperr.ErrInvalid, ""},
	}
	for _, c := range cases {
		step, err := docs.Fire(c.from, c.action, c.actor, d, c.reason, at)
		if c.err == nil {
			if err != nil || step.To != c.to || step.From != c.from || step.Action != c.action || step.Actor != c.actor.Name || step.ActorID != c.actor.UserID || !step.At.Equal(at) || step.Machine != "document" {
				t.Errorf("%s: step %+v, %v", c.name, step, err)
			}
			if step.Reason != strings.TrimSpace(c.reason) {
				t.Errorf("%s: reason %q", c.name, step.Reason)
			}
			continue
		}
		if c.err == apperr.ErrInvalid {
			if v, ok := apperr.AsValidation(err); !ok || v["reason"] == "" {
				t.Errorf("%s: error %v, want a validation error on the reason", c.name, err)
			}
			continue
		}
		if !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			continue
		}
		var ae *apperr.Error
		if c.key != "" && (!errors.As(err, &ae) || ae.Key != c.key) {
			t.Errorf("%s: error %v, want key %s", c.name, err, c.key)
		}
	}
}

func TestActionsShowOnlyWhatWorks(t *testing.T) {
	d := doc{Author: author.UserID}
	for _, c := range []struct {
		from  workflow.State
		actor auth.Actor
		want  []string
	}{
		{draft, author, []string{"submit"}},
		{checking, author, []string{"reject"}}, // not verify: own document
		{checking, qm, []string{"verify", "reject"}},
		{checking, clerk, []string{"reject"}},
		{approval, mayor, []string{"reject", "approve"}},
		{inForce, qm, nil},
		{inForce, mayor, []string{"withdraw"}},
		{retired, mayor, nil},
	} {
		if got := docs.Actions(c.from, c.actor, d); !slices.Equal(got, c.want) {
			t.Errorf("actions of %s in %s = %v, want %v", c.actor.Name, c.from, got, c.want)
		}
	}
	if !docs.NeedsReason(approval, "reject") || docs.NeedsReason(draft, "submit") {
		t.Error("NeedsReason is wrong")
	}
	if !docs.Terminal(retired) || docs.Terminal(inForce) {
		t.Error("Terminal is wrong")
	}
}

func TestNewRefusesMistakes(t *testing.T) {
	states := []workflow.State{"a", "b"}
	for name, build := range map[string]func(){
		"undeclared initial": func() { workflow.New[doc]("x", "z", states) },
		"undeclared target": func() {
			workflow.New("x", "a", states, workflow.Transition[doc]{Name: "go", From: []workflow.State{"a"}, To: "z"})
		},
		"undeclared source": func() {
			workflow.New("x", "a", states, workflow.Transition[doc]{Name: "go", From: []workflow.State{"z"}, To: "b"})
		},
		"no source": func() { workflow.New("x", "a", states, workflow.Transition[doc]{Name: "go", To: "b"}) },
		"declared twice": func() {
			workflow.New("x", "a", states, workflow.Transition[doc]{Name: "go", From: []workflow.State{"a"}, To: "b"}, workflow.Transition[doc]{Name: "go", From: []workflow.State{"a"}, To: "a"})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: New did not panic", name)
				}
			}()
			build()
		}()
	}
}
