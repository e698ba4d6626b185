package demo

import "cadran/internal/training"

// The demo municipality's training and competence records: what the
// catalogue holds, who requires what, the programmes of its training plan
// and of the funded project's target group, and the certificates people
// brought with them. training.go plays them on a timeline.

// trainingNewHires is how many people the training seeder hires through
// org (each gets an induction plan from the hook): the demo municipality
// has that many people more than its units list.
const trainingNewHires = 3

// The target group's code; the group-share KPI is fed by its metric.
const trGroupCode = "GT-SIPOCA-1187"

// trCompetence is an entry of the competence catalogue.
type trCompetence struct {
	code, name, area, desc string
	validity               int // months; 0: does not lapse
}

var trCompetences = []trCompetence{
	{code: "C-ISO9001", name: "Managementul calității — SR EN ISO 9001:2015", area: training.TopicQuality,
		desc: "Cerințele standardului, abordarea pe procese, informațiile documentate și îmbunătățirea continuă aplicate în primărie."},
	{code: "C-AUDIT", name: "Audit intern al sistemului de management al calității (SR EN ISO 19011)", area: training.TopicAudit, validity: 36,
		desc: "Planificarea și efectuarea auditurilor interne, constatări, rapoarte și urmărirea acțiunilor corective."},
	{code: "C-CAF", name: "Autoevaluare după modelul CAF 2020", area: training.TopicCAF,
		desc: "Cele nouă criterii, punctajul clasic și fin, consensul în grupul de autoevaluare și planul de îmbunătățire."},
	{code: "C-BSC", name: "Managementul performanței — Balanced Scorecard", area: training.TopicScorecard,
		desc: "Obiective pe cele patru perspective, indicatori de performanță, ținte și harta strategică."},
	{code: "C-RISC", name: "Managementul riscurilor în entitățile publice", area: training.TopicRisk,
		desc: "Identificarea, evaluarea și tratarea riscurilor; registrul riscurilor și formularul de alertă la risc."},
	{code: "C-SCIM", name: "Control intern managerial (OSGG nr. 600/2018)", area: training.TopicControl,
		desc: "Cele 16 standarde, autoevaluarea anuală, procedurile de sistem și operaționale."},
	{code: "C-ETICA", name: "Etică și integritate în funcția publică", area: training.TopicLegal,
		desc: "Codul administrativ, conflictul de interese, incompatibilitățile, cadourile și avertizorul în interes public."},
	{code: "C-PETITII", name: "Petiții și acces la informații de interes public (OG nr. 27/2002, Legea nr. 544/2001)", area: training.TopicLegal,
		desc: "Înregistrarea, termenele, redirecționarea, clasarea și răspunsul; refuzul motivat și reclamația administrativă."},
	{code: "C-GDPR", name: "Protecția datelor cu caracter personal (Regulamentul UE 2016/679)", area: training.TopicLegal,
		desc: "Temeiurile prelucrării, drepturile persoanelor vizate, incidentele de securitate și registrul de evidență."},
	{code: "C-DIGITAL", name: "Competențe digitale și securitatea informației", area: training.TopicDigital,
		desc: "Instrumentele de birou, semnătura electronică, registratura electronică și igiena parolelor."},
}

// trRequirement: who requires a competence, at which level.
type trRequirement struct {
	comp, kind, target string
	level              int
}

var trRequirements = []trRequirement{
	{comp: "C-ETICA", kind: training.RequireEveryone, level: 1},
	{comp: "C-ISO9001", kind: training.RequireRole, target: "quality_manager", level: 3},
	{comp: "C-AUDIT", kind: training.RequireRole, target: "internal_auditor", level: 2},
	{comp: "C-SCIM", kind: training.RequireJob, target: "Director executiv", level: 2},
	{comp: "C-RISC", kind: training.RequireJob, target: "Director executiv", level: 2},
	{comp: "C-SCIM", kind: training.RequireJob, target: "Director general", level: 2},
	{comp: "C-RISC", kind: training.RequireJob, target: "Director general", level: 2},
	{comp: "C-ISO9001", kind: training.RequireJob, target: "Șef serviciu", level: 1},
	{comp: "C-RISC", kind: training.RequireJob, target: "Șef serviciu", level: 2},
	{comp: "C-ISO9001", kind: training.RequireJob, target: "Șef birou", level: 1},
	{comp: "C-RISC", kind: training.RequireJob, target: "Șef birou", level: 2},
	{comp: "C-AUDIT", kind: training.RequireJob, target: "Auditor intern superior", level: 2},
	{comp: "C-ISO9001", kind: training.RequireJob, target: "Consilier superior, responsabil cu managementul calității", level: 3},
	{comp: "C-CAF", kind: training.RequireJob, target: "Consilier superior, responsabil cu managementul calității", level: 2},
	{comp: "C-BSC", kind: training.RequireJob, target: "Consilier superior, responsabil cu managementul calității", level: 2},
	{comp: "C-PETITII", kind: training.RequireJob, target: "Referent superior", level: 2},
	{comp: "C-PETITII", kind: training.RequireJob, target: "Consilier juridic superior", level: 2},
	{comp: "C-GDPR", kind: training.RequireJob, target: "Inspector superior", level: 1},
	{comp: "C-DIGITAL", kind: training.RequireJob, target: "Consilier IT superior", level: 3},
	{comp: "C-DIGITAL", kind: training.RequireJob, target: "Referent IT", level: 2},
}

