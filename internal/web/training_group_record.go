package web

// A target group's training record, the sheet a funded project reports:
// one row per member with their eligibility data and, per programme of the
// group, the state and hours of their enrolment, with the totals; as XLSX
// (with a second sheet of the goals against the progress) and as a
// landscape PDF.

import (
	"io"
	"net/http"
	"strconv"

	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/training"
	"cadran/internal/work"
)

// trainingGroupRecordOf reads the group record of the path and the
// institution's name.
func (s *Server) trainingGroupRecordOf(r *http.Request) (training.GroupRecord, string, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return training.GroupRecord{}, "", err
	}
	id, err := pathID(r)
	if err != nil {
		return training.GroupRecord{}, "", err
	}
	rec, err := s.training.GroupRecord(r.Context(), a, id)
	if err != nil {
		return training.GroupRecord{}, "", err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return training.GroupRecord{}, "", err
	}
	return rec, inst.Name, nil
}

// trainingGroupMemberCells are a member's eligibility data in words.
func trainingGroupMemberCells(l *i18n.Localizer, m training.Member) (category, gender, education, residence, consent string) {
	category = trainingGroupWord(l, "training.category.", m.Category)
	gender = l.T("training.gender.none")
	if m.Gender != "" {
		gender = trainingGroupWord(l, "training.gender.", m.Gender)
	}
	education = trainingGroupWord(l, "training.education.", m.Education)
	residence = trainingGroupWord(l, "training.residence.", m.Residence)
	consent = l.T("common.no")
	if m.Consent {
		consent = l.T("common.yes")
	}
	return
}

// trainingGroupWord translates a stored value under prefix; empty stays
// empty and an unknown value prints as it is.
func trainingGroupWord(l *i18n.Localizer, prefix, v string) string {
	if v == "" {
		return ""
	}
	if l.Has(prefix + v) {
		return l.T(prefix + v)
	}
	return v
}

// trainingGroupLineState is an enrolment's state in a record, empty when
// the member was not enrolled.
func trainingGroupLineState(l *i18n.Localizer, line training.RecordLine) string {
	if line.ID == 0 || line.State == "" {
		return ""
	}
	return trainingGroupWord(l, "training.enrol.", line.State)
}

// trainingGroupRecordCompleted counts the member's programmes completed.
func trainingGroupRecordCompleted(row training.GroupRecordRow) int {
	n := 0
	for _, line := range row.Programmes {
		if line.ID != 0 && line.State == training.EnrolCompleted {
			n++
		}
	}
	return n
}

