package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/work"
)

type taskShowData struct {
	Task    work.Task
	Today   time.Time
	Can     work.Abilities
	History []audit.Stored
}

// taskShow is one task: what, who, when, its record and its history.
func (s *Server) taskShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	t, err := s.work.Task(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := taskShowData{Task: t, Today: work.Day(s.clock.Now())}
	if d.Can, err = s.work.Abilities(r.Context(), a, t); err != nil {
		return err
	}
	// Whoever may see the task sees how it moved: who handed it out, who
	// reassigned it and why, who closed it.
	if d.History, _, err = audit.List(r.Context(), s.db.R, a.Tenant, audit.Filter{Entity: "task", EntityID: id, Limit: 50}); err != nil {
		return err
	}
	p := s.page(r, "task.list_title", d)
	p.Title = t.Title
	return s.render(w, http.StatusOK, "task_show", p)
}

// taskDone marks a task handed out by hand as done.
func (s *Server) taskDone(w http.ResponseWriter, r *http.Request) error {
	return s.taskFinish(w, r, s.work.Complete, "task.flash.done")
}

// taskCancel withdraws a task handed out by hand.
func (s *Server) taskCancel(w http.ResponseWriter, r *http.Request) error {
	return s.taskFinish(w, r, s.work.Cancel, "task.flash.cancelled")
}

func (s *Server) taskFinish(w http.ResponseWriter, r *http.Request, finish func(context.Context, auth.Actor, int64, int) (work.Task, error), flash string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := finish(r.Context(), actorOf(r), id, formVersion(r)); err != nil {
		return err
	}
	s.flash(r, flash)
	return redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10))
}

// taskForm is what the new-task and reassign forms show.
type taskForm struct {
	AssignTo   string // "person" or "role"
	PersonID   int64
	Role       string
	RoleUnitID int64
	Title      string
	Details    string
	Kind       string
	Due        string // YYYY-MM-DD, as the date input sends it
	Priority   string
	Reason     string
	Version    int
}

type taskFormData struct {
	ID         int64
	Task       work.Task
	Form       taskForm
	People     []org.Person
	Units      []*org.TreeNode
	Roles      []auth.Role
	Kinds      []string
	Priorities []string
	Min        string
}

func readTaskForm(r *http.Request) taskForm {
	return taskForm{AssignTo: r.FormValue("assign_to"), PersonID: formInt(r, "person_id"), Role: r.FormValue("role"), RoleUnitID: formInt(r, "role_unit_id"),
		Title: r.FormValue("title"), Details: r.FormValue("details"), Kind: r.FormValue("kind"), Due: r.FormValue("due"),
		Priority: r.FormValue("priority"), Reason: r.FormValue("reason"), Version: formVersion(r)}
}

// assignee reads the chosen assignee; the radio decides which fields count.
func (f taskForm) assignee() work.Assignee {
	if f.AssignTo == "role" {
		return work.Assignee{Role: auth.Role(f.Role), UnitID: f.RoleUnitID}
	}
	return work.Assignee{PersonID: f.PersonID}
}

// due parses the date input; an unreadable date is reported as required.
func (f taskForm) due() time.Time {
	t, err := time.Parse(time.DateOnly, f.Due)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s *Server) taskFormData(r *http.Request, id int64, f taskForm) (*taskFormData, error) {
	a := actorOf(r)
	people, _, err := s.org.People(r.Context(), a, org.PeopleFilter{Limit: 10000})
	if err != nil {
		return nil, err
	}
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return nil, err
	}
	return &taskFormData{ID: id, Form: f, People: people, Units: units, Roles: auth.Roles, Kinds: work.Kinds, Priorities: work.Priorities,
		Min: work.Day(s.clock.Now()).Format(time.DateOnly)}, nil
}

func (s *Server) taskNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermWorkAssign); err != nil {
		return err
	}
	due := work.Day(s.clock.Now()).AddDate(0, 0, 7).Format(time.DateOnly)
	d, err := s.taskFormData(r, 0, taskForm{AssignTo: "person", Kind: work.KindAct, Priority: work.PriorityNormal, Due: due})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "task_form", s.page(r, "task.new", d))
}

func (s *Server) taskCreate(w http.ResponseWriter, r *http.Request) error {
	f := readTaskForm(r)
	t, err := s.work.CreateManual(r.Context(), actorOf(r), work.ManualInput{Title: f.Title, Details: f.Details, Kind: f.Kind, Assignee: f.assignee(), Due: f.due(), Priority: f.Priority})
	if err == nil {
		s.flash(r, "task.flash.created")
		return redirect(w, r, "/tasks/"+strconv.FormatInt(t.ID, 10))
	}
	d, derr := s.taskFormData(r, 0, f)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "task_form", "task.new", d)
}

func (s *Server) taskReassignForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	t, err := s.work.Task(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := a.Require(auth.PermWorkAssign); err != nil {
		return err
	}
	if can, err := s.work.Abilities(r.Context(), a, t); err != nil {
		return err
	} else if !can.Reassign {
		return apperr.Forbidden("task.reassign")
	}
	f := taskForm{AssignTo: "person", PersonID: t.PersonID, Role: string(t.Role), RoleUnitID: t.Assignee.UnitID, Due: t.Due.Format(time.DateOnly), Version: t.Version}
	if t.Role != "" {
		f.AssignTo = "role"
	}
	d, err := s.taskFormData(r, id, f)
	if err != nil {
		return err
	}
	d.Task = t
	p := s.page(r, "task.reassign", d)
	return s.render(w, http.StatusOK, "task_reassign", p)
}

func (s *Server) taskReassign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	f := readTaskForm(r)
	_, err = s.work.Reassign(r.Context(), a, id, work.ReassignInput{Assignee: f.assignee(), Due: f.due(), Reason: f.Reason, Version: f.Version})
	if err == nil {
		s.flash(r, "task.flash.reassigned")
		return redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10))
	}
	t, terr := s.work.Task(r.Context(), a, id)
	if terr != nil {
		return terr
	}
	d, derr := s.taskFormData(r, id, f)
	if derr != nil {
		return derr
	}
	d.Task = t
	return s.formError(w, r, err, "task_reassign", "task.reassign", d)
}
