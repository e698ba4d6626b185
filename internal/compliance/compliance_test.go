package compliance_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// source is another module's clause evidence, as the audits and reviews
// modules state it.
type source []evidence.Item

func (s source) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	return s, nil
}

type env struct {
	d       *db.DB
	clk     *clock.Fixed
	work    *work.Service
	docs    *documents.Service
	improve *improvement.Service
	risks   *risks.Service
	svc     *compliance.Service
	src     *source

	unit, person, otherPerson int64
	qm, signer, viewer, sys   auth.Actor
	other                     auth.Actor // B's quality manager
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, src: &source{}}
	e.work = &work.Service{DB: d, Clock: clk, Notify: &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}}
	e.docs = &documents.Service{DB: d, Clock: clk, Work: e.work}
	e.improve = &improvement.Service{DB: d, Clock: clk, Work: e.work}
	e.risks = &risks.Service{DB: d, Clock: clk, Work: e.work}
	e.svc = &compliance.Service{DB: d, Clock: clk, Work: e.work, Improve: e.improve, Sources: []evidence.Source{e.src}}
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	a, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Verde", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sys = auth.SystemActor(a.ID, "test")
	u, err := o.CreateUnit(ctx, e.sys, org.UnitInput{Name: "Biroul Managementul Calității", Code: "BMC", Kind: "office", Relation: "own"})
	if err != nil {
		t.Fatal(err)
	}
	e.unit = u.ID
	user := func(sys auth.Actor, unit int64, name string, roles ...auth.Role) (auth.Actor, int64) {
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: unit, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		usr, err := as.CreateUser(ctx, sys, auth.UserInput{Username: strings.ToLower(strings.Fields(name)[0]), DisplayName: name, Password: "parola-buna-2026", PersonID: p.ID, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		act, err := as.ActorByID(ctx, usr.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act, p.ID
	}
	e.qm, e.person = user(e.sys, e.unit, "Ana Mureșan", auth.RoleQualityManager)
	e.signer, _ = user(e.sys, e.unit, "Primar Țepeș", auth.RoleTopManagement)
	e.viewer, _ = user(e.sys, e.unit, "Consilier Știrbu", auth.RoleViewer)
	e.other, e.otherPerson = user(auth.SystemActor(b.ID, "test"), 0, "Bob Bratu", auth.RoleQualityManager)
	return e
}

func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantKey(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok || v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, err)
	}
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// document registers a document, in force unless draft, linked to clauses.
func (e *env) document(t *testing.T, kind, title string, draft bool, clauses ...string) documents.Document {
	t.Helper()
	ctx := t.Context()
	d := must(e.docs.Create(ctx, e.sys, documents.DocumentInput{Kind: kind, Title: title, UnitID: e.unit, OwnerID: e.person}))(t)
	sections := map[string]string{}
	for _, s := range documents.SectionsOf(kind) {
		sections[s.Key] = title + ": text."
	}
	v := must(e.docs.SaveDraft(ctx, e.sys, d.LatestID, documents.DraftInput{Sections: sections, Version: 1}))(t)
	if !draft {
		for _, st := range []struct {
			a  auth.Actor
			in documents.StepInput
		}{
			{e.sys, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.signer.UserID, ApproverID: e.signer.UserID}},
			{e.signer, documents.StepInput{Action: documents.ActVerify}},
			{e.signer, documents.StepInput{Action: documents.ActApprove}},
		} {
			st.in.Version = v.Version
			v = must(e.docs.Step(ctx, st.a, v.ID, st.in))(t)
		}
	}
	for _, c := range clauses {
		if err := e.docs.AddLink(ctx, e.sys, d.ID, documents.LinkInput{Target: documents.LinkClause, Key: c}); err != nil {
			t.Fatal(err)
		}
	}
	return must(e.docs.Document(ctx, e.sys, d.ID))(t)
}

func (e *env) nc(t *testing.T, clause, severity string) improvement.Nonconformity {
	t.Helper()
	return must(e.improve.Create(t.Context(), e.qm, improvement.NCInput{Title: "Cerere soluționată peste termen " + clause, Source: improvement.SourceComplaint,
		Clause: clause, Severity: severity, UnitID: e.unit}))(t)
}

func TestClauseStatusRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		st := must(e.svc.Status(ctx, e.qm, "8.3"))(t)
		if st.Status != compliance.StatusNotAssessed || st.Version != 0 {
			t.Fatalf("a clause never assessed = %+v", st)
		}
		_, err := e.svc.SetStatus(ctx, e.qm, "8.3", compliance.StatusInput{Status: compliance.StatusNotApplicable})
		wantKey(t, err, "cmp_justification", "compliance.error.justification")
		_, err = e.svc.SetStatus(ctx, e.qm, "5.2", compliance.StatusInput{Status: compliance.StatusNotApplicable, Justification: "Nu se aplică."})
		wantKey(t, err, "cmp_status", "compliance.error.not_excludable")
		_, err = e.svc.SetStatus(ctx, e.qm, "4.1", compliance.StatusInput{Status: "done"})
		wantKey(t, err, "cmp_status", "error.choice")
		if _, err := e.svc.SetStatus(ctx, e.qm, "11.1", compliance.StatusInput{Status: compliance.StatusImplemented}); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("an unknown clause: %v", err)
		}
		if _, err := e.svc.SetStatus(ctx, e.viewer, "4.1", compliance.StatusInput{Status: compliance.StatusImplemented}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("the viewer set a status: %v", err)
		}
		_, err = e.svc.SetStatus(ctx, e.qm, "4.1", compliance.StatusInput{Status: compliance.StatusImplemented, OwnerID: e.otherPerson})
		wantKey(t, err, "owner_id", "error.choice")

		na := must(e.svc.SetStatus(ctx, e.qm, "8.3", compliance.StatusInput{Status: compliance.StatusNotApplicable, Justification: "Primăria nu proiectează servicii noi.", OwnerID: e.person}))(t)
		if na.Version != 1 || na.Justification == "" || na.OwnerName != "Ana Mureșan" || na.AssessedName != "Ana Mureșan" {
			t.Fatalf("after the first assessment: %+v", na)
		}
		// A page loaded before the assessment is refused.
		if _, err := e.svc.SetStatus(ctx, e.qm, "8.3", compliance.StatusInput{Status: compliance.StatusImplemented, Version: 0}); !isStale(err) {
			t.Fatalf("a stale status: %v", err)
		}
		impl := must(e.svc.SetStatus(ctx, e.qm, "8.3", compliance.StatusInput{Status: compliance.StatusImplemented, Justification: "rămas din formular", Version: 1}))(t)
		if impl.Justification != "" || impl.Version != 2 {
			t.Errorf("an implemented clause keeps a justification: %+v", impl)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'compliance_clause'`); n != 2 {
			t.Errorf("%d audit events for two assessments", n)
		}
		// B sees its own clause, not assessed.
		if b := must(e.svc.Status(ctx, e.other, "8.3"))(t); b.Status != compliance.StatusNotAssessed {
			t.Errorf("B sees A's status: %+v", b)
		}
	})
}

func TestEvidenceAggregationAndRollUp(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.document(t, documents.KindPolicy, "Politica în domeniul calității", false, "5.2.2")
		e.document(t, documents.KindSystem, "Controlul informațiilor documentate", true, "7.5")
		must(e.risks.Propose(ctx, e.sys, risks.Input{Kind: risks.KindRisk, UnitID: e.unit, Description: "Pierderea documentelor", InherentP: 3, InherentI: 3, Strategy: risks.StrategyTreat}))(t)
		r := must(e.risks.Propose(ctx, e.sys, risks.Input{Kind: risks.KindRisk, UnitID: e.unit, Description: "Întârzierea răspunsurilor", InherentP: 3, InherentI: 4, Strategy: risks.StrategyTreat}))(t)
		must(e.risks.Step(ctx, e.sys, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}))(t)
		e.nc(t, "8.5.1", improvement.SeverityMinor)
		must(e.svc.AddEvidence(ctx, e.qm, "7.1.2", compliance.ManualInput{Title: "Statul de funcții aprobat prin HCL nr. 12/2026", Reference: "HCL 12/2026", On: "2026-02-10"}))(t)
		*e.src = source{
			{Clause: "7.1", Kind: evidence.KindAudit, Entity: "audit", ID: 1, Code: "AI-2026-01", Date: time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC), Result: evidence.ResultConform},
			{Clause: "7.1", Kind: evidence.KindAudit, Entity: "audit", ID: 1, Code: "AI-2026-01", Date: time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC), Result: evidence.ResultMinor},
			{Clause: "7.1", Kind: evidence.KindAudit, Entity: "audit", ID: 2, Code: "AI-2025-04", Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Result: evidence.ResultMajor},
			{Clause: "9.3", Kind: evidence.KindReview, Entity: "review", ID: 7, Code: "AM-2026", Date: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)},
		}
		if _, err := e.svc.AddEvidence(ctx, e.qm, "7.1.2", compliance.ManualInput{Title: "x", URL: "javascript:alert(1)", On: "2027-01-01"}); err == nil {
			t.Fatal("evidence with a script address and a future date was saved")
		} else {
			wantKey(t, err, "cmp_ev_url", "compliance.error.url")
			wantKey(t, err, "cmp_ev_on", "compliance.error.future")
		}

		m := must(e.svc.Matrix(ctx, e.qm, compliance.Filter{}))(t)
		rows := map[string]compliance.Row{}
		for _, r := range m.Rows {
			rows[r.Clause.Code] = r
		}
		if len(m.Rows) != 48 {
			t.Fatalf("the matrix has %d rows", len(m.Rows))
		}
		for _, c := range []struct {
			code string
			want compliance.Counts
			ncs  int
		}{
			{"5.2.2", compliance.Counts{Documents: 1}, 0},
			{"5.2", compliance.Counts{Documents: 1}, 0}, // rolled up from 5.2.2
			{"5.2.1", compliance.Counts{}, 0},
			{"7.5", compliance.Counts{Pending: 1}, 0}, // a draft is pending, not evidence
			{"6.1", compliance.Counts{Registers: 1}, 0},
			{"8.5.1", compliance.Counts{Registers: 1}, 1},
			{"8.5", compliance.Counts{Registers: 1}, 1},
			{"10.2", compliance.Counts{Registers: 1}, 0},
			{"7.1.2", compliance.Counts{Manual: 1, Audits: 3}, 0}, // its parent's audits covered it
			{"7.1", compliance.Counts{Manual: 1, Audits: 3}, 0},
			{"9.3", compliance.Counts{Reviews: 1}, 0},
		} {
			r := rows[c.code]
			if r.Counts != c.want || r.Evidence.OpenNCs != c.ncs {
				t.Errorf("%s: counts %+v, open NCs %d; want %+v, %d", c.code, r.Counts, r.Evidence.OpenNCs, c.want, c.ncs)
			}
		}
		if s := rows["6.1"].Evidence.Summaries; len(s) != 1 || s[0].Args["Risks"] != 1 {
			t.Errorf("6.1's risk register: %+v (the proposed alert must not count)", s)
		}
		if la := rows["7.1"].LastAudit; la == nil || la.Code != "AI-2026-01" || la.Result != evidence.ResultMinor {
			t.Errorf("7.1's last audit = %+v, want AI-2026-01 with its worst result", la)
		}
		if !slices.Contains(rows["7.5"].Gaps, compliance.GapNoEvidence) || slices.Contains(rows["7.1.2"].Gaps, compliance.GapNoEvidence) {
			t.Errorf("gaps: 7.5 %v, 7.1.2 %v", rows["7.5"].Gaps, rows["7.1.2"].Gaps)
		}
		if slices.Contains(rows["7.1.2"].Gaps, compliance.GapNotAudited) || !slices.Contains(rows["4.1"].Gaps, compliance.GapNotAudited) {
			t.Errorf("audit coverage: 7.1.2 %v, 4.1 %v", rows["7.1.2"].Gaps, rows["4.1"].Gaps)
		}
		// The clause page lists the sub-clause's nonconformity on 8.5.
		p := must(e.svc.Clause(ctx, e.qm, "8.5"))(t)
		if len(p.Evidence.Nonconformities) != 1 || !p.Evidence.Nonconformities[0].Open || len(p.Children) != 1 {
			t.Errorf("8.5's page: %d cases, %d sub-clauses", len(p.Evidence.Nonconformities), len(p.Children))
		}
		// Within a memo the other modules are read once, the clause page
		// is the same, and its list does not leak into the matrix.
		calls := &countingSource{src: e.svc.Sources}
		saved := e.svc.Sources
		e.svc.Sources = []evidence.Source{calls}
		mctx := compliance.WithMemo(ctx)
		pm := must(e.svc.Clause(mctx, e.qm, "8.5"))(t)
		mm := must(e.svc.Matrix(mctx, e.qm, compliance.Filter{}))(t)
		e.svc.Sources = saved
		if calls.n != 1 {
			t.Errorf("a clause page and the matrix read the sources %d times within a memo, want 1", calls.n)
		}
		if len(pm.Evidence.Nonconformities) != 1 || pm.Counts != p.Counts || len(pm.Children) != len(p.Children) || !slices.Equal(pm.Gaps, p.Gaps) {
			t.Errorf("8.5's page within a memo: %+v, want %+v", pm.Row, p.Row)
		}
		for _, r := range mm.Rows {
			if r.Clause.Code == "8.5" && (len(r.Evidence.Nonconformities) != 0 || r.Counts != p.Counts) {
				t.Errorf("the matrix after 8.5's page: %d cases listed, counts %+v", len(r.Evidence.Nonconformities), r.Counts)
			}
		}
		// Filters.
		for _, c := range []struct {
			f    compliance.Filter
			want int
		}{
			{compliance.Filter{Chapter: "9"}, 9},
			{compliance.Filter{Query: "satisfactia"}, 1},
			{compliance.Filter{Status: compliance.StatusImplemented}, 0},
			{compliance.Filter{GapsOnly: true}, 48},
		} {
			if got := must(e.svc.Matrix(ctx, e.qm, c.f))(t); got.Total != c.want {
				t.Errorf("filter %+v: %d rows, want %d", c.f, got.Total, c.want)
			}
		}
		// B's matrix knows nothing of A's evidence.
		bm := must(e.svc.Matrix(ctx, e.other, compliance.Filter{Chapter: "5"}))(t)
		for _, r := range bm.Rows {
			if r.Counts.Documents != 0 {
				t.Errorf("B's %s shows A's documents", r.Clause.Code)
			}
		}
	})
}

func TestSettingsLinkPolicyAndScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		pol := e.document(t, documents.KindPolicy, "Politica în domeniul calității", false)
		man := e.document(t, documents.KindManual, "Manualul calității", false, "4.3")
		_, err := e.svc.SaveSettings(ctx, e.qm, compliance.SettingsInput{PolicyDocID: man.ID, ScopeDocID: man.ID})
		wantKey(t, err, "cmp_policy_doc", "compliance.error.policy_kind")
		_, err = e.svc.SaveSettings(ctx, e.qm, compliance.SettingsInput{PolicyDocID: pol.ID, Exclusions: map[string]string{"8.3": ""}})
		wantKey(t, err, "cmp_justification_8.3", "compliance.error.justification")
		st := must(e.svc.SaveSettings(ctx, e.qm, compliance.SettingsInput{PolicyDocID: pol.ID, ScopeDocID: man.ID, ScopeText: "Serviciile publice ale primăriei.",
			Exclusions: map[string]string{"8.3": "Primăria nu proiectează servicii."}}))(t)
		if st.Policy == nil || !st.Policy.InForce || st.Scope == nil || st.Version != 1 {
			t.Fatalf("settings = %+v", st)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM document_links WHERE target = 'iso_clause' AND ((document_id = $1 AND target_key = '5.2') OR (document_id = $2 AND target_key = '4.3'))`, pol.ID, man.ID); n != 2 {
			t.Errorf("%d links to 5.2 and 4.3, want 2 (the manual's existing one kept)", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'document_link' AND action = 'create'`); n != 2 {
			t.Errorf("%d link events, want the manual's own and the policy's", n)
		}
		if s := must(e.svc.Status(ctx, e.qm, "8.3"))(t); s.Status != compliance.StatusNotApplicable {
			t.Errorf("8.3 = %+v after the exclusion", s)
		}
		// A stale save is refused; dropping the exclusion resets the clause.
		if _, err := e.svc.SaveSettings(ctx, e.qm, compliance.SettingsInput{PolicyDocID: pol.ID, Version: 0}); !isStale(err) {
			t.Fatalf("stale settings: %v", err)
		}
		must(e.svc.SaveSettings(ctx, e.qm, compliance.SettingsInput{PolicyDocID: pol.ID, ScopeDocID: man.ID, Version: 1}))(t)
		if s := must(e.svc.Status(ctx, e.qm, "8.3"))(t); s.Status != compliance.StatusNotAssessed {
			t.Errorf("8.3 = %+v after the exclusion was dropped", s)
		}
		// B may not choose A's document.
		_, err = e.svc.SaveSettings(ctx, e.other, compliance.SettingsInput{PolicyDocID: pol.ID})
		wantKey(t, err, "cmp_policy_doc", "error.choice")
	})
}

func TestReadinessGaps(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		kinds := func(r compliance.Readiness) map[string]int {
			out := map[string]int{}
			for _, g := range r.Gaps {
				out[g.Kind]++
			}
			return out
		}
		// Nothing recorded: every clause, the policy, the scope, the review.
		r := must(e.svc.Readiness(ctx, e.qm, ""))(t)
		k := kinds(r)
		if r.Audit != compliance.ReadyCertification || k[compliance.GapNotAssessed] != 48 || k[compliance.GapNoEvidence] != 48 || k[compliance.GapNotAudited] != 48 ||
			k[compliance.GapPolicyMissing] != 1 || k[compliance.GapScopeMissing] != 1 || k[compliance.GapNoReview] != 1 || k[compliance.GapCertNone] != 0 || r.Percent() != 0 {
			t.Fatalf("an empty system: audit %s, %d%%, gaps %v", r.Audit, r.Percent(), k)
		}
		if k := kinds(must(e.svc.Readiness(ctx, e.qm, compliance.ReadySurveillance))(t)); k[compliance.GapCertNone] != 1 {
			t.Errorf("a surveillance without a certificate: %v", k)
		}

		pol := e.document(t, documents.KindPolicy, "Politica", false)
		draftScope := e.document(t, documents.KindManual, "Manualul calității", true)
		must(e.svc.SaveSettings(ctx, e.qm, compliance.SettingsInput{PolicyDocID: pol.ID, ScopeDocID: draftScope.ID}))(t)
		must(e.svc.SetStatus(ctx, e.qm, "4.1", compliance.StatusInput{Status: compliance.StatusNotImplemented}))(t)
		must(e.svc.SetStatus(ctx, e.qm, "4.2", compliance.StatusInput{Status: compliance.StatusPartial}))(t)
		must(e.svc.SetStatus(ctx, e.qm, "8.3", compliance.StatusInput{Status: compliance.StatusNotApplicable, Justification: "Nu proiectăm."}))(t)
		must(e.svc.SetStatus(ctx, e.qm, "6.1", compliance.StatusInput{Status: compliance.StatusImplemented}))(t)
		must(e.svc.AddEvidence(ctx, e.qm, "6.1", compliance.ManualInput{Title: "Registrul riscurilor aprobat"}))(t)
		major := e.nc(t, "8.5.1", improvement.SeverityMajor)
		e.nc(t, "8.2", improvement.SeverityObservation) // not a gap
		// An overdue corrective action of the major case.
		if _, err := d.W.Exec(`INSERT INTO improvement_actions (tenant_id, nc_id, description, due_on, state, created_at, updated_at) VALUES ($1, $2, 'Revizuirea procedurii', '2026-10-01', 'open', $3, $3)`,
			e.qm.Tenant, major.ID, t0); err != nil {
			t.Fatal(err)
		}
		// A document linked to 7.5 whose review is overdue.
		doc := e.document(t, documents.KindSystem, "Controlul documentelor", false, "7.5")
		if _, err := d.W.Exec(`UPDATE documents SET next_review_on = '2026-09-01' WHERE id = $1`, doc.ID); err != nil {
			t.Fatal(err)
		}
		*e.src = source{
			{Clause: "6.1", Kind: evidence.KindAudit, Code: "AI-1", Date: t0.AddDate(0, -2, 0), Result: evidence.ResultConform},
			{Clause: "9.3", Kind: evidence.KindReview, Code: "AM-2025", Date: t0.AddDate(0, -13, 0)}, // too old
		}
		r = must(e.svc.Readiness(ctx, e.qm, compliance.ReadyCertification))(t)
		k = kinds(r)
		want := map[string]int{compliance.GapNotImplemented: 1, compliance.GapPartial: 1, compliance.GapNCOpen: 1, compliance.GapActionOverdue: 1,
			compliance.GapReviewOverdue: 1, compliance.GapNoReview: 1, compliance.GapScopeNotForce: 1, compliance.GapPolicyMissing: 0, compliance.GapPolicyNotForce: 0}
		for kind, n := range want {
			if k[kind] != n {
				t.Errorf("gap %s: %d, want %d (all %v)", kind, k[kind], n, k)
			}
		}
		// 47 applicable clauses; only 6.1 is assessed, evidenced and audited.
		if r.Applicable != 47 || r.Ready != 1 || r.Gaps[0].Severity != compliance.SeverityHigh {
			t.Errorf("applicable %d, ready %d, first gap %+v", r.Applicable, r.Ready, r.Gaps[0])
		}
		for _, g := range r.Gaps {
			if g.Kind == compliance.GapNCOpen && (g.Severity != compliance.SeverityHigh || g.Code != major.Code) {
				t.Errorf("the major case's gap: %+v", g)
			}
			if g.Clause == "8.3" {
				t.Errorf("a clause not applicable has a gap: %+v", g)
			}
		}
		// A recent review removes its gap.
		*e.src = append(*e.src, evidence.Item{Clause: "9.3", Kind: evidence.KindReview, Code: "AM-2026", Date: t0.AddDate(0, -1, 0)})
		if k := kinds(must(e.svc.Readiness(ctx, e.qm, ""))(t)); k[compliance.GapNoReview] != 0 {
			t.Errorf("a review a month ago still leaves a gap: %v", k)
		}
	})
}

func TestCertificateCycleAndTasks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tasks := func() map[string]string { // entity -> due of the open tasks
			rows, err := d.R.Query(`SELECT entity, due_on FROM tasks WHERE module = 'compliance' AND state = 'open' AND role = 'quality_manager'`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]string{}
			for rows.Next() {
				var k, v string
				rows.Scan(&k, &v)
				out[k] = v
			}
			return out
		}
		_, err := e.svc.CreateCertificate(ctx, e.qm, compliance.CertInput{Number: "", Body: "SRAC", IssuedOn: "2027-01-01"})
		wantKey(t, err, "cmp_cert_number", "error.required")
		wantKey(t, err, "cmp_issued_on", "compliance.error.future")
		c := must(e.svc.CreateCertificate(ctx, e.qm, compliance.CertInput{Number: "RO-1234", Body: "SRAC CERT", IssuedOn: "2024-11-04"}))(t)
		if c.ExpiresOn != "2027-11-04" || c.Standard != compliance.DefaultStandard {
			t.Fatalf("certificate = %+v", c)
		}
		cy := must(e.svc.Cycle(ctx, e.qm))(t)
		var dues []string
		for _, m := range cy.Milestones {
			dues = append(dues, m.Kind+" "+m.Due)
		}
		if !slices.Equal(dues, []string{"surveillance_1 2025-11-04", "surveillance_2 2026-11-04", "recertification 2027-11-04"}) || cy.State != compliance.CertValid {
			t.Fatalf("cycle %v, state %s", dues, cy.State)
		}
		if !cy.Milestones[0].Overdue || cy.Next.Kind != compliance.KindSurveillance1 {
			t.Errorf("surveillance 1 without an audit: %+v", cy.Milestones[0])
		}
		want := map[string]string{"certificate_surveillance_1": "2025-09-05", "certificate_surveillance_2": "2026-09-05", "certificate_recertification": "2027-09-05"}
		if got := tasks(); len(got) != 3 || got["certificate_surveillance_1"] != want["certificate_surveillance_1"] || got["certificate_recertification"] != want["certificate_recertification"] {
			t.Fatalf("tasks %v, want %v", got, want)
		}
		// The surveillance audits are recorded: their tasks are done.
		for _, k := range []string{compliance.KindSurveillance1, compliance.KindSurveillance2} {
			day := "2025-10-20"
			if k == compliance.KindSurveillance2 {
				day = "2026-10-19"
			}
			must(e.svc.CreateAudit(ctx, e.qm, compliance.AuditInput{Body: "SRAC CERT", Kind: k, StartsOn: day, Result: compliance.ResultRecommended}))(t)
		}
		if got := tasks(); len(got) != 1 || got["certificate_recertification"] == "" {
			t.Errorf("after both surveillances the open tasks are %v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'compliance' AND state = 'done'`); n != 2 {
			t.Errorf("%d tasks done, want 2", n)
		}
		// A corrected expiry moves the recertification task.
		must(e.svc.UpdateCertificate(ctx, e.qm, c.ID, compliance.CertInput{Number: "RO-1234", Body: "SRAC CERT", IssuedOn: "2024-11-04", ExpiresOn: "2027-11-03", Version: c.Version}))(t)
		if got := tasks(); got["certificate_recertification"] != "2027-09-04" {
			t.Errorf("after the new expiry: %v", got)
		}
		// A stale edit is refused.
		if _, err := e.svc.UpdateCertificate(ctx, e.qm, c.ID, compliance.CertInput{Number: "RO-1", Body: "X", IssuedOn: "2024-11-04", Version: c.Version}); !isStale(err) {
			t.Errorf("a stale certificate edit: %v", err)
		}
		// A new certificate after recertification: the old one's task is
		// cancelled, the new one's three come.
		must(e.svc.CreateCertificate(ctx, e.qm, compliance.CertInput{Number: "RO-5678", Body: "SRAC CERT", IssuedOn: "2026-11-20"}))(t)
		if got := tasks(); len(got) != 3 || got["certificate_surveillance_1"] != "2027-09-21" {
			t.Errorf("after the new certificate: %v", got)
		}
		// B sees no certificate of A's.
		if _, err := e.svc.Certificate(ctx, e.other, c.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("B read A's certificate: %v", err)
		}
		// The timeline draws the cycle with its description.
		svg := compliance.TimelineSVG(must(e.svc.Cycle(ctx, e.qm))(t), t0, compliance.TimelineLabels{Title: "Ciclul", Today: "azi", Issued: "emis", Expires: "expiră",
			Kinds: map[string]string{compliance.KindSurveillance1: "S1", compliance.KindSurveillance2: "S2", compliance.KindRecertification: "R"}, Held: "efectuat", Due: "termen", Late: "întârziat", Planned: "planificat"})
		if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "<desc") {
			t.Errorf("timeline: %.200s", svg)
		}
	})
}

