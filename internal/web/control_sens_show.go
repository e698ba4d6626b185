package web

// A sensitive function's page: its holders (add, end) and its measures
// (add, change, done or cancelled); and the inventory as PDF and DOCX.

import (
	"io"
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
	"cadran/internal/report"
)

// controlSensShowData is a function's page. Holder and Measure keep what
// was typed in the add forms when they fail; Edit is the measure whose
// change failed, with its typed values.
type controlSensShowData struct {
	Detail    control.SensitiveDetail
	People    []org.Person
	Kinds     []string
	States    []string
	Holder    control.HolderInput
	Measure   control.SMeasureInput
	EditID    int64
	Edit      control.SMeasureInput
	Today     string
	CanManage bool
}

func (s *Server) controlSensShowData(r *http.Request, id int64) (*controlSensShowData, error) {
	a := actorOf(r)
	x, err := s.control.SensitiveFunction(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &controlSensShowData{Detail: x, Kinds: control.MeasureKinds, States: control.MeasureStates, CanManage: a.Can(auth.PermControlManage),
		Today: s.clock.Now().Format("2006-01-02")}
	if d.CanManage {
		if d.People, _, err = s.org.People(r.Context(), a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// controlSensShow is a function's page.
func (s *Server) controlSensShow(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlView); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.controlSensShowData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "controlsens.show_title", d)
	p.Title = d.Detail.Function.Title + " · " + d.Detail.Function.UnitName
	return s.render(w, http.StatusOK, "control_sens_show", p)
}

// controlSensShowError shows the function's page again with the error
// next to the failed form's fields.
func (s *Server) controlSensShowError(w http.ResponseWriter, r *http.Request, err error, id int64, fill func(d *controlSensShowData)) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.controlSensShowData(r, id)
	if derr != nil {
		return derr
	}
	fill(d)
	return s.formError(w, r, err, "control_sens_show", "controlsens.show_title", d)
}

func controlSensPathInt(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.NotFound("record")
	}
	return n, nil
}

