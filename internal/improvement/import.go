package improvement

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/importer"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Importer is the nonconformity log as an import target: an existing log
// (XLSX or CSV, mapped by the shared import pages) becomes cases of the
// register, closed or still open, each with its root cause and its
// corrective action.
func (s *Service) Importer() importer.Target { return &ncTarget{s: s} }

type ncTarget struct{ s *Service }

var _ importer.Target = (*ncTarget)(nil)

// Field keys of the nonconformity log.
const (
	fNo         = "no"
	fDetected   = "detected_on"
	fSource     = "source"
	fTitle      = "title"
	fDesc       = "description"
	fUnit       = "unit"
	fProcess    = "process"
	fClause     = "clause"
	fSeverity   = "severity"
	fCorrection = "correction"
	fCause      = "cause"
	fAction     = "action"
	fOwner      = "owner"
	fDue        = "due"
	fState      = "state"
	fClosed     = "closed_on"
)

func (t *ncTarget) Name() string                { return "nonconformities" }
func (t *ncTarget) Title() string               { return "nc.import.title" }
func (t *ncTarget) Permission() auth.Permission { return auth.PermImproveManage }
func (t *ncTarget) Done() string                { return "/nonconformities" }

// Fields are the columns of a nonconformity log, with the headings such
// logs use in Romanian and English.
func (t *ncTarget) Fields() []importer.Field {
	return []importer.Field{
		{Key: fNo, Label: "nc.import.field.no", Aliases: []string{"Nr.", "Nr. crt.", "Nr. crt", "Număr", "Nr. înregistrare", "Nr. NC", "No.", "Number"}},
		{Key: fDetected, Label: "nc.import.field.detected_on", Help: "nc.import.help.date", Required: true,
			Aliases: []string{"Data constatării", "Data", "Data identificării", "Data depistării", "Data înregistrării", "Date", "Detected on", "Date detected"}},
		{Key: fSource, Label: "nc.import.field.source", Help: "nc.import.help.source", Aliases: []string{"Sursa", "Sursa neconformității", "Proveniența", "Identificată prin", "Source"}},
		{Key: fTitle, Label: "nc.import.field.title", Aliases: []string{"Titlu", "Denumire", "Title"}},
		{Key: fDesc, Label: "nc.import.field.description", Required: true,
			Aliases: []string{"Descrierea neconformității", "Descriere", "Descrierea", "Neconformitatea", "Neconformitate", "Neconformitatea constatată", "Description", "Nonconformity"}},
		{Key: fUnit, Label: "nc.import.field.unit", Help: "nc.import.help.unit", Aliases: []string{"Compartiment", "Compartimentul", "Structura", "Structura organizatorică", "Direcția/Serviciul", "Unit", "Department"}},
		{Key: fProcess, Label: "nc.import.field.process", Aliases: []string{"Proces", "Procesul", "Activitatea", "Process", "Activity"}},
		{Key: fClause, Label: "nc.import.field.clause", Help: "nc.import.help.clause", Aliases: []string{"Clauza", "Clauza ISO", "Cerința", "Cerința standardului", "Clause", "ISO clause"}},
		{Key: fSeverity, Label: "nc.import.field.severity", Help: "nc.import.help.severity", Aliases: []string{"Gravitate", "Gravitatea", "Tip", "Tipul", "Tipul neconformității", "Clasificare", "Severity", "Type"}},
		{Key: fCorrection, Label: "nc.import.field.correction", Aliases: []string{"Corecție", "Corecția", "Corecție imediată", "Corecția aplicată", "Correction"}},
		{Key: fCause, Label: "nc.import.field.cause", Aliases: []string{"Cauza", "Cauza rădăcină", "Cauze", "Cauzele", "Root cause", "Cause"}},
		{Key: fAction, Label: "nc.import.field.action", Aliases: []string{"Acțiune corectivă", "Acțiunea corectivă", "Acțiuni corective", "Măsuri", "Măsura corectivă", "Corrective action", "Action"}},
		{Key: fOwner, Label: "nc.import.field.owner", Help: "nc.import.help.owner", Aliases: []string{"Responsabil", "Responsabilul", "Responsabil acțiune", "Owner", "Responsible"}},
		{Key: fDue, Label: "nc.import.field.due", Help: "nc.import.help.date", Aliases: []string{"Termen", "Termenul", "Termen de realizare", "Termen de implementare", "Due date", "Deadline", "Due"}},
		{Key: fState, Label: "nc.import.field.state", Help: "nc.import.help.state", Aliases: []string{"Stadiu", "Stadiul", "Stare", "Starea", "Status", "State"}},
		{Key: fClosed, Label: "nc.import.field.closed_on", Help: "nc.import.help.date", Aliases: []string{"Data închiderii", "Închisă la", "Data finalizării", "Closed on", "Date closed"}},
	}
}

