package web

// The registry's staff pages: the overview of citizen services (this
// file), the registry list and its export (this file), the registration
// form and its receipt (citizen_case_form.go), and a case's page with its
// action forms (citizen_case_show.go).

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

// citizenCasePerPage is the registry list's page size.
const citizenCasePerPage = 25

type citizenOverviewData struct {
	Overview citizen.CaseOverview
	Today    time.Time
	Kinds    []string
	// CUI is the institution's, for the address of its public page.
	CUI string
	// The links the actor may follow.
	CanRegister, CanStats, CanManage bool
}

// citizenOverview is the start page of citizen services: the registry's
// situation for the actor (the whole registry, their units' cases or their
// own), the soonest deadlines and the way to every page of the module.
func (s *Server) citizenOverview(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	ctx := r.Context()
	ov, err := s.citizen.Overview(ctx, a)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return err
	}
	d := &citizenOverviewData{Overview: ov, Today: work.Day(s.clock.Now()), Kinds: citizen.Kinds, CUI: inst.CUI,
		CanRegister: a.Can(auth.PermCitizenRegister), CanStats: a.Can(auth.PermCitizenStats), CanManage: a.Can(auth.PermCitizenManage)}
	return s.render(w, http.StatusOK, "citizen_overview", s.page(r, "citizen.cases.overview_title", d))
}

// CitizenCaseDue says how a case stands against its deadline today: the
// days left, due today, or the days overdue (in words, so the state never
// rests on colour alone); empty once the case is closed.
func (p *Page) CitizenCaseDue(c citizen.Case, today time.Time) string {
	if !c.Open() || c.DueOn.IsZero() {
		return ""
	}
	due := work.DateOnly(c.DueOn)
	switch days := int(due.Sub(work.DateOnly(today)).Hours() / 24); {
	case days < 0:
		return p.T("citizen.cases.days_overdue", "Count", -days)
	case days == 0:
		return p.T("citizen.cases.due_today")
	default:
		return p.T("citizen.cases.days_left", "Count", days)
	}
}

// CitizenCaseUnit is a case's unit and assignee as the list shows them.
func (p *Page) CitizenCaseUnit(c citizen.Case) string {
	parts := make([]string, 0, 2)
	if c.UnitName != "" {
		parts = append(parts, c.UnitName)
	}
	if c.AssigneeName != "" {
		parts = append(parts, c.AssigneeName)
	}
	if len(parts) == 0 {
		return p.T("citizen.cases.unassigned")
	}
	return strings.Join(parts, " · ")
}

type citizenCaseListData struct {
	Cases    []citizen.Case
	Filter   citizen.CaseFilter
	Today    time.Time
	Kinds    []string
	States   []string
	Channels []string
	Topics   []citizenTopicGroup
	Years    []int
	Units    []*org.TreeNode
	People   []org.Person
	Services []citizen.PublicService
	Sorts    []sortLink
	Pager    pager
	Saved    savedFilterBlock
	// FromDay and ToDay are the registration bounds as typed (YYYY-MM-DD).
	FromDay, ToDay string
	CanRegister    bool
	// TotalCapped: a text search matched more than the pager's total
	// (citizen.CountCap); the page says it found more than 1,000.
	TotalCapped bool
}

// citizenTopicGroup is the topics of one kind of case, for a grouped menu.
type citizenTopicGroup struct {
	Kind   string
	Topics []string
}

func citizenTopicGroups() []citizenTopicGroup {
	out := make([]citizenTopicGroup, 0, len(citizen.Kinds))
	for _, k := range citizen.Kinds {
		out = append(out, citizenTopicGroup{Kind: k, Topics: citizen.Topics[k]})
	}
	return out
}

var citizenCaseSortLabels = map[string]string{"number": "citizen.cases.number", "registered": "citizen.cases.registered_on",
	"due": "citizen.cases.due_on", "state": "citizen.cases.state"}

// citizenCaseSortOrder is the order of the sortable columns' headers.
var citizenCaseSortOrder = []string{"number", "registered", "due", "state"}

// citizenDay parses a YYYY-MM-DD day typed in a form; zero when empty or
// malformed.
func citizenDay(v string) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}
	}
	return t
}

// citizenCaseFilter reads the registry list's filter from the query.
func citizenCaseFilter(r *http.Request) citizen.CaseFilter {
	q := r.URL.Query()
	f := citizen.CaseFilter{Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), State: q.Get("state"), Channel: q.Get("channel"),
		Topic: q.Get("topic"), UnitID: queryInt(r, "unit"), ServiceID: queryInt(r, "service"), AssigneeID: queryInt(r, "assignee"),
		Overdue: q.Get("overdue") == "1", From: citizenDay(q.Get("from")), To: citizenDay(q.Get("to"))}
	f.Year, _ = strconv.Atoi(q.Get("year"))
	sort := q.Get("sort")
	f.Desc = strings.HasPrefix(sort, "-")
	f.Sort = strings.TrimPrefix(sort, "-")
	if _, ok := citizenCaseSortLabels[f.Sort]; !ok {
		f.Sort, f.Desc = "", false
	}
	return f
}

