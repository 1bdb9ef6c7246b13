package dev.omnirag.index;

/** How hybrid search merges the keyword and vector result lists. */
public enum Fusion {
    /** Reciprocal rank fusion: {@code sum 1/(rrfK + rank)}; ignores raw scores, robust across collections. */
    RRF,
    /** Min-max normalised scores mixed as {@code (1-w)·keyword + w·vector}, w = the request's vector weight. */
    WEIGHTED
}
