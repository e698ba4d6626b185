package crosswalk_test

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/control"
	"cadran/internal/crosswalk"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type env struct {
	d    *db.DB
	clk  *clock.Fixed
	docs *documents.Service
	cmp  *compliance.Service
	caf  *caf.Service
	ctl  *control.Service
	svc  *crosswalk.Service

	unit, person            int64
	qm, signer, viewer, emp auth.Actor
	sys                     auth.Actor
	other                   auth.Actor // B's quality manager
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk}
	wk := &work.Service{DB: d, Clock: clk, Notify: &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}}
	improve := &improvement.Service{DB: d, Clock: clk, Work: wk}
	e.docs = &documents.Service{DB: d, Clock: clk, Work: wk}
	e.cmp = &compliance.Service{DB: d, Clock: clk, Work: wk, Improve: improve}
	e.caf = &caf.Service{DB: d, Clock: clk, Work: wk, Improve: improve}
	e.ctl = &control.Service{DB: d, Clock: clk, Work: wk}
	e.svc = &crosswalk.Service{DB: d, Clock: clk, Compliance: e.cmp}
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
	e.emp, _ = user(e.sys, e.unit, "Ema Bălan", auth.RoleEmployee)
	e.other, _ = user(auth.SystemActor(b.ID, "test"), 0, "Bob Bratu", auth.RoleQualityManager)
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

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok || v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, err)
	}
}

func ref(fw, code string) crosswalk.Ref { return crosswalk.Ref{FW: fw, Code: code} }

func hasPair(ps []crosswalk.Pair, a, b crosswalk.Ref) bool {
	return slices.ContainsFunc(ps, func(p crosswalk.Pair) bool { return (p.A == a && p.B == b) || (p.A == b && p.B == a) })
}

func TestDefaultPairs(t *testing.T) {
	ps := crosswalk.DefaultPairs()
	seen := map[[2]crosswalk.Ref]bool{}
	for _, p := range ps {
		if !p.A.Valid() || !p.B.Valid() {
			t.Errorf("pair %v – %v names an unknown item", p.A, p.B)
		}
		if p.A.FW == p.B.FW || slices.Index(crosswalk.Frameworks, p.A.FW) > slices.Index(crosswalk.Frameworks, p.B.FW) {
			t.Errorf("pair %v – %v is not stored in order", p.A, p.B)
		}
		k := [2]crosswalk.Ref{p.A, p.B}
		if seen[k] {
			t.Errorf("pair %v – %v repeats", p.A, p.B)
		}
		seen[k] = true
	}
	for _, w := range [][2]crosswalk.Ref{
		{ref("iso", "7.5"), ref("osgg", "13")}, {ref("caf", "4.4"), ref("osgg", "13")}, {ref("iso", "7.5"), ref("caf", "4.4")},
		{ref("iso", "7.1.2"), ref("osgg", "3")}, {ref("iso", "7.3"), ref("caf", "3.2")}, {ref("caf", "9.2"), ref("osgg", "7")},
		{ref("iso", "4.2"), ref("caf", "1.4")}, {ref("iso", "4.2"), ref("caf", "2.1")}, {ref("iso", "10.3"), ref("caf", "5.1")},
		{ref("iso", "9.1.2"), ref("caf", "6.1")}, {ref("iso", "7.1.6"), ref("caf", "4.4")},
	} {
		if !hasPair(ps, w[0], w[1]) {
			t.Errorf("the reference mapping lacks %v – %v", w[0], w[1])
		}
	}
	if hasPair(ps, ref("iso", "7.5"), ref("osgg", "12")) {
		t.Error("iso 7.5 – osgg 12 is not in the reference mapping")
	}
	// 16 standards: 27 ISO and 33 CAF links; 70 ISO–CAF pairs from the
	// rows and 10 further, less the repeats.
	if len(ps) < 100 || len(ps) > 140 {
		t.Errorf("%d default pairs", len(ps))
	}
}

