package demo

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/documents"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo municipality's register of documented information: the quality
// manual with its history, the quality policy, system and operational
// procedures, forms, work instructions, the internal regulation and external
// documents, in every workflow state.
//
// A register only looks real with a past: editions superseded years ago,
// procedures in force for months, reviews due. So the documents are played
// on a timeline, day by day, on a clock of their own that starts some five
// years back and stops yesterday, through the documents service, so every
// step is signed, audited and hands out its inbox tasks as it would have.
//
// Only the economic director among the heads of unit has a demo sign-in.
// The other heads (and the specialists of compartments without a head)
// draft in their own name, as on the paper sign-off sheet: the demo acts as
// them with their role, without a user. Checking, endorsing and approving
// are always done by demo users (calitate, economic, primar), and people
// without a sign-in confirm reading the same way.

// docSpec is one document of the demo register and the story of its versions.
type docSpec struct {
	kind, code, title string
	unit              string            // key of the owning unit
	owner             string            // person key of whoever reviews it periodically
	drafter           string            // person key; "first:<unit>" is the first person of a unit without a head
	review            int               // months between periodic reviews; 0 is the institution's default
	text              map[string]string // the written sections of the first version
	// ago is how many days before today the first version came into force,
	// or, for a document that never did, when its drafting started.
	ago     int
	story   string // how far the first version went: one of the story constants
	endorse bool   // the economic director endorses it (budget, procurement)
	changes []docChange
	reason  string // for a rejection or a withdrawal
	// withdrawnAgo, reviewedAgo: days before today it was withdrawn, or reviewed.
	withdrawnAgo, reviewedAgo int
	reviewNote                string
	send                      string   // distribution list: "" the owning unit, sendHeads, sendAll, sendOwn
	unread                    []string // person keys who have not confirmed reading it yet
	links                     []string // an ISO clause ("7.5"), "p:" a process, "d:" a document code
}

// docChange is a later revision or edition of a document in force.
type docChange struct {
	ago     int // days before today it came into force (or was opened, for a draft)
	edition bool
	reason  string
	text    map[string]string // the sections it rewrites
	draft   bool              // still being drafted
}

// Stories: how far a document's first version went.
const (
	storyInForce   = "" // and later changes, if any
	storyDraft     = "draft"
	storyVerify    = "verification"
	storyEndorse   = "endorsement"
	storyApprove   = "approval"
	storyApproved  = "approved" // with a future effective date
	storyRejected  = "rejected" // rejected once, back with its author
	storyWithdrawn = "withdrawn"
)

// Distribution lists besides the owning unit's.
const (
	sendHeads = "heads" // the heads of the units under the mayor, who brief their staff
	sendAll   = "all"   // everyone, the subordinate services too
	sendOwn   = "own"   // everyone in the mayor's own apparatus
)

// notificationDays: people have read the notifications older than this.
const notificationDays = 14

// docRun is a document while its story is played.
type docRun struct {
	spec *docSpec
	doc  documents.Document
	v    documents.Version // the version worked on last
}

// event is one step of the timeline.
type event struct {
	at   time.Time
	seq  int
	what string
	do   func(context.Context) error
}

type timeline []event

func (t timeline) Len() int { return len(t) }
func (t timeline) Less(i, j int) bool {
	if !t[i].at.Equal(t[j].at) {
		return t[i].at.Before(t[j].at)
	}
	return t[i].seq < t[j].seq
}
func (t timeline) Swap(i, j int) { t[i], t[j] = t[j], t[i] }
func (t *timeline) Push(x any)   { *t = append(*t, x.(event)) }
func (t *timeline) Pop() any {
	old := *t
	e := old[len(old)-1]
	*t = old[:len(old)-1]
	return e
}

// docSeeder plays the register's timeline.
type docSeeder struct {
	s      *seeder
	docs   *documents.Service
	clk    *clock.Fixed
	day0   time.Time // today, at midnight
	tenant int64
	units  map[string]int64
	people map[string]org.Person
	userOf map[int64]int64 // person id to user id
	names  map[int64]string
	qm     auth.Actor
	mayor  auth.Actor
	econ   auth.Actor
	rng    *rand.Rand
	runs   map[string]*docRun
	queue  timeline
	seq    int
	n      int
}

// documents fills the demo municipality's register and returns how many
// documents it holds.
func (s *seeder) documents(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	// The register's own inbox and notifications run on its clock, so the
	// tasks of five years ago are dated then.
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	inbox := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	ds := &docSeeder{
		s: s, docs: &documents.Service{DB: s.db, Clock: clk, Work: inbox}, clk: clk, day0: work.Day(now), tenant: tenant,
		units: unitIDs, people: people, userOf: map[int64]int64{}, names: map[int64]string{},
		// Its own seed: the register does not move the names dealt afterwards.
		rng: rand.New(rand.NewPCG(600, 2018)), runs: map[string]*docRun{},
	}
	for _, a := range Accounts {
		if p, ok := people[a.person]; ok && a.CUI == CUI {
			ds.userOf[p.ID] = users[a.Username]
		}
	}
	var err error
	for name, act := range map[string]*auth.Actor{"calitate": &ds.qm, "primar": &ds.mayor, "economic": &ds.econ} {
		if *act, err = s.users.ActorByID(ctx, users[name]); err != nil {
			return 0, fmt.Errorf("cannot act as the demo user %s: %w", name, err)
		}
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, full_name FROM people WHERE tenant_id = $1`, tenant)
	if err != nil {
		return 0, fmt.Errorf("cannot read the demo people: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot read the demo people: %w", err)
		}
		ds.names[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("cannot read the demo people: %w", err)
	}

	for i := range demoDocuments {
		if err := ds.plan(&demoDocuments[i]); err != nil {
			return 0, err
		}
	}
	for ds.queue.Len() > 0 {
		e := heap.Pop(&ds.queue).(event)
		clk.Set(e.at)
		if err := e.do(ctx); err != nil {
			return ds.n, fmt.Errorf("cannot seed the demo documents (%s): %w", e.what, err)
		}
	}
	// People read their notifications about steps long past; the recent ones
	// stay unread, as they would be on a Monday morning.
	cutoff := ds.day0.AddDate(0, 0, -notificationDays)
	if _, err := s.db.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND read_at IS NULL AND created_at < $1`, cutoff, tenant); err != nil {
		return ds.n, fmt.Errorf("cannot mark the old demo notifications read: %w", err)
	}
	return ds.n, nil
}

// at schedules do on the day ago days before today, minutes after 9:00
// (Bucharest time, give or take the summer hour).
func (ds *docSeeder) at(ago, minutes int, what string, do func(context.Context) error) {
	ds.seq++
	heap.Push(&ds.queue, event{at: ds.day0.AddDate(0, 0, -ago).Add(7*time.Hour + time.Duration(minutes)*time.Minute), seq: ds.seq, what: what, do: do})
}

// Days between the steps of a version's way to force, counted back from the
// day it comes into force.
const (
	daysDrafted   = 21
	daysSubmitted = 14
	daysVerified  = 7
	daysEndorsed  = 3
)

// plan puts a document's story on the timeline.
func (ds *docSeeder) plan(spec *docSpec) error {
	r := &docRun{spec: spec}
	if _, dup := ds.runs[spec.code]; dup {
		return fmt.Errorf("cannot seed the demo documents: %s is listed twice", spec.code)
	}
	ds.runs[spec.code] = r
	name := spec.code
	switch spec.story {
	case storyInForce, storyWithdrawn:
		start := spec.ago + daysDrafted
		ds.at(start, 0, name+" create", r.create(ds))
		ds.at(start, 30, name+" links", r.link(ds))
		ds.toForce(r, spec.ago)
		last := spec.ago
		for _, c := range spec.changes {
			if c.draft {
				ds.at(c.ago, 0, name+" revision", r.revise(ds, c))
				continue
			}
			ds.at(c.ago+daysDrafted, 0, name+" revision", r.revise(ds, c))
			ds.toForce(r, c.ago)
			last = c.ago
		}
		if spec.send != "" {
			// Before the reading planned for that day, so it covers everyone.
			ds.at(last, 90, name+" distribution", r.distribute(ds))
		}
		if spec.story == storyWithdrawn {
			ds.at(spec.withdrawnAgo, 0, name+" withdrawal", r.withdraw(ds))
		}
		if spec.reviewedAgo > 0 {
			ds.at(spec.reviewedAgo, 0, name+" review", r.reviewed(ds))
		}
	case storyDraft:
		ds.at(spec.ago, 0, name+" create", r.create(ds))
		ds.at(spec.ago, 30, name+" links", r.link(ds))
	case storyVerify, storyEndorse, storyApprove, storyRejected:
		ds.at(spec.ago, 0, name+" create", r.create(ds))
		ds.at(spec.ago, 30, name+" links", r.link(ds))
		submitted := map[string]int{storyVerify: 2, storyEndorse: 6, storyApprove: 8, storyRejected: 9}[spec.story]
		ds.at(submitted, 0, name+" submit", r.submit(ds))
		switch spec.story {
		case storyEndorse, storyApprove:
			ds.at(min(submitted-1, 3), 0, name+" verify", r.verify(ds))
		case storyRejected:
			ds.at(4, 0, name+" reject", r.reject(ds))
		}
	case storyApproved:
		ds.at(spec.ago, 0, name+" create", r.create(ds))
		ds.at(spec.ago, 30, name+" links", r.link(ds))
		ds.at(20, 0, name+" submit", r.submit(ds))
		ds.at(14, 0, name+" verify", r.verify(ds))
		// In force from the first of a month at least a week away.
		eff := time.Date(ds.day0.Year(), ds.day0.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		if eff.Sub(ds.day0) < 7*24*time.Hour {
			eff = eff.AddDate(0, 1, 0)
		}
		ds.at(6, 0, name+" approve", r.approve(ds, eff.Format(time.DateOnly)))
	default:
		return fmt.Errorf("cannot seed the demo documents: %s has an unknown story %q", spec.code, spec.story)
	}
	return nil
}

// toForce schedules the signatures of the version drafted last, so that it
// comes into force ago days before today, and who confirms reading it.
func (ds *docSeeder) toForce(r *docRun, ago int) {
	name := r.spec.code
	ds.at(ago+daysSubmitted, 0, name+" submit", r.submit(ds))
	ds.at(ago+daysVerified, 0, name+" verify", r.verify(ds))
	if r.spec.endorse {
		ds.at(ago+daysEndorsed, 0, name+" endorse", r.endorse(ds))
	}
	ds.at(ago, 60, name+" approve", r.approve(ds, ""))
	ds.at(ago, 120, name+" reading", r.reading(ds, ago))
}

// drafter is who writes the document: their demo user when they have one,
// else themselves as a head of unit without a sign-in (see the package note).
func (ds *docSeeder) drafter(ctx context.Context, key string) (auth.Actor, error) {
	p, err := ds.person(ctx, key)
	if err != nil {
		return auth.Actor{}, err
	}
	if uid := ds.userOf[p.ID]; uid != 0 {
		a, err := ds.s.users.ActorByID(ctx, uid)
		if err == nil && !a.Can(auth.PermDocsEdit) {
			err = fmt.Errorf("the demo user of %s does not draft documents", key)
		}
		return a, err
	}
	return auth.Actor{Tenant: ds.tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{auth.RoleHeadOfUnit}, Locale: "ro"}, nil
}

// reader is a person who confirms reading a document: their demo user when
// they have one, else themselves as an employee without a sign-in.
func (ds *docSeeder) reader(ctx context.Context, person int64) (auth.Actor, error) {
	if uid := ds.userOf[person]; uid != 0 {
		return ds.s.users.ActorByID(ctx, uid)
	}
	return auth.Actor{Tenant: ds.tenant, Name: ds.names[person], PersonID: person, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro"}, nil
}

func (ds *docSeeder) person(ctx context.Context, key string) (org.Person, error) {
	if unit, ok := strings.CutPrefix(key, "first:"); ok {
		var p org.Person
		err := ds.s.db.R.QueryRowContext(ctx, `SELECT id, full_name, COALESCE(unit_id, 0) FROM people WHERE tenant_id = $1 AND unit_id = $2 ORDER BY id LIMIT 1`,
			ds.tenant, ds.units[unit]).Scan(&p.ID, &p.FullName, &p.UnitID)
		if err != nil {
			return p, fmt.Errorf("cannot find the first person of %s: %w", unit, err)
		}
		return p, nil
	}
	p, ok := ds.people[key]
	if !ok {
		return p, fmt.Errorf("no demo person %q", key)
	}
	return p, nil
}

func (r *docRun) create(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		a, err := ds.drafter(ctx, r.spec.drafter)
		if err != nil {
			return err
		}
		in := documents.DocumentInput{Kind: r.spec.kind, Code: r.spec.code, Title: r.spec.title, UnitID: ds.units[r.spec.unit], ReviewMonths: r.spec.review}
		if r.spec.owner != "" {
			p, err := ds.person(ctx, r.spec.owner)
			if err != nil {
				return err
			}
			in.OwnerID = p.ID
		}
		if r.doc, err = ds.docs.Create(ctx, a, in); err != nil {
			return err
		}
		ds.n++
		r.v, err = ds.docs.SaveDraft(ctx, a, r.doc.LatestID, documents.DraftInput{Sections: r.spec.text, Version: 1})
		return err
	}
}

func (r *docRun) link(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		for _, l := range r.spec.links {
			in := documents.LinkInput{Target: documents.LinkClause, Key: l}
			if p, ok := strings.CutPrefix(l, "p:"); ok {
				in = documents.LinkInput{Target: documents.LinkProcess, Key: p}
			} else if code, ok := strings.CutPrefix(l, "d:"); ok {
				other := ds.runs[code]
				if other == nil || other.doc.ID == 0 {
					return fmt.Errorf("%s links to %s before it exists", r.spec.code, code)
				}
				in = documents.LinkInput{Target: documents.LinkDocument, Key: fmt.Sprint(other.doc.ID)}
			}
			if err := ds.docs.AddLink(ctx, ds.qm, r.doc.ID, in); err != nil {
				return fmt.Errorf("cannot link %s to %s: %w", r.spec.code, l, err)
			}
		}
		return nil
	}
}

func (r *docRun) submit(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		a, err := ds.drafter(ctx, r.spec.drafter)
		if err != nil {
			return err
		}
		in := documents.StepInput{Action: documents.ActSubmit, VerifierID: ds.qm.UserID, ApproverID: ds.mayor.UserID, Version: r.v.Version}
		if r.spec.endorse {
			in.EndorserID = ds.econ.UserID
		}
		r.v, err = ds.docs.Step(ctx, a, r.v.ID, in)
		return err
	}
}

func (r *docRun) verify(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		act := documents.ActVerify
		if r.spec.endorse {
			act = documents.ActVerifyEndorse
		}
		var err error
		r.v, err = ds.docs.Step(ctx, ds.qm, r.v.ID, documents.StepInput{Action: act, Version: r.v.Version})
		return err
	}
}

