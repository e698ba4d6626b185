package documents_test

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/org"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// The register of a large municipality (DESIGN.md, "Performance budget"):
// 60 units, 600 people, 3,000 documents of 3 to 6 KB of text each. The
// budget is p95 under 50 ms for any page and under 30 ms for a search, on
// SQLite.
const (
	benchDirectorates = 10 // each with 5 services: 60 units
	benchPeople       = 600
	benchDocsPerUnit  = 50 // 3,000 documents
)

// benchTopic is a directorate's own vocabulary: its documents use these
// words besides the common ones, so a search for them is selective.
type benchTopic struct {
	code, name string
	words      []string
}

var benchTopics = []benchTopic{
	{"DAS", "Direcția de Asistență Socială", []string{"anchetă", "socială", "beneficiar", "ajutorul", "dizabilități", "vârstnic", "copilului", "familiei", "asistentul", "indemnizația", "venitului", "incluziune", "handicap", "îngrijire", "centrul"}},
	{"DE", "Direcția Economică", []string{"bugetul", "impozitul", "taxa", "plata", "contabilitate", "factura", "încasarea", "creditele", "ordonanțarea", "bilanțul", "trezorerie", "cheltuieli", "venituri", "angajamentul", "casierie"}},
	{"DU", "Direcția Urbanism", []string{"autorizația", "construire", "certificatul", "urbanism", "terenul", "proiectul", "avizul", "cadastral", "planșa", "construcției", "desființare", "amplasament", "regulament", "zonare", "arhitect"}},
	{"DTI", "Direcția Tehnică și Investiții", []string{"lucrarea", "investiția", "recepția", "șantierul", "drumul", "reabilitare", "execuție", "devizul", "diriginte", "garanție", "proiectare", "iluminat", "canalizare", "trotuar", "modernizare"}},
	{"DJ", "Direcția Juridică", []string{"dispoziția", "hotărârea", "consiliul", "legalitate", "contencios", "instanța", "procesul", "ședința", "avizare", "recurs", "mandat", "notificare", "sesizare", "termenul", "apel"}},
	{"DRU", "Direcția Resurse Umane", []string{"concursul", "postul", "angajarea", "salariul", "evaluarea", "formarea", "contractul", "concediul", "pontajul", "fișa", "promovarea", "perfecționare", "funcționar", "dosarul", "personal"}},
	{"DRP", "Direcția Relații cu Publicul", []string{"petiția", "registratură", "audiența", "răspunsul", "înregistrarea", "ghișeul", "corespondența", "arhiva", "solicitantul", "petentul", "expediere", "informații", "publice", "sesizarea", "reclamația"}},
	{"DPL", "Direcția Poliția Locală", []string{"contravenția", "patrulare", "sancțiunea", "ordinea", "circulația", "controlul", "procesul-verbal", "agentul", "parcare", "ridicare", "autovehicul", "dispecerat", "intervenție", "mandatul", "legitimare"}},
	{"DEP", "Direcția Evidența Persoanelor", []string{"nașterea", "căsătoria", "decesul", "certificatul", "identitate", "civilă", "actul", "transcrierea", "divorț", "ofițerul", "buletin", "domiciliul", "reședința", "mențiune", "rectificare"}},
	{"DCI", "Direcția Comunicare și Informatică", []string{"serverul", "rețeaua", "backup", "aplicația", "parola", "accesul", "securitate", "datele", "licența", "echipamentul", "incident", "utilizatorul", "portalul", "comunicatul", "presa"}},
}

