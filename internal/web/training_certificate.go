package web

// Certificates of training: the list with its expiry states and export,
// the form (a multipart form with the scan), the certificate's page, revoke
// and the scan's download (this file). The competence catalogue is in
// training_competence.go, the matrix in training_matrix.go.

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/training"
	"cadran/internal/work"
)

// trCertPerPage is the certificate list's page size.
const trCertPerPage = 25

// Expiry states of a certificate as the pages show them.
const (
	trCertValid     = "valid"     // in force, with an expiry beyond the renewal days
	trCertPermanent = "permanent" // in force, no expiry
	trCertExpiring  = "expiring"  // in force, expires within the renewal days
	trCertExpired   = "expired"
	trCertRevoked   = "revoked"
	trCertRenewed   = "renewed" // expired or expiring, and renewed by another
)

// trCertExpiries are the list filter's expiry states, as the domain names them.
var trCertExpiries = training.ExpiryStates

var trCertSortLabels = map[string]string{"person": "training.certs.col.person", "name": "training.certs.col.name",
	"issued": "training.certs.col.issued", "expires": "training.certs.col.expires"}

var trCertSorts = []string{"person", "name", "issued", "expires"}

// trCertFilter is the list's filter, from the query string.
type trCertFilter struct {
	Query            string
	PersonID, UnitID int64
	Expiry           string
	// Sort is the sort key with "-" first for descending.
	Sort string
}

func trCertFilterOf(r *http.Request) trCertFilter {
	q := r.URL.Query()
	f := trCertFilter{Query: strings.TrimSpace(q.Get("q")), PersonID: queryInt(r, "person"), UnitID: queryInt(r, "unit"), Expiry: q.Get("expiry"), Sort: q.Get("sort")}
	if !slices.Contains(trCertExpiries, f.Expiry) {
		f.Expiry = ""
	}
	if !slices.Contains(trCertSorts, strings.TrimPrefix(f.Sort, "-")) {
		f.Sort = "-issued" // the newest first, as the domain orders them
	}
	return f
}

// domain is the filter as the training package takes it.
func (f trCertFilter) domain(page, perPage int) training.CertificateFilter {
	return training.CertificateFilter{Query: f.Query, PersonID: f.PersonID, UnitID: f.UnitID, Expiry: f.Expiry,
		Sort: strings.TrimPrefix(f.Sort, "-"), Desc: strings.HasPrefix(f.Sort, "-"), Page: page, PerPage: perPage}
}

// trCertRow is a certificate with its expiry state on the day shown.
type trCertRow struct {
	training.Certificate
	State string
}

// trCertState is a certificate's expiry state on day.
func trCertState(c training.Certificate, day time.Time, renewalDays int) string {
	switch {
	case c.Revoked:
		return trCertRevoked
	case c.RenewedBy != 0 && (c.Expired(day) || c.Expiring(day, renewalDays)):
		return trCertRenewed
	case c.Expired(day):
		return trCertExpired
	case c.Expiring(day, renewalDays):
		return trCertExpiring
	case c.ExpiresOn == "":
		return trCertPermanent
	}
	return trCertValid
}

// TrCertClass is the tag class of an expiry state: red for expired, amber
// for expiring, green in force, grey revoked. The tag always holds the
// state's words too.
func (p *Page) TrCertClass(state string) string {
	switch state {
	case trCertExpired:
		return "tag warn"
	case trCertExpiring:
		return "tag cst-partial"
	case trCertRevoked, trCertRenewed:
		return "tag state-withdrawn"
	}
	return "tag cst-implemented"
}

// trRenewalDays is how many days before expiry a certificate shows as
// expiring, from the institution's settings.
func (s *Server) trRenewalDays(r *http.Request) int {
	st, err := s.training.Settings(r.Context(), actorOf(r))
	if err != nil || st.RenewalDays <= 0 {
		return training.DefaultSettings.RenewalDays
	}
	return st.RenewalDays
}

// trToday is the clock's civil day, the day expiry states are shown for
// (the day the domain counts from).
func (s *Server) trToday() time.Time { return work.Day(s.clock.Now()) }

type trCertListData struct {
	Items       []trCertRow
	Filter      trCertFilter
	Expiries    []string
	Units       []*org.TreeNode
	People      []org.Person
	Sorts       []sortLink
	Pager       pager
	CanManage   bool
	CanRecords  bool
	RenewalDays int
	Saved       savedFilterBlock
}

