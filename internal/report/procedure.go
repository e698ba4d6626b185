package report

import (
	"strconv"
	"strings"
	"unicode"
)

// Procedure is everything printed for one edition/revision of a documented
// procedure in the OSGG 600 format: the header box on every page, the three
// fixed tables (sign-offs, editions and revisions, distribution) and the
// numbered sections 4 to 11.
type Procedure struct {
	Header       []string // institution lines at top-left, e.g. {"ROMÂNIA", "JUDEȚUL ARGEȘ", "PRIMĂRIA MUNICIPIULUI TÂRGU VERDE"}
	Kind         string   // "PROCEDURĂ OPERAȚIONALĂ", "PROCEDURĂ DE SISTEM", "MANUALUL CALITĂȚII" ...
	Title        string
	Code         string // "PO-DAS-03"
	Unit         string // owning compartment
	Edition      string // already formatted, e.g. "I"
	Revision     string // e.g. "0"
	State        string // e.g. "Draft"; printed on page 1 under the draft mark when Draft is true
	Draft        bool   // true: every page shows L.DraftMark
	Copy         string // copy number ("1"), may be empty
	Copies       string // number of copies, may be empty
	SignOffs     []SignOff
	Revisions    []RevisionRow
	Distribution []DistributionRow
	Sections     []Section // numbered sections 4..11 in order
	Footer       string    // e.g. "Document generat de Cadran la 23.11.2026 10:15"
	L            ProcedureLabels
}

// SignOff is one row of section 1: who drafted, checked, endorsed or
// approved the edition.
type SignOff struct {
	Step      string // "Elaborat", "Verificat", "Avizat", "Aprobat"
	Name      string
	Function  string
	Date      string
	Signature string // a short text such as "semnat electronic 3f2a…"
}

// RevisionRow is one row of section 2, the history of editions and revisions.
type RevisionRow struct {
	Version   string // "Ediția I, revizia 0"
	Component string // "secțiunile 4, 8"
	How       string // the reason or manner of the revision
	Effective string // "01.02.2026"
}

// DistributionRow is one row of section 3, who receives a copy.
type DistributionRow struct {
	Purpose, Copy, Unit, Function, Name, Received, Signature string
}

// Section is one numbered chapter of the procedure.
type Section struct {
	Number string // "4"
	Title  string // "Scopul procedurii"
	Body   string // paragraphs separated by blank lines; lines starting with "- " are bullet items
}

// ProcedureLabels are the localized fixed texts; DefaultLabelsRO and
// DefaultLabelsEN return complete sets. A Procedure with zero labels is
// printed with the Romanian ones.
type ProcedureLabels struct {
	Edition, Revision, Page, Of, CopyNo, Copies, Code, Unit string
	Contents                                                string
	SignOffTitle                                            string
	SignOffCols                                             [6]string
	RevisionTitle                                           string
	RevisionCols                                            [5]string
	DistributionTitle                                       string
	DistributionCols                                        [8]string
	DraftMark                                               string
}

// DefaultLabelsRO returns the texts of the OSGG 600 model (Annex 2 to the
// order), word for word.
func DefaultLabelsRO() ProcedureLabels {
	return ProcedureLabels{
		Edition:  "Ediția",
		Revision: "Revizia",
		Page:     "Pagina",
		Of:       "din",
		CopyNo:   "Exemplar nr.",
		Copies:   "Nr. exemplare",
		Code:     "Cod",
		Unit:     "Compartiment",
		Contents: "Cuprins",
		SignOffTitle: "1. Lista responsabililor cu elaborarea, verificarea și aprobarea ediției sau, " +
			"după caz, a reviziei în cadrul ediției procedurii",
		SignOffCols: [6]string{"Nr. crt.", "Elemente privind responsabilii/operațiunea",
			"Numele și prenumele", "Funcția", "Data", "Semnătura"},
		RevisionTitle: "2. Situația edițiilor și a reviziilor în cadrul edițiilor procedurii",
		RevisionCols: [5]string{"Nr. crt.", "Ediția sau, după caz, revizia în cadrul ediției",
			"Componenta revizuită", "Modalitatea reviziei",
			"Data de la care se aplică prevederile ediției sau reviziei ediției"},
		DistributionTitle: "3. Lista cuprinzând persoanele la care se difuzează ediția sau, " +
			"după caz, revizia din cadrul ediției procedurii",
		DistributionCols: [8]string{"Nr. crt.", "Scopul difuzării", "Exemplar nr.", "Compartiment",
			"Funcția", "Nume și prenume", "Data primirii", "Semnătura"},
		DraftMark: "PROIECT – nu este în vigoare",
	}
}

