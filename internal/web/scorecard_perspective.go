package web

import (
	"net/http"

	"cadran/internal/auth"
	"cadran/internal/scorecard"
)

// scPerspectiveForm is a perspective's form as typed.
type scPerspectiveForm struct {
	Name, Weight, Position string
	Version                int
}

// scPerspectivesData is the perspectives page.
type scPerspectivesData struct {
	Perspectives []scorecard.Perspective
	// ErrID is the perspective whose form was refused (-1: none, 0: the
	// new one's), shown again with Form.
	ErrID     int64
	Form      scPerspectiveForm
	CanManage bool
}

func (s *Server) scPerspectivesData(r *http.Request) (*scPerspectivesData, error) {
	ctx := r.Context()
	a := actorOf(r)
	if err := s.scorecard.EnsureDefaults(ctx, a); err != nil {
		return nil, err
	}
	ps, err := s.scorecard.Perspectives(ctx, a)
	if err != nil {
		return nil, err
	}
	return &scPerspectivesData{Perspectives: ps, ErrID: -1, CanManage: a.Can(auth.PermScorecardManage)}, nil
}

// scorecardPerspectives lists the perspectives; managers rename, reweigh,
// reorder and add them.
func (s *Server) scorecardPerspectives(w http.ResponseWriter, r *http.Request) error {
	d, err := s.scPerspectivesData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "scorecard_perspectives", s.page(r, "scorecard.perspectives.title", d))
}

func scPerspectiveInput(r *http.Request) (scorecard.PerspectiveInput, scPerspectiveForm) {
	f := scPerspectiveForm{Name: r.FormValue("sc_persp_name"), Weight: r.FormValue("sc_persp_weight"), Position: r.FormValue("sc_persp_position"), Version: formVersion(r)}
	in := scorecard.PerspectiveInput{Name: f.Name, Weight: scFloat(f.Weight), Position: scInt(f.Position), Version: f.Version}
	if f.Weight == "" {
		in.Weight = 1
	}
	return in, f
}

func (s *Server) scPerspectiveError(w http.ResponseWriter, r *http.Request, err error, id int64, f scPerspectiveForm) error {
	d, derr := s.scPerspectivesData(r)
	if derr != nil {
		return derr
	}
	d.ErrID, d.Form = id, f
	return s.formError(w, r, err, "scorecard_perspectives", "scorecard.perspectives.title", d)
}

// scorecardPerspectiveCreate adds a perspective of the institution's own.
func (s *Server) scorecardPerspectiveCreate(w http.ResponseWriter, r *http.Request) error {
	in, f := scPerspectiveInput(r)
	if _, err := s.scorecard.CreatePerspective(r.Context(), actorOf(r), in); err != nil {
		return s.scPerspectiveError(w, r, err, 0, f)
	}
	s.flash(r, "flash.created")
	return redirect(w, r, "/scorecard/perspectives")
}

// scorecardPerspectiveUpdate renames, reweighs or moves a perspective.
func (s *Server) scorecardPerspectiveUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, f := scPerspectiveInput(r)
	if _, err := s.scorecard.UpdatePerspective(r.Context(), actorOf(r), id, in); err != nil {
		return s.scPerspectiveError(w, r, err, id, f)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/scorecard/perspectives")
}
