package web

// controlSensRoutes: sensitive functions (control_sens.go,
// control_sens_holders.go) and procedure coverage (control_cov.go).
func (s *Server) controlSensRoutes() []route {
	return []route{
		{"GET", "/control/sensitive", false, s.controlSensList},
		{"GET", "/control/sensitive/export.xlsx", false, s.controlSensExport},
		{"GET", "/control/sensitive/inventory.pdf", false, s.controlSensInventoryPDF},
		{"GET", "/control/sensitive/inventory.docx", false, s.controlSensInventoryDOCX},
		{"GET", "/control/sensitive/new", false, s.controlSensNew},
		{"POST", "/control/sensitive", false, s.controlSensCreate},
		{"GET", "/control/sensitive/{id}", false, s.controlSensShow},
		{"GET", "/control/sensitive/{id}/edit", false, s.controlSensEdit},
		{"POST", "/control/sensitive/{id}", false, s.controlSensUpdate},
		{"POST", "/control/sensitive/{id}/holders", false, s.controlSensHolderAdd},
		{"POST", "/control/sensitive/{id}/holders/{chid}", false, s.controlSensHolderEnd},
		{"POST", "/control/sensitive/{id}/measures", false, s.controlSensMeasureAdd},
		{"POST", "/control/sensitive/{id}/measures/{cmsid}", false, s.controlSensMeasureUpdate},

		{"GET", "/control/coverage", false, s.controlCovPage},
		{"GET", "/control/coverage/export.xlsx", false, s.controlCovExport},
		{"GET", "/control/coverage.pdf", false, s.controlCovPDF},
		{"GET", "/control/activities/new", false, s.controlCovNew},
		{"POST", "/control/activities", false, s.controlCovCreate},
		{"GET", "/control/activities/{id}/edit", false, s.controlCovEdit},
		{"POST", "/control/activities/{id}", false, s.controlCovUpdate},
		{"POST", "/control/activities/{id}/delete", false, s.controlCovDelete},
	}
}
