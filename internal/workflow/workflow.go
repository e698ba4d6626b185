// Package workflow is the one state-machine helper that documents,
// nonconformities, audits and assessments use: the states a record can be
// in, the transitions between them, who may trigger each, which need a
// reason, and the step each transition leaves for the record's history.
// Modules declare their machine once, as data, instead of scattering
// `if status == ...` through handlers.
package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/auth"
)

// State is where a record stands, such as "draft" or "in_force".
type State string

// Transition moves a record from one of From to To.
type Transition[T any] struct {
	Name string // "submit", "approve", "reject", ...
	From []State
	To   State
	// Perm, when set, is the permission the actor needs.
	Perm auth.Permission
	// Reason makes the actor say why (a rejection, a withdrawal).
	Reason bool
	// Guard, when set, refuses the step for this record and actor with an
	// application error (for example: an author may not approve their own
	// document).
	Guard func(a auth.Actor, rec T) error
}

// Machine is a set of states and transitions over records of type T.
type Machine[T any] struct {
	Name        string
	States      []State
	Initial     State
	transitions []Transition[T]
}

// MaxReason is the longest reason accepted, in characters.
const MaxReason = 1000

// New checks and returns a machine: the initial state and every state a
// transition names must be declared, and no two transitions may share a name
// and a source state. It panics on a mistake, which is a programming error
// found by the module's first test.
func New[T any](name string, initial State, states []State, ts ...Transition[T]) *Machine[T] {
	m := &Machine[T]{Name: name, States: states, Initial: initial, transitions: ts}
	if !slices.Contains(states, initial) {
		panic(fmt.Sprintf("workflow %s: initial state %q is not declared", name, initial))
	}
	seen := map[string]bool{}
	for _, t := range ts {
		if t.Name == "" || len(t.From) == 0 {
			panic(fmt.Sprintf("workflow %s: a transition needs a name and a source state", name))
		}
		if !slices.Contains(states, t.To) {
			panic(fmt.Sprintf("workflow %s: transition %s goes to the undeclared state %q", name, t.Name, t.To))
		}
		for _, f := range t.From {
			if !slices.Contains(states, f) {
				panic(fmt.Sprintf("workflow %s: transition %s leaves the undeclared state %q", name, t.Name, f))
			}
			key := t.Name + "@" + string(f)
			if seen[key] {
				panic(fmt.Sprintf("workflow %s: transition %s from %q is declared twice", name, t.Name, f))
			}
			seen[key] = true
		}
	}
	return m
}

// Step is what a transition leaves behind for the record's history and its
// audit event.
type Step struct {
	Machine string    `json:"workflow"`
	Action  string    `json:"action"`
	From    State     `json:"from"`
	To      State     `json:"to"`
	Reason  string    `json:"reason,omitempty"`
	ActorID int64     `json:"actor_id"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

func (m *Machine[T]) find(from State, action string) (Transition[T], bool) {
	for _, t := range m.transitions {
		if t.Name == action && slices.Contains(t.From, from) {
			return t, true
		}
	}
	return Transition[T]{}, false
}

// Fire checks that action may move rec from its state from, by a, with
// reason, and returns the step to record. It changes nothing itself: the
// module writes the new state and the step in its own transaction.
//
// Errors: an action not possible from this state is a conflict
// ("workflow.error.transition": typically the page was out of date); a
// missing permission is forbidden; a missing or too long reason is a
// validation error on "reason"; a guard's error is returned as it is.
func (m *Machine[T]) Fire(from State, action string, a auth.Actor, rec T, reason string, at time.Time) (Step, error) {
	t, ok := m.find(from, action)
	if !ok {
		return Step{}, apperr.Conflict("workflow.error.transition")
	}
	if t.Perm != "" {
		if err := a.Require(t.Perm); err != nil {
			return Step{}, err
		}
	}
	reason = strings.TrimSpace(reason)
	switch {
	case t.Reason && reason == "":
		return Step{}, apperr.Validation{"reason": "workflow.error.reason_required"}
	case utf8.RuneCountInString(reason) > MaxReason:
		return Step{}, apperr.Validation{"reason": "error.too_long"}
	}
	if t.Guard != nil {
		if err := t.Guard(a, rec); err != nil {
			return Step{}, err
		}
	}
	return Step{Machine: m.Name, Action: action, From: from, To: t.To, Reason: reason, ActorID: a.UserID, Actor: a.Name, At: at}, nil
}

// Actions lists the actions a may take on rec in state from, in declaration
// order, so a page shows only the buttons that will work.
func (m *Machine[T]) Actions(from State, a auth.Actor, rec T) []string {
	var out []string
	for _, t := range m.transitions {
		if !slices.Contains(t.From, from) || (t.Perm != "" && !a.Can(t.Perm)) {
			continue
		}
		if t.Guard != nil && t.Guard(a, rec) != nil {
			continue
		}
		out = append(out, t.Name)
	}
	return out
}

// NeedsReason reports whether action from state from asks for a reason.
func (m *Machine[T]) NeedsReason(from State, action string) bool {
	t, ok := m.find(from, action)
	return ok && t.Reason
}

// Terminal reports whether no transition leaves s.
func (m *Machine[T]) Terminal(s State) bool {
	for _, t := range m.transitions {
		if slices.Contains(t.From, s) {
			return false
		}
	}
	return true
}
