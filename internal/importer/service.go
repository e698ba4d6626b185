package importer

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/db"
)

// States of an import job.
const (
	StateUploaded = "uploaded"
	StateRunning  = "running"
	StateDone     = "done"
	StateFailed   = "failed"
)

// Message keys of job problems.
const (
	ErrNoStore     = "importer.error.no_store"
	ErrGone        = "importer.error.gone"
	ErrRows        = "importer.error.rows"
	ErrMapping     = "importer.error.mapping"
	ErrState       = "importer.error.state"
	ErrInterrupted = "importer.error.interrupted"
	ErrFailed      = "importer.error.failed"
)

// entity is the audit trail's name of an import job.
const entity = "import_job"

// defaultRunTimeout bounds one import's write.
const defaultRunTimeout = 15 * time.Minute

// Service keeps import jobs: the uploaded file, the column mapping, the
// checked preview, and the write itself, run apart from the request with
// its progress kept in memory.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// Files holds the uploaded files; nil refuses uploads.
	Files *blob.Store
	// Targets are the registers a file can be imported into, by name.
	Targets map[string]Target
	// Labels, if set, gives the texts of a field's label message key (in
	// every language), matched against headings like the aliases.
	Labels func(key string) []string
	// RunTimeout bounds one import's write; 0 means 15 minutes.
	RunTimeout time.Duration

	mu      sync.Mutex
	running map[int64]*progress
	cache   []cached
	wg      sync.WaitGroup
}

// progress is how far a running import has got.
type progress struct {
	total, done int
}

// cached is a file already read and laid out for one target.
type cached struct {
	sum, target string
	table       *Table
}

// cacheSize is how many read files are kept: a person going back and forth
// between mapping and preview does not wait for the file to be read again.
const cacheSize = 4

// Job is one import.
type Job struct {
	ID       int64
	Tenant   int64
	UserID   int64
	Target   string
	FileName string
	FileSum  string
	Mapping  Mapping
	State    string
	// Total is the number of data rows; Done how many were written (while
	// running, from memory); Created the records made.
	Total, Done, Created int
	// Error is the message key of why the job failed.
	Error      string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// Progress is what the progress bar shows.
type Progress struct {
	State   string `json:"state"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Created int    `json:"created"`
}

const jobCols = `id, tenant_id, user_id, target, file_name, file_sum, mapping, state, total_rows, done_rows, created, error, version, created_at, updated_at, finished_at`

func scanJob(row interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var mapping string
	var finished sql.NullTime
	if err := row.Scan(&j.ID, &j.Tenant, &j.UserID, &j.Target, &j.FileName, &j.FileSum, &mapping, &j.State, &j.Total, &j.Done, &j.Created, &j.Error, &j.Version, &j.CreatedAt, &j.UpdatedAt, &finished); err != nil {
		return j, err
	}
	j.Mapping = Mapping{}
	if err := json.Unmarshal([]byte(mapping), &j.Mapping); err != nil {
		j.Mapping = Mapping{}
	}
	if finished.Valid {
		t := finished.Time
		j.FinishedAt = &t
	}
	return j, nil
}

func (s *Service) runTimeout() time.Duration {
	if s.RunTimeout > 0 {
		return s.RunTimeout
	}
	return defaultRunTimeout
}

// target finds a target by name and checks the actor may use it.
func (s *Service) target(a auth.Actor, name string) (Target, error) {
	t, ok := s.Targets[name]
	if !ok {
		return nil, apperr.NotFound("import_target")
	}
	if err := a.Require(t.Permission()); err != nil {
		return nil, err
	}
	return t, nil
}

// Target returns the target named name, if the actor may import into it.
func (s *Service) Target(a auth.Actor, name string) (Target, error) { return s.target(a, name) }

// fields are the target's fields with their labels as aliases.
func (s *Service) fields(t Target) []Field {
	if s.Labels == nil {
		return t.Fields()
	}
	return WithLabels(t.Fields(), s.Labels)
}

// Upload reads the file, refusing it if it cannot be imported, stores it
// and opens a job with the mapping guessed from its headings.
func (s *Service) Upload(ctx context.Context, a auth.Actor, targetName, name string, r io.ReaderAt, size int64) (Job, error) {
	t, err := s.target(a, targetName)
	if err != nil {
		return Job{}, err
	}
	if s.Files == nil {
		return Job{}, fileError(ErrNoStore)
	}
	table, err := Read(name, r, size)
	if err != nil {
		return Job{}, err
	}
	fields := s.fields(t)
	if err := table.Detect(fields); err != nil {
		return Job{}, err
	}
	sum, _, err := s.Files.Put(io.NewSectionReader(r, 0, size), MaxSize)
	if errors.Is(err, blob.ErrTooLarge) {
		return Job{}, fileError(ErrTooLarge)
	}
	if err != nil {
		return Job{}, fmt.Errorf("cannot store import file: %w", err)
	}
	s.remember(sum, t.Name(), &table)
	mapping := Guess(fields, table.Headings())
	mj, err := json.Marshal(mapping)
	if err != nil {
		return Job{}, fmt.Errorf("cannot encode mapping: %w", err)
	}
	now := s.Clock.Now()
	j := Job{Tenant: a.Tenant, UserID: a.UserID, Target: t.Name(), FileName: truncate(name, 200), FileSum: sum, Mapping: mapping,
		State: StateUploaded, Total: len(table.Data), Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO import_jobs (tenant_id, user_id, target, file_name, file_sum, mapping, state, total_rows, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id`,
			a.Tenant, a.UserID, j.Target, j.FileName, sum, string(mj), StateUploaded, j.Total, now).Scan(&j.ID); err != nil {
			return fmt.Errorf("cannot create import job: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: entity, EntityID: j.ID,
			Summary: j.FileName, After: map[string]any{"target": j.Target, "file_name": j.FileName, "file_sum": sum, "rows": j.Total, "mapping": mapping}})
	})
	if err != nil {
		return Job{}, err
	}
	return j, nil
}

