package crosswalk

import (
	"context"
	"slices"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/textutil"
)

// Filter narrows a framework's readiness.
type Filter struct {
	Status string // a Statuses value
	Query  string // code or title, diacritics ignored
	Sort   string // code, direct, through, status; "-" reverses
	Limit  int
	Offset int
}

// ReadinessSorts lists the sort keys of the readiness list.
func ReadinessSorts() []string { return []string{"code", "direct", "through", "status"} }

// Readiness is every item of one framework with its evidence counts.
type Readiness struct {
	FW    string
	Rows  []Item
	Total int
	// ByStatus counts every item by status, before the filter (not
	// applicable ISO clauses apart).
	ByStatus map[string]int
	// Items counts the items that apply; Ready those with any evidence,
	// DirectReady those with evidence linked to them.
	Items, Ready, DirectReady int
	NotApplicable             int
	Context                   Context
}

// Percent is the share of items with evidence, direct or through the
// crosswalk.
func (r Readiness) Percent() int { return percent(r.Ready, r.Items) }

// DirectPercent is the share of items with evidence linked to them.
func (r Readiness) DirectPercent() int { return percent(r.DirectReady, r.Items) }

func percent(a, b int) int {
	if b == 0 {
		return 0
	}
	return a * 100 / b
}

// Readiness lists the items of fw matching f: evidence linked directly,
// evidence through the crosswalk, and the status.
func (s *Service) Readiness(ctx context.Context, a auth.Actor, fw string, f Filter) (Readiness, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Readiness{}, err
	}
	if !ValidFramework(fw) {
		return Readiness{}, apperr.NotFound("crosswalk_framework")
	}
	ix, err := s.index(ctx, a)
	if err != nil {
		return Readiness{}, err
	}
	out := Readiness{FW: fw, ByStatus: map[string]int{}, Context: ix.ctx}
	q := textutil.Fold(strings.TrimSpace(f.Query))
	var rows []Item
	for _, r := range Items(fw) {
		it := ix.item(r)
		if it.NotApplicable {
			out.NotApplicable++
		} else {
			out.Items++
			out.ByStatus[it.Status()]++
			if it.Direct+it.Through > 0 {
				out.Ready++
			}
			if it.Direct > 0 {
				out.DirectReady++
			}
		}
		if f.Status != "" && (it.Status() != f.Status || it.NotApplicable) {
			continue
		}
		if q != "" && !strings.Contains(textutil.Fold(r.Code+" "+r.Title("ro")+" "+r.Title("en")), q) {
			continue
		}
		rows = append(rows, it)
	}
	sortItems(rows, f.Sort)
	out.Total = len(rows)
	limit := f.Limit
	if limit <= 0 {
		limit = len(rows)
	}
	start := min(max(0, f.Offset), len(rows))
	out.Rows = rows[start:min(len(rows), start+limit)]
	return out, nil
}

func sortItems(rows []Item, sort string) {
	key, desc := strings.CutPrefix(sort, "-")
	by := func(a, b Item) int {
		switch key {
		case "direct":
			return a.Direct - b.Direct
		case "through":
			return a.Through - b.Through
		case "status":
			return slices.Index(Statuses, a.Status()) - slices.Index(Statuses, b.Status())
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b Item) int {
		c := by(a, b)
		if desc {
			c = -c
		}
		if c == 0 {
			c = Compare(a.Ref, b.Ref)
			if desc && key == "code" {
				c = -c
			}
		}
		return c
	})
}
