package report

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

// controlProgLabelsRO are the Romanian words of the documents.
var controlProgLabelsRO = ControlProgLabels{Page: "Pagina", Of: "din", General: "Date generale", Objectives: "Obiective", NoObjectives: "Fără obiective",
	Code: "Cod", Objective: "Obiectivul", Description: "Descriere", Actions: "Acțiuni", NoActions: "Fără acțiuni", Standard: "Standardul",
	No: "Nr.", Action: "Acțiunea", Owner: "Responsabil", Due: "Termen", State: "Stare", Present: "Membri prezenți", NoPresent: "Nimeni",
	Person: "Persoana", Role: "Calitatea", Agenda: "Ordinea de zi", Discussion: "Desfășurarea ședinței", Decisions: "Hotărâri", NoDecisions: "Fără hotărâri",
	Decision: "Hotărârea", DecisionNumber: "Nr. hotărârii", Signatures: "Semnături", SignRole: "Calitatea", SignName: "Numele și prenumele",
	SignDate: "Data", Sign: "Semnătura", ApprovedBy: "Aprobat: conducătorul instituției", DrawnBy: "Întocmit: secretariatul comisiei",
	President: "Președinte", Secretary: "Secretariat tehnic"}

func controlProgSample() ControlProgramme {
	return ControlProgramme{Institution: "Primăria Municipiului Târgu Mureș", Title: "Programul de dezvoltare a sistemului de control intern managerial pentru anul 2026",
		Subtitle: "Aprobat · Dispoziția nr. 112/15.01.2026", Fields: [][2]string{{"Anul", "2026"}}, Notes: "Întocmit de secretariatul tehnic.",
		Objectives: []ControlProgObjective{{Code: "O1", Title: "Îmbunătățirea gestionării riscurilor", Description: "Registrul riscurilor actualizat trimestrial"}},
		Standards: []ControlProgStandard{
			{Title: "2. Atribuții, funcții, sarcini", Actions: []ControlProgAction{{Title: "Actualizarea inventarului funcțiilor sensibile", Objective: "O1",
				Owner: "Ștefan Țurcanu — Serviciul Resurse Umane", Due: "15.12.2026", State: "În curs"}}},
			{Title: "8. Managementul riscului", Actions: []ControlProgAction{{Title: "Instruirea responsabililor cu riscurile", Owner: "Ana Mureșan", Due: "01.10.2026", State: "Realizată (20.09.2026)"}}},
		}, L: controlProgLabelsRO}
}

func controlMinutesSample() ControlMinutes {
	return ControlMinutes{Institution: "Primăria Municipiului Târgu Mureș", Title: "Proces-verbal nr. 4/2026", Subtitle: "al ședinței Comisiei de monitorizare din 20.11.2026",
		Footer: "Comisia de monitorizare · Proces-verbal nr. 4/2026", Fields: [][2]string{{"Locul", "Sala de ședințe"}},
		Present: []ControlMinutesPerson{{Name: "Dan Țurcanu", Role: "Președinte"}, {Name: "Ana Mureșan", Role: "Secretariat tehnic"}},
		Agenda:  "1. Stadiul implementării programului de dezvoltare", Discussion: "Președintele a prezentat stadiul; s-a discutat inventarul funcțiilor sensibile.",
		Decisions: []ControlMinutesDecision{{Number: "Hotărârea nr. 3/2026", Text: "Se actualizează registrul riscurilor", Owner: "Ion Bălan", Due: "31.12.2026", State: "În curs"}},
		President: "Dan Țurcanu", Secretary: "Ana Mureșan", L: controlProgLabelsRO}
}

func controlProgDocx(t *testing.T, r CaseReport) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCaseReportDOCX(&b, r); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			doc, _ := io.ReadAll(rc)
			return string(doc)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestControlProgDocuments prints the programme and the minutes to PDF and
// DOCX and reads their Romanian text back: the headings per standard, the
// signatures, every diacritic (ă â î ș ț, comma below).
func TestControlProgDocuments(t *testing.T) {
	cases := []struct {
		name string
		r    CaseReport
		want []string
	}{
		{"programme", controlProgSample().Report(), []string{"Programul de dezvoltare a sistemului de control intern managerial", "Standardul 2. Atribuții, funcții, sarcini",
			"Standardul 8. Managementul riscului", "Actualizarea inventarului funcțiilor sensibile", "Ștefan Țurcanu", "Îmbunătățirea gestionării riscurilor",
			"Aprobat: conducătorul instituției", "Semnătura"}},
		{"minutes", controlMinutesSample().Report(), []string{"Proces-verbal nr. 4/2026", "Membri prezenți", "Dan Țurcanu", "Desfășurarea ședinței",
			"inventarul funcțiilor sensibile", "Hotărârea nr. 3/2026", "Secretariat tehnic", "Ana Mureșan"}},
		{"empty programme", ControlProgramme{Title: "Program", L: controlProgLabelsRO}.Report(), []string{"Fără obiective", "Fără acțiuni"}},
		{"empty minutes", ControlMinutes{Title: "Proces-verbal", L: controlProgLabelsRO}.Report(), []string{"Nimeni", "Fără hotărâri", "—"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCaseReportPDF(&b, c.r); err != nil {
				t.Fatal(err)
			}
			text := flat(strings.Join(pdfPages(t, b.Bytes()), "\n"))
			doc := controlProgDocx(t, c.r)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF lacks %q", w)
				}
				if !strings.Contains(doc, w) {
					t.Errorf("the DOCX lacks %q", w)
				}
			}
			if strings.ContainsAny(text, "şţŞŢ") {
				t.Error("the PDF has a cedilla ş or ţ")
			}
		})
	}
}
