-- Imports of registers from XLSX or CSV, and the filters people save on lists.

-- One import: the uploaded file (by its SHA-256 in the blob store), the
-- column mapping chosen, and how far the write got.
CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    target      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_sum    TEXT NOT NULL,
    -- JSON object: field key -> column index.
    mapping     TEXT NOT NULL DEFAULT '{}',
    -- uploaded, running, done, failed
    state       TEXT NOT NULL,
    total_rows  INTEGER NOT NULL DEFAULT 0,
    done_rows   INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX import_jobs_tenant ON import_jobs (tenant_id, created_at);

-- A named filter of one list, kept for the person who saved it.
CREATE TABLE saved_filters (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    list        TEXT NOT NULL,
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, user_id, list, name)
);
