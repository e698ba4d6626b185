package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/importer"
	"cadran/internal/importer/importertest"
	"cadran/internal/org"
)

type env struct {
	d      *db.DB
	svc    *importer.Service
	target *importertest.Target
	// alice and bob work in institution A, carol in B.
	alice, bob, carol auth.Actor
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	c := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	files, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Close() })
	o := &org.Service{DB: d, Clock: c}
	as := &auth.Service{DB: d, Clock: c}
	e := &env{d: d, target: importertest.New(t, d, "test", auth.PermRisksManage)}
	user := func(inst int64, name string) auth.Actor {
		u, err := as.CreateUser(ctx, auth.SystemActor(inst, "test"), auth.UserInput{Username: name, DisplayName: name, Password: "parola-test-2026", Roles: []auth.Role{auth.RoleQualityManager}, Locale: "ro"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := as.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for i, name := range []string{"Primăria Alfa", "Primăria Beta"} {
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: name, CUI: []string{"4322823", "4305857"}[i], Kind: org.KindMunicipality, County: "Mureș"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			e.alice, e.bob = user(inst.ID, "alice"), user(inst.ID, "bob")
		} else {
			e.carol = user(inst.ID, "carol")
		}
	}
	e.svc = &importer.Service{DB: d, Clock: c, Files: files, Targets: map[string]importer.Target{"test": e.target}}
	t.Cleanup(e.svc.Wait)
	return e
}

func (e *env) upload(t *testing.T, a auth.Actor, name, body string) (importer.Job, error) {
	t.Helper()
	return e.svc.Upload(context.Background(), a, "test", name, strings.NewReader(body), int64(len(body)))
}

// waitDone polls the job until it is no longer running.
func (e *env) waitDone(t *testing.T, a auth.Actor, id int64) importer.Job {
	t.Helper()
	e.svc.Wait()
	j, err := e.svc.Job(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func auditActions(t *testing.T, d *db.DB, id int64) []string {
	t.Helper()
	rows, err := d.R.Query(`SELECT action, COALESCE(after_json, '') FROM audit_events WHERE entity = 'import_job' AND entity_id = $1 ORDER BY seq`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, after string
		if err := rows.Scan(&action, &after); err != nil {
			t.Fatal(err)
		}
		if i := strings.Index(after, `"action":"`); i >= 0 {
			action += ":" + strings.SplitN(after[i+10:], `"`, 2)[0]
		}
		out = append(out, action)
	}
	return out
}

const goodCSV = "Registrul riscurilor\nTitlu;Punctaj;Termen\nRisc unu;3;2026-12-31\nRisc doi;5;\n"

func TestImportJob(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		j, err := e.upload(t, e.alice, "Registru Alfa.csv", "Titlu;Punctaj;Termen\nRisc unu;3;2026-12-31\nRisc doi;9;\n;2;\n")
		if err != nil {
			t.Fatal(err)
		}
		if j.State != importer.StateUploaded || j.Total != 3 || j.Mapping["title"] != 0 || j.Mapping["score"] != 1 || j.Mapping["due"] != 2 {
			t.Fatalf("job %+v", j)
		}
		// Another person of the same institution, and one of another, see nothing.
		for _, a := range []auth.Actor{e.bob, e.carol} {
			if _, err := e.svc.Job(ctx, a, j.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s reads alice's job: %v", a.Name, err)
			}
			if _, err := e.svc.Run(ctx, a, j.ID, j.Version); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s runs alice's job: %v", a.Name, err)
			}
		}
		// Without the target's permission, nothing either.
		viewer := e.alice
		viewer.Roles = []auth.Role{auth.RoleViewer}
		if _, err := e.svc.Job(ctx, viewer, j.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("without permission: %v", err)
		}

		p, err := e.svc.Preview(ctx, e.alice, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Rows != 3 || p.Valid != 1 || p.Invalid != 2 || p.OK() {
			t.Errorf("preview rows %d valid %d invalid %d", p.Rows, p.Valid, p.Invalid)
		}
		if p.Checked[1].Line != 3 || p.Checked[1].Errors["score"] != "importer.test.score_invalid" || p.Checked[2].Errors["title"] != "error.required" {
			t.Errorf("checked %+v", p.Checked)
		}
		// Rows with problems: nothing runs, nothing is written.
		if _, err := e.svc.Run(ctx, e.alice, j.ID, j.Version); fileErr(t, err) != importer.ErrRows {
			t.Errorf("run with bad rows: %v", err)
		}
		if n := importertest.Count(t, d, e.alice.Tenant); n != 0 {
			t.Errorf("%d rows written", n)
		}

		// A mapping without a required field is kept, and refused at run.
		j2, err := e.svc.SetMapping(ctx, e.alice, j.ID, importer.Mapping{"title": 0, "due": 2}, j.Version)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetMapping(ctx, e.alice, j.ID, importer.Mapping{"title": 0}, j.Version); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale mapping: %v", err)
		}
		p, err = e.svc.Preview(ctx, e.alice, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.MappingErrors["score"] != importer.ErrRequired || p.Checked != nil {
			t.Errorf("mapping errors %v, checked %d", p.MappingErrors, len(p.Checked))
		}
		if _, err := e.svc.Run(ctx, e.alice, j.ID, j2.Version); fileErr(t, err) != importer.ErrMapping {
			t.Errorf("run with a bad mapping: %v", err)
		}
		// Out-of-range columns and unknown fields are dropped.
		j3, err := e.svc.SetMapping(ctx, e.alice, j.ID, importer.Mapping{"title": 0, "score": 1, "due": 42, "other": 1}, j2.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(j3.Mapping) != 2 {
			t.Errorf("mapping kept %v", j3.Mapping)
		}
		if got := auditActions(t, d, j.ID); strings.Join(got, ",") != "create,update,update" {
			t.Errorf("audit %v", got)
		}
	})
}

func TestImportRun(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		var body strings.Builder
		body.WriteString("Titlu;Punctaj\n")
		for i := range 1050 {
			fmt.Fprintf(&body, "Risc %d;%d\n", i, i%5+1)
		}
		j, err := e.upload(t, e.alice, "mare.csv", body.String())
		if err != nil {
			t.Fatal(err)
		}
		// Hold the write until the test has seen the job running.
		hold, seen := make(chan struct{}), make(chan struct{})
		var once sync.Once
		e.target.BeforeCommit = func() { once.Do(func() { close(seen); <-hold }) }
		var reports []int
		var mu sync.Mutex
		inner := *e.target
		e.target.CommitFn = func(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(int)) (int, error) {
			return inner.Commit(ctx, a, rows, func(n int) {
				mu.Lock()
				reports = append(reports, n)
				mu.Unlock()
				progress(n)
			})
		}
		if _, err := e.svc.Run(ctx, e.alice, j.ID, j.Version-1); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("run of an older version: %v", err)
		}
		running, err := e.svc.Run(ctx, e.alice, j.ID, j.Version)
		if err != nil {
			t.Fatal(err)
		}
		if running.State != importer.StateRunning || running.Total != 1050 {
			t.Errorf("started %+v", running)
		}
		<-seen
		pr, err := e.svc.Progress(ctx, e.alice, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pr.State != importer.StateRunning || pr.Total != 1050 || pr.Done != 0 {
			t.Errorf("progress while held %+v", pr)
		}
		if _, err := e.svc.Run(ctx, e.alice, j.ID, running.Version); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("second run: %v", err)
		}
		close(hold)
		done := e.waitDone(t, e.alice, j.ID)
		if done.State != importer.StateDone || done.Created != 1050 || done.Done != 1050 || done.FinishedAt == nil {
			t.Errorf("done %+v", done)
		}
		if n := importertest.Count(t, d, e.alice.Tenant); n != 1050 {
			t.Errorf("%d rows written", n)
		}
		mu.Lock()
		if len(reports) < 10 || reports[0] != 100 || reports[len(reports)-1] != 1050 {
			t.Errorf("progress reports %v", reports)
		}
		mu.Unlock()
		pr, _ = e.svc.Progress(ctx, e.alice, j.ID)
		if pr != (importer.Progress{State: importer.StateDone, Done: 1050, Total: 1050, Created: 1050}) {
			t.Errorf("final progress %+v", pr)
		}
		if got := auditActions(t, d, j.ID); strings.Join(got, ",") != "create,transition:start,transition:finish" {
			t.Errorf("audit %v", got)
		}
		if _, err := e.svc.Run(ctx, e.alice, j.ID, done.Version); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("run after done: %v", err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		// The check passes, but the write fails on the third row (as when
		// a code is taken between preview and run): nothing stays.
		j, err := e.upload(t, e.alice, "r.csv", "Titlu;Punctaj\nUnu;1\nDoi;2\nFAIL;3\nPatru;4\n")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Run(ctx, e.alice, j.ID, j.Version); err != nil {
			t.Fatal(err)
		}
		failed := e.waitDone(t, e.alice, j.ID)
		if failed.State != importer.StateFailed || failed.Error != "importer.test.failed" || failed.Created != 0 {
			t.Errorf("failed job %+v", failed)
		}
		if n := importertest.Count(t, d, e.alice.Tenant); n != 0 {
			t.Errorf("%d rows written by a failed import", n)
		}
		if got := auditActions(t, d, j.ID); strings.Join(got, ",") != "create,transition:start,transition:fail" {
			t.Errorf("audit %v", got)
		}
		// A failed job may run again once the cause is gone.
		e.target.CommitFn = func(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(int)) (int, error) {
			return len(rows), nil
		}
		again, err := e.svc.Run(ctx, e.alice, j.ID, failed.Version)
		if err != nil {
			t.Fatal(err)
		}
		if j := e.waitDone(t, e.alice, again.ID); j.State != importer.StateDone || j.Created != 4 {
			t.Errorf("second run %+v", j)
		}
	})
}

