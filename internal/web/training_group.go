package web

// Target groups: the list and its export, the form, and a group's page
// with its goals against its progress, its members and the form to add
// more (this file); a member's eligibility data (training_group_member.go)
// and the group's training record as XLSX and PDF
// (training_group_record.go).

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/training"
	"cadran/internal/work"
)

var trainingGroupSortKeys = []string{"code", "name", "start", "members"}

var trainingGroupSortLabels = map[string]string{"code": "traininggroups.group.code", "name": "traininggroups.group.name",
	"start": "traininggroups.group.period", "members": "traininggroups.group.members"}

type trainingGroupListData struct {
	Items     []training.Group
	Filter    training.GroupFilter
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanManage bool
}

// trainingGroupFilterOf reads the group list's filter from the query.
func trainingGroupFilterOf(r *http.Request) (training.GroupFilter, string) {
	q := r.URL.Query()
	f := training.GroupFilter{Query: strings.TrimSpace(q.Get("q")), Active: q.Get("active")}
	if f.Active != "yes" && f.Active != "no" {
		f.Active = ""
	}
	var current string
	f.Sort, f.Desc, current = trainingGroupSort(r, trainingGroupSortKeys, "code")
	return f, current
}

// trainingGroupList is the target groups: filter, sortable list with each
// group's progress, pager.
func (s *Server) trainingGroupList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return err
	}
	f, current := trainingGroupFilterOf(r)
	pg := newPager(r, trainingGroupPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.training.Groups(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &trainingGroupListData{Items: res.Items, Filter: f, Pager: pg, CanManage: a.Can(auth.PermTrainingManage)}
	if d.Saved, err = s.savedFilters(r, "training_groups"); err != nil {
		return err
	}
	p := s.page(r, "traininggroups.group.list_title", d)
	d.Sorts = sortLinks(p, current, trainingGroupSortLabels, trainingGroupSortKeys)
	return s.render(w, http.StatusOK, "training_group_list", p)
}

// trainingGroupAll reads every group the filter matches, page by page.
func (s *Server) trainingGroupAll(r *http.Request, f training.GroupFilter) ([]training.Group, error) {
	var out []training.Group
	for f.Page, f.PerPage = 1, 500; ; f.Page++ {
		res, err := s.training.Groups(r.Context(), actorOf(r), f)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if len(res.Items) < f.PerPage || len(out) >= res.Total {
			return out, nil
		}
	}
}

// trainingGroupExport sends the filtered list of groups as XLSX, with
// each group's goals beside its progress.
func (s *Server) trainingGroupExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return err
	}
	f, _ := trainingGroupFilterOf(r)
	groups, err := s.trainingGroupAll(r, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("traininggroups.group.list_title"), Headers: []string{l.T("traininggroups.group.code"), l.T("traininggroups.group.name"),
		l.T("traininggroups.group.project"), l.T("traininggroups.group.start"), l.T("traininggroups.group.end"), l.T("traininggroups.group.goal_members"),
		l.T("traininggroups.group.members"), l.T("traininggroups.group.goal_hours"), l.T("traininggroups.group.hours_per_member"),
		l.T("traininggroups.group.goal_share"), l.T("traininggroups.group.share"), l.T("traininggroups.group.trained"), l.T("traininggroups.group.completed"),
		l.T("traininggroups.group.certified"), l.T("traininggroups.group.programmes"), l.T("traininggroups.group.status")}}
	for _, g := range groups {
		pr := g.Progress
		t.Rows = append(t.Rows, []any{g.Code, g.Name, g.Project, trainingGroupXDay(g.StartOn), trainingGroupXDay(g.EndOn), g.GoalMembers, pr.Members, g.GoalHours,
			trainingGroupRound(pr.HoursPerMember), g.GoalShare, trainingGroupRound(pr.Share), pr.Trained, pr.Completed, pr.Certified, pr.Programmes,
			trainingGroupActive(l.T, g.Active)})
	}
	return sendTables(w, r, l.T("traininggroups.group.export_file"), t)
}

// trainingGroupActive is "active" or "inactive" in words.
func trainingGroupActive(t func(string, ...any) string, active bool) string {
	if active {
		return t("traininggroups.active")
	}
	return t("traininggroups.inactive")
}

// trainingGroupRound keeps one decimal for a spreadsheet cell.
func trainingGroupRound(f float64) float64 {
	return float64(int64(f*10+0.5)) / 10
}

// trainingGroupXDay is a stored day as a spreadsheet date, or empty.
func trainingGroupXDay(day string) any {
	if t, ok := trainingGroupDayOf(day); ok {
		return t
	}
	return day
}

// trainingGroupFormData is the group form's data.
type trainingGroupFormData struct {
	ID   int64
	Code string
	Form training.GroupInput
	// Raw keeps what was typed in the number fields that did not parse.
	Raw map[string]string
}

// trainingGroupInput reads the group form; the fields that do not parse
// are returned beside it.
func trainingGroupInput(r *http.Request) (training.GroupInput, apperr.Validation, map[string]string) {
	bad, raw := apperr.Validation{}, map[string]string{}
	in := training.GroupInput{Code: strings.TrimSpace(r.FormValue("tg_code")), Name: strings.TrimSpace(r.FormValue("tg_name")),
		Description: r.FormValue("tg_description"), Project: strings.TrimSpace(r.FormValue("tg_project")),
		Active: r.FormValue("tg_active") == "1", Version: formVersion(r)}
	in.StartOn = trainingGroupDay(r, "tg_start", bad)
	in.EndOn = trainingGroupDay(r, "tg_end", bad)
	in.GoalMembers = trainingGroupNumber(r, "tg_goal_members", bad, raw)
	in.GoalHours = trainingGroupNumber(r, "tg_goal_hours", bad, raw)
	in.GoalShare = trainingGroupNumber(r, "tg_goal_share", bad, raw)
	return in, bad, raw
}

