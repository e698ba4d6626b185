-- Institutions are the tenants: every tenant-owned table carries tenant_id.
CREATE TABLE institutions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    cui         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    county      TEXT NOT NULL,
    search_name TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    parent_id   INTEGER REFERENCES units(id),
    name        TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',
    sort_name   TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    relation    TEXT NOT NULL,
    legal_person BOOLEAN NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, id)
);
CREATE INDEX units_tenant_parent ON units (tenant_id, parent_id);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    unit_id      INTEGER REFERENCES units(id),
    full_name    TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    job_title    TEXT NOT NULL DEFAULT '',
    position     TEXT NOT NULL,
    employment   TEXT NOT NULL,
    elected_role TEXT NOT NULL DEFAULT '',
    active       BOOLEAN NOT NULL DEFAULT 1,
    sort_name    TEXT NOT NULL DEFAULT '',
    search_text  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX people_tenant_name ON people (tenant_id, sort_name);
CREATE INDEX people_tenant_unit ON people (tenant_id, unit_id);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    username        TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL DEFAULT '',
    display_name    TEXT NOT NULL,
    search_text     TEXT NOT NULL DEFAULT '',
    person_id       INTEGER REFERENCES people(id),
    password_hash   TEXT NOT NULL,
    locale          TEXT NOT NULL DEFAULT 'ro',
    platform_admin  BOOLEAN NOT NULL DEFAULT 0,
    disabled        BOOLEAN NOT NULL DEFAULT 0,
    session_epoch   INTEGER NOT NULL DEFAULT 1,
    last_login_at   TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_tenant ON users (tenant_id, username);

CREATE TABLE user_roles (
    tenant_id  INTEGER NOT NULL REFERENCES institutions(id),
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token   TEXT PRIMARY KEY,
    data    BLOB NOT NULL,
    expiry  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE login_attempts (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP
);

-- The audit trail is append-only and hash-chained per institution.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    seq         INTEGER NOT NULL,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_tenant_at ON audit_events (tenant_id, at);
CREATE INDEX audit_tenant_entity ON audit_events (tenant_id, entity, entity_id);
CREATE INDEX audit_tenant_actor ON audit_events (tenant_id, actor_id);

CREATE TABLE audit_heads (
    tenant_id  INTEGER PRIMARY KEY REFERENCES institutions(id),
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
