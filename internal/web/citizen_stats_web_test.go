package web

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

var (
	citizenTag    = regexp.MustCompile(`<[^>]*>`)
	citizenSpaces = regexp.MustCompile(`\s+`)
)

// citizenRowText is the text of the table row holding marker, tags
// dropped and spaces collapsed, so a test reads it as a person does.
func citizenRowText(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no row holds %q", marker)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		t.Fatalf("%q is not in a table row", marker)
	}
	return strings.TrimSpace(citizenSpaces.ReplaceAllString(html.UnescapeString(citizenTag.ReplaceAllString(body[start:i+end], " ")), " "))
}

// citizenStatsData registers a small registry for institution A through
// the domain, on the days it happened: a baseline half year (2025) and a
// current year (2026) for one service, a petition and a request for
// information, and two ratings. It leaves the clock at 23 November 2026.
func citizenStatsData(t *testing.T, f *fixture) citizen.PublicService {
	t.Helper()
	ctx := t.Context()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.citizen
	p, err := svc.CreatePublicService(ctx, sys, citizen.PublicServiceInput{Code: "URB-CU", Name: "Certificat de urbanism", UnitID: f.A.Unit.ID, LegalDays: 30, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(9 * time.Hour)
	}
	handled := func(kind, channel, topic string, service int64, on, answeredOn, answer string) {
		t.Helper()
		f.Clock.Set(day(on))
		rc, err := svc.Register(ctx, sys, citizen.CaseInput{Kind: kind, Channel: channel, Petitioner: citizen.Petitioner{Name: "Ion Popescu", Email: "ion@example.ro"},
			Consent: true, Subject: "Cerere de la " + on, Topic: topic, ServiceID: service, UnitID: f.A.Unit.ID})
		if err != nil {
			t.Fatalf("register %s: %v", on, err)
		}
		f.Clock.Set(day(answeredOn))
		if _, err := svc.Answer(ctx, sys, rc.Case.ID, citizen.AnswerInput{Kind: answer, Answer: "Răspuns", Version: rc.Case.Version}); err != nil {
			t.Fatalf("answer %s: %v", on, err)
		}
	}
	// Baseline: 10 days on time, 46 days late.
	handled(citizen.KindService, citizen.ChannelCounter, "other", p.ID, "2025-03-03", "2025-03-13", citizen.AnswerFavourable)
	handled(citizen.KindService, citizen.ChannelCounter, "other", p.ID, "2025-03-05", "2025-04-20", citizen.AnswerFavourable)
	handled(citizen.KindPetition, citizen.ChannelPost, "urbanism", 0, "2025-02-10", "2025-03-05", citizen.AnswerFavourable)
	handled(citizen.KindInfo, citizen.ChannelEmail, "contracts", 0, "2025-05-05", "2025-05-12", citizen.AnswerProvided)
	// Current: 5 days.
	handled(citizen.KindService, citizen.ChannelOnline, "other", p.ID, "2026-03-02", "2026-03-07", citizen.AnswerFavourable)
	f.Clock.Set(day("2026-06-10"))
	for _, in := range []citizen.FeedbackInput{
		{ServiceID: p.ID, Channel: citizen.FeedbackCounter, Rating: 5, Comment: "<script>alert(1)</script> Mulțumesc"},
		{ServiceID: p.ID, Channel: citizen.FeedbackCounter, Rating: 3},
	} {
		if err := svc.Rate(ctx, f.A.Inst.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	f.Clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	return p
}

// TestCitizenIndicatorsAndImpact checks the figures of the indicators and
// of the impact against a registry small enough to count by hand, in both
// languages and in every download.
func TestCitizenIndicatorsAndImpact(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, "quality_manager")
		mgr := f.login(t, f.A.Admin.Username)
		viewer := f.login(t, "alfa.viewer")
		citizenStatsData(t, f)

		res, body := mgr.get("/citizen/indicators?year=2025")
		wantStatus(t, res, body, http.StatusOK)
		row := citizenRowText(t, body, ">URB-CU</a>")
		if !strings.HasPrefix(row, "URB-CU Certificat de urbanism 2 2 28,0 ") || !strings.Contains(row, "50,0 %") {
			t.Errorf("the service's row in 2025: %q", row)
		}
		if row := citizenRowText(t, body, ">Petiții</th>"); !strings.HasPrefix(row, "Petiții 1 1 23,0 ") || !strings.Contains(row, "100,0 %") {
			t.Errorf("the petitions' row in 2025: %q", row)
		}
		wantIn(t, "the indicators", body, "Cum se calculează", `href="/scorecard/kpis/new"`, "01.01.2025")

		// The default: the last 12 complete months, December to October.
		res, body = viewer.get("/citizen/indicators")
		wantStatus(t, res, body, http.StatusOK)
		row = citizenRowText(t, body, ">URB-CU</a>")
		if !strings.HasPrefix(row, "URB-CU Certificat de urbanism 1 1 5.0 ") || !strings.Contains(row, "100.0 %") || !strings.HasSuffix(row, "2 4.00") {
			t.Errorf("the service's row over the last 12 months: %q", row)
		}
		if strings.Contains(body, `href="/scorecard/kpis/new"`) {
			t.Error("the viewer is offered to add a KPI")
		}
		res, body = viewer.get("/citizen/indicators?from=2026-05-01&to=2026-01-01")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "a reversed range", body, "The start date is after the end date")

		res, body = viewer.get("/citizen/indicators/export.xlsx?year=2025")
		rows := citizenXLSX(t, res, body)
		if r := citizenRowWith(rows, "URB-CU"); len(r) < 9 || r[4] != "2" || r[5] != "2" || r[6] != "28" || r[9] != "50" {
			t.Errorf("the exported service row: %q", r)
		}
		if r := citizenRowWith(rows, "Total"); len(r) < 5 || r[4] != "4" {
			t.Errorf("the exported total: %q", r)
		}

		// No baseline yet: the impact says so and points to the settings.
		res, body = mgr.get("/citizen/impact?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the impact without a baseline", body, "Nu este stabilită nicio perioadă de referință", `href="/citizen/settings"`)
		st, err := f.Srv.citizen.SettingsOf(t.Context(), f.A.Inst.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.BaselineFrom, st.BaselineTo = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
		if _, err := f.Srv.citizen.SaveSettings(t.Context(), auth.SystemActor(f.A.Inst.ID, "test"), st); err != nil {
			t.Fatal(err)
		}
		res, body = mgr.get("/citizen/impact?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, "Nu este stabilită") {
			t.Error("the impact still says there is no baseline")
		}
		sec := body[strings.Index(body, ">URB-CU</a>"):]
		sec = sec[:strings.Index(sec, "</section>")]
		for marker, want := range map[string]string{
			"Timp mediu (zile)": "Timp mediu (zile) (mai mic este mai bine) 28,0 5,0 -23,0 -82,1 % ▲ Îmbunătățire",
			"În termen":         "În termen (mai mare este mai bine) 50,0 % 100,0 % +50,0 p.p. +100,0 % ▲ Îmbunătățire",
			"Înregistrate":      "Înregistrate (volum) 2 1 -1 -50,0 % ↕ Schimbare de volum",
			"Satisfacție (1–5)": "Satisfacție (1–5) (mai mare este mai bine) — 4,00 — — — Nu se poate compara",
		} {
			if got := citizenRowText(t, sec, ">"+marker+" <"); got != want {
				t.Errorf("impact of %s:\n got %q\nwant %q", marker, got, want)
			}
		}
		wantIn(t, "the impact", sec, "01.01.2025 – 30.06.2025")

		res, body = mgr.get("/citizen/impact/report.pdf?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") {
			t.Fatal("the impact report is not a PDF")
		}
		for _, s := range []string{"Impactul serviciilor", "Primăria Alfa", "Îmbunătățire", "Timp mediu", "Referință"} {
			if !citizenPDFHas(t, []byte(body), s) {
				t.Errorf("the impact PDF lacks %q", s)
			}
		}
		res, body = viewer.get("/citizen/impact/report.xlsx?year=2026")
		rows = citizenXLSX(t, res, body)
		found := false
		for _, r := range rows {
			if len(r) >= 12 && r[0] == "URB-CU" && r[5] == "Average time (days)" {
				found = true
				if r[7] != "28" || r[8] != "5" || r[9] != "-23" || r[11] != "Improvement" {
					t.Errorf("the exported impact of the average time: %q", r)
				}
			}
		}
		if !found {
			t.Errorf("the impact workbook has no average time of URB-CU: %q", rows)
		}
	})
}

