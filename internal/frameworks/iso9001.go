// Package frameworks holds the reference models Cadran builds on: the ISO
// 9001:2015 clause structure now; CAF 2020 and the OSGG 600 standards come
// with the modules that use them.
package frameworks

import "slices"

// Clause is one ISO 9001:2015 clause or sub-clause.
type Clause struct {
	Code    string
	TitleRO string
	TitleEN string
}

// Title returns the clause title in locale ("ro" or "en").
func (c Clause) Title(locale string) string {
	if locale == "en" {
		return c.TitleEN
	}
	return c.TitleRO
}

// ISO9001 lists the clauses 4.1 to 10.3 with the sub-clauses people link to.
var ISO9001 = []Clause{
	{"4.1", "Înțelegerea organizației și a contextului său", "Understanding the organization and its context"},
	{"4.2", "Înțelegerea nevoilor și așteptărilor părților interesate", "Understanding the needs and expectations of interested parties"},
	{"4.3", "Determinarea domeniului de aplicare al sistemului de management al calității", "Determining the scope of the quality management system"},
	{"4.4", "Sistemul de management al calității și procesele sale", "Quality management system and its processes"},
	{"5.1", "Leadership și angajament", "Leadership and commitment"},
	{"5.1.2", "Orientarea către client", "Customer focus"},
	{"5.2", "Politica", "Policy"},
	{"5.3", "Roluri, responsabilități și autorități organizaționale", "Organizational roles, responsibilities and authorities"},
	{"6.1", "Acțiuni pentru abordarea riscurilor și oportunităților", "Actions to address risks and opportunities"},
	{"6.2", "Obiectivele calității și planificarea realizării lor", "Quality objectives and planning to achieve them"},
	{"6.3", "Planificarea schimbărilor", "Planning of changes"},
	{"7.1", "Resurse", "Resources"},
	{"7.1.2", "Oameni", "People"},
	{"7.1.3", "Infrastructură", "Infrastructure"},
	{"7.1.4", "Mediu pentru funcționarea proceselor", "Environment for the operation of processes"},
	{"7.1.5", "Resurse pentru monitorizare și măsurare", "Monitoring and measuring resources"},
	{"7.1.6", "Cunoștințe organizaționale", "Organizational knowledge"},
	{"7.2", "Competență", "Competence"},
	{"7.3", "Conștientizare", "Awareness"},
	{"7.4", "Comunicare", "Communication"},
	{"7.5", "Informații documentate", "Documented information"},
	{"7.5.2", "Creare și actualizare", "Creating and updating"},
	{"7.5.3", "Controlul informațiilor documentate", "Control of documented information"},
	{"8.1", "Planificare și control operațional", "Operational planning and control"},
	{"8.2", "Cerințe pentru produse și servicii", "Requirements for products and services"},
	{"8.3", "Proiectarea și dezvoltarea produselor și serviciilor", "Design and development of products and services"},
	{"8.4", "Controlul proceselor, produselor și serviciilor furnizate din exterior", "Control of externally provided processes, products and services"},
	{"8.5", "Producție și furnizare de servicii", "Production and service provision"},
	{"8.5.1", "Controlul producției și furnizării serviciilor", "Control of production and service provision"},
	{"8.6", "Eliberarea produselor și serviciilor", "Release of products and services"},
	{"8.7", "Controlul elementelor de ieșire neconforme", "Control of nonconforming outputs"},
	{"9.1", "Monitorizare, măsurare, analiză și evaluare", "Monitoring, measurement, analysis and evaluation"},
	{"9.1.2", "Satisfacția clientului", "Customer satisfaction"},
	{"9.1.3", "Analiză și evaluare", "Analysis and evaluation"},
	{"9.2", "Audit intern", "Internal audit"},
	{"9.3", "Analiza efectuată de management", "Management review"},
	{"10.1", "Generalități (îmbunătățire)", "General (improvement)"},
	{"10.2", "Neconformitate și acțiune corectivă", "Nonconformity and corrective action"},
	{"10.3", "Îmbunătățire continuă", "Continual improvement"},
}

// ISOClause returns the clause with code.
func ISOClause(code string) (Clause, bool) {
	i := slices.IndexFunc(ISO9001, func(c Clause) bool { return c.Code == code })
	if i < 0 {
		return Clause{}, false
	}
	return ISO9001[i], true
}
