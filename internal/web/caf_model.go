package web

import (
	"net/http"

	"cadran/internal/auth"
	"cadran/internal/frameworks"
)

type cafModelData struct {
	Model    frameworks.CAF
	Enablers []frameworks.CAFCriterion
	Results  []frameworks.CAFCriterion
	Models   []frameworks.CAF
}

// cafModel is the reference of a CAF edition (the latest, or ?v=): the
// criteria in two groups, each sub-criterion with its description and
// examples in the reader's language, and the scoring panels explained.
func (s *Server) cafModel(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermCAFView); err != nil {
		return err
	}
	v := r.URL.Query().Get("v")
	if v == "" {
		v = frameworks.CAFLatest
	}
	m, ok := frameworks.CAFModel(v)
	if !ok {
		m, _ = frameworks.CAFModel(frameworks.CAFLatest)
	}
	d := &cafModelData{Model: m, Models: frameworks.CAFModels}
	for _, c := range m.Criteria {
		if c.Kind == frameworks.CAFEnabler {
			d.Enablers = append(d.Enablers, c)
		} else {
			d.Results = append(d.Results, c)
		}
	}
	p := s.page(r, "caf.model.title", d)
	p.Title = p.T("caf.model.title_version", "Title", m.Title)
	return s.render(w, http.StatusOK, "caf_model", p)
}
