package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// publicServiceCode is the code of institution A's service in the public
// tests. It is the KPI code the KPI module's isolation records give the
// shared "{code}" path parameter, so /f/{cui}/{code} finds a service in
// TestEveryPageRenders too.
const publicServiceCode = "K01"

// publicSeed gives tn a service of the catalogue and returns it.
func publicSeed(t *testing.T, f *fixture, tn tenant, code string) citizen.PublicService {
	t.Helper()
	svc, err := f.Srv.citizen.CreatePublicService(context.Background(), auth.SystemActor(tn.Inst.ID, "test"), citizen.PublicServiceInput{
		Code: code, Name: tn.Marker + " Certificat de urbanism", Description: "Se eliberează în 30 de zile.", UnitID: tn.SubUnit.ID, LegalDays: 30,
		LegalBasis: "Legea nr. 50/1991", Documents: "Cerere tip\nPlan de încadrare în zonă\nDovada plății taxei", Fee: "25 lei", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// publicFiling is a valid filing form.
func publicFiling(kind string) url.Values {
	return url.Values{
		"public_kind": {kind}, "public_name": {"Ionescu Ștefania"}, "public_email": {"stefania@example.ro"}, "public_phone": {"0722 123 456"},
		"public_address": {"Str. Țesătorilor 5, Târgu Verde"}, "public_subject": {"Iluminat public pe strada Țesătorilor"},
		"public_body": {"Vă rog să remediați iluminatul public."}, "public_consent": {"1"},
	}
}

var (
	receiptNumber = regexp.MustCompile(`<strong class="public-big">([0-9]+/[0-9]{4})</strong>`)
	receiptCode   = regexp.MustCompile(`<strong class="public-big public-code">([A-Z0-9-]+)</strong>`)
)

// publicFile files a case through the public page and returns its number
// and access code from the receipt.
func publicFile(t *testing.T, c *client, cui string, form url.Values) (number, code string) {
	t.Helper()
	res, body := c.post("/public/"+cui+"/file", form)
	wantStatus(t, res, body, http.StatusOK)
	n, k := receiptNumber.FindStringSubmatch(body), receiptCode.FindStringSubmatch(body)
	if n == nil || k == nil {
		t.Fatalf("the receipt shows no number or code:\n%s", body)
	}
	return n[1], k[1]
}

func lookup(number, code string) url.Values {
	return url.Values{"public_number": {number}, "public_code": {code}}
}

func TestPublicFileStatusAndRate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		svc := publicSeed(t, f, f.A, publicServiceCode)
		c := f.client(t)
		cui := f.A.Inst.CUI

		res, body := c.get("/public")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Primăria Alfa", "Primăria Beta", "/public/" + cui, `lang="ro"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the directory lacks %q", want)
			}
		}
		res, body = c.get("/public/" + cui)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Primăria Alfa", svc.Name, "30 de zile", "/public/" + cui + "/file?kind=petition", "/f/" + cui + "/" + svc.Code, `action="/language"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the institution's page lacks %q", want)
			}
		}
		// A clerk who opens the public page sees what a citizen sees.
		_, body = f.login(t, f.A.Username).get("/public/" + cui)
		for _, hidden := range []string{"/logout", f.A.Admin.DisplayName, `href="/documents"`} {
			if strings.Contains(body, hidden) {
				t.Errorf("the public page shows %q to a signed-in clerk", hidden)
			}
		}
		res, body = c.get("/public/" + cui + "/services/" + svc.Code)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Plan de încadrare în zonă", "25 lei", "Legea nr. 50/1991", "/public/" + cui + "/file?service=" + svc.Code} {
			if !strings.Contains(body, want) {
				t.Errorf("the service page lacks %q", want)
			}
		}
		res, body = c.get("/public/" + cui + "/file?service=" + svc.Code)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `value="service" checked`) || !strings.Contains(body, `<option value="`+svc.Code+`" selected>`) || !strings.Contains(body, citizen.ConsentVersion) {
			t.Error("the file form does not preselect the service or lacks the consent text's version")
		}

		// Consent is required, and nothing typed is lost.
		form := publicFiling(citizen.KindPetition)
		form.Del("public_consent")
		res, body = c.post("/public/"+cui+"/file", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-public_consent"`) || !strings.Contains(body, "Iluminat public pe strada Țesătorilor") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("the form did not explain the missing consent or lost what was typed:\n%s", body)
		}

		number, code := publicFile(t, c, cui, publicFiling(citizen.KindPetition))
		var consentAt any
		var channel, consentVersion string
		if err := d.R.QueryRow(`SELECT channel, consent_at, consent_version FROM citizen_cases WHERE tenant_id = $1 AND number = $2`, f.A.Inst.ID, number).Scan(&channel, &consentAt, &consentVersion); err != nil {
			t.Fatal(err)
		}
		if channel != citizen.ChannelOnline || consentAt == nil || consentVersion != citizen.ConsentVersion {
			t.Errorf("the case was registered with channel %q, consent %v %q", channel, consentAt, consentVersion)
		}

		res, body = c.get("/public/" + cui + "/status?number=" + url.QueryEscape(number))
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `value="`+number+`"`) {
			t.Error("the status form does not take the number from the receipt's link")
		}
		// The code is accepted as typed: small letters, no dashes.
		res, body = c.post("/public/"+cui+"/status", lookup(" "+number, strings.ToLower(strings.ReplaceAll(code, "-", ""))))
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Înregistrată", "Iluminat public pe strada Țesătorilor", "23 decembrie 2026"} {
			if !strings.Contains(body, want) {
				t.Errorf("the status page lacks %q", want)
			}
		}
		if strings.Contains(body, "public_rating") {
			t.Error("an unanswered case offers a rating")
		}

		// The clerk answers; the citizen sees the answer and rates it once.
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		var id int64
		var version int
		if err := d.R.QueryRow(`SELECT id, version FROM citizen_cases WHERE tenant_id = $1 AND number = $2`, f.A.Inst.ID, number).Scan(&id, &version); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Srv.citizen.Answer(ctx, sys, id, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: "Iluminatul a fost reparat.\nVă mulțumim.", Version: version}); err != nil {
			t.Fatal(err)
		}
		res, body = c.post("/public/"+cui+"/status", lookup(number, code))
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Răspuns transmis", "Soluționată favorabil", "<p>Iluminatul a fost reparat.</p>", "Foarte mulțumit", `name="public_rating"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the answered status page lacks %q", want)
			}
		}
		// No rating chosen: the form explains, the comment is kept.
		res, body = c.post("/public/"+cui+"/status/rate", url.Values{"public_number": {number}, "public_code": {code}, "public_comment": {"Rapid și politicos"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-public_rating"`) || !strings.Contains(body, "Rapid și politicos") {
			t.Fatalf("a rating without a score was not explained:\n%s", body)
		}
		res, body = c.post("/public/"+cui+"/status/rate", url.Values{"public_number": {number}, "public_code": {code}, "public_rating": {"5"}, "public_comment": {"Rapid și politicos"}})
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Mulțumim pentru evaluare") {
			t.Fatal("no thanks after rating")
		}
		var rating int
		var comment, fbChannel string
		if err := d.R.QueryRow(`SELECT rating, comment, channel FROM citizen_feedback WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&rating, &comment, &fbChannel); err != nil {
			t.Fatal(err)
		}
		if rating != 5 || comment != "Rapid și politicos" || fbChannel != citizen.FeedbackAnswer {
			t.Errorf("stored rating %d %q %q", rating, comment, fbChannel)
		}
		res, body = c.post("/public/"+cui+"/status/rate", url.Values{"public_number": {number}, "public_code": {code}, "public_rating": {"1"}})
		wantStatus(t, res, body, http.StatusConflict)
		_, body = c.post("/public/"+cui+"/status", lookup(number, code))
		if strings.Contains(body, `name="public_rating"`) {
			t.Error("a rated case offers a rating again")
		}

		// The counter's short link: anonymous, channel counter; from the
		// catalogue: channel online.
		res, body = c.get("/f/" + cui + "/" + svc.Code)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "<legend>") || !strings.Contains(body, "Foarte nemulțumit") || !strings.Contains(body, svc.Name) {
			t.Error("the short link's form lacks the rating scale or the service")
		}
		res, body = c.post("/f/"+cui+"/"+svc.Code, url.Values{"public_rating": {"4"}, "public_channel": {"counter"}})
		wantStatus(t, res, body, http.StatusOK)
		res, body = c.post("/f/"+cui+"/"+svc.Code, url.Values{"public_rating": {"2"}, "public_channel": {"online"}, "public_comment": {"Coadă mare"}})
		wantStatus(t, res, body, http.StatusOK)
		var counter, online int
		if err := d.R.QueryRow(`SELECT COUNT(*) FILTER (WHERE channel = 'counter'), COUNT(*) FILTER (WHERE channel = 'online') FROM citizen_feedback WHERE tenant_id = $1 AND service_id = $2`, f.A.Inst.ID, svc.ID).Scan(&counter, &online); err != nil {
			t.Fatal(err)
		}
		if counter != 1 || online != 1 {
			t.Errorf("short-link ratings: %d at the counter, %d online", counter, online)
		}
		res, _ = c.get("/f/" + cui + "/NU-EXISTA")
		wantStatus(t, res, "", http.StatusNotFound)

		// English, through the public language switch.
		res, _ = c.post("/language", url.Values{"lang": {"en"}, "back": {"/public/" + cui}})
		wantStatus(t, res, "", http.StatusSeeOther)
		_, body = c.get("/public/" + cui)
		if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Send a petition") || !strings.Contains(body, "30 days") {
			t.Error("the public page is not in English after the switch")
		}
		_, body = c.post("/public/"+cui+"/status", lookup(number, code))
		if !strings.Contains(body, "Answer") || !strings.Contains(body, "Request no. "+number) {
			t.Error("the status page is not in English")
		}
	})
}

func TestPublicAccessCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.client(t)
		cui := f.A.Inst.CUI
		x, xCode := publicFile(t, c, cui, publicFiling(citizen.KindPetition))
		form := publicFiling(citizen.KindInfo)
		form.Set("public_subject", "Bugetul pe anul 2026")
		y, yCode := publicFile(t, c, cui, form)
		if x == y || xCode == yCode {
			t.Fatalf("two cases share a number or code: %s %s / %s %s", x, xCode, y, yCode)
		}

		// The staff's side, to check what the status page never shows.
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		var id int64
		var version int
		if err := d.R.QueryRow(`SELECT id, version FROM citizen_cases WHERE tenant_id = $1 AND number = $2`, f.A.Inst.ID, x).Scan(&id, &version); err != nil {
			t.Fatal(err)
		}
		cs, err := f.Srv.citizen.Assign(ctx, sys, id, citizen.AssignInput{UnitID: f.A.SubUnit.ID, AssigneeID: f.A.Person.ID, Version: version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Srv.citizen.Answer(ctx, sys, id, citizen.AnswerInput{Kind: citizen.AnswerPartial, Answer: "Lucrarea este programată.", Version: cs.Version}); err != nil {
			t.Fatal(err)
		}

		// (d) X's own status shows neither staff nor the petitioner's contact details.
		res, body := c.post("/public/"+cui+"/status", lookup(x, xCode))
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Lucrarea este programată.") {
			t.Fatal("X's status lacks its answer")
		}
		for _, secret := range []string{f.A.Person.FullName, "Ștefănescu", "stefania@example.ro", "0722 123 456", "Țesătorilor 5", "Ionescu Ștefania", f.A.Admin.DisplayName, "Bugetul pe anul 2026"} {
			if strings.Contains(body, secret) {
				t.Errorf("the status page shows %q", secret)
			}
		}

		// (a) X's code with Y's number, and Y's code with X's number, are refused.
		for _, pair := range [][2]string{{y, xCode}, {x, yCode}, {x, ""}, {"", xCode}, {x + "0", xCode}} {
			res, body := c.post("/public/"+cui+"/status", lookup(pair[0], pair[1]))
			if res.StatusCode == http.StatusOK || strings.Contains(body, "Bugetul pe anul 2026") || strings.Contains(body, "Lucrarea este programată.") {
				t.Errorf("number %q with code %q: status %d, the page shows a case", pair[0], pair[1], res.StatusCode)
			}
		}
		// X's rating with Y's number is refused too, and rates nothing.
		res, _ = c.post("/public/"+cui+"/status/rate", url.Values{"public_number": {y}, "public_code": {xCode}, "public_rating": {"5"}})
		wantStatus(t, res, "", http.StatusNotFound)

		// (b) X's number and code under another institution's CUI.
		other := f.client(t)
		res, body = other.post("/public/"+f.B.Inst.CUI+"/status", lookup(x, xCode))
		wantStatus(t, res, body, http.StatusNotFound)
		if strings.Contains(body, "Lucrarea este programată.") || strings.Contains(body, "Iluminat") {
			t.Error("B's public page shows A's case")
		}
		res, _ = other.post("/public/"+f.B.Inst.CUI+"/status/rate", url.Values{"public_number": {x}, "public_code": {xCode}, "public_rating": {"5"}})
		wantStatus(t, res, "", http.StatusNotFound)
		var rated int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM citizen_feedback`).Scan(&rated); err != nil || rated != 0 {
			t.Errorf("%d ratings stored by refused requests (err %v)", rated, err)
		}

		// (c) Failed lookups from one address: ten are answered "not found",
		// then the address is refused, even with the right code. (Every
		// client of the test shares one address: the limit starts afresh
		// here, after the failures above.)
		fresh := f.client(t)
		f.Srv.publicGuard().statusFail = newLimiter(f.Clock, 10, 15*time.Minute)
		for i := range 10 {
			res, _ := fresh.post("/public/"+cui+"/status", lookup(x, "ABCD-EFGH-JK"+string(rune('A'+i))+"M"))
			wantStatus(t, res, "", http.StatusNotFound)
		}
		res, body = fresh.post("/public/"+cui+"/status", lookup(x, "ABCD-EFGH-JKMN"))
		wantStatus(t, res, body, http.StatusTooManyRequests)
		if !strings.Contains(body, "Prea multe încercări") {
			t.Errorf("no translated throttling message:\n%s", body)
		}
		res, _ = fresh.post("/public/"+cui+"/status", lookup(x, xCode))
		wantStatus(t, res, "", http.StatusTooManyRequests)
		// Successful lookups spend nothing: after the window, a citizen
		// with their code looks as often as they like.
		f.Clock.Advance(16 * time.Minute)
		for range 15 {
			res, _ := fresh.post("/public/"+cui+"/status", lookup(x, xCode))
			wantStatus(t, res, "", http.StatusOK)
		}
	})
}

