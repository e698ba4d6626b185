package db

import (
	"strconv"
	"strings"
)

// Values writes the VALUES list of a multi-row INSERT: rows groups of width
// numbered parameters, "($1, $2), ($3, $4)". Both engines take it; keep
// rows*width under SQLite's 32,766 parameters (and PostgreSQL's 65,535).
func Values(rows, width int) string {
	var b strings.Builder
	n := 0
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}
