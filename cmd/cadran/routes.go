package main

import (
	"context"
	"errors"
)

// routes lists the server's routes; written with cmd/pagebench.
func (a *app) routes(ctx context.Context, args []string) error {
	return errors.New("not written yet")
}
