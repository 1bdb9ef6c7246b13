package dev.omnirag.index;

/** How the keyword side of a search may widen the query before it ranks. */
public enum QueryExpansion {
    /** The query's own words only. */
    NONE,
    /**
     * RM3 pseudo-relevance feedback (Lavrenko and Croft's relevance model, as Anserini runs it): the query is run
     * once, the words of its best hits are weighted by how much of each hit they make up and how well the hit
     * matched, the heaviest become extra query terms, and the original words keep half the weight. Backends without
     * per-term query weights (pgvector's full-text search) ignore it.
     */
    RM3
}
