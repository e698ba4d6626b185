package web

import (
	"net/http"
	"time"

	"cadran/internal/work"
)

type workData struct {
	Inbox work.Inbox
	Kinds []string
}

// workShow is "my work": the person's open tasks grouped by when they are
// due, their units' tasks for a head of unit, and the institution's overdue
// tasks for those who oversee it.
func (s *Server) workShow(w http.ResponseWriter, r *http.Request) error {
	in, err := s.work.MyWork(r.Context(), actorOf(r), r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "work", s.page(r, "work.title", &workData{Inbox: in, Kinds: work.Kinds}))
}

// DueLabel describes a due day against today: "azi", "întârziere de 3 zile"
// or the date.
func (p *Page) DueLabel(due, today time.Time) string {
	switch days := int(today.Sub(due).Hours() / 24); {
	case days > 0:
		return p.T("task.days_late", "Count", days)
	case days == 0:
		return p.T("task.today")
	}
	return p.CivilDate(due)
}

// CivilDate formats a due day (a civil date) in the page's language.
func (p *Page) CivilDate(day time.Time) string {
	if day.IsZero() {
		return ""
	}
	return p.l.Date(time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC))
}

// CivilDay formats a stored YYYY-MM-DD day in the page's language; anything
// else prints as it is.
func (p *Page) CivilDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return p.CivilDate(t)
}
