package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/reviews"
)

// reviewMinutes builds the minutes of the meeting (minuta ședinței de
// analiză efectuată de management) from the review's page data: the
// meeting, the inputs with their facts in the reader's language and the
// assessments, the decisions, the actions with owners and due days, the
// resource needs, and the signatures.
func (s *Server) reviewMinutes(r *http.Request) (report.CaseReport, reviews.Review, error) {
	id, err := pathID(r)
	if err != nil {
		return report.CaseReport{}, reviews.Review{}, err
	}
	d, err := s.reviewShowData(r, id)
	if err != nil {
		return report.CaseReport{}, reviews.Review{}, err
	}
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return report.CaseReport{}, reviews.Review{}, err
	}
	return buildReviewMinutes(localizer(r), inst.Name, d), d.Review, nil
}

func buildReviewMinutes(l *i18n.Localizer, institution string, d *reviewShowData) report.CaseReport {
	rv := d.Review
	day := func(s string) string { return civilDay(l.Date, s) }
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "—"
		}
		return s
	}
	rep := report.CaseReport{Institution: institution, Title: l.T("reviews.minutes_title"),
		Subtitle: rv.Code + " · " + rv.Title + " · " + l.T("reviews.state."+rv.State), Footer: "Cadran · " + rv.Code,
		PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	var names []string
	for _, p := range rv.Participants {
		n := p.Name
		if p.JobTitle != "" {
			n += " (" + p.JobTitle + ")"
		}
		names = append(names, n)
	}
	compiled := "—"
	if rv.CompiledAt != nil {
		compiled = l.DateTime(*rv.CompiledAt) + " · " + rv.CompiledBy
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "1. " + l.T("reviews.section.meeting"), Fields: [][2]string{
		{l.T("reviews.period"), day(rv.PeriodFrom) + " – " + day(rv.PeriodTo)},
		{l.T("reviews.meeting_on"), day(rv.MeetingDay())},
		{l.T("reviews.place"), or(rv.Place)},
		{l.T("reviews.chair"), or(rv.ChairName)},
		{l.T("reviews.participants"), or(strings.Join(names, "; "))},
		{l.T("reviews.guests"), or(rv.Guests)},
		{l.T("reviews.compiled_at"), compiled},
	}})
	for i, in := range d.Inputs {
		sec := report.ReportSection{Heading: fmt.Sprintf("2.%d. %s) %s", i+1, in.Letter(), in.Label)}
		var b strings.Builder
		for _, f := range in.Lines {
			b.WriteString("• " + f.Text)
			if f.Prev != "" {
				b.WriteString(" (" + l.T("reviews.previous_short") + ": " + f.Prev + ")")
			}
			b.WriteString("\n")
		}
		conclusion := "—"
		if in.Conclusion != "" {
			conclusion = l.T("reviews.conclusion." + in.Conclusion)
		}
		sec.Text = strings.TrimSpace(b.String())
		sec.Fields = [][2]string{{l.T("reviews.assessment"), or(in.Assessment)}, {l.T("reviews.input_conclusion"), conclusion}}
		rep.Sections = append(rep.Sections, sec)
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "3. " + l.T("reviews.conclusion_title"), Text: or(rv.Conclusion)})
	n := 0
	for _, cat := range reviews.DecisionCategories {
		sec := report.ReportSection{Heading: fmt.Sprintf("4.%d. %s", n+1, l.T("reviews.category."+cat))}
		n++
		var lines []string
		for _, dec := range d.Decisions {
			if dec.Category == cat {
				line := "• " + dec.Text
				if dec.Input != "" {
					line += " [" + reviews.Letters[dec.Input] + ") " + l.T("reviews.input."+dec.Input) + "]"
				}
				lines = append(lines, line)
			}
		}
		sec.Text = or(strings.Join(lines, "\n"))
		rep.Sections = append(rep.Sections, sec)
	}
	acts := report.ReportSection{Heading: "5. " + l.T("reviews.section.actions")}
	if len(d.Actions) == 0 {
		acts.Text = "—"
	} else {
		t := &report.ReportTable{Columns: []string{l.T("reviews.action_no"), l.T("reviews.action_description"), l.T("reviews.action_owner"), l.T("reviews.action_due"),
			l.T("reviews.action_state")}, Widths: []float64{0.5, 4, 1.8, 1.1, 1.3}}
		for i, x := range d.Actions {
			state := l.T("reviews.action_state." + x.State)
			if x.DoneOn != "" {
				state += " " + day(x.DoneOn)
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), x.Description, x.OwnerName, day(x.DueOn), state})
		}
		acts.Table = t
	}
	rep.Sections = append(rep.Sections, acts)
	sign := &report.ReportTable{Columns: []string{l.T("reviews.sign_role"), l.T("reviews.sign_name"), l.T("reviews.sign_date"), l.T("reviews.sign_signature")},
		Widths: []float64{2, 2.4, 1.2, 1.6}}
	var drafted string
	for _, st := range d.Steps {
		if st.Action == reviews.ActHold {
			drafted = st.ActorName
		}
	}
	sign.Rows = append(sign.Rows, []string{l.T("reviews.sign_drafted"), drafted, day(rv.HeldOn), ""},
		[]string{l.T("reviews.sign_approved"), rv.ChairName, day(rv.ClosedOn), ""})
	for _, p := range rv.Participants {
		sign.Rows = append(sign.Rows, []string{l.T("reviews.sign_participant"), p.Name, "", ""})
	}
	rep.Sections = append(rep.Sections, report.ReportSection{Heading: "6. " + l.T("reviews.section.signatures"), Table: sign})
	return rep
}

// reviewMinutesPDF prints the minutes.
func (s *Server) reviewMinutesPDF(w http.ResponseWriter, r *http.Request) error {
	rep, rv, err := s.reviewMinutes(r)
	if err != nil {
		return err
	}
	return sendFile(w, rv.Code, "pdf", func(w io.Writer) error { return report.WriteCaseReportPDF(w, rep) })
}

// reviewMinutesDOCX writes the minutes for Word.
func (s *Server) reviewMinutesDOCX(w http.ResponseWriter, r *http.Request) error {
	rep, rv, err := s.reviewMinutes(r)
	if err != nil {
		return err
	}
	return sendFile(w, rv.Code, "docx", func(w io.Writer) error { return report.WriteCaseReportDOCX(w, rep) })
}
