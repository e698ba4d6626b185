package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/training"
)

// The demo training records: the target group of 30 with its two
// programmes run in closed sessions, the certificates (the auditor's
// among them, some expiring with their renewal tasks in the inbox), the
// induction plans of the three people hired through org (completed,
// overdue, halfway), a matrix with gaps in some units and not in others,
// today's planned session with its people's tasks, and the KPIs fed by
// the module's metrics.
func TestSeedPlaysTraining(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		today := now.Format(time.DateOnly)
		clk := clock.NewFixed(now)
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s: %s", time.Since(start).Round(time.Millisecond), res)
		got := res.Institutions[0]
		if got.TrainingSessions != 10 || got.Certificates < 40 {
			t.Errorf("Seed made %d training sessions and %d certificates, want 10 and 40 or more", got.TrainingSessions, got.Certificates)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		tenant := inst.ID
		users := &auth.Service{DB: d, Clock: clk}
		actor := func(name string) auth.Actor {
			t.Helper()
			u, err := users.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			a, err := users.ActorByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		qm := actor("calitate")
		svc := &training.Service{DB: d, Clock: clk}

		// The target group: 30 people of every category, with their data,
		// and its goals reached on hours and share.
		groups, err := svc.Groups(ctx, qm, training.GroupFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(groups.Items) != 1 || groups.Items[0].Code != trGroupCode {
			t.Fatalf("the demo has groups %+v, want one, %s", groups.Items, trGroupCode)
		}
		g, err := svc.Group(ctx, qm, groups.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		pr := g.Progress
		t.Logf("group %s: %+v", g.Code, pr)
		if g.GoalMembers != 30 || g.GoalHours != 40 || g.GoalShare != 90 || !strings.Contains(g.Name, "țintă") {
			t.Errorf("group %q goals %d/%d/%d, want 30 members, 40 hours, 90%%", g.Name, g.GoalMembers, g.GoalHours, g.GoalShare)
		}
		// Two failed the quality course, one the performance course.
		if pr.Members != 30 || pr.Programmes != 2 || pr.Trained != 30 || pr.Completed != 27 || pr.Certified != 28 ||
			pr.Share < 89.9 || pr.Share > 90.1 || pr.HoursPerMember < 40 {
			t.Errorf("group progress %+v, want 30 members, 2 programmes, 30 trained, 27 completed, 28 certified, 90%%, 40+ hours each", pr)
		}
		cats := map[string]int{}
		for _, c := range pr.ByCategory {
			cats[c.Category] = c.Members
		}
		if cats[training.CategoryManagement] != 8 || cats[training.CategoryExecution] != 13 || cats[training.CategoryContract] != 4 || cats[training.CategoryElected] != 5 {
			t.Errorf("members by category %v, want 8 management, 13 execution, 4 contract, 5 elected", cats)
		}
		members, err := svc.Members(ctx, qm, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			if m.Gender == "" || m.BirthYear < 1950 || m.BirthYear > 2002 || m.Education == "" || m.Residence == "" || !m.Consent {
				t.Errorf("member %s has incomplete eligibility data: %+v", m.Name, m)
			}
		}

		// The group's two programmes, each in two sessions, all closed.
		progs, err := svc.Programmes(ctx, qm, training.ProgrammeFilter{GroupID: g.ID})
		if err != nil {
			t.Fatal(err)
		}
		if progs.Total != 2 {
			t.Fatalf("the group has %d programmes, want 2", progs.Total)
		}
		for _, p := range progs.Items {
			ss, err := svc.Sessions(ctx, qm, training.SessionFilter{ProgrammeID: p.ID})
			if err != nil {
				t.Fatal(err)
			}
			if ss.Total != 2 {
				t.Errorf("programme %s has %d sessions, want 2", p.Code, ss.Total)
			}
			for _, s := range ss.Items {
				if s.State != training.SessionClosed || s.EndOn >= today {
					t.Errorf("session %s is %s, ends %s: want closed in the past", s.Code, s.State, s.EndOn)
				}
				sheet, err := svc.Attendance(ctx, qm, s.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range sheet.Rows {
					for i := range sheet.Days {
						if !r.Marked[i] {
							t.Errorf("session %s: %s's day %s not recorded", s.Code, r.Enrolment.Name, sheet.Days[i])
						}
					}
				}
			}
		}

		// Today's session and the induction session in ten days: planned,
		// with people enrolled and their tasks.
		planned, err := svc.Sessions(ctx, qm, training.SessionFilter{State: training.SessionPlanned})
		if err != nil {
			t.Fatal(err)
		}
		starts := map[string]int{}
		for _, s := range planned.Items {
			starts[s.ProgrammeCode] = s.Enrolled
			if s.StartOn < today {
				t.Errorf("planned session %s started %s", s.Code, s.StartOn)
			}
		}
		if len(planned.Items) != 2 || starts["P-RISC"] != 5 || starts["P-IND"] != 2 {
			t.Errorf("planned sessions and their people: %v, want P-RISC 5 and P-IND 2", starts)
		}
		var attend, economic int
		if err := d.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'training' AND kind = 'attend' AND state = 'open'),
			(SELECT COUNT(*) FROM tasks t JOIN users u ON u.person_id = t.person_id WHERE t.tenant_id = $1 AND t.module = 'training'
				AND t.kind = 'attend' AND t.state = 'open' AND u.username = 'economic')`, tenant).Scan(&attend, &economic); err != nil {
			t.Fatal(err)
		}
		if attend < 7 || economic != 1 {
			t.Errorf("%d open attendance tasks (%d for economic), want 7 or more and one for economic", attend, economic)
		}

		// Certificates: the auditor holds the internal audit one the audit
		// register shows; some expire within the renewal window, each with
		// its open task, the quality manager's in her inbox.
		auditor := actor("auditor")
		held, err := svc.PersonCertificates(ctx, tenant, []int64{auditor.PersonID})
		if err != nil {
			t.Fatal(err)
		}
		if len(held[auditor.PersonID]) == 0 {
			t.Error("the demo auditor holds no training certificate")
		}
		expiring, err := svc.Certificates(ctx, qm, training.CertificateFilter{Expiry: "expiring"})
		if err != nil {
			t.Fatal(err)
		}
		if expiring.Total < 2 {
			t.Errorf("%d certificates expiring, want 2 or more", expiring.Total)
		}
		var renewals, mine, renewedClosed int
		if err := d.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'training' AND entity = 'training_certificate' AND state = 'open' AND due_on <= $2),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'training' AND entity = 'training_certificate' AND state = 'open' AND due_on <= $2 AND person_id = $3),
			(SELECT COUNT(*) FROM training_certificates c JOIN tasks t ON t.entity = 'training_certificate' AND t.entity_id = c.id
				WHERE c.tenant_id = $1 AND c.id IN (SELECT renews_id FROM training_certificates WHERE renews_id IS NOT NULL) AND t.state <> 'open')`,
			tenant, today, qm.PersonID).Scan(&renewals, &mine, &renewedClosed); err != nil {
			t.Fatal(err)
		}
		if renewals < 3 || mine != 1 || renewedClosed != 1 {
			t.Errorf("renewal tasks due: %d (the quality manager's %d, renewed and closed %d), want 3 or more, 1 and 1", renewals, mine, renewedClosed)
		}

		// The induction plans of the three hires: one completed on time,
		// one overdue, one under way.
		plans, err := svc.Inductions(ctx, qm, training.InductionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var completed, overdue, underway int
		for _, p := range plans.Items {
			t.Logf("induction of %s (%s): %s, due %s, %d/%d", p.Name, p.UnitName, p.State, p.DueOn, p.Done, p.Total)
			switch {
			case p.State == training.InductionCompleted && p.CompletedOn <= p.DueOn:
				completed++
			case p.Overdue(now) && p.Done > 0 && p.Done < p.Total:
				overdue++
			case p.State == training.InductionOpen && p.Done >= 2 && p.Done < p.Total:
				underway++
			}
			if p.Total < 3 {
				t.Errorf("the induction plan of %s has %d items", p.Name, p.Total)
			}
		}
		if plans.Total != trainingNewHires || completed != 1 || overdue != 1 || underway != 1 {
			t.Errorf("%d induction plans: %d completed, %d overdue, %d under way; want %d, 1 each", plans.Total, completed, overdue, underway, trainingNewHires)
		}

		// The matrix: some units have no gap, others do.
		m, err := svc.Matrix(ctx, qm, training.MatrixFilter{PerPage: 500}, now)
		if err != nil {
			t.Fatal(err)
		}
		full, gappy := map[string]bool{}, map[string]bool{}
		for _, u := range m.Units {
			if u.Required > 0 && u.Gaps == 0 {
				full[u.UnitName] = true
			}
			if u.Gaps > 0 {
				gappy[u.UnitName] = true
			}
		}
		t.Logf("units without gaps %v; with gaps %d", full, len(gappy))
		for _, want := range []string{"Compartimentul Audit Public Intern", "Compartimentul Informatică", "Biroul Control Intern Managerial și Managementul Calității"} {
			if !full[want] {
				t.Errorf("%s has gaps in the matrix", want)
			}
		}
		for _, want := range []string{"Poliția Locală", "Serviciul Buget-Finanțe"} {
			if !gappy[want] {
				t.Errorf("%s has no gap in the matrix", want)
			}
		}

		// The KPIs fed by the module's metrics have computed values: the
		// hours per employee of last year, and the group's share that grew
		// to 90% once its second programme ended.
		vals := map[string][]float64{}
		rows, err := d.R.QueryContext(ctx, `SELECT k.code, m.value FROM scorecard_measurements m JOIN scorecard_kpis k ON k.id = m.kpi_id
			WHERE k.tenant_id = $1 AND k.metric LIKE 'training.%' AND m.source = 'computed' ORDER BY k.code, m.period`, tenant)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var code string
			var v float64
			if err := rows.Scan(&code, &v); err != nil {
				t.Fatal(err)
			}
			vals[code] = append(vals[code], v)
		}
		rows.Close()
		t.Logf("KPIs fed by training: %v", vals)
		last := func(code string) float64 {
			if vs := vals[code]; len(vs) > 0 {
				return vs[len(vs)-1]
			}
			return -1
		}
		if len(vals) != 2 || len(vals["K36"]) < 3 || last("K36") < 10 || len(vals["K37"]) < 4 || last("K37") < 89.9 || last("K37") > 90.1 {
			t.Errorf("the KPIs fed by training have the values %v, want K36 for three years (last year 10 or more) and K37 for four quarters or more, reaching 90", vals)
		}
	})
}
