package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

func stateOf(v Version) workflow.State { return workflow.State(v.State) }

// StepInput is one workflow action on a version.
type StepInput struct {
	Action string
	Reason string
	// On submit: who checks, who endorses (optional) and who approves.
	VerifierID, EndorserID, ApproverID int64
	// On approval: the day the version comes into force (YYYY-MM-DD); empty is today.
	EffectiveOn string
	Version     int
}

// signDays is how long a signer has for their step.
const signDays = 5

func versionRef(id int64) work.Ref {
	return work.Ref{Module: Module, Entity: "document_version", ID: id}
}
func documentRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: "document", ID: id} }

func versionLink(d Document, v Version) string {
	return fmt.Sprintf("/documents/%d/versions/%d", d.ID, v.ID)
}

// Step moves a version through the workflow: it checks the transition with
// Flow, records the sign-off with the hash of what was signed, moves the
// inbox tasks on, and puts an approved version in force when its effective
// date has come.
func (s *Service) Step(ctx context.Context, a auth.Actor, versionID int64, in StepInput) (Version, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	var out Version
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v, err := getVersion(ctx, tx, a.Tenant, versionID)
		if err != nil {
			return err
		}
		d, err := getDocument(ctx, tx, a.Tenant, v.DocumentID)
		if err != nil {
			return err
		}
		editor, err := s.mayEdit(ctx, tx, a, d.UnitID)
		if err != nil {
			return err
		}
		step, err := Flow.Fire(stateOf(v), in.Action, a, gate{v: v, editor: editor}, in.Reason, now)
		if err != nil {
			return err
		}
		if v.Version != in.Version {
			return apperr.Stale()
		}
		if v, err = full(ctx, tx, v); err != nil {
			return err
		}
		switch in.Action {
		case ActSubmit:
			if err := s.checkSubmit(ctx, tx, a, d, &v, in); err != nil {
				return err
			}
			v.ContentHash = contentHash(d, v)
		case ActApprove:
			eff := today
			if in.EffectiveOn != "" {
				t, err := time.Parse(time.DateOnly, in.EffectiveOn)
				if err != nil {
					return apperr.Validation{"effective_on": "error.date"}
				}
				if t.Before(today) {
					return apperr.Validation{"effective_on": "documents.error.effective_past"}
				}
				eff = t
			}
			v.EffectiveOn = eff.Format(time.DateOnly)
		}
		if hash := contentHash(d, v); in.Action != ActSubmit && in.Action != ActReject && hash != v.ContentHash && signStep[in.Action] != "" {
			// The text changed after it was submitted: nobody signs that.
			return apperr.Conflict("documents.error.content_changed")
		}
		res, err := tx.ExecContext(ctx, `UPDATE document_versions SET state = $1, verifier_id = $2, endorser_id = $3, approver_id = $4, content_hash = $5,
			effective_on = $6, updated_at = $7, version = version + 1 WHERE tenant_id = $8 AND id = $9 AND version = $10`,
			string(step.To), nullID(v.VerifierID), nullID(v.EndorserID), nullID(v.ApproverID), v.ContentHash, v.EffectiveOn, now, a.Tenant, v.ID, in.Version)
		if err != nil {
			return fmt.Errorf("cannot move document version: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		v.State = string(step.To)
		if name := signStep[in.Action]; name != "" {
			if err := s.signOff(ctx, tx, a, v, name, step.Reason, now); err != nil {
				return err
			}
		}
		if err := s.moveTasks(ctx, tx, a, d, v, in.Action, today); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "document_version", EntityID: v.ID,
			Summary: d.Code + " " + v.Label() + ": " + in.Action, After: step}); err != nil {
			return err
		}
		if in.Action == ActApprove && v.EffectiveOn <= today.Format(time.DateOnly) {
			if err := s.enterForce(ctx, tx, d, v, now); err != nil {
				return err
			}
		}
		if in.Action == ActWithdraw {
			if err := s.withdrawn(ctx, tx, a, d, v); err != nil {
				return err
			}
		}
		if err := refresh(ctx, tx, d.ID, now); err != nil {
			return err
		}
		out, err = getVersion(ctx, tx, a.Tenant, v.ID)
		return err
	})
	return out, err
}

