package training_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/org"
	"cadran/internal/training"
)

// indQuality puts A's quality system in place: the policy (distributed to
// nobody in particular), the manual (to the quality office), a system
// procedure of the economic directorate, an operational procedure of the
// quality office, a form of the tax service; a mandatory programme, an
// optional one and a mandatory one no longer run.
type indQuality struct {
	policy, manual, procedure, other, form indDoc
	induct, optional, old                  training.Programme
}

func newIndQuality(t testing.TB, e *env) indQuality {
	t.Helper()
	return indQuality{
		policy:    indInForce(t, e, documents.KindPolicy, "PC-01", "Politica în domeniul calității"),
		manual:    indInForce(t, e, documents.KindManual, "MC-01", "Manualul calității", e.quality),
		procedure: indInForce(t, e, documents.KindSystem, "PS-DE-01", "Procedura de încasare a impozitelor", e.econ),
		other:     indInForce(t, e, documents.KindOperational, "PO-BMC-02", "Procedura de audit intern", e.quality),
		form:      indInForce(t, e, documents.KindForm, "F-SITL-01", "Formular de declarare", e.tax),
		induct:    indProgramme(t, e, "P-IND", true, true),
		optional:  indProgramme(t, e, "P-OPT", false, true),
		old:       indProgramme(t, e, "P-OLD", true, false),
	}
}

