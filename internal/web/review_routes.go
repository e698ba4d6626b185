package web

import "cadran/internal/reviews"

func (s *Server) initReviews() error {
	s.reviews = &reviews.Service{DB: s.db, Clock: s.clock, Work: s.work}
	return nil
}

// reviewRoutes are the pages of management reviews.
func (s *Server) reviewRoutes() []route {
	return nil
}
