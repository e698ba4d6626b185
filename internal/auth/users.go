package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// User is a person who signs in to one institution.
type User struct {
	ID            int64      `json:"id"`
	Tenant        int64      `json:"tenant_id"`
	Username      string     `json:"username"`
	Email         string     `json:"email"`
	DisplayName   string     `json:"display_name"`
	PersonID      int64      `json:"person_id,omitempty"`
	Locale        string     `json:"locale"`
	PlatformAdmin bool       `json:"platform_admin"`
	Disabled      bool       `json:"disabled"`
	Roles         []Role     `json:"roles"`
	LastLoginAt   *time.Time `json:"-"`
	CreatedAt     time.Time  `json:"-"`
	UpdatedAt     time.Time  `json:"-"`
	Version       int        `json:"version"`
	sessionEpoch  int
	passwordHash  string
}

// Service is the users, sign-in and sessions store.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

// Locales Cadran speaks.
var Locales = []string{"ro", "en"}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// UserInput is what a form or the command line gives to create or change a user.
type UserInput struct {
	Username    string
	DisplayName string
	Email       string
	Password    string // only on create
	// PasswordHash, on create and instead of Password, is an argon2id hash
	// made once for many users: the scale generator's thousands of users
	// share one so that creating them does not take minutes.
	PasswordHash  string
	PersonID      int64
	Locale        string
	Roles         []Role
	PlatformAdmin bool
	Disabled      bool
	Version       int // on update: the version the person edited
}

// Validate checks the input; creating is true for a new user.
func (in *UserInput) Validate(creating bool) error {
	v := apperr.Validation{}
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = textutil.Clean(in.DisplayName)
	in.Email = strings.TrimSpace(in.Email)
	if creating && !usernameRE.MatchString(in.Username) {
		v.Add("username", "user.error.username")
	}
	if in.DisplayName == "" {
		v.Add("display_name", "error.required")
	} else if utf8.RuneCountInString(in.DisplayName) > 200 {
		v.Add("display_name", "error.too_long")
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			v.Add("email", "error.email")
		}
	}
	if creating && in.PasswordHash == "" {
		if err := checkPassword(in.Password, in.Username); err != "" {
			v.Add("password", err)
		}
	}
	if in.Locale == "" {
		in.Locale = "ro"
	}
	if !slices.Contains(Locales, in.Locale) {
		v.Add("locale", "error.choice")
	}
	if len(in.Roles) == 0 {
		v.Add("roles", "user.error.roles")
	}
	for _, r := range in.Roles {
		if !ValidRole(r) {
			v.Add("roles", "error.choice")
		}
	}
	slices.Sort(in.Roles)
	in.Roles = slices.Compact(in.Roles)
	return v.Err()
}

// userSearch is the folded text the users list searches.
func userSearch(in UserInput) string {
	return textutil.Fold(in.Username + " " + in.DisplayName + " " + in.Email)
}

func checkPassword(pw, username string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return "user.error.password_short"
	case strings.EqualFold(pw, username):
		return "user.error.password_username"
	}
	return ""
}

const userColumns = `id, tenant_id, username, email, display_name, COALESCE(person_id, 0), password_hash, locale, platform_admin, disabled, session_epoch, last_login_at, created_at, updated_at, version`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var last sql.NullTime
	err := row.Scan(&u.ID, &u.Tenant, &u.Username, &u.Email, &u.DisplayName, &u.PersonID, &u.passwordHash, &u.Locale, &u.PlatformAdmin, &u.Disabled, &u.sessionEpoch, &last, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	if last.Valid {
		t := last.Time.UTC()
		u.LastLoginAt = &t
	}
	return u, err
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func loadRoles(ctx context.Context, q querier, users []*User) error {
	if len(users) == 0 {
		return nil
	}
	byID := map[int64]*User{}
	args := []any{users[0].Tenant}
	ph := make([]string, 0, len(users))
	for _, u := range users {
		byID[u.ID] = u
		u.Roles = nil
		args = append(args, u.ID)
		ph = append(ph, fmt.Sprintf("$%d", len(args)))
	}
	rows, err := q.QueryContext(ctx, `SELECT user_id, role FROM user_roles WHERE tenant_id = $1 AND user_id IN (`+strings.Join(ph, ",")+`) ORDER BY role`, args...)
	if err != nil {
		return fmt.Errorf("cannot read roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r Role
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		if u := byID[id]; u != nil {
			u.Roles = append(u.Roles, r)
		}
	}
	return rows.Err()
}

func getUser(ctx context.Context, q querier, tenant, id int64) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = $1 AND id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.NotFound("user")
	}
	if err != nil {
		return User{}, fmt.Errorf("cannot read user: %w", err)
	}
	if err := loadRoles(ctx, q, []*User{&u}); err != nil {
		return User{}, err
	}
	return u, nil
}

