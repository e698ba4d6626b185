package extract

import (
	"bytes"
	"strconv"
)

// This file reads PDF content streams and CMaps: a postfix language of
// operands followed by an operator. ledongthuc/pdf has an interpreter for
// it, but its operand stack and its CMap tables grow with whatever counts
// the file declares, so a few kilobytes can ask for gigabytes. This one
// works on an already size-checked byte slice and caps every collection.

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNum
	tokStr
	tokName
	tokOp
	tokArrayStart
	tokArrayEnd
	tokDictStart
	tokDictEnd
	tokArray // an operand only: a finished array
	tokOther // an operand only: something we do not look into
)

type token struct {
	kind tokKind
	s    string // string bytes, name or operator
	num  float64
}

// lexer splits PDF syntax into tokens. Every call consumes at least one
// byte, so a loop over next ends after at most len(b) tokens.
type lexer struct {
	b []byte
	i int
}

func isPDFSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isPDFDelim(c byte) bool {
	switch c {
	case '<', '>', '(', ')', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipSpace() {
	for l.i < len(l.b) {
		switch c := l.b[l.i]; {
		case isPDFSpace(c):
			l.i++
		case c == '%':
			for l.i < len(l.b) && l.b[l.i] != '\n' && l.b[l.i] != '\r' {
				l.i++
			}
		default:
			return
		}
	}
}

func (l *lexer) next() token {
	l.skipSpace()
	if l.i >= len(l.b) {
		return token{kind: tokEOF}
	}
	c := l.b[l.i]
	l.i++
	switch c {
	case '(':
		return token{kind: tokStr, s: l.literal()}
	case '<':
		if l.i < len(l.b) && l.b[l.i] == '<' {
			l.i++
			return token{kind: tokDictStart}
		}
		return token{kind: tokStr, s: l.hex()}
	case '>':
		if l.i < len(l.b) && l.b[l.i] == '>' {
			l.i++
			return token{kind: tokDictEnd}
		}
		return token{kind: tokOther}
	case '[':
		return token{kind: tokArrayStart}
	case ']':
		return token{kind: tokArrayEnd}
	case '/':
		return token{kind: tokName, s: l.name()}
	case ')', '{', '}':
		return token{kind: tokOther}
	}
	l.i--
	w := l.word()
	if isNumeric(w) {
		if n, err := strconv.ParseFloat(w, 64); err == nil {
			return token{kind: tokNum, num: n}
		}
	}
	return token{kind: tokOp, s: w}
}

// isNumeric rejects what ParseFloat accepts but PDF does not ("Inf", "1e5",
// "0x10"), so that such words stay operators as in any PDF reader.
func isNumeric(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' {
			return false
		}
	}
	return true
}

func (l *lexer) word() string {
	start := l.i
	for l.i < len(l.b) && !isPDFSpace(l.b[l.i]) && !isPDFDelim(l.b[l.i]) {
		l.i++
	}
	return string(l.b[start:l.i])
}

func (l *lexer) name() string {
	var out []byte
	for l.i < len(l.b) && !isPDFSpace(l.b[l.i]) && !isPDFDelim(l.b[l.i]) {
		c := l.b[l.i]
		l.i++
		if c == '#' && l.i+1 < len(l.b) {
			if h, ok := unhex2(l.b[l.i], l.b[l.i+1]); ok {
				c = h
				l.i += 2
			}
		}
		out = append(out, c)
	}
	return string(out)
}

// literal reads a (string) after its opening parenthesis, with nested
// parentheses and backslash escapes.
func (l *lexer) literal() string {
	var out []byte
	depth := 1
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return string(out)
			}
		case '\\':
			if b, ok := l.escape(); ok {
				out = append(out, b)
			}
			continue
		case '\r':
			// An end of line inside a string reads as \n, whatever its bytes.
			if l.i < len(l.b) && l.b[l.i] == '\n' {
				l.i++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return string(out)
}

// escape reads what follows a backslash in a literal string. It returns
// false for a line continuation, which stands for nothing.
func (l *lexer) escape() (byte, bool) {
	if l.i >= len(l.b) {
		return 0, false
	}
	c := l.b[l.i]
	l.i++
	switch c {
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case '\r':
		if l.i < len(l.b) && l.b[l.i] == '\n' {
			l.i++
		}
		return 0, false
	case '\n':
		return 0, false
	}
	if c < '0' || c > '7' {
		return c, true
	}
	v := int(c - '0')
	for k := 0; k < 2 && l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '7'; k++ {
		v = v*8 + int(l.b[l.i]-'0')
		l.i++
	}
	return byte(v), true
}

