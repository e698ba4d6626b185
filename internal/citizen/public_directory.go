package citizen

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"cadran/internal/textutil"
)

// PublicInstitution is an institution whose public pages are open, as the
// directory of public pages lists it: nothing but its name and where it is.
type PublicInstitution struct {
	Name   string
	CUI    string
	County string
}

// PublicInstitutions lists the institutions whose public pages are open
// (an institution that never saved its settings has them open by default),
// sorted by county and name as people read them (diacritics folded), with
// no one signed in.
func (s *Service) PublicInstitutions(ctx context.Context) ([]PublicInstitution, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT i.name, i.cui, i.county FROM institutions i
		LEFT JOIN citizen_settings c ON c.tenant_id = i.id
		WHERE c.tenant_id IS NULL OR c.public_enabled`)
	if err != nil {
		return nil, fmt.Errorf("cannot list public institutions: %w", err)
	}
	defer rows.Close()
	var out []PublicInstitution
	for rows.Next() {
		var p PublicInstitution
		if err := rows.Scan(&p.Name, &p.CUI, &p.County); err != nil {
			return nil, fmt.Errorf("cannot read public institution: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot list public institutions: %w", err)
	}
	slices.SortFunc(out, func(a, b PublicInstitution) int {
		return cmp.Or(cmp.Compare(textutil.Fold(a.County), textutil.Fold(b.County)), cmp.Compare(textutil.Fold(a.Name), textutil.Fold(b.Name)), cmp.Compare(a.CUI, b.CUI))
	})
	return out, nil
}
