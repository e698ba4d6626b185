package web

// The bodies' meetings: the list and its export, the form, a meeting's
// page with its agenda, attendees, minutes and decisions, its state, and
// the minutes (proces-verbal) as PDF and DOCX.

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
	"cadran/internal/report"
)

var cprogMeetingSortKeys = []string{"date", "body", "number", "state"}

var cprogMeetingSortLabels = map[string]string{"date": "field.meet_held_on", "body": "field.meet_body_id", "number": "field.meet_number", "state": "controlprog.state"}

type cprogMeetingListData struct {
	Items     []control.Meeting
	Filter    control.MeetingFilter
	Bodies    []control.Body
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanManage bool
}

func cprogMeetingFilterOf(r *http.Request) (control.MeetingFilter, string) {
	q := r.URL.Query()
	f := control.MeetingFilter{BodyID: queryInt(r, "body"), Kind: q.Get("kind"), State: q.Get("state"), Year: int(queryInt(r, "year")),
		Query: strings.TrimSpace(q.Get("q"))}
	if !slices.Contains(control.BodyKinds, f.Kind) {
		f.Kind = ""
	}
	if f.State != control.MeetingPlanned && f.State != control.MeetingHeld {
		f.State = ""
	}
	var current string
	f.Sort, f.Desc, current = cprogSort(r, cprogMeetingSortKeys, "date")
	if current == "" {
		f.Desc = true
	}
	return f, current
}

// cprogMeetingList lists the meetings, the latest first.
func (s *Server) cprogMeetingList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, current := cprogMeetingFilterOf(r)
	pg := newPager(r, cprogPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.control.Meetings(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	bodies, err := s.control.Bodies(r.Context(), a, control.BodyFilter{PerPage: 200})
	if err != nil {
		return err
	}
	d := &cprogMeetingListData{Items: res.Items, Filter: f, Bodies: bodies.Items, Pager: pg, CanManage: cprogManage(a)}
	if d.Saved, err = s.savedFilters(r, "control_meetings"); err != nil {
		return err
	}
	p := s.page(r, "controlprog.meeting.list_title", d)
	d.Sorts = sortLinks(p, current, cprogMeetingSortLabels, cprogMeetingSortKeys)
	return s.render(w, http.StatusOK, "control_prog_meetings", p)
}

// cprogMeetingExport sends the filtered meetings as XLSX.
func (s *Server) cprogMeetingExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, _ := cprogMeetingFilterOf(r)
	l := localizer(r)
	t := report.Table{Sheet: l.T("controlprog.meeting.list_title"), Headers: []string{l.T("field.meet_held_on"), l.T("field.meet_body_id"),
		l.T("field.meet_number"), l.T("field.meet_place"), l.T("controlprog.state"), l.T("field.meet_agenda"), l.T("controlprog.meeting.decisions")}}
	for f.Page, f.PerPage = 1, 1000; ; f.Page++ {
		res, err := s.control.Meetings(r.Context(), a, f)
		if err != nil {
			return err
		}
		for _, m := range res.Items {
			t.Rows = append(t.Rows, []any{cprogXDay(m.HeldOn), m.BodyName, m.Number, m.Place, l.T("control.meeting.state." + m.State), m.Agenda, m.Decisions})
		}
		if len(res.Items) < f.PerPage || f.Page*f.PerPage >= res.Total {
			break
		}
	}
	return sendTables(w, r, l.T("controlprog.meeting.export_file"), t)
}

type cprogMeetingFormData struct {
	ID      int64
	Meeting control.Meeting
	Bodies  []control.Body
	Members []control.Member
	Picked  map[int64]bool
	Form    control.MeetingInput
}

func cprogMeetingInput(r *http.Request) control.MeetingInput {
	in := control.MeetingInput{BodyID: formInt(r, control.FieldMeetBody), Number: r.FormValue(control.FieldMeetNumber), HeldOn: r.FormValue(control.FieldMeetHeldOn),
		Place: r.FormValue(control.FieldMeetPlace), Agenda: r.FormValue(control.FieldMeetAgenda), Minutes: r.FormValue(control.FieldMeetMinutes), Version: formVersion(r)}
	if r.FormValue("attendees_sent") == "1" {
		in.Attendees = []int64{}
		for _, v := range r.Form[control.FieldMeetAttendees] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
				in.Attendees = append(in.Attendees, id)
			}
		}
	}
	return in
}

func (s *Server) cprogMeetingFormFill(r *http.Request, d *cprogMeetingFormData) error {
	a := actorOf(r)
	d.Picked = map[int64]bool{}
	for _, id := range d.Form.Attendees {
		d.Picked[id] = true
	}
	if d.ID == 0 {
		bodies, err := s.control.Bodies(r.Context(), a, control.BodyFilter{Active: "yes", PerPage: 200})
		if err != nil {
			return err
		}
		d.Bodies = bodies.Items
		return nil
	}
	var err error
	d.Members, err = s.control.Members(r.Context(), a, d.Meeting.BodyID)
	return err
}

