package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"cadran/internal/config"
	"cadran/internal/db"
)

func (a *app) migrate(ctx context.Context, args []string) error {
	c := newCommand("migrate", "cadran migrate [-status] [flags]", `
Applies the database migrations not yet applied and prints their versions,
or "already up to date". Migrations only go forward; a database written by
a newer Cadran is refused. cadran serve migrates at start-up as well.

With -status it changes nothing and prints the database's schema version and
the latest one this Cadran knows.`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	status := c.fs.Bool("status", false, "print the current and the latest schema version and change nothing")
	_, err := a.prepare(c, cfg, args)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, cfg, !*status)
	if err != nil {
		return err
	}
	defer d.Close()

	if *status {
		current, err := d.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		latest := db.LatestVersion(d.Engine)
		fmt.Fprintf(a.stdout, "database:        %s (%s)\n", cfg.DatabaseDisplay(), d.Engine)
		fmt.Fprintf(a.stdout, "current version: %d\n", current)
		fmt.Fprintf(a.stdout, "latest version:  %d\n", latest)
		switch {
		case current == latest:
			fmt.Fprintln(a.stdout, "up to date")
		case current < latest:
			fmt.Fprintf(a.stdout, "%s to apply: run cadran migrate\n", plural(latest-current, "migration", "migrations"))
		default:
			return checkSchema(ctx, d, cfg)
		}
		return nil
	}

	applied, err := migrateDB(ctx, d, cfg)
	if err != nil {
		return err
	}
	latest := db.LatestVersion(d.Engine)
	if len(applied) == 0 {
		fmt.Fprintf(a.stdout, "already up to date (schema version %d)\n", latest)
		return nil
	}
	versions := make([]string, len(applied))
	for i, v := range applied {
		versions[i] = strconv.Itoa(v)
	}
	fmt.Fprintf(a.stdout, "applied %s: %s (schema version %d)\n", plural(len(applied), "migration", "migrations"), strings.Join(versions, ", "), latest)
	return nil
}

func (a *app) version(ctx context.Context, args []string) error {
	c := newCommand("version", "cadran version", "Prints the version of this Cadran.")
	pos, err := a.parse(c, args)
	if err != nil {
		return err
	}
	if err := wantArgs(c, pos); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "cadran %s\n", version)
	return nil
}
