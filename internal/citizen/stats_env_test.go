package citizen_test

import (
	"fmt"
	"math"
	"testing"

	"cadran/internal/citizen"
)

// stRow is a case written straight into the registry for the indicators'
// and reports' worked examples (the registry's own API is tested in the
// case tests): days and on time are derived from the dates when closed.
type stRow struct {
	tenant      int64 // 0: A
	kind        string
	service     int64
	unit        int64
	channel     string // "" counter
	topic       string // "" other
	state       string // "" assigned (or answered when closed)
	answer      string
	reg, due    string
	closed      string
	late        bool // on time false when closed (default: on time)
	extended    bool
	complex     bool
	complaint   string
	noTimeFacts bool // leave days_taken and on_time NULL (a filed case)
}

var stSeq = map[int64]int{}

func (e *env) stCase(t *testing.T, r stRow) {
	t.Helper()
	if r.tenant == 0 {
		r.tenant = e.tenantA
	}
	if r.channel == "" {
		r.channel = "counter"
	}
	if r.topic == "" {
		r.topic = "other"
	}
	if r.state == "" {
		r.state = "assigned"
		if r.closed != "" {
			r.state = "answered"
		}
	}
	var days, onTime any
	if r.closed != "" && !r.noTimeFacts {
		days = int(date(r.closed).Sub(date(r.reg)).Hours() / 24)
		onTime = !r.late
	}
	stSeq[r.tenant]++
	seq := stSeq[r.tenant]
	var service, unit any
	if r.service != 0 {
		service = r.service
	}
	if r.unit != 0 {
		unit = r.unit
	}
	ext := 0
	if r.extended {
		ext = 15
	}
	year := date(r.reg).Year()
	if _, err := e.d.W.ExecContext(t.Context(), `INSERT INTO citizen_cases (tenant_id, kind, year, seq, number, registered_on, registered_at, channel, subject, topic,
			service_id, unit_id, complex, state, due_on, base_due_on, extension_days, answer_kind, closed_on, days_taken, on_time, complaint, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Cerere', $9, $10, $11, $12, $13, $14, $14, $15, $16, $17, $18, $19, $20, $7, $7)`,
		r.tenant, r.kind, year, seq, fmt.Sprintf("%d/%d", seq, year), r.reg, date(r.reg).Add(8*3600e9), r.channel, r.topic,
		service, unit, r.complex, r.state, r.due, ext, r.answer, r.closed, days, onTime, r.complaint); err != nil {
		t.Fatal(err)
	}
	// Written past the service: the indicators' summary is rebuilt.
	if err := citizen.RebuildStats(t.Context(), e.d, r.tenant); err != nil {
		t.Fatal(err)
	}
}

// stRating writes a rating straight into the feedback table.
func (e *env) stRating(t *testing.T, tenant, service int64, kind, channel string, rating int, given string) {
	t.Helper()
	var s any
	if service != 0 {
		s = service
	}
	if _, err := e.d.W.ExecContext(t.Context(), `INSERT INTO citizen_feedback (tenant_id, service_id, kind, channel, rating, given_on, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, tenant, s, kind, channel, rating, given, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if err := citizen.RebuildStats(t.Context(), e.d, tenant); err != nil {
		t.Fatal(err)
	}
}

func stNear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
