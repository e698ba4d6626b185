// Package smtptest runs an in-process SMTP server for tests. It listens on
// 127.0.0.1 over real TCP, speaks plain SMTP, STARTTLS or implicit TLS with a
// self-signed certificate made in memory, can require AUTH PLAIN, and keeps
// every message it accepts so a test can read it back.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"cadran/internal/mail"
)

// Options shape the server's behaviour.
type Options struct {
	// TLS is "none" (the default), "starttls" or "tls".
	TLS string
	// Username and Password, when Username is set, are required through
	// AUTH PLAIN before MAIL FROM.
	Username, Password string
	// RejectRecipient is answered with 550 at RCPT TO.
	RejectRecipient string
	// FailTemporarily is how many DATA commands are answered with 451
	// before messages are accepted.
	FailTemporarily int
}

// Received is one accepted message.
type Received struct {
	From string   // envelope sender
	To   []string // envelope recipients
	Data []byte   // the raw message as sent after DATA
}

// Server is a running test SMTP server.
type Server struct {
	Host string
	Port int
	// CertPool trusts the server's self-signed certificate.
	CertPool *x509.CertPool

	opts Options
	srv  *smtp.Server

	mu       sync.Mutex
	msgs     []Received
	failLeft int
}

// Start starts a server on 127.0.0.1 on a free port; it stops at the end of
// the test.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if o.TLS == "" {
		o.TLS = mail.TLSNone
	}
	cert, pool, err := selfSigned()
	if err != nil {
		t.Fatalf("smtptest: cannot make a certificate: %v", err)
	}
	tlsConf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: cannot listen: %v", err)
	}
	s := &Server{
		Host:     "127.0.0.1",
		Port:     l.Addr().(*net.TCPAddr).Port,
		CertPool: pool,
		opts:     o,
		failLeft: o.FailTemporarily,
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	switch o.TLS {
	case mail.TLSNone:
		srv.AllowInsecureAuth = true
	case mail.TLSStartTLS:
		srv.TLSConfig = tlsConf
	case mail.TLSImplicit:
		l = tls.NewListener(l, tlsConf)
	default:
		l.Close()
		t.Fatalf("smtptest: unknown TLS mode %q", o.TLS)
	}
	s.srv = srv
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		// Serve may not have registered the listener with srv yet.
		l.Close()
		<-done
	})
	return s
}

// Messages returns the messages accepted so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	copy(out, s.msgs)
	return out
}

// SMTP returns settings that reach this server, sending as from.
func (s *Server) SMTP(from string) mail.SMTP {
	return mail.SMTP{
		Host:     s.Host,
		Port:     s.Port,
		TLS:      s.opts.TLS,
		Username: s.opts.Username,
		Password: s.opts.Password,
		From:     from,
		RootCAs:  s.CertPool,
		Timeout:  10 * time.Second,
	}
}

// session is one SMTP connection.
type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

// AuthMechanisms offers PLAIN when the server requires authentication, and
// nothing (no AUTH extension) otherwise.
func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.s.opts.Username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.opts.Username || password != ss.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if r := ss.s.opts.RejectRecipient; r != "" && strings.EqualFold(to, r) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failLeft > 0 {
		s.failLeft--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	s.msgs = append(s.msgs, Received{From: ss.from, To: ss.to, Data: data})
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }

// selfSigned makes an ECDSA certificate for 127.0.0.1 and localhost and a
// pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "smtptest", Organization: []string{"Cadran tests"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
