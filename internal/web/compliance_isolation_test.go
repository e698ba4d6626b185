package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/compliance"
	"cadran/internal/improvement"
)

// complianceRecords gives institution A a clause assessment, evidence
// recorded by hand, the policy and scope settings with an exclusion, an
// external audit with a finding (and its nonconformity) and a certificate.
func complianceRecords(t *testing.T, f *fixture) (isolationRecords, func(t *testing.T)) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.compliance
	st, err := svc.SetStatus(ctx, sys, "7.5", compliance.StatusInput{Status: compliance.StatusPartial, OwnerID: f.A.Person.ID, Notes: "Alfa evidența documentelor"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := svc.AddEvidence(ctx, sys, "7.5", compliance.ManualInput{Title: "Alfa Registrul de intrare-ieșire", Reference: "RI-2026"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := svc.SaveSettings(ctx, sys, compliance.SettingsInput{ScopeText: "Alfa serviciile publice locale", Exclusions: map[string]string{"8.3": "Alfa nu proiectează servicii."}})
	if err != nil {
		t.Fatal(err)
	}
	x, err := svc.CreateAudit(ctx, sys, compliance.AuditInput{Body: "Alfa Cert SRL", Kind: compliance.KindSurveillance2, StartsOn: "2026-10-19", EndsOn: "2026-10-20",
		LeadAuditor: "Alfa Auditor-șef", Result: compliance.ResultRecommended})
	if err != nil {
		t.Fatal(err)
	}
	fd, err := svc.AddFinding(ctx, sys, x.ID, compliance.FindingInput{Severity: improvement.SeverityMinor, Clause: "7.5.3", Text: "Alfa procedură în două ediții"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateCertificate(ctx, sys, compliance.CertInput{Number: "Alfa-RO-1", Body: "Alfa Cert SRL", IssuedOn: "2024-11-04"})
	if err != nil {
		t.Fatal(err)
	}
	recs := isolationRecords{
		IDs: map[string]string{"/compliance/evidence/{id}": strconv.FormatInt(ev.ID, 10), "/compliance/audits/{id}": strconv.FormatInt(x.ID, 10),
			"/compliance/certificates/{id}": strconv.FormatInt(c.ID, 10)},
		Params: map[string]string{"{clause}": "7.5"},
		Form: url.Values{"cmp_status": {compliance.StatusImplemented}, "cmp_policy_doc": {strconv.FormatInt(f.A.Doc.ID, 10)}, "cmp_ev_title": {"Intrus"},
			"cmp_ev_url": {"javascript:alert(1)"}, "cmp_finding": {"Intrus"}, "cmp_body": {"Intrus"}},
	}
	check := func(t *testing.T) {
		after, err := svc.Status(ctx, sys, "7.5")
		if err != nil || after.Version != st.Version || after.Status != compliance.StatusPartial {
			t.Errorf("A's clause changed during B's requests: %+v (%v)", after, err)
		}
		if _, err := svc.Evidence(ctx, sys, ev.ID); err != nil {
			t.Errorf("A's evidence is gone: %v", err)
		}
		if s2, err := svc.Settings(ctx, sys); err != nil || s2.Version != set.Version || s2.ScopeText != set.ScopeText {
			t.Errorf("A's settings changed: %+v (%v)", s2, err)
		}
		if x2, err := svc.ExternalAudit(ctx, sys, x.ID); err != nil || x2.Version != x.Version {
			t.Errorf("A's audit changed: %+v (%v)", x2, err)
		}
		if fs, err := svc.Findings(ctx, sys, x.ID); err != nil || len(fs) != 1 || fs[0].ID != fd.ID {
			t.Errorf("A's findings: %+v (%v)", fs, err)
		}
		if c2, err := svc.Certificate(ctx, sys, c.ID); err != nil || c2.Version != c.Version {
			t.Errorf("A's certificate changed: %+v (%v)", c2, err)
		}
		var n int
		if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM compliance_clauses WHERE tenant_id <> $1 AND owner_id = $2`, f.A.Inst.ID, f.A.Person.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B named A's person owner of %d clauses (err %v)", n, err)
		}
		if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM compliance_settings WHERE tenant_id <> $1 AND policy_doc_id = $2`, f.A.Inst.ID, f.A.Doc.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B chose A's document as its policy (%d, err %v)", n, err)
		}
		if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM compliance_external_findings WHERE tenant_id <> $1 AND audit_id = $2`, f.A.Inst.ID, x.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("B added %d findings to A's audit (err %v)", n, err)
		}
	}
	return recs, check
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		recs, check := complianceRecords(t, f)
		recs.Check = check
		return recs
	})
}
