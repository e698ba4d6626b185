package scorecard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// KPI kinds of KPIFilter.Kind.
const (
	KindEntered = "entered" // values people enter
	KindMetric  = "metric"  // computed by another module
	KindFormula = "formula" // computed from other KPIs
)

const stKPIColumns = `k.id, k.tenant_id, k.code, k.name, k.description, k.measure_unit, k.polarity, k.method, k.frequency, k.baseline, k.red_low, k.red_high,
	k.decimals, COALESCE(k.owner_id, 0), COALESCE(pe.full_name, ''), k.data_source, k.metric, k.formula, COALESCE(k.objective_id, 0), COALESCE(o.code, ''),
	COALESCE(k.unit_id, 0), COALESCE(u.name, ''), k.process, k.weight, k.archived, k.created_at, k.updated_at, k.version`

const stKPIFrom = ` FROM scorecard_kpis k
	LEFT JOIN people pe ON pe.id = k.owner_id
	LEFT JOIN scorecard_objectives o ON o.id = k.objective_id
	LEFT JOIN units u ON u.id = k.unit_id`

func stScanKPI(row interface{ Scan(...any) error }) (KPI, error) {
	var k KPI
	var base, red, redHigh sql.NullFloat64
	err := row.Scan(&k.ID, &k.Tenant, &k.Code, &k.Name, &k.Description, &k.MeasureUnit, &k.Polarity, &k.Method, &k.Frequency, &base, &red, &redHigh,
		&k.Decimals, &k.OwnerID, &k.OwnerName, &k.DataSource, &k.Metric, &k.Formula, &k.ObjectiveID, &k.ObjectiveCode,
		&k.UnitID, &k.UnitName, &k.Process, &k.Weight, &k.Archived, &k.Created, &k.Updated, &k.Version)
	k.Baseline, k.Red, k.RedHigh = stFloat(base), stFloat(red), stFloat(redHigh)
	return k, err
}

