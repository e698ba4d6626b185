package scale

import (
	"container/heap"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/documents"
	"cadran/internal/work"
)

// The register of documented information: the quality manual and policy,
// the six system procedures, then operational procedures, forms, work
// instructions, record templates, regulations and external guides of every
// unit, with ten years of editions and revisions.
//
// A register's past is what the documents service would have written had
// people used it for those years: every version is drafted, submitted,
// checked (sometimes endorsed), approved and put in force, on the day of
// each step, through documents.History, which writes the rows and audit
// events of the service's methods in bulk (through the service itself ten
// years of a large register took a quarter of an hour). So sign-offs carry
// the hash of what was signed, versions in force supersede the older ones,
// their units' people receive copies and confirm reading them, periodic
// reviews are recorded and handed out as inbox tasks, the search index holds
// the texts, and every change has its audit event, as through the pages.
// The steps of all documents are played in time order (a heap, as the
// demo's register does) in large transactions.
//
// Today the register shows: most documents in force, some with a revision
// being drafted or signed, a few never in force yet; acknowledgements of
// recent versions pending; periodic reviews due soon and a few overdue.

// docEvent is one step of a document's past.
type docEvent struct {
	at  time.Time
	seq int
	do  func(ctx context.Context) error
}

type docQueue []docEvent

func (q docQueue) Len() int { return len(q) }
func (q docQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q docQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *docQueue) Push(x any)   { *q = append(*q, x.(docEvent)) }
func (q *docQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// docVersion is one version of a planned document: the day of each step;
// a zero time is a step not reached (the version waits there today).
type docVersion struct {
	sections                                         map[string]string
	reason                                           string
	edition                                          bool
	endorse                                          bool
	created, submitted, verified, endorsed, approved time.Time
	reviews                                          []time.Time // periodic reviews while it is in force
}

// docPlan is one planned document and the story of its versions.
type docPlan struct {
	in       documents.DocumentInput
	author   auth.Actor
	verifier auth.Actor
	endorser auth.Actor
	approver auth.Actor
	versions []docVersion

	// Filled in as the story is played.
	hd *documents.HistoryDoc
}

// docRun plays the register's timeline.
type docRun struct {
	g      *gen
	r      *rand.Rand
	docs   *documents.Service
	h      *documents.History   // of the transaction being written
	actors map[int64]auth.Actor // by user
	byPers map[int64]int64      // person to user
	queue  docQueue
	seq    int
	day0   time.Time
	ackDue int

	versions, acks, reviews int
}

func (dr *docRun) at(t time.Time, do func(ctx context.Context) error) {
	dr.seq++
	heap.Push(&dr.queue, docEvent{at: t, seq: dr.seq, do: do})
}

// day is ago days before today at minutes past 9:00 in Bucharest (7:00 UTC
// in summer; close enough in winter).
func (dr *docRun) day(ago, minutes int) time.Time {
	return dr.day0.AddDate(0, 0, -ago).Add(7*time.Hour + time.Duration(minutes)*time.Minute)
}

func (dr *docRun) actor(ctx context.Context, user int64) (auth.Actor, error) {
	if a, ok := dr.actors[user]; ok {
		return a, nil
	}
	users := &auth.Service{DB: dr.g.db, Clock: dr.g.clock}
	a, err := users.ActorByID(ctx, user)
	if err != nil {
		return a, fmt.Errorf("cannot act as user %d: %w", user, err)
	}
	dr.actors[user] = a
	return a, nil
}

func (g *gen) documents(ctx context.Context) error {
	r := g.rng("documents")
	var have int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents WHERE tenant_id = $1`, g.tenant).Scan(&have); err != nil {
		return fmt.Errorf("cannot count documents: %w", err)
	}
	want := g.p.Documents - have
	if want <= 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	dr := &docRun{g: g, r: r, docs: &documents.Service{DB: g.db, Clock: clk, Work: &work.Service{DB: g.db, Clock: clk}},
		actors: map[int64]auth.Actor{}, byPers: map[int64]int64{}, day0: work.Day(g.now), ackDue: documents.DefaultSettings.AckDays}
	for _, p := range g.people {
		if p.UserID != 0 {
			dr.byPers[p.ID] = p.UserID
		}
	}
	plans, err := dr.plan(ctx, want)
	if err != nil {
		return err
	}
	for _, p := range plans {
		dr.schedule(p)
	}
	// Large transactions make the replay fast; a bounded size keeps the
	// write-ahead log and PostgreSQL's locks in reason.
	for last := false; !last; {
		err := g.tx(ctx, func(tx *sql.Tx) (err error) {
			if dr.h, err = dr.docs.NewHistory(ctx, tx, g.tenant); err != nil {
				return err
			}
			for n := 0; n < 20000 && dr.queue.Len() > 0; n++ {
				e := heap.Pop(&dr.queue).(docEvent)
				if err := e.do(ctx); err != nil {
					return err
				}
			}
			if last = dr.queue.Len() == 0; last {
				// Each register entry as its last step left it, and its search text.
				for _, p := range plans {
					if err := dr.h.Finish(ctx, p.hd); err != nil {
						return err
					}
				}
			}
			return dr.h.Close(ctx)
		})
		if err != nil {
			return fmt.Errorf("cannot write the documents' past: %w", err)
		}
	}
	// People read their notifications about steps long past, as the demo's
	// register has it; the last two weeks' stay unread.
	cutoff := dr.day0.AddDate(0, 0, -14)
	if _, err := g.db.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND read_at IS NULL AND created_at < $1
		AND task_id IN (SELECT id FROM tasks WHERE tenant_id = $2 AND module = $3)`, cutoff, g.tenant, documents.Module); err != nil {
		return fmt.Errorf("cannot mark old notifications read: %w", err)
	}
	g.add("documents", len(plans))
	g.add("document versions", dr.versions)
	g.add("document acknowledgements", dr.acks)
	g.add("document reviews", dr.reviews)
	return nil
}

