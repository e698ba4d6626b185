package report

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

func TestWriteProcedurePDF(t *testing.T) {
	tests := []struct {
		name  string
		draft bool
		state string
	}{
		{"in force", false, "În vigoare"},
		{"draft", true, "Stare: Draft"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sampleProcedure()
			p.Draft, p.State = tt.draft, tt.state
			pages := renderProcedurePDF(t, p)
			n := len(pages)
			if n < 3 {
				t.Fatalf("got %d pages, want a procedure long enough for several", n)
			}
			all := flat(strings.Join(pages, "\n"))

			for i, page := range pages {
				for _, want := range []string{
					fmt.Sprintf("Pagina %d din %d", i+1, n), // "Pagina 1 din N" on the first page, "N din N" on the last
					"Cod: PO-DAS-03", "Ediția: I", "Revizia: 0", "Exemplar nr.: 1",
					"PRIMĂRIA MUNICIPIULUI TÂRGU", "PROCEDURĂ OPERAȚIONALĂ",
					p.Footer,
				} {
					if !strings.Contains(flat(page), want) {
						t.Errorf("page %d lacks %q", i+1, want)
					}
				}
				if got := strings.Contains(page, p.L.DraftMark); got != tt.draft {
					t.Errorf("page %d: draft mark shown = %v, want %v", i+1, got, tt.draft)
				}
				if got := strings.Contains(page, tt.state); got != (tt.draft && i == 0) {
					t.Errorf("page %d: state shown = %v, want it on the first page of a draft only", i+1, got)
				}
			}
			if !strings.Contains(flat(pages[0]), p.Title) {
				t.Errorf("the first page lacks the title %q", p.Title)
			}
			checkRomanianText(t, all)
			for _, s := range p.SignOffs {
				for _, want := range []string{s.Step, s.Name, s.Function, s.Signature} {
					if !strings.Contains(all, want) {
						t.Errorf("the sign-off table lacks %q", want)
					}
				}
			}
			for _, want := range []string{"1.4", "2.1", "3.3", "Ordinul SGG nr. 600/2018", "Paragraful 34:"} {
				if !strings.Contains(all, want) {
					t.Errorf("the document lacks %q", want)
				}
			}
			checkOrder(t, all, wantHeadings(p))
			checkContentsPages(t, pages, p)
			for _, alias := range []string{totalPagesAlias, "{p0"} {
				if strings.Contains(all, alias) {
					t.Errorf("alias %q was left in the text", alias)
				}
			}
		})
	}
}

// wantHeadings is the expected order of the headings: the table of contents
// first, then the same titles in the body.
func wantHeadings(p Procedure) []string {
	entries := p.contents(p.L)
	return append(append([]string{p.L.Contents}, entries...), entries...)
}

// checkRomanianText checks that the letters come back as written: ș ț with
// the comma below, not the cedilla, nothing replaced and no stray control
// characters (the symptom of a font or CMap that cannot map a letter).
func checkRomanianText(t *testing.T, text string) {
	t.Helper()
	if !strings.Contains(text, diacritics) {
		t.Errorf("the text lacks %q", diacritics)
	}
	for _, r := range []rune{'\u0219', '\u021B', '\u0218', '\u021A'} {
		if !strings.ContainsRune(text, r) {
			t.Errorf("the text lacks %U %c", r, r)
		}
	}
	for _, r := range text {
		if r == 'ş' || r == 'ţ' || r == 'Ş' || r == 'Ţ' || r == '\uFFFD' || (unicode.IsControl(r) && r != '\n') {
			t.Errorf("the text holds %U", r)
			return
		}
	}
}

// checkOrder checks that each of want occurs in text after the previous one.
func checkOrder(t *testing.T, text string, want []string) {
	t.Helper()
	pos := 0
	for _, w := range want {
		i := strings.Index(text[pos:], w)
		if i < 0 {
			t.Errorf("%q not found after position %d (in order %q)", w, pos, want)
			return
		}
		pos += i + len(w)
	}
}

