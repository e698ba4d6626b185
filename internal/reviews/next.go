package reviews

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
)

var yearRe = regexp.MustCompile(`\b(19|20)\d\d\b`)

// NextInput is what "prepare the next review" takes from prev: the period
// that starts the day after prev's ended and lasts as long, the meeting a
// year later, the same chair, participants, place and guests, and the
// title with its year moved on.
func NextInput(prev Review) Input {
	from, _ := parseDay(prev.PeriodFrom)
	to, _ := parseDay(prev.PeriodTo)
	meeting, _ := parseDay(prev.MeetingOn)
	nextFrom := to.AddDate(0, 0, 1)
	months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
	if months < 1 {
		months = 12
	}
	nextTo := nextFrom.AddDate(0, months, -1)
	title := yearRe.ReplaceAllStringFunc(prev.Title, func(y string) string {
		n, _ := strconv.Atoi(y)
		return strconv.Itoa(n + 1)
	})
	in := Input{Title: title, PeriodFrom: nextFrom.Format(time.DateOnly), PeriodTo: nextTo.Format(time.DateOnly),
		MeetingOn: meeting.AddDate(1, 0, 0).Format(time.DateOnly), Place: prev.Place, ChairID: prev.ChairID, Guests: prev.Guests}
	for _, p := range prev.Participants {
		in.Participants = append(in.Participants, p.PersonID)
	}
	return in
}

// PrepareNext starts the next review from a held or closed one: its period
// follows on, its people are carried over, and it starts planned, with no
// decisions; compiling it carries the open actions into input (a) and
// shows every figure beside this review's. One review follows another only
// once.
func (s *Service) PrepareNext(ctx context.Context, a auth.Actor, prevID int64) (Review, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Review{}, err
	}
	var out Review
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		prev, err := getReview(ctx, tx, a.Tenant, prevID)
		if err != nil {
			return err
		}
		if prev.State != StateHeld && prev.State != StateClosed {
			return apperr.Conflict("reviews.error.next_not_held")
		}
		var code string
		err = tx.QueryRowContext(ctx, `SELECT code FROM reviews WHERE tenant_id = $1 AND previous_id = $2 AND state <> $3 LIMIT 1`, a.Tenant, prevID, StateCancelled).Scan(&code)
		if err == nil {
			return &apperr.Error{Kind: apperr.KindConflict, Key: "reviews.error.next_exists", Args: map[string]any{"Code": code}}
		}
		if err != sql.ErrNoRows {
			return fmt.Errorf("cannot look for the next review: %w", err)
		}
		in := NextInput(prev)
		// People who left since are not carried over.
		kept := in.Participants[:0]
		for _, id := range in.Participants {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, a.Tenant, id).Scan(&n); err != nil {
				return fmt.Errorf("cannot check participant: %w", err)
			}
			if n > 0 {
				kept = append(kept, id)
			}
		}
		in.Participants = kept
		if err := in.Validate(); err != nil {
			return err
		}
		out, err = s.create(ctx, tx, a, in, prevID)
		return err
	})
	return out, err
}
