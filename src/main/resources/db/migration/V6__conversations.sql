-- Conversations (issue 12): a collection's chats, each owned by the key that created it, with their turns as
-- answered (citations as returned then) and the reader's feedback.
CREATE TABLE conversations (
    id            UUID PRIMARY KEY,
    collection_id UUID NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    owner_key_id  UUID REFERENCES api_keys (id) ON DELETE SET NULL,
    title         TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX conversations_by_collection ON conversations (collection_id, updated_at DESC);

CREATE TABLE conversation_turns (
    id              UUID PRIMARY KEY,
    conversation_id UUID NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    n               INT NOT NULL,
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    citations       TEXT NOT NULL,
    generator       TEXT NOT NULL,
    took_ms         BIGINT NOT NULL,
    feedback        SMALLINT,
    feedback_text   TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (conversation_id, n)
);
