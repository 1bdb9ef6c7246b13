-- Collections, documents, their chunks' metadata and ingestion jobs. Chunk text and vectors live in the index.
CREATE TABLE collections (
    id              UUID PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    description     TEXT,
    embedding_space TEXT NOT NULL,
    dimensions      INT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE documents (
    id            UUID PRIMARY KEY,
    collection_id UUID NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    filename      TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    metadata      TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL,
    error         TEXT,
    chunk_count   INT NOT NULL DEFAULT 0,
    page_count    INT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT documents_same_bytes_once UNIQUE (collection_id, sha256)
);
CREATE INDEX documents_by_sha ON documents (sha256);

CREATE TABLE chunks (
    id          TEXT PRIMARY KEY,
    document_id UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal     INT NOT NULL,
    page        INT,
    char_start  INT,
    char_end    INT,
    token_count INT NOT NULL
);
CREATE INDEX chunks_by_document ON chunks (document_id, ordinal);

CREATE TABLE jobs (
    id            UUID PRIMARY KEY,
    document_id   UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    collection_id UUID NOT NULL,
    status        TEXT NOT NULL,
    progress      DOUBLE PRECISION NOT NULL DEFAULT 0,
    message       TEXT,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX jobs_by_status ON jobs (status, created_at);
