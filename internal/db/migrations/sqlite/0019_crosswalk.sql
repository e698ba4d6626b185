-- The crosswalk between ISO 9001 clauses, CAF sub-criteria and OSGG 600
-- standards, per institution: pairs of items of two frameworks, seeded
-- from the reference mapping on first use and edited by the quality office.

-- A pair, stored once in the order iso < caf < osgg (framework a is the
-- earlier one): "iso 7.5" with "osgg 13".
CREATE TABLE crosswalk_pairs (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    fw_a          TEXT NOT NULL,      -- iso, caf
    code_a        TEXT NOT NULL,      -- "7.5", "4.4"
    fw_b          TEXT NOT NULL,      -- caf, osgg
    code_b        TEXT NOT NULL,      -- "4.4", "13"
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, fw_a, code_a, fw_b, code_b)
);

-- The marker that the institution's crosswalk was seeded: once set,
-- removing pairs never brings the reference mapping back by itself.
CREATE TABLE crosswalk_settings (
    tenant_id     INTEGER PRIMARY KEY REFERENCES institutions(id),
    seeded_at     TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