func TestMappingSeedEditRestore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		defaults := crosswalk.DefaultPairs()
		ps := must(e.svc.Pairs(ctx, e.viewer))(t)
		if len(ps) != len(defaults) {
			t.Fatalf("seeded %d pairs, want %d", len(ps), len(defaults))
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'crosswalk'`, e.qm.Tenant); n != 1 {
			t.Errorf("%d audit events of the seeding, want 1", n)
		}
		// Reading again seeds nothing more.
		must(e.svc.Pairs(ctx, e.qm))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM crosswalk_pairs WHERE tenant_id = $1`, e.qm.Tenant); n != len(defaults) {
			t.Errorf("%d pairs after a second read", n)
		}
		// B's crosswalk is its own.
		if n := e.count(t, `SELECT COUNT(*) FROM crosswalk_pairs WHERE tenant_id = $1`, e.other.Tenant); n != 0 {
			t.Errorf("B has %d pairs before reading its crosswalk", n)
		}

		// Remove iso 7.5 – osgg 13: audited, and not seeded back.
		var id int64
		for _, p := range ps {
			if p.A == ref("iso", "7.5") && p.B == ref("osgg", "13") {
				id = p.ID
			}
		}
		if _, err := e.svc.RemovePair(ctx, e.viewer, id); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("a viewer removed a pair: %v", err)
		}
		if _, err := e.svc.RemovePair(ctx, e.other, id); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("B removed A's pair: %v", err)
		}
		must(e.svc.RemovePair(ctx, e.qm, id))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'crosswalk_pair' AND action = 'delete' AND entity_id = $2`, e.qm.Tenant, id); n != 1 {
			t.Errorf("%d audit events of the removal", n)
		}
		ps = must(e.svc.Pairs(ctx, e.qm))(t)
		if len(ps) != len(defaults)-1 || hasPair(ps, ref("iso", "7.5"), ref("osgg", "13")) {
			t.Fatalf("after the removal %d pairs", len(ps))
		}

		// Adding: codes checked against the frameworks.
		add := func(a, b crosswalk.Ref) error {
			_, err := e.svc.AddPair(ctx, e.qm, crosswalk.PairInput{A: a, B: b})
			return err
		}
		wantField(t, add(ref("iso", "7.9"), ref("osgg", "12")), "cw_code_a", "crosswalk.error.unknown_code.iso")
		wantField(t, add(ref("iso", "7.4"), ref("caf", "10.1")), "cw_code_b", "crosswalk.error.unknown_code.caf")
		wantField(t, add(ref("iso", "7.4"), ref("osgg", "17")), "cw_code_b", "crosswalk.error.unknown_code.osgg")
		wantField(t, add(ref("iso", "7.4"), ref("osgg", "013")), "cw_code_b", "crosswalk.error.unknown_code.osgg")
		wantField(t, add(ref("nist", "1"), ref("osgg", "12")), "cw_fw_a", "error.choice")
		wantField(t, add(ref("iso", "7.4"), ref("osgg", "")), "cw_code_b", "error.required")
		wantField(t, add(ref("iso", "7.4"), ref("iso", "7.5")), "cw_fw_b", "crosswalk.error.same_framework")
		wantField(t, add(ref("osgg", "12"), ref("iso", "7.4")), "cw_code_b", "crosswalk.error.exists")
		if _, err := e.svc.AddPair(ctx, e.viewer, crosswalk.PairInput{A: ref("iso", "8.5.1"), B: ref("osgg", "12")}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("a viewer added a pair: %v", err)
		}
		// Given in either order, stored in order.
		p := must(e.svc.AddPair(ctx, e.qm, crosswalk.PairInput{A: ref(" OSGG ", " 12 "), B: ref("iso", "8.5.1")}))(t)
		if p.A != ref("iso", "8.5.1") || p.B != ref("osgg", "12") {
			t.Errorf("added %v – %v", p.A, p.B)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'crosswalk_pair' AND action = 'create' AND entity_id = $2`, e.qm.Tenant, p.ID); n != 1 {
			t.Errorf("%d audit events of the addition", n)
		}

		// Restoring the defaults takes the added pair away and brings the
		// removed one back.
		added, removed := 0, 0
		var err error
		if added, removed, err = e.svc.RestoreDefaults(ctx, e.qm); err != nil {
			t.Fatal(err)
		}
		if added != 1 || removed != 1 {
			t.Errorf("restore added %d and removed %d, want 1 and 1", added, removed)
		}
		ps = must(e.svc.Pairs(ctx, e.qm))(t)
		if len(ps) != len(defaults) || !hasPair(ps, ref("iso", "7.5"), ref("osgg", "13")) || hasPair(ps, ref("iso", "8.5.1"), ref("osgg", "12")) {
			t.Errorf("after the restore %d pairs", len(ps))
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'crosswalk' AND action = 'update'`, e.qm.Tenant); n != 1 {
			t.Errorf("%d audit events of the restore", n)
		}
		if _, _, err := e.svc.RestoreDefaults(ctx, e.viewer); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a viewer restored the defaults: %v", err)
		}
		// An employee does not read the crosswalk.
		if _, err := e.svc.Pairs(ctx, e.emp); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an employee read the crosswalk: %v", err)
		}
	})
}

// document registers a document in force linked to clauses.
func (e *env) document(t *testing.T, title string, clauses ...string) documents.Document {
	t.Helper()
	ctx := t.Context()
	kind := documents.KindSystem
	d := must(e.docs.Create(ctx, e.sys, documents.DocumentInput{Kind: kind, Title: title, UnitID: e.unit, OwnerID: e.person}))(t)
	sections := map[string]string{}
	for _, s := range documents.SectionsOf(kind) {
		sections[s.Key] = title + ": text."
	}
	v := must(e.docs.SaveDraft(ctx, e.sys, d.LatestID, documents.DraftInput{Sections: sections, Version: 1}))(t)
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
	for _, c := range clauses {
		if err := e.docs.AddLink(ctx, e.sys, d.ID, documents.LinkInput{Target: documents.LinkClause, Key: c}); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func origins(p crosswalk.Piece) string {
	var out []string
	for _, o := range p.Origins {
		out = append(out, o.String())
	}
	return strings.Join(out, ",")
}

func find(ps []crosswalk.Piece, title string) (crosswalk.Piece, int) {
	n, at := 0, -1
	for i, p := range ps {
		if strings.Contains(p.Title, title) {
			n++
			at = i
		}
	}
	if at < 0 {
		return crosswalk.Piece{}, 0
	}
	return ps[at], n
}

func TestEvidenceThroughTheCrosswalk(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		// ISO: a record kept by hand for 7.5.3 (it counts for 7.5) and a
		// procedure in force linked to 7.5.
		must(e.cmp.AddEvidence(ctx, e.qm, "7.5.3", compliance.ManualInput{Title: "Registrul de arhivă 2026", Reference: "RA-2026"}))(t)
		doc := e.document(t, "Controlul informațiilor documentate", "7.5")
		// CAF: the same procedure and a note for 4.4 in the cycle.
		cy := must(e.caf.CreateCycle(ctx, e.qm, caf.CycleInput{Title: "Autoevaluarea CAF 2026", Panel: caf.PanelClassical, StartOn: "2026-09-01"}))(t)
		must(e.caf.AddEvidence(ctx, e.qm, cy.ID, caf.EvidenceInput{Sub: "4.4", Kind: caf.EvidenceDocument, EntityID: doc.ID}))(t)
		must(e.caf.AddEvidence(ctx, e.qm, cy.ID, caf.EvidenceInput{Sub: "4.4", Kind: caf.EvidenceNote, Title: "Nomenclatorul arhivistic aprobat"}))(t)
		// OSGG: a note for standard 13 in the self-evaluation.
		ev := must(e.ctl.OpenEvaluation(ctx, e.qm, control.EvaluationInput{Year: 2026, Units: []int64{e.unit}}))(t)
		must(e.ctl.AddEvidence(ctx, e.qm, ev.ID, e.unit, control.EvidenceInput{Standard: 13, Kind: control.EvidenceNote, Title: "Inventarul registrelor", Notes: "Actualizat în octombrie."}))(t)

		// OSGG 13 has its note and, through ISO 7.5 and CAF 4.4, the
		// record, the note and the procedure — the procedure once, with
		// both places it was linked.
		it := must(e.svc.Item(ctx, e.viewer, ref("osgg", "13")))(t)
		if it.Direct != 1 || it.Through != 3 {
			t.Fatalf("osgg 13: %d direct, %d through, want 1 and 3: %+v", it.Direct, it.Through, it.Evidence)
		}
		if p, n := find(it.Evidence, "Registrul de arhivă"); n != 1 || origins(p) != "iso 7.5.3" {
			t.Errorf("the record shows %d times, linked to %s", n, origins(p))
		}
		if p, n := find(it.Evidence, "Controlul informațiilor documentate"); n != 1 || origins(p) != "iso 7.5,caf 4.4" || p.Href != "/documents/"+itoa(doc.ID) {
			t.Errorf("the procedure shows %d times, linked to %s, at %s", n, origins(p), p.Href)
		}
		if p, _ := find(it.Evidence, "Nomenclatorul"); origins(p) != "caf 4.4" {
			t.Errorf("the CAF note is linked to %q", origins(p))
		}
		if !it.Evidence[0].LinkedTo("osgg") {
			t.Error("the direct evidence does not come first")
		}
		if it.Context.EvaluationID != ev.ID || it.Context.CAFCycleID != cy.ID {
			t.Errorf("read from %+v", it.Context)
		}
		// The other way: ISO 7.5 has its own two, and the CAF note and
		// the OSGG note through the crosswalk; the procedure is direct.
		iso := must(e.svc.Item(ctx, e.qm, ref("iso", "7.5")))(t)
		if iso.Direct != 2 || iso.Through != 2 {
			t.Fatalf("iso 7.5: %d direct, %d through: %+v", iso.Direct, iso.Through, iso.Evidence)
		}
		if p, _ := find(iso.Evidence, "Inventarul registrelor"); origins(p) != "osgg 13" || p.Detail != "Biroul Managementul Calității" {
			t.Errorf("the OSGG note: %q from %q", origins(p), p.Detail)
		}
		if len(iso.ThroughPieces()) != 2 {
			t.Errorf("%d pieces through the crosswalk", len(iso.ThroughPieces()))
		}
		// CAF 4.4: the procedure and the note directly, the record and
		// the OSGG note through.
		c := must(e.svc.Item(ctx, e.qm, ref("caf", "4.4")))(t)
		if c.Direct != 2 || c.Through != 2 {
			t.Errorf("caf 4.4: %d direct, %d through", c.Direct, c.Through)
		}
		// Unknown items are not found.
		for _, r := range []crosswalk.Ref{ref("iso", "7.9"), ref("osgg", "17"), ref("caf", "x"), ref("nist", "1")} {
			if _, err := e.svc.Item(ctx, e.qm, r); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%v: %v", r, err)
			}
		}

		// Readiness of OSGG: 13 direct; 9 (ISO 7.5) and 12 (CAF 4.4)
		// through the crosswalk; the rest none.
		rd := must(e.svc.Readiness(ctx, e.qm, "osgg", crosswalk.Filter{}))(t)
		if rd.Items != 16 || rd.Total != 16 || rd.ByStatus["direct"] != 1 || rd.ByStatus["crosswalk"] != 2 || rd.ByStatus["none"] != 13 || rd.Ready != 3 || rd.Percent() != 18 {
			t.Errorf("osgg readiness: %d items, %v, %d ready, %d%%", rd.Items, rd.ByStatus, rd.Ready, rd.Percent())
		}
		rd = must(e.svc.Readiness(ctx, e.qm, "osgg", crosswalk.Filter{Status: "crosswalk", Sort: "-through"}))(t)
		if rd.Total != 2 || rd.Rows[0].Ref.Code != "9" && rd.Rows[0].Ref.Code != "12" {
			t.Errorf("filtered: %d rows %+v", rd.Total, rd.Rows)
		}
		rd = must(e.svc.Readiness(ctx, e.qm, "caf", crosswalk.Filter{Query: "informatii", Limit: 5}))(t)
		if rd.Items != 28 || rd.Total == 0 || rd.Total > 5 {
			t.Errorf("caf search: %d items, %d rows", rd.Items, rd.Total)
		}
		rd = must(e.svc.Readiness(ctx, e.qm, "iso", crosswalk.Filter{Limit: 10, Offset: 10}))(t)
		if len(rd.Rows) != 10 || rd.Rows[0].Ref.Code != "5.3" {
			t.Errorf("iso page 2 starts at %v", rd.Rows[0].Ref)
		}
		if _, err := e.svc.Readiness(ctx, e.qm, "nist", crosswalk.Filter{}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown framework: %v", err)
		}

		// Removing iso 7.5 – osgg 13 takes ISO 7.5's evidence off OSGG 13.
		for _, p := range must(e.svc.Pairs(ctx, e.qm))(t) {
			if p.A == ref("iso", "7.5") && p.B == ref("osgg", "13") {
				must(e.svc.RemovePair(ctx, e.qm, p.ID))(t)
			}
		}
		it = must(e.svc.Item(ctx, e.qm, ref("osgg", "13")))(t)
		if _, n := find(it.Evidence, "Registrul de arhivă"); n != 0 || it.Through != 2 {
			t.Errorf("after the removal osgg 13 has %d through", it.Through)
		}

		// B sees none of A's evidence.
		b := must(e.svc.Item(ctx, e.other, ref("osgg", "13")))(t)
		if len(b.Evidence) != 0 || b.Context.EvaluationID != 0 || b.Context.CAFCycleID != 0 {
			t.Errorf("B sees %+v", b)
		}
		rb := must(e.svc.Readiness(ctx, e.other, "iso", crosswalk.Filter{}))(t)
		if rb.Ready != 0 {
			t.Errorf("B has %d clauses ready", rb.Ready)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
