package documents

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
)

// Recipient is one line of a document's distribution list: a unit (everyone
// in it and in the units under it) or one person.
type Recipient struct {
	UnitID   int64  `json:"unit_id,omitempty"`
	PersonID int64  `json:"person_id,omitempty"`
	Purpose  string `json:"purpose"`
	// Filled in by reads.
	Name string `json:"-"`
}

// Distribution returns a document's distribution list.
func (s *Service) Distribution(ctx context.Context, a auth.Actor, docID int64) ([]Recipient, error) {
	if _, err := s.Document(ctx, a, docID); err != nil {
		return nil, err
	}
	return distribution(ctx, s.DB.R, a.Tenant, docID)
}

func distribution(ctx context.Context, q querier, tenant, doc int64) ([]Recipient, error) {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(r.unit_id, 0), COALESCE(r.person_id, 0), r.purpose, COALESCE(u.name, p.full_name, '')
		FROM document_distribution r LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN people p ON p.id = r.person_id
		WHERE r.tenant_id = $1 AND r.document_id = $2 ORDER BY r.person_id IS NOT NULL, COALESCE(u.sort_name, p.sort_name), r.id`, tenant, doc)
	if err != nil {
		return nil, fmt.Errorf("cannot read distribution: %w", err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.UnitID, &r.PersonID, &r.Purpose, &r.Name); err != nil {
			return nil, fmt.Errorf("cannot read distribution: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetDistribution replaces a document's distribution list. When the document
// is in force, people newly covered receive it at once.
func (s *Service) SetDistribution(ctx context.Context, a auth.Actor, docID int64, list []Recipient, version int) error {
	bad := apperr.Validation{}
	seen := map[[2]int64]bool{}
	for i, r := range list {
		key := [2]int64{r.UnitID, r.PersonID}
		switch {
		case (r.UnitID == 0) == (r.PersonID == 0):
			bad.Add(fmt.Sprintf("recipient_%d", i), "documents.error.recipient")
		case !slices.Contains(Purposes, r.Purpose):
			bad.Add(fmt.Sprintf("recipient_%d", i), "error.choice")
		case seen[key]:
			bad.Add(fmt.Sprintf("recipient_%d", i), "documents.error.recipient_twice")
		}
		seen[key] = true
	}
	if err := bad.Err(); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		d, err := getDocument(ctx, tx, a.Tenant, docID)
		if err != nil {
			return err
		}
		if err := s.requireEdit(ctx, tx, a, d.UnitID); err != nil {
			return err
		}
		if d.Version != version {
			return apperr.Stale()
		}
		before, err := distribution(ctx, tx, a.Tenant, docID)
		if err != nil {
			return err
		}
		for i, r := range list {
			table, id := "units", r.UnitID
			if r.PersonID != 0 {
				table, id = "people", r.PersonID
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE tenant_id = $1 AND id = $2`, a.Tenant, id).Scan(&n); err != nil {
				return fmt.Errorf("cannot check recipient: %w", err)
			}
			if n == 0 {
				return apperr.Validation{fmt.Sprintf("recipient_%d", i): "error.choice"}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM document_distribution WHERE tenant_id = $1 AND document_id = $2`, a.Tenant, docID); err != nil {
			return fmt.Errorf("cannot save distribution: %w", err)
		}
		for _, r := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_distribution (tenant_id, document_id, unit_id, person_id, purpose) VALUES ($1, $2, $3, $4, $5)`,
				a.Tenant, docID, nullID(r.UnitID), nullID(r.PersonID), r.Purpose); err != nil {
				return fmt.Errorf("cannot save distribution: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = $1, version = version + 1 WHERE id = $2`, now, docID); err != nil {
			return fmt.Errorf("cannot save distribution: %w", err)
		}
		after, err := distribution(ctx, tx, a.Tenant, docID)
		if err != nil {
			return err
		}
		if d.CurrentID != 0 {
			cur, err := getVersion(ctx, tx, a.Tenant, d.CurrentID)
			if err != nil {
				return err
			}
			if cur.State == StateInForce {
				if err := s.distribute(ctx, tx, a, d, cur, 0, now); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "document_distribution", EntityID: docID,
			Summary: d.Code, Before: before, After: after})
	})
}

// distribute gives version v to everyone its document's list covers who has
// not received it yet (only person, when not 0): a receipt with a copy
// number and a task to confirm reading it.
func (s *Service) distribute(ctx context.Context, tx *sql.Tx, a auth.Actor, d Document, v Version, person int64, now time.Time) error {
	targets, err := receivers(ctx, tx, d, person)
	if err != nil {
		return err
	}
	return s.issue(ctx, tx, a, d, v, targets, now)
}

