package web

// The competence catalogue: the list with its counts and export, the form,
// and a competence's page with what requires it and who holds it.

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/textutil"
	"cadran/internal/training"
)

// trCompPerPage is the catalogue list's page size.
const trCompPerPage = 50

var trCompSortLabels = map[string]string{"code": "training.comp.col.code", "name": "training.comp.col.name", "area": "training.comp.col.area",
	"validity": "training.comp.col.validity", "requirements": "training.comp.col.requirements", "holders": "training.comp.col.holders"}

var trCompSorts = []string{"code", "name", "area", "validity", "requirements", "holders"}

// trCompFilter is the catalogue list's filter, from the query string.
type trCompFilter struct {
	Query, Area string
	Active      string // "", "yes", "no"
	Sort        string // a key of trCompSorts, "-" first for descending
}

func trCompFilterOf(r *http.Request) trCompFilter {
	q := r.URL.Query()
	f := trCompFilter{Query: strings.TrimSpace(q.Get("q")), Area: q.Get("area"), Active: q.Get("active"), Sort: q.Get("sort")}
	if !slices.Contains(training.Areas, f.Area) {
		f.Area = ""
	}
	if f.Active != "yes" && f.Active != "no" {
		f.Active = ""
	}
	if !slices.Contains(trCompSorts, strings.TrimPrefix(f.Sort, "-")) {
		f.Sort = "code"
	}
	return f
}

// trCompFiltered is the catalogue, filtered and sorted. An institution's
// catalogue holds a few dozen competences, so this is done here.
func (s *Server) trCompFiltered(r *http.Request, f trCompFilter) ([]training.Competence, error) {
	all, err := s.training.Competences(r.Context(), actorOf(r), false)
	if err != nil {
		return nil, err
	}
	q := textutil.Fold(f.Query)
	out := make([]training.Competence, 0, len(all))
	for _, c := range all {
		switch {
		case f.Area != "" && c.Area != f.Area,
			f.Active == "yes" && !c.Active, f.Active == "no" && c.Active,
			q != "" && !strings.Contains(textutil.Fold(c.Code+" "+c.Name+" "+c.Description), q):
			continue
		}
		out = append(out, c)
	}
	key := strings.TrimPrefix(f.Sort, "-")
	slices.SortStableFunc(out, func(a, b training.Competence) int {
		var c int
		switch key {
		case "name":
			c = strings.Compare(textutil.Fold(a.Name), textutil.Fold(b.Name))
		case "area":
			c = strings.Compare(a.Area, b.Area)
		case "validity":
			c = cmp.Compare(a.ValidityMonths, b.ValidityMonths)
		case "requirements":
			c = cmp.Compare(a.Requirements, b.Requirements)
		case "holders":
			c = cmp.Compare(a.Holders, b.Holders)
		}
		if c == 0 {
			c = strings.Compare(a.Code, b.Code)
		}
		if strings.HasPrefix(f.Sort, "-") {
			c = -c
		}
		return c
	})
	return out, nil
}

type trCompListData struct {
	Items     []training.Competence
	Filter    trCompFilter
	Areas     []string
	Sorts     []sortLink
	Pager     pager
	CanManage bool
}

// trainingCompetenceList is the competence catalogue.
func (s *Server) trainingCompetenceList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f := trCompFilterOf(r)
	all, err := s.trCompFiltered(r, f)
	if err != nil {
		return err
	}
	pg := newPager(r, trCompPerPage)
	pg.Total = len(all)
	d := &trCompListData{Items: all[min(pg.Offset(), len(all)):min(pg.Offset()+pg.PerPage, len(all))], Filter: f, Areas: training.Areas,
		Pager: pg, CanManage: a.Can(auth.PermTrainingManage)}
	p := s.page(r, "training.comp.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, trCompSortLabels, trCompSorts)
	return s.render(w, http.StatusOK, "training_competence_list", p)
}

