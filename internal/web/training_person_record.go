package web

// A person's training record as files: the workbook and the PDF an HR
// officer or an auditor asks for as evidence of competence (ISO 9001 7.2).
// Both hold the same parts as the page: identity and totals, the
// enrolments, the certificates, the competences required and held, and
// the induction plan.

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/textutil"
	"cadran/internal/training"
	"cadran/internal/work"
)

// trpRecord is what both files are made of.
type trpRecord struct {
	Rec         training.PersonRecord
	Institution string
	Today       time.Time
	RenewalDays int
}

// trainingPersonRecordRead reads the record for a file.
func (s *Server) trainingPersonRecordRead(r *http.Request) (trpRecord, error) {
	id, err := pathID(r)
	if err != nil {
		return trpRecord{}, err
	}
	ctx := r.Context()
	a := actorOf(r)
	rec, err := s.training.PersonRecord(ctx, a, id)
	if err != nil {
		return trpRecord{}, err
	}
	st, err := s.training.Settings(ctx, a)
	if err != nil {
		return trpRecord{}, err
	}
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return trpRecord{}, err
	}
	return trpRecord{Rec: rec, Institution: inst.Name, Today: work.Day(s.clock.Now()), RenewalDays: st.RenewalDays}, nil
}

// trpDay is a stored day in the language's format, "" when there is none.
func trpDay(l *i18n.Localizer, s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return l.Date(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC))
}

// trpLevel names a level, "" for none.
func trpLevel(l *i18n.Localizer, n int) string {
	if n == 0 {
		return ""
	}
	return l.T(fmt.Sprintf("training.level.%d", n))
}

