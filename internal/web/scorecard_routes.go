package web

import "cadran/internal/scorecard"

func (s *Server) initScorecard() error {
	s.scorecard = &scorecard.Service{DB: s.db, Clock: s.clock, Work: s.work}
	if t := s.scorecard.ImportTarget(); t != nil {
		s.importTargets[t.Name()] = t
	}
	return nil
}

// scorecardRoutes are the Balanced Scorecard's pages, and the JSON endpoint
// programs send measurements to with a personal access token.
func (s *Server) scorecardRoutes() []route {
	return []route{
		// The scorecard, the strategy map, objectives, initiatives, quality
		// objectives and the report (scorecard_card.go and the files it
		// points to).
		{"GET", "/scorecard", false, s.scorecardOverview},
		{"GET", "/scorecard/report.pdf", false, s.scorecardReportPDF},
		{"GET", "/scorecard/report.xlsx", false, s.scorecardReportXLSX},
		{"GET", "/scorecard/map", false, s.scorecardMap},
		{"POST", "/scorecard/links", false, s.scorecardLinkAdd},
		{"POST", "/scorecard/links/delete", false, s.scorecardLinkRemove},
		{"GET", "/scorecard/perspectives", false, s.scorecardPerspectives},
		{"POST", "/scorecard/perspectives", false, s.scorecardPerspectiveCreate},
		{"POST", "/scorecard/perspectives/{id}", false, s.scorecardPerspectiveUpdate},
		{"GET", "/scorecard/objectives/new", false, s.scorecardObjectiveNew},
		{"POST", "/scorecard/objectives", false, s.scorecardObjectiveCreate},
		{"GET", "/scorecard/objectives/{id}", false, s.scorecardObjectiveShow},
		{"GET", "/scorecard/objectives/{id}/edit", false, s.scorecardObjectiveEdit},
		{"POST", "/scorecard/objectives/{id}", false, s.scorecardObjectiveUpdate},
		{"POST", "/scorecard/objectives/{id}/archive", false, s.scorecardObjectiveArchive},
		{"GET", "/scorecard/quality", false, s.scorecardQuality},
		{"GET", "/scorecard/initiatives", false, s.initiativeList},
		{"GET", "/scorecard/initiatives/export.xlsx", false, s.initiativeExport},
		{"GET", "/scorecard/initiatives/new", false, s.initiativeNew},
		{"POST", "/scorecard/initiatives", false, s.initiativeCreate},
		{"GET", "/scorecard/initiatives/{id}", false, s.initiativeShow},
		{"GET", "/scorecard/initiatives/{id}/edit", false, s.initiativeEdit},
		{"POST", "/scorecard/initiatives/{id}", false, s.initiativeUpdate},

		// KPIs, targets, the measurement grid, approvals (scorecard_kpi.go
		// and the files it points to).
		{"GET", "/scorecard/kpis", false, s.kpiList},
		{"GET", "/scorecard/kpis/export.xlsx", false, s.kpiExport},
		{"GET", "/scorecard/kpis/new", false, s.kpiNew},
		{"POST", "/scorecard/kpis", false, s.kpiCreate},
		{"GET", "/scorecard/kpis/{id}", false, s.kpiShow},
		{"GET", "/scorecard/kpis/{id}/edit", false, s.kpiEdit},
		{"POST", "/scorecard/kpis/{id}", false, s.kpiUpdate},
		{"POST", "/scorecard/kpis/{id}/targets", false, s.kpiTargets},
		{"POST", "/scorecard/kpis/{id}/archive", false, s.kpiArchive},
		{"GET", "/scorecard/measurements", false, s.measureGrid},
		{"POST", "/scorecard/measurements", false, s.measureSave},
		{"GET", "/scorecard/approvals", false, s.approvalList},
		{"GET", "/scorecard/approvals/export.xlsx", false, s.approvalExport},
		{"POST", "/scorecard/measurements/{id}/approve", false, s.measureApprove},
		{"POST", "/scorecard/measurements/{id}/reject", false, s.measureReject},
		{"POST", "/scorecard/refresh", false, s.scorecardRefresh},
		{"GET", "/account/tokens", false, s.tokenList},
		{"POST", "/account/tokens", false, s.tokenCreate},
		{"POST", "/account/tokens/{id}/revoke", false, s.tokenRevoke},
	}
}