// trainingCertificateList lists the certificates the actor may read: the
// quality office everyone's, a head of unit their units', others their own.
func (s *Server) trainingCertificateList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f := trCertFilterOf(r)
	pg := newPager(r, trCertPerPage)
	res, err := s.training.Certificates(ctx, a, f.domain(pg.Page, pg.PerPage))
	if err != nil {
		return err
	}
	pg.Total = res.Total
	days := s.trRenewalDays(r)
	today := s.trToday()
	d := &trCertListData{Filter: f, Expiries: trCertExpiries, Pager: pg, CanManage: a.Can(auth.PermTrainingManage),
		CanRecords: a.Can(auth.PermTrainingRecords), RenewalDays: days}
	for _, c := range res.Items {
		d.Items = append(d.Items, trCertRow{Certificate: c, State: trCertState(c, today, days)})
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.CanRecords {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Status: "all", Limit: db.MaxPageSize}); err != nil {
			return err
		}
	}
	if _, ok := savedFilterLists["training_certificates"]; ok {
		if d.Saved, err = s.savedFilters(r, "training_certificates"); err != nil {
			return err
		}
	}
	p := s.page(r, "training.certs.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, trCertSortLabels, trCertSorts)
	return s.render(w, http.StatusOK, "training_certificate_list", p)
}

// trCertAll reads every page of the filtered list, for the export.
func (s *Server) trCertAll(r *http.Request, f trCertFilter) ([]training.Certificate, error) {
	var out []training.Certificate
	for page := 1; ; page++ {
		res, err := s.training.Certificates(r.Context(), actorOf(r), f.domain(page, 500))
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if len(res.Items) == 0 || len(out) >= res.Total {
			return out, nil
		}
	}
}

// trainingCertificateExport sends the filtered list as XLSX, every page of it.
func (s *Server) trainingCertificateExport(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingView); err != nil {
		return err
	}
	all, err := s.trCertAll(r, trCertFilterOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	days := s.trRenewalDays(r)
	today := s.trToday()
	t := report.Table{Sheet: l.T("training.certs.list_title"), Headers: []string{l.T("training.certs.col.person"), l.T("training.certs.col.unit"),
		l.T("training.certs.col.name"), l.T("training.certs.col.number"), l.T("training.certs.col.issuer"), l.T("training.certs.col.hours"),
		l.T("training.certs.col.programme"), l.T("training.certs.col.competence"), l.T("training.certs.col.level"),
		l.T("training.certs.col.issued"), l.T("training.certs.col.expires"), l.T("training.certs.col.state"), l.T("training.certs.col.scan"), l.T("training.certs.col.notes")}}
	words := trWordsOf(l)
	states := map[string]string{}
	for _, st := range []string{trCertValid, trCertPermanent, trCertExpiring, trCertExpired, trCertRevoked, trCertRenewed} {
		states[st] = l.T("training.certs.state." + st)
	}
	for _, c := range all {
		level := ""
		if c.CompetenceID != 0 {
			level = words.level(max(1, c.CompetenceLevel))
		}
		scan := ""
		if c.ScanSHA256 != "" {
			scan = c.ScanName
		}
		t.Rows = append(t.Rows, []any{c.PersonName, c.UnitName, c.Name, c.Number, c.Issuer, c.Hours, c.ProgrammeCode, c.CompetenceName, level,
			trDay(c.IssuedOn), trDay(c.ExpiresOn), states[trCertState(c, today, days)], scan, c.Notes})
	}
	return sendTables(w, r, l.T("training.certs.export_file"), t)
}

// trDay turns a stored YYYY-MM-DD day into a date cell; anything else
// stays text.
func trDay(day string) any {
	if day == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t
}

// trCertFormData is the certificate form's data.
type trCertFormData struct {
	ID   int64
	Form training.CertificateInput
	// Raw keeps what was typed in fields that did not parse.
	Raw map[string]string
	// People to choose from, when the certificate does not come from an
	// enrolment; Enrolment describes the enrolment it comes from.
	People    []org.Person
	Enrolment string
	// Renewable are the person's other certificates, for "renews".
	Renewable   []training.Certificate
	Programmes  []training.Programme
	Competences []training.Competence
	Levels      []int
	// Cert is the certificate edited, with its scan.
	Cert *training.Certificate
	// MaxScanMB is the largest scan accepted, in megabytes.
	MaxScanMB int
}