// Job returns one of the actor's own import jobs. A job another person
// started is not found, even in the same institution.
func (s *Service) Job(ctx context.Context, a auth.Actor, id int64) (Job, error) {
	j, err := s.load(ctx, s.DB.R, a, id)
	if err != nil {
		return Job{}, err
	}
	if _, err := s.target(a, j.Target); err != nil {
		return Job{}, err
	}
	return s.live(j), nil
}

func (s *Service) load(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, a auth.Actor, id int64) (Job, error) {
	j, err := scanJob(q.QueryRowContext(ctx, `SELECT `+jobCols+` FROM import_jobs WHERE id = $1 AND tenant_id = $2 AND user_id = $3`, id, a.Tenant, a.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, apperr.NotFound("import_job")
	}
	if err != nil {
		return Job{}, fmt.Errorf("cannot read import job: %w", err)
	}
	return j, nil
}

// live overlays what this process knows of a running job: its progress,
// or, when it is not running here, that it was interrupted.
func (s *Service) live(j Job) Job {
	if j.State != StateRunning {
		return j
	}
	s.mu.Lock()
	p, ok := s.running[j.ID]
	if ok {
		j.Done, j.Total = p.done, p.total
	}
	s.mu.Unlock()
	if !ok && s.orphaned(j) {
		j.State, j.Error = StateFailed, ErrInterrupted
	}
	return j
}

// orphaned reports whether a job the database holds as running, and that
// this process is not running, has been abandoned. On SQLite only one
// process serves the database, so it has; on PostgreSQL another process
// may be running it, until its time is up.
func (s *Service) orphaned(j Job) bool {
	return s.DB.Engine == db.SQLite || s.Clock.Now().Sub(j.UpdatedAt) > s.runTimeout()
}

// List returns the actor's most recent import jobs.
func (s *Service) List(ctx context.Context, a auth.Actor, limit int) ([]Job, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+jobCols+` FROM import_jobs WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`, a.Tenant, a.UserID, limit)
	if err != nil {
		return nil, fmt.Errorf("cannot list import jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot list import jobs: %w", err)
		}
		out = append(out, s.live(j))
	}
	return out, rows.Err()
}

