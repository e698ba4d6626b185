package training_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/training"
)

// matrixExample is the worked example: four active competences and one
// inactive, requirements by everyone, role and job, and held competences
// that give every cell state.
type matrixExample struct {
	aud, dig, ins, qua int64
}

func matrixSetUp(t *testing.T, e *env) matrixExample {
	t.Helper()
	x := matrixExample{
		aud: compNew(t, e, "C1-AUD", training.TopicAudit, 0),
		dig: compNew(t, e, "C2-DIG", training.TopicDigital, 0),
		ins: compNew(t, e, "C3-INS", training.TopicLegal, 0),
		qua: compNew(t, e, "C4-QUA", training.TopicQuality, 0),
	}
	off, err := e.svc.CreateCompetence(t.Context(), e.qm, training.CompetenceInput{Code: "C5-OFF", Name: "Inactivă", Area: training.TopicRisk})
	if err != nil {
		t.Fatal(err)
	}
	compReq(t, e, off.ID, training.RequireEveryone, "", 1)
	compReq(t, e, x.qua, training.RequireEveryone, "", 1)
	compReq(t, e, x.aud, training.RequireRole, string(auth.RoleAuditor), 2)
	compReq(t, e, x.ins, training.RequireJob, "inspector", 2)
	compReq(t, e, x.ins, training.RequireJob, "Director executiv", 1)
	compHold(t, e, e.ana, x.qua, 1, "2024-05-01", "")
	compHold(t, e, e.dan, x.dig, 2, "2024-05-01", "")
	compHold(t, e, e.ema, x.qua, 1, "2024-01-10", "2027-01-10") // lapses within the 60 days
	compHold(t, e, e.ema, x.ins, 2, "2025-01-01", "2027-12-31")
	compHold(t, e, e.ion, x.qua, 1, "2024-01-01", "2026-11-01") // lapsed
	compHold(t, e, e.ion, x.aud, 1, "2025-01-01", "")           // below the level
	compHold(t, e, e.ion, x.ins, 3, "2025-01-01", "2026-12-01") // level 3 lapses soon, level 2 does not
	compHold(t, e, e.ion, x.ins, 2, "2025-01-01", "")
	compHold(t, e, e.vio, x.qua, 1, certDay(0), "") // acquired today
	compHold(t, e, e.vio, x.ins, 1, "2025-01-01", "2026-12-15")
	return x
}

// matrixCells writes a row's cells as "required/held state [expiry]".
func matrixCells(r training.MatrixRow) string {
	var out []string
	for _, c := range r.Cells {
		s := fmt.Sprintf("%d/%d %s", c.Required, c.Held, c.State)
		if c.ExpiresOn != "" {
			s += " " + c.ExpiresOn
		}
		out = append(out, strings.TrimSpace(s))
	}
	return strings.Join(out, " | ")
}

func matrixNames(m training.Matrix) []string {
	var out []string
	for _, r := range m.Rows {
		out = append(out, r.Name)
	}
	return out
}