// User returns one user of the actor's institution.
func (s *Service) User(ctx context.Context, a Actor, id int64) (User, error) {
	if a.UserID != id {
		if err := a.Require(PermUsersManage); err != nil {
			return User{}, err
		}
	}
	return getUser(ctx, s.DB.R, a.Tenant, id)
}

// UserFilter narrows the users list.
type UserFilter struct {
	Query  string
	Role   Role
	Limit  int
	Offset int
}

// Users lists the institution's users, by username, and the total matching.
func (s *Service) Users(ctx context.Context, a Actor, f UserFilter) ([]User, int, error) {
	if err := a.Require(PermUsersManage); err != nil {
		return nil, 0, err
	}
	where := ` WHERE u.tenant_id = $1`
	args := []any{a.Tenant}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, db.LikePattern(textutil.Fold(q)))
		where += fmt.Sprintf(` AND u.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	if f.Role != "" {
		args = append(args, f.Role)
		where += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM user_roles r WHERE r.tenant_id = u.tenant_id AND r.user_id = u.id AND r.role = $%d)`, len(args))
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users u`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count users: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit, max(0, f.Offset))
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+strings.ReplaceAll(userColumns, "COALESCE(person_id", "COALESCE(u.person_id")+` FROM users u`+where+fmt.Sprintf(` ORDER BY u.username LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list users: %w", err)
	}
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("cannot read user: %w", err)
		}
		out = append(out, u)
	}
	rows.Close()
	ptrs := make([]*User, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := loadRoles(ctx, s.DB.R, ptrs); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func checkPerson(ctx context.Context, tx *sql.Tx, tenant, personID int64) error {
	if personID == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2`, tenant, personID).Scan(&n); err != nil {
		return fmt.Errorf("cannot check person: %w", err)
	}
	if n == 0 {
		return apperr.Validation{"person_id": "error.choice"}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func writeRoles(ctx context.Context, tx *sql.Tx, tenant, userID int64, roles []Role) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE tenant_id = $1 AND user_id = $2`, tenant, userID); err != nil {
		return fmt.Errorf("cannot update roles: %w", err)
	}
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, $3)`, tenant, userID, r); err != nil {
			return fmt.Errorf("cannot update roles: %w", err)
		}
	}
	return nil
}

// CreateUser adds a user to the actor's institution. Only platform
// administrators may make other platform administrators.
func (s *Service) CreateUser(ctx context.Context, a Actor, in UserInput) (User, error) {
	if err := a.Require(PermUsersManage); err != nil {
		return User{}, err
	}
	if in.PlatformAdmin {
		if err := a.RequirePlatformAdmin(); err != nil {
			return User{}, err
		}
	}
	if err := in.Validate(true); err != nil {
		return User{}, err
	}
	now := s.Clock.Now()
	var u User
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = CreateUserTx(ctx, tx, a, a.Tenant, in, now)
		return err
	})
	return u, err
}

// CreateUserTx inserts a validated user into tenant inside tx and audits it.
// It lets the creation of an institution and its first administrator be one
// transaction.
func CreateUserTx(ctx context.Context, tx *sql.Tx, a Actor, tenant int64, in UserInput, now time.Time) (User, error) {
	hash, err := in.PasswordHash, error(nil)
	if hash == "" {
		hash, err = HashPassword(in.Password)
	}
	if err != nil {
		return User{}, err
	}
	if err := checkPerson(ctx, tx, tenant, in.PersonID); err != nil {
		return User{}, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO users (tenant_id, username, email, display_name, search_text, person_id, password_hash, locale, platform_admin, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		tenant, in.Username, in.Email, in.DisplayName, userSearch(in), nullID(in.PersonID), hash, in.Locale, in.PlatformAdmin, in.Disabled, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return User{}, apperr.Validation{"username": "user.error.username_taken"}
	}
	if err != nil {
		return User{}, fmt.Errorf("cannot create user: %w", err)
	}
	if err := writeRoles(ctx, tx, tenant, id, in.Roles); err != nil {
		return User{}, err
	}
	u, err := getUser(ctx, tx, tenant, id)
	if err != nil {
		return User{}, err
	}
	return u, audit.Record(ctx, tx, now, audit.Event{Tenant: tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "user", EntityID: id, Summary: u.Username, After: u})
}

// UpdateUser changes a user's details, roles and state. A stale Version is
// refused. Nobody can remove their own administrator role or disable
// themselves, so an institution cannot lock itself out by accident.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id int64, in UserInput) (User, error) {
	if err := a.Require(PermUsersManage); err != nil {
		return User{}, err
	}
	if err := in.Validate(false); err != nil {
		return User{}, err
	}
	if a.UserID == id && (in.Disabled || !slices.Contains(in.Roles, RoleAdmin)) {
		return User{}, apperr.Validation{"roles": "user.error.self_lockout"}
	}
	now := s.Clock.Now()
	var after User
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getUser(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.PlatformAdmin != before.PlatformAdmin {
			if err := a.RequirePlatformAdmin(); err != nil {
				return err
			}
		}
		if err := checkPerson(ctx, tx, a.Tenant, in.PersonID); err != nil {
			return err
		}
		epoch := before.sessionEpoch
		if in.Disabled && !before.Disabled {
			epoch++ // signs the user out everywhere
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET email = $1, display_name = $2, search_text = $3, person_id = $4, locale = $5, platform_admin = $6, disabled = $7, session_epoch = $8, updated_at = $9, version = version + 1
			WHERE tenant_id = $10 AND id = $11 AND version = $12`,
			in.Email, in.DisplayName, userSearch(UserInput{Username: before.Username, DisplayName: in.DisplayName, Email: in.Email}), nullID(in.PersonID), in.Locale, in.PlatformAdmin, in.Disabled, epoch, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update user: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if err := writeRoles(ctx, tx, a.Tenant, id, in.Roles); err != nil {
			return err
		}
		if after, err = getUser(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "user", EntityID: id, Summary: after.Username, Before: before, After: after})
	})
	return after, err
}

