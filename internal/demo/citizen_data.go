package demo

// The demo municipality's citizen services: its catalogue of public
// services and the words its registry is made of (subjects, answers,
// streets, the institutions petitions are redirected to). The names of the
// petitioners are dealt from the same lists as the staff's, by a generator
// of the citizen seeder's own.

// ctService is a service of the demo catalogue.
type ctService struct {
	code, name, desc string
	unit             string // unit key; cases go to its head or its staff
	assignees        []string
	days             int
	basis, fee       string
	docs             []string
	// weight is the service's share of the applications; season lifts it
	// in some months (index 1-12), 1 elsewhere.
	weight float64
	season map[int]float64
	// days taken: typical and the spread, as a share of the legal days, in
	// the baseline year; the second year is faster by speedup.
	typical, spread, speedup float64
	// mean rating in the baseline year and in the current one.
	rating0, rating1 float64
	subjects         []string
	favourable       []string
	unfavourable     []string
}

var ctServices = []ctService{
	{code: "URB-CU", name: "Certificat de urbanism", unit: "sac", assignees: []string{"head:sac", "staff:sac"}, days: 30,
		desc:  "Actul de informare care face cunoscut regimul juridic, economic și tehnic al unui imobil și avizele necesare pentru autorizarea lucrărilor.",
		basis: "Legea nr. 50/1991 privind autorizarea executării lucrărilor de construcții, art. 6 și 6^1; Ordinul MDRL nr. 839/2009",
		fee:   "Conform HCL privind impozitele și taxele locale (între 6 și 38 lei, după suprafață)",
		docs: []string{"Cerere-tip (formularul F.1)", "Plan de încadrare în zonă, scara 1:5000", "Plan de situație, scara 1:500, vizat de OCPI",
			"Extras de carte funciară actualizat", "Dovada plății taxei"},
		weight: 18, season: map[int]float64{3: 1.4, 4: 1.5, 5: 1.5, 6: 1.3, 12: 0.6, 1: 0.7}, typical: 0.55, spread: 0.35, speedup: 0.75, rating0: 3.3, rating1: 3.9,
		subjects: []string{"Certificat de urbanism pentru construire locuință P+1, str. %s", "Certificat de urbanism pentru alipire teren, str. %s",
			"Certificat de urbanism pentru racord gaze naturale, str. %s", "Certificat de urbanism în vederea vânzării, str. %s",
			"Certificat de urbanism pentru extindere anexă gospodărească, str. %s", "Certificat de urbanism pentru împrejmuire, str. %s"},
		favourable:   []string{"S-a emis certificatul de urbanism nr. %d, valabil 12 luni, cu lista avizelor necesare.", "Certificatul de urbanism nr. %d a fost emis și poate fi ridicat de la ghișeul nr. 3."},
		unfavourable: []string{"Documentația este incompletă: lipsește extrasul de carte funciară actualizat; cererea poate fi redepusă.", "Imobilul se află în zona de protecție a monumentului istoric; este necesar mai întâi avizul Direcției Județene pentru Cultură."}},
	{code: "URB-AC", name: "Autorizație de construire", unit: "sac", assignees: []string{"head:sac", "staff:sac"}, days: 30,
		desc:  "Actul prin care se asigură aplicarea măsurilor pentru amplasarea, proiectarea și executarea construcțiilor.",
		basis: "Legea nr. 50/1991, art. 7 alin. (1)",
		fee:   "0,5% din valoarea autorizată a lucrărilor de construcții (locuințe: 0,5%; alte construcții: 1%)",
		docs: []string{"Cerere-tip (formularul F.8)", "Certificatul de urbanism (copie)", "Extras de carte funciară actualizat",
			"Documentația tehnică (DTAC), în două exemplare", "Avizele și acordurile cerute prin certificatul de urbanism", "Dovada plății taxei"},
		weight: 9, season: map[int]float64{4: 1.4, 5: 1.6, 6: 1.5, 7: 1.3, 12: 0.5, 1: 0.6}, typical: 0.8, spread: 0.35, speedup: 0.8, rating0: 3.0, rating1: 3.5,
		subjects: []string{"Autorizație de construire locuință unifamilială P+M, str. %s", "Autorizație de construire garaj, str. %s",
			"Autorizație de construire pentru mansardare, str. %s", "Autorizație de construire spațiu comercial, str. %s"},
		favourable:   []string{"S-a emis autorizația de construire nr. %d; lucrările pot începe după anunțarea Inspectoratului de Stat în Construcții.", "Autorizația de construire nr. %d a fost emisă și comunicată solicitantului."},
		unfavourable: []string{"Documentația tehnică nu respectă regimul de înălțime stabilit prin PUG; cererea a fost respinsă motivat.", "Lipsesc avizele de securitate la incendiu și de mediu cerute prin certificatul de urbanism."}},
	{code: "FIS-CAF", name: "Certificat de atestare fiscală", unit: "bpf", assignees: []string{"angajat", "head:bpf"}, days: 2,
		desc:   "Atestă obligațiile de plată către bugetul local ale unei persoane fizice, la data eliberării.",
		basis:  "Legea nr. 207/2015 privind Codul de procedură fiscală, art. 159",
		fee:    "Gratuit",
		docs:   []string{"Cerere-tip", "Actul de identitate (copie) sau împuternicire notarială", "Pentru vânzare: actul de proprietate al bunului (copie)"},
		weight: 22, season: map[int]float64{1: 1.3, 2: 1.4, 3: 1.6, 8: 0.8}, typical: 0.6, spread: 0.5, speedup: 0.85, rating0: 3.9, rating1: 4.3,
		subjects: []string{"Certificat de atestare fiscală pentru vânzarea locuinței, str. %s", "Certificat de atestare fiscală pentru dosar de succesiune",
			"Certificat de atestare fiscală pentru înstrăinarea autoturismului", "Certificat de atestare fiscală pentru dosar de credit"},
		favourable:   []string{"S-a eliberat certificatul de atestare fiscală nr. %d: nu există obligații restante la bugetul local.", "Certificatul de atestare fiscală nr. %d a fost eliberat la ghișeu."},
		unfavourable: []string{"Certificatul nu poate fi eliberat pentru înstrăinare cât timp există impozit restant; plata se poate face la ghișeu sau online."}},
	{code: "FIS-RAD", name: "Scoaterea din evidența fiscală a mijlocului de transport", unit: "bpf", assignees: []string{"angajat", "staff:bpf"}, days: 30,
		desc:   "Radierea din evidența fiscală a unui autovehicul vândut, radiat sau furat.",
		basis:  "Legea nr. 227/2015 privind Codul fiscal, art. 471; HG nr. 1/2016, Normele metodologice",
		fee:    "Gratuit",
		docs:   []string{"Declarație fiscală (formularul ITL 005)", "Contractul de vânzare-cumpărare sau certificatul de radiere", "Actul de identitate (copie)"},
		weight: 8, typical: 0.35, spread: 0.4, speedup: 0.85, rating0: 3.8, rating1: 4.1,
		subjects:     []string{"Scoaterea din evidență a autoturismului vândut", "Radierea din evidența fiscală a autoturismului casat", "Scoaterea din evidență a motocicletei vândute"},
		favourable:   []string{"Mijlocul de transport a fost scos din evidența fiscală începând cu luna următoare înstrăinării.", "S-a operat scoaterea din evidență; s-a eliberat certificatul de atestare fiscală nr. %d."},
		unfavourable: []string{"Contractul depus nu poartă data înstrăinării; vă rugăm să depuneți o copie lizibilă."}},
	{code: "AUT-FUNC", name: "Acord de funcționare pentru activități comerciale și de alimentație publică", unit: "sapl", assignees: []string{"head:sapl", "staff:sapl"}, days: 30,
		desc:  "Acordul primarului pentru desfășurarea activității și pentru orarul de funcționare al unui spațiu comercial sau de alimentație publică.",
		basis: "OG nr. 99/2000 privind comercializarea produselor și serviciilor de piață, art. 6 și 7; HCL privind autorizarea activităților comerciale",
		fee:   "Conform HCL privind impozitele și taxele locale (taxa pentru alimentație publică după suprafață)",
		docs: []string{"Cerere-tip", "Certificatul de înregistrare la Registrul Comerțului (copie)", "Actul de folosință a spațiului",
			"Avizul sanitar-veterinar (pentru alimentație publică)", "Acordul asociației de proprietari, după caz"},
		weight: 4, season: map[int]float64{4: 1.3, 5: 1.5, 6: 1.4}, typical: 0.55, spread: 0.35, speedup: 0.8, rating0: 3.4, rating1: 3.8,
		subjects: []string{"Acord de funcționare pentru cafenea, str. %s", "Acord de funcționare și orar pentru magazin alimentar, str. %s",
			"Prelungire orar de funcționare pentru terasă sezonieră, str. %s", "Acord de funcționare pentru atelier de reparații, str. %s"},
		favourable:   []string{"S-a emis acordul de funcționare nr. %d, cu orarul solicitat.", "Acordul de funcționare nr. %d a fost emis; orarul pentru terasă este 08:00-23:00."},
		unfavourable: []string{"Orarul solicitat nu respectă regulamentul aprobat prin HCL pentru zonele rezidențiale; se poate aproba cel mult până la ora 22:00."}},
	{code: "SC-CERT", name: "Eliberarea certificatelor de stare civilă (naștere, căsătorie, deces) și a duplicatelor", unit: "spclep", assignees: []string{"staff:spclep", "head:spclep"}, days: 5,
		desc:   "Eliberarea certificatului de naștere, de căsătorie sau de deces, inclusiv a duplicatului unui certificat pierdut sau deteriorat.",
		basis:  "Legea nr. 119/1996 cu privire la actele de stare civilă, art. 58; HG nr. 64/2011, Metodologia",
		fee:    "Gratuit (duplicat: taxă extrajudiciară de timbru 2 lei)",
		docs:   []string{"Cerere-tip", "Actul de identitate", "Certificatul deteriorat, după caz", "Procură specială, pentru un împuternicit"},
		weight: 12, season: map[int]float64{7: 1.3, 8: 1.4, 9: 1.2}, typical: 0.4, spread: 0.5, speedup: 0.8, rating0: 4.1, rating1: 4.4,
		subjects: []string{"Eliberare duplicat certificat de naștere", "Eliberare certificat de căsătorie", "Eliberare duplicat certificat de căsătorie (deteriorat)",
			"Eliberare certificat de deces și adeverință de înhumare", "Eliberare extras multilingv de pe actul de naștere"},
		favourable:   []string{"Certificatul a fost eliberat la ghișeul de stare civilă, seria și numărul fiind înscrise în registrul de evidență.", "S-a eliberat duplicatul certificatului; vechiul certificat a fost anulat."},
		unfavourable: []string{"Actul de stare civilă nu este înregistrat la Târgu Verde; cererea a fost trimisă primăriei unde s-a întocmit actul."}},
	{code: "SC-TRANS", name: "Transcrierea certificatelor de stare civilă emise în străinătate", unit: "spclep", assignees: []string{"head:spclep", "staff:spclep"}, days: 30,
		desc:  "Înscrierea în registrele de stare civilă române a nașterilor și căsătoriilor cetățenilor români înregistrate în străinătate.",
		basis: "Legea nr. 119/1996, art. 41; HG nr. 64/2011, Metodologia",
		fee:   "Gratuit",
		docs: []string{"Cerere-tip", "Certificatul străin, legalizat sau apostilat, cu traducere legalizată", "Actele de identitate ale părinților sau ale soților",
			"Declarație privind numele după căsătorie, după caz"},
		weight: 6, season: map[int]float64{7: 1.6, 8: 1.9, 12: 1.5}, typical: 0.6, spread: 0.4, speedup: 0.8, rating0: 3.7, rating1: 4.0,
		subjects: []string{"Transcriere certificat de naștere emis în Italia", "Transcriere certificat de căsătorie emis în Spania",
			"Transcriere certificat de naștere emis în Germania", "Transcriere certificat de căsătorie emis în Marea Britanie"},
		favourable:   []string{"Actul a fost transcris; certificatul românesc se ridică de la ghișeul de stare civilă cu actul de identitate.", "S-a efectuat transcrierea și s-a eliberat certificatul românesc."},
		unfavourable: []string{"Certificatul străin nu este apostilat; transcrierea se poate face după apostilare."}},
	{code: "SOC-VMI", name: "Venitul minim de incluziune", unit: "sbs", assignees: []string{"head:sbs", "staff:sbs"}, days: 30,
		desc:  "Ajutorul de incluziune și ajutorul pentru familia cu copii, pentru familiile și persoanele singure cu venituri mici.",
		basis: "Legea nr. 196/2016 privind venitul minim de incluziune",
		fee:   "Gratuit",
		docs: []string{"Cerere și declarație pe propria răspundere (formular-tip)", "Actele de identitate ale membrilor familiei",
			"Adeverințe de venit", "Certificatul de atestare fiscală", "Adeverință de la registrul agricol"},
		weight: 7, season: map[int]float64{1: 1.3, 2: 1.2, 10: 1.2, 11: 1.3}, typical: 0.7, spread: 0.3, speedup: 0.85, rating0: 3.5, rating1: 3.9,
		subjects:     []string{"Cerere acordare ajutor de incluziune", "Cerere acordare ajutor pentru familia cu copii", "Cerere de modificare a ajutorului de incluziune (membru nou în familie)"},
		favourable:   []string{"Prin dispoziția primarului nr. %d s-a aprobat dreptul începând cu luna următoare.", "Dreptul a fost aprobat după ancheta socială, prin dispoziția primarului nr. %d."},
		unfavourable: []string{"Veniturile familiei depășesc pragul legal; s-a emis dispoziția de respingere, care se poate contesta în 30 de zile."}},
	{code: "TR-VL", name: "Înregistrarea vehiculelor care nu se înmatriculează (vehicule lente)", unit: "bcr", assignees: []string{"head:bcr", "staff:bcr"}, days: 15,
		desc:   "Înregistrarea tractoarelor, mopedelor, utilajelor și remorcilor care nu se înmatriculează, cu eliberarea certificatului și a plăcuței de înregistrare.",
		basis:  "OUG nr. 195/2002 privind circulația pe drumurile publice, art. 14; HCL privind registrul vehiculelor lente",
		fee:    "Conform HCL (plăcuța de înregistrare și certificatul)",
		docs:   []string{"Cerere-tip", "Actul de proprietate al vehiculului", "Cartea de identitate a vehiculului sau fișa tehnică", "Dovada înregistrării fiscale", "Polița RCA"},
		weight: 3, season: map[int]float64{3: 1.6, 4: 1.5, 9: 1.3}, typical: 0.45, spread: 0.4, speedup: 0.85, rating0: 3.9, rating1: 4.2,
		subjects:     []string{"Înregistrare tractor agricol", "Înregistrare remorcă agricolă", "Înregistrare moped", "Radiere vehicul lent vândut"},
		favourable:   []string{"Vehiculul a fost înregistrat; certificatul și plăcuța nr. TV-%d se ridică de la Biroul Circulație Rutieră.", "S-a eliberat certificatul de înregistrare nr. %d."},
		unfavourable: []string{"Fișa tehnică depusă nu corespunde vehiculului; este necesară o expertiză RAR."}},
	{code: "AGR-ADV", name: "Adeverință de la registrul agricol", unit: "cra", assignees: []string{"staff:cra"}, days: 10,
		desc:   "Adeverința datelor înscrise în registrul agricol: terenuri, animale, componența gospodăriei.",
		basis:  "OG nr. 28/2008 privind registrul agricol, art. 9; Ordinul comun nr. 25/2020 privind normele tehnice",
		fee:    "Gratuit",
		docs:   []string{"Cerere-tip", "Actul de identitate"},
		weight: 6, season: map[int]float64{2: 1.3, 3: 1.4, 4: 1.2, 10: 1.2}, typical: 0.3, spread: 0.5, speedup: 0.8, rating0: 4.0, rating1: 4.3,
		subjects:     []string{"Adeverință registru agricol pentru APIA", "Adeverință componența gospodăriei pentru dosar de bursă", "Adeverință teren agricol pentru succesiune", "Adeverință animale deținute pentru subvenție"},
		favourable:   []string{"S-a eliberat adeverința nr. %d.", "Adeverința nr. %d a fost eliberată la ghișeul registrului agricol."},
		unfavourable: []string{"Gospodăria nu este înscrisă în registrul agricol pe anul în curs; depuneți mai întâi declarația."}},
}

