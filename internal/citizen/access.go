package citizen

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// PortalActor names the public pages in the audit trail: what a citizen
// files or rates is recorded as done by them, with no user.
const PortalActor = "Portal public"

// accessAlphabet has no 0, O, 1, I or L, which people misread.
const accessAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// AccessCodeLen is the number of characters of an access code (about 59
// bits of chance), shown in groups of four: "ABCD-EFGH-JKMN".
const AccessCodeLen = 12

// GenerateAccessCode makes a new private access code, grouped for reading.
func GenerateAccessCode() (string, error) {
	var b strings.Builder
	max := big.NewInt(int64(len(accessAlphabet)))
	for i := range AccessCodeLen {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("cannot make an access code: %w", err)
		}
		b.WriteByte(accessAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// NormalizeAccessCode is a code as typed, with dashes and spaces dropped
// and letters in capitals.
func NormalizeAccessCode(code string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

// HashAccessCode is what the registry keeps of a code: the hex SHA-256 of
// the normalised code.
func HashAccessCode(code string) string {
	h := sha256.Sum256([]byte(NormalizeAccessCode(code)))
	return hex.EncodeToString(h[:])
}

// PublicInput is what a citizen sends from the public page.
type PublicInput struct {
	Kind       string // petition or info (service: with ServiceID)
	Petitioner Petitioner
	Consent    bool
	Subject    string
	Body       string
	ServiceID  int64
	// Topic is optional ("other" when empty).
	Topic string
}

// File registers a case a citizen sent from the public page (channel
// online; consent required), with no one signed in. The petitioner must
// give their name and an e-mail address; an application for a service
// goes to the service's unit. Refused with a conflict
// ("citizen.reg.error.public_closed") when the institution closed its
// public pages. Rate limits are the web layer's.
func (s *Service) File(ctx context.Context, tenant int64, in PublicInput) (Receipt, error) {
	ci := CaseInput{Kind: in.Kind, Channel: ChannelOnline, Petitioner: in.Petitioner, Consent: in.Consent,
		Subject: in.Subject, Body: in.Body, Topic: in.Topic, ServiceID: in.ServiceID}
	err := ci.Validate()
	v, _ := apperr.AsValidation(err)
	if err != nil && v == nil {
		return Receipt{}, err
	}
	if v == nil {
		v = apperr.Validation{}
	}
	if textutil.Clean(in.Petitioner.Name) == "" {
		// Online, nobody files anonymously: the registry would only file it away.
		v.Add(FieldName, "error.required")
	}
	if !in.Consent {
		v.Add(FieldConsent, "citizen.reg.error.consent")
	}
	if err := v.Err(); err != nil {
		return Receipt{}, err
	}
	a := auth.SystemActor(tenant, PortalActor)
	var out Receipt
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		st, err := settingsOf(ctx, tx, tenant)
		if err != nil {
			return err
		}
		if !st.PublicEnabled {
			return apperr.Conflict("citizen.reg.error.public_closed")
		}
		out, err = s.register(ctx, tx, a, ci, true)
		return err
	})
	return out, err
}

// PublicStatus is what a citizen sees of their case with its number and
// access code: no internal notes, no names of staff.
type PublicStatus struct {
	Number            string
	Kind              string
	Subject           string
	ServiceName       string
	RegisteredOn      time.Time
	DueOn             time.Time
	State             string
	UnitName          string
	Extended          bool
	ExtensionNoticeOn time.Time
	RedirectedTo      string
	ClosedOn          time.Time
	Answer            string
	AnswerKind        string
	// CanRate: answered and not yet rated.
	CanRate bool
}

// dummyHash is compared with when no case matches, so a wrong number
// takes as long as a wrong code.
var dummyHash = HashAccessCode("XXXX-XXXX-XXXX")

// caseByCode finds the case a number and code open: any mismatch, an
// unknown number, a case with no code (an anonymous one filed away) is the
// same not-found error.
func caseByCode(ctx context.Context, q querier, tenant int64, number, code string) (Case, error) {
	notFound := apperr.NotFound(EntityCase)
	given := HashAccessCode(code)
	seq, year, ok := ParseNumber(number)
	stored := dummyHash
	var id int64
	if ok {
		err := q.QueryRowContext(ctx, `SELECT id, access_hash FROM citizen_cases WHERE tenant_id = $1 AND year = $2 AND seq = $3`, tenant, year, seq).Scan(&id, &stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			stored, id = dummyHash, 0
		case err != nil:
			return Case{}, fmt.Errorf("cannot read case: %w", err)
		}
	}
	match := subtle.ConstantTimeCompare([]byte(given), []byte(stored)) == 1
	if !match || id == 0 || stored == "" || NormalizeAccessCode(code) == "" {
		return Case{}, notFound
	}
	c, err := getCase(ctx, q, tenant, id)
	if err != nil {
		return Case{}, notFound
	}
	if c.State == StateFiled && c.Anonymous() {
		return Case{}, notFound
	}
	return c, nil
}

// canRate: an answered or refused case its petitioner has not rated yet.
func canRate(c Case) bool { return (c.State == StateAnswered || c.State == StateRefused) && !c.Rated }

// Status finds a case by its number and access code; a wrong number or
// code is the same not-found error, and a code never opens another case.
func (s *Service) Status(ctx context.Context, tenant int64, number, code string) (PublicStatus, error) {
	c, err := caseByCode(ctx, s.DB.R, tenant, number, code)
	if err != nil {
		return PublicStatus{}, err
	}
	return PublicStatus{Number: c.Number, Kind: c.Kind, Subject: c.Subject, ServiceName: c.ServiceName, RegisteredOn: c.RegisteredOn,
		DueOn: c.DueOn, State: c.State, UnitName: c.UnitName, Extended: c.Extended(), ExtensionNoticeOn: c.ExtensionNoticeOn,
		RedirectedTo: c.RedirectedTo, ClosedOn: c.ClosedOn, Answer: c.Answer, AnswerKind: c.AnswerKind, CanRate: canRate(c)}, nil
}

// ratingEvent is what the audit trail keeps of a rating: nothing that
// points to the case or the petitioner, and not the comment.
type ratingEvent struct {
	ServiceID int64  `json:"service_id,omitempty"`
	Kind      string `json:"kind"`
	Channel   string `json:"channel"`
	Rating    int    `json:"rating"`
	GivenOn   string `json:"given_on"`
}

// RateCase stores the petitioner's anonymous rating of an answered case,
// once: the case is marked rated, and the rating is kept apart with the
// case's service and kind only. The case's flag is not audited: an event
// on the case next to the rating's would tie the rating back to it.
func (s *Service) RateCase(ctx context.Context, tenant int64, number, code string, rating int, comment string) error {
	comment = textutil.CleanText(comment)
	v := apperr.Validation{}
	if rating < 1 || rating > 5 {
		v.Add(FieldRating, "citizen.reg.error.rating")
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		v.Add(FieldComment, "error.too_long")
	}
	if err := v.Err(); err != nil {
		return err
	}
	now := s.Clock.Now()
	today := work.Day(now)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := caseByCode(ctx, tx, tenant, number, code)
		if err != nil {
			return err
		}
		if !canRate(c) {
			if c.Rated {
				return apperr.Conflict("citizen.reg.error.rated")
			}
			return apperr.Conflict("citizen.reg.error.not_answered")
		}
		res, err := tx.ExecContext(ctx, `UPDATE citizen_cases SET rated = $1 WHERE tenant_id = $2 AND id = $3 AND NOT rated`, true, tenant, c.ID)
		if err != nil {
			return fmt.Errorf("cannot rate case: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Conflict("citizen.reg.error.rated")
		}
		ev := ratingEvent{ServiceID: c.ServiceID, Kind: c.Kind, Channel: FeedbackAnswer, Rating: rating, GivenOn: dayText(today)}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO citizen_feedback (tenant_id, service_id, kind, channel, rating, comment, given_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, tenant, nullID(c.ServiceID), c.Kind, FeedbackAnswer, rating, comment, ev.GivenOn, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot store rating: %w", err)
		}
		if err := stRated(ctx, tx, tenant, c.ServiceID, c.Kind, ev.GivenOn, rating); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: tenant, Actor: auth.SystemActor(tenant, PortalActor).Audit(), Action: audit.ActionCreate,
			Entity: EntityFeedback, EntityID: id, Summary: fmt.Sprintf("%d/5", rating), After: ev})
	})
}
