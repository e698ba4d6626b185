package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/compliance"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

type complianceGroup struct {
	Chapter *frameworks.ChapterInfo
	Rows    []compliance.Row
}

type complianceMatrixData struct {
	M        compliance.Matrix
	Filter   compliance.Filter
	Groups   []complianceGroup
	Chapters []frameworks.ChapterInfo
	Statuses []string
	Sorts    []sortLink
	Pager    pager
	CanEdit  bool
}

var complianceSortLabels = map[string]string{"clause": "compliance.col.clause", "status": "compliance.col.status", "evidence": "compliance.col.evidence",
	"audited": "compliance.col.last_audit", "ncs": "compliance.col.open_ncs", "gaps": "compliance.col.gaps"}

func complianceFilter(r *http.Request) compliance.Filter {
	q := r.URL.Query()
	return compliance.Filter{Chapter: q.Get("chapter"), Status: q.Get("status"), GapsOnly: q.Get("gaps") == "1", Query: q.Get("q"), Sort: q.Get("sort")}
}

// complianceMatrix is the module's entry page: every clause with its
// status, evidence by kind, last internal audit, open cases and gaps.
func (s *Server) complianceMatrix(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := complianceFilter(r)
	pg := newPager(r, 60)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	m, err := s.compliance.Matrix(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = m.Total
	d := &complianceMatrixData{M: m, Filter: f, Chapters: frameworks.ISO9001Chapters, Statuses: compliance.Statuses, Pager: pg, CanEdit: a.Can(auth.PermComplianceEdit)}
	if f.Sort == "" || f.Sort == "clause" {
		for _, row := range m.Rows {
			if n := len(d.Groups); n == 0 || d.Groups[n-1].Chapter.Code != row.Clause.Chapter() {
				ch, _ := frameworks.ISOChapter(row.Clause.Chapter())
				d.Groups = append(d.Groups, complianceGroup{Chapter: &ch})
			}
			d.Groups[len(d.Groups)-1].Rows = append(d.Groups[len(d.Groups)-1].Rows, row)
		}
	} else if len(m.Rows) > 0 {
		d.Groups = []complianceGroup{{Rows: m.Rows}}
	}
	p := s.page(r, "compliance.title", d)
	d.Sorts = sortLinks(p, f.Sort, complianceSortLabels, compliance.MatrixSorts())
	return s.render(w, http.StatusOK, "compliance_matrix", p)
}

// complianceGapText names a clause's gaps, joined.
func complianceGapText(l *i18n.Localizer, gaps []string) string {
	var out []string
	for _, g := range gaps {
		out = append(out, l.T("compliance.gap_short."+g))
	}
	return strings.Join(out, "; ")
}

func complianceLastAudit(l *i18n.Localizer, it *evidence.Item) (string, string) {
	if it == nil {
		return "", ""
	}
	if it.Result == "" {
		return l.Date(it.Date), ""
	}
	return l.Date(it.Date), l.T("compliance.result." + it.Result)
}

// complianceRows is the filtered matrix as export rows.
func (s *Server) complianceRows(r *http.Request) (compliance.Matrix, error) {
	f := complianceFilter(r)
	f.Limit = 1000
	return s.compliance.Matrix(r.Context(), actorOf(r), f)
}

// complianceExport sends the matrix, filtered, as XLSX.
func (s *Server) complianceExport(w http.ResponseWriter, r *http.Request) error {
	m, err := s.complianceRows(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("compliance.export_sheet"), Headers: []string{l.T("compliance.col.clause"), l.T("compliance.col.title"), l.T("compliance.col.status"),
		l.T("compliance.justification"), l.T("compliance.owner"), l.T("compliance.kind.document"), l.T("compliance.kind.pending"), l.T("compliance.kind.register"),
		l.T("compliance.kind.audit"), l.T("compliance.col.last_audit"), l.T("compliance.col.last_result"), l.T("compliance.kind.review"), l.T("compliance.kind.indicator"),
		l.T("compliance.kind.external"), l.T("compliance.kind.manual"), l.T("compliance.col.open_ncs"), l.T("compliance.col.gaps")}}
	for _, row := range m.Rows {
		c := row.Counts
		date, result := complianceLastAudit(l, row.LastAudit)
		t.Rows = append(t.Rows, []any{row.Clause.Code, row.Clause.Title(l.Lang()), l.T("compliance.status." + row.Status.Status), row.Status.Justification, row.Status.OwnerName,
			c.Documents, c.Pending, c.Registers, c.Audits, date, result, c.Reviews, c.Indicators, c.External, c.Manual, row.Evidence.OpenNCs, complianceGapText(l, row.Gaps)})
	}
	return sendTables(w, r, l.T("compliance.export_file"), t)
}

// complianceExportPDF prints the matrix, filtered, with the policy, the
// scope and the readiness figure in the subtitle.
func (s *Server) complianceExportPDF(w http.ResponseWriter, r *http.Request) error {
	m, err := s.complianceRows(r)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	sub := inst.Name + " · " + l.Date(s.clock.Now()) + " · " + l.T("compliance.readiness_figure", "Percent", m.Percent(), "Ready", m.Ready, "Applicable", m.Applicable)
	t := report.PDFTable{Title: l.T("compliance.title"), Subtitle: sub, Footer: "Cadran · ISO 9001:2015", PageLabel: l.T("print.page"), OfLabel: l.T("print.of"),
		Columns: []string{l.T("compliance.col.clause"), l.T("compliance.col.title"), l.T("compliance.col.status"), l.T("compliance.col.evidence"),
			l.T("compliance.col.last_audit"), l.T("compliance.col.open_ncs"), l.T("compliance.col.gaps")},
		Widths: []float64{0.7, 3.2, 1.4, 2.6, 1.6, 0.8, 2.4}}
	for _, row := range m.Rows {
		c := row.Counts
		ev := l.T("compliance.evidence_line", "Documents", c.Documents, "Registers", c.Registers, "Audits", c.Audits, "Reviews", c.Reviews, "Manual", c.Manual+c.Indicators)
		date, result := complianceLastAudit(l, row.LastAudit)
		status := l.T("compliance.status." + row.Status.Status)
		if row.Status.Justification != "" {
			status += " — " + row.Status.Justification
		}
		t.Rows = append(t.Rows, []string{row.Clause.Code, row.Clause.Title(l.Lang()), status, ev, strings.TrimSpace(date + " " + result),
			strconv.Itoa(row.Evidence.OpenNCs), complianceGapText(l, row.Gaps)})
	}
	return sendFile(w, l.T("compliance.export_file"), "pdf", func(w io.Writer) error { return report.WriteTablePDF(w, t) })
}
