package web

// The service catalogue's staff pages: the list and its export, the form,
// a service's page with its links, QR code, indicators and counter poster
// (this file); the indicators and the impact
// (citizen_stats.go, citizen_stats_impact.go), the legal reports
// (citizen_report.go), the ratings (citizen_feedback.go) and the settings
// (citizen_settings.go).

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// citizenSvcPerPage is the catalogue list's page size.
const citizenSvcPerPage = 25

// citizenSvcFilter is the catalogue list's filter, from the query string.
type citizenSvcFilter struct {
	Query  string
	UnitID int64
	Active string // "", "1" (active), "0" (inactive)
	Sort   string // code, name, legal_days; "-" first for descending
}

type citizenSvcListData struct {
	Items     []citizen.PublicService
	Filter    citizenSvcFilter
	Units     []*org.TreeNode
	Sorts     []sortLink
	Pager     pager
	CanManage bool
}

var citizenSvcSortLabels = map[string]string{"code": "citizen.pages.svc.code", "name": "citizen.pages.svc.name",
	"unit": "citizen.pages.svc.unit", "legal_days": "citizen.pages.svc.legal_days", "active": "citizen.pages.svc.status"}

var citizenSvcSorts = []string{"code", "name", "unit", "legal_days", "active"}

func citizenSvcFilterOf(r *http.Request) citizenSvcFilter {
	q := r.URL.Query()
	f := citizenSvcFilter{Query: strings.TrimSpace(q.Get("q")), UnitID: queryInt(r, "unit"), Active: q.Get("active"), Sort: q.Get("sort")}
	if f.Active != "1" && f.Active != "0" {
		f.Active = ""
	}
	if !slices.Contains(citizenSvcSorts, strings.TrimPrefix(f.Sort, "-")) {
		f.Sort = "code"
	}
	return f
}

// citizenSvcFiltered lists the catalogue as filtered and sorted. The
// catalogue of a town hall is a few dozen services, so it is filtered
// here rather than in SQL.
func (s *Server) citizenSvcFiltered(r *http.Request, f citizenSvcFilter, units []*org.TreeNode) ([]citizen.PublicService, error) {
	all, err := s.citizen.PublicServices(r.Context(), actorOf(r), false)
	if err != nil {
		return nil, err
	}
	var within map[int64]bool
	if f.UnitID != 0 {
		within = citizenUnitSubtree(units, f.UnitID)
	}
	q := textutil.Fold(f.Query)
	out := make([]citizen.PublicService, 0, len(all))
	for _, p := range all {
		switch {
		case f.Active == "1" && !p.Active, f.Active == "0" && p.Active:
			continue
		case within != nil && !within[p.UnitID]:
			continue
		case q != "" && !strings.Contains(textutil.Fold(p.Code+" "+p.Name+" "+p.Description+" "+p.LegalBasis), q):
			continue
		}
		out = append(out, p)
	}
	key := strings.TrimPrefix(f.Sort, "-")
	slices.SortStableFunc(out, func(a, b citizen.PublicService) int {
		var c int
		switch key {
		case "name":
			c = strings.Compare(textutil.Fold(a.Name), textutil.Fold(b.Name))
		case "unit":
			c = strings.Compare(textutil.Fold(a.UnitName), textutil.Fold(b.UnitName))
		case "legal_days":
			c = cmp.Compare(a.LegalDays, b.LegalDays)
		case "active":
			c = -cmp.Compare(boolInt(a.Active), boolInt(b.Active))
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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// citizenUnitSubtree is the unit and every unit under it.
func citizenUnitSubtree(units []*org.TreeNode, root int64) map[int64]bool {
	children := map[int64][]int64{}
	for _, u := range units {
		children[u.ParentID] = append(children[u.ParentID], u.ID)
	}
	out := map[int64]bool{}
	stack := []int64{root}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if out[id] {
			continue
		}
		out[id] = true
		stack = append(stack, children[id]...)
	}
	return out
}

// citizenServiceList is the catalogue: filters, sortable list, pager.
func (s *Server) citizenServiceList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	f := citizenSvcFilterOf(r)
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return err
	}
	all, err := s.citizenSvcFiltered(r, f, units)
	if err != nil {
		return err
	}
	pg := newPager(r, citizenSvcPerPage)
	pg.Total = len(all)
	items := all[min(pg.Offset(), len(all)):min(pg.Offset()+pg.PerPage, len(all))]
	d := &citizenSvcListData{Items: items, Filter: f, Units: units, Pager: pg, CanManage: a.Can(auth.PermCitizenManage)}
	p := s.page(r, "citizen.pages.svc.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, citizenSvcSortLabels, citizenSvcSorts)
	return s.render(w, http.StatusOK, "citizen_service_list", p)
}

// citizenServiceExport sends the catalogue, filtered, as XLSX.
func (s *Server) citizenServiceExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return err
	}
	all, err := s.citizenSvcFiltered(r, citizenSvcFilterOf(r), units)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("citizen.pages.svc.list_title"), Headers: []string{l.T("citizen.pages.svc.code"), l.T("citizen.pages.svc.name"),
		l.T("citizen.pages.svc.unit"), l.T("citizen.pages.svc.legal_days"), l.T("citizen.pages.svc.legal_basis"), l.T("citizen.pages.svc.fee"),
		l.T("citizen.pages.svc.documents"), l.T("citizen.pages.svc.status"), l.T("citizen.pages.svc.description")}}
	for _, p := range all {
		status := l.T("citizen.pages.svc.active")
		if !p.Active {
			status = l.T("citizen.pages.svc.inactive")
		}
		t.Rows = append(t.Rows, []any{p.Code, p.Name, p.UnitName, p.LegalDays, p.LegalBasis, p.Fee, strings.Join(citizenDocLines(p.Documents), "\n"), status, p.Description})
	}
	return sendTables(w, r, l.T("citizen.pages.svc.export_file"), t)
}

