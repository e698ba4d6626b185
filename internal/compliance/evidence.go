package compliance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/risks"
	"cadran/internal/textutil"
)

// Summary is one line about a whole register that is evidence for a
// clause: "the 2026 risk register: 42 risks and 6 opportunities in it". The
// text is a message key and its arguments.
type Summary struct {
	Key  string
	Args map[string]any
	Href string
	Warn bool
}

// ClauseEvidence is everything that shows how one clause is met.
type ClauseEvidence struct {
	Clause string
	// Documents in force linked to the clause, and Pending those not in
	// force yet (drafts, approvals): counted for every clause, listed on
	// the clause page only.
	NDocuments, NPending int
	Documents            []evidence.Item
	Pending              []evidence.Item
	// ReviewDue are documents in force whose periodic review is overdue;
	// Date is the review's due day.
	ReviewDue []evidence.Item
	// Nonconformities of the clause, newest first (on the clause page
	// only; the matrix has the counts).
	Nonconformities []evidence.Item
	NCs, OpenNCs    int
	// Summaries are whole registers: the risk register for 6.1, the
	// nonconformity log for 10.2, the proposals for 10.3.
	Summaries  []Summary
	Audits     []evidence.Item // internal audits that covered the clause
	Reviews    []evidence.Item // management reviews
	Indicators []evidence.Item
	External   []evidence.Item // findings of the certification body
	Manual     []evidence.Item // recorded by hand; ID is the record's
}

// Counts are the evidence of a clause by kind, as the matrix shows them.
type Counts struct {
	Documents, Pending, Registers, Audits, Reviews, Indicators, External, Manual int
}

// Counts tallies the evidence by kind.
func (e *ClauseEvidence) Counts() Counts {
	return Counts{Documents: e.NDocuments, Pending: e.NPending, Registers: len(e.Summaries) + e.NCs, Audits: len(e.Audits),
		Reviews: len(e.Reviews), Indicators: len(e.Indicators), External: len(e.External), Manual: len(e.Manual)}
}

// HasEvidence reports whether anything shows the clause is met: a document
// in force, a register, an internal audit, a review, an indicator or a
// record kept by hand. Nonconformities alone and external findings show
// problems, not conformity; pending documents are not in force yet.
func (e *ClauseEvidence) HasEvidence() bool {
	return e.NDocuments+len(e.Summaries)+len(e.Audits)+len(e.Reviews)+len(e.Indicators)+len(e.Manual) > 0
}

// LastAudit is the latest internal audit done that covered the clause, with
// the worst result it recorded that day; nil when never audited.
func (e *ClauseEvidence) LastAudit() *evidence.Item {
	var last *evidence.Item
	for i := range e.Audits {
		it := &e.Audits[i]
		if it.Open {
			continue // an audit under way has no result yet
		}
		switch {
		case last == nil, it.Date.After(last.Date):
			cp := *it
			last = &cp
		case it.Date.Equal(last.Date) && resultRank(it.Result) > resultRank(last.Result):
			last.Result = it.Result
		}
	}
	return last
}

// AuditedSince reports whether an internal audit covered the clause on or
// after from.
func (e *ClauseEvidence) AuditedSince(from time.Time) bool {
	for _, it := range e.Audits {
		if !it.Open && !it.Date.Before(from) {
			return true
		}
	}
	return false
}

func resultRank(r string) int { return slices.Index(evidence.Results, r) }

// merge adds o's evidence to e.
func (e *ClauseEvidence) merge(o *ClauseEvidence) {
	e.NDocuments += o.NDocuments
	e.NPending += o.NPending
	e.Documents = append(e.Documents, o.Documents...)
	e.Pending = append(e.Pending, o.Pending...)
	e.ReviewDue = append(e.ReviewDue, o.ReviewDue...)
	e.Nonconformities = append(e.Nonconformities, o.Nonconformities...)
	e.NCs += o.NCs
	e.OpenNCs += o.OpenNCs
	e.Summaries = append(e.Summaries, o.Summaries...)
	e.Audits = append(e.Audits, o.Audits...)
	e.Reviews = append(e.Reviews, o.Reviews...)
	e.Indicators = append(e.Indicators, o.Indicators...)
	e.External = append(e.External, o.External...)
	e.Manual = append(e.Manual, o.Manual...)
}

