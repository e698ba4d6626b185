package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/caf"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

// cafPlanAction is an action of the plan as the page shows it.
type cafPlanAction struct {
	caf.Action
	N        int    // its number in the plan, highest priority first
	SubTitle string // "1.1 Orientarea ..."
	QuickWin bool   // high impact and easy
}

// cafPlanCell is a cell of the impact/ease grid.
type cafPlanCell struct {
	Impact, Ease int
	QuickWin     bool
	Actions      []cafPlanAction
}

// cafPlanRow is a row of the grid: one impact, the eases hard to easy.
type cafPlanRow struct {
	Impact int
	Cells  []cafPlanCell
}

// cafPlanArea is a sub-criterion with the consensus's areas for
// improvement, to draw actions from.
type cafPlanArea struct {
	Code, Title, Improvements string
}

// cafPlanData is the improvement plan page.
type cafPlanData struct {
	Cycle     caf.Cycle
	Actions   []cafPlanAction
	Grid      []cafPlanRow
	Areas     []cafPlanArea // sub-criteria with consensus areas for improvement
	Others    []cafPlanArea // the other sub-criteria
	People    []org.Person
	CanManage bool // change actions and open cases: managers and the leader, unless the cycle is cancelled
	CanAdd    bool // add actions: also only in consensus or improving
	States    []string
	Levels    []int // 1 to 3
	Form      caf.ActionInput
	// ErrAction is the action whose edit form was refused (0: the add
	// form); Failed is true when the page answers a refused form.
	ErrAction int64
	Failed    bool
	// EditID is the action whose edit form shows (?edit=, or the refused
	// one): one form, not one per action, so a long plan in a large
	// institution does not repeat the list of people for every action.
	EditID int64
	Edit   caf.ActionInput
	Today  string
}

// FieldID is the id of a form field of the form of aid (0: the add form;
// an int or int64, as templates hand it): the refused form's fields get the
// plain id the error summary links to, the others a suffix.
func (d *cafPlanData) FieldID(field string, aid any) string {
	id := cafPlanAnyID(aid)
	if d.Failed && d.ErrAction == id {
		return "f-" + field
	}
	if id == 0 {
		return "f-" + field + "-new"
	}
	return "f-" + field + "-" + strconv.FormatInt(id, 10)
}

// ShowErrors reports whether the form of aid (0: the add form) is the one
// that was refused.
func (d *cafPlanData) ShowErrors(aid any) bool { return d.Failed && d.ErrAction == cafPlanAnyID(aid) }

func cafPlanAnyID(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	}
	return -1
}

// EditOf is what the edit form of x shows: what was typed when it was
// refused, else the action.
func (d *cafPlanData) EditOf(x cafPlanAction) caf.ActionInput {
	if d.Failed && d.ErrAction == x.ID {
		return d.Edit
	}
	return caf.ActionInput{Sub: x.Sub, Title: x.Title, Description: x.Description, Impact: x.Impact, Ease: x.Ease, OwnerID: x.OwnerID, DueOn: x.DueOn,
		State: x.State, Version: x.Version}
}

// cafPlanQuickWin is the grid's cell of high impact, easy actions.
func cafPlanQuickWin(impact, ease int) bool { return impact == 3 && ease == 3 }

// cafPlanSubTitle is a sub-criterion's code and title in the reader's
// language; "" for an action not tied to one.
func cafPlanSubTitle(l *i18n.Localizer, c caf.Cycle, code string) string {
	if code == "" {
		return ""
	}
	if sub, ok := cafResModel(c).Sub(code); ok {
		return code + " " + sub.Title(l.Lang())
	}
	return code
}

// cafPlanActions numbers the plan's actions and names their
// sub-criteria.
func cafPlanActions(l *i18n.Localizer, c caf.Cycle, plan []caf.Action) []cafPlanAction {
	out := make([]cafPlanAction, 0, len(plan))
	for i, x := range plan {
		out = append(out, cafPlanAction{Action: x, N: i + 1, SubTitle: cafPlanSubTitle(l, c, x.Sub), QuickWin: cafPlanQuickWin(x.Impact, x.Ease)})
	}
	return out
}

