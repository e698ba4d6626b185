package training_test

import (
	"strings"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/training"
)

func TestCompetenceCatalogue(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ok := training.CompetenceInput{Code: "c-audit", Name: "Audit intern al sistemului de management al calității", Area: training.TopicAudit, ValidityMonths: 36, Active: true}
		for _, tc := range []struct {
			name       string
			change     func(in *training.CompetenceInput)
			field, key string
		}{
			{"code required", func(in *training.CompetenceInput) { in.Code = " " }, training.FieldCompCode, "error.required"},
			{"code with a space", func(in *training.CompetenceInput) { in.Code = "C AUDIT" }, training.FieldCompCode, "trainingcomp.error.code"},
			{"code with diacritics", func(in *training.CompetenceInput) { in.Code = "CALITATE-Ș" }, training.FieldCompCode, "trainingcomp.error.code"},
			{"code too long", func(in *training.CompetenceInput) { in.Code = strings.Repeat("C", 21) }, training.FieldCompCode, "error.too_long"},
			{"name required", func(in *training.CompetenceInput) { in.Name = "" }, training.FieldCompName, "error.required"},
			{"area unknown", func(in *training.CompetenceInput) { in.Area = "induction" }, training.FieldCompArea, "error.choice"},
			{"validity negative", func(in *training.CompetenceInput) { in.ValidityMonths = -1 }, training.FieldCompValidity, "error.range"},
			{"validity over ten years", func(in *training.CompetenceInput) { in.ValidityMonths = 121 }, training.FieldCompValidity, "error.range"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := ok
				tc.change(&in)
				_, err := e.svc.CreateCompetence(ctx, e.qm, in)
				certWant(t, err, tc.field, tc.key)
			})
		}
		k, err := e.svc.CreateCompetence(ctx, e.qm, ok)
		if err != nil {
			t.Fatal(err)
		}
		if k.Code != "C-AUDIT" || k.ValidityMonths != 36 || !k.Active || k.Version != 1 {
			t.Errorf("created %+v", k)
		}
		// The code is unique in the institution, whatever the case; B may
		// use it too.
		dup := ok
		dup.Code = "C-Audit"
		_, err = e.svc.CreateCompetence(ctx, e.qm, dup)
		certWant(t, err, training.FieldCompCode, "trainingcomp.error.code_taken")
		if _, err := e.svc.CreateCompetence(ctx, e.other, ok); err != nil {
			t.Errorf("B cannot use the same code: %v", err)
		}
		other := compNew(t, e, "C-CAF", training.TopicCAF, 0)
		in := ok
		in.Code, in.Version = "C-CAF", k.Version
		_, err = e.svc.UpdateCompetence(ctx, e.qm, k.ID, in)
		certWant(t, err, training.FieldCompCode, "trainingcomp.error.code_taken")
		_ = other
		// Update, stale version, permissions, isolation.
		in = ok
		in.Name, in.Active, in.Version = "Audit intern", false, k.Version
		k2, err := e.svc.UpdateCompetence(ctx, e.qm, k.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if k2.Name != "Audit intern" || k2.Active || k2.Version != 2 {
			t.Errorf("updated %+v", k2)
		}
		if _, err := e.svc.UpdateCompetence(ctx, e.qm, k.ID, in); apperr.KindOf(err) != apperr.KindConflict {
			t.Errorf("stale update: %v", err)
		}
		if _, err := e.svc.CreateCompetence(ctx, e.head, ok); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("a head of unit changes the catalogue: %v", err)
		}
		_, err = e.svc.Competence(ctx, e.other, k.ID)
		certNotFound(t, err)
		in.Version = k2.Version
		_, err = e.svc.UpdateCompetence(ctx, e.other, k.ID, in)
		certNotFound(t, err)
		if all, _ := e.svc.Competences(ctx, e.emp, false); len(all) != 2 {
			t.Errorf("an employee reads %d competences, want 2", len(all))
		}
		if active, _ := e.svc.Competences(ctx, e.emp, true); len(active) != 1 || active[0].Code != "C-CAF" {
			t.Errorf("active competences %+v", active)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'training_competence' AND entity_id = $1`, k.ID); n != 2 {
			t.Errorf("%d audit events for the competence", n)
		}
	})
}

func TestRequirementMatching(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		k := compNew(t, e, "C-FISC", training.TopicLegal, 0)
		// Job titles match folded: "Inspector", "INSPECTOR " and
		// "inspector" are one job; "Inspector principal" is another.
		e.person(t, e.sysA, e.tax, "Maria Ștefănescu", "INSPECTOR ", "execution")
		e.person(t, e.sysA, e.tax, "Petru Oprea", "Inspector principal", "execution")
		idle := e.person(t, e.sysA, e.tax, "Gheorghe Inactiv", "inspector", "execution")
		if _, err := e.d.W.ExecContext(ctx, `UPDATE people SET active = FALSE WHERE id = $1`, idle); err != nil {
			t.Fatal(err)
		}
		// Ana is on the audit register (the "auditor" role target).
		if _, err := e.d.W.ExecContext(ctx, `INSERT INTO auditors (tenant_id, person_id, active, notes, created_at, updated_at) VALUES ($1, $2, TRUE, '', $3, $3)`,
			e.qm.Tenant, e.ana, t0); err != nil {
			t.Fatal(err)
		}
		job := compReq(t, e, k, training.RequireJob, "  Inspector ", 2)
		if job.Target != "Inspector" {
			t.Errorf("target kept as %q", job.Target)
		}
		compReq(t, e, k, training.RequireRole, string(auth.RoleAuditor), 2)
		compReq(t, e, k, training.RequireRole, training.RoleRegisteredAuditor, 3)
		compReq(t, e, k, training.RequireEveryone, "ignored", 1)
		for _, tc := range []struct {
			name       string
			in         training.RequirementInput
			field, key string
		}{
			{"same job in other case", training.RequirementInput{Kind: training.RequireJob, Target: "inspector", Level: 3}, training.FieldReqTarget, "trainingcomp.error.requirement_taken"},
			{"same job with diacritics", training.RequirementInput{Kind: training.RequireJob, Target: "ÎNSPECTOR", Level: 1}, training.FieldReqTarget, "trainingcomp.error.requirement_taken"},
			{"everyone twice", training.RequirementInput{Kind: training.RequireEveryone, Level: 2}, training.FieldReqTarget, "trainingcomp.error.requirement_taken"},
			{"job required", training.RequirementInput{Kind: training.RequireJob, Level: 1}, training.FieldReqTarget, "error.required"},
			{"unknown role", training.RequirementInput{Kind: training.RequireRole, Target: "primar", Level: 1}, training.FieldReqTarget, "error.choice"},
			{"unknown kind", training.RequirementInput{Kind: "unit", Target: "x", Level: 1}, training.FieldReqKind, "error.choice"},
			{"level zero", training.RequirementInput{Kind: training.RequireJob, Target: "Referent", Level: 0}, training.FieldReqLevel, "error.choice"},
			{"level four", training.RequirementInput{Kind: training.RequireJob, Target: "Referent", Level: 4}, training.FieldReqLevel, "error.choice"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.AddRequirement(ctx, e.qm, k, tc.in)
				certWant(t, err, tc.field, tc.key)
			})
		}
		list, err := e.svc.Requirements(ctx, e.emp, k)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range list {
			got[r.Kind+":"+r.Target] = r.People
		}
		want := map[string]int{
			"job:Inspector":         3, // Ema, Ion, Maria (not Petru, not the inactive one, not B's Bob)
			"role:internal_auditor": 1, // Ion
			"role:auditor":          1, // Ana, on the register
			"everyone:":             7, // A's active people
		}
		if len(got) != len(want) {
			t.Errorf("requirements %v", got)
		}
		for key, n := range want {
			if got[key] != n {
				t.Errorf("%s applies to %d people, want %d", key, got[key], n)
			}
		}
		if c, _ := e.svc.Competence(ctx, e.qm, k); c.Requirements != 4 {
			t.Errorf("competence counts %d requirements", c.Requirements)
		}
		// Delete: audited; another competence's id or B is not found.
		other := compNew(t, e, "C-ALT", training.TopicOther, 0)
		certNotFound(t, e.svc.DeleteRequirement(ctx, e.qm, other, job.ID))
		certNotFound(t, e.svc.DeleteRequirement(ctx, e.other, k, job.ID))
		_, err = e.svc.AddRequirement(ctx, e.other, k, training.RequirementInput{Kind: training.RequireJob, Target: "Referent", Level: 1})
		certNotFound(t, err)
		if err := e.svc.DeleteRequirement(ctx, e.emp, k, job.ID); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("an employee deletes a requirement: %v", err)
		}
		if err := e.svc.DeleteRequirement(ctx, e.qm, k, job.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := e.svc.Requirements(ctx, e.qm, k); len(list) != 3 {
			t.Errorf("%d requirements after delete", len(list))
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'training_requirement'`); n != 5 {
			t.Errorf("%d requirement audit events, want 4 created and 1 deleted", n)
		}
	})
}

