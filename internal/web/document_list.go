package web

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

type documentListData struct {
	Documents []documents.Document
	Filter    documents.Filter
	Counts    documents.Counts
	Today     time.Time
	Kinds     []string
	States    []string
	Units     []*org.TreeNode
	Sorts     []sortLink
	Pager     pager
	CanCreate bool
	Saved     savedFilterBlock
}

var documentSortLabels = map[string]string{"code": "document.code", "title": "document.title", "kind": "document.kind", "unit": "document.unit",
	"state": "document.state", "effective": "document.effective_on", "review": "document.next_review_on", "updated": "common.updated_at"}

func documentFilter(r *http.Request) documents.Filter {
	q := r.URL.Query()
	return documents.Filter{Query: q.Get("q"), Kind: q.Get("kind"), UnitID: queryInt(r, "unit"), State: q.Get("state"), Review: q.Get("review"), Sort: q.Get("sort")}
}

// documentList is the master list of documents (lista documentelor).
func (s *Server) documentList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := documentFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	docs, total, err := s.docs.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	counts, err := s.docs.Summary(r.Context(), a)
	if err != nil {
		return err
	}
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return err
	}
	saved, err := s.savedFilters(r, "documents")
	if err != nil {
		return err
	}
	d := &documentListData{Documents: docs, Filter: f, Counts: counts, Today: work.Day(s.clock.Now()), Kinds: documents.Kinds, States: documents.States,
		Units: units, Pager: pg, CanCreate: a.Can(auth.PermDocsEdit), Saved: saved}
	p := s.page(r, "document.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, documentSortLabels, []string{"code", "title", "kind", "unit", "state", "effective", "review"})
	return s.render(w, http.StatusOK, "document_list", p)
}

type documentSearchData struct {
	Query string
	Hits  []documents.Hit
	Pager pager
}

// documentSearch searches codes, titles and the text of documents.
func (s *Server) documentSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	pg := newPager(r, 20)
	hits, total, err := s.docs.Search(r.Context(), actorOf(r), q, pg.PerPage, pg.Offset())
	if err != nil {
		return err
	}
	pg.Total = total
	return s.render(w, http.StatusOK, "document_search", s.page(r, "document.search_title", &documentSearchData{Query: q, Hits: hits, Pager: pg}))
}

// documentRows is the master list as exported: every filtered document.
func (s *Server) documentRows(r *http.Request) ([]string, [][]string, error) {
	a := actorOf(r)
	f := documentFilter(r)
	f.Limit = 10000
	docs, _, err := s.docs.List(r.Context(), a, f)
	if err != nil {
		return nil, nil, err
	}
	l := localizer(r)
	headers := []string{l.T("document.code"), l.T("document.title"), l.T("document.kind"), l.T("document.unit"), l.T("document.edition"),
		l.T("document.revision"), l.T("document.state"), l.T("document.effective_on"), l.T("document.next_review_on")}
	rows := make([][]string, 0, len(docs))
	for _, d := range docs {
		rows = append(rows, []string{d.Code, d.Title, l.T("document.kind." + d.Kind), d.UnitName, d.EditionLabel(), fmt.Sprint(d.Revision),
			l.T("document.state." + d.State), civilDay(l.Date, d.EffectiveOn), civilDay(l.Date, d.NextReviewOn)})
	}
	return headers, rows, nil
}

// civilDay formats a YYYY-MM-DD day with the locale's date format.
func civilDay(format func(time.Time) string, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return format(t)
}

// documentExport sends the master list as XLSX.
func (s *Server) documentExport(w http.ResponseWriter, r *http.Request) error {
	headers, rows, err := s.documentRows(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("document.list_title"), Headers: headers}
	for _, row := range rows {
		cells := make([]any, len(row))
		for i, c := range row {
			cells[i] = c
		}
		t.Rows = append(t.Rows, cells)
	}
	return sendTables(w, r, l.T("document.export_file"), t)
}

// documentExportPDF prints the master list.
func (s *Server) documentExportPDF(w http.ResponseWriter, r *http.Request) error {
	headers, rows, err := s.documentRows(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.PDFTable{Title: l.T("document.list_title"), Subtitle: inst.Name + " · " + l.Date(s.clock.Now()), Columns: headers,
		Widths: []float64{1.3, 4, 1.6, 2.2, 0.7, 0.7, 1.2, 1.1, 1.1}, Rows: rows, Footer: "Cadran", PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	return sendFile(w, l.T("document.export_file"), "pdf", func(w io.Writer) error { return report.WriteTablePDF(w, t) })
}
