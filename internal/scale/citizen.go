package scale

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/demo"
	"cadran/internal/training"
	"cadran/internal/work"
)

// The citizen step fills the registry of petitions, requests for public
// information and applications for the catalogue's services over the
// profile's years, a little more every year, with the seasons of a town
// hall (building permits in spring, taxes in March). The volume is
// bulk-loaded, one transaction a year: each case is written once as it
// stands today (deadlines, extensions, answers, days taken and on time as
// the service computes them) with one audit event, its creation, carrying
// it, in the order the cases were registered. The open cases (the last
// weeks', a few stuck ones overdue) get their inbox task as Register or
// Assign gives it, on the day it was given; the petitioners' ratings are
// stored and audited as RateCase does; the indicators' summary is rebuilt
// from the registry at the end, as the module recommends after a bulk
// load.
//
// Closed cases of past years get no (done) inbox task: the inbox shows
// open work only, and a task per historical case would double the load.

// ctSvc is a service of the catalogue a generated institution gets, with
// the subjects its applications have and the answers they get.
type ctSvc struct {
	code, name, desc, basis, docs, fee string
	days                               int
	units                              []string // unit name fragments
	subjects                           []string // %s: a street
	favourable                         []string // %d: a number
	weight                             float64
	season                             map[int]float64
}

var ctCatalogue = []ctSvc{
	{"URB-CU", "Certificat de urbanism", "Eliberarea certificatului de urbanism pentru construire, desființare sau informare.", "Legea nr. 50/1991, art. 6", "Cerere-tip\nPlan de încadrare în zonă\nExtras de carte funciară", "Taxă conform HCL", 30,
		[]string{"Urbanism", "Arhitect"}, []string{"Certificat de urbanism pentru construire locuință P+1, str. %s", "Certificat de urbanism pentru alipirea a două terenuri, str. %s", "Certificat de urbanism în scop de informare, str. %s", "Certificat de urbanism pentru racordare la rețeaua de gaze, str. %s"},
		[]string{"Certificatul de urbanism nr. %d a fost emis și poate fi ridicat de la ghișeu.", "S-a emis certificatul de urbanism nr. %d, cu avizele necesare enumerate."}, 3, map[int]float64{3: 1.4, 4: 1.6, 5: 1.5, 6: 1.3, 12: 0.6}},
	{"URB-AC", "Autorizație de construire", "Eliberarea autorizației de construire pe baza documentației tehnice.", "Legea nr. 50/1991, art. 7", "Cerere-tip\nCertificat de urbanism\nDocumentație tehnică DTAC\nAvize", "1% din valoarea lucrărilor", 30,
		[]string{"Autorizări", "Urbanism"}, []string{"Autorizație de construire pentru locuință unifamilială, str. %s", "Autorizație de construire pentru extindere anexă, str. %s", "Autorizație de desființare construcție, str. %s"},
		[]string{"Autorizația de construire nr. %d a fost emisă.", "S-a emis autorizația nr. %d; începerea lucrărilor se anunță cu 5 zile înainte."}, 1.5, map[int]float64{3: 1.3, 4: 1.5, 5: 1.4, 1: 0.6, 12: 0.5}},
	{"TAX-CF", "Certificat de atestare fiscală", "Eliberarea certificatului de atestare fiscală pentru persoane fizice și juridice.", "Legea nr. 207/2015, art. 158", "Cerere-tip\nAct de identitate", "Gratuit", 2,
		[]string{"Impozite", "Economică"}, []string{"Certificat de atestare fiscală pentru vânzarea imobilului din str. %s", "Certificat de atestare fiscală pentru dosar de succesiune", "Certificat de atestare fiscală pentru licitație publică"},
		[]string{"Certificatul de atestare fiscală nr. %d a fost eliberat.", "S-a eliberat certificatul nr. %d; nu figurează obligații restante."}, 4, map[int]float64{3: 1.5, 6: 1.2, 8: 0.7}},
	{"TAX-AUTO", "Înmatricularea fiscală a unui autovehicul", "Înregistrarea în evidența fiscală a autovehiculelor dobândite.", "Legea nr. 227/2015, art. 471", "Declarație fiscală\nContract de vânzare-cumpărare\nCarte de identitate a vehiculului", "Gratuit", 5,
		[]string{"Impozite"}, []string{"Declararea autoturismului cumpărat, domiciliul în str. %s", "Scoaterea din evidență a autoturismului vândut", "Înregistrarea remorcii achiziționate"},
		[]string{"Autovehiculul a fost înregistrat; decizia de impunere nr. %d a fost comunicată.", "Operațiunea a fost efectuată; s-a emis certificatul fiscal nr. %d."}, 3, map[int]float64{1: 1.2, 3: 1.3}},
	{"SOC-AS", "Ajutor social", "Acordarea venitului minim de incluziune, pe baza anchetei sociale.", "Legea nr. 196/2016", "Cerere și declarație pe propria răspundere\nActe de identitate\nAdeverințe de venit", "Gratuit", 30,
		[]string{"Asistență Socială", "Social"}, []string{"Cerere de acordare a ajutorului social, familia din str. %s", "Cerere de ajutor de încălzire a locuinței, str. %s", "Cerere de ajutor de urgență după incendiu, str. %s"},
		[]string{"Ajutorul a fost acordat prin dispoziția primarului nr. %d.", "Cererea a fost aprobată prin dispoziția nr. %d, după ancheta socială."}, 2, map[int]float64{10: 1.6, 11: 1.5, 12: 1.2}},
	{"SC-TR", "Transcrierea certificatelor de stare civilă", "Transcrierea actelor de stare civilă întocmite în străinătate.", "Legea nr. 119/1996, art. 41", "Cerere\nCertificatul eliberat de autoritățile străine, tradus și legalizat\nActe de identitate", "Gratuit", 30,
		[]string{"Stare Civilă", "Evidență"}, []string{"Transcrierea certificatului de naștere eliberat în Italia", "Transcrierea certificatului de căsătorie eliberat în Spania", "Transcrierea certificatului de naștere eliberat în Germania"},
		[]string{"Actul a fost transcris; certificatul nr. %d poate fi ridicat.", "Transcrierea s-a efectuat; s-a eliberat certificatul nr. %d."}, 1.5, map[int]float64{7: 1.8, 8: 2.2, 12: 1.3}},
}

// ctTopic is a topic of petitions or requests with its subjects and the
// units that answer it.
type ctTopic struct {
	topic    string
	units    []string
	subjects []string // %s: a street; %d: a year
	weight   float64
	season   map[int]float64
}

