package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// textBuf collects extracted text up to a number of runes. It drops what a
// database or a search index should not see (invalid UTF-8, NUL and other
// control characters, U+FFFD left by decoders) and collapses runs of
// separators, so that neither leading, trailing nor repeated blank space
// uses up the rune budget.
type textBuf struct {
	b       strings.Builder
	left    int
	pending rune // separator owed before the next text: 0, ' ', '\t' or '\n'
}

func newTextBuf(maxRunes int) *textBuf {
	return &textBuf{left: max(maxRunes, 0)}
}

// full reports whether no more text fits, so callers can stop reading.
func (t *textBuf) full() bool { return t.left <= 0 }

// sep asks for a separator before the next text. A newline outranks a tab,
// which outranks a space.
func (t *textBuf) sep(c rune) {
	if sepRank(c) > sepRank(t.pending) {
		t.pending = c
	}
}

func sepRank(c rune) int {
	switch c {
	case '\n':
		return 3
	case '\t':
		return 2
	case ' ':
		return 1
	}
	return 0
}

// WriteString adds s, turning the separators in it into sep calls.
func (t *textBuf) WriteString(s string) {
	for len(s) > 0 && !t.full() {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == utf8.RuneError:
			// Invalid UTF-8 and U+FFFD both mean "unknown character".
		case r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029':
			t.sep('\n')
		case r == '\t':
			t.sep('\t')
		case unicode.IsSpace(r):
			t.sep(' ')
		case unicode.IsControl(r):
		default:
			t.writeRune(r)
		}
	}
}

func (t *textBuf) writeRune(r rune) {
	if t.pending != 0 && t.b.Len() > 0 {
		if t.left < 2 {
			// A separator with nothing after it is not worth a rune.
			t.left = 0
			return
		}
		t.b.WriteRune(t.pending)
		t.left--
	}
	t.pending = 0
	t.b.WriteRune(r)
	t.left--
}

func (t *textBuf) String() string { return t.b.String() }
