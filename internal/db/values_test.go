package db

import "testing"

func TestValues(t *testing.T) {
	for _, c := range []struct {
		rows, width int
		want        string
	}{
		{1, 1, "($1)"},
		{2, 3, "($1, $2, $3), ($4, $5, $6)"},
		{0, 3, ""},
	} {
		if got := Values(c.rows, c.width); got != c.want {
			t.Errorf("Values(%d, %d) = %q, want %q", c.rows, c.width, got, c.want)
		}
	}
}
