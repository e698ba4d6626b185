package web

import "cadran/internal/control"

func (s *Server) initControl() error {
	s.control = &control.Service{DB: s.db, Clock: s.clock, Work: s.work}
	return nil
}

// controlRoutes are the pages of internal managerial control, in three
// parts, each listed in its own file: the yearly self-evaluation, its
// summary, the yearly report and the settings (control_eval_routes.go);
// the development programme, the monitoring commission and the risk
// management team (control_prog_routes.go); sensitive functions and
// procedure coverage (control_sens_routes.go).
func (s *Server) controlRoutes() []route {
	var rs []route
	rs = append(rs, s.controlEvalRoutes()...)
	rs = append(rs, s.controlProgRoutes()...)
	rs = append(rs, s.controlSensRoutes()...)
	return rs
}