// signers are the people who sign the register's versions.
type signers struct {
	qm, mayor auth.Actor
	heads     map[int64]auth.Actor // by unit: who drafts its documents
	others    []auth.Actor         // heads of unit, for endorsing and checking the quality office's texts
}

func (dr *docRun) roleUser(ctx context.Context, role auth.Role) (int64, error) {
	var id int64
	err := dr.g.db.R.QueryRowContext(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		JOIN people p ON p.id = u.person_id
		WHERE u.tenant_id = $1 AND r.role = $2 AND NOT u.disabled AND p.active ORDER BY u.id LIMIT 1`, dr.g.tenant, string(role)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func (dr *docRun) signers(ctx context.Context) (signers, error) {
	g := dr.g
	s := signers{heads: map[int64]auth.Actor{}}
	qm, err := dr.roleUser(ctx, auth.RoleQualityManager)
	if err != nil {
		return s, fmt.Errorf("cannot find the quality manager: %w", err)
	}
	mayor, err := dr.roleUser(ctx, auth.RoleTopManagement)
	if err != nil {
		return s, fmt.Errorf("cannot find the mayor: %w", err)
	}
	if qm == 0 || mayor == 0 {
		return s, fmt.Errorf("cannot generate documents: the institution needs a quality manager and a mayor with users")
	}
	if s.qm, err = dr.actor(ctx, qm); err != nil {
		return s, err
	}
	if s.mayor, err = dr.actor(ctx, mayor); err != nil {
		return s, err
	}
	for _, u := range g.units {
		for _, p := range g.inUnit(u.ID) {
			if !p.Management || p.UserID == 0 || p.UserID == qm || p.UserID == mayor {
				continue
			}
			a, err := dr.actor(ctx, p.UserID)
			if err != nil {
				return s, err
			}
			if a.HasRole(auth.RoleHeadOfUnit) {
				s.heads[u.ID] = a
				s.others = append(s.others, a)
				break
			}
		}
	}
	return s, nil
}

// plan writes the stories of n documents.
func (dr *docRun) plan(ctx context.Context, n int) ([]*docPlan, error) {
	g, r := dr.g, dr.r
	if len(g.units) == 0 {
		return nil, fmt.Errorf("cannot generate documents: the institution has no units")
	}
	sg, err := dr.signers(ctx)
	if err != nil {
		return nil, err
	}
	// What the register holds already: codes are unique, and the manual,
	// the policy and the system procedures exist once.
	codes := map[string]bool{}
	titles := map[string]bool{}
	kinds := map[string]int{}
	rows, err := g.db.R.QueryContext(ctx, `SELECT code, title, kind FROM documents WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read document codes: %w", err)
	}
	for rows.Next() {
		var c, t, k string
		if err := rows.Scan(&c, &t, &k); err != nil {
			rows.Close()
			return nil, err
		}
		codes[c], titles[fold(t)] = true, true
		kinds[k]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	unitCode := map[int64]string{}
	urows, err := g.db.R.QueryContext(ctx, `SELECT id, code FROM units WHERE tenant_id = $1 ORDER BY id`, g.tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read unit codes: %w", err)
	}
	for urows.Next() {
		var id int64
		var c string
		if err := urows.Scan(&id, &c); err != nil {
			urows.Close()
			return nil, err
		}
		unitCode[id] = c
	}
	urows.Close()
	abbrev := map[int64]string{}
	for _, u := range g.units {
		abbrev[u.ID] = unitAbbrev(unitCode[u.ID], u.Name)
	}
	next := map[string]int{}
	code := func(kind string, unit int64) string {
		prefix := documents.KindCode(kind) + "-"
		if unit != 0 {
			prefix += abbrev[unit] + "-"
		}
		for {
			next[prefix]++
			c := fmt.Sprintf("%s%02d", prefix, next[prefix])
			if !codes[c] {
				codes[c] = true
				return c
			}
		}
	}
	// The quality office's unit owns the system documents.
	qmUnit := int64(0)
	for _, u := range g.units {
		if strings.Contains(u.Name, "Calității") {
			qmUnit = u.ID
			break
		}
	}
	if qmUnit == 0 {
		for _, p := range g.people {
			if p.UserID == sg.qm.UserID {
				qmUnit = p.UnitID
			}
		}
	}
	if qmUnit == 0 {
		qmUnit = g.units[0].ID
	}

	var plans []*docPlan
	add := func(kind, title string, unit int64, sections map[string]string, review int) {
		author, ok := sg.heads[unit]
		if kind == documents.KindManual || kind == documents.KindPolicy || kind == documents.KindSystem || !ok {
			author = sg.qm
		}
		verifier := sg.qm
		if author.UserID == sg.qm.UserID {
			verifier = sg.mayor // no second quality office: the mayor checks and approves
			if len(sg.others) > 0 {
				verifier = pick(r, sg.others)
			}
		}
		p := &docPlan{
			in:     documents.DocumentInput{Kind: kind, Code: code(kind, unit), Title: title, UnitID: unit, OwnerID: author.PersonID, ReviewMonths: review},
			author: author, verifier: verifier, approver: sg.mayor,
		}
		for _, o := range pickN(r, sg.others, len(sg.others)) {
			if o.UserID != author.UserID && o.UserID != verifier.UserID {
				p.endorser = o
				break
			}
		}
		dr.story(p, sections)
		plans = append(plans, p)
	}
	if kinds[documents.KindManual] == 0 && len(plans) < n {
		add(documents.KindManual, "Manualul calității", qmUnit, map[string]string{documents.SecBody: manualText(g.name)}, 12)
	}
	if kinds[documents.KindPolicy] == 0 && len(plans) < n {
		add(documents.KindPolicy, "Politica în domeniul calității", qmUnit, map[string]string{documents.SecBody: policyText(g.name)}, 12)
	}
	for i := kinds[documents.KindSystem]; i < len(systemProcedures) && len(plans) < n; i++ {
		t := systemProcedures[i]
		if titles[fold(t)] {
			continue
		}
		titles[fold(t)] = true
		activity := strings.TrimPrefix(t, "Procedura de sistem privind ")
		add(documents.KindSystem, t, qmUnit, docSections(r, documents.KindSystem, t, activity, "instituției"), 12)
	}
	// The rest: the units' own procedures, forms and instructions.
	spread := []struct {
		kind   string
		weight int
		review int
	}{
		{documents.KindOperational, 45, 12}, {documents.KindForm, 24, 24}, {documents.KindInstruction, 15, 12},
		{documents.KindRecord, 8, 24}, {documents.KindRegulation, 3, 24}, {documents.KindExternal, 5, 36},
	}
	// Procedures belong mostly to the services and offices that do the
	// work; a directorate's reach everyone under it.
	parents := map[int64]bool{}
	for _, u := range g.units {
		parents[u.ParentID] = true
	}
	var leaves []unitRef
	for _, u := range g.units {
		if !parents[u.ID] {
			leaves = append(leaves, u)
		}
	}
	for len(plans) < n {
		w := r.IntN(100)
		k := spread[0]
		for _, s := range spread {
			if w < s.weight {
				k = s
				break
			}
			w -= s.weight
		}
		u := pick(r, g.units)
		if len(leaves) > 0 && r.IntN(100) < 85 {
			u = pick(r, leaves)
		}
		var title, activity, object string
		for try := 0; ; try++ {
			object = pick(r, docObjects)
			activity = pick(r, docActions) + " " + object + pick(r, docQualifiers)
			title = docTitle(k.kind, activity, object)
			if try > 20 {
				title += " – " + u.Name
			}
			if !titles[fold(title)] {
				break
			}
		}
		titles[fold(title)] = true
		add(k.kind, title, u.ID, docSections(r, k.kind, title, activity, u.Name), k.review)
	}
	return plans, nil
}

// Days between the steps of a version's way to force, counted back from
// the day it comes into force.
const (
	docDrafted   = 30
	docSubmitted = 12
	docVerified  = 5
	docEndorsed  = 2
)

// story plans p's versions: when the first came into force (any time in the
// last ten years), its later revisions and editions, its periodic reviews,
// and where its newest version stands today.
func (dr *docRun) story(p *docPlan, sections map[string]string) {
	r, years := dr.r, dr.g.p.Years
	full := func(v docVersion, ago int) docVersion {
		v.created = dr.day(ago+docDrafted, r.IntN(60))
		v.submitted = dr.day(ago+docSubmitted, 60+r.IntN(60))
		v.verified = dr.day(ago+docVerified, 60+r.IntN(60))
		v.endorse = p.endorser.UserID != 0 && r.IntN(7) == 0
		if v.endorse {
			v.endorsed = dr.day(ago+docEndorsed, 60+r.IntN(60))
		}
		v.approved = dr.day(ago, 180+r.IntN(60))
		return v
	}
	roll := r.IntN(100)
	if roll < 4 {
		// Never in force yet: a new document being drafted or signed.
		ago := 3 + r.IntN(40)
		v := docVersion{sections: sections, created: dr.day(ago+r.IntN(20), r.IntN(60))}
		dr.pending(&v, ago, p.endorser.UserID != 0 && r.IntN(5) == 0)
		p.versions = []docVersion{v}
		return
	}
	// In force since some day of the last ten years; younger documents are
	// more frequent, as registers grow.
	span := years*365 - 40
	first := 20 + int(float64(span)*r.Float64()*(0.3+0.7*r.Float64()))
	if first > span {
		first = span
	}
	agos := []int{first}
	for ago := first - 300; ago > 30; ago -= 150 + r.IntN(400) {
		if r.IntN(100) < 30 {
			agos = append(agos, ago)
		}
	}
	text := sections
	for i, ago := range agos {
		v := docVersion{sections: text}
		if i > 0 {
			v.edition = i%4 == 0
			v.reason = pick(r, revisionReasons)
			if v.edition {
				v.reason = pick(r, editionReasons)
			}
			v.sections = revise(r, p.in.Kind, text, v.reason)
			merged := maps.Clone(text)
			maps.Copy(merged, v.sections)
			text = merged
		}
		p.versions = append(p.versions, full(v, ago))
	}
	if roll < 10 && agos[len(agos)-1] > 12 {
		// A revision under way on top of the version in force.
		ago := 1 + r.IntN(min(agos[len(agos)-1]-11, 30))
		v := docVersion{reason: pick(r, revisionReasons), created: dr.day(ago+5+r.IntN(5), r.IntN(60))}
		v.sections = revise(r, p.in.Kind, text, v.reason)
		dr.pending(&v, ago, p.endorser.UserID != 0 && r.IntN(5) == 0)
		p.versions = append(p.versions, v)
	}
	// Periodic reviews of each version in force, mostly on time, until the
	// next version came into force; the current one's last review may be
	// overdue today.
	months := p.in.ReviewMonths
	for i := range p.versions {
		v := &p.versions[i]
		if v.approved.IsZero() {
			continue
		}
		end := dr.day0
		if i+1 < len(p.versions) && !p.versions[i+1].approved.IsZero() {
			end = work.Day(p.versions[i+1].approved).AddDate(0, 0, -1)
		}
		due := work.Day(v.approved).AddDate(0, months, 0)
		for due.Before(end) {
			at := due.AddDate(0, 0, -r.IntN(20)).Add(8*time.Hour + time.Duration(r.IntN(300))*time.Minute)
			if end.Equal(dr.day0) && !due.AddDate(0, months, 0).Before(end) && r.IntN(100) < 8 {
				break // the last review due is not done yet: overdue
			}
			if !at.Before(end) || !at.After(v.approved) {
				break
			}
			v.reviews = append(v.reviews, at)
			due = work.Day(at).AddDate(0, months, 0)
		}
	}
}

// pending sets the steps of a version still being worked on, ago days
// after it was submitted (if it was).
func (dr *docRun) pending(v *docVersion, ago int, endorse bool) {
	r := dr.r
	switch r.IntN(4) {
	case 0: // still a draft
	case 1: // waiting for the check
		v.submitted = dr.day(ago, 60+r.IntN(60))
	default: // checked (and endorsed), waiting for approval
		v.submitted = dr.day(ago+3, 60+r.IntN(60))
		v.verified = dr.day(ago+1, 60+r.IntN(60))
		if endorse {
			v.endorse = true
			v.endorsed = dr.day(ago, 60+r.IntN(60))
		}
	}
	if !v.submitted.IsZero() && !v.submitted.After(v.created) {
		v.created = v.submitted.AddDate(0, 0, -7)
	}
}

// schedule puts p's story on the timeline.
func (dr *docRun) schedule(p *docPlan) {
	for i := range p.versions {
		v := &p.versions[i]
		dr.at(v.created, func(ctx context.Context) error { return dr.draft(ctx, p, i) })
		if v.submitted.IsZero() {
			continue
		}
		dr.at(v.submitted, func(ctx context.Context) error {
			in := documents.StepInput{Action: documents.ActSubmit, VerifierID: p.verifier.UserID, ApproverID: p.approver.UserID}
			if v.endorse {
				in.EndorserID = p.endorser.UserID
			}
			return dr.step(ctx, p, p.author, in, v.submitted)
		})
		if v.verified.IsZero() {
			continue
		}
		dr.at(v.verified, func(ctx context.Context) error {
			act := documents.ActVerify
			if v.endorse {
				act = documents.ActVerifyEndorse
			}
			return dr.step(ctx, p, p.verifier, documents.StepInput{Action: act}, v.verified)
		})
		if v.endorse && !v.endorsed.IsZero() {
			dr.at(v.endorsed, func(ctx context.Context) error {
				return dr.step(ctx, p, p.endorser, documents.StepInput{Action: documents.ActEndorse}, v.endorsed)
			})
		}
		if v.approved.IsZero() {
			continue
		}
		var until time.Time // when the next version superseded it
		for _, w := range p.versions[i+1:] {
			if !w.approved.IsZero() {
				until = w.approved
				break
			}
		}
		dr.at(v.approved, func(ctx context.Context) error {
			if err := dr.step(ctx, p, p.approver, documents.StepInput{Action: documents.ActApprove}, v.approved); err != nil {
				return err
			}
			return dr.readings(ctx, p, v.approved, until)
		})
		for _, at := range v.reviews {
			dr.at(at, func(ctx context.Context) error { return dr.review(ctx, p, at) })
		}
	}
}

// draft opens version i: the document itself for the first, a revision or
// edition after; and saves its text.
func (dr *docRun) draft(ctx context.Context, p *docPlan, i int) error {
	v := &p.versions[i]
	if i == 0 {
		hd, err := dr.h.Create(ctx, p.author, p.in, v.created)
		if err != nil {
			return fmt.Errorf("cannot create %s: %w", p.in.Code, err)
		}
		p.hd = hd
	} else if err := dr.h.NewVersion(ctx, p.hd, p.author, documents.NewVersionInput{Edition: v.edition, Reason: v.reason}, v.created); err != nil {
		return err
	}
	dr.versions++
	return dr.h.SaveDraft(ctx, p.hd, p.author, documents.DraftInput{Sections: v.sections, Reason: v.reason}, v.created.Add(40*time.Minute))
}

func (dr *docRun) step(ctx context.Context, p *docPlan, a auth.Actor, in documents.StepInput, at time.Time) error {
	return dr.h.Step(ctx, p.hd, a, in, at)
}

// readings plans who confirms reading the version just put in force, and
// when: most within the days allowed, some late, a few never; none after
// the version was superseded or after today.
func (dr *docRun) readings(ctx context.Context, p *docPlan, from, until time.Time) error {
	version := p.hd.CurrentID
	for _, person := range dr.h.Receivers(p.hd) {
		user := dr.byPers[person]
		if user == 0 || dr.r.IntN(100) < 3 {
			continue // never confirms: their task waits (or is cancelled with the version)
		}
		days := dr.r.IntN(dr.ackDue)
		if dr.r.IntN(10) == 0 {
			days = dr.ackDue + dr.r.IntN(20) // late
		}
		at := from.Add(time.Duration(days)*24*time.Hour + time.Duration(20+dr.r.IntN(480))*time.Minute)
		if !at.Before(dr.g.now) || (!until.IsZero() && !at.Before(until)) {
			continue
		}
		dr.at(at, func(ctx context.Context) error {
			a, err := dr.actor(ctx, user)
			if err != nil {
				return err
			}
			if err := dr.h.Acknowledge(ctx, p.hd, a, version, at); err != nil {
				return fmt.Errorf("cannot acknowledge %s: %w", p.in.Code, err)
			}
			dr.acks++
			return nil
		})
	}
	return nil
}

// review records a periodic review of p by its owner: still fit for purpose.
func (dr *docRun) review(ctx context.Context, p *docPlan, at time.Time) error {
	if err := dr.h.Review(ctx, p.hd, p.author, pick(dr.r, reviewNotes), at); err != nil {
		return err
	}
	dr.reviews++
	return nil
}

func manualText(name string) string {
	return fmt.Sprintf("Manualul calității descrie sistemul de management al calității al instituției %s, implementat conform SR EN ISO 9001:2015 și corelat cu sistemul de control intern managerial (Ordinul SGG nr. 600/2018).\n\n"+
		"1. Domeniul de aplicare: serviciile publice furnizate cetățenilor și mediului de afaceri de aparatul de specialitate al primarului.\n"+
		"2. Contextul organizației: părțile interesate, cerințele legale și riscurile sunt analizate anual în ședința de analiză efectuată de management.\n"+
		"3. Leadership: primarul asigură resursele, stabilește politica și obiectivele calității și numește responsabilul cu managementul calității.\n"+
		"4. Planificare: riscurile și oportunitățile se țin în registrul riscurilor; obiectivele sunt măsurabile și se urmăresc prin indicatori.\n"+
		"5. Suport: competența personalului, infrastructura și informațiile documentate sunt gestionate prin procedurile de sistem.\n"+
		"6. Operare: activitățile compartimentelor sunt descrise în procedurile operaționale.\n"+
		"7. Evaluarea performanței: audit intern, satisfacția cetățenilor, analiza efectuată de management.\n"+
		"8. Îmbunătățire: neconformitățile și acțiunile corective se înregistrează și se urmăresc până la închidere.", name)
}

func policyText(name string) string {
	return fmt.Sprintf("Conducerea instituției %s se angajează să furnizeze servicii publice de calitate, în termenele legale, cu respect față de cetățeni, "+
		"să respecte cerințele legale aplicabile, să identifice și să trateze riscurile, să asigure transparența deciziilor și să îmbunătățească continuu "+
		"sistemul de management al calității. Politica se comunică întregului personal și se analizează anual.", name)
}

// The words of the generated register: what a municipality's procedures,
// forms and instructions are about, the laws they cite and the steps they
// describe. Titles and texts are combined from these, so that a search for
// any of the words finds real-looking documents.

var docActions = []string{"Elaborarea", "Aprobarea", "Verificarea", "Monitorizarea", "Evidența", "Arhivarea", "Gestionarea",
	"Întocmirea", "Actualizarea", "Avizarea", "Soluționarea", "Înregistrarea", "Publicarea", "Controlul", "Inventarierea",
	"Emiterea", "Urmărirea", "Recepția", "Raportarea", "Fundamentarea"}

var docObjects = []string{"contractelor de achiziție publică", "autorizațiilor de construire", "certificatelor de urbanism",
	"deciziilor de impunere", "petițiilor adresate instituției", "cererilor de informații de interes public",
	"dispozițiilor primarului", "hotărârilor consiliului local", "proiectului de buget local", "angajamentelor bugetare",
	"ordonanțărilor de plată", "documentelor justificative", "mijloacelor fixe", "obiectelor de inventar",
	"contractelor de concesiune", "contractelor de închiriere", "autorizațiilor de funcționare", "avizelor de amplasare",
	"certificatelor de atestare fiscală", "dosarelor de ajutor social", "alocațiilor pentru susținerea familiei",
	"actelor de stare civilă", "cărților de identitate", "registrului agricol", "titlurilor de proprietate",
	"lucrărilor de reparații ale drumurilor", "lucrărilor de întreținere a spațiilor verzi", "proceselor-verbale de contravenție",
	"dosarelor de executare silită", "declarațiilor de avere și de interese", "fișelor de post", "evaluărilor anuale ale personalului",
	"concursurilor de recrutare", "planului anual de achiziții publice", "registrului riscurilor", "planului de formare profesională",
	"sesizărilor privind domeniul public", "abonamentelor de parcare", "autorizațiilor de transport în regim de taxi",
	"situațiilor financiare trimestriale", "proiectelor cu finanțare externă", "datelor cu caracter personal",
	"documentelor clasificate", "registrului de intrare-ieșire", "cererilor de eliberare a copiilor din arhivă",
	"avizelor de desființare a construcțiilor", "planurilor urbanistice zonale", "acordurilor de mediu", "bonurilor de consum",
	"deplasărilor în interes de serviciu"}

var docQualifiers = []string{"", "", "", " în format electronic", " la nivelul compartimentului", " pentru persoane juridice",
	" pentru persoane fizice", " prin ghișeul unic", " în sistemul informatic", " în regim de urgență"}

var legalRefs = []string{
	"Ordonanța de urgență a Guvernului nr. 57/2019 privind Codul administrativ",
	"Ordinul SGG nr. 600/2018 privind aprobarea Codului controlului intern managerial al entităților publice",
	"Legea nr. 544/2001 privind liberul acces la informațiile de interes public",
	"Ordonanța Guvernului nr. 27/2002 privind reglementarea activității de soluționare a petițiilor",
	"Legea nr. 50/1991 privind autorizarea executării lucrărilor de construcții",
	"Legea nr. 227/2015 privind Codul fiscal",
	"Legea nr. 207/2015 privind Codul de procedură fiscală",
	"Legea nr. 98/2016 privind achizițiile publice",
	"Legea nr. 273/2006 privind finanțele publice locale",
	"Legea contabilității nr. 82/1991",
	"SR EN ISO 9001:2015 Sisteme de management al calității. Cerințe",
	"Legea nr. 52/2003 privind transparența decizională în administrația publică",
	"Regulamentul (UE) 2016/679 privind protecția persoanelor fizice în ceea ce privește prelucrarea datelor cu caracter personal",
	"Legea Arhivelor Naționale nr. 16/1996",
	"Legea nr. 53/2003 – Codul muncii",
	"Legea nr. 350/2001 privind amenajarea teritoriului și urbanismul",
	"Legea nr. 416/2001 privind venitul minim garantat",
	"Ordinul MFP nr. 1792/2002 privind angajarea, lichidarea, ordonanțarea și plata cheltuielilor",
	"Regulamentul de organizare și funcționare al aparatului de specialitate al primarului",
}

var procSteps = []string{
	"Registratura înregistrează documentul primit și îl transmite conducătorului compartimentului în aceeași zi lucrătoare.",
	"Conducătorul compartimentului repartizează lucrarea unui consilier și stabilește termenul de soluționare.",
	"Consilierul verifică documentele depuse; dacă lipsesc acte, solicită completarea dosarului în cel mult 5 zile lucrătoare.",
	"Se verifică încadrarea în prevederile legale și în bugetul aprobat, iar constatările se consemnează în fișa de verificare.",
	"Consilierul întocmește proiectul de răspuns sau de act administrativ și îl înaintează spre avizare.",
	"Compartimentul juridic avizează pentru legalitate proiectul de act administrativ.",
	"Conducătorul compartimentului verifică lucrarea și o semnează pentru conformitate.",
	"Documentul se supune aprobării primarului sau persoanei delegate.",
	"Actul aprobat se comunică solicitantului, iar dovada comunicării se atașează la dosar.",
	"Lucrarea se operează în registrul electronic, cu numărul și data soluționării.",
	"Dosarul complet se arhivează conform nomenclatorului arhivistic al instituției.",
	"Datele se raportează lunar conducerii, împreună cu indicatorii de performanță ai activității.",
	"Neconformitățile constatate se înregistrează și se analizează în vederea stabilirii acțiunilor corective.",
	"Informațiile de interes public rezultate se publică pe pagina de internet a instituției.",
}

var revisionReasons = []string{
	"Actualizare în urma modificării legislației aplicabile",
	"Revizie ca urmare a recomandărilor din raportul de audit intern",
	"Modificarea structurii organizatorice aprobate prin hotărârea consiliului local",
	"Introducerea înregistrării electronice a documentelor",
	"Reducerea termenului de soluționare, conform angajamentelor din carta cetățeanului",
	"Redistribuirea responsabilităților după analiza efectuată de management",
	"Corelarea cu registrul riscurilor actualizat",
	"Completarea formularelor anexate la cererea compartimentelor utilizatoare",
}

var editionReasons = []string{
	"Reeditare completă: procedura a cumulat mai multe revizii",
	"Ediție nouă după reorganizarea activității",
	"Reeditare pentru alinierea la SR EN ISO 9001:2015",
}

var reviewNotes = []string{"Procedura rămâne adecvată; nu sunt necesare modificări.",
	"Analizată în ședința compartimentului; conținutul corespunde practicii actuale.",
	"Verificată față de legislația în vigoare; nu se impun modificări.", ""}

// systemProcedures are the six system procedures OSGG 600 asks every entity for.
var systemProcedures = []string{
	"Procedura de sistem privind elaborarea și controlul documentelor",
	"Procedura de sistem privind controlul înregistrărilor",
	"Procedura de sistem privind auditul intern",
	"Procedura de sistem privind controlul produsului neconform",
	"Procedura de sistem privind acțiunile corective",
	"Procedura de sistem privind managementul riscurilor",
}

// docTitle is a title of a document of kind about object.
func docTitle(kind, activity, object string) string {
	lower := activity
	if r := []rune(activity); len(r) > 0 {
		lower = strings.ToLower(string(r[0])) + string(r[1:])
	}
	switch kind {
	case documents.KindOperational:
		return "Procedura operațională privind " + lower
	case documents.KindInstruction:
		return "Instrucțiune de lucru pentru " + lower
	case documents.KindForm:
		return "Formular pentru " + lower
	case documents.KindRecord:
		return "Registrul de evidență a " + object
	case documents.KindRegulation:
		return "Regulament privind " + lower
	case documents.KindExternal:
		return "Ghid metodologic privind " + lower
	}
	return activity
}

// docSections writes the first version of a document about activity in unit.
func docSections(r *rand.Rand, kind, title, activity, unit string) map[string]string {
	lower := activity
	if rs := []rune(activity); len(rs) > 0 {
		lower = strings.ToLower(string(rs[0])) + string(rs[1:])
	}
	refs := pickN(r, legalRefs, 3+r.IntN(3))
	if !documents.Procedural(kind) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s.\n\nDocumentul este utilizat de %s pentru %s și se completează în format electronic sau pe hârtie, lizibil, fără ștersături.\n\n", title, unit, lower)
		for i, s := range pickN(r, procSteps, 3) {
			fmt.Fprintf(&b, "%d. %s\n", i+1, s)
		}
		fmt.Fprintf(&b, "\nTemei legal: %s.", strings.Join(refs[:2], "; "))
		return map[string]string{documents.SecBody: b.String()}
	}
	steps := pickN(r, procSteps, 5+r.IntN(4))
	var desc strings.Builder
	for i, s := range steps {
		fmt.Fprintf(&desc, "8.%d. %s\n", i+1, s)
	}
	return map[string]string{
		documents.SecPurpose:          fmt.Sprintf("Procedura stabilește modul de lucru, responsabilitățile și termenele pentru %s în cadrul %s, asigurând continuitatea activității și în cazul fluctuației de personal.", lower, unit),
		documents.SecScope:            fmt.Sprintf("Se aplică de personalul din %s și de compartimentele care furnizează date pentru %s. Activitatea începe la primirea solicitării și se încheie la arhivarea dosarului.", unit, lower),
		documents.SecReferences:       "- " + strings.Join(refs, "\n- "),
		documents.SecDefinitions:      "PO – procedură operațională; SCIM – sistemul de control intern managerial; registru electronic – aplicația în care se înregistrează lucrările compartimentului.",
		documents.SecDescription:      desc.String(),
		documents.SecResponsibilities: fmt.Sprintf("Conducătorul %s aprobă repartizarea lucrărilor și răspunde de respectarea termenelor.\nPersonalul de execuție aplică procedura și ține evidența lucrărilor.\nCompartimentul de management al calității monitorizează aplicarea procedurii.", unit),
		documents.SecAnnexes:          fmt.Sprintf("Anexa 1 – Formular de cerere privind %s\nAnexa 2 – Diagrama de proces\nAnexa 3 – Lista de verificare a dosarului", lower),
	}
}

