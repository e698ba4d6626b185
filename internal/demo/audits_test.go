package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// The demo's internal audit on 23 November 2026: the auditor register, last
// year's programme done, this year's started from it and approved in
// January, its audits closed, one under way, the last planned for December,
// and their findings in the nonconformity register.
func TestSeedFillsTheAuditProgramme(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		if res.Institutions[0].Audits != len(lastYearAudits)+len(thisYearAudits) {
			t.Errorf("Seed counted %d audits", res.Institutions[0].Audits)
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.R.QueryRowContext(ctx, q, append([]any{inst.ID}, args...)...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		if n := count(`SELECT COUNT(*) FROM auditors WHERE tenant_id = $1 AND active = TRUE`); n != 4 {
			t.Errorf("%d auditors, want 4", n)
		}
		if n := count(`SELECT COUNT(*) FROM auditor_qualifications WHERE tenant_id = $1 AND expires_on >= '2026-11-23' AND expires_on <= '2027-01-22'`); n != 1 {
			t.Errorf("%d certificates expiring soon, want 1", n)
		}
		if n := count(`SELECT COUNT(*) FROM audit_programmes WHERE tenant_id = $1 AND state = 'approved' AND year IN (2025, 2026)`); n != 2 {
			t.Errorf("%d approved programmes, want 2", n)
		}
		if n := count(`SELECT COUNT(*) FROM audit_programmes WHERE tenant_id = $1 AND year = 2026 AND previous_id IS NOT NULL AND approved_at < '2026-02-01'`); n != 1 {
			t.Error("the 2026 programme was not started from 2025's and approved in January")
		}
		if n := count(`SELECT COUNT(*) FROM audit_programme_items i JOIN audit_programmes p ON p.id = i.programme_id WHERE i.tenant_id = $1 AND p.year = 2026 AND i.change <> ''`); n < 3 {
			t.Errorf("only %d rows of the 2026 programme are marked as changed", n)
		}
		if n := count(`SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1 AND year = 2025 AND state = 'closed' AND reported_on <> '' AND conclusions <> ''`); n != len(lastYearAudits) {
			t.Errorf("%d closed audits in 2025, want %d", n, len(lastYearAudits))
		}
		closed := count(`SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1 AND year = 2026 AND state = 'closed'`)
		under := count(`SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1 AND year = 2026 AND state = 'in_progress'`)
		planned := count(`SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1 AND year = 2026 AND state = 'planned' AND start_on >= '2026-12-01'`)
		if closed < 7 || under != 1 || planned < 1 {
			t.Errorf("2026 audits: %d closed, %d under way, %d planned for December", closed, under, planned)
		}
		// The audit under way has part of its checklist filled.
		if n := count(`SELECT COUNT(*) FROM audit_checklist c JOIN internal_audits x ON x.id = c.audit_id WHERE c.tenant_id = $1 AND x.state = 'in_progress' AND c.verdict = ''`); n == 0 {
			t.Error("the audit under way has its whole checklist filled")
		}
		if n := count(`SELECT COUNT(*) FROM audit_checklist c JOIN internal_audits x ON x.id = c.audit_id WHERE c.tenant_id = $1 AND x.state = 'in_progress' AND c.verdict <> ''`); n == 0 {
			t.Error("the audit under way has no verdict yet")
		}
		// Every finding opened its case; last year's major one is followed up.
		findings := count(`SELECT COUNT(*) FROM audit_findings WHERE tenant_id = $1`)
		cases := count(`SELECT COUNT(*) FROM nonconformities n JOIN audit_findings f ON f.nc_id = n.id WHERE n.tenant_id = $1 AND n.source_module = 'audits' AND n.source_entity = 'audit_finding' AND n.source_id = f.id`)
		if findings < 10 || cases != findings {
			t.Errorf("%d findings, %d linked cases", findings, cases)
		}
		if n := count(`SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND source_module = 'audits' AND state = 'closed'`); n < 3 {
			t.Errorf("only %d audit cases closed", n)
		}
		if n := count(`SELECT COUNT(*) FROM audit_checklist WHERE tenant_id = $1 AND source = 'followup'`); n < 1 {
			t.Error("no follow-up of last year's open finding")
		}
		if n := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'audits' AND state = 'open'`); n < 3 {
			t.Errorf("only %d open audit tasks in the inbox", n)
		}
	})
}
