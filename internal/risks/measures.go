package risks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// MeasureInput is what the measure form gives.
type MeasureInput struct {
	Description string
	OwnerID     int64
	OwnerText   string
	Deadline    string // YYYY-MM-DD, may be empty
	State       string // empty: planned
	Note        string
	Version     int
}

// Validate checks and normalises the input.
func (in *MeasureInput) Validate() error {
	v := apperr.Validation{}
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.OwnerText = textutil.Clean(in.OwnerText)
	in.Note = strings.TrimSpace(textutil.CleanText(in.Note))
	in.Deadline = strings.TrimSpace(in.Deadline)
	switch {
	case in.Description == "":
		v.Add("risk_measure", "error.required")
	case utf8.RuneCountInString(in.Description) > MaxText:
		v.Add("risk_measure", "error.too_long")
	}
	if utf8.RuneCountInString(in.OwnerText) > MaxShort {
		v.Add("risk_owner_text", "error.too_long")
	}
	if utf8.RuneCountInString(in.Note) > MaxText {
		v.Add("note", "error.too_long")
	}
	if in.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, in.Deadline); err != nil {
			v.Add("due", "error.date")
		}
	}
	if in.State == "" {
		in.State = MeasurePlanned
	}
	if !slices.Contains(MeasureStates, in.State) {
		v.Add("risk_measure_state", "error.choice")
	}
	return v.Err()
}

const measureColumns = `m.id, m.risk_id, m.description, COALESCE(m.owner_id, 0), m.owner_text, m.deadline, m.state, m.note, COALESCE(m.previous_id, 0),
	m.created_at, m.updated_at, m.version, COALESCE(p.full_name, '')`

const measureFrom = ` FROM risk_measures m LEFT JOIN people p ON p.id = m.owner_id`

func scanMeasure(row interface{ Scan(...any) error }) (Measure, error) {
	var m Measure
	err := row.Scan(&m.ID, &m.RiskID, &m.Description, &m.OwnerID, &m.OwnerText, &m.Deadline, &m.State, &m.Note, &m.PreviousID,
		&m.CreatedAt, &m.UpdatedAt, &m.Version, &m.OwnerName)
	return m, err
}

func measuresOf(ctx context.Context, q querier, tenant, riskID int64) ([]Measure, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+measureColumns+measureFrom+` WHERE m.tenant_id = $1 AND m.risk_id = $2 ORDER BY m.id`, tenant, riskID)
	if err != nil {
		return nil, fmt.Errorf("cannot read measures: %w", err)
	}
	defer rows.Close()
	var out []Measure
	for rows.Next() {
		m, err := scanMeasure(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read measures: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func getMeasure(ctx context.Context, q querier, tenant, riskID, id int64) (Measure, error) {
	m, err := scanMeasure(q.QueryRowContext(ctx, `SELECT `+measureColumns+measureFrom+` WHERE m.tenant_id = $1 AND m.risk_id = $2 AND m.id = $3`, tenant, riskID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Measure{}, apperr.NotFound("risk_measure")
	}
	if err != nil {
		return Measure{}, fmt.Errorf("cannot read measure: %w", err)
	}
	return m, nil
}

// Measures lists a risk's control measures in the order they were added.
func (s *Service) Measures(ctx context.Context, a auth.Actor, riskID int64) ([]Measure, error) {
	if _, err := s.Risk(ctx, a, riskID); err != nil {
		return nil, err
	}
	return measuresOf(ctx, s.DB.R, a.Tenant, riskID)
}

// measureTask is the inbox task of an open measure with an owner and a
// deadline, while its risk is in the register.
func measureTask(r Risk, m Measure) (work.NewTask, bool) {
	if r.State != StateActive || !MeasureOpen(m.State) || m.OwnerID == 0 || m.Deadline == "" {
		return work.NewTask{}, false
	}
	due, err := time.Parse(time.DateOnly, m.Deadline)
	if err != nil {
		return work.NewTask{}, false
	}
	return work.NewTask{Ref: measureRef(m.ID), Kind: work.KindAct, Title: r.Code + ": " + clip(m.Description, 250),
		Details: "Măsură de control pentru riscul " + r.Code + ".", Link: fmt.Sprintf("/risks/%d#measure-%d", r.ID, m.ID),
		Assignee: work.Assignee{PersonID: m.OwnerID}, Due: due}, true
}

// openMeasureTasks gives each open measure of an active risk its task.
func (s *Service) openMeasureTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, r Risk) error {
	ms, err := measuresOf(ctx, tx, a.Tenant, r.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: measureRef(m.ID)}, work.StateCancelled); err != nil {
			return err
		}
		if t, ok := measureTask(r, m); ok {
			if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// closeMeasureTasks cancels the tasks of a risk's measures.
func (s *Service) closeMeasureTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, riskID int64) error {
	ms, err := measuresOf(ctx, tx, a.Tenant, riskID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: measureRef(m.ID)}, work.StateCancelled); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) workableRisk(ctx context.Context, tx *sql.Tx, a auth.Actor, riskID int64) (Risk, error) {
	r, err := getRisk(ctx, tx, a.Tenant, riskID)
	if err != nil {
		return Risk{}, err
	}
	if ok, err := mayWork(ctx, tx, a, r); err != nil {
		return Risk{}, err
	} else if !ok {
		return Risk{}, apperr.Forbidden(string(auth.PermRisksManage))
	}
	if r.State != StateActive {
		return Risk{}, apperr.Conflict("risks.error.not_active")
	}
	return r, nil
}

// AddMeasure adds a control measure to a risk in the register; with an
// owner and a deadline it becomes a task in the owner's inbox.
func (s *Service) AddMeasure(ctx context.Context, a auth.Actor, riskID int64, in MeasureInput) (Measure, error) {
	if err := in.Validate(); err != nil {
		return Measure{}, err
	}
	now := s.Clock.Now()
	var out Measure
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.workableRisk(ctx, tx, a, riskID)
		if err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, a.Tenant, 0, in.OwnerID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO risk_measures (tenant_id, risk_id, description, owner_id, owner_text, deadline, state, note, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			a.Tenant, riskID, in.Description, nullID(in.OwnerID), in.OwnerText, in.Deadline, in.State, in.Note, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot add measure: %w", err)
		}
		if out, err = getMeasure(ctx, tx, a.Tenant, riskID, id); err != nil {
			return err
		}
		if t, ok := measureTask(r, out); ok {
			if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "risk_measure", EntityID: id,
			Summary: r.Code + ": " + clip(out.Description, 120), After: out})
	})
	return out, err
}

