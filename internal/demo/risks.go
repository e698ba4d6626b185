package demo

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/work"
)

// The demo municipality's register of risks and opportunities: last year's
// register, kept and reviewed through the year, and this year's, started
// from it in January, so the register shows what is new and what changed;
// control measures (some overdue), reviews, alerts waiting for the risk
// management team, a declined alert and closed risks. It is played on a
// clock of its own through the risks service, so every step is audited and
// hands out its inbox tasks as it would have.

// riskSpec is one entry of the demo register and its story.
type riskSpec struct {
	kind                   string // "" is a risk
	unit                   string // key of the unit
	objective, description string
	causes, consequences   string
	p, i                   int
	strategy               string
	measures               []string
	// rp, ri: the residual score at last year's summer review (0: none).
	rp, ri int
	// escalate puts it in the institution's consolidated register.
	escalate bool
	// story: "" carried into this year; "closed" closed last autumn; "new"
	// reported this year; "proposed" an alert waiting for a decision;
	// "declined" an alert found not relevant.
	story string
	// raise, when set, is this year's new inherent score (P, I), after
	// the carry: the entry shows as changed.
	raise [2]int
	// reason is why it was closed or declined.
	reason string
}

var demoRisks = []riskSpec{
	// Direcția Economică: impozite și taxe, buget, contabilitate.
	{unit: "sitl", objective: "Realizarea veniturilor proprii din impozite și taxe locale", description: "Neîncasarea la termen a impozitelor și taxelor locale datorate de persoanele juridice",
		causes: "Evidență fiscală neactualizată; contribuabili în insolvență; executare silită începută târziu", consequences: "Venituri proprii sub prevederile bugetare; arierate",
		p: 4, i: 4, strategy: "treat", measures: []string{"Inventarierea lunară a debitorilor restanți peste 90 de zile", "Emiterea somațiilor în cel mult 30 de zile de la scadență"}, rp: 3, ri: 4, escalate: true, raise: [2]int{5, 4}},
	{unit: "bpf", objective: "Stabilirea corectă a impozitului pe clădiri al persoanelor fizice", description: "Stabilirea eronată a impozitului pe clădiri din cauza datelor incomplete din declarații",
		causes: "Lipsa verificării pe teren; neconcordanțe cu cartea funciară", consequences: "Diferențe de impunere, contestații, pierderi de venituri",
		p: 3, i: 3, strategy: "treat", measures: []string{"Verificarea încrucișată a declarațiilor cu extrasele de carte funciară"}, rp: 2, ri: 3},
	{unit: "bpj", objective: "Controlul fiscal al persoanelor juridice", description: "Neefectuarea inspecțiilor fiscale planificate la persoanele juridice",
		causes: "Personal insuficient în birou; volum mare de corespondență", consequences: "Evaziune fiscală nedescoperită",
		p: 3, i: 4, strategy: "treat", measures: []string{"Planificarea trimestrială a inspecțiilor pe criterii de risc fiscal"}, rp: 3, ri: 3},
	{unit: "sbf", objective: "Execuția bugetară în limita creditelor aprobate", description: "Angajarea de cheltuieli fără viza de control financiar preventiv propriu",
		causes: "Circuitul documentelor nerespectat; presiunea termenelor", consequences: "Cheltuieli nelegale, răspundere financiară",
		p: 2, i: 5, strategy: "treat", measures: []string{"Registrul propunerilor de angajare ținut electronic", "Instruirea anuală a personalului cu atribuții de angajare"}, rp: 2, ri: 4, escalate: true},
	{unit: "sbf", objective: "Fundamentarea bugetului local", description: "Supraestimarea veniturilor la fundamentarea bugetului local",
		causes: "Estimări bazate pe încasările istorice fără analiza restanțelor", consequences: "Deficit bugetar, blocaje la plată",
		p: 3, i: 4, strategy: "monitor", measures: []string{"Analiza trimestrială a execuției veniturilor și rectificarea bugetului"}, rp: 3, ri: 3},
	{unit: "sc", objective: "Organizarea și conducerea contabilității", description: "Înregistrarea cu întârziere în contabilitate a documentelor justificative",
		causes: "Documente predate tardiv de compartimente", consequences: "Situații financiare inexacte",
		p: 3, i: 2, strategy: "accept", measures: []string{"Termen intern de predare a documentelor: 5 zile lucrătoare"}, rp: 2, ri: 2},
	{unit: "sc", objective: "Inventarierea anuală a patrimoniului", description: "Inventarierea incompletă a bunurilor din domeniul public",
		causes: "Lipsa evidenței tehnico-operative la unele compartimente", consequences: "Diferențe între evidența contabilă și cea faptică",
		p: 3, i: 3, strategy: "treat", measures: []string{"Actualizarea inventarului domeniului public aprobat prin HCL"}, story: "closed", reason: "Inventarul a fost actualizat și aprobat; riscul este preluat de Compartimentul Administrarea Domeniului Public și Privat."},
	// Achiziții publice.
	{unit: "cap", objective: "Atribuirea contractelor de achiziție publică", description: "Atribuirea contractelor de achiziție publică fără respectarea procedurii legale",
		causes: "Caiete de sarcini cu cerințe restrictive; presiunea termenelor de finanțare", consequences: "Corecții financiare, anularea procedurii, prejudiciu de imagine",
		p: 3, i: 5, strategy: "treat", measures: []string{"Verificarea caietelor de sarcini de către un al doilea consilier", "Publicarea planului anual al achizițiilor pe site"}, rp: 2, ri: 5, escalate: true},
	{unit: "cap", objective: "Realizarea programului anual al achizițiilor publice", description: "Divizarea artificială a achizițiilor pentru evitarea procedurii competitive",
		causes: "Necesități comunicate fragmentat de compartimente", consequences: "Încălcarea Legii 98/2016, sancțiuni",
		p: 2, i: 4, strategy: "treat", measures: []string{"Centralizarea referatelor de necesitate până la 31 ianuarie"}, rp: 2, ri: 3},
	{unit: "cap", objective: "Derularea contractelor de achiziție", description: "Conflict de interese nedeclarat în comisiile de evaluare",
		causes: "Declarații de imparțialitate completate formal", consequences: "Anularea atribuirii, răspundere penală",
		p: 2, i: 5, strategy: "avoid", measures: []string{"Verificarea declarațiilor în sistemul PREVENT"}, rp: 1, ri: 5},
	// Urbanism.
	{unit: "sac", objective: "Emiterea autorizațiilor de construire în termenul legal", description: "Emiterea autorizațiilor de construire peste termenul legal de 30 de zile",
		causes: "Documentații incomplete; avize întârziate; un singur consilier pe post", consequences: "Reclamații, acțiuni în contencios, pierderea încrederii cetățenilor",
		p: 4, i: 3, strategy: "treat", measures: []string{"Registru electronic al cererilor cu alertă la 20 de zile", "Listă de verificare a documentației la depunere"}, rp: 3, ri: 3, raise: [2]int{4, 4}},
	{unit: "sac", objective: "Emiterea certificatelor de urbanism", description: "Emiterea certificatelor de urbanism cu date neactualizate din PUG",
		causes: "Planul urbanistic general expirat", consequences: "Autorizări contrare reglementărilor urbanistice",
		p: 3, i: 4, strategy: "transfer", measures: []string{"Contractarea actualizării PUG"}, rp: 3, ri: 4},
	{unit: "cdc", objective: "Disciplina în construcții", description: "Nedepistarea construcțiilor executate fără autorizație",
		causes: "Controale rare pe teren; un singur inspector", consequences: "Construcții ilegale, riscuri pentru siguranța cetățenilor",
		p: 4, i: 3, strategy: "treat", measures: []string{"Program lunar de control pe zone", "Colaborarea cu Poliția Locală pentru sesizări"}, rp: 3, ri: 3},
	// Asistență socială.
	{unit: "sbs", objective: "Acordarea beneficiilor de asistență socială", description: "Acordarea necuvenită a ajutorului social pe baza unor declarații nereale",
		causes: "Verificare insuficientă a veniturilor; anchete sociale formale", consequences: "Plăți necuvenite, recuperări dificile",
		p: 3, i: 4, strategy: "treat", measures: []string{"Anchete sociale la domiciliu pentru toate dosarele noi", "Verificarea trimestrială a veniturilor prin ANAF"}, rp: 2, ri: 4},
	{unit: "spcf", objective: "Protecția copilului aflat în situație de risc", description: "Identificarea tardivă a copiilor aflați în situație de risc",
		causes: "Comunicare slabă cu școlile și medicii de familie", consequences: "Abuz sau neglijare nedescoperite la timp",
		p: 3, i: 5, strategy: "treat", measures: []string{"Protocol de colaborare cu unitățile de învățământ"}, rp: 2, ri: 5, escalate: true},
	{unit: "cpvd", objective: "Servicii pentru persoanele vârstnice", description: "Neevaluarea la termen a persoanelor vârstnice aflate în îngrijire la domiciliu",
		causes: "Număr mare de beneficiari pe asistent social", consequences: "Servicii neadaptate nevoilor",
		p: 3, i: 3, strategy: "monitor", measures: []string{"Calendar lunar al reevaluărilor"}, rp: 3, ri: 3},
	{unit: "sbs", objective: "Plata indemnizațiilor persoanelor cu handicap", description: "Întârzierea plății indemnizațiilor din lipsa sumelor defalcate",
		causes: "Alocarea întârziată a fondurilor de la bugetul de stat", consequences: "Plăți întârziate către beneficiari vulnerabili",
		p: 2, i: 4, strategy: "accept", measures: nil, story: "closed", reason: "Plata se face direct de Agenția Județeană pentru Plăți și Inspecție Socială; activitatea nu mai este în sarcina direcției."},
	// IT și protecția datelor.
	{unit: "ci", objective: "Securitatea sistemelor informatice", description: "Pierderea datelor din cauza unui atac informatic de tip ransomware",
		causes: "Copii de siguranță nesegregate; sisteme de operare fără actualizări", consequences: "Întreruperea serviciilor publice, pierderea evidențelor fiscale",
		p: 3, i: 5, strategy: "treat", measures: []string{"Copii de siguranță zilnice, păstrate offline", "Actualizarea lunară a sistemelor de operare", "Instruirea personalului privind mesajele de tip phishing"}, rp: 3, ri: 4, escalate: true, raise: [2]int{4, 5}},
	{unit: "ci", objective: "Protecția datelor cu caracter personal (GDPR)", description: "Divulgarea neautorizată a datelor cu caracter personal ale cetățenilor",
		causes: "Drepturi de acces nerevizuite; documente tipărite lăsate nesupravegheat", consequences: "Amenzi ANSPDCP, prejudiciu de imagine",
		p: 3, i: 4, strategy: "treat", measures: []string{"Revizuirea semestrială a drepturilor de acces", "Politica biroului curat"}, rp: 2, ri: 4},
	{unit: "ci", objective: "Continuitatea serviciilor electronice", description: "Indisponibilitatea portalului de plăți online peste 24 de ore",
		causes: "Un singur furnizor de găzduire; fără contract de mentenanță", consequences: "Cetățenii nu pot plăti online; aglomerație la ghișee",
		p: 2, i: 3, strategy: "transfer", measures: []string{"Contract de mentenanță cu timp de intervenție de 4 ore"}, rp: 2, ri: 2},
	// Resurse umane.
	{unit: "sru", objective: "Ocuparea posturilor vacante", description: "Ocuparea posturilor vacante cu personal fără competențele necesare",
		causes: "Fișe de post generale; concursuri cu puțini candidați", consequences: "Calitatea scăzută a serviciilor",
		p: 3, i: 3, strategy: "treat", measures: []string{"Revizuirea fișelor de post înaintea scoaterii la concurs"}, rp: 3, ri: 3},
	{unit: "sru", objective: "Perfecționarea profesională", description: "Neparticiparea funcționarilor publici la programe de perfecționare",
		causes: "Fonduri insuficiente alocate formării", consequences: "Aplicarea greșită a legislației noi",
		p: 4, i: 2, strategy: "monitor", measures: []string{"Planul anual de perfecționare aprobat până la 31 martie"}, rp: 3, ri: 2},
	{unit: "sru", objective: "Funcțiile sensibile", description: "Menținerea aceluiași funcționar peste 5 ani într-o funcție sensibilă",
		causes: "Personal insuficient pentru rotație", consequences: "Risc de fraudă și corupție",
		p: 3, i: 4, strategy: "treat", measures: []string{"Planul de rotație a personalului din funcțiile sensibile"}, rp: 3, ri: 4, escalate: true},
	// Poliția Locală.
	{unit: "sop", objective: "Menținerea ordinii publice", description: "Intervenția tardivă la sesizările cetățenilor privind tulburarea ordinii publice",
		causes: "Efective reduse în tura de noapte", consequences: "Nemulțumirea cetățenilor, incidente nesoluționate",
		p: 3, i: 3, strategy: "treat", measures: []string{"Dispecerat comun cu Poliția Municipiului"}, rp: 2, ri: 3},
	{unit: "bcr", objective: "Fluidizarea traficului rutier", description: "Aplicarea neuniformă a sancțiunilor contravenționale în trafic",
		causes: "Proceduri de lucru neactualizate", consequences: "Contestații admise în instanță",
		p: 2, i: 3, strategy: "treat", measures: []string{"Actualizarea procedurii de constatare a contravențiilor"}, rp: 2, ri: 2},
	// Domeniul public, juridic, registratură, stare civilă, audit.
	{unit: "cadp", objective: "Administrarea domeniului public și privat", description: "Ocuparea abuzivă a terenurilor din domeniul public",
		causes: "Inventar incomplet; controale rare", consequences: "Venituri pierdute din concesiuni și chirii",
		p: 3, i: 3, strategy: "treat", measures: []string{"Controale trimestriale pe teren cu Poliția Locală"}, rp: 3, ri: 2},
	{unit: "silp", objective: "Realizarea investițiilor publice", description: "Depășirea termenelor de execuție la lucrările finanțate din fonduri europene",
		causes: "Constructori subdimensionați; proiecte tehnice incomplete", consequences: "Pierderea finanțării nerambursabile",
		p: 4, i: 5, strategy: "treat", measures: []string{"Rapoarte lunare de progres de la dirigintele de șantier", "Aplicarea penalităților contractuale"}, rp: 3, ri: 5, escalate: true},
	{unit: "sjc", objective: "Apărarea intereselor instituției în instanță", description: "Depășirea termenelor procedurale în litigii",
		causes: "Comunicarea întârziată a actelor între compartimente", consequences: "Pierderea proceselor, cheltuieli de judecată",
		p: 2, i: 4, strategy: "treat", measures: []string{"Registru electronic al termenelor procedurale"}, rp: 1, ri: 4},
	{unit: "sapl", objective: "Comunicarea hotărârilor consiliului local", description: "Necomunicarea în termen a hotărârilor consiliului local către prefect",
		causes: "Flux manual de semnare", consequences: "Hotărâri inopozabile, controale ale prefecturii",
		p: 2, i: 3, strategy: "accept", measures: []string{"Borderou electronic de comunicare"}, rp: 1, ri: 3},
	{unit: "srpr", objective: "Înregistrarea și soluționarea petițiilor", description: "Depășirea termenului legal de 30 de zile pentru răspunsul la petiții",
		causes: "Repartizare întârziată; lipsa urmăririi termenelor", consequences: "Reclamații la Avocatul Poporului",
		p: 3, i: 3, strategy: "treat", measures: []string{"Urmărirea termenelor în Cadran, cu notificări automate"}, rp: 2, ri: 3},
	{unit: "spclep", objective: "Eliberarea actelor de identitate", description: "Eliberarea actelor de identitate pe baza unor documente false",
		causes: "Verificare vizuală insuficientă a documentelor", consequences: "Fraudă de identitate",
		p: 2, i: 5, strategy: "treat", measures: []string{"Instruire privind elementele de siguranță ale documentelor"}, rp: 1, ri: 5},
	{unit: "cra", objective: "Ținerea registrului agricol", description: "Date neactualizate în registrul agricol electronic",
		causes: "Declarații depuse cu întârziere de gospodării", consequences: "Adeverințe eliberate cu date eronate",
		p: 3, i: 2, strategy: "monitor", measures: []string{"Campanie anuală de informare a gospodăriilor"}, rp: 3, ri: 2},
	{unit: "capi", objective: "Realizarea planului de audit public intern", description: "Nerealizarea misiunilor de audit cuprinse în planul anual",
		causes: "Doi auditori pentru întreaga instituție și entitățile subordonate", consequences: "Activități neauditate în ciclul de 3 ani",
		p: 3, i: 3, strategy: "accept", measures: nil, rp: 3, ri: 3},
	{unit: "scri", objective: "Informarea publică", description: "Comunicarea publică eronată sau tardivă în situații de urgență",
		causes: "Lipsa unui plan de comunicare de criză; purtător de cuvânt unic", consequences: "Dezinformarea cetățenilor, prejudiciu de imagine",
		p: 2, i: 4, strategy: "treat", measures: []string{"Planul de comunicare în situații de urgență, aprobat prin dispoziție"}, rp: 2, ri: 3},
	{unit: "sjc", objective: "Legalitatea actelor administrative", description: "Modificări legislative frecvente nepreluate în procedurile operaționale",
		causes: "Lipsa monitorizării Monitorului Oficial pe domenii", consequences: "Acte emise în baza unor prevederi abrogate",
		p: 3, i: 3, strategy: "monitor", measures: []string{"Buletin legislativ săptămânal transmis compartimentelor"}, rp: 2, ri: 3},
	// This year: new risks, alerts waiting, a declined one.
	{unit: "ci", objective: "Securitatea sistemelor informatice", description: "Utilizarea de către angajați a instrumentelor de inteligență artificială publice pentru documente cu date personale",
		causes: "Lipsa unei reguli interne; instrumente gratuite ușor accesibile", consequences: "Transfer neautorizat de date cu caracter personal",
		p: 3, i: 4, strategy: "treat", measures: []string{"Dispoziție internă privind utilizarea instrumentelor de inteligență artificială"}, story: "new"},
	{unit: "cap", objective: "Atribuirea contractelor de achiziție publică", description: "Creșterea prețurilor peste valoarea estimată după atribuirea contractelor de lucrări",
		causes: "Inflația materialelor de construcții", consequences: "Acte adiționale, necesar suplimentar de fonduri",
		p: 4, i: 4, strategy: "treat", measures: []string{"Clauză de ajustare a prețului în contractele de lucrări"}, story: "new", escalate: true},
	{unit: "sop", objective: "Menținerea ordinii publice", description: "Utilizarea camerelor video purtate pe corp fără informarea persoanelor filmate",
		causes: "Procedură internă inexistentă pentru echipamentele noi", consequences: "Probe inadmisibile, sancțiuni pentru prelucrarea datelor",
		p: 3, i: 3, strategy: "treat", measures: []string{"Procedura de utilizare a camerelor video purtate pe corp"}, story: "new"},
	{unit: "das", objective: "Acreditarea serviciilor sociale", description: "Pierderea licenței de funcționare a centrului de zi pentru vârstnici",
		causes: "Standarde minime de calitate neîndeplinite", consequences: "Suspendarea serviciului",
		p: 2, i: 4, strategy: "treat", measures: []string{"Autoevaluarea standardelor minime de calitate"}, story: "new"},
	{unit: "bpf", objective: "Stabilirea corectă a impozitelor persoanelor fizice", description: "Neaplicarea majorărilor pentru clădirile neîngrijite aprobate prin HCL",
		causes: "Lipsa proceselor-verbale de constatare de la compartimentul de urbanism", consequences: "Venituri nerealizate",
		p: 3, i: 2, strategy: "treat", story: "proposed"},
	{unit: "sitl", objective: "Încasarea veniturilor proprii", description: "Erori la preluarea plăților online în evidența fiscală",
		causes: "Interfața dintre portalul de plăți și aplicația de impozite nu este sincronizată zilnic", consequences: "Contribuabili somați pentru sume deja plătite",
		p: 3, i: 3, strategy: "treat", story: "proposed"},
	{unit: "sru", objective: "Ocuparea posturilor vacante", description: "Plecarea specialiștilor în urbanism spre mediul privat",
		causes: "Salarii necompetitive", consequences: "Posturi vacante, termene depășite",
		p: 4, i: 3, strategy: "monitor", story: "proposed"},
	{unit: "srpr", objective: "Relația cu cetățenii", description: "Aglomerarea la ghișeu în ultima săptămână de plată a impozitelor",
		causes: "Termen de plată unic", consequences: "Timp de așteptare mare",
		p: 4, i: 1, strategy: "accept", story: "declined", reason: "Nu afectează realizarea unui obiectiv; situația este tratată prin programul prelungit al ghișeelor din martie."},
	// Opportunities.
	{kind: "opportunity", unit: "sitl", objective: "Creșterea gradului de colectare", description: "Extinderea plăților online prin Ghișeul.ro pentru toate taxele locale",
		causes: "Cerere mare din partea contribuabililor", consequences: "Încasări mai rapide, mai puțin timp la ghișeu", p: 4, i: 4, strategy: "exploit",
		measures: []string{"Includerea taxelor de urbanism în Ghișeul.ro"}},
	{kind: "opportunity", unit: "silp", objective: "Finanțarea investițiilor", description: "Accesarea fondurilor PNRR pentru eficiența energetică a școlilor",
		causes: "Apel de proiecte deschis", consequences: "Reducerea costurilor cu energia", p: 3, i: 5, strategy: "exploit", escalate: true,
		measures: []string{"Depunerea cererilor de finanțare pentru trei școli"}},
	{kind: "opportunity", unit: "ci", objective: "Digitalizarea serviciilor", description: "Utilizarea semnăturii electronice calificate pentru actele emise",
		causes: "Cadru legal favorabil", consequences: "Circuit mai rapid al documentelor", p: 4, i: 3, strategy: "enhance"},
	{kind: "opportunity", unit: "das", objective: "Servicii sociale", description: "Parteneriat cu organizațiile neguvernamentale pentru îngrijirea la domiciliu",
		causes: "ONG-uri acreditate în municipiu", consequences: "Mai mulți beneficiari deserviți", p: 3, i: 3, strategy: "share", story: "new"},
	{kind: "opportunity", unit: "sru", objective: "Perfecționarea profesională", description: "Programe gratuite de formare finanțate prin POCA",
		causes: "Proiecte ale Agenției Naționale a Funcționarilor Publici", consequences: "Competențe crescute fără costuri", p: 4, i: 2, strategy: "take"},
	{kind: "opportunity", unit: "du", objective: "Planificare urbană", description: "Digitalizarea planului urbanistic general în format GIS",
		causes: "Finanțare disponibilă prin Programul Regional", consequences: "Certificate de urbanism emise mai repede", p: 3, i: 4, strategy: "exploit", story: "proposed"},
}

