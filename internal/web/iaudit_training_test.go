package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/training"
)

// TestIauditShowsTrainingCertificates: the auditor register and the audit
// page show an auditor's certificates from the training records, linked
// for who may open them, never with a delete button.
func TestIauditShowsTrainingCertificates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		x := newIauditFixture(t, f)
		qm, _, _ := iauditUsers(t, f, x)
		cert, err := f.Srv.training.CreateCertificate(context.Background(), x.sys, training.CertificateInput{PersonID: x.auditorID,
			Name: "Alfa Auditor intern pentru sisteme de management al calității", Number: "AI-2026-9", Issuer: "Furnizor acreditat", Hours: 24,
			IssuedOn: "2026-03-02", ExpiresOn: "2029-03-02"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		link := `href="/training/certificates/` + strconv.FormatInt(cert.ID, 10) + `"`
		res, body := qm.get("/audits/auditors")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{cert.Name, link, "din evidența instruirii", "AI-2026-9", x.qual.Name} {
			if !strings.Contains(body, want) {
				t.Errorf("the register lacks %q", want)
			}
		}
		// One delete button: the register's own qualification.
		if n := strings.Count(body, "/qualifications/"); n != 1 {
			t.Errorf("%d delete buttons, want the one of the register's own qualification", n)
		}
		if strings.Contains(body, "/qualifications/"+strconv.FormatInt(cert.ID, 10)+"/delete") && cert.ID != x.qual.ID {
			t.Error("the training certificate can be deleted from the register")
		}
		res, body = qm.get("/audits/" + strconv.FormatInt(x.audit.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, link) || !strings.Contains(body, cert.Name) {
			t.Error("the audit's team lacks the training certificate and its link")
		}
		// A viewer reads the register but not the training records: the
		// name without the link, in English.
		viewer := f.login(t, f.A.Viewer.Username)
		res, body = viewer.get("/audits/auditors")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, cert.Name) || strings.Contains(body, link) || !strings.Contains(body, "from the training records") {
			t.Error("the viewer's register: name shown, no link, English tag expected")
		}
		// B's register shows nothing of A's.
		res, body = f.login(t, f.B.Viewer.Username).get("/audits/auditors")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, cert.Name) {
			t.Error("B's register shows A's certificate")
		}
	})
}
