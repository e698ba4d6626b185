package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"cadran/internal/apperr"
)

// extensions maps each accepted file-name extension to the kind its content
// must have.
var extensions = map[string]Kind{
	".pdf":  PDF,
	".docx": DOCX,
	".xlsx": XLSX,
	".odt":  ODT,
	".png":  PNG,
	".jpg":  JPEG,
	".jpeg": JPEG,
}

const odtMimetype = "application/vnd.oasis.opendocument.text"

// Detect decides the kind of an upload from its content: the leading bytes,
// and for ZIP containers the parts inside. The extension of name must agree
// with the content, so that a program renamed to .pdf, or a PDF renamed to
// .docx, is refused rather than stored and later served under a type it
// does not have. Unknown or mismatched content gives a validation error on
// the "file" field. r must hold the whole upload (size bytes): reading a
// ZIP directory needs random access.
func Detect(name string, r io.ReaderAt, size int64) (Kind, error) {
	k, err := sniff(r, size)
	if err != nil {
		return "", err
	}
	if k == "" || extensions[extension(name)] != k {
		return "", apperr.Validation{"file": "upload.error.type"}
	}
	return k, nil
}

// sniff returns the kind the content has, or "" if it is none we accept.
func sniff(r io.ReaderAt, size int64) (Kind, error) {
	head := make([]byte, 8)
	n, err := io.ReadFull(io.NewSectionReader(r, 0, size), head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", fmt.Errorf("cannot read upload: %w", err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(r, size), nil
	}
	return "", nil
}

// sniffZip tells the office formats apart by the parts they must contain.
func sniffZip(r io.ReaderAt, size int64) Kind {
	zr, err := zip.NewReader(r, size)
	// ErrInsecurePath only warns that a name would be unsafe to extract to
	// disk; nothing here is extracted, so such an archive is still readable.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return ""
	}
	parts := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	switch {
	case parts["mimetype"] != nil:
		if readSmall(parts["mimetype"], len(odtMimetype)) == odtMimetype {
			return ODT
		}
	case parts["[Content_Types].xml"] == nil:
	case parts["word/document.xml"] != nil:
		return DOCX
	case parts["xl/workbook.xml"] != nil:
		return XLSX
	}
	return ""
}

// readSmall returns the content of a ZIP member that should be at most n
// bytes long, or "" if it is longer or unreadable.
func readSmall(f *zip.File, n int) string {
	if f.UncompressedSize64 > uint64(n) {
		return ""
	}
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(n)+1))
	if err != nil || len(b) > n {
		return ""
	}
	return string(b)
}

// extension returns the lowercase extension of a file name as a browser
// sends it, which may still carry a Windows path.
func extension(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	return strings.ToLower(name[i:])
}
