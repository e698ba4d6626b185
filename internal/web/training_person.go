package web

// A person's training record: who they are, the hours and programmes
// completed, the enrolments, the certificates, their line of the
// competence matrix, the competences they hold (with the form by which
// the quality office or their head of unit records an assessed one), the
// induction plan and the target groups (this file); the record as XLSX and
// PDF (training_person_record.go). The induction plans are in
// training_induction.go, the module's settings in training_settings.go.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/training"
	"cadran/internal/work"
)

// trainingPersonData is the training record page.
type trainingPersonData struct {
	Rec   training.PersonRecord
	Today time.Time
	// RenewalDays is how long before its expiry a certificate shows as
	// expiring (the module's settings).
	RenewalDays int
	// Cells are the person's matrix squares that say something: required,
	// held or both.
	Cells []trainingPersonCell
	// Competences are the active ones of the catalogue (the matrix's
	// columns), for the assess form.
	Competences []training.Competence
	Levels      []int
	Form        trainingAssessForm
	// CanManage: certificates and the induction plan; CanAssess: the
	// assess form and deleting assessed competences; CanRecords: the
	// target groups and induction pages; CanPerson: the person's page.
	CanManage, CanAssess, CanRecords, CanPerson bool
}

// trainingPersonCell is one square of the person's matrix row with its
// competence.
type trainingPersonCell struct {
	Competence training.Competence
	training.Cell
}

// trainingAssessForm is what the assess form holds, kept as typed when it
// is shown again with an error.
type trainingAssessForm struct {
	CompetenceID                 int64
	Level                        int
	AcquiredOn, ExpiresOn, Notes string
}

// trainingAssessFields maps the domain's field names to the form's.
var trainingAssessFields = map[string]string{
	training.FieldHeldCompetence: "training_assess_competence", training.FieldHeldLevel: "training_assess_level",
	training.FieldHeldAcquired: "training_assess_acquired", training.FieldHeldExpires: "training_assess_expires", training.FieldHeldNotes: "training_assess_notes",
}

// trainingFieldsOf renames a validation error's fields to the form's; an
// error of a field the form does not know is shown on fallback.
func trainingFieldsOf(err error, fields map[string]string, prefix, fallback string) error {
	v, ok := apperr.AsValidation(err)
	if !ok {
		return err
	}
	out := apperr.Validation{}
	for k, msg := range v {
		switch f, known := fields[k]; {
		case known:
			out[f] = msg
		case strings.HasPrefix(k, prefix):
			out[k] = msg
		default:
			out[fallback] = msg
		}
	}
	return out
}

// trainingLeads reports whether the actor heads the unit: a head of unit
// leads their own unit and every unit under it.
func (s *Server) trainingLeads(ctx context.Context, a auth.Actor, unitID int64) (bool, error) {
	if unitID == 0 || a.PersonID == 0 || !a.HasRole(auth.RoleHeadOfUnit) {
		return false, nil
	}
	me, err := s.org.Person(ctx, a, a.PersonID)
	if apperr.KindOf(err) == apperr.KindNotFound || apperr.KindOf(err) == apperr.KindForbidden {
		return false, nil
	}
	if err != nil || me.UnitID == 0 {
		return false, err
	}
	units, err := s.org.Units(ctx, a)
	if err != nil {
		return false, err
	}
	return slices.Contains(org.Subtree(units, me.UnitID), unitID), nil
}

// trainingMayRead reports whether the actor may read a person's training
// record: everyone's with the records permission, one's own, and a head
// of unit their units' people. The domain checks it again.
func (s *Server) trainingMayRead(ctx context.Context, a auth.Actor, p org.Person) (bool, error) {
	if !a.Can(auth.PermTrainingView) {
		return false, nil
	}
	if a.Can(auth.PermTrainingRecords) || (a.PersonID != 0 && a.PersonID == p.ID) {
		return true, nil
	}
	return s.trainingLeads(ctx, a, p.UnitID)
}

// trainingPersonShow is a person's training record.
func (s *Server) trainingPersonShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	today := work.Day(s.clock.Now()).Format(time.DateOnly)
	return s.trainingPersonRender(w, r, id, trainingAssessForm{Level: training.LevelBasic, AcquiredOn: today}, nil)
}

