-- Access control (issue 6): API keys, stored only as the SHA-256 of the key, and their roles per collection.
CREATE TABLE api_keys (
    id           UUID PRIMARY KEY,
    name         TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    admin        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE collection_grants (
    key_id        UUID NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    collection_id UUID NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    role          TEXT NOT NULL CHECK (role IN ('read', 'write', 'admin')),
    PRIMARY KEY (key_id, collection_id)
);
CREATE INDEX collection_grants_by_collection ON collection_grants (collection_id);
