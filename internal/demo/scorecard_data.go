package demo

import "cadran/internal/scorecard"

// The demo municipality's Balanced Scorecard: the strategy adopted by the
// mayor in the autumn three years ago, twelve objectives of the institution
// over the four public-sector perspectives (five of them quality objectives,
// ISO 9001 6.2), the economic directorate's and the social assistance
// directorate's objectives cascaded to them, about thirty KPIs and the
// initiatives that carry the objectives out.
//
// The figures are chosen so the scorecard of the last month shows every
// colour: the urban planning and the IT objectives in the red, the tax
// collection, EU funds, petitions and internal control objectives in the
// amber, the rest in the green.

// scObjSpec is one strategic objective.
type scObjSpec struct {
	key     string // how KPIs and initiatives refer to it
	persp   string // the perspective's kind
	unit    string // "" the institution's; else the unit's key
	parent  string // the institution objective a unit's objective contributes to
	title   string
	desc    string
	owner   string // people key
	weight  float64
	quality bool
}

// scKPISpec is one KPI, its targets and its story.
type scKPISpec struct {
	code, name, unit string // unit: the measure ("%", "zile")
	desc             string
	polarity, method string
	freq             string
	base, red, high  *float64 // high: the red threshold above a band
	decimals         int
	// targets of the last four years, oldest first, the last one this
	// year's; bandTop the top of a band's target (same each year).
	targets [4]float64
	bandTop float64
	// periodTargets: targets of single periods of this year, by the
	// period's number (quarter 1 ...).
	periodTargets map[int]float64
	owner         string // people key
	source        string // where the figures come from, in words
	objective     string // objective key; "" for a KPI only formulas read
	orgUnit       string // unit key of a KPI without objective
	process       string
	weight        float64
	metric        string
	formula       string
	// The series: from the first value to the last, with noise; or vals,
	// the last values, oldest first (yearly and half-yearly KPIs).
	from, to, noise float64
	vals            []float64
	// by: who enters the values when not the owner ("angajat",
	// "registratura"): they wait for the owner's approval.
	by string
	// source of the values: scorecard.SourceImport for figures taken from
	// another system; manual otherwise.
	imported bool
	// skipLast leaves the last period without a value (a due-value task);
	// pendingLast leaves the last value waiting for the owner.
	skipLast, pendingLast bool
	// whys explain the values in the red, in turn.
	whys []string
	// corrections: values corrected later, by how many periods before the
	// last, the new value and why.
	corrections []scCorrection
}

type scCorrection struct {
	back  int
	value float64
	why   string
}

func f64(x float64) *float64 { return &x }

const (
	pCit  = scorecard.PerspectiveCitizens
	pFin  = scorecard.PerspectiveFinancial
	pProc = scorecard.PerspectiveProcesses
	pLrn  = scorecard.PerspectiveLearning

	higher = scorecard.PolarityHigher
	lower  = scorecard.PolarityLower
	band   = scorecard.PolarityBand

	linear = scorecard.MethodLinear
	bands  = scorecard.MethodBands
	binary = scorecard.MethodBinary

	monthly    = scorecard.Monthly
	quarterly  = scorecard.Quarterly
	halfyearly = scorecard.HalfYearly
	yearly     = scorecard.Yearly
)

