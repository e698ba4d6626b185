-- Training and competence (ISO 9001 7.2): target groups of a funded
-- project, programmes, sessions, enrolment, attendance per day, assessment
-- results, certificates with their expiry, the competence catalogue with
-- what each job or role requires and what each person holds, and the
-- induction plans of new employees.

-- A target group: the people a (usually funded) project trains, with the
-- goals it reports progress against.
CREATE TABLE training_groups (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    code           TEXT NOT NULL,                 -- GT-SIPOCA-2025
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    project        TEXT NOT NULL DEFAULT '',      -- the project's name and code (SIPOCA 123 / MySMIS 45678)
    start_on       TEXT NOT NULL DEFAULT '',      -- YYYY-MM-DD
    end_on         TEXT NOT NULL DEFAULT '',
    -- Goals: members to train, hours per member, share of members who
    -- complete the group's programmes (percent).
    goal_members   INTEGER NOT NULL DEFAULT 0,
    goal_hours     INTEGER NOT NULL DEFAULT 0,
    goal_share     INTEGER NOT NULL DEFAULT 0,
    active         BOOLEAN NOT NULL DEFAULT 1,
    search_text    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);

-- A member of a target group with the eligibility data the project reports
-- (kept here, not on the person: it is the project's record, with consent).
CREATE TABLE training_group_members (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    group_id     INTEGER NOT NULL REFERENCES training_groups(id),
    person_id    INTEGER NOT NULL REFERENCES people(id),
    category     TEXT NOT NULL,                   -- management, execution, contract, elected
    gender       TEXT NOT NULL DEFAULT '',        -- f, m, '' (not stated)
    birth_year   INTEGER NOT NULL DEFAULT 0,
    education    TEXT NOT NULL DEFAULT '',        -- ISCED level: isced2 .. isced8
    residence    TEXT NOT NULL DEFAULT '',        -- urban, rural
    consent      BOOLEAN NOT NULL DEFAULT 0,      -- agreed to the processing for the project's reports
    joined_on    TEXT NOT NULL,
    left_on      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (group_id, person_id)
);
CREATE INDEX training_group_members_person ON training_group_members (tenant_id, person_id);

-- The competence catalogue: what a job or role may require.
CREATE TABLE training_competences (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    code         TEXT NOT NULL,                   -- C-AUDIT
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    area         TEXT NOT NULL DEFAULT '',        -- quality, audit, caf, scorecard, risk, legal, digital, other
    -- Months a competence stays valid without a certificate renewing it;
    -- 0: it does not lapse.
    validity_months INTEGER NOT NULL DEFAULT 0,
    active       BOOLEAN NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);

-- What a job (people.job_title, matched folded) or a role (auth role, or
-- "auditor" for the audit register) requires, at a level 1 to 3.
CREATE TABLE training_requirements (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    competence_id  INTEGER NOT NULL REFERENCES training_competences(id),
    kind           TEXT NOT NULL,                 -- job, role, everyone
    target         TEXT NOT NULL DEFAULT '',      -- the job title, or the role; '' for everyone
    target_key     TEXT NOT NULL DEFAULT '',      -- target folded (no diacritics, lower case)
    level          INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (competence_id, kind, target_key)
);
CREATE INDEX training_requirements_tenant ON training_requirements (tenant_id, kind, target_key);

-- A training programme: topic, provider, hours and the certificate it
-- leads to.
CREATE TABLE training_programmes (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    code             TEXT NOT NULL,               -- P-MC-2025
    title            TEXT NOT NULL,
    topic            TEXT NOT NULL,               -- quality, audit, caf, scorecard, risk, control, legal, digital, induction, other
    provider         TEXT NOT NULL DEFAULT '',
    hours            INTEGER NOT NULL DEFAULT 0,
    certificate      TEXT NOT NULL DEFAULT '',    -- the certificate it leads to, '' none
    certificate_months INTEGER NOT NULL DEFAULT 0, -- its validity; 0: no expiry
    -- The competence a completed programme (or its certificate) gives, and at which level.
    competence_id    INTEGER REFERENCES training_competences(id),
    competence_level INTEGER NOT NULL DEFAULT 1,
    group_id         INTEGER REFERENCES training_groups(id),  -- the target group it serves
    -- Part of every new employee's induction plan.
    mandatory        BOOLEAN NOT NULL DEFAULT 0,
    pass_score       INTEGER NOT NULL DEFAULT 0,  -- 0: no assessment
    min_attendance   INTEGER NOT NULL DEFAULT 80, -- percent of days present to complete
    description      TEXT NOT NULL DEFAULT '',
    active           BOOLEAN NOT NULL DEFAULT 1,
    search_text      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX training_programmes_group ON training_programmes (tenant_id, group_id);

-- A session of a programme: dates, place, trainer.
CREATE TABLE training_sessions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    programme_id  INTEGER NOT NULL REFERENCES training_programmes(id),
    code          TEXT NOT NULL,                  -- P-MC-2025/1
    start_on      TEXT NOT NULL,                  -- YYYY-MM-DD
    end_on        TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    trainer       TEXT NOT NULL DEFAULT '',
    capacity      INTEGER NOT NULL DEFAULT 0,     -- 0: no limit
    state         TEXT NOT NULL,                  -- planned, held, closed, cancelled
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX training_sessions_programme ON training_sessions (tenant_id, programme_id, start_on);
CREATE INDEX training_sessions_dates ON training_sessions (tenant_id, start_on);

-- A person enrolled in a session, with the assessment result.
CREATE TABLE training_enrolments (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    session_id    INTEGER NOT NULL REFERENCES training_sessions(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    state         TEXT NOT NULL,                  -- enrolled, completed, failed, withdrawn
    score         INTEGER,                        -- assessment result 0..100, NULL: not assessed
    hours         REAL NOT NULL DEFAULT 0,        -- hours attended, from the attendance
    completed_on  TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (session_id, person_id)
);
CREATE INDEX training_enrolments_person ON training_enrolments (tenant_id, person_id, state);
CREATE INDEX training_enrolments_done ON training_enrolments (tenant_id, state, completed_on);
-- Covers a session's roll-ups (group progress, counts) without the table.
CREATE INDEX training_enrolments_session ON training_enrolments (session_id, person_id, state, hours);

-- Attendance per day of a session.
CREATE TABLE training_attendance (
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    enrolment_id  INTEGER NOT NULL REFERENCES training_enrolments(id),
    day           TEXT NOT NULL,                  -- YYYY-MM-DD
    present       BOOLEAN NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (enrolment_id, day)
);

-- A certificate a person holds: from a programme of ours or from outside.
CREATE TABLE training_certificates (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    enrolment_id    INTEGER REFERENCES training_enrolments(id),
    programme_id    INTEGER REFERENCES training_programmes(id),
    competence_id   INTEGER REFERENCES training_competences(id),
    competence_level INTEGER NOT NULL DEFAULT 1,
    name            TEXT NOT NULL,                -- "Auditor intern pentru sisteme de management al calității"
    number          TEXT NOT NULL DEFAULT '',     -- series and number
    issuer          TEXT NOT NULL DEFAULT '',
    hours           INTEGER NOT NULL DEFAULT 0,
    issued_on       TEXT NOT NULL,
    expires_on      TEXT NOT NULL DEFAULT '',     -- '' no expiry
    -- The scan, stored by its SHA-256 in the blob store.
    scan_sha256     TEXT NOT NULL DEFAULT '',
    scan_name       TEXT NOT NULL DEFAULT '',
    scan_type       TEXT NOT NULL DEFAULT '',
    scan_size       INTEGER NOT NULL DEFAULT 0,
    -- The certificate this one renews; the renewed one's task closes.
    renews_id       INTEGER REFERENCES training_certificates(id),
    revoked         BOOLEAN NOT NULL DEFAULT 0,
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_certificates_person ON training_certificates (tenant_id, person_id);
CREATE INDEX training_certificates_expiry ON training_certificates (tenant_id, expires_on);
CREATE INDEX training_certificates_programme ON training_certificates (tenant_id, programme_id);
CREATE INDEX training_certificates_renews ON training_certificates (tenant_id, renews_id);

-- A competence a person holds: from a certificate, a completed programme,
-- or assessed by their head of unit.
CREATE TABLE training_person_competences (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    competence_id   INTEGER NOT NULL REFERENCES training_competences(id),
    level           INTEGER NOT NULL DEFAULT 1,
    source          TEXT NOT NULL,                -- certificate, programme, assessed
    certificate_id  INTEGER REFERENCES training_certificates(id),
    enrolment_id    INTEGER REFERENCES training_enrolments(id),
    acquired_on     TEXT NOT NULL,
    expires_on      TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_person_competences_person ON training_person_competences (tenant_id, person_id, competence_id);
CREATE INDEX training_person_competences_comp ON training_person_competences (tenant_id, competence_id);

-- The induction plan of a new employee.
CREATE TABLE training_inductions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    start_on      TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    state         TEXT NOT NULL,                  -- open, completed, cancelled
    completed_on  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, person_id)
);
CREATE INDEX training_inductions_state ON training_inductions (tenant_id, state, due_on);

-- One item of an induction plan: a document to acknowledge (the quality
-- policy, the quality manual, a procedure of the person's unit) or a
-- mandatory programme to complete.
CREATE TABLE training_induction_items (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    induction_id   INTEGER NOT NULL REFERENCES training_inductions(id),
    kind           TEXT NOT NULL,                 -- policy, manual, procedure, programme
    document_id    INTEGER REFERENCES documents(id),
    programme_id   INTEGER REFERENCES training_programmes(id),
    title          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    done_on        TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX training_induction_items_induction ON training_induction_items (tenant_id, induction_id);

-- The module's settings per institution.
CREATE TABLE training_settings (
    tenant_id        INTEGER PRIMARY KEY REFERENCES institutions(id),
    induction_days   INTEGER NOT NULL DEFAULT 30, -- days a new employee has for the induction plan
    renewal_days     INTEGER NOT NULL DEFAULT 60, -- days before a certificate's expiry its renewal task is due
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