// ctTopic is a topic of petitions or of requests for information, with
// the unit that answers it.
type ctTopic struct {
	topic     string
	unit      string
	assignees []string
	weight    float64
	season    map[int]float64
	subjects  []string
}

var ctPetitionTopics = []ctTopic{
	{topic: "urbanism", unit: "cdc", assignees: []string{"staff:cdc", "head:du"}, weight: 12, season: map[int]float64{5: 1.4, 6: 1.4, 7: 1.3},
		subjects: []string{"Construcție fără autorizație la vecin, str. %s", "Gard ridicat pe domeniul public, str. %s", "Lucrări de construire ziua de duminică, str. %s",
			"Nerespectarea distanței față de limita de proprietate, str. %s"}},
	{topic: "taxes", unit: "de", assignees: []string{"head:de", "angajat"}, weight: 12, season: map[int]float64{2: 1.6, 3: 1.8, 4: 1.3},
		subjects: []string{"Contestarea impozitului pe clădire calculat pentru %s", "Cerere de restituire a sumei plătite de două ori", "Reducerea impozitului pentru pensionar cu venituri mici",
			"Majorări de întârziere calculate greșit", "Scutire de impozit pentru persoană cu handicap grav"}},
	{topic: "public_order", unit: "sop", assignees: []string{"head:sop", "staff:sop"}, weight: 10, season: map[int]float64{6: 1.5, 7: 1.7, 8: 1.6},
		subjects: []string{"Zgomot de la terasa din str. %s după ora 23", "Câini fără stăpân în parcul din str. %s", "Autoturisme abandonate pe str. %s",
			"Tulburarea liniștii publice în blocul din str. %s"}},
	{topic: "social", unit: "das", assignees: []string{"head:spcf", "staff:cpvd"}, weight: 7, season: map[int]float64{11: 1.4, 12: 1.5, 1: 1.4},
		subjects: []string{"Sprijin pentru o persoană vârstnică singură, str. %s", "Cerere de loc în centrul de zi pentru copii", "Ajutor pentru încălzirea locuinței",
			"Sesizare privind un copil lăsat nesupravegheat"}},
	{topic: "civil_status", unit: "spclep", assignees: []string{"head:spclep"}, weight: 4,
		subjects: []string{"Programarea la ghișeul de acte de identitate", "Îndreptarea unei erori materiale în actul de naștere", "Timpul de așteptare la ghișeul de stare civilă"}},
	{topic: "environment", unit: "cadp", assignees: []string{"staff:cadp"}, weight: 9, season: map[int]float64{4: 1.5, 5: 1.4, 10: 1.3},
		subjects: []string{"Tăierea copacilor uscați din str. %s", "Depozitare ilegală de deșeuri lângă str. %s", "Colectarea selectivă nu se face în cartierul %s",
			"Toaletarea arborilor din fața blocului, str. %s"}},
	{topic: "utilities", unit: "silp", assignees: []string{"head:silp", "staff:silp"}, weight: 12, season: map[int]float64{1: 1.5, 2: 1.4, 12: 1.3, 3: 1.2},
		subjects: []string{"Groapă în carosabil pe str. %s", "Iluminat public nefuncțional pe str. %s", "Canalizare înfundată pe str. %s",
			"Asfaltarea străzii %s", "Deszăpezirea trotuarelor pe str. %s"}},
	{topic: "transport", unit: "bcr", assignees: []string{"head:bcr"}, weight: 7,
		subjects: []string{"Trecere de pietoni nemarcată pe str. %s", "Locuri de parcare ocupate abuziv, str. %s", "Stație de autobuz fără copertină, str. %s",
			"Semafor defect la intersecția cu str. %s"}},
	{topic: "staff", unit: "sru", assignees: []string{"head:sru"}, weight: 2,
		subjects: []string{"Comportamentul unui funcționar la ghișeu", "Lipsa de răspuns a unui compartiment la telefon"}},
	{topic: "other", unit: "sapl", assignees: []string{"head:sapl"}, weight: 5,
		subjects: []string{"Propunere de amenajare a unui loc de joacă, str. %s", "Denumirea unei străzi noi din cartierul %s", "Program de lucru cu publicul prelungit joia"}},
}

