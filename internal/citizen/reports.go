package citizen

import (
	"context"
	"fmt"
	"sort"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
)

// Count is a labelled count in a report (a channel, a topic, a unit).
type Count struct {
	Key   string // a channel, topic or state; a unit's name ("" for none)
	Count int
}

// PetitionReport is the half-yearly report on petitions (OG 27/2002,
// art. 13): petitions registered in the half year, how they arrived, what
// they were about, how they were solved and in what time.
//
// The outcome is as it stood at the end of the half year, so that the
// outcomes add up to Registered: Favourable + Partial + Unfavourable +
// Redirected + Filed + Open = Registered (Open: not closed by the end).
type PetitionReport struct {
	Year, Half int
	From, To   time.Time
	Registered int
	ByChannel  []Count
	ByTopic    []Count
	ByUnit     []Count
	// How they were solved.
	Favourable, Partial, Unfavourable, Redirected, Filed, Open int
	Extended                                                   int
	// OnTime and Late count the petitions answered or redirected by the
	// end of the half year, by their deadline or after it; AvgDays is
	// their mean time in calendar days.
	OnTime, Late int
	AvgDays      float64
	// OverdueOpen: of the Open ones, those past their deadline at the end.
	OverdueOpen int
}

// InfoReport is the yearly report on access to public information (Law
// 544/2001, art. 27; the report form of its methodological norms).
//
// Outcomes are as they stood at the end of the year: Provided + Partial +
// NotHeld + Refused + Redirected + Filed + Open = Registered.
type InfoReport struct {
	Year       int
	Registered int
	// By how they arrived: on paper (counter, post), electronically
	// (e-mail, online).
	Paper, Electronic int
	ByTopic           []Count
	// By solution.
	Provided, Partial, NotHeld, Refused, Redirected, Open int
	Complex                                               int
	OnTime, Late                                          int
	// Administrative complaints against answers, and their outcome.
	Complaints, ComplaintsUpheld, ComplaintsRejected, ComplaintsPending int
	AvgDays                                                             float64
	// Filed: requests filed away (anonymous, without identification).
	Filed       int
	From, To    time.Time
	ByChannel   []Count
	OverdueOpen int
}

// reportCase is what the legal reports read of a case.
type reportCase struct {
	channel, topic, unit, state, answerKind, complaint string
	closedOn, dueOn                                    string
	days                                               int
	onTime, hasOnTime                                  bool
	extended, complex                                  bool
}