var demoObjectives = []scObjSpec{
	// Cetățeni și comunitate.
	{key: "C1", persp: pCit, title: "Creșterea satisfacției cetățenilor față de serviciile publice", owner: "mayor", weight: 3, quality: true,
		desc: "Cetățenii primesc servicii prompte, corecte și politicoase la ghișee și online; satisfacția se măsoară semestrial prin chestionar."},
	{key: "C2", persp: pCit, title: "Reducerea timpului de eliberare a certificatelor de urbanism", owner: "head:du", weight: 2, quality: true,
		desc: "Certificatele de urbanism se eliberează sub termenul legal de 15 zile, fără reveniri pentru documente lipsă."},
	{key: "C3", persp: pCit, title: "Digitalizarea serviciilor publice (cereri online)", owner: "deputy", weight: 2,
		desc: "Cât mai multe servicii se pot cere și plăti online, fără deplasare la primărie."},
	{key: "C4", persp: pCit, title: "Sprijinirea persoanelor vulnerabile din comunitate", owner: "head:das", weight: 1,
		desc: "Beneficiile și serviciile sociale ajung la timp la cei care au nevoie de ele; obiectiv realizat prin Direcția de Asistență Socială."},
	// Administrarea responsabilă a resurselor financiare.
	{key: "F1", persp: pFin, title: "Creșterea gradului de colectare a impozitelor și taxelor locale", owner: "head:de", weight: 3,
		desc: "Veniturile proprii se încasează la termen; restanțele se urmăresc și se execută silit la timp."},
	{key: "F2", persp: pFin, title: "Atragerea de fonduri europene nerambursabile", owner: "head:dti", weight: 2,
		desc: "Investițiile municipiului se finanțează în cea mai mare parte din fonduri nerambursabile, cu proiecte implementate la termen."},
	{key: "F3", persp: pFin, title: "Asigurarea unei execuții bugetare echilibrate", owner: "head:de", weight: 1,
		desc: "Cheltuielile se fac în limita prevederilor, iar furnizorii sunt plătiți la termen, fără penalități."},
	// Procese interne.
	{key: "P1", persp: pProc, title: "Menținerea sistemului de management al calității certificat ISO 9001", owner: "calitate", weight: 2, quality: true,
		desc: "Sistemul de management al calității rămâne certificat, procedurile sunt cunoscute și aplicate, acțiunile corective se închid la termen."},
	{key: "P2", persp: pProc, title: "Soluționarea în termen a petițiilor și a solicitărilor de informații publice", owner: "secretary", weight: 2, quality: true,
		desc: "Petițiile primesc răspuns în termenul legal de 30 de zile, solicitările de informații publice în cel mult 10 zile."},
	{key: "P3", persp: pProc, title: "Implementarea sistemului de control intern managerial (OSGG 600)", owner: "secretary", weight: 1,
		desc: "Cele 16 standarde de control intern managerial sunt implementate, iar riscurile sunt ținute în limita de toleranță."},
	// Învățare și dezvoltare.
	{key: "L1", persp: pLrn, title: "Dezvoltarea competențelor personalului", owner: "head:sru", weight: 2, quality: true,
		desc: "Fiecare angajat urmează programele de perfecționare din planul anual; instruirile ISO 9001 și OSGG 600 cuprind tot personalul."},
	{key: "L2", persp: pLrn, title: "Modernizarea infrastructurii informatice", owner: "head:dti", weight: 1,
		desc: "Sistemele informatice sunt disponibile, actualizate și protejate, ca serviciile online să funcționeze fără întrerupere."},

	// Direcția Economică: obiectivele ei, în cascadă către ale instituției.
	{key: "DE1", unit: "de", parent: "F1", persp: pFin, title: "Creșterea încasărilor din impozitele persoanelor fizice", owner: "head:sitl", weight: 2,
		desc: "Impozitul pe clădiri și terenuri al persoanelor fizice se încasează în anul în care este datorat."},
	{key: "DE2", unit: "de", parent: "F1", persp: pFin, title: "Recuperarea creanțelor restante ale persoanelor juridice", owner: "head:bpj", weight: 1,
		desc: "Creanțele restante ale persoanelor juridice scad de la an la an prin somații și executare silită la timp."},
	{key: "DE3", unit: "de", parent: "C3", persp: pCit, title: "Extinderea plăților online ale impozitelor și taxelor", owner: "head:sitl", weight: 1,
		desc: "Contribuabilii plătesc online, prin Ghișeul.ro și portalul primăriei, fără să vină la casierie."},
	// Direcția de Asistență Socială (serviciu subordonat consiliului local).
	{key: "AS1", unit: "das", parent: "C4", persp: pProc, title: "Soluționarea în termen a dosarelor de beneficii sociale", owner: "head:sbs", weight: 2,
		desc: "Dosarele de ajutor social și de alocații se soluționează în mai puțin de 20 de zile, cu anchetă socială la domiciliu."},
	{key: "AS2", unit: "das", parent: "C4", persp: pCit, title: "Extinderea serviciilor de îngrijire la domiciliu pentru vârstnici", owner: "head:das", weight: 1,
		desc: "Mai mulți vârstnici dependenți primesc îngrijire la domiciliu, evitând internarea în centre rezidențiale."},
}

