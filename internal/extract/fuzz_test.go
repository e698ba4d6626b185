package extract

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz/FuzzText from the fixture builders")

// FuzzText feeds arbitrary bytes to Detect and to Text as both a PDF and a
// DOCX. Whatever the input, they must return (no panic, no runaway) and
// Text's output must keep its promises. Seeds live in testdata/fuzz/FuzzText.
func FuzzText(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		r, size := bytes.NewReader(data), int64(len(data))
		Detect("upload.pdf", r, size)
		Detect("upload.docx", r, size)
		for _, k := range []Kind{PDF, DOCX} {
			start := time.Now()
			s, _ := Text(k, r, size, 300)
			// The fuzzer has no per-input timeout: a runaway input would
			// only show as a stall. Failing makes it keep the input.
			if d := time.Since(start); d > 2*time.Second*slowdown {
				t.Fatalf("Text(%s) took %v", k, d)
			}
			checkClean(t, s, 300)
		}
	})
}

// TestWriteFuzzSeeds regenerates the seed corpus:
//
//	go test ./internal/extract/ -run TestWriteFuzzSeeds -update-seeds
//
// Crashers the fuzzer finds are kept next to these under their own names.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*updateSeeds {
		t.Skip("run with -update-seeds to rewrite the corpus")
	}
	cmap := "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"2 beginbfchar <0001> <0219> <0002> <021B> endbfchar\n" +
		"1 beginbfrange <0010> <0012> <0103> endbfrange\n"
	seeds := map[string][]byte{
		"pdf-fpdf-plain": makePDF(t, false, []string{"Procedură ș ț"}),
		"pdf-operators": onePage(helvetica, `BT /F1 12 Tf 72 712 Td (Hello) Tj [(w) -300 (x)] TJ T* (\223a\224) Tj ET `+
			"BI /W 1 /H 1 ID \x00 EI"),
		"pdf-cmap": onePage("<</Type/Font /Subtype/Type0 /Encoding/Identity-H /ToUnicode 6 0 R>>",
			"BT /F1 12 Tf <000100020010> Tj ET", stream("", cmap)),
		"pdf-flate": rawPDF(
			"<</Type/Catalog /Pages 2 0 R>>",
			"<</Type/Pages /Kids [3 0 R] /Count 1>>",
			"<</Type/Page /Parent 2 0 R /Resources <</Font <</F1 5 0 R>>>> /Contents 4 0 R>>",
			flateStream("", []byte("BT /F1 9 Tf (flate) Tj ET")),
			helvetica,
		),
		"docx-stored": makeZip(t, zip.Store,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"word/document.xml", docxBody(para("Procedură"), `<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p>`)},
		),
		"docx-deflated": makeDOCX(t, docxBody(para(romanian))),
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzText")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range seeds {
		corpus := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(corpus), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
