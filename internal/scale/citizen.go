package scale

import "context"

// Not written yet.
func (g *gen) citizen(ctx context.Context) error  { return nil }
func (g *gen) training(ctx context.Context) error { return nil }
