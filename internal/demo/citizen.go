package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// The demo municipality's citizen services, played through the citizen
// service on a clock of its own so every change is audited under the name
// of the person who made it and every deadline reaches an inbox as it
// would have:
//
//   - the catalogue of ten public services (urbanism, taxes, civil
//     status, social benefits, slow vehicles, the agricultural register),
//     made by the quality manager a few weeks before the registry opens,
//     and the settings (deadlines move to the next working day);
//   - two years of the registry, from the first day of the month two years
//     ago to today: petitions, requests for public information and
//     applications, with the seasons (urbanism in spring, taxes in March,
//     transcriptions in August), by every channel (online growing), most
//     registered at the counter by the registry clerk and sent to a unit
//     and a person there, the online ones assigned the next working
//     morning; answered by their assignee (some late, a few after an
//     extension), a few redirected to the competent authority, anonymous
//     letters filed away, some requests refused or given in part and a few
//     of those contested; the second year faster than the first;
//   - what is open today: the cases of the last weeks, a few overdue, the
//     online cases of the last days waiting for the registry clerk, and
//     cases in the inboxes of the head of the economic directorate and of
//     the employee;
//   - citizens' anonymous ratings: after an answer on the status page, and
//     at the counters through the short link or QR code, better in the
//     second year;
//   - the impact baseline set, after the first year, to that year.

// ctSeeder plays the citizen services.
type ctSeeder struct {
	*scSeeder // people, actors and the clock
	svc       *citizen.Service
	rng       *rand.Rand
	start     time.Time // the first day of the registry
	services  []citizen.PublicService
	cases     []*ctCase
	clerk     auth.Actor
	male      []string
	female    []string
	surnames  []string
	certNo    int
}

// ctCase is one case of the timeline: what is planned for it and, once
// registered, what the service gave back.
type ctCase struct {
	at       time.Time // registration
	kind     string
	channel  string
	topic    string
	svc      int // index in ctServices, -1: none
	subject  string
	body     string
	assignee string // person key; "" for a case left with the registry
	anon     bool   // an anonymous letter, filed away
	complex  bool
	// the outcome: an answer kind, or redirected, filed; "" stays open
	outcome  string
	answer   string
	answerAt time.Time
	extendAt time.Time // zero: no extension
	extDays  int
	redirect string
	assignAt time.Time // zero: assigned when registered
	rateAt   time.Time // zero: not rated
	rating   int
	comment  string
	// an administrative complaint (requests for information): lodged, and
	// its outcome decided
	complainAt, decideAt time.Time
	upheld               bool

	id      int64
	version int
	number  string
	code    string
}

// ctEvent is one step of the timeline.
type ctEvent struct {
	at  time.Time
	seq int // order of steps planned for the same moment
	c   *ctCase
	op  string // register, assign, extend, redirect, answer, file, rate, complain, decide
}

