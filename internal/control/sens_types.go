package control

import (
	"strconv"
	"time"
)

// States of a sensitive function.
const (
	FunctionActive  = "active"
	FunctionRetired = "retired"
)

// FunctionStates lists the states of a sensitive function.
var FunctionStates = []string{FunctionActive, FunctionRetired}

// MeasureStates lists the states of a sensitive-function measure.
var MeasureStates = []string{MeasurePlanned, MeasureDone, MeasureCancelled}

// MeasureRotation is the kind of measure that moves the holder to another
// post.
const MeasureRotation = "rotation"

// Limits of the sensitive-function and activity forms.
const (
	SensMaxTitle = 300
	SensMaxText  = 5000
	SensMaxYears = 40
)

// Field names of the sensitive-function forms (also the keys of their
// validation errors).
const (
	FieldSensUnit        = "sens_unit"
	FieldSensTitle       = "sens_title"
	FieldSensFactors     = "sens_factors"
	FieldSensDescription = "sens_description"
	FieldSensRotation    = "sens_rotation"
	FieldSensMaxYears    = "sens_max_years"
	FieldSensState       = "sens_state"

	FieldHolderPerson = "holder_person"
	FieldHolderSince  = "holder_since"
	FieldHolderUntil  = "holder_until"

	FieldMeasureHolder      = "measure_holder"
	FieldMeasureKind        = "measure_kind"
	FieldMeasureDescription = "measure_description"
	FieldMeasureOwner       = "measure_owner"
	FieldMeasureDue         = "measure_due"
	FieldMeasureState       = "measure_state"
	FieldMeasureDone        = "measure_done"
)

// SensitiveFunction is a post in the inventory of sensitive functions.
type SensitiveFunction struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	UnitID      int64     `json:"unit_id"`
	Title       string    `json:"title"`
	Factors     []string  `json:"factors"`
	Description string    `json:"description,omitempty"`
	Rotation    bool      `json:"rotation"`
	MaxYears    int       `json:"max_years"`
	State       string    `json:"state"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	UnitName string `json:"-"`
	// Holders counts the people in the function now, Overdue those of them
	// overdue for rotation; Measures counts the planned and done measures.
	Holders, Overdue, Measures int `json:"-"`
}

// Href is the function's page.
func (f SensitiveFunction) Href() string {
	return "/control/sensitive/" + strconv.FormatInt(f.ID, 10)
}

// Gap reports an active function without any measure (planned or done)
// reducing its risk: shown as "no measure yet".
func (f SensitiveFunction) Gap() bool { return f.State == FunctionActive && f.Measures == 0 }

// SensitiveInput creates or changes a sensitive function. MaxYears 0
// takes the institution's setting.
type SensitiveInput struct {
	UnitID      int64
	Title       string
	Factors     []string
	Description string
	Rotation    bool
	MaxYears    int
	State       string // empty: active
	Version     int
}

// SensitiveFilter narrows the inventory list.
type SensitiveFilter struct {
	Query   string
	UnitID  int64
	Factor  string
	State   string
	Overdue bool   // only functions with someone overdue for rotation
	Sort    string // title, unit, holders, state, updated
	Desc    bool
	Page    int // from 1
	PerPage int // 0: 50
}

// SensitiveSorts lists the inventory list's sort keys.
var SensitiveSorts = []string{"title", "unit", "holders", "state", "updated"}

// SensitivePage is one page of the inventory.
type SensitivePage struct {
	Items []SensitiveFunction
	Total int
}

// Holder is a person in a sensitive function.
type Holder struct {
	ID         int64     `json:"id"`
	FunctionID int64     `json:"function_id"`
	PersonID   int64     `json:"person_id"`
	SinceOn    string    `json:"since_on"`
	UntilOn    string    `json:"until_on,omitempty"`
	CreatedAt  time.Time `json:"-"`
	UpdatedAt  time.Time `json:"-"`
	Version    int       `json:"version"`

	// Filled in by reads.
	Name, JobTitle string `json:"-"`
	// RotationOn is since + the function's max years ("" when rotation is
	// impossible); Overdue: still in a rotatable function past it; Notice:
	// within the notice days before it.
	RotationOn string `json:"-"`
	Overdue    bool   `json:"-"`
	Notice     bool   `json:"-"`
	// Years is how long the person has been in the function, whole years.
	Years int `json:"-"`
}

// Current reports whether the person is still in the function.
func (h Holder) Current() bool { return h.UntilOn == "" }

// HolderInput adds a person to a function.
type HolderInput struct {
	PersonID int64
	SinceOn  string // YYYY-MM-DD
}

// HolderEnd records the day a person left the function.
type HolderEnd struct {
	UntilOn string // YYYY-MM-DD
	Version int
}

// SensitiveMeasure is a measure reducing a function's risk.
type SensitiveMeasure struct {
	ID          int64     `json:"id"`
	FunctionID  int64     `json:"function_id"`
	HolderID    int64     `json:"holder_id,omitempty"`
	Kind        string    `json:"kind"`
	Description string    `json:"description,omitempty"`
	OwnerID     int64     `json:"owner_id,omitempty"`
	DueOn       string    `json:"due_on,omitempty"`
	State       string    `json:"state"`
	DoneOn      string    `json:"done_on,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	HolderName, OwnerName string `json:"-"`
	// FunctionTitle and UnitName name the measure's function (the plan).
	FunctionTitle, UnitName string `json:"-"`
	Overdue                 bool   `json:"-"` // planned and past its due date
}