// gathered is the evidence of every clause of a tenant, as recorded against
// each clause (before the roll-up).
type gathered struct {
	own map[string]*ClauseEvidence
	// listed holds what is listed one by one for the clause in detail (its
	// documents and nonconformities), apart from own so that the evidence
	// of every clause can be shared by the pages of one request.
	listed map[string]*ClauseEvidence
	today  time.Time
	// ncAll and ncOpen count every nonconformity, with a clause or not.
	ncAll, ncOpen int
}

// listedAt is code's evidence listed one by one.
func (g *gathered) listedAt(code string) *ClauseEvidence {
	e, ok := g.listed[code]
	if !ok {
		e = &ClauseEvidence{Clause: code}
		g.listed[code] = e
	}
	return e
}

func (g *gathered) at(code string) *ClauseEvidence {
	e, ok := g.own[code]
	if !ok {
		e = &ClauseEvidence{Clause: code}
		g.own[code] = e
	}
	return e
}

// rolled is the evidence of code with its sub-clauses' (and, for a
// sub-clause, the internal audits of its parent: an audit of 7.1 covered
// 7.1.2).
func (g *gathered) rolled(code string) *ClauseEvidence {
	out := &ClauseEvidence{Clause: code}
	for c, e := range g.own {
		if frameworks.Covers(c, code) {
			out.merge(e)
		}
	}
	for c, e := range g.listed {
		if frameworks.Covers(c, code) {
			out.merge(e)
		}
	}
	for p := frameworks.Parent(code); p != ""; p = frameworks.Parent(p) {
		if e, ok := g.own[p]; ok {
			out.Audits = append(out.Audits, e.Audits...)
		}
	}
	sortItems(out)
	return out
}

func sortItems(e *ClauseEvidence) {
	newest := func(a, b evidence.Item) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	}
	byCode := func(a, b evidence.Item) int { return strings.Compare(a.Code, b.Code) }
	slices.SortStableFunc(e.Documents, byCode)
	slices.SortStableFunc(e.Pending, byCode)
	slices.SortStableFunc(e.ReviewDue, byCode)
	for _, l := range [][]evidence.Item{e.Nonconformities, e.Audits, e.Reviews, e.Indicators, e.External, e.Manual} {
		slices.SortStableFunc(l, newest)
	}
}

// gather reads the evidence of every clause. detail names the clause whose
// documents and nonconformities are listed one by one (with its
// sub-clauses); the others only count theirs. The evidence of every clause
// is read once per tenant within a context that carries a memo (WithMemo).
func (s *Service) gather(ctx context.Context, q querier, tenant int64, detail string) (*gathered, error) {
	base, err := s.gatherMemo(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	if detail == "" {
		return base, nil
	}
	g := &gathered{own: base.own, listed: map[string]*ClauseEvidence{}, today: base.today}
	if err := g.listDocuments(ctx, q, tenant, detail); err != nil {
		return nil, err
	}
	if err := g.listNonconformities(ctx, q, tenant, detail); err != nil {
		return nil, err
	}
	return g, nil
}

// gatherAll reads the evidence of every clause, each clause's counted
// (nothing listed one by one).
func (s *Service) gatherAll(ctx context.Context, q querier, tenant int64) (*gathered, error) {
	g := &gathered{own: map[string]*ClauseEvidence{}, listed: map[string]*ClauseEvidence{}, today: s.today()}
	if err := g.documents(ctx, q, tenant); err != nil {
		return nil, err
	}
	if err := g.nonconformities(ctx, q, tenant); err != nil {
		return nil, err
	}
	if err := g.registers(ctx, q, tenant); err != nil {
		return nil, err
	}
	if err := g.findings(ctx, q, tenant); err != nil {
		return nil, err
	}
	if err := g.manual(ctx, q, tenant); err != nil {
		return nil, err
	}
	for _, src := range s.Sources {
		if src == nil {
			continue
		}
		items, err := src.ClauseEvidence(ctx, tenant)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !validClause(it.Clause) {
				continue
			}
			e := g.at(it.Clause)
			switch it.Kind {
			case evidence.KindAudit:
				e.Audits = append(e.Audits, it)
			case evidence.KindReview:
				e.Reviews = append(e.Reviews, it)
			case evidence.KindIndicator:
				e.Indicators = append(e.Indicators, it)
			case evidence.KindDocument:
				e.NDocuments++
				e.Documents = append(e.Documents, it)
			case evidence.KindExternal:
				e.External = append(e.External, it)
			case evidence.KindManual:
				e.Manual = append(e.Manual, it)
			default:
				e.Nonconformities = append(e.Nonconformities, it)
			}
		}
	}
	return g, nil
}

