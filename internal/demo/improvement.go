package demo

import (
	"container/heap"
	"context"
	"fmt"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo municipality's nonconformity log and improvement proposals over
// the last two years: findings of the internal audit and of the
// certification body's surveillance audits, citizens' complaints about
// deadlines at the registry and the tax office, indicators out of target and
// employees' reports, in every state, with their root causes, corrective
// actions (some overdue), effectiveness checks (one not effective, and the
// case reopened) and proposals from the staff. Like the documents, the log
// is played on a clock of its own through the improvement service, so every
// step is audited and hands out its inbox tasks as it would have.

// ncStory is how far a case went.
const (
	ncReported     = "reported"     // waiting for the quality office
	ncDeclined     = "declined"     // not a nonconformity
	ncCancelled    = "cancelled"    // withdrawn as a duplicate
	ncAnalysis     = "analysis"     // accepted, its cause being analysed
	ncActions      = "actions"      // actions under way
	ncVerification = "verification" // waiting for the effectiveness check
	ncClosed       = "closed"       // found effective
	ncReopened     = "reopened"     // found not effective, then closed after a second round
)

// ncActionSpec is a corrective or improvement action: its owner (a person
// key), how many days after it was planned it is due, and after how many
// days it was done (-1: still open).
type ncActionSpec struct {
	text      string
	owner     string
	due, done int
	note      string
}

// ncSpec is one case of the demo log and its story.
type ncSpec struct {
	ago                   int    // days before today it was detected and reported
	reporter              string // person key of whoever reported it
	title, description    string
	source, ref           string
	process, unit, clause string
	severity              string
	correction, correctBy string
	owner                 string // person key of the case's owner
	story                 string
	whys                  [][2]string
	causes                []improvement.Cause
	conclusion            string
	actions, second       []ncActionSpec // the second round, for a reopened case
	checker               string         // user name
	checkIn               int            // days from planning the check to the check; 0 is 30
	reason                string         // why declined, cancelled or found not effective
}

func why(q, a string) [2]string { return [2]string{q, a} }

func cause(cat, text string, root bool) improvement.Cause {
	return improvement.Cause{Category: cat, Cause: text, Root: root}
}

var demoNonconformities = []ncSpec{
	{ago: 650, reporter: "auditor", title: "Evidența instruirilor personalului nu este actualizată", source: improvement.SourceInternalAudit,
		ref: "Auditul intern al procesului de formare profesională, februarie 2025", unit: "sru", clause: "7.2", severity: improvement.SeverityMinor, process: "Formarea profesională a personalului",
		description: "Pentru 6 din 10 funcționari verificați nu există dovezi ale instruirilor efectuate în ultimul an, deși planul anual de formare le prevedea.",
		owner:       "head:sru", story: ncClosed, checker: "calitate",
		whys: [][2]string{why("De ce lipsesc dovezile instruirilor?", "Certificatele au rămas la funcționari și nu au fost predate la resurse umane."),
			why("De ce nu au fost predate?", "Nicio procedură nu cere predarea lor într-un termen.")},
		causes: []improvement.Cause{cause(improvement.CatMethods, "Procedura de formare nu prevede evidența centralizată a participărilor", true),
			cause(improvement.CatPeople, "Funcționarii nu știu că certificatele trebuie predate", false)},
		conclusion: "Procedura de formare profesională nu stabilește cine ține evidența instruirilor și în ce termen se predau dovezile.",
		actions: []ncActionSpec{{text: "Revizuirea procedurii de formare profesională: evidența participărilor în 5 zile de la curs", owner: "head:sru", due: 30, done: 25, note: "Procedura PO-SRU-03, ediția II revizia 1, aprobată."},
			{text: "Completarea registrului instruirilor pentru anul în curs", owner: "staff:sru", due: 20, done: 18, note: "Registrul a fost completat pentru toți cei 112 angajați."}}},
	{ago: 630, reporter: "auditor", title: "Analiza efectuată de management nu a avut loc în anul precedent", source: improvement.SourceInternalAudit,
		ref: "Auditul intern al sistemului de management al calității, martie 2025", unit: "bcim", clause: "9.3", severity: improvement.SeverityMajor, process: "Analiza efectuată de management",
		description: "Nu există minută sau alt document care să arate că analiza sistemului de management al calității de către conducere a avut loc în anul precedent.",
		owner:       "head:bcim", story: ncClosed, checker: "auditor",
		whys: [][2]string{why("De ce nu a avut loc analiza?", "Ședința planificată în decembrie a fost amânată din cauza ședințelor de buget."),
			why("De ce nu a fost reprogramată?", "Nu exista un termen-limită în programul anual al sistemului de management.")},
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Programul anual nu fixează data analizei de management", true)},
		conclusion: "Lipsește un termen fix al analizei efectuate de management în programul anual al sistemului.",
		actions: []ncActionSpec{{text: "Organizarea analizei efectuate de management și întocmirea minutei", owner: "head:bcim", due: 21, done: 14, note: "Analiza a avut loc; minuta nr. 412 a fost aprobată de primar."},
			{text: "Introducerea datei analizei de management în programul anual al SMC", owner: "calitate", due: 30, done: 20, note: "Programul anual revizuit: analiza în a doua săptămână din noiembrie."}}},
	{ago: 560, reporter: "auditor", title: "Registrul de intrare-ieșire a corespondenței nu este completat la zi", source: improvement.SourceInternalAudit,
		ref: "Raportul de audit intern nr. 2, constatarea 4", unit: "srpr", clause: "7.5.3", severity: improvement.SeverityMinor, process: "Registratură și circuitul documentelor",
		description: "La data auditului, 37 de documente primite în ultimele trei zile nu erau înregistrate în registrul de intrare-ieșire, deși fuseseră repartizate compartimentelor.",
		correction:  "Documentele au fost înregistrate în aceeași zi.", correctBy: "Serviciul Relații cu Publicul și Registratură",
		owner: "head:srpr", story: ncReopened, checker: "auditor",
		whys: [][2]string{why("De ce nu erau înregistrate documentele?", "Au fost repartizate direct, pe hârtie, ca să nu întârzie."),
			why("De ce s-a sărit peste înregistrare?", "La ghișeu lucra o singură persoană în zilele cu afluență mare."),
			why("De ce o singură persoană?", "Nu există înlocuitor desemnat pentru concediile de odihnă.")},
		causes: []improvement.Cause{cause(improvement.CatPeople, "Lipsa unui înlocuitor desemnat la registratură", true),
			cause(improvement.CatEquipment, "Aplicația de registratură se deschide greu la începutul zilei", false),
			cause(improvement.CatMethods, "Procedura permite repartizarea înainte de înregistrare", true)},
		conclusion: "Procedura permite repartizarea documentelor înainte de înregistrare, iar registratura nu are înlocuitor desemnat.",
		actions:    []ncActionSpec{{text: "Desemnarea prin dispoziție a doi înlocuitori pentru registratură", owner: "head:srpr", due: 15, done: 10, note: "Dispoziția nr. 518 privind înlocuirea personalului de la registratură."}},
		reason:     "La verificarea din ziua respectivă, 12 documente erau din nou repartizate neînregistrate: înlocuitorii nu erau instruiți.",
		second: []ncActionSpec{{text: "Revizuirea procedurii de registratură: nicio repartizare fără număr de înregistrare", owner: "head:srpr", due: 30, done: 20, note: "Procedura PO-SRPR-01 revizuită și difuzată."},
			{text: "Instruirea înlocuitorilor în folosirea aplicației de registratură", owner: "registratura", due: 20, done: 12, note: "Instruire ținută; proces-verbal semnat de participanți."}}},
	{ago: 500, reporter: "registratura", title: "Certificat de atestare fiscală eliberat după 9 zile lucrătoare", source: improvement.SourceComplaint,
		ref: "Petiția nr. 8412", unit: "bpf", clause: "8.5.1", severity: improvement.SeverityMajor, process: "Eliberarea certificatelor de atestare fiscală",
		description: "Un contribuabil a primit certificatul de atestare fiscală după 9 zile lucrătoare, față de termenul legal de 2 zile lucrătoare, și a pierdut termenul unei licitații.",
		correction:  "Certificatul a fost eliberat în ziua sesizării; contribuabilului i s-a transmis un răspuns cu scuze.", correctBy: "Biroul Constatare și Control Persoane Fizice",
		owner: "head:bpf", story: ncClosed, checker: "calitate",
		whys: [][2]string{why("De ce a durat 9 zile?", "Cererea a ajuns la birou după 6 zile."), why("De ce după 6 zile?", "Cererile depuse la registratura generală se repartizează o dată pe săptămână pe circuitul de hârtie.")},
		causes: []improvement.Cause{cause(improvement.CatMethods, "Cererile de certificat fiscal urmează circuitul general al corespondenței", true),
			cause(improvement.CatMeasurement, "Termenul de eliberare nu este urmărit de nimeni", false)},
		conclusion: "Cererile de certificat fiscal nu au un circuit propriu, iar termenul de 2 zile nu este monitorizat.",
		actions: []ncActionSpec{{text: "Depunerea cererilor de certificat fiscal direct la ghișeul de taxe", owner: "head:bpf", due: 20, done: 12, note: "Ghișeul 3 primește cererile din 1 martie; afișat la intrare."},
			{text: "Raport lunar al certificatelor eliberate peste termen", owner: "angajat", due: 30, done: 28, note: "Primul raport lunar: 0 certificate peste termen."}}},
	{ago: 430, reporter: "registratura", title: "Răspuns la petiție transmis după termenul legal de 30 de zile", source: improvement.SourceComplaint,
		ref: "Petiția nr. 2210", unit: "srpr", clause: "8.2", severity: improvement.SeverityMinor, process: "Soluționarea petițiilor",
		description: "Răspunsul la o petiție privind salubrizarea a fost transmis după 41 de zile; petentul a reclamat întârzierea la Instituția Prefectului.",
		owner:       "head:srpr", story: ncClosed, checker: "auditor",
		whys:       [][2]string{why("De ce a întârziat răspunsul?", "Petiția a fost redirecționată de două ori între compartimente."), why("De ce de două ori?", "Nu există o listă a competențelor pe tipuri de petiții.")},
		causes:     []improvement.Cause{cause(improvement.CatMaterials, "Lipsește lista competențelor pe tipuri de petiții", true)},
		conclusion: "Petițiile sunt repartizate fără o listă a competențelor, deci ajung la compartimentul greșit.",
		actions:    []ncActionSpec{{text: "Întocmirea listei competențelor pe tipuri de petiții", owner: "head:srpr", due: 30, done: 21, note: "Lista aprobată de secretarul general și afișată în aplicația de registratură."}}},
	{ago: 400, reporter: "economic", title: "Gradul de încasare a impozitului pe clădiri sub ținta de 85% în semestrul I", source: improvement.SourceIndicator,
		ref: "Raportul de monitorizare a indicatorilor, semestrul I", unit: "bpf", clause: "9.1", severity: improvement.SeverityMinor, process: "Încasarea impozitelor și taxelor locale",
		description: "Gradul de încasare a impozitului pe clădiri de la persoanele fizice a fost de 71% la 30 iunie, față de ținta de 85%.",
		owner:       "head:bpf", story: ncClosed, checker: "calitate",
		whys: [][2]string{why("De ce este încasarea sub țintă?", "Multe decizii de impunere s-au întors ca nelivrate."), why("De ce s-au întors?", "Adresele de domiciliu din baza de date nu sunt actualizate.")},
		causes: []improvement.Cause{cause(improvement.CatMaterials, "Adrese neactualizate în baza de date fiscală", true),
			cause(improvement.CatMethods, "Nu se folosește schimbul de date cu evidența persoanelor", true)},
		conclusion: "Baza de date fiscală nu preia schimbările de domiciliu de la evidența persoanelor.",
		actions: []ncActionSpec{{text: "Protocol de schimb lunar de date cu Serviciul Public Comunitar Local de Evidență a Persoanelor", owner: "head:sitl", due: 45, done: 40, note: "Protocolul nr. 77 semnat; primul schimb de date efectuat."},
			{text: "Actualizarea adreselor pentru deciziile returnate", owner: "angajat", due: 60, done: 50, note: "1.240 de adrese actualizate."}}},
	{ago: 380, reporter: "person:staff:sac", title: "Formulare tipizate vechi folosite la ghișeul de urbanism", source: improvement.SourceEmployee,
		unit: "sac", clause: "7.5.3", severity: improvement.SeverityObservation, process: "Emiterea certificatelor de urbanism",
		description: "La ghișeu se mai distribuie cererea de certificat de urbanism în varianta dinaintea modificării legislative, fără câmpul pentru adresa de e-mail.",
		correction:  "Formularele vechi au fost retrase de la ghișeu.", correctBy: "Serviciul Autorizări în Construcții",
		owner: "head:sac", story: ncClosed, checker: "auditor",
		whys:       [][2]string{why("De ce se folosea formularul vechi?", "Stocul tipărit nu a fost retras când s-a aprobat formularul nou.")},
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Retragerea exemplarelor perimate nu este prevăzută în procedura de control al documentelor", true)},
		conclusion: "Procedura de control al documentelor nu cere retragerea exemplarelor tipărite perimate.",
		actions:    []ncActionSpec{{text: "Completarea procedurii de control al documentelor cu retragerea exemplarelor perimate", owner: "calitate", due: 30, done: 24, note: "PS-01 revizia 2: lista exemplarelor tipărite și retragerea lor."}}},
	{ago: 350, reporter: "auditor", title: "Contracte de achiziție fără nota justificativă privind estimarea valorii", source: improvement.SourceInternalAudit,
		ref: "Raportul de audit intern nr. 5, constatarea 1", unit: "cap", clause: "8.4", severity: improvement.SeverityMajor, process: "Achiziții publice",
		description: "Din 15 dosare de achiziție directă verificate, 4 nu conțin nota justificativă privind estimarea valorii, cerută de Legea nr. 98/2016.",
		owner:       "staff:cap", story: ncClosed, checker: "auditor",
		whys:   [][2]string{why("De ce lipsește nota?", "Lista de verificare a dosarului nu o cuprinde.")},
		causes: []improvement.Cause{cause(improvement.CatMaterials, "Lista de verificare a dosarului de achiziție este incompletă", true), cause(improvement.CatPeople, "Personal nou în compartiment", false)},
		actions: []ncActionSpec{{text: "Actualizarea listei de verificare a dosarului de achiziție directă", owner: "staff:cap", due: 15, done: 10, note: "Lista de verificare F-CAP-02 actualizată."},
			{text: "Completarea celor 4 dosare cu notele justificative", owner: "staff:cap", due: 10, done: 7, note: "Notele au fost întocmite și atașate."}}},
	{ago: 330, reporter: "primar", title: "Obiectivele calității ale compartimentelor nu au indicatori măsurabili", source: improvement.SourceReview,
		ref: "Minuta analizei efectuate de management", unit: "bcim", clause: "6.2", severity: improvement.SeverityMinor, process: "Planificarea obiectivelor",
		description: "La analiza efectuată de management s-a constatat că 9 compartimente au obiective formulate general („îmbunătățirea activității”), fără indicator și țintă.",
		owner:       "head:bcim", story: ncClosed, checker: "primar",
		conclusion: "Ghidul de stabilire a obiectivelor nu cere indicator, țintă și termen.",
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Ghidul de stabilire a obiectivelor nu cere indicator și țintă", true)},
		actions:    []ncActionSpec{{text: "Ateliere cu șefii de compartimente pentru reformularea obiectivelor", owner: "calitate", due: 40, done: 35, note: "Obiectivele celor 9 compartimente au indicatori și ținte aprobate."}}},
	{ago: 280, reporter: "registratura", title: "Lipsa locurilor de parcare în fața sediului primăriei", source: improvement.SourceComplaint,
		ref: "Petiția nr. 6120", unit: "srpr", severity: improvement.SeverityObservation,
		description: "Un cetățean reclamă că nu găsește loc de parcare când vine la ghișeu.",
		story:       ncDeclined, reason: "Nu este o neconformitate a serviciilor primăriei; sesizarea a fost transmisă Poliției Locale și Direcției Tehnice pentru analiza planului de parcare."},
	{ago: 260, reporter: "economic", title: "Timpul mediu de emitere a autorizațiilor de construire depășește 30 de zile", source: improvement.SourceIndicator,
		ref: "Tabloul de bord al indicatorilor, trimestrul III", unit: "sac", clause: "8.5.1", severity: improvement.SeverityMajor, process: "Emiterea autorizațiilor de construire",
		description: "Timpul mediu de emitere a autorizațiilor de construire a fost de 38 de zile în trimestrul III, față de termenul legal de 30 de zile.",
		owner:       "head:sac", story: ncReopened, checker: "calitate",
		whys: [][2]string{why("De ce durează 38 de zile?", "Dosarele așteaptă avizele interne."), why("De ce așteaptă avizele?", "Avizele se cer pe rând, nu simultan.")},
		causes: []improvement.Cause{cause(improvement.CatMethods, "Avizele interne se solicită succesiv", true),
			cause(improvement.CatPeople, "Un singur arhitect verifică toate documentațiile", true), cause(improvement.CatEnvironment, "Volum mare de cereri primăvara", false)},
		conclusion: "Avizele interne se solicită succesiv, iar verificarea documentațiilor depinde de o singură persoană.",
		actions:    []ncActionSpec{{text: "Solicitarea simultană a avizelor interne, prin aplicația de registratură", owner: "head:sac", due: 30, done: 25, note: "Circuitul a fost modificat din 1 octombrie."}},
		reason:     "În trimestrul următor timpul mediu a rămas de 34 de zile: verificarea documentațiilor continuă să depindă de o singură persoană.",
		second: []ncActionSpec{{text: "Desemnarea unui al doilea verificator al documentațiilor tehnice", owner: "head:du", due: 30, done: 20, note: "Dispoziția nr. 1032; al doilea verificator lucrează din ianuarie."},
			{text: "Monitorizarea lunară a timpului de emitere pe tabloul de bord", owner: "staff:sac", due: 20, done: 15, note: "Indicatorul este raportat lunar; ultima valoare: 24 de zile."}}},
	{ago: 240, reporter: "auditor", title: "Copiile de siguranță ale bazei de date fiscale nu sunt testate", source: improvement.SourceInternalAudit,
		ref: "Raportul de audit intern nr. 7, constatarea 3", unit: "ci", clause: "7.1.3", severity: improvement.SeverityMajor, process: "Administrarea sistemelor informatice",
		description: "Copiile de siguranță ale bazei de date a impozitelor și taxelor se fac zilnic, dar nu au fost niciodată restaurate pentru a verifica că sunt utilizabile.",
		owner:       "staff:ci", story: ncClosed, checker: "auditor",
		causes:     []improvement.Cause{cause(improvement.CatEquipment, "Nu există un server de test pentru restaurare", true), cause(improvement.CatMethods, "Planul de continuitate nu prevede teste de restaurare", true)},
		conclusion: "Planul de continuitate a activității nu prevede teste periodice de restaurare.",
		actions: []ncActionSpec{{text: "Test trimestrial de restaurare a bazei de date pe un server de test", owner: "staff:ci", due: 30, done: 28, note: "Primul test reușit; durata restaurării: 42 de minute."},
			{text: "Completarea planului de continuitate cu testele de restaurare", owner: "staff:ci", due: 30, done: 26, note: "Planul revizuit a fost aprobat."}}},
	{ago: 210, reporter: "auditor", title: "Instruirea periodică în domeniul securității și sănătății în muncă nu este consemnată", source: improvement.SourceInternalAudit,
		ref: "Raportul de audit intern nr. 8", unit: "sru", severity: improvement.SeverityMinor,
		description: "Fișele individuale de instruire SSM ale personalului Direcției Tehnice nu au semnăturile pentru ultimele două luni.",
		story:       ncDeclined, reason: "Constatarea ține de sistemul de securitate și sănătate în muncă, nu de sistemul de management al calității; a fost transmisă responsabilului SSM."},
	{ago: 200, reporter: "registratura", title: "Scanerul de la registratură se defectează frecvent", source: improvement.SourceEmployee,
		unit: "srpr", clause: "7.1.3", severity: improvement.SeverityMinor, process: "Registratură și circuitul documentelor",
		description: "Scanerul de la registratură s-a blocat de 6 ori într-o lună; documentele s-au scanat cu întârziere de până la două zile.",
		correction:  "S-a folosit temporar scanerul Serviciului Juridic.", correctBy: "Compartimentul Informatică",
		owner: "head:srpr", story: ncClosed, checker: "calitate",
		causes:     []improvement.Cause{cause(improvement.CatEquipment, "Scanerul are 9 ani și nu este inclus într-un contract de mentenanță", true)},
		conclusion: "Echipamentul este uzat și nu are contract de mentenanță.",
		actions:    []ncActionSpec{{text: "Înlocuirea scanerului și includerea lui în contractul de mentenanță", owner: "staff:ci", due: 45, done: 30, note: "Scaner nou instalat; contractul de mentenanță a fost prelungit cu un act adițional."}}},
	{ago: 150, reporter: "person:staff:sbs", title: "Dosar de ajutor social rătăcit la transmiterea între compartimente", source: improvement.SourceComplaint,
		ref: "Petiția nr. 9051", unit: "sbs", clause: "8.5.1", severity: improvement.SeverityMajor, process: "Acordarea ajutorului social",
		description: "Dosarul unei beneficiare a fost negăsit timp de 3 săptămâni după ce a fost transmis pentru ancheta socială; plata s-a întârziat o lună.",
		correction:  "Dosarul a fost găsit și plata efectuată retroactiv.", correctBy: "Serviciul Beneficii Sociale",
		owner: "head:sbs", story: ncVerification, checker: "auditor", checkIn: 120,
		whys:       [][2]string{why("De ce s-a rătăcit dosarul?", "A fost predat fără semnătură de primire."), why("De ce fără semnătură?", "Nu există borderou de predare între servicii.")},
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Lipsește borderoul de predare-primire a dosarelor", true)},
		conclusion: "Dosarele circulă între servicii fără borderou de predare-primire.",
		actions:    []ncActionSpec{{text: "Introducerea borderoului de predare-primire a dosarelor", owner: "head:sbs", due: 20, done: 14, note: "Formularul F-DAS-07 este folosit din luna curentă."}}},
	{ago: 160, reporter: "auditor", title: "Riscurile nu sunt reevaluate după modificarea procedurilor", source: improvement.SourceInternalAudit,
		ref: "Auditul intern al procesului de management al riscurilor, iunie 2026", unit: "bcim", clause: "6.1", severity: improvement.SeverityMinor, process: "Managementul riscurilor",
		description: "Trei proceduri operaționale au fost revizuite fără ca riscurile activităților respective să fie reevaluate în registrul riscurilor.",
		owner:       "head:bcim", story: ncActions, checker: "auditor",
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Procedura de elaborare a procedurilor nu cere reevaluarea riscurilor", true)},
		conclusion: "Revizuirea unei proceduri nu declanșează reevaluarea riscurilor activității.",
		actions: []ncActionSpec{{text: "Adăugarea pasului de reevaluare a riscurilor în procedura de elaborare a procedurilor", owner: "calitate", due: 40, done: 30, note: "PS-02 revizuită."},
			{text: "Reevaluarea riscurilor pentru cele trei proceduri revizuite", owner: "head:bcim", due: 60, done: -1}}},
	{ago: 120, reporter: "auditor", title: "Procesele-verbale de recepție nu sunt semnate de toți membrii comisiei", source: improvement.SourceInternalAudit,
		ref: "Raportul de audit intern nr. 9, constatarea 2", unit: "silp", clause: "8.6", severity: improvement.SeverityMajor, process: "Recepția lucrărilor de investiții",
		description: "La 3 din 8 recepții verificate, procesul-verbal de recepție la terminarea lucrărilor nu este semnat de toți membrii comisiei numite prin dispoziție.",
		owner:       "head:silp", story: ncActions, checker: "calitate",
		whys:       [][2]string{why("De ce lipsesc semnături?", "Membrii absenți la recepție nu au mai fost chemați să semneze.")},
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Nu există termen pentru semnarea procesului-verbal de membrii absenți", true)},
		conclusion: "Procedura de recepție nu prevede termenul și modul de semnare de către membrii absenți.",
		actions: []ncActionSpec{{text: "Completarea proceselor-verbale cu semnăturile lipsă", owner: "head:silp", due: 20, done: 15, note: "Procesele-verbale au fost semnate."},
			{text: "Revizuirea procedurii de recepție a lucrărilor", owner: "staff:silp", due: 45, done: -1}}},
	{ago: 95, reporter: "registratura", title: "Procese-verbale de contravenție comunicate la o adresă greșită", source: improvement.SourceComplaint,
		ref: "Petiția nr. 10377", unit: "bcr", clause: "8.5.1", severity: improvement.SeverityMinor, process: "Constatarea contravențiilor rutiere",
		description: "Două procese-verbale au fost comunicate la adresa veche a contravenientului, deși aceasta se schimbase cu un an înainte.",
		owner:       "head:bcr", story: ncVerification, checker: "calitate", checkIn: 90,
		causes:     []improvement.Cause{cause(improvement.CatMaterials, "Adresele se iau din evidențe neactualizate", true)},
		conclusion: "Adresa contravenientului nu se verifică în evidența persoanelor înainte de comunicare.",
		actions:    []ncActionSpec{{text: "Verificarea adresei în evidența persoanelor înainte de comunicarea procesului-verbal", owner: "head:bcr", due: 20, done: 12, note: "Pasul a fost introdus în instrucțiunea de lucru IL-PL-04."}}},
	{ago: 80, reporter: "economic", title: "Solicitările de informații publice primesc răspuns în 10 zile în mai puțin de 90% din cazuri", source: improvement.SourceIndicator,
		ref: "Raportul anual privind Legea nr. 544/2001", unit: "scri", clause: "9.1", severity: improvement.SeverityMinor, process: "Liberul acces la informațiile de interes public",
		description: "Doar 78% din solicitările de informații publice au primit răspuns în 10 zile, față de ținta de 90%.",
		owner:       "head:scri", story: ncActions, checker: "auditor",
		causes:     []improvement.Cause{cause(improvement.CatMethods, "Solicitările se transmit compartimentelor fără termen intern", true)},
		conclusion: "Compartimentele primesc solicitările fără un termen intern de răspuns.",
		actions:    []ncActionSpec{{text: "Termen intern de 5 zile pentru compartimente, urmărit în registrul solicitărilor", owner: "head:scri", due: 90, done: -1}}},
	{ago: 70, reporter: "person:staff:cra", title: "Parole de acces comune la aplicația registrului agricol", source: improvement.SourceEmployee,
		unit: "cra", clause: "7.5.3", severity: improvement.SeverityMajor, process: "Registrul agricol",
		description: "Cei doi referenți folosesc același cont și aceeași parolă în aplicația registrului agricol, deci modificările nu pot fi atribuite.",
		owner:       "staff:cra", story: ncActions, checker: "calitate",
		causes:     []improvement.Cause{cause(improvement.CatEquipment, "Licența aplicației acoperă un singur utilizator", true)},
		conclusion: "Licența aplicației permite un singur cont de utilizator.",
		actions:    []ncActionSpec{{text: "Extinderea licenței aplicației la conturi individuale", owner: "staff:ci", due: 120, done: -1}}},
	{ago: 45, reporter: "auditor", title: "Fișele de post din Serviciul Buget-Finanțe nu sunt semnate de titulari", source: improvement.SourceInternalAudit,
		ref: "Raportul de audit intern nr. 11", unit: "sbf", clause: "7.2", severity: improvement.SeverityMinor, process: "Gestionarea resurselor umane",
		description: "Patru fișe de post actualizate în acest an nu poartă semnătura titularului.",
		owner:       "head:sbf", story: ncAnalysis,
		whys: [][2]string{why("De ce nu sunt semnate?", "Fișele au fost actualizate în perioada concediilor.")}},
	{ago: 30, reporter: "registratura", title: "Cetățean îndrumat greșit între ghișeele de taxe și de evidența persoanelor", source: improvement.SourceComplaint,
		ref: "Petiția nr. 11820", unit: "srpr", clause: "8.2", severity: improvement.SeverityObservation, process: "Informarea cetățenilor",
		description: "Un cetățean a fost trimis de trei ori între ghișeul de taxe și cel de evidența persoanelor pentru același certificat.",
		owner:       "head:srpr", story: ncAnalysis},
	{ago: 25, reporter: "calitate", title: "Satisfacția beneficiarilor de asistență socială nu este măsurată", source: improvement.SourceReview,
		unit: "das", clause: "9.1.2", severity: improvement.SeverityMinor,
		description: "Direcția de Asistență Socială nu aplică chestionarul de satisfacție prevăzut în procedura de sistem.",
		owner:       "head:das", story: ncCancelled, reason: "Dublură: aceeași constatare este urmărită în raportul auditului de supraveghere, în cazul deschis pentru evaluarea satisfacției."},
	{ago: 12, reporter: "economic", title: "Sesizările privind ordinea publică soluționate în termen sub țintă", source: improvement.SourceIndicator,
		unit: "sop", clause: "9.1", severity: improvement.SeverityMinor, process: "Ordine și liniște publică",
		description: "În ultimul trimestru, 68% din sesizări au fost soluționate în 15 zile, față de ținta de 85%.",
		owner:       "head:sop", story: ncAnalysis},
	{ago: 6, reporter: "angajat", title: "Deciziile de impunere se tipăresc cu adresa veche a sediului", source: improvement.SourceEmployee,
		unit: "bpf", clause: "7.5.2", severity: improvement.SeverityMinor, process: "Stabilirea impozitelor și taxelor locale",
		description: "Șablonul deciziei de impunere din aplicația fiscală are încă adresa veche a sediului primăriei și un număr de telefon desființat.",
		story:       ncReported},
	{ago: 3, reporter: "registratura", title: "Rampa de acces pentru persoanele cu dizabilități de la SPCLEP nu funcționează", source: improvement.SourceComplaint,
		ref: "Petiția nr. 12104", unit: "spclep", clause: "7.1.4", severity: improvement.SeverityMajor, process: "Eliberarea actelor de identitate",
		description: "Platforma de acces de la intrarea în sediul SPCLEP este defectă de două săptămâni; o persoană în scaun rulant nu a putut intra.",
		correction:  "Documentele se preiau temporar la parter, în biroul de informare.", correctBy: "SPCLEP",
		story: ncReported},
}

// propSpec is one demo improvement proposal and its story.
type propSpec struct {
	ago                         int
	proposer                    string // person key
	title, description, benefit string
	unit, process               string
	story                       string // "submitted", "evaluation", "accepted", "implemented", "declined"
	actions                     []ncActionSpec
	reason                      string
}

var demoProposals = []propSpec{
	{ago: 420, proposer: "angajat", title: "Programare online la ghișeele de taxe locale", unit: "sitl", process: "Încasarea impozitelor și taxelor locale",
		description: "Contribuabilii să-și aleagă pe site ziua și ora la care vin la ghișeu, ca la evidența persoanelor.", benefit: "Cozi mai scurte în martie, la termenul de plată cu bonificație.",
		story: "implemented", actions: []ncActionSpec{{text: "Modul de programare online pe site-ul primăriei", owner: "staff:ci", due: 60, done: 45, note: "Modulul funcționează; 1.800 de programări în prima lună."}}},
	{ago: 250, proposer: "registratura", title: "Chestionar scurt de satisfacție pe tabletă la ghișeu", unit: "srpr", process: "Informarea cetățenilor",
		description: "O tabletă la ieșire cu trei întrebări și fețe zâmbitoare, în locul chestionarului pe hârtie.", benefit: "Mai multe răspunsuri și rezultate lunare fără introducere manuală.",
		story: "implemented", actions: []ncActionSpec{{text: "Configurarea chestionarului pe tabletă", owner: "staff:ci", due: 30, done: 20, note: "Tableta funcționează la intrarea principală."},
			{text: "Raport lunar al satisfacției pentru analiza de management", owner: "calitate", due: 45, done: 40, note: "Primul raport: 87% mulțumiți."}}},
	{ago: 150, proposer: "person:staff:sitl", title: "Deschiderea ghișeelor de taxe sâmbăta dimineața", unit: "sitl",
		description: "Program sâmbăta între 9 și 13 în lunile martie și septembrie.", benefit: "Cetățenii care lucrează în timpul săptămânii nu mai cer zi liberă.",
		story: "declined", reason: "Nu există personal suficient pentru program suplimentar fără ore plătite; propunerea se reanalizează la fundamentarea bugetului pe anul următor."},
	{ago: 100, proposer: "person:staff:cra", title: "Mutarea aplicației registrului agricol pe serverul central", unit: "cra",
		description: "Aplicația rulează pe un calculator din birou; ar trebui mutată pe serverul central, cu copii de siguranță.", benefit: "Fără risc de pierdere a datelor.",
		story: "declined", reason: "Aplicația este deja inclusă în proiectul de digitalizare finanțat prin PNRR; propunerea se urmărește acolo."},
	{ago: 90, proposer: "person:staff:sac", title: "Formular unic, completabil online, pentru certificatul de urbanism", unit: "sac", process: "Emiterea certificatelor de urbanism",
		description: "Cererea de certificat de urbanism să poată fi completată și semnată online, cu anexele încărcate ca fișiere.", benefit: "Mai puține deplasări și dosare complete de la început.",
		story: "accepted", actions: []ncActionSpec{{text: "Formular online al cererii de certificat de urbanism", owner: "staff:ci", due: 45, done: -1},
			{text: "Ghid de completare publicat pe site", owner: "head:sac", due: 30, done: 25, note: "Ghidul a fost publicat."}}},
	{ago: 40, proposer: "registratura", title: "Stadiul dosarelor afișat pe site după numărul de înregistrare", unit: "srpr", process: "Registratură și circuitul documentelor",
		description: "Cetățeanul introduce numărul de înregistrare și vede la ce compartiment se află cererea lui.", benefit: "Mai puține telefoane la registratură.",
		story: "accepted", actions: []ncActionSpec{{text: "Pagină de verificare a stadiului pe site", owner: "staff:ci", due: 90, done: -1}}},
	{ago: 20, proposer: "person:staff:sbs", title: "Arhivarea electronică a dosarelor de ajutor social", unit: "sbs", process: "Acordarea ajutorului social",
		description: "Scanarea dosarelor la depunere și păstrarea lor în aplicație.", benefit: "Dosarele nu se mai rătăcesc între servicii.", story: "evaluation"},
	{ago: 15, proposer: "economic", title: "Notificare prin SMS la emiterea autorizației de construire", unit: "sac", process: "Emiterea autorizațiilor de construire",
		description: "Solicitantul primește un SMS când autorizația poate fi ridicată.", benefit: "Autorizațiile nu mai așteaptă la ghișeu.", story: "evaluation"},
	{ago: 4, proposer: "person:staff:sop", title: "Plata amenzilor cu cardul la sediul Poliției Locale", unit: "pl",
		description: "Un terminal POS la sediul Poliției Locale.", benefit: "Contravenienții plătesc pe loc jumătatea minimului.", story: "submitted"},
	{ago: 2, proposer: "angajat", title: "Ghid de completare a declarațiilor fiscale, cu exemple", unit: "bpf", process: "Stabilirea impozitelor și taxelor locale",
		description: "Un ghid de două pagini cu exemple pentru declarațiile de clădiri și terenuri, la ghișeu și pe site.", benefit: "Mai puține declarații greșite de corectat.", story: "submitted"},
}

// impSeeder plays the log's timeline.
type impSeeder struct {
	s       *seeder
	svc     *improvement.Service
	clk     *clock.Fixed
	day0    time.Time
	tenant  int64
	units   map[string]int64
	people  map[string]org.Person
	staff   map[int64]org.Person // unit id to its first person who is neither its head nor a demo user
	userOf  map[int64]int64      // person id to user id
	byUser  map[string]int64     // user name to user id
	queue   timeline
	seq     int
	ncs     map[*ncSpec]*improvement.Nonconformity
	props   map[*propSpec]*improvement.Proposal
	acts    map[*ncActionSpec]int64
	ncCount int
}

// improvement fills Târgu Verde's nonconformities, corrective actions and
// improvement proposals. It returns the number of nonconformities and of
// proposals.
func (s *seeder) improvement(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, int, error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	is := &impSeeder{s: s, svc: &improvement.Service{DB: s.db, Clock: clk, Work: &work.Service{DB: s.db, Clock: clk, Notify: notes}}, clk: clk,
		day0: work.Day(now), tenant: tenant, units: unitIDs, people: people, staff: map[int64]org.Person{}, userOf: map[int64]int64{}, byUser: users,
		ncs: map[*ncSpec]*improvement.Nonconformity{}, props: map[*propSpec]*improvement.Proposal{}, acts: map[*ncActionSpec]int64{}}
	for _, a := range Accounts {
		if p, ok := people[a.person]; ok && a.CUI == CUI {
			is.userOf[p.ID] = users[a.Username]
		}
	}
	heads := map[int64]bool{}
	for k, p := range people {
		if strings.HasPrefix(k, "head:") {
			heads[p.ID] = true
		}
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, COALESCE(unit_id, 0), full_name FROM people WHERE tenant_id = $1 AND active ORDER BY id`, tenant)
	if err != nil {
		return 0, 0, fmt.Errorf("cannot read the demo people: %w", err)
	}
	for rows.Next() {
		var p org.Person
		if err := rows.Scan(&p.ID, &p.UnitID, &p.FullName); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("cannot read the demo people: %w", err)
		}
		// The staff who act without a sign-in: those with one have roles of
		// their own (the IT administrator's does not carry out actions).
		if _, ok := is.staff[p.UnitID]; !ok && p.UnitID != 0 && !heads[p.ID] && is.userOf[p.ID] == 0 {
			is.staff[p.UnitID] = p
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("cannot read the demo people: %w", err)
	}
	for i := range demoNonconformities {
		if err := is.planNC(&demoNonconformities[i]); err != nil {
			return 0, 0, err
		}
	}
	for i := range demoProposals {
		if err := is.planProposal(&demoProposals[i]); err != nil {
			return 0, 0, err
		}
	}
	for is.queue.Len() > 0 {
		e := heap.Pop(&is.queue).(event)
		clk.Set(e.at)
		if err := e.do(ctx); err != nil {
			return is.ncCount, len(is.props), fmt.Errorf("cannot seed the demo nonconformities (%s): %w", e.what, err)
		}
	}
	cutoff := is.day0.AddDate(0, 0, -notificationDays)
	if _, err := s.db.W.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE tenant_id = $2 AND read_at IS NULL AND created_at < $1`, cutoff, tenant); err != nil {
		return is.ncCount, len(is.props), fmt.Errorf("cannot mark the old demo notifications read: %w", err)
	}
	return is.ncCount, len(is.props), nil
}

// at schedules do on the day ago days before today, at 10:00 plus minutes;
// a step that would fall after today is a mistake in the demo data.
func (is *impSeeder) at(ago, minutes int, what string, do func(context.Context) error) error {
	if ago < 0 {
		return fmt.Errorf("cannot seed the demo nonconformities: %s would happen %d days from now", what, -ago)
	}
	is.seq++
	heap.Push(&is.queue, event{at: is.day0.AddDate(0, 0, -ago).Add(8*time.Hour + time.Duration(minutes)*time.Minute), seq: is.seq, what: what, do: do})
	return nil
}

// person finds a person by key: a key of the people map, "staff:<unit>"
// (the first person of a unit who is not its head) or a user name.
func (is *impSeeder) person(key string) (org.Person, error) {
	if unit, ok := strings.CutPrefix(key, "staff:"); ok {
		if p, ok := is.staff[is.units[unit]]; ok {
			return p, nil
		}
		return org.Person{}, fmt.Errorf("the demo unit %q has no staff", unit)
	}
	if p, ok := is.people[key]; ok {
		return p, nil
	}
	if key == "primar" {
		return is.people["mayor"], nil
	}
	if key == "economic" {
		return is.people["head:de"], nil
	}
	return org.Person{}, fmt.Errorf("no demo person %q", key)
}

// actor acts as the person: through their demo user when they have one,
// else as themselves without a sign-in (a head of unit or an employee).
func (is *impSeeder) actor(ctx context.Context, key string) (auth.Actor, error) {
	key = strings.TrimPrefix(key, "person:")
	if uid, ok := is.byUser[key]; ok {
		return is.s.users.ActorByID(ctx, uid)
	}
	p, err := is.person(key)
	if err != nil {
		return auth.Actor{}, err
	}
	if uid := is.userOf[p.ID]; uid != 0 {
		return is.s.users.ActorByID(ctx, uid)
	}
	role := auth.RoleEmployee
	if strings.HasPrefix(key, "head:") {
		role = auth.RoleHeadOfUnit
	}
	return auth.Actor{Tenant: is.tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{role}, Locale: "ro"}, nil
}

func (is *impSeeder) user(ctx context.Context, name string) (auth.Actor, error) {
	uid, ok := is.byUser[name]
	if !ok {
		return auth.Actor{}, fmt.Errorf("no demo user %q", name)
	}
	return is.s.users.ActorByID(ctx, uid)
}

// step fires a workflow action on a case, as who.
func (is *impSeeder) step(spec *ncSpec, who string, in improvement.StepInput) func(context.Context) error {
	return func(ctx context.Context) error {
		a, err := is.actor(ctx, who)
		if err != nil {
			return err
		}
		n := is.ncs[spec]
		in.Version = n.Version
		out, err := is.svc.Step(ctx, a, n.ID, in)
		if err != nil {
			return err
		}
		*n = out
		return nil
	}
}

// refresh reads a case again after its actions changed it.
func (is *impSeeder) refresh(ctx context.Context, spec *ncSpec) error {
	n := is.ncs[spec]
	out, err := is.svc.Nonconformity(ctx, auth.SystemActor(is.tenant, Actor), n.ID)
	if err == nil {
		*n = out
	}
	return err
}

// planNC puts a case's story on the timeline.
func (is *impSeeder) planNC(spec *ncSpec) error {
	t := spec.ago
	name := spec.title
	is.ncs[spec] = &improvement.Nonconformity{}
	err := is.at(t, 0, name+": report", func(ctx context.Context) error {
		a, err := is.actor(ctx, spec.reporter)
		if err != nil {
			return err
		}
		n, err := is.svc.Create(ctx, a, improvement.NCInput{Title: spec.title, Description: spec.description, Source: spec.source, SourceRef: spec.ref,
			Process: spec.process, UnitID: is.units[spec.unit], Clause: spec.clause, Severity: spec.severity, Correction: spec.correction,
			CorrectionBy: spec.correctBy, CorrectionOn: map[bool]string{true: is.clk.Now().Format(time.DateOnly)}[spec.correction != ""]})
		if err != nil {
			return err
		}
		*is.ncs[spec] = n
		is.ncCount++
		return nil
	})
	if err != nil || spec.story == ncReported {
		return err
	}
	if spec.story == ncDeclined {
		return is.at(t-2, 0, name+": decline", is.step(spec, "calitate", improvement.StepInput{Action: improvement.ActDecline, Reason: spec.reason}))
	}
	owner, err := is.person(spec.owner)
	if err != nil {
		return err
	}
	if err := is.at(t-2, 0, name+": accept", is.step(spec, "calitate", improvement.StepInput{Action: improvement.ActAccept, OwnerID: owner.ID})); err != nil {
		return err
	}
	if spec.story == ncCancelled {
		return is.at(t-4, 0, name+": cancel", is.step(spec, "calitate", improvement.StepInput{Action: improvement.ActCancel, Reason: spec.reason}))
	}
	day := t - 6
	if err := is.at(day, 0, name+": analysis", is.analyse(spec)); err != nil {
		return err
	}
	if spec.story == ncAnalysis {
		return nil
	}
	last, err := is.round(spec, spec.actions, day)
	if err != nil || spec.story == ncActions {
		return err
	}
	checkIn := spec.checkIn
	if checkIn == 0 {
		checkIn = 30
	}
	verify := func(from int) (int, error) {
		checkOn := is.day0.AddDate(0, 0, -(from - checkIn)).Format(time.DateOnly)
		return from - checkIn, is.at(from, 0, name+": verify", is.step(spec, spec.owner, improvement.StepInput{Action: improvement.ActVerify,
			CheckerID: is.mustPerson(spec.checker), CheckOn: checkOn}))
	}
	check, err := verify(last - 1)
	if err != nil || spec.story == ncVerification {
		return err
	}
	if spec.story == ncReopened {
		if err := is.at(check, 0, name+": not effective", is.step(spec, spec.checker, improvement.StepInput{Action: improvement.ActNotEffective, Reason: spec.reason})); err != nil {
			return err
		}
		if last, err = is.round(spec, spec.second, check-2); err != nil {
			return err
		}
		if check, err = verify(last - 1); err != nil {
			return err
		}
	}
	return is.at(check, 0, name+": effective", is.step(spec, spec.checker, improvement.StepInput{Action: improvement.ActEffective}))
}

func (is *impSeeder) mustPerson(key string) int64 {
	p, _ := is.person(key)
	return p.ID
}

// analyse records the root-cause analysis the owner wrote.
func (is *impSeeder) analyse(spec *ncSpec) func(context.Context) error {
	return func(ctx context.Context) error {
		if len(spec.whys) == 0 && len(spec.causes) == 0 && spec.conclusion == "" {
			return nil
		}
		a, err := is.actor(ctx, spec.owner)
		if err != nil {
			return err
		}
		in := improvement.AnalysisInput{Analysis: improvement.Analysis{Causes: spec.causes, Conclusion: spec.conclusion}, Version: is.ncs[spec].Version}
		for _, w := range spec.whys {
			in.Whys = append(in.Whys, improvement.Why{Why: w[0], Because: w[1]})
		}
		n, err := is.svc.SaveAnalysis(ctx, a, is.ncs[spec].ID, in)
		if err == nil {
			*is.ncs[spec] = n
		}
		return err
	}
}

// round plans a case's actions on day (days ago), carries them out and
// returns the day (days ago) the last one was done.
func (is *impSeeder) round(spec *ncSpec, actions []ncActionSpec, day int) (int, error) {
	name := spec.title
	last := day - 1
	for i := range actions {
		x := &actions[i]
		err := is.at(day, 10+i, name+": action", func(ctx context.Context) error {
			a, err := is.actor(ctx, spec.owner)
			if err != nil {
				return err
			}
			owner, err := is.person(x.owner)
			if err != nil {
				return err
			}
			act, err := is.svc.AddAction(ctx, a, is.ncs[spec].ID, improvement.ActionInput{Description: x.text, OwnerID: owner.ID,
				DueOn: is.clk.Now().AddDate(0, 0, x.due).Format(time.DateOnly)})
			is.acts[x] = act.ID
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	if err := is.at(day, 30, name+": plan", func(ctx context.Context) error {
		if err := is.refresh(ctx, spec); err != nil {
			return err
		}
		return is.step(spec, spec.owner, improvement.StepInput{Action: improvement.ActPlan})(ctx)
	}); err != nil {
		return 0, err
	}
	for i := range actions {
		x := &actions[i]
		if x.done < 0 {
			continue
		}
		last = min(last, day-x.done)
		if err := is.at(day-x.done, 0, name+": action done", is.complete(x, x.owner, func(ctx context.Context, a auth.Actor, id int64, in improvement.DoneInput) error {
			_, err := is.svc.CompleteAction(ctx, a, is.ncs[spec].ID, id, in)
			if err != nil {
				return err
			}
			return is.refresh(ctx, spec)
		})); err != nil {
			return 0, err
		}
	}
	return last, nil
}

// complete marks an action done as its owner.
func (is *impSeeder) complete(x *ncActionSpec, who string, do func(ctx context.Context, a auth.Actor, id int64, in improvement.DoneInput) error) func(context.Context) error {
	return func(ctx context.Context) error {
		a, err := is.actor(ctx, who)
		if err != nil {
			return err
		}
		var version int
		if err := is.s.db.R.QueryRowContext(ctx, `SELECT version FROM improvement_actions WHERE id = $1`, is.acts[x]).Scan(&version); err != nil {
			return fmt.Errorf("cannot read the demo action: %w", err)
		}
		return do(ctx, a, is.acts[x], improvement.DoneInput{Note: x.note, Version: version})
	}
}

// planProposal puts a proposal's story on the timeline.
func (is *impSeeder) planProposal(spec *propSpec) error {
	t := spec.ago
	name := spec.title
	is.props[spec] = &improvement.Proposal{}
	move := func(action, reason string) func(context.Context) error {
		return func(ctx context.Context) error {
			a, err := is.user(ctx, "calitate")
			if err != nil {
				return err
			}
			p, err := is.svc.Proposal(ctx, a, is.props[spec].ID)
			if err != nil {
				return err
			}
			out, err := is.svc.ProposalStep(ctx, a, p.ID, improvement.StepInput{Action: action, Reason: reason, Version: p.Version})
			if err == nil {
				*is.props[spec] = out
			}
			return err
		}
	}
	if err := is.at(t, 5, name+": submit", func(ctx context.Context) error {
		a, err := is.actor(ctx, spec.proposer)
		if err != nil {
			return err
		}
		p, err := is.svc.Submit(ctx, a, improvement.ProposalInput{Title: spec.title, Description: spec.description, Benefit: spec.benefit,
			UnitID: is.units[spec.unit], Process: spec.process})
		if err == nil {
			*is.props[spec] = p
		}
		return err
	}); err != nil || spec.story == "submitted" {
		return err
	}
	if err := is.at(t-3, 5, name+": evaluate", move(improvement.ActEvaluate, "")); err != nil || spec.story == "evaluation" {
		return err
	}
	if spec.story == "declined" {
		return is.at(t-10, 5, name+": decline", move(improvement.ActDeclineP, spec.reason))
	}
	day := t - 10
	for i := range spec.actions {
		x := &spec.actions[i]
		if err := is.at(day, 10+i, name+": action", func(ctx context.Context) error {
			a, err := is.user(ctx, "calitate")
			if err != nil {
				return err
			}
			owner, err := is.person(x.owner)
			if err != nil {
				return err
			}
			act, err := is.svc.AddProposalAction(ctx, a, is.props[spec].ID, improvement.ActionInput{Description: x.text, OwnerID: owner.ID,
				DueOn: is.clk.Now().AddDate(0, 0, x.due).Format(time.DateOnly)})
			is.acts[x] = act.ID
			return err
		}); err != nil {
			return err
		}
	}
	if err := is.at(day, 30, name+": accept", move(improvement.ActAcceptP, "")); err != nil {
		return err
	}
	for i := range spec.actions {
		x := &spec.actions[i]
		if x.done < 0 {
			continue
		}
		if err := is.at(day-x.done, 5, name+": action done", is.complete(x, x.owner, func(ctx context.Context, a auth.Actor, id int64, in improvement.DoneInput) error {
			_, err := is.svc.CompleteProposalAction(ctx, a, is.props[spec].ID, id, in)
			return err
		})); err != nil {
			return err
		}
	}
	return nil
}
