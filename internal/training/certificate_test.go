package training_test

import (
	"bytes"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/blob"
	"cadran/internal/training"
)

func TestCertificateValidation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		idle := e.person(t, e.sysA, e.tax, "Radu Inactiv", "Inspector", "execution")
		if _, err := e.d.W.ExecContext(ctx, `UPDATE people SET active = FALSE WHERE id = $1`, idle); err != nil {
			t.Fatal(err)
		}
		prog := certProgramme(t, e, "P-AI", "Auditor intern", 36, 0, 1, 40)
		enrolled := certEnrolment(t, e, prog, e.ema, training.EnrolEnrolled, 0)
		anasCert := certNew(t, e, training.CertificateInput{PersonID: e.ana, Name: "Manager al calității", IssuedOn: "2025-05-01"})
		bComp, err := e.svc.CreateCompetence(ctx, e.other, training.CompetenceInput{Code: "C-B", Name: "Competența B", Area: training.TopicQuality, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ok := training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", IssuedOn: "2026-03-02"}
		for _, tc := range []struct {
			name       string
			change     func(in *training.CertificateInput)
			field, key string
		}{
			{"name required", func(in *training.CertificateInput) { in.Name = "  " }, training.FieldCertName, "error.required"},
			{"name too long", func(in *training.CertificateInput) { in.Name = strings.Repeat("a", 301) }, training.FieldCertName, "error.too_long"},
			{"issued required", func(in *training.CertificateInput) { in.IssuedOn = "" }, training.FieldCertIssued, "error.required"},
			{"issued not a date", func(in *training.CertificateInput) { in.IssuedOn = "2026-13-01" }, training.FieldCertIssued, "error.date"},
			{"issued in the future", func(in *training.CertificateInput) { in.IssuedOn = certDay(1) }, training.FieldCertIssued, "trainingcomp.error.issued_future"},
			{"expiry not a date", func(in *training.CertificateInput) { in.ExpiresOn = "31.12.2027" }, training.FieldCertExpires, "error.date"},
			{"expiry before issue", func(in *training.CertificateInput) { in.ExpiresOn = "2026-03-01" }, training.FieldCertExpires, "trainingcomp.error.expiry_before_issue"},
			{"hours out of range", func(in *training.CertificateInput) { in.Hours = -1 }, training.FieldCertHours, "error.range"},
			{"level out of range", func(in *training.CertificateInput) { in.CompetenceLevel = 4 }, training.FieldCertLevel, "error.choice"},
			{"person required", func(in *training.CertificateInput) { in.PersonID = 0 }, training.FieldCertPerson, "error.required"},
			{"person of another institution", func(in *training.CertificateInput) { in.PersonID = e.bob }, training.FieldCertPerson, "error.choice"},
			{"person no longer active", func(in *training.CertificateInput) { in.PersonID = idle }, training.FieldCertPerson, "trainingcomp.error.person_inactive"},
			{"enrolment not completed", func(in *training.CertificateInput) { in.EnrolmentID = enrolled }, training.FieldCertEnrolment, "trainingcomp.error.enrolment_not_completed"},
			{"unknown enrolment", func(in *training.CertificateInput) { in.EnrolmentID = 999999 }, training.FieldCertEnrolment, "error.choice"},
			{"unknown programme", func(in *training.CertificateInput) { in.ProgrammeID = 999999 }, training.FieldCertProgramme, "error.choice"},
			{"competence of another institution", func(in *training.CertificateInput) { in.CompetenceID = bComp.ID }, training.FieldCertCompetence, "error.choice"},
			{"renews another person's", func(in *training.CertificateInput) { in.RenewsID = anasCert.ID }, training.FieldCertRenews, "trainingcomp.error.renews_other_person"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := ok
				tc.change(&in)
				_, err := e.svc.CreateCertificate(ctx, e.qm, in, nil)
				certWant(t, err, tc.field, tc.key)
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_certificates`); n != 1 {
			t.Errorf("%d certificates saved, want only Ana's", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'training_certificate'`); n != 1 {
			t.Errorf("refused forms left %d audit events", n-1)
		}
		if _, err := e.svc.CreateCertificate(ctx, e.emp, ok, nil); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("an employee records a certificate: %v", err)
		}
		if _, err := e.svc.CreateCertificate(ctx, e.head, ok, nil); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("a head of unit records a certificate: %v", err)
		}
		// A certificate of someone who has left may still be corrected.
		gone := e.person(t, e.sysA, e.tax, "Elena Plecată", "Inspector", "execution")
		goneCert := certNew(t, e, training.CertificateInput{PersonID: gone, Name: "Auditor intern", IssuedOn: "2025-05-01"})
		if _, err := e.d.W.ExecContext(ctx, `UPDATE people SET active = FALSE WHERE id = $1`, gone); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UpdateCertificate(ctx, e.qm, goneCert.ID, training.CertificateInput{PersonID: gone, Name: "Auditor intern", Number: "AI-9",
			IssuedOn: "2025-05-01", Version: goneCert.Version}, nil); err != nil {
			t.Errorf("correcting the certificate of someone who left: %v", err)
		}
		// The audit trail has the one certificate recorded.
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'training_certificate' AND action = 'create' AND entity_id = $1`, anasCert.ID); n != 1 {
			t.Errorf("%d audit events for the certificate", n)
		}
	})
}

func TestCertificateFromEnrolmentAndExpiry(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		comp := compNew(t, e, "C-AUD", training.TopicAudit, 0)
		prog := certProgramme(t, e, "P-AI", "Auditor intern pentru sisteme de management al calității", 36, comp, 2, 40)
		enr := certEnrolment(t, e, prog, e.ion, training.EnrolCompleted, 38.4)
		// The enrolment gives the person, programme, competence and hours;
		// the programme the name and the validity.
		c := certNew(t, e, training.CertificateInput{EnrolmentID: enr, PersonID: e.ema, Hours: 5, Number: "AI-2026-17", Issuer: "ASRO", IssuedOn: "2026-10-07"})
		want := training.Certificate{PersonID: e.ion, EnrolmentID: enr, ProgrammeID: prog, CompetenceID: comp, CompetenceLevel: 2, Hours: 38,
			Name: "Auditor intern pentru sisteme de management al calității", IssuedOn: "2026-10-07", ExpiresOn: "2029-10-07"}
		got := training.Certificate{PersonID: c.PersonID, EnrolmentID: c.EnrolmentID, ProgrammeID: c.ProgrammeID, CompetenceID: c.CompetenceID,
			CompetenceLevel: c.CompetenceLevel, Hours: c.Hours, Name: c.Name, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn}
		if got != want {
			t.Errorf("certificate from enrolment\n got %+v\nwant %+v", got, want)
		}
		if c.PersonName != "Ion Bălan" || c.ProgrammeCode != "P-AI" || c.CompetenceName != "Competența C-AUD" {
			t.Errorf("names read: %q %q %q", c.PersonName, c.ProgrammeCode, c.CompetenceName)
		}
		// The person holds the competence until the certificate expires.
		held, err := e.svc.HeldBy(ctx, e.qm, e.ion)
		if err != nil {
			t.Fatal(err)
		}
		if len(held) != 1 || held[0].Source != training.HeldCertificate || held[0].CertificateID != c.ID || held[0].Level != 2 ||
			held[0].AcquiredOn != "2026-10-07" || held[0].ExpiresOn != "2029-10-07" {
			t.Errorf("held %+v", held)
		}
		// The validity in months keeps to the end of a shorter month; an
		// expiry given wins over the programme's.
		short := certProgramme(t, e, "P-M1", "", 1, 0, 1, 8)
		leap := certProgramme(t, e, "P-M12", "Certificat anual", 12, 0, 1, 8)
		for _, tc := range []struct {
			prog            int64
			issued, expires string
			want, wantName  string
		}{
			{short, "2026-01-31", "", "2026-02-28", "Programul P-M1"},
			{leap, "2024-02-29", "", "2025-02-28", "Certificat anual"},
			{leap, "2026-05-15", "2026-12-31", "2026-12-31", "Certificat anual"},
			{0, "2026-05-15", "", "", "Fără programul"},
		} {
			in := training.CertificateInput{PersonID: e.ema, ProgrammeID: tc.prog, IssuedOn: tc.issued, ExpiresOn: tc.expires}
			if tc.prog == 0 {
				in.Name = tc.wantName
			}
			c := certNew(t, e, in)
			if c.ExpiresOn != tc.want || c.Name != tc.wantName {
				t.Errorf("programme %d issued %s: expires %q name %q, want %q %q", tc.prog, tc.issued, c.ExpiresOn, c.Name, tc.want, tc.wantName)
			}
		}
	})
}

func TestCertificateRenewalTasks(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		comp := compNew(t, e, "C-AUD", training.TopicAudit, 0)
		c1 := certNew(t, e, training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", CompetenceID: comp, IssuedOn: "2024-06-01", ExpiresOn: "2027-06-30"})
		// Due the renewal days (60) before the expiry, for the holder,
		// linked to the certificate.
		task := certOpenTask(t, e, c1.ID)
		if task.Due != "2027-05-01" || task.Person != e.ema || task.Link != c1.Href() || !strings.Contains(task.Title, "Auditor intern") || !strings.Contains(task.Title, "30.06.2027") {
			t.Errorf("renewal task %+v", task)
		}
		// Changing the expiry moves the due day: the old task is cancelled.
		c1, err := e.svc.UpdateCertificate(ctx, e.qm, c1.ID, training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", CompetenceID: comp,
			IssuedOn: "2024-06-01", ExpiresOn: "2027-03-31", Version: c1.Version}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if task := certOpenTask(t, e, c1.ID); task.Due != "2027-01-30" {
			t.Errorf("moved task due %s, want 2027-01-30", task.Due)
		}
		if all := certTasks(t, e, c1.ID); len(all) != 2 || all[0].State != "cancelled" {
			t.Errorf("tasks after the move: %+v", all)
		}
		// A change that leaves the expiry alone leaves the task alone.
		c1, err = e.svc.UpdateCertificate(ctx, e.qm, c1.ID, training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", CompetenceID: comp, Issuer: "ASRO",
			IssuedOn: "2024-06-01", ExpiresOn: "2027-03-31", Version: c1.Version}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if all := certTasks(t, e, c1.ID); len(all) != 2 {
			t.Errorf("a change of issuer made tasks: %+v", all)
		}
		// A stale version is refused.
		if _, err := e.svc.UpdateCertificate(ctx, e.qm, c1.ID, training.CertificateInput{PersonID: e.ema, Name: "X", IssuedOn: "2024-06-01", Version: c1.Version - 1}, nil); apperr.KindOf(err) != apperr.KindConflict {
			t.Errorf("stale update: %v", err)
		}
		// The renewal closes the renewed certificate's task as done and has
		// its own.
		c2 := certNew(t, e, training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", CompetenceID: comp, IssuedOn: "2026-11-20", ExpiresOn: "2029-11-20", RenewsID: c1.ID})
		if all := certTasks(t, e, c1.ID); all[len(all)-1].State != "done" || e.openTasks(t, e.ema, training.EntityCert) != 1 {
			t.Errorf("after renewal: %+v", all)
		}
		if task := certOpenTask(t, e, c2.ID); task.Due != "2029-09-21" {
			t.Errorf("renewal's task due %s", task.Due)
		}
		if got, _ := e.svc.Certificate(ctx, e.qm, c1.ID); got.RenewedBy != c2.ID {
			t.Errorf("c1 renewed by %d, want %d", got.RenewedBy, c2.ID)
		}
		// Revoking the renewal cancels its task, lifts its competence and
		// the first certificate needs renewing again.
		if err := e.svc.RevokeCertificate(ctx, e.qm, c2.ID, c2.Version); err != nil {
			t.Fatal(err)
		}
		if all := certTasks(t, e, c2.ID); len(all) != 1 || all[0].State != "cancelled" {
			t.Errorf("revoked certificate's tasks %+v", all)
		}
		if task := certOpenTask(t, e, c1.ID); task.Due != "2027-01-30" {
			t.Errorf("c1 task again due %s", task.Due)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_person_competences WHERE certificate_id = $1`, c2.ID); n != 0 {
			t.Errorf("the revoked certificate still gives %d competences", n)
		}
		if err := e.svc.RevokeCertificate(ctx, e.qm, c2.ID, c2.Version+1); apperr.KindOf(err) != apperr.KindConflict {
			t.Errorf("revoked twice: %v", err)
		}
		if _, err := e.svc.UpdateCertificate(ctx, e.qm, c2.ID, training.CertificateInput{PersonID: e.ema, Name: "X", IssuedOn: "2024-06-01", Version: c2.Version + 1}, nil); apperr.KindOf(err) != apperr.KindConflict {
			t.Errorf("a revoked certificate changed: %v", err)
		}
		c1, _ = e.svc.Certificate(ctx, e.qm, c1.ID)
		if err := e.svc.RevokeCertificate(ctx, e.qm, c1.ID, c1.Version); err != nil {
			t.Fatal(err)
		}
		if n := e.openTasks(t, e.ema, training.EntityCert); n != 0 {
			t.Errorf("%d open tasks after both were revoked", n)
		}
		// Expiring within the window: due today. No expiry: no task.
		soon := certNew(t, e, training.CertificateInput{PersonID: e.ion, Name: "Prim ajutor", IssuedOn: "2024-12-01", ExpiresOn: certDay(10)})
		if task := certOpenTask(t, e, soon.ID); task.Due != certDay(0) {
			t.Errorf("expiring certificate's task due %s, want today", task.Due)
		}
		never := certNew(t, e, training.CertificateInput{PersonID: e.ion, Name: "Curs de etică", IssuedOn: "2024-12-01"})
		if all := certTasks(t, e, never.ID); len(all) != 0 {
			t.Errorf("a certificate without expiry has tasks %+v", all)
		}
		// Every change is in the audit trail.
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'training_certificate' AND entity_id = $1`, c1.ID); n != 4 {
			t.Errorf("%d audit events for c1, want create, 2 updates, revoke", n)
		}
	})
}

// certBlobs lists the files a blob store holds (its temporary directory
// left out).
func certBlobs(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCertificateScan(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		dir := t.TempDir()
		files, err := blob.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		e.svc.Files = files
		in := training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", IssuedOn: "2026-03-02"}
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
		for _, tc := range []struct {
			name string
			up   training.Upload
			key  string // "" accepted
			typ  string
		}{
			{"text renamed .pdf", training.Upload{Name: "certificat.pdf", Type: "application/pdf", Body: strings.NewReader("Acesta nu este un PDF, doar text.")}, "trainingcomp.error.scan_type", ""},
			{"html", training.Upload{Name: "scan.pdf", Type: "application/pdf", Body: strings.NewReader("<html><script>alert(1)</script></html>")}, "trainingcomp.error.scan_type", ""},
			{"empty", training.Upload{Name: "scan.pdf", Body: strings.NewReader("")}, "trainingcomp.error.scan_empty", ""},
			{"oversize", training.Upload{Name: "mare.pdf", Body: io.MultiReader(bytes.NewReader(pdf), bytes.NewReader(make([]byte, training.MaxScanSize)))}, "trainingcomp.error.scan_too_large", ""},
			{"pdf", training.Upload{Name: `C:\scanuri\certificat.pdf`, Type: "text/plain", Body: bytes.NewReader(pdf)}, "", "application/pdf"},
			{"png", training.Upload{Name: "certificat.png", Type: "image/png", Body: bytes.NewReader(png)}, "", "image/png"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := len(certBlobs(t, dir))
				up := tc.up
				c, err := e.svc.CreateCertificate(ctx, e.qm, in, &up)
				if tc.key != "" {
					certWant(t, err, training.FieldCertScan, tc.key)
					if n := len(certBlobs(t, dir)); n != before {
						t.Errorf("a refused scan left %d files", n-before)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if c.ScanType != tc.typ || c.ScanSize == 0 || c.ScanSHA256 == "" || strings.ContainsAny(c.ScanName, `/\`) {
					t.Errorf("scan stored as %q %q %d", c.ScanName, c.ScanType, c.ScanSize)
				}
				r, got, err := e.svc.Scan(ctx, e.emp, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(r)
				r.Close()
				if int64(len(body)) != c.ScanSize || got.ScanType != tc.typ {
					t.Errorf("scan read back: %d bytes, %s", len(body), got.ScanType)
				}
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM training_certificates`); n != 2 {
			t.Errorf("%d certificates, want the two with good scans", n)
		}
		// A refused form stores nothing, even with a good scan.
		before := len(certBlobs(t, dir))
		bad := in
		bad.IssuedOn = certDay(3)
		_, err = e.svc.CreateCertificate(ctx, e.qm, bad, &training.Upload{Name: "alt.pdf", Body: bytes.NewReader(append(pdf, 'x'))})
		certWant(t, err, training.FieldCertIssued, "trainingcomp.error.issued_future")
		if n := len(certBlobs(t, dir)); n != before {
			t.Errorf("a refused form stored the scan")
		}
		// Another person may not open the scan; nor may B.
		list, _ := e.svc.Certificates(ctx, e.qm, training.CertificateFilter{})
		if _, _, err := e.svc.Scan(ctx, e.emp2, list.Items[0].ID); err == nil {
			t.Error("Ion opens Ema's scan")
		}
		if _, _, err := e.svc.Scan(ctx, e.other, list.Items[0].ID); err == nil {
			t.Error("B opens A's scan")
		}
		// With no store, uploads are refused with a clear message.
		e.svc.Files = nil
		_, err = e.svc.CreateCertificate(ctx, e.qm, in, &training.Upload{Name: "c.pdf", Body: bytes.NewReader(pdf)})
		certWant(t, err, training.FieldCertScan, "trainingcomp.error.uploads_off")
	})
}

