package demo

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo register shows every part of the documents module: each workflow
// state, a history of editions, distribution with confirmations both given
// and awaited, reviews done and overdue, links, and real procedure text.
func TestSeedFillsTheRegister(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(now)
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s: %s", time.Since(start).Round(time.Millisecond), res)
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		if res.Institutions[0].Documents != len(demoDocuments) {
			t.Errorf("Seed reports %d documents, want %d", res.Institutions[0].Documents, len(demoDocuments))
		}
		users := &auth.Service{DB: d, Clock: clk}
		actor := func(username string) auth.Actor {
			u, err := users.UserByUsername(ctx, username)
			if err != nil {
				t.Fatal(err)
			}
			a, err := users.ActorByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		qm, employee := actor("calitate"), actor("angajat")
		docs := &documents.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.R.QueryRowContext(ctx, q, append([]any{inst.ID}, args...)...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}

		// Every version state, and every kind of document.
		for _, st := range documents.States {
			if n := count(`SELECT COUNT(*) FROM document_versions WHERE tenant_id = $1 AND state = $2`, st); n == 0 {
				t.Errorf("no version is %s", st)
			}
		}
		for _, k := range documents.Kinds {
			if k == documents.KindRecord {
				continue
			}
			if n := count(`SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND kind = $2`, k); n == 0 {
				t.Errorf("no document of kind %s", k)
			}
		}
		if n := count(`SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND kind = $2`, documents.KindOperational); n < 10 || n > 14 {
			t.Errorf("%d operational procedures, want 10 to 14", n)
		}
		if n := count(`SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND state = $2`, documents.StateInForce); n < len(demoDocuments)/2 {
			t.Errorf("only %d documents of %d are in force", n, len(demoDocuments))
		}

		// The quality manual: edition II revision 1 in force, two superseded before it.
		list, _, err := docs.List(ctx, qm, documents.Filter{Query: "MC-01"})
		if err != nil || len(list) != 1 {
			t.Fatalf("the manual: %v, %v", list, err)
		}
		view, err := docs.Open(ctx, qm, list[0].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var history []string
		for _, v := range view.Versions {
			history = append(history, v.Label()+" "+v.State)
		}
		if want := []string{"II.1 in_force", "II.0 superseded", "I.0 superseded"}; !slices.Equal(history, want) {
			t.Errorf("the manual's versions are %q, want %q", history, want)
		}
		steps := []string{}
		for _, so := range view.Version.SignOffs {
			steps = append(steps, so.Step)
		}
		if !slices.Equal(steps, []string{"drafted", "verified", "approved"}) || view.Version.SignOffs[0].Function != "Șef birou" {
			t.Errorf("the manual's sign-offs: %+v", view.Version.SignOffs)
		}

		// A draft rejected once, with the reason on the rejection.
		if n := count(`SELECT COUNT(*) FROM document_signoffs s JOIN document_versions v ON v.id = s.version_id
			WHERE s.tenant_id = $1 AND s.step = 'rejected' AND s.reason <> '' AND v.state = $2`, documents.StateDraft); n != 1 {
			t.Errorf("%d drafts back from a rejection, want 1", n)
		}
		// A document in force with its revision being drafted.
		if n := count(`SELECT COUNT(*) FROM documents d JOIN document_versions l ON l.id = d.latest_id
			WHERE d.tenant_id = $1 AND d.state = $2 AND l.state = $3`, documents.StateInForce, documents.StateDraft); n != 1 {
			t.Errorf("%d documents in force with a revision in draft, want 1", n)
		}
		// Approved, waiting for a day in the future.
		if n := count(`SELECT COUNT(*) FROM document_versions WHERE tenant_id = $1 AND state = $2 AND effective_on > $3`,
			documents.StateApproved, now.Format(time.DateOnly)); n != 1 {
			t.Errorf("%d versions approved for a future day, want 1", n)
		}
		// Withdrawn, with its reason in the trail.
		withdrawn, _, err := docs.List(ctx, qm, documents.Filter{State: documents.StateWithdrawn})
		if err != nil || len(withdrawn) != 1 {
			t.Fatalf("withdrawn documents: %d, %v", len(withdrawn), err)
		}
		if n := count(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'document_version' AND summary LIKE $2 AND after_json LIKE '%nu mai are obiect%'`,
			withdrawn[0].Code+"%withdraw"); n != 1 {
			t.Errorf("the withdrawal of %s has no reason in the audit trail", withdrawn[0].Code)
		}

		// Reviews: one recorded, and some overdue.
		due, _, err := docs.List(ctx, qm, documents.Filter{Review: "due"})
		if err != nil || len(due) == 0 {
			t.Errorf("no document is due for review (%v)", err)
		}
		for _, d := range due {
			if !d.ReviewDue(now) || d.NextReviewOn >= now.Format(time.DateOnly) {
				t.Errorf("%s listed as due for review on %s", d.Code, d.NextReviewOn)
			}
		}
		if n := count(`SELECT COUNT(*) FROM document_reviews WHERE tenant_id = $1`); n != 1 {
			t.Errorf("%d reviews recorded, want 1", n)
		}

		// Distribution: confirmations given and awaited, on the tracker too.
		if n := count(`SELECT COUNT(*) FROM document_receipts WHERE tenant_id = $1 AND acknowledged_at IS NOT NULL`); n < 100 {
			t.Errorf("%d confirmations of reading", n)
		}
		if n := count(`SELECT COUNT(*) FROM document_receipts r JOIN document_versions v ON v.id = r.version_id
			WHERE r.tenant_id = $1 AND r.acknowledged_at IS NULL AND v.state = $2`, documents.StateInForce); n < 3 {
			t.Errorf("%d confirmations awaited", n)
		}
		// The manual's revision came into force a week ago: it is being read.
		_, units, err := docs.Receipts(ctx, qm, list[0].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var read, pending int
		for _, u := range units {
			read += u.Read
			pending += len(u.Pending)
		}
		if read == 0 || pending == 0 || len(units) < 5 {
			t.Errorf("the manual's tracker: %d units, %d read, %d pending", len(units), read, pending)
		}
		// Confirmations are late only by exception, so the lists of overdue
		// work stay readable.
		if n := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'documents' AND state = 'open' AND due_on < $2`,
			now.Format(time.DateOnly)); n == 0 || n > 10 {
			t.Errorf("the register leaves %d overdue tasks, want a few", n)
		}
		roi, _, err := docs.List(ctx, qm, documents.Filter{Query: "Regulamentul intern"})
		if err != nil || len(roi) != 1 {
			t.Fatalf("the internal regulation: %v, %v", roi, err)
		}
		if ok, err := docs.MustAcknowledge(ctx, employee, roi[0].CurrentID); err != nil || !ok {
			t.Errorf("angajat has nothing to confirm on the regulation (%v)", err)
		}
		if c, err := docs.Summary(ctx, employee); err != nil || c.ToAckByMe == 0 {
			t.Errorf("angajat's counts: %+v, %v", c, err)
		}

		// Links to clauses, processes and the forms the procedures use.
		for _, target := range []string{documents.LinkClause, documents.LinkProcess, documents.LinkDocument} {
			if n := count(`SELECT COUNT(*) FROM document_links WHERE tenant_id = $1 AND target = $2`, target); n < 3 {
				t.Errorf("%d links to a %s", n, target)
			}
		}
		form, _, err := docs.List(ctx, qm, documents.Filter{Query: "F-PS-04-01"})
		if err != nil || len(form) != 1 {
			t.Fatalf("the nonconformity form: %v, %v", form, err)
		}
		if used, err := docs.UsedBy(ctx, qm, form[0].ID); err != nil || len(used) != 1 || used[0].Code != "PS-04" {
			t.Errorf("F-PS-04-01 is used by %v (%v)", used, err)
		}

		// The procedures are written out in the OSGG 600 sections, with
		// diacritics the right way.
		rows, err := d.R.QueryContext(ctx, `SELECT d.code, s.key, s.body FROM document_sections s JOIN document_versions v ON v.id = s.version_id
			JOIN documents d ON d.id = v.document_id WHERE s.tenant_id = $1 AND v.id = d.latest_id AND d.kind IN ($2, $3)`,
			inst.ID, documents.KindSystem, documents.KindOperational)
		if err != nil {
			t.Fatal(err)
		}
		sections := map[string]map[string]string{}
		for rows.Next() {
			var code, key, body string
			if err := rows.Scan(&code, &key, &body); err != nil {
				t.Fatal(err)
			}
			if sections[code] == nil {
				sections[code] = map[string]string{}
			}
			sections[code][key] = body
		}
		rows.Close()
		for code, secs := range sections {
			for _, def := range documents.ProcedureSections {
				if len(secs[def.Key]) < 40 {
					t.Errorf("%s: section %s %q is too short", code, def.Key, secs[def.Key])
				}
			}
			desc := secs[documents.SecDescription]
			if !strings.Contains(desc, "\n- ") || !strings.Contains(desc, "\n\n8.2 ") {
				t.Errorf("%s: the description has no numbered paragraphs or bullets", code)
			}
			if !strings.Contains(secs[documents.SecReferences], "Ordinul Secretariatului General al Guvernului nr. 600/2018") {
				t.Errorf("%s: no reference to OSGG 600/2018", code)
			}
		}
		var all strings.Builder
		rows, err = d.R.QueryContext(ctx, `SELECT body FROM document_sections WHERE tenant_id = $1`, inst.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				t.Fatal(err)
			}
			all.WriteString(body)
		}
		rows.Close()
		if strings.ContainsAny(all.String(), "şţŞŢ") {
			t.Error("a document is written with the cedilla ş or ţ")
		}
		for _, r := range []string{"ș", "ț", "ă", "â", "î", "Ș", "Î"} {
			if !strings.Contains(all.String(), r) {
				t.Errorf("no document text has %q", r)
			}
		}

		// Search finds the text, diacritics ignored; the employee does not
		// find drafts.
		hits, _, err := docs.Search(ctx, employee, "petitiilor", 20, 0)
		if err != nil || len(hits) == 0 || !slices.ContainsFunc(hits, func(h documents.Hit) bool { return h.Document.Code == "PO-SRPR-01" }) {
			t.Errorf("searching for petitiilor found %d documents (%v)", len(hits), err)
		}
		if _, n, err := docs.Search(ctx, employee, "extrasul de carte funciara", 20, 0); err != nil || n != 0 {
			t.Errorf("the employee finds the draft PO-DU-02: %d, %v", n, err)
		}
		if _, n, err := docs.Search(ctx, qm, "extrasul de carte funciara", 20, 0); err != nil || n != 1 {
			t.Errorf("the quality manager finds %d documents for the draft PO-DU-02 (%v)", n, err)
		}

		// The signers have the next steps in their inboxes.
		for _, c := range []struct {
			user, kind string
		}{{"calitate", work.KindApprove}, {"primar", work.KindApprove}, {"economic", work.KindApprove}, {"economic", work.KindAct}} {
			a := actor(c.user)
			if n := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'documents' AND state = 'open' AND person_id = $2 AND kind = $3`, a.PersonID, c.kind); n == 0 {
				t.Errorf("%s has no open %s task from the register", c.user, c.kind)
			}
		}
		// Notifications of steps long past were read; the recent ones wait.
		if n := count(`SELECT COUNT(*) FROM notifications WHERE tenant_id = $1 AND read_at IS NULL AND task_id IN (SELECT id FROM tasks WHERE module = 'documents')`); n == 0 {
			t.Error("no unread notification from the register")
		}
		if n := count(`SELECT COUNT(*) FROM notifications WHERE tenant_id = $1 AND read_at IS NULL AND created_at < $2`, now.AddDate(0, 0, -30)); n != 0 {
			t.Errorf("%d notifications older than a month are unread", n)
		}
	})
}
