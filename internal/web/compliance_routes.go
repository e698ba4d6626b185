package web

import "cadran/internal/compliance"

func (s *Server) initCompliance() error {
	s.compliance = &compliance.Service{DB: s.db, Clock: s.clock, Work: s.work, Improve: s.improve, Cache: &compliance.EvidenceCache{}}
	return nil
}

// complianceRoutes are the pages of the ISO 9001 compliance matrix,
// readiness, external audits and certificates.
func (s *Server) complianceRoutes() []route {
	return []route{
		{"GET", "/compliance", false, s.complianceMatrix},
		{"GET", "/compliance/export.xlsx", false, s.complianceExport},
		{"GET", "/compliance/export.pdf", false, s.complianceExportPDF},
		{"GET", "/compliance/clauses/{clause}", false, s.complianceClause},
		{"POST", "/compliance/clauses/{clause}", false, s.complianceClauseSave},
		{"POST", "/compliance/clauses/{clause}/evidence", false, s.complianceEvidenceAdd},
		{"POST", "/compliance/evidence/{id}/delete", false, s.complianceEvidenceDelete},
		{"GET", "/compliance/readiness", false, s.complianceReadiness},
		{"GET", "/compliance/readiness.pdf", false, s.complianceReadinessPDF},
		{"GET", "/compliance/settings", false, s.complianceSettings},
		{"POST", "/compliance/settings", false, s.complianceSettingsSave},
		{"GET", "/compliance/audits", false, s.complianceAudits},
		{"GET", "/compliance/audits/export.xlsx", false, s.complianceAuditsExport},
		{"GET", "/compliance/audits/new", false, s.complianceAuditNew},
		{"POST", "/compliance/audits", false, s.complianceAuditCreate},
		{"GET", "/compliance/audits/{id}", false, s.complianceAuditShow},
		{"GET", "/compliance/audits/{id}/edit", false, s.complianceAuditEdit},
		{"POST", "/compliance/audits/{id}", false, s.complianceAuditUpdate},
		{"POST", "/compliance/audits/{id}/findings", false, s.complianceFindingAdd},
		{"GET", "/compliance/certificates/new", false, s.complianceCertNew},
		{"POST", "/compliance/certificates", false, s.complianceCertCreate},
		{"GET", "/compliance/certificates/{id}/edit", false, s.complianceCertEdit},
		{"POST", "/compliance/certificates/{id}", false, s.complianceCertUpdate},
	}
}