// citizen seeds the demo municipality's citizen services: the service
// catalogue, two years of the registry and citizens' ratings. It returns
// how many cases and ratings it made.
func (s *seeder) citizen(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (cases, ratings int, err error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	cs := &ctSeeder{
		scSeeder: &scSeeder{s: s, clk: clk, tenant: tenant, now: now, people: people, users: users, units: unitIDs,
			staff: map[string]org.Person{}, actors: map[string]auth.Actor{}},
		svc: &citizen.Service{DB: s.db, Clock: clk, Work: ws},
		// A generator of its own: the other seeders' draws stay the same.
		rng:   rand.New(rand.NewPCG(2001, 544)),
		start: time.Date(now.Year()-2, now.Month(), 1, 0, 0, 0, 0, time.UTC),
	}
	if err := cs.run(ctx); err != nil {
		return 0, 0, fmt.Errorf("cannot seed the demo citizen services: %w", err)
	}
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizen_feedback WHERE tenant_id = $1`, tenant).Scan(&ratings); err != nil {
		return 0, 0, fmt.Errorf("cannot count the demo ratings: %w", err)
	}
	return len(cs.cases), ratings, nil
}

func (cs *ctSeeder) run(ctx context.Context) error {
	qm, err := cs.actor(ctx, "calitate")
	if err != nil {
		return err
	}
	if cs.clerk, err = cs.actor(ctx, "registratura"); err != nil {
		return err
	}
	// The catalogue and the settings, three weeks before the registry opens.
	opened := cs.start.AddDate(0, 0, -21).Add(8 * time.Hour)
	cs.at(opened)
	set, err := cs.svc.SettingsOf(ctx, cs.tenant)
	if err != nil {
		return err
	}
	set.ShiftToWorking = true
	set.PublicEnabled = true
	set.Contact = "Registratura generală: Piața Primăriei nr. 1, parter, ghișeele 1-4; luni-joi 8:30-16:30, vineri 8:30-14:00; telefon 0265 100 200; registratura@primaria-targuverde.example"
	if set, err = cs.svc.SaveSettings(ctx, qm, set); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	for i, sp := range ctServices {
		cs.at(opened.Add(time.Duration(10+i) * time.Minute))
		p, err := cs.svc.CreatePublicService(ctx, qm, citizen.PublicServiceInput{
			Code: sp.code, Name: sp.name, Description: sp.desc, UnitID: cs.units[sp.unit], LegalDays: sp.days,
			LegalBasis: sp.basis, Documents: strings.Join(sp.docs, "\n"), Fee: sp.fee, Active: true,
		})
		if err != nil {
			return fmt.Errorf("service %s: %w", sp.code, err)
		}
		cs.services = append(cs.services, p)
	}
	cs.plan()
	if err := cs.play(ctx); err != nil {
		return err
	}
	// A year after the registry opened the quality manager sets the first
	// year as the impact baseline.
	baseTo := cs.start.AddDate(1, 0, -1)
	if when := baseTo.AddDate(0, 0, 12).Add(9 * time.Hour); when.Before(cs.now) {
		cs.at(when)
		if set, err = cs.svc.SettingsOf(ctx, cs.tenant); err != nil {
			return err
		}
		set.BaselineFrom, set.BaselineTo = cs.start, baseTo
		if _, err := cs.svc.SaveSettings(ctx, qm, set); err != nil {
			return fmt.Errorf("the impact baseline: %w", err)
		}
	}
	cs.clk.Set(cs.now)
	return nil
}

// ---- the plan ----

func (cs *ctSeeder) pick(list []string) string { return list[cs.rng.IntN(len(list))] }

// weighted picks an index by weight.
func (cs *ctSeeder) weighted(ws []float64) int {
	var sum float64
	for _, w := range ws {
		sum += w
	}
	r := cs.rng.Float64() * sum
	for i, w := range ws {
		if r < w {
			return i
		}
		r -= w
	}
	return len(ws) - 1
}

func seasonOf(m map[int]float64, month time.Month) float64 {
	if f, ok := m[int(month)]; ok {
		return f
	}
	return 1
}

// progress is how far into the two years day is, 0 to 1.
func (cs *ctSeeder) progress(day time.Time) float64 {
	total := cs.now.Sub(cs.start).Hours()
	if total <= 0 {
		return 1
	}
	return math.Min(1, math.Max(0, day.Sub(cs.start).Hours()/total))
}

// secondYear reports whether day is after the baseline year.
func (cs *ctSeeder) secondYear(day time.Time) bool { return !day.Before(cs.start.AddDate(1, 0, 0)) }

// workTime is a moment of office hours (08:00-16:00 in Bucharest) on the
// first working day from day on.
func (cs *ctSeeder) workTime(day time.Time) time.Time {
	d := citizen.NextWorkingDay(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC))
	return d.Add(6*time.Hour + time.Duration(cs.rng.IntN(7*60))*time.Minute)
}

// monthVolume is the municipality's cases on a working day, by month: the
// spring's building season and March's taxes, quiet at the holidays.
var monthVolume = [13]float64{0, 1.7, 1.9, 2.5, 2.5, 2.4, 2.2, 1.9, 1.8, 2.1, 2.2, 2.0, 1.5}

func (cs *ctSeeder) plan() {
	lastDay := time.Date(cs.now.Year(), cs.now.Month(), cs.now.Day(), 0, 0, 0, 0, time.UTC)
	for day := cs.start; day.Before(lastDay); day = day.AddDate(0, 0, 1) {
		lambda := monthVolume[day.Month()]
		working := citizen.WorkingDay(day)
		if !working {
			lambda = 0.25
		}
		n := int(lambda * (0.5 + cs.rng.Float64()))
		if cs.rng.Float64() < lambda*(0.5+cs.rng.Float64())-float64(n) {
			n++
		}
		for range n {
			cs.cases = append(cs.cases, cs.newCase(day, working))
		}
	}
	cs.today(lastDay)
}

// newCase plans a case registered on day.
func (cs *ctSeeder) newCase(day time.Time, working bool) *ctCase {
	p := cs.progress(day)
	c := &ctCase{svc: -1}
	// The channel: online grows from 15% to 35% of the cases; on a day off
	// only the online form and e-mail work.
	online := 0.15 + 0.2*p
	switch r := cs.rng.Float64(); {
	case !working && r < 0.7, working && r < online:
		c.channel = citizen.ChannelOnline
	case !working, working && r < online+0.18:
		c.channel = citizen.ChannelEmail
	case r < online+0.28:
		c.channel = citizen.ChannelPost
	default:
		c.channel = citizen.ChannelCounter
	}
	if c.channel == citizen.ChannelOnline || c.channel == citizen.ChannelEmail {
		c.at = day.Add(time.Duration(5*60+cs.rng.IntN(14*60)) * time.Minute)
	} else {
		c.at = day.Add(time.Duration(6*60+cs.rng.IntN(7*60)) * time.Minute)
	}
	switch r := cs.rng.Float64(); {
	case r < 0.34:
		cs.planPetition(c)
	case r < 0.47:
		cs.planInfo(c)
	default:
		cs.planService(c)
	}
	cs.planRating(c)
	return c
}

func (cs *ctSeeder) street() string { return cs.pick(ctStreets) }

// subjectOf fills a subject's street or year.
func (cs *ctSeeder) subjectOf(format string, year int) string {
	switch {
	case strings.Contains(format, "%s"):
		return fmt.Sprintf(format, cs.street())
	case strings.Contains(format, "%d"):
		return fmt.Sprintf(format, year)
	}
	return format
}

func (cs *ctSeeder) topicOf(topics []ctTopic, month time.Month) ctTopic {
	ws := make([]float64, len(topics))
	for i, t := range topics {
		ws[i] = t.weight * seasonOf(t.season, month)
	}
	return topics[cs.weighted(ws)]
}

// answerDay is the moment a case taking days is answered: office hours
// of that day, or of the next working day.
func (cs *ctSeeder) answerDay(c *ctCase, days int) time.Time {
	day := time.Date(c.at.Year(), c.at.Month(), c.at.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	t := cs.workTime(day)
	if !t.After(c.at) {
		t = c.at.Add(time.Duration(30+cs.rng.IntN(120)) * time.Minute)
	}
	return t
}

func (cs *ctSeeder) planPetition(c *ctCase) {
	c.kind = citizen.KindPetition
	late := 0.07
	if cs.secondYear(c.at) {
		late = 0.03
	}
	switch r := cs.rng.Float64(); {
	case r < 0.035 && c.channel != citizen.ChannelOnline:
		// An anonymous letter: not considered, filed away.
		c.channel = citizen.ChannelPost
		c.anon = true
		c.topic = cs.topicOf(ctPetitionTopics, c.at.Month()).topic
		c.subject = "Sesizare nesemnată privind " + cs.pick([]string{"un vecin", "un funcționar", "zgomotul din cartier", "o construcție"})
		c.body = "Scrisoare fără semnătură și fără adresă de răspuns."
		// The service files it away when it is registered.
		c.outcome = citizen.StateFiled
		return
	case r < 0.05:
		// A repeat of a petition already answered: filed away.
		t := cs.topicOf(ctPetitionTopics, c.at.Month())
		c.topic = t.topic
		c.subject = cs.subjectOf(cs.pick(t.subjects), c.at.Year()) + " (revenire)"
		c.body = "Revin cu aceeași sesizare, la care am primit deja răspuns."
		c.outcome = citizen.StateFiled
		c.answer = "Petiție repetată, cu același conținut ca una la care s-a răspuns deja (OG nr. 27/2002, art. 8 alin. (3)): clasată."
		c.answerAt = cs.answerDay(c, 1+cs.rng.IntN(4))
		return
	case r < 0.085:
		rd := ctRedirects[cs.rng.IntN(len(ctRedirects))]
		c.topic = "other"
		c.subject = cs.subjectOf(rd.subject, c.at.Year())
		c.body = "Vă rog să luați măsuri în privința celor de mai sus."
		c.redirect = rd.to
		c.outcome = citizen.StateRedirected
		c.answerAt = cs.answerDay(c, 1+cs.rng.IntN(4))
		return
	}
	t := cs.topicOf(ctPetitionTopics, c.at.Month())
	c.topic = t.topic
	c.assignee = cs.pick(t.assignees)
	c.subject = cs.subjectOf(cs.pick(t.subjects), c.at.Year())
	c.body = "Vă rog să analizați situația și să îmi comunicați măsurile luate. " + c.subject + "."
	days := 8 + cs.rng.IntN(18)
	if cs.secondYear(c.at) {
		days = 6 + cs.rng.IntN(16)
	}
	switch r := cs.rng.Float64(); {
	case r < 0.06:
		// Extended by the mayor, with notice, and answered within it.
		c.extDays = 10 + cs.rng.IntN(6)
		c.extendAt = cs.answerDay(c, 18+cs.rng.IntN(8))
		days = 31 + cs.rng.IntN(c.extDays-1)
	case r < 0.06+late:
		days = 31 + cs.rng.IntN(12)
	}
	switch r := cs.rng.Float64(); {
	case r < 0.5:
		c.outcome = citizen.AnswerFavourable
		c.answer = cs.pick(ctPetitionFavourable)
	case r < 0.7:
		c.outcome = citizen.AnswerPartial
		c.answer = cs.pick(ctPetitionPartial)
	default:
		c.outcome = citizen.AnswerUnfavourable
		c.answer = cs.pick(ctPetitionUnfavourable)
	}
	c.answerAt = cs.answerDay(c, days)
	if strings.Contains(c.answer, "%s") {
		c.answer = fmt.Sprintf(c.answer, c.answerAt.AddDate(0, 0, -2).Format("02.01.2006"))
	}
	cs.maybeStuck(c)
}

func (cs *ctSeeder) planInfo(c *ctCase) {
	c.kind = citizen.KindInfo
	t := cs.topicOf(ctInfoTopics, c.at.Month())
	c.topic = t.topic
	c.assignee = cs.pick(t.assignees)
	c.subject = cs.subjectOf(cs.pick(t.subjects), c.at.Year()-1)
	c.body = "În temeiul Legii nr. 544/2001, vă rog să îmi comunicați în format electronic: " + lowerFirst(c.subject) + "."
	days := 3 + cs.rng.IntN(7)
	late := 0.06
	if cs.secondYear(c.at) {
		late = 0.025
	}
	switch r := cs.rng.Float64(); {
	case r < 0.06:
		c.outcome = citizen.AnswerRefused
		c.answer = cs.pick(ctInfoRefused)
		days = 1 + cs.rng.IntN(4)
	case r < 0.11:
		c.outcome = citizen.AnswerNotHeld
		c.answer = cs.pick(ctInfoNotHeld)
	case r < 0.22:
		c.outcome = citizen.AnswerPartial
		c.answer = cs.pick(ctInfoPartial)
	default:
		c.outcome = citizen.AnswerProvided
		c.answer = cs.pick(ctInfoProvided)
	}
	switch r := cs.rng.Float64(); {
	case c.outcome == citizen.AnswerRefused:
	case r < 0.1:
		// A complex request: the petitioner told within 10 days.
		c.complex = true
		c.extendAt = cs.answerDay(c, 3+cs.rng.IntN(5))
		days = 14 + cs.rng.IntN(15)
	case r < 0.1+late:
		days = 11 + cs.rng.IntN(6)
	}
	c.answerAt = cs.answerDay(c, days)
	if c.extendAt.After(c.answerAt) {
		c.extendAt = c.answerAt.Add(-time.Hour)
	}
	// Some refusals and partial answers are contested (Law 544/2001,
	// art. 21): decided within a month.
	if (c.outcome == citizen.AnswerRefused || c.outcome == citizen.AnswerPartial) && cs.rng.Float64() < 0.35 {
		c.complainAt = cs.workTime(c.answerAt.AddDate(0, 0, 5+cs.rng.IntN(20)))
		c.decideAt = cs.workTime(c.complainAt.AddDate(0, 0, 10+cs.rng.IntN(20)))
		c.upheld = cs.rng.Float64() < 0.3
	}
	cs.maybeStuck(c)
}

func (cs *ctSeeder) planService(c *ctCase) {
	c.kind = citizen.KindService
	month := c.at.Month()
	ws := make([]float64, len(ctServices))
	for i, sp := range ctServices {
		ws[i] = sp.weight * seasonOf(sp.season, month)
	}
	c.svc = cs.weighted(ws)
	sp := ctServices[c.svc]
	c.topic = "other"
	c.assignee = cs.pick(sp.assignees)
	c.subject = cs.subjectOf(cs.pick(sp.subjects), c.at.Year())
	c.body = "Solicit " + lowerFirst(sp.name) + ". Anexez documentele cerute."
	share := sp.typical + sp.spread*cs.rng.NormFloat64()
	if cs.secondYear(c.at) {
		share *= sp.speedup
	}
	days := int(math.Round(share * float64(sp.days)))
	days = max(0, min(days, sp.days*2+5))
	cs.certNo++
	if cs.rng.Float64() < 0.08 {
		c.outcome = citizen.AnswerUnfavourable
		c.answer = cs.pick(sp.unfavourable)
	} else {
		c.outcome = citizen.AnswerFavourable
		c.answer = cs.pick(sp.favourable)
	}
	if strings.Contains(c.answer, "%d") {
		c.answer = fmt.Sprintf(c.answer, 100+cs.certNo)
	}
	c.answerAt = cs.answerDay(c, days)
	cs.maybeStuck(c)
}

// maybeStuck leaves a few cases of five to ten weeks ago unanswered: they
// are overdue today.
func (cs *ctSeeder) maybeStuck(c *ctCase) {
	age := cs.now.Sub(c.at)
	if age > 35*24*time.Hour && age < 70*24*time.Hour && cs.rng.Float64() < 0.05 {
		c.outcome = ""
		c.answerAt = time.Time{}
		c.extendAt = time.Time{}
		c.complainAt, c.decideAt = time.Time{}, time.Time{}
	}
}

// planRating: one in five answered petitioners rates the answer on the
// status page a few days later.
func (cs *ctSeeder) planRating(c *ctCase) {
	if c.anon || c.redirect != "" || c.outcome == "" || c.outcome == citizen.StateFiled || cs.rng.Float64() >= 0.2 {
		return
	}
	c.rateAt = c.answerAt.Add(time.Duration(2+cs.rng.IntN(120)) * time.Hour)
	mean := 3.8
	switch c.outcome {
	case citizen.AnswerFavourable, citizen.AnswerProvided:
		mean = 4.3
	case citizen.AnswerUnfavourable, citizen.AnswerRefused, citizen.AnswerNotHeld:
		mean = 2.6
	}
	if cs.secondYear(c.at) {
		mean += 0.25
	}
	c.rating = cs.stars(mean)
	if cs.rng.Float64() < 0.3 {
		c.comment = cs.pick(ctAnswerComments)
	}
}

// stars draws a rating around mean.
func (cs *ctSeeder) stars(mean float64) int {
	return int(max(1, min(5, math.Round(mean+0.9*cs.rng.NormFloat64()))))
}

// today adds what the inboxes show: the online cases of the last two days
// waiting for the registry clerk, and the economic directorate's open
// cases.
func (cs *ctSeeder) today(lastDay time.Time) {
	open := func(c *ctCase) *ctCase {
		c.outcome, c.answerAt, c.rateAt = "", time.Time{}, time.Time{}
		c.complainAt, c.decideAt, c.extendAt = time.Time{}, time.Time{}, time.Time{}
		cs.cases = append(cs.cases, c)
		return c
	}
	waiting := []struct {
		kind, subject, body string
		svc                 int
	}{
		{citizen.KindPetition, "Groapă periculoasă în carosabil pe str. Salcâmilor, în dreptul nr. 14", "De o săptămână o groapă adâncă pune în pericol mașinile și bicicliștii. Vă rog să o reparați.", -1},
		{citizen.KindInfo, "Lista străzilor incluse în programul de asfaltare pe anul viitor", "În temeiul Legii nr. 544/2001, vă rog să îmi comunicați lista străzilor și valoarea estimată a lucrărilor.", -1},
		{citizen.KindPetition, "Zgomot de la terasa din str. Trandafirilor după ora 23", "În fiecare seară muzica de la terasă se aude până după miezul nopții. Vă rog să verificați.", -1},
		// An application goes straight to the service's unit.
		{citizen.KindService, "Certificat de urbanism pentru construire locuință P+1, str. Dealului nr. 7", "Solicit certificat de urbanism în vederea construirii unei locuințe. Anexez documentele cerute.", 0},
	}
	for i, w := range waiting {
		c := open(&ctCase{kind: w.kind, channel: citizen.ChannelOnline, svc: w.svc, topic: "other", subject: w.subject, body: w.body,
			at: cs.now.Add(-time.Duration(3+20*i) * time.Hour)})
		if w.kind == citizen.KindPetition {
			c.topic = "utilities"
			if i == 2 {
				c.topic = "public_order"
			}
		}
		if w.kind == citizen.KindInfo {
			c.topic = "activity"
		}
	}
	// A taxes petition with the head of the economic directorate, and two
	// cases with the employee.
	open(&ctCase{kind: citizen.KindPetition, channel: citizen.ChannelCounter, svc: -1, topic: "taxes", assignee: "head:de",
		subject: "Contestarea majorărilor de întârziere la impozitul pe teren", body: "Am plătit impozitul în termen, prin bancă; vă rog să anulați majorările calculate.",
		at: cs.workTime(lastDay.AddDate(0, 0, -6))})
	open(&ctCase{kind: citizen.KindPetition, channel: citizen.ChannelEmail, svc: -1, topic: "taxes", assignee: "angajat",
		subject: "Cerere de restituire a impozitului auto plătit de două ori", body: "Am plătit de două ori impozitul pe autoturism pe anul în curs; vă rog să restituiți suma în contul meu.",
		at: cs.workTime(lastDay.AddDate(0, 0, -3))})
	open(&ctCase{kind: citizen.KindService, channel: citizen.ChannelCounter, svc: 3, topic: "other", assignee: "angajat",
		subject: "Scoaterea din evidență a autoturismului vândut", body: "Solicit scoaterea din evidența fiscală a autoturismului vândut. Anexez contractul.",
		at: cs.workTime(lastDay.AddDate(0, 0, -5))})
}

// ---- playing the timeline ----

func (cs *ctSeeder) play(ctx context.Context) error {
	var events []ctEvent
	add := func(at time.Time, c *ctCase, op string) {
		if !at.IsZero() && at.Before(cs.now) {
			events = append(events, ctEvent{at: at, seq: len(events), c: c, op: op})
		}
	}
	slices.SortStableFunc(cs.cases, func(a, b *ctCase) int { return a.at.Compare(b.at) })
	for _, c := range cs.cases {
		if c.at.After(cs.now) {
			c.at = cs.now.Add(-time.Hour)
		}
		add(c.at, c, "register")
		// The online cases, the redirected and the anonymous ones reach a
		// unit the next working morning, from the registry.
		if c.channel == citizen.ChannelOnline && c.assignee != "" {
			c.assignAt = cs.workTime(c.at.AddDate(0, 0, 1)).Add(-2 * time.Hour)
			if c.assignAt.Before(c.at) {
				c.assignAt = c.at.Add(time.Hour)
			}
			add(c.assignAt, c, "assign")
		}
		if c.extendAt.After(c.at) {
			add(c.extendAt, c, "extend")
		}
		switch c.outcome {
		case "":
		case citizen.StateRedirected:
			add(c.answerAt, c, "redirect")
		case citizen.StateFiled:
			if !c.anon {
				add(c.answerAt, c, "file")
			}
		default:
			if c.answerAt.Before(c.assignAt) {
				c.answerAt = c.assignAt.Add(time.Hour)
			}
			add(c.answerAt, c, "answer")
		}
		if !c.answerAt.IsZero() && c.answerAt.Before(cs.now) {
			if !c.rateAt.IsZero() && !c.rateAt.After(c.answerAt) {
				c.rateAt = c.answerAt.Add(time.Duration(2+cs.rng.IntN(48)) * time.Hour)
			}
			add(c.rateAt, c, "rate")
			add(c.complainAt, c, "complain")
			add(c.decideAt, c, "decide")
		}
	}
	cs.counterRatings(&events)
	slices.SortStableFunc(events, func(a, b ctEvent) int {
		if n := a.at.Compare(b.at); n != 0 {
			return n
		}
		return a.seq - b.seq
	})
	for _, e := range events {
		cs.clk.Set(e.at)
		if err := cs.step(ctx, e); err != nil {
			what := e.op
			if e.c != nil {
				what = fmt.Sprintf("%s %q (%s, %s)", e.op, e.c.subject, e.c.number, e.at.Format(time.DateTime))
			}
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// counterRatings plans the anonymous ratings left at the counters through
// the short link or QR code, and from the public catalogue.
func (cs *ctSeeder) counterRatings(events *[]ctEvent) {
	lastDay := time.Date(cs.now.Year(), cs.now.Month(), cs.now.Day(), 0, 0, 0, 0, time.UTC)
	ws := make([]float64, len(ctServices))
	for i, sp := range ctServices {
		ws[i] = sp.weight
	}
	for day := cs.start; day.Before(lastDay); day = day.AddDate(0, 0, 1) {
		if !citizen.WorkingDay(day) {
			continue
		}
		n := 2 + cs.rng.IntN(3)
		for range n {
			at := day.Add(time.Duration(6*60+cs.rng.IntN(8*60)) * time.Minute)
			c := &ctCase{svc: -1, at: at}
			c.channel = citizen.FeedbackCounter
			if cs.rng.Float64() < 0.2 {
				c.channel = citizen.FeedbackOnline
			}
			if r := cs.rng.Float64(); r < 0.12 {
				c.kind = citizen.KindPetition
			} else {
				c.svc = cs.weighted(ws)
				c.kind = citizen.KindService
			}
			mean := 3.7
			if c.svc >= 0 {
				sp := ctServices[c.svc]
				mean = sp.rating0 + (sp.rating1-sp.rating0)*cs.progress(day)
			}
			c.rating = cs.stars(mean)
			if cs.rng.Float64() < 0.15 {
				c.comment = cs.pick(ctCounterComments)
			}
			*events = append(*events, ctEvent{at: at, seq: len(*events), c: c, op: "feedback"})
		}
	}
}

// petitioner makes up a petitioner: a person, or now and then a company.
func (cs *ctSeeder) petitioner(c *ctCase) citizen.Petitioner {
	if c.anon {
		return citizen.Petitioner{}
	}
	first := cs.deal(&cs.male, maleNames)
	if cs.rng.IntN(2) == 0 {
		first = cs.deal(&cs.female, femaleNames)
	}
	name := first + " " + cs.deal(&cs.surnames, surnames)
	p := citizen.Petitioner{Name: name}
	if c.kind == citizen.KindService && cs.rng.Float64() < 0.12 {
		p = citizen.Petitioner{Name: "SC " + cs.deal(&cs.surnames, surnames) + " Construct SRL", LegalPerson: true}
	}
	local := strings.ToLower(strings.ReplaceAll(textutil.Fold(p.Name), " ", "."))
	switch c.channel {
	case citizen.ChannelEmail, citizen.ChannelOnline:
		p.Email = local + "@" + cs.pick([]string{"posta.example", "mail.example", "email.example"})
		if cs.rng.Float64() < 0.4 {
			p.Phone = fmt.Sprintf("07%02d %03d %03d", 20+cs.rng.IntN(70), cs.rng.IntN(1000), cs.rng.IntN(1000))
		}
	default:
		p.Address = fmt.Sprintf("Str. %s nr. %d, Târgu Verde, jud. Mureș", cs.street(), 1+cs.rng.IntN(120))
		if cs.rng.Float64() < 0.6 {
			p.Phone = fmt.Sprintf("07%02d %03d %03d", 20+cs.rng.IntN(70), cs.rng.IntN(1000), cs.rng.IntN(1000))
		}
	}
	return p
}

// deal takes the next name from deck, as seeder.deal does, on the citizen
// seeder's own generator.
func (cs *ctSeeder) deal(deck *[]string, names []string) string {
	if len(*deck) == 0 {
		*deck = slices.Clone(names)
		cs.rng.Shuffle(len(*deck), func(i, j int) { (*deck)[i], (*deck)[j] = (*deck)[j], (*deck)[i] })
	}
	next := (*deck)[0]
	*deck = (*deck)[1:]
	return next
}

// assigneeOf is the person a case goes to and their unit.
func (cs *ctSeeder) assigneeOf(ctx context.Context, c *ctCase) (unitID, personID int64, err error) {
	if c.assignee == "" {
		return 0, 0, nil
	}
	p, err := cs.person(ctx, c.assignee)
	if err != nil {
		return 0, 0, err
	}
	return p.UnitID, p.ID, nil
}

func (cs *ctSeeder) keep(c *ctCase, got citizen.Case) {
	c.id, c.version, c.number = got.ID, got.Version, got.Number
}

func (cs *ctSeeder) step(ctx context.Context, e ctEvent) error {
	c := e.c
	switch e.op {
	case "register":
		in := citizen.CaseInput{Kind: c.kind, Channel: c.channel, Petitioner: cs.petitioner(c), Subject: c.subject, Body: c.body, Topic: c.topic, Complex: false}
		if c.svc >= 0 {
			in.ServiceID = cs.services[c.svc].ID
		}
		var r citizen.Receipt
		var err error
		if c.channel == citizen.ChannelOnline {
			r, err = cs.svc.File(ctx, cs.tenant, citizen.PublicInput{Kind: c.kind, Petitioner: in.Petitioner, Consent: true,
				Subject: c.subject, Body: c.body, ServiceID: in.ServiceID})
		} else {
			// At the counter and by e-mail the petitioner signs the consent;
			// a letter is registered on legal grounds.
			in.Consent = c.channel != citizen.ChannelPost
			if c.outcome != citizen.StateRedirected && !c.anon {
				if in.UnitID, in.AssigneeID, err = cs.assigneeOf(ctx, c); err != nil {
					return err
				}
			}
			r, err = cs.svc.Register(ctx, cs.clerk, in)
		}
		if err != nil {
			return err
		}
		cs.keep(c, r.Case)
		c.code = r.AccessCode
		return nil
	case "assign":
		unitID, personID, err := cs.assigneeOf(ctx, c)
		if err != nil {
			return err
		}
		got, err := cs.svc.Assign(ctx, cs.clerk, c.id, citizen.AssignInput{UnitID: unitID, AssigneeID: personID, Version: c.version})
		if err != nil {
			return err
		}
		cs.keep(c, got)
	case "extend":
		reason := cs.pick(ctExtensionReasons)
		if c.kind == citizen.KindInfo {
			reason = cs.pick(ctInfoComplexReasons)
		}
		got, err := cs.svc.Extend(ctx, cs.clerk, c.id, citizen.ExtendInput{Days: c.extDays, Reason: reason, NoticeOn: dayOf(e.at), Version: c.version})
		if err != nil {
			return err
		}
		cs.keep(c, got)
	case "redirect":
		got, err := cs.svc.Redirect(ctx, cs.clerk, c.id, citizen.RedirectInput{To: c.redirect, NoticeOn: dayOf(e.at), Version: c.version})
		if err != nil {
			return err
		}
		cs.keep(c, got)
	case "file":
		got, err := cs.svc.FileAway(ctx, cs.clerk, c.id, citizen.FileInput{Reason: c.answer, Version: c.version})
		if err != nil {
			return err
		}
		cs.keep(c, got)
	case "answer":
		a, err := cs.actor(ctx, c.assignee)
		if err != nil {
			return err
		}
		got, err := cs.svc.Answer(ctx, a, c.id, citizen.AnswerInput{Kind: c.outcome, Answer: c.answer, Version: c.version})
		if err != nil {
			return err
		}
		cs.keep(c, got)
	case "rate":
		if c.code == "" {
			return nil
		}
		return cs.svc.RateCase(ctx, cs.tenant, c.number, c.code, c.rating, c.comment)
	case "complain", "decide":
		state := citizen.ComplaintPending
		if e.op == "decide" {
			state = citizen.ComplaintRejected
			if c.upheld {
				state = citizen.ComplaintUpheld
			}
		}
		got, err := cs.svc.SetComplaint(ctx, cs.clerk, c.id, state, c.version)
		if err != nil {
			return err
		}
		cs.keep(c, got)
	case "feedback":
		in := citizen.FeedbackInput{Kind: c.kind, Channel: c.channel, Rating: c.rating, Comment: c.comment}
		if c.svc >= 0 {
			in.ServiceID = cs.services[c.svc].ID
		}
		return cs.svc.Rate(ctx, cs.tenant, in)
	}
	return nil
}

// lowerFirst writes s with a small first letter.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// dayOf is the calendar day of t.
func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
