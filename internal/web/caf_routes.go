package web

import "cadran/internal/caf"

func (s *Server) initCAF() error {
	s.caf = &caf.Service{DB: s.db, Clock: s.clock, Work: s.work, Improve: s.improve}
	return nil
}

// cafRoutes are the pages of CAF self-assessment.
func (s *Server) cafRoutes() []route {
	return []route{
		// Cycles, steps, the group, individual assessment, consensus and
		// evidence (caf_cycle.go and the files it points to).
		{"GET", "/caf", false, s.cafList},
		{"GET", "/caf/export.xlsx", false, s.cafExport},
		{"GET", "/caf/model", false, s.cafModel},
		{"GET", "/caf/new", false, s.cafNew},
		{"POST", "/caf", false, s.cafCreate},
		{"GET", "/caf/{id}", false, s.cafShow},
		{"GET", "/caf/{id}/edit", false, s.cafEdit},
		{"POST", "/caf/{id}", false, s.cafUpdate},
		{"POST", "/caf/{id}/fire", false, s.cafFire},
		{"POST", "/caf/{id}/steps/{n}", false, s.cafStep},
		{"POST", "/caf/{id}/members", false, s.cafMemberAdd},
		{"POST", "/caf/{id}/members/{pid}/remove", false, s.cafMemberRemove},
		{"POST", "/caf/{id}/next", false, s.cafNext},
		{"GET", "/caf/{id}/assess", false, s.cafAssessList},
		{"GET", "/caf/{id}/assess/{sub}", false, s.cafAssessForm},
		{"POST", "/caf/{id}/assess/{sub}", false, s.cafAssessSave},
		{"POST", "/caf/{id}/submit", false, s.cafSubmit},
		{"GET", "/caf/{id}/consensus", false, s.cafBoard},
		{"GET", "/caf/{id}/consensus/{sub}", false, s.cafSubBoard},
		{"POST", "/caf/{id}/consensus/{sub}", false, s.cafConsensusSave},
		{"GET", "/caf/{id}/evidence", false, s.cafEvidenceList},
		{"POST", "/caf/{id}/evidence", false, s.cafEvidenceAdd},
		{"POST", "/caf/{id}/evidence/{eid}/remove", false, s.cafEvidenceRemove},

		// Results, the improvement plan and the reports (caf_results.go and
		// the files it points to).
		{"GET", "/caf/{id}/results", false, s.cafResults},
		{"GET", "/caf/{id}/plan", false, s.cafPlan},
		{"POST", "/caf/{id}/plan", false, s.cafActionCreate},
		{"POST", "/caf/{id}/plan/{aid}", false, s.cafActionUpdate},
		{"POST", "/caf/{id}/plan/{aid}/case", false, s.cafActionCase},
		{"GET", "/caf/{id}/plan.xlsx", false, s.cafPlanXLSX},
		{"GET", "/caf/{id}/plan.pdf", false, s.cafPlanPDF},
		{"GET", "/caf/{id}/plan.docx", false, s.cafPlanDOCX},
		{"GET", "/caf/{id}/report.pdf", false, s.cafReportPDF},
		{"GET", "/caf/{id}/report.docx", false, s.cafReportDOCX},
		{"GET", "/caf/{id}/report.xlsx", false, s.cafReportXLSX},
	}
}
