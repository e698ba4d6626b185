package web

// Training programmes: the list and its export, the form, and a
// programme's page with its sessions and the way to plan another.

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/report"
	"cadran/internal/training"
)

var trainingProgrammeSortKeys = []string{"code", "title", "topic", "hours"}

var trainingProgrammeSortLabels = map[string]string{"code": "traininggroups.programme.code", "title": "traininggroups.programme.title_field",
	"topic": "traininggroups.programme.topic", "hours": "traininggroups.programme.hours"}

type trainingProgrammeListData struct {
	Items     []training.Programme
	Filter    training.ProgrammeFilter
	Topics    []string
	Groups    []training.Group
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanManage bool
}

// trainingProgrammeFilterOf reads the programme list's filter.
func trainingProgrammeFilterOf(r *http.Request) (training.ProgrammeFilter, string) {
	q := r.URL.Query()
	f := training.ProgrammeFilter{Query: strings.TrimSpace(q.Get("q")), Topic: q.Get("topic"), GroupID: queryInt(r, "group"), Active: q.Get("active")}
	if f.Active != "yes" && f.Active != "no" {
		f.Active = ""
	}
	known := false
	for _, t := range training.Topics {
		known = known || t == f.Topic
	}
	if !known {
		f.Topic = ""
	}
	var current string
	f.Sort, f.Desc, current = trainingProgrammeSortOf(r)
	return f, current
}

func trainingProgrammeSortOf(r *http.Request) (string, bool, string) {
	return trainingGroupSort(r, trainingProgrammeSortKeys, "code")
}

// trainingProgrammeGroups lists the target groups for the filter and the
// form: only for those who may read them (they hold personal data).
func (s *Server) trainingProgrammeGroups(r *http.Request) ([]training.Group, error) {
	a := actorOf(r)
	if !a.Can(auth.PermTrainingRecords) {
		return nil, nil
	}
	return s.trainingGroupAll(r, training.GroupFilter{Sort: "code"})
}

// trainingProgrammeList is the programmes: filters, sortable list, pager.
func (s *Server) trainingProgrammeList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f, current := trainingProgrammeFilterOf(r)
	pg := newPager(r, trainingGroupPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.training.Programmes(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &trainingProgrammeListData{Items: res.Items, Filter: f, Topics: training.Topics, Pager: pg, CanManage: a.Can(auth.PermTrainingManage)}
	if d.Groups, err = s.trainingProgrammeGroups(r); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "training_programmes"); err != nil {
		return err
	}
	p := s.page(r, "traininggroups.programme.list_title", d)
	d.Sorts = sortLinks(p, current, trainingProgrammeSortLabels, trainingProgrammeSortKeys)
	return s.render(w, http.StatusOK, "training_programme_list", p)
}

// trainingProgrammeExport sends the filtered programmes as XLSX.
func (s *Server) trainingProgrammeExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f, _ := trainingProgrammeFilterOf(r)
	var items []training.Programme
	for f.Page, f.PerPage = 1, 500; ; f.Page++ {
		res, err := s.training.Programmes(r.Context(), a, f)
		if err != nil {
			return err
		}
		items = append(items, res.Items...)
		if len(res.Items) < f.PerPage || len(items) >= res.Total {
			break
		}
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("traininggroups.programme.list_title"), Headers: []string{l.T("traininggroups.programme.code"), l.T("traininggroups.programme.title_field"),
		l.T("traininggroups.programme.topic"), l.T("traininggroups.programme.provider"), l.T("traininggroups.programme.hours"), l.T("traininggroups.programme.certificate"),
		l.T("traininggroups.programme.certificate_months"), l.T("traininggroups.programme.competence"), l.T("traininggroups.programme.competence_level"),
		l.T("traininggroups.programme.group"), l.T("traininggroups.programme.mandatory"), l.T("traininggroups.programme.pass_score"),
		l.T("traininggroups.programme.min_attendance"), l.T("traininggroups.programme.sessions"), l.T("traininggroups.programme.completed"),
		l.T("traininggroups.group.status")}}
	for _, p := range items {
		level, mandatory := "", l.T("common.no")
		if p.CompetenceID != 0 {
			level = trainingGroupWord(l, "training.level.", strconv.Itoa(p.CompetenceLevel))
		}
		if p.Mandatory {
			mandatory = l.T("common.yes")
		}
		t.Rows = append(t.Rows, []any{p.Code, p.Title, trainingGroupWord(l, "training.topic.", p.Topic), p.Provider, p.Hours, p.Certificate, p.CertificateMonths,
			p.CompetenceName, level, p.GroupName, mandatory, p.PassScore, p.MinAttendance, p.Sessions, p.Completed, trainingGroupActive(l.T, p.Active)})
	}
	return sendTables(w, r, l.T("traininggroups.programme.export_file"), t)
}

