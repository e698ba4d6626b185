package web

// The legally required reports drawn from the registry: the half-yearly
// report on petitions (OG 27/2002, art. 13) and the yearly report on
// access to public information (Law 544/2001, art. 27), on the page, in
// PDF (laid out like the official forms, in the reader's language) and
// in XLSX.

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/work"
)

// citRepLine is a line of a legal report: a label and its figure.
type citRepLine struct {
	Label string
	Value any // int, float64 (days) or string
	// Sub marks a breakdown of the line above it.
	Sub bool
}

// citRepSection is a numbered part of a legal report.
type citRepSection struct {
	Heading string
	Lines   []citRepLine
}

// citRep is a legal report ready to print.
type citRep struct {
	Title, Period string
	From, To      time.Time
	Sections      []citRepSection
	File          string
}

// citRepValue prints a figure in the reader's language.
func citRepValue(l *i18n.Localizer, v any) string {
	switch x := v.(type) {
	case int:
		return l.Number(x)
	case float64:
		return l.Decimal(x, 1)
	case string:
		return x
	}
	return ""
}

// citRepCounts are the lines of a breakdown; label names a Count's key.
func citRepCounts(cs []citizen.Count, label func(string) string) []citRepLine {
	out := make([]citRepLine, 0, len(cs))
	for _, c := range cs {
		out = append(out, citRepLine{Label: label(c.Key), Value: c.Count, Sub: true})
	}
	return out
}

// citRepHalf reads and checks the half year of the petition report; the
// default is the last half year ended.
func citRepHalf(r *http.Request, today time.Time, yearParam string) (year, half int, err error) {
	year, half = today.Year(), 1
	if today.Month() <= time.June {
		year, half = today.Year()-1, 2
	}
	q := r.URL.Query()
	if v := q.Get(yearParam); v != "" {
		y, e := strconv.Atoi(v)
		if e != nil || y < 2000 || y > today.Year() {
			return 0, 0, apperr.Validation{"citizen_report_year": "citizen.pages.reports.invalid_year"}
		}
		year = y
	}
	if v := q.Get("half"); v != "" {
		h, e := strconv.Atoi(v)
		if e != nil || (h != 1 && h != 2) {
			return 0, 0, apperr.Validation{"citizen_report_half": "citizen.pages.reports.invalid_half"}
		}
		half = h
	}
	return year, half, nil
}

