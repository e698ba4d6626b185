package web

import (
	"context"
	"log/slog"

	"cadran/internal/importer"
)

// initImports wires the import jobs' service. It runs after the modules'
// init funcs, so every target is registered; jobs a stopped process left
// running are marked failed (their write was rolled back with it).
func (s *Server) initImports() error {
	s.imports = &importer.Service{DB: s.db, Clock: s.clock, Files: s.docs.Files, Targets: s.importTargets, Labels: s.importLabels}
	n, err := s.imports.Recover(context.Background())
	if err != nil {
		return err
	}
	if n > 0 {
		slog.Warn("imports interrupted by a stop were marked failed", "count", n)
	}
	return nil
}

// importLabels gives a field label's text in every language, so that a
// heading written as the label is recognised.
func (s *Server) importLabels(key string) []string {
	if key == "" {
		return nil
	}
	var out []string
	for _, lang := range []string{"ro", "en"} {
		if l := s.i18n.Localizer(lang); l.Has(key) {
			out = append(out, l.T(key))
		}
	}
	return out
}

// importRoutes are the shared pages of a register import: upload, column
// mapping and preview, progress, result.
func (s *Server) importRoutes() []route {
	return []route{
		{"GET", "/imports", false, s.importList},
		{"GET", "/imports/new", false, s.importNew},
		{"POST", "/imports", false, s.importUpload},
		{"GET", "/imports/{target}/template.xlsx", false, s.importTemplate},
		{"GET", "/imports/{id}", false, s.importShow},
		{"POST", "/imports/{id}/mapping", false, s.importMapping},
		{"POST", "/imports/{id}/run", false, s.importRun},
		{"GET", "/imports/{id}/progress", false, s.importProgress},
	}
}
