// Package citizentest fills a database with a large registry for the
// citizen services' benchmarks: a municipality's years of petitions,
// requests and applications, written in bulk (not through the service, so
// 200,000 cases take seconds).
package citizentest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Large describes what Seed writes.
type Large struct {
	Tenant   int64
	Cases    int       // 200,000 for the benchmarks
	From, To time.Time // registration days are spread over [From, To)
	Services int       // catalogue services (20)
	Units    []int64   // units cases are assigned to (made when empty)
	People   []int64   // assignees (made when empty)
	Ratings  int       // anonymous ratings
}

// Result is what Seed wrote, for the benchmarks' requests.
type Result struct {
	ServiceIDs []int64
	Units      []int64
	People     []int64
	// A case's number and access code, for the public status benchmark.
	Number, AccessCode string
}

// catalogue is a town hall's usual services: code, name, legal days.
var catalogue = []struct {
	code, name string
	days       int
}{
	{"URB-CU", "Certificat de urbanism", 30},
	{"URB-AC", "Autorizație de construire", 30},
	{"URB-AD", "Autorizație de desființare", 30},
	{"URB-PR", "Prelungirea autorizației de construire", 15},
	{"FISC-CAF", "Certificat de atestare fiscală", 2},
	{"FISC-DEC", "Declarație de impunere clădiri și terenuri", 30},
	{"FISC-SCU", "Scutire de la plata impozitului", 30},
	{"SPCLEP-CN", "Certificat de naștere (transcriere)", 30},
	{"SPCLEP-CC", "Certificat de căsătorie (duplicat)", 30},
	{"SPCLEP-CD", "Certificat de deces (eliberare)", 1},
	{"SPCLEP-DIV", "Divorț pe cale administrativă", 30},
	{"AS-VMG", "Venit minim de incluziune", 30},
	{"AS-ALOC", "Alocație pentru susținerea familiei", 30},
	{"AS-IND", "Indemnizație pentru persoane cu handicap", 30},
	{"ADP-AUT", "Autorizație de funcționare comercială", 15},
	{"ADP-ORAR", "Avizarea orarului de funcționare", 15},
	{"TRANS-PARC", "Abonament de parcare rezidențială", 10},
	{"TRANS-TAXI", "Autorizație de taxi", 30},
	{"PAT-ADV", "Adeverință de rol agricol", 5},
	{"PAT-TEREN", "Atribuire teren conform Legii 15/2003", 30},
	{"MED-AVIZ", "Aviz pentru evenimente în spații publice", 15},
	{"CET-INFO", "Informații de urbanism pentru cetățeni", 10},
}

var (
	firstNames = []string{"Andrei", "Maria", "Ioana", "Mihai", "Elena", "Ștefan", "Cristina", "Alexandru", "Ana", "Gheorghe", "Răzvan", "Simona", "Tudor", "Alina", "Vasile", "Dana"}
	lastNames  = []string{"Popescu", "Ionescu", "Mureșan", "Țurcanu", "Stănescu", "Dumitrescu", "Constantin", "Bălan", "Pătrașcu", "Șerban", "Moldovan", "Toma", "Nistor", "Lungu"}
	subjects   = map[string][]string{
		citizen.KindPetition: {"Reclamație privind iluminatul public pe strada Morii", "Solicitare de reparare a trotuarului", "Sesizare privind gunoiul neridicat",
			"Cerere de amenajare a unui loc de joacă", "Reclamație privind zgomotul din zona centrală", "Solicitare de toaletare a arborilor",
			"Sesizare privind parcarea neregulamentară", "Propunere de modificare a transportului local"},
		citizen.KindInfo: {"Contractele de achiziție publică din anul trecut", "Bugetul local pe capitole", "Salariile funcțiilor de conducere",
			"Hotărârile consiliului local privind taxele", "Raportul de activitate al primăriei", "Regulamentul de organizare și funcționare"},
	}
)

