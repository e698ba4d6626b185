package demo

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo municipality's ISO 9001 compliance: certified after the initial
// audit of autumn two years ago (stage 1, then stage 2), the first
// surveillance a year later, the second a month or so ago, each finding
// raised as a case in the nonconformity register and followed there (the
// older ones closed, the latest still being worked on); the policy PC-01
// and the manual MC-01 named as the quality policy and the scope, with
// design and development (8.3) excluded; every clause assessed, three of
// them only partly, and a few records kept outside Cadran entered by hand.
// It is played on a clock of its own through the compliance and
// improvement services, so every step is audited and the certificate's
// deadlines reach the quality manager's inbox as they would have.

// cmpFinding is a finding of a demo external audit and how far its case
// went: "closed", "actions" (actions under way) or "analysis".
type cmpFinding struct {
	severity, clause, unit, text string
	story                        string
	cause, conclusion, action    string
	owner                        string // person key
	done                         string // the action's note once done
}

// cmpAudit is a demo external audit, ago days before today.
type cmpAudit struct {
	kind, lead, result, report, notes string
	ago, days                         int
	findings                          []cmpFinding
}

const cmpBody = "CertRom Calitate SRL"

var demoExternalAudits = []cmpAudit{
	{kind: compliance.KindStage1, ago: 800, days: 1, lead: "ing. Daniela Popovici", result: compliance.ResultRecommended, report: "Raportul de audit nr. 1187/E1",
		notes: "Documentația sistemului analizată; primăria este pregătită pentru etapa a 2-a. Planul auditului de certificare a fost stabilit."},
	{kind: compliance.KindStage2, ago: 760, days: 2, lead: "ing. Daniela Popovici", result: compliance.ResultRecommended, report: "Raportul de audit nr. 1187/E2",
		notes: "Certificarea este recomandată. O neconformitate minoră, de închis până la primul audit de supraveghere.",
		findings: []cmpFinding{{severity: improvement.SeverityMinor, clause: "9.1.2", unit: "bcim", story: "closed", owner: "head:bcim",
			text:       "Satisfacția cetățenilor nu este evaluată periodic: ultimul chestionar aplicat la ghișee datează de acum trei ani.",
			cause:      "Evaluarea satisfacției nu are o periodicitate și un responsabil stabilite",
			conclusion: "Procedura de comunicare cu cetățenii nu stabilește când și de către cine se evaluează satisfacția.",
			action:     "Chestionar anual de satisfacție, aplicat la ghișee și pe site, cu raport către conducere",
			done:       "Chestionarul a fost aplicat; 1.240 de răspunsuri; raportul a fost prezentat primarului."}}},
	{kind: compliance.KindSurveillance1, ago: 400, days: 2, lead: "ec. Mihai Dragomir", result: compliance.ResultRecommended, report: "Raportul de audit nr. 1402/S1",
		notes: "Menținerea certificării este recomandată. Neconformitatea din etapa a 2-a a fost închisă eficace.",
		findings: []cmpFinding{
			{severity: improvement.SeverityMinor, clause: "7.2", unit: "sru", story: "closed", owner: "head:sru",
				text:       "Pentru trei angajați noi nu există evaluarea competenței la finalul perioadei de probă.",
				cause:      "Formularul de evaluare la finalul perioadei de probă nu este cerut de procedura de recrutare",
				conclusion: "Procedura de recrutare se oprește la încadrare și nu cere evaluarea de la finalul perioadei de probă.",
				action:     "Completarea procedurii de recrutare cu evaluarea la finalul perioadei de probă",
				done:       "Procedura a fost revizuită; cele trei evaluări au fost întocmite."},
			{severity: improvement.SeverityOpportunity, clause: "7.1.6", unit: "sru", story: "closed", owner: "head:sru",
				text:       "Cunoștințele personalului cu experiență ar putea fi păstrate într-un ghid al noului angajat, pe compartimente.",
				cause:      "Cunoștințele se transmit doar verbal, la locul de muncă",
				conclusion: "Nu există un suport scris pentru integrarea noilor angajați.",
				action:     "Ghidul noului angajat, cu câte o fișă pentru fiecare compartiment",
				done:       "Ghidul a fost aprobat și publicat pe intranet."}}},
	{kind: compliance.KindSurveillance2, ago: 35, days: 2, lead: "ec. Mihai Dragomir", result: compliance.ResultRecommended, report: "Raportul de audit nr. 1533/S2",
		notes: "Menținerea certificării este recomandată. Auditul de recertificare se programează cu cel puțin trei luni înainte de expirarea certificatului.",
		findings: []cmpFinding{
			{severity: improvement.SeverityMinor, clause: "7.5.3", unit: "srpr", story: "actions", owner: "head:srpr",
				text:       "La ghișeul 2 se aflau în uz două exemplare tipărite ale procedurii PO-SRPR-01 în ediția anterioară.",
				cause:      "Exemplarele tipărite nu sunt retrase la intrarea în vigoare a unei ediții noi",
				conclusion: "Lista de difuzare nu ține evidența exemplarelor tipărite, deci ele nu sunt retrase.",
				action:     "Evidența exemplarelor tipărite în lista de difuzare și retragerea lor la fiecare ediție nouă"},
			{severity: improvement.SeverityObservation, clause: "6.3", unit: "bcim", story: "analysis", owner: "head:bcim",
				text: "Schimbarea programului de lucru cu publicul nu a fost planificată: riscurile și resursele nu au fost analizate înainte."}}},
}

