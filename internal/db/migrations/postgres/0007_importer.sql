-- Import jobs carry a version, so that a mapping chosen in one tab does not
-- silently replace the one chosen in another, and a run starts from the
-- mapping the person last saw.
ALTER TABLE import_jobs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
