package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
)

const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func TestWriteProcedureDOCX(t *testing.T) {
	for _, draft := range []bool{false, true} {
		name := map[bool]string{false: "in force", true: "draft"}[draft]
		t.Run(name, func(t *testing.T) {
			p := sampleProcedure()
			p.Draft, p.State = draft, "Stare: proiect"
			parts := renderDOCX(t, p)
			body := readWordXML(t, parts["word/document.xml"])
			header := readWordXML(t, parts["word/header1.xml"])
			footer := readWordXML(t, parts["word/footer1.xml"])

			var headings []string
			for _, para := range body.paras {
				if para.style == "Heading1" {
					headings = append(headings, para.text)
				}
			}
			if want := p.contents(p.L); !slices.Equal(headings, want) {
				t.Errorf("headings:\n got %q\nwant %q", headings, want)
			}
			all := body.text()
			checkRomanianText(t, all)
			checkOrder(t, all, wantHeadings(p)) // the contents, then the sections
			for _, s := range p.SignOffs {
				for _, want := range []string{"1.4", s.Step, s.Name, s.Function, s.Date, s.Signature} {
					if !strings.Contains(all, want) {
						t.Errorf("the sign-off table lacks %q", want)
					}
				}
			}
			for _, want := range []string{"2.1", "3.3", "Bălănescu Ioana", "Paragraful 34:", "asigură continuitatea activității;"} {
				if !strings.Contains(all, want) {
					t.Errorf("the body lacks %q", want)
				}
			}
			if got := strings.Contains(all, p.State); got != draft {
				t.Errorf("state shown = %v, want %v", got, draft)
			}
			for i := range p.contents(p.L) {
				if !slices.Contains(body.instr, "PAGEREF "+bookmarkName(i)+` \h`) || !slices.Contains(body.bookmarks, bookmarkName(i)) {
					t.Errorf("contents entry %d lacks its PAGEREF field or bookmark", i)
				}
			}

			hdr := header.text()
			for _, want := range []string{p.Header[2], p.Kind, p.Title, "Cod: PO-DAS-03", "Ediția: I", "Revizia: 0",
				"Exemplar nr.: 1", "Nr. exemplare: 3", "Compartiment: " + p.Unit, "Pagina 1 din 1"} {
				if !strings.Contains(hdr, want) {
					t.Errorf("the page header lacks %q:\n%s", want, hdr)
				}
			}
			for _, field := range []string{"PAGE", "NUMPAGES"} {
				if !slices.Contains(header.instr, field) {
					t.Errorf("the page header lacks the %s field: %q", field, header.instr)
				}
			}
			if got := strings.Contains(hdr, p.L.DraftMark); got != draft {
				t.Errorf("draft mark in the page header = %v, want %v", got, draft)
			}
			if !strings.Contains(footer.text(), p.Footer) {
				t.Errorf("the footer lacks %q", p.Footer)
			}
		})
	}
}

func TestWriteProcedureDOCXEscapes(t *testing.T) {
	const nasty = `Titlu <b>&amp; "ghilimele" și 'apostrof' & <&>"`
	p := Procedure{
		Header:   []string{"Primăria <Sat> & Co"},
		Kind:     nasty,
		Title:    nasty,
		Code:     `PO-<1>&"2"`,
		Sections: []Section{{Number: "4", Title: nasty, Body: nasty + "\n\n- " + nasty + "\x00\x1b"}},
		SignOffs: []SignOff{{Step: nasty, Name: "]]>"}},
		Footer:   nasty,
	}
	parts := renderDOCX(t, p)
	body := readWordXML(t, parts["word/document.xml"])
	header := readWordXML(t, parts["word/header1.xml"])

	if want := "4. " + nasty; !slices.ContainsFunc(body.paras, func(p wordPara) bool { return p.text == want }) {
		t.Errorf("no paragraph reads %q exactly", want)
	}
	// The section body, the bullet item, the sign-off step; and the name.
	for want, n := range map[string]int{nasty: 3, "]]>": 1} {
		if got := strings.Count(body.text(), want); got < n {
			t.Errorf("%q occurs %d times in the body, want it back intact %d times", want, got, n)
		}
	}
	for _, want := range []string{nasty, "Primăria <Sat> & Co", `Cod: PO-<1>&"2"`} {
		if !strings.Contains(header.text(), want) {
			t.Errorf("the page header lacks %q", want)
		}
	}
	var core struct {
		Title   string `xml:"title"`
		Subject string `xml:"subject"`
	}
	if err := xml.Unmarshal(parts["docProps/core.xml"], &core); err != nil {
		t.Fatal(err)
	}
	if core.Title != nasty || core.Subject != p.Code {
		t.Errorf("core properties: title %q, subject %q", core.Title, core.Subject)
	}
}

