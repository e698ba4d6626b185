package control

import (
	"context"
	"time"

	"cadran/internal/auth"
)

// Settings are an institution's choices (DOMAIN.md defaults).
type Settings struct {
	ConformMin         int    // 16
	PartialMin         int    // 13
	ReportDue          string // "02-20": MM-DD of the following year
	AnswerDays         int    // 30
	RotationYears      int    // 5
	RotationNoticeDays int    // 90
	UpdatedAt          time.Time
	Version            int // 0: never saved, the defaults
}

// DefaultSettings are the settings of an institution that saved none.
func DefaultSettings() Settings {
	return Settings{ConformMin: 16, PartialMin: 13, ReportDue: "02-20", AnswerDays: 30, RotationYears: 5, RotationNoticeDays: 90}
}

// Settings returns the institution's settings.
func (s *Service) Settings(ctx context.Context, a auth.Actor) (Settings, error) {
	return Settings{}, errNotImplemented
}

// SaveSettings changes the settings.
func (s *Service) SaveSettings(ctx context.Context, a auth.Actor, in Settings) (Settings, error) {
	return Settings{}, errNotImplemented
}
