package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
)

func init() {
	isolationModules = append(isolationModules, citizenServiceIsolation)
}

// citizenServiceIsolation gives institution A a service of the catalogue,
// its settings with a baseline and a contact text, and a rating with a
// comment: B's administrator must reach none of them.
func citizenServiceIsolation(t *testing.T, f *fixture) isolationRecords {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.citizen
	p, err := svc.CreatePublicService(ctx, sys, citizen.PublicServiceInput{Code: "ALFA-CU", Name: "Alfa Certificat de urbanism", UnitID: f.A.Unit.ID,
		LegalDays: 30, Documents: "Alfa cerere\nAlfa plan de situație", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := svc.SettingsOf(ctx, f.A.Inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	set, err := svc.SaveSettings(ctx, sys, citizen.Settings{Tenant: f.A.Inst.ID, ShiftToWorking: true, PublicEnabled: true, Contact: "Alfa registratura, luni–vineri",
		BaselineFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), BaselineTo: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Version: cur.Version})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Rate(ctx, f.A.Inst.ID, citizen.FeedbackInput{ServiceID: p.ID, Channel: citizen.FeedbackCounter, Rating: 2, Comment: "Alfa comentariu"}); err != nil {
		t.Fatal(err)
	}
	ratings := func() int {
		var n int
		if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM citizen_feedback WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := ratings()
	return isolationRecords{
		IDs: map[string]string{"/citizen/services/{id}": strconv.FormatInt(p.ID, 10)},
		Form: url.Values{"citizen_svc_code": {"INTRUS"}, "citizen_svc_name": {"Intrus"}, "citizen_svc_unit_id": {strconv.FormatInt(f.A.Unit.ID, 10)},
			"citizen_svc_legal_days": {"30"}, "citizen_svc_active": {"1"}, "citizen_settings_contact": {"Intrus"}},
		Own: map[string]string{
			"POST /citizen/settings": "saves the signed-in institution's own settings and names no record, so nothing of another institution can be reached; A's settings are checked unchanged below",
		},
		Check: func(t *testing.T) {
			after, err := svc.PublicService(ctx, sys, p.ID)
			if err != nil || after.Version != p.Version || after.Name != p.Name || after.UnitID != f.A.Unit.ID {
				t.Errorf("A's service changed during B's requests: %+v (%v)", after, err)
			}
			st, err := svc.SettingsOf(ctx, f.A.Inst.ID)
			if err != nil || st.Version != set.Version || st.Contact != set.Contact {
				t.Errorf("A's citizen settings changed: %+v (%v)", st, err)
			}
			if n := ratings(); n != before {
				t.Errorf("A's ratings went from %d to %d", before, n)
			}
			var n int
			if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM citizen_services WHERE tenant_id <> $1 AND unit_id = $2`, f.A.Inst.ID, f.A.Unit.ID).Scan(&n); err != nil || n != 0 {
				t.Errorf("B made %d services of A's unit (err %v)", n, err)
			}
		},
	}
}
