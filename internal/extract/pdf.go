package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/ledongthuc/pdf"
)

// ledongthuc/pdf reads the file structure (cross-reference tables, object
// streams, filters, encryption); this package walks the pages and reads the
// content streams and CMaps itself, because the library's own text
// functions have no limits (see pdflex.go). The library panics on many
// malformed files and loops forever on some (a /Prev chain or page tree
// that points back at itself), so every call into it runs under recover
// and all its reads go through a budget.
const (
	maxPDFBytes = 64 << 20
	maxPages    = 2000
	// maxPageNodes bounds page-tree nodes visited, pages included, so a
	// tree whose kids point back at their parent ends.
	maxPageNodes = 2 * maxPages
	maxTreeDepth = 64
	// maxContentBytes bounds the inflated content of one page; text pages
	// take tens of kilobytes, a few megabytes means vector drawings.
	maxContentBytes = 4 << 20
	maxCMapBytes    = 1 << 20
	// maxInflated bounds all bytes inflated for one document.
	maxInflated = 64 << 20
	// maxFonts bounds the decoders kept for the document and looked up for
	// one page.
	maxFonts     = 256
	maxPageFonts = 64
	// Every read by the library costs at least minReadCost against a budget
	// of readBudgetBase plus readBudgetPerByte times the file size. The
	// library re-reads an object each time it is used, about 12 KB a page
	// for a typical document, so 2000 pages fit in the base; a loop reads
	// until the budget ends it, in about a third of a second.
	minReadCost       = 1 << 10
	readBudgetBase    = 32 << 20
	readBudgetPerByte = 32
)

var errBudget = errors.New("read budget exhausted")

// budgetReader is an io.ReaderAt that fails once a read budget is spent.
type budgetReader struct {
	r       io.ReaderAt
	left    int64
	refused bool
}

func (b *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	cost := max(int64(len(p)), minReadCost)
	if b.refused || b.left < cost {
		b.refused = true
		return 0, errBudget
	}
	b.left -= cost
	return b.r.ReadAt(p, off)
}

func (b *budgetReader) spent() bool { return b.refused }

// safely runs f, turning a panic into an error.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed pdf: %v", r)
		}
	}()
	return f()
}

func pdfText(r io.ReaderAt, size int64, maxRunes int) (string, error) {
	data, err := readPDF(r, size)
	if err != nil {
		return "", err
	}
	doc, budget, err := openPDF(data)
	if err != nil {
		return "", err
	}
	x := &pdfExtractor{
		out:      newTextBuf(maxRunes),
		budget:   budget,
		fonts:    map[string]decoder{},
		pages:    maxPages,
		nodes:    maxPageNodes,
		inflated: maxInflated,
	}
	return x.text(doc)
}

// readPDF loads the file and scans it for what the library cannot survive.
// The library reads the same parts again and again, so holding the file in
// memory is also the faster way.
func readPDF(r io.ReaderAt, size int64) ([]byte, error) {
	if size < 0 || size > maxPDFBytes {
		return nil, fmt.Errorf("cannot read pdf: %w", tooComplex("%d bytes", size))
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(r, 0, size), data); err != nil {
		return nil, fmt.Errorf("cannot read pdf: %w", err)
	}
	if err := checkPDF(data); err != nil {
		return nil, fmt.Errorf("cannot read pdf: %w", err)
	}
	return data, nil
}

// openPDF reads the cross-reference data through a read budget, which stays
// in force for everything read from the document afterwards.
func openPDF(data []byte) (*pdf.Reader, *budgetReader, error) {
	size := int64(len(data))
	budget := &budgetReader{r: bytes.NewReader(data), left: readBudgetBase + readBudgetPerByte*size}
	var doc *pdf.Reader
	err := safely(func() (err error) {
		doc, err = pdf.NewReader(budget, size)
		return err
	})
	if budget.spent() {
		return nil, nil, fmt.Errorf("cannot open pdf: %w", tooComplex("structure loops"))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open pdf: %w", err)
	}
	return doc, budget, nil
}

