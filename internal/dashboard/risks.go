package dashboard

import (
	"context"
	"fmt"

	"cadran/internal/auth"
	"cadran/internal/risks"
)

// UnitRisk is a risk of a unit's register in a short list.
type UnitRisk struct {
	ID          int64
	Code        string
	Description string
	Unit        string
	Exposure    int
	Band        string // low, medium, high
	Above       bool   // above the institution's tolerance
}

// UnitRisks are the active risks of a set of units in a year's register,
// counted by exposure band, with the highest first.
type UnitRisks struct {
	Year              int
	Total, Above      int
	Low, Medium, High int
	Top               []UnitRisk
}

// UnitRisks counts the active risks (not opportunities) of year owned by
// units, by the band of their current exposure under st, and lists the
// limit highest. The caller has checked that the actor leads the units.
func (s *Service) UnitRisks(ctx context.Context, a auth.Actor, units []int64, year int, st risks.Settings, limit int) (UnitRisks, error) {
	out := UnitRisks{Year: year}
	if err := a.Require(auth.PermRisksView); err != nil {
		return out, err
	}
	if len(units) == 0 {
		return out, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.id, r.code, r.description, COALESCE(u.name, ''), r.cur_e
		FROM risks r LEFT JOIN units u ON u.id = r.unit_id AND u.tenant_id = r.tenant_id
		WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3 AND r.kind = $4 AND r.unit_id IN (`+idList(units)+`)
		ORDER BY r.cur_e DESC, r.sort_code`, a.Tenant, year, risks.StateActive, risks.KindRisk)
	if err != nil {
		return out, fmt.Errorf("cannot list the unit's risks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r UnitRisk
		if err := rows.Scan(&r.ID, &r.Code, &r.Description, &r.Unit, &r.Exposure); err != nil {
			return out, fmt.Errorf("cannot list the unit's risks: %w", err)
		}
		r.Band = st.Band(r.Exposure)
		r.Above = r.Exposure > st.Tolerance
		out.Total++
		if r.Above {
			out.Above++
		}
		switch r.Band {
		case "low":
			out.Low++
		case "medium":
			out.Medium++
		default:
			out.High++
		}
		if len(out.Top) < limit {
			out.Top = append(out.Top, r)
		}
	}
	return out, rows.Err()
}
