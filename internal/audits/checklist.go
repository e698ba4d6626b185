package audits

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// Item is one question of an audit's checklist and what the audit found.
type Item struct {
	ID         int64     `json:"id"`
	AuditID    int64     `json:"audit_id"`
	Position   int       `json:"position"`
	Clause     string    `json:"clause,omitempty"`
	DocumentID int64     `json:"document_id,omitempty"`
	Source     string    `json:"source"`
	Question   string    `json:"question"`
	Evidence   string    `json:"evidence,omitempty"`
	Notes      string    `json:"notes,omitempty"`
	Verdict    string    `json:"verdict,omitempty"`
	Change     string    `json:"change,omitempty"`
	FollowUpNC int64     `json:"followup_nc_id,omitempty"`
	UpdatedAt  time.Time `json:"-"`
	Version    int       `json:"version"`

	// Filled in by reads: the procedure's code.
	DocCode string `json:"-"`
}

// Result is the item's verdict on the evidence scale ("" when not recorded
// or not applicable).
func (it Item) Result() string {
	if it.Verdict == VerdictNA {
		return ""
	}
	return it.Verdict
}

const itemColumns = `c.id, c.audit_id, c.position, c.clause, COALESCE(c.document_id, 0), c.source, c.question, c.evidence, c.notes, c.verdict, c.change,
	COALESCE(c.followup_nc_id, 0), c.updated_at, c.version, COALESCE(d.code, '')`

const itemFrom = ` FROM audit_checklist c LEFT JOIN documents d ON d.id = c.document_id`

func scanItems(rows *sql.Rows) ([]Item, error) {
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.AuditID, &it.Position, &it.Clause, &it.DocumentID, &it.Source, &it.Question, &it.Evidence, &it.Notes, &it.Verdict, &it.Change,
			&it.FollowUpNC, &it.UpdatedAt, &it.Version, &it.DocCode); err != nil {
			return nil, fmt.Errorf("cannot read checklist: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func checklistOf(ctx context.Context, q querier, tenant, id int64) ([]Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE c.tenant_id = $1 AND c.audit_id = $2 ORDER BY c.position, c.id`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read checklist: %w", err)
	}
	return scanItems(rows)
}

// Checklist lists an audit's checklist in order.
func (s *Service) Checklist(ctx context.Context, a auth.Actor, id int64) ([]Item, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	return checklistOf(ctx, s.DB.R, a.Tenant, id)
}

// ClauseSummary is the checklist's results for one clause.
type ClauseSummary struct {
	Clause string
	// Counts by verdict ("" is not recorded yet).
	Counts map[string]int
	Total  int
	// Worst is the gravest result of its items and findings.
	Worst string
}

// Summarise groups a checklist and its findings by clause, in the
// standard's order; items without a clause come last.
func Summarise(items []Item, findings []Finding) []ClauseSummary {
	by := map[string]*ClauseSummary{}
	var order []string
	get := func(c string) *ClauseSummary {
		if cs, ok := by[c]; ok {
			return cs
		}
		cs := &ClauseSummary{Clause: c, Counts: map[string]int{}}
		by[c] = cs
		order = append(order, c)
		return cs
	}
	for _, it := range items {
		cs := get(it.Clause)
		cs.Counts[it.Verdict]++
		cs.Total++
		cs.Worst = worse(cs.Worst, it.Result())
	}
	for _, f := range findings {
		cs := get(f.Clause)
		cs.Worst = worse(cs.Worst, f.Kind)
	}
	slices.SortFunc(order, func(a, b string) int {
		oa, ok := clauseOrder[a]
		if !ok {
			oa = 1000
		}
		ob, ok := clauseOrder[b]
		if !ok {
			ob = 1000
		}
		return oa - ob
	})
	out := make([]ClauseSummary, len(order))
	for i, c := range order {
		out[i] = *by[c]
	}
	return out
}

// mayWriteChecklist checks that a may change x's checklist now: the team
// or the quality office, before the report is issued.
func mayWriteChecklist(a auth.Actor, x Audit) error {
	if !MayConduct(a, x) {
		return apperr.Forbidden(string(auth.PermAuditsConduct))
	}
	if x.State == StateClosed || x.State == StateCancelled {
		return apperr.Conflict("audits.error.audit_closed")
	}
	return nil
}

// newItem is an item to insert.
type newItem struct {
	clause     string
	document   int64
	source     string
	question   string
	change     string
	followUpNC int64
}

func insertItems(ctx context.Context, tx *sql.Tx, tenant, auditID int64, items []newItem, now time.Time) error {
	var pos int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM audit_checklist WHERE tenant_id = $1 AND audit_id = $2`, tenant, auditID).Scan(&pos); err != nil {
		return fmt.Errorf("cannot read checklist: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_checklist WHERE tenant_id = $1 AND audit_id = $2`, tenant, auditID).Scan(&n); err != nil {
		return fmt.Errorf("cannot read checklist: %w", err)
	}
	if n+len(items) > MaxChecklist {
		return apperr.Conflict("audits.error.checklist_full")
	}
	for _, it := range items {
		pos++
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_checklist (tenant_id, audit_id, position, clause, document_id, source, question, change, followup_nc_id, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, tenant, auditID, pos, it.clause, nullID(it.document), it.source, it.question, it.change, nullID(it.followUpNC), now); err != nil {
			return fmt.Errorf("cannot write checklist: %w", err)
		}
	}
	return nil
}

