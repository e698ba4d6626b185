package report

import (
	"bytes"
	"encoding/hex"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// pdfPages returns the text of each page of a PDF, one line per text-showing
// operator (fpdf writes one per printed line), in the order it was drawn.
//
// Why not ledongthuc's GetPlainText: fpdf maps its UTF-8 fonts to Unicode
// with a single CMap range "<0000> <FFFF> <0000>". ISO 32000-1 (9.10.3)
// allows a bfrange to vary only in its last byte, and ledongthuc follows it
// to the letter, so every letter above U+00FF loses its high byte (ș, U+0219,
// comes back as U+0019). Acrobat, pdf.js and poppler read the range as one
// arithmetic span. This helper still lets ledongthuc parse the file, find
// the pages, inflate and tokenise the streams; it only applies the CMap the
// lenient way.
func pdfPages(t *testing.T, b []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the output does not open as a PDF: %v", err)
	}
	pages := make([]string, r.NumPage())
	for i := range pages {
		pages[i] = pageText(t, r.Page(i+1))
	}
	return pages
}

func pageText(t *testing.T, p pdf.Page) string {
	t.Helper()
	fonts := map[string]toUnicode{}
	res := p.Resources().Key("Font")
	for _, name := range res.Keys() {
		fonts[name] = readToUnicode(t, res.Key(name).Key("ToUnicode"))
	}
	var lines []string
	var cur toUnicode
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "Tf":
			cur = fonts[args[0].Name()]
		case "Tj", "'":
			lines = append(lines, cur.decode(args[len(args)-1].RawString()))
		case "TJ":
			var s strings.Builder
			for i := 0; i < args[0].Len(); i++ {
				if v := args[0].Index(i); v.Kind() == pdf.String {
					s.WriteString(cur.decode(v.RawString()))
				}
			}
			lines = append(lines, s.String())
		}
	})
	return strings.Join(lines, "\n")
}

// toUnicode is the bfrange part of a ToUnicode CMap for two-byte codes,
// which is all fpdf writes; nil decodes bytes as Latin-1.
type toUnicode []cmapRange

type cmapRange struct{ lo, hi, dst rune }

// bfrangeLine matches one "<lo> <hi> <dst>" line of a CMap.
var bfrangeLine = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)

// readToUnicode reads the bfranges of a CMap stream (ledongthuc inflates
// it). A regular expression is enough for the few lines fpdf writes.
func readToUnicode(t *testing.T, v pdf.Value) toUnicode {
	t.Helper()
	if v.Kind() != pdf.Stream {
		return nil
	}
	rd := v.Reader()
	defer rd.Close()
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("cannot read ToUnicode CMap: %v", err)
	}
	var m toUnicode
	for _, block := range strings.Split(string(b), "beginbfrange")[1:] {
		block, _, _ = strings.Cut(block, "endbfrange")
		for _, f := range bfrangeLine.FindAllStringSubmatch(block, -1) {
			m = append(m, cmapRange{hexCode(t, f[1]), hexCode(t, f[2]), hexCode(t, f[3])})
		}
	}
	if len(m) == 0 {
		t.Fatalf("the ToUnicode CMap has no bfrange: %q", b)
	}
	return m
}

func hexCode(t *testing.T, s string) rune {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad CMap code %q: %v", s, err)
	}
	return code(string(b))
}

// code reads a big-endian CMap code.
func code(s string) rune {
	var r rune
	for i := 0; i < len(s); i++ {
		r = r<<8 | rune(s[i])
	}
	return r
}

func (m toUnicode) decode(raw string) string {
	if m == nil {
		return raw
	}
	var out []rune
	for i := 0; i+1 < len(raw); i += 2 {
		c := code(raw[i : i+2])
		r := '\uFFFD'
		for _, rg := range m {
			if rg.lo <= c && c <= rg.hi {
				r = rg.dst + c - rg.lo
				break
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// flat joins the lines of text with spaces: fpdf wraps at spaces and drops
// them, so this gives back the sentences that were wrapped.
func flat(s string) string {
	return strings.ReplaceAll(s, "\n", " ")
}
