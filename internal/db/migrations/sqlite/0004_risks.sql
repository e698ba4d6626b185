-- The risk and opportunity register (OSGG 600 standard 8, ISO 9001 6.1):
-- the institution's scale, risks and opportunities with their scores,
-- control measures, reviews, workflow steps and register-level reviews.

-- Per institution: the scale, its labels, the tolerance, the exposure bands
-- and their colours, and the review interval. Absent: the defaults.
CREATE TABLE risk_settings (
    tenant_id      INTEGER PRIMARY KEY REFERENCES institutions(id),
    scale          INTEGER NOT NULL,
    -- Level labels, one per line, lowest first.
    p_labels       TEXT NOT NULL,
    i_labels       TEXT NOT NULL,
    tolerance      INTEGER NOT NULL,
    band_low       INTEGER NOT NULL,
    band_medium    INTEGER NOT NULL,
    color_low      TEXT NOT NULL,
    color_medium   TEXT NOT NULL,
    color_high     TEXT NOT NULL,
    review_months  INTEGER NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

-- One row of one year's register: a risk or an opportunity.
CREATE TABLE risks (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    year             INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    code             TEXT NOT NULL,
    sort_code        TEXT NOT NULL,
    -- unit: the unit's register; institution: the consolidated register.
    level            TEXT NOT NULL,
    unit_id          INTEGER REFERENCES units(id),
    objective        TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL,
    causes           TEXT NOT NULL DEFAULT '',
    consequences     TEXT NOT NULL DEFAULT '',
    owner_id         INTEGER REFERENCES people(id),
    owner_text       TEXT NOT NULL DEFAULT '',
    -- The scale (3 or 5) the scores were given on.
    scale            INTEGER NOT NULL,
    inherent_p       INTEGER NOT NULL,
    inherent_i       INTEGER NOT NULL,
    inherent_e       INTEGER NOT NULL,
    strategy         TEXT NOT NULL,
    -- Residual score at the last review; 0 until the first review.
    residual_p       INTEGER NOT NULL DEFAULT 0,
    residual_i       INTEGER NOT NULL DEFAULT 0,
    residual_e       INTEGER NOT NULL DEFAULT 0,
    -- The score that counts now: residual once reviewed, else inherent.
    cur_p            INTEGER NOT NULL,
    cur_i            INTEGER NOT NULL,
    cur_e            INTEGER NOT NULL,
    last_review_on   TEXT NOT NULL DEFAULT '',
    next_review_on   TEXT NOT NULL DEFAULT '',
    secondary        TEXT NOT NULL DEFAULT '',
    remarks          TEXT NOT NULL DEFAULT '',
    -- From the alert form: the measures proposed and the evidence.
    proposed_measures TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    decision_reason  TEXT NOT NULL DEFAULT '',
    proposed_by      INTEGER NOT NULL DEFAULT 0,
    proposed_name    TEXT NOT NULL DEFAULT '',
    -- Last year's row this one was carried from.
    previous_id      INTEGER REFERENCES risks(id),
    search_text      TEXT NOT NULL DEFAULT '',
    sort_text        TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, year, code)
);
CREATE INDEX risks_tenant_year_state ON risks (tenant_id, year, state, cur_e);
CREATE INDEX risks_tenant_year_code ON risks (tenant_id, year, sort_code);
CREATE INDEX risks_tenant_unit ON risks (tenant_id, unit_id);

-- Control measures (instrumente de control intern) of a risk.
CREATE TABLE risk_measures (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    risk_id      INTEGER NOT NULL REFERENCES risks(id),
    description  TEXT NOT NULL,
    owner_id     INTEGER REFERENCES people(id),
    owner_text   TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    previous_id  INTEGER REFERENCES risk_measures(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX risk_measures_risk ON risk_measures (tenant_id, risk_id);
CREATE INDEX risk_measures_deadline ON risk_measures (tenant_id, state, deadline);

-- A recorded review of one risk: its residual score then.
CREATE TABLE risk_reviews (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    risk_id      INTEGER NOT NULL REFERENCES risks(id),
    reviewed_on  TEXT NOT NULL,
    residual_p   INTEGER NOT NULL,
    residual_i   INTEGER NOT NULL,
    residual_e   INTEGER NOT NULL,
    measures     TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    user_id      INTEGER NOT NULL DEFAULT 0,
    name         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX risk_reviews_risk ON risk_reviews (tenant_id, risk_id, id);

-- The workflow steps of a risk: proposed, retained, escalated, declined, closed, reopened, carried.
CREATE TABLE risk_steps (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    risk_id     INTEGER NOT NULL REFERENCES risks(id),
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX risk_steps_risk ON risk_steps (tenant_id, risk_id, id);

-- A review of the register as a whole (the risk management team's meeting).
CREATE TABLE risk_register_reviews (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    year         INTEGER NOT NULL,
    unit_id      INTEGER REFERENCES units(id),
    reviewed_on  TEXT NOT NULL,
    conclusion   TEXT NOT NULL,
    user_id      INTEGER NOT NULL DEFAULT 0,
    name         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX risk_register_reviews_tenant ON risk_register_reviews (tenant_id, year, id);
