package risks

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/importer"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// ActImport is the step an imported entry starts with.
const ActImport = "import"

// Importer is the risk register as an import target: an existing register
// in the usual 17 columns comes in from XLSX or CSV.
func (s *Service) Importer() importer.Target { return &importTarget{s: s} }

type importTarget struct{ s *Service }

var _ importer.Target = (*importTarget)(nil)

func (t *importTarget) Name() string                { return "risks" }
func (t *importTarget) Title() string               { return "risks.import.title" }
func (t *importTarget) Permission() auth.Permission { return auth.PermRisksManage }
func (t *importTarget) Done() string                { return "/risks" }

// importFields are the columns of the usual register, with the headings
// they go by in Romanian and English registers.
var importFields = []importer.Field{
	{Key: "code", Label: "risks.field.code", Help: "risks.import.help.code", Aliases: []string{"Cod", "Cod risc", "Codul riscului", "Code", "Risk code"}},
	{Key: "kind", Label: "risks.field.kind", Help: "risks.import.help.kind", Aliases: []string{"Tip", "Tipul", "Risc / oportunitate", "Kind", "Type"}},
	{Key: "unit", Label: "risks.field.unit", Help: "risks.import.help.unit", Aliases: []string{"Zona de risc", "Zona de risc (domeniu, compartiment)", "Domeniu", "Compartiment", "Structura", "Compartimentul", "Risk area", "Area", "Unit", "Department"}},
	{Key: "objective", Label: "risks.field.objective", Aliases: []string{"Obiective", "Obiectiv", "Obiectivul", "Obiectivul specific", "Obiective / activități", "Activitate", "Objectives", "Objective", "Activity"}},
	{Key: "description", Label: "risks.field.description", Required: true, Aliases: []string{"Descrierea riscului", "Descriere", "Risc", "Riscul", "Riscul identificat", "Risk description", "Risk", "Description"}},
	{Key: "causes", Label: "risks.field.causes", Aliases: []string{"Circumstanțe care favorizează apariția riscului", "Circumstanțe", "Cauze", "Cauzele", "Causes", "Circumstances"}},
	{Key: "consequences", Label: "risks.field.consequences", Aliases: []string{"Consecințe", "Consecințele", "Efecte", "Consequences", "Effects"}},
	{Key: "owner", Label: "risks.field.owner", Help: "risks.import.help.owner", Aliases: []string{"Responsabilul cu gestionarea riscului", "Responsabil risc", "Responsabil", "Proprietarul riscului", "Risk owner", "Owner"}},
	{Key: "probability", Label: "risks.field.inherent_p", Help: "risks.import.help.level", Required: true, Aliases: []string{"Probabilitate", "Probabilitatea", "Probabilitate inerentă", "Risc inerent probabilitate", "P", "Probability", "Inherent probability", "Likelihood"}},
	{Key: "impact", Label: "risks.field.inherent_i", Help: "risks.import.help.level", Required: true, Aliases: []string{"Impact", "Impactul", "Impact inerent", "Risc inerent impact", "I", "Inherent impact", "Benefit"}},
	{Key: "exposure", Label: "risks.field.inherent_e", Help: "risks.import.help.exposure", Aliases: []string{"Expunere", "Expunerea", "Expunere inerentă", "Risc inerent expunere", "E", "Exposure", "Inherent exposure"}},
	{Key: "strategy", Label: "risks.field.strategy", Help: "risks.import.help.strategy", Aliases: []string{"Strategia adoptată", "Strategia adoptată (acțiuni pentru tratarea riscurilor)", "Strategia", "Strategie", "Tip de răspuns", "Răspuns", "Strategy", "Response", "Response strategy"}},
	{Key: "measures", Label: "risks.field.measures", Help: "risks.import.help.measures", Aliases: []string{"Instrumente de control intern", "Instrumente de control", "Măsuri de control", "Măsuri", "Control measures", "Internal control instruments", "Measures"}},
	{Key: "deadline", Label: "risks.field.deadline", Help: "risks.import.help.date", Aliases: []string{"Termenul de punere în operă", "Termen de punere în operă", "Termen", "Termenul", "Deadline", "Due date"}},
	{Key: "review", Label: "risks.field.review", Help: "risks.import.help.review", Aliases: []string{"Data ultimei revizuiri și stadiul acțiunii", "Data ultimei revizuiri", "Stadiul acțiunii", "Last review date and action status", "Last review", "Status"}},
	{Key: "residual_probability", Label: "risks.field.residual_p", Help: "risks.import.help.level", Aliases: []string{"Probabilitate reziduală", "Probabilitatea reziduală", "Risc rezidual probabilitate", "Residual probability"}},
	{Key: "residual_impact", Label: "risks.field.residual_i", Help: "risks.import.help.level", Aliases: []string{"Impact rezidual", "Impactul rezidual", "Risc rezidual impact", "Residual impact"}},
	{Key: "residual_exposure", Label: "risks.field.residual_e", Help: "risks.import.help.exposure", Aliases: []string{"Expunere reziduală", "Expunerea reziduală", "Risc rezidual expunere", "Residual exposure"}},
	{Key: "secondary", Label: "risks.field.secondary", Aliases: []string{"Eventuale riscuri secundare", "Riscuri secundare", "Secondary risks", "Possible secondary risks"}},
	{Key: "remarks", Label: "risks.field.remarks", Aliases: []string{"Observații", "Observatii", "Mențiuni", "Remarks", "Notes", "Comments"}},
	{Key: "year", Label: "risks.field.year", Help: "risks.import.help.year", Aliases: []string{"An", "Anul", "Anul registrului", "Year"}},
}

