package web

// The citizens' pages, with no sign-in: the directory of institutions, an
// institution's page and its service catalogue, the form to file a
// petition, a request for public information or an application (with the
// receipt that shows the private access code once), the status lookup with
// number and code (and the rating of an answered case), and the counter's
// short link to rate a service. The files:
//
//	public.go         the handlers
//	public_form.go    reading and checking what a citizen sends
//	public_render.go  the public layout, pages and error pages
//	public_guard.go   per-address limits (filing, failed lookups, ratings)
//
// Nothing here shows staff names or another case: the pages show only the
// institution, its catalogue and, with the right number and code, the
// citizen's own case as citizen.PublicStatus gives it.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/citizen"
	"cadran/internal/i18n"
	"cadran/internal/org"
)

// publicBase is what every public page's data carries.
type publicBase struct {
	// Inst is the institution of the page; zero on the directory and on
	// the not-found page of an unknown institution.
	Inst org.Institution
	// NoLanguageSwitch hides the language switch on a page that cannot be
	// shown again (the receipt with the access code, shown once).
	NoLanguageSwitch bool
}

type publicSite struct {
	Inst     org.Institution
	Settings citizen.Settings
}

// publicInstitution is the institution named by {cui}: not found when
// unknown or when its public pages are closed.
func (s *Server) publicInstitution(r *http.Request) (publicSite, error) {
	cui := r.PathValue("cui")
	if cui == "" || len(cui) > 20 {
		return publicSite{}, apperr.NotFound("institution")
	}
	inst, err := s.org.InstitutionByCUI(r.Context(), cui)
	if err != nil {
		return publicSite{}, err
	}
	st, err := s.citizen.SettingsOf(r.Context(), inst.ID)
	if err != nil {
		return publicSite{}, err
	}
	if !st.PublicEnabled {
		return publicSite{}, apperr.NotFound("institution")
	}
	return publicSite{Inst: inst, Settings: st}, nil
}

type publicIndexData struct {
	publicBase
	Institutions []citizen.PublicInstitution
}

func (s *Server) publicIndex(w http.ResponseWriter, r *http.Request) error {
	list, err := s.citizen.PublicInstitutions(r.Context())
	if err != nil {
		return err
	}
	return s.renderPublic(w, http.StatusOK, "public_index", s.publicPage(r, "public.index.title", publicIndexData{Institutions: list}))
}

type publicHomeData struct {
	publicBase
	Settings citizen.Settings
	Services []citizen.PublicService
	Days     map[string]int
}

// publicDays are the legal deadlines the institution's page explains.
var publicDays = map[string]int{"petition": citizen.PetitionDays, "extension": citizen.PetitionExtensionMax, "info": citizen.InfoDays, "complex": citizen.InfoComplexDays}

func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	svcs, err := s.citizen.CatalogueOf(r.Context(), site.Inst.ID)
	if err != nil {
		return err
	}
	d := publicHomeData{publicBase: publicBase{Inst: site.Inst}, Settings: site.Settings, Services: svcs, Days: publicDays}
	return s.renderPublic(w, http.StatusOK, "public_home", s.publicPage(r, "public.home.title", d))
}

type publicServiceData struct {
	publicBase
	Service   citizen.PublicService
	Documents []string
}

func (s *Server) publicService(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	svc, err := s.publicServiceByCode(r, site)
	if err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	d := publicServiceData{publicBase: publicBase{Inst: site.Inst}, Service: svc, Documents: svc.DocumentList()}
	p := s.publicPage(r, "public.service.title", d)
	p.Title = svc.Name
	return s.renderPublic(w, http.StatusOK, "public_service", p)
}

// publicServiceByCode is the active service {code} of the institution.
func (s *Server) publicServiceByCode(r *http.Request, site publicSite) (citizen.PublicService, error) {
	code := r.PathValue("code")
	if code == "" || len(code) > 40 {
		return citizen.PublicService{}, apperr.NotFound("service")
	}
	return s.citizen.ServiceByCode(r.Context(), site.Inst.ID, code)
}

type publicFileData struct {
	publicBase
	Services []citizen.PublicService
	Form     publicFileForm
	Consent  string
	Days     map[string]int
}

func (s *Server) publicFileForm(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	svcs, err := s.citizen.CatalogueOf(r.Context(), site.Inst.ID)
	if err != nil {
		return err
	}
	form := publicFileForm{Kind: citizen.KindPetition}
	q := r.URL.Query()
	if k := q.Get("kind"); k == citizen.KindInfo || k == citizen.KindPetition {
		form.Kind = k
	}
	if code := q.Get("service"); code != "" {
		for _, sv := range svcs {
			if sv.Code == code {
				form.Kind, form.Service = citizen.KindService, code
			}
		}
	}
	d := publicFileData{publicBase: publicBase{Inst: site.Inst}, Services: svcs, Form: form, Consent: citizen.ConsentVersion, Days: publicDays}
	return s.renderPublic(w, http.StatusOK, "public_file", s.publicPage(r, "public.file.title", d))
}