// remember keeps a read table for its file and target.
func (s *Service) remember(sum, target string, t *Table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.cache {
		if c.sum == sum && c.target == target {
			s.cache = append(s.cache[:i], s.cache[i+1:]...)
			break
		}
	}
	s.cache = append(s.cache, cached{sum: sum, target: target, table: t})
	if len(s.cache) > cacheSize {
		s.cache = s.cache[1:]
	}
}

// table reads the job's file and lays it out for its target; the result
// is shared and must not be changed.
func (s *Service) table(j Job, t Target) (*Table, error) {
	s.mu.Lock()
	for _, c := range s.cache {
		if c.sum == j.FileSum && c.target == t.Name() {
			s.mu.Unlock()
			return c.table, nil
		}
	}
	s.mu.Unlock()
	if s.Files == nil {
		return nil, fileError(ErrNoStore)
	}
	f, err := s.Files.Open(j.FileSum)
	if err != nil {
		return nil, fileError(ErrGone)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read import file: %w", err)
	}
	table, err := Read(j.FileName, f, info.Size())
	if err != nil {
		return nil, err
	}
	if err := table.Detect(s.fields(t)); err != nil {
		return nil, err
	}
	s.remember(j.FileSum, t.Name(), &table)
	return &table, nil
}

// SetMapping saves the columns the person chose. A mapping with problems
// (a required field without a column) is saved all the same, so that no
// choice is lost; the preview shows the problems and Run refuses it.
func (s *Service) SetMapping(ctx context.Context, a auth.Actor, id int64, m Mapping, version int) (Job, error) {
	j, err := s.Job(ctx, a, id)
	if err != nil {
		return Job{}, err
	}
	if j.State != StateUploaded && j.State != StateFailed {
		return Job{}, apperr.Conflict(ErrState)
	}
	t, err := s.target(a, j.Target)
	if err != nil {
		return Job{}, err
	}
	table, err := s.table(j, t)
	if err != nil {
		return Job{}, err
	}
	m = m.Clean(t.Fields(), len(table.Columns))
	mj, err := json.Marshal(m)
	if err != nil {
		return Job{}, fmt.Errorf("cannot encode mapping: %w", err)
	}
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE import_jobs SET mapping = $1, version = version + 1, updated_at = $2
			WHERE id = $3 AND tenant_id = $4 AND user_id = $5 AND version = $6 AND state IN ($7, $8)`,
			string(mj), now, id, a.Tenant, a.UserID, version, StateUploaded, StateFailed)
		if err != nil {
			return fmt.Errorf("cannot save mapping: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: entity, EntityID: id,
			Summary: j.FileName, Before: map[string]any{"mapping": j.Mapping}, After: map[string]any{"mapping": m}})
	})
	if err != nil {
		return Job{}, err
	}
	j.Mapping, j.Version, j.UpdatedAt = m, j.Version+1, now
	return j, nil
}

// Preview is a job's file checked row by row through its mapping.
type Preview struct {
	Job     Job
	Target  Target
	Fields  []Field
	Columns []Column
	// Header is the line numbers of the heading rows found; Numbering the
	// line of column numbers skipped (0 if none); Sheet the sheet's name.
	Header    []int
	Numbering int
	Sheet     string
	// MappingErrors are problems of the mapping by field key; while there
	// are any, the rows are not checked.
	MappingErrors apperr.Validation
	// Rows is how many data rows the file has; Valid and Invalid split the
	// checked ones.
	Rows, Valid, Invalid int
	// Checked holds every checked row, in file order.
	Checked []Checked
}

// OK reports whether the import may run.
func (p Preview) OK() bool {
	return len(p.MappingErrors) == 0 && p.Invalid == 0 && p.Valid > 0
}

// Preview reads the job's file through its mapping and checks every row,
// writing nothing.
func (s *Service) Preview(ctx context.Context, a auth.Actor, id int64) (Preview, error) {
	j, err := s.Job(ctx, a, id)
	if err != nil {
		return Preview{}, err
	}
	p, _, err := s.check(ctx, a, j)
	return p, err
}

func (s *Service) check(ctx context.Context, a auth.Actor, j Job) (Preview, []Row, error) {
	t, err := s.target(a, j.Target)
	if err != nil {
		return Preview{}, nil, err
	}
	table, err := s.table(j, t)
	if err != nil {
		return Preview{}, nil, err
	}
	p := Preview{Job: j, Target: t, Fields: t.Fields(), Columns: table.Columns, Header: table.Header, Numbering: table.Numbering, Sheet: table.Sheets[table.Sheet].Name}
	p.MappingErrors = j.Mapping.Check(p.Fields, len(table.Columns))
	rows := Apply(*table, j.Mapping)
	p.Rows = len(rows)
	if len(p.MappingErrors) > 0 {
		return p, rows, nil
	}
	checked, err := t.Check(ctx, a, rows)
	if err != nil {
		return Preview{}, nil, err
	}
	p.Checked = checked
	for _, c := range checked {
		if len(c.Errors) > 0 {
			p.Invalid++
		} else {
			p.Valid++
		}
	}
	return p, rows, nil
}

// Run checks the file once more and, when every row may be imported,
// starts the write apart from the request: the job is running until the
// target's Commit returns, then done or failed. Nothing is written when a
// row has a problem. version is the job's version the person previewed.
func (s *Service) Run(ctx context.Context, a auth.Actor, id int64, version int) (Job, error) {
	j, err := s.Job(ctx, a, id)
	if err != nil {
		return Job{}, err
	}
	if j.State != StateUploaded && j.State != StateFailed {
		return Job{}, apperr.Conflict(ErrState)
	}
	if j.Version != version {
		return Job{}, apperr.Stale()
	}
	p, rows, err := s.check(ctx, a, j)
	if err != nil {
		return Job{}, err
	}
	switch {
	case len(p.MappingErrors) > 0:
		return Job{}, fileError(ErrMapping)
	case p.Invalid > 0:
		return Job{}, fileError(ErrRows)
	case p.Valid == 0:
		return Job{}, fileError(ErrEmpty)
	}
	// In memory before the database says running, so that no one reading
	// the job in between takes it for an interrupted one.
	s.mu.Lock()
	if _, dup := s.running[id]; dup {
		s.mu.Unlock()
		return Job{}, apperr.Conflict(ErrState)
	}
	if s.running == nil {
		s.running = map[int64]*progress{}
	}
	s.running[id] = &progress{total: len(rows)}
	s.mu.Unlock()
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE import_jobs SET state = $1, total_rows = $2, done_rows = 0, created = 0, error = '', finished_at = NULL, version = version + 1, updated_at = $3
			WHERE id = $4 AND tenant_id = $5 AND user_id = $6 AND version = $7 AND state IN ($8, $9)`,
			StateRunning, len(rows), now, id, a.Tenant, a.UserID, version, StateUploaded, StateFailed)
		if err != nil {
			return fmt.Errorf("cannot start import: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: entity, EntityID: id,
			Summary: j.FileName, After: map[string]any{"action": "start", "from": j.State, "to": StateRunning, "rows": len(rows)}})
	})
	if err != nil {
		s.mu.Lock()
		delete(s.running, id)
		s.mu.Unlock()
		return Job{}, err
	}
	j.State, j.Total, j.Done, j.Created, j.Error, j.Version, j.UpdatedAt = StateRunning, len(rows), 0, 0, "", j.Version+1, now
	s.wg.Add(1)
	go s.commit(context.WithoutCancel(ctx), a, p.Target, j, rows)
	return j, nil
}

