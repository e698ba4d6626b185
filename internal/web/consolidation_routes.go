package web

// consolidationRoutes are the consolidated view of a municipality: its own
// apparatus and each subordinate or decentralised body, side by side and in
// total.
func (s *Server) consolidationRoutes() []route {
	return []route{
		{"GET", "/consolidated", false, s.consolidatedView},
		{"GET", "/consolidated/export.xlsx", false, s.consolidatedExport},
		{"GET", "/consolidated/report.pdf", false, s.consolidatedPDF},
	}
}
