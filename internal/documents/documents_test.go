package documents_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is institution A with a quality office and a social assistance
// directorate (with a service under it), and institution B.
type env struct {
	d    *db.DB
	clk  *clock.Fixed
	org  *org.Service
	auth *auth.Service
	work *work.Service
	docs *documents.Service

	quality, social, service          int64
	ana, dan, ema, ion, may           int64 // people: quality manager, head of social, two employees of the service, the mayor
	qm, head, emp, emp2, mayor, other auth.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad(), BaseURL: "https://cadran.example.ro"}
	e.work = &work.Service{DB: d, Clock: clk, Notify: notes}
	files, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Close() })
	e.docs = &documents.Service{DB: d, Clock: clk, Work: e.work, Files: files}
	e.org.OnPersonPlaced = e.docs.PersonPlaced
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	sysA, sysB := auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	unit := func(parent int64, name, code string) int64 {
		u, err := e.org.CreateUnit(ctx, sysA, org.UnitInput{ParentID: parent, Name: name, Code: code, Kind: "directorate", Relation: "own"})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.quality = unit(0, "Compartimentul Managementul Calității", "CMC")
	e.social = unit(0, "Direcția de Asistență Socială", "DAS")
	e.service = unit(e.social, "Serviciul Beneficii Sociale", "SBS")
	person := func(a auth.Actor, u int64, name, job string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, JobTitle: job, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.ana = person(sysA, e.quality, "Ana Mureșan", "consilier")
	e.dan = person(sysA, e.social, "Dan Țurcanu", "director executiv")
	e.ema = person(sysA, e.service, "Ema Știrbu", "inspector")
	e.ion = person(sysA, e.service, "Ion Bălan", "referent")
	e.may = person(sysA, 0, "Mircea Pop", "primar")
	bob := person(sysB, 0, "Bob Bratu", "consilier")
	user := func(a auth.Actor, name string, pid int64, roles ...auth.Role) auth.Actor {
		u, err := e.auth.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := e.auth.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.emp = user(sysA, "ema", e.ema, auth.RoleEmployee)
	e.emp2 = user(sysA, "ion", e.ion, auth.RoleEmployee)
	e.mayor = user(sysA, "mircea", e.may, auth.RoleTopManagement)
	e.other = user(sysB, "bob", bob, auth.RoleQualityManager)
	return e
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// must returns v, failing the test on err: must(call())(t).
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

var sections = map[string]string{
	documents.SecPurpose:     "Stabilește modul de soluționare a cererilor de ajutor social.",
	documents.SecScope:       "Se aplică în Direcția de Asistență Socială.",
	documents.SecDescription: "Cererea se înregistrează.\n\nInspectorul verifică dosarul și întocmește referatul.",
}

// draft creates a procedure of the social directorate with its sections, as its head.
func (e *env) draft(t *testing.T, title string) (documents.Document, documents.Version) {
	t.Helper()
	ctx := t.Context()
	d := must(e.docs.Create(ctx, e.head, documents.DocumentInput{Kind: documents.KindOperational, Title: title, UnitID: e.social, OwnerID: e.dan}))(t)
	v := must(e.docs.SaveDraft(ctx, e.head, d.LatestID, documents.DraftInput{Sections: sections, Version: 1}))(t)
	return d, v
}

// inForce takes a draft through verification by the quality manager and approval by the mayor.
func (e *env) inForce(t *testing.T, v documents.Version) documents.Version {
	t.Helper()
	ctx := t.Context()
	v = must(e.docs.Step(ctx, e.head, v.ID, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.qm.UserID, ApproverID: e.mayor.UserID, Version: v.Version}))(t)
	v = must(e.docs.Step(ctx, e.qm, v.ID, documents.StepInput{Action: documents.ActVerify, Version: v.Version}))(t)
	return must(e.docs.Step(ctx, e.mayor, v.ID, documents.StepInput{Action: documents.ActApprove, Version: v.Version}))(t)
}

func TestCodesFollowTheInstitutionsScheme(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		first := must(e.docs.Create(ctx, e.head, documents.DocumentInput{Kind: documents.KindOperational, Title: "Acordarea ajutorului social", UnitID: e.social}))(t)
		if first.Code != "PO-DAS-01" {
			t.Fatalf("first code = %q", first.Code)
		}
		must(e.docs.Create(ctx, e.head, documents.DocumentInput{Kind: documents.KindOperational, Code: "PO-DAS-09", Title: "Ancheta socială", UnitID: e.social}))(t)
		if next := must(e.docs.NextCode(ctx, e.head, documents.KindOperational, e.social))(t); next != "PO-DAS-10" {
			t.Fatalf("next = %q", next)
		}
		_, err := e.docs.Create(ctx, e.head, documents.DocumentInput{Kind: documents.KindOperational, Code: "po-das-09", Title: "Dublură", UnitID: e.social})
		wantKey(t, err, "code", "documents.error.code_taken")
		must(e.docs.SaveSettings(ctx, e.qm, documents.Settings{CodePattern: "{unit}/{kind}{nnn}", ReviewMonths: 24, AckDays: 5}))(t)
		if next := must(e.docs.NextCode(ctx, e.qm, documents.KindSystem, e.quality))(t); next != "CMC/PS001" {
			t.Fatalf("next with a new pattern = %q", next)
		}
		if next := must(e.docs.NextCode(ctx, e.qm, documents.KindManual, 0))(t); next != "MC001" {
			t.Fatalf("next without a unit = %q", next)
		}
		_, err = e.docs.SaveSettings(ctx, e.qm, documents.Settings{CodePattern: "{kind}", ReviewMonths: 12, AckDays: 5, Version: 1})
		wantKey(t, err, "code_pattern", "documents.error.pattern_number")
		// A head of unit drafts only for their own units; an employee not at all.
		_, err = e.docs.Create(ctx, e.head, documents.DocumentInput{Kind: documents.KindOperational, Title: "Alt compartiment", UnitID: e.quality})
		if !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("head of another unit: %v", err)
		}
		_, err = e.docs.Create(ctx, e.emp, documents.DocumentInput{Kind: documents.KindOperational, Title: "Angajat", UnitID: e.service})
		if !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("employee: %v", err)
		}
	})
}