func stScanKPIs(rows *sql.Rows) ([]KPI, error) {
	defer rows.Close()
	var out []KPI
	for rows.Next() {
		k, err := stScanKPI(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read KPI: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// stGetKPI reads one KPI of tenant (in a transaction or from the pool).
func stGetKPI(ctx context.Context, q stQuerier, tenant, id int64) (KPI, error) {
	k, err := stScanKPI(q.QueryRowContext(ctx, `SELECT `+stKPIColumns+stKPIFrom+` WHERE k.tenant_id = $1 AND k.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return KPI{}, apperr.NotFound(EntityKPI)
	}
	if err != nil {
		return KPI{}, fmt.Errorf("cannot read KPI: %w", err)
	}
	return k, nil
}

// stGetKPIByCode reads one KPI of tenant by its code.
func stGetKPIByCode(ctx context.Context, q stQuerier, tenant int64, code string) (KPI, error) {
	k, err := stScanKPI(q.QueryRowContext(ctx, `SELECT `+stKPIColumns+stKPIFrom+` WHERE k.tenant_id = $1 AND k.code = $2`, tenant, strings.ToUpper(strings.TrimSpace(code))))
	if errors.Is(err, sql.ErrNoRows) {
		return KPI{}, apperr.NotFound(EntityKPI)
	}
	if err != nil {
		return KPI{}, fmt.Errorf("cannot read KPI: %w", err)
	}
	return k, nil
}

var stKPISorts = map[string]string{
	"code":      "k.code",
	"name":      "k.search_text",
	"frequency": "CASE k.frequency WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 2 WHEN 'halfyearly' THEN 3 ELSE 4 END",
	"owner":     "COALESCE(pe.full_name, '')",
	"objective": "COALESCE(o.code, '')",
	"updated":   "k.updated_at",
}

// KPISorts lists the KPI list's sort keys.
func KPISorts() []string {
	return []string{"code", "name", "frequency", "owner", "objective", "updated"}
}

// KPIs lists KPIs.
func (s *Service) KPIs(ctx context.Context, a auth.Actor, f KPIFilter) (KPIPage, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return KPIPage{}, err
	}
	where := ` WHERE k.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`k.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if f.ObjectiveID != 0 {
		add(`k.objective_id = ?`, f.ObjectiveID)
	}
	if f.UnitID != 0 {
		add(`k.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = ?
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub)`, f.UnitID)
	}
	if f.Process != "" {
		add(`k.process = ?`, f.Process)
	}
	if slices.Contains(Frequencies, f.Frequency) {
		add(`k.frequency = ?`, f.Frequency)
	}
	switch f.Kind {
	case KindEntered:
		add(`k.metric = '' AND k.formula = ''`)
	case KindMetric:
		add(`k.metric <> ''`)
	case KindFormula:
		add(`k.formula <> ''`)
	}
	if f.OwnerID != 0 {
		add(`k.owner_id = ?`, f.OwnerID)
	}
	if !f.Archived {
		add(`NOT k.archived`)
	}
	var page KPIPage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecard_kpis k`+where, args...).Scan(&page.Total); err != nil {
		return KPIPage{}, fmt.Errorf("cannot count KPIs: %w", err)
	}
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	sort := f.Sort
	if f.Desc {
		sort = "-" + sort
	}
	order, args := db.OrderPage(stKPISorts, sort, "code", "k.id", per, (max(f.Page, 1)-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+stKPIColumns+stKPIFrom+where+order, args...)
	if err != nil {
		return KPIPage{}, fmt.Errorf("cannot list KPIs: %w", err)
	}
	page.Items, err = stScanKPIs(rows)
	return page, err
}

// KPI reads one KPI.
func (s *Service) KPI(ctx context.Context, a auth.Actor, id int64) (KPI, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return KPI{}, err
	}
	return stGetKPI(ctx, s.DB.R, a.Tenant, id)
}

// KPIByCode reads one KPI by its code.
func (s *Service) KPIByCode(ctx context.Context, a auth.Actor, code string) (KPI, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return KPI{}, err
	}
	return stGetKPIByCode(ctx, s.DB.R, a.Tenant, code)
}

// KPICodeOK reports whether code can name a KPI in a formula: an ASCII
// letter, then letters, digits, "_" or ".", not ending with a dot.
func KPICodeOK(code string) bool {
	if code == "" || len(code) > MaxCode || strings.HasSuffix(code, ".") {
		return false
	}
	for i, r := range code {
		letter := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		if !(letter || i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '.')) {
			return false
		}
	}
	return true
}

func stFinite(f *float64) bool { return f == nil || !math.IsNaN(*f) && !math.IsInf(*f, 0) }

// Validate checks and normalises a KPI's input on its own; the references
// are checked against the database by the store.
func (in *KPIInput) Validate() apperr.Validation {
	v := apperr.Validation{}
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = textutil.Clean(in.Name)
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.MeasureUnit = textutil.Clean(in.MeasureUnit)
	in.DataSource = textutil.Clean(in.DataSource)
	in.Process = textutil.Clean(in.Process)
	in.Metric = strings.TrimSpace(in.Metric)
	in.Formula = strings.Join(strings.Fields(in.Formula), " ")
	switch {
	case in.Name == "":
		v.Add("kpi_name", "error.required")
	case utf8.RuneCountInString(in.Name) > MaxTitle:
		v.Add("kpi_name", "error.too_long")
	}
	if in.Code != "" && !KPICodeOK(in.Code) {
		v.Add("kpi_code", "scorecard.error.kpi_code_format")
	}
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add("kpi_description", "error.too_long")
	}
	if utf8.RuneCountInString(in.MeasureUnit) > 20 {
		v.Add("kpi_measure_unit", "error.too_long")
	}
	if utf8.RuneCountInString(in.DataSource) > MaxTitle {
		v.Add("kpi_data_source", "error.too_long")
	}
	if utf8.RuneCountInString(in.Process) > MaxTitle {
		v.Add("kpi_process", "error.too_long")
	}
	for field, val := range map[string]string{"kpi_polarity": in.Polarity, "kpi_method": in.Method, "kpi_frequency": in.Frequency} {
		list := map[string][]string{"kpi_polarity": Polarities, "kpi_method": Methods, "kpi_frequency": Frequencies}[field]
		switch {
		case val == "":
			v.Add(field, "error.required")
		case !slices.Contains(list, val):
			v.Add(field, "error.choice")
		}
	}
	for field, f := range map[string]*float64{"kpi_baseline": in.Baseline, "kpi_red": in.Red, "kpi_red_high": in.RedHigh} {
		if !stFinite(f) {
			v.Add(field, "scorecard.error.number")
		}
	}
	if in.Polarity != PolarityBand {
		in.RedHigh = nil
	} else if in.Red != nil && in.RedHigh != nil && *in.Red >= *in.RedHigh {
		v.Add("kpi_red_high", "scorecard.error.band_order")
	}
	if in.Decimals < 0 || in.Decimals > 6 {
		v.Add("kpi_decimals", "error.range")
	}
	if stBadWeight(in.Weight) {
		v.Add("kpi_weight", "scorecard.error.weight")
	}
	if in.Metric != "" && in.Formula != "" {
		v.Add("kpi_formula", "scorecard.error.metric_and_formula")
	}
	if in.Formula != "" {
		if _, err := ParseFormula(in.Formula); err != nil {
			v.Add("kpi_formula", err.Error())
		}
	}
	return v
}