// trainingCompetenceExport sends the filtered catalogue as XLSX.
func (s *Server) trainingCompetenceExport(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingView); err != nil {
		return err
	}
	all, err := s.trCompFiltered(r, trCompFilterOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("training.comp.list_title"), Headers: []string{l.T("training.comp.col.code"), l.T("training.comp.col.name"),
		l.T("training.comp.col.area"), l.T("training.comp.col.validity"), l.T("training.comp.col.requirements"), l.T("training.comp.col.holders"),
		l.T("training.comp.col.status"), l.T("training.comp.col.description")}}
	for _, c := range all {
		status := l.T("training.comp.active")
		if !c.Active {
			status = l.T("training.comp.inactive")
		}
		area := ""
		if c.Area != "" {
			area = l.T("training.topic." + c.Area)
		}
		t.Rows = append(t.Rows, []any{c.Code, c.Name, area, c.ValidityMonths, c.Requirements, c.Holders, status, c.Description})
	}
	return sendTables(w, r, l.T("training.comp.export_file"), t)
}

// trCompFields map the domain's field names onto the competence form's.
var trCompFields = map[string]string{training.FieldCompCode: "training_comp_code", training.FieldCompName: "training_comp_name",
	training.FieldCompDescription: "training_comp_description", training.FieldCompArea: "training_comp_area", training.FieldCompValidity: "training_comp_validity"}

var trCompField = trField(trCompFields)

// trCompInput reads the competence form.
func trCompInput(r *http.Request) (training.CompetenceInput, apperr.Validation, map[string]string) {
	bad := apperr.Validation{}
	raw := map[string]string{}
	in := training.CompetenceInput{Code: strings.TrimSpace(r.FormValue("training_comp_code")), Name: strings.TrimSpace(r.FormValue("training_comp_name")),
		Description: r.FormValue("training_comp_description"), Area: r.FormValue("training_comp_area"),
		Active: r.FormValue("training_comp_active") == "1", Version: formVersion(r)}
	if v := strings.TrimSpace(r.FormValue("training_comp_validity")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad["training_comp_validity"] = "training.comp.error.months"
			raw["training_comp_validity"] = v
		}
		in.ValidityMonths = n
	}
	return in, bad, raw
}

// trCompFormData is the form of a new competence.
type trCompFormData struct {
	Form  training.CompetenceInput
	Raw   map[string]string
	Areas []string
}

// trainingCompetenceNew is the form for a new competence.
func (s *Server) trainingCompetenceNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingManage); err != nil {
		return err
	}
	d := &trCompFormData{Form: training.CompetenceInput{Active: true, Area: r.URL.Query().Get("area")}, Raw: map[string]string{}, Areas: training.Areas}
	return s.render(w, http.StatusOK, "training_competence_form", s.page(r, "training.comp.new_title", d))
}

// trainingCompetenceCreate adds the competence to the catalogue.
func (s *Server) trainingCompetenceCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in, bad, raw := trCompInput(r)
	var c training.Competence
	var err error
	if len(bad) == 0 {
		c, err = s.training.CreateCompetence(r.Context(), a, in)
	}
	if err := trMergeErrors(err, bad, trCompField); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.formError(w, r, err, "training_competence_form", "training.comp.new_title", &trCompFormData{Form: in, Raw: raw, Areas: training.Areas})
	}
	s.flash(r, "flash.created")
	return redirect(w, r, "/training/competences/"+strconv.FormatInt(c.ID, 10))
}

// trCompHolder is a person who holds the competence now, with their cell
// of the matrix.
type trCompHolder struct {
	PersonID                 int64
	Name, JobTitle, UnitName string
	Cell                     training.Cell
	// Held, Required, State and Lapses are the cell in words.
	Held, Required, State, Lapses string
}

