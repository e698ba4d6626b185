package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"cadran/internal/mail"
	"cadran/internal/mail/smtptest"
)

// romanian has every letter that goes wrong when a charset or an encoding is.
const romanian = "Procedură de verificare: ședință în Târgu Mureș, ÎNȘTIINȚARE"

const from = "Cadran Primăria Țăndărei <cadran@primaria.ro>"

func message() mail.Message {
	return mail.Message{
		To:      "ana.popescu@primaria.ro",
		ToName:  "Ana Popescu-Ștefănescu (" + romanian + ")",
		Subject: romanian,
		Text:    "Bună ziua,\n\n" + romanian + "\n" + strings.Repeat("ă", 200) + "\n",
		HTML:    `<p lang="ro">Bună ziua,</p><p>` + romanian + `</p><p>` + strings.Repeat("ț", 200) + `</p>`,
	}
}

func send(t *testing.T, c mail.SMTP, m mail.Message) error {
	t.Helper()
	mailer, err := mail.NewMailer(c)
	if err != nil {
		t.Fatalf("NewMailer: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return mailer.Send(ctx, m)
}

func TestSend(t *testing.T) {
	tests := []struct {
		name string
		opts smtptest.Options
	}{
		{"none", smtptest.Options{TLS: "none"}},
		{"starttls", smtptest.Options{TLS: "starttls"}},
		{"starttls with auth", smtptest.Options{TLS: "starttls", Username: "cadran", Password: "s3cret-parolă"}},
		{"tls with auth", smtptest.Options{TLS: "tls", Username: "cadran", Password: "s3cret-parolă"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts)
			m := message()
			before := time.Now().Add(-time.Second).Truncate(time.Second)
			if err := send(t, srv.SMTP(from), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			r := got[0]
			if r.From != "cadran@primaria.ro" || len(r.To) != 1 || r.To[0] != m.To {
				t.Errorf("envelope from %q to %q", r.From, r.To)
			}
			checkMessage(t, r.Data, m, before)
		})
	}
}

// checkMessage parses a raw message as a mail client would and compares it
// with what was sent.
func checkMessage(t *testing.T, raw []byte, m mail.Message, notBefore time.Time) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("cannot parse message: %v\n%s", err, raw)
	}
	h := msg.Header
	dec := &mime.WordDecoder{}

	// Headers are 7-bit: the diacritics travel as RFC 2047 encoded words.
	for _, line := range strings.Split(string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))]), "\r\n") {
		for _, r := range line {
			if r > 127 {
				t.Fatalf("header line is not ASCII: %q", line)
			}
		}
	}
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject = %q (%v), want %q; raw %q", subject, err, m.Subject, h.Get("Subject"))
	}
	ap := netmail.AddressParser{WordDecoder: dec}
	fromAddr, err := ap.Parse(h.Get("From"))
	if err != nil || fromAddr.Name != "Cadran Primăria Țăndărei" || fromAddr.Address != "cadran@primaria.ro" {
		t.Errorf("From = %+v (%v); raw %q", fromAddr, err, h.Get("From"))
	}
	to, err := ap.ParseList(h.Get("To"))
	if err != nil || len(to) != 1 || to[0].Name != m.ToName || to[0].Address != m.To {
		t.Errorf("To = %+v (%v); raw %q", to, err, h.Get("To"))
	}
	date, err := h.Date()
	if err != nil || date.Before(notBefore) || date.After(time.Now().Add(time.Second)) {
		t.Errorf("Date = %v (%v), want about now", date, err)
	}
	id := h.Get("Message-ID")
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@primaria.ro>") || len(id) < 20 {
		t.Errorf("Message-ID = %q", id)
	}

	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" || params["boundary"] == "" {
		t.Fatalf("Content-Type = %q (%v)", h.Get("Content-Type"), err)
	}
	bodies := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("cannot read part: %v", err)
		}
		pt, pp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type %q: %v", p.Header.Get("Content-Type"), err)
		}
		if !strings.EqualFold(pp["charset"], "utf-8") {
			t.Errorf("%s part charset = %q, want UTF-8", pt, pp["charset"])
		}
		var body io.Reader = p
		switch cte := strings.ToLower(p.Header.Get("Content-Transfer-Encoding")); cte {
		case "quoted-printable":
			body = quotedprintable.NewReader(p)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, p)
		case "", "7bit", "8bit":
		default:
			t.Fatalf("%s part has Content-Transfer-Encoding %q", pt, cte)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("cannot decode %s part: %v", pt, err)
		}
		bodies[pt] = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	if len(bodies) != 2 {
		t.Errorf("parts = %v, want text/plain and text/html", keys(bodies))
	}
	if bodies["text/plain"] != m.Text {
		t.Errorf("text part = %q, want %q", bodies["text/plain"], m.Text)
	}
	if bodies["text/html"] != m.HTML {
		t.Errorf("html part = %q, want %q", bodies["text/html"], m.HTML)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSendErrors(t *testing.T) {
	const password = "s3cret-parolă"
	tests := []struct {
		name      string
		opts      smtptest.Options
		change    func(c *mail.SMTP, m *mail.Message)
		permanent bool
	}{
		{"wrong password", smtptest.Options{TLS: "starttls", Username: "cadran", Password: password},
			func(c *mail.SMTP, m *mail.Message) { c.Password = "wrong-" + password }, true},
		{"no credentials", smtptest.Options{TLS: "starttls", Username: "cadran", Password: password},
			func(c *mail.SMTP, m *mail.Message) { c.Username, c.Password = "", "" }, true},
		{"rejected recipient", smtptest.Options{TLS: "tls", RejectRecipient: "nobody@primaria.ro"},
			func(c *mail.SMTP, m *mail.Message) { m.To = "nobody@primaria.ro" }, true},
		{"invalid recipient", smtptest.Options{TLS: "none"},
			func(c *mail.SMTP, m *mail.Message) { m.To = "not an address" }, true},
		{"temporary failure", smtptest.Options{TLS: "starttls", FailTemporarily: 1},
			func(c *mail.SMTP, m *mail.Message) {}, false},
		{"server without STARTTLS", smtptest.Options{TLS: "none"},
			func(c *mail.SMTP, m *mail.Message) { c.TLS = "starttls" }, false},
		{"untrusted certificate", smtptest.Options{TLS: "tls"},
			func(c *mail.SMTP, m *mail.Message) { c.RootCAs = nil }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts)
			c, m := srv.SMTP(from), message()
			tt.change(&c, &m)
			err := send(t, c, m)
			if err == nil {
				t.Fatal("no error")
			}
			if got := mail.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cannot send e-mail to "+m.To+": ") {
				t.Errorf("error %q is not in the house style", msg)
			}
			if strings.Contains(msg, password) {
				t.Errorf("error %q shows the password", msg)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server accepted %d messages", n)
			}
		})
	}

	// After the temporary failure, the next attempt goes through.
	srv := smtptest.Start(t, smtptest.Options{TLS: "starttls", FailTemporarily: 1})
	if err := send(t, srv.SMTP(from), message()); err == nil || mail.IsPermanent(err) {
		t.Fatalf("first send: %v, want a temporary error", err)
	}
	if err := send(t, srv.SMTP(from), message()); err != nil {
		t.Fatalf("second send: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("server accepted %d messages, want 1", n)
	}
}