// trainingGroupRecordXLSX sends the group's record as a workbook: the
// members sheet and the progress sheet.
func (s *Server) trainingGroupRecordXLSX(w http.ResponseWriter, r *http.Request) error {
	rec, _, err := s.trainingGroupRecordOf(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	g := rec.Group
	members := report.Table{Sheet: l.T("traininggroups.record.sheet_members"), Headers: []string{l.T("traininggroups.record.no"), l.T("traininggroups.member.name"),
		l.T("traininggroups.member.unit"), l.T("traininggroups.member.job"), l.T("traininggroups.member.category"), l.T("traininggroups.member.gender"),
		l.T("traininggroups.member.birth_year"), l.T("traininggroups.member.education"), l.T("traininggroups.member.residence"), l.T("traininggroups.member.consent"),
		l.T("traininggroups.member.joined"), l.T("traininggroups.member.left")}}
	for _, p := range rec.Programmes {
		members.Headers = append(members.Headers, l.T("traininggroups.record.programme_state", "Code", p.Code), l.T("traininggroups.record.programme_hours", "Code", p.Code))
	}
	members.Headers = append(members.Headers, l.T("traininggroups.record.hours"), l.T("traininggroups.record.completed"), l.T("traininggroups.record.certificates"))
	var hours float64
	var completed, certs int
	perProgramme := make([]float64, len(rec.Programmes))
	donePerProgramme := make([]int, len(rec.Programmes))
	for i, row := range rec.Rows {
		m := row.Member
		category, gender, education, residence, consent := trainingGroupMemberCells(l, m)
		birth := any("")
		if m.BirthYear > 0 {
			birth = m.BirthYear
		}
		cells := []any{i + 1, m.Name, m.UnitName, m.JobTitle, category, gender, birth, education, residence, consent, trainingGroupXDay(m.JoinedOn), trainingGroupXDay(m.LeftOn)}
		for j := range rec.Programmes {
			var line training.RecordLine
			if j < len(row.Programmes) {
				line = row.Programmes[j]
			}
			h := any("")
			if line.ID != 0 {
				h = trainingGroupRound(line.Hours)
				perProgramme[j] += line.Hours
				if line.State == training.EnrolCompleted {
					donePerProgramme[j]++
				}
			}
			cells = append(cells, trainingGroupLineState(l, line), h)
		}
		done := trainingGroupRecordCompleted(row)
		cells = append(cells, trainingGroupRound(row.Hours), done, row.Certificates)
		hours += row.Hours
		completed += done
		certs += row.Certificates
		members.Rows = append(members.Rows, cells)
	}
	total := []any{"", l.T("traininggroups.record.total", "Count", len(rec.Rows)), "", "", "", "", "", "", "", "", "", ""}
	for j := range rec.Programmes {
		total = append(total, l.T("traininggroups.record.completed_count", "Count", donePerProgramme[j]), trainingGroupRound(perProgramme[j]))
	}
	members.Rows = append(members.Rows, append(total, trainingGroupRound(hours), completed, certs))

	pr := g.Progress
	progress := report.Table{Sheet: l.T("traininggroups.record.sheet_progress"), Headers: []string{l.T("traininggroups.record.indicator"), l.T("traininggroups.record.goal"),
		l.T("traininggroups.record.achieved")}}
	progress.Rows = [][]any{
		{l.T("traininggroups.group.code"), g.Code, ""},
		{l.T("traininggroups.group.name"), g.Name, ""},
		{l.T("traininggroups.group.project"), g.Project, ""},
		{l.T("traininggroups.group.period"), trainingGroupPeriodText(l, g.StartOn, g.EndOn), ""},
		{l.T("traininggroups.group.members"), g.GoalMembers, pr.Members},
		{l.T("traininggroups.group.hours_per_member"), g.GoalHours, trainingGroupRound(pr.HoursPerMember)},
		{l.T("traininggroups.group.share"), g.GoalShare, trainingGroupRound(pr.Share)},
		{l.T("traininggroups.group.trained"), "", pr.Trained},
		{l.T("traininggroups.group.completed"), "", pr.Completed},
		{l.T("traininggroups.group.certified"), "", pr.Certified},
		{l.T("traininggroups.group.hours_total"), "", trainingGroupRound(pr.Hours)},
	}
	for _, c := range pr.ByCategory {
		progress.Rows = append(progress.Rows, []any{l.T("traininggroups.record.category_line", "Category", trainingGroupWord(l, "training.category.", c.Category)),
			c.Members, c.Completed})
	}
	return sendFile(w, l.T("traininggroups.record.file")+"-"+g.Code, "xlsx", func(b io.Writer) error {
		return report.WriteXLSXSheets(b, members, progress)
	})
}

// trainingGroupPeriodText is "from – to" of stored days, in the language.
func trainingGroupPeriodText(l *i18n.Localizer, start, end string) string {
	day := func(d string) string {
		if t, ok := trainingGroupDayOf(d); ok {
			return l.Date(t.Add(12 * 3600e9))
		}
		return d
	}
	switch {
	case start == "" && end == "":
		return ""
	case end == "" || end == start:
		return day(start)
	case start == "":
		return "– " + day(end)
	}
	return day(start) + " – " + day(end)
}

// trainingGroupRecordPDF prints the group's record on A4 landscape: the
// members with their eligibility data and, per programme, the state and
// hours, then the totals.
func (s *Server) trainingGroupRecordPDF(w http.ResponseWriter, r *http.Request) error {
	rec, inst, err := s.trainingGroupRecordOf(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	g := rec.Group
	pr := g.Progress
	t := report.PDFTable{Title: l.T("traininggroups.record.pdf_title", "Code", g.Code, "Name", g.Name),
		Footer: inst + " · " + g.Code, PageLabel: l.T("traininggroups.pdf.page"), OfLabel: l.T("traininggroups.pdf.of")}
	t.Subtitle = inst
	if g.Project != "" {
		t.Subtitle += " · " + g.Project
	}
	if period := trainingGroupPeriodText(l, g.StartOn, g.EndOn); period != "" {
		t.Subtitle += " · " + period
	}
	t.Subtitle += "\n" + l.T("traininggroups.record.pdf_progress", "Members", pr.Members, "GoalMembers", g.GoalMembers,
		"Hours", l.Decimal(pr.HoursPerMember, 1), "GoalHours", g.GoalHours, "Share", l.Decimal(pr.Share, 1), "GoalShare", g.GoalShare, "Certified", pr.Certified) +
		" · " + l.T("traininggroups.pdf.printed", "Date", l.Date(work.Day(s.clock.Now()).Add(12*3600e9)))
	if len(rec.Programmes) > 0 {
		names := ""
		for i, p := range rec.Programmes {
			if i > 0 {
				names += "; "
			}
			names += p.Code + " – " + p.Title
		}
		t.Subtitle += "\n" + l.T("traininggroups.record.pdf_programmes", "List", names)
	}
	t.Columns = []string{l.T("traininggroups.record.no"), l.T("traininggroups.member.name"), l.T("traininggroups.record.unit_job"), l.T("traininggroups.member.category"),
		l.T("traininggroups.member.gender"), l.T("traininggroups.member.birth_year"), l.T("traininggroups.member.education"), l.T("traininggroups.member.residence"),
		l.T("traininggroups.member.consent"), l.T("traininggroups.record.joined_left")}
	t.Widths = []float64{4, 16, 18, 11, 6, 5, 10, 6, 5, 9}
	for _, p := range rec.Programmes {
		t.Columns = append(t.Columns, p.Code)
		t.Widths = append(t.Widths, 10)
	}
	t.Columns = append(t.Columns, l.T("traininggroups.record.hours"), l.T("traininggroups.record.certificates"))
	t.Widths = append(t.Widths, 6, 6)
	var hours float64
	var certs int
	for i, row := range rec.Rows {
		m := row.Member
		category, gender, education, residence, consent := trainingGroupMemberCells(l, m)
		birth := ""
		if m.BirthYear > 0 {
			birth = strconv.Itoa(m.BirthYear)
		}
		unitJob := m.UnitName
		if m.JobTitle != "" {
			if unitJob != "" {
				unitJob += "\n"
			}
			unitJob += m.JobTitle
		}
		cells := []string{strconv.Itoa(i + 1), m.Name, unitJob, category, gender, birth, education, residence, consent, trainingGroupPeriodText(l, m.JoinedOn, m.LeftOn)}
		for j := range rec.Programmes {
			var line training.RecordLine
			if j < len(row.Programmes) {
				line = row.Programmes[j]
			}
			cell := trainingGroupLineState(l, line)
			if line.ID != 0 {
				cell += "\n" + l.T("traininggroups.record.hours_short", "Hours", l.Decimal(line.Hours, 1))
			}
			cells = append(cells, cell)
		}
		cells = append(cells, l.Decimal(row.Hours, 1), strconv.Itoa(row.Certificates))
		hours += row.Hours
		certs += row.Certificates
		t.Rows = append(t.Rows, cells)
	}
	total := []string{"", l.T("traininggroups.record.total", "Count", len(rec.Rows)), "", "", "", "", "", "", "", ""}
	for j := range rec.Programmes {
		done := 0
		for _, row := range rec.Rows {
			if j < len(row.Programmes) && row.Programmes[j].ID != 0 && row.Programmes[j].State == training.EnrolCompleted {
				done++
			}
		}
		total = append(total, l.T("traininggroups.record.completed_count", "Count", done))
	}
	t.Rows = append(t.Rows, append(total, l.Decimal(hours, 1), strconv.Itoa(certs)))
	return sendFile(w, l.T("traininggroups.record.file")+"-"+g.Code, "pdf", func(b io.Writer) error { return report.WriteTablePDF(b, t) })
}
