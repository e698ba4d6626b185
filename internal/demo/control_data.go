package demo

// The demo municipality's internal managerial control: the compartments
// that answer the self-evaluation and how, the two bodies and their
// meetings, the development programmes, the sensitive functions and the
// activities against the procedures covering them. control.go plays them
// on a timeline.

// ctlEvalUnits are the compartments that answer the questionnaire, in
// the order of the organisation chart: every service, office and
// compartment; the directorates answer through their services.
var ctlEvalUnits = []string{
	"cab", "sbf", "sc", "sitl", "bpf", "bpj", "silp", "cadp", "sac", "cdc", "sjc", "sapl", "cra",
	"sru", "srpr", "capi", "bcim", "cap", "ci", "scri", "spclep", "spcf", "sbs", "cpvd", "sop", "bcr",
}

// ctlAnswerer names who fills in a compartment's questionnaire when the
// compartment has no head of its own: the head of the directorate above
// it, or the quality office for the compartments reporting to the mayor.
var ctlAnswerer = map[string]string{
	"cab": "calitate", "capi": "calitate", "cap": "calitate", "ci": "calitate",
	"cadp": "head:dti", "cdc": "head:du", "cra": "head:djapl", "cpvd": "head:das",
}

// ctlAccounts are the compartments where standard 14 (accounting and
// financial reporting) applies: the economic directorate's and the two
// subordinate bodies with legal personality, which keep their own books.
var ctlAccounts = map[string]bool{"sbf": true, "sc": true, "sitl": true, "bpf": true, "bpj": true, "sbs": true, "sop": true}

// ctlNo is a "Nu" of last year's self-evaluation: the compartment, the
// question's position in its standard (0-based; -1 the last) and why.
type ctlNo struct {
	unit     string
	standard int
	question int
	why      string
}

// The gaps of last year's self-evaluation: standards 2 (sensitive
// functions), 8 (risk management) and 11 (business continuity) are not
// implemented everywhere, so the institution counts 13 standards
// implemented.
var ctlLastYearNo = []ctlNo{
	{"sac", 2, -1, "Inventarul funcțiilor sensibile nu cuprinde încă postul de consilier care verifică documentațiile pentru autorizațiile de construire; rotația nu a fost planificată."},
	{"cap", 2, -1, "Pentru cei doi consilieri achiziții publice nu există un plan de rotație; măsurile alternative (dublă verificare) nu sunt formalizate."},
	{"cab", 8, 0, "Compartimentul nu are un responsabil cu riscurile desemnat și nici un registru al riscurilor propriu."},
	{"cra", 8, -1, "Riscurile identificate nu au fost reevaluate în cursul anului; registrul nu a fost actualizat."},
	{"cdc", 8, -1, "Măsurile de control stabilite în registrul riscurilor nu au fost urmărite la termenele stabilite."},
	{"sc", 11, -1, "Nu există un plan de continuitate pentru închiderea lunară a contabilității în lipsa titularului."},
	{"srpr", 11, 0, "Nu sunt identificate situațiile care pot întrerupe registratura (căderea aplicației, lipsa personalului)."},
	{"ci", 11, -1, "Copiile de siguranță nu sunt testate periodic prin restaurare; lipsește planul de recuperare în caz de dezastru."},
	{"spclep", 11, -1, "Nu este stabilită înlocuirea personalului pentru eliberarea actelor de identitate în perioadele de concediu."},
	{"sop", 11, -1, "Nu există un plan de continuitate pentru dispeceratul Poliției Locale."},
}

// ctlLastYearMeasures are the summary's measures for the standards not
// implemented last year.
var ctlLastYearMeasures = map[int]string{
	2:  "Actualizarea inventarului funcțiilor sensibile cu posturile din Serviciul Autorizări în Construcții și Compartimentul Achiziții Publice; planul de rotație pe trei ani și, unde rotația nu este posibilă, dubla verificare a documentelor.",
	8:  "Desemnarea responsabililor cu riscurile în toate compartimentele; reevaluarea riscurilor și actualizarea registrelor compartimentelor până la 30 aprilie; instruirea responsabililor.",
	11: "Elaborarea planului de continuitate a activității pentru registratură, contabilitate, informatică, evidența persoanelor și dispeceratul Poliției Locale; testarea restaurării copiilor de siguranță o dată pe trimestru.",
}

