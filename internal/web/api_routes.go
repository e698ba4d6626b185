package web

// apiRoutes is the JSON API under /api/v1. The routes are public to the
// session middleware: each handler authenticates the bearer token (or the
// signed-in session) itself, then checks the same permissions as the pages.
// Every route here is described in openapi.json; TestAPIOpenAPIRoutes
// fails when the two differ.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", true, s.apiOpenAPI},
		{"GET", "/api/v1/kpis", true, s.apiKPIList},
		{"GET", "/api/v1/kpis/{code}", true, s.apiKPIShow},
		{"GET", "/api/v1/kpis/{code}/measurements", true, s.apiMeasurementList},
		{"POST", "/api/v1/kpis/{code}/measurements", true, s.apiMeasurementCreate},
		{"GET", "/api/v1/risks", true, s.apiRiskList},
		{"GET", "/api/v1/risks/{apirisk}", true, s.apiRiskShow},
		{"GET", "/api/v1/nonconformities", true, s.apiNonconformityList},
		{"GET", "/api/v1/nonconformities/{apinc}", true, s.apiNonconformityShow},
		{"GET", "/api/v1/proposals", true, s.apiProposalList},
		{"GET", "/api/v1/documents", true, s.apiDocumentList},
		{"GET", "/api/v1/documents/{apidoc}", true, s.apiDocumentShow},
		{"GET", "/api/v1/petitions/statistics", true, s.apiPetitionStatistics},
	}
}