// citizenDocLines is the required documents, one per line, blanks dropped.
func citizenDocLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// citizenSvcForm is the catalogue form's data.
type citizenSvcForm struct {
	ID    int64
	Form  citizen.PublicServiceInput
	Units []*org.TreeNode
	// Raw keeps what was typed in fields that did not parse.
	Raw map[string]string
}

func (s *Server) citizenSvcFormData(r *http.Request, id int64, in citizen.PublicServiceInput) (*citizenSvcForm, error) {
	units, err := s.org.UnitOptions(r.Context(), actorOf(r))
	if err != nil {
		return nil, err
	}
	return &citizenSvcForm{ID: id, Form: in, Units: units, Raw: map[string]string{}}, nil
}

// citizenSvcInput reads the form; the problems of fields that do not
// parse (a number, a date) are returned beside it.
func citizenSvcInput(r *http.Request) (citizen.PublicServiceInput, apperr.Validation, map[string]string) {
	bad := apperr.Validation{}
	raw := map[string]string{}
	in := citizen.PublicServiceInput{Code: strings.TrimSpace(r.FormValue("citizen_svc_code")), Name: r.FormValue("citizen_svc_name"),
		Description: r.FormValue("citizen_svc_description"), UnitID: formInt(r, "citizen_svc_unit_id"), LegalBasis: r.FormValue("citizen_svc_legal_basis"),
		Documents: r.FormValue("citizen_svc_documents"), Fee: r.FormValue("citizen_svc_fee"), Active: r.FormValue("citizen_svc_active") == "1", Version: formVersion(r)}
	if v := strings.TrimSpace(r.FormValue("citizen_svc_legal_days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad["citizen_svc_legal_days"] = "citizen.pages.error.number"
			raw["citizen_svc_legal_days"] = v
		}
		in.LegalDays = n
	}
	for _, fd := range []struct {
		name string
		to   *time.Time
	}{{"citizen_svc_baseline_from", &in.BaselineFrom}, {"citizen_svc_baseline_to", &in.BaselineTo}} {
		t, ok := citizenFormDay(r.FormValue(fd.name))
		if !ok {
			bad[fd.name] = "citizen.pages.error.date"
			raw[fd.name] = r.FormValue(fd.name)
		}
		*fd.to = t
	}
	return in, bad, raw
}

