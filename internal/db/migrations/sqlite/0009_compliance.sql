-- The ISO 9001:2015 compliance matrix: the status of each clause, evidence
-- recorded by hand, the quality policy and scope, the certification body's
-- audits with their findings, and the certificates.

-- The status of one clause in one institution. Absent: not assessed.
CREATE TABLE compliance_clauses (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    clause         TEXT NOT NULL,
    status         TEXT NOT NULL,
    -- Why a clause is not applicable (required then), as the scope states it.
    justification  TEXT NOT NULL DEFAULT '',
    owner_id       INTEGER REFERENCES people(id),
    notes          TEXT NOT NULL DEFAULT '',
    assessed_at    TIMESTAMP NOT NULL,
    assessed_by    INTEGER NOT NULL DEFAULT 0,
    assessed_name  TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, clause)
);

-- Evidence recorded by hand: a record kept outside Cadran, an indicator, a
-- minute, with its reference or address.
CREATE TABLE compliance_evidence (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    clause       TEXT NOT NULL,
    title        TEXT NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    evidence_on  TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_name TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX compliance_evidence_clause ON compliance_evidence (tenant_id, clause);

-- Per institution: the documents that are the quality policy and the scope
-- of the management system, and the scope as stated.
CREATE TABLE compliance_settings (
    tenant_id      INTEGER PRIMARY KEY REFERENCES institutions(id),
    policy_doc_id  INTEGER REFERENCES documents(id),
    scope_doc_id   INTEGER REFERENCES documents(id),
    scope_text     TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

-- An audit by the certification body.
CREATE TABLE compliance_external_audits (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    body          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    lead_auditor  TEXT NOT NULL DEFAULT '',
    result        TEXT NOT NULL,
    report_ref    TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX compliance_external_audits_date ON compliance_external_audits (tenant_id, starts_on);

-- A finding of an external audit and the nonconformity it opened.
CREATE TABLE compliance_external_findings (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    audit_id    INTEGER NOT NULL REFERENCES compliance_external_audits(id),
    position    INTEGER NOT NULL,
    severity    TEXT NOT NULL,
    clause      TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    unit_id     INTEGER REFERENCES units(id),
    nc_id       INTEGER REFERENCES nonconformities(id),
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (audit_id, position)
);
CREATE INDEX compliance_external_findings_audit ON compliance_external_findings (tenant_id, audit_id);

-- A certificate of conformity with ISO 9001 and its three-year cycle.
CREATE TABLE compliance_certificates (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    number      TEXT NOT NULL,
    body        TEXT NOT NULL,
    standard    TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '',
    issued_on   TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX compliance_certificates_issued ON compliance_certificates (tenant_id, issued_on);

-- The matrix counts each clause's nonconformities, open and closed, on
-- every view: an index of the register's own table serves that count.
CREATE INDEX nonconformities_clause ON nonconformities (tenant_id, clause, state);
