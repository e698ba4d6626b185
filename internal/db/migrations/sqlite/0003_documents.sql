-- Documented information (ISO 9001 7.5, OSGG 600 standard 9): documents, their
-- editions and revisions, sections, files, sign-offs, distribution, read
-- acknowledgements, links and full-text search.

-- Per institution: the coding scheme and the defaults for new documents.
CREATE TABLE document_settings (
    tenant_id      INTEGER PRIMARY KEY REFERENCES institutions(id),
    code_pattern   TEXT NOT NULL,
    review_months  INTEGER NOT NULL,
    ack_days       INTEGER NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    kind             TEXT NOT NULL,
    code             TEXT NOT NULL,
    title            TEXT NOT NULL,
    unit_id          INTEGER REFERENCES units(id),
    owner_id         INTEGER REFERENCES people(id),
    review_months    INTEGER NOT NULL,
    -- The edition in force and the newest one (they differ while a revision is drafted).
    current_id       INTEGER,
    latest_id        INTEGER,
    -- The state of the document as a whole, for lists: the latest version's state.
    state            TEXT NOT NULL,
    effective_on     TEXT NOT NULL DEFAULT '',
    next_review_on   TEXT NOT NULL DEFAULT '',
    last_reviewed_on TEXT NOT NULL DEFAULT '',
    sort_code        TEXT NOT NULL,
    sort_title       TEXT NOT NULL,
    search_text      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, code)
);
CREATE INDEX documents_tenant_code ON documents (tenant_id, sort_code);
CREATE INDEX documents_tenant_title ON documents (tenant_id, sort_title);
CREATE INDEX documents_tenant_unit ON documents (tenant_id, unit_id);
CREATE INDEX documents_tenant_state ON documents (tenant_id, state);
CREATE INDEX documents_tenant_review ON documents (tenant_id, next_review_on);

-- One edition or revision of a document.
CREATE TABLE document_versions (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    document_id      INTEGER NOT NULL REFERENCES documents(id),
    edition          INTEGER NOT NULL,
    revision         INTEGER NOT NULL,
    state            TEXT NOT NULL,
    -- "sections": written in Cadran; "file": an uploaded DOCX or PDF; "register": only its register entry (imported).
    source           TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    changed          TEXT NOT NULL DEFAULT '',
    effective_on     TEXT NOT NULL DEFAULT '',
    author_id        INTEGER NOT NULL DEFAULT 0,
    verifier_id      INTEGER REFERENCES users(id),
    endorser_id      INTEGER REFERENCES users(id),
    approver_id      INTEGER REFERENCES users(id),
    content_hash     TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (document_id, edition, revision)
);
CREATE INDEX document_versions_doc ON document_versions (tenant_id, document_id);
CREATE INDEX document_versions_state ON document_versions (state, effective_on);

CREATE TABLE document_sections (
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    version_id  INTEGER NOT NULL REFERENCES document_versions(id),
    key         TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (version_id, key)
);

-- The uploaded main file of a version, and its annexes (forms).
CREATE TABLE document_files (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES institutions(id),
    version_id  INTEGER NOT NULL REFERENCES document_versions(id),
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX document_files_version ON document_files (tenant_id, version_id);

-- Sign-offs (drafted, checked, endorsed, approved) and rejections.
CREATE TABLE document_signoffs (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    version_id   INTEGER NOT NULL REFERENCES document_versions(id),
    step         TEXT NOT NULL,
    decision     TEXT NOT NULL,
    user_id      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    function     TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    signed_at    TIMESTAMP NOT NULL
);
CREATE INDEX document_signoffs_version ON document_signoffs (tenant_id, version_id, id);

-- Who receives the document: a unit (everyone in it) or a person, and why.
CREATE TABLE document_distribution (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    unit_id      INTEGER REFERENCES units(id),
    person_id    INTEGER REFERENCES people(id),
    purpose      TEXT NOT NULL,
    CHECK ((unit_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX document_distribution_doc ON document_distribution (tenant_id, document_id);
CREATE INDEX document_distribution_unit ON document_distribution (tenant_id, unit_id);

-- Each person a version in force went to, and when they confirmed reading it.
CREATE TABLE document_receipts (
    tenant_id        INTEGER NOT NULL REFERENCES institutions(id),
    version_id       INTEGER NOT NULL REFERENCES document_versions(id),
    person_id        INTEGER NOT NULL REFERENCES people(id),
    copy_no          INTEGER NOT NULL,
    purpose          TEXT NOT NULL,
    unit_id          INTEGER,
    received_at      TIMESTAMP NOT NULL,
    acknowledged_at  TIMESTAMP,
    PRIMARY KEY (version_id, person_id)
);
CREATE INDEX document_receipts_person ON document_receipts (tenant_id, person_id);

-- Links to ISO 9001 clauses, processes, risks and other documents.
CREATE TABLE document_links (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    target       TEXT NOT NULL,
    target_key   TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, target, target_key)
);
CREATE INDEX document_links_target ON document_links (tenant_id, target, target_key);

-- Periodic reviews recorded against a document.
CREATE TABLE document_reviews (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES institutions(id),
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    outcome      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    reviewed_on  TEXT NOT NULL,
    user_id      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX document_reviews_doc ON document_reviews (tenant_id, document_id);

-- Full-text search over each document's code, title and text (sections,
-- uploaded files). Cadran folds diacritics itself before it stores the text,
-- on both engines alike, so "procedura" finds "procedură" and the old cedilla
-- spelling; raw keeps the text as written, for the snippets. rowid is the
-- document id.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, body, raw UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