// trCompShowData is a competence's page: its details (and their form for
// the quality office), its requirements with the form to add one, and the
// people who hold it.
type trCompShowData struct {
	Comp         training.Competence
	Form         training.CompetenceInput
	Raw          map[string]string
	Areas        []string
	Requirements []training.Requirement
	Req          training.RequirementInput
	// ReqJob and ReqRole keep what was typed for a refused requirement.
	ReqJob, ReqRole string
	Kinds           []string
	Levels          []int
	Jobs            []string
	Roles           []string
	Holders         []trCompHolder
	// HoldersAll is false when the actor sees only some people's
	// competences (their own, or their units').
	HoldersAll bool
	CanManage  bool
	// EditOpen shows the details' form unfolded, with its problems.
	EditOpen bool
}

// trCompShow builds the competence's page around the forms' values.
func (s *Server) trCompShow(r *http.Request, id int64) (*trCompShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.training.Competence(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &trCompShowData{Comp: c, Raw: map[string]string{}, Areas: training.Areas, Kinds: training.RequireKinds, Levels: training.Levels,
		Roles: training.RequireRoles(), CanManage: a.Can(auth.PermTrainingManage), HoldersAll: a.Can(auth.PermTrainingRecords),
		Form: training.CompetenceInput{Code: c.Code, Name: c.Name, Description: c.Description, Area: c.Area, ValidityMonths: c.ValidityMonths, Active: c.Active, Version: c.Version},
		Req:  training.RequirementInput{Kind: training.RequireJob, Level: training.LevelBasic}}
	if d.Requirements, err = s.training.Requirements(ctx, a, id); err != nil {
		return nil, err
	}
	var jobs []string
	if d.Holders, jobs, err = s.trCompHolders(r, c); err != nil {
		return nil, err
	}
	if d.CanManage {
		// The quality office's matrix holds every active person: their
		// job titles come with it; without it, from the people list.
		if jobs == nil {
			if jobs, err = s.trJobTitles(r); err != nil {
				return nil, err
			}
		}
		d.Jobs = trDistinctJobs(jobs)
	}
	return d, nil
}

// TrRoleLabel names the target of a role requirement: an auth role, or
// the people of the internal audit register.
func (p *Page) TrRoleLabel(role string) string {
	if role == training.RoleRegisteredAuditor {
		return p.T("trainingcomp.role.auditor")
	}
	return p.T("role." + role)
}

// trJobTitles are the job titles of the institution's active people.
func (s *Server) trJobTitles(r *http.Request) ([]string, error) {
	people, _, err := s.org.People(r.Context(), actorOf(r), org.PeopleFilter{Limit: db.MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(people))
	for _, p := range people {
		out = append(out, p.JobTitle)
	}
	return out, nil
}

// trDistinctJobs are the job titles once each (the same title typed with
// or without diacritics counts once), in alphabetical order, for the
// requirement form's suggestions.
func trDistinctJobs(jobs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, j := range jobs {
		j = strings.TrimSpace(j)
		if k := textutil.Fold(j); j != "" && !seen[k] {
			seen[k] = true
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(textutil.Fold(a), textutil.Fold(b)) })
	return out
}

// trCompHolders are the people who hold the competence now, read from the
// matrix so they are exactly the people whose matrix the actor may see,
// with the job titles of every row read (nil when the matrix was not
// read). An inactive competence is not a column of the matrix: no one is
// listed.
func (s *Server) trCompHolders(r *http.Request, c training.Competence) ([]trCompHolder, []string, error) {
	if !c.Active {
		return nil, nil, nil
	}
	jobs := []string{}
	var out []trCompHolder
	l := localizer(r)
	words := trWordsOf(l)
	notRequired, noLapse := l.T("training.comp.not_required"), l.T("training.comp.no_lapse")
	f := training.MatrixFilter{Area: c.Area, Page: 1, PerPage: 1000}
	for seen := 0; ; f.Page++ {
		m, err := s.training.Matrix(r.Context(), actorOf(r), f, s.trToday())
		if err != nil {
			return nil, nil, err
		}
		col := slices.IndexFunc(m.Competences, func(x training.Competence) bool { return x.ID == c.ID })
		if col < 0 {
			return out, nil, nil
		}
		for _, row := range m.Rows {
			jobs = append(jobs, row.JobTitle)
			if col >= len(row.Cells) || row.Cells[col].Held == 0 {
				continue
			}
			cell := row.Cells[col]
			h := trCompHolder{PersonID: row.PersonID, Name: row.Name, JobTitle: row.JobTitle, UnitName: row.UnitName, Cell: cell,
				Held: words.level(cell.Held), Required: notRequired, State: words.states[cell.State], Lapses: noLapse}
			if cell.Required > 0 {
				h.Required = words.level(cell.Required)
			}
			if d, err := time.Parse(time.DateOnly, cell.ExpiresOn); err == nil {
				h.Lapses = l.Date(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC))
			}
			out = append(out, h)
		}
		seen += len(m.Rows)
		if len(m.Rows) == 0 || seen >= m.Total {
			return out, jobs, nil
		}
	}
}

// trainingCompetenceShow is a competence's page.
func (s *Server) trainingCompetenceShow(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingView); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.trCompShow(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "training_competence_show", s.page(r, "training.comp.show_title", d))
}