func (t *importTarget) Fields() []importer.Field { return importFields }

// Preview is the preview table's headings.
func (t *importTarget) Preview() []string {
	return []string{"risks.field.code", "risks.field.unit", "risks.field.description", "risks.field.inherent_p", "risks.field.inherent_i",
		"risks.field.inherent_e", "risks.field.strategy", "risks.field.residual_e", "risks.field.measures", "risks.field.owner"}
}

// importRefs are the institution's data a row is checked against.
type importRefs struct {
	units     map[string][]int64 // by folded name and by folded code
	unitCodes map[int64]string
	people    map[string][]int64 // by folded full name
	// codes taken, by year: from the database, then from the file.
	codes map[int]map[string]bool
	// seq is the highest number used per year and code prefix.
	seq      map[string]int
	settings Settings
	year     int
	today    time.Time
}

func importKey(s string) string {
	var b strings.Builder
	for _, r := range textutil.Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (s *Service) importRefs(ctx context.Context, q querier, tenant int64) (*importRefs, error) {
	st, err := s.settings(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	ref := &importRefs{units: map[string][]int64{}, unitCodes: map[int64]string{}, people: map[string][]int64{}, codes: map[int]map[string]bool{},
		seq: map[string]int{}, settings: st, year: Year(now), today: work.Day(now)}
	rows, err := q.QueryContext(ctx, `SELECT id, name, code FROM units WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read units: %w", err)
	}
	for rows.Next() {
		var id int64
		var name, code string
		if err := rows.Scan(&id, &name, &code); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read units: %w", err)
		}
		ref.unitCodes[id] = code
		k := importKey(name)
		ref.units[k] = append(ref.units[k], id)
		if c := importKey(code); c != "" && c != k {
			ref.units[c] = append(ref.units[c], id)
		}
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, full_name FROM people WHERE tenant_id = $1 AND active`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read people: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read people: %w", err)
		}
		k := importKey(name)
		ref.people[k] = append(ref.people[k], id)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT year, code FROM risks WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read risk codes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var y int
		var code string
		if err := rows.Scan(&y, &code); err != nil {
			return nil, fmt.Errorf("cannot read risk codes: %w", err)
		}
		ref.takeCode(y, code)
	}
	return ref, rows.Err()
}

var codeNumber = regexp.MustCompile(`^(.*?)(\d+)$`)

// takeCode marks code used in year and keeps the highest number of its
// prefix, for the codes Cadran gives to rows without one.
func (ref *importRefs) takeCode(year int, code string) {
	code = strings.ToUpper(code)
	if ref.codes[year] == nil {
		ref.codes[year] = map[string]bool{}
	}
	ref.codes[year][code] = true
	if m := codeNumber.FindStringSubmatch(code); m != nil {
		n, _ := strconv.Atoi(m[2])
		k := fmt.Sprint(year) + "\x00" + m[1]
		ref.seq[k] = max(ref.seq[k], n)
	}
}

// nextCode gives the next code of prefix in year, past those of last year
// (as nextCode does in the database).
func (ref *importRefs) nextCode(year int, prefix string) string {
	k := fmt.Sprint(year) + "\x00" + prefix
	n := max(ref.seq[k], ref.seq[fmt.Sprint(year-1)+"\x00"+prefix]) + 1
	code := formatCode(prefix, n)
	for ref.codes[year][code] {
		n++
		code = formatCode(prefix, n)
	}
	ref.takeCode(year, code)
	return code
}

// parsedRow is a checked row: the entry it makes, its measures and the
// problems found.
type parsedRow struct {
	line     int
	risk     Risk
	measures []Measure
	errs     apperr.Validation
}

var (
	leadingInt  = regexp.MustCompile(`^\s*(\d+(?:[.,]0+)?)\s*(?:$|[-–—:.)/ ])`)
	dateAtFront = regexp.MustCompile(`^\s*(\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{5}(?:\.\d+)?)`)
	bullet      = regexp.MustCompile(`^\s*(?:[-–•*·]|\d{1,2}[.)]|[a-z][.)])\s*`)
)

// level reads a probability or impact: a number ("4", "4 - foarte
// probabil"), one of the institution's level labels, the default labels
// in Romanian or English, or the 3-level words (scăzut, mediu, ridicat,
// S/M/R), which on a 5-level scale stand for 1, 3 and 5.
func (ref *importRefs) level(cell string, impact bool) (int, bool) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return 0, false
	}
	scale := ref.settings.Scale
	if m := leadingInt.FindStringSubmatch(cell + " "); m != nil {
		f, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
		if err == nil && f == math.Trunc(f) && f >= 1 && int(f) <= scale {
			return int(f), true
		}
		return 0, false
	}
	k := importKey(cell)
	labels := ref.settings.PLabels
	defaults := DefaultPLabels5
	english := []string{"rare", "unlikely", "possible", "likely", "almost certain"}
	if impact {
		labels, defaults = ref.settings.ILabels, DefaultILabels5
		english = []string{"insignificant", "minor", "moderate", "major", "critical"}
	}
	for i, l := range labels {
		if importKey(l) == k {
			return i + 1, true
		}
	}
	if scale == 5 {
		for i := range defaults {
			if importKey(defaults[i]) == k || importKey(english[i]) == k {
				return i + 1, true
			}
		}
	}
	three := map[string]int{"s": 1, "scazut": 1, "scazuta": 1, "redus": 1, "redusa": 1, "low": 1, "m": 2, "mediu": 2, "medie": 2, "moderat": 2, "medium": 2,
		"r": 3, "l": 1, "h": 3, "ridicat": 3, "ridicata": 3, "mare": 3, "inalt": 3, "high": 3}
	if n, ok := three[k]; ok {
		if scale == 5 {
			return 2*n - 1, true
		}
		return n, true
	}
	return 0, false
}

