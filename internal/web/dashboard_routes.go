package web

// dashboardRoutes are the role dashboards. The home page (GET /, home.go)
// shows the dashboard of the signed-in person's role.
func (s *Server) dashboardRoutes() []route {
	return []route{}
}
