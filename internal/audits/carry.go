package audits

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
)

// carryChecklist starts x's checklist from prev's, an earlier audit of the
// same unit or process: the questions of the clauses and procedures still
// in scope are copied with their verdicts, evidence and notes reset; a
// procedure with another edition in force since is marked; the questions
// of clauses and procedures new to the scope are added and marked; and each
// finding of prev whose case is still open becomes a follow-up question.
func (s *Service) carryChecklist(ctx context.Context, tx *sql.Tx, a auth.Actor, x, prev Audit, now time.Time) error {
	prevItems, err := checklistOf(ctx, tx, a.Tenant, prev.ID)
	if err != nil {
		return err
	}
	prevProcs, err := proceduresOf(ctx, tx, a.Tenant, prev.ID)
	if err != nil {
		return err
	}
	nowProcs, err := proceduresOf(ctx, tx, a.Tenant, x.ID)
	if err != nil {
		return err
	}
	planned := map[int64][2]int{}
	for _, p := range prevProcs {
		planned[p.DocumentID] = [2]int{p.Edition, p.Revision}
	}
	current := map[int64][2]int{}
	for _, p := range nowProcs {
		current[p.DocumentID] = [2]int{p.Edition, p.Revision}
	}
	var items []newItem
	var kept []Item
	for _, it := range prevItems {
		switch it.Source {
		case SourceFollowUp:
			continue
		case SourceProcedure:
			cur, ok := current[it.DocumentID]
			if !ok {
				continue
			}
			change := ""
			if was, ok := planned[it.DocumentID]; ok && was != cur {
				change = ChangeNewEdition
			}
			items = append(items, newItem{clause: it.Clause, document: it.DocumentID, source: it.Source, question: it.Question, change: change})
		default:
			if it.Clause != "" && !slices.Contains(x.Clauses, it.Clause) {
				continue
			}
			items = append(items, newItem{clause: it.Clause, source: it.Source, question: it.Question})
		}
		kept = append(kept, Item{Source: it.Source, Clause: it.Clause, DocumentID: it.DocumentID})
	}
	more, err := generated(ctx, tx, a.Tenant, x, kept, a.Locale, func(kind, key string) string {
		switch kind {
		case "clause":
			if !slices.Contains(prev.Clauses, key) {
				return ChangeClauseAdded
			}
		case "procedure":
			var doc int64
			fmt.Sscan(key, &doc)
			if _, ok := planned[doc]; !ok {
				return ChangeProcedureAdded
			}
		}
		return ""
	})
	if err != nil {
		return err
	}
	items = append(items, more...)
	findings, err := findingsOf(ctx, tx, a.Tenant, prev.ID)
	if err != nil {
		return err
	}
	followUps := 0
	for _, f := range findings {
		if !f.NCOpen() {
			continue
		}
		items = append(items, newItem{clause: f.Clause, source: SourceFollowUp, question: followUpQuestion(a.Locale, prev.Code, f.Evidence, f.NCCode), change: ChangeFollowUp, followUpNC: f.NCID})
		followUps++
	}
	if len(items) == 0 {
		return nil
	}
	if err := insertItems(ctx, tx, a.Tenant, x.ID, items, now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "audit_checklist", EntityID: x.ID,
		Summary: fmt.Sprintf("%s ← %s: %d", x.Code, prev.Code, len(items)), After: map[string]any{"from": prev.Code, "items": len(items), "followups": followUps}})
}

// FromPrevious is the plan of a new audit started from prev: its subject,
// scope, criteria, clauses, procedures, team and auditees, dated a year
// later; the caller shows it as a form before Create.
func FromPrevious(prev Audit) PlanInput {
	shift := func(day string) string {
		d, ok := parseDay(day)
		if !ok {
			return ""
		}
		return d.AddDate(1, 0, 0).Format(time.DateOnly)
	}
	return PlanInput{Title: prev.Title, UnitID: prev.UnitID, Process: prev.Process, Scope: prev.Scope, Criteria: prev.Criteria,
		Clauses: slices.Clone(prev.Clauses), Procedures: slices.Clone(prev.Procedures), LeadID: prev.LeadID, Team: slices.Clone(prev.Team),
		Auditees: prev.Auditees, StartOn: shift(prev.StartOn), EndOn: shift(prev.EndOn), PreviousID: prev.ID}
}
