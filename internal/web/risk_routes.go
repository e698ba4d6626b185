package web

import "cadran/internal/risks"

// initRisks wires the risk register's service and its import target.
func (s *Server) initRisks() error {
	s.risks = &risks.Service{DB: s.db, Clock: s.clock, Work: s.work}
	t := s.risks.Importer()
	s.importTargets[t.Name()] = t
	return nil
}

// riskRoutes are the risk and opportunity register's pages.
func (s *Server) riskRoutes() []route {
	return []route{
		{"GET", "/risks", false, s.riskList},
		{"GET", "/risks/new", false, s.riskNew},
		{"POST", "/risks", false, s.riskCreate},
		{"GET", "/risks/export.xlsx", false, s.riskExport},
		{"GET", "/risks/profile.pdf", false, s.riskProfile},
		{"GET", "/risks/settings", false, s.riskSettings},
		{"POST", "/risks/settings", false, s.riskSettingsSave},
		{"GET", "/risks/reviews", false, s.riskRegisterReviews},
		{"GET", "/risks/reviews/export.xlsx", false, s.riskReviewExport},
		{"POST", "/risks/reviews", false, s.riskRegisterReviewCreate},
		{"POST", "/risks/years", false, s.riskYearStart},
		{"GET", "/risks/{id}", false, s.riskShow},
		{"GET", "/risks/{id}/edit", false, s.riskEdit},
		{"POST", "/risks/{id}", false, s.riskUpdate},
		{"POST", "/risks/{id}/step", false, s.riskStep},
		{"POST", "/risks/{id}/measures", false, s.riskMeasureAdd},
		{"POST", "/risks/{id}/measures/{mid}", false, s.riskMeasureUpdate},
		{"POST", "/risks/{id}/review", false, s.riskReview},
	}
}