// pdfExtractor holds the state and the remaining limits of one extraction.
type pdfExtractor struct {
	out      *textBuf
	budget   *budgetReader
	fonts    map[string]decoder
	pages    int
	nodes    int
	inflated int64
	err      error // the first problem met, reported only if no text came out
}

// text walks the page tree from the catalog and returns what it read.
func (x *pdfExtractor) text(doc *pdf.Reader) (string, error) {
	var root pdf.Value
	if err := safely(func() error { root = doc.Trailer().Key("Root").Key("Pages"); return nil }); err != nil {
		return "", fmt.Errorf("cannot read pdf page tree: %w", err)
	}
	x.walk(root, 0)
	if text := x.out.String(); text != "" || x.err == nil {
		return text, nil
	}
	return "", x.err
}

func (x *pdfExtractor) fail(err error) {
	if x.err == nil {
		x.err = err
	}
}

// stopped reports whether a limit ends the extraction here.
func (x *pdfExtractor) stopped() bool {
	switch {
	case x.out.full(), x.pages <= 0:
		return true
	case x.nodes <= 0:
		x.fail(tooComplex("more than %d page-tree nodes", maxPageNodes))
	case x.inflated <= 0:
		x.fail(tooComplex("more than %d inflated bytes", maxInflated))
	case x.budget.spent():
		x.fail(tooComplex("pdf structure loops"))
	default:
		return false
	}
	return true
}

// walk visits the page tree depth first, in page order. A node with /Kids
// is an inner node; anything else is taken for a page, as readers do when
// /Type is missing.
func (x *pdfExtractor) walk(node pdf.Value, depth int) {
	if x.stopped() {
		return
	}
	x.nodes--
	var kids pdf.Value
	if err := safely(func() error { kids = node.Key("Kids"); return nil }); err != nil {
		x.fail(err)
		return
	}
	if kids.Kind() != pdf.Array {
		x.pages--
		if err := safely(func() error { return x.page(pdf.Page{V: node}) }); err != nil {
			x.fail(fmt.Errorf("cannot read pdf page: %w", err))
		}
		return
	}
	if depth >= maxTreeDepth {
		x.fail(tooComplex("page tree deeper than %d", maxTreeDepth))
		return
	}
	for i := 0; i < kids.Len() && !x.stopped(); i++ {
		var kid pdf.Value
		if err := safely(func() error { kid = kids.Index(i); return nil }); err != nil {
			x.fail(err)
			continue
		}
		x.walk(kid, depth+1)
	}
}

// page adds the text of one page.
func (x *pdfExtractor) page(p pdf.Page) error {
	content, err := x.contents(p.V.Key("Contents"))
	if err != nil {
		return err
	}
	x.out.sep('\n')
	ip := &contentReader{
		x:        x,
		fontDict: p.Resources().Key("Font"),
		fonts:    map[string]decoder{},
		dec:      pdfDocTable(),
	}
	ip.run(content)
	return nil
}

// contents inflates a page's content: one stream or an array of streams,
// which the format reads as one.
func (x *pdfExtractor) contents(v pdf.Value) ([]byte, error) {
	if v.Kind() == pdf.Stream {
		return x.inflate(v, maxContentBytes)
	}
	var all []byte
	for i := 0; i < v.Len() && !x.stopped(); i++ {
		b, err := x.inflate(v.Index(i), maxContentBytes-int64(len(all)))
		if err != nil {
			return nil, err
		}
		all = append(append(all, b...), '\n')
	}
	return all, nil
}

// inflate returns the decoded data of a stream, refusing more than limit
// bytes or more than the document has left. A stream cut short (a common
// flaw) still gives what could be read.
func (x *pdfExtractor) inflate(v pdf.Value, limit int64) ([]byte, error) {
	if v.Kind() != pdf.Stream {
		return nil, nil
	}
	limit = min(limit, x.inflated)
	b, err := io.ReadAll(io.LimitReader(v.Reader(), limit+1))
	x.inflated -= int64(len(b))
	switch {
	case x.budget.spent():
		return nil, tooComplex("pdf structure loops")
	case int64(len(b)) > limit:
		return nil, tooComplex("stream inflates past %d bytes", limit)
	case err != nil && len(b) == 0:
		return nil, fmt.Errorf("cannot inflate pdf stream: %w", err)
	}
	return b, nil
}

