package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/notify"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// History writes documents' past in bulk, for the scale generator: ten
// years of a large municipality's register through the service's methods
// would take a quarter of an hour. It writes, step by step and at the
// step's time, exactly the rows and audit events those methods write
// (Create, SaveDraft, NewVersion, Step with its sign-offs, inbox tasks,
// putting in force, distribution and review task, Acknowledge,
// RecordReview), through statements prepared once and one audit recorder,
// keeping the documents' and versions' state in memory. The caller plays
// the steps in time order, as people would have, and calls Finish for each
// document after its last step to write its register entry, its versions'
// final state and sections, and its search text. Nothing else may write the same institution's audit events in tx
// between NewHistory and Close. Inbox tasks notify in the app only, as an
// import's do.
type History struct {
	s       *Service
	tx      *sql.Tx
	tenant  int64
	rec     *audit.Batch
	ackDays int
	stmts   map[string]*sql.Stmt
	titles  map[int64]string // job titles of people, for sign-offs
	persons map[int64]int64  // person of each active user
	userOf  map[int64]int64  // active user of each person
}

// HistoryDoc is a document being written by History.
type HistoryDoc struct {
	Document
	versions []Version        // oldest first, with their sections
	open     map[string][]int // open tasks by ref key
	tasks    []work.Task
}

// Latest returns the version worked on last.
func (hd *HistoryDoc) Latest() Version { return hd.versions[len(hd.versions)-1] }

// NewHistory starts writing the past of tenant's documents in tx.
func (s *Service) NewHistory(ctx context.Context, tx *sql.Tx, tenant int64) (*History, error) {
	st, err := s.settings(ctx, tx, tenant)
	if err != nil {
		return nil, err
	}
	h := &History{s: s, tx: tx, tenant: tenant, ackDays: st.AckDays, stmts: map[string]*sql.Stmt{},
		titles: map[int64]string{}, persons: map[int64]int64{}, userOf: map[int64]int64{}}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.job_title, COALESCE(u.id, 0) FROM people p
		LEFT JOIN users u ON u.tenant_id = p.tenant_id AND u.person_id = p.id AND NOT u.disabled WHERE p.tenant_id = $1 ORDER BY p.id, u.id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read people: %w", err)
	}
	for rows.Next() {
		var person, user int64
		var title string
		if err := rows.Scan(&person, &title, &user); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read people: %w", err)
		}
		h.titles[person] = title
		if user != 0 {
			h.persons[user] = person
			if _, ok := h.userOf[person]; !ok {
				h.userOf[person] = user
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The events go in multi-row INSERTs on PostgreSQL (one round trip per
	// few hundred), one row per prepared execution on SQLite.
	chunk := 1
	if s.DB != nil && s.DB.Engine == db.Postgres {
		chunk = 250
	}
	if h.rec, err = audit.NewBatch(ctx, tx, tenant, chunk); err != nil {
		return nil, err
	}
	return h, nil
}

// Close ends the audit recorder and releases the statements; call it
// before tx commits.
func (h *History) Close(ctx context.Context) error {
	for _, st := range h.stmts {
		st.Close()
	}
	return h.rec.Close(ctx)
}

func (h *History) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := h.stmts[q]; ok {
		return st, nil
	}
	st, err := h.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("cannot prepare: %w", err)
	}
	h.stmts[q] = st
	return st, nil
}

