package main

import (
	"bytes"
	"mime"
	"net/mail"
	"strconv"
	"testing"

	"cadran/internal/mail/smtptest"
)

func TestMailTest(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{TLS: "none"})
	c := cli{env: map[string]string{
		"CADRAN_SMTP_HOST": srv.Host, "CADRAN_SMTP_PORT": strconv.Itoa(srv.Port), "CADRAN_SMTP_TLS": "none",
		"CADRAN_SMTP_FROM": "Cadran Târgu Verde <cadran@example.ro>",
	}}
	out := c.must(t, "mail", "test", "calitate@example.ro")
	if out != "test e-mail sent to calitate@example.ro through "+srv.Host+"\n" {
		t.Errorf("stdout = %q", out)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != "calitate@example.ro" {
		t.Fatalf("received %+v", got)
	}
	m, err := mail.ReadMessage(bytes.NewReader(got[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	from, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("From"))
	if from != `"Cadran Târgu Verde" <cadran@example.ro>` && from != "Cadran Târgu Verde <cadran@example.ro>" {
		t.Errorf("From = %q", from)
	}

	// Without a server, or with a bad address, one clear line and exit 2.
	oneError(t, cli{}.run(t, "mail", "test", "calitate@example.ro"), 2, "CADRAN_SMTP_HOST")
	oneError(t, c.run(t, "mail", "test", "not an address"), 2, "not an e-mail address")
	oneError(t, c.run(t, "mail"), 2, "mail test ADDRESS")
	// A server that refuses: exit 1 with the reason.
	refusing := smtptest.Start(t, smtptest.Options{TLS: "none", RejectRecipient: "nobody@example.ro"})
	c.env["CADRAN_SMTP_PORT"] = strconv.Itoa(refusing.Port)
	oneError(t, c.run(t, "mail", "test", "nobody@example.ro"), 1, "nobody@example.ro")
}
