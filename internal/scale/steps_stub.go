package scale

import "context"

// Steps not written yet; each lives in its own file when it is.
func (g *gen) documents(ctx context.Context) error { return nil }
func (g *gen) registers(ctx context.Context) error { return nil }
func (g *gen) audits(ctx context.Context) error    { return nil }
func (g *gen) scorecard(ctx context.Context) error { return nil }
func (g *gen) caf(ctx context.Context) error       { return nil }
func (g *gen) control(ctx context.Context) error   { return nil }
func (g *gen) citizen(ctx context.Context) error   { return nil }
func (g *gen) training(ctx context.Context) error  { return nil }
