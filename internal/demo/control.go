package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/control"
	"cadran/internal/documents"
	"cadran/internal/frameworks"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo municipality's internal managerial control, played through the
// control service on a clock of its own so every change is audited under
// the name of the person who made it and every task reaches an inbox as
// it would have (the data is in control_data.go):
//
//   - the monitoring commission, set up by the mayor's decision two years
//     ago (the deputy mayor presides, the heads of the first-level
//     compartments, never internal audit, are members, the quality office
//     is its technical secretariat), and the risk management team; their
//     meetings over the two years with agendas, minutes and decisions, the
//     latest ones still open with owners and deadlines;
//   - last year's development programme, approved in January, most of its
//     actions done; this year's made from it with NextProgramme in January
//     (its open actions carried over, given new deadlines), completed with
//     this year's own actions and approved; a few are overdue;
//   - last year's self-evaluation: 26 compartments answered every
//     question (mostly "Da"; "Nu" with explanations in standards 2, 8 and
//     11; "Nu se aplică" for standard 14 where no accounts are kept and for
//     16 outside internal audit), with evidence linked to documents and a
//     risk; consolidated, measures written, approved by the commission's
//     president in February with the yearly report's number: the grade is
//     computed from the answers (13 standards implemented: partially
//     conform);
//   - this year's self-evaluation, opened twelve days ago: six
//     compartments submitted, six halfway, the others not started (their
//     heads, and the quality office for the compartments without one, keep
//     their tasks);
//   - the inventory of eleven sensitive functions with their holders (two
//     past five years in a function that rotates) and measures;
//   - the activities of fifteen compartments against the procedures that
//     cover them: most covered, some missing (owner and deadline, a few
//     overdue), a few exempt.

// ctlSeeder plays the internal managerial control records.
type ctlSeeder struct {
	*scSeeder // people, actors and the clock
	svc       *control.Service
	model     frameworks.OSGG
	today     time.Time // today in Bucharest, at midnight
	events    []trEvent

	last, this int // the completed and the open evaluation's years
	progYear   int // this year's programme
	bodies     map[string]control.Body
	evals      map[int]control.Evaluation
}

