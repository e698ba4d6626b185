package documents_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// benchUnits is the size of a large municipality's organisation chart.
const benchUnits = 60

// importBenchFile is a register of MaxImportRows documents spread over the
// units, as a quality office would bring it: streamed, as a big workbook is.
func importBenchFile(b *testing.B) []byte {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", roHeader); err != nil {
		b.Fatal(err)
	}
	for i := range documents.MaxImportRows {
		u := i % benchUnits
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{fmt.Sprintf("PO-S%02d-%03d", u, i/benchUnits+1), fmt.Sprintf("Procedura operațională nr. %d privind activitatea serviciului", i+1),
			"", fmt.Sprintf("Serviciul %d", u), documents.Roman(1 + i%3), i % 4, fmt.Sprintf("%02d.%02d.20%02d", 1+i%28, 1+i%12, 15+i%10)}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// importBenchEnv is a fresh SQLite institution with 60 units, a head of
// each, and a quality manager who imports.
func importBenchEnv(b *testing.B) (*documents.Service, auth.Actor) {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	for i := range benchUnits {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %d", i), Code: fmt.Sprintf("S%02d", i), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: u.ID, FullName: fmt.Sprintf("Șef Serviciu %d", i), Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: fmt.Sprintf("sef%d", i), DisplayName: p.FullName, Password: "parola-buna-2026", PersonID: p.ID, Locale: "ro", Roles: []auth.Role{auth.RoleHeadOfUnit}}); err != nil {
			b.Fatal(err)
		}
	}
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "calitate", DisplayName: "Responsabil calitate", Password: "parola-buna-2026", Locale: "ro", Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	a, err := as.ActorByID(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad(), BaseURL: "https://cadran.example.ro"}
	return &documents.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk, Notify: notes}}, a
}

// BenchmarkImport10000 imports a register of 10,000 documents into a fresh
// SQLite institution: read the workbook, check every row, write them all
// in one transaction. The budget is 5 s.
func BenchmarkImport10000(b *testing.B) {
	file := importBenchFile(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		docs, a := importBenchEnv(b)
		b.StartTimer()
		n, err := docs.Import(ctx, a, bytes.NewReader(file), int64(len(file)))
		if err != nil {
			b.Fatal(err)
		}
		if n != documents.MaxImportRows {
			b.Fatalf("imported %d", n)
		}
	}
}

// BenchmarkParseImport10000 is the preview of the same register: reading
// and checking only.
func BenchmarkParseImport10000(b *testing.B) {
	file := importBenchFile(b)
	docs, a := importBenchEnv(b)
	ctx := context.Background()
	for b.Loop() {
		p, err := docs.ParseImport(ctx, a, bytes.NewReader(file), int64(len(file)))
		if err != nil {
			b.Fatal(err)
		}
		if p.Valid != documents.MaxImportRows {
			b.Fatalf("valid %d of %d: %+v", p.Valid, len(p.Rows), p.Rows[0])
		}
	}
}
