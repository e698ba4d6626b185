package demo

import "cadran/internal/caf"

// The demo municipality's CAF self-assessments: what the group found for
// each sub-criterion, who sat in the group and the improvement plan of the
// finished cycle.

// cafSubSpec is what the self-assessment group found for one sub-criterion
// of the first cycle. Strengths and improvements are written as two parts
// joined by "; ": each member wrote one part or both, the consensus keeps
// both.
type cafSubSpec struct {
	code         string
	score        float64 // the consensus score of the first cycle
	gain         float64 // how much the second cycle's consensus rose
	evidence     string
	strengths    string
	improvements string
	// wide: the members disagreed widely (a spread of 30 points or more)
	// before the consensus meeting.
	wide bool
}

var cafSubs = []cafSubSpec{
	{code: "1.1", score: 55, gain: 10, evidence: "Strategia de dezvoltare locală 2021–2027; Manualul calității, cap. 2; Politica în domeniul calității",
		strengths:    "Misiunea, viziunea și valorile sunt scrise în strategie și în manualul calității; conducerea le prezintă la fiecare ședință de bilanț",
		improvements: "Valorile nu sunt cunoscute de personalul serviciilor subordonate; nu se verifică periodic dacă misiunea mai corespunde așteptărilor cetățenilor"},
	{code: "1.2", score: 50, gain: 10, evidence: "Organigrama și Regulamentul de organizare și funcționare; Registrul riscurilor; rapoartele de monitorizare a obiectivelor",
		strengths:    "Structura și atribuțiile sunt clar stabilite în ROF; ședințele lunare ale conducerii urmăresc indicatorii principali",
		improvements: "Managementul performanței nu cuprinde direcțiile subordonate; deciziile din ședințe nu au responsabili și termene urmărite"},
	{code: "1.3", score: 40, gain: 15, wide: true, evidence: "Rapoartele de evaluare a performanțelor profesionale; procesele-verbale ale ședințelor cu personalul",
		strengths:    "Conducerea este accesibilă și participă la instruirile interne; angajații cu rezultate deosebite sunt felicitați public",
		improvements: "Nu există un sistem de recunoaștere a performanței; delegarea responsabilităților diferă mult de la o direcție la alta"},
	{code: "1.4", score: 60, gain: 5, evidence: "Hotărârile consiliului local; protocoalele de colaborare cu Consiliul Județean; raportul anual al primarului",
		strengths:    "Relația cu consiliul local este bine organizată prin comisiile de specialitate; primăria are protocoale cu instituțiile județene",
		improvements: "Părțile interesate nu sunt identificate și analizate sistematic; organizațiile neguvernamentale sunt consultate doar când legea o cere"},
	{code: "2.1", score: 45, gain: 15, evidence: "Analiza SWOT din strategie; datele INS pentru municipiu; registrul petițiilor",
		strengths:    "Strategia are o analiză a mediului extern actualizată la jumătatea perioadei; petițiile sunt analizate trimestrial",
		improvements: "Nevoile cetățenilor nu sunt măsurate direct, prin sondaje; datele culese de direcții nu sunt puse împreună"},
	{code: "2.2", score: 55, gain: 5, evidence: "Strategia de dezvoltare locală; planurile anuale de acțiune ale direcțiilor; bugetul local",
		strengths:    "Obiectivele strategice sunt legate de buget și de planurile anuale; obiectivele au indicatori cu ținte",
		improvements: "Riscurile nu sunt luate în calcul la stabilirea priorităților; planurile compartimentelor au formate diferite"},
	{code: "2.3", score: 45, gain: 10, evidence: "Raportul anual de monitorizare a strategiei; tabloul de bord al indicatorilor",
		strengths:    "Stadiul obiectivelor este raportat semestrial conducerii; indicatorii principali sunt publicați pe site",
		improvements: "Personalul de execuție nu vede legătura dintre sarcinile proprii și obiective; planurile se revizuiesc rar și fără analiza cauzelor"},
	{code: "2.4", score: 35, gain: 10, wide: true, evidence: "Proiectul de digitalizare a registraturii; propunerile de îmbunătățire ale angajaților",
		strengths:    "Proiectele de digitalizare au fost duse la capăt; angajații pot face propuneri de îmbunătățire",
		improvements: "Inovarea depinde de inițiative individuale; nu există un mod organizat de a încerca și evalua ideile noi"},
	{code: "3.1", score: 50, gain: 5, evidence: "Planul de ocupare a funcțiilor publice; statul de funcții; procedura PO-SRU-01",
		strengths:    "Recrutarea urmează proceduri scrise și transparente; planul de ocupare este corelat cu nevoile direcțiilor",
		improvements: "Fișele de post nu au fost actualizate după reorganizare; plecările din Direcția Economică nu sunt analizate"},
	{code: "3.2", score: 45, gain: 15, evidence: "Planul anual de perfecționare; raportul de instruire; indicatorul K24",
		strengths:    "Planul de perfecționare este aprobat anual și urmărit; noii angajați au o instruire de inițiere",
		improvements: "Nevoile de formare sunt stabilite fără evaluarea competențelor; ce se învață la cursuri nu este transmis colegilor"},
	{code: "3.3", score: 35, gain: 15, wide: true, evidence: "Cutia de sugestii; procesele-verbale ale întâlnirilor cu sindicatul",
		strengths:    "Angajații au fost consultați la reorganizare prin sindicat; programul flexibil a fost introdus pentru părinți",
		improvements: "Satisfacția și bunăstarea personalului nu se măsoară; propunerile angajaților primesc rar un răspuns"},
	{code: "4.1", score: 55, gain: 5, evidence: "Acordurile de parteneriat cu asociația de dezvoltare intercomunitară; proiectele cu finanțare europeană",
		strengths:    "Parteneriatele cu localitățile vecine aduc proiecte finanțate; partenerii sunt aleși după criterii clare",
		improvements: "Rezultatele parteneriatelor nu sunt evaluate; lipsește o evidență a acordurilor în vigoare"},
	{code: "4.2", score: 45, gain: 10, evidence: "Procedura de consultare publică a bugetului; procesele-verbale ale dezbaterilor publice",
		strengths:    "Bugetul este supus consultării publice; cetățenii pot depune petiții online",
		improvements: "Participarea la consultări este mică și nu este încurajată; rezultatele consultărilor nu sunt comunicate participanților"},
	{code: "4.3", score: 65, gain: 5, evidence: "Procedura PO-DE-02 privind bugetul local; raportul Curții de Conturi; indicatorii K11 și K14",
		strengths:    "Execuția bugetară este urmărită lunar; Curtea de Conturi nu a constatat abateri grave",
		improvements: "Bugetul nu este legat de costul serviciilor; analizele cost-beneficiu lipsesc la investițiile mici"},
	{code: "4.4", score: 40, gain: 15, evidence: "Procedura PS-01 privind controlul documentelor; registratura electronică; arhiva electronică",
		strengths:    "Documentele sistemului de management sunt controlate și difuzate electronic; registratura este informatizată",
		improvements: "Cunoștințele angajaților care pleacă se pierd; informațiile sunt răspândite în foldere și e-mailuri"},
	{code: "4.5", score: 40, gain: 10, wide: true, evidence: "Inventarul echipamentelor informatice; indicatorii K26 și K27",
		strengths:    "Portalul de servicii online funcționează stabil; stațiile de lucru sunt actualizate",
		improvements: "Nu există un plan de continuitate informatică și copiile de siguranță nu sunt testate; aplicațiile direcțiilor nu comunică între ele"},
	{code: "4.6", score: 55, gain: 5, evidence: "Planul de întreținere a clădirilor; autorizația de securitate la incendiu",
		strengths:    "Clădirea principală este accesibilă persoanelor cu dizabilități; ghișeul unic a fost modernizat",
		improvements: "Arhiva este depozitată în spații necorespunzătoare; consumul de energie nu este urmărit"},
	{code: "5.1", score: 45, gain: 10, evidence: "Lista procedurilor operaționale; harta proceselor din Manualul calității",
		strengths:    "Procesele principale au proceduri operaționale aprobate; responsabilii proceselor sunt numiți",
		improvements: "Procesele nu sunt măsurate cu indicatori proprii; cetățenii nu sunt implicați în proiectarea serviciilor"},
	{code: "5.2", score: 55, gain: 10, evidence: "Ghișeul unic; serviciile online; procedura PO-DU-02; indicatorii K03 și K04",
		strengths:    "Ghișeul unic a redus drumurile cetățenilor; tot mai multe servicii sunt disponibile online",
		improvements: "Termenele certificatelor de urbanism sunt depășite în perioadele aglomerate; listele de acte necesare de pe site sunt incomplete"},
	{code: "5.3", score: 40, gain: 5, evidence: "Protocoalele cu SPCLEP și cu Direcția de Asistență Socială; circuitul documentelor între direcții",
		strengths:    "Colaborarea cu serviciile subordonate este stabilită prin protocoale; circuitul documentelor este descris în PS-01",
		improvements: "Cererile care trec prin mai multe direcții se blochează între compartimente; timpul total de soluționare nu este urmărit"},
	{code: "6.1", score: 40, gain: 15, wide: true, evidence: "Sondajul de satisfacție a cetățenilor; indicatorul K01",
		strengths:    "Cetățenii apreciază amabilitatea personalului; satisfacția față de ghișeul unic a crescut",
		improvements: "Sondajul se face rar și pe un eșantion mic; rezultatele nu sunt comparate cu ale altor primării"},
	{code: "6.2", score: 45, gain: 10, evidence: "Indicatorii K02, K03, K04 și K20",
		strengths:    "Timpul de așteptare la ghișeu a scăzut; cele mai multe petiții sunt soluționate în termen",
		improvements: "Reclamațiile întemeiate nu scad; nu există ținte pentru toate serviciile"},
	{code: "7.1", score: 35, gain: 15, evidence: "Sondajul de satisfacție a personalului și raportul de analiză a rezultatelor",
		strengths:    "Personalul apreciază colaborarea din echipă; majoritatea angajaților cunosc obiectivele compartimentului",
		improvements: "Satisfacția față de recunoașterea muncii și de comunicarea internă este scăzută; sondajul nu a fost repetat"},
	{code: "7.2", score: 40, gain: 10, evidence: "Indicatorii K24 și K25; evidența absențelor; rapoartele de evaluare a performanțelor",
		strengths:    "Absenteismul este redus; orele de formare pe angajat au crescut",
		improvements: "Plecările din serviciile de specialitate sunt multe; participarea la propunerile de îmbunătățire nu este urmărită"},
	{code: "8.1", score: 30, gain: 10, evidence: "Articolele din presa locală; rezultatele consultărilor publice",
		strengths:    "Presa locală prezintă favorabil proiectele de mediu; campaniile de colectare selectivă sunt cunoscute",
		improvements: "Percepția comunității despre impactul social al primăriei nu este măsurată; rezultatele nu sunt urmărite în timp"},
	{code: "8.2", score: 35, gain: 5, evidence: "Raportul privind starea mediului; rapoartele Direcției de Asistență Socială privind incluziunea",
		strengths:    "Cantitatea de deșeuri colectate selectiv a crescut; serviciile sociale ajung la mai mulți beneficiari",
		improvements: "Nu sunt stabiliți indicatori de responsabilitate socială; consumul de energie al clădirilor publice nu este raportat"},
	{code: "9.1", score: 50, gain: 10, evidence: "Raportul anual al primarului; indicatorii K09, K11 și K12",
		strengths:    "Gradul de colectare a taxelor locale a crescut; valoarea proiectelor cu finanțare nerambursabilă a crescut",
		improvements: "Țintele sunt atinse doar pentru jumătate din indicatorii strategiei; rezultatele nu sunt comparate cu ale altor municipii"},
	{code: "9.2", score: 45, gain: 5, evidence: "Contul de execuție bugetară; indicatorii K14, K15 și K19",
		strengths:    "Termenul de plată a furnizorilor s-a redus; programul de audit intern se realizează integral",
		improvements: "Costul pe serviciu nu este calculat; eficiența proceselor nu este măsurată"},
}

