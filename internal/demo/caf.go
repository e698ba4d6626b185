package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/clock"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo municipality's CAF self-assessments, played through the caf
// service on a clock of their own so every change is audited under the
// name of the person who made it and every task reaches an inbox as it
// would have:
//
//   - the finished cycle, two years before the one in progress: the ten
//     steps done from March to November, a group of nine from seven units
//     led by the quality manager, every member's assessment of the 28
//     sub-criteria (five with wide disagreement), the consensus of all 28
//     in three meetings, evidence from the documents, the scorecard and two
//     surveys, an improvement plan of seven actions (six done, one raised
//     as a case in the improvement register), closed at the end of the
//     following year;
//   - the cycle in progress, started from it with NextCycle five months
//     ago: steps 1-4 done, the group changed by one member, seven members
//     have submitted, two (economic and angajat, each with sub-criterion
//     2.3 left) have not and keep their task; the first consensus meeting
//     agreed criterion 1 and 2.1-2.2, then the assessment was reopened for
//     the two late members, so the cycle is assessing.

// cafSeeder plays the CAF cycles.
type cafSeeder struct {
	*scSeeder // people, actors and the clock
	svc       *caf.Service
	rng       *rand.Rand
}

// caf seeds the demo municipality's CAF self-assessments and returns how
// many cycles it made.
func (s *seeder) caf(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	cs := &cafSeeder{
		scSeeder: &scSeeder{s: s, clk: clk, tenant: tenant, now: now, people: people, users: users, units: unitIDs,
			staff: map[string]org.Person{}, actors: map[string]auth.Actor{}},
		svc: &caf.Service{DB: s.db, Clock: clk, Work: ws, Improve: &improvement.Service{DB: s.db, Clock: clk, Work: ws}},
		// A generator of its own: the other seeders' draws stay the same.
		rng: rand.New(rand.NewPCG(2020, 9)),
	}
	n, err := cs.run(ctx)
	if err != nil {
		return n, fmt.Errorf("cannot seed the demo CAF self-assessments: %w", err)
	}
	return n, nil
}

// day is 09:00 in Bucharest (06:00 or 07:00 UTC) of a date, plus minutes.
func cafDay(t time.Time, minutes int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 7, minutes, 0, 0, time.UTC)
}

func cafDate(t time.Time) string { return t.Format(time.DateOnly) }

func (cs *cafSeeder) run(ctx context.Context) (int, error) {
	qm, err := cs.actor(ctx, "calitate")
	if err != nil {
		return 0, err
	}
	// The cycle in progress started five months ago; the finished one in
	// March two years before.
	start := cs.now.AddDate(0, -5, 0)
	first, err := cs.finished(ctx, qm, start.Year()-2)
	if err != nil {
		return 1, fmt.Errorf("the finished cycle: %w", err)
	}
	if err := cs.inProgress(ctx, qm, first, start); err != nil {
		return 2, fmt.Errorf("the cycle in progress: %w", err)
	}
	return 2, nil
}

