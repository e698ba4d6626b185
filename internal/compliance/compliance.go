// Package compliance is the ISO 9001:2015 compliance matrix: the status of
// every clause, the evidence linked to it from every module, the readiness
// before a certification body's audit, the external audits themselves and
// the three-year certificate cycle.
package compliance

import (
	"context"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "compliance"

// Service is the compliance module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Sources are the other modules' clause evidence (audits, reviews); the
	// module reads documents and registers itself.
	Sources []evidence.Source
}

// ReviewFacts states the certificate and external audits of a period for
// the management review.
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	return nil, nil
}
