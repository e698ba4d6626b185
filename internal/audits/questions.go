package audits

import "fmt"

// Question is one question of the built-in bank, in both languages.
type Question struct{ RO, EN string }

// Text returns the question in locale ("ro" or "en").
func (q Question) Text(locale string) string {
	if locale == "en" {
		return q.EN
	}
	return q.RO
}

// Bank holds the audit questions of each ISO 9001:2015 clause, written in
// our own words for a town hall's quality management system. Every clause
// of frameworks.ISO9001 has one to three (a test checks).
var Bank = map[string][]Question{
	"4.1": {
		{"Sunt identificate și analizate periodic aspectele externe și interne relevante pentru primărie (legislație, buget, digitalizare, personal)?", "Are the external and internal issues relevant to the town hall (legislation, budget, digitalisation, staff) identified and reviewed periodically?"},
		{"Există dovezi că analiza contextului a fost actualizată în ultimul an și folosită la planificare?", "Is there evidence that the context analysis was updated in the last year and used in planning?"},
	},
	"4.2": {
		{"Sunt identificate părțile interesate (cetățeni, consiliul local, instituții de control, furnizori) și cerințele lor relevante?", "Are the interested parties (citizens, local council, control bodies, suppliers) and their relevant requirements identified?"},
		{"Cum sunt monitorizate și revizuite informațiile despre părțile interesate?", "How is information about interested parties monitored and reviewed?"},
	},
	"4.3": {
		{"Domeniul de aplicare al sistemului este documentat, disponibil și include justificarea cerințelor neaplicabile (de exemplu 8.3)?", "Is the scope of the system documented, available, and does it justify the requirements not applied (for example 8.3)?"},
	},
	"4.4": {
		{"Sunt determinate procesele sistemului, succesiunea și interacțiunile lor, cu responsabili, criterii și indicatori?", "Are the system's processes, their sequence and interactions determined, with owners, criteria and indicators?"},
		{"Există informații documentate care susțin funcționarea proceselor și dovezi că acestea se desfășoară conform planificării?", "Is there documented information supporting the processes and evidence that they run as planned?"},
	},
	"5.1": {
		{"Conducerea demonstrează implicare: aprobă politica și obiectivele, asigură resursele, participă la analiza efectuată de management?", "Does top management show commitment: approving the policy and objectives, providing resources, taking part in the management review?"},
		{"Sunt integrate cerințele sistemului în activitatea curentă a compartimentelor?", "Are the system's requirements integrated into the units' everyday work?"},
	},
	"5.1.1": {
		{"Conducerea își asumă răspunderea pentru eficacitatea sistemului și promovează abordarea pe procese și gândirea bazată pe risc?", "Does top management take accountability for the system's effectiveness and promote the process approach and risk-based thinking?"},
	},
	"5.1.2": {
		{"Sunt determinate și respectate cerințele cetățenilor și cele legale aplicabile serviciilor publice?", "Are the citizens' requirements and the legal requirements of public services determined and met?"},
		{"Se urmărește creșterea satisfacției cetățenilor, iar riscurile care o afectează sunt tratate?", "Is citizen satisfaction pursued, and are the risks affecting it addressed?"},
	},
	"5.2": {
		{"Politica în domeniul calității este aprobată, adecvată scopului primăriei și include angajamentul de îmbunătățire continuă?", "Is the quality policy approved, suited to the town hall's purpose, and does it commit to continual improvement?"},
		{"Politica este comunicată, înțeleasă de personal și disponibilă părților interesate?", "Is the policy communicated, understood by staff and available to interested parties?"},
	},
	"5.2.1": {
		{"Politica oferă un cadru pentru stabilirea obiectivelor calității și include angajamentul de a respecta cerințele aplicabile?", "Does the policy give a framework for setting quality objectives and commit to meeting applicable requirements?"},
	},
	"5.2.2": {
		{"Politica este afișată, comunicată personalului nou și publicată pe pagina de internet a instituției?", "Is the policy displayed, explained to new staff and published on the institution's website?"},
	},
	"5.3": {
		{"Responsabilitățile și autoritățile pentru sistem sunt stabilite (regulament de organizare, fișe de post, decizii de numire)?", "Are the responsibilities and authorities for the system set (organisation rules, job descriptions, appointment decisions)?"},
		{"Personalul auditat își cunoaște atribuțiile privind procedurile aplicabile?", "Do the auditees know their duties under the procedures that apply to them?"},
	},
	"6.1": {
		{"Riscurile și oportunitățile compartimentului sunt identificate în registrul riscurilor, evaluate și actualizate?", "Are the unit's risks and opportunities identified in the risk register, assessed and kept up to date?"},
		{"Măsurile de control stabilite sunt implementate la termen, iar eficacitatea lor este evaluată?", "Are the control measures implemented on time, and is their effectiveness evaluated?"},
	},
	"6.2": {
		{"Obiectivele calității sunt stabilite pentru compartiment, măsurabile, monitorizate și comunicate?", "Are quality objectives set for the unit, measurable, monitored and communicated?"},
		{"Există planuri pentru atingerea obiectivelor (ce, resurse, cine, termen, cum se evaluează)?", "Are there plans to achieve the objectives (what, resources, who, when, how results are evaluated)?"},
	},
	"6.3": {
		{"Schimbările în sistem (reorganizări, proceduri noi) sunt planificate, cu scop, consecințe, resurse și responsabilități?", "Are changes to the system (reorganisations, new procedures) planned, with purpose, consequences, resources and responsibilities?"},
	},
	"7.1": {
		{"Sunt determinate și asigurate resursele necesare compartimentului (personal, echipamente, aplicații)?", "Are the resources the unit needs (staff, equipment, software) determined and provided?"},
	},
	"7.1.1": {
		{"Se iau în considerare capacitățile și constrângerile resurselor interne și ce trebuie obținut de la furnizori externi?", "Are the capabilities and constraints of internal resources, and what must be obtained from external providers, considered?"},
	},
	"7.1.2": {
		{"Numărul și pregătirea personalului sunt suficiente pentru volumul de activitate al compartimentului?", "Are the number and skills of staff sufficient for the unit's workload?"},
	},
	"7.1.3": {
		{"Infrastructura (spații, echipamente IT, aplicații, arhivă) este întreținută și adecvată serviciilor furnizate?", "Is the infrastructure (premises, IT equipment, software, archive) maintained and fit for the services provided?"},
	},
	"7.1.4": {
		{"Mediul de lucru (spații de primire a cetățenilor, condiții de lucru) este adecvat funcționării proceselor?", "Is the working environment (citizen reception areas, working conditions) suitable for running the processes?"},
	},
	"7.1.5": {
		{"Acolo unde se fac măsurări (de exemplu cântare, aparate radar), echipamentele sunt verificate metrologic și înregistrările păstrate?", "Where measurements are made (for example scales, radar devices), are the instruments metrologically verified and the records kept?"},
	},
	"7.1.6": {
		{"Cunoștințele necesare proceselor sunt păstrate (proceduri, ghiduri, preluarea cunoștințelor la plecarea personalului)?", "Is the knowledge the processes need kept (procedures, guides, handover when staff leave)?"},
	},
	"7.2": {
		{"Competențele necesare fiecărui post sunt stabilite, iar dovezile de competență (studii, instruiri, evaluări) sunt păstrate?", "Are the competences each post needs set, and is evidence of competence (education, training, appraisals) kept?"},
		{"Planul de perfecționare profesională este realizat, iar eficacitatea instruirilor este evaluată?", "Is the professional training plan carried out, and is training effectiveness evaluated?"},
	},
	"7.3": {
		{"Personalul cunoaște politica și obiectivele calității, contribuția sa și consecințele nerespectării cerințelor?", "Do staff know the quality policy and objectives, their contribution and the consequences of not meeting requirements?"},
	},
	"7.4": {
		{"Este stabilit ce, când, cui și cum se comunică intern și extern (inclusiv informațiile de interes public)?", "Is it set what, when, to whom and how to communicate internally and externally (including public information)?"},
	},
	"7.5": {
		{"Informațiile documentate cerute de standard și de procedurile compartimentului există și sunt accesibile celor care le folosesc?", "Does the documented information required by the standard and by the unit's procedures exist and is it available to those who use it?"},
	},
	"7.5.1": {
		{"Sistemul include informațiile documentate stabilite de instituție ca necesare pentru eficacitatea sa (proceduri, registre, formulare)?", "Does the system include the documented information the institution decided it needs for its effectiveness (procedures, registers, forms)?"},
	},
	"7.5.2": {
		{"Documentele sunt identificate (cod, ediție, revizie), verificate și aprobate înainte de difuzare?", "Are documents identified (code, edition, revision), checked and approved before distribution?"},
	},
	"7.5.3": {
		{"Se folosesc numai edițiile în vigoare ale procedurilor și formularelor; cele retrase sunt identificate?", "Are only the editions in force of procedures and forms used, and are withdrawn ones identified?"},
		{"Înregistrările sunt protejate, ușor de regăsit și arhivate conform nomenclatorului arhivistic?", "Are records protected, easy to retrieve and archived according to the filing plan?"},
	},
	"8.1": {
		{"Activitățile compartimentului sunt planificate și controlate conform procedurilor operaționale aplicabile?", "Are the unit's activities planned and controlled according to the applicable operational procedures?"},
		{"Activitățile externalizate sunt identificate și controlate?", "Are outsourced activities identified and controlled?"},
	},
	"8.2": {
		{"Cerințele serviciului (acte necesare, termene, taxe) sunt comunicate cetățenilor înainte de depunerea cererii?", "Are the service's requirements (documents needed, deadlines, fees) communicated to citizens before they apply?"},
		{"Cererile sunt verificate la primire pentru completitudine, iar modificările cerințelor sunt comunicate?", "Are applications checked for completeness on receipt, and are changes to requirements communicated?"},
	},
	"8.3": {
		{"Dacă proiectarea serviciilor este exclusă din domeniu, excluderea este justificată; dacă nu, proiectarea este planificată, verificată și validată?", "If design of services is excluded from the scope, is the exclusion justified; if not, is design planned, verified and validated?"},
	},
	"8.4": {
		{"Furnizorii externi sunt evaluați, selectați și monitorizați după criterii stabilite, cu înregistrări păstrate?", "Are external providers evaluated, selected and monitored against set criteria, with records kept?"},
		{"Cerințele comunicate furnizorilor (caiete de sarcini, contracte) sunt clare și verificate la recepție?", "Are the requirements given to providers (specifications, contracts) clear and checked on acceptance?"},
	},
	"8.5": {
		{"Serviciile sunt furnizate în condiții controlate: proceduri, resurse, personal competent, termene legale respectate?", "Are services provided under controlled conditions: procedures, resources, competent staff, legal deadlines met?"},
	},
	"8.5.1": {
		{"Un eșantion de dosare soluționate arată respectarea procedurii și a termenului legal?", "Does a sample of closed files show the procedure and the legal deadline were followed?"},
		{"Documentele cetățenilor (proprietatea clientului) sunt păstrate în siguranță și returnate corespunzător?", "Are citizens' documents (customer property) kept safe and returned properly?"},
	},
	"8.6": {
		{"Actele emise (autorizații, certificate, dispoziții) sunt verificate și semnate de persoanele împuternicite înainte de eliberare?", "Are issued documents (permits, certificates, decisions) checked and signed by authorised people before release?"},
	},
	"8.7": {
		{"Actele sau serviciile neconforme sunt identificate, corectate și înregistrate, iar cetățenii informați?", "Are nonconforming documents or services identified, corrected and recorded, and citizens informed?"},
	},
	"9.1": {
		{"Este stabilit ce se monitorizează și măsoară, cu ce metode și când, iar rezultatele sunt analizate?", "Is it set what is monitored and measured, by which methods and when, and are the results analysed?"},
	},
	"9.1.1": {
		{"Indicatorii de performanță ai compartimentului sunt măsurați la termen, iar rezultatele sunt raportate și păstrate?", "Are the unit's performance indicators measured on time, and are the results reported and kept?"},
	},
	"9.1.2": {
		{"Satisfacția cetățenilor este evaluată (chestionare, petiții, reclamații), iar rezultatele sunt folosite?", "Is citizen satisfaction assessed (surveys, petitions, complaints), and are the results used?"},
	},
	"9.1.3": {
		{"Datele colectate sunt analizate pentru a evalua performanța proceselor și eficacitatea acțiunilor?", "Are the collected data analysed to evaluate process performance and the effectiveness of actions?"},
	},
	"9.2": {
		{"Programul de audit intern este realizat, iar constatările auditurilor anterioare au fost tratate?", "Is the internal audit programme carried out, and were the findings of earlier audits addressed?"},
	},
	"9.3": {
		{"Analiza efectuată de management a avut loc la intervalul planificat, cu toate datele de intrare, iar deciziile sunt urmărite?", "Did the management review take place at the planned interval, with all inputs, and are its decisions followed up?"},
	},
	"9.3.1": {
		{"Analiza efectuată de management este planificată (cel puțin anual) și ține seama de direcția strategică a instituției?", "Is the management review planned (at least yearly) and aligned with the institution's strategic direction?"},
	},
	"9.3.2": {
		{"Datele de intrare ale analizei includ stadiul acțiunilor anterioare, schimbările, satisfacția cetățenilor, obiectivele, auditurile, furnizorii, resursele și riscurile?", "Do the review inputs include the status of earlier actions, changes, citizen satisfaction, objectives, audits, providers, resources and risks?"},
	},
	"9.3.3": {
		{"Ieșirile analizei (decizii, acțiuni cu responsabili și termene, resurse) sunt consemnate în minută și urmărite până la realizare?", "Are the review outputs (decisions, actions with owners and dates, resources) recorded in the minutes and followed up to completion?"},
	},
	"10.1": {
		{"Sunt identificate și implementate oportunități de îmbunătățire a serviciilor și a sistemului?", "Are opportunities to improve services and the system identified and implemented?"},
	},
	"10.2": {
		{"Neconformitățile sunt înregistrate, analizate cauzal, corectate, iar eficacitatea acțiunilor corective este verificată?", "Are nonconformities recorded, analysed for root cause, corrected, and is the effectiveness of corrective actions checked?"},
		{"Acțiunile corective din auditurile și analizele anterioare sunt închise la termen?", "Are the corrective actions from earlier audits and reviews closed on time?"},
	},
	"10.3": {
		{"Rezultatele analizelor și ale analizei efectuate de management sunt folosite pentru îmbunătățirea continuă?", "Are the results of analyses and of the management review used for continual improvement?"},
	},
}

