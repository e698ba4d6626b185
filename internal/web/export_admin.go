package web

// The exports of the administration lists that had none: the units, the
// user accounts, the person's notifications and the platform's
// institutions. Each reads through the same service call as its page, so
// the same permission check and the same filters apply.

import (
	"net/http"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
)

// exportAll is how many rows an export reads at most: every page of a list.
const exportAll = 10000

func yesNo(l *i18n.Localizer, b bool) string {
	if b {
		return l.T("common.yes")
	}
	return l.T("common.no")
}

// unitExport sends the organisational chart, one unit a row in the order of
// the tree, with the unit it reports to and its people.
func (s *Server) unitExport(w http.ResponseWriter, r *http.Request) error {
	roots, err := s.org.Tree(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("unit.list_title"), Headers: []string{l.T("field.code"), l.T("field.name"), l.T("field.kind"),
		l.T("field.parent_id"), l.T("field.relation"), l.T("field.legal_person"), l.T("exports.unit.level"), l.T("exports.unit.people"), l.T("exports.unit.people_total")}}
	names := map[int64]string{}
	for _, n := range org.Flatten(roots) {
		names[n.ID] = n.Name
	}
	for _, n := range org.Flatten(roots) {
		t.Rows = append(t.Rows, []any{n.Code, n.Name, l.T("unit.kind." + n.Kind), names[n.ParentID], l.T("unit.relation." + n.Relation),
			yesNo(l, n.LegalPerson), n.Depth + 1, n.People, n.Total})
	}
	return sendTables(w, r, l.T("exports.unit.file"), t)
}

// userExport sends the filtered user accounts (administrators only, as the
// page).
func (s *Server) userExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	users, _, err := s.auth.Users(r.Context(), actorOf(r), auth.UserFilter{Query: q.Get("q"), Role: auth.Role(q.Get("role")), Limit: exportAll})
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("user.list_title"), Headers: []string{l.T("field.username"), l.T("field.display_name"), l.T("field.email"),
		l.T("field.roles"), l.T("user.platform_admin"), l.T("user.last_login"), l.T("person.status")}}
	for _, u := range users {
		roles := make([]string, len(u.Roles))
		for i, ro := range u.Roles {
			roles[i] = l.T("role." + string(ro))
		}
		var last any
		if u.LastLoginAt != nil {
			last = *u.LastLoginAt
		}
		status := l.T("user.enabled")
		if u.Disabled {
			status = l.T("user.disabled")
		}
		t.Rows = append(t.Rows, []any{u.Username, u.DisplayName, u.Email, strings.Join(roles, ", "), yesNo(l, u.PlatformAdmin), last, status})
	}
	return sendTables(w, r, l.T("exports.user.file"), t)
}

// notificationExport sends the signed-in person's notifications, newest
// first, all of them or the unread ones as the page shows.
func (s *Server) notificationExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	unread := r.URL.Query().Get("unread") == "1"
	l := localizer(r)
	t := report.Table{Sheet: l.T("notify.title"), Headers: []string{l.T("exports.notify.created"), l.T("exports.notify.text"), l.T("field.kind"),
		l.T("task.due"), l.T("exports.notify.read"), l.T("exports.notify.link")}}
	const batch = 500 // the most the service gives at once
	for off := 0; off < exportAll; off += batch {
		list, total, err := s.notify.List(r.Context(), a, unread, batch, off)
		if err != nil {
			return err
		}
		for _, n := range list {
			kind, read := "", any(nil)
			if n.Kind != "" {
				kind = l.T("task.kind." + n.Kind)
			}
			if n.ReadAt != nil {
				read = *n.ReadAt
			}
			var due any
			if !n.Due.IsZero() {
				due = n.Due
			}
			t.Rows = append(t.Rows, []any{n.CreatedAt, l.T("notify.event."+n.Event, "Title", n.Title), kind, due, read, notificationURL(n)})
		}
		if off+batch >= total {
			break
		}
	}
	return sendTables(w, r, l.T("exports.notify.file"), t)
}

// platformInstitutionExport sends the deployment's institutions (platform
// administrators only, as the page).
func (s *Server) platformInstitutionExport(w http.ResponseWriter, r *http.Request) error {
	list, _, err := s.org.Institutions(r.Context(), actorOf(r), r.URL.Query().Get("q"), exportAll, 0)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("platform.title"), Headers: []string{l.T("field.name"), l.T("field.cui"), l.T("field.kind"), l.T("field.county"),
		l.T("home.units"), l.T("home.people"), l.T("home.users")}}
	for _, x := range list {
		t.Rows = append(t.Rows, []any{x.Name, x.CUI, l.T("institution.kind." + x.Kind), x.County, x.Units, x.People, x.Users})
	}
	return sendTables(w, r, l.T("exports.platform.file"), t)
}
