package training_test

import "testing"

// TestEnv checks the shared fixture builds on both engines.
func TestEnv(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		if e.ana == 0 || e.bob == 0 || e.qm.Tenant == e.other.Tenant {
			t.Fatalf("fixture incomplete: %+v", e)
		}
	})
}
