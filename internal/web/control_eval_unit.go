package web

// A compartment's questionnaire: each standard its own form with a row per
// question, the standard's evidence with a search to link records, the
// submission, and the questionnaire printed as the Anexa model.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/crosswalk"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// controlEvalOptionLimit is how many records of each kind the evidence
// search offers.
const controlEvalOptionLimit = 8

// controlEvalRow is one question of the form as shown: the saved answer,
// or what was typed when the form came back with an error.
type controlEvalRow struct {
	Code        string
	Text        string
	Answer      string
	Explanation string
	Error       string // a catalogue key
}

// controlEvalStd is one standard of the questionnaire as shown.
type controlEvalStd struct {
	control.StandardAnswers
	Rows []controlEvalRow
	// Error is the form's own error (a catalogue key), Failed: this form
	// came back refused, so its rows hold what was typed.
	Error  string
	Failed bool
	// Options are the records the evidence search found for this
	// standard, Query the words searched.
	Options []control.EvidenceOption
	Query   string
}

// controlEvalComp is one component of the questionnaire with its
// standards.
type controlEvalComp struct {
	Code, Title string
	Standards   []*controlEvalStd
}

// controlEvalUnitData is the questionnaire's page.
type controlEvalUnitData struct {
	Q          control.Questionnaire
	Components []controlEvalComp
	Answers    []string
	Kinds      []string // evidence kinds that link a record
	CanManage  bool
	// Search is the standard whose evidence search ran.
	Search int
	// Crosswalk is each standard's evidence through the crosswalk of ISO
	// 9001, CAF and OSGG 600 (for those who read the crosswalk).
	Crosswalk map[int]crosswalk.Item
}

// controlEvalUnitIDs reads the evaluation and the compartment of the path.
func controlEvalUnitIDs(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	unit, err := controlEvalPathInt(r, "cuid")
	return id, unit, err
}

// controlEvalUnitRead builds the questionnaire's page; failed is the
// standard whose form came back refused with what was typed (nil: none).
func (s *Server) controlEvalUnitRead(r *http.Request, evalID, unitID int64, failed *controlEvalStd) (*controlEvalUnitData, error) {
	a := actorOf(r)
	l := localizer(r)
	q, err := s.control.Questionnaire(r.Context(), a, evalID, unitID)
	if err != nil {
		return nil, err
	}
	d := &controlEvalUnitData{Q: q, Answers: control.Answers, CanManage: a.Can(auth.PermControlManage)}
	for _, k := range control.EvidenceKinds {
		if k != control.EvidenceNote {
			d.Kinds = append(d.Kinds, k)
		}
	}
	if std, _ := strconv.Atoi(r.URL.Query().Get("std")); std > 0 && r.Method == http.MethodGet {
		d.Search = std
	}
	byNumber := map[int]*controlEvalStd{}
	for _, sa := range q.Standards {
		v := &controlEvalStd{StandardAnswers: sa}
		answers := map[string]control.Answer{}
		for _, an := range sa.Answers {
			answers[an.Question] = an
		}
		for _, qq := range sa.Standard.Questions {
			an := answers[qq.Code]
			v.Rows = append(v.Rows, controlEvalRow{Code: qq.Code, Text: qq.Text(l.Lang()), Answer: an.Answer, Explanation: an.Explanation})
		}
		if failed != nil && failed.Standard.Number == sa.Standard.Number {
			v.Rows, v.Error, v.Failed = failed.Rows, failed.Error, true
		}
		byNumber[sa.Standard.Number] = v
	}
	if d.Search > 0 && byNumber[d.Search] != nil && q.MayAnswer {
		v := byNumber[d.Search]
		v.Query = strings.TrimSpace(r.URL.Query().Get("q"))
		if v.Query != "" {
			if v.Options, err = s.control.EvidenceOptions(r.Context(), a, v.Query, controlEvalOptionLimit); err != nil {
				return nil, err
			}
		}
	}
	if a.Can(auth.PermComplianceView) {
		refs := make([]crosswalk.Ref, 0, len(q.Standards))
		for _, sa := range q.Standards {
			refs = append(refs, crosswalk.Ref{FW: crosswalk.OSGG, Code: strconv.Itoa(sa.Standard.Number)})
		}
		items, _, err := s.crosswalk.ItemsOf(r.Context(), a, refs)
		if err != nil {
			return nil, err
		}
		d.Crosswalk = map[int]crosswalk.Item{}
		for ref, it := range items {
			n, _ := strconv.Atoi(ref.Code)
			d.Crosswalk[n] = it
		}
	}
	for _, c := range q.Components {
		comp := controlEvalComp{Code: c.Code, Title: c.Title(l.Lang())}
		for _, st := range c.Standards {
			if v := byNumber[st.Number]; v != nil {
				comp.Standards = append(comp.Standards, v)
			}
		}
		d.Components = append(d.Components, comp)
	}
	return d, nil
}

