package web

import (
	"net/http"

	"cadran/internal/org"
)

type unitShowData struct {
	Unit     org.Unit
	Parent   *org.Unit
	Children []org.Unit
	People   []org.Person
	Total    int
}

func (s *Server) unitShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	u, err := s.org.Unit(r.Context(), a, id)
	if err != nil {
		return err
	}
	units, err := s.org.Units(r.Context(), a)
	if err != nil {
		return err
	}
	d := unitShowData{Unit: u}
	for i := range units {
		if units[i].ID == u.ParentID {
			d.Parent = &units[i]
		}
		if units[i].ParentID == u.ID {
			d.Children = append(d.Children, units[i])
		}
	}
	if d.People, d.Total, err = s.org.People(r.Context(), a, org.PeopleFilter{UnitID: id, Status: "all", Limit: 500, Sort: "name"}); err != nil {
		return err
	}
	p := s.page(r, "unit.show_title", d)
	p.Title = u.Name
	return s.render(w, http.StatusOK, "unit_show", p)
}
