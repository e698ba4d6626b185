package web

// controlSensRoutes: the groundwork's stub; the helper who owns this file
// lists the part's routes here.
func (s *Server) controlSensRoutes() []route {
	return nil
}