var ctInfoTopics = []ctTopic{
	{topic: "public_money", unit: "sbf", assignees: []string{"head:sbf", "staff:sbf"}, weight: 8,
		subjects: []string{"Execuția bugetului local pe anul %d", "Sumele plătite pentru deszăpezire în iarna %d", "Cheltuielile cu evenimentul Zilele Orașului %d"}},
	{topic: "contracts", unit: "cap", assignees: []string{"staff:cap"}, weight: 8,
		subjects: []string{"Contractul de salubrizare și actele adiționale", "Contractele de lucrări de asfaltare încheiate în %d", "Contractele de servicii juridice externe din %d"}},
	{topic: "leadership_acts", unit: "sapl", assignees: []string{"head:sapl"}, weight: 6,
		subjects: []string{"Dispozițiile primarului privind numirea comisiilor de concurs în %d", "Hotărârile Consiliului Local privind concesiunile din %d"}},
	{topic: "activity", unit: "scri", assignees: []string{"head:scri", "staff:scri"}, weight: 7,
		subjects: []string{"Numărul de autorizații de construire emise în %d", "Numărul de petiții primite în %d", "Programul de investiții pe anul %d"}},
	{topic: "regulations", unit: "sjc", assignees: []string{"head:sjc"}, weight: 4,
		subjects: []string{"Regulamentul de organizare și funcționare al aparatului de specialitate", "Regulamentul parcărilor de reședință"}},
	{topic: "other", unit: "scri", assignees: []string{"head:scri"}, weight: 3,
		subjects: []string{"Numărul de angajați ai primăriei la 31 decembrie %d", "Declarațiile de avere ale consilierilor locali"}},
}

