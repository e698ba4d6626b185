package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// StandardSummary is one row of the summary (situația sintetică).
type StandardSummary struct {
	Standard frameworks.OSGGStandard
	Tally    Tally
	Status   string // Tally.Status()
	Measures string
	Version  int // of the measures (0: none written yet)
}

// ComponentSummary groups the rows of a component.
type ComponentSummary struct {
	Component frameworks.OSGGComponent
	Standards []StandardSummary
}

// Summary is the institution's summary of an evaluation: per standard the
// compartments where it applies and how many rated it I, PI and NI, the
// standard's status, and the system's grade.
type Summary struct {
	Evaluation Evaluation
	Settings   Settings
	Components []ComponentSummary
	// Units taking part, and those that submitted.
	Units, Submitted int
	// Standards implemented, partially and not implemented (or unrated).
	Implemented, Partial, NotImplemented int
	Grade                                string
}

// Standards lists the summary's rows in the model's order.
func (s Summary) Standards() []StandardSummary {
	var out []StandardSummary
	for _, c := range s.Components {
		out = append(out, c.Standards...)
	}
	return out
}

// Summary computes an evaluation's summary from its answers: every
// compartment's answers are read in one query, each compartment's status
// of each standard comes from UnitStatus, the institution's from Tally,
// and the grade from the settings' thresholds. A standard no compartment
// has rated yet counts as not implemented.
func (s *Service) Summary(ctx context.Context, a auth.Actor, evalID int64) (Summary, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Summary{}, err
	}
	return summarize(ctx, s.DB.R, a.Tenant, evalID)
}

// summarize computes the summary of one of tenant's evaluations.
func summarize(ctx context.Context, q evalQuerier, tenant, evalID int64) (Summary, error) {
	a := auth.Actor{Tenant: tenant}
	e, err := evalGet(ctx, q, a.Tenant, evalID)
	if err != nil {
		return Summary{}, err
	}
	st, err := evalSettingsOf(ctx, q, a.Tenant)
	if err != nil {
		return Summary{}, err
	}
	units, answers, err := evalAllAnswers(ctx, q, a.Tenant, evalID)
	if err != nil {
		return Summary{}, err
	}
	measures, err := evalMeasuresOf(ctx, q, a.Tenant, evalID)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{Evaluation: e, Settings: st, Units: e.Units, Submitted: e.Submitted}
	for _, c := range e.OSGG().Components {
		cs := ComponentSummary{Component: c}
		for _, std := range c.Standards {
			row := StandardSummary{Standard: std, Tally: tallyStandard(std, units, answers)}
			row.Status = row.Tally.Status()
			m := measures[std.Number]
			row.Measures, row.Version = m.text, m.version
			switch row.Status {
			case StatusImplemented:
				out.Implemented++
			case StatusPartial:
				out.Partial++
			default:
				out.NotImplemented++
			}
			cs.Standards = append(cs.Standards, row)
		}
		out.Components = append(out.Components, cs)
	}
	// A consolidated evaluation keeps the thresholds it was graded with.
	conformMin, partialMin := st.ConformMin, st.PartialMin
	if e.ConformMin > 0 {
		conformMin, partialMin = e.ConformMin, e.PartialMin
	}
	out.Grade = Grade(out.Implemented, conformMin, partialMin)
	return out, nil
}

// tallyStandard counts the compartments' statuses of one standard.
func tallyStandard(std frameworks.OSGGStandard, units []int64, answers map[int64]map[string]string) Tally {
	var t Tally
	given := make([]string, len(std.Questions))
	for _, u := range units {
		mine := answers[u]
		for i, q := range std.Questions {
			given[i] = mine[q.Code]
		}
		t.Add(UnitStatus(given))
	}
	return t
}