var ctPetitionTopics = []ctTopic{
	{"urbanism", []string{"Urbanism", "Disciplina în Construcții", "Arhitect"}, []string{"Construcție fără autorizație în curtea vecinului, str. %s", "Gard ridicat pe domeniul public, str. %s", "Lucrări de extindere care blochează accesul, str. %s", "Mansardare fără autorizație a blocului din str. %s"}, 2, map[int]float64{4: 1.4, 5: 1.5, 6: 1.3}},
	{"taxes", []string{"Impozite", "Economică", "Executări"}, []string{"Contestarea majorărilor de întârziere la impozitul pe clădiri", "Cerere de restituire a impozitului plătit de două ori", "Eroare în calculul impozitului pe teren pentru imobilul din str. %s", "Cerere de eșalonare a datoriilor la bugetul local"}, 2, map[int]float64{3: 1.8, 4: 1.4}},
	{"public_order", []string{"Poliția Locală"}, []string{"Zgomot după ora 22 de la localul din str. %s", "Autoturisme abandonate în parcarea din str. %s", "Comerț stradal neautorizat în zona pieței", "Câini fără stăpân în parcul din str. %s"}, 1.5, map[int]float64{6: 1.4, 7: 1.5, 8: 1.4}},
	{"social", []string{"Asistență Socială", "Vârstnice", "Cantina"}, []string{"Solicitare de sprijin pentru o persoană vârstnică singură din str. %s", "Cerere de loc la cantina socială", "Sesizare privind un copil lăsat nesupravegheat, str. %s"}, 1, map[int]float64{11: 1.4, 12: 1.5, 1: 1.3}},
	{"civil_status", []string{"Stare Civilă", "Evidență"}, []string{"Întârziere la eliberarea certificatului de căsătorie", "Programare la ghișeul de stare civilă imposibilă online", "Eroare în certificatul de naștere eliberat în %d"}, 0.6, nil},
	{"environment", []string{"Mediului", "Spații Verzi", "Salubrizare"}, []string{"Gunoi neridicat de două săptămâni pe str. %s", "Arbori uscați care pun în pericol trecătorii, str. %s", "Depozitare ilegală de deșeuri la marginea str. %s", "Tăierea copacilor din parcul de pe str. %s"}, 1.6, map[int]float64{4: 1.3, 5: 1.3, 7: 1.2}},
	{"utilities", []string{"Tehnică", "Domeniului Public", "Investiții"}, []string{"Groapă periculoasă în carosabil pe str. %s", "Iluminat public nefuncțional pe str. %s", "Trotuar degradat pe str. %s", "Canalizare înfundată la intersecția cu str. %s", "Deszăpezire neefectuată pe str. %s"}, 2.4, map[int]float64{1: 1.4, 2: 1.4, 3: 1.2, 12: 1.3}},
	{"transport", []string{"Transport", "Parcări"}, []string{"Stație de autobuz fără adăpost pe str. %s", "Semafor defect la intersecția cu str. %s", "Lipsa locurilor de parcare de reședință pe str. %s", "Program de transport public insuficient în weekend"}, 1, nil},
	{"staff", []string{"Resurse Umane", "Etică"}, []string{"Comportament nepoliticos al unui funcționar de la ghișeu", "Timp de așteptare de peste o oră la ghișeul de taxe", "Lipsa răspunsului la telefon la registratură"}, 0.5, nil},
	{"other", []string{"Relații cu Publicul", "Registratură", "Cabinet"}, []string{"Propunere de amenajare a unui loc de joacă pe str. %s", "Solicitare de audiență la primar", "Propunere de redenumire a str. %s"}, 0.8, nil},
}

var ctInfoTopics = []ctTopic{
	{"public_money", []string{"Buget", "Economică", "Contabilitate"}, []string{"Execuția bugetului local pe anul %d", "Sumele cheltuite cu deszăpezirea în anul %d", "Cheltuielile cu evenimentele culturale din anul %d"}, 2, map[int]float64{2: 1.3, 3: 1.3}},
	{"contracts", []string{"Achiziții", "Licitații"}, []string{"Contractele de achiziție publică atribuite în anul %d", "Contractul de salubrizare și actele adiționale din anul %d", "Lista lucrărilor de asfaltare contractate în anul %d"}, 2, nil},
	{"leadership_acts", []string{"Juridic", "Cabinet", "Transparență"}, []string{"Dispozițiile primarului privind organigrama din anul %d", "Hotărârile consiliului local privind taxele pe anul %d", "Declarațiile de avere ale consilierilor locali din anul %d"}, 1.2, nil},
	{"activity", []string{"Comunicare", "Relații cu Publicul", "Tehnică"}, []string{"Numărul autorizațiilor de construire emise în anul %d", "Raportul de activitate al Poliției Locale pe anul %d", "Numărul petițiilor primite în anul %d"}, 1.5, nil},
	{"regulations", []string{"Juridic", "Transparență"}, []string{"Regulamentul de organizare și funcționare în vigoare în %d", "Regulamentul parcărilor de reședință aprobat în %d"}, 0.8, nil},
	{"other", []string{"Comunicare", "Registratură"}, []string{"Programul de audiențe al conducerii în anul %d", "Lista proiectelor cu finanțare europeană derulate în %d"}, 0.6, nil},
}

var ctStreets = []string{"Morii", "Libertății", "Mihai Eminescu", "Ion Creangă", "Republicii", "Avram Iancu", "Nicolae Bălcescu", "Florilor", "Salcâmilor",
	"Trandafirilor", "Gării", "Școlii", "Dealului", "Câmpului", "Viilor", "Tudor Vladimirescu", "Ștefan cel Mare", "Păcii", "Unirii", "Independenței",
	"Mărășești", "Lalelelor", "Plopilor", "Teilor", "Zorilor", "Crișan", "Horea", "Cloșca", "George Coșbuc", "Liviu Rebreanu"}

var (
	ctPetitionFavourable = []string{
		"Echipa de intervenție a remediat situația sesizată; vă mulțumim pentru semnalare.",
		"Sesizarea dumneavoastră a fost verificată pe teren și s-au dispus măsurile necesare, care au fost realizate.",
		"Solicitarea a fost admisă; lucrările au fost incluse în programul lunar și au fost executate.",
		"În urma controlului efectuat, contravenientul a fost sancționat și obligat să aducă terenul la starea inițială."}
	ctPetitionPartial = []string{
		"Situația a fost remediată parțial; restul lucrărilor sunt cuprinse în programul de investiții al anului următor.",
		"Am dispus verificarea; o parte dintre aspectele sesizate se află în competența altui operator, căruia i-am transmis solicitarea."}
	ctPetitionUnfavourable = []string{
		"În urma verificării nu s-au constatat încălcări ale legii; solicitarea nu poate fi admisă.",
		"Solicitarea nu poate fi admisă, întrucât nu există fonduri prevăzute în bugetul local cu această destinație.",
		"Calculul impozitului este corect, conform hotărârii consiliului local privind taxele locale; solicitarea se respinge."}
	ctInfoProvided = []string{
		"Vă transmitem, în format electronic, informațiile solicitate.",
		"Informațiile solicitate sunt publicate pe pagina de internet a instituției, secțiunea Informații de interes public; vă transmitem și legătura directă.",
		"Vă comunicăm situația solicitată, extrasă din evidențele compartimentului de specialitate."}
	ctInfoPartial = []string{
		"Vă transmitem informațiile deținute; datele pentru anii anteriori se află la arhivă și vor fi comunicate separat.",
		"Vă comunicăm informațiile solicitate, cu excepția datelor cu caracter personal, care au fost anonimizate."}
	ctInfoNotHeld = []string{"Instituția nu deține informațiile solicitate; vă recomandăm să vă adresați Consiliului Județean.",
		"Informațiile solicitate nu sunt produse sau gestionate de instituția noastră."}
	ctInfoRefused = []string{"Informațiile solicitate privesc o procedură de achiziție în derulare și sunt exceptate de la liber acces (Legea nr. 544/2001, art. 12).",
		"Informațiile solicitate conțin date cu caracter personal și sunt exceptate de la liber acces (Legea nr. 544/2001, art. 12 lit. d)."}
	ctServiceUnfavourable = []string{"Documentația este incompletă; cererea a fost respinsă, cu indicarea documentelor lipsă.",
		"Cererea nu îndeplinește condițiile legale și a fost respinsă motivat."}
	ctExtensionReasons = []string{"Verificarea pe teren necesită consultarea altor instituții.", "Sunt necesare documente de la arhivă și avizul compartimentului juridic.",
		"Volumul mare de date solicitate necesită o analiză detaliată."}
	ctInfoComplexReasons = []string{"Informațiile solicitate sunt complexe și se află la mai multe compartimente.", "Datele cerute trebuie centralizate din evidențele mai multor ani."}
	ctRedirects          = []struct{ subject, to string }{
		{"Facturi la energia electrică calculate greșit", "Furnizorul de energie electrică al zonei"},
		{"Pensie recalculată eronat", "Casa Județeană de Pensii"},
		{"Drumul județean degradat la ieșirea din localitate", "Consiliul Județean"},
		{"Lipsa medicului de familie în cartier", "Direcția de Sănătate Publică"},
		{"Zgomot de la unitatea militară", "Garnizoana"},
	}
	ctRatingComments = []string{"Răspuns rapid și clar, mulțumesc.", "Am primit răspunsul în termen.", "Răspunsul nu rezolvă problema.", "Funcționarii au fost amabili.",
		"Mi-ar fi plăcut să fiu informat mai repede.", "Foarte mulțumit de modul de rezolvare."}
)

// ctMonth is the registry's volume by month, relative.
var ctMonth = [13]float64{0, 0.85, 0.95, 1.25, 1.25, 1.2, 1.1, 0.95, 0.9, 1.05, 1.1, 1, 0.75}

