package web

import (
	"errors"
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/scorecard"
)

// kpiMetricOption is a figure another module computes, for the form.
type kpiMetricOption struct {
	Key, Label, Unit string
}

type kpiFormData struct {
	ID          int64
	Code        string // the KPI's code as saved, for the heading
	Form        scorecard.KPIInput
	Source      string // entered, metric, formula
	Objectives  []kpiObjectiveGroup
	Units       []*org.TreeNode
	People      []org.Person
	Processes   []string
	Metrics     []kpiMetricOption
	Codes       []string // other KPIs' codes, for the formula hint
	Polarities  []string
	Methods     []string
	Frequencies []string
	Sources     []string
	// Raw holds the numbers as typed, so a form sent back keeps them even
	// when they cannot be read.
	Raw map[string]string
}

// kpiInput reads the KPI form. Numbers may be typed with a decimal comma;
// those that cannot be read come back as problems of their fields.
func kpiInput(r *http.Request) (scorecard.KPIInput, string, apperr.Validation) {
	v := apperr.Validation{}
	num := func(field string) *float64 {
		f, ok := kpiParseNumber(r.FormValue(field))
		if !ok {
			v.Add(field, "scorecard.error.number")
		}
		return f
	}
	in := scorecard.KPIInput{Code: r.FormValue("kpi_code"), Name: r.FormValue("kpi_name"), Description: r.FormValue("kpi_description"),
		MeasureUnit: r.FormValue("kpi_measure_unit"), Polarity: r.FormValue("kpi_polarity"), Method: r.FormValue("kpi_method"),
		Frequency: r.FormValue("kpi_frequency"), Baseline: num("kpi_baseline"), Red: num("kpi_red"), RedHigh: num("kpi_red_high"),
		OwnerID: formInt(r, "kpi_owner"), DataSource: r.FormValue("kpi_data_source"), Metric: r.FormValue("kpi_metric"), Formula: r.FormValue("kpi_formula"),
		ObjectiveID: formInt(r, "kpi_objective"), UnitID: formInt(r, "kpi_unit"), Process: r.FormValue("kpi_process"), Version: formVersion(r)}
	if d := r.FormValue("kpi_decimals"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			v.Add("kpi_decimals", "error.range")
		}
		in.Decimals = n
	}
	if w, ok := kpiParseNumber(r.FormValue("kpi_weight")); !ok {
		v.Add("kpi_weight", "scorecard.error.weight")
	} else if w != nil {
		in.Weight = *w
	} else {
		in.Weight = 1
	}
	if in.Polarity != scorecard.PolarityBand {
		in.RedHigh = nil // shown without JS for every polarity, used for a band only
	}
	source := r.FormValue("kpi_source")
	switch source {
	case scorecard.KindMetric:
		in.Formula = ""
	case scorecard.KindFormula:
		in.Metric = ""
	default:
		source = scorecard.KindEntered
		in.Metric, in.Formula = "", ""
	}
	return in, source, v
}

// kpiSource says how a KPI's values come: entered, metric or formula.
func kpiSource(k scorecard.KPI) string {
	switch {
	case k.Metric != "":
		return scorecard.KindMetric
	case k.Formula != "":
		return scorecard.KindFormula
	}
	return scorecard.KindEntered
}

func (s *Server) kpiFormData(r *http.Request, id int64, code string, in scorecard.KPIInput, source string) (*kpiFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	l := localizer(r)
	d := &kpiFormData{ID: id, Code: code, Form: in, Source: source, Polarities: scorecard.Polarities, Methods: scorecard.Methods,
		Frequencies: scorecard.Frequencies, Sources: []string{scorecard.KindEntered, scorecard.KindMetric, scorecard.KindFormula}}
	var err error
	if d.Objectives, err = s.kpiObjectiveGroups(ctx, a, l.T); err != nil {
		return nil, err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	if d.Processes, err = s.kpiProcesses(ctx, a); err != nil {
		return nil, err
	}
	metrics, err := s.scorecard.AllMetrics(ctx, a.Tenant)
	if err != nil {
		return nil, err
	}
	for _, m := range metrics {
		label := m.Name
		if label == "" {
			label = l.T(m.Label)
		}
		d.Metrics = append(d.Metrics, kpiMetricOption{Key: m.Key, Label: label, Unit: m.Unit})
	}
	all, err := s.scorecard.KPIs(ctx, a, scorecard.KPIFilter{PerPage: 10000})
	if err != nil {
		return nil, err
	}
	for _, k := range all.Items {
		if k.ID != id {
			d.Codes = append(d.Codes, k.Code)
		}
	}
	return d, nil
}

// kpiNew is the form for a new KPI.
func (s *Server) kpiNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermScorecardManage); err != nil {
		return err
	}
	in := scorecard.KPIInput{Polarity: scorecard.PolarityHigher, Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Weight: 1, Decimals: 1,
		ObjectiveID: queryInt(r, "objective"), UnitID: queryInt(r, "unit")}
	d, err := s.kpiFormData(r, 0, "", in, scorecard.KindEntered)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "kpi_form", s.page(r, "scorecard.kpi_page.new_title", d))
}

