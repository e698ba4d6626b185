package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/work"
)

type iauditAuditorsData struct {
	Auditors  []audits.Auditor
	People    []org.Person
	Today     time.Time
	CanManage bool
	// The forms as sent, when one is shown again with its errors.
	AddForm   audits.AuditorInput
	QualForm  audits.QualificationInput
	ErrFor    int64 // the auditor whose qualification form was refused
	ExpiryDay int   // days within which a certificate is flagged
}

func (s *Server) iauditAuditorsData(r *http.Request) (*iauditAuditorsData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &iauditAuditorsData{Today: work.Day(s.clock.Now()), CanManage: a.Can(auth.PermAuditsManage), ExpiryDay: audits.ExpiringDays}
	var err error
	if d.Auditors, err = s.audits.Auditors(ctx, a, false); err != nil {
		return nil, err
	}
	for i := range d.Auditors {
		iauditTrainingLinks(a, d.Auditors[i].PersonID, d.Auditors[i].Qualifications)
	}
	if d.CanManage {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// iauditAuditors is the register of internal auditors and their competence.
func (s *Server) iauditAuditors(w http.ResponseWriter, r *http.Request) error {
	d, err := s.iauditAuditorsData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "iaudit_auditors", s.page(r, "audits.auditors_title", d))
}

func (s *Server) iauditAuditorsError(w http.ResponseWriter, r *http.Request, err error, fill func(d *iauditAuditorsData)) error {
	d, derr := s.iauditAuditorsData(r)
	if derr != nil {
		return derr
	}
	if fill != nil {
		fill(d)
	}
	return s.formError(w, r, err, "iaudit_auditors", "audits.auditors_title", d)
}

// iauditAuditorAdd registers a person as internal auditor.
func (s *Server) iauditAuditorAdd(w http.ResponseWriter, r *http.Request) error {
	in := audits.AuditorInput{PersonID: formInt(r, "person_id"), Notes: r.FormValue("auditor_notes")}
	au, err := s.audits.RegisterAuditor(r.Context(), actorOf(r), in)
	if err != nil {
		return s.iauditAuditorsError(w, r, err, func(d *iauditAuditorsData) { d.AddForm = in })
	}
	s.flash(r, "audits.flash.auditor_added", "Name", au.Name)
	return redirect(w, r, "/audits/auditors#auditor-"+strconv.FormatInt(au.ID, 10))
}

func pathInt(r *http.Request, name, entity string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound(entity)
	}
	return id, nil
}

// iauditAuditorUpdate sets an auditor active or not, and the notes.
func (s *Server) iauditAuditorUpdate(w http.ResponseWriter, r *http.Request) error {
	aid, err := pathInt(r, "aid", "auditor")
	if err != nil {
		return err
	}
	in := audits.AuditorInput{Active: r.FormValue("auditor_active") == "1", Notes: r.FormValue("auditor_notes"), Version: formVersion(r)}
	if _, err := s.audits.UpdateAuditor(r.Context(), actorOf(r), aid, in); err != nil {
		return s.iauditAuditorsError(w, r, err, nil)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/audits/auditors#auditor-"+strconv.FormatInt(aid, 10))
}

// iauditQualificationAdd records a course or certificate of an auditor.
func (s *Server) iauditQualificationAdd(w http.ResponseWriter, r *http.Request) error {
	aid, err := pathInt(r, "aid", "auditor")
	if err != nil {
		return err
	}
	hours, _ := strconv.Atoi(r.FormValue("qualification_hours"))
	in := audits.QualificationInput{Name: r.FormValue("qualification_name"), Issuer: r.FormValue("qualification_issuer"), CertificateNo: r.FormValue("qualification_certificate"),
		Hours: hours, IssuedOn: r.FormValue("qualification_issued"), ExpiresOn: r.FormValue("qualification_expires")}
	if _, err := s.audits.AddQualification(r.Context(), actorOf(r), aid, in); err != nil {
		return s.iauditAuditorsError(w, r, err, func(d *iauditAuditorsData) { d.QualForm, d.ErrFor = in, aid })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/audits/auditors#auditor-"+strconv.FormatInt(aid, 10))
}

// iauditQualificationDelete removes a qualification recorded by mistake.
func (s *Server) iauditQualificationDelete(w http.ResponseWriter, r *http.Request) error {
	aid, err := pathInt(r, "aid", "auditor")
	if err != nil {
		return err
	}
	qid, err := pathInt(r, "qid", "auditor_qualification")
	if err != nil {
		return err
	}
	if err := s.audits.DeleteQualification(r.Context(), actorOf(r), aid, qid); err != nil {
		return err
	}
	s.flash(r, "flash.deleted")
	return redirect(w, r, "/audits/auditors#auditor-"+strconv.FormatInt(aid, 10))
}

// iauditTrainingLinks drops the links to training certificates the actor
// may not open: only the training records permission reads everyone's
// certificates (a person their own; a head of unit may read their units',
// but the register does not know the units, so they see no link).
func iauditTrainingLinks(a auth.Actor, person int64, qs []audits.Qualification) {
	if a.Can(auth.PermTrainingRecords) || (a.PersonID != 0 && a.PersonID == person) {
		return
	}
	for i := range qs {
		qs[i].Href = ""
	}
}
