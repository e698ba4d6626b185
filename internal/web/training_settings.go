package web

// The training module's settings: how many days a new employee has for the
// induction plan, and how long before a certificate's expiry its renewal
// falls due. Saved against their version.

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/training"
)

type trainingSettingsData struct {
	Form training.Settings
	// Raw keeps numbers typed that did not read.
	Raw map[string]string
}

// trainingSettingsFields maps the domain's field names to the form's.
var trainingSettingsFields = map[string]string{"induction_days": "training_settings_induction_days", "renewal_days": "training_settings_renewal_days",
	"InductionDays": "training_settings_induction_days", "RenewalDays": "training_settings_renewal_days"}

func (s *Server) trainingSettingsRender(w http.ResponseWriter, r *http.Request, in training.Settings, raw map[string]string, err error) error {
	d := &trainingSettingsData{Form: in, Raw: raw}
	if err != nil {
		return s.formError(w, r, err, "training_settings", "training.settings.title", d)
	}
	return s.render(w, http.StatusOK, "training_settings", s.page(r, "training.settings.title", d))
}

// trainingSettings is the settings form.
func (s *Server) trainingSettings(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	st, err := s.training.Settings(r.Context(), a)
	if err != nil {
		return err
	}
	return s.trainingSettingsRender(w, r, st, map[string]string{}, nil)
}

// trainingSettingsSave saves the settings; a lost race shows the form
// again with what was typed and says someone else changed them.
func (s *Server) trainingSettingsSave(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in := training.Settings{Version: formVersion(r)}
	bad := apperr.Validation{}
	raw := map[string]string{}
	for _, f := range []struct {
		name string
		to   *int
	}{{"training_settings_induction_days", &in.InductionDays}, {"training_settings_renewal_days", &in.RenewalDays}} {
		v := strings.TrimSpace(r.FormValue(f.name))
		n, err := strconv.Atoi(v)
		switch {
		case v == "":
			bad[f.name] = "error.required"
		case err != nil:
			bad[f.name] = "training.settings.error.number"
		}
		if err != nil {
			raw[f.name] = v
		}
		*f.to = n
	}
	if len(bad) > 0 {
		return s.trainingSettingsRender(w, r, in, raw, bad)
	}
	if _, err := s.training.SaveSettings(r.Context(), a, in); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.trainingSettingsRender(w, r, in, raw, trainingFieldsOf(err, trainingSettingsFields, "training_settings_", "training_settings_induction_days"))
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/settings")
}
