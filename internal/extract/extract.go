// Package extract recognises the type of an uploaded document from its
// content and pulls out its plain text for full-text search.
//
// Everything here reads files written by strangers, so every step has a
// limit: on the bytes read, on the bytes inflated, on pages, on fonts and on
// the text kept. A file that would cross one is refused with ErrTooComplex
// rather than allowed to use unbounded memory or time.
package extract

import (
	"errors"
	"fmt"
	"io"
)

// Kind is a document type the platform accepts.
type Kind string

const (
	PDF  Kind = "pdf"
	DOCX Kind = "docx"
	XLSX Kind = "xlsx"
	ODT  Kind = "odt"
	PNG  Kind = "png"
	JPEG Kind = "jpeg"
)

// ErrTooComplex reports a document that exceeds the extraction limits: too
// large, too deeply nested, or built to exhaust memory. The upload itself
// may be fine; it just gets no full-text index.
var ErrTooComplex = errors.New("extract: document exceeds extraction limits")

// ContentType returns the IANA media type of k.
func (k Kind) ContentType() string {
	switch k {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ODT:
		return "application/vnd.oasis.opendocument.text"
	case PNG:
		return "image/png"
	case JPEG:
		return "image/jpeg"
	}
	return "application/octet-stream"
}

// Text returns the plain text of a PDF or DOCX document, at most maxRunes
// runes of it, for indexing. Other kinds have no text and give "".
//
// The text is valid UTF-8 without control characters other than tab and
// newline, so it can go into any database column. When a document is only
// partly readable (one broken page, a limit reached halfway), Text returns
// what it read; it returns an error only when it could read no text at all
// from a document that should have had some.
func Text(k Kind, r io.ReaderAt, size int64, maxRunes int) (string, error) {
	switch k {
	case PDF:
		return pdfText(r, size, maxRunes)
	case DOCX:
		return docxText(r, size, maxRunes)
	}
	return "", nil
}

// tooComplex wraps ErrTooComplex with what was exceeded.
func tooComplex(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrTooComplex}, args...)...)
}
