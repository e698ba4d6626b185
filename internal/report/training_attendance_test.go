package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func trainingSheetSample(people, days int) TrainingAttendanceSheet {
	s := TrainingAttendanceSheet{Institution: "Primăria Municipiului Târgu Mureș", Title: "LISTĂ DE PREZENȚĂ",
		Programme: "P-MC-2026 · Managementul calității în administrația publică",
		Details:   []string{"Sesiunea: P-MC-2026/1 · Perioada: 01.12.2026 – 05.12.2026", "Locul: Sala de ședințe · Formator: Ștefan Țăranu"},
		NoLabel:   "Nr. crt.", NameLabel: "Nume și prenume", JobLabel: "Funcția / compartimentul", SignLabel: "Semnătura",
		Trainer: "Formator: Ștefan Țăranu", Signature: "Semnătura", Footer: "Primăria Municipiului Târgu Mureș · P-MC-2026/1", PageLabel: "Pagina", OfLabel: "din"}
	for d := range days {
		s.Days = append(s.Days, fmt.Sprintf("%02d.12.2026", d+1))
	}
	for i := range people {
		s.People = append(s.People, TrainingAttendee{Name: fmt.Sprintf("Țîrlea Ștefania %02d", i+1), Job: "Consilier / Serviciul Impozite și Taxe Locale"})
	}
	return s
}

// TestWriteTrainingAttendancePDF prints sheets of a few and of many people
// and days: the header with the diacritics on every page, every person once
// per run of days, and the trainer's line after the list.
func TestWriteTrainingAttendancePDF(t *testing.T) {
	for _, c := range []struct {
		name          string
		people, days  int
		minPages      int
		runs          int
		maxPagesTotal int
	}{
		{"one day, three people", 3, 1, 1, 1, 1},
		{"five days, forty people", 40, 5, 3, 1, 4},
		{"twelve days, twenty people: two runs of days", 20, 12, 2, 2, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteTrainingAttendancePDF(&b, trainingSheetSample(c.people, c.days)); err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, b.Bytes())
			if len(pages) < c.minPages || len(pages) > c.maxPagesTotal {
				t.Fatalf("%d pages, want %d to %d", len(pages), c.minPages, c.maxPagesTotal)
			}
			all := strings.Join(pages, "\n")
			for i, p := range pages {
				for _, want := range []string{"LISTĂ DE PREZENȚĂ", "Primăria Municipiului Târgu Mureș", "Managementul calității în administrația publică",
					"Locul: Sala de ședințe · Formator: Ștefan Țăranu", "Nume și prenume", "Semnătura", fmt.Sprintf("Pagina %d din %d", i+1, len(pages))} {
					if !strings.Contains(p, want) {
						t.Errorf("page %d lacks %q", i+1, want)
					}
				}
			}
			for i := range c.people {
				name := fmt.Sprintf("Țîrlea Ștefania %02d", i+1)
				if n := strings.Count(all, name); n != c.runs {
					t.Errorf("%s is printed %d times, want %d", name, n, c.runs)
				}
			}
			for d := range c.days {
				if day := fmt.Sprintf("%02d.12.2026", d+1); !strings.Contains(all, day) {
					t.Errorf("no column for %s", day)
				}
			}
			if n := strings.Count(all, "Semnătura ____"); n != c.runs {
				t.Errorf("the trainer's signature line is printed %d times, want %d", n, c.runs)
			}
			if strings.Contains(all, "ş") || strings.Contains(all, "ţ") {
				t.Error("cedilla letters in the sheet")
			}
		})
	}
}
