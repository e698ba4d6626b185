package web

import "cadran/internal/crosswalk"

// initCrosswalk wires the crosswalk between ISO 9001, CAF and OSGG 600: it
// reads the ISO clauses' evidence through the compliance matrix.
func (s *Server) initCrosswalk() error {
	s.crosswalk = &crosswalk.Service{DB: s.db, Clock: s.clock, Compliance: s.compliance}
	return nil
}

// crosswalkRoutes are the crosswalk between ISO 9001 clauses, CAF
// sub-criteria and OSGG 600 standards, the evidence it shares and the
// readiness per framework.
func (s *Server) crosswalkRoutes() []route {
	return []route{
		{"GET", "/crosswalk", false, s.crosswalkMap},
		{"GET", "/crosswalk/export.xlsx", false, s.crosswalkExport},
		{"POST", "/crosswalk/pairs", false, s.crosswalkPairAdd},
		{"POST", "/crosswalk/pairs/{cwid}/delete", false, s.crosswalkPairDelete},
		{"POST", "/crosswalk/restore", false, s.crosswalkRestore},
		{"GET", "/crosswalk/{cwfw}", false, s.crosswalkReadiness},
		{"GET", "/crosswalk/{cwfw}/export.xlsx", false, s.crosswalkReadinessExport},
		{"GET", "/crosswalk/{cwfw}/{cwcode}", false, s.crosswalkItem},
		{"GET", "/crosswalk/{cwfw}/{cwcode}/export.xlsx", false, s.crosswalkItemExport},
	}
}