// trCertFormOf fills the form's choices around in.
func (s *Server) trCertFormOf(r *http.Request, id int64, in training.CertificateInput, enrolment string) (*trCertFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &trCertFormData{ID: id, Form: in, Raw: map[string]string{}, Enrolment: enrolment, Levels: training.Levels, MaxScanMB: training.MaxScanSize >> 20}
	var err error
	if in.EnrolmentID == 0 {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: db.MaxPageSize}); err != nil {
			return nil, err
		}
		// A person who has left keeps their record: show them if chosen.
		if in.PersonID != 0 && !slices.ContainsFunc(d.People, func(p org.Person) bool { return p.ID == in.PersonID }) {
			if p, err := s.org.Person(ctx, a, in.PersonID); err == nil {
				d.People = append([]org.Person{p}, d.People...)
			}
		}
	}
	if in.PersonID != 0 {
		res, err := s.training.Certificates(ctx, a, training.CertificateFilter{PersonID: in.PersonID, Sort: "issued", Desc: true, PerPage: 200, Page: 1})
		if err != nil {
			return nil, err
		}
		for _, c := range res.Items {
			if c.ID != id && c.PersonID == in.PersonID {
				d.Renewable = append(d.Renewable, c)
			}
		}
	}
	progs, err := s.training.Programmes(ctx, a, training.ProgrammeFilter{Sort: "code", Page: 1, PerPage: db.MaxPageSize})
	if err != nil {
		return nil, err
	}
	for _, p := range progs.Items {
		if p.Active || p.ID == in.ProgrammeID {
			d.Programmes = append(d.Programmes, p)
		}
	}
	comps, err := s.training.Competences(ctx, a, false)
	if err != nil {
		return nil, err
	}
	for _, c := range comps {
		if c.Active || c.ID == in.CompetenceID {
			d.Competences = append(d.Competences, c)
		}
	}
	return d, nil
}

// trCertFields map the domain's field names onto the form's fields, so a
// message shows beside its field.
var trCertFields = map[string]string{training.FieldCertPerson: "training_cert_person", training.FieldCertEnrolment: "training_cert_enrolment",
	training.FieldCertProgramme: "training_cert_programme", training.FieldCertCompetence: "training_cert_competence", training.FieldCertLevel: "training_cert_level",
	training.FieldCertName: "training_cert_name", training.FieldCertNumber: "training_cert_number", training.FieldCertIssuer: "training_cert_issuer",
	training.FieldCertHours: "training_cert_hours", training.FieldCertIssued: "training_cert_issued_on", training.FieldCertExpires: "training_cert_expires_on",
	training.FieldCertRenews: "training_cert_renews", training.FieldCertNotes: "training_cert_notes", training.FieldCertScan: "training_cert_scan"}

// trField names a domain field by the form's field; a name the form does
// not know stays as it is.
func trField(fields map[string]string) func(string) string {
	return func(k string) string {
		if f, ok := fields[k]; ok {
			return f
		}
		return k
	}
}

// trMergeErrors merges the form's own problems with the domain's, naming
// each by the form's field.
func trMergeErrors(err error, bad apperr.Validation, field func(string) string) error {
	if err == nil && len(bad) == 0 {
		return nil
	}
	all := apperr.Validation{}
	if v, ok := apperr.AsValidation(err); ok {
		for k, msg := range v {
			all[field(k)] = msg
		}
	} else if err != nil {
		return err
	}
	for k, msg := range bad {
		all[k] = msg
	}
	return all
}

// trFormDay checks a YYYY-MM-DD field: empty is fine, else it must parse.
func trFormDay(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 1950 || t.Year() > 2200 {
		return v, false
	}
	return v, true
}