func TestCertificateScopeAndIsolation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ana := certNew(t, e, training.CertificateInput{PersonID: e.ana, Name: "Manager al calității", Issuer: "TUV Austria", IssuedOn: "2025-05-01", ExpiresOn: certDay(200)})
		dan := certNew(t, e, training.CertificateInput{PersonID: e.dan, Name: "Management public", IssuedOn: "2023-05-01", ExpiresOn: certDay(-5)})
		ema := certNew(t, e, training.CertificateInput{PersonID: e.ema, Name: "Auditor intern", Number: "AI-77", IssuedOn: "2025-01-10", ExpiresOn: certDay(30)})
		ion := certNew(t, e, training.CertificateInput{PersonID: e.ion, Name: "Evaluator CAF", IssuedOn: "2025-02-10"})
		revoked := certNew(t, e, training.CertificateInput{PersonID: e.ion, Name: "Greșit", IssuedOn: "2025-02-10"})
		if err := e.svc.RevokeCertificate(ctx, e.qm, revoked.ID, revoked.Version); err != nil {
			t.Fatal(err)
		}
		ids := func(p training.CertificatePage) []int64 {
			var out []int64
			for _, c := range p.Items {
				out = append(out, c.ID)
			}
			return out
		}
		same := func(a, b []int64) bool {
			if len(a) != len(b) {
				return false
			}
			m := map[int64]bool{}
			for _, x := range a {
				m[x] = true
			}
			for _, x := range b {
				if !m[x] {
					return false
				}
			}
			return true
		}
		for _, tc := range []struct {
			name string
			who  string
			f    training.CertificateFilter
			want []int64
		}{
			{"records: all", "qm", training.CertificateFilter{}, []int64{ana.ID, dan.ID, ema.ID, ion.ID, revoked.ID}},
			{"head of unit: their units", "head", training.CertificateFilter{}, []int64{dan.ID, ema.ID, ion.ID, revoked.ID}},
			{"employee: their own", "emp", training.CertificateFilter{}, []int64{ema.ID}},
			{"viewer: their own (none)", "viewer", training.CertificateFilter{}, nil},
			{"B: none of A's", "other", training.CertificateFilter{}, nil},
			{"valid", "qm", training.CertificateFilter{Expiry: training.ExpiryValid}, []int64{ana.ID, ema.ID, ion.ID}},
			{"expiring", "qm", training.CertificateFilter{Expiry: training.ExpiringSoon}, []int64{ema.ID}},
			{"expired", "qm", training.CertificateFilter{Expiry: training.ExpiryExpired}, []int64{dan.ID}},
			{"revoked", "qm", training.CertificateFilter{Expiry: training.ExpiryRevoked}, []int64{revoked.ID}},
			{"unit with the units under it", "qm", training.CertificateFilter{UnitID: e.econ}, []int64{dan.ID, ema.ID, ion.ID, revoked.ID}},
			{"person", "qm", training.CertificateFilter{PersonID: e.ion}, []int64{ion.ID, revoked.ID}},
			{"query: person without diacritics", "qm", training.CertificateFilter{Query: "stirbu"}, []int64{ema.ID}},
			{"query: number", "qm", training.CertificateFilter{Query: "ai-77"}, []int64{ema.ID}},
			{"query: issuer", "qm", training.CertificateFilter{Query: "tuv"}, []int64{ana.ID}},
			{"query: name without diacritics", "qm", training.CertificateFilter{Query: "calitatii"}, []int64{ana.ID}},
			{"query: name in capitals", "qm", training.CertificateFilter{Query: "MANAGER AL CALITĂȚII"}, []int64{ana.ID}},
			{"another unit's filter for a head", "head", training.CertificateFilter{UnitID: e.quality}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := e.qm
				switch tc.who {
				case "head":
					a = e.head
				case "emp":
					a = e.emp
				case "viewer":
					a = e.viewer
				case "other":
					a = e.other
				}
				p, err := e.svc.Certificates(ctx, a, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !same(ids(p), tc.want) || p.Total != len(tc.want) {
					t.Errorf("got %v (total %d), want %v", ids(p), p.Total, tc.want)
				}
			})
		}
		// Sorting and paging.
		p, err := e.svc.Certificates(ctx, e.qm, training.CertificateFilter{Sort: "issued", PerPage: 2, Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 2 || p.Total != 5 || p.Items[0].ID != dan.ID {
			t.Errorf("first page by issue day: %v total %d", ids(p), p.Total)
		}
		p, _ = e.svc.Certificates(ctx, e.qm, training.CertificateFilter{Sort: "person", Desc: true, PerPage: 2, Page: 3})
		if len(p.Items) != 1 || p.Items[0].ID != ana.ID {
			t.Errorf("last page by person, descending: %v", ids(p))
		}
		// Reading one: the scope again; B sees nothing of A.
		for _, tc := range []struct {
			name string
			id   int64
			ok   bool
			a    int
		}{
			{"head reads his unit's", ema.ID, true, 1},
			{"head does not read the quality office's", ana.ID, false, 1},
			{"employee reads her own", ema.ID, true, 2},
			{"employee does not read a colleague's", ion.ID, false, 2},
			{"B does not read A's", ema.ID, false, 3},
		} {
			actor := e.qm
			switch tc.a {
			case 1:
				actor = e.head
			case 2:
				actor = e.emp
			case 3:
				actor = e.other
			}
			_, err := e.svc.Certificate(ctx, actor, tc.id)
			if tc.ok && err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			if !tc.ok {
				certNotFound(t, err)
			}
		}
		// B cannot change, revoke or record for A.
		_, err = e.svc.UpdateCertificate(ctx, e.other, ema.ID, training.CertificateInput{PersonID: e.ema, Name: "X", IssuedOn: "2025-01-10", Version: ema.Version}, nil)
		certNotFound(t, err)
		certNotFound(t, e.svc.RevokeCertificate(ctx, e.other, ema.ID, ema.Version))
		_, err = e.svc.CreateCertificate(ctx, e.other, training.CertificateInput{PersonID: e.ema, Name: "X", IssuedOn: "2025-01-10"}, nil)
		certWant(t, err, training.FieldCertPerson, "error.choice")
		if got, _ := e.svc.Certificate(ctx, e.qm, ema.ID); got.Name != "Auditor intern" || got.Revoked {
			t.Errorf("A's certificate changed: %+v", got)
		}
		// The audit register's source: not revoked, by person, linked.
		byPerson, err := e.svc.PersonCertificates(ctx, e.qm.Tenant, []int64{e.ion, e.ema, e.bob})
		if err != nil {
			t.Fatal(err)
		}
		if len(byPerson[e.ion]) != 1 || byPerson[e.ion][0].Name != "Evaluator CAF" || len(byPerson[e.ema]) != 1 || byPerson[e.ema][0].Href != ema.Href() || len(byPerson[e.bob]) != 0 {
			t.Errorf("person certificates %+v", byPerson)
		}
		if other, _ := e.svc.PersonCertificates(ctx, e.other.Tenant, []int64{e.ion}); len(other[e.ion]) != 0 {
			t.Error("B's tenant reads A's certificates")
		}
	})
}
