package scale

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/importer"
	"cadran/internal/improvement"
	"cadran/internal/reviews"
	"cadran/internal/risks"
	"cadran/internal/work"
)

// The registers step fills the register of risks and opportunities, the
// nonconformity log and the improvement proposals over the profile's
// years. The volumes go through the modules' own import paths (one
// transaction a year, with the audit events, steps, counters, search text
// and inbox tasks the import writes), and the workflows through the
// services on a clock set in the past: the yearly carry of the risk
// register, closures, the cases of the current year, the effectiveness
// checks and every proposal.

// riskArea is a domain of the register and the phrases its entries are
// made of.
type riskArea struct {
	objective    string
	descriptions []string
	causes       []string
	consequences []string
	measures     []string
}

var riskAreas = []riskArea{
	{"Realizarea veniturilor proprii din impozite și taxe locale",
		[]string{"Neîncasarea la termen a impozitelor și taxelor locale", "Stabilirea eronată a impozitului pe clădiri", "Prescrierea creanțelor fiscale neurmărite", "Evidență fiscală neactualizată după vânzări de imobile"},
		[]string{"Declarații incomplete ale contribuabililor", "Executare silită începută târziu", "Lipsa verificărilor încrucișate cu cartea funciară", "Personal insuficient la ghișee"},
		[]string{"Venituri proprii sub prevederile bugetare", "Arierate în creștere", "Contestații și pierderi de venituri"},
		[]string{"Inventarierea lunară a debitorilor restanți", "Emiterea somațiilor în cel mult 30 de zile de la scadență", "Verificarea trimestrială a declarațiilor cu extrasele de carte funciară"}},
	{"Execuția bugetară în limita creditelor aprobate",
		[]string{"Angajarea de cheltuieli fără viza de control financiar preventiv", "Supraestimarea veniturilor la fundamentarea bugetului", "Plăți efectuate fără documente justificative complete"},
		[]string{"Circuitul documentelor nerespectat", "Presiunea termenelor de plată", "Estimări bazate doar pe încasările istorice"},
		[]string{"Cheltuieli nelegale și răspundere financiară", "Deficit bugetar și blocaje la plată", "Constatări ale Curții de Conturi"},
		[]string{"Registrul propunerilor de angajare ținut electronic", "Analiza trimestrială a execuției bugetare", "Instruirea anuală a personalului cu atribuții de angajare"}},
	{"Atribuirea contractelor de achiziție publică",
		[]string{"Atribuirea contractelor fără respectarea procedurii legale", "Divizarea artificială a achizițiilor", "Conflict de interese nedeclarat în comisiile de evaluare", "Caiete de sarcini cu cerințe restrictive"},
		[]string{"Referate de necesitate comunicate fragmentat", "Declarații de imparțialitate completate formal", "Termene scurte impuse de finanțatori"},
		[]string{"Corecții financiare", "Anularea procedurii de atribuire", "Prejudiciu de imagine"},
		[]string{"Verificarea caietelor de sarcini de un al doilea consilier", "Centralizarea referatelor de necesitate până la 31 ianuarie", "Verificarea declarațiilor în sistemul PREVENT"}},
	{"Emiterea actelor de urbanism în termenul legal",
		[]string{"Emiterea autorizațiilor de construire peste termenul legal", "Emiterea certificatelor de urbanism cu date neactualizate", "Nedepistarea construcțiilor executate fără autorizație"},
		[]string{"Documentații incomplete la depunere", "Avize întârziate de la alte instituții", "Planul urbanistic general expirat", "Controale rare pe teren"},
		[]string{"Reclamații și acțiuni în contencios", "Construcții ilegale", "Pierderea încrederii cetățenilor"},
		[]string{"Registru electronic al cererilor cu alertă la 20 de zile", "Listă de verificare a documentației la depunere", "Program lunar de control pe zone"}},
	{"Acordarea beneficiilor de asistență socială",
		[]string{"Acordarea necuvenită a ajutorului social", "Identificarea tardivă a persoanelor aflate în situație de risc", "Neevaluarea la termen a beneficiarilor îngrijiți la domiciliu"},
		[]string{"Verificare insuficientă a veniturilor", "Anchete sociale formale", "Număr mare de beneficiari pe asistent social"},
		[]string{"Plăți necuvenite și recuperări dificile", "Servicii neadaptate nevoilor", "Abuz sau neglijare nedescoperite la timp"},
		[]string{"Anchete sociale la domiciliu pentru toate dosarele noi", "Verificarea trimestrială a veniturilor prin ANAF", "Calendar lunar al reevaluărilor"}},
	{"Securitatea sistemelor informatice și protecția datelor",
		[]string{"Pierderea datelor din cauza unui atac informatic", "Divulgarea neautorizată a datelor cu caracter personal", "Indisponibilitatea serviciilor electronice peste 24 de ore"},
		[]string{"Copii de siguranță nesegregate", "Drepturi de acces nerevizuite", "Un singur furnizor de găzduire", "Sisteme de operare fără actualizări"},
		[]string{"Întreruperea serviciilor publice", "Amenzi ANSPDCP", "Aglomerație la ghișee"},
		[]string{"Copii de siguranță zilnice, păstrate offline", "Revizuirea semestrială a drepturilor de acces", "Instruirea personalului privind mesajele de tip phishing"}},
	{"Gestionarea resurselor umane",
		[]string{"Ocuparea posturilor vacante cu personal fără competențele necesare", "Neparticiparea funcționarilor la programe de perfecționare", "Menținerea aceluiași funcționar peste 5 ani într-o funcție sensibilă"},
		[]string{"Fișe de post generale", "Fonduri insuficiente pentru formare", "Personal insuficient pentru rotație"},
		[]string{"Calitatea scăzută a serviciilor", "Aplicarea greșită a legislației noi", "Risc de fraudă și corupție"},
		[]string{"Revizuirea fișelor de post înaintea concursurilor", "Planul anual de perfecționare aprobat până la 31 martie", "Planul de rotație a personalului din funcțiile sensibile"}},
	{"Administrarea domeniului public și privat",
		[]string{"Ocuparea abuzivă a terenurilor din domeniul public", "Inventarierea incompletă a bunurilor din domeniul public", "Neîncasarea redevențelor din concesiuni"},
		[]string{"Inventar incomplet", "Controale rare pe teren", "Contracte neactualizate"},
		[]string{"Venituri pierdute din concesiuni și chirii", "Diferențe între evidența contabilă și cea faptică"},
		[]string{"Controale trimestriale pe teren cu Poliția Locală", "Actualizarea inventarului domeniului public aprobat prin HCL"}},
	{"Realizarea investițiilor publice",
		[]string{"Depășirea termenelor de execuție la lucrările finanțate din fonduri europene", "Recepția unor lucrări cu vicii ascunse", "Pierderea finanțării nerambursabile"},
		[]string{"Constructori subdimensionați", "Proiecte tehnice incomplete", "Diriginte de șantier insuficient implicat"},
		[]string{"Pierderea finanțării", "Cheltuieli suplimentare din bugetul local", "Lucrări refăcute"},
		[]string{"Rapoarte lunare de progres de la dirigintele de șantier", "Aplicarea penalităților contractuale", "Comisie de recepție cu specialiști externi"}},
	{"Relația cu cetățenii și soluționarea petițiilor",
		[]string{"Depășirea termenului legal de 30 de zile pentru răspunsul la petiții", "Comunicarea incompletă a informațiilor de interes public", "Timp de așteptare mare la ghișee"},
		[]string{"Repartizare întârziată a petițiilor", "Lipsa urmăririi termenelor", "Program de lucru cu publicul redus"},
		[]string{"Reclamații la Avocatul Poporului", "Nemulțumirea cetățenilor"},
		[]string{"Urmărirea termenelor în Cadran, cu notificări automate", "Programare online la ghișee", "Publicarea lunară a informațiilor de interes public"}},
}

