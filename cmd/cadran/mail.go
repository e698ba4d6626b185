package main

import (
	"context"
	"fmt"
	netmail "net/mail"

	"cadran/internal/config"
	"cadran/internal/mail"
)

func (a *app) mail(ctx context.Context, args []string) error {
	c := newCommand("mail test", "cadran mail test [flags] ADDRESS", `
Sends one test e-mail to ADDRESS through the SMTP server that cadran serve
would use (-smtp-host and the other -smtp flags, or the CADRAN_SMTP_*
variables; the password only from CADRAN_SMTP_PASSWORD), so the settings
can be checked before people rely on them. It needs no database.`)
	if len(args) == 0 || (args[0] != "test" && args[0] != "-h" && args[0] != "-help" && args[0] != "--help") {
		return usagef("mail needs the subcommand test (cadran mail test ADDRESS)")
	}
	if args[0] == "test" {
		args = args[1:]
	}
	cfg := config.New(a.getenv)
	cfg.BindMail(c.fs)
	pos, err := a.prepare(c, cfg, args, "ADDRESS")
	if err != nil {
		return err
	}
	if addr, err := netmail.ParseAddress(pos[0]); err != nil || addr.Address != pos[0] {
		return usagef("%q is not an e-mail address", pos[0])
	}
	smtp := cfg.Mail()
	if !smtp.Enabled() {
		return usagef("no SMTP server is set: give -smtp-host (or %s)", config.EnvSMTPHost)
	}
	m, err := mail.NewMailer(smtp)
	if err != nil {
		return err
	}
	msg := mail.Message{
		To:      pos[0],
		Subject: "Cadran: e-mail de test / test e-mail",
		Text: "Acesta este un e-mail de test trimis de Cadran: setările serverului de e-mail sunt corecte.\n\n" +
			"This is a test e-mail sent by Cadran: the mail server settings work.\n",
		HTML: "<p>Acesta este un e-mail de test trimis de Cadran: setările serverului de e-mail sunt corecte.</p>" +
			"<p lang=\"en\">This is a test e-mail sent by Cadran: the mail server settings work.</p>",
	}
	if err := m.Send(ctx, msg); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "test e-mail sent to %s through %s\n", pos[0], smtp.Host)
	return nil
}
