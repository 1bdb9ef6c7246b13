package dev.omnirag.server.wiring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.ForwardingEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the vectors of the sentences the extractive generator scored ({@link #embedDocuments}; queries and images
 * pass through): the same passages come back for many questions, and their sentences need not be embedded again.
 * Bounded ({@code omnirag.generator.sentence-cache-size}, 20,000 sentences by default: about 35 MiB at 384
 * dimensions); the texts not kept are embedded in one call; each caller gets its own copy of a vector. Only the
 * generator's embedder is wrapped, never ingestion's. Thread safe.
 */
final class SentenceCachingEmbedder extends ForwardingEmbedder {

    private final Cache<String, float[]> sentences;

    /** Keeps the vectors of the {@code size} most recently used sentences (0: none). */
    SentenceCachingEmbedder(Embedder delegate, int size) {
        super(delegate);
        if (size < 0) {
            throw new IllegalArgumentException(
                    "omnirag.generator.sentence-cache-size must not be negative; " + "sentence-cache-size=" + size);
        }
        this.sentences =
                size == 0 ? null : Caffeine.newBuilder().maximumSize(size).build();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (sentences == null) {
            return delegate().embedDocuments(texts);
        }
        float[][] out = new float[texts.size()][];
        List<String> missing = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] kept = sentences.getIfPresent(texts.get(i));
            if (kept != null) {
                out[i] = kept.clone();
            } else {
                missing.add(texts.get(i));
                where.add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> made = delegate().embedDocuments(missing);
            for (int j = 0; j < made.size(); j++) {
                sentences.put(missing.get(j), made.get(j).clone());
                out[where.get(j)] = made.get(j);
            }
        }
        return List.of(out);
    }
}
