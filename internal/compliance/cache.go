package compliance

import (
	"context"
	"sync"
	"time"

	"cadran/internal/audit"
)

// EvidenceCache keeps the evidence of every clause of the institutions
// read lately, across requests. Gathering it reads every module (about 30
// ms for the largest municipality), and the matrix, the readiness, the
// crosswalk and every clause's page need all of it. An entry is valid
// while the institution's audit trail has not moved and the day is the
// same: every change to a record writes an audit event, and the evidence
// depends on nothing else but the date. Several processes sharing a
// database each keep their own cache; the head they read is shared, so
// none serves evidence older than the last change it can see. The zero
// value is ready to use.
type EvidenceCache struct {
	mu      sync.Mutex
	entries map[int64]cachedEvidence
}

// cacheTenants bounds the institutions kept.
const cacheTenants = 256

type cachedEvidence struct {
	head int64
	day  time.Time
	g    *gathered
}

// gatherCached reads the evidence of every clause, or takes it from the
// service's cache when it has one and q is the read pool (inside a
// transaction the caller may see its own changes, which the head does
// not yet count for others).
func (s *Service) gatherCached(ctx context.Context, q querier, tenant int64) (*gathered, error) {
	c := s.Cache
	if c == nil || q != querier(s.DB.R) {
		return s.gatherAll(ctx, q, tenant)
	}
	// The head is read before the evidence: a change made meanwhile
	// moves it past what is stored, so the entry is read again next time.
	head, err := audit.Head(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	day := s.today()
	c.mu.Lock()
	e, ok := c.entries[tenant]
	c.mu.Unlock()
	if ok && e.head == head && e.day.Equal(day) {
		return e.g, nil
	}
	g, err := s.gatherAll(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[int64]cachedEvidence{}
	}
	if _, ok := c.entries[tenant]; !ok && len(c.entries) >= cacheTenants {
		for t := range c.entries { // any one: the map's order is random
			delete(c.entries, t)
			break
		}
	}
	if old, ok := c.entries[tenant]; !ok || old.head <= head {
		c.entries[tenant] = cachedEvidence{head: head, day: day, g: g}
	}
	return g, nil
}
