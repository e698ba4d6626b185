package web

import (
	"net/http"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/crosswalk"
	"cadran/internal/report"
)

// cwChip is one mapped item on the mapping page, with its pair's id (for
// the remove button).
type cwChip struct {
	PairID int64
	Ref    crosswalk.Ref
}

// cwStdRow is an OSGG standard with its ISO clauses and CAF sub-criteria.
type cwStdRow struct {
	Std      crosswalk.Ref
	ISO, CAF []cwChip
}

// cwISORow is an ISO clause with the CAF sub-criteria mapped to it.
type cwISORow struct {
	ISO crosswalk.Ref
	CAF []cwChip
}

// cwForm is the add form as typed.
type cwForm struct {
	FWA, CodeA, FWB, CodeB string
}

type crosswalkMapData struct {
	Standards  []cwStdRow
	ISOCAF     []cwISORow
	Pairs      int
	CanEdit    bool
	Form       cwForm
	Frameworks []string
}

func (s *Server) crosswalkMapData(r *http.Request) (*crosswalkMapData, error) {
	a := actorOf(r)
	ps, err := s.crosswalk.Pairs(r.Context(), a)
	if err != nil {
		return nil, err
	}
	d := &crosswalkMapData{Pairs: len(ps), CanEdit: a.Can(auth.PermComplianceEdit), Frameworks: crosswalk.Frameworks,
		Form: cwForm{FWA: crosswalk.ISO, FWB: crosswalk.OSGG}}
	std := map[string]*cwStdRow{}
	for _, it := range crosswalk.Items(crosswalk.OSGG) {
		d.Standards = append(d.Standards, cwStdRow{Std: it})
	}
	for i := range d.Standards {
		std[d.Standards[i].Std.Code] = &d.Standards[i]
	}
	iso := map[string]int{}
	for _, p := range ps {
		chip := func(r crosswalk.Ref) cwChip { return cwChip{PairID: p.ID, Ref: r} }
		switch {
		case p.B.FW == crosswalk.OSGG && std[p.B.Code] != nil:
			row := std[p.B.Code]
			if p.A.FW == crosswalk.ISO {
				row.ISO = append(row.ISO, chip(p.A))
			} else {
				row.CAF = append(row.CAF, chip(p.A))
			}
		case p.A.FW == crosswalk.ISO && p.B.FW == crosswalk.CAF:
			i, ok := iso[p.A.Code]
			if !ok {
				i = len(d.ISOCAF)
				iso[p.A.Code] = i
				d.ISOCAF = append(d.ISOCAF, cwISORow{ISO: p.A})
			}
			d.ISOCAF[i].CAF = append(d.ISOCAF[i].CAF, chip(p.B))
		}
	}
	return d, nil
}

// crosswalkMap is the mapping: the 16 OSGG standards with their ISO
// clauses and CAF sub-criteria, then the ISO–CAF pairs; the quality
// office edits it here.
func (s *Server) crosswalkMap(w http.ResponseWriter, r *http.Request) error {
	d, err := s.crosswalkMapData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "crosswalk_map", s.page(r, "crosswalk.title", d))
}

// crosswalkExport sends every pair of the mapping.
func (s *Server) crosswalkExport(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.crosswalk.Pairs(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("crosswalk.export_sheet"), Headers: []string{
		l.T("crosswalk.col.framework_a"), l.T("crosswalk.col.code_a"), l.T("crosswalk.col.title_a"),
		l.T("crosswalk.col.framework_b"), l.T("crosswalk.col.code_b"), l.T("crosswalk.col.title_b")}}
	for _, p := range ps {
		t.Rows = append(t.Rows, []any{l.T("crosswalk.fw." + p.A.FW), p.A.Code, p.A.Title(l.Lang()), l.T("crosswalk.fw." + p.B.FW), p.B.Code, p.B.Title(l.Lang())})
	}
	return sendTables(w, r, l.T("crosswalk.export_file"), t)
}

// crosswalkPairAdd maps two items to each other.
func (s *Server) crosswalkPairAdd(w http.ResponseWriter, r *http.Request) error {
	f := cwForm{FWA: r.FormValue("cw_fw_a"), CodeA: r.FormValue("cw_code_a"), FWB: r.FormValue("cw_fw_b"), CodeB: r.FormValue("cw_code_b")}
	p, err := s.crosswalk.AddPair(r.Context(), actorOf(r), crosswalk.PairInput{A: crosswalk.ParseRef(f.FWA, f.CodeA), B: crosswalk.ParseRef(f.FWB, f.CodeB)})
	if err == nil {
		s.flash(r, "crosswalk.flash.added", "A", cwLabel(r, p.A), "B", cwLabel(r, p.B))
		return redirect(w, r, "/crosswalk#edit")
	}
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.crosswalkMapData(r)
	if derr != nil {
		return derr
	}
	d.Form = f
	return s.formError(w, r, err, "crosswalk_map", "crosswalk.title", d)
}

// crosswalkPairDelete removes one pair.
func (s *Server) crosswalkPairDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathParamID(r, "cwid")
	if err != nil {
		return err
	}
	p, err := s.crosswalk.RemovePair(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	s.flash(r, "crosswalk.flash.removed", "A", cwLabel(r, p.A), "B", cwLabel(r, p.B))
	return redirect(w, r, "/crosswalk")
}

// crosswalkRestore puts the reference mapping back.
func (s *Server) crosswalkRestore(w http.ResponseWriter, r *http.Request) error {
	added, removed, err := s.crosswalk.RestoreDefaults(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	s.flash(r, "crosswalk.flash.restored", "Added", added, "Removed", removed)
	return redirect(w, r, "/crosswalk")
}

// cwLabel is "ISO 9001 7.5" in the reader's language.
func cwLabel(r *http.Request, ref crosswalk.Ref) string {
	return localizer(r).T("crosswalk.fw."+ref.FW) + " " + ref.Code
}
