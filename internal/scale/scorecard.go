package scale

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/control"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/risks"
	"cadran/internal/scorecard"
	"cadran/internal/training"
	"cadran/internal/work"
)

// scBundle is the message catalogue the notices of generated tasks are
// written from, loaded once.
var scBundle = sync.OnceValue(i18n.MustLoad)

// workOn returns the inbox on a clock, with its notices, as the server
// wires it.
func (g *gen) workOn(clk clock.Clock) *work.Service {
	return &work.Service{DB: g.db, Clock: clk, Notify: &notify.Service{DB: g.db, Clock: clk, Bundle: scBundle()}}
}

// actorOf acts as a person through their user.
func (g *gen) actorOf(p personRef, role auth.Role) auth.Actor {
	return auth.Actor{UserID: p.UserID, Tenant: g.tenant, Name: p.Name, PersonID: p.ID, Roles: []auth.Role{role}, Locale: "ro"}
}

// scDay is 09:00 in Bucharest (07:00 UTC) of t's date, plus minutes.
func scDay(t time.Time, minutes int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 7, minutes, 0, 0, time.UTC)
}

// setAt sets a step's clock, never later than an hour before today's now.
func (g *gen) setAt(clk *clock.Fixed, t time.Time) {
	if limit := g.now.Add(-time.Hour); t.After(limit) {
		t = limit
	}
	clk.Set(t)
}

// scObjectiveSpecs are the institution's strategic objectives by
// perspective, bottom of the map (learning) last.
var scObjectiveSpecs = map[string][]struct{ title, desc string }{
	scorecard.PerspectiveCitizens: {
		{"Creșterea satisfacției cetățenilor față de serviciile publice", "Servicii mai rapide și mai prietenoase la ghișeu și online, măsurate prin sondaje anuale și reclamații."},
		{"Reducerea timpului de soluționare a cererilor și petițiilor", "Termene mai scurte decât cele legale pentru certificate, autorizații și răspunsuri la petiții."},
		{"Creșterea transparenței decizionale și a accesului la informații publice", "Publicarea la timp a proiectelor de hotărâri, a contractelor și a datelor deschise."},
		{"Îmbunătățirea calității mediului urban și a spațiilor publice", "Spații verzi îngrijite, salubrizare eficientă și drumuri întreținute."},
		{"Extinderea serviciilor sociale pentru persoanele vulnerabile", "Acoperirea nevoilor vârstnicilor, persoanelor cu dizabilități și familiilor în dificultate."},
	},
	scorecard.PerspectiveFinancial: {
		{"Creșterea gradului de colectare a veniturilor proprii", "Colectarea impozitelor și taxelor locale la termen și reducerea arieratelor."},
		{"Atragerea de fonduri europene și guvernamentale nerambursabile", "Proiecte depuse și contractate pe programele de finanțare disponibile."},
		{"Utilizarea eficientă și transparentă a bugetului local", "Execuția bugetară conform planificării și costuri mai mici pe serviciu prestat."},
		{"Reducerea costurilor de funcționare ale instituției", "Economii la energie, consumabile și chirii prin digitalizare și eficiență energetică."},
	},
	scorecard.PerspectiveProcesses: {
		{"Digitalizarea serviciilor publice și a fluxurilor interne", "Depunerea online a cererilor, plata electronică și circulația documentelor în format electronic."},
		{"Standardizarea proceselor prin proceduri operaționale actualizate", "Proceduri documentate, cunoscute și aplicate pentru toate activitățile procedurabile."},
		{"Reducerea neconformităților în procesele-cheie", "Analiza cauzelor și acțiuni corective eficace pentru neconformitățile constatate."},
		{"Gestionarea eficace a riscurilor", "Riscuri identificate, evaluate și tratate la nivelul fiecărui compartiment."},
		{"Eficientizarea achizițiilor publice", "Achiziții planificate, derulate la termen și fără contestații admise."},
	},
	scorecard.PerspectiveLearning: {
		{"Dezvoltarea competențelor profesionale ale personalului", "Instruire planificată pe baza nevoilor identificate la evaluarea anuală."},
		{"Creșterea motivației și a satisfacției angajaților", "Recunoașterea performanței, comunicare internă bună și condiții de lucru adecvate."},
		{"Modernizarea infrastructurii informatice", "Echipamente și aplicații actualizate, securitatea informațiilor asigurată."},
		{"Consolidarea culturii calității și a integrității", "Personal implicat în îmbunătățire, cod etic cunoscut și respectat."},
	},
}

// scKPISpec is a kind of KPI each unit may keep: its level at the start of
// the ten years, the level its targets aim at by the end, and how its
// values wander.
type scKPISpec struct {
	persp, name, unit, source, process string
	polarity                           string
	from, to                           float64
	noise, season                      float64
	decimals                           int
	freq                               string
}

var scKPISpecs = []scKPISpec{
	{scorecard.PerspectiveCitizens, "Petiții soluționate în termenul legal", "%", "Registrul de petiții", "Soluționarea petițiilor", scorecard.PolarityHigher, 82, 98, 2.5, 1.5, 1, scorecard.Monthly},
	{scorecard.PerspectiveCitizens, "Durata medie de eliberare a certificatelor", "zile", "Registratura generală", "Eliberarea actelor", scorecard.PolarityLower, 21, 9, 1.6, 1.2, 1, scorecard.Monthly},
	{scorecard.PerspectiveCitizens, "Reclamații justificate ale cetățenilor", "nr.", "Registrul de reclamații", "Relația cu cetățenii", scorecard.PolarityLower, 14, 4, 2.2, 1.5, 0, scorecard.Monthly},
	{scorecard.PerspectiveCitizens, "Cereri depuse online din totalul cererilor", "%", "Platforma de servicii online", "Servicii electronice", scorecard.PolarityHigher, 8, 65, 3, 1, 1, scorecard.Monthly},
	{scorecard.PerspectiveCitizens, "Timpul mediu de așteptare la ghișeu", "minute", "Sistemul de ordine la ghișeu", "Relația cu cetățenii", scorecard.PolarityLower, 28, 10, 2.5, 3, 1, scorecard.Monthly},
	{scorecard.PerspectiveCitizens, "Satisfacția cetățenilor față de serviciile primite", "%", "Chestionarele de satisfacție", "Evaluarea satisfacției", scorecard.PolarityHigher, 64, 85, 3, 0, 1, scorecard.Quarterly},
	{scorecard.PerspectiveCitizens, "Răspunsuri la cererile de informații publice în 10 zile", "%", "Registrul Legii 544/2001", "Informații de interes public", scorecard.PolarityHigher, 85, 99, 2, 0.5, 1, scorecard.Monthly},
	{scorecard.PerspectiveFinancial, "Gradul de colectare a impozitelor și taxelor locale", "%", "Evidența fiscală", "Colectarea veniturilor", scorecard.PolarityHigher, 68, 92, 2, 9, 1, scorecard.Monthly},
	{scorecard.PerspectiveFinancial, "Execuția bugetului de cheltuieli față de plan", "%", "Contul de execuție bugetară", "Execuția bugetară", scorecard.PolarityBand, 88, 97, 2.5, 2, 1, scorecard.Monthly},
	{scorecard.PerspectiveFinancial, "Arierate la bugetul local", "mii lei", "Evidența fiscală", "Colectarea veniturilor", scorecard.PolarityLower, 950, 320, 45, 60, 0, scorecard.Monthly},
	{scorecard.PerspectiveFinancial, "Valoarea fondurilor nerambursabile atrase", "mii lei", "Registrul proiectelor", "Managementul proiectelor", scorecard.PolarityHigher, 300, 2400, 180, 0, 0, scorecard.Quarterly},
	{scorecard.PerspectiveFinancial, "Consumul de energie electrică în clădirile proprii", "MWh", "Facturile furnizorului", "Administrarea patrimoniului", scorecard.PolarityLower, 62, 41, 3, 8, 1, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Documente circulate electronic", "%", "Registratura electronică", "Managementul documentelor", scorecard.PolarityHigher, 12, 80, 3, 1, 1, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Activități procedurabile acoperite de proceduri", "%", "Inventarul activităților", "Control intern managerial", scorecard.PolarityHigher, 55, 100, 1.5, 0, 1, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Neconformități închise la termen", "%", "Registrul neconformităților", "Acțiuni corective", scorecard.PolarityHigher, 60, 92, 4, 1, 1, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Acte administrative returnate pentru erori", "nr.", "Registrul de avizare", "Elaborarea actelor", scorecard.PolarityLower, 9, 2, 1.5, 0.8, 0, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Proceduri de achiziție finalizate la termen", "%", "Planul anual de achiziții", "Achiziții publice", scorecard.PolarityHigher, 70, 95, 4, 2, 1, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Riscuri cu măsuri de control implementate", "%", "Registrul riscurilor", "Managementul riscurilor", scorecard.PolarityHigher, 50, 95, 2.5, 0, 1, scorecard.Monthly},
	{scorecard.PerspectiveProcesses, "Disponibilitatea aplicațiilor informatice", "%", "Monitorizarea serverelor", "Servicii IT", scorecard.PolarityHigher, 97, 99.8, 0.4, 0.1, 2, scorecard.Monthly},
	{scorecard.PerspectiveLearning, "Angajați instruiți din totalul personalului", "%", "Registrul de instruire", "Formare profesională", scorecard.PolarityHigher, 35, 85, 4, 3, 1, scorecard.Monthly},
	{scorecard.PerspectiveLearning, "Ore de formare pe angajat", "ore", "Registrul de instruire", "Formare profesională", scorecard.PolarityHigher, 4, 16, 2, 1.5, 1, scorecard.Quarterly},
	{scorecard.PerspectiveLearning, "Fluctuația personalului", "%", "Evidența resurselor umane", "Managementul resurselor umane", scorecard.PolarityLower, 9, 4, 0.8, 0.3, 1, scorecard.Monthly},
	{scorecard.PerspectiveLearning, "Propuneri de îmbunătățire depuse de angajați", "nr.", "Registrul propunerilor", "Îmbunătățire continuă", scorecard.PolarityHigher, 1, 6, 1.2, 0.5, 0, scorecard.Monthly},
	{scorecard.PerspectiveLearning, "Satisfacția angajaților", "%", "Sondajul anual de satisfacție", "Managementul resurselor umane", scorecard.PolarityHigher, 58, 80, 2.5, 0, 1, scorecard.Yearly},
	{scorecard.PerspectiveLearning, "Posturi vacante ocupate prin concurs în 90 de zile", "%", "Evidența concursurilor", "Recrutare", scorecard.PolarityHigher, 45, 80, 6, 0, 1, scorecard.HalfYearly},
}

