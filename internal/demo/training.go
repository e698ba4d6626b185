package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/documents"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/training"
	"cadran/internal/work"
)

// The demo municipality's training and competence records, played through
// the training service on a clock of their own so every change is audited
// under the name of the person who made it and every task reaches an
// inbox as it would have:
//
//   - some twenty months ago the quality manager sets the module up: the
//     competence catalogue (ten competences), who requires what (everyone
//     ethics; the quality manager and the internal auditors by role; heads
//     of unit, directors, the registry's and the legal staff by job), the
//     training plan's programmes, the certificates people brought with
//     them (the quality manager's and the tax service head's lapse within
//     the renewal window, the social assistance director's has lapsed, a
//     tax inspector's was renewed three weeks ago) and the target group of
//     the SIPOCA project:
//     30 people (heads, civil servants, contract staff and five local
//     councillors) with their eligibility data;
//   - the group's two programmes, each in two sessions held and closed in
//     the past, with attendance per day (a few absences, two people failing
//     the quality course and one the performance course), results and the
//     certificates of the quality course; the auditors' course, which gives
//     the demo auditor the certificate the audit register shows; the yearly
//     ethics training for the mayor's apparatus and the elected officials;
//   - competences assessed by heads of unit and the quality office, so the
//     matrix shows units without gaps (internal audit, IT, the quality
//     office) and units with gaps (heads without risk management, the
//     subordinate services without the ethics training);
//   - three people hired through org, each given an induction plan by the
//     hook: one completed it on time, one is overdue, one hired last week is
//     halfway; the two open ones are enrolled in the induction session
//     planned in ten days;
//   - the risk management course for heads of unit planned for today, with
//     the economic director and four heads of his directorate enrolled (the
//     browser test enrols one more, holds and closes it).

// trSeeder plays the training records.
type trSeeder struct {
	*scSeeder // people, actors and the clock
	svc       *training.Service
	docs      *documents.Service
	orgs      *org.Service
	rng       *rand.Rand
	today     time.Time // today in Bucharest, at midnight
	setup     time.Time // the day the module was set up
	domain    string

	all    []org.Person // active people, by id
	keyed  map[int64]bool
	unitOf map[int64]string // unit id to unit key
	comps  map[string]training.Competence
	progs  map[string]training.Programme
	group  training.Group
	certs  map[string]int64 // an external certificate's number → its id
	hires  map[string]org.Person

	male, female, surnames []string

	events   []trEvent
	sessions int
	issued   int
}

// trEvent is one step of the timeline.
type trEvent struct {
	at   time.Time
	seq  int
	what string
	do   func(context.Context) error
}

// trSession is a session of the timeline.
type trSession struct {
	prog          string
	start         time.Time
	place         string
	trainer       string
	capacity      int
	people        []int64
	held          bool          // held and closed in the past
	absent        map[int][]int // index in people → the days (0-based) missed
	scores        map[int]int   // index in people → the score, when the programme assesses
	enrolledAgo   int           // days before the start the people were enrolled
	certPrefix    string        // the certificates' numbers: prefix-NNNN/year
	certNo        int           // the first certificate's number
	session       training.Session
	completedByID map[int64]int64 // person → enrolment completed
}

