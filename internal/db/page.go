package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// Reader is what a list reads through: the read pool or a transaction.
type Reader interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// PageQuery is one page of a list: the rows a FROM ... WHERE clause
// matches, in the order asked for.
type PageQuery struct {
	Select string // the columns, without SELECT
	From   string // " FROM ... WHERE ...", with $n placeholders for Args
	Args   []any
	// Sorts maps the list's sort keys to ORDER BY expressions; Sort is the
	// key asked for (Default when it is not one of them) and Tail breaks
	// ties.
	Sorts         map[string]string
	Sort, Default string
	Desc          bool
	Tail          string
	Page, PerPage int // Page from 1; PerPage 0: DefaultPageSize
}

// Page reads q's page, each row through scan, and counts the rows of the
// whole list. what names the rows in errors ("actions").
func Page[T any](ctx context.Context, r Reader, what string, q PageQuery, scan func(*sql.Rows) (T, error)) (items []T, total int, err error) {
	if err := r.QueryRowContext(ctx, `SELECT COUNT(*)`+q.From, q.Args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count %s: %w", what, err)
	}
	sort := q.Sort
	if q.Desc {
		sort = "-" + sort
	}
	per := q.PerPage
	if per <= 0 {
		per = DefaultPageSize
	}
	order, args := OrderPage(q.Sorts, sort, q.Default, q.Tail, per, max(0, q.Page-1)*per, slices.Clip(q.Args))
	rows, err := r.QueryContext(ctx, `SELECT `+q.Select+q.From+order, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot read %s: %w", what, err)
		}
		items = append(items, x)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("cannot list %s: %w", what, err)
	}
	return items, total, nil
}
