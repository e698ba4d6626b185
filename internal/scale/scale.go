// Package scale generates institutions at the size of DESIGN.md's performance
// budget, reproducibly from a seed, so that benchmarks measure Cadran on the
// data of the largest municipality and of a national deployment.
//
// Factor 1 is the budget's large municipality: 60 units, 600 users, 3,000
// documents, 10,000 register entries, 500 KPIs with ten years of monthly
// values and 200,000 petitions, with every other module filled in
// proportion. Grow adds that volume to an existing institution (the demo
// municipality, so the demo's sign-ins see it); Institutions creates many
// generated institutions, each grown at a smaller factor.
//
// Records go through the modules' services where that is fast enough, and
// the large volumes (petitions, measurements, acknowledgements) through
// batched inserts that still write one audit event per record and keep every
// derived table (search text, monthly statistics) as the services would.
// The same seed and the same clock give the same data on both engines.
package scale

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/demo"
	"cadran/internal/org"
	"cadran/internal/textutil"
)

// Options choose how much to generate.
type Options struct {
	// Seed makes the data reproducible: the same seed, clock and factor give
	// the same records.
	Seed uint64
	// Factor scales every volume; 1 is the performance budget's large
	// municipality, 0.1 a town, 0.01 a commune.
	Factor float64
	// Log, when set, receives one line per finished step.
	Log func(format string, args ...any)
	// Workers is how many generated institutions Institutions grows at
	// once (default 1). More than one only helps on PostgreSQL; each
	// institution's records stay the same, but the row IDs of different
	// institutions interleave.
	Workers int
}

// Named factors for the command line.
var Factors = map[string]float64{"large": 1, "medium": 0.1, "small": 0.01}

// ParseFactor reads "large", "medium", "small" or a number such as 0.5.
func ParseFactor(s string) (float64, error) {
	if f, ok := Factors[strings.ToLower(strings.TrimSpace(s))]; ok {
		return f, nil
	}
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil || f <= 0 || f > 10 || math.IsNaN(f) {
		return 0, fmt.Errorf("scale %q: use large, medium, small or a factor between 0 and 10", s)
	}
	return f, nil
}

// Profile is what one institution gets at a factor. Every volume is the
// total the institution should reach; a step adds what is missing.
type Profile struct {
	Factor          float64
	Units           int // organisational units, the institution's own and its bodies
	People          int // people, each with a user
	Documents       int // documented information: procedures, forms, the manual
	Risks           int
	Nonconformities int // with their corrective actions
	Proposals       int // improvement proposals
	Audits          int // internal audits over Years, with their findings
	KPIs            int // each with monthly values over Years
	Years           int // history kept by the scorecard, CAF, control and audits
	Petitions       int // petitions and requests for public information over Years
	Sessions        int // training sessions over Years
}

// ProfileFor scales the large municipality by f, keeping every volume at a
// size that still exercises its module.
func ProfileFor(f float64) Profile {
	n := func(large, least int) int { return max(least, int(math.Round(float64(large)*f))) }
	return Profile{
		Factor:          f,
		Units:           n(60, 4),
		People:          n(600, 12),
		Documents:       n(3000, 20),
		Risks:           n(4000, 20),
		Nonconformities: n(3000, 10),
		Proposals:       n(3000, 10),
		Audits:          n(200, 4),
		KPIs:            n(500, 8),
		Years:           10,
		Petitions:       n(200000, 200),
		Sessions:        n(400, 6),
	}
}

// Report says what a run made, step by step.
type Report struct {
	Institutions int
	Counts       map[string]int // what was added, by kind ("documents", "petitions")
	Took         map[string]time.Duration
	Order        []string // the steps in the order they ran
}

func (r *Report) merge(o Report) {
	if r.Counts == nil {
		r.Counts, r.Took = map[string]int{}, map[string]time.Duration{}
	}
	for k, v := range o.Counts {
		r.Counts[k] += v
	}
	for _, k := range o.Order {
		if _, ok := r.Took[k]; !ok {
			r.Order = append(r.Order, k)
		}
		r.Took[k] += o.Took[k]
	}
	r.Institutions += o.Institutions
}

func (r Report) String() string {
	keys := make([]string, 0, len(r.Counts))
	for k := range r.Counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", r.Counts[k], k))
	}
	took := make([]string, 0, len(r.Order))
	for _, k := range r.Order {
		took = append(took, fmt.Sprintf("%s %s", k, r.Took[k].Round(10*time.Millisecond)))
	}
	return fmt.Sprintf("%d institution(s) grown: %s (time: %s)", r.Institutions, strings.Join(parts, ", "), strings.Join(took, ", "))
}