// risks fills Târgu Verde's risk and opportunity register.
func (s *seeder) risks(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	svc := &risks.Service{DB: s.db, Clock: clk, Work: &work.Service{DB: s.db, Clock: clk, Notify: notes}}
	qm, err := s.users.ActorByID(ctx, users["calitate"])
	if err != nil {
		return 0, fmt.Errorf("cannot act as the demo quality manager: %w", err)
	}
	actors := map[string]auth.Actor{}
	for _, name := range []string{"economic", "angajat"} {
		if actors[name], err = s.users.ActorByID(ctx, users[name]); err != nil {
			return 0, fmt.Errorf("cannot act as the demo user %s: %w", name, err)
		}
	}
	year := risks.Year(now)
	last := year - 1
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 8, 30, 0, 0, time.UTC) }
	// This year's events fall between the yearly review (mid-January, or
	// just after New Year early in January) and yesterday.
	startThis := at(year, time.January, 12)
	if !startThis.Before(now.Add(-48 * time.Hour)) {
		startThis = now.Add(-48 * time.Hour)
	}
	thisYear := func(frac float64) time.Time {
		return startThis.Add(time.Duration(frac * float64(now.Add(-24*time.Hour).Sub(startThis))))
	}
	// proposer: the head of the unit (or of the directorate above), acting
	// in their own name; the demo users for their units.
	proposer := func(unit string) auth.Actor {
		switch unit {
		case "de", "sbf", "sc", "sitl", "bpj":
			return actors["economic"]
		case "bpf":
			return actors["angajat"]
		}
		if p, ok := people["head:"+unit]; ok {
			return auth.Actor{Tenant: tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{auth.RoleHeadOfUnit}}
		}
		return qm
	}
	owner := func(unit string) int64 {
		for _, k := range []string{"head:" + unit, "head:" + parentOf(unit)} {
			if p, ok := people[k]; ok {
				return p.ID
			}
		}
		return people["calitate"].ID
	}
	created := 0
	type live struct {
		spec *riskSpec
		r    risks.Risk
	}
	var carried []live
	propose := func(sp *riskSpec, when time.Time) (risks.Risk, error) {
		clk.Set(when)
		kind := sp.kind
		if kind == "" {
			kind = risks.KindRisk
		}
		in := risks.Input{Kind: kind, UnitID: unitIDs[sp.unit], Objective: sp.objective, Description: sp.description, Causes: sp.causes, Consequences: sp.consequences,
			OwnerID: owner(sp.unit), InherentP: sp.p, InherentI: sp.i, Exposure: sp.p * sp.i, Strategy: sp.strategy}
		for _, m := range sp.measures {
			in.ProposedMeasures += m + "\n"
		}
		r, err := svc.Propose(ctx, proposer(sp.unit), in)
		if err != nil {
			return r, fmt.Errorf("cannot propose the demo risk %q: %w", sp.description, err)
		}
		created++
		return r, nil
	}
	decide := func(sp *riskSpec, r risks.Risk, when time.Time) (risks.Risk, error) {
		clk.Set(when)
		act := risks.ActRetain
		if sp.escalate {
			act = risks.ActEscalate
		}
		return svc.Step(ctx, qm, r.ID, risks.StepInput{Action: act, Version: r.Version})
	}
	addMeasures := func(sp *riskSpec, r risks.Risk, deadline time.Time) error {
		for k, m := range sp.measures {
			d := deadline.AddDate(0, 2*k, 0).Format(time.DateOnly)
			if _, err := svc.AddMeasure(ctx, qm, r.ID, risks.MeasureInput{Description: m, OwnerID: owner(sp.unit), Deadline: d}); err != nil {
				return fmt.Errorf("cannot add a demo measure: %w", err)
			}
		}
		return nil
	}

	// Last year's register: reported in January and February, decided a
	// week later, with measures due in spring and summer.
	for n := range demoRisks {
		sp := &demoRisks[n]
		if sp.story != "" && sp.story != "closed" {
			continue
		}
		when := at(last, time.January, 15).AddDate(0, 0, 3*n)
		r, err := propose(sp, when)
		if err != nil {
			return created, err
		}
		if r, err = decide(sp, r, when.AddDate(0, 0, 7)); err != nil {
			return created, err
		}
		if err := addMeasures(sp, r, at(last, time.April, 30).AddDate(0, 0, n)); err != nil {
			return created, err
		}
		carried = append(carried, live{sp, r})
	}
	// The summer review: residual scores; the first measures done.
	for k, l := range carried {
		clk.Set(at(last, time.July, 10).AddDate(0, 0, k%15))
		r, err := svc.Risk(ctx, qm, l.r.ID)
		if err != nil {
			return created, err
		}
		ms, err := svc.Measures(ctx, qm, r.ID)
		if err != nil {
			return created, err
		}
		status := "Măsurile sunt în curs de implementare."
		if len(ms) > 0 && k%3 != 2 {
			m := ms[0]
			if _, err := svc.UpdateMeasure(ctx, qm, r.ID, m.ID, risks.MeasureInput{Description: m.Description, OwnerID: m.OwnerID, Deadline: m.Deadline,
				State: risks.MeasureDone, Note: "Realizată conform planului.", Version: m.Version}); err != nil {
				return created, err
			}
			status = "Prima măsură este realizată; celelalte sunt în curs."
		}
		if l.spec.rp == 0 {
			continue
		}
		if _, err := svc.RecordReview(ctx, qm, r.ID, risks.ReviewInput{ResidualP: l.spec.rp, ResidualI: l.spec.ri, Measures: status, Version: r.Version}); err != nil {
			return created, fmt.Errorf("cannot review the demo risk %s: %w", r.Code, err)
		}
	}
	// Autumn: two risks no longer apply; the team reviews the register.
	for _, l := range carried {
		if l.spec.story != "closed" {
			continue
		}
		clk.Set(at(last, time.October, 20))
		r, err := svc.Risk(ctx, qm, l.r.ID)
		if err != nil {
			return created, err
		}
		if _, err := svc.Step(ctx, qm, r.ID, risks.StepInput{Action: risks.ActClose, Reason: l.spec.reason, Version: r.Version}); err != nil {
			return created, err
		}
	}
	clk.Set(at(last, time.December, 12))
	if _, err := svc.RecordRegisterReview(ctx, qm, risks.RegisterReviewInput{Year: last, ReviewedOn: at(last, time.December, 12).Format(time.DateOnly),
		Conclusion: "Echipa de gestionare a riscurilor a analizat registrul consolidat. Riscurile peste toleranță au măsuri de control în curs; se propune preluarea riscurilor active în registrul anului următor."}); err != nil {
		return created, err
	}

	// The yearly review: this year's register starts from last year's.
	clk.Set(startThis)
	n, err := svc.StartYear(ctx, qm, last)
	if err != nil {
		return created, fmt.Errorf("cannot start the demo register of %d: %w", year, err)
	}
	created += n
	current, _, err := svc.List(ctx, qm, risks.Filter{Year: year, Limit: 1000})
	if err != nil {
		return created, err
	}
	byPrev := map[int64]risks.Risk{}
	for _, r := range current {
		byPrev[r.PreviousID] = r
	}
	// Changes this year: higher scores for some, the spring review for
	// most, measures done or still open past their deadline.
	for k, l := range carried {
		r, ok := byPrev[l.r.ID]
		if !ok {
			continue
		}
		if l.spec.raise != [2]int{} {
			clk.Set(thisYear(0.1))
			in := risks.Input{Kind: r.Kind, UnitID: r.UnitID, Objective: r.Objective, Description: r.Description, Causes: r.Causes, Consequences: r.Consequences,
				OwnerID: r.OwnerID, InherentP: l.spec.raise[0], InherentI: l.spec.raise[1], Strategy: r.Strategy, ProposedMeasures: r.ProposedMeasures,
				Secondary: r.Secondary, Remarks: "Reevaluat la revizuirea anuală: probabilitatea a crescut.", Level: r.Level, Version: r.Version}
			if r, err = svc.Update(ctx, qm, r.ID, in); err != nil {
				return created, err
			}
		}
		if k%4 == 3 {
			continue // not reviewed this year: its review is overdue
		}
		clk.Set(thisYear(0.45 + 0.01*float64(k%10)))
		if r, err = svc.Risk(ctx, qm, r.ID); err != nil {
			return created, err
		}
		ms, err := svc.Measures(ctx, qm, r.ID)
		if err != nil {
			return created, err
		}
		if len(ms) > 0 && k%2 == 0 {
			m := ms[0]
			if _, err := svc.UpdateMeasure(ctx, qm, r.ID, m.ID, risks.MeasureInput{Description: m.Description, OwnerID: m.OwnerID, Deadline: m.Deadline,
				State: risks.MeasureInProgress, Note: "În curs de implementare.", Version: m.Version}); err != nil {
				return created, err
			}
		}
		rp, ri := max(1, r.CurP-k%2), r.CurI
		if _, err := svc.RecordReview(ctx, qm, r.ID, risks.ReviewInput{ResidualP: rp, ResidualI: ri, Measures: "Revizuire semestrială: măsurile sunt aplicate.", Version: r.Version}); err != nil {
			return created, err
		}
	}
	// New risks and opportunities, alerts waiting, a declined alert.
	for k := range demoRisks {
		sp := &demoRisks[k]
		switch sp.story {
		case "new", "proposed", "declined":
		default:
			continue
		}
		when := thisYear(0.2 + 0.1*float64(k%7))
		if sp.story == "proposed" {
			when = thisYear(0.9 + 0.02*float64(k%5))
		}
		r, err := propose(sp, when)
		if err != nil {
			return created, err
		}
		switch sp.story {
		case "new":
			if r, err = decide(sp, r, when.Add(72*time.Hour)); err != nil {
				return created, err
			}
			if err := addMeasures(sp, r, work.Day(when).AddDate(0, 3, 0)); err != nil {
				return created, err
			}
		case "declined":
			clk.Set(when.Add(48 * time.Hour))
			if _, err := svc.Step(ctx, qm, r.ID, risks.StepInput{Action: risks.ActDecline, Reason: sp.reason, Version: r.Version}); err != nil {
				return created, err
			}
		}
	}
	clk.Set(thisYear(0.5))
	if _, err := svc.RecordRegisterReview(ctx, qm, risks.RegisterReviewInput{Year: year, ReviewedOn: work.Day(thisYear(0.5)).Format(time.DateOnly),
		Conclusion: "Analiza semestrială: riscul de atac informatic și întârzierile la investițiile cu fonduri europene rămân peste toleranță; se suplimentează măsurile de control."}); err != nil {
		return created, err
	}
	// People read the notifications of last year's steps; the recent ones
	// wait, as the register's own do.
	cutoff := work.Day(now).AddDate(0, 0, -notificationDays)
	if _, err := s.db.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND read_at IS NULL AND created_at < $1`, cutoff, tenant); err != nil {
		return created, fmt.Errorf("cannot mark the old demo notifications read: %w", err)
	}
	return created, nil
}

// parentOf is the key of a demo unit's parent, "" for a top-level unit.
func parentOf(key string) string {
	for _, u := range targuVerdeUnits {
		if u.key == key {
			return u.parent
		}
	}
	return ""
}
