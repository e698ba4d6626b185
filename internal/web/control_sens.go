package web

// Sensitive functions: the inventory list and its exports, the function
// form, and a function's page with its holders and measures.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
	"cadran/internal/report"
)

func init() {
	savedFilterLists["control_sensitive"] = "/control/sensitive"
	savedFilterLists["control_activities"] = "/control/coverage"
}

const controlSensPerPage = 25

var controlSensSortKeys = []string{"title", "unit", "holders", "state", "updated"}

var controlSensSortLabels = map[string]string{"title": "controlsens.fn.title", "unit": "controlsens.unit",
	"holders": "controlsens.fn.holders", "state": "controlsens.state", "updated": "controlsens.updated"}

// controlSensSort reads "sort" ("key" or "-key") against keys.
func controlSensSort(r *http.Request, keys []string, def string) (string, bool, string) {
	v := r.URL.Query().Get("sort")
	k, desc := strings.CutPrefix(v, "-")
	if !slices.Contains(keys, k) {
		return def, false, def
	}
	return k, desc, v
}

// ControlSensDay formats a YYYY-MM-DD day for the page ("—" when empty).
func (p *Page) ControlSensDay(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "—"
	}
	return p.Date(d)
}

// ControlSensFactors names a function's factors, comma separated.
func (p *Page) ControlSensFactors(fs []string) string {
	return controlSensFactors(p.T, fs)
}

func controlSensFactors(t func(string, ...any) string, fs []string) string {
	names := make([]string, 0, len(fs))
	for _, f := range fs {
		names = append(names, t("control.factor."+f))
	}
	return strings.Join(names, ", ")
}

type controlSensListData struct {
	Items     []control.SensitiveFunction
	Filter    control.SensitiveFilter
	Units     []org.Unit
	Factors   []string
	States    []string
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanManage bool
}

func controlSensFilterOf(r *http.Request) (control.SensitiveFilter, string) {
	q := r.URL.Query()
	f := control.SensitiveFilter{Query: strings.TrimSpace(q.Get("q")), UnitID: queryInt(r, "unit"), Factor: q.Get("factor"), State: q.Get("state"),
		Overdue: q.Get("overdue") == "1"}
	if !slices.Contains(control.SensitiveFactors, f.Factor) {
		f.Factor = ""
	}
	if !slices.Contains(control.FunctionStates, f.State) {
		f.State = ""
	}
	var current string
	f.Sort, f.Desc, current = controlSensSort(r, controlSensSortKeys, "unit")
	return f, current
}

// controlSensList is the inventory: filters, sortable list, pager.
func (s *Server) controlSensList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, current := controlSensFilterOf(r)
	pg := newPager(r, controlSensPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.control.SensitiveFunctions(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &controlSensListData{Items: res.Items, Filter: f, Factors: control.SensitiveFactors, States: control.FunctionStates, Pager: pg,
		CanManage: a.Can(auth.PermControlManage)}
	if d.Units, err = s.org.Units(r.Context(), a); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "control_sensitive"); err != nil {
		return err
	}
	p := s.page(r, "controlsens.list_title", d)
	d.Sorts = sortLinks(p, current, controlSensSortLabels, controlSensSortKeys)
	return s.render(w, http.StatusOK, "control_sens_list", p)
}

func controlSensYesNo(t func(string, ...any) string, b bool) string {
	if b {
		return t("common.yes")
	}
	return t("common.no")
}

// controlSensExport sends the filtered inventory as XLSX.
func (s *Server) controlSensExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, _ := controlSensFilterOf(r)
	var items []control.SensitiveFunction
	for f.Page, f.PerPage = 1, 500; ; f.Page++ {
		res, err := s.control.SensitiveFunctions(r.Context(), a, f)
		if err != nil {
			return err
		}
		items = append(items, res.Items...)
		if len(res.Items) < f.PerPage || len(items) >= res.Total {
			break
		}
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("controlsens.list_title"), Headers: []string{l.T("controlsens.unit"), l.T("controlsens.fn.title"), l.T("controlsens.fn.factors"),
		l.T("controlsens.fn.description"), l.T("controlsens.fn.rotation"), l.T("controlsens.fn.max_years"), l.T("controlsens.fn.holders"),
		l.T("controlsens.fn.overdue"), l.T("controlsens.fn.measures"), l.T("controlsens.state")}}
	for _, x := range items {
		t.Rows = append(t.Rows, []any{x.UnitName, x.Title, controlSensFactors(l.T, x.Factors), x.Description, controlSensYesNo(l.T, x.Rotation), x.MaxYears,
			x.Holders, x.Overdue, x.Measures, l.T("controlsens.fn.state." + x.State)})
	}
	return sendTables(w, r, l.T("controlsens.export_file"), t)
}

