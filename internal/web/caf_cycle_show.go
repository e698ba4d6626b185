package web

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/org"
)

// cafPhase is one of the three phases of the ten steps.
type cafPhase struct {
	Key   string // start, assessment, improvement
	Steps []caf.Step
}

// cafPhaseOf is the phase of step n: start 1-2, self-assessment 3-6,
// improvement 7-10.
func cafPhaseOf(n int) string {
	switch {
	case n <= 2:
		return "start"
	case n <= 6:
		return "assessment"
	}
	return "improvement"
}

type cafShowData struct {
	Cycle       caf.Cycle
	Phases      []cafPhase
	Members     []caf.Member
	Subs        int // sub-criteria in the cycle's model
	Actions     []string
	NeedsReason map[string]bool
	MayManage   bool
	IsMember    bool
	// Narrow: the group does not span several units or both levels.
	Narrow     bool
	Mix        caf.GroupMix
	People     []org.Person // for the member form
	Roles      []string
	History    []audit.Stored
	StepsDone  int
	MemberForm caf.MemberInput
	// ErrStep is the step whose form was refused (its fields carry the
	// error summary's anchors); StepForm is what was typed.
	ErrStep  int
	StepForm caf.Step
}

func (s *Server) cafShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafShowData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "caf.list.title", d)
	p.Title = d.Cycle.Code + " " + clipTitle(d.Cycle.Title)
	return s.render(w, http.StatusOK, "caf_show", p)
}

func (s *Server) cafShowData(r *http.Request, id int64) (*cafShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.caf.Cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &cafShowData{Cycle: c, Subs: len(c.CAF().Subs()), MayManage: caf.MayManage(a, c), Actions: s.caf.Actions(ctx, a, c),
		NeedsReason: map[string]bool{}, Roles: []string{caf.RoleMember, caf.RoleLeader}, MemberForm: caf.MemberInput{Role: caf.RoleMember}}
	for _, act := range d.Actions {
		d.NeedsReason[act] = caf.NeedsReason(c, act)
	}
	steps, err := s.caf.StepsOf(ctx, a, id)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		key := cafPhaseOf(st.N)
		if len(d.Phases) == 0 || d.Phases[len(d.Phases)-1].Key != key {
			d.Phases = append(d.Phases, cafPhase{Key: key})
		}
		d.Phases[len(d.Phases)-1].Steps = append(d.Phases[len(d.Phases)-1].Steps, st)
		if st.DoneOn != "" {
			d.StepsDone++
		}
	}
	if d.Members, err = s.caf.Members(ctx, a, id); err != nil {
		return nil, err
	}
	for _, m := range d.Members {
		if a.PersonID != 0 && m.PersonID == a.PersonID {
			d.IsMember = true
		}
	}
	d.Mix = caf.Mix(d.Members)
	d.Narrow = len(d.Members) > 0 && (d.Mix.Units < 2 || d.Mix.Management == 0 || d.Mix.Execution == 0)
	if d.MayManage && c.State != caf.StateClosed && c.State != caf.StateCancelled {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: caf.EntityCycle, EntityID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// cafShowError shows the cycle page again with a form's errors.
func (s *Server) cafShowError(w http.ResponseWriter, r *http.Request, id int64, err error, fill func(d *cafShowData)) error {
	if k := apperr.KindOf(err); k == apperr.KindForbidden || k == apperr.KindNotFound {
		return err
	}
	d, derr := s.cafShowData(r, id)
	if derr != nil {
		return derr
	}
	if fill != nil {
		fill(d)
	}
	p := s.page(r, "caf.list.title", d)
	p.Title = d.Cycle.Code + " " + clipTitle(d.Cycle.Title)
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors, p.Error = v, p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, "caf_show", p)
	}
	if apperr.KindOf(err) == apperr.KindConflict {
		return s.formError(w, r, err, "caf_show", "caf.list.title", d)
	}
	return err
}

// cafFire moves a cycle through its workflow.
func (s *Server) cafFire(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	action := r.FormValue("action")
	if _, err := s.caf.Fire(r.Context(), actorOf(r), id, action, formVersion(r), strings.TrimSpace(r.FormValue("reason"))); err != nil {
		return s.cafShowError(w, r, id, err, nil)
	}
	s.flash(r, "caf.show.flash."+action)
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10))
}

// cafStep records a step's planned date, done date and notes.
func (s *Server) cafStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > caf.Steps {
		return apperr.NotFound("caf_step")
	}
	st := caf.Step{N: n, PlannedOn: strings.TrimSpace(r.FormValue("caf_step_planned")), DoneOn: strings.TrimSpace(r.FormValue("caf_step_done")),
		Notes: strings.TrimSpace(r.FormValue("caf_step_notes"))}
	if err := s.caf.SetStep(r.Context(), actorOf(r), id, st); err != nil {
		return s.cafShowError(w, r, id, err, func(d *cafShowData) { d.ErrStep, d.StepForm = n, st })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10)+"#step-"+strconv.Itoa(n))
}

// cafMemberAdd adds a person to the self-assessment group.
func (s *Server) cafMemberAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := caf.MemberInput{PersonID: formInt(r, "caf_member"), Role: r.FormValue("caf_role")}
	if in.Role == "" {
		in.Role = caf.RoleMember
	}
	if err := s.caf.AddMember(r.Context(), actorOf(r), id, in); err != nil {
		return s.cafShowError(w, r, id, err, func(d *cafShowData) { d.MemberForm = in })
	}
	s.flash(r, "caf.show.flash.member_added")
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10)+"#group")
}

// cafMemberRemove takes a person out of the group.
func (s *Server) cafMemberRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil || pid <= 0 {
		return apperr.NotFound("caf_member")
	}
	if err := s.caf.RemoveMember(r.Context(), actorOf(r), id, pid); err != nil {
		return s.cafShowError(w, r, id, err, nil)
	}
	s.flash(r, "caf.show.flash.member_removed")
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10)+"#group")
}

// cafNext starts the next cycle from a closed one.
func (s *Server) cafNext(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.caf.NextCycle(r.Context(), actorOf(r), id)
	if err != nil {
		return s.cafShowError(w, r, id, err, nil)
	}
	s.flash(r, "caf.show.flash.next", "Code", c.Code)
	return redirect(w, r, "/caf/"+strconv.FormatInt(c.ID, 10))
}
