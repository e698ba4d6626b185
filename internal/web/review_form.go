package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/work"
)

type reviewFormData struct {
	ID     int64
	Code   string
	State  string
	Form   reviews.Input
	People []org.Person
	// Chosen marks the participants ticked.
	Chosen map[int64]bool
}

func reviewInput(r *http.Request) reviews.Input {
	_ = r.ParseForm()
	in := reviews.Input{Title: r.FormValue("title"), PeriodFrom: r.FormValue("review_period_from"), PeriodTo: r.FormValue("review_period_to"),
		MeetingOn: r.FormValue("review_meeting_on"), Place: r.FormValue("review_place"), ChairID: formInt(r, "review_chair_id"),
		Guests: r.FormValue("review_guests"), Conclusion: r.FormValue("conclusion"), Version: formVersion(r)}
	for _, v := range r.PostForm["review_participants"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.Participants = append(in.Participants, id)
		}
	}
	return in
}

func (s *Server) reviewFormData(r *http.Request, rv reviews.Review, in reviews.Input) (*reviewFormData, error) {
	d := &reviewFormData{ID: rv.ID, Code: rv.Code, State: rv.State, Form: in, Chosen: map[int64]bool{}}
	for _, id := range in.Participants {
		d.Chosen[id] = true
	}
	var err error
	d.People, _, err = s.org.People(r.Context(), actorOf(r), org.PeopleFilter{Limit: 10000})
	return d, err
}

// reviewNew is the form to plan a review: by default this year's, with
// the meeting in mid-December.
func (s *Server) reviewNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return err
	}
	y := work.Day(s.clock.Now()).Year()
	in := reviews.Input{Title: localizer(r).T("reviews.default_title", "Year", strconv.Itoa(y)),
		PeriodFrom: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), PeriodTo: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		MeetingOn: time.Date(y, 12, 15, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)}
	d, err := s.reviewFormData(r, reviews.Review{}, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "review_form", s.page(r, "reviews.new_title", d))
}

// reviewCreate plans a review.
func (s *Server) reviewCreate(w http.ResponseWriter, r *http.Request) error {
	in := reviewInput(r)
	rv, err := s.reviews.Create(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "reviews.flash.planned", "Code", rv.Code)
		return redirect(w, r, reviewPath(rv.ID))
	}
	d, derr := s.reviewFormData(r, reviews.Review{}, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "review_form", "reviews.new_title", d)
}

// reviewEdit is the form to change a review's details.
func (s *Server) reviewEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return err
	}
	rv, err := s.reviews.Review(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := reviews.Input{Title: rv.Title, PeriodFrom: rv.PeriodFrom, PeriodTo: rv.PeriodTo, MeetingOn: rv.MeetingOn, Place: rv.Place, ChairID: rv.ChairID,
		Guests: rv.Guests, Conclusion: rv.Conclusion, Version: rv.Version}
	for _, p := range rv.Participants {
		in.Participants = append(in.Participants, p.PersonID)
	}
	d, err := s.reviewFormData(r, rv, in)
	if err != nil {
		return err
	}
	p := s.page(r, "reviews.edit_title", d)
	p.Title = rv.Code + " · " + p.Title
	return s.render(w, http.StatusOK, "review_form", p)
}

// reviewUpdate saves a review's details.
func (s *Server) reviewUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	in := reviewInput(r)
	rv, err := s.reviews.Update(r.Context(), a, id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, reviewPath(id))
	}
	before, berr := s.reviews.Review(r.Context(), a, id)
	if berr != nil {
		return berr
	}
	_ = rv
	d, derr := s.reviewFormData(r, before, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "review_form", "reviews.edit_title", d)
}

func reviewPath(id int64) string { return "/reviews/" + strconv.FormatInt(id, 10) }