// documents counts the documents linked to each clause (in force, and in
// preparation), lists those in force overdue for review, and lists the
// documents one by one for the clause in detail (with its sub-clauses).
// A document is in force when its edition in force is (a revision being
// drafted does not change that); it is pending when it never came into
// force and is still being worked on.
func (g *gathered) documents(ctx context.Context, q querier, tenant int64) error {
	pendIn, pendArgs := placeholders(4, pendingStates())
	rows, err := q.QueryContext(ctx, `SELECT l.target_key, COALESCE(SUM(CASE WHEN d.state = $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN d.state IN (`+pendIn+`) THEN 1 ELSE 0 END), 0)
		FROM document_links l JOIN documents d ON d.id = l.document_id AND d.tenant_id = l.tenant_id
		WHERE l.tenant_id = $1 AND l.target = $2 GROUP BY l.target_key`, append([]any{tenant, documents.LinkClause, documents.StateInForce}, pendArgs...)...)
	if err != nil {
		return errRead("linked documents", err)
	}
	for rows.Next() {
		var clause string
		var inForce, pending int
		if err := rows.Scan(&clause, &inForce, &pending); err != nil {
			rows.Close()
			return errRead("linked documents", err)
		}
		if validClause(clause) {
			e := g.at(clause)
			e.NDocuments += inForce
			e.NPending += pending
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return errRead("linked documents", err)
	}
	// In force and overdue for review, everywhere.
	// (The documents lead: few are overdue; "+l.tenant_id" keeps SQLite
	// from scanning every link of the tenant for each of them.)
	return g.listLinked(ctx, q, tenant, ` AND +l.tenant_id = $1 AND d.state = $3 AND d.next_review_on <> '' AND d.next_review_on < $4`,
		[]any{documents.StateInForce, dayString(g.today)},
		func(it evidence.Item, review string) {
			it.Date, _ = parseDay(review)
			e := g.at(it.Clause)
			e.ReviewDue = append(e.ReviewDue, it)
		})
}

// listLinked lists the documents in force or pending linked to clauses
// that match where, and hands each to add.
func (g *gathered) listLinked(ctx context.Context, q querier, tenant int64, where string, args []any, add func(it evidence.Item, review string)) error {
	rows, err := q.QueryContext(ctx, `SELECT l.target_key, d.id, d.code, d.title, d.state, d.effective_on, d.next_review_on
			FROM document_links l JOIN documents d ON d.id = l.document_id
			WHERE d.tenant_id = $1 AND l.target = $2`+where, append([]any{tenant, documents.LinkClause}, args...)...)
	if err != nil {
		return errRead("linked documents", err)
	}
	defer rows.Close()
	for rows.Next() {
		var clause, state, effective, review string
		it := evidence.Item{Kind: evidence.KindDocument, Entity: "document"}
		if err := rows.Scan(&clause, &it.ID, &it.Code, &it.Title, &state, &effective, &review); err != nil {
			return errRead("linked documents", err)
		}
		if !validClause(clause) {
			continue
		}
		it.Clause, it.Href = clause, fmt.Sprintf("/documents/%d", it.ID)
		switch {
		case state == documents.StateInForce:
			it.Date, _ = parseDay(effective)
		case documents.Pending(state):
			it.Open = true
		default:
			continue
		}
		add(it, review)
	}
	return rows.Err()
}

// listDocuments lists the documents of the clause in detail and its
// sub-clauses one by one.
func (g *gathered) listDocuments(ctx context.Context, q querier, tenant int64, detail string) error {
	return g.listLinked(ctx, q, tenant, ` AND l.tenant_id = $1 AND (l.target_key = $3 OR l.target_key LIKE $4 ESCAPE '\')`, []any{detail, db.LikePrefix(detail + ".")},
		func(it evidence.Item, _ string) {
			e := g.listedAt(it.Clause)
			if it.Open {
				e.Pending = append(e.Pending, it)
			} else {
				e.Documents = append(e.Documents, it)
			}
		})
}

func pendingStates() []string {
	var out []string
	for _, st := range documents.States {
		if documents.Pending(st) {
			out = append(out, st)
		}
	}
	return out
}

// placeholders writes $first, $first+1, ... for values.
func placeholders(first int, values []string) (string, []any) {
	ph := make([]string, len(values))
	args := make([]any, len(values))
	for i, v := range values {
		ph[i], args[i] = fmt.Sprintf("$%d", first+i), v
	}
	return strings.Join(ph, ", "), args
}

func (g *gathered) nonconformities(ctx context.Context, q querier, tenant int64) error {
	openIn, args := openStates(2)
	// Every case, by clause (none: ''), counted for the register's line
	// too.
	rows, err := q.QueryContext(ctx, `SELECT clause, COUNT(*), COALESCE(SUM(CASE WHEN state IN (`+openIn+`) THEN 1 ELSE 0 END), 0)
		FROM nonconformities WHERE tenant_id = $1 GROUP BY clause`, append([]any{tenant}, args...)...)
	if err != nil {
		return errRead("nonconformities", err)
	}
	defer rows.Close()
	for rows.Next() {
		var clause string
		var n, open int
		if err := rows.Scan(&clause, &n, &open); err != nil {
			return errRead("nonconformities", err)
		}
		g.ncAll, g.ncOpen = g.ncAll+n, g.ncOpen+open
		if clause != "" && validClause(clause) {
			e := g.at(clause)
			e.NCs, e.OpenNCs = n, open
		}
	}
	if err := rows.Err(); err != nil {
		return errRead("nonconformities", err)
	}
	return nil
}

// ClauseCaseLimit is how many nonconformities a clause's page lists, the
// newest; the register lists them all (filtered by the clause).
const ClauseCaseLimit = 50

// listNonconformities lists the newest nonconformities of the clause in
// detail one by one.
func (g *gathered) listNonconformities(ctx context.Context, q querier, tenant int64, detail string) error {
	// The clause, its sub-clauses and its parents (an audit finding on 7.1
	// concerns 7.1.2's page less, but a finding on 7.1.2 is 7.1's too).
	list, err := q.QueryContext(ctx, `SELECT id, code, title, clause, severity, state, detected_on FROM nonconformities
		WHERE tenant_id = $1 AND (clause = $2 OR clause LIKE $3 ESCAPE '\') ORDER BY detected_on DESC, id DESC LIMIT $4`,
		tenant, detail, db.LikePrefix(detail+"."), ClauseCaseLimit)
	if err != nil {
		return errRead("nonconformities", err)
	}
	defer list.Close()
	for list.Next() {
		var severity, state, detected string
		it := evidence.Item{Kind: evidence.KindRegister, Entity: "nonconformity"}
		if err := list.Scan(&it.ID, &it.Code, &it.Title, &it.Clause, &severity, &state, &detected); err != nil {
			return errRead("nonconformities", err)
		}
		it.Href, it.Result, it.Open = fmt.Sprintf("/nonconformities/%d", it.ID), severity, improvement.IsOpen(state)
		it.Date, _ = parseDay(detected)
		if validClause(it.Clause) {
			e := g.listedAt(it.Clause)
			e.Nonconformities = append(e.Nonconformities, it)
		}
	}
	return list.Err()
}

// openStates writes the placeholders of the open states of a
// nonconformity from $first on.
func openStates(first int) (string, []any) {
	var ph []string
	var args []any
	for i, st := range improvement.OpenStates {
		ph = append(ph, fmt.Sprintf("$%d", first+i))
		args = append(args, st)
	}
	return strings.Join(ph, ", "), args
}

// registers adds the whole registers: the risk register in use to 6.1,
// the nonconformity log to 10.2, the proposals to 10.3. It runs after
// nonconformities, which counts the log.
func (g *gathered) registers(ctx context.Context, q querier, tenant int64) error {
	var year sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(year) FROM risks WHERE tenant_id = $1 AND year <= $2`, tenant, g.today.Year()).Scan(&year); err != nil {
		return errRead("risk register", err)
	}
	if year.Valid {
		var nr, no, above int
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN kind = $3 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN kind = $4 THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN kind = $3 AND next_review_on <> '' AND next_review_on < $5 THEN 1 ELSE 0 END), 0)
			FROM risks WHERE tenant_id = $1 AND year = $2 AND state = $6`, tenant, year.Int64, risks.KindRisk, risks.KindOpportunity, dayString(g.today), risks.StateActive).
			Scan(&nr, &no, &above); err != nil {
			return errRead("risk register", err)
		}
		if nr+no > 0 {
			g.at("6.1").Summaries = append(g.at("6.1").Summaries, Summary{Key: "compliance.summary.risks",
				Args: map[string]any{"Year": int(year.Int64), "Risks": nr, "Opportunities": no, "Due": above}, Href: fmt.Sprintf("/risks?year=%d", year.Int64), Warn: above > 0})
		}
	}
	// (nonconformities counted every case already.)
	all, open := g.ncAll, g.ncOpen
	if all > 0 {
		g.at("10.2").Summaries = append(g.at("10.2").Summaries, Summary{Key: "compliance.summary.ncs", Args: map[string]any{"N": all, "Open": open}, Href: "/nonconformities"})
	}
	var props, done int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state IN ($2, $3) THEN 1 ELSE 0 END), 0) FROM improvement_proposals WHERE tenant_id = $1`,
		tenant, improvement.PropAccepted, improvement.PropImplemented).Scan(&props, &done); err != nil {
		return errRead("proposals", err)
	}
	if props > 0 {
		g.at("10.3").Summaries = append(g.at("10.3").Summaries, Summary{Key: "compliance.summary.proposals", Args: map[string]any{"N": props, "Accepted": done}, Href: "/proposals"})
	}
	return nil
}

// findings adds the certification body's findings to their clauses; a
// finding is open while the nonconformity it opened is.
func (g *gathered) findings(ctx context.Context, q querier, tenant int64) error {
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.audit_id, f.clause, f.severity, f.text, a.kind, a.body, a.ends_on, COALESCE(n.code, ''), COALESCE(n.state, '')
		FROM compliance_external_findings f JOIN compliance_external_audits a ON a.id = f.audit_id AND a.tenant_id = f.tenant_id
		LEFT JOIN nonconformities n ON n.id = f.nc_id AND n.tenant_id = f.tenant_id
		WHERE f.tenant_id = $1 AND f.clause <> ''`, tenant)
	if err != nil {
		return errRead("external findings", err)
	}
	defer rows.Close()
	for rows.Next() {
		var auditID int64
		var kind, body, ends, ncCode, ncState string
		it := evidence.Item{Kind: evidence.KindExternal, Entity: "external_finding"}
		if err := rows.Scan(&it.ID, &auditID, &it.Clause, &it.Result, &it.Title, &kind, &body, &ends, &ncCode, &ncState); err != nil {
			return errRead("external findings", err)
		}
		if !validClause(it.Clause) {
			continue
		}
		it.Code, it.Href, it.Open = ncCode, fmt.Sprintf("/compliance/audits/%d#finding-%d", auditID, it.ID), improvement.IsOpen(ncState)
		it.Date, _ = parseDay(ends)
		g.at(it.Clause).External = append(g.at(it.Clause).External, it)
	}
	return rows.Err()
}

