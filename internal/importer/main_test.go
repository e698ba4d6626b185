package importer_test

import (
	"os"
	"testing"

	"cadran/internal/db/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
