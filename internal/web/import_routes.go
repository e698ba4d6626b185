package web

// initImports wires the import jobs' service.
func (s *Server) initImports() error {
	return nil
}

// importRoutes are the shared pages of a register import: upload, column
// mapping and preview, progress, result.
func (s *Server) importRoutes() []route {
	return nil
}
