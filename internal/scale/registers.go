package scale

import "context"

// Not written yet.
func (g *gen) registers(ctx context.Context) error { return nil }
func (g *gen) audits(ctx context.Context) error    { return nil }