// strategyWords map the words a register uses to the responses.
var strategyWords = map[string]string{
	"acceptare": StrategyAccept, "accepta": StrategyAccept, "acceptat": StrategyAccept, "tolerare": StrategyAccept, "toleranta": StrategyAccept, "tolerat": StrategyAccept, "accept": StrategyAccept, "tolerate": StrategyAccept,
	"monitorizare": StrategyMonitor, "monitorizat": StrategyMonitor, "monitor": StrategyMonitor, "monitoring": StrategyMonitor,
	"tratare": StrategyTreat, "tratat": StrategyTreat, "atenuare": StrategyTreat, "reducere": StrategyTreat, "diminuare": StrategyTreat, "treat": StrategyTreat, "mitigate": StrategyTreat, "reduce": StrategyTreat, "treatment": StrategyTreat,
	"transfer": StrategyTransfer, "transferare": StrategyTransfer, "externalizare": StrategyTransfer, "outsource": StrategyTransfer,
	"evitare": StrategyAvoid, "terminare": StrategyAvoid, "eliminare": StrategyAvoid, "avoid": StrategyAvoid, "terminate": StrategyAvoid,
	"exploatare": StrategyExploit, "valorificare": StrategyExploit, "exploit": StrategyExploit,
	"amplificare": StrategyEnhance, "imbunatatire": StrategyEnhance, "enhance": StrategyEnhance,
	"partajare": StrategyShare, "impartire": StrategyShare, "share": StrategyShare,
}