func (r *docRun) endorse(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		var err error
		r.v, err = ds.docs.Step(ctx, ds.econ, r.v.ID, documents.StepInput{Action: documents.ActEndorse, Version: r.v.Version})
		return err
	}
}

func (r *docRun) approve(ds *docSeeder, effective string) func(context.Context) error {
	return func(ctx context.Context) error {
		var err error
		r.v, err = ds.docs.Step(ctx, ds.mayor, r.v.ID, documents.StepInput{Action: documents.ActApprove, EffectiveOn: effective, Version: r.v.Version})
		return err
	}
}

func (r *docRun) reject(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		var err error
		r.v, err = ds.docs.Step(ctx, ds.qm, r.v.ID, documents.StepInput{Action: documents.ActReject, Reason: r.spec.reason, Version: r.v.Version})
		return err
	}
}

func (r *docRun) revise(ds *docSeeder, c docChange) func(context.Context) error {
	return func(ctx context.Context) error {
		a, err := ds.drafter(ctx, r.spec.drafter)
		if err != nil {
			return err
		}
		if r.v, err = ds.docs.NewVersion(ctx, a, r.doc.ID, documents.NewVersionInput{Edition: c.edition, Reason: c.reason}); err != nil {
			return err
		}
		r.v, err = ds.docs.SaveDraft(ctx, a, r.v.ID, documents.DraftInput{Sections: c.text, Reason: c.reason, Version: r.v.Version})
		return err
	}
}

func (r *docRun) withdraw(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		view, err := ds.docs.Open(ctx, ds.qm, r.doc.ID, 0)
		if err != nil {
			return err
		}
		r.v, err = ds.docs.Step(ctx, ds.qm, view.Version.ID, documents.StepInput{Action: documents.ActWithdraw, Reason: r.spec.reason, Version: view.Version.Version})
		return err
	}
}

func (r *docRun) reviewed(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		d, err := ds.docs.Document(ctx, ds.qm, r.doc.ID)
		if err != nil {
			return err
		}
		_, err = ds.docs.RecordReview(ctx, ds.qm, r.doc.ID, documents.ReviewInput{Outcome: documents.ReviewUnchanged, Note: r.spec.reviewNote, Version: d.Version})
		return err
	}
}