// trCertInput reads the form; fields that do not parse are returned as
// problems, with what was typed.
func trCertInput(r *http.Request) (training.CertificateInput, apperr.Validation, map[string]string) {
	bad := apperr.Validation{}
	raw := map[string]string{}
	in := training.CertificateInput{PersonID: formInt(r, "training_cert_person"), EnrolmentID: formInt(r, "training_cert_enrolment"),
		ProgrammeID: formInt(r, "training_cert_programme"), CompetenceID: formInt(r, "training_cert_competence"),
		Name: strings.TrimSpace(r.FormValue("training_cert_name")), Number: strings.TrimSpace(r.FormValue("training_cert_number")),
		Issuer: strings.TrimSpace(r.FormValue("training_cert_issuer")), RenewsID: formInt(r, "training_cert_renews"),
		Notes: r.FormValue("training_cert_notes"), Version: formVersion(r)}
	if lv, err := strconv.Atoi(r.FormValue("training_cert_level")); err == nil {
		in.CompetenceLevel = lv
	}
	if in.CompetenceID != 0 && in.CompetenceLevel == 0 {
		in.CompetenceLevel = training.LevelBasic
	}
	if v := strings.TrimSpace(r.FormValue("training_cert_hours")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad["training_cert_hours"] = "training.certs.error.hours"
			raw["training_cert_hours"] = v
		}
		in.Hours = n
	}
	var ok bool
	if in.IssuedOn, ok = trFormDay(r.FormValue("training_cert_issued_on")); !ok {
		bad["training_cert_issued_on"] = "error.date"
	}
	if in.ExpiresOn, ok = trFormDay(r.FormValue("training_cert_expires_on")); !ok {
		bad["training_cert_expires_on"] = "error.date"
	}
	return in, bad, raw
}

// trCertScan reads the multipart form and its scan, if one was chosen.
// The body is limited a little above the largest scan, so an oversized
// file is refused before it is read whole; a scan between the two limits
// reaches the domain, which refuses it with the form kept.
func trCertScan(w http.ResponseWriter, r *http.Request) (*training.Upload, func(), apperr.Validation) {
	r.Body = http.MaxBytesReader(w, r.Body, training.MaxScanSize+1<<20)
	err := r.ParseMultipartForm(8 << 20)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, func() {}, apperr.Validation{"training_cert_scan": "training.certs.error.scan_too_large"}
	case errors.Is(err, http.ErrNotMultipart):
		// A plain form (no file input sent): nothing to upload.
		return nil, func() {}, nil
	case err != nil:
		return nil, func() {}, apperr.Validation{"training_cert_scan": "training.certs.error.scan_unreadable"}
	}
	cleanup := func() { r.MultipartForm.RemoveAll() }
	file, header, err := r.FormFile("training_cert_scan")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, cleanup, nil
	}
	if err != nil {
		return nil, cleanup, apperr.Validation{"training_cert_scan": "training.certs.error.scan_unreadable"}
	}
	if header.Size == 0 && header.Filename == "" {
		file.Close()
		return nil, cleanup, nil
	}
	return &training.Upload{Name: header.Filename, Type: header.Header.Get("Content-Type"), Body: file}, func() {
		file.Close()
		cleanup()
	}, nil
}

// trainingCertificateNew is the form for a new certificate: for a person
// (?person=ID), from a completed enrolment (?enrolment=ID, with
// &session=ID to show whose and which), or renewing one (?renews=ID).
func (s *Server) trainingCertificateNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in := training.CertificateInput{PersonID: queryInt(r, "person"), IssuedOn: s.trToday().Format(time.DateOnly), CompetenceLevel: training.LevelBasic}
	var enrolment string
	if id := queryInt(r, "renews"); id != 0 {
		old, err := s.training.Certificate(ctx, a, id)
		if err != nil {
			return err
		}
		in.PersonID, in.RenewsID, in.ProgrammeID, in.CompetenceID, in.CompetenceLevel = old.PersonID, old.ID, old.ProgrammeID, old.CompetenceID, max(1, old.CompetenceLevel)
		in.Name, in.Issuer, in.Hours = old.Name, old.Issuer, old.Hours
	}
	if id := queryInt(r, "enrolment"); id != 0 {
		in.EnrolmentID = id
		var err error
		if enrolment, err = s.trCertFromEnrolment(r, &in, queryInt(r, "session")); err != nil {
			return err
		}
	}
	d, err := s.trCertFormOf(r, 0, in, enrolment)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "training_certificate_form", s.page(r, "training.certs.new_title", d))
}

