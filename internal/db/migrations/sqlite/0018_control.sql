-- Internal managerial control (OSGG 600/2018): the yearly self-evaluation of
-- the 16 standards (frameworks.OSGG) by every compartment and its summary,
-- the development programme of the control system, the monitoring
-- commission and the risk management team, the sensitive functions, and
-- the activities of each compartment against the procedures covering them.

-- One row per institution; absent: the defaults (DOMAIN.md).
CREATE TABLE control_settings (
    tenant_id             INTEGER PRIMARY KEY REFERENCES institutions(id),
    -- The system's grade: "conform" with at least conform_min standards
    -- implemented, "partially conform" with at least partial_min.
    conform_min           INTEGER NOT NULL DEFAULT 16,
    partial_min           INTEGER NOT NULL DEFAULT 13,
    -- The yearly report's deadline, as MM-DD of the following year.
    report_due            TEXT NOT NULL DEFAULT '02-20',
    -- Days the compartments have to answer when an evaluation opens.
    answer_days           INTEGER NOT NULL DEFAULT 30,
    -- Longest stay in a sensitive function, and how long before it the
    -- rotation task reaches the quality office.
    rotation_years        INTEGER NOT NULL DEFAULT 5,
    rotation_notice_days  INTEGER NOT NULL DEFAULT 90,
    updated_at            TIMESTAMP NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);

-- A yearly self-evaluation: the situation at 31 December of year.
CREATE TABLE control_evaluations (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    year          INTEGER NOT NULL,
    -- The version of the standards, "2018" (frameworks.OSGGModel).
    model         TEXT NOT NULL,
    state         TEXT NOT NULL,                   -- open, consolidated, approved
    opened_on     TEXT NOT NULL,                   -- YYYY-MM-DD
    due_on        TEXT NOT NULL,                   -- questionnaires due
    consolidated_on TEXT NOT NULL DEFAULT '',
    approved_on   TEXT NOT NULL DEFAULT '',
    -- Who approved the summary (the commission's president) and the
    -- yearly report's registration number.
    approved_by   TEXT NOT NULL DEFAULT '',
    report_no     TEXT NOT NULL DEFAULT '',
    -- The summary's conclusions and the yearly report's own text.
    conclusions   TEXT NOT NULL DEFAULT '',
    report_text   TEXT NOT NULL DEFAULT '',
    -- The grading thresholds frozen when the evaluation was consolidated, so
    -- a later change of the settings does not regrade it; 0 while open.
    conform_min   INTEGER NOT NULL DEFAULT 0,
    partial_min   INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, year)
);

