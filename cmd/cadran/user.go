package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/config"
	"cadran/internal/db"
	"cadran/internal/org"
)

// actorName is how the audit trail names changes made by cadran user.
const actorName = "cadran user (linie de comandă)"

// envPassword carries a password to cadran user add and passwd.
const envPassword = "CADRAN_PASSWORD"

func (a *app) user(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "add":
		return a.userAdd(ctx, args[1:])
	case "passwd":
		return a.userPasswd(ctx, args[1:])
	case "list":
		return a.userList(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(a.stdout, `Usage: cadran user add | passwd | list [flags]

  user add     add a user to an institution
  user passwd  set a user's password
  user list    list the users, of one institution or all

Run cadran user <subcommand> -h for its flags. Passwords are read from the
CADRAN_PASSWORD environment variable or from standard input, never from a
flag. Every change is recorded in the institution's audit trail.`)
		return errHelpShown
	case "":
		return usagef("user needs a subcommand: add, passwd or list")
	}
	return usagef("unknown subcommand \"user %s\": use add, passwd or list", sub)
}

func roleNames() string {
	names := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func (a *app) userAdd(ctx context.Context, args []string) error {
	c := newCommand("user add", `cadran user add -institution CUI -username NAME -name "Display Name" -role ROLE[,ROLE...] [flags]`, `
Adds a user to the institution with the given fiscal code (CUI). The
password is read from the CADRAN_PASSWORD environment variable or, when it
is not set, from the first line of standard input (typed without echo on a
terminal). It needs at least `+fmt.Sprint(auth.MinPasswordLen)+` characters.

Roles: `+roleNames()+`.`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	cui := c.fs.String("institution", "", "fiscal code (CUI) of the user's institution (required)")
	in := auth.UserInput{}
	c.fs.StringVar(&in.Username, "username", "", "sign-in name: lower-case letters, digits, dots, dashes, underscores (required)")
	c.fs.StringVar(&in.DisplayName, "name", "", "the person's name as screens show it (required)")
	c.fs.StringVar(&in.Email, "email", "", "e-mail address")
	roles := c.fs.String("role", "", "comma-separated roles (required): "+roleNames())
	c.fs.StringVar(&in.Locale, "locale", "ro", "language of the user's screens: ro or en")
	c.fs.BoolVar(&in.PlatformAdmin, "platform-admin", false, "also make the user a platform administrator, who manages every institution")
	pos, err := a.parse(c, args)
	if err != nil {
		return err
	}
	if err := wantArgs(c, pos); err != nil {
		return err
	}
	for _, f := range []struct{ flag, value string }{{"-institution", *cui}, {"-username", in.Username}, {"-name", in.DisplayName}, {"-role", *roles}} {
		if strings.TrimSpace(f.value) == "" {
			return usagef("user add needs %s (run cadran user add -h for help)", f.flag)
		}
	}
	for _, r := range strings.Split(*roles, ",") {
		role := auth.Role(strings.TrimSpace(r))
		if !auth.ValidRole(role) {
			return usagef("unknown role %q: the roles are %s", r, roleNames())
		}
		in.Roles = append(in.Roles, role)
	}
	if err := loadConfig(cfg); err != nil {
		return err
	}
	if in.Password, err = a.readPassword(); err != nil {
		return err
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := migrateDB(ctx, d, cfg); err != nil {
		return err
	}
	inst, err := findInstitution(ctx, d, *cui)
	if err != nil {
		return err
	}
	users := &auth.Service{DB: d, Clock: clock.System{}}
	u, err := users.CreateUser(ctx, auth.SystemActor(inst.ID, actorName), in)
	if err != nil {
		if v, ok := apperr.AsValidation(err); ok && v["username"] == "user.error.username_taken" {
			return fmt.Errorf("the username %s is taken (a username is unique across all institutions)", in.Username)
		}
		return fmt.Errorf("cannot add the user: %s", message(err))
	}
	extra := ""
	if u.PlatformAdmin {
		extra = ", platform administrator"
	}
	fmt.Fprintf(a.stdout, "added user %s (%s) to %s, CUI %s, with roles %s%s\n", u.Username, u.DisplayName, inst.Name, inst.CUI, joinRoles(u.Roles), extra)
	return nil
}

func (a *app) userPasswd(ctx context.Context, args []string) error {
	c := newCommand("user passwd", "cadran user passwd [flags] USERNAME", `
Sets the password of the user USERNAME and signs them out everywhere. The
password is read from the CADRAN_PASSWORD environment variable or, when it
is not set, from the first line of standard input (typed without echo on a
terminal).`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	pos, err := a.prepare(c, cfg, args, "USERNAME")
	if err != nil {
		return err
	}
	password, err := a.readPassword()
	if err != nil {
		return err
	}
	d, err := openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := migrateDB(ctx, d, cfg); err != nil {
		return err
	}
	users := &auth.Service{DB: d, Clock: clock.System{}}
	u, err := users.UserByUsername(ctx, pos[0])
	if errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("there is no user %q (cadran user list shows them)", pos[0])
	} else if err != nil {
		return err
	}
	if err := users.ResetPassword(ctx, auth.SystemActor(u.Tenant, actorName), u.ID, password); err != nil {
		return fmt.Errorf("cannot set the password: %s", message(err))
	}
	fmt.Fprintf(a.stdout, "password of %s changed; the user was signed out everywhere\n", u.Username)
	return nil
}

func (a *app) userList(ctx context.Context, args []string) error {
	c := newCommand("user list", "cadran user list [-institution CUI] [flags]", `
Lists the users of the institution with the given fiscal code (CUI), or of
every institution.`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	cui := c.fs.String("institution", "", "only this institution's users (its CUI)")
	_, err := a.prepare(c, cfg, args)
	if err != nil {
		return err
	}
	d, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	var insts []org.Institution
	if *cui != "" {
		inst, err := findInstitution(ctx, d, *cui)
		if err != nil {
			return err
		}
		insts = append(insts, inst)
	} else if insts, err = allInstitutions(ctx, d); err != nil {
		return err
	}

	users := &auth.Service{DB: d, Clock: clock.System{}}
	w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tNAME\tINSTITUTION\tCUI\tROLES\tNOTES")
	n := 0
	for _, inst := range insts {
		actor := auth.SystemActor(inst.ID, actorName)
		for offset := 0; ; {
			page, total, err := users.Users(ctx, actor, auth.UserFilter{Limit: 500, Offset: offset})
			if err != nil {
				return err
			}
			for _, u := range page {
				var notes []string
				if u.PlatformAdmin {
					notes = append(notes, "platform admin")
				}
				if u.Disabled {
					notes = append(notes, "disabled")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, inst.Name, inst.CUI, joinRoles(u.Roles), strings.Join(notes, ", "))
				n++
			}
			offset += len(page)
			if len(page) == 0 || offset >= total {
				break
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, plural(n, "user", "users"))
	return nil
}

func findInstitution(ctx context.Context, d *db.DB, cui string) (org.Institution, error) {
	orgs := &org.Service{DB: d, Clock: clock.System{}}
	inst, err := orgs.InstitutionByCUI(ctx, cui)
	if errors.Is(err, apperr.ErrNotFound) {
		return inst, fmt.Errorf("there is no institution with the CUI %s", org.NormalizeCUI(cui))
	}
	return inst, err
}

func allInstitutions(ctx context.Context, d *db.DB) ([]org.Institution, error) {
	orgs := &org.Service{DB: d, Clock: clock.System{}}
	var out []org.Institution
	for {
		page, total, err := orgs.Institutions(ctx, auth.SystemActor(0, actorName), "", 500, len(out))
		if err != nil {
			return nil, err
		}
		for _, s := range page {
			out = append(out, s.Institution)
		}
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

func joinRoles(roles []auth.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// readPassword takes the password from CADRAN_PASSWORD or from one line of
// standard input. On a terminal it asks twice, without echo.
func (a *app) readPassword() (string, error) {
	if pw := a.getenv(envPassword); pw != "" {
		return pw, nil
	}
	if f, ok := a.stdin.(*os.File); ok {
		pw, isTerminal, err := withoutEcho(f, func() (string, error) {
			r := bufio.NewReader(f)
			fmt.Fprint(a.stderr, "Parola / Password: ")
			first, err := readLine(r)
			fmt.Fprintln(a.stderr)
			if err != nil {
				return "", err
			}
			fmt.Fprint(a.stderr, "Repetați parola / Repeat the password: ")
			second, err := readLine(r)
			fmt.Fprintln(a.stderr)
			if err != nil {
				return "", err
			}
			if first != second {
				return "", errors.New("the two passwords differ")
			}
			return first, nil
		})
		if isTerminal {
			return pw, err
		}
	}
	return readLine(bufio.NewReader(a.stdin))
}

// readLine reads one line of a password, without its line ending.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("no password given: set " + envPassword + " or write the password on standard input")
		}
		return "", fmt.Errorf("cannot read the password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password given: set " + envPassword + " or write the password on standard input")
	}
	return pw, nil
}
