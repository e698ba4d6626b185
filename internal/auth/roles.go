// Package auth holds users, passwords, sign-in, sessions, roles and the
// permission checks that every domain package applies to its actor.
package auth

import (
	"slices"

	"cadran/internal/apperr"
	"cadran/internal/audit"
)

// Role is a person's role in one institution. A user may hold several.
type Role string

const (
	RoleAdmin          Role = "admin"
	RoleQualityManager Role = "quality_manager"
	RoleTopManagement  Role = "top_management"
	RoleHeadOfUnit     Role = "head_of_unit"
	RoleAuditor        Role = "internal_auditor"
	RoleEmployee       Role = "employee"
	RoleRegistryClerk  Role = "registry_clerk"
	RoleViewer         Role = "viewer"
)

// Roles lists every role in the order screens show them.
var Roles = []Role{RoleAdmin, RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleAuditor, RoleEmployee, RoleRegistryClerk, RoleViewer}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Permission names something an actor may do.
type Permission string

const (
	PermOrgView          Permission = "org.view"          // see the unit tree and the people list
	PermOrgManage        Permission = "org.manage"        // change units and people
	PermUsersManage      Permission = "users.manage"      // create users, set roles, reset passwords
	PermAuditView        Permission = "audit.view"        // read the audit trail
	PermInstitutionEdt   Permission = "institution.edit"  // change the institution's own details
	PermWorkAssign       Permission = "work.assign"       // hand out tasks and reassign them
	PermWorkOversee      Permission = "work.oversee"      // see every task of the institution
	PermDocsView         Permission = "docs.view"         // read documents in force
	PermDocsEdit         Permission = "docs.edit"         // draft documents (heads of unit: of their units)
	PermDocsManage       Permission = "docs.manage"       // every document: settings, distribution, withdrawal, import
	PermRisksView        Permission = "risks.view"        // read the risk and opportunity register
	PermRisksPropose     Permission = "risks.propose"     // send a risk alert form (heads of unit: for their units)
	PermRisksManage      Permission = "risks.manage"      // the risk management team: validate, score, review, settings, import
	PermImproveView      Permission = "improve.view"      // read nonconformities and improvement proposals
	PermImproveReport    Permission = "improve.report"    // report a nonconformity, send an improvement proposal
	PermImproveManage    Permission = "improve.manage"    // the quality office: evaluate, close, settings, import
	PermAuditsView       Permission = "audits.view"       // read the audit programme, plans, checklists and reports
	PermAuditsConduct    Permission = "audits.conduct"    // auditors: fill in checklists and findings of the audits they are on
	PermAuditsManage     Permission = "audits.manage"     // the quality office: programme, plans, auditor register
	PermReviewsView      Permission = "reviews.view"      // read management reviews and their minutes
	PermReviewsManage    Permission = "reviews.manage"    // prepare a review, record its decisions and actions
	PermComplianceView   Permission = "compliance.view"   // read the ISO 9001 compliance matrix and readiness
	PermComplianceEdit   Permission = "compliance.edit"   // set clause status, evidence, external audits and certificates
	PermScorecardView    Permission = "scorecard.view"    // read the scorecard, the strategy map, KPIs and initiatives
	PermScorecardMeasure Permission = "scorecard.measure" // enter KPI values (a non-owner's value waits for the owner's approval)
	PermScorecardManage  Permission = "scorecard.manage"  // perspectives, objectives, KPIs, targets, initiatives, links
	PermCAFView          Permission = "caf.view"          // read CAF cycles, the consensus, results, report and improvement plan
	PermCAFManage        Permission = "caf.manage"        // run a CAF cycle: scope, group, steps, consensus, improvement plan
	PermCitizenView      Permission = "citizen.view"      // read the whole registry of petitions and requests (others see what is assigned to them or their unit)
	PermCitizenRegister  Permission = "citizen.register"  // register, assign, extend, redirect, file and answer any case
	PermCitizenStats     Permission = "citizen.stats"     // read the service catalogue's indicators, impact and feedback (no personal data)
	PermCitizenManage    Permission = "citizen.manage"    // the service catalogue, the settings, the legal reports
	PermTrainingView     Permission = "training.view"     // read programmes, sessions, the competence catalogue and one's own training record (heads of unit: their units' records and matrix)
	PermTrainingRecords  Permission = "training.records"  // read everyone's training records, the target groups with their eligibility data, the whole matrix and the induction plans
	PermTrainingManage   Permission = "training.manage"   // groups, programmes, sessions, attendance, results, certificates, competences, requirements, inductions, settings
	PermControlView      Permission = "control.view"      // read the internal managerial control: self-evaluations and their summary, the development programme, the commission, sensitive functions, procedure coverage
	PermControlAnswer    Permission = "control.answer"    // answer the self-evaluation questionnaire (heads of unit: for their compartments)
	PermConsolidatedView Permission = "consolidated.view" // read the institution consolidated over its own apparatus and its subordinate and decentralised bodies
	PermControlManage    Permission = "control.manage"    // run the internal managerial control: evaluations, summary, programme, bodies, sensitive functions, coverage, settings
)

