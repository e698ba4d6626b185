package audits_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
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

// env is institution A: a quality office, the economic directorate with a
// tax service under it, the registry and the internal audit compartment;
// and institution B.
type env struct {
	d       *db.DB
	clk     *clock.Fixed
	org     *org.Service
	auth    *auth.Service
	work    *work.Service
	improve *improvement.Service
	risks   *risks.Service
	docs    *documents.Service
	svc     *audits.Service

	quality, econ, tax, registry, capi int64
	// People: the quality manager (quality office), the economic director,
	// an internal auditor of the audit compartment, an auditor who works in
	// the tax service, a second auditor of the audit compartment.
	ana, dan, aura, ion, vlad               int64
	qm, head, auditor, taxAuditor, auditor2 auth.Actor
	signer                                  auth.Actor
	other                                   auth.Actor // B's quality manager
	sysA, sysB                              auth.Actor
	// Auditor register entries of aura, ion and vlad.
	regAura, regIon, regVlad int64
	// proc is an operational procedure of the tax service, in force.
	proc documents.Document
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}
	e.work = &work.Service{DB: d, Clock: clk, Notify: notes}
	e.improve = &improvement.Service{DB: d, Clock: clk, Work: e.work}
	e.risks = &risks.Service{DB: d, Clock: clk, Work: e.work}
	e.docs = &documents.Service{DB: d, Clock: clk, Work: e.work}
	e.svc = &audits.Service{DB: d, Clock: clk, Work: e.work, Improve: e.improve}
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sysA, e.sysB = auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	unit := func(parent int64, name, code string) int64 {
		u, err := e.org.CreateUnit(ctx, e.sysA, org.UnitInput{ParentID: parent, Name: name, Code: code, Kind: "service", Relation: "own"})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.quality = unit(0, "Biroul Managementul Calității", "BMC")
	e.econ = unit(0, "Direcția Economică", "DE")
	e.tax = unit(e.econ, "Serviciul Impozite și Taxe Locale", "SITL")
	e.registry = unit(0, "Serviciul Relații cu Publicul și Registratură", "SRPR")
	e.capi = unit(0, "Compartimentul Audit Public Intern", "CAPI")
	person := func(a auth.Actor, u int64, name string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.ana = person(e.sysA, e.quality, "Ana Mureșan")
	e.dan = person(e.sysA, e.econ, "Dan Țurcanu")
	e.aura = person(e.sysA, e.capi, "Aura Ionescu")
	e.ion = person(e.sysA, e.tax, "Ion Bălan")
	e.vlad = person(e.sysA, e.capi, "Vlad Știrbu")
	signer := person(e.sysA, 0, "Primar Semnatar")
	bob := person(e.sysB, 0, "Bob Bratu")
	user := func(a auth.Actor, name string, pid int64, locale string, roles ...auth.Role) auth.Actor {
		u, err := e.auth.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: locale, Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := e.auth.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(e.sysA, "ana", e.ana, "ro", auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, "ro", auth.RoleHeadOfUnit)
	e.auditor = user(e.sysA, "aura", e.aura, "ro", auth.RoleAuditor)
	e.taxAuditor = user(e.sysA, "ion", e.ion, "ro", auth.RoleAuditor)
	e.auditor2 = user(e.sysA, "vlad", e.vlad, "en", auth.RoleAuditor)
	e.signer = user(e.sysA, "primar", signer, "ro", auth.RoleTopManagement)
	e.other = user(e.sysB, "bob", bob, "ro", auth.RoleQualityManager)
	reg := func(p int64) int64 {
		r, err := e.svc.RegisterAuditor(ctx, e.qm, audits.AuditorInput{PersonID: p})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	e.regAura, e.regIon, e.regVlad = reg(e.aura), reg(e.ion), reg(e.vlad)
	e.proc = e.procedure(t, "Stabilirea impozitelor persoanelor fizice", e.tax)
	return e
}

// procedure puts an operational procedure of unit in force.
func (e *env) procedure(t *testing.T, title string, unit int64) documents.Document {
	t.Helper()
	ctx := t.Context()
	doc, err := e.docs.Create(ctx, e.sysA, documents.DocumentInput{Kind: documents.KindOperational, Title: title, UnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.docs.SaveDraft(ctx, e.sysA, doc.LatestID, documents.DraftInput{Sections: map[string]string{documents.SecPurpose: "Scopul procedurii."}, Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct {
		a  auth.Actor
		in documents.StepInput
	}{
		{e.sysA, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.signer.UserID, ApproverID: e.signer.UserID}},
		{e.signer, documents.StepInput{Action: documents.ActVerify}},
		{e.signer, documents.StepInput{Action: documents.ActApprove}},
	} {
		st.in.Version = v.Version
		if v, err = e.docs.Step(ctx, st.a, v.ID, st.in); err != nil {
			t.Fatalf("%s: %v", st.in.Action, err)
		}
	}
	if err := e.docs.AddLink(ctx, e.sysA, doc.ID, documents.LinkInput{Target: documents.LinkClause, Key: "8.5.1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.docs.AddLink(ctx, e.sysA, doc.ID, documents.LinkInput{Target: documents.LinkProcess, Key: "Impozite și taxe locale"}); err != nil {
		t.Fatal(err)
	}
	doc, err = e.docs.Document(ctx, e.sysA, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// plan is an audit of the tax service by aura (lead) and vlad.
func (e *env) plan(days int) audits.PlanInput {
	return audits.PlanInput{Title: "Auditul procesului de impozitare", UnitID: e.tax, Process: "Impozite și taxe locale",
		Scope: "Stabilirea și încasarea impozitelor persoanelor fizice", Criteria: "SR EN ISO 9001:2015; procedura operațională; Codul fiscal",
		Clauses: []string{"8.5.1", "7.5.3"}, Procedures: []int64{e.proc.ID}, LeadID: e.aura, Team: []int64{e.vlad}, Auditees: "Șeful serviciului, inspectorii",
		StartOn: day(days), EndOn: day(days + 1), Agenda: []audits.AgendaRow{{Day: day(days), Time: "09:00", Activity: "Ședința de deschidere", People: "echipa de audit, șeful serviciului"}}}
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func day(days int) string { return work.Day(t0).AddDate(0, 0, days).Format(time.DateOnly) }

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

func wantConflict(t *testing.T, err error, key string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindConflict || ae.Key != key {
		t.Fatalf("want conflict %s, got %v", key, err)
	}
}

func wantForbidden(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("want forbidden, got %v", err)
	}
}