// evalAllAnswers reads the units of an evaluation and every answer given
// in it, by unit and question: one query for the answers, however many
// compartments answer.
func evalAllAnswers(ctx context.Context, q evalQuerier, tenant, evalID int64) ([]int64, map[int64]map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit_id FROM control_eval_units WHERE tenant_id = $1 AND evaluation_id = $2 ORDER BY unit_id`, tenant, evalID)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read control evaluation units: %w", err)
	}
	var units []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("cannot read control evaluation units: %w", err)
		}
		units = append(units, id)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, nil, err
	}
	answers := make(map[int64]map[string]string, len(units))
	rows, err = q.QueryContext(ctx, `SELECT unit_id, question, answer FROM control_answers WHERE tenant_id = $1 AND evaluation_id = $2`, tenant, evalID)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read control answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		var code, answer string
		if err := rows.Scan(&unit, &code, &answer); err != nil {
			return nil, nil, fmt.Errorf("cannot read control answers: %w", err)
		}
		m := answers[unit]
		if m == nil {
			m = make(map[string]string, 80)
			answers[unit] = m
		}
		m[code] = answer
	}
	return units, answers, rows.Err()
}

type evalMeasures struct {
	text    string
	version int
}

func evalMeasuresOf(ctx context.Context, q evalQuerier, tenant, evalID int64) (map[int]evalMeasures, error) {
	rows, err := q.QueryContext(ctx, `SELECT standard, measures, version FROM control_eval_standards WHERE tenant_id = $1 AND evaluation_id = $2`, tenant, evalID)
	if err != nil {
		return nil, fmt.Errorf("cannot read control measures: %w", err)
	}
	defer rows.Close()
	out := map[int]evalMeasures{}
	for rows.Next() {
		var n int
		var m evalMeasures
		if err := rows.Scan(&n, &m.text, &m.version); err != nil {
			return nil, fmt.Errorf("cannot read control measures: %w", err)
		}
		out[n] = m
	}
	return out, rows.Err()
}

// SaveMeasures records the measures to adopt for a standard (form field
// measures); version is the one read, 0 while none were written.
func (s *Service) SaveMeasures(ctx context.Context, a auth.Actor, evalID int64, standard int, measures string, version int) error {
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	measures = textutil.CleanText(measures)
	if utf8.RuneCountInString(measures) > EvalMaxText {
		return apperr.Validation{"measures": "error.too_long"}
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e, err := evalGet(ctx, tx, a.Tenant, evalID)
		if err != nil {
			return err
		}
		if e.State == EvalApproved {
			return apperr.Conflict("control.error.eval_approved")
		}
		if _, ok := e.OSGG().Standard(standard); !ok {
			return apperr.NotFound("control_standard")
		}
		var before evalMeasures
		err = tx.QueryRowContext(ctx, `SELECT measures, version FROM control_eval_standards WHERE tenant_id = $1 AND evaluation_id = $2 AND standard = $3`,
			a.Tenant, evalID, standard).Scan(&before.text, &before.version)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("cannot read control measures: %w", err)
		}
		if before.version != version {
			return apperr.Stale()
		}
		if before.version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO control_eval_standards (tenant_id, evaluation_id, standard, measures, updated_at) VALUES ($1, $2, $3, $4, $5)`,
				a.Tenant, evalID, standard, measures, now)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE control_eval_standards SET measures = $1, updated_at = $2, version = version + 1
				WHERE tenant_id = $3 AND evaluation_id = $4 AND standard = $5 AND version = $6`, measures, now, a.Tenant, evalID, standard, version)
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return apperr.Stale()
				}
			}
		}
		if err != nil {
			return fmt.Errorf("cannot save control measures: %w", err)
		}
		type logged struct {
			Standard int    `json:"standard"`
			Measures string `json:"measures"`
		}
		ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityMeasures, EntityID: evalID,
			Summary: strconv.Itoa(e.Year) + " · standard " + strconv.Itoa(standard), After: logged{standard, measures}}
		if before.version == 0 {
			ev.Action = audit.ActionCreate
		} else {
			ev.Before = logged{standard, before.text}
		}
		return audit.Record(ctx, tx, now, ev)
	})
}
