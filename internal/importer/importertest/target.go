// Package importertest gives tests an import target that writes into a
// scratch table of its own, on either engine: a fake made of function
// fields (no mocking library), with a working default for each.
package importertest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/importer"
)

// Target is a test register of titled, scored entries. Each function
// field, when set, replaces the default behaviour.
type Target struct {
	NameV       string
	PermissionV auth.Permission
	DB          *db.DB
	// Every is how often Commit reports progress; 0 means 100 rows.
	Every int
	// BeforeCommit, if set, runs in Commit before its transaction begins
	// (a test holds the import there to look at its progress; inside the
	// transaction it would hold SQLite's only writer).
	BeforeCommit func()

	CheckFn  func(ctx context.Context, a auth.Actor, rows []importer.Row) ([]importer.Checked, error)
	CommitFn func(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(int)) (int, error)
}

// New makes the scratch table import_scratch and a target writing into it.
func New(t testing.TB, d *db.DB, name string, perm auth.Permission) *Target {
	t.Helper()
	if _, err := d.W.Exec(`CREATE TABLE IF NOT EXISTS import_scratch (tenant_id BIGINT NOT NULL, line INTEGER NOT NULL, title TEXT NOT NULL, score INTEGER NOT NULL, due TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return &Target{NameV: name, PermissionV: perm, DB: d}
}

// Count returns how many scratch rows institution tenant has.
func Count(t testing.TB, d *db.DB, tenant int64) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM import_scratch WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (t *Target) Name() string                { return t.NameV }
func (t *Target) Title() string               { return "importer.title" }
func (t *Target) Permission() auth.Permission { return t.PermissionV }
func (t *Target) Done() string                { return "/imports" }
func (t *Target) Preview() []string {
	return []string{"importer.test.title", "importer.test.score", "importer.test.due"}
}

// Fields are a required title, a required score from 1 to 5 and an
// optional due date.
func (t *Target) Fields() []importer.Field {
	return []importer.Field{
		{Key: "title", Label: "importer.test.title", Required: true, Aliases: []string{"Denumire", "Titlu", "Risc"}},
		{Key: "score", Label: "importer.test.score", Help: "importer.test.score_help", Required: true, Aliases: []string{"Punctaj", "Scor", "Probabilitate inerentă"}},
		{Key: "due", Label: "importer.test.due", Aliases: []string{"Termen", "Data limită"}},
	}
}

// Check refuses an empty title and a score that is not 1 to 5.
func (t *Target) Check(ctx context.Context, a auth.Actor, rows []importer.Row) ([]importer.Checked, error) {
	if t.CheckFn != nil {
		return t.CheckFn(ctx, a, rows)
	}
	out := make([]importer.Checked, len(rows))
	for i, r := range rows {
		c := importer.Checked{Line: r.Line, Errors: apperr.Validation{}}
		if r.Values["title"] == "" {
			c.Errors.Add("title", "error.required")
		}
		if n, err := strconv.Atoi(r.Values["score"]); err != nil || n < 1 || n > 5 {
			c.Errors.Add("score", "importer.test.score_invalid")
		}
		c.Cells = []string{r.Values["title"], r.Values["score"], r.Values["due"]}
		out[i] = c
	}
	return out, nil
}

// Commit writes every row in one transaction; a title "FAIL" fails the
// whole import after the rows before it were written.
func (t *Target) Commit(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(int)) (int, error) {
	if t.CommitFn != nil {
		return t.CommitFn(ctx, a, rows, progress)
	}
	every := t.Every
	if every <= 0 {
		every = 100
	}
	if t.BeforeCommit != nil {
		t.BeforeCommit()
	}
	err := t.DB.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO import_scratch (tenant_id, line, title, score, due) VALUES ($1, $2, $3, $4, $5)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i, r := range rows {
			if r.Values["title"] == "FAIL" {
				return apperr.Conflict("importer.test.failed")
			}
			score, _ := strconv.Atoi(r.Values["score"])
			if _, err := stmt.ExecContext(ctx, a.Tenant, r.Line, r.Values["title"], score, r.Values["due"]); err != nil {
				return fmt.Errorf("cannot write scratch row: %w", err)
			}
			if (i+1)%every == 0 {
				progress(i + 1)
			}
		}
		progress(len(rows))
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// Template writes a workbook with the headings and an example row.
func (t *Target) Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, v := range []any{"Titlu", "Punctaj", "Termen", "Exemplu de risc", 3, "2026-12-31"} {
		cell, _ := excelize.CoordinatesToCellName(i%3+1, i/3+1)
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}