// pick chooses by weights.
func pick(r *rand.Rand, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// Seed writes l into d: the units and people when not given, the
// catalogue, the cases (registration numbers continue each year's
// counter), and the ratings, in a few transactions of multi-row INSERTs
// and without audit events. The registry is played up to l.To: cases
// whose answer would come after it are still open, about one in twenty of
// the ones past their deadline too.
func Seed(ctx context.Context, d *db.DB, l Large) (Result, error) {
	if l.Tenant == 0 || l.Cases < 0 || !l.To.After(l.From) {
		return Result{}, errors.New("citizentest: a tenant and a period are needed")
	}
	if l.Services <= 0 {
		l.Services = 20
	}
	l.Services = min(l.Services, len(catalogue))
	now := l.To.Add(-time.Hour)
	r := rand.New(rand.NewPCG(uint64(l.Tenant), 2026))
	res := Result{Units: l.Units, People: l.People}
	shift := true
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT shift_to_working FROM citizen_settings WHERE tenant_id = $1`, l.Tenant).Scan(&shift); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("cannot read settings: %w", err)
		}
		if len(res.Units) == 0 {
			for i, name := range []string{"Direcția Urbanism", "Direcția Economică", "Serviciul Public Comunitar de Evidență a Persoanelor", "Direcția de Asistență Socială", "Serviciul Relații cu Publicul și Registratură"} {
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO units (tenant_id, name, code, sort_name, kind, relation, position, created_at, updated_at)
					VALUES ($1, $2, $3, $4, 'directorate', 'own', $5, $6, $6) RETURNING id`, l.Tenant, name, fmt.Sprintf("CT%d", i+1), textutil.Fold(name), i, now).Scan(&id); err != nil {
					return fmt.Errorf("cannot make unit: %w", err)
				}
				res.Units = append(res.Units, id)
			}
		}
		if len(res.People) == 0 {
			for i := range 12 {
				name := firstNames[i%len(firstNames)] + " " + lastNames[(i*5)%len(lastNames)]
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO people (tenant_id, unit_id, full_name, position, employment, active, sort_name, search_text, created_at, updated_at)
					VALUES ($1, $2, $3, 'execution', 'civil_servant', TRUE, $4, $4, $5, $5) RETURNING id`, l.Tenant, res.Units[i%len(res.Units)], name, textutil.Fold(name), now).Scan(&id); err != nil {
					return fmt.Errorf("cannot make person: %w", err)
				}
				res.People = append(res.People, id)
			}
		}
		for i := range l.Services {
			c := catalogue[i]
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO citizen_services (tenant_id, code, name, description, unit_id, legal_days, legal_basis, documents, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $9) RETURNING id`,
				l.Tenant, c.code, c.name, "Serviciul „"+c.name+"” oferit cetățenilor.", res.Units[i%len(res.Units)], c.days, "Legea 50/1991",
				"Cerere tip\nCopie act de identitate\nDovada achitării taxei", now).Scan(&id); err != nil {
				return fmt.Errorf("cannot make service %s: %w", c.code, err)
			}
			res.ServiceIDs = append(res.ServiceIDs, id)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if err := seedCases(ctx, d, l, &res, r, shift, now); err != nil {
		return Result{}, err
	}
	if err := seedRatings(ctx, d, l, res, r, now); err != nil {
		return Result{}, err
	}
	// Written past the service: the indicators' summary is built at once.
	if err := citizen.RebuildStats(ctx, d, l.Tenant); err != nil {
		return Result{}, err
	}
	return res, nil
}

// caseColumns are the columns Seed writes of a case.
const caseColumns = `tenant_id, kind, year, seq, number, registered_on, registered_at, channel, petitioner_name, petitioner_email, petitioner_address,
	consent_at, consent_version, subject, topic, service_id, unit_id, assignee_id, complex, state, due_on, base_due_on, extension_days, extension_reason,
	extension_notice_on, redirected_to, redirect_notice_on, answer, answer_kind, closed_on, days_taken, on_time, complaint, search_text, created_at, updated_at`

const caseWidth = 36

// batch is a multi-row INSERT under way. On SQLite it numbers no
// placeholders ("?"): SQLite looks a numbered one up in a list, which
// makes a statement of thousands of them slow to prepare.
type batch struct {
	head     string
	width    int
	rows     int
	args     []any
	unnumber bool
}

func (b *batch) add(vals ...any) { b.args = append(b.args, vals...); b.rows++ }

