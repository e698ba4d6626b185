package documents_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
)

// indDoc takes a document of kind, owned by unit, through the workflow into
// force, and sets its distribution list to units.
func indDoc(t *testing.T, e *env, kind, title string, unit int64, units ...int64) (documents.Document, documents.Version) {
	t.Helper()
	ctx := t.Context()
	d := must(e.docs.Create(ctx, e.qm, documents.DocumentInput{Kind: kind, Title: title, UnitID: unit, OwnerID: e.ana}))(t)
	body := sections
	if !documents.Procedural(kind) {
		body = map[string]string{documents.SecBody: "Conducerea se angajează să îmbunătățească serviciile."}
	}
	v := must(e.docs.SaveDraft(ctx, e.qm, d.LatestID, documents.DraftInput{Sections: body, Version: 1}))(t)
	v = must(e.docs.Step(ctx, e.qm, v.ID, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.head.UserID, ApproverID: e.mayor.UserID, Version: v.Version}))(t)
	v = must(e.docs.Step(ctx, e.head, v.ID, documents.StepInput{Action: documents.ActVerify, Version: v.Version}))(t)
	v = must(e.docs.Step(ctx, e.mayor, v.ID, documents.StepInput{Action: documents.ActApprove, Version: v.Version}))(t)
	d = must(e.docs.Document(ctx, e.qm, d.ID))(t)
	var list []documents.Recipient
	for _, u := range units {
		list = append(list, documents.Recipient{UnitID: u, Purpose: documents.PurposeApply})
	}
	if err := e.docs.SetDistribution(ctx, e.qm, d.ID, list, d.Version); err != nil {
		t.Fatal(err)
	}
	return d, v
}

// TestIssueForInduction checks a new employee gets the policy and the
// manual whoever their lists name, and their unit's procedures (from the
// units above it too), each once with a task, and that confirming one
// calls the hook inside the acknowledgement's transaction.
func TestIssueForInduction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		policy, pv := indDoc(t, e, documents.KindPolicy, "Politica în domeniul calității", e.quality)
		manual, mv := indDoc(t, e, documents.KindManual, "Manualul calității", e.quality, e.quality)
		proc, rv := indDoc(t, e, documents.KindOperational, "Acordarea ajutorului social", e.social, e.social)
		indDoc(t, e, documents.KindSystem, "Auditul intern", e.quality, e.quality)
		indDoc(t, e, documents.KindForm, "Cerere tip", e.service, e.service)
		issue := func(person, unit int64) []string {
			var out []string
			err := e.d.Tx(ctx, func(tx *sql.Tx) error {
				docs, err := e.docs.IssueForInduction(ctx, tx, e.qm, person, unit)
				for _, d := range docs {
					out = append(out, fmt.Sprintf("%s %d %d %v", d.Kind, d.DocumentID, d.VersionID, d.Acknowledged))
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		want := []string{
			fmt.Sprintf("policy %d %d false", policy.ID, pv.ID),
			fmt.Sprintf("manual %d %d false", manual.ID, mv.ID),
			fmt.Sprintf("operational_procedure %d %d false", proc.ID, rv.ID),
		}
		if got := issue(e.ema, e.service); !slices.Equal(got, want) {
			t.Fatalf("documents\n got %q\nwant %q", got, want)
		}
		tasks := func(version int64) int {
			return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'documents' AND entity_id = $1 AND person_id = $2 AND kind = 'acknowledge'`, version, e.ema)
		}
		for _, v := range []int64{pv.ID, mv.ID, rv.ID} {
			if n := tasks(v); n != 1 {
				t.Fatalf("version %d: %d tasks", v, n)
			}
		}
		// The policy is on nobody's list: it reached her for application.
		var purpose string
		if err := e.d.R.QueryRowContext(ctx, `SELECT purpose FROM document_receipts WHERE version_id = $1 AND person_id = $2`, pv.ID, e.ema).Scan(&purpose); err != nil || purpose != documents.PurposeApply {
			t.Fatalf("policy receipt %q %v", purpose, err)
		}

		// Confirming reading calls the hook in the same transaction; an
		// error from it undoes the confirmation.
		var calls []string
		e.docs.OnAcknowledged = func(ctx context.Context, tx *sql.Tx, a auth.Actor, person, doc int64) error {
			calls = append(calls, fmt.Sprintf("%d %d", person, doc))
			if doc == manual.ID {
				return errors.New("refused")
			}
			return nil
		}
		if err := e.docs.Acknowledge(ctx, e.emp, pv.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.docs.Acknowledge(ctx, e.emp, mv.ID); err == nil {
			t.Fatal("the hook's error was lost")
		}
		if want := []string{fmt.Sprintf("%d %d", e.ema, policy.ID), fmt.Sprintf("%d %d", e.ema, manual.ID)}; !slices.Equal(calls, want) {
			t.Fatalf("calls %q", calls)
		}
		if must(e.docs.MustAcknowledge(ctx, e.emp, pv.ID))(t) || !must(e.docs.MustAcknowledge(ctx, e.emp, mv.ID))(t) {
			t.Fatal("the manual's confirmation was kept")
		}
		// Issued again: nothing new, and the policy read.
		want[0] = fmt.Sprintf("policy %d %d true", policy.ID, pv.ID)
		if got := issue(e.ema, e.service); !slices.Equal(got, want) {
			t.Fatalf("again\n got %q\nwant %q", got, want)
		}
		for _, v := range []int64{pv.ID, mv.ID, rv.ID} {
			if n := tasks(v); n != 1 {
				t.Fatalf("version %d: %d tasks after issuing again", v, n)
			}
		}
		// Someone of the quality office: the office's system procedure, no
		// social procedure; someone of another institution: refused.
		got := issue(e.ana, e.quality)
		if len(got) != 3 || got[2][:len(documents.KindSystem)] != documents.KindSystem {
			t.Fatalf("quality office's documents %q", got)
		}
		err := e.d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := e.docs.IssueForInduction(ctx, tx, e.other, e.ema, e.service)
			return err
		})
		if err == nil {
			t.Fatal("B issued A's person documents")
		}
	})
}
