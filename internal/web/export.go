package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"cadran/internal/report"
)

// fileTypes are the media types of the files Cadran sends.
var fileTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// sendFile answers with a file to download, named name.ext. The file is
// built in memory first, so a failure half-way gives an error page rather
// than a truncated download.
func sendFile(w http.ResponseWriter, name, ext string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", fileTypes[ext])
	// FormatMediaType encodes a name with diacritics as RFC 2231 asks.
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": safeFileName(name) + "." + ext}))
	w.Header().Set("Cache-Control", "no-store")
	_, err := b.WriteTo(w)
	return err
}

// safeFileName keeps a file name free of path separators, quotes and
// control characters (a record's code might hold anything).
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\\' || r == '/' || r < ' ':
			return '-'
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// sendTables answers a list's export in the format its address asks for:
// …/export.csv gets the first table as CSV (a CSV file holds one table),
// anything else a workbook with one sheet per table. Both come from the
// same tables, built from the same filters as the page.
func sendTables(w http.ResponseWriter, r *http.Request, name string, tables ...report.Table) error {
	if path.Ext(r.URL.Path) == ".csv" {
		var t report.Table
		if len(tables) > 0 {
			t = tables[0]
		}
		return sendFile(w, name, "csv", func(w io.Writer) error { return report.WriteCSV(w, t) })
	}
	return sendFile(w, name, "xlsx", func(w io.Writer) error { return report.WriteXLSXSheets(w, tables...) })
}

// withCSV gives every list export (GET …/export.xlsx) its CSV twin at
// …/export.csv, served by the same handler: sendTables picks the format
// from the address, so the two always hold the same rows.
func withCSV(rs []route) []route {
	out := rs
	for _, rt := range rs {
		if rt.Method == "GET" && strings.HasSuffix(rt.Pattern, "/export.xlsx") {
			csv := rt
			csv.Pattern = strings.TrimSuffix(rt.Pattern, ".xlsx") + ".csv"
			out = append(out, csv)
		}
	}
	return out
}
