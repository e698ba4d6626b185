package web

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/risks"
)

type riskFormData struct {
	ID        int64
	Code      string
	Form      risks.Input
	Settings  risks.Settings
	Units     []*org.TreeNode
	People    []org.Person
	Kinds     []string
	Levels    []string
	RiskStrat []string
	OppStrat  []string
	CanManage bool
}

func riskInput(r *http.Request) risks.Input {
	atoi := func(k string) int { n, _ := strconv.Atoi(r.FormValue(k)); return n }
	return risks.Input{Kind: r.FormValue("kind"), UnitID: formInt(r, "unit_id"), Objective: r.FormValue("risk_objective"), Description: r.FormValue("risk_description"),
		Causes: r.FormValue("risk_causes"), Consequences: r.FormValue("risk_consequences"), OwnerID: formInt(r, "owner_id"), OwnerText: r.FormValue("risk_owner_text"),
		InherentP: atoi("risk_p"), InherentI: atoi("risk_i"), Exposure: atoi("risk_exposure"), Strategy: r.FormValue("risk_strategy"),
		ProposedMeasures: r.FormValue("risk_proposed_measures"), Evidence: r.FormValue("risk_evidence"), Secondary: r.FormValue("risk_secondary"),
		Remarks: r.FormValue("risk_remarks"), Level: r.FormValue("risk_level"), Version: formVersion(r)}
}

func (s *Server) riskFormData(r *http.Request, id int64, code string, in risks.Input) (*riskFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &riskFormData{ID: id, Code: code, Form: in, Kinds: risks.Kinds, Levels: risks.Levels, RiskStrat: risks.RiskStrategies, OppStrat: risks.OpportunityStrategies,
		CanManage: a.Can(auth.PermRisksManage)}
	var err error
	if d.Settings, err = s.risks.Settings(ctx, a); err != nil {
		return nil, err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	return d, nil
}

// riskNew is the risk alert form (formular de alertă la risc).
func (s *Server) riskNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermRisksPropose); err != nil {
		return err
	}
	in := risks.Input{Kind: r.URL.Query().Get("kind"), UnitID: queryInt(r, "unit")}
	if in.Kind != risks.KindOpportunity {
		in.Kind = risks.KindRisk
	}
	if in.UnitID == 0 && a.PersonID != 0 && !a.Can(auth.PermRisksManage) {
		// A unit reports for itself: start there.
		if p, err := s.org.Person(r.Context(), a, a.PersonID); err == nil {
			in.UnitID = p.UnitID
		}
	}
	d, err := s.riskFormData(r, 0, "", in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "risk_form", s.page(r, "risks.new_title", d))
}

// riskCreate sends the alert form.
func (s *Server) riskCreate(w http.ResponseWriter, r *http.Request) error {
	in := riskInput(r)
	rk, err := s.risks.Propose(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "risks.flash.proposed", "Code", rk.Code)
		return redirect(w, r, "/risks/"+strconv.FormatInt(rk.ID, 10))
	}
	d, derr := s.riskFormData(r, 0, "", in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "risk_form", "risks.new_title", d)
}

// riskEdit is the form to change a register entry.
func (s *Server) riskEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	rk, err := s.risks.Risk(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !risks.MayEdit(a, rk) {
		return apperr.Forbidden(string(auth.PermRisksManage))
	}
	in := risks.Input{Kind: rk.Kind, UnitID: rk.UnitID, Objective: rk.Objective, Description: rk.Description, Causes: rk.Causes, Consequences: rk.Consequences,
		OwnerID: rk.OwnerID, OwnerText: rk.OwnerText, InherentP: rk.InherentP, InherentI: rk.InherentI, Strategy: rk.Strategy, ProposedMeasures: rk.ProposedMeasures,
		Evidence: rk.Evidence, Secondary: rk.Secondary, Remarks: rk.Remarks, Level: rk.Level, Version: rk.Version}
	d, err := s.riskFormData(r, id, rk.Code, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "risk_form", s.page(r, "risks.edit_title", d))
}

// riskUpdate saves a register entry.
func (s *Server) riskUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := riskInput(r)
	a := actorOf(r)
	rk, err := s.risks.Update(r.Context(), a, id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/risks/"+strconv.FormatInt(rk.ID, 10))
	}
	before, gerr := s.risks.Risk(r.Context(), a, id)
	if gerr != nil {
		return gerr
	}
	in.Kind = before.Kind
	d, derr := s.riskFormData(r, id, before.Code, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "risk_form", "risks.edit_title", d)
}

type riskSettingsData struct {
	Form risks.Settings
	// InUse: proposed or active entries are scored, so the scale is fixed.
	InUse bool
}

// riskSettings shows the institution's scale, tolerance and bands.
func (s *Server) riskSettings(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermRisksManage); err != nil {
		return err
	}
	st, err := s.risks.Settings(r.Context(), a)
	if err != nil {
		return err
	}
	if scale, _ := strconv.Atoi(r.URL.Query().Get("scale")); (scale == 3 || scale == 5) && scale != st.Scale {
		// The form for the other scale, with its default labels and bands.
		def := risks.Defaults(scale)
		def.Version = st.Version
		st = def
	}
	return s.render(w, http.StatusOK, "risk_settings", s.page(r, "risks.settings_title", &riskSettingsData{Form: st}))
}

// riskSettingsSave saves the scale, labels, tolerance, bands and interval.
func (s *Server) riskSettingsSave(w http.ResponseWriter, r *http.Request) error {
	atoi := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(k))); return n }
	in := risks.Settings{Scale: atoi("risk_scale"), Tolerance: atoi("risk_tolerance"), BandLow: atoi("risk_band_low"), BandMedium: atoi("risk_band_medium"),
		ColorLow: r.FormValue("risk_color_low"), ColorMedium: r.FormValue("risk_color_medium"), ColorHigh: r.FormValue("risk_color_high"),
		ReviewMonths: atoi("risk_review_months"), Version: formVersion(r)}
	for k := 1; k <= max(3, min(in.Scale, 5)); k++ {
		in.PLabels = append(in.PLabels, r.FormValue("risk_p_label_"+strconv.Itoa(k)))
		in.ILabels = append(in.ILabels, r.FormValue("risk_i_label_"+strconv.Itoa(k)))
	}
	if _, err := s.risks.SaveSettings(r.Context(), actorOf(r), in); err != nil {
		if v, ok := apperr.AsValidation(err); ok {
			// The bands' error names both of their fields' form names.
			if k, bad := v["risk_bands"]; bad {
				delete(v, "risk_bands")
				v["risk_band_medium"] = k
			}
		}
		return s.formError(w, r, err, "risk_settings", "risks.settings_title", &riskSettingsData{Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/risks/settings")
}