// TestPublicEscapesInput sends markup in every field a citizen fills and
// checks that no page renders it as markup.
func TestPublicEscapesInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		svc := publicSeed(t, f, f.A, publicServiceCode)
		c := f.client(t)
		cui := f.A.Inst.CUI
		payloads := []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`}
		raw := []string{"<script>alert", "<img src=x", `"><img`}
		clean := func(where, body string) {
			t.Helper()
			for _, r := range raw {
				if strings.Contains(body, r) {
					t.Errorf("%s renders %q unescaped", where, r)
				}
			}
		}
		for _, p := range payloads {
			all := url.Values{"public_kind": {p}, "public_name": {p}, "public_email": {p}, "public_phone": {p}, "public_address": {p},
				"public_subject": {p}, "public_body": {p}, "public_service": {p}, "public_consent": {p}, "public_legal_person": {p}}
			res, body := c.post("/public/"+cui+"/file", all)
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			clean("the file form sent back", body)
			if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(body, "&#34;&gt;&lt;img") {
				t.Error("the file form did not keep what was typed (escaped)")
			}
			// Valid otherwise: the receipt and the status page show the subject.
			form := publicFiling(citizen.KindService)
			form.Set("public_service", svc.Code)
			for _, k := range []string{"public_name", "public_address", "public_subject", "public_body"} {
				form.Set(k, p)
			}
			res, body = c.post("/public/"+cui+"/file", form)
			wantStatus(t, res, body, http.StatusOK)
			clean("the receipt", body)
			number, code := receiptNumber.FindStringSubmatch(body)[1], receiptCode.FindStringSubmatch(body)[1]

			// The answer is the staff's text, shown to the citizen.
			var id int64
			var version int
			if err := d.R.QueryRow(`SELECT id, version FROM citizen_cases WHERE tenant_id = $1 AND number = $2`, f.A.Inst.ID, number).Scan(&id, &version); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Srv.citizen.Answer(context.Background(), auth.SystemActor(f.A.Inst.ID, "test"), id, citizen.AnswerInput{Kind: citizen.AnswerFavourable, Answer: p, Version: version}); err != nil {
				t.Fatal(err)
			}
			res, body = c.post("/public/"+cui+"/status", lookup(number, code))
			wantStatus(t, res, body, http.StatusOK)
			clean("the status page", body)
			res, body = c.post("/public/"+cui+"/status", lookup(p, p))
			clean("the status form sent back", body)
			// The rating comment, sent back for a missing score, then stored.
			res, body = c.post("/public/"+cui+"/status/rate", url.Values{"public_number": {number}, "public_code": {code}, "public_comment": {p}, "public_rating": {p}})
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			clean("the rating sent back", body)
			res, body = c.post("/f/"+cui+"/"+svc.Code, url.Values{"public_comment": {p}, "public_rating": {p}, "public_channel": {p}})
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			clean("the short link's form sent back", body)
			res, body = c.post("/f/"+cui+"/"+svc.Code, url.Values{"public_comment": {p}, "public_rating": {"3"}})
			wantStatus(t, res, body, http.StatusOK)
			clean("the thanks page", body)
		}
	})
}

func TestPublicLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		svc := publicSeed(t, f, f.A, publicServiceCode)
		c := f.client(t)
		cui := f.A.Inst.CUI
		count := func() int {
			t.Helper()
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A bot that fills the hidden field is refused and nothing is saved.
		bot := publicFiling(citizen.KindPetition)
		bot.Set("public_website", "http://spam.example")
		res, body := c.post("/public/"+cui+"/file", bot)
		wantStatus(t, res, body, http.StatusConflict)
		if count() != 0 {
			t.Fatal("the honeypot's filing was saved")
		}
		// A body over 64 KiB is refused with a translated message.
		big := publicFiling(citizen.KindPetition)
		big.Set("public_body", strings.Repeat("ă", 40000))
		res, body = c.post("/public/"+cui+"/file", big)
		wantStatus(t, res, body, http.StatusRequestEntityTooLarge)
		if !strings.Contains(body, "prea lung") || count() != 0 {
			t.Fatal("an oversized body was not refused clearly, or was saved")
		}
		// A text over the field limit is sent back for correction.
		long := publicFiling(citizen.KindPetition)
		long.Set("public_subject", strings.Repeat("x", publicMaxSubject+1))
		res, body = c.post("/public/"+cui+"/file", long)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-public_subject"`) {
			t.Error("an over-long subject was not explained")
		}

		// Filing: 5 per 10 minutes per address (forms sent back for
		// correction do not count; the honeypot's did, so 4 more fit).
		for range 4 {
			publicFile(t, c, cui, publicFiling(citizen.KindPetition))
		}
		res, body = c.post("/public/"+cui+"/file", publicFiling(citizen.KindPetition))
		wantStatus(t, res, body, http.StatusTooManyRequests)
		if !strings.Contains(body, "Prea multe încercări") || res.Header.Get("Retry-After") == "" {
			t.Errorf("the filing limit is not explained:\n%s", body)
		}
		if count() != 4 {
			t.Fatalf("%d cases, want 4", count())
		}
		// One token returns every two minutes.
		f.Clock.Advance(2*time.Minute + time.Second)
		publicFile(t, c, cui, publicFiling(citizen.KindPetition))
		res, _ = c.post("/public/"+cui+"/file", publicFiling(citizen.KindPetition))
		wantStatus(t, res, "", http.StatusTooManyRequests)
		// And 20 per day: the short limit refills, the daily one barely
		// (one per 72 minutes): 6 spent, 10 more, then 4 before the 20th.
		for range 2 {
			f.Clock.Advance(11 * time.Minute)
			for range 5 {
				publicFile(t, c, cui, publicFiling(citizen.KindPetition))
			}
		}
		f.Clock.Advance(11 * time.Minute)
		for range 4 {
			publicFile(t, c, cui, publicFiling(citizen.KindPetition))
		}
		res, _ = c.post("/public/"+cui+"/file", publicFiling(citizen.KindPetition))
		wantStatus(t, res, "", http.StatusTooManyRequests)
		if count() != 19 {
			t.Fatalf("%d cases, want 19", count())
		}

		// Ratings: 10 per hour per address.
		for i := range 10 {
			res, body := c.post("/f/"+cui+"/"+svc.Code, url.Values{"public_rating": {"4"}})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("rating %d: status %d\n%s", i+1, res.StatusCode, body)
			}
		}
		res, _ = c.post("/f/"+cui+"/"+svc.Code, url.Values{"public_rating": {"4"}})
		wantStatus(t, res, "", http.StatusTooManyRequests)

		// Unknown institution, and closed public pages: not found.
		res, _ = c.get("/public/99999999")
		wantStatus(t, res, "", http.StatusNotFound)
		st, err := f.Srv.citizen.SettingsOf(context.Background(), f.B.Inst.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.PublicEnabled = false
		if _, err := f.Srv.citizen.SaveSettings(context.Background(), auth.SystemActor(f.B.Inst.ID, "test"), st); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/public/" + f.B.Inst.CUI, "/public/" + f.B.Inst.CUI + "/file", "/public/" + f.B.Inst.CUI + "/status"} {
			res, body := c.get(p)
			wantStatus(t, res, body, http.StatusNotFound)
			if !strings.Contains(body, "Pagina căutată nu există") {
				t.Errorf("%s: no translated not-found page", p)
			}
		}
		_, body = c.get("/public")
		if strings.Contains(body, "Primăria Beta") || !strings.Contains(body, "Primăria Alfa") {
			t.Error("the directory lists an institution with closed public pages, or misses an open one")
		}
	})
}

