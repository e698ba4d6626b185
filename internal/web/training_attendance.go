package web

// A session's attendance grid (people × days, a mark per person per day),
// its results column (score and notes), both saved from the grid and kept
// as typed when refused, and the attendance sheet people sign, as a PDF.

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/report"
	"cadran/internal/training"
)

// trainingAttendanceRow is one person's line of the grid: the marks and
// the result as stored, or as typed when a save was refused.
type trainingAttendanceRow struct {
	Enrolment training.Enrolment
	Present   []bool
	Marked    []bool
	Score     string
	Notes     string
	// ScoreError is the message beside a score that did not read.
	ScoreError string
}

// trainingAttendanceData is the grid's page.
type trainingAttendanceData struct {
	Session   training.Session
	Programme training.Programme
	Days      []string
	Rows      []trainingAttendanceRow
	// Editable: attendance and results are recorded while the session is
	// held, by the quality office.
	Editable  bool
	CanManage bool
	// Which form a refused save came from.
	Failed string
}

// DayPresent counts the people marked present on day i.
func (d *trainingAttendanceData) DayPresent(i int) int {
	n := 0
	for _, r := range d.Rows {
		if i < len(r.Present) && r.Present[i] {
			n++
		}
	}
	return n
}

// trainingAttendanceOf reads the grid of the path's session.
func (s *Server) trainingAttendanceOf(r *http.Request) (*trainingAttendanceData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	sheet, err := s.training.Attendance(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &trainingAttendanceData{Session: sheet.Session, Programme: sheet.Programme, Days: sheet.Days, CanManage: a.Can(auth.PermTrainingManage)}
	d.Editable = d.CanManage && sheet.Session.State == training.SessionHeld
	for _, row := range sheet.Rows {
		x := trainingAttendanceRow{Enrolment: row.Enrolment, Present: row.Present, Marked: row.Marked, Notes: row.Enrolment.Notes}
		if len(x.Present) < len(d.Days) {
			x.Present = append(x.Present, make([]bool, len(d.Days)-len(x.Present))...)
		}
		if len(x.Marked) < len(d.Days) {
			x.Marked = append(x.Marked, make([]bool, len(d.Days)-len(x.Marked))...)
		}
		if row.Enrolment.Score != nil {
			x.Score = strconv.Itoa(*row.Enrolment.Score)
		}
		d.Rows = append(d.Rows, x)
	}
	return d, nil
}

// trainingAttendance is the grid: a row per person enrolled, a checkbox
// per day, and the results column.
func (s *Server) trainingAttendance(w http.ResponseWriter, r *http.Request) error {
	d, err := s.trainingAttendanceOf(r)
	if err != nil {
		return err
	}
	p := s.page(r, "traininggroups.attendance.title", d)
	p.Title = p.T("traininggroups.attendance.title") + " · " + d.Session.Code
	return s.render(w, http.StatusOK, "training_attendance", p)
}

// trainingAttendanceRows reads the enrolments a form lists ("row"),
// keeping only those of the session.
func trainingAttendanceRows(r *http.Request, d *trainingAttendanceData) map[int64]int {
	index := map[int64]int{}
	for i, row := range d.Rows {
		index[row.Enrolment.ID] = i
	}
	out := map[int64]int{}
	for _, id := range trainingGroupIDs(r, "row") {
		if i, ok := index[id]; ok {
			out[id] = i
		}
	}
	return out
}

// trainingAttendanceRefused shows the grid again with what was typed and
// the message of the refusal.
func (s *Server) trainingAttendanceRefused(w http.ResponseWriter, r *http.Request, d *trainingAttendanceData, failed string, err error) error {
	status := http.StatusUnprocessableEntity
	switch apperr.KindOf(err) {
	case apperr.KindInvalid:
	case apperr.KindConflict:
		status = http.StatusConflict
	default:
		return err
	}
	d.Failed = failed
	if v, ok := apperr.AsValidation(err); ok {
		// A score the domain refused shows beside its field.
		for i := range d.Rows {
			if key, bad := v[training.FieldScore(d.Rows[i].Enrolment.ID)]; bad && d.Rows[i].ScoreError == "" {
				d.Rows[i].ScoreError = key
			}
		}
	}
	p := s.page(r, "traininggroups.attendance.title", d)
	p.Title = p.T("traininggroups.attendance.title") + " · " + d.Session.Code
	p.Error = trainingGroupErrorText(p, err)
	return s.render(w, status, "training_attendance", p)
}

// trainingAttendanceSave records the days each person listed was present;
// the days left unticked are recorded absent.
func (s *Server) trainingAttendanceSave(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	d, err := s.trainingAttendanceOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"row": "traininggroups.error.people"}
	}
	rows := trainingAttendanceRows(r, d)
	present := make(map[int64][]string, len(rows))
	for id, i := range rows {
		days := []string{}
		ticked := map[string]bool{}
		for _, v := range r.Form["p_"+strconv.FormatInt(id, 10)] {
			ticked[v] = true
		}
		for j, day := range d.Days {
			on := ticked[day]
			if on {
				days = append(days, day)
			}
			// What was ticked shows again if the save is refused.
			d.Rows[i].Present[j], d.Rows[i].Marked[j] = on, true
		}
		present[id] = days
	}
	if len(present) == 0 {
		return s.trainingAttendanceRefused(w, r, d, "attendance", apperr.Validation{"row": "traininggroups.error.no_rows"})
	}
	if err := s.training.SaveAttendance(r.Context(), a, d.Session.ID, present); err != nil {
		return s.trainingAttendanceRefused(w, r, d, "attendance", err)
	}
	s.flash(r, "traininggroups.attendance.flash_saved")
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(d.Session.ID, 10)+"/attendance")
}