// receivers resolves d's distribution list to the people it reaches (only
// person, when not 0), each once.
func receivers(ctx context.Context, tx *sql.Tx, d Document, person int64) ([]receiver, error) {
	// Units cover the units under them; a person named directly keeps their own purpose.
	q := `WITH RECURSIVE covered(unit_id, purpose, root) AS (
			SELECT unit_id, purpose, unit_id FROM document_distribution WHERE tenant_id = $1 AND document_id = $2 AND unit_id IS NOT NULL
			UNION ALL
			SELECT u.id, c.purpose, c.root FROM units u JOIN covered c ON u.parent_id = c.unit_id WHERE u.tenant_id = $1)
		SELECT p.id, MIN(c.purpose), MIN(c.root) FROM people p JOIN covered c ON c.unit_id = p.unit_id
		WHERE p.tenant_id = $1 AND p.active GROUP BY p.id
		UNION
		SELECT r.person_id, r.purpose, COALESCE(p.unit_id, 0) FROM document_distribution r JOIN people p ON p.id = r.person_id
		WHERE r.tenant_id = $1 AND r.document_id = $2 AND p.active`
	rows, err := tx.QueryContext(ctx, q, d.Tenant, d.ID)
	if err != nil {
		return nil, fmt.Errorf("cannot resolve distribution: %w", err)
	}
	var targets []receiver
	seen := map[int64]bool{}
	for rows.Next() {
		var t receiver
		if err := rows.Scan(&t.person, &t.purpose, &t.unit); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot resolve distribution: %w", err)
		}
		if (person != 0 && t.person != person) || seen[t.person] {
			continue
		}
		seen[t.person] = true
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot resolve distribution: %w", err)
	}
	return targets, nil
}

// receiver is one person a version is given to, with the purpose and the
// unit their copy is recorded under.
type receiver struct {
	person  int64
	purpose string
	unit    int64
}

// issue gives version v to each receiver who has not received it yet: a
// receipt with the next copy number and a task to confirm reading it.
func (s *Service) issue(ctx context.Context, tx *sql.Tx, a auth.Actor, d Document, v Version, targets []receiver, now time.Time) error {
	if len(targets) == 0 {
		return nil
	}
	st, err := s.settings(ctx, tx, d.Tenant)
	if err != nil {
		return err
	}
	var copyNo int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(copy_no), 0) FROM document_receipts WHERE version_id = $1`, v.ID).Scan(&copyNo); err != nil {
		return fmt.Errorf("cannot number copies: %w", err)
	}
	due := work.Day(now).AddDate(0, 0, st.AckDays)
	for _, t := range targets {
		res, err := tx.ExecContext(ctx, `INSERT INTO document_receipts (tenant_id, version_id, person_id, copy_no, purpose, unit_id, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version_id, person_id) DO NOTHING`,
			d.Tenant, v.ID, t.person, copyNo+1, t.purpose, nullID(t.unit), now)
		if err != nil {
			return fmt.Errorf("cannot distribute document: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		copyNo++
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: versionRef(v.ID), Kind: work.KindAcknowledge, Title: d.Code + " " + d.Title + " (" + v.Label() + ")",
			Link: versionLink(d, v), Assignee: work.Assignee{PersonID: t.person}, Due: due}); err != nil {
			return err
		}
	}
	return nil
}

// unitDocuments lists the documents in force distributed to unit or to a
// unit above it.
func unitDocuments(ctx context.Context, q querier, tenant, unitID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE up(id) AS (
			SELECT id FROM units WHERE tenant_id = $1 AND id = $2
			UNION ALL
			SELECT u.parent_id FROM units u JOIN up ON u.id = up.id WHERE u.tenant_id = $1 AND u.parent_id IS NOT NULL)
		SELECT DISTINCT d.id FROM documents d JOIN document_distribution r ON r.document_id = d.id
		JOIN document_versions v ON v.id = d.current_id
		WHERE d.tenant_id = $1 AND v.state = $3 AND r.unit_id IN (SELECT id FROM up)`, tenant, unitID, StateInForce)
	if err != nil {
		return nil, fmt.Errorf("cannot find the unit's documents: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot find the unit's documents: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot find the unit's documents: %w", err)
	}
	return ids, nil
}