// commit writes the rows and records how it ended. It runs detached from
// the request that started it.
func (s *Service) commit(ctx context.Context, a auth.Actor, t Target, j Job, rows []Row) {
	defer s.wg.Done()
	ctx, cancel := context.WithTimeout(ctx, s.runTimeout())
	defer cancel()
	created, err := func() (n int, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("import panicked: %v", p)
			}
		}()
		return t.Commit(ctx, a, rows, func(done int) {
			s.mu.Lock()
			if p, ok := s.running[j.ID]; ok {
				p.done = min(done, p.total)
			}
			s.mu.Unlock()
		})
	}()
	state, key, done := StateDone, "", len(rows)
	if err != nil {
		state, key, done, created = StateFailed, errorKey(err), 0, 0
		if apperr.KindOf(err) == apperr.KindInternal {
			slog.Error("import failed", "job", j.ID, "target", t.Name(), "err", err)
		}
	}
	// The final state is written with a context of its own: the import's
	// may have run out.
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer fcancel()
	now := s.Clock.Now()
	action := "finish"
	if state == StateFailed {
		action = "fail"
	}
	werr := s.DB.Tx(fctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(fctx, `UPDATE import_jobs SET state = $1, done_rows = $2, created = $3, error = $4, finished_at = $5, updated_at = $5, version = version + 1
			WHERE id = $6 AND tenant_id = $7`, state, done, created, key, now, j.ID, j.Tenant); err != nil {
			return fmt.Errorf("cannot finish import job: %w", err)
		}
		return audit.Record(fctx, tx, now, audit.Event{Tenant: j.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: entity, EntityID: j.ID,
			Summary: j.FileName, After: map[string]any{"action": action, "from": StateRunning, "to": state, "created": created, "error": key}})
	})
	if werr != nil {
		slog.Error("cannot record the end of an import", "job", j.ID, "err", werr)
	}
	s.mu.Lock()
	delete(s.running, j.ID)
	s.mu.Unlock()
}

