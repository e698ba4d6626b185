-- Citizen services: the registry of petitions (OG 27/2002) and requests for
-- public information (Law 544/2001) with their legal deadlines, the
-- catalogue of public services, citizens' satisfaction feedback, and the
-- institution's settings for them.

-- The institution's settings for citizen services. A row is created the
-- first time they are read.
CREATE TABLE citizen_settings (
    tenant_id        INTEGER PRIMARY KEY REFERENCES institutions(id),
    -- A deadline that falls on a Saturday, a Sunday or a public holiday
    -- moves to the next working day.
    shift_to_working BOOLEAN NOT NULL DEFAULT 1,
    -- The public pages (filing, status, feedback) are open.
    public_enabled   BOOLEAN NOT NULL DEFAULT 1,
    -- The impact baseline: the period every service's current indicators
    -- are compared with, unless the service sets its own.
    baseline_from    TEXT NOT NULL DEFAULT '',     -- YYYY-MM-DD
    baseline_to      TEXT NOT NULL DEFAULT '',     -- YYYY-MM-DD, inclusive
    -- Shown on the public pages: how to reach the registry.
    contact          TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);

-- The public services the institution offers.
CREATE TABLE citizen_services (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    code           TEXT NOT NULL,                 -- URB-CU
    name           TEXT NOT NULL,                 -- Certificat de urbanism
    description    TEXT NOT NULL DEFAULT '',
    unit_id        INTEGER REFERENCES units(id),  -- the responsible unit
    -- The legal deadline in calendar days from registration.
    legal_days     INTEGER NOT NULL,
    legal_basis    TEXT NOT NULL DEFAULT '',      -- Legea 50/1991, art. 6^1
    -- The documents required, one per line.
    documents      TEXT NOT NULL DEFAULT '',
    fee            TEXT NOT NULL DEFAULT '',
    active         BOOLEAN NOT NULL DEFAULT 1,
    -- The service's own impact baseline; empty: the institution's.
    baseline_from  TEXT NOT NULL DEFAULT '',
    baseline_to    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);

