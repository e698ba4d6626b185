package web

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/crosswalk"
	"cadran/internal/documents"
	"cadran/internal/frameworks"
)

// cafEvidenceGroup is a sub-criterion's evidence.
type cafEvidenceGroup struct {
	Sub      frameworks.CAFSub
	Evidence []caf.Evidence
}

// cafEvidenceForm is the add form as typed.
type cafEvidenceForm struct {
	Sub, Kind, Entity, Ref, Title, Href, Notes string
	DocumentID, KPIID                          int64
	// DocQuery and KPIQuery are the pickers' search fields: words to
	// search, or the exact code of the record to link.
	DocQuery, KPIQuery string
}

type cafEvidenceData struct {
	Cycle    caf.Cycle
	Groups   []cafEvidenceGroup
	Count    int
	Subs     []frameworks.CAFSub
	Kinds    []string
	Entities []string
	// Documents and KPIs are the pickers of the record to link (searched,
	// never every record); MayDocs, MayKPIs: the person may read them.
	Documents, KPIs  picker
	MayDocs, MayKPIs bool
	// MayAdd: members and managers add evidence while the cycle is open.
	MayAdd bool
	Form   cafEvidenceForm
	// Only narrows the page to one sub-criterion (?sub=).
	Only string
	// Crosswalk is each sub-criterion's evidence through the crosswalk of
	// ISO 9001, CAF and OSGG 600 (for those who read the crosswalk).
	Crosswalk map[string]crosswalk.Item
}

// cafEvidenceData builds the evidence page; form is the add form as typed
// (nil: as the address gives it, a picker's search keeping what was typed).
func (s *Server) cafEvidenceData(r *http.Request, id int64, form *cafEvidenceForm) (*cafEvidenceData, error) {
	ctx := r.Context()
	a := actorOf(r)
	c, err := s.caf.Cycle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	m := c.CAF()
	all, err := s.caf.EvidenceOf(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &cafEvidenceData{Cycle: c, Subs: m.Subs(), Kinds: caf.EvidenceKinds, Entities: caf.RecordEntities, Count: len(all),
		Form: cafEvidenceForm{Sub: r.URL.Query().Get("sub"), Kind: caf.EvidenceDocument}}
	if _, ok := m.Sub(d.Form.Sub); ok {
		d.Only = d.Form.Sub
	}
	switch {
	case form != nil:
		d.Form = *form
	case r.URL.Query().Has("caf_ev_kind"):
		// A picker's search: the form comes back as typed.
		_, d.Form = cafEvidenceInput(r)
	}
	by := map[string][]caf.Evidence{}
	for _, e := range all {
		by[e.Sub] = append(by[e.Sub], e)
	}
	for _, sub := range d.Subs {
		if d.Only != "" && sub.Code != d.Only {
			continue
		}
		d.Groups = append(d.Groups, cafEvidenceGroup{Sub: sub, Evidence: by[sub.Code]})
	}
	if a.Can(auth.PermComplianceView) {
		refs := make([]crosswalk.Ref, 0, len(d.Groups))
		for _, g := range d.Groups {
			refs = append(refs, crosswalk.Ref{FW: crosswalk.CAF, Code: g.Sub.Code})
		}
		items, _, err := s.crosswalk.ItemsOf(ctx, a, refs)
		if err != nil {
			return nil, err
		}
		d.Crosswalk = map[string]crosswalk.Item{}
		for r, it := range items {
			d.Crosswalk[r.Code] = it
		}
	}
	open := c.State != caf.StateClosed && c.State != caf.StateCancelled
	if open {
		if caf.MayManage(a, c) {
			d.MayAdd = true
		} else if me, err := s.cafMember(r, id); err != nil {
			return nil, err
		} else {
			d.MayAdd = me != nil
		}
	}
	if d.MayAdd {
		d.MayDocs, d.MayKPIs = a.Can(auth.PermDocsView), a.Can(auth.PermScorecardView)
		if d.MayDocs {
			if d.Documents, err = s.pickDocuments(ctx, a, d.Form.DocQuery, documents.StateInForce, 0); err != nil {
				return nil, err
			}
			d.Documents.keepChosen(d.Form.DocumentID, s.documentOption(ctx, a))
		}
		if d.MayKPIs {
			if d.KPIs, err = s.pickKPIs(ctx, a, d.Form.KPIQuery); err != nil {
				return nil, err
			}
			d.KPIs.keepChosen(d.Form.KPIID, s.kpiOption(ctx, a))
		}
	}
	return d, nil
}

func (s *Server) cafEvidencePage(r *http.Request, d *cafEvidenceData) *Page {
	p := s.page(r, "caf.evidence.title", d)
	p.Title = p.T("caf.evidence.title") + " · " + d.Cycle.Code
	return p
}

// cafEvidenceList is the cycle's evidence by sub-criterion, with the form
// to add more.
func (s *Server) cafEvidenceList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.cafEvidenceData(r, id, nil)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "caf_evidence", s.cafEvidencePage(r, d))
}