// control seeds the demo municipality's internal managerial control and
// returns how many self-evaluations it made.
func (s *seeder) control(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (evaluations int, err error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	model, ok := frameworks.OSGGModel(frameworks.OSGGLatest)
	if !ok {
		return 0, fmt.Errorf("cannot seed the demo internal control: no OSGG model %s", frameworks.OSGGLatest)
	}
	cs := &ctlSeeder{
		scSeeder: &scSeeder{s: s, clk: clk, tenant: tenant, now: now, people: people, users: users, units: unitIDs,
			staff: map[string]org.Person{}, actors: map[string]auth.Actor{}},
		svc:    &control.Service{DB: s.db, Clock: clk, Work: ws},
		model:  model,
		today:  work.Day(now),
		bodies: map[string]control.Body{},
		evals:  map[int]control.Evaluation{},
	}
	// The self-evaluation of a year runs from its last quarter to
	// February; from October on, this year's is the open one.
	cs.this = cs.today.Year() - 1
	if cs.today.Month() >= time.October {
		cs.this = cs.today.Year()
	}
	cs.last = cs.this - 1
	// This year's programme is approved in the second half of January.
	cs.progYear = cs.today.Year()
	if cs.today.Month() == time.January && cs.today.Day() <= 25 {
		cs.progYear--
	}
	if err := cs.run(ctx); err != nil {
		return len(cs.evals), fmt.Errorf("cannot seed the demo internal control: %w", err)
	}
	clk.Set(now)
	return len(cs.evals), nil
}

// on is 09:00 in Bucharest of a date, plus minutes.
func ctlOn(y int, m time.Month, d, minutes int) time.Time {
	return time.Date(y, m, d, 7, minutes, 0, 0, time.UTC)
}

// ago is 09:00 in Bucharest days before today, plus minutes.
func (cs *ctlSeeder) ago(days, minutes int) time.Time {
	d := cs.today.AddDate(0, 0, -days)
	return ctlOn(d.Year(), d.Month(), d.Day(), minutes)
}

// ctlText fills a text's years in: %[1]d the meeting's year, %[2]d last
// year's self-evaluation, %[3]d this year's.
func ctlText(s string, years ...any) string {
	if !strings.Contains(s, "%[") {
		return s
	}
	return fmt.Sprintf(s, years...)
}

// roDate is a date as Romanian acts write it.
func roDate(t time.Time) string { return t.Format("02.01.2006") }

func (cs *ctlSeeder) add(at time.Time, what string, do func(context.Context) error) {
	cs.events = append(cs.events, trEvent{at: at, seq: len(cs.events), what: what, do: do})
}

func (cs *ctlSeeder) run(ctx context.Context) error {
	qm, err := cs.actor(ctx, "calitate")
	if err != nil {
		return err
	}
	if err := cs.planBodies(ctx, qm); err != nil {
		return err
	}
	if err := cs.planProgrammes(ctx, qm); err != nil {
		return err
	}
	if err := cs.planLastYear(ctx, qm); err != nil {
		return err
	}
	if err := cs.planThisYear(ctx, qm); err != nil {
		return err
	}
	if err := cs.planSensitive(ctx, qm); err != nil {
		return err
	}
	if err := cs.planCoverage(ctx, qm); err != nil {
		return err
	}
	// Events may plan later ones (a decision done, a measure done): the
	// rest of the timeline is sorted again after each.
	byTime := func(a, b trEvent) int {
		if n := a.at.Compare(b.at); n != 0 {
			return n
		}
		return a.seq - b.seq
	}
	slices.SortStableFunc(cs.events, byTime)
	for i := 0; i < len(cs.events); i++ {
		e, planned := cs.events[i], len(cs.events)
		cs.at(e.at)
		if err := e.do(ctx); err != nil {
			return fmt.Errorf("%s (%s): %w", e.what, e.at.Format(time.DateOnly), err)
		}
		if len(cs.events) > planned {
			slices.SortStableFunc(cs.events[i+1:], byTime)
		}
	}
	return nil
}

// answerer acts for a compartment in the questionnaire: its head, else the
// head above it or the quality office.
func (cs *ctlSeeder) answerer(ctx context.Context, unit string) (auth.Actor, error) {
	if key, ok := ctlAnswerer[unit]; ok {
		return cs.actor(ctx, key)
	}
	return cs.actor(ctx, "head:"+unit)
}

// planBodies sets up the commission and the risk team two years ago, and
// their meetings since.
func (cs *ctlSeeder) planBodies(ctx context.Context, qm auth.Actor) error {
	setup := ctlOn(cs.progYear-2, time.March, 12, 0)
	for i, b := range []struct {
		kind, name, notes string
		members           []ctlMember
		no                int
	}{
		{control.BodyCommission, "Comisia de monitorizare a sistemului de control intern managerial",
			"Coordonează implementarea și dezvoltarea sistemului de control intern managerial; analizează situația sintetică a autoevaluării și avizează programul de dezvoltare.", ctlCommission, 245},
		{control.BodyRiskTeam, "Echipa de gestionare a riscurilor",
			"Consolidează registrele riscurilor compartimentelor, propune profilul de risc și limita de toleranță și analizează alertele la risc.", ctlRiskTeam, 246},
	} {
		b := b
		cs.add(setup.Add(time.Duration(i)*time.Hour), "the body "+b.kind, func(ctx context.Context) error {
			body, err := cs.svc.CreateBody(ctx, qm, control.BodyInput{Kind: b.kind, Name: b.name, Notes: b.notes, Active: true,
				Decision: fmt.Sprintf("Dispoziția primarului nr. %d/%s", b.no, roDate(setup)), DecisionOn: setup.Format(time.DateOnly)})
			if err != nil {
				return err
			}
			cs.bodies[b.kind] = body
			for _, m := range b.members {
				p, err := cs.person(ctx, m.who)
				if err != nil {
					return err
				}
				if _, err := cs.svc.AddMember(ctx, qm, body.ID, control.MemberInput{PersonID: p.ID, Role: m.role, FromOn: setup.Format(time.DateOnly)}); err != nil {
					return fmt.Errorf("member %s: %w", m.who, err)
				}
			}
			return nil
		})
	}
	// The meetings, on their anchors.
	anchors := map[string][]time.Time{
		"prog-1": {ctlOn(cs.progYear-1, time.January, 17, 120), ctlOn(cs.progYear, time.January, 16, 120)},
		"report": {ctlOn(cs.last+1, time.February, 12, 180)},
		"mid":    {cs.ago(140, 120)},
		"open":   {cs.ago(13, 120)},
	}
	if mid := anchors["mid"][0]; !mid.After(ctlOn(cs.progYear, time.January, 30, 0)) {
		anchors["mid"] = nil // too early in the year for the half-year review
	}
	seq := map[string]int{}
	for _, m := range ctlMeetings {
		for _, at := range anchors[m.when] {
			if m.body == control.BodyRiskTeam {
				at = at.AddDate(0, 0, 7)
			}
			if !at.Before(cs.now) {
				continue
			}
			m, at := m, at
			seq[m.body+fmt.Sprint(at.Year())]++
			n := seq[m.body+fmt.Sprint(at.Year())]
			cs.add(at, "a meeting of "+m.body, func(ctx context.Context) error { return cs.meeting(ctx, qm, m, at, n) })
		}
	}
	return nil
}

// meeting holds one meeting: planned a week before, held on the day with
// its minutes and decisions, the decisions done on their day.
func (cs *ctlSeeder) meeting(ctx context.Context, qm auth.Actor, m ctlMeeting, at time.Time, n int) error {
	body, ok := cs.bodies[m.body]
	if !ok {
		return fmt.Errorf("no body %s", m.body)
	}
	text := func(s string) string { return ctlText(s, at.Year(), cs.last, cs.this) }
	members, err := cs.svc.Members(ctx, qm, body.ID)
	if err != nil {
		return err
	}
	var attendees []int64
	for i, mb := range members {
		// One or two apologise for absence.
		if (i+n+at.Day())%7 == 3 {
			continue
		}
		attendees = append(attendees, mb.PersonID)
	}
	prefix := "CM"
	if m.body == control.BodyRiskTeam {
		prefix = "EGR"
	}
	mt, err := cs.svc.CreateMeeting(ctx, qm, control.MeetingInput{BodyID: body.ID, Number: fmt.Sprintf("%s-%d/%s", prefix, n, roDate(at)),
		HeldOn: at.Format(time.DateOnly), Place: m.place, Agenda: text(m.agenda), Minutes: text(m.minutes), Attendees: attendees})
	if err != nil {
		return err
	}
	if mt, err = cs.svc.MoveMeeting(ctx, qm, mt.ID, control.MeetingMove{To: control.MeetingHeld, Version: mt.Version}); err != nil {
		return err
	}
	for i, d := range m.decisions {
		owner, err := cs.person(ctx, d.owner)
		if err != nil {
			return err
		}
		due := at.AddDate(0, 0, d.days)
		dec, err := cs.svc.AddDecision(ctx, qm, mt.ID, control.DecisionInput{Number: fmt.Sprintf("Hotărârea nr. %d/%s", i+1, roDate(at)),
			Text: text(d.text), OwnerID: owner.ID, DueOn: due.Format(time.DateOnly), State: control.ActionOpen})
		if err != nil {
			return err
		}
		if d.done == 0 {
			continue
		}
		doneAt := at.AddDate(0, 0, d.done)
		if !doneAt.Before(cs.now) {
			continue
		}
		cs.add(doneAt, "a decision done", func(ctx context.Context) error {
			_, err := cs.svc.UpdateDecision(ctx, qm, mt.ID, dec.ID, control.DecisionInput{Number: dec.Number, Text: dec.Text, OwnerID: dec.OwnerID,
				DueOn: dec.DueOn, State: control.ActionDone, DoneOn: doneAt.Format(time.DateOnly), Version: dec.Version})
			return err
		})
	}
	return nil
}

// planProgrammes: last year's programme, approved in January and mostly
// done; this year's made from it, completed and approved.
func (cs *ctlSeeder) planProgrammes(ctx context.Context, qm auth.Actor) error {
	prev := cs.progYear - 1
	title := func(y int) string {
		return fmt.Sprintf("Programul de dezvoltare a sistemului de control intern managerial pe anul %d", y)
	}
	var last, this control.Programme
	objs := map[string]int64{}
	cs.add(ctlOn(prev, time.January, 9, 0), "last year's programme", func(ctx context.Context) error {
		var err error
		if last, err = cs.svc.CreateProgramme(ctx, qm, control.ProgrammeInput{Year: prev, Title: title(prev),
			Notes: "Elaborat de secretariatul tehnic al comisiei de monitorizare pe baza autoevaluării anterioare."}); err != nil {
			return err
		}
		for _, o := range ctlObjectives {
			got, err := cs.svc.AddObjective(ctx, qm, last.ID, control.ObjectiveInput{Code: o.code, Title: o.title, Description: o.desc})
			if err != nil {
				return err
			}
			objs[o.code] = got.ID
		}
		for _, x := range ctlLastProgramme {
			if err := cs.action(ctx, qm, last.ID, objs[x.obj], prev, x); err != nil {
				return err
			}
		}
		return nil
	})
	approve := func(p *control.Programme, y, no int) func(context.Context) error {
		return func(ctx context.Context) error {
			on := ctlOn(y, time.January, 20+y%3, 0)
			got, err := cs.svc.MoveProgramme(ctx, qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove,
				Decision: fmt.Sprintf("Dispoziția primarului nr. %d/%s", no, roDate(on)), ApprovedOn: on.Format(time.DateOnly), Version: p.Version})
			if err == nil {
				*p = got
			}
			return err
		}
	}
	cs.add(ctlOn(prev, time.January, 20+prev%3, 30), "last year's programme approved", func(ctx context.Context) error {
		var err error
		if last, err = cs.svc.Programme(ctx, qm, last.ID); err != nil {
			return err
		}
		return approve(&last, prev, 14)(ctx)
	})
	// This year's, from last year's: its open actions carried over with
	// new deadlines, this year's own actions added.
	cs.add(ctlOn(cs.progYear, time.January, 8, 0), "this year's programme", func(ctx context.Context) error {
		var err error
		if this, err = cs.svc.NextProgramme(ctx, qm, last.ID); err != nil {
			return err
		}
		if this, err = cs.svc.UpdateProgramme(ctx, qm, this.ID, control.ProgrammeInput{Year: this.Year, Title: title(this.Year),
			Notes: "Actualizat din programul anului anterior: acțiunile nerealizate au fost preluate, iar măsurile din situația sintetică au fost adăugate.", Version: this.Version}); err != nil {
			return err
		}
		thisObjs, err := cs.svc.Objectives(ctx, qm, this.ID)
		if err != nil {
			return err
		}
		byCode := map[string]int64{}
		for _, o := range thisObjs {
			byCode[o.Code] = o.ID
		}
		carried, err := cs.svc.Actions(ctx, qm, control.ActionFilter{ProgrammeID: this.ID, PerPage: 100})
		if err != nil {
			return err
		}
		// New deadlines; the first is done in March.
		for i, x := range carried.Items {
			due := ctlOn(cs.progYear, time.December, 10-i*10, 0)
			if i == 0 {
				due = ctlOn(cs.progYear, time.March, 31, 0)
			}
			got, err := cs.svc.UpdateAction(ctx, qm, x.ID, control.ActionInput{ProgrammeID: this.ID, ObjectiveID: x.ObjectiveID, Standard: x.Standard,
				Title: x.Title, Description: x.Description, OwnerID: x.OwnerID, UnitID: x.UnitID, DueOn: due.Format(time.DateOnly), Version: x.Version})
			if err != nil {
				return err
			}
			if doneAt := due.AddDate(0, 0, -6); i == 0 && doneAt.Before(cs.today) {
				cs.add(doneAt.Add(4*time.Hour), "a carried action done", func(ctx context.Context) error {
					cur, err := cs.svc.Action(ctx, qm, got.ID)
					if err != nil {
						return err
					}
					_, err = cs.svc.MoveAction(ctx, qm, got.ID, control.ActionMove{To: control.ActionDone, DoneOn: doneAt.Format(time.DateOnly),
						Result: "Preluată din programul anului anterior și realizată.", Version: cur.Version})
					return err
				})
			}
		}
		for _, x := range ctlThisProgramme {
			if err := cs.action(ctx, qm, this.ID, byCode[x.obj], cs.progYear, x); err != nil {
				return err
			}
		}
		return nil
	})
	cs.add(ctlOn(cs.progYear, time.January, 20+cs.progYear%3, 30), "this year's programme approved", func(ctx context.Context) error {
		var err error
		if this, err = cs.svc.Programme(ctx, qm, this.ID); err != nil {
			return err
		}
		return approve(&this, cs.progYear, 12)(ctx)
	})
	return nil
}