// training seeds the demo municipality's training and competence records
// and returns how many sessions and certificates it made.
func (s *seeder) training(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (sessions, certificates int, err error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	docs := &documents.Service{DB: s.db, Clock: clk, Work: ws}
	svc := &training.Service{DB: s.db, Clock: clk, Work: ws, Docs: docs}
	// Reading a document ticks the induction item it is, as the server
	// wires the hook.
	docs.OnAcknowledged = svc.DocumentAcknowledged
	// A new employee gets their unit's documents, then the induction plan
	// that lists them, as the server wires the hook.
	orgs := &org.Service{DB: s.db, Clock: clk}
	orgs.OnPersonPlaced = func(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID int64) error {
		if err := docs.PersonPlaced(ctx, tx, a, personID, unitID); err != nil {
			return err
		}
		return svc.PersonPlaced(ctx, tx, a, personID, unitID)
	}
	ts := &trSeeder{
		scSeeder: &scSeeder{s: s, clk: clk, tenant: tenant, now: now, people: people, users: users, units: unitIDs,
			staff: map[string]org.Person{}, actors: map[string]auth.Actor{}},
		svc: svc, docs: docs, orgs: orgs,
		// A generator of its own: the other seeders' draws stay the same.
		rng:    rand.New(rand.NewPCG(2002, 72)),
		today:  work.Day(now), // the day in Bucharest
		domain: institutions[0].domain,
		keyed:  map[int64]bool{}, unitOf: map[int64]string{},
		comps: map[string]training.Competence{}, progs: map[string]training.Programme{},
		certs: map[string]int64{}, hires: map[string]org.Person{},
	}
	ts.setup = ts.today.AddDate(0, 0, -600)
	if err := ts.run(ctx); err != nil {
		return 0, 0, fmt.Errorf("cannot seed the demo training records: %w", err)
	}
	ts.clk.Set(now)
	return ts.sessions, ts.issued, nil
}

// at is a moment of a day: hours and minutes in UTC (09:00 in Bucharest
// is 06:00 or 07:00 UTC).
func trAt(day time.Time, hour, minute int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
}

func trDate(t time.Time) string { return t.Format(time.DateOnly) }

// monday is the Monday of day's week.
func trMonday(day time.Time) time.Time {
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

func (ts *trSeeder) add(at time.Time, what string, do func(context.Context) error) {
	ts.events = append(ts.events, trEvent{at: at, seq: len(ts.events), what: what, do: do})
}

func (ts *trSeeder) run(ctx context.Context) error {
	if err := ts.load(ctx); err != nil {
		return err
	}
	qm, err := ts.actor(ctx, "calitate")
	if err != nil {
		return err
	}
	ts.catalogue(qm)
	ts.externals(qm)
	members, err := ts.groupMembers(ctx)
	if err != nil {
		return err
	}
	ts.targetGroup(qm, members)
	if err := ts.plan(ctx, qm, members); err != nil {
		return err
	}
	if err := ts.assessments(ctx); err != nil {
		return err
	}
	if err := ts.newHires(ctx, qm); err != nil {
		return err
	}
	slices.SortStableFunc(ts.events, func(a, b trEvent) int {
		if n := a.at.Compare(b.at); n != 0 {
			return n
		}
		return a.seq - b.seq
	})
	for i := 0; i < len(ts.events); i++ {
		e := ts.events[i]
		ts.at(e.at)
		if err := e.do(ctx); err != nil {
			return fmt.Errorf("%s (%s): %w", e.what, e.at.Format(time.DateTime), err)
		}
	}
	return nil
}

// load reads the institution's active people.
func (ts *trSeeder) load(ctx context.Context) error {
	for key, id := range ts.units {
		ts.unitOf[id] = key
	}
	for _, p := range ts.people {
		ts.keyed[p.ID] = true
	}
	rows, err := ts.s.db.R.QueryContext(ctx, `SELECT id, full_name, COALESCE(unit_id, 0), job_title, position, employment, elected_role
		FROM people WHERE tenant_id = $1 AND active ORDER BY id`, ts.tenant)
	if err != nil {
		return fmt.Errorf("cannot read the demo people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p org.Person
		if err := rows.Scan(&p.ID, &p.FullName, &p.UnitID, &p.JobTitle, &p.Position, &p.Employment, &p.ElectedRole); err != nil {
			return fmt.Errorf("cannot read the demo people: %w", err)
		}
		ts.all = append(ts.all, p)
	}
	return rows.Err()
}

// who finds a person: a people key, "staff:<unit>" or "staffN:<unit>" (the
// unit's N-th person who is neither its head nor a demo user's), or a hire.
func (ts *trSeeder) who(key string) (org.Person, error) {
	if p, ok := ts.people[key]; ok {
		return p, nil
	}
	if p, ok := ts.hires[key]; ok {
		return p, nil
	}
	prefix, unit, ok := strings.Cut(key, ":")
	if !ok || !strings.HasPrefix(prefix, "staff") {
		return org.Person{}, fmt.Errorf("no demo person %q", key)
	}
	n := 1
	if rest := strings.TrimPrefix(prefix, "staff"); rest != "" {
		var err error
		if n, err = strconv.Atoi(rest); err != nil {
			return org.Person{}, fmt.Errorf("no demo person %q", key)
		}
	}
	for _, p := range ts.all {
		if p.UnitID == ts.units[unit] && !ts.keyed[p.ID] {
			if n--; n == 0 {
				return p, nil
			}
		}
	}
	return org.Person{}, fmt.Errorf("the demo unit %q has no staff %q", unit, key)
}

// inUnits lists the active people of the units, in order.
func (ts *trSeeder) inUnits(units ...string) []org.Person {
	var out []org.Person
	for _, p := range ts.all {
		if slices.Contains(units, ts.unitOf[p.UnitID]) {
			out = append(out, p)
		}
	}
	return out
}

// actorOf acts as a person: through their demo user, or in their own name
// with a role.
func (ts *trSeeder) actorOf(ctx context.Context, key string, p org.Person, role auth.Role) (auth.Actor, error) {
	if _, ok := userOfPerson[key]; ok {
		return ts.actor(ctx, key)
	}
	return auth.Actor{Tenant: ts.tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{role}, Locale: "ro"}, nil
}

// fullName makes up a name not given before, from the seeder's own decks.
func (ts *trSeeder) fullName() string {
	for {
		first := ts.deal(&ts.male, maleNames)
		if ts.rng.IntN(2) == 0 {
			first = ts.deal(&ts.female, femaleNames)
		}
		full := first + " " + ts.deal(&ts.surnames, surnames)
		if !ts.s.used[full] {
			ts.s.used[full] = true
			return full
		}
	}
}

func (ts *trSeeder) deal(deck *[]string, names []string) string {
	if len(*deck) == 0 {
		*deck = slices.Clone(names)
		ts.rng.Shuffle(len(*deck), func(i, j int) { (*deck)[i], (*deck)[j] = (*deck)[j], (*deck)[i] })
	}
	next := (*deck)[0]
	*deck = (*deck)[1:]
	return next
}

// ---- the set-up ----

// catalogue: the competences and who requires them, then the programmes.
func (ts *trSeeder) catalogue(qm auth.Actor) {
	at := trAt(ts.setup, 7, 30)
	for i, c := range trCompetences {
		ts.add(at.Add(time.Duration(i)*time.Minute), "competence "+c.code, func(ctx context.Context) error {
			got, err := ts.svc.CreateCompetence(ctx, qm, training.CompetenceInput{Code: c.code, Name: c.name, Description: c.desc, Area: c.area,
				ValidityMonths: c.validity, Active: true})
			ts.comps[c.code] = got
			return err
		})
	}
	at = trAt(ts.setup, 8, 30)
	for i, r := range trRequirements {
		ts.add(at.Add(time.Duration(i)*time.Minute), "requirement "+r.comp+" "+r.target, func(ctx context.Context) error {
			_, err := ts.svc.AddRequirement(ctx, qm, ts.comps[r.comp].ID, training.RequirementInput{Kind: r.kind, Target: r.target, Level: r.level})
			return err
		})
	}
	// The programmes the day after the target group.
	at = trAt(ts.setup.AddDate(0, 0, 15), 8, 0)
	for i, p := range trProgrammes {
		ts.add(at.Add(time.Duration(i)*time.Minute), "programme "+p.code, func(ctx context.Context) error {
			in := training.ProgrammeInput{Code: p.code, Title: p.title, Topic: p.topic, Provider: p.provider, Hours: p.hours,
				Certificate: p.certificate, CertificateMonths: p.months, CompetenceID: ts.comps[p.comp].ID, CompetenceLevel: p.level,
				Mandatory: p.mandatory, PassScore: p.pass, MinAttendance: 80, Description: p.desc, Active: true}
			if p.group {
				in.GroupID = ts.group.ID
			}
			got, err := ts.svc.CreateProgramme(ctx, qm, in)
			ts.progs[p.code] = got
			return err
		})
	}
}

// externals: the certificates people brought with them, recorded when the
// module was set up, and a renewal recorded when it came.
func (ts *trSeeder) externals(qm auth.Actor) {
	at := trAt(ts.setup.AddDate(0, 0, 2), 9, 0)
	for i, x := range trExternals {
		when := at.Add(time.Duration(i) * time.Minute)
		if x.recordedAgo > 0 {
			when = trAt(ts.today.AddDate(0, 0, -x.recordedAgo), 9, i)
		}
		ts.add(when, "certificate "+x.number, func(ctx context.Context) error {
			p, err := ts.who(x.who)
			if err != nil {
				return err
			}
			in := training.CertificateInput{PersonID: p.ID, CompetenceID: ts.comps[x.comp].ID, CompetenceLevel: x.level, Name: x.name,
				Number: x.number, Issuer: x.issuer, Hours: x.hours, IssuedOn: trDate(ts.today.AddDate(0, 0, -x.issuedDaysAgo)),
				Notes: "Certificat obținut înainte de angajare sau dintr-un proiect anterior; copie la dosarul profesional."}
			if x.expiresInDays != 0 {
				in.ExpiresOn = trDate(ts.today.AddDate(0, 0, x.expiresInDays))
			}
			if x.renews != "" {
				in.RenewsID = ts.certs[x.renews]
				in.Notes = "Reatestare; copie la dosarul profesional."
			}
			c, err := ts.svc.CreateCertificate(ctx, qm, in, nil)
			if err != nil {
				return err
			}
			ts.certs[x.number] = c.ID
			ts.issued++
			return nil
		})
	}
}

// groupMembers picks the target group's 30 people: eight heads, thirteen
// civil servants in execution positions, four contract staff and the five
// local councillors of the demo.
func (ts *trSeeder) groupMembers(ctx context.Context) ([]org.Person, error) {
	var out []org.Person
	seen := map[int64]bool{}
	for _, key := range []string{
		// Heads (management).
		"head:de", "head:sbf", "head:sitl", "head:sru", "head:srpr", "head:bcim", "head:silp", "head:sac",
		// Civil servants in execution positions.
		"calitate", "angajat", "auditor", "staff:capi", "registratura", "staff:bcim", "staff:sbf", "staff:sc", "staff:bpj",
		"staff:sapl", "staff:sjc", "staff:cap", "staff:sac",
		// Contract staff.
		"staff:cab", "staff3:silp", "staff2:scri", "staff:ci",
	} {
		p, err := ts.who(key)
		if err != nil {
			return nil, err
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("the target group lists %s twice", key)
		}
		seen[p.ID] = true
		out = append(out, p)
	}
	// The local councillors.
	for _, p := range ts.all {
		if p.ElectedRole == org.ElectedCouncillor {
			out = append(out, p)
		}
	}
	if len(out) != 30 {
		return nil, fmt.Errorf("the target group has %d people, want 30", len(out))
	}
	return out, nil
}

// eligibility makes up a member's data as the project reports it.
func (ts *trSeeder) eligibility(p org.Person, joined string) training.MemberInput {
	in := training.MemberInput{PersonID: p.ID, Consent: true, JoinedOn: joined, Residence: "urban"}
	first, _, _ := strings.Cut(p.FullName, " ")
	in.Gender = "m"
	if slices.Contains(femaleNames, first) {
		in.Gender = "f"
	}
	if ts.rng.Float64() < 0.15 {
		in.Residence = "rural"
	}
	year := ts.today.Year()
	switch {
	case p.Employment == org.EmploymentElected:
		in.BirthYear = year - 38 - ts.rng.IntN(25)
		in.Education = []string{"isced3", "isced6", "isced6", "isced7", "isced7"}[ts.rng.IntN(5)]
	case p.Position == org.PositionManagement:
		in.BirthYear = year - 40 - ts.rng.IntN(18)
		in.Education = []string{"isced7", "isced7", "isced7", "isced8"}[ts.rng.IntN(4)]
	case p.Employment == org.EmploymentContract:
		in.BirthYear = year - 28 - ts.rng.IntN(26)
		in.Education = []string{"isced3", "isced4", "isced6", "isced6"}[ts.rng.IntN(4)]
	default:
		in.BirthYear = year - 26 - ts.rng.IntN(30)
		in.Education = []string{"isced6", "isced6", "isced7", "isced7", "isced7"}[ts.rng.IntN(5)]
	}
	return in
}

// targetGroup creates the project's target group and adds its members.
func (ts *trSeeder) targetGroup(qm auth.Actor, members []org.Person) {
	start := ts.setup.AddDate(0, 0, 14)
	ts.add(trAt(start, 9, 0), "target group", func(ctx context.Context) error {
		g, err := ts.svc.CreateGroup(ctx, qm, training.GroupInput{
			Code: trGroupCode,
			Name: "Grupul țintă al proiectului SIPOCA 1187 „Târgu Verde — administrație performantă prin calitate”",
			Description: "Personalul de conducere și de execuție al aparatului de specialitate al primarului și consilierii locali " +
				"instruiți în managementul calității (ISO 9001:2015), autoevaluarea CAF și managementul performanței.",
			Project: "Proiectul „Târgu Verde — administrație performantă prin calitate”, cod SIPOCA 1187, cod MySMIS 146321",
			StartOn: trDate(start), EndOn: trDate(ts.today.AddDate(0, 2, 0)),
			GoalMembers: 30, GoalHours: 40, GoalShare: 90, Active: true,
		})
		ts.group = g
		return err
	})
	for i, p := range members {
		in := ts.eligibility(p, trDate(start))
		ts.add(trAt(start, 10, i), "member "+p.FullName, func(ctx context.Context) error {
			_, err := ts.svc.AddMember(ctx, qm, ts.group.ID, in)
			return err
		})
	}
}

// ---- the sessions ----

// plan lays out the sessions of the training plan.
func (ts *trSeeder) plan(ctx context.Context, qm auth.Actor, members []org.Person) error {
	ids := func(ps []org.Person) []int64 {
		out := make([]int64, len(ps))
		for i, p := range ps {
			out[i] = p.ID
		}
		return out
	}
	trainer := func() string { return ts.fullName() }
	mc1, mc2 := trainer(), trainer()
	var even, odd []org.Person
	for i, p := range members {
		if i%2 == 0 {
			even = append(even, p)
		} else {
			odd = append(odd, p)
		}
	}
	auditors := []org.Person{}
	for _, key := range []string{"auditor", "staff:capi", "calitate", "staff:bcim", "head:bcim", "head:sru", "head:srpr", "staff:sjc"} {
		p, err := ts.who(key)
		if err != nil {
			return err
		}
		auditors = append(auditors, p)
	}
	// The yearly ethics training: the mayor's apparatus in two halves, the
	// elected officials and the secretary general with the second.
	ethics1 := ts.inUnits("cab", "de", "sbf", "sc", "sitl", "bpf", "bpj", "dti", "silp", "cadp", "du", "sac", "cdc")
	ethics2 := ts.inUnits("djapl", "sjc", "sapl", "cra", "sru", "srpr", "capi", "bcim", "cap", "ci", "scri")
	for _, p := range ts.all {
		if p.UnitID == 0 {
			ethics2 = append(ethics2, p)
		}
	}
	// The risk management course of today: the economic director and the
	// heads of his directorate's services and offices.
	var risk []int64
	for _, key := range []string{"head:de", "head:sbf", "head:sc", "head:bpf", "head:bpj"} {
		p, err := ts.who(key)
		if err != nil {
			return err
		}
		risk = append(risk, p.ID)
	}
	sessions := []*trSession{
		{prog: "P-MC", start: trMonday(ts.today.AddDate(0, 0, -455)), place: trPlaceCouncil, trainer: mc1, capacity: 16, people: ids(members[:15]), held: true,
			absent: map[int][]int{3: {4}, 8: {1, 2}, 11: {0}}, certPrefix: "AMPT-MC", certNo: 312},
		{prog: "P-MC", start: trMonday(ts.today.AddDate(0, 0, -420)), place: trPlaceCouncil, trainer: mc2, capacity: 16, people: ids(members[15:]), held: true,
			absent: map[int][]int{9: {3}}, scores: map[int]int{5: 62}, certPrefix: "AMPT-MC", certNo: 327},
		{prog: "P-PERF", start: trMonday(ts.today.AddDate(0, 0, -345)).AddDate(0, 0, 1), place: trPlaceTraining, trainer: mc1, capacity: 16, people: ids(even), held: true,
			absent: map[int][]int{6: {1}}},
		{prog: "P-PERF", start: trMonday(ts.today.AddDate(0, 0, -315)).AddDate(0, 0, 1), place: trPlaceTraining, trainer: mc2, capacity: 16, people: ids(odd), held: true},
		{prog: "P-AUD", start: trMonday(ts.today.AddDate(0, 0, -245)), place: trPlaceProvider, trainer: trainer(), capacity: 12, people: ids(auditors), held: true,
			certPrefix: "CFECM-AI", certNo: 1450},
		{prog: "P-ETICA", start: trMonday(ts.today.AddDate(0, 0, -185)).AddDate(0, 0, 1), place: trPlaceCouncil, trainer: trainer(), people: ids(ethics1), held: true,
			absent: map[int][]int{len(ethics1) - 3: {0}, len(ethics1) - 6: {0}}},
		{prog: "P-ETICA", start: trMonday(ts.today.AddDate(0, 0, -178)).AddDate(0, 0, 3), place: trPlaceCouncil, trainer: trainer(), people: ids(ethics2), held: true,
			absent: map[int][]int{len(ethics2) - 2: {0}}},
		{prog: "P-RISC", start: ts.today, place: trPlaceTraining, trainer: trainer(), capacity: 20, people: risk, enrolledAgo: 28},
	}
	for _, ss := range sessions {
		ts.session(qm, ss)
	}
	return nil
}

// session plays one session: planned three weeks before, people enrolled,
// and for a session of the past held, attendance and results recorded,
// closed and the certificates recorded.
func (ts *trSeeder) session(qm auth.Actor, ss *trSession) {
	p := trProgrammeOf(ss.prog)
	if ss.enrolledAgo == 0 {
		ss.enrolledAgo = 18
	}
	ss.completedByID = map[int64]int64{}
	end := ss.start.AddDate(0, 0, p.days-1)
	ts.add(trAt(ss.start.AddDate(0, 0, -ss.enrolledAgo-3), 10, 0), "session of "+ss.prog, func(ctx context.Context) error {
		got, err := ts.svc.CreateSession(ctx, qm, training.SessionInput{ProgrammeID: ts.progs[ss.prog].ID, StartOn: trDate(ss.start), EndOn: trDate(end),
			Place: ss.place, Trainer: ss.trainer, Capacity: ss.capacity})
		ss.session = got
		ts.sessions++
		return err
	})
	ts.add(trAt(ss.start.AddDate(0, 0, -ss.enrolledAgo), 10, 30), "enrolment in "+ss.prog, func(ctx context.Context) error {
		_, err := ts.svc.Enrol(ctx, qm, ss.session.ID, ss.people)
		return err
	})
	if !ss.held {
		return
	}
	ts.add(trAt(ss.start, 6, 30), "holding "+ss.prog, func(ctx context.Context) error {
		return ts.state(ctx, qm, ss, training.SessionHeld)
	})
	ts.add(trAt(end, 14, 0), "attendance of "+ss.prog, func(ctx context.Context) error {
		enrolments, err := ts.svc.Enrolments(ctx, qm, ss.session.ID)
		if err != nil {
			return err
		}
		byPerson := map[int64]int64{}
		for _, e := range enrolments {
			byPerson[e.PersonID] = e.ID
		}
		days := ss.session.Days()
		present := map[int64][]string{}
		var results []training.ResultInput
		for i, person := range ss.people {
			id := byPerson[person]
			present[id] = []string{}
			for d, day := range days {
				if !slices.Contains(ss.absent[i], d) {
					present[id] = append(present[id], day)
				}
			}
			if p.pass > 0 {
				score, ok := ss.scores[i]
				if !ok {
					score = p.pass + 3 + ts.rng.IntN(100-p.pass-2)
				}
				results = append(results, training.ResultInput{EnrolmentID: id, Score: &score})
			}
		}
		if err := ts.svc.SaveAttendance(ctx, qm, ss.session.ID, present); err != nil {
			return err
		}
		if len(results) > 0 {
			return ts.svc.SaveResults(ctx, qm, ss.session.ID, results)
		}
		return nil
	})
	closed := citizen.NextWorkingDay(end.AddDate(0, 0, 1))
	ts.add(trAt(closed, 8, 0), "closing "+ss.prog, func(ctx context.Context) error {
		if err := ts.state(ctx, qm, ss, training.SessionClosed); err != nil {
			return err
		}
		enrolments, err := ts.svc.Enrolments(ctx, qm, ss.session.ID)
		if err != nil {
			return err
		}
		for _, e := range enrolments {
			if e.State == training.EnrolCompleted {
				ss.completedByID[e.PersonID] = e.ID
			}
		}
		return nil
	})
	if p.certificate == "" {
		return
	}
	// The provider's certificates, recorded by the quality office when they
	// arrive.
	issued := citizen.NextWorkingDay(end.AddDate(0, 0, 5))
	ts.add(trAt(citizen.NextWorkingDay(issued.AddDate(0, 0, 3)), 9, 0), "certificates of "+ss.prog, func(ctx context.Context) error {
		n := ss.certNo
		for _, person := range ss.people {
			id, ok := ss.completedByID[person]
			if !ok {
				continue
			}
			in := training.CertificateInput{EnrolmentID: id, Name: p.certificate, Number: fmt.Sprintf("%s-%04d/%d", ss.certPrefix, n, issued.Year()),
				Issuer: p.provider, IssuedOn: trDate(issued)}
			if _, err := ts.svc.CreateCertificate(ctx, qm, in, nil); err != nil {
				return fmt.Errorf("certificate %d: %w", n, err)
			}
			n++
			ts.issued++
		}
		return nil
	})
}

// state moves a session on with its current version.
func (ts *trSeeder) state(ctx context.Context, qm auth.Actor, ss *trSession, state string) error {
	cur, err := ts.svc.Session(ctx, qm, ss.session.ID)
	if err != nil {
		return err
	}
	ss.session, err = ts.svc.SetSessionState(ctx, qm, cur.ID, state, cur.Version)
	return err
}

func trProgrammeOf(code string) trProgramme {
	for _, p := range trProgrammes {
		if p.code == code {
			return p
		}
	}
	panic("no demo programme " + code)
}

// ---- competences assessed ----

func (ts *trSeeder) assessments(ctx context.Context) error {
	for i, a := range trAssessments {
		p, err := ts.who(a.who)
		if err != nil {
			return err
		}
		var actor auth.Actor
		if a.by == "qm" {
			actor, err = ts.actor(ctx, "calitate")
		} else {
			var head org.Person
			if head, err = ts.who(a.by); err == nil {
				actor, err = ts.actorOf(ctx, a.by, head, auth.RoleHeadOfUnit)
			}
		}
		if err != nil {
			return err
		}
		day := ts.today.AddDate(0, 0, -a.daysAgo)
		in := training.HeldInput{CompetenceID: 0, Level: a.level, AcquiredOn: trDate(day), Notes: a.notes}
		ts.add(trAt(day, 11, i), "assessment of "+a.who, func(ctx context.Context) error {
			in.CompetenceID = ts.comps[a.comp].ID
			_, err := ts.svc.Assess(ctx, actor, p.ID, in)
			return err
		})
	}
	return nil
}

// ---- onboarding ----

// trHire is a person hired through org, and how far through the induction
// plan they are.
type trHire struct {
	key, unit, title string
	daysAgo          int
	// acknowledge: the kinds of documents they confirmed reading, and
	// after how many days.
	acknowledge []string
	ackAfter    int
}

var trHires = []trHire{
	// Hired a hundred days ago: read everything in the first week and
	// attended the induction session; the plan was completed on time.
	{key: "hire:sru", unit: "sru", title: "Consilier asistent", daysAgo: 100, ackAfter: 2,
		acknowledge: []string{documents.KindPolicy, documents.KindManual, documents.KindSystem, documents.KindOperational}},
	// Hired seven weeks ago: read the policy only; the plan is overdue.
	{key: "hire:sbs", unit: "sbs", title: "Inspector asistent", daysAgo: 52, ackAfter: 3,
		acknowledge: []string{documents.KindPolicy}},
	// Hired last week: read the policy and the manual so far.
	{key: "hire:bpf", unit: "bpf", title: "Inspector asistent", daysAgo: 9, ackAfter: 1,
		acknowledge: []string{documents.KindPolicy, documents.KindManual}},
}

func (ts *trSeeder) newHires(ctx context.Context, qm auth.Actor) error {
	hr, err := ts.s.users.ActorByID(ctx, ts.users["admin"])
	if err != nil {
		return fmt.Errorf("cannot act as the demo administrator: %w", err)
	}
	for _, h := range trHires {
		hired := citizen.NextWorkingDay(ts.today.AddDate(0, 0, -h.daysAgo))
		name := ts.fullName()
		in := org.PersonInput{UnitID: ts.units[h.unit], FullName: name, Email: ts.s.email(name, ts.domain), JobTitle: h.title,
			Phone:    fmt.Sprintf("0265 %03d %03d", 100+ts.rng.IntN(900), ts.rng.IntN(1000)),
			Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true}
		ts.add(trAt(hired, 6, 15), "hiring "+h.key, func(ctx context.Context) error {
			p, err := ts.orgs.CreatePerson(ctx, hr, in)
			ts.hires[h.key] = p
			return err
		})
		ack := citizen.NextWorkingDay(hired.AddDate(0, 0, h.ackAfter))
		ts.add(trAt(ack, 8, 0), "reading of "+h.key, func(ctx context.Context) error {
			return ts.acknowledge(ctx, ts.hires[h.key], h.acknowledge)
		})
	}
	// The induction session of the first hire, two weeks after they came.
	first := citizen.NextWorkingDay(ts.today.AddDate(0, 0, -trHires[0].daysAgo))
	ind1 := &trSession{prog: "P-IND", start: citizen.NextWorkingDay(first.AddDate(0, 0, 14)), place: trPlaceTraining, held: true, enrolledAgo: 10}
	// The next one in ten days, for the two open plans.
	ind2 := &trSession{prog: "P-IND", start: citizen.NextWorkingDay(ts.today.AddDate(0, 0, 10)), place: trPlaceTraining, enrolledAgo: 15, capacity: 12}
	me, err := ts.who("calitate")
	if err != nil {
		return err
	}
	ind1.trainer, ind2.trainer = me.FullName, me.FullName
	// The people are known once hired: the enrolment reads them then.
	ts.sessionLater(qm, ind1, "hire:sru")
	ts.sessionLater(qm, ind2, "hire:sbs", "hire:bpf")
	return nil
}

// sessionLater plays a session whose people are hired on the timeline.
func (ts *trSeeder) sessionLater(qm auth.Actor, ss *trSession, keys ...string) {
	n := len(ts.events)
	ts.session(qm, ss)
	// The enrolment step is the second event session added: fill in the
	// people when it runs.
	enrol := &ts.events[n+1]
	do := enrol.do
	enrol.do = func(ctx context.Context) error {
		ss.people = nil
		for _, k := range keys {
			ss.people = append(ss.people, ts.hires[k].ID)
		}
		return do(ctx)
	}
}

// acknowledge confirms reading, as the person, the documents of the given
// kinds they received.
func (ts *trSeeder) acknowledge(ctx context.Context, p org.Person, kinds []string) error {
	rows, err := ts.s.db.R.QueryContext(ctx, `SELECT r.version_id, d.kind FROM document_receipts r
		JOIN document_versions v ON v.id = r.version_id JOIN documents d ON d.id = v.document_id
		WHERE r.tenant_id = $1 AND r.person_id = $2 AND r.acknowledged_at IS NULL ORDER BY d.kind, d.code`, ts.tenant, p.ID)
	if err != nil {
		return fmt.Errorf("cannot read the new employee's documents: %w", err)
	}
	var versions []int64
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read the new employee's documents: %w", err)
		}
		if slices.Contains(kinds, kind) {
			versions = append(versions, id)
		}
	}
	rows.Close()
	a := auth.Actor{Tenant: ts.tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro"}
	for i, v := range versions {
		ts.clk.Set(ts.clk.Now().Add(time.Duration(7+i*4) * time.Minute))
		if err := ts.docs.Acknowledge(ctx, a, v); err != nil {
			return fmt.Errorf("acknowledging version %d: %w", v, err)
		}
	}
	return nil
}
