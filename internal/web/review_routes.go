package web

import "cadran/internal/reviews"

func (s *Server) initReviews() error {
	s.reviews = &reviews.Service{DB: s.db, Clock: s.clock, Work: s.work}
	return nil
}

// reviewRoutes are the pages of management reviews.
func (s *Server) reviewRoutes() []route {
	return []route{
		{"GET", "/reviews", false, s.reviewList},
		{"GET", "/reviews/export.xlsx", false, s.reviewExport},
		{"GET", "/reviews/new", false, s.reviewNew},
		{"POST", "/reviews", false, s.reviewCreate},
		{"GET", "/reviews/actions", false, s.reviewActionList},
		{"GET", "/reviews/actions/export.xlsx", false, s.reviewActionExport},
		{"GET", "/reviews/{id}", false, s.reviewShow},
		{"GET", "/reviews/{id}/edit", false, s.reviewEdit},
		{"POST", "/reviews/{id}", false, s.reviewUpdate},
		{"POST", "/reviews/{id}/step", false, s.reviewStep},
		{"POST", "/reviews/{id}/compile", false, s.reviewCompile},
		{"POST", "/reviews/{id}/inputs/{input}", false, s.reviewAssessment},
		{"POST", "/reviews/{id}/decisions", false, s.reviewDecisionAdd},
		{"POST", "/reviews/{id}/decisions/{did}/delete", false, s.reviewDecisionDelete},
		{"POST", "/reviews/{id}/actions", false, s.reviewActionAdd},
		{"POST", "/reviews/{id}/actions/{aid}/done", false, s.reviewActionDone},
		{"POST", "/reviews/{id}/actions/{aid}/cancel", false, s.reviewActionCancel},
		{"POST", "/reviews/{id}/next", false, s.reviewNext},
		{"GET", "/reviews/{id}/minutes.pdf", false, s.reviewMinutesPDF},
		{"GET", "/reviews/{id}/minutes.docx", false, s.reviewMinutesDOCX},
	}
}
