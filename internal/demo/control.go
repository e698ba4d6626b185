package demo

import (
	"context"

	"cadran/internal/org"
)

// control plays the demo municipality's internal managerial control
// (groundwork stub; the demo helper writes it).
func (s *seeder) control(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (evaluations int, err error) {
	return 0, nil
}
