package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"cadran/internal/i18n"
)

// WriteCSV writes t as comma-separated values (RFC 4180) in UTF-8, with a
// byte-order mark so that spreadsheet programs read the diacritics right.
// Dates are written as 2026-11-24 (with the time, in Bucharest, when there
// is one) and numbers with a point, so that other programs can read them.
func WriteCSV(w io.Writer, t Table) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(t.Headers); err != nil {
		return fmt.Errorf("cannot write header: %w", err)
	}
	rec := make([]string, 0, len(t.Headers))
	for n, row := range t.Rows {
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, csvCell(c))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("cannot write row %d: %w", n+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		if v.IsZero() {
			return ""
		}
		// A day is kept as midnight, in whatever zone it was made in.
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			return v.Format(time.DateOnly)
		}
		return v.In(i18n.Bucharest).Format("2006-01-02 15:04")
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32)
	case *float64:
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}