// scLinks are the strategy map's arrows: learning and growth enables the
// processes, which serve the citizens and the finances.
var scLinks = [][3]string{
	{"L1", "P1", "Personal instruit aplică procedurile sistemului de management al calității"},
	{"L1", "P2", "Personal instruit răspunde corect și la termen"},
	{"L2", "C3", "Infrastructura informatică susține serviciile online"},
	{"L2", "P2", "Registratura electronică urmărește termenele petițiilor"},
	{"P1", "C1", "Procese stăpânite dau servicii de calitate"},
	{"P2", "C1", "Răspunsurile la termen cresc încrederea cetățenilor"},
	{"P1", "C2", "Procedura de emitere a certificatelor de urbanism, îmbunătățită"},
	{"P3", "F3", "Controlul financiar preventiv și gestionarea riscurilor"},
	{"F1", "C4", "Veniturile proprii finanțează serviciile sociale"},
	{"F2", "C3", "Proiectele cu fonduri europene finanțează digitalizarea"},
	{"C3", "C1", "Cererile online scurtează drumurile la primărie"},
}

// demoKPIs: the yearly targets rise over the years; the last value of each
// series is where the KPI stands at the last period that has ended.
var demoKPIs = []scKPISpec{
	// C1 satisfacția cetățenilor.
	{code: "K01", name: "Indicele de satisfacție a cetățenilor (scala 1–5)", unit: "puncte", polarity: higher, method: linear, freq: halfyearly,
		base: f64(3.4), red: f64(3.5), decimals: 2, targets: [4]float64{3.8, 3.9, 4.0, 4.2}, owner: "calitate", objective: "C1", weight: 2,
		source: "Chestionarul de satisfacție aplicat la ghișee și pe site, prelucrat de Biroul CIM și Managementul Calității", process: "Măsurarea satisfacției clienților",
		vals: []float64{3.62, 3.71, 3.84, 3.9, 4.02, 3.95}, desc: "Media răspunsurilor la chestionarul de satisfacție, pe o scală de la 1 (foarte nemulțumit) la 5 (foarte mulțumit)."},
	{code: "K02", name: "Reclamații întemeiate ale cetățenilor", unit: "nr.", polarity: lower, method: bands, freq: monthly,
		base: f64(12), red: f64(8), targets: [4]float64{6, 5, 4, 4}, owner: "secretary", objective: "C1", weight: 1,
		source: "Registrul petițiilor, petițiile clasate ca reclamații întemeiate", process: "Soluționarea petițiilor",
		from: 8, to: 6, noise: 1.3, whys: []string{"Reclamații privind programul de lucru cu publicul în perioada concediilor", "Reclamații privind colectarea deșeurilor, transmise operatorului"}},
	{code: "K03", name: "Timp mediu de așteptare la ghișeul unic (minute)", unit: "minute", polarity: lower, method: linear, freq: monthly,
		base: f64(25), red: f64(20), decimals: 1, targets: [4]float64{15, 14, 12, 10}, owner: "head:srpr", objective: "C1", weight: 1,
		source: "Sistemul de bonuri de ordine de la ghișeul unic", process: "Relații cu publicul",
		from: 19, to: 12, noise: 1.2, whys: []string{"Aglomerație la termenul de plată a impozitelor; un post vacant la ghișeu"},
		corrections: []scCorrection{{back: 4, value: 12.6, why: "Corectat: raportul sistemului de bonuri includea și ziua de mentenanță"}}},
	// C2 certificatele de urbanism.
	{code: "K04", name: "Timp mediu de eliberare a certificatului de urbanism (zile)", unit: "zile", polarity: lower, method: linear, freq: monthly,
		base: f64(28), red: f64(25), decimals: 1, targets: [4]float64{22, 20, 18, 15}, owner: "head:du", objective: "C2", weight: 2,
		source: "Registrul electronic al cererilor de certificate de urbanism", process: "Emiterea certificatelor de urbanism",
		from: 24, to: 26, noise: 1.5,
		whys: []string{"Post vacant în Serviciul Autorizări în Construcții; cereri în creștere", "Avize întârziate de la deținătorii de rețele", "Planul urbanistic general în curs de actualizare; verificări suplimentare"}},
	{code: "K05", name: "Certificate de urbanism emise peste termenul legal (%)", unit: "%", polarity: lower, method: bands, freq: monthly,
		base: f64(15), red: f64(10), decimals: 1, targets: [4]float64{8, 6, 5, 5}, owner: "head:sac", objective: "C2", weight: 1,
		source: "Registrul electronic al cererilor de certificate de urbanism", process: "Emiterea certificatelor de urbanism",
		from: 11, to: 9, noise: 1.2, whys: []string{"Un singur consilier pe post în perioada concediului de odihnă", "Documentații incomplete depuse de solicitanți"}},
	{code: "K29", name: "Certificate de urbanism eliberate în termenul legal, din registru (%)", unit: "%", polarity: higher, method: bands, freq: monthly,
		base: f64(75), red: f64(80), decimals: 1, targets: [4]float64{85, 90, 92, 95}, owner: "head:sac", objective: "C2", weight: 1,
		metric: "citizen.on_time_share/URB-CU", source: "Calculat de Cadran din registru: cererile pentru serviciul URB-CU", process: "Emiterea certificatelor de urbanism"},
	// C3 digitalizarea.
	{code: "K06", name: "Ponderea cererilor depuse online (%)", unit: "%", polarity: higher, method: linear, freq: monthly,
		base: f64(10), red: f64(15), decimals: 1, targets: [4]float64{20, 25, 30, 35}, owner: "deputy", objective: "C3", weight: 2,
		formula: "K07 / K08 * 100", source: "Calculat din K07 și K08", process: "Registratură",
		desc: "Cererile depuse online din totalul cererilor înregistrate, calculat lunar din cei doi indicatori ai registraturii."},
	{code: "K07", name: "Cereri depuse online", unit: "nr.", polarity: higher, method: linear, freq: monthly, owner: "registratura", orgUnit: "srpr",
		source: "Registrul general de intrare-ieșire, cereri primite prin portal și e-mail", process: "Registratură", from: 180, to: 522, noise: 25},
	{code: "K08", name: "Cereri înregistrate în total", unit: "nr.", polarity: higher, method: linear, freq: monthly, owner: "registratura", orgUnit: "srpr",
		source: "Registrul general de intrare-ieșire", process: "Registratură", from: 1380, to: 1450, noise: 90},
	{code: "K09", name: "Servicii publice disponibile integral online", unit: "nr.", polarity: higher, method: bands, freq: yearly,
		base: f64(4), red: f64(6), targets: [4]float64{8, 12, 16, 20}, owner: "staff:ci", objective: "C3", weight: 1,
		source: "Catalogul serviciilor electronice publicat pe site", process: "Servicii electronice", vals: []float64{7, 12, 17},
		whys: []string{"Integrarea cu Ghișeul.ro amânată de furnizor"}},
	{code: "K10", name: "Ponderea plăților online ale impozitelor (%)", unit: "%", polarity: higher, method: linear, freq: quarterly,
		base: f64(8), red: f64(10), decimals: 1, targets: [4]float64{12, 15, 20, 25}, owner: "head:sitl", objective: "DE3", weight: 1,
		source: "Raportul încasărilor pe canale din programul de impozite și taxe", process: "Încasarea impozitelor și taxelor", imported: true,
		from: 9.5, to: 24, noise: 1},
	// C4 prin Direcția de Asistență Socială.
	{code: "AS01", name: "Durata medie de soluționare a dosarelor de ajutor social (zile)", unit: "zile", polarity: lower, method: linear, freq: monthly,
		base: f64(30), red: f64(28), decimals: 1, targets: [4]float64{25, 22, 20, 18}, owner: "head:sbs", objective: "AS1", weight: 1,
		source: "Registrul dosarelor de beneficii sociale", process: "Acordarea beneficiilor sociale", from: 26, to: 17, noise: 1.2,
		whys: []string{"Dosare multe după modificarea legislației venitului minim de incluziune"}},
	{code: "AS02", name: "Anchete sociale efectuate în termen (%)", unit: "%", polarity: higher, method: bands, freq: quarterly,
		base: f64(80), red: f64(85), decimals: 1, targets: [4]float64{90, 92, 95, 95}, owner: "head:sbs", objective: "AS1", weight: 1,
		source: "Registrul anchetelor sociale", process: "Acordarea beneficiilor sociale", from: 87, to: 96, noise: 1.5,
		whys: []string{"Doi asistenți sociali în concediu medical"}},
	{code: "AS03", name: "Beneficiari ai serviciilor de îngrijire la domiciliu", unit: "persoane", polarity: higher, method: linear, freq: halfyearly,
		base: f64(40), red: f64(45), targets: [4]float64{50, 60, 70, 80}, owner: "head:das", objective: "AS2", weight: 1,
		source: "Evidența beneficiarilor Compartimentului Persoane Vârstnice și Persoane cu Dizabilități", process: "Servicii sociale la domiciliu",
		vals: []float64{44, 51, 57, 63, 68, 72}, whys: []string{"Contractul cu furnizorul de servicii la domiciliu semnat cu întârziere"}},
	// F1 colectarea.
	{code: "K11", name: "Grad de colectare a impozitelor și taxelor locale (%)", unit: "%", polarity: higher, method: linear, freq: quarterly,
		base: f64(72), red: f64(75), decimals: 1, targets: [4]float64{80, 82, 85, 88}, periodTargets: map[int]float64{1: 84, 2: 86, 3: 87}, owner: "head:de", objective: "F1", weight: 2,
		source: "Programul de impozite și taxe locale: încasări față de debitul anului, cumulat", process: "Încasarea impozitelor și taxelor", imported: true,
		from: 76, to: 81, noise: 1.2, whys: []string{"Încasări întârziate de la doi contribuabili mari aflați în insolvență", "Amânarea termenului de plată pentru contribuabilii afectați de inundații"}},
	{code: "DE01", name: "Grad de încasare a impozitului pe clădiri al persoanelor fizice (%)", unit: "%", polarity: higher, method: linear, freq: monthly,
		base: f64(70), red: f64(72), decimals: 1, targets: [4]float64{78, 80, 83, 85}, owner: "head:de", objective: "DE1", weight: 1, by: "angajat",
		source: "Programul de impozite și taxe locale, situația încasărilor persoanelor fizice", process: "Încasarea impozitelor și taxelor",
		from: 74, to: 84.5, noise: 1, pendingLast: true, whys: []string{"Scădere sezonieră a încasărilor după primul termen de plată"}},
	{code: "DE02", name: "Dosare de executare silită deschise în 30 de zile de la scadență (%)", unit: "%", polarity: higher, method: bands, freq: monthly,
		base: f64(60), red: f64(70), decimals: 1, targets: [4]float64{80, 85, 90, 90}, owner: "head:sitl", objective: "DE1", weight: 1,
		source: "Registrul dosarelor de executare silită", process: "Executarea silită a creanțelor", from: 74, to: 91, noise: 2,
		whys: []string{"Birou cu personal redus; prioritate la termenul de plată"}},
	{code: "DE03", name: "Creanțe restante ale persoanelor juridice (mii lei)", unit: "mii lei", polarity: lower, method: linear, freq: monthly,
		base: f64(4200), red: f64(4000), targets: [4]float64{3800, 3500, 3200, 3000}, owner: "head:bpj", objective: "DE2", weight: 1, imported: true,
		source: "Programul de impozite și taxe locale, situația restanțelor persoanelor juridice", process: "Executarea silită a creanțelor",
		from: 4120, to: 3900, noise: 50, whys: []string{"Debite noi din inspecția fiscală la un operator economic", "Insolvența unui contribuabil mare; creanța înscrisă la masa credală"},
		corrections: []scCorrection{{back: 2, value: 3935, why: "Corectat după reconcilierea cu evidența contabilă"}}},
	// F2 fondurile europene.
	{code: "K12", name: "Valoarea proiectelor cu finanțare nerambursabilă semnate (mil. lei)", unit: "mil. lei", polarity: higher, method: linear, freq: yearly,
		base: f64(5), red: f64(10), decimals: 1, targets: [4]float64{15, 20, 30, 40}, owner: "head:dti", objective: "F2", weight: 2,
		source: "Registrul contractelor de finanțare", process: "Managementul proiectelor", vals: []float64{12, 18.5, 25}},
	{code: "K13", name: "Rata de absorbție a fondurilor europene contractate (%)", unit: "%", polarity: higher, method: binary, freq: halfyearly,
		base: f64(20), decimals: 1, targets: [4]float64{40, 50, 60, 70}, owner: "head:silp", objective: "F2", weight: 1,
		source: "Cererile de rambursare aprobate față de valoarea contractelor", process: "Managementul proiectelor",
		vals: []float64{45, 48, 53, 57, 62, 58},
		whys: []string{"Cereri de rambursare respinse pentru documente lipsă", "Întârzieri ale constructorului la proiectul de reabilitare a școlii", "Corecție financiară aplicată la o cerere de rambursare; lucrări oprite pe timpul iernii"}},
	// F3 execuția bugetară.
	{code: "K14", name: "Execuția bugetară a cheltuielilor față de prevederi (%)", unit: "%", polarity: band, method: linear, freq: quarterly,
		red: f64(75), high: f64(105), decimals: 1, targets: [4]float64{85, 85, 85, 85}, bandTop: 100, owner: "head:de", objective: "F3", weight: 1, imported: true,
		source: "Contul de execuție a bugetului local, trimestrial", process: "Execuția bugetară", from: 83, to: 91, noise: 3,
		whys: []string{"Plăți amânate la obiectivele de investiții până la aprobarea rectificării bugetare"}},
	{code: "K15", name: "Termenul mediu de plată a facturilor către furnizori (zile)", unit: "zile", polarity: lower, method: bands, freq: monthly,
		base: f64(40), red: f64(45), targets: [4]float64{35, 32, 30, 30}, owner: "head:de", objective: "F3", weight: 2,
		source: "Registrul facturilor și ordinele de plată din contabilitate", process: "Execuția bugetară",
		from: 38, to: 28, noise: 2, skipLast: true, whys: []string{"Sume defalcate primite cu întârziere de la bugetul de stat"}},
	// P1 sistemul de management al calității.
	{code: "K16", name: "Rata de confirmare a citirii procedurilor (%)", unit: "%", polarity: higher, method: linear, freq: quarterly,
		base: f64(50), red: f64(60), decimals: 1, targets: [4]float64{75, 80, 85, 90}, owner: "calitate", objective: "P1", weight: 1,
		metric: "documents.ack_rate", source: "Calculat de Cadran din confirmările de citire a documentelor difuzate", process: "Controlul informațiilor documentate"},
	{code: "K17", name: "Acțiuni corective depășite", unit: "nr.", polarity: lower, method: bands, freq: monthly,
		base: f64(6), red: f64(4), targets: [4]float64{2, 2, 1, 1}, owner: "calitate", objective: "P1", weight: 1,
		metric: "improvement.actions_overdue", source: "Calculat de Cadran din registrul neconformităților și acțiunilor corective", process: "Acțiuni corective"},
	{code: "K18", name: "Neconformități majore la auditul de certificare sau supraveghere", unit: "nr.", polarity: lower, method: binary, freq: yearly,
		base: f64(2), targets: [4]float64{0, 0, 0, 0}, owner: "calitate", objective: "P1", weight: 2,
		source: "Raportul organismului de certificare", process: "Audit extern", vals: []float64{1, 0, 0},
		whys: []string{"Neconformitate majoră la controlul informațiilor documentate, închisă în termen de 90 de zile"}},
	{code: "K19", name: "Grad de realizare a programului de audit intern al calității (%)", unit: "%", polarity: higher, method: bands, freq: quarterly,
		base: f64(70), red: f64(75), targets: [4]float64{90, 95, 100, 100}, owner: "calitate", objective: "P1", weight: 1,
		source: "Programul anual de audit intern și rapoartele de audit", process: "Audit intern", from: 85, to: 100, noise: 4,
		whys: []string{"Auditul la Direcția Tehnică și Investiții reprogramat din lipsă de auditori calificați"}},
	// P2 petițiile și informațiile publice.
	{code: "K20", name: "Ponderea petițiilor soluționate în termenul legal (%)", unit: "%", polarity: higher, method: linear, freq: monthly,
		base: f64(80), red: f64(85), decimals: 1, targets: [4]float64{90, 92, 95, 97}, owner: "secretary", objective: "P2", weight: 2, by: "registratura",
		source: "Registrul petițiilor ținut de registratură", process: "Soluționarea petițiilor", from: 87, to: 93.5, noise: 1.3,
		corrections: []scCorrection{{back: 1, value: 92.4, why: "Corectat: două petiții înregistrate greșit ca soluționate în termen"}},
		whys:        []string{"Petiții multe redirecționate între direcții; termene depășite la Direcția Tehnică", "Concedii de odihnă în august"}},
	{code: "K21", name: "Timp mediu de răspuns la solicitările de informații publice (zile)", unit: "zile", polarity: lower, method: linear, freq: monthly,
		base: f64(10), red: f64(9), decimals: 1, targets: [4]float64{8, 7, 6, 6}, owner: "head:scri", objective: "P2", weight: 1,
		source: "Registrul solicitărilor de informații de interes public (Legea 544/2001)", process: "Informații de interes public",
		from: 8.6, to: 7.2, noise: 0.5, whys: []string{"Solicitări complexe privind contractele de achiziție, cu termen prelungit"}},
	// Fed by the registry of petitions and requests (citizen services).
	{code: "K28", name: "Petiții și solicitări soluționate în termenul legal, din registru (%)", unit: "%", polarity: higher, method: linear, freq: monthly,
		base: f64(85), red: f64(88), decimals: 1, targets: [4]float64{90, 92, 94, 95}, owner: "calitate", objective: "P2", weight: 1,
		metric: "citizen.on_time_share", source: "Calculat de Cadran din registrul petițiilor și solicitărilor", process: "Soluționarea petițiilor"},
	// P3 controlul intern managerial.
	{code: "K22", name: "Riscuri peste limita de toleranță", unit: "nr.", polarity: lower, method: linear, freq: quarterly,
		base: f64(20), red: f64(18), targets: [4]float64{16, 15, 14, 12}, owner: "calitate", objective: "P3", weight: 1,
		metric: "risks.above_tolerance", source: "Calculat de Cadran din registrul riscurilor", process: "Managementul riscurilor"},
	{code: "K23", name: "Standarde de control intern managerial implementate (din 16)", unit: "standarde", polarity: higher, method: linear, freq: yearly,
		base: f64(10), red: f64(12), targets: [4]float64{13, 14, 15, 16}, owner: "secretary", objective: "P3", weight: 1,
		metric: "control.standards_implemented", process: "Control intern managerial",
		source: "Calculat de Cadran din autoevaluarea anuală a standardelor: situația sintetică a rezultatelor, după centralizare"},
	// L1 competențele personalului.
	{code: "K24", name: "Angajați instruiți conform planului anual de perfecționare (%)", unit: "%", polarity: higher, method: linear, freq: quarterly,
		base: f64(40), red: f64(50), targets: [4]float64{70, 75, 80, 85}, owner: "head:sru", objective: "L1", weight: 2,
		source: "Planul anual de perfecționare și certificatele de participare", process: "Perfecționarea profesională", from: 55, to: 86, noise: 3,
		whys: []string{"Cursuri amânate de furnizorul de formare"}},
	{code: "K25", name: "Ore de formare pe angajat", unit: "ore", polarity: higher, method: bands, freq: yearly,
		base: f64(8), red: f64(12), decimals: 1, targets: [4]float64{16, 18, 20, 24}, owner: "head:sru", objective: "L1", weight: 1,
		source: "Evidența participării la cursuri, Serviciul Resurse Umane", process: "Perfecționarea profesională", vals: []float64{14, 19, 21}},
	// Computed from the training records (issue 10).
	trKPIHours, trKPIGroupShare,
	// L2 infrastructura informatică.
	{code: "K26", name: "Disponibilitatea portalului de servicii online (%)", unit: "%", polarity: higher, method: linear, freq: monthly,
		base: f64(95), red: f64(98), decimals: 2, targets: [4]float64{99, 99, 99.5, 99.5}, owner: "staff:ci", objective: "L2", weight: 1,
		source: "Monitorizarea automată a portalului (verificare la 5 minute)", process: "Servicii electronice", from: 98.9, to: 97.4, noise: 0.35,
		whys: []string{"Atac de tip DDoS asupra furnizorului de găzduire; portal indisponibil 18 ore", "Întrerupere de curent în camera serverelor; UPS insuficient", "Migrarea bazei de date a portalului"}},
	{code: "K27", name: "Stații de lucru cu sistem de operare actualizat (%)", unit: "%", polarity: higher, method: bands, freq: quarterly,
		base: f64(60), red: f64(75), targets: [4]float64{80, 85, 90, 95}, owner: "staff:ci", objective: "L2", weight: 1,
		source: "Consola de administrare a actualizărilor", process: "Administrarea sistemelor informatice", from: 76, to: 72, noise: 2,
		whys: []string{"Stații vechi care nu suportă noua versiune a sistemului de operare; înlocuire bugetată anul viitor", "Licențe expirate la 20 de stații"}},
}

