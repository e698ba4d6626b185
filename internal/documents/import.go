package documents

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// MaxImportRows caps one import: the whole register of a large municipality.
const MaxImportRows = 10_000

const (
	// maxImportUnzip caps what a workbook may unpack to, so that a small
	// zip bomb fills neither memory nor the temporary directory.
	maxImportUnzip = 128 << 20
	// headerSearch is how many rows may stand above the header: existing
	// lists often carry a title line or two ("Lista procedurilor ...").
	headerSearch = 10
	// maxImportNumber bounds editions and revisions: anything larger is a
	// typing error, not a document's history.
	maxImportNumber = 999
	// earliestApproval is the oldest approval date accepted; older ones are
	// typing errors (or Excel's serial day 0).
	earliestApproval = 1950
)

// ImportRow is one parsed row of the spreadsheet.
type ImportRow struct {
	// Line is the spreadsheet row number (1-based, as Excel shows it; the
	// header is row 1 unless title lines stand above it).
	Line  int
	Code  string
	Title string
	// Kind is a Kinds value, from the kind column or, when that is empty,
	// guessed from the code (PO-DAS-01 is an operational procedure).
	Kind string
	// UnitName is the unit as written; UnitID the institution's unit it
	// matched by name or code (0: none given, or none matched).
	UnitName string
	UnitID   int64
	// Edition is read from Roman ("II") or Arabic numerals; Revision is ≥ 0.
	Edition, Revision int
	// ApprovedOn is YYYY-MM-DD.
	ApprovedOn string
	// Errors are message keys, such as "documents.import.error.code_taken".
	Errors []string
}

// OK reports whether the row may be imported.
func (r ImportRow) OK() bool { return len(r.Errors) == 0 }

// EditionLabel is the edition in Roman numerals, as printed; empty when
// the edition could not be read.
func (r ImportRow) EditionLabel() string {
	if r.Edition <= 0 {
		return ""
	}
	return Roman(r.Edition)
}

// ImportPreview is a checked spreadsheet: every row with its problems, and
// how many rows may be imported and how many may not.
type ImportPreview struct {
	Rows           []ImportRow
	Valid, Invalid int
}

// Columns of the import spreadsheet.
const (
	colCode = iota
	colTitle
	colKind
	colUnit
	colEdition
	colRevision
	colApproved
	numCols
)

var requiredCols = []int{colCode, colTitle, colEdition, colRevision, colApproved}

// importHeadings maps a folded column heading (see headingKey) to its
// column. Romanian first, English second, with the usual variants found
// in existing lists.
var importHeadings = map[string]int{
	"cod": colCode, "codul": colCode, "cod document": colCode, "codul documentului": colCode,
	"cod procedura": colCode, "codul procedurii": colCode, "code": colCode, "document code": colCode,

	"titlu": colTitle, "titlul": colTitle, "denumire": colTitle, "denumirea": colTitle,
	"titlul documentului": colTitle, "denumirea documentului": colTitle, "titlul procedurii": colTitle,
	"denumirea procedurii": colTitle, "title": colTitle, "name": colTitle,

	"tip": colKind, "tipul": colKind, "tip document": colKind, "tipul documentului": colKind,
	"kind": colKind, "type": colKind, "document type": colKind,

	"compartiment": colUnit, "compartimentul": colUnit, "unitate": colUnit, "unitatea": colUnit,
	"structura": colUnit, "structura organizatorica": colUnit, "unit": colUnit, "department": colUnit,

	"editia": colEdition, "editie": colEdition, "ed": colEdition, "edition": colEdition,

	"revizia": colRevision, "revizie": colRevision, "rev": colRevision, "revision": colRevision,

	"data aprobarii": colApproved, "data aprobare": colApproved, "data de aprobare": colApproved,
	"aprobat la": colApproved, "approval date": colApproved, "date of approval": colApproved,
	"approved on": colApproved,
}

// ImportHeadings are the column headings of the template, in Romanian.
var ImportHeadings = []string{"Cod", "Titlu", "Tip", "Compartiment", "Ediția", "Revizia", "Data aprobării"}

// headingKey folds a heading for lookup: case, diacritics, spacing and the
// trailing marks people add (":", "*", ".") do not matter.
func headingKey(s string) string {
	return strings.TrimSpace(strings.TrimRight(textutil.Fold(textutil.Clean(s)), ":*. "))
}

