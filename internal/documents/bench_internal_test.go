package documents

import (
	"context"
	"database/sql"
)

// The benchmarks (package documents_test) fill a register of 3,000
// documents with plain SQL in one transaction, which the service's own calls
// would take minutes to do; these hooks give them the search index and the
// sort keys exactly as the service makes them.

// IndexForBench refreshes the search index of a document, as every service
// call that changes its text does.
func (s *Service) IndexForBench(ctx context.Context, tx *sql.Tx, tenant, id int64) error {
	return s.index(ctx, tx, tenant, id)
}

// SortCodeForBench is the sort key of a code.
func SortCodeForBench(code string) string { return sortCode(code) }

// SearchKeyForBench is the folded code and title the master list's filter matches.
func SearchKeyForBench(code, title string) string { return searchKey(code, title) }
