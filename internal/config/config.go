// Package config reads Cadran's settings from command-line flags and CADRAN_*
// environment variables. A flag wins over its environment variable, which
// wins over the default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/db"
)

// Defaults.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultDataDir   = "data"
	DefaultLogLevel  = "info"
	DefaultLogFormat = "text"
	// DatabaseFile is the SQLite file in the data directory used when no
	// database is given.
	DatabaseFile = "cadran.db"
)

// Environment variables, one per setting.
const (
	EnvAddr          = "CADRAN_ADDR"
	EnvDataDir       = "CADRAN_DATA_DIR"
	EnvDatabase      = "CADRAN_DATABASE"
	EnvSecureCookies = "CADRAN_SECURE_COOKIES"
	EnvLogLevel      = "CADRAN_LOG_LEVEL"
	EnvLogFormat     = "CADRAN_LOG_FORMAT"
)

// LogLevels and LogFormats are the accepted values.
var (
	LogLevels  = []string{"debug", "info", "warn", "error"}
	LogFormats = []string{"text", "json"}
)

// Config is Cadran's settings.
type Config struct {
	// Addr is the host:port the web server listens on.
	Addr string
	// DataDir holds the SQLite database and, later, uploaded files.
	DataDir string
	// Database is a SQLite file path or a postgres:// URL. Empty means
	// DataDir/cadran.db; Validate fills it in.
	Database string
	// SecureCookies marks the session cookie Secure (behind HTTPS).
	SecureCookies bool
	LogLevel      string
	LogFormat     string

	envErrs []error
}

// New returns the defaults overridden by the environment variables that
// getenv reports (os.Getenv in production). A malformed variable is reported
// by Validate.
func New(getenv func(string) string) *Config {
	c := &Config{
		Addr:      DefaultAddr,
		DataDir:   DefaultDataDir,
		LogLevel:  DefaultLogLevel,
		LogFormat: DefaultLogFormat,
	}
	str := func(dst *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	str(&c.Addr, EnvAddr)
	str(&c.DataDir, EnvDataDir)
	str(&c.Database, EnvDatabase)
	str(&c.LogLevel, EnvLogLevel)
	str(&c.LogFormat, EnvLogFormat)
	if v := strings.TrimSpace(getenv(EnvSecureCookies)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("%s must be true or false, not %q", EnvSecureCookies, v))
		}
		c.SecureCookies = b
	}
	return c
}

// BindDatabase adds the flags that say where the database is: -data-dir and
// -database. Their defaults are the values c holds, so call it after New.
func (c *Config) BindDatabase(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory for Cadran's data: the SQLite database and uploaded files ("+EnvDataDir+")")
	fs.StringVar(&c.Database, "database", c.Database, "SQLite file or postgres:// URL (default <data-dir>/"+DatabaseFile+") ("+EnvDatabase+")")
}

// BindServer adds the web server and logging flags: -addr, -secure-cookies,
// -log-level and -log-format.
func (c *Config) BindServer(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "host:port to listen on ("+EnvAddr+")")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "mark the session cookie Secure; set it when Cadran is reached over HTTPS ("+EnvSecureCookies+")")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: "+strings.Join(LogLevels, ", ")+" ("+EnvLogLevel+")")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json ("+EnvLogFormat+")")
}

// Bind adds every flag.
func (c *Config) Bind(fs *flag.FlagSet) {
	c.BindDatabase(fs)
	c.BindServer(fs)
}

// Validate checks the settings after the flags are parsed, normalises them
// and fills in the default database. It returns the first problem as one
// sentence.
func (c *Config) Validate() error {
	if len(c.envErrs) > 0 {
		return c.envErrs[0]
	}
	c.Addr = strings.TrimSpace(c.Addr)
	c.DataDir = strings.TrimSpace(c.DataDir)
	c.Database = strings.TrimSpace(c.Database)
	c.LogLevel = strings.ToLower(strings.TrimSpace(c.LogLevel))
	c.LogFormat = strings.ToLower(strings.TrimSpace(c.LogFormat))

	if err := checkAddr(c.Addr); err != nil {
		return err
	}
	if c.DataDir == "" {
		return errors.New("the data directory (-data-dir, " + EnvDataDir + ") must not be empty")
	}
	if c.Database == "" {
		c.Database = filepath.Join(c.DataDir, DatabaseFile)
	}
	if err := checkDatabase(c.Database); err != nil {
		return err
	}
	if !slices.Contains(LogLevels, c.LogLevel) {
		return fmt.Errorf("the log level must be one of %s, not %q", strings.Join(LogLevels, ", "), c.LogLevel)
	}
	if !slices.Contains(LogFormats, c.LogFormat) {
		return fmt.Errorf("the log format must be text or json, not %q", c.LogFormat)
	}
	return nil
}

func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("the listen address must be host:port, such as %s, not %q", DefaultAddr, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("the listen address %q has no valid port: give a number from 0 to 65535", addr)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("the listen address %q has an invalid host", addr)
	}
	return nil
}

func checkDatabase(dsn string) error {
	if !db.IsPostgres(dsn) {
		if strings.Contains(dsn, "://") {
			return fmt.Errorf("the database must be a SQLite file path or a postgres:// URL, not %q", redact(dsn))
		}
		return nil
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return errors.New("the database URL is not valid: write it as postgres://user:password@host:5432/name")
	}
	return nil
}

// redact hides a password in a URL-like string so it never reaches a log or
// an error message.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "the given value"
}

// DatabaseDisplay is the database setting safe to show: a PostgreSQL
// password is replaced by xxxxx.
func (c *Config) DatabaseDisplay() string {
	if db.IsPostgres(c.Database) {
		return redact(c.Database)
	}
	return c.Database
}

// SlogLevel returns the log level for log/slog.
func (c *Config) SlogLevel() slog.Level {
	switch c.LogLevel {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Logger returns a logger writing to w in the configured format and level.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.SlogLevel()}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
