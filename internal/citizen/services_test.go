package citizen_test

import (
	"strings"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestPublicServiceInputValidate(t *testing.T) {
	ok := citizen.PublicServiceInput{Code: " urb-cu ", Name: "Certificat de urbanism", UnitID: 1, LegalDays: 30}
	for _, tc := range []struct {
		name  string
		edit  func(*citizen.PublicServiceInput)
		field string
		key   string
	}{
		{"no code", func(in *citizen.PublicServiceInput) { in.Code = "" }, citizen.FieldServiceCode, "error.required"},
		{"code with a space", func(in *citizen.PublicServiceInput) { in.Code = "URB CU" }, citizen.FieldServiceCode, "citizen.stats.error.code"},
		{"code with diacritics", func(in *citizen.PublicServiceInput) { in.Code = "AȘ-1" }, citizen.FieldServiceCode, "citizen.stats.error.code"},
		{"code starting with a dash", func(in *citizen.PublicServiceInput) { in.Code = "-URB" }, citizen.FieldServiceCode, "citizen.stats.error.code"},
		{"code too long", func(in *citizen.PublicServiceInput) { in.Code = strings.Repeat("A", 21) }, citizen.FieldServiceCode, "error.too_long"},
		{"no name", func(in *citizen.PublicServiceInput) { in.Name = "  " }, citizen.FieldServiceName, "error.required"},
		{"name too long", func(in *citizen.PublicServiceInput) { in.Name = strings.Repeat("ș", 201) }, citizen.FieldServiceName, "error.too_long"},
		{"no unit", func(in *citizen.PublicServiceInput) { in.UnitID = 0 }, citizen.FieldServiceUnit, "error.required"},
		{"no days", func(in *citizen.PublicServiceInput) { in.LegalDays = 0 }, citizen.FieldServiceLegalDays, "citizen.stats.error.legal_days"},
		{"too many days", func(in *citizen.PublicServiceInput) { in.LegalDays = 366 }, citizen.FieldServiceLegalDays, "citizen.stats.error.legal_days"},
		{"baseline start only", func(in *citizen.PublicServiceInput) { in.BaselineFrom = date("2025-01-01") }, citizen.FieldServiceBaselineTo, "citizen.stats.error.baseline_both"},
		{"baseline end only", func(in *citizen.PublicServiceInput) { in.BaselineTo = date("2025-01-01") }, citizen.FieldServiceBaselineFrom, "citizen.stats.error.baseline_both"},
		{"baseline reversed", func(in *citizen.PublicServiceInput) {
			in.BaselineFrom, in.BaselineTo = date("2025-12-31"), date("2025-01-01")
		},
			citizen.FieldServiceBaselineTo, "citizen.stats.error.baseline_order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			wantKey(t, in.Validate(), tc.field, tc.key)
		})
	}
	in := ok
	in.Documents = "Cerere tip\r\n\r\n  Copie act de identitate  \n"
	if err := in.Validate(); err != nil || in.Code != "URB-CU" {
		t.Fatalf("valid input: %v %q", err, in.Code)
	}
	if docs := (citizen.PublicService{Documents: in.Documents}).DocumentList(); len(docs) != 2 || docs[1] != "Copie act de identitate" {
		t.Fatalf("documents %q", docs)
	}
}

func TestCatalogueCRUD(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		in := citizen.PublicServiceInput{Code: "urb-cu", Name: "Certificat de urbanism", UnitID: e.urban, LegalDays: 30, LegalBasis: "Legea 50/1991",
			Documents: "Cerere\nPlan de situație", Active: true, BaselineFrom: date("2025-01-01"), BaselineTo: date("2025-12-31")}
		if _, err := e.svc.CreatePublicService(ctx, e.viewer, in); apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("a viewer adding a service: %v", err)
		}
		p, err := e.svc.CreatePublicService(ctx, e.qm, in)
		if err != nil || p.Code != "URB-CU" || p.UnitName != "Direcția Urbanism" || p.Version != 1 || !p.BaselineTo.Equal(date("2025-12-31")) {
			t.Fatalf("created %+v %v", p, err)
		}
		if n := e.events(t, citizen.EntityService, p.ID); n != 1 {
			t.Fatalf("%d audit events", n)
		}
		// The code is unique in the institution, not across them; the unit
		// must be the institution's.
		dup := in
		dup.Code = "URB-cu"
		_, err = e.svc.CreatePublicService(ctx, e.qm, dup)
		wantKey(t, err, citizen.FieldServiceCode, "citizen.stats.error.code_taken")
		other := in
		other.UnitID = e.unitB
		_, err = e.svc.CreatePublicService(ctx, e.qm, other)
		wantKey(t, err, citizen.FieldServiceUnit, "error.choice")
		// Everyone reads the catalogue; B's sees none of A's.
		if list, err := e.svc.PublicServices(ctx, e.viewer, false); err != nil || len(list) != 1 {
			t.Fatalf("viewer's list %v %v", list, err)
		}
		if _, err := e.svc.PublicService(ctx, e.other, p.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reading A's service: %v", err)
		}
		if _, err := e.svc.UpdatePublicService(ctx, e.other, p.ID, citizen.PublicServiceInput{Code: "X", Name: "X", UnitID: e.unitB, LegalDays: 1, Version: 1}); err == nil {
			t.Fatal("B changed A's service")
		}
		// Update, then a stale one.
		up := in
		up.Name, up.Active, up.Version = "Certificat de urbanism (informare)", false, p.Version
		p2, err := e.svc.UpdatePublicService(ctx, e.top, p.ID, up)
		if err != nil || p2.Version != 2 || p2.Active || p2.Name != up.Name {
			t.Fatalf("updated %+v %v", p2, err)
		}
		if _, err := e.svc.UpdatePublicService(ctx, e.qm, p.ID, up); !errorsIsStale(err) {
			t.Fatalf("stale update: %v", err)
		}
		if n := e.events(t, citizen.EntityService, p.ID); n != 2 {
			t.Fatalf("%d audit events", n)
		}
		// The public pages see only active services.
		if list, err := e.svc.CatalogueOf(ctx, e.tenantA); err != nil || len(list) != 0 {
			t.Fatalf("catalogue with an inactive service: %v %v", list, err)
		}
		if _, err := e.svc.ServiceByCode(ctx, e.tenantA, "urb-cu"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("inactive service by code: %v", err)
		}
		up.Active, up.Version = true, 2
		if _, err := e.svc.UpdatePublicService(ctx, e.qm, p.ID, up); err != nil {
			t.Fatal(err)
		}
		if got, err := e.svc.ServiceByCode(ctx, e.tenantA, "urb-cu"); err != nil || got.ID != p.ID || len(got.DocumentList()) != 2 {
			t.Fatalf("by code %+v %v", got, err)
		}
		if _, err := e.svc.ServiceByCode(ctx, e.tenantB, "URB-CU"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("A's service through B's page: %v", err)
		}
	})
}

func errorsIsStale(err error) bool {
	ae, ok := err.(*apperr.Error)
	return ok && ae.Key == "error.stale"
}
