package crosswalk

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/compliance"
	"cadran/internal/control"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
)

// Piece is one piece of evidence, once, with every item it was linked to.
type Piece struct {
	// Key identifies the record: its page in Cadran ("/documents/12"),
	// else the entity and id, else the evidence row.
	Key string
	// Kind: document, register, audit, review, indicator, manual (ISO);
	// record, staff_survey, citizen_survey, note (CAF); risk, case,
	// training (OSGG).
	Kind  string
	Code  string
	Title string
	// TitleKey, when set, is a message key with TitleArgs that names a
	// whole register ("the risk register: 42 risks").
	TitleKey  string
	TitleArgs map[string]any
	// Detail is a compartment or a note.
	Detail string
	Href   string
	Date   time.Time
	// Origins are the items the record was linked to, in the crosswalk's
	// order.
	Origins []Ref
}

// External reports whether Href leads outside Cadran.
func (p Piece) External() bool { return p.Href != "" && !strings.HasPrefix(p.Href, "/") }

// LinkedTo reports whether the piece was linked to an item of fw.
func (p Piece) LinkedTo(fw string) bool {
	return slices.ContainsFunc(p.Origins, func(r Ref) bool { return r.FW == fw })
}

func pieceKey(href, entity string, id int64, fallback string) string {
	switch {
	case strings.HasPrefix(href, "/"):
		return href
	case entity != "" && id > 0:
		return entity + ":" + strconv.FormatInt(id, 10)
	}
	return fallback
}

// Context names where each framework's evidence was read from.
type Context struct {
	// CAFCycleID and CAFCycle are the self-assessment cycle read (0: none).
	CAFCycleID int64
	CAFCycle   string
	// EvaluationID and EvaluationYear are the self-evaluation read (0: none).
	EvaluationID   int64
	EvaluationYear int
}

// ModuleHref is the item's page in its own module.
func (c Context) ModuleHref(r Ref) string {
	switch r.FW {
	case ISO:
		return "/compliance/clauses/" + r.Code
	case CAF:
		if c.CAFCycleID != 0 {
			return fmt.Sprintf("/caf/%d/evidence?sub=%s", c.CAFCycleID, r.Code)
		}
		return "/caf/model"
	case OSGG:
		if c.EvaluationID != 0 {
			return fmt.Sprintf("/control/evaluations/%d/summary", c.EvaluationID)
		}
		return "/control/standards"
	}
	return ""
}

// index is every item's own evidence and the mapping, read once.
type index struct {
	ctx    Context
	own    map[Ref][]Piece
	mapped map[Ref][]Ref
	na     map[string]bool // ISO clauses not applicable
}