// checkSubmit validates the signers and that there is something to sign.
func (s *Service) checkSubmit(ctx context.Context, tx *sql.Tx, a auth.Actor, d Document, v *Version, in StepInput) error {
	bad := apperr.Validation{}
	check := func(field string, id int64, required bool) {
		if id == 0 {
			if required {
				bad.Add(field, "error.required")
			}
			return
		}
		if id == v.AuthorID || id == a.UserID {
			bad.Add(field, "documents.error.own_signoff")
			return
		}
		if _, err := signerPerson(ctx, tx, a.Tenant, id); err != nil {
			bad.Add(field, "documents.error.signer")
		}
	}
	check("verifier_id", in.VerifierID, true)
	check("endorser_id", in.EndorserID, false)
	check("approver_id", in.ApproverID, true)
	empty := true
	for _, body := range v.Sections {
		if body != "" {
			empty = false
		}
	}
	for _, f := range v.Files {
		if f.Role == RoleMain {
			empty = false
		}
	}
	if empty {
		bad.Add("sections", "documents.error.empty")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	v.VerifierID, v.EndorserID, v.ApproverID = in.VerifierID, in.EndorserID, in.ApproverID
	return nil
}

// signerPerson returns the person of an active user: the inbox gives tasks
// to people.
func signerPerson(ctx context.Context, q querier, tenant, user int64) (int64, error) {
	var person sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT person_id FROM users WHERE tenant_id = $1 AND id = $2 AND NOT disabled`, tenant, user).Scan(&person)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !person.Valid) {
		return 0, apperr.NotFound("user")
	}
	if err != nil {
		return 0, fmt.Errorf("cannot read signer: %w", err)
	}
	return person.Int64, nil
}

func (s *Service) signOff(ctx context.Context, tx *sql.Tx, a auth.Actor, v Version, step, reason string, now time.Time) error {
	function := ""
	if a.PersonID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT job_title FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, a.PersonID).Scan(&function); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("cannot read signer: %w", err)
		}
	}
	decision := "signed"
	if step == "rejected" {
		decision = "rejected"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_signoffs (tenant_id, version_id, step, decision, user_id, name, function, content_hash, reason, signed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.Tenant, v.ID, step, decision, a.UserID, a.Name, function, v.ContentHash, reason, now); err != nil {
		return fmt.Errorf("cannot record sign-off: %w", err)
	}
	return nil
}

// moveTasks closes the step's inbox task and hands the next one out.
func (s *Service) moveTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, d Document, v Version, action string, today time.Time) error {
	ref := versionRef(v.ID)
	closeKind := func(kind, state string) error {
		_, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref, Kind: kind}, state)
		return err
	}
	var next int64
	switch action {
	case ActSubmit:
		if err := closeKind(work.KindAct, work.StateDone); err != nil {
			return err
		}
		next = v.VerifierID
	case ActVerify, ActEndorse:
		next = v.ApproverID
	case ActVerifyEndorse:
		next = v.EndorserID
	case ActWithdraw:
		return closeKind("", work.StateCancelled)
	}
	if action != ActSubmit {
		if err := closeKind(work.KindApprove, work.StateDone); err != nil {
			return err
		}
	}
	title := d.Code + " " + d.Title + " (" + v.Label() + ")"
	if next != 0 {
		person, err := signerPerson(ctx, tx, a.Tenant, next)
		if err != nil {
			return err
		}
		_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: ref, Kind: work.KindApprove, Title: title, Link: versionLink(d, v),
			Assignee: work.Assignee{PersonID: person}, Due: today.AddDate(0, 0, signDays)})
		return err
	}
	if action == ActReject {
		person, err := signerPerson(ctx, tx, a.Tenant, v.AuthorID)
		if err != nil {
			return nil // an author without a person sees the rejection on the page
		}
		_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: ref, Kind: work.KindAct, Title: title, Link: versionLink(d, v),
			Assignee: work.Assignee{PersonID: person}, Due: today.AddDate(0, 0, signDays)})
		return err
	}
	return nil
}

// refresh sets a document's list state: the state of its version in force
// (or withdrawn) if it has one, else that of its newest version.
func refresh(ctx context.Context, tx *sql.Tx, doc int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = $1, version = version + 1,
		state = COALESCE((SELECT state FROM document_versions WHERE id = documents.current_id), (SELECT state FROM document_versions WHERE id = documents.latest_id), state)
		WHERE id = $2`, now, doc)
	if err != nil {
		return fmt.Errorf("cannot update document state: %w", err)
	}
	return nil
}