// CaseAccessCode is the access code a generated case's petitioner checks
// its status with on the public pages: derived from the seed, the
// institution's tag ("" for the demo municipality, "g0001" for the first
// generated one) and the case's number, so benchmarks and tests can use
// it. (Codes made through the service are random and shown once.)
func CaseAccessCode(seed uint64, tag, number string) string {
	const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h := sha256.Sum256([]byte(string(b[:]) + "\x00" + tag + "\x00" + number))
	var out strings.Builder
	for i := range citizen.AccessCodeLen {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(alphabet[int(h[i])%len(alphabet)])
	}
	return out.String()
}

// ctPlan is a generated case: how it stands today and what happened to it.
type ctPlan struct {
	c         citizen.Case // as it stands today
	hash      string
	regUnit   int64 // unit and assignee at registration
	regPerson int64
	assignAt  time.Time // zero: assigned when registered (or never)
	extendAt  time.Time
	closeAt   time.Time
	closeAct  string // answer, refuse, redirect, file; "" open
	closer    auth.Actor
	rateAt    time.Time
	rating    int
	comment   string
	public    bool
	task      bool // open with a task
}

// ctEvent is one audited step of the load.
type ctEvent struct {
	at   time.Time
	i    int // case index
	step int // 0 register, 1 assign, 2 extend, 3 close, 4 rate
}

