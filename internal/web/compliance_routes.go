package web

import "cadran/internal/compliance"

func (s *Server) initCompliance() error {
	s.compliance = &compliance.Service{DB: s.db, Clock: s.clock, Work: s.work}
	return nil
}

// complianceRoutes are the pages of the ISO 9001 compliance matrix,
// readiness, external audits and certificates.
func (s *Server) complianceRoutes() []route {
	return nil
}
