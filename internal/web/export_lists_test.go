package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/demo"
)

// exportDemo serves the demo institution, whose lists are long and varied,
// and signs in its administrator holding every role, so that every list is
// open to them. It returns the client and the database.
func exportDemo(t *testing.T, d *db.DB) (*client, *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := demo.Seed(ctx, d, clock.System{}); err != nil {
		t.Fatalf("seeding the demo: %v", err)
	}
	var uid, tenant int64
	if err := d.R.QueryRow(`SELECT id, tenant_id FROM users WHERE username = 'admin'`).Scan(&uid, &tenant); err != nil {
		t.Fatal(err)
	}
	for _, r := range auth.Roles {
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) SELECT $1, $2, $3
			WHERE NOT EXISTS (SELECT 1 FROM user_roles WHERE user_id = $2 AND role = $3)`, tenant, uid, string(r)); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Options{DB: d, Clock: clock.System{}, Version: "test", FilesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: hs.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, body := c.post("/login", url.Values{"username": {"admin"}, "password": {"cadran-demo"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of the demo administrator: status %d\n%.400s", res.StatusCode, body)
	}
	return c, srv
}

// exportCSV checks a CSV download and returns its records.
func exportCSV(t *testing.T, path string, res *http.Response, body string) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Errorf("%s: status %d\n%.300s", path, res.StatusCode, body)
		return nil
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: content type %q, want text/csv", path, ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("%s: content disposition %q", path, cd)
	}
	rest, ok := strings.CutPrefix(body, "\uFEFF")
	if !ok {
		t.Errorf("%s: no byte-order mark", path)
	}
	recs, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil {
		t.Errorf("%s: not CSV: %v", path, err)
		return nil
	}
	if len(recs) == 0 {
		t.Errorf("%s: empty file, want at least the header", path)
	}
	return recs
}

// exportXLSX reads back the first sheet of a workbook download.
func exportXLSX(t *testing.T, path string, res *http.Response, body string) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("%s: status %d, type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
		return nil
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Errorf("%s: not a workbook: %v", path, err)
		return nil
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Errorf("%s: %v", path, err)
	}
	return rows
}

// TestEveryListExports works on the demo, whose lists are long and varied:
// every list export's CSV twin matches its workbook, and a filtered export
// holds exactly the rows its page shows.
func TestEveryListExports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		c, srv := exportDemo(t, d)
		t.Run("csv twins", func(t *testing.T) { exportTwins(t, c, srv) })
		t.Run("filters", func(t *testing.T) { exportFilters(t, c) })
	})
}

// exportTwins walks the route list: every list export has a CSV twin that
// really is CSV (type, byte-order mark, RFC 4180), with the same header and
// the same number of rows as the workbook's first sheet.
func exportTwins(t *testing.T, c *client, srv *Server) {
	checked, files, withRows := 0, 0, 0
	for _, rt := range srv.Routes() {
		if rt[0] != "GET" || !strings.HasSuffix(rt[1], "/export.csv") {
			continue
		}
		paths := []string{rt[1]}
		if strings.Contains(rt[1], "{") {
			paths = nil
			for _, set := range exportParams {
				var kv []string
				for k, v := range set {
					kv = append(kv, k, v)
				}
				if p := strings.NewReplacer(kv...).Replace(rt[1]); !strings.Contains(p, "{") && !slices.Contains(paths, p) {
					paths = append(paths, p)
				}
			}
		}
		if len(paths) == 0 {
			t.Errorf("%s: a list export with a path parameter; give exportParams its values", rt[1])
			continue
		}
		checked++
		for _, p := range paths {
			files++
			if exportTwin(t, c, p) {
				withRows++
			} else {
				t.Logf("%s: no rows on the demo data", p)
			}
		}
	}
	// Every export.xlsx of the route list has its twin, and the walk saw
	// them all.
	var xlsx int
	for _, rt := range srv.Routes() {
		if rt[0] == "GET" && strings.HasSuffix(rt[1], "/export.xlsx") {
			xlsx++
		}
	}
	if checked != xlsx || checked < 40 {
		t.Errorf("%d CSV exports checked for %d workbook exports; want one each, and at least 40", checked, xlsx)
	}
	// The demo fills nearly every list; a list export that stays empty
	// on it would test little.
	if withRows < files*3/4 {
		t.Errorf("only %d of %d exports hold rows on the demo data", withRows, files)
	}
	t.Logf("%d list exports checked in %d files, %d holding rows", checked, files, withRows)
}

// exportParams are the values a list export's path parameters take
// together: a route is exported once for each set that fills it.
var exportParams = []map[string]string{
	{"{cwfw}": "iso", "{cwcode}": "7.5"},
	{"{cwfw}": "caf", "{cwcode}": "4.4"},
	{"{cwfw}": "osgg", "{cwcode}": "13"},
}

// exportQueries give the lists that are empty until asked something their
// question: a search finds nothing without words.
var exportQueries = map[string]string{"/documents/search/export": "?q=procedura"}

// exportTwin checks the CSV export at p against its workbook twin and
// reports whether it holds rows.
func exportTwin(t *testing.T, c *client, p string) bool {
	t.Helper()
	q := exportQueries[strings.TrimSuffix(p, ".csv")]
	res, body := c.get(p + q)
	recs := exportCSV(t, p, res, body)
	xp := strings.TrimSuffix(p, ".csv") + ".xlsx"
	res, body = c.get(xp + q)
	rows := exportXLSX(t, xp, res, body)
	if recs == nil || rows == nil {
		return false
	}
	if !slices.Equal(recs[0], rows[0]) {
		t.Errorf("%s: header %q, the workbook's %q", p, recs[0], rows[0])
	}
	if len(recs) != len(rows) {
		t.Errorf("%s: %d rows, the workbook %d", p, len(recs)-1, len(rows)-1)
	}
	// Same rows in the same order: the first column (a code or a
	// name, mostly) reads the same in both, but for dates, which a
	// workbook shows in its own format.
	for i := 1; i < min(len(recs), len(rows)); i++ {
		a, b := "", ""
		if len(recs[i]) > 0 {
			a = recs[i][0]
		}
		if len(rows[i]) > 0 {
			b = rows[i][0]
		}
		if a != b && !isCSVDate(a) {
			t.Errorf("%s: row %d starts %q, the workbook's %q", p, i, a, b)
			break
		}
	}
	return len(recs) > 1
}

// isCSVDate reports whether a CSV cell is a date as WriteCSV writes one.
func isCSVDate(s string) bool {
	for _, layout := range []string{time.DateOnly, "2006-01-02 15:04"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

var (
	tbodyRe = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	trRe    = regexp.MustCompile(`(?s)<tr[ >].*?</tr>`)
	cellRe  = regexp.MustCompile(`(?s)<t[dh][ >](.*?)</t[dh]>`)
	tagRe   = regexp.MustCompile(`<[^>]*>`)
)

// pageFirstCells is the text of the first cell of every row of a page's
// list (the record's code), in the order shown.
func pageFirstCells(body string) []string {
	m := tbodyRe.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var out []string
	for _, tr := range trRe.FindAllString(m[1], -1) {
		c := cellRe.FindStringSubmatch(tr)
		if c == nil {
			continue
		}
		out = append(out, strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(c[1], " "))), " "))
	}
	return out
}

// listAllPages reads a filtered list page by page and returns the first
// cell of every row, as a person paging through it would see them.
func listAllPages(t *testing.T, c *client, path string) []string {
	t.Helper()
	var all []string
	var prev string
	for p := 1; p <= 100; p++ {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		res, body := c.get(path + sep + "page=" + strconv.Itoa(p))
		wantStatus(t, res, body, http.StatusOK)
		rows := pageFirstCells(body)
		if len(rows) == 0 || strings.Join(rows, "\n") == prev {
			break
		}
		prev = strings.Join(rows, "\n")
		all = append(all, rows...)
		if !strings.Contains(body, "page="+strconv.Itoa(p+1)) {
			break
		}
	}
	return all
}

// exportFilters: a filtered, sorted list downloads as exactly the rows the
// page shows, in the same order, for the risk register, the
// nonconformities and the documents.
func exportFilters(t *testing.T, c *client) {
	cases := []struct{ list, export, query string }{
		{"/risks", "/risks/export", "state=active&kind=risk&sort=-residual"},
		{"/risks", "/risks/export", "level=institution&sort=code"},
		{"/nonconformities", "/nonconformities/export", "state=open&sort=code"},
		{"/nonconformities", "/nonconformities/export", "severity=major"},
		{"/documents", "/documents/export", "state=in_force&sort=code"},
		{"/documents", "/documents/export", "kind=operational_procedure&sort=-title"},
	}
	for _, tc := range cases {
		page := listAllPages(t, c, tc.list+"?"+tc.query)
		all := listAllPages(t, c, tc.list)
		if len(page) == 0 || len(page) == len(all) {
			t.Errorf("%s?%s shows %d of %d rows; pick a filter that selects some", tc.list, tc.query, len(page), len(all))
		}
		for _, ext := range []string{".csv", ".xlsx"} {
			p := tc.export + ext + "?" + tc.query
			res, body := c.get(p)
			var recs [][]string
			if ext == ".csv" {
				recs = exportCSV(t, p, res, body)
			} else {
				recs = exportXLSX(t, p, res, body)
			}
			if len(recs) == 0 {
				continue
			}
			var first []string
			for _, r := range recs[1:] {
				first = append(first, r[0])
			}
			// The page's first cell may carry a tag after the code
			// ("O-CI-01 Oportunitate").
			same := len(first) == len(page)
			for i := 0; same && i < len(first); i++ {
				same = page[i] == first[i] || strings.HasPrefix(page[i], first[i]+" ")
			}
			if !same {
				t.Errorf("%s: rows %q\nthe page shows %q", p, first, page)
			}
		}
	}
}

// TestListTemplatesUseExportLinks fails when a page links a list export
// without the shared partial, which gives the CSV link beside the XLSX
// one, with the page's filters.
func TestListTemplatesUseExportLinks(t *testing.T) {
	pages, err := fs.Glob(templatesFS, "templates/pages/*.html")
	if err != nil {
		t.Fatal(err)
	}
	raw := regexp.MustCompile(`/export\.(xlsx|csv)`)
	uses := 0
	for _, p := range pages {
		b, err := fs.ReadFile(templatesFS, p)
		if err != nil {
			t.Fatal(err)
		}
		if raw.Match(b) {
			t.Errorf("%s links a list export by hand; use {{template \"export_links\" ($.ExportLinks \"/…/export\")}}", p)
		}
		uses += bytes.Count(b, []byte(`{{template "export_links"`))
	}
	if uses < 37 {
		t.Errorf("the export partial is used %d times; every list with an export should use it", uses)
	}
}

// TestExportLinksPartial: the links carry the page's query without the
// page number, in both formats, and are translated.
func TestExportLinksPartial(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.login(t, f.A.Username)
		for lang, want := range map[string][2]string{"ro": {"Exportă în Excel (XLSX)", "Exportă în CSV"}, "en": {"Export to Excel (XLSX)", "Export to CSV"}} {
			c.post("/language", url.Values{"lang": {lang}, "locale": {lang}})
			res, body := c.get("/people?q=Alfa&page=2&sort=-name")
			wantStatus(t, res, body, http.StatusOK)
			for _, href := range []string{`href="/people/export.xlsx?q=Alfa&amp;sort=-name"`, `href="/people/export.csv?q=Alfa&amp;sort=-name"`} {
				if !strings.Contains(body, href) {
					t.Errorf("%s: the page lacks %s", lang, href)
				}
			}
			for _, label := range want {
				if !strings.Contains(body, label) {
					t.Errorf("%s: the page lacks the label %q", lang, label)
				}
			}
		}
	})
}