// action adds an action to a programme and, when it was done, plays its
// completion on its day.
func (cs *ctlSeeder) action(ctx context.Context, qm auth.Actor, programmeID, objectiveID int64, year int, x ctlAction) error {
	owner, err := cs.person(ctx, x.owner)
	if err != nil {
		return err
	}
	due := ctlOn(year, time.Month(x.month), x.day, 0)
	got, err := cs.svc.CreateAction(ctx, qm, control.ActionInput{ProgrammeID: programmeID, ObjectiveID: objectiveID, Standard: x.standard,
		Title: x.title, OwnerID: owner.ID, UnitID: cs.units[x.unit], DueOn: due.Format(time.DateOnly)})
	if err != nil {
		return fmt.Errorf("action %q: %w", x.title, err)
	}
	if !x.done {
		return nil
	}
	doneAt := due.AddDate(0, 0, x.doneDays)
	if !doneAt.Before(cs.today) {
		return nil
	}
	cs.add(doneAt.Add(3*time.Hour), "an action done", func(ctx context.Context) error {
		cur, err := cs.svc.Action(ctx, qm, got.ID)
		if err != nil {
			return err
		}
		_, err = cs.svc.MoveAction(ctx, qm, got.ID, control.ActionMove{To: control.ActionDone, DoneOn: doneAt.Format(time.DateOnly), Result: x.result, Version: cur.Version})
		return err
	})
	return nil
}

