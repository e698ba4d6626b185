package web

import "cadran/internal/audits"

func (s *Server) initAudits() error {
	s.audits = &audits.Service{DB: s.db, Clock: s.clock, Work: s.work, Improve: s.improve}
	return nil
}

// internalAuditRoutes are the pages of the audit programme, audits and
// auditors.
func (s *Server) internalAuditRoutes() []route {
	return []route{
		{"GET", "/audits", false, s.iauditList},
		{"GET", "/audits/export.xlsx", false, s.iauditExport},
		{"GET", "/audits/new", false, s.iauditNew},
		{"POST", "/audits", false, s.iauditCreate},
		{"GET", "/audits/programme", false, s.iauditProgramme},
		{"GET", "/audits/programme/export.pdf", false, s.iauditProgrammePDF},
		{"POST", "/audits/programme", false, s.iauditProgrammeSave},
		{"POST", "/audits/programme/propose", false, s.iauditProgrammePropose},
		{"POST", "/audits/programme/step", false, s.iauditProgrammeStep},
		{"POST", "/audits/programme/next", false, s.iauditProgrammeNext},
		{"POST", "/audits/programme/items", false, s.iauditProgrammeItemAdd},
		{"POST", "/audits/programme/items/{iid}", false, s.iauditProgrammeItemUpdate},
		{"POST", "/audits/programme/items/{iid}/delete", false, s.iauditProgrammeItemDelete},
		{"GET", "/audits/auditors", false, s.iauditAuditors},
		{"GET", "/audits/auditors/export.xlsx", false, s.iauditAuditorExport},
		{"POST", "/audits/auditors", false, s.iauditAuditorAdd},
		{"POST", "/audits/auditors/{aid}/save", false, s.iauditAuditorUpdate},
		{"POST", "/audits/auditors/{aid}/qualifications", false, s.iauditQualificationAdd},
		{"POST", "/audits/auditors/{aid}/qualifications/{qid}/delete", false, s.iauditQualificationDelete},
		{"GET", "/audits/{id}", false, s.iauditShow},
		{"GET", "/audits/{id}/edit", false, s.iauditEdit},
		{"POST", "/audits/{id}", false, s.iauditUpdate},
		{"POST", "/audits/{id}/step", false, s.iauditStep},
		{"POST", "/audits/{id}/checklist", false, s.iauditChecklistSave},
		{"POST", "/audits/{id}/checklist/generate", false, s.iauditChecklistGenerate},
		{"POST", "/audits/{id}/checklist/items", false, s.iauditChecklistAdd},
		{"POST", "/audits/{id}/checklist/items/{cid}/delete", false, s.iauditChecklistDelete},
		{"POST", "/audits/{id}/findings", false, s.iauditFindingAdd},
		{"POST", "/audits/{id}/report", false, s.iauditReportSave},
		{"GET", "/audits/{id}/report.pdf", false, s.iauditReportPDF},
		{"GET", "/audits/{id}/report.docx", false, s.iauditReportDOCX},
	}
}