// trpFileName is a file's name: the text folded to ASCII letters, digits
// and dashes.
func trpFileName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range textutil.Fold(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// trpCertStateText is a certificate's state in words.
func trpCertStateText(l *i18n.Localizer, c training.Certificate, day time.Time, days int) string {
	return l.T("training.people.cert." + trpCertState(c, day, days))
}

// trpTable is a part of the record as a table.
type trpTable struct {
	Title   string
	Headers []string
	Widths  []float64
	Rows    [][]string
}

func (d trpRecord) identity(l *i18n.Localizer) [][2]string {
	p := d.Rec.Person
	or := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	return [][2]string{
		{l.T("training.people.person"), p.FullName},
		{l.T("training.people.job"), or(p.JobTitle)},
		{l.T("training.people.unit"), or(p.UnitName)},
		{l.T("training.people.hours"), trpHours(l, d.Rec.Hours)},
		{l.T("training.people.completed"), fmt.Sprint(d.Rec.Completed)},
		{l.T("training.people.certificates_valid"), fmt.Sprint(d.validCertificates())},
		{l.T("training.people.gaps_label"), fmt.Sprint(d.Rec.Row.Gaps)},
	}
}

// validCertificates counts the certificates in force today.
func (d trpRecord) validCertificates() int {
	n := 0
	for _, c := range d.Rec.Certificates {
		if !c.Revoked && !c.Expired(d.Today) {
			n++
		}
	}
	return n
}

// tables are the record's parts after the identity.
func (d trpRecord) tables(l *i18n.Localizer) []trpTable {
	r := d.Rec
	enrol := trpTable{Title: l.T("training.people.enrolments"), Widths: []float64{1.2, 3, 1.3, 2, 1.4, 0.9, 0.8},
		Headers: []string{l.T("training.people.programme_code"), l.T("training.people.programme"), l.T("training.people.session"), l.T("training.people.dates"),
			l.T("training.people.state"), l.T("training.people.hours_attended"), l.T("training.people.score")}}
	for _, x := range r.Lines {
		dates := trpDay(l, x.StartOn)
		if x.EndOn != x.StartOn {
			dates += " – " + trpDay(l, x.EndOn)
		}
		score := ""
		if x.Score != nil {
			score = fmt.Sprint(*x.Score)
		}
		state := l.T("training.enrol." + x.State)
		if x.CompletedOn != "" {
			state += " (" + trpDay(l, x.CompletedOn) + ")"
		}
		enrol.Rows = append(enrol.Rows, []string{x.ProgrammeCode, x.ProgrammeTitle, x.SessionCode, dates, state, trpHours(l, x.Hours), score})
	}
	certs := trpTable{Title: l.T("training.people.certificates"), Widths: []float64{3, 1.4, 2, 1.2, 1.2, 1.2},
		Headers: []string{l.T("training.people.cert_name"), l.T("training.people.cert_number"), l.T("training.people.cert_issuer"), l.T("training.people.cert_issued"),
			l.T("training.people.cert_expires"), l.T("training.people.cert_state")}}
	for _, c := range r.Certificates {
		exp := l.T("training.people.no_expiry")
		if c.ExpiresOn != "" {
			exp = trpDay(l, c.ExpiresOn)
		}
		certs.Rows = append(certs.Rows, []string{c.Name, c.Number, c.Issuer, trpDay(l, c.IssuedOn), exp, trpCertStateText(l, c, d.Today, d.RenewalDays)})
	}
	matrix := trpTable{Title: l.T("training.people.matrix"), Widths: []float64{3, 1.3, 1.3, 1.2, 1.2},
		Headers: []string{l.T("training.people.competence"), l.T("training.people.required"), l.T("training.people.held"), l.T("training.people.held_expires"), l.T("training.people.cell_state")}}
	for i, c := range r.Row.Cells {
		if i >= len(r.Competences) || (c.Required == 0 && c.Held == 0 && c.State == training.CellNone) {
			continue
		}
		state := ""
		if c.State != training.CellNone {
			state = l.T("training.cell." + c.State)
		}
		matrix.Rows = append(matrix.Rows, []string{r.Competences[i].Code + " · " + r.Competences[i].Name, trpLevel(l, c.Required), trpLevel(l, c.Held), trpDay(l, c.ExpiresOn), state})
	}
	held := trpTable{Title: l.T("training.people.held_title"), Widths: []float64{3, 1.2, 1.4, 1.1, 1.1, 2},
		Headers: []string{l.T("training.people.competence"), l.T("training.people.level"), l.T("training.people.source"), l.T("training.people.acquired"),
			l.T("training.people.held_expires"), l.T("training.people.notes")}}
	for _, h := range r.Held {
		held.Rows = append(held.Rows, []string{h.CompetenceCode + " · " + h.CompetenceName, trpLevel(l, h.Level), l.T("training.held." + h.Source), trpDay(l, h.AcquiredOn),
			trpDay(l, h.ExpiresOn), h.Notes})
	}
	plan := trpTable{Title: l.T("training.people.induction"), Widths: []float64{1.6, 3.4, 1.2, 1.2},
		Headers: []string{l.T("training.plans.kind"), l.T("training.plans.item"), l.T("training.plans.item_due"), l.T("training.plans.done_on")}}
	if in := r.Induction; in != nil {
		for _, it := range in.Items {
			plan.Rows = append(plan.Rows, []string{l.T("training.item." + it.Kind), it.Title, trpDay(l, it.DueOn), trpDay(l, it.DoneOn)})
		}
	}
	groups := trpTable{Title: l.T("training.people.groups"), Widths: []float64{1.3, 3, 2.5},
		Headers: []string{l.T("training.people.group_code"), l.T("training.people.group_name"), l.T("training.people.group_project")}}
	for _, g := range r.Groups {
		groups.Rows = append(groups.Rows, []string{g.Code, g.Name, g.Project})
	}
	return []trpTable{enrol, certs, matrix, held, plan, groups}
}

// inductionSummary is the plan in a line: state, dates and progress.
func (d trpRecord) inductionSummary(l *i18n.Localizer) string {
	in := d.Rec.Induction
	if in == nil {
		return l.T("training.people.no_induction")
	}
	s := l.T("training.people.induction_line", "State", l.T("training.induction."+in.State), "Start", trpDay(l, in.StartOn), "Due", trpDay(l, in.DueOn),
		"Done", in.Done, "Total", in.Total)
	if due := trpDue(l, *in, d.Today); due != "" && in.Overdue(d.Today) {
		s += " · " + due
	}
	return s
}

// trainingPersonXLSX is the record as a workbook: a sheet per part.
func (s *Server) trainingPersonXLSX(w http.ResponseWriter, r *http.Request) error {
	d, err := s.trainingPersonRecordRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	first := report.Table{Sheet: l.T("training.people.sheet_person"), Headers: []string{l.T("training.people.field"), l.T("training.people.value")}}
	first.Rows = append(first.Rows, []any{l.T("training.people.institution"), d.Institution})
	for _, f := range d.identity(l) {
		first.Rows = append(first.Rows, []any{f[0], f[1]})
	}
	first.Rows = append(first.Rows, []any{l.T("training.people.induction"), d.inductionSummary(l)}, []any{l.T("training.people.printed_on"), l.Date(s.clock.Now())})
	sheets := []report.Table{first}
	for _, t := range d.tables(l) {
		x := report.Table{Sheet: t.Title, Headers: t.Headers}
		for _, row := range t.Rows {
			cells := make([]any, len(row))
			for i, c := range row {
				cells[i] = c
			}
			x.Rows = append(x.Rows, cells)
		}
		sheets = append(sheets, x)
	}
	return sendTables(w, r, trpFileName(l.T("training.people.file")+" "+d.Rec.Person.FullName), sheets...)
}

// trainingPersonPDF is the record to print or file.
func (s *Server) trainingPersonPDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.trainingPersonRecordRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	title := l.T("training.people.pdf_title")
	rep := report.CaseReport{Institution: d.Institution, Title: title, Subtitle: d.Rec.Person.FullName + " · " + l.T("training.people.printed_on") + " " + l.Date(s.clock.Now()),
		Footer: "Cadran · " + title + " · " + d.Rec.Person.FullName, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: l.T("training.people.identity"), Fields: d.identity(l)})
	for _, t := range d.tables(l) {
		sec := report.ReportSection{Heading: t.Title}
		if t.Title == l.T("training.people.induction") {
			sec.Text = d.inductionSummary(l)
		}
		if len(t.Rows) > 0 {
			sec.Table = &report.ReportTable{Columns: t.Headers, Widths: t.Widths, Rows: t.Rows}
		} else if sec.Text == "" {
			sec.Text = l.T("training.people.none")
		}
		rep.Sections = append(rep.Sections, sec)
	}
	return sendFile(w, trpFileName(l.T("training.people.file")+" "+d.Rec.Person.FullName), "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, rep) })
}