// cafMemberSpec is a member of the self-assessment group.
type cafMemberSpec struct {
	who  string  // people key, or staff:<unit>
	bias float64 // how much higher than the consensus they tend to score
}

// The first cycle's group: the quality manager leads it; directors, heads
// of service and office and execution staff from six units.
var cafGroup = []cafMemberSpec{
	{who: "calitate", bias: 0},
	{who: "head:de", bias: 5},
	{who: "head:du", bias: -5},
	{who: "head:sru", bias: 0},
	{who: "head:srpr", bias: 5},
	{who: "head:bpf", bias: -5},
	{who: "angajat", bias: -10},
	{who: "registratura", bias: 10},
	{who: "staff:scri", bias: -5},
}

// The second cycle's group changes: the communication officer leaves it, a
// social worker of the subordinate social assistance directorate joins.
const (
	cafLeaves = "staff:scri"
	cafJoins  = "staff:spcf"
)

// cafLate are the members of the cycle in progress who have not handed in
// their assessment (each has one sub-criterion left, cafLateSub): the head
// of the economic directorate and an inspector of his directorate, both
// with a demo sign-in, so the browser test can finish their assessment.
var cafLate = []string{"head:de", "angajat"}

const cafLateSub = "2.3"

// cafEarlyConsensus are the sub-criteria of the cycle in progress agreed
// in the first consensus meeting, before the assessment was reopened for
// the two late members.
var cafEarlyConsensus = []string{"1.1", "1.2", "1.3", "1.4", "2.1", "2.2"}