func TestInductionOfNewHire(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		// The fixture's people were hired before the institution had
		// anything to put in a plan: none has one.
		if n := e.count(t, `SELECT COUNT(*) FROM training_inductions`); n != 0 {
			t.Fatalf("plans before the quality system: %d", n)
		}
		q := newIndQuality(t, e)
		e.docs.OnAcknowledged = e.svc.DocumentAcknowledged
		radu := indHire(t, e, e.tax, "Radu Neagu")

		in := indMust(e.svc.InductionOf(ctx, e.qm, radu))(t)
		if in.State != training.InductionOpen || in.StartOn != "2026-11-23" || in.DueOn != "2026-12-23" || in.Name != "Radu Neagu" || in.UnitID != e.tax {
			t.Fatalf("plan %+v", in)
		}
		type item struct {
			kind  string
			doc   int64
			prog  int64
			title string
		}
		var got []item
		for _, it := range in.Items {
			got = append(got, item{it.Kind, it.DocumentID, it.ProgrammeID, it.Title})
			if it.DueOn != in.DueOn || it.DoneOn != "" || it.Href == "" {
				t.Errorf("item %+v", it)
			}
		}
		want := []item{
			{training.ItemPolicy, q.policy.id, 0, "PC-01 Politica în domeniul calității"},
			{training.ItemManual, q.manual.id, 0, "MC-01 Manualul calității"},
			{training.ItemProcedure, q.procedure.id, 0, "PS-DE-01 Procedura de încasare a impozitelor"},
			{training.ItemProgramme, 0, q.induct.ID, "P-IND Sistemul de management al calității P-IND"},
		}
		if !slices.Equal(got, want) {
			t.Fatalf("items\n got %+v\nwant %+v", got, want)
		}
		// The documents come with their receipts and tasks to confirm reading
		// (the form too, as the unit's document, though not in the plan).
		for _, d := range []indDoc{q.policy, q.manual, q.procedure, q.form} {
			if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'documents' AND entity_id = $1 AND person_id = $2 AND state = 'open' AND kind = 'acknowledge'`, d.version, radu); n != 1 {
				t.Errorf("version %d: %d acknowledge tasks", d.version, n)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM document_receipts WHERE version_id = $1 AND person_id = $2`, d.version, radu); n != 1 {
				t.Errorf("version %d: %d receipts", d.version, n)
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM document_receipts WHERE version_id = $1 AND person_id = $2`, q.other.version, radu); n != 0 {
			t.Errorf("another unit's procedure reached the hire")
		}
		// The programme is a task of its own, due with the plan, linked to
		// the programme.
		if n := e.openTasks(t, radu, training.EntityInductionItem); n != 1 {
			t.Fatalf("programme tasks: %d", n)
		}
		var title, due, link, kind string
		if err := e.d.R.QueryRowContext(ctx, `SELECT title, due_on, link, kind FROM tasks WHERE module = 'training' AND entity = $1 AND person_id = $2`,
			training.EntityInductionItem, radu).Scan(&title, &due, &link, &kind); err != nil {
			t.Fatal(err)
		}
		if title != "Inducție: absolviți programul obligatoriu P-IND Sistemul de management al calității P-IND" || due[:10] != "2026-12-23" ||
			link != "/training/programmes/"+strconv.FormatInt(q.induct.ID, 10) || kind != "attend" {
			t.Fatalf("task %q %q %q %q", title, due, link, kind)
		}
		if n := indAudits(t, e, training.EntityInduction, in.ID); n != 1 {
			t.Fatalf("audit events on creation: %d", n)
		}

		// Reading the documents ticks their items.
		rn := indUser(t, e, radu, "radu")
		e.clk.Advance(24 * time.Hour)
		for _, d := range []indDoc{q.policy, q.manual, q.procedure} {
			indOK(t, e.docs.Acknowledge(ctx, rn, d.version))
		}
		in = indMust(e.svc.Induction(ctx, rn, in.ID))(t)
		if in.State != training.InductionOpen || in.Done != 3 || in.Total != 4 {
			t.Fatalf("after reading: %+v", in)
		}
		for _, it := range in.Items[:3] {
			if it.DoneOn != "2026-11-24" {
				t.Errorf("item %s done on %q", it.Title, it.DoneOn)
			}
		}
		// Completing the programme ticks the last: the plan completes and its
		// task closes.
		indComplete(t, e, q.induct, "P-IND/1", radu)
		in = indMust(e.svc.InductionOf(ctx, e.qm, radu))(t)
		if in.State != training.InductionCompleted || in.CompletedOn != "2026-11-24" || in.Done != 4 || in.Items[3].DoneOn != "2026-11-23" {
			t.Fatalf("after the programme: %+v %+v", in, in.Items)
		}
		if n := e.openTasks(t, radu, training.EntityInductionItem); n != 0 {
			t.Fatalf("programme task still open")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'training' AND entity = $1 AND person_id = $2 AND state = 'done'`, training.EntityInductionItem, radu); n != 1 {
			t.Fatalf("programme task not done: %d", n)
		}
		// Created, three documents, the programme, completed.
		if n := indAudits(t, e, training.EntityInduction, in.ID); n != 6 {
			t.Fatalf("audit events: %d", n)
		}

		// A move between units is not a hire: no plan, and the plan of
		// someone who has one stays as it is.
		e.clk.Advance(48 * time.Hour)
		ema := indMust(e.org.Person(ctx, e.sysA, e.ema))(t)
		indMust(e.org.UpdatePerson(ctx, e.sysA, e.ema, org.PersonInput{UnitID: e.quality, FullName: ema.FullName, JobTitle: ema.JobTitle, Position: ema.Position,
			Employment: ema.Employment, Active: true, Version: ema.Version}))(t)
		p := indMust(e.org.Person(ctx, e.sysA, radu))(t)
		indMust(e.org.UpdatePerson(ctx, e.sysA, radu, org.PersonInput{UnitID: e.quality, FullName: p.FullName, JobTitle: p.JobTitle, Position: p.Position,
			Employment: p.Employment, Active: true, Version: p.Version}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM training_inductions`); n != 1 {
			t.Fatalf("plans after the moves: %d", n)
		}
		// A hire without a unit gets no plan from org (it places nobody); a
		// hire of B gets nothing of A's.
		indMust(e.org.CreatePerson(ctx, e.sysB, org.PersonInput{UnitID: 0, FullName: "Bianca Bratu", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM training_inductions WHERE tenant_id = $1`, e.other.Tenant); n != 0 {
			t.Fatalf("B has plans: %d", n)
		}
		// The hire's items are gone from nobody else's plan.
		if _, err := e.svc.InductionOf(ctx, e.qm, e.ema); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("Ema's plan: %v", err)
		}
	})
}

