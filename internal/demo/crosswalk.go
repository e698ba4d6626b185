package demo

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/crosswalk"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// crosswalkEvidence is evidence the quality office records once, against
// an ISO 9001 clause, and that the crosswalk carries to the matching CAF
// sub-criteria and internal control standards: the archival nomenclature
// (ISO 7.5) shows for OSGG 13 (and 9) and CAF 4.4, the business
// continuity plan (ISO 7.1.3) for OSGG 11 and CAF 2.4, 4.5 and 4.6.
var crosswalkEvidence = []struct {
	clause, title, ref string
	ago                int
}{
	{"7.5", "Nomenclatorul arhivistic al primăriei, confirmat de Arhivele Naționale — Serviciul Județean", "Confirmarea nr. 1187", 40},
	{"7.1.3", "Planul de continuitate a activității: servere, arhivă electronică și ghișeul unic, testat în exercițiul din septembrie", "Dispoziția nr. 402", 60},
}

// crosswalk gives the demo institution its crosswalk between ISO 9001, CAF
// and OSGG 600 and evidence that the three frameworks share.
func (s *seeder) crosswalk(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) error {
	now := s.clock.Now()
	day0 := work.Day(now)
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	cmp := &compliance.Service{DB: s.db, Clock: clk, Work: ws, Improve: &improvement.Service{DB: s.db, Clock: clk, Work: ws}}
	svc := &crosswalk.Service{DB: s.db, Clock: clk, Compliance: cmp}
	qm, err := s.users.ActorByID(ctx, users["calitate"])
	if err != nil {
		return fmt.Errorf("cannot act as the demo quality manager: %w", err)
	}
	// The reference mapping, a little before the evidence below.
	clk.Set(day0.AddDate(0, 0, -75).Add(9 * time.Hour))
	if err := svc.Seed(ctx, qm); err != nil {
		return fmt.Errorf("cannot seed the demo crosswalk: %w", err)
	}
	for i, e := range crosswalkEvidence {
		clk.Set(day0.AddDate(0, 0, -e.ago).Add(9*time.Hour + time.Duration(i)*time.Minute))
		if _, err := cmp.AddEvidence(ctx, qm, e.clause, compliance.ManualInput{Title: e.title, Reference: e.ref, On: day0.AddDate(0, 0, -e.ago).Format(time.DateOnly)}); err != nil {
			return fmt.Errorf("cannot record the demo evidence for %s: %w", e.clause, err)
		}
	}
	return nil
}
