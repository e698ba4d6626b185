// Package apperr holds the application's error kinds. Domain code returns
// them; the web layer maps each kind to an HTTP status in one table.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error for the person who sees it.
type Kind int

const (
	KindInternal Kind = iota
	KindNotFound
	KindInvalid
	KindConflict
	KindForbidden
	KindUnauthenticated
	KindTooManyRequests
)

// Error is an application error. Key is a message-catalogue key that tells the
// person what happened in their language; Err is the underlying cause, if any.
type Error struct {
	Kind Kind
	Key  string
	Args map[string]any
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Key + ": " + e.Err.Error()
	}
	return e.Key
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, ErrNotFound) match any not-found error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Key == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is checks: they match any error of their kind.
var (
	ErrNotFound        = &Error{Kind: KindNotFound}
	ErrInvalid         = &Error{Kind: KindInvalid}
	ErrConflict        = &Error{Kind: KindConflict}
	ErrForbidden       = &Error{Kind: KindForbidden}
	ErrUnauthenticated = &Error{Kind: KindUnauthenticated}
)

// NotFound reports that the named entity does not exist in the caller's
// institution. It deliberately says nothing about other institutions.
func NotFound(entity string) error {
	return &Error{Kind: KindNotFound, Key: "error.not_found", Args: map[string]any{"Entity": entity}}
}

// Forbidden reports that the actor lacks a permission.
func Forbidden(permission string) error {
	return &Error{Kind: KindForbidden, Key: "error.forbidden", Args: map[string]any{"Permission": permission}}
}

// Stale reports an optimistic-concurrency conflict: the record changed since
// the person loaded it.
func Stale() error { return &Error{Kind: KindConflict, Key: "error.stale"} }

// Conflict reports a uniqueness or state conflict with a specific message key.
func Conflict(key string) error { return &Error{Kind: KindConflict, Key: key} }

// KindOf returns the kind of err, KindInternal for errors that are not ours.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var v Validation
	if errors.As(err, &v) {
		return KindInvalid
	}
	return KindInternal
}

// Validation maps form field names to message keys. An empty Validation is no
// error; use Err() to turn it into one.
type Validation map[string]string

// Add records a problem with field, keeping the first one found.
func (v Validation) Add(field, key string) {
	if _, ok := v[field]; !ok {
		v[field] = key
	}
}

// Err returns v as an error, or nil when there is nothing to report.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

func (v Validation) Error() string {
	fields := make([]string, 0, len(v))
	for f, k := range v {
		fields = append(fields, f+": "+k)
	}
	sort.Strings(fields)
	return fmt.Sprintf("invalid input (%s)", strings.Join(fields, ", "))
}

// AsValidation extracts field errors from err, if it carries any.
func AsValidation(err error) (Validation, bool) {
	var v Validation
	if errors.As(err, &v) {
		return v, true
	}
	return nil, false
}
