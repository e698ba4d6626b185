-- The Balanced Scorecard: perspectives, strategic objectives (institution
-- level, or a unit's, cascaded to the institution's through parent_id),
-- cause-and-effect links for the strategy map, KPIs with targets per period,
-- measurements with their history and pending corrections, and initiatives.
-- Quality objectives (ISO 9001 6.2) are objectives with quality = true.

CREATE TABLE scorecard_perspectives (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    -- citizens, financial, processes, learning for the public-sector
    -- defaults (named by the catalogue); empty for one the institution added.
    kind        TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    weight      REAL NOT NULL DEFAULT 1,
    archived    BOOLEAN NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX scorecard_perspectives_tenant ON scorecard_perspectives (tenant_id, position);

CREATE TABLE scorecard_objectives (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES institutions(id),
    perspective_id  INTEGER NOT NULL REFERENCES scorecard_perspectives(id),
    -- NULL: an objective of the institution; set: of that unit's scorecard.
    unit_id         INTEGER REFERENCES units(id),
    -- The higher objective this one contributes to (cascading).
    parent_id       INTEGER REFERENCES scorecard_objectives(id),
    code            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    owner_id        INTEGER REFERENCES people(id),
    weight          REAL NOT NULL DEFAULT 1,
    -- A quality objective (ISO 9001 6.2).
    quality         BOOLEAN NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL DEFAULT 0,
    archived        BOOLEAN NOT NULL DEFAULT 0,
    search_text     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX scorecard_objectives_tenant ON scorecard_objectives (tenant_id, perspective_id, position);
CREATE INDEX scorecard_objectives_unit ON scorecard_objectives (tenant_id, unit_id);
CREATE INDEX scorecard_objectives_parent ON scorecard_objectives (tenant_id, parent_id);

-- Cause and effect on the strategy map: from_id helps achieve to_id.
CREATE TABLE scorecard_links (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    from_id     INTEGER NOT NULL REFERENCES scorecard_objectives(id),
    to_id       INTEGER NOT NULL REFERENCES scorecard_objectives(id),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, from_id, to_id)
);

CREATE TABLE scorecard_kpis (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    -- The unit of measure: "%", "zile", "lei", "nr."
    measure_unit   TEXT NOT NULL DEFAULT '',
    polarity       TEXT NOT NULL,      -- higher, lower, band
    method         TEXT NOT NULL,      -- linear, bands, binary
    frequency      TEXT NOT NULL,      -- monthly, quarterly, halfyearly, yearly
    baseline       REAL,
    -- The red threshold (higher: red below it; lower: red above it; band:
    -- red below red_low or above red_high).
    red_low        REAL,
    red_high       REAL,
    decimals       INTEGER NOT NULL DEFAULT 1,
    owner_id       INTEGER REFERENCES people(id),
    -- Where the figures come from, in the institution's words.
    data_source    TEXT NOT NULL DEFAULT '',
    -- A metric computed by another module ("documents.ack_rate"); empty
    -- for values entered by people.
    metric         TEXT NOT NULL DEFAULT '',
    -- A formula over other KPIs' codes ("K03 / K04 * 100"); empty for none.
    formula        TEXT NOT NULL DEFAULT '',
    objective_id   INTEGER REFERENCES scorecard_objectives(id),
    unit_id        INTEGER REFERENCES units(id),
    process        TEXT NOT NULL DEFAULT '',
    weight         REAL NOT NULL DEFAULT 1,
    archived       BOOLEAN NOT NULL DEFAULT 0,
    search_text    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX scorecard_kpis_objective ON scorecard_kpis (tenant_id, objective_id);
CREATE INDEX scorecard_kpis_unit ON scorecard_kpis (tenant_id, unit_id);

-- Targets: period is a period key of the KPI's frequency ("2026-10",
-- "2026-Q3", "2026-H1") or a year ("2026"), which applies to every period
-- of that year without a target of its own. target_high is the band's top.
CREATE TABLE scorecard_targets (
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    kpi_id       INTEGER NOT NULL REFERENCES scorecard_kpis(id),
    period       TEXT NOT NULL,
    target       REAL NOT NULL,
    target_high  REAL,
    PRIMARY KEY (kpi_id, period)
);
CREATE INDEX scorecard_targets_tenant ON scorecard_targets (tenant_id, kpi_id);

-- One row per KPI and period: value is the approved value the scores use
-- (NULL until one is approved); pending_* is a value entered by someone
-- other than the owner, waiting for the owner's approval.
CREATE TABLE scorecard_measurements (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL REFERENCES institutions(id),
    kpi_id               INTEGER NOT NULL REFERENCES scorecard_kpis(id),
    period               TEXT NOT NULL,
    -- The period's last day (YYYY-MM-DD), for ordering and due dates.
    period_end           TEXT NOT NULL,
    value                REAL,
    explanation          TEXT NOT NULL DEFAULT '',
    source               TEXT NOT NULL DEFAULT 'manual', -- manual, import, api, computed, formula
    entered_by           INTEGER REFERENCES users(id),
    entered_by_name      TEXT NOT NULL DEFAULT '',
    entered_at           TIMESTAMP,
    approved_by_name     TEXT NOT NULL DEFAULT '',
    approved_at          TIMESTAMP,
    pending_value        REAL,
    pending_explanation  TEXT NOT NULL DEFAULT '',
    pending_source       TEXT NOT NULL DEFAULT '',
    pending_by           INTEGER REFERENCES users(id),
    pending_by_name      TEXT NOT NULL DEFAULT '',
    pending_at           TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, kpi_id, period)
);
CREATE INDEX scorecard_measurements_period ON scorecard_measurements (tenant_id, period);
CREATE INDEX scorecard_measurements_pending ON scorecard_measurements (tenant_id, pending_at);