func (h *History) exec(ctx context.Context, q string, args ...any) error {
	st, err := h.stmt(ctx, q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

func (h *History) id(ctx context.Context, q string, args ...any) (int64, error) {
	st, err := h.stmt(ctx, q)
	if err != nil {
		return 0, err
	}
	var id int64
	err = st.QueryRowContext(ctx, args...).Scan(&id)
	return id, err
}

func (h *History) record(ctx context.Context, at time.Time, a auth.Actor, action, entity string, id int64, summary string, before, after any) error {
	return h.rec.Record(ctx, at, audit.Event{Tenant: h.tenant, Actor: a.Audit(), Action: action, Entity: entity, EntityID: id, Summary: summary, Before: before, After: after})
}

func refKey(r work.Ref) string { return fmt.Sprintf("%s/%d", r.Entity, r.ID) }

// assign hands out a task as work.Service.Assign does: stored, audited, and
// its person told in the app.
func (h *History) assign(ctx context.Context, hd *HistoryDoc, a auth.Actor, in work.NewTask, now time.Time) error {
	id, err := h.id(ctx, `INSERT INTO tasks (tenant_id, module, entity, entity_id, kind, title, details, link, person_id, role, role_unit_id, due_on, priority, state, created_by, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15, $16, $16) RETURNING id`,
		h.tenant, in.Ref.Module, in.Ref.Entity, in.Ref.ID, in.Kind, in.Title, in.Details, in.Link,
		nullID(in.Assignee.PersonID), string(in.Assignee.Role), nullID(in.Assignee.UnitID), in.Due.Format(time.DateOnly),
		in.Priority, a.UserID, textutil.Fold(in.Title), now)
	if err != nil {
		return fmt.Errorf("cannot create task: %w", err)
	}
	t := work.Task{ID: id, Tenant: h.tenant, Ref: in.Ref, Kind: in.Kind, Title: in.Title, Details: in.Details, Link: in.Link,
		Assignee: in.Assignee, Due: in.Due, Priority: in.Priority, State: work.StateOpen, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := h.record(ctx, now, a, audit.ActionCreate, "task", id, t.Title, nil, t); err != nil {
		return err
	}
	if user := h.userOf[in.Assignee.PersonID]; user != 0 && in.Assignee.PersonID != 0 {
		if err := h.exec(ctx, `INSERT INTO notifications (tenant_id, user_id, event, task_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
			h.tenant, user, notify.EventAssigned, id, now); err != nil {
			return fmt.Errorf("cannot record notification: %w", err)
		}
	}
	key := refKey(in.Ref)
	hd.open[key] = append(hd.open[key], len(hd.tasks))
	hd.tasks = append(hd.tasks, t)
	return nil
}

// close ends the open tasks of ref (of kind and person, when set) as
// work.Service.Close does, oldest first.
func (h *History) close(ctx context.Context, hd *HistoryDoc, a auth.Actor, sel work.Selector, state string, now time.Time) error {
	key := refKey(sel.Ref)
	var keep []int
	for _, i := range hd.open[key] {
		before := hd.tasks[i]
		if (sel.Kind != "" && before.Kind != sel.Kind) || (sel.PersonID != 0 && before.PersonID != sel.PersonID) {
			keep = append(keep, i)
			continue
		}
		if err := h.exec(ctx, `UPDATE tasks SET state = $1, closed_at = $2, closed_by = $3, updated_at = $4, version = version + 1 WHERE id = $5`,
			state, now, a.Name, now, before.ID); err != nil {
			return fmt.Errorf("cannot change task: %w", err)
		}
		after := before
		closed := now
		after.State, after.ClosedAt, after.ClosedBy, after.UpdatedAt, after.Version = state, &closed, a.Name, now, before.Version+1
		action := audit.ActionComplete
		if state == work.StateCancelled {
			action = audit.ActionCancel
		}
		if err := h.record(ctx, now, a, action, "task", before.ID, before.Title, before, after); err != nil {
			return err
		}
		hd.tasks[i] = after
	}
	hd.open[key] = keep
	return nil
}

// Create registers a document and opens its first draft, as Create does.
func (h *History) Create(ctx context.Context, a auth.Actor, in DocumentInput, now time.Time) (*HistoryDoc, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.ReviewMonths == 0 {
		st, err := h.s.settings(ctx, h.tx, h.tenant)
		if err != nil {
			return nil, err
		}
		in.ReviewMonths = st.ReviewMonths
	}
	hd := &HistoryDoc{open: map[string][]int{}}
	d := Document{Tenant: h.tenant, Kind: in.Kind, Code: in.Code, Title: in.Title, UnitID: in.UnitID, OwnerID: in.OwnerID,
		ReviewMonths: in.ReviewMonths, State: StateDraft, CreatedAt: now, UpdatedAt: now, Version: 1}
	var err error
	d.ID, err = h.id(ctx, `INSERT INTO documents (tenant_id, kind, code, title, unit_id, owner_id, review_months, state, sort_code, sort_title, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		h.tenant, d.Kind, d.Code, d.Title, nullID(d.UnitID), nullID(d.OwnerID), d.ReviewMonths, StateDraft,
		sortCode(d.Code), textutil.Fold(d.Title), searchKey(d.Code, d.Title), now)
	if err != nil {
		return nil, fmt.Errorf("cannot create document %s: %w", d.Code, err)
	}
	source := SourceSections
	if d.Kind == KindExternal {
		source = SourceFile
	}
	v, err := h.insertVersion(ctx, a, d.ID, 1, 0, source, "", now)
	if err != nil {
		return nil, err
	}
	d.LatestID = v.ID
	if d.UnitID != 0 {
		if err := h.exec(ctx, `INSERT INTO document_distribution (tenant_id, document_id, unit_id, purpose) VALUES ($1, $2, $3, $4)`,
			h.tenant, d.ID, d.UnitID, PurposeApply); err != nil {
			return nil, fmt.Errorf("cannot create document: %w", err)
		}
	}
	hd.Document = d
	hd.versions = append(hd.versions, v)
	return hd, h.record(ctx, now, a, audit.ActionCreate, "document", d.ID, d.Code+" "+d.Title, nil, d)
}

func (h *History) insertVersion(ctx context.Context, a auth.Actor, doc int64, edition, revision int, source, reason string, now time.Time) (Version, error) {
	v := Version{Tenant: h.tenant, DocumentID: doc, Edition: edition, Revision: revision, State: StateDraft, Source: source, Reason: reason,
		AuthorID: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1, Sections: map[string]string{}}
	var err error
	v.ID, err = h.id(ctx, `INSERT INTO document_versions (tenant_id, document_id, edition, revision, state, source, reason, author_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, h.tenant, doc, edition, revision, StateDraft, source, reason, a.UserID, now)
	if err != nil {
		return v, fmt.Errorf("cannot create document version: %w", err)
	}
	return v, nil
}

// saveVersion writes v's columns and sections as its steps left them.
func (h *History) saveVersion(ctx context.Context, v Version) error {
	keys := slices.Sorted(maps.Keys(v.Sections))
	if len(keys) > 0 {
		q := `INSERT INTO document_sections (tenant_id, version_id, key, body) VALUES ` + db.Values(len(keys), 4)
		args := make([]any, 0, 4*len(keys))
		for _, k := range keys {
			args = append(args, h.tenant, v.ID, k, v.Sections[k])
		}
		if err := h.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("cannot save sections: %w", err)
		}
	}
	if err := h.exec(ctx, `UPDATE document_versions SET state = $1, reason = $2, changed = $3, effective_on = $4, verifier_id = $5, endorser_id = $6, approver_id = $7,
		content_hash = $8, updated_at = $9, version = $10 WHERE id = $11`,
		v.State, v.Reason, strings.Join(v.Changed, ","), v.EffectiveOn, nullID(v.VerifierID), nullID(v.EndorserID), nullID(v.ApproverID),
		v.ContentHash, v.UpdatedAt, v.Version, v.ID); err != nil {
		return fmt.Errorf("cannot save document version: %w", err)
	}
	return nil
}

// NewVersion opens a revision or edition from the newest version, as
// NewVersion does.
func (h *History) NewVersion(ctx context.Context, hd *HistoryDoc, a auth.Actor, in NewVersionInput, now time.Time) error {
	latest := hd.Latest()
	if Pending(latest.State) {
		return fmt.Errorf("cannot open a version of %s: %s is pending", hd.Code, latest.Label())
	}
	edition, revision := latest.Edition, latest.Revision+1
	if in.Edition {
		edition, revision = latest.Edition+1, 0
	}
	v, err := h.insertVersion(ctx, a, hd.ID, edition, revision, latest.Source, in.Reason, now)
	if err != nil {
		return err
	}
	v.Sections = maps.Clone(latest.Sections)
	hd.LatestID, hd.UpdatedAt = v.ID, now
	hd.versions = append(hd.versions, v)
	after := v
	after.Sections = nil
	return h.record(ctx, now, a, audit.ActionCreate, "document_version", v.ID, hd.Code+" "+v.Label(), nil, after)
}

// SaveDraft stores the written sections of the newest version, a draft, as
// SaveDraft does.
func (h *History) SaveDraft(ctx context.Context, hd *HistoryDoc, a auth.Actor, in DraftInput, now time.Time) error {
	v := &hd.versions[len(hd.versions)-1]
	if v.State != StateDraft {
		return fmt.Errorf("cannot save %s %s: not a draft", hd.Code, v.Label())
	}
	before := maps.Clone(v.Sections)
	for _, def := range SectionsOf(hd.Kind) {
		body, ok := in.Sections[def.Key]
		if !ok {
			continue
		}
		body = strings.TrimSpace(textutil.CleanText(body))
		v.Sections[def.Key] = body
	}
	beforeReason := v.Reason
	v.Reason = strings.TrimSpace(textutil.CleanText(in.Reason))
	v.Changed = nil
	if len(hd.versions) > 1 {
		prev := hd.versions[len(hd.versions)-2]
		for _, def := range SectionsOf(hd.Kind) {
			if prev.Sections[def.Key] != v.Sections[def.Key] {
				v.Changed = append(v.Changed, def.Key)
			}
		}
	}
	v.UpdatedAt = now
	v.Version++
	hd.UpdatedAt = now
	b, af := sectionDelta(before, v.Sections)
	return h.record(ctx, now, a, audit.ActionUpdate, "document_version", v.ID, hd.Code+" "+v.Label(),
		map[string]any{"reason": beforeReason, "sections": b}, map[string]any{"reason": v.Reason, "changed": v.Changed, "sections": af})
}

// Step moves the newest version through the workflow as Step does: the
// sign-off, the inbox tasks, the audit event and, on approval, putting it
// in force (effective the day of now).
func (h *History) Step(ctx context.Context, hd *HistoryDoc, a auth.Actor, in StepInput, now time.Time) error {
	today := work.Day(now)
	v := &hd.versions[len(hd.versions)-1]
	step, err := Flow.Fire(stateOf(*v), in.Action, a, gate{v: *v, editor: true}, in.Reason, now)
	if err != nil {
		return fmt.Errorf("cannot %s %s %s: %w", in.Action, hd.Code, v.Label(), err)
	}
	switch in.Action {
	case ActSubmit:
		v.VerifierID, v.EndorserID, v.ApproverID = in.VerifierID, in.EndorserID, in.ApproverID
		v.ContentHash = contentHash(hd.Document, *v)
	case ActApprove:
		v.EffectiveOn = today.Format(time.DateOnly)
	}
	v.State = string(step.To)
	v.UpdatedAt = now
	v.Version++
	if name := signStep[in.Action]; name != "" {
		decision := "signed"
		if name == "rejected" {
			decision = "rejected"
		}
		if err := h.exec(ctx, `INSERT INTO document_signoffs (tenant_id, version_id, step, decision, user_id, name, function, content_hash, reason, signed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, h.tenant, v.ID, name, decision, a.UserID, a.Name, h.titles[a.PersonID], v.ContentHash, step.Reason, now); err != nil {
			return fmt.Errorf("cannot record sign-off: %w", err)
		}
	}
	// The inbox, as moveTasks.
	ref := versionRef(v.ID)
	var next int64
	switch in.Action {
	case ActSubmit:
		if err := h.close(ctx, hd, a, work.Selector{Ref: ref, Kind: work.KindAct}, work.StateDone, now); err != nil {
			return err
		}
		next = v.VerifierID
	case ActVerify, ActEndorse:
		next = v.ApproverID
	case ActVerifyEndorse:
		next = v.EndorserID
	}
	if in.Action != ActSubmit {
		if err := h.close(ctx, hd, a, work.Selector{Ref: ref, Kind: work.KindApprove}, work.StateDone, now); err != nil {
			return err
		}
	}
	if next != 0 {
		person, ok := h.persons[next]
		if !ok {
			return fmt.Errorf("cannot hand %s to user %d: no person", hd.Code, next)
		}
		if err := h.assign(ctx, hd, a, work.NewTask{Ref: ref, Kind: work.KindApprove, Title: hd.Code + " " + hd.Title + " (" + v.Label() + ")",
			Link: versionLink(hd.Document, *v), Assignee: work.Assignee{PersonID: person}, Due: today.AddDate(0, 0, signDays)}, now); err != nil {
			return err
		}
	}
	if err := h.record(ctx, now, a, audit.ActionTransition, "document_version", v.ID, hd.Code+" "+v.Label()+": "+in.Action, nil, step); err != nil {
		return err
	}
	if in.Action == ActApprove {
		if err := h.enterForce(ctx, hd, now); err != nil {
			return err
		}
	}
	// refresh
	hd.State = hd.versions[len(hd.versions)-1].State
	if hd.CurrentID != 0 {
		hd.State = hd.version(hd.CurrentID).State
	}
	hd.UpdatedAt = now
	hd.Document.Version++
	return nil
}

func (hd *HistoryDoc) version(id int64) *Version {
	for i := range hd.versions {
		if hd.versions[i].ID == id {
			return &hd.versions[i]
		}
	}
	return nil
}

// enterForce puts the newest version in force as enterForce does.
func (h *History) enterForce(ctx context.Context, hd *HistoryDoc, now time.Time) error {
	sys := auth.SystemActor(h.tenant, "Cadran")
	v := &hd.versions[len(hd.versions)-1]
	step, err := Flow.Fire(stateOf(*v), ActEnterForce, sys, gate{v: *v}, "", now)
	if err != nil {
		return err
	}
	v.State, v.UpdatedAt = string(step.To), now
	v.Version++
	if err := h.record(ctx, now, sys, audit.ActionTransition, "document_version", v.ID, hd.Code+" "+v.Label()+": "+ActEnterForce, nil, step); err != nil {
		return err
	}
	if hd.CurrentID != 0 && hd.CurrentID != v.ID {
		prev := hd.version(hd.CurrentID)
		if prev.State == StateInForce {
			pstep, err := Flow.Fire(stateOf(*prev), ActSupersede, sys, gate{v: *prev}, "", now)
			if err != nil {
				return err
			}
			prev.State, prev.UpdatedAt = string(pstep.To), now
			prev.Version++
			if err := h.close(ctx, hd, sys, work.Selector{Ref: versionRef(prev.ID)}, work.StateCancelled, now); err != nil {
				return err
			}
			if err := h.record(ctx, now, sys, audit.ActionTransition, "document_version", prev.ID, hd.Code+" "+prev.Label()+": "+ActSupersede, nil, pstep); err != nil {
				return err
			}
		}
	}
	hd.CurrentID, hd.EffectiveOn, hd.NextReviewOn, hd.LastReviewedOn = v.ID, v.EffectiveOn, addMonths(v.EffectiveOn, hd.ReviewMonths), ""
	targets, err := receivers(ctx, h.tx, hd.Document, 0)
	if err != nil {
		return err
	}
	due := work.Day(now).AddDate(0, 0, h.ackDays)
	for i, t := range targets {
		if err := h.exec(ctx, `INSERT INTO document_receipts (tenant_id, version_id, person_id, copy_no, purpose, unit_id, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			h.tenant, v.ID, t.person, i+1, t.purpose, nullID(t.unit), now); err != nil {
			return fmt.Errorf("cannot distribute document: %w", err)
		}
		if err := h.assign(ctx, hd, sys, work.NewTask{Ref: versionRef(v.ID), Kind: work.KindAcknowledge, Title: hd.Code + " " + hd.Title + " (" + v.Label() + ")",
			Link: versionLink(hd.Document, *v), Assignee: work.Assignee{PersonID: t.person}, Due: due}, now); err != nil {
			return err
		}
	}
	return h.scheduleReview(ctx, hd, sys, now)
}

func (h *History) scheduleReview(ctx context.Context, hd *HistoryDoc, a auth.Actor, now time.Time) error {
	if err := h.close(ctx, hd, a, work.Selector{Ref: documentRef(hd.ID), Kind: work.KindAct}, work.StateCancelled, now); err != nil {
		return err
	}
	t, ok := reviewTask(hd.Document)
	if !ok {
		return nil
	}
	return h.assign(ctx, hd, a, t, now)
}

// Receivers lists the people who received the version in force, in copy order.
func (h *History) Receivers(hd *HistoryDoc) []int64 {
	var out []int64
	for _, i := range hd.open[refKey(versionRef(hd.CurrentID))] {
		if t := hd.tasks[i]; t.Kind == work.KindAcknowledge {
			out = append(out, t.PersonID)
		}
	}
	return out
}

// ErrNotRecipient: the person has nothing to confirm for the version.
var ErrNotRecipient = errors.New("not a recipient with a confirmation pending")

// Acknowledge records that a (a person) read the version in force, as
// Acknowledge does.
func (h *History) Acknowledge(ctx context.Context, hd *HistoryDoc, a auth.Actor, versionID int64, now time.Time) error {
	v := hd.version(versionID)
	if v == nil || v.State != StateInForce || a.PersonID == 0 {
		return ErrNotRecipient
	}
	pending := false
	for _, i := range hd.open[refKey(versionRef(versionID))] {
		pending = pending || (hd.tasks[i].Kind == work.KindAcknowledge && hd.tasks[i].PersonID == a.PersonID)
	}
	if !pending {
		return ErrNotRecipient
	}
	if err := h.exec(ctx, `UPDATE document_receipts SET acknowledged_at = $1 WHERE version_id = $2 AND person_id = $3`, now, versionID, a.PersonID); err != nil {
		return fmt.Errorf("cannot record acknowledgement: %w", err)
	}
	if err := h.close(ctx, hd, a, work.Selector{Ref: versionRef(versionID), Kind: work.KindAcknowledge, PersonID: a.PersonID}, work.StateDone, now); err != nil {
		return err
	}
	return h.record(ctx, now, a, audit.ActionAcknowledge, "document_version", versionID, hd.Code+" "+v.Label(), nil,
		map[string]any{"person_id": a.PersonID, "acknowledged_at": now})
}

// Review records a periodic review with outcome unchanged, as RecordReview does.
func (h *History) Review(ctx context.Context, hd *HistoryDoc, a auth.Actor, note string, now time.Time) error {
	if hd.State != StateInForce {
		return fmt.Errorf("cannot review %s: not in force", hd.Code)
	}
	today := work.Day(now).Format(time.DateOnly)
	note = strings.TrimSpace(textutil.CleanText(note))
	if err := h.exec(ctx, `INSERT INTO document_reviews (tenant_id, document_id, outcome, note, reviewed_on, user_id, name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, h.tenant, hd.ID, ReviewUnchanged, note, today, a.UserID, a.Name, now); err != nil {
		return fmt.Errorf("cannot record review: %w", err)
	}
	old := hd.NextReviewOn
	next := addMonths(today, hd.ReviewMonths)
	hd.LastReviewedOn, hd.NextReviewOn, hd.UpdatedAt = today, next, now
	hd.Document.Version++
	if err := h.close(ctx, hd, a, work.Selector{Ref: documentRef(hd.ID), Kind: work.KindAct}, work.StateDone, now); err != nil {
		return err
	}
	if err := h.scheduleReview(ctx, hd, a, now); err != nil {
		return err
	}
	return h.record(ctx, now, a, audit.ActionCreate, "document_review", hd.ID, hd.Code+": "+ReviewUnchanged,
		map[string]string{"next_review_on": old}, map[string]string{"outcome": ReviewUnchanged, "note": note, "next_review_on": next})
}

// Finish writes the document's register entry as its steps left it, and its
// search text as index does.
func (h *History) Finish(ctx context.Context, hd *HistoryDoc) error {
	for _, v := range hd.versions {
		if err := h.saveVersion(ctx, v); err != nil {
			return err
		}
	}
	d := hd.Document
	if err := h.exec(ctx, `UPDATE documents SET current_id = $1, latest_id = $2, state = $3, effective_on = $4, next_review_on = $5, last_reviewed_on = $6,
		updated_at = $7, version = $8 WHERE id = $9`, nullID(d.CurrentID), nullID(d.LatestID), d.State, d.EffectiveOn, d.NextReviewOn, d.LastReviewedOn,
		d.UpdatedAt, d.Version, d.ID); err != nil {
		return fmt.Errorf("cannot write document %s: %w", d.Code, err)
	}
	return h.s.index(ctx, h.tx, h.tenant, d.ID)
}
