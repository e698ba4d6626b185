package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/caf"
	"cadran/internal/frameworks"
)

// cafAssessItem is one sub-criterion of the actor's own assessment.
type cafAssessItem struct {
	Sub        frameworks.CAFSub
	Assessment caf.Assessment
	Started    bool // something was written or scored
}

// cafAssessGroup is a criterion's sub-criteria in the assessment list.
type cafAssessGroup struct {
	Criterion frameworks.CAFCriterion
	Items     []cafAssessItem
}

type cafAssessListData struct {
	Cycle     caf.Cycle
	IsMember  bool
	Submitted *time.Time
	Groups    []cafAssessGroup
	Scored    int
	Total     int
	Missing   []string // codes of the sub-criteria not yet scored
	// Open: the cycle is in individual assessment, so the member may write.
	Open bool
}

// cafMember returns the actor's membership of the cycle's group, if any.
func (s *Server) cafMember(r *http.Request, cycleID int64) (*caf.Member, error) {
	a := actorOf(r)
	if a.PersonID == 0 {
		return nil, nil
	}
	ms, err := s.caf.Members(r.Context(), a, cycleID)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		if ms[i].PersonID == a.PersonID {
			return &ms[i], nil
		}
	}
	return nil, nil
}

// cafAssessList is the actor's own assessment: the sub-criteria grouped by
// criterion, their progress and the Submit button.
func (s *Server) cafAssessList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafAssessListData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "caf.assess.title", d)
	p.Title = p.T("caf.assess.title") + " · " + d.Cycle.Code
	return s.render(w, http.StatusOK, "caf_assess_list", p)
}

func (s *Server) cafAssessListData(r *http.Request, id int64) (*cafAssessListData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.caf.Cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	m := c.CAF()
	d := &cafAssessListData{Cycle: c, Total: len(m.Subs()), Open: c.State == caf.StateAssessing}
	me, err := s.cafMember(r, id)
	if err != nil {
		return nil, err
	}
	if me != nil {
		d.IsMember, d.Submitted = true, me.SubmittedAt
		mine, err := s.caf.MyAssessment(ctx, a, id)
		if err != nil {
			return nil, err
		}
		bySub := map[string]caf.Assessment{}
		for _, x := range mine {
			bySub[x.Sub] = x
		}
		for _, crit := range m.Criteria {
			g := cafAssessGroup{Criterion: crit}
			for _, sub := range crit.Sub {
				x := bySub[sub.Code]
				it := cafAssessItem{Sub: sub, Assessment: x, Started: x.ID != 0 || x.Evidence != "" || x.Strengths != "" || x.Improvements != ""}
				if x.Score != nil {
					d.Scored++
				} else {
					d.Missing = append(d.Missing, sub.Code)
				}
				g.Items = append(g.Items, it)
			}
			d.Groups = append(d.Groups, g)
		}
	}
	return d, nil
}

type cafAssessFormData struct {
	Cycle     caf.Cycle
	Criterion frameworks.CAFCriterion
	Sub       frameworks.CAFSub
	Enabler   bool
	Evidence  []caf.Evidence
	IsMember  bool
	Submitted bool
	Open      bool
	// ReadOnly: the member has submitted, or the cycle is past assessment.
	ReadOnly   bool
	Assessment caf.Assessment
	// Form holds the numbers as typed, so a refused form shows them again.
	Form     cafScoreForm
	Prev     string // the previous sub-criterion's code
	Next     string // the next one's
	Position int
	Total    int
}

// cafScoreForm is a score form's text as typed.
type cafScoreForm struct {
	Score, Plan, Do, Check, Act, Trend, Target string
	Evidence, Strengths, Improvements          string
	AgreedOn                                   string
	Version                                    int
}

// cafScoreText writes Scores for a form in the page's language.
func cafScoreText(lang string, sc caf.Scores) cafScoreForm {
	return cafScoreForm{Score: kpiFormNumber(lang, sc.Score), Plan: kpiFormNumber(lang, sc.Plan), Do: kpiFormNumber(lang, sc.Do), Check: kpiFormNumber(lang, sc.Check),
		Act: kpiFormNumber(lang, sc.Act), Trend: kpiFormNumber(lang, sc.Trend), Target: kpiFormNumber(lang, sc.Target)}
}

// cafReadScores reads a score form: the numbers of the cycle's panel (the
// others stay nil), and the text as typed; a number that is not one is a
// validation error on its field.
func cafReadScores(r *http.Request, panel string, enabler bool) (caf.Scores, cafScoreForm, apperr.Validation) {
	f := cafScoreForm{Score: r.FormValue("caf_score"), Plan: r.FormValue("caf_plan"), Do: r.FormValue("caf_do"), Check: r.FormValue("caf_check"),
		Act: r.FormValue("caf_act"), Trend: r.FormValue("caf_trend"), Target: r.FormValue("caf_target"),
		Evidence: r.FormValue("caf_evidence"), Strengths: r.FormValue("caf_strengths"), Improvements: r.FormValue("caf_improvements"),
		AgreedOn: strings.TrimSpace(r.FormValue("caf_agreed_on")), Version: formVersion(r)}
	var sc caf.Scores
	bad := apperr.Validation{}
	read := func(field, text string, into **float64) {
		v, ok := kpiParseNumber(text)
		if !ok {
			bad[field] = "caf.assess.error_number"
			return
		}
		*into = v
	}
	switch {
	case panel == caf.PanelFineTuned && enabler:
		read("caf_plan", f.Plan, &sc.Plan)
		read("caf_do", f.Do, &sc.Do)
		read("caf_check", f.Check, &sc.Check)
		read("caf_act", f.Act, &sc.Act)
	case panel == caf.PanelFineTuned:
		read("caf_trend", f.Trend, &sc.Trend)
		read("caf_target", f.Target, &sc.Target)
	default:
		read("caf_score", f.Score, &sc.Score)
	}
	return sc, f, bad
}

