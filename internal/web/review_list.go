package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/work"
)

type reviewListData struct {
	Rows      []reviews.Row
	Filter    reviews.Filter
	Years     []int
	States    []string
	Today     time.Time
	Sorts     []sortLink
	Pager     pager
	CanManage bool
}

var reviewSortLabels = map[string]string{"code": "reviews.code", "title": "reviews.title", "meeting": "reviews.meeting_on", "state": "reviews.state"}

func reviewFilter(r *http.Request) reviews.Filter {
	q := r.URL.Query()
	y, _ := strconv.Atoi(q.Get("year"))
	return reviews.Filter{Year: y, State: q.Get("state"), Query: q.Get("q"), Sort: q.Get("sort")}
}

// reviewList is the list of management reviews, the module's entry page.
func (s *Server) reviewList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := reviewFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	rows, total, err := s.reviews.List(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	d := &reviewListData{Rows: rows, Filter: f, States: reviews.States, Today: work.Day(s.clock.Now()), Pager: pg, CanManage: a.Can(auth.PermReviewsManage)}
	if d.Years, err = s.reviews.Years(ctx, a); err != nil {
		return err
	}
	p := s.page(r, "reviews.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, reviewSortLabels, reviews.Sorts())
	return s.render(w, http.StatusOK, "review_list", p)
}

// reviewExport sends the filtered list as XLSX.
func (s *Server) reviewExport(w http.ResponseWriter, r *http.Request) error {
	f := reviewFilter(r)
	f.Limit = 10000
	rows, _, err := s.reviews.List(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	l := localizer(r)
	headers := []string{l.T("reviews.code"), l.T("reviews.title"), l.T("reviews.period"), l.T("reviews.meeting_on"), l.T("reviews.held_on"),
		l.T("reviews.chair"), l.T("reviews.state"), l.T("reviews.actions_count"), l.T("reviews.actions_open"), l.T("reviews.actions_overdue")}
	out := make([][]string, 0, len(rows))
	for _, x := range rows {
		out = append(out, []string{x.Code, x.Title, civilDay(l.Date, x.PeriodFrom) + " – " + civilDay(l.Date, x.PeriodTo), civilDay(l.Date, x.MeetingOn),
			civilDay(l.Date, x.HeldOn), x.ChairName, l.T("reviews.state." + x.State), strconv.Itoa(x.Actions), strconv.Itoa(x.OpenActions), strconv.Itoa(x.OverdueActions)})
	}
	return sendTables(w, r, l.T("reviews.export_file"), ncTable(l.T("reviews.list_title"), headers, out))
}

type reviewActionListData struct {
	Actions []reviews.Action
	Filter  reviews.ActionFilter
	States  []string
	People  []org.Person
	Today   time.Time
	Sorts   []sortLink
	Pager   pager
}

var reviewActionSortLabels = map[string]string{"review": "reviews.code", "owner": "reviews.action_owner", "due": "reviews.action_due", "state": "reviews.action_state"}

func reviewActionFilter(r *http.Request) reviews.ActionFilter {
	q := r.URL.Query()
	return reviews.ActionFilter{State: q.Get("state"), Overdue: q.Get("overdue") == "1", OwnerID: queryInt(r, "owner"), ReviewID: queryInt(r, "review"), Sort: q.Get("sort")}
}

// reviewActionList lists the actions of every review.
func (s *Server) reviewActionList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := reviewActionFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	list, total, err := s.reviews.Actions(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	d := &reviewActionListData{Actions: list, Filter: f, States: reviews.ActionStates, Today: work.Day(s.clock.Now()), Pager: pg}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	p := s.page(r, "reviews.actions_title", d)
	d.Sorts = sortLinks(p, f.Sort, reviewActionSortLabels, reviews.ActionSorts())
	return s.render(w, http.StatusOK, "review_actions", p)
}

// reviewActionExport sends the filtered actions as XLSX.
func (s *Server) reviewActionExport(w http.ResponseWriter, r *http.Request) error {
	f := reviewActionFilter(r)
	f.Limit = 10000
	list, _, err := s.reviews.Actions(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	l := localizer(r)
	headers := []string{l.T("reviews.code"), l.T("reviews.decision"), l.T("reviews.action_description"), l.T("reviews.action_owner"), l.T("reviews.action_due"),
		l.T("reviews.action_state"), l.T("reviews.action_done_on"), l.T("reviews.action_note")}
	rows := make([][]string, 0, len(list))
	for _, x := range list {
		note := x.DoneNote
		if x.State == reviews.ActionCancelled {
			note = x.CancelReason
		}
		rows = append(rows, []string{x.ReviewCode, x.Decision, x.Description, x.OwnerName, civilDay(l.Date, x.DueOn), l.T("reviews.action_state." + x.State),
			civilDay(l.Date, x.DoneOn), note})
	}
	return sendTables(w, r, l.T("reviews.actions_export_file"), ncTable(l.T("reviews.actions_title"), headers, rows))
}