// ctlConclusions is last year's summary's conclusion and the report's text
// (%d: the year).
const ctlConclusions = "La 31 decembrie %[1]d, 13 din cele 16 standarde sunt implementate. Standardele 2 (Atribuții, funcții, sarcini), 8 (Managementul riscului) și 11 (Continuitatea activității) sunt parțial implementate; măsurile stabilite intră în programul de dezvoltare pe anul %[2]d."

const ctlReportText = "Primăria Municipiului Târgu Verde a continuat în anul %[1]d implementarea sistemului de control intern managerial. Comisia de monitorizare s-a întrunit trimestrial, programul de dezvoltare a fost realizat în proporție de peste 80%%, iar toate cele 26 de compartimente au completat chestionarul de autoevaluare. Sistemul de control intern managerial este parțial conform cu standardele din Codul aprobat prin OSGG nr. 600/2018: 13 standarde implementate, 3 parțial implementate. Pentru anul %[2]d ne propunem implementarea integrală a standardelor 2, 8 și 11."

// ctlThisYear says how far each compartment has got with this year's
// questionnaire: submitted, or the number of standards answered so far
// (0: not started).
var ctlThisYearSubmitted = []string{"bcim", "capi", "sru", "srpr", "ci", "spclep"}
var ctlThisYearHalfway = map[string]int{"sbf": 8, "sitl": 5, "sjc": 10, "sac": 3, "scri": 12, "cap": 6}

// ctlThisYearNo are this year's remaining gaps among those who answered.
var ctlThisYearNo = []ctlNo{
	{"srpr", 11, -1, "Planul de continuitate a fost aprobat, dar nu a fost încă testat în situația indisponibilității aplicației de registratură."},
	{"sjc", 8, -1, "Registrul riscurilor compartimentului a fost actualizat, dar două măsuri de control au termenul depășit."},
}

// ctlEvidence is a record linked as evidence: a document by its code, or
// a risk of the compartment (risk: true, the first in its register).
type ctlEvidence struct {
	unit     string
	standard int
	doc      string
	risk     bool
	notes    string
}

var ctlLastYearEvidence = []ctlEvidence{
	{unit: "bcim", standard: 9, doc: "PS-01", notes: "Procedura de sistem privind controlul documentelor, aplicată în toate compartimentele."},
	{unit: "bcim", standard: 13, doc: "PS-02", notes: "Evidența înregistrărilor și termenele de păstrare."},
	{unit: "bcim", standard: 8, doc: "PS-05", notes: "Procedura de management al riscurilor și registrul riscurilor."},
	{unit: "bcim", standard: 8, risk: true, notes: "Registrul riscurilor actualizat și revizuit."},
	{unit: "srpr", standard: 12, doc: "PO-SRPR-01", notes: "Circuitul petițiilor, de la înregistrare la arhivare."},
	{unit: "srpr", standard: 9, doc: "PO-SRPR-02", notes: "Solicitările de informații de interes public."},
	{unit: "capi", standard: 16, doc: "PS-03", notes: "Auditul intern al sistemului de management al calității."},
	{unit: "sru", standard: 3, doc: "PO-SRU-01", notes: "Concursurile pentru posturile vacante."},
	{unit: "sbf", standard: 14, doc: "PO-DE-01", notes: "Angajarea, lichidarea, ordonanțarea și plata cheltuielilor."},
	{unit: "sac", standard: 9, doc: "PO-DU-01", notes: "Autorizațiile de construire și de desființare."},
}

// ctlMember is a body's member: a people key and the role.
type ctlMember struct {
	who, role string
}

