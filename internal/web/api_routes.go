package web

// apiRoutes is the JSON API under /api/v1. The routes are public to the
// session middleware: each handler authenticates the bearer token (or the
// signed-in session) itself, then checks the same permissions as the pages.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET", "/api/v1/kpis/{code}/measurements", true, s.apiMeasurementList},
		{"POST", "/api/v1/kpis/{code}/measurements", true, s.apiMeasurementCreate},
	}
}