// Preview is the preview table's headings.
func (t *ncTarget) Preview() []string {
	return []string{"nc.import.field.no", "nc.import.field.detected_on", "nc.import.field.source", "nc.import.field.severity", "nc.import.field.description",
		"nc.import.field.unit", "nc.import.field.action", "nc.import.field.owner", "nc.import.field.due", "nc.import.field.state"}
}

// fold is how labels and names are compared: case, diacritics, spacing
// and trailing marks do not matter.
func fold(s string) string {
	return strings.TrimSpace(strings.TrimRight(textutil.Fold(textutil.Clean(s)), ":*. "))
}

var severityNames = map[string]string{
	"majora": SeverityMajor, "major": SeverityMajor, "nc majora": SeverityMajor, "neconformitate majora": SeverityMajor, "grava": SeverityMajor,
	"minora": SeverityMinor, "minor": SeverityMinor, "nc minora": SeverityMinor, "neconformitate minora": SeverityMinor,
	"observatie": SeverityObservation, "observation": SeverityObservation, "obs": SeverityObservation,
	"oportunitate de imbunatatire": SeverityOpportunity, "oportunitate": SeverityOpportunity, "ofi": SeverityOpportunity, "recomandare": SeverityObservation,
}

var sourceNames = map[string]string{
	"audit intern": SourceInternalAudit, "audit intern al calitatii": SourceInternalAudit, "internal audit": SourceInternalAudit,
	"audit extern": SourceExternalAudit, "audit de supraveghere": SourceExternalAudit, "audit de certificare": SourceExternalAudit,
	"audit de recertificare": SourceExternalAudit, "organismul de certificare": SourceExternalAudit, "external audit": SourceExternalAudit,
	"reclamatie": SourceComplaint, "reclamatia": SourceComplaint, "reclamatie cetatean": SourceComplaint, "petitie": SourceComplaint,
	"sesizare cetatean": SourceComplaint, "citizen complaint": SourceComplaint, "complaint": SourceComplaint,
	"indicator": SourceIndicator, "indicator neindeplinit": SourceIndicator, "indicator in afara tintei": SourceIndicator, "monitorizare indicatori": SourceIndicator,
	"indicator out of target": SourceIndicator,
	"angajat":                 SourceEmployee, "sesizare angajat": SourceEmployee, "salariat": SourceEmployee, "semnalare angajat": SourceEmployee, "employee": SourceEmployee,
	"employee report":                 SourceEmployee,
	"analiza efectuata de management": SourceReview, "analiza managementului": SourceReview, "sedinta de analiza a managementului": SourceReview,
	"management review": SourceReview,
	"alta":              SourceOther, "altele": SourceOther, "alta sursa": SourceOther, "other": SourceOther,
}

var openNames = map[string]bool{"deschis": true, "deschisa": true, "in lucru": true, "in curs": true, "in derulare": true, "nerezolvat": true,
	"nerezolvata": true, "neinchis": true, "neinchisa": true, "open": true, "in progress": true}