// The training providers.
const (
	trProviderProject = "Academia de Management Public Transilvania SRL"
	trProviderAudit   = "Centrul de Formare și Evaluare în Calitate Mureș SRL"
	trProviderRisk    = "Institutul de Control Intern și Guvernanță Publică SRL"
	trProviderOwn     = "Biroul Control Intern Managerial și Managementul Calității"
)

// trProgramme is a programme of the training plan.
type trProgramme struct {
	code, title, topic, provider string
	hours, days                  int
	certificate                  string
	months                       int // the certificate's validity
	comp                         string
	level                        int
	group                        bool // serves the target group
	mandatory                    bool
	pass                         int
	desc                         string
}

var trProgrammes = []trProgramme{
	{code: "P-MC", title: "Managementul calității în administrația publică — ISO 9001:2015", topic: training.TopicQuality, provider: trProviderProject,
		hours: 40, days: 5, certificate: "Certificat de absolvire — Managementul calității în administrația publică (ISO 9001:2015)", months: 36,
		comp: "C-ISO9001", level: 2, group: true, pass: 70,
		desc: "Curs acreditat din proiect: cerințele ISO 9001:2015 aplicate unei primării, procesele și procedurile, riscurile, obiectivele calității, auditul și analiza efectuată de management. Evaluare finală prin test grilă și studiu de caz."},
	{code: "P-PERF", title: "Instrumente de management al performanței: CAF 2020 și Balanced Scorecard", topic: training.TopicScorecard, provider: trProviderProject,
		hours: 16, days: 2, comp: "C-BSC", level: 1, group: true,
		desc: "Autoevaluarea CAF în zece pași și tabloul de bord echilibrat: obiective, indicatori, ținte și raportarea lunară. Atelier practic pe indicatorii primăriei."},
	{code: "P-AUD", title: "Auditor intern în domeniul calității (SR EN ISO 19011:2018)", topic: training.TopicAudit, provider: trProviderAudit,
		hours: 24, days: 3, certificate: "Certificat de auditor intern pentru sisteme de management al calității", months: 36,
		comp: "C-AUDIT", level: 2, pass: 75,
		desc: "Programul de audit, planul și lista de verificare, interviul de audit, constatările și raportul; examen scris la final."},
	{code: "P-ETICA", title: "Etică, integritate și prevenirea corupției în administrația publică", topic: training.TopicLegal, provider: "Consilierul de etică al instituției",
		hours: 4, days: 1, comp: "C-ETICA", level: 1,
		desc: "Instruirea anuală a personalului și a aleșilor locali: Codul administrativ, conflictul de interese, declarațiile de avere și de interese, Strategia națională anticorupție."},
	{code: "P-IND", title: "Inițiere pentru noii angajați: sistemul de management al calității și controlul intern managerial", topic: training.TopicInduction, provider: trProviderOwn,
		hours: 4, days: 1, comp: "C-ISO9001", level: 1, mandatory: true,
		desc: "Politica în domeniul calității, manualul calității, procedurile de sistem, registrul riscurilor și cum se lucrează cu Cadran: documentele de citit, sarcinile din inbox și sesizarea unei neconformități."},
	{code: "P-RISC", title: "Managementul riscurilor și controlul intern managerial pentru conducători", topic: training.TopicRisk, provider: trProviderRisk,
		hours: 8, days: 1, certificate: "Certificat de absolvire — Managementul riscurilor în entitățile publice", months: 36,
		comp: "C-RISC", level: 2,
		desc: "Pentru șefii de compartimente: identificarea și evaluarea riscurilor, registrul riscurilor pe compartiment, alerta la risc, standardul 8 din OSGG nr. 600/2018."},
}

// Places of the sessions.
const (
	trPlaceCouncil  = "Sala de ședințe a Consiliului Local, Piața Primăriei nr. 1, etajul 1"
	trPlaceTraining = "Sala de instruire de la parter, Piața Primăriei nr. 1"
	trPlaceProvider = "Sediul furnizorului, str. Bolyai nr. 12, Târgu Mureș"
)

// trExternal is a certificate obtained outside the institution's
// programmes: recorded when the module was set up (recordedAgo 0) or,
// for a renewal, when it came; days are counted from today.
type trExternal struct {
	who, comp     string // person key
	level         int
	name, issuer  string
	number        string
	hours         int
	issuedDaysAgo int
	expiresInDays int // negative: already expired; 0: no expiry
	recordedAgo   int
	renews        string // the number of the certificate it renews
}

