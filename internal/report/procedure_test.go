package report

import (
	"fmt"
	"strings"
	"testing"
)

// diacritics are the Romanian letters the built-in PDF fonts cannot show,
// with ș ț in their correct comma-below form (U+0219, U+021B, U+0218, U+021A).
const diacritics = "ș ț ă â î Ș Ț Ă Â Î"

// sampleProcedure is a realistic procedure long enough to span several pages,
// with table cells that must wrap.
func sampleProcedure() Procedure {
	var body strings.Builder
	for i := 1; i <= 34; i++ {
		fmt.Fprintf(&body, "Paragraful %d: Petiția înregistrată la registratura generală este analizată de "+
			"șeful compartimentului, care stabilește termenul de soluționare și răspunde în ședința "+
			"operativă; înștiințarea petentului se face în scris (ȘTAMPILĂ, ȚARĂ, ĂSTA, ÂNCĂ, ÎNCHEIERE).\n\n", i)
		if i%10 == 0 {
			body.WriteString("- verifică încadrarea petiției în termenul legal de 30 de zile;\n" +
				"- transmite răspunsul către petent, cu semnătura conducătorului instituției;\n\n")
		}
	}
	return Procedure{
		Header:   []string{"ROMÂNIA", "JUDEȚUL ARGEȘ", "PRIMĂRIA MUNICIPIULUI TÂRGU VERDE"},
		Kind:     "PROCEDURĂ OPERAȚIONALĂ",
		Title:    "Procedura operațională privind soluționarea petițiilor",
		Code:     "PO-DAS-03",
		Unit:     "Direcția de asistență socială",
		Edition:  "I",
		Revision: "0",
		State:    "În vigoare",
		Copy:     "1",
		Copies:   "3",
		SignOffs: []SignOff{
			{"Elaborat", "Ștefănescu Țicu", "Consilier superior", "12.01.2026", "semnat electronic 3f2a9c"},
			{"Verificat", "Mureșan Ana-Maria", "Șef serviciu relații cu publicul și registratură generală", "14.01.2026", "semnat electronic 77b1e0"},
			{"Avizat", "Ionescu Îngrid", "Director executiv", "20.01.2026", "semnat electronic 0c44d2"},
			{"Aprobat", "Pârvu Ăștefan", "Primar", "25.01.2026", "semnat electronic a9e310"},
		},
		Revisions: []RevisionRow{
			{"Ediția I, revizia 0", "—", "Elaborare inițială a procedurii, conform Ordinului SGG nr. 600/2018 privind aprobarea Codului controlului intern managerial", "01.02.2026"},
		},
		Distribution: []DistributionRow{
			{"Aplicare", "1", "Serviciul relații cu publicul", "Șef serviciu", "Mureșan Ana-Maria", "02.02.2026", "semnat"},
			{"Informare", "2", "Compartimentul audit public intern", "Auditor", "Țurcanu Dănuț", "02.02.2026", "semnat"},
			{"Arhivare", "3", "Secretariatul Comisiei de monitorizare", "Secretar", "Bălănescu Ioana", "03.02.2026", ""},
		},
		Sections: []Section{
			{"4", "Scopul procedurii", "Stabilește modul de soluționare a petițiilor adresate primăriei.\n\n- asigură continuitatea activității;\n- sprijină auditul și controlul."},
			{"5", "Domeniul de aplicare", "Se aplică în toate compartimentele din aparatul de specialitate al primarului."},
			{"6", "Documente de referință", "- Ordonanța Guvernului nr. 27/2002 privind reglementarea activității de soluționare a petițiilor;\n- Ordinul SGG nr. 600/2018."},
			{"7", "Definiții și abrevieri", "Petiție – cererea, reclamația, sesizarea sau propunerea formulată în scris ori prin e-mail.\n\nDiacritice: " + diacritics + "."},
			{"8", "Descrierea procedurii", body.String()},
			{"9", "Responsabilități", "Șeful compartimentului răspunde de aplicarea procedurii. Întreg personalul o respectă."},
			{"10", "Formular de evidență a modificărilor", "Nu este cazul la ediția I."},
			{"11", "Anexe", "Anexa 1 – Registrul petițiilor; Anexa 2 – Diagrama de proces."},
		},
		Footer: "Document generat de Cadran la 23.11.2026 10:15",
		L:      DefaultLabelsRO(),
	}
}

func TestParseBody(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []Block
	}{
		{"empty", "", nil},
		{"blank lines only", "\n \r\n\t\n", nil},
		{"paragraphs", "Unu\ndoi\n\nTrei", []Block{{false, "Unu\ndoi"}, {false, "Trei"}}},
		{"bullets", "Intro:\n- a\n- b\ncontinuare\n\nSfârșit", []Block{
			{false, "Intro:"}, {true, "a"}, {true, "b\ncontinuare"}, {false, "Sfârșit"},
		}},
		{"control characters and CRLF", "a\tb\x07c\r\n- d\re", []Block{{false, "a bc"}, {true, "d\ne"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Blocks(tt.body)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Blocks(%q) = %+v, want %+v", tt.body, got, tt.want)
			}
		})
	}
}

func TestDefaultLabelsComplete(t *testing.T) {
	for name, l := range map[string]ProcedureLabels{"ro": DefaultLabelsRO(), "en": DefaultLabelsEN()} {
		texts := []string{l.Edition, l.Revision, l.Page, l.Of, l.CopyNo, l.Copies, l.Code, l.Unit,
			l.Contents, l.SignOffTitle, l.RevisionTitle, l.DistributionTitle, l.DraftMark}
		texts = append(texts, l.SignOffCols[:]...)
		texts = append(texts, l.RevisionCols[:]...)
		texts = append(texts, l.DistributionCols[:]...)
		for i, s := range texts {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: label %d is empty", name, i)
			}
		}
	}
}
