// Package reviews is the management review (ISO 9001:2015 clause 9.3): a
// meeting whose inputs are compiled from live data for the period and whose
// outputs become tracked actions, with the minutes.
package reviews

import (
	"context"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/work"
)

// Module names the module in tasks and links.
const Module = "reviews"

// Service is the management review module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Inputs are the other modules' facts about a period (audits,
	// compliance); the module compiles the registers' own facts itself.
	Inputs []evidence.InputSource
}

// ClauseEvidence lists the reviews held, as evidence for clause 9.3.
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	return nil, nil
}