func (g *gen) citizen(ctx context.Context) error {
	r := g.rng("citizen")
	clk := clock.NewFixed(g.now)
	ws := &work.Service{DB: g.db, Clock: clk}
	svc := &citizen.Service{DB: g.db, Clock: clk, Work: ws}

	var existing int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1`, g.tenant).Scan(&existing); err != nil {
		return fmt.Errorf("cannot count cases: %w", err)
	}
	need := g.p.Petitions - existing
	if need <= 0 || len(g.people) == 0 || len(g.units) == 0 {
		return nil
	}
	first, cur := g.now.Year()-g.p.Years+1, g.now.Year()
	start := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)

	// The catalogue: a generated institution gets its services made a few
	// weeks before the registry's first day.
	catalogue, err := svc.CatalogueOf(ctx, g.tenant)
	if err != nil {
		return err
	}
	if len(catalogue) == 0 {
		clk.Set(start.AddDate(0, 0, -20).Add(7 * time.Hour))
		for i, sp := range ctCatalogue {
			unit := g.ctUnit(r, sp.units)
			clk.Set(start.AddDate(0, 0, -20).Add(7*time.Hour + time.Duration(i)*time.Minute))
			p, err := svc.CreatePublicService(ctx, g.actor, citizen.PublicServiceInput{Code: sp.code, Name: sp.name, Description: sp.desc,
				UnitID: unit, LegalDays: sp.days, LegalBasis: sp.basis, Documents: sp.docs, Fee: sp.fee, Active: true})
			if err != nil {
				return fmt.Errorf("cannot create service %s: %w", sp.code, err)
			}
			catalogue = append(catalogue, p)
			g.add("citizen services", 1)
		}
	}
	settings, err := svc.SettingsOf(ctx, g.tenant)
	if err != nil {
		return err
	}
	shift := settings.ShiftToWorking

	// The days of the registry and their weight: the seasons, a little
	// more each year, a trickle on days off (online and e-mail).
	today := work.Day(g.now)
	var days []time.Time
	var cum []float64
	total := 0.0
	for d := start; d.Before(today); d = d.AddDate(0, 0, 1) {
		w := ctMonth[d.Month()] * math.Pow(1.035, float64(d.Year()-first))
		if !citizen.WorkingDay(d) {
			w *= 0.08
		}
		total += w
		days = append(days, d)
		cum = append(cum, total)
	}
	if len(days) == 0 {
		return nil
	}
	// Each case's moment: a day drawn by weight, an hour of the office (or
	// of the evening, online).
	type slot struct {
		at      time.Time
		working bool
		stuck   bool // left unanswered: overdue today
	}
	// A few cases are sure to be of the last two weeks (open today) and of
	// six to nine weeks ago, stuck past their deadline, whatever the volume.
	recent, stuck := max(3, need/400), max(1, need/4000)
	slots := make([]slot, need)
	for i := range slots {
		k, _ := slices.BinarySearch(cum, r.Float64()*total)
		switch {
		case i < recent:
			k = len(days) - 1 - r.IntN(min(14, len(days)))
		case i < recent+stuck:
			k = max(0, len(days)-42-r.IntN(21))
			slots[i].stuck = true
		}
		k = min(k, len(days)-1)
		d := days[k]
		working := citizen.WorkingDay(d)
		mins := 6*60 + r.IntN(8*60)
		if !working {
			mins = 5*60 + r.IntN(14*60)
		}
		slots[i].at, slots[i].working = d.Add(time.Duration(mins)*time.Minute+time.Duration(r.IntN(60))*time.Second), working
	}
	slices.SortStableFunc(slots, func(a, b slot) int { return a.at.Compare(b.at) })

	// The roster by unit, and each topic's units.
	staff := map[int64][]personRef{}
	for _, p := range g.users() {
		if p.UnitID != 0 {
			staff[p.UnitID] = append(staff[p.UnitID], p)
		}
	}
	unitName := map[int64]string{}
	for _, u := range g.units {
		unitName[u.ID] = u.Name
	}
	personName := map[int64]string{}
	for _, p := range g.people {
		personName[p.ID] = p.Name
	}
	topicUnits := func(frags []string) []int64 {
		var out []int64
		for _, u := range g.units {
			if len(staff[u.ID]) == 0 {
				continue
			}
			for _, f := range frags {
				if strings.Contains(u.Name, f) {
					out = append(out, u.ID)
					break
				}
			}
		}
		if len(out) == 0 {
			for _, u := range g.units {
				if len(staff[u.ID]) > 0 {
					out = append(out, u.ID)
				}
			}
		}
		return out
	}
	petUnits := make([][]int64, len(ctPetitionTopics))
	for i, t := range ctPetitionTopics {
		petUnits[i] = topicUnits(t.units)
	}
	infoUnits := make([][]int64, len(ctInfoTopics))
	for i, t := range ctInfoTopics {
		infoUnits[i] = topicUnits(t.units)
	}
	anyUnits := topicUnits(nil)
	if len(anyUnits) == 0 {
		return nil // nobody to answer
	}
	male, female, surnames := demo.Names()
	locality := g.name
	for _, p := range []string{"Primăria ", "Municipiului ", "Municipiul ", "Orașului ", "Orașul ", "Comunei ", "Comuna "} {
		locality = strings.TrimPrefix(locality, p)
	}

	portal := auth.SystemActor(g.tenant, citizen.PortalActor)
	staffActor := func(p int64) auth.Actor {
		for _, q := range g.people {
			if q.ID == p {
				return auth.Actor{Tenant: g.tenant, Name: q.Name, PersonID: q.ID, UserID: q.UserID, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro"}
			}
		}
		return g.actor
	}
	actors := map[int64]auth.Actor{}
	closerOf := func(p int64) auth.Actor {
		a, ok := actors[p]
		if !ok {
			a = staffActor(p)
			actors[p] = a
		}
		return a
	}

	// Registration numbers continue each year's counter.
	counters := map[int]int{}
	rows, err := g.db.R.QueryContext(ctx, `SELECT year, last_seq FROM citizen_counters WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return fmt.Errorf("cannot read the registration counters: %w", err)
	}
	for rows.Next() {
		var y, s int
		if err := rows.Scan(&y, &s); err != nil {
			rows.Close()
			return err
		}
		counters[y] = s
	}
	rows.Close()

	season := func(m map[int]float64, month time.Month) float64 {
		if f, ok := m[int(month)]; ok {
			return f
		}
		return 1
	}
	svcWeights := func(month time.Month) []float64 {
		out := make([]float64, len(catalogue))
		for i, p := range catalogue {
			out[i] = 1
			for _, sp := range ctCatalogue {
				if sp.code == p.Code {
					out[i] = sp.weight * season(sp.season, month)
				}
			}
		}
		return out
	}
	phone := func() string {
		return fmt.Sprintf("07%02d %03d %03d", 20+r.IntN(70), r.IntN(1000), r.IntN(1000))
	}
	// workMorning is 07:00-09:00 UTC on the first working day after d.
	workMorning := func(d time.Time) time.Time {
		return citizen.NextWorkingDay(d.AddDate(0, 0, 1)).Add(5*time.Hour + time.Duration(r.IntN(120))*time.Minute)
	}
	// answerAt is office hours on day reg+days (or the next working day).
	answerAt := func(reg time.Time, days int) time.Time {
		d := citizen.NextWorkingDay(work.Day(reg).AddDate(0, 0, days))
		t := d.Add(time.Duration(6*60+r.IntN(8*60)) * time.Minute)
		if !t.After(reg) {
			t = reg.Add(time.Duration(30+r.IntN(90)) * time.Minute)
		}
		return t
	}

	certNo := 0
	byYear := map[int][]ctPlan{}
	for _, s := range slots {
		at := s.at
		reg := work.Day(at)
		year := reg.Year()
		progress := float64(year-first) / float64(max(1, cur-first))
		p := ctPlan{}
		c := &p.c
		c.Tenant, c.Year, c.RegisteredOn, c.RegisteredAt = g.tenant, year, reg, at
		c.CreatedAt, c.UpdatedAt, c.Version = at, at, 1
		// The channel: online grows from 10% to 35% over the years.
		online := 0.10 + 0.25*progress
		switch x := r.Float64(); {
		case !s.working && x < 0.7, s.working && x < online:
			c.Channel = citizen.ChannelOnline
		case !s.working, x < online+0.18:
			c.Channel = citizen.ChannelEmail
		case x < online+0.28:
			c.Channel = citizen.ChannelPost
		default:
			c.Channel = citizen.ChannelCounter
		}
		// The kind.
		kx := r.Float64()
		switch {
		case kx < 0.38:
			c.Kind = citizen.KindPetition
		case kx < 0.52:
			c.Kind = citizen.KindInfo
		default:
			c.Kind = citizen.KindService
		}
		// The petitioner.
		given := pick(r, male)
		if r.IntN(2) == 0 {
			given = pick(r, female)
		}
		c.Petitioner.Name = given + " " + pick(r, surnames)
		if c.Kind == citizen.KindService && r.Float64() < 0.12 {
			c.Petitioner = citizen.Petitioner{Name: "SC " + pick(r, surnames) + " " + pick(r, []string{"Construct", "Impex", "Agro", "Serv", "Trans"}) + " SRL", LegalPerson: true}
		}
		local := strings.ReplaceAll(strings.ReplaceAll(fold(c.Petitioner.Name), " ", "."), "-", ".")
		switch c.Channel {
		case citizen.ChannelEmail, citizen.ChannelOnline:
			c.Petitioner.Email = local + "@" + pick(r, []string{"posta.example", "mail.example", "email.example"})
			if r.Float64() < 0.4 {
				c.Petitioner.Phone = phone()
			}
		default:
			c.Petitioner.Address = fmt.Sprintf("Str. %s nr. %d, %s", pick(r, ctStreets), 1+r.IntN(150), locality)
			if r.Float64() < 0.6 {
				c.Petitioner.Phone = phone()
			}
		}
		street := func(f string) string {
			switch {
			case strings.Contains(f, "%s"):
				return fmt.Sprintf(f, pick(r, ctStreets))
			case strings.Contains(f, "%d"):
				return fmt.Sprintf(f, year-1-r.IntN(2))
			}
			return f
		}

		// What it is about and who answers it.
		var units []int64
		serviceDays := 0
		var answerDays int
		outcome := "" // an answer kind, or redirect/file
		switch c.Kind {
		case citizen.KindPetition:
			tw := make([]float64, len(ctPetitionTopics))
			for i, t := range ctPetitionTopics {
				tw[i] = t.weight * season(t.season, at.Month())
			}
			ti := weighted(r, tw)
			t := ctPetitionTopics[ti]
			c.Topic, units = t.topic, petUnits[ti]
			c.Subject = street(pick(r, t.subjects))
			c.Body = "Vă rog să analizați situația și să îmi comunicați măsurile luate. " + c.Subject + "."
			answerDays = 5 + r.IntN(20) - int(3*progress)
			switch x := r.Float64(); {
			case x < 0.02 && c.Channel == citizen.ChannelPost:
				// An anonymous letter: filed away when registered.
				c.Petitioner = citizen.Petitioner{}
				c.Subject = "Sesizare nesemnată privind " + pick(r, []string{"un vecin", "un funcționar", "zgomotul din cartier", "o construcție"})
				c.Body = "Scrisoare fără semnătură și fără adresă de răspuns."
				outcome = "anonymous"
			case x < 0.035:
				c.Subject += " (revenire)"
				c.Body = "Revin cu aceeași sesizare, la care am primit deja răspuns."
				outcome = "file"
				answerDays = 1 + r.IntN(4)
			case x < 0.07:
				rd := pick(r, ctRedirects)
				c.Topic, c.Subject = "other", rd.subject
				c.Body = "Vă rog să luați măsuri în privința celor de mai sus."
				c.RedirectedTo = rd.to
				outcome = "redirect"
				answerDays = 1 + r.IntN(4)
			default:
				switch y := r.Float64(); {
				case y < 0.5:
					outcome, c.Answer = citizen.AnswerFavourable, pick(r, ctPetitionFavourable)
				case y < 0.7:
					outcome, c.Answer = citizen.AnswerPartial, pick(r, ctPetitionPartial)
				default:
					outcome, c.Answer = citizen.AnswerUnfavourable, pick(r, ctPetitionUnfavourable)
				}
				switch y := r.Float64(); {
				case y < 0.05:
					c.ExtensionDays = 10 + r.IntN(6)
					answerDays = 31 + r.IntN(c.ExtensionDays-1)
				case y < 0.05+0.07-0.04*progress:
					answerDays = 31 + r.IntN(12) // late
				}
			}
		case citizen.KindInfo:
			ti := r.IntN(len(ctInfoTopics))
			t := ctInfoTopics[ti]
			c.Topic, units = t.topic, infoUnits[ti]
			c.Subject = street(pick(r, t.subjects))
			c.Body = "În temeiul Legii nr. 544/2001, vă rog să îmi comunicați în format electronic: " + ctLowerFirst(c.Subject) + "."
			answerDays = 2 + r.IntN(7)
			switch y := r.Float64(); {
			case y < 0.06:
				outcome, c.Answer = citizen.AnswerRefused, pick(r, ctInfoRefused)
				answerDays = 1 + r.IntN(4)
			case y < 0.11:
				outcome, c.Answer = citizen.AnswerNotHeld, pick(r, ctInfoNotHeld)
			case y < 0.22:
				outcome, c.Answer = citizen.AnswerPartial, pick(r, ctInfoPartial)
			default:
				outcome, c.Answer = citizen.AnswerProvided, pick(r, ctInfoProvided)
			}
			if outcome != citizen.AnswerRefused {
				switch y := r.Float64(); {
				case y < 0.1:
					c.Complex = true // extended as complex, the petitioner told
					answerDays = 14 + r.IntN(15)
				case y < 0.1+0.06-0.035*progress:
					answerDays = 11 + r.IntN(6) // late
				}
			}
		default:
			si := weighted(r, svcWeights(at.Month()))
			ps := catalogue[si]
			c.ServiceID, c.ServiceCode, c.ServiceName, serviceDays = ps.ID, ps.Code, ps.Name, ps.LegalDays
			c.Topic = "other"
			subj := ""
			var fav []string
			for _, sp := range ctCatalogue {
				if sp.code == ps.Code {
					subj, fav = street(pick(r, sp.subjects)), sp.favourable
				}
			}
			if subj == "" {
				subj = ps.Name + ", cerere depusă de " + c.Petitioner.Name
				fav = []string{"Cererea a fost soluționată favorabil; documentul nr. %d poate fi ridicat de la ghișeu."}
			}
			c.Subject = subj
			c.Body = "Solicit " + ctLowerFirst(ps.Name) + ". Anexez documentele cerute."
			if ps.UnitID != 0 && len(staff[ps.UnitID]) > 0 {
				units = []int64{ps.UnitID}
			} else {
				units = anyUnits
			}
			share := 0.55 - 0.15*progress + 0.2*r.NormFloat64()
			answerDays = max(0, min(int(math.Round(share*float64(ps.LegalDays))), ps.LegalDays*2+5))
			certNo++
			if r.Float64() < 0.08 {
				outcome, c.Answer = citizen.AnswerUnfavourable, pick(r, ctServiceUnfavourable)
			} else {
				outcome, c.Answer = citizen.AnswerFavourable, fmt.Sprintf(pick(r, fav), 100+certNo%9000)
			}
		}
		if len(units) == 0 {
			units = anyUnits
		}
		unit := pick(r, units)
		person := pick(r, staff[unit])

		// Consent: online and at the counter or by e-mail; a letter is
		// registered on legal grounds.
		p.public = c.Channel == citizen.ChannelOnline
		if c.Channel != citizen.ChannelPost {
			consent := at
			c.ConsentAt, c.ConsentVersion = &consent, citizen.ConsentVersion
		}
		if !p.public {
			c.CreatedBy = g.actor.UserID
		}
		// Registration: the registry sends what comes on paper, by e-mail
		// or at the counter to a unit and a person at once; the online
		// cases and those to redirect wait for the registry.
		c.State = citizen.StateRegistered
		if outcome != "redirect" && outcome != "anonymous" && !p.public {
			c.UnitID, c.AssigneeID, c.State = unit, person.ID, citizen.StateAssigned
			p.regUnit, p.regPerson = unit, person.ID
		}
		ext, complex := c.ExtensionDays, c.Complex
		c.ExtensionDays, c.Complex = 0, false
		c.DueOn = citizen.DueOn(*c, serviceDays, shift)
		c.BaseDueOn = c.DueOn
		c.ExtensionDays, c.Complex = ext, complex

		if outcome == "anonymous" {
			zero, yes := 0, true
			c.State, c.Answer, c.ClosedOn, c.DaysTaken, c.OnTime = citizen.StateFiled, citizen.FiledAnonymous, reg, &zero, &yes
			byYear[year] = append(byYear[year], p)
			continue
		}
		if p.public && outcome != "redirect" {
			p.assignAt = workMorning(reg)
			if p.assignAt.Before(at) {
				p.assignAt = at.Add(time.Hour)
			}
		}
		closeAt := answerAt(at, answerDays)
		if !p.assignAt.IsZero() && !closeAt.After(p.assignAt) {
			closeAt = p.assignAt.Add(time.Duration(1+r.IntN(5)) * time.Hour)
		}
		// A few cases of five to ten weeks ago are stuck: overdue today.
		if age := g.now.Sub(at); s.stuck || age > 35*24*time.Hour && age < 70*24*time.Hour && r.Float64() < 0.02 {
			closeAt = time.Time{}
		}
		if !closeAt.IsZero() && !closeAt.Before(g.now) {
			closeAt = time.Time{}
		}
		if !p.assignAt.IsZero() && !p.assignAt.Before(g.now) {
			p.assignAt = time.Time{}
		}
		if p.assignAt.IsZero() && p.public {
			// Still with the registry: not yet assigned.
		} else if outcome != "redirect" {
			c.UnitID, c.AssigneeID, c.State = unit, person.ID, citizen.StateAssigned
		}
		// The extension, told within the term, and only for a case closed
		// after it (an open one keeps its first deadline).
		if closeAt.IsZero() {
			c.ExtensionDays, c.Complex = 0, false
		}
		if c.ExtensionDays > 0 || c.Complex {
			lim := c.BaseDueOn
			if c.Kind == citizen.KindInfo {
				lim = citizen.AddDays(reg, citizen.InfoDays, shift)
				c.ExtensionDays = citizen.InfoComplexDays - citizen.InfoDays
			}
			from := at
			if !p.assignAt.IsZero() {
				from = p.assignAt
			}
			ext := from.Add(time.Duration(2+r.IntN(5)) * 24 * time.Hour)
			if ext.After(lim.Add(14 * time.Hour)) {
				ext = from.Add(time.Hour)
			}
			if !ext.Before(closeAt) {
				ext = closeAt.Add(-30 * time.Minute)
			}
			p.extendAt = ext
			if c.Kind == citizen.KindPetition {
				c.ExtensionReason = pick(r, ctExtensionReasons)
			} else {
				c.ExtensionReason = pick(r, ctInfoComplexReasons)
			}
			c.ExtensionNoticeOn = work.Day(ext)
			c.DueOn = citizen.DueOn(*c, 0, shift)
		}
		if closeAt.IsZero() {
			c.Answer, c.RedirectedTo = "", ""
			p.task = true
		} else {
			p.closeAt = closeAt
			c.ClosedOn = work.Day(closeAt)
			c.UpdatedAt = closeAt
			switch outcome {
			case "redirect":
				c.State, c.RedirectNoticeOn, p.closeAct, p.closer = citizen.StateRedirected, c.ClosedOn, citizen.ActRedirect, g.actor
			case "file":
				c.State, c.Answer, p.closeAct, p.closer = citizen.StateFiled, "Petiție repetată, cu același conținut ca una la care s-a răspuns deja (OG nr. 27/2002): clasată.", citizen.ActFile, g.actor
			case citizen.AnswerRefused:
				c.State, c.AnswerKind, p.closeAct, p.closer = citizen.StateRefused, outcome, citizen.ActRefuse, closerOf(c.AssigneeID)
			default:
				c.State, c.AnswerKind, p.closeAct, p.closer = citizen.StateAnswered, outcome, citizen.ActAnswer, closerOf(c.AssigneeID)
			}
			citizen.CloseCase(c, shift)
			// One in five answered petitioners rates the answer.
			if (c.State == citizen.StateAnswered || c.State == citizen.StateRefused) && r.Float64() < 0.2 {
				rateAt := closeAt.Add(time.Duration(2+r.IntN(96)) * time.Hour)
				if rateAt.Before(g.now) {
					mean := 3.8 + 0.4*progress
					switch outcome {
					case citizen.AnswerFavourable, citizen.AnswerProvided:
						mean += 0.5
					case citizen.AnswerUnfavourable, citizen.AnswerRefused, citizen.AnswerNotHeld:
						mean -= 1.2
					}
					if c.OnTime != nil && !*c.OnTime {
						mean -= 0.8
					}
					p.rateAt, p.rating = rateAt, int(max(1, min(5, math.Round(mean+0.9*r.NormFloat64()))))
					if r.Float64() < 0.3 {
						p.comment = pick(r, ctRatingComments)
					}
					c.Rated = true
				}
			}
		}
		c.Version = 1
		for _, t := range []time.Time{p.assignAt, p.extendAt, p.closeAt} {
			if !t.IsZero() {
				c.Version++
				c.UpdatedAt = t
			}
		}
		byYear[year] = append(byYear[year], p)
	}

	// One transaction a year.
	for year := first; year <= cur; year++ {
		plans := byYear[year]
		if len(plans) == 0 {
			continue
		}
		seq := counters[year]
		for i := range plans {
			seq++
			c := &plans[i].c
			c.Seq, c.Number = seq, citizen.FormatNumber(seq, year)
			c.UnitName, c.AssigneeName = unitName[c.UnitID], personName[c.AssigneeID]
			if !c.Anonymous() {
				plans[i].hash = citizen.HashAccessCode(CaseAccessCode(g.seed, g.tag, c.Number))
			}
		}
		err := g.tx(ctx, func(tx *sql.Tx) error {
			return g.ctLoad(ctx, tx, clk, ws, plans, portal, unitName, personName, shift)
		})
		if err != nil {
			return err
		}
		g.add("petitions", len(plans))
		for _, p := range plans {
			if p.rating > 0 {
				g.add("citizen ratings", 1)
			}
		}
	}
	return citizen.RebuildStatsBulk(ctx, g.db, g.tenant)
}

