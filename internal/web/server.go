// Package web serves Cadran's pages: routes, middleware, handlers (one file
// per resource and action), embedded templates and static files.
package web

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/caf"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/control"
	"cadran/internal/crosswalk"
	"cadran/internal/dashboard"
	"cadran/internal/db"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/filters"
	"cadran/internal/i18n"
	"cadran/internal/importer"
	"cadran/internal/improvement"
	"cadran/internal/mail"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/risks"
	"cadran/internal/scorecard"
	"cadran/internal/training"
	"cadran/internal/work"
)

// Options configure a Server.
type Options struct {
	DB    *db.DB
	Clock clock.Clock
	// SecureCookies marks the session cookie Secure; set it when Cadran is
	// served over HTTPS (directly or behind a proxy).
	SecureCookies bool
	// Version is shown in the footer and /healthz.
	Version string
	// BaseURL is Cadran's public address, for links in e-mails and the
	// calendar feed, such as https://cadran.primaria.ro.
	BaseURL string
	// Mailer sends e-mail; nil keeps notifications in the app.
	Mailer mail.Sender
	// FilesDir holds uploaded files; empty refuses uploads.
	FilesDir string
	// ReminderHour is the hour (Bucharest) from which reminders and digests
	// go out; 0 means 7.
	ReminderHour int
}

// Server holds the services the handlers call.
type Server struct {
	opts    Options
	db      *db.DB
	clock   clock.Clock
	auth    *auth.Service
	org     *org.Service
	work    *work.Service
	docs    *documents.Service
	risks   *risks.Service
	improve *improvement.Service
	audits  *audits.Service
	reviews *reviews.Service
	// compliance is the ISO 9001 matrix; it reads the audits' and reviews'
	// evidence, and the reviews read its facts and the audits'.
	compliance *compliance.Service
	// scorecard is the Balanced Scorecard; it gives the compliance matrix
	// and the reviews its evidence and facts.
	scorecard *scorecard.Service
	caf       *caf.Service
	// citizen is citizen services; its indicators feed the scorecard.
	citizen *citizen.Service
	// training is training and competence; its certificates are what the
	// audit register shows of an auditor's competence.
	training *training.Service
	// control is internal managerial control (OSGG 600/2018).
	control *control.Service
	// crosswalk maps ISO 9001, CAF and OSGG 600 to each other and shares
	// their evidence (set by initCrosswalk).
	crosswalk *crosswalk.Service
	// dashboard holds the role dashboards' own queries (set by
	// initDashboard); the widgets read the modules' services.
	dashboard *dashboard.Service
	// guard holds the public pages' per-address limits (public_guard.go).
	guard   *publicGuard
	imports *importer.Service
	filters *filters.Service
	// importTargets are the registers a file can be imported into, by name.
	importTargets map[string]importer.Target
	notify        *notify.Service
	outbox        *mail.Outbox
	sched         *work.Scheduler
	sessions      *scs.SessionManager
	store         *auth.SessionStore
	i18n          *i18n.Bundle
	tmpl          *templates
	static        *staticFiles
	metrics       *metrics
	routes        []route
	handler       http.Handler
	started       time.Time
}

