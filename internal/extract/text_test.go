package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func text(t *testing.T, k Kind, b []byte, maxRunes int) (string, error) {
	t.Helper()
	start := time.Now()
	s, err := Text(k, bytes.NewReader(b), int64(len(b)), maxRunes)
	if d := time.Since(start); d > 2*time.Second*slowdown {
		t.Errorf("Text took %v", d)
	}
	checkClean(t, s, maxRunes)
	return s, err
}

// checkClean asserts what Text promises of any output.
func checkClean(t testing.TB, s string, maxRunes int) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8: %q", s)
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		t.Fatalf("%d runes, limit %d", n, maxRunes)
	}
	for _, r := range s {
		if r < ' ' && r != '\n' && r != '\t' || r == utf8.RuneError || r == 0x7f {
			t.Fatalf("control or replacement character %U in %q", r, s)
		}
	}
	if strings.TrimSpace(s) != s {
		t.Fatalf("leading or trailing space in %q", s)
	}
}

func TestDOCXText(t *testing.T) {
	body := docxBody(
		para(romanian),
		`<w:p><w:r><w:t>Cod:</w:t></w:r><w:r><w:tab/><w:t>PO-01</w:t></w:r><w:r><w:br/><w:t>Ediția 2</w:t></w:r></w:p>`,
		`<w:p/><w:p/>`,
		`<w:p><w:r><w:t>Revizia</w:t></w:r><w:del><w:r><w:delText>șters</w:delText></w:r></w:del>`+
			`<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t xml:space="preserve"> 3 &amp; 4</w:t></w:r></w:p>`,
		`<w:p><w:r><mc:AlternateContent xmlns:mc="`+markupCompatNS+`"><mc:Choice Requires="wps"><w:txbxContent>`+
			para("Caseta")+`</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>`+para("Caseta")+
			`</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Întocmit</w:t></w:r></w:p></w:tc>`+
			`<w:tc><w:p><w:r><w:t>Verificat</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
	)
	got, err := text(t, DOCX, makeDOCX(t, body), 1000)
	if err != nil {
		t.Fatal(err)
	}
	want := romanian + "\nCod:\tPO-01\nEdiția 2\nRevizia 3 & 4\nCaseta\nÎntocmit\nVerificat"
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestDOCXStrictNamespace(t *testing.T) {
	body := `<w:document xmlns:w="` + wordStrictNS + `"><w:body><w:p><w:r><w:t>strict</w:t></w:r></w:p></w:body></w:document>`
	if got, err := text(t, DOCX, makeDOCX(t, body), 100); err != nil || got != "strict" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestDOCXMaxRunes(t *testing.T) {
	b := makeDOCX(t, docxBody(para(romanian), para(romanian)))
	got, err := text(t, DOCX, b, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got != "Procedură" {
		t.Fatalf("got %q", got)
	}
	if got, _ := text(t, DOCX, b, 0); got != "" {
		t.Fatalf("maxRunes 0 gave %q", got)
	}
}

func TestDOCXZipBomb(t *testing.T) {
	// The declared size is over the limit: refused before inflating.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: maxDocxXML + 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	zw.Close()
	if _, err := text(t, DOCX, buf.Bytes(), 100); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
}

func TestDOCXLyingSize(t *testing.T) {
	// The declared size is small but the member inflates to 8 MB of
	// nested text: archive/zip stops at the declared size.
	var inner bytes.Buffer
	inner.WriteString(`<w:document ` + wordNSAttr + `><w:body><w:p><w:r><w:t>`)
	inner.WriteString(strings.Repeat("a", 8<<20))
	var deflated bytes.Buffer
	fw := zip.NewWriter(&deflated)
	w, _ := fw.CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Deflate})
	w.Write(inner.Bytes())
	fw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(deflated.Bytes()), int64(deflated.Len()))
	raw, _ := zr.File[0].OpenRaw()
	compressed := new(bytes.Buffer)
	compressed.ReadFrom(raw)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	rw, err := zw.CreateRaw(&zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: uint64(compressed.Len()), UncompressedSize64: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	rw.Write(compressed.Bytes())
	zw.Close()
	if _, err := text(t, DOCX, buf.Bytes(), 1<<20); err == nil {
		t.Fatal("a member inflating past its declared size was read")
	}
}

func TestDOCXDeepNesting(t *testing.T) {
	body := `<w:document ` + wordNSAttr + `>` + strings.Repeat("<w:x>", maxXMLDepth+10)
	if _, err := text(t, DOCX, makeDOCX(t, body), 100); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
}

func TestDOCXMalformed(t *testing.T) {
	missing := makeZip(t, zip.Deflate, [2]string{"[Content_Types].xml", contentTypes})
	for name, b := range map[string][]byte{
		"not a zip":              []byte("not a zip at all"),
		"missing body":           missing,
		"broken xml":             makeDOCX(t, `<w:document `+wordNSAttr+`><w:body><w:p>`+para("x")+`</w:body>`),
		"undeclared entity":      makeDOCX(t, docxBody(para("&bomb;"))),
		"empty":                  nil,
		"doctype entity attempt": makeDOCX(t, `<!DOCTYPE d [<!ENTITY a "aaaa">]>`+docxBody(para("&a;"))),
	} {
		if got, err := text(t, DOCX, b, 100); err == nil {
			t.Errorf("%s: no error, text %q", name, got)
		}
	}
}

func TestPDFText(t *testing.T) {
	b := makePDF(t, true,
		[]string{romanian, "Cod: PO-01, ediția 2"},
		[]string{"Pagina a doua: Întocmit, Verificat, Aprobat"},
	)
	got, err := text(t, PDF, b, 10000)
	if err != nil {
		t.Fatal(err)
	}
	want := romanian + "\nCod: PO-01, ediția 2\nPagina a doua: Întocmit, Verificat, Aprobat"
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestPDFMaxRunes(t *testing.T) {
	b := makePDF(t, false, []string{romanian})
	got, err := text(t, PDF, b, 20)
	if err != nil {
		t.Fatal(err)
	}
	if got != "Procedură operaționa" {
		t.Fatalf("got %q", got)
	}
}

func TestPDFSimpleFontOperators(t *testing.T) {
	content := `BT /F1 12 Tf 72 712 Td (Hello) Tj [(w) 20 (or) -20 (ld) -300 (again)] TJ 0 -14 Td ` +
		`(\(line\) \124wo) Tj T* (\223three\224) Tj ET ` +
		`BI /W 4 /H 4 /BPC 8 /CS /G ID ` + "\x00EI\xff(Tj) Tj" + ` EI ` +
		`BT /F1 12 Tf /Span <</ActualText (x)>> BDC (four) Tj EMC ET`
	got, err := text(t, PDF, onePage(helvetica, content), 1000)
	if err != nil {
		t.Fatal(err)
	}
	want := "Helloworld again\n(line) Two\n“three”\nfour"
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// The CMap declares two billion entries; ledongthuc's CMap reader would
// loop and allocate that many. Ours ignores the count.
func TestPDFCMapFalseCount(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"2000000000 beginbfchar <0001> <0219> <0002> <021B> endbfchar\n" +
		"2000000000 beginbfrange <0010> <0012> <0103> <0020> <0021> [<00E2> <00EE>] endbfrange\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	font := "<</Type/Font /Subtype/Type0 /BaseFont/X+Test /Encoding/Identity-H /ToUnicode 6 0 R>>"
	content := "BT /F1 12 Tf <0001 0002 0010 0011 0020 0021 0099> Tj ET"
	got, err := text(t, PDF, onePage(font, content, stream("", cmap)), 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := "șțăĄâî"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestPDFNoText(t *testing.T) {
	got, err := text(t, PDF, onePage(helvetica, "0 0 m 100 100 l S"), 100)
	if err != nil || got != "" {
		t.Fatalf("got %q, %v; want no text and no error", got, err)
	}
}

// Files built to exhaust ledongthuc/pdf: each must end quickly, without
// panicking, with an error.
func TestPDFHostile(t *testing.T) {
	pad := "%" + strings.Repeat("x", 120) + "\n"
	xrefTrick := func(section string) []byte {
		s := "%PDF-1.4\n" + pad
		return fmt.Appendf(nil, "%sxref\n%s\ntrailer\n<</Size 1>>\nstartxref\n%d\n%%%%EOF\n", s, section, len(s))
	}
	xrefStream := func(dict string) []byte {
		s := "%PDF-1.5\n" + pad
		obj := "1 0 obj\n" + stream("/Type/XRef "+dict, "\x01\x00\x00\x00") + "\nendobj\n"
		return fmt.Appendf(nil, "%s%sstartxref\n%d\n%%%%EOF\n", s, obj, len(s))
	}
	contentBomb := rawPDF(
		"<</Type/Catalog /Pages 2 0 R>>",
		"<</Type/Pages /Kids [3 0 R] /Count 1>>",
		"<</Type/Page /Parent 2 0 R /Contents 4 0 R>>",
		flateStream("", bytes.Repeat([]byte("1 "), maxContentBytes)),
	)
	selfKids := rawPDF("<</Type/Catalog /Pages 2 0 R>>", "<</Type/Pages /Kids [2 0 R 2 0 R] /Count 2>>")
	selfPrev := func() []byte {
		b := rawPDF("<</Type/Catalog /Pages 2 0 R>>", "<</Type/Pages /Kids [] /Count 0>>")
		start := bytes.LastIndex(b, []byte("startxref\n")) + len("startxref\n")
		var xref int
		fmt.Sscanf(string(b[start:]), "%d", &xref)
		return bytes.Replace(b, []byte("/Root 1 0 R"), fmt.Appendf(nil, "/Root 1 0 R /Prev %d", xref), 1)
	}()

	tests := map[string]struct {
		pdf     []byte
		complex bool // must be refused with ErrTooComplex
	}{
		"xref section at object 4e9":    {xrefTrick("4000000000 1\n0000000000 00000 n "), true},
		"xref stream /Size 4e9":         {xrefStream("/Size 4000000000 /W [1 2 1]"), true},
		"xref stream escaped /S#69ze":   {xrefStream("/S#69ze 4000000000 /W [1 2 1]"), true},
		"xref stream /W 4e9":            {xrefStream("/Size 1 /W [1 4000000000 1]"), true},
		"xref stream /Index":            {xrefStream("/Size 1 /W [1 2 1] /Index [4000000000 1]"), true},
		"predictor /Columns 4e9":        {xrefStream("/Size 1 /W [1 2 1] /DecodeParms <</Predictor 12 /Columns 4000000000>>"), true},
		"indirect /Columns":             {xrefStream("/Size 1 /W [1 2 1] /DecodeParms <</Predictor 12 /Columns 9 0 R>>"), true},
		"indirect /DecodeParms":         {xrefStream("/Size 1 /W [1 2 1] /DecodeParms 9 0 R"), true},
		"object stream /N 1e18":         {onePage(helvetica, "", stream("/Type/ObjStm /N 1000000000000000000 /First 4", "7 0 1")), true},
		"page content bomb":             {contentBomb, true},
		"page tree pointing at itself":  {selfKids, true},
		"xref /Prev pointing at itself": {selfPrev, true},
		"truncated":                     {makePDF(t, true, []string{romanian})[:2000], false},
		"not a pdf":                     {[]byte("%PDF-1.4\n" + pad + "garbage"), false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := text(t, PDF, tt.pdf, 100)
			if err == nil {
				t.Fatalf("no error, text %q", got)
			}
			if tt.complex && !errors.Is(err, ErrTooComplex) {
				t.Fatalf("err = %v, want ErrTooComplex", err)
			}
		})
	}
}

// The guard must not refuse the numbers real files have: a large
// startxref offset (which contains "xref"), font widths (/W arrays with
// sub-arrays), linearization counts.
func TestCheckPDFAcceptsRealNumbers(t *testing.T) {
	for _, s := range []string{
		"startxref\n90000000\n%%EOF\n12 0 obj\n<</Type/Page>>\nendobj\n",
		"<</Type/Font /W [1 [500 600] 3 65000 500 10 [250]]>>",
		"<</Linearized 1 /L 9000000 /N 1500 /T 8999000>>",
		"<</Type/XRef /Size 120000 /W [1 3 2] /Index [0 1 5000 300]>>",
		"<</DecodeParms <</JBIG2Globals 12 0 R>>>>",
		"<</Filter [/FlateDecode /DCTDecode] /DecodeParms [<</Columns 4000>> null]>>",
	} {
		if err := checkPDF([]byte(s)); err != nil {
			t.Errorf("checkPDF(%q) = %v", s, err)
		}
	}
}

func TestCheckPDFBoundedWork(t *testing.T) {
	// One line of "/N %/N %…": every /N reads the rest of the line as a
	// comment before its value, so a naive scan would take some 10^11
	// steps. The work budget refuses it after a few million.
	b := []byte(strings.Repeat("/N %", 1<<18) + "\n1")
	start := time.Now()
	err := checkPDF(b)
	if d := time.Since(start); d > 2*time.Second*slowdown {
		t.Fatalf("scan of %d bytes took %v", len(b), d)
	}
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
}

func TestTextOtherKinds(t *testing.T) {
	for _, k := range []Kind{PNG, JPEG, XLSX, ODT, "exe"} {
		if got, err := Text(k, bytes.NewReader([]byte("x")), 1, 100); got != "" || err != nil {
			t.Errorf("Text(%q) = %q, %v", k, got, err)
		}
	}
}