// checkContentsPages checks that each entry of the table of contents gives
// the page its heading is printed on.
func checkContentsPages(t *testing.T, pages []string, p Procedure) {
	t.Helper()
	first := flat(pages[0])
	for _, entry := range p.contents(p.L) {
		m := regexp.MustCompile(regexp.QuoteMeta(entry) + ` (\d+)`).FindStringSubmatch(first)
		if m == nil {
			t.Errorf("the contents lack %q with a page number", entry)
			continue
		}
		// The heading is the last occurrence: the contents come first.
		printed := 0
		for i, page := range pages {
			if strings.Contains(flat(page), entry) {
				printed = i + 1
			}
		}
		if got, _ := strconv.Atoi(m[1]); got != printed {
			t.Errorf("the contents give page %d for %q, printed on page %d", got, entry, printed)
		}
	}
}

func TestWriteProcedurePDFEmpty(t *testing.T) {
	for name, p := range map[string]Procedure{
		"zero value":           {},
		"english, no sections": {Title: "Quality manual", L: DefaultLabelsEN(), Draft: true},
	} {
		t.Run(name, func(t *testing.T) {
			pages := renderProcedurePDF(t, p)
			l := p.labels()
			want := []string{l.Contents, l.SignOffCols[2], l.RevisionCols[4], l.DistributionCols[7],
				l.Page + " 1 " + l.Of + " " + strconv.Itoa(len(pages))}
			for _, w := range want {
				if !strings.Contains(flat(pages[0]), w) {
					t.Errorf("the first page lacks %q", w)
				}
			}
		})
	}
}

// A cell longer than a page must be split across pages, not loop or be cut.
func TestWriteProcedurePDFLongCell(t *testing.T) {
	p := sampleProcedure()
	p.Sections = nil
	long := strings.Repeat("Funcție publică de conducere în cadrul aparatului de specialitate. ", 250) + "SFÂRȘITUL CELULEI"
	p.SignOffs = append(p.SignOffs, SignOff{Step: "Aprobat", Name: "Țăranu Ștefan", Function: long})
	pages := renderProcedurePDF(t, p)
	if len(pages) < 3 {
		t.Fatalf("got %d pages, want the long cell to run over several", len(pages))
	}
	all := flat(strings.Join(pages, "\n"))
	for _, want := range []string{"1.5", "SFÂRȘITUL CELULEI", p.L.DistributionTitle, "3.3"} {
		if !strings.Contains(all, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	if got := strings.Count(all, "Funcție"); got != 250 {
		t.Errorf("the long cell holds %d of its 250 sentences", got)
	}
}

func renderProcedurePDF(t *testing.T, p Procedure) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteProcedurePDF(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("the output is not a PDF: %.20q", buf.Bytes())
	}
	return pdfPages(t, buf.Bytes())
}

func TestWriteProcedurePDFWriteError(t *testing.T) {
	err := WriteProcedurePDF(failWriter{errors.New("disk full")}, sampleProcedure())
	if err == nil || !strings.Contains(err.Error(), "cannot write procedure PDF") {
		t.Fatalf("got %v, want a wrapped write error", err)
	}
}

// Text fpdf cannot print as is must neither crash the renderer nor let a
// long title take over the pages.
func TestWriteProcedurePDFOddText(t *testing.T) {
	normal := len(renderProcedurePDF(t, sampleProcedure()))
	p := sampleProcedure()
	p.Title = strings.Repeat("Titlu foarte lung cu emoji 😀 și 𝔘 ", 100)
	p.Header = append(p.Header, strings.Repeat("X", 500))
	p.Sections[0].Body = "Petiție trimisă cu 👍\x00\x1b și ghilimele „românești”."
	p.SignOffs[0].Name = "Ana 😀"
	pages := renderProcedurePDF(t, p)
	if len(pages) > normal+1 {
		t.Errorf("a long title takes the document from %d to %d pages", normal, len(pages))
	}
	all := flat(strings.Join(pages, "\n"))
	for _, want := range []string{"Petiție trimisă cu \uFFFD și ghilimele „românești”.", "Ana \uFFFD", "Titlu foarte lung cu emoji \uFFFD și \uFFFD"} {
		if !strings.Contains(all, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
}
