package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/i18n"
)

// app is one run of the command line, with its streams and environment so
// tests can run it in-process.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, when set, is called with the server's URL once it listens.
	ready func(url string)
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{stdin: os.Stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
}

// subcommand is one of cadran's commands.
type subcommand struct {
	name, summary string
	run           func(a *app, ctx context.Context, args []string) error
}

func subcommands() []subcommand {
	return []subcommand{
		{"serve", "run the web server", (*app).serve},
		{"demo", "run the web server with a demo town hall and demo users", (*app).demo},
		{"generate", "create the demo at the performance budget's size for benchmarks, and exit", (*app).generate},
		{"migrate", "bring the database schema up to date, or show its version (-status)", (*app).migrate},
		{"institution", "add an institution: the first step of a new installation (institution add)", (*app).institution},
		{"user", "add a user, set a password, list users (user add | passwd | list)", (*app).user},
		{"backup", "copy the SQLite database to a file while Cadran runs", (*app).backup},
		{"restore", "replace the SQLite database with a backup (stop the server first)", (*app).restore},
		{"audit", "check that the audit trail is intact (audit verify)", (*app).audit},
		{"mail", "send a test e-mail to check the SMTP settings (mail test ADDRESS)", (*app).mail},
		{"routes", "list the routes the web server answers (method and pattern)", (*app).routes},
		{"version", "print the version", (*app).version},
	}
}

func (a *app) run(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	if err == nil || errors.Is(err, errHelpShown) {
		return 0
	}
	fmt.Fprintf(a.stderr, "cadran: %s\n", oneLine(message(err)))
	var u *usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func (a *app) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		a.usage(a.stderr)
		return usagef("no command given")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(rest) > 0 && name == "help" {
			return a.dispatch(ctx, []string{rest[0], "-h"})
		}
		a.usage(a.stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	for _, c := range subcommands() {
		if c.name == name {
			return c.run(a, ctx, rest)
		}
	}
	return usagef("unknown command %q (run cadran -h to see the commands)", name)
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, "Cadran %s: quality and performance management for local public administration.\n\n", version)
	fmt.Fprintln(w, "Usage: cadran <command> [flags] [arguments]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range subcommands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun cadran <command> -h for a command's flags. Every flag can also be set with a")
	fmt.Fprintln(w, "CADRAN_* environment variable (for example CADRAN_DATABASE); a flag wins.")
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errHelpShown means -h printed the help: the run succeeded.
var errHelpShown = errors.New("help shown")

// command is a subcommand's flag set and its help text.
type command struct {
	fs    *flag.FlagSet
	usage string // "cadran migrate [flags]"
	about string // what it does, a few lines
}

func newCommand(name, usage, about string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &command{fs: fs, usage: usage, about: about}
}

// parse parses args, allowing flags after the positional arguments, which
// it returns. -h prints the help and returns errHelpShown.
func (a *app) parse(c *command, args []string) ([]string, error) {
	var pos []string
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			a.help(c)
			return nil, errHelpShown
		}
		if err != nil {
			return nil, usagef("%v (run cadran %s -h for help)", err, c.fs.Name())
		}
		rest := c.fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// After "--" everything is a positional argument.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (a *app) help(c *command) {
	fmt.Fprintf(a.stdout, "Usage: %s\n\n%s\n", c.usage, strings.TrimSpace(c.about))
	has := false
	c.fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(a.stdout, "\nFlags:")
		c.fs.SetOutput(a.stdout)
		c.fs.PrintDefaults()
		c.fs.SetOutput(io.Discard)
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(c *command, args []string, names ...string) error {
	if len(args) == len(names) {
		return nil
	}
	if len(args) < len(names) {
		return usagef("%s needs %s (run cadran %s -h for help)", c.fs.Name(), strings.Join(names[len(args):], " and "), c.fs.Name())
	}
	return usagef("%s: unexpected argument %q (run cadran %s -h for help)", c.fs.Name(), args[len(names)], c.fs.Name())
}

// message turns an error into the sentence a person reads. Validation errors
// carry message keys; the command line names them in plain English.
func message(err error) string {
	if v, ok := apperr.AsValidation(err); ok {
		return describe(v)
	}
	var e *apperr.Error
	if errors.As(err, &e) {
		switch {
		case e.Kind == apperr.KindNotFound:
			return fmt.Sprintf("%v not found", e.Args["Entity"])
		case e.Kind == apperr.KindForbidden:
			return "not allowed"
		case e.Key == "error.stale":
			return "the record was changed by someone else; try again"
		}
	}
	return err.Error()
}

// english speaks the command line's messages from the same catalogue as the
// web pages, so a rule's explanation is written once.
var english = i18n.MustLoad().Localizer("en")

// describe writes field errors as one sentence: "cui: not a valid fiscal code".
func describe(v apperr.Validation) string {
	fields := make([]string, 0, len(v))
	for f := range v {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		parts = append(parts, strings.ReplaceAll(f, "_", " ")+": "+english.T(v[f]))
	}
	return strings.Join(parts, "; ")
}

// oneLine keeps an error message on one line, whatever a driver put in it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// plural writes "1 event" or "5 events".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