// stFormulaCodes reads every non-archived formula of tenant by KPI code.
func stFormulaCodes(ctx context.Context, q stQuerier, tenant int64) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, formula FROM scorecard_kpis WHERE tenant_id = $1 AND formula <> '' AND NOT archived`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read formulas: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var code, src string
		if err := rows.Scan(&code, &src); err != nil {
			return nil, fmt.Errorf("cannot read formulas: %w", err)
		}
		if f, err := ParseFormula(src); err == nil {
			out[code] = f.Codes()
		}
	}
	return out, rows.Err()
}

// stFormulaCycle reports whether code, reading the given codes, reaches
// itself through the other KPIs' formulas.
func stFormulaCycle(graph map[string][]string, code string, reads []string) bool {
	seen := map[string]bool{}
	stack := append([]string(nil), reads...)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c == code {
			return true
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		stack = append(stack, graph[c]...)
	}
	return false
}

// stCheckKPI checks in's references in tenant; before is the KPI being
// changed (zero for a new one).
func (s *Service) stCheckKPI(ctx context.Context, q stQuerier, tenant int64, before KPI, in *KPIInput, v apperr.Validation) error {
	if in.OwnerID != 0 {
		if ok, err := stPersonOK(ctx, q, tenant, in.OwnerID); err != nil {
			return err
		} else if !ok {
			v.Add("kpi_owner", "error.choice")
		}
	}
	if in.ObjectiveID != 0 {
		o, err := stGetObjective(ctx, q, tenant, in.ObjectiveID)
		if err != nil && apperr.KindOf(err) != apperr.KindNotFound {
			return err
		}
		if err != nil || o.Archived {
			v.Add("kpi_objective", "error.choice")
		} else if in.UnitID == 0 {
			in.UnitID = o.UnitID // a unit's objective's KPI is the unit's
		}
	}
	if in.UnitID != 0 {
		if ok, err := stUnitOK(ctx, q, tenant, in.UnitID); err != nil {
			return err
		} else if !ok {
			v.Add("kpi_unit", "error.choice")
		}
	}
	if in.Metric != "" {
		if ok, err := s.stMetricKnown(ctx, tenant, in.Metric); err != nil {
			return err
		} else if !ok {
			v.Add("kpi_metric", "error.choice")
		}
	}
	if in.Code != "" {
		n, err := stCount(ctx, q, `SELECT COUNT(*) FROM scorecard_kpis WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, in.Code, before.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			v.Add("kpi_code", "scorecard.error.code_taken")
		}
	}
	var graph map[string][]string
	if before.ID != 0 && in.Code != before.Code || in.Formula != "" {
		var err error
		if graph, err = stFormulaCodes(ctx, q, tenant); err != nil {
			return err
		}
	}
	if before.ID != 0 && in.Code != before.Code {
		for code, reads := range graph {
			if code != before.Code && slices.Contains(reads, before.Code) {
				v.Add("kpi_code", "scorecard.error.code_in_formula")
				break
			}
		}
	}
	if f, err := ParseFormula(in.Formula); in.Formula != "" && err == nil {
		codes := f.Codes()
		self := in.Code
		if self == "" {
			self = before.Code
		}
		for _, c := range codes {
			if c == self || before.ID != 0 && c == before.Code {
				v.Add("kpi_formula", "scorecard.error.formula_self")
				return nil
			}
		}
		// Every code names a KPI of the institution in use.
		placeholders := make([]string, len(codes))
		args := []any{tenant}
		for i, c := range codes {
			args = append(args, c)
			placeholders[i] = fmt.Sprintf("$%d", i+2)
		}
		n, err := stCount(ctx, q, `SELECT COUNT(*) FROM scorecard_kpis WHERE tenant_id = $1 AND NOT archived AND code IN (`+strings.Join(placeholders, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		if n != len(codes) {
			v.Add("kpi_formula", "scorecard.error.formula_code")
			return nil
		}
		if self != "" && stFormulaCycle(graph, self, codes) {
			v.Add("kpi_formula", "scorecard.error.formula_cycle")
		}
	}
	return nil
}

// stMetricKnown reports whether some metric source offers key to the
// institution.
func (s *Service) stMetricKnown(ctx context.Context, tenant int64, key string) (bool, error) {
	ms, err := s.AllMetrics(ctx, tenant)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(ms, func(m evidence.Metric) bool { return m.Key == key }), nil
}

// stTargetProblem says what is wrong with target t of KPI rule r, as a
// field of the KPI ("baseline", "red", "red_high", "high") and a message
// key; "" when nothing is.
func stTargetProblem(r Rule, t Target) (field, key string) {
	if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) || !stFinite(t.High) {
		return "target", "scorecard.error.number"
	}
	switch r.Polarity {
	case PolarityBand:
		high := t.Value
		if t.High != nil {
			high = *t.High
		}
		if high < t.Value {
			return "high", "scorecard.error.target_high"
		}
		if r.Red != nil && *r.Red >= t.Value {
			return "red", "scorecard.error.red_band_low"
		}
		if r.RedHigh != nil && *r.RedHigh <= high {
			return "red_high", "scorecard.error.red_band_high"
		}
	case PolarityLower:
		if r.Red != nil && *r.Red <= t.Value {
			return "red", "scorecard.error.red_lower"
		}
		if r.Baseline != nil && *r.Baseline < t.Value {
			return "baseline", "scorecard.error.baseline_lower"
		}
	default:
		if r.Red != nil && *r.Red >= t.Value {
			return "red", "scorecard.error.red_higher"
		}
		if r.Baseline != nil && *r.Baseline > t.Value {
			return "baseline", "scorecard.error.baseline_higher"
		}
	}
	return "", ""
}