// kindNames maps folded names of kinds, as people write them in the kind
// column, to kinds. The Kinds values and their codes (PO, PS ...) are
// accepted too.
var kindNames = map[string]string{
	"manual": KindManual, "manualul calitatii": KindManual, "manualul sistemului de management al calitatii": KindManual, "quality manual": KindManual,
	"politica": KindPolicy, "politica calitatii": KindPolicy, "politica in domeniul calitatii": KindPolicy, "policy": KindPolicy, "quality policy": KindPolicy,
	"procedura de sistem": KindSystem, "procedura sistem": KindSystem, "system procedure": KindSystem,
	"procedura operationala": KindOperational, "operational procedure": KindOperational,
	"instructiune": KindInstruction, "instructiune de lucru": KindInstruction, "work instruction": KindInstruction,
	"formular": KindForm, "form": KindForm,
	"formular de inregistrare": KindRecord, "inregistrare": KindRecord, "record template": KindRecord, "record": KindRecord,
	"regulament": KindRegulation, "regulation": KindRegulation,
	"document extern": KindExternal, "extern": KindExternal, "external": KindExternal, "external document": KindExternal,
}

// kindByCode is the reverse of kindCodes: PO → operational_procedure.
var kindByCode = func() map[string]string {
	m := make(map[string]string, len(kindCodes))
	for kind, code := range kindCodes {
		m[code] = kind
	}
	return m
}()

// kindOf reads the kind column: a Kinds value, a code (PO) or a name.
func kindOf(cell string) string {
	if slices.Contains(Kinds, cell) {
		return cell
	}
	if k, ok := kindByCode[strings.ToUpper(cell)]; ok {
		return k
	}
	return kindNames[headingKey(cell)]
}

// guessKind reads the kind from a code. The institution's pattern says
// which run of letters holds the kind (PO-DAS-01, CMC/PS001); a code that
// does not follow the pattern falls back to the first run that is a kind
// code. Looking at the pattern first matters: a unit code can be a kind
// code too (DE is both "Direcția Economică" and an external document).
func guessKind(code, pattern string) string {
	runs := letterRuns(code)
	if i := kindPosition(pattern); i >= 0 && i < len(runs) {
		if k, ok := kindByCode[runs[i]]; ok {
			return k
		}
	}
	for _, r := range runs {
		if k, ok := kindByCode[r]; ok {
			return k
		}
	}
	return ""
}

// kindPosition is the index of {kind} among the runs of letters a code
// made from pattern has ({unit} counts as one run), or -1.
func kindPosition(pattern string) int {
	before, _, ok := strings.Cut(pattern, "{kind}")
	if !ok {
		return -1
	}
	before = strings.ReplaceAll(before, "{unit}", "U")
	before = numberToken.ReplaceAllString(before, "0")
	n := len(letterRuns(before))
	if before != "" && unicode.IsLetter([]rune(before)[utf8.RuneCountInString(before)-1]) {
		// A letter right before {kind} ("X{kind}") runs into it: no reliable position.
		return -1
	}
	return n
}

