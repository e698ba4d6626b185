package extract

import (
	"bytes"
	"math"
)

// ledongthuc/pdf sizes some allocations straight from numbers in the file:
// the cross-reference table from /Size, /Index and the first object number
// of an xref section, the xref-stream record from /W, the predictor buffer
// from /Columns, and the search loop of an object stream from /N. A 300-byte
// file saying "xref 4000000000 1" makes it allocate over 100 GB, and the Go
// runtime ends the process when an allocation fails; recover cannot help.
//
// checkPDF finds those numbers before the library sees the file and refuses
// absurd ones. The library may start parsing at any offset the file points
// to, so the scan does not parse the file: it looks at every "/" and every
// "xref" in it, decoding names as the library does (/S#69ze is /Size). Real
// files stay far below the limits. The scan does a bounded amount of work,
// so a file built to make it quadratic is refused too.

const (
	// maxObjects bounds object numbers: about 32 bytes each in the
	// library's table, so 64 MiB at worst. Real files have thousands.
	maxObjects = 1 << 21
	// maxObjStmN bounds the objects in one object stream; the library
	// scans all of them for every object it loads. Writers use 100 to 200.
	maxObjStmN = 1 << 12
	// maxColumns bounds a PNG predictor row (two buffers of that size).
	maxColumns = 1 << 20
	// maxXrefW bounds the bytes of one xref-stream record (real: 3 to 8).
	maxXrefW = 1 << 20
)

type pdfGuard struct {
	b    []byte
	work int
}

var xrefKeyword = []byte("xref")

// checkPDF returns an ErrTooComplex error if b carries a number that would
// make ledongthuc/pdf allocate without bound.
func checkPDF(b []byte) error {
	g := &pdfGuard{b: b, work: 8*len(b) + 1<<20}
	for i := 0; i < len(b); i++ {
		var err error
		switch {
		case b[i] == '/':
			err = g.key(i + 1)
		case b[i] == 'x' && bytes.HasPrefix(b[i:], xrefKeyword) && g.tokenEnds(i+len(xrefKeyword)):
			err = g.xref(i + len(xrefKeyword))
		}
		if err != nil {
			return err
		}
		if g.work < 0 {
			return tooComplex("pdf structure scan")
		}
	}
	return nil
}

// key checks the value after the name starting at i.
func (g *pdfGuard) key(i int) error {
	name, i := g.name(i)
	switch name {
	case "Size":
		return g.limit(name, i, maxObjects, false)
	case "N":
		return g.limit(name, i, maxObjStmN, true)
	case "Columns":
		return g.limit(name, i, maxColumns, true)
	case "W":
		return g.xrefW(i)
	case "Index":
		return g.xrefIndex(i)
	case "DecodeParms":
		return g.decodeParms(i)
	}
	return nil
}

// limit refuses an integer above max. With indirect, it also refuses a
// reference: the library would resolve it, perhaps inside a compressed
// object stream that this scan cannot see.
func (g *pdfGuard) limit(name string, i int, max int64, indirect bool) error {
	v, ok, _ := g.integer(i)
	if !ok {
		return nil
	}
	if v > max {
		return tooComplex("/%s %d", name, v)
	}
	if indirect && g.isRef(i) {
		return tooComplex("/%s is an indirect reference", name)
	}
	return nil
}

// xrefW refuses a /W array of integers whose sum is the size of a record
// buffer. Font /W arrays mix in sub-arrays, which the library's xref code
// rejects before allocating, so only all-integer arrays count.
func (g *pdfGuard) xrefW(i int) error {
	i = g.skip(i)
	if i >= len(g.b) || g.b[i] != '[' {
		return nil
	}
	var sum int64
	for i++; ; {
		v, ok, end := g.integer(i)
		if !ok {
			break
		}
		sum = satAdd(sum, max(v, 0))
		i = end
	}
	if j := g.skip(i); j < len(g.b) && g.b[j] == ']' && sum > maxXrefW {
		return tooComplex("/W sums to %d", sum)
	}
	return nil
}

// xrefIndex refuses an /Index pair reaching past maxObjects.
func (g *pdfGuard) xrefIndex(i int) error {
	i = g.skip(i)
	if i >= len(g.b) || g.b[i] != '[' {
		return nil
	}
	for i++; ; {
		start, ok1, end := g.integer(i)
		count, ok2, end := g.integer(end)
		if !ok1 || !ok2 {
			return nil
		}
		if satAdd(max(start, 0), max(count, 0)) > maxObjects {
			return tooComplex("/Index [%d %d]", start, count)
		}
		i = end
	}
}

