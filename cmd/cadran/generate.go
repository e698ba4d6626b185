package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"cadran/internal/clock"
	"cadran/internal/config"
	"cadran/internal/db"
	"cadran/internal/demo"
	"cadran/internal/scale"
)

// scaleFlags are the demo's size flags, shared by cadran demo and cadran
// generate.
type scaleFlags struct {
	scale, institutionScale string
	seed                    uint64
	institutions, workers   int
}

func bindScale(c *command) *scaleFlags {
	f := &scaleFlags{}
	c.fs.StringVar(&f.scale, "scale", "", "grow the demo municipality to the performance budget's size: large (60 units, 600 users, 3,000 documents, 10,000 register entries, 500 KPIs over 10 years, 200,000 petitions), medium (a tenth), small (a hundredth) or a factor such as 0.5")
	c.fs.IntVar(&f.institutions, "institutions", 0, "also generate this many institutions (communes, towns, municipalities) for a multi-tenant test; their sign-ins are admin.g0001, calitate.g0001, primar.g0001 and so on")
	c.fs.StringVar(&f.institutionScale, "institution-scale", "small", "the size of each generated institution, as -scale")
	c.fs.IntVar(&f.workers, "workers", 1, "generated institutions made at once; more than 1 only helps on PostgreSQL")
	c.fs.Uint64Var(&f.seed, "seed", 1, "seed of the generated data: the same seed on the same day gives the same records")
	return f
}

// check validates the flags before anything is opened.
func (f *scaleFlags) check() error {
	if f.scale != "" {
		if _, err := scale.ParseFactor(f.scale); err != nil {
			return usagef("-scale: %v", err)
		}
	}
	if _, err := scale.ParseFactor(f.institutionScale); err != nil {
		return usagef("-institution-scale: %v", err)
	}
	if f.institutions < 0 || f.institutions > 9999 {
		return usagef("-institutions: give a number between 0 and 9999")
	}
	if f.workers < 1 || f.workers > 64 {
		return usagef("-workers: give a number between 1 and 64")
	}
	return nil
}

// seed creates the demo, then grows it and adds the generated institutions
// as the flags ask.
func (f *scaleFlags) run(ctx context.Context, d *db.DB, logger *slog.Logger) error {
	c := clock.System{}
	res, err := demo.Seed(ctx, d, c)
	if err != nil {
		return err
	}
	logger.Info(res.String())
	logf := func(format string, args ...any) { logger.Info(fmt.Sprintf(format, args...)) }
	if f.scale != "" {
		factor, _ := scale.ParseFactor(f.scale)
		rep, err := scale.Grow(ctx, d, c, demo.CUI, scale.Options{Seed: f.seed, Factor: factor, Log: logf})
		if err != nil {
			return err
		}
		logger.Info(rep.String())
	}
	if f.institutions > 0 {
		factor, _ := scale.ParseFactor(f.institutionScale)
		rep, err := scale.Institutions(ctx, d, c, f.institutions, scale.Options{Seed: f.seed, Factor: factor, Workers: f.workers})
		if err != nil {
			return err
		}
		logger.Info(rep.String())
	}
	if f.scale != "" || f.institutions > 0 {
		// Fresh statistics let the query planner see the new volumes.
		if err := d.Optimize(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (a *app) generate(ctx context.Context, args []string) error {
	c := newCommand("generate", "cadran generate [-scale large] [-institutions N] [flags]", fmt.Sprintf(`
Creates the demo deployment, like cadran demo, grows it to the size the
flags ask and exits without serving: the way to prepare a database for
benchmarks. Running it again adds nothing that is already there.

  cadran generate -database data/large.db -scale large
  cadran generate -database postgres://... -institutions 3000

Generated users share the demo password (%s): never run it on a database
that serves real institutions.`, demo.Password))
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	c.fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: "+strings.Join(config.LogLevels, ", ")+" ("+config.EnvLogLevel+")")
	f := bindScale(c)
	if _, err := a.prepare(c, cfg, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	logger := cfg.Logger(a.stderr)
	cfg.Database = bulkDSN(cfg.Database)
	d, err := openDB(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := migrateDB(ctx, d, cfg); err != nil {
		return err
	}
	return f.run(ctx, d, logger)
}

// bulkDSN is the connection of a generation run. On PostgreSQL it turns
// off synchronous_commit for the run's sessions (unless the URL sets it):
// the generator commits thousands of small transactions per institution,
// and waiting for each one's WAL flush would be much of its time. A server
// crash can lose only the last moments' commits, never consistency: the
// run then ends as an interrupted one does, and a generated database is
// not one anybody relies on.
func bulkDSN(dsn string) string {
	if !db.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn
	}
	q := u.Query()
	if q.Has("synchronous_commit") {
		return dsn
	}
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}