func stKPISearch(code, name string) string { return textutil.Fold(code + " " + name) }

// CreateKPI adds a KPI.
func (s *Service) CreateKPI(ctx context.Context, a auth.Actor, in KPIInput) (KPI, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return KPI{}, err
	}
	now := s.Clock.Now()
	var out KPI
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v := in.Validate()
		if err := s.stCheckKPI(ctx, tx, a.Tenant, KPI{}, &in, v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.Code == "" {
			var err error
			if in.Code, err = stNextCode(ctx, tx, `SELECT code FROM scorecard_kpis WHERE tenant_id = $1 AND code LIKE $2 ESCAPE '\'`, a.Tenant, "K", 2); err != nil {
				return err
			}
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO scorecard_kpis (tenant_id, code, name, description, measure_unit, polarity, method, frequency, baseline, red_low, red_high,
				decimals, owner_id, data_source, metric, formula, objective_id, unit_id, process, weight, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) RETURNING id`,
			a.Tenant, in.Code, in.Name, in.Description, in.MeasureUnit, in.Polarity, in.Method, in.Frequency, stNullF(in.Baseline), stNullF(in.Red), stNullF(in.RedHigh),
			in.Decimals, stNullID(in.OwnerID), in.DataSource, in.Metric, in.Formula, stNullID(in.ObjectiveID), stNullID(in.UnitID), in.Process, in.Weight,
			stKPISearch(in.Code, in.Name), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"kpi_code": "scorecard.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create KPI: %w", err)
		}
		if out, err = stGetKPI(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityKPI,
			EntityID: id, Summary: out.Code + " " + stClip(out.Name, 120), After: out})
	})
	return out, err
}

// UpdateKPI changes a KPI; an empty code keeps the old one. A new owner
// takes over the due-value tasks at the next refresh.
func (s *Service) UpdateKPI(ctx context.Context, a auth.Actor, id int64, in KPIInput) (KPI, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return KPI{}, err
	}
	now := s.Clock.Now()
	var out KPI
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stGetKPI(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		v := in.Validate()
		if in.Code == "" {
			in.Code = before.Code
		}
		if err := s.stCheckKPI(ctx, tx, a.Tenant, before, &in, v); err != nil {
			return err
		}
		if in.Frequency != before.Frequency {
			// Values and targets are kept by period key: a KPI with values
			// keeps its frequency.
			n, err := stCount(ctx, tx, `SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1 AND kpi_id = $2`, a.Tenant, id)
			if err != nil {
				return err
			}
			if n > 0 {
				v.Add("kpi_frequency", "scorecard.error.frequency_has_values")
			}
		}
		if len(v) == 0 {
			ts, err := stTargets(ctx, tx, a.Tenant, id)
			if err != nil {
				return err
			}
			rule := Rule{Polarity: in.Polarity, Method: in.Method, Baseline: in.Baseline, Red: in.Red, RedHigh: in.RedHigh}
			for _, t := range ts {
				if field, key := stTargetProblem(rule, t); field != "" {
					if field == "high" || field == "target" {
						field = "polarity"
					}
					v.Add("kpi_"+field, key)
					break
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_kpis SET code = $1, name = $2, description = $3, measure_unit = $4, polarity = $5, method = $6, frequency = $7,
				baseline = $8, red_low = $9, red_high = $10, decimals = $11, owner_id = $12, data_source = $13, metric = $14, formula = $15, objective_id = $16,
				unit_id = $17, process = $18, weight = $19, search_text = $20, updated_at = $21, version = version + 1
			WHERE tenant_id = $22 AND id = $23 AND version = $24`,
			in.Code, in.Name, in.Description, in.MeasureUnit, in.Polarity, in.Method, in.Frequency, stNullF(in.Baseline), stNullF(in.Red), stNullF(in.RedHigh),
			in.Decimals, stNullID(in.OwnerID), in.DataSource, in.Metric, in.Formula, stNullID(in.ObjectiveID), stNullID(in.UnitID), in.Process, in.Weight,
			stKPISearch(in.Code, in.Name), now, a.Tenant, id, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"kpi_code": "scorecard.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update KPI: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = stGetKPI(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if out.OwnerID != before.OwnerID || !out.Entered() {
			// The due-value task belongs to the owner of an entered KPI; the
			// next refresh hands it to the new one.
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: work.Ref{Module: Module, Entity: EntityKPI, ID: id}, Kind: work.KindReport}, work.StateCancelled); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityKPI,
			EntityID: id, Summary: out.Code + " " + stClip(out.Name, 120), Before: before, After: out})
	})
	return out, err
}