func TestPublicLimiter(t *testing.T) {
	c := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	l := newLimiter(c, 3, 3*time.Minute)
	for i := range 3 {
		if !l.Allow("a") {
			t.Fatalf("request %d refused", i+1)
		}
	}
	if l.Allow("a") || !l.Blocked("a") {
		t.Fatal("a fourth request within the period was allowed")
	}
	if l.Blocked("b") || !l.Allow("b") {
		t.Fatal("another address was limited")
	}
	if w := l.Wait("a"); w <= 0 || w > time.Minute {
		t.Fatalf("wait %s, want up to a minute", w)
	}
	l.Refund("a")
	if !l.Allow("a") {
		t.Fatal("a refunded token was not given back")
	}
	c.Advance(time.Minute)
	if !l.Allow("a") || l.Allow("a") {
		t.Fatal("one token should return per minute")
	}
	// Buckets that refilled are forgotten.
	c.Advance(10 * time.Minute)
	l.Allow("c")
	l.mu.Lock()
	n := len(l.buckets)
	l.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d buckets kept, want 1", n)
	}
	for ip, want := range map[string]string{"192.0.2.7": "192.0.2.7", "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64", "2001:db8:1:2::99": "2001:db8:1:2::/64"} {
		if got := limiterKey(ip); got != want {
			t.Errorf("limiterKey(%s) = %s, want %s", ip, got, want)
		}
	}
}