// The monitoring commission: the deputy mayor presides, the secretary
// general is vice-president, the heads of the first-level compartments
// (never internal audit) are members, two representatives stand for
// compartments without a head, and the quality office is the technical
// secretariat.
var ctlCommission = []ctlMember{
	{"deputy", "president"}, {"secretary", "vice_president"},
	{"head:de", "member"}, {"head:dti", "member"}, {"head:du", "member"}, {"head:djapl", "member"},
	{"head:sru", "member"}, {"head:srpr", "member"}, {"head:scri", "member"}, {"head:spclep", "member"},
	{"head:das", "member"}, {"head:pl", "member"}, {"head:bcim", "member"},
	{"staff:cap", "member"}, {"staff:ci", "member"},
	{"calitate", "secretary"}, {"staff:bcim", "secretary"},
}

// The risk management team: the economic director leads the compartments'
// risk officers.
var ctlRiskTeam = []ctlMember{
	{"head:de", "president"}, {"head:bcim", "vice_president"},
	{"staff:sbf", "member"}, {"staff:silp", "member"}, {"staff:sac", "member"}, {"staff:sjc", "member"},
	{"staff:srpr", "member"}, {"staff:spcf", "member"}, {"staff:sop", "member"},
	{"calitate", "secretary"},
}

// ctlDecision is what a meeting decided; an owner and a number of days to
// the deadline make it a task; done is how many days after the meeting it
// was done (0: still open).
type ctlDecision struct {
	text  string
	owner string
	days  int
	done  int
}

// ctlMeeting is one meeting of a body. when is its anchor (see control.go):
// "prog-1" the approval of last year's programme, "report" the summary's
// approval, "prog" this year's programme, "mid" the half-year review,
// "open" the launch of this year's self-evaluation, "next" a planned one.
type ctlMeeting struct {
	body      string // commission, risk_team
	when      string
	place     string
	agenda    string
	minutes   string
	decisions []ctlDecision
}

