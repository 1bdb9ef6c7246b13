-- The extractive answer's sentence vectors, embedded after ingestion while the server is idle (search.SentenceBackfill)
-- so an ask reads them instead of embedding its passages' sentences. One row per chunk: the embedder's space, a hash
-- of the chunk's sentence texts (a row whose sentences no longer match is not used) and the vectors, in order.
CREATE TABLE sentence_vectors (
    chunk_id  TEXT PRIMARY KEY REFERENCES chunks (id) ON DELETE CASCADE,
    space     TEXT NOT NULL,
    sentences BIGINT NOT NULL,
    vectors   BYTEA NOT NULL
);
