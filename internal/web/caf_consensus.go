package web

import (
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/caf"
	"cadran/internal/frameworks"
)

// cafBoardRow is a sub-criterion's row of the consensus table.
type cafBoardRow struct {
	Sub  frameworks.CAFSub
	View caf.SubView
}

// cafBoardGroup is a criterion's rows.
type cafBoardGroup struct {
	Criterion frameworks.CAFCriterion
	Rows      []cafBoardRow
}

// cafBoardMember is a column of the consensus table.
type cafBoardMember struct {
	PersonID  int64
	Name      string
	Submitted bool
}

type cafBoardData struct {
	Cycle     caf.Cycle
	Members   []cafBoardMember
	Groups    []cafBoardGroup
	Agreed    int
	Wide      int
	Total     int
	Spread    float64 // the spread highlighted, caf.WideSpread
	MayManage bool
	// Hidden: some scores are hidden from the reader (they or others have
	// not submitted yet).
	Hidden bool
}

// cafBoard is the consensus table: every member's score side by side, the
// mean, the range, the spread highlighted, the consensus.
func (s *Server) cafBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.caf.Cycle(ctx, a, id)
	if err != nil {
		return err
	}
	views, err := s.caf.Board(ctx, a, id)
	if err != nil {
		return err
	}
	m := c.CAF()
	d := &cafBoardData{Cycle: c, Total: len(views), Spread: caf.WideSpread, MayManage: caf.MayManage(a, c)}
	byCode := map[string]caf.SubView{}
	seen := map[int64]bool{}
	for _, v := range views {
		byCode[v.Sub] = v
		for _, ms := range v.Members {
			if !seen[ms.PersonID] {
				seen[ms.PersonID] = true
				d.Members = append(d.Members, cafBoardMember{PersonID: ms.PersonID, Name: ms.Name, Submitted: ms.Submitted})
			}
			if ms.Hidden {
				d.Hidden = true
			}
		}
		if v.Consensus != nil && v.Consensus.Score != nil {
			d.Agreed++
		}
		if v.Wide {
			d.Wide++
		}
	}
	for _, crit := range m.Criteria {
		g := cafBoardGroup{Criterion: crit}
		for _, sub := range crit.Sub {
			g.Rows = append(g.Rows, cafBoardRow{Sub: sub, View: cafAlign(byCode[sub.Code], d.Members)})
		}
		d.Groups = append(d.Groups, g)
	}
	p := s.page(r, "caf.board.title", d)
	p.Title = p.T("caf.board.title") + " · " + c.Code
	return s.render(w, http.StatusOK, "caf_board", p)
}

// cafAlign orders a view's member scores as the table's columns, a blank
// hidden cell for a member the view lacks.
func cafAlign(v caf.SubView, cols []cafBoardMember) caf.SubView {
	by := map[int64]caf.MemberScore{}
	for _, ms := range v.Members {
		by[ms.PersonID] = ms
	}
	out := make([]caf.MemberScore, len(cols))
	for i, c := range cols {
		ms, ok := by[c.PersonID]
		if !ok {
			ms = caf.MemberScore{PersonID: c.PersonID, Name: c.Name, Hidden: true}
		}
		out[i] = ms
	}
	v.Members = out
	return v
}

type cafSubBoardData struct {
	Cycle     caf.Cycle
	Criterion frameworks.CAFCriterion
	Sub       frameworks.CAFSub
	Enabler   bool
	View      caf.SubView
	Evidence  []caf.Evidence
	MayManage bool
	// Open: the cycle is in consensus, so the consensus may be recorded.
	Open bool
	Form cafScoreForm
	Prev string
	Next string
}

func (s *Server) cafSubBoardData(r *http.Request, id int64) (*cafSubBoardData, error) {
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
	d := &cafSubBoardData{Cycle: c, Criterion: crit, Sub: sub, Enabler: m.IsEnabler(sub.Code), MayManage: caf.MayManage(a, c), Open: c.State == caf.StateConsensus}
	subs := m.Subs()
	for i, x := range subs {
		if x.Code == sub.Code {
			if i > 0 {
				d.Prev = subs[i-1].Code
			}
			if i+1 < len(subs) {
				d.Next = subs[i+1].Code
			}
		}
	}
	if d.View, err = s.caf.SubBoard(ctx, a, id, sub.Code); err != nil {
		return nil, err
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
	if cs := d.View.Consensus; cs != nil {
		d.Form = cafScoreText(localizer(r).Lang(), cs.Scores)
		d.Form.Strengths, d.Form.Improvements, d.Form.AgreedOn, d.Form.Version = cs.Strengths, cs.Improvements, cs.AgreedOn, cs.Version
	} else {
		// Start from the members' mean on the classical panel, rounded.
		if c.Panel == caf.PanelClassical && d.View.Mean != nil {
			mean := float64(int(*d.View.Mean + 0.5))
			d.Form.Score = kpiFormNumber(localizer(r).Lang(), &mean)
		}
		d.Form.AgreedOn = s.clock.Now().Format("2006-01-02")
	}
	return d, nil
}

func (s *Server) cafSubBoardPage(r *http.Request, d *cafSubBoardData) *Page {
	p := s.page(r, "caf.board.title", d)
	p.Title = p.T("caf.board.title") + " " + d.Sub.Code + " · " + d.Cycle.Code
	return p
}

// cafSubBoard is a sub-criterion's consensus: every visible member's
// evidence, strengths and areas for improvement side by side, and the form.
func (s *Server) cafSubBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafSubBoardData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "caf_sub_board", s.cafSubBoardPage(r, d))
}

// cafConsensusSave records a sub-criterion's consensus.
func (s *Server) cafConsensusSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafSubBoardData(r, id)
	if err != nil {
		return err
	}
	sc, form, bad := cafReadScores(r, d.Cycle.Panel, d.Enabler)
	if len(bad) > 0 {
		d.Form = form
		return s.cafFormPageError(w, s.cafSubBoardPage(r, d), "caf_sub_board", bad)
	}
	in := caf.ConsensusInput{Sub: d.Sub.Code, Scores: sc, Strengths: form.Strengths, Improvements: form.Improvements, AgreedOn: form.AgreedOn, Version: form.Version}
	if _, err := s.caf.SaveConsensus(r.Context(), actorOf(r), id, in); err != nil {
		if k := apperr.KindOf(err); k == apperr.KindForbidden || k == apperr.KindNotFound {
			return err
		}
		d.Form = form
		return s.cafFormPageError(w, s.cafSubBoardPage(r, d), "caf_sub_board", err)
	}
	s.flash(r, "caf.board.flash_saved", "Sub", d.Sub.Code)
	base := "/caf/" + strconv.FormatInt(id, 10) + "/consensus"
	if r.FormValue("next") != "" && d.Next != "" {
		return redirect(w, r, base+"/"+d.Next)
	}
	return redirect(w, r, base+"#sub-"+d.Sub.Code)
}