// trainingGroupAlias names the domain's group fields as the form does.
var trainingGroupAlias = map[string]string{training.FieldGroupCode: "tg_code", training.FieldGroupName: "tg_name", training.FieldGroupDescription: "tg_description",
	training.FieldGroupProject: "tg_project", training.FieldGroupStart: "tg_start", training.FieldGroupEnd: "tg_end", training.FieldGroupGoalMembers: "tg_goal_members",
	training.FieldGroupGoalHours: "tg_goal_hours", training.FieldGroupGoalShare: "tg_goal_share"}

// trainingGroupNew is the form for a new target group.
func (s *Server) trainingGroupNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingManage); err != nil {
		return err
	}
	d := &trainingGroupFormData{Form: training.GroupInput{Active: true, GoalMembers: 30, GoalHours: 40, GoalShare: 80}, Raw: map[string]string{}}
	return s.render(w, http.StatusOK, "training_group_form", s.page(r, "traininggroups.group.new_title", d))
}

// trainingGroupCreate creates the group.
func (s *Server) trainingGroupCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in, bad, raw := trainingGroupInput(r)
	var g training.Group
	var err error
	if len(bad) == 0 {
		g, err = s.training.CreateGroup(r.Context(), a, in)
	}
	if err := trainingGroupFields(err, bad, "tg_", trainingGroupAlias); err != nil {
		return s.trainingGroupFormError(w, r, err, &trainingGroupFormData{Form: in, Raw: raw}, "traininggroups.group.new_title")
	}
	s.flash(r, "traininggroups.group.flash_created", "Code", g.Code)
	return redirect(w, r, "/training/groups/"+strconv.FormatInt(g.ID, 10))
}

func (s *Server) trainingGroupFormError(w http.ResponseWriter, r *http.Request, err error, d *trainingGroupFormData, title string) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	return s.formError(w, r, err, "training_group_form", title, d)
}

// trainingGroupEdit is the form for a group.
func (s *Server) trainingGroupEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := s.training.Group(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := training.GroupInput{Code: g.Code, Name: g.Name, Description: g.Description, Project: g.Project, StartOn: g.StartOn, EndOn: g.EndOn,
		GoalMembers: g.GoalMembers, GoalHours: g.GoalHours, GoalShare: g.GoalShare, Active: g.Active, Version: g.Version}
	p := s.page(r, "traininggroups.group.edit_title", &trainingGroupFormData{ID: id, Code: g.Code, Form: in, Raw: map[string]string{}})
	p.Title = p.T("traininggroups.group.edit_title") + " " + g.Code
	return s.render(w, http.StatusOK, "training_group_form", p)
}

// trainingGroupUpdate saves the group, checked against its version.
func (s *Server) trainingGroupUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := s.training.Group(r.Context(), a, id)
	if err != nil {
		// Another institution's group is not found, however the form reads.
		return err
	}
	in, bad, raw := trainingGroupInput(r)
	if len(bad) == 0 {
		_, err = s.training.UpdateGroup(r.Context(), a, id, in)
	}
	if err := trainingGroupFields(err, bad, "tg_", trainingGroupAlias); err != nil {
		return s.trainingGroupFormError(w, r, err, &trainingGroupFormData{ID: id, Code: g.Code, Form: in, Raw: raw}, "traininggroups.group.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/groups/"+strconv.FormatInt(id, 10))
}

// trainingGroupShowData is a group's page.
type trainingGroupShowData struct {
	Group      training.Group
	Members    []training.Member
	Programmes []training.Programme
	// Candidates are the active people not yet in the group, for the
	// "add members" form; Units lets a whole unit be added.
	Candidates []org.Person
	Units      []*org.TreeNode
	// Picked and Unit keep what the "add members" form was sent with.
	Picked    map[int64]bool
	Unit      int64
	JoinedOn  string
	Today     string
	CanManage bool
}

// trainingGroupShow is a group's page: its goals against its progress,
// per category, its programmes, its members with their eligibility data,
// hours and programmes completed, and the form to add members.
func (s *Server) trainingGroupShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.trainingGroupShowData(r)
	if err != nil {
		return err
	}
	p := s.page(r, "traininggroups.group.show_title", d)
	p.Title = d.Group.Code + " · " + d.Group.Name
	return s.render(w, http.StatusOK, "training_group_show", p)
}

// trainingGroupShowData reads what a group's page shows.
func (s *Server) trainingGroupShowData(r *http.Request) (*trainingGroupShowData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	g, err := s.training.Group(ctx, a, id)
	if err != nil {
		return nil, err
	}
	today := work.Day(s.clock.Now()).Format("2006-01-02")
	d := &trainingGroupShowData{Group: g, Today: today, JoinedOn: today, Picked: map[int64]bool{}, CanManage: a.Can(auth.PermTrainingManage)}
	if d.Members, err = s.training.Members(ctx, a, id); err != nil {
		return nil, err
	}
	progs, err := s.training.Programmes(ctx, a, training.ProgrammeFilter{GroupID: id, Sort: "code", Page: 1, PerPage: 200})
	if err != nil {
		return nil, err
	}
	d.Programmes = progs.Items
	if d.CanManage {
		people, err := s.trainingGroupActivePeople(r)
		if err != nil {
			return nil, err
		}
		in := map[int64]bool{}
		for _, m := range d.Members {
			// One who left stays in the record: edit them rather than add
			// them again.
			in[m.PersonID] = true
		}
		for _, p := range people {
			if !in[p.ID] {
				d.Candidates = append(d.Candidates, p)
			}
		}
		if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
			return nil, err
		}
	}
	return d, nil
}
