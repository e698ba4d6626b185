package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Induction is a new employee's induction plan.
type Induction struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	PersonID    int64     `json:"person_id"`
	StartOn     string    `json:"start_on"`
	DueOn       string    `json:"due_on"`
	State       string    `json:"state"`
	CompletedOn string    `json:"completed_on,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	Name, JobTitle, UnitName string          `json:"-"`
	UnitID                   int64           `json:"-"`
	Items                    []InductionItem `json:"-"`
	// Done and Total count the items (lists fill them without Items).
	Done, Total int `json:"-"`
}

// Overdue reports whether the plan is open after its due day.
func (in Induction) Overdue(day time.Time) bool {
	return in.State == InductionOpen && in.DueOn < day.Format(time.DateOnly)
}

// Percent is the share of the plan's items done, 0 to 100.
func (in Induction) Percent() int {
	if in.Total == 0 {
		return 0
	}
	return in.Done * 100 / in.Total
}

// InductionItem is one thing a new employee must do.
type InductionItem struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	DocumentID  int64  `json:"document_id,omitempty"`
	ProgrammeID int64  `json:"programme_id,omitempty"`
	Title       string `json:"title"`
	DueOn       string `json:"due_on"`
	DoneOn      string `json:"done_on,omitempty"`
	// Href is where the item is done: the document, the programme.
	Href string `json:"-"`
}

// Done reports whether the item is done.
func (it InductionItem) Done() bool { return it.DoneOn != "" }

// EntityInductionItem names an item of a plan in the tasks that hand out
// its mandatory programmes (one task per item, so each closes on its own).
const EntityInductionItem = "training_induction_item"

// InductionStates lists the plan states.
var InductionStates = []string{InductionOpen, InductionCompleted, InductionCancelled}

// NewHireWindow is how recently a person must have been created for their
// placing in a unit to count as a hire (a later placing is a move).
const NewHireWindow = 24 * time.Hour

// InductionFilter narrows the induction list.
type InductionFilter struct {
	Query   string
	State   string // "", open, completed, cancelled
	UnitID  int64
	Overdue bool
	Sort    string // due, name, start, progress
	Desc    bool
	Page    int
	PerPage int
}

// InductionSorts lists the accepted sort keys.
func InductionSorts() []string { return []string{"due", "name", "start", "progress"} }

// InductionPage is one page of induction plans.
type InductionPage struct {
	Items []Induction
	Total int
}

// PersonPlaced starts the induction plan of a newly hired person: org calls
// it (after the documents module has given them their unit's documents)
// inside the transaction that placed the person. A person moving units, or
// one who already has a plan, gets nothing; so does a hire when the
// institution has nothing to put in a plan yet (no policy, manual or
// procedure in force, no mandatory programme).
func (s *Service) PersonPlaced(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID int64) error {
	now := s.Clock.Now()
	var created time.Time
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT created_at, active FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, personID).Scan(&created, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFound("person")
	}
	if err != nil {
		return fmt.Errorf("cannot read the person placed: %w", err)
	}
	if !active || now.Sub(created) > NewHireWindow {
		return nil // a move or a return, not a hire
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_inductions WHERE tenant_id = $1 AND person_id = $2`, a.Tenant, personID).Scan(&n); err != nil {
		return fmt.Errorf("cannot read induction plans: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err = s.startPlan(ctx, tx, a, personID, unitID, 0, now)
	return err
}

// StartInduction starts a plan by hand (someone hired before Cadran, or
// imported), or starts a cancelled one again from the beginning.
func (s *Service) StartInduction(ctx context.Context, a auth.Actor, personID int64) (Induction, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Induction{}, err
	}
	now := s.Clock.Now()
	var out Induction
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var unit int64
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(unit_id, 0), active FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, personID).Scan(&unit, &active)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("person")
		}
		if err != nil {
			return fmt.Errorf("cannot read person: %w", err)
		}
		if !active {
			return apperr.Conflict("traininginduction.error.inactive")
		}
		var reuse int64
		var state string
		err = tx.QueryRowContext(ctx, `SELECT id, state FROM training_inductions WHERE tenant_id = $1 AND person_id = $2`, a.Tenant, personID).Scan(&reuse, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("cannot read induction plans: %w", err)
		case state != InductionCancelled:
			return apperr.Conflict("traininginduction.error.exists")
		}
		id, err := s.startPlan(ctx, tx, a, personID, unit, reuse, now)
		if err != nil {
			return err
		}
		if id == 0 {
			return apperr.Conflict("traininginduction.error.nothing")
		}
		out, err = getInduction(ctx, tx, a.Tenant, "i.id", id)
		return err
	})
	if err != nil {
		return Induction{}, err
	}
	return out, nil
}

var inductionSorts = map[string]string{
	"due":      "i.due_on",
	"name":     "p.sort_name",
	"start":    "i.start_on",
	"progress": "COALESCE(c.done * 100 / c.total, 0)",
}

