package demo

import (
	"slices"

	"cadran/internal/org"
)

// unitSpec is one organisational unit of a demo institution and the people
// who work in it.
type unitSpec struct {
	key         string // how people and users refer to the unit
	parent      string // key of the parent unit, "" for a top-level unit
	name        string
	code        string
	kind        string
	relation    string
	legalPerson bool
	head        string // job title of the unit's head, "" when it has none
	staff       []staffSpec
}

// staffSpec is a number of people with the same job in a unit.
type staffSpec struct {
	title      string
	employment string
	count      int
	// key names one of them so a demo user can be linked to that person.
	key string
}

const (
	own  = org.RelationOwn
	sub  = org.RelationSubordinate
	civ  = org.EmploymentCivilServant
	cont = org.EmploymentContract
)

// The mayor's specialised apparatus of a mid-sized municipality, with the
// public services subordinate to the local council.
var targuVerdeUnits = []unitSpec{
	{key: "cab", name: "Cabinetul Primarului", code: "CAB", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Consilier personal al primarului", employment: cont, count: 1}, {title: "Șofer", employment: cont, count: 1}}},
	{key: "de", name: "Direcția Economică", code: "DE", kind: org.UnitDirectorate, relation: own, head: "Director executiv"},
	{key: "sbf", parent: "de", name: "Serviciul Buget-Finanțe", code: "DE-SBF", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 2}, {title: "Consilier asistent", employment: civ, count: 1}}},
	{key: "sc", parent: "de", name: "Serviciul Contabilitate", code: "DE-SC", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier principal", employment: civ, count: 2}, {title: "Referent superior", employment: civ, count: 1}}},
	{key: "sitl", parent: "de", name: "Serviciul Impozite și Taxe Locale", code: "DE-SITL", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Inspector superior", employment: civ, count: 1}}},
	{key: "bpf", parent: "sitl", name: "Biroul Constatare și Control Persoane Fizice", code: "DE-SITL-PF", kind: org.UnitOffice, relation: own, head: "Șef birou",
		staff: []staffSpec{{title: "Inspector principal", employment: civ, count: 2, key: "angajat"}}},
	{key: "bpj", parent: "sitl", name: "Biroul Constatare și Control Persoane Juridice", code: "DE-SITL-PJ", kind: org.UnitOffice, relation: own, head: "Șef birou",
		staff: []staffSpec{{title: "Inspector superior", employment: civ, count: 2}}},
	{key: "dti", name: "Direcția Tehnică și Investiții", code: "DTI", kind: org.UnitDirectorate, relation: own, head: "Director executiv"},
	{key: "silp", parent: "dti", name: "Serviciul Investiții și Lucrări Publice", code: "DTI-SILP", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 2}, {title: "Inspector de specialitate", employment: cont, count: 1}}},
	{key: "cadp", parent: "dti", name: "Compartimentul Administrarea Domeniului Public și Privat", code: "DTI-CADP", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Consilier principal", employment: civ, count: 2}}},
	{key: "du", name: "Direcția Urbanism și Amenajarea Teritoriului", code: "DU", kind: org.UnitDirectorate, relation: own, head: "Arhitect-șef"},
	{key: "sac", parent: "du", name: "Serviciul Autorizări în Construcții", code: "DU-SAC", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 1}, {title: "Referent superior", employment: civ, count: 1}}},
	{key: "cdc", parent: "du", name: "Compartimentul Disciplina în Construcții", code: "DU-CDC", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Inspector principal", employment: civ, count: 1}}},
	{key: "djapl", name: "Direcția Juridică și Administrație Publică Locală", code: "DJAPL", kind: org.UnitDirectorate, relation: own, head: "Director executiv"},
	{key: "sjc", parent: "djapl", name: "Serviciul Juridic Contencios", code: "DJAPL-SJC", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier juridic superior", employment: civ, count: 1}, {title: "Consilier juridic asistent", employment: civ, count: 1}}},
	{key: "sapl", parent: "djapl", name: "Serviciul Administrație Publică Locală și Relația cu Consiliul Local", code: "DJAPL-SAPL", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 1}, {title: "Referent superior", employment: civ, count: 1}}},
	{key: "cra", parent: "djapl", name: "Compartimentul Registrul Agricol", code: "DJAPL-CRA", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Referent superior", employment: civ, count: 2}}},
	{key: "sru", name: "Serviciul Resurse Umane", code: "SRU", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 2}}},
	{key: "srpr", name: "Serviciul Relații cu Publicul și Registratură", code: "SRPR", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Referent superior", employment: civ, count: 2, key: "registratura"}, {title: "Consilier asistent", employment: civ, count: 1}}},
	{key: "capi", name: "Compartimentul Audit Public Intern", code: "CAPI", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Auditor intern superior", employment: civ, count: 2, key: "auditor"}}},
	{key: "bcim", name: "Biroul Control Intern Managerial și Managementul Calității", code: "BCIMMC", kind: org.UnitOffice, relation: own, head: "Șef birou",
		staff: []staffSpec{{title: "Consilier superior, responsabil cu managementul calității", employment: civ, count: 1, key: "calitate"}, {title: "Consilier principal", employment: civ, count: 1}}},
	{key: "cap", name: "Compartimentul Achiziții Publice", code: "CAP", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Consilier achiziții publice superior", employment: civ, count: 2}}},
	{key: "ci", name: "Compartimentul Informatică", code: "CI", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Consilier IT superior", employment: civ, count: 1, key: "admin"}, {title: "Referent IT", employment: cont, count: 1}}},
	{key: "scri", name: "Serviciul Comunicare și Relații Internaționale", code: "SCRI", kind: org.UnitService, relation: own, head: "Șef serviciu",
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 1}, {title: "Inspector de specialitate", employment: cont, count: 1}}},
	{key: "spclep", name: "Serviciul Public Comunitar Local de Evidență a Persoanelor", code: "SPCLEP", kind: org.UnitService, relation: sub, head: "Șef serviciu",
		staff: []staffSpec{{title: "Inspector superior", employment: civ, count: 2}}},
	{key: "das", name: "Direcția de Asistență Socială", code: "DAS", kind: org.UnitDirectorate, relation: sub, legalPerson: true, head: "Director general"},
	{key: "spcf", parent: "das", name: "Serviciul Protecția Copilului și Familiei", code: "DAS-SPCF", kind: org.UnitService, relation: sub, head: "Șef serviciu",
		staff: []staffSpec{{title: "Asistent social principal", employment: cont, count: 2}, {title: "Psiholog", employment: cont, count: 1}}},
	{key: "sbs", parent: "das", name: "Serviciul Beneficii Sociale", code: "DAS-SBS", kind: org.UnitService, relation: sub, head: "Șef serviciu",
		staff: []staffSpec{{title: "Inspector principal", employment: civ, count: 2}}},
	{key: "cpvd", parent: "das", name: "Compartimentul Persoane Vârstnice și Persoane cu Dizabilități", code: "DAS-CPVD", kind: org.UnitCompartment, relation: sub,
		staff: []staffSpec{{title: "Asistent social", employment: cont, count: 2}}},
	{key: "pl", name: "Poliția Locală", code: "PL", kind: org.UnitDirectorate, relation: sub, legalPerson: true, head: "Director executiv"},
	{key: "sop", parent: "pl", name: "Serviciul Ordine Publică", code: "PL-SOP", kind: org.UnitService, relation: sub, head: "Șef serviciu",
		staff: []staffSpec{{title: "Polițist local principal", employment: civ, count: 2}}},
	{key: "bcr", parent: "pl", name: "Biroul Circulație Rutieră", code: "PL-BCR", kind: org.UnitOffice, relation: sub, head: "Șef birou",
		staff: []staffSpec{{title: "Polițist local superior", employment: civ, count: 2}}},
}

// A small commune: the mayor's apparatus is a handful of compartments.
var valeaLungaUnits = []unitSpec{
	{key: "cfc", name: "Compartimentul Financiar-Contabil, Impozite și Taxe", code: "CFC", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Consilier superior", employment: civ, count: 1}}},
	{key: "cra", name: "Compartimentul Registrul Agricol", code: "CRA", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Referent superior", employment: civ, count: 1}}},
	{key: "cuat", name: "Compartimentul Urbanism și Amenajarea Teritoriului", code: "CUAT", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Inspector principal", employment: civ, count: 1}}},
	{key: "cas", name: "Compartimentul Asistență Socială", code: "CAS", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Inspector asistent", employment: civ, count: 1}}},
	{key: "csc", name: "Compartimentul Stare Civilă", code: "CSC", kind: org.UnitCompartment, relation: own,
		staff: []staffSpec{{title: "Referent", employment: cont, count: 1}}},
}

// Name lists for the generated people. Diacritics are written the correct
// way, with ș and ț under a comma.
var (
	maleNames = []string{"Andrei", "Bogdan", "Cătălin", "Ciprian", "Constantin", "Cosmin", "Dan", "Dorin", "Florin", "Gheorghe",
		"Horațiu", "Ioan", "Iulian", "Laurențiu", "Liviu", "Marius", "Mihai", "Mircea", "Nicolae", "Ovidiu", "Radu", "Răzvan",
		"Sorin", "Ștefan", "Teodor", "Traian", "Valentin", "Vasile", "Viorel", "Remus", "Aurel", "Tudor"}
	femaleNames = []string{"Adriana", "Alina", "Ana", "Anca", "Andreea", "Carmen", "Cristina", "Daniela", "Diana", "Elena",
		"Gabriela", "Ioana", "Iulia", "Laura", "Loredana", "Luminița", "Mădălina", "Maria", "Mihaela", "Monica", "Oana",
		"Otilia", "Raluca", "Ramona", "Roxana", "Simona", "Ștefania", "Teodora", "Viorica", "Nicoleta", "Lăcrămioara", "Florența"}
	surnames = []string{"Popescu", "Ionescu", "Moldovan", "Pop", "Rus", "Pușcaș", "Mureșan", "Crăciun", "Bălan", "Țurcan",
		"Șerban", "Oprea", "Stănescu", "Dumitrescu", "Constantinescu", "Marinescu", "Lazăr", "Sârbu", "Câmpeanu", "Ardeleanu",
		"Bucur", "Coroian", "Man", "Suciu", "Tătar", "Nistor", "Munteanu", "Stoica", "Ilieș", "Hădărean", "Florea", "Neagu",
		"Voicu", "Ciobanu", "Pârvu", "Răduț", "Toma", "Grigoraș", "Roșca", "Ungureanu", "Zăvoianu", "Bîrsan", "Mățan",
		"Ștefănescu", "Vlăduț", "Gheorghiu", "Niță", "Păun", "Andrieș", "Chiorean", "Fărcaș", "Socaciu", "Vereș", "Oltean"}
)

// Names returns copies of the demo's first-name and surname lists, for the
// scale generator's people.
func Names() (male, female, surname []string) {
	return slices.Clone(maleNames), slices.Clone(femaleNames), slices.Clone(surnames)
}