// procedureQuestions are the questions asked of each procedure in scope:
// applied as written in its edition in force, its records kept, its staff
// aware of it.
func procedureQuestions(locale string, p Procedure) []string {
	if locale == "en" {
		return []string{
			fmt.Sprintf("Is the activity carried out as procedure %s “%s” describes it, in its edition %d revision %d in force?", p.Code, p.Title, p.CurEdition, p.CurRevision),
			fmt.Sprintf("Do the records procedure %s requires exist, are they complete and archived as it says?", p.Code),
			fmt.Sprintf("Have the people who apply procedure %s confirmed reading it (%d of %d confirmations)?", p.Code, p.Acknowledged, p.Receipts),
		}
	}
	return []string{
		fmt.Sprintf("Activitatea se desfășoară așa cum o descrie procedura %s „%s”, ediția %d, revizia %d, în vigoare?", p.Code, p.Title, p.CurEdition, p.CurRevision),
		fmt.Sprintf("Înregistrările cerute de procedura %s există, sunt completate și arhivate conform prevederilor ei?", p.Code),
		fmt.Sprintf("Persoanele care aplică procedura %s au confirmat că au citit-o (%d din %d confirmări)?", p.Code, p.Acknowledged, p.Receipts),
	}
}

// followUpQuestion asks whether a finding of the previous audit is dealt with.
func followUpQuestion(locale, prevCode, finding, ncCode string) string {
	if locale == "en" {
		return fmt.Sprintf("Follow-up of %s: is the finding “%s” (case %s) corrected and its corrective actions effective?", prevCode, clip(finding, 300), ncCode)
	}
	return fmt.Sprintf("Urmărire %s: constatarea „%s” (cazul %s) este corectată, iar acțiunile corective sunt eficace?", prevCode, clip(finding, 300), ncCode)
}
