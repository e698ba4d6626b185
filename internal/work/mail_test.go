package work_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	cmail "cadran/internal/mail"
	"cadran/internal/mail/smtptest"
	"cadran/internal/work"
)

// delivered is one e-mail as its recipient reads it.
type delivered struct {
	To, Subject, Text, HTML string
}

// read parses what the SMTP server received: headers, RFC 2047 words and
// the text and HTML parts, decoded.
func read(t *testing.T, srv *smtptest.Server) []delivered {
	t.Helper()
	var out []delivered
	dec := new(mime.WordDecoder)
	for _, r := range srv.Messages() {
		m, err := mail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatalf("unreadable message: %v", err)
		}
		subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			t.Fatalf("subject %q: %v", m.Header.Get("Subject"), err)
		}
		d := delivered{To: strings.Join(r.To, ","), Subject: subj}
		mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/alternative" {
			t.Fatalf("content type %q, %v", m.Header.Get("Content-Type"), err)
		}
		mr := multipart.NewReader(m.Body, params["boundary"])
		for {
			p, err := mr.NextPart() // decodes quoted-printable
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			if !strings.EqualFold(cp["charset"], "utf-8") {
				t.Errorf("%s charset = %q", ct, cp["charset"])
			}
			switch ct {
			case "text/plain":
				d.Text = string(body)
			case "text/html":
				d.HTML = string(body)
			}
		}
		out = append(out, d)
	}
	return out
}

// find returns the e-mails to an address whose subject starts with prefix.
func find(ms []delivered, to string, prefix ...string) []delivered {
	var out []delivered
	for _, m := range ms {
		if m.To == to && (len(prefix) == 0 || strings.HasPrefix(m.Subject, prefix[0])) {
			out = append(out, m)
		}
	}
	return out
}

// The whole path: a task is handed out, the notice is written in each
// person's language, queued in the same transaction, delivered over a real
// SMTP conversation, and the digest follows the next morning.
func TestNoticesReachPeopleByEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		srv := smtptest.Start(t, smtptest.Options{TLS: "starttls", Username: "cadran", Password: "secret-smtp-2026"})
		mailer, err := cmail.NewMailer(srv.SMTP("Cadran Târgu Mureș <cadran@example.ro>"))
		if err != nil {
			t.Fatal(err)
		}
		outbox := &cmail.Outbox{DB: d, Clock: e.clk, Sender: mailer}
		e.notes.Outbox = outbox

		// Ema turns off e-mail for acknowledgements; Eve reads English.
		if err := e.notes.SetEmailPrefs(ctx, e.emp, []string{work.KindAcknowledge}, map[string]bool{work.KindAcknowledge: false}); err != nil {
			t.Fatal(err)
		}
		e.assign(t, work.NewTask{Ref: doc(1), Kind: work.KindApprove, Title: "Aprobați procedura „Întocmirea bugetului”", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 11, 26)})
		e.assign(t, work.NewTask{Ref: doc(1), Kind: work.KindAcknowledge, Title: "Citiți procedura", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 11, 26)})
		e.assign(t, work.NewTask{Ref: doc(2), Kind: work.KindAttend, Title: "Ședința CMC din 27 noiembrie", Assignee: work.Assignee{PersonID: e.eve}, Due: day(2026, 11, 27)})
		e.assign(t, work.NewTask{Ref: doc(3), Kind: work.KindAnswer, Title: "Petiția nr. 1245", Assignee: work.Assignee{PersonID: e.ion}, Due: day(2026, 11, 20)})
		if _, _, err := outbox.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		ms := read(t, srv)
		if len(ms) != 3 {
			t.Fatalf("delivered %d e-mails, want 3 (Ema's approval, Eve, Ion): %+v", len(ms), ms)
		}
		ema := find(ms, "ema@example.ro")
		if len(ema) != 1 || ema[0].Subject != "Sarcină nouă: Aprobați procedura „Întocmirea bugetului”" {
			t.Fatalf("Ema's e-mails = %+v", ema)
		}
		for _, want := range []string{"Bună ziua, ema,", "Aveți o sarcină nouă (Aprobare), cu termen la 26 noiembrie 2026:", "Aprobați procedura „Întocmirea bugetului”", "https://cadran.example.ro/tasks/", "https://cadran.example.ro/account#notifications"} {
			if !strings.Contains(ema[0].Text, want) || !strings.Contains(ema[0].HTML, want) {
				t.Errorf("Ema's e-mail lacks %q:\n%s\n%s", want, ema[0].Text, ema[0].HTML)
			}
		}
		eve := find(ms, "eve@example.ro")
		if len(eve) != 1 || eve[0].Subject != "New task: Ședința CMC din 27 noiembrie" || !strings.Contains(eve[0].Text, "You have a new task (Attend), due on 27 November 2026:") {
			t.Errorf("Eve's e-mail = %+v", eve)
		}
		// Ion has no account: his e-mail is the only way he hears of it.
		if ion := find(ms, "ion@example.ro"); len(ion) != 1 || !strings.Contains(ion[0].Text, "Petiția nr. 1245") {
			t.Errorf("Ion's e-mail = %+v", ion)
		}

		// Next morning: overdue notices and the digest.
		e.clk.Set(local(11, 24, 7))
		sched := &work.Scheduler{Work: e.work, Auth: e.auth}
		r, err := sched.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Digests != 2 || r.Overdue != 1 || r.Reminders != 3 {
			t.Errorf("morning run = %+v, want 3 reminders, Ion's overdue notice and 2 digests (Ema, Eve)", r)
		}
		if r, err := sched.RunOnce(ctx); err != nil || r.Digests != 0 {
			t.Errorf("second morning run = %+v, %v: digests go once a day", r, err)
		}
		if _, _, err := outbox.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		ms = read(t, srv)[3:]
		// Ema: the reminder of the approval (not of the acknowledgement, which
		// she turned off) and the digest.
		if rem := find(ms, "ema@example.ro", "Reamintire: "); len(rem) != 1 || rem[0].Subject != "Reamintire: Aprobați procedura „Întocmirea bugetului” (termen 26 noiembrie 2026)" {
			t.Errorf("Ema's reminders = %+v", rem)
		}
		digest := find(ms, "ema@example.ro", "Munca dvs.")
		if len(digest) != 1 || digest[0].Subject != "Munca dvs. la 24 noiembrie 2026: 2 sarcini deschise" {
			t.Fatalf("Ema's digest = %+v", digest)
		}
		if !strings.Contains(digest[0].Text, "Săptămâna aceasta:") || !strings.Contains(digest[0].Text, "Aprobați procedura „Întocmirea bugetului” (26.11.2026)") {
			t.Errorf("digest text:\n%s", digest[0].Text)
		}
		// Eve's digest is in English.
		if d := find(ms, "eve@example.ro", "Your work"); len(d) != 1 || d[0].Subject != "Your work on 24 November 2026: one open task" {
			t.Errorf("Eve's digest = %+v", d)
		}
		// Ion, without an account, gets the overdue notice by e-mail.
		if d := find(ms, "ion@example.ro", "Termen"); len(d) != 1 || d[0].Subject != "Termen depășit: Petiția nr. 1245" {
			t.Errorf("Ion's overdue e-mail = %+v", d)
		}
	})
}