// citizenFormDay reads a YYYY-MM-DD date field; empty is the zero time.
func citizenFormDay(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// citizenSvcFields are the form's fields, as the domain names them.
var citizenSvcFields = map[string]string{citizen.FieldServiceCode: "citizen_svc_code", citizen.FieldServiceName: "citizen_svc_name",
	citizen.FieldServiceDescription: "citizen_svc_description", citizen.FieldServiceUnit: "citizen_svc_unit_id", citizen.FieldServiceLegalDays: "citizen_svc_legal_days",
	citizen.FieldServiceLegalBasis: "citizen_svc_legal_basis", citizen.FieldServiceDocuments: "citizen_svc_documents", citizen.FieldServiceFee: "citizen_svc_fee",
	citizen.FieldServiceBaselineFrom: "citizen_svc_baseline_from", citizen.FieldServiceBaselineTo: "citizen_svc_baseline_to"}

// citizenSvcError merges the form's own problems with the domain's,
// naming each by the form's field so the summary links to it.
func citizenSvcError(err error, bad apperr.Validation) error {
	if err == nil && len(bad) == 0 {
		return nil
	}
	all := apperr.Validation{}
	if v, ok := apperr.AsValidation(err); ok {
		for k, msg := range v {
			if f, ok := citizenSvcFields[k]; ok {
				k = f
			}
			all[k] = msg
		}
	} else if err != nil {
		return err
	}
	for k, msg := range bad {
		all[k] = msg
	}
	return all
}

// citizenServiceNew is the form for a new service of the catalogue.
func (s *Server) citizenServiceNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermCitizenManage); err != nil {
		return err
	}
	d, err := s.citizenSvcFormData(r, 0, citizen.PublicServiceInput{Active: true, LegalDays: 30})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "citizen_service_form", s.page(r, "citizen.pages.svc.new_title", d))
}

// citizenServiceCreate adds the service.
func (s *Server) citizenServiceCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return err
	}
	in, bad, raw := citizenSvcInput(r)
	var p citizen.PublicService
	var err error
	if len(bad) == 0 {
		p, err = s.citizen.CreatePublicService(r.Context(), a, in)
	}
	if err := citizenSvcError(err, bad); err != nil {
		return s.citizenSvcFormError(w, r, err, 0, in, raw, "citizen.pages.svc.new_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/citizen/services/"+strconv.FormatInt(p.ID, 10))
}

func (s *Server) citizenSvcFormError(w http.ResponseWriter, r *http.Request, err error, id int64, in citizen.PublicServiceInput, raw map[string]string, title string) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.citizenSvcFormData(r, id, in)
	if derr != nil {
		return derr
	}
	d.Raw = raw
	return s.formError(w, r, err, "citizen_service_form", title, d)
}

// citizenServiceEdit is the form for a service of the catalogue.
func (s *Server) citizenServiceEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.citizen.PublicService(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := citizen.PublicServiceInput{Code: p.Code, Name: p.Name, Description: p.Description, UnitID: p.UnitID, LegalDays: p.LegalDays, LegalBasis: p.LegalBasis,
		Documents: p.Documents, Fee: p.Fee, Active: p.Active, BaselineFrom: p.BaselineFrom, BaselineTo: p.BaselineTo, Version: p.Version}
	d, err := s.citizenSvcFormData(r, id, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "citizen_service_form", s.page(r, "citizen.pages.svc.edit_title", d))
}

// citizenServiceUpdate saves the service, checked against its version.
func (s *Server) citizenServiceUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, bad, raw := citizenSvcInput(r)
	if len(bad) == 0 {
		_, err = s.citizen.UpdatePublicService(r.Context(), a, id, in)
	} else if _, err = s.citizen.PublicService(r.Context(), a, id); err != nil {
		// Another institution's service is not found, however the form reads.
		return err
	}
	if err := citizenSvcError(err, bad); err != nil {
		return s.citizenSvcFormError(w, r, err, id, in, raw, "citizen.pages.svc.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/citizen/services/"+strconv.FormatInt(id, 10))
}

// citizenSvcLinks are a service's public addresses: its page in the public
// catalogue and the short link to rate it that its QR code holds.
func (s *Server) citizenSvcLinks(r *http.Request, cui, code string) (public, short string) {
	base := s.baseURL(r)
	c, k := url.PathEscape(cui), url.PathEscape(code)
	return base + "/public/" + c + "/services/" + k, base + "/f/" + c + "/" + k
}

// citizenSvcPeriod is a service's indicators over one period.
type citizenSvcPeriod struct {
	Label string
	From  time.Time
	To    time.Time
	Cells citStatCells
}

type citizenSvcShowData struct {
	Service   citizen.PublicService
	Documents []string
	PublicURL string
	ShortURL  string
	QR        template.HTML
	Periods   []citizenSvcPeriod
	Comments  []citizen.Feedback
	Ratings   citizen.FeedbackPage
	Metrics   []string
	CanManage bool
	CanKPI    bool
}

