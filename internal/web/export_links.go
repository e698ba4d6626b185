package web

import "strings"

// ExportLinkSet is what the export_links partial draws: the same list, with
// the page's filters and sort, as a workbook and as comma-separated values.
type ExportLinkSet struct {
	XLSX, CSV           string
	XLSXLabel, CSVLabel string
}

// ExportLinks gives the export links of a list whose export lives at
// base.xlsx and base.csv (base is e.g. "/risks/export"). Both carry the
// page's current query minus the page number, so a download holds every
// row the filters select, in the order shown. An optional list of
// key/value pairs changes the query further, as QueryWith does.
//
//	{{template "export_links" ($.ExportLinks "/risks/export")}}
func (p *Page) ExportLinks(base string, kv ...string) ExportLinkSet {
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".xlsx"), ".csv")
	q := p.QueryWith(append([]string{"page", ""}, kv...)...)
	return ExportLinkSet{
		XLSX:      base + ".xlsx" + q,
		CSV:       base + ".csv" + q,
		XLSXLabel: p.T("common.export_xlsx"),
		CSVLabel:  p.T("common.export_csv"),
	}
}

// ExportLinksAt is ExportLinks with a query of the list's own making (such
// as a period the page settled on) instead of the page's.
func (p *Page) ExportLinksAt(base, query string) ExportLinkSet {
	e := p.ExportLinks(base)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".xlsx"), ".csv")
	e.XLSX, e.CSV = base+".xlsx"+query, base+".csv"+query
	return e
}