func TestIsPermanentNil(t *testing.T) {
	if mail.IsPermanent(nil) {
		t.Error("IsPermanent(nil) = true")
	}
}

func TestNewMailer(t *testing.T) {
	ok := mail.SMTP{Host: "smtp.primaria.ro", From: from}
	tests := []struct {
		name   string
		change func(c *mail.SMTP)
		want   string // part of the error; empty: no error
	}{
		{"defaults", func(c *mail.SMTP) {}, ""},
		{"bare from", func(c *mail.SMTP) { c.From = "cadran@primaria.ro" }, ""},
		{"implicit tls", func(c *mail.SMTP) { c.TLS = "TLS"; c.Port = 465 }, ""},
		{"auth", func(c *mail.SMTP) { c.Username, c.Password = "u", "p" }, ""},
		{"no host", func(c *mail.SMTP) { c.Host = " " }, "no SMTP server"},
		{"bad tls", func(c *mail.SMTP) { c.TLS = "ssl" }, "TLS mode"},
		{"bad port", func(c *mail.SMTP) { c.Port = 70000 }, "port"},
		{"bad from", func(c *mail.SMTP) { c.From = "cadran at primaria" }, "sender address"},
		{"no from", func(c *mail.SMTP) { c.From = "" }, "sender address"},
		{"username without password", func(c *mail.SMTP) { c.Username = "u" }, "password"},
		{"auth without tls", func(c *mail.SMTP) { c.TLS, c.Username, c.Password = "none", "u", "p" }, "needs TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			_, err := mail.NewMailer(c)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if (mail.SMTP{}).Enabled() || !ok.Enabled() {
		t.Error("Enabled is wrong")
	}
}
