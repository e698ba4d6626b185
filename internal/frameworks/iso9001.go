// Package frameworks holds the reference models Cadran builds on: the ISO
// 9001:2015 clause structure now; CAF 2020 and the OSGG 600 standards come
// with the modules that use them.
package frameworks

import (
	"slices"
	"strings"
)

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

// Parent is the code of the clause's parent ("7.1" for "7.1.2"), empty for
// a clause directly under its chapter ("7.1").
func (c Clause) Parent() string { return Parent(c.Code) }

// Chapter is the clause's chapter, "7" for "7.1.2".
func (c Clause) Chapter() string { return Chapter(c.Code) }

// Depth is 0 for a clause ("7.1") and 1 for a sub-clause ("7.1.2").
func (c Clause) Depth() int { return max(0, strings.Count(c.Code, ".")-1) }

// ISO9001 lists the clauses 4.1 to 10.3 with the sub-clauses people link to,
// in the standard's order.
var ISO9001 = []Clause{
	{"4.1", "Înțelegerea organizației și a contextului său", "Understanding the organization and its context"},
	{"4.2", "Înțelegerea nevoilor și așteptărilor părților interesate", "Understanding the needs and expectations of interested parties"},
	{"4.3", "Determinarea domeniului de aplicare al sistemului de management al calității", "Determining the scope of the quality management system"},
	{"4.4", "Sistemul de management al calității și procesele sale", "Quality management system and its processes"},
	{"5.1", "Leadership și angajament", "Leadership and commitment"},
	{"5.1.1", "Generalități (leadership și angajament)", "General (leadership and commitment)"},
	{"5.1.2", "Orientarea către client", "Customer focus"},
	{"5.2", "Politica", "Policy"},
	{"5.2.1", "Stabilirea politicii referitoare la calitate", "Establishing the quality policy"},
	{"5.2.2", "Comunicarea politicii referitoare la calitate", "Communicating the quality policy"},
	{"5.3", "Roluri, responsabilități și autorități organizaționale", "Organizational roles, responsibilities and authorities"},
	{"6.1", "Acțiuni pentru abordarea riscurilor și oportunităților", "Actions to address risks and opportunities"},
	{"6.2", "Obiectivele calității și planificarea realizării lor", "Quality objectives and planning to achieve them"},
	{"6.3", "Planificarea schimbărilor", "Planning of changes"},
	{"7.1", "Resurse", "Resources"},
	{"7.1.1", "Generalități (resurse)", "General (resources)"},
	{"7.1.2", "Oameni", "People"},
	{"7.1.3", "Infrastructură", "Infrastructure"},
	{"7.1.4", "Mediu pentru funcționarea proceselor", "Environment for the operation of processes"},
	{"7.1.5", "Resurse pentru monitorizare și măsurare", "Monitoring and measuring resources"},
	{"7.1.6", "Cunoștințe organizaționale", "Organizational knowledge"},
	{"7.2", "Competență", "Competence"},
	{"7.3", "Conștientizare", "Awareness"},
	{"7.4", "Comunicare", "Communication"},
	{"7.5", "Informații documentate", "Documented information"},
	{"7.5.1", "Generalități (informații documentate)", "General (documented information)"},
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
	{"9.1.1", "Generalități (monitorizare și măsurare)", "General (monitoring and measurement)"},
	{"9.1.2", "Satisfacția clientului", "Customer satisfaction"},
	{"9.1.3", "Analiză și evaluare", "Analysis and evaluation"},
	{"9.2", "Audit intern", "Internal audit"},
	{"9.3", "Analiza efectuată de management", "Management review"},
	{"9.3.1", "Generalități (analiza efectuată de management)", "General (management review)"},
	{"9.3.2", "Elemente de intrare ale analizei efectuate de management", "Management review inputs"},
	{"9.3.3", "Elemente de ieșire ale analizei efectuate de management", "Management review outputs"},
	{"10.1", "Generalități (îmbunătățire)", "General (improvement)"},
	{"10.2", "Neconformitate și acțiune corectivă", "Nonconformity and corrective action"},
	{"10.3", "Îmbunătățire continuă", "Continual improvement"},
}

// ChapterInfo is one of the standard's auditable chapters, 4 to 10.
type ChapterInfo struct {
	Code    string
	TitleRO string
	TitleEN string
}

// Title returns the chapter title in locale ("ro" or "en").
func (c ChapterInfo) Title(locale string) string {
	if locale == "en" {
		return c.TitleEN
	}
	return c.TitleRO
}

// ISO9001Chapters lists the chapters 4 to 10; 1 to 3 (scope, references,
// terms) are not audited.
var ISO9001Chapters = []ChapterInfo{
	{"4", "Contextul organizației", "Context of the organization"},
	{"5", "Leadership", "Leadership"},
	{"6", "Planificare", "Planning"},
	{"7", "Suport", "Support"},
	{"8", "Operare", "Operation"},
	{"9", "Evaluarea performanței", "Performance evaluation"},
	{"10", "Îmbunătățire", "Improvement"},
}

// ISOClause returns the clause with code.
func ISOClause(code string) (Clause, bool) {
	i := slices.IndexFunc(ISO9001, func(c Clause) bool { return c.Code == code })
	if i < 0 {
		return Clause{}, false
	}
	return ISO9001[i], true
}

// ISOChapter returns the chapter with code ("7").
func ISOChapter(code string) (ChapterInfo, bool) {
	i := slices.IndexFunc(ISO9001Chapters, func(c ChapterInfo) bool { return c.Code == code })
	if i < 0 {
		return ChapterInfo{}, false
	}
	return ISO9001Chapters[i], true
}

// Parent is the code of the clause a sub-clause belongs to ("7.1" for
// "7.1.2"); empty for a clause directly under its chapter ("7.1") or a code
// that is not a sub-clause.
func Parent(code string) string {
	if strings.Count(code, ".") < 2 {
		return ""
	}
	return code[:strings.LastIndex(code, ".")]
}

// Chapter is the chapter of a clause code: "7" for "7.1.2", "10" for "10.3".
func Chapter(code string) string {
	if i := strings.Index(code, "."); i >= 0 {
		return code[:i]
	}
	return code
}

// Children lists the sub-clauses of code in the standard's order.
func Children(code string) []Clause {
	var out []Clause
	for _, c := range ISO9001 {
		if Parent(c.Code) == code {
			out = append(out, c)
		}
	}
	return out
}

// Covers reports whether evidence for clause a counts for clause b: the
// same clause, or a sub-clause of b (a sub-clause's evidence counts for its
// parent too).
func Covers(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".")
}

// CompareClauses orders two clause codes as the standard does ("4.4" before
// "10.2", "7.1" before "7.1.2"); codes not in the list come last.
func CompareClauses(a, b string) int {
	ia := slices.IndexFunc(ISO9001, func(c Clause) bool { return c.Code == a })
	ib := slices.IndexFunc(ISO9001, func(c Clause) bool { return c.Code == b })
	if ia < 0 {
		ia = len(ISO9001)
	}
	if ib < 0 {
		ib = len(ISO9001)
	}
	return ia - ib
}

// MayExclude reports whether a requirement of clause code may be declared
// not applicable in the scope of the system (ISO 9001, 4.3): only the
// requirements of chapter 8 (operation) and of 7.1.5 (monitoring and
// measuring resources), and only when that does not affect conformity of
// the services; the other chapters apply to every organization.
func MayExclude(code string) bool {
	return Chapter(code) == "8" || Covers(code, "7.1.5")
}