// trainingResultsSave records each listed person's score (0 to 100, or
// empty: not assessed) and notes.
func (s *Server) trainingResultsSave(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	d, err := s.trainingAttendanceOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"row": "traininggroups.error.people"}
	}
	rows := trainingAttendanceRows(r, d)
	var results []training.ResultInput
	bad := false
	for _, row := range d.Rows {
		i, ok := rows[row.Enrolment.ID]
		if !ok {
			continue
		}
		id := strconv.FormatInt(row.Enrolment.ID, 10)
		in := training.ResultInput{EnrolmentID: row.Enrolment.ID, Notes: strings.TrimSpace(r.FormValue("notes_" + id))}
		raw := strings.TrimSpace(r.FormValue("score_" + id))
		d.Rows[i].Score, d.Rows[i].Notes = raw, in.Notes
		if raw != "" {
			n, err := strconv.Atoi(raw)
			switch {
			case err != nil:
				d.Rows[i].ScoreError, bad = "traininggroups.error.score", true
			case n < 0 || n > 100:
				d.Rows[i].ScoreError, bad = "traininggroups.error.score", true
			default:
				in.Score = &n
			}
		}
		results = append(results, in)
	}
	switch {
	case bad:
		err = apperr.Validation{"score": "traininggroups.error.scores"}
	case len(results) == 0:
		err = apperr.Validation{"row": "traininggroups.error.no_rows"}
	default:
		err = s.training.SaveResults(r.Context(), a, d.Session.ID, results)
	}
	if err != nil {
		return s.trainingAttendanceRefused(w, r, d, "results", err)
	}
	s.flash(r, "traininggroups.attendance.flash_results")
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(d.Session.ID, 10)+"/attendance#results")
}

// trainingAttendancePDF is the sheet people sign at the session: the
// institution, the programme, the session's details, one row per person
// enrolled and one signature column per day, and the trainer's line.
func (s *Server) trainingAttendancePDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.trainingAttendanceOf(r)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	x := d.Session
	day := func(v string) string {
		if t, ok := trainingGroupDayOf(v); ok {
			return l.Date(t.Add(12 * 3600e9))
		}
		return v
	}
	period := day(x.StartOn)
	if x.EndOn != "" && x.EndOn != x.StartOn {
		period += " – " + day(x.EndOn)
	}
	sheet := report.TrainingAttendanceSheet{Institution: inst.Name, Title: l.T("traininggroups.sheet.title"),
		Programme: d.Programme.Code + " · " + d.Programme.Title,
		Details: []string{l.T("traininggroups.sheet.details", "Code", x.Code, "Period", period, "Hours", d.Programme.Hours),
			l.T("traininggroups.sheet.place_trainer", "Place", trainingGroupOr(x.Place, "—"), "Trainer", trainingGroupOr(x.Trainer, "—"))},
		NoLabel: l.T("traininggroups.record.no"), NameLabel: l.T("traininggroups.member.name"), JobLabel: l.T("traininggroups.sheet.job"),
		SignLabel: l.T("traininggroups.sheet.signature"), Trainer: l.T("traininggroups.sheet.trainer", "Name", trainingGroupOr(x.Trainer, "______________________________")),
		Signature: l.T("traininggroups.sheet.signature"), Footer: inst.Name + " · " + x.Code,
		PageLabel: l.T("traininggroups.pdf.page"), OfLabel: l.T("traininggroups.pdf.of")}
	for _, dd := range d.Days {
		sheet.Days = append(sheet.Days, day(dd))
	}
	for _, row := range d.Rows {
		e := row.Enrolment
		job := e.JobTitle
		if e.UnitName != "" {
			if job != "" {
				job += " / "
			}
			job += e.UnitName
		}
		sheet.People = append(sheet.People, report.TrainingAttendee{Name: e.Name, Job: job})
	}
	return sendFile(w, l.T("traininggroups.sheet.file")+"-"+x.Code, "pdf", func(b io.Writer) error {
		return report.WriteTrainingAttendancePDF(b, sheet)
	})
}

// trainingGroupOr is s, or alt when s is empty.
func trainingGroupOr(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}