// cafDocEvidence links documents of the demo to sub-criteria.
var cafDocEvidence = []struct{ sub, code string }{
	{"1.1", "MC-01"}, {"1.1", "PC-01"}, {"3.1", "PO-SRU-01"}, {"4.3", "PO-DE-02"}, {"4.4", "PS-01"}, {"5.1", "MC-01"}, {"5.2", "PO-DU-02"},
}

// cafKPIEvidence links scorecard KPIs to sub-criteria.
var cafKPIEvidence = []struct{ sub, code string }{
	{"3.2", "K24"}, {"4.3", "K14"}, {"4.5", "K26"}, {"6.1", "K01"}, {"6.2", "K03"}, {"9.1", "K11"},
}

// cafSurveys are the survey summaries attached to criteria 6 and 7.
var cafSurveys = []struct{ sub, kind, title, notes string }{
	{"6.1", caf.EvidenceCitizenSurvey, "Sondajul de satisfacție a cetățenilor (martie, 412 respondenți)",
		"Satisfacție generală 3,6 din 5. Apreciate: amabilitatea personalului (4,1), ghișeul unic (3,9). Nemulțumiri: timpul de eliberare a certificatelor de urbanism (2,8), informațiile de pe site (3,0)."},
	{"7.1", caf.EvidenceStaffSurvey, "Sondajul de satisfacție a personalului (aprilie, 164 de respondenți din 230)",
		"Satisfacție generală 3,3 din 5. Puncte tari: colaborarea în echipă (4,0), claritatea sarcinilor (3,7). Puncte slabe: recunoașterea muncii (2,6), comunicarea internă (2,9), perspectivele de carieră (2,7)."},
}

