package web

import "cadran/internal/training"

func (s *Server) initTraining() error {
	s.training = &training.Service{DB: s.db, Clock: s.clock, Work: s.work, Files: s.docs.Files, Docs: s.docs}
	return nil
}

// trainingRoutes are the pages of training and competence.
func (s *Server) trainingRoutes() []route {
	return []route{
		// The overview, target groups, programmes, sessions, enrolment,
		// attendance and results (training_group.go, training_programme.go,
		// training_session.go and the files they point to).
		{"GET", "/training", false, s.trainingOverview},
		{"GET", "/training/groups", false, s.trainingGroupList},
		{"GET", "/training/groups/export.xlsx", false, s.trainingGroupExport},
		{"GET", "/training/groups/new", false, s.trainingGroupNew},
		{"POST", "/training/groups", false, s.trainingGroupCreate},
		{"GET", "/training/groups/{id}", false, s.trainingGroupShow},
		{"GET", "/training/groups/{id}/edit", false, s.trainingGroupEdit},
		{"POST", "/training/groups/{id}", false, s.trainingGroupUpdate},
		{"POST", "/training/groups/{id}/members", false, s.trainingMemberAdd},
		{"GET", "/training/groups/{id}/members/{tmid}", false, s.trainingMemberEdit},
		{"POST", "/training/groups/{id}/members/{tmid}", false, s.trainingMemberUpdate},
		{"GET", "/training/groups/{id}/record.xlsx", false, s.trainingGroupRecordXLSX},
		{"GET", "/training/groups/{id}/record.pdf", false, s.trainingGroupRecordPDF},
		{"GET", "/training/programmes", false, s.trainingProgrammeList},
		{"GET", "/training/programmes/export.xlsx", false, s.trainingProgrammeExport},
		{"GET", "/training/programmes/new", false, s.trainingProgrammeNew},
		{"POST", "/training/programmes", false, s.trainingProgrammeCreate},
		{"GET", "/training/programmes/{id}", false, s.trainingProgrammeShow},
		{"GET", "/training/programmes/{id}/edit", false, s.trainingProgrammeEdit},
		{"POST", "/training/programmes/{id}", false, s.trainingProgrammeUpdate},
		{"GET", "/training/sessions", false, s.trainingSessionList},
		{"GET", "/training/sessions/export.xlsx", false, s.trainingSessionExport},
		{"GET", "/training/sessions/new", false, s.trainingSessionNew},
		{"POST", "/training/sessions", false, s.trainingSessionCreate},
		{"GET", "/training/sessions/{id}", false, s.trainingSessionShow},
		{"GET", "/training/sessions/{id}/edit", false, s.trainingSessionEdit},
		{"POST", "/training/sessions/{id}", false, s.trainingSessionUpdate},
		{"POST", "/training/sessions/{id}/state", false, s.trainingSessionState},
		{"POST", "/training/sessions/{id}/enrol", false, s.trainingSessionEnrol},
		{"POST", "/training/sessions/{id}/enrolments/{teid}/withdraw", false, s.trainingSessionWithdraw},
		{"GET", "/training/sessions/{id}/attendance", false, s.trainingAttendance},
		{"POST", "/training/sessions/{id}/attendance", false, s.trainingAttendanceSave},
		{"GET", "/training/sessions/{id}/attendance.pdf", false, s.trainingAttendancePDF},
		{"POST", "/training/sessions/{id}/results", false, s.trainingResultsSave},

		// Certificates, the competence catalogue and the matrix
		// (training_certificate.go, training_competence.go,
		// training_matrix.go).
		{"GET", "/training/certificates", false, s.trainingCertificateList},
		{"GET", "/training/certificates/export.xlsx", false, s.trainingCertificateExport},
		{"GET", "/training/certificates/new", false, s.trainingCertificateNew},
		{"POST", "/training/certificates", false, s.trainingCertificateCreate},
		{"GET", "/training/certificates/{id}", false, s.trainingCertificateShow},
		{"GET", "/training/certificates/{id}/edit", false, s.trainingCertificateEdit},
		{"POST", "/training/certificates/{id}", false, s.trainingCertificateUpdate},
		{"POST", "/training/certificates/{id}/revoke", false, s.trainingCertificateRevoke},
		{"GET", "/training/certificates/{id}/scan", false, s.trainingCertificateScan},
		{"GET", "/training/competences", false, s.trainingCompetenceList},
		{"GET", "/training/competences/export.xlsx", false, s.trainingCompetenceExport},
		{"GET", "/training/competences/new", false, s.trainingCompetenceNew},
		{"POST", "/training/competences", false, s.trainingCompetenceCreate},
		{"GET", "/training/competences/{id}", false, s.trainingCompetenceShow},
		{"POST", "/training/competences/{id}", false, s.trainingCompetenceUpdate},
		{"POST", "/training/competences/{id}/requirements", false, s.trainingRequirementAdd},
		{"POST", "/training/competences/{id}/requirements/{trid}/delete", false, s.trainingRequirementDelete},
		{"GET", "/training/matrix", false, s.trainingMatrix},
		{"GET", "/training/matrix/export.xlsx", false, s.trainingMatrixExport},
		{"GET", "/training/matrix/report.pdf", false, s.trainingMatrixPDF},

		// A person's training record, the induction plans and the settings
		// (training_person.go, training_induction.go, training_settings.go).
		{"GET", "/training/people/{id}", false, s.trainingPersonShow},
		{"GET", "/training/people/{id}/record.xlsx", false, s.trainingPersonXLSX},
		{"GET", "/training/people/{id}/record.pdf", false, s.trainingPersonPDF},
		{"POST", "/training/people/{id}/competences", false, s.trainingPersonAssess},
		{"POST", "/training/people/{id}/competences/{thid}/delete", false, s.trainingPersonHeldDelete},
		{"POST", "/training/people/{id}/induction", false, s.trainingInductionStart},
		{"GET", "/training/inductions", false, s.trainingInductionList},
		{"GET", "/training/inductions/export.xlsx", false, s.trainingInductionExport},
		{"GET", "/training/inductions/{id}", false, s.trainingInductionShow},
		{"POST", "/training/inductions/{id}/cancel", false, s.trainingInductionCancel},
		{"GET", "/training/settings", false, s.trainingSettings},
		{"POST", "/training/settings", false, s.trainingSettingsSave},
	}
}
