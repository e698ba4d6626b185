package web

import "cadran/internal/audits"

func (s *Server) initAudits() error {
	s.audits = &audits.Service{DB: s.db, Clock: s.clock, Work: s.work, Improve: s.improve}
	return nil
}

// internalAuditRoutes are the pages of the audit programme, audits and
// auditors.
func (s *Server) internalAuditRoutes() []route {
	return nil
}
