package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

type proposalListData struct {
	Proposals []improvement.Proposal
	Filter    improvement.ProposalFilter
	States    []string
	Units     []*org.TreeNode
	Sorts     []sortLink
	Pager     pager
	Saved     savedFilterBlock
	CanSubmit bool
}

var proposalSortLabels = map[string]string{"code": "proposal.code", "title": "proposal.title", "unit": "proposal.unit", "submitted": "proposal.submitted_on",
	"state": "proposal.state"}

func proposalFilter(r *http.Request) improvement.ProposalFilter {
	q := r.URL.Query()
	return improvement.ProposalFilter{Query: q.Get("q"), State: q.Get("state"), UnitID: queryInt(r, "unit"), Mine: q.Get("mine") == "1", Sort: q.Get("sort")}
}

// proposalList lists improvement proposals.
func (s *Server) proposalList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := proposalFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	list, total, err := s.improve.Proposals(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	d := &proposalListData{Proposals: list, Filter: f, States: improvement.PropStates, Pager: pg, CanSubmit: a.Can(auth.PermImproveReport)}
	if d.Units, err = s.org.UnitOptions(r.Context(), a); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "proposals"); err != nil {
		return err
	}
	p := s.page(r, "proposal.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, proposalSortLabels, improvement.ProposalSorts())
	return s.render(w, http.StatusOK, "proposal_list", p)
}

// proposalExport sends the filtered proposals as XLSX.
func (s *Server) proposalExport(w http.ResponseWriter, r *http.Request) error {
	f := proposalFilter(r)
	f.Limit = 10000
	list, _, err := s.improve.Proposals(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	l := localizer(r)
	headers := []string{l.T("proposal.code"), l.T("proposal.submitted_on"), l.T("proposal.title"), l.T("proposal.description"), l.T("proposal.benefit"),
		l.T("proposal.unit"), l.T("proposal.process"), l.T("proposal.proposer"), l.T("proposal.state"), l.T("proposal.decided_on"), l.T("proposal.decision")}
	rows := make([][]string, 0, len(list))
	for _, p := range list {
		rows = append(rows, []string{p.Code, civilDay(l.Date, p.SubmittedOn), p.Title, p.Description, p.Benefit, p.UnitName, p.Process, p.ProposerName,
			l.T("proposal.state." + p.State), civilDay(l.Date, p.DecidedOn), p.Decision})
	}
	return sendTables(w, r, l.T("proposal.export_file"), ncTable(l.T("proposal.list_title"), headers, rows))
}

type proposalFormData struct {
	Form      improvement.ProposalInput
	Units     []*org.TreeNode
	Processes []string
}

func (s *Server) proposalFormData(r *http.Request, in improvement.ProposalInput) (*proposalFormData, error) {
	d := &proposalFormData{Form: in}
	var err error
	if d.Units, err = s.org.UnitOptions(r.Context(), actorOf(r)); err != nil {
		return nil, err
	}
	if d.Processes, err = s.processOptions(r); err != nil {
		return nil, err
	}
	return d, nil
}

// proposalNew is the form to send an improvement proposal.
func (s *Server) proposalNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermImproveReport); err != nil {
		return err
	}
	in := improvement.ProposalInput{}
	if a.PersonID != 0 {
		if p, err := s.org.Person(r.Context(), a, a.PersonID); err == nil {
			in.UnitID = p.UnitID
		}
	}
	d, err := s.proposalFormData(r, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "proposal_form", s.page(r, "proposal.new_title", d))
}

// proposalCreate records a proposal.
func (s *Server) proposalCreate(w http.ResponseWriter, r *http.Request) error {
	in := improvement.ProposalInput{Title: r.FormValue("title"), Description: r.FormValue("description"), Benefit: r.FormValue("benefit"),
		UnitID: formInt(r, "unit_id"), Process: r.FormValue("process")}
	p, err := s.improve.Submit(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "proposal.flash.submitted", "Code", p.Code)
		return redirect(w, r, proposalPath(p.ID))
	}
	d, derr := s.proposalFormData(r, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "proposal_form", "proposal.new_title", d)
}

func proposalPath(id int64) string { return "/proposals/" + strconv.FormatInt(id, 10) }

type proposalShowData struct {
	improvement.ProposalView
	Today       time.Time
	People      []org.Person
	NeedsReason map[string]bool
	PersonID    int64
	ErrAction   int64
	ActionForm  improvement.ActionInput
	DoneNote    string
}

func (s *Server) proposalShowData(r *http.Request, id int64) (*proposalShowData, error) {
	a := actorOf(r)
	v, err := s.improve.OpenProposal(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &proposalShowData{ProposalView: v, Today: work.Day(s.clock.Now()), NeedsReason: map[string]bool{}, PersonID: a.PersonID}
	for _, m := range v.Moves {
		d.NeedsReason[m] = improvement.ProposalFlow.NeedsReason(workflow.State(v.Proposal.State), m)
	}
	if v.MayPlan {
		if d.People, _, err = s.org.People(r.Context(), a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// proposalShow is a proposal with its actions and history.
func (s *Server) proposalShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.proposalShowData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "proposal.list_title", d)
	p.Title = d.Proposal.Code + " " + d.Proposal.Title
	return s.render(w, http.StatusOK, "proposal_show", p)
}

// proposalRefused re-renders a proposal's page after a refused form.
func (s *Server) proposalRefused(w http.ResponseWriter, r *http.Request, id int64, err error, keep func(d *proposalShowData)) error {
	switch apperr.KindOf(err) {
	case apperr.KindInvalid, apperr.KindConflict:
	default:
		return err
	}
	d, derr := s.proposalShowData(r, id)
	if derr != nil {
		return derr
	}
	if keep != nil {
		keep(d)
	}
	return s.formError(w, r, err, "proposal_show", "proposal.list_title", d)
}

// proposalStep evaluates, accepts or declines a proposal.
func (s *Server) proposalStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := improvement.StepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), Version: formVersion(r)}
	p, err := s.improve.ProposalStep(r.Context(), actorOf(r), id, in)
	if err != nil {
		return s.proposalRefused(w, r, id, err, nil)
	}
	s.flash(r, "proposal.flash."+in.Action, "Code", p.Code)
	return redirect(w, r, proposalPath(id))
}

// proposalActionAdd plans an improvement action.
func (s *Server) proposalActionAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := ncActionInput(r)
	if _, err := s.improve.AddProposalAction(r.Context(), actorOf(r), id, in); err != nil {
		return s.proposalRefused(w, r, id, err, func(d *proposalShowData) { d.ActionForm = in })
	}
	s.flash(r, "nc.flash.action_added")
	return redirect(w, r, proposalPath(id)+"#actions")
}

// proposalActionDone records an improvement action as carried out.
func (s *Server) proposalActionDone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := ncPathAction(r, "paid")
	if err != nil {
		return err
	}
	in := improvement.DoneInput{Note: r.FormValue("done_note"), Version: formVersion(r)}
	if _, err := s.improve.CompleteProposalAction(r.Context(), actorOf(r), id, aid, in); err != nil {
		return s.proposalRefused(w, r, id, err, func(d *proposalShowData) { d.ErrAction, d.DoneNote = aid, in.Note })
	}
	s.flash(r, "nc.flash.action_done")
	return redirect(w, r, proposalPath(id)+"#actions")
}