// ctLoad writes a year's cases and their history inside tx.
func (g *gen) ctLoad(ctx context.Context, tx *sql.Tx, clk *clock.Fixed, ws *work.Service, plans []ctPlan, portal auth.Actor,
	unitName, personName map[int64]string, shift bool) error {
	cases := make([]citizen.Case, len(plans))
	hashes := make([]string, len(plans))
	for i := range plans {
		cases[i], hashes[i] = plans[i].c, plans[i].hash
	}
	if err := citizen.InsertCasesTx(ctx, tx, g.db.Engine, cases, hashes); err != nil {
		return err
	}
	if err := citizen.SetCounterTx(ctx, tx, g.tenant, plans[0].c.Year, cases[len(cases)-1].Seq); err != nil {
		return err
	}
	var events []ctEvent
	for i := range plans {
		plans[i].c.ID = cases[i].ID
		p := &plans[i]
		events = append(events, ctEvent{at: p.c.RegisteredAt, i: i, step: 0})
		for step, t := range []time.Time{p.assignAt, p.extendAt, p.closeAt, p.rateAt} {
			if !t.IsZero() {
				events = append(events, ctEvent{at: t, i: i, step: step + 1})
			}
		}
	}
	slices.SortStableFunc(events, func(a, b ctEvent) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.i != b.i {
			return a.i - b.i
		}
		return a.step - b.step
	})
	rec, err := g.auditBatch(ctx, tx)
	if err != nil {
		return err
	}
	// state is each case as it stands at the event being recorded.
	state := make([]citizen.Case, len(plans))
	for _, e := range events {
		p := &plans[e.i]
		final := p.c
		final.Rated = false
		before := state[e.i]
		var after citizen.Case
		action, summary := audit.ActionTransition, ""
		actor := g.actor
		switch e.step {
		case 0: // registered
			after = final
			after.UnitID, after.AssigneeID = p.regUnit, p.regPerson
			after.UnitName, after.AssigneeName = unitName[p.regUnit], personName[p.regPerson]
			after.State = citizen.StateRegistered
			if p.regUnit != 0 {
				after.State = citizen.StateAssigned
			}
			if final.State == citizen.StateFiled && final.Anonymous() {
				after.State = final.State
			} else {
				after.Answer, after.AnswerKind, after.ClosedOn, after.DaysTaken, after.OnTime = "", "", time.Time{}, nil, nil
				after.RedirectedTo, after.RedirectNoticeOn = "", time.Time{}
			}
			after.ExtensionDays, after.ExtensionReason, after.ExtensionNoticeOn, after.Complex = 0, "", time.Time{}, false
			after.DueOn = after.BaseDueOn
			after.UpdatedAt, after.Version = after.CreatedAt, 1
			action, summary = audit.ActionCreate, after.Number
			if p.public {
				actor, summary = portal, summary+" (online)"
			}
		case 1: // assigned by the registry
			after = before
			after.UnitID, after.AssigneeID, after.State = final.UnitID, final.AssigneeID, citizen.StateAssigned
			after.UnitName, after.AssigneeName = final.UnitName, final.AssigneeName
			summary = after.Number + ": " + citizen.ActAssign
		case 2: // extended
			after = before
			after.ExtensionDays, after.ExtensionReason, after.ExtensionNoticeOn, after.Complex = final.ExtensionDays, final.ExtensionReason, final.ExtensionNoticeOn, final.Complex
			after.DueOn = final.DueOn
			summary = after.Number + ": " + citizen.ActExtend
		case 3: // closed
			after = final
			summary, actor = after.Number+": "+p.closeAct, p.closer
		case 4: // rated, anonymously
			clk.Set(e.at)
			id, err := citizen.InsertRatingTx(ctx, tx, final, p.rating, p.comment, e.at)
			if err != nil {
				return err
			}
			if err := rec.Record(ctx, e.at, audit.Event{Tenant: g.tenant, Actor: portal.Audit(), Action: audit.ActionCreate, Entity: citizen.EntityFeedback, EntityID: id,
				Summary: fmt.Sprintf("%d/5", p.rating), After: citizen.RatingAudit(final, p.rating, e.at)}); err != nil {
				return err
			}
			continue
		}
		if e.step > 0 {
			after.UpdatedAt, after.Version = e.at, before.Version+1
		}
		if e.step == 0 {
			// One event per case, its creation, carrying the case as it
			// stands (without the rated flag, which the service never
			// audits: it would tie the anonymous rating to the case).
			if err := rec.Record(ctx, e.at, audit.Event{Tenant: g.tenant, Actor: actor.Audit(), Action: action, Entity: citizen.EntityCase, EntityID: final.ID,
				Summary: summary, After: final}); err != nil {
				return err
			}
		}
		state[e.i] = after
		// The open case's task, given when it was registered or assigned
		// (a registry task an assignment replaces only for cases closed
		// since, which keep no task).
		if p.task && after.Open() && (e.step == 0 && p.assignAt.IsZero() || e.step == 1) {
			clk.Set(e.at)
			if _, err := ws.AssignMany(ctx, tx, actor, rec, []work.NewTask{citizen.CaseTask(after)}); err != nil {
				return err
			}
		}
	}
	return rec.Close(ctx)
}