// grants is the one table of who may do what. Platform administration is not
// here: it follows the user's platform flag, not a role in an institution.
var grants = map[Permission][]Role{
	PermOrgView:          Roles,
	PermOrgManage:        {RoleAdmin, RoleQualityManager},
	PermUsersManage:      {RoleAdmin},
	PermAuditView:        {RoleAdmin, RoleQualityManager, RoleAuditor, RoleTopManagement},
	PermInstitutionEdt:   {RoleAdmin},
	PermWorkAssign:       {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit},
	PermWorkOversee:      {RoleQualityManager, RoleTopManagement},
	PermDocsView:         Roles,
	PermDocsEdit:         {RoleQualityManager, RoleHeadOfUnit},
	PermDocsManage:       {RoleQualityManager},
	PermRisksView:        Roles,
	PermRisksPropose:     {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleEmployee, RoleAuditor},
	PermRisksManage:      {RoleQualityManager},
	PermImproveView:      Roles,
	PermImproveReport:    {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleEmployee, RoleAuditor, RoleRegistryClerk},
	PermImproveManage:    {RoleQualityManager},
	PermAuditsView:       {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleAuditor, RoleViewer},
	PermAuditsConduct:    {RoleQualityManager, RoleAuditor},
	PermAuditsManage:     {RoleQualityManager},
	PermReviewsView:      {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleAuditor, RoleViewer},
	PermReviewsManage:    {RoleQualityManager, RoleTopManagement},
	PermComplianceView:   {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleAuditor, RoleViewer},
	PermComplianceEdit:   {RoleQualityManager},
	PermScorecardView:    Roles,
	PermScorecardMeasure: {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleEmployee, RoleRegistryClerk},
	PermScorecardManage:  {RoleQualityManager, RoleTopManagement},
	// Group members assess whatever their role: membership, not a role,
	// lets a person score (checked in the caf package).
	PermCAFView:   Roles,
	PermCAFManage: {RoleQualityManager, RoleTopManagement},
	// The registry holds personal data: the whole of it is for the
	// registry, the quality office and management; a head of unit sees
	// their units' cases and anyone the cases assigned to them (checked in
	// the citizen package).
	PermCitizenView:     {RoleQualityManager, RoleTopManagement, RoleRegistryClerk},
	PermCitizenRegister: {RoleQualityManager, RoleRegistryClerk},
	PermCitizenStats:    Roles,
	PermCitizenManage:   {RoleQualityManager, RoleTopManagement},
	// Training records and the target group's eligibility data are
	// personal: everyone reads the offer and their own record, a head of
	// unit their units' people (checked in the training package).
	PermTrainingView:    Roles,
	PermTrainingRecords: {RoleQualityManager, RoleTopManagement},
	PermTrainingManage:  {RoleQualityManager},
	// Internal managerial control is run by the quality and internal
	// control office with management; heads of unit answer the
	// questionnaire for their compartments (checked in the control
	// package) and own programme actions and activities.
	PermControlView:   {RoleQualityManager, RoleTopManagement, RoleHeadOfUnit, RoleAuditor, RoleViewer},
	PermControlAnswer: {RoleQualityManager, RoleHeadOfUnit},
	PermControlManage: {RoleQualityManager, RoleTopManagement},
	// The consolidated view shows totals and scores, no personal data: it is
	// for those who steer the whole institution and those who check it.
	PermConsolidatedView: {RoleQualityManager, RoleTopManagement, RoleAuditor, RoleViewer},
}

// Actor is who is acting: a signed-in user of one institution, or the system
// (command line, scheduler), which may do anything in the tenant it names.
type Actor struct {
	UserID        int64
	Tenant        int64
	Name          string
	Username      string
	PersonID      int64
	Roles         []Role
	PlatformAdmin bool
	Locale        string
	System        bool
}

// SystemActor acts for the command line or a background job in tenant.
func SystemActor(tenant int64, name string) Actor {
	return Actor{Tenant: tenant, Name: name, System: true}
}

// HasRole reports whether the actor holds r.
func (a Actor) HasRole(r Role) bool { return slices.Contains(a.Roles, r) }

// Can reports whether the actor holds a role granted p.
func (a Actor) Can(p Permission) bool {
	if a.System {
		return true
	}
	for _, r := range grants[p] {
		if a.HasRole(r) {
			return true
		}
	}
	return false
}

// Require returns a forbidden error unless the actor may do p.
func (a Actor) Require(p Permission) error {
	if a.Can(p) {
		return nil
	}
	return apperr.Forbidden(string(p))
}

// RequirePlatformAdmin refuses anyone but a platform administrator.
func (a Actor) RequirePlatformAdmin() error {
	if a.System || a.PlatformAdmin {
		return nil
	}
	return apperr.Forbidden("platform.admin")
}

// Audit returns the actor as the audit trail names it.
func (a Actor) Audit() audit.Actor { return audit.Actor{ID: a.UserID, Name: a.Name} }