func (s *Service) index(ctx context.Context, a auth.Actor) (*index, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, err
	}
	pairs, err := s.Pairs(ctx, a)
	if err != nil {
		return nil, err
	}
	ix := &index{own: map[Ref][]Piece{}, mapped: map[Ref][]Ref{}, na: map[string]bool{}}
	for _, p := range pairs {
		ix.mapped[p.A] = append(ix.mapped[p.A], p.B)
		ix.mapped[p.B] = append(ix.mapped[p.B], p.A)
	}
	for r := range ix.mapped {
		slices.SortFunc(ix.mapped[r], Compare)
	}
	if err := s.isoEvidence(ctx, a, ix); err != nil {
		return nil, err
	}
	if a.Can(auth.PermCAFView) {
		if err := s.cafEvidence(ctx, a.Tenant, ix); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermControlView) {
		if err := s.osggEvidence(ctx, a.Tenant, ix); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// isoEvidence reads the compliance matrix: per clause, with its
// sub-clauses', the evidence of conformity (documents in force,
// registers, internal audits, reviews, indicators, evidence recorded by
// hand). Findings and nonconformities show problems, not conformity, and
// documents not in force yet are not evidence.
func (s *Service) isoEvidence(ctx context.Context, a auth.Actor, ix *index) error {
	m, err := s.Compliance.Matrix(ctx, a, compliance.Filter{})
	if err != nil {
		return err
	}
	docs, err := inForceDocuments(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return err
	}
	item := func(it evidence.Item, origin string) Piece {
		return Piece{Key: pieceKey(it.Href, it.Entity, it.ID, fmt.Sprintf("iso:%s:%s:%s", it.Kind, it.Clause, it.Title)), Kind: it.Kind,
			Code: it.Code, Title: it.Title, Href: it.Href, Date: it.Date, Origins: []Ref{{ISO, origin}}}
	}
	for _, row := range m.Rows {
		code := row.Clause.Code
		r := Ref{ISO, code}
		if row.Status.Status == compliance.StatusNotApplicable {
			ix.na[code] = true
		}
		var ps []Piece
		for _, d := range docs {
			if frameworks.Covers(d.Clause, code) {
				ps = append(ps, item(d, d.Clause))
			}
		}
		e := row.Evidence
		for _, sm := range e.Summaries {
			ps = append(ps, Piece{Key: "register:" + sm.Href, Kind: evidence.KindRegister, TitleKey: sm.Key, TitleArgs: sm.Args, Href: sm.Href, Origins: []Ref{r}})
		}
		for _, l := range [][]evidence.Item{e.Audits, e.Reviews, e.Indicators} {
			for _, it := range l {
				ps = append(ps, item(it, cmp.Or(it.Clause, code)))
			}
		}
		for _, it := range e.Manual {
			p := item(it, cmp.Or(it.Clause, code))
			p.Key = pieceKey("", it.Entity, it.ID, p.Key) // an address given by hand is no record of Cadran
			ps = append(ps, p)
		}
		ix.own[r] = mergePieces(ps)
	}
	return nil
}

// inForceDocuments lists the documents in force linked to clauses.
func inForceDocuments(ctx context.Context, q querier, tenant int64) ([]evidence.Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.target_key, d.id, d.code, d.title, d.effective_on
		FROM document_links l JOIN documents d ON d.id = l.document_id AND d.tenant_id = l.tenant_id
		WHERE l.tenant_id = $1 AND l.target = $2 AND d.state = $3`, tenant, documents.LinkClause, documents.StateInForce)
	if err != nil {
		return nil, fmt.Errorf("cannot read the documents linked to clauses: %w", err)
	}
	defer rows.Close()
	var out []evidence.Item
	for rows.Next() {
		it := evidence.Item{Kind: evidence.KindDocument, Entity: "document"}
		var on string
		if err := rows.Scan(&it.Clause, &it.ID, &it.Code, &it.Title, &on); err != nil {
			return nil, fmt.Errorf("cannot read the documents linked to clauses: %w", err)
		}
		it.Href = fmt.Sprintf("/documents/%d", it.ID)
		it.Date, _ = time.Parse(time.DateOnly, on)
		out = append(out, it)
	}
	return out, rows.Err()
}

// cafEvidence reads the latest self-assessment cycle's evidence: the
// institution's own cycle before a unit's, the latest started, never a
// cancelled one.
func (s *Service) cafEvidence(ctx context.Context, tenant int64, ix *index) error {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, code FROM caf_cycles WHERE tenant_id = $1 AND state <> $2
		ORDER BY CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END, start_on DESC, id DESC LIMIT 1`, tenant, caf.StateCancelled)
	if err != nil {
		return fmt.Errorf("cannot read the CAF cycles: %w", err)
	}
	for rows.Next() {
		if err := rows.Scan(&ix.ctx.CAFCycleID, &ix.ctx.CAFCycle); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read the CAF cycles: %w", err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read the CAF cycles: %w", err)
	}
	if ix.ctx.CAFCycleID == 0 {
		return nil
	}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT id, subcriterion, kind, entity, COALESCE(entity_id, 0), title, href, notes, created_at
		FROM caf_evidence WHERE tenant_id = $1 AND cycle_id = $2 ORDER BY id`, tenant, ix.ctx.CAFCycleID)
	if err != nil {
		return fmt.Errorf("cannot read the CAF evidence: %w", err)
	}
	defer rows.Close()
	by := map[Ref][]Piece{}
	for rows.Next() {
		var id, entityID int64
		var sub, kind, entity string
		var p Piece
		if err := rows.Scan(&id, &sub, &kind, &entity, &entityID, &p.Title, &p.Href, &p.Detail, &p.Date); err != nil {
			return fmt.Errorf("cannot read the CAF evidence: %w", err)
		}
		r := Ref{CAF, sub}
		p.Kind, p.Origins = kind, []Ref{r}
		p.Key = pieceKey(p.Href, entity, entityID, "caf_evidence:"+strconv.FormatInt(id, 10))
		if entityID == 0 {
			p.Key = "caf_evidence:" + strconv.FormatInt(id, 10)
		}
		by[r] = append(by[r], p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read the CAF evidence: %w", err)
	}
	for r, ps := range by {
		ix.own[r] = mergePieces(ps)
	}
	return nil
}

// osggEvidence reads the evidence of every compartment in the latest
// self-evaluation consolidated or approved (else the one under way).
func (s *Service) osggEvidence(ctx context.Context, tenant int64, ix *index) error {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, year FROM control_evaluations WHERE tenant_id = $1
		ORDER BY CASE WHEN state IN ($2, $3) THEN 0 ELSE 1 END, year DESC, id DESC LIMIT 1`, tenant, control.EvalConsolidated, control.EvalApproved)
	if err != nil {
		return fmt.Errorf("cannot read the self-evaluations: %w", err)
	}
	for rows.Next() {
		if err := rows.Scan(&ix.ctx.EvaluationID, &ix.ctx.EvaluationYear); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read the self-evaluations: %w", err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read the self-evaluations: %w", err)
	}
	if ix.ctx.EvaluationID == 0 {
		return nil
	}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT e.id, e.standard, e.kind, e.entity, COALESCE(e.entity_id, 0), e.title, e.href, COALESCE(u.name, ''), e.created_at
		FROM control_evidence e LEFT JOIN units u ON u.id = e.unit_id AND u.tenant_id = e.tenant_id
		WHERE e.tenant_id = $1 AND e.evaluation_id = $2 ORDER BY e.id`, tenant, ix.ctx.EvaluationID)
	if err != nil {
		return fmt.Errorf("cannot read the self-evaluation's evidence: %w", err)
	}
	defer rows.Close()
	by := map[Ref][]Piece{}
	for rows.Next() {
		var id, entityID int64
		var std int
		var kind, entity string
		var p Piece
		if err := rows.Scan(&id, &std, &kind, &entity, &entityID, &p.Title, &p.Href, &p.Detail, &p.Date); err != nil {
			return fmt.Errorf("cannot read the self-evaluation's evidence: %w", err)
		}
		r := Ref{OSGG, strconv.Itoa(std)}
		p.Kind, p.Origins = kind, []Ref{r}
		p.Key = pieceKey(p.Href, entity, entityID, "control_evidence:"+strconv.FormatInt(id, 10))
		if entityID == 0 {
			p.Key = "control_evidence:" + strconv.FormatInt(id, 10)
		}
		by[r] = append(by[r], p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read the self-evaluation's evidence: %w", err)
	}
	for r, ps := range by {
		ix.own[r] = mergePieces(ps)
	}
	return nil
}

// mergePieces keeps one piece per record, with the origins of all.
func mergePieces(ps []Piece) []Piece {
	var out []Piece
	at := map[string]int{}
	for _, p := range ps {
		i, ok := at[p.Key]
		if !ok {
			at[p.Key] = len(out)
			p.Origins = slices.Clone(p.Origins)
			out = append(out, p)
			continue
		}
		q := &out[i]
		for _, o := range p.Origins {
			if !slices.Contains(q.Origins, o) {
				q.Origins = append(q.Origins, o)
			}
		}
		if q.Detail == "" {
			q.Detail = p.Detail
		} else if p.Detail != "" && !strings.Contains(q.Detail, p.Detail) {
			q.Detail += "; " + p.Detail
		}
		if p.Date.After(q.Date) {
			q.Date = p.Date
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Origins, Compare)
	}
	return out
}

// Statuses of an item.
const (
	StatusDirect    = "direct"    // evidence linked to the item itself
	StatusCrosswalk = "crosswalk" // evidence only through the crosswalk
	StatusNone      = "none"
)

// Statuses lists the statuses in the order filters show them.
var Statuses = []string{StatusDirect, StatusCrosswalk, StatusNone}

// Item is one item of a framework with the items mapped to it and every
// piece of evidence: linked to it, then reaching it through the crosswalk.
type Item struct {
	Ref    Ref
	Mapped []Ref
	// Evidence: the direct pieces first (each may also be linked to
	// mapped items), then those only through the crosswalk.
	Evidence        []Piece
	Direct, Through int
	// NotApplicable marks an ISO clause excluded from the system.
	NotApplicable bool
}

// Status is direct, crosswalk or none.
func (it Item) Status() string {
	switch {
	case it.Direct > 0:
		return StatusDirect
	case it.Through > 0:
		return StatusCrosswalk
	}
	return StatusNone
}

// ThroughPieces is the evidence that reaches the item only through the
// crosswalk.
func (it Item) ThroughPieces() []Piece {
	var out []Piece
	for _, p := range it.Evidence {
		if !p.LinkedTo(it.Ref.FW) {
			out = append(out, p)
		}
	}
	return out
}

// PanelLimit is how many pieces a module's page lists of the evidence
// that reaches an item through the crosswalk, the newest; the item's own
// crosswalk page lists them all.
const PanelLimit = 10

// Panel is what a module's page shows of the evidence that reaches an item
// through the crosswalk: the newest pieces and how many there are.
type Panel struct {
	Pieces []Piece
	Total  int
}

// More reports whether more pieces reach the item than the panel lists.
func (p Panel) More() bool { return p.Total > len(p.Pieces) }

// Panel is the evidence that reaches the item only through the crosswalk,
// at most PanelLimit pieces of it.
func (it Item) Panel() Panel {
	ps := it.ThroughPieces()
	return Panel{Pieces: ps[:min(len(ps), PanelLimit)], Total: len(ps)}
}

func (ix *index) item(r Ref) Item {
	it := Item{Ref: r, Mapped: ix.mapped[r], NotApplicable: r.FW == ISO && ix.na[r.Code]}
	ps := slices.Clone(ix.own[r])
	for _, m := range it.Mapped {
		ps = append(ps, ix.own[m]...)
	}
	it.Evidence = mergePieces(ps)
	for _, p := range it.Evidence {
		if p.LinkedTo(r.FW) {
			it.Direct++
		} else {
			it.Through++
		}
	}
	slices.SortStableFunc(it.Evidence, func(x, y Piece) int {
		dx, dy := x.LinkedTo(r.FW), y.LinkedTo(r.FW)
		if dx != dy {
			if dx {
				return -1
			}
			return 1
		}
		if c := y.Date.Compare(x.Date); c != 0 {
			return c
		}
		return strings.Compare(x.Code+x.Title, y.Code+y.Title)
	})
	return it
}

// ItemPage is one item with its evidence and where it was read from.
type ItemPage struct {
	Item
	Context Context
}

// Item returns one item of a framework with its evidence, direct and
// through the crosswalk; an unknown item is not found.
func (s *Service) Item(ctx context.Context, a auth.Actor, r Ref) (ItemPage, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return ItemPage{}, err
	}
	if !r.Valid() {
		return ItemPage{}, apperr.NotFound("crosswalk_item")
	}
	ix, err := s.index(ctx, a)
	if err != nil {
		return ItemPage{}, err
	}
	return ItemPage{Item: ix.item(r), Context: ix.ctx}, nil
}

// ItemsOf returns several items of the frameworks at once, read from one
// pass over the evidence (the questionnaire's 16 standards, say); unknown
// items are left out.
func (s *Service) ItemsOf(ctx context.Context, a auth.Actor, refs []Ref) (map[Ref]Item, Context, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, Context{}, err
	}
	ix, err := s.index(ctx, a)
	if err != nil {
		return nil, Context{}, err
	}
	out := make(map[Ref]Item, len(refs))
	for _, r := range refs {
		if r.Valid() {
			out[r] = ix.item(r)
		}
	}
	return out, ix.ctx, nil
}