// trainingPersonRender shows the record, with the assess form as typed
// and err (a validation error next to its fields, a conflict above).
func (s *Server) trainingPersonRender(w http.ResponseWriter, r *http.Request, id int64, form trainingAssessForm, formErr error) error {
	ctx := r.Context()
	a := actorOf(r)
	rec, err := s.training.PersonRecord(ctx, a, id)
	if err != nil {
		return err
	}
	st, err := s.training.Settings(ctx, a)
	if err != nil {
		return err
	}
	d := &trainingPersonData{Rec: rec, Today: work.Day(s.clock.Now()), RenewalDays: st.RenewalDays, Levels: training.Levels, Form: form,
		CanManage: a.Can(auth.PermTrainingManage), CanRecords: a.Can(auth.PermTrainingRecords), CanPerson: a.Can(auth.PermOrgView)}
	for i, c := range rec.Row.Cells {
		if i < len(rec.Competences) && (c.Required > 0 || c.Held > 0 || c.State != training.CellNone) {
			d.Cells = append(d.Cells, trainingPersonCell{Competence: rec.Competences[i], Cell: c})
		}
	}
	d.CanAssess = d.CanManage
	if !d.CanAssess {
		if d.CanAssess, err = s.trainingLeads(ctx, a, rec.Person.UnitID); err != nil {
			return err
		}
	}
	if d.CanAssess {
		// The matrix's columns are the active competences of the catalogue.
		d.Competences = rec.Competences
	}
	p := s.page(r, "training.people.title", d)
	p.Title = p.T("training.people.title_of", "Name", rec.Person.FullName)
	status := http.StatusOK
	if formErr != nil {
		if v, ok := apperr.AsValidation(formErr); ok {
			p.Errors, p.Error, status = v, p.T("error.invalid"), http.StatusUnprocessableEntity
		} else {
			var ae *apperr.Error
			if !errors.As(formErr, &ae) {
				return formErr
			}
			p.Error, status = p.T(ae.Key, ae.Args), errorStatus[ae.Kind]
		}
	}
	return s.render(w, status, "training_person_show", p)
}

// trainingFormDay reads a YYYY-MM-DD day of a form: "" when empty, ok
// false when typed but not a day.
func trainingFormDay(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return v, false
	}
	return t.Format(time.DateOnly), true
}

// trainingPersonAssess records a competence assessed by the quality office
// or the person's head of unit.
func (s *Server) trainingPersonAssess(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	// Only the quality office and heads of unit assess; the domain checks
	// that the person is in the head's units.
	if !a.Can(auth.PermTrainingManage) && !a.HasRole(auth.RoleHeadOfUnit) {
		return apperr.Forbidden(string(auth.PermTrainingManage))
	}
	form := trainingAssessForm{CompetenceID: formInt(r, "training_assess_competence"), Notes: strings.TrimSpace(r.FormValue("training_assess_notes"))}
	bad := apperr.Validation{}
	if form.CompetenceID <= 0 {
		bad["training_assess_competence"] = "error.required"
	}
	lv := strings.TrimSpace(r.FormValue("training_assess_level"))
	form.Level, _ = strconv.Atoi(lv)
	if !slices.Contains(training.Levels, form.Level) {
		bad["training_assess_level"] = "error.choice"
	}
	var ok bool
	if form.AcquiredOn, ok = trainingFormDay(r.FormValue("training_assess_acquired")); !ok {
		bad["training_assess_acquired"] = "error.date"
	} else if form.AcquiredOn == "" {
		bad["training_assess_acquired"] = "error.required"
	}
	if form.ExpiresOn, ok = trainingFormDay(r.FormValue("training_assess_expires")); !ok {
		bad["training_assess_expires"] = "error.date"
	}
	if len(bad) == 0 && form.ExpiresOn != "" && form.ExpiresOn < form.AcquiredOn {
		bad["training_assess_expires"] = "training.people.error.expiry_order"
	}
	if len(bad) > 0 {
		return s.trainingPersonRender(w, r, id, form, bad)
	}
	_, err = s.training.Assess(r.Context(), a, id, training.HeldInput{CompetenceID: form.CompetenceID, Level: form.Level, AcquiredOn: form.AcquiredOn,
		ExpiresOn: form.ExpiresOn, Notes: form.Notes})
	if err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.trainingPersonRender(w, r, id, form, trainingFieldsOf(err, trainingAssessFields, "training_assess_", "training_assess_competence"))
	}
	s.flash(r, "training.people.flash.assessed")
	return redirect(w, r, "/training/people/"+strconv.FormatInt(id, 10)+"#competences")
}

