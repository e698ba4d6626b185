package web

import (
	"bytes"
	"io"
	"log/slog"
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
	streams := make([]report.Stream, len(tables))
	for i, t := range tables {
		streams[i] = t.Stream()
	}
	return sendStreams(w, r, name, streams...)
}

// sendStreams is sendTables for rows read as they are written (a long
// register, a batch at a time from the database): neither the rows nor
// the file are ever whole in memory. A CSV goes out as its rows come; a
// workbook once every row is read (excelize keeps its sheets on disk).
// A failure before the first byte gives an error page; one after it cuts
// the download off, so that it cannot pass for a whole file.
func sendStreams(w http.ResponseWriter, r *http.Request, name string, streams ...report.Stream) error {
	ext := "xlsx"
	if path.Ext(r.URL.Path) == ".csv" {
		ext = "csv"
	}
	fw := &fileWriter{w: w, name: name, ext: ext}
	var err error
	if ext == "csv" {
		var t report.Stream
		if len(streams) > 0 {
			t = streams[0]
		}
		err = report.WriteCSVStream(fw, t)
	} else {
		err = report.WriteXLSXStreams(fw, streams...)
	}
	switch {
	case err == nil:
		return nil
	case fw.werr != nil:
		return nil // the client went away: nobody to tell
	case fw.started:
		abortResponse(w, r, err)
		return nil
	}
	return err
}

// fileWriter sends a file to download, its headers with the first byte.
type fileWriter struct {
	w         http.ResponseWriter
	name, ext string
	started   bool
	werr      error // the first failure to send, when the client went away
}

func (fw *fileWriter) Write(b []byte) (int, error) {
	if !fw.started {
		fw.started = true
		h := fw.w.Header()
		h.Set("Content-Type", fileTypes[fw.ext])
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": safeFileName(fw.name) + "." + fw.ext}))
		h.Set("Cache-Control", "no-store")
	}
	n, err := fw.w.Write(b)
	if err != nil && fw.werr == nil {
		fw.werr = err
	}
	return n, err
}

// abortResponse cuts off a download that failed half-way: the connection
// is closed before the end of the response, so the browser reports a
// failed download rather than keeping a truncated file.
func abortResponse(w http.ResponseWriter, r *http.Request, err error) {
	slog.Error("download cut off", "path", logPath(r.URL.Path), "err", err)
	if conn, _, herr := http.NewResponseController(w).Hijack(); herr == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
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
