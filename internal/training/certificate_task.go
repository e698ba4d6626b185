package training

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
)

// certRef is a certificate's side of its renewal task.
func certRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityCert, ID: id} }

// certTask is the renewal task a certificate should have; the zero value
// is none.
type certTask struct {
	person int64
	due    string
	title  string
}

// certTaskOf is the renewal task c needs on today: one for its holder when
// it expires, is not revoked and was not renewed, due RenewalDays before
// the expiry (today at the earliest).
func certTaskOf(c Certificate, st Settings, today time.Time) certTask {
	exp, ok := parseDay(c.ExpiresOn)
	if c.Revoked || !ok || c.RenewedBy != 0 {
		return certTask{}
	}
	due := exp.AddDate(0, 0, -st.RenewalDays)
	if due.Before(today) {
		due = today
	}
	return certTask{person: c.PersonID, due: due.Format(time.DateOnly),
		title: fmt.Sprintf("Reînnoiți certificatul „%s” (expiră la %s)", compClip(c.Name, 220), exp.Format("02.01.2006"))}
}

// certRetask makes c's open renewal task the one it needs: the old one
// (if any) is cancelled and the new one assigned. A person no longer
// active gets no task.
func (s *Service) certRetask(ctx context.Context, tx *sql.Tx, a auth.Actor, c Certificate, st Settings) error {
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: certRef(c.ID)}, work.StateCancelled); err != nil {
		return err
	}
	want := certTaskOf(c, st, s.certToday())
	if want == (certTask{}) {
		return nil
	}
	var active bool
	if err := tx.QueryRowContext(ctx, `SELECT active FROM people WHERE tenant_id = $1 AND id = $2`, c.Tenant, c.PersonID).Scan(&active); err != nil {
		return fmt.Errorf("cannot read person: %w", err)
	}
	if !active {
		return nil
	}
	due, _ := parseDay(want.due)
	_, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: certRef(c.ID), Kind: work.KindAct, Title: want.title,
		Details: c.Issuer, Link: c.Href(), Assignee: work.Assignee{PersonID: want.person}, Due: due})
	return err
}

// certHeldSync makes the competence a certificate gives match it: the
// held rows of the certificate are replaced by one for its competence, or
// removed when it has none or was revoked.
func (s *Service) certHeldSync(ctx context.Context, tx *sql.Tx, a auth.Actor, c Certificate, now time.Time) error {
	old, err := compHeldWhere(ctx, tx, c.Tenant, `h.certificate_id = $2`, c.ID)
	if err != nil {
		return err
	}
	for _, h := range old {
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_person_competences WHERE tenant_id = $1 AND id = $2`, c.Tenant, h.ID); err != nil {
			return fmt.Errorf("cannot remove held competence: %w", err)
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: c.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityHeld, EntityID: h.ID,
			Summary: c.PersonName + ": " + h.CompetenceCode, Before: h}); err != nil {
			return err
		}
	}
	if c.Revoked || c.CompetenceID == 0 {
		return nil
	}
	h := Held{PersonID: c.PersonID, CompetenceID: c.CompetenceID, Level: c.CompetenceLevel, Source: HeldCertificate, CertificateID: c.ID,
		AcquiredOn: c.IssuedOn, ExpiresOn: c.ExpiresOn}
	_, err = s.compHeldInsert(ctx, tx, a, c.Tenant, h, c.PersonName, now)
	return err
}
