package web

// The institution's settings for citizen services: deadlines that fall on
// a non-working day, the public pages, the impact baseline and the contact
// text of the public pages. Saved against their version.

import (
	"net/http"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
)

type citizenSettingsData struct {
	Form citizen.Settings
	// Raw keeps dates typed that did not read.
	Raw map[string]string
	// CUI is the institution's, for the address of its public pages.
	CUI string
}

// citizenSettingsFields are the form's fields, as the domain names them.
var citizenSettingsFields = map[string]string{citizen.FieldBaselineFrom: "citizen_settings_baseline_from", citizen.FieldBaselineTo: "citizen_settings_baseline_to",
	citizen.FieldContact: "citizen_settings_contact"}

func (s *Server) citizenSettingsRender(w http.ResponseWriter, r *http.Request, in citizen.Settings, raw map[string]string, err error) error {
	inst, ierr := s.org.Institution(r.Context(), actorOf(r))
	if ierr != nil {
		return ierr
	}
	d := &citizenSettingsData{Form: in, Raw: raw, CUI: inst.CUI}
	if err != nil {
		return s.formError(w, r, err, "citizen_settings", "citizen.pages.settings.title", d)
	}
	return s.render(w, http.StatusOK, "citizen_settings", s.page(r, "citizen.pages.settings.title", d))
}

// citizenSettings is the settings form.
func (s *Server) citizenSettings(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return err
	}
	st, err := s.citizen.SettingsOf(r.Context(), a.Tenant)
	if err != nil {
		return err
	}
	return s.citizenSettingsRender(w, r, st, map[string]string{}, nil)
}

// citizenSettingsSave saves the settings; a lost race re-shows the form
// with what was typed and says someone else changed them.
func (s *Server) citizenSettingsSave(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return err
	}
	in := citizen.Settings{Tenant: a.Tenant, ShiftToWorking: r.FormValue("citizen_settings_shift") == "1", PublicEnabled: r.FormValue("citizen_settings_public") == "1",
		Contact: strings.TrimSpace(r.FormValue("citizen_settings_contact")), Version: formVersion(r)}
	bad := apperr.Validation{}
	raw := map[string]string{}
	var ok bool
	if in.BaselineFrom, ok = citizenFormDay(r.FormValue("citizen_settings_baseline_from")); !ok {
		bad["citizen_settings_baseline_from"] = "citizen.pages.error.date"
		raw["citizen_settings_baseline_from"] = r.FormValue("citizen_settings_baseline_from")
	}
	if in.BaselineTo, ok = citizenFormDay(r.FormValue("citizen_settings_baseline_to")); !ok {
		bad["citizen_settings_baseline_to"] = "citizen.pages.error.date"
		raw["citizen_settings_baseline_to"] = r.FormValue("citizen_settings_baseline_to")
	}
	if len(bad) == 0 {
		switch {
		case in.BaselineFrom.IsZero() != in.BaselineTo.IsZero():
			bad["citizen_settings_baseline_to"] = "citizen.pages.settings.baseline_both"
		case !in.BaselineFrom.IsZero() && in.BaselineTo.Before(in.BaselineFrom):
			bad["citizen_settings_baseline_to"] = "citizen.pages.settings.baseline_order"
		}
	}
	if len(bad) > 0 {
		return s.citizenSettingsRender(w, r, in, raw, bad)
	}
	if _, err := s.citizen.SaveSettings(r.Context(), a, in); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		if v, ok := apperr.AsValidation(err); ok {
			mapped := apperr.Validation{}
			for k, msg := range v {
				if f, ok := citizenSettingsFields[k]; ok {
					k = f
				}
				mapped[k] = msg
			}
			err = mapped
		}
		return s.citizenSettingsRender(w, r, in, raw, err)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/citizen/settings")
}
