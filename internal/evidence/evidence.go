// Package evidence is the contract between the modules that hold records
// (audits, reviews, documents, registers) and the views that read across
// them: the ISO 9001 compliance matrix reads clause evidence, and the
// management review compiles its inputs from facts each module states about
// a period. The package holds only types, so every module can depend on it
// without depending on the others.
package evidence

import (
	"context"
	"time"
)

// Kinds of evidence, as the compliance matrix groups them.
const (
	KindDocument  = "document"  // a document in force linked to the clause
	KindRegister  = "register"  // a risk, a nonconformity, a proposal
	KindIndicator = "indicator" // a KPI (issue 7)
	KindAudit     = "audit"     // an internal audit that covered the clause
	KindExternal  = "external"  // a certification body's audit
	KindReview    = "review"    // a management review
	KindManual    = "manual"    // a note or reference recorded by hand
)

// Audit results of a clause, from best to worst. The matrix shows the worst
// result of the latest audit that covered the clause.
const (
	ResultConform     = "conform"
	ResultOpportunity = "opportunity" // opportunity for improvement
	ResultObservation = "observation"
	ResultMinor       = "minor" // minor nonconformity
	ResultMajor       = "major" // major nonconformity
)

// Results lists the audit results from best to worst.
var Results = []string{ResultConform, ResultOpportunity, ResultObservation, ResultMinor, ResultMajor}

// Item is one piece of evidence for an ISO 9001 clause.
type Item struct {
	Clause string    // clause code, "9.2"; sub-clauses count for their parent too
	Kind   string    // one of the Kind constants
	Entity string    // the audit trail's entity name: "document", "audit", ...
	ID     int64     // the record's id
	Code   string    // the record's code, "AI-2026-03"
	Title  string    // what the record is, in the institution's words
	Href   string    // the record's page, "/audits/12"
	Date   time.Time // when the evidence was produced (audit date, approval)
	// Result is set for audits: one of the Result constants.
	Result string
	// Open marks evidence that is not settled yet (an audit under way, an
	// open nonconformity).
	Open bool
}

// Source gives the clause evidence a module holds for one institution.
type Source interface {
	ClauseEvidence(ctx context.Context, tenant int64) ([]Item, error)
}

// Period is the span a management review looks back on: From inclusive,
// To exclusive, both dates at midnight in Europe/Bucharest.
type Period struct {
	From, To time.Time
}

// Management review inputs (ISO 9001:2015, 9.3.2), in the order the minutes
// list them.
const (
	InputPreviousActions = "previous_actions" // a) status of actions from previous reviews
	InputContext         = "context"          // b) changes in external and internal issues
	InputSatisfaction    = "satisfaction"     // c1) customer satisfaction and feedback
	InputObjectives      = "objectives"       // c2) extent to which quality objectives were met
	InputProcesses       = "processes"        // c3) process performance and conformity of services
	InputNonconformities = "nonconformities"  // c4) nonconformities and corrective actions
	InputMonitoring      = "monitoring"       // c5) monitoring and measurement results
	InputAudits          = "audits"           // c6) audit results
	InputProviders       = "providers"        // c7) performance of external providers
	InputResources       = "resources"        // d) adequacy of resources
	InputRisks           = "risks"            // e) effectiveness of actions on risks and opportunities
	InputImprovement     = "improvement"      // f) opportunities for improvement
)

// Inputs lists the review inputs in order.
var Inputs = []string{InputPreviousActions, InputContext, InputSatisfaction, InputObjectives, InputProcesses,
	InputNonconformities, InputMonitoring, InputAudits, InputProviders, InputResources, InputRisks, InputImprovement}

// Fact is one line of a review input compiled from live data: "12 internal
// audits held, 3 minor nonconformities". The text is a message key and its
// arguments, so the minutes come out in the reader's language.
type Fact struct {
	Input string         // one of the Input constants
	Key   string         // message key, "audits.fact.held"
	Args  map[string]any // the key's arguments
	Href  string         // where the figures come from, optional
	// Warn marks a fact that needs management's attention (overdue, red).
	Warn bool
}

// InputSource states facts about a period for the management review.
type InputSource interface {
	ReviewFacts(ctx context.Context, tenant int64, p Period) ([]Fact, error)
}

// Metric is a figure a module computes for an institution over a span of
// time, which a scorecard KPI may be fed by instead of values people enter
// (share of documents acknowledged, overdue corrective actions).
type Metric struct {
	Key      string // "documents.ack_rate"; stored with the KPI
	Label    string // message key of its name
	Unit     string // "%", "nr.", "zile"
	Polarity string // higher, lower: which way is good, for a KPI made from it
	// Name, when set, is shown instead of Label's message: the metric of
	// one of the institution's own records (TenantMetricSource).
	Name string
}

// MetricSource is a module that computes metrics. Measure returns the
// metric's value over [from, to) (to is the day after the period's last),
// ok false when there is nothing to measure (no documents distributed).
type MetricSource interface {
	Metrics() []Metric
	Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (value float64, ok bool, err error)
}

// TenantMetricSource is a MetricSource that also offers metrics made of an
// institution's own records, one per public service for example. Their
// keys are a metric's key, a slash and the record's code
// ("citizen.on_time/URB-CU"); Measure gets the whole key. Name is then the
// metric's name in the institution's words, shown instead of Label.
type TenantMetricSource interface {
	MetricSource
	TenantMetrics(ctx context.Context, tenant int64) ([]Metric, error)
}

// Certificate is a certificate a person holds, as the training records
// keep it: what the audit register shows of an internal auditor's
// competence.
type Certificate struct {
	ID        int64
	PersonID  int64
	Name      string
	Number    string
	Issuer    string
	Hours     int
	IssuedOn  string // YYYY-MM-DD
	ExpiresOn string // YYYY-MM-DD, "" no expiry
	Href      string // the certificate's page, "/training/certificates/7"
}

// CertificateSource gives the certificates in force or expired (not
// revoked) that people hold, by person.
type CertificateSource interface {
	PersonCertificates(ctx context.Context, tenant int64, people []int64) (map[int64][]Certificate, error)
}