// cafPlanGrid places the actions in the 3×3 grid: impact rows high to
// low, ease columns hard to easy. Cancelled actions stay out of it.
func cafPlanGrid(actions []cafPlanAction) []cafPlanRow {
	var rows []cafPlanRow
	for impact := 3; impact >= 1; impact-- {
		row := cafPlanRow{Impact: impact}
		for ease := 1; ease <= 3; ease++ {
			cell := cafPlanCell{Impact: impact, Ease: ease, QuickWin: cafPlanQuickWin(impact, ease)}
			for _, x := range actions {
				if x.Impact == impact && x.Ease == ease && x.State != caf.ActionCancelled {
					cell.Actions = append(cell.Actions, x)
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	return rows
}

// cafPlanBuild reads the plan page of a cycle.
func (s *Server) cafPlanBuild(r *http.Request, id int64) (*cafPlanData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.caf.Cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	plan, err := s.caf.Plan(ctx, a, id)
	if err != nil {
		return nil, err
	}
	l := localizer(r)
	manage := caf.MayManage(a, c) && c.State != caf.StateCancelled
	d := &cafPlanData{Cycle: c, CanManage: manage, CanAdd: manage && (c.State == caf.StateConsensus || c.State == caf.StateImproving), States: caf.ActionStates, Levels: []int{1, 2, 3},
		Form: caf.ActionInput{Impact: 2, Ease: 2}, Today: work.Day(s.clock.Now()).Format(time.DateOnly)}
	d.Actions = cafPlanActions(l, c, plan)
	if d.CanManage {
		d.EditID = queryInt(r, "edit")
	}
	d.Grid = cafPlanGrid(d.Actions)
	if d.CanAdd {
		board, err := s.caf.Board(ctx, a, id)
		if err != nil && apperr.KindOf(err) != apperr.KindForbidden {
			return nil, err
		}
		areas := map[string]string{}
		for _, v := range board {
			if v.Consensus != nil && strings.TrimSpace(v.Consensus.Improvements) != "" {
				areas[v.Sub] = v.Consensus.Improvements
			}
		}
		for _, sub := range cafResModel(c).Subs() {
			ar := cafPlanArea{Code: sub.Code, Title: sub.Title(l.Lang()), Improvements: areas[sub.Code]}
			if ar.Improvements != "" {
				d.Areas = append(d.Areas, ar)
			} else {
				d.Others = append(d.Others, ar)
			}
		}
	}
	if d.CanAdd || d.EditID != 0 {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// cafPlan is the improvement plan: the impact/ease grid, the actions with
// their owners, due days and cases, and the forms to add and change them.
func (s *Server) cafPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafPlanBuild(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "caf_plan", s.cafPlanPage(r, d))
}

func (s *Server) cafPlanPage(r *http.Request, d *cafPlanData) *Page {
	p := s.page(r, "caf.plan.title", d)
	p.Title = p.T("caf.plan.title") + " · " + d.Cycle.Code
	return p
}

// cafPlanFields maps the domain's names of the action's fields
// (caf_action_*) to the form's (cafplan_*), so the error summary links to
// the right field.
var cafPlanFields = map[string]string{
	"caf_action_sub": "cafplan_sub", "caf_action_title": "cafplan_title", "caf_action_description": "cafplan_description",
	"caf_action_impact": "cafplan_impact", "caf_action_ease": "cafplan_ease", "caf_action_owner": "cafplan_owner",
	"caf_action_due": "cafplan_due", "caf_action_state": "cafplan_state",
}

// cafPlanRefused re-renders the plan with what was typed when a form on it
// was refused for a reason the person can fix.
func (s *Server) cafPlanRefused(w http.ResponseWriter, r *http.Request, id int64, err error, keep func(d *cafPlanData)) error {
	switch apperr.KindOf(err) {
	case apperr.KindInvalid, apperr.KindConflict:
	default:
		return err
	}
	d, derr := s.cafPlanBuild(r, id)
	if derr != nil {
		return derr
	}
	d.Failed = true
	keep(d)
	if d.EditID != 0 && d.People == nil {
		var perr error
		if d.People, _, perr = s.org.People(r.Context(), actorOf(r), org.PeopleFilter{Limit: 10000}); perr != nil {
			return perr
		}
	}
	p := s.cafPlanPage(r, d)
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors = apperr.Validation{}
		for k, msg := range v {
			if f, ok := cafPlanFields[k]; ok {
				k = f
			}
			p.Errors[k] = msg
		}
		p.Error = p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, "caf_plan", p)
	}
	p.Error = p.T("error.stale")
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Key != "" {
		p.Error = p.T(ae.Key, ae.Args)
	}
	return s.render(w, http.StatusConflict, "caf_plan", p)
}

// cafPlanForm reads the action forms.
func cafPlanForm(r *http.Request) caf.ActionInput {
	return caf.ActionInput{Sub: strings.TrimSpace(r.FormValue("cafplan_sub")), Title: strings.TrimSpace(r.FormValue("cafplan_title")),
		Description: strings.TrimSpace(r.FormValue("cafplan_description")), Impact: int(formInt(r, "cafplan_impact")), Ease: int(formInt(r, "cafplan_ease")),
		OwnerID: formInt(r, "cafplan_owner"), DueOn: strings.TrimSpace(r.FormValue("cafplan_due")), State: r.FormValue("cafplan_state"), Version: formVersion(r)}
}

// cafActionCreate adds an action to the plan; with an owner and a due day
// it lands in the owner's inbox.
func (s *Server) cafActionCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := cafPlanForm(r)
	if in.State == "" {
		in.State = caf.ActionOpen
	}
	x, err := s.caf.CreateAction(r.Context(), actorOf(r), id, in)
	if err != nil {
		return s.cafPlanRefused(w, r, id, err, func(d *cafPlanData) { d.Form = in })
	}
	s.flash(r, "caf.plan.flash.created", "Title", x.Title)
	return redirect(w, r, fmt.Sprintf("/caf/%d/plan#action-%d", id, x.ID))
}

// cafActionUpdate changes an action: its state, owner, due day, impact and
// ease.
func (s *Server) cafActionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := pathParamID(r, "aid")
	if err != nil {
		return err
	}
	in := cafPlanForm(r)
	x, err := s.caf.UpdateAction(r.Context(), actorOf(r), id, aid, in)
	if err != nil {
		return s.cafPlanRefused(w, r, id, err, func(d *cafPlanData) { d.ErrAction, d.Edit, d.EditID = aid, in, aid })
	}
	s.flash(r, "caf.plan.flash.updated", "Title", x.Title)
	return redirect(w, r, fmt.Sprintf("/caf/%d/plan#action-%d", id, aid))
}

// cafActionCase opens a case in the improvement register for an action.
func (s *Server) cafActionCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := pathParamID(r, "aid")
	if err != nil {
		return err
	}
	x, err := s.caf.RaiseCase(r.Context(), actorOf(r), id, aid)
	if err != nil {
		return s.cafPlanRefused(w, r, id, err, func(d *cafPlanData) { d.Failed = false })
	}
	s.flash(r, "caf.plan.flash.case", "Code", x.CaseCode)
	return redirect(w, r, fmt.Sprintf("/caf/%d/plan#action-%d", id, aid))
}