// PersonPlaced gives a person who joined a unit (a new hire, a move) the
// documents in force distributed to that unit. org calls it inside the
// transaction that placed the person.
func (s *Service) PersonPlaced(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID int64) error {
	if unitID == 0 {
		return nil
	}
	ids, err := unitDocuments(ctx, tx, a.Tenant, unitID)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	for _, id := range ids {
		d, err := getDocument(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		v, err := getVersion(ctx, tx, a.Tenant, d.CurrentID)
		if err != nil {
			return err
		}
		if err := s.distribute(ctx, tx, a, d, v, personID, now); err != nil {
			return err
		}
	}
	return nil
}

// Acknowledge records that the actor read the version in force and closes
// their task.
func (s *Service) Acknowledge(ctx context.Context, a auth.Actor, versionID int64) error {
	if err := a.Require(auth.PermDocsView); err != nil {
		return err
	}
	if a.PersonID == 0 {
		return apperr.Conflict("documents.error.not_recipient")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v, err := getVersion(ctx, tx, a.Tenant, versionID)
		if err != nil {
			return err
		}
		if v.State != StateInForce {
			return apperr.Conflict("documents.error.not_in_force")
		}
		res, err := tx.ExecContext(ctx, `UPDATE document_receipts SET acknowledged_at = $1 WHERE tenant_id = $2 AND version_id = $3 AND person_id = $4 AND acknowledged_at IS NULL`,
			now, a.Tenant, versionID, a.PersonID)
		if err != nil {
			return fmt.Errorf("cannot record acknowledgement: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Conflict("documents.error.not_recipient")
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: versionRef(versionID), Kind: work.KindAcknowledge, PersonID: a.PersonID}, work.StateDone); err != nil {
			return err
		}
		d, err := getDocument(ctx, tx, a.Tenant, v.DocumentID)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionAcknowledge, Entity: "document_version", EntityID: versionID,
			Summary: d.Code + " " + v.Label(), After: map[string]any{"person_id": a.PersonID, "acknowledged_at": now}}); err != nil {
			return err
		}
		if s.OnAcknowledged != nil {
			return s.OnAcknowledged(ctx, tx, a, a.PersonID, d.ID)
		}
		return nil
	})
}

// Receipt is one person's copy of a version.
type Receipt struct {
	PersonID       int64
	Name           string
	JobTitle       string
	UnitID         int64
	UnitName       string
	CopyNo         int
	Purpose        string
	ReceivedAt     time.Time
	AcknowledgedAt *time.Time
}

// UnitReceipts is the acknowledgement tracker's line for one unit.
type UnitReceipts struct {
	UnitID   int64
	UnitName string
	Total    int
	Read     int
	Pending  []Receipt
}

// Receipts returns who received a version and who confirmed reading it,
// and the same per unit with the people still to confirm.
func (s *Service) Receipts(ctx context.Context, a auth.Actor, docID, versionID int64) ([]Receipt, []UnitReceipts, error) {
	view, err := s.Open(ctx, a, docID, versionID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.person_id, p.full_name, p.job_title, COALESCE(p.unit_id, 0), COALESCE(u.name, ''), r.copy_no, r.purpose, r.received_at, r.acknowledged_at
		FROM document_receipts r JOIN people p ON p.id = r.person_id LEFT JOIN units u ON u.id = p.unit_id
		WHERE r.tenant_id = $1 AND r.version_id = $2 ORDER BY r.copy_no`, a.Tenant, view.Version.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read receipts: %w", err)
	}
	defer rows.Close()
	var list []Receipt
	byUnit := map[int64]*UnitReceipts{}
	var order []int64
	for rows.Next() {
		var r Receipt
		var ack sql.NullTime
		if err := rows.Scan(&r.PersonID, &r.Name, &r.JobTitle, &r.UnitID, &r.UnitName, &r.CopyNo, &r.Purpose, &r.ReceivedAt, &ack); err != nil {
			return nil, nil, fmt.Errorf("cannot read receipts: %w", err)
		}
		if ack.Valid {
			r.AcknowledgedAt = &ack.Time
		}
		list = append(list, r)
		u := byUnit[r.UnitID]
		if u == nil {
			u = &UnitReceipts{UnitID: r.UnitID, UnitName: r.UnitName}
			byUnit[r.UnitID] = u
			order = append(order, r.UnitID)
		}
		u.Total++
		if ack.Valid {
			u.Read++
		} else {
			u.Pending = append(u.Pending, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("cannot read receipts: %w", err)
	}
	units := make([]UnitReceipts, 0, len(order))
	for _, id := range order {
		units = append(units, *byUnit[id])
	}
	slices.SortFunc(units, func(x, y UnitReceipts) int {
		if x.UnitName < y.UnitName {
			return -1
		}
		if x.UnitName > y.UnitName {
			return 1
		}
		return 0
	})
	return list, units, nil
}

// MustAcknowledge reports whether the actor still has to confirm reading a version.
func (s *Service) MustAcknowledge(ctx context.Context, a auth.Actor, versionID int64) (bool, error) {
	if a.PersonID == 0 {
		return false, nil
	}
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM document_receipts WHERE tenant_id = $1 AND version_id = $2 AND person_id = $3 AND acknowledged_at IS NULL`,
		a.Tenant, versionID, a.PersonID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("cannot read receipt: %w", err)
	}
	return n > 0, nil
}