var closedNames = map[string]bool{"inchis": true, "inchisa": true, "rezolvat": true, "rezolvata": true, "realizat": true, "realizata": true,
	"finalizat": true, "finalizata": true, "eficace": true, "closed": true, "done": true}

func init() {
	// The Sources, Severities and state values are accepted as they are too.
	for _, s := range Sources {
		sourceNames[s] = s
	}
	for _, s := range Severities {
		severityNames[s] = s
	}
}

var clauseToken = regexp.MustCompile(`\b(\d{1,2}(?:\.\d{1,2}){0,3})\b`)

// importRefs are what rows are checked against, each read once.
type importRefs struct {
	unitsByName map[string][]int64
	unitsByCode map[string][]int64
	unitNames   map[int64]string
	people      map[string][]int64
}

func loadRefs(ctx context.Context, q querier, tenant int64) (importRefs, error) {
	ref := importRefs{unitsByName: map[string][]int64{}, unitsByCode: map[string][]int64{}, unitNames: map[int64]string{}, people: map[string][]int64{}}
	rows, err := q.QueryContext(ctx, `SELECT id, name, code FROM units WHERE tenant_id = $1`, tenant)
	if err != nil {
		return ref, fmt.Errorf("cannot read units: %w", err)
	}
	for rows.Next() {
		var id int64
		var name, code string
		if err := rows.Scan(&id, &name, &code); err != nil {
			rows.Close()
			return ref, fmt.Errorf("cannot read units: %w", err)
		}
		ref.unitsByName[fold(name)] = append(ref.unitsByName[fold(name)], id)
		if c := fold(code); c != "" {
			ref.unitsByCode[c] = append(ref.unitsByCode[c], id)
		}
		ref.unitNames[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ref, fmt.Errorf("cannot read units: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT id, full_name FROM people WHERE tenant_id = $1 AND active`, tenant)
	if err != nil {
		return ref, fmt.Errorf("cannot read people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return ref, fmt.Errorf("cannot read people: %w", err)
		}
		ref.people[fold(name)] = append(ref.people[fold(name)], id)
	}
	return ref, rows.Err()
}

func (ref importRefs) unit(name string) (int64, string) {
	k := fold(name)
	for _, m := range []map[string][]int64{ref.unitsByName, ref.unitsByCode} {
		switch ids := m[k]; len(ids) {
		case 0:
			continue
		case 1:
			return ids[0], ""
		default:
			return 0, "nc.import.error.unit_ambiguous"
		}
	}
	return 0, "nc.import.error.unit_unknown"
}

// person finds a person by full name, written in either order ("Popescu
// Ana" or "Ana Popescu"); 0 when none or several match.
func (ref importRefs) person(name string) int64 {
	k := fold(name)
	ids := ref.people[k]
	if len(ids) == 0 {
		if f := strings.Fields(k); len(f) == 2 {
			ids = ref.people[f[1]+" "+f[0]]
		}
	}
	if len(ids) == 1 {
		return ids[0]
	}
	return 0
}

// importDate reads dd.mm.yyyy, yyyy-mm-dd (or with / or - between day,
// month and year) or an Excel serial day.
func importDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	for _, layout := range []string{"2006-1-2", "2.1.2006", "2/1/2006", "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, t.Year() >= 1990 && t.Year() <= 2200
		}
	}
	serial, err := strconv.ParseFloat(s, 64)
	if err != nil || !(serial >= 1 && serial <= 2958465) {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(serial), false)
	if err != nil {
		return time.Time{}, false
	}
	t = work.DateOnly(t)
	return t, t.Year() >= 1990
}

// importRow is one checked row, ready to write.
type importRow struct {
	line                               int
	no                                 string
	in                                 NCInput
	cause, action, ownerName, state    string
	ownerID                            int64
	due, closedOn                      string
	sourceLabel, severityLabel, unitNm string
}

// checkRow reads and checks one row.
func checkRow(r importer.Row, ref importRefs, today time.Time) (importRow, apperr.Validation) {
	bad := apperr.Validation{}
	val := func(k string) string { return textutil.Clean(r.Values[k]) }
	row := importRow{line: r.Line, no: val(fNo)}
	if utf8.RuneCountInString(row.no) > 40 {
		bad.Add(fNo, "error.too_long")
	}
	in := &row.in
	in.Description = textutil.CleanText(r.Values[fDesc])
	in.Title = val(fTitle)
	if in.Title == "" {
		in.Title = titleFrom(in.Description)
	}
	if in.Description == "" {
		bad.Add(fDesc, "error.required")
	}
	if d, ok := importDate(r.Values[fDetected]); !ok {
		if val(fDetected) == "" {
			bad.Add(fDetected, "error.required")
		} else {
			bad.Add(fDetected, "nc.import.error.date")
		}
	} else if d.After(today) {
		bad.Add(fDetected, "nc.error.future")
	} else {
		in.DetectedOn = d.Format(time.DateOnly)
	}
	in.Source = SourceOther
	if s := val(fSource); s != "" {
		if k, ok := sourceNames[fold(s)]; ok {
			in.Source = k
		} else if k := sourcePrefix(fold(s)); k != "" {
			in.Source = k
		} else {
			bad.Add(fSource, "nc.import.error.source")
		}
	}
	in.Severity = SeverityMinor
	if s := val(fSeverity); s != "" {
		if k, ok := severityNames[fold(s)]; ok {
			in.Severity = k
		} else {
			bad.Add(fSeverity, "nc.import.error.severity")
		}
	}
	if u := val(fUnit); u != "" {
		id, key := ref.unit(u)
		if key != "" {
			bad.Add(fUnit, key)
		}
		in.UnitID = id
		row.unitNm = ref.unitNames[id]
	}
	in.Process = val(fProcess)
	if c := val(fClause); c != "" {
		m := clauseToken.FindString(c)
		if _, ok := frameworks.ISOClause(m); !ok {
			bad.Add(fClause, "nc.import.error.clause")
		} else {
			in.Clause = m
		}
	}
	in.Correction = textutil.CleanText(r.Values[fCorrection])
	row.cause = textutil.CleanText(r.Values[fCause])
	row.action = textutil.CleanText(r.Values[fAction])
	row.ownerName = val(fOwner)
	if row.ownerName != "" {
		row.ownerID = ref.person(row.ownerName)
		if utf8.RuneCountInString(row.ownerName) > 200 {
			bad.Add(fOwner, "error.too_long")
		}
	}
	if s := val(fDue); s != "" {
		if d, ok := importDate(s); ok {
			row.due = d.Format(time.DateOnly)
		} else {
			bad.Add(fDue, "nc.import.error.date")
		}
	}
	if s := val(fClosed); s != "" {
		if d, ok := importDate(s); !ok {
			bad.Add(fClosed, "nc.import.error.date")
		} else if d.After(today) {
			bad.Add(fClosed, "nc.error.future")
		} else if in.DetectedOn != "" && d.Format(time.DateOnly) < in.DetectedOn {
			bad.Add(fClosed, "nc.import.error.closed_before")
		} else {
			row.closedOn = d.Format(time.DateOnly)
		}
	}
	switch st := fold(val(fState)); {
	case st == "" && row.closedOn != "":
		row.state = StateClosed
	case st == "":
		row.state = StateAnalysis
	case closedNames[st] || st == StateClosed:
		row.state = StateClosed
	case openNames[st]:
		row.state = StateAnalysis
	default:
		bad.Add(fState, "nc.import.error.state")
	}
	if row.state == StateAnalysis && row.action != "" {
		row.state = StateActions
	}
	if row.state == StateClosed && row.closedOn == "" && bad[fClosed] == "" {
		row.closedOn = in.DetectedOn
	}
	// The limits of a form apply too.
	check := *in
	if err := check.Validate(today); err != nil {
		v, _ := apperr.AsValidation(err)
		for k, msg := range v {
			field := map[string]string{"title": fTitle, "description": fDesc, "process": fProcess, "correction": fCorrection}[k]
			if field != "" {
				bad.Add(field, msg)
			}
		}
	}
	if utf8.RuneCountInString(row.cause) > MaxNote {
		bad.Add(fCause, "error.too_long")
	}
	if utf8.RuneCountInString(row.action) > 2000 {
		bad.Add(fAction, "error.too_long")
	}
	row.sourceLabel, row.severityLabel = in.Source, in.Severity
	return row, bad
}

// sourcePrefix recognises a source written with more words ("Audit intern
// nr. 3/2024", "Reclamația nr. 1234").
func sourcePrefix(s string) string {
	for _, p := range []struct{ prefix, source string }{
		{"audit intern", SourceInternalAudit}, {"audit extern", SourceExternalAudit}, {"audit de supraveghere", SourceExternalAudit},
		{"audit de certificare", SourceExternalAudit}, {"reclamati", SourceComplaint}, {"petiti", SourceComplaint}, {"sesizare", SourceComplaint},
		{"indicator", SourceIndicator}, {"analiza", SourceReview}, {"angajat", SourceEmployee},
	} {
		if strings.HasPrefix(s, p.prefix) {
			return p.source
		}
	}
	return ""
}

// titleFrom makes a title of a description: its first sentence, at most
// 120 letters.
func titleFrom(desc string) string {
	t := textutil.Clean(strings.SplitN(desc, "\n", 2)[0])
	if i := strings.Index(t, ". "); i > 0 {
		t = t[:i]
	}
	if r := []rune(t); len(r) > 120 {
		t = strings.TrimSpace(string(r[:119])) + "…"
	}
	return strings.TrimSuffix(t, ".")
}

// Check validates every row without writing anything.
func (t *ncTarget) Check(ctx context.Context, a auth.Actor, rows []importer.Row) ([]importer.Checked, error) {
	if err := a.Require(t.Permission()); err != nil {
		return nil, err
	}
	if len(rows) > MaxImportRows {
		return nil, apperr.Validation{"file": "nc.import.error.too_many"}
	}
	ref, err := loadRefs(ctx, t.s.DB.R, a.Tenant)
	if err != nil {
		return nil, err
	}
	today := t.s.today()
	out := make([]importer.Checked, len(rows))
	for i, r := range rows {
		row, bad := checkRow(r, ref, today)
		c := importer.Checked{Line: r.Line, Cells: []string{row.no, row.in.DetectedOn, row.sourceLabel, row.severityLabel, row.in.Title,
			row.unitNm, row.action, row.ownerName, row.due, row.state}}
		if len(bad) > 0 {
			c.Errors = bad
		}
		out[i] = c
	}
	return out, nil
}

// importedEvent is what the audit trail keeps of an imported case.
type importedEvent struct {
	Nonconformity
	Action *Action `json:"action,omitempty"`
	Line   int     `json:"line"`
}

// Commit writes every row in one transaction, all or nothing: each case
// numbered in the year it was detected, with its root cause, its action
// (done when the case is closed) and an "import" step; open actions with a
// matched owner and a due day become inbox tasks. Events are written
// through one audit recorder and rows through statements prepared once.
func (t *ncTarget) Commit(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(done int)) (int, error) {
	if err := a.Require(t.Permission()); err != nil {
		return 0, err
	}
	if len(rows) > MaxImportRows {
		return 0, apperr.Validation{"file": "nc.import.error.too_many"}
	}
	if progress == nil {
		progress = func(int) {}
	}
	s := t.s
	now := s.Clock.Now()
	today := work.Day(now)
	n := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ref, err := loadRefs(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		checked := make([]importRow, len(rows))
		for i, r := range rows {
			row, bad := checkRow(r, ref, today)
			if len(bad) > 0 {
				return apperr.Validation{"file": "nc.import.error.rows"}
			}
			checked[i] = row
		}
		w, err := newImportWriter(ctx, tx, a, now)
		if err != nil {
			return err
		}
		defer w.close()
		for i, row := range checked {
			if err := w.write(ctx, row); err != nil {
				return err
			}
			n++
			if (i+1)%500 == 0 {
				progress(i + 1)
			}
		}
		if err := w.finish(ctx, s.Work); err != nil {
			return err
		}
		progress(n)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

type importWriter struct {
	tx       *sql.Tx
	a        auth.Actor
	now      time.Time
	rec      *audit.Recorder
	counters map[int]int
	tasks    []work.NewTask
	nc       *sql.Stmt
	action   *sql.Stmt
	step     *sql.Stmt
}

func newImportWriter(ctx context.Context, tx *sql.Tx, a auth.Actor, now time.Time) (*importWriter, error) {
	w := &importWriter{tx: tx, a: a, now: now, counters: map[int]int{}}
	rows, err := tx.QueryContext(ctx, `SELECT year, last FROM improvement_counters WHERE tenant_id = $1 AND kind = 'NC'`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read numbering: %w", err)
	}
	for rows.Next() {
		var y, last int
		if err := rows.Scan(&y, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read numbering: %w", err)
		}
		w.counters[y] = last
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read numbering: %w", err)
	}
	prepare := func(q string) (*sql.Stmt, error) {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("cannot prepare import: %w", err)
		}
		return st, nil
	}
	if w.nc, err = prepare(`INSERT INTO nonconformities (tenant_id, code, sort_code, title, description, source, process, unit_id, clause, severity, severity_rank,
			detected_on, reporter_name, owner_id, correction, conclusion, state, next_due, open_actions, closed_on, import_no, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23) RETURNING id`); err != nil {
		return nil, err
	}
	if w.action, err = prepare(`INSERT INTO improvement_actions (tenant_id, nc_id, description, owner_id, owner_name, due_on, state, done_on, done_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`); err != nil {
		return nil, err
	}
	if w.step, err = prepare(`INSERT INTO improvement_steps (tenant_id, entity, entity_id, action, from_state, to_state, reason, actor_id, actor_name, at)
		VALUES ($1, 'nonconformity', $2, 'import', '', $3, '', $4, $5, $6)`); err != nil {
		return nil, err
	}
	// The recorder comes last: nothing else records events until it closes.
	if w.rec, err = audit.NewRecorder(ctx, tx, a.Tenant); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *importWriter) close() {
	for _, st := range []*sql.Stmt{w.nc, w.action, w.step} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *importWriter) write(ctx context.Context, row importRow) error {
	a, now, in := w.a, w.now, row.in
	year, _ := strconv.Atoi(in.DetectedOn[:4])
	w.counters[year]++
	code, sortKey := codeOf("NC", year, w.counters[year])
	n := Nonconformity{Tenant: a.Tenant, Code: code, Title: in.Title, Description: in.Description, Source: in.Source, Process: in.Process, UnitID: in.UnitID,
		Clause: in.Clause, Severity: in.Severity, DetectedOn: in.DetectedOn, ReporterName: a.Name, OwnerID: row.ownerID, Correction: in.Correction,
		Conclusion: row.cause, State: row.state, ImportNo: row.no, CreatedAt: now, UpdatedAt: now, Version: 1}
	if row.state == StateClosed {
		n.ClosedOn = row.closedOn
	}
	var act *Action
	if row.action != "" {
		act = &Action{Tenant: a.Tenant, Description: row.action, OwnerID: row.ownerID, OwnerName: row.ownerName, DueOn: row.due, State: ActionOpen,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if row.state == StateClosed {
			act.State, act.DoneOn, act.DoneBy = ActionDone, row.closedOn, a.Name
		} else {
			n.OpenActions, n.NextDue = 1, row.due
		}
	}
	err := w.nc.QueryRowContext(ctx, a.Tenant, code, sortKey, n.Title, n.Description, n.Source, n.Process, nullID(n.UnitID), n.Clause, n.Severity,
		severityRank[n.Severity], n.DetectedOn, n.ReporterName, nullID(n.OwnerID), n.Correction, n.Conclusion, n.State, n.NextDue, n.OpenActions,
		n.ClosedOn, n.ImportNo, ncSearch(code, n.Title, n.Description, "", n.Process), now).Scan(&n.ID)
	if err != nil {
		return fmt.Errorf("cannot import line %d: %w", row.line, err)
	}
	if act != nil {
		owner := ""
		if act.OwnerID == 0 {
			owner = act.OwnerName
		}
		act.NCID = n.ID
		if err := w.action.QueryRowContext(ctx, a.Tenant, n.ID, act.Description, nullID(act.OwnerID), owner, act.DueOn, act.State, act.DoneOn, act.DoneBy, now).Scan(&act.ID); err != nil {
			return fmt.Errorf("cannot import the action of line %d: %w", row.line, err)
		}
		if act.State == ActionOpen && act.OwnerID != 0 && act.DueOn != "" {
			ps := parentState{code: code, title: n.Title, link: ncLink(n.ID), severity: n.Severity}
			w.tasks = append(w.tasks, actionTask(ps, *act))
		}
	}
	if _, err := w.step.ExecContext(ctx, a.Tenant, n.ID, n.State, a.UserID, a.Name, now); err != nil {
		return fmt.Errorf("cannot import line %d: %w", row.line, err)
	}
	return w.rec.Record(ctx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "nonconformity", EntityID: n.ID,
		Summary: "import: " + code, After: importedEvent{Nonconformity: n, Action: act, Line: row.line}})
}

// finish numbers the years used, hands out the open actions' tasks in one
// batch and closes the recorder.
func (w *importWriter) finish(ctx context.Context, tasks work.Tasks) error {
	// In year order, so the same import writes the same rows in the same
	// order (the generator's data is compared row by row).
	for _, y := range slices.Sorted(maps.Keys(w.counters)) {
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO improvement_counters (tenant_id, kind, year, last) VALUES ($1, 'NC', $2, $3)
			ON CONFLICT (tenant_id, kind, year) DO UPDATE SET last = $3`, w.a.Tenant, y, w.counters[y]); err != nil {
			return fmt.Errorf("cannot save numbering: %w", err)
		}
	}
	if _, err := tasks.AssignMany(ctx, w.tx, w.a, w.rec, w.tasks); err != nil {
		return err
	}
	return w.rec.Close(ctx)
}

// importHeadings are the template's headings, in Romanian.
var importHeadings = []string{"Nr.", "Data constatării", "Sursa", "Descrierea neconformității", "Compartiment", "Proces", "Clauza", "Gravitate",
	"Corecție", "Cauza", "Acțiune corectivă", "Responsabil", "Termen", "Stadiu", "Data închiderii"}

// Template writes an XLSX workbook with the log's headings and an example.
func (t *ncTarget) Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Neconformități"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("cannot name sheet: %w", err)
	}
	example := []any{"1", "15.03.2025", "Audit intern", "Cererile de certificat fiscal nu sunt înregistrate în ziua primirii.",
		"Serviciul Impozite și Taxe Locale", "Eliberarea certificatelor fiscale", "8.5.1", "minoră",
		"Cererile restante au fost înregistrate.", "Procedura nu stabilește cine înregistrează cererile primite prin e-mail.",
		"Revizuirea procedurii operaționale și instruirea personalului", "", "30.04.2025", "deschisă", ""}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return fmt.Errorf("cannot style template: %w", err)
	}
	for i, h := range importHeadings {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, cell, h); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
		if err := f.SetCellStyle(sheet, cell, cell, bold); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
		cell, _ = excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue(sheet, cell, example[i]); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, float64(max(12, min(50, utf8.RuneCountInString(h)+4)))); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	return nil
}
