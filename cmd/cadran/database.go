package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"cadran/internal/clock"
	"cadran/internal/config"
	"cadran/internal/db"
)

// loadConfig validates the settings after the flags are parsed; a bad
// setting is a usage error.
func loadConfig(cfg *config.Config) error {
	if err := cfg.Validate(); err != nil {
		return &usageError{err.Error()}
	}
	return nil
}

// openDB opens the configured database. A missing SQLite file is created
// only when create is true; otherwise it is refused, so that a mistyped path
// does not leave an empty database behind.
func openDB(ctx context.Context, cfg *config.Config, create bool) (*db.DB, error) {
	if !create && !db.IsPostgres(cfg.Database) {
		if _, err := os.Stat(cfg.Database); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("there is no database at %s: give its place with -database or -data-dir, or create it with cadran migrate", cfg.Database)
		}
	}
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	d, err := db.Open(octx, cfg.Database)
	if err != nil && db.IsPostgres(cfg.Database) {
		// The driver's message retells every layer; the cause is enough.
		return nil, fmt.Errorf("cannot open the database %s: %v", cfg.DatabaseDisplay(), rootCause(err))
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// rootCause is the innermost error of a chain: "connection refused" rather
// than a driver's account of every layer it passed through.
func rootCause(err error) error {
	for {
		var next error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = u.Unwrap()
		case interface{ Unwrap() []error }:
			if errs := u.Unwrap(); len(errs) > 0 {
				next = errs[0]
			}
		}
		if next == nil {
			return err
		}
		err = next
	}
}

// migrateDB applies the pending migrations. A database written by a newer
// Cadran is refused with a sentence that says so.
func migrateDB(ctx context.Context, d *db.DB, cfg *config.Config) ([]int, error) {
	applied, err := d.Migrate(ctx, clock.System{}.Now())
	return applied, schemaError(ctx, d, cfg, err)
}

// checkSchema refuses a database written by a newer Cadran without changing
// anything.
func checkSchema(ctx context.Context, d *db.DB, cfg *config.Config) error {
	return schemaError(ctx, d, cfg, d.CheckVersion(ctx))
}

func schemaError(ctx context.Context, d *db.DB, cfg *config.Config, err error) error {
	if !errors.Is(err, db.ErrNewerSchema) {
		return err
	}
	v, _ := d.SchemaVersion(ctx)
	return &newerSchemaError{fmt.Sprintf("the database %s was written by a newer Cadran (schema version %d; Cadran %s knows up to %d): upgrade Cadran to use it",
		cfg.DatabaseDisplay(), v, version, db.LatestVersion(d.Engine))}
}

// newerSchemaError is db.ErrNewerSchema told in one sentence.
type newerSchemaError struct{ msg string }

func (e *newerSchemaError) Error() string { return e.msg }
func (e *newerSchemaError) Unwrap() error { return db.ErrNewerSchema }

// prepare parses a command's flags and its positional arguments (named by
// names, for the usage message) and loads its settings.
func (a *app) prepare(c *command, cfg *config.Config, args []string, names ...string) ([]string, error) {
	pos, err := a.parse(c, args)
	if err != nil {
		return nil, err
	}
	if err := wantArgs(c, pos, names...); err != nil {
		return nil, err
	}
	return pos, loadConfig(cfg)
}

// openExisting opens a database that must already exist and refuses one
// written by a newer Cadran.
func openExisting(ctx context.Context, cfg *config.Config) (*db.DB, error) {
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return nil, err
	}
	if err := checkSchema(ctx, d, cfg); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
