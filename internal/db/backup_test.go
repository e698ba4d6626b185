package db_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// openSQLite opens and migrates a SQLite database at path.
func openSQLite(t *testing.T, path string) *db.DB {
	t.Helper()
	d, err := db.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(t.Context(), time.Now()); err != nil {
		d.Close()
		t.Fatal(err)
	}
	return d
}

func countInstitutions(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM institutions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// A backup taken while the database is written to is consistent, and
// restoring it brings back exactly the rows it held.
func TestBackupRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cadran.db")
	backup := filepath.Join(dir, "backups", "cadran-backup.db")
	if err := os.Mkdir(filepath.Dir(backup), 0o700); err != nil {
		t.Fatal(err)
	}

	d := openSQLite(t, path)
	for i := range 50 {
		if err := insertInstitution(t, d, fmt.Sprintf("Primăria %d", i), fmt.Sprintf("RO%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Keep writing while the backup runs.
	ctx, stop := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			now := time.Now().UTC()
			d.W.ExecContext(ctx, `INSERT INTO institutions (name, cui, kind, county, created_at, updated_at) VALUES ($1, $2, 'comuna', 'Cluj', $3, $3)`,
				"în timpul copiei", fmt.Sprintf("DURING%d", i), now)
		}
	})
	// And hold a read transaction open, as a slow page would.
	tx, err := d.R.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM institutions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	err = d.Backup(t.Context(), backup)
	tx.Rollback()
	stop()
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	for _, sidecar := range []string{"-wal", "-shm", "-journal"} {
		if exists(backup + sidecar) {
			t.Errorf("Backup left %s behind", backup+sidecar)
		}
	}

	// What the backup holds, read directly.
	b := openSQLite(t, backup)
	inBackup := countInstitutions(t, b)
	b.Close()
	os.Remove(backup + "-wal")
	os.Remove(backup + "-shm")
	if inBackup < 50 {
		t.Fatalf("the backup holds %d institutions, want at least 50", inBackup)
	}

	// Rows written after the backup are gone after the restore.
	if err := insertInstitution(t, d, "după copie", "AFTER"); err != nil {
		t.Fatal(err)
	}
	if countInstitutions(t, d) <= inBackup {
		t.Fatal("the row written after the backup was not counted")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	// Leave a stale write-ahead log where the restore must remove it.
	if err := os.WriteFile(path+"-wal", []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Restore(t.Context(), backup, path); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if exists(path + "-wal") {
		t.Error("Restore left the old -wal file")
	}
	matches, _ := filepath.Glob(filepath.Join(dir, ".cadran.db.restore-*"))
	if len(matches) > 0 {
		t.Errorf("Restore left temporary files: %v", matches)
	}

	r := openSQLite(t, path)
	defer r.Close()
	if got := countInstitutions(t, r); got != inBackup {
		t.Errorf("after Restore the database holds %d institutions, want %d", got, inBackup)
	}
	var after int
	if err := r.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM institutions WHERE cui = 'AFTER'`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != 0 {
		t.Error("the row written after the backup survived the restore")
	}
	if v, err := r.SchemaVersion(t.Context()); err != nil || v != db.LatestVersion(db.SQLite) {
		t.Errorf("SchemaVersion after Restore = %d, %v", v, err)
	}
	// The backup file itself is untouched by the restore.
	if !exists(backup) {
		t.Error("Restore consumed the backup file")
	}
}

// Restore also works when the database file does not exist yet (a new
// machine).
func TestRestoreToNewPath(t *testing.T) {
	dir := t.TempDir()
	d := openSQLite(t, filepath.Join(dir, "old.db"))
	defer d.Close()
	if err := insertInstitution(t, d, "Comuna Apahida", "RO1"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := d.Backup(t.Context(), backup); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "new.db")
	if err := db.Restore(t.Context(), backup, path); err != nil {
		t.Fatal(err)
	}
	r := openSQLite(t, path)
	defer r.Close()
	if got := countInstitutions(t, r); got != 1 {
		t.Errorf("the restored database holds %d institutions, want 1", got)
	}
}

func TestBackupToExistingFileFails(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	dst := filepath.Join(t.TempDir(), "exists.db")
	content := []byte("a file that must not be overwritten")
	if err := os.WriteFile(dst, content, 0o600); err != nil {
		t.Fatal(err)
	}
	err := d.Backup(t.Context(), dst)
	if err == nil {
		t.Fatal("Backup over an existing file succeeded")
	}
	if !strings.Contains(err.Error(), "already exists") {
		t.Errorf("error %q does not say the file exists", err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, content) {
		t.Error("Backup changed the existing file")
	}
}

func TestBackupIntoMissingDirectoryFails(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	dst := filepath.Join(t.TempDir(), "no", "such", "dir", "b.db")
	if err := d.Backup(t.Context(), dst); err == nil {
		t.Fatal("Backup into a missing directory succeeded")
	} else if !strings.HasPrefix(err.Error(), "cannot back up") {
		t.Errorf("unclear error: %v", err)
	}
	if exists(dst) {
		t.Error("a failed Backup left a file")
	}
}

func TestBackupPostgresRefused(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	err := d.Backup(t.Context(), filepath.Join(t.TempDir(), "b.db"))
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup on PostgreSQL = %v, want an error pointing to pg_dump", err)
	}
}

// A file that is not a good Cadran backup is refused with a clear error and
// the database stays as it was.
func TestRestoreRefusesBadBackups(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cadran.db")
	d := openSQLite(t, path)
	if err := insertInstitution(t, d, "Comuna Feleacu", "RO7"); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	if err := d.Backup(t.Context(), newer); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	original, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	// A backup from a newer Cadran.
	nd, err := db.Open(t.Context(), newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nd.W.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future.sql', $2)`,
		db.LatestVersion(db.SQLite)+1, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	nd.Close()

	// A SQLite database that is not Cadran's.
	foreign := filepath.Join(dir, "foreign.db")
	fd, err := db.Open(t.Context(), foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fd.W.ExecContext(t.Context(), `CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	fd.Close()

	// A damaged database: a good backup with its pages overwritten.
	damaged := filepath.Join(dir, "damaged.db")
	gd := openSQLite(t, filepath.Join(dir, "good.db"))
	for i := range 200 {
		if err := insertInstitution(t, gd, strings.Repeat("x", 200), fmt.Sprintf("D%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := gd.Backup(t.Context(), damaged); err != nil {
		t.Fatal(err)
	}
	gd.Close()
	raw, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096 * 2; i < len(raw); i += 4096 {
		copy(raw[i:], bytes.Repeat([]byte{0x5a}, 512)) // spoil the start of each page after the second
	}
	if err := os.WriteFile(damaged, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	write := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, src, want string
		is              error
	}{
		{"text file", write("notes.txt", []byte("this is not a database\n")), "is not a SQLite database", nil},
		{"empty file", write("empty.db", nil), "is not a SQLite database", nil},
		{"missing file", filepath.Join(dir, "missing.db"), "no such file", nil},
		{"newer schema", newer, "newer", db.ErrNewerSchema},
		{"not Cadran", foreign, "not a Cadran backup", nil},
		{"damaged", damaged, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Restore(t.Context(), tc.src, path)
			if err == nil {
				t.Fatal("Restore succeeded")
			}
			t.Log(err)
			if !strings.HasPrefix(err.Error(), "cannot restore") {
				t.Errorf("error %q does not start with \"cannot restore\"", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, original) {
				t.Errorf("the database file changed (%v)", err)
			}
		})
	}
	r := openSQLite(t, path)
	defer r.Close()
	if got := countInstitutions(t, r); got != 1 {
		t.Errorf("the database holds %d institutions after the refused restores, want 1", got)
	}
}

// Restoring a live database file (with its -wal beside it) is refused: the
// copy would miss what is in the log.
func TestRestoreRefusesLiveDatabase(t *testing.T) {
	dir := t.TempDir()
	live := openSQLite(t, filepath.Join(dir, "live.db"))
	defer live.Close()
	if err := insertInstitution(t, live, "Comuna Baciu", "RO9"); err != nil {
		t.Fatal(err)
	}
	if !exists(filepath.Join(dir, "live.db-wal")) {
		t.Skip("the live database has no -wal file")
	}
	err := db.Restore(t.Context(), filepath.Join(dir, "live.db"), filepath.Join(dir, "target.db"))
	if err == nil || !strings.Contains(err.Error(), "write-ahead log") {
		t.Errorf("Restore of a live database = %v, want a refusal naming the write-ahead log", err)
	}
	if exists(filepath.Join(dir, "target.db")) {
		t.Error("a refused Restore created the target")
	}
}