// controlSensFormData is the function form's data.
type controlSensFormData struct {
	ID       int64
	Form     control.SensitiveInput
	Units    []org.Unit
	Factors  []string
	States   []string
	Defaults int // the settings' max years
}

func (s *Server) controlSensFormData(r *http.Request, id int64, in control.SensitiveInput) (*controlSensFormData, error) {
	d := &controlSensFormData{ID: id, Form: in, Factors: control.SensitiveFactors, States: control.FunctionStates}
	var err error
	if d.Units, err = s.org.Units(r.Context(), actorOf(r)); err != nil {
		return nil, err
	}
	return d, nil
}

func controlSensInput(r *http.Request) (control.SensitiveInput, apperr.Validation) {
	_ = r.ParseForm()
	bad := apperr.Validation{}
	in := control.SensitiveInput{UnitID: formInt(r, control.FieldSensUnit), Title: r.FormValue(control.FieldSensTitle), Factors: r.Form[control.FieldSensFactors],
		Description: r.FormValue(control.FieldSensDescription), Rotation: r.FormValue(control.FieldSensRotation) == "1", State: r.FormValue(control.FieldSensState),
		Version: formVersion(r)}
	if v := strings.TrimSpace(r.FormValue(control.FieldSensMaxYears)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad.Add(control.FieldSensMaxYears, "error.range")
		}
		in.MaxYears = n
	}
	return in, bad
}

func (s *Server) controlSensFormError(w http.ResponseWriter, r *http.Request, err error, id int64, in control.SensitiveInput, title string) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.controlSensFormData(r, id, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "control_sens_form", title, d)
}

// controlSensNew is the form for a new sensitive function.
func (s *Server) controlSensNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermControlManage); err != nil {
		return err
	}
	d, err := s.controlSensFormData(r, 0, control.SensitiveInput{Rotation: true, UnitID: queryInt(r, "unit")})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_sens_form", s.page(r, "controlsens.new_title", d))
}

// controlSensCreate adds the function.
func (s *Server) controlSensCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	in, bad := controlSensInput(r)
	var f control.SensitiveFunction
	var err error = bad
	if len(bad) == 0 {
		f, err = s.control.CreateSensitive(r.Context(), a, in)
	}
	if err != nil {
		return s.controlSensFormError(w, r, err, 0, in, "controlsens.new_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, f.Href())
}

// controlSensEdit is the form for a function.
func (s *Server) controlSensEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.control.SensitiveFunction(r.Context(), a, id)
	if err != nil {
		return err
	}
	f := x.Function
	in := control.SensitiveInput{UnitID: f.UnitID, Title: f.Title, Factors: f.Factors, Description: f.Description, Rotation: f.Rotation, MaxYears: f.MaxYears,
		State: f.State, Version: f.Version}
	d, err := s.controlSensFormData(r, id, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_sens_form", s.page(r, "controlsens.edit_title", d))
}

// controlSensUpdate saves the function, checked against its version.
func (s *Server) controlSensUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.control.SensitiveFunction(r.Context(), a, id); err != nil {
		return err
	}
	in, bad := controlSensInput(r)
	err = bad
	if len(bad) == 0 {
		_, err = s.control.UpdateSensitive(r.Context(), a, id, in)
	}
	if err != nil {
		return s.controlSensFormError(w, r, err, id, in, "controlsens.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/sensitive/"+strconv.FormatInt(id, 10))
}

// ControlSensHas reports whether list holds v (checked boxes).
func (p *Page) ControlSensHas(list []string, v string) bool { return slices.Contains(list, v) }