// Answers to petitions and requests for information.
var (
	ctPetitionFavourable = []string{
		"Sesizarea a fost verificată pe teren în data de %s; neregula a fost remediată.",
		"Am inclus lucrarea în programul de întreținere al lunii următoare; echipa a intervenit în data de %s.",
		"S-a aplicat sancțiunea contravențională prevăzută de lege; situația este urmărită de Poliția Locală.",
		"Solicitarea a fost aprobată; veți fi contactat pentru detalii.",
	}
	ctPetitionPartial = []string{
		"O parte din solicitare a fost rezolvată; restul lucrărilor sunt prevăzute în bugetul anului viitor.",
		"Am remediat situația semnalată; pentru amenajarea propusă este nevoie de o hotărâre a Consiliului Local.",
	}
	ctPetitionUnfavourable = []string{
		"Verificarea pe teren nu a confirmat cele sesizate; lucrările au autorizație de construire valabilă.",
		"Solicitarea nu poate fi aprobată: terenul nu aparține domeniului public al municipiului.",
		"Legea nu permite reducerea solicitată; impozitul a fost calculat corect.",
	}
	ctInfoProvided = []string{
		"Vă transmitem, anexat, documentul solicitat, în format electronic.",
		"Informațiile solicitate sunt publicate pe site-ul primăriei, secțiunea Informații de interes public; vă transmitem și copia lor.",
		"Vă comunicăm situația solicitată, întocmită de compartimentul de specialitate.",
	}
	ctInfoPartial = []string{
		"Vă transmitem informațiile deținute; datele pentru anii anteriori sunt arhivate și pot fi consultate la sediul primăriei.",
	}
	ctInfoNotHeld = []string{
		"Primăria nu deține informațiile solicitate; acestea se află la Consiliul Județean Mureș.",
	}
	ctInfoRefused = []string{
		"Informațiile privesc date cu caracter personal și sunt exceptate de la accesul liber (Legea nr. 544/2001, art. 12 alin. (1) lit. d).",
		"Documentele privesc o procedură în curs, exceptată de la accesul liber (Legea nr. 544/2001, art. 12 alin. (1) lit. c).",
	}
	ctExtensionReasons = []string{
		"Verificarea pe teren necesită și punctul de vedere al Inspectoratului de Stat în Construcții.",
		"Este nevoie de documente din arhivă și de punctul de vedere al mai multor compartimente.",
		"Solicitarea privește mai multe proprietăți; verificarea cere măsurători topografice.",
	}
	ctInfoComplexReasons = []string{
		"Volumul mare al documentelor solicitate, care trebuie extrase din arhivă.",
		"Informațiile trebuie centralizate de la mai multe compartimente.",
	}
	// Where petitions for another authority go.
	ctRedirects = []struct{ to, subject string }{
		{"Consiliul Județean Mureș", "Starea drumului județean DJ 135 spre Sângeorgiu"},
		{"Compania de Apă Mureș", "Factura de apă calculată în paușal"},
		{"Garda de Mediu, Comisariatul Județean Mureș", "Fum și miros de la fabrica din zona industrială"},
		{"Inspectoratul Teritorial de Muncă Mureș", "Neplata salariului de către un angajator privat"},
		{"Agenția Județeană pentru Plăți și Inspecție Socială Mureș", "Întârzierea plății alocației de stat"},
		{"Distribuție Energie Electrică Romania, Sucursala Mureș", "Întreruperi repetate ale curentului electric, str. %s"},
	}
	ctStreets = []string{
		"Mihai Eminescu", "Avram Iancu", "Ștefan cel Mare", "Libertății", "Trandafirilor", "Gheorghe Doja", "Nicolae Bălcescu",
		"Cuza Vodă", "Republicii", "Tudor Vladimirescu", "Liviu Rebreanu", "Horea", "Mărășești", "Călărașilor", "Salcâmilor",
		"Primăverii", "Pandurilor", "Iuliu Maniu", "Brâncoveanu", "Țesătorilor", "Voinicenilor", "Dealului",
	}
	ctCounterComments = []string{
		"Funcționarul a fost amabil și m-a ajutat să completez cererea.",
		"Am așteptat aproape o oră la coadă.",
		"Totul s-a rezolvat repede, mulțumesc!",
		"Ar fi util să pot depune cererea online.",
		"Informațiile de pe site nu erau actualizate.",
		"Program prea scurt pentru cei care lucrează.",
		"Foarte bine organizat, cu bon de ordine.",
		"Mi s-a cerut un document care nu era pe listă.",
		"Răspuns clar și la timp.",
		"Personal politicos, dar spațiul de așteptare e prea mic.",
	}
	ctAnswerComments = []string{
		"Răspunsul a venit înainte de termen.",
		"Problema nu s-a rezolvat, doar mi s-a explicat legea.",
		"Mulțumesc pentru intervenție, groapa a fost astupată.",
		"Răspunsul a întârziat.",
		"Am primit exact documentele cerute.",
	}
)