// letterRuns splits s into its runs of letters, upper-cased.
func letterRuns(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// importRefs is what rows are checked against: the institution's units and
// codes in use, each read once.
type importRefs struct {
	unitsByName  map[string][]int64
	unitsByCode  map[string][]int64
	codes        map[string]bool
	pattern      string
	reviewMonths int
}

func loadImportRefs(ctx context.Context, q querier, tenant int64) (importRefs, error) {
	ref := importRefs{unitsByName: map[string][]int64{}, unitsByCode: map[string][]int64{}, codes: map[string]bool{}}
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
		k := headingKey(name)
		ref.unitsByName[k] = append(ref.unitsByName[k], id)
		if c := headingKey(code); c != "" {
			ref.unitsByCode[c] = append(ref.unitsByCode[c], id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ref, fmt.Errorf("cannot read units: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT code FROM documents WHERE tenant_id = $1`, tenant)
	if err != nil {
		return ref, fmt.Errorf("cannot read document codes: %w", err)
	}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return ref, fmt.Errorf("cannot read document codes: %w", err)
		}
		ref.codes[strings.ToUpper(code)] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ref, fmt.Errorf("cannot read document codes: %w", err)
	}
	return ref, nil
}

// unit finds the unit a row names, by name first and then by code.
func (ref importRefs) unit(name string) (int64, string) {
	k := headingKey(name)
	for _, m := range []map[string][]int64{ref.unitsByName, ref.unitsByCode} {
		switch ids := m[k]; len(ids) {
		case 0:
			continue
		case 1:
			return ids[0], ""
		default:
			return 0, "documents.import.error.unit_ambiguous"
		}
	}
	return 0, "documents.import.error.unit_unknown"
}

// rawRow is a data row as read: its line and the text of each column.
type rawRow struct {
	line  int
	cells [numCols]string
}

var errImportFile = apperr.Validation{"file": "documents.import.error.file"}

// readImport reads the first sheet of an XLSX workbook: it finds the
// header, maps the columns and returns the non-empty data rows. It touches
// no database.
func readImport(r io.ReaderAt, size int64) (out []rawRow, date1904 bool, err error) {
	// The workbook comes from anyone with the permission to import; a
	// malformed one must be refused, never bring the server down, whatever
	// the XLSX library does with it.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, errImportFile
		}
	}()
	if size <= 0 {
		return nil, false, errImportFile
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxImportUnzip, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, false, errImportFile
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, false, errImportFile
	}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, false, errImportFile
	}
	defer it.Close()
	var cols []int // the column of each cell, -1 for columns not imported
	line := 0
	for it.Next() {
		line++
		cells, err := it.Columns()
		if err != nil {
			return nil, false, errImportFile
		}
		if cols == nil {
			if line > headerSearch {
				return nil, false, apperr.Validation{"file": "documents.import.error.columns"}
			}
			cols = headerColumns(cells)
			continue
		}
		row := rawRow{line: line}
		empty := true
		for i, c := range cells {
			if i >= len(cols) || cols[i] < 0 {
				continue
			}
			if c = strings.TrimSpace(c); c != "" {
				row.cells[cols[i]] = c
				empty = false
			}
		}
		if empty {
			continue
		}
		if len(out) == MaxImportRows {
			return nil, false, apperr.Validation{"file": "documents.import.error.too_many"}
		}
		out = append(out, row)
	}
	if it.Error() != nil {
		return nil, false, errImportFile
	}
	if cols == nil {
		return nil, false, apperr.Validation{"file": "documents.import.error.columns"}
	}
	if len(out) == 0 {
		return nil, false, apperr.Validation{"file": "documents.import.error.empty"}
	}
	return out, date1904, nil
}

// headerColumns maps the cells of a header row to columns; it returns nil
// when a required column is missing. When a heading repeats, the first
// column wins.
func headerColumns(cells []string) []int {
	cols := make([]int, len(cells))
	var seen [numCols]bool
	for i, c := range cells {
		cols[i] = -1
		if col, ok := importHeadings[headingKey(c)]; ok && !seen[col] {
			cols[i] = col
			seen[col] = true
		}
	}
	for _, c := range requiredCols {
		if !seen[c] {
			return nil
		}
	}
	return cols
}

