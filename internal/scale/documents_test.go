package scale_test

import (
	"context"
	"strings"
	"testing"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/scale"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// TestDocuments generates one small institution and reads its register back
// through the documents service: the profile's total, the versions' states,
// the search index, the audit trail and the inbox tasks all agree with what
// the service would have made.
func TestDocuments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := clock.NewFixed(t0)
		tenant := generateOne(t, d)
		p := scale.ProfileFor(testFactor)
		var qmUser int64
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, "calitate.g0001").Scan(&qmUser); err != nil {
			t.Fatal(err)
		}
		users := &auth.Service{DB: d, Clock: c}
		qm, err := users.ActorByID(ctx, qmUser)
		if err != nil {
			t.Fatal(err)
		}
		svc := &documents.Service{DB: d, Clock: c, Work: &work.Service{DB: d, Clock: c}}

		// The register holds the profile's documents, of several kinds.
		list, total, err := svc.List(ctx, qm, documents.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if total != p.Documents || len(list) != p.Documents {
			t.Fatalf("register lists %d (total %d), want %d", len(list), total, p.Documents)
		}
		kinds := map[string]int{}
		states := map[string]int{}
		for _, doc := range list {
			kinds[doc.Kind]++
			states[doc.State]++
		}
		for _, k := range []string{documents.KindManual, documents.KindPolicy, documents.KindSystem, documents.KindOperational} {
			if kinds[k] == 0 {
				t.Errorf("no %s generated (kinds %v)", k, kinds)
			}
		}
		if states[documents.StateInForce] < p.Documents/2 {
			t.Errorf("states %v: most documents should be in force", states)
		}

		// Every document as the service opens it: its versions' story holds.
		var inForce documents.Document
		superseded := 0
		for _, doc := range list {
			view, err := svc.Open(ctx, qm, doc.ID, 0)
			if err != nil {
				t.Fatalf("open %s: %v", doc.Code, err)
			}
			current := 0
			for _, v := range view.Versions {
				switch v.State {
				case documents.StateInForce:
					current++
					if v.ID != doc.CurrentID || v.EffectiveOn == "" || v.ContentHash == "" {
						t.Errorf("%s %s in force but not current (%d) or without date and hash", doc.Code, v.Label(), doc.CurrentID)
					}
				case documents.StateSuperseded:
					superseded++
				}
			}
			if (doc.CurrentID != 0) != (current == 1) {
				t.Errorf("%s: current %d, %d versions in force", doc.Code, doc.CurrentID, current)
			}
			if doc.CurrentID != 0 {
				v, err := svc.Open(ctx, qm, doc.ID, doc.CurrentID)
				if err != nil {
					t.Fatal(err)
				}
				steps := map[string]bool{}
				for _, so := range v.Version.SignOffs {
					steps[so.Step] = so.ContentHash == v.Version.ContentHash
				}
				if !steps["drafted"] || !steps["verified"] || !steps["approved"] {
					t.Errorf("%s %s in force with sign-offs %v", doc.Code, v.Version.Label(), steps)
				}
				if !strings.Contains(doc.Code, "-") || doc.Title == "" {
					t.Errorf("code %q title %q", doc.Code, doc.Title)
				}
				if doc.Kind == documents.KindOperational {
					inForce = doc
				}
			}
		}
		if superseded == 0 {
			t.Errorf("no superseded versions: the register has no history")
		}

		// Search finds a procedure by a word of its text, without diacritics.
		if inForce.ID == 0 {
			t.Fatal("no operational procedure in force")
		}
		var body string
		if err := d.R.QueryRowContext(ctx, `SELECT body FROM document_sections WHERE version_id = $1 AND key = $2`, inForce.CurrentID, documents.SecPurpose).Scan(&body); err != nil {
			t.Fatal(err)
		}
		words := strings.Fields(body)
		query := textutil.Fold(inForce.Title) + " " + textutil.Fold(words[len(words)-1])
		hits, n, err := svc.Search(ctx, qm, query, 20, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hits {
			found = found || h.Document.ID == inForce.ID
		}
		if !found || n == 0 {
			t.Errorf("search %q: %d hits, %s not among them", query, n, inForce.Code)
		}
		ftsID := "rowid"
		if d.Engine == db.Postgres {
			ftsID = "id"
		}
		if got := count(t, d, `SELECT COUNT(*) FROM documents_fts WHERE `+ftsID+` IN (SELECT id FROM documents WHERE tenant_id = $1)`, tenant); got != p.Documents {
			t.Errorf("search index holds %d documents, want %d", got, p.Documents)
		}

		// Every document, version and acknowledgement is audited.
		if got := count(t, d, `SELECT COUNT(DISTINCT entity_id) FROM audit_events WHERE tenant_id = $1 AND entity = 'document' AND action = $2`, tenant, audit.ActionCreate); got != p.Documents {
			t.Errorf("audited document creations = %d, want %d", got, p.Documents)
		}
		if got, want := count(t, d, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'document_version' AND action = $2`, tenant, audit.ActionAcknowledge),
			count(t, d, `SELECT COUNT(*) FROM document_receipts WHERE tenant_id = $1 AND acknowledged_at IS NOT NULL`, tenant); got != want || want == 0 {
			t.Errorf("audited acknowledgements = %d, acknowledged receipts %d", got, want)
		}
		if got, want := count(t, d, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'document_version' AND action = $2 AND summary LIKE '%: approve'`, tenant, audit.ActionTransition),
			count(t, d, `SELECT COUNT(*) FROM document_signoffs WHERE tenant_id = $1 AND step = 'approved'`, tenant); got != want || want == 0 {
			t.Errorf("audited approvals = %d, approved sign-offs %d", got, want)
		}
		if n, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil || n == 0 {
			t.Errorf("audit chain: %d events, break %+v, %v", n, brk, err)
		}

		// The inbox: an open task for each pending acknowledgement of a
		// version in force, each periodic review and each signature awaited.
		if got, want := count(t, d, `SELECT COUNT(*) FROM tasks t WHERE t.tenant_id = $1 AND t.module = 'documents' AND t.kind = $2 AND t.state = 'open'`, tenant, work.KindAcknowledge),
			count(t, d, `SELECT COUNT(*) FROM document_receipts r JOIN document_versions v ON v.id = r.version_id
				JOIN tasks t ON t.entity = 'document_version' AND t.entity_id = r.version_id AND t.person_id = r.person_id AND t.kind = $2 AND t.state = 'open'
				WHERE r.tenant_id = $1 AND r.acknowledged_at IS NULL AND v.state = 'in_force'`, tenant, work.KindAcknowledge); got != want {
			t.Errorf("open acknowledgement tasks = %d, pending receipts with their task %d", got, want)
		}
		if got, want := count(t, d, `SELECT COUNT(*) FROM document_receipts r JOIN document_versions v ON v.id = r.version_id
				WHERE r.tenant_id = $1 AND r.acknowledged_at IS NULL AND v.state = 'in_force'`, tenant),
			count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'documents' AND kind = $2 AND state = 'open'`, tenant, work.KindAcknowledge); got != want {
			t.Errorf("pending receipts = %d, open acknowledgement tasks %d", got, want)
		}
		if got, want := count(t, d, `SELECT COUNT(*) FROM tasks t JOIN documents d ON d.id = t.entity_id AND t.entity = 'document'
				WHERE t.tenant_id = $1 AND t.kind = $2 AND t.state = 'open' AND t.due_on = d.next_review_on`, tenant, work.KindAct),
			count(t, d, `SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND state = 'in_force' AND next_review_on <> ''`, tenant); got != want || want == 0 {
			t.Errorf("open review tasks on the review day = %d, documents in force %d", got, want)
		}
		if got, want := count(t, d, `SELECT COUNT(*) FROM tasks t JOIN document_versions v ON v.id = t.entity_id AND t.entity = 'document_version'
				WHERE t.tenant_id = $1 AND t.kind = $2 AND t.state = 'open' AND v.state IN ('verification', 'endorsement', 'approval')`, tenant, work.KindApprove),
			count(t, d, `SELECT COUNT(*) FROM document_versions WHERE tenant_id = $1 AND state IN ('verification', 'endorsement', 'approval')`, tenant); got != want {
			t.Errorf("open signature tasks = %d, versions awaiting a signature %d", got, want)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'documents' AND kind = $2 AND state = 'done'`, tenant, work.KindAcknowledge); got == 0 {
			t.Errorf("no acknowledgement task was ever done")
		}
	})
}
