package web

// controlProgRoutes are the development programme of the control system
// with its objectives and actions (control_prog_programme.go,
// control_prog_action.go), and the monitoring commission and the risk
// management team with their members, meetings, minutes and decisions
// (control_prog_body.go, control_prog_meeting.go).
func (s *Server) controlProgRoutes() []route {
	return []route{
		{"GET", "/control/programmes", false, s.cprogProgrammeList},
		{"GET", "/control/programmes/export.xlsx", false, s.cprogProgrammeExport},
		{"GET", "/control/programmes/new", false, s.cprogProgrammeNew},
		{"POST", "/control/programmes", false, s.cprogProgrammeCreate},
		{"GET", "/control/programmes/{id}", false, s.cprogProgrammeShow},
		{"GET", "/control/programmes/{id}/edit", false, s.cprogProgrammeEdit},
		{"POST", "/control/programmes/{id}", false, s.cprogProgrammeUpdate},
		{"POST", "/control/programmes/{id}/state", false, s.cprogProgrammeState},
		{"POST", "/control/programmes/{id}/next", false, s.cprogProgrammeNext},
		{"POST", "/control/programmes/{id}/objectives", false, s.cprogObjectiveAdd},
		{"POST", "/control/programmes/{id}/objectives/{coid}", false, s.cprogObjectiveUpdate},
		{"GET", "/control/programmes/{id}/programme.pdf", false, s.cprogProgrammePDF},
		{"GET", "/control/programmes/{id}/programme.docx", false, s.cprogProgrammeDOCX},

		{"GET", "/control/actions", false, s.cprogActionList},
		{"GET", "/control/actions/export.xlsx", false, s.cprogActionExport},
		{"GET", "/control/actions/new", false, s.cprogActionNew},
		{"POST", "/control/actions", false, s.cprogActionCreate},
		{"GET", "/control/actions/{id}", false, s.cprogActionShow},
		{"GET", "/control/actions/{id}/edit", false, s.cprogActionEdit},
		{"POST", "/control/actions/{id}", false, s.cprogActionUpdate},
		{"POST", "/control/actions/{id}/state", false, s.cprogActionState},

		{"GET", "/control/bodies", false, s.cprogBodyList},
		{"GET", "/control/bodies/export.xlsx", false, s.cprogBodyExport},
		{"GET", "/control/bodies/new", false, s.cprogBodyNew},
		{"POST", "/control/bodies", false, s.cprogBodyCreate},
		{"GET", "/control/bodies/{id}", false, s.cprogBodyShow},
		{"GET", "/control/bodies/{id}/edit", false, s.cprogBodyEdit},
		{"POST", "/control/bodies/{id}", false, s.cprogBodyUpdate},
		{"POST", "/control/bodies/{id}/members", false, s.cprogMemberAdd},
		{"POST", "/control/bodies/{id}/members/{cmid}", false, s.cprogMemberUpdate},

		{"GET", "/control/meetings", false, s.cprogMeetingList},
		{"GET", "/control/meetings/export.xlsx", false, s.cprogMeetingExport},
		{"GET", "/control/meetings/new", false, s.cprogMeetingNew},
		{"POST", "/control/meetings", false, s.cprogMeetingCreate},
		{"GET", "/control/meetings/{id}", false, s.cprogMeetingShow},
		{"GET", "/control/meetings/{id}/edit", false, s.cprogMeetingEdit},
		{"POST", "/control/meetings/{id}", false, s.cprogMeetingUpdate},
		{"POST", "/control/meetings/{id}/state", false, s.cprogMeetingState},
		{"POST", "/control/meetings/{id}/decisions", false, s.cprogDecisionAdd},
		{"POST", "/control/meetings/{id}/decisions/{cdid}", false, s.cprogDecisionUpdate},
		{"GET", "/control/meetings/{id}/minutes.pdf", false, s.cprogMinutesPDF},
		{"GET", "/control/meetings/{id}/minutes.docx", false, s.cprogMinutesDOCX},
	}
}
