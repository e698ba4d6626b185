package scorecard_test

import (
	"os"
	"testing"

	"cadran/internal/db/dbtest"
)

// TestMain starts (and stops) the PostgreSQL the store tests share.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