// decodeParms refuses an indirect /DecodeParms, or an array of them with a
// reference directly inside: either could hide a /Columns in an object
// stream. A direct dictionary is scanned like the rest of the file.
func (g *pdfGuard) decodeParms(i int) error {
	if g.isRef(i) {
		return tooComplex("/DecodeParms is an indirect reference")
	}
	i = g.skip(i)
	if i >= len(g.b) || g.b[i] != '[' {
		return nil
	}
	l := lexer{b: g.b, i: i + 1}
	depth := 0
	for {
		start := l.i
		t := l.next()
		g.work -= l.i - start
		switch {
		case t.kind == tokEOF || g.work < 0:
			return nil
		case t.kind == tokDictStart || t.kind == tokArrayStart:
			depth++
		case t.kind == tokArrayEnd && depth == 0:
			return nil
		case t.kind == tokDictEnd || t.kind == tokArrayEnd:
			depth--
		case t.kind == tokOp && t.s == "R" && depth == 0:
			return tooComplex("/DecodeParms holds an indirect reference")
		}
	}
}

// xref checks the sections of a cross-reference table after the keyword:
// "start count" lines, each followed by count "offset generation n|f"
// entries. An entry is only refused when the library would reach it, so
// that "startxref 9000000" (which contains "xref") in a large file passes.
func (g *pdfGuard) xref(i int) error {
	for {
		start, ok1, end := g.integer(i)
		count, ok2, end := g.integer(end)
		if !ok1 || !ok2 {
			return nil
		}
		i = end
		for j := int64(0); j < count; j++ {
			_, ok1, end := g.integer(i)
			_, ok2, end := g.integer(end)
			w, end := g.word(g.skip(end))
			if !ok1 || !ok2 || (w != "n" && w != "f") {
				return nil
			}
			if satAdd(start, j) > maxObjects {
				return tooComplex("xref section starting at object %d", start)
			}
			i = end
		}
	}
}

// skip returns the position after white space and comments from i.
func (g *pdfGuard) skip(i int) int {
	b := g.b
	for i < len(b) {
		g.work--
		switch {
		case isPDFSpace(b[i]):
			i++
		case b[i] == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
				g.work--
			}
		default:
			return i
		}
	}
	return i
}

// word returns the regular characters from i.
func (g *pdfGuard) word(i int) (string, int) {
	start := i
	for i < len(g.b) && !isPDFSpace(g.b[i]) && !isPDFDelim(g.b[i]) {
		i++
	}
	g.work -= i - start
	return string(g.b[start:i]), i
}

// tokenEnds reports whether a keyword ending at i is a whole token.
func (g *pdfGuard) tokenEnds(i int) bool {
	return i >= len(g.b) || isPDFSpace(g.b[i]) || isPDFDelim(g.b[i])
}

// name decodes the name starting at i (after its slash). Names longer than
// any we look for come back empty.
func (g *pdfGuard) name(i int) (string, int) {
	var buf [16]byte
	n := 0
	for i < len(g.b) && !isPDFSpace(g.b[i]) && !isPDFDelim(g.b[i]) {
		g.work--
		c := g.b[i]
		i++
		if c == '#' && i+1 < len(g.b) {
			if h, ok := unhex2(g.b[i], g.b[i+1]); ok {
				c = h
				i += 2
			}
		}
		if n == len(buf) {
			return "", i
		}
		buf[n] = c
		n++
	}
	return string(buf[:n]), i
}

// integer reads an integer token after white space from i, as the library
// does: an optional sign and digits only. Values too large for int64
// saturate, which is as absurd as the library's parse error.
func (g *pdfGuard) integer(i int) (int64, bool, int) {
	w, end := g.word(g.skip(i))
	digits := w
	if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
		digits = digits[1:]
	}
	if digits == "" {
		return 0, false, i
	}
	var v int64
	for k := 0; k < len(digits); k++ {
		c := digits[k]
		if c < '0' || c > '9' {
			return 0, false, i
		}
		if v > (math.MaxInt64-9)/10 {
			v = math.MaxInt64
			continue
		}
		v = v*10 + int64(c-'0')
	}
	if w[0] == '-' {
		v = -v
	}
	return v, true, end
}

// isRef reports whether "int int R" follows i.
func (g *pdfGuard) isRef(i int) bool {
	_, ok1, end := g.integer(i)
	_, ok2, end := g.integer(end)
	if !ok1 || !ok2 {
		return false
	}
	w, _ := g.word(g.skip(end))
	return w == "R"
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