// cprogMeetingNew is the form for a new meeting (?body= names the body).
func (s *Server) cprogMeetingNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlManage); err != nil {
		return err
	}
	d := &cprogMeetingFormData{Form: control.MeetingInput{BodyID: queryInt(r, "body"), HeldOn: s.cprogToday()}}
	if err := s.cprogMeetingFormFill(r, d); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_prog_meeting_form", s.page(r, "controlprog.meeting.new_title", d))
}

// cprogMeetingCreate plans the meeting (its members' attend tasks).
func (s *Server) cprogMeetingCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	in := cprogMeetingInput(r)
	m, err := s.control.CreateMeeting(r.Context(), a, in)
	if err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d := &cprogMeetingFormData{Form: in}
		if ferr := s.cprogMeetingFormFill(r, d); ferr != nil {
			return ferr
		}
		return s.formError(w, r, err, "control_prog_meeting_form", "controlprog.meeting.new_title", d)
	}
	s.flash(r, "controlprog.meeting.flash_created")
	return redirect(w, r, m.Href())
}

// cprogMeetingEdit is a meeting's form: its day, place, agenda, minutes
// and who was present.
func (s *Server) cprogMeetingEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.control.Meeting(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := control.MeetingInput{BodyID: m.BodyID, Number: m.Number, HeldOn: m.HeldOn, Place: m.Place, Agenda: m.Agenda, Minutes: m.Minutes, Version: m.Version,
		Attendees: []int64{}}
	for _, at := range m.Attendees {
		in.Attendees = append(in.Attendees, at.PersonID)
	}
	d := &cprogMeetingFormData{ID: id, Meeting: m, Form: in}
	if err := s.cprogMeetingFormFill(r, d); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_prog_meeting_form", s.page(r, "controlprog.meeting.edit_title", d))
}

// cprogMeetingUpdate saves a meeting.
func (s *Server) cprogMeetingUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.control.Meeting(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := cprogMeetingInput(r)
	in.BodyID = m.BodyID
	if _, err := s.control.UpdateMeeting(r.Context(), a, id, in); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d := &cprogMeetingFormData{ID: id, Meeting: m, Form: in}
		if ferr := s.cprogMeetingFormFill(r, d); ferr != nil {
			return ferr
		}
		return s.formError(w, r, err, "control_prog_meeting_form", "controlprog.meeting.edit_title", d)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, m.Href())
}

type cprogMeetingShowData struct {
	Meeting   control.Meeting
	Decisions []control.Decision
	People    []org.Person
	States    []string
	Today     string
	CanManage bool
	// DecErr tells whether a decision form failed; DecFor names it (0:
	// the new decision's) and DecForm keeps what it was sent with.
	DecErr  bool
	DecFor  int64
	DecForm control.DecisionInput
}

