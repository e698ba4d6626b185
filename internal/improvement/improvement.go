// Package improvement holds nonconformities and their corrective actions
// (ISO 9001 clause 10.2) and improvement proposals (clause 10.3).
package improvement

import (
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Service keeps nonconformities, corrective actions and proposals.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
}
