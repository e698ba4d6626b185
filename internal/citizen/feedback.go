package citizen

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// MaxFeedbackComment is the longest comment a rating may carry, in runes.
const MaxFeedbackComment = 1000

// Field names of the rating form.
const (
	FieldFeedbackRating  = "citizen_service_rating"
	FieldFeedbackComment = "citizen_service_comment"
	FieldFeedbackService = "citizen_service_rated"
)

// PublicActor is who the audit trail names for what citizens do on the
// public pages: no one signed in, and nothing personal.
var PublicActor = audit.Actor{ID: 0, Name: "public"}

// FeedbackInput is a citizen's rating from the short link, the QR code or
// the public catalogue.
type FeedbackInput struct {
	ServiceID int64 // zero: the kind's
	Kind      string
	Channel   string
	Rating    int // 1 to 5
	Comment   string
}

// Validate checks the input on its own and trims the comment.
func (in *FeedbackInput) Validate() error {
	v := apperr.Validation{}
	in.Comment = textutil.CleanText(in.Comment)
	if in.Rating < 1 || in.Rating > 5 {
		v.Add(FieldFeedbackRating, "citizen.stats.error.rating")
	}
	if utf8.RuneCountInString(in.Comment) > MaxFeedbackComment {
		v.Add(FieldFeedbackComment, "error.too_long")
	}
	if in.Channel != FeedbackCounter && in.Channel != FeedbackOnline {
		v.Add(FieldFeedbackService, "error.choice")
	}
	if in.ServiceID == 0 && !slices.Contains(Kinds, in.Kind) {
		v.Add(FieldFeedbackService, "error.choice")
	}
	if in.Kind != "" && !slices.Contains(Kinds, in.Kind) {
		v.Add(FieldFeedbackService, "error.choice")
	}
	return v.Err()
}

// Rate stores an anonymous rating, with no one signed in. The rating keeps
// no case, name or address; its audit event names the public pages and
// holds no comment.
func (s *Service) Rate(ctx context.Context, tenant int64, in FeedbackInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if in.ServiceID != 0 && in.Kind == "" {
		in.Kind = KindService
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if in.ServiceID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizen_services WHERE tenant_id = $1 AND id = $2 AND active`, tenant, in.ServiceID).Scan(&n); err != nil {
				return fmt.Errorf("cannot check service: %w", err)
			}
			if n == 0 {
				return apperr.NotFound(EntityService)
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO citizen_feedback (tenant_id, service_id, kind, channel, rating, comment, given_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			tenant, stNullID(in.ServiceID), in.Kind, in.Channel, in.Rating, in.Comment, work.Day(now).Format(time.DateOnly), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record rating: %w", err)
		}
		if err := stRated(ctx, tx, tenant, in.ServiceID, in.Kind, work.Day(now).Format(time.DateOnly), in.Rating); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: tenant, Actor: PublicActor, Action: audit.ActionCreate, Entity: EntityFeedback, EntityID: id,
			Summary: fmt.Sprintf("%d/5", in.Rating),
			After:   map[string]any{"service_id": in.ServiceID, "kind": in.Kind, "channel": in.Channel, "rating": in.Rating, "comment": in.Comment != ""}})
	})
}

// FeedbackFilter selects ratings for the feedback list.
type FeedbackFilter struct {
	ServiceID  int64
	Rating     int
	Channel    string
	HasComment bool
	From, To   time.Time
	Sort       string // given, rating
	Desc       bool
	Page       int
	PerPage    int
}

// FeedbackPage is one page of ratings, the count of all that match and
// their mean.
type FeedbackPage struct {
	Items []Feedback
	Total int
	Mean  float64
}

func (f FeedbackFilter) where(tenant int64) (string, []any) {
	conds := []string{"f.tenant_id = $1"}
	args := []any{tenant}
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.ServiceID != 0 {
		add("f.service_id = $%d", f.ServiceID)
	}
	if f.Rating != 0 {
		add("f.rating = $%d", f.Rating)
	}
	if f.Channel != "" {
		add("f.channel = $%d", f.Channel)
	}
	if f.HasComment {
		conds = append(conds, "f.comment <> ''")
	}
	if !f.From.IsZero() {
		add("f.given_on >= $%d", f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		add("f.given_on <= $%d", f.To.Format(time.DateOnly))
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var feedbackSorts = map[string]string{"given": "f.given_on", "rating": "f.rating"}

// FeedbackList lists ratings (PermCitizenStats), newest first by default.
func (s *Service) FeedbackList(ctx context.Context, a auth.Actor, f FeedbackFilter) (FeedbackPage, error) {
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return FeedbackPage{}, err
	}
	where, args := f.where(a.Tenant)
	var out FeedbackPage
	var mean sql.NullFloat64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*), AVG(f.rating * 1.0) FROM citizen_feedback f`+where, args...).Scan(&out.Total, &mean); err != nil {
		return FeedbackPage{}, fmt.Errorf("cannot count ratings: %w", err)
	}
	out.Mean = mean.Float64
	sortKey := f.Sort
	if _, ok := feedbackSorts[sortKey]; !ok {
		sortKey = "given"
		if f.Sort == "" {
			f.Desc = true
		}
	}
	if f.Desc {
		sortKey = "-" + sortKey
	}
	per := f.PerPage
	if per <= 0 {
		per = db.DefaultPageSize
	}
	order, args := db.OrderPage(feedbackSorts, sortKey, "given", "f.id DESC", per, (max(f.Page, 1)-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT f.id, COALESCE(f.service_id, 0), COALESCE(s.code, ''), COALESCE(s.name, ''), f.kind, f.channel, f.rating, f.comment, f.given_on
		FROM citizen_feedback f LEFT JOIN citizen_services s ON s.id = f.service_id`+where+order, args...)
	if err != nil {
		return FeedbackPage{}, fmt.Errorf("cannot read ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fb Feedback
		var given string
		if err := rows.Scan(&fb.ID, &fb.ServiceID, &fb.ServiceCode, &fb.ServiceName, &fb.Kind, &fb.Channel, &fb.Rating, &fb.Comment, &given); err != nil {
			return FeedbackPage{}, fmt.Errorf("cannot read ratings: %w", err)
		}
		fb.GivenOn = stParseDate(given)
		out.Items = append(out.Items, fb)
	}
	return out, rows.Err()
}