// New wires the services and parses the templates once.
func New(opts Options) (*Server, error) {
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:    opts,
		db:      opts.DB,
		clock:   opts.Clock,
		auth:    &auth.Service{DB: opts.DB, Clock: opts.Clock},
		org:     &org.Service{DB: opts.DB, Clock: opts.Clock},
		i18n:    bundle,
		started: time.Now(),
	}
	s.notify = &notify.Service{DB: opts.DB, Clock: opts.Clock, Bundle: bundle, BaseURL: opts.BaseURL}
	if opts.Mailer != nil {
		s.outbox = &mail.Outbox{DB: opts.DB, Clock: opts.Clock, Sender: opts.Mailer}
		s.notify.Outbox = s.outbox
	}
	s.work = &work.Service{DB: opts.DB, Clock: opts.Clock, Notify: s.notify}
	s.docs = &documents.Service{DB: opts.DB, Clock: opts.Clock, Work: s.work}
	if opts.FilesDir != "" {
		if s.docs.Files, err = blob.Open(opts.FilesDir); err != nil {
			return nil, err
		}
	}
	s.filters = &filters.Service{DB: opts.DB, Clock: opts.Clock}
	s.importTargets = map[string]importer.Target{}
	for _, init := range []func() error{s.initRisks, s.initImprovement, s.initAudits, s.initReviews, s.initCompliance, s.initScorecard, s.initCAF, s.initCitizen, s.initTraining, s.initControl, s.initCrosswalk, s.initDashboard, s.initImports} {
		if err := init(); err != nil {
			return nil, err
		}
	}
	// A new employee gets their unit's documents, then the induction plan
	// that lists them.
	s.org.OnPersonPlaced = func(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID int64) error {
		if err := s.docs.PersonPlaced(ctx, tx, a, personID, unitID); err != nil {
			return err
		}
		return s.training.PersonPlaced(ctx, tx, a, personID, unitID)
	}
	s.compliance.Sources = []evidence.Source{s.audits, s.reviews, s.scorecard}
	s.reviews.Inputs = []evidence.InputSource{s.audits, s.compliance, s.scorecard}
	// Citizen services state the satisfaction and the service performance
	// to the review, and their catalogue and ratings to the matrix.
	if src, ok := any(s.citizen).(evidence.Source); ok {
		s.compliance.Sources = append(s.compliance.Sources, src)
	}
	if in, ok := any(s.citizen).(evidence.InputSource); ok {
		s.reviews.Inputs = append(s.reviews.Inputs, in)
	}
	// Training states competence (7.2) and awareness (7.3) to the matrix
	// and the resources to the review.
	s.compliance.Sources = append(s.compliance.Sources, s.training)
	s.reviews.Inputs = append(s.reviews.Inputs, s.training)
	// The audit register shows an auditor's training certificates, and
	// acknowledging a document ticks it off the reader's induction plan.
	s.audits.Certificates = s.training
	s.docs.OnAcknowledged = s.training.DocumentAcknowledged
	// Internal managerial control states its evaluation (9.1.3), the
	// sensitive functions (6.1) and procedure coverage (7.5) to the matrix,
	// and the grade, the programme, coverage and rotation to the review.
	s.compliance.Sources = append(s.compliance.Sources, s.control)
	s.reviews.Inputs = append(s.reviews.Inputs, s.control)
	// The modules that compute metrics a KPI may be fed by.
	for _, m := range []any{s.docs, s.risks, s.improve, s.audits, s.reviews, s.compliance, s.citizen, s.training, s.control} {
		if ms, ok := m.(evidence.MetricSource); ok {
			s.scorecard.Metrics = append(s.scorecard.Metrics, ms)
		}
	}
	s.sched = &work.Scheduler{Work: s.work, Auth: s.auth, Hour: opts.ReminderHour}
	s.store = &auth.SessionStore{DB: opts.DB}
	s.sessions = scs.New()
	s.sessions.Store = s.store
	s.sessions.Lifetime = 12 * time.Hour
	s.sessions.IdleTimeout = 2 * time.Hour
	s.sessions.Cookie.Name = "cadran_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = opts.SecureCookies
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(s.static); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(opts.DB)
	s.routes = s.routeTable()
	s.handler = s.buildHandler()
	return s, nil
}

// Handler is the server's root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Background runs the server's housekeeping until ctx ends: expired
// sessions and stale sign-in counters, the reminder scheduler and, when
// e-mail is on, the outbox.
func (s *Server) Background(ctx context.Context) {
	if s.outbox != nil {
		go s.outbox.Run(ctx, 30*time.Second)
	}
	go s.sched.Loop(ctx, time.Minute)
	go s.documentsLoop(ctx, 10*time.Minute)
	go s.scorecardLoop(ctx, time.Hour)
	go s.optimizeLoop(ctx, time.Hour)
	s.store.Cleanup(ctx, 10*time.Minute)
}

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
// ready, if not nil, is called once the listener is open.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	hs := &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	ln, err := listen(addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	bg, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Background(bg)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		return hs.Shutdown(shutdown)
	}
}

// documentsLoop puts approved documents in force when their effective date
// comes, every so often until ctx ends.
func (s *Server) documentsLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.docs.ActivateDue(ctx); err != nil {
			slog.Error("documents: cannot put approved versions in force", "err", err)
		} else if n > 0 {
			slog.Info("documents: versions put in force", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// optimizeLoop keeps the database's query-planner statistics fresh, at
// start and then every hour.
func (s *Server) optimizeLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.db.Optimize(ctx); err != nil && ctx.Err() == nil {
			slog.Error("database: cannot refresh statistics", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// scorecardLoop computes the KPIs fed by other modules and by formulas and
// hands out due-value tasks, every so often until ctx ends.
func (s *Server) scorecardLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if res, err := s.scorecard.RefreshAll(ctx); err != nil {
			slog.Error("scorecard: cannot refresh", "err", err)
		} else if res.Computed+res.Tasks > 0 {
			slog.Info("scorecard: refreshed", "computed", res.Computed, "tasks", res.Tasks)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