// citizenServiceShow is a service's page: its details, public links and
// QR code, its indicators for the last 12 months and the current year,
// and what citizens said of it.
func (s *Server) citizenServiceShow(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.citizen.PublicService(ctx, a, id)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return err
	}
	l := localizer(r)
	d := &citizenSvcShowData{Service: p, Documents: citizenDocLines(p.Documents), CanManage: a.Can(auth.PermCitizenManage), CanKPI: a.Can(auth.PermScorecardManage)}
	d.PublicURL, d.ShortURL = s.citizenSvcLinks(r, inst.CUI, p.Code)
	svg, err := report.QRSVG(d.ShortURL, l.T("citizen.pages.svc.qr_title", "Name", p.Name))
	if err != nil {
		return err
	}
	d.QR = template.HTML(svg) // made by report.QRSVG, every text in it escaped
	today := work.Day(s.clock.Now())
	last := citizenLast12(today)
	ytd := citizenPeriod{From: time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: today}
	for _, pr := range []struct {
		key string
		per citizenPeriod
	}{{"citizen.pages.period.last12", last}, {"citizen.pages.period.this_year", ytd}} {
		ind, err := s.citizen.IndicatorsOf(ctx, a, id, pr.per.From, pr.per.To)
		if err != nil {
			return err
		}
		d.Periods = append(d.Periods, citizenSvcPeriod{Label: l.T(pr.key), From: pr.per.From, To: pr.per.To, Cells: citStatFormat(l, ind)})
	}
	if d.Ratings, err = s.citizen.FeedbackList(ctx, a, citizen.FeedbackFilter{ServiceID: id, From: last.From, To: today, PerPage: 1, Page: 1}); err != nil {
		return err
	}
	comments, err := s.citizen.FeedbackList(ctx, a, citizen.FeedbackFilter{ServiceID: id, HasComment: true, Sort: "given", Desc: true, Page: 1, PerPage: 5})
	if err != nil {
		return err
	}
	d.Comments = comments.Items
	if ms, err := s.citizen.TenantMetrics(ctx, a.Tenant); err == nil {
		for _, m := range ms {
			if strings.HasSuffix(m.Key, "/"+p.Code) {
				name := m.Name
				if name == "" {
					name = l.T(m.Label)
				}
				d.Metrics = append(d.Metrics, name)
			}
		}
	} else {
		return err
	}
	pg := s.page(r, "citizen.pages.svc.show_title", d)
	pg.Title = p.Code + " · " + p.Name
	return s.render(w, http.StatusOK, "citizen_service_show", pg)
}

// citizenServiceShortLink reads the service of the path, the institution
// and the service's short rating link, for its QR code and poster.
func (s *Server) citizenServiceShortLink(r *http.Request) (citizen.PublicService, org.Institution, string, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return citizen.PublicService{}, org.Institution{}, "", err
	}
	id, err := pathID(r)
	if err != nil {
		return citizen.PublicService{}, org.Institution{}, "", err
	}
	p, err := s.citizen.PublicService(r.Context(), a, id)
	if err != nil {
		return citizen.PublicService{}, org.Institution{}, "", err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return citizen.PublicService{}, org.Institution{}, "", err
	}
	_, short := s.citizenSvcLinks(r, inst.CUI, p.Code)
	return p, inst, short, nil
}

// citizenServiceQR is the service's QR code alone, as an SVG file to put
// in a leaflet or on the institution's site.
func (s *Server) citizenServiceQR(w http.ResponseWriter, r *http.Request) error {
	p, _, short, err := s.citizenServiceShortLink(r)
	if err != nil {
		return err
	}
	svg, err := report.QRSVG(short, localizer(r).T("citizen.pages.svc.qr_title", "Name", p.Name))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="qr-%s.svg"`, safeFileName(p.Code)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + svg))
	return err
}

// citizenServicePoster is the printable counter poster: the institution,
// the service, "how did we serve you?" and the QR code of the short link.
func (s *Server) citizenServicePoster(w http.ResponseWriter, r *http.Request) error {
	p, inst, short, err := s.citizenServiceShortLink(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	poster := report.QRPoster{Institution: inst.Name, Service: p.Name, Headline: l.T("citizen.pages.poster.headline"), Hint: l.T("citizen.pages.poster.hint"),
		LinkLabel: l.T("citizen.pages.poster.link_label"), Link: short, Footer: p.Code + " · Cadran"}
	return sendFile(w, l.T("citizen.pages.poster.file")+"-"+p.Code, "pdf", func(b io.Writer) error { return report.WriteQRPosterPDF(b, poster) })
}