func (s *Server) controlEvalUnitRender(w http.ResponseWriter, r *http.Request, status int, d *controlEvalUnitData, errKey string, errArgs map[string]any) error {
	p := s.page(r, "controleval.unit.title", d)
	p.Title = d.Q.Unit.UnitName + " · " + controlEvalTitle(localizer(r), d.Q.Evaluation)
	if errKey != "" {
		p.Error = p.T(errKey, errArgs)
	}
	return s.render(w, status, "control_eval_unit", p)
}

// controlEvalUnit is a compartment's questionnaire.
func (s *Server) controlEvalUnit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	d, err := s.controlEvalUnitRead(r, evalID, unitID, nil)
	if err != nil {
		return err
	}
	return s.controlEvalUnitRender(w, r, http.StatusOK, d, "", nil)
}

// controlEvalUnitBack is the questionnaire's address at a standard.
func controlEvalUnitBack(evalID, unitID int64, std int) string {
	u := fmt.Sprintf("/control/evaluations/%d/units/%d", evalID, unitID)
	if std > 0 {
		u += fmt.Sprintf("#std-%d", std)
	}
	return u
}

// controlEvalRefused shows the questionnaire again with the error of a
// form on it, for errors a person can fix; anything else is an error page.
func (s *Server) controlEvalRefused(w http.ResponseWriter, r *http.Request, evalID, unitID int64, failed *controlEvalStd, err error) error {
	k := apperr.KindOf(err)
	if k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.controlEvalUnitRead(r, evalID, unitID, failed)
	if derr != nil {
		return derr
	}
	key, args := "error.invalid", map[string]any(nil)
	var ae *apperr.Error
	if v, ok := apperr.AsValidation(err); ok {
		if failed == nil {
			for _, msg := range v {
				key = msg
				break
			}
		}
	} else if errors.As(err, &ae) && ae.Key != "" {
		key = ae.Key
		args = ae.Args
	}
	status := http.StatusUnprocessableEntity
	if k == apperr.KindConflict {
		status = http.StatusConflict
	}
	return s.controlEvalUnitRender(w, r, status, d, key, args)
}

// controlEvalQuestionKey tells whether a domain error's field names the
// question code.
func controlEvalQuestionKey(field, code string) bool {
	if field == code {
		return true
	}
	for _, sep := range []string{".", "_", ":", "-", "["} {
		if strings.HasSuffix(field, sep+code) || strings.HasSuffix(field, sep+code+"]") {
			return true
		}
	}
	return false
}