// generated lists the questions x's clauses and procedures call for that
// its checklist lacks: the bank's questions of each clause without a bank
// item, and the questions of each procedure without a procedure item.
func generated(ctx context.Context, q querier, tenant int64, x Audit, have []Item, locale string, change func(kind, key string) string) ([]newItem, error) {
	var out []newItem
	hasClause := map[string]bool{}
	hasDoc := map[int64]bool{}
	for _, it := range have {
		if it.Source == SourceBank {
			hasClause[it.Clause] = true
		}
		if it.Source == SourceProcedure {
			hasDoc[it.DocumentID] = true
		}
	}
	for _, c := range x.Clauses {
		if hasClause[c] {
			continue
		}
		for _, qq := range Bank[c] {
			out = append(out, newItem{clause: c, source: SourceBank, question: qq.Text(locale), change: change("clause", c)})
		}
	}
	procs, err := proceduresOf(ctx, q, tenant, x.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range procs {
		if hasDoc[p.DocumentID] {
			continue
		}
		clause, err := procedureClause(ctx, q, tenant, p.DocumentID, x.Clauses)
		if err != nil {
			return nil, err
		}
		for _, text := range procedureQuestions(locale, p) {
			out = append(out, newItem{clause: clause, document: p.DocumentID, source: SourceProcedure, question: text, change: change("procedure", fmt.Sprint(p.DocumentID))})
		}
	}
	return out, nil
}

// procedureClause is the clause a procedure's questions answer to: the
// first clause the document is linked to among the audit's, else any it
// is linked to, else 8.1 (operational planning and control).
func procedureClause(ctx context.Context, q querier, tenant, doc int64, chosen []string) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT target_key FROM document_links WHERE tenant_id = $1 AND document_id = $2 AND target = 'iso_clause'`, tenant, doc)
	if err != nil {
		return "", fmt.Errorf("cannot read document links: %w", err)
	}
	defer rows.Close()
	var linked []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", fmt.Errorf("cannot read document links: %w", err)
		}
		if _, ok := frameworks.ISOClause(c); ok {
			linked = append(linked, c)
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	linked, _ = NormClauses(linked)
	for _, c := range linked {
		if slices.Contains(chosen, c) {
			return c, nil
		}
	}
	if len(linked) > 0 {
		return linked[0], nil
	}
	return "8.1", nil
}

// Generate adds to the checklist the questions of the audit's clauses and
// procedures that it lacks, in the actor's language; it returns how many
// it added.
func (s *Service) Generate(ctx context.Context, a auth.Actor, id int64) (int, error) {
	now := s.Clock.Now()
	added := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := mayWriteChecklist(a, x); err != nil {
			return err
		}
		have, err := checklistOf(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		items, err := generated(ctx, tx, a.Tenant, x, have, a.Locale, func(string, string) string { return "" })
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		if err := insertItems(ctx, tx, a.Tenant, id, items, now); err != nil {
			return err
		}
		added = len(items)
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "audit_checklist", EntityID: id,
			Summary: fmt.Sprintf("%s: %d", x.Code, added), After: map[string]any{"added": added, "clauses": x.Clauses, "procedures": x.Procedures}})
	})
	return added, err
}

// ItemInput is a question added by hand.
type ItemInput struct {
	Clause   string
	Question string
}

// AddItem adds a question by hand.
func (s *Service) AddItem(ctx context.Context, a auth.Actor, id int64, in ItemInput) (Item, error) {
	in.Clause, in.Question = strings.TrimSpace(in.Clause), strings.TrimSpace(textutil.CleanText(in.Question))
	v := apperr.Validation{}
	switch {
	case in.Question == "":
		v.Add("item_question", "error.required")
	case tooLong(in.Question, MaxText):
		v.Add("item_question", "error.too_long")
	}
	if in.Clause != "" {
		if _, ok := frameworks.ISOClause(in.Clause); !ok {
			v.Add("item_clause", "error.choice")
		}
	}
	if err := v.Err(); err != nil {
		return Item{}, err
	}
	now := s.Clock.Now()
	var out Item
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := mayWriteChecklist(a, x); err != nil {
			return err
		}
		if err := insertItems(ctx, tx, a.Tenant, id, []newItem{{clause: in.Clause, source: SourceManual, question: in.Question}}, now); err != nil {
			return err
		}
		items, err := checklistOf(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		out = items[len(items)-1]
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "audit_checklist_item", EntityID: out.ID,
			Summary: x.Code + ": " + clip(out.Question, 120), After: out})
	})
	return out, err
}

// ItemUpdate is what the checklist form sends for one item.
type ItemUpdate struct {
	ID       int64
	Question string
	Evidence string
	Notes    string
	Verdict  string
	Version  int
}

// ItemError is a validation error of one checklist item: the form shows
// it beside the item.
type ItemError struct {
	ItemID int64
	Field  string
	Key    string
}

func (e *ItemError) Error() string {
	return fmt.Sprintf("checklist item %d: %s %s", e.ItemID, e.Field, e.Key)
}

// As lets apperr.AsValidation find the error, under the item's field name.
func (e *ItemError) As(target any) bool {
	if v, ok := target.(*apperr.Validation); ok {
		*v = apperr.Validation{fmt.Sprintf("%s_%d", e.Field, e.ItemID): e.Key}
		return true
	}
	return false
}

// SaveItems records the checklist as the form sends it: the question's
// wording, the evidence, notes and verdict of each item that changed. A
// verdict is recorded only once the fieldwork has started. A stale item
// refuses the whole form, so nothing typed is silently lost.
func (s *Service) SaveItems(ctx context.Context, a auth.Actor, id int64, ups []ItemUpdate) (int, error) {
	now := s.Clock.Now()
	changed := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := mayWriteChecklist(a, x); err != nil {
			return err
		}
		items, err := checklistOf(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		byID := map[int64]Item{}
		for _, it := range items {
			byID[it.ID] = it
		}
		for _, up := range ups {
			before, ok := byID[up.ID]
			if !ok {
				return apperr.NotFound("audit_checklist_item")
			}
			up.Question = strings.TrimSpace(textutil.CleanText(up.Question))
			up.Evidence = strings.TrimSpace(textutil.CleanText(up.Evidence))
			up.Notes = strings.TrimSpace(textutil.CleanText(up.Notes))
			if up.Question == "" {
				up.Question = before.Question
			}
			if up.Question == before.Question && up.Evidence == before.Evidence && up.Notes == before.Notes && up.Verdict == before.Verdict {
				continue
			}
			switch {
			case tooLong(up.Question, MaxText):
				return &ItemError{up.ID, "question", "error.too_long"}
			case tooLong(up.Evidence, MaxText):
				return &ItemError{up.ID, "evidence", "error.too_long"}
			case tooLong(up.Notes, MaxText):
				return &ItemError{up.ID, "notes", "error.too_long"}
			case up.Verdict != "" && !slices.Contains(Verdicts, up.Verdict):
				return &ItemError{up.ID, "verdict", "error.choice"}
			case up.Verdict != before.Verdict && x.State == StatePlanned:
				return &ItemError{up.ID, "verdict", "audits.error.not_started"}
			case up.Verdict != "" && up.Verdict != VerdictConform && up.Verdict != VerdictNA && up.Evidence == "" && up.Notes == "":
				return &ItemError{up.ID, "evidence", "audits.error.evidence_required"}
			}
			if before.Version != up.Version {
				return apperr.Stale()
			}
			res, err := tx.ExecContext(ctx, `UPDATE audit_checklist SET question = $1, evidence = $2, notes = $3, verdict = $4, updated_at = $5, version = version + 1
				WHERE tenant_id = $6 AND audit_id = $7 AND id = $8 AND version = $9`, up.Question, up.Evidence, up.Notes, up.Verdict, now, a.Tenant, id, up.ID, up.Version)
			if err != nil {
				return fmt.Errorf("cannot save checklist: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Stale()
			}
			after := before
			after.Question, after.Evidence, after.Notes, after.Verdict, after.Version = up.Question, up.Evidence, up.Notes, up.Verdict, before.Version+1
			if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "audit_checklist_item", EntityID: up.ID,
				Summary: x.Code + ": " + clip(after.Question, 120), Before: before, After: after}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// DeleteItem removes a question no verdict or finding was recorded on.
func (s *Service) DeleteItem(ctx context.Context, a auth.Actor, id, itemID int64) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := mayWriteChecklist(a, x); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE c.tenant_id = $1 AND c.audit_id = $2 AND c.id = $3`, a.Tenant, id, itemID)
		if err != nil {
			return fmt.Errorf("cannot read checklist: %w", err)
		}
		items, err := scanItems(rows)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return apperr.NotFound("audit_checklist_item")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_findings WHERE tenant_id = $1 AND item_id = $2`, a.Tenant, itemID).Scan(&n); err != nil {
			return fmt.Errorf("cannot read findings: %w", err)
		}
		if items[0].Verdict != "" || n > 0 {
			return apperr.Conflict("audits.error.item_recorded")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_checklist WHERE tenant_id = $1 AND audit_id = $2 AND id = $3`, a.Tenant, id, itemID); err != nil {
			return fmt.Errorf("cannot delete checklist item: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "audit_checklist_item", EntityID: itemID,
			Summary: x.Code + ": " + clip(items[0].Question, 120), Before: items[0]})
	})
}
