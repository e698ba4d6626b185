package demo

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo municipality's internal audit: the register of internal
// auditors (one certificate about to expire), last year's programme with
// its audits closed and reported, and this year's programme, started from
// last year's in January (what changed marked) and approved, with its
// audits over the year: those past are closed with their reports, one is
// under way with part of its checklist filled, the last are planned for
// December. Findings open their cases in the nonconformity register
// through the service; last year's are mostly closed, the major one still
// has its corrective actions under way and is followed up this year. Like
// the other registers it is played on a clock of its own through the audit
// service, so every step is audited and hands out its inbox tasks.

// demoFinding is one finding of a demo audit.
type demoFinding struct {
	kind, clause, requirement, evidence string
}

// demoAudit is one audit of a demo programme and its story.
type demoAudit struct {
	unit, process string
	title         string
	month, day    int // first day; the audit lasts days
	days          int
	clauses       []string
	procs         []string // document codes in scope
	lead          string   // auditor key
	team          []string
	auditees      string
	findings      []demoFinding
	summary       string
	conclusions   string
}

// demoAuditors are the register: person keys, their qualifications.
type demoQual struct {
	name, issuer, cert string
	hours              int
	issuedAgo          int // days before today it was issued
	expiresIn          int // days from today it expires (0: no expiry; negative: expired)
}

var demoAuditorQuals = map[string][]demoQual{
	"auditor": {{name: "Auditor intern pentru sisteme de management al calității (SR EN ISO 19011:2018)", issuer: "Centrul de Formare Calitas", cert: "AI-2291/2023", hours: 40, issuedAgo: 980, expiresIn: 25},
		{name: "Curs de perfecționare: auditul proceselor în administrația publică locală", issuer: "Institutul Național de Administrație", cert: "INA-7741", hours: 24, issuedAgo: 300}},
	"capi2": {{name: "Auditor intern SMC (ISO 9001:2015 și ISO 19011:2018)", issuer: "Centrul de Formare Calitas", cert: "AI-3318/2024", hours: 40, issuedAgo: 620, expiresIn: 480}},
	"bcim2": {{name: "Responsabil cu managementul calității", issuer: "Asociația Română pentru Calitate", cert: "RMC-1502", hours: 56, issuedAgo: 1400},
		{name: "Auditor intern SMC", issuer: "Centrul de Formare Calitas", cert: "AI-1187/2021", hours: 40, issuedAgo: 1500, expiresIn: -60},
		{name: "Auditor intern SMC, reatestare", issuer: "Centrul de Formare Calitas", cert: "AI-4021/2025", hours: 16, issuedAgo: 70, expiresIn: 1025}},
	"head:sru": {{name: "Auditor intern pentru sisteme de management integrate", issuer: "Camera de Comerț și Industrie Mureș", cert: "CCI-MS-662", hours: 32, issuedAgo: 700, expiresIn: 395}},
}

var demoAuditorOrder = []string{"auditor", "capi2", "bcim2", "head:sru"}

const demoCriteria = "SR EN ISO 9001:2015; Manualul calității MC-01; procedurile de sistem și operaționale aplicabile; Codul administrativ (OUG 57/2019); legislația specifică activității."

