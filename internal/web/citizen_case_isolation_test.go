package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/work"
)

// Institution A's petition (assigned to A's person, so A's viewer sees it
// as their own) for the tenant-isolation test, and form values of the
// registry's pages pointing at A's unit, person and service.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc := &citizen.Service{DB: f.DB, Clock: f.Clock, Work: &work.Service{DB: f.DB, Clock: f.Clock}}
		ps, err := svc.CreatePublicService(ctx, sys, citizen.PublicServiceInput{Code: "ALFA-CASE", Name: "Alfa Certificat de atestare fiscală",
			UnitID: f.A.SubUnit.ID, LegalDays: 2, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := svc.Register(ctx, sys, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
			Petitioner: citizen.Petitioner{Name: "Alfa Petent Ionescu", Email: "petent@example.ro"}, Consent: true,
			Subject: "Alfa Iluminat public pe strada Morii", Body: "Alfa conținut", Topic: "utilities",
			UnitID: f.A.SubUnit.ID, AssigneeID: f.A.Person.ID})
		if err != nil {
			t.Fatal(err)
		}
		c := rc.Case
		unit, person := strconv.FormatInt(f.A.SubUnit.ID, 10), strconv.FormatInt(f.A.Person.ID, 10)
		return isolationRecords{
			IDs: map[string]string{"/citizen/cases/{id}": strconv.FormatInt(c.ID, 10)},
			Form: url.Values{"citizen_case_kind": {citizen.KindService}, "citizen_case_channel": {citizen.ChannelCounter},
				"citizen_case_name": {"Intrus"}, "citizen_case_consent": {"1"}, "citizen_case_subject": {"Intrus"},
				"citizen_case_service": {strconv.FormatInt(ps.ID, 10)}, "citizen_case_unit": {unit}, "citizen_case_assignee": {person},
				"citizen_case_assign_unit": {unit}, "citizen_case_assign_person": {person},
				"citizen_case_ext_days": {"5"}, "citizen_case_ext_reason": {"Intrus"}, "citizen_case_ext_notice": {"2026-11-23"},
				"citizen_case_redirect_to": {"Intrus"}, "citizen_case_redirected_on": {"2026-11-23"}, "citizen_case_redirect_notice": {"2026-11-23"},
				"citizen_case_answer_kind": {citizen.AnswerFavourable}, "citizen_case_answer": {"Intrus"}, "citizen_case_answered_on": {"2026-11-23"},
				"citizen_case_file_reason": {"Intrus"}, "citizen_case_complaint": {citizen.ComplaintPending}},
			Check: func(t *testing.T) {
				var state, hash string
				var version int
				var assignee int64
				if err := f.DB.R.QueryRow(`SELECT state, version, assignee_id, access_hash FROM citizen_cases WHERE id = $1`, c.ID).Scan(&state, &version, &assignee, &hash); err != nil ||
					state != c.State || version != c.Version || assignee != f.A.Person.ID || hash != citizen.HashAccessCode(rc.AccessCode) {
					t.Errorf("A's case is %s v%d, assignee %d, after B's requests (err %v)", state, version, assignee, err)
				}
				var leaked int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM citizen_cases WHERE tenant_id <> $1
						AND (unit_id IN ($2, $3) OR assignee_id = $4 OR service_id = $5 OR subject LIKE 'Alfa%')`,
					f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID, f.A.Person.ID, ps.ID).Scan(&leaked); err != nil || leaked != 0 {
					t.Errorf("B made %d cases pointing at A's records (err %v)", leaked, err)
				}
			},
		}
	})
}
