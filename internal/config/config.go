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
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/db"
	"cadran/internal/mail"
)

// Defaults.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultDataDir   = "data"
	DefaultLogLevel  = "info"
	DefaultLogFormat = "text"
	DefaultSMTPTLS   = mail.TLSStartTLS
	// DefaultMemoryLimit (MiB) is none: a limit of 110 MiB kept the small
	// institution's server under 150 MiB resident after every page, but on
	// the largest municipality the collector then ran so often on the one
	// core that 30 pages went over their 50 ms (BENCHMARKS.md, issue 13).
	DefaultMemoryLimit = 0
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
	EnvBaseURL       = "CADRAN_BASE_URL"
	EnvSMTPHost      = "CADRAN_SMTP_HOST"
	EnvSMTPPort      = "CADRAN_SMTP_PORT"
	EnvMemoryLimit   = "CADRAN_MEMORY_LIMIT"
	EnvSMTPTLS       = "CADRAN_SMTP_TLS"
	EnvSMTPUsername  = "CADRAN_SMTP_USERNAME"
	// EnvSMTPPassword has no flag: a flag would show in the process list.
	EnvSMTPPassword = "CADRAN_SMTP_PASSWORD"
	EnvSMTPFrom     = "CADRAN_SMTP_FROM"
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
	// BaseURL is the public address of Cadran, used in e-mail links and the
	// calendar feed, such as https://cadran.primaria.ro. Empty means
	// http://<Addr>; Validate fills it in and trims a trailing slash.
	BaseURL string

	// SMTPHost is the mail server; empty turns e-mail off.
	SMTPHost string
	// SMTPPort 0 means the usual port for SMTPTLS: 587, 465 or 25.
	SMTPPort int
	// SMTPTLS is starttls (the default), tls (implicit TLS) or none.
	SMTPTLS      string
	SMTPUsername string
	// SMTPPassword comes only from the environment. Never log it.
	SMTPPassword string
	// SMTPFrom is the sender, such as "Cadran <cadran@primaria.ro>".
	SMTPFrom string

	// MemoryLimit is the soft limit of the Go runtime's memory in MiB (see
	// runtime/debug.SetMemoryLimit): near it the collector runs sooner and
	// gives memory back to the system, so that a burst of downloads does
	// not leave the process holding twice what it uses. 0 leaves the
	// runtime's default (or GOMEMLIMIT).
	MemoryLimit int

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
		SMTPTLS:   DefaultSMTPTLS,

		MemoryLimit: DefaultMemoryLimit,
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
	str(&c.BaseURL, EnvBaseURL)
	str(&c.SMTPHost, EnvSMTPHost)
	str(&c.SMTPTLS, EnvSMTPTLS)
	str(&c.SMTPUsername, EnvSMTPUsername)
	str(&c.SMTPFrom, EnvSMTPFrom)
	// A password may begin or end with a space: it is taken as given.
	c.SMTPPassword = getenv(EnvSMTPPassword)
	if v := strings.TrimSpace(getenv(EnvSMTPPort)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("%s must be a port number from 0 to 65535, not %q", EnvSMTPPort, v))
		}
		c.SMTPPort = n
	}
	if v := strings.TrimSpace(getenv(EnvMemoryLimit)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("%s must be a number of MiB (0 for no limit), not %q", EnvMemoryLimit, v))
		}
		c.MemoryLimit = n
	}
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
	fs.IntVar(&c.MemoryLimit, "memory-limit", c.MemoryLimit, "soft limit of the server's Go memory in MiB; 0 for none ("+EnvMemoryLimit+")")
}

// BindMail adds the e-mail flags: -base-url for the links in e-mails and
// -smtp-host, -smtp-port, -smtp-tls, -smtp-username and -smtp-from. The
// password has no flag, only CADRAN_SMTP_PASSWORD, so that it never shows in
// the process list.
func (c *Config) BindMail(fs *flag.FlagSet) {
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public address of Cadran used in e-mail links and the calendar feed, such as https://cadran.primaria.ro (default http://<addr>) ("+EnvBaseURL+")")
	fs.StringVar(&c.SMTPHost, "smtp-host", c.SMTPHost, "SMTP server that sends e-mail; empty turns e-mail off ("+EnvSMTPHost+")")
	fs.IntVar(&c.SMTPPort, "smtp-port", c.SMTPPort, "SMTP port (default 587 for starttls, 465 for tls, 25 for none) ("+EnvSMTPPort+")")
	fs.StringVar(&c.SMTPTLS, "smtp-tls", c.SMTPTLS, "SMTP encryption: "+strings.Join(mail.TLSModes, ", ")+" ("+EnvSMTPTLS+")")
	fs.StringVar(&c.SMTPUsername, "smtp-username", c.SMTPUsername, "SMTP user name; the password comes from "+EnvSMTPPassword+" ("+EnvSMTPUsername+")")
	fs.StringVar(&c.SMTPFrom, "smtp-from", c.SMTPFrom, "sender of Cadran's e-mail, such as \"Cadran <cadran@primaria.ro>\" ("+EnvSMTPFrom+")")
}

