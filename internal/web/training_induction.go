package web

// The induction plans of new employees: the list the quality manager reads
// to see who has not completed theirs (filtered, sorted, paged, saved and
// exported), and a plan's page with its items and the cancel button.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/training"
	"cadran/internal/work"
)

// The induction list offers saved filters like the other registers.
func init() {
	savedFilterLists["training_inductions"] = "/training/inductions"
}

// trainingInductionPerPage is the induction list's page size.
const trainingInductionPerPage = 25

type trainingInductionListData struct {
	Plans  []training.Induction
	Filter training.InductionFilter
	Today  time.Time
	States []string
	Units  []*org.TreeNode
	Sorts  []sortLink
	Pager  pager
	Saved  savedFilterBlock
}

var trainingInductionSortLabels = map[string]string{"name": "training.plans.person", "start": "training.plans.start", "due": "training.plans.due",
	"progress": "training.plans.progress"}

var trainingInductionSortOrder = []string{"name", "start", "due", "progress"}

var trainingInductionStates = []string{training.InductionOpen, training.InductionCompleted, training.InductionCancelled}

// trainingInductionFilter reads the list's filter from the query. With no
// state chosen the list shows the open plans: the ones not completed yet.
func trainingInductionFilter(r *http.Request) training.InductionFilter {
	q := r.URL.Query()
	f := training.InductionFilter{Query: strings.TrimSpace(q.Get("q")), State: q.Get("state"), UnitID: queryInt(r, "unit"), Overdue: q.Get("overdue") == "1"}
	if !q.Has("state") {
		f.State = training.InductionOpen
	}
	if f.State == "all" {
		f.State = ""
	}
	sort := q.Get("sort")
	f.Desc = strings.HasPrefix(sort, "-")
	f.Sort = strings.TrimPrefix(sort, "-")
	if _, ok := trainingInductionSortLabels[f.Sort]; !ok {
		f.Sort, f.Desc = "", false
	}
	return f
}

// trainingInductionList is who has (not) completed their induction plan.
func (s *Server) trainingInductionList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f := trainingInductionFilter(r)
	pg := newPager(r, trainingInductionPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.training.Inductions(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &trainingInductionListData{Plans: res.Items, Filter: f, Today: work.Day(s.clock.Now()), States: trainingInductionStates, Pager: pg}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "training_inductions"); err != nil {
		return err
	}
	p := s.page(r, "training.plans.list_title", d)
	current := f.Sort
	if f.Desc && current != "" {
		current = "-" + current
	}
	d.Sorts = sortLinks(p, current, trainingInductionSortLabels, trainingInductionSortOrder)
	return s.render(w, http.StatusOK, "training_induction_list", p)
}

// trainingInductionExportMax bounds an export: every plan of a large
// municipality many times over.
const trainingInductionExportMax = 20000

// trainingInductionExport sends the filtered list as XLSX, every page.
func (s *Server) trainingInductionExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f := trainingInductionFilter(r)
	var plans []training.Induction
	for f.Page, f.PerPage = 1, db.MaxPageSize; len(plans) < trainingInductionExportMax; f.Page++ {
		res, err := s.training.Inductions(r.Context(), a, f)
		if err != nil {
			return err
		}
		plans = append(plans, res.Items...)
		if len(res.Items) < f.PerPage || len(plans) >= res.Total {
			break
		}
	}
	l := localizer(r)
	today := work.Day(s.clock.Now())
	t := report.Table{Sheet: l.T("training.plans.list_title"), Headers: []string{l.T("training.plans.person"), l.T("training.plans.job"), l.T("training.plans.unit"),
		l.T("training.plans.start"), l.T("training.plans.due"), l.T("training.plans.state"), l.T("training.plans.done_items"), l.T("training.plans.total_items"),
		l.T("training.plans.progress_pct"), l.T("training.plans.overdue"), l.T("training.plans.completed_on")}}
	for _, in := range plans {
		overdue := ""
		if in.Overdue(today) {
			overdue = trpDue(l, in, today)
		}
		pct := 0
		if in.Total > 0 {
			pct = in.Done * 100 / in.Total
		}
		t.Rows = append(t.Rows, []any{in.Name, in.JobTitle, in.UnitName, trpDay(l, in.StartOn), trpDay(l, in.DueOn), l.T("training.induction." + in.State),
			in.Done, in.Total, pct, overdue, trpDay(l, in.CompletedOn)})
	}
	return sendTables(w, r, trpFileName(l.T("training.plans.export_file")), t)
}

// trainingInductionData is a plan's page.
type trainingInductionData struct {
	Plan      training.Induction
	Today     time.Time
	CanManage bool
}

// trainingInductionShow is a plan with its items.
func (s *Server) trainingInductionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.trainingInductionRender(w, r, id, nil)
}

// trainingInductionRender shows a plan; a refused change (a stale
// version, a plan no longer open) is explained above it.
func (s *Server) trainingInductionRender(w http.ResponseWriter, r *http.Request, id int64, actErr error) error {
	a := actorOf(r)
	in, err := s.training.Induction(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := &trainingInductionData{Plan: in, Today: work.Day(s.clock.Now()), CanManage: a.Can(auth.PermTrainingManage)}
	p := s.page(r, "training.plans.show_title", d)
	p.Title = p.T("training.plans.show_title_of", "Name", in.Name)
	status := http.StatusOK
	if actErr != nil {
		var ae *apperr.Error
		switch v, ok := apperr.AsValidation(actErr); {
		case ok:
			for _, key := range v {
				p.Error = p.T(key)
				break
			}
			status = http.StatusUnprocessableEntity
		case errors.As(actErr, &ae):
			p.Error, status = p.T(ae.Key, ae.Args), errorStatus[ae.Kind]
		default:
			return actErr
		}
	}
	return s.render(w, status, "training_induction_show", p)
}

// trainingInductionCancel cancels a plan (the person left) and closes its
// tasks.
func (s *Server) trainingInductionCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	if err := s.training.CancelInduction(r.Context(), a, id, formVersion(r)); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.trainingInductionRender(w, r, id, err)
	}
	s.flash(r, "training.plans.flash.cancelled")
	return redirect(w, r, "/training/inductions/"+strconv.FormatInt(id, 10))
}