// scRedWhys explain a value in the red, as the owners write them.
var scRedWhys = []string{
	"Volum de lucru peste medie în perioada raportată; două posturi vacante în compartiment.",
	"Întârzieri cauzate de actualizarea aplicației informatice; situația s-a remediat în luna următoare.",
	"Concediile de odihnă din vară au redus capacitatea de lucru a compartimentului.",
	"Modificări legislative care au cerut reluarea unor proceduri; măsurile sunt în programul de dezvoltare.",
	"Valoare sub țintă; cauzele se analizează în ședința lunară a conducerii.",
	"Număr mare de cereri depuse după termenul-limită de plată; se suplimentează personalul la ghișeu.",
	"Întreruperi ale serverului în cursul lunii; furnizorul a înlocuit echipamentul defect.",
}

// scInitiativeSpecs are the projects carrying objectives out.
var scInitiativeSpecs = []struct{ title, desc, funding string }{
	{"Implementarea ghișeului unic digital", "Depunerea online a cererilor pentru toate serviciile cu volum mare, cu plata electronică a taxelor.", "PNRR – Componenta 7"},
	{"Digitalizarea arhivei instituției", "Scanarea și indexarea documentelor din arhivă pentru consultarea electronică.", "Buget local"},
	{"Reabilitarea termică a clădirilor publice", "Izolarea și modernizarea instalațiilor clădirilor administrative pentru reducerea consumului de energie.", "POR 2021-2027"},
	{"Sistem electronic de management al documentelor", "Registratură electronică, semnătură electronică și circuit digital al documentelor.", "POCIDIF 2021-2027"},
	{"Program de instruire în managementul riscurilor", "Sesiuni pentru responsabilii cu riscurile din fiecare compartiment.", "Buget local"},
	{"Extinderea rețelei de iluminat public cu LED", "Înlocuirea corpurilor de iluminat și telegestiune.", "Fondul pentru Mediu"},
	{"Modernizarea centrului de relații cu publicul", "Sistem de ordine, program prelungit și ghișee accesibile persoanelor cu dizabilități.", "Buget local"},
	{"Implementarea sistemului de management anti-mită", "Proceduri, instruire și evaluarea riscurilor de corupție conform SNA.", "POCA"},
	{"Platformă de date deschise", "Publicarea seturilor de date ale instituției în format deschis.", "Buget local"},
	{"Evaluarea anuală a satisfacției cetățenilor", "Chestionare la ghișeu și online, cu raport publicat și plan de măsuri.", "Buget local"},
	{"Modernizarea infrastructurii de rețea și securitate informatică", "Echipamente de rețea, firewall și copii de siguranță externalizate.", "PNRR – Componenta 7"},
	{"Program de mentorat pentru angajații noi", "Fiecare angajat nou are un mentor în primele șase luni.", "Buget local"},
}