func TestInductionStartAndCancel(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		// Nothing to put in a plan yet.
		_, err := e.svc.StartInduction(ctx, e.qm, e.ema)
		indKey(t, err, apperr.KindConflict, "", "traininginduction.error.nothing")
		q := newIndQuality(t, e)
		e.docs.OnAcknowledged = e.svc.DocumentAcknowledged

		for _, tc := range []struct {
			name   string
			a      auth.Actor
			person int64
			kind   apperr.Kind
			key    string
		}{
			{"head of unit", e.head, e.ema, apperr.KindForbidden, ""},
			{"employee", e.emp, e.ema, apperr.KindForbidden, ""},
			{"another institution's person", e.qm, e.bob, apperr.KindNotFound, ""},
			{"another institution", e.other, e.ema, apperr.KindNotFound, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.StartInduction(ctx, tc.a, tc.person)
				indKey(t, err, tc.kind, "", tc.key)
			})
		}
		in := indMust(e.svc.StartInduction(ctx, e.qm, e.ema))(t)
		// Ema is in the tax service: the policy, the manual, the
		// directorate's procedure and the programme.
		if in.Total != 4 || in.Done != 0 || in.State != training.InductionOpen || in.DueOn != "2026-12-23" {
			t.Fatalf("plan %+v", in)
		}
		_, err = e.svc.StartInduction(ctx, e.qm, e.ema)
		indKey(t, err, apperr.KindConflict, "", "traininginduction.error.exists")

		// Ema reads the policy; then the plan is cancelled.
		indOK(t, e.docs.Acknowledge(ctx, e.emp, q.policy.version))
		in = indMust(e.svc.Induction(ctx, e.qm, in.ID))(t)
		if in.Done != 1 {
			t.Fatalf("after the policy: %+v", in)
		}
		indKey(t, e.svc.CancelInduction(ctx, e.qm, in.ID, in.Version-1), apperr.KindConflict, "", "error.stale")
		indKey(t, e.svc.CancelInduction(ctx, e.head, in.ID, in.Version), apperr.KindForbidden, "", "")
		indKey(t, e.svc.CancelInduction(ctx, e.other, in.ID, in.Version), apperr.KindNotFound, "", "")
		indOK(t, e.svc.CancelInduction(ctx, e.qm, in.ID, in.Version))
		if n := e.openTasks(t, e.ema, training.EntityInductionItem); n != 0 {
			t.Fatalf("open tasks after cancelling: %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = $1 AND person_id = $2 AND state = 'cancelled'`, training.EntityInductionItem, e.ema); n != 1 {
			t.Fatalf("cancelled tasks: %d", n)
		}
		in = indMust(e.svc.Induction(ctx, e.qm, in.ID))(t)
		indKey(t, e.svc.CancelInduction(ctx, e.qm, in.ID, in.Version), apperr.KindConflict, "", "traininginduction.error.not_open")
		// Reading a document of a cancelled plan changes nothing.
		indOK(t, e.docs.Acknowledge(ctx, e.emp, q.manual.version))
		if after := indMust(e.svc.Induction(ctx, e.qm, in.ID))(t); after.Done != 1 || after.Version != in.Version {
			t.Fatalf("cancelled plan changed: %+v", after)
		}

		// Started again: what Ema already read counts at once.
		e.clk.Advance(24 * time.Hour)
		again := indMust(e.svc.StartInduction(ctx, e.qm, e.ema))(t)
		if again.ID != in.ID || again.State != training.InductionOpen || again.StartOn != "2026-11-24" || again.Done != 2 || again.Total != 4 {
			t.Fatalf("restarted %+v", again)
		}
		if n := e.openTasks(t, e.ema, training.EntityInductionItem); n != 1 {
			t.Fatalf("open tasks after restarting: %d", n)
		}
		// Someone who already completed the programme and read everything
		// gets a plan completed on the spot.
		indComplete(t, e, q.induct, "P-IND/1", e.ion)
		for i, d := range []indDoc{q.policy, q.manual, q.procedure} {
			indExec(t, e, `INSERT INTO document_receipts (tenant_id, version_id, person_id, copy_no, purpose, received_at, acknowledged_at) VALUES ($1, $2, $3, $4, 'application', $5, $5)`,
				e.qm.Tenant, d.version, e.ion, 10+i, t0)
		}
		done := indMust(e.svc.StartInduction(ctx, e.qm, e.ion))(t)
		if done.State != training.InductionCompleted || done.Done != 4 || done.CompletedOn != "2026-11-24" {
			t.Fatalf("ion's plan %+v %+v", done, done.Items)
		}
		// An inactive person gets none.
		vio := indMust(e.org.Person(ctx, e.sysA, e.vio))(t)
		indMust(e.org.UpdatePerson(ctx, e.sysA, e.vio, org.PersonInput{UnitID: vio.UnitID, FullName: vio.FullName, JobTitle: vio.JobTitle, Position: vio.Position,
			Employment: vio.Employment, Active: false, Version: vio.Version}))(t)
		_, err = e.svc.StartInduction(ctx, e.qm, e.vio)
		indKey(t, err, apperr.KindConflict, "", "traininginduction.error.inactive")
	})
}

