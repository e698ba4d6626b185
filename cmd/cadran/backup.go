package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"cadran/internal/config"
	"cadran/internal/db"
)

func (a *app) backup(ctx context.Context, args []string) error {
	c := newCommand("backup", "cadran backup [flags] FILE", `
Writes a consistent copy of the SQLite database to FILE, which must not
exist, while Cadran goes on serving. The copy is checked (integrity and
schema version) before the command reports success; a copy that fails the
check is removed.

A PostgreSQL database is backed up with PostgreSQL's own pg_dump instead.`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	pos, err := a.prepare(c, cfg, args, "FILE")
	if err != nil {
		return err
	}
	if db.IsPostgres(cfg.Database) {
		return errors.New("a PostgreSQL database is backed up with pg_dump (for example pg_dump --format=custom --file=FILE URL), not with cadran backup")
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, pos[0]); err != nil {
		return err
	}
	size := ""
	if fi, err := os.Stat(pos[0]); err == nil {
		size = fmt.Sprintf(" (%s)", humanSize(fi.Size()))
	}
	fmt.Fprintf(a.stdout, "backup of %s written to %s%s and verified\n", cfg.Database, pos[0], size)
	return nil
}

func (a *app) restore(ctx context.Context, args []string) error {
	c := newCommand("restore", "cadran restore [flags] FILE", `
Replaces the SQLite database with the backup FILE made by cadran backup.

Stop the Cadran server first: a server still running would go on writing to
the old database. The backup is checked before anything is replaced, and the
database file is swapped whole, so it holds either the old data or the
backup, never a mix.

A PostgreSQL database is restored with PostgreSQL's own pg_restore instead.`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	pos, err := a.prepare(c, cfg, args, "FILE")
	if err != nil {
		return err
	}
	if db.IsPostgres(cfg.Database) {
		return errors.New("a PostgreSQL database is restored with pg_restore from a pg_dump backup, not with cadran restore")
	}
	// On a new machine the data directory may not exist yet.
	if err := os.MkdirAll(filepath.Dir(cfg.Database), 0o750); err != nil {
		return fmt.Errorf("cannot create the data directory: %w", err)
	}
	if err := db.Restore(ctx, pos[0], cfg.Database); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "restored %s into %s; the Cadran server must have been stopped while restoring: start it again now\n", pos[0], cfg.Database)
	return nil
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
