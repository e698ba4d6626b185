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

// Match returns what a query over the table needs to find records whose
// every term (as a word prefix) occurs: a JOIN of the table as "f" on
// idColumn, a WHERE condition, a rank expression that orders best first in
// ascending order, and the argument, numbered $next.
func (f FullText) Match(idColumn string, terms []string, next int) (join, where, rank string, arg any) {
	if f.Engine == Postgres {
		q := make([]string, len(terms))
		for i, t := range terms {
			q[i] = t + ":*"
		}
		p := fmt.Sprintf("to_tsquery('simple', $%d)", next)
		return ` JOIN ` + f.Table + ` f ON f.id = ` + idColumn, `f.tsv @@ ` + p, `-ts_rank(f.tsv, ` + p + `)`, strings.Join(q, " & ")
	}
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = `"` + t + `"*`
	}
	return ` JOIN ` + f.Table + ` f ON f.rowid = ` + idColumn, fmt.Sprintf(`f.%s MATCH $%d`, f.Table, next), `bm25(f.` + f.Table + `, 5.0, 1.0)`, strings.Join(q, " ")
}