// The internal auditors' own qualifications are kept in the audit
// register (audits.go); the training records hold the certificates of the
// auditors' course, which the register shows beside them.
var trExternals = []trExternal{
	// The quality manager's certificate lapses soon: its renewal task is
	// in her inbox.
	{who: "calitate", comp: "C-ISO9001", level: 3, name: "Manager al sistemului de management al calității (cod COR 121904)",
		issuer: "Asociația Română pentru Formare în Managementul Calității", number: "MSMC-0412/2023", hours: 60, issuedDaysAgo: 1050, expiresInDays: 45},
	// The head of the tax service: a risk management certificate that
	// lapses within the renewal window too.
	{who: "head:sitl", comp: "C-RISC", level: 2, name: "Expert în managementul riscului (cod COR 242231)",
		issuer: trProviderRisk, number: "EMR-0288/2023", hours: 60, issuedDaysAgo: 1045, expiresInDays: 50},
	// The social assistance directorate's head: lapsed, not renewed.
	{who: "head:das", comp: "C-RISC", level: 2, name: "Managementul riscurilor în entitățile publice",
		issuer: trProviderRisk, number: "MR-0917/2023", hours: 24, issuedDaysAgo: 1135, expiresInDays: -40},
	// The tax inspector's data protection certificate, renewed three
	// weeks ago: the old one's task closed.
	{who: "staff:sitl", comp: "C-GDPR", level: 1, name: "Responsabil cu protecția datelor cu caracter personal (cod COR 242231)",
		issuer: "Asociația pentru Protecția Datelor din România", number: "DPO-2207/2023", hours: 40, issuedDaysAgo: 1090, expiresInDays: 5},
	{who: "staff:sitl", comp: "C-GDPR", level: 1, name: "Responsabil cu protecția datelor cu caracter personal — reatestare",
		issuer: "Asociația pentru Protecția Datelor din România", number: "DPO-3871/2026", hours: 16, issuedDaysAgo: 24, expiresInDays: 1071,
		recordedAgo: 21, renews: "DPO-2207/2023"},
	// The IT specialist's digital skills certificate, without expiry.
	{who: "admin", comp: "C-DIGITAL", level: 3, name: "ICDL Profesional — securitatea informației și colaborare online",
		issuer: "ECDL România", number: "RO-ICDL-0071934", issuedDaysAgo: 1400},
}

// trAssessment is a competence assessed by a head of unit or the quality
// office.
type trAssessment struct {
	by, who, comp string // people keys ("qm": the quality manager)
	level         int
	daysAgo       int
	notes         string
}

var trAssessments = []trAssessment{
	{by: "head:bcim", who: "calitate", comp: "C-CAF", level: 2, daysAgo: 400, notes: "A coordonat ciclul CAF anterior și consensul în grupul de autoevaluare."},
	{by: "head:bcim", who: "calitate", comp: "C-BSC", level: 2, daysAgo: 400, notes: "Întocmește raportarea lunară a tabloului de bord."},
	{by: "qm", who: "head:bcim", comp: "C-RISC", level: 2, daysAgo: 390, notes: "Secretarul tehnic al Comisiei de monitorizare; consolidează registrul riscurilor."},
	{by: "qm", who: "registratura", comp: "C-PETITII", level: 2, daysAgo: 380, notes: "Verificat la evaluarea anuală: termene, redirecționări, clasări."},
	{by: "qm", who: "staff:srpr", comp: "C-PETITII", level: 2, daysAgo: 380, notes: "Verificat la evaluarea anuală: termene, redirecționări, clasări."},
	{by: "qm", who: "staff:ci", comp: "C-DIGITAL", level: 2, daysAgo: 370, notes: "Administrează stațiile de lucru și conturile utilizatorilor."},
	{by: "head:de", who: "staff3:sc", comp: "C-PETITII", level: 2, daysAgo: 200, notes: "Răspunde la solicitările privind situațiile financiare."},
	{by: "head:de", who: "staff:bpj", comp: "C-GDPR", level: 1, daysAgo: 200, notes: "Instruit la preluarea bazei de date a contribuabililor."},
}

// The scorecard's KPIs fed by the training metrics, under objective L1
// (the staff's competence). scorecard_data.go lists them among the KPIs;
// the demo scorecard offers the training service's metrics.
var (
	trKPIHours = scKPISpec{code: "K36", name: "Ore de instruire pe angajat, din evidența instruirilor", unit: "ore", polarity: higher, method: bands, freq: yearly,
		base: f64(0), red: f64(6), decimals: 1, targets: [4]float64{10, 12, 14, 16}, owner: "head:sru", objective: "L1", weight: 1,
		metric: "training.hours_per_person", process: "Perfecționarea profesională",
		source: "Calculat de Cadran din sesiunile de instruire încheiate: orele celor care au absolvit, pe angajat activ"}
	trKPIGroupShare = scKPISpec{code: "K37", name: "Membri ai grupului țintă GT-SIPOCA-1187 care au absolvit programele (%)", unit: "%", polarity: higher, method: linear, freq: quarterly,
		base: f64(0), red: f64(50), targets: [4]float64{90, 90, 90, 90}, owner: "calitate", objective: "L1", weight: 1,
		metric: "training.group_share/" + trGroupCode, process: "Perfecționarea profesională",
		source: "Calculat de Cadran din grupul țintă al proiectului SIPOCA 1187 și din sesiunile programelor lui"}
)