// enterForce puts an approved version in force: the version in force until
// now is superseded, people on the distribution list receive it, and the
// next periodic review is scheduled.
func (s *Service) enterForce(ctx context.Context, tx *sql.Tx, d Document, v Version, now time.Time) error {
	sys := auth.SystemActor(d.Tenant, "Cadran")
	step, err := Flow.Fire(stateOf(v), ActEnterForce, sys, gate{v: v}, "", now)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE document_versions SET state = $1, updated_at = $2, version = version + 1 WHERE id = $3`, string(step.To), now, v.ID); err != nil {
		return fmt.Errorf("cannot put version in force: %w", err)
	}
	v.State = string(step.To)
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: d.Tenant, Actor: sys.Audit(), Action: audit.ActionTransition, Entity: "document_version", EntityID: v.ID,
		Summary: d.Code + " " + v.Label() + ": " + ActEnterForce, After: step}); err != nil {
		return err
	}
	if d.CurrentID != 0 && d.CurrentID != v.ID {
		prev, err := getVersion(ctx, tx, d.Tenant, d.CurrentID)
		if err != nil {
			return err
		}
		if prev.State == StateInForce {
			pstep, err := Flow.Fire(stateOf(prev), ActSupersede, sys, gate{v: prev}, "", now)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE document_versions SET state = $1, updated_at = $2, version = version + 1 WHERE id = $3`, string(pstep.To), now, prev.ID); err != nil {
				return fmt.Errorf("cannot supersede version: %w", err)
			}
			// Nobody needs to confirm reading a text no longer in force.
			if _, err := s.Work.Close(ctx, tx, sys, work.Selector{Ref: versionRef(prev.ID)}, work.StateCancelled); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, audit.Event{Tenant: d.Tenant, Actor: sys.Audit(), Action: audit.ActionTransition, Entity: "document_version", EntityID: prev.ID,
				Summary: d.Code + " " + prev.Label() + ": " + ActSupersede, After: pstep}); err != nil {
				return err
			}
		}
	}
	next := addMonths(v.EffectiveOn, d.ReviewMonths)
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET current_id = $1, effective_on = $2, next_review_on = $3, last_reviewed_on = '' WHERE id = $4`,
		v.ID, v.EffectiveOn, next, d.ID); err != nil {
		return fmt.Errorf("cannot put version in force: %w", err)
	}
	d.CurrentID, d.EffectiveOn, d.NextReviewOn = v.ID, v.EffectiveOn, next
	if err := s.distribute(ctx, tx, sys, d, v, 0, now); err != nil {
		return err
	}
	if err := s.scheduleReview(ctx, tx, sys, d); err != nil {
		return err
	}
	return s.index(ctx, tx, d.Tenant, d.ID)
}

// withdrawn closes what hangs on a withdrawn document: its review.
func (s *Service) withdrawn(ctx context.Context, tx *sql.Tx, a auth.Actor, d Document, v Version) error {
	if d.CurrentID != v.ID && d.CurrentID != 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET current_id = $1, next_review_on = '' WHERE id = $2`, v.ID, d.ID); err != nil {
		return fmt.Errorf("cannot withdraw document: %w", err)
	}
	_, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: documentRef(d.ID)}, work.StateCancelled)
	return err
}

// addMonths adds n months to a YYYY-MM-DD day; an empty day stays empty.
func addMonths(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, n, 0).Format(time.DateOnly)
}

// ActivateDue puts in force, in every institution, the approved versions
// whose effective date has come. The scheduler calls it; it returns how
// many it moved.
func (s *Service) ActivateDue(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	today := work.Day(now).Format(time.DateOnly)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT tenant_id, id FROM document_versions WHERE state = $1 AND effective_on <> '' AND effective_on <= $2 ORDER BY id LIMIT 500`, StateApproved, today)
	if err != nil {
		return 0, fmt.Errorf("cannot find versions due: %w", err)
	}
	type due struct{ tenant, id int64 }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.tenant, &d.id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot find versions due: %w", err)
		}
		list = append(list, d)
	}
	rows.Close()
	n := 0
	for _, it := range list {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			v, err := getVersion(ctx, tx, it.tenant, it.id)
			if err != nil || v.State != StateApproved {
				return err // another process got there first
			}
			d, err := getDocument(ctx, tx, it.tenant, v.DocumentID)
			if err != nil {
				return err
			}
			if err := s.enterForce(ctx, tx, d, v, now); err != nil {
				return err
			}
			return refresh(ctx, tx, d.ID, now)
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Signer is a user who can sign a step: active and tied to a person.
type Signer struct {
	UserID   int64
	Name     string
	JobTitle string
	UnitName string
}

// Signers lists the institution's users who can be named to check, endorse
// or approve a document.
func (s *Service) Signers(ctx context.Context, a auth.Actor) ([]Signer, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT u.id, u.display_name, p.job_title, COALESCE(n.name, '') FROM users u JOIN people p ON p.id = u.person_id
		LEFT JOIN units n ON n.id = p.unit_id WHERE u.tenant_id = $1 AND NOT u.disabled AND p.active ORDER BY p.sort_name, u.id`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list signers: %w", err)
	}
	defer rows.Close()
	var out []Signer
	for rows.Next() {
		var sg Signer
		if err := rows.Scan(&sg.UserID, &sg.Name, &sg.JobTitle, &sg.UnitName); err != nil {
			return nil, fmt.Errorf("cannot list signers: %w", err)
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}