var opportunityAreas = []riskArea{
	{"Modernizarea serviciilor publice",
		[]string{"Digitalizarea depunerii cererilor prin portalul instituției", "Plata online a taxelor locale prin Ghișeul.ro", "Accesarea fondurilor PNRR pentru digitalizare", "Parteneriat cu universitatea pentru stagii de practică"},
		[]string{"Programe de finanțare deschise", "Interesul crescut al cetățenilor pentru servicii online", "Experiența echipei de proiecte"},
		[]string{"Timp de răspuns mai scurt", "Costuri administrative mai mici", "Satisfacția cetățenilor în creștere"},
		[]string{"Depunerea cererii de finanțare", "Analiza proceselor care pot fi digitalizate", "Campanie de informare a cetățenilor"}},
}

var riskUnitSuffix = []string{"", " în perioada de vârf a cererilor", " la nivelul compartimentului", " în relația cu alte instituții", " în perioada de raportare anuală", " la arhivarea dosarelor"}

var closeReasons = []string{"Măsurile au fost implementate, iar riscul nu se mai manifestă.", "Activitatea a fost preluată de altă structură; riscul este urmărit acolo.",
	"Riscul a fost reevaluat la revizuirea anuală și nu mai este relevant.", "Cadrul legal s-a modificat; activitatea nu mai există."}

// registers fills the three registers.
func (g *gen) registers(ctx context.Context) error {
	if err := g.riskRegister(ctx); err != nil {
		return err
	}
	if err := g.nonconformities(ctx); err != nil {
		return err
	}
	return g.proposals(ctx)
}

// years returns the first year of the profile's history and the current one.
func (g *gen) years() (int, int) {
	cur := g.now.Year()
	return cur - g.p.Years + 1, cur
}

// before returns t, or a moment just before the generator's today when t
// would fall after it.
func (g *gen) before(t time.Time, back time.Duration) time.Time {
	if lim := g.now.Add(-back); !t.Before(lim) {
		return lim
	}
	return t
}

func (g *gen) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := g.db.R.QueryRowContext(ctx, q, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cannot count: %w", err)
	}
	return n, nil
}

// personActor acts as a person of the roster, with role.
func (g *gen) personActor(p personRef, role auth.Role) auth.Actor {
	return auth.Actor{Tenant: g.tenant, Name: p.Name, PersonID: p.ID, UserID: p.UserID, Roles: []auth.Role{role}, Locale: "ro"}
}

// ownerIn returns a person of unit (its head more often than not), or
// anyone when the unit has no people.
func (g *gen) ownerIn(r *rand.Rand, unit int64) personRef {
	ps := g.inUnit(unit)
	if len(ps) == 0 {
		return pick(r, g.people)
	}
	if ps[0].Management && r.IntN(3) > 0 {
		return ps[0]
	}
	return pick(r, ps)
}

// share returns the part of total that falls to the k-th of n slices.
func share(total, k, n int) int { return total*(k+1)/n - total*k/n }

func day(t time.Time) string { return t.Format(time.DateOnly) }

// commit imports rows into t; when a row is refused, the error names its
// first problem.
func commit(ctx context.Context, t importer.Target, a auth.Actor, rows []importer.Row) (int, error) {
	n, err := t.Commit(ctx, a, rows, nil)
	if err == nil {
		return n, nil
	}
	checked, cerr := t.Check(ctx, a, rows)
	if cerr != nil {
		return 0, err
	}
	for _, c := range checked {
		if len(c.Errors) > 0 {
			return 0, fmt.Errorf("cannot import line %d: %v (%v): %v", c.Line, c.Errors, rows[c.Line-1].Values, err)
		}
	}
	return 0, err
}

