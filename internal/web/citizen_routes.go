package web

import "cadran/internal/citizen"

func (s *Server) initCitizen() error {
	s.citizen = &citizen.Service{DB: s.db, Clock: s.clock, Work: s.work}
	s.guard = newPublicGuard(s.clock)
	return nil
}

// citizenRoutes are the staff's pages of citizen services.
func (s *Server) citizenRoutes() []route {
	return []route{
		// The registry: petitions, requests for public information and
		// applications (citizen_case.go and the files it points to).
		{"GET", "/citizen", false, s.citizenOverview},
		{"GET", "/citizen/cases", false, s.citizenCaseList},
		{"GET", "/citizen/cases/export.xlsx", false, s.citizenCaseExport},
		{"GET", "/citizen/cases/new", false, s.citizenCaseNew},
		{"POST", "/citizen/cases", false, s.citizenCaseCreate},
		{"GET", "/citizen/cases/{id}", false, s.citizenCaseShow},
		{"POST", "/citizen/cases/{id}/assign", false, s.citizenCaseAssign},
		{"POST", "/citizen/cases/{id}/extend", false, s.citizenCaseExtend},
		{"POST", "/citizen/cases/{id}/redirect", false, s.citizenCaseRedirect},
		{"POST", "/citizen/cases/{id}/answer", false, s.citizenCaseAnswer},
		{"POST", "/citizen/cases/{id}/file", false, s.citizenCaseFile},
		{"POST", "/citizen/cases/{id}/complaint", false, s.citizenCaseComplaint},
		{"POST", "/citizen/cases/{id}/code", false, s.citizenCaseCode},

		// The service catalogue, its indicators, the impact, the legal
		// reports, the ratings and the settings (citizen_service.go and the
		// files it points to).
		{"GET", "/citizen/services", false, s.citizenServiceList},
		{"GET", "/citizen/services/export.xlsx", false, s.citizenServiceExport},
		{"GET", "/citizen/services/new", false, s.citizenServiceNew},
		{"POST", "/citizen/services", false, s.citizenServiceCreate},
		{"GET", "/citizen/services/{id}", false, s.citizenServiceShow},
		{"GET", "/citizen/services/{id}/edit", false, s.citizenServiceEdit},
		{"POST", "/citizen/services/{id}", false, s.citizenServiceUpdate},
		{"GET", "/citizen/services/{id}/qr.svg", false, s.citizenServiceQR},
		{"GET", "/citizen/services/{id}/poster.pdf", false, s.citizenServicePoster},
		{"GET", "/citizen/indicators", false, s.citizenIndicators},
		{"GET", "/citizen/indicators/export.xlsx", false, s.citizenIndicatorsExport},
		{"GET", "/citizen/impact", false, s.citizenImpact},
		{"GET", "/citizen/impact/report.pdf", false, s.citizenImpactPDF},
		{"GET", "/citizen/impact/report.xlsx", false, s.citizenImpactXLSX},
		{"GET", "/citizen/reports", false, s.citizenReports},
		{"GET", "/citizen/reports/petitions.pdf", false, s.citizenPetitionReportPDF},
		{"GET", "/citizen/reports/petitions.xlsx", false, s.citizenPetitionReportXLSX},
		{"GET", "/citizen/reports/information.pdf", false, s.citizenInfoReportPDF},
		{"GET", "/citizen/reports/information.xlsx", false, s.citizenInfoReportXLSX},
		{"GET", "/citizen/feedback", false, s.citizenFeedbackList},
		{"GET", "/citizen/feedback/export.xlsx", false, s.citizenFeedbackExport},
		{"GET", "/citizen/settings", false, s.citizenSettings},
		{"POST", "/citizen/settings", false, s.citizenSettingsSave},
	}
}

// publicRoutes are the citizens' pages: no sign-in, the institution named
// by its CUI in the path (public.go and the files it points to).
func (s *Server) publicRoutes() []route {
	return []route{
		{"GET", "/public", true, s.publicIndex},
		{"GET", "/public/{cui}", true, s.publicHome},
		{"GET", "/public/{cui}/services/{code}", true, s.publicService},
		{"GET", "/public/{cui}/file", true, s.publicFileForm},
		{"POST", "/public/{cui}/file", true, s.publicFile},
		{"GET", "/public/{cui}/status", true, s.publicStatusForm},
		{"POST", "/public/{cui}/status", true, s.publicStatus},
		{"POST", "/public/{cui}/status/rate", true, s.publicRate},
		// The short link a counter's QR code points to.
		{"GET", "/f/{cui}/{code}", true, s.feedbackForm},
		{"POST", "/f/{cui}/{code}", true, s.feedbackSave},
	}
}