func TestAssess(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		k := compNew(t, e, "C-RISC", training.TopicRisk, 24)
		off := compNew(t, e, "C-OFF", training.TopicOther, 0)
		offK, _ := e.svc.Competence(ctx, e.qm, off)
		if _, err := e.svc.UpdateCompetence(ctx, e.qm, off, training.CompetenceInput{Code: "C-OFF", Name: offK.Name, Area: offK.Area, Active: false, Version: offK.Version}); err != nil {
			t.Fatal(err)
		}
		ok := training.HeldInput{CompetenceID: k, Level: 2, AcquiredOn: "2025-03-31"}
		for _, tc := range []struct {
			name       string
			change     func(in *training.HeldInput)
			field, key string
		}{
			{"competence required", func(in *training.HeldInput) { in.CompetenceID = 0 }, training.FieldHeldCompetence, "error.required"},
			{"inactive competence", func(in *training.HeldInput) { in.CompetenceID = off }, training.FieldHeldCompetence, "error.choice"},
			{"level", func(in *training.HeldInput) { in.Level = 0 }, training.FieldHeldLevel, "error.choice"},
			{"acquired in the future", func(in *training.HeldInput) { in.AcquiredOn = certDay(1) }, training.FieldHeldAcquired, "trainingcomp.error.acquired_future"},
			{"acquired not a date", func(in *training.HeldInput) { in.AcquiredOn = "ieri" }, training.FieldHeldAcquired, "error.date"},
			{"expiry before acquired", func(in *training.HeldInput) { in.ExpiresOn = "2025-01-01" }, training.FieldHeldExpires, "trainingcomp.error.expiry_before_acquired"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := ok
				tc.change(&in)
				_, err := e.svc.Assess(ctx, e.qm, e.ema, in)
				certWant(t, err, tc.field, tc.key)
			})
		}
		// The quality office assesses anyone; the validity of the
		// competence sets the expiry, to the end of a shorter month.
		h, err := e.svc.Assess(ctx, e.qm, e.ana, training.HeldInput{CompetenceID: k, Level: 3, AcquiredOn: "2024-02-29"})
		if err != nil {
			t.Fatal(err)
		}
		if h.Source != training.HeldAssessed || h.ExpiresOn != "2026-02-28" || h.CompetenceCode != "C-RISC" {
			t.Errorf("assessed %+v", h)
		}
		// The economic director assesses the people of his directorate
		// and the service under it, not the quality office's, not himself.
		for _, tc := range []struct {
			name   string
			a      auth.Actor
			person int64
			ok     bool
		}{
			{"head: person of the service under his unit", e.head, e.ema, true},
			{"head: person of another unit", e.head, e.ana, false},
			{"head: himself", e.head, e.dan, false},
			{"employee: a colleague", e.emp, e.ion, false},
			{"employee: herself", e.emp, e.ema, false},
			{"viewer", e.viewer, e.vio, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Assess(ctx, tc.a, tc.person, ok)
				if tc.ok && err != nil {
					t.Fatal(err)
				}
				if !tc.ok {
					certWantKind(t, err, apperr.KindForbidden)
				}
			})
		}
		_, err = e.svc.Assess(ctx, e.other, e.ema, ok)
		certNotFound(t, err)
		held, err := e.svc.HeldBy(ctx, e.head, e.ema)
		if err != nil {
			t.Fatal(err)
		}
		if len(held) != 1 || held[0].ExpiresOn != "2027-03-31" || held[0].Level != 2 {
			t.Fatalf("Ema holds %+v", held)
		}
		// Reading: the employee her own, not a colleague's; B nothing.
		if _, err := e.svc.HeldBy(ctx, e.emp, e.ema); err != nil {
			t.Error(err)
		}
		_, err = e.svc.HeldBy(ctx, e.emp, e.ion)
		certNotFound(t, err)
		_, err = e.svc.HeldBy(ctx, e.other, e.ema)
		certNotFound(t, err)
		// Deleting: only assessed ones, by who may assess.
		cert := certNew(t, e, training.CertificateInput{PersonID: e.ema, Name: "Managementul riscului", CompetenceID: k, CompetenceLevel: 1, IssuedOn: "2026-01-15"})
		fromCert, _ := e.svc.HeldBy(ctx, e.qm, e.ema)
		var certHeld int64
		for _, x := range fromCert {
			if x.CertificateID == cert.ID {
				certHeld = x.ID
			}
		}
		if certHeld == 0 {
			t.Fatalf("the certificate gives no competence: %+v", fromCert)
		}
		certWantKind(t, e.svc.DeleteHeld(ctx, e.qm, e.ema, certHeld), apperr.KindConflict)
		certWantKind(t, e.svc.DeleteHeld(ctx, e.head, e.ana, h.ID), apperr.KindForbidden)
		certNotFound(t, e.svc.DeleteHeld(ctx, e.qm, e.ion, held[0].ID))
		certNotFound(t, e.svc.DeleteHeld(ctx, e.other, e.ema, held[0].ID))
		if err := e.svc.DeleteHeld(ctx, e.head, e.ema, held[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_person_competences WHERE person_id = $1`, e.ema); n != 1 {
			t.Errorf("Ema holds %d rows, want the certificate's", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'training_person_competence'`); n != 4 {
			t.Errorf("%d held-competence audit events, want 3 created and 1 deleted", n)
		}
	})
}
