package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/training"
)

// Institution A's certificate (with its scan, held by the fixture's person,
// the viewer's), competence and requirement, for the tenant-isolation test
// of the certificate, competence and matrix routes; the page test renders
// them too.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc := f.Srv.training
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		comp, err := svc.CreateCompetence(ctx, sys, training.CompetenceInput{Code: "C-ALFA", Name: "Alfa Competența de control intern", Area: training.TopicControl, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		req, err := svc.AddRequirement(ctx, sys, comp.ID, training.RequirementInput{Kind: training.RequireJob, Target: "Șef serviciu", Level: 2})
		if err != nil {
			t.Fatal(err)
		}
		// No competence: the person's held competences are the person
		// record's fixture (training_person_isolation_test.go).
		cert, err := svc.CreateCertificate(ctx, sys, training.CertificateInput{PersonID: f.A.Person.ID, Name: "Alfa Certificat de control intern", Number: "ALFA-1",
			IssuedOn: "2026-10-01", ExpiresOn: "2028-10-01"},
			&training.Upload{Name: "alfa.pdf", Type: "application/pdf", Body: bytes.NewReader(trcPDF)})
		if err != nil {
			t.Fatal(err)
		}
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := f.DB.R.QueryRow(query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		return isolationRecords{
			IDs:    map[string]string{"/training/certificates/{id}": id(cert.ID), "/training/competences/{id}": id(comp.ID)},
			Params: map[string]string{"{trid}": id(req.ID)},
			Form: url.Values{
				"training_cert_person": {id(f.A.Person.ID)}, "training_cert_competence": {id(comp.ID)}, "training_cert_renews": {id(cert.ID)},
				"training_cert_name": {"Intrus"}, "training_cert_issued_on": {"2026-11-01"}, "training_cert_level": {"1"},
				"training_comp_code": {"C-INTRUS"}, "training_comp_name": {"Intrus"}, "training_comp_area": {"other"}, "training_comp_active": {"1"},
				"training_req_kind": {"everyone"}, "training_req_level": {"3"},
			},
			Check: func(t *testing.T) {
				c, err := svc.Certificate(ctx, sys, cert.ID)
				if err != nil || c.Version != cert.Version || c.Revoked || c.Name != cert.Name || c.ScanSHA256 != cert.ScanSHA256 {
					t.Errorf("A's certificate changed during B's requests: %+v (%v)", c, err)
				}
				k, err := svc.Competence(ctx, sys, comp.ID)
				if err != nil || k.Version != comp.Version || k.Name != comp.Name {
					t.Errorf("A's competence changed during B's requests: %+v (%v)", k, err)
				}
				rs, err := svc.Requirements(ctx, sys, comp.ID)
				if err != nil || len(rs) != 1 || rs[0].ID != req.ID || rs[0].Level != 2 {
					t.Errorf("A's requirements are %+v (%v)", rs, err)
				}
				if n := count(`SELECT COUNT(*) FROM training_certificates WHERE tenant_id <> $1 AND (person_id = $2 OR renews_id = $3 OR competence_id = $4)`,
					f.A.Inst.ID, f.A.Person.ID, cert.ID, comp.ID); n != 0 {
					t.Errorf("B recorded %d certificates pointing at A's person, certificate or competence", n)
				}
				if n := count(`SELECT COUNT(*) FROM training_requirements WHERE tenant_id <> $1 AND competence_id = $2`, f.A.Inst.ID, comp.ID); n != 0 {
					t.Errorf("B added %d requirements to A's competence", n)
				}
				if n := count(`SELECT COUNT(*) FROM training_person_competences WHERE tenant_id <> $1 AND (person_id = $2 OR competence_id = $3)`, f.A.Inst.ID, f.A.Person.ID, comp.ID); n != 0 {
					t.Errorf("B gave %d competences to A's person or of A's catalogue", n)
				}
			},
		}
	})
}

// TestTrainingCertificatePagesRender renders every GET route of the
// certificates, the competences and the matrix as TestEveryPageRenders
// does: the quality manager (Romanian) gets each page, the viewer
// (English, the certificate's holder) reads what is theirs and is refused
// the forms.
func TestTrainingCertificatePagesRender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, string(auth.RoleQualityManager))
		qm := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		var recs isolationRecords
		for _, m := range isolationModules {
			r := m(t, f)
			if _, ok := r.IDs["/training/certificates/{id}"]; ok {
				recs = r
			}
		}
		checked := 0
		for _, rt := range f.Srv.Routes() {
			path := rt[1]
			if rt[0] != "GET" || !(strings.HasPrefix(path, "/training/certificates") || strings.HasPrefix(path, "/training/competences") || strings.HasPrefix(path, "/training/matrix")) {
				continue
			}
			if i := strings.Index(path, "{id}"); i >= 0 {
				path = strings.Replace(path, "{id}", recs.IDs[path[:i+4]], 1)
			}
			checked++
			res, body := qm.get(path)
			wantStatus(t, res, body, http.StatusOK)
			if strings.Contains(res.Header.Get("Content-Type"), "html") && (strings.Contains(body, "training.") || strings.Contains(body, "field.") || strings.Contains(body, "error.")) {
				t.Errorf("%s shows an untranslated key", path)
			}
			res, body = viewer.get(path)
			if strings.HasSuffix(path, "/new") || strings.HasSuffix(path, "/edit") {
				wantStatus(t, res, body, http.StatusForbidden)
				if !strings.Contains(body, "You are not allowed to do this.") {
					t.Errorf("%s: no English refusal for the viewer", path)
				}
				continue
			}
			wantStatus(t, res, body, http.StatusOK)
			if strings.Contains(res.Header.Get("Content-Type"), "html") && !strings.Contains(body, `lang="en"`) {
				t.Errorf("%s is not in English for the viewer", path)
			}
		}
		if checked != 16 {
			t.Errorf("checked %d pages, want 16", checked)
		}
	})
}