var lastYearAudits = []demoAudit{
	{unit: "bcim", process: "Managementul calității", title: "Auditul proceselor sistemului de management al calității", month: 2, day: 10, days: 2,
		clauses: []string{"4.4", "7.5.3", "9.2", "10.2"}, procs: []string{"PS-01", "PS-04"}, lead: "auditor", team: []string{"capi2"},
		auditees: "Șeful Biroului Control Intern Managerial și Managementul Calității; consilierii biroului",
		findings: []demoFinding{{kind: "minor", clause: "7.5.3", requirement: "Lista de difuzare a documentelor sistemului se actualizează la fiecare ediție nouă.", evidence: "Lista de difuzare a procedurii PS-04 nu a fost actualizată după revizia 1; două compartimente nu figurează ca destinatari."}},
		summary:  "Auditul s-a desfășurat conform agendei; au fost verificate registrul documentelor, listele de difuzare și registrul neconformităților.", conclusions: "Procesele sistemului sunt implementate și eficace, cu o neconformitate minoră privind difuzarea documentelor."},
	{unit: "srpr", process: "Soluționarea petițiilor", title: "Auditul procesului de soluționare a petițiilor", month: 3, day: 16, days: 2,
		clauses: []string{"8.2", "8.5.1", "9.1.2"}, procs: []string{"PO-SRPR-01"}, lead: "bcim2", team: []string{"auditor"},
		auditees: "Șeful Serviciului Relații cu Publicul și Registratură; referenții de la registratură",
		findings: []demoFinding{{kind: "major", clause: "8.5.1", requirement: "Petițiile se soluționează în 30 de zile de la înregistrare (OG 27/2002).", evidence: "Din 40 de petiții verificate, 12 au primit răspuns după termenul legal de 30 de zile, fără prelungire comunicată petentului."},
			{kind: "observation", clause: "9.1.2", evidence: "Chestionarul de satisfacție nu este oferit petenților care depun online."}},
		summary: "Au fost verificate prin eșantionare 40 de petiții înregistrate în ultimele șase luni.", conclusions: "Procesul nu asigură respectarea termenului legal: neconformitate majoră. Se recomandă urmărirea termenelor în Cadran."},
	{unit: "sitl", process: "Impozite și taxe locale", title: "Auditul stabilirii și încasării impozitelor locale", month: 4, day: 20, days: 3,
		clauses: []string{"6.1", "8.5.1", "7.5.3"}, procs: []string{"PO-DE-SITL-01"}, lead: "auditor", auditees: "Șeful Serviciului Impozite și Taxe Locale; inspectorii",
		findings: []demoFinding{{kind: "observation", clause: "6.1", evidence: "Registrul riscurilor serviciului nu include riscul erorilor la preluarea plăților online."}},
		summary:  "Au fost verificate 25 de dosare fiscale și registrul riscurilor serviciului.", conclusions: "Procesul este implementat; o observație privind identificarea riscurilor."},
	{unit: "du", process: "Autorizarea construcțiilor", title: "Auditul emiterii autorizațiilor de construire", month: 6, day: 8, days: 2,
		clauses: []string{"8.2", "8.5.1", "8.6"}, procs: []string{"PO-DU-01"}, lead: "capi2", auditees: "Arhitectul-șef; consilierii Serviciului Autorizări în Construcții",
		findings: []demoFinding{{kind: "minor", clause: "8.5.1", requirement: "Autorizația de construire se emite în 30 de zile de la depunerea documentației complete.", evidence: "Trei autorizații din eșantionul de 20 au fost emise în 34–41 de zile."}},
		summary:  "Eșantion de 20 de dosare de autorizare din semestrul I.", conclusions: "Procesul este implementat; o neconformitate minoră privind termenele."},
	{unit: "das", process: "Asistență socială", title: "Auditul acordării venitului minim de incluziune", month: 9, day: 14, days: 3,
		clauses: []string{"8.5.1", "7.2", "9.1.2"}, procs: []string{"PO-DAS-01"}, lead: "head:sru", team: []string{"auditor"}, auditees: "Directorul general DAS; șefii de serviciu",
		findings: []demoFinding{{kind: "opportunity", clause: "8.5.1", evidence: "Anchetele sociale ar putea fi completate direct pe tabletă, evitând transcrierea."}},
		summary:  "Au fost verificate 30 de dosare și evidența instruirilor personalului.", conclusions: "Procesul este conform; o oportunitate de îmbunătățire privind digitalizarea anchetelor sociale."},
	{unit: "sru", process: "Resurse umane", title: "Auditul recrutării personalului contractual", month: 10, day: 12, days: 2,
		clauses: []string{"7.1.2", "7.2", "7.3"}, procs: []string{"PO-SRU-01"}, lead: "auditor", auditees: "Șeful Serviciului Resurse Umane; consilierii serviciului",
		summary: "Au fost verificate dosarele a patru concursuri și planul de perfecționare.", conclusions: "Procesul este conform cerințelor; nicio constatare."},
	{unit: "cap", process: "Achiziții publice", title: "Auditul achizițiilor directe", month: 11, day: 9, days: 2,
		clauses: []string{"8.4", "7.5.3"}, procs: []string{"PO-CAP-01"}, lead: "bcim2", auditees: "Consilierii achiziții publice",
		findings: []demoFinding{{kind: "minor", clause: "8.4", requirement: "Furnizorii se evaluează anual după criteriile stabilite.", evidence: "Evaluarea anuală a furnizorilor nu a fost efectuată pentru cinci contracte de servicii."}},
		summary:  "Au fost verificate 30 de achiziții directe din anul curent.", conclusions: "Procesul este implementat, cu o neconformitate minoră privind evaluarea furnizorilor."},
}