func TestProcedureFromDraftToInForce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		doc, v := e.draft(t, "Acordarea ajutorului social")
		// An employee does not see a draft; the quality manager does.
		if _, err := e.docs.Document(ctx, e.emp, doc.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("employee sees a draft: %v", err)
		}
		must(e.docs.Document(ctx, e.qm, doc.ID))(t)
		// Illegal transitions are refused with the reason.
		_, err := e.docs.Step(ctx, e.mayor, v.ID, documents.StepInput{Action: documents.ActApprove, Version: v.Version})
		if apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("approve a draft: %v", err)
		}
		_, err = e.docs.Step(ctx, e.head, v.ID, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.head.UserID, ApproverID: e.mayor.UserID, Version: v.Version})
		wantKey(t, err, "verifier_id", "documents.error.own_signoff")
		v = must(e.docs.Step(ctx, e.head, v.ID, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.qm.UserID, ApproverID: e.mayor.UserID, Version: v.Version}))(t)
		if v.State != documents.StateVerification || v.ContentHash == "" {
			t.Fatalf("after submit: %+v", v)
		}
		// The draft can no longer be edited, and only the verifier checks it.
		_, err = e.docs.SaveDraft(ctx, e.head, v.ID, documents.DraftInput{Sections: sections, Version: v.Version})
		if apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("edit after submit: %v", err)
		}
		if _, err := e.docs.Step(ctx, e.mayor, v.ID, documents.StepInput{Action: documents.ActVerify, Version: v.Version}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("verify by someone else: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE person_id = $1 AND kind = 'approve' AND state = 'open'`, e.ana); n != 1 {
			t.Fatalf("verifier tasks = %d", n)
		}
		// A rejection needs a reason and sends the draft back to its author.
		_, err = e.docs.Step(ctx, e.qm, v.ID, documents.StepInput{Action: documents.ActReject, Version: v.Version})
		wantKey(t, err, "reason", "workflow.error.reason_required")
		v = must(e.docs.Step(ctx, e.qm, v.ID, documents.StepInput{Action: documents.ActReject, Reason: "Lipsesc responsabilitățile", Version: v.Version}))(t)
		if v.State != documents.StateDraft {
			t.Fatalf("after reject: %s", v.State)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE person_id = $1 AND kind = 'act' AND state = 'open'`, e.dan); n != 1 {
			t.Fatalf("author rework tasks = %d", n)
		}
		v = must(e.docs.SaveDraft(ctx, e.head, v.ID, documents.DraftInput{Sections: map[string]string{documents.SecResponsibilities: "Directorul aprobă referatul."}, Version: v.Version}))(t)
		v = e.inForce(t, v)
		if v.State != documents.StateInForce || v.EffectiveOn != "2026-11-23" {
			t.Fatalf("after approval: %s %s", v.State, v.EffectiveOn)
		}
		view := must(e.docs.Open(ctx, e.emp, doc.ID, 0))(t)
		steps := []string{}
		for _, so := range view.Version.SignOffs {
			steps = append(steps, so.Step+":"+so.Name)
			if so.ContentHash == "" {
				t.Fatalf("sign-off without a hash: %+v", so)
			}
		}
		want := []string{"drafted:dan", "rejected:ana", "drafted:dan", "verified:ana", "approved:mircea"}
		if !slices.Equal(steps, want) {
			t.Fatalf("sign-offs = %v, want %v", steps, want)
		}
		if view.Version.SignOffs[3].Function != "consilier" {
			t.Fatalf("function = %q", view.Version.SignOffs[3].Function)
		}
		// Every open approval task is closed; the audit trail has every step.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'documents' AND kind IN ('approve', 'act') AND entity = 'document_version' AND state = 'open'`); n != 0 {
			t.Fatalf("open sign-off tasks = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'document_version' AND action = 'transition' AND entity_id = $1`, v.ID); n != 6 {
			t.Fatalf("transition events = %d", n)
		}
		// The distribution (the owning unit by default) reaches everyone under it.
		_, units := must2(e.docs.Receipts(ctx, e.qm, doc.ID, v.ID))(t)
		if len(units) != 2 {
			t.Fatalf("receipts per unit = %+v", units)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'acknowledge' AND state = 'open' AND entity_id = $1`, v.ID); n != 3 {
			t.Fatalf("acknowledge tasks = %d", n)
		}
		if err := e.docs.Acknowledge(ctx, e.emp, v.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.docs.Acknowledge(ctx, e.emp, v.ID); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("second acknowledgement: %v", err)
		}
		if err := e.docs.Acknowledge(ctx, e.qm, v.ID); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("not a recipient: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'acknowledge' AND state = 'open' AND person_id = $1`, e.ema); n != 0 {
			t.Fatalf("Ema's task still open")
		}
		// The owner reviews the document every 12 months.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'document' AND entity_id = $1 AND person_id = $2 AND due_on = '2027-11-23' AND state = 'open'`, doc.ID, e.dan); n != 1 {
			t.Fatalf("review task = %d", n)
		}
		// A newcomer to the service receives the procedure.
		p := must(e.org.CreatePerson(ctx, auth.SystemActor(e.qm.Tenant, "test"), org.PersonInput{UnitID: e.service, FullName: "Nou Angajat", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM document_receipts WHERE version_id = $1 AND person_id = $2`, v.ID, p.ID); n != 1 {
			t.Fatalf("newcomer receipts = %d", n)
		}
		// Another institution sees nothing of it.
		if _, err := e.docs.Document(ctx, e.other, doc.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("other institution: %v", err)
		}
	})
}

// must2 is must for calls with two results: must2(call())(t).
func must2[A, B any](a A, b B, err error) func(t *testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

func TestRevisionsSupersedeAndCompare(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		doc, v1 := e.draft(t, "Soluționarea petițiilor")
		v1 = e.inForce(t, v1)
		_, err := e.docs.NewVersion(ctx, e.head, doc.ID, documents.NewVersionInput{})
		wantKey(t, err, "reason", "documents.error.reason_required")
		v2 := must(e.docs.NewVersion(ctx, e.head, doc.ID, documents.NewVersionInput{Reason: "Termen nou de răspuns"}))(t)
		if v2.Edition != 1 || v2.Revision != 1 {
			t.Fatalf("revision = %d.%d", v2.Edition, v2.Revision)
		}
		if _, err := e.docs.NewVersion(ctx, e.head, doc.ID, documents.NewVersionInput{Reason: "a doua"}); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("two drafts at once: %v", err)
		}
		changed := map[string]string{documents.SecDescription: "Cererea se înregistrează în aceeași zi.\n\nInspectorul verifică dosarul și întocmește referatul."}
		v2 = must(e.docs.SaveDraft(ctx, e.head, v2.ID, documents.DraftInput{Sections: changed, Reason: "Termen nou de răspuns", Version: v2.Version}))(t)
		if !slices.Equal(v2.Changed, []string{documents.SecDescription}) {
			t.Fatalf("changed = %v", v2.Changed)
		}
		// A stale save is refused and keeps what was saved.
		_, err = e.docs.SaveDraft(ctx, e.head, v2.ID, documents.DraftInput{Sections: map[string]string{documents.SecPurpose: "suprascris"}, Reason: "x", Version: v2.Version - 1})
		if !isStale(err) {
			t.Fatalf("stale save: %v", err)
		}
		diffs := must(e.docs.Compare(ctx, e.qm, doc.ID, v1.ID, v2.ID))(t)
		var desc documents.SectionDiff
		for _, sd := range diffs {
			if sd.Key == documents.SecPurpose && sd.Changed {
				t.Fatal("purpose marked changed")
			}
			if sd.Key == documents.SecDescription {
				desc = sd
			}
		}
		inserted := ""
		for _, p := range desc.Parts {
			if p.Inserted {
				inserted += p.Text
			}
		}
		if !desc.Changed || !strings.Contains(inserted, "în aceeași zi") {
			t.Fatalf("description diff = %+v", desc)
		}
		v2 = e.inForce(t, v2)
		old := must(e.docs.Open(ctx, e.qm, doc.ID, v1.ID))(t)
		if old.Version.State != documents.StateSuperseded {
			t.Fatalf("old version = %s", old.Version.State)
		}
		// Nobody is still asked to read the superseded text.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity_id = $1 AND entity = 'document_version' AND state = 'open'`, v1.ID); n != 0 {
			t.Fatalf("open tasks on the old version = %d", n)
		}
		// A new edition resets the revision.
		v3 := must(e.docs.NewVersion(ctx, e.qm, doc.ID, documents.NewVersionInput{Edition: true, Reason: "Reorganizare"}))(t)
		if v3.Edition != 2 || v3.Revision != 0 {
			t.Fatalf("edition = %d.%d", v3.Edition, v3.Revision)
		}
		// Withdrawal needs a reason and the quality office.
		if _, err := e.docs.Step(ctx, e.head, v2.ID, documents.StepInput{Action: documents.ActWithdraw, Reason: "x", Version: v2.Version}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("withdraw by a head: %v", err)
		}
		cur := must(e.docs.Open(ctx, e.qm, doc.ID, v2.ID))(t)
		must(e.docs.Step(ctx, e.qm, v2.ID, documents.StepInput{Action: documents.ActWithdraw, Reason: "Activitate preluată de DGASPC", Version: cur.Version.Version}))(t)
		if got := must(e.docs.Document(ctx, e.qm, doc.ID))(t); got.State != documents.StateWithdrawn {
			t.Fatalf("document state = %s", got.State)
		}
	})
}

