-- CAF self-assessment (Common Assessment Framework): a cycle run by a
-- self-assessment group on one version of the model (frameworks.CAF), with
-- the ten implementation steps, each member's individual assessment of the
-- sub-criteria, the consensus, the evidence and the improvement plan.

CREATE TABLE caf_cycles (
    id                  INTEGER PRIMARY KEY,
    tenant_id           INTEGER NOT NULL REFERENCES institutions(id),
    code                TEXT NOT NULL,            -- CAF-2026
    title               TEXT NOT NULL,
    -- The model's version, "2020": a later edition can be added without
    -- touching old cycles.
    model               TEXT NOT NULL,
    -- NULL: the whole institution; set: that unit or subordinate body.
    unit_id             INTEGER REFERENCES units(id),
    panel               TEXT NOT NULL,            -- classical, finetuned
    leader_id           INTEGER REFERENCES people(id),
    state               TEXT NOT NULL,
    start_on            TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    end_on              TEXT NOT NULL DEFAULT '',
    communication_plan  TEXT NOT NULL DEFAULT '',
    -- Readiness notes for the external feedback procedure (PEF).
    pef_notes           TEXT NOT NULL DEFAULT '',
    previous_id         INTEGER REFERENCES caf_cycles(id),
    cancel_reason       TEXT NOT NULL DEFAULT '',
    search_text         TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX caf_cycles_tenant ON caf_cycles (tenant_id, state);

-- The ten steps of the CAF implementation, as a tracked checklist.
CREATE TABLE caf_steps (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    cycle_id    INTEGER NOT NULL REFERENCES caf_cycles(id),
    step        INTEGER NOT NULL,                 -- 1 to 10
    planned_on  TEXT NOT NULL DEFAULT '',
    done_on     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, step)
);

-- The self-assessment group.
CREATE TABLE caf_members (
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    cycle_id      INTEGER NOT NULL REFERENCES caf_cycles(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    role          TEXT NOT NULL DEFAULT 'member', -- leader, member
    -- When the member submitted their individual assessment; until then
    -- nobody else sees their scores.
    submitted_at  TIMESTAMP,
    PRIMARY KEY (cycle_id, person_id)
);
CREATE INDEX caf_members_person ON caf_members (tenant_id, person_id);

-- One member's assessment of one sub-criterion. score is the classical
-- panel's; plan/do/check/act (enablers) and trend/target (results) are the
-- fine-tuned panel's, whose mean is the sub-criterion's score.
CREATE TABLE caf_assessments (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    cycle_id      INTEGER NOT NULL REFERENCES caf_cycles(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    subcriterion  TEXT NOT NULL,                  -- "1.1"
    evidence      TEXT NOT NULL DEFAULT '',
    strengths     TEXT NOT NULL DEFAULT '',
    improvements  TEXT NOT NULL DEFAULT '',
    score         REAL,
    plan          REAL,
    do_score      REAL,
    check_score   REAL,
    act           REAL,
    trend         REAL,
    target        REAL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (cycle_id, person_id, subcriterion)
);
CREATE INDEX caf_assessments_cycle ON caf_assessments (tenant_id, cycle_id, subcriterion);

-- The group's agreed score, strengths and areas for improvement.
CREATE TABLE caf_consensus (
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    cycle_id      INTEGER NOT NULL REFERENCES caf_cycles(id),
    subcriterion  TEXT NOT NULL,
    score         REAL,
    plan          REAL,
    do_score      REAL,
    check_score   REAL,
    act           REAL,
    trend         REAL,
    target        REAL,
    strengths     TEXT NOT NULL DEFAULT '',
    improvements  TEXT NOT NULL DEFAULT '',
    agreed_on     TEXT NOT NULL DEFAULT '',       -- the consensus meeting's date
    recorded_by   TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (cycle_id, subcriterion)
);
CREATE INDEX caf_consensus_tenant ON caf_consensus (tenant_id, cycle_id);

-- Evidence for a sub-criterion: a record already in Cadran (a document, a
-- KPI, a register entry), a survey summary (staff for criterion 7, citizens
-- for criterion 6), or a note.
CREATE TABLE caf_evidence (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    cycle_id      INTEGER NOT NULL REFERENCES caf_cycles(id),
    subcriterion  TEXT NOT NULL,
    kind          TEXT NOT NULL,  -- document, indicator, record, staff_survey, citizen_survey, note
    entity        TEXT NOT NULL DEFAULT '',
    entity_id     INTEGER,
    title         TEXT NOT NULL,
    href          TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    added_by      TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX caf_evidence_cycle ON caf_evidence (tenant_id, cycle_id, subcriterion);

-- The improvement plan: actions drawn from the areas for improvement,
-- prioritised by impact and ease.
CREATE TABLE caf_actions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    cycle_id      INTEGER NOT NULL REFERENCES caf_cycles(id),
    subcriterion  TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    impact        INTEGER NOT NULL,               -- 1 low, 2 medium, 3 high
    ease          INTEGER NOT NULL,               -- 1 hard, 2 medium, 3 easy
    owner_id      INTEGER REFERENCES people(id),
    due_on        TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,                  -- open, done, cancelled
    done_on       TEXT NOT NULL DEFAULT '',
    -- The case opened for it in the improvement register, if any.
    case_id       INTEGER REFERENCES nonconformities(id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX caf_actions_cycle ON caf_actions (tenant_id, cycle_id, state);