// trainingProgrammeFormData is the programme form's data.
type trainingProgrammeFormData struct {
	ID          int64
	Code        string
	Form        training.ProgrammeInput
	Raw         map[string]string
	Topics      []string
	Levels      []int
	Competences []training.Competence
	Groups      []training.Group
}

func (s *Server) trainingProgrammeFormData(r *http.Request, id int64, code string, in training.ProgrammeInput, raw map[string]string) (*trainingProgrammeFormData, error) {
	d := &trainingProgrammeFormData{ID: id, Code: code, Form: in, Raw: raw, Topics: training.Topics, Levels: training.Levels}
	var err error
	if d.Competences, err = s.training.Competences(r.Context(), actorOf(r), false); err != nil {
		return nil, err
	}
	if d.Groups, err = s.trainingProgrammeGroups(r); err != nil {
		return nil, err
	}
	return d, nil
}

// trainingProgrammeInput reads the programme form.
func trainingProgrammeInput(r *http.Request) (training.ProgrammeInput, apperr.Validation, map[string]string) {
	bad, raw := apperr.Validation{}, map[string]string{}
	in := training.ProgrammeInput{Code: strings.TrimSpace(r.FormValue("tp_code")), Title: strings.TrimSpace(r.FormValue("tp_title")), Topic: r.FormValue("tp_topic"),
		Provider: strings.TrimSpace(r.FormValue("tp_provider")), Certificate: strings.TrimSpace(r.FormValue("tp_certificate")),
		CompetenceID: formInt(r, "tp_competence"), GroupID: formInt(r, "tp_group"), Mandatory: r.FormValue("tp_mandatory") == "1",
		Description: r.FormValue("tp_description"), Active: r.FormValue("tp_active") == "1", Version: formVersion(r)}
	in.Hours = trainingGroupNumber(r, "tp_hours", bad, raw)
	in.CertificateMonths = trainingGroupNumber(r, "tp_certificate_months", bad, raw)
	in.CompetenceLevel = trainingGroupNumber(r, "tp_competence_level", bad, raw)
	in.PassScore = trainingGroupNumber(r, "tp_pass_score", bad, raw)
	in.MinAttendance = trainingGroupNumber(r, "tp_min_attendance", bad, raw)
	if in.CompetenceLevel == 0 {
		in.CompetenceLevel = training.LevelBasic
	}
	return in, bad, raw
}

// trainingProgrammeAlias names the domain's programme fields as the form does.
var trainingProgrammeAlias = map[string]string{training.FieldProgCode: "tp_code", training.FieldProgTitle: "tp_title", training.FieldProgTopic: "tp_topic",
	training.FieldProgProvider: "tp_provider", training.FieldProgHours: "tp_hours", training.FieldProgCertificate: "tp_certificate",
	training.FieldProgCertificateMonths: "tp_certificate_months", training.FieldProgCompetence: "tp_competence", training.FieldProgCompetenceLevel: "tp_competence_level",
	training.FieldProgGroup: "tp_group", training.FieldProgPassScore: "tp_pass_score", training.FieldProgMinAttendance: "tp_min_attendance",
	training.FieldProgDescription: "tp_description"}

// trainingProgrammeNew is the form for a new programme.
func (s *Server) trainingProgrammeNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in := training.ProgrammeInput{Topic: training.TopicQuality, CompetenceLevel: training.LevelBasic, MinAttendance: 80, Active: true, GroupID: queryInt(r, "group")}
	d, err := s.trainingProgrammeFormData(r, 0, "", in, map[string]string{})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "training_programme_form", s.page(r, "traininggroups.programme.new_title", d))
}

