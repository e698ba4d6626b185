package web

// initImprovement wires the nonconformity and proposal service.
func (s *Server) initImprovement() error {
	return nil
}

// improvementRoutes are the pages of nonconformities, corrective actions and
// improvement proposals.
func (s *Server) improvementRoutes() []route {
	return nil
}
