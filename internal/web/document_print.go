package web

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// procedureReport lays a version out as the OSGG 600 printed procedure:
// header, sign-offs (section 1), editions and revisions (2), distribution
// (3), the written sections, and the record of changes (10).
func (s *Server) procedureReport(r *http.Request) (report.Procedure, documents.View, error) {
	id, vid, err := docVersionIDs(r)
	if err != nil {
		return report.Procedure{}, documents.View{}, err
	}
	a := actorOf(r)
	view, err := s.docs.Open(r.Context(), a, id, vid)
	if err != nil {
		return report.Procedure{}, view, err
	}
	inst, err := s.org.Institution(r.Context(), a)
	if err != nil {
		return report.Procedure{}, view, err
	}
	receipts, _, err := s.docs.Receipts(r.Context(), a, id, vid)
	if err != nil {
		return report.Procedure{}, view, err
	}
	l := localizer(r)
	d, v := view.Document, view.Version
	p := report.Procedure{
		Header:   []string{"ROMÂNIA", strings.ToUpper(l.T("print.county", map[string]any{"County": inst.County})), strings.ToUpper(inst.Name)},
		Kind:     strings.ToUpper(l.T("document.kind." + d.Kind)),
		Title:    d.Title,
		Code:     d.Code,
		Unit:     d.UnitName,
		Edition:  v.EditionLabel(),
		Revision: fmt.Sprint(v.Revision),
		State:    l.T("document.state." + v.State),
		Draft:    v.State != documents.StateInForce,
		Copies:   fmt.Sprint(len(receipts)),
		Footer:   l.T("print.generated", map[string]any{"At": l.DateTime(s.clock.Now())}),
		L:        report.DefaultLabelsRO(),
	}
	if l.Lang() == "en" {
		p.L = report.DefaultLabelsEN()
	}
	if p.Draft {
		p.L.DraftMark = l.T("print.draft_mark", map[string]any{"State": p.State})
	}
	for _, so := range v.SignOffs {
		if so.Decision != "signed" {
			continue
		}
		p.SignOffs = append(p.SignOffs, report.SignOff{Step: l.T("document.signoff." + so.Step), Name: so.Name, Function: so.Function,
			Date: l.Date(so.SignedAt), Signature: l.T("print.signed", map[string]any{"Hash": so.ContentHash[:min(12, len(so.ContentHash))]})})
	}
	// Section 2: every edition and revision up to this one that came into force.
	for i := len(view.Versions) - 1; i >= 0; i-- {
		o := view.Versions[i]
		if o.Edition > v.Edition || (o.Edition == v.Edition && o.Revision > v.Revision) {
			continue
		}
		if o.ID != v.ID && o.State != documents.StateInForce && o.State != documents.StateSuperseded && o.State != documents.StateWithdrawn {
			continue
		}
		p.Revisions = append(p.Revisions, report.RevisionRow{Version: versionLabel(l, o), Component: changedLabel(l, o), How: o.Reason, Effective: civilDay(l.Date, o.EffectiveOn)})
	}
	for _, rc := range receipts {
		received := l.Date(rc.ReceivedAt)
		sig := ""
		if rc.AcknowledgedAt != nil {
			sig = l.T("print.acknowledged", map[string]any{"At": l.Date(*rc.AcknowledgedAt)})
		}
		p.Distribution = append(p.Distribution, report.DistributionRow{Purpose: l.T("document.purpose." + rc.Purpose), Copy: fmt.Sprint(rc.CopyNo),
			Unit: rc.UnitName, Function: rc.JobTitle, Name: rc.Name, Received: received, Signature: sig})
	}
	for _, def := range documents.SectionsOf(d.Kind) {
		if def.Key == documents.SecAnnexes {
			p.Sections = append(p.Sections, report.Section{Number: "10", Title: l.T("document.section.changes"), Body: changesText(l, p.Revisions)})
		}
		body := v.Sections[def.Key]
		if def.Key == documents.SecAnnexes {
			for _, f := range v.Files {
				if f.Role == documents.RoleAnnex {
					body += "\n- " + f.Name
				}
			}
		}
		title := l.T("document.section." + def.Key)
		if def.Key == documents.SecBody {
			title = ""
		}
		p.Sections = append(p.Sections, report.Section{Number: def.Number, Title: title, Body: strings.TrimSpace(body)})
	}
	return p, view, nil
}

func versionLabel(l *i18n.Localizer, v documents.Version) string {
	return l.T("document.version_label", map[string]any{"Edition": v.EditionLabel(), "Revision": v.Revision})
}

func changedLabel(l *i18n.Localizer, v documents.Version) string {
	if v.Edition == 1 && v.Revision == 0 {
		return l.T("document.first_issue")
	}
	names := make([]string, 0, len(v.Changed))
	for _, k := range v.Changed {
		names = append(names, l.T("document.section."+k))
	}
	return strings.Join(names, ", ")
}

func changesText(l *i18n.Localizer, rows []report.RevisionRow) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "- %s (%s): %s", r.Version, r.Effective, r.Component)
		if r.How != "" {
			b.WriteString(" — " + r.How)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (s *Server) printName(v documents.View, ext string) string {
	return fmt.Sprintf("%s_ed%s_rev%d.%s", strings.NewReplacer("/", "-", " ", "_").Replace(v.Document.Code), v.Version.EditionLabel(), v.Version.Revision, ext)
}

// versionPDF prints a version as PDF.
func (s *Server) versionPDF(w http.ResponseWriter, r *http.Request) error {
	p, view, err := s.procedureReport(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s"`, s.printName(view, "pdf")))
	return report.WriteProcedurePDF(w, p)
}

// versionDOCX writes a version as a Word document people can edit.
func (s *Server) versionDOCX(w http.ResponseWriter, r *http.Request) error {
	p, view, err := s.procedureReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, strings.TrimSuffix(s.printName(view, "docx"), ".docx"), "docx", func(w io.Writer) error { return report.WriteProcedureDOCX(w, p) })
}