// ArchiveKPI takes a KPI off the scorecard, keeping its values. A KPI that
// another KPI's formula reads is refused; its due-value tasks are cancelled.
func (s *Service) ArchiveKPI(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stGetKPI(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		if before.Archived {
			return nil
		}
		graph, err := stFormulaCodes(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		for code, reads := range graph {
			if code != before.Code && slices.Contains(reads, before.Code) {
				return apperr.Conflict("scorecard.error.archive_in_formula")
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_kpis SET archived = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
			true, now, a.Tenant, id, version)
		if err != nil {
			return fmt.Errorf("cannot archive KPI: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: work.Ref{Module: Module, Entity: EntityKPI, ID: id}}, work.StateCancelled); err != nil {
			return err
		}
		after, err := stGetKPI(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityKPI,
			EntityID: id, Summary: before.Code + " " + stClip(before.Name, 120), Before: before, After: after})
	})
}

// ---- Targets ----

// stTargets reads a KPI's targets in period order.
func stTargets(ctx context.Context, q stQuerier, tenant, kpiID int64) ([]Target, error) {
	rows, err := q.QueryContext(ctx, `SELECT period, target, target_high FROM scorecard_targets WHERE tenant_id = $1 AND kpi_id = $2 ORDER BY period`, tenant, kpiID)
	if err != nil {
		return nil, fmt.Errorf("cannot read targets: %w", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		var high sql.NullFloat64
		if err := rows.Scan(&t.Period, &t.Value, &high); err != nil {
			return nil, fmt.Errorf("cannot read targets: %w", err)
		}
		t.High = stFloat(high)
		out = append(out, t)
	}
	return out, rows.Err()
}

// Targets lists a KPI's targets by period key.
func (s *Service) Targets(ctx context.Context, a auth.Actor, kpiID int64) ([]Target, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	if _, err := stGetKPI(ctx, s.DB.R, a.Tenant, kpiID); err != nil {
		return nil, err
	}
	return stTargets(ctx, s.DB.R, a.Tenant, kpiID)
}

// SetTargets replaces the targets of the given periods (a target with
// Value NaN removes the period's target); version is the KPI's, which the
// change moves on. A period must be of the KPI's frequency or a year; a
// problem is reported on the field "kpi_target_<period key>" (the key as
// given when it cannot be read).
func (s *Service) SetTargets(ctx context.Context, a auth.Actor, kpiID int64, version int, ts []Target) error {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		k, err := stGetKPI(ctx, tx, a.Tenant, kpiID)
		if err != nil {
			return err
		}
		v := apperr.Validation{}
		set := map[string]Target{}
		var order []string
		for _, t := range ts {
			p, err := ParsePeriod(t.Period)
			if err != nil {
				v.Add("kpi_target_"+strings.TrimSpace(t.Period), "scorecard.error.period")
				continue
			}
			if p.Freq != k.Frequency && p.Freq != Yearly {
				v.Add("kpi_target_"+p.Key(), "scorecard.error.period_frequency")
				continue
			}
			t.Period = p.Key()
			if k.Polarity != PolarityBand {
				t.High = nil
			}
			if !math.IsNaN(t.Value) {
				if _, key := stTargetProblem(k.Rule(), t); key != "" {
					v.Add("kpi_target_"+t.Period, key)
					continue
				}
			}
			if _, ok := set[t.Period]; !ok {
				order = append(order, t.Period)
			}
			set[t.Period] = t
		}
		if err := v.Err(); err != nil {
			return err
		}
		if k.Version != version {
			return apperr.Stale()
		}
		before, err := stTargets(ctx, tx, a.Tenant, kpiID)
		if err != nil {
			return err
		}
		for _, key := range order {
			t := set[key]
			if math.IsNaN(t.Value) {
				if _, err := tx.ExecContext(ctx, `DELETE FROM scorecard_targets WHERE tenant_id = $1 AND kpi_id = $2 AND period = $3`, a.Tenant, kpiID, key); err != nil {
					return fmt.Errorf("cannot remove target: %w", err)
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO scorecard_targets (tenant_id, kpi_id, period, target, target_high) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (kpi_id, period) DO UPDATE SET target = excluded.target, target_high = excluded.target_high`,
				a.Tenant, kpiID, key, t.Value, stNullF(t.High)); err != nil {
				return fmt.Errorf("cannot set target: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_kpis SET updated_at = $1, version = version + 1 WHERE tenant_id = $2 AND id = $3 AND version = $4`,
			now, a.Tenant, kpiID, version)
		if err != nil {
			return fmt.Errorf("cannot update KPI: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		after, err := stTargets(ctx, tx, a.Tenant, kpiID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityKPI,
			EntityID: kpiID, Summary: k.Code + " " + stClip(k.Name, 100) + ": ținte", Before: map[string]any{"targets": before}, After: map[string]any{"targets": after}})
	})
}