// checkRows validates every row against ref; today bounds approval dates.
func checkRows(raw []rawRow, date1904 bool, ref importRefs, today time.Time) ImportPreview {
	p := ImportPreview{Rows: make([]ImportRow, len(raw))}
	lines := make(map[string][]int, len(raw)) // code → row indexes, for duplicates
	for i, rr := range raw {
		row := ImportRow{Line: rr.line}
		bad := func(key string) { row.Errors = append(row.Errors, key) }

		row.Code = strings.ToUpper(textutil.Clean(rr.cells[colCode]))
		switch {
		case row.Code == "":
			bad("documents.import.error.code_required")
		case utf8.RuneCountInString(row.Code) > MaxCode:
			bad("documents.import.error.code_too_long")
		case strings.ContainsAny(row.Code, " \t"):
			bad("documents.import.error.code_spaces")
		case ref.codes[row.Code]:
			bad("documents.import.error.code_taken")
		default:
			lines[row.Code] = append(lines[row.Code], i)
		}

		row.Title = textutil.Clean(rr.cells[colTitle])
		switch {
		case row.Title == "":
			bad("documents.import.error.title_required")
		case utf8.RuneCountInString(row.Title) > MaxTitle:
			bad("documents.import.error.title_too_long")
		}

		if k := textutil.Clean(rr.cells[colKind]); k != "" {
			row.Kind = kindOf(k)
		} else if row.Code != "" {
			row.Kind = guessKind(row.Code, ref.pattern)
		}
		if row.Kind == "" {
			bad("documents.import.error.kind")
		}

		if row.UnitName = textutil.Clean(rr.cells[colUnit]); row.UnitName != "" {
			var key string
			if row.UnitID, key = ref.unit(row.UnitName); key != "" {
				bad(key)
			}
		}

		if n, ok := importNumber(rr.cells[colEdition], true); ok && n >= 1 {
			row.Edition = n
		} else {
			bad("documents.import.error.edition")
		}
		if n, ok := importNumber(rr.cells[colRevision], false); ok && n >= 0 {
			row.Revision = n
		} else {
			bad("documents.import.error.revision")
		}

		if d, ok := importDate(rr.cells[colApproved], date1904); !ok {
			bad("documents.import.error.date")
		} else if d.After(today) {
			row.ApprovedOn = d.Format(time.DateOnly)
			bad("documents.import.error.date_future")
		} else {
			row.ApprovedOn = d.Format(time.DateOnly)
		}
		p.Rows[i] = row
	}
	// A code on two rows is marked on each: the person decides which is right.
	for _, idx := range lines {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			p.Rows[i].Errors = append(p.Rows[i].Errors, "documents.import.error.code_duplicate")
		}
	}
	for _, row := range p.Rows {
		if row.OK() {
			p.Valid++
		} else {
			p.Invalid++
		}
	}
	return p
}

// importNumber reads an edition (roman allows Roman numerals) or a
// revision: a whole number up to maxImportNumber. Excel gives numbers as
// written ("2") or, when computed, as floats ("2.0000000000000004").
func importNumber(s string, roman bool) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n <= maxImportNumber
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if r := math.Round(f); math.Abs(f-r) < 1e-9 && r >= 0 && r <= maxImportNumber {
			return int(r), true
		}
		return 0, false
	}
	if roman {
		return ParseRoman(s)
	}
	return 0, false
}

// importDate reads an approval date written as dd.mm.yyyy, yyyy-mm-dd (or
// with / or - between day, month and year), or stored by Excel as a date
// (a serial day number, read raw).
func importDate(s string, date1904 bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10] // a date with a time of day, from a date-typed cell
	}
	var t time.Time
	var err error
	for _, layout := range []string{"2006-1-2", "2.1.2006", "2/1/2006", "2-1-2006"} {
		if t, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		serial, ferr := strconv.ParseFloat(s, 64)
		// Written so that NaN, which ParseFloat accepts, fails too.
		if ferr != nil || !(serial >= 1 && serial <= 2958465) {
			return time.Time{}, false
		}
		if t, err = excelize.ExcelDateToTime(math.Floor(serial), date1904); err != nil {
			return time.Time{}, false
		}
		t = work.DateOnly(t)
	}
	if t.Year() < earliestApproval {
		return time.Time{}, false
	}
	return t, true
}

// ParseImport reads and checks a list of documents in an XLSX workbook
// without writing anything, for a person to look over before importing.
// The first sheet holds a header row, whose headings are recognised in
// Romanian or English ("Cod"/"Code", "Titlu"/"Denumire"/"Title",
// "Tip"/"Kind", "Compartiment"/"Unitate"/"Unit", "Ediția"/"Edition",
// "Revizia"/"Revision", "Data aprobării"/"Approval date"), and one document
// a row. A workbook that cannot be read, lacks a required column, has no
// rows or more than MaxImportRows is refused with a validation error on
// "file"; problems of single rows are in each row's Errors.
func (s *Service) ParseImport(ctx context.Context, a auth.Actor, r io.ReaderAt, size int64) (ImportPreview, error) {
	if err := a.Require(auth.PermDocsManage); err != nil {
		return ImportPreview{}, err
	}
	raw, date1904, err := readImport(r, size)
	if err != nil {
		return ImportPreview{}, err
	}
	ref, err := s.importRefs(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return ImportPreview{}, err
	}
	return checkRows(raw, date1904, ref, work.Day(s.Clock.Now())), nil
}