func TestExternalFindingsOpenNonconformities(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		_, err := e.svc.CreateAudit(ctx, e.qm, compliance.AuditInput{Body: "SRAC", Kind: compliance.KindSurveillance2, StartsOn: "2026-12-10", EndsOn: "2026-12-09", Result: compliance.ResultRecommended})
		wantKey(t, err, "cmp_ends_on", "compliance.error.ends_before")
		wantKey(t, err, "cmp_result", "compliance.error.result_future")
		planned := must(e.svc.CreateAudit(ctx, e.qm, compliance.AuditInput{Body: "SRAC", Kind: compliance.KindSpecial, StartsOn: "2026-12-10"}))(t)
		if _, err := e.svc.AddFinding(ctx, e.qm, planned.ID, compliance.FindingInput{Severity: improvement.SeverityMinor, Text: "x"}); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("a finding of an audit not held: %v", err)
		}
		x := must(e.svc.CreateAudit(ctx, e.qm, compliance.AuditInput{Body: "SRAC CERT", Kind: compliance.KindSurveillance2, StartsOn: "2026-10-19", EndsOn: "2026-10-20",
			LeadAuditor: "Ing. Mihai Popescu", Result: compliance.ResultRecommended, ReportRef: "Raport SRAC nr. 5521"}))(t)
		_, err = e.svc.AddFinding(ctx, e.qm, x.ID, compliance.FindingInput{Severity: "grave", Clause: "12.1"})
		wantKey(t, err, "severity", "error.choice")
		wantKey(t, err, "clause", "error.choice")
		wantKey(t, err, "cmp_finding", "error.required")
		f := must(e.svc.AddFinding(ctx, e.qm, x.ID, compliance.FindingInput{Severity: improvement.SeverityMinor, Clause: "7.5.3", UnitID: e.unit,
			Text: "Două proceduri operaționale se află în uz în ediții diferite la compartimente diferite."}))(t)
		must(e.svc.AddFinding(ctx, e.qm, x.ID, compliance.FindingInput{Severity: improvement.SeverityObservation, Text: "Indicatorii proceselor nu au ținte pentru anul următor."}))(t)
		if f.NCID == 0 || f.NCCode == "" || !f.Open() || f.Position != 1 {
			t.Fatalf("finding = %+v", f)
		}
		ncs := must(e.improve.BySource(ctx, e.qm, compliance.Module, "external_finding", f.ID))(t)
		if len(ncs) != 1 || ncs[0].Source != improvement.SourceExternalAudit || ncs[0].Clause != "7.5.3" || ncs[0].DetectedOn != "2026-10-20" ||
			!strings.Contains(ncs[0].SourceRef, "Raport SRAC nr. 5521") || ncs[0].UnitID != e.unit {
			t.Fatalf("the finding's case: %+v", ncs)
		}
		list, total := must2(e.svc.ExternalAudits(ctx, e.qm, compliance.AuditFilter{}))(t)
		if total != 2 || list[1].ID != x.ID || list[1].FindingCount() != 2 || list[1].FindingsOpen != 2 {
			t.Fatalf("the list: %d, %+v", total, list)
		}
		if _, n := must2(e.svc.ExternalAudits(ctx, e.qm, compliance.AuditFilter{Query: "popescu"}))(t); n != 1 {
			t.Errorf("search by lead auditor: %d", n)
		}
		// The finding shows on its clause and in the readiness view.
		p := must(e.svc.Clause(ctx, e.qm, "7.5"))(t)
		if p.Counts.External != 1 {
			t.Errorf("7.5 shows %d external findings", p.Counts.External)
		}
		r := must(e.svc.Readiness(ctx, e.qm, compliance.ReadySurveillance))(t)
		open := 0
		for _, g := range r.Gaps {
			if g.Kind == compliance.GapFindingOpen {
				open++
			}
		}
		if open != 2 {
			t.Errorf("%d open findings in readiness, want 2", open)
		}
		// The review's facts.
		facts := must(e.svc.ReviewFacts(ctx, e.qm.Tenant, evidence.Period{From: time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 22, 0, 0, 0, time.UTC)}))(t)
		var keys []string
		for _, f := range facts {
			keys = append(keys, f.Input+":"+f.Key)
		}
		for _, want := range []string{"context:compliance.fact.no_certificate", "audits:compliance.fact.external.surveillance_2", "improvement:compliance.fact.readiness"} {
			if !slices.Contains(keys, want) {
				t.Errorf("facts %v lack %s", keys, want)
			}
		}
		// B cannot reach A's audit.
		if _, err := e.svc.AddFinding(ctx, e.other, x.ID, compliance.FindingInput{Severity: improvement.SeverityMinor, Text: "Intrus"}); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("B added a finding to A's audit: %v", err)
		}
	})
}

func must2[T any](v T, n int, err error) func(t *testing.T) (T, int) {
	return func(t *testing.T) (T, int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v, n
	}
}

func isStale(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Key == "error.stale"
}

// countingSource counts the reads of the sources it wraps.
type countingSource struct {
	src []evidence.Source
	n   int
}

func (c *countingSource) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	c.n++
	var out []evidence.Item
	for _, s := range c.src {
		items, err := s.ClauseEvidence(ctx, tenant)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}