// finished plays the first cycle, run in year y.
func (cs *cafSeeder) finished(ctx context.Context, qm auth.Actor, y int) (caf.Cycle, error) {
	on := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 7, 0, 0, 0, time.UTC) }
	cs.at(on(time.February, 26))
	c, err := cs.svc.CreateCycle(ctx, qm, caf.CycleInput{
		Title: fmt.Sprintf("Autoevaluarea CAF %d a Primăriei Municipiului Târgu Verde", y), Panel: caf.PanelClassical, LeaderID: qm.PersonID,
		StartOn: cafDate(on(time.March, 1)), EndOn: cafDate(on(time.November, 30)), CommPlan: cafCommPlan, PEFNotes: cafPEFNotes,
	})
	if err != nil {
		return c, err
	}
	steps := [10]time.Time{on(time.March, 4), on(time.March, 18), on(time.April, 1), on(time.April, 19), on(time.June, 12),
		on(time.July, 5), on(time.September, 13), on(time.September, 27), on(time.October, 1), on(time.November, 15)}
	for i, d := range steps {
		if err := cs.svc.SetStep(ctx, qm, c.ID, caf.Step{N: i + 1, PlannedOn: cafDate(d)}); err != nil {
			return c, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	done := func(n int) error {
		cs.at(cafDay(steps[n-1], 30))
		return cs.svc.SetStep(ctx, qm, c.ID, caf.Step{N: n, PlannedOn: cafDate(steps[n-1]), DoneOn: cafDate(steps[n-1]), Notes: cafStepNotes[n-1]})
	}
	for n := 1; n <= 2; n++ {
		if err := done(n); err != nil {
			return c, err
		}
	}
	// The group, composed on 1 April; trained on 19 April; the assessment
	// starts on the 22nd.
	cs.at(cafDay(steps[2], 0))
	for _, m := range cafGroup {
		if err := cs.addMember(ctx, qm, c.ID, m.who); err != nil {
			return c, err
		}
	}
	for n := 3; n <= 4; n++ {
		if err := done(n); err != nil {
			return c, err
		}
	}
	cs.at(cafDay(on(time.April, 22), 0))
	if c, err = cs.fire(ctx, qm, c, caf.ActStart, ""); err != nil {
		return c, err
	}
	// Four weeks of individual assessment: each member on their own day.
	for i, m := range cafGroup {
		when := on(time.April, 24).AddDate(0, 0, 3*i)
		if err := cs.assess(ctx, c.ID, i, m, when, 0, "", true); err != nil {
			return c, err
		}
	}
	if err := cs.evidence(ctx, qm, c.ID, on(time.May, 6), on(time.March, 1)); err != nil {
		return c, err
	}
	// Three consensus meetings: criteria 1-3, 4-5, 6-9.
	cs.at(cafDay(on(time.May, 27), 0))
	if c, err = cs.fire(ctx, qm, c, caf.ActConsensus, ""); err != nil {
		return c, err
	}
	for _, sp := range cafSubs {
		meeting := on(time.June, 4)
		switch sp.code[0] {
		case '4', '5':
			meeting = on(time.June, 6)
		case '6', '7', '8', '9':
			meeting = on(time.June, 11)
		}
		if err := cs.consensus(ctx, qm, c.ID, sp, sp.score, meeting); err != nil {
			return c, err
		}
	}
	for n := 5; n <= 6; n++ {
		if err := done(n); err != nil {
			return c, err
		}
	}
	cs.at(cafDay(on(time.July, 8), 0))
	if c, err = cs.fire(ctx, qm, c, caf.ActImprove, ""); err != nil {
		return c, err
	}
	// The improvement plan, adopted on 13 September.
	adopted := on(time.September, 10)
	cs.at(cafDay(adopted, 0))
	type planned struct {
		caf.Action
		spec cafActionSpec
	}
	var plan []planned
	for i, sp := range cafActions {
		owner, err := cs.person(ctx, sp.owner)
		if err != nil {
			return c, err
		}
		cs.at(cafDay(adopted, 10+i))
		x, err := cs.svc.CreateAction(ctx, qm, c.ID, caf.ActionInput{Sub: sp.sub, Title: sp.title, Description: sp.desc, Impact: sp.impact, Ease: sp.ease,
			OwnerID: owner.ID, DueOn: cafDate(adopted.AddDate(0, sp.due, 0)), State: caf.ActionOpen})
		if err != nil {
			return c, fmt.Errorf("action %q: %w", sp.title, err)
		}
		plan = append(plan, planned{x, sp})
	}
	for n := 7; n <= 10; n++ {
		if err := done(n); err != nil {
			return c, err
		}
	}
	// The hard one goes to the improvement register in October.
	for _, p := range plan {
		if p.spec.raiseCase {
			cs.at(cafDay(on(time.October, 15), 0))
			if _, err := cs.svc.RaiseCase(ctx, qm, c.ID, p.ID); err != nil {
				return c, fmt.Errorf("case for %q: %w", p.spec.title, err)
			}
		}
	}
	// Done through the next year, each recorded by the leader.
	for _, p := range plan {
		if p.spec.done == 0 {
			continue
		}
		cs.at(cafDay(adopted.AddDate(0, p.spec.done, -3), 0))
		in := caf.ActionInput{Sub: p.Sub, Title: p.Title, Description: p.Description, Impact: p.Impact, Ease: p.Ease, OwnerID: p.OwnerID,
			DueOn: p.DueOn, State: caf.ActionDone, Version: p.Version}
		if _, err := cs.svc.UpdateAction(ctx, qm, c.ID, p.ID, in); err != nil {
			return c, fmt.Errorf("action %q done: %w", p.spec.title, err)
		}
	}
	cs.at(cafDay(time.Date(y+1, time.November, 28, 0, 0, 0, 0, time.UTC), 0))
	if c, err = cs.fire(ctx, qm, c, caf.ActClose, ""); err != nil {
		return c, err
	}
	return c, nil
}

// inProgress plays the second cycle from start to today.
func (cs *cafSeeder) inProgress(ctx context.Context, qm auth.Actor, prev caf.Cycle, start time.Time) error {
	days := func(n int) time.Time { return cafDay(start.AddDate(0, 0, n), 0) }
	cs.at(days(0))
	c, err := cs.svc.NextCycle(ctx, qm, prev.ID)
	if err != nil {
		return err
	}
	y := start.Year()
	in := caf.CycleInput{Title: fmt.Sprintf("Autoevaluarea CAF %d a Primăriei Municipiului Târgu Verde", y), Model: c.Model, UnitID: c.UnitID,
		Panel: c.Panel, LeaderID: c.LeaderID, StartOn: cafDate(days(0)), EndOn: cafDate(days(0).AddDate(1, 0, 0)),
		CommPlan: cafCommPlan, PEFNotes: cafPEFNotes, Version: c.Version}
	if c, err = cs.svc.UpdateCycle(ctx, qm, c.ID, in); err != nil {
		return err
	}
	// The steps: 1-4 done, 5 under way, the rest planned.
	offsets := [10]int{7, 20, 60, 80, 165, 185, 215, 230, 245, 700}
	for i, off := range offsets {
		if err := cs.svc.SetStep(ctx, qm, c.ID, caf.Step{N: i + 1, PlannedOn: cafDate(days(off))}); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	notes := [4]string{
		"Dispoziția primarului privind a doua autoevaluare CAF, pornind de la ciclul anterior.",
		"Anunț în ședința conducerii și pe intranet, cu rezultatele primei autoevaluări.",
		"Același grup, cu o schimbare: a intrat o asistentă socială a Direcției de Asistență Socială.",
		"Instruire de o jumătate de zi, cu accent pe criteriile de rezultate.",
	}
	done := func(n int) error {
		cs.at(days(offsets[n-1]).Add(30 * time.Minute))
		return cs.svc.SetStep(ctx, qm, c.ID, caf.Step{N: n, PlannedOn: cafDate(days(offsets[n-1])), DoneOn: cafDate(days(offsets[n-1])), Notes: notes[n-1]})
	}
	for n := 1; n <= 2; n++ {
		if err := done(n); err != nil {
			return err
		}
	}
	cs.at(days(offsets[2]))
	leaves, err := cs.person(ctx, cafLeaves)
	if err != nil {
		return err
	}
	if err := cs.svc.RemoveMember(ctx, qm, c.ID, leaves.ID); err != nil {
		return fmt.Errorf("remove %s: %w", cafLeaves, err)
	}
	if err := cs.addMember(ctx, qm, c.ID, cafJoins); err != nil {
		return err
	}
	for n := 3; n <= 4; n++ {
		if err := done(n); err != nil {
			return err
		}
	}
	cs.at(days(offsets[3] + 3))
	if c, err = cs.fire(ctx, qm, c, caf.ActStart, ""); err != nil {
		return err
	}
	group := make([]cafMemberSpec, 0, len(cafGroup))
	for _, m := range cafGroup {
		if m.who == cafLeaves {
			m = cafMemberSpec{who: cafJoins, bias: 5}
		}
		group = append(group, m)
	}
	late := map[string]bool{}
	for _, w := range cafLate {
		late[w] = true
	}
	for i, m := range group {
		when := days(offsets[3] + 5 + 4*i)
		skip, submit := "", true
		if late[m.who] {
			skip, submit = cafLateSub, false
		}
		if err := cs.assess(ctx, c.ID, i, m, when, 1, skip, submit); err != nil {
			return err
		}
	}
	cs.at(days(offsets[3] + 40))
	if err := cs.svc.SetStep(ctx, qm, c.ID, caf.Step{N: 5, PlannedOn: cafDate(days(offsets[4])),
		Notes: "Evaluarea individuală este aproape încheiată; prima ședință de consens a acoperit criteriul 1 și subcriteriile 2.1–2.2."}); err != nil {
		return err
	}
	if _, err := cs.svc.AddEvidence(ctx, qm, c.ID, caf.EvidenceInput{Sub: "7.1", Kind: caf.EvidenceStaffSurvey,
		Title: fmt.Sprintf("Sondajul de satisfacție a personalului %d (178 de respondenți din 231)", y),
		Notes: "Satisfacție generală 3,6 din 5 (3,3 în sondajul anterior). Recunoașterea muncii: 3,2 (2,6). Comunicarea internă: 3,4 (2,9)."}); err != nil {
		return fmt.Errorf("the new staff survey: %w", err)
	}
	// The first consensus meeting, then the assessment reopened for the
	// two who had not handed in.
	meeting := cs.now.AddDate(0, 0, -12)
	cs.at(cafDay(meeting, -60))
	if c, err = cs.fire(ctx, qm, c, caf.ActConsensus, ""); err != nil {
		return err
	}
	bySub := map[string]cafSubSpec{}
	for _, sp := range cafSubs {
		bySub[sp.code] = sp
	}
	for _, code := range cafEarlyConsensus {
		sp := bySub[code]
		if err := cs.consensus(ctx, qm, c.ID, sp, sp.score+sp.gain, meeting); err != nil {
			return err
		}
	}
	cs.at(cafDay(meeting, 180))
	if _, err = cs.fire(ctx, qm, c, caf.ActReopen, "Doi membri nu au predat evaluarea; consensul continuă după predare."); err != nil {
		return err
	}
	return nil
}

// addMember adds a person to a cycle's group (the leader is in it
// already).
func (cs *cafSeeder) addMember(ctx context.Context, qm auth.Actor, cycleID int64, who string) error {
	p, err := cs.person(ctx, who)
	if err != nil {
		return err
	}
	if p.ID == qm.PersonID {
		return nil // the leader is in the group from the start
	}
	if err := cs.svc.AddMember(ctx, qm, cycleID, caf.MemberInput{PersonID: p.ID, Role: caf.RoleMember}); err != nil {
		return fmt.Errorf("member %s: %w", who, err)
	}
	return nil
}

// fire moves a cycle and returns it as it is after.
func (cs *cafSeeder) fire(ctx context.Context, a auth.Actor, c caf.Cycle, action, reason string) (caf.Cycle, error) {
	next, err := cs.svc.Fire(ctx, a, c.ID, action, c.Version, reason)
	if err != nil {
		return c, fmt.Errorf("%s %s: %w", action, c.Code, err)
	}
	return next, nil
}

// assess enters member i's assessment of every sub-criterion (but skip) on
// one day, the second cycle's scores raised by gain times each
// sub-criterion's gain, and hands it in when submit is set.
func (cs *cafSeeder) assess(ctx context.Context, cycleID int64, i int, m cafMemberSpec, day time.Time, gain float64, skip string, submit bool) error {
	a, err := cs.actor(ctx, m.who)
	if err != nil {
		return err
	}
	for j, sp := range cafSubs {
		if sp.code == skip {
			continue
		}
		cs.at(day.Add(time.Duration(2*j) * time.Minute))
		score := sp.score + gain*sp.gain + m.bias + float64(cs.rng.IntN(3)-1)*5
		if sp.wide {
			// Two members see it very differently.
			switch (i + j) % len(cafGroup) {
			case 0:
				score = sp.score + 25
			case 4:
				score = sp.score - 20
			}
		}
		score = math.Max(5, math.Min(95, math.Round(score/5)*5))
		in := caf.AssessmentInput{Sub: sp.code, Evidence: cafPart(sp.evidence, i, ", "), Strengths: cafPart(sp.strengths, i, "; "),
			Improvements: cafPart(sp.improvements, i+1, "; "), Scores: caf.Scores{Score: &score}}
		if _, err := cs.svc.SaveAssessment(ctx, a, cycleID, in); err != nil {
			return fmt.Errorf("%s assesses %s: %w", m.who, sp.code, err)
		}
	}
	if !submit {
		return nil
	}
	cs.at(day.Add(90 * time.Minute))
	if err := cs.svc.Submit(ctx, a, cycleID); err != nil {
		return fmt.Errorf("%s submits: %w", m.who, err)
	}
	return nil
}

// cafPart is what member i wrote of a text made of parts: one of them, or
// (every third member) the whole text.
func cafPart(text string, i int, sep string) string {
	parts := strings.Split(text, sep)
	if i%3 == 2 || len(parts) < 2 {
		return text
	}
	return parts[i%len(parts)]
}

// consensus records a sub-criterion's consensus agreed in a meeting.
func (cs *cafSeeder) consensus(ctx context.Context, qm auth.Actor, cycleID int64, sp cafSubSpec, score float64, meeting time.Time) error {
	cs.at(cafDay(meeting, 240))
	score = math.Min(95, score)
	if _, err := cs.svc.SaveConsensus(ctx, qm, cycleID, caf.ConsensusInput{Sub: sp.code, Scores: caf.Scores{Score: &score},
		Strengths: sp.strengths, Improvements: sp.improvements, AgreedOn: cafDate(meeting)}); err != nil {
		return fmt.Errorf("consensus of %s: %w", sp.code, err)
	}
	return nil
}

// evidence links the documents, the KPIs and the surveys of the first
// cycle, on day; the surveys were held from surveyed.
func (cs *cafSeeder) evidence(ctx context.Context, qm auth.Actor, cycleID int64, day, surveyed time.Time) error {
	cs.at(cafDay(day, 0))
	lookup := func(q, code string) (int64, error) {
		var id int64
		if err := cs.s.db.R.QueryRowContext(ctx, q, cs.tenant, code).Scan(&id); err != nil {
			return 0, fmt.Errorf("cannot find the demo record %s: %w", code, err)
		}
		return id, nil
	}
	for _, e := range cafDocEvidence {
		id, err := lookup(`SELECT id FROM documents WHERE tenant_id = $1 AND code = $2`, e.code)
		if err != nil {
			return err
		}
		if _, err := cs.svc.AddEvidence(ctx, qm, cycleID, caf.EvidenceInput{Sub: e.sub, Kind: caf.EvidenceDocument, Entity: "document", EntityID: id}); err != nil {
			return fmt.Errorf("evidence %s for %s: %w", e.code, e.sub, err)
		}
	}
	for _, e := range cafKPIEvidence {
		id, err := lookup(`SELECT id FROM scorecard_kpis WHERE tenant_id = $1 AND code = $2`, e.code)
		if err != nil {
			return err
		}
		if _, err := cs.svc.AddEvidence(ctx, qm, cycleID, caf.EvidenceInput{Sub: e.sub, Kind: caf.EvidenceIndicator, Entity: "kpi", EntityID: id}); err != nil {
			return fmt.Errorf("evidence %s for %s: %w", e.code, e.sub, err)
		}
	}
	for _, e := range cafSurveys {
		if _, err := cs.svc.AddEvidence(ctx, qm, cycleID, caf.EvidenceInput{Sub: e.sub, Kind: e.kind,
			Title: strings.Replace(e.title, "(", fmt.Sprintf("%d (", surveyed.Year()), 1), Notes: e.notes}); err != nil {
			return fmt.Errorf("evidence %q: %w", e.title, err)
		}
	}
	return nil
}
