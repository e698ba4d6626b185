package web

// Internal managerial control (OSGG 600/2018), the self-evaluation's part:
// the module's overview, the standards of the code, the settings, and the
// helpers the part's pages share (this file); the evaluations with their
// compartments (control_eval_list.go, control_eval_show.go), a
// compartment's questionnaire (control_eval_unit.go), the institution's
// summary (control_eval_summary.go) and the yearly report
// (control_eval_report.go).

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/work"
)

// The list of evaluations offers saved filters like the other registers.
func init() {
	savedFilterLists["control_evaluations"] = "/control/evaluations"
}

// controlEvalOverviewData is the module's front page.
type controlEvalOverviewData struct {
	// Latest is the latest evaluation, nil when none was opened yet.
	Latest  *control.Evaluation
	Summary *control.Summary
	// Units are the compartments the actor may open in the latest
	// evaluation (a head of unit: theirs), for those who do not manage.
	Units    []control.EvalUnit
	Settings control.Settings
	// Total is the number of standards of the latest evaluation's code.
	Total     int
	CanManage bool
	CanAnswer bool
	// The rest of the system at a glance: this year's development
	// programme (nil when none), procedure coverage and the people overdue
	// for rotation out of a sensitive function.
	Programme       *control.Programme
	Coverage        control.UnitCoverage
	RotationOverdue int
}

// controlEvalOverview is the module's front page: the latest evaluation
// with its state, the compartments that submitted, the grade so far and
// the way to its summary; the other parts of the module; the standards and
// the settings.
func (s *Server) controlEvalOverview(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	ctx := r.Context()
	d := &controlEvalOverviewData{CanManage: a.Can(auth.PermControlManage), CanAnswer: a.Can(auth.PermControlAnswer)}
	evs, err := s.control.Evaluations(ctx, a)
	if err != nil {
		return err
	}
	if len(evs) > 0 {
		ev := evs[0]
		d.Latest = &ev
		sum, err := s.control.Summary(ctx, a, ev.ID)
		if err != nil {
			return err
		}
		d.Summary = &sum
		for _, c := range sum.Components {
			d.Total += len(c.Standards)
		}
		// A head of unit finds their compartments' questionnaires here;
		// those who run the evaluation have its page for all of them.
		if !d.CanManage {
			if d.Units, err = s.control.EvalUnits(ctx, a, ev.ID); err != nil {
				return err
			}
		}
		d.Settings = sum.Settings
	} else if d.Settings, err = s.control.Settings(ctx, a); err != nil {
		return err
	}
	switch p, err := s.control.ProgrammeOfYear(ctx, a, work.Day(s.clock.Now()).Year()); {
	case err == nil:
		d.Programme = &p
	case !errors.Is(err, apperr.ErrNotFound):
		return err
	}
	cov, err := s.control.Coverage(ctx, a)
	if err != nil {
		return err
	}
	d.Coverage = cov.Total
	overdue, err := s.control.SensitiveFunctions(ctx, a, control.SensitiveFilter{Overdue: true, State: control.FunctionActive, PerPage: 1})
	if err != nil {
		return err
	}
	d.RotationOverdue = overdue.Total
	return s.render(w, http.StatusOK, "control_eval_overview", s.page(r, "controleval.overview.title", d))
}

// controlEvalStandardsData is the reference page of the standards.
type controlEvalStandardsData struct {
	Model frameworks.OSGG
	// Compliance: the actor may open the ISO 9001 compliance matrix, so
	// the clauses link to it.
	Compliance bool
	CAF        bool
}

// controlEvalStandards is the code's 16 standards by component: what each
// requires, the questions of the questionnaire and the crosswalk to ISO
// 9001 clauses and CAF sub-criteria.
func (s *Server) controlEvalStandards(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	version := r.URL.Query().Get("version")
	m, ok := frameworks.OSGGModel(version)
	if !ok {
		m, _ = frameworks.OSGGModel(frameworks.OSGGLatest)
	}
	d := &controlEvalStandardsData{Model: m, Compliance: a.Can(auth.PermComplianceView), CAF: a.Can(auth.PermCAFView)}
	return s.render(w, http.StatusOK, "control_eval_standards", s.page(r, "controleval.standards.title", d))
}

// controlEvalSettingsData is the settings form.
type controlEvalSettingsData struct {
	Form control.Settings
	Raw  map[string]string
}

// controlEvalSettings is the settings form (manage only).
func (s *Server) controlEvalSettings(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	st, err := s.control.Settings(r.Context(), a)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_eval_settings", s.page(r, "controleval.settings.title", &controlEvalSettingsData{Form: st, Raw: map[string]string{}}))
}

