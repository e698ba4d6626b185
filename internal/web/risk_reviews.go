package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/work"
)

type riskReviewsData struct {
	Year      int
	Years     []int
	Reviews   []risks.RegisterReview
	Units     []*org.TreeNode
	Info      risks.YearInfo
	Form      risks.RegisterReviewInput
	Today     time.Time
	CanManage bool
	// CanRecord: the team, or a head of unit (for the units they lead).
	CanRecord bool
}

func (s *Server) riskReviewsData(r *http.Request, year int) (*riskReviewsData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &riskReviewsData{Year: year, Today: work.Day(s.clock.Now()), CanManage: a.Can(auth.PermRisksManage),
		CanRecord: a.Can(auth.PermRisksManage) || a.HasRole(auth.RoleHeadOfUnit), Form: risks.RegisterReviewInput{Year: year}}
	var err error
	if d.Years, err = s.risks.Years(ctx, a); err != nil {
		return nil, err
	}
	if d.Reviews, err = s.risks.RegisterReviews(ctx, a, year); err != nil {
		return nil, err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.Info, err = s.risks.YearInfo(ctx, a, year); err != nil {
		return nil, err
	}
	return d, nil
}

// riskRegisterReviews lists the reviews of a year's register and offers to
// record one, and to start next year's register from this one.
func (s *Server) riskRegisterReviews(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if year == 0 {
		year = risks.Year(s.clock.Now())
	}
	d, err := s.riskReviewsData(r, year)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "risk_reviews", s.page(r, "risks.reviews_title", d))
}

// riskRegisterReviewCreate records a review of the register.
func (s *Server) riskRegisterReviewCreate(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.FormValue("risk_year"))
	in := risks.RegisterReviewInput{Year: year, UnitID: formInt(r, "unit_id"), ReviewedOn: r.FormValue("risk_reviewed_on"), Conclusion: r.FormValue("risk_conclusion")}
	if _, err := s.risks.RecordRegisterReview(r.Context(), actorOf(r), in); err != nil {
		if year < 2000 {
			year = risks.Year(s.clock.Now())
		}
		d, derr := s.riskReviewsData(r, year)
		if derr != nil {
			return derr
		}
		d.Form = in
		return s.formError(w, r, err, "risk_reviews", "risks.reviews_title", d)
	}
	s.flash(r, "risks.flash.register_reviewed")
	return redirect(w, r, "/risks/reviews?year="+strconv.Itoa(year))
}

// riskYearStart starts next year's register from this year's (the yearly
// review).
func (s *Server) riskYearStart(w http.ResponseWriter, r *http.Request) error {
	from, _ := strconv.Atoi(r.FormValue("risk_year"))
	n, err := s.risks.StartYear(r.Context(), actorOf(r), from)
	if err != nil {
		year := from + 1
		if from < 2000 {
			year = risks.Year(s.clock.Now())
		}
		d, derr := s.riskReviewsData(r, year)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "risk_reviews", "risks.reviews_title", d)
	}
	s.flash(r, "risks.flash.year_started", "Count", n, "Year", from+1)
	return redirect(w, r, "/risks?year="+strconv.Itoa(from+1))
}
