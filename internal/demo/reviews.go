package demo

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/evidence"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// The demo municipality's management reviews: last year's, held in
// mid-December and closed, whose actions were mostly carried out through
// the year (one is overdue); and this year's, prepared from it in November
// for a meeting in mid-December, with its inputs compiled from the demo's
// registers and some written assessments. Both are played on a clock of
// their own through the reviews service, so every step is audited and the
// actions reach their owners' inboxes as they would have.

// reviewActionSpec is an action decided in last year's review.
type reviewActionSpec struct {
	decision    int    // index of the decision it carries out
	description string // what is to be done
	owner       string // key of the person
	days        int    // due this many days after the meeting
	// done: what was done, recorded a week before the due day (when that
	// day has come); "" leaves the action open.
	done string
}

var demoReviewDecisions = []reviews.DecisionInput{
	{Category: reviews.DecisionImprovement, Input: evidence.InputSatisfaction,
		Text: "Se introduce chestionarul de evaluare a satisfacției cetățenilor la Centrul de informare pentru cetățeni și pe site-ul primăriei, cu raportare semestrială."},
	{Category: reviews.DecisionChange, Input: evidence.InputProcesses,
		Text: "Se revizuiește procedura de sistem privind controlul documentelor, pentru difuzarea electronică și confirmarea luării la cunoștință în Cadran."},
	{Category: reviews.DecisionResources, Input: evidence.InputResources,
		Text: "Se suplimentează Biroul Control Intern Managerial și Managementul Calității cu un post de consilier, prin transformarea unui post vacant."},
	{Category: reviews.DecisionImprovement, Input: evidence.InputRisks,
		Text: "Riscurile peste toleranță ale Direcției Economice se analizează trimestrial în ședința conducerii."},
}

var demoReviewActions = []reviewActionSpec{
	{decision: 0, description: "Elaborarea și aprobarea chestionarului de satisfacție a cetățenilor", owner: "calitate", days: 60,
		done: "Chestionarul a fost aprobat prin dispoziția primarului și publicat pe site; primele răspunsuri au fost centralizate."},
	{decision: 1, description: "Revizuirea procedurii de sistem PS-01 Controlul documentelor", owner: "calitate", days: 90,
		done: "PS-01 revizia 1 a intrat în vigoare și a fost difuzată electronic tuturor compartimentelor."},
	{decision: 2, description: "Transformarea unui post vacant în post de consilier în Biroul CIM-MC", owner: "head:sru", days: 45},
	{decision: 3, description: "Analiza trimestrială a riscurilor peste toleranță ale Direcției Economice", owner: "head:de", days: 120,
		done: "Analiza a fost făcută în ședința conducerii; măsurile restante au primit termene noi."},
	{decision: 0, description: "Instruirea personalului Centrului de informare privind aplicarea chestionarului", owner: "head:srpr", days: 150,
		done: "Instruirea a avut loc; lista de prezență este atașată la dosarul calității."},
}

// reviewAssessments are the quality office's written assessments of this
// year's review, for some of its inputs.
var reviewAssessments = map[string]reviews.AssessmentInput{
	evidence.InputPreviousActions: {Text: "Patru din cinci acțiuni stabilite în analiza anterioară sunt realizate. Transformarea postului din Biroul CIM-MC întârzie din cauza avizului ANFP; se propune un termen nou.", Conclusion: reviews.ConclusionNeedsAction},
	evidence.InputSatisfaction:    {Text: "Chestionarul de satisfacție se aplică din primăvară. Reclamațiile privesc mai ales termenele de răspuns la petiții și programul ghișeelor de taxe locale.", Conclusion: reviews.ConclusionAdequate},
	evidence.InputNonconformities: {Text: "Neconformitățile majore au fost tratate; rămân acțiuni corective întârziate la Direcția Economică, urmărite în registrul neconformităților.", Conclusion: reviews.ConclusionNeedsAction},
	evidence.InputRisks:           {Text: "Măsurile de control au redus expunerea; riscurile informatice și cel privind încasarea impozitelor rămân peste toleranță.", Conclusion: reviews.ConclusionNeedsAction},
}

