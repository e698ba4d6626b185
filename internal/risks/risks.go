// Package risks is the register of risks and opportunities (ISO 9001
// clause 6.1, OSGG 600 standard 8).
package risks

import (
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Service keeps the risk and opportunity register.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
}
