package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Group is a target group: the people a project trains, with its goals.
type Group struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Project     string    `json:"project,omitempty"`
	StartOn     string    `json:"start_on,omitempty"`
	EndOn       string    `json:"end_on,omitempty"`
	GoalMembers int       `json:"goal_members"`
	GoalHours   int       `json:"goal_hours"`
	GoalShare   int       `json:"goal_share"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	Progress GroupProgress `json:"-"`
}

// GroupProgress is how far a group is towards its goals.
type GroupProgress struct {
	// Members counts the members who have not left; Programmes the
	// group's programmes.
	Members, Programmes int
	// Trained counts members who completed at least one of the group's
	// programmes; Completed those who completed all of them.
	Trained, Completed int
	// Hours is the sum of hours attended in the group's programmes;
	// HoursPerMember divides it by Members.
	Hours, HoursPerMember float64
	// Share is Completed over Members, in percent (0 when no members).
	Share float64
	// Certified counts members holding a certificate from one of the
	// group's programmes.
	Certified int
	// ByCategory counts members and completions per category.
	ByCategory []CategoryProgress
}

// CategoryProgress is one category's line in a group's progress.
type CategoryProgress struct {
	Category           string
	Members, Completed int
}

// GroupInput creates or changes a target group.
type GroupInput struct {
	Code, Name, Description, Project  string
	StartOn, EndOn                    string
	GoalMembers, GoalHours, GoalShare int
	Active                            bool
	Version                           int
}

// GroupFilter narrows the group list.
type GroupFilter struct {
	Query   string
	Active  string // "", "yes", "no"
	Sort    string // code, name, start, members
	Desc    bool
	Page    int
	PerPage int
}

// GroupPage is one page of groups (with their progress).
type GroupPage struct {
	Items []Group
	Total int
}

// Member is a person in a target group with their eligibility data.
type Member struct {
	ID        int64     `json:"id"`
	Tenant    int64     `json:"tenant_id"`
	GroupID   int64     `json:"group_id"`
	PersonID  int64     `json:"person_id"`
	Category  string    `json:"category"`
	Gender    string    `json:"gender,omitempty"`
	BirthYear int       `json:"birth_year,omitempty"`
	Education string    `json:"education,omitempty"`
	Residence string    `json:"residence,omitempty"`
	Consent   bool      `json:"consent"`
	JoinedOn  string    `json:"joined_on"`
	LeftOn    string    `json:"left_on,omitempty"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
	Version   int       `json:"version"`

	// Filled in by reads.
	Name, JobTitle, UnitName string `json:"-"`
	UnitID                   int64  `json:"-"`
	// Hours attended in the group's programmes; Completed counts the
	// group's programmes the member completed.
	Hours     float64 `json:"-"`
	Completed int     `json:"-"`
}

// MemberInput adds a person to a group or changes their data. An empty
// Category is taken from the person (position, employment).
type MemberInput struct {
	PersonID         int64
	Category         string
	Gender           string
	BirthYear        int
	Education        string
	Residence        string
	Consent          bool
	JoinedOn, LeftOn string
	Version          int
}

// Limits of the group and member forms.
const (
	MaxCode        = 30
	MaxName        = 200
	MaxShort       = 300  // project, provider, place, trainer
	MaxText        = 4000 // descriptions, notes
	MaxGoalMembers = 10000
	MaxGoalHours   = 2000 // hours per member
	MinBirthYear   = 1930
)

// Field names of the group form, as its error summary names them.
const (
	FieldGroupCode        = "group_code"
	FieldGroupName        = "group_name"
	FieldGroupDescription = "group_description"
	FieldGroupProject     = "group_project"
	FieldGroupStart       = "group_start_on"
	FieldGroupEnd         = "group_end_on"
	FieldGroupGoalMembers = "group_goal_members"
	FieldGroupGoalHours   = "group_goal_hours"
	FieldGroupGoalShare   = "group_goal_share"
)

// Field names of the member form.
const (
	FieldMemberPerson    = "member_person_id"
	FieldMemberCategory  = "member_category"
	FieldMemberGender    = "member_gender"
	FieldMemberBirthYear = "member_birth_year"
	FieldMemberEducation = "member_education"
	FieldMemberResidence = "member_residence"
	FieldMemberJoined    = "member_joined_on"
	FieldMemberLeft      = "member_left_on"
)

// GroupSorts lists the group list's sort keys.
var GroupSorts = []string{"code", "name", "start", "members"}

// Left reports whether the member has left the group.
func (m Member) Left() bool { return m.LeftOn != "" }

// grpValidCode: capital letters A-Z, digits and - _ . /, starting with a
// letter or digit.
func grpValidCode(c string) bool {
	for i, r := range c {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case (r == '-' || r == '_' || r == '.' || r == '/') && i > 0:
		default:
			return false
		}
	}
	return c != ""
}

