package dashboard

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/work"
)

// Quarter is a calendar quarter: its number (1-4), year and days.
type Quarter struct {
	Year, N  int
	From, To string // YYYY-MM-DD, both included
}

// QuarterOf is the quarter holding day t (Bucharest calendar).
func QuarterOf(now time.Time) Quarter {
	d := work.Day(now)
	n := (int(d.Month())-1)/3 + 1
	from := time.Date(d.Year(), time.Month(3*n-2), 1, 0, 0, 0, 0, time.UTC)
	return Quarter{Year: d.Year(), N: n, From: day(from), To: day(from.AddDate(0, 3, -1))}
}

// QuarterAudit is an internal audit whose dates fall in the quarter.
type QuarterAudit struct {
	ID             int64
	Code, Title    string
	Unit           string
	StartOn, EndOn string
	State          string
}

// QuarterAudits lists the internal audits (not cancelled) whose dates meet
// the current quarter, in date order.
func (s *Service) QuarterAudits(ctx context.Context, a auth.Actor) (Quarter, []QuarterAudit, error) {
	q := QuarterOf(s.Clock.Now())
	if err := a.Require(auth.PermAuditsView); err != nil {
		return q, nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT x.id, x.code, x.title, COALESCE(u.name, ''), x.start_on, x.end_on, x.state
		FROM internal_audits x LEFT JOIN units u ON u.id = x.unit_id AND u.tenant_id = x.tenant_id
		WHERE x.tenant_id = $1 AND x.year IN ($2, $3) AND x.state <> $4 AND x.start_on <= $5 AND x.end_on >= $6
		ORDER BY x.start_on, x.id`, a.Tenant, q.Year, q.Year-1, audits.StateCancelled, q.To, q.From)
	if err != nil {
		return q, nil, fmt.Errorf("cannot list the quarter's audits: %w", err)
	}
	defer rows.Close()
	var out []QuarterAudit
	for rows.Next() {
		var x QuarterAudit
		if err := rows.Scan(&x.ID, &x.Code, &x.Title, &x.Unit, &x.StartOn, &x.EndOn, &x.State); err != nil {
			return q, nil, fmt.Errorf("cannot list the quarter's audits: %w", err)
		}
		out = append(out, x)
	}
	return q, out, rows.Err()
}
