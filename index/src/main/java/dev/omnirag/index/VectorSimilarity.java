package dev.omnirag.index;

import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How {@link LuceneHybridIndex} compares vectors. Every choice yields scores in [0, 1], higher = more similar.
 */
public enum VectorSimilarity {
    /** Angle only: {@code (1 + cos) / 2}. Works for vectors of any length (but not the zero vector). */
    COSINE(VectorSimilarityFunction.COSINE),
    /**
     * {@code (1 + a·b) / 2}; equal to cosine for unit vectors but cheaper, so it is the default for the
     * L2-normalised embeddings Omnirag produces. Vectors must have unit length.
     */
    DOT_PRODUCT(VectorSimilarityFunction.DOT_PRODUCT),
    /** Distance based: {@code 1 / (1 + |a - b|²)}. */
    EUCLIDEAN(VectorSimilarityFunction.EUCLIDEAN);

    private final VectorSimilarityFunction lucene;

    VectorSimilarity(VectorSimilarityFunction lucene) {
        this.lucene = lucene;
    }

    VectorSimilarityFunction lucene() {
        return lucene;
    }
}
