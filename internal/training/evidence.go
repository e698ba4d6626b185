package training

import (
	"context"
	"fmt"
	"math"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/work"
)

var _ evidence.Source = (*Service)(nil)
var _ evidence.InputSource = (*Service)(nil)

// ISO 9001 clauses training gives evidence for.
const (
	ClauseCompetence = "7.2" // competence: sessions held, certificates, the matrix
	ClauseAwareness  = "7.3" // awareness: the induction plans of new employees
)

// EvidenceMonths is how far back the sessions held count as evidence of
// competence.
const EvidenceMonths = 12

// ClauseEvidence gives the ISO 9001 matrix its evidence for 7.2
// (competence: each session held in the last twelve months, the
// certificates in force, the matrix's coverage and gaps) and 7.3
// (awareness: the induction plans completed, open and overdue). They are
// indicators: the compliance matrix counts those as evidence, and the
// lines are written in the institution's words (Romanian).
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	today := work.Day(s.Clock.Now())
	since := today.AddDate(0, -EvidenceMonths, 0).Format(time.DateOnly)
	q := s.DB.R
	var out []evidence.Item
	rows, err := q.QueryContext(ctx, `SELECT ss.id, ss.code, pr.title, ss.end_on,
			(SELECT COUNT(*) FROM training_enrolments e WHERE e.tenant_id = ss.tenant_id AND e.session_id = ss.id AND e.state = $4)
		FROM training_sessions ss JOIN training_programmes pr ON pr.id = ss.programme_id
		WHERE ss.tenant_id = $1 AND ss.state IN ($2, $3) AND ss.end_on >= $5 AND ss.end_on <= $6
		ORDER BY ss.end_on DESC, ss.id DESC`, tenant, SessionHeld, SessionClosed, EnrolCompleted, since, today.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("cannot read the sessions held: %w", err)
	}
	for rows.Next() {
		var id int64
		var code, title, end string
		var completed int
		if err := rows.Scan(&id, &code, &title, &end, &completed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read the sessions held: %w", err)
		}
		day, _ := parseDay(end)
		out = append(out, evidence.Item{Clause: ClauseCompetence, Kind: evidence.KindIndicator, Entity: EntitySession, ID: id, Code: code,
			Title: indRO().T("traininginduction.evidence.session", "Title", title, "Completed", completed),
			Href:  fmt.Sprintf("/training/sessions/%d", id), Date: day})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the sessions held: %w", err)
	}
	// The certificates in force of active people.
	var certs, holders int
	var latest string
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT c.person_id), COALESCE(MAX(c.issued_on), '')
		FROM training_certificates c JOIN people p ON p.id = c.person_id
		WHERE c.tenant_id = $1 AND c.revoked = FALSE AND p.active AND c.issued_on <= $2 AND (c.expires_on = '' OR c.expires_on >= $2)`,
		tenant, today.Format(time.DateOnly)).Scan(&certs, &holders, &latest); err != nil {
		return nil, fmt.Errorf("cannot count certificates: %w", err)
	}
	if certs > 0 {
		day, _ := parseDay(latest)
		out = append(out, evidence.Item{Clause: ClauseCompetence, Kind: evidence.KindIndicator, Entity: EntityCert,
			Title: indRO().T("traininginduction.evidence.certificates", "Certificates", certs, "People", holders),
			Href:  "/training/certificates?expiry=valid", Date: day})
	}
	cov, err := s.metMatrix(ctx, tenant, today)
	if err != nil {
		return nil, err
	}
	if cov.required > 0 {
		out = append(out, evidence.Item{Clause: ClauseCompetence, Kind: evidence.KindIndicator, Entity: EntityCompetence,
			Title: indRO().T("traininginduction.evidence.matrix", "Percent", int(math.Floor(cov.percent())), "Gaps", cov.gaps, "People", cov.people),
			Href:  "/training/matrix", Date: today, Open: cov.gaps > 0})
	}
	open, overdue, completed, err := metInductions(ctx, q, tenant, today)
	if err != nil {
		return nil, err
	}
	if open+completed > 0 {
		var last string
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(CASE WHEN completed_on <> '' THEN completed_on ELSE start_on END), '') FROM training_inductions
			WHERE tenant_id = $1 AND state <> $2`, tenant, InductionCancelled).Scan(&last); err != nil {
			return nil, fmt.Errorf("cannot read induction plans: %w", err)
		}
		day, _ := parseDay(last)
		out = append(out, evidence.Item{Clause: ClauseAwareness, Kind: evidence.KindIndicator, Entity: EntityInduction,
			Title: indRO().T("traininginduction.evidence.inductions", "Completed", completed, "Open", open, "Overdue", overdue),
			Href:  "/training/inductions", Date: day, Open: overdue > 0})
	}
	return out, nil
}