// Bind adds every flag.
func (c *Config) Bind(fs *flag.FlagSet) {
	c.BindDatabase(fs)
	c.BindServer(fs)
	c.BindMail(fs)
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
	if c.MemoryLimit < 0 {
		return fmt.Errorf("the memory limit (-memory-limit, %s) must be a number of MiB, or 0 for none, not %d", EnvMemoryLimit, c.MemoryLimit)
	}
	if !slices.Contains(LogFormats, c.LogFormat) {
		return fmt.Errorf("the log format must be text or json, not %q", c.LogFormat)
	}
	if err := c.checkBaseURL(); err != nil {
		return err
	}
	return c.checkSMTP()
}

// checkBaseURL fills in the default base URL from the listen address and
// checks it is an absolute http(s) URL without a trailing slash.
func (c *Config) checkBaseURL() error {
	c.BaseURL = strings.TrimSpace(c.BaseURL)
	if c.BaseURL == "" {
		c.BaseURL = "http://" + localAddr(c.Addr)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("the base URL (-base-url, %s) must be an absolute http:// or https:// address such as https://cadran.primaria.ro, not %q", EnvBaseURL, redact(c.BaseURL))
	}
	return nil
}

// localAddr is the listen address as a browser on the same machine reaches
// it: a missing or any-address host becomes localhost.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// checkSMTP normalises and checks the e-mail settings.
func (c *Config) checkSMTP() error {
	c.SMTPHost = strings.TrimSpace(c.SMTPHost)
	c.SMTPTLS = strings.ToLower(strings.TrimSpace(c.SMTPTLS))
	c.SMTPUsername = strings.TrimSpace(c.SMTPUsername)
	c.SMTPFrom = strings.TrimSpace(c.SMTPFrom)
	if c.SMTPTLS == "" {
		c.SMTPTLS = DefaultSMTPTLS
	}
	if strings.Contains(c.SMTPHost, "://") || strings.ContainsAny(c.SMTPHost, " /@") {
		return fmt.Errorf("the SMTP host (-smtp-host, %s) must be a host name such as smtp.primaria.ro, not %q", EnvSMTPHost, redact(c.SMTPHost))
	}
	if c.SMTPPort < 0 || c.SMTPPort > 65535 {
		return fmt.Errorf("the SMTP port must be a number from 0 to 65535, not %d", c.SMTPPort)
	}
	if !slices.Contains(mail.TLSModes, c.SMTPTLS) {
		return fmt.Errorf("the SMTP TLS mode (-smtp-tls, %s) must be one of %s, not %q", EnvSMTPTLS, strings.Join(mail.TLSModes, ", "), c.SMTPTLS)
	}
	if c.SMTPUsername != "" && c.SMTPPassword == "" {
		return fmt.Errorf("the SMTP username is set but the password is not: set %s", EnvSMTPPassword)
	}
	if c.SMTPUsername != "" && c.SMTPTLS == mail.TLSNone {
		return errors.New("SMTP authentication needs TLS: set -smtp-tls to starttls or tls, or remove the username")
	}
	if c.SMTPHost == "" {
		return nil
	}
	if c.SMTPFrom == "" {
		return fmt.Errorf("the sender address (-smtp-from, %s) is required when an SMTP host is set", EnvSMTPFrom)
	}
	if _, err := netmail.ParseAddress(c.SMTPFrom); err != nil {
		return fmt.Errorf("the sender address (-smtp-from, %s) must be an e-mail address such as \"Cadran <cadran@primaria.ro>\", not %q", EnvSMTPFrom, c.SMTPFrom)
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

// Mail returns the SMTP settings for the mail package. E-mail is off when
// its Host is empty (see mail.SMTP.Enabled).
func (c *Config) Mail() mail.SMTP {
	return mail.SMTP{
		Host:     c.SMTPHost,
		Port:     c.SMTPPort,
		TLS:      c.SMTPTLS,
		Username: c.SMTPUsername,
		Password: c.SMTPPassword,
		From:     c.SMTPFrom,
	}
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