// scInitiative is one project of the scorecard; months are counted from
// the current month (negative in the past), progress and spending are as
// of today.
type scInitiative struct {
	code, title, desc, owner, unit, funding string
	objectives                              []string
	budget, spent                           float64
	start, end                              int // months from this month: the first day of start, the last of end
	progress                                int
	state                                   string
}

var demoInitiatives = []scInitiative{
	{title: "Implementarea ghișeului unic digital", owner: "deputy", unit: "srpr", objectives: []string{"C3", "C1"},
		budget: 850000, spent: 612500, start: -20, end: 1, progress: 70, state: scorecard.InitiativeOngoing, funding: "Buget local",
		desc: "Portal unic pentru cereri, plăți și urmărirea dosarelor, integrat cu registratura electronică și Ghișeul.ro."},
	{title: "Program de instruire ISO 9001 pentru personal", owner: "head:sru", unit: "sru", objectives: []string{"L1", "P1"},
		budget: 45000, spent: 43800, start: -24, end: -14, progress: 100, state: scorecard.InitiativeDone, funding: "Buget local",
		desc: "Instruirea întregului personal privind cerințele ISO 9001:2015, procedurile de sistem și auditul intern."},
	{title: "Proiect POCA: proceduri simplificate pentru cetățeni", owner: "calitate", unit: "bcim", objectives: []string{"P2", "C1"},
		budget: 1250000, spent: 980000, start: -26, end: -3, progress: 85, state: scorecard.InitiativeOngoing, funding: "Programul Operațional Capacitate Administrativă, cofinanțare 2%",
		desc: "Simplificarea a 12 proceduri administrative pentru cetățeni, cu formulare unice și termene reduse."},
	{title: "Digitalizarea arhivei de urbanism și a planului urbanistic general în GIS", owner: "head:du", unit: "du", objectives: []string{"C2"},
		budget: 620000, spent: 155000, start: -8, end: 10, progress: 25, state: scorecard.InitiativeOngoing, funding: "Programul Regional 2021–2027",
		desc: "Scanarea arhivei de autorizații și certificate, actualizarea PUG și publicarea lui într-un sistem GIS consultabil online."},
	{title: "Modernizarea infrastructurii de rețea și a copiilor de siguranță", owner: "staff:ci", unit: "ci", objectives: []string{"L2"},
		budget: 180000, start: 1, end: 7, state: scorecard.InitiativePlanned, funding: "Buget local",
		desc: "Echipamente de rețea noi, copii de siguranță zilnice păstrate offline și o sursă de curent neîntreruptibil dimensionată corect."},
	{title: "Campanie de informare pentru plata online a impozitelor", owner: "head:sitl", unit: "de", objectives: []string{"DE3", "F1"},
		budget: 30000, spent: 12400, start: -9, end: 1, progress: 60, state: scorecard.InitiativeOngoing, funding: "Buget local",
		desc: "Pliante trimise odată cu deciziile de impunere, mesaje pe site și pe rețelele sociale, asistență la ghișeu pentru crearea contului."},
}
