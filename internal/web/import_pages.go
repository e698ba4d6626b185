package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/importer"
)

// What a preview page lists: a 10,000-row file with problems on every row
// still makes a light page.
const (
	importShownErrors = 200
	importShownValid  = 20
)

// importField is a field of the mapping form.
type importField struct {
	importer.Field
	// Column is the index of the file's column chosen, -1 for none.
	Column int
	// Error is the message key of a problem with the choice.
	Error string
}

type importNewData struct {
	// Target is nil when none was named: the page then lists Choices, the
	// registers the person may import into.
	Target    importer.Target
	Choices   []importer.Target
	Fields    []importer.Field
	FileError string
}

type importShowData struct {
	Job     importer.Job
	Target  importer.Target
	Preview importer.Preview
	Fields  []importField
	// Previewed is set when the rows were read and checked (not while the
	// import runs or once it is done).
	Previewed bool
	// Problems are the translated row errors, "line N: field: message",
	// capped; HiddenProblems how many rows with problems are not listed.
	Problems       []string
	HiddenProblems int
	// Sample is the first valid rows, as the target shows them.
	Sample [][]string
	Heads  []string
}

type importListData struct {
	Jobs    []importer.Job
	Targets map[string]importer.Target
}

// importList shows the person's recent imports.
func (s *Server) importList(w http.ResponseWriter, r *http.Request) error {
	jobs, err := s.imports.List(r.Context(), actorOf(r), 30)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "import_list", s.page(r, "importer.list_title", &importListData{Jobs: jobs, Targets: s.importTargets}))
}

// importNew is the upload form of a target: the file, its template and
// the fields it accepts.
func (s *Server) importNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	name := r.URL.Query().Get("target")
	if name == "" {
		d := &importNewData{}
		for _, t := range s.importTargets {
			if a.Can(t.Permission()) {
				d.Choices = append(d.Choices, t)
			}
		}
		sort.Slice(d.Choices, func(i, j int) bool { return d.Choices[i].Name() < d.Choices[j].Name() })
		return s.render(w, http.StatusOK, "import_new", s.page(r, "importer.choose_title", d))
	}
	t, err := s.imports.Target(a, name)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "import_new", s.page(r, t.Title(), &importNewData{Target: t, Fields: t.Fields()}))
}

// importUpload stores the file and opens its job; a file that cannot be
// imported comes back to the form with the reason.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, importer.MaxSize+1<<20)
	perr := r.ParseMultipartForm(8 << 20)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	name := r.FormValue("target")
	if name == "" {
		name = r.URL.Query().Get("target")
	}
	t, err := s.imports.Target(a, name)
	if err != nil {
		return err
	}
	fail := func(key string) error {
		p := s.page(r, t.Title(), &importNewData{Target: t, Fields: t.Fields(), FileError: key})
		p.Error = p.T(key)
		return s.render(w, http.StatusUnprocessableEntity, "import_new", p)
	}
	var tooBig *http.MaxBytesError
	if errors.As(perr, &tooBig) {
		return fail(importer.ErrTooLarge)
	}
	if perr != nil {
		return fail("importer.error.no_file")
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return fail("importer.error.no_file")
	}
	defer file.Close()
	j, err := s.imports.Upload(r.Context(), a, name, header.Filename, file, header.Size)
	if v, ok := apperr.AsValidation(err); ok && v["file"] != "" {
		return fail(v["file"])
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/imports/"+strconv.FormatInt(j.ID, 10))
}

// importTemplate sends the target's template workbook.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	buf, t, err := s.imports.Template(actorOf(r), r.PathValue("target"))
	if err != nil {
		return err
	}
	return sendFile(w, localizer(r).T("importer.template_file", map[string]any{"Target": t.Name()}), "xlsx", func(w io.Writer) error {
		_, err := buf.WriteTo(w)
		return err
	})
}

// importShow is the job's page: the mapping and the checked preview, the
// progress while it runs, the result once it ended.
func (s *Server) importShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.importData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, d.Target.Title(), d)
	if d.Job.State == importer.StateFailed {
		p.Error = p.T("importer.failed", map[string]any{"Reason": p.T(d.Job.Error)})
	} else if d.Previewed && len(d.Preview.MappingErrors) > 0 {
		p.Error = p.T(importer.ErrMapping)
	}
	return s.render(w, http.StatusOK, "import_show", p)
}