// step is one module's generator. It adds what the profile asks beyond what
// the institution already holds, so a step may run on the demo municipality
// or on an empty generated institution.
type step struct {
	name string
	run  func(g *gen, ctx context.Context) error
}

// steps run in this order: people before the records they own, documents
// before the registers that cite them, registers before the audits that
// find them.
var steps = []step{
	{"org", (*gen).org},
	{"documents", (*gen).documents},
	{"registers", (*gen).registers},
	{"audits", (*gen).audits},
	{"scorecard", (*gen).scorecard},
	{"caf", (*gen).caf},
	{"control", (*gen).control},
	{"citizen", (*gen).citizen},
	{"training", (*gen).training},
}

// gen is one institution's generation run.
type gen struct {
	db     *db.DB
	clock  clock.Clock
	now    time.Time
	tenant int64
	name   string // the institution's name
	actor  auth.Actor
	p      Profile
	seed   uint64
	tag    string // short, unique per institution: "g0007", "" for the demo municipality
	domain string // e-mail domain of generated people

	// The roster, loaded from the database after the org step.
	units  []unitRef
	people []personRef

	counts map[string]int
	used   map[string]bool // full names and e-mail addresses already given
	hash   string          // the password hash generated users share
}

type unitRef struct {
	ID, ParentID int64
	Name         string
}

type personRef struct {
	ID, UnitID, UserID int64
	Name, Email        string
	Management         bool
}

// rng returns the random source of one step: steps draw from their own
// stream so that a change in one leaves the others' data as it was.
func (g *gen) rng(step string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(step))
	h.Write([]byte(g.tag))
	return rand.New(rand.NewPCG(g.seed, h.Sum64()))
}

func (g *gen) add(kind string, n int) { g.counts[kind] += n }