// decoder returns the decoder for a font dictionary, cached for the
// document. Two dictionaries with the same key are taken to be the same
// font; subset fonts carry a unique prefix in /BaseFont.
func (x *pdfExtractor) decoder(font pdf.Value) decoder {
	key := fontKey(font)
	if d, ok := x.fonts[key]; ok {
		return d
	}
	d := x.newDecoder(font)
	if len(x.fonts) < maxFonts {
		x.fonts[key] = d
	}
	return d
}

func fontKey(font pdf.Value) string {
	enc := font.Key("Encoding")
	tu := font.Key("ToUnicode")
	return fmt.Sprintf("%s|%s|%s|%d|%d|%d|%d", font.Key("BaseFont").Name(), font.Key("Subtype").Name(),
		enc.Name(), enc.Kind(), enc.Key("Differences").Len(), tu.Kind(), tu.Key("Length").Int64())
}

// newDecoder prefers the font's /ToUnicode CMap, which exists to map codes
// to text, and falls back on its encoding.
func (x *pdfExtractor) newDecoder(font pdf.Value) decoder {
	if tu := font.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if b, err := x.inflate(tu, maxCMapBytes); err == nil {
			if m := parseCMap(b); m != nil {
				return m
			}
		}
	}
	return simpleDecoder(font)
}

// contentReader reads the text-showing operators of one page.
type contentReader struct {
	x        *pdfExtractor
	fontDict pdf.Value
	fonts    map[string]decoder
	dec      decoder
}

// maxOperands is more than any content operator takes (sc takes up to 32
// components and a name).
const maxOperands = 64

func (c *contentReader) run(content []byte) {
	r := opReader{lex: lexer{b: content}, maxStack: maxOperands}
	out := c.x.out
	for !out.full() {
		op, args, ok := r.next()
		if !ok {
			return
		}
		switch op {
		case "BT", "T*":
			out.sep('\n')
		case "Tf":
			if name, ok := lastOf(args, tokName); ok {
				c.dec = c.font(name.s)
			}
		case "Tj":
			c.show(args)
		case "'", "\"":
			out.sep('\n')
			c.show(args)
		case "TJ":
			c.showArray(args)
		case "Td", "TD":
			// A move down starts a new line; a move along the line, a word.
			if len(args) == 2 && args[1].num != 0 {
				out.sep('\n')
			} else {
				out.sep(' ')
			}
		case "Tm":
			out.sep(' ')
		}
	}
}

func (c *contentReader) show(args []operand) {
	if s, ok := lastOf(args, tokStr); ok {
		c.dec.decode(s.s, c.x.out)
	}
}

// showArray shows a TJ array. Its numbers move the next glyph back by
// thousandths of the font size; a large move forward is how many writers
// put a space between words.
func (c *contentReader) showArray(args []operand) {
	a, ok := lastOf(args, tokArray)
	if !ok {
		return
	}
	for _, e := range a.arr {
		switch {
		case e.kind == tokStr:
			c.dec.decode(e.s, c.x.out)
		case e.kind == tokNum && e.num < -200:
			c.x.out.sep(' ')
		}
	}
}

// font returns the decoder for a font resource of this page.
func (c *contentReader) font(name string) decoder {
	if d, ok := c.fonts[name]; ok {
		return d
	}
	if len(c.fonts) >= maxPageFonts {
		return pdfDocTable()
	}
	var d decoder = pdfDocTable()
	if err := safely(func() error { d = c.x.decoder(c.fontDict.Key(name)); return nil }); err != nil {
		c.x.fail(err)
	}
	c.fonts[name] = d
	return d
}

func lastOf(args []operand, kind tokKind) (operand, bool) {
	for i := len(args) - 1; i >= 0; i-- {
		if args[i].kind == kind {
			return args[i], true
		}
	}
	return operand{}, false
}