// controlSensHolderAdd records a person in the function.
func (s *Server) controlSensHolderAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := control.HolderInput{PersonID: formInt(r, control.FieldHolderPerson), SinceOn: r.FormValue(control.FieldHolderSince)}
	if _, err := s.control.AddHolder(r.Context(), a, id, in); err != nil {
		return s.controlSensShowError(w, r, err, id, func(d *controlSensShowData) { d.Holder = in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/sensitive/"+strconv.FormatInt(id, 10)+"#holders")
}

// controlSensHolderEnd records the day a person left the function.
func (s *Server) controlSensHolderEnd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	hid, err := controlSensPathInt(r, "chid")
	if err != nil {
		return err
	}
	in := control.HolderEnd{UntilOn: r.FormValue(control.FieldHolderUntil), Version: formVersion(r)}
	if _, err := s.control.EndHolder(r.Context(), a, id, hid, in); err != nil {
		return s.controlSensShowError(w, r, err, id, func(d *controlSensShowData) {})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/sensitive/"+strconv.FormatInt(id, 10)+"#holders")
}

func controlSensMeasureInput(r *http.Request) control.SMeasureInput {
	return control.SMeasureInput{HolderID: formInt(r, control.FieldMeasureHolder), Kind: r.FormValue(control.FieldMeasureKind),
		Description: r.FormValue(control.FieldMeasureDescription), OwnerID: formInt(r, control.FieldMeasureOwner), DueOn: r.FormValue(control.FieldMeasureDue),
		State: r.FormValue(control.FieldMeasureState), DoneOn: r.FormValue(control.FieldMeasureDone), Version: formVersion(r)}
}

// controlSensMeasureAdd adds a measure to the function.
func (s *Server) controlSensMeasureAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := controlSensMeasureInput(r)
	if _, err := s.control.AddSMeasure(r.Context(), a, id, in); err != nil {
		return s.controlSensShowError(w, r, err, id, func(d *controlSensShowData) { d.Measure = in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/sensitive/"+strconv.FormatInt(id, 10)+"#measures")
}

// controlSensMeasureUpdate changes a measure or its state.
func (s *Server) controlSensMeasureUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := controlSensPathInt(r, "cmsid")
	if err != nil {
		return err
	}
	in := controlSensMeasureInput(r)
	if _, err := s.control.UpdateSMeasure(r.Context(), a, id, mid, in); err != nil {
		return s.controlSensShowError(w, r, err, id, func(d *controlSensShowData) { d.EditID, d.Edit = mid, in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/sensitive/"+strconv.FormatInt(id, 10)+"#measure-"+strconv.FormatInt(mid, 10))
}

// controlSensInventory is the three lists as one report.
func (s *Server) controlSensInventory(r *http.Request) (report.CaseReport, error) {
	a := actorOf(r)
	inv, err := s.control.SensitiveInventory(r.Context(), a)
	if err != nil {
		return report.CaseReport{}, err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return report.CaseReport{}, err
	}
	l := localizer(r)
	p := &Page{l: l}
	rep := report.CaseReport{Institution: inst.Name, Title: l.T("controlsens.inventory.title"),
		Subtitle: l.T("controlsens.inventory.subtitle", "Date", p.ControlSensDay(inv.Today)), PageLabel: l.T("controlsens.page"), OfLabel: l.T("controlsens.of")}
	fns := &report.ReportTable{Columns: []string{l.T("controlsens.no"), l.T("controlsens.unit"), l.T("controlsens.fn.title"), l.T("controlsens.fn.factors"),
		l.T("controlsens.fn.rotation"), l.T("controlsens.fn.max_years"), l.T("controlsens.fn.holders")}, Widths: []float64{0.5, 3, 3, 4, 1.2, 1.2, 1.2}}
	for i, f := range inv.Functions {
		rot := controlSensYesNo(l.T, f.Rotation)
		fns.Rows = append(fns.Rows, []string{strconv.Itoa(i + 1), f.UnitName, f.Title, controlSensFactors(l.T, f.Factors), rot, strconv.Itoa(f.MaxYears), strconv.Itoa(f.Holders)})
	}
	people := &report.ReportTable{Columns: []string{l.T("controlsens.no"), l.T("controlsens.holder.name"), l.T("controlsens.holder.job"), l.T("controlsens.fn.title"),
		l.T("controlsens.unit"), l.T("controlsens.holder.since"), l.T("controlsens.holder.rotation_on"), l.T("controlsens.holder.status")},
		Widths: []float64{0.5, 2.5, 2, 2.5, 2.5, 1.4, 1.4, 1.6}}
	for i, h := range inv.Holders {
		status := ""
		switch {
		case !h.Rotation:
			status = l.T("controlsens.holder.no_rotation")
		case h.Overdue:
			status = l.T("controlsens.holder.overdue")
		case h.Notice:
			status = l.T("controlsens.holder.notice")
		}
		people.Rows = append(people.Rows, []string{strconv.Itoa(i + 1), h.Name, h.JobTitle, h.FunctionTitle, h.UnitName, p.ControlSensDay(h.SinceOn),
			p.ControlSensDay(h.RotationOn), status})
	}
	plan := &report.ReportTable{Columns: []string{l.T("controlsens.no"), l.T("controlsens.fn.title"), l.T("controlsens.measure.kind"), l.T("controlsens.measure.description"),
		l.T("controlsens.measure.owner"), l.T("controlsens.measure.due"), l.T("controlsens.state")}, Widths: []float64{0.5, 2.5, 1.8, 4, 2, 1.3, 1.5}}
	for i, m := range inv.Measures {
		state := l.T("control.measure.state." + m.State)
		if m.State == control.MeasureDone {
			state += " " + p.ControlSensDay(m.DoneOn)
		}
		owner := m.OwnerName
		if owner == "" {
			owner = l.T("controlsens.measure.quality_office")
		}
		plan.Rows = append(plan.Rows, []string{strconv.Itoa(i + 1), m.FunctionTitle + " (" + m.UnitName + ")", l.T("control.measure." + m.Kind), m.Description, owner,
			p.ControlSensDay(m.DueOn), state})
	}
	empty := l.T("controlsens.inventory.empty")
	section := func(heading string, t *report.ReportTable) report.ReportSection {
		if len(t.Rows) == 0 {
			return report.ReportSection{Heading: heading, Text: empty}
		}
		return report.ReportSection{Heading: heading, Table: t}
	}
	rep.Sections = []report.ReportSection{section(l.T("controlsens.inventory.functions"), fns), section(l.T("controlsens.inventory.people"), people),
		section(l.T("controlsens.inventory.plan"), plan),
		{Heading: l.T("controlsens.inventory.signoff"), Fields: [][2]string{{l.T("controlsens.inventory.drafted"), ""}, {l.T("controlsens.inventory.approved"), ""}}}}
	return rep, nil
}

// controlSensInventoryPDF sends the inventory as PDF (A4 landscape).
func (s *Server) controlSensInventoryPDF(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlView); err != nil {
		return err
	}
	rep, err := s.controlSensInventory(r)
	if err != nil {
		return err
	}
	return sendFile(w, rep.Title, "pdf", func(b io.Writer) error { return report.WriteLandscapeReportPDF(b, rep) })
}

// controlSensInventoryDOCX sends the inventory as DOCX, to edit and sign.
func (s *Server) controlSensInventoryDOCX(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlView); err != nil {
		return err
	}
	rep, err := s.controlSensInventory(r)
	if err != nil {
		return err
	}
	return sendFile(w, rep.Title, "docx", func(b io.Writer) error { return report.WriteLandscapeReportDOCX(b, rep) })
}