// kpiFormError re-renders the form with the problems, merging those of
// numbers that could not be read with the domain's.
func (s *Server) kpiFormError(w http.ResponseWriter, r *http.Request, err error, id int64, code string, in scorecard.KPIInput, source, title string) error {
	d, derr := s.kpiFormData(r, id, code, in, source)
	if derr != nil {
		return derr
	}
	d.Raw = map[string]string{}
	for _, k := range []string{"kpi_baseline", "kpi_red", "kpi_red_high", "kpi_weight", "kpi_decimals"} {
		d.Raw[k] = r.FormValue(k)
	}
	return s.formError(w, r, err, "kpi_form", title, d)
}

// kpiMerge joins the form's own problems with the domain's validation of
// the rest, so the person sees every problem at once.
func kpiMerge(parse apperr.Validation, in scorecard.KPIInput) apperr.Validation {
	all := in.Validate()
	if all == nil {
		all = apperr.Validation{}
	}
	for k, v := range parse {
		all[k] = v
	}
	return all
}

// kpiCreate saves a new KPI.
func (s *Server) kpiCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	in, source, bad := kpiInput(r)
	if len(bad) > 0 {
		return s.kpiFormError(w, r, kpiMerge(bad, in), 0, "", in, source, "scorecard.kpi_page.new_title")
	}
	k, err := s.scorecard.CreateKPI(r.Context(), a, in)
	if err != nil {
		return s.kpiFormError(w, r, err, 0, "", in, source, "scorecard.kpi_page.new_title")
	}
	s.flash(r, "scorecard.kpi_page.flash.created", "Code", k.Code)
	return redirect(w, r, "/scorecard/kpis/"+strconv.FormatInt(k.ID, 10))
}

// kpiEdit is the form to change a KPI.
func (s *Server) kpiEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	k, err := s.scorecard.KPI(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	in := scorecard.KPIInput{Code: k.Code, Name: k.Name, Description: k.Description, MeasureUnit: k.MeasureUnit, Polarity: k.Polarity, Method: k.Method,
		Frequency: k.Frequency, Baseline: k.Baseline, Red: k.Red, RedHigh: k.RedHigh, Decimals: k.Decimals, OwnerID: k.OwnerID, DataSource: k.DataSource,
		Metric: k.Metric, Formula: k.Formula, ObjectiveID: k.ObjectiveID, UnitID: k.UnitID, Process: k.Process, Weight: k.Weight, Version: k.Version}
	d, err := s.kpiFormData(r, id, k.Code, in, kpiSource(k))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "kpi_form", s.page(r, "scorecard.kpi_page.edit_title", d))
}

// kpiUpdate saves a changed KPI.
func (s *Server) kpiUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	before, err := s.scorecard.KPI(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	in, source, bad := kpiInput(r)
	if len(bad) > 0 {
		return s.kpiFormError(w, r, kpiMerge(bad, in), id, before.Code, in, source, "scorecard.kpi_page.edit_title")
	}
	k, err := s.scorecard.UpdateKPI(r.Context(), a, id, in)
	if err != nil {
		return s.kpiFormError(w, r, err, id, before.Code, in, source, "scorecard.kpi_page.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/scorecard/kpis/"+strconv.FormatInt(k.ID, 10))
}

// kpiArchive takes a KPI out of the scorecard; its values stay.
func (s *Server) kpiArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	k, err := s.scorecard.KPI(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := s.scorecard.ArchiveKPI(r.Context(), a, id, formVersion(r)); err != nil {
		if apperr.KindOf(err) == apperr.KindConflict {
			s.flash(r, kpiErrKey(err))
			return redirect(w, r, "/scorecard/kpis/"+strconv.FormatInt(id, 10))
		}
		return err
	}
	s.flash(r, "scorecard.kpi_page.flash.archived", "Code", k.Code)
	return redirect(w, r, "/scorecard/kpis")
}

// kpiErrKey is an application error's message key.
func kpiErrKey(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Key != "" {
		return ae.Key
	}
	return "error.internal"
}
