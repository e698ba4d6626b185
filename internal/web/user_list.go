package web

import (
	"net/http"

	"cadran/internal/auth"
)

type userListData struct {
	Users []auth.User
	Query string
	Role  string
	Roles []auth.Role
	Pager pager
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pg := newPager(r, 50)
	users, total, err := s.auth.Users(r.Context(), actorOf(r), auth.UserFilter{Query: q.Get("q"), Role: auth.Role(q.Get("role")), Limit: pg.PerPage, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	pg.Total = total
	return s.render(w, http.StatusOK, "user_list", s.page(r, "user.list_title", userListData{Users: users, Query: q.Get("q"), Role: q.Get("role"), Roles: auth.Roles, Pager: pg}))
}