func TestInductionList(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		newIndQuality(t, e)
		// Plans started on different days: Dan's 40 days ago (overdue),
		// Ema's and Ion's today, Ana's 10 days ago and completed.
		start := func(person int64, daysAgo int) training.Induction {
			e.clk.Set(t0.AddDate(0, 0, -daysAgo))
			defer e.clk.Set(t0)
			return indMust(e.svc.StartInduction(ctx, e.qm, person))(t)
		}
		dan := start(e.dan, 40)
		ema := start(e.ema, 0)
		start(e.ion, 0)
		ana := start(e.ana, 10)
		indExec(t, e, `UPDATE training_induction_items SET done_on = '2026-11-20' WHERE induction_id = $1`, ana.ID)
		indExec(t, e, `UPDATE training_inductions SET state = 'completed', completed_on = '2026-11-20' WHERE id = $1`, ana.ID)
		indExec(t, e, `UPDATE training_induction_items SET done_on = '2026-11-23' WHERE induction_id = $1 AND kind = 'policy'`, ema.ID)
		if dan.DueOn != "2026-11-13" {
			t.Fatalf("Dan's due day %s", dan.DueOn)
		}
		names := func(p training.InductionPage) []string {
			var out []string
			for _, in := range p.Items {
				out = append(out, in.Name)
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			a     auth.Actor
			f     training.InductionFilter
			want  []string
			total int
		}{
			{"all, by due day", e.qm, training.InductionFilter{}, []string{"Dan Țurcanu", "Ana Mureșan", "Ema Știrbu", "Ion Bălan"}, 4},
			{"open", e.qm, training.InductionFilter{State: training.InductionOpen}, []string{"Dan Țurcanu", "Ema Știrbu", "Ion Bălan"}, 3},
			{"overdue", e.qm, training.InductionFilter{Overdue: true}, []string{"Dan Țurcanu"}, 1},
			{"the economic directorate", e.qm, training.InductionFilter{UnitID: e.econ, Sort: "name"}, []string{"Dan Țurcanu", "Ema Știrbu", "Ion Bălan"}, 3},
			{"the tax service", e.qm, training.InductionFilter{UnitID: e.tax, Sort: "name", Desc: true}, []string{"Ion Bălan", "Ema Știrbu"}, 2},
			{"search without diacritics", e.qm, training.InductionFilter{Query: "stirbu"}, []string{"Ema Știrbu"}, 1},
			{"by progress", e.qm, training.InductionFilter{Sort: "progress", Desc: true}, []string{"Ana Mureșan", "Ema Știrbu", "Dan Țurcanu", "Ion Bălan"}, 4},
			{"by start", e.qm, training.InductionFilter{Sort: "start"}, []string{"Dan Țurcanu", "Ana Mureșan", "Ema Știrbu", "Ion Bălan"}, 4},
			{"a page", e.qm, training.InductionFilter{Sort: "name", Page: 2, PerPage: 3}, []string{"Ion Bălan"}, 4},
			{"the head sees their units", e.head, training.InductionFilter{Sort: "name"}, []string{"Dan Țurcanu", "Ema Știrbu", "Ion Bălan"}, 3},
			{"an employee sees their own", e.emp, training.InductionFilter{}, []string{"Ema Știrbu"}, 1},
			{"a viewer has none", e.viewer, training.InductionFilter{}, nil, 0},
			{"another institution", e.other, training.InductionFilter{}, nil, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := indMust(e.svc.Inductions(ctx, tc.a, tc.f))(t)
				if got := names(p); !slices.Equal(got, tc.want) || p.Total != tc.total {
					t.Fatalf("got %v (%d), want %v (%d)", got, p.Total, tc.want, tc.total)
				}
			})
		}
		p := indMust(e.svc.Inductions(ctx, e.qm, training.InductionFilter{Query: "stirbu"}))(t)
		if in := p.Items[0]; in.Done != 1 || in.Total != 4 || in.Percent() != 25 || in.Overdue(t0) || in.UnitName != "Serviciul Impozite și Taxe Locale" {
			t.Fatalf("Ema's line %+v", in)
		}
		if !dan.Overdue(t0) {
			t.Fatal("Dan's plan is overdue")
		}
		// Reads follow the same scope.
		for _, tc := range []struct {
			name string
			a    auth.Actor
			id   int64
			ok   bool
		}{
			{"quality manager", e.qm, dan.ID, true},
			{"head, their unit", e.head, ema.ID, true},
			{"head, another unit", e.head, ana.ID, false},
			{"employee, own", e.emp, ema.ID, true},
			{"employee, another's", e.emp, dan.ID, false},
			{"another institution", e.other, ema.ID, false},
		} {
			t.Run("read "+tc.name, func(t *testing.T) {
				_, err := e.svc.Induction(ctx, tc.a, tc.id)
				if (err == nil) != tc.ok || (err != nil && apperr.KindOf(err) != apperr.KindNotFound) {
					t.Fatalf("err %v, want ok %v", err, tc.ok)
				}
			})
		}
		if _, err := e.svc.InductionOf(ctx, e.other, e.ema); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's plan: %v", err)
		}
	})
}

