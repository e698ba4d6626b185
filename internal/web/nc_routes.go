package web

import "cadran/internal/improvement"

// initImprovement wires the nonconformity and proposal service and offers
// the nonconformity log as an import target.
func (s *Server) initImprovement() error {
	s.improve = &improvement.Service{DB: s.db, Clock: s.clock, Work: s.work}
	t := s.improve.Importer()
	s.importTargets[t.Name()] = t
	return nil
}

// improvementRoutes are the pages of nonconformities, corrective actions and
// improvement proposals.
func (s *Server) improvementRoutes() []route {
	return []route{
		{"GET", "/nonconformities", false, s.ncList},
		{"GET", "/nonconformities/export.xlsx", false, s.ncExport},
		{"GET", "/nonconformities/export.pdf", false, s.ncExportPDF},
		{"GET", "/nonconformities/new", false, s.ncNew},
		{"POST", "/nonconformities", false, s.ncCreate},
		{"GET", "/nonconformities/actions", false, s.ncActionList},
		{"GET", "/nonconformities/actions/export.xlsx", false, s.ncActionExport},
		{"GET", "/nonconformities/{id}", false, s.ncShow},
		{"GET", "/nonconformities/{id}/edit", false, s.ncEdit},
		{"POST", "/nonconformities/{id}", false, s.ncUpdate},
		{"POST", "/nonconformities/{id}/step", false, s.ncStep},
		{"POST", "/nonconformities/{id}/analysis", false, s.ncAnalysis},
		{"POST", "/nonconformities/{id}/actions", false, s.ncActionAdd},
		{"POST", "/nonconformities/{id}/actions/{caid}", false, s.ncActionUpdate},
		{"POST", "/nonconformities/{id}/actions/{caid}/done", false, s.ncActionDone},
		{"POST", "/nonconformities/{id}/actions/{caid}/cancel", false, s.ncActionCancel},
		{"GET", "/nonconformities/{id}/report.pdf", false, s.ncReportPDF},
		{"GET", "/nonconformities/{id}/report.docx", false, s.ncReportDOCX},

		{"GET", "/proposals", false, s.proposalList},
		{"GET", "/proposals/export.xlsx", false, s.proposalExport},
		{"GET", "/proposals/new", false, s.proposalNew},
		{"POST", "/proposals", false, s.proposalCreate},
		{"GET", "/proposals/{id}", false, s.proposalShow},
		{"POST", "/proposals/{id}/step", false, s.proposalStep},
		{"POST", "/proposals/{id}/actions", false, s.proposalActionAdd},
		{"POST", "/proposals/{id}/actions/{paid}/done", false, s.proposalActionDone},
	}
}
