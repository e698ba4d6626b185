package web

// Training and competence, the pages of the overview, the target groups,
// the programmes, the sessions, the attendance and the results: the
// module's front page and the helpers those pages share (this file); the
// target groups and their members (training_group.go, training_group_member.go,
// training_group_record.go), the programmes (training_programme.go), the
// sessions with their enrolment (training_session.go) and the attendance
// grid, the results and the attendance sheet (training_attendance.go).

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/training"
	"cadran/internal/work"
)

// The lists of this part offer saved filters like the other registers.
func init() {
	savedFilterLists["training_groups"] = "/training/groups"
	savedFilterLists["training_programmes"] = "/training/programmes"
	savedFilterLists["training_sessions"] = "/training/sessions"
	savedFilterLists["training_certificates"] = "/training/certificates"
}

// trainingGroupPerPage is the page size of the groups, programmes and
// sessions lists.
const trainingGroupPerPage = 25

// trainingOverviewData is the module's front page.
type trainingOverviewData struct {
	// Figures are this year's numbers about people, shown only to those
	// who may read everyone's records.
	Figures    training.Overview
	HasFigures bool
	Year       int
	Upcoming   []training.Session
	Groups     []training.Group
	// The parts of the module the actor may open.
	CanRecords, CanManage, CanUnits bool
	// PersonID is the actor's own person, for the link to their record.
	PersonID int64
}

// trainingOverview is the module's front page: this year's figures, the
// next sessions, the active target groups with their progress, and the way
// to every part of the module the actor may open. Employees and heads of
// unit see the offer and their own record; the figures about people are
// for those who read everyone's records.
func (s *Server) trainingOverview(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	ctx := r.Context()
	today := work.Day(s.clock.Now())
	d := &trainingOverviewData{Year: today.Year(), CanRecords: a.Can(auth.PermTrainingRecords), CanManage: a.Can(auth.PermTrainingManage),
		CanUnits: a.Can(auth.PermTrainingRecords) || a.HasRole(auth.RoleHeadOfUnit), PersonID: a.PersonID}
	if d.CanRecords {
		ov, err := s.training.Overview(ctx, a, today.Year())
		if err != nil {
			return err
		}
		d.Figures, d.HasFigures, d.Upcoming, d.Groups = ov, true, ov.Upcoming, ov.Groups
	} else {
		next, err := s.training.Sessions(ctx, a, training.SessionFilter{State: training.SessionPlanned, From: today.Format(time.DateOnly), Sort: "start", Page: 1, PerPage: 10})
		if err != nil {
			return err
		}
		d.Upcoming = next.Items
	}
	return s.render(w, http.StatusOK, "training_overview", s.page(r, "traininggroups.overview.title", d))
}

// TrainingShare formats a percentage with one decimal: "83,3 %".
func (p *Page) TrainingShare(f float64) string { return p.Decimal(f, 1) + " %" }

// TrainingHours formats hours with at most one decimal: "12" or "12,5".
func (p *Page) TrainingHours(f float64) string {
	if f == float64(int64(f)) {
		return p.Decimal(f, 0)
	}
	return p.Decimal(f, 1)
}

// trainingGoal is a figure against its goal: the words ("12 din 30",
// "83,3 % din 80 %") and the bar's value, 0 to 100 of the goal.
type trainingGoal struct {
	Text    string
	Bar     float64
	HasGoal bool
	Reached bool
}

// TrainingGoal describes value against goal; pct formats both as
// percentages. A goal of 0 shows the value alone.
func (p *Page) TrainingGoal(value any, goal int, pct bool) trainingGoal {
	var v float64
	switch x := value.(type) {
	case int:
		v = float64(x)
	case int64:
		v = float64(x)
	case float64:
		v = x
	}
	text := p.TrainingHours(v)
	if pct {
		text = p.Decimal(v, 1) + " %"
	}
	if goal <= 0 {
		return trainingGoal{Text: text}
	}
	g := trainingGoal{HasGoal: true, Bar: min(100, max(0, 100*v/float64(goal))), Reached: v >= float64(goal)}
	if pct {
		g.Text = p.T("traininggroups.group.of_goal_pct", "Value", p.Decimal(v, 1), "Goal", p.Number(goal))
	} else {
		g.Text = p.T("traininggroups.group.of_goal", "Value", text, "Goal", p.Number(goal))
	}
	return g
}

