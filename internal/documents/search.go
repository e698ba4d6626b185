package documents

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

func (s *Service) fullText() db.FullText {
	return db.FullText{Engine: s.DB.Engine, Table: "documents_fts"}
}

// index refreshes the searchable text of a document: its code and title, and
// the text of its version in force and of the newest version (sections and
// uploaded files).
func (s *Service) index(ctx context.Context, tx *sql.Tx, tenant, docID int64) error {
	d, err := getDocument(ctx, tx, tenant, docID)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, id := range []int64{d.CurrentID, d.LatestID} {
		if id == 0 || (id == d.LatestID && id == d.CurrentID && b.Len() > 0) {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT body FROM document_sections WHERE version_id = $1
			ORDER BY CASE key WHEN 'purpose' THEN 1 WHEN 'scope' THEN 2 WHEN 'references' THEN 3 WHEN 'definitions' THEN 4
				WHEN 'description' THEN 5 WHEN 'responsibilities' THEN 6 WHEN 'annexes' THEN 7 ELSE 8 END`, id)
		if err != nil {
			return fmt.Errorf("cannot index document: %w", err)
		}
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return fmt.Errorf("cannot index document: %w", err)
			}
			if t != "" {
				b.WriteString(t)
				b.WriteString("\n")
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("cannot index document: %w", err)
		}
		frows, err := tx.QueryContext(ctx, `SELECT text FROM document_files WHERE version_id = $1 ORDER BY role DESC, id`, id)
		if err != nil {
			return fmt.Errorf("cannot index document: %w", err)
		}
		for frows.Next() {
			var t string
			if err := frows.Scan(&t); err != nil {
				frows.Close()
				return fmt.Errorf("cannot index document: %w", err)
			}
			if t != "" {
				b.WriteString(t)
				b.WriteString("\n")
			}
		}
		frows.Close()
	}
	raw := b.String()
	return s.fullText().Put(ctx, tx, tenant, docID, textutil.Fold(d.Code+" "+d.Title), textutil.Fold(raw), raw)
}

// Hit is a search result: a document and a snippet of where it matched.
type Hit struct {
	Document Document
	Snippet  []Fragment
}

// Fragment is a piece of a snippet; Match marks a searched word.
type Fragment struct {
	Text  string
	Match bool
}

// Search finds documents whose code, title or text contains every word of
// query (as a word start), diacritics ignored, best first, with a snippet.
func (s *Service) Search(ctx context.Context, a auth.Actor, query string, limit, offset int) ([]Hit, int, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return nil, 0, err
	}
	terms := db.Terms(textutil.Fold(query))
	if len(terms) == 0 {
		return nil, 0, nil
	}
	if len(terms) > 12 {
		terms = terms[:12]
	}
	ft := s.fullText()
	hits, arg := ft.Hits(terms, 2)
	from := ` FROM hits JOIN documents d ON d.id = hits.id`
	where := ` WHERE d.tenant_id = $1` + visible(a)
	args := []any{a.Tenant, arg}
	var total int
	// The count needs no ranking: a plain match is an order of magnitude cheaper.
	cond, _ := ft.Matches("d.id", terms, 2)
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents d`+where+` AND `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot search documents: %w", err)
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	args = append(args, limit, max(0, offset))
	rows, err := s.DB.R.QueryContext(ctx, hits+`SELECT `+docColumns+from+`
		LEFT JOIN units u ON u.id = d.unit_id
		LEFT JOIN people p ON p.id = d.owner_id
		LEFT JOIN document_versions c ON c.id = d.current_id
		LEFT JOIN document_versions l ON l.id = d.latest_id`+where+` ORDER BY hits.rank, d.sort_code LIMIT $3 OFFSET $4`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot search documents: %w", err)
	}
	defer rows.Close()
	var out []Hit
	var ids []int64
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot search documents: %w", err)
		}
		out = append(out, Hit{Document: d})
		ids = append(ids, d.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("cannot search documents: %w", err)
	}
	// The text for the snippets, only for the page shown.
	raw, err := ft.Raw(ctx, s.DB.R, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Snippet = Snippet(raw[out[i].Document.ID], terms, 240)
	}
	return out, total, rows.Err()
}

// visible limits a list to what the actor may see: documents that were in
// force at some time, unless they follow drafts.
func visible(a auth.Actor) string {
	if seesDrafts(a) || a.Can(auth.PermDocsEdit) {
		return ""
	}
	return ` AND d.current_id IS NOT NULL`
}

// Snippet cuts about width runes of text around the first place a term
// occurs, marking every term occurrence (as a word start, diacritics
// ignored). Without a match it returns the start of text.
func Snippet(text string, terms []string, width int) []Fragment {
	runes := []rune(text)
	// Fold lazily, each distinct letter once: folding the whole text up
	// front cost more than the search itself.
	memo := map[rune]string{}
	fold := func(j int) string {
		r := runes[j]
		if r < 0x80 {
			return strings.ToLower(string(r))
		}
		f, ok := memo[r]
		if !ok {
			f = textutil.Fold(string(r))
			memo[r] = f
		}
		return f
	}
	// matchAt reports the length in runes of a term starting at word start i.
	matchAt := func(i int) int {
		if i > 0 && isWord(runes[i-1]) {
			return 0
		}
		for _, t := range terms {
			j, k := i, 0
			for k < len(t) && j < len(runes) {
				f := fold(j)
				if !strings.HasPrefix(t[k:], f) || f == "" {
					break
				}
				k += len(f)
				j++
			}
			if k == len(t) {
				for j < len(runes) && isWord(runes[j]) {
					j++ // mark the whole word the prefix starts
				}
				return j - i
			}
		}
		return 0
	}
	// Centre on the longest word searched for: it says most about the hit.
	longest := slices.MaxFunc(terms, func(a, b string) int { return len(a) - len(b) })
	first := -1
	for _, only := range [][]string{{longest}, terms} {
		all := terms
		terms = only
		for i := range runes {
			if matchAt(i) > 0 {
				first = i
				break
			}
		}
		terms = all
		if first >= 0 {
			break
		}
	}
	start := 0
	if first > width/3 {
		start = first - width/3
		for start < first && isWord(runes[start]) {
			start++
		}
	}
	end := min(len(runes), start+width)
	var out []Fragment
	add := func(s string, m bool) {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" && !m {
			return
		}
		out = append(out, Fragment{Text: s, Match: m})
	}
	if start > 0 {
		add("…", false)
	}
	plain := start
	for i := start; i < end; {
		if n := matchAt(i); n > 0 {
			add(string(runes[plain:i]), false)
			add(string(runes[i:min(i+n, len(runes))]), true)
			i += n
			plain = i
			continue
		}
		i++
	}
	if plain < end {
		add(string(runes[plain:end]), false)
	}
	if end < len(runes) {
		add("…", false)
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