// cafPlanTable reads the plan as rows for the exports.
type cafPlanTable struct {
	Cycle   caf.Cycle
	Columns []string
	Rows    [][]string
	Cells   [][]any
}

func (s *Server) cafPlanRows(r *http.Request) (*cafPlanTable, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	a := actorOf(r)
	c, err := s.caf.Cycle(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	plan, err := s.caf.Plan(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	l := localizer(r)
	t := &cafPlanTable{Cycle: c}
	t.Columns, t.Rows, t.Cells = cafPlanLayout(l, c, cafPlanActions(l, c, plan))
	return t, nil
}

// cafPlanLayout lays the plan out as text rows (PDF, DOCX) and typed
// cells (XLSX) under the same columns.
func cafPlanLayout(l *i18n.Localizer, c caf.Cycle, actions []cafPlanAction) (cols []string, rows [][]string, cells [][]any) {
	cols = []string{l.T("caf.plan.no"), l.T("caf.plan.sub"), l.T("caf.plan.action"), l.T("caf.plan.impact"), l.T("caf.plan.ease"), l.T("caf.plan.priority"),
		l.T("caf.plan.owner"), l.T("caf.plan.due"), l.T("caf.plan.state"), l.T("caf.plan.case")}
	day := func(s string) string { return civilDay(l.Date, s) }
	for _, x := range actions {
		title := x.Title
		if x.Description != "" {
			title += "\n" + x.Description
		}
		prio := strconv.Itoa(x.Priority())
		if x.QuickWin {
			prio += " · " + l.T("caf.plan.quick_win")
		}
		state := l.T("caf.action_state." + x.State)
		if x.DoneOn != "" {
			state += " " + day(x.DoneOn)
		}
		rows = append(rows, []string{strconv.Itoa(x.N), x.SubTitle, title, l.T(fmt.Sprintf("caf.impact.%d", x.Impact)), l.T(fmt.Sprintf("caf.ease.%d", x.Ease)),
			prio, x.OwnerName, day(x.DueOn), state, x.CaseCode})
		quick := ""
		if x.QuickWin {
			quick = l.T("caf.plan.quick_win")
		}
		cells = append(cells, []any{x.N, x.Sub, cafPlanSubName(x.SubTitle, x.Sub), x.Title, x.Description, x.Impact, x.Ease, x.Priority(), quick, x.OwnerName, x.DueOn,
			l.T("caf.action_state." + x.State), x.DoneOn, x.CaseCode})
	}
	return cols, rows, cells
}

// cafPlanSubName is a sub-criterion's title without its code.
func cafPlanSubName(subTitle, code string) string {
	return strings.TrimSpace(strings.TrimPrefix(subTitle, code))
}

// cafPlanXLSXHeaders are the workbook's columns of the plan.
func cafPlanXLSXHeaders(l *i18n.Localizer) []string {
	return []string{l.T("caf.plan.no"), l.T("caf.plan.sub_code"), l.T("caf.plan.sub"), l.T("caf.plan.action"), l.T("caf.plan.description"),
		l.T("caf.plan.impact"), l.T("caf.plan.ease"), l.T("caf.plan.priority"), l.T("caf.plan.quick_win"), l.T("caf.plan.owner"), l.T("caf.plan.due"),
		l.T("caf.plan.state"), l.T("caf.plan.done_on"), l.T("caf.plan.case")}
}

// cafReportFile is a download's file name: the cycle's code and a word, kept to
// letters, digits and dashes.
func cafReportFile(code, word string) string {
	var b strings.Builder
	for _, r := range code + "-" + word {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// cafPlanXLSX sends the improvement plan as a workbook.
func (s *Server) cafPlanXLSX(w http.ResponseWriter, r *http.Request) error {
	t, err := s.cafPlanRows(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	return sendTables(w, r, cafReportFile(t.Cycle.Code, l.T("caf.plan.file")), report.Table{Sheet: l.T("caf.plan.sheet"), Headers: cafPlanXLSXHeaders(l), Rows: t.Cells})
}

// cafPlanPDF prints the improvement plan as a landscape list.
func (s *Server) cafPlanPDF(w http.ResponseWriter, r *http.Request) error {
	t, err := s.cafPlanRows(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	pt := report.PDFTable{Title: l.T("caf.plan.doc_title", map[string]any{"Code": t.Cycle.Code}),
		Subtitle: inst.Name + " · " + t.Cycle.Title + " · " + l.T("caf.report.printed", map[string]any{"Date": l.Date(s.clock.Now())}),
		Columns:  t.Columns, Rows: t.Rows, Widths: []float64{0.5, 2.6, 4, 1.2, 1.3, 1.1, 1.8, 1.1, 1.3, 1.1},
		Footer: "Cadran · " + t.Cycle.Code, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	return sendFile(w, cafReportFile(t.Cycle.Code, l.T("caf.plan.file")), "pdf", func(w io.Writer) error { return report.WriteTablePDF(w, pt) })
}

// cafPlanDOCX writes the improvement plan for Word, for people who edit
// and circulate it (step 8: communicate the plan).
func (s *Server) cafPlanDOCX(w http.ResponseWriter, r *http.Request) error {
	t, err := s.cafPlanRows(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	rep := report.CaseReport{Institution: inst.Name, Title: l.T("caf.plan.doc_title", map[string]any{"Code": t.Cycle.Code}), Subtitle: t.Cycle.Title,
		Footer: "Cadran · " + t.Cycle.Code, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	sec := report.ReportSection{Heading: l.T("caf.plan.actions")}
	if len(t.Rows) == 0 {
		sec.Text = l.T("caf.plan.empty")
	} else {
		sec.Table = &report.ReportTable{Columns: t.Columns, Rows: t.Rows, Widths: []float64{0.5, 2.2, 3.4, 1.1, 1.1, 1, 1.5, 1.1, 1.2, 1}}
	}
	rep.Sections = append(rep.Sections, sec)
	return sendFile(w, cafReportFile(t.Cycle.Code, l.T("caf.plan.file")), "docx", func(w io.Writer) error { return report.WriteCaseReportDOCX(w, rep) })
}