-- The compartments that answer an evaluation's questionnaire.
CREATE TABLE control_eval_units (
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    evaluation_id  INTEGER NOT NULL REFERENCES control_evaluations(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    -- Who answers for the compartment: its head when the evaluation opened.
    head_id        INTEGER REFERENCES people(id),
    state          TEXT NOT NULL,                  -- pending, submitted
    submitted_at   TIMESTAMP,
    submitted_by   TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (evaluation_id, unit_id)
);
CREATE INDEX control_eval_units_head ON control_eval_units (tenant_id, head_id);

-- A compartment's answer to one question ("criteriu general de evaluare")
-- of a standard.
CREATE TABLE control_answers (
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    evaluation_id  INTEGER NOT NULL REFERENCES control_evaluations(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    standard       INTEGER NOT NULL,               -- 1 to 16
    question       TEXT NOT NULL,                  -- "2.3"
    answer         TEXT NOT NULL,                  -- yes, no, na
    explanation    TEXT NOT NULL DEFAULT '',       -- the explanation, the evidence in words
    updated_at     TIMESTAMP NOT NULL,
    updated_by     TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (evaluation_id, unit_id, question)
);
CREATE INDEX control_answers_standard ON control_answers (tenant_id, evaluation_id, standard);

-- Evidence for a compartment's answers to a standard: a record already in
-- Cadran (a document, a risk, a case, an audit, a review, a KPI, a training
-- record) or a note.
CREATE TABLE control_evidence (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    evaluation_id  INTEGER NOT NULL REFERENCES control_evaluations(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    standard       INTEGER NOT NULL,
    question       TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,                  -- document, risk, case, audit, review, indicator, training, note
    entity         TEXT NOT NULL DEFAULT '',
    entity_id      INTEGER,
    title          TEXT NOT NULL,
    href           TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    added_by       TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX control_evidence_eval ON control_evidence (tenant_id, evaluation_id, unit_id, standard);

-- The summary's measures for a standard (what to adopt next year).
CREATE TABLE control_eval_standards (
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    evaluation_id  INTEGER NOT NULL REFERENCES control_evaluations(id),
    standard       INTEGER NOT NULL,
    measures       TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (evaluation_id, standard)
);

-- The development programme of the control system for a year, updated
-- yearly from the previous one.
CREATE TABLE control_programmes (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    state         TEXT NOT NULL,                   -- draft, approved, closed
    -- The act approving it ("Dispoziția nr. 112/15.01.2026") and its date.
    decision      TEXT NOT NULL DEFAULT '',
    approved_on   TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    previous_id   INTEGER REFERENCES control_programmes(id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, year)
);

-- The programme's objectives.
CREATE TABLE control_objectives (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    programme_id  INTEGER NOT NULL REFERENCES control_programmes(id),
    code          TEXT NOT NULL,                   -- O1
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id, code)
);

-- The programme's actions, per standard, each a task for its owner.
CREATE TABLE control_actions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    programme_id  INTEGER NOT NULL REFERENCES control_programmes(id),
    objective_id  INTEGER REFERENCES control_objectives(id),
    standard      INTEGER NOT NULL,                -- 1 to 16
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    owner_id      INTEGER REFERENCES people(id),
    unit_id       INTEGER REFERENCES units(id),
    due_on        TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,                   -- open, done, cancelled
    done_on       TEXT NOT NULL DEFAULT '',
    result        TEXT NOT NULL DEFAULT '',
    -- The action of last year's programme this one carries over.
    carried_from  INTEGER REFERENCES control_actions(id),
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_actions_programme ON control_actions (tenant_id, programme_id, state);
CREATE INDEX control_actions_owner ON control_actions (tenant_id, owner_id, state);

-- The monitoring commission and the risk management team.
CREATE TABLE control_bodies (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    kind          TEXT NOT NULL,                   -- commission, risk_team
    name          TEXT NOT NULL,
    -- The act setting it up ("Dispoziția primarului nr. 245/12.03.2024").
    decision      TEXT NOT NULL DEFAULT '',
    decision_on   TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_bodies_tenant ON control_bodies (tenant_id, kind);

CREATE TABLE control_body_members (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    body_id       INTEGER NOT NULL REFERENCES control_bodies(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    role          TEXT NOT NULL,                   -- president, vice_president, member, secretary
    from_on       TEXT NOT NULL DEFAULT '',
    until_on      TEXT NOT NULL DEFAULT '',        -- empty: still a member
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_body_members_body ON control_body_members (tenant_id, body_id);

-- A body's meeting and its minutes.
CREATE TABLE control_meetings (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    body_id       INTEGER NOT NULL REFERENCES control_bodies(id),
    number        TEXT NOT NULL DEFAULT '',        -- the minutes' registration number
    held_on       TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    agenda        TEXT NOT NULL DEFAULT '',
    minutes       TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,                   -- planned, held
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_meetings_body ON control_meetings (tenant_id, body_id, held_on);

CREATE TABLE control_meeting_attendees (
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    meeting_id    INTEGER NOT NULL REFERENCES control_meetings(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (meeting_id, person_id)
);

-- What a meeting decided; one with an owner and a deadline is a task.
CREATE TABLE control_decisions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    meeting_id    INTEGER NOT NULL REFERENCES control_meetings(id),
    number        TEXT NOT NULL DEFAULT '',        -- "Hotărârea nr. 3/2026"
    text          TEXT NOT NULL,
    owner_id      INTEGER REFERENCES people(id),
    due_on        TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,                   -- open, done, cancelled
    done_on       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_decisions_meeting ON control_decisions (tenant_id, meeting_id);
CREATE INDEX control_decisions_owner ON control_decisions (tenant_id, owner_id, state);

-- The inventory of sensitive functions (kept under standard 2).
CREATE TABLE control_sensitive_functions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    title         TEXT NOT NULL,                   -- the post: "Casier", "Inspector achiziții publice"
    -- Why it is sensitive: a comma list of money, assets, information,
    -- exclusive, procurement, public, delegation, advice.
    factors       TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    -- False: rotation is impossible, other controls reduce the risk.
    rotation      BOOLEAN NOT NULL DEFAULT 1,
    max_years     INTEGER NOT NULL DEFAULT 5,
    state         TEXT NOT NULL,                   -- active, retired
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_sensitive_unit ON control_sensitive_functions (tenant_id, unit_id, state);

-- The people in a sensitive function, and since when.
CREATE TABLE control_sensitive_holders (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    function_id   INTEGER NOT NULL REFERENCES control_sensitive_functions(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    since_on      TEXT NOT NULL,
    until_on      TEXT NOT NULL DEFAULT '',        -- empty: still in it
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_sensitive_holders_fn ON control_sensitive_holders (tenant_id, function_id);
CREATE INDEX control_sensitive_holders_person ON control_sensitive_holders (tenant_id, person_id);

-- The measures that reduce a sensitive function's risk: rotation or
-- another control, with its dates; each open one is a task for its owner.
CREATE TABLE control_sensitive_measures (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    function_id   INTEGER NOT NULL REFERENCES control_sensitive_functions(id),
    holder_id     INTEGER REFERENCES control_sensitive_holders(id),
    kind          TEXT NOT NULL,                   -- rotation, segregation, supervision, dual_signature, other
    description   TEXT NOT NULL DEFAULT '',
    owner_id      INTEGER REFERENCES people(id),
    due_on        TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,                   -- planned, done, cancelled
    done_on       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_sensitive_measures_fn ON control_sensitive_measures (tenant_id, function_id, state);

-- The activities of each compartment and the procedure that covers each
-- (procedure coverage). No document: it still lacks a procedure, unless
-- exempt says why none is needed.
CREATE TABLE control_activities (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    document_id   INTEGER REFERENCES documents(id),
    exempt        TEXT NOT NULL DEFAULT '',
    -- By when the missing procedure is to be written, and by whom.
    owner_id      INTEGER REFERENCES people(id),
    due_on        TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX control_activities_unit ON control_activities (tenant_id, unit_id);
CREATE INDEX control_activities_document ON control_activities (tenant_id, document_id);