// UpdateMeasure changes a measure (its state included); a stale Version is
// refused. Its task follows: done with the measure, cancelled with it, or
// handed out again when the owner or the deadline changes.
func (s *Service) UpdateMeasure(ctx context.Context, a auth.Actor, riskID, id int64, in MeasureInput) (Measure, error) {
	if err := in.Validate(); err != nil {
		return Measure{}, err
	}
	now := s.Clock.Now()
	var out Measure
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.workableRisk(ctx, tx, a, riskID)
		if err != nil {
			return err
		}
		before, err := getMeasure(ctx, tx, a.Tenant, riskID, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := checkRefs(ctx, tx, a.Tenant, 0, in.OwnerID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE risk_measures SET description = $1, owner_id = $2, owner_text = $3, deadline = $4, state = $5, note = $6,
			updated_at = $7, version = version + 1 WHERE tenant_id = $8 AND id = $9 AND version = $10`,
			in.Description, nullID(in.OwnerID), in.OwnerText, in.Deadline, in.State, in.Note, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update measure: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getMeasure(ctx, tx, a.Tenant, riskID, id); err != nil {
			return err
		}
		if before.OwnerID != out.OwnerID || before.Deadline != out.Deadline || before.State != out.State || before.Description != out.Description {
			closed := work.StateCancelled
			if out.State == MeasureDone {
				closed = work.StateDone
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: measureRef(id)}, closed); err != nil {
				return err
			}
			if t, ok := measureTask(r, out); ok {
				if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "risk_measure", EntityID: id,
			Summary: r.Code + ": " + clip(out.Description, 120), Before: before, After: out})
	})
	return out, err
}

// MeasuresOf returns the measures of many risks of the actor's
// institution at once, by risk, for exports.
func (s *Service) MeasuresOf(ctx context.Context, a auth.Actor, riskIDs []int64) (map[int64][]Measure, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return nil, err
	}
	out := map[int64][]Measure{}
	for start := 0; start < len(riskIDs); start += 500 {
		chunk := riskIDs[start:min(len(riskIDs), start+500)]
		in, args := idList(chunk, 2)
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+measureColumns+measureFrom+` WHERE m.tenant_id = $1 AND m.risk_id IN (`+in+`) ORDER BY m.risk_id, m.id`,
			append([]any{a.Tenant}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("cannot read measures: %w", err)
		}
		for rows.Next() {
			m, err := scanMeasure(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("cannot read measures: %w", err)
			}
			out[m.RiskID] = append(out[m.RiskID], m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