func TestWriteProcedureDOCXEmpty(t *testing.T) {
	parts := renderDOCX(t, Procedure{})
	body := readWordXML(t, parts["word/document.xml"])
	l := DefaultLabelsRO()
	for _, want := range []string{l.Contents, l.SignOffTitle, l.SignOffCols[5], l.DistributionCols[7]} {
		if !strings.Contains(body.text(), want) {
			t.Errorf("the empty procedure lacks %q", want)
		}
	}
}

func TestWriteProcedureDOCXWriteError(t *testing.T) {
	err := WriteProcedureDOCX(failWriter{errors.New("disk full")}, sampleProcedure())
	if err == nil || !strings.Contains(err.Error(), "cannot ") {
		t.Fatalf("got %v, want a wrapped write error", err)
	}
}

// TestWriteProcedureDOCXOpensInLibreOffice converts the document to PDF with
// LibreOffice when it is installed (it is not in CI).
func TestWriteProcedureDOCXOpensInLibreOffice(t *testing.T) {
	bin, err := exec.LookPath("libreoffice")
	if err != nil {
		bin, err = exec.LookPath("soffice")
	}
	if err != nil {
		t.Skip("LibreOffice is not installed")
	}
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to start")
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	p := sampleProcedure()
	p.Draft = true
	if err := WriteProcedureDOCX(&buf, p); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "procedura.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A profile of its own, so that a LibreOffice already running for the
	// user does not take the conversion over.
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice failed: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "procedura.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	// LibreOffice writes standard CMaps, which ledongthuc reads as they are.
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(rd)
	for _, want := range []string{"PO-DAS-03", "Ștefănescu Țicu", p.L.DraftMark} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("the converted PDF lacks %q", want)
		}
	}
	if r.NumPage() < 3 {
		t.Errorf("the converted PDF has %d pages, want several", r.NumPage())
	}
}

// renderDOCX writes p and returns its parts, after checking that the
// package holds the parts Word needs, each declared in [Content_Types].xml,
// and that every part is well-formed XML.
func renderDOCX(t *testing.T, p Procedure) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteProcedureDOCX(&buf, p); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("the output is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
		checkWellFormed(t, f.Name, b)
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/_rels/document.xml.rels", "word/header1.xml", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"} {
		if parts[name] == nil {
			t.Errorf("the package lacks %s", name)
		}
	}
	for name := range parts {
		if !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" &&
			!bytes.Contains(parts["[Content_Types].xml"], []byte(`PartName="/`+name+`"`)) {
			t.Errorf("[Content_Types].xml does not declare %s", name)
		}
	}
	return parts
}

func checkWellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v", name, err)
		}
	}
}

// wordXML is what a test reads back from a WordprocessingML part.
type wordXML struct {
	paras     []wordPara
	instr     []string // field instructions, trimmed
	bookmarks []string
}

type wordPara struct{ style, text string }

func (w wordXML) text() string {
	lines := make([]string, len(w.paras))
	for i, p := range w.paras {
		lines[i] = p.text
	}
	return strings.Join(lines, "\n")
}

// readWordXML collects the text of each paragraph (w:t, with w:br as a line
// break) and the field instructions and bookmarks.
func readWordXML(t *testing.T, b []byte) wordXML {
	t.Helper()
	var w wordXML
	var cur *wordPara
	var inT, inInstr bool
	var instr strings.Builder
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return w
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space != wordNS {
				continue
			}
			switch tok.Name.Local {
			case "p":
				cur = &wordPara{}
			case "pStyle":
				cur.style = attr(tok, "val")
			case "t":
				inT = true
			case "br":
				cur.text += "\n"
			case "instrText":
				inInstr = true
				instr.Reset()
			case "bookmarkStart":
				w.bookmarks = append(w.bookmarks, attr(tok, "name"))
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "p":
				w.paras = append(w.paras, *cur)
			case "t":
				inT = false
			case "instrText":
				inInstr = false
				w.instr = append(w.instr, strings.TrimSpace(instr.String()))
			}
		case xml.CharData:
			if inT {
				cur.text += string(tok)
			}
			if inInstr {
				instr.Write(tok)
			}
		}
	}
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
