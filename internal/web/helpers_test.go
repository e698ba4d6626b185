package web

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) {
	// Request logs would drown test and benchmark output; warnings still show.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	code := dbtest.Main(m)
	demoBenchCleanup()
	os.Exit(code)
}

const testPassword = "parola-test-2026"

// tenant is one institution of the fixture, with records whose names mark
// them as its own ("Alfa ..." or "Beta ...").
type tenant struct {
	Inst    org.Institution
	Admin   auth.User
	Viewer  auth.User
	Unit    org.Unit
	SubUnit org.Unit
	Person  org.Person
	Task    work.Task
	// Notice is the viewer's notification of Task.
	Notice int64
	// Doc is a procedure in force (edition I revision 0, InForce) with a
	// revision in draft (Draft) holding an annex (File), and a link (Link).
	Doc      documents.Document
	InForce  int64
	Draft    int64
	File     int64
	Link     int64
	AuditID  int64
	Marker   string
	Username string
}

type fixture struct {
	DB    *db.DB
	Clock *clock.Fixed
	Srv   *Server
	HTTP  *httptest.Server
	A, B  tenant
	// FilesDir is where uploads are stored.
	FilesDir string
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	c := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	f := &fixture{DB: d, Clock: c}
	filesDir := t.TempDir()
	files, err := blob.Open(filesDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Close() })
	f.FilesDir = filesDir
	o := &org.Service{DB: d, Clock: c}
	a := &auth.Service{DB: d, Clock: c}
	mk := func(name, cui, marker, prefix string) tenant {
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: name, CUI: cui, Kind: org.KindMunicipality, County: "Mureș"})
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.SystemActor(inst.ID, "test")
		tn := tenant{Inst: inst, Marker: marker, Username: prefix + ".admin"}
		if tn.Unit, err = o.CreateUnit(ctx, sys, org.UnitInput{Name: marker + " Direcția Economică", Code: "DE", Kind: org.UnitDirectorate, Relation: org.RelationOwn}); err != nil {
			t.Fatal(err)
		}
		if tn.SubUnit, err = o.CreateUnit(ctx, sys, org.UnitInput{ParentID: tn.Unit.ID, Name: marker + " Serviciul Buget", Kind: org.UnitService, Relation: org.RelationOwn}); err != nil {
			t.Fatal(err)
		}
		if tn.Person, err = o.CreatePerson(ctx, sys, org.PersonInput{UnitID: tn.SubUnit.ID, FullName: marker + " Ștefănescu Țiței", JobTitle: "Șef serviciu", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true, Email: prefix + "@example.ro"}); err != nil {
			t.Fatal(err)
		}
		if tn.Admin, err = a.CreateUser(ctx, sys, auth.UserInput{Username: prefix + ".admin", DisplayName: marker + " Administrator", Password: testPassword, Roles: []auth.Role{auth.RoleAdmin}, Locale: "ro"}); err != nil {
			t.Fatal(err)
		}
		if tn.Viewer, err = a.CreateUser(ctx, sys, auth.UserInput{Username: prefix + ".viewer", DisplayName: marker + " Cititor", Password: testPassword, Roles: []auth.Role{auth.RoleViewer}, Locale: "en", PersonID: tn.Person.ID}); err != nil {
			t.Fatal(err)
		}
		ws := &work.Service{DB: d, Clock: c, Notify: &notify.Service{DB: d, Clock: c, Bundle: i18n.MustLoad()}}
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			tn.Task, err = ws.Assign(ctx, tx, sys, work.NewTask{Ref: work.Ref{Module: work.ModuleWork, Entity: "task"}, Kind: work.KindAct, Title: marker + " Actualizați registrul riscurilor",
				Assignee: work.Assignee{PersonID: tn.Person.ID}, Due: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM notifications WHERE user_id = $1`, tn.Viewer.ID).Scan(&tn.Notice); err != nil {
			t.Fatal(err)
		}
		tn.documents(t, d, c, ws, files, sys, marker)
		if err := d.R.QueryRowContext(ctx, `SELECT MAX(id) FROM audit_events WHERE tenant_id = $1`, inst.ID).Scan(&tn.AuditID); err != nil {
			t.Fatal(err)
		}
		return tn
	}
	f.A = mk("Primăria Alfa", "4322823", "Alfa", "alfa")
	f.B = mk("Primăria Beta", "4305857", "Beta", "beta")
	srv, err := New(Options{DB: d, Clock: c, Version: "test", FilesDir: filesDir})
	if err != nil {
		t.Fatal(err)
	}
	f.Srv = srv
	f.HTTP = httptest.NewServer(srv.Handler())
	t.Cleanup(f.HTTP.Close)
	return f
}

// client is a browser-like HTTP client with its own cookies that does not
// follow redirects, so tests see where they point.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (f *fixture) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: f.HTTP.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (f *fixture) login(t *testing.T, username string) *client {
	t.Helper()
	c := f.client(t)
	res, _ := c.post("/login", url.Values{"username": {username}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: status %d", username, res.StatusCode)
	}
	return c
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func wantStatus(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, body)
	}
}

// benchClock is the wall clock for benchmarks.
type benchClock struct{}

func (benchClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// documents gives the tenant a procedure: drafted by the system, checked
// and approved by the viewer, then a revision in draft with an annex.
func (tn *tenant) documents(t *testing.T, d *db.DB, c clock.Clock, ws *work.Service, files *blob.Store, sys auth.Actor, marker string) {
	t.Helper()
	ctx := context.Background()
	docs := &documents.Service{DB: d, Clock: c, Work: ws, Files: files}
	// A signer of its own, so the viewer's inbox holds only the fixture's task.
	o := &org.Service{DB: d, Clock: c}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: tn.Unit.ID, FullName: marker + " Semnatar", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	as := &auth.Service{DB: d, Clock: c}
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: strings.ToLower(marker) + ".signer", DisplayName: marker + " Semnatar", Password: testPassword, Roles: []auth.Role{auth.RoleTopManagement}, Locale: "ro", PersonID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := as.ActorByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tn.Doc, err = docs.Create(ctx, sys, documents.DocumentInput{Kind: documents.KindOperational, Title: marker + " Procedura privind bugetul", UnitID: tn.Unit.ID, OwnerID: p.ID}); err != nil {
		t.Fatal(err)
	}
	// Distributed to the signer only, for the same reason.
	if err := docs.SetDistribution(ctx, sys, tn.Doc.ID, []documents.Recipient{{PersonID: p.ID, Purpose: documents.PurposeApply}}, tn.Doc.Version); err != nil {
		t.Fatal(err)
	}
	v, err := docs.SaveDraft(ctx, sys, tn.Doc.LatestID, documents.DraftInput{Sections: map[string]string{documents.SecPurpose: marker + " Scopul: întocmirea bugetului."}, Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		a  auth.Actor
		in documents.StepInput
	}{
		{sys, documents.StepInput{Action: documents.ActSubmit, VerifierID: u.ID, ApproverID: u.ID}},
		{signer, documents.StepInput{Action: documents.ActVerify}},
		{signer, documents.StepInput{Action: documents.ActApprove}},
	}
	for _, st := range steps {
		st.in.Version = v.Version
		if v, err = docs.Step(ctx, st.a, v.ID, st.in); err != nil {
			t.Fatalf("%s: %v", st.in.Action, err)
		}
	}
	tn.InForce = v.ID
	draft, err := docs.NewVersion(ctx, sys, tn.Doc.ID, documents.NewVersionInput{Reason: marker + " Actualizare"})
	if err != nil {
		t.Fatal(err)
	}
	tn.Draft = draft.ID
	docx := minimalDOCX(t, marker+" Formular de referat")
	f, err := docs.AddFile(ctx, sys, draft.ID, documents.RoleAnnex, documents.Upload{Name: "referat.docx", Size: int64(len(docx)), Body: bytes.NewReader(docx)})
	if err != nil {
		t.Fatal(err)
	}
	tn.File = f.ID
	if err := docs.AddLink(ctx, sys, tn.Doc.ID, documents.LinkInput{Target: documents.LinkClause, Key: "7.5"}); err != nil {
		t.Fatal(err)
	}
	if err := d.R.QueryRowContext(ctx, `SELECT id FROM document_links WHERE document_id = $1`, tn.Doc.ID).Scan(&tn.Link); err != nil {
		t.Fatal(err)
	}
	if tn.Doc, err = docs.Document(ctx, sys, tn.Doc.ID); err != nil {
		t.Fatal(err)
	}
}

// minimalDOCX is the smallest Word file that Cadran accepts, with text.
func minimalDOCX(t testing.TB, text string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[name])
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