// reviews creates the management reviews: last year's, closed, and this year's with its inputs compiled and its actions.
func (s *seeder) reviews(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	now := s.clock.Now()
	today := work.Day(now)
	year := today.Year()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	svc := &reviews.Service{DB: s.db, Clock: clk, Work: &work.Service{DB: s.db, Clock: clk, Notify: notes},
		Inputs: []evidence.InputSource{&audits.Service{DB: s.db, Clock: clk}, &compliance.Service{DB: s.db, Clock: clk}, &scorecard.Service{DB: s.db, Clock: clk}}}
	qm, err := s.users.ActorByID(ctx, users["calitate"])
	if err != nil {
		return 0, fmt.Errorf("cannot act as the demo quality manager: %w", err)
	}
	mayor, err := s.users.ActorByID(ctx, users["primar"])
	if err != nil {
		return 0, fmt.Errorf("cannot act as the demo mayor: %w", err)
	}
	person := func(key string) (int64, error) {
		p, ok := people[key]
		if !ok {
			return 0, fmt.Errorf("cannot seed the demo reviews: no person %q", key)
		}
		return p.ID, nil
	}
	// at is 10:00 in Bucharest (08:00 UTC in winter) on a day.
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 8, 0, 0, 0, time.UTC) }
	chair, err := person("mayor")
	if err != nil {
		return 0, err
	}
	var participants []int64
	for _, k := range []string{"deputy", "secretary", "calitate", "head:de", "head:sru", "head:srpr", "auditor"} {
		id, err := person(k)
		if err != nil {
			return 0, err
		}
		participants = append(participants, id)
	}

	// Last year's review: planned on 1 December, held on the 15th, closed
	// a week later.
	last := year - 1
	clk.Set(at(last, time.December, 1))
	prev, err := svc.Create(ctx, qm, reviews.Input{Title: fmt.Sprintf("Analiza efectuată de management pentru anul %d", last),
		PeriodFrom: fmt.Sprintf("%d-01-01", last), PeriodTo: fmt.Sprintf("%d-12-31", last), MeetingOn: fmt.Sprintf("%d-12-15", last),
		Place: "Sala de ședințe a Primăriei, etajul 1", ChairID: chair, Participants: participants,
		Guests: "Reprezentantul Instituției Prefectului – Județul Mureș (observator)"})
	if err != nil {
		return 0, fmt.Errorf("cannot plan the demo review: %w", err)
	}
	clk.Set(at(last, time.December, 8))
	if prev, err = svc.Compile(ctx, qm, prev.ID, prev.Version); err != nil {
		return 0, fmt.Errorf("cannot compile the demo review: %w", err)
	}
	clk.Set(at(last, time.December, 15).Add(3 * time.Hour))
	if prev, err = svc.Step(ctx, qm, prev.ID, reviews.StepInput{Action: reviews.ActHold, HeldOn: fmt.Sprintf("%d-12-15", last), Version: prev.Version}); err != nil {
		return 0, fmt.Errorf("cannot hold the demo review: %w", err)
	}
	in := reviews.Input{Title: prev.Title, PeriodFrom: prev.PeriodFrom, PeriodTo: prev.PeriodTo, MeetingOn: prev.MeetingOn, Place: prev.Place, ChairID: prev.ChairID,
		Participants: participants, Guests: prev.Guests, Version: prev.Version,
		Conclusion: "Sistemul de management al calității este adecvat, corespunzător și eficace. Sunt necesare îmbunătățiri la măsurarea satisfacției cetățenilor, la controlul documentelor și la resursele biroului calitate."}
	if prev, err = svc.Update(ctx, qm, prev.ID, in); err != nil {
		return 0, fmt.Errorf("cannot record the demo review's conclusion: %w", err)
	}
	var decisions []reviews.Decision
	for _, d := range demoReviewDecisions {
		dec, err := svc.AddDecision(ctx, qm, prev.ID, d)
		if err != nil {
			return 0, fmt.Errorf("cannot record the demo review's decision: %w", err)
		}
		decisions = append(decisions, dec)
	}
	meeting := at(last, time.December, 15)
	type planned struct {
		spec reviewActionSpec
		act  reviews.Action
	}
	var acts []planned
	for _, a := range demoReviewActions {
		owner, err := person(a.owner)
		if err != nil {
			return 0, err
		}
		x, err := svc.AddAction(ctx, qm, prev.ID, reviews.ActionInput{DecisionID: decisions[a.decision].ID, Description: a.description, OwnerID: owner,
			DueOn: work.Day(meeting).AddDate(0, 0, a.days).Format(time.DateOnly)})
		if err != nil {
			return 0, fmt.Errorf("cannot record the demo review's action: %w", err)
		}
		acts = append(acts, planned{a, x})
	}
	clk.Set(at(last, time.December, 22))
	if prev, err = svc.Step(ctx, mayor, prev.ID, reviews.StepInput{Action: reviews.ActClose, Version: prev.Version}); err != nil {
		return 0, fmt.Errorf("cannot close the demo review: %w", err)
	}

	// This year's review is prepared from it in November (or today, early
	// in the year), its inputs compiled today.
	prepare := at(year, time.November, 2)
	if prepare.After(now) {
		prepare = now.Add(-time.Hour)
	}
	for _, p := range acts {
		if p.spec.done == "" {
			continue
		}
		doneAt := meeting.AddDate(0, 0, p.spec.days-7)
		if !doneAt.Before(prepare) {
			continue
		}
		clk.Set(doneAt)
		owner, err := s.ownerActor(ctx, users, p.spec.owner, qm)
		if err != nil {
			return 0, err
		}
		if _, err := svc.CompleteAction(ctx, owner, prev.ID, p.act.ID, reviews.DoneInput{Note: p.spec.done, Version: p.act.Version}); err != nil {
			return 0, fmt.Errorf("cannot complete the demo review's action: %w", err)
		}
	}
	clk.Set(prepare)
	next, err := svc.PrepareNext(ctx, qm, prev.ID)
	if err != nil {
		return 0, fmt.Errorf("cannot prepare this year's demo review: %w", err)
	}
	clk.Set(now)
	if next, err = svc.Compile(ctx, qm, next.ID, next.Version); err != nil {
		return 0, fmt.Errorf("cannot compile this year's demo review: %w", err)
	}
	for _, key := range evidence.Inputs {
		a, ok := reviewAssessments[key]
		if !ok {
			continue
		}
		a.Version = 1
		if _, err := svc.SaveAssessment(ctx, qm, next.ID, key, a); err != nil {
			return 0, fmt.Errorf("cannot assess this year's demo review: %w", err)
		}
	}
	cutoff := today.AddDate(0, 0, -notificationDays)
	if _, err := s.db.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND read_at IS NULL AND created_at < $1`, cutoff, tenant); err != nil {
		return 2, fmt.Errorf("cannot mark the old demo notifications read: %w", err)
	}
	return 2, nil
}

// ownerActor is the demo user of the person key when there is one (the
// quality manager, the economic director), else the quality manager, who
// records it for them.
func (s *seeder) ownerActor(ctx context.Context, users map[string]int64, key string, qm auth.Actor) (auth.Actor, error) {
	for _, a := range Accounts {
		if a.person == key && a.CUI == CUI {
			return s.users.ActorByID(ctx, users[a.Username])
		}
	}
	return qm, nil
}