// benchWords are the words every document shares, most common first: the
// text draws them on a Zipf law, so "cererea" is in nearly every document.
var benchWords = strings.Fields(`cererea documentul compartimentul termenul conducătorul procedura activitatea
	primarul verificarea aprobarea responsabilul instituției prevederile legale dosarul înregistrează transmite
	completează semnează persoana lucrătoare zile obligația modul evidența situația datele urmărește
	întocmește raportul actele anexa formularul numărul solicitării comunicarea răspuns organizarea
	desfășurarea controlul analiza planul programul măsurile riscurile obiectivele indicatorii rezultatele
	stabilește asigură respectă prezenta conform potrivit aplicarea domeniul scopul referința definiții
	descrierea responsabilități arhivare difuzare ediția revizia elaborare avizare exemplarul lista
	registrul condica ștampila semnătura original copia electronic hârtie poștă telefon adresa sediul
	program public cetățean contribuabil persoane juridice fizice organizații autorități instituții locale
	județene centrale ministerul agenția inspectoratul direcția serviciul biroul compartimente funcția
	postul atribuțiile sarcinile competențele pregătire instruire cunoștință confirmare ședință minuta
	convocare ordinea zi propuneri observații modificări completări ulterioare republicată aprobată
	hotărâre ordin lege ordonanță normele metodologice regulamentul codul administrativ fiscal muncii
	anual lunar săptămânal trimestrial semestrial zilnic imediat ulterior prealabil final inițial
	verifică analizează propune aprobă avizează înaintează restituie solicită primește eliberează
	emite publică afișează notifică informează consultă centralizează actualizează păstrează predă`)

// benchRare are words each put in only three documents.
var benchRare = []string{"geotermală", "fotovoltaic", "biodiversitate", "hidrografic", "paleontologic", "seismică", "ornitologie", "dendrologic"}

// benchRegister is the filled register and who reads it.
type benchRegister struct {
	svc         *documents.Service
	qm, emp     auth.Actor
	directorate int64 // the social assistance directorate, with its 5 services
	docs        int
}

// textGen writes deterministic Romanian-looking text.
type textGen struct {
	rng  *rand.Rand
	zipf *rand.Zipf
}

func (g *textGen) word(topic []string) string {
	if g.rng.IntN(10) < 3 {
		return topic[g.rng.IntN(len(topic))]
	}
	return benchWords[g.zipf.Uint64()]
}

func (g *textGen) sentence(topic []string) string {
	n := 8 + g.rng.IntN(9)
	w := make([]string, n)
	for i := range w {
		w[i] = g.word(topic)
	}
	r, size := utf8.DecodeRuneInString(w[0])
	w[0] = string(unicode.ToUpper(r)) + w[0][size:]
	return strings.Join(w, " ") + "."
}

func (g *textGen) paragraph(topic []string, sentences int) string {
	s := make([]string, sentences)
	for i := range s {
		s[i] = g.sentence(topic)
	}
	return strings.Join(s, " ")
}

func (g *textGen) bullets(topic []string, n int) string {
	lines := make([]string, n)
	for i := range lines {
		s := g.sentence(topic)
		r, size := utf8.DecodeRuneInString(s)
		lines[i] = "- " + string(unicode.ToLower(r)) + strings.TrimSuffix(s[size:], ".") + ";"
	}
	return strings.Join(lines, "\n")
}

// sections writes a document's sections, about size bytes in all.
func (g *textGen) sections(kind string, topic []string, size int, rare string) map[string]string {
	if !documents.Procedural(kind) {
		var b strings.Builder
		for b.Len() < size {
			b.WriteString(g.paragraph(topic, 3+g.rng.IntN(3)))
			b.WriteString("\n\n")
			if g.rng.IntN(3) == 0 {
				b.WriteString(g.bullets(topic, 3))
				b.WriteString("\n\n")
			}
		}
		return map[string]string{documents.SecBody: strings.TrimSpace(b.String()) + rare}
	}
	out := map[string]string{
		documents.SecPurpose:          g.paragraph(topic, 2),
		documents.SecScope:            g.paragraph(topic, 2),
		documents.SecReferences:       fmt.Sprintf("- Legea nr. %d/%d privind %s;\n- Ordinul SGG nr. 600/2018;\n- SR EN ISO 9001:2015.", 10+g.rng.IntN(500), 1990+g.rng.IntN(35), g.paragraph(topic, 1)),
		documents.SecDefinitions:      g.bullets(topic, 3+g.rng.IntN(4)),
		documents.SecResponsibilities: g.bullets(topic, 3+g.rng.IntN(4)),
		documents.SecAnnexes:          g.bullets(topic, 1+g.rng.IntN(3)),
	}
	used := 0
	for _, s := range out {
		used += len(s)
	}
	var b strings.Builder
	for i := 1; used+b.Len() < size; i++ {
		fmt.Fprintf(&b, "8.%d %s\n%s\n%s\n\n", i, g.sentence(topic), g.paragraph(topic, 3+g.rng.IntN(4)), g.bullets(topic, 2+g.rng.IntN(3)))
	}
	out[documents.SecDescription] = strings.TrimSpace(b.String()) + rare
	return out
}