// demoPartial are the clauses the quality office found only partly
// implemented, with why.
var demoPartial = map[string]string{
	"6.3":   "Schimbările organizatorice nu sunt încă planificate după o procedură (vezi observația auditului de supraveghere 2).",
	"7.1.6": "Ghidul noului angajat există doar pentru jumătate din compartimente.",
	"9.1.2": "Chestionarul de satisfacție se aplică anual, dar rezultatele nu sunt încă analizate pe servicii.",
}

// demoEvidence is evidence kept outside Cadran, entered by hand.
var demoEvidence = []struct {
	clause, title, ref string
	ago                int
}{
	{"4.1", "Analiza contextului intern și extern (SWOT), anexa 2 la Manualul calității", "MC-01, anexa 2", 300},
	{"4.2", "Lista părților interesate și a cerințelor lor, actualizată", "MC-01, anexa 3", 300},
	{"7.1.5", "Registrul de evidență a cântarelor din piața agroalimentară, verificate metrologic", "BRML nr. 4410", 200},
	{"7.4", "Planul de comunicare internă și externă, aprobat prin dispoziția primarului", "Dispoziția nr. 211", 250},
	{"9.1.2", "Raportul privind satisfacția cetățenilor, anul trecut", "Raport nr. 77", 320},
}

func (s *seeder) compliance(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (int, error) {
	now := s.clock.Now()
	day0 := work.Day(now)
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	imp := &improvement.Service{DB: s.db, Clock: clk, Work: ws}
	svc := &compliance.Service{DB: s.db, Clock: clk, Work: ws, Improve: imp}
	qm, err := s.users.ActorByID(ctx, users["calitate"])
	if err != nil {
		return 0, fmt.Errorf("cannot act as the demo quality manager: %w", err)
	}
	checker, err := s.users.ActorByID(ctx, users["auditor"])
	if err != nil {
		return 0, fmt.Errorf("cannot act as the demo auditor: %w", err)
	}
	// at sets the clock ago days before today, at 10:00 plus minutes.
	at := func(ago, minutes int) time.Time {
		t := day0.AddDate(0, 0, -ago).Add(8*time.Hour + time.Duration(minutes)*time.Minute)
		clk.Set(t)
		return t
	}
	day := func(ago int) string { return day0.AddDate(0, 0, -ago).Format(time.DateOnly) }
	person := func(key string) int64 {
		if p, ok := people[key]; ok {
			return p.ID
		}
		return qm.PersonID
	}
	// follow takes a finding's case as far as its story goes, on the days
	// after the audit ended (ago is the end).
	follow := func(f cmpFinding, ncID int64, ago int) error {
		step := func(when int, a auth.Actor, in improvement.StepInput) error {
			at(when, 30)
			n, err := imp.Nonconformity(ctx, a, ncID)
			if err != nil {
				return err
			}
			in.Version = n.Version
			_, err = imp.Step(ctx, a, ncID, in)
			return err
		}
		if err := step(ago-3, qm, improvement.StepInput{Action: improvement.ActAccept, OwnerID: person(f.owner)}); err != nil {
			return err
		}
		if f.story == "analysis" {
			return nil
		}
		at(ago-8, 0)
		n, err := imp.Nonconformity(ctx, qm, ncID)
		if err != nil {
			return err
		}
		if _, err := imp.SaveAnalysis(ctx, qm, ncID, improvement.AnalysisInput{Analysis: improvement.Analysis{Conclusion: f.conclusion,
			Causes: []improvement.Cause{{Category: improvement.CatMethods, Cause: f.cause, Root: true}}}, Version: n.Version}); err != nil {
			return err
		}
		act, err := imp.AddAction(ctx, qm, ncID, improvement.ActionInput{Description: f.action, OwnerID: person(f.owner), DueOn: day(ago - 8 - 60)})
		if err != nil {
			return err
		}
		if err := step(ago-8, qm, improvement.StepInput{Action: improvement.ActPlan}); err != nil {
			return err
		}
		if f.story == "actions" {
			return nil
		}
		at(ago-40, 0)
		if _, err := imp.CompleteAction(ctx, qm, ncID, act.ID, improvement.DoneInput{Note: f.done, Version: act.Version}); err != nil {
			return err
		}
		if err := step(ago-41, qm, improvement.StepInput{Action: improvement.ActVerify, CheckerID: checker.PersonID, CheckOn: day(ago - 70)}); err != nil {
			return err
		}
		return step(ago-70, checker, improvement.StepInput{Action: improvement.ActEffective})
	}

	for _, x := range demoExternalAudits {
		if x.ago > 0 && day0.AddDate(0, 0, -x.ago).After(now) {
			continue
		}
		end := x.ago - (x.days - 1)
		// The audit is recorded on its last day, once the report is known.
		at(end, 60)
		rec, err := svc.CreateAudit(ctx, qm, compliance.AuditInput{Body: cmpBody, Kind: x.kind, StartsOn: day(x.ago), EndsOn: day(end), LeadAuditor: x.lead,
			Result: x.result, ReportRef: x.report, Notes: x.notes})
		if err != nil {
			return 0, fmt.Errorf("cannot record the demo %s audit: %w", x.kind, err)
		}
		for i, f := range x.findings {
			at(end, 90+i)
			fd, err := svc.AddFinding(ctx, qm, rec.ID, compliance.FindingInput{Severity: f.severity, Clause: f.clause, Text: f.text, UnitID: unitIDs[f.unit]})
			if err != nil {
				return 0, fmt.Errorf("cannot record a finding of the demo %s audit: %w", x.kind, err)
			}
			if err := follow(f, fd.NCID, end); err != nil {
				return 0, fmt.Errorf("cannot follow the demo finding %q: %w", f.clause, err)
			}
		}
		if x.kind == compliance.KindStage2 {
			// The certificate arrives two weeks after the certification audit.
			at(end-15, 0)
			if _, err := svc.CreateCertificate(ctx, qm, compliance.CertInput{Number: "RO-QMS-2417", Body: cmpBody, Standard: compliance.DefaultStandard,
				Scope:    "Serviciile publice furnizate de aparatul de specialitate al primarului: relații cu publicul și registratură, impozite și taxe locale, urbanism și autorizări în construcții, stare civilă, asistență socială, achiziții publice, resurse umane.",
				IssuedOn: day(end - 15)}); err != nil {
				return 0, fmt.Errorf("cannot record the demo certificate: %w", err)
			}
		}
	}

	// The policy and the scope, named when the quality office set up the
	// matrix, with the exclusion the manual states.
	at(60, 0)
	var policy, manual int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(CASE WHEN code = 'PC-01' THEN id END), 0), COALESCE(MAX(CASE WHEN code = 'MC-01' THEN id END), 0)
		FROM documents WHERE tenant_id = $1`, tenant).Scan(&policy, &manual); err != nil {
		return 0, fmt.Errorf("cannot find the demo policy and manual: %w", err)
	}
	if _, err := svc.SaveSettings(ctx, qm, compliance.SettingsInput{PolicyDocID: policy, ScopeDocID: manual,
		ScopeText:  "Furnizarea serviciilor publice de către aparatul de specialitate al primarului municipiului Târgu Verde, la sediul primăriei și la punctele de lucru.",
		Exclusions: map[string]string{"8.3": "Primăria nu proiectează produse sau servicii: serviciile publice sunt stabilite prin lege și prin hotărâri ale consiliului local."}}); err != nil {
		return 0, fmt.Errorf("cannot save the demo policy and scope: %w", err)
	}
	// Every other clause assessed, clause by clause, a fortnight ago.
	owners := map[string]string{"7.1.2": "head:sru", "7.2": "head:sru", "7.3": "head:sru", "7.1.3": "head:de", "8.4": "head:de", "8.5": "secretary", "8.5.1": "secretary", "4.1": "secretary", "5.1": "secretary"}
	for i, c := range frameworks.ISO9001 {
		if c.Code == "8.3" {
			continue
		}
		at(14, i)
		in := compliance.StatusInput{Status: compliance.StatusImplemented, OwnerID: person("calitate")}
		if k, ok := owners[c.Code]; ok {
			in.OwnerID = person(k)
		}
		if why, ok := demoPartial[c.Code]; ok {
			in.Status, in.Notes = compliance.StatusPartial, why
		}
		if _, err := svc.SetStatus(ctx, qm, c.Code, in); err != nil {
			return 0, fmt.Errorf("cannot assess the demo clause %s: %w", c.Code, err)
		}
	}
	for i, e := range demoEvidence {
		at(e.ago, i)
		if _, err := svc.AddEvidence(ctx, qm, e.clause, compliance.ManualInput{Title: e.title, Reference: e.ref, On: day(e.ago)}); err != nil {
			return 0, fmt.Errorf("cannot record the demo evidence for %s: %w", e.clause, err)
		}
	}
	return len(demoExternalAudits), nil
}
