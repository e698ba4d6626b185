package scale

import "context"

// Not written yet.
func (g *gen) documents(ctx context.Context) error { return nil }