func TestImportRecover(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		j, err := e.upload(t, e.alice, "r.csv", goodCSV)
		if err != nil {
			t.Fatal(err)
		}
		// A process stopped mid-import left the job running.
		if _, err := d.W.Exec(`UPDATE import_jobs SET state = 'running' WHERE id = $1`, j.ID); err != nil {
			t.Fatal(err)
		}
		// Read by a process that is not running it, it shows interrupted
		// (on SQLite at once; on PostgreSQL once its time is up).
		if d.Engine == db.SQLite {
			if got, _ := e.svc.Job(ctx, e.alice, j.ID); got.State != importer.StateFailed || got.Error != importer.ErrInterrupted {
				t.Errorf("orphaned job reads %+v", got)
			}
		} else {
			if _, err := d.W.Exec(`UPDATE import_jobs SET updated_at = $1 WHERE id = $2`, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), j.ID); err != nil {
				t.Fatal(err)
			}
		}
		n, err := e.svc.Recover(ctx)
		if err != nil || n != 1 {
			t.Fatalf("recovered %d: %v", n, err)
		}
		var state, key string
		if err := d.R.QueryRow(`SELECT state, error FROM import_jobs WHERE id = $1`, j.ID).Scan(&state, &key); err != nil || state != importer.StateFailed || key != importer.ErrInterrupted {
			t.Errorf("stored %s %s (%v)", state, key, err)
		}
		if got := auditActions(t, d, j.ID); strings.Join(got, ",") != "create,transition:fail" {
			t.Errorf("audit %v", got)
		}
		if n, _ := e.svc.Recover(ctx); n != 0 {
			t.Errorf("recovered again: %d", n)
		}
	})
}

