package extract

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// decoder turns the bytes of a shown string into text in a font's
// encoding.
type decoder interface {
	decode(raw string, out *textBuf)
}

// byteTable maps each byte of a simple (one byte a glyph) font to a rune.
type byteTable [256]rune

func (t *byteTable) decode(raw string, out *textBuf) {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		b.WriteRune(t[raw[i]])
	}
	out.WriteString(b.String())
}

// ucs2 decodes fonts whose codes are UTF-16BE (the UniGB-UCS2-H CMap).
type ucs2 struct{}

func (ucs2) decode(raw string, out *textBuf) { out.WriteString(utf16BE(raw)) }

// utf16BE decodes UTF-16BE text; a trailing odd byte is dropped.
func utf16BE(s string) string {
	return string(utf16.Decode(utf16Units(s)))
}

// tableOf runs a ledongthuc encoder over all 256 byte values once. Its
// Differences decoder walks the whole /Differences array for every byte it
// decodes; a table makes each later byte cost one lookup.
func tableOf(enc pdf.TextEncoding) *byteTable {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	var t byteTable
	runes := []rune(enc.Decode(string(all)))
	for i := range t {
		t[i] = rune(i)
		if len(runes) == len(t) {
			t[i] = runes[i]
		}
	}
	return &t
}

// pdfDocTable decodes with PDFDocEncoding, the fallback for a font whose
// encoding is unknown. A zero Font has neither /Encoding nor /ToUnicode,
// so ledongthuc gives it exactly that encoder without reading anything.
var pdfDocTable = sync.OnceValue(func() *byteTable { return tableOf((&pdf.Font{}).Encoder()) })

// maxDifferences bounds a simple font's /Differences array; the real ones
// list at most 256 glyph names and a few codes.
const maxDifferences = 1024

// simpleDecoder returns the decoder of a font without a usable /ToUnicode
// CMap. It only asks ledongthuc for encodings that do not make it parse a
// CMap, since its CMap reader allocates whatever counts the file declares.
func simpleDecoder(font pdf.Value) decoder {
	enc := font.Key("Encoding")
	switch {
	case enc.Kind() == pdf.Name && enc.Name() == "UniGB-UCS2-H":
		return ucs2{}
	case enc.Kind() == pdf.Null,
		enc.Kind() == pdf.Name && enc.Name() == "Identity-H",
		enc.Kind() == pdf.Dict && enc.Key("Differences").Len() > maxDifferences:
		return pdfDocTable()
	}
	f := pdf.Font{V: font}
	return tableOf(f.Encoder())
}

// cmap is a parsed /ToUnicode CMap: which byte sequences are codes, and the
// text each code stands for.
type cmap struct {
	spaces []codeRange
	chars  map[string]string
	ranges []bfRange
	// codeLen is the code length to assume when no codespace range
	// matches, taken from the first mapping.
	codeLen int
}

type codeRange struct {
	n      int
	lo, hi uint32
}

// bfRange maps the codes lo..hi of length n either to consecutive UTF-16
// values starting at dst, or one by one to the strings in arr.
type bfRange struct {
	n      int
	lo, hi uint32
	dst    []uint16
	arr    []string
}

const (
	maxCMapRanges = 1 << 16
	maxCMapChars  = 1 << 16
	maxCMapSpaces = 64
)

// parseCMap reads a ToUnicode CMap. It returns nil if it holds no mapping.
func parseCMap(b []byte) *cmap {
	m := &cmap{chars: map[string]string{}}
	r := opReader{lex: lexer{b: b}, maxStack: 3 * maxCMapRanges}
	for {
		op, args, ok := r.next()
		if !ok {
			break
		}
		switch op {
		case "endcodespacerange":
			m.addSpaces(args)
		case "endbfchar":
			m.addChars(args)
		case "endbfrange":
			m.addRanges(args)
		}
	}
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	slices.SortFunc(m.ranges, func(a, b bfRange) int {
		return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.lo, b.lo))
	})
	return m
}

// The counts before begin…range operators are ignored: the operands are
// whatever is on the stack, so a false count cannot make us loop or
// allocate.

