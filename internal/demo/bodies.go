package demo

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/scorecard"
	"cadran/internal/training"
	"cadran/internal/work"
)

// bodyKPI is a KPI of a subordinate body, measured monthly this year: its
// values run from the first to the last with a little wobble.
type bodyKPI struct {
	code, name, measure, unit, owner, source string
	polarity                                 string
	target, red                              float64
	first, last                              float64
}

// bodyKPIs are the subordinate bodies' own indicators, beside the social
// assistance directorate's (which the scorecard seeder gives it through
// its objectives).
var bodyKPIs = []bodyKPI{
	{code: "SPCLEP1", name: "Cărți de identitate eliberate în termenul legal", measure: "%", unit: "spclep", owner: "head:spclep",
		source: "Registrul de evidență a cererilor SPCLEP", polarity: "higher", target: 95, red: 85, first: 88, last: 96},
	{code: "SPCLEP2", name: "Timpul mediu de așteptare la ghișeu", measure: "minute", unit: "spclep", owner: "head:spclep",
		source: "Sistemul de bonuri de ordine", polarity: "lower", target: 20, red: 35, first: 31, last: 24},
	{code: "PL1", name: "Sesizări ale cetățenilor soluționate în 30 de zile", measure: "%", unit: "sop", owner: "head:pl",
		source: "Registrul de sesizări al Poliției Locale", polarity: "higher", target: 90, red: 75, first: 72, last: 86},
	{code: "PL2", name: "Timpul mediu de intervenție la apelurile din dispecerat", measure: "minute", unit: "pl", owner: "head:pl",
		source: "Jurnalul dispeceratului", polarity: "lower", target: 15, red: 25, first: 27, last: 19},
}

// bodies adds the records of the subordinate bodies (the social assistance
// directorate, the local police, the population records service) that the
// consolidated view compares with the mayor's own apparatus: their own
// KPIs with this year's monthly values, and a training session on
// internal managerial control attended by their staff. Their risks,
// nonconformities, proposals and sensitive functions come from the other
// seeders.
// It returns the KPIs and values it added, for the demo's summary.
func (s *seeder) bodies(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (kpis, values int, err error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	sys := auth.SystemActor(tenant, Actor)
	if values, err = s.bodyKPIs(ctx, sys, &scorecard.Service{DB: s.db, Clock: clk, Work: ws}, unitIDs, people, work.Day(now)); err != nil {
		return 0, 0, fmt.Errorf("cannot seed the bodies' KPIs: %w", err)
	}
	if err := s.bodyTraining(ctx, sys, &training.Service{DB: s.db, Clock: clk, Work: ws}, unitIDs, work.Day(now)); err != nil {
		return 0, 0, fmt.Errorf("cannot seed the bodies' training: %w", err)
	}
	return len(bodyKPIs), values, nil
}

func (s *seeder) bodyKPIs(ctx context.Context, sys auth.Actor, svc *scorecard.Service, unitIDs map[string]int64, people map[string]org.Person, today time.Time) (values int, err error) {
	last := scorecard.MonthOf(today).Prev()
	months := scorecard.Range(scorecard.Monthly, time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC), last.Start())
	if last.Year != today.Year() {
		// In January, last year's months.
		months = scorecard.Range(scorecard.Monthly, time.Date(last.Year, 1, 1, 0, 0, 0, 0, time.UTC), last.Start())
	}
	var entries []scorecard.Entry
	for _, k := range bodyKPIs {
		red := k.red
		kpi, err := svc.CreateKPI(ctx, sys, scorecard.KPIInput{Code: k.code, Name: k.name, MeasureUnit: k.measure, Polarity: k.polarity,
			Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Baseline: &k.first, Red: &red, Decimals: 0,
			OwnerID: people[k.owner].ID, DataSource: k.source, UnitID: unitIDs[k.unit], Weight: 1})
		if err != nil {
			return 0, fmt.Errorf("KPI %s: %w", k.code, err)
		}
		if err := svc.SetTargets(ctx, sys, kpi.ID, kpi.Version, []scorecard.Target{{Period: fmt.Sprintf("%04d", last.Year), Value: k.target}}); err != nil {
			return 0, fmt.Errorf("targets of %s: %w", k.code, err)
		}
		for i, m := range months {
			v := k.last
			if n := len(months) - 1; n > 0 {
				v = k.first + (k.last-k.first)*float64(i)/float64(n)
				if i != n && i%3 == 1 {
					v += (k.last - k.first) / 8
				}
			}
			entries = append(entries, scorecard.Entry{KPIID: kpi.ID, Period: m.Key(), Value: float64(int(v + 0.5)),
				Explanation: "Valoare raportată de conducătorul instituției în ședința lunară de analiză"})
		}
	}
	if _, err := svc.Record(ctx, sys, scorecard.SourceManual, entries); err != nil {
		return 0, fmt.Errorf("values: %w", err)
	}
	return len(entries), nil
}