// citRepYear reads and checks the year of the information report; the
// default is the last year ended.
func citRepYear(r *http.Request, today time.Time, param string) (int, error) {
	v := r.URL.Query().Get(param)
	if v == "" {
		return today.Year() - 1, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > today.Year() {
		return 0, apperr.Validation{"citizen_report_info_year": "citizen.pages.reports.invalid_year"}
	}
	return y, nil
}

// citPetitionRep lays the petition report out.
func citPetitionRep(l *i18n.Localizer, inst string, today time.Time, p citizen.PetitionReport) citRep {
	from, to := p.From, p.To
	if from.IsZero() {
		from = time.Date(p.Year, time.Month(6*(p.Half-1)+1), 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(0, 6, -1)
	}
	rep := citRep{Title: l.T("citizen.pages.reports.petitions_title"), From: from, To: to,
		Period: l.T("citizen.pages.reports.half_period", "Half", l.T("citizen.pages.reports.half."+strconv.Itoa(p.Half)), "Year", p.Year, "From", l.Date(from), "To", l.Date(to)),
		File:   l.T("citizen.pages.reports.petitions_file") + "-" + strconv.Itoa(p.Year) + "-S" + strconv.Itoa(p.Half)}
	topic := func(k string) string { return citRepKey(l, "citizen.topic.", k) }
	channel := func(k string) string { return citRepKey(l, "citizen.channel.", k) }
	unit := func(k string) string {
		if k == "" {
			return l.T("citizen.pages.reports.unassigned")
		}
		return k
	}
	rep.Sections = []citRepSection{
		{Heading: "1. " + l.T("citizen.pages.reports.general"), Lines: []citRepLine{
			{Label: l.T("citizen.pages.reports.institution"), Value: inst},
			{Label: l.T("citizen.pages.reports.period"), Value: rep.Period},
			{Label: l.T("citizen.pages.reports.drawn_up"), Value: l.Date(today)},
			{Label: l.T("citizen.pages.reports.legal_basis"), Value: l.T("citizen.pages.reports.petitions_basis")},
		}},
		{Heading: "2. " + l.T("citizen.pages.reports.registered_petitions"), Lines: append([]citRepLine{
			{Label: l.T("citizen.pages.reports.total_registered"), Value: p.Registered}}, citRepCounts(p.ByChannel, channel)...)},
		{Heading: "3. " + l.T("citizen.pages.reports.by_topic"), Lines: citRepCounts(p.ByTopic, topic)},
		{Heading: "4. " + l.T("citizen.pages.reports.by_unit"), Lines: citRepCounts(p.ByUnit, unit)},
		{Heading: "5. " + l.T("citizen.pages.reports.solved"), Lines: []citRepLine{
			{Label: l.T("citizen.answer.favourable"), Value: p.Favourable},
			{Label: l.T("citizen.answer.partial"), Value: p.Partial},
			{Label: l.T("citizen.answer.unfavourable"), Value: p.Unfavourable},
			{Label: l.T("citizen.pages.reports.redirected"), Value: p.Redirected},
			{Label: l.T("citizen.pages.reports.filed"), Value: p.Filed},
			{Label: l.T("citizen.pages.reports.open"), Value: p.Open},
			{Label: l.T("citizen.pages.reports.extended"), Value: p.Extended},
		}},
		{Heading: "6. " + l.T("citizen.pages.reports.deadlines"), Lines: []citRepLine{
			{Label: l.T("citizen.pages.reports.on_time"), Value: p.OnTime},
			{Label: l.T("citizen.pages.reports.late"), Value: p.Late},
			{Label: l.T("citizen.pages.reports.avg_days"), Value: p.AvgDays},
		}},
	}
	return rep
}

// citInfoRep lays the report on public information out, in the order of
// the report form of Law 544/2001's methodological norms.
func citInfoRep(l *i18n.Localizer, inst string, today time.Time, p citizen.InfoReport) citRep {
	from := time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(p.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	rep := citRep{Title: l.T("citizen.pages.reports.info_title"), From: from, To: to, Period: l.T("citizen.pages.reports.year_period", "Year", p.Year),
		File: l.T("citizen.pages.reports.info_file") + "-" + strconv.Itoa(p.Year)}
	topic := func(k string) string { return citRepKey(l, "citizen.topic.", k) }
	rep.Sections = []citRepSection{
		{Heading: "1. " + l.T("citizen.pages.reports.general"), Lines: []citRepLine{
			{Label: l.T("citizen.pages.reports.institution"), Value: inst},
			{Label: l.T("citizen.pages.reports.period"), Value: rep.Period},
			{Label: l.T("citizen.pages.reports.drawn_up"), Value: l.Date(today)},
			{Label: l.T("citizen.pages.reports.legal_basis"), Value: l.T("citizen.pages.reports.info_basis")},
		}},
		{Heading: "2. " + l.T("citizen.pages.reports.registered_requests"), Lines: []citRepLine{
			{Label: l.T("citizen.pages.reports.total_registered"), Value: p.Registered},
			{Label: l.T("citizen.pages.reports.paper"), Value: p.Paper, Sub: true},
			{Label: l.T("citizen.pages.reports.electronic"), Value: p.Electronic, Sub: true},
		}},
		{Heading: "3. " + l.T("citizen.pages.reports.by_area"), Lines: citRepCounts(p.ByTopic, topic)},
		{Heading: "4. " + l.T("citizen.pages.reports.solved"), Lines: []citRepLine{
			{Label: l.T("citizen.answer.provided"), Value: p.Provided},
			{Label: l.T("citizen.answer.partial"), Value: p.Partial},
			{Label: l.T("citizen.answer.not_held"), Value: p.NotHeld},
			{Label: l.T("citizen.answer.refused"), Value: p.Refused},
			{Label: l.T("citizen.pages.reports.redirected"), Value: p.Redirected},
			{Label: l.T("citizen.pages.reports.open"), Value: p.Open},
			{Label: l.T("citizen.pages.reports.complex"), Value: p.Complex},
		}},
		{Heading: "5. " + l.T("citizen.pages.reports.deadlines"), Lines: []citRepLine{
			{Label: l.T("citizen.pages.reports.on_time"), Value: p.OnTime},
			{Label: l.T("citizen.pages.reports.late"), Value: p.Late},
			{Label: l.T("citizen.pages.reports.avg_days"), Value: p.AvgDays},
		}},
		{Heading: "6. " + l.T("citizen.pages.reports.complaints"), Lines: []citRepLine{
			{Label: l.T("citizen.pages.reports.complaints_total"), Value: p.Complaints},
			{Label: l.T("citizen.complaint.upheld"), Value: p.ComplaintsUpheld, Sub: true},
			{Label: l.T("citizen.complaint.rejected"), Value: p.ComplaintsRejected, Sub: true},
			{Label: l.T("citizen.complaint.pending"), Value: p.ComplaintsPending, Sub: true},
		}},
	}
	return rep
}

// citRepKey translates a code of the registry, or shows it as it is when
// the catalogue does not know it.
func citRepKey(l *i18n.Localizer, prefix, k string) string {
	if l.Has(prefix + k) {
		return l.T(prefix + k)
	}
	return k
}

// citRepPDF lays a report out as a case report: the general data as
// fields, every other part as a table of figures, and the sign-off.
func citRepPDF(l *i18n.Localizer, inst string, rep citRep) report.CaseReport {
	out := report.CaseReport{Institution: inst, Title: rep.Title, Subtitle: rep.Period, Footer: "Cadran · " + rep.Title, PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	for i, sec := range rep.Sections {
		rs := report.ReportSection{Heading: sec.Heading}
		if i == 0 {
			for _, ln := range sec.Lines {
				rs.Fields = append(rs.Fields, [2]string{ln.Label, citRepValue(l, ln.Value)})
			}
		} else if len(sec.Lines) == 0 {
			rs.Text = l.T("citizen.pages.reports.none")
		} else {
			t := &report.ReportTable{Columns: []string{l.T("citizen.pages.reports.indicator"), l.T("citizen.pages.reports.number")}, Widths: []float64{5, 1.2}}
			for _, ln := range sec.Lines {
				label := ln.Label
				if ln.Sub {
					label = "    – " + label
				}
				t.Rows = append(t.Rows, []string{label, citRepValue(l, ln.Value)})
			}
			rs.Table = t
		}
		out.Sections = append(out.Sections, rs)
	}
	out.Sections = append(out.Sections, report.ReportSection{Heading: l.T("citizen.pages.reports.signoff"), Fields: [][2]string{
		{l.T("citizen.pages.reports.drawn_by"), ""}, {l.T("citizen.pages.reports.approved_by"), ""}}})
	return out
}

// citRepXLSX lays a report out as one sheet: part, indicator, figure.
func citRepXLSX(l *i18n.Localizer, rep citRep) report.Table {
	t := report.Table{Sheet: rep.Title, Headers: []string{l.T("citizen.pages.reports.section"), l.T("citizen.pages.reports.indicator"), l.T("citizen.pages.reports.number")}}
	for _, sec := range rep.Sections {
		for _, ln := range sec.Lines {
			v := ln.Value
			if f, ok := v.(float64); ok {
				v = citRound(f, 1)
			}
			t.Rows = append(t.Rows, []any{sec.Heading, ln.Label, v})
		}
	}
	return t
}

type citizenReportsData struct {
	Year, Half, InfoYear int
	Years                []int
	Petitions, Info      citRep
}

// citizenReportsRead draws both reports for the page, or one for a file.
func (s *Server) citizenPetitionRead(r *http.Request, yearParam string) (citRep, string, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return citRep{}, "", err
	}
	today := work.Day(s.clock.Now())
	year, half, err := citRepHalf(r, today, yearParam)
	if err != nil {
		return citRep{}, "", err
	}
	p, err := s.citizen.PetitionReportOf(r.Context(), a, year, half)
	if err != nil {
		return citRep{}, "", err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return citRep{}, "", err
	}
	if p.Year == 0 {
		p.Year, p.Half = year, half
	}
	return citPetitionRep(localizer(r), inst.Name, today, p), inst.Name, nil
}

func (s *Server) citizenInfoRead(r *http.Request, yearParam string) (citRep, string, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return citRep{}, "", err
	}
	today := work.Day(s.clock.Now())
	year, err := citRepYear(r, today, yearParam)
	if err != nil {
		return citRep{}, "", err
	}
	p, err := s.citizen.InfoReportOf(r.Context(), a, year)
	if err != nil {
		return citRep{}, "", err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return citRep{}, "", err
	}
	if p.Year == 0 {
		p.Year = year
	}
	return citInfoRep(localizer(r), inst.Name, today, p), inst.Name, nil
}

// citizenReports is the page of the legal reports: the half year and the
// year chosen, both reports' figures, and their downloads.
func (s *Server) citizenReports(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermCitizenManage); err != nil {
		return err
	}
	today := work.Day(s.clock.Now())
	d := &citizenReportsData{}
	for y := today.Year(); y > today.Year()-6; y-- {
		d.Years = append(d.Years, y)
	}
	var err error
	if d.Year, d.Half, err = citRepHalf(r, today, "year"); err != nil {
		return err
	}
	if d.InfoYear, err = citRepYear(r, today, "info_year"); err != nil {
		return err
	}
	if d.Petitions, _, err = s.citizenPetitionRead(r, "year"); err != nil {
		return err
	}
	if d.Info, _, err = s.citizenInfoRead(r, "info_year"); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "citizen_reports", s.page(r, "citizen.pages.reports.title", d))
}

func (s *Server) citizenPetitionReportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, inst, err := s.citizenPetitionRead(r, "year")
	if err != nil {
		return err
	}
	cr := citRepPDF(localizer(r), inst, rep)
	return sendFile(w, rep.File, "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, cr) })
}

func (s *Server) citizenPetitionReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, _, err := s.citizenPetitionRead(r, "year")
	if err != nil {
		return err
	}
	t := citRepXLSX(localizer(r), rep)
	return sendTables(w, r, rep.File, t)
}

func (s *Server) citizenInfoReportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, inst, err := s.citizenInfoRead(r, "year")
	if err != nil {
		return err
	}
	cr := citRepPDF(localizer(r), inst, rep)
	return sendFile(w, rep.File, "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, cr) })
}

func (s *Server) citizenInfoReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, _, err := s.citizenInfoRead(r, "year")
	if err != nil {
		return err
	}
	t := citRepXLSX(localizer(r), rep)
	return sendTables(w, r, rep.File, t)
}

// CitizenReportValue prints a legal report's figure on the page.
func (p *Page) CitizenReportValue(v any) string { return citRepValue(p.l, v) }