var thisYearAudits = []demoAudit{
	{unit: "srpr", process: "Soluționarea petițiilor", title: "Auditul procesului de soluționare a petițiilor", month: 2, day: 9, days: 2,
		clauses: []string{"8.2", "8.5.1", "9.1.2", "10.2"}, procs: []string{"PO-SRPR-01", "PO-SRPR-02"}, lead: "bcim2", team: []string{"auditor"},
		auditees: "Șeful Serviciului Relații cu Publicul și Registratură; referenții de la registratură",
		findings: []demoFinding{{kind: "minor", clause: "8.5.1", requirement: "Solicitările de informații de interes public primesc răspuns în 10 zile.", evidence: "Două solicitări din 25 au primit răspuns în a 12-a zi, fără notificarea prelungirii."}},
		summary:  "Urmărirea neconformității majore de anul trecut și verificarea solicitărilor de informații publice.", conclusions: "Termenele petițiilor sunt acum urmărite; acțiunile corective sunt în curs. O neconformitate minoră privind informațiile de interes public."},
	{unit: "bcim", process: "Managementul calității", title: "Auditul proceselor sistemului de management al calității", month: 3, day: 9, days: 2,
		clauses: []string{"4.4", "7.5.3", "9.2", "9.3", "10.2"}, procs: []string{"PS-01", "PS-04", "PS-05"}, lead: "auditor", team: []string{"capi2"},
		auditees: "Șeful Biroului Control Intern Managerial și Managementul Calității; consilierii biroului",
		findings: []demoFinding{{kind: "observation", clause: "9.3", evidence: "Minuta analizei efectuate de management nu precizează termenele tuturor acțiunilor hotărâte."}},
		summary:  "Verificarea documentelor sistemului, a analizei efectuate de management și a registrului riscurilor.", conclusions: "Sistemul este implementat și menținut; o observație privind minuta analizei."},
	{unit: "sitl", process: "Impozite și taxe locale", title: "Auditul stabilirii și încasării impozitelor locale", month: 4, day: 13, days: 3,
		clauses: []string{"6.1", "8.5.1", "7.5.3", "9.1.2"}, procs: []string{"PO-DE-SITL-01"}, lead: "capi2", auditees: "Șeful Serviciului Impozite și Taxe Locale; inspectorii",
		findings: []demoFinding{{kind: "major", clause: "8.5.1", requirement: "Majorarea impozitului pentru clădirile neîngrijite se aplică pe baza HCL în vigoare.", evidence: "Majorarea aprobată prin HCL nu a fost aplicată pentru 18 clădiri constatate ca neîngrijite, din lipsa proceselor-verbale transmise de urbanism."}},
		summary:  "Au fost verificate 30 de dosare fiscale și fluxul de documente cu Direcția Urbanism.", conclusions: "Neconformitate majoră privind aplicarea majorărilor: venituri nerealizate. Se cere analiza cauzelor cu Direcția Urbanism."},
	{unit: "de", process: "Execuția bugetară", title: "Auditul angajării, lichidării, ordonanțării și plății cheltuielilor", month: 5, day: 11, days: 2,
		clauses: []string{"8.1", "8.4", "7.5.3"}, procs: []string{"PO-DE-01"}, lead: "auditor", team: []string{"bcim2"}, auditees: "Directorul executiv al Direcției Economice; șefii de serviciu",
		findings: []demoFinding{{kind: "minor", clause: "7.5.3", requirement: "Documentele justificative se predau contabilității în 5 zile lucrătoare.", evidence: "Patru facturi au fost predate după 9–15 zile lucrătoare."}},
		summary:  "Eșantion de 40 de ordonanțări de plată.", conclusions: "Procesul este implementat; o neconformitate minoră privind circuitul documentelor."},
	{unit: "du", process: "Autorizarea construcțiilor", title: "Auditul emiterii autorizațiilor și certificatelor de urbanism", month: 6, day: 15, days: 2,
		clauses: []string{"8.2", "8.5.1", "8.6"}, procs: []string{"PO-DU-01", "PO-DU-02"}, lead: "capi2", auditees: "Arhitectul-șef; consilierii Serviciului Autorizări în Construcții",
		findings: []demoFinding{{kind: "opportunity", clause: "8.2", evidence: "Lista documentelor necesare ar putea fi publicată ca formular interactiv pe pagina de internet."}},
		summary:  "Urmărirea neconformității minore de anul trecut și eșantion de 20 de dosare.", conclusions: "Termenele sunt respectate; acțiunea corectivă de anul trecut este eficace."},
	{unit: "cap", process: "Achiziții publice", title: "Auditul achizițiilor directe și al evaluării furnizorilor", month: 7, day: 13, days: 2,
		clauses: []string{"8.4", "7.5.3", "6.1"}, procs: []string{"PO-CAP-01"}, lead: "bcim2", auditees: "Consilierii achiziții publice",
		findings: []demoFinding{{kind: "minor", clause: "6.1", requirement: "Riscurile procesului se revizuiesc semestrial.", evidence: "Revizuirea semestrială a riscurilor compartimentului nu a fost făcută în semestrul I."}},
		summary:  "Verificarea evaluării furnizorilor și a registrului riscurilor.", conclusions: "Evaluarea furnizorilor este acum făcută; o neconformitate minoră privind revizuirea riscurilor."},
	{unit: "srpr", process: "Soluționarea petițiilor", title: "Al doilea audit al anului: soluționarea petițiilor", month: 9, day: 14, days: 1,
		clauses: []string{"8.5.1", "10.2"}, procs: []string{"PO-SRPR-01"}, lead: "auditor", auditees: "Șeful Serviciului Relații cu Publicul și Registratură",
		summary: "Audit de urmărire, cerut de regula programului după neconformitatea majoră de anul trecut.", conclusions: "Termenul legal al petițiilor este respectat în eșantionul verificat; nicio constatare."},
	{unit: "spclep", process: "Stare civilă", title: "Auditul înregistrării nașterilor", month: 10, day: 12, days: 2,
		clauses: []string{"8.5.1", "8.5", "7.1.3"}, procs: []string{"PO-SPCLEP-01"}, lead: "capi2", auditees: "Șeful Serviciului Public Comunitar Local de Evidență a Persoanelor",
		findings: []demoFinding{{kind: "observation", clause: "7.1.3", evidence: "Spațiul de arhivare a registrelor de stare civilă este aproape plin."}},
		summary:  "Verificarea a 30 de acte de naștere și a arhivei.", conclusions: "Procesul este conform; o observație privind spațiul de arhivare."},
	{unit: "das", process: "Asistență socială", title: "Auditul acordării beneficiilor sociale", month: 11, day: 18, days: 10,
		clauses: []string{"8.5.1", "7.2", "9.1.2"}, procs: []string{"PO-DAS-01", "PO-DAS-02"}, lead: "head:sru", team: []string{"auditor"}, auditees: "Directorul general DAS; șefii de serviciu",
		findings: []demoFinding{{kind: "minor", clause: "7.2", requirement: "Asistenții personali urmează anual cursul de formare obligatoriu.", evidence: "Pentru 6 din 20 de asistenți personali nu există dovada cursului anual."}}},
	{unit: "sru", process: "Resurse umane", title: "Auditul perfecționării profesionale", month: 12, day: 7, days: 2,
		clauses: []string{"7.1.2", "7.2", "7.3"}, procs: []string{"PO-SRU-01"}, lead: "auditor", auditees: "Șeful Serviciului Resurse Umane"},
	{unit: "sitl", process: "Impozite și taxe locale", title: "Al doilea audit al anului: impozitele locale", month: 12, day: 14, days: 2,
		clauses: []string{"6.1", "8.5.1"}, procs: []string{"PO-DE-SITL-01"}, lead: "capi2", auditees: "Șeful Serviciului Impozite și Taxe Locale"},
}

