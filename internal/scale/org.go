package scale

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"cadran/internal/auth"
	"cadran/internal/demo"
	"cadran/internal/org"
)

// unitNames are the generated units, in the order they are added: a large
// municipality's directorates first, then their services and offices, then
// the bodies under the local council.
var unitNames = []struct {
	name, kind, relation string
	top                  bool // a top-level unit; the others go under one
}{
	{"Direcția Tehnică", org.UnitDirectorate, org.RelationOwn, true},
	{"Direcția Economică", org.UnitDirectorate, org.RelationOwn, true},
	{"Direcția Juridică și Administrație Publică", org.UnitDirectorate, org.RelationOwn, true},
	{"Direcția Arhitect Șef", org.UnitDirectorate, org.RelationOwn, true},
	{"Direcția Patrimoniu", org.UnitDirectorate, org.RelationOwn, true},
	{"Serviciul Investiții", org.UnitService, org.RelationOwn, false},
	{"Serviciul Achiziții Publice", org.UnitService, org.RelationOwn, false},
	{"Serviciul Buget", org.UnitService, org.RelationOwn, false},
	{"Serviciul Contabilitate", org.UnitService, org.RelationOwn, false},
	{"Serviciul Impozite și Taxe Persoane Fizice", org.UnitService, org.RelationOwn, false},
	{"Serviciul Impozite și Taxe Persoane Juridice", org.UnitService, org.RelationOwn, false},
	{"Serviciul Urbanism", org.UnitService, org.RelationOwn, false},
	{"Serviciul Autorizări în Construcții", org.UnitService, org.RelationOwn, false},
	{"Serviciul Cadastru și Fond Funciar", org.UnitService, org.RelationOwn, false},
	{"Serviciul Resurse Umane", org.UnitService, org.RelationOwn, false},
	{"Serviciul Relații cu Publicul", org.UnitService, org.RelationOwn, false},
	{"Serviciul Administrarea Domeniului Public", org.UnitService, org.RelationOwn, false},
	{"Serviciul Transport Public Local", org.UnitService, org.RelationOwn, false},
	{"Serviciul Protecția Mediului", org.UnitService, org.RelationOwn, false},
	{"Serviciul Programe și Proiecte cu Finanțare Externă", org.UnitService, org.RelationOwn, false},
	{"Biroul Registratură și Arhivă", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Informatică", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Comunicare și Relații Publice", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Juridic Contencios", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Autoritate Tutelară", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Executări Silite", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Disciplina în Construcții", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Evidența Patrimoniului", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Situații de Urgență", org.UnitOffice, org.RelationOwn, false},
	{"Biroul Parcări", org.UnitOffice, org.RelationOwn, false},
	{"Compartimentul Audit Public Intern", org.UnitCompartment, org.RelationOwn, true},
	{"Compartimentul Control Intern Managerial", org.UnitCompartment, org.RelationOwn, true},
	{"Compartimentul Managementul Calității", org.UnitCompartment, org.RelationOwn, true},
	{"Compartimentul Cabinet Primar", org.UnitCompartment, org.RelationOwn, true},
	{"Compartimentul Etică și Integritate", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Transparență Decizională", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Monitorizare Servicii Comunitare", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Agricol", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Stare Civilă", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Spații Verzi", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Salarizare", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Licitații", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Energetic", org.UnitCompartment, org.RelationOwn, false},
	{"Compartimentul Locativ", org.UnitCompartment, org.RelationOwn, false},
	{"Direcția de Asistență Socială", org.UnitDirectorate, org.RelationSubordinate, true},
	{"Serviciul Public Comunitar Local de Evidență a Persoanelor", org.UnitService, org.RelationDecentralised, true},
	{"Poliția Locală", org.UnitDirectorate, org.RelationSubordinate, true},
	{"Serviciul Public de Salubrizare", org.UnitService, org.RelationSubordinate, true},
	{"Administrația Piețelor", org.UnitService, org.RelationSubordinate, true},
	{"Administrația Domeniului Public și Privat", org.UnitDirectorate, org.RelationSubordinate, true},
	{"Clubul Sportiv Municipal", org.UnitService, org.RelationSubordinate, true},
	{"Casa de Cultură", org.UnitService, org.RelationSubordinate, true},
	{"Biblioteca Municipală", org.UnitService, org.RelationSubordinate, true},
	{"Serviciul Voluntar pentru Situații de Urgență", org.UnitService, org.RelationSubordinate, true},
	{"Centrul de Zi pentru Persoane Vârstnice", org.UnitCompartment, org.RelationSubordinate, false},
	{"Cantina Socială", org.UnitCompartment, org.RelationSubordinate, false},
	{"Creșa Municipală", org.UnitService, org.RelationSubordinate, true},
	{"Serviciul Asistență Medicală Comunitară", org.UnitCompartment, org.RelationSubordinate, false},
	{"Serviciul Evidența Persoanelor Ghișeu 2", org.UnitCompartment, org.RelationDecentralised, false},
	{"Compartimentul Parcuri și Locuri de Joacă", org.UnitCompartment, org.RelationSubordinate, false},
}

