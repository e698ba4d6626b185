package web

import "net/http"

// registersOverview is the overview of the registers: open cases by age,
// overdue actions, risks above tolerance.
func (s *Server) registersOverview(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "registers", s.page(r, "registers.title", nil))
}
