package web

import (
	"net/http"

	"cadran/internal/org"
)

type unitListData struct {
	Roots []*org.TreeNode
	Count int
}

// unitList shows the organisational chart as a tree.
func (s *Server) unitList(w http.ResponseWriter, r *http.Request) error {
	roots, err := s.org.Tree(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "unit_list", s.page(r, "unit.list_title", unitListData{Roots: roots, Count: len(org.Flatten(roots))}))
}