// auditSeeder plays the demo audits.
type auditSeeder struct {
	s       *seeder
	ctx     context.Context
	clk     *clock.Fixed
	svc     *audits.Service
	improve *improvement.Service
	qm      auth.Actor
	now     time.Time
	tenant  int64
	unitIDs map[string]int64
	people  map[string]org.Person
	actors  map[string]auth.Actor // auditors by key
	persons map[string]int64      // auditors' people by key
	procs   map[string]int64      // procedures in force by code
	lastOf  map[string]int64      // the last audit of each unit key
	created int
}

func (as *auditSeeder) at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 8, 0, 0, 0, time.UTC)
}

// audits creates a year of internal audits: the programme, plans, checklists, findings raised as nonconformities and reports.
func (s *seeder) audits(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	imp := &improvement.Service{DB: s.db, Clock: clk, Work: ws}
	as := &auditSeeder{s: s, ctx: ctx, clk: clk, svc: &audits.Service{DB: s.db, Clock: clk, Work: ws, Improve: imp}, improve: imp, now: now, tenant: tenant,
		unitIDs: unitIDs, people: people, actors: map[string]auth.Actor{}, persons: map[string]int64{}, procs: map[string]int64{}, lastOf: map[string]int64{}}
	var err error
	if as.qm, err = s.users.ActorByID(ctx, users["calitate"]); err != nil {
		return 0, fmt.Errorf("cannot act as the demo quality manager: %w", err)
	}
	if err := as.register(users); err != nil {
		return 0, err
	}
	opts, err := as.svc.ProcedureOptions(ctx, as.qm)
	if err != nil {
		return 0, err
	}
	for _, p := range opts {
		as.procs[p.Code] = p.ID
	}
	year := work.Day(now).Year()
	last := year - 1
	// Last year's programme, approved in January, and its audits.
	clk.Set(as.at(last, time.January, 15))
	if _, err := as.svc.CreateProgramme(ctx, as.qm, last, "Programul anual de audit intern, aprobat prin dispoziția primarului. Toate procesele sistemului se auditează cel puțin o dată în ciclul de certificare."); err != nil {
		return 0, fmt.Errorf("cannot create the demo programme of %d: %w", last, err)
	}
	items := map[string][]int64{}
	for _, a := range lastYearAudits {
		it, err := as.svc.AddProgrammeItem(ctx, as.qm, last, audits.ProgrammeItemInput{UnitID: unitIDs[a.unit], Process: a.process, Month: a.month, Clauses: a.clauses})
		if err != nil {
			return 0, fmt.Errorf("cannot plan the demo audit of %s: %w", a.unit, err)
		}
		items[a.unit] = append(items[a.unit], it.ID)
	}
	if err := as.approve(last, as.at(last, time.January, 20)); err != nil {
		return 0, err
	}
	for _, a := range lastYearAudits {
		item := items[a.unit][0]
		items[a.unit] = items[a.unit][1:]
		if err := as.play(a, last, item, as.at(last, time.January, 22)); err != nil {
			return as.created, err
		}
	}
	// This year's programme: started from last year's in January, after
	// the risk register's yearly review, kept to this year's audits, then
	// approved.
	startAt := as.at(year, time.January, 14)
	if lim := now.Add(-36 * time.Hour); !startAt.Before(lim) {
		startAt = lim
	}
	clk.Set(startAt)
	if _, err := as.svc.StartNext(ctx, as.qm, last); err != nil {
		return as.created, fmt.Errorf("cannot start the demo programme of %d: %w", year, err)
	}
	v, err := as.svc.ProgrammeView(ctx, as.qm, year)
	if err != nil {
		return as.created, err
	}
	byUnit := map[int64][]audits.ProgrammeItem{}
	for _, it := range v.Items {
		byUnit[it.UnitID] = append(byUnit[it.UnitID], it)
	}
	thisItems := make([]int64, len(thisYearAudits))
	for k, a := range thisYearAudits {
		u := unitIDs[a.unit]
		in := audits.ProgrammeItemInput{UnitID: u, Process: a.process, Month: a.month, Clauses: a.clauses}
		if rows := byUnit[u]; len(rows) > 0 {
			it := rows[0]
			byUnit[u] = rows[1:]
			in.Version = it.Version
			if _, err := as.svc.UpdateProgrammeItem(ctx, as.qm, year, it.ID, in); err != nil {
				return as.created, fmt.Errorf("cannot adjust the demo programme: %w", err)
			}
			thisItems[k] = it.ID
			continue
		}
		it, err := as.svc.AddProgrammeItem(ctx, as.qm, year, in)
		if err != nil {
			return as.created, err
		}
		thisItems[k] = it.ID
	}
	// The rows the proposal carried for units this year's programme does
	// not cover; the second audits the rule asks of units it covers stay,
	// some of them not held (the review sees the programme's coverage).
	covered := map[int64]bool{}
	for _, a := range thisYearAudits {
		covered[unitIDs[a.unit]] = true
	}
	for u, rows := range byUnit {
		if covered[u] {
			continue
		}
		for _, it := range rows {
			if err := as.svc.DeleteProgrammeItem(ctx, as.qm, year, it.ID); err != nil {
				return as.created, err
			}
		}
	}
	approveAt := startAt.Add(6 * 24 * time.Hour)
	if lim := now.Add(-24 * time.Hour); !approveAt.Before(lim) {
		approveAt = startAt.Add(time.Hour)
	}
	if err := as.approve(year, approveAt); err != nil {
		return as.created, err
	}
	for k, a := range thisYearAudits {
		if err := as.play(a, year, thisItems[k], approveAt.Add(time.Hour)); err != nil {
			return as.created, err
		}
	}
	return as.created, nil
}

