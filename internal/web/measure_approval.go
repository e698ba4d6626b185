package web

import (
	"errors"
	"net/http"

	"cadran/internal/apperr"
	"cadran/internal/scorecard"
)

// approvalItem is a pending value with its KPI, for the approvals page.
type approvalItem struct {
	M   scorecard.Measurement
	KPI scorecard.KPI
}

type approvalData struct {
	Items []approvalItem
	// Reject is the id whose rejection lacked a reason, to mark its field.
	Reject int64
}

// approvalList lists the values the actor may approve, oldest first.
func (s *Server) approvalList(w http.ResponseWriter, r *http.Request) error {
	d, err := s.approvalLoad(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "measure_approvals", s.page(r, "scorecard.approval.title", d))
}

func (s *Server) approvalLoad(r *http.Request) (*approvalData, error) {
	ctx := r.Context()
	a := actorOf(r)
	ms, err := s.scorecard.PendingApprovals(ctx, a)
	if err != nil {
		return nil, err
	}
	d := &approvalData{}
	kpis := map[int64]scorecard.KPI{}
	for _, m := range ms {
		k, ok := kpis[m.KPIID]
		if !ok {
			if k, err = s.scorecard.KPI(ctx, a, m.KPIID); err != nil {
				return nil, err
			}
			kpis[m.KPIID] = k
		}
		d.Items = append(d.Items, approvalItem{M: m, KPI: k})
	}
	return d, nil
}

// measureApprove puts a pending value in force.
func (s *Server) measureApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	m, err := s.scorecard.Measurement(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := s.scorecard.Approve(r.Context(), a, id, formVersion(r)); err != nil {
		return s.approvalError(w, r, err, 0)
	}
	s.flash(r, "scorecard.approval.flash.approved", "Code", m.KPICode, "Period", kpiPeriodLabel(r, m.Period))
	return redirect(w, r, approvalBack(r))
}

// measureReject refuses a pending value with a reason; the person who
// entered it gets a task to enter it again.
func (s *Server) measureReject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	m, err := s.scorecard.Measurement(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := s.scorecard.Reject(r.Context(), a, id, formVersion(r), r.FormValue("reason")); err != nil {
		return s.approvalError(w, r, err, id)
	}
	s.flash(r, "scorecard.approval.flash.rejected", "Code", m.KPICode, "Period", kpiPeriodLabel(r, m.Period))
	return redirect(w, r, approvalBack(r))
}

// approvalError shows the approvals page again with the problem: a
// missing reason, or a value someone else decided on meanwhile.
func (s *Server) approvalError(w http.ResponseWriter, r *http.Request, err error, rejectID int64) error {
	v, isV := apperr.AsValidation(err)
	var ae *apperr.Error
	if !isV && !(errors.As(err, &ae) && ae.Kind == apperr.KindConflict) {
		return err
	}
	d, lerr := s.approvalLoad(r)
	if lerr != nil {
		return lerr
	}
	p := s.page(r, "scorecard.approval.title", d)
	if isV {
		d.Reject = rejectID
		for _, key := range v {
			p.Error = p.T(key)
		}
		return s.render(w, http.StatusUnprocessableEntity, "measure_approvals", p)
	}
	p.Error = p.T(ae.Key, ae.Args)
	return s.render(w, http.StatusConflict, "measure_approvals", p)
}

// approvalBack is where a decision returns: the page it was taken on.
func approvalBack(r *http.Request) string {
	if back := sameSiteReferer(r); back != "/" {
		return back
	}
	return "/scorecard/approvals"
}

func kpiPeriodLabel(r *http.Request, key string) string {
	p, err := scorecard.ParsePeriod(key)
	if err != nil {
		return key
	}
	return p.Label(localizer(r).Lang())
}
