-- Internal audit of the quality management system (ISO 9001 clause 9.2):
-- the register of internal auditors and their qualifications, the yearly
-- audit programme and its planned audits, audit plans with their team,
-- procedures and agenda, checklists, findings (each opening a case in the
-- nonconformity register) and the workflow history.

-- A person of the institution registered as internal auditor.
CREATE TABLE auditors (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    person_id    INTEGER NOT NULL REFERENCES people(id),
    active       BOOLEAN NOT NULL DEFAULT 1,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, person_id)
);

-- A course, qualification or certificate of an auditor.
CREATE TABLE auditor_qualifications (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    auditor_id     INTEGER NOT NULL REFERENCES auditors(id),
    name           TEXT NOT NULL,
    issuer         TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    hours          INTEGER NOT NULL DEFAULT 0,
    issued_on      TEXT NOT NULL DEFAULT '',
    -- Empty: does not expire.
    expires_on     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX auditor_qualifications_auditor ON auditor_qualifications (tenant_id, auditor_id);

-- The yearly audit programme (programul anual de audit intern).
CREATE TABLE audit_programmes (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    year             INTEGER NOT NULL,
    state            TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    approved_by      INTEGER NOT NULL DEFAULT 0,
    approved_name    TEXT NOT NULL DEFAULT '',
    approved_at      TIMESTAMP,
    -- Last year's programme this one was started from.
    previous_id      INTEGER REFERENCES audit_programmes(id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, year)
);

-- An audit planned in a programme: a unit and/or a process, the month, the
-- clauses, and why it is planned that often.
CREATE TABLE audit_programme_items (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    programme_id    INTEGER NOT NULL REFERENCES audit_programmes(id),
    unit_id         INTEGER REFERENCES units(id),
    process         TEXT NOT NULL DEFAULT '',
    month           INTEGER NOT NULL,
    clauses         TEXT NOT NULL DEFAULT '',
    -- Audits a year the rule asks for (1 or 2), and the figures behind it.
    frequency       INTEGER NOT NULL DEFAULT 1,
    risk_exposure   INTEGER NOT NULL DEFAULT 0,
    tolerance       INTEGER NOT NULL DEFAULT 0,
    last_result     TEXT NOT NULL DEFAULT '',
    last_year       INTEGER NOT NULL DEFAULT 0,
    open_findings   INTEGER NOT NULL DEFAULT 0,
    -- What changed since last year's programme: new, more, fewer.
    change          TEXT NOT NULL DEFAULT '',
    previous_id     INTEGER REFERENCES audit_programme_items(id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX audit_programme_items_programme ON audit_programme_items (tenant_id, programme_id, month);

-- One internal audit: its plan, state, report texts.
CREATE TABLE internal_audits (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    code             TEXT NOT NULL,
    year             INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    programme_id     INTEGER REFERENCES audit_programmes(id),
    item_id          INTEGER REFERENCES audit_programme_items(id),
    title            TEXT NOT NULL,
    unit_id          INTEGER REFERENCES units(id),
    process          TEXT NOT NULL DEFAULT '',
    scope            TEXT NOT NULL DEFAULT '',
    criteria         TEXT NOT NULL DEFAULT '',
    -- ISO 9001 clause codes, comma-separated, in the standard's order.
    clauses          TEXT NOT NULL DEFAULT '',
    lead_id          INTEGER REFERENCES people(id),
    auditees         TEXT NOT NULL DEFAULT '',
    start_on         TEXT NOT NULL,
    end_on           TEXT NOT NULL,
    state            TEXT NOT NULL,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    summary          TEXT NOT NULL DEFAULT '',
    conclusions      TEXT NOT NULL DEFAULT '',
    distribution     TEXT NOT NULL DEFAULT '',
    reported_on      TEXT NOT NULL DEFAULT '',
    -- The audit of the same unit or process this one was started from.
    previous_id      INTEGER REFERENCES internal_audits(id),
    search_text      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX internal_audits_tenant_year ON internal_audits (tenant_id, year, seq);
CREATE INDEX internal_audits_tenant_unit ON internal_audits (tenant_id, unit_id, start_on);
CREATE INDEX internal_audits_tenant_start ON internal_audits (tenant_id, start_on);

-- The audit team beside the lead auditor.
CREATE TABLE audit_team (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    audit_id    INTEGER NOT NULL REFERENCES internal_audits(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (audit_id, person_id)
);
CREATE INDEX audit_team_person ON audit_team (tenant_id, person_id);

-- Procedures in the audit's scope, with the edition in force when planned.
CREATE TABLE audit_procedures (
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    audit_id     INTEGER NOT NULL REFERENCES internal_audits(id),
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    edition      INTEGER NOT NULL DEFAULT 0,
    revision     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (audit_id, document_id)
);

-- The audit plan's agenda.
CREATE TABLE audit_agenda (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    audit_id    INTEGER NOT NULL REFERENCES internal_audits(id),
    position    INTEGER NOT NULL,
    at_day      TEXT NOT NULL DEFAULT '',
    at_time     TEXT NOT NULL DEFAULT '',
    activity    TEXT NOT NULL,
    people      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_agenda_audit ON audit_agenda (tenant_id, audit_id, position);

-- A checklist item: the question, and what the audit found.
CREATE TABLE audit_checklist (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    audit_id     INTEGER NOT NULL REFERENCES internal_audits(id),
    position     INTEGER NOT NULL,
    clause       TEXT NOT NULL DEFAULT '',
    document_id  INTEGER REFERENCES documents(id),
    -- bank, procedure, manual, followup.
    source       TEXT NOT NULL,
    question     TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    -- Empty until recorded: conform, major, minor, observation, opportunity, na.
    verdict      TEXT NOT NULL DEFAULT '',
    -- Carried from the previous audit: what changed (new_edition, clause_added, followup).
    change       TEXT NOT NULL DEFAULT '',
    -- A follow-up item: the case of the previous audit's finding.
    followup_nc_id INTEGER,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX audit_checklist_audit ON audit_checklist (tenant_id, audit_id, position);
-- The results by clause, for the compliance matrix.
CREATE INDEX audit_checklist_results ON audit_checklist (tenant_id, audit_id, clause, verdict);

-- A finding; nc_id is the case it opened in the nonconformity register.
CREATE TABLE audit_findings (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    audit_id     INTEGER NOT NULL REFERENCES internal_audits(id),
    seq          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    clause       TEXT NOT NULL DEFAULT '',
    requirement  TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL,
    item_id      INTEGER REFERENCES audit_checklist(id),
    nc_id        INTEGER REFERENCES nonconformities(id),
    by_name      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX audit_findings_audit ON audit_findings (tenant_id, audit_id, seq);

-- The audit's workflow steps.
CREATE TABLE audit_steps (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    audit_id    INTEGER NOT NULL REFERENCES internal_audits(id),
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX audit_steps_audit ON audit_steps (tenant_id, audit_id, id);