func (g *gathered) manual(ctx context.Context, q querier, tenant int64) error {
	rows, err := q.QueryContext(ctx, `SELECT id, clause, title, reference, url, evidence_on, notes FROM compliance_evidence WHERE tenant_id = $1`, tenant)
	if err != nil {
		return errRead("evidence", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Manual
		if err := rows.Scan(&m.ID, &m.Clause, &m.Title, &m.Reference, &m.URL, &m.On, &m.Notes); err != nil {
			return errRead("evidence", err)
		}
		if validClause(m.Clause) {
			g.at(m.Clause).Manual = append(g.at(m.Clause).Manual, m.Item())
		}
	}
	return rows.Err()
}

// Manual is evidence recorded by hand: a record kept outside Cadran, an
// indicator's report, a minute.
type Manual struct {
	ID        int64  `json:"id"`
	Clause    string `json:"clause"`
	Title     string `json:"title"`
	Reference string `json:"reference,omitempty"`
	URL       string `json:"url,omitempty"`
	On        string `json:"evidence_on,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// Item is the evidence as the matrix lists it: Code holds the reference,
// Href the address given (if any).
func (m Manual) Item() evidence.Item {
	it := evidence.Item{Clause: m.Clause, Kind: evidence.KindManual, Entity: "compliance_evidence", ID: m.ID, Code: m.Reference, Title: m.Title, Href: m.URL}
	it.Date, _ = parseDay(m.On)
	if m.Notes != "" {
		it.Title += " — " + m.Notes
	}
	return it
}

// ManualInput is what the evidence form gives.
type ManualInput struct {
	Title     string
	Reference string
	URL       string
	On        string // YYYY-MM-DD, may be empty
	Notes     string
}

// Validate checks and normalises the input against today.
func (in *ManualInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Reference = textutil.Clean(in.Reference)
	in.URL = strings.TrimSpace(in.URL)
	in.On = strings.TrimSpace(in.On)
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	switch {
	case in.Title == "":
		v.Add("cmp_ev_title", "error.required")
	case tooLong(in.Title, MaxShort):
		v.Add("cmp_ev_title", "error.too_long")
	}
	if tooLong(in.Reference, MaxShort) {
		v.Add("cmp_ev_reference", "error.too_long")
	}
	if in.URL != "" {
		u, err := url.Parse(in.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || tooLong(in.URL, MaxURL) {
			v.Add("cmp_ev_url", "compliance.error.url")
		}
	}
	if in.On != "" {
		if d, ok := parseDay(in.On); !ok {
			v.Add("cmp_ev_on", "error.date")
		} else if d.After(today) {
			v.Add("cmp_ev_on", "compliance.error.future")
		}
	}
	if tooLong(in.Notes, MaxText) {
		v.Add("cmp_ev_notes", "error.too_long")
	}
	return v.Err()
}

// AddEvidence records evidence by hand against a clause.
func (s *Service) AddEvidence(ctx context.Context, a auth.Actor, code string, in ManualInput) (Manual, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Manual{}, err
	}
	if !validClause(code) {
		return Manual{}, apperr.NotFound("clause")
	}
	now := s.Clock.Now()
	if err := in.Validate(s.today()); err != nil {
		return Manual{}, err
	}
	m := Manual{Clause: code, Title: in.Title, Reference: in.Reference, URL: in.URL, On: in.On, Notes: in.Notes}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO compliance_evidence (tenant_id, clause, title, reference, url, evidence_on, notes, created_by, created_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, a.Tenant, code, m.Title, m.Reference, m.URL, m.On, m.Notes, a.UserID, a.Name, now).Scan(&m.ID); err != nil {
			return fmt.Errorf("cannot record evidence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "compliance_evidence", EntityID: m.ID,
			Summary: code + ": " + clip(m.Title, 120), After: m})
	})
	return m, err
}

// Evidence returns one piece of evidence recorded by hand.
func (s *Service) Evidence(ctx context.Context, a auth.Actor, id int64) (Manual, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Manual{}, err
	}
	return getManual(ctx, s.DB.R, a.Tenant, id)
}

func getManual(ctx context.Context, q querier, tenant, id int64) (Manual, error) {
	var m Manual
	err := q.QueryRowContext(ctx, `SELECT id, clause, title, reference, url, evidence_on, notes FROM compliance_evidence WHERE tenant_id = $1 AND id = $2`, tenant, id).
		Scan(&m.ID, &m.Clause, &m.Title, &m.Reference, &m.URL, &m.On, &m.Notes)
	if errors.Is(err, sql.ErrNoRows) {
		return Manual{}, apperr.NotFound("compliance_evidence")
	}
	if err != nil {
		return Manual{}, errRead("evidence", err)
	}
	return m, nil
}

// RemoveEvidence deletes evidence recorded by hand; the audit trail keeps
// what it was.
func (s *Service) RemoveEvidence(ctx context.Context, a auth.Actor, id int64) (Manual, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Manual{}, err
	}
	now := s.Clock.Now()
	var m Manual
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = getManual(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM compliance_evidence WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot remove evidence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "compliance_evidence", EntityID: id,
			Summary: m.Clause + ": " + clip(m.Title, 120), Before: m})
	})
	return m, err
}
