package main

import (
	"context"
	"fmt"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/config"
	"cadran/internal/org"
)

func (a *app) audit(ctx context.Context, args []string) error {
	c := newCommand("audit verify", "cadran audit verify [flags]", `
Checks every institution's audit trail: each event must carry the hash of
the event before it and match its own hash, and none may be missing. Prints
"audit trail intact" and the number of events checked, or names the first
broken link and exits with status 1.`)
	if len(args) == 0 || (args[0] != "verify" && args[0] != "-h" && args[0] != "-help" && args[0] != "--help") {
		return usagef("audit needs the subcommand verify (cadran audit verify)")
	}
	if args[0] == "verify" {
		args = args[1:]
	}
	cfg := config.New(a.getenv)
	cfg.BindDatabase(c.fs)
	_, err := a.prepare(c, cfg, args)
	if err != nil {
		return err
	}
	d, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	n, brk, err := audit.Verify(ctx, d.R)
	if err != nil {
		return err
	}
	if brk != nil {
		where := fmt.Sprintf("institution %d", brk.Tenant)
		orgs := &org.Service{DB: d, Clock: clock.System{}}
		if inst, err := orgs.Institution(ctx, auth.SystemActor(brk.Tenant, actorName)); err == nil {
			where = fmt.Sprintf("%s (CUI %s)", inst.Name, inst.CUI)
		}
		return fmt.Errorf("audit trail broken in %s at event %d: %s (%s checked)", where, brk.Seq, brk.Reason, plural(n, "event", "events"))
	}
	fmt.Fprintf(a.stdout, "audit trail intact: %s\n", plural(n, "event", "events"))
	return nil
}
