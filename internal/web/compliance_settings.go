package web

import (
	"net/http"

	"cadran/internal/auth"
	"cadran/internal/compliance"
	"cadran/internal/documents"
	"cadran/internal/frameworks"
)

type complianceExclusion struct {
	Clause        frameworks.Clause
	Excluded      bool
	Justification string
}

type complianceSettingsData struct {
	Form       compliance.SettingsInput
	Current    compliance.Settings
	Policies   []compliance.DocRef
	Scopes     []compliance.DocRef
	Exclusions []complianceExclusion
}

func (s *Server) complianceSettingsData(r *http.Request, in compliance.SettingsInput) (*complianceSettingsData, error) {
	ctx := r.Context()
	a := actorOf(r)
	cur, err := s.compliance.Settings(ctx, a)
	if err != nil {
		return nil, err
	}
	docs, err := s.compliance.DocumentOptions(ctx, a)
	if err != nil {
		return nil, err
	}
	d := &complianceSettingsData{Form: in, Current: cur}
	for _, doc := range docs {
		if doc.Kind == documents.KindPolicy {
			d.Policies = append(d.Policies, doc)
		}
		d.Scopes = append(d.Scopes, doc)
	}
	for _, c := range frameworks.ISO9001 {
		if frameworks.MayExclude(c.Code) {
			j, ok := in.Exclusions[c.Code]
			d.Exclusions = append(d.Exclusions, complianceExclusion{Clause: c, Excluded: ok, Justification: j})
		}
	}
	return d, nil
}

// complianceSettings is where the quality office names the quality
// policy, the scope of the system and the clauses not applicable.
func (s *Server) complianceSettings(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return err
	}
	cur, err := s.compliance.Settings(r.Context(), a)
	if err != nil {
		return err
	}
	ex, err := s.compliance.Exclusions(r.Context(), a)
	if err != nil {
		return err
	}
	d, err := s.complianceSettingsData(r, compliance.SettingsInput{PolicyDocID: cur.PolicyDocID, ScopeDocID: cur.ScopeDocID, ScopeText: cur.ScopeText, Exclusions: ex, Version: cur.Version})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "compliance_settings", s.page(r, "compliance.settings_title", d))
}

// complianceSettingsSave saves the policy, the scope and the exclusions.
func (s *Server) complianceSettingsSave(w http.ResponseWriter, r *http.Request) error {
	in := compliance.SettingsInput{PolicyDocID: formInt(r, "cmp_policy_doc"), ScopeDocID: formInt(r, "cmp_scope_doc"), ScopeText: r.FormValue("cmp_scope_text"),
		Exclusions: map[string]string{}, Version: formVersion(r)}
	if err := r.ParseForm(); err != nil {
		return err
	}
	for _, code := range r.Form["cmp_exclude"] {
		in.Exclusions[code] = r.FormValue("cmp_justification_" + code)
	}
	if _, err := s.compliance.SaveSettings(r.Context(), actorOf(r), in); err != nil {
		if !cmpFormable(err) {
			return err
		}
		d, derr := s.complianceSettingsData(r, in)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "compliance_settings", "compliance.settings_title", d)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/compliance")
}