// TestCitizenLegalReports draws both legal reports from the registry and
// keeps them from a viewer.
func TestCitizenLegalReports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, "quality_manager")
		mgr := f.login(t, f.A.Admin.Username)
		viewer := f.login(t, "alfa.viewer")
		citizenStatsData(t, f)

		for _, p := range []string{"/citizen/reports", "/citizen/reports/petitions.pdf", "/citizen/reports/petitions.xlsx", "/citizen/reports/information.pdf", "/citizen/reports/information.xlsx"} {
			res, body := viewer.get(p)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		// The default: the last half year and year ended.
		res, body := mgr.get("/citizen/reports")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the reports by default", body, "semestrul I 2026", "anul 2025", `href="/citizen/reports/petitions.pdf?year=2026&amp;half=1"`,
			`href="/citizen/reports/information.pdf?year=2025"`)
		res, body = mgr.get("/citizen/reports?year=2025&half=1&info_year=2025")
		wantStatus(t, res, body, http.StatusOK)
		pet := body[:strings.Index(body, `id="h-rep-info"`)]
		info := body[strings.Index(body, `id="h-rep-info"`):]
		if got := citizenRowText(t, pet, ">Total înregistrate<"); got != "Total înregistrate 1" {
			t.Errorf("petitions registered: %q", got)
		}
		if got := citizenRowText(t, pet, ">Urbanism"); !strings.HasSuffix(got, " 1") {
			t.Errorf("petitions on urbanism: %q", got)
		}
		if got := citizenRowText(t, info, ">pe suport electronic (e-mail, online)<"); !strings.HasSuffix(got, " 1") {
			t.Errorf("requests by e-mail: %q", got)
		}
		if got := citizenRowText(t, info, ">Informații comunicate<"); got != "Informații comunicate 1" {
			t.Errorf("requests answered: %q", got)
		}
		res, body = mgr.get("/citizen/reports?year=2031")
		wantStatus(t, res, body, http.StatusUnprocessableEntity)

		res, body = mgr.get("/citizen/reports/petitions.pdf?year=2025&half=1")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") {
			t.Fatal("the petitions report is not a PDF")
		}
		for _, s := range []string{"Primăria Alfa", "semestrul I 2025", "Petiții pe domenii", "Ordonanța Guvernului nr. 27/2002", "Semnături"} {
			if !citizenPDFHas(t, []byte(body), s) {
				t.Errorf("the petitions PDF lacks %q", s)
			}
		}
		res, body = mgr.get("/citizen/reports/petitions.xlsx?year=2025&half=1")
		rows := citizenXLSX(t, res, body)
		if r := citizenRowWith(rows, "Total înregistrate"); len(r) != 3 || r[2] != "1" {
			t.Errorf("the petitions workbook: %q", r)
		}
		res, body = mgr.get("/citizen/reports/information.pdf?year=2025")
		wantStatus(t, res, body, http.StatusOK)
		for _, s := range []string{"Solicitări pe domenii de interes", "Reclamații administrative", "Legea nr. 544/2001"} {
			if !citizenPDFHas(t, []byte(body), s) {
				t.Errorf("the information PDF lacks %q", s)
			}
		}
		res, body = mgr.get("/citizen/reports/information.xlsx?year=2025")
		rows = citizenXLSX(t, res, body)
		if r := citizenRowWith(rows, "pe suport electronic (e-mail, online)"); len(r) != 3 || r[2] != "1" {
			t.Errorf("the information workbook: %q", r)
		}
		res, body = mgr.get("/citizen/reports/information.xlsx?year=1999")
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
	})
}