// ResetPassword sets another user's password (an administrator's act) and
// signs that user out everywhere.
func (s *Service) ResetPassword(ctx context.Context, a Actor, id int64, password string) error {
	if err := a.Require(PermUsersManage); err != nil {
		return err
	}
	return s.setPassword(ctx, a, id, password)
}

// ChangePassword changes the actor's own password after checking the current
// one. Other sessions of the user are signed out; the caller renews its own.
func (s *Service) ChangePassword(ctx context.Context, a Actor, current, next string) error {
	u, err := getUser(ctx, s.DB.R, a.Tenant, a.UserID)
	if err != nil {
		return err
	}
	ok, err := CheckPassword(u.passwordHash, current)
	if err != nil {
		return fmt.Errorf("cannot check password: %w", err)
	}
	if !ok {
		return apperr.Validation{"current": "account.error.current_password"}
	}
	return s.setPassword(ctx, a, a.UserID, next)
}

func (s *Service) setPassword(ctx context.Context, a Actor, id int64, password string) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if msg := checkPassword(password, u.Username); msg != "" {
			return apperr.Validation{"password": msg}
		}
		hash, err := HashPassword(password)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4`, hash, now, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot set password: %w", err)
		}
		// The hash itself never enters the trail; the event says that it changed.
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "user", EntityID: id, Summary: u.Username, Before: map[string]any{"password": "***"}, After: map[string]any{"password": "changed"}})
	})
}

// SetLocale records the actor's language choice.
func (s *Service) SetLocale(ctx context.Context, a Actor, locale string) error {
	if !slices.Contains(Locales, locale) {
		return apperr.Validation{"locale": "error.choice"}
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getUser(ctx, tx, a.Tenant, a.UserID)
		if err != nil {
			return err
		}
		if before.Locale == locale {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET locale = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4`, locale, now, a.Tenant, a.UserID); err != nil {
			return fmt.Errorf("cannot set language: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "user", EntityID: a.UserID, Summary: before.Username, Before: map[string]string{"locale": before.Locale}, After: map[string]string{"locale": locale}})
	})
}

// UserByUsername finds a user in any institution, for the command line.
func (s *Service) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.DB.R.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, strings.ToLower(strings.TrimSpace(username))))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.NotFound("user")
	}
	if err != nil {
		return User{}, fmt.Errorf("cannot read user: %w", err)
	}
	return u, loadRoles(ctx, s.DB.R, []*User{&u})
}
