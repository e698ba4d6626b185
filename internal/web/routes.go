package web

import (
	"net/http"
)

// route is one entry of the server's single route list. Handlers return an
// error; serveError turns it into the right page and status.
type route struct {
	Method  string
	Pattern string
	// Public routes need no sign-in.
	Public bool
	Handle func(w http.ResponseWriter, r *http.Request) error
}

// routeTable lists every route the server answers, in one readable place.
// The tenant-isolation test walks this list: a new route is covered by it.
func (s *Server) routeTable() []route {
	rs := []route{
		{"GET", "/healthz", true, s.healthz},
		{"GET", "/metrics", true, s.metricsHandler},
		{"GET", "/static/{file}", true, s.staticFile},
		{"GET", "/login", true, s.loginForm},
		{"POST", "/login", true, s.login},
		{"POST", "/language", true, s.languageSet},
		{"POST", "/logout", false, s.logout},

		{"GET", "/{$}", false, s.home},

		{"GET", "/institution", false, s.institutionShow},
		{"POST", "/institution", false, s.institutionUpdate},

		{"GET", "/units", false, s.unitList},
		{"GET", "/units/export.xlsx", false, s.unitExport},
		{"GET", "/units/new", false, s.unitNew},
		{"POST", "/units", false, s.unitCreate},
		{"GET", "/units/{id}", false, s.unitShow},
		{"GET", "/units/{id}/edit", false, s.unitEdit},
		{"POST", "/units/{id}", false, s.unitUpdate},
		{"POST", "/units/{id}/delete", false, s.unitDelete},

		{"GET", "/people", false, s.personList},
		{"GET", "/people/export.xlsx", false, s.personExport},
		{"GET", "/people/new", false, s.personNew},
		{"POST", "/people", false, s.personCreate},
		{"GET", "/people/{id}", false, s.personShow},
		{"GET", "/people/{id}/edit", false, s.personEdit},
		{"POST", "/people/{id}", false, s.personUpdate},
		{"POST", "/people/{id}/delete", false, s.personDelete},

		{"GET", "/users", false, s.userList},
		{"GET", "/users/export.xlsx", false, s.userExport},
		{"GET", "/users/new", false, s.userNew},
		{"POST", "/users", false, s.userCreate},
		{"GET", "/users/{id}/edit", false, s.userEdit},
		{"POST", "/users/{id}", false, s.userUpdate},
		{"POST", "/users/{id}/password", false, s.userPassword},

		{"GET", "/audit", false, s.auditList},
		{"GET", "/audit/export.xlsx", false, s.auditExport},
		{"GET", "/audit/{id}", false, s.auditShow},

		{"GET", "/account", false, s.accountShow},
		{"POST", "/account/password", false, s.accountPassword},
		{"POST", "/account/notifications", false, s.accountNotifications},
		{"POST", "/account/calendar", false, s.accountCalendar},
		{"POST", "/account/calendar/revoke", false, s.accountCalendarRevoke},

		{"GET", "/work", false, s.workShow},
		{"GET", "/tasks", false, s.taskList},
		{"GET", "/tasks/export.xlsx", false, s.taskExport},
		{"GET", "/tasks/new", false, s.taskNew},
		{"POST", "/tasks", false, s.taskCreate},
		{"GET", "/tasks/{id}", false, s.taskShow},
		{"POST", "/tasks/{id}/done", false, s.taskDone},
		{"POST", "/tasks/{id}/cancel", false, s.taskCancel},
		{"GET", "/tasks/{id}/reassign", false, s.taskReassignForm},
		{"POST", "/tasks/{id}/reassign", false, s.taskReassign},
		{"GET", "/notifications", false, s.notificationList},
		{"GET", "/notifications/export.xlsx", false, s.notificationExport},
		{"POST", "/notifications/read", false, s.notificationReadAll},
		{"POST", "/notifications/{id}/read", false, s.notificationOpen},
		{"GET", "/calendar/{file}", true, s.calendarFeed},

		{"GET", "/documents", false, s.documentList},
		{"GET", "/documents/search", false, s.documentSearch},
		{"GET", "/documents/search/export.xlsx", false, s.documentSearchExport},
		{"GET", "/documents/export.xlsx", false, s.documentExport},
		{"GET", "/documents/export.pdf", false, s.documentExportPDF},
		{"GET", "/documents/new", false, s.documentNew},
		{"GET", "/documents/next-code", false, s.documentNextCode},
		{"POST", "/documents", false, s.documentCreate},
		{"GET", "/documents/settings", false, s.documentSettings},
		{"POST", "/documents/settings", false, s.documentSettingsSave},
		{"GET", "/documents/import", false, s.documentImportForm},
		{"POST", "/documents/import", false, s.documentImportPreview},
		{"POST", "/documents/import/confirm", false, s.documentImportConfirm},
		{"GET", "/documents/import/template.xlsx", false, s.documentImportTemplate},
		{"GET", "/documents/{id}", false, s.documentShow},
		{"GET", "/documents/{id}/edit", false, s.documentEdit},
		{"POST", "/documents/{id}", false, s.documentUpdate},
		{"GET", "/documents/{id}/compare", false, s.documentCompare},
		{"POST", "/documents/{id}/revise", false, s.documentRevise},
		{"POST", "/documents/{id}/distribution", false, s.documentDistribution},
		{"POST", "/documents/{id}/links", false, s.documentLinkAdd},
		{"POST", "/documents/{id}/links/{lid}/delete", false, s.documentLinkDelete},
		{"POST", "/documents/{id}/review", false, s.documentReview},
		{"GET", "/documents/{id}/versions/{vid}", false, s.versionShow},
		{"GET", "/documents/{id}/versions/{vid}/edit", false, s.versionEdit},
		{"POST", "/documents/{id}/versions/{vid}", false, s.versionSave},
		{"POST", "/documents/{id}/versions/{vid}/step", false, s.versionStep},
		{"POST", "/documents/{id}/versions/{vid}/acknowledge", false, s.versionAcknowledge},
		{"POST", "/documents/{id}/versions/{vid}/files", false, s.versionFileAdd},
		{"GET", "/documents/{id}/versions/{vid}/files/{fid}", false, s.versionFile},
		{"POST", "/documents/{id}/versions/{vid}/files/{fid}/delete", false, s.versionFileDelete},
		{"GET", "/documents/{id}/versions/{vid}/print.pdf", false, s.versionPDF},
		{"GET", "/documents/{id}/versions/{vid}/print.docx", false, s.versionDOCX},

		{"GET", "/platform/institutions", false, s.platformInstitutionList},
		{"GET", "/platform/institutions/export.xlsx", false, s.platformInstitutionExport},
		{"GET", "/platform/institutions/new", false, s.platformInstitutionNew},
		{"POST", "/platform/institutions", false, s.platformInstitutionCreate},

		{"GET", "/registers", false, s.registersOverview},
		{"POST", "/filters", false, s.filterSave},
		{"POST", "/filters/{id}/delete", false, s.filterDelete},
	}
	// Each module lists its routes beside its handlers.
	rs = append(rs, s.riskRoutes()...)
	rs = append(rs, s.improvementRoutes()...)
	rs = append(rs, s.internalAuditRoutes()...)
	rs = append(rs, s.reviewRoutes()...)
	rs = append(rs, s.complianceRoutes()...)
	rs = append(rs, s.scorecardRoutes()...)
	rs = append(rs, s.cafRoutes()...)
	rs = append(rs, s.citizenRoutes()...)
	rs = append(rs, s.trainingRoutes()...)
	rs = append(rs, s.controlRoutes()...)
	rs = append(rs, s.publicRoutes()...)
	rs = append(rs, s.importRoutes()...)
	rs = append(rs, s.dashboardRoutes()...)
	rs = append(rs, s.consolidationRoutes()...)
	rs = append(rs, s.crosswalkRoutes()...)
	rs = append(rs, s.apiRoutes()...)
	return withCSV(rs)
}

// Routes exposes the route list (method and pattern) to tests.
func (s *Server) Routes() [][2]string {
	out := make([][2]string, len(s.routes))
	for i, r := range s.routes {
		out[i] = [2]string{r.Method, r.Pattern}
	}
	return out
}

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		h := s.wrap(rt)
		mux.Handle(rt.Method+" "+rt.Pattern, h)
	}
	mux.Handle("/", s.wrap(route{Public: true, Handle: s.notFound}))
	var h http.Handler = mux
	h = s.sessions.LoadAndSave(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.securityHeaders(h)
	h = s.observe(h)
	return h
}