// ctUnit is a unit whose name has one of frags, or any unit with people.
func (g *gen) ctUnit(r *rand.Rand, frags []string) int64 {
	var out []int64
	for _, u := range g.units {
		for _, f := range frags {
			if strings.Contains(u.Name, f) && len(g.inUnit(u.ID)) > 0 {
				out = append(out, u.ID)
				break
			}
		}
	}
	if len(out) == 0 {
		for _, u := range g.units {
			if len(g.inUnit(u.ID)) > 0 {
				out = append(out, u.ID)
			}
		}
	}
	if len(out) == 0 {
		return 0
	}
	return pick(r, out)
}

// lowerFirst writes s with a small first letter.
func ctLowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// The training step plays the training plan of the profile's years
// through the training service on a clock set in the past, so every
// record is audited and every task reaches the inbox as it would have:
// the competence catalogue and who requires what, the programmes, a
// funded project's target group with its eligibility data, the sessions
// (planned three weeks ahead, people enrolled, held with attendance per
// day and results, closed, the provider's certificates recorded with
// their validity), a few cancelled, the next weeks' sessions with their
// people enrolled (their tasks to attend), competences assessed by the
// quality office, and the induction plans of the most recent hires.

type trComp struct {
	code, name, area string
	validity         int
}

var trComps = []trComp{
	{"C-ISO9001", "Managementul calității — SR EN ISO 9001:2015", training.TopicQuality, 0},
	{"C-AUDIT", "Audit intern al sistemului de management al calității (SR EN ISO 19011)", training.TopicAudit, 36},
	{"C-CAF", "Autoevaluare după modelul CAF 2020", training.TopicCAF, 0},
	{"C-BSC", "Managementul performanței și Balanced Scorecard", training.TopicScorecard, 0},
	{"C-RISC", "Managementul riscurilor în entitățile publice", training.TopicRisk, 0},
	{"C-SCIM", "Controlul intern managerial (OSGG nr. 600/2018)", training.TopicControl, 0},
	{"C-ETICA", "Etică și integritate în funcția publică", training.TopicLegal, 12},
	{"C-GDPR", "Protecția datelor cu caracter personal", training.TopicLegal, 24},
	{"C-DIGITAL", "Competențe digitale pentru funcționari publici", training.TopicDigital, 0},
}

type trProg struct {
	code, title, topic, provider string
	hours                        int
	cert                         string
	months                       int
	comp                         string
	level                        int
	mandatory, group             bool
	pass                         int
	weight                       float64
	desc                         string
}

