package web

// The citizens' ratings: the list with its filters, sort, pager and mean,
// and its export. The comments are citizens' own words: the templates
// print them escaped like every other text, never as HTML.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

const citizenFeedbackPerPage = 25

// citizenFeedbackExportMax bounds the export: years of ratings of a large
// municipality fit well below it.
const citizenFeedbackExportMax = 100000

type citizenFeedbackData struct {
	Items    []citizen.Feedback
	Filter   citizen.FeedbackFilter
	Query    citizenFeedbackQuery
	Mean     string
	Services []citizen.PublicService
	Channels []string
	Sorts    []sortLink
	Pager    pager
}

// citizenFeedbackQuery is the filter as typed, for the form.
type citizenFeedbackQuery struct {
	From, To, Sort string
}

var citizenFeedbackSortLabels = map[string]string{"given": "citizen.pages.fb.given_on", "rating": "citizen.pages.fb.rating"}

// citizenFeedbackFilter reads the filter from the query string; a date
// that does not read is left out (and said so).
func citizenFeedbackFilter(r *http.Request) (citizen.FeedbackFilter, citizenFeedbackQuery, bool) {
	q := r.URL.Query()
	f := citizen.FeedbackFilter{ServiceID: queryInt(r, "service"), Channel: q.Get("channel"), HasComment: q.Get("comment") == "1"}
	if !slices.Contains([]string{citizen.FeedbackAnswer, citizen.FeedbackCounter, citizen.FeedbackOnline}, f.Channel) {
		f.Channel = ""
	}
	if n, err := strconv.Atoi(q.Get("rating")); err == nil && n >= 1 && n <= 5 {
		f.Rating = n
	}
	ok := true
	from, okF := citizenFormDay(q.Get("from"))
	to, okT := citizenFormDay(q.Get("to"))
	if okF {
		f.From = from
	}
	if okT {
		f.To = to
	}
	ok = okF && okT
	sort := q.Get("sort")
	switch strings.TrimPrefix(sort, "-") {
	case "given", "rating":
	default:
		sort = "-given"
	}
	f.Sort, f.Desc = strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	return f, citizenFeedbackQuery{From: q.Get("from"), To: q.Get("to"), Sort: sort}, ok
}

// citizenFeedbackList is the ratings list.
func (s *Server) citizenFeedbackList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	ctx := r.Context()
	f, fq, ok := citizenFeedbackFilter(r)
	pg := newPager(r, citizenFeedbackPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.citizen.FeedbackList(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	l := localizer(r)
	d := &citizenFeedbackData{Items: res.Items, Filter: f, Query: fq, Pager: pg, Mean: citNone,
		Channels: []string{citizen.FeedbackAnswer, citizen.FeedbackCounter, citizen.FeedbackOnline}}
	if res.Total > 0 {
		d.Mean = l.Decimal(res.Mean, 2)
	}
	if d.Services, err = s.citizen.PublicServices(ctx, a, false); err != nil {
		return err
	}
	p := s.page(r, "citizen.pages.fb.title", d)
	if !ok {
		p.Error = p.T("citizen.pages.error.date")
	}
	d.Sorts = sortLinks(p, fq.Sort, citizenFeedbackSortLabels, []string{"given", "rating"})
	return s.render(w, http.StatusOK, "citizen_feedback", p)
}

// citizenFeedbackWhat names what a rating is of: its service, or the kind
// of case when it is of no service.
func citizenFeedbackWhat(l *i18n.Localizer, fb citizen.Feedback) string {
	if fb.ServiceID != 0 {
		return strings.TrimSpace(fb.ServiceCode + " " + fb.ServiceName)
	}
	if fb.Kind != "" {
		return l.T("citizen.kind." + fb.Kind)
	}
	return citNone
}

// CitizenFeedbackWhat is citizenFeedbackWhat for the list's template.
func (p *Page) CitizenFeedbackWhat(fb citizen.Feedback) string { return citizenFeedbackWhat(p.l, fb) }

// citizenFeedbackExport sends the ratings, filtered, as XLSX.
func (s *Server) citizenFeedbackExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	f, _, _ := citizenFeedbackFilter(r)
	// The domain gives at most db.MaxPageSize a page: read page after page.
	var items []citizen.Feedback
	f.PerPage = db.MaxPageSize
	for f.Page = 1; len(items) < citizenFeedbackExportMax; f.Page++ {
		res, err := s.citizen.FeedbackList(r.Context(), a, f)
		if err != nil {
			return err
		}
		items = append(items, res.Items...)
		if len(res.Items) < f.PerPage || len(items) >= res.Total {
			break
		}
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("citizen.pages.fb.title"), Headers: []string{l.T("citizen.pages.fb.given_on"), l.T("citizen.pages.ind.service"),
		l.T("citizen.pages.fb.channel"), l.T("citizen.pages.fb.rating"), l.T("citizen.pages.fb.comment")}}
	for _, fb := range items {
		t.Rows = append(t.Rows, []any{fb.GivenOn, citizenFeedbackWhat(l, fb), l.T("citizen.feedback_channel." + fb.Channel), fb.Rating, fb.Comment})
	}
	return sendTables(w, r, l.T("citizen.pages.fb.export_file"), t)
}
