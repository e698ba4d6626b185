package training

import (
	"context"
	"fmt"
	"math"
)

// grpFillProgress computes the progress of a page of groups in two
// queries, whatever the page's size: the programmes per group, and the
// members' figures per group and category.
//
// A member counts while they have not left. Hours are those attended in
// the group's programmes (withdrawn enrolments left out); a member is
// trained when they completed at least one of the group's programmes and
// completed when they completed every one of them; certified when they
// hold a certificate (not revoked) from one of them.
func grpFillProgress(ctx context.Context, q querier, tenant int64, gs []Group) error {
	if len(gs) == 0 {
		return nil
	}
	ids := make([]int64, len(gs))
	at := map[int64]int{}
	for i, g := range gs {
		ids[i] = g.ID
		at[g.ID] = i
		gs[i].Progress = GroupProgress{ByCategory: make([]CategoryProgress, len(Categories))}
		for c, name := range Categories {
			gs[i].Progress.ByCategory[c].Category = name
		}
	}
	list, args := sesInList(ids, []any{tenant})
	rows, err := q.QueryContext(ctx, `SELECT group_id, COUNT(*) FROM training_programmes
		WHERE tenant_id = $1 AND group_id IN (`+list+`) GROUP BY group_id`, args...)
	if err != nil {
		return fmt.Errorf("cannot count the groups' programmes: %w", err)
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return fmt.Errorf("cannot count the groups' programmes: %w", err)
		}
		gs[at[id]].Progress.Programmes = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot count the groups' programmes: %w", err)
	}

	// The enrolments are read from the groups' programmes down (their
	// index, the sessions', then the enrolments' by session); whether a
	// member is certified is looked up per member through the
	// certificates' person index.
	rows, err = q.QueryContext(ctx, `WITH gp AS (
			SELECT p.group_id, COUNT(*) AS n FROM training_programmes p
			WHERE p.tenant_id = $1 AND p.group_id IN (`+list+`) GROUP BY p.group_id),
		e AS (
			SELECT p.group_id, e.person_id,
				COUNT(DISTINCT CASE WHEN e.state = 'completed' THEN p.id END) AS done,
				SUM(CASE WHEN e.state <> 'withdrawn' THEN e.hours ELSE 0 END) AS hours
			FROM training_enrolments e
			JOIN training_sessions s ON s.tenant_id = e.tenant_id AND s.id = e.session_id
			JOIN training_programmes p ON p.tenant_id = s.tenant_id AND p.id = s.programme_id
			WHERE e.tenant_id = $1 AND p.group_id IN (`+list+`)
			GROUP BY p.group_id, e.person_id)
		SELECT m.group_id, m.category, COUNT(*),
			SUM(CASE WHEN COALESCE(e.done, 0) > 0 THEN 1 ELSE 0 END),
			SUM(CASE WHEN COALESCE(gp.n, 0) > 0 AND COALESCE(e.done, 0) >= gp.n THEN 1 ELSE 0 END),
			COALESCE(SUM(e.hours), 0.0),
			SUM(CASE WHEN EXISTS (SELECT 1 FROM training_certificates c
					JOIN training_programmes cp ON cp.tenant_id = c.tenant_id AND cp.id = c.programme_id
					WHERE c.tenant_id = m.tenant_id AND c.person_id = m.person_id AND NOT c.revoked AND cp.group_id = m.group_id)
				THEN 1 ELSE 0 END)
		FROM training_group_members m
		LEFT JOIN gp ON gp.group_id = m.group_id
		LEFT JOIN e ON e.group_id = m.group_id AND e.person_id = m.person_id
		WHERE m.tenant_id = $1 AND m.group_id IN (`+list+`) AND m.left_on = ''
		GROUP BY m.group_id, m.category`, args...)
	if err != nil {
		return fmt.Errorf("cannot compute the groups' progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var category string
		var members, trained, completed, certified int
		var hours float64
		if err := rows.Scan(&id, &category, &members, &trained, &completed, &hours, &certified); err != nil {
			return fmt.Errorf("cannot compute the groups' progress: %w", err)
		}
		p := &gs[at[id]].Progress
		p.Members += members
		p.Trained += trained
		p.Completed += completed
		p.Hours += hours
		p.Certified += certified
		found := false
		for i := range p.ByCategory {
			if p.ByCategory[i].Category == category {
				p.ByCategory[i].Members += members
				p.ByCategory[i].Completed += completed
				found = true
			}
		}
		if !found {
			p.ByCategory = append(p.ByCategory, CategoryProgress{Category: category, Members: members, Completed: completed})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot compute the groups' progress: %w", err)
	}
	for i := range gs {
		p := &gs[i].Progress
		p.Hours = grpRound2(p.Hours)
		if p.Members > 0 {
			p.HoursPerMember = grpRound2(p.Hours / float64(p.Members))
			p.Share = grpRound2(100 * float64(p.Completed) / float64(p.Members))
		}
	}
	return nil
}

// grpRound2 rounds to two decimals (hours, shares).
func grpRound2(x float64) float64 { return math.Round(x*100) / 100 }