// scorecard builds the institution's Balanced Scorecard up to the
// profile's KPIs: a strategy map of objectives (institution's and units',
// some of them quality objectives) with their cause-and-effect links,
// KPIs owned by the heads of units with yearly targets, Years of values
// (written in bulk, each audited as its owner's entry), a few values of
// the last month waiting for approval, initiatives over the years, and
// today's due-value tasks.
func (g *gen) scorecard(ctx context.Context) error {
	r := g.rng("scorecard")
	var have int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecard_kpis WHERE tenant_id = $1 AND NOT archived`, g.tenant).Scan(&have); err != nil {
		return fmt.Errorf("cannot count KPIs: %w", err)
	}
	missing := g.p.KPIs - have
	if missing <= 0 || len(g.units) == 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	ws := g.workOn(clk)
	svc := &scorecard.Service{DB: g.db, Clock: clk, Work: ws, Metrics: []evidence.MetricSource{
		&documents.Service{DB: g.db, Clock: clk, Work: ws}, &risks.Service{DB: g.db, Clock: clk, Work: ws},
		&improvement.Service{DB: g.db, Clock: clk, Work: ws}, &citizen.Service{DB: g.db, Clock: clk, Work: ws},
		&training.Service{DB: g.db, Clock: clk, Work: ws}, &control.Service{DB: g.db, Clock: clk, Work: ws},
	}}
	last := scorecard.MonthOf(g.now).Prev()                      // the last month that has ended
	first := scorecard.Month(last.Year-g.p.Years, last.N).Next() // Years of months, to the last
	adopted := scDay(first.Start().AddDate(0, 0, -24), 0)
	g.setAt(clk, adopted)
	if err := svc.EnsureDefaults(ctx, g.actor); err != nil {
		return err
	}
	persp, err := svc.Perspectives(ctx, g.actor)
	if err != nil {
		return err
	}
	perspByKind := map[string]int64{}
	for _, p := range persp {
		perspByKind[p.Kind] = p.ID
	}
	heads := map[int64]personRef{}
	for _, u := range g.units {
		if ps := g.inUnit(u.ID); len(ps) > 0 && ps[0].UserID != 0 {
			heads[u.ID] = ps[0]
		}
	}
	var units []unitRef // the units with a head, who owns their KPIs
	for _, u := range g.units {
		if _, ok := heads[u.ID]; ok {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return nil
	}
	owner := func(unit int64) personRef { return heads[unit] }
	anyHead := func() personRef { return heads[pick(r, units).ID] }

	// The institution's objectives, then one per unit cascaded from them:
	// about one objective to five KPIs.
	type objRef = scObj
	existing := map[string]bool{}
	rows, err := g.db.R.QueryContext(ctx, `SELECT title FROM scorecard_objectives WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return fmt.Errorf("cannot read objectives: %w", err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read objectives: %w", err)
		}
		existing[t] = true
	}
	rows.Close()
	wantObjs := max(4, missing/5)
	byPersp := map[string][]objRef{}
	var objs []objRef
	minute := 10
	for _, kind := range scorecard.DefaultPerspectives {
		for _, o := range scObjectiveSpecs[kind] {
			if existing[o.title] || len(objs) >= max(4, wantObjs/3) {
				continue
			}
			g.setAt(clk, adopted.Add(time.Duration(minute)*time.Minute))
			minute++
			x, err := svc.CreateObjective(ctx, g.actor, scorecard.ObjectiveInput{PerspectiveID: perspByKind[kind], Title: o.title, Description: o.desc,
				OwnerID: anyHead().ID, Weight: 1, Quality: len(objs)%3 == 0})
			if err != nil {
				return fmt.Errorf("cannot create objective %q: %w", o.title, err)
			}
			ref := objRef{id: x.ID, persp: kind}
			objs = append(objs, ref)
			byPersp[kind] = append(byPersp[kind], ref)
			g.add("objectives", 1)
		}
	}
	if len(objs) == 0 {
		// Every objective of the map is there already: the KPIs go under
		// the institution's own objectives.
		rows, err := g.db.R.QueryContext(ctx, `SELECT o.id, p.kind FROM scorecard_objectives o JOIN scorecard_perspectives p ON p.id = o.perspective_id
			WHERE o.tenant_id = $1 AND o.unit_id IS NULL AND NOT o.archived AND p.kind <> '' ORDER BY o.id`, g.tenant)
		if err != nil {
			return fmt.Errorf("cannot read objectives: %w", err)
		}
		for rows.Next() {
			var o objRef
			if err := rows.Scan(&o.id, &o.persp); err != nil {
				rows.Close()
				return err
			}
			objs = append(objs, o)
			byPersp[o.persp] = append(byPersp[o.persp], o)
		}
		rows.Close()
	}
	// Cause and effect: each objective drives one above it on the map.
	g.setAt(clk, adopted.Add(time.Hour))
	for i := len(scorecard.DefaultPerspectives) - 1; i > 0; i-- {
		above := byPersp[scorecard.DefaultPerspectives[i-1]]
		for j, o := range byPersp[scorecard.DefaultPerspectives[i]] {
			if len(above) == 0 || o.unit != 0 {
				continue
			}
			to := above[j%len(above)]
			if err := svc.AddLink(ctx, g.actor, scorecard.Link{FromID: o.id, ToID: to.id, Note: "Contribuie la realizarea obiectivului"}); err != nil {
				return fmt.Errorf("cannot link objectives: %w", err)
			}
		}
	}
	instObjs := append([]objRef(nil), objs...)
	for i := 0; len(objs) < wantObjs && len(instObjs) > 0; i++ {
		u := units[i%len(units)]
		parent := instObjs[r.IntN(len(instObjs))]
		spec := scObjectiveSpecs[parent.persp][r.IntN(len(scObjectiveSpecs[parent.persp]))]
		title := spec.title + " (" + u.Name + ")"
		if existing[title] {
			continue
		}
		existing[title] = true
		g.setAt(clk, adopted.Add(time.Duration(minute)*time.Minute))
		minute++
		x, err := svc.CreateObjective(ctx, g.actor, scorecard.ObjectiveInput{PerspectiveID: perspByKind[parent.persp], UnitID: u.ID, ParentID: parent.id,
			Title: title, Description: spec.desc, OwnerID: owner(u.ID).ID, Weight: 1, Quality: r.IntN(4) == 0})
		if err != nil {
			return fmt.Errorf("cannot create objective %q: %w", title, err)
		}
		objs = append(objs, objRef{id: x.ID, unit: u.ID, persp: parent.persp})
		g.add("objectives", 1)
	}
	objsOf := map[string][]objRef{}
	for _, o := range objs {
		objsOf[o.persp] = append(objsOf[o.persp], o)
	}

	// The KPIs, the day after, with their targets; then their values.
	type made struct {
		kpi     scorecard.KPI
		spec    scKPISpec
		owner   personRef
		targets []scorecard.Target
		pace    float64 // how fast it really improves, 1 on plan
		phase   float64
	}
	var kpis []made
	years := last.Year - first.Year + 1
	for i := range missing {
		spec := scKPISpecs[r.IntN(len(scKPISpecs))]
		if spec.freq != scorecard.Monthly && r.IntN(3) > 0 {
			// Most KPIs are monthly: draw again among them.
			for spec.freq != scorecard.Monthly {
				spec = scKPISpecs[r.IntN(len(scKPISpecs))]
			}
		}
		u := units[i%len(units)]
		cands := objsOf[spec.persp]
		var obj objRef
		for _, o := range cands {
			if o.unit == u.ID {
				obj = o
			}
		}
		if obj.id == 0 && len(cands) > 0 {
			obj = cands[r.IntN(len(cands))]
		}
		span := spec.to - spec.from
		base := spec.from
		var red, redHigh *float64
		switch spec.polarity {
		case scorecard.PolarityLower:
			red = scPtr(max(scRound(spec.from+0.05*math.Abs(span), spec.decimals), scRound(spec.from, spec.decimals)+math.Pow(10, -float64(spec.decimals))))
		case scorecard.PolarityBand:
			red, redHigh = scPtr(spec.from-8), scPtr(min(spec.to+6, 110))
			base = spec.from - 10
		default:
			red = scPtr(min(scRound(spec.from-0.05*math.Abs(span), spec.decimals), scRound(spec.from, spec.decimals)-math.Pow(10, -float64(spec.decimals))))
		}
		if spec.unit == "%" && *red < 0 {
			red = scPtr(0)
		}
		method := scorecard.MethodLinear
		if r.IntN(5) == 0 || spec.polarity == scorecard.PolarityBand {
			method = scorecard.MethodBands
		}
		o := owner(u.ID)
		g.setAt(clk, adopted.AddDate(0, 0, 1).Add(time.Duration(i)*20*time.Second))
		k, err := svc.CreateKPI(ctx, g.actor, scorecard.KPIInput{Name: spec.name + " – " + u.Name, MeasureUnit: spec.unit, Polarity: spec.polarity,
			Method: method, Frequency: spec.freq, Baseline: scPtr(base), Red: red, RedHigh: redHigh, Decimals: spec.decimals, OwnerID: o.ID,
			DataSource: spec.source, ObjectiveID: obj.id, UnitID: u.ID, Process: spec.process, Weight: 1,
			Description: "Indicator al compartimentului " + u.Name + ", raportat de șeful compartimentului."})
		if err != nil {
			return fmt.Errorf("cannot create KPI %q: %w", spec.name, err)
		}
		var ts []scorecard.Target
		for y := range years {
			frac := math.Min(1, (float64(y)+0.4)/float64(years))
			t := scorecard.Target{Period: fmt.Sprintf("%04d", first.Year+y), Value: scRound(spec.from+span*frac, spec.decimals)}
			if spec.polarity == scorecard.PolarityBand {
				t.Value = spec.from
				t.High = scPtr(spec.to)
			}
			ts = append(ts, t)
		}
		if err := svc.SetTargets(ctx, g.actor, k.ID, k.Version, ts); err != nil {
			return fmt.Errorf("cannot set the targets of %s: %w", k.Code, err)
		}
		kpis = append(kpis, made{kpi: k, spec: spec, owner: o, targets: ts, pace: 0.9 + 0.4*r.Float64(), phase: r.Float64() * 2 * math.Pi})
		g.add("KPIs", 1)
	}

	// The values: each period's a few days after it ends, by its owner.
	// The last month's is missing for some (their owners get the task)
	// and was entered by a colleague for a few (waiting for approval).
	var vals []scorecard.PastValue
	type pending struct {
		k     made
		p     scorecard.Period
		v     float64
		why   string
		clerk personRef
	}
	var waiting []pending
	for _, m := range kpis {
		spec := m.spec
		span := spec.to - spec.from
		lastP := scorecard.LatestEnded(spec.freq, last)
		periods := scorecard.Range(spec.freq, first.Start(), lastP.Last())
		day := 2 + r.IntN(8)
		skipLast := r.IntN(12) == 0
		colleague := r.IntN(30) == 0
		for i, p := range periods {
			frac := float64(i+1) / float64(len(periods))
			v := spec.from + span*math.Min(1.1, frac*m.pace)
			if spec.polarity == scorecard.PolarityBand {
				v = (spec.from+spec.to)/2 + span*0.1*math.Sin(float64(i))
			}
			v += spec.season*math.Sin(2*math.Pi*float64(p.Start().Month()-1)/12+m.phase) + spec.noise*r.NormFloat64()
			if r.IntN(25) == 0 {
				v -= 0.6 * span // a bad period
			}
			v = scRound(v, spec.decimals)
			if v < 0 {
				v = 0
			}
			if spec.unit == "%" && v > 100 {
				v = 100
			}
			why := ""
			if t, ok := scorecard.TargetFor(m.targets, p); ok && m.kpi.Rule().Evaluate(v, t).Status == scorecard.StatusRed {
				why = scRedWhys[r.IntN(len(scRedWhys))]
			}
			if i == len(periods)-1 {
				if skipLast {
					continue
				}
				if colleague {
					if staff := g.inUnit(m.kpi.UnitID); len(staff) > 1 {
						waiting = append(waiting, pending{k: m, p: p, v: v, why: why, clerk: staff[1+r.IntN(len(staff)-1)]})
						continue
					}
				}
			}
			at := scDay(p.End().AddDate(0, 0, day-1), r.IntN(480))
			if limit := g.now.Add(-time.Hour); at.After(limit) {
				at = limit
			}
			vals = append(vals, scorecard.PastValue{KPI: m.kpi, Period: p, Value: v, Explanation: why, By: g.actorOf(m.owner, auth.RoleHeadOfUnit), At: at})
		}
	}
	// In the order they were entered, as the audit trail would have them.
	scSortByAt(vals)
	err = g.tx(ctx, func(tx *sql.Tx) error {
		rec, err := g.auditBatch(ctx, tx)
		if err != nil {
			return err
		}
		if err := scorecard.RecordPastTx(ctx, tx, g.db.Engine, rec, g.tenant, vals); err != nil {
			return err
		}
		return rec.Close(ctx)
	})
	if err != nil {
		return err
	}
	g.add("KPI values", len(vals))
	for _, w := range waiting {
		g.setAt(clk, scDay(w.p.End().AddDate(0, 0, 3), 30))
		if _, err := svc.Record(ctx, g.actorOf(w.clerk, auth.RoleEmployee), scorecard.SourceManual,
			[]scorecard.Entry{{KPIID: w.k.kpi.ID, Period: w.p.Key(), Value: w.v, Explanation: w.why}}); err != nil {
			return fmt.Errorf("cannot enter a value of %s: %w", w.k.kpi.Code, err)
		}
		g.add("KPI values", 1)
	}

	if err := g.scInitiatives(ctx, r, svc, clk, first, objs, units, owner); err != nil {
		return err
	}
	// Today: the due-value tasks go out.
	clk.Set(g.now)
	if _, err := svc.Refresh(ctx, g.actor, g.now); err != nil {
		return fmt.Errorf("cannot refresh the scorecard: %w", err)
	}
	return nil
}

// scObj is an objective the KPIs and initiatives go under.
type scObj struct {
	id, unit int64
	persp    string
}

