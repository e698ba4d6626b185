package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/caf"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// cafReportReadiness is an item of the readiness for the external feedback
// procedure (PEF), computed from the cycle.
type cafReportReadiness struct {
	Key    string // caf.report.pef.<key>
	Met    bool
	Detail string
}

// cafReportData is everything the self-assessment report shows.
type cafReportData struct {
	Institution string
	Cycle       caf.Cycle
	Results     caf.Results
	Enablers    []cafResRow
	ResultRows  []cafResRow
	Totals      []cafResRow
	Steps       []caf.Step
	Members     []caf.Member
	Board       []caf.SubView
	Actions     []cafPlanAction
	Readiness   []cafReportReadiness
}

// cafReportRead gathers the report's data.
func (s *Server) cafReportRead(r *http.Request) (*cafReportData, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	a := actorOf(r)
	l := localizer(r)
	res, err := s.caf.ResultsOf(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &cafReportData{Cycle: res.Cycle, Results: res}
	d.Enablers, d.ResultRows, d.Totals = cafResultRows(l, res)
	if d.Steps, err = s.caf.StepsOf(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Members, err = s.caf.Members(ctx, a, id); err != nil {
		return nil, err
	}
	// The consensus texts; a reader the domain keeps from the board still
	// gets the scores.
	if d.Board, err = s.caf.Board(ctx, a, id); err != nil && apperr.KindOf(err) != apperr.KindForbidden {
		return nil, err
	}
	plan, err := s.caf.Plan(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d.Actions = cafPlanActions(l, res.Cycle, plan)
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return nil, err
	}
	d.Institution = inst.Name
	d.Readiness = cafReportPEF(l, d)
	return d, nil
}

// cafReportPEF lists what the external feedback procedure looks for,
// each item met or not, from the cycle's steps, consensus and plan.
func cafReportPEF(l *i18n.Localizer, d *cafReportData) []cafReportReadiness {
	done := map[int]string{}
	for _, st := range d.Steps {
		if st.DoneOn != "" {
			done[st.N] = st.DoneOn
		}
	}
	day := func(s string) string { return civilDay(l.Date, s) }
	count := func(n, of int) string {
		return l.T("caf.report.pef.count", map[string]any{"N": n, "Of": of})
	}
	stepItem := func(key string, n int) cafReportReadiness {
		it := cafReportReadiness{Key: key, Met: done[n] != ""}
		if it.Met {
			it.Detail = l.T("caf.report.pef.done_on", map[string]any{"Date": day(done[n])})
		} else {
			it.Detail = l.T("caf.report.pef.step_open", map[string]any{"N": n})
		}
		return it
	}
	var out []cafReportReadiness
	out = append(out, cafReportReadiness{Key: "steps", Met: len(done) >= caf.Steps, Detail: count(len(done), caf.Steps)})
	out = append(out, stepItem("report", 6))
	subs := len(cafResModel(d.Cycle).Subs())
	out = append(out, cafReportReadiness{Key: "consensus", Met: d.Results.Missing == 0 && subs > 0, Detail: count(subs-d.Results.Missing, subs)})
	live, owned, doneActs := 0, 0, 0
	for _, x := range d.Actions {
		if x.State == caf.ActionCancelled {
			continue
		}
		live++
		if x.OwnerID != 0 && x.DueOn != "" {
			owned++
		}
		if x.State == caf.ActionDone {
			doneActs++
		}
	}
	out = append(out, cafReportReadiness{Key: "plan", Met: live > 0 && owned == live, Detail: count(owned, live)})
	out = append(out, stepItem("communicated", 8))
	out = append(out, cafReportReadiness{Key: "under_way", Met: doneActs > 0 || done[9] != "", Detail: count(doneActs, live)})
	notes := strings.TrimSpace(d.Cycle.PEFNotes)
	it := cafReportReadiness{Key: "notes", Met: notes != "", Detail: notes}
	if notes == "" {
		it.Detail = l.T("caf.report.pef.no_notes")
	}
	out = append(out, it)
	return out
}

// cafReportYesNo is "met" or "not met" in words.
func cafReportYesNo(l *i18n.Localizer, met bool) string {
	if met {
		return l.T("caf.report.met")
	}
	return l.T("caf.report.not_met")
}

// cafReportBuild lays the self-assessment report out in sections, for the
// PDF and the Word document alike.
func cafReportBuild(l *i18n.Localizer, d *cafReportData) report.CaseReport {
	c := d.Cycle
	day := func(s string) string { return civilDay(l.Date, s) }
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "—"
		}
		return s
	}
	m := cafResModel(c)
	rep := report.CaseReport{Institution: d.Institution, Title: l.T("caf.report.title"), Subtitle: c.Code + " · " + c.Title + " · " + l.T("caf.state."+c.State),
		Footer: "Cadran · " + c.Code, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	scope := c.UnitName
	if c.UnitID == 0 || scope == "" {
		scope = l.T("caf.report.whole_institution")
	}
	period := day(c.StartOn)
	if c.EndOn != "" {
		period += " – " + day(c.EndOn)
	}
	prev := c.PreviousCode
	if d.Results.Previous != nil {
		prev = d.Results.Previous.Code + " · " + d.Results.Previous.Title
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "1. " + l.T("caf.report.section.general"), Fields: [][2]string{
		{l.T("caf.report.institution"), d.Institution},
		{l.T("caf.report.scope"), scope},
		{l.T("caf.report.model"), m.Title},
		{l.T("caf.report.panel"), l.T("caf.panel." + c.Panel)},
		{l.T("caf.report.leader"), or(c.LeaderName)},
		{l.T("caf.report.period"), or(strings.Trim(period, " –"))},
		{l.T("caf.report.previous"), or(prev)},
	}})

	group := report.ReportSection{Heading: "2. " + l.T("caf.report.section.group")}
	if len(d.Members) == 0 {
		group.Text = "—"
	} else {
		t := &report.ReportTable{Columns: []string{l.T("caf.report.no"), l.T("caf.report.member"), l.T("caf.report.unit"), l.T("caf.report.role")},
			Widths: []float64{0.4, 2.4, 3, 1.6}}
		for i, mb := range d.Members {
			unit := mb.UnitName
			if mb.Position != "" {
				if pk := "person.position." + mb.Position; l.Has(pk) {
					unit = strings.TrimSpace(unit + " · " + l.T(pk))
				}
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), mb.Name, or(unit), l.T("caf.role." + mb.Role)})
		}
		group.Table = t
	}
	rep.Sections = append(rep.Sections, group)

	steps := &report.ReportTable{Columns: []string{l.T("caf.report.step_no"), l.T("caf.report.step"), l.T("caf.report.planned_on"), l.T("caf.report.done_on"),
		l.T("caf.report.notes")}, Widths: []float64{0.4, 3.2, 1.1, 1.1, 2.4}}
	for _, st := range d.Steps {
		steps.Rows = append(steps.Rows, []string{strconv.Itoa(st.N), l.T(fmt.Sprintf("caf.step.%d", st.N)), day(st.PlannedOn), day(st.DoneOn), st.Notes})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "3. " + l.T("caf.report.section.steps"), Table: steps})

	method := l.T("caf.report.method." + c.Panel)
	if cp := strings.TrimSpace(c.CommPlan); cp != "" {
		method += "\n\n" + l.T("caf.report.comm_plan") + ": " + cp
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "4. " + l.T("caf.report.section.method"), Text: method})

	critTable := &report.ReportTable{Columns: []string{l.T("caf.report.criterion"), l.T("caf.report.score"), l.T("caf.report.previous_score"),
		l.T("caf.report.difference")}, Widths: []float64{4, 1, 1.2, 2.2}}
	for _, row := range append(append([]cafResRow{}, d.Enablers...), d.ResultRows...) {
		critTable.Rows = append(critTable.Rows, []string{row.Code + " " + row.Title, row.Score, row.Previous, or(row.Diff)})
	}
	for _, row := range d.Totals {
		critTable.Rows = append(critTable.Rows, []string{row.Title, row.Score, row.Previous, or(row.Diff)})
	}
	res := report.ReportSection{Heading: "5. " + l.T("caf.report.section.results"), Table: critTable}
	if d.Results.Missing > 0 {
		res.Text = l.T("caf.res.missing", map[string]any{"Count": d.Results.Missing})
	}
	rep.Sections = append(rep.Sections, res)

	subTable := &report.ReportTable{Columns: []string{l.T("caf.report.sub"), l.T("caf.report.score"), l.T("caf.report.previous_score"),
		l.T("caf.report.difference")}, Widths: []float64{4, 1, 1.2, 2.2}}
	for _, crit := range append(append([]cafResRow{}, d.Enablers...), d.ResultRows...) {
		for _, row := range crit.Subs {
			score := row.Score
			if row.Missing {
				score = l.T("caf.res.no_consensus")
			}
			subTable.Rows = append(subTable.Rows, []string{row.Code + " " + row.Title, score, row.Previous, or(row.Diff)})
		}
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "6. " + l.T("caf.report.section.subs"), Table: subTable})

	cons := map[string]*caf.Consensus{}
	for _, v := range d.Board {
		cons[v.Sub] = v.Consensus
	}
	findings := &report.ReportTable{Columns: []string{l.T("caf.report.sub"), l.T("caf.report.strengths"), l.T("caf.report.improvements")},
		Widths: []float64{2, 3, 3}}
	for _, sub := range m.Subs() {
		st, im := "—", "—"
		if cn := cons[sub.Code]; cn != nil {
			st, im = or(cn.Strengths), or(cn.Improvements)
		}
		findings.Rows = append(findings.Rows, []string{sub.Code + " " + sub.Title(l.Lang()), st, im})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "7. " + l.T("caf.report.section.findings"), Table: findings})

	plan := report.ReportSection{Heading: "8. " + l.T("caf.report.section.plan")}
	cols, rows, _ := cafPlanLayout(l, c, d.Actions)
	if len(rows) == 0 {
		plan.Text = l.T("caf.plan.empty")
	} else {
		plan.Table = &report.ReportTable{Columns: cols, Rows: rows, Widths: []float64{0.5, 2.2, 3.4, 1.1, 1.1, 1, 1.5, 1.1, 1.2, 1}}
	}
	rep.Sections = append(rep.Sections, plan)

	pef := &report.ReportTable{Columns: []string{l.T("caf.report.pef.item"), l.T("caf.report.pef.status"), l.T("caf.report.pef.detail")},
		Widths: []float64{3.4, 1.1, 3}}
	met := 0
	for _, it := range d.Readiness {
		if it.Met {
			met++
		}
		pef.Rows = append(pef.Rows, []string{l.T("caf.report.pef." + it.Key), cafReportYesNo(l, it.Met), it.Detail})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "9. " + l.T("caf.report.section.pef"),
		Text: l.T("caf.report.pef.summary", map[string]any{"N": met, "Of": len(d.Readiness)}), Table: pef})
	return rep
}