// cafActionSpec is an improvement action of the first cycle.
type cafActionSpec struct {
	sub, title, desc string
	impact, ease     int
	owner            string
	due              int // months after the plan was adopted
	done             int // months after the plan was adopted; 0: not done
	raiseCase        bool
}

var cafActions = []cafActionSpec{
	{sub: "6.1", title: "Sondaj anual de satisfacție a cetățenilor, pe un eșantion reprezentativ",
		desc:   "Chestionar aplicat în fiecare primăvară la ghișeul unic, pe site și prin telefon; rezultatele se publică și se compară de la an la an.",
		impact: 3, ease: 3, owner: "calitate", due: 6, done: 6},
	{sub: "7.1", title: "Sondaj anual de satisfacție a personalului și plan de măsuri",
		desc:   "Chestionar anonim pentru tot personalul, inclusiv serviciile subordonate; rezultatele se discută în fiecare compartiment.",
		impact: 3, ease: 2, owner: "head:sru", due: 7, done: 7},
	{sub: "1.3", title: "Sistem de recunoaștere a rezultatelor deosebite ale angajaților",
		desc:   "Criterii scrise, propuneri din partea șefilor și a colegilor, recunoaștere publică de două ori pe an.",
		impact: 2, ease: 3, owner: "mayor", due: 8, done: 9},
	{sub: "3.2", title: "Evaluarea nevoilor de formare pe baza competențelor din fișele de post",
		desc:   "Fiecare șef de compartiment evaluează competențele echipei; planul de perfecționare pornește de la această evaluare.",
		impact: 2, ease: 2, owner: "head:sru", due: 9, done: 10},
	{sub: "4.2", title: "Publicarea rezultatelor consultărilor publice și a răspunsurilor la propuneri",
		desc:   "După fiecare consultare, pe site: propunerile primite, cele acceptate și motivarea celor respinse.",
		impact: 2, ease: 3, owner: "head:scri", due: 4, done: 4},
	{sub: "5.2", title: "Actualizarea pe site a listelor de acte necesare pentru fiecare serviciu",
		desc:   "Fișă unică pe serviciu: acte necesare, taxe, termen, formular descărcabil; verificată de compartimentul care prestează serviciul.",
		impact: 2, ease: 3, owner: "head:srpr", due: 3, done: 3},
	{sub: "4.5", title: "Plan de continuitate a sistemelor informatice și testarea copiilor de siguranță",
		desc:   "Inventarul aplicațiilor critice, timpul maxim de nefuncționare acceptat, copii de siguranță în altă locație, test de restaurare la șase luni.",
		impact: 3, ease: 1, owner: "admin", due: 14, raiseCase: true},
}