// distribute sets the distribution list of a document in force, which hands
// it to everyone newly covered.
func (r *docRun) distribute(ds *docSeeder) func(context.Context) error {
	return func(ctx context.Context) error {
		d, err := ds.docs.Document(ctx, ds.qm, r.doc.ID)
		if err != nil {
			return err
		}
		list := []documents.Recipient{{UnitID: ds.units[r.spec.unit], Purpose: documents.PurposeApply}}
		switch r.spec.send {
		case sendAll, sendOwn:
			for _, u := range targuVerdeUnits {
				if u.parent == "" && u.key != r.spec.unit && (r.spec.send == sendAll || u.relation == own) {
					list = append(list, documents.Recipient{UnitID: ds.units[u.key], Purpose: documents.PurposeApply})
				}
			}
			// The mayor, the deputies and the secretary general, who belong to no unit.
			rows, err := ds.s.db.R.QueryContext(ctx, `SELECT id FROM people WHERE tenant_id = $1 AND unit_id IS NULL AND elected_role <> $2 AND active ORDER BY id`,
				ds.tenant, org.ElectedCouncillor)
			if err != nil {
				return fmt.Errorf("cannot list the institution's management: %w", err)
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				list = append(list, documents.Recipient{PersonID: id, Purpose: documents.PurposeInform})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		case sendHeads:
			for _, u := range targuVerdeUnits {
				if p, ok := ds.people["head:"+u.key]; ok && u.parent == "" && u.key != r.spec.unit {
					list = append(list, documents.Recipient{PersonID: p.ID, Purpose: documents.PurposeApply})
				}
			}
			list = append(list, documents.Recipient{PersonID: ds.people["secretary"].ID, Purpose: documents.PurposeInform})
		}
		return ds.docs.SetDistribution(ctx, ds.qm, r.doc.ID, list, d.Version)
	}
}

// reading schedules when the people who received the version in force now
// confirm reading it: within ten days, and never later than yesterday.
func (r *docRun) reading(ds *docSeeder, ago int) func(context.Context) error {
	return func(ctx context.Context) error {
		d, err := ds.docs.Document(ctx, ds.qm, r.doc.ID)
		if err != nil {
			return err
		}
		if d.CurrentID == 0 || d.State != documents.StateInForce {
			return nil
		}
		rows, err := ds.s.db.R.QueryContext(ctx, `SELECT person_id FROM document_receipts WHERE tenant_id = $1 AND version_id = $2 AND acknowledged_at IS NULL ORDER BY copy_no`,
			ds.tenant, d.CurrentID)
		if err != nil {
			return fmt.Errorf("cannot read the receipts: %w", err)
		}
		var people []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			people = append(people, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		unread := map[int64]bool{}
		for _, key := range r.spec.unread {
			unread[ds.people[key].ID] = true
		}
		version := d.CurrentID
		for i, person := range people {
			// Everyone confirms within the ten days they have, but those
			// named: an overdue confirmation is the exception in this town
			// hall, not the rule. A version that came into force in the last
			// days is still being read.
			day := ago - 1 - ds.rng.IntN(10)
			if unread[person] || day < 1 {
				continue
			}
			ds.at(day, 30+i, fmt.Sprintf("%s read by %d", r.spec.code, person), func(ctx context.Context) error {
				a, err := ds.reader(ctx, person)
				if err != nil {
					return err
				}
				return ds.docs.Acknowledge(ctx, a, version)
			})
		}
		return nil
	}
}

// procText is a procedure's written sections, 4 to 11 in the OSGG 600
// structure; the references, definitions and abbreviations every procedure
// of the institution shares are added after its own.
type procText struct {
	purpose, scope string
	refs           []string
	defs, abbr     []string
	desc           []string // the paragraphs of section 8
	resp           []string
	annexes        []string
}

func (p procText) sections() map[string]string {
	return map[string]string{
		documents.SecPurpose:    p.purpose,
		documents.SecScope:      p.scope,
		documents.SecReferences: bullets(append(slices.Clone(p.refs), commonRefs...)...),
		documents.SecDefinitions: "7.1 Definiții\n" + bullets(append(slices.Clone(commonDefs), p.defs...)...) +
			"\n\n7.2 Abrevieri\n" + bullets(append(slices.Clone(commonAbbr), p.abbr...)...),
		documents.SecDescription:      strings.Join(p.desc, "\n\n"),
		documents.SecResponsibilities: bullets(p.resp...),
		documents.SecAnnexes:          bullets(p.annexes...),
	}
}

// bullets writes items as "- " lines, ended as Romanian lists are: with a
// semicolon, and a full stop after the last.
func bullets(items ...string) string {
	var b strings.Builder
	for i, it := range items {
		b.WriteString("- ")
		b.WriteString(it)
		if i < len(items)-1 {
			b.WriteString(";\n")
		} else {
			b.WriteString(".")
		}
	}
	return b.String()
}

// par is a numbered sub-section of section 8: its title, then its lines.
func par(title string, lines ...string) string {
	return title + "\n" + strings.Join(lines, "\n")
}

// body is the single written section of a document that is not a procedure.
func body(paragraphs ...string) map[string]string {
	return map[string]string{documents.SecBody: strings.Join(paragraphs, "\n\n")}
}

var commonRefs = []string{
	"Ordonanța de urgență a Guvernului nr. 57/2019 privind Codul administrativ, cu modificările și completările ulterioare",
	"Ordinul Secretariatului General al Guvernului nr. 600/2018 privind aprobarea Codului controlului intern managerial al entităților publice",
	"SR EN ISO 9001:2015 Sisteme de management al calității. Cerințe",
	"Regulamentul de organizare și funcționare al aparatului de specialitate al primarului municipiului Târgu Verde",
	"Manualul calității, cod MC-01",
}

var commonDefs = []string{
	"Procedură documentată – modul specific de realizare a unei activități sau a unui proces, redactat pe suport hârtie sau în format electronic",
	"Procedură de sistem – procedură care descrie un proces sau o activitate care se desfășoară în toate compartimentele instituției",
	"Procedură operațională – procedură care descrie un proces sau o activitate care se desfășoară în unul sau mai multe compartimente, fără aplicabilitate la nivelul întregii instituții",
	"Ediție – forma inițială sau actualizată a unei proceduri, aprobată și difuzată",
	"Revizie – modificarea, adăugarea sau eliminarea uneia ori a mai multor părți ale unei ediții, aprobată și difuzată",
}

var commonAbbr = []string{
	"PS – procedură de sistem",
	"PO – procedură operațională",
	"E – elaborare; V – verificare; A – aprobare; Ap. – aplicare; Ah. – arhivare",
	"RMC – responsabilul cu managementul calității",
	"SMC – sistemul de management al calității",
	"SCIM – sistemul de control intern managerial",
	"ROF – Regulamentul de organizare și funcționare",
}

// manual is the quality manual's text in edition ed, revision rev: the
// first edition covered only the mayor's apparatus; the second took in the
// subordinate public services after the reorganisation; its first revision
// moved the documents into Cadran and added internal communication.
func manual(ed, rev int) map[string]string {
	scope := "Sistemul de management al calității se aplică activităților aparatului de specialitate al primarului: relații cu publicul și registratură, urbanism și autorizări în construcții, impozite și taxe locale, buget, contabilitate și achiziții publice, resurse umane, investiții și administrarea domeniului public, juridic și administrație publică locală."
	processes := []string{
		"procese de management: planificarea strategică, analiza efectuată de management, managementul riscurilor, auditul intern",
		"procese operaționale: relația cu cetățenii, emiterea actelor administrative, autorizarea construcțiilor, stabilirea și încasarea impozitelor și taxelor locale, achizițiile publice",
		"procese-suport: resurse umane, buget și contabilitate, informatică, arhivă",
	}
	roles := "Primarul asigură conducerea sistemului de management al calității și numește, prin dispoziție, responsabilul cu managementul calității (RMC). RMC coordonează elaborarea și menținerea documentelor sistemului și programul de audit intern și raportează primarului despre funcționarea sistemului. Conducătorii de compartimente răspund de aplicarea procedurilor în compartimentele lor."
	docs := "Sistemul este documentat prin prezentul manual, politica în domeniul calității, procedurile de sistem și operaționale, instrucțiunile de lucru, formularele și înregistrările. Controlul lor este descris în procedura de sistem PS-01."
	improve := "Satisfacția cetățenilor se măsoară anual prin chestionare aplicate la ghișee și pe pagina de internet. Auditurile interne se desfășoară potrivit PS-03, neconformitățile se tratează potrivit PS-04, iar analiza efectuată de management are loc cel puțin o dată pe an."
	if ed >= 2 {
		scope += " Din ediția a II-a, sistemul cuprinde și serviciile publice subordonate Consiliului Local care au aderat la el: Direcția de Asistență Socială, Serviciul Public Comunitar Local de Evidență a Persoanelor și Poliția Locală."
		processes[1] += ", asistența socială, evidența persoanelor și starea civilă, ordinea publică"
		roles += " Comisia de monitorizare a sistemului de control intern managerial, condusă de un viceprimar, corelează cerințele Codului controlului intern managerial cu cele ale SR EN ISO 9001:2015, astfel încât aceleași proceduri servesc ambelor sisteme."
		improve += " Riscurile care pot afecta realizarea obiectivelor se gestionează potrivit PS-05, iar registrul riscurilor este o intrare a analizei efectuate de management."
	}
	if ed >= 2 && rev >= 1 {
		processes[0] += ", comunicarea internă"
		docs += " Documentele se gestionează electronic, în aplicația Cadran, care păstrează edițiile și reviziile, semnăturile de elaborare, verificare și aprobare, listele de difuzare și confirmările de luare la cunoștință. Exemplarele tipărite sunt necontrolate, cu excepția celor numerotate în lista de difuzare."
	}
	return body(
		"1. Prezentarea instituției\nPrimăria Municipiului Târgu Verde este structura funcțională cu activitate permanentă, formată din primar, viceprimari, secretarul general al unității administrativ-teritoriale și aparatul de specialitate al primarului, care duce la îndeplinire hotărârile Consiliului Local și soluționează problemele curente ale colectivității locale. Sediul instituției este în Piața Unirii nr. 1, municipiul Târgu Verde, județul Mureș.",
		"2. Domeniul de aplicare\n"+scope+" Cerința 8.3 „Proiectarea și dezvoltarea produselor și serviciilor” nu se aplică, deoarece serviciile instituției sunt stabilite prin lege și nu sunt proiectate de instituție.",
		"3. Politica și obiectivele calității\nPolitica în domeniul calității este stabilită de primar în documentul PC-01 și este comunicată întregului personal. Obiectivele calității se stabilesc anual, pe compartimente, sunt măsurabile și se urmăresc trimestrial.",
		"4. Procesele sistemului\n"+bullets(processes...)+"\nInteracțiunea proceselor este descrisă în harta proceselor, anexa 1 la prezentul manual.",
		"5. Responsabilități și autorități\n"+roles,
		"6. Documentele sistemului\n"+docs,
		"7. Evaluarea performanței și îmbunătățirea\n"+improve,
	)
}

var policyText = body(
	"Primăria Municipiului Târgu Verde își propune să ofere cetățenilor, mediului de afaceri și vizitatorilor servicii publice prompte, legale și transparente, într-un oraș curat, sigur și deschis.",
	"Pentru aceasta, conducerea instituției se angajează:\n"+bullets(
		"să respecte cerințele legale și de reglementare aplicabile și cerințele SR EN ISO 9001:2015",
		"să soluționeze cererile și petițiile cetățenilor în termenele legale și, unde este posibil, mai repede",
		"să extindă serviciile electronice, astfel încât cât mai multe cereri să poată fi depuse fără deplasare la ghișeu",
		"să asigure personalului instruirea și condițiile de lucru necesare",
		"să identifice și să trateze riscurile care pot afecta obiectivele instituției",
		"să îmbunătățească continuu eficacitatea sistemului de management al calității",
	),
	"Politica în domeniul calității oferă cadrul pentru stabilirea obiectivelor calității, este comunicată întregului personal, este disponibilă părților interesate pe pagina de internet a instituției și este analizată anual, în cadrul analizei efectuate de management.",
)

var roiText = body(
	"Capitolul I. Dispoziții generale\nPrezentul regulament intern stabilește regulile privind disciplina muncii, drepturile și obligațiile angajatorului și ale salariaților, în aplicarea Codului muncii și a Codului administrativ. Se aplică funcționarilor publici și personalului contractual din aparatul de specialitate al primarului, precum și persoanelor care desfășoară activități în instituție în baza unor acorduri de practică sau voluntariat.",
	"Capitolul II. Programul de lucru\n"+bullets(
		"programul de lucru este de luni până joi între orele 8:00 și 16:30, iar vineri între orele 8:00 și 14:00",
		"programul cu publicul al ghișeelor se afișează la sediu și pe pagina de internet și nu se modifică fără aprobarea primarului",
		"prezența se înregistrează zilnic în condica de prezență a compartimentului",
		"munca suplimentară se efectuează numai cu aprobarea prealabilă a primarului, la propunerea conducătorului compartimentului",
	),
	"Capitolul III. Drepturile și obligațiile salariaților\nSalariații au dreptul la tratament egal, la informare și consultare, la formare profesională și la condiții de muncă sigure. Ei sunt obligați să își îndeplinească atribuțiile din fișa postului, să respecte procedurile în vigoare, să păstreze confidențialitatea informațiilor și a datelor cu caracter personal de care iau cunoștință și să se comporte cu respect față de cetățeni și colegi.",
	"Capitolul IV. Securitatea și sănătatea în muncă\nSalariații participă la instruirile de securitate și sănătate în muncă și de situații de urgență, folosesc echipamentele de muncă potrivit instrucțiunilor și comunică de îndată conducătorului orice situație care prezintă pericol.",
	"Capitolul V. Nediscriminarea și demnitatea în muncă\nÎn instituție este interzisă orice formă de discriminare, hărțuire sau hărțuire morală la locul de muncă. Sesizările se adresează Serviciului Resurse Umane și se analizează de comisia desemnată prin dispoziția primarului, cu protecția persoanei care a făcut sesizarea.",
	"Capitolul VI. Abaterile disciplinare și sancțiunile\nAbaterile disciplinare ale funcționarilor publici se cercetează de comisia de disciplină, potrivit Codului administrativ, iar cele ale personalului contractual, de comisia de cercetare disciplinară prealabilă, potrivit Codului muncii. Nicio sancțiune, cu excepția avertismentului scris, nu se aplică fără cercetarea prealabilă a faptei.",
	"Capitolul VII. Soluționarea cererilor și reclamațiilor individuale\nCererile și reclamațiile salariaților se depun la registratură și se soluționează în cel mult 30 de zile de la înregistrare.",
	"Capitolul VIII. Dispoziții finale\nRegulamentul se aduce la cunoștința fiecărui salariat, care confirmă luarea la cunoștință. Noii angajați îl primesc în prima zi de lucru, odată cu fișa postului.",
)

// The system procedures.
var (
	ps01 = procText{
		purpose: "Procedura stabilește modul unitar în care se elaborează, se verifică, se aprobă, se difuzează, se revizuiesc, se retrag și se păstrează documentele sistemului de management al calității și ale sistemului de control intern managerial, astfel încât la fiecare loc de muncă să fie disponibilă numai ediția în vigoare a documentelor aplicabile.",
		scope:   "Procedura se aplică tuturor documentelor interne ale sistemului (manualul calității, politica în domeniul calității, proceduri de sistem și operaționale, instrucțiuni de lucru, formulare, regulamente interne) și documentelor de proveniență externă folosite în activitate. Se aplică de toate compartimentele aparatului de specialitate al primarului și de serviciile publice subordonate care au aderat la sistemul de management al calității.",
		refs:    []string{"Legea Arhivelor Naționale nr. 16/1996, republicată, cu modificările și completările ulterioare"},
		defs: []string{
			"Document controlat – document pentru care se țin evidența edițiilor și a reviziilor și lista persoanelor care l-au primit",
			"Listă de difuzare – evidența exemplarelor unui document, a compartimentelor și persoanelor care l-au primit și a confirmării luării la cunoștință",
			"Document de proveniență externă – act normativ, standard sau alt document elaborat în afara instituției și folosit în desfășurarea activității",
		},
		desc: []string{
			par("8.1 Elaborarea",
				"Nevoia unui document nou sau a modificării unui document existent se identifică de conducătorul compartimentului care desfășoară activitatea, de RMC, în urma auditurilor interne sau a analizei efectuate de management. Documentul se elaborează de specialistul desemnat de conducătorul compartimentului, în structura prevăzută de Ordinul SGG nr. 600/2018:",
				bullets(
					"codul se atribuie de RMC din registrul documentelor, după schema „tip-compartiment-număr” (de exemplu PO-DAS-01)",
					"fiecare pagină poartă antetul instituției, titlul, codul, ediția, revizia și numărul exemplarului",
					"textul se redactează în limba română, cu diacritice, iar prescurtările se explică la secțiunea 7",
				)),
			par("8.2 Verificarea și avizarea",
				"Proiectul se transmite spre verificare RMC, care urmărește conformitatea cu cerințele SR EN ISO 9001:2015 și corelarea cu celelalte documente ale sistemului. Când documentul are implicații financiare sau juridice, se avizează de Direcția Economică, respectiv de Serviciul Juridic Contencios. Observațiile se consemnează la respingere, iar documentul revine elaboratorului."),
			par("8.3 Aprobarea și intrarea în vigoare",
				"Documentele se aprobă de primar. Data intrării în vigoare se stabilește la aprobare; până la acea dată documentul rămâne în starea „aprobat”. La intrarea în vigoare a unei ediții sau revizii noi, ediția anterioară devine „înlocuită” și se păstrează în arhivă, marcată ca atare."),
			par("8.4 Difuzarea",
				"RMC stabilește lista de difuzare împreună cu elaboratorul. Exemplarele se difuzează pe suport hârtie, pe bază de semnătură în lista de difuzare, iar conducătorii de compartimente prezintă documentul personalului din subordine.",
				bullets(
					"exemplarele tipărite se numerotează și se înregistrează în lista de difuzare",
					"exemplarele edițiilor înlocuite se retrag și se distrug, cu excepția exemplarului de arhivă, marcat „ANULAT”",
				)),
			par("8.5 Documentele de proveniență externă",
				"RMC ține lista documentelor de proveniență externă și verifică lunar, împreună cu Serviciul Juridic Contencios, modificările legislative care afectează procedurile în vigoare."),
		},
		resp: []string{
			"primarul aprobă documentele sistemului și dispune aplicarea lor",
			"RMC atribuie codurile, verifică documentele și ține registrul documentelor, listele de difuzare și lista documentelor de proveniență externă",
			"conducătorii compartimentelor propun elaborarea și revizuirea documentelor, desemnează elaboratorii și urmăresc aplicarea lor în compartiment",
			"elaboratorul redactează documentul și răspunde de corectitudinea conținutului",
			"fiecare salariat aplică numai edițiile în vigoare ale documentelor primite",
		},
		annexes: []string{
			"Anexa 1 – Lista de difuzare (F-PS-01-01): se completează de RMC pentru fiecare ediție sau revizie; se păstrează la Biroul Control Intern Managerial și Managementul Calității 5 ani de la înlocuirea ediției",
			"Anexa 2 – Registrul documentelor sistemului: se ține de RMC, permanent actualizat",
			"Anexa 3 – Lista documentelor de proveniență externă: se actualizează de RMC la fiecare modificare",
		},
	}

	ps02 = procText{
		purpose: "Procedura stabilește regulile de identificare, păstrare, protejare, regăsire și eliminare a înregistrărilor care dovedesc desfășurarea activităților și funcționarea eficace a sistemului de management al calității.",
		scope:   "Procedura se aplică înregistrărilor create în toate compartimentele, pe suport hârtie sau în format electronic: registre, formulare completate, rapoarte, procese-verbale, referate, corespondență și evidențele din aplicațiile informatice.",
		refs: []string{
			"Legea Arhivelor Naționale nr. 16/1996, republicată, cu modificările și completările ulterioare",
			"Regulamentul (UE) 2016/679 privind protecția persoanelor fizice în ceea ce privește prelucrarea datelor cu caracter personal și libera circulație a acestor date",
			"Nomenclatorul arhivistic al Primăriei Municipiului Târgu Verde",
		},
		defs: []string{
			"Înregistrare – document care prezintă rezultatele obținute sau furnizează dovezi ale activităților desfășurate",
			"Nomenclator arhivistic – lista documentelor create de instituție, grupate pe compartimente, cu termenele lor de păstrare",
			"Termen de păstrare – perioada în care o înregistrare se păstrează în compartiment și apoi în arhiva instituției",
		},
		desc: []string{
			par("8.1 Identificarea",
				"Fiecare compartiment ține lista înregistrărilor pe care le creează, cu denumirea, formularul folosit, locul păstrării, responsabilul și termenul de păstrare din nomenclatorul arhivistic. Înregistrările poartă numărul din registratura generală sau din registrul compartimentului, data și semnătura celui care le-a întocmit."),
			par("8.2 Completarea",
				bullets(
					"înregistrările se completează lizibil, fără spații libere care să permită adăugiri ulterioare",
					"corecturile se fac prin tăierea cu o linie a textului greșit, astfel încât să rămână lizibil, cu semnătura și data celui care corectează",
					"înregistrările electronice se salvează numai în aplicațiile și în folderele partajate stabilite de Compartimentul Informatică",
				)),
			par("8.3 Păstrarea și protejarea",
				"În compartiment, înregistrările se păstrează în dosare cu opis, pe ani și pe tipuri, în dulapuri care se închid. Documentele care conțin date cu caracter personal sunt accesibile numai persoanelor care au nevoie de ele pentru îndeplinirea atribuțiilor. Copiile de siguranță ale evidențelor electronice se fac zilnic."),
			par("8.4 Predarea la arhivă",
				"În primul trimestru al fiecărui an, compartimentele predau la arhiva instituției dosarele anului anterior, pe bază de inventar, potrivit nomenclatorului arhivistic."),
			par("8.5 Eliminarea",
				"Înregistrările cu termenul de păstrare expirat se elimină numai pe baza hotărârii comisiei de selecționare, confirmată de Arhivele Naționale. Documentele cu date cu caracter personal se distrug prin mijloace care împiedică reconstituirea lor."),
		},
		resp: []string{
			"conducătorii de compartimente stabilesc lista înregistrărilor compartimentului și răspund de păstrarea lor până la predarea la arhivă",
			"RMC verifică, la auditurile interne, modul de ținere a înregistrărilor",
			"arhivarul primește dosarele pe bază de inventar și asigură păstrarea lor în depozit",
			"Compartimentul Informatică asigură salvarea și protecția evidențelor electronice",
			"comisia de selecționare analizează și propune eliminarea documentelor cu termen de păstrare expirat",
		},
		annexes: []string{
			"Anexa 1 – Lista înregistrărilor compartimentului: se întocmește de fiecare compartiment și se actualizează anual; se păstrează în compartiment",
			"Anexa 2 – Inventarul documentelor predate la arhivă: se întocmește în două exemplare, unul pentru compartiment și unul pentru arhivă; se păstrează permanent",
		},
	}

	ps03 = procText{
		purpose: "Procedura stabilește modul de planificare, pregătire, desfășurare și raportare a auditurilor interne ale sistemului de management al calității, pentru a determina dacă sistemul este conform cu cerințele SR EN ISO 9001:2015 și cu cerințele proprii ale instituției și dacă este implementat și menținut eficace.",
		scope:   "Procedura se aplică tuturor proceselor și compartimentelor din domeniul de aplicare al sistemului de management al calității. Nu se aplică misiunilor de audit public intern, desfășurate de Compartimentul Audit Public Intern potrivit Legii nr. 672/2002.",
		refs: []string{
			"SR EN ISO 19011:2018 Linii directoare pentru auditarea sistemelor de management",
			"Legea nr. 672/2002 privind auditul public intern, republicată",
			"Procedura de sistem PS-04 Neconformități și acțiuni corective",
		},
		defs: []string{
			"Audit intern al calității – proces sistematic, independent și documentat prin care se obțin dovezi obiective și se evaluează măsura în care criteriile de audit sunt îndeplinite",
			"Program de audit – ansamblul auditurilor planificate pentru un an",
			"Plan de audit – descrierea activităților și a orarului unui audit",
			"Constatare – rezultatul evaluării dovezilor de audit în raport cu criteriile de audit: conformitate, neconformitate, observație sau oportunitate de îmbunătățire",
		},
		desc: []string{
			par("8.1 Programul anual de audit",
				"În luna decembrie, RMC întocmește programul auditurilor interne pentru anul următor, astfel încât fiecare proces din domeniul de aplicare să fie auditat cel puțin o dată pe an. La planificare se au în vedere importanța proceselor, riscurile asociate, reclamațiile cetățenilor și rezultatele auditurilor anterioare. Programul se aprobă de primar și se comunică tuturor compartimentelor."),
			par("8.2 Pregătirea auditului",
				bullets(
					"RMC desemnează echipa de audit dintre auditorii interni ai calității; nimeni nu își auditează propria activitate",
					"auditorul-șef întocmește planul de audit și îl transmite compartimentului auditat cu cel puțin 5 zile lucrătoare înainte",
					"echipa studiază procedurile aplicabile, rezultatele auditului anterior și stadiul acțiunilor corective și pregătește lista de verificare",
				)),
			par("8.3 Desfășurarea auditului",
				"Auditul începe cu o ședință de deschidere, în care se confirmă planul. Auditorii colectează dovezi prin interviuri, observarea activității și examinarea prin sondaj a documentelor și înregistrărilor. Constatările se discută cu conducătorul compartimentului auditat în ședința de închidere."),
			par("8.4 Raportarea",
				"În cel mult 5 zile lucrătoare de la ședința de închidere, auditorul-șef transmite raportul de audit, cu constatările clasificate ca neconformități, observații sau oportunități de îmbunătățire. Pentru fiecare neconformitate, compartimentul auditat propune corecția și acțiunea corectivă, potrivit procedurii PS-04."),
			par("8.5 Urmărirea",
				"RMC urmărește implementarea acțiunilor corective la termenele stabilite și verifică eficacitatea lor cel târziu la auditul următor. Rezultatele auditurilor sunt date de intrare ale analizei efectuate de management."),
		},
		resp: []string{
			"primarul aprobă programul anual de audit și desemnează prin dispoziție auditorii interni ai calității",
			"RMC coordonează programul, desemnează echipele și ține evidența rapoartelor",
			"auditorul-șef conduce auditul și întocmește raportul",
			"conducătorii compartimentelor auditate pun la dispoziție documentele și persoanele solicitate și propun acțiunile corective",
			"auditorii păstrează confidențialitatea informațiilor obținute",
		},
		annexes: []string{
			"Anexa 1 – Programul anual de audit intern: se întocmește de RMC și se aprobă de primar; se păstrează 3 ani",
			"Anexa 2 – Planul de audit: se întocmește de auditorul-șef; se păstrează 3 ani",
			"Anexa 3 – Raportul de audit intern: se întocmește de auditorul-șef și se transmite compartimentului auditat și primarului; se păstrează 3 ani",
		},
	}

	ps04 = procText{
		purpose: "Procedura stabilește modul în care se identifică, se înregistrează și se tratează neconformitățile, se analizează cauzele lor și se stabilesc și se urmăresc acțiunile corective, astfel încât neconformitățile să nu se repete.",
		scope:   "Procedura se aplică neconformităților constatate la auditurile interne și externe, la verificările conducătorilor, din reclamațiile cetățenilor și din sesizările personalului, în toate compartimentele.",
		refs:    []string{"Procedura de sistem PS-03 Auditul intern al sistemului de management al calității"},
		defs: []string{
			"Neconformitate – neîndeplinirea unei cerințe",
			"Corecție – acțiune de eliminare a unei neconformități detectate",
			"Acțiune corectivă – acțiune de eliminare a cauzei unei neconformități și de prevenire a repetării ei",
			"Analiza cauzelor – identificarea cauzei fundamentale a unei neconformități, de exemplu prin întrebarea „de ce?” repetată sau prin diagrama cauză-efect",
		},
		desc: []string{
			par("8.1 Identificarea și înregistrarea",
				"Orice salariat care constată o neconformitate o aduce la cunoștința conducătorului compartimentului. Neconformitatea se înregistrează pe formularul F-PS-04-01, cu descrierea faptelor, locul, data și dovezile."),
			par("8.2 Corecția",
				"Conducătorul compartimentului dispune de îndată corecția, dacă este posibilă: refacerea unui act, completarea unui dosar, comunicarea unui răspuns întârziat. Când neconformitatea a afectat un cetățean, acesta este informat despre corecție."),
			par("8.3 Analiza cauzelor și stabilirea acțiunii corective",
				"În cel mult 10 zile lucrătoare, compartimentul analizează cauzele, împreună cu RMC atunci când neconformitatea privește mai multe compartimente, și stabilește acțiunea corectivă, responsabilul și termenul.",
				bullets(
					"se verifică dacă există sau pot apărea neconformități similare în alte compartimente",
					"se actualizează, dacă este cazul, registrul riscurilor",
					"se propune modificarea procedurilor care au permis apariția neconformității",
				)),
			par("8.4 Implementarea și verificarea eficacității",
				"Responsabilul raportează finalizarea acțiunii. RMC verifică eficacitatea după perioada de aplicare stabilită la planificare, de regulă 3 luni, și închide neconformitatea numai dacă nu s-a repetat. Situația neconformităților și a acțiunilor corective se prezintă la analiza efectuată de management."),
		},
		resp: []string{
			"conducătorii compartimentelor dispun corecțiile, analizează cauzele și răspund de implementarea acțiunilor corective",
			"RMC ține evidența neconformităților, sprijină analiza cauzelor și verifică eficacitatea acțiunilor",
			"primarul aprobă acțiunile corective care necesită resurse suplimentare",
			"fiecare salariat semnalează neconformitățile constatate",
		},
		annexes: []string{
			"Anexa 1 – Raport de neconformitate și acțiune corectivă (F-PS-04-01): se completează de compartimentul în care a apărut neconformitatea și de RMC; se păstrează 3 ani la Biroul Control Intern Managerial și Managementul Calității",
		},
	}

	ps05 = procText{
		purpose: "Procedura stabilește modul de identificare, evaluare, tratare, monitorizare și raportare a riscurilor care pot afecta realizarea obiectivelor instituției, potrivit standardului 8 „Managementul riscului” din Codul controlului intern managerial.",
		scope:   "Procedura se aplică în toate compartimentele aparatului de specialitate al primarului și în serviciile publice subordonate, pentru obiectivele generale și specifice și pentru activitățile prin care acestea se realizează.",
		refs:    []string{"SR ISO 31000:2018 Managementul riscului. Linii directoare"},
		defs: []string{
			"Risc – o situație sau un eveniment care nu a apărut încă, dar care poate apărea și poate afecta realizarea obiectivelor",
			"Risc inerent – expunerea la risc înainte de aplicarea măsurilor de control",
			"Risc rezidual – expunerea la risc care rămâne după aplicarea măsurilor de control",
			"Expunere la risc – produsul dintre probabilitate și impact, pe o scală de la 1 la 25",
			"Toleranță la risc – nivelul expunerii pe care conducerea îl acceptă fără măsuri suplimentare",
		},
		abbr: []string{"EGR – Echipa de gestionare a riscurilor"},
		desc: []string{
			par("8.1 Organizarea",
				"Prin dispoziția primarului se constituie Echipa de gestionare a riscurilor, condusă de un viceprimar, din care fac parte conducătorii direcțiilor și RMC, ca secretar. Fiecare compartiment desemnează un responsabil cu riscurile."),
			par("8.2 Identificarea riscurilor",
				"Anual, până la 31 ianuarie, fiecare compartiment analizează obiectivele și activitățile proprii și identifică riscurile, cu descrierea, cauzele și consecințele lor. Riscurile apărute în cursul anului se semnalează pe formularul de alertă la risc (F-PS-05-01)."),
			par("8.3 Evaluarea",
				"Fiecare risc se evaluează pe o scală de la 1 la 5 pentru probabilitate și pentru impact, iar expunerea este produsul lor. Toleranța la risc aprobată de primar este expunerea 8:",
				bullets(
					"riscurile cu expunerea până la 8 se acceptă și se monitorizează",
					"riscurile cu expunerea peste 8 se tratează prin măsuri de control",
					"riscurile cu expunerea de cel puțin 15 se raportează de îndată EGR",
				)),
			par("8.4 Tratarea",
				"Pentru riscurile care se tratează, compartimentul stabilește măsurile de control, responsabilul și termenul și le înscrie în registrul riscurilor compartimentului, aprobat de conducătorul acestuia."),
			par("8.5 Monitorizarea și raportarea",
				"Responsabilii cu riscurile reevaluează riscurile semestrial și actualizează registrul. EGR consolidează registrele în registrul de riscuri al instituției, analizează profilul de risc și prezintă primarului raportul anual privind gestionarea riscurilor."),
		},
		resp: []string{
			"primarul aprobă toleranța la risc și registrul de riscuri al instituției",
			"EGR analizează riscurile semnificative și propune măsuri",
			"conducătorii compartimentelor aprobă registrele de riscuri ale compartimentelor și răspund de aplicarea măsurilor",
			"responsabilii cu riscurile întocmesc și actualizează registrele",
			"RMC asigură secretariatul EGR și consolidează registrele",
		},
		annexes: []string{
			"Anexa 1 – Formular de alertă la risc (F-PS-05-01): se completează de compartimentul care identifică riscul; se păstrează 3 ani",
			"Anexa 2 – Registrul riscurilor: se ține pe compartimente și consolidat la nivelul instituției; se păstrează permanent",
		},
	}

	ps06 = procText{
		purpose: "Procedura stabilește canalele, responsabilitățile și regulile comunicării interne, astfel încât informațiile necesare desfășurării activității să ajungă la timp la persoanele care au nevoie de ele.",
		scope:   "Procedura se aplică comunicării dintre conducerea instituției și compartimente, dintre compartimente și din interiorul acestora, pentru tot personalul aparatului de specialitate al primarului.",
		refs:    []string{"Regulamentul intern al aparatului de specialitate al primarului, cod ROI"},
		defs: []string{
			"Comunicare internă – schimbul de informații între persoanele și compartimentele instituției",
			"Ședință operativă – întâlnirea săptămânală a primarului cu conducătorii compartimentelor",
			"Notă internă – document scris prin care un compartiment transmite informații sau solicitări altui compartiment",
		},
		desc: []string{
			par("8.1 Canalele de comunicare",
				bullets(
					"ședința operativă săptămânală, lunea la ora 9:00, condusă de primar sau de un viceprimar",
					"ședințele lunare ale compartimentelor, conduse de conducătorii acestora",
					"notele interne și corespondența internă, înregistrate în registratura generală",
					"poșta electronică internă și Cadran, pentru sarcini, notificări și documente",
					"avizierul intern, pentru anunțurile de interes general",
				)),
			par("8.2 Comunicarea de la conducere către compartimente",
				"Hotărârile luate în ședința operativă se consemnează într-o minută, transmisă conducătorilor de compartimente în ziua următoare. Aceștia informează personalul din subordine în cel mult două zile lucrătoare. Dispozițiile primarului care privesc personalul se comunică prin Serviciul Resurse Umane."),
			par("8.3 Comunicarea între compartimente",
				"Solicitările între compartimente se fac prin notă internă sau prin sarcină în Cadran, cu termen de răspuns. Termenul obișnuit este de 5 zile lucrătoare; pentru petiții și pentru solicitările de informații de interes public, termenul se stabilește astfel încât să fie respectat termenul legal de răspuns."),
			par("8.4 Comunicarea de la personal către conducere",
				"Salariații pot transmite propuneri de îmbunătățire și sesizări conducătorului direct sau RMC. Propunerile se analizează lunar, iar autorul primește răspuns."),
			par("8.5 Evaluarea comunicării interne",
				"Anual, RMC aplică un chestionar privind comunicarea internă, iar rezultatele se prezintă la analiza efectuată de management."),
		},
		resp: []string{
			"primarul conduce ședința operativă și stabilește informațiile care se comunică întregului personal",
			"conducătorii compartimentelor transmit informațiile personalului din subordine și răspund în termen solicitărilor altor compartimente",
			"Serviciul Resurse Umane comunică dispozițiile care privesc personalul",
			"RMC evaluează anual comunicarea internă",
		},
		annexes: []string{
			"Anexa 1 – Minuta ședinței operative: se întocmește de secretarul ședinței; se păstrează 3 ani la Cabinetul Primarului",
			"Anexa 2 – Nota internă: se întocmește de compartimentul solicitant; se păstrează în dosarul compartimentului, potrivit nomenclatorului arhivistic",
		},
	}
)

// ps01Rev1 is PS-01 edition I revision 1: the first text had paper copies
// signed for; the revision brought electronic distribution, confirmations of
// reading and the periodic review.
func ps01Rev1() procText {
	p := ps01
	p.desc = append(slices.Clone(ps01.desc[:3]),
		par("8.4 Difuzarea și luarea la cunoștință",
			"RMC stabilește lista de difuzare împreună cu elaboratorul. Documentul se difuzează electronic, prin Cadran: fiecare destinatar îl primește în momentul intrării în vigoare și confirmă luarea la cunoștință în cel mult 10 zile; conducătorii de compartimente urmăresc confirmările personalului din subordine. Noii angajați primesc documentele compartimentului în prima zi de lucru.",
			bullets(
				"exemplarele tipărite, acolo unde sunt necesare, se numerotează și se înregistrează în lista de difuzare",
				"exemplarele edițiilor înlocuite se retrag și se distrug, cu excepția exemplarului de arhivă, marcat „ANULAT”",
			)),
		par("8.5 Analiza periodică și retragerea",
			"Fiecare document se analizează cel puțin o dată pe an de conducătorul compartimentului care l-a elaborat. Rezultatul analizei se înregistrează: documentul rămâne neschimbat sau se deschide o revizie. Un document care nu mai are obiect se retrage, cu motivarea retragerii, la propunerea compartimentului și cu acordul RMC."),
		par("8.6 Documentele de proveniență externă",
			"RMC ține lista documentelor de proveniență externă și verifică lunar, împreună cu Serviciul Juridic Contencios, modificările legislative care afectează procedurile în vigoare."),
	)
	p.annexes = append(slices.Clone(ps01.annexes), "Anexa 4 – Evidența confirmărilor de luare la cunoștință: se ține în Cadran pentru fiecare ediție și revizie; se păstrează 5 ani de la înlocuirea ediției")
	return p
}

// The operational procedures.
var (
	poPetitions = procText{
		purpose: "Procedura stabilește modul de primire, înregistrare, repartizare, soluționare și arhivare a petițiilor adresate Primăriei Municipiului Târgu Verde, cu respectarea termenelor prevăzute de Ordonanța Guvernului nr. 27/2002.",
		scope:   "Procedura se aplică petițiilor primite în scris, prin poștă sau prin poștă electronică de la persoane fizice și de la organizații legal constituite. Se aplică de Serviciul Relații cu Publicul și Registratură și de toate compartimentele care soluționează petiții. Nu se aplică solicitărilor de informații de interes public, tratate potrivit PO-SRPR-02.",
		refs: []string{
			"Ordonanța Guvernului nr. 27/2002 privind reglementarea activității de soluționare a petițiilor, aprobată cu modificări și completări prin Legea nr. 233/2002, cu modificările și completările ulterioare",
			"Legea nr. 52/2003 privind transparența decizională în administrația publică, republicată",
			"Regulamentul (UE) 2016/679 (Regulamentul general privind protecția datelor)",
		},
		defs: []string{
			"Petiție – cererea, reclamația, sesizarea sau propunerea formulată în scris ori prin poștă electronică, pe care o persoană sau o organizație legal constituită o adresează instituției",
			"Petent – persoana fizică sau organizația care adresează petiția",
			"Petiție anonimă – petiția care nu cuprinde datele de identificare ale petentului",
		},
		desc: []string{
			par("8.1 Primirea și înregistrarea",
				"Petițiile se primesc la ghișeul Serviciului Relații cu Publicul și Registratură, prin poștă și la adresa de poștă electronică a instituției. Fiecare petiție se înregistrează în ziua primirii în registrul general, iar petentul primește numărul de înregistrare.",
				bullets(
					"petițiile depuse la ghișeu se înregistrează pe loc, iar petentul primește o copie cu numărul și data înregistrării",
					"petițiile primite prin poștă electronică se înregistrează în aceeași zi lucrătoare, iar numărul se comunică petentului prin răspuns",
					"petițiile anonime sau fără datele de identificare ale petentului nu se iau în considerare și se clasează, cu mențiune în registru",
				)),
			par("8.2 Repartizarea",
				"Șeful Serviciului Relații cu Publicul și Registratură prezintă zilnic petițiile primarului sau persoanei desemnate, care le repartizează compartimentelor competente. Petițiile greșit îndreptate se trimit autorității competente în cel mult 5 zile de la înregistrare, iar petentul este informat."),
			par("8.3 Soluționarea",
				"Compartimentul căruia i s-a repartizat petiția analizează conținutul, cere, dacă este nevoie, informații de la alte compartimente și redactează răspunsul. Termenul de răspuns este de 30 de zile de la înregistrare. Pentru petițiile care necesită o cercetare mai amănunțită, primarul poate prelungi termenul cu cel mult 15 zile, iar petentul este informat înainte de expirarea termenului inițial."),
			par("8.4 Comunicarea răspunsului",
				"Răspunsul se semnează de primar și de conducătorul compartimentului care l-a redactat, se înregistrează și se expediază pe calea pe care a fost primită petiția, dacă petentul nu a cerut altfel. Petițiile aceluiași petent cu același obiect se conexează și primesc un singur răspuns."),
			par("8.5 Evidența și raportarea",
				"Serviciul Relații cu Publicul și Registratură urmărește termenele și transmite săptămânal compartimentelor lista petițiilor cu termenul în următoarele 7 zile. Semestrial, serviciul întocmește raportul privind activitatea de soluționare a petițiilor, care se prezintă primarului și se publică pe pagina de internet."),
		},
		resp: []string{
			"primarul repartizează petițiile, aprobă prelungirea termenului și semnează răspunsurile",
			"șeful Serviciului Relații cu Publicul și Registratură organizează primirea, înregistrarea și evidența petițiilor și întocmește raportul semestrial",
			"conducătorii compartimentelor răspund de soluționarea în termen a petițiilor repartizate",
			"funcționarii care redactează răspunsurile răspund de legalitatea și corectitudinea lor",
		},
		annexes: []string{
			"Anexa 1 – Registrul de evidență a petițiilor: se ține de Serviciul Relații cu Publicul și Registratură; se păstrează 10 ani",
			"Anexa 2 – Raportul semestrial privind activitatea de soluționare a petițiilor: se întocmește de Serviciul Relații cu Publicul și Registratură; se păstrează 10 ani",
		},
	}

	poAudiences = procText{
		purpose: "Procedura stabilește modul de programare și desfășurare a audiențelor acordate de primar și de viceprimari.",
		scope:   "Procedura se aplică de Cabinetul Primarului tuturor audiențelor solicitate de cetățeni și de reprezentanții organizațiilor.",
		refs:    []string{"Ordonanța Guvernului nr. 27/2002 privind reglementarea activității de soluționare a petițiilor, cu modificările și completările ulterioare"},
		defs:    []string{"Audiență – întâlnirea unui cetățean cu primarul sau cu un viceprimar, la cererea cetățeanului, pentru o problemă de competența instituției"},
		desc: []string{
			par("8.1 Înscrierea",
				"Cetățenii se înscriu la audiențe la Cabinetul Primarului, personal sau telefonic, cu cel puțin 3 zile înainte. La înscriere se consemnează numele, datele de contact și problema pentru care se cere audiența."),
			par("8.2 Desfășurarea",
				bullets(
					"audiențele se acordă marțea, între orele 10:00 și 13:00, în ordinea înscrierii",
					"la audiență participă, la cererea primarului, conducătorul compartimentului competent",
					"solicitările se consemnează în registrul de audiențe",
				)),
			par("8.3 Urmărirea",
				"Solicitările care cer un răspuns scris se înregistrează ca petiții și se repartizează compartimentelor. Cabinetul Primarului urmărește răspunsurile și informează lunar primarul."),
		},
		resp: []string{
			"primarul și viceprimarii acordă audiențele",
			"consilierul personal al primarului ține registrul de audiențe și urmărește solicitările",
			"conducătorii compartimentelor participă la audiențe la cerere și răspund solicitărilor repartizate",
		},
		annexes: []string{"Anexa 1 – Registrul de audiențe: se ține de Cabinetul Primarului; se păstrează 5 ani"},
	}

	poPublicInfo = procText{
		purpose: "Procedura stabilește modul de primire, înregistrare, soluționare și evidență a solicitărilor de informații de interes public, cu respectarea Legii nr. 544/2001 și a normelor ei de aplicare.",
		scope:   "Procedura se aplică solicitărilor verbale și scrise, inclusiv celor primite prin poștă electronică, adresate Primăriei Municipiului Târgu Verde de orice persoană, precum și publicării din oficiu a informațiilor de interes public.",
		refs: []string{
			"Legea nr. 544/2001 privind liberul acces la informațiile de interes public, cu modificările și completările ulterioare",
			"Hotărârea Guvernului nr. 123/2002 pentru aprobarea Normelor metodologice de aplicare a Legii nr. 544/2001",
		},
		defs: []string{
			"Informație de interes public – orice informație care privește activitățile instituției sau rezultă din acestea, indiferent de suport și de forma de exprimare",
			"Informație exceptată – informație la care accesul este restrâns prin lege, cum sunt informațiile clasificate și datele cu caracter personal",
			"Buletin informativ – lista informațiilor publicate din oficiu, actualizată anual",
		},
		desc: []string{
			par("8.1 Primirea și înregistrarea",
				"Solicitările scrise se primesc la registratură, prin poștă sau prin poștă electronică, pe formularul F-PO-SRPR-02-01 sau în formă liberă, și se înregistrează în registrul solicitărilor de informații de interes public. Solicitările verbale se primesc la ghișeul de informare, iar informațiile disponibile se comunică pe loc."),
			par("8.2 Analiza solicitării",
				"Persoana desemnată pentru aplicarea Legii nr. 544/2001 din Serviciul Relații cu Publicul și Registratură stabilește dacă informația este de interes public, dacă este exceptată de la acces și care compartiment o deține. Compartimentul care deține informația o transmite în cel mult 3 zile lucrătoare."),
			par("8.3 Termenele de răspuns",
				bullets(
					"răspunsul se comunică în cel mult 10 zile de la înregistrarea solicitării",
					"când informația este complexă, termenul este de cel mult 30 de zile, iar solicitantul este anunțat despre prelungire în termen de 10 zile",
					"refuzul comunicării informațiilor exceptate se motivează și se comunică în cel mult 5 zile",
					"când informația nu este deținută de instituție, solicitantul este îndrumat către autoritatea competentă",
				)),
			par("8.4 Publicarea din oficiu",
				"Serviciul Comunicare și Relații Internaționale actualizează pagina de internet cu informațiile publicate din oficiu și publică anual buletinul informativ și raportul privind accesul la informațiile de interes public."),
			par("8.5 Reclamațiile administrative",
				"Reclamațiile împotriva refuzului sau a răspunsului primit se analizează de o comisie desemnată de primar, iar rezultatul se comunică reclamantului în cel mult 15 zile."),
		},
		resp: []string{
			"primarul desemnează persoana responsabilă pentru aplicarea Legii nr. 544/2001 și semnează răspunsurile",
			"persoana desemnată analizează solicitările, urmărește termenele și ține registrul",
			"conducătorii compartimentelor furnizează la timp informațiile solicitate",
			"Serviciul Comunicare și Relații Internaționale publică informațiile din oficiu și raportul anual",
		},
		annexes: []string{
			"Anexa 1 – Cerere de informații de interes public (F-PO-SRPR-02-01): se completează de solicitant; se păstrează 3 ani",
			"Anexa 2 – Registrul solicitărilor de informații de interes public: se ține de Serviciul Relații cu Publicul și Registratură; se păstrează 10 ani",
			"Anexa 3 – Raportul anual privind accesul la informațiile de interes public: se publică pe pagina de internet; se păstrează permanent",
		},
	}

	poVMI = procText{
		purpose: "Procedura stabilește modul de primire și verificare a cererilor, de efectuare a anchetei sociale, de emitere a dispoziției primarului și de monitorizare a venitului minim de incluziune, astfel încât dreptul să fie acordat corect și la timp familiilor și persoanelor singure îndreptățite.",
		scope:   "Procedura se aplică de Direcția de Asistență Socială, prin Serviciul Beneficii Sociale, pentru cererile depuse de persoanele care au domiciliul sau reședința în municipiul Târgu Verde.",
		refs: []string{
			"Legea asistenței sociale nr. 292/2011, cu modificările și completările ulterioare",
			"Legea nr. 196/2016 privind venitul minim de incluziune, cu modificările și completările ulterioare",
		},
		defs: []string{
			"Venit minim de incluziune – beneficiu de asistență socială pentru familiile și persoanele singure cu venituri reduse, format din ajutorul de incluziune și, după caz, ajutorul pentru familia cu copii",
			"Anchetă socială – verificarea, la domiciliul solicitantului, a situației sociale și economice declarate",
		},
		abbr: []string{"VMI – venit minim de incluziune", "AJPIS – Agenția Județeană pentru Plăți și Inspecție Socială", "DAS – Direcția de Asistență Socială"},
		desc: []string{
			par("8.1 Primirea cererii",
				"Cererea și declarația pe propria răspundere, însoțite de actele doveditoare, se depun la registratura DAS. Inspectorul verifică pe loc dacă dosarul este complet și îi comunică solicitantului, în scris, actele care lipsesc.",
				bullets(
					"actele de identitate ale membrilor familiei",
					"actele doveditoare ale veniturilor realizate în luna anterioară depunerii cererii",
					"actele privind bunurile deținute și, după caz, adeverințele de elev ale copiilor",
				)),
			par("8.2 Ancheta socială",
				"Pentru fiecare cerere, asistentul social efectuează ancheta socială la domiciliul solicitantului, potrivit instrucțiunii de lucru IL-DAS-01. Ancheta socială se semnează de asistentul social și de șeful serviciului."),
			par("8.3 Stabilirea dreptului",
				"Inspectorul calculează venitul net al familiei și cuantumul ajutorului și întocmește referatul. Pe baza referatului se redactează dispoziția primarului de acordare sau de respingere, care se avizează pentru legalitate și se comunică solicitantului."),
			par("8.4 Transmiterea la plată",
				"Lunar, Serviciul Beneficii Sociale transmite la AJPIS situația beneficiarilor, cu drepturile noi, modificările și încetările, în termenul stabilit de agenție."),
			par("8.5 Monitorizarea",
				"Beneficiarii comunică orice schimbare a situației familiei în termenul prevăzut de lege. Serviciul reverifică periodic dosarele, prin anchete sociale, și propune modificarea sau încetarea dreptului când condițiile nu mai sunt îndeplinite."),
		},
		resp: []string{
			"directorul general al DAS coordonează activitatea și semnează referatele",
			"șeful Serviciului Beneficii Sociale verifică calculele și situațiile lunare",
			"inspectorii primesc cererile, calculează drepturile și țin evidența beneficiarilor",
			"asistenții sociali efectuează anchetele sociale",
			"Direcția Juridică și Administrație Publică Locală avizează dispozițiile primarului",
		},
		annexes: []string{
			"Anexa 1 – Cererea și declarația pe propria răspundere: se completează de solicitant; se păstrează în dosarul beneficiarului",
			"Anexa 2 – Ancheta socială: se întocmește de asistentul social; se păstrează în dosarul beneficiarului",
			"Anexa 3 – Situația lunară a beneficiarilor: se transmite la AJPIS; se păstrează 5 ani",
		},
	}

	poAssistants = procText{
		purpose: "Procedura stabilește modul de angajare, evaluare și monitorizare a activității asistenților personali ai persoanelor cu handicap grav, precum și de acordare a indemnizației lunare în locul asistentului personal.",
		scope:   "Procedura se aplică de Direcția de Asistență Socială, prin Compartimentul Persoane Vârstnice și Persoane cu Dizabilități, pentru persoanele cu handicap grav cu domiciliul în municipiul Târgu Verde.",
		refs: []string{
			"Legea nr. 448/2006 privind protecția și promovarea drepturilor persoanelor cu handicap, republicată, cu modificările și completările ulterioare",
			"Legea nr. 53/2003 – Codul muncii, republicată",
		},
		defs: []string{
			"Asistent personal – persoana care supraveghează, acordă asistență și îngrijire persoanei cu handicap grav, pe baza planului de recuperare",
			"Indemnizație lunară – suma acordată persoanei cu handicap grav sau reprezentantului său legal care optează pentru aceasta în locul asistentului personal",
		},
		abbr: []string{"DAS – Direcția de Asistență Socială", "CPVD – Compartimentul Persoane Vârstnice și Persoane cu Dizabilități"},
		desc: []string{
			par("8.1 Opțiunea persoanei cu handicap",
				"Persoana cu handicap grav sau reprezentantul său legal depune la DAS cererea prin care optează pentru asistent personal sau pentru indemnizația lunară, însoțită de certificatul de încadrare în grad de handicap."),
			par("8.2 Angajarea asistentului personal",
				bullets(
					"CPVD verifică dosarul candidatului: actul de identitate, cazierul judiciar, certificatul medical și acordul persoanei cu handicap",
					"asistentul social efectuează ancheta socială la domiciliul persoanei cu handicap",
					"Serviciul Resurse Umane întocmește contractul individual de muncă, aprobat de primar",
				)),
			par("8.3 Monitorizarea activității",
				"Asistentul social verifică activitatea asistentului personal la domiciliul persoanei cu handicap cel puțin o dată pe semestru și consemnează constatările într-un raport de monitorizare. Asistenții personali participă la instruirea anuală organizată de DAS."),
			par("8.4 Încetarea",
				"Contractul asistentului personal încetează în cazurile prevăzute de Codul muncii și de Legea nr. 448/2006, inclusiv la expirarea certificatului de încadrare în grad de handicap, dacă acesta nu a fost reînnoit."),
		},
		resp: []string{
			"directorul general al DAS aprobă referatele de angajare și planul anual de monitorizare",
			"CPVD primește cererile și verifică dosarele",
			"asistenții sociali efectuează anchetele și vizitele de monitorizare",
			"Serviciul Resurse Umane întocmește contractele de muncă",
		},
		annexes: []string{
			"Anexa 1 – Raportul de monitorizare a activității asistentului personal: se întocmește de asistentul social; se păstrează în dosarul persoanei cu handicap",
		},
	}

	poBuildingPermit = procText{
		purpose: "Procedura stabilește modul de primire, verificare și soluționare a cererilor pentru emiterea autorizațiilor de construire și de desființare, cu respectarea Legii nr. 50/1991.",
		scope:   "Procedura se aplică de Direcția Urbanism și Amenajarea Teritoriului, prin Serviciul Autorizări în Construcții, pentru lucrările de construcții de pe teritoriul administrativ al municipiului Târgu Verde.",
		refs: []string{
			"Legea nr. 50/1991 privind autorizarea executării lucrărilor de construcții, republicată, cu modificările și completările ulterioare",
			"Legea nr. 350/2001 privind amenajarea teritoriului și urbanismul, cu modificările și completările ulterioare",
			"Ordinul ministrului dezvoltării regionale și locuinței nr. 839/2009 pentru aprobarea Normelor metodologice de aplicare a Legii nr. 50/1991",
		},
		defs: []string{
			"Autorizație de construire – actul administrativ pe baza căruia se pot executa lucrările de construcții",
			"Documentație tehnică – documentația elaborată de un proiectant autorizat, care însoțește cererea de autorizare",
			"Certificat de urbanism – actul de informare care stabilește regimul juridic, economic și tehnic al imobilului și cerințele pentru autorizare",
		},
		abbr: []string{"AC – autorizație de construire", "AD – autorizație de desființare", "CU – certificat de urbanism", "DT – documentație tehnică"},
		desc: []string{
			par("8.1 Primirea cererii",
				"Cererea pentru emiterea autorizației, pe formularul F-PO-DU-01-01, se depune la ghișeul unic al direcției, împreună cu:",
				bullets(
					"certificatul de urbanism, în termen de valabilitate",
					"documentul care atestă dreptul asupra imobilului",
					"documentația tehnică, în două exemplare",
					"avizele și acordurile cerute prin certificatul de urbanism",
					"dovada plății taxei de autorizare",
				)),
			par("8.2 Verificarea documentației",
				"Referentul verifică dacă dosarul este complet. Dosarele incomplete se restituie în cel mult 5 zile lucrătoare, cu precizarea actelor care lipsesc. Pentru dosarele complete, consilierul verifică conformitatea documentației tehnice cu documentațiile de urbanism aprobate și cu cerințele din certificatul de urbanism."),
			par("8.3 Emiterea autorizației",
				"Consilierul redactează autorizația, care se semnează de primar, de secretarul general al UAT și de arhitectul-șef, în termenul prevăzut de Legea nr. 50/1991. Un exemplar al documentației tehnice, vizat spre neschimbare, se restituie solicitantului."),
			par("8.4 Evidența",
				"Autorizațiile se înregistrează în registrul de evidență a autorizațiilor. Lunar, direcția transmite direcției județene de statistică situația autorizațiilor emise, iar lista autorizațiilor se publică pe pagina de internet."),
		},
		resp: []string{
			"arhitectul-șef coordonează activitatea și semnează autorizațiile",
			"șeful Serviciului Autorizări în Construcții repartizează dosarele și urmărește termenele",
			"consilierii verifică documentațiile și redactează autorizațiile",
			"secretarul general al UAT contrasemnează autorizațiile pentru legalitate",
		},
		annexes: []string{
			"Anexa 1 – Cererea pentru emiterea autorizației de construire sau de desființare (F-PO-DU-01-01): se completează de solicitant; se păstrează permanent, cu dosarul autorizației",
			"Anexa 2 – Registrul de evidență a autorizațiilor: se ține de Serviciul Autorizări în Construcții; se păstrează permanent",
		},
	}

	poUrbanismCert = procText{
		purpose: "Procedura stabilește modul de primire, verificare și emitere a certificatelor de urbanism.",
		scope:   "Procedura se aplică de Direcția Urbanism și Amenajarea Teritoriului pentru cererile privind imobilele de pe teritoriul administrativ al municipiului Târgu Verde.",
		refs: []string{
			"Legea nr. 50/1991 privind autorizarea executării lucrărilor de construcții, republicată, cu modificările și completările ulterioare",
			"Legea nr. 350/2001 privind amenajarea teritoriului și urbanismul, cu modificările și completările ulterioare",
		},
		defs: []string{"Certificat de urbanism – actul de informare care stabilește regimul juridic, economic și tehnic al imobilului și cerințele pentru autorizare"},
		abbr: []string{"CU – certificat de urbanism", "PUG – planul urbanistic general"},
		desc: []string{
			par("8.1 Primirea cererii",
				"Cererea se depune la ghișeul unic al direcției și cuprinde scopul pentru care se solicită certificatul. Se anexează:",
				bullets(
					"planul de încadrare în zonă și planul de situație",
					"extrasul de carte funciară pentru informare, actualizat",
					"dovada plății taxei pentru eliberarea certificatului",
				)),
			par("8.2 Verificarea",
				"Referentul verifică dacă dosarul este complet. Consilierul identifică imobilul în PUG și în documentațiile de urbanism aprobate și stabilește avizele și acordurile necesare."),
			par("8.3 Emiterea",
				"Certificatul de urbanism se redactează, se semnează de primar, de secretarul general al UAT și de arhitectul-șef și se eliberează solicitantului."),
		},
		resp: []string{
			"arhitectul-șef coordonează activitatea și semnează certificatele",
			"consilierii verifică cererile și redactează certificatele",
		},
		annexes: []string{"Anexa 1 – Registrul de evidență a certificatelor de urbanism: se ține de direcție; se păstrează permanent"},
	}
)

var (
	poLocalTaxes = procText{
		purpose: "Procedura stabilește modul de înregistrare a declarațiilor fiscale, de stabilire, comunicare și încasare a impozitelor pe clădiri, pe teren și pe mijloacele de transport datorate de persoanele fizice.",
		scope:   "Procedura se aplică de Serviciul Impozite și Taxe Locale, prin Biroul Constatare și Control Persoane Fizice, pentru contribuabilii persoane fizice care dețin bunuri pe teritoriul municipiului Târgu Verde.",
		refs: []string{
			"Legea nr. 227/2015 privind Codul fiscal, titlul IX „Impozite și taxe locale”, cu modificările și completările ulterioare",
			"Legea nr. 207/2015 privind Codul de procedură fiscală, cu modificările și completările ulterioare",
			"Hotărârea Consiliului Local privind stabilirea impozitelor și taxelor locale pentru anul în curs",
		},
		defs: []string{
			"Contribuabil – persoana fizică care datorează impozite și taxe locale",
			"Decizie de impunere – actul administrativ fiscal prin care se stabilesc impozitele datorate",
			"Bonificație – reducerea acordată pentru plata integrală a impozitului anual până la primul termen de plată, stabilită de Consiliul Local",
		},
		abbr: []string{"SITL – Serviciul Impozite și Taxe Locale"},
		desc: []string{
			par("8.1 Înregistrarea declarațiilor",
				"Contribuabilul depune declarația fiscală în termen de 30 de zile de la dobândirea, înstrăinarea sau modificarea bunului, la ghișeele SITL sau electronic. Inspectorul verifică actele de proprietate și datele declarate și înregistrează bunul în evidența fiscală în ziua depunerii."),
			par("8.2 Stabilirea impozitelor",
				"La începutul fiecărui an, impozitele se calculează automat în aplicația de impozite și taxe, pe baza hotărârii Consiliului Local. Inspectorii verifică prin sondaj calculele pentru bunurile cu situații deosebite: clădiri cu destinație mixtă, scutiri, proprietăți în coproprietate."),
			par("8.3 Comunicarea și plata",
				bullets(
					"deciziile de impunere se comunică prin poștă sau electronic, până la sfârșitul lunii februarie",
					"impozitul anual se plătește în două rate egale, până la 31 martie și 30 septembrie inclusiv",
					"plata integrală până la 31 martie beneficiază de bonificația stabilită de Consiliul Local",
					"plata se face la casierie, prin card la ghișeu, prin internet sau prin ordin de plată",
				)),
			par("8.4 Scutirile și facilitățile",
				"Cererile de scutire se depun cu documentele doveditoare și se soluționează de inspector, cu aprobarea șefului de birou. Scutirea se acordă de la data prevăzută de Codul fiscal pentru fiecare categorie."),
			par("8.5 Controlul",
				"Biroul verifică anual, prin sondaj, concordanța dintre datele declarate și situația din teren, pe baza programului de control aprobat de șeful SITL, și stabilește diferențele de impozit prin decizie."),
		},
		resp: []string{
			"directorul executiv al Direcției Economice coordonează activitatea și aprobă programul de control",
			"șeful SITL organizează campania anuală de impunere",
			"șeful Biroului Constatare și Control Persoane Fizice verifică deciziile și aprobă scutirile",
			"inspectorii înregistrează declarațiile, calculează impozitele și efectuează controalele",
		},
		annexes: []string{
			"Anexa 1 – Declarația fiscală pentru stabilirea impozitului pe clădiri, teren sau mijloace de transport: se completează de contribuabil; se păstrează în dosarul fiscal",
			"Anexa 2 – Decizia de impunere: se emite din aplicația de impozite și taxe; se păstrează în dosarul fiscal",
		},
	}

	poSpending = procText{
		purpose: "Procedura stabilește etapele angajării, lichidării, ordonanțării și plății cheltuielilor din bugetul local și documentele care le însoțesc, astfel încât nicio cheltuială să nu fie plătită fără a fi angajată legal și fără viza de control financiar preventiv propriu.",
		scope:   "Procedura se aplică tuturor cheltuielilor din bugetul local, de Direcția Economică și de compartimentele care inițiază cheltuieli.",
		refs: []string{
			"Legea nr. 273/2006 privind finanțele publice locale, cu modificările și completările ulterioare",
			"Ordinul ministrului finanțelor publice nr. 1792/2002 pentru aprobarea Normelor metodologice privind angajarea, lichidarea, ordonanțarea și plata cheltuielilor instituțiilor publice",
			"Ordonanța Guvernului nr. 119/1999 privind controlul intern managerial și controlul financiar preventiv, republicată",
		},
		defs: []string{
			"Angajament legal – actul prin care se creează o obligație de plată pe seama fondurilor publice",
			"Lichidare – verificarea existenței obligației de plată și a sumei datorate, pe baza documentelor justificative",
			"Ordonanțare – confirmarea că livrările, serviciile sau lucrările au fost efectuate și că se poate face plata",
		},
		abbr: []string{"CFPP – control financiar preventiv propriu", "ALOP – angajare, lichidare, ordonanțare, plată"},
		desc: []string{
			par("8.1 Angajarea",
				"Compartimentul care are nevoie de o cheltuială întocmește propunerea de angajare, cu suma și clasificația bugetară. Serviciul Buget-Finanțe verifică disponibilul de credite și înregistrează angajamentul bugetar.",
				bullets(
					"propunerea de angajare se semnează de conducătorul compartimentului inițiator",
					"angajamentul bugetar se înregistrează înainte de semnarea contractului sau a comenzii",
					"angajamentul legal se semnează de primar",
				)),
			par("8.2 Lichidarea",
				"După primirea bunurilor sau a serviciilor, compartimentul care a inițiat cheltuiala certifică factura „bun de plată”, iar Serviciul Contabilitate verifică documentele justificative."),
			par("8.3 Ordonanțarea și plata",
				"Ordonanțarea de plată se semnează de ordonatorul de credite și se transmite trezoreriei, iar plata se face prin ordin de plată."),
		},
		resp: []string{
			"primarul, ca ordonator principal de credite, aprobă angajamentele și ordonanțările",
			"directorul executiv al Direcției Economice coordonează activitatea",
			"compartimentele inițiatoare întocmesc propunerile de angajare și certifică facturile",
		},
		annexes: []string{
			"Anexa 1 – Propunerea de angajare a unei cheltuieli: se întocmește de compartimentul inițiator; se păstrează 10 ani",
			"Anexa 2 – Ordonanțarea de plată: se întocmește de Serviciul Contabilitate; se păstrează 10 ani",
		},
	}

	poBudget = procText{
		purpose: "Procedura stabilește etapele, termenele și responsabilitățile pentru elaborarea, consultarea publică și aprobarea proiectului bugetului local.",
		scope:   "Procedura se aplică de Direcția Economică, prin Serviciul Buget-Finanțe, și de toate compartimentele și serviciile publice finanțate din bugetul local, care își fundamentează propunerile de cheltuieli.",
		refs: []string{
			"Legea nr. 273/2006 privind finanțele publice locale, cu modificările și completările ulterioare",
			"Legea nr. 500/2002 privind finanțele publice, cu modificările și completările ulterioare",
			"Legea nr. 52/2003 privind transparența decizională în administrația publică, republicată",
		},
		defs: []string{
			"Buget local – documentul prin care se prevăd și se aprobă veniturile și cheltuielile municipiului pentru un an",
			"Fundamentare – nota prin care un compartiment justifică sumele propuse, cu indicatorii care le susțin",
		},
		desc: []string{
			par("8.1 Fundamentarea propunerilor",
				"După primirea scrisorii-cadru, Serviciul Buget-Finanțe transmite compartimentelor și serviciilor subordonate machetele și termenul pentru propunerile de venituri și cheltuieli. Fiecare compartiment își fundamentează propunerile pe baza obiectivelor anuale și a programului de investiții."),
			par("8.2 Elaborarea proiectului",
				"Serviciul Buget-Finanțe centralizează propunerile, estimează veniturile proprii pe baza încasărilor din ultimii trei ani și corelează cheltuielile cu sumele care pot fi acoperite. Diferențele se discută cu conducătorii compartimentelor și se prezintă primarului pentru decizie."),
			par("8.3 Consultarea publică",
				"Proiectul bugetului se publică pe pagina de internet și la sediul instituției, iar cetățenii pot depune propuneri și observații în termenul stabilit potrivit Legii nr. 273/2006 și Legii nr. 52/2003. Propunerile primite se analizează și se centralizează într-un raport de consultare."),
			par("8.4 Aprobarea",
				"Proiectul, cu raportul de specialitate al Direcției Economice și referatul de aprobare al primarului, se supune aprobării Consiliului Local în termenul prevăzut de lege. După adoptare, bugetul aprobat se publică și se transmite direcției generale regionale a finanțelor publice."),
		},
		resp: []string{
			"primarul, ca ordonator principal de credite, propune proiectul bugetului Consiliului Local",
			"directorul executiv al Direcției Economice coordonează elaborarea și semnează raportul de specialitate",
			"Serviciul Buget-Finanțe centralizează propunerile și întocmește proiectul",
			"conducătorii compartimentelor fundamentează propunerile de cheltuieli",
		},
		annexes: []string{
			"Anexa 1 – Macheta de fundamentare a propunerilor de cheltuieli: se completează de fiecare compartiment; se păstrează 10 ani",
			"Anexa 2 – Raportul consultării publice: se întocmește de Serviciul Buget-Finanțe; se păstrează 10 ani",
		},
	}

	poProcurement = procText{
		purpose: "Procedura stabilește modul de realizare a achizițiilor directe de produse, servicii și lucrări, de la identificarea necesității până la recepție, cu respectarea principiilor nediscriminării, tratamentului egal, transparenței și eficienței utilizării fondurilor publice.",
		scope:   "Procedura se aplică de Compartimentul Achiziții Publice și de toate compartimentele care solicită produse, servicii sau lucrări a căror valoare estimată se încadrează în pragurile pentru achiziția directă.",
		refs: []string{
			"Legea nr. 98/2016 privind achizițiile publice, cu modificările și completările ulterioare",
			"Hotărârea Guvernului nr. 395/2016 pentru aprobarea Normelor metodologice de aplicare a prevederilor referitoare la atribuirea contractului de achiziție publică din Legea nr. 98/2016",
			"Procedura operațională PO-DE-01 Angajarea, lichidarea, ordonanțarea și plata cheltuielilor",
		},
		defs: []string{
			"Achiziție directă – modalitate de atribuire prin care autoritatea contractantă cumpără direct, pe baza unei oferte, când valoarea estimată este sub pragul legal",
			"Referat de necesitate – documentul prin care compartimentul solicitant justifică necesitatea și estimează valoarea achiziției",
		},
		abbr: []string{"SICAP – Sistemul informatic colaborativ pentru mediu performant de desfășurare a achizițiilor publice", "PAAP – programul anual al achizițiilor publice"},
		desc: []string{
			par("8.1 Identificarea necesității",
				"Compartimentul solicitant întocmește referatul de necesitate, cu specificațiile tehnice și valoarea estimată, și îl transmite Compartimentului Achiziții Publice. Achiziția trebuie să fie cuprinsă în PAAP sau în anexa achizițiilor directe."),
			par("8.2 Verificarea și aprobarea",
				bullets(
					"Compartimentul Achiziții Publice verifică încadrarea în pragurile achiziției directe și existența achiziției în PAAP",
					"Serviciul Buget-Finanțe confirmă existența creditelor bugetare",
					"primarul aprobă referatul de necesitate",
				)),
			par("8.3 Atribuirea",
				"Achiziția se face, de regulă, din catalogul electronic din SICAP. Când produsul sau serviciul nu se găsește în catalog, se publică un anunț în SICAP sau se cer cel puțin trei oferte, potrivit normelor. Alegerea ofertei se justifică într-o notă aprobată de primar."),
			par("8.4 Angajarea și recepția",
				"Contractul sau comanda se semnează după acordarea vizei de control financiar preventiv propriu. Recepția se face de compartimentul solicitant, pe bază de proces-verbal, iar documentele se transmit Direcției Economice pentru plată."),
		},
		resp: []string{
			"primarul aprobă referatele de necesitate și contractele",
			"Compartimentul Achiziții Publice derulează achiziția în SICAP și ține dosarul achiziției",
			"compartimentele solicitante întocmesc referatele de necesitate și fac recepția",
			"Direcția Economică confirmă creditele bugetare și acordă viza de control financiar preventiv propriu",
		},
		annexes: []string{
			"Anexa 1 – Referatul de necesitate: se întocmește de compartimentul solicitant; se păstrează în dosarul achiziției",
			"Anexa 2 – Nota justificativă privind alegerea ofertei: se întocmește de Compartimentul Achiziții Publice; se păstrează 5 ani",
		},
	}

	poRecruitment = procText{
		purpose: "Procedura stabilește modul de organizare și desfășurare a concursului pentru ocuparea posturilor vacante sau temporar vacante de personal contractual din aparatul de specialitate al primarului.",
		scope:   "Procedura se aplică de Serviciul Resurse Umane, de comisiile de concurs și de soluționare a contestațiilor și de compartimentele în care se află posturile scoase la concurs.",
		refs: []string{
			"Legea nr. 53/2003 – Codul muncii, republicată, cu modificările și completările ulterioare",
			"Hotărârea Guvernului nr. 1336/2022 pentru aprobarea Regulamentului-cadru privind organizarea și dezvoltarea carierei personalului contractual din sectorul bugetar plătit din fonduri publice",
			"Legea-cadru nr. 153/2017 privind salarizarea personalului plătit din fonduri publice, cu modificările și completările ulterioare",
		},
		defs: []string{
			"Post vacant – postul prevăzut în statul de funcții, care nu este ocupat de un titular",
			"Comisie de concurs – comisia numită prin dispoziția primarului, care selectează dosarele, stabilește subiectele și evaluează probele",
		},
		desc: []string{
			par("8.1 Pregătirea concursului",
				"Conducătorul compartimentului în care se află postul transmite Serviciului Resurse Umane referatul privind ocuparea postului, cu condițiile specifice și bibliografia. Serviciul verifică încadrarea în statul de funcții și în fondurile aprobate și redactează dispoziția de numire a comisiilor."),
			par("8.2 Anunțul",
				"Anunțul de concurs se publică pe pagina de internet a instituției, la sediu și pe portalul posturi.gov.ro, în termenul și cu conținutul prevăzute de regulamentul-cadru: condițiile de participare, actele dosarului, bibliografia, calendarul probelor și datele de contact."),
			par("8.3 Desfășurarea concursului",
				bullets(
					"selecția dosarelor, cu afișarea rezultatelor",
					"proba scrisă sau proba practică, după caz",
					"interviul",
					"afișarea rezultatelor finale și soluționarea contestațiilor",
				)),
			par("8.4 Angajarea",
				"Candidatul declarat admis se prezintă la post la data stabilită, iar Serviciul Resurse Umane întocmește contractul individual de muncă și îl înregistrează în registrul general de evidență a salariaților. Noul angajat primește în prima zi fișa postului, regulamentul intern și procedurile compartimentului."),
		},
		resp: []string{
			"primarul aprobă organizarea concursului și numește comisiile",
			"Serviciul Resurse Umane organizează concursul și asigură secretariatul comisiilor",
			"comisia de concurs evaluează candidații; comisia de soluționare a contestațiilor soluționează contestațiile",
			"conducătorul compartimentului propune condițiile specifice și bibliografia",
		},
		annexes: []string{
			"Anexa 1 – Anunțul de concurs: se întocmește de Serviciul Resurse Umane; se păstrează 5 ani",
			"Anexa 2 – Procesele-verbale ale comisiei de concurs: se întocmesc de secretarul comisiei; se păstrează 5 ani",
		},
	}

	poBirths = procText{
		purpose: "Procedura stabilește modul de primire a declarațiilor de naștere, de întocmire a actului de naștere și de eliberare a certificatului de naștere.",
		scope:   "Procedura se aplică de compartimentul de stare civilă al Serviciului Public Comunitar Local de Evidență a Persoanelor pentru nașterile care au loc pe teritoriul municipiului Târgu Verde.",
		refs: []string{
			"Legea nr. 119/1996 cu privire la actele de stare civilă, republicată, cu modificările și completările ulterioare",
			"Hotărârea Guvernului nr. 64/2011 pentru aprobarea Metodologiei cu privire la aplicarea unitară a dispozițiilor în materie de stare civilă",
		},
		defs: []string{
			"Act de naștere – înscrisul din registrul de stare civilă care dovedește nașterea",
			"Certificat de naștere – documentul eliberat pe baza actului de naștere",
		},
		abbr: []string{"SPCLEP – Serviciul Public Comunitar Local de Evidență a Persoanelor"},
		desc: []string{
			par("8.1 Declararea nașterii",
				"Nașterea se declară de oricare dintre părinți în termen de 30 de zile de la data nașterii, la sediul SPCLEP, cu:",
				bullets(
					"certificatul medical constatator al nașterii",
					"actele de identitate ale părinților",
					"certificatul de căsătorie al părinților, dacă sunt căsătoriți",
				)),
			par("8.2 Întocmirea actului de naștere",
				"Ofițerul de stare civilă verifică documentele, întocmește actul de naștere în registrul de stare civilă și îl semnează împreună cu declarantul. Pentru nașterile declarate după termen, se aplică procedura prevăzută de lege pentru înregistrarea tardivă."),
			par("8.3 Eliberarea certificatului",
				"Certificatul de naștere se eliberează declarantului în aceeași zi. Comunicările către serviciul de evidență a persoanelor și către direcția de statistică se transmit în termenele prevăzute de metodologie."),
		},
		resp: []string{
			"șeful SPCLEP coordonează activitatea și verifică registrele",
			"ofițerii de stare civilă delegați de primar întocmesc actele și eliberează certificatele",
		},
		annexes: []string{"Anexa 1 – Registrul actelor de naștere: se ține în două exemplare; se păstrează permanent"},
	}

	poDispositions = procText{
		purpose: "Procedura stabilește modul de redactare, avizare, semnare, înregistrare, comunicare și publicare a dispozițiilor primarului.",
		scope:   "Procedura se aplică de Direcția Juridică și Administrație Publică Locală și de toate compartimentele care inițiază proiecte de dispoziții.",
		refs: []string{
			"Legea nr. 554/2004 a contenciosului administrativ, cu modificările și completările ulterioare",
			"Legea nr. 24/2000 privind normele de tehnică legislativă pentru elaborarea actelor normative, republicată",
		},
		defs: []string{
			"Dispoziție – actul administrativ emis de primar, cu caracter normativ sau individual",
			"Aviz de legalitate – confirmarea, de către secretarul general al UAT, că dispoziția respectă legea",
		},
		abbr: []string{"UAT – unitatea administrativ-teritorială"},
		desc: []string{
			par("8.1 Inițierea",
				"Compartimentul care inițiază dispoziția redactează proiectul, cu temeiul legal, și referatul care îl justifică și le transmite Direcției Juridice și Administrație Publică Locală."),
			par("8.2 Avizarea și semnarea",
				"Serviciul Juridic Contencios verifică proiectul. Secretarul general al UAT avizează dispoziția pentru legalitate, iar primarul o semnează."),
			par("8.3 Înregistrarea și comunicarea",
				bullets(
					"dispoziția se înregistrează în registrul pentru evidența dispozițiilor primarului",
					"secretarul general al UAT comunică dispozițiile prefectului în cel mult 10 zile lucrătoare de la emitere",
					"dispozițiile cu caracter individual se comunică persoanelor cărora li se adresează",
					"dispozițiile cu caracter normativ se publică în Monitorul Oficial Local, pe pagina de internet a instituției",
				)),
		},
		resp: []string{
			"primarul emite dispozițiile",
			"secretarul general al UAT avizează dispozițiile pentru legalitate și le comunică",
			"compartimentele inițiatoare redactează proiectele și referatele",
			"Serviciul Administrație Publică Locală ține registrul dispozițiilor",
		},
		annexes: []string{"Anexa 1 – Registrul pentru evidența dispozițiilor primarului: se ține de Serviciul Administrație Publică Locală; se păstrează permanent"},
	}
)

// poPetitionsRev1 is PO-SRPR-01 edition I revision 1: petitions through the
// web form, and the audiences taken over from the mayor's cabinet.
func poPetitionsRev1() procText {
	p := poPetitions
	p.scope = "Procedura se aplică petițiilor primite în scris, prin poștă, prin poștă electronică, prin formularul de pe pagina de internet sau la audiențe, de la persoane fizice și de la organizații legal constituite. Se aplică de Serviciul Relații cu Publicul și Registratură și de toate compartimentele care soluționează petiții. Nu se aplică solicitărilor de informații de interes public, tratate potrivit PO-SRPR-02."
	p.desc = slices.Clone(poPetitions.desc)
	p.desc[0] = strings.Replace(p.desc[0], "prin poștă și la adresa de poștă electronică a instituției.", "prin poștă, la adresa de poștă electronică a instituției și prin formularul de pe pagina de internet.", 1)
	p.desc = append(p.desc, par("8.6 Audiențele",
		"Cetățenii se înscriu la audiențe la ghișeul serviciului, telefonic sau prin formularul de pe pagina de internet. Programul audiențelor primarului și ale viceprimarilor se afișează la sediu și pe pagina de internet.",
		bullets(
			"la audiență participă, la cererea primarului, conducătorul compartimentului competent",
			"solicitările formulate în audiență se consemnează în registrul de audiențe",
			"solicitările care cer un răspuns scris se înregistrează ca petiții și urmează prezenta procedură",
		)))
	p.resp = append(slices.Clone(poPetitions.resp), "primarul și viceprimarii acordă audiențele, iar Serviciul Relații cu Publicul și Registratură ține registrul de audiențe")
	p.annexes = append(slices.Clone(poPetitions.annexes), "Anexa 3 – Registrul de audiențe: se ține de Serviciul Relații cu Publicul și Registratură; se păstrează 5 ani")
	return p
}

// poBudgetRev1 is the revision of PO-DE-02 being drafted: the budget
// calendar spelt out and the public consultation widened.
func poBudgetRev1() procText {
	p := poBudget
	p.desc = slices.Clone(poBudget.desc)
	p.desc[2] = par("8.3 Consultarea publică",
		"Proiectul bugetului se publică pe pagina de internet și la sediul instituției, iar cetățenii pot depune propuneri și observații în termenul stabilit potrivit Legii nr. 273/2006 și Legii nr. 52/2003. În perioada consultării, Direcția Economică organizează cel puțin o dezbatere publică, anunțată cu 10 zile înainte. Propunerile primite se analizează și se centralizează într-un raport de consultare, publicat odată cu proiectul supus aprobării.")
	p.desc = append(p.desc, par("8.5 Calendarul bugetar",
		bullets(
			"transmiterea machetelor către compartimente: în cel mult 5 zile lucrătoare de la primirea scrisorii-cadru",
			"depunerea propunerilor fundamentate de către compartimente: în cel mult 10 zile lucrătoare",
			"publicarea proiectului pentru consultare: în cel mult 15 zile de la publicarea legii bugetului de stat",
			"supunerea proiectului spre aprobare Consiliului Local: după încheierea consultării publice, în termenul prevăzut de lege",
		)))
	return p
}

// Forms, work instructions and external documents have one written section.
var (
	formDistribution = body("Lista de difuzare se completează pentru fiecare ediție sau revizie a unui document al sistemului și cuprinde:",
		bullets(
			"codul, titlul, ediția și revizia documentului",
			"numărul exemplarului și scopul difuzării: aplicare, informare, evidență, arhivare",
			"compartimentul, funcția, numele și prenumele destinatarului",
			"data primirii și semnătura destinatarului",
			"data retragerii exemplarului înlocuit",
		))
	formNonconformity = body("Raportul se completează pentru fiecare neconformitate și are trei părți:",
		bullets(
			"descrierea neconformității: compartimentul, data, sursa (audit, reclamație, verificare), cerința neîndeplinită și dovezile",
			"tratarea: corecția, analiza cauzelor, acțiunea corectivă, responsabilul și termenul",
			"verificarea eficacității: data, constatarea, semnătura RMC și închiderea neconformității",
		))
	formRiskAlert = body("Formularul de alertă la risc se completează de compartimentul care identifică un risc nou sau o schimbare importantă a unui risc și cuprinde:",
		bullets(
			"compartimentul, obiectivul afectat și descrierea riscului",
			"cauzele și consecințele posibile",
			"probabilitatea, impactul și expunerea estimate",
			"măsurile propuse și dovezile care susțin evaluarea",
			"decizia EGR: escaladare, nerelevant, reținut în registru",
		))
	formInfoRequest = body("Cererea de informații de interes public se adresează Primăriei Municipiului Târgu Verde și cuprinde:",
		bullets(
			"numele și prenumele sau denumirea solicitantului și adresa la care se comunică răspunsul",
			"informația solicitată, descrisă cât mai precis",
			"modul preferat de comunicare: la adresa de poștă electronică, prin poștă sau la sediu",
			"data și semnătura solicitantului",
		),
		"Cererea poate fi depusă la registratură, trimisă prin poștă sau prin poștă electronică.")
	formBuildingPermit = body("Cererea pentru emiterea autorizației de construire sau de desființare se completează de solicitant sau de împuternicitul acestuia și cuprinde:",
		bullets(
			"datele de identificare ale solicitantului",
			"adresa și numărul cadastral al imobilului",
			"numărul și data certificatului de urbanism",
			"descrierea lucrărilor, valoarea estimată și durata de execuție",
			"lista documentelor anexate",
		))
	ilScanning = body("Instrucțiunea descrie pașii prin care documentele primite prin poștă și prin poștă electronică ajung în registrul electronic în aceeași zi.",
		par("1. Documentele pe hârtie",
			bullets(
				"plicurile se deschid în prezența a doi funcționari, cu excepția celor adresate nominal",
				"fiecare document se scanează color, la 300 dpi, într-un singur fișier PDF",
				"se înregistrează în registrul general, iar numărul și data se aplică pe original cu ștampila registraturii",
				"originalul se transmite compartimentului căruia i-a fost repartizat, pe bază de semnătură în condica de predare",
			)),
		par("2. Documentele primite prin poștă electronică",
			bullets(
				"mesajul și atașamentele se salvează ca PDF și se înregistrează în registrul general",
				"expeditorul primește numărul de înregistrare prin răspuns la mesaj",
				"mesajele care nu privesc instituția sau sunt publicitare nu se înregistrează",
			)),
		"3. Verificarea zilnică\nLa sfârșitul programului, referentul verifică dacă toate documentele primite în ziua respectivă au fost înregistrate și repartizate.")
	ilSocialInquiry = body("Instrucțiunea descrie efectuarea anchetei sociale la domiciliul solicitantului de beneficii de asistență socială.",
		par("1. Pregătirea",
			"Asistentul social studiază dosarul, stabilește cu solicitantul data vizitei și ia formularul de anchetă socială și legitimația de serviciu."),
		par("2. Vizita la domiciliu",
			bullets(
				"asistentul social se legitimează și explică scopul vizitei",
				"verifică componența familiei, condițiile de locuit și bunurile declarate",
				"discută cu membrii familiei despre venituri, sănătate, școlarizarea copiilor și nevoile de sprijin",
				"consemnează constatările în formular, pe loc, și le citește solicitantului",
			)),
		"3. Finalizarea\nAncheta se semnează de asistentul social și de solicitant și se depune la dosar în cel mult două zile lucrătoare de la vizită.")
)

// external is the register entry of a document kept as published.
func external(text string) map[string]string {
	return body(text, "Forma consolidată în vigoare se consultă pe portalul legislativ al Ministerului Justiției. RMC verifică lunar modificările și actualizează lista documentelor de proveniență externă.")
}

// demoDocuments is the register of Târgu Verde. Days count back from today.
var demoDocuments = []docSpec{
	{kind: documents.KindManual, code: "MC-01", title: "Manualul calității", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: manual(1, 0), ago: 1850, send: sendHeads,
		changes: []docChange{
			{ago: 760, edition: true, text: manual(2, 0),
				reason: "Reorganizarea aparatului de specialitate și extinderea domeniului de aplicare la serviciile publice subordonate Consiliului Local"},
			{ago: 8, text: manual(2, 1),
				reason: "Gestionarea electronică a documentelor în Cadran; comunicarea internă inclusă între procesele de management"},
		},
		links: []string{"4.3", "4.4", "5.3", "p:Managementul calității"}},
	{kind: documents.KindPolicy, code: "PC-01", title: "Politica în domeniul calității", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: policyText, ago: 400, send: sendAll, reviewedAgo: 40,
		reviewNote: "Analizată în ședința Comisiei de monitorizare: politica rămâne adecvată scopului și contextului instituției și susține obiectivele calității pentru anul în curs; nu sunt necesare modificări.",
		links:      []string{"5.2", "6.2", "p:Managementul calității"}},

	// Documents of external origin, registered when the document control
	// procedure came into force; RMC follows their changes monthly, so their
	// register entries are reviewed every three years.
	{kind: documents.KindExternal, code: "DE-01", title: "Legea nr. 544/2001 privind liberul acces la informațiile de interes public", unit: "bcim", owner: "calitate", drafter: "head:bcim", review: 36,
		text: external("Lege publicată în Monitorul Oficial al României, Partea I, cu modificările și completările ulterioare. Se aplică de Serviciul Relații cu Publicul și Registratură și de Serviciul Comunicare și Relații Internaționale, potrivit PO-SRPR-02."),
		ago:  702},
	{kind: documents.KindExternal, code: "DE-02", title: "Ordonanța Guvernului nr. 27/2002 privind reglementarea activității de soluționare a petițiilor", unit: "bcim", owner: "calitate", drafter: "head:bcim", review: 36,
		text: external("Ordonanță aprobată cu modificări și completări prin Legea nr. 233/2002, cu modificările ulterioare. Se aplică de toate compartimentele care soluționează petiții, potrivit PO-SRPR-01."),
		ago:  702},
	{kind: documents.KindExternal, code: "DE-03", title: "Ordinul SGG nr. 600/2018 privind aprobarea Codului controlului intern managerial al entităților publice", unit: "bcim", owner: "calitate", drafter: "head:bcim", review: 36,
		text: external("Ordinul stabilește cele 16 standarde de control intern managerial, structura procedurilor documentate și modul de autoevaluare și raportare anuală a sistemului de control intern managerial."),
		ago:  702},
	{kind: documents.KindExternal, code: "DE-04", title: "SR EN ISO 9001:2015 Sisteme de management al calității. Cerințe", unit: "bcim", owner: "calitate", drafter: "head:bcim", review: 36,
		text: body("Standard român adoptat de Asociația de Standardizare din România (ASRO). Exemplarul instituției, cumpărat de la ASRO, se păstrează la Biroul Control Intern Managerial și Managementul Calității și poate fi consultat de orice salariat.",
			"Standardul este referențialul sistemului de management al calității și al auditului de certificare."),
		ago: 702},
	// Forms first: the procedures that use them link to them.
	{kind: documents.KindForm, code: "F-PS-01-01", title: "Lista de difuzare a documentelor sistemului", unit: "bcim", owner: "calitate", drafter: "head:bcim", review: 24,
		text: formDistribution, ago: 701},
	{kind: documents.KindForm, code: "F-PS-04-01", title: "Raport de neconformitate și acțiune corectivă", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: formNonconformity, ago: 241},
	{kind: documents.KindForm, code: "F-PS-05-01", title: "Formular de alertă la risc", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: formRiskAlert, ago: 236},
	{kind: documents.KindForm, code: "F-PO-SRPR-02-01", title: "Cerere de informații de interes public", unit: "srpr", owner: "head:srpr", drafter: "head:srpr",
		text: formInfoRequest, ago: 301},
	{kind: documents.KindForm, code: "F-PO-DU-01-01", title: "Cerere pentru emiterea autorizației de construire sau de desființare", unit: "du", owner: "head:du", drafter: "head:du",
		text: formBuildingPermit, ago: 201},
	{kind: documents.KindInstruction, code: "IL-DAS-01", title: "Efectuarea anchetei sociale la domiciliul solicitantului", unit: "das", owner: "head:das", drafter: "head:das",
		text: ilSocialInquiry, ago: 285},

	// System procedures.
	{kind: documents.KindSystem, code: "PS-01", title: "Controlul documentelor și al informațiilor documentate", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: ps01.sections(), ago: 700, send: sendHeads,
		changes: []docChange{{ago: 240, text: ps01Rev1().sections(),
			reason: "Difuzarea electronică și confirmarea luării la cunoștință în Cadran; analiza periodică anuală a documentelor"}},
		links: []string{"7.5", "7.5.2", "7.5.3", "p:Managementul documentelor", "d:F-PS-01-01", "d:DE-03", "d:DE-04"}},
	{kind: documents.KindSystem, code: "PS-02", title: "Controlul înregistrărilor", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: ps02.sections(), ago: 240, send: sendHeads, links: []string{"7.5.3", "p:Managementul documentelor"}},
	{kind: documents.KindSystem, code: "PS-03", title: "Auditul intern al sistemului de management al calității", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: ps03.sections(), ago: 240, send: sendHeads, links: []string{"9.2", "p:Audit intern", "d:DE-04"}},
	{kind: documents.KindSystem, code: "PS-04", title: "Neconformități și acțiuni corective", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: ps04.sections(), ago: 240, send: sendHeads, links: []string{"8.7", "10.2", "p:Îmbunătățire continuă", "d:F-PS-04-01"}},
	{kind: documents.KindSystem, code: "PS-05", title: "Managementul riscurilor", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: ps05.sections(), ago: 235, send: sendHeads, links: []string{"6.1", "p:Managementul riscurilor", "d:F-PS-05-01", "d:DE-03"}},
	{kind: documents.KindSystem, code: "PS-06", title: "Comunicarea internă", unit: "bcim", owner: "calitate", drafter: "head:bcim",
		text: ps06.sections(), ago: 15, story: storyApprove, links: []string{"7.4", "p:Comunicare internă"}},

	{kind: documents.KindRegulation, code: "ROI", title: "Regulamentul intern al aparatului de specialitate al primarului", unit: "sru", owner: "head:sru", drafter: "head:sru",
		text: roiText, ago: 180, send: sendOwn, unread: []string{"angajat"}, links: []string{"7.1.4", "p:Resurse umane"}},

	// Operational procedures.
	{kind: documents.KindOperational, code: "PO-CAB-01", title: "Organizarea audiențelor la primar și la viceprimari", unit: "cab", owner: "first:cab", drafter: "first:cab",
		text: poAudiences.sections(), ago: 560, story: storyWithdrawn, withdrawnAgo: 139,
		reason: "Audiențele se organizează de Serviciul Relații cu Publicul și Registratură și sunt descrise în PO-SRPR-01, ediția I, revizia 1; procedura nu mai are obiect.",
		links:  []string{"8.2", "p:Relația cu cetățenii"}},
	{kind: documents.KindOperational, code: "PO-SRPR-01", title: "Primirea, înregistrarea, soluționarea și arhivarea petițiilor", unit: "srpr", owner: "head:srpr", drafter: "head:srpr",
		text: poPetitions.sections(), ago: 560, send: sendHeads,
		changes: []docChange{{ago: 140, text: poPetitionsRev1().sections(),
			reason: "Preluarea audiențelor de la Cabinetul Primarului și primirea petițiilor prin formularul de pe pagina de internet"}},
		links: []string{"8.2", "9.1.2", "p:Relația cu cetățenii", "d:DE-02"}},
	{kind: documents.KindOperational, code: "PO-SRPR-02", title: "Soluționarea solicitărilor de informații de interes public", unit: "srpr", owner: "head:srpr", drafter: "head:srpr",
		text: poPublicInfo.sections(), ago: 300, send: sendHeads,
		links: []string{"7.4", "8.2", "p:Relația cu cetățenii", "d:F-PO-SRPR-02-01", "d:DE-01"}},
	{kind: documents.KindInstruction, code: "IL-SRPR-01", title: "Scanarea și înregistrarea documentelor primite prin poștă și prin poștă electronică", unit: "srpr", owner: "head:srpr", drafter: "head:srpr",
		text: ilScanning, ago: 150, links: []string{"7.5.3", "p:Relația cu cetățenii"}},
	{kind: documents.KindOperational, code: "PO-DAS-01", title: "Acordarea venitului minim de incluziune", unit: "das", owner: "head:das", drafter: "head:das",
		text: poVMI.sections(), ago: 280, links: []string{"8.2", "8.5", "p:Asistență socială", "d:IL-DAS-01"}},
	{kind: documents.KindOperational, code: "PO-DAS-02", title: "Angajarea și monitorizarea asistenților personali ai persoanelor cu handicap grav", unit: "das", owner: "head:das", drafter: "head:das",
		text: poAssistants.sections(), ago: 12, story: storyVerify, links: []string{"8.5", "p:Asistență socială"}},
	{kind: documents.KindOperational, code: "PO-DU-01", title: "Emiterea autorizației de construire și a autorizației de desființare", unit: "du", owner: "head:du", drafter: "head:du",
		text: poBuildingPermit.sections(), ago: 200, links: []string{"8.2", "8.5", "8.6", "p:Autorizarea construcțiilor", "d:F-PO-DU-01-01"}},
	{kind: documents.KindOperational, code: "PO-DU-02", title: "Emiterea certificatului de urbanism", unit: "du", owner: "head:du", drafter: "head:du",
		text: poUrbanismCert.sections(), ago: 6, story: storyDraft, links: []string{"8.2", "p:Autorizarea construcțiilor"}},
	{kind: documents.KindOperational, code: "PO-DE-SITL-01", title: "Stabilirea și încasarea impozitelor pe clădiri, teren și mijloace de transport datorate de persoanele fizice", unit: "sitl", owner: "head:de", drafter: "head:de",
		text: poLocalTaxes.sections(), ago: 430, links: []string{"8.5", "p:Impozite și taxe locale"}},
	{kind: documents.KindOperational, code: "PO-DE-01", title: "Angajarea, lichidarea, ordonanțarea și plata cheltuielilor", unit: "de", owner: "head:de", drafter: "head:de",
		text: poSpending.sections(), ago: 20, story: storyRejected, links: []string{"8.1", "p:Buget și contabilitate"},
		reason: "Secțiunea 8 nu precizează momentul acordării vizei de control financiar preventiv propriu și nici termenele pentru lichidare și ordonanțare; completați și circuitul documentelor în anexe."},
	{kind: documents.KindOperational, code: "PO-DE-02", title: "Elaborarea, consultarea publică și aprobarea bugetului local", unit: "de", owner: "head:de", drafter: "head:de",
		text: poBudget.sections(), ago: 330,
		changes: []docChange{{ago: 9, draft: true, text: poBudgetRev1().sections(),
			reason: "Calendarul bugetar detaliat pe etape și dezbaterea publică obligatorie în perioada consultării"}},
		links: []string{"6.2", "8.1", "p:Buget și contabilitate"}},
	{kind: documents.KindOperational, code: "PO-CAP-01", title: "Achiziția directă de produse, servicii și lucrări", unit: "cap", owner: "first:cap", drafter: "first:cap",
		text: poProcurement.sections(), ago: 18, story: storyEndorse, endorse: true, links: []string{"8.4", "p:Achiziții publice"}},
	{kind: documents.KindOperational, code: "PO-SRU-01", title: "Organizarea concursului pentru ocuparea posturilor vacante de personal contractual", unit: "sru", owner: "head:sru", drafter: "head:sru",
		text: poRecruitment.sections(), ago: 40, story: storyApproved, links: []string{"7.1.2", "7.2", "p:Resurse umane"}},
	{kind: documents.KindOperational, code: "PO-SPCLEP-01", title: "Înregistrarea nașterii și eliberarea certificatului de naștere", unit: "spclep", owner: "head:spclep", drafter: "head:spclep",
		review: 6, text: poBirths.sections(), ago: 220, links: []string{"8.5", "p:Stare civilă și evidența persoanelor"}},
	{kind: documents.KindOperational, code: "PO-DJAPL-01", title: "Redactarea, avizarea, comunicarea și publicarea dispozițiilor primarului", unit: "djapl", owner: "head:djapl", drafter: "head:djapl",
		text: poDispositions.sections(), ago: 260, send: sendHeads, links: []string{"7.5.3", "8.1", "p:Emiterea actelor administrative"}},
}
