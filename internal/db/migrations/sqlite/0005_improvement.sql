-- Nonconformities and corrective actions (ISO 9001 10.2), improvement
-- proposals (10.3): the cases, their root-cause analysis, the actions of
-- both, effectiveness checks and the workflow steps of each record.

-- The last number given per institution, kind ("NC", "PI") and year, for
-- codes such as NC-2026-007.
CREATE TABLE improvement_counters (
    tenant_id  INTEGER NOT NULL REFERENCES institutions(id),
    kind       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, year)
);

CREATE TABLE nonconformities (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    code            TEXT NOT NULL,
    sort_code       TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL,
    source_ref      TEXT NOT NULL DEFAULT '',
    -- A record of another module that raised the case (an audit finding).
    source_module   TEXT NOT NULL DEFAULT '',
    source_entity   TEXT NOT NULL DEFAULT '',
    source_id       INTEGER NOT NULL DEFAULT 0,
    process         TEXT NOT NULL DEFAULT '',
    unit_id         INTEGER REFERENCES units(id),
    clause          TEXT NOT NULL DEFAULT '',
    severity        TEXT NOT NULL,
    severity_rank   INTEGER NOT NULL,
    detected_on     TEXT NOT NULL,
    reporter_id     INTEGER REFERENCES people(id),
    reporter_name   TEXT NOT NULL DEFAULT '',
    owner_id        INTEGER REFERENCES people(id),
    correction      TEXT NOT NULL DEFAULT '',
    correction_by   TEXT NOT NULL DEFAULT '',
    correction_on   TEXT NOT NULL DEFAULT '',
    conclusion      TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    reopened        INTEGER NOT NULL DEFAULT 0,
    -- The earliest due day of the open actions, '' when none is open.
    next_due        TEXT NOT NULL DEFAULT '',
    open_actions    INTEGER NOT NULL DEFAULT 0,
    closed_on       TEXT NOT NULL DEFAULT '',
    -- The number in the log the case was imported from.
    import_no       TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX nonconformities_code ON nonconformities (tenant_id, sort_code);
CREATE INDEX nonconformities_state ON nonconformities (tenant_id, state, severity_rank, detected_on);
CREATE INDEX nonconformities_unit ON nonconformities (tenant_id, unit_id, state, severity_rank);
CREATE INDEX nonconformities_detected ON nonconformities (tenant_id, detected_on);
CREATE INDEX nonconformities_due ON nonconformities (tenant_id, next_due, state);
CREATE INDEX nonconformities_owner ON nonconformities (tenant_id, owner_id);
CREATE INDEX nonconformities_source ON nonconformities (tenant_id, source_module, source_entity, source_id);

-- The five whys: ordered question and answer pairs.
CREATE TABLE nc_whys (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    nc_id       INTEGER NOT NULL REFERENCES nonconformities(id),
    position    INTEGER NOT NULL,
    why         TEXT NOT NULL,
    because     TEXT NOT NULL,
    PRIMARY KEY (nc_id, position)
);

-- The cause-and-effect (Ishikawa) grid: causes by category, some marked
-- as root causes.
CREATE TABLE nc_causes (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    nc_id       INTEGER NOT NULL REFERENCES nonconformities(id),
    category    TEXT NOT NULL,
    cause       TEXT NOT NULL,
    root        BOOLEAN NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL
);
CREATE INDEX nc_causes_nc ON nc_causes (tenant_id, nc_id);

CREATE TABLE improvement_proposals (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    code            TEXT NOT NULL,
    sort_code       TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    benefit         TEXT NOT NULL DEFAULT '',
    unit_id         INTEGER REFERENCES units(id),
    process         TEXT NOT NULL DEFAULT '',
    proposer_user   INTEGER NOT NULL DEFAULT 0,
    proposer_id     INTEGER REFERENCES people(id),
    proposer_name   TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    decision        TEXT NOT NULL DEFAULT '',
    submitted_on    TEXT NOT NULL,
    decided_on      TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX improvement_proposals_state ON improvement_proposals (tenant_id, state, sort_code);
CREATE INDEX improvement_proposals_proposer ON improvement_proposals (tenant_id, proposer_user);

-- Corrective actions of a nonconformity and improvement actions of a
-- proposal.
CREATE TABLE improvement_actions (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    nc_id         INTEGER REFERENCES nonconformities(id),
    proposal_id   INTEGER REFERENCES improvement_proposals(id),
    description   TEXT NOT NULL,
    owner_id      INTEGER REFERENCES people(id),
    -- The owner as written in an imported log, when no person matched.
    owner_name    TEXT NOT NULL DEFAULT '',
    due_on        TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    done_note     TEXT NOT NULL DEFAULT '',
    done_on       TEXT NOT NULL DEFAULT '',
    done_by       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK ((nc_id IS NULL) <> (proposal_id IS NULL))
);
CREATE INDEX improvement_actions_nc ON improvement_actions (tenant_id, nc_id);
CREATE INDEX improvement_actions_proposal ON improvement_actions (tenant_id, proposal_id);
CREATE INDEX improvement_actions_due ON improvement_actions (tenant_id, state, due_on);
CREATE INDEX improvement_actions_owner ON improvement_actions (tenant_id, owner_id, state);

-- Effectiveness checks of a nonconformity: planned, then effective or not.
CREATE TABLE nc_checks (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    nc_id         INTEGER NOT NULL REFERENCES nonconformities(id),
    checker_id    INTEGER NOT NULL REFERENCES people(id),
    planned_on    TEXT NOT NULL,
    verdict       TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    checked_on    TEXT NOT NULL DEFAULT '',
    checked_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX nc_checks_nc ON nc_checks (tenant_id, nc_id);
CREATE INDEX nc_checks_due ON nc_checks (tenant_id, verdict, planned_on);

-- Workflow steps of nonconformities and proposals, for their history.
CREATE TABLE improvement_steps (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX improvement_steps_entity ON improvement_steps (tenant_id, entity, entity_id, id);
