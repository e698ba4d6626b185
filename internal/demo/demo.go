// Package demo creates the demo deployment: a fictional municipality with a
// realistic organisation chart, its people and one sign-in per role, beside a
// small commune that shows one deployment holding several institutions.
// Everything goes through the org and auth services, so every record is
// audited like one made by hand.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// The demo institutions. Both are fictional; their fiscal codes pass
// org.ValidCUI.
const (
	Name = "Primăria Municipiului Târgu Verde"
	CUI  = "44372154"

	ValeaName = "Comuna Valea Lungă"
	ValeaCUI  = "26508712"
)

// ErrNotDemoDatabase refuses to seed a database that holds real institutions.
var ErrNotDemoDatabase = errors.New("the database already holds institutions other than the demo ones; the demo adds users with a public password, so run it on a separate database (for example --database data/demo.db)")

// Password is every demo user's password.
const Password = "cadran-demo"

// Account is one demo sign-in.
type Account struct {
	Username      string
	CUI           string // the institution the user belongs to
	Roles         []auth.Role
	PlatformAdmin bool
	Locale        string
	person        string // key of the person the user is linked to
}

// Accounts are the demo sign-ins, in the order the command line lists them.
var Accounts = []Account{
	{Username: "admin", CUI: CUI, Roles: []auth.Role{auth.RoleAdmin}, PlatformAdmin: true, Locale: "ro", person: "admin"},
	{Username: "calitate", CUI: CUI, Roles: []auth.Role{auth.RoleQualityManager}, Locale: "ro", person: "calitate"},
	{Username: "primar", CUI: CUI, Roles: []auth.Role{auth.RoleTopManagement}, Locale: "ro", person: "mayor"},
	{Username: "economic", CUI: CUI, Roles: []auth.Role{auth.RoleHeadOfUnit}, Locale: "ro", person: "head:de"},
	{Username: "auditor", CUI: CUI, Roles: []auth.Role{auth.RoleAuditor}, Locale: "en", person: "auditor"},
	{Username: "angajat", CUI: CUI, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro", person: "angajat"},
	{Username: "registratura", CUI: CUI, Roles: []auth.Role{auth.RoleRegistryClerk}, Locale: "ro", person: "registratura"},
	{Username: "consilier", CUI: CUI, Roles: []auth.Role{auth.RoleViewer}, Locale: "ro", person: "councillor"},
	{Username: "admin.valea", CUI: ValeaCUI, Roles: []auth.Role{auth.RoleAdmin}, Locale: "ro", person: "secretary"},
}

// Usernames are the demo sign-in names, in the order of Accounts.
var Usernames = func() []string {
	out := make([]string, len(Accounts))
	for i, a := range Accounts {
		out[i] = a.Username
	}
	return out
}()

// institutionSpec describes one demo institution.
type institutionSpec struct {
	name, cui, kind, county string
	domain                  string // e-mail domain of its people
	phone                   string // telephone area code
	units                   []unitSpec
	deputies                int // viceprimari
	councillors             int // consilieri locali in the demo (not the whole council)
}

var institutions = []institutionSpec{
	{name: Name, cui: CUI, kind: org.KindMunicipality, county: "Mureș", domain: "primaria-targuverde.example", phone: "0265",
		units: targuVerdeUnits, deputies: 2, councillors: 5},
	{name: ValeaName, cui: ValeaCUI, kind: org.KindCommune, county: "Vâlcea", domain: "valealunga.example", phone: "0250",
		units: valeaLungaUnits, deputies: 1, councillors: 2},
}

// Result says what Seed did.
type Result struct {
	// Created is false when the demo data was there already and Seed
	// changed nothing.
	Created      bool
	Institutions []Created
}

// Created counts what was made for one institution.
type Created struct {
	ID                                     int64
	Name, CUI                              string
	Units, People, Users, Tasks, Documents int
	Risks, Nonconformities, Proposals      int
	Audits, Reviews, ExternalAudits        int
	KPIs, Measurements                     int
	CAFCycles                              int
	CitizenCases, Ratings                  int
	TrainingSessions, Certificates         int
	ControlEvaluations                     int
}

func (r Result) String() string {
	if !r.Created {
		return fmt.Sprintf("the demo data is already there (%s, CUI %s); nothing was changed", Name, CUI)
	}
	parts := make([]string, len(r.Institutions))
	for i, c := range r.Institutions {
		parts[i] = fmt.Sprintf("%s: %s, %s, %s", c.Name, plural(c.Units, "unit", "units"), plural(c.People, "person", "people"), plural(c.Users, "user", "users"))
		if c.Tasks > 0 {
			parts[i] += ", " + plural(c.Tasks, "task", "tasks")
		}
		if c.Documents > 0 {
			parts[i] += ", " + plural(c.Documents, "document", "documents")
		}
		if c.Risks > 0 {
			parts[i] += ", " + plural(c.Risks, "risk", "risks")
		}
		if c.Nonconformities > 0 {
			parts[i] += ", " + plural(c.Nonconformities, "nonconformity", "nonconformities")
		}
		if c.Proposals > 0 {
			parts[i] += ", " + plural(c.Proposals, "improvement proposal", "improvement proposals")
		}
		if c.Audits > 0 {
			parts[i] += ", " + plural(c.Audits, "internal audit", "internal audits")
		}
		if c.Reviews > 0 {
			parts[i] += ", " + plural(c.Reviews, "management review", "management reviews")
		}
		if c.ExternalAudits > 0 {
			parts[i] += ", " + plural(c.ExternalAudits, "external audit", "external audits")
		}
		if c.CAFCycles > 0 {
			parts[i] += ", " + plural(c.CAFCycles, "CAF self-assessment", "CAF self-assessments")
		}
		if c.KPIs > 0 {
			parts[i] += ", " + plural(c.KPIs, "KPI", "KPIs") + " with " + plural(c.Measurements, "value", "values")
		}
		if c.TrainingSessions > 0 {
			parts[i] += ", " + plural(c.TrainingSessions, "training session", "training sessions") + " with " + plural(c.Certificates, "certificate", "certificates")
		}
		if c.ControlEvaluations > 0 {
			parts[i] += ", " + plural(c.ControlEvaluations, "internal control self-evaluation", "internal control self-evaluations")
		}
		if c.CitizenCases > 0 {
			parts[i] += ", " + plural(c.CitizenCases, "registered petition or request", "registered petitions and requests") + " with " + plural(c.Ratings, "citizen rating", "citizen ratings")
		}
	}
	return "demo data created: " + strings.Join(parts, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Actor is the name the audit trail gives to the demo's changes.
const Actor = "cadran demo"

// Seed creates the demo institutions once. When the demo municipality
// (found by its CUI) already exists it does nothing and says so.
func Seed(ctx context.Context, d *db.DB, c clock.Clock) (Result, error) {
	orgs := &org.Service{DB: d, Clock: c}
	users := &auth.Service{DB: d, Clock: c}
	if _, err := orgs.InstitutionByCUI(ctx, CUI); err == nil {
		return Result{}, nil
	} else if !errors.Is(err, apperr.ErrNotFound) {
		return Result{}, fmt.Errorf("cannot look for the demo institution: %w", err)
	}
	// Demo users share a public password: never add them to a database that
	// already serves real institutions.
	var others int
	if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM institutions WHERE cui NOT IN ($1, $2)`, CUI, ValeaCUI).Scan(&others); err != nil {
		return Result{}, fmt.Errorf("cannot check the database before seeding: %w", err)
	}
	if others > 0 {
		return Result{}, ErrNotDemoDatabase
	}
	// A fixed seed gives the same people on every run and engine.
	notes := &notify.Service{DB: d, Clock: c, Bundle: i18n.MustLoad()}
	s := &seeder{orgs: orgs, users: users, work: &work.Service{DB: d, Clock: c, Notify: notes}, db: d, clock: c, rng: rand.New(rand.NewPCG(2018, 600)), used: map[string]bool{}}
	res := Result{Created: true}
	for i, spec := range institutions {
		created, err := s.institution(ctx, spec)
		if i == 0 && isCUITaken(err) {
			// Another process seeded the demo between our look and now.
			return Result{}, nil
		}
		if err != nil {
			return res, fmt.Errorf("cannot create the demo institution %s: %w", spec.name, err)
		}
		res.Institutions = append(res.Institutions, created)
	}
	return res, nil
}

func isCUITaken(err error) bool {
	v, ok := apperr.AsValidation(err)
	return ok && v["cui"] == "institution.error.cui_taken"
}

type seeder struct {
	orgs  *org.Service
	users *auth.Service
	work  *work.Service
	db    *db.DB
	clock clock.Clock
	rng   *rand.Rand
	used  map[string]bool // full names and e-mail addresses already given

	male, female, surnames []string // decks of names not yet dealt
}

func (s *seeder) institution(ctx context.Context, spec institutionSpec) (Created, error) {
	inst, err := s.orgs.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: spec.name, CUI: spec.cui, Kind: spec.kind, County: spec.county})
	if err != nil {
		return Created{}, err
	}
	out := Created{ID: inst.ID, Name: inst.Name, CUI: inst.CUI}
	actor := auth.SystemActor(inst.ID, Actor)

	unitIDs := map[string]int64{}
	for i, u := range spec.units {
		unit, err := s.orgs.CreateUnit(ctx, actor, org.UnitInput{
			ParentID: unitIDs[u.parent], Name: u.name, Code: u.code, Kind: u.kind,
			Relation: u.relation, LegalPerson: u.legalPerson, Position: (i + 1) * 10,
		})
		if err != nil {
			return out, fmt.Errorf("cannot create unit %s: %w", u.name, err)
		}
		unitIDs[u.key] = unit.ID
		out.Units++
	}

	people := map[string]org.Person{}
	add := func(key string, in org.PersonInput) error {
		in.FullName = s.name()
		in.Email = s.email(in.FullName, spec.domain)
		in.Phone = fmt.Sprintf("%s %03d %03d", spec.phone, 100+s.rng.IntN(900), s.rng.IntN(1000))
		in.Active = true
		p, err := s.orgs.CreatePerson(ctx, actor, in)
		if err != nil {
			return fmt.Errorf("cannot create person %s: %w", in.FullName, err)
		}
		if _, ok := people[key]; key != "" && !ok {
			people[key] = p
		}
		out.People++
		return nil
	}
	elected := func(title, role string, position string) org.PersonInput {
		return org.PersonInput{JobTitle: title, Position: position, Employment: org.EmploymentElected, ElectedRole: role}
	}
	if err := add("mayor", elected("Primar", org.ElectedMayor, org.PositionManagement)); err != nil {
		return out, err
	}
	for range spec.deputies {
		if err := add("deputy", elected("Viceprimar", org.ElectedDeputyMayor, org.PositionManagement)); err != nil {
			return out, err
		}
	}
	if err := add("secretary", org.PersonInput{JobTitle: "Secretar general al UAT", Position: org.PositionManagement, Employment: org.EmploymentCivilServant}); err != nil {
		return out, err
	}
	for _, u := range spec.units {
		if u.head != "" {
			in := org.PersonInput{UnitID: unitIDs[u.key], JobTitle: u.head, Position: org.PositionManagement, Employment: org.EmploymentCivilServant}
			if u.key == "das" {
				// The social assistance directorate's head is contract staff
				// in many municipalities; show both kinds of management.
				in.Employment = org.EmploymentContract
			}
			if err := add("head:"+u.key, in); err != nil {
				return out, err
			}
		}
		for _, st := range u.staff {
			for range st.count {
				in := org.PersonInput{UnitID: unitIDs[u.key], JobTitle: st.title, Position: org.PositionExecution, Employment: st.employment}
				if err := add(st.key, in); err != nil {
					return out, err
				}
			}
		}
	}
	for range spec.councillors {
		if err := add("councillor", elected("Consilier local", org.ElectedCouncillor, org.PositionExecution)); err != nil {
			return out, err
		}
	}

	users := map[string]int64{}
	for _, a := range Accounts {
		if a.CUI != spec.cui {
			continue
		}
		p, ok := people[a.person]
		if !ok {
			return out, fmt.Errorf("cannot create user %s: no person %q to link", a.Username, a.person)
		}
		u, err := s.users.CreateUser(ctx, actor, auth.UserInput{
			Username: a.Username, DisplayName: p.FullName, Email: p.Email, Password: Password,
			PersonID: p.ID, Locale: a.Locale, Roles: a.Roles, PlatformAdmin: a.PlatformAdmin,
		})
		if err != nil {
			return out, fmt.Errorf("cannot create user %s: %w", a.Username, err)
		}
		users[a.Username] = u.ID
		out.Users++
	}
	if spec.cui == CUI {
		n, err := s.tasks(ctx, people, users)
		if err != nil {
			return out, err
		}
		out.Tasks = n
		if out.Documents, err = s.documents(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		if out.Risks, err = s.risks(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		if out.Nonconformities, out.Proposals, err = s.improvement(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		// The audits raise their findings in the nonconformity register; the
		// compliance matrix reads the audits; the review reads everything.
		if out.Audits, err = s.audits(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		if out.ExternalAudits, err = s.compliance(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		// The registry's indicators feed KPIs of the scorecard.
		if out.CitizenCases, out.Ratings, err = s.citizen(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		// Training: a target group of 30 and its two programmes; its
		// indicators feed KPIs of the scorecard.
		if out.TrainingSessions, out.Certificates, err = s.training(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		// Internal managerial control: the commission, last year's
		// self-evaluation and this year's under way, the development
		// programme, the sensitive functions and procedure coverage.
		if out.ControlEvaluations, err = s.control(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		// The scorecard's quality objectives and monitoring results are
		// inputs of the review.
		if out.KPIs, out.Measurements, err = s.scorecard(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		if out.CAFCycles, err = s.caf(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		if out.Reviews, err = s.reviews(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
		// The subordinate bodies' own records, so that the consolidated
		// view compares the apparatus with them.
		kpis, values, err := s.bodies(ctx, inst.ID, unitIDs, people, users)
		if err != nil {
			return out, err
		}
		out.KPIs, out.Measurements = out.KPIs+kpis, out.Measurements+values
		// The crosswalk between ISO 9001, CAF and OSGG 600, with evidence
		// recorded once and read by all three.
		if err = s.crosswalk(ctx, inst.ID, unitIDs, people, users); err != nil {
			return out, err
		}
	}
	return out, nil
}

// name returns a full name not given before. Names are dealt from shuffled
// decks, so surnames repeat only after the whole list has been used.
func (s *seeder) name() string {
	for {
		first := s.deal(&s.male, maleNames)
		if s.rng.IntN(2) == 0 {
			first = s.deal(&s.female, femaleNames)
		}
		full := first + " " + s.deal(&s.surnames, surnames)
		if !s.used[full] {
			s.used[full] = true
			return full
		}
	}
}

// deal takes the next name from deck, refilling it with a shuffled copy of
// names when it is empty.
func (s *seeder) deal(deck *[]string, names []string) string {
	if len(*deck) == 0 {
		*deck = slices.Clone(names)
		s.rng.Shuffle(len(*deck), func(i, j int) { (*deck)[i], (*deck)[j] = (*deck)[j], (*deck)[i] })
	}
	next := (*deck)[0]
	*deck = (*deck)[1:]
	return next
}

// email makes prenume.nume@domain without diacritics, unique in the demo.
func (s *seeder) email(fullName, domain string) string {
	local := strings.ReplaceAll(textutil.Fold(fullName), " ", ".")
	addr := local + "@" + domain
	for n := 2; s.used[addr]; n++ {
		addr = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	s.used[addr] = true
	return addr
}