// ReviewFacts states the training figures of a period to the management
// review, under adequacy of resources (d):
//   - the people who completed a programme in the period, the hours and
//     the hours per active person, and the sessions held (flagged when
//     nothing was held);
//   - the certificates issued in the period;
//   - the certificates expiring within the renewal days of the period's
//     end, and those expired then and not renewed (flagged when any);
//   - the matrix's coverage and gaps on the period's last day (flagged
//     with gaps), or that no competence is required yet;
//   - the induction plans started, due, completed on time and overdue
//     (flagged when overdue).
//
// The review itself puts each fact beside the previous review's.
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	f, t := work.Day(p.From), work.Day(p.To)
	if !t.After(f) {
		return nil, nil
	}
	fs, ts := f.Format(time.DateOnly), t.Format(time.DateOnly)
	last := t.AddDate(0, 0, -1)
	in := evidence.InputResources
	q := s.DB.R
	var facts []evidence.Fact
	trained, err := metTrained(ctx, q, tenant, fs, ts)
	if err != nil {
		return nil, err
	}
	var hours float64
	var people, sessions int
	if err := q.QueryRowContext(ctx, `SELECT
			COALESCE((SELECT SUM(hours) FROM training_enrolments WHERE tenant_id = $1 AND state = $2 AND completed_on >= $3 AND completed_on < $4), 0.0),
			(SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND active),
			(SELECT COUNT(*) FROM training_sessions WHERE tenant_id = $1 AND state IN ($5, $6) AND end_on >= $3 AND end_on < $4)`,
		tenant, EnrolCompleted, fs, ts, SessionHeld, SessionClosed).Scan(&hours, &people, &sessions); err != nil {
		return nil, fmt.Errorf("cannot read the training figures: %w", err)
	}
	sessionsHref := "/training/sessions?from=" + fs + "&to=" + last.Format(time.DateOnly)
	if trained == 0 && sessions == 0 {
		facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.trained_none", Href: sessionsHref, Warn: true})
	} else {
		per := 0.0
		if people > 0 {
			per = hours / float64(people)
		}
		w, d := evTenths(per)
		facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.trained",
			Args: map[string]any{"People": trained, "Hours": int(math.Round(hours)), "Whole": w, "Tenth": d, "Sessions": sessions}, Href: sessionsHref})
	}
	var issued, certified int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT person_id) FROM training_certificates
		WHERE tenant_id = $1 AND revoked = FALSE AND issued_on >= $2 AND issued_on < $3`, tenant, fs, ts).Scan(&issued, &certified); err != nil {
		return nil, fmt.Errorf("cannot count certificates: %w", err)
	}
	facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.certificates",
		Args: map[string]any{"Certificates": issued, "People": certified}, Href: "/training/certificates"})
	st, err := settingsOf(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	expiring, expired, err := metExpiry(ctx, q, tenant, last, st.RenewalDays)
	if err != nil {
		return nil, err
	}
	if expiring+expired > 0 {
		href := "/training/certificates?expiry=expiring"
		if expired > 0 {
			href = "/training/certificates?expiry=expired"
		}
		facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.expiry",
			Args: map[string]any{"Expiring": expiring, "Expired": expired, "Days": st.RenewalDays}, Href: href, Warn: expired > 0})
	}
	cov, err := s.metMatrix(ctx, tenant, last)
	if err != nil {
		return nil, err
	}
	if cov.required == 0 {
		facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.matrix_none", Href: "/training/competences"})
	} else {
		facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.matrix",
			Args: map[string]any{"Percent": int(math.Floor(cov.percent())), "Gaps": cov.gaps, "People": cov.people}, Href: "/training/matrix", Warn: cov.gaps > 0})
	}
	var started, due, onTime, overdue int
	if err := q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN start_on >= $2 AND start_on < $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on >= $2 AND due_on < $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on >= $2 AND due_on < $3 AND state = $5 AND completed_on <> '' AND completed_on <= due_on THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on < $3 AND (state = $4 OR (state = $5 AND completed_on >= $3)) THEN 1 ELSE 0 END), 0)
		FROM training_inductions WHERE tenant_id = $1 AND state <> $6`, tenant, fs, ts, InductionOpen, InductionCompleted, InductionCancelled).
		Scan(&started, &due, &onTime, &overdue); err != nil {
		return nil, fmt.Errorf("cannot count induction plans: %w", err)
	}
	if started+due+overdue > 0 {
		facts = append(facts, evidence.Fact{Input: in, Key: "traininginduction.fact.inductions",
			Args: map[string]any{"Started": started, "Due": due, "OnTime": onTime, "Overdue": overdue}, Href: "/training/inductions", Warn: overdue > 0})
	}
	return facts, nil
}

// evTenths splits a figure into its whole part and tenths, so a fact's
// message writes it with the reader's decimal separator.
func evTenths(f float64) (whole, tenth int) {
	t := int(math.Round(f * 10))
	return t / 10, t % 10
}