// citizenCaseList is the registry: petitions, requests for public
// information and applications, filtered, sorted and paged. The domain
// lists only the cases the actor may see.
func (s *Server) citizenCaseList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := citizenCaseFilter(r)
	pg := newPager(r, citizenCasePerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.citizen.Cases(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	today := work.Day(s.clock.Now())
	q := r.URL.Query()
	d := &citizenCaseListData{Cases: res.Items, Filter: f, Today: today, Kinds: citizen.Kinds, States: citizen.States, Channels: citizen.Channels,
		Topics: citizenTopicGroups(), Pager: pg, FromDay: q.Get("from"), ToDay: q.Get("to"), CanRegister: a.Can(auth.PermCitizenRegister),
		TotalCapped: res.TotalCapped}
	for y := today.Year(); y >= today.Year()-4; y-- {
		d.Years = append(d.Years, y)
	}
	if f.Year != 0 && (f.Year > today.Year() || f.Year < today.Year()-4) {
		d.Years = append(d.Years, f.Year)
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	if d.Services, err = s.citizen.PublicServices(ctx, a, false); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "cases"); err != nil {
		return err
	}
	p := s.page(r, "citizen.cases.list_title", d)
	current := f.Sort
	if f.Desc && current != "" {
		current = "-" + current
	}
	d.Sorts = sortLinks(p, current, citizenCaseSortLabels, citizenCaseSortOrder)
	return s.render(w, http.StatusOK, "citizen_case_list", p)
}

// citizenCaseExportMax bounds an export: the filtered registry, up to a
// year of a large municipality's cases.
const citizenCaseExportMax = 50000

// citizenCaseExport sends the filtered registry as XLSX or CSV: what the
// list shows, every page of it. The cases are read a batch at a time and
// written as they come, so a year of a large municipality's registry is
// never whole in memory.
func (s *Server) citizenCaseExport(w http.ResponseWriter, r *http.Request) error {
	f := citizenCaseFilter(r)
	a := actorOf(r)
	l := localizer(r)
	today := work.Day(s.clock.Now())
	days := map[time.Time]string{} // a register's cases share a few hundred days
	civil := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		v, ok := days[t]
		if !ok {
			v = l.Date(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC))
			days[t] = v
		}
		return v
	}
	// The labels of kinds, channels, states, topics and answers, looked up
	// once rather than for every row.
	labels := map[string]string{}
	label := func(key string) string {
		v, ok := labels[key]
		if !ok {
			v = l.T(key)
			labels[key] = v
		}
		return v
	}
	yes := l.T("common.yes")
	t := report.Stream{Sheet: l.T("citizen.cases.list_title"), Headers: []string{l.T("citizen.cases.number"), l.T("citizen.cases.registered_on"),
		l.T("citizen.cases.kind"), l.T("citizen.cases.channel"), l.T("citizen.cases.subject"), l.T("citizen.cases.topic"), l.T("citizen.cases.service"),
		l.T("citizen.cases.petitioner"), l.T("citizen.cases.unit"), l.T("citizen.cases.assignee"), l.T("citizen.cases.due_on"),
		l.T("citizen.cases.state"), l.T("citizen.cases.overdue"), l.T("citizen.cases.closed_on"), l.T("citizen.cases.answer_kind")}}
	row := make([]any, 15)
	t.Rows = func(emit func([]any) error) error {
		return s.citizen.EachCase(r.Context(), a, f, citizenCaseExportMax, func(c citizen.Case) error {
			overdue := ""
			if c.Overdue(today) {
				overdue = yes
			}
			answer := ""
			if c.AnswerKind != "" {
				answer = label("citizen.answer." + c.AnswerKind)
			}
			topic := ""
			if c.Topic != "" {
				topic = label("citizen.topic." + c.Topic)
			}
			row = append(row[:0], c.Number, civil(c.RegisteredOn), label("citizen.kind."+c.Kind), label("citizen.channel."+c.Channel), c.Subject,
				topic, c.ServiceName, c.Petitioner.Name, c.UnitName, c.AssigneeName, civil(c.DueOn), label("citizen.state."+c.State), overdue,
				civil(c.ClosedOn), answer)
			return emit(row)
		})
	}
	return sendStreams(w, r, l.T("citizen.cases.export_file"), t)
}
