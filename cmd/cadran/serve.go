package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"cadran/internal/clock"
	"cadran/internal/config"
	"cadran/internal/demo"
	"cadran/internal/mail"
	"cadran/internal/web"
)

func (a *app) serve(ctx context.Context, args []string) error {
	c := newCommand("serve", "cadran serve [flags]", `
Runs the web server until it is stopped with Ctrl+C (SIGINT) or SIGTERM.
It first brings the database schema up to date, and refuses a database
written by a newer Cadran.

The database is a SQLite file (by default data/cadran.db, created when
missing) or a PostgreSQL database given as a postgres:// URL.`)
	return a.runServer(ctx, c, args, nil)
}

func (a *app) demo(ctx context.Context, args []string) error {
	c := newCommand("demo", "cadran demo [flags]", fmt.Sprintf(`
Runs the web server like cadran serve, after creating, once, a demo
deployment: %s (%s) with its departments, people and
one user per role, and %s to show that institutions never see
each other's data. Running it again keeps the data already there.

Demo users: %s. Password: %s

With -scale large the demo municipality grows to the size of the
performance budget (see cadran generate, which does the same without
serving).`, demo.Name, "CUI "+demo.CUI, demo.ValeaName, strings.Join(demo.Usernames, ", "), demo.Password))
	return a.runServer(ctx, c, args, bindScale(c))
}

// runServer opens and migrates the database, seeds the demo when demoFlags
// is set, and serves until ctx ends or a signal arrives.
func (a *app) runServer(ctx context.Context, c *command, args []string, demoFlags *scaleFlags) error {
	cfg := config.New(a.getenv)
	cfg.Bind(c.fs)
	_, err := a.prepare(c, cfg, args)
	if err != nil {
		return err
	}
	withDemo := demoFlags != nil
	if withDemo {
		if err := demoFlags.check(); err != nil {
			return err
		}
	}
	if cfg.MemoryLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.MemoryLimit) << 20)
	}
	logger := cfg.Logger(a.stderr)
	prev := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(prev)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	d, err := openDB(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := migrateDB(ctx, d, cfg)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		logger.Info("database migrated", "applied", applied)
	}
	if withDemo {
		if err := demoFlags.run(ctx, d, logger); err != nil {
			return err
		}
	}
	opts := web.Options{DB: d, Clock: clock.System{}, SecureCookies: cfg.SecureCookies, Version: version, BaseURL: cfg.BaseURL, FilesDir: filepath.Join(cfg.DataDir, "files")}
	smtp := cfg.Mail()
	if smtp.Enabled() {
		m, err := mail.NewMailer(smtp)
		if err != nil {
			return err
		}
		opts.Mailer = m
	}
	srv, err := web.New(opts)
	if err != nil {
		return fmt.Errorf("cannot start the web server: %w", err)
	}
	err = srv.ListenAndServe(ctx, cfg.Addr, func(addr string) {
		url := "http://" + displayAddr(addr)
		logger.Info("Cadran is listening", "url", url, "database", cfg.DatabaseDisplay(), "version", version)
		// Said once, at start-up: whether notifications also leave by e-mail.
		if smtp.Enabled() {
			logger.Info("e-mail is on", "smtp", smtp.Host, "tls", smtp.TLS, "from", smtp.From, "links", cfg.BaseURL)
		} else {
			logger.Info("e-mail is off: no SMTP server is set (" + config.EnvSMTPHost + "), so notifications stay in the app")
		}
		if withDemo {
			users := strings.Join(demo.Usernames, ", ")
			fmt.Fprintf(a.stdout, "Cadran rulează la %s — utilizatori demo: %s; parola: %s\n", url, users, demo.Password)
			fmt.Fprintf(a.stdout, "Cadran is running at %s — demo users: %s; password: %s\n", url, users, demo.Password)
		}
		if a.ready != nil {
			a.ready(url)
		}
	})
	if err != nil {
		return err
	}
	logger.Info("Cadran stopped")
	return nil
}

// displayAddr is the address a browser on this machine can open: a server
// listening on every interface is reached through localhost.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