// riskRegister imports each year's new entries in January, closes some
// entries through the year and carries the rest into the next year's
// register, as the yearly review does.
func (g *gen) riskRegister(ctx context.Context) error {
	r := g.rng("risks")
	existing, err := g.count(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return err
	}
	need := g.p.Risks - existing
	if need <= 0 || len(g.units) == 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	svc := &risks.Service{DB: g.db, Clock: clk, Work: &work.Service{DB: g.db, Clock: clk}}
	first, cur := g.years()
	target := 0 // rows the register should have gained by the end of the year
	for k := range g.p.Years {
		y := first + k
		target += share(need, k, g.p.Years)
		if y < cur {
			// A year whose register was already carried into the next one
			// (the demo's last year) is left as it is; its share goes to
			// the years after it.
			started, err := g.count(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND previous_id IS NOT NULL`, g.tenant, y+1)
			if err != nil {
				return err
			}
			if started > 0 {
				continue
			}
		}
		have, err := g.count(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1`, g.tenant)
		if err != nil {
			return err
		}
		add := target - (have - existing)
		if add > 0 {
			// The register is drawn up in January; this year's also has the
			// entries reported this autumn.
			batches := [][2]any{{time.Date(y, time.January, 25, 10, 0, 0, 0, time.UTC), add}}
			if y == cur && add > 1 {
				batches = [][2]any{{time.Date(y, time.January, 25, 10, 0, 0, 0, time.UTC), add / 2}, {g.now.AddDate(0, 0, -21), add - add/2}}
			}
			for _, b := range batches {
				at := g.before(b[0].(time.Time), 2*time.Hour)
				clk.Set(at)
				rows := make([]importer.Row, b[1].(int))
				for i := range rows {
					rows[i] = g.riskRow(r, i+1, y, at)
				}
				n, err := commit(ctx, svc.Importer(), g.actor, rows)
				if err != nil {
					return fmt.Errorf("cannot import the risks of %d: %w", y, err)
				}
				g.add("risks", n)
			}
		}
		if y == cur {
			return g.reviewRisks(ctx, r, svc, clk, y)
		}
		// Through the year some entries are closed; the rest are carried
		// into next year's register, so long as next year keeps within its
		// share.
		active, err := g.activeRisks(ctx, y)
		if err != nil {
			return err
		}
		next := share(need, k+1, g.p.Years)
		closeN := len(active) / 5
		if len(active)-closeN > next {
			closeN = len(active) - next
		}
		if y+2 <= cur {
			// Next year's register was already carried on (the demo's last
			// year): what would come into it is closed at the yearly review.
			blocked, err := g.count(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND previous_id IS NOT NULL`, g.tenant, y+2)
			if err != nil {
				return err
			}
			if blocked > 0 {
				closeN = len(active)
			}
		}
		r.Shuffle(len(active), func(i, j int) { active[i], active[j] = active[j], active[i] })
		// In date order, in one transaction.
		closing := make([]time.Time, closeN)
		for i := range closing {
			closing[i] = g.before(time.Date(y, time.Month(6+r.IntN(6)), 1+r.IntN(28), 11, 0, 0, 0, time.UTC), 90*time.Minute)
		}
		slices.SortFunc(closing, func(a, b time.Time) int { return a.Compare(b) })
		err = g.tx(ctx, func(tx *sql.Tx) error {
			for i, at := range closing {
				clk.Set(at)
				if _, err := svc.StepTx(ctx, tx, g.actor, active[i][0], risks.StepInput{Action: risks.ActClose, Reason: pick(r, closeReasons), Version: int(active[i][1])}); err != nil {
					return fmt.Errorf("cannot close a risk of %d: %w", y, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(active) == closeN {
			continue
		}
		clk.Set(g.before(time.Date(y+1, time.January, 10, 9, 0, 0, 0, time.UTC), time.Hour))
		n, err := svc.StartYear(ctx, g.actor, y)
		if err != nil {
			return fmt.Errorf("cannot carry the risks of %d: %w", y, err)
		}
		g.add("risks", n)
	}
	return nil
}

// reviewRisks records this year's reviews of most active entries, as
// their owners do through the year: the residual score and the measures'
// status, which moves the next review date on.
func (g *gen) reviewRisks(ctx context.Context, r *rand.Rand, svc *risks.Service, clk *clock.Fixed, y int) error {
	active, err := g.activeRisks(ctx, y)
	if err != nil {
		return err
	}
	for _, x := range active {
		if r.IntN(5) < 2 {
			continue // not reviewed yet: due or overdue
		}
		rv, err := svc.Risk(ctx, g.actor, x[0])
		if err != nil {
			return err
		}
		at := g.now.AddDate(0, 0, -1-r.IntN(150)).Truncate(time.Hour)
		if at.Before(rv.CreatedAt) {
			continue
		}
		clk.Set(at)
		if _, err := svc.RecordReview(ctx, g.actor, x[0], risks.ReviewInput{ResidualP: max(1, rv.InherentP-r.IntN(2)), ResidualI: max(1, rv.InherentI-r.IntN(2)),
			Measures: pick(r, []string{"Măsurile sunt în curs de implementare.", "Măsurile au fost implementate parțial.", "Măsurile au fost implementate."}),
			Version:  rv.Version}); err != nil {
			return fmt.Errorf("cannot review %s: %w", rv.Code, err)
		}
	}
	return nil
}

// activeRisks lists the id and version of year's active entries.
func (g *gen) activeRisks(ctx context.Context, year int) ([][2]int64, error) {
	rows, err := g.db.R.QueryContext(ctx, `SELECT id, version FROM risks WHERE tenant_id = $1 AND year = $2 AND state = $3 ORDER BY id`, g.tenant, year, risks.StateActive)
	if err != nil {
		return nil, fmt.Errorf("cannot read the register: %w", err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var v [2]int64
		if err := rows.Scan(&v[0], &v[1]); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// causes joins one or two of the causes, the second in lower case.
func causes(r *rand.Rand, list []string) string {
	first, second := pick(r, list), pick(r, list)
	if first == second || r.IntN(3) == 0 {
		return first
	}
	rs := []rune(second)
	return first + "; " + strings.ToLower(string(rs[:1])) + string(rs[1:])
}

// riskRow is one line of a year's register, as the import reads it.
func (g *gen) riskRow(r *rand.Rand, line, y int, at time.Time) importer.Row {
	kind, areas := "risc", riskAreas
	if r.IntN(8) == 0 {
		kind, areas = "oportunitate", opportunityAreas
	}
	a := pick(r, areas)
	u := pick(r, g.units)
	owner := g.ownerIn(r, u.ID)
	p, i := 1+r.IntN(5), 1+r.IntN(5)
	if r.IntN(3) == 0 {
		p, i = 3+r.IntN(3), 3+r.IntN(3) // the register's serious entries
	}
	v := map[string]string{
		"kind": kind, "unit": u.Name, "objective": a.objective,
		"description":  pick(r, a.descriptions) + pick(r, riskUnitSuffix),
		"causes":       causes(r, a.causes),
		"consequences": pick(r, a.consequences), "owner": owner.Name,
		"probability": fmt.Sprint(p), "impact": fmt.Sprint(i), "year": fmt.Sprint(y),
	}
	if kind == "risc" {
		v["strategy"] = pick(r, []string{"tratare", "tratare", "tratare", "monitorizare", "acceptare", "transfer", "evitare"})
	}
	ms := []string{pick(r, a.measures)}
	if m := pick(r, a.measures); m != ms[0] && r.IntN(2) == 0 {
		ms = append(ms, m)
	}
	v["measures"] = strings.Join(ms, "\n")
	deadline := time.Date(y, time.Month(3+r.IntN(10)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	if y == g.now.Year() {
		deadline = g.now.AddDate(0, 0, 90-r.IntN(120)) // a few past due
	}
	v["deadline"] = deadline.Format("02.01.2006")
	reviewed := at.AddDate(0, 0, -5-r.IntN(20))
	status := "realizat"
	if y == g.now.Year() {
		status = pick(r, []string{"în curs", "în curs", "nerealizat", "realizat"})
	}
	v["review"] = reviewed.Format("02.01.2006") + " - " + status
	if r.IntN(3) > 0 && kind == "risc" {
		rp, ri := max(1, p-r.IntN(2)), max(1, i-r.IntN(2))
		v["residual_probability"], v["residual_impact"] = fmt.Sprint(rp), fmt.Sprint(ri)
	}
	return importer.Row{Line: line, Values: v}
}

// ncTopic is a kind of nonconformity and what is done about it.
type ncTopic struct {
	process, clause, title, description string
	correction, cause, action           string
}

var ncTopics = []ncTopic{
	{"Soluționarea petițiilor", "8.2", "Petiție soluționată peste termenul legal", "Răspunsul la petiție a fost transmis după 30 de zile de la înregistrare, fără prelungirea termenului comunicată petentului.",
		"Răspunsul a fost transmis petentului, cu scuzele instituției.", "Termenele petițiilor se urmăreau manual, fără alertă.", "Urmărirea termenelor în registrul electronic, cu notificare la 5 zile înainte de scadență"},
	{"Controlul informațiilor documentate", "7.5.3", "Formular în ediție retrasă folosit la ghișeu", "La ghișeu se folosea formularul din ediția anterioară, retrasă din uz.",
		"Formularele vechi au fost retrase și înlocuite.", "Difuzarea edițiilor noi nu ajungea la toate punctele de lucru.", "Lista de difuzare a formularelor actualizată și confirmarea primirii fiecărei ediții"},
	{"Emiterea autorizațiilor de construire", "8.5.1", "Autorizație de construire emisă peste termen", "Autorizația de construire a fost emisă după 30 de zile de la depunerea documentației complete.",
		"Autorizația a fost emisă și comunicată solicitantului.", "Avizele interne circulau pe hârtie între compartimente.", "Circuit electronic al avizelor interne, cu termen de 5 zile pentru fiecare compartiment"},
	{"Stabilirea impozitelor și taxelor locale", "8.5.1", "Decizie de impunere cu date greșite", "Decizia de impunere cuprindea suprafața construită din declarația veche a contribuabilului.",
		"Decizia a fost anulată și reemisă cu datele corecte.", "Declarațiile noi nu erau verificate cu evidența cadastrală.", "Verificarea declarațiilor cu extrasul de carte funciară înainte de impunere"},
	{"Resurse umane", "7.2", "Fișe de post neactualizate după reorganizare", "Fișele de post ale compartimentului nu reflectau atribuțiile primite după ultima reorganizare.",
		"Fișele de post au fost revizuite și semnate.", "Reorganizarea nu a fost urmată de o analiză a fișelor de post.", "Revizuirea fișelor de post în 30 de zile de la orice modificare a organigramei"},
	{"Achiziții publice", "8.4", "Furnizor neevaluat după încheierea contractului", "Evaluarea furnizorului nu a fost făcută la încheierea contractului, cum cere procedura.",
		"Furnizorul a fost evaluat retroactiv.", "Procedura nu preciza cine face evaluarea.", "Completarea procedurii cu responsabilul și termenul evaluării furnizorilor"},
	{"Monitorizarea indicatorilor", "9.1.1", "Indicator de performanță neraportat", "Valoarea trimestrială a indicatorului nu a fost raportată la termen.",
		"Valoarea a fost calculată și raportată.", "Responsabilul indicatorului nu era desemnat după plecarea titularului.", "Desemnarea unui înlocuitor pentru fiecare responsabil de indicator"},
	{"Relații cu publicul", "8.2", "Informație de interes public comunicată incomplet", "Solicitantul a primit doar o parte din informațiile cerute în baza Legii 544/2001.",
		"Informațiile lipsă au fost comunicate solicitantului.", "Cererea nu a fost transmisă tuturor compartimentelor deținătoare.", "Repartizarea cererilor de informații către toate compartimentele implicate, cu confirmare"},
	{"Arhivare", "7.5.3", "Dosare predate la arhivă fără opis", "Dosarele anului anterior au fost predate la arhivă fără opis și fără numerotarea filelor.",
		"Dosarele au fost returnate și completate.", "Personalul nou nu cunoștea regulile de predare la arhivă.", "Instruirea anuală a personalului privind arhivarea documentelor"},
	{"Infrastructură", "7.1.3", "Echipament de calcul nefuncțional la ghișeu", "Imprimanta de la ghișeul de taxe a fost defectă o săptămână, iar cetățenii au fost trimiși la alt ghișeu.",
		"Imprimanta a fost înlocuită.", "Nu exista un contract de mentenanță pentru echipamentele de la ghișee.", "Contract de mentenanță cu timp de intervenție de 24 de ore"},
}

var ncSources = []string{improvement.SourceComplaint, improvement.SourceComplaint, improvement.SourceEmployee, improvement.SourceIndicator,
	improvement.SourceExternalAudit, improvement.SourceReview, improvement.SourceOther}

// nonconformities fills the log: each past year's cases mostly as the
// year's log imported at its end (closed, with their cause and action),
// some played through the workflow to their effectiveness check; this
// year's cases played through the workflow, at every stage.
func (g *gen) nonconformities(ctx context.Context) error {
	r := g.rng("nonconformities")
	existing, err := g.count(ctx, `SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return err
	}
	need := g.p.Nonconformities - existing
	if need <= 0 || len(g.units) == 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	svc := &improvement.Service{DB: g.db, Clock: clk, Work: &work.Service{DB: g.db, Clock: clk}}
	first, cur := g.years()
	for k := range g.p.Years {
		y := first + k
		n := share(need, k, g.p.Years)
		played := (n + 7) / 8
		if y == cur {
			played = n
		}
		if imported := n - played; imported > 0 {
			rows := make([]importer.Row, imported)
			for i := range rows {
				rows[i] = g.ncRow(r, i+1, y)
			}
			clk.Set(g.before(time.Date(y, time.December, 20, 12, 0, 0, 0, time.UTC), time.Hour))
			m, err := commit(ctx, svc.Importer(), g.actor, rows)
			if err != nil {
				return fmt.Errorf("cannot import the nonconformities of %d: %w", y, err)
			}
			g.add("nonconformities", m)
		}
		// The played cases of a year in one transaction, through the
		// service's steps.
		err := g.tx(ctx, func(tx *sql.Tx) error {
			for range played {
				if err := g.playNC(ctx, tx, r, svc, clk, y); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		g.add("nonconformities", played)
	}
	return nil
}

// ncRow is one closed case of a past year's log.
func (g *gen) ncRow(r *rand.Rand, line, y int) importer.Row {
	t := pick(r, ncTopics)
	u := pick(r, g.units)
	owner := g.ownerIn(r, u.ID)
	detected := time.Date(y, time.Month(1+r.IntN(10)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	due := detected.AddDate(0, 0, 20+r.IntN(30))
	closed := due.AddDate(0, 0, -r.IntN(10)+15)
	if end := time.Date(y, time.December, 15, 0, 0, 0, 0, time.UTC); closed.After(end) {
		closed = end
	}
	sev := pick(r, []string{"minoră", "minoră", "minoră", "majoră", "observație"})
	return importer.Row{Line: line, Values: map[string]string{
		"no": fmt.Sprintf("%d/%d", line, y), "detected_on": day(detected), "source": pick(r, ncSources), "title": t.title,
		"description": t.description + " Compartiment: " + u.Name + ".", "unit": u.Name, "process": t.process, "clause": t.clause, "severity": sev,
		"correction": t.correction, "cause": t.cause, "action": t.action, "owner": owner.Name, "due": day(due), "state": "închisă", "closed_on": day(closed),
	}}
}

// playNC reports a case in year y and moves it through the workflow as far
// as its story goes and today allows.
func (g *gen) playNC(ctx context.Context, tx *sql.Tx, r *rand.Rand, svc *improvement.Service, clk *clock.Fixed, y int) error {
	t := pick(r, ncTopics)
	u := pick(r, g.units)
	owner := g.ownerIn(r, u.ID)
	reporter := pick(r, g.people)
	checker := pick(r, g.people)
	for checker.ID == owner.ID && len(g.people) > 1 {
		checker = pick(r, g.people)
	}
	cur := y == g.now.Year()
	last := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC)
	if cur {
		last = g.now.AddDate(0, 0, -2)
	}
	days := max(1, int(last.Sub(time.Date(y, time.January, 2, 0, 0, 0, 0, time.UTC)).Hours()/24))
	detected := time.Date(y, time.January, 2, 9, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(days))
	// The story: past years' played cases run to the effectiveness check;
	// this year's stop at every stage, the open ones reported in the last
	// months (a few long overdue).
	stage := 6
	if cur {
		stage = pick(r, []int{0, 1, 2, 3, 3, 3, 4, 5, 6, 6})
		if stage != 5 && stage != 6 && r.IntN(5) > 0 {
			detected = time.Date(last.Year(), last.Month(), last.Day(), 9, 0, 0, 0, time.UTC).AddDate(0, 0, -r.IntN(min(days, 75)))
		}
	} else if r.IntN(12) == 0 {
		stage = 5 // declined
	}
	at := func(days, hour int) (time.Time, bool) {
		t := time.Date(detected.Year(), detected.Month(), detected.Day(), hour, 0, 0, 0, time.UTC).AddDate(0, 0, days)
		clk.Set(t)
		return t, t.Before(g.now)
	}
	at(0, 10)
	n, err := svc.Raise(ctx, tx, g.personActor(reporter, auth.RoleEmployee), improvement.NCInput{Title: t.title, Description: t.description + " Compartiment: " + u.Name + ".",
		Source: pick(r, ncSources), Process: t.process, UnitID: u.ID, Clause: t.clause, Severity: pick(r, []string{improvement.SeverityMinor, improvement.SeverityMinor, improvement.SeverityMajor, improvement.SeverityObservation}),
		DetectedOn: day(detected), Correction: t.correction, CorrectionBy: owner.Name, CorrectionOn: day(detected)})
	if err != nil {
		return fmt.Errorf("cannot report a nonconformity: %w", err)
	}
	return g.advanceNC(ctx, tx, r, svc, clk, n, t, owner, checker, detected, stage)
}

// advanceNC moves a reported case along from the day it was detected:
// stage 0 leaves it reported, 1 accepted, 2 analysed, 3 with its action
// planned, 4 waiting for the effectiveness check, 5 declined, 6 closed as
// effective; never past today.
func (g *gen) advanceNC(ctx context.Context, tx *sql.Tx, r *rand.Rand, svc *improvement.Service, clk *clock.Fixed, n improvement.Nonconformity, t ncTopic,
	owner, checker personRef, detected time.Time, stage int) error {
	var err error
	at := func(days, hour int) (time.Time, bool) {
		t := time.Date(detected.Year(), detected.Month(), detected.Day(), hour, 0, 0, 0, time.UTC).AddDate(0, 0, days)
		clk.Set(t)
		return t, t.Before(g.now)
	}
	if stage == 0 {
		return nil
	}
	if _, ok := at(2, 9); !ok {
		return nil
	}
	if stage == 5 {
		_, err := svc.StepTx(ctx, tx, g.actor, n.ID, improvement.StepInput{Action: improvement.ActDecline, Reason: "Nu este o neconformitate: cerința nu se aplică activității compartimentului.", Version: n.Version})
		return err
	}
	if n, err = svc.StepTx(ctx, tx, g.actor, n.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: owner.ID, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot accept %s: %w", n.Code, err)
	}
	if stage == 1 {
		return nil
	}
	oa := g.personActor(owner, auth.RoleHeadOfUnit)
	if _, ok := at(6, 11); !ok {
		return nil
	}
	if n, err = svc.SaveAnalysisTx(ctx, tx, oa, n.ID, improvement.AnalysisInput{Analysis: improvement.Analysis{
		Whys:       []improvement.Why{{Why: "De ce a apărut neconformitatea?", Because: t.cause}},
		Causes:     []improvement.Cause{{Category: improvement.CatMethods, Cause: t.cause, Root: true}},
		Conclusion: "Cauza principală: " + strings.ToLower(t.cause[:1]) + t.cause[1:]}, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot analyse %s: %w", n.Code, err)
	}
	if stage == 2 {
		return nil
	}
	dueIn := 15 + r.IntN(45)
	act, err := svc.AddActionTx(ctx, tx, oa, n.ID, improvement.ActionInput{Description: t.action, OwnerID: owner.ID, DueOn: day(clk.Now().AddDate(0, 0, dueIn))})
	if err != nil {
		return fmt.Errorf("cannot plan an action of %s: %w", n.Code, err)
	}
	if n, err = svc.NonconformityTx(ctx, tx, g.tenant, n.ID); err != nil {
		return err
	}
	if n, err = svc.StepTx(ctx, tx, oa, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot plan %s: %w", n.Code, err)
	}
	doneIn := 6 + dueIn - 5 + r.IntN(10) // a few late
	if _, ok := at(doneIn, 14); stage == 3 || !ok {
		return nil
	}
	if _, err := svc.CompleteActionTx(ctx, tx, oa, n.ID, act.ID, improvement.DoneInput{Note: "Realizată conform planului.", Version: act.Version}); err != nil {
		return fmt.Errorf("cannot complete an action of %s: %w", n.Code, err)
	}
	checkIn := doneIn + 30
	if n, err = svc.NonconformityTx(ctx, tx, g.tenant, n.ID); err != nil {
		return err
	}
	if n, err = svc.StepTx(ctx, tx, oa, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: checker.ID, CheckOn: day(detected.AddDate(0, 0, checkIn)), Version: n.Version}); err != nil {
		return fmt.Errorf("cannot plan the check of %s: %w", n.Code, err)
	}
	if _, ok := at(checkIn, 10); stage == 4 || !ok {
		return nil
	}
	if _, err := svc.StepTx(ctx, tx, g.personActor(checker, auth.RoleEmployee), n.ID, improvement.StepInput{Action: improvement.ActEffective, Version: n.Version}); err != nil {
		return fmt.Errorf("cannot check %s: %w", n.Code, err)
	}
	return nil
}

// propTopic is an improvement proposal and the action it leads to.
type propTopic struct{ title, description, benefit, process, action string }

var propTopics = []propTopic{
	{"Programare online la ghișeele de taxe", "Un formular pe site prin care cetățenii își aleg ora la ghișeu.", "Cozi mai scurte și timp de așteptare previzibil.", "Relații cu publicul", "Publicarea formularului de programare pe site"},
	{"Tipizate completabile pe site", "Formularele cele mai cerute, publicate în format completabil.", "Mai puține cereri greșite, mai puține reveniri la ghișeu.", "Relații cu publicul", "Publicarea tipizatelor completabile"},
	{"Arhivă electronică a dosarelor de urbanism", "Scanarea dosarelor de autorizare din ultimii zece ani.", "Căutare rapidă, mai puțin spațiu de arhivă.", "Urbanism", "Scanarea și indexarea dosarelor"},
	{"Plata taxelor prin POS la toate ghișeele", "Terminale de plată cu cardul la fiecare ghișeu de încasare.", "Încasări mai rapide, mai puțin numerar.", "Stabilirea impozitelor și taxelor locale", "Instalarea terminalelor POS"},
	{"Ghid de completare a declarațiilor fiscale", "Un ghid de două pagini cu exemple, la ghișeu și pe site.", "Mai puține declarații greșite.", "Stabilirea impozitelor și taxelor locale", "Redactarea și publicarea ghidului"},
	{"Notificări SMS pentru actele de stare civilă", "Cetățeanul primește un SMS când actul este gata.", "Mai puține telefoane și deplasări inutile.", "Stare civilă", "Configurarea serviciului de mesaje"},
	{"Instruire internă lunară de 30 de minute", "Colegii cu experiență prezintă pe scurt noutățile legislative.", "Aplicarea uniformă a legislației noi.", "Resurse umane", "Calendarul instruirilor interne"},
	{"Reducerea consumului de hârtie", "Circulația internă a documentelor în format electronic, cu semnătură electronică.", "Costuri mai mici și circuit mai rapid.", "Registratură", "Circuit electronic al documentelor interne"},
	{"Chestionar scurt de satisfacție la ghișeu", "Trei întrebări pe o tabletă la ieșirea din sala de ghișee.", "Feedback imediat despre servicii.", "Relații cu publicul", "Instalarea tabletei și a chestionarului"},
	{"Harta online a lucrărilor de investiții", "Lucrările în curs, cu termene și stadiu, pe o hartă publică.", "Transparență și mai puține sesizări.", "Investiții", "Publicarea hărții lucrărilor"},
}

var declineReasons = []string{"Costul depășește bugetul disponibil în acest an; propunerea va fi reanalizată la fundamentarea bugetului următor.",
	"Soluția există deja prin portalul național; o vom promova mai bine.", "Cadrul legal actual nu permite această schimbare."}

// proposals fills the improvement proposals through the service: past
// years' mostly implemented or declined, this year's at every stage.
func (g *gen) proposals(ctx context.Context) error {
	r := g.rng("proposals")
	existing, err := g.count(ctx, `SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return err
	}
	need := g.p.Proposals - existing
	if need <= 0 || len(g.units) == 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	svc := &improvement.Service{DB: g.db, Clock: clk, Work: &work.Service{DB: g.db, Clock: clk}}
	first, cur := g.years()
	// The proposals in one transaction, through the service's steps:
	// thousands of proposals, each step its own transaction, would take
	// minutes.
	err = g.tx(ctx, func(tx *sql.Tx) error {
		for k := range g.p.Years {
			y := first + k
			for range share(need, k, g.p.Years) {
				if err := g.playProposal(ctx, tx, r, svc, clk, y, y == cur); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.add("proposals", need)
	return nil
}

func (g *gen) playProposal(ctx context.Context, tx *sql.Tx, r *rand.Rand, svc *improvement.Service, clk *clock.Fixed, y int, cur bool) error {
	t := pick(r, propTopics)
	u := pick(r, g.units)
	proposer := pick(r, g.people)
	owner := g.ownerIn(r, u.ID)
	last := time.Date(y, time.October, 15, 0, 0, 0, 0, time.UTC)
	if cur {
		last = g.now.AddDate(0, 0, -2)
	}
	days := max(1, int(last.Sub(time.Date(y, time.January, 2, 0, 0, 0, 0, time.UTC)).Hours()/24))
	submitted := time.Date(y, time.January, 2, 10, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(days))
	// 0 submitted, 1 evaluation, 2 declined, 3 accepted, 4 implemented.
	stage := pick(r, []int{4, 4, 4, 4, 4, 4, 4, 2, 2, 2, 2, 3})
	if stage == 3 && y < g.now.Year()-1 {
		stage = 4 // older proposals are done with
	}
	if cur {
		stage = pick(r, []int{0, 0, 1, 1, 2, 3, 3, 3, 4, 4})
		if stage < 4 && stage != 2 && r.IntN(5) > 0 {
			// The open proposals of this year are recent.
			submitted = time.Date(last.Year(), last.Month(), last.Day(), 10, 0, 0, 0, time.UTC).AddDate(0, 0, -r.IntN(min(days, 60)))
		}
	}
	at := func(days int) bool {
		t := submitted.AddDate(0, 0, days)
		clk.Set(t)
		return t.Before(g.now)
	}
	at(0)
	p, err := svc.SubmitTx(ctx, tx, g.personActor(proposer, auth.RoleEmployee), improvement.ProposalInput{Title: t.title, Description: t.description, Benefit: t.benefit, UnitID: u.ID, Process: t.process})
	if err != nil {
		return fmt.Errorf("cannot submit a proposal: %w", err)
	}
	if stage == 0 || !at(3) {
		return nil
	}
	if p, err = svc.ProposalStepTx(ctx, tx, g.actor, p.ID, improvement.StepInput{Action: improvement.ActEvaluate, Version: p.Version}); err != nil {
		return fmt.Errorf("cannot evaluate %s: %w", p.Code, err)
	}
	if stage == 1 || !at(10) {
		return nil
	}
	if stage == 2 {
		_, err := svc.ProposalStepTx(ctx, tx, g.actor, p.ID, improvement.StepInput{Action: improvement.ActDeclineP, Reason: pick(r, declineReasons), Version: p.Version})
		return err
	}
	dueIn := 20 + r.IntN(60)
	act, err := svc.AddProposalActionTx(ctx, tx, g.actor, p.ID, improvement.ActionInput{Description: t.action, OwnerID: owner.ID, DueOn: day(clk.Now().AddDate(0, 0, dueIn))})
	if err != nil {
		return fmt.Errorf("cannot plan the action of %s: %w", p.Code, err)
	}
	if p, err = svc.ProposalTx(ctx, tx, g.tenant, p.ID); err != nil {
		return err
	}
	if _, err = svc.ProposalStepTx(ctx, tx, g.actor, p.ID, improvement.StepInput{Action: improvement.ActAcceptP, Version: p.Version}); err != nil {
		return fmt.Errorf("cannot accept %s: %w", p.Code, err)
	}
	if stage == 3 || !at(10+dueIn-r.IntN(10)) {
		return nil
	}
	_, err = svc.CompleteProposalActionTx(ctx, tx, g.personActor(owner, auth.RoleHeadOfUnit), p.ID, act.ID, improvement.DoneInput{Note: "Realizată.", Version: act.Version})
	return err
}

// auditSubject is an audited process and the clauses its audits cover.
type auditSubject struct {
	process string
	clauses []string
}

var auditSubjects = []auditSubject{
	{"Stabilirea impozitelor și taxelor locale", []string{"8.2", "8.5.1", "7.5.3"}},
	{"Emiterea autorizațiilor de construire", []string{"8.5.1", "7.1.3", "9.1.1"}},
	{"Soluționarea petițiilor", []string{"8.2", "9.1.2", "10.2"}},
	{"Achiziții publice", []string{"8.4", "7.5.3", "6.1"}},
	{"Resurse umane", []string{"7.1.2", "7.2", "7.3"}},
	{"Controlul informațiilor documentate", []string{"7.5.3", "7.5.2"}},
	{"Monitorizarea indicatorilor", []string{"9.1.1", "9.1.3", "6.2"}},
	{"Managementul riscurilor", []string{"6.1", "9.3"}},
	{"Relații cu publicul", []string{"8.2", "9.1.2"}},
}

var findingEvidence = []string{
	"Din 10 dosare verificate, 2 nu aveau confirmarea de primire a răspunsului.",
	"Registrul de evidență nu era completat la zi; ultimele înregistrări datau de acum trei săptămâni.",
	"Procedura aplicată nu corespunde ediției în vigoare publicate în Cadran.",
	"Indicatorul procesului nu a fost calculat pentru ultimul trimestru.",
	"Două fișe de post nu erau semnate de titulari.",
	"Evaluarea furnizorilor nu a fost făcută pentru contractele încheiate în semestrul I.",
	"Riscurile compartimentului nu au fost revizuite la termenul stabilit.",
}

// audits fills the internal audit programme of every year of the profile
// with its audits (planned, conducted by auditors of the roster, their
// findings raising nonconformities that the quality office follows up,
// their reports), and one management review a year.
func (g *gen) audits(ctx context.Context) error {
	if err := g.auditProgrammes(ctx); err != nil {
		return err
	}
	return g.reviews(ctx)
}

func (g *gen) auditProgrammes(ctx context.Context) error {
	r := g.rng("audits")
	existing, err := g.count(ctx, `SELECT COUNT(*) FROM internal_audits WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return err
	}
	need := g.p.Audits - existing
	if need <= 0 || len(g.units) == 0 || len(g.people) < 2 {
		return nil
	}
	first, cur := g.years()
	var years []int // the years without a programme yet
	for y := first; y <= cur; y++ {
		n, err := g.count(ctx, `SELECT COUNT(*) FROM audit_programmes WHERE tenant_id = $1 AND year = $2`, g.tenant, y)
		if err != nil {
			return err
		}
		if n == 0 {
			years = append(years, y)
		}
	}
	if len(years) == 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	ws := &work.Service{DB: g.db, Clock: clk}
	imp := &improvement.Service{DB: g.db, Clock: clk, Work: ws}
	svc := &audits.Service{DB: g.db, Clock: clk, Work: ws, Improve: imp}

	// The auditor register: the people already in it and some more of the
	// roster, registered when the history starts.
	var auditors []personRef
	taken := map[int64]bool{}
	rows, err := g.db.R.QueryContext(ctx, `SELECT person_id FROM auditors WHERE tenant_id = $1 AND active ORDER BY id`, g.tenant)
	if err != nil {
		return fmt.Errorf("cannot read the auditors: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		taken[id] = true
	}
	rows.Close()
	for _, p := range g.people {
		if taken[p.ID] {
			auditors = append(auditors, p)
		}
	}
	want := max(3, g.p.Audits/15)
	clk.Set(time.Date(years[0], time.January, 8, 9, 0, 0, 0, time.UTC))
	for tries := 0; len(auditors) < want && tries < 10*want; tries++ {
		p := pick(r, g.people)
		if taken[p.ID] || p.UserID == 0 {
			continue
		}
		taken[p.ID] = true
		if _, err := svc.RegisterAuditor(ctx, g.actor, audits.AuditorInput{PersonID: p.ID, Active: true}); err != nil {
			return fmt.Errorf("cannot register the auditor %s: %w", p.Name, err)
		}
		auditors = append(auditors, p)
	}
	if len(auditors) < 2 {
		return nil
	}
	lastOf := map[int64]int64{}
	for k, y := range years {
		n := share(need, k, len(years))
		if n == 0 {
			continue // a small institution does not audit every year
		}
		clk.Set(g.before(time.Date(y, time.January, 15, 9, 0, 0, 0, time.UTC), 4*time.Hour))
		if _, err := svc.CreateProgramme(ctx, g.actor, y, "Programul anual de audit intern, aprobat prin dispoziția primarului. Toate procesele sistemului se auditează cel puțin o dată în ciclul de certificare."); err != nil {
			return fmt.Errorf("cannot create the audit programme of %d: %w", y, err)
		}
		type plan struct {
			item  int64
			unit  unitRef
			subj  auditSubject
			month int
		}
		plans := make([]plan, n)
		for i := range plans {
			pl := plan{subj: pick(r, auditSubjects), month: 2 + i*10/max(1, n)}
			// A unit some auditor may audit (not their own, nor above it);
			// failing that, the process across the institution.
			for range 20 {
				if u := pick(r, g.units); len(g.freeAuditors(auditors, u.ID)) > 0 {
					pl.unit = u
					break
				}
			}
			it, err := svc.AddProgrammeItem(ctx, g.actor, y, audits.ProgrammeItemInput{UnitID: pl.unit.ID, Process: pl.subj.process, Month: pl.month, Clauses: pl.subj.clauses})
			if err != nil {
				return fmt.Errorf("cannot plan an audit of %d: %w", y, err)
			}
			pl.item = it.ID
			plans[i] = pl
		}
		clk.Set(g.before(time.Date(y, time.January, 20, 9, 0, 0, 0, time.UTC), 3*time.Hour))
		prog, err := svc.Programme(ctx, g.actor, y)
		if err != nil {
			return err
		}
		if _, err := svc.StepProgramme(ctx, g.actor, y, audits.ProgrammeStepInput{Action: audits.ActApprove, Version: prog.Version}); err != nil {
			return fmt.Errorf("cannot approve the audit programme of %d: %w", y, err)
		}
		approved := clk.Now()
		for _, pl := range plans {
			free := g.freeAuditors(auditors, pl.unit.ID)
			lead := pick(r, free)
			if err := g.playAudit(ctx, r, svc, imp, clk, y, pl.item, pl.unit, pl.subj, pl.month, lead, free, approved, lastOf); err != nil {
				return err
			}
			g.add("audits", 1)
		}
	}
	return nil
}

// freeAuditors returns the auditors who may audit unit: auditors do not
// audit their own unit nor a unit above it.
func (g *gen) freeAuditors(auditors []personRef, unit int64) []personRef {
	var free []personRef
	for _, a := range auditors {
		if !g.within(a.UnitID, unit) {
			free = append(free, a)
		}
	}
	return free
}

// within reports whether unit is top or one of the units under it.
func (g *gen) within(unit, top int64) bool {
	parent := map[int64]int64{}
	for _, u := range g.units {
		parent[u.ID] = u.ParentID
	}
	for seen := 0; unit != 0 && seen <= len(g.units); seen++ {
		if unit == top {
			return true
		}
		unit = parent[unit]
	}
	return false
}

// playAudit plans one audit and carries it as far as today allows, as the
// demo's audits are: started on its first day, the checklist filled and
// findings recorded, the fieldwork finished, the report issued.
func (g *gen) playAudit(ctx context.Context, r *rand.Rand, svc *audits.Service, imp *improvement.Service, clk *clock.Fixed, y int, item int64,
	u unitRef, subj auditSubject, month int, lead personRef, auditors []personRef, approved time.Time, lastOf map[int64]int64) error {
	start := time.Date(y, time.Month(month), 3+r.IntN(20), 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 0, 1+r.IntN(2))
	planAt := start.AddDate(0, 0, -21).Add(9 * time.Hour)
	if planAt.Before(approved) {
		planAt = approved.Add(time.Hour)
	}
	if !planAt.Before(g.now) {
		planAt = g.now.Add(-time.Hour)
	}
	clk.Set(planAt)
	auditees := "conducătorul compartimentului"
	if hs := g.inUnit(u.ID); len(hs) > 0 {
		auditees = hs[0].Name
	}
	title := "Auditul procesului „" + subj.process + "” la " + u.Name
	if u.ID == 0 {
		title = "Auditul procesului „" + subj.process + "” la nivelul instituției"
	}
	in := audits.PlanInput{ItemID: item, Title: title, UnitID: u.ID, Process: subj.process, Scope: subj.process + ", activitatea din ultimele 12 luni.",
		Criteria: "SR EN ISO 9001:2015; procedurile de sistem și operaționale în vigoare; legislația aplicabilă.", Clauses: subj.clauses, LeadID: lead.ID,
		Auditees: auditees, StartOn: day(start), EndOn: day(end), PreviousID: lastOf[u.ID]}
	if second := pick(r, auditors); second.ID != lead.ID {
		in.Team = []int64{second.ID}
	}
	x, err := svc.Create(ctx, g.actor, in)
	if err != nil {
		return fmt.Errorf("cannot plan the audit %q: %w", title, err)
	}
	lastOf[u.ID] = x.ID
	if _, err := svc.Generate(ctx, g.actor, x.ID); err != nil {
		return fmt.Errorf("cannot generate the checklist of %s: %w", x.Code, err)
	}
	la := g.personActor(lead, auth.RoleAuditor)
	startAt := start.Add(7 * time.Hour)
	if !startAt.Before(g.now) {
		return nil // planned
	}
	clk.Set(startAt)
	if x, err = svc.Step(ctx, la, x.ID, audits.StepInput{Action: audits.ActStart, Version: x.Version}); err != nil {
		return fmt.Errorf("cannot start the audit %s: %w", x.Code, err)
	}
	items, err := svc.Checklist(ctx, la, x.ID)
	if err != nil {
		return err
	}
	clk.Set(g.before(start.Add(13*time.Hour), 30*time.Minute))
	endAt := end.Add(15 * time.Hour)
	over := endAt.Before(g.now)
	n := len(items)
	if !over {
		n /= 2
	}
	// Findings: none in a third of the audits, one or two in the rest.
	type found struct {
		kind, clause string
		item         int64
	}
	var findings []found
	var ups []audits.ItemUpdate
	for k, it := range items[:n] {
		up := audits.ItemUpdate{ID: it.ID, Question: it.Question, Verdict: audits.VerdictConform, Version: it.Version,
			Evidence: fmt.Sprintf("Verificat prin eșantionare: %d dosare; interviu cu persoanele auditate.", 5+k%4*5)}
		if len(findings) < 2 && it.Clause != "" && r.IntN(6) == 0 {
			kind := pick(r, []string{audits.FindingMinor, audits.FindingMinor, audits.FindingObservation, audits.FindingOpportunity, audits.FindingMajor})
			up.Verdict, up.Evidence = kind, "Vezi constatarea înregistrată pentru această cerință."
			findings = append(findings, found{kind, it.Clause, it.ID})
		}
		ups = append(ups, up)
	}
	if len(ups) > 0 {
		if _, err := svc.SaveItems(ctx, la, x.ID, ups); err != nil {
			return fmt.Errorf("cannot fill the checklist of %s: %w", x.Code, err)
		}
	}
	for _, f := range findings {
		fd, err := svc.RecordFinding(ctx, la, x.ID, audits.FindingInput{Kind: f.kind, Clause: f.clause, Requirement: "Cerința clauzei " + f.clause + " a standardului.",
			Evidence: pick(r, findingEvidence), ItemID: f.item})
		if err != nil {
			return fmt.Errorf("cannot record a finding of %s: %w", x.Code, err)
		}
		g.add("audit findings", 1)
		if fd.NCID == 0 {
			continue
		}
		// The quality office follows the case up: past years' cases to
		// their effectiveness check, this year's as far as they got.
		nc, err := imp.Nonconformity(ctx, g.actor, fd.NCID)
		if err != nil {
			return err
		}
		stage := 6
		if y == g.now.Year() {
			stage = pick(r, []int{0, 1, 2, 3, 3, 4, 6})
		}
		owner := g.ownerIn(r, u.ID)
		back := clk.Now()
		err = g.tx(ctx, func(tx *sql.Tx) error {
			return g.advanceNC(ctx, tx, r, imp, clk, nc, pick(r, ncTopics), owner, lead, back, stage)
		})
		if err != nil {
			return fmt.Errorf("cannot follow up the case of %s: %w", x.Code, err)
		}
		clk.Set(back)
	}
	if !over {
		return nil // under way
	}
	clk.Set(endAt)
	if x, err = svc.Audit(ctx, la, x.ID); err != nil {
		return err
	}
	if x, err = svc.Step(ctx, la, x.ID, audits.StepInput{Action: audits.ActFinish, Version: x.Version}); err != nil {
		return fmt.Errorf("cannot finish the audit %s: %w", x.Code, err)
	}
	reportAt := end.AddDate(0, 0, 4).Add(11 * time.Hour)
	if !reportAt.Before(g.now) {
		return nil // the report is being written
	}
	clk.Set(reportAt)
	conclusions := "Procesul este implementat și menținut; cerințele auditate sunt îndeplinite."
	if len(findings) > 0 {
		conclusions = fmt.Sprintf("Procesul este implementat și menținut. Au fost înregistrate %d constatări, urmărite în registrul neconformităților.", len(findings))
	}
	if x, err = svc.SaveReport(ctx, la, x.ID, audits.ReportInput{Summary: "Auditul s-a desfășurat conform planului.", Conclusions: conclusions,
		Distribution: "Primar; conducătorul compartimentului auditat; responsabilul cu managementul calității", Version: x.Version}); err != nil {
		return fmt.Errorf("cannot write the report of %s: %w", x.Code, err)
	}
	if _, err = svc.Step(ctx, la, x.ID, audits.StepInput{Action: audits.ActClose, Version: x.Version}); err != nil {
		return fmt.Errorf("cannot close the audit %s: %w", x.Code, err)
	}
	return nil
}

var reviewDecisions = []reviews.DecisionInput{
	{Category: reviews.DecisionImprovement, Input: "satisfaction", Text: "Se extinde chestionarul de satisfacție a cetățenilor la toate ghișeele, cu raportare semestrială."},
	{Category: reviews.DecisionChange, Input: "processes", Text: "Se revizuiesc procedurile proceselor cu neconformități repetate în anul analizat."},
	{Category: reviews.DecisionResources, Input: "resources", Text: "Se suplimentează personalul compartimentelor cu cele mai multe cereri, prin transformarea posturilor vacante."},
	{Category: reviews.DecisionImprovement, Input: "risks", Text: "Riscurile peste toleranță se analizează trimestrial în ședința conducerii."},
	{Category: reviews.DecisionImprovement, Input: "nonconformities", Text: "Acțiunile corective întârziate se raportează lunar conducătorilor de compartimente."},
}

// reviews holds one management review a year, in December, for the years
// that have none: planned, its inputs compiled from the registers, held,
// its decisions and actions recorded and closed; this year's prepared.
func (g *gen) reviews(ctx context.Context) error {
	r := g.rng("reviews")
	clk := clock.NewFixed(g.now)
	svc := &reviews.Service{DB: g.db, Clock: clk, Work: &work.Service{DB: g.db, Clock: clk}}
	first, cur := g.years()
	var chair personRef
	var heads []personRef
	for _, p := range g.people {
		if p.Management {
			if p.UnitID == 0 && chair.ID == 0 {
				chair = p
			}
			heads = append(heads, p)
		}
	}
	if len(heads) == 0 {
		heads = g.people
	}
	if chair.ID == 0 {
		chair = heads[0]
	}
	var participants []int64
	for _, p := range heads[:min(len(heads), 8)] {
		if p.ID != chair.ID {
			participants = append(participants, p.ID)
		}
	}
	for y := first; y <= cur; y++ {
		n, err := g.count(ctx, `SELECT COUNT(*) FROM reviews WHERE tenant_id = $1 AND year = $2`, g.tenant, y)
		if err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		planAt := g.before(time.Date(y, time.November, 20, 8, 0, 0, 0, time.UTC), 3*time.Hour)
		clk.Set(planAt)
		meeting := time.Date(y, time.December, 15, 0, 0, 0, 0, time.UTC)
		rv, err := svc.Create(ctx, g.actor, reviews.Input{Title: fmt.Sprintf("Analiza efectuată de management pentru anul %d", y),
			PeriodFrom: fmt.Sprintf("%d-01-01", y), PeriodTo: fmt.Sprintf("%d-12-31", y), MeetingOn: day(meeting),
			Place: "Sala de ședințe a primăriei", ChairID: chair.ID, Participants: participants})
		if err != nil {
			return fmt.Errorf("cannot plan the review of %d: %w", y, err)
		}
		g.add("management reviews", 1)
		clk.Set(g.before(time.Date(y, time.December, 8, 8, 0, 0, 0, time.UTC), 2*time.Hour))
		if rv, err = svc.Compile(ctx, g.actor, rv.ID, rv.Version); err != nil {
			return fmt.Errorf("cannot compile the review of %d: %w", y, err)
		}
		heldAt := meeting.Add(11 * time.Hour)
		if !heldAt.Before(g.now) {
			continue // prepared, not held yet
		}
		clk.Set(heldAt)
		if rv, err = svc.Step(ctx, g.actor, rv.ID, reviews.StepInput{Action: reviews.ActHold, HeldOn: day(meeting), Version: rv.Version}); err != nil {
			return fmt.Errorf("cannot hold the review of %d: %w", y, err)
		}
		in := reviews.Input{Title: rv.Title, PeriodFrom: rv.PeriodFrom, PeriodTo: rv.PeriodTo, MeetingOn: rv.MeetingOn, Place: rv.Place, ChairID: rv.ChairID,
			Participants: participants, Version: rv.Version,
			Conclusion: "Sistemul de management al calității este adecvat, corespunzător și eficace; se stabilesc îmbunătățirile de mai jos."}
		if rv, err = svc.Update(ctx, g.actor, rv.ID, in); err != nil {
			return fmt.Errorf("cannot conclude the review of %d: %w", y, err)
		}
		var acts []reviews.Action
		for _, k := range r.Perm(len(reviewDecisions))[:2+r.IntN(2)] {
			d := reviewDecisions[k]
			dec, err := svc.AddDecision(ctx, g.actor, rv.ID, d)
			if err != nil {
				return fmt.Errorf("cannot record a decision of %d: %w", y, err)
			}
			owner := pick(r, heads)
			x, err := svc.AddAction(ctx, g.actor, rv.ID, reviews.ActionInput{DecisionID: dec.ID, Description: d.Text, OwnerID: owner.ID,
				DueOn: day(meeting.AddDate(0, 2+r.IntN(6), 0))})
			if err != nil {
				return fmt.Errorf("cannot record an action of %d: %w", y, err)
			}
			acts = append(acts, x)
		}
		clk.Set(g.before(meeting.AddDate(0, 0, 7).Add(9*time.Hour), time.Hour))
		if _, err := svc.Step(ctx, g.actor, rv.ID, reviews.StepInput{Action: reviews.ActClose, Version: rv.Version}); err != nil {
			return fmt.Errorf("cannot close the review of %d: %w", y, err)
		}
		// Most actions are carried out a week before they are due.
		for _, x := range acts {
			due, _ := time.Parse(time.DateOnly, x.DueOn)
			doneAt := due.AddDate(0, 0, -7).Add(10 * time.Hour)
			if !doneAt.Before(g.now) || r.IntN(8) == 0 {
				continue
			}
			clk.Set(doneAt)
			if _, err := svc.CompleteAction(ctx, g.actor, rv.ID, x.ID, reviews.DoneInput{Note: "Realizată; dovezile sunt la dosarul analizei.", Version: x.Version}); err != nil {
				return fmt.Errorf("cannot complete an action of the review of %d: %w", y, err)
			}
		}
	}
	return nil
}
