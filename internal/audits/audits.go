// Package audits is the internal audit of the quality management system
// (ISO 9001:2015 clause 9.2): the yearly audit programme, audit plans,
// checklists, findings that open cases in the nonconformity register, the
// audit report and the register of internal auditors.
package audits

import (
	"context"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/improvement"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "audits"

// Service is the internal audit module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Improve opens the nonconformity cases of findings.
	Improve *improvement.Service
}

// ClauseEvidence lists the audits that covered each clause, with their
// result, for the compliance matrix.
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	return nil, nil
}

// ReviewFacts states the audit results of a period for the management review.
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	return nil, nil
}
