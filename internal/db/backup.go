package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Backup writes a consistent copy of the SQLite database to dst, which must
// not exist, while the database stays in use: readers and the writer go on
// during the copy. It then verifies the copy by reopening it read-only:
// PRAGMA integrity_check must say ok and its schema version must equal the
// source's. A copy that fails verification is removed. PostgreSQL databases
// are backed up with pg_dump instead.
func (d *DB) Backup(ctx context.Context, dst string) error {
	if d.Engine != SQLite {
		return errors.New("cannot back up: a PostgreSQL database is backed up with pg_dump, not by Cadran")
	}
	if dst == "" {
		return errors.New("cannot back up: no destination file given")
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("cannot back up to %s: %w", dst, err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("cannot back up to %s: the file already exists", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot back up to %s: %w", dst, err)
	}
	// Read through the reader pool so a long write transaction on the
	// single writer connection does not hold the backup up, and the backup
	// does not hold writers up.
	reader := &DB{W: d.R, R: d.R, Engine: SQLite, Path: d.Path}
	want, err := reader.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("cannot back up: %w", err)
	}
	// VACUUM INTO copies one read transaction's snapshot into a new,
	// compacted database file.
	if _, err := d.R.ExecContext(ctx, `VACUUM INTO $1`, abs); err != nil {
		removeDB(abs)
		return fmt.Errorf("cannot back up to %s: %w", dst, err)
	}
	got, err := verifyBackup(ctx, abs)
	if err == nil && got != want {
		err = fmt.Errorf("the copy is at schema version %d but the database is at %d", got, want)
	}
	if err == nil {
		err = syncFile(abs)
	}
	if err != nil {
		removeDB(abs)
		return fmt.Errorf("cannot back up to %s: the copy failed verification and was removed: %w", dst, err)
	}
	return nil
}

// Restore replaces the SQLite database file at path with the backup src.
// It first verifies src the way Backup does (it must be a SQLite database
// that passes PRAGMA integrity_check, hold Cadran's schema, and be at a
// schema version this program knows), then copies it to a temporary file
// beside path, syncs it, removes path's stale -wal, -shm and -journal files
// and renames the copy over path, so path holds either the old database or
// the whole backup, never a mix.
//
// The Cadran server must be stopped while Restore runs: a server still using
// path would go on writing to the old database (now unlinked) and its
// sidecar files would be removed from under it.
func Restore(ctx context.Context, src, path string) error {
	if src == "" || path == "" {
		return errors.New("cannot restore: both the backup file and the database file must be given")
	}
	v, err := verifyBackup(ctx, src)
	if err != nil {
		return fmt.Errorf("cannot restore %s: %w", src, err)
	}
	if v == 0 {
		return fmt.Errorf("cannot restore %s: it is a SQLite database but not a Cadran backup (it has no schema_migrations table)", src)
	}
	if latest := LatestVersion(SQLite); v > latest {
		return fmt.Errorf("cannot restore %s: %w: the backup is at version %d and this Cadran knows up to %d; restore it with a newer Cadran", src, ErrNewerSchema, v, latest)
	}
	if fi, err := os.Stat(src + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("cannot restore %s: it has a write-ahead log (%s-wal), so it is a live database rather than a backup; make a backup with Backup (cadran backup) and restore that", src, src)
	}
	srcInfo, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("cannot restore %s: %w", src, err)
	}
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		if os.SameFile(srcInfo, fi) {
			return fmt.Errorf("cannot restore %s: it is the database file itself", src)
		}
		mode = fi.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot restore over %s: %w", path, err)
	}

	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".restore-*")
	if err != nil {
		return fmt.Errorf("cannot restore %s: %w", src, err)
	}
	tmpName := tmp.Name()
	err = copyFrom(tmp, src)
	err = errors.Join(err, tmp.Chmod(mode))
	err = errors.Join(err, tmp.Sync())
	err = errors.Join(err, tmp.Close())
	if err != nil {
		os.Remove(tmpName)
		return fmt.Errorf("cannot restore %s: cannot copy it beside %s: %w", src, path, err)
	}
	// A sidecar left by the old database would be applied to the restored
	// one when it is next opened, corrupting it: remove them first.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			os.Remove(tmpName)
			return fmt.Errorf("cannot restore %s: cannot remove the old %s: %w", src, path+suffix, err)
		}
	}
	if err := os.Rename(tmpName, path); err != nil {
		os.Remove(tmpName)
		return fmt.Errorf("cannot restore %s: cannot replace %s: %w", src, path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("cannot restore %s: the database was replaced but %s could not be synced: %w", src, dir, err)
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// verifyBackup opens the SQLite file at path read-only, runs PRAGMA
// integrity_check and returns its schema version.
func verifyBackup(ctx context.Context, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return 0, err
	}
	if n < len(head) || !bytes.HasPrefix(head, sqliteHeader) {
		return 0, fmt.Errorf("%s is not a SQLite database", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return 0, fmt.Errorf("cannot check %s: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot check %s: %w", path, err)
		}
		problems = append(problems, s)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("cannot check %s: %w", path, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		if len(problems) > 5 {
			problems = append(problems[:5], "...")
		}
		return 0, fmt.Errorf("%s is damaged: integrity check: %s", path, strings.Join(problems, "; "))
	}
	return (&DB{W: conn, R: conn, Engine: SQLite, Path: abs}).SchemaVersion(ctx)
}

func copyFrom(dst *os.File, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(dst, f)
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close(), syncDir(filepath.Dir(path)))
}

// syncDir makes a rename or a new file in dir durable. Systems that cannot
// sync a directory (Windows) are not an error.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// removeDB removes a SQLite file and any sidecar files beside it.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}