// buildRegister fills a fresh SQLite database with the register. Documents
// go in with SQL in one transaction; their search index is filled by the
// service's own indexing.
func buildRegister(b testing.TB) *benchRegister {
	b.Helper()
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	type unit struct {
		id    int64
		code  string
		topic int
	}
	var units []unit
	reg := &benchRegister{}
	for i, t := range benchTopics[:benchDirectorates] {
		dir, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: t.name, Code: t.code, Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		if t.code == "DAS" {
			reg.directorate = dir.ID
		}
		units = append(units, unit{dir.ID, t.code, i})
		for j := 1; j <= 5; j++ {
			code := fmt.Sprintf("%s-S%d", t.code, j)
			u, err := o.CreateUnit(ctx, sys, org.UnitInput{ParentID: dir.ID, Name: fmt.Sprintf("Serviciul %d al %s", j, t.name), Code: code, Kind: org.UnitService, Relation: org.RelationOwn})
			if err != nil {
				b.Fatal(err)
			}
			units = append(units, unit{u.ID, code, i})
		}
	}
	svc := &documents.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
	rng := rand.New(rand.NewPCG(3000, 600))
	g := &textGen{rng: rng, zipf: rand.NewZipf(rng, 1.2, 2, uint64(len(benchWords)-1))}
	now := clk.Now()
	var people []int64
	start := time.Now()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		for i := range benchPeople {
			var id int64
			name := fmt.Sprintf("Persoana %03d", i)
			if err := tx.QueryRowContext(ctx, `INSERT INTO people (tenant_id, unit_id, full_name, job_title, position, employment, active, sort_name, search_text, created_at, updated_at)
				VALUES ($1, $2, $3, 'inspector', 'execution', 'civil_servant', TRUE, $4, $4, $5, $5) RETURNING id`, inst.ID, units[i%len(units)].id, name, textutil.Fold(name), now).Scan(&id); err != nil {
				return err
			}
			people = append(people, id)
		}
		// Which documents carry a rare word: three each, spread out.
		rare := map[int]string{}
		for i, w := range benchRare {
			for k := range 3 {
				rare[(i*397+k*1009)%(len(units)*benchDocsPerUnit)] = " " + w + "."
			}
		}
		n := 0
		for _, u := range units {
			topic := benchTopics[u.topic].words
			for k := 1; k <= benchDocsPerUnit; k++ {
				kind, prefix := documents.KindOperational, "PO"
				switch {
				case k%25 == 0:
					kind, prefix = documents.KindForm, "F"
				case k%25 == 1:
					kind, prefix = documents.KindInstruction, "IL"
				}
				code := fmt.Sprintf("%s-%s-%02d", prefix, u.code, k)
				title := []rune(strings.TrimSuffix(g.sentence(topic), "."))
				title = title[:min(len(title), 120)]
				owner := people[rng.IntN(len(people))]
				// Most documents are in force; some were never, some have a
				// superseded edition, some a revision being drafted.
				r := rng.IntN(100)
				state := documents.StateInForce
				switch {
				case r < 8:
					state = documents.StateDraft
				case r < 10:
					state = documents.StateVerification
				case r < 11:
					state = documents.StateApproval
				case r < 13:
					state = documents.StateWithdrawn
				}
				effective := t0.AddDate(0, 0, -rng.IntN(700)).Format(time.DateOnly)
				next := ""
				if state == documents.StateInForce {
					next = t0.AddDate(0, 12, -rng.IntN(700)).Format(time.DateOnly)
				} else if state != documents.StateWithdrawn {
					effective = ""
				}
				var doc int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO documents (tenant_id, kind, code, title, unit_id, owner_id, review_months, state, effective_on, next_review_on,
					sort_code, sort_title, search_text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 12, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
					inst.ID, kind, code, string(title), u.id, owner, state, effective, next, documents.SortCodeForBench(code), textutil.Fold(string(title)),
					documents.SearchKeyForBench(code, string(title)), now).Scan(&doc); err != nil {
					return err
				}
				version := func(edition, revision int, st string, secs map[string]string) (int64, error) {
					var id int64
					if err := tx.QueryRowContext(ctx, `INSERT INTO document_versions (tenant_id, document_id, edition, revision, state, source, effective_on, author_id, created_at, updated_at)
						VALUES ($1, $2, $3, $4, $5, 'sections', $6, 1, $7, $7) RETURNING id`, inst.ID, doc, edition, revision, st, effective, now).Scan(&id); err != nil {
						return 0, err
					}
					// In a fixed order, so every run indexes the same text.
					for _, key := range slices.Sorted(mapKeys(secs)) {
						if _, err := tx.ExecContext(ctx, `INSERT INTO document_sections (tenant_id, version_id, key, body) VALUES ($1, $2, $3, $4)`, inst.ID, id, key, secs[key]); err != nil {
							return 0, err
						}
					}
					return id, nil
				}
				secs := g.sections(kind, topic, 3000+rng.IntN(3000), rare[n])
				n++
				current, latest := sql.NullInt64{}, int64(0)
				v1State := state
				extra := rng.IntN(10)
				if state == documents.StateInForce && extra == 0 {
					v1State = documents.StateSuperseded
				}
				v1, err := version(1, 0, v1State, secs)
				if err != nil {
					return err
				}
				latest = v1
				if state == documents.StateInForce || state == documents.StateWithdrawn {
					current = sql.NullInt64{Int64: v1, Valid: true}
				}
				if state == documents.StateInForce && extra <= 1 {
					// A revision: in force over a superseded one, or drafted on top of the one in force.
					st := documents.StateInForce
					if extra == 1 {
						st = documents.StateDraft
					}
					secs2 := maps.Clone(secs)
					secs2[documents.SecDescription] = g.paragraph(topic, 6) + "\n\n" + secs[documents.SecDescription]
					v2, err := version(1, 1, st, secs2)
					if err != nil {
						return err
					}
					latest = v2
					if extra == 0 {
						current = sql.NullInt64{Int64: v2, Valid: true}
					}
				}
				if _, err := tx.ExecContext(ctx, `UPDATE documents SET current_id = $1, latest_id = $2 WHERE id = $3`, current, latest, doc); err != nil {
					return err
				}
				if err := svc.IndexForBench(ctx, tx, inst.ID, doc); err != nil {
					return err
				}
				reg.docs++
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("register of %d documents in %d units, %d people, filled in %s", reg.docs, len(units), len(people), time.Since(start).Round(time.Millisecond))
	reg.svc = svc
	reg.qm = auth.Actor{UserID: 1, Tenant: inst.ID, Name: "calitate", PersonID: people[0], Roles: []auth.Role{auth.RoleQualityManager}}
	reg.emp = auth.Actor{UserID: 2, Tenant: inst.ID, Name: "angajat", PersonID: people[1], Roles: []auth.Role{auth.RoleEmployee}}
	return reg
}

func mapKeys(m map[string]string) iter.Seq[string] { return maps.Keys(m) }

// BenchmarkMasterList is the first page (25 rows, with the total) of the
// master list of documents: sorted by code, filtered by a directorate (and
// its services) and state, and sorted by title descending; as the quality
// manager, who sees drafts, and as an employee, who does not.
func BenchmarkMasterList(b *testing.B) {
	reg := buildRegister(b)
	ctx := context.Background()
	cases := []struct {
		name  string
		actor auth.Actor
		f     documents.Filter
	}{
		{"code/quality_manager", reg.qm, documents.Filter{Sort: "code", Limit: 25}},
		{"code/employee", reg.emp, documents.Filter{Sort: "code", Limit: 25}},
		{"unit_state/quality_manager", reg.qm, documents.Filter{UnitID: reg.directorate, State: documents.StateInForce, Sort: "code", Limit: 25}},
		{"title_desc/quality_manager", reg.qm, documents.Filter{Sort: "-title", Limit: 25}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			list, total, err := reg.svc.List(ctx, c.actor, c.f)
			if err != nil || len(list) != 25 || total < 100 {
				b.Fatalf("list: %d rows of %d, %v", len(list), total, err)
			}
			b.Logf("%d documents", total)
			benchtest.Measure(b, func() error {
				_, _, err := reg.svc.List(ctx, c.actor, c.f)
				return err
			})
		})
	}
}

// BenchmarkSearch is a search page (20 hits, with the total and snippets):
// a word in nearly every document, two words of one directorate, a word in
// three documents and a code prefix; as an employee and as the quality
// manager.
func BenchmarkSearch(b *testing.B) {
	reg := buildRegister(b)
	ctx := context.Background()
	queries := []struct{ name, q string }{
		{"common_word", "cerere"},
		{"two_words", "anchetă socială"},
		{"rare_word", "geotermala"},
		{"code", "PO-DAS-0"},
	}
	for _, q := range queries {
		for _, who := range []struct {
			name  string
			actor auth.Actor
		}{{"employee", reg.emp}, {"quality_manager", reg.qm}} {
			b.Run(q.name+"/"+who.name, func(b *testing.B) {
				hits, total, err := reg.svc.Search(ctx, who.actor, q.q, 20, 0)
				if err != nil || len(hits) == 0 {
					b.Fatalf("search %q: %d hits of %d, %v", q.q, len(hits), total, err)
				}
				b.Logf("%q: %d documents", q.q, total)
				benchtest.Measure(b, func() error {
					_, _, err := reg.svc.Search(ctx, who.actor, q.q, 20, 0)
					return err
				})
			})
		}
	}
}

// BenchmarkSnippet cuts the snippet of one hit: the text of a procedure in
// force and of its revision (about 12,000 characters), searched for a word
// near its start and for one at its end. A search page makes 20.
func BenchmarkSnippet(b *testing.B) {
	rng := rand.New(rand.NewPCG(12, 20))
	g := &textGen{rng: rng, zipf: rand.NewZipf(rng, 1.2, 2, uint64(len(benchWords)-1))}
	secs := g.sections(documents.KindOperational, benchTopics[0].words, 12000, " geotermală.")
	var text strings.Builder
	for _, key := range slices.Sorted(mapKeys(secs)) {
		text.WriteString(secs[key])
		text.WriteString("\n")
	}
	for _, q := range []struct{ name, q string }{{"common_word", "cerere"}, {"rare_word", "geotermala"}} {
		b.Run(q.name, func(b *testing.B) {
			terms := db.Terms(textutil.Fold(q.q))
			if s := documents.Snippet(text.String(), terms, 240); !slices.ContainsFunc(s, func(f documents.Fragment) bool { return f.Match }) {
				b.Fatalf("no match for %q in the snippet %+v", q.q, s)
			}
			benchtest.Measure(b, func() error {
				documents.Snippet(text.String(), terms, 240)
				return nil
			})
		})
	}
}
