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
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// Input is what the alert form, or the team's edit, gives.
type Input struct {
	Kind         string
	UnitID       int64
	Objective    string
	Description  string
	Causes       string
	Consequences string
	OwnerID      int64
	OwnerText    string
	// InherentP and InherentI: probability and impact (likelihood and
	// benefit for an opportunity), 1 to the institution's scale.
	InherentP, InherentI int
	// Exposure, when given (the alert form shows it), must equal P×I.
	Exposure         int
	Strategy         string
	ProposedMeasures string
	Evidence         string
	Secondary        string
	Remarks          string
	// Level is set by the team's edit; the alert form leaves it empty.
	Level   string
	Version int
}

// Validate checks and normalises the input against a scale.
func (in *Input) Validate(scale int) error {
	v := apperr.Validation{}
	in.Objective = textutil.Clean(in.Objective)
	in.OwnerText = textutil.Clean(in.OwnerText)
	for _, t := range []*string{&in.Description, &in.Causes, &in.Consequences, &in.ProposedMeasures, &in.Evidence, &in.Secondary, &in.Remarks} {
		*t = strings.TrimSpace(textutil.CleanText(*t))
	}
	if !validKind(in.Kind) {
		v.Add("kind", "error.choice")
	}
	switch {
	case in.Description == "":
		v.Add("risk_description", "error.required")
	case utf8.RuneCountInString(in.Description) > MaxText:
		v.Add("risk_description", "error.too_long")
	}
	if utf8.RuneCountInString(in.Objective) > MaxShort {
		v.Add("risk_objective", "error.too_long")
	}
	if utf8.RuneCountInString(in.OwnerText) > MaxShort {
		v.Add("risk_owner_text", "error.too_long")
	}
	for name, t := range map[string]string{"risk_causes": in.Causes, "risk_consequences": in.Consequences, "risk_proposed_measures": in.ProposedMeasures,
		"risk_evidence": in.Evidence, "risk_secondary": in.Secondary, "risk_remarks": in.Remarks} {
		if utf8.RuneCountInString(t) > MaxText {
			v.Add(name, "error.too_long")
		}
	}
	if in.InherentP < 1 || in.InherentP > scale {
		v.Add("risk_p", "risks.error.level")
	}
	if in.InherentI < 1 || in.InherentI > scale {
		v.Add("risk_i", "risks.error.level")
	}
	if in.Exposure != 0 && in.InherentP >= 1 && in.InherentI >= 1 && in.Exposure != in.InherentP*in.InherentI {
		v.Add("risk_exposure", "risks.error.exposure")
	}
	if in.Strategy == "" {
		v.Add("risk_strategy", "error.required")
	} else if !slices.Contains(StrategiesOf(in.Kind), in.Strategy) {
		v.Add("risk_strategy", "error.choice")
	}
	if in.Level != "" && !slices.Contains(Levels, in.Level) {
		v.Add("risk_level", "error.choice")
	}
	return v.Err()
}

const riskColumns = `r.id, r.tenant_id, r.year, r.kind, r.code, r.level, COALESCE(r.unit_id, 0), r.objective, r.description, r.causes, r.consequences,
	COALESCE(r.owner_id, 0), r.owner_text, r.scale, r.inherent_p, r.inherent_i, r.inherent_e, r.strategy, r.residual_p, r.residual_i, r.residual_e,
	r.cur_p, r.cur_i, r.cur_e, r.last_review_on, r.next_review_on, r.secondary, r.remarks, r.proposed_measures, r.evidence, r.state, r.decision_reason,
	r.proposed_by, r.proposed_name, COALESCE(r.previous_id, 0), r.created_at, r.updated_at, r.version,
	COALESCE(u.name, ''), COALESCE(u.code, ''), COALESCE(p.full_name, '')`

const riskFrom = ` FROM risks r
	LEFT JOIN units u ON u.id = r.unit_id
	LEFT JOIN people p ON p.id = r.owner_id`

func scanRisk(row interface{ Scan(...any) error }) (Risk, error) {
	var r Risk
	err := row.Scan(&r.ID, &r.Tenant, &r.Year, &r.Kind, &r.Code, &r.Level, &r.UnitID, &r.Objective, &r.Description, &r.Causes, &r.Consequences,
		&r.OwnerID, &r.OwnerText, &r.Scale, &r.InherentP, &r.InherentI, &r.InherentE, &r.Strategy, &r.ResidualP, &r.ResidualI, &r.ResidualE,
		&r.CurP, &r.CurI, &r.CurE, &r.LastReviewOn, &r.NextReviewOn, &r.Secondary, &r.Remarks, &r.ProposedMeasures, &r.Evidence, &r.State, &r.DecisionReason,
		&r.ProposedBy, &r.ProposedName, &r.PreviousID, &r.CreatedAt, &r.UpdatedAt, &r.Version,
		&r.UnitName, &r.UnitCode, &r.OwnerName)
	return r, err
}