type publicReceiptData struct {
	publicBase
	Receipt   citizen.Receipt
	StatusURL string
}

func (s *Server) publicFile(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	if err := publicParse(w, r); err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	g, ip := s.publicGuard(), limiterKey(clientIP(r))
	if !g.fileShort.Allow(ip) {
		return s.publicTooMany(w, r, site.Inst, g.fileShort.Wait(ip))
	}
	if !g.fileDay.Allow(ip) {
		g.fileShort.Refund(ip)
		return s.publicTooMany(w, r, site.Inst, g.fileDay.Wait(ip))
	}
	refund := func() { g.fileShort.Refund(ip); g.fileDay.Refund(ip) }
	if publicHoneypot(r) {
		// A person never sees the field; a bot that fills it is refused
		// without a word on why, and its attempt counts.
		return s.publicError(w, r, site.Inst, apperr.Conflict("public.error.rejected"))
	}
	svcs, err := s.citizen.CatalogueOf(r.Context(), site.Inst.ID)
	if err != nil {
		refund()
		return err
	}
	form := readPublicFileForm(r)
	in, v := form.input(svcs)
	if len(v) == 0 {
		var rec citizen.Receipt
		rec, err = s.citizen.File(r.Context(), site.Inst.ID, in)
		if err == nil {
			d := publicReceiptData{publicBase: publicBase{Inst: site.Inst, NoLanguageSwitch: true}, Receipt: rec,
				StatusURL: s.baseURL(r) + "/public/" + site.Inst.CUI + "/status?" + url.Values{"number": {rec.Case.Number}}.Encode()}
			w.Header().Set("X-Robots-Tag", "noindex")
			return s.renderPublic(w, http.StatusOK, "public_receipt", s.publicPage(r, "public.receipt.title", d))
		}
		dv, ok := apperr.AsValidation(err)
		if !ok {
			refund()
			return s.publicError(w, r, site.Inst, err)
		}
		v = publicFields(dv, publicFileFields, "public_subject")
	}
	refund()
	d := publicFileData{publicBase: publicBase{Inst: site.Inst}, Services: svcs, Form: form, Consent: citizen.ConsentVersion, Days: publicDays}
	p := s.publicPage(r, "public.file.title", d)
	p.Error, p.Errors = p.T("error.invalid"), v
	return s.renderPublic(w, http.StatusUnprocessableEntity, "public_file", p)
}

type publicStatusFormData struct {
	publicBase
	Number string
}

func (s *Server) publicStatusForm(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	// Only the number may come in the address (from the receipt); the code
	// never does, so it stays out of histories, logs and referrers.
	number := strings.TrimSpace(r.URL.Query().Get("number"))
	if len(number) > publicMaxNumber {
		number = ""
	}
	d := publicStatusFormData{publicBase: publicBase{Inst: site.Inst}, Number: number}
	return s.renderPublic(w, http.StatusOK, "public_status_form", s.publicPage(r, "public.status.title", d))
}

type publicStatusData struct {
	publicBase
	Status       citizen.PublicStatus
	Number, Code string
	// Late: still open past its deadline.
	Late    bool
	Rating  string
	Comment string
}

func (s *Server) publicStatus(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	if err := publicParse(w, r); err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	number, code := publicLookup(r)
	formAgain := func(status int, v apperr.Validation, key string, args ...any) error {
		p := s.publicPage(r, "public.status.title", publicStatusFormData{publicBase: publicBase{Inst: site.Inst}, Number: number})
		p.Error, p.Errors = p.T(key, args...), v
		return s.renderPublic(w, status, "public_status_form", p)
	}
	if v := checkLookup(number, code); len(v) > 0 {
		return formAgain(http.StatusUnprocessableEntity, v, "error.invalid")
	}
	g, ip := s.publicGuard(), limiterKey(clientIP(r))
	if g.statusFail.Blocked(ip) {
		return formAgain(http.StatusTooManyRequests, nil, "public.error.too_many", "Minutes", waitMinutes(g.statusFail.Wait(ip)))
	}
	st, err := s.citizen.Status(r.Context(), site.Inst.ID, number, code)
	if apperr.KindOf(err) == apperr.KindNotFound {
		g.statusFail.Spend(ip)
		return formAgain(http.StatusNotFound, nil, "public.status.not_found")
	}
	if err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	return s.renderStatus(w, r, site, http.StatusOK, publicStatusData{Status: st, Number: number, Code: code}, nil)
}

// renderStatus shows a case's status to its petitioner.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, site publicSite, status int, d publicStatusData, v apperr.Validation) error {
	d.publicBase = publicBase{Inst: site.Inst}
	today := s.clock.Now().In(i18n.Bucharest)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	open := d.Status.State == citizen.StateRegistered || d.Status.State == citizen.StateAssigned
	d.Late = open && !d.Status.DueOn.IsZero() && today.After(d.Status.DueOn)
	p := s.publicPage(r, "public.status.title", d)
	if len(v) > 0 {
		p.Error, p.Errors = p.T("error.invalid"), v
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.renderPublic(w, status, "public_status", p)
}

