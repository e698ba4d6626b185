package extract

import (
	"archive/zip"
	"bytes"
	"testing"

	"cadran/internal/apperr"
)

func TestDetect(t *testing.T) {
	pdfDoc := makePDF(t, true, []string{romanian})
	docx := makeDOCX(t, docxBody(para(romanian)))
	xlsx := makeXLSX(t)
	odt := makeODT(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...)
	notWord := makeZip(t, zip.Deflate,
		[2]string{"[Content_Types].xml", contentTypes},
		[2]string{"word/styles.xml", "<w:styles/>"},
	)
	plainZip := makeZip(t, zip.Deflate, [2]string{"word/document.xml", docxBody()})
	otherODF := makeZip(t, zip.Store, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"})

	tests := []struct {
		name    string
		file    string
		content []byte
		want    Kind // "" means refused
	}{
		{"pdf", "procedura.pdf", pdfDoc, PDF},
		{"pdf upper-case extension", "PROCEDURA.PDF", pdfDoc, PDF},
		{"pdf with windows path", `C:\fakepath\procedura.pdf`, pdfDoc, PDF},
		{"docx", "procedura.docx", docx, DOCX},
		{"xlsx", "indicatori.xlsx", xlsx, XLSX},
		{"odt", "decizie.odt", odt, ODT},
		{"png", "organigrama.png", png, PNG},
		{"jpg", "foto.jpg", jpeg, JPEG},
		{"jpeg", "foto.jpeg", jpeg, JPEG},

		{"exe renamed to pdf", "procedura.pdf", exe, ""},
		{"pdf named docx", "procedura.docx", pdfDoc, ""},
		{"docx named xlsx", "indicatori.xlsx", docx, ""},
		{"xlsx named docx", "procedura.docx", xlsx, ""},
		{"png named jpg", "foto.jpg", png, ""},
		{"empty file", "gol.pdf", nil, ""},
		{"empty file without extension", "gol", nil, ""},
		{"zip without word/document.xml", "fals.docx", notWord, ""},
		{"zip without content types", "fals.docx", plainZip, ""},
		{"other OpenDocument type", "tabel.odt", otherODF, ""},
		{"truncated zip", "procedura.docx", docx[:40], ""},
		{"no extension", "procedura", pdfDoc, ""},
		{"only an extension", ".pdf", pdfDoc, ""},
		{"unlisted extension", "procedura.doc", docx, ""},
		{"short header", "x.pdf", []byte("%PD"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.file, bytes.NewReader(tt.content), int64(len(tt.content)))
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("Detect = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			v, ok := apperr.AsValidation(err)
			if !ok || v["file"] != "upload.error.type" || len(v) != 1 {
				t.Fatalf("Detect = %q, %v; want validation error file: upload.error.type", got, err)
			}
			if got != "" {
				t.Fatalf("Detect returned kind %q with an error", got)
			}
		})
	}
}

func TestContentType(t *testing.T) {
	want := map[Kind]string{
		PDF:  "application/pdf",
		DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		ODT:  "application/vnd.oasis.opendocument.text",
		PNG:  "image/png",
		JPEG: "image/jpeg",
		"":   "application/octet-stream",
	}
	for k, ct := range want {
		if got := k.ContentType(); got != ct {
			t.Errorf("%q.ContentType() = %q, want %q", k, got, ct)
		}
	}
}
