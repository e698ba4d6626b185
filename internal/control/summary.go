package control

import (
	"context"

	"cadran/internal/auth"
	"cadran/internal/frameworks"
)

// StandardSummary is one row of the summary (situația sintetică).
type StandardSummary struct {
	Standard frameworks.OSGGStandard
	Tally    Tally
	Status   string // Tally.Status()
	Measures string
	Version  int // of the measures
}

// ComponentSummary groups the rows of a component.
type ComponentSummary struct {
	Component frameworks.OSGGComponent
	Standards []StandardSummary
}

// Summary is the institution's summary of an evaluation: per standard the
// compartments where it applies and how many rated it I, PI and NI, the
// standard's status, and the system's grade.
type Summary struct {
	Evaluation Evaluation
	Settings   Settings
	Components []ComponentSummary
	// Units taking part, and those that submitted.
	Units, Submitted int
	// Standards implemented, partially and not implemented (or unrated).
	Implemented, Partial, NotImplemented int
	Grade                                string
}

// Summary computes an evaluation's summary from its answers.
func (s *Service) Summary(ctx context.Context, a auth.Actor, evalID int64) (Summary, error) {
	return Summary{}, errNotImplemented
}

// SaveMeasures records the measures to adopt for a standard.
func (s *Service) SaveMeasures(ctx context.Context, a auth.Actor, evalID int64, standard int, measures string, version int) error {
	return errNotImplemented
}