// trCertFromEnrolment prefills the form from the enrolment of a session:
// the person, the programme, its certificate's name, hours and competence.
// The session is the ?session= parameter or, from the session page's link,
// the page the person came from. Without it (or when the enrolment is not
// the session's) the form only says that the domain takes all that from
// the enrolment when saving.
func (s *Server) trCertFromEnrolment(r *http.Request, in *training.CertificateInput, sessionID int64) (string, error) {
	l := localizer(r)
	plain := l.T("training.certs.from_enrolment_plain")
	if sessionID == 0 {
		if rest, ok := strings.CutPrefix(sameSiteReferer(r), "/training/sessions/"); ok {
			sessionID, _ = strconv.ParseInt(strings.SplitN(strings.SplitN(rest, "/", 2)[0], "?", 2)[0], 10, 64)
		}
	}
	if sessionID <= 0 {
		return plain, nil
	}
	ctx := r.Context()
	a := actorOf(r)
	es, err := s.training.Enrolments(ctx, a, sessionID)
	if apperr.KindOf(err) == apperr.KindNotFound {
		return plain, nil
	}
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(es, func(e training.Enrolment) bool { return e.ID == in.EnrolmentID })
	if i < 0 {
		return plain, nil
	}
	e := es[i]
	ss, err := s.training.Session(ctx, a, sessionID)
	if err != nil {
		return "", err
	}
	in.PersonID = e.PersonID
	in.ProgrammeID = ss.ProgrammeID
	in.Hours = int(e.Hours + 0.5)
	if e.CompletedOn != "" {
		in.IssuedOn = e.CompletedOn
	}
	p, err := s.training.Programme(ctx, a, ss.ProgrammeID)
	switch {
	case err == nil:
		in.Name = p.Certificate
		if in.Name == "" {
			in.Name = p.Title
		}
		in.Issuer = p.Provider
		in.CompetenceID, in.CompetenceLevel = p.CompetenceID, max(1, p.CompetenceLevel)
		if in.Hours == 0 {
			in.Hours = p.Hours
		}
	case apperr.KindOf(err) != apperr.KindNotFound:
		return "", err
	}
	return l.T("training.certs.from_enrolment", "Person", e.Name, "Session", ss.Code, "Programme", ss.ProgrammeTitle, "State", l.T("training.enrol."+e.State)), nil
}

// trainingCertificateCreate records the certificate with its scan.
func (s *Server) trainingCertificateCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	scan, done, scanBad := trCertScan(w, r)
	defer done()
	in, bad, raw := trCertInput(r)
	for k, v := range scanBad {
		bad[k] = v
	}
	var c training.Certificate
	var err error
	if len(bad) == 0 {
		c, err = s.training.CreateCertificate(r.Context(), a, in, scan)
	}
	if err := trMergeErrors(err, bad, trCertField); err != nil {
		return s.trCertFormError(w, r, err, 0, in, raw, "training.certs.new_title")
	}
	s.flash(r, "flash.created")
	return redirect(w, r, "/training/certificates/"+strconv.FormatInt(c.ID, 10))
}

var trCertField = trField(trCertFields)

// trCertFormError shows the form again with the problems beside the
// fields and everything typed kept (a chosen scan must be chosen again: a
// browser never refills a file input).
func (s *Server) trCertFormError(w http.ResponseWriter, r *http.Request, err error, id int64, in training.CertificateInput, raw map[string]string, title string) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	enrolment := ""
	if in.EnrolmentID != 0 {
		enrolment = localizer(r).T("training.certs.from_enrolment_plain")
	}
	d, derr := s.trCertFormOf(r, id, in, enrolment)
	if derr != nil {
		return derr
	}
	if id != 0 {
		if c, cerr := s.training.Certificate(r.Context(), actorOf(r), id); cerr == nil {
			d.Cert = &c
		}
	}
	d.Raw = raw
	return s.formError(w, r, err, "training_certificate_form", title, d)
}

// trCertShowData is the certificate's page.
type trCertShowData struct {
	Cert      training.Certificate
	State     string
	Renews    *training.Certificate
	RenewedBy *training.Certificate
	CanManage bool
	// ScanKind names the scan's format (PDF, JPEG, PNG); ScanKB its size.
	ScanKind string
	ScanKB   string
}

