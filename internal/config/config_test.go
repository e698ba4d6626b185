package config

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/mail"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// load is what a command does: defaults, environment, flags, validation.
func load(t *testing.T, vars map[string]string, args ...string) (*Config, error) {
	t.Helper()
	c := New(env(vars))
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Bind(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return c, c.Validate()
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:8080", DataDir: "data", Database: filepath.Join("data", "cadran.db"), LogLevel: "info", LogFormat: "text"}
	if c.Addr != want.Addr || c.DataDir != want.DataDir || c.Database != want.Database || c.SecureCookies || c.LogLevel != want.LogLevel || c.LogFormat != want.LogFormat {
		t.Errorf("defaults = %+v, want %+v", *c, want)
	}
	if c.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("base URL = %q, want the listen address", c.BaseURL)
	}
	if m := c.Mail(); m.Enabled() || m.TLS != "starttls" || m.Port != 0 || m.From != "" || m.Username != "" {
		t.Errorf("e-mail defaults = %+v, want off with starttls", m)
	}
	if c.MemoryLimit != 0 {
		t.Errorf("memory limit = %d MiB, want none", c.MemoryLimit)
	}
	for _, v := range []struct{ env, want int }{{110, 110}, {256, 256}} {
		c, err := load(t, map[string]string{EnvMemoryLimit: strconv.Itoa(v.env)})
		if err != nil || c.MemoryLimit != v.want {
			t.Errorf("%s=%d: limit %d, error %v", EnvMemoryLimit, v.env, c.MemoryLimit, err)
		}
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	vars := map[string]string{
		EnvAddr:          "0.0.0.0:9000",
		EnvDataDir:       "/var/lib/cadran",
		EnvSecureCookies: "true",
		EnvLogLevel:      "DEBUG",
		EnvLogFormat:     "json",
	}
	c, err := load(t, vars)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DataDir != "/var/lib/cadran" || !c.SecureCookies || c.LogLevel != "debug" || c.LogFormat != "json" {
		t.Errorf("from environment: %+v", *c)
	}
	if c.Database != filepath.Join("/var/lib/cadran", "cadran.db") {
		t.Errorf("database = %q, want it in the data directory", c.Database)
	}

	// A flag wins over the environment, also for a boolean turned off.
	c, err = load(t, vars, "-addr", "127.0.0.1:7000", "--data-dir", "/srv/d", "-secure-cookies=false", "-log-level", "warn", "-log-format", "text")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DataDir != "/srv/d" || c.SecureCookies || c.LogLevel != "warn" || c.LogFormat != "text" {
		t.Errorf("flags over environment: %+v", *c)
	}
	if c.Database != filepath.Join("/srv/d", "cadran.db") {
		t.Errorf("database = %q, want it in the flag's data directory", c.Database)
	}

	// An explicit database is kept, from the environment or a flag.
	vars[EnvDatabase] = "postgres://cadran:secret@db.local:5432/cadran"
	c, err = load(t, vars)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database != vars[EnvDatabase] {
		t.Errorf("database = %q", c.Database)
	}
	if strings.Contains(c.DatabaseDisplay(), "secret") {
		t.Errorf("DatabaseDisplay shows the password: %q", c.DatabaseDisplay())
	}
	c, err = load(t, vars, "-database", "/tmp/x.db")
	if err != nil || c.Database != "/tmp/x.db" {
		t.Errorf("database flag: %q, %v", c.Database, err)
	}
}

func TestMailSettings(t *testing.T) {
	vars := map[string]string{
		EnvSMTPHost:     "smtp.primaria.ro",
		EnvSMTPPort:     "2525",
		EnvSMTPTLS:      "TLS",
		EnvSMTPUsername: "cadran",
		EnvSMTPPassword: " s3cret parolă ",
		EnvSMTPFrom:     "Cadran Primăria <cadran@primaria.ro>",
		EnvBaseURL:      "https://cadran.primaria.ro/",
	}
	c, err := load(t, vars)
	if err != nil {
		t.Fatal(err)
	}
	want := mail.SMTP{Host: "smtp.primaria.ro", Port: 2525, TLS: "tls", Username: "cadran", Password: " s3cret parolă ", From: "Cadran Primăria <cadran@primaria.ro>"}
	if got := c.Mail(); got != want {
		t.Errorf("from environment: Mail() = %+v, want %+v", got, want)
	}
	if c.BaseURL != "https://cadran.primaria.ro" {
		t.Errorf("base URL = %q, want it without the trailing slash", c.BaseURL)
	}
	if _, err := mail.NewMailer(c.Mail()); err != nil {
		t.Errorf("NewMailer refuses valid settings: %v", err)
	}

	// Flags win over the environment; the password stays.
	c, err = load(t, vars, "-smtp-host", "mail.local", "-smtp-port", "587", "-smtp-tls", "starttls",
		"-smtp-username", "altul", "-smtp-from", "cadran@mail.local", "-base-url", "http://10.0.0.5:8080/cadran/")
	if err != nil {
		t.Fatal(err)
	}
	want = mail.SMTP{Host: "mail.local", Port: 587, TLS: "starttls", Username: "altul", Password: " s3cret parolă ", From: "cadran@mail.local"}
	if got := c.Mail(); got != want {
		t.Errorf("flags over environment: Mail() = %+v, want %+v", got, want)
	}
	if c.BaseURL != "http://10.0.0.5:8080/cadran" {
		t.Errorf("base URL = %q", c.BaseURL)
	}

	// A local relay without TLS or authentication.
	c, err = load(t, nil, "-smtp-host", "localhost", "-smtp-tls", "none", "-smtp-from", "cadran@primaria.ro")
	if err != nil || c.Mail().TLS != "none" || !c.Mail().Enabled() {
		t.Errorf("local relay: %+v, %v", c.Mail(), err)
	}

	// The password has no flag: it would show in the process list.
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	New(env(nil)).Bind(fs)
	if fs.Lookup("smtp-password") != nil {
		t.Error("there is a -smtp-password flag")
	}
	for _, name := range []string{"base-url", "smtp-host", "smtp-port", "smtp-tls", "smtp-username", "smtp-from"} {
		if fs.Lookup(name) == nil {
			t.Errorf("Bind adds no -%s flag", name)
		}
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "http://127.0.0.1:8080"},
		{[]string{"-addr", ":9000"}, "http://localhost:9000"},
		{[]string{"-addr", "0.0.0.0:80"}, "http://localhost:80"},
		{[]string{"-addr", "[::1]:8080"}, "http://[::1]:8080"},
		{[]string{"-base-url", "https://cadran.primaria.ro"}, "https://cadran.primaria.ro"},
		{[]string{"-base-url", " https://cadran.primaria.ro// "}, "https://cadran.primaria.ro"},
		{[]string{"-base-url", "https://primaria.ro/cadran/"}, "https://primaria.ro/cadran"},
	}
	for _, tt := range tests {
		c, err := load(t, nil, tt.args...)
		if err != nil || c.BaseURL != tt.want {
			t.Errorf("%v: base URL = %q, %v; want %q", tt.args, c.BaseURL, err, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // part of the error
	}{
		{"addr without port", nil, []string{"-addr", "localhost"}, "host:port"},
		{"addr bad port", nil, []string{"-addr", "127.0.0.1:http"}, "valid port"},
		{"addr port too big", nil, []string{"-addr", ":70000"}, "valid port"},
		{"empty data dir", nil, []string{"-data-dir", " "}, "data directory"},
		{"bad level", nil, []string{"-log-level", "verbose"}, "log level"},
		{"bad format", nil, []string{"-log-format", "xml"}, "log format"},
		{"mysql url", nil, []string{"-database", "mysql://u:p@h/d"}, "SQLite file path or a postgres://"},
		{"postgres without host", nil, []string{"-database", "postgres:///x"}, "not valid"},
		{"bad bool env", map[string]string{EnvSecureCookies: "maybe"}, nil, EnvSecureCookies},
		{"bad level env", map[string]string{EnvLogLevel: "loud"}, nil, "log level"},
		{"relative base url", nil, []string{"-base-url", "cadran.primaria.ro"}, "base URL"},
		{"ftp base url", nil, []string{"-base-url", "ftp://cadran.primaria.ro"}, "base URL"},
		{"base url with query", nil, []string{"-base-url", "https://cadran.primaria.ro/?a=1"}, "base URL"},
		{"base url with password", nil, []string{"-base-url", "https://u:p@cadran.primaria.ro"}, "base URL"},
		{"bad smtp port env", map[string]string{EnvSMTPPort: "smtp"}, nil, EnvSMTPPort},
		{"bad memory limit env", map[string]string{EnvMemoryLimit: "150MB"}, nil, EnvMemoryLimit},
		{"negative memory limit", nil, []string{"-memory-limit", "-1"}, "memory limit"},
		{"smtp port too big", nil, []string{"-smtp-port", "70000"}, "SMTP port"},
		{"negative smtp port", nil, []string{"-smtp-port", "-1"}, "SMTP port"},
		{"bad smtp tls", nil, []string{"-smtp-tls", "ssl"}, "SMTP TLS mode"},
		{"smtp host as url", nil, []string{"-smtp-host", "smtp://u:p@mail.local", "-smtp-from", "a@b.ro"}, "SMTP host"},
		{"smtp without from", nil, []string{"-smtp-host", "mail.local"}, "sender address"},
		{"smtp bad from", nil, []string{"-smtp-host", "mail.local", "-smtp-from", "Cadran"}, "sender address"},
		{"username without password", nil, []string{"-smtp-username", "cadran"}, EnvSMTPPassword},
		{"auth without tls", map[string]string{EnvSMTPPassword: "p"}, []string{"-smtp-username", "cadran", "-smtp-tls", "none"}, "needs TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.env, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not mention %q", msg, tt.want)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "u:p") {
				t.Errorf("error %q is not one clean line", msg)
			}
		})
	}
	for _, ok := range []string{":0", "[::1]:8080", "0.0.0.0:80"} {
		if _, err := load(t, nil, "-addr", ok); err != nil {
			t.Errorf("addr %q refused: %v", ok, err)
		}
	}
}

func TestBindDatabaseOnly(t *testing.T) {
	c := New(env(nil))
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.BindDatabase(fs)
	if err := fs.Parse([]string{"-addr", ":1"}); err == nil {
		t.Error("-addr accepted by a database-only flag set")
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	c, err := load(t, nil, "-log-format", "json", "-log-level", "warn")
	if err != nil {
		t.Fatal(err)
	}
	l := c.Logger(&buf)
	l.Info("hidden")
	l.Warn("shown", "k", "v")
	out := buf.String()
	if strings.Contains(out, "hidden") || !strings.Contains(out, `"msg":"shown"`) {
		t.Errorf("json warn logger wrote %q", out)
	}
	if c.SlogLevel() != slog.LevelWarn {
		t.Errorf("level = %v", c.SlogLevel())
	}
}