func (s *Server) cprogMeetingShowData(r *http.Request) (*cprogMeetingShowData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	m, err := s.control.Meeting(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &cprogMeetingShowData{Meeting: m, States: control.ActionStates, Today: s.cprogToday(), CanManage: cprogManage(a)}
	ds, err := s.control.Decisions(ctx, a, control.DecisionFilter{MeetingID: id, Sort: "number", PerPage: 500})
	if err != nil {
		return nil, err
	}
	d.Decisions = ds.Items
	if d.CanManage {
		if d.People, err = s.cprogPeople(r); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// cprogMeetingShow is a meeting's page.
func (s *Server) cprogMeetingShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cprogMeetingShowData(r)
	if err != nil {
		return err
	}
	p := s.page(r, "controlprog.meeting.show_title", d)
	p.Title = d.Meeting.BodyName + " · " + p.CProgDay(d.Meeting.HeldOn)
	return s.render(w, http.StatusOK, "control_prog_meeting", p)
}

func (s *Server) cprogMeetingAgain(w http.ResponseWriter, r *http.Request, err error, fill func(d *cprogMeetingShowData)) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.cprogMeetingShowData(r)
	if derr != nil {
		return derr
	}
	fill(d)
	return s.formError(w, r, err, "control_prog_meeting", "controlprog.meeting.show_title", d)
}

// cprogMeetingState marks a meeting held or planned again.
func (s *Server) cprogMeetingState(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mv := control.MeetingMove{To: r.FormValue("to"), Version: formVersion(r)}
	if _, err := s.control.MoveMeeting(r.Context(), a, id, mv); err != nil {
		return s.cprogMeetingAgain(w, r, err, func(*cprogMeetingShowData) {})
	}
	s.flash(r, "controlprog.meeting.flash_"+mv.To)
	return redirect(w, r, "/control/meetings/"+strconv.FormatInt(id, 10))
}

func cprogDecisionInput(r *http.Request) control.DecisionInput {
	return control.DecisionInput{Number: r.FormValue(control.FieldDecNumber), Text: r.FormValue(control.FieldDecText), OwnerID: formInt(r, control.FieldDecOwner),
		DueOn: r.FormValue(control.FieldDecDue), State: r.FormValue(control.FieldDecState), DoneOn: r.FormValue(control.FieldDecDoneOn), Version: formVersion(r)}
}

// cprogDecisionAdd records a decision of a held meeting.
func (s *Server) cprogDecisionAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := cprogDecisionInput(r)
	if _, err := s.control.AddDecision(r.Context(), a, id, in); err != nil {
		return s.cprogMeetingAgain(w, r, err, func(d *cprogMeetingShowData) { d.DecErr, d.DecFor, d.DecForm = true, 0, in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/meetings/"+strconv.FormatInt(id, 10)+"#decisions")
}

// cprogDecisionUpdate changes a decision (its state too).
func (s *Server) cprogDecisionUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	did, err := pathParamID(r, "cdid")
	if err != nil {
		return err
	}
	in := cprogDecisionInput(r)
	if _, err := s.control.UpdateDecision(r.Context(), a, id, did, in); err != nil {
		return s.cprogMeetingAgain(w, r, err, func(d *cprogMeetingShowData) { d.DecErr, d.DecFor, d.DecForm = true, did, in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/meetings/"+strconv.FormatInt(id, 10)+"#decisions")
}

// cprogMinutes is the meeting's minutes (proces-verbal): the body, number,
// day and place, the members present, the agenda, the discussion, the
// decisions, and the signatures of the president and the secretary.
func (s *Server) cprogMinutes(r *http.Request) (report.CaseReport, string, error) {
	d, err := s.cprogMeetingShowData(r)
	if err != nil {
		return report.CaseReport{}, "", err
	}
	a := actorOf(r)
	l := localizer(r)
	m := d.Meeting
	title := l.T("controlprog.minutes.title")
	if m.Number != "" {
		title += " " + m.Number
	}
	doc := report.ControlMinutes{Institution: s.cprogInstitution(r), Title: title,
		Subtitle: l.T("controlprog.minutes.subtitle", "Body", m.BodyName, "Day", cprogDay(m.HeldOn)),
		Footer:   m.BodyName + " · " + title, Agenda: m.Agenda, Discussion: m.Minutes, L: cprogLabels(l),
		Fields: [][2]string{{l.T("field.meet_body_id"), m.BodyName}, {l.T("field.meet_number"), m.Number}, {l.T("field.meet_held_on"), cprogDay(m.HeldOn)},
			{l.T("field.meet_place"), m.Place}, {l.T("controlprog.state"), l.T("control.meeting.state." + m.State)}}}
	for _, at := range m.Attendees {
		role := ""
		if at.Role != "" {
			role = l.T("control.role." + at.Role)
		}
		doc.Present = append(doc.Present, report.ControlMinutesPerson{Name: at.PersonName, Role: role})
	}
	for _, x := range d.Decisions {
		doc.Decisions = append(doc.Decisions, report.ControlMinutesDecision{Number: x.Number, Text: x.Text, Owner: x.OwnerName, Due: cprogDay(x.DueOn),
			State: l.T("control.action.state." + x.State)})
	}
	// The signatures: the body's president and secretary on the day.
	members, err := s.control.Members(r.Context(), a, m.BodyID)
	if err != nil {
		return report.CaseReport{}, "", err
	}
	for _, mb := range members {
		if mb.FromOn > m.HeldOn || (mb.UntilOn != "" && mb.UntilOn < m.HeldOn) {
			continue
		}
		switch {
		case mb.Role == control.RolePresident && doc.President == "":
			doc.President = mb.PersonName
		case mb.Role == control.RoleSecretary && doc.Secretary == "":
			doc.Secretary = mb.PersonName
		}
	}
	return doc.Report(), l.T("controlprog.minutes.file", "Day", m.HeldOn), nil
}

// cprogMinutesPDF sends the minutes as PDF.
func (s *Server) cprogMinutesPDF(w http.ResponseWriter, r *http.Request) error {
	rep, name, err := s.cprogMinutes(r)
	if err != nil {
		return err
	}
	return sendFile(w, name, "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, rep) })
}

// cprogMinutesDOCX sends the minutes as DOCX, to complete and sign.
func (s *Server) cprogMinutesDOCX(w http.ResponseWriter, r *http.Request) error {
	rep, name, err := s.cprogMinutes(r)
	if err != nil {
		return err
	}
	return sendFile(w, name, "docx", func(b io.Writer) error { return report.WriteCaseReportDOCX(b, rep) })
}