-- The last registration number given in a year: one sequence per
-- institution and year for petitions and requests alike, as the registry
-- keeps one register.
CREATE TABLE citizen_counters (
    tenant_id  INTEGER NOT NULL REFERENCES institutions(id),
    year       INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

-- A petition or a request for public information, or a service request
-- (an application for a service of the catalogue), as registered.
CREATE TABLE citizen_cases (
    id                  INTEGER PRIMARY KEY,
    tenant_id           INTEGER NOT NULL REFERENCES institutions(id),
    kind                TEXT NOT NULL,            -- petition, info, service
    year                INTEGER NOT NULL,
    seq                 INTEGER NOT NULL,
    number              TEXT NOT NULL,            -- 1234/2026
    registered_on       TEXT NOT NULL,            -- YYYY-MM-DD (Bucharest)
    registered_at       TIMESTAMP NOT NULL,
    channel             TEXT NOT NULL,            -- counter, email, online, post
    -- The petitioner: only what is needed to answer.
    petitioner_name     TEXT NOT NULL DEFAULT '',
    petitioner_email    TEXT NOT NULL DEFAULT '',
    petitioner_phone    TEXT NOT NULL DEFAULT '',
    petitioner_address  TEXT NOT NULL DEFAULT '',
    legal_person        BOOLEAN NOT NULL DEFAULT 0,
    -- When the petitioner agreed to the processing of their data, and the
    -- text they agreed to (its version, "2026-1").
    consent_at          TIMESTAMP,
    consent_version     TEXT NOT NULL DEFAULT '',
    subject             TEXT NOT NULL,
    body                TEXT NOT NULL DEFAULT '',
    topic               TEXT NOT NULL DEFAULT 'other',
    service_id          INTEGER REFERENCES citizen_services(id),
    unit_id             INTEGER REFERENCES units(id),
    assignee_id         INTEGER REFERENCES people(id),
    -- A request for public information that is complex: 30 days, not 10.
    complex             BOOLEAN NOT NULL DEFAULT 0,
    state               TEXT NOT NULL,            -- registered, assigned, answered, redirected, filed, refused
    -- The legal deadline now (after any extension), and as first computed.
    due_on              TEXT NOT NULL,
    base_due_on         TEXT NOT NULL,
    extension_days      INTEGER NOT NULL DEFAULT 0,
    extension_reason    TEXT NOT NULL DEFAULT '',
    extension_notice_on TEXT NOT NULL DEFAULT '',
    redirected_to       TEXT NOT NULL DEFAULT '',
    redirect_notice_on  TEXT NOT NULL DEFAULT '',
    answer              TEXT NOT NULL DEFAULT '',
    answer_kind         TEXT NOT NULL DEFAULT '', -- favourable, partial, unfavourable, provided, refused, not_held
    closed_on           TEXT NOT NULL DEFAULT '', -- answered, redirected, filed or refused on
    -- Calendar days from registration to closing, and whether the case was
    -- closed by its deadline: kept so the indicators need no date arithmetic.
    days_taken          INTEGER,
    on_time             BOOLEAN,
    -- An administrative complaint against the answer (Law 544/2001, art. 21).
    complaint           TEXT NOT NULL DEFAULT '', -- '', pending, upheld, rejected
    -- The SHA-256 of the private access code the petitioner checks the
    -- status with; the code itself is shown once and never stored.
    access_hash         TEXT NOT NULL DEFAULT '',
    -- The petitioner has rated the answer (once per case; the rating
    -- itself is anonymous and kept apart).
    rated               BOOLEAN NOT NULL DEFAULT 0,
    search_text         TEXT NOT NULL DEFAULT '',
    created_by          INTEGER REFERENCES users(id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, year, seq)
);
CREATE INDEX citizen_cases_registered ON citizen_cases (tenant_id, registered_on);
CREATE INDEX citizen_cases_open ON citizen_cases (tenant_id, state, due_on);
CREATE INDEX citizen_cases_assignee ON citizen_cases (tenant_id, assignee_id, state);
-- A unit's open or overdue cases, by deadline.
CREATE INDEX citizen_cases_unit ON citizen_cases (tenant_id, unit_id, state, due_on);
-- The service indicators read whole months from citizen_stats and the days
-- of a month a period covers only in part from these ranges (index only):
-- the cases closed on those days, registered on them, and due on them.
CREATE INDEX citizen_cases_closed ON citizen_cases (tenant_id, closed_on, state, service_id, kind, days_taken, on_time, due_on, registered_on);
-- The registry list (H1): counts by year and state (and a year's open
-- cases by deadline), and by unit and kind, read the index alone; the
-- overview counts open cases by kind and deadline.
CREATE INDEX citizen_cases_year_state ON citizen_cases (tenant_id, year, state, due_on);
CREATE INDEX citizen_cases_unit_kind ON citizen_cases (tenant_id, unit_id, kind, state);
CREATE INDEX citizen_cases_open_kind ON citizen_cases (tenant_id, state, kind, due_on);
-- An employee's own cases, newest number first, without sorting them all.
CREATE INDEX citizen_cases_assignee_number ON citizen_cases (tenant_id, assignee_id, year, seq);
CREATE INDEX citizen_cases_unit_number ON citizen_cases (tenant_id, unit_id, year, seq);
-- The cases of a channel, counted and paged by number in the index.
CREATE INDEX citizen_cases_channel ON citizen_cases (tenant_id, channel, year, seq);
-- The list's text search: the folded search column (number, subject,
-- petitioner) in full text, kept by triggers in the writing transaction
-- (whoever writes the case). rowid is the case id.
CREATE VIRTUAL TABLE citizen_cases_fts USING fts5 (
    search_text, content = 'citizen_cases', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER citizen_cases_fts_insert AFTER INSERT ON citizen_cases BEGIN
    INSERT INTO citizen_cases_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER citizen_cases_fts_delete AFTER DELETE ON citizen_cases BEGIN
    INSERT INTO citizen_cases_fts (citizen_cases_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER citizen_cases_fts_update AFTER UPDATE OF search_text ON citizen_cases BEGIN
    INSERT INTO citizen_cases_fts (citizen_cases_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO citizen_cases_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE INDEX citizen_cases_stats_reg ON citizen_cases (tenant_id, registered_on, service_id, kind, due_on, closed_on);
CREATE INDEX citizen_cases_stats_due ON citizen_cases (tenant_id, due_on, registered_on, closed_on, service_id, kind);

-- A citizen's rating of a service: anonymous (no case, name or address is
-- kept with it).
CREATE TABLE citizen_feedback (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    service_id  INTEGER REFERENCES citizen_services(id),
    kind        TEXT NOT NULL DEFAULT '',         -- petition, info, service: what was rated when no service is
    channel     TEXT NOT NULL,                    -- answer (after an answer), counter (short link, QR), online
    rating      INTEGER NOT NULL,                 -- 1 to 5
    comment     TEXT NOT NULL DEFAULT '',
    given_on    TEXT NOT NULL,                    -- YYYY-MM-DD
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX citizen_feedback_service ON citizen_feedback (tenant_id, service_id, given_on);
-- The ratings of a period by day (the feedback list, and the indicators'
-- ratings on the days of a month a period covers only in part).
CREATE INDEX citizen_feedback_stats ON citizen_feedback (tenant_id, given_on, service_id, kind, rating);

-- The indicators' summary, kept in the transaction that registers, changes
-- or closes a case or stores a rating: per month, service (0: none) and
-- kind, the cases registered, those closed (answered, refused, redirected)
-- and closed on time, the ratings and their sum, and the net change in the
-- cases open past their deadline (+1 in the month a case not closed by its
-- deadline becomes overdue, -1 in the month it is closed after it; the sum
-- up to a day is the count open past their deadline then).
CREATE TABLE citizen_stats (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    month       TEXT NOT NULL,                    -- YYYY-MM
    service_id  INTEGER NOT NULL,                   -- 0: no service
    kind        TEXT NOT NULL,
    registered  INTEGER NOT NULL DEFAULT 0,
    closed      INTEGER NOT NULL DEFAULT 0,
    on_time     INTEGER NOT NULL DEFAULT 0,
    overdue     INTEGER NOT NULL DEFAULT 0,
    ratings     INTEGER NOT NULL DEFAULT 0,
    rating_sum  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, month, service_id, kind)
) WITHOUT ROWID;
-- The closed cases of citizen_stats by days taken (the histogram of the
-- mean and the 90th percentile).
CREATE TABLE citizen_stats_days (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    month       TEXT NOT NULL,
    service_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    days_taken  INTEGER NOT NULL,
    closed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, month, service_id, kind, days_taken)
) WITHOUT ROWID;
