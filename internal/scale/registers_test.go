package scale_test

import (
	"context"
	"strings"
	"testing"

	"cadran/internal/audit"
	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/reviews"
	"cadran/internal/risks"
	"cadran/internal/scale"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// TestRegistersAndAudits generates one institution and reads its registers,
// audits and reviews back through the modules' services.
func TestRegistersAndAudits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := clock.NewFixed(t0)
		tenant := generateOne(t, d)
		p := scale.ProfileFor(testFactor)
		a := auth.SystemActor(tenant, "test")
		ws := &work.Service{DB: d, Clock: c}

		// The totals of the profile.
		nRisks := count(t, d, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1`, tenant)
		nNC := count(t, d, `SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1`, tenant)
		nProp := count(t, d, `SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1`, tenant)
		nAudits := count(t, d, `SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1`, tenant)
		if nRisks != p.Risks || nProp != p.Proposals || nAudits != p.Audits {
			t.Errorf("risks %d, proposals %d, audits %d; want %d, %d, %d", nRisks, nProp, nAudits, p.Risks, p.Proposals, p.Audits)
		}
		// Audit findings raise cases of their own beside the register's.
		if nNC < p.Nonconformities {
			t.Errorf("nonconformities = %d, want at least %d", nNC, p.Nonconformities)
		}
		if n := count(t, d, `SELECT COUNT(DISTINCT year) FROM risks WHERE tenant_id = $1`, tenant); n < p.Years/2 {
			t.Errorf("the register covers %d years", n)
		}

		// The services read them back.
		rs := &risks.Service{DB: d, Clock: c, Work: ws}
		years, err := rs.Years(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		listed := 0
		for _, y := range years {
			_, n, err := rs.List(ctx, a, risks.Filter{Year: y, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			listed += n
		}
		// The register lists the entries of every state but the carried ones,
		// which show as their next year's rows.
		carried := count(t, d, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND state = 'carried'`, tenant)
		if all := count(t, d, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND state <> 'carried'`, tenant); listed != all && listed != nRisks {
			t.Errorf("risks listed over %v = %d, want %d (or %d with %d carried)", years, listed, all, nRisks, carried)
		}
		var desc string
		var year int
		if err := d.R.QueryRowContext(ctx, `SELECT description, year FROM risks WHERE tenant_id = $1 AND state = 'active' ORDER BY id LIMIT 1`, tenant).Scan(&desc, &year); err != nil {
			t.Fatal(err)
		}
		word := strings.Fields(textutil.Fold(desc))[0]
		if _, n, err := rs.List(ctx, a, risks.Filter{Year: year, Query: word, Limit: 5}); err != nil || n == 0 {
			t.Errorf("search %q in %d found %d, %v", word, year, n, err)
		}

		is := &improvement.Service{DB: d, Clock: c, Work: ws}
		if _, n, err := is.List(ctx, a, improvement.Filter{Limit: 1}); err != nil || n != nNC {
			t.Errorf("nonconformities listed = %d, %v; want %d", n, err, nNC)
		}
		var title string
		if err := d.R.QueryRowContext(ctx, `SELECT title FROM nonconformities WHERE tenant_id = $1 ORDER BY id LIMIT 1`, tenant).Scan(&title); err != nil {
			t.Fatal(err)
		}
		q := textutil.Fold(title)
		if _, n, err := is.List(ctx, a, improvement.Filter{Query: q, Limit: 1}); err != nil || n == 0 {
			t.Errorf("search %q found %d, %v", q, n, err)
		}
		if _, n, err := is.Proposals(ctx, a, improvement.ProposalFilter{Limit: 1}); err != nil || n != nProp {
			t.Errorf("proposals listed = %d, %v; want %d", n, err, nProp)
		}
		// Past years' cases are closed, some after their effectiveness check.
		if n := count(t, d, `SELECT COUNT(*) FROM nc_checks WHERE tenant_id = $1 AND verdict = 'effective'`, tenant); n == 0 {
			t.Error("no effectiveness check recorded")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND state = 'closed'`, tenant); n < nNC/2 {
			t.Errorf("closed cases = %d of %d", n, nNC)
		}
		if n := count(t, d, `SELECT COUNT(DISTINCT state) FROM improvement_proposals WHERE tenant_id = $1`, tenant); n < 3 {
			t.Errorf("proposals in %d states only", n)
		}

		as := &audits.Service{DB: d, Clock: c, Work: ws, Improve: is}
		if _, n, err := as.List(ctx, a, audits.Filter{Limit: 1}); err != nil || n != nAudits {
			t.Errorf("audits listed = %d, %v; want %d", n, err, nAudits)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1 AND state = 'closed'`, tenant); n == 0 {
			t.Error("no closed audit")
		}
		revs := &reviews.Service{DB: d, Clock: c, Work: ws}
		if _, n, err := revs.List(ctx, a, reviews.Filter{Limit: 1}); err != nil || n != p.Years {
			t.Errorf("reviews listed = %d, %v; want one a year (%d)", n, err, p.Years)
		}

		// One audit event per record.
		for entity, q := range map[string]string{
			"risk":           `SELECT COUNT(*) FROM risks WHERE tenant_id = $1`,
			"nonconformity":  `SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1`,
			"proposal":       `SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1`,
			"internal_audit": `SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1`,
			"review":         `SELECT COUNT(*) FROM reviews WHERE tenant_id = $1`,
		} {
			want := count(t, d, q, tenant)
			if got := count(t, d, `SELECT COUNT(DISTINCT entity_id) FROM audit_events WHERE tenant_id = $1 AND entity = $2 AND action = 'create'`, tenant, entity); got != want {
				t.Errorf("%s: %d created in the audit trail, %d records", entity, got, want)
			}
		}
		if n, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil || n == 0 {
			t.Errorf("audit chain: %d events, break %+v, %v", n, brk, err)
		}

		// Open items with a due day are in their owners' inboxes; closed
		// ones are not.
		if n := count(t, d, `SELECT COUNT(*) FROM improvement_actions x WHERE x.tenant_id = $1 AND x.state = 'open' AND x.owner_id IS NOT NULL AND x.due_on <> ''
			AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.tenant_id = x.tenant_id AND k.module = 'improvement' AND k.entity = 'action' AND k.entity_id = x.id
				AND k.state = 'open' AND k.person_id = x.owner_id AND k.due_on = x.due_on)`, tenant); n != 0 {
			t.Errorf("%d open actions without their task", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM improvement_actions x JOIN tasks k ON k.tenant_id = x.tenant_id AND k.module = 'improvement' AND k.entity = 'action'
			AND k.entity_id = x.id WHERE x.tenant_id = $1 AND x.state <> 'open' AND k.state = 'open'`, tenant); n != 0 {
			t.Errorf("%d finished actions with an open task", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM risks r WHERE r.tenant_id = $1 AND r.state = 'active' AND r.next_review_on <> ''
			AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.tenant_id = r.tenant_id AND k.module = 'risks' AND k.entity = 'risk' AND k.entity_id = r.id AND k.state = 'open')`, tenant); n != 0 {
			t.Errorf("%d active risks without their review task", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM risks r JOIN tasks k ON k.tenant_id = r.tenant_id AND k.module = 'risks' AND k.entity = 'risk' AND k.entity_id = r.id
			WHERE r.tenant_id = $1 AND r.state <> 'active' AND k.state = 'open'`, tenant); n != 0 {
			t.Errorf("%d closed or carried risks with an open task", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND module IN ('risks', 'improvement')`, tenant); n == 0 {
			t.Error("no open task in the inbox")
		}
	})
}