// answers are a compartment's answers to a standard: yes, except the
// standards that do not apply to it and its gaps.
func (cs *ctlSeeder) answers(unit string, std frameworks.OSGGStandard, gaps []ctlNo) []control.AnswerInput {
	out := make([]control.AnswerInput, len(std.Questions))
	for i, q := range std.Questions {
		out[i] = control.AnswerInput{Question: q.Code, Answer: control.AnswerYes}
		switch {
		case std.Number == 14 && !ctlAccounts[unit], std.Number == 16 && unit != "capi":
			out[i].Answer = control.AnswerNA
		}
	}
	for _, g := range gaps {
		if g.unit != unit || g.standard != std.Number || len(out) == 0 {
			continue
		}
		i := g.question
		if i < 0 || i >= len(out) {
			i = len(out) - 1
		}
		out[i].Answer, out[i].Explanation = control.AnswerNo, g.why
	}
	return out
}

// fill answers standards [from, to) of a compartment's questionnaire, one
// standard every few minutes from at.
func (cs *ctlSeeder) fill(ctx context.Context, evalYear int, unit string, from, to int, gaps []ctlNo) error {
	a, err := cs.answerer(ctx, unit)
	if err != nil {
		return err
	}
	e := cs.evals[evalYear]
	stds := cs.model.Standards()
	for i := from; i < to && i < len(stds); i++ {
		if err := cs.svc.SaveAnswers(ctx, a, e.ID, cs.units[unit], stds[i].Number, cs.answers(unit, stds[i], gaps)); err != nil {
			return fmt.Errorf("%s, standard %d: %w", unit, stds[i].Number, err)
		}
	}
	return nil
}