func TestTrainingSettings(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		st := indMust(e.svc.Settings(ctx, e.emp))(t)
		if st.InductionDays != 30 || st.RenewalDays != 60 || st.Version != 0 {
			t.Fatalf("defaults %+v", st)
		}
		for _, tc := range []struct {
			name       string
			in         training.Settings
			field, key string
		}{
			{"induction too short", training.Settings{InductionDays: 4, RenewalDays: 60}, "induction_days", "traininginduction.error.induction_days"},
			{"induction too long", training.Settings{InductionDays: 181, RenewalDays: 60}, "induction_days", "traininginduction.error.induction_days"},
			{"renewal too short", training.Settings{InductionDays: 30, RenewalDays: 6}, "renewal_days", "traininginduction.error.renewal_days"},
			{"renewal too long", training.Settings{InductionDays: 30, RenewalDays: 366}, "renewal_days", "traininginduction.error.renewal_days"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.SaveSettings(ctx, e.qm, tc.in)
				indKey(t, err, apperr.KindInvalid, tc.field, tc.key)
			})
		}
		_, err := e.svc.SaveSettings(ctx, e.head, training.Settings{InductionDays: 10, RenewalDays: 30})
		indKey(t, err, apperr.KindForbidden, "", "")
		_, err = e.svc.SaveSettings(ctx, e.qm, training.Settings{InductionDays: 10, RenewalDays: 30, Version: 1})
		indKey(t, err, apperr.KindConflict, "", "error.stale")
		st = indMust(e.svc.SaveSettings(ctx, e.qm, training.Settings{InductionDays: 5, RenewalDays: 365}))(t)
		if st.InductionDays != 5 || st.RenewalDays != 365 || st.Version != 1 {
			t.Fatalf("saved %+v", st)
		}
		st = indMust(e.svc.SaveSettings(ctx, e.qm, training.Settings{InductionDays: 10, RenewalDays: 7, Version: 1}))(t)
		if st.Version != 2 {
			t.Fatalf("saved again %+v", st)
		}
		_, err = e.svc.SaveSettings(ctx, e.qm, training.Settings{InductionDays: 12, RenewalDays: 7, Version: 1})
		indKey(t, err, apperr.KindConflict, "", "error.stale")
		if n := indAudits(t, e, training.EntitySettings, e.qm.Tenant); n != 2 {
			t.Fatalf("audit events: %d", n)
		}
		// B keeps the defaults.
		if b := indMust(e.svc.Settings(ctx, e.other))(t); b.InductionDays != 30 || b.Version != 0 {
			t.Fatalf("B's settings %+v", b)
		}
		// A new hire's plan falls due after the institution's days.
		newIndQuality(t, e)
		radu := indHire(t, e, e.tax, "Radu Neagu")
		if in := indMust(e.svc.InductionOf(ctx, e.qm, radu))(t); in.DueOn != "2026-12-03" {
			t.Fatalf("due %s", in.DueOn)
		}
	})
}