func TestFutureEffectiveDate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		_, v := e.draft(t, "Arhivarea documentelor")
		v = must(e.docs.Step(ctx, e.head, v.ID, documents.StepInput{Action: documents.ActSubmit, VerifierID: e.qm.UserID, EndorserID: e.emp.UserID, ApproverID: e.mayor.UserID, Version: v.Version}))(t)
		if _, err := e.docs.Step(ctx, e.qm, v.ID, documents.StepInput{Action: documents.ActVerify, Version: v.Version}); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("verify past a required endorsement: %v", err)
		}
		v = must(e.docs.Step(ctx, e.qm, v.ID, documents.StepInput{Action: documents.ActVerifyEndorse, Version: v.Version}))(t)
		v = must(e.docs.Step(ctx, e.emp, v.ID, documents.StepInput{Action: documents.ActEndorse, Version: v.Version}))(t)
		_, err := e.docs.Step(ctx, e.mayor, v.ID, documents.StepInput{Action: documents.ActApprove, EffectiveOn: "2026-11-01", Version: v.Version})
		wantKey(t, err, "effective_on", "documents.error.effective_past")
		v = must(e.docs.Step(ctx, e.mayor, v.ID, documents.StepInput{Action: documents.ActApprove, EffectiveOn: "2026-12-01", Version: v.Version}))(t)
		if v.State != documents.StateApproved {
			t.Fatalf("state = %s", v.State)
		}
		if n := must(e.docs.ActivateDue(ctx))(t); n != 0 {
			t.Fatalf("activated early: %d", n)
		}
		e.clk.Set(t0.AddDate(0, 0, 8))
		if n := must(e.docs.ActivateDue(ctx))(t); n != 1 {
			t.Fatalf("activated = %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM document_versions WHERE id = $1 AND state = 'in_force'`, v.ID); n != 1 {
			t.Fatal("not in force")
		}
	})
}

