package web

// controlEvalRoutes are the pages of the yearly self-evaluation of the
// internal managerial control system: the module's overview, the
// standards, the evaluations and their compartments' questionnaires, the
// institution's summary, the yearly report and the settings
// (control_eval.go and the files it points to).
func (s *Server) controlEvalRoutes() []route {
	return []route{
		{"GET", "/control", false, s.controlEvalOverview},
		{"GET", "/control/standards", false, s.controlEvalStandards},
		{"GET", "/control/settings", false, s.controlEvalSettings},
		{"POST", "/control/settings", false, s.controlEvalSettingsSave},

		// Evaluations and their compartments (control_eval_list.go,
		// control_eval_show.go).
		{"GET", "/control/evaluations", false, s.controlEvalList},
		{"GET", "/control/evaluations/export.xlsx", false, s.controlEvalExport},
		{"GET", "/control/evaluations/new", false, s.controlEvalNew},
		{"POST", "/control/evaluations", false, s.controlEvalCreate},
		{"GET", "/control/evaluations/{id}", false, s.controlEvalShow},
		{"GET", "/control/evaluations/{id}/edit", false, s.controlEvalEdit},
		{"POST", "/control/evaluations/{id}", false, s.controlEvalUpdate},
		{"POST", "/control/evaluations/{id}/state", false, s.controlEvalState},
		{"POST", "/control/evaluations/{id}/units", false, s.controlEvalUnitAdd},

		// A compartment's questionnaire (control_eval_unit.go).
		{"GET", "/control/evaluations/{id}/units/{cuid}", false, s.controlEvalUnit},
		{"POST", "/control/evaluations/{id}/units/{cuid}/standards/{cstd}", false, s.controlEvalAnswer},
		{"POST", "/control/evaluations/{id}/units/{cuid}/evidence", false, s.controlEvalEvidenceAdd},
		{"POST", "/control/evaluations/{id}/units/{cuid}/evidence/{ceid}/delete", false, s.controlEvalEvidenceDelete},
		{"POST", "/control/evaluations/{id}/units/{cuid}/submit", false, s.controlEvalUnitSubmit},
		{"POST", "/control/evaluations/{id}/units/{cuid}/reopen", false, s.controlEvalUnitReopen},
		{"GET", "/control/evaluations/{id}/units/{cuid}/questionnaire.pdf", false, s.controlEvalUnitPDF},

		// The summary and the yearly report (control_eval_summary.go,
		// control_eval_report.go).
		{"GET", "/control/evaluations/{id}/summary", false, s.controlEvalSummary},
		{"POST", "/control/evaluations/{id}/summary/{cstd}", false, s.controlEvalMeasures},
		{"GET", "/control/evaluations/{id}/summary.pdf", false, s.controlEvalSummaryPDF},
		{"GET", "/control/evaluations/{id}/summary.docx", false, s.controlEvalSummaryDOCX},
		{"GET", "/control/evaluations/{id}/summary.xlsx", false, s.controlEvalSummaryXLSX},
		{"GET", "/control/evaluations/{id}/report.pdf", false, s.controlEvalReportPDF},
		{"GET", "/control/evaluations/{id}/report.docx", false, s.controlEvalReportDOCX},
	}
}
