// Package documents is documented information (ISO 9001 clause 7.5, OSGG 600
// standard 9): the quality manual, the quality policy, system and
// operational procedures in the OSGG 600 format, work instructions, forms,
// record templates, internal regulations and external documents; their
// editions and revisions, sign-offs, distribution and read acknowledgements,
// periodic review, links, full-text search and printed output.
//
// A document is the register entry (code, title, owning unit, review
// interval). Each edition or revision of it is a version that moves through
// the workflow in workflow.go; the version in force is the document's
// current one, and putting a newer one in force supersedes it.
package documents

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Kinds of document.
const (
	KindManual      = "manual"
	KindPolicy      = "policy"
	KindSystem      = "system_procedure"
	KindOperational = "operational_procedure"
	KindInstruction = "work_instruction"
	KindForm        = "form"
	KindRecord      = "record_template"
	KindRegulation  = "regulation"
	KindExternal    = "external"
)

// Kinds lists every kind in the order screens show them.
var Kinds = []string{KindManual, KindPolicy, KindSystem, KindOperational, KindInstruction, KindForm, KindRecord, KindRegulation, KindExternal}

// kindCodes are the abbreviations the coding scheme's {kind} stands for.
var kindCodes = map[string]string{
	KindManual: "MC", KindPolicy: "PC", KindSystem: "PS", KindOperational: "PO", KindInstruction: "IL",
	KindForm: "F", KindRecord: "FI", KindRegulation: "R", KindExternal: "DE",
}

// KindCode returns the abbreviation of kind used in document codes.
func KindCode(kind string) string { return kindCodes[kind] }

// Procedural reports whether documents of kind are written in the OSGG 600
// procedure structure (sections 4 to 11); others have one body section.
func Procedural(kind string) bool {
	return kind == KindSystem || kind == KindOperational
}

// Section keys. Sections 1 to 3 (sign-offs, editions and revisions,
// distribution) and 10 (record of changes) are produced from the records;
// the others are written.
const (
	SecPurpose          = "purpose"
	SecScope            = "scope"
	SecReferences       = "references"
	SecDefinitions      = "definitions"
	SecDescription      = "description"
	SecResponsibilities = "responsibilities"
	SecAnnexes          = "annexes"
	SecBody             = "body"
)

// ProcedureSections are the written sections of a procedure, in OSGG 600
// order, with their numbers.
var ProcedureSections = []SectionDef{
	{SecPurpose, "4"}, {SecScope, "5"}, {SecReferences, "6"}, {SecDefinitions, "7"},
	{SecDescription, "8"}, {SecResponsibilities, "9"}, {SecAnnexes, "11"},
}

// SectionDef is a written section and its number in the printed procedure.
type SectionDef struct {
	Key    string
	Number string
}

// SectionsOf returns the written sections of a document of kind.
func SectionsOf(kind string) []SectionDef {
	if Procedural(kind) {
		return ProcedureSections
	}
	return []SectionDef{{SecBody, ""}}
}

// Version states, in workflow order.
const (
	StateDraft        = "draft"
	StateVerification = "verification"
	StateEndorsement  = "endorsement"
	StateApproval     = "approval"
	StateApproved     = "approved"
	StateInForce      = "in_force"
	StateSuperseded   = "superseded"
	StateWithdrawn    = "withdrawn"
)

// States lists every version state.
var States = []string{StateDraft, StateVerification, StateEndorsement, StateApproval, StateApproved, StateInForce, StateSuperseded, StateWithdrawn}

// Pending reports whether a version in state is still being worked on.
func Pending(state string) bool {
	return slices.Contains([]string{StateDraft, StateVerification, StateEndorsement, StateApproval, StateApproved}, state)
}

// Sources of a version's content.
const (
	SourceSections = "sections" // written in Cadran
	SourceFile     = "file"     // an uploaded DOCX or PDF
	SourceRegister = "register" // only the register entry, from an import
)

// Distribution purposes, as in section 3 of a procedure.
const (
	PurposeApply   = "application"
	PurposeInform  = "information"
	PurposeRecord  = "record"
	PurposeArchive = "archiving"
	PurposeOther   = "other"
)

// Purposes lists every distribution purpose.
var Purposes = []string{PurposeApply, PurposeInform, PurposeRecord, PurposeArchive, PurposeOther}

// Link targets.
const (
	LinkClause   = "iso_clause"
	LinkProcess  = "process"
	LinkRisk     = "risk"
	LinkDocument = "document"
)

// LinkTargets lists the targets a person links by hand.
var LinkTargets = []string{LinkClause, LinkProcess, LinkDocument}

// Limits.
const (
	MaxTitle    = 300
	MaxCode     = 40
	MaxSection  = 100_000
	MaxReason   = 1000
	MaxFileSize = 20 << 20 // an uploaded document or annex
	// MaxIndexedRunes caps the text of one upload kept for search.
	MaxIndexedRunes = 500_000
)

// Module names the documents module in tasks and links.
const Module = "documents"

// Service is the documents module.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Work  work.Tasks
	// Files stores uploads; nil refuses them.
	Files *blob.Store
	// OnAcknowledged, when set, runs inside the transaction that records a
	// person's confirmation of reading a document's version in force (the
	// training module marks the item of an induction plan done).
	OnAcknowledged func(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, documentID int64) error
}

// Document is a register entry with the versions' summary.
type Document struct {
	ID             int64     `json:"id"`
	Tenant         int64     `json:"tenant_id"`
	Kind           string    `json:"kind"`
	Code           string    `json:"code"`
	Title          string    `json:"title"`
	UnitID         int64     `json:"unit_id,omitempty"`
	OwnerID        int64     `json:"owner_id,omitempty"`
	ReviewMonths   int       `json:"review_months"`
	CurrentID      int64     `json:"current_id,omitempty"`
	LatestID       int64     `json:"latest_id,omitempty"`
	State          string    `json:"state"`
	EffectiveOn    string    `json:"effective_on,omitempty"`
	NextReviewOn   string    `json:"next_review_on,omitempty"`
	LastReviewedOn string    `json:"last_reviewed_on,omitempty"`
	CreatedAt      time.Time `json:"-"`
	UpdatedAt      time.Time `json:"-"`
	Version        int       `json:"version"`

	// Filled in by reads.
	UnitName  string `json:"-"`
	OwnerName string `json:"-"`
	// Edition and Revision of the current version (or the latest when none is in force).
	Edition  int `json:"-"`
	Revision int `json:"-"`
	// LatestState is the newest version's state when it differs from the current one.
	LatestState string `json:"-"`
}

// EditionLabel is the edition in Roman numerals, as printed ("I", "II").
func (d Document) EditionLabel() string { return Roman(d.Edition) }

// ReviewDue reports whether the periodic review is due on or before today.
func (d Document) ReviewDue(today time.Time) bool {
	return d.NextReviewOn != "" && d.State == StateInForce && d.NextReviewOn <= today.Format(time.DateOnly)
}

// Roman writes n (1 to 3999) in Roman numerals; editions are numbered so.
func Roman(n int) string {
	if n <= 0 || n >= 4000 {
		return fmt.Sprint(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// ParseRoman reads an edition written in Roman or Arabic numerals.
func ParseRoman(s string) (int, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err == nil && fmt.Sprint(n) == s {
		return n, n > 0
	}
	for i := 1; i < 100; i++ {
		if Roman(i) == s {
			return i, true
		}
	}
	return 0, false
}