// weighted returns an index of ws drawn with the weights' odds.
func weighted(r *rand.Rand, ws []float64) int {
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	x := r.Float64() * sum
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

// pick returns a random element of s.
func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// Grow brings the institution with the given CUI up to the profile of
// opts.Factor. It is meant for the demo municipality: its sign-ins then see
// the large institution. Running it again adds nothing once the institution
// is at the profile's size.
func Grow(ctx context.Context, d *db.DB, c clock.Clock, cui string, opts Options) (Report, error) {
	orgs := &org.Service{DB: d, Clock: c}
	inst, err := orgs.InstitutionByCUI(ctx, cui)
	if err != nil {
		return Report{}, fmt.Errorf("cannot find the institution to grow (CUI %s): %w", cui, err)
	}
	return grow(ctx, d, c, inst, "", "primaria-targuverde.example", opts)
}

func grow(ctx context.Context, d *db.DB, c clock.Clock, inst org.Institution, tag, domain string, opts Options) (Report, error) {
	if opts.Factor <= 0 {
		opts.Factor = 1
	}
	g := &gen{
		db: d, clock: c, now: c.Now(), tenant: inst.ID, name: inst.Name,
		actor: auth.SystemActor(inst.ID, demo.Actor),
		p:     ProfileFor(opts.Factor), seed: opts.Seed, tag: tag, domain: domain,
		counts: map[string]int{}, used: map[string]bool{},
	}
	rep := Report{Institutions: 1, Counts: g.counts, Took: map[string]time.Duration{}}
	for _, s := range steps {
		start := time.Now()
		if err := g.load(ctx); err != nil {
			return rep, err
		}
		if err := s.run(g, ctx); err != nil {
			return rep, fmt.Errorf("%s: generating %s: %w", inst.Name, s.name, err)
		}
		rep.Order = append(rep.Order, s.name)
		rep.Took[s.name] = time.Since(start)
		if opts.Log != nil {
			opts.Log("%s: %s done in %s", inst.Name, s.name, time.Since(start).Round(time.Millisecond))
		}
	}
	return rep, nil
}

// Institutions creates n generated institutions (communes, towns and
// municipalities in turn, named "Comuna Generată 0001" and so on), each with
// an administrator and a quality manager who sign in with the demo password
// (admin.g0001, calitate.g0001), and grows each to opts.Factor. It skips the
// institutions that already exist, so an interrupted run can be resumed.
func Institutions(ctx context.Context, d *db.DB, c clock.Clock, n int, opts Options) (Report, error) {
	workers := max(1, min(opts.Workers, n))
	var (
		mu   sync.Mutex
		rep  Report
		errs []error
		next = 1
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if next > n || len(errs) > 0 {
			return 0
		}
		next++
		return next - 1
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := take(); i != 0; i = take() {
				r, err := institution(ctx, d, c, i, opts)
				mu.Lock()
				rep.merge(r)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return rep, errors.Join(errs...)
}

// institution creates and grows the i-th generated institution, unless it
// exists.
func institution(ctx context.Context, d *db.DB, c clock.Clock, i int, opts Options) (Report, error) {
	orgs := &org.Service{DB: d, Clock: c}
	tag := fmt.Sprintf("g%04d", i)
	cui := GeneratedCUI(i)
	if _, err := orgs.InstitutionByCUI(ctx, cui); err == nil {
		return Report{}, nil
	}
	kind, title := org.KindCommune, "Comuna"
	switch i % 10 {
	case 0:
		kind, title = org.KindMunicipality, "Municipiul"
	case 3, 7:
		kind, title = org.KindTown, "Orașul"
	}
	inst, err := orgs.CreateInstitutionSystem(ctx, org.InstitutionInput{
		Name: fmt.Sprintf("%s Generată %04d", title, i), CUI: cui, Kind: kind, County: counties[i%len(counties)],
	})
	if err != nil {
		return Report{}, fmt.Errorf("cannot create generated institution %d: %w", i, err)
	}
	return grow(ctx, d, c, inst, tag, tag+".generat.example", opts)
}

var counties = []string{"Alba", "Arad", "Argeș", "Bacău", "Bihor", "Bistrița-Năsăud", "Botoșani", "Brașov", "Brăila",
	"Buzău", "Caraș-Severin", "Călărași", "Cluj", "Constanța", "Covasna", "Dâmbovița", "Dolj", "Galați", "Giurgiu",
	"Gorj", "Harghita", "Hunedoara", "Ialomița", "Iași", "Ilfov", "Maramureș", "Mehedinți", "Mureș", "Neamț", "Olt",
	"Prahova", "Satu Mare", "Sălaj", "Sibiu", "Suceava", "Teleorman", "Timiș", "Tulcea", "Vaslui", "Vâlcea", "Vrancea"}

// GeneratedCUI is the fiscal code of the i-th generated institution: an
// 8-digit body from a range no demo institution uses, and its check digit.
func GeneratedCUI(i int) string {
	body := fmt.Sprintf("%08d", 70000000+i)
	return body + fmt.Sprint(org.CUICheckDigit(body))
}

// load reads the institution's units and people, with their users.
func (g *gen) load(ctx context.Context) error {
	g.units = g.units[:0]
	rows, err := g.db.R.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), name FROM units WHERE tenant_id = $1 ORDER BY id`, g.tenant)
	if err != nil {
		return fmt.Errorf("cannot read units: %w", err)
	}
	for rows.Next() {
		var u unitRef
		if err := rows.Scan(&u.ID, &u.ParentID, &u.Name); err != nil {
			rows.Close()
			return err
		}
		g.units = append(g.units, u)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	g.people = g.people[:0]
	rows, err = g.db.R.QueryContext(ctx, `SELECT p.id, COALESCE(p.unit_id, 0), COALESCE(u.id, 0), p.full_name, p.email, p.position = 'management'
		FROM people p LEFT JOIN users u ON u.person_id = p.id AND u.tenant_id = p.tenant_id
		WHERE p.tenant_id = $1 AND p.active ORDER BY p.id`, g.tenant)
	if err != nil {
		return fmt.Errorf("cannot read people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p personRef
		if err := rows.Scan(&p.ID, &p.UnitID, &p.UserID, &p.Name, &p.Email, &p.Management); err != nil {
			return err
		}
		g.used[p.Name] = true
		g.used[p.Email] = true
		g.people = append(g.people, p)
	}
	return rows.Err()
}

// inUnit returns the people of a unit; managers first.
func (g *gen) inUnit(unit int64) []personRef {
	var out []personRef
	for _, p := range g.people {
		if p.UnitID == unit {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b personRef) int {
		if a.Management == b.Management {
			return 0
		}
		if a.Management {
			return -1
		}
		return 1
	})
	return out
}

// users returns the people who have a user.
func (g *gen) users() []personRef {
	var out []personRef
	for _, p := range g.people {
		if p.UserID != 0 {
			out = append(out, p)
		}
	}
	return out
}

// tx runs fn in one write transaction: the bulk steps write thousands of
// records per transaction, which is what makes them fast on SQLite.
func (g *gen) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return g.db.Tx(ctx, fn)
}

// fold is the search form of a text, as the services store it.
func fold(s string) string { return textutil.Fold(s) }

// auditBatch starts the audit events of a bulk write in tx: on PostgreSQL
// they go in multi-row INSERTs (one round trip per few hundred events
// instead of one per event), on SQLite one row per execution of a prepared
// statement, which is as fast there. The chain is the one Record writes.
func (g *gen) auditBatch(ctx context.Context, tx *sql.Tx) (*audit.Batch, error) {
	rows := 1
	if g.db.Engine == db.Postgres {
		rows = 250
	}
	return audit.NewBatch(ctx, tx, g.tenant, rows)
}
