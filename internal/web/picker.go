package web

// Searchable pickers: a form links one document or KPI among thousands
// through a short search (a GET that reloads the form with what was typed
// and a few matches as radio buttons, no JavaScript needed) or through the
// record's exact code typed, never through a select listing every record.

import (
	"context"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/scorecard"
	"cadran/internal/textutil"
)

// pickerLimit is how many matches a picker offers.
const pickerLimit = 12

// pickOption is a record a picker offers.
type pickOption struct {
	ID          int64
	Code, Title string
}

// picker is a search field of a form and what its search found.
type picker struct {
	// Query is the words or the code typed; Searched: a search ran
	// (Options may then be empty), More: more records matched than shown.
	Query    string
	Searched bool
	More     bool
	Options  []pickOption
	// Chosen is the record picked, offered first when the search did not
	// find it again (a refused form keeps the choice).
	Chosen int64
}

// pickDocuments finds the documents matching q (code or title,
// diacritics ignored; every word when the whole phrase matches nothing)
// that a may read, in state if given, without the document exclude.
func (s *Server) pickDocuments(ctx context.Context, a auth.Actor, q, state string, exclude int64) (picker, error) {
	p := picker{Query: strings.TrimSpace(q), Searched: true}
	if p.Query == "" || !a.Can(auth.PermDocsView) {
		p.Searched = p.Query != ""
		return p, nil
	}
	docs, total, err := s.docs.List(ctx, a, documents.Filter{Query: p.Query, State: state, Sort: "code", Limit: pickerLimit + 1})
	if err != nil {
		return p, err
	}
	if total == 0 && len(strings.Fields(p.Query)) > 1 {
		// Words in any order, through the full-text index.
		hits, n, err := s.docs.Search(ctx, a, p.Query, 50, 0)
		if err != nil {
			return p, err
		}
		total = n
		for _, h := range hits {
			if state == "" || h.Document.State == state {
				docs = append(docs, h.Document)
			}
		}
	}
	for _, d := range docs {
		if d.ID == exclude {
			total--
			continue
		}
		if len(p.Options) == pickerLimit {
			break
		}
		p.Options = append(p.Options, pickOption{ID: d.ID, Code: d.Code, Title: d.Title})
	}
	p.More = total > len(p.Options)
	return p, nil
}

// documentByCode finds the document a may read whose code is code
// (letter case ignored), in state if given; ok is false when none is.
func (s *Server) documentByCode(ctx context.Context, a auth.Actor, code, state string) (documents.Document, bool, error) {
	code = strings.TrimSpace(code)
	if code == "" || !a.Can(auth.PermDocsView) {
		return documents.Document{}, false, nil
	}
	docs, _, err := s.docs.List(ctx, a, documents.Filter{Query: code, State: state, Sort: "code", Limit: 50})
	if err != nil {
		return documents.Document{}, false, err
	}
	for _, d := range docs {
		if strings.EqualFold(d.Code, code) || textutil.Fold(d.Code) == textutil.Fold(code) {
			return d, true, nil
		}
	}
	return documents.Document{}, false, nil
}

// pickKPIs finds the KPIs matching q (code or name) that a may read.
func (s *Server) pickKPIs(ctx context.Context, a auth.Actor, q string) (picker, error) {
	p := picker{Query: strings.TrimSpace(q), Searched: true}
	if p.Query == "" || !a.Can(auth.PermScorecardView) {
		p.Searched = p.Query != ""
		return p, nil
	}
	page, err := s.scorecard.KPIs(ctx, a, scorecard.KPIFilter{Query: p.Query, Sort: "code", PerPage: pickerLimit})
	if err != nil {
		return p, err
	}
	for _, k := range page.Items {
		p.Options = append(p.Options, pickOption{ID: k.ID, Code: k.Code, Title: k.Name})
	}
	p.More = page.Total > len(p.Options)
	return p, nil
}

// kpiByCode finds the KPI a may read whose code is code; ok is false when
// none is.
func (s *Server) kpiByCode(ctx context.Context, a auth.Actor, code string) (scorecard.KPI, bool, error) {
	code = strings.TrimSpace(code)
	if code == "" || !a.Can(auth.PermScorecardView) {
		return scorecard.KPI{}, false, nil
	}
	k, err := s.scorecard.KPIByCode(ctx, a, code)
	if err == nil {
		return k, true, nil
	}
	if apperr.KindOf(err) == apperr.KindNotFound {
		return scorecard.KPI{}, false, nil
	}
	return scorecard.KPI{}, false, err
}

// keepChosen puts the chosen record first among the options when the
// search did not find it; option reads it (false: a may not see it).
func (p *picker) keepChosen(id int64, option func(int64) (pickOption, bool)) {
	p.Chosen = id
	if id <= 0 {
		return
	}
	for _, o := range p.Options {
		if o.ID == id {
			return
		}
	}
	if o, ok := option(id); ok {
		p.Options = append([]pickOption{o}, p.Options...)
	}
}

// documentOption reads a document a may see as a picker option.
func (s *Server) documentOption(ctx context.Context, a auth.Actor) func(int64) (pickOption, bool) {
	return func(id int64) (pickOption, bool) {
		d, err := s.docs.Document(ctx, a, id)
		if err != nil {
			return pickOption{}, false
		}
		return pickOption{ID: d.ID, Code: d.Code, Title: d.Title}, true
	}
}

// kpiOption reads a KPI a may see as a picker option.
func (s *Server) kpiOption(ctx context.Context, a auth.Actor) func(int64) (pickOption, bool) {
	return func(id int64) (pickOption, bool) {
		if !a.Can(auth.PermScorecardView) {
			return pickOption{}, false
		}
		k, err := s.scorecard.KPI(ctx, a, id)
		if err != nil {
			return pickOption{}, false
		}
		return pickOption{ID: k.ID, Code: k.Code, Title: k.Name}, true
	}
}