// importData loads the job and, unless it runs or is done, its preview.
func (s *Server) importData(r *http.Request, id int64) (*importShowData, error) {
	a := actorOf(r)
	j, err := s.imports.Job(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	t, err := s.imports.Target(a, j.Target)
	if err != nil {
		return nil, err
	}
	d := &importShowData{Job: j, Target: t, Heads: t.Preview()}
	if j.State == importer.StateRunning || j.State == importer.StateDone {
		return d, nil
	}
	pv, err := s.imports.Preview(r.Context(), a, id)
	if v, ok := apperr.AsValidation(err); ok && v["file"] != "" {
		// The stored file cannot be read any more: say so on the page.
		d.Job.State, d.Job.Error = importer.StateFailed, v["file"]
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	d.Job = pv.Job
	d.Preview, d.Previewed = pv, true
	l := localizer(r)
	labels := map[string]string{}
	for _, f := range pv.Fields {
		c, ok := pv.Job.Mapping[f.Key]
		if !ok {
			c = -1
		}
		d.Fields = append(d.Fields, importField{Field: f, Column: c, Error: pv.MappingErrors[f.Key]})
		labels[f.Key] = l.T(f.Label)
	}
	for _, c := range pv.Checked {
		if len(c.Errors) == 0 {
			if len(d.Sample) < importShownValid {
				d.Sample = append(d.Sample, c.Cells)
			}
			continue
		}
		if len(d.Problems) >= importShownErrors {
			d.HiddenProblems++
			continue
		}
		keys := make([]string, 0, len(c.Errors))
		for k := range c.Errors {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return fieldOrder(pv.Fields, keys[i]) < fieldOrder(pv.Fields, keys[j]) })
		for _, k := range keys {
			field, ok := labels[k]
			if !ok {
				field = k
			}
			d.Problems = append(d.Problems, l.T("importer.row_error", map[string]any{"Line": c.Line, "Field": field, "Message": l.T(c.Errors[k])}))
		}
	}
	return d, nil
}

func fieldOrder(fields []importer.Field, key string) int {
	for i, f := range fields {
		if f.Key == key {
			return i
		}
	}
	return len(fields)
}

// importMapping saves the columns chosen for the fields.
func (s *Server) importMapping(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	j, err := s.imports.Job(r.Context(), a, id)
	if err != nil {
		return err
	}
	t, err := s.imports.Target(a, j.Target)
	if err != nil {
		return err
	}
	m := importer.Mapping{}
	for _, f := range t.Fields() {
		if c, err := strconv.Atoi(r.FormValue("col_" + f.Key)); err == nil && c >= 0 {
			m[f.Key] = c
		}
	}
	if _, err := s.imports.SetMapping(r.Context(), a, id, m, formVersion(r)); err != nil {
		return s.importRefused(w, r, id, err)
	}
	s.flash(r, "importer.flash.mapping")
	return redirect(w, r, "/imports/"+strconv.FormatInt(id, 10))
}

// importRun starts the import of every row; rows with problems (found
// again now) or a stale page refuse it and show why.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.imports.Run(r.Context(), actorOf(r), id, formVersion(r)); err != nil {
		return s.importRefused(w, r, id, err)
	}
	return redirect(w, r, "/imports/"+strconv.FormatInt(id, 10))
}

// importRefused shows the job's page again with why a change was refused;
// other errors (not found, not allowed, internal) go to the error page.
func (s *Server) importRefused(w http.ResponseWriter, r *http.Request, id int64, cause error) error {
	var key string
	status := http.StatusUnprocessableEntity
	var ae *apperr.Error
	if v, ok := apperr.AsValidation(cause); ok && v["file"] != "" {
		key = v["file"]
	} else if errors.As(cause, &ae) && ae.Kind == apperr.KindConflict {
		key, status = ae.Key, http.StatusConflict
	} else {
		return cause
	}
	d, err := s.importData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, d.Target.Title(), d)
	p.Error = p.T(key)
	return s.render(w, status, "import_show", p)
}

// importProgress answers the progress bar's script: state, rows written,
// rows in all and records created, as JSON.
func (s *Server) importProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := s.imports.Progress(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(pr)
}
