package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// upload posts a file as the browser's multipart form does.
func (c *client) upload(path, name string, content []byte, fields url.Values) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestDocumentPagesRefuseBadInputAndKeepWork(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		c := f.login(t, f.A.Username)
		doc := "/documents/" + strconv.FormatInt(f.A.Doc.ID, 10)
		draft := doc + "/versions/" + strconv.FormatInt(f.A.Draft, 10)

		// A program renamed to .pdf and a PDF named .docx are refused before anything is stored.
		before := countFiles(t, f.FilesDir)
		res, body := c.upload(draft+"/files", "formular.pdf", []byte("MZ\x90\x00this is not a pdf"), url.Values{"role": {"annex"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "tipul fișierului nu este permis") {
			t.Error("no message for a disallowed type")
		}
		res, body = c.upload(draft+"/files", "formular.docx", []byte("%PDF-1.4\n%âãÏÓ\n"), url.Values{"role": {"annex"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if n := countFiles(t, f.FilesDir); n != before {
			t.Errorf("refused uploads left %d files", n-before)
		}

		// A save from a page loaded before someone else's save is refused and
		// shows what the person typed, with nothing overwritten.
		res, body = c.post(draft, url.Values{"version": {"1"}, "reason": {"Alfa Actualizare"}, "section_purpose": {"Alfa Scopul, salvat primul"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = c.post(draft, url.Values{"version": {"1"}, "reason": {"Alfa Actualizare"}, "section_purpose": {"Text nou, scris pe o pagină veche"}})
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Text nou, scris pe o pagină veche") {
			t.Error("the typed text is lost")
		}
		var purpose string
		if err := d.R.QueryRow(`SELECT body FROM document_sections WHERE version_id = $1 AND key = 'purpose'`, f.A.Draft).Scan(&purpose); err != nil || purpose != "Alfa Scopul, salvat primul" {
			t.Errorf("saved purpose = %q (%v)", purpose, err)
		}

		// An illegal transition is refused with the reason.
		res, body = c.post(draft+"/step", url.Values{"action": {"approve"}, "version": {"3"}})
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "nu mai este posibilă") {
			t.Error("no reason for the refused transition")
		}

		// Print and export respond with their formats.
		inForce := doc + "/versions/" + strconv.FormatInt(f.A.InForce, 10)
		for path, ctype := range map[string]string{
			inForce + "/print.pdf":                              "application/pdf",
			inForce + "/print.docx":                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"/documents/export.xlsx":                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"/documents/export.pdf":                             "application/pdf",
			draft + "/files/" + strconv.FormatInt(f.A.File, 10): "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		} {
			res, body := c.get(path)
			wantStatus(t, res, "", http.StatusOK)
			if res.Header.Get("Content-Type") != ctype || len(body) < 100 {
				t.Errorf("%s: %s, %d bytes", path, res.Header.Get("Content-Type"), len(body))
			}
		}

		// Search finds the procedure without diacritics and marks the words.
		_, body = c.get("/documents/search?q=intocmirea+bugetului")
		if !strings.Contains(body, "<mark>întocmirea</mark>") {
			t.Errorf("search result lacks the highlighted word:\n%s", body[strings.Index(body, "<main"):])
		}
	})
}

// importFile is a master list as people keep it in Excel.
func importFile(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	all := append([][]any{{"Cod", "Titlu", "Tip", "Compartiment", "Ediția", "Revizia", "Data aprobării"}}, rows...)
	for i, row := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocumentImportPreviewThenConfirm(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		c := f.login(t, f.A.Username)
		// One bad row (a code used twice) and nothing is imported.
		bad := importFile(t, []any{"PO-DE-10", "Întocmirea bugetului", "PO", "DE", "II", 1, "15.03.2024"}, []any{"PO-DE-10", "Execuția bugetară", "PO", "DE", "I", 0, "01.02.2025"})
		res, body := c.upload("/documents/import", "lista.xlsx", bad, nil)
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("preview: status %d", res.StatusCode)
		}
		if strings.Contains(body, `action="/documents/import/confirm"`) {
			t.Error("a file with a bad row can be confirmed")
		}
		good := importFile(t, []any{"PO-DE-10", "Întocmirea bugetului", "PO", "DE", "II", 1, "15.03.2024"}, []any{"PO-DE-11", "Execuția bugetară", "PO", "DE", "I", 0, "01.02.2025"})
		res, body = c.upload("/documents/import", "lista.xlsx", good, nil)
		wantStatus(t, res, body, http.StatusOK)
		m := regexp.MustCompile(`name="file" value="([0-9a-f]{64})"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no confirm form in the preview")
		}
		res, body = c.post("/documents/import/confirm", url.Values{"file": {m[1]}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = c.get("/documents?q=PO-DE-1")
		for _, want := range []string{"Întocmirea bugetului", "Execuția bugetară", "II.1"} {
			if !strings.Contains(body, want) {
				t.Errorf("the master list lacks %q after the import", want)
			}
		}
	})
}