func (s *Service) importRefs(ctx context.Context, q querier, tenant int64) (importRefs, error) {
	ref, err := loadImportRefs(ctx, q, tenant)
	if err != nil {
		return ref, err
	}
	st, err := s.settings(ctx, q, tenant)
	if err != nil {
		return ref, err
	}
	ref.pattern, ref.reviewMonths = st.CodePattern, st.ReviewMonths
	return ref, nil
}

// importedEvent is what the audit trail keeps of an imported document.
type importedEvent struct {
	Document
	Edition  int    `json:"edition"`
	Revision int    `json:"revision"`
	Source   string `json:"source"`
}

// Import registers every document of the workbook as in force, in one
// transaction, and returns how many it registered. It checks the rows as
// ParseImport does, but inside the transaction, so that a code taken
// between the preview and the import is caught; if any row has a problem
// it writes nothing and returns a validation error on "file"
// ("documents.import.error.rows"): a list is imported whole or not at all.
//
// Each document gets its register entry (in force from its approval date,
// next review after the institution's review interval), one version with
// only the register entry (source "register"), its unit on the
// distribution list, the search index, an audit event and its review
// task. Imported documents were distributed on paper, so nobody receives
// them again.
func (s *Service) Import(ctx context.Context, a auth.Actor, r io.ReaderAt, size int64) (int, error) {
	if err := a.Require(auth.PermDocsManage); err != nil {
		return 0, err
	}
	raw, date1904, err := readImport(r, size)
	if err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	n := 0
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ref, err := s.importRefs(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		p := checkRows(raw, date1904, ref, work.Day(now))
		if p.Invalid > 0 {
			return apperr.Validation{"file": "documents.import.error.rows"}
		}
		w, err := s.newImportWriter(ctx, tx, a, ref.reviewMonths, now)
		if err != nil {
			return err
		}
		defer w.close()
		for _, row := range p.Rows {
			if err := w.write(ctx, row); err != nil {
				return err
			}
			n++
		}
		return w.finish(ctx)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// importWriter writes imported documents through statements prepared once
// for the whole transaction.
type importWriter struct {
	s       *Service
	tasks   work.Tasks // s.Work without notifications, for the review tasks
	rec     *audit.Recorder
	reviews []work.NewTask
	tx      *sql.Tx
	a       auth.Actor
	months  int
	now     time.Time
	doc     *sql.Stmt
	version *sql.Stmt
	current *sql.Stmt
	dist    *sql.Stmt
}

// quietTasks is the work service without notifications, when it can be:
// an import hands out one review a document, hundreds to the same head of
// unit, due months or years away; they find them in their work list and
// the daily digest rather than as a flood of notices.
func quietTasks(t work.Tasks) work.Tasks {
	if ws, ok := t.(*work.Service); ok && ws.Notify != nil {
		quiet := *ws
		quiet.Notify = nil
		return &quiet
	}
	return t
}

func (s *Service) newImportWriter(ctx context.Context, tx *sql.Tx, a auth.Actor, months int, now time.Time) (*importWriter, error) {
	rec, err := audit.NewRecorder(ctx, tx, a.Tenant)
	if err != nil {
		return nil, err
	}
	w := &importWriter{s: s, tasks: quietTasks(s.Work), rec: rec, tx: tx, a: a, months: months, now: now}
	prepare := func(query string) (*sql.Stmt, error) {
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("cannot prepare import: %w", err)
		}
		return st, nil
	}
	if w.doc, err = prepare(`INSERT INTO documents (tenant_id, kind, code, title, unit_id, review_months, state, effective_on, next_review_on,
			sort_code, sort_title, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`); err != nil {
		return nil, err
	}
	if w.version, err = prepare(`INSERT INTO document_versions (tenant_id, document_id, edition, revision, state, source, effective_on, author_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`); err != nil {
		return nil, err
	}
	if w.current, err = prepare(`UPDATE documents SET current_id = $1, latest_id = $1 WHERE id = $2`); err != nil {
		return nil, err
	}
	if w.dist, err = prepare(`INSERT INTO document_distribution (tenant_id, document_id, unit_id, purpose) VALUES ($1, $2, $3, $4)`); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *importWriter) close() {
	for _, st := range []*sql.Stmt{w.doc, w.version, w.current, w.dist} {
		if st != nil {
			st.Close()
		}
	}
}

// write registers one checked row as a document in force.
func (w *importWriter) write(ctx context.Context, row ImportRow) error {
	a, now := w.a, w.now
	d := Document{Tenant: a.Tenant, Kind: row.Kind, Code: row.Code, Title: row.Title, UnitID: row.UnitID, ReviewMonths: w.months,
		State: StateInForce, EffectiveOn: row.ApprovedOn, NextReviewOn: addMonths(row.ApprovedOn, w.months),
		CreatedAt: now, UpdatedAt: now, Version: 1, Edition: row.Edition, Revision: row.Revision}
	err := w.doc.QueryRowContext(ctx, a.Tenant, d.Kind, d.Code, d.Title, nullID(d.UnitID), d.ReviewMonths, d.State, d.EffectiveOn, d.NextReviewOn,
		sortCode(d.Code), textutil.Fold(d.Title), searchKey(d.Code, d.Title), now).Scan(&d.ID)
	if db.IsUniqueViolation(err) {
		// Another import or form took the code after the rows were checked
		// (PostgreSQL lets that happen); checked again, the row says so.
		return apperr.Validation{"file": "documents.import.error.rows"}
	}
	if err != nil {
		return fmt.Errorf("cannot import document %s: %w", d.Code, err)
	}
	if err := w.version.QueryRowContext(ctx, a.Tenant, d.ID, row.Edition, row.Revision, StateInForce, SourceRegister, row.ApprovedOn, a.UserID, now).Scan(&d.CurrentID); err != nil {
		return fmt.Errorf("cannot import document version %s: %w", d.Code, err)
	}
	d.LatestID = d.CurrentID
	if _, err := w.current.ExecContext(ctx, d.CurrentID, d.ID); err != nil {
		return fmt.Errorf("cannot import document %s: %w", d.Code, err)
	}
	if d.UnitID != 0 {
		if _, err := w.dist.ExecContext(ctx, a.Tenant, d.ID, d.UnitID, PurposeApply); err != nil {
			return fmt.Errorf("cannot import distribution of %s: %w", d.Code, err)
		}
	}
	// What index would store for a version that is only a register entry
	// (no sections, no files): the code and title. Writing it directly
	// spares reading back the document and its empty text, a third of the
	// import's time.
	if err := w.s.fullText().Put(ctx, w.tx, a.Tenant, d.ID, searchKey(d.Code, d.Title), "", ""); err != nil {
		return err
	}
	if err := w.rec.Record(ctx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document", EntityID: d.ID,
		Summary: "import: " + d.Code, After: importedEvent{Document: d, Edition: row.Edition, Revision: row.Revision, Source: SourceRegister}}); err != nil {
		return err
	}
	// A document created in this transaction has no tasks to close yet.
	if t, ok := reviewTask(d); ok {
		w.reviews = append(w.reviews, t)
	}
	return nil
}

