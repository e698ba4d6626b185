// Package mail sends Cadran's e-mail: an SMTP sender built on go-mail and an
// outbox on the database that delivers queued messages, retries temporary
// failures with a back-off and is safe to run in several processes at once.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which is required
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, usually port 465)
	TLSNone     = "none"     // no encryption, for a relay on the same machine or network
)

// TLSModes lists the accepted TLS modes, the default first.
var TLSModes = []string{TLSStartTLS, TLSImplicit, TLSNone}

// DefaultTimeout bounds one SMTP conversation step when SMTP.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// SMTP is how to reach the mail server.
type SMTP struct {
	Host     string // empty: e-mail is off
	Port     int    // 0: 587 for starttls, 465 for tls, 25 for none
	TLS      string // "starttls" (default), "tls" (implicit TLS), "none"
	Username string // empty: no authentication
	Password string
	From     string         // "Cadran <cadran@primaria.ro>" or a bare address
	RootCAs  *x509.CertPool // nil: the system pool (tests pass their own)
	Timeout  time.Duration  // 0: 30s
}

// Enabled reports whether e-mail is configured, that is whether a server is
// named.
func (c SMTP) Enabled() bool { return strings.TrimSpace(c.Host) != "" }

// tlsMode returns the TLS mode, starttls when none is given.
func (c SMTP) tlsMode() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return strings.ToLower(c.TLS)
}

// port returns the port, or the usual one for the TLS mode.
func (c SMTP) port() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.tlsMode() {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	}
	return 587
}

// Message is one rendered e-mail.
type Message struct {
	To      string // a bare address
	ToName  string // the recipient's display name, may be empty
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
}

// Sender sends one message. *Mailer is the real one.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Mailer sends e-mail through an SMTP server. It opens one connection per
// message and is safe for concurrent use.
type Mailer struct {
	c    SMTP
	from *netmail.Address
	opts []gomail.Option
}

// NewMailer checks the settings and returns a mailer for them.
func NewMailer(c SMTP) (*Mailer, error) {
	c.Host = strings.TrimSpace(c.Host)
	if c.Host == "" {
		return nil, errors.New("cannot set up e-mail: no SMTP server given")
	}
	mode := c.tlsMode()
	if !slices.Contains(TLSModes, mode) {
		return nil, fmt.Errorf("cannot set up e-mail: the SMTP TLS mode must be one of %s, not %q", strings.Join(TLSModes, ", "), c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return nil, fmt.Errorf("cannot set up e-mail: the SMTP port must be from 0 to 65535, not %d", c.Port)
	}
	if c.Username != "" && c.Password == "" {
		return nil, errors.New("cannot set up e-mail: the SMTP username needs a password")
	}
	if c.Username != "" && mode == TLSNone {
		// The password would cross the network in clear text.
		return nil, errors.New("cannot set up e-mail: SMTP authentication needs TLS (starttls or tls)")
	}
	from, err := netmail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("cannot set up e-mail: the sender address %q is not valid", c.From)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	opts := []gomail.Option{
		gomail.WithPort(c.port()),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: c.Host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch mode {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.Username != "" {
		// PLAIN (or LOGIN) over the TLS connection, which every server
		// offers; otherwise go-mail picks the best mechanism the server
		// announces.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(c.Username),
			gomail.WithPassword(c.Password))
	}
	// Check the options once now, so that Send only fails on the network.
	if _, err := gomail.NewClient(c.Host, opts...); err != nil {
		return nil, fmt.Errorf("cannot set up e-mail: %w", err)
	}
	return &Mailer{c: c, from: from, opts: opts}, nil
}

// Send delivers msg in one SMTP conversation. An error for which IsPermanent
// is true will not go away by retrying.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	gm, err := m.build(msg)
	if err != nil {
		return fmt.Errorf("cannot send e-mail to %s: %w", msg.To, err)
	}
	// A client per message: go-mail's client keeps per-conversation state
	// (the chosen authentication mechanism) that must not be shared.
	client, err := gomail.NewClient(m.c.Host, m.opts...)
	if err != nil {
		return fmt.Errorf("cannot send e-mail to %s: %w", msg.To, err)
	}
	if err := client.DialAndSendWithContext(ctx, gm); err != nil {
		return fmt.Errorf("cannot send e-mail to %s: %w", msg.To, err)
	}
	return nil
}

// build makes the MIME message: multipart/alternative with a text/plain and
// a text/html part, both UTF-8 and quoted-printable; non-ASCII headers are
// encoded as RFC 2047 words.
func (m *Mailer) build(msg Message) (*gomail.Msg, error) {
	to, err := netmail.ParseAddress(msg.To)
	if err != nil || to.Address != strings.TrimSpace(msg.To) {
		return nil, &permanentError{fmt.Errorf("the recipient address %q is not valid", msg.To)}
	}
	to.Name = oneLine(msg.ToName)

	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	gm.FromMailAddress(m.from)
	gm.ToMailAddress(to)
	gm.Subject(oneLine(msg.Subject))
	gm.SetDateWithValue(time.Now())
	gm.SetMessageIDWithValue(rand.Text() + "@" + domain(m.from.Address))
	gm.SetBodyString(gomail.TypeTextPlain, msg.Text)
	gm.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	return gm, nil
}

// oneLine joins the lines of a header value: a subject or name never
// carries a line break into the header.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}

// domain returns the part of addr after the @, which names the sending
// domain in the Message-ID.
func domain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "localhost"
}

// permanentError marks a failure found before talking to the server that no
// retry can fix, such as a malformed address.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether a send error will not go away by retrying (a
// 5xx reply, a refused recipient, bad credentials).
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := errors.AsType[*permanentError](err); ok {
		return true
	}
	// go-mail reports the MAIL, RCPT and DATA steps as a SendError carrying
	// the server's reply code.
	if se, ok := errors.AsType[*gomail.SendError](err); ok {
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return true
		}
		return se.ErrorCode() >= 500 && se.ErrorCode() < 600
	}
	// Greeting, STARTTLS and AUTH replies come as a textproto.Error.
	if te, ok := errors.AsType[*textproto.Error](err); ok {
		return te.Code >= 500 && te.Code < 600
	}
	return false
}