var ctlMeetings = []ctlMeeting{
	{body: "commission", when: "prog-1", place: "Sala de ședințe a Primăriei",
		agenda:  "1. Analiza realizării programului de dezvoltare a SCIM pe anul anterior.\n2. Avizarea programului de dezvoltare a SCIM pe anul %[1]d.\n3. Diverse.",
		minutes: "Secretariatul tehnic a prezentat stadiul realizării acțiunilor din programul anterior. Membrii comisiei au discutat proiectul programului pe anul %[1]d și au propus completarea acțiunilor pentru standardul 9 (Proceduri). Programul a fost avizat în unanimitate și înaintat primarului spre aprobare.",
		decisions: []ctlDecision{
			{text: "Se avizează programul de dezvoltare a SCIM pe anul %[1]d, cu completările propuse pentru standardul 9.", owner: "calitate", days: 7, done: 3},
			{text: "Șefii compartimentelor transmit secretariatului tehnic lista activităților procedurabile actualizată.", owner: "head:bcim", days: 30, done: 26},
		}},
	{body: "risk_team", when: "prog-1", place: "Biroul Control Intern Managerial",
		agenda:  "1. Consolidarea registrelor riscurilor compartimentelor.\n2. Stabilirea riscurilor semnificative ale primăriei.",
		minutes: "Responsabilii cu riscurile au prezentat registrele compartimentelor. Echipa a consolidat registrul primăriei și a propus profilul de risc și limita de toleranță, care se supun aprobării primarului.",
		decisions: []ctlDecision{
			{text: "Se supune aprobării primarului registrul riscurilor consolidat și limita de toleranță la risc 9.", owner: "head:de", days: 10, done: 8},
		}},
	{body: "commission", when: "report", place: "Sala de ședințe a Primăriei",
		agenda:  "1. Analiza situației sintetice a rezultatelor autoevaluării pe anul %[2]d.\n2. Aprobarea raportului asupra sistemului de control intern managerial la 31 decembrie %[2]d.\n3. Măsuri pentru standardele parțial implementate.",
		minutes: "Secretariatul tehnic a prezentat situația sintetică: 26 de compartimente au completat chestionarul, 13 standarde sunt implementate, iar standardele 2, 8 și 11 sunt parțial implementate. Președintele comisiei a aprobat situația sintetică; raportul a fost înaintat primarului spre semnare.",
		decisions: []ctlDecision{
			{text: "Se aprobă situația sintetică a rezultatelor autoevaluării pe anul %[2]d.", owner: "calitate", days: 5, done: 1},
			{text: "Măsurile pentru standardele 2, 8 și 11 se includ în programul de dezvoltare a SCIM pe anul %[1]d.", owner: "calitate", days: 20, done: 12},
		}},
	{body: "commission", when: "mid", place: "Sala de ședințe a Primăriei",
		agenda:  "1. Stadiul realizării programului de dezvoltare la jumătatea anului.\n2. Inventarul funcțiilor sensibile și planul de rotație.\n3. Planul de continuitate a activității.",
		minutes: "Au fost realizate aproape jumătate din acțiunile programului. Inventarul funcțiilor sensibile a fost actualizat; două persoane depășesc durata de cinci ani în funcție. Planul de continuitate este în lucru pentru registratură și informatică.",
		decisions: []ctlDecision{
			{text: "Se actualizează planul de rotație pentru funcțiile sensibile din Serviciul Impozite și Taxe Locale.", owner: "head:sitl", days: 45, done: 40},
			{text: "Compartimentul Informatică testează restaurarea copiilor de siguranță și prezintă rezultatul comisiei.", owner: "staff:ci", days: 60},
		}},
	{body: "risk_team", when: "mid", place: "Biroul Control Intern Managerial",
		agenda:  "1. Revizuirea riscurilor semnificative.\n2. Alertele la risc primite în semestrul I.",
		minutes: "Echipa a analizat trei formulare de alertă la risc; două riscuri noi au fost incluse în registrul primăriei, unul a fost declarat nerelevant.",
		decisions: []ctlDecision{
			{text: "Responsabilii cu riscurile actualizează registrele compartimentelor cu riscurile noi.", owner: "staff:sbf", days: 30, done: 25},
		}},
	{body: "commission", when: "open", place: "Sala de ședințe a Primăriei",
		agenda:  "1. Lansarea autoevaluării sistemului de control intern managerial pe anul %[3]d.\n2. Calendarul completării chestionarelor.\n3. Diverse.",
		minutes: "Secretariatul tehnic a prezentat chestionarul de autoevaluare și termenul de completare. Șefii compartimentelor au fost rugați să atașeze dovezi din Cadran pentru fiecare standard.",
		decisions: []ctlDecision{
			{text: "Toate compartimentele completează și transmit chestionarul de autoevaluare în termen.", owner: "calitate", days: 30},
			{text: "Serviciul Resurse Umane verifică actualizarea fișelor de post după reorganizare.", owner: "head:sru", days: 21},
		}},
}

// ctlObjective is an objective of the development programme.
type ctlObjective struct {
	code, title, desc string
}

var ctlObjectives = []ctlObjective{
	{"O1", "Consolidarea mediului de control", "Etica și integritatea, fișele de post, competența personalului și structura organizatorică (standardele 1–4)."},
	{"O2", "Managementul performanțelor și al riscurilor", "Obiective SMART, planificare, indicatori de performanță și registrele riscurilor (standardele 5–8)."},
	{"O3", "Procedurarea și continuitatea activităților", "Procedurile operaționale, supravegherea și planul de continuitate (standardele 9–11)."},
	{"O4", "Informare, documente, evaluare și audit", "Comunicarea internă, gestionarea documentelor, raportarea financiară, autoevaluarea și auditul intern (standardele 12–16)."},
}

// ctlAction is an action of a programme: its objective, standard, owner
// (people key), compartment (unit key), deadline as month and day of the
// programme's year, and whether it was done (doneDays after... the
// deadline, negative: before it) or is open.
type ctlAction struct {
	obj      string
	standard int
	title    string
	owner    string
	unit     string
	month    int
	day      int
	done     bool
	doneDays int
	result   string
}