// register fills the auditor register: the demo auditor, the other
// internal auditor of the audit compartment, the quality office's second
// counsellor and the head of human resources.
func (as *auditSeeder) register(users map[string]int64) error {
	ctx := as.ctx
	other := func(unit string, not int64) (org.Person, error) {
		ps, _, err := as.s.orgs.People(ctx, as.qm, org.PeopleFilter{UnitID: as.unitIDs[unit], Limit: 100})
		if err != nil {
			return org.Person{}, err
		}
		for _, p := range ps {
			if p.ID != not && p.UnitID == as.unitIDs[unit] && p.Position == org.PositionExecution {
				return p, nil
			}
		}
		return org.Person{}, fmt.Errorf("no second person in the demo unit %s", unit)
	}
	capi2, err := other("capi", as.people["auditor"].ID)
	if err != nil {
		return err
	}
	bcim2, err := other("bcim", as.people["calitate"].ID)
	if err != nil {
		return err
	}
	persons := map[string]org.Person{"auditor": as.people["auditor"], "capi2": capi2, "bcim2": bcim2, "head:sru": as.people["head:sru"]}
	today := work.Day(as.now)
	as.clk.Set(as.at(today.Year()-1, time.January, 8))
	for _, key := range demoAuditorOrder {
		p := persons[key]
		au, err := as.svc.RegisterAuditor(ctx, as.qm, audits.AuditorInput{PersonID: p.ID})
		if err != nil {
			return fmt.Errorf("cannot register the demo auditor %s: %w", p.FullName, err)
		}
		for _, q := range demoAuditorQuals[key] {
			in := audits.QualificationInput{Name: q.name, Issuer: q.issuer, CertificateNo: q.cert, Hours: q.hours, IssuedOn: today.AddDate(0, 0, -q.issuedAgo).Format(time.DateOnly)}
			if q.expiresIn != 0 {
				in.ExpiresOn = today.AddDate(0, 0, q.expiresIn).Format(time.DateOnly)
			}
			if issued := today.AddDate(0, 0, -q.issuedAgo).Add(10 * time.Hour); issued.After(as.at(today.Year()-1, time.January, 8)) {
				as.clk.Set(issued)
			}
			if _, err := as.svc.AddQualification(ctx, as.qm, au.ID, in); err != nil {
				return fmt.Errorf("cannot record a demo qualification: %w", err)
			}
			as.clk.Set(as.at(today.Year()-1, time.January, 8))
		}
		as.persons[key] = p.ID
		if key == "auditor" {
			if as.actors[key], err = as.s.users.ActorByID(ctx, users["auditor"]); err != nil {
				return err
			}
			// The demo auditor reads English; their records stay Romanian.
			as.actors[key] = withLocale(as.actors[key], "ro")
		} else {
			as.actors[key] = auth.Actor{Tenant: as.tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{auth.RoleAuditor}, Locale: "ro"}
		}
	}
	return nil
}