var trProgs = []trProg{
	{"PG-ISO", "Managementul calității în administrația publică (ISO 9001:2015)", training.TopicQuality, "Centrul Regional de Formare Continuă pentru Administrația Publică Locală", 24,
		"Certificat de absolvire — Manager al sistemului de management al calității", 0, "C-ISO9001", 2, false, true, 70, 2, "Cerințele standardului, abordarea pe procese și informațiile documentate, cu exerciții pe procedurile primăriei."},
	{"PG-AUD", "Auditor intern în domeniul calității", training.TopicAudit, "Centrul de Formare și Evaluare în Calitate și Management", 40,
		"Certificat de auditor intern pentru sisteme de management al calității", 36, "C-AUDIT", 2, false, false, 75, 1, "Planificarea și efectuarea auditului intern după SR EN ISO 19011, constatări și rapoarte."},
	{"PG-CAF", "Autoevaluarea instituției după modelul CAF 2020", training.TopicCAF, "Institutul Național de Administrație", 16,
		"", 0, "C-CAF", 1, false, false, 0, 1, "Criteriile modelului, grila de punctare și planul de îmbunătățire."},
	{"PG-BSC", "Managementul performanței și Balanced Scorecard", training.TopicScorecard, "Centrul Regional de Formare Continuă pentru Administrația Publică Locală", 16,
		"", 0, "C-BSC", 1, false, true, 0, 1.5, "Obiective, indicatori de performanță, ținte și raportarea rezultatelor."},
	{"PG-RISC", "Managementul riscurilor pentru conducătorii de compartimente", training.TopicRisk, "Agenția Națională a Funcționarilor Publici", 16,
		"Certificat de participare — managementul riscurilor", 24, "C-RISC", 2, false, false, 60, 1.5, "Identificarea și evaluarea riscurilor, registrul riscurilor și măsurile de control."},
	{"PG-SCIM", "Controlul intern managerial după OSGG nr. 600/2018", training.TopicControl, "Agenția Națională a Funcționarilor Publici", 16,
		"", 0, "C-SCIM", 1, false, false, 0, 1, "Cele 16 standarde, autoevaluarea anuală și procedurile de sistem."},
	{"PG-ETICA", "Etică și integritate în funcția publică", training.TopicLegal, "Consilierul de etică al instituției", 4,
		"", 0, "C-ETICA", 1, true, false, 0, 3, "Codul de conduită, conflictul de interese, incompatibilitățile și avertizorul de integritate."},
	{"PG-GDPR", "Protecția datelor cu caracter personal în relația cu cetățenii", training.TopicLegal, "Responsabilul cu protecția datelor", 8,
		"Atestat de instruire privind protecția datelor", 24, "C-GDPR", 1, false, false, 70, 2, "Temeiurile prelucrării, drepturile persoanelor vizate și incidentele de securitate."},
	{"PG-DIG", "Competențe digitale pentru funcționari publici", training.TopicDigital, "Centrul de Formare în Tehnologia Informației", 24,
		"Certificat de competențe digitale", 0, "C-DIGITAL", 2, false, false, 65, 1.5, "Documente electronice, semnătura electronică, securitatea informației și serviciile online."},
}

var trPlaces = []string{"Sala de ședințe a consiliului local", "Sala de instruire, etaj 2", "Sediul furnizorului de formare", "Online, pe platforma instituției"}