// Last year's programme: most actions done, three open, carried over.
var ctlLastProgramme = []ctlAction{
	{obj: "O1", standard: 1, title: "Instruirea personalului privind codul de etică și conflictul de interese", owner: "head:sru", unit: "sru", month: 4, day: 30, done: true, doneDays: -6, result: "Instruire ținută pentru 180 de angajați."},
	{obj: "O1", standard: 2, title: "Actualizarea fișelor de post după modificarea organigramei", owner: "head:sru", unit: "sru", month: 6, day: 30, done: true, doneDays: -10, result: "Fișele de post actualizate și semnate."},
	{obj: "O1", standard: 4, title: "Revizuirea Regulamentului de organizare și funcționare", owner: "head:djapl", unit: "djapl", month: 9, day: 30, done: true, doneDays: 12, result: "ROF aprobat prin hotărâre a consiliului local."},
	{obj: "O2", standard: 5, title: "Stabilirea obiectivelor specifice ale compartimentelor și a indicatorilor asociați", owner: "calitate", unit: "bcim", month: 3, day: 31, done: true, doneDays: -2, result: "Obiectivele specifice introduse în tabloul de bord."},
	{obj: "O2", standard: 7, title: "Raportarea trimestrială a indicatorilor de performanță", owner: "calitate", unit: "bcim", month: 12, day: 15, done: true, doneDays: -5, result: "Patru rapoarte trimestriale prezentate comisiei."},
	{obj: "O2", standard: 8, title: "Desemnarea responsabililor cu riscurile în toate compartimentele", owner: "head:bcim", unit: "bcim", month: 5, day: 31},
	{obj: "O3", standard: 9, title: "Elaborarea procedurii operaționale pentru achizițiile prin licitație deschisă", owner: "staff:cap", unit: "cap", month: 10, day: 31},
	{obj: "O3", standard: 10, title: "Introducerea listelor de verificare pentru avizarea documentelor de plată", owner: "head:sc", unit: "sc", month: 6, day: 30, done: true, doneDays: 20, result: "Lista de verificare aplicată din luna iulie."},
	{obj: "O3", standard: 11, title: "Elaborarea planului de continuitate a activității", owner: "head:bcim", unit: "bcim", month: 11, day: 30},
	{obj: "O4", standard: 13, title: "Actualizarea nomenclatorului arhivistic", owner: "head:srpr", unit: "srpr", month: 8, day: 31, done: true, doneDays: -15, result: "Nomenclatorul confirmat de Arhivele Naționale."},
	{obj: "O4", standard: 15, title: "Autoevaluarea sistemului de control intern managerial", owner: "calitate", unit: "bcim", month: 12, day: 31, done: true, doneDays: -20, result: "Chestionarele lansate; raportul la termen."},
}

// This year's own actions, added after the yearly update; a few of the
// early ones are overdue.
var ctlThisProgramme = []ctlAction{
	{obj: "O1", standard: 1, title: "Declarațiile de avere și de interese: verificarea depunerii în termen", owner: "head:sru", unit: "sru", month: 6, day: 15, done: true, doneDays: -1, result: "Toate declarațiile depuse și publicate."},
	{obj: "O1", standard: 2, title: "Actualizarea inventarului funcțiilor sensibile și a planului de rotație", owner: "calitate", unit: "bcim", month: 3, day: 31, done: true, doneDays: 4, result: "Inventar actualizat: 10 funcții sensibile."},
	{obj: "O1", standard: 3, title: "Evaluarea nevoilor de instruire și planul anual de perfecționare", owner: "head:sru", unit: "sru", month: 2, day: 28, done: true, doneDays: 0, result: "Plan aprobat de primar."},
	{obj: "O2", standard: 6, title: "Corelarea planului anual de achiziții cu bugetul aprobat", owner: "head:sbf", unit: "sbf", month: 3, day: 15, done: true, doneDays: 10, result: "Plan corelat după rectificarea bugetară."},
	{obj: "O2", standard: 7, title: "Raportarea semestrială a indicatorilor de performanță către comisie", owner: "calitate", unit: "bcim", month: 7, day: 31, done: true, doneDays: -3, result: "Raport prezentat în ședința comisiei."},
	{obj: "O2", standard: 8, title: "Reevaluarea riscurilor și actualizarea registrelor compartimentelor", owner: "head:de", unit: "de", month: 4, day: 30},
	{obj: "O2", standard: 8, title: "Instruirea responsabililor cu riscurile", owner: "head:bcim", unit: "bcim", month: 12, day: 15},
	{obj: "O3", standard: 9, title: "Procedura operațională pentru eliberarea certificatelor de atestare fiscală", owner: "head:bpf", unit: "bpf", month: 9, day: 30},
	{obj: "O3", standard: 11, title: "Testarea trimestrială a restaurării copiilor de siguranță", owner: "staff:ci", unit: "ci", month: 12, day: 20},
	{obj: "O3", standard: 11, title: "Planul de continuitate pentru dispeceratul Poliției Locale", owner: "head:pl", unit: "pl", month: 12, day: 31},
	{obj: "O4", standard: 12, title: "Publicarea pe site a rapoartelor de activitate ale compartimentelor", owner: "head:scri", unit: "scri", month: 5, day: 31, done: true, doneDays: 7, result: "Rapoartele publicate în secțiunea Transparență."},
	{obj: "O4", standard: 15, title: "Autoevaluarea anuală a sistemului de control intern managerial", owner: "calitate", unit: "bcim", month: 12, day: 31},
	{obj: "O4", standard: 16, title: "Auditul de sistem asupra procesului de management al riscurilor", owner: "staff:capi", unit: "capi", month: 12, day: 10},
}