-- A corrected or replaced value keeps the old one here.
CREATE TABLE scorecard_measurement_history (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES institutions(id),
    measurement_id    INTEGER NOT NULL REFERENCES scorecard_measurements(id),
    kpi_id            INTEGER NOT NULL REFERENCES scorecard_kpis(id),
    period            TEXT NOT NULL,
    value             REAL,
    explanation       TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL DEFAULT '',
    entered_by_name   TEXT NOT NULL DEFAULT '',
    entered_at        TIMESTAMP,
    replaced_by_name  TEXT NOT NULL DEFAULT '',
    replaced_at       TIMESTAMP NOT NULL,
    -- Why the value changed: corrected, approved (a pending value replaced
    -- it), recomputed.
    reason            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scorecard_history_kpi ON scorecard_measurement_history (tenant_id, kpi_id, period);

CREATE TABLE scorecard_initiatives (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    code          TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    owner_id      INTEGER REFERENCES people(id),
    unit_id       INTEGER REFERENCES units(id),
    budget        REAL NOT NULL DEFAULT 0,
    spent         REAL NOT NULL DEFAULT 0,
    -- Civil dates, YYYY-MM-DD.
    start_on      TEXT NOT NULL DEFAULT '',
    end_on        TEXT NOT NULL DEFAULT '',
    progress      INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL,      -- planned, ongoing, done, cancelled
    -- Where the money comes from: local budget, a funded project.
    funding       TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX scorecard_initiatives_tenant ON scorecard_initiatives (tenant_id, state, end_on);

CREATE TABLE scorecard_initiative_objectives (
    tenant_id      INTEGER NOT NULL REFERENCES institutions(id),
    initiative_id  INTEGER NOT NULL REFERENCES scorecard_initiatives(id),
    objective_id   INTEGER NOT NULL REFERENCES scorecard_objectives(id),
    PRIMARY KEY (initiative_id, objective_id)
);
CREATE INDEX scorecard_initiative_objectives_obj ON scorecard_initiative_objectives (tenant_id, objective_id);
