package report

import "strconv"

// The development programme of the control system, as the document the
// monitoring commission reviews and the head of the institution approves,
// and the minutes (proces-verbal) of a meeting of the commission or the
// risk management team. Both are case reports (WriteCaseReportPDF,
// WriteCaseReportDOCX): the caller translates the labels and formats the
// values.

// ControlProgLabels are the words of the programme and the minutes in the
// reader's language.
type ControlProgLabels struct {
	Page, Of                                         string // "Pagina", "din"
	General                                          string // "Date generale"
	Objectives, NoObjectives                         string
	Code, Objective, Description                     string
	Actions, NoActions                               string
	Standard                                         string // "Standardul"
	No, Action, Owner, Due, State                    string
	Present, NoPresent, Person, Role                 string
	Agenda, Discussion                               string
	Decisions, NoDecisions, Decision, DecisionNumber string
	Signatures, SignRole, SignName, SignDate, Sign   string
	ApprovedBy, DrawnBy                              string // the programme's sign-off rows
	President, Secretary                             string // the minutes' sign-off rows
}

// ControlProgramme is a development programme: its general data, its
// objectives, and its actions grouped by standard.
type ControlProgramme struct {
	Institution, Title, Subtitle string
	Fields                       [][2]string
	Notes                        string
	Objectives                   []ControlProgObjective
	Standards                    []ControlProgStandard
	L                            ControlProgLabels
}

// ControlProgObjective is one objective of the programme.
type ControlProgObjective struct{ Code, Title, Description string }

// ControlProgStandard is a standard's heading ("2. Atribuții, funcții,
// sarcini") and its actions.
type ControlProgStandard struct {
	Title   string
	Actions []ControlProgAction
}

// ControlProgAction is one action, its values already formatted.
type ControlProgAction struct{ Title, Description, Objective, Owner, Due, State string }

// Report is the programme as a case report: the general data, the
// objectives, a table of actions per standard (number, action, objective,
// owner, deadline, state) and the sign-off table.
func (p ControlProgramme) Report() CaseReport {
	l := p.L
	r := CaseReport{Institution: p.Institution, Title: p.Title, Subtitle: p.Subtitle, Footer: p.Title, PageLabel: l.Page, OfLabel: l.Of}
	r.Sections = append(r.Sections, ReportSection{Heading: l.General, Fields: p.Fields, Text: p.Notes})
	obj := ReportSection{Heading: l.Objectives}
	if len(p.Objectives) == 0 {
		obj.Text = l.NoObjectives
	} else {
		obj.Table = &ReportTable{Columns: []string{l.Code, l.Objective, l.Description}, Widths: []float64{0.6, 2.5, 4}}
		for _, o := range p.Objectives {
			obj.Table.Rows = append(obj.Table.Rows, []string{o.Code, o.Title, o.Description})
		}
	}
	r.Sections = append(r.Sections, obj)
	for _, s := range p.Standards {
		t := &ReportTable{Columns: []string{l.No, l.Action, l.Objective, l.Owner, l.Due, l.State}, Widths: []float64{0.5, 4, 0.8, 1.8, 1.2, 1.2}}
		for i, x := range s.Actions {
			title := x.Title
			if x.Description != "" {
				title += "\n" + x.Description
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), title, x.Objective, x.Owner, x.Due, x.State})
		}
		r.Sections = append(r.Sections, ReportSection{Heading: l.Standard + " " + s.Title, Table: t})
	}
	if len(p.Standards) == 0 {
		r.Sections = append(r.Sections, ReportSection{Heading: l.Actions, Text: l.NoActions})
	}
	r.Sections = append(r.Sections, ReportSection{Heading: l.Signatures, Table: &ReportTable{
		Columns: []string{l.SignRole, l.SignName, l.SignDate, l.Sign}, Widths: []float64{2, 2, 1, 1.5},
		Rows: [][]string{{l.ApprovedBy, "", "", ""}, {l.DrawnBy, "", "", ""}}}})
	return r
}

// ControlMinutes are the minutes of a meeting: its data, the members
// present, the agenda, the discussion, the decisions, and the signatures
// of the body's president and secretary.
type ControlMinutes struct {
	Institution, Title, Subtitle, Footer string
	Fields                               [][2]string
	Present                              []ControlMinutesPerson
	Agenda, Discussion                   string
	Decisions                            []ControlMinutesDecision
	President, Secretary                 string
	L                                    ControlProgLabels
}

// ControlMinutesPerson is a member present and their role.
type ControlMinutesPerson struct{ Name, Role string }

// ControlMinutesDecision is one decision, its values already formatted.
type ControlMinutesDecision struct{ Number, Text, Owner, Due, State string }

// Report is the minutes as a case report.
func (m ControlMinutes) Report() CaseReport {
	l := m.L
	r := CaseReport{Institution: m.Institution, Title: m.Title, Subtitle: m.Subtitle, Footer: m.Footer, PageLabel: l.Page, OfLabel: l.Of}
	r.Sections = append(r.Sections, ReportSection{Heading: l.General, Fields: m.Fields})
	present := ReportSection{Heading: l.Present}
	if len(m.Present) == 0 {
		present.Text = l.NoPresent
	} else {
		present.Table = &ReportTable{Columns: []string{l.No, l.Person, l.Role}, Widths: []float64{0.5, 4, 2}}
		for i, p := range m.Present {
			present.Table.Rows = append(present.Table.Rows, []string{strconv.Itoa(i + 1), p.Name, p.Role})
		}
	}
	r.Sections = append(r.Sections, present)
	r.Sections = append(r.Sections, ReportSection{Heading: l.Agenda, Text: controlProgOrDash(m.Agenda)}, ReportSection{Heading: l.Discussion, Text: controlProgOrDash(m.Discussion)})
	dec := ReportSection{Heading: l.Decisions}
	if len(m.Decisions) == 0 {
		dec.Text = l.NoDecisions
	} else {
		dec.Table = &ReportTable{Columns: []string{l.DecisionNumber, l.Decision, l.Owner, l.Due, l.State}, Widths: []float64{1.3, 4, 1.8, 1.1, 1.1}}
		for _, d := range m.Decisions {
			dec.Table.Rows = append(dec.Table.Rows, []string{d.Number, d.Text, d.Owner, d.Due, d.State})
		}
	}
	r.Sections = append(r.Sections, dec)
	r.Sections = append(r.Sections, ReportSection{Heading: l.Signatures, Table: &ReportTable{
		Columns: []string{l.SignRole, l.SignName, l.Sign}, Widths: []float64{2, 3, 2},
		Rows: [][]string{{l.President, m.President, ""}, {l.Secretary, m.Secretary, ""}}}})
	return r
}

func controlProgOrDash(s string) string {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			return s
		}
	}
	return "—"
}