// ctlSensitive is a sensitive function of the inventory: its holders are
// the unit's people (holders, from the first), each in the function for
// years (the service plans each one's rotation itself when the function
// rotates); the measures are the other controls that reduce its risk.
type ctlSensitive struct {
	unit, title string
	factors     []string
	desc        string
	rotation    bool
	holders     []float64 // years in the function, per holder
	measures    []ctlSMeasure
}

// ctlSMeasure: kind, description, owner (people key), due in days from
// today (negative: past), done (days ago; 0 still planned).
type ctlSMeasure struct {
	kind, desc, owner string
	due               int
	doneAgo           int
	forHolder         int // 1-based holder; 0 the function
}

var ctlSensitiveFunctions = []ctlSensitive{
	{unit: "sitl", title: "Casier", factors: []string{"money", "public"}, rotation: true, holders: []float64{6.3},
		desc: "Încasarea în numerar a impozitelor, taxelor și amenzilor la ghișeu.",
		measures: []ctlSMeasure{
			{kind: "dual_signature", desc: "Verificarea zilnică a registrului de casă de către șeful serviciului.", owner: "head:sitl", due: -200, doneAgo: 190},
		}},
	{unit: "cap", title: "Consilier achiziții publice", factors: []string{"procurement", "exclusive", "information"}, rotation: true, holders: []float64{4.8, 2.1},
		desc: "Întocmirea documentațiilor de atribuire și evaluarea ofertelor.",
		measures: []ctlSMeasure{
			{kind: "other", desc: "Alternarea consilierilor ca responsabili de procedură.", owner: "calitate", due: 60},
			{kind: "segregation", desc: "Comisia de evaluare nu include persoana care a întocmit documentația.", owner: "staff:cap", due: -120, doneAgo: 110},
		}},
	{unit: "bpf", title: "Inspector impozite și taxe — constatare persoane fizice", factors: []string{"public", "advice", "information"}, rotation: true, holders: []float64{5.4, 1.5},
		desc: "Stabilirea impozitelor pe clădiri, teren și mijloace de transport; controlul declarațiilor.",
		measures: []ctlSMeasure{
			{kind: "supervision", desc: "Verificarea prin sondaj a deciziilor de impunere de către șeful biroului.", owner: "head:bpf", due: 30},
		}},
	{unit: "bpj", title: "Inspector impozite și taxe — control persoane juridice", factors: []string{"public", "advice", "exclusive"}, rotation: true, holders: []float64{3.2, 2.6},
		desc: "Inspecția fiscală la persoanele juridice și stabilirea obligațiilor suplimentare.",
		measures: []ctlSMeasure{
			{kind: "supervision", desc: "Verificarea rapoartelor de inspecție de către șeful biroului înainte de comunicare.", owner: "head:bpj", due: -300, doneAgo: 290},
		}},
	{unit: "cadp", title: "Gestionar bunuri materiale", factors: []string{"assets"}, rotation: false, holders: []float64{7.1},
		desc: "Primirea, păstrarea și eliberarea bunurilor din magazie; evidența obiectelor de inventar.",
		measures: []ctlSMeasure{
			{kind: "other", desc: "Inventarierea anuală cu o comisie din afara compartimentului și garanția gestionarului.", owner: "head:dti", due: 40},
			{kind: "dual_signature", desc: "Bonurile de consum semnate de gestionar și de șeful direcției.", owner: "head:dti", due: -150, doneAgo: 140},
		}},
	{unit: "sac", title: "Consilier autorizări în construcții", factors: []string{"public", "exclusive", "advice"}, rotation: true, holders: []float64{4.9},
		desc: "Verificarea documentațiilor și redactarea certificatelor de urbanism și a autorizațiilor de construire.",
		measures: []ctlSMeasure{
			{kind: "segregation", desc: "Repartizarea aleatorie a documentațiilor între consilieri.", owner: "head:sac", due: 45},
		}},
	{unit: "srpr", title: "Referent registratură și relații cu publicul", factors: []string{"information", "public"}, rotation: true, holders: []float64{2.4, 1.2},
		desc: "Înregistrarea și repartizarea corespondenței; informarea cetățenilor la ghișeu.",
		measures: []ctlSMeasure{
			{kind: "rotation", desc: "Rotația lunară între ghișeu și registratura electronică.", owner: "head:srpr", due: -60, doneAgo: 55},
		}},
	{unit: "sjc", title: "Consilier juridic — avize de legalitate", factors: []string{"advice", "delegation"}, rotation: false, holders: []float64{8.0},
		desc: "Avizarea pentru legalitate a contractelor și a dispozițiilor primarului.",
		measures: []ctlSMeasure{
			{kind: "supervision", desc: "Avizele pentru contractele de peste 100.000 lei se contrasemnează de șeful serviciului.", owner: "head:sjc", due: 20},
		}},
	{unit: "ci", title: "Administrator rețea și sisteme informatice", factors: []string{"information", "exclusive"}, rotation: false, holders: []float64{3.6},
		desc: "Administrarea serverelor, a conturilor și a copiilor de siguranță.",
		measures: []ctlSMeasure{
			{kind: "segregation", desc: "Conturile de administrator nominale și jurnalizarea acțiunilor administrative.", owner: "head:bcim", due: -90, doneAgo: 80},
			{kind: "other", desc: "Parolele de urgență păstrate în plic sigilat la secretarul general.", owner: "secretary", due: 15},
		}},
	{unit: "sbs", title: "Inspector beneficii sociale", factors: []string{"money", "public", "advice"}, rotation: true, holders: []float64{4.2, 0.8},
		desc: "Stabilirea dreptului la venitul minim de incluziune și la alte beneficii sociale.",
		measures: []ctlSMeasure{
			{kind: "dual_signature", desc: "Dosarele de acordare verificate de un al doilea inspector.", owner: "head:sbs", due: -30},
		}},
	{unit: "bcr", title: "Polițist local — constatarea contravențiilor rutiere", factors: []string{"public", "delegation"}, rotation: true, holders: []float64{5.1},
		desc: "Constatarea contravențiilor și aplicarea sancțiunilor în trafic.",
		measures: []ctlSMeasure{
			{kind: "supervision", desc: "Schimbarea echipajelor și a sectoarelor de patrulare; camere de corp purtate în serviciu.", owner: "head:bcr", due: 10},
		}},
}

