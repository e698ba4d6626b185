package web

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/compliance"
	"cadran/internal/crosswalk"
	"cadran/internal/frameworks"
	"cadran/internal/org"
)

type complianceClauseData struct {
	Page   compliance.ClausePage
	Form   compliance.StatusInput
	EvForm compliance.ManualInput
	// Owner is the person the form's owner field holds (nil: none);
	// OwnerQuery the words of the owner search and People the active
	// people it found (at most cmpOwnerLimit).
	Owner      *org.Person
	OwnerQuery string
	People     []org.Person
	OwnerMore  bool // more people match than are offered
	Statuses   []string
	MayExclude bool
	CanEdit    bool
	History    []audit.Stored
	// Crosswalk is the clause's evidence through the crosswalk of ISO
	// 9001, CAF and OSGG 600.
	Crosswalk *crosswalk.Item
}

func (s *Server) complianceClauseData(r *http.Request, code string) (*complianceClauseData, error) {
	// The clause and its crosswalk both read the evidence of every clause:
	// once.
	ctx := compliance.WithMemo(r.Context())
	a := actorOf(r)
	p, err := s.compliance.Clause(ctx, a, code)
	if err != nil {
		return nil, err
	}
	st := p.Status
	d := &complianceClauseData{Page: p, Statuses: compliance.Statuses, MayExclude: frameworks.MayExclude(code), CanEdit: a.Can(auth.PermComplianceEdit),
		Form: compliance.StatusInput{Status: st.Status, Justification: st.Justification, OwnerID: st.OwnerID, Notes: st.Notes, Version: st.Version}}
	if d.CanEdit {
		if err := s.cmpOwnerOptions(r, d); err != nil {
			return nil, err
		}
	}
	cw, err := s.crosswalk.Item(ctx, a, crosswalk.Ref{FW: crosswalk.ISO, Code: code})
	if err != nil {
		return nil, err
	}
	d.Crosswalk = &cw.Item
	if a.Can(auth.PermAuditView) && st.ID != 0 {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "compliance_clause", EntityID: st.ID, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// cmpOwnerLimit is how many people the owner search offers.
const cmpOwnerLimit = 8

// cmpOwnerOptions fills the owner field: the person it holds and, when the
// owner search ran (a GET with owner_q), the active people it found; the
// institution's hundreds of people are never all listed.
func (s *Server) cmpOwnerOptions(r *http.Request, d *complianceClauseData) error {
	ctx, a := r.Context(), actorOf(r)
	if id := d.Form.OwnerID; id != 0 {
		if id == d.Page.Status.OwnerID && d.Page.Status.OwnerName != "" {
			d.Owner = &org.Person{ID: id, FullName: d.Page.Status.OwnerName}
		} else if p, err := s.org.Person(ctx, a, id); err == nil {
			d.Owner = &p
		} else if apperr.KindOf(err) != apperr.KindNotFound {
			return err
		}
	}
	if r.Method != http.MethodGet {
		return nil
	}
	d.OwnerQuery = strings.TrimSpace(r.URL.Query().Get("owner_q"))
	if d.OwnerQuery == "" {
		return nil
	}
	people, total, err := s.org.People(ctx, a, org.PeopleFilter{Query: d.OwnerQuery, Limit: cmpOwnerLimit})
	if err != nil {
		return err
	}
	d.OwnerMore = total > len(people)
	for _, p := range people {
		if d.Owner == nil || p.ID != d.Owner.ID {
			d.People = append(d.People, p)
		}
	}
	return nil
}

func cmpClauseTitle(code string) string {
	if c, ok := frameworks.ISOClause(code); ok {
		return c.Code
	}
	return code
}

// complianceClause is one clause: its status form, all its evidence, its
// sub-clauses and the evidence recorded by hand.
func (s *Server) complianceClause(w http.ResponseWriter, r *http.Request) error {
	d, err := s.complianceClauseData(r, r.PathValue("clause"))
	if err != nil {
		return err
	}
	p := s.page(r, "compliance.clause_title", d)
	p.Title = cmpClauseTitle(d.Page.Clause.Code) + " " + d.Page.Clause.Title(p.Lang) + " · " + p.Title
	return s.render(w, http.StatusOK, "compliance_clause", p)
}

// complianceClauseSave records the clause's status.
func (s *Server) complianceClauseSave(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("clause")
	in := compliance.StatusInput{Status: r.FormValue("cmp_status"), Justification: r.FormValue("cmp_justification"), OwnerID: formInt(r, "owner_id"),
		Notes: r.FormValue("note"), Version: formVersion(r)}
	_, err := s.compliance.SetStatus(r.Context(), actorOf(r), code, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/compliance/clauses/"+code)
	}
	if !cmpFormable(err) {
		return err
	}
	d, derr := s.complianceClauseData(r, code)
	if derr != nil {
		return derr
	}
	d.Form, d.Owner = in, nil
	if d.CanEdit {
		if oerr := s.cmpOwnerOptions(r, d); oerr != nil {
			return oerr
		}
	}
	return s.formError(w, r, err, "compliance_clause", "compliance.clause_title", d)
}

// complianceEvidenceAdd records evidence by hand against the clause.
func (s *Server) complianceEvidenceAdd(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("clause")
	in := compliance.ManualInput{Title: r.FormValue("cmp_ev_title"), Reference: r.FormValue("cmp_ev_reference"), URL: r.FormValue("cmp_ev_url"),
		On: r.FormValue("cmp_ev_on"), Notes: r.FormValue("cmp_ev_notes")}
	_, err := s.compliance.AddEvidence(r.Context(), actorOf(r), code, in)
	if err == nil {
		s.flash(r, "compliance.flash.evidence_added")
		return redirect(w, r, "/compliance/clauses/"+code+"#manual")
	}
	if !cmpFormable(err) {
		return err
	}
	d, derr := s.complianceClauseData(r, code)
	if derr != nil {
		return derr
	}
	d.EvForm = in
	return s.formError(w, r, err, "compliance_clause", "compliance.clause_title", d)
}

// complianceEvidenceDelete removes evidence recorded by hand.
func (s *Server) complianceEvidenceDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.compliance.RemoveEvidence(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	s.flash(r, "compliance.flash.evidence_removed")
	return redirect(w, r, "/compliance/clauses/"+m.Clause+"#manual")
}

// cmpFormable reports whether err is one a form shows in place.
func cmpFormable(err error) bool {
	k := apperr.KindOf(err)
	return k == apperr.KindInvalid || k == apperr.KindConflict
}

func cmpID(id int64) string { return strconv.FormatInt(id, 10) }