// grpCheckDay checks an optional day field and normalises it.
func grpCheckDay(v apperr.Validation, field string, day *string, required bool) {
	*day = strings.TrimSpace(*day)
	switch {
	case *day == "" && required:
		v.Add(field, "error.required")
	case *day == "":
	default:
		t, ok := parseDay(*day)
		if !ok || t.Year() < 1900 || t.Year() > 2200 {
			v.Add(field, "error.date")
			return
		}
		*day = t.Format(time.DateOnly)
	}
}

// grpCheckText cleans a one-line text and checks its length.
func grpCheckText(v apperr.Validation, field string, s *string, max int, required bool) {
	*s = textutil.Clean(*s)
	switch {
	case *s == "" && required:
		v.Add(field, "error.required")
	case utf8.RuneCountInString(*s) > max:
		v.Add(field, "error.too_long")
	}
}

// grpCheckCode normalises a code (upper case) and checks it.
func grpCheckCode(v apperr.Validation, field string, code *string) {
	*code = strings.ToUpper(strings.TrimSpace(*code))
	switch {
	case *code == "":
		v.Add(field, "error.required")
	case len(*code) > MaxCode:
		v.Add(field, "error.too_long")
	case !grpValidCode(*code):
		v.Add(field, "training.error.code")
	}
}

// Validate checks the input on its own and normalises it; the code's
// uniqueness is checked when saving.
func (in *GroupInput) Validate() error {
	v := apperr.Validation{}
	grpCheckCode(v, FieldGroupCode, &in.Code)
	grpCheckText(v, FieldGroupName, &in.Name, MaxName, true)
	grpCheckText(v, FieldGroupProject, &in.Project, MaxShort, false)
	in.Description = textutil.CleanText(in.Description)
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add(FieldGroupDescription, "error.too_long")
	}
	grpCheckDay(v, FieldGroupStart, &in.StartOn, false)
	grpCheckDay(v, FieldGroupEnd, &in.EndOn, false)
	if _, bad := v[FieldGroupEnd]; !bad && in.StartOn != "" && in.EndOn != "" && in.EndOn < in.StartOn {
		v.Add(FieldGroupEnd, "training.error.end_before_start")
	}
	if in.GoalMembers < 0 || in.GoalMembers > MaxGoalMembers {
		v.Add(FieldGroupGoalMembers, "training.error.group.goal_members")
	}
	if in.GoalHours < 0 || in.GoalHours > MaxGoalHours {
		v.Add(FieldGroupGoalHours, "training.error.group.goal_hours")
	}
	if in.GoalShare < 0 || in.GoalShare > 100 {
		v.Add(FieldGroupGoalShare, "training.error.percent")
	}
	return v.Err()
}

// Validate checks a member's eligibility data on its own and normalises
// it; today is the day the data is entered (the default joining day, and
// the latest birth year).
func (in *MemberInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	if in.PersonID <= 0 {
		v.Add(FieldMemberPerson, "error.required")
	}
	in.Category = strings.TrimSpace(in.Category)
	if in.Category != "" && !slices.Contains(Categories, in.Category) {
		v.Add(FieldMemberCategory, "error.choice")
	}
	in.Gender = strings.TrimSpace(in.Gender)
	if in.Gender != "" && !slices.Contains(Genders, in.Gender) {
		v.Add(FieldMemberGender, "error.choice")
	}
	if in.BirthYear != 0 && (in.BirthYear < MinBirthYear || in.BirthYear > today.Year()) {
		v.Add(FieldMemberBirthYear, "training.error.member.birth_year")
	}
	in.Education = strings.TrimSpace(in.Education)
	if in.Education != "" && !slices.Contains(Educations, in.Education) {
		v.Add(FieldMemberEducation, "error.choice")
	}
	in.Residence = strings.TrimSpace(in.Residence)
	if in.Residence != "" && !slices.Contains(Residences, in.Residence) {
		v.Add(FieldMemberResidence, "error.choice")
	}
	if strings.TrimSpace(in.JoinedOn) == "" {
		in.JoinedOn = today.Format(time.DateOnly)
	}
	grpCheckDay(v, FieldMemberJoined, &in.JoinedOn, true)
	grpCheckDay(v, FieldMemberLeft, &in.LeftOn, false)
	if _, bad := v[FieldMemberLeft]; !bad && in.LeftOn != "" && in.LeftOn < in.JoinedOn {
		v.Add(FieldMemberLeft, "training.error.member.left_before_joined")
	}
	return v.Err()
}

const grpColumns = `g.id, g.tenant_id, g.code, g.name, g.description, g.project, g.start_on, g.end_on,
	g.goal_members, g.goal_hours, g.goal_share, g.active, g.created_at, g.updated_at, g.version`

func grpScan(row interface{ Scan(...any) error }) (Group, error) {
	var g Group
	err := row.Scan(&g.ID, &g.Tenant, &g.Code, &g.Name, &g.Description, &g.Project, &g.StartOn, &g.EndOn,
		&g.GoalMembers, &g.GoalHours, &g.GoalShare, &g.Active, &g.CreatedAt, &g.UpdatedAt, &g.Version)
	return g, err
}

