package web

import "cadran/internal/dashboard"

// initDashboard wires the role dashboards' own queries.
func (s *Server) initDashboard() error {
	s.dashboard = &dashboard.Service{DB: s.db, Clock: s.clock}
	return nil
}

// dashboardRoutes are the role dashboards. The home page (GET /, home.go)
// shows the dashboard of the signed-in person's role.
func (s *Server) dashboardRoutes() []route {
	return []route{}
}