func (g *gen) training(ctx context.Context) error {
	r := g.rng("training")
	clk := clock.NewFixed(g.now)
	ws := &work.Service{DB: g.db, Clock: clk}
	svc := &training.Service{DB: g.db, Clock: clk, Work: ws}
	var existing int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_sessions WHERE tenant_id = $1`, g.tenant).Scan(&existing); err != nil {
		return fmt.Errorf("cannot count sessions: %w", err)
	}
	need := g.p.Sessions - existing
	roster := g.users()
	if need <= 0 || len(roster) == 0 {
		return nil
	}
	today := work.Day(g.now)
	first := g.now.Year() - g.p.Years + 1
	setup := time.Date(first, 1, 12, 8, 0, 0, 0, time.UTC)
	at := func(t time.Time) { clk.Set(t) }

	// The catalogue: the competences the institution does not have yet.
	comps, err := svc.Competences(ctx, g.actor, false)
	if err != nil {
		return err
	}
	compID := map[string]int64{}
	for _, c := range comps {
		compID[c.Code] = c.ID
	}
	newCatalogue := len(comps) == 0
	for i, c := range trComps {
		if compID[c.code] != 0 {
			continue
		}
		at(setup.Add(time.Duration(i) * time.Minute))
		got, err := svc.CreateCompetence(ctx, g.actor, training.CompetenceInput{Code: c.code, Name: c.name, Area: c.area, ValidityMonths: c.validity, Active: true})
		if err != nil {
			return fmt.Errorf("cannot create competence %s: %w", c.code, err)
		}
		compID[c.code] = got.ID
	}
	if newCatalogue {
		reqs := []struct {
			comp, kind, target string
			level              int
		}{
			{"C-ETICA", training.RequireEveryone, "", training.LevelBasic},
			{"C-GDPR", training.RequireEveryone, "", training.LevelBasic},
			{"C-RISC", training.RequireRole, string(auth.RoleHeadOfUnit), training.LevelPractitioner},
			{"C-SCIM", training.RequireRole, string(auth.RoleHeadOfUnit), training.LevelBasic},
			{"C-ISO9001", training.RequireRole, string(auth.RoleQualityManager), training.LevelExpert},
		}
		for i, q := range reqs {
			at(setup.Add(time.Hour + time.Duration(i)*time.Minute))
			if _, err := svc.AddRequirement(ctx, g.actor, compID[q.comp], training.RequirementInput{Kind: q.kind, Target: q.target, Level: q.level}); err != nil {
				return fmt.Errorf("cannot add requirement of %s: %w", q.comp, err)
			}
		}
	}

	// The target group of a funded project, when the institution has none.
	groups, err := svc.Groups(ctx, g.actor, training.GroupFilter{})
	if err != nil {
		return err
	}
	var groupID int64
	var members []personRef
	if groups.Total == 0 {
		start := time.Date(g.now.Year()-3, 3, 1, 0, 0, 0, 0, time.UTC)
		at(start.Add(8 * time.Hour))
		size := min(len(roster), max(6, len(roster)/4), 120)
		grp, err := svc.CreateGroup(ctx, g.actor, training.GroupInput{Code: "GT-SIPOCA", Name: "Grupul țintă al proiectului „Administrație performantă prin calitate”",
			Description: "Personalul de conducere și de execuție instruit în managementul calității, autoevaluarea CAF și managementul performanței.",
			Project:     "Proiect finanțat prin Programul Operațional Capacitate Administrativă, cod SIPOCA",
			StartOn:     start.Format(time.DateOnly), EndOn: time.Date(g.now.Year()+1, 6, 30, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			GoalMembers: size, GoalHours: 40, GoalShare: 90, Active: true})
		if err != nil {
			return fmt.Errorf("cannot create the target group: %w", err)
		}
		groupID = grp.ID
		_, female, _ := demo.Names()
		perm := r.Perm(len(roster))
		for k, i := range perm[:size] {
			p := roster[i]
			in := training.MemberInput{PersonID: p.ID, Consent: true, JoinedOn: start.Format(time.DateOnly), Residence: "urban",
				Category: training.CategoryExecution, Gender: "m", BirthYear: g.now.Year() - 25 - r.IntN(35),
				Education: pick(r, []string{"isced6", "isced6", "isced7", "isced7", "isced7", "isced3"})}
			if p.Management {
				in.Category = training.CategoryManagement
			}
			if given, _, _ := strings.Cut(p.Name, " "); slices.Contains(female, given) {
				in.Gender = "f"
			}
			if r.Float64() < 0.15 {
				in.Residence = "rural"
			}
			at(start.Add(9*time.Hour + time.Duration(k)*time.Minute))
			if _, err := svc.AddMember(ctx, g.actor, groupID, in); err != nil {
				return fmt.Errorf("cannot add %s to the target group: %w", p.Name, err)
			}
			members = append(members, p)
		}
		g.add("training group members", len(members))
	}

	// The programmes the institution does not have yet.
	progs, err := svc.Programmes(ctx, g.actor, training.ProgrammeFilter{PerPage: 1000})
	if err != nil {
		return err
	}
	have := map[string]training.Programme{}
	for _, p := range progs.Items {
		have[p.Code] = p
	}
	type progRef struct {
		spec trProg
		p    training.Programme
	}
	var programmes []progRef
	for i, sp := range trProgs {
		p, ok := have[sp.code]
		if !ok {
			at(setup.AddDate(0, 0, 1).Add(time.Duration(i) * time.Minute))
			in := training.ProgrammeInput{Code: sp.code, Title: sp.title, Topic: sp.topic, Provider: sp.provider, Hours: sp.hours,
				Certificate: sp.cert, CertificateMonths: sp.months, CompetenceID: compID[sp.comp], CompetenceLevel: sp.level,
				Mandatory: sp.mandatory, PassScore: sp.pass, MinAttendance: 80, Description: sp.desc, Active: true}
			if sp.group && groupID != 0 {
				in.GroupID = groupID
			}
			if p, err = svc.CreateProgramme(ctx, g.actor, in); err != nil {
				return fmt.Errorf("cannot create programme %s: %w", sp.code, err)
			}
		}
		programmes = append(programmes, progRef{sp, p})
	}
	weights := make([]float64, len(programmes))
	for i, p := range programmes {
		weights[i] = p.spec.weight
	}

	// The sessions: the past ones over the years, the next weeks' planned.
	future := max(1, need/40)
	type plan struct {
		prog      progRef
		start     time.Time
		held      bool
		cancelled bool
	}
	var plans []plan
	span := int(today.Sub(setup.AddDate(0, 0, 30)).Hours()/24) - 10
	for i := range need {
		pr := programmes[weighted(r, weights)]
		var start time.Time
		if i < future {
			start = citizen.NextWorkingDay(today.AddDate(0, 0, 7+r.IntN(28)))
		} else {
			start = citizen.NextWorkingDay(setup.AddDate(0, 0, 30+r.IntN(max(1, span))))
		}
		pl := plan{prog: pr, start: start, held: i >= future}
		if pl.held && r.Float64() < 0.03 {
			pl.held, pl.cancelled = false, true
		}
		plans = append(plans, pl)
	}
	slices.SortStableFunc(plans, func(a, b plan) int { return a.start.Compare(b.start) })

	trainers := map[string]string{}
	male, femaleNames, surnames := demo.Names()
	certNo := 0
	for _, pl := range plans {
		sp, prog := pl.prog.spec, pl.prog.p
		days := max(1, min(5, (sp.hours+7)/8))
		end := pl.start.AddDate(0, 0, days-1)
		trainer, ok := trainers[sp.provider]
		if !ok || r.IntN(4) == 0 {
			given := pick(r, male)
			if r.IntN(2) == 0 {
				given = pick(r, femaleNames)
			}
			trainer = given + " " + pick(r, surnames)
			trainers[sp.provider] = trainer
		}
		capacity := 12 + r.IntN(13)
		pool := roster
		if prog.GroupID != 0 && len(members) > 0 {
			pool = members
		}
		n := min(len(pool), 6+r.IntN(capacity-5))
		idx := r.Perm(len(pool))[:n]
		people := make([]int64, n)
		for k, i := range idx {
			people[k] = pool[i].ID
		}
		create := trAt(pl.start.AddDate(0, 0, -21), 8, r.IntN(60))
		enrol := trAt(pl.start.AddDate(0, 0, -18), 9, r.IntN(60))
		if !enrol.Before(g.now) {
			create, enrol = g.now.Add(-2*time.Hour), g.now.Add(-time.Hour)
		}
		at(create)
		ss, err := svc.CreateSession(ctx, g.actor, training.SessionInput{ProgrammeID: prog.ID, StartOn: pl.start.Format(time.DateOnly), EndOn: end.Format(time.DateOnly),
			Place: pick(r, trPlaces), Trainer: trainer, Capacity: capacity})
		if err != nil {
			return fmt.Errorf("cannot plan a session of %s: %w", sp.code, err)
		}
		g.add("training sessions", 1)
		at(enrol)
		if _, err := svc.Enrol(ctx, g.actor, ss.ID, people); err != nil {
			return fmt.Errorf("cannot enrol in %s: %w", ss.Code, err)
		}
		g.add("training enrolments", len(people))
		if pl.cancelled {
			at(trAt(pl.start.AddDate(0, 0, -3), 10, 0))
			if ss, err = svc.Session(ctx, g.actor, ss.ID); err != nil {
				return err
			}
			if _, err := svc.SetSessionState(ctx, g.actor, ss.ID, training.SessionCancelled, ss.Version); err != nil {
				return fmt.Errorf("cannot cancel %s: %w", ss.Code, err)
			}
			continue
		}
		if !pl.held {
			continue
		}
		at(trAt(pl.start, 6, 30))
		if ss, err = svc.Session(ctx, g.actor, ss.ID); err != nil {
			return err
		}
		if ss, err = svc.SetSessionState(ctx, g.actor, ss.ID, training.SessionHeld, ss.Version); err != nil {
			return fmt.Errorf("cannot hold %s: %w", ss.Code, err)
		}
		at(trAt(end, 14, 0))
		enrolments, err := svc.Enrolments(ctx, g.actor, ss.ID)
		if err != nil {
			return err
		}
		present := map[int64][]string{}
		var results []training.ResultInput
		for _, e := range enrolments {
			present[e.ID] = []string{}
			for _, d := range ss.Days() {
				if r.Float64() > 0.04 {
					present[e.ID] = append(present[e.ID], d)
				}
			}
			if sp.pass > 0 {
				score := int(max(30, min(100, 84+10*r.NormFloat64())))
				results = append(results, training.ResultInput{EnrolmentID: e.ID, Score: &score})
			}
		}
		if err := svc.SaveAttendance(ctx, g.actor, ss.ID, present); err != nil {
			return fmt.Errorf("cannot record attendance of %s: %w", ss.Code, err)
		}
		if len(results) > 0 {
			if err := svc.SaveResults(ctx, g.actor, ss.ID, results); err != nil {
				return fmt.Errorf("cannot record results of %s: %w", ss.Code, err)
			}
		}
		closed := trAt(citizen.NextWorkingDay(end.AddDate(0, 0, 1)), 8, 0)
		if !closed.Before(g.now) {
			continue // held, results to be closed
		}
		at(closed)
		if ss, err = svc.Session(ctx, g.actor, ss.ID); err != nil {
			return err
		}
		if _, err = svc.SetSessionState(ctx, g.actor, ss.ID, training.SessionClosed, ss.Version); err != nil {
			return fmt.Errorf("cannot close %s: %w", ss.Code, err)
		}
		if sp.cert == "" {
			continue
		}
		issued := citizen.NextWorkingDay(end.AddDate(0, 0, 5))
		recorded := trAt(citizen.NextWorkingDay(issued.AddDate(0, 0, 3)), 9, 0)
		if !recorded.Before(g.now) {
			continue
		}
		if enrolments, err = svc.Enrolments(ctx, g.actor, ss.ID); err != nil {
			return err
		}
		prefix := strings.ToUpper(strings.TrimPrefix(sp.code, "PG-"))
		for k, e := range enrolments {
			if e.State != training.EnrolCompleted {
				continue
			}
			certNo++
			at(recorded.Add(time.Duration(k) * time.Minute))
			if _, err := svc.CreateCertificate(ctx, g.actor, training.CertificateInput{EnrolmentID: e.ID, Name: sp.cert,
				Number: fmt.Sprintf("%s-%05d/%d", prefix, certNo, issued.Year()), Issuer: sp.provider, IssuedOn: issued.Format(time.DateOnly)}, nil); err != nil {
				return fmt.Errorf("cannot record a certificate of %s: %w", ss.Code, err)
			}
			g.add("training certificates", 1)
		}
	}

	// Competences assessed by the quality office for some heads of unit.
	for i, p := range roster {
		if !p.Management || r.Float64() > 0.3 {
			continue
		}
		day := today.AddDate(0, 0, -30-r.IntN(700))
		at(trAt(day, 11, i%60))
		c := pick(r, []string{"C-SCIM", "C-BSC", "C-CAF"})
		if _, err := svc.Assess(ctx, g.actor, p.ID, training.HeldInput{CompetenceID: compID[c], Level: training.LevelPractitioner, AcquiredOn: day.Format(time.DateOnly),
			Notes: "Evaluat de biroul calității pe baza activității din ultimul an."}); err != nil {
			return fmt.Errorf("cannot assess %s: %w", p.Name, err)
		}
		g.add("training assessments", 1)
	}

	// The induction plans of the most recent hires (those without one).
	hires := max(1, len(roster)/100)
	at(g.now.Add(-time.Hour))
	for i := len(roster) - 1; i >= 0 && hires > 0; i-- {
		var n int
		if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_inductions WHERE tenant_id = $1 AND person_id = $2`, g.tenant, roster[i].ID).Scan(&n); err != nil {
			return fmt.Errorf("cannot read induction plans: %w", err)
		}
		if n > 0 || roster[i].UnitID == 0 {
			continue
		}
		if _, err := svc.StartInduction(ctx, g.actor, roster[i].ID); err != nil {
			return fmt.Errorf("cannot start the induction of %s: %w", roster[i].Name, err)
		}
		hires--
		g.add("induction plans", 1)
	}
	return nil
}

// trAt is hour:minute UTC on day.
func trAt(day time.Time, hour, minute int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
}