func withLocale(a auth.Actor, l string) auth.Actor { a.Locale = l; return a }

// approve approves year's programme at when.
func (as *auditSeeder) approve(year int, when time.Time) error {
	as.clk.Set(when)
	p, err := as.svc.Programme(as.ctx, as.qm, year)
	if err != nil {
		return err
	}
	_, err = as.svc.StepProgramme(as.ctx, as.qm, year, audits.ProgrammeStepInput{Action: audits.ActApprove, Version: p.Version})
	return err
}

// play plans one audit at planned and carries it as far as today allows:
// started on its first day, the checklist filled and findings recorded
// during it, the fieldwork finished on its last day, the report issued a
// few days later.
func (as *auditSeeder) play(a demoAudit, year int, item int64, planned time.Time) error {
	ctx := as.ctx
	start := time.Date(year, time.Month(a.month), a.day, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 0, a.days-1)
	planAt := start.AddDate(0, 0, -21).Add(9 * time.Hour)
	if planAt.Before(planned) {
		planAt = planned
	}
	if !planAt.Before(as.now) {
		planAt = as.now.Add(-time.Hour)
	}
	as.clk.Set(planAt)
	in := audits.PlanInput{ItemID: item, Title: a.title, UnitID: as.unitIDs[a.unit], Process: a.process, Scope: a.title + ": " + a.process + ".", Criteria: demoCriteria,
		Clauses: a.clauses, LeadID: as.persons[a.lead], Auditees: a.auditees, StartOn: start.Format(time.DateOnly), EndOn: end.Format(time.DateOnly),
		PreviousID: as.lastOf[a.unit]}
	for _, t := range a.team {
		in.Team = append(in.Team, as.persons[t])
	}
	for _, code := range a.procs {
		if id, ok := as.procs[code]; ok {
			in.Procedures = append(in.Procedures, id)
		}
	}
	in.Agenda = []audits.AgendaRow{
		{Day: start.Format(time.DateOnly), Time: "09:00", Activity: "Ședința de deschidere", People: "echipa de audit; conducătorul compartimentului"},
		{Day: start.Format(time.DateOnly), Time: "10:00", Activity: "Interviuri și verificarea înregistrărilor", People: a.auditees},
		{Day: end.Format(time.DateOnly), Time: "14:00", Activity: "Ședința de închidere: prezentarea constatărilor", People: "echipa de audit; conducătorul compartimentului"},
	}
	x, err := as.svc.Create(ctx, as.qm, in)
	if err != nil {
		return fmt.Errorf("cannot plan the demo audit %q: %w", a.title, err)
	}
	as.created++
	as.lastOf[a.unit] = x.ID
	if _, err := as.svc.Generate(ctx, as.qm, x.ID); err != nil {
		return err
	}
	lead := as.actors[a.lead]
	startAt := start.Add(7 * time.Hour)
	if !startAt.Before(as.now) {
		return nil // planned
	}
	as.clk.Set(startAt)
	if x, err = as.svc.Step(ctx, lead, x.ID, audits.StepInput{Action: audits.ActStart, Version: x.Version}); err != nil {
		return fmt.Errorf("cannot start the demo audit %s: %w", x.Code, err)
	}
	items, err := as.svc.Checklist(ctx, lead, x.ID)
	if err != nil {
		return err
	}
	// During the fieldwork: the verdicts (all of them once it is over, the
	// first half while under way) and the findings.
	fieldAt := start.Add(13 * time.Hour)
	if !fieldAt.Before(as.now) {
		fieldAt = as.now.Add(-30 * time.Minute)
	}
	as.clk.Set(fieldAt)
	endAt := end.Add(15 * time.Hour)
	over := endAt.Before(as.now)
	n := len(items)
	if !over {
		n = len(items) / 2
	}
	bad := map[string]string{}
	for _, f := range a.findings {
		if _, ok := bad[f.clause]; !ok {
			bad[f.clause] = f.kind
		}
	}
	var ups []audits.ItemUpdate
	itemOf := map[string]int64{}
	for k, it := range items[:n] {
		up := audits.ItemUpdate{ID: it.ID, Question: it.Question, Verdict: audits.VerdictConform, Version: it.Version,
			Evidence: fmt.Sprintf("Verificat prin eșantionare: %d dosare; interviu cu persoanele auditate.", 5+k%4*5)}
		if kind, ok := bad[it.Clause]; ok && itemOf[it.Clause] == 0 {
			up.Verdict = kind
			up.Evidence = "Vezi constatarea înregistrată pentru această cerință."
			itemOf[it.Clause] = it.ID
		}
		if it.Source == audits.SourceFollowUp {
			up.Notes = "Acțiunile corective sunt în curs; termenul este urmărit în registrul neconformităților."
		}
		ups = append(ups, up)
	}
	if len(ups) > 0 {
		if _, err := as.svc.SaveItems(ctx, lead, x.ID, ups); err != nil {
			return fmt.Errorf("cannot fill the demo checklist of %s: %w", x.Code, err)
		}
	}
	for _, f := range a.findings {
		if !over && itemOf[f.clause] == 0 {
			continue // not found yet
		}
		fd, err := as.svc.RecordFinding(ctx, lead, x.ID, audits.FindingInput{Kind: f.kind, Clause: f.clause, Requirement: f.requirement, Evidence: f.evidence, ItemID: itemOf[f.clause]})
		if err != nil {
			return fmt.Errorf("cannot record a demo finding of %s: %w", x.Code, err)
		}
		if err := as.followCase(fd, year); err != nil {
			return err
		}
	}
	if !over {
		return nil // under way
	}
	as.clk.Set(endAt)
	if x, err = as.svc.Audit(ctx, lead, x.ID); err != nil {
		return err
	}
	if x, err = as.svc.Step(ctx, lead, x.ID, audits.StepInput{Action: audits.ActFinish, Version: x.Version}); err != nil {
		return err
	}
	reportAt := end.AddDate(0, 0, 4).Add(11 * time.Hour)
	if !reportAt.Before(as.now) {
		return nil // the report is being written
	}
	as.clk.Set(reportAt)
	summary, conclusions := a.summary, a.conclusions
	if conclusions == "" {
		summary, conclusions = "Auditul s-a desfășurat conform planului.", "Procesul este implementat și menținut."
	}
	if x, err = as.svc.SaveReport(ctx, lead, x.ID, audits.ReportInput{Summary: summary, Conclusions: conclusions,
		Distribution: "Primar; conducătorul compartimentului auditat; responsabilul cu managementul calității", Version: x.Version}); err != nil {
		return err
	}
	if _, err = as.svc.Step(ctx, lead, x.ID, audits.StepInput{Action: audits.ActClose, Version: x.Version}); err != nil {
		return fmt.Errorf("cannot close the demo audit %s: %w", x.Code, err)
	}
	return nil
}