// controlEvalSettingsFields are the settings form's fields, each named
// after the domain's field it holds.
var controlEvalSettingsFields = []string{"conform_min", "partial_min", "report_due", "answer_days", "rotation_years", "rotation_notice_days"}

// controlEvalSettingsSave saves the settings, checked against their
// version.
func (s *Server) controlEvalSettingsSave(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	bad, raw := apperr.Validation{}, map[string]string{}
	in := control.Settings{ReportDue: strings.TrimSpace(r.FormValue("cs_report_due")), Version: formVersion(r)}
	in.ConformMin = controlEvalNumber(r, "cs_conform_min", bad, raw)
	in.PartialMin = controlEvalNumber(r, "cs_partial_min", bad, raw)
	in.AnswerDays = controlEvalNumber(r, "cs_answer_days", bad, raw)
	in.RotationYears = controlEvalNumber(r, "cs_rotation_years", bad, raw)
	in.RotationNoticeDays = controlEvalNumber(r, "cs_rotation_notice_days", bad, raw)
	var err error
	if len(bad) == 0 {
		_, err = s.control.SaveSettings(r.Context(), a, in)
	}
	if err := controlEvalFields(err, bad, "cs_", controlEvalSettingsFields); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.formError(w, r, err, "control_eval_settings", "controleval.settings.title", &controlEvalSettingsData{Form: in, Raw: raw})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/settings")
}

// controlEvalNumber reads a whole number field; anything but a number is
// a field error, kept as typed.
func controlEvalNumber(r *http.Request, name string, bad apperr.Validation, raw map[string]string) int {
	v := strings.TrimSpace(r.FormValue(name))
	n, err := strconv.Atoi(v)
	if err != nil {
		bad[name] = "controleval.error.number"
		raw[name] = v
		return 0
	}
	return n
}

// controlEvalFields names the domain's field errors as the form does: a
// field the form has (prefix + the domain's name, or a name that ends
// with it) keeps its place; anything else is the form's as a whole
// (prefix + "form"), so its message still shows.
func controlEvalFields(err error, bad apperr.Validation, prefix string, fields []string) error {
	if err == nil && len(bad) == 0 {
		return nil
	}
	all := apperr.Validation{}
	if v, ok := apperr.AsValidation(err); ok {
		for k, msg := range v {
			name := prefix + "form"
			for _, f := range fields {
				if k == f || k == prefix+f || strings.HasSuffix(k, "."+f) || strings.HasSuffix(k, "_"+f) {
					name = prefix + f
					break
				}
			}
			all[name] = msg
		}
	} else if err != nil {
		return err
	}
	for k, msg := range bad {
		all[k] = msg
	}
	return all
}

// controlEvalPathInt reads a numeric path value ({cuid}, {cstd}, {ceid});
// a malformed one is simply not found.
func controlEvalPathInt(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("record")
	}
	return id, nil
}

// controlEvalModel is the version of the code an evaluation was answered
// on (the latest when it names none Cadran knows).
func controlEvalModel(ev control.Evaluation) frameworks.OSGG {
	if m, ok := frameworks.OSGGModel(ev.Model); ok {
		return m
	}
	m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
	return m
}

// controlEvalStatusKey is the catalogue key of a standard's status.
func controlEvalStatusKey(status string) string {
	if status == control.StatusIncomplete {
		return "control.status.none"
	}
	return "control.status." + status
}

// ControlStatus names a standard's status in the page's language.
func (p *Page) ControlStatus(status string) string { return p.T(controlEvalStatusKey(status)) }

// ControlStatusClass is the tag's style of a status.
func (p *Page) ControlStatusClass(status string) string {
	switch status {
	case control.StatusImplemented:
		return "cst-implemented"
	case control.StatusPartial:
		return "cst-partial"
	case control.StatusNotImplemented:
		return "cst-not_implemented"
	case control.StatusNotApplicable:
		return "cst-not_applicable"
	}
	return "cst-not_assessed"
}

// ControlPercent is done of total as a whole percentage, for progress bars.
func (p *Page) ControlPercent(done, total int) int {
	if total <= 0 {
		return 0
	}
	return min(100, done*100/total)
}

// controlEvalTitle is "Autoevaluarea SCIM 2026".
func controlEvalTitle(l *i18n.Localizer, ev control.Evaluation) string {
	return l.T("controleval.eval.name", "Year", ev.Year)
}
