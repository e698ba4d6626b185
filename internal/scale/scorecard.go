package scale

import "context"

// Not written yet.
func (g *gen) scorecard(ctx context.Context) error { return nil }
func (g *gen) caf(ctx context.Context) error       { return nil }
func (g *gen) control(ctx context.Context) error   { return nil }