// finish hands out the review tasks of every imported document in one
// batch and closes the audit recorder.
func (w *importWriter) finish(ctx context.Context) error {
	if _, err := w.tasks.AssignMany(ctx, w.tx, w.a, w.rec, w.reviews); err != nil {
		return err
	}
	return w.rec.Close(ctx)
}

// ImportTemplate writes an XLSX workbook with the import's header row, in
// Romanian, and one example row, for people to fill in.
func ImportTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Documente"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("cannot name sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return fmt.Errorf("cannot style template: %w", err)
	}
	// Dates as dd.mm.yyyy, as Romanian offices write them.
	dateFmt := "dd.mm.yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return fmt.Errorf("cannot style template: %w", err)
	}
	example := []any{"PO-DAS-01", "Acordarea ajutorului social", "PO", "Direcția de Asistență Socială", "I", 0, time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)}
	widths := []float64{16, 50, 8, 40, 10, 10, 16}
	for i, h := range ImportHeadings {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, cell, h); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, widths[i]); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
		cell, _ = excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue(sheet, cell, example[i]); err != nil {
			return fmt.Errorf("cannot write template: %w", err)
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "G1", bold); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	// The whole date column, so the dates people type are dates too.
	if err := f.SetColStyle(sheet, "G", dateStyle); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	if err := f.SetCellStyle(sheet, "G1", "G1", bold); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	if err := f.SetCellStyle(sheet, "G2", "G2", dateStyle); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	return nil
}
