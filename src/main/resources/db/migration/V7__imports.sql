-- Archive imports: one row per uploaded archive, durable like jobs. Its files become documents with child jobs
-- (jobs.import_id); an import is resumed after a restart from the first entry not yet queued (entries_done).
CREATE TABLE imports (
    id             UUID PRIMARY KEY,
    collection_id  UUID NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    archive_sha256 TEXT NOT NULL,
    filename       TEXT NOT NULL,
    metadata       TEXT NOT NULL DEFAULT '{}',
    status         TEXT NOT NULL,
    entries_done   INT NOT NULL DEFAULT 0,
    queued         INT NOT NULL DEFAULT 0,
    duplicates     INT NOT NULL DEFAULT 0,
    skipped        INT NOT NULL DEFAULT 0,
    skipped_files  TEXT NOT NULL DEFAULT '[]',
    error          TEXT,
    worker         TEXT,
    lease_until    TIMESTAMPTZ,
    attempts       INT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX imports_unpacking ON imports (created_at) WHERE status = 'unpacking';
ALTER TABLE jobs ADD COLUMN import_id UUID REFERENCES imports (id) ON DELETE SET NULL;
CREATE INDEX jobs_by_import ON jobs (import_id, status) WHERE import_id IS NOT NULL;