// strategy reads a response strategy from the first words of the cell
// ("Tratare – instruirea personalului").
func strategy(cell, kind string) (string, bool) {
	words := strings.FieldsFunc(textutil.Fold(cell), func(r rune) bool { return !unicode.IsLetter(r) })
	for i, w := range words {
		if i >= 4 {
			break
		}
		st, ok := strategyWords[w]
		if !ok {
			continue
		}
		if kind == KindOpportunity && st == StrategyAccept {
			st = StrategyTake
		}
		for _, allowed := range StrategiesOf(kind) {
			if allowed == st {
				return st, true
			}
		}
		return "", false
	}
	return "", false
}

// importDate reads dd.mm.yyyy, yyyy-mm-dd or an Excel day serial.
func importDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && s[4] == '-' {
		s = s[:10]
	}
	for _, layout := range []string{"2.1.2006", "2006-1-2", "2/1/2006", "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.Year() > 2100 {
				return "", false
			}
			return t.Format(time.DateOnly), true
		}
	}
	serial, err := strconv.ParseFloat(s, 64)
	if err != nil || !(serial >= 32874 && serial <= 73051) { // 1990 to 2099
		return "", false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(serial), false)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// measureState guesses a measure's state from the status a register
// writes beside its last review.
func measureState(status string) string {
	f := textutil.Fold(status)
	switch {
	case strings.Contains(f, "anulat") || strings.Contains(f, "cancel"):
		return MeasureCancelled
	case strings.Contains(f, "nerealizat") || strings.Contains(f, "neimplementat") || strings.Contains(f, "nefinalizat") || strings.Contains(f, "neindeplinit"):
		return MeasurePlanned
	case strings.Contains(f, "in curs") || strings.Contains(f, "partial") || strings.Contains(f, "progress") || strings.Contains(f, "derulare"):
		return MeasureInProgress
	case strings.Contains(f, "realizat") || strings.Contains(f, "implementat") || strings.Contains(f, "finalizat") || strings.Contains(f, "indeplinit") ||
		strings.Contains(f, "done") || strings.Contains(f, "complet"):
		return MeasureDone
	}
	return MeasurePlanned
}

// measureLines splits the measures cell into one measure a line, without
// bullets or numbers.
func measureLines(cell string) []string {
	var out []string
	for _, l := range strings.Split(textutil.CleanText(cell), "\n") {
		l = textutil.Clean(bullet.ReplaceAllString(l, ""))
		if l != "" {
			out = append(out, clip(l, MaxText))
		}
	}
	return out
}

