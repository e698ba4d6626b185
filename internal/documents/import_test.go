package documents_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/org"
	"cadran/internal/work"
)

var roHeader = []any{"Cod", "Titlu", "Tip", "Compartiment", "Ediția", "Revizia", "Data aprobării"}

// workbook builds an XLSX file with rows on its first sheet, from row 1.
// A time.Time becomes a real date cell.
func workbook(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parse(t *testing.T, e *env, a auth.Actor, file []byte) (documents.ImportPreview, error) {
	t.Helper()
	return e.docs.ParseImport(t.Context(), a, bytes.NewReader(file), int64(len(file)))
}

func importFile(t *testing.T, e *env, a auth.Actor, file []byte) (int, error) {
	t.Helper()
	return e.docs.Import(t.Context(), a, bytes.NewReader(file), int64(len(file)))
}

// rowErrors maps each line with problems to its error keys.
func rowErrors(p documents.ImportPreview) map[int][]string {
	out := map[int][]string{}
	for _, r := range p.Rows {
		if len(r.Errors) > 0 {
			out[r.Line] = r.Errors
		}
	}
	return out
}

func TestImportRegistersEveryRowInForce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		file := workbook(t, roHeader,
			[]any{"PO-DAS-01", "Acordarea ajutorului social", "", "directia de asistenta sociala", "II", 1, "15.03.2024"},
			[]any{"ps-cmc-01", "Controlul documentelor", "Procedură de sistem", "cmc", "I", 0, "2023-01-10"},
			[]any{}, // empty rows are skipped
			[]any{"MC-01", "Manualul calității", "Manual", "", 3, 2, time.Date(2022, 5, 2, 0, 0, 0, 0, time.UTC)},
			[]any{"F-SBS-01", "Cerere tip pentru ajutor de încălzire", "", "Serviciul Beneficii Sociale", "1", "0", "2.5.2022"},
		)
		p := must(parse(t, e, e.qm, file))(t)
		if p.Valid != 4 || p.Invalid != 0 {
			t.Fatalf("preview: %d valid, %d invalid: %+v", p.Valid, p.Invalid, rowErrors(p))
		}
		type got struct {
			Line              int
			Code, Kind        string
			Unit              int64
			Edition, Revision int
			On                string
		}
		var rows []got
		for _, r := range p.Rows {
			rows = append(rows, got{r.Line, r.Code, r.Kind, r.UnitID, r.Edition, r.Revision, r.ApprovedOn})
		}
		want := []got{
			{2, "PO-DAS-01", documents.KindOperational, e.social, 2, 1, "2024-03-15"},
			{3, "PS-CMC-01", documents.KindSystem, e.quality, 1, 0, "2023-01-10"},
			{5, "MC-01", documents.KindManual, 0, 3, 2, "2022-05-02"},
			{6, "F-SBS-01", documents.KindForm, e.service, 1, 0, "2022-05-02"},
		}
		if !slices.Equal(rows, want) {
			t.Fatalf("rows =\n%+v\nwant\n%+v", rows, want)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM documents`); n != 0 {
			t.Fatalf("the preview wrote %d documents", n)
		}
		notices := e.count(t, `SELECT COUNT(*) FROM notifications`)

		if n := must(importFile(t, e, e.qm, file))(t); n != 4 {
			t.Fatalf("imported %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND state = 'in_force' AND current_id = latest_id AND current_id IS NOT NULL`, e.qm.Tenant); n != 4 {
			t.Fatalf("documents in force = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM document_versions WHERE tenant_id = $1 AND state = 'in_force' AND source = 'register'`, e.qm.Tenant); n != 4 {
			t.Fatalf("versions in force = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'document' AND action = 'create' AND summary = 'import: PO-DAS-01'`, e.qm.Tenant); n != 1 {
			t.Fatalf("audit events for PO-DAS-01 = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'document'`); n != 4 {
			t.Fatalf("document audit events = %d", n)
		}
		// Each unit applies its documents; the paper copies were handed out long ago.
		if n := e.count(t, `SELECT COUNT(*) FROM document_distribution WHERE purpose = 'application'`); n != 3 {
			t.Fatalf("distribution = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM document_receipts`) + e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'acknowledge'`); n != 0 {
			t.Fatalf("receipts or acknowledgement tasks = %d", n)
		}
		// The review is scheduled from the approval date, quietly.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'documents' AND entity = 'document' AND state = 'open'`); n != 4 {
			t.Fatalf("review tasks = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks t JOIN documents d ON d.id = t.entity_id WHERE t.entity = 'document' AND d.code = 'PO-DAS-01' AND t.due_on = '2025-03-15' AND t.role = 'head_of_unit' AND t.role_unit_id = $1`, e.social); n != 1 {
			t.Fatal("no review task for the head of the social directorate")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM notifications`); n != notices {
			t.Fatalf("the import sent %d notifications", n-notices)
		}
		// Everyone sees and finds them, as documents in force.
		hits, total := must2(e.docs.Search(ctx, e.emp, "ajutorului social", 10, 0))(t)
		if total != 1 || hits[0].Document.Code != "PO-DAS-01" {
			t.Fatalf("search: %d hits", total)
		}
		if _, total := must2(e.docs.Search(ctx, e.emp, "manualul calitatii", 10, 0))(t); total != 1 {
			t.Fatalf("search for the manual: %d hits", total)
		}
		doc := must(e.docs.Document(ctx, e.emp, hits[0].Document.ID))(t)
		if doc.State != documents.StateInForce || doc.Edition != 2 || doc.Revision != 1 || doc.EffectiveOn != "2024-03-15" || doc.NextReviewOn != "2025-03-15" || doc.UnitID != e.social {
			t.Fatalf("document = %+v", doc)
		}
		view := must(e.docs.Open(ctx, e.emp, doc.ID, 0))(t)
		if view.Version.Source != documents.SourceRegister || view.Version.EffectiveOn != "2024-03-15" {
			t.Fatalf("version = %+v", view.Version)
		}
		// A second import of the same list finds every code taken.
		_, err := importFile(t, e, e.qm, file)
		wantKey(t, err, "file", "documents.import.error.rows")
	})
}

func TestImportWithABadRowImportsNothing(t *testing.T) {
	good := [][]any{
		{"PO-DAS-01", "Acordarea ajutorului social", "", "Direcția de Asistență Socială", "I", 0, "15.03.2024"},
		{"PS-CMC-01", "Controlul documentelor", "", "CMC", "II", 3, "2023-01-10"},
	}
	row := func(code, title, unit, edition string, revision any, date string) []any {
		return []any{code, title, "", unit, edition, revision, date}
	}
	cases := []struct {
		name string
		bad  [][]any
		want map[int][]string // line → error keys
	}{
		{"duplicate code within the file", [][]any{
			row("PO-DAS-02", "Ancheta socială", "DAS", "I", 0, "01.02.2024"),
			row("po-das-02", "Ancheta socială (copie)", "DAS", "I", 0, "01.02.2024"),
		}, map[int][]string{4: {"documents.import.error.code_duplicate"}, 5: {"documents.import.error.code_duplicate"}}},
		{"code already in the register", [][]any{row("PO-DAS-09", "Ancheta socială", "DAS", "I", 0, "01.02.2024")},
			map[int][]string{4: {"documents.import.error.code_taken"}}},
		{"unknown unit", [][]any{row("PO-DU-01", "Autorizarea construcțiilor", "Direcția Urbanism", "I", 0, "01.02.2024")},
			map[int][]string{4: {"documents.import.error.unit_unknown"}}},
		{"bad date", [][]any{row("PO-DAS-02", "Ancheta socială", "DAS", "I", 0, "31.02.2024")},
			map[int][]string{4: {"documents.import.error.date"}}},
		{"date that is not a number of days", [][]any{row("PO-DAS-02", "Ancheta socială", "DAS", "I", 0, "NaN")},
			map[int][]string{4: {"documents.import.error.date"}}},
		{"date in the future", [][]any{row("PO-DAS-02", "Ancheta socială", "DAS", "I", 0, "24.11.2026")},
			map[int][]string{4: {"documents.import.error.date_future"}}},
		{"edition 0", [][]any{row("PO-DAS-02", "Ancheta socială", "DAS", "0", 0, "01.02.2024")},
			map[int][]string{4: {"documents.import.error.edition"}}},
		{"negative revision", [][]any{row("PO-DAS-02", "Ancheta socială", "DAS", "I", -1, "01.02.2024")},
			map[int][]string{4: {"documents.import.error.revision"}}},
		{"missing title", [][]any{row("PO-DAS-02", "", "DAS", "I", 0, "01.02.2024")},
			map[int][]string{4: {"documents.import.error.title_required"}}},
		{"missing code", [][]any{row("", "Ancheta socială", "DAS", "I", 0, "01.02.2024")},
			map[int][]string{4: {"documents.import.error.code_required", "documents.import.error.kind"}}},
		{"unknown kind", [][]any{{"X-01", "Circulară", "Circulară", "DAS", "I", 0, "01.02.2024"}},
			map[int][]string{4: {"documents.import.error.kind"}}},
		{"several problems in one row", [][]any{row("PO DAS 3", "", "Nicăieri", "zero", "unu", "ieri")},
			map[int][]string{4: {"documents.import.error.code_spaces", "documents.import.error.title_required", "documents.import.error.unit_unknown",
				"documents.import.error.edition", "documents.import.error.revision", "documents.import.error.date"}}},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		must(e.docs.Create(t.Context(), e.head, documents.DocumentInput{Kind: documents.KindOperational, Code: "PO-DAS-09", Title: "Ancheta socială", UnitID: e.social}))(t)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				file := workbook(t, append(append([][]any{roHeader}, good...), c.bad...)...)
				p := must(parse(t, e, e.qm, file))(t)
				if got := rowErrors(p); fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Fatalf("errors = %v, want %v", got, c.want)
				}
				if p.Valid != 2 || p.Invalid != len(c.want) {
					t.Fatalf("valid %d, invalid %d", p.Valid, p.Invalid)
				}
				_, err := importFile(t, e, e.qm, file)
				wantKey(t, err, "file", "documents.import.error.rows")
				if n := e.count(t, `SELECT COUNT(*) FROM documents`); n != 1 {
					t.Fatalf("documents after a refused import = %d", n)
				}
			})
		}
	})
}

func TestImportRefusesTheFile(t *testing.T) {
	many := make([][]any, 0, documents.MaxImportRows+2)
	many = append(many, roHeader)
	for i := range documents.MaxImportRows + 1 {
		many = append(many, []any{fmt.Sprintf("PO-%05d", i), "Procedură", "", "", "I", 0, "01.02.2024"})
	}
	cases := []struct {
		name string
		file []byte
		key  string
	}{
		{"wrong headings", workbook(t, []any{"Nr.", "Document", "Observații"}, []any{1, "Procedura", ""}), "documents.import.error.columns"},
		{"a required column missing", workbook(t, []any{"Cod", "Titlu", "Ediția", "Revizia"}, []any{"PO-01", "Procedura", "I", 0}), "documents.import.error.columns"},
		{"no rows", workbook(t, roHeader), "documents.import.error.empty"},
		{"not a workbook", []byte("Cod;Titlu\nPO-01;Procedura\n"), "documents.import.error.file"},
		{"empty file", nil, "documents.import.error.file"},
		{"too many rows", workbook(t, many...), "documents.import.error.too_many"},
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := parse(t, e, e.qm, c.file)
				wantKey(t, err, "file", c.key)
				_, err = importFile(t, e, e.qm, c.file)
				wantKey(t, err, "file", c.key)
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM documents`); n != 0 {
			t.Fatalf("documents = %d", n)
		}
	})
}

func TestImportReadsEnglishHeadingsAndExcelDates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// Title lines above the header, headings in English with their own
		// spelling, an extra column, and dates as Excel stores them: a date
		// cell, a serial number with a date format, a date with a time.
		f := excelize.NewFile()
		defer f.Close()
		rows := [][]any{
			{"Register of documented information"},
			{},
			{"No.", "CODE", "Title:", "Kind", "Unit", "Edition", "Revision", "Approval date", "Notes"},
			{1, "PO-DAS-01", "Social aid", "operational_procedure", "Direcția de Asistență Socială", "III", 2, time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "ok"},
			{2, "IL-DAS-01", "Home visits", "", "DAS", "I", 0, 45366.0, ""},
			{3, "R-01", "Internal regulation", "regulament", "", "I", 0, time.Date(2021, 12, 31, 14, 30, 0, 0, time.UTC), ""},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", "H5", "H5", style); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		p := must(parse(t, e, e.qm, buf.Bytes()))(t)
		if p.Invalid != 0 || len(p.Rows) != 3 {
			t.Fatalf("preview: %+v", p)
		}
		var got []string
		for _, r := range p.Rows {
			got = append(got, fmt.Sprintf("%d %s %s %d %s %d.%d", r.Line, r.Code, r.Kind, r.UnitID, r.ApprovedOn, r.Edition, r.Revision))
		}
		want := []string{
			fmt.Sprintf("4 PO-DAS-01 operational_procedure %d 2024-03-15 3.2", e.social),
			fmt.Sprintf("5 IL-DAS-01 work_instruction %d 2024-03-15 1.0", e.social),
			"6 R-01 regulation 0 2021-12-31 1.0",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("rows =\n%q\nwant\n%q", got, want)
		}
		if n := must(importFile(t, e, e.qm, buf.Bytes()))(t); n != 3 {
			t.Fatalf("imported %d", n)
		}
	})
}

func TestImportKeepsToTheInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		file := workbook(t, roHeader, []any{"PO-DAS-01", "Acordarea ajutorului social", "", "Direcția de Asistență Socială", "I", 0, "15.03.2024"})
		// Institution B has no such unit: A's is not matched.
		p := must(parse(t, e, e.other, file))(t)
		if got := rowErrors(p); fmt.Sprint(got) != fmt.Sprint(map[int][]string{2: {"documents.import.error.unit_unknown"}}) {
			t.Fatalf("errors = %v", got)
		}
		// A's codes do not stop B from using the same one.
		must(importFile(t, e, e.qm, file))(t)
		fileB := workbook(t, roHeader, []any{"PO-DAS-01", "Acordarea ajutorului social", "", "", "I", 0, "15.03.2024"})
		if n := must(importFile(t, e, e.other, fileB))(t); n != 1 {
			t.Fatalf("B imported %d", n)
		}
		if _, total := must2(e.docs.Search(ctx, e.other, "ajutorului", 10, 0))(t); total != 1 {
			t.Fatalf("B finds %d", total)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND unit_id IS NULL`, e.other.Tenant); n != 1 {
			t.Fatalf("B's document = %d", n)
		}
	})
}

func TestImportNeedsDocsManage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		file := workbook(t, roHeader, []any{"PO-DAS-01", "Acordarea ajutorului social", "", "", "I", 0, "15.03.2024"})
		for name, a := range map[string]auth.Actor{"employee": e.emp, "head of unit": e.head, "mayor": e.mayor} {
			if _, err := parse(t, e, a, file); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s previews: %v", name, err)
			}
			if _, err := importFile(t, e, a, file); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s imports: %v", name, err)
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM documents`); n != 0 {
			t.Fatalf("documents = %d", n)
		}
	})
}