// planLastYear plays last year's self-evaluation from its opening in
// December to the approval in February.
func (cs *ctlSeeder) planLastYear(ctx context.Context, qm auth.Actor) error {
	y := cs.last
	open := ctlOn(y, time.December, 1, 0)
	cs.add(open, "last year's self-evaluation", func(ctx context.Context) error {
		e, err := cs.svc.OpenEvaluation(ctx, qm, control.EvaluationInput{Year: y, DueOn: ctlOn(y+1, time.January, 20, 0).Format(time.DateOnly), Units: cs.evalUnits()})
		cs.evals[y] = e
		return err
	})
	for i, unit := range ctlEvalUnits {
		unit := unit
		// Each compartment on its own day between 3 December and 16
		// January; submitted the same day.
		at := open.AddDate(0, 0, 2+i*45/len(ctlEvalUnits)).Add(time.Duration(30+i%5*60) * time.Minute)
		cs.add(at, "last year's answers of "+unit, func(ctx context.Context) error {
			if err := cs.fill(ctx, y, unit, 0, 16, ctlLastYearNo); err != nil {
				return err
			}
			a, err := cs.answerer(ctx, unit)
			if err != nil {
				return err
			}
			for _, ev := range ctlLastYearEvidence {
				if ev.unit == unit {
					if err := cs.evidence(ctx, a, cs.evals[y].ID, ev); err != nil {
						return err
					}
				}
			}
			return cs.svc.SubmitUnit(ctx, a, cs.evals[y].ID, cs.units[unit])
		})
	}
	cs.add(ctlOn(y+1, time.February, 4, 0), "last year's self-evaluation consolidated", func(ctx context.Context) error {
		e, err := cs.svc.Evaluation(ctx, qm, cs.evals[y].ID)
		if err != nil {
			return err
		}
		if e, err = cs.svc.MoveEvaluation(ctx, qm, e.ID, control.Transition{To: control.EvalConsolidated, Version: e.Version}); err != nil {
			return err
		}
		cs.evals[y] = e
		sum, err := cs.svc.Summary(ctx, qm, e.ID)
		if err != nil {
			return err
		}
		for _, c := range sum.Components {
			for _, st := range c.Standards {
				if text, ok := ctlLastYearMeasures[st.Standard.Number]; ok && st.Status != control.StatusImplemented {
					if err := cs.svc.SaveMeasures(ctx, qm, e.ID, st.Standard.Number, text, st.Version); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	reportOn := ctlOn(y+1, time.February, 12, 0)
	cs.add(ctlOn(y+1, time.February, 9, 0), "last year's report written", func(ctx context.Context) error {
		e, err := cs.svc.Evaluation(ctx, qm, cs.evals[y].ID)
		if err != nil {
			return err
		}
		e, err = cs.svc.UpdateEvaluation(ctx, qm, e.ID, control.EvaluationEdit{DueOn: e.DueOn,
			ReportNo:    fmt.Sprintf("%d/%s", 2417, roDate(reportOn)),
			Conclusions: fmt.Sprintf(ctlConclusions, y, y+1), ReportText: fmt.Sprintf(ctlReportText, y, y+1), Version: e.Version})
		cs.evals[y] = e
		return err
	})
	cs.add(reportOn.Add(5*time.Hour), "last year's self-evaluation approved", func(ctx context.Context) error {
		president, err := cs.actor(ctx, "deputy")
		if err != nil {
			return err
		}
		e, err := cs.svc.Evaluation(ctx, president, cs.evals[y].ID)
		if err != nil {
			return err
		}
		e, err = cs.svc.MoveEvaluation(ctx, president, e.ID, control.Transition{To: control.EvalApproved, ApprovedBy: president.Name,
			ApprovedOn: reportOn.Format(time.DateOnly), Version: e.Version})
		cs.evals[y] = e
		return err
	})
	return nil
}

// planThisYear opens this year's self-evaluation twelve days ago: some
// compartments have submitted, some are halfway.
func (cs *ctlSeeder) planThisYear(ctx context.Context, qm auth.Actor) error {
	y := cs.this
	open := cs.ago(12, 0)
	cs.add(open, "this year's self-evaluation", func(ctx context.Context) error {
		e, err := cs.svc.OpenEvaluation(ctx, qm, control.EvaluationInput{Year: y, DueOn: open.AddDate(0, 0, 30).Format(time.DateOnly), Units: cs.evalUnits()})
		cs.evals[y] = e
		return err
	})
	for i, unit := range ctlThisYearSubmitted {
		unit := unit
		cs.add(cs.ago(10-i, 60+i*20), "this year's answers of "+unit, func(ctx context.Context) error {
			if err := cs.fill(ctx, y, unit, 0, 16, ctlThisYearNo); err != nil {
				return err
			}
			a, err := cs.answerer(ctx, unit)
			if err != nil {
				return err
			}
			return cs.svc.SubmitUnit(ctx, a, cs.evals[y].ID, cs.units[unit])
		})
	}
	i := 0
	for _, unit := range ctlEvalUnits {
		n, ok := ctlThisYearHalfway[unit]
		if !ok {
			continue
		}
		unit := unit
		i++
		cs.add(cs.ago(8-i, 90+i*15), "this year's first answers of "+unit, func(ctx context.Context) error {
			return cs.fill(ctx, y, unit, 0, n, ctlThisYearNo)
		})
	}
	return nil
}

// evalUnits are the ids of the compartments that answer.
func (cs *ctlSeeder) evalUnits() []int64 {
	out := make([]int64, len(ctlEvalUnits))
	for i, u := range ctlEvalUnits {
		out[i] = cs.units[u]
	}
	return out
}

// evidence links a document (by code) or the compartment's first risk.
func (cs *ctlSeeder) evidence(ctx context.Context, a auth.Actor, evalID int64, ev ctlEvidence) error {
	in := control.EvidenceInput{Standard: ev.standard, Notes: ev.notes}
	var id int64
	var code, title string
	if ev.risk {
		err := cs.s.db.R.QueryRowContext(ctx, `SELECT id, code, description FROM risks WHERE tenant_id = $1 ORDER BY id LIMIT 1`, cs.tenant).Scan(&id, &code, &title)
		if err != nil {
			return nil // no risk to link: the demo's register is empty
		}
		in.Kind, in.Entity, in.Href = control.EvidenceRisk, "risk", fmt.Sprintf("/risks/%d", id)
	} else {
		id, code, title = cs.document(ctx, ev.doc)
		if id == 0 {
			return nil
		}
		in.Kind, in.Entity, in.Href = control.EvidenceDocument, "document", fmt.Sprintf("/documents/%d", id)
	}
	in.EntityID, in.Title = id, code+" "+title
	if r := []rune(in.Title); len(r) > 200 {
		in.Title = string(r[:200])
	}
	_, err := cs.svc.AddEvidence(ctx, a, evalID, cs.units[ev.unit], in)
	return err
}

// document finds a demo document by its code.
func (cs *ctlSeeder) document(ctx context.Context, code string) (id int64, c, title string) {
	if err := cs.s.db.R.QueryRowContext(ctx, `SELECT id, code, title FROM documents WHERE tenant_id = $1 AND code = $2`, cs.tenant, code).Scan(&id, &c, &title); err != nil {
		return 0, "", ""
	}
	return id, c, title
}

// procedure finds a demo procedure in force (system or operational, not
// withdrawn) by its code; 0 when there is none.
func (cs *ctlSeeder) procedure(ctx context.Context, code string) int64 {
	var id int64
	if err := cs.s.db.R.QueryRowContext(ctx, `SELECT id FROM documents WHERE tenant_id = $1 AND code = $2 AND kind IN ($3, $4) AND state <> $5`,
		cs.tenant, code, documents.KindSystem, documents.KindOperational, documents.StateWithdrawn).Scan(&id); err != nil {
		return 0
	}
	return id
}

// unitPeople are the people of a unit other than its head, by id.
func (cs *ctlSeeder) unitPeople(ctx context.Context, unit string) ([]int64, error) {
	head := cs.people["head:"+unit].ID
	rows, err := cs.s.db.R.QueryContext(ctx, `SELECT id FROM people WHERE tenant_id = $1 AND unit_id = $2 AND active ORDER BY id`, cs.tenant, cs.units[unit])
	if err != nil {
		return nil, fmt.Errorf("cannot read the demo people: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read the demo people: %w", err)
		}
		if id != head {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// planSensitive draws up the inventory of sensitive functions last year,
// with the people in them and the measures.
func (cs *ctlSeeder) planSensitive(ctx context.Context, qm auth.Actor) error {
	made := cs.ago(330, 0)
	for i, f := range ctlSensitiveFunctions {
		f := f
		cs.add(made.Add(time.Duration(i)*10*time.Minute), "the sensitive function "+f.title, func(ctx context.Context) error {
			fn, err := cs.svc.CreateSensitive(ctx, qm, control.SensitiveInput{UnitID: cs.units[f.unit], Title: f.title, Factors: f.factors,
				Description: f.desc, Rotation: f.rotation, MaxYears: 5})
			if err != nil {
				return err
			}
			people, err := cs.unitPeople(ctx, f.unit)
			if err != nil {
				return err
			}
			var holders []int64
			for j, years := range f.holders {
				if j >= len(people) {
					break
				}
				since := cs.today.AddDate(0, 0, -int(years*365.25))
				in := control.HolderInput{PersonID: people[j], SinceOn: since.Format(time.DateOnly)}
				if since.After(cs.clk.Now()) {
					// Came into the function after the inventory.
					cs.add(since.Add(8*time.Hour), "a sensitive function's new holder", func(ctx context.Context) error {
						_, err := cs.svc.AddHolder(ctx, qm, fn.ID, in)
						return err
					})
					continue
				}
				h, err := cs.svc.AddHolder(ctx, qm, fn.ID, in)
				if err != nil {
					return fmt.Errorf("holder: %w", err)
				}
				holders = append(holders, h.ID)
			}
			for _, m := range f.measures {
				m := m
				owner, err := cs.person(ctx, m.owner)
				if err != nil {
					return err
				}
				in := control.SMeasureInput{Kind: m.kind, Description: m.desc, OwnerID: owner.ID,
					DueOn: cs.today.AddDate(0, 0, m.due).Format(time.DateOnly)}
				if m.forHolder > 0 && m.forHolder <= len(holders) {
					in.HolderID = holders[m.forHolder-1]
				}
				got, err := cs.svc.AddSMeasure(ctx, qm, fn.ID, in)
				if err != nil {
					return fmt.Errorf("measure: %w", err)
				}
				if m.doneAgo == 0 {
					continue
				}
				cs.add(cs.ago(m.doneAgo, 240), "a sensitive-function measure done", func(ctx context.Context) error {
					in.State, in.DoneOn, in.Version = control.MeasureDone, cs.today.AddDate(0, 0, -m.doneAgo).Format(time.DateOnly), got.Version
					_, err := cs.svc.UpdateSMeasure(ctx, qm, fn.ID, got.ID, in)
					return err
				})
			}
			return nil
		})
	}
	return nil
}

// planCoverage records the compartments' activities and the procedures
// covering them, some months ago.
func (cs *ctlSeeder) planCoverage(ctx context.Context, qm auth.Actor) error {
	made := cs.ago(120, 0)
	cs.add(made, "procedure coverage", func(ctx context.Context) error {
		for _, x := range ctlActivities {
			in := control.ActivityInput{UnitID: cs.units[x.unit], Title: x.title, Exempt: x.exempt}
			switch {
			case x.doc != "" && cs.procedure(ctx, x.doc) != 0:
				in.DocumentID = cs.procedure(ctx, x.doc)
			case x.exempt == "":
				// No procedure yet (or the one there was is withdrawn): an
				// owner and a deadline.
				who, due := x.owner, x.due
				if who == "" {
					who, due = "head:"+x.unit, 30
					if _, ok := cs.people[who]; !ok {
						who = "calitate"
					}
				}
				owner, err := cs.person(ctx, who)
				if err != nil {
					return err
				}
				in.OwnerID, in.DueOn = owner.ID, cs.today.AddDate(0, 0, due).Format(time.DateOnly)
			}
			if _, err := cs.svc.CreateActivity(ctx, qm, in); err != nil {
				return fmt.Errorf("activity %q: %w", x.title, err)
			}
		}
		return nil
	})
	return nil
}
