package citizen

import (
	"context"
	"fmt"
	"strconv"

	"cadran/internal/auth"
	"cadran/internal/work"
)

// exportBatch is how many cases EachCase reads at a time: the batch is read
// whole and its rows closed before any is handed on, so a slow download
// never holds a database connection.
const exportBatch = 1000

// exportColumns are the columns of a case a register export reads: the
// list's, without the texts (body, answer) and contact details it does not
// show.
const exportColumns = `c.id, c.kind, c.year, c.seq, c.number, c.registered_on, c.channel, c.petitioner_name,
	c.subject, c.topic, COALESCE(c.service_id, 0), COALESCE(s.name, ''), COALESCE(c.unit_id, 0), COALESCE(u.name, ''),
	COALESCE(c.assignee_id, 0), COALESCE(p.full_name, ''), c.state, c.due_on, c.answer_kind, c.closed_on`

// EachCase calls fn for every case the actor may see that matches f, in
// the list's order, at most limit of them (f.Page and f.PerPage do not
// apply): the registry's export. It reads the matching ids first, then the
// cases a batch at a time, so a register of any length is never whole in
// memory. The cases carry what the list shows: number, kind, channel,
// dates, subject, topic, service, petitioner's name, unit, assignee, state
// and answer kind; not the texts or the petitioner's contact details.
func (s *Service) EachCase(ctx context.Context, a auth.Actor, f CaseFilter, limit int, fn func(Case) error) error {
	sc, err := s.scope(ctx, s.DB.R, a)
	if err != nil {
		return err
	}
	q, err := s.query(ctx, a.Tenant, sc, f, work.Day(s.Clock.Now()))
	if err != nil {
		return err
	}
	order, _, _ := f.order()
	idq, args := q.page(order, limit, 0)
	rows, err := s.DB.R.QueryContext(ctx, idq, args...)
	if err != nil {
		return fmt.Errorf("cannot list cases: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("cannot list cases: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot list cases: %w", err)
	}
	at := make(map[int64]int, min(len(ids), exportBatch))
	batch := make([]Case, 0, min(len(ids), exportBatch))
	for len(ids) > 0 {
		part := ids[:min(len(ids), exportBatch)]
		ids = ids[len(part):]
		// The ids are written into the query as numbers: a thousand
		// numbered placeholders took SQLite longer to parse than to read
		// the cases (it looks each one up in a list).
		list := make([]byte, 0, len(part)*8)
		for i, id := range part {
			if i > 0 {
				list = append(list, ',')
			}
			list = strconv.AppendInt(list, id, 10)
		}
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+exportColumns+caseFrom+` WHERE c.tenant_id = $1 AND c.id IN (`+string(list)+`)`, a.Tenant)
		if err != nil {
			return fmt.Errorf("cannot list cases: %w", err)
		}
		clear(at)
		for i, id := range part {
			at[id] = i
		}
		batch = batch[:len(part)]
		clear(batch)
		for rows.Next() {
			var c Case
			var reg, due, closed string
			if err := rows.Scan(&c.ID, &c.Kind, &c.Year, &c.Seq, &c.Number, &reg, &c.Channel, &c.Petitioner.Name,
				&c.Subject, &c.Topic, &c.ServiceID, &c.ServiceName, &c.UnitID, &c.UnitName,
				&c.AssigneeID, &c.AssigneeName, &c.State, &due, &c.AnswerKind, &closed); err != nil {
				rows.Close()
				return fmt.Errorf("cannot read case: %w", err)
			}
			c.Tenant = a.Tenant
			c.RegisteredOn, c.DueOn, c.ClosedOn = parseDay(reg), parseDay(due), parseDay(closed)
			if i, ok := at[c.ID]; ok {
				batch[i] = c
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("cannot read case: %w", err)
		}
		for _, c := range batch {
			if c.ID == 0 {
				continue // gone since the ids were read
			}
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}
