// Package crosswalk maps ISO 9001 clauses, CAF sub-criteria and OSGG 600
// standards to each other, per institution, and reads the evidence linked
// to one as evidence for the others.
package crosswalk

import (
	"cadran/internal/clock"
	"cadran/internal/db"
)

// Module names the crosswalk in the audit trail.
const Module = "crosswalk"

// Service is the crosswalk of one deployment.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}
