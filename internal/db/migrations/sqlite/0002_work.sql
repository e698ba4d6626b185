-- The work inbox: tasks any module hands to people, in-app notifications,
-- e-mail preferences, the e-mail outbox, the reminders already sent and the
-- calendar feed tokens.

-- How many days before a due date the reminder goes out.
ALTER TABLE institutions ADD COLUMN reminder_days INTEGER NOT NULL DEFAULT 3;

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    -- What: the module's record the task is about.
    module        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    details       TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    -- Who: a person, or a role in a unit (no unit: anywhere in the institution).
    person_id     INTEGER REFERENCES people(id),
    role          TEXT NOT NULL DEFAULT '',
    role_unit_id  INTEGER REFERENCES units(id),
    -- The due day in the institution's calendar, as YYYY-MM-DD.
    due_on        TEXT NOT NULL,
    priority      TEXT NOT NULL DEFAULT 'normal',
    state         TEXT NOT NULL DEFAULT 'open',
    created_by    INTEGER NOT NULL DEFAULT 0,
    closed_at     TIMESTAMP,
    closed_by     TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK ((person_id IS NULL) <> (role = ''))
);
CREATE INDEX tasks_person ON tasks (tenant_id, person_id, state, due_on);
CREATE INDEX tasks_role ON tasks (tenant_id, role, state, role_unit_id) WHERE role <> '';
CREATE INDEX tasks_role_unit ON tasks (tenant_id, role_unit_id, state) WHERE role <> '';
CREATE INDEX tasks_open_due ON tasks (tenant_id, due_on) WHERE state = 'open';
-- The scheduler looks across institutions for tasks near or past their day.
CREATE INDEX tasks_open_day ON tasks (due_on) WHERE state = 'open';
CREATE INDEX tasks_record ON tasks (tenant_id, module, entity, entity_id);
CREATE INDEX tasks_tenant_due ON tasks (tenant_id, due_on);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event       TEXT NOT NULL,
    task_id     INTEGER REFERENCES tasks(id),
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (tenant_id, user_id, id);
CREATE INDEX notifications_unread ON notifications (tenant_id, user_id) WHERE read_at IS NULL;

-- A person's choice, per task kind (and "digest"), of e-mail besides the
-- in-app notification. No row means yes.
CREATE TABLE notification_prefs (
    tenant_id  INTEGER NOT NULL REFERENCES institutions(id),
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    email      BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- E-mails wait here, rendered in the recipient's language, until a
-- deliverer claims and sends them.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    user_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    to_address       TEXT NOT NULL,
    to_name          TEXT NOT NULL DEFAULT '',
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    claimed_until    TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Each reminder, overdue notice and digest is sent once: the scheduler
-- inserts its key here first, and a key already present means "already sent".
CREATE TABLE notices_sent (
    event       TEXT NOT NULL,
    subject_id  INTEGER NOT NULL,
    day         TEXT NOT NULL,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    sent_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (event, subject_id, day)
);

-- One secret calendar address per user; only its SHA-256 is kept.
CREATE TABLE calendar_feeds (
    user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);