func (m *cmap) addSpaces(args []operand) {
	for i := 0; i+1 < len(args) && len(m.spaces) < maxCMapSpaces; i += 2 {
		lo, hi := args[i].s, args[i+1].s
		if n := len(lo); codeOK(args[i]) && codeOK(args[i+1]) && len(hi) == n {
			m.spaces = append(m.spaces, codeRange{n, codeValue(lo), codeValue(hi)})
		}
	}
}

func (m *cmap) addChars(args []operand) {
	for i := 0; i+1 < len(args) && len(m.chars) < maxCMapChars; i += 2 {
		src, dst := args[i], args[i+1]
		if codeOK(src) && dst.kind == tokStr {
			m.chars[src.s] = utf16BE(dst.s)
			m.noteLen(len(src.s))
		}
	}
}

func (m *cmap) addRanges(args []operand) {
	for i := 0; i+2 < len(args) && len(m.ranges) < maxCMapRanges; i += 3 {
		lo, hi, dst := args[i], args[i+1], args[i+2]
		if !codeOK(lo) || !codeOK(hi) || len(lo.s) != len(hi.s) {
			continue
		}
		r := bfRange{n: len(lo.s), lo: codeValue(lo.s), hi: codeValue(hi.s)}
		switch dst.kind {
		case tokStr:
			r.dst = utf16Units(dst.s)
		case tokArray:
			for _, a := range dst.arr {
				r.arr = append(r.arr, utf16BE(a.s))
			}
		default:
			continue
		}
		if r.lo <= r.hi && (len(r.dst) > 0 || len(r.arr) > 0) {
			m.ranges = append(m.ranges, r)
			m.noteLen(r.n)
		}
	}
}

func (m *cmap) noteLen(n int) {
	if m.codeLen == 0 {
		m.codeLen = n
	}
}

// codeOK reports whether o is a code: a string of one to four bytes.
func codeOK(o operand) bool {
	return o.kind == tokStr && len(o.s) >= 1 && len(o.s) <= 4
}

func codeValue(s string) uint32 {
	var v uint32
	for i := 0; i < len(s); i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

func utf16Units(s string) []uint16 {
	units := make([]uint16, len(s)/2)
	for i := range units {
		units[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return units
}

func (m *cmap) decode(raw string, out *textBuf) {
	for len(raw) > 0 && !out.full() {
		n := m.codeLength(raw)
		if n == 0 {
			raw = raw[1:]
			continue
		}
		out.WriteString(m.lookup(raw[:n]))
		raw = raw[n:]
	}
}

// codeLength returns the length of the code at the start of raw, from the
// codespace ranges, or 0 if raw starts with no valid code.
func (m *cmap) codeLength(raw string) int {
	if len(m.spaces) == 0 {
		return min(m.codeLen, len(raw))
	}
	for n := 1; n <= 4 && n <= len(raw); n++ {
		v := codeValue(raw[:n])
		for _, s := range m.spaces {
			if s.n == n && s.lo <= v && v <= s.hi {
				return n
			}
		}
	}
	return 0
}

func (m *cmap) lookup(code string) string {
	if s, ok := m.chars[code]; ok {
		return s
	}
	n, v := len(code), codeValue(code)
	// The last range starting at or before the code.
	i, _ := slices.BinarySearchFunc(m.ranges, bfRange{n: n, lo: v}, func(a, b bfRange) int {
		return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.lo, b.lo))
	})
	if i < len(m.ranges) && m.ranges[i].n == n && m.ranges[i].lo == v {
		return m.ranges[i].text(v)
	}
	if i > 0 && m.ranges[i-1].n == n && v <= m.ranges[i-1].hi {
		return m.ranges[i-1].text(v)
	}
	return ""
}

// text maps a code inside the range. Consecutive codes map to consecutive
// values of the last UTF-16 unit. ISO 32000 lets only the last byte of a
// code vary within a range, but producers (fpdf among them, with its single
// <0000> <FFFF> range) rely on the arithmetic reading that Acrobat, pdf.js
// and poppler apply, so that is the reading used here.
func (r *bfRange) text(v uint32) string {
	off := v - r.lo
	if r.arr != nil {
		if off < uint32(len(r.arr)) {
			return r.arr[off]
		}
		return ""
	}
	units := slices.Clone(r.dst)
	units[len(units)-1] += uint16(off)
	return string(utf16.Decode(units))
}