// trainingCompetenceUpdate saves the competence's details, checked
// against its version; a refusal shows its page again with what was typed.
func (s *Server) trainingCompetenceUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, bad, raw := trCompInput(r)
	if len(bad) == 0 {
		_, err = s.training.UpdateCompetence(r.Context(), a, id, in)
	}
	if err := trMergeErrors(err, bad, trCompField); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.trCompShow(r, id)
		if derr != nil {
			return derr
		}
		d.Form, d.Raw, d.EditOpen = in, raw, true
		return s.formError(w, r, err, "training_competence_show", "training.comp.show_title", d)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/competences/"+strconv.FormatInt(id, 10))
}

// trainingRequirementAdd adds who requires the competence: a job title
// (typed, with the institution's job titles suggested), a role, or
// everyone.
func (s *Server) trainingRequirementAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	job, role := strings.TrimSpace(r.FormValue("training_req_job")), r.FormValue("training_req_role")
	in := training.RequirementInput{Kind: r.FormValue("training_req_kind")}
	in.Level, _ = strconv.Atoi(r.FormValue("training_req_level"))
	switch in.Kind {
	case training.RequireJob:
		in.Target = job
	case training.RequireRole:
		in.Target = role
	}
	_, err = s.training.AddRequirement(r.Context(), a, id, in)
	target := "training_req_job"
	switch in.Kind {
	case training.RequireRole:
		target = "training_req_role"
	case training.RequireEveryone:
		target = "training_req_kind"
	}
	field := trField(map[string]string{training.FieldReqKind: "training_req_kind", training.FieldReqTarget: target, training.FieldReqLevel: "training_req_level"})
	if err := trMergeErrors(err, nil, field); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.trCompShow(r, id)
		if derr != nil {
			return derr
		}
		d.Req, d.ReqJob, d.ReqRole = in, job, role
		return s.formError(w, r, err, "training_competence_show", "training.comp.show_title", d)
	}
	s.flash(r, "training.comp.flash.requirement_added")
	return redirect(w, r, "/training/competences/"+strconv.FormatInt(id, 10)+"#requirements")
}

// trainingRequirementDelete removes a requirement.
func (s *Server) trainingRequirementDelete(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rid, err := strconv.ParseInt(r.PathValue("trid"), 10, 64)
	if err != nil || rid <= 0 {
		return apperr.NotFound(training.EntityRequire)
	}
	if err := s.training.DeleteRequirement(r.Context(), a, id, rid); err != nil {
		return err
	}
	s.flash(r, "training.comp.flash.requirement_deleted")
	return redirect(w, r, "/training/competences/"+strconv.FormatInt(id, 10)+"#requirements")
}