func TestMatrixWorkedExample(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		matrixSetUp(t, e)
		today := t0
		m, err := e.svc.Matrix(ctx, e.qm, training.MatrixFilter{PerPage: 100}, today)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, k := range m.Competences {
			codes = append(codes, k.Code)
		}
		if strings.Join(codes, ",") != "C1-AUD,C2-DIG,C3-INS,C4-QUA" {
			t.Fatalf("columns %v", codes)
		}
		// Columns: audit (role internal_auditor, 2), digital (none),
		// inspector's job (2; the director's job 1), everyone (1).
		want := []struct {
			name  string
			cells string
			gaps  int
		}{
			{"Ana Mureșan", "0/0 | 0/0 | 0/0 | 1/1 ok", 0},
			{"Viorica Pop", "0/0 | 0/0 | 0/1 extra 2026-12-15 | 1/1 ok", 0},
			{"Dan Țurcanu", "0/0 | 0/2 extra | 1/0 gap | 1/0 gap", 2},
			{"Ema Știrbu", "0/0 | 0/0 | 2/2 ok 2027-12-31 | 1/1 expiring 2027-01-10", 0},
			{"Ion Bălan", "2/1 gap | 0/0 | 2/3 ok | 1/0 gap", 2},
		}
		if len(m.Rows) != len(want) || m.Total != len(want) {
			t.Fatalf("rows %v", matrixNames(m))
		}
		for i, w := range want {
			r := m.Rows[i]
			if r.Name != w.name || matrixCells(r) != w.cells || r.Gaps != w.gaps {
				t.Errorf("row %d: %s %q gaps %d\n                 want %s %q gaps %d", i, r.Name, matrixCells(r), r.Gaps, w.name, w.cells, w.gaps)
			}
		}
		// The none state is the empty one.
		if m.Rows[0].Cells[0].State != training.CellNone {
			t.Errorf("empty cell state %q", m.Rows[0].Cells[0].State)
		}
		units := map[string]training.UnitGaps{}
		for _, u := range m.Units {
			units[u.UnitName] = u
		}
		for name, w := range map[string][3]int{
			"Biroul Managementul Calității":     {2, 2, 0},
			"Direcția Economică":                {1, 2, 2},
			"Serviciul Impozite și Taxe Locale": {2, 5, 2},
		} {
			u := units[name]
			if u.People != w[0] || u.Required != w[1] || u.Gaps != w[2] {
				t.Errorf("%s: %+v, want people %d required %d gaps %d", name, u, w[0], w[1], w[2])
			}
		}
		if c := units["Serviciul Impozite și Taxe Locale"].Coverage(); c != 60 {
			t.Errorf("tax service coverage %.1f, want 60", c)
		}
		if len(m.Units) != 3 {
			t.Errorf("units %+v", m.Units)
		}
		// The filters.
		for _, tc := range []struct {
			name  string
			a     auth.Actor
			f     training.MatrixFilter
			day   time.Time
			want  []string
			total int
		}{
			{"gaps only", e.qm, training.MatrixFilter{GapsOnly: true}, today, []string{"Dan Țurcanu", "Ion Bălan"}, 2},
			{"unit with the units under it", e.qm, training.MatrixFilter{UnitID: e.econ}, today, []string{"Dan Țurcanu", "Ema Știrbu", "Ion Bălan"}, 3},
			{"query on the job", e.qm, training.MatrixFilter{Query: "INSPECTOR"}, today, []string{"Ema Știrbu", "Ion Bălan"}, 2},
			{"query without diacritics", e.qm, training.MatrixFilter{Query: "turcanu"}, today, []string{"Dan Țurcanu"}, 1},
			{"one person", e.qm, training.MatrixFilter{PersonID: e.ion}, today, []string{"Ion Bălan"}, 1},
			{"second page", e.qm, training.MatrixFilter{PerPage: 2, Page: 2}, today, []string{"Dan Țurcanu", "Ema Știrbu"}, 5},
			{"head of unit: his units", e.head, training.MatrixFilter{}, today, []string{"Dan Țurcanu", "Ema Știrbu", "Ion Bălan"}, 3},
			{"head of unit asks for another unit", e.head, training.MatrixFilter{UnitID: e.quality}, today, nil, 0},
			{"employee: her own line", e.emp, training.MatrixFilter{}, today, []string{"Ema Știrbu"}, 1},
			{"employee asks for a colleague", e.emp, training.MatrixFilter{PersonID: e.ion}, today, nil, 0},
			{"viewer: her own line", e.viewer, training.MatrixFilter{}, today, []string{"Viorica Pop"}, 1},
			{"B sees none of A", e.other, training.MatrixFilter{}, today, []string{"Bob Bratu"}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m, err := e.svc.Matrix(ctx, tc.a, tc.f, tc.day)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(matrixNames(m), tc.want) || m.Total != tc.total {
					t.Errorf("rows %v total %d, want %v total %d", matrixNames(m), m.Total, tc.want, tc.total)
				}
			})
		}
		// B has no columns of A's.
		if mb, _ := e.svc.Matrix(ctx, e.other, training.MatrixFilter{}, today); len(mb.Competences) != 0 || len(mb.Rows[0].Cells) != 0 {
			t.Errorf("B's matrix has A's competences: %+v", mb.Competences)
		}
		// The area narrows the columns; gaps only keeps the unit sums.
		ma, err := e.svc.Matrix(ctx, e.qm, training.MatrixFilter{Area: training.TopicLegal, GapsOnly: true}, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(ma.Competences) != 1 || !slices.Equal(matrixNames(ma), []string{"Dan Țurcanu"}) || len(ma.Units) != 3 {
			t.Errorf("legal gaps: %d columns, rows %v, units %+v", len(ma.Competences), matrixNames(ma), ma.Units)
		}
		// Yesterday, Viorica had not acquired her competence yet; the day
		// after Ema's lapses, her cell is a gap.
		my, _ := e.svc.Matrix(ctx, e.qm, training.MatrixFilter{PersonID: e.vio}, today.AddDate(0, 0, -1))
		if got := matrixCells(my.Rows[0]); got != "0/0 | 0/0 | 0/1 extra 2026-12-15 | 1/0 gap" {
			t.Errorf("Viorica yesterday %q", got)
		}
		ml, _ := e.svc.Matrix(ctx, e.qm, training.MatrixFilter{PersonID: e.ema}, time.Date(2027, 1, 11, 8, 0, 0, 0, time.UTC))
		if got := matrixCells(ml.Rows[0]); got != "0/0 | 0/0 | 2/2 ok 2027-12-31 | 1/0 gap" {
			t.Errorf("Ema after her competence lapsed %q", got)
		}
	})
}

// TestMatrixFollowsCertificates: recording a certificate with a competence
// closes the gap; revoking it opens it again.
func TestMatrixFollowsCertificates(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		x := matrixSetUp(t, e)
		row := func() string {
			m, err := e.svc.Matrix(ctx, e.head, training.MatrixFilter{PersonID: e.dan}, t0)
			if err != nil {
				t.Fatal(err)
			}
			return matrixCells(m.Rows[0])
		}
		if got := row(); got != "0/0 | 0/2 extra | 1/0 gap | 1/0 gap" {
			t.Fatalf("before: %q", got)
		}
		c := certNew(t, e, training.CertificateInput{PersonID: e.dan, Name: "Manager al calității", CompetenceID: x.qua, IssuedOn: "2026-06-01", ExpiresOn: "2029-06-01"})
		if got := row(); got != "0/0 | 0/2 extra | 1/0 gap | 1/1 ok 2029-06-01" {
			t.Errorf("with the certificate: %q", got)
		}
		if err := e.svc.RevokeCertificate(ctx, e.qm, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if got := row(); got != "0/0 | 0/2 extra | 1/0 gap | 1/0 gap" {
			t.Errorf("revoked: %q", got)
		}
	})
}