// bodyTraining holds, a month ago, a two-day course on internal managerial
// control for three people of each body, who all complete it.
func (s *seeder) bodyTraining(ctx context.Context, sys auth.Actor, svc *training.Service, unitIDs map[string]int64, today time.Time) error {
	start := today.AddDate(0, 0, -33)
	for start.Weekday() == time.Saturday || start.Weekday() == time.Sunday || start.Weekday() == time.Friday {
		start = start.AddDate(0, 0, 1)
	}
	if start.Year() != today.Year() || !start.AddDate(0, 0, 1).Before(today) {
		// Early January: no session of this year has ended yet.
		return nil
	}
	end := start.AddDate(0, 0, 1)
	p, err := svc.CreateProgramme(ctx, sys, training.ProgrammeInput{Code: "P-SCIM-INST", Title: "Controlul intern managerial în instituțiile subordonate",
		Topic: training.TopicControl, Provider: "Biroul Control Intern Managerial și Managementul Calității", Hours: 12, MinAttendance: 80,
		Description: "Standardele OSGG 600/2018 aplicate în instituțiile subordonate: registrul riscurilor, funcțiile sensibile, procedurile.", Active: true})
	if err != nil {
		return fmt.Errorf("programme: %w", err)
	}
	ss, err := svc.CreateSession(ctx, sys, training.SessionInput{ProgrammeID: p.ID, StartOn: start.Format(time.DateOnly), EndOn: end.Format(time.DateOnly),
		Place: "Sala de ședințe a Primăriei", Trainer: "Biroul Control Intern Managerial"})
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	var who []int64
	for _, keys := range [][]string{{"spclep"}, {"das", "spcf", "sbs", "cpvd"}, {"pl", "sop", "bcr"}} {
		var ids []any
		in := ""
		for i, k := range keys {
			ids = append(ids, unitIDs[k])
			if i > 0 {
				in += ", "
			}
			in += fmt.Sprintf("$%d", i+2)
		}
		rows, err := s.db.R.QueryContext(ctx, `SELECT id FROM people WHERE tenant_id = $1 AND active AND unit_id IN (`+in+`) ORDER BY id LIMIT 3`, append([]any{sys.Tenant}, ids...)...)
		if err != nil {
			return fmt.Errorf("people: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			who = append(who, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if _, err := svc.Enrol(ctx, sys, ss.ID, who); err != nil {
		return fmt.Errorf("enrolment: %w", err)
	}
	if ss, err = svc.SetSessionState(ctx, sys, ss.ID, training.SessionHeld, ss.Version); err != nil {
		return fmt.Errorf("holding: %w", err)
	}
	es, err := svc.Enrolments(ctx, sys, ss.ID)
	if err != nil {
		return err
	}
	present := map[int64][]string{}
	for _, e := range es {
		present[e.ID] = ss.Days()
	}
	if err := svc.SaveAttendance(ctx, sys, ss.ID, present); err != nil {
		return fmt.Errorf("attendance: %w", err)
	}
	if ss, err = svc.Session(ctx, sys, ss.ID); err != nil {
		return err
	}
	if _, err := svc.SetSessionState(ctx, sys, ss.ID, training.SessionClosed, ss.Version); err != nil {
		return fmt.Errorf("closing: %w", err)
	}
	return nil
}