// TestCitizenFeedbackList filters the ratings and prints a citizen's
// comment as text, never as markup.
func TestCitizenFeedbackList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		viewer := f.login(t, "alfa.viewer")
		p := citizenStatsData(t, f)

		res, body := viewer.get("/citizen/feedback")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the ratings", body, "2 ratings, mean 4.00 out of 5", "&lt;script&gt;alert(1)&lt;/script&gt; Mulțumesc", "URB-CU Certificat de urbanism",
			"At the counter (QR code)", "10 Jun 2026")
		if strings.Contains(body, "<script>alert(1)") {
			t.Fatal("a citizen's comment is printed as markup")
		}
		for q, want := range map[string]string{
			"?rating=5":               "One rating, mean 5.00 out of 5",
			"?comment=1":              "One rating, mean 5.00 out of 5",
			"?rating=4":               "No rating matches the filters.",
			"?channel=answer":         "No rating matches the filters.",
			"?from=2026-07-01":        "No rating matches the filters.",
			"?to=2026-06-10&rating=3": "One rating, mean 3.00 out of 5",
			"?service=" + strconv.FormatInt(p.ID, 10): "2 ratings, mean 4.00 out of 5",
		} {
			res, body = viewer.get("/citizen/feedback" + q)
			wantStatus(t, res, body, http.StatusOK)
			wantIn(t, "ratings "+q, body, want)
		}
		res, body = viewer.get("/citizen/feedback?sort=rating")
		if i, j := strings.Index(body, "3 out of 5"), strings.Index(body, "5 out of 5"); i < 0 || j < 0 || i > j {
			t.Error("sorted by rating, the 3 should come before the 5")
		}
		res, body = viewer.get("/citizen/feedback/export.xlsx?comment=1")
		rows := citizenXLSX(t, res, body)
		if len(rows) != 2 || rows[1][3] != "5" || rows[1][4] != "<script>alert(1)</script> Mulțumesc" {
			t.Errorf("the ratings workbook: %q", rows)
		}
	})
}
