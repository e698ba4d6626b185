package web

import (
	"net/http"
	"strconv"

	"cadran/internal/notify"
)

type notificationListData struct {
	Notifications []notify.Notification
	UnreadOnly    bool
	Pager         pager
}

// notificationList shows the person's notifications, newest first.
func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	unread := r.URL.Query().Get("unread") == "1"
	pg := newPager(r, 25)
	list, total, err := s.notify.List(r.Context(), a, unread, pg.PerPage, pg.Offset())
	if err != nil {
		return err
	}
	pg.Total = total
	return s.render(w, http.StatusOK, "notification_list", s.page(r, "notify.title", &notificationListData{Notifications: list, UnreadOnly: unread, Pager: pg}))
}

// notificationOpen marks a notification read and goes to its task.
func (s *Server) notificationOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.notify.MarkRead(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	if r.FormValue("stay") == "1" || n.TaskID == 0 {
		return redirect(w, r, "/notifications")
	}
	return redirect(w, r, notificationURL(n))
}

// notificationReadAll marks every notification read.
func (s *Server) notificationReadAll(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.notify.MarkAllRead(r.Context(), actorOf(r)); err != nil {
		return err
	}
	s.flash(r, "notify.flash.all_read")
	return redirect(w, r, "/notifications")
}

// notificationURL is where a notification leads: the task's record, or the task.
func notificationURL(n notify.Notification) string {
	if n.Link != "" {
		return n.Link
	}
	return "/tasks/" + strconv.FormatInt(n.TaskID, 10)
}