type publicThanksData struct {
	publicBase
	Service string
}

func (s *Server) publicRate(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	if err := publicParse(w, r); err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	number, code := publicLookup(r)
	if v := checkLookup(number, code); len(v) > 0 {
		return s.publicError(w, r, site.Inst, apperr.NotFound("case"))
	}
	g, ip := s.publicGuard(), limiterKey(clientIP(r))
	if g.statusFail.Blocked(ip) {
		return s.publicTooMany(w, r, site.Inst, g.statusFail.Wait(ip))
	}
	if !g.rate.Allow(ip) {
		return s.publicTooMany(w, r, site.Inst, g.rate.Wait(ip))
	}
	rating, comment, v := readPublicRating(r)
	if len(v) > 0 {
		g.rate.Refund(ip)
		st, err := s.citizen.Status(r.Context(), site.Inst.ID, number, code)
		if apperr.KindOf(err) == apperr.KindNotFound {
			g.statusFail.Spend(ip)
			return s.publicError(w, r, site.Inst, err)
		}
		if err != nil {
			return s.publicError(w, r, site.Inst, err)
		}
		return s.renderStatus(w, r, site, http.StatusUnprocessableEntity, publicStatusData{Status: st, Number: number, Code: code, Rating: r.PostFormValue("public_rating"), Comment: comment}, v)
	}
	err = s.citizen.RateCase(r.Context(), site.Inst.ID, number, code, rating, comment)
	if apperr.KindOf(err) == apperr.KindNotFound {
		g.statusFail.Spend(ip)
	}
	if err != nil {
		if _, ok := apperr.AsValidation(err); ok {
			g.rate.Refund(ip)
		}
		return s.publicError(w, r, site.Inst, err)
	}
	return s.renderPublic(w, http.StatusOK, "public_thanks", s.publicPage(r, "public.thanks.title", publicThanksData{publicBase: publicBase{Inst: site.Inst}}))
}

type publicFeedbackData struct {
	publicBase
	Service citizen.PublicService
	// Channel: counter (the short link, the QR code) or online (from the
	// catalogue's "rate this service").
	Channel string
	Rating  string
	Comment string
}

func publicFeedbackChannel(v string) string {
	if v == citizen.FeedbackOnline {
		return citizen.FeedbackOnline
	}
	return citizen.FeedbackCounter
}

func (s *Server) feedbackForm(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	svc, err := s.publicServiceByCode(r, site)
	if err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	d := publicFeedbackData{publicBase: publicBase{Inst: site.Inst}, Service: svc, Channel: publicFeedbackChannel(r.URL.Query().Get("from"))}
	return s.renderPublic(w, http.StatusOK, "public_feedback", s.publicPage(r, "public.feedback.title", d))
}

func (s *Server) feedbackSave(w http.ResponseWriter, r *http.Request) error {
	site, err := s.publicInstitution(r)
	if err != nil {
		return s.publicError(w, r, org.Institution{}, err)
	}
	svc, err := s.publicServiceByCode(r, site)
	if err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	if err := publicParse(w, r); err != nil {
		return s.publicError(w, r, site.Inst, err)
	}
	g, ip := s.publicGuard(), limiterKey(clientIP(r))
	if !g.rate.Allow(ip) {
		return s.publicTooMany(w, r, site.Inst, g.rate.Wait(ip))
	}
	if publicHoneypot(r) {
		return s.publicError(w, r, site.Inst, apperr.Conflict("public.error.rejected"))
	}
	channel := publicFeedbackChannel(r.PostFormValue("public_channel"))
	rating, comment, v := readPublicRating(r)
	if len(v) == 0 {
		err = s.citizen.Rate(r.Context(), site.Inst.ID, citizen.FeedbackInput{ServiceID: svc.ID, Kind: citizen.KindService, Channel: channel, Rating: rating, Comment: comment})
		if err == nil {
			return s.renderPublic(w, http.StatusOK, "public_thanks", s.publicPage(r, "public.thanks.title", publicThanksData{publicBase: publicBase{Inst: site.Inst}, Service: svc.Name}))
		}
		dv, ok := apperr.AsValidation(err)
		if !ok {
			return s.publicError(w, r, site.Inst, err)
		}
		v = publicFields(dv, publicRatingFields, "public_rating")
	}
	g.rate.Refund(ip)
	d := publicFeedbackData{publicBase: publicBase{Inst: site.Inst}, Service: svc, Channel: channel, Rating: r.PostFormValue("public_rating"), Comment: comment}
	p := s.publicPage(r, "public.feedback.title", d)
	p.Error, p.Errors = p.T("error.invalid"), v
	return s.renderPublic(w, http.StatusUnprocessableEntity, "public_feedback", p)
}

// waitMinutes rounds a wait up to whole minutes, at least one.
func waitMinutes(d time.Duration) int {
	return max(1, int((d+time.Minute-1)/time.Minute))
}

// publicRatingValue parses a rating from 1 to 5; 0 when it is not one.
func publicRatingValue(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 5 {
		return 0
	}
	return n
}