// controlEvalAnswer saves a compartment's answers to one standard.
func (s *Server) controlEvalAnswer(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlAnswer); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	n, err := controlEvalPathInt(r, "cstd")
	if err != nil {
		return err
	}
	std := int(n)
	ev, err := s.control.Evaluation(r.Context(), a, evalID)
	if err != nil {
		return err
	}
	st, ok := controlEvalModel(ev).Standard(std)
	if !ok {
		return apperr.NotFound("standard")
	}
	l := localizer(r)
	failed := &controlEvalStd{StandardAnswers: control.StandardAnswers{Standard: st}}
	var in []control.AnswerInput
	bad := false
	for _, q := range st.Questions {
		row := controlEvalRow{Code: q.Code, Text: q.Text(l.Lang()), Answer: r.FormValue("a_" + q.Code), Explanation: strings.TrimSpace(r.FormValue("x_" + q.Code))}
		if row.Answer != "" && !slices.Contains(control.Answers, row.Answer) {
			row.Error, bad = "controleval.error.answer", true
		}
		failed.Rows = append(failed.Rows, row)
		in = append(in, control.AnswerInput{Question: q.Code, Answer: row.Answer, Explanation: row.Explanation})
	}
	if bad {
		err = apperr.Validation{"answers": "controleval.error.answer"}
	} else {
		err = s.control.SaveAnswersAt(r.Context(), a, evalID, unitID, std, r.FormValue("token"), in)
	}
	if err != nil {
		if v, ok := apperr.AsValidation(err); ok {
			for field, msg := range v {
				placed := false
				for i := range failed.Rows {
					if controlEvalQuestionKey(field, failed.Rows[i].Code) {
						failed.Rows[i].Error, placed = msg, true
					}
				}
				if !placed && failed.Error == "" {
					failed.Error = msg
				}
			}
			if failed.Error == "" {
				failed.Error = "controleval.error.answers"
			}
		}
		return s.controlEvalRefused(w, r, evalID, unitID, failed, err)
	}
	s.flash(r, "controleval.flash.answered", "Standard", std)
	return redirect(w, r, controlEvalUnitBack(evalID, unitID, std))
}

// controlEvalEvidenceAdd links a record found by the search, or writes a
// note, as evidence of a standard.
func (s *Server) controlEvalEvidenceAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlAnswer); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	std, _ := strconv.Atoi(r.FormValue("ev_standard"))
	in := control.EvidenceInput{Standard: std, Question: strings.TrimSpace(r.FormValue("ev_question")), Notes: strings.TrimSpace(r.FormValue("ev_notes"))}
	if pick := r.FormValue("ev_pick"); pick != "" {
		// The record is looked up again among what the search offers, so
		// only a record of the institution is linked, with its own title.
		opts, err := s.control.EvidenceOptions(r.Context(), a, strings.TrimSpace(r.FormValue("ev_q")), controlEvalOptionLimit)
		if err != nil {
			return err
		}
		for _, o := range opts {
			if o.Entity+":"+strconv.FormatInt(o.EntityID, 10) == pick {
				in.Kind, in.Entity, in.EntityID, in.Title, in.Href = o.Kind, o.Entity, o.EntityID, o.Title, o.Href
			}
		}
		if in.Entity == "" {
			err = apperr.Validation{"ev_pick": "controleval.error.pick"}
			return s.controlEvalRefused(w, r, evalID, unitID, nil, err)
		}
	} else {
		in.Kind, in.Title = control.EvidenceNote, strings.TrimSpace(r.FormValue("ev_title"))
	}
	if _, err := s.control.AddEvidence(r.Context(), a, evalID, unitID, in); err != nil {
		return s.controlEvalRefused(w, r, evalID, unitID, nil, err)
	}
	s.flash(r, "controleval.flash.evidence_added")
	return redirect(w, r, controlEvalUnitBack(evalID, unitID, std))
}

// controlEvalEvidenceDelete removes a piece of evidence.
func (s *Server) controlEvalEvidenceDelete(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlAnswer); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	eid, err := controlEvalPathInt(r, "ceid")
	if err != nil {
		return err
	}
	if err := s.control.RemoveEvidence(r.Context(), a, evalID, unitID, eid); err != nil {
		return s.controlEvalRefused(w, r, evalID, unitID, nil, err)
	}
	std, _ := strconv.Atoi(r.FormValue("ev_standard"))
	s.flash(r, "controleval.flash.evidence_removed")
	return redirect(w, r, controlEvalUnitBack(evalID, unitID, std))
}

// controlEvalUnitSubmit submits the questionnaire.
func (s *Server) controlEvalUnitSubmit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlAnswer); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	if err := s.control.SubmitUnit(r.Context(), a, evalID, unitID); err != nil {
		return s.controlEvalRefused(w, r, evalID, unitID, nil, err)
	}
	s.flash(r, "controleval.flash.submitted")
	return redirect(w, r, controlEvalUnitBack(evalID, unitID, 0))
}

