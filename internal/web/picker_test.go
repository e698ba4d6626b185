package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
)

// TestCAFEvidencePicker: the evidence form offers no list of every
// document or KPI but a search that narrows them (keeping what was typed),
// links by the exact code typed, says clearly when no record has the code,
// and never finds nor links another institution's records.
func TestCAFEvidencePicker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		sd := cafcSeed(t, f, caf.StateAssessing)
		ka, kb := seedKPI(t, f, f.A), seedKPI(t, f, f.B)
		// A draft is not in force: the CAF picker does not offer it.
		draft, err := f.Srv.docs.Create(ctx, auth.SystemActor(f.A.Inst.ID, "test"), documents.DocumentInput{Kind: documents.KindOperational, Title: "Alfa Procedura privind arhiva", UnitID: f.A.Unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		qm := f.login(t, f.A.Username)
		page := "/caf/" + strconv.FormatInt(sd.Cycle.ID, 10) + "/evidence"
		docID, kpiID := strconv.FormatInt(f.A.Doc.ID, 10), strconv.FormatInt(ka.KPI.ID, 10)
		evidence := func() int {
			t.Helper()
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM caf_evidence WHERE cycle_id = $1`, sd.Cycle.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		res, body := qm.get(page)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="caf_ev_doc_q"`) || !strings.Contains(body, `name="caf_ev_kpi_q"`) || !strings.Contains(body, `formmethod="get"`) {
			t.Error("the evidence form lacks the pickers' search fields")
		}
		if strings.Contains(body, `name="caf_ev_document" value=`) || strings.Contains(body, `name="caf_ev_kpi" value=`) {
			t.Error("the evidence form lists documents before any search")
		}

		// The search narrows the options and keeps what was typed.
		q := url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"document"}, "caf_ev_title": {"Alfa titlu tastat"}, "caf_ev_doc_q": {"bugetul"}, "caf_ev_kpi_q": {"petitii"}}
		res, body = qm.get(page + "?" + q.Encode())
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="caf_ev_document" value="`+docID+`" checked`) || !strings.Contains(body, f.A.Doc.Code+" "+f.A.Doc.Title) {
			t.Error("the document search does not offer the matching document")
		}
		if !strings.Contains(body, `name="caf_ev_kpi" value="`+kpiID+`" checked`) {
			t.Error("the KPI search (diacritics ignored) does not offer the matching KPI")
		}
		if !strings.Contains(body, `value="Alfa titlu tastat"`) || !strings.Contains(body, `<option value="2.1" selected>`) || !strings.Contains(body, `value="bugetul"`) {
			t.Error("the search loses what was typed")
		}
		if strings.Contains(body, "Beta") || strings.Contains(body, strconv.FormatInt(kb.KPI.ID, 10)+`" checked`) {
			t.Error("the search offers another institution's records")
		}
		_, body = qm.get(page + "?" + url.Values{"caf_ev_kind": {"document"}, "caf_ev_doc_q": {"arhiva"}}.Encode())
		if strings.Contains(body, `value="`+strconv.FormatInt(draft.ID, 10)+`"`) || !strings.Contains(body, "Nu s-a găsit nimic pentru „arhiva”") {
			t.Error("the CAF picker offers a document not in force, or does not say it found nothing")
		}
		_, body = qm.get(page + "?" + url.Values{"caf_ev_kind": {"document"}, "caf_ev_doc_q": {"Beta"}, "caf_ev_kpi_q": {"Beta"}}.Encode())
		if strings.Contains(body, `name="caf_ev_document" value=`) || strings.Contains(body, `name="caf_ev_kpi" value=`) {
			t.Error("a search for B's records finds some")
		}

		// A picked option links.
		n := evidence()
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"1.2"}, "caf_ev_kind": {"document"}, "caf_ev_doc_q": {"bugetul"}, "caf_ev_document": {docID}})
		wantStatus(t, res, body, http.StatusSeeOther)
		// The exact code typed (any letter case) links, without a search.
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"document"}, "caf_ev_doc_q": {strings.ToLower(f.A.Doc.Code)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"indicator"}, "caf_ev_kpi_q": {"k01"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if got := evidence(); got != n+3 {
			t.Errorf("%d pieces of evidence added, want 3", got-n)
		}
		var kpiLinked, docLinked int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM caf_evidence WHERE cycle_id = $1 AND entity = 'kpi' AND entity_id = $2`, sd.Cycle.ID, ka.KPI.ID).Scan(&kpiLinked); err != nil || kpiLinked != 1 {
			t.Errorf("A's KPI K01 linked %d times (%v), want once", kpiLinked, err)
		}
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM caf_evidence WHERE cycle_id = $1 AND entity = 'document' AND entity_id = $2 AND subcriterion = '2.1'`, sd.Cycle.ID, f.A.Doc.ID).Scan(&docLinked); err != nil || docLinked != 1 {
			t.Errorf("the document typed by its code linked %d times (%v), want once", docLinked, err)
		}

		// An unknown code: a clear error, the form kept as typed.
		n = evidence()
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"document"}, "caf_ev_doc_q": {"XX-99"}, "caf_ev_title": {"Alfa titlu tastat"}, "caf_ev_notes": {"Alfa note tastate"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Nu există niciun document cu acest cod") || !strings.Contains(body, `href="#f-caf_ev_document"`) {
			t.Error("an unknown document code gets no clear error")
		}
		if !strings.Contains(body, `value="XX-99"`) || !strings.Contains(body, `value="Alfa titlu tastat"`) || !strings.Contains(body, "Alfa note tastate") || !strings.Contains(body, `<option value="2.1" selected>`) {
			t.Error("the refused form loses what was typed")
		}
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"indicator"}, "caf_ev_kpi_q": {"K99"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Nu există niciun indicator cu acest cod") {
			t.Error("an unknown KPI code gets no clear error")
		}
		// The draft's own code does not link it: only documents in force.
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"document"}, "caf_ev_doc_q": {draft.Code}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		// Another institution's records are not linked, by choice or by code.
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"document"}, "caf_ev_document": {strconv.FormatInt(f.B.Doc.ID, 10)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = qm.post(page, url.Values{"caf_ev_sub": {"2.1"}, "caf_ev_kind": {"indicator"}, "caf_ev_kpi": {strconv.FormatInt(kb.KPI.ID, 10)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if strings.Contains(body, "Beta") {
			t.Error("the refused form shows B's KPI")
		}
		if got := evidence(); got != n {
			t.Errorf("refused forms added %d pieces of evidence", got-n)
		}
		var foreign int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM caf_evidence WHERE (entity = 'document' AND entity_id = $1) OR (entity = 'kpi' AND entity_id = $2)`, f.B.Doc.ID, kb.KPI.ID).Scan(&foreign); err != nil || foreign != 0 {
			t.Errorf("B's records linked %d times (%v)", foreign, err)
		}
	})
}

// TestDocumentLinkPicker: a document's link form searches the documents to
// link instead of listing them all, on the document's and its versions'
// pages, and links neither the document itself nor another institution's.
func TestDocumentLinkPicker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		other, err := f.Srv.docs.Create(ctx, auth.SystemActor(f.A.Inst.ID, "test"), documents.DocumentInput{Kind: documents.KindOperational, Title: "Alfa Procedura privind arhiva", UnitID: f.A.Unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		qm := f.login(t, f.A.Username)
		page := "/documents/" + strconv.FormatInt(f.A.Doc.ID, 10)
		otherID := strconv.FormatInt(other.ID, 10)
		links := func(doc int64) int {
			t.Helper()
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM document_links WHERE document_id = $1 AND target = 'document'`, doc).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		res, body := qm.get(page)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="link_doc_q"`) || strings.Contains(body, `name="key_document" value="`+otherID+`"`) {
			t.Error("the link form lacks its search or lists every document")
		}
		res, body = qm.get(page + "?link_doc_q=arhiv")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="key_document" value="`+otherID+`" checked`) || !strings.Contains(body, `name="target" value="document" checked`) {
			t.Error("the search does not offer the matching document, chosen")
		}
		res, body = qm.get(page + "?link_doc_q=procedura")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `name="key_document" value="`+strconv.FormatInt(f.A.Doc.ID, 10)+`"`) || !strings.Contains(body, `value="`+otherID+`"`) {
			t.Error("the search offers the document itself, or misses the other")
		}
		_, body = qm.get(page + "?link_doc_q=Beta")
		if strings.Contains(body, `name="key_document" value=`) || strings.Contains(body, "Beta Procedura") {
			t.Error("the search finds another institution's document")
		}
		vpage := page + "/versions/" + strconv.FormatInt(f.A.InForce, 10)
		res, body = qm.get(vpage + "?link_doc_q=arhiv")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `formaction="`+vpage+`#f-key_document"`) || !strings.Contains(body, `value="`+otherID+`"`) {
			t.Error("the version page's search does not come back to the version")
		}

		// Another institution's document is refused, the search kept.
		res, body = qm.post(page+"/links", url.Values{"target": {"document"}, "key_document": {strconv.FormatInt(f.B.Doc.ID, 10)}, "link_doc_q": {"arhiv"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `value="arhiv"`) || !strings.Contains(body, `value="`+otherID+`"`) || strings.Contains(body, "Beta Procedura") {
			t.Error("the refused link loses the search or shows B's document")
		}
		if n := links(f.A.Doc.ID); n != 0 {
			t.Errorf("%d document links after the refusal", n)
		}
		res, body = qm.post(page+"/links", url.Values{"target": {"document"}, "key_document": {otherID}, "link_doc_q": {"arhiv"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if n := links(f.A.Doc.ID); n != 1 {
			t.Errorf("%d document links, want 1", n)
		}

		// A code typed without searching links that document; an unknown
		// code is refused with a message and the typed code kept.
		third, err := f.Srv.docs.Create(ctx, auth.SystemActor(f.A.Inst.ID, "test"), documents.DocumentInput{Kind: documents.KindOperational, Title: "Gama Procedura", UnitID: f.A.Unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"PO-NU-EXISTA-99"} {
			res, body = qm.post(page+"/links", url.Values{"target": {"document"}, "link_doc_q": {code}})
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, "Nu există niciun document cu acest cod") || !strings.Contains(body, `value="`+code+`"`) {
				t.Errorf("code %q: the refusal lacks its message or the typed code", code)
			}
		}
		res, body = qm.post(page+"/links", url.Values{"target": {"document"}, "link_doc_q": {" " + strings.ToLower(third.Code) + " "}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if n := links(f.A.Doc.ID); n != 2 {
			t.Errorf("%d document links after linking by code, want 2", n)
		}
	})
}
