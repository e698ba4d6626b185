package training_test

import (
	"testing"

	"cadran/internal/training"
)

// TestCompetenceFromProgramme: closing a session completes the people who
// attended, and a programme that gives a competence without a certificate
// makes them hold it (source programme, lapsing after the competence's
// validity); one that leads to a certificate waits for the certificate.
func TestCompetenceFromProgramme(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		k := compNew(t, e, "C-CAF", training.TopicCAF, 12)
		mk := func(code, cert string) training.Programme {
			p, err := e.svc.CreateProgramme(ctx, e.qm, training.ProgrammeInput{Code: code, Title: "Autoevaluarea CAF " + code, Topic: training.TopicCAF,
				Hours: 16, Certificate: cert, CertificateMonths: 0, CompetenceID: k, CompetenceLevel: 2, MinAttendance: 50, Active: true})
			if err != nil {
				t.Fatalf("programme %s: %v", code, err)
			}
			return p
		}
		held := func(p training.Programme) int {
			return e.count(t, `SELECT COUNT(*) FROM training_person_competences h JOIN training_enrolments en ON en.id = h.enrolment_id
				JOIN training_sessions s ON s.id = en.session_id WHERE s.programme_id = $1`, p.ID)
		}
		for _, tc := range []struct {
			code, cert string
			want       int
		}{
			{"P-CAF", "", 1},
			{"P-CAF-CERT", "Evaluator CAF", 0},
		} {
			p := mk(tc.code, tc.cert)
			ss, err := e.svc.CreateSession(ctx, e.qm, training.SessionInput{ProgrammeID: p.ID, StartOn: "2026-11-16", EndOn: "2026-11-17", Place: "Sala mică"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Enrol(ctx, e.qm, ss.ID, []int64{e.ema, e.ion}); err != nil {
				t.Fatal(err)
			}
			step := func(state string) {
				t.Helper()
				cur, err := e.svc.Session(ctx, e.qm, ss.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.SetSessionState(ctx, e.qm, ss.ID, state, cur.Version); err != nil {
					t.Fatalf("%s: %v", state, err)
				}
			}
			step(training.SessionHeld)
			es, err := e.svc.Enrolments(ctx, e.qm, ss.ID)
			if err != nil {
				t.Fatal(err)
			}
			present := map[int64][]string{}
			for _, en := range es {
				if en.PersonID == e.ema {
					present[en.ID] = []string{"2026-11-16", "2026-11-17"}
				} else {
					present[en.ID] = nil
				}
			}
			if err := e.svc.SaveAttendance(ctx, e.qm, ss.ID, present); err != nil {
				t.Fatal(err)
			}
			step(training.SessionClosed)
			if n := held(p); n != tc.want {
				t.Errorf("%s: %d competences granted, want %d", tc.code, n, tc.want)
			}
		}
		got, err := e.svc.HeldBy(ctx, e.emp, e.ema)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Source != training.HeldProgramme || got[0].Level != 2 || got[0].AcquiredOn != "2026-11-17" || got[0].ExpiresOn != "2027-11-17" || got[0].EnrolmentID == 0 {
			t.Errorf("Ema holds %+v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_person_competences WHERE person_id = $1`, e.ion); n != 0 {
			t.Errorf("Ion, absent, holds %d competences", n)
		}
		// The matrix sees it.
		m, err := e.svc.Matrix(ctx, e.emp, training.MatrixFilter{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Rows) != 1 || m.Rows[0].Cells[0].Held != 2 || m.Rows[0].Cells[0].State != training.CellExtra {
			t.Errorf("Ema's matrix row %+v", m.Rows)
		}
	})
}