func scanRisks(rows *sql.Rows) ([]Risk, error) {
	defer rows.Close()
	var out []Risk
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read risk: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func getRisk(ctx context.Context, q querier, tenant, id int64) (Risk, error) {
	r, err := scanRisk(q.QueryRowContext(ctx, `SELECT `+riskColumns+riskFrom+` WHERE r.tenant_id = $1 AND r.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Risk{}, apperr.NotFound("risk")
	}
	if err != nil {
		return Risk{}, fmt.Errorf("cannot read risk: %w", err)
	}
	return r, nil
}

// Risk returns one entry of the actor's institution's register.
func (s *Service) Risk(ctx context.Context, a auth.Actor, id int64) (Risk, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return Risk{}, err
	}
	return getRisk(ctx, s.DB.R, a.Tenant, id)
}

// inSubtree reports whether unit lies in the subtree of the actor's own
// unit (their unit itself included).
func inSubtree(ctx context.Context, q querier, a auth.Actor, unit int64) (bool, error) {
	if a.PersonID == 0 || unit == 0 {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `WITH RECURSIVE sub(id) AS (
			SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2 AND unit_id IS NOT NULL
			UNION ALL
			SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE u.tenant_id = $1)
		SELECT COUNT(*) FROM sub WHERE id = $3`, a.Tenant, a.PersonID, unit).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("cannot check the actor's units: %w", err)
	}
	return n > 0, nil
}

// ownUnit returns the unit of the actor's person, 0 when none.
func ownUnit(ctx context.Context, q querier, a auth.Actor) (int64, error) {
	if a.PersonID == 0 {
		return 0, nil
	}
	var u sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, a.PersonID).Scan(&u)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("cannot read the actor's unit: %w", err)
	}
	return u.Int64, nil
}

// mayPropose reports whether a may send an alert form for unit: the risk
// management team and top management for any unit (0: the institution as
// a whole), a head of unit for the units they lead, anyone else who may
// propose for their own unit.
func mayPropose(ctx context.Context, q querier, a auth.Actor, unit int64) (bool, error) {
	if !a.Can(auth.PermRisksPropose) {
		return false, nil
	}
	if a.Can(auth.PermRisksManage) || a.HasRole(auth.RoleTopManagement) {
		return true, nil
	}
	if a.HasRole(auth.RoleHeadOfUnit) {
		return inSubtree(ctx, q, a, unit)
	}
	own, err := ownUnit(ctx, q, a)
	return err == nil && own != 0 && own == unit, err
}

// MayPropose reports whether a may send an alert form for unit.
func (s *Service) MayPropose(ctx context.Context, a auth.Actor, unit int64) (bool, error) {
	return mayPropose(ctx, s.DB.R, a, unit)
}

// mayWork reports whether a keeps r up to date (measures, reviews): the
// team, the risk's owner, the head of its unit.
func mayWork(ctx context.Context, q querier, a auth.Actor, r Risk) (bool, error) {
	if a.Can(auth.PermRisksManage) {
		return true, nil
	}
	if a.PersonID != 0 && a.PersonID == r.OwnerID {
		return true, nil
	}
	if a.HasRole(auth.RoleHeadOfUnit) {
		return inSubtree(ctx, q, a, r.UnitID)
	}
	return false, nil
}

// MayWork reports whether a records measures and reviews of r.
func (s *Service) MayWork(ctx context.Context, a auth.Actor, r Risk) (bool, error) {
	return mayWork(ctx, s.DB.R, a, r)
}

// MayEdit reports whether a may change r's register entry: the team, or
// whoever sent the alert form while it waits for a decision.
func MayEdit(a auth.Actor, r Risk) bool {
	if r.State == StateCarried || r.State == StateDeclined {
		return false
	}
	return a.Can(auth.PermRisksManage) || (r.State == StateProposed && a.UserID != 0 && a.UserID == r.ProposedBy)
}

func checkRefs(ctx context.Context, q querier, tenant int64, unit, owner int64) error {
	v := apperr.Validation{}
	var n int
	if unit != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&n); err != nil {
			return fmt.Errorf("cannot check unit: %w", err)
		}
		if n == 0 {
			v.Add("unit_id", "error.choice")
		}
	}
	if owner != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, owner).Scan(&n); err != nil {
			return fmt.Errorf("cannot check owner: %w", err)
		}
		if n == 0 {
			v.Add("owner_id", "error.choice")
		}
	}
	return v.Err()
}

func unitCode(ctx context.Context, q querier, tenant, unit int64) (string, error) {
	if unit == 0 {
		return "", nil
	}
	var code string
	if err := q.QueryRowContext(ctx, `SELECT code FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&code); err != nil {
		return "", fmt.Errorf("cannot read unit code: %w", err)
	}
	return code, nil
}

// nextCode is the next free code of kind in unit for year: R-DE-07. Last
// year's codes count too, so that a risk carried into this year keeps its
// code without meeting a new one.
func nextCode(ctx context.Context, q querier, tenant int64, year int, kind string, unit int64) (string, error) {
	uc, err := unitCode(ctx, q, tenant, unit)
	if err != nil {
		return "", err
	}
	prefix := codePrefix(kind, uc)
	rows, err := q.QueryContext(ctx, `SELECT code FROM risks WHERE tenant_id = $1 AND year IN ($2, $3) AND code LIKE $4 ESCAPE '\'`, tenant, year, year-1, db.LikePrefix(prefix))
	if err != nil {
		return "", fmt.Errorf("cannot read risk codes: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", fmt.Errorf("cannot read risk codes: %w", err)
		}
		var k int
		if _, err := fmt.Sscanf(strings.TrimPrefix(c, prefix), "%d", &k); err == nil && k > n {
			n = k
		}
	}
	return formatCode(prefix, n+1), rows.Err()
}

func searchText(code, description, causes string) string {
	return textutil.Fold(code + " " + description + " " + causes)
}

func sortText(description string) string {
	f := textutil.Fold(description)
	if utf8.RuneCountInString(f) > 120 {
		f = string([]rune(f)[:120])
	}
	return f
}

// Year is the register year of a moment: the civil year in Bucharest.
func Year(t time.Time) int { return work.Day(t).Year() }

// Propose sends an alert form: the risk (or opportunity) waits as proposed,
// with a task before the risk management team.
func (s *Service) Propose(ctx context.Context, a auth.Actor, in Input) (Risk, error) {
	if err := a.Require(auth.PermRisksPropose); err != nil {
		return Risk{}, err
	}
	in.Level = ""
	now := s.Clock.Now()
	var out Risk
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		st, err := s.settings(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if err := in.Validate(st.Scale); err != nil {
			return err
		}
		if ok, err := mayPropose(ctx, tx, a, in.UnitID); err != nil {
			return err
		} else if !ok {
			if in.UnitID == 0 {
				return apperr.Validation{"unit_id": "error.required"}
			}
			return apperr.Forbidden(string(auth.PermRisksPropose))
		}
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, in.OwnerID); err != nil {
			return err
		}
		year := Year(now)
		code, err := nextCode(ctx, tx, a.Tenant, year, in.Kind, in.UnitID)
		if err != nil {
			return err
		}
		level := LevelUnit
		if in.UnitID == 0 {
			level = LevelInstitution
		}
		e := Exposure(in.InherentP, in.InherentI)
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, unit_id, objective, description, causes, consequences,
				owner_id, owner_text, scale, inherent_p, inherent_i, inherent_e, strategy, cur_p, cur_i, cur_e, proposed_measures, evidence, secondary, remarks,
				state, proposed_by, proposed_name, search_text, sort_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $15, $16, $17, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $28)
			RETURNING id`,
			a.Tenant, year, in.Kind, code, sortCode(code), level, nullID(in.UnitID), in.Objective, in.Description, in.Causes, in.Consequences,
			nullID(in.OwnerID), in.OwnerText, st.Scale, in.InherentP, in.InherentI, e, in.Strategy, in.ProposedMeasures, in.Evidence, in.Secondary, in.Remarks,
			StateProposed, a.UserID, a.Name, searchText(code, in.Description, in.Causes), sortText(in.Description), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Conflict("risks.error.code_taken")
		}
		if err != nil {
			return fmt.Errorf("cannot record risk: %w", err)
		}
		if err := insertStep(ctx, tx, a, id, workflow.Step{Action: ActPropose, To: StateProposed, ActorID: a.UserID, Actor: a.Name, At: now}); err != nil {
			return err
		}
		if out, err = getRisk(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: riskRef(id), Kind: work.KindApprove, Title: out.Code + " " + clip(out.Description, 200),
			Details: "Formular de alertă la risc: reținere în registrul compartimentului, escaladare în registrul instituției sau respingere (nerelevant).", Link: fmt.Sprintf("/risks/%d#decision", id), Assignee: work.Assignee{Role: auth.RoleQualityManager},
			Due: work.Day(now).AddDate(0, 0, DecisionDays)}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "risk", EntityID: id,
			Summary: out.Code + " " + clip(out.Description, 120), After: out})
	})
	return out, err
}

// DecisionDays is how long the team has to decide on an alert form.
const DecisionDays = 10

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Update changes a register entry; a stale Version is refused. An entry
// scored on another scale than the institution's is rescored on the
// current one, and its residual score waits for the next review.
func (s *Service) Update(ctx context.Context, a auth.Actor, id int64, in Input) (Risk, error) {
	now := s.Clock.Now()
	var out Risk
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getRisk(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !MayEdit(a, before) {
			return apperr.Forbidden(string(auth.PermRisksManage))
		}
		st, err := s.settings(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		in.Kind = before.Kind // the kind of an entry does not change
		if !a.Can(auth.PermRisksManage) || in.Level == "" {
			in.Level = before.Level
		}
		if err := in.Validate(st.Scale); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.UnitID != before.UnitID {
			if ok, err := mayPropose(ctx, tx, a, in.UnitID); err != nil {
				return err
			} else if !ok {
				return apperr.Validation{"unit_id": "error.choice"}
			}
		}
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, in.OwnerID); err != nil {
			return err
		}
		rp, ri, re := before.ResidualP, before.ResidualI, before.ResidualE
		if before.Scale != st.Scale {
			rp, ri, re = 0, 0, 0
		}
		e := Exposure(in.InherentP, in.InherentI)
		cp, ci, ce := in.InherentP, in.InherentI, e
		if re > 0 {
			cp, ci, ce = rp, ri, re
		}
		res, err := tx.ExecContext(ctx, `UPDATE risks SET level = $1, unit_id = $2, objective = $3, description = $4, causes = $5, consequences = $6,
				owner_id = $7, owner_text = $8, scale = $9, inherent_p = $10, inherent_i = $11, inherent_e = $12, strategy = $13,
				residual_p = $14, residual_i = $15, residual_e = $16, cur_p = $17, cur_i = $18, cur_e = $19,
				proposed_measures = $20, evidence = $21, secondary = $22, remarks = $23, search_text = $24, sort_text = $25, updated_at = $26, version = version + 1
			WHERE tenant_id = $27 AND id = $28 AND version = $29`,
			in.Level, nullID(in.UnitID), in.Objective, in.Description, in.Causes, in.Consequences, nullID(in.OwnerID), in.OwnerText, st.Scale,
			in.InherentP, in.InherentI, e, in.Strategy, rp, ri, re, cp, ci, ce, in.ProposedMeasures, in.Evidence, in.Secondary, in.Remarks,
			searchText(before.Code, in.Description, in.Causes), sortText(in.Description), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update risk: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getRisk(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if out.State == StateActive && out.OwnerID != before.OwnerID {
			if err := s.scheduleReview(ctx, tx, a, out); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "risk", EntityID: id,
			Summary: out.Code + " " + clip(out.Description, 120), Before: before, After: out})
	})
	return out, err
}

func insertStep(ctx context.Context, tx *sql.Tx, a auth.Actor, riskID int64, st workflow.Step) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO risk_steps (tenant_id, risk_id, action, from_state, to_state, reason, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.Tenant, riskID, st.Action, string(st.From), string(st.To), st.Reason, st.ActorID, st.Actor, st.At); err != nil {
		return fmt.Errorf("cannot record risk step: %w", err)
	}
	return nil
}

// Steps lists a risk's workflow steps, oldest first.
func (s *Service) Steps(ctx context.Context, a auth.Actor, id int64) ([]Step, error) {
	if _, err := s.Risk(ctx, a, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT action, from_state, to_state, reason, actor_name, at FROM risk_steps WHERE tenant_id = $1 AND risk_id = $2 ORDER BY id`, a.Tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read risk steps: %w", err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.Action, &st.From, &st.To, &st.Reason, &st.ActorName, &st.At); err != nil {
			return nil, fmt.Errorf("cannot read risk steps: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