// DefaultLabelsEN returns an English rendering of the OSGG 600 texts.
func DefaultLabelsEN() ProcedureLabels {
	return ProcedureLabels{
		Edition:  "Edition",
		Revision: "Revision",
		Page:     "Page",
		Of:       "of",
		CopyNo:   "Copy no.",
		Copies:   "No. of copies",
		Code:     "Code",
		Unit:     "Department",
		Contents: "Contents",
		SignOffTitle: "1. List of the persons responsible for drafting, checking and approving " +
			"the edition or, where applicable, the revision within the edition of the procedure",
		SignOffCols: [6]string{"No.", "Responsible persons/operation", "Full name", "Position",
			"Date", "Signature"},
		RevisionTitle: "2. Editions and revisions within the editions of the procedure",
		RevisionCols: [5]string{"No.", "Edition or, where applicable, revision within the edition",
			"Revised component", "Manner of revision",
			"Date from which the edition or revision applies"},
		DistributionTitle: "3. List of the persons to whom the edition or, where applicable, " +
			"the revision within the edition of the procedure is distributed",
		DistributionCols: [8]string{"No.", "Purpose of distribution", "Copy no.", "Department",
			"Position", "Full name", "Date received", "Signature"},
		DraftMark: "DRAFT – not in force",
	}
}

// labels returns p.L, or the Romanian set when the caller left it empty, so
// that a forgotten L still prints a usable document.
func (p Procedure) labels() ProcedureLabels {
	if p.L == (ProcedureLabels{}) {
		return DefaultLabelsRO()
	}
	return p.L
}

// draftState is the state printed under the draft mark on the first page
// of a draft: empty when not a draft or when the mark already says it.
func (p Procedure) draftState(l ProcedureLabels) string {
	s := oneLine(p.State)
	if !p.Draft || strings.Contains(oneLine(l.DraftMark), s) {
		return ""
	}
	return s
}

// contents lists the entries of the table of contents: the fixed sections
// 1 to 3, then p.Sections. Entry i of the PDF refers to the page alias i.
func (p Procedure) contents(l ProcedureLabels) []string {
	entries := []string{l.SignOffTitle, l.RevisionTitle, l.DistributionTitle}
	for _, s := range p.Sections {
		entries = append(entries, s.heading())
	}
	return entries
}

// fixedSections is the number of contents entries before p.Sections.
const fixedSections = 3

// heading is the numbered title, "4. Scopul procedurii".
func (s Section) heading() string {
	n := strings.TrimSuffix(strings.TrimSpace(s.Number), ".")
	t := strings.TrimSpace(s.Title)
	switch {
	case n == "":
		return t
	case t == "":
		return n + "."
	}
	return n + ". " + t
}

// signOffRows, revisionRows and distributionRows turn the fixed tables into
// cells, numbering the rows 1.1, 1.2 ... as the OSGG model does.
func signOffRows(rows []SignOff) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{"1." + strconv.Itoa(i+1), r.Step, r.Name, r.Function, r.Date, r.Signature}
	}
	return out
}

func revisionRows(rows []RevisionRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{"2." + strconv.Itoa(i+1), r.Version, r.Component, r.How, r.Effective}
	}
	return out
}

func distributionRows(rows []DistributionRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{"3." + strconv.Itoa(i+1), r.Purpose, r.Copy, r.Unit, r.Function, r.Name, r.Received, r.Signature}
	}
	return out
}

// Block is a paragraph or a bullet item of a section body. Text may
// hold line breaks the author typed inside the paragraph.
type Block struct {
	Bullet bool
	Text   string
}

// Blocks splits a section body into paragraphs (separated by blank
// lines) and bullet items (lines starting with "- "). A line that follows a
// bullet item without a blank line continues that item.
func Blocks(body string) []Block {
	var blocks []Block
	var cur *Block
	for _, line := range strings.Split(cleanPrintText(body), "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			cur = nil
		case strings.HasPrefix(trimmed, "- ") || trimmed == "-":
			blocks = append(blocks, Block{Bullet: true, Text: strings.TrimSpace(trimmed[1:])})
			cur = &blocks[len(blocks)-1]
		case cur == nil:
			blocks = append(blocks, Block{Text: trimmed})
			cur = &blocks[len(blocks)-1]
		default:
			cur.Text += "\n" + trimmed
		}
	}
	return blocks
}

// cleanPrintText normalises text for printing: line breaks become LF, a tab
// becomes a space, other control characters are dropped and invalid UTF-8 is
// replaced. Neither the PDF fonts nor XML 1.0 can carry control characters.
func cleanPrintText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == '\uFFFE', r == '\uFFFF':
			return -1
		}
		return r
	}, s)
}

// oneLine is cleanPrintText for fields printed on a single line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanPrintText(s)), " ")
}