// parse checks one row against the institution's data.
func (ref *importRefs) parse(row importer.Row) parsedRow {
	v := func(k string) string { return strings.TrimSpace(row.Values[k]) }
	p := parsedRow{line: row.Line, errs: apperr.Validation{}}
	r := Risk{Kind: KindRisk, Scale: ref.settings.Scale, State: StateActive, Year: ref.year, Level: LevelInstitution}
	switch k := importKey(v("kind")); k {
	case "", "risc", "risk", "r", "amenintare", "threat":
	case "oportunitate", "opportunity", "o":
		r.Kind = KindOpportunity
	default:
		p.errs.Add("kind", "risks.import.error.kind")
	}
	if y := v("year"); y != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(y, ".0"))
		if err != nil || n < 2000 || n > ref.year+1 {
			p.errs.Add("year", "risks.import.error.year")
		} else {
			r.Year = n
		}
	}
	if u := v("unit"); u != "" {
		switch ids := ref.units[importKey(u)]; len(ids) {
		case 1:
			r.UnitID, r.Level = ids[0], LevelUnit
		case 0:
			p.errs.Add("unit", "risks.import.error.unit_unknown")
		default:
			p.errs.Add("unit", "risks.import.error.unit_ambiguous")
		}
	}
	r.Objective = clip(textutil.Clean(v("objective")), MaxShort)
	r.Description = strings.TrimSpace(textutil.CleanText(v("description")))
	switch {
	case r.Description == "":
		p.errs.Add("description", "error.required")
	case len([]rune(r.Description)) > MaxText:
		p.errs.Add("description", "error.too_long")
	}
	r.Causes = clip(strings.TrimSpace(textutil.CleanText(v("causes"))), MaxText)
	r.Consequences = clip(strings.TrimSpace(textutil.CleanText(v("consequences"))), MaxText)
	r.Secondary = clip(strings.TrimSpace(textutil.CleanText(v("secondary"))), MaxText)
	r.Remarks = clip(strings.TrimSpace(textutil.CleanText(v("remarks"))), MaxText)
	if o := textutil.Clean(v("owner")); o != "" {
		r.OwnerID = ref.person(o)
		if r.OwnerID == 0 {
			r.OwnerText = clip(o, MaxShort)
		}
	}
	var ok bool
	if r.InherentP, ok = ref.level(v("probability"), false); !ok {
		p.errs.Add("probability", "risks.import.error.level")
	}
	if r.InherentI, ok = ref.level(v("impact"), true); !ok {
		p.errs.Add("impact", "risks.import.error.level")
	}
	r.InherentE = Exposure(r.InherentP, r.InherentI)
	if e := v("exposure"); e != "" && r.InherentE > 0 {
		if n, ok := number(e); !ok || n != r.InherentE {
			p.errs.Add("exposure", "risks.import.error.exposure")
		}
	}
	r.Strategy = StrategyTreat
	if r.Kind == KindOpportunity {
		r.Strategy = StrategyExploit
	}
	if st := v("strategy"); st != "" {
		if r.Strategy, ok = strategy(st, r.Kind); !ok {
			p.errs.Add("strategy", "risks.import.error.strategy")
		}
	}
	rp, ri := v("residual_probability"), v("residual_impact")
	if rp != "" || ri != "" {
		if r.ResidualP, ok = ref.level(rp, false); !ok {
			p.errs.Add("residual_probability", "risks.import.error.level")
		}
		if r.ResidualI, ok = ref.level(ri, true); !ok {
			p.errs.Add("residual_impact", "risks.import.error.level")
		}
		r.ResidualE = Exposure(r.ResidualP, r.ResidualI)
		if e := v("residual_exposure"); e != "" && r.ResidualE > 0 {
			if n, ok := number(e); !ok || n != r.ResidualE {
				p.errs.Add("residual_exposure", "risks.import.error.exposure")
			}
		}
	} else if v("residual_exposure") != "" {
		p.errs.Add("residual_probability", "risks.import.error.residual")
	}
	r.CurP, r.CurI, r.CurE = r.InherentP, r.InherentI, r.InherentE
	if r.ResidualE > 0 {
		r.CurP, r.CurI, r.CurE = r.ResidualP, r.ResidualI, r.ResidualE
	}
	deadline := ""
	if d := v("deadline"); d != "" {
		if deadline, ok = importDate(d); !ok {
			// "permanent", "trimestrial", "31.12.2025 și permanent": kept
			// with the measure as written, without a deadline.
			if m := dateAtFront.FindString(d); m != "" {
				deadline, _ = importDate(m)
			}
		}
	}
	status := v("review")
	if m := dateAtFront.FindString(status); m != "" {
		if day, ok := importDate(m); ok {
			r.LastReviewOn = day
			status = strings.TrimLeft(strings.TrimPrefix(status, m), " -–—:,;")
		}
	}
	mstate := measureState(status)
	for _, l := range measureLines(v("measures")) {
		m := Measure{Description: l, OwnerID: r.OwnerID, OwnerText: r.OwnerText, Deadline: deadline, State: mstate}
		if deadline == "" && v("deadline") != "" {
			m.Note = clip(textutil.Clean(v("deadline")), MaxShort)
		}
		p.measures = append(p.measures, m)
	}
	if status != "" && len(p.measures) == 0 {
		r.Remarks = strings.TrimSpace(r.Remarks + "\n" + status)
	}
	from := ref.today
	if r.LastReviewOn != "" {
		from, _ = time.Parse(time.DateOnly, r.LastReviewOn)
	}
	r.NextReviewOn = from.AddDate(0, ref.settings.ReviewMonths, 0).Format(time.DateOnly)
	if c := strings.ToUpper(textutil.Clean(v("code"))); c != "" {
		switch {
		case len([]rune(c)) > 40 || strings.ContainsAny(c, " \t"):
			p.errs.Add("code", "risks.import.error.code")
		case ref.codes[r.Year][c]:
			p.errs.Add("code", "risks.import.error.code_taken")
		default:
			r.Code = c
		}
	}
	if len(p.errs) == 0 {
		if r.Code == "" {
			r.Code = ref.nextCode(r.Year, codePrefix(r.Kind, ref.unitCodes[r.UnitID]))
		} else {
			ref.takeCode(r.Year, r.Code)
		}
	}
	p.risk = r
	return p
}