func TestImportTemplateImports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var buf bytes.Buffer
		if err := documents.ImportTemplate(&buf); err != nil {
			t.Fatal(err)
		}
		p := must(parse(t, e, e.qm, buf.Bytes()))(t)
		if p.Valid != 1 || p.Invalid != 0 {
			t.Fatalf("template preview: %+v", p)
		}
		if r := p.Rows[0]; r.Code != "PO-DAS-01" || r.Kind != documents.KindOperational || r.UnitID != e.social || r.ApprovedOn != "2024-03-15" || r.EditionLabel() != "I" {
			t.Fatalf("template row = %+v", r)
		}
	})
}

// FuzzParseImport feeds arbitrary bytes to the import: it must refuse
// what it cannot read with a validation error, never panic.
func FuzzParseImport(f *testing.F) {
	f.Add(workbook(f, roHeader, []any{"PO-DAS-01", "Acordarea ajutorului social", "", "Direcția de Asistență Socială", "II", 1, "15.03.2024"}))
	f.Add(workbook(f, []any{"Code", "Title", "Edition", "Revision", "Approval date"}, []any{"MC-01", "Manual", 1, 0, 45366.0}))
	f.Add([]byte("PK\x03\x04"))
	ctx := context.Background()
	d := dbtest.Open(f, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Fuzz", CUI: "4322823", Kind: org.KindTown, County: "Cluj"})
	if err != nil {
		f.Fatal(err)
	}
	a := auth.SystemActor(inst.ID, "fuzz")
	if _, err := o.CreateUnit(ctx, a, org.UnitInput{Name: "Direcția de Asistență Socială", Code: "DAS", Kind: "directorate", Relation: "own"}); err != nil {
		f.Fatal(err)
	}
	docs := &documents.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
	f.Fuzz(func(t *testing.T, file []byte) {
		p, err := docs.ParseImport(ctx, a, bytes.NewReader(file), int64(len(file)))
		if err != nil {
			if _, ok := apperr.AsValidation(err); !ok {
				t.Fatalf("not a validation error: %v", err)
			}
			return
		}
		if p.Valid+p.Invalid != len(p.Rows) || len(p.Rows) > documents.MaxImportRows {
			t.Fatalf("counts: %d + %d for %d rows", p.Valid, p.Invalid, len(p.Rows))
		}
	})
}
