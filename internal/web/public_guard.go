package web

import (
	"net"
	"sync"
	"time"

	"cadran/internal/clock"
)

// The abuse defences of the public pages: per-address limits on filing,
// on failed status lookups and on ratings.
//
// The limiters live in this process's memory. Several `cadran serve`
// processes behind a load balancer each keep their own, so an address may
// get up to N times the limit across N processes; for these limits (a
// handful of filings, lookups and ratings per address) that is acceptable,
// and it keeps the public pages free of a shared store.
const (
	publicMaxBody = 64 << 10 // bytes of a public form's body
)

// publicGuard holds one server's limiters.
type publicGuard struct {
	// fileShort and fileDay bound filings: 5 per 10 minutes and 20 per day.
	fileShort, fileDay *limiter
	// statusFail bounds failed status lookups (a wrong number or code): 10
	// per 15 minutes; once spent, every lookup from the address is refused
	// until a token returns, so the limit cannot be probed around.
	// Successful lookups never spend a token.
	statusFail *limiter
	// rate bounds ratings: 10 per hour.
	rate *limiter
}

func newPublicGuard(c clock.Clock) *publicGuard {
	return &publicGuard{
		fileShort:  newLimiter(c, 5, 10*time.Minute),
		fileDay:    newLimiter(c, 20, 24*time.Hour),
		statusFail: newLimiter(c, 10, 15*time.Minute),
		rate:       newLimiter(c, 10, time.Hour),
	}
}

// publicGuard is the server's guard, made with the citizen module.
func (s *Server) publicGuard() *publicGuard { return s.guard }

// limiterKey is the address a limit counts against: the client address as
// sign-in throttling sees it (clientIP), an IPv6 address by its /64, since
// one subscriber usually holds a whole /64.
func limiterKey(ip string) string {
	if a := net.ParseIP(ip); a != nil && a.To4() == nil {
		return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip
}

// limiter is a token bucket per key: burst tokens, refilled evenly over
// period. Buckets that have refilled completely are forgotten, so memory
// holds only the addresses active within one period.
type limiter struct {
	mu        sync.Mutex
	clock     clock.Clock
	burst     float64
	perSecond float64
	period    time.Duration
	buckets   map[string]*bucket
	swept     time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(c clock.Clock, burst int, period time.Duration) *limiter {
	return &limiter{clock: c, burst: float64(burst), perSecond: float64(burst) / period.Seconds(), period: period, buckets: map[string]*bucket{}}
}

// refilled is key's bucket brought up to now; the caller holds mu.
func (l *limiter) refilled(key string) *bucket {
	now := l.clock.Now()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.at) >= l.period {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
		return b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.perSecond)
		b.at = now
	}
	return b
}

// Allow spends one of key's tokens, and reports false (spending nothing)
// when none is left.
func (l *limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refilled(key)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Blocked reports whether key has no token left, without spending one.
func (l *limiter) Blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refilled(key).tokens < 1
}

// Spend takes one token of key, if any is left.
func (l *limiter) Spend(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.refilled(key); b.tokens >= 1 {
		b.tokens--
	}
}

// Refund gives back a token spent on a request that did not count (a form
// sent back for correction).
func (l *limiter) Refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refilled(key)
	b.tokens = min(l.burst, b.tokens+1)
}

// Wait is how long until key has a token again (zero when it has one).
func (l *limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refilled(key)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / l.perSecond * float64(time.Second))
}