// person finds an active person by full name; an owner written with a
// function ("Ion Pop - șef serviciu") is tried without it.
func (ref *importRefs) person(name string) int64 {
	try := []string{name}
	for _, sep := range []string{" - ", " – ", ",", "("} {
		if i := strings.Index(name, sep); i > 0 {
			try = append(try, name[:i])
		}
	}
	for _, n := range try {
		if ids := ref.people[importKey(n)]; len(ids) == 1 {
			return ids[0]
		}
	}
	return 0
}

func number(s string) (int, bool) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f > 1000 {
		return 0, false
	}
	return int(f), true
}

// Check validates every row against the institution's data without
// writing anything.
func (t *importTarget) Check(ctx context.Context, a auth.Actor, rows []importer.Row) ([]importer.Checked, error) {
	if err := a.Require(auth.PermRisksManage); err != nil {
		return nil, err
	}
	ref, err := t.s.importRefs(ctx, t.s.DB.R, a.Tenant)
	if err != nil {
		return nil, err
	}
	out := make([]importer.Checked, len(rows))
	for i, row := range rows {
		p := ref.parse(row)
		r := p.risk
		owner := r.OwnerText
		if r.OwnerID != 0 {
			owner = row.Values["owner"]
		}
		residual := ""
		if r.ResidualE > 0 {
			residual = strconv.Itoa(r.ResidualE)
		}
		c := importer.Checked{Line: row.Line, Cells: []string{r.Code, strings.TrimSpace(row.Values["unit"]), clip(r.Description, 160), itoa(r.InherentP), itoa(r.InherentI),
			itoa(r.InherentE), r.Strategy, residual, strconv.Itoa(len(p.measures)), owner}}
		if len(p.errs) > 0 {
			c.Errors = p.errs
		}
		out[i] = c
	}
	return out, nil
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Commit writes every row in one transaction, all or nothing: each entry
// active in its year's register with its measures, its review task and the
// tasks of its open measures that have an owner and a deadline.
func (t *importTarget) Commit(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(done int)) (int, error) {
	if err := a.Require(auth.PermRisksManage); err != nil {
		return 0, err
	}
	s := t.s
	now := s.Clock.Now()
	created := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ref, err := s.importRefs(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		parsed := make([]parsedRow, len(rows))
		for i, row := range rows {
			if parsed[i] = ref.parse(row); len(parsed[i].errs) > 0 {
				return apperr.Validation{"file": "risks.import.error.rows"}
			}
		}
		w, err := s.newImportWriter(ctx, tx, a, now)
		if err != nil {
			return err
		}
		defer w.close()
		for i := range parsed {
			if err := w.write(ctx, &parsed[i]); err != nil {
				return err
			}
			created++
			if progress != nil && created%250 == 0 {
				progress(created)
			}
		}
		if err := w.finish(ctx); err != nil {
			return err
		}
		if progress != nil {
			progress(created)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}

type importWriter struct {
	s             *Service
	tasks         work.Tasks
	rec           *audit.Recorder
	tx            *sql.Tx
	a             auth.Actor
	now           time.Time
	risk, measure *sql.Stmt
	newTasks      []work.NewTask
	// steps are the ids of the entries written whose import step is not
	// recorded yet: they go in batches, one statement per stepBatch.
	steps []int64
}

func (s *Service) newImportWriter(ctx context.Context, tx *sql.Tx, a auth.Actor, now time.Time) (*importWriter, error) {
	rec, err := audit.NewRecorder(ctx, tx, a.Tenant)
	if err != nil {
		return nil, err
	}
	w := &importWriter{s: s, tasks: quietTasks(s.Work), rec: rec, tx: tx, a: a, now: now}
	prepare := func(q string) (*sql.Stmt, error) {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("cannot prepare import: %w", err)
		}
		return st, nil
	}
	if w.risk, err = prepare(`INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, unit_id, objective, description, causes, consequences,
			owner_id, owner_text, scale, inherent_p, inherent_i, inherent_e, strategy, residual_p, residual_i, residual_e, cur_p, cur_i, cur_e,
			last_review_on, next_review_on, secondary, remarks, state, proposed_by, proposed_name, search_text, sort_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $34)
		RETURNING id`); err != nil {
		return nil, err
	}
	if w.measure, err = prepare(`INSERT INTO risk_measures (tenant_id, risk_id, description, owner_id, owner_text, deadline, state, note, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *importWriter) close() {
	for _, st := range []*sql.Stmt{w.risk, w.measure} {
		if st != nil {
			st.Close()
		}
	}
}

// write stores one checked row.
func (w *importWriter) write(ctx context.Context, p *parsedRow) error {
	a, now := w.a, w.now
	r := &p.risk
	r.Tenant, r.CreatedAt, r.UpdatedAt, r.Version, r.ProposedBy, r.ProposedName = a.Tenant, now, now, 1, a.UserID, a.Name
	err := w.risk.QueryRowContext(ctx, a.Tenant, r.Year, r.Kind, r.Code, sortCode(r.Code), r.Level, nullID(r.UnitID), r.Objective, r.Description, r.Causes, r.Consequences,
		nullID(r.OwnerID), r.OwnerText, r.Scale, r.InherentP, r.InherentI, r.InherentE, r.Strategy, r.ResidualP, r.ResidualI, r.ResidualE, r.CurP, r.CurI, r.CurE,
		r.LastReviewOn, r.NextReviewOn, r.Secondary, r.Remarks, r.State, a.UserID, a.Name, searchText(r.Code, r.Description, r.Causes), sortText(r.Description), now).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("cannot import risk %s (line %d): %w", r.Code, p.line, err)
	}
	w.steps = append(w.steps, r.ID)
	if len(w.steps) == stepBatch {
		if err := w.flushSteps(ctx); err != nil {
			return err
		}
	}
	for i := range p.measures {
		m := &p.measures[i]
		m.RiskID, m.CreatedAt, m.UpdatedAt, m.Version = r.ID, now, now, 1
		if err := w.measure.QueryRowContext(ctx, a.Tenant, r.ID, m.Description, nullID(m.OwnerID), m.OwnerText, m.Deadline, m.State, m.Note, now).Scan(&m.ID); err != nil {
			return fmt.Errorf("cannot import measure of %s: %w", r.Code, err)
		}
		if t, ok := measureTask(*r, *m); ok {
			w.newTasks = append(w.newTasks, t)
		}
	}
	// One event records the entry with the measures it came with (each
	// with its id): an import of 10,000 rows writes 10,000 events rather
	// than 30,000, which keeps it within its time budget.
	if err := w.rec.Record(ctx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "risk", EntityID: r.ID,
		Summary: "import: " + r.Code, After: importedRisk{Risk: *r, Measures: p.measures}}); err != nil {
		return err
	}
	as := work.Assignee{Role: auth.RoleQualityManager}
	switch {
	case r.OwnerID != 0:
		as = work.Assignee{PersonID: r.OwnerID}
	case r.UnitID != 0:
		as = work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: r.UnitID}
	}
	due, _ := time.Parse(time.DateOnly, r.NextReviewOn)
	w.newTasks = append(w.newTasks, work.NewTask{Ref: riskRef(r.ID), Kind: work.KindReport, Title: "Revizuire " + r.Code + " " + clip(r.Description, 200),
		Details: "Revizuirea periodică a riscului: probabilitatea și impactul reziduale, stadiul măsurilor de control.",
		Link:    fmt.Sprintf("/risks/%d#review", r.ID), Assignee: as, Due: due})
	return nil
}

// importedRisk is what the audit trail keeps of an imported entry.
type importedRisk struct {
	Risk
	Measures []Measure `json:"measures"`
}

// stepBatch is how many import steps one statement records.
const stepBatch = 200

// flushSteps records the import step of the entries written since the
// last flush, in one statement.
func (w *importWriter) flushSteps(ctx context.Context) error {
	if len(w.steps) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO risk_steps (tenant_id, risk_id, action, from_state, to_state, reason, actor_id, actor_name, at) VALUES `)
	args := []any{w.a.Tenant, ActImport, StateActive, w.a.UserID, w.a.Name, w.now}
	for i, id := range w.steps {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, id)
		fmt.Fprintf(&b, "($1, $%d, $2, '', $3, '', $4, $5, $6)", len(args))
	}
	if _, err := w.tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("cannot record import steps: %w", err)
	}
	w.steps = w.steps[:0]
	return nil
}