// followCase moves a finding's case along as the quality office would:
// accepted a week later; last year's cases analysed, corrected and closed
// once found effective, except a major one still under corrective action.
func (as *auditSeeder) followCase(f audits.Finding, year int) error {
	ctx := as.ctx
	back := as.clk.Now()
	defer as.clk.Set(back)
	acceptAt := back.AddDate(0, 0, 7)
	if !acceptAt.Before(as.now) {
		return nil
	}
	as.clk.Set(acceptAt)
	n, err := as.improve.Nonconformity(ctx, as.qm, f.NCID)
	if err != nil {
		return err
	}
	if n, err = as.improve.Step(ctx, as.qm, n.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: as.people["calitate"].ID, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot accept the demo case %s: %w", n.Code, err)
	}
	lastYear := year < work.Day(as.now).Year()
	if !lastYear || f.Kind == audits.FindingObservation || f.Kind == audits.FindingOpportunity {
		return nil
	}
	as.clk.Set(acceptAt.AddDate(0, 0, 5))
	if n, err = as.improve.SaveAnalysis(ctx, as.qm, n.ID, improvement.AnalysisInput{Analysis: improvement.Analysis{
		Whys:       []improvement.Why{{Why: "De ce nu a fost respectată cerința?", Because: "Termenele nu erau urmărite sistematic."}},
		Causes:     []improvement.Cause{{Category: improvement.CatMethods, Cause: "Lipsa unui instrument de urmărire a termenelor", Root: true}},
		Conclusion: "Cauza principală: termenele se urmăreau manual, fără alertă."}, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot analyse the demo case: %w", err)
	}
	due := work.Day(as.clk.Now()).AddDate(0, 1, 0).Format(time.DateOnly)
	act, err := as.improve.AddAction(ctx, as.qm, n.ID, improvement.ActionInput{Description: "Urmărirea termenelor în Cadran, cu notificări automate la 5 zile înainte de scadență", OwnerID: as.people["calitate"].ID, DueOn: due})
	if err != nil {
		return fmt.Errorf("cannot plan the demo action: %w", err)
	}
	if n, err = as.improve.Nonconformity(ctx, as.qm, n.ID); err != nil {
		return err
	}
	if n, err = as.improve.Step(ctx, as.qm, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot plan the demo case: %w", err)
	}
	if f.Kind == audits.FindingMajor {
		return nil // its actions are still under way: followed up this year
	}
	doneAt := acceptAt.AddDate(0, 0, 25)
	checkAt := doneAt.AddDate(0, 0, 30)
	if !checkAt.Before(as.now) {
		return nil
	}
	as.clk.Set(doneAt)
	view, err := as.improve.Open(ctx, as.qm, n.ID)
	if err != nil {
		return err
	}
	for _, x := range view.Actions {
		if x.ID == act.ID {
			act = x
		}
	}
	if _, err := as.improve.CompleteAction(ctx, as.qm, n.ID, act.ID, improvement.DoneInput{Note: "Realizată; termenele sunt urmărite automat.", Version: act.Version}); err != nil {
		return fmt.Errorf("cannot complete the demo action: %w", err)
	}
	if n, err = as.improve.Nonconformity(ctx, as.qm, n.ID); err != nil {
		return err
	}
	// The internal auditor, who has a sign-in, checks the effectiveness.
	checker := as.persons["auditor"]
	if n, err = as.improve.Step(ctx, as.qm, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: checker, CheckOn: work.Day(checkAt).Format(time.DateOnly), Version: n.Version}); err != nil {
		return fmt.Errorf("cannot plan the demo check: %w", err)
	}
	as.clk.Set(checkAt)
	if _, err = as.improve.Step(ctx, as.actors["auditor"], n.ID, improvement.StepInput{Action: improvement.ActEffective, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot check the demo case: %w", err)
	}
	return nil
}
