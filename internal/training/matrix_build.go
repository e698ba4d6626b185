package training

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// The matrix is built from four set-based reads, whatever the number of
// people: the competences (columns), the requirements, the people in
// scope with their roles, and the competences held in force on the day.
// The cells are then worked out in memory.

// matrixPerson is an active person as the matrix and the requirement
// counts see them.
type matrixPerson struct {
	id       int64
	name     string
	job      string
	jobKey   string // the job title folded
	unit     int64
	unitName string
	roles    []string // the roles of their users, and "auditor" when on the audit register
}

// matrixPeopleQuery narrows the people read.
type matrixPeopleQuery struct {
	scope  *sesScope // nil: everyone
	units  []int64   // nil: every unit
	person int64
	query  string
}

// matrixPeople reads the active people of the institution (in the scope
// and filter given), with their roles, ordered by unit and name.
func matrixPeople(ctx context.Context, q querier, tenant int64, f matrixPeopleQuery) ([]matrixPerson, error) {
	where := ` WHERE p.tenant_id = $1 AND p.active = TRUE`
	args := []any{tenant}
	if f.scope != nil {
		var pred string
		pred, args = f.scope.predicate("p", args)
		where += pred
	}
	if f.units != nil {
		var list string
		list, args = sesInList(f.units, args)
		where += ` AND p.unit_id IN (` + list + `)`
	}
	if f.person != 0 {
		args = append(args, f.person)
		where += fmt.Sprintf(` AND p.id = $%d`, len(args))
	}
	if qs := textutil.Fold(textutil.Clean(f.query)); qs != "" {
		args = append(args, db.LikePattern(qs))
		where += fmt.Sprintf(` AND p.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.full_name, p.job_title, COALESCE(p.unit_id, 0), COALESCE(u.name, '')
		FROM people p LEFT JOIN units u ON u.id = p.unit_id`+where+`
		ORDER BY CASE WHEN u.id IS NULL THEN 1 ELSE 0 END, u.sort_name, u.id, p.sort_name, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read people: %w", err)
	}
	var out []matrixPerson
	index := map[int64]int{}
	folded := map[string]string{}
	for rows.Next() {
		var p matrixPerson
		if err := rows.Scan(&p.id, &p.name, &p.job, &p.unit, &p.unitName); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read person: %w", err)
		}
		// Few jobs for many people: each title is folded once.
		key, ok := folded[p.job]
		if !ok {
			key = textutil.Fold(textutil.Clean(p.job))
			folded[p.job] = key
		}
		p.jobKey = key
		index[p.id] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// Roles come through the person's users (not disabled), and the audit
	// register counts as the "auditor" role.
	roleArgs := []any{tenant}
	personCond := ""
	if f.person != 0 {
		roleArgs = append(roleArgs, f.person)
		personCond = ` AND person_id = $2`
	}
	rows, err = q.QueryContext(ctx, `SELECT us.person_id, r.role FROM users us JOIN user_roles r ON r.user_id = us.id
			WHERE us.tenant_id = $1 AND us.disabled = FALSE AND us.person_id IS NOT NULL`+strings.ReplaceAll(personCond, "person_id", "us.person_id")+`
		UNION SELECT person_id, 'auditor' FROM auditors WHERE tenant_id = $1 AND active = TRUE`+personCond, roleArgs...)
	if err != nil {
		return nil, fmt.Errorf("cannot read roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, fmt.Errorf("cannot read roles: %w", err)
		}
		if i, ok := index[id]; ok && !slices.Contains(out[i].roles, role) {
			out[i].roles = append(out[i].roles, role)
		}
	}
	return out, rows.Err()
}

// matrixRule is a requirement as matched.
type matrixRule struct {
	kind, key string
	col       int
	level     int
}

func (r matrixRule) applies(p matrixPerson) bool {
	switch r.kind {
	case RequireEveryone:
		return true
	case RequireJob:
		return r.key != "" && r.key == p.jobKey
	case RequireRole:
		return slices.Contains(p.roles, r.key)
	}
	return false
}

// matrixHeld is a competence held in force; expires is its last day as
// YYYYMMDD, 0 when it does not lapse (integers: 9,000 of them are read
// for a large institution, with no string to allocate).
type matrixHeld struct {
	col     int
	level   int
	expires int
}

// matrixDay writes a YYYYMMDD day as stored, "" for 0.
func matrixDay(d int) string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}

// matrixDayNum reads a stored day as YYYYMMDD; "" (or anything else) is 0.
func matrixDayNum(b []byte) int {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0
	}
	n := 0
	for i, c := range b {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// matrixCell works out one cell from the level required and the held
// competences of its column (in force on the day); window is the last
// day of the renewal window. The lapse is when the held level falls below
// what is required (or, not required, below the level held): the latest
// expiry of the rows that give that level, 0 when one of them does not
// lapse.
func matrixCell(required int, held []matrixHeld, window int) (level, lapse int, state string) {
	for _, h := range held {
		level = max(level, h.level)
	}
	need := required
	if need == 0 || level < need {
		need = level
	}
	if level > 0 {
		never := false
		for _, h := range held {
			if h.level < need {
				continue
			}
			if h.expires == 0 {
				never = true
			} else if h.expires > lapse {
				lapse = h.expires
			}
		}
		if never {
			lapse = 0
		}
	}
	switch {
	case required > 0 && level < required:
		state = CellGap
	case required > 0 && lapse != 0 && lapse <= window:
		state = CellExpiring
	case required > 0:
		state = CellOK
	case level > 0:
		state = CellExtra
	default:
		state = CellNone
	}
	return level, lapse, state
}

// Matrix builds the competence matrix on the given day: the records
// permission sees the institution, a head of unit their units, others
// their own line. Every person in scope is worked out for the unit sums;
// only the page's rows keep their cells.
func (s *Service) Matrix(ctx context.Context, a auth.Actor, f MatrixFilter, day time.Time) (Matrix, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Matrix{}, err
	}
	q := s.DB.R
	sc, err := sesScopeOf(ctx, q, a)
	if err != nil {
		return Matrix{}, err
	}
	st, err := settingsOf(ctx, q, a.Tenant)
	if err != nil {
		return Matrix{}, err
	}
	y, mo, d := day.Date()
	day = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	dayS := day.Format(time.DateOnly)
	wy, wm, wd := day.AddDate(0, 0, st.RenewalDays).Date()
	window := wy*10000 + int(wm)*100 + wd
	m := Matrix{RenewalDays: st.RenewalDays}
	if m.Competences, err = compListBare(ctx, q, a.Tenant, true, f.Area); err != nil {
		return Matrix{}, err
	}
	pq := matrixPeopleQuery{scope: &sc, person: f.PersonID, query: f.Query}
	if f.UnitID != 0 {
		if pq.units, err = compSubtree(ctx, q, a.Tenant, f.UnitID); err != nil {
			return Matrix{}, err
		}
	}
	people, err := matrixPeople(ctx, q, a.Tenant, pq)
	if err != nil {
		return Matrix{}, err
	}
	cols := map[int64]int{}
	for i, k := range m.Competences {
		cols[k.ID] = i
	}
	// The rules, grouped by what they match.
	reqs, err := compRequirements(ctx, q, a.Tenant, 0)
	if err != nil {
		return Matrix{}, err
	}
	var everyone []matrixRule
	byJob, byRole := map[string][]matrixRule{}, map[string][]matrixRule{}
	for _, r := range reqs {
		col, ok := cols[r.CompetenceID]
		if !ok {
			continue
		}
		rule := matrixRule{kind: r.Kind, key: requirementKey(r.Kind, r.Target), col: col, level: r.Level}
		switch r.Kind {
		case RequireEveryone:
			everyone = append(everyone, rule)
		case RequireJob:
			byJob[rule.key] = append(byJob[rule.key], rule)
		case RequireRole:
			byRole[rule.key] = append(byRole[rule.key], rule)
		}
	}
	held, err := matrixHeldOn(ctx, q, s.DB.Engine, a.Tenant, dayS, f.PersonID, cols)
	if err != nil {
		return Matrix{}, err
	}
	per := f.PerPage
	if per <= 0 || per > db.MaxPageSize {
		per = db.DefaultPageSize
	}
	from := (max(1, f.Page) - 1) * per
	n := len(m.Competences)
	units := map[int64]int{}
	required := make([]int, n)
	levels, lapses, states := make([]int, n), make([]int, n), make([]string, n)
	perCol := make([][]matrixHeld, n)
	for _, p := range people {
		clear(required)
		for _, r := range everyone {
			required[r.col] = max(required[r.col], r.level)
		}
		if p.jobKey != "" {
			for _, r := range byJob[p.jobKey] {
				required[r.col] = max(required[r.col], r.level)
			}
		}
		for _, role := range p.roles {
			for _, r := range byRole[role] {
				required[r.col] = max(required[r.col], r.level)
			}
		}
		for i := range perCol {
			perCol[i] = perCol[i][:0]
		}
		for _, h := range held[p.id] {
			perCol[h.col] = append(perCol[h.col], h)
		}
		ui, ok := units[p.unit]
		if !ok {
			ui = len(m.Units)
			units[p.unit] = ui
			m.Units = append(m.Units, UnitGaps{UnitID: p.unit, UnitName: p.unitName})
		}
		u := &m.Units[ui]
		u.People++
		gaps := 0
		for i := range n {
			levels[i], lapses[i], states[i] = matrixCell(required[i], perCol[i], window)
			if required[i] > 0 {
				u.Required++
			}
			if states[i] == CellGap {
				gaps++
			}
		}
		u.Gaps += gaps
		if f.GapsOnly && gaps == 0 {
			continue
		}
		if m.Total >= from && m.Total < from+per {
			row := MatrixRow{PersonID: p.id, Name: p.name, JobTitle: p.job, UnitID: p.unit, UnitName: p.unitName, Cells: make([]Cell, n), Gaps: gaps}
			for i := range n {
				row.Cells[i] = Cell{Required: required[i], Held: levels[i], ExpiresOn: matrixDay(lapses[i]), State: states[i]}
			}
			m.Rows = append(m.Rows, row)
		}
		m.Total++
	}
	return m, nil
}

// matrixHeldOn reads the competences held in force on day, by person:
// only those of the matrix's columns, and of one person when given.
func matrixHeldOn(ctx context.Context, q querier, engine db.Engine, tenant int64, day string, person int64, cols map[int64]int) (map[int64][]matrixHeld, error) {
	out := map[int64][]matrixHeld{}
	if len(cols) == 0 {
		return out, nil
	}
	// SQLite keeps one institution (or a few): reading the whole table in
	// order is four times faster than 9,000 lookups through the tenant's
	// index, which the unary plus keeps it from using. PostgreSQL, with
	// thousands of institutions, goes through the index.
	tenantCol := "h.tenant_id"
	if engine == db.SQLite && person == 0 {
		tenantCol = "+h.tenant_id"
	}
	query := `SELECT h.person_id, h.competence_id, h.level, h.expires_on FROM training_person_competences h
		WHERE ` + tenantCol + ` = $1 AND h.acquired_on <= $2 AND (h.expires_on = '' OR h.expires_on >= $2)`
	args := []any{tenant, day}
	if person != 0 {
		args = append(args, person)
		query += ` AND h.person_id = $3`
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read held competences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, k int64
		var h matrixHeld
		var exp sql.RawBytes
		if err := rows.Scan(&p, &k, &h.level, &exp); err != nil {
			return nil, fmt.Errorf("cannot read held competence: %w", err)
		}
		col, ok := cols[k]
		if !ok {
			continue
		}
		h.col, h.expires = col, matrixDayNum(exp)
		out[p] = append(out[p], h)
	}
	return out, rows.Err()
}