// controlEvalUnitReopen sends a submitted questionnaire back.
func (s *Server) controlEvalUnitReopen(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	if err := s.control.ReopenUnit(r.Context(), a, evalID, unitID); err != nil {
		return s.controlEvalRefused(w, r, evalID, unitID, nil, err)
	}
	s.flash(r, "controleval.flash.reopened")
	return redirect(w, r, controlEvalUnitBack(evalID, unitID, 0))
}

// controlEvalUnitPDF prints the questionnaire as the Anexa model: the
// compartment, its head and the date, then per standard its questions
// with the answer, the explanation and the standard's status.
func (s *Server) controlEvalUnitPDF(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	evalID, unitID, err := controlEvalUnitIDs(r)
	if err != nil {
		return err
	}
	q, err := s.control.Questionnaire(r.Context(), a, evalID, unitID)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return err
	}
	l := localizer(r)
	rep := controlEvalQuestionnaireReport(l, inst.Name, q, s.clock.Now().Format("2006-01-02"))
	name := l.T("controleval.unit.file", "Year", q.Evaluation.Year) + " " + q.Unit.UnitName
	return sendFile(w, name, "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, rep) })
}

// controlEvalQuestionnaireReport lays the questionnaire out for print.
func controlEvalQuestionnaireReport(l *i18n.Localizer, institution string, q control.Questionnaire, today string) report.CaseReport {
	day := func(v string) string { return civilDay(l.Date, v) }
	or := func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "—"
		}
		return v
	}
	date := day(today)
	if q.Unit.SubmittedAt != nil {
		date = l.Date(*q.Unit.SubmittedAt)
	}
	rep := report.CaseReport{Institution: institution, Title: l.T("controleval.unit.pdf_title"),
		Subtitle: l.T("controleval.unit.pdf_subtitle", "Year", q.Evaluation.Year),
		Footer:   "Cadran · " + controlEvalTitle(l, q.Evaluation) + " · " + q.Unit.UnitName, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("controleval.unit.pdf_general"), Fields: [][2]string{
		{l.T("controleval.unit.compartment"), q.Unit.UnitName},
		{l.T("controleval.unit.head"), or(q.Unit.HeadName)},
		{l.T("controleval.unit.state"), l.T("control.unit.state." + q.Unit.State)},
		{l.T("controleval.unit.date"), or(date)},
	}})
	byNumber := map[int]control.StandardAnswers{}
	for _, sa := range q.Standards {
		byNumber[sa.Standard.Number] = sa
	}
	for _, c := range q.Components {
		t := &report.ReportTable{Columns: []string{l.T("controleval.unit.criterion"), l.T("controleval.unit.answer"), l.T("controleval.unit.explanation"),
			l.T("controleval.unit.status")}, Widths: []float64{3.6, 1, 3, 1.3}}
		for _, st := range c.Standards {
			sa, ok := byNumber[st.Number]
			if !ok {
				continue
			}
			var ev []string
			for _, e := range sa.Evidence {
				ev = append(ev, e.Title)
			}
			evText := ""
			if len(ev) > 0 {
				evText = l.T("controleval.unit.evidence") + ": " + strings.Join(ev, "; ")
			}
			t.Rows = append(t.Rows, []string{l.T("controleval.standard.name", "Number", st.Number) + " " + st.Title(l.Lang()), "", evText, l.T(controlEvalStatusKey(sa.Status))})
			answers := map[string]control.Answer{}
			for _, an := range sa.Answers {
				answers[an.Question] = an
			}
			for _, qq := range st.Questions {
				an := answers[qq.Code]
				answer := "—"
				if an.Answer != "" {
					answer = l.T("control.answer." + an.Answer)
				}
				t.Rows = append(t.Rows, []string{qq.Code + " " + qq.Text(l.Lang()), answer, an.Explanation, ""})
			}
		}
		rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("controleval.component.name", "Code", c.Code) + " " + c.Title(l.Lang()), Table: t})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("controleval.unit.pdf_sign"), Fields: [][2]string{
		{l.T("controleval.unit.head"), or(q.Unit.HeadName)},
		{l.T("controleval.sign.signature"), "________________________"},
		{l.T("controleval.sign.date"), or(date)},
	}})
	return rep
}
