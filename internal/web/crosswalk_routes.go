package web

import "cadran/internal/crosswalk"

// initCrosswalk wires the crosswalk between ISO 9001, CAF and OSGG 600.
func (s *Server) initCrosswalk() error {
	s.crosswalk = &crosswalk.Service{DB: s.db, Clock: s.clock}
	return nil
}

// crosswalkRoutes are the crosswalk between ISO 9001 clauses, CAF
// sub-criteria and OSGG 600 standards, the evidence it shares and the
// readiness per framework.
func (s *Server) crosswalkRoutes() []route {
	return []route{}
}
