package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/importer"
)

// register10k is a risk register of 10,000 entries with a title line, a
// two-row heading and 8 columns, as XLSX and as CSV.
func register10k(b *testing.B) (xlsx, csv []byte) {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	var c strings.Builder
	head := [][]any{
		{"Registrul riscurilor 2026"},
		{},
		{"Nr. crt.", "Obiectivul", "Descrierea riscului", "Risc inerent", "", "Risc rezidual", "", "Termen"},
		{"", "", "", "Probabilitate", "Impact", "Probabilitate", "Impact", ""},
	}
	for i, r := range head {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			b.Fatal(err)
		}
		for j, v := range r {
			if j > 0 {
				c.WriteByte(';')
			}
			fmt.Fprint(&c, v)
		}
		c.WriteByte('\n')
	}
	due := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		r := []any{i + 1, fmt.Sprintf("Obiectivul %d al direcției", i%40), fmt.Sprintf("Riscul nr. %d: întârzieri în derularea achizițiilor publice", i), i%5 + 1, (i+2)%5 + 1, i%3 + 1, i%2 + 1, due}
		cell, _ := excelize.CoordinatesToCellName(1, i+5)
		if err := sw.SetRow(cell, r); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&c, "%d;%s;%s;%d;%d;%d;%d;%s\n", r[0], r[1], r[2], r[3], r[4], r[5], r[6], "31.12.2026")
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.MergeCell("Sheet1", "D3", "E3"); err != nil {
		b.Fatal(err)
	}
	if err := f.MergeCell("Sheet1", "F3", "G3"); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), []byte(c.String())
}

// BenchmarkRead10k reads a 10,000-row register, finds its heading, guesses
// the mapping and applies it: the part of an import before the target's
// own check and write.
//
//	go test -run '^$' -bench BenchmarkRead10k -benchmem ./internal/importer/
func BenchmarkRead10k(b *testing.B) {
	xlsx, csv := register10k(b)
	for _, tc := range []struct {
		name string
		body []byte
	}{{"registru.xlsx", xlsx}, {"registru.csv", csv}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				t, err := importer.Read(tc.name, bytes.NewReader(tc.body), int64(len(tc.body)))
				if err != nil {
					b.Fatal(err)
				}
				if err := t.Detect(riskFields); err != nil {
					b.Fatal(err)
				}
				rows := importer.Apply(t, importer.Guess(riskFields, t.Headings()))
				if len(rows) != 10_000 || rows[0].Values["inherent_impact"] == "" {
					b.Fatalf("%d rows, first %v", len(rows), rows[0].Values)
				}
			}
		})
	}
	b.Run("guess+apply", func(b *testing.B) {
		t, err := importer.Read("registru.csv", bytes.NewReader(csv), int64(len(csv)))
		if err != nil {
			b.Fatal(err)
		}
		if err := t.Detect(riskFields); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			importer.Apply(t, importer.Guess(riskFields, t.Headings()))
		}
	})
}

// BenchmarkImport10k runs a whole import of a 10,000-row CSV on SQLite
// through the test target: upload (read, heading, guess, store, job),
// preview (check) and run (check again, write in one transaction with its
// progress, final state), until the job is done.
//
//	go test -run '^$' -bench BenchmarkImport10k -benchtime 5x ./internal/importer/
func BenchmarkImport10k(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	e := newEnv(b, d)
	e.svc.Clock = clock.System{}
	var body strings.Builder
	body.WriteString("Registrul de test\nTitlu;Punctaj;Termen\n")
	for i := range 10_000 {
		fmt.Fprintf(&body, "Riscul nr. %d: întârzieri la plăți;%d;2026-12-31\n", i, i%5+1)
	}
	csv := body.String()
	ctx := context.Background()
	for b.Loop() {
		j, err := e.svc.Upload(ctx, e.alice, "test", "registru.csv", strings.NewReader(csv), int64(len(csv)))
		if err != nil {
			b.Fatal(err)
		}
		if p, err := e.svc.Preview(ctx, e.alice, j.ID); err != nil || !p.OK() {
			b.Fatalf("preview %v", err)
		}
		if _, err := e.svc.Run(ctx, e.alice, j.ID, j.Version); err != nil {
			b.Fatal(err)
		}
		e.svc.Wait()
		if j, _ := e.svc.Job(ctx, e.alice, j.ID); j.State != importer.StateDone || j.Created != 10_000 {
			b.Fatalf("job %+v", j)
		}
	}
}