// grpGet reads one group of the institution, without its progress.
func grpGet(ctx context.Context, q querier, tenant, id int64) (Group, error) {
	g, err := grpScan(q.QueryRowContext(ctx, `SELECT `+grpColumns+` FROM training_groups g WHERE g.tenant_id = $1 AND g.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, apperr.NotFound(EntityGroup)
	}
	if err != nil {
		return Group{}, fmt.Errorf("cannot read target group: %w", err)
	}
	return g, nil
}

// grpSorts are the group list's orders.
var grpSorts = map[string]string{
	"code":    "g.code",
	"name":    "g.name",
	"start":   "g.start_on",
	"members": "(SELECT COUNT(*) FROM training_group_members gm WHERE gm.tenant_id = g.tenant_id AND gm.group_id = g.id AND gm.left_on = '')",
}

// Groups lists target groups with their progress.
func (s *Service) Groups(ctx context.Context, a auth.Actor, f GroupFilter) (GroupPage, error) {
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return GroupPage{}, err
	}
	where := ` WHERE g.tenant_id = $1`
	args := []any{a.Tenant}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, db.LikePattern(q))
		where += fmt.Sprintf(` AND g.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	switch f.Active {
	case "yes":
		where += ` AND g.active`
	case "no":
		where += ` AND NOT g.active`
	}
	var out GroupPage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "target groups", db.PageQuery{Select: grpColumns, From: " FROM training_groups g" + where, Args: args,
		Sorts: grpSorts, Sort: f.Sort, Desc: f.Desc, Default: "code", Tail: "g.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Group, error) { return grpScan(r) })
	if err != nil {
		return out, err
	}
	if err := grpFillProgress(ctx, s.DB.R, a.Tenant, out.Items); err != nil {
		return out, err
	}
	return out, nil
}

// Group reads a target group with its progress.
func (s *Service) Group(ctx context.Context, a auth.Actor, id int64) (Group, error) {
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return Group{}, err
	}
	g, err := grpGet(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Group{}, err
	}
	gs := []Group{g}
	if err := grpFillProgress(ctx, s.DB.R, a.Tenant, gs); err != nil {
		return Group{}, err
	}
	return gs[0], nil
}

// grpCheckCodeFree refuses a code another group of the institution has.
func grpCheckCodeFree(ctx context.Context, q querier, tenant, self int64, code string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_groups WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, code, self).Scan(&n); err != nil {
		return fmt.Errorf("cannot check target group code: %w", err)
	}
	if n > 0 {
		return apperr.Validation{FieldGroupCode: "training.error.code_taken"}
	}
	return nil
}

func grpSearch(in GroupInput) string {
	return textutil.Fold(in.Code + " " + in.Name + " " + in.Project)
}

// CreateGroup creates a target group.
func (s *Service) CreateGroup(ctx context.Context, a auth.Actor, in GroupInput) (Group, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Group{}, err
	}
	if err := in.Validate(); err != nil {
		return Group{}, err
	}
	now := s.Clock.Now()
	var out Group
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := grpCheckCodeFree(ctx, tx, a.Tenant, 0, in.Code); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO training_groups (tenant_id, code, name, description, project, start_on, end_on,
				goal_members, goal_hours, goal_share, active, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			a.Tenant, in.Code, in.Name, in.Description, in.Project, in.StartOn, in.EndOn,
			in.GoalMembers, in.GoalHours, in.GoalShare, in.Active, grpSearch(in), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldGroupCode: "training.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create target group: %w", err)
		}
		if out, err = grpGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityGroup, EntityID: id,
			Summary: out.Code + " " + out.Name, After: out})
	})
	return out, err
}

// UpdateGroup changes a target group.
func (s *Service) UpdateGroup(ctx context.Context, a auth.Actor, id int64, in GroupInput) (Group, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Group{}, err
	}
	if err := in.Validate(); err != nil {
		return Group{}, err
	}
	now := s.Clock.Now()
	var out Group
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := grpGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := grpCheckCodeFree(ctx, tx, a.Tenant, id, in.Code); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_groups SET code = $3, name = $4, description = $5, project = $6, start_on = $7, end_on = $8,
				goal_members = $9, goal_hours = $10, goal_share = $11, active = $12, search_text = $13, updated_at = $14, version = version + 1
			WHERE tenant_id = $1 AND id = $2 AND version = $15`,
			a.Tenant, id, in.Code, in.Name, in.Description, in.Project, in.StartOn, in.EndOn,
			in.GoalMembers, in.GoalHours, in.GoalShare, in.Active, grpSearch(in), now, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldGroupCode: "training.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update target group: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = grpGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityGroup, EntityID: id,
			Summary: out.Code + " " + out.Name, Before: before, After: out})
	})
	return out, err
}