// hex reads a <hex string> after its opening bracket. A missing last digit
// counts as 0.
func (l *lexer) hex() string {
	var out []byte
	var hi byte
	half := false
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		if c == '>' {
			break
		}
		v, ok := unhex1(c)
		if !ok {
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}

func unhex1(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex2(a, b byte) (byte, bool) {
	h, ok1 := unhex1(a)
	l, ok2 := unhex1(b)
	return h<<4 | l, ok1 && ok2
}

// operand is one value on the operand stack.
type operand struct {
	kind tokKind
	s    string
	num  float64
	arr  []operand
}

const (
	maxArrayDepth = 8
	maxArrayLen   = 1 << 16
)

// opReader groups tokens into operators and their operands. Arrays become
// one operand; dictionaries (marked-content properties, inline-image
// parameters) become an opaque one.
type opReader struct {
	lex       lexer
	stack     []operand
	maxStack  int
	arrays    [][]operand
	dictDepth int
}

// next returns the next operator with its operands; the operands are only
// valid until the following call. It returns false at the end of input.
func (r *opReader) next() (string, []operand, bool) {
	r.stack = r.stack[:0]
	r.arrays = r.arrays[:0]
	r.dictDepth = 0
	for {
		t := r.lex.next()
		switch t.kind {
		case tokEOF:
			return "", nil, false
		case tokDictStart:
			r.dictDepth++
		case tokDictEnd:
			if r.dictDepth > 0 {
				if r.dictDepth--; r.dictDepth == 0 {
					r.push(operand{kind: tokOther})
				}
			}
		case tokArrayStart:
			if r.dictDepth == 0 && len(r.arrays) < maxArrayDepth {
				r.arrays = append(r.arrays, nil)
			}
		case tokArrayEnd:
			if r.dictDepth == 0 && len(r.arrays) > 0 {
				arr := r.arrays[len(r.arrays)-1]
				r.arrays = r.arrays[:len(r.arrays)-1]
				r.push(operand{kind: tokArray, arr: arr})
			}
		case tokOp:
			if r.dictDepth > 0 || len(r.arrays) > 0 {
				if isValueKeyword(t.s) {
					continue
				}
				// An operator inside an unclosed array or dictionary: the
				// value was malformed. Drop it rather than lose the rest
				// of the stream to it.
				r.arrays, r.dictDepth = r.arrays[:0], 0
			}
			if t.s == "BI" {
				r.skipInlineImage()
				continue
			}
			return t.s, r.stack, true
		default:
			if r.dictDepth == 0 {
				r.push(operand{kind: t.kind, s: t.s, num: t.num})
			}
		}
	}
}

// push adds an operand to the innermost open array or to the stack. Both
// are capped; what does not fit is dropped, as it only belongs to a
// malformed or hostile stream.
func (r *opReader) push(o operand) {
	if n := len(r.arrays); n > 0 {
		if len(r.arrays[n-1]) < maxArrayLen {
			r.arrays[n-1] = append(r.arrays[n-1], o)
		}
		return
	}
	if len(r.stack) < r.maxStack {
		r.stack = append(r.stack, o)
	}
}

// isValueKeyword reports the keywords that are values, not operators.
func isValueKeyword(s string) bool {
	return s == "true" || s == "false" || s == "null" || s == "R"
}

// skipInlineImage jumps over BI … ID <binary data> EI. The binary data is
// not PDF syntax, so it cannot go through the lexer.
func (r *opReader) skipInlineImage() {
	for {
		t := r.lex.next()
		if t.kind == tokEOF {
			return
		}
		if t.kind == tokOp && t.s == "ID" {
			break
		}
	}
	b, from := r.lex.b, r.lex.i+1
	for from < len(b) {
		k := bytes.Index(b[from:], []byte("EI"))
		if k < 0 {
			break
		}
		at := from + k
		end := at + 2
		if isPDFSpace(b[at-1]) && (end == len(b) || isPDFSpace(b[end]) || isPDFDelim(b[end])) {
			r.lex.i = end
			return
		}
		from = at + 1
	}
	r.lex.i = len(b)
}