// scInitiatives adds about one initiative to ten KPIs over the years, each
// created some weeks before it starts and brought to its state: those
// that ended done (a few cancelled), those under way, a few planned.
func (g *gen) scInitiatives(ctx context.Context, r *rand.Rand, svc *scorecard.Service, clk *clock.Fixed, first scorecard.Period,
	objs []scObj, units []unitRef, owner func(int64) personRef) error {
	var have int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecard_initiatives WHERE tenant_id = $1`, g.tenant).Scan(&have); err != nil {
		return fmt.Errorf("cannot count initiatives: %w", err)
	}
	want := max(2, g.p.KPIs/10) - have
	if len(objs) == 0 {
		return nil
	}
	today := work.Day(g.now)
	months := int(today.Sub(first.Start()).Hours()/24/30.44) + 3
	for i := range want {
		spec := scInitiativeSpecs[i%len(scInitiativeSpecs)]
		o := objs[r.IntN(len(objs))]
		unit := o.unit
		if unit == 0 {
			unit = units[r.IntN(len(units))].ID
		}
		start := first.Start().AddDate(0, i*months/max(want, 1), r.IntN(20))
		end := start.AddDate(0, 6+r.IntN(25), 0).AddDate(0, 0, -1)
		created := scDay(start.AddDate(0, 0, -20), 60+i%60)
		state := scorecard.InitiativeOngoing
		switch {
		case start.After(today):
			state = scorecard.InitiativePlanned
			created = scDay(today.AddDate(0, 0, -1-r.IntN(30)), 60+i%60)
		case end.Before(today) && r.IntN(10) == 0:
			state = scorecard.InitiativeCancelled
		case end.Before(today):
			state = scorecard.InitiativeDone
		}
		ids := []int64{o.id}
		if x := objs[r.IntN(len(objs))]; x.id != o.id && r.IntN(3) == 0 {
			ids = append(ids, x.id)
		}
		budget := float64(20+r.IntN(400)) * 5000
		title := spec.title
		if stage := i / len(scInitiativeSpecs); stage > 0 {
			title = fmt.Sprintf("%s – etapa %d", spec.title, stage+1)
		}
		in := scorecard.InitiativeInput{Title: title, Description: spec.desc, OwnerID: owner(unit).ID, UnitID: unit, ObjectiveIDs: ids,
			Budget: budget, StartOn: start.Format(time.DateOnly), EndOn: end.Format(time.DateOnly), State: scorecard.InitiativePlanned, Funding: spec.funding}
		g.setAt(clk, created)
		x, err := svc.CreateInitiative(ctx, g.actor, in)
		if err != nil {
			return fmt.Errorf("cannot create initiative %q: %w", title, err)
		}
		g.add("initiatives", 1)
		if state == scorecard.InitiativePlanned {
			continue
		}
		g.setAt(clk, scDay(start, 90))
		in.Code, in.State, in.Version, in.Progress = x.Code, scorecard.InitiativeOngoing, x.Version, 5
		if x, err = svc.UpdateInitiative(ctx, g.actor, x.ID, in); err != nil {
			return fmt.Errorf("cannot start initiative %q: %w", title, err)
		}
		when := g.now.AddDate(0, 0, -1-r.IntN(20))
		in.State, in.Version = state, x.Version
		switch state {
		case scorecard.InitiativeDone:
			when = scDay(end, 480)
			in.Progress, in.Spent = 100, math.Round(budget*(0.8+0.25*r.Float64()))
		case scorecard.InitiativeCancelled:
			when = scDay(start.Add(end.Sub(start)/2), 480)
			in.Progress, in.Spent = 10+r.IntN(40), math.Round(budget*0.2*r.Float64())
		default:
			done := float64(today.Sub(start)) / float64(end.Sub(start))
			in.Progress = min(95, max(5, int(done*100)-r.IntN(25)))
			in.Spent = math.Round(budget * done * (0.6 + 0.4*r.Float64()))
		}
		g.setAt(clk, when)
		if _, err = svc.UpdateInitiative(ctx, g.actor, x.ID, in); err != nil {
			return fmt.Errorf("cannot update initiative %q: %w", title, err)
		}
	}
	return nil
}

func scSortByAt(vals []scorecard.PastValue) {
	slices.SortStableFunc(vals, func(a, b scorecard.PastValue) int { return a.At.Compare(b.At) })
}

func scPtr(v float64) *float64 { return &v }

// scRound rounds v to decimals.
func scRound(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// cafCriterionTexts are what the members write of each criterion: the
// evidence they looked at, strengths and areas for improvement.
var cafCriterionTexts = map[string]struct{ evidence, strengths, improvements []string }{
	"1": {
		[]string{"Strategia de dezvoltare locală", "dispozițiile primarului privind SCIM", "procesele-verbale ale ședințelor de conducere", "codul etic"},
		[]string{"Misiunea și valorile sunt publicate și cunoscute de personal", "Conducerea participă la analizele trimestriale ale performanței", "Delegarea responsabilităților este clară prin dispoziții scrise"},
		[]string{"Comunicarea deciziilor conducerii către personalul de execuție este inegală", "Lipsește o evaluare a stilului de conducere de către angajați", "Rolul de model în integritate nu este promovat sistematic"},
	},
	"2": {
		[]string{"Planul strategic", "tabloul de bord al obiectivelor", "analiza SWOT", "consultările publice"},
		[]string{"Obiectivele strategice sunt cascadate la nivelul compartimentelor", "Indicatorii sunt monitorizați lunar în tabloul de bord", "Consultarea cetățenilor la elaborarea strategiei"},
		[]string{"Riscurile strategice nu sunt legate de obiective", "Revizuirea strategiei nu ține cont de rezultatele anterioare", "Indicatorii de impact lipsesc pentru unele obiective"},
	},
	"3": {
		[]string{"Planul anual de formare profesională", "fișele de post", "rapoartele de evaluare a performanțelor", "regulamentul intern"},
		[]string{"Planul de formare este corelat cu evaluarea anuală", "Fișele de post sunt actualizate", "Angajații noi au un program de integrare"},
		[]string{"Evaluarea performanțelor este formală", "Recunoașterea rezultatelor individuale este rară", "Planificarea succesiunii pe funcțiile-cheie lipsește"},
	},
	"4": {
		[]string{"Acordurile de parteneriat", "registrul contractelor", "inventarul echipamentelor IT", "bugetul local"},
		[]string{"Parteneriate active cu ONG-uri și instituții de învățământ", "Execuția bugetară este urmărită lunar", "Infrastructura IT a fost modernizată"},
		[]string{"Gestionarea cunoștințelor nu este organizată", "Evaluarea partenerilor nu se face periodic", "Consumurile de energie nu sunt monitorizate pe clădiri"},
	},
	"5": {
		[]string{"Procedurile operaționale", "harta proceselor", "registrul neconformităților", "platforma de servicii online"},
		[]string{"Procesele-cheie sunt documentate prin proceduri", "Serviciile online acoperă cererile frecvente", "Neconformitățile sunt analizate și corectate"},
		[]string{"Proprietarii de proces nu măsoară performanța proceselor", "Cetățenii nu sunt implicați în proiectarea serviciilor", "Circuitul documentelor pe hârtie persistă în unele compartimente"},
	},
	"6": {
		[]string{"Sondajul de satisfacție a cetățenilor", "registrul de petiții", "statisticile ghișeului unic", "reclamațiile primite"},
		[]string{"Satisfacția cetățenilor este măsurată anual", "Timpul de răspuns la petiții a scăzut", "Reclamațiile sunt analizate lunar"},
		[]string{"Rezultatele nu sunt comparate cu alte primării", "Lipsesc ținte pentru satisfacția cetățenilor", "Rata de răspuns la sondaje este scăzută"},
	},
	"7": {
		[]string{"Sondajul de satisfacție a personalului", "indicatorii de fluctuație", "evidența absențelor", "rapoartele de instruire"},
		[]string{"Satisfacția personalului este în creștere", "Fluctuația personalului a scăzut", "Participarea la instruiri este ridicată"},
		[]string{"Motivația personalului nu este măsurată separat", "Rezultatele sondajului nu sunt discutate în compartimente", "Indicatorii de performanță a personalului lipsesc"},
	},
	"8": {
		[]string{"Rapoartele de mediu", "proiectele sociale", "acțiunile de voluntariat", "comunicatele de presă"},
		[]string{"Proiecte sociale derulate cu comunitatea", "Consumul de hârtie a scăzut prin digitalizare", "Implicarea în acțiuni de voluntariat"},
		[]string{"Impactul asupra mediului nu este măsurat", "Percepția comunității nu este evaluată", "Lipsesc obiective de responsabilitate socială"},
	},
	"9": {
		[]string{"Raportul de execuție bugetară", "tabloul de bord", "rapoartele Curții de Conturi", "raportul anual al primarului"},
		[]string{"Gradul de colectare a veniturilor a crescut", "Fonduri europene atrase peste țintă", "Indicatorii-cheie sunt raportați public"},
		[]string{"Costul pe serviciu prestat nu este calculat", "Unele ținte sunt sub nivelul anilor anteriori", "Comparațiile cu alte instituții lipsesc"},
	},
}

// cafActionSpecs are improvement actions drawn from the areas for
// improvement, by criterion.
var cafActionSpecs = []struct{ crit, title, desc string }{
	{"1", "Întâlniri trimestriale ale conducerii cu personalul", "Prezentarea deciziilor și a rezultatelor, cu timp pentru întrebări."},
	{"2", "Legarea registrului riscurilor de obiectivele strategice", "Fiecare risc strategic are obiectivul afectat și indicatorul urmărit."},
	{"2", "Indicatori de impact pentru obiectivele strategice", "Completarea tabloului de bord cu indicatori de rezultat și ținte."},
	{"3", "Revizuirea procesului de evaluare a performanțelor", "Criterii măsurabile și discuții de feedback la jumătatea anului."},
	{"3", "Program de recunoaștere a rezultatelor angajaților", "Diplome și mențiuni trimestriale propuse de șefii de compartimente."},
	{"4", "Sistem de gestionare a cunoștințelor", "Bază de cunoștințe internă cu ghiduri de lucru și lecții învățate."},
	{"4", "Monitorizarea consumurilor de energie pe clădiri", "Citiri lunare și raport semestral al consumurilor."},
	{"5", "Indicatori de performanță pentru procesele-cheie", "Fiecare proprietar de proces urmărește cel puțin doi indicatori."},
	{"5", "Digitalizarea circuitului documentelor", "Extinderea registraturii electronice la toate compartimentele."},
	{"6", "Comparații cu alte primării privind satisfacția cetățenilor", "Schimb de date cu trei primării de mărime similară."},
	{"7", "Discutarea rezultatelor sondajului de personal în compartimente", "Plan de măsuri pe compartiment după fiecare sondaj."},
	{"8", "Evaluarea impactului de mediu al instituției", "Indicatori de consum de hârtie, energie și deșeuri."},
	{"9", "Calculul costului pe serviciu prestat", "Metodologie de cost pentru zece servicii cu volum mare."},
}

// caf runs a CAF 2020 self-assessment every two years over the years kept
// (five cycles over ten years): the ten steps, a group from several units,
// every member's scores of the 28 sub-criteria, the consensus, the
// improvement plan carried out by the next year (the latest cycle's plan
// still open), through the caf service on a clock of its own.
func (g *gen) caf(ctx context.Context) error {
	r := g.rng("caf")
	model, ok := frameworks.CAFModel(frameworks.CAFLatest)
	if !ok || len(g.people) < 3 {
		return nil
	}
	// The latest cycle is this year's once its plan can be drawn up
	// (from the autumn on), else last year's.
	latest := g.now.Year()
	if g.now.Month() < time.October {
		latest--
	}
	var years []int
	for y := latest - 2*((g.p.Years-1)/2); y <= latest; y += 2 {
		years = append(years, y)
	}
	have := map[int]bool{}
	rows, err := g.db.R.QueryContext(ctx, `SELECT start_on FROM caf_cycles WHERE tenant_id = $1 AND state <> $2`, g.tenant, caf.StateCancelled)
	if err != nil {
		return fmt.Errorf("cannot read CAF cycles: %w", err)
	}
	for rows.Next() {
		var start string
		if err := rows.Scan(&start); err != nil {
			rows.Close()
			return err
		}
		if t, err := time.Parse(time.DateOnly, start); err == nil {
			have[t.Year()], have[t.Year()-1], have[t.Year()+1] = true, true, true
		}
	}
	rows.Close()
	clk := clock.NewFixed(g.now)
	ws := g.workOn(clk)
	svc := &caf.Service{DB: g.db, Clock: clk, Work: ws, Improve: &improvement.Service{DB: g.db, Clock: clk, Work: ws}}
	var managers, staff []personRef
	for _, p := range g.users() {
		if p.Management {
			managers = append(managers, p)
		} else {
			staff = append(staff, p)
		}
	}
	if len(managers) == 0 {
		managers = g.users()
	}
	leader := managers[0]
	size := min(max(2, len(g.people)/60), 10, len(g.users())-1)
	for i, y := range years {
		if have[y] {
			continue
		}
		if err := g.cafCycle(ctx, r, svc, clk, model, y, i, y == latest, leader, managers, staff, size); err != nil {
			return fmt.Errorf("the CAF cycle of %d: %w", y, err)
		}
		g.add("CAF cycles", 1)
	}
	return nil
}

// cafCycle plays one cycle in year y; n is its rank (the later, the better
// the scores).
func (g *gen) cafCycle(ctx context.Context, r *rand.Rand, svc *caf.Service, clk *clock.Fixed, model frameworks.CAF, y, n int, open bool,
	leader personRef, managers, staff []personRef, size int) error {
	on := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 7, 0, 0, 0, time.UTC) }
	g.setAt(clk, on(time.February, 20))
	c, err := svc.CreateCycle(ctx, g.actor, caf.CycleInput{Title: fmt.Sprintf("Autoevaluarea CAF %d – %s", y, g.name), Panel: caf.PanelClassical,
		LeaderID: leader.ID, StartOn: on(time.March, 1).Format(time.DateOnly), EndOn: on(time.November, 30).Format(time.DateOnly),
		CommPlan: "Anunț în ședința conducerii, pe intranet și prin e-mail; rezultatele se prezintă întregului personal după consens.",
		PEFNotes: "Instituția are un sistem de management al calității și folosește CAF pentru a-și evalua progresul la fiecare doi ani."})
	if err != nil {
		return err
	}
	steps := [10]time.Time{on(time.March, 4), on(time.March, 18), on(time.April, 1), on(time.April, 15), on(time.June, 10),
		on(time.July, 1), on(time.September, 10), on(time.September, 24), on(time.October, 1), on(time.November, 15)}
	stepNotes := [10]string{
		"Decizia conducerii de a organiza autoevaluarea, cu domeniul și responsabilul de proiect.",
		"Planul de comunicare a fost prezentat în ședința conducerii.",
		"Grupul de autoevaluare a fost constituit din reprezentanți ai mai multor compartimente.",
		"Membrii grupului au participat la instruirea privind modelul CAF 2020.",
		"Evaluarea individuală și consensul au fost încheiate.",
		"Raportul de autoevaluare a fost redactat și aprobat.",
		"Planul de îmbunătățire a fost elaborat pe baza ariilor de îmbunătățire.",
		"Planul de îmbunătățire a fost comunicat personalului.",
		"Implementarea acțiunilor de îmbunătățire a început.",
		"Pregătirea următoarei autoevaluări, cu lecțiile învățate.",
	}
	for i, d := range steps {
		if err := svc.SetStep(ctx, g.actor, c.ID, caf.Step{N: i + 1, PlannedOn: d.Format(time.DateOnly)}); err != nil {
			return err
		}
	}
	done := func(k int) error {
		g.setAt(clk, steps[k-1].Add(30*time.Minute))
		return svc.SetStep(ctx, g.actor, c.ID, caf.Step{N: k, PlannedOn: steps[k-1].Format(time.DateOnly), DoneOn: steps[k-1].Format(time.DateOnly), Notes: stepNotes[k-1]})
	}
	for k := 1; k <= 2; k++ {
		if err := done(k); err != nil {
			return err
		}
	}
	// The group: managers and staff from different units.
	g.setAt(clk, steps[2])
	group := []personRef{leader}
	seen := map[int64]bool{leader.ID: true}
	for tries := 0; len(group) < size+1 && tries < 20*size; tries++ {
		pool := staff
		if tries%3 == 0 || len(staff) == 0 {
			pool = managers
		}
		p := pick(r, pool)
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		if err := svc.AddMember(ctx, g.actor, c.ID, caf.MemberInput{PersonID: p.ID, Role: caf.RoleMember}); err != nil {
			return err
		}
		group = append(group, p)
	}
	for k := 3; k <= 4; k++ {
		if err := done(k); err != nil {
			return err
		}
	}
	g.setAt(clk, on(time.April, 20))
	if c, err = svc.Fire(ctx, g.actor, c.ID, caf.ActStart, c.Version, ""); err != nil {
		return err
	}
	// Each member assesses every sub-criterion on their own day.
	subs := model.Subs()
	level := 30 + 9*float64(n) // the institution gets better cycle by cycle
	base := map[string]float64{}
	for _, s := range subs {
		b := level + float64(r.IntN(21)-10)
		if !model.IsEnabler(s.Code) {
			b -= 8
		}
		base[s.Code] = b
	}
	scores := map[string][]float64{}
	for i, m := range group {
		a := g.actorOf(m, auth.RoleEmployee)
		bias := float64(r.IntN(4)-1) * 5
		day := on(time.April, 22).AddDate(0, 0, 2*i)
		// A member's 28 sub-criteria in one transaction, as SaveAssessment
		// writes each.
		ins := make([]caf.AssessmentInput, 0, len(subs))
		for _, s := range subs {
			score := math.Max(5, math.Min(95, math.Round((base[s.Code]+bias+float64(r.IntN(3)-1)*5)/5)*5))
			scores[s.Code] = append(scores[s.Code], score)
			tx := cafCriterionTexts[s.Code[:1]]
			ins = append(ins, caf.AssessmentInput{Sub: s.Code, Evidence: pick(r, tx.evidence) + ", " + pick(r, tx.evidence), Strengths: pick(r, tx.strengths),
				Improvements: pick(r, tx.improvements), Scores: caf.Scores{Score: caf.F(score)}})
		}
		g.setAt(clk, day)
		err := g.tx(ctx, func(tx *sql.Tx) error {
			rec, err := g.auditBatch(ctx, tx)
			if err != nil {
				return err
			}
			if err := caf.SaveAssessmentsTx(ctx, tx, rec, a, c.ID, ins, clk.Now()); err != nil {
				return err
			}
			return rec.Close(ctx)
		})
		if err != nil {
			return fmt.Errorf("%s assesses: %w", m.Name, err)
		}
		g.add("CAF assessments", len(ins))
		g.setAt(clk, day.Add(2*time.Hour))
		if err := svc.Submit(ctx, a, c.ID); err != nil {
			return fmt.Errorf("%s submits: %w", m.Name, err)
		}
	}
	g.setAt(clk, on(time.May, 27))
	if c, err = svc.Fire(ctx, g.actor, c.ID, caf.ActConsensus, c.Version, ""); err != nil {
		return err
	}
	// Three consensus meetings, each recorded in one transaction as
	// SaveConsensus records every sub-criterion.
	meetings := map[time.Time][]caf.ConsensusInput{}
	var days []time.Time
	for j, s := range subs {
		meeting := on(time.June, 3+7*(j*3/len(subs)))
		var sum float64
		for _, v := range scores[s.Code] {
			sum += v
		}
		score := math.Round(sum/float64(len(scores[s.Code]))/5) * 5
		tx := cafCriterionTexts[s.Code[:1]]
		if _, ok := meetings[meeting]; !ok {
			days = append(days, meeting)
		}
		meetings[meeting] = append(meetings[meeting], caf.ConsensusInput{Sub: s.Code, Scores: caf.Scores{Score: caf.F(score)},
			Strengths: tx.strengths[j%len(tx.strengths)] + "; " + tx.strengths[(j+1)%len(tx.strengths)], Improvements: tx.improvements[j%len(tx.improvements)],
			AgreedOn: meeting.Format(time.DateOnly)})
	}
	for _, day := range days {
		g.setAt(clk, day.Add(4*time.Hour))
		err := g.tx(ctx, func(tx *sql.Tx) error {
			rec, err := g.auditBatch(ctx, tx)
			if err != nil {
				return err
			}
			if err := caf.SaveConsensusTx(ctx, tx, rec, g.actor, c.ID, meetings[day], clk.Now()); err != nil {
				return err
			}
			return rec.Close(ctx)
		})
		if err != nil {
			return fmt.Errorf("consensus of %s: %w", day.Format(time.DateOnly), err)
		}
	}
	for k := 5; k <= 6; k++ {
		if err := done(k); err != nil {
			return err
		}
	}
	g.setAt(clk, on(time.July, 8))
	if c, err = svc.Fire(ctx, g.actor, c.ID, caf.ActImprove, c.Version, ""); err != nil {
		return err
	}
	// The improvement plan, adopted in September.
	adopted := on(time.September, 10)
	var plan []caf.Action
	actions := 4 + r.IntN(4)
	first := r.IntN(len(cafActionSpecs))
	for i := range actions {
		sp := cafActionSpecs[(first+i)%len(cafActionSpecs)]
		sub := sp.crit + "." + strconv.Itoa(1+r.IntN(len(subsOf(subs, sp.crit))))
		g.setAt(clk, adopted.Add(time.Duration(10+i)*time.Minute))
		x, err := svc.CreateAction(ctx, g.actor, c.ID, caf.ActionInput{Sub: sub, Title: sp.title, Description: sp.desc, Impact: 1 + r.IntN(3), Ease: 1 + r.IntN(3),
			OwnerID: pick(r, managers).ID, DueOn: adopted.AddDate(0, 3+r.IntN(12), 0).Format(time.DateOnly), State: caf.ActionOpen})
		if err != nil {
			return fmt.Errorf("action %q: %w", sp.title, err)
		}
		plan = append(plan, x)
	}
	for k := 7; k <= 9; k++ {
		if err := done(k); err != nil {
			return err
		}
	}
	if open {
		return nil
	}
	if err := done(10); err != nil {
		return err
	}
	// Done through the next year; now and then one given up.
	for _, x := range plan {
		due, _ := time.Parse(time.DateOnly, x.DueOn)
		state := caf.ActionDone
		if r.IntN(8) == 0 {
			state = caf.ActionCancelled
		}
		g.setAt(clk, scDay(due.AddDate(0, 0, -r.IntN(20)), 120))
		if _, err := svc.UpdateAction(ctx, g.actor, c.ID, x.ID, caf.ActionInput{Sub: x.Sub, Title: x.Title, Description: x.Description, Impact: x.Impact,
			Ease: x.Ease, OwnerID: x.OwnerID, DueOn: x.DueOn, State: state, Version: x.Version}); err != nil {
			return fmt.Errorf("action %q: %w", x.Title, err)
		}
	}
	g.setAt(clk, time.Date(y+1, time.November, 28, 7, 0, 0, 0, time.UTC))
	if _, err = svc.Fire(ctx, g.actor, c.ID, caf.ActClose, c.Version, ""); err != nil {
		return err
	}
	return nil
}

// subsOf lists the sub-criteria of a criterion.
func subsOf(subs []frameworks.CAFSub, crit string) []frameworks.CAFSub {
	var out []frameworks.CAFSub
	for _, s := range subs {
		if strings.HasPrefix(s.Code, crit+".") {
			out = append(out, s)
		}
	}
	return out
}

// ctlNoWhys explain a "Nu" in the self-evaluation questionnaire.
var ctlNoWhys = []string{
	"Procedura este în curs de elaborare; termenul este stabilit în programul de dezvoltare.",
	"Fișele de post nu au fost actualizate după reorganizare.",
	"Registrul riscurilor compartimentului nu a fost revizuit în anul evaluat.",
	"Nu există încă un plan de continuitate a activității pentru compartiment.",
	"Indicatorii de performanță ai compartimentului nu sunt monitorizați periodic.",
	"Delegările de competențe nu sunt formalizate prin dispoziție.",
	"Instruirea privind codul etic nu a cuprins tot personalul compartimentului.",
	"Inventarul funcțiilor sensibile nu cuprinde toate posturile compartimentului.",
}

// ctlSensitiveSpecs are sensitive functions, with the measures taken.
var ctlSensitiveSpecs = []struct {
	title, desc string
	factors     []string
	rotation    bool
	measure     string
}{
	{"Inspector cu atribuții de control fiscal", "Stabilește obligații fiscale și verifică declarațiile contribuabililor.", []string{"money", "public", "exclusive"}, true, "rotation"},
	{"Casier", "Încasează numerar de la contribuabili și depune sumele la trezorerie.", []string{"money"}, true, "supervision"},
	{"Responsabil achiziții publice", "Pregătește documentațiile de atribuire și participă la evaluarea ofertelor.", []string{"procurement", "money", "information"}, true, "segregation"},
	{"Inspector în disciplina construcțiilor", "Constată contravenții și aplică sancțiuni în domeniul construcțiilor.", []string{"public", "exclusive"}, true, "rotation"},
	{"Consilier cu atribuții de emitere a autorizațiilor de construire", "Verifică documentațiile și redactează autorizațiile.", []string{"public", "information"}, false, "dual_signature"},
	{"Gestionar de bunuri materiale", "Primește, păstrează și eliberează bunurile din magazie.", []string{"assets"}, false, "supervision"},
	{"Administrator de rețea și baze de date", "Are acces privilegiat la sistemele informatice și la datele personale.", []string{"information", "exclusive"}, false, "segregation"},
	{"Consilier juridic care avizează contractele", "Avizează legalitatea contractelor și reprezintă instituția în instanță.", []string{"advice", "delegation"}, false, "dual_signature"},
	{"Inspector în executare silită", "Instituie popriri și sechestre asupra bunurilor debitorilor.", []string{"money", "public", "exclusive"}, true, "rotation"},
	{"Responsabil cu gestionarea fondurilor europene", "Întocmește cererile de rambursare și ține evidența cheltuielilor eligibile.", []string{"money", "information"}, false, "supervision"},
}

// ctlActionSpecs are development-programme actions, by standard.
var ctlActionSpecs = []struct {
	standard int
	title    string
}{
	{1, "Instruirea personalului privind codul etic și prevenirea conflictelor de interese"},
	{2, "Actualizarea fișelor de post după modificarea statului de funcții"},
	{3, "Includerea în planul de formare a cursurilor privind controlul intern managerial"},
	{5, "Actualizarea obiectivelor specifice ale compartimentelor și a indicatorilor asociați"},
	{6, "Revizuirea planului anual de activități pe compartimente"},
	{7, "Raportarea trimestrială a indicatorilor de performanță către conducere"},
	{8, "Actualizarea registrului riscurilor la nivelul compartimentelor"},
	{9, "Elaborarea procedurilor operaționale pentru activitățile neacoperite"},
	{10, "Organizarea supravegherii pentru funcțiile sensibile"},
	{11, "Elaborarea planului de continuitate a activității"},
	{12, "Actualizarea circuitului informațiilor și documentelor"},
	{13, "Digitalizarea arhivei curente a compartimentelor"},
	{15, "Analiza anuală a funcționării sistemului de control intern managerial"},
}

// control brings the internal managerial control up to Years of history:
// a development programme approved every January with its actions, a
// self-evaluation of the 16 standards every year in which every
// compartment answers its questionnaire (the answers of a compartment
// written in one transaction, as SaveAnswers writes them), the past ones
// consolidated and approved, this year's open and halfway, and the
// inventory of sensitive functions over the roster.
func (g *gen) control(ctx context.Context) error {
	r := g.rng("control")
	if len(g.units) == 0 || len(g.people) == 0 {
		return nil
	}
	clk := clock.NewFixed(g.now)
	svc := &control.Service{DB: g.db, Clock: clk, Work: g.workOn(clk)}
	model, ok := frameworks.OSGGModel(frameworks.OSGGLatest)
	if !ok {
		return fmt.Errorf("no OSGG model %s", frameworks.OSGGLatest)
	}
	this := ctlYear(g)
	heads := map[int64]personRef{}
	for _, u := range g.units {
		if ps := g.inUnit(u.ID); len(ps) > 0 && ps[0].Management && ps[0].UserID != 0 {
			heads[u.ID] = ps[0]
		}
	}
	var top personRef // who approves: the mayor, else a manager
	for _, p := range g.people {
		if p.Management && (top.ID == 0 || p.UnitID == 0 && top.UnitID != 0) {
			top = p
		}
	}
	years := map[int]bool{}
	rows, err := g.db.R.QueryContext(ctx, `SELECT year FROM control_evaluations WHERE tenant_id = $1`, g.tenant)
	if err != nil {
		return fmt.Errorf("cannot read evaluations: %w", err)
	}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return err
		}
		years[y] = true
	}
	rows.Close()
	if err := g.ctlProgrammes(ctx, r, svc, clk, this, heads); err != nil {
		return err
	}
	for y := this - g.p.Years + 1; y <= this; y++ {
		if years[y] {
			continue
		}
		if err := g.ctlEvaluation(ctx, r, svc, clk, model, y, y == this, heads, top); err != nil {
			return fmt.Errorf("the self-evaluation of %d: %w", y, err)
		}
		g.add("control self-evaluations", 1)
	}
	if err := g.ctlBodies(ctx, r, svc, clk, heads, top); err != nil {
		return err
	}
	return g.ctlSensitive(ctx, r, svc, clk, heads)
}

// ctlBodies sets up, when the institution has none, the monitoring
// commission and the risk management team at the start of the history,
// the mayor presiding and heads of units as members, and the commission's
// February meetings of the last three years, each with its decision (the
// latest one's still open when its deadline has not come).
func (g *gen) ctlBodies(ctx context.Context, r *rand.Rand, svc *control.Service, clk *clock.Fixed, heads map[int64]personRef, top personRef) error {
	var have int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_bodies WHERE tenant_id = $1`, g.tenant).Scan(&have); err != nil {
		return fmt.Errorf("cannot count control bodies: %w", err)
	}
	if have > 0 || top.ID == 0 {
		return nil
	}
	today := work.Day(g.now)
	setup := time.Date(today.Year()-g.p.Years+1, time.January, 12, 7, 0, 0, 0, time.UTC)
	var members []personRef
	for _, u := range g.units {
		if h, ok := heads[u.ID]; ok && u.ParentID == 0 && h.ID != top.ID && !strings.Contains(u.Name, "Audit") {
			members = append(members, h)
		}
	}
	var commission control.Body
	for i, b := range []struct{ kind, name, notes string }{
		{control.BodyCommission, "Comisia de monitorizare a sistemului de control intern managerial",
			"Coordonează implementarea sistemului de control intern managerial și avizează programul de dezvoltare și situația sintetică a autoevaluării."},
		{control.BodyRiskTeam, "Echipa de gestionare a riscurilor",
			"Consolidează registrele riscurilor compartimentelor și propune profilul de risc și limita de toleranță la risc."},
	} {
		g.setAt(clk, setup.Add(time.Duration(i)*time.Hour))
		body, err := svc.CreateBody(ctx, g.actor, control.BodyInput{Kind: b.kind, Name: b.name, Notes: b.notes, Active: true,
			Decision: fmt.Sprintf("Dispoziția primarului nr. %d/%s", 20+i, setup.Format("02.01.2006")), DecisionOn: setup.Format(time.DateOnly)})
		if err != nil {
			return fmt.Errorf("the body %s: %w", b.kind, err)
		}
		g.add("control bodies", 1)
		if b.kind == control.BodyCommission {
			commission = body
		}
		in := []control.MemberInput{{PersonID: top.ID, Role: control.RolePresident}}
		for j, m := range members {
			if j >= 8-3*i {
				break
			}
			in = append(in, control.MemberInput{PersonID: m.ID, Role: control.RoleMember})
		}
		for _, m := range in {
			m.FromOn = setup.Format(time.DateOnly)
			if _, err := svc.AddMember(ctx, g.actor, body.ID, m); err != nil {
				return fmt.Errorf("member of %s: %w", b.kind, err)
			}
		}
	}
	people, err := svc.Members(ctx, g.actor, commission.ID)
	if err != nil {
		return err
	}
	var attendees []int64
	for _, m := range people {
		attendees = append(attendees, m.PersonID)
	}
	for y := today.Year() - 2; y <= today.Year(); y++ {
		held := time.Date(y, time.February, 14, 9, 0, 0, 0, time.UTC)
		if !held.Before(today) {
			continue
		}
		g.setAt(clk, held)
		mt, err := svc.CreateMeeting(ctx, g.actor, control.MeetingInput{BodyID: commission.ID, Number: fmt.Sprintf("CM-1/%s", held.Format("02.01.2006")),
			HeldOn: held.Format(time.DateOnly), Place: "Sala de ședințe a primăriei", Attendees: attendees,
			Agenda:  fmt.Sprintf("1. Situația sintetică a rezultatelor autoevaluării pe anul %d.\n2. Raportul asupra sistemului de control intern managerial.\n3. Programul de dezvoltare pe anul %d.", y-1, y),
			Minutes: "Comisia a analizat situația sintetică și a avizat raportul și programul de dezvoltare; membrii au fost de acord cu măsurile propuse."})
		if err != nil {
			return fmt.Errorf("meeting of %d: %w", y, err)
		}
		if mt, err = svc.MoveMeeting(ctx, g.actor, mt.ID, control.MeetingMove{To: control.MeetingHeld, Version: mt.Version}); err != nil {
			return err
		}
		owner := top
		if len(members) > 0 {
			owner = members[r.IntN(len(members))]
		}
		due := held.AddDate(0, 0, 60)
		dec, err := svc.AddDecision(ctx, g.actor, mt.ID, control.DecisionInput{Number: fmt.Sprintf("Hotărârea nr. 1/%s", held.Format("02.01.2006")),
			Text:    "Compartimentele actualizează registrele riscurilor și procedurile operaționale conform măsurilor din situația sintetică.",
			OwnerID: owner.ID, DueOn: due.Format(time.DateOnly), State: control.ActionOpen})
		if err != nil {
			return err
		}
		g.add("control meetings", 1)
		if doneOn := due.AddDate(0, 0, -r.IntN(20)); doneOn.Before(today) {
			g.setAt(clk, scDay(doneOn, 180))
			if _, err := svc.UpdateDecision(ctx, g.actor, mt.ID, dec.ID, control.DecisionInput{Number: dec.Number, Text: dec.Text, OwnerID: dec.OwnerID,
				DueOn: dec.DueOn, State: control.ActionDone, DoneOn: doneOn.Format(time.DateOnly), Version: dec.Version}); err != nil {
				return err
			}
		}
	}
	return nil
}