// The cycles' plans in words.
const (
	cafCommPlan = "Lansarea autoevaluării este anunțată de primar în ședința conducerii și prin e-mail către tot personalul. " +
		"Membrii grupului prezintă proiectul în compartimentele lor. Rezultatele și planul de îmbunătățire se prezintă " +
		"în ședința conducerii, se trimit tuturor angajaților și se publică pe intranet; un rezumat se publică pe site."
	cafPEFNotes = "Raportul de autoevaluare și planul de îmbunătățire sunt aprobate de primar. Acțiunile sunt urmărite în Cadran. " +
		"Pentru procedura de feedback extern mai trebuie: trei acțiuni de îmbunătățire duse la capăt cu rezultate măsurate " +
		"și dovada comunicării rezultatelor către personal."
)

// cafStepNotes are the finished cycle's notes on its ten steps.
var cafStepNotes = [10]string{
	"Dispoziția primarului privind organizarea autoevaluării CAF; responsabilul calității numit lider de proiect.",
	"Anunț în ședința conducerii, e-mail către tot personalul, articol pe intranet.",
	"Grup de 9 persoane din 7 compartimente: conducere, șefi de serviciu și de birou, personal de execuție.",
	"Instruire de o zi a grupului privind modelul CAF 2020 și scala de punctare.",
	"Evaluare individuală în patru săptămâni; trei ședințe de consens.",
	"Raportul de autoevaluare aprobat de primar.",
	"Planul de îmbunătățire cu 7 acțiuni, prioritizate după impact și ușurința realizării.",
	"Planul prezentat în ședința conducerii și trimis întregului personal.",
	"Acțiunile sunt urmărite lunar; stadiul este raportat în ședința conducerii.",
	"Următoarea autoevaluare se planifică peste doi ani, pornind de la acest ciclu.",
}
