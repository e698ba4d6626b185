package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
)

// FullText is the one place where the engines' full-text search differs. A
// table of that name holds, per record, a folded title and body to match
// and the raw text for snippets: an FTS5 table (rowid, title, body, raw) on
// SQLite, a table (id, tenant_id, raw, tsv) with a GIN index on PostgreSQL.
// Callers fold diacritics before they store or search, so both engines
// match alike.
type FullText struct {
	Engine Engine
	Table  string
}

// Put replaces the indexed text of record id.
func (f FullText) Put(ctx context.Context, tx *sql.Tx, tenant, id int64, title, body, raw string) error {
	var err error
	if f.Engine == Postgres {
		_, err = tx.ExecContext(ctx, `INSERT INTO `+f.Table+` (id, tenant_id, raw, tsv)
			VALUES ($1, $2, $3, setweight(to_tsvector('simple', $4), 'A') || setweight(to_tsvector('simple', $5), 'B'))
			ON CONFLICT (id) DO UPDATE SET raw = excluded.raw, tsv = excluded.tsv`, id, tenant, raw, title, body)
	} else {
		if _, err = tx.ExecContext(ctx, `DELETE FROM `+f.Table+` WHERE rowid = $1`, id); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO `+f.Table+` (rowid, title, body, raw) VALUES ($1, $2, $3, $4)`, id, title, body, raw)
		}
	}
	if err != nil {
		return fmt.Errorf("cannot index text: %w", err)
	}
	return nil
}

// Terms splits a folded query into the words it searches for: letters and
// digits only, so nothing in them is query syntax.
func Terms(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Hits returns a common table expression named hits (id, rank) of the
// records whose every term (as a word prefix) occurs, rank ascending from
// the best, with its argument numbered $next. It is materialised so the
// engine reads the index once, rather than once per joined row.
func (f FullText) Hits(terms []string, next int) (cte string, arg any) {
	if f.Engine == Postgres {
		p := fmt.Sprintf("to_tsquery('simple', $%d)", next)
		return `WITH hits AS MATERIALIZED (SELECT id, -ts_rank(tsv, ` + p + `) AS rank FROM ` + f.Table + ` WHERE tsv @@ ` + p + `) `, f.query(terms)
	}
	return fmt.Sprintf(`WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(%[1]s, 5.0, 1.0) AS rank FROM %[1]s WHERE %[1]s MATCH $%[2]d) `, f.Table, next), f.query(terms)
}

// query writes terms as the engine's query: every term, as a word prefix.
func (f FullText) query(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		if f.Engine == Postgres {
			q[i] = t + ":*"
		} else {
			q[i] = `"` + t + `"*`
		}
	}
	if f.Engine == Postgres {
		return strings.Join(q, " & ")
	}
	return strings.Join(q, " ")
}

// Matches is a condition on idColumn for the records whose every term
// occurs, without ranking: what a count needs. Its argument is $next.
func (f FullText) Matches(idColumn string, terms []string, next int) (cond string, arg any) {
	arg = f.query(terms)
	if f.Engine == Postgres {
		return fmt.Sprintf(`%s IN (SELECT id FROM %s WHERE tsv @@ to_tsquery('simple', $%d))`, idColumn, f.Table, next), arg
	}
	return fmt.Sprintf(`%s IN (SELECT rowid FROM %s WHERE %s MATCH $%d)`, idColumn, f.Table, f.Table, next), arg
}

// Few reports whether the terms match fewer than limit records (of every
// institution: the index is shared). A caller can then let the engine start
// from the matches rather than from its other conditions.
func (f FullText) Few(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, terms []string, limit int) (bool, error) {
	inner := fmt.Sprintf(`SELECT rowid FROM %[1]s WHERE %[1]s MATCH $1`, f.Table)
	if f.Engine == Postgres {
		inner = fmt.Sprintf(`SELECT id FROM %s WHERE tsv @@ to_tsquery('simple', $1)`, f.Table)
	}
	var n int
	err := q.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (%s LIMIT %d) k`, inner, limit), f.query(terms)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("cannot count text matches: %w", err)
	}
	return n < limit, nil
}

// Raw returns the raw text of the records ids, by id.
func (f FullText) Raw(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	col := "rowid"
	if f.Engine == Postgres {
		col = "id"
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = fmt.Sprint(id)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+col+`, raw FROM `+f.Table+` WHERE `+col+` IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return nil, fmt.Errorf("cannot read indexed text: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, fmt.Errorf("cannot read indexed text: %w", err)
		}
		out[id] = raw
	}
	return out, rows.Err()
}