func (b *batch) flush(ctx context.Context, tx *sql.Tx) error {
	if b.rows == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(b.head)
	for i := range b.rows {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString("(")
		for j := range b.width {
			if j > 0 {
				sb.WriteString(",")
			}
			if b.unnumber {
				sb.WriteString("?")
			} else {
				fmt.Fprintf(&sb, "$%d", i*b.width+j+1)
			}
		}
		sb.WriteString(")")
	}
	if _, err := tx.ExecContext(ctx, sb.String(), b.args...); err != nil {
		return err
	}
	b.rows, b.args = 0, b.args[:0]
	return nil
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func seedCases(ctx context.Context, d *db.DB, l Large, res *Result, r *rand.Rand, shift bool, now time.Time) error {
	const perInsert, perTx = 400, 25000
	span := l.To.Sub(l.From)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	// textutil.Fold of the generator's few words, computed once each.
	folded := map[string]string{}
	fold := func(s string) string {
		f, ok := folded[s]
		if !ok {
			f = textutil.Fold(s)
			folded[s] = f
		}
		return f
	}
	seqs := map[int]int{}
	rows, err := d.R.QueryContext(ctx, `SELECT year, last_seq FROM citizen_counters WHERE tenant_id = $1`, l.Tenant)
	if err != nil {
		return fmt.Errorf("cannot read counters: %w", err)
	}
	for rows.Next() {
		var y, s int
		if err := rows.Scan(&y, &s); err != nil {
			rows.Close()
			return err
		}
		seqs[y] = s
	}
	rows.Close()
	var lastClosed struct {
		year, seq int
		number    string
	}
	for start := 0; start < l.Cases; start += perTx {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			b := &batch{head: `INSERT INTO citizen_cases (` + caseColumns + `) VALUES `, width: caseWidth, unnumber: d.Engine == db.SQLite}
			for i := start; i < min(start+perTx, l.Cases); i++ {
				at := l.From.Add(time.Duration(float64(span) * float64(i) / float64(l.Cases)))
				day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
				at = day.Add(time.Duration(6*60+r.IntN(9*60)) * time.Minute)
				year := day.Year()
				seqs[year]++
				seq := seqs[year]
				number := citizen.FormatNumber(seq, year)
				kind := []string{citizen.KindService, citizen.KindPetition, citizen.KindInfo}[pick(r, 55, 35, 10)]
				channel := citizen.Channels[pick(r, 45, 20, 25, 10)]
				var service int64
				serviceDays := 30
				if kind == citizen.KindService || (kind == citizen.KindPetition && r.IntN(10) == 0) {
					k := r.IntN(len(res.ServiceIDs))
					// The first services are the busiest.
					if r.IntN(2) == 0 {
						k = r.IntN(max(1, len(res.ServiceIDs)/4))
					}
					service, serviceDays = res.ServiceIDs[k], catalogue[k].days
				}
				topics := citizen.Topics[kind]
				topic := topics[r.IntN(len(topics))]
				subject := "Cerere"
				if s := subjects[kind]; len(s) > 0 {
					subject = s[r.IntN(len(s))]
				} else if service != 0 {
					subject = "Cerere: " + catalogue[indexOf(res.ServiceIDs, service)].name
				}
				name := firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
				email, address := "", fmt.Sprintf("Str. Libertății nr. %d", 1+r.IntN(120))
				if channel == citizen.ChannelEmail || channel == citizen.ChannelOnline {
					email = fmt.Sprintf("petent%d@example.ro", i)
				}
				var consentAt any
				consentVersion := ""
				if channel == citizen.ChannelOnline {
					consentAt, consentVersion = at, citizen.ConsentVersion
				}
				unit := res.Units[r.IntN(len(res.Units))]
				assignee := res.People[r.IntN(len(res.People))]
				complex := kind == citizen.KindInfo && r.IntN(100) < 15
				c := citizen.Case{Kind: kind, Complex: complex, RegisteredOn: day}
				base := citizen.AddDays(day, citizen.LegalDays(kind, complex, serviceDays, 0), shift)
				extDays, extReason, extNotice := 0, "", time.Time{}
				if kind == citizen.KindPetition && r.IntN(100) < 5 {
					extDays, extReason, extNotice = 15, "Necesită verificări pe teren și consultarea altor compartimente.", day.AddDate(0, 0, 20)
				}
				c.ExtensionDays = extDays
				due := citizen.AddDays(day, citizen.LegalDays(kind, complex, serviceDays, extDays), shift)
				c.DueOn = due
				// The outcome.
				state, answerKind, answer, redirectedTo, redirectNotice := citizen.StateAssigned, "", "", "", time.Time{}
				legal := int(due.Sub(day).Hours() / 24)
				var days int
				switch x := r.IntN(100); {
				case x < 88: // answered in a spread around the deadline, mostly in time
					days = 1 + r.IntN(max(1, legal*9/10))
					if r.IntN(100) < 8 {
						days = legal + 1 + r.IntN(10)
					}
					state = citizen.StateAnswered
				case x < 93 && kind == citizen.KindPetition:
					days, state, redirectedTo = 1+r.IntN(6), citizen.StateRedirected, "Consiliul Județean"
				case x < 93 && kind == citizen.KindInfo:
					days, state = 1+r.IntN(6), citizen.StateRefused
				case x < 96 && kind == citizen.KindPetition:
					days, state = 1+r.IntN(5), citizen.StateFiled
				default:
					days = 1 + r.IntN(max(1, legal))
					state = citizen.StateAnswered
				}
				closed := day.AddDate(0, 0, days)
				overdueOpen := due.Before(today) && r.IntN(100) < 5
				if !closed.Before(today) || overdueOpen {
					state, days = citizen.StateAssigned, -1
				}
				var closedOn time.Time
				var daysTaken, onTime any
				switch state {
				case citizen.StateAssigned:
				default:
					closedOn = closed
					daysTaken = days
					if state != citizen.StateFiled {
						onTime = !closed.After(citizen.CloseBy(c, state, shift))
					}
					switch state {
					case citizen.StateAnswered:
						kinds := citizen.AnswerKinds[kind]
						if kind == citizen.KindInfo {
							kinds = kinds[:3]
						}
						answerKind = kinds[0]
						if r.IntN(100) < 30 {
							answerKind = kinds[r.IntN(len(kinds))]
						}
						answer = "Răspuns transmis petentului."
					case citizen.StateRefused:
						answerKind, answer = citizen.AnswerRefused, "Informație exceptată (art. 12 din Legea 544/2001)."
					case citizen.StateRedirected:
						redirectNotice = closed
					}
					if service == 0 && kind == citizen.KindPetition && state == citizen.StateAnswered {
						lastClosed.year, lastClosed.seq, lastClosed.number = year, seq, number
					}
				}
				complaint := ""
				if kind == citizen.KindInfo && state == citizen.StateAnswered && r.IntN(100) < 3 {
					complaint = citizen.Complaints[r.IntN(len(citizen.Complaints))]
				}
				b.add(l.Tenant, kind, year, seq, number, dayText(day), at, channel, name, email, address,
					consentAt, consentVersion, subject, topic, nullID(service), unit, assignee, complex, state, dayText(due), dayText(base), extDays, extReason,
					dayText(extNotice), redirectedTo, dayText(redirectNotice), answer, answerKind, dayText(closedOn), daysTaken, onTime, complaint,
					number+" "+fold(subject)+" "+fold(name), at, at)
				if b.rows == perInsert {
					if err := b.flush(ctx, tx); err != nil {
						return fmt.Errorf("cannot write cases: %w", err)
					}
				}
			}
			if err := b.flush(ctx, tx); err != nil {
				return fmt.Errorf("cannot write cases: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for y, s := range seqs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO citizen_counters (tenant_id, year, last_seq) VALUES ($1, $2, $3)
				ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = excluded.last_seq`, l.Tenant, y, s); err != nil {
				return fmt.Errorf("cannot write counters: %w", err)
			}
		}
		if lastClosed.number == "" {
			return nil
		}
		code, err := citizen.GenerateAccessCode()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE citizen_cases SET access_hash = $4 WHERE tenant_id = $1 AND year = $2 AND seq = $3`,
			l.Tenant, lastClosed.year, lastClosed.seq, citizen.HashAccessCode(code)); err != nil {
			return fmt.Errorf("cannot set the access code: %w", err)
		}
		res.Number, res.AccessCode = lastClosed.number, code
		return nil
	})
}

func indexOf(ids []int64, id int64) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

var comments = []string{"Am fost servit rapid, mulțumesc.", "Funcționarul a fost amabil și mi-a explicat ce acte trebuie.", "Coadă prea lungă la ghișeu.",
	"Răspunsul a venit după termen.", "Formularul online e ușor de folosit.", "Aș dori program prelungit și sâmbăta."}

func seedRatings(ctx context.Context, d *db.DB, l Large, res Result, r *rand.Rand, now time.Time) error {
	if l.Ratings <= 0 {
		return nil
	}
	span := l.To.Sub(l.From)
	return d.Tx(ctx, func(tx *sql.Tx) error {
		b := &batch{head: `INSERT INTO citizen_feedback (tenant_id, service_id, kind, channel, rating, comment, given_on, created_at) VALUES `, width: 8, unnumber: d.Engine == db.SQLite}
		for i := range l.Ratings {
			at := l.From.Add(time.Duration(float64(span) * float64(i) / float64(l.Ratings)))
			var service int64
			kind := citizen.KindService
			if r.IntN(10) < 7 && len(res.ServiceIDs) > 0 {
				service = res.ServiceIDs[r.IntN(len(res.ServiceIDs))]
			} else {
				kind = []string{citizen.KindPetition, citizen.KindInfo}[r.IntN(2)]
			}
			channel := []string{citizen.FeedbackAnswer, citizen.FeedbackCounter, citizen.FeedbackOnline}[pick(r, 40, 45, 15)]
			rating := 1 + pick(r, 4, 6, 12, 33, 45)
			comment := ""
			if r.IntN(10) == 0 {
				comment = comments[r.IntN(len(comments))]
			}
			b.add(l.Tenant, nullID(service), kind, channel, rating, comment, dayText(time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)), at)
			if b.rows == 1000 {
				if err := b.flush(ctx, tx); err != nil {
					return fmt.Errorf("cannot write ratings: %w", err)
				}
			}
		}
		if err := b.flush(ctx, tx); err != nil {
			return fmt.Errorf("cannot write ratings: %w", err)
		}
		return nil
	})
}