// TrainingPeriod is a session's days, "12.03.2026 – 14.03.2026" or one day.
func (p *Page) TrainingPeriod(start, end string) string {
	if end == "" || end == start {
		return p.CivilDay(start)
	}
	return p.CivilDay(start) + " – " + p.CivilDay(end)
}

// trainingGroupSort reads a "sort" query value ("code" or "-code") against
// the keys a list accepts; anything else is the default.
func trainingGroupSort(r *http.Request, keys []string, def string) (key string, desc bool, current string) {
	v := r.URL.Query().Get("sort")
	k := strings.TrimPrefix(v, "-")
	for _, ok := range keys {
		if ok == k {
			return k, strings.HasPrefix(v, "-"), v
		}
	}
	return def, false, ""
}

// trainingGroupNumber reads an optional whole number field; a field left
// empty is 0, anything else that is not a number a field error.
func trainingGroupNumber(r *http.Request, name string, bad apperr.Validation, raw map[string]string) int {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		bad[name] = "traininggroups.error.number"
		raw[name] = v
		return 0
	}
	return n
}

// trainingGroupDay reads an optional YYYY-MM-DD field as typed, checking
// its shape; the domain checks the rest (order, ranges).
func trainingGroupDay(r *http.Request, name string, bad apperr.Validation) string {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return ""
	}
	if t, err := time.Parse(time.DateOnly, v); err != nil || t.Year() < 1900 || t.Year() > 2200 {
		bad[name] = "traininggroups.error.date"
	}
	return v
}

// trainingGroupFields names the domain's fields as a form names them
// (alias); a field the form does not have is reported on the form as a
// whole (prefix + "form"), so its message still shows.
func trainingGroupFields(err error, bad apperr.Validation, prefix string, alias map[string]string) error {
	if err == nil && len(bad) == 0 {
		return nil
	}
	all := apperr.Validation{}
	if v, ok := apperr.AsValidation(err); ok {
		for k, msg := range v {
			switch {
			case alias[k] != "":
				k = alias[k]
			case !strings.HasPrefix(k, prefix):
				k = prefix + "form"
			}
			all[k] = msg
		}
	} else if err != nil {
		return err
	}
	for k, msg := range bad {
		all[k] = msg
	}
	return all
}

// trainingGroupIDs reads the ids of a multi-select, skipping anything that
// is not an id.
func trainingGroupIDs(r *http.Request, name string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, v := range r.Form[name] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err == nil && id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// trainingGroupPeople resolves who a "pick people" form names: the people
// chosen, and every active person of the unit chosen (with the units under
// it). A unit of another institution has none of this one's people.
func (s *Server) trainingGroupPeople(r *http.Request, peopleField, unitField string) ([]int64, error) {
	if err := r.ParseForm(); err != nil {
		return nil, apperr.Validation{peopleField: "traininggroups.error.people"}
	}
	ids := trainingGroupIDs(r, peopleField)
	if unit := formInt(r, unitField); unit > 0 {
		people, _, err := s.org.People(r.Context(), actorOf(r), org.PeopleFilter{UnitID: unit, Status: "active", Limit: 10000})
		if err != nil {
			return nil, err
		}
		seen := map[int64]bool{}
		for _, id := range ids {
			seen[id] = true
		}
		for _, p := range people {
			if !seen[p.ID] {
				seen[p.ID] = true
				ids = append(ids, p.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, apperr.Validation{peopleField: "traininggroups.error.people"}
	}
	return ids, nil
}

// trainingGroupActivePeople lists the institution's active people, for the
// pickers of the group and session pages.
func (s *Server) trainingGroupActivePeople(r *http.Request) ([]org.Person, error) {
	people, _, err := s.org.People(r.Context(), actorOf(r), org.PeopleFilter{Status: "active", Sort: "name", Limit: 10000})
	return people, err
}

// trainingGroupDayOf parses a stored YYYY-MM-DD day.
func trainingGroupDayOf(day string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, day)
	return t, err == nil
}