// ctlActivity is an activity of a compartment: covered by the procedure of
// code doc, exempt for a reason, or missing (owner and due in days from
// today).
type ctlActivity struct {
	unit, title string
	doc         string
	exempt      string
	owner       string
	due         int
}

var ctlActivities = []ctlActivity{
	{unit: "bcim", title: "Controlul documentelor sistemului", doc: "PS-01"},
	{unit: "bcim", title: "Controlul înregistrărilor", doc: "PS-02"},
	{unit: "bcim", title: "Neconformități și acțiuni corective", doc: "PS-04"},
	{unit: "bcim", title: "Managementul riscurilor", doc: "PS-05"},
	{unit: "bcim", title: "Comunicarea internă", doc: "PS-06"},
	{unit: "bcim", title: "Autoevaluarea sistemului de control intern managerial", owner: "calitate", due: 45},
	{unit: "capi", title: "Auditul intern al sistemului de management al calității", doc: "PS-03"},
	{unit: "capi", title: "Misiunile de audit public intern", exempt: "Se desfășoară după Normele metodologice proprii privind exercitarea activității de audit public intern, aprobate."},
	{unit: "srpr", title: "Primirea și soluționarea petițiilor", doc: "PO-SRPR-01"},
	{unit: "srpr", title: "Solicitările de informații de interes public", doc: "PO-SRPR-02"},
	{unit: "srpr", title: "Scanarea și înregistrarea corespondenței", owner: "head:srpr", due: 40},
	{unit: "srpr", title: "Predarea documentelor la arhivă", owner: "head:srpr", due: -25},
	{unit: "cab", title: "Organizarea audiențelor", doc: "PO-CAB-01"},
	{unit: "cab", title: "Agenda și protocolul primarului", exempt: "Activitate de secretariat, fără circuit de documente."},
	{unit: "sac", title: "Emiterea autorizației de construire și de desființare", doc: "PO-DU-01"},
	{unit: "sac", title: "Emiterea certificatului de urbanism", doc: "PO-DU-02"},
	{unit: "sac", title: "Regularizarea taxei de autorizare la finalizarea lucrărilor", owner: "head:sac", due: 60},
	{unit: "cdc", title: "Controlul disciplinei în construcții", owner: "head:du", due: -40},
	{unit: "bpf", title: "Stabilirea și încasarea impozitelor persoanelor fizice", doc: "PO-DE-SITL-01"},
	{unit: "bpf", title: "Eliberarea certificatelor de atestare fiscală", owner: "head:bpf", due: 30},
	{unit: "sitl", title: "Executarea silită a creanțelor bugetare", owner: "head:sitl", due: -10},
	{unit: "sbf", title: "Angajarea, lichidarea, ordonanțarea și plata cheltuielilor", doc: "PO-DE-01"},
	{unit: "sbf", title: "Elaborarea și aprobarea bugetului local", doc: "PO-DE-02"},
	{unit: "sc", title: "Închiderea lunară a conturilor și balanța de verificare", owner: "head:sc", due: 75},
	{unit: "cap", title: "Achiziția directă", doc: "PO-CAP-01"},
	{unit: "cap", title: "Licitația deschisă", owner: "staff:cap", due: -55},
	{unit: "sru", title: "Concursul pentru posturile vacante de personal contractual", doc: "PO-SRU-01"},
	{unit: "sru", title: "Evaluarea anuală a performanțelor profesionale", owner: "head:sru", due: 20},
	{unit: "sru", title: "Declarațiile de avere și de interese", exempt: "Formularele și termenele sunt stabilite integral de Legea nr. 176/2010."},
	{unit: "spclep", title: "Înregistrarea nașterii și eliberarea certificatului", doc: "PO-SPCLEP-01"},
	{unit: "spclep", title: "Eliberarea actelor de identitate", owner: "head:spclep", due: 90},
	{unit: "sapl", title: "Redactarea și comunicarea dispozițiilor primarului", doc: "PO-DJAPL-01"},
	{unit: "sapl", title: "Pregătirea ședințelor consiliului local", owner: "head:sapl", due: 35},
	{unit: "sbs", title: "Acordarea venitului minim de incluziune", doc: "PO-DAS-01"},
	{unit: "cpvd", title: "Asistenții personali ai persoanelor cu handicap grav", doc: "PO-DAS-02"},
	{unit: "cra", title: "Completarea registrului agricol", exempt: "Reglementată integral de normele tehnice aprobate prin ordin comun al ministerelor de resort."},
	{unit: "ci", title: "Copiile de siguranță și restaurarea datelor", owner: "staff:ci", due: 15},
	{unit: "ci", title: "Gestionarea conturilor și a drepturilor de acces", owner: "staff:ci", due: 50},
}
