// Package importer brings an existing register (a risk register, a
// nonconformity log) in from an XLSX or CSV file: the file is read into a
// table, its columns are mapped to the fields the module accepts (guessed
// from the headings, corrected by the person), every row is checked and
// previewed with its errors, and the whole file is written in one
// transaction or not at all, while the page shows progress.
//
// A module takes part by implementing Target; the upload, mapping, preview,
// progress and result pages are shared.
package importer

import (
	"context"
	"io"

	"cadran/internal/apperr"
	"cadran/internal/auth"
)

// Field is a column a target accepts.
type Field struct {
	Key      string // "description", "probability"
	Label    string // message key of its name, such as "risks.field.description"
	Help     string // message key of what goes in it (accepted values, format); may be empty
	Required bool
	// Aliases are headings the column is known by in registers people keep,
	// such as "Descrierea riscului" or "Risc"; they are matched with
	// diacritics, case and punctuation ignored.
	Aliases []string
}

// Row is one data row of the file, mapped to field keys. Line is its line
// number in the file (1-based, counting the heading), for error messages.
type Row struct {
	Line   int
	Values map[string]string
}

// Checked is what a target says of one row.
type Checked struct {
	Line int
	// Errors maps a field key to the message key of its problem; empty
	// when the row can be imported.
	Errors apperr.Validation
	// Cells are the row as the preview shows it, one per Target.Preview
	// heading, already normalised (a probability "4 - foarte probabil"
	// shown as 4).
	Cells []string
}

// Target is a register a file can be imported into.
type Target interface {
	// Name identifies the target in URLs and the jobs table: "risks",
	// "nonconformities".
	Name() string
	// Title is the message key of the page title ("Import the risk register").
	Title() string
	// Permission is what the actor needs to import.
	Permission() auth.Permission
	// Fields are the columns the target accepts, in the order forms show them.
	Fields() []Field
	// Preview is the message keys of the preview table's headings.
	Preview() []string
	// Check validates every row against the institution's data (units,
	// people, codes already used) without writing anything.
	Check(ctx context.Context, a auth.Actor, rows []Row) ([]Checked, error)
	// Commit writes every row in one transaction, all or nothing, after
	// checking them again; it calls progress with the number of rows
	// written now and then (at least every 500 rows) and returns how many
	// records it created. A row that fails makes the whole import fail with
	// an apperr error.
	Commit(ctx context.Context, a auth.Actor, rows []Row, progress func(done int)) (int, error)
	// Template writes an XLSX workbook with the target's headings (in
	// Romanian, as the institution's registers are) and an example row, for
	// people who start from nothing.
	Template(w io.Writer) error
	// Done is where the result page links to (the register).
	Done() string
}