// Inductions lists induction plans with their progress: every plan for the
// records permission, a head of unit's units' plans, one's own otherwise.
func (s *Service) Inductions(ctx context.Context, a auth.Actor, f InductionFilter) (InductionPage, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return InductionPage{}, err
	}
	sc, err := sesScopeOf(ctx, s.DB.R, a)
	if err != nil {
		return InductionPage{}, err
	}
	where := ` WHERE i.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	var pred string
	pred, args = sc.predicate("p", args)
	where += pred
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`p.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if slices.Contains(InductionStates, f.State) {
		add(`i.state = ?`, f.State)
	}
	if f.UnitID != 0 {
		units, err := compSubtree(ctx, s.DB.R, a.Tenant, f.UnitID)
		if err != nil {
			return InductionPage{}, err
		}
		var list string
		list, args = sesInList(units, args)
		where += ` AND p.unit_id IN (` + list + `)`
	}
	if f.Overdue {
		add(`i.state = ? AND i.due_on < ?`, InductionOpen, work.Day(s.Clock.Now()).Format(time.DateOnly))
	}
	var out InductionPage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_inductions i JOIN people p ON p.id = i.person_id`+where, args...).Scan(&out.Total); err != nil {
		return InductionPage{}, fmt.Errorf("cannot count induction plans: %w", err)
	}
	sort := f.Sort
	if _, ok := inductionSorts[sort]; !ok {
		sort = "due"
	}
	if f.Desc {
		sort = "-" + sort
	}
	per := f.PerPage
	if per <= 0 || per > db.MaxPageSize {
		per = db.DefaultPageSize
	}
	page, args := db.OrderPage(inductionSorts, sort, "due", "p.sort_name, i.id", per, (max(f.Page, 1)-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+inductionColumns+`, COALESCE(c.done, 0), COALESCE(c.total, 0)`+inductionFrom+`
		LEFT JOIN (SELECT induction_id, SUM(CASE WHEN done_on <> '' THEN 1 ELSE 0 END) AS done, COUNT(*) AS total
			FROM training_induction_items WHERE tenant_id = $1 GROUP BY induction_id) c ON c.induction_id = i.id`+where+page, args...)
	if err != nil {
		return InductionPage{}, fmt.Errorf("cannot list induction plans: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in Induction
		if err := rows.Scan(append(in.fields(), &in.Done, &in.Total)...); err != nil {
			return InductionPage{}, fmt.Errorf("cannot list induction plans: %w", err)
		}
		out.Items = append(out.Items, in)
	}
	return out, rows.Err()
}

// Induction reads a plan with its items.
func (s *Service) Induction(ctx context.Context, a auth.Actor, id int64) (Induction, error) {
	return s.readInduction(ctx, a, "i.id", id)
}

// InductionOf reads a person's plan; not found when they have none.
func (s *Service) InductionOf(ctx context.Context, a auth.Actor, personID int64) (Induction, error) {
	return s.readInduction(ctx, a, "i.person_id", personID)
}

func (s *Service) readInduction(ctx context.Context, a auth.Actor, col string, id int64) (Induction, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Induction{}, err
	}
	in, err := getInduction(ctx, s.DB.R, a.Tenant, col, id)
	if err != nil {
		return Induction{}, err
	}
	sc, err := sesScopeOf(ctx, s.DB.R, a)
	if err != nil {
		return Induction{}, err
	}
	if !compSees(sc, in.PersonID, in.UnitID) {
		return Induction{}, apperr.NotFound(EntityInduction)
	}
	return in, nil
}

// CancelInduction cancels a plan (the person left) and closes its tasks.
func (s *Service) CancelInduction(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getInduction(ctx, tx, a.Tenant, "i.id", id)
		if err != nil {
			return err
		}
		if before.State != InductionOpen {
			return apperr.Conflict("traininginduction.error.not_open")
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_inductions SET state = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
			InductionCancelled, now, a.Tenant, id, version)
		if err != nil {
			return fmt.Errorf("cannot cancel induction plan: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		for _, it := range before.Items {
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: itemRef(it.ID)}, work.StateCancelled); err != nil {
				return err
			}
		}
		after, err := getInduction(ctx, tx, a.Tenant, "i.id", id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCancel, Entity: EntityInduction, EntityID: id,
			Summary: before.Name, Before: inductionAudit(before), After: inductionAudit(after)})
	})
}

// DocumentAcknowledged marks a person's induction items for the document
// done: documents calls it inside the transaction that records the
// acknowledgement.
func (s *Service) DocumentAcknowledged(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, documentID int64) error {
	now := s.Clock.Now()
	return s.markDone(ctx, tx, a, personID, "document_id", documentID, work.Day(now).Format(time.DateOnly), now)
}

// programmeCompleted marks a person's induction item for the programme
// done and closes its task: the sessions call it inside the transaction
// that completes an enrolment.
func (s *Service) programmeCompleted(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, programmeID int64, day string) error {
	now := s.Clock.Now()
	if _, ok := parseDay(day); !ok {
		day = work.Day(now).Format(time.DateOnly)
	}
	return s.markDone(ctx, tx, a, personID, "programme_id", programmeID, day, now)
}