func TestSearchIgnoresDiacritics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		doc, v := e.draft(t, "Procedură privind soluționarea petițiilor")
		e.inForce(t, v)
		e.draft(t, "Alt document")
		for _, q := range []string{"procedura", "PROCEDURĂ", "soluţionarea", "petit", "inspectorul verifica", "PO-DAS-01"} {
			hits, total := must2(e.docs.Search(ctx, e.emp, q, 10, 0))(t)
			if total != 1 || hits[0].Document.ID != doc.ID {
				t.Fatalf("search %q: %d hits", q, total)
			}
		}
		hits, _ := must2(e.docs.Search(ctx, e.emp, "verifica dosarul", 10, 0))(t)
		var marked []string
		for _, f := range hits[0].Snippet {
			if f.Match {
				marked = append(marked, f.Text)
			}
		}
		if !slices.Equal(marked, []string{"verifică", "dosarul"}) {
			t.Fatalf("marked = %q in %+v", marked, hits[0].Snippet)
		}
		// A draft is found by those who work on it, not by an employee.
		if _, total := must2(e.docs.Search(ctx, e.emp, "alt document", 10, 0))(t); total != 0 {
			t.Fatal("employee finds a draft")
		}
		if _, total := must2(e.docs.Search(ctx, e.qm, "alt document", 10, 0))(t); total != 1 {
			t.Fatal("quality manager does not find a draft")
		}
		if _, total := must2(e.docs.Search(ctx, e.other, "procedura", 10, 0))(t); total != 0 {
			t.Fatal("another institution finds it")
		}
		if _, total := must2(e.docs.Search(ctx, e.qm, `"*) OR (`, 10, 0))(t); total != 0 {
			t.Fatal("syntax leaks into the query")
		}
	})
}

func isStale(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Key == "error.stale"
}
