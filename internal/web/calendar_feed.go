package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// calendarFeed serves a person's open tasks as iCalendar. It needs no
// session: the secret token in the address is the credential, so calendar
// programs can subscribe. An unknown or revoked token is simply not found.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return apperr.NotFound("calendar")
	}
	uid, err := s.work.FeedUser(r.Context(), token)
	if err != nil {
		return err
	}
	a, err := s.auth.ActorByID(r.Context(), uid)
	if errors.Is(err, apperr.ErrUnauthenticated) {
		return apperr.NotFound("calendar") // a disabled account's feed stops
	}
	if err != nil {
		return err
	}
	tasks, err := s.work.Mine(r.Context(), a)
	if err != nil {
		return err
	}
	lang := a.Locale
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	l := s.i18n.Localizer(lang)
	base := s.baseURL(r)
	host := "cadran"
	if i := strings.Index(base, "://"); i >= 0 {
		host = strings.SplitN(base[i+3:], "/", 2)[0]
	}
	cal := report.Calendar{Name: l.T("calendar.name", "Name", a.Name)}
	prio := map[string]int{"high": 1, "normal": 5, "low": 9}
	for _, t := range tasks {
		desc := l.T("task.kind."+t.Kind) + " · " + l.T("task.priority") + ": " + l.T("task.priority."+t.Priority)
		if t.UnitName != "" {
			desc += " · " + t.UnitName
		}
		if t.Details != "" {
			desc += "\n\n" + t.Details
		}
		cal.Events = append(cal.Events, report.Event{
			UID: "task-" + strconv.FormatInt(t.ID, 10) + "@" + host, Day: t.Due, Summary: t.Title, Description: desc,
			URL: base + t.URL(), Categories: []string{l.T("task.kind." + t.Kind)}, Priority: prio[t.Priority],
			Stamp: t.UpdatedAt, LastModified: t.UpdatedAt,
		})
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="cadran.ics"`)
	w.Header().Set("Cache-Control", "private, max-age=300")
	return report.WriteICS(w, cal)
}
