package web

// initRisks wires the risk register's service.
func (s *Server) initRisks() error {
	return nil
}

// riskRoutes are the risk and opportunity register's pages.
func (s *Server) riskRoutes() []route {
	return nil
}
