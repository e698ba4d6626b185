package main

import (
	"context"
	"fmt"
	"strings"

	"cadran/internal/clock"
	"cadran/internal/config"
	"cadran/internal/org"
)

// institution manages institutions from the command line; its one
// subcommand creates the first institution of a new installation, whose
// administrator is then added with cadran user add.
func (a *app) institution(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && strings.TrimLeft(args[0], "-") == "h" || len(args) > 0 && strings.TrimLeft(args[0], "-") == "help" {
			fmt.Fprintln(a.stdout, "Usage: cadran institution add -name NAME -cui CUI -kind KIND -county COUNTY [flags]\n\nRun cadran institution add -h for its flags.")
			return errHelpShown
		}
		return usagef("institution needs the subcommand add (run cadran institution add -h for help)")
	}
	c := newCommand("institution add", `cadran institution add -name "Primăria Comunei X" -cui CUI -kind KIND -county COUNTY [flags]`, `
Creates an institution (a tenant) in the database. On a new installation,
create the institution first, then its first administrator:

  cadran institution add -name "Primăria Orașului Exemplu" -cui 4322823 -kind town -county Cluj
  cadran user add -institution 4322823 -username ana.pop -name "Ana Pop" -role admin

Kinds: `+strings.Join(org.InstitutionKinds, ", ")+`.
The fiscal code's check digit is verified; the county is written as in
"Mureș", "Bistrița-Năsăud" or "București".`)
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	in := org.InstitutionInput{}
	c.fs.StringVar(&in.Name, "name", "", "the institution's name (required)")
	c.fs.StringVar(&in.CUI, "cui", "", "fiscal code (CUI), with or without RO (required)")
	c.fs.StringVar(&in.Kind, "kind", "", "kind of institution (required): "+strings.Join(org.InstitutionKinds, ", "))
	c.fs.StringVar(&in.County, "county", "", "county (required)")
	_, err := a.prepare(c, cfg, args[1:])
	if err != nil {
		return err
	}
	d, err := openDB(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := migrateDB(ctx, d, cfg); err != nil {
		return err
	}
	orgs := &org.Service{DB: d, Clock: clock.System{}}
	inst, err := orgs.CreateInstitutionSystem(ctx, in)
	if err != nil {
		return fmt.Errorf("cannot add the institution: %s", message(err))
	}
	fmt.Fprintf(a.stdout, "added institution %s, CUI %s (%s, %s); now add its administrator with cadran user add -institution %s\n", inst.Name, inst.CUI, inst.Kind, inst.County, inst.CUI)
	return nil
}
