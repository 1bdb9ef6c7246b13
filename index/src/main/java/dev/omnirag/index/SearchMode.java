package dev.omnirag.index;

/** Which retriever answers a search. */
public enum SearchMode {
    /** BM25 over the text field. */
    KEYWORD,
    /** Approximate nearest neighbours (HNSW) over the vector field. */
    VECTOR,
    /** Both, fused with the request's {@link Fusion}. */
    HYBRID
}