// revise rewrites the sections a revision changes: a step of the
// description and a newer reference.
func revise(r *rand.Rand, kind string, prev map[string]string, reason string) map[string]string {
	out := map[string]string{}
	if !documents.Procedural(kind) {
		out[documents.SecBody] = prev[documents.SecBody] + "\n\nModificare: " + reason + "."
		return out
	}
	out[documents.SecDescription] = prev[documents.SecDescription] + fmt.Sprintf("8.%d. %s\n", strings.Count(prev[documents.SecDescription], "\n")+1, pick(r, procSteps))
	out[documents.SecReferences] = prev[documents.SecReferences] + "\n- " + pick(r, legalRefs)
	return out
}

// pickN returns n distinct elements of s in a random order.
func pickN[T any](r *rand.Rand, s []T, n int) []T {
	idx := r.Perm(len(s))
	out := make([]T, 0, n)
	for _, i := range idx[:min(n, len(s))] {
		out = append(out, s[i])
	}
	return out
}

// unitAbbrev is the code of a unit in document codes: its own code, or the
// initials of its name ("Serviciul Impozite și Taxe" is SIT).
func unitAbbrev(code, name string) string {
	if code != "" {
		return strings.ToUpper(code)
	}
	var b strings.Builder
	for _, w := range strings.Fields(fold(name)) {
		switch {
		case w == "de" || w == "si" || w == "a" || w == "cu" || w == "pentru" || w == "in" || w == "al" || w == "la":
		case w[0] >= '0' && w[0] <= '9':
			b.WriteString(w)
		case b.Len() < 5:
			b.WriteString(strings.ToUpper(w[:1]))
		}
	}
	if b.Len() == 0 {
		return "U"
	}
	return b.String()
}