// trainingPersonHeldDelete removes an assessed competence.
func (s *Server) trainingPersonHeldDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	held, err := strconv.ParseInt(r.PathValue("thid"), 10, 64)
	if err != nil || held <= 0 {
		return apperr.NotFound("record")
	}
	if err := s.training.DeleteHeld(r.Context(), actorOf(r), id, held); err != nil {
		return err
	}
	s.flash(r, "training.people.flash.held_deleted")
	return redirect(w, r, "/training/people/"+strconv.FormatInt(id, 10)+"#competences")
}

// trainingInductionStart starts a person's induction plan by hand (someone
// hired before Cadran, or imported).
func (s *Server) trainingInductionStart(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in, err := s.training.StartInduction(r.Context(), a, id)
	if err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		if v, ok := apperr.AsValidation(err); ok {
			// The plan has no form of its own: the reason shows above the record.
			for _, key := range v {
				err = &apperr.Error{Kind: apperr.KindInvalid, Key: key}
				break
			}
		}
		today := work.Day(s.clock.Now()).Format(time.DateOnly)
		return s.trainingPersonRender(w, r, id, trainingAssessForm{Level: training.LevelBasic, AcquiredOn: today}, err)
	}
	s.flash(r, "training.people.flash.induction_started")
	return redirect(w, r, "/training/inductions/"+strconv.FormatInt(in.ID, 10))
}

// TrpDay shows a YYYY-MM-DD day in the page's language, "—" when there is
// none (a malformed day is shown as stored).
func (p *Page) TrpDay(s string) string {
	if s == "" {
		return "—"
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return p.Date(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC))
}

// TrpHours shows hours: whole ones without decimals, others with one.
func (p *Page) TrpHours(f float64) string { return trpHours(p.l, f) }

// TrpCertState is a certificate's state on day: revoked, expired,
// expiring (within the renewal days) or valid.
func (p *Page) TrpCertState(c training.Certificate, day time.Time, days int) string {
	return trpCertState(c, day, days)
}

func trpCertState(c training.Certificate, day time.Time, days int) string {
	switch {
	case c.Revoked:
		return "revoked"
	case c.Expired(day):
		return "expired"
	case c.Expiring(day, days):
		return "expiring"
	}
	return "valid"
}

// TrpScore is an assessment result, "—" when not assessed.
func (p *Page) TrpScore(score *int) string {
	if score == nil {
		return "—"
	}
	return strconv.Itoa(*score)
}

// TrpDue says how an open induction plan stands against its due day, in
// words ("overdue by 3 days"), empty when it is not open.
func (p *Page) TrpDue(in training.Induction, day time.Time) string { return trpDue(p.l, in, day) }

// TrpPercent is the share of done items, for the progress bar's text.
func (p *Page) TrpPercent(done, total int) int {
	if total == 0 {
		return 0
	}
	return done * 100 / total
}

func trpHours(l *i18n.Localizer, f float64) string {
	if f == float64(int64(f)) {
		return l.Decimal(f, 0)
	}
	return l.Decimal(f, 1)
}

func trpDue(l *i18n.Localizer, in training.Induction, day time.Time) string {
	if in.State != training.InductionOpen {
		return ""
	}
	due, err := time.Parse(time.DateOnly, in.DueOn)
	if err != nil {
		return ""
	}
	switch days := int(due.Sub(work.DateOnly(day)).Hours() / 24); {
	case days < 0:
		return l.T("training.plans.days_overdue", "Count", -days)
	case days == 0:
		return l.T("training.plans.due_today")
	default:
		return l.T("training.plans.days_left", "Count", days)
	}
}
