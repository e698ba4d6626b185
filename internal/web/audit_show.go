package web

import (
	"encoding/json"
	"net/http"
	"sort"

	"cadran/internal/audit"
	"cadran/internal/auth"
)

// fieldChange is one field of a record before and after an event.
type fieldChange struct {
	Field, Before, After string
	Changed              bool
}

type auditShowData struct {
	Event   audit.Stored
	Changes []fieldChange
}

func (s *Server) auditShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermAuditView); err != nil {
		return err
	}
	e, err := audit.Get(r.Context(), s.db.R, a.Tenant, id)
	if err != nil {
		return err
	}
	p := s.page(r, "audit.show_title", auditShowData{Event: e, Changes: diff(e.Before, e.After)})
	return s.render(w, http.StatusOK, "audit_show", p)
}

// diff lines up the fields of two JSON objects.
func diff(before, after string) []fieldChange {
	var b, a map[string]any
	_ = json.Unmarshal([]byte(before), &b)
	_ = json.Unmarshal([]byte(after), &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	out := make([]fieldChange, 0, len(keys))
	for k := range keys {
		bv, av := show(b, k), show(a, k)
		out = append(out, fieldChange{Field: k, Before: bv, After: av, Changed: bv != av})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func show(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