// trainingProgrammeCreate creates the programme.
func (s *Server) trainingProgrammeCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in, bad, raw := trainingProgrammeInput(r)
	var p training.Programme
	var err error
	if len(bad) == 0 {
		p, err = s.training.CreateProgramme(r.Context(), a, in)
	}
	if err := trainingGroupFields(err, bad, "tp_", trainingProgrammeAlias); err != nil {
		return s.trainingProgrammeFormError(w, r, err, 0, "", in, raw, "traininggroups.programme.new_title")
	}
	s.flash(r, "traininggroups.programme.flash_created", "Code", p.Code)
	return redirect(w, r, "/training/programmes/"+strconv.FormatInt(p.ID, 10))
}

func (s *Server) trainingProgrammeFormError(w http.ResponseWriter, r *http.Request, err error, id int64, code string, in training.ProgrammeInput, raw map[string]string, title string) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.trainingProgrammeFormData(r, id, code, in, raw)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "training_programme_form", title, d)
}

// trainingProgrammeEdit is the form for a programme.
func (s *Server) trainingProgrammeEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.training.Programme(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := training.ProgrammeInput{Code: p.Code, Title: p.Title, Topic: p.Topic, Provider: p.Provider, Hours: p.Hours, Certificate: p.Certificate,
		CertificateMonths: p.CertificateMonths, CompetenceID: p.CompetenceID, CompetenceLevel: p.CompetenceLevel, GroupID: p.GroupID, Mandatory: p.Mandatory,
		PassScore: p.PassScore, MinAttendance: p.MinAttendance, Description: p.Description, Active: p.Active, Version: p.Version}
	if in.CompetenceLevel == 0 {
		in.CompetenceLevel = training.LevelBasic
	}
	d, err := s.trainingProgrammeFormData(r, id, p.Code, in, map[string]string{})
	if err != nil {
		return err
	}
	pg := s.page(r, "traininggroups.programme.edit_title", d)
	pg.Title = pg.T("traininggroups.programme.edit_title") + " " + p.Code
	return s.render(w, http.StatusOK, "training_programme_form", pg)
}

// trainingProgrammeUpdate saves the programme, checked against its version.
func (s *Server) trainingProgrammeUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.training.Programme(r.Context(), a, id)
	if err != nil {
		return err
	}
	in, bad, raw := trainingProgrammeInput(r)
	if len(bad) == 0 {
		_, err = s.training.UpdateProgramme(r.Context(), a, id, in)
	}
	if err := trainingGroupFields(err, bad, "tp_", trainingProgrammeAlias); err != nil {
		return s.trainingProgrammeFormError(w, r, err, id, p.Code, in, raw, "traininggroups.programme.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/programmes/"+strconv.FormatInt(id, 10))
}

// trainingProgrammeShowData is a programme's page.
type trainingProgrammeShowData struct {
	Programme training.Programme
	Sessions  []training.Session
	// More: the programme has more sessions than the page lists.
	More      bool
	CanManage bool
	CanGroup  bool
}

// trainingProgrammeShow is a programme's page: what it is, the
// certificate and competence it leads to, its sessions, and the link to
// plan another.
func (s *Server) trainingProgrammeShow(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.training.Programme(r.Context(), a, id)
	if err != nil {
		return err
	}
	sessions, err := s.training.Sessions(r.Context(), a, training.SessionFilter{ProgrammeID: id, Sort: "start", Desc: true, Page: 1, PerPage: 50})
	if err != nil {
		return err
	}
	d := &trainingProgrammeShowData{Programme: p, Sessions: sessions.Items, More: sessions.Total > len(sessions.Items),
		CanManage: a.Can(auth.PermTrainingManage), CanGroup: a.Can(auth.PermTrainingRecords)}
	pg := s.page(r, "traininggroups.programme.show_title", d)
	pg.Title = p.Code + " · " + p.Title
	return s.render(w, http.StatusOK, "training_programme_show", pg)
}