// ctlEvaluation plays one year's self-evaluation: opened on 1 December
// (this year's twelve days ago), each compartment answering on its own
// day, the past ones consolidated, with measures for the standards not
// implemented, and approved in February.
func (g *gen) ctlEvaluation(ctx context.Context, r *rand.Rand, svc *control.Service, clk *clock.Fixed, model frameworks.OSGG, y int, current bool,
	heads map[int64]personRef, top personRef) error {
	open := time.Date(y, time.December, 1, 7, 0, 0, 0, time.UTC)
	due := time.Date(y+1, time.January, 20, 0, 0, 0, 0, time.UTC)
	if current {
		open = scDay(work.Day(g.now).AddDate(0, 0, -12), 0)
		due = open.AddDate(0, 0, 30)
	}
	g.setAt(clk, open)
	e, err := svc.OpenEvaluation(ctx, g.actor, control.EvaluationInput{Year: y, DueOn: due.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	units, err := svc.EvalUnits(ctx, g.actor, e.ID)
	if err != nil {
		return err
	}
	// Gaps close over the years: a "Nu" is likelier in the early ones.
	pNo := 0.02 + 0.12*float64(ctlYear(g)-y)/float64(max(g.p.Years-1, 1))
	stds := model.Standards()
	span := int(due.Sub(open).Hours()/24) - 5
	if current {
		span = 11
	}
	for i, u := range units {
		answered := len(stds)
		submit := true
		if current {
			switch {
			case i%5 < 2: // submitted
			case i%5 == 2:
				answered, submit = 4+r.IntN(len(stds)-4), false // halfway
			default:
				answered, submit = 0, false // not started: the head keeps the task
			}
		}
		if answered == 0 {
			continue
		}
		a := g.actor
		if h, ok := heads[u.UnitID]; ok && h.ID == u.HeadID {
			a = g.actorOf(h, auth.RoleHeadOfUnit)
		}
		at := scDay(open.AddDate(0, 0, 1+i*span/max(len(units), 1)), 30+r.IntN(300))
		g.setAt(clk, at)
		at = clk.Now()
		err := g.tx(ctx, func(tx *sql.Tx) error {
			rec, err := g.auditBatch(ctx, tx)
			if err != nil {
				return err
			}
			all := make([]control.StandardAnswerInputs, 0, answered)
			for _, st := range stds[:answered] {
				in := make([]control.AnswerInput, len(st.Questions))
				for j, q := range st.Questions {
					in[j] = control.AnswerInput{Question: q.Code, Answer: control.AnswerYes}
					switch {
					case st.Number == 16 && !strings.Contains(u.UnitName, "Audit"),
						st.Number == 14 && r.IntN(3) == 0:
						in[j].Answer = control.AnswerNA
					case r.Float64() < pNo:
						in[j].Answer, in[j].Explanation = control.AnswerNo, ctlNoWhys[r.IntN(len(ctlNoWhys))]
					}
				}
				all = append(all, control.StandardAnswerInputs{Standard: st.Number, Answers: in})
			}
			// The compartment's standards in one go, each as SaveAnswers
			// saves it.
			if err := control.SaveAnswersTx(ctx, tx, rec, a, e, u, all, at); err != nil {
				return fmt.Errorf("%s: %w", u.UnitName, err)
			}
			return rec.Close(ctx)
		})
		if err != nil {
			return err
		}
		for _, st := range stds[:answered] {
			g.add("control answers", len(st.Questions))
		}
		if submit {
			g.setAt(clk, at.Add(20*time.Minute))
			if err := svc.SubmitUnit(ctx, a, e.ID, u.UnitID); err != nil {
				return fmt.Errorf("%s submits: %w", u.UnitName, err)
			}
		}
	}
	if current {
		return nil
	}
	g.setAt(clk, time.Date(y+1, time.February, 4, 7, 0, 0, 0, time.UTC))
	if e, err = svc.MoveEvaluation(ctx, g.actor, e.ID, control.Transition{To: control.EvalConsolidated, Version: e.Version}); err != nil {
		return err
	}
	sum, err := svc.Summary(ctx, g.actor, e.ID)
	if err != nil {
		return err
	}
	for _, st := range sum.Standards() {
		if st.Status == control.StatusImplemented {
			continue
		}
		text := fmt.Sprintf("Măsuri pentru standardul %d în programul de dezvoltare pe anul %d: %s", st.Standard.Number, y+1,
			"actualizarea documentelor, instruirea personalului și verificarea aplicării de către șefii de compartimente.")
		if err := svc.SaveMeasures(ctx, g.actor, e.ID, st.Standard.Number, text, st.Version); err != nil {
			return err
		}
	}
	reportOn := time.Date(y+1, time.February, 12, 7, 0, 0, 0, time.UTC)
	g.setAt(clk, time.Date(y+1, time.February, 9, 7, 0, 0, 0, time.UTC))
	if e, err = svc.UpdateEvaluation(ctx, g.actor, e.ID, control.EvaluationEdit{DueOn: e.DueOn, ReportNo: fmt.Sprintf("%d/%s", 1000+r.IntN(3000), reportOn.Format("02.01.2006")),
		Conclusions: fmt.Sprintf("La 31 decembrie %d, %d standarde sunt implementate, %d parțial implementate și %d neimplementate; sistemul de control intern managerial este %s.",
			y, sum.Implemented, sum.Partial, sum.NotImplemented, gradeRO(sum.Grade)),
		ReportText: fmt.Sprintf("Raportul asupra sistemului de control intern managerial la data de 31 decembrie %d, întocmit pe baza situației sintetice a rezultatelor autoevaluării.", y),
		Version:    e.Version}); err != nil {
		return err
	}
	g.setAt(clk, reportOn.Add(5*time.Hour))
	_, err = svc.MoveEvaluation(ctx, g.actor, e.ID, control.Transition{To: control.EvalApproved, ApprovedBy: top.Name,
		ApprovedOn: reportOn.Format(time.DateOnly), Version: e.Version})
	return err
}

// ctlYear is the year of the open self-evaluation: a year's runs from
// December to February, so from October on it is this year's.
func ctlYear(g *gen) int {
	if d := work.Day(g.now); d.Month() >= time.October {
		return d.Year()
	}
	return work.Day(g.now).Year() - 1
}

func gradeRO(grade string) string {
	switch grade {
	case control.GradeConform:
		return "conform"
	case control.GradePartial:
		return "parțial conform"
	}
	return "neconform"
}

// ctlProgrammes adds the development programme of every year that has
// none: objectives and actions made in January, approved by the mayor's
// decision, the actions done through the year (a few late, a few left),
// past programmes closed; this year's open, some of its actions overdue.
func (g *gen) ctlProgrammes(ctx context.Context, r *rand.Rand, svc *control.Service, clk *clock.Fixed, this int, heads map[int64]personRef) error {
	today := work.Day(g.now)
	var owners []personRef
	var ownerUnits []int64
	for _, u := range g.units {
		if h, ok := heads[u.ID]; ok {
			owners, ownerUnits = append(owners, h), append(ownerUnits, u.ID)
		}
	}
	if len(owners) == 0 {
		return nil
	}
	last := today.Year()
	if today.Month() == time.January && today.Day() <= 25 {
		last--
	}
	for y := last - g.p.Years + 1; y <= last; y++ {
		if _, err := svc.ProgrammeOfYear(ctx, g.actor, y); err == nil {
			continue
		}
		g.setAt(clk, time.Date(y, time.January, 9, 7, 0, 0, 0, time.UTC))
		p, err := svc.CreateProgramme(ctx, g.actor, control.ProgrammeInput{Year: y, Title: control.ProgrammeTitle(y),
			Notes: "Elaborat de secretariatul tehnic al comisiei de monitorizare pe baza autoevaluării anterioare."})
		if err != nil {
			return fmt.Errorf("the programme of %d: %w", y, err)
		}
		var objs []int64
		for i, t := range []string{"Consolidarea mediului de control", "Îmbunătățirea managementului performanțelor și al riscurilor", "Dezvoltarea activităților de control"} {
			o, err := svc.AddObjective(ctx, g.actor, p.ID, control.ObjectiveInput{Code: fmt.Sprintf("O%d", i+1), Title: t})
			if err != nil {
				return err
			}
			objs = append(objs, o.ID)
		}
		type planned struct {
			id  int64
			due time.Time
		}
		var acts []planned
		n := min(2+len(owners)/5, 12)
		for i := range n {
			sp := ctlActionSpecs[(i+r.IntN(len(ctlActionSpecs)))%len(ctlActionSpecs)]
			k := r.IntN(len(owners))
			due := time.Date(y, time.Month(3+r.IntN(10)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			x, err := svc.CreateAction(ctx, g.actor, control.ActionInput{ProgrammeID: p.ID, ObjectiveID: objs[min(sp.standard/6, 2)], Standard: sp.standard,
				Title: sp.title, OwnerID: owners[k].ID, UnitID: ownerUnits[k], DueOn: due.Format(time.DateOnly)})
			if err != nil {
				return fmt.Errorf("action %q: %w", sp.title, err)
			}
			acts = append(acts, planned{x.ID, due})
		}
		on := time.Date(y, time.January, 20+y%3, 7, 0, 0, 0, time.UTC)
		g.setAt(clk, on.Add(30*time.Minute))
		if p, err = svc.Programme(ctx, g.actor, p.ID); err != nil {
			return err
		}
		if p, err = svc.MoveProgramme(ctx, g.actor, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove,
			Decision: fmt.Sprintf("Dispoziția primarului nr. %d/%s", 10+r.IntN(40), on.Format("02.01.2006")), ApprovedOn: on.Format(time.DateOnly), Version: p.Version}); err != nil {
			return err
		}
		g.add("control programmes", 1)
		g.add("control actions", len(acts))
		slices.SortFunc(acts, func(a, b planned) int { return a.due.Compare(b.due) })
		for _, x := range acts {
			doneOn := x.due.AddDate(0, 0, r.IntN(30)-20)
			if !doneOn.Before(today) || r.IntN(10) == 0 {
				continue // still open, or left for next year
			}
			g.setAt(clk, scDay(doneOn, 240))
			cur, err := svc.Action(ctx, g.actor, x.id)
			if err != nil {
				return err
			}
			if _, err := svc.MoveAction(ctx, g.actor, x.id, control.ActionMove{To: control.ActionDone, DoneOn: doneOn.Format(time.DateOnly),
				Result: "Realizată; documentele sunt la secretariatul comisiei de monitorizare.", Version: cur.Version}); err != nil {
				return err
			}
		}
		if y < last {
			g.setAt(clk, time.Date(y+1, time.January, 15, 7, 0, 0, 0, time.UTC))
			if p, err = svc.Programme(ctx, g.actor, p.ID); err != nil {
				return err
			}
			if _, err := svc.MoveProgramme(ctx, g.actor, p.ID, control.ProgrammeMove{Action: control.ProgrammeClose, Version: p.Version}); err != nil {
				return err
			}
		}
	}
	return nil
}

// ctlSensitive draws up the inventory of sensitive functions: about one
// to four units, each with the people in it (some long in the function)
// and the measures taken.
func (g *gen) ctlSensitive(ctx context.Context, r *rand.Rand, svc *control.Service, clk *clock.Fixed, heads map[int64]personRef) error {
	var have int
	if err := g.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_sensitive_functions WHERE tenant_id = $1`, g.tenant).Scan(&have); err != nil {
		return fmt.Errorf("cannot count sensitive functions: %w", err)
	}
	today := work.Day(g.now)
	made := scDay(today.AddDate(0, 0, -330), 0)
	var units []unitRef
	for _, u := range g.units {
		if _, ok := heads[u.ID]; ok && len(g.inUnit(u.ID)) > 1 {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return nil
	}
	want := max(3, len(g.units)/4) - have
	for i := range want {
		sp := ctlSensitiveSpecs[i%len(ctlSensitiveSpecs)]
		u := units[(i*7+r.IntN(3))%len(units)]
		g.setAt(clk, made.Add(time.Duration(i)*10*time.Minute))
		fn, err := svc.CreateSensitive(ctx, g.actor, control.SensitiveInput{UnitID: u.ID, Title: sp.title + " – " + u.Name, Factors: sp.factors,
			Description: sp.desc, Rotation: sp.rotation, MaxYears: 5})
		if err != nil {
			return fmt.Errorf("sensitive function %q: %w", sp.title, err)
		}
		g.add("sensitive functions", 1)
		staff := g.inUnit(u.ID)[1:]
		var holders []int64
		for j := range min(len(staff), 1+r.IntN(3)) {
			since := today.AddDate(-1-r.IntN(8), -r.IntN(12), 0)
			h, err := svc.AddHolder(ctx, g.actor, fn.ID, control.HolderInput{PersonID: staff[j].ID, SinceOn: since.Format(time.DateOnly)})
			if err != nil {
				return fmt.Errorf("holder: %w", err)
			}
			holders = append(holders, h.ID)
		}
		in := control.SMeasureInput{Kind: sp.measure, Description: "Măsură de control pentru funcția sensibilă: " + map[string]string{
			"rotation": "rotirea personalului la cel mult cinci ani", "supervision": "supervizarea lunară de către șeful compartimentului",
			"segregation": "separarea atribuțiilor de inițiere și aprobare", "dual_signature": "dubla semnătură pe actele emise"}[sp.measure] + ".",
			OwnerID: heads[u.ID].ID, DueOn: today.AddDate(0, 0, 30+r.IntN(150)).Format(time.DateOnly)}
		if sp.measure == control.MeasureRotation && len(holders) > 0 {
			in.HolderID = holders[0]
		}
		m, err := svc.AddSMeasure(ctx, g.actor, fn.ID, in)
		if err != nil {
			return fmt.Errorf("measure: %w", err)
		}
		if r.IntN(3) == 0 {
			doneOn := today.AddDate(0, 0, -10-r.IntN(200))
			g.setAt(clk, scDay(doneOn, 240))
			in.State, in.DoneOn, in.Version = control.MeasureDone, doneOn.Format(time.DateOnly), m.Version
			if _, err := svc.UpdateSMeasure(ctx, g.actor, fn.ID, m.ID, in); err != nil {
				return fmt.Errorf("measure done: %w", err)
			}
		}
	}
	return nil
}