// errorKey is the message key of why an import failed.
func errorKey(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Key != "" {
		return ae.Key
	}
	if v, ok := apperr.AsValidation(err); ok {
		if len(v) == 1 {
			for _, k := range v {
				return k
			}
		}
		return ErrRows
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrInterrupted
	}
	return ErrFailed
}

// Progress returns how far the actor's job has got.
func (s *Service) Progress(ctx context.Context, a auth.Actor, id int64) (Progress, error) {
	j, err := s.Job(ctx, a, id)
	if err != nil {
		return Progress{}, err
	}
	return Progress{State: j.State, Done: j.Done, Total: j.Total, Created: j.Created}, nil
}

// Wait blocks until the imports this process is running have ended.
func (s *Service) Wait() { s.wg.Wait() }

// Recover marks as failed the jobs left running by a process that stopped
// mid-import (their write was rolled back with it). Call it at start-up:
// on SQLite every running job is such a job; on PostgreSQL, where other
// processes may be running imports, only those older than the run timeout.
// It returns how many jobs it marked.
func (s *Service) Recover(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	q := `SELECT ` + jobCols + ` FROM import_jobs WHERE state = $1`
	args := []any{StateRunning}
	if s.DB.Engine != db.SQLite {
		q += ` AND updated_at < $2`
		args = append(args, now.Add(-s.runTimeout()))
	}
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("cannot find interrupted imports: %w", err)
	}
	var jobs []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot find interrupted imports: %w", err)
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("cannot find interrupted imports: %w", err)
	}
	sort.Slice(jobs, func(i, k int) bool { return jobs[i].ID < jobs[k].ID })
	n := 0
	for _, j := range jobs {
		s.mu.Lock()
		_, mine := s.running[j.ID]
		s.mu.Unlock()
		if mine {
			continue
		}
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE import_jobs SET state = $1, error = $2, done_rows = 0, finished_at = $3, updated_at = $3, version = version + 1
				WHERE id = $4 AND tenant_id = $5 AND state = $6`, StateFailed, ErrInterrupted, now, j.ID, j.Tenant, StateRunning)
			if err != nil {
				return fmt.Errorf("cannot mark import interrupted: %w", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil
			}
			n++
			return audit.Record(ctx, tx, now, audit.Event{Tenant: j.Tenant, Actor: audit.Actor{Name: "cadran"}, Action: audit.ActionTransition, Entity: entity, EntityID: j.ID,
				Summary: j.FileName, After: map[string]any{"action": "fail", "from": StateRunning, "to": StateFailed, "error": ErrInterrupted}})
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Template writes the target's template workbook into a buffer, so that a
// failure sends an error and not half a file.
func (s *Service) Template(a auth.Actor, targetName string) (*bytes.Buffer, Target, error) {
	t, err := s.target(a, targetName)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if err := t.Template(&buf); err != nil {
		return nil, nil, fmt.Errorf("cannot write import template: %w", err)
	}
	return &buf, t, nil
}