// cafAssessData gathers a sub-criterion's assessment page.
func (s *Server) cafAssessData(r *http.Request, id int64) (*cafAssessFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.caf.Cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	m := c.CAF()
	sub, err := cafPathSub(r, m)
	if err != nil {
		return nil, err
	}
	crit, _ := m.Criterion(sub.Code)
	d := &cafAssessFormData{Cycle: c, Criterion: crit, Sub: sub, Enabler: m.IsEnabler(sub.Code), Open: c.State == caf.StateAssessing}
	subs := m.Subs()
	d.Total = len(subs)
	for i, x := range subs {
		if x.Code == sub.Code {
			d.Position = i + 1
			if i > 0 {
				d.Prev = subs[i-1].Code
			}
			if i+1 < len(subs) {
				d.Next = subs[i+1].Code
			}
		}
	}
	all, err := s.caf.EvidenceOf(ctx, a, id)
	if err != nil {
		return nil, err
	}
	for _, e := range all {
		if e.Sub == sub.Code {
			d.Evidence = append(d.Evidence, e)
		}
	}
	me, err := s.cafMember(r, id)
	if err != nil {
		return nil, err
	}
	if me != nil {
		d.IsMember, d.Submitted = true, me.SubmittedAt != nil
		mine, err := s.caf.MyAssessment(ctx, a, id)
		if err != nil {
			return nil, err
		}
		for _, x := range mine {
			if x.Sub == sub.Code {
				d.Assessment = x
			}
		}
		d.Form = cafScoreText(localizer(r).Lang(), d.Assessment.Scores)
		d.Form.Evidence, d.Form.Strengths, d.Form.Improvements, d.Form.Version = d.Assessment.Evidence, d.Assessment.Strengths, d.Assessment.Improvements, d.Assessment.Version
	}
	d.ReadOnly = !d.IsMember || d.Submitted || !d.Open
	return d, nil
}

func (s *Server) cafAssessPage(r *http.Request, d *cafAssessFormData) *Page {
	p := s.page(r, "caf.assess.title", d)
	p.Title = d.Sub.Code + " " + d.Sub.Title(p.Lang) + " · " + d.Cycle.Code
	return p
}

// cafAssessForm is one sub-criterion of the actor's assessment: its
// description, examples and evidence, and the form.
func (s *Server) cafAssessForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafAssessData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "caf_assess_form", s.cafAssessPage(r, d))
}

// cafAssessSave saves one sub-criterion of the actor's assessment; "save
// and next" goes on to the next sub-criterion.
func (s *Server) cafAssessSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafAssessData(r, id)
	if err != nil {
		return err
	}
	sc, form, bad := cafReadScores(r, d.Cycle.Panel, d.Enabler)
	if len(bad) > 0 {
		d.Form = form
		return s.cafFormPageError(w, s.cafAssessPage(r, d), "caf_assess_form", bad)
	}
	in := caf.AssessmentInput{Sub: d.Sub.Code, Evidence: form.Evidence, Strengths: form.Strengths, Improvements: form.Improvements, Scores: sc, Version: form.Version}
	if _, err := s.caf.SaveAssessment(r.Context(), actorOf(r), id, in); err != nil {
		if k := apperr.KindOf(err); k == apperr.KindForbidden || k == apperr.KindNotFound {
			return err
		}
		d.Form = form
		return s.cafFormPageError(w, s.cafAssessPage(r, d), "caf_assess_form", err)
	}
	s.flash(r, "caf.assess.flash_saved", "Sub", d.Sub.Code)
	base := "/caf/" + strconv.FormatInt(id, 10) + "/assess"
	if r.FormValue("next") != "" && d.Next != "" {
		return redirect(w, r, base+"/"+d.Next)
	}
	if r.FormValue("next") != "" {
		return redirect(w, r, base)
	}
	return redirect(w, r, base+"/"+d.Sub.Code)
}

// cafSubmit hands in the actor's assessment.
func (s *Server) cafSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.caf.Submit(r.Context(), actorOf(r), id); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.cafAssessListData(r, id)
		if derr != nil {
			return derr
		}
		p := s.page(r, "caf.assess.title", d)
		p.Title = p.T("caf.assess.title") + " · " + d.Cycle.Code
		p.Error = p.T("caf.assess.submit_refused")
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Key != "" {
			p.Error = p.T(ae.Key, ae.Args)
		}
		status := http.StatusUnprocessableEntity
		if apperr.KindOf(err) == apperr.KindConflict {
			status = http.StatusConflict
		}
		return s.render(w, status, "caf_assess_list", p)
	}
	s.flash(r, "caf.assess.flash_submitted")
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10)+"/assess")
}

// cafFormPageError renders a page whose form was refused: a validation
// error marks its fields, a conflict (a lost race, a rule of the cycle) is
// said above the form; anything else is the error page.
func (s *Server) cafFormPageError(w http.ResponseWriter, p *Page, tmpl string, err error) error {
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors, p.Error = v, p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, tmpl, p)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind == apperr.KindConflict {
		p.Error = p.T(ae.Key, ae.Args)
		return s.render(w, http.StatusConflict, tmpl, p)
	}
	return err
}
