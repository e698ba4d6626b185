-- Personal access tokens: a person's key for programs that send data to
-- Cadran (KPI measurements now, the JSON API later). Only the SHA-256 of
-- the token is kept; the token acts as its user, with the user's roles.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES institutions(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    -- The first characters of the token, shown so people can tell tokens apart.
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP,
    last_used_at  TIMESTAMP,
    revoked_at    TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (tenant_id, user_id);