func (s *Service) reportCases(ctx context.Context, tenant int64, kind string, from, to time.Time) ([]reportCase, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.channel, c.topic, COALESCE(u.name, ''), c.state, c.answer_kind, c.complaint, c.closed_on, c.due_on,
			COALESCE(c.days_taken, -1), COALESCE(c.on_time, FALSE), c.on_time IS NOT NULL, c.extension_days > 0, c.complex
		FROM citizen_cases c LEFT JOIN units u ON u.id = c.unit_id
		WHERE c.tenant_id = $1 AND c.kind = $2 AND c.registered_on >= $3 AND c.registered_on <= $4`,
		tenant, kind, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("cannot read the cases of the report: %w", err)
	}
	defer rows.Close()
	var out []reportCase
	for rows.Next() {
		var c reportCase
		if err := rows.Scan(&c.channel, &c.topic, &c.unit, &c.state, &c.answerKind, &c.complaint, &c.closedOn, &c.dueOn,
			&c.days, &c.onTime, &c.hasOnTime, &c.extended, &c.complex); err != nil {
			return nil, fmt.Errorf("cannot read the cases of the report: %w", err)
		}
		end := to.Format(time.DateOnly)
		if c.closedOn != "" && c.closedOn > end {
			// Closed after the period: open as the report sees it.
			c.state, c.closedOn, c.answerKind = StateAssigned, "", ""
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// stCounts turns a tally into counts, largest first, then by key; keys
// listed in order come first in that order when given.
func stCounts(tally map[string]int, order []string) []Count {
	var out []Count
	seen := map[string]bool{}
	for _, k := range order {
		seen[k] = true
		out = append(out, Count{Key: k, Count: tally[k]})
	}
	var rest []Count
	for k, n := range tally {
		if !seen[k] {
			rest = append(rest, Count{Key: k, Count: n})
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		if rest[i].Count != rest[j].Count {
			return rest[i].Count > rest[j].Count
		}
		return rest[i].Key < rest[j].Key
	})
	return append(out, rest...)
}

// HalfPeriod is the half year's first and last day.
func HalfPeriod(year, half int) (from, to time.Time) {
	if half == 2 {
		return time.Date(year, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 6, 30, 0, 0, 0, 0, time.UTC)
}

func stCheckYear(year int) error {
	if year < 2000 || year > 2200 {
		return apperr.Validation{"year": "error.range"}
	}
	return nil
}

// PetitionReportOf draws up the report for half (1: January-June, 2:
// July-December) of year (PermCitizenManage).
func (s *Service) PetitionReportOf(ctx context.Context, a auth.Actor, year, half int) (PetitionReport, error) {
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return PetitionReport{}, err
	}
	if err := stCheckYear(year); err != nil {
		return PetitionReport{}, err
	}
	if half != 1 && half != 2 {
		return PetitionReport{}, apperr.Validation{"half": "error.choice"}
	}
	from, to := HalfPeriod(year, half)
	cases, err := s.reportCases(ctx, a.Tenant, KindPetition, from, to)
	if err != nil {
		return PetitionReport{}, err
	}
	r := PetitionReport{Year: year, Half: half, From: from, To: to, Registered: len(cases)}
	channels, topics, units := map[string]int{}, map[string]int{}, map[string]int{}
	end := to.Format(time.DateOnly)
	var days, timed int
	for _, c := range cases {
		channels[c.channel]++
		topics[c.topic]++
		units[c.unit]++
		if c.extended {
			r.Extended++
		}
		switch c.state {
		case StateAnswered:
			switch c.answerKind {
			case AnswerFavourable:
				r.Favourable++
			case AnswerPartial:
				r.Partial++
			default:
				r.Unfavourable++
			}
		case StateRedirected:
			r.Redirected++
		case StateFiled:
			r.Filed++
			continue
		case StateRegistered, StateAssigned:
			r.Open++
			if c.dueOn <= end {
				r.OverdueOpen++
			}
			continue
		default: // refused does not apply to petitions; count it as answered unfavourably
			r.Unfavourable++
		}
		if c.hasOnTime {
			if c.onTime {
				r.OnTime++
			} else {
				r.Late++
			}
		}
		if c.days >= 0 {
			days += c.days
			timed++
		}
	}
	if timed > 0 {
		r.AvgDays = float64(days) / float64(timed)
	}
	r.ByChannel = stCounts(channels, Channels)
	r.ByTopic = stCounts(topics, Topics[KindPetition])
	r.ByUnit = stCounts(units, nil)
	return r, nil
}

// InfoReportOf draws up the yearly report on public information
// (PermCitizenManage).
func (s *Service) InfoReportOf(ctx context.Context, a auth.Actor, year int) (InfoReport, error) {
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return InfoReport{}, err
	}
	if err := stCheckYear(year); err != nil {
		return InfoReport{}, err
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	cases, err := s.reportCases(ctx, a.Tenant, KindInfo, from, to)
	if err != nil {
		return InfoReport{}, err
	}
	r := InfoReport{Year: year, From: from, To: to, Registered: len(cases)}
	channels, topics := map[string]int{}, map[string]int{}
	end := to.Format(time.DateOnly)
	var days, timed int
	for _, c := range cases {
		channels[c.channel]++
		topics[c.topic]++
		switch c.channel {
		case ChannelCounter, ChannelPost:
			r.Paper++
		default:
			r.Electronic++
		}
		if c.complex {
			r.Complex++
		}
		switch c.complaint {
		case ComplaintPending:
			r.Complaints++
			r.ComplaintsPending++
		case ComplaintUpheld:
			r.Complaints++
			r.ComplaintsUpheld++
		case ComplaintRejected:
			r.Complaints++
			r.ComplaintsRejected++
		}
		switch c.state {
		case StateRefused:
			r.Refused++
		case StateAnswered:
			switch c.answerKind {
			case AnswerPartial:
				r.Partial++
			case AnswerNotHeld:
				r.NotHeld++
			case AnswerRefused:
				r.Refused++
			default:
				r.Provided++
			}
		case StateRedirected:
			r.Redirected++
		case StateFiled:
			r.Filed++
			continue
		default:
			r.Open++
			if c.dueOn <= end {
				r.OverdueOpen++
			}
			continue
		}
		if c.hasOnTime {
			if c.onTime {
				r.OnTime++
			} else {
				r.Late++
			}
		}
		if c.days >= 0 {
			days += c.days
			timed++
		}
	}
	if timed > 0 {
		r.AvgDays = float64(days) / float64(timed)
	}
	r.ByChannel = stCounts(channels, Channels)
	r.ByTopic = stCounts(topics, Topics[KindInfo])
	return r, nil
}
