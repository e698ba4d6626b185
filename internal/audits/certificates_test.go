package audits_test

import (
	"errors"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/audits"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/training"
	"cadran/internal/work"
)

// TestRegisterShowsTrainingCertificates: the audit register reads an
// auditor's certificates from the training records, counts them in the
// auditor's competence, links them and never deletes them.
func TestRegisterShowsTrainingCertificates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tr := &training.Service{DB: d, Clock: e.clk, Work: e.work}
		// Vlad's only qualification of the register lapsed; training holds a
		// certificate in force (40 hours) and one revoked.
		must(e.svc.AddQualification(ctx, e.qm, e.regVlad, audits.QualificationInput{Name: "Auditor intern", IssuedOn: "2020-01-10", ExpiresOn: "2023-01-10"}))(t)
		wrong := must(tr.CreateCertificate(ctx, e.qm, training.CertificateInput{PersonID: e.vlad, Name: "Înregistrat greșit", Hours: 99, IssuedOn: "2026-02-10"}, nil))(t)
		cert := must(tr.CreateCertificate(ctx, e.qm, training.CertificateInput{PersonID: e.vlad, Name: "Auditor intern SMC (ISO 19011)", Number: "AI-2026-3",
			Issuer: "ASRO", Hours: 40, IssuedOn: "2026-02-10", ExpiresOn: "2029-02-10"}, nil))(t)
		if err := tr.RevokeCertificate(ctx, e.qm, wrong.ID, wrong.Version); err != nil {
			t.Fatal(err)
		}
		today := work.Day(t0)
		// Without the source wired, the register knows only its own.
		before := must(e.svc.Auditor(ctx, e.qm, e.regVlad))(t)
		if c := before.Competence(today); !c.Missing || len(before.Qualifications) != 1 {
			t.Fatalf("before wiring: %+v", c)
		}
		e.svc.Certificates = tr
		au := must(e.svc.Auditor(ctx, e.auditor, e.regVlad))(t)
		if len(au.Qualifications) != 2 {
			t.Fatalf("qualifications %+v", au.Qualifications)
		}
		q := au.Qualifications[1]
		if !q.FromTraining || q.Href != cert.Href() || q.Name != cert.Name || q.CertificateNo != "AI-2026-3" || q.Issuer != "ASRO" || q.Hours != 40 ||
			q.IssuedOn != "2026-02-10" || q.ExpiresOn != "2029-02-10" || q.AuditorID != e.regVlad {
			t.Errorf("training qualification %+v", q)
		}
		if au.Qualifications[0].FromTraining {
			t.Error("the register's own qualification marked from training")
		}
		if c := au.Competence(today); c.Missing || c.Valid != 1 || c.Hours != 40 || c.Expired != 1 {
			t.Errorf("competence %+v", c)
		}
		// The list and the audit page's reading by person agree.
		for _, x := range must(e.svc.Auditors(ctx, e.qm, true))(t) {
			n := 0
			for _, q := range x.Qualifications {
				if q.FromTraining {
					n++
				}
			}
			if want := map[int64]int{e.vlad: 1}[x.PersonID]; n != want {
				t.Errorf("%s has %d training certificates, want %d", x.Name, n, want)
			}
		}
		byPerson := must(e.svc.AuditorsByPerson(ctx, e.qm, []int64{e.vlad, e.aura}))(t)
		if c := byPerson[e.vlad].Competence(today); c.Valid != 1 || c.Missing {
			t.Errorf("by person: %+v", c)
		}
		// The certificate is not the register's to delete (its id is not
		// one of the register's qualifications).
		if cert.ID == au.Qualifications[0].ID {
			t.Fatal("the fixture's ids coincide")
		}
		if err := e.svc.DeleteQualification(ctx, e.qm, e.regVlad, cert.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("deleting a training certificate from the register: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_certificates WHERE id = $1 AND revoked = FALSE`, cert.ID); n != 1 {
			t.Error("the certificate is gone")
		}
		// An expired training certificate counts as expired.
		old := must(tr.CreateCertificate(ctx, e.qm, training.CertificateInput{PersonID: e.aura, Name: "Auditor intern", Hours: 24, IssuedOn: "2021-03-01", ExpiresOn: "2024-03-01"}, nil))(t)
		aura := must(e.svc.Auditor(ctx, e.qm, e.regAura))(t)
		if c := aura.Competence(today); c.Expired != 1 || !c.Missing || aura.Qualifications[0].ID != old.ID {
			t.Errorf("Aura's competence %+v", c)
		}
		// B's register reads nothing of A's, and A's certificates stay A's.
		if _, err := e.svc.Auditor(ctx, e.other, e.regVlad); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B reads A's auditor: %v", err)
		}
		if list := must(e.svc.Auditors(ctx, e.other, false))(t); len(list) != 0 {
			t.Errorf("B's register lists %d auditors", len(list))
		}
	})
}