// cafEvidenceInput reads the add form: of the kind-specific fields only
// those of the chosen kind count.
func cafEvidenceInput(r *http.Request) (caf.EvidenceInput, cafEvidenceForm) {
	f := cafEvidenceForm{Sub: r.FormValue("caf_ev_sub"), Kind: r.FormValue("caf_ev_kind"), Entity: r.FormValue("caf_ev_entity"),
		Ref: strings.TrimSpace(r.FormValue("caf_ev_ref")), Title: strings.TrimSpace(r.FormValue("caf_ev_title")), Href: strings.TrimSpace(r.FormValue("caf_ev_href")),
		Notes: strings.TrimSpace(r.FormValue("caf_ev_notes")), DocumentID: formInt(r, "caf_ev_document"), KPIID: formInt(r, "caf_ev_kpi"),
		DocQuery: strings.TrimSpace(r.FormValue("caf_ev_doc_q")), KPIQuery: strings.TrimSpace(r.FormValue("caf_ev_kpi_q"))}
	in := caf.EvidenceInput{Sub: f.Sub, Kind: f.Kind, Title: f.Title, Notes: f.Notes}
	switch f.Kind {
	case caf.EvidenceDocument:
		in.Entity, in.EntityID = "document", f.DocumentID
	case caf.EvidenceIndicator:
		in.Entity, in.EntityID = "kpi", f.KPIID
	case caf.EvidenceRecord:
		in.Entity, in.EntityID = f.Entity, cafRecordID(f.Ref)
	default:
		in.Href = f.Href
	}
	return in, f
}

// cafRecordID reads a record's reference as people copy it: its number,
// or its page's address ("/risks/12", "https://…/nonconformities/7").
func cafRecordID(ref string) int64 {
	ref = strings.TrimRight(strings.TrimSpace(ref), "/")
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = strings.TrimRight(ref[:i], "/")
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	n, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// cafEvidenceAdd links evidence to a sub-criterion.
func (s *Server) cafEvidenceAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, a := r.Context(), actorOf(r)
	in, form := cafEvidenceInput(r)
	// Nothing picked but a code typed: the record with that exact code.
	unknown := ""
	switch {
	case form.Kind == caf.EvidenceDocument && form.DocumentID == 0 && form.DocQuery != "":
		doc, ok, err := s.documentByCode(ctx, a, form.DocQuery, documents.StateInForce)
		if err != nil {
			return err
		}
		if ok {
			in.EntityID, form.DocumentID = doc.ID, doc.ID
		} else {
			unknown = "picker.error.no_document"
		}
	case form.Kind == caf.EvidenceIndicator && form.KPIID == 0 && form.KPIQuery != "":
		k, ok, err := s.kpiByCode(ctx, a, form.KPIQuery)
		if err != nil {
			return err
		}
		if ok {
			in.EntityID, form.KPIID = k.ID, k.ID
		} else {
			unknown = "picker.error.no_kpi"
		}
	}
	e, err := s.caf.AddEvidence(ctx, a, id, in)
	if err != nil {
		if k := apperr.KindOf(err); k == apperr.KindForbidden || k == apperr.KindNotFound {
			return err
		}
		if v, ok := apperr.AsValidation(err); ok && unknown != "" && v["caf_ev_entity_id"] != "" {
			v["caf_ev_entity_id"] = unknown
		}
		d, derr := s.cafEvidenceData(r, id, &form)
		if derr != nil {
			return derr
		}
		ref := "caf_ev_ref"
		switch form.Kind {
		case caf.EvidenceDocument:
			ref = "caf_ev_document"
		case caf.EvidenceIndicator:
			ref = "caf_ev_kpi"
		}
		err = cafFieldNames(err, map[string]string{"caf_ev_entity_id": ref})
		return s.cafFormPageError(w, s.cafEvidencePage(r, d), "caf_evidence", err)
	}
	s.flash(r, "caf.evidence.flash_added", "Sub", e.Sub)
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10)+"/evidence#sub-"+e.Sub)
}

// cafEvidenceRemove unlinks evidence.
func (s *Server) cafEvidenceRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	eid, err := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	if err != nil || eid <= 0 {
		return apperr.NotFound("caf_evidence")
	}
	if err := s.caf.RemoveEvidence(r.Context(), actorOf(r), id, eid); err != nil {
		return err
	}
	s.flash(r, "caf.evidence.flash_removed")
	return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10)+"/evidence")
}
