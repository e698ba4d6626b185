package compliance

import (
	"context"
	"sync"
)

// memoKey is the context key of a memo.
type memoKey struct{}

// memo holds the evidence of every clause read within one context, per
// tenant: a page that shows a clause and its crosswalk (which reads the
// whole matrix) reads the other modules' evidence once.
type memo struct {
	mu  sync.Mutex
	all map[int64]*gathered
}

// WithMemo returns a context in which the evidence of every clause is read
// once per tenant and shared by every call made with it. It is meant for
// one request that reads the matrix several times (a clause's page and its
// crosswalk); a context that outlives what it reads would show stale
// evidence, so never keep one beyond a request.
func WithMemo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(memoKey{}).(*memo); ok {
		return ctx
	}
	return context.WithValue(ctx, memoKey{}, &memo{all: map[int64]*gathered{}})
}

// gatherMemo reads the evidence of every clause, or takes it from the
// context's memo. What it returns is shared: callers must not change it.
func (s *Service) gatherMemo(ctx context.Context, q querier, tenant int64) (*gathered, error) {
	m, ok := ctx.Value(memoKey{}).(*memo)
	if !ok {
		return s.gatherCached(ctx, q, tenant)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if g, ok := m.all[tenant]; ok {
		return g, nil
	}
	g, err := s.gatherCached(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	m.all[tenant] = g
	return g, nil
}
