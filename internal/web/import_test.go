package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/importer"
	"cadran/internal/importer/importertest"
)

// upload posts a file to /imports as a browser's form does.
func (c *client) importFile(target, name string, body []byte) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("target", target)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(body)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var jobPath = regexp.MustCompile(`^/imports/(\d+)$`)

// importJob uploads a file that must open a job and returns its page's path.
func (c *client) importJob(target, name string, body []byte) string {
	c.t.Helper()
	res, page := c.importFile(target, name, body)
	wantStatus(c.t, res, page, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !jobPath.MatchString(loc) {
		c.t.Fatalf("upload went to %q", loc)
	}
	return loc
}

var importVersionField = regexp.MustCompile(`name="version" value="(\d+)"`)

func importVersionOf(t *testing.T, body string) string {
	t.Helper()
	m := importVersionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version field on the page")
	}
	return m[1]
}

func TestImportPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		target := importertest.New(t, d, "test", auth.PermOrgView)
		f.Srv.importTargets["test"] = target
		t.Cleanup(f.Srv.imports.Wait)
		c := f.login(t, f.A.Username)

		res, body := c.get("/imports/new?target=test")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{`accept=".xlsx,.csv"`, `href="/imports/test/template.xlsx"`, "Punctaj", "un număr de la 1 la 5", "obligatorie"} {
			if !strings.Contains(body, want) {
				t.Errorf("upload form lacks %q", want)
			}
		}
		res, body = c.get("/imports/new?target=nope")
		wantStatus(t, res, body, http.StatusNotFound)
		res, body = c.get("/imports/test/template.xlsx")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "PK") || !strings.Contains(res.Header.Get("Content-Disposition"), "model-import-test.xlsx") {
			t.Errorf("template: %q", res.Header.Get("Content-Disposition"))
		}

		// Files that cannot be imported come back to the form.
		refusals := []struct {
			name string
			body []byte
			want string
		}{
			{"registru.pdf", []byte("%PDF-1.7"), "nu este XLSX sau CSV"},
			{"registru.xlsx", []byte("Titlu;Punctaj\nA;1\n"), "nu este XLSX sau CSV"},
			{"registru.csv", bytes.Repeat([]byte("Titlu;Punctaj\n"), importer.MaxSize/14+1000), "mai mare de 20 MB"},
			{"registru.csv", []byte("Titlu;Punctaj\n"), "niciun rând de date"},
		}
		for _, r := range refusals {
			res, body := c.importFile("test", r.name, r.body)
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, r.want) || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "error-summary") {
				t.Errorf("%s (%d bytes): the form does not say %q", r.name, len(r.body), r.want)
			}
		}

		// A file with problems: the preview lists them and offers no run.
		bad := "Registrul de test\n\nTitlu;Punctaj;Termen\nUnu;3;2026-12-31\nDoi;9;\n;2;\n"
		page := c.importJob("test", "registru.csv", []byte(bad))
		res, body = c.get(page)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"rândul 5: Punctaj: punctajul trebuie să fie un număr de la 1 la 5", "rândul 6: Titlu: câmp obligatoriu", "Antetul a fost găsit pe rândul 3", `<option value="1" selected>B: Punctaj (ex.: 3)</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if strings.Contains(body, page+"/run") {
			t.Error("a preview with problems offers to run")
		}
		version := importVersionOf(t, body)
		res, body = c.post(page+"/run", url.Values{"version": {version}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if n := importertest.Count(t, d, f.A.Inst.ID); n != 0 {
			t.Errorf("%d rows written from a file with problems", n)
		}

		// The mapping: leaving a required field out is shown on the page;
		// a mapping from an older page is refused.
		res, body = c.post(page+"/mapping", url.Values{"version": {version}, "col_title": {"0"}, "col_score": {"-1"}, "col_due": {"2"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = c.get(page)
		if !strings.Contains(body, "alegeți coloana din care se citește acest câmp obligatoriu") || !strings.Contains(body, `id="f-col_score" name="col_score" aria-invalid="true"`) {
			t.Error("the page does not show the unmapped required field")
		}
		res, body = c.post(page+"/mapping", url.Values{"version": {version}, "col_title": {"0"}, "col_score": {"1"}})
		wantStatus(t, res, body, http.StatusConflict)

		// Another person of the institution does not see the job.
		other := f.login(t, "alfa.viewer")
		for _, p := range []string{page, page + "/progress"} {
			res, body = other.get(p)
			wantStatus(t, res, body, http.StatusNotFound)
		}
		res, body = other.post(page+"/run", url.Values{"version": {version}})
		wantStatus(t, res, body, http.StatusNotFound)

		// The corrected file runs; its progress shows while it runs.
		good := "Titlu;Punctaj;Termen\nUnu;3;2026-12-31\nDoi;5;\n"
		page = c.importJob("test", "registru.csv", []byte(good))
		res, body = c.get(page)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, page+"/run") || !strings.Contains(body, "Importă 2 rânduri") {
			t.Fatal("a correct preview offers no run")
		}
		hold, held := make(chan struct{}), make(chan struct{})
		var once sync.Once
		target.BeforeCommit = func() { once.Do(func() { close(held); <-hold }) }
		res, body = c.post(page+"/run", url.Values{"version": {importVersionOf(t, body)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		<-held
		res, body = c.get(page)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{`<progress max="2" value="0"`, `<noscript><meta http-equiv="refresh" content="2"></noscript>`, "Rânduri scrise: 0 din 2", `data-import-progress="` + page + `/progress"`, "/static/import."} {
			if !strings.Contains(body, want) {
				t.Errorf("running page lacks %q", want)
			}
		}
		var pr importer.Progress
		res, body = c.get(page + "/progress")
		wantStatus(t, res, body, http.StatusOK)
		if err := json.Unmarshal([]byte(body), &pr); err != nil || pr.State != "running" || pr.Total != 2 {
			t.Errorf("progress while running: %s (%v)", body, err)
		}
		close(hold)
		deadline := time.Now().Add(10 * time.Second)
		for pr.State == "running" && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			_, body = c.get(page + "/progress")
			json.Unmarshal([]byte(body), &pr)
		}
		if pr != (importer.Progress{State: "done", Done: 2, Total: 2, Created: 2}) {
			t.Fatalf("final progress %+v", pr)
		}
		res, body = c.get(page)
		if !strings.Contains(body, "Au fost importate 2 înregistrări.") || !strings.Contains(body, `href="/imports"`) {
			t.Error("the result page does not say what was imported")
		}
		if n := importertest.Count(t, d, f.A.Inst.ID); n != 2 {
			t.Errorf("%d rows written", n)
		}
		res, body = c.post(page+"/run", url.Values{"version": {"99"}})
		wantStatus(t, res, body, http.StatusConflict)

		res, body = c.get("/imports")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "registru.csv") || !strings.Contains(body, "importat") {
			t.Error("the list does not show the imports")
		}
	})
}

// TestImportRefusedWithoutPermission: a target's permission guards every
// step.
func TestImportRefusedWithoutPermission(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.Srv.importTargets["test"] = importertest.New(t, d, "test", auth.PermUsersManage)
		c := f.login(t, "alfa.viewer")
		for _, p := range []string{"/imports/new?target=test", "/imports/test/template.xlsx"} {
			res, body := c.get(p)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		res, body := c.importFile("test", "r.csv", []byte("Titlu;Punctaj\nA;1\n"))
		wantStatus(t, res, body, http.StatusForbidden)
	})
}
