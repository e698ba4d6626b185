package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/work"
)

// taskSpec is one piece of work in the demo inbox. Days are counted from the
// day the demo is made, so the inbox always has something overdue, something
// due this week and something later.
type taskSpec struct {
	title, details string
	kind, priority string
	person         string    // key of the person it goes to, or
	role           auth.Role // a role (in roleUnit, a unit key, or anywhere)
	roleUnit       string
	days           int
	// then: "done", "cancelled", or "reassign:<person key>"
	then string
}

var demoTasks = []taskSpec{
	{title: "Aprobați procedura operațională PO-DE-03 „Elaborarea proiectului de buget local”, ediția 2", kind: work.KindApprove, priority: work.PriorityHigh,
		person: "head:de", days: 2, details: "Procedura a fost verificată de Compartimentul Managementul Calității.\nDupă aprobare intră în vigoare și se difuzează compartimentelor din Direcția Economică."},
	{title: "Luați la cunoștință Codul de etică și integritate actualizat", kind: work.KindAcknowledge, person: "angajat", days: 5},
	{title: "Transmiteți valorile indicatorilor de performanță pentru trimestrul III", kind: work.KindReport, priority: work.PriorityHigh,
		role: auth.RoleHeadOfUnit, roleUnit: "de", days: -3, details: "Indicatorii din fișele obiectivelor Direcției Economice, cu sursa datelor pentru fiecare valoare."},
	{title: "Participați la ședința Comisiei de monitorizare privind stadiul SCIM", kind: work.KindAttend, person: "mayor", days: 1},
	{title: "Răspundeți petiției nr. 1245/2026 privind iluminatul public de pe strada Morii", kind: work.KindAnswer, priority: work.PriorityHigh,
		person: "registratura", days: -1, details: "Termen legal: 30 de zile de la înregistrare (OG 27/2002)."},
	{title: "Actualizați registrul riscurilor Serviciului Impozite și Taxe Locale", kind: work.KindAct, person: "angajat", days: 20},
	{title: "Completați autoevaluarea CAF pentru criteriul 3 „Oamenii”", kind: work.KindAct, person: "auditor", days: 10},
	{title: "Pregătiți raportul pentru analiza de management", kind: work.KindReport, person: "calitate", days: 14,
		details: "Intrările cerute de ISO 9001, clauza 9.3.2: stadiul acțiunilor, schimbări, satisfacția cetățenilor, obiectivele calității, neconformități, rezultatele auditurilor."},
	{title: "Verificați dovezile pentru cerința 7.5 „Informații documentate” înaintea auditului de supraveghere", kind: work.KindAct,
		role: auth.RoleQualityManager, days: -10},
	{title: "Transmiteți lista funcțiilor sensibile a Direcției Economice", kind: work.KindReport, person: "head:de", days: 3, then: "done"},
	{title: "Organizați instruirea privind protecția datelor personale (amânată pentru anul viitor)", kind: work.KindAct, person: "calitate", days: 8, then: "cancelled"},
	{title: "Revizuiți fișele posturilor din Biroul Constatare și Control Persoane Fizice", kind: work.KindAct, person: "angajat", days: 6, then: "reassign:head:bpf"},
}

// tasks fills the demo municipality's inbox, handed out by its quality
// manager, in every state.
func (s *seeder) tasks(ctx context.Context, people map[string]org.Person, users map[string]int64) (int, error) {
	qm, err := s.users.ActorByID(ctx, users["calitate"])
	if err != nil {
		return 0, fmt.Errorf("cannot act as the demo quality manager: %w", err)
	}
	units := map[string]int64{}
	for key, p := range people {
		if head, ok := strings.CutPrefix(key, "head:"); ok {
			units[head] = p.UnitID
		}
	}
	today := work.Day(s.clock.Now())
	n := 0
	for _, spec := range demoTasks {
		nt := work.NewTask{Ref: work.Ref{Module: work.ModuleWork, Entity: "task"}, Kind: spec.kind, Title: spec.title, Details: spec.details,
			Priority: spec.priority, Due: today.AddDate(0, 0, spec.days)}
		if spec.role != "" {
			nt.Assignee = work.Assignee{Role: spec.role, UnitID: units[spec.roleUnit]}
		} else {
			p, ok := people[spec.person]
			if !ok {
				return n, fmt.Errorf("cannot give demo task %q: no person %q", spec.title, spec.person)
			}
			nt.Assignee = work.Assignee{PersonID: p.ID}
		}
		var t work.Task
		// Assign, not CreateManual: the demo also needs tasks already late.
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			t, err = s.work.Assign(ctx, tx, qm, nt)
			return err
		}); err != nil {
			return n, fmt.Errorf("cannot give demo task %q: %w", spec.title, err)
		}
		n++
		switch {
		case spec.then == "done":
			_, err = s.work.Complete(ctx, qm, t.ID, t.Version)
		case spec.then == "cancelled":
			_, err = s.work.Cancel(ctx, qm, t.ID, t.Version)
		case strings.HasPrefix(spec.then, "reassign:"):
			to := people[strings.TrimPrefix(spec.then, "reassign:")]
			_, err = s.work.Reassign(ctx, qm, t.ID, work.ReassignInput{Assignee: work.Assignee{PersonID: to.ID}, Due: t.Due.AddDate(0, 0, 7),
				Reason: "Biroul își revizuiește singur fișele posturilor", Version: t.Version})
		}
		if err != nil {
			return n, fmt.Errorf("cannot move demo task %q: %w", spec.title, err)
		}
	}
	return n, nil
}