// SMeasureInput creates or changes a measure. State empty: planned.
type SMeasureInput struct {
	HolderID    int64
	Kind        string
	Description string
	OwnerID     int64
	DueOn       string
	State       string
	DoneOn      string // with state done; empty: today
	Version     int
}

// SensitiveDetail is a function's page: the function, its holders (in it
// now first, then those who left) and its measures.
type SensitiveDetail struct {
	Function SensitiveFunction
	Holders  []Holder
	Measures []SensitiveMeasure
}

// InventoryHolder is a line of the list of people in sensitive functions.
type InventoryHolder struct {
	Holder
	FunctionID    int64
	FunctionTitle string
	UnitName      string
	Rotation      bool
}

// Inventory is the three lists kept under standard 2: the sensitive
// functions, the people in them, and the plan of measures.
type Inventory struct {
	Today     string // YYYY-MM-DD
	Functions []SensitiveFunction
	Holders   []InventoryHolder
	Measures  []SensitiveMeasure
}

// Coverage statuses of an activity.
const (
	CoverageCovered = "covered"
	CoverageMissing = "missing"
	CoverageExempt  = "exempt"
)

// CoverageStatuses lists the coverage statuses.
var CoverageStatuses = []string{CoverageCovered, CoverageMissing, CoverageExempt}

// Field names of the activity form.
const (
	FieldActUnit        = "act_unit"
	FieldActTitle       = "act_title"
	FieldActDescription = "act_description"
	FieldActDocument    = "act_document"
	FieldActExempt      = "act_exempt"
	FieldActOwner       = "act_owner"
	FieldActDue         = "act_due"
)

// Activity is an activity of a compartment and the procedure covering it.
type Activity struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	UnitID      int64     `json:"unit_id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	DocumentID  int64     `json:"document_id,omitempty"`
	Exempt      string    `json:"exempt,omitempty"`
	OwnerID     int64     `json:"owner_id,omitempty"`
	DueOn       string    `json:"due_on,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	UnitName, DocCode, DocTitle, OwnerName string `json:"-"`
	Overdue                                bool   `json:"-"` // missing and past its due date
}

// Status is covered (a procedure), exempt (none needed) or missing.
func (x Activity) Status() string {
	switch {
	case x.DocumentID != 0:
		return CoverageCovered
	case x.Exempt != "":
		return CoverageExempt
	}
	return CoverageMissing
}

// Href is the activity's edit page.
func (x Activity) Href() string {
	return "/control/activities/" + strconv.FormatInt(x.ID, 10) + "/edit"
}

// ActivityInput creates or changes an activity.
type ActivityInput struct {
	UnitID      int64
	Title       string
	Description string
	DocumentID  int64
	Exempt      string
	OwnerID     int64
	DueOn       string
	Version     int
}

// ActivityFilter narrows the activity list.
type ActivityFilter struct {
	Query   string
	UnitID  int64
	Status  string // covered, missing, exempt
	Sort    string // unit, title, status, due, updated
	Desc    bool
	Page    int
	PerPage int
}

// ActivitySorts lists the activity list's sort keys.
var ActivitySorts = []string{"unit", "title", "status", "due", "updated"}

// ActivityPage is one page of activities.
type ActivityPage struct {
	Items []Activity
	Total int
}

// UnitCoverage is one compartment's line of the coverage table.
type UnitCoverage struct {
	UnitID     int64
	UnitName   string
	Activities int
	Covered    int
	Missing    int
	Exempt     int
}

// Needed counts the activities that need a procedure (all but the exempt).
func (u UnitCoverage) Needed() int { return u.Activities - u.Exempt }

// Share is the covered share of the activities that need a procedure, in
// per cent (0 to 100); ok false when none needs one.
func (u UnitCoverage) Share() (pct float64, ok bool) {
	if u.Needed() <= 0 {
		return 0, false
	}
	return 100 * float64(u.Covered) / float64(u.Needed()), true
}

// CoverageSummary is procedure coverage per compartment (only those with
// activities, in unit order) and for the institution.
type CoverageSummary struct {
	Units []UnitCoverage
	Total UnitCoverage
}

// ProcedureOption is a procedure an activity may link to.
type ProcedureOption struct {
	ID    int64
	Code  string
	Title string
	Kind  string
}
