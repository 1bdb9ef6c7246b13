package dev.omnirag.server.wiring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.omnirag.embeddings.Embedder;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;

/**
 * Keeps the vectors of recent queries ({@link #embedQuery}; documents and images pass through): one ask embeds its
 * question for retrieval and again in the extractive generator, a follow-up embeds the questions before it, and
 * people repeat searches. Bounded ({@code omnirag.embedder.query-cache-size}, 1024 queries by default: about 1.5 MiB
 * at 384 dimensions); each caller gets its own copy of a vector. Thread safe.
 */
final class QueryCachingEmbedder implements Embedder {

    private final Embedder delegate;
    private final Cache<String, float[]> queries;

    /** Keeps the vectors of the {@code size} most recent queries (0: none). */
    QueryCachingEmbedder(Embedder delegate, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("omnirag.embedder.query-cache-size must not be negative; query-cache-size="
                    + size);
        }
        this.delegate = delegate;
        this.queries = size == 0 ? null : Caffeine.newBuilder().maximumSize(size).build();
    }

    @Override
    public float[] embedQuery(String query) {
        return queries == null ? delegate.embedQuery(query) : queries.get(query, delegate::embedQuery).clone();
    }

    @Override
    public String spaceName() {
        return delegate.spaceName();
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public Set<dev.omnirag.embeddings.Modality> modalities() {
        return delegate.modalities();
    }

    @Override
    public List<float[]> embedImages(List<BufferedImage> images) {
        return delegate.embedImages(images);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return delegate.embedDocuments(texts);
    }

    @Override
    public int countTokens(String text) {
        return delegate.countTokens(text);
    }

    @Override
    public int maxTokens() {
        return delegate.maxTokens();
    }

    @Override
    public java.util.Optional<String> decode(int[] tokens) {
        return delegate.decode(tokens);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