func TestImportUploadRefusals(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		if _, err := e.upload(t, e.alice, "r.pdf", "%PDF-1.4"); fileErr(t, err) != importer.ErrType {
			t.Errorf("pdf: %v", err)
		}
		if _, err := e.svc.Upload(ctx, e.alice, "nope", "r.csv", strings.NewReader(goodCSV), int64(len(goodCSV))); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown target: %v", err)
		}
		noFiles := &importer.Service{DB: d, Clock: e.svc.Clock, Targets: e.svc.Targets}
		if _, err := noFiles.Upload(ctx, e.alice, "test", "r.csv", strings.NewReader(goodCSV), int64(len(goodCSV))); fileErr(t, err) != importer.ErrNoStore {
			t.Errorf("no file store: %v", err)
		}
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM import_jobs`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d jobs after refusals (%v)", n, err)
		}
		// A list of one's own jobs.
		if _, err := e.upload(t, e.alice, "a.csv", goodCSV); err != nil {
			t.Fatal(err)
		}
		if _, err := e.upload(t, e.bob, "b.csv", goodCSV); err != nil {
			t.Fatal(err)
		}
		jobs, err := e.svc.List(ctx, e.alice, 10)
		if err != nil || len(jobs) != 1 || jobs[0].FileName != "a.csv" {
			t.Errorf("alice's list %+v (%v)", jobs, err)
		}
		if buf, _, err := e.svc.Template(e.carol, "test"); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("PK")) {
			t.Errorf("template: %v", err)
		}
	})
}
