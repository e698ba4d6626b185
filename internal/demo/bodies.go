package demo

import (
	"context"

	"cadran/internal/org"
)

// bodies adds the records of the subordinate bodies (the social assistance
// directorate, the local police, the population records service) that the
// consolidated view compares with the mayor's own apparatus.
func (s *seeder) bodies(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) error {
	return nil
}