// trainingCertificateShow is a certificate's page.
func (s *Server) trainingCertificateShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.training.Certificate(ctx, a, id)
	if err != nil {
		return err
	}
	d := &trCertShowData{Cert: c, State: trCertState(c, s.trToday(), s.trRenewalDays(r)), CanManage: a.Can(auth.PermTrainingManage),
		ScanKind: trScanKinds[c.ScanType], ScanKB: localizer(r).Number(max(1, (c.ScanSize+512)/1024))}
	if d.ScanKind == "" {
		d.ScanKind = c.ScanType
	}
	for _, link := range []struct {
		id int64
		to **training.Certificate
	}{{c.RenewsID, &d.Renews}, {c.RenewedBy, &d.RenewedBy}} {
		if link.id == 0 {
			continue
		}
		o, err := s.training.Certificate(ctx, a, link.id)
		if err == nil {
			*link.to = &o
		} else if !errors.Is(err, apperr.ErrNotFound) && !errors.Is(err, apperr.ErrForbidden) {
			return err
		}
	}
	return s.render(w, http.StatusOK, "training_certificate_show", s.page(r, "training.certs.show_title", d))
}

// trainingCertificateEdit is the form for a recorded certificate.
func (s *Server) trainingCertificateEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.training.Certificate(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := trCertInputOf(c)
	enrolment := ""
	if c.EnrolmentID != 0 {
		enrolment = localizer(r).T("training.certs.from_enrolment_plain")
	}
	d, err := s.trCertFormOf(r, id, in, enrolment)
	if err != nil {
		return err
	}
	d.Cert = &c
	return s.render(w, http.StatusOK, "training_certificate_form", s.page(r, "training.certs.edit_title", d))
}

// trCertInputOf is a certificate as the form edits it.
func trCertInputOf(c training.Certificate) training.CertificateInput {
	return training.CertificateInput{PersonID: c.PersonID, EnrolmentID: c.EnrolmentID, ProgrammeID: c.ProgrammeID, CompetenceID: c.CompetenceID,
		CompetenceLevel: max(1, c.CompetenceLevel), Name: c.Name, Number: c.Number, Issuer: c.Issuer, Hours: c.Hours, IssuedOn: c.IssuedOn,
		ExpiresOn: c.ExpiresOn, RenewsID: c.RenewsID, Notes: c.Notes, Version: c.Version}
}

// trainingCertificateUpdate saves the certificate, checked against its
// version; a new scan replaces the old one.
func (s *Server) trainingCertificateUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	scan, done, scanBad := trCertScan(w, r)
	defer done()
	in, bad, raw := trCertInput(r)
	for k, v := range scanBad {
		bad[k] = v
	}
	if len(bad) == 0 {
		_, err = s.training.UpdateCertificate(r.Context(), a, id, in, scan)
	}
	if err := trMergeErrors(err, bad, trCertField); err != nil {
		return s.trCertFormError(w, r, err, id, in, raw, "training.certs.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/certificates/"+strconv.FormatInt(id, 10))
}

// trainingCertificateRevoke marks the certificate revoked: its renewal
// task is cancelled and the competence it gave lapses.
func (s *Server) trainingCertificateRevoke(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.training.RevokeCertificate(r.Context(), a, id, formVersion(r)); err != nil {
		if apperr.KindOf(err) == apperr.KindConflict || apperr.KindOf(err) == apperr.KindInvalid {
			var ae *apperr.Error
			if errors.As(err, &ae) && ae.Key != "" {
				s.flash(r, ae.Key)
			} else {
				s.flash(r, "error.stale")
			}
			return redirect(w, r, "/training/certificates/"+strconv.FormatInt(id, 10))
		}
		return err
	}
	s.flash(r, "training.certs.flash.revoked")
	return redirect(w, r, "/training/certificates/"+strconv.FormatInt(id, 10))
}

// trScanTypes are the only types a scan is ever sent with.
var trScanTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

// trScanKinds name the scan types for people.
var trScanKinds = map[string]string{"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}

// trainingCertificateScan downloads the certificate's scan with its
// stored type (PDF, JPEG or PNG only), as an attachment, never sniffed.
func (s *Server) trainingCertificateScan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	body, c, err := s.training.Scan(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	defer body.Close()
	ct := c.ScanType
	if !trScanTypes[ct] {
		ct = "application/octet-stream"
	}
	name := c.ScanName
	if name == "" {
		name = "certificat-" + strconv.FormatInt(c.ID, 10)
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	if rs, ok := body.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", c.UpdatedAt, rs)
		return nil
	}
	if c.ScanSize > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(c.ScanSize, 10))
	}
	_, err = io.Copy(w, body)
	return err
}
