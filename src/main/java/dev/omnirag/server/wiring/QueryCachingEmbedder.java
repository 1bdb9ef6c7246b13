package dev.omnirag.server.wiring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.ForwardingEmbedder;

/**
 * Keeps the vectors of recent queries ({@link #embedQuery}; documents and images pass through): one ask embeds its
 * question for retrieval and again in the extractive generator, a follow-up embeds the questions before it, and
 * people repeat searches. Bounded ({@code omnirag.embedder.query-cache-size}, 1024 queries by default: about 1.5 MiB
 * at 384 dimensions); each caller gets its own copy of a vector. Thread safe.
 */
final class QueryCachingEmbedder extends ForwardingEmbedder {

    private final Cache<String, float[]> queries;

    /** Keeps the vectors of the {@code size} most recent queries (0: none). */
    QueryCachingEmbedder(Embedder delegate, int size) {
        super(delegate);
        if (size < 0) {
            throw new IllegalArgumentException(
                    "omnirag.embedder.query-cache-size must not be negative; query-cache-size=" + size);
        }
        this.queries =
                size == 0 ? null : Caffeine.newBuilder().maximumSize(size).build();
    }

    @Override
    public float[] embedQuery(String query) {
        return queries == null
                ? delegate().embedQuery(query)
                : queries.get(query, delegate()::embedQuery).clone();
    }
}