var jobTitles = []string{"Consilier", "Consilier superior", "Inspector", "Inspector de specialitate", "Referent",
	"Consilier juridic", "Auditor", "Expert", "Inspector principal", "Referent de specialitate"}

// passwordHash is the one argon2id hash of the demo password that generated
// users share; hashing it per user would take minutes.
var passwordHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(demo.Password) })

// org brings the institution to the profile's units and people, and gives
// every person a user. A generated institution also gets its mayor, its
// secretary general and the sign-ins that benchmarks use.
func (g *gen) org(ctx context.Context) error {
	r := g.rng("org")
	orgs := &org.Service{DB: g.db, Clock: g.clock}
	users := &auth.Service{DB: g.db, Clock: g.clock}
	hash, err := passwordHash()
	if err != nil {
		return err
	}

	byName := map[string]bool{}
	for _, u := range g.units {
		byName[u.Name] = true
	}
	for i := 0; len(g.units) < g.p.Units; i++ {
		spec := unitNames[i%len(unitNames)]
		name := spec.name
		if round := i / len(unitNames); round > 0 {
			name = fmt.Sprintf("%s %d", name, round+1)
		}
		if byName[name] {
			continue
		}
		in := org.UnitInput{Name: name, Kind: spec.kind, Relation: spec.relation, Position: 1000 + i*10}
		if !spec.top {
			// Services and offices go under one of the directorates.
			var parents []unitRef
			for _, u := range g.units {
				if u.ParentID == 0 && strings.HasPrefix(u.Name, "Direcția") {
					parents = append(parents, u)
				}
			}
			if len(parents) > 0 {
				in.ParentID = pick(r, parents).ID
			}
		}
		if spec.relation != org.RelationOwn && spec.top {
			in.LegalPerson = true
		}
		u, err := orgs.CreateUnit(ctx, g.actor, in)
		if err != nil {
			return fmt.Errorf("cannot create unit %s: %w", name, err)
		}
		byName[name] = true
		g.units = append(g.units, unitRef{ID: u.ID, ParentID: in.ParentID, Name: name})
		g.add("units", 1)
	}

	male, female, surnames := demo.Names()
	person := func(in org.PersonInput) (org.Person, error) {
		for {
			first := pick(r, male)
			if r.IntN(2) == 0 {
				first = pick(r, female)
			}
			in.FullName = first + " " + pick(r, surnames)
			if !g.used[in.FullName] {
				break
			}
			if r.IntN(4) == 0 {
				// A double surname, as many Romanian women have, widens the
				// pool once the plain names run out.
				in.FullName += "-" + pick(r, surnames)
				if !g.used[in.FullName] {
					break
				}
			}
		}
		g.used[in.FullName] = true
		local := strings.ReplaceAll(fold(in.FullName), " ", ".")
		in.Email = local + "@" + g.domain
		for n := 2; g.used[in.Email]; n++ {
			in.Email = fmt.Sprintf("%s%d@%s", local, n, g.domain)
		}
		g.used[in.Email] = true
		in.Phone = fmt.Sprintf("0%d %03d %03d", 230+r.IntN(40), 100+r.IntN(900), r.IntN(1000))
		in.Active = true
		p, err := orgs.CreatePerson(ctx, g.actor, in)
		if err != nil {
			return p, fmt.Errorf("cannot create person %s: %w", in.FullName, err)
		}
		g.people = append(g.people, personRef{ID: p.ID, UnitID: in.UnitID, Name: p.FullName, Email: p.Email, Management: in.Position == org.PositionManagement})
		g.add("people", 1)
		return p, nil
	}
	user := func(p personRef, username string, roles ...auth.Role) error {
		u, err := users.CreateUser(ctx, g.actor, auth.UserInput{
			Username: username, DisplayName: p.Name, Email: p.Email, PasswordHash: hash,
			PersonID: p.ID, Locale: "ro", Roles: roles,
		})
		if err != nil {
			return fmt.Errorf("cannot create user %s: %w", username, err)
		}
		for i := range g.people {
			if g.people[i].ID == p.ID {
				g.people[i].UserID = u.ID
			}
		}
		g.add("users", 1)
		return nil
	}

	if g.tag != "" && len(g.people) == 0 {
		// A new generated institution: its leadership and benchmark sign-ins.
		lead := []struct {
			title, elected, username string
			role                     auth.Role
		}{
			{"Primar", org.ElectedMayor, "primar", auth.RoleTopManagement},
			{"Secretar general al UAT", "", "admin", auth.RoleAdmin},
			{"Responsabil cu managementul calității", "", "calitate", auth.RoleQualityManager},
		}
		for _, l := range lead {
			in := org.PersonInput{JobTitle: l.title, Position: org.PositionManagement, Employment: org.EmploymentCivilServant}
			if l.elected != "" {
				in.Employment, in.ElectedRole = org.EmploymentElected, l.elected
			}
			p, err := person(in)
			if err != nil {
				return err
			}
			if err := user(g.people[len(g.people)-1], l.username+"."+g.tag, l.role); err != nil {
				return err
			}
			_ = p
		}
	}

	// Every unit gets a head before any unit gets a second person.
	headed := map[int64]bool{}
	for _, p := range g.people {
		if p.Management {
			headed[p.UnitID] = true
		}
	}
	for _, u := range g.units {
		if len(g.people) >= g.p.People {
			break
		}
		if headed[u.ID] {
			continue
		}
		title := "Director executiv"
		switch {
		case strings.HasPrefix(u.Name, "Serviciul"):
			title = "Șef serviciu"
		case strings.HasPrefix(u.Name, "Biroul"):
			title = "Șef birou"
		case strings.HasPrefix(u.Name, "Compartimentul"):
			title = "Coordonator compartiment"
		}
		if _, err := person(org.PersonInput{UnitID: u.ID, JobTitle: title, Position: org.PositionManagement, Employment: org.EmploymentCivilServant}); err != nil {
			return err
		}
		headed[u.ID] = true
	}
	for len(g.people) < g.p.People {
		u := pick(r, g.units)
		emp := org.EmploymentCivilServant
		if r.IntN(4) == 0 {
			emp = org.EmploymentContract
		}
		if _, err := person(org.PersonInput{UnitID: u.ID, JobTitle: pick(r, jobTitles), Position: org.PositionExecution, Employment: emp}); err != nil {
			return err
		}
	}

	// Every person gets a user: heads of units as such, the rest as employees.
	taken := map[string]bool{}
	for _, p := range g.people {
		if p.UserID != 0 {
			continue
		}
		base := strings.ReplaceAll(fold(p.Name), " ", ".")
		base = strings.ReplaceAll(base, "-", ".")
		if g.tag != "" {
			base += "." + g.tag
		}
		username := base
		for n := 2; taken[username]; n++ {
			username = fmt.Sprintf("%s%d", base, n)
		}
		taken[username] = true
		role := auth.RoleEmployee
		if p.Management && p.UnitID != 0 {
			role = auth.RoleHeadOfUnit
		}
		if err := user(p, username, role); err != nil {
			return err
		}
	}
	return nil
}