// cafReportPDF prints the self-assessment report.
func (s *Server) cafReportPDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cafReportRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	return sendFile(w, cafReportFile(d.Cycle.Code, l.T("caf.report.file")), "pdf", func(w io.Writer) error { return report.WriteCaseReportPDF(w, cafReportBuild(l, d)) })
}

// cafReportDOCX writes the self-assessment report for Word, where the
// group completes and edits it before it is approved.
func (s *Server) cafReportDOCX(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cafReportRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	return sendFile(w, cafReportFile(d.Cycle.Code, l.T("caf.report.file")), "docx", func(w io.Writer) error { return report.WriteCaseReportDOCX(w, cafReportBuild(l, d)) })
}

// cafReportXLSX sends the report's numbers as a workbook: the
// sub-criteria with their strengths and areas for improvement, the
// criteria and totals, and the improvement plan.
func (s *Server) cafReportXLSX(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cafReportRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	num := func(f *float64) any {
		if f == nil {
			return ""
		}
		return float64(int(*f*10+0.5)) / 10
	}
	cons := map[string]*caf.Consensus{}
	for _, v := range d.Board {
		cons[v.Sub] = v.Consensus
	}
	subs := report.Table{Sheet: l.T("caf.report.sheet.subs"), Headers: []string{l.T("caf.report.criterion"), l.T("caf.report.sub_code"), l.T("caf.report.sub"),
		l.T("caf.report.kind"), l.T("caf.report.score"), l.T("caf.report.previous_score"), l.T("caf.report.difference"), l.T("caf.report.strengths"),
		l.T("caf.report.improvements"), l.T("caf.report.agreed_on")}}
	crits := report.Table{Sheet: l.T("caf.report.sheet.criteria"), Headers: []string{l.T("caf.report.code"), l.T("caf.report.criterion"), l.T("caf.report.kind"),
		l.T("caf.report.score"), l.T("caf.report.previous_score"), l.T("caf.report.difference")}}
	for _, crit := range append(append([]cafResRow{}, d.Enablers...), d.ResultRows...) {
		kind := l.T("caf.kind." + crit.Kind)
		crits.Rows = append(crits.Rows, []any{crit.Code, crit.Title, kind, num(crit.score), num(crit.previous), crit.Diff})
		for _, sub := range crit.Subs {
			var st, im, on string
			if cn := cons[sub.Code]; cn != nil {
				st, im, on = cn.Strengths, cn.Improvements, cn.AgreedOn
			}
			subs.Rows = append(subs.Rows, []any{crit.Code + " " + crit.Title, sub.Code, sub.Title, kind, num(sub.score), num(sub.previous), sub.Diff, st, im, on})
		}
	}
	for _, t := range d.Totals {
		crits.Rows = append(crits.Rows, []any{"", t.Title, "", num(t.score), num(t.previous), t.Diff})
	}
	_, _, cells := cafPlanLayout(l, d.Cycle, d.Actions)
	plan := report.Table{Sheet: l.T("caf.plan.sheet"), Headers: cafPlanXLSXHeaders(l), Rows: cells}
	return sendTables(w, r, cafReportFile(d.Cycle.Code, l.T("caf.report.file")), subs, crits, plan)
}