// finish hands out every task of the import in one batch and closes the
// audit recorder.
func (w *importWriter) finish(ctx context.Context) error {
	if err := w.flushSteps(ctx); err != nil {
		return err
	}
	if _, err := w.tasks.AssignMany(ctx, w.tx, w.a, w.rec, w.newTasks); err != nil {
		return err
	}
	return w.rec.Close(ctx)
}

// quietTasks is the work service without notifications, when it can be:
// an import hands out thousands of reviews and measures, many to the same
// people; they find them in their work list and the daily digest rather
// than as a flood of notices.
func quietTasks(t work.Tasks) work.Tasks {
	if ws, ok := t.(*work.Service); ok && ws.Notify != nil {
		quiet := *ws
		quiet.Notify = nil
		return &quiet
	}
	return t
}

// Template writes an XLSX workbook with the register's headings in
// Romanian and an example row.
func (t *importTarget) Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Registrul riscurilor"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("cannot name sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return fmt.Errorf("cannot style template: %w", err)
	}
	headings := RegisterHeadingsRO()
	example := []any{"Direcția Economică", "Încasarea veniturilor proprii planificate", "Neîncasarea la termen a impozitelor și taxelor locale",
		"Evidență fiscală neactualizată; comunicarea întârziată a deciziilor de impunere", "Ion Popescu", 4, 4, 16,
		"Tratare", "Reconcilierea lunară a evidenței fiscale cu registrul agricol și cartea funciară", "31.12.2026",
		"30.06.2026 - în curs", 3, 3, 9, "Blocaje de lichiditate la finalul anului", ""}
	for i, h := range headings {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, cell, h); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, bold); err != nil {
			return err
		}
		cell, _ = excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue(sheet, cell, example[i]); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, 22); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	return nil
}

// RegisterHeadingsRO are the 17 columns of the register, in Romanian, in
// the usual order (the inherent and residual groups spelled out).
func RegisterHeadingsRO() []string {
	return []string{"Zona de risc (domeniu, compartiment)", "Obiective", "Descrierea riscului", "Circumstanțe care favorizează apariția riscului",
		"Responsabilul cu gestionarea riscului", "Risc inerent: Probabilitate", "Risc inerent: Impact", "Risc inerent: Expunere",
		"Strategia adoptată (acțiuni pentru tratarea riscurilor)", "Instrumente de control intern", "Termenul de punere în operă",
		"Data ultimei revizuiri și stadiul acțiunii", "Risc rezidual: Probabilitate", "Risc rezidual: Impact", "Risc rezidual: Expunere",
		"Eventuale riscuri secundare", "Observații"}
}
