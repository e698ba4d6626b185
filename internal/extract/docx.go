package extract

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

const (
	// maxDocxXML bounds the inflated size of word/document.xml. A zip bomb
	// (a few kilobytes inflating to gigabytes) is refused before inflating.
	maxDocxXML = 50 << 20
	// maxXMLDepth bounds element nesting. Real documents nest a few dozen
	// levels (tables in tables); deeper means a file built to grow the
	// decoder's stack.
	maxXMLDepth = 512
)

// WordprocessingML namespaces: transitional (what Word writes) and strict.
const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
)

var errDocxFull = errors.New("text limit reached")

// docxText returns the text of the document body: the w:t runs, with tabs
// and breaks, one paragraph a line. Headers, footers, comments and deleted
// revisions (w:delText) are left out.
func docxText(r io.ReaderAt, size int64, maxRunes int) (string, error) {
	body, err := openDocxBody(r, size)
	if err != nil {
		return "", err
	}
	defer body.Close()

	out := newTextBuf(maxRunes)
	if err := walkDocx(xml.NewDecoder(body), out); err != nil && !errors.Is(err, errDocxFull) {
		return "", err
	}
	return out.String(), nil
}

// openDocxBody opens word/document.xml after checking its declared size.
// The read is limited as well: archive/zip also refuses a member that
// inflates past its declared size, but the limit here should not depend on
// that.
func openDocxBody(r io.ReaderAt, size int64) (io.ReadCloser, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("cannot open docx: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		if f.UncompressedSize64 > maxDocxXML {
			return nil, tooComplex("word/document.xml inflates to %d bytes", f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("cannot open docx body: %w", err)
		}
		return struct {
			io.Reader
			io.Closer
		}{io.LimitReader(rc, maxDocxXML), rc}, nil
	}
	return nil, errors.New("cannot open docx body: word/document.xml is missing")
}

// walkDocx streams the body's XML into out. Streaming keeps memory flat
// whatever the document's length.
func walkDocx(dec *xml.Decoder, out *textBuf) error {
	w := docxWalker{out: out}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("cannot parse docx body: %w", err)
		}
		if err := w.token(tok); err != nil {
			return err
		}
		if out.full() {
			return errDocxFull
		}
	}
}

// markupCompatNS holds mc:AlternateContent. Word writes a text box twice,
// as DrawingML in mc:Choice and as VML in mc:Fallback; only the first copy
// is read.
const markupCompatNS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

type docxWalker struct {
	out    *textBuf
	depth  int
	inText int // open w:t elements
	skipTo int // while > 0, the depth of the mc:Fallback being skipped
}

func (w *docxWalker) token(tok xml.Token) error {
	switch tok := tok.(type) {
	case xml.StartElement:
		if w.depth++; w.depth > maxXMLDepth {
			return tooComplex("docx nests deeper than %d elements", maxXMLDepth)
		}
		if w.skipTo == 0 && tok.Name.Space == markupCompatNS && tok.Name.Local == "Fallback" {
			w.skipTo = w.depth
		}
		if w.skipTo == 0 {
			w.start(tok.Name)
		}
	case xml.EndElement:
		if w.skipTo == 0 {
			w.end(tok.Name)
		}
		if w.depth == w.skipTo {
			w.skipTo = 0
		}
		w.depth--
	case xml.CharData:
		if w.inText > 0 && w.skipTo == 0 {
			w.out.WriteString(string(tok))
		}
	}
	return nil
}

func (w *docxWalker) start(n xml.Name) {
	if !isWord(n) {
		return
	}
	switch n.Local {
	case "t":
		w.inText++
	case "tab", "ptab":
		w.out.sep('\t')
	case "br", "cr":
		w.out.sep('\n')
	}
}

func (w *docxWalker) end(n xml.Name) {
	if !isWord(n) {
		return
	}
	switch n.Local {
	case "t":
		w.inText--
	case "p":
		w.out.sep('\n')
	}
}

func isWord(n xml.Name) bool {
	return n.Space == wordNS || n.Space == wordStrictNS
}
